// The app inside a host page, end to end: the example shell (examples/shell/) served by the
// real server with a token, the built module, a loopback stand-in for Cloudinary, Chromium.
// Elements are found by role and accessible name; the shell records the app's events.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, setup, scriptErrors, listenerCounts, clearConnections, seedConnections,
} from './harness.mjs';

// At least 32 characters, as the server requires of a token.
const TOKEN = 'e2e-shell-token-0123456789abcdef0123456789';
const STALE = 'e2e-stale-token-fedcba9876543210fedcba9876';
const SHELL = '/examples/shell/';

const stack = setup({ env: { CLOUDINARY_CONNECTIONS_TOKEN: TOKEN } });

const withToken = { headers: { authorization: `Bearer ${TOKEN}` } };

beforeEach(() => clearConnections(stack.server, withToken));

async function seed(name) {
  const [made] = await seedConnections(stack.server, [name], withToken);
  return made;
}

/** The example shell in a fresh context; `query` adds its parameters (see shell.js). */
async function openShell(query = {}, { colorScheme = 'light' } = {}) {
  const context = await stack.chrome.browser.newContext({ colorScheme, viewport: { width: 1100, height: 700 } });
  const page = await context.newPage();
  const errors = scriptErrors(page);
  const qs = new URLSearchParams({ token: TOKEN, ...query });
  await page.goto(`${stack.server.url}${SHELL}?${qs}`);
  await page.locator('html[data-shell-ready="true"]').waitFor({ state: 'attached' });
  return { page, errors, close: () => context.close() };
}

const tab = (page, name) => page.getByRole('tab', { name, exact: true });
const refresh = (page) => page.getByRole('button', { name: 'Refresh' });
const events = (page, type) =>
  page.evaluate((t) => window.shell.events.filter((e) => e.type === `cloudinary-connections:${t}`), type);
async function waitForEvent(page, type, count = 1) {
  await page.waitForFunction(
    ([t, n]) => window.shell.events.filter((e) => e.type === `cloudinary-connections:${t}`).length >= n,
    [type, count],
  );
  return events(page, type);
}

test('importing and initialising the module leaves a page untouched', async () => {
  const context = await stack.chrome.browser.newContext();
  const page = await context.newPage();
  const errors = scriptErrors(page);
  await page.goto(`${stack.server.url}/examples/shell/bare.html`);
  const before = await page.evaluate(() => ({ body: document.body.innerHTML, head: document.head.innerHTML }));
  const listenersBefore = await listenerCounts(page);
  await page.locator('html[data-initialised="true"]').waitFor({ state: 'attached' });

  const afterInit = await page.evaluate(() => ({ body: document.body.innerHTML, head: document.head.innerHTML }));
  assert.equal(afterInit.body, before.body, 'nothing mounted into the body');
  assert.equal(afterInit.head, before.head, 'no stylesheet or script added');
  assert.deepEqual(await listenerCounts(page), listenersBefore, 'no listener on window or document');
  assert.equal(await page.getByText('does not exist').count(), 0);
  assert.equal(await page.evaluate(() => typeof customElements.get('cloudinary-connections')), 'function',
    'the custom element is defined');
  assert.deepEqual(errors, []);
  await context.close();
});

test('mount shows the toolbar under the base path; the page path outside it shows the list', async () => {
  const { page, errors, close } = await openShell();
  await refresh(page).waitFor();
  await page.getByRole('button', { name: 'Add', exact: true }).first().waitFor();
  await page.getByText('No connections have been created yet').waitFor();
  const [ready] = await waitForEvent(page, 'ready');
  assert.deepEqual(ready.detail, {});
  assert.equal(new URL(page.url()).pathname, SHELL, 'the host page keeps its path');
  assert.deepEqual(errors, []);
  await close();
});

for (const mode of ['mount', 'element']) {
  test(`update to another locale keeps a typed Filter value; unmount empties the element (${mode})`, async () => {
    const { page, errors, close } = await openShell({ mode });
    const filter = page.getByRole('searchbox', { name: 'Filter' });
    await filter.fill('kept while switching');
    assert.equal(await page.locator('.cc-root').getAttribute('lang'), 'en');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await page.locator('.cc-root[lang="de"]').waitFor();
    assert.equal(await filter.inputValue(), 'kept while switching');
    assert.equal(await page.locator('.cc-root').count(), 1, 'updated in place, not mounted twice');

    const left = await page.evaluate((m) => {
      if (m === 'element') {
        const el = window.shell.element;
        el.remove();
        return el.childNodes.length;
      }
      window.shell.handle.unmount();
      return document.getElementById('shell-app').childNodes.length;
    }, mode);
    assert.equal(left, 0, 'the host element is empty');
    assert.deepEqual(errors, []);
    await close();
  });
}

