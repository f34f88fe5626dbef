// The Connection view end to end: real server, built app, loopback Cloudinary, Chromium.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setup, scriptErrors } from './harness.mjs';

const stack = setup();
let page;
let errors;

beforeEach(async () => {
  page = await stack.chrome.browser.newPage();
  errors = scriptErrors(page);
});

afterEach(async () => {
  await page.close();
});

const field = (label) => page.getByLabel(label, { exact: true });
const button = (name) => page.getByRole('button', { name, exact: true });
const basic = (key, secret) => 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64');

let seq = 0;
/** A stored connection, created through the API. */
async function createConnection(overrides = {}) {
  seq += 1;
  const body = {
    name: `Stored ${seq}`,
    driver: 'cloudinary-default',
    fields: { cloud_name: `stored-${seq}`, api_key: '123456789012345', api_secret: `Secret_${seq}`, region: 'eu' },
    ...overrides,
  };
  const res = await stack.server.api('/api/connections', { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function fillNew({ name, cloud, key, secret }) {
  await field('Name').fill(name);
  await field('Driver').selectOption({ label: 'Cloudinary default driver' });
  await field('Cloud-Name').fill(cloud);
  await field('API-Key').fill(key);
  await field('API-Secret').fill(secret);
}

test('create: Add, fill the Credentials, Save, back at the list with the row', async () => {
  await page.goto(stack.server.url + '/');
  await button('Add').first().click();
  await page.getByRole('heading', { name: 'Create connection' }).waitFor();
  assert.equal(await page.getByRole('group', { name: 'Credentials' }).count(), 0, 'no Credentials yet');
  await fillNew({ name: 'Shop EU', cloud: 'shop-eu', key: '987654321', secret: 'Very_s3cret-value' });
  await field('Region').selectOption({ label: 'EU' });
  assert.equal(await page.getByRole('group', { name: 'Credentials' }).count(), 1);
  await button('Save').click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('cell', { name: 'Shop EU', exact: true }).waitFor();

  const list = await stack.server.api('/api/connections?q=Shop%20EU');
  const saved = list.body.items.find((c) => c.name === 'Shop EU');
  assert.ok(saved, 'stored');
  assert.equal(saved.fields.region, 'eu');
  assert.equal(saved.status.state, 'ok', 'verified on save');
  assert.ok(stack.cloud.calls.some((c) => c.url.startsWith('/v1_1/shop-eu/ping')
    && c.auth === basic('987654321', 'Very_s3cret-value')), 'verified with the typed secret');
  assert.ok(!(await page.content()).includes('Very_s3cret-value'), 'no secret in the DOM');
  assert.deepEqual(errors, []);
});

test('create: pasting the API environment variable fills the fields', async () => {
  await page.goto(stack.server.url + '/new');
  await field('Driver').selectOption({ label: 'Cloudinary default driver' });
  const env = field('API environment variable');
  await env.fill('cloudinary://123:@x');
  await env.press('Enter');
  await page.getByText('The API secret is missing').waitFor();
  assert.equal(await env.getAttribute('aria-invalid'), 'true');
  assert.equal(await field('Cloud-Name').inputValue(), '', 'a malformed value changes nothing');

  await env.fill('CLOUDINARY_URL="cloudinary://55555:Pasted_secret@pasted-cloud?upload_prefix=https://api-ap.cloudinary.com"');
  await env.press('Enter');
  await page.getByText('Filled in from the API environment variable').waitFor();
  assert.equal(await field('Cloud-Name').inputValue(), 'pasted-cloud');
  assert.equal(await field('API-Key').inputValue(), '55555');
  assert.equal(await field('API-Secret').inputValue(), 'Pasted_secret');
  assert.equal(await field('Region').inputValue(), 'ap');
  assert.equal(await env.inputValue(), '');
  // Masked, but not a password field: Chromium offers no password manager or generator.
  const secret = field('API-Secret');
  assert.equal(await secret.getAttribute('type'), 'text');
  assert.equal(await secret.getAttribute('autocomplete'), 'off');
  const masking = () => secret.evaluate((e) => getComputedStyle(e).webkitTextSecurity);
  assert.equal(await masking(), 'disc');
  await page.getByRole('button', { name: 'Show API-Secret' }).click();
  assert.equal(await masking(), 'none');
});

test('validation: errors at their fields, first one focused, a taken name from the server', async () => {
  await createConnection({ name: 'Taken Name' });
  await page.goto(stack.server.url + '/new');
  await field('Driver').selectOption({ label: 'Cloudinary default driver' });
  await field('Cloud-Name').fill('9lives');
  await button('Save').click();
  await page.getByText('Enter a name for the connection.').waitFor();
  assert.equal(await field('Name').getAttribute('aria-invalid'), 'true');
  assert.ok(await field('Name').evaluate((el) => el === document.activeElement), 'Name focused');
  assert.equal(await field('Cloud-Name').getAttribute('aria-invalid'), 'true');
  assert.match(await field('Cloud-Name').getAttribute('aria-describedby'), /cc-field-cloud_name-error/);

  await field('Name').fill('taken name');
  await field('Cloud-Name').fill('lives');
  await field('API-Key').fill('1');
  await field('API-Secret').fill('abc');
  await button('Save').click();
  await page.getByText('A connection named').waitFor();
  assert.equal(await field('Name').getAttribute('aria-invalid'), 'true', 'the 422 lands at Name');
  assert.equal(await field('Name').inputValue(), 'taken name', 'values kept');
  assert.equal(new URL(page.url()).pathname, '/new');
});

test('edit without touching the secret: saved and still verified with the stored one', async () => {
  const c = await createConnection();
  await page.goto(`${stack.server.url}/${c.id}`);
  await page.getByRole('heading', { name: c.name, exact: true }).waitFor();
  await page.getByText(/^Created \S/).waitFor();
  assert.equal(await field('Driver').getAttribute('readonly'), '', 'driver read-only');
  assert.equal(await field('API-Secret').inputValue(), '');
  await page.getByText('Stored — leave empty to keep it').waitFor();
  await field('Name').fill(`${c.name} renamed`);
  const before = stack.cloud.calls.length;
  await button('Save').click();
  await page.waitForURL((u) => u.pathname === '/');
  const got = await stack.server.api(`/api/connections/${c.id}`);
  assert.equal(got.body.name, `${c.name} renamed`);
  assert.equal(got.body.status.state, 'ok');
  assert.deepEqual(got.body.secrets_set, ['api_secret']);
  const calls = stack.cloud.calls.slice(before);
  assert.ok(calls.length > 0 && calls.every((x) => x.auth === basic('123456789012345', `Secret_${seq}`)),
    'verified with the stored secret');
});

test('412: someone else saved first; the user keeps their values until Reload', async () => {
  const c = await createConnection();
  await page.goto(`${stack.server.url}/${c.id}`);
  await field('Name').waitFor();
  await field('Name').fill('My version');
  // Someone else changes the row between load and save.
  const other = await stack.server.api(`/api/connections/${c.id}`, {
    method: 'PUT',
    headers: { 'if-match': `"${c.version}"` },
    body: JSON.stringify({ name: 'Their version', driver: c.driver, fields: { ...c.fields } }),
  });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  await button('Save').click();
  await page.getByText('Someone else changed this connection').waitFor();
  assert.equal(await field('Name').inputValue(), 'My version', 'the user\'s values stay');
  await button('Reload').click();
  await page.getByRole('heading', { name: 'Their version', exact: true }).waitFor();
  assert.equal(await field('Name').inputValue(), 'Their version');
  assert.equal(await button('Reload').count(), 0);
  await button('Save').click();
  await page.waitForURL((u) => u.pathname === '/');
});

test('Back: leaves at once without changes, asks with changes', async () => {
  const c = await createConnection();
  await page.goto(`${stack.server.url}/${c.id}`);
  await field('Name').waitFor();
  await button('Back').click();
  await page.waitForURL((u) => u.pathname === '/');
  assert.equal(await page.getByRole('alertdialog').count(), 0);

  await page.goto(`${stack.server.url}/${c.id}`);
  await field('Cloud-Name').fill('changed-cloud');
  await button('Back').click();
  const dialog = page.getByRole('alertdialog', { name: 'Discard your changes?' });
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus in the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await field('Cloud-Name').inputValue(), 'changed-cloud');
  await button('Back').click();
  await button('Discard changes').click();
  await page.waitForURL((u) => u.pathname === '/');
  const got = await stack.server.api(`/api/connections/${c.id}`);
  assert.equal(got.body.fields.cloud_name, c.fields.cloud_name, 'nothing saved');
});

test('reloading the page with changes asks first; without changes it does not', async () => {
  const c = await createConnection();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.type()); d.accept(); });
  await page.goto(`${stack.server.url}/${c.id}`);
  await field('Name').click();
  await page.reload();
  await field('Name').waitFor();
  assert.deepEqual(dialogs, [], 'unchanged: no question');
  await field('Name').fill('Changed');
  await page.reload();
  await field('Name').waitFor();
  assert.deepEqual(dialogs, ['beforeunload']);
  assert.equal(await field('Name').inputValue(), c.name, 'the user chose to leave');
});

