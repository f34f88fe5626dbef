// The screens as an administrator uses them (issue 14), end to end: the list's view in the
// address, a narrow window, the edit view's health, pasting what Cloudinary's SDKs read.
// Real server binary, built app, SQLite in a temp dir, loopback Cloudinary, Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, seedConnections, openPage } from './harness.mjs';

const stack = setup();

const seed = (names, options) => seedConnections(stack.server, names, options);
const open = (path, viewport) => openPage(stack.chrome, stack.server.url + path, { viewport });

const names = (page) => page.locator('tbody tr[data-id] td.cc-name').allInnerTexts();

test('the list view lives in the address: Back, the browser Back and a shared link return to it', async () => {
  await seed(Array.from({ length: 12 }, (_, i) => `View ${String(i + 1).padStart(2, '0')}`));
  const { page, context, errors } = await open('/');
  await page.getByRole('button', { name: 'Name', exact: true }).click();
  await page.getByRole('button', { name: 'Name', exact: true }).click();
  await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('5');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL((u) => u.search === '?sort=name&order=desc&page=2&size=5');
  const shown = await names(page);
  assert.deepEqual(shown, ['View 07', 'View 06', 'View 05', 'View 04', 'View 03']);

  // Open a connection, then the form's Back.
  await page.getByRole('checkbox', { name: 'Select View 05', exact: true }).check();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'View 05', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Back' }).click();
  await page.waitForURL((u) => u.search === '?sort=name&order=desc&page=2&size=5');
  await page.getByRole('checkbox', { name: 'Select View 03', exact: true }).waitFor();
  assert.deepEqual(await names(page), shown);

  // Open it again, then the browser's Back.
  await page.getByRole('checkbox', { name: 'Select View 05', exact: true }).check();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'View 05', exact: true }).waitFor();
  await page.goBack();
  await page.getByRole('checkbox', { name: 'Select View 03', exact: true }).waitFor();
  assert.deepEqual(await names(page), shown);

  // A shared link, in a fresh context.
  const shared = await open('/?sort=name&order=desc&page=2&size=5');
  await shared.page.getByRole('checkbox', { name: 'Select View 03', exact: true }).waitFor();
  assert.deepEqual(await names(shared.page), shown);
  assert.equal(await shared.page.getByRole('combobox', { name: 'Rows per page' }).inputValue(), '5');
  assert.deepEqual([...errors, ...shared.errors], []);
  await shared.context.close();
  await context.close();
});

test('at 360 px the toolbar wraps and Add covers neither a row nor the pager', async () => {
  await seed(['Narrow A', 'Narrow B', 'Narrow C']);
  const { page, context, errors } = await open('/', { width: 360, height: 640 });
  await page.getByRole('checkbox', { name: 'Select Narrow A', exact: true }).waitFor();
  const box = async (loc) => loc.boundingBox();
  const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const add = await box(page.getByRole('button', { name: 'Add', exact: true }));
  const pager = await box(page.getByRole('navigation', { name: 'Pages' }));
  assert.ok(add && pager, 'both shown');
  assert.equal(overlaps(add, pager), false, `Add ${JSON.stringify(add)} over the pager ${JSON.stringify(pager)}`);
  for (const row of await page.locator('tbody tr[data-id]').all()) {
    const r = await box(row);
    assert.equal(overlaps(add, r), false, 'Add over a row');
  }
  // Nothing but the table's own scroller is wider than the window.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `page is ${wide}px wide`);
  // The pager's right edge is the table's right edge.
  const wrap = await box(page.locator('.cc-table-wrap'));
  assert.ok(Math.abs(pager.x + pager.width - (wrap.x + wrap.width)) <= 1, 'pager at the table edge');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the edit view is titled by the name and shows the connection health', async () => {
  const [c] = await seed(['Shop EU Connection'], { cloudName: 'bad-cloud' });
  const verified = await stack.server.api(`/api/connections/${c.id}/verify`, { method: 'POST', body: '{}' });
  assert.equal(verified.status, 200);
  const { page, context, errors } = await open(`/${c.id}`);
  await page.getByRole('heading', { name: 'Shop EU Connection', exact: true }).waitFor();
  const health = page.getByRole('region', { name: 'Connection status' });
  await health.getByText('Invalid credentials').waitFor();
  assert.match(await health.innerText(), /Last checked: .*2\d\d\d/);
  assert.match(await health.innerText(), /Invalid api_key|rejected|credentials/i);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the API environment variable takes what the SDKs read and leaves delivery settings out', async () => {
  const { page, context, errors } = await open('/new');
  const field = (label) => page.getByLabel(label, { exact: true });
  await field('Driver').selectOption({ label: 'Cloudinary default driver' });
  await field('API environment variable').fill(
    'cloudinary://123456:s3cr3t@my-cloud/media.example.com?secure_distribution=media.example.com&private_cdn=true&cname=img.example.com&secure=true&cdn_subdomain=true');
  await field('API environment variable').press('Enter');
  await page.getByText('its delivery settings', { exact: false }).waitFor();
  assert.equal(await field('Cloud-Name').inputValue(), 'my-cloud');
  assert.equal(await field('API-Key').inputValue(), '123456');
  assert.equal(await field('API-Secret').inputValue(), 's3cr3t');
  assert.deepEqual(errors, []);
  await context.close();
});
