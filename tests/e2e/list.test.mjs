// The list screen end to end: real server binary, built app, SQLite in a temp dir, a loopback
// stand-in for Cloudinary, headless Chromium. Elements are found by role and accessible name.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, startServer, clearConnections, seedConnections, openPage, until,
} from './harness.mjs';

const stack = setup();

beforeEach(() => clearConnections(stack.server));

/** Creates connections through the API; returns them as the server answered. */
const seed = (names, options) => seedConnections(stack.server, names, options);

/** A fresh page (fresh storage) with script errors collected. */
const open = (path = '/') => openPage(stack.chrome, stack.server.url + path);

const rowCheckbox = (page, name) => page.getByRole('checkbox', { name: `Select ${name}`, exact: true });
const headerNames = (page) =>
  page.locator('thead th[scope=col]').evaluateAll((ths) =>
    ths.map((th) => th.innerText.replace(/[▲▼↕]/g, '').trim()).filter(Boolean));

test('refresh keeps the selection of rows that still exist', async () => {
  const [, b] = await seed(['Alpha', 'Beta', 'Gamma']);
  const { page, context, errors } = await open();
  await rowCheckbox(page, 'Alpha').check();
  await rowCheckbox(page, 'Beta').check();
  await page.getByRole('group', { name: 'Selected connections' }).getByText('2 selected', { exact: true }).waitFor();

  // Someone else deletes Beta; Refresh shows it gone and keeps Alpha selected.
  assert.equal((await stack.server.api(`/api/connections/${b.id}`, { method: 'DELETE' })).status, 204);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await rowCheckbox(page, 'Beta').waitFor({ state: 'detached' });
  await page.getByRole('group', { name: 'Selected connections' }).getByText('1 selected', { exact: true }).waitFor();
  assert.equal(await rowCheckbox(page, 'Alpha').isChecked(), true);
  assert.equal(await rowCheckbox(page, 'Gamma').isChecked(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('column choice and page size survive a reload; reorder by keyboard and by drag and drop', async () => {
  await seed(['Alpha']);
  const { page, context, errors } = await open();
  await page.getByRole('button', { name: 'Columns (3)' }).click();
  const bar = page.getByRole('region', { name: 'Columns' });
  await bar.getByRole('checkbox', { name: 'Cloud name' }).check();
  await page.getByRole('button', { name: 'Columns (4)' }).waitFor();
  assert.deepEqual(await headerNames(page), ['ID', 'Name', 'Cloud name', 'Status']);

  // Keyboard: Move up button, then Alt+ArrowUp on the focused checkbox.
  await bar.getByRole('button', { name: 'Move Status up' }).click();
  await bar.getByRole('checkbox', { name: 'Status' }).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await until(async () => (await headerNames(page)).join() === 'ID,Name,Status,Cloud name', 'keyboard reorder');
  assert.equal(await bar.getByRole('checkbox', { name: 'Status' }).evaluate((e) => e === document.activeElement), true,
    'focus stays on the moved column');

  // Drag and drop: ID after Cloud name.
  await bar.locator('li[data-column=id]').dragTo(bar.locator('li[data-column=cloud_name]'));
  await until(async () => (await headerNames(page)).join() === 'Name,Status,Cloud name,ID', 'drag and drop reorder');

  await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('50');
  await page.reload();
  await page.getByRole('button', { name: 'Columns (4)' }).waitFor();
  assert.deepEqual(await headerNames(page), ['Name', 'Status', 'Cloud name', 'ID']);
  assert.equal(await page.getByRole('combobox', { name: 'Rows per page' }).inputValue(), '50');

  // A stored value that no longer parses falls back to the default.
  await page.evaluate(() => localStorage.setItem('cloudinary-connections.list.v1', '{"columns":7'));
  await page.reload();
  await page.getByRole('button', { name: 'Columns (3)' }).waitFor();
  assert.deepEqual(await headerNames(page), ['ID', 'Name', 'Status']);

  await page.getByRole('button', { name: 'Columns (3)' }).click();
  await page.getByRole('region', { name: 'Columns' }).getByRole('checkbox', { name: 'Driver' }).check();
  await page.getByRole('button', { name: 'Reset columns' }).click();
  await page.getByRole('button', { name: 'Columns (3)' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('delete of two rows after confirming, with Escape cancelling first', async () => {
  await seed(['Alpha', 'Beta', 'Gamma']);
  const { page, context, errors } = await open();
  await rowCheckbox(page, 'Alpha').check();
  await rowCheckbox(page, 'Gamma').check();
  await page.getByRole('group', { name: 'Selected connections' }).getByRole('button', { name: 'Delete' }).click();

  const dialog = page.getByRole('alertdialog', { name: 'Delete 2 connections?' });
  await dialog.waitFor();
  const text = await dialog.innerText();
  assert.match(text, /Alpha/);
  assert.match(text, /Gamma/);
  assert.doesNotMatch(text, /Beta/);
  assert.equal(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((e) => e === document.activeElement), true,
    'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await stack.server.api('/api/connections')).body.total, 3, 'Escape deletes nothing');

  await page.getByRole('group', { name: 'Selected connections' }).getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('listitem').filter({ hasText: 'Deleted “Alpha”.' }).waitFor();
  await page.getByRole('listitem').filter({ hasText: 'Deleted “Gamma”.' }).waitFor();
  await rowCheckbox(page, 'Alpha').waitFor({ state: 'detached' });
  await rowCheckbox(page, 'Gamma').waitFor({ state: 'detached' });
  await page.getByText('1-1 of 1').waitFor();
  const left = await stack.server.api('/api/connections');
  assert.deepEqual(left.body.items.map((c) => c.name), ['Beta']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('duplicate opens a prefilled form; edit and a row click open the connection', async () => {
  const [a] = await seed(['Shop EU']);
  const { page, context, errors } = await open();
  await rowCheckbox(page, 'Shop EU').check();
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.waitForURL(`**/new?from=${a.id}`);
  await until(async () => (await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue().catch(() => '')) === 'Shop EU (copy)',
    'the form prefilled with the copy name');

  await page.goto(stack.server.url + '/');
  await rowCheckbox(page, 'Shop EU').check();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.waitForURL(`**/${a.id}`);

  await page.goto(stack.server.url + '/');
  await page.getByRole('cell', { name: 'Shop EU', exact: true }).click();
  await page.waitForURL(`**/${a.id}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard alone: select with Space, open with Enter, sort, filter, page', async () => {
  await seed(['Delta', 'alpha', 'Charlie', 'bravo', 'Echo', 'Foxtrot']);
  const { page, context, errors } = await open();
  await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('5');
  await page.getByText('1-5 of 6').waitFor();

  // Sort by name: ascending (case-insensitive), descending, none.
  const nameHeader = page.getByRole('columnheader', { name: /Name/ });
  await page.getByRole('button', { name: /^Name/ }).focus();
  await page.keyboard.press('Enter');
  await until(async () => (await nameHeader.getAttribute('aria-sort')) === 'ascending', 'ascending');
  await page.locator('tbody tr').first().getByText('alpha').waitFor();
  await page.keyboard.press('Enter');
  await until(async () => (await nameHeader.getAttribute('aria-sort')) === 'descending', 'descending');
  await page.locator('tbody tr').first().getByText('Foxtrot').waitFor();
  await page.keyboard.press('Enter');
  await until(async () => (await nameHeader.getAttribute('aria-sort')) === 'none', 'no sort');

  // Pager by keyboard.
  await page.getByRole('button', { name: 'Next page' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('6-6 of 6').waitFor();
  await page.getByRole('button', { name: 'First page' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('1-5 of 6').waitFor();

  // Rows: Tab reaches the first row; arrows move; Space selects; Enter opens.
  await page.locator('tbody tr').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.getByRole('group', { name: 'Selected connections' }).getByText('1 selected', { exact: true }).waitFor();
  assert.equal(await rowCheckbox(page, 'alpha').isChecked(), true);

  // Filter (debounced) by name; then to nothing, and clear.
  await page.getByRole('searchbox', { name: 'Filter' }).fill('CHARL');
  await page.getByText('1-1 of 1').waitFor();
  await page.getByRole('searchbox', { name: 'Filter' }).fill('zzz');
  await page.getByText('No connections match “zzz”.').waitFor();
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await page.getByText('1-5 of 6').waitFor();

  const id = await page.locator('tbody tr').first().getAttribute('data-id');
  await page.locator('tbody tr').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/${id}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Test re-verifies the selected rows and updates their status in place', async () => {
  await seed(['Good one']);
  await seed(['Bad one'], { cloudName: 'bad-cloud' });
  const { page, context, errors } = await open();
  await page.getByRole('row', { name: /Bad one/ }).getByText('Invalid credentials').waitFor();
  const calls = stack.cloud.calls.length;
  await rowCheckbox(page, 'Good one').check();
  await rowCheckbox(page, 'Bad one').check();
  await page.getByRole('button', { name: 'Test' }).click();
  await page.getByRole('listitem').filter({ hasText: 'Tested “Good one”: Connected.' }).waitFor();
  await page.getByRole('listitem').filter({ hasText: 'Tested “Bad one”: Invalid credentials.' }).waitFor();
  assert.equal(stack.cloud.calls.length - calls, 2, 'one verification per selected row');
  await page.getByRole('row', { name: /Good one/ }).getByText('Connected').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('after a save the list shows the saved row on its page, marked, and drops ?saved', async () => {
  const made = await seed(Array.from({ length: 12 }, (_, i) => `Conn ${i + 1}`));
  const target = made[10];
  const { page, context, errors } = await open();
  await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('5');
  await page.getByText('1-5 of 12').waitFor();
  await page.goto(`${stack.server.url}/?saved=${target.id}`);
  const row = page.locator(`tbody tr[data-id="${target.id}"]`);
  await row.waitFor();
  await until(async () => (await row.getAttribute('aria-current')) === 'true', 'the saved row is marked');
  await page.getByText('11-12 of 12').waitFor();
  await until(async () => !page.url().includes('saved='), 'saved dropped from the URL');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an empty list offers Add; a 401 says the session is not authorised', async () => {
  const { page, context } = await open();
  await page.getByText('No connections have been created yet').waitFor();
  await page.getByText('0-0 of 0').waitFor();
  await page.getByRole('status').getByRole('button', { name: 'Add connection' }).click();
  await page.waitForURL('**/new');
  await context.close();

  const locked = await startServer({ env: { CLOUDINARY_CONNECTIONS_TOKEN: 'sekrit-token-of-at-least-32-characters' } });
  try {
    const context2 = await stack.chrome.browser.newContext();
    const page2 = await context2.newPage();
    await page2.goto(locked.url + '/');
    await page2.getByRole('alert').getByText('not authorised').waitFor();
    await page2.getByRole('button', { name: 'Retry' }).waitFor();
    await context2.close();
  } finally {
    await locked.stop();
  }
});