test('a second mount into one element replaces the first', async () => {
  const { page, errors, close } = await openShell();
  await refresh(page).waitFor();
  await page.evaluate(() => {
    window.shell.second = window.shellMount(document.getElementById('shell-app'), { apiBase: '/api', token: window.shell.token });
  });
  await refresh(page).waitFor();
  assert.equal(await page.locator('.cc-root').count(), 1);
  assert.deepEqual(errors, []);
  await close();
});

for (const mode of ['mount', 'element']) {
  test(`50 tab switches (${mode}) leave no listener behind and no page error`, async () => {
    const { page, errors, close } = await openShell({ mode });
    await seed('Switch test');
    const cycle = async () => {
      await tab(page, 'Connections').click();
      await page.getByRole('row', { name: /Switch test/ }).waitFor();
      await tab(page, 'Settings').click();
      await page.getByText('Settings of the Cloudinary module.').waitFor();
    };
    await cycle();
    const first = await listenerCounts(page);
    for (let i = 1; i < 50; i++) await cycle();
    assert.deepEqual(await listenerCounts(page), first);
    assert.equal(await page.locator('.cc-root').count(), 0);
    assert.deepEqual(errors, []);
    await close();
  });
}

test('events: ready, navigate, saved, deleted, each with its detail', async () => {
  const { page, errors, close } = await openShell({ mode: 'element' });
  await waitForEvent(page, 'ready');
  await page.getByRole('button', { name: 'Add', exact: true }).first().click();
  await page.getByRole('heading', { name: 'Create connection' }).waitFor();
  const [nav] = await waitForEvent(page, 'navigate');
  assert.deepEqual(nav.detail, { path: '/new' });
  assert.equal(new URL(page.url()).pathname, '/examples/shell/connections/new', 'routes hang under basePath');

  const field = (label) => page.getByLabel(label, { exact: true });
  await field('Name').fill('Shell saved');
  await field('Driver').selectOption({ label: 'Cloudinary default driver' });
  await field('Cloud-Name').fill('shell-cloud');
  await field('API-Key').fill('987654321');
  await field('API-Secret').fill('Shell_s3cret');
  await page.getByRole('button', { name: 'Save' }).click();
  const [saved] = await waitForEvent(page, 'saved');
  assert.equal(saved.detail.name, 'Shell saved');
  assert.equal(saved.detail.created, true);
  assert.equal(typeof saved.detail.id, 'number');
  const navs = await waitForEvent(page, 'navigate', 2);
  assert.deepEqual(navs[1].detail, { path: '/' });

  await page.getByRole('checkbox', { name: 'Select Shell saved', exact: true }).check();
  await page.getByRole('group', { name: 'Selected connections' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  const [deleted] = await waitForEvent(page, 'deleted');
  assert.deepEqual(deleted.detail, { ids: [saved.detail.id] });
  assert.deepEqual(errors, []);
  await close();
});

test('a shell may take the app out in an event listener; the app opens again cleanly', async () => {
  const { page, errors, close } = await openShell();
  await refresh(page).waitFor();
  // As a shell that closes the tab once the user saved.
  await page.evaluate(() => {
    document.getElementById('shell-panel').addEventListener('cloudinary-connections:saved', () => {
      window.shell.select('settings');
    });
  });
  await page.getByRole('button', { name: 'Add', exact: true }).first().click();
  const field = (label) => page.getByLabel(label, { exact: true });
  await field('Name').fill('Closed on save');
  await field('Driver').selectOption({ label: 'Cloudinary default driver' });
  await field('Cloud-Name').fill('shell-cloud');
  await field('API-Key').fill('987654321');
  await field('API-Secret').fill('Shell_s3cret');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Settings of the Cloudinary module.').waitFor();
  assert.equal(await page.locator('.cc-root').count(), 0);

  await tab(page, 'Connections').click();
  await page.getByRole('row', { name: /Closed on save/ }).waitFor();
  assert.deepEqual(errors, []);
  await close();
});

test('a 401 asks getToken again and retries; still refused, the shell hears it; a new token recovers without a reload', async () => {
  const { page, errors, close } = await openShell({ stale: STALE });
  await seed('Behind the token');
  const [unauthorized] = await waitForEvent(page, 'unauthorized');
  assert.deepEqual(unauthorized.detail, { status: 401 });
  await page.getByRole('alert').getByText('not authorised', { exact: false }).waitFor();
  assert.ok(await page.evaluate(() => window.shell.getTokenCalls) >= 2, 'getToken asked again after the 401');
  // Typed while refused: kept, and applied once the list can load.
  await page.getByRole('searchbox', { name: 'Filter' }).fill('Behind the');

  await page.evaluate(() => { window.notReloaded = true; });
  await page.getByRole('button', { name: 'Sign in again' }).click();
  await page.getByRole('row', { name: /Behind the token/ }).waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'no reload');
  assert.equal(await page.getByRole('searchbox', { name: 'Filter' }).inputValue(), 'Behind the');
  // Two 401s of the first try are the browser's own log lines, not script errors.
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await close();
});

test('a getToken that hands over a fresh token after the 401 recovers at once, with no unauthorized event', async () => {
  const { page, errors, close } = await openShell({ stale: STALE });
  await seed('Fresh token');
  await waitForEvent(page, 'unauthorized');
  // The shell's session now refreshes when asked again: stale first, then the new token.
  await page.evaluate(([stale, fresh]) => {
    window.calls = 0;
    window.shell.handle.update({
      getToken: async () => { window.calls += 1; return window.calls === 1 ? stale : fresh; },
    });
  }, [STALE, TOKEN]);
  await page.getByRole('row', { name: /Fresh token/ }).waitFor();
  // The page's request and its one retry with the second token, then the list asks for the
  // drivers' names (after a page came), with the token getToken gives then.
  await page.waitForFunction(() => window.calls === 3);
  assert.equal(await page.evaluate(() => window.calls), 3, 'one retry, then the drivers');
  assert.equal((await events(page, 'unauthorized')).length, 1, 'only the first refusal was reported');
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await close();
});

/** Computed styles of a button, the Filter input and the table's parts. */
function measure(page) {
  return page.evaluate(() => {
    const pick = (el, props) => {
      const cs = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
    };
    const props = ['box-sizing', 'display', 'width', 'height', 'font-size', 'font-family', 'line-height',
      'text-transform', 'background-color', 'color', 'padding-left', 'padding-top', 'border-top-width'];
    const root = document.querySelector('.cc-root');
    const q = (s) => root.querySelector(s);
    return {
      root: pick(root, props),
      button: pick(q('.cc-toolbar .cc-btn'), props),
      add: pick(q('.cc-add'), props),
      filter: pick(q('#cc-filter-input'), props),
      table: pick(q('.cc-table'), props),
      th: pick(q('.cc-table th'), props),
      sort: pick(q('.cc-sort'), props),
      row: pick(q('.cc-table tbody tr'), props),
      checkbox: pick(q('.cc-table tbody input[type="checkbox"]'), props),
    };
  });
}

test('a host with rough global rules changes nothing measurable in the app', async () => {
  await seed('Styled row');
  const shots = join(ROOT, 'test-results');
  mkdirSync(shots, { recursive: true });
  const look = async (query) => {
    const { page, errors, close } = await openShell(query);
    await page.getByRole('row', { name: /Styled row/ }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet));
    const styles = await measure(page);
    const shot = await page.locator('#shell-panel').screenshot({ path: join(shots, `embed-${query.hostile ? 'hostile' : 'plain'}.png`) });
    assert.deepEqual(errors, []);
    await close();
    return { styles, shot };
  };
  const plain = await look({});
  const hostile = await look({ hostile: '1' });
  assert.deepEqual(hostile.styles, plain.styles);
  assert.ok(plain.shot.equals(hostile.shot), 'the app looks the same, pixel for pixel');
});

test('dark colour scheme: the app follows it; a host-set colour wins', async () => {
  const { page, close } = await openShell({}, { colorScheme: 'dark' });
  await refresh(page).waitFor();
  const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('.cc-root')).backgroundColor);
  // The app's stylesheet may arrive just after its first rows: wait for it, then compare.
  await page.waitForFunction(() => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet));
  assert.equal(await bg(), 'rgb(22, 27, 34)');
  await page.evaluate(() => document.getElementById('shell-panel').style.setProperty('--cc-color-background', '#fafafa'));
  assert.equal(await bg(), 'rgb(250, 250, 250)');
  await close();
});