test('Test connection: good and bad credentials, shown inline and at the field', async () => {
  await page.goto(stack.server.url + '/new');
  await fillNew({ name: 'Tested', cloud: 'good-cloud', key: '111', secret: 'abc' });
  await button('Test connection').click();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();

  await field('Cloud-Name').fill('missing-cloud');
  await button('Test connection').click();
  await page.getByRole('status').filter({ hasText: 'Invalid credentials' }).waitFor();
  await page.getByText('Cloudinary does not know this Cloud-Name').waitFor();
  assert.equal(await field('Cloud-Name').getAttribute('aria-invalid'), 'true');

  await field('Cloud-Name').fill('bad-cloud');
  await button('Test connection').click();
  await page.getByText('Cloudinary rejected this API-Key').waitFor();
  assert.equal(await field('API-Key').getAttribute('aria-invalid'), 'true');
  const list = await stack.server.api('/api/connections?q=Tested');
  assert.equal(list.body.total, 0, 'testing saves nothing');
});

test('Test connection on edit uses the stored secret', async () => {
  const c = await createConnection();
  await page.goto(`${stack.server.url}/${c.id}`);
  await field('Name').waitFor();
  const before = stack.cloud.calls.length;
  await button('Test connection').click();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  const calls = stack.cloud.calls.slice(before);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].auth, basic('123456789012345', `Secret_${seq}`));
});

