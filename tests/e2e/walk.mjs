// A walk through every screen and state of the app, in one locale, for the accessibility audit
// (a11y.test.mjs) and the language check (locale.test.mjs). Accessible names come from the
// catalogues (catalogue.json, written from src/i18n by a native test), so one walk serves both
// languages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { clearConnections, pageErrors, seedConnections } from './harness.mjs';

/** Both catalogues: `{ en: { texts, templates }, de: { … }, placeholder }`. */
export const CATALOGUE = JSON.parse(readFileSync(join(import.meta.dirname, 'catalogue.json'), 'utf8'));

/** The texts of `lang`: `t(key)` for a fixed text, `tpl(name, ...params)` for one with parameters. */
export function texts(lang) {
  const c = CATALOGUE[lang];
  const t = (k) => {
    assert.ok(k in c.texts, `no text ${k}`);
    return c.texts[k];
  };
  const tpl = (name, ...params) => {
    assert.ok(name in c.templates, `no template ${name}`);
    return c.templates[name].split(CATALOGUE.placeholder)
      .map((part, i) => (i === 0 ? part : String(params[i - 1]) + part)).join('');
  };
  /** A RegExp for the start of a template up to its first parameter ("Spalten (" …). */
  const prefix = (name) => new RegExp('^' + escape(c.templates[name].split(CATALOGUE.placeholder)[0]));
  return { t, tpl, prefix };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A fresh context with the standalone page in `lang` (its `<html lang>`, which the app reads
 * when the host gives no locale) and `colorScheme`. CSP is bypassed so that a test can add
 * axe-core's script to the page.
 */
export async function openApp(browser, { lang = 'en', colorScheme = 'light' } = {}) {
  const context = await browser.newContext({
    colorScheme,
    bypassCSP: true,
    locale: lang === 'de' ? 'de-DE' : 'en-US',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
  });
  await context.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const res = await route.fetch();
    const html = (await res.text()).replace(/<html lang="[^"]*">/, `<html lang="${lang}">`);
    const headers = { ...res.headers() };
    delete headers['content-encoding'];
    delete headers['content-length'];
    return route.fulfill({ response: res, body: html, headers });
  });
  const page = await context.newPage();
  const errors = pageErrors(page);
  return { context, page, errors };
}

/** The screens and states the walk visits, in order. */
export const STATES = [
  'empty list', 'list with rows', 'no match', 'columns bar open', 'rows selected', 'delete dialog',
  'new connection without a driver', 'new connection with a driver', 'validation errors',
  'Test connection rate limited', 'edit view', 'discard dialog', '412 banner',
];

/**
 * Walks every state of STATES on `page` (from `openApp`) in `lang`, calling `visit(state)`
 * in each once it is on screen. Starts from an empty server (deletes every connection).
 */
