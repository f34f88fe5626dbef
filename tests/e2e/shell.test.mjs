// The first slice, end to end: real server binary, built app, SQLite in a temp dir, Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, startServer, scriptErrors } from './harness.mjs';

const stack = setup({ cloud: false });

test('the Connections tab shows its toolbar, Add and the empty state', async () => {
  const page = await stack.chrome.browser.newPage();
  const errors = scriptErrors(page);
  await page.goto(stack.server.url + '/');

  await page.getByRole('button', { name: 'Refresh' }).waitFor();
  await page.getByRole('button', { name: 'Columns (3)' }).waitFor();
  await page.getByRole('button', { name: 'Add', exact: true }).waitFor();
  await page.getByText('No connections have been created yet').waitFor();
  assert.deepEqual(errors, [], 'no script errors (CSP included)');
  await page.close();
});

test('the API answers health without a token, where everything else needs one', async () => {
  // A server that requires a token: only then does "without a token" say something.
  const token = 'e2e-health-token-0123456789abcdef0123456789';
  const guarded = await startServer({ env: { CLOUDINARY_CONNECTIONS_TOKEN: token } });
  try {
    const res = await guarded.api('/api/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
    const list = await guarded.api('/api/connections');
    assert.equal(list.status, 401, 'the same server refuses the list without the token');
    const withToken = await guarded.api('/api/connections', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(withToken.status, 200);
  } finally {
    await guarded.stop();
  }
});