test('Duplicate: /new?from=<id> prefills a copy without the secret', async () => {
  const c = await createConnection();
  await page.goto(`${stack.server.url}/new?from=${c.id}`);
  await page.getByRole('heading', { name: 'Create connection' }).waitFor();
  await field('Cloud-Name').waitFor();
  assert.equal(await field('Name').inputValue(), `${c.name} (copy)`);
  assert.equal(await field('Cloud-Name').inputValue(), c.fields.cloud_name);
  assert.equal(await field('Region').inputValue(), 'eu');
  assert.equal(await field('API-Secret').inputValue(), '');
  await button('Save').click();
  await page.getByText('Enter the API-Secret.').waitFor();
  await field('API-Secret').fill('Copy_secret');
  await button('Save').click();
  await page.waitForURL((u) => u.pathname === '/');
  const list = await stack.server.api(`/api/connections?q=${encodeURIComponent(`${c.name} (copy)`)}`);
  assert.equal(list.body.total, 1);
});

test('deep links and the browser\'s Back', async () => {
  const c = await createConnection();
  await page.goto(`${stack.server.url}/${c.id}`);
  await page.getByRole('heading', { name: c.name, exact: true }).waitFor();
  await page.goto(stack.server.url + '/');
  await button('Add').first().click();
  await page.getByRole('heading', { name: 'Create connection' }).waitFor();
  await page.goBack();
  await button('Add').first().waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  await page.goBack();
  await page.getByRole('heading', { name: c.name, exact: true }).waitFor();
  await page.goto(stack.server.url + '/999999');
  await page.getByText('This connection does not exist').waitFor();
});