export async function walk(page, server, lang, visit) {
  const { t, tpl, prefix } = texts(lang);
  const button = (name) => page.getByRole('button', { name, exact: true });
  const field = (name) => page.getByLabel(name, { exact: true });
  // A confirmation is a dialog or an alertdialog.
  const dialog = (name) => page.getByRole('alertdialog', { name, exact: true })
    .or(page.getByRole('dialog', { name, exact: true }));
  page.setDefaultTimeout(20_000);
  await clearConnections(server);

  await page.goto(server.url + '/');
  await page.locator(`.cc-root[lang="${lang}"]`).waitFor();
  await page.getByText(t('Empty'), { exact: true }).waitFor();
  await visit('empty list');

  // Rows in three states: connected, rate limited, invalid credentials (see harness.mjs).
  const [alpha] = await seedConnections(server, ['Alpha'], { region: 'eu' });
  await seedConnections(server, ['Limited'], { cloudName: 'limited-cloud', region: 'eu' });
  await seedConnections(server, ['Rejected'], { cloudName: 'bad-cloud', region: 'eu' });
  await button(t('Refresh')).click();
  await page.getByRole('cell', { name: 'Rejected', exact: true }).waitFor();
  await page.getByText(t('StatusRateLimited'), { exact: true }).first().waitFor();
  await visit('list with rows');

  // No match: the table stays in the page, hidden, its rows kept for the next page with rows;
  // nothing of it is exposed or reachable.
  const filter = page.getByRole('searchbox', { name: t('Filter'), exact: true });
  await filter.fill('zzz');
  await page.getByText(tpl('no_match', 'zzz'), { exact: true }).waitFor();
  assert.equal(await page.locator('.cc-table-wrap[hidden] tbody tr').count(), 3, 'the rows are kept');
  assert.equal(await page.getByRole('table').count(), 0, 'no table exposed');
  assert.equal(await page.getByRole('row').count(), 0, 'no row exposed');
  assert.equal(await page.getByRole('checkbox').count(), 0, 'no checkbox exposed');
  const reached = await page.evaluate(() => [...document.querySelectorAll('.cc-table-wrap *')]
    .filter((el) => el.checkVisibility()).length);
  assert.equal(reached, 0, 'nothing of the table is rendered');
  await visit('no match');
  await button(t('ClearFilter')).click();
  await page.getByRole('cell', { name: 'Rejected', exact: true }).waitFor();
  assert.equal(await filter.inputValue(), '');

  const columns = page.getByRole('button', { name: prefix('columns') });
  await columns.click();
  await page.getByRole('region', { name: t('ColumnsBar'), exact: true }).waitFor();
  await visit('columns bar open');
  await columns.click();
  await page.getByRole('region', { name: t('ColumnsBar'), exact: true }).waitFor({ state: 'detached' });

  for (const name of ['Alpha', 'Limited', 'Rejected']) {
    await page.getByRole('checkbox', { name: tpl('select_row', name), exact: true }).check();
  }
  await page.getByText(tpl('selected', 3), { exact: true }).first().waitFor();
  await visit('rows selected');

  await page.getByRole('group', { name: t('SelectionToolbar'), exact: true })
    .getByRole('button', { name: t('Delete'), exact: true }).click();
  const del = dialog(tpl('delete_title_n', 3));
  await del.waitFor();
  await visit('delete dialog');
  await del.getByRole('button', { name: t('Cancel'), exact: true }).click();
  await del.waitFor({ state: 'hidden' });

  await button(t('Add')).first().click();
  await page.getByRole('heading', { name: t('CreateTitle'), exact: true }).waitFor();
  await page.getByText(t('ChooseDriverHint'), { exact: true }).waitFor();
  await visit('new connection without a driver');

  await field(t('Driver')).selectOption({ label: CATALOGUE[lang].texts.driver });
  await page.getByRole('group', { name: t('Credentials'), exact: true }).waitFor();
  await visit('new connection with a driver');

  await field(CATALOGUE[lang].texts['field.cloud_name']).fill('9 lives');
  await button(t('Save')).click();
  await page.getByText(t('SaveInvalid'), { exact: true }).waitFor();
  await page.getByText(CATALOGUE[lang].texts['problem.required.name']).first().waitFor();
  await visit('validation errors');

  await field(t('Name')).fill('Tested');
  await field(CATALOGUE[lang].texts['field.cloud_name']).fill('limited-cloud');
  await field(CATALOGUE[lang].texts['field.api_key']).fill('123456789012345');
  await field(CATALOGUE[lang].texts['field.api_secret']).fill('Typed_secret');
  await button(t('TestConnection')).click();
  // The limit's end (`retry_at`) in the user's language and time zone (Europe/Berlin).
  const when = lang === 'de' ? '25.11.2026, 12:00' : 'Nov 25, 2026, 12:00';
  await page.getByRole('status').filter({ hasText: tpl('retry_after', when).replace(/\.$/, '') }).waitFor();
  await visit('Test connection rate limited');

  await page.goto(`${server.url}/${alpha.id}`);
  await page.getByRole('heading', { name: 'Alpha', exact: true }).waitFor();
  await visit('edit view');

  await field(CATALOGUE[lang].texts['field.cloud_name']).fill('changed-cloud');
  await button(t('Back')).click();
  const discard = dialog(t('DiscardTitle'));
  await discard.waitFor();
  await visit('discard dialog');
  await page.keyboard.press('Escape');
  await discard.waitFor({ state: 'hidden' });

  const other = await server.api(`/api/connections/${alpha.id}`, {
    method: 'PUT',
    headers: { 'if-match': `"${alpha.version}"` },
    body: JSON.stringify({ name: 'Alpha', driver: alpha.driver, fields: { ...alpha.fields, cloud_name: 'theirs' } }),
  });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  await button(t('Save')).click();
  await page.getByText(t('Conflict'), { exact: true }).waitFor();
  await visit('412 banner');
}
