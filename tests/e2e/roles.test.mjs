// Who may write, and the History section, end to end: the real server in JWT mode with a
// key set file and EdDSA tokens made here, the example shell carrying the token, the built
// app, a loopback stand-in for Cloudinary, Chromium.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, scriptErrors, seedConnections } from './harness.mjs';

const ISSUER = 'https://id.e2e.test';
const AUDIENCE = 'cloudinary-connections';
const KID = 'e2e-ed25519';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const keyDir = mkdtempSync(join(tmpdir(), 'cc-jwks-'));
const JWKS = join(keyDir, 'jwks.json');
writeFileSync(JWKS, JSON.stringify({
  keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'EdDSA' }],
}));

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A token of the shell's sign-in for `sub`, signed with the key of the set. */
function token(sub, name, roles) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'EdDSA', typ: 'JWT', kid: KID });
  const body = b64({ iss: ISSUER, aud: AUDIENCE, sub, name, roles, iat: now, exp: now + 3600 });
  const sig = sign(null, Buffer.from(`${head}.${body}`), privateKey).toString('base64url');
  return `${head}.${body}.${sig}`;
}
const WRITER = token('ada', 'Ada Writer', ['connections:write']);
const READER = token('rita', 'Rita Reader', ['connections:read']);

const stack = setup({ env: {
      CLOUDINARY_CONNECTIONS_JWT_JWKS: JWKS,
      CLOUDINARY_CONNECTIONS_JWT_ISSUER: ISSUER,
      CLOUDINARY_CONNECTIONS_JWT_AUDIENCE: AUDIENCE,
      // Only the events of this test's own actions.
      CLOUDINARY_CONNECTIONS_RECHECK: '0',
    } });
after(() => rmSync(keyDir, { recursive: true, force: true }));

const api = (path, bearer, init = {}) =>
  stack.server.api(path, { ...init, headers: { authorization: `Bearer ${bearer}`, ...(init.headers ?? {}) } });

/** A connection made by the writer. */
async function seed(name) {
  const headers = { authorization: `Bearer ${WRITER}` };
  const [made] = await seedConnections(stack.server, [name], { headers });
  return made;
}

/** The example shell signed in with `bearer`. */
async function openShell(bearer) {
  const context = await stack.chrome.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = scriptErrors(page);
  const qs = new URLSearchParams({ token: bearer });
  await page.goto(`${stack.server.url}/examples/shell/?${qs}`);
  await page.locator('html[data-shell-ready="true"]').waitFor({ state: 'attached' });
  return { page, errors, close: () => context.close() };
}

const button = (page, name) => page.getByRole('button', { name, exact: true });

test('the server refuses tokens it cannot verify and a reader\'s changes', async () => {
  assert.equal((await api('/api/me', 'not-a-jwt')).status, 401);
  const me = await api('/api/me', READER);
  assert.deepEqual(me.body, { id: 'rita', name: 'Rita Reader', can_write: false });
  const refused = await api('/api/connections', READER, { method: 'POST', body: '{}' });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'forbidden');
});

test('a reader sees no write actions, a line saying why, and may still Test', async () => {
  const shop = await seed('Reader shop');
  const { page, errors, close } = await openShell(READER);
  await page.getByText('Reader shop').waitFor();
  await page.getByText('lacks the role connections:write').first().waitFor();
  assert.equal(await button(page, 'Add').count(), 0, 'no Add');

  await page.getByRole('checkbox', { name: 'Select Reader shop' }).check();
  await page.getByRole('group', { name: 'Selected connections' }).getByText('1 selected').waitFor();
  await button(page, 'Test').waitFor();
  for (const name of ['Edit', 'Duplicate', 'Delete', 'Add']) {
    assert.equal(await button(page, name).count(), 0, `no ${name}`);
  }
  await button(page, 'Test').click();
  // The reader's Test is recorded as theirs.
  await page.waitForFunction(async ([id, bearer]) => {
    const res = await fetch(`/api/connections/${id}/history`, { headers: { authorization: `Bearer ${bearer}` } });
    const page = await res.json();
    return page.items.some((e) => e.action === 'verified' && e.actor?.id === 'rita');
  }, [shop.id, READER]);

  // Opened, the connection shows its History; Save is disabled.
  await page.getByRole('cell', { name: 'Reader shop', exact: true }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  assert.equal(await button(page, 'Save').isDisabled(), true);
  assert.deepEqual(errors, []);
  await close();
});

test('the History section shows create, rename and Test in English and German', async () => {
  const { page, errors, close } = await openShell(WRITER);
  await button(page, 'Add').first().click();
  await page.getByLabel('Name', { exact: true }).fill('History shop');
  await page.getByLabel('Driver', { exact: true }).selectOption({ label: 'Cloudinary default driver' });
  await page.getByLabel('Cloud-Name', { exact: true }).fill('demo');
  await page.getByLabel('API-Key', { exact: true }).fill('123456789012345');
  await page.getByLabel('API-Secret', { exact: true }).fill('history-secret_1');
  await button(page, 'Save').click();

  // Rename.
  await page.getByRole('checkbox', { name: 'Select History shop' }).check();
  await button(page, 'Edit').click();
  await page.getByLabel('Name', { exact: true }).fill('History shop renamed');
  await button(page, 'Save').click();

  // Test from the list.
  await page.getByRole('checkbox', { name: 'Select History shop renamed' }).check();
  await button(page, 'Test').click();
  await page.getByRole('region', { name: 'Results' }).waitFor();

  // The History of the connection, newest first. Saving verifies too, so each Save is
  // followed by a Test of its own: Created, Tested, Changed, Tested, then the list's Test.
  await button(page, 'Edit').click();
  const history = page.getByRole('region', { name: 'History' });
  await history.getByRole('table').waitFor();
  let texts = await history.locator('tbody tr').allInnerTexts();
  const what = (t) => t.split('\t').pop().trim();
  assert.deepEqual(texts.map(what),
    ['Tested: Connected', 'Tested: Connected', 'Changed: Name', 'Tested: Connected', 'Created'],
    texts.join('\n'));
  assert.ok(texts.every((t) => t.includes('Ada Writer')), texts.join('\n'));

  await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
  const verlauf = page.getByRole('region', { name: 'Verlauf' });
  await verlauf.getByRole('columnheader', { name: 'Wann' }).waitFor();
  texts = await verlauf.locator('tbody tr').allInnerTexts();
  assert.deepEqual(texts.map(what),
    ['Getestet: Verbunden', 'Getestet: Verbunden', 'Geändert: Name', 'Getestet: Verbunden', 'Angelegt'],
    texts.join('\n'));
  // German dates: day.month.year.
  assert.match(texts[4], /\d{1,2}\.\d{1,2}\.\d{4}/);
  assert.deepEqual(errors, []);
  await close();
});
