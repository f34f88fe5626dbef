// The standalone page asks for the list's first page while the app loads (the script at the
// end of index.html; src/early.rs): the list shows that answer and asks no second time, for
// the default address and for addresses naming a filter, a sort, a page and a page size. An
// address the script cannot match (a stored page size it does not read the same) still shows
// the right rows: the app then asks itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, seedConnections, clearConnections } from './harness.mjs';

const stack = setup();

const NAMES = ['Shop Alpha', 'Shop Beta', 'Shop Gamma', 'Shop (Delta)', 'Shop Echo', 'Shop Foxtrot', 'Other'];

/** The ids of the rows on screen once the first rows are drawn, and the list requests made. */
async function firstRows(path, { storage } = {}) {
  const context = await stack.chrome.browser.newContext();
  if (storage) {
    await context.addInitScript((s) => localStorage.setItem('cloudinary-connections.list.v1', s), storage);
  }
  const page = await context.newPage();
  const asked = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/connections') asked.push(r.url());
  });
  await page.goto(stack.server.url + path);
  await page.waitForFunction(() => performance.getEntriesByName('cc:rows-shown').length > 0);
  const ids = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.id)));
  await context.close();
  return { ids, asked };
}

test('the list takes over the page asked for while the app loaded and asks no second time', async () => {
  await clearConnections(stack.server);
  const seeded = await seedConnections(stack.server, NAMES);
  const id = (name) => seeded.find((c) => c.name === name).id;
  const byName = [...NAMES].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  const shops = byName.filter((n) => n.startsWith('Shop'));
  const cases = [
    ['/', NAMES],
    ['/?q=shop&sort=name&order=desc&size=5', [...shops].reverse().slice(0, 5)],
    ['/?q=%20(delta)%20', ['Shop (Delta)']],
    ['/?sort=name&page=2&size=5', byName.slice(5)],
    // Decoded once (`%2541` is the text `%41`, which no name holds), `+` is a space, and the
    // first value of a repeated key counts: the script and the app read these alike.
    ['/?q=%2541', []],
    ['/?sort=name&page=+2&size=5&size=25', byName.slice(5)],
    ['/?q=shop+(delta)&q=other', ['Shop (Delta)']],
  ];
  for (const [path, names] of cases) {
    const { ids, asked } = await firstRows(path);
    assert.deepEqual(ids, names.map(id), path);
    assert.equal(asked.length, 1, `${path} asked once: ${asked.join(' ')}`);
  }
});

test('a page the script asks for wrongly is dropped and the app asks for the right one', async () => {
  await clearConnections(stack.server);
  const seeded = await seedConnections(stack.server, NAMES);
  // A stored size of 5 with columns the app cannot read: the app falls back to 25 rows,
  // the script (which reads only the size) asks for 5.
  const { ids, asked } = await firstRows('/', { storage: JSON.stringify({ columns: 'unreadable', page_size: 5 }) });
  assert.deepEqual(ids, seeded.map((c) => c.id));
  assert.equal(asked.length, 2, asked.join(' '));
  assert.match(asked[0], /limit=5\b/);
  assert.match(asked[1], /limit=25\b/);
});
