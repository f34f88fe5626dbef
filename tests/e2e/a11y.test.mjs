// The accessibility audit: axe-core (pinned in package.json) on every screen and state of
// walk.mjs, in English and German, in the light and the dark colour scheme, with the WCAG 2.0,
// 2.1 and 2.2 A and AA rules. Any violation fails, named by state, rule and element.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setup, clearConnections, seedConnections } from './harness.mjs';
import { CATALOGUE, openApp, texts, walk, STATES } from './walk.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const stack = setup();

/** axe's violations on `page` now, as readable lines. */
async function audit(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), TAGS);
  return result.violations.flatMap((v) => v.nodes.map((n) =>
    `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`));
}

test('axe: the audit finds a planted violation (the check is wired up)', async () => {
  const { page, context } = await openApp(stack.chrome.browser);
  await page.goto(stack.server.url + '/');
  await page.locator('.cc-root').waitFor();
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'Barely readable';
    p.style.cssText = 'color:#999;background:#aaa';
    document.querySelector('.cc-root').append(p);
  });
  const found = await audit(page);
  await context.close();
  assert.ok(found.some((l) => l.startsWith('color-contrast')), found.join('\n'));
});

for (const lang of ['en', 'de']) {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe: no WCAG 2.2 A/AA violation on any screen (${lang}, ${colorScheme})`, async () => {
      const { page, context, errors } = await openApp(stack.chrome.browser, { lang, colorScheme });
      const found = [];
      const seen = [];
      await walk(page, stack.server, lang, async (state) => {
        seen.push(state);
        if (seen.length === 1) {
          const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.cc-root')).backgroundColor);
          assert.equal(bg, colorScheme === 'dark' ? 'rgb(22, 27, 34)' : 'rgb(255, 255, 255)', 'the colour scheme applies');
        }
        for (const line of await audit(page)) found.push(`${state}: ${line}`);
      });
      await context.close();
      assert.deepEqual(seen, STATES, 'every state audited');
      assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
      assert.deepEqual(errors, []);
    });
  }
}

test('announcements: count, Test, saved, deleted — all through the one live region, kept across screens', async () => {
  const { t, tpl } = texts('en');
  await clearConnections(stack.server);
  await seedConnections(stack.server, ['Alpha'], { region: 'eu' });
  const { page, context, errors } = await openApp(stack.chrome.browser);
  page.setDefaultTimeout(20_000);
  await page.goto(stack.server.url + '/');
  const region = page.locator('.cc-root > [role="status"][aria-live="polite"]');
  await region.waitFor({ state: 'attached' });
  await region.evaluate((el) => { el.ccProbe = true; });
  const same = () => region.evaluate((el) => el.ccProbe === true);
  /** Waits until the region says `text` (or, with `start`, a text starting with it). */
  const says = async (text, { start = false } = {}) => {
    await page.waitForFunction(([sel, want, prefix]) => {
      const said = document.querySelector(sel)?.textContent ?? '';
      return prefix ? said.startsWith(want) : said === want;
    }, ['.cc-root > [role="status"][aria-live="polite"]', text, start]).catch(async (e) => {
      assert.fail(`the live region says ${JSON.stringify(await region.textContent())}, not ${JSON.stringify(text)}: ${e.message}`);
    });
    assert.equal(await page.locator('[aria-live], [role="status"]').filter({ hasText: text }).count(), 1,
      `“${text}” is in one live region only`);
    assert.ok(await same(), 'the same region');
  };

  await page.getByRole('checkbox', { name: tpl('select_row', 'Alpha'), exact: true }).check();
  await says(tpl('selected', 1));
  await page.getByRole('group', { name: t('SelectionToolbar'), exact: true })
    .getByRole('button', { name: t('Test'), exact: true }).click();
  await says(tpl('tested_row', 'Alpha', t('StatusOk')));

  await page.getByRole('button', { name: t('Add'), exact: true }).first().click();
  await page.getByRole('heading', { name: t('CreateTitle'), exact: true }).waitFor();
  assert.equal(await region.textContent(), '', 'emptied when the list went');
  await page.getByLabel(t('Name'), { exact: true }).fill('Beta');
  await page.getByLabel(t('Driver'), { exact: true }).selectOption({ label: CATALOGUE.en.texts.driver });
  await page.getByLabel('Cloud-Name', { exact: true }).fill('beta-cloud');
  await page.getByLabel('API-Key', { exact: true }).fill('123456789012345');
  await page.getByLabel('API-Secret', { exact: true }).fill('Beta_secret');
  await page.getByRole('button', { name: t('TestConnection'), exact: true }).click();
  await says(`${t('StatusOk')}:`, { start: true }); // "Connected: <the server's detail>"
  await page.getByRole('button', { name: t('Save'), exact: true }).click();
  await says(tpl('saved_announce', 'Beta'));

  await page.getByRole('checkbox', { name: tpl('select_row', 'Beta'), exact: true }).check();
  await page.getByRole('group', { name: t('SelectionToolbar'), exact: true })
    .getByRole('button', { name: t('Delete'), exact: true }).click();
  await page.getByRole('alertdialog', { name: tpl('delete_title_1'), exact: true })
    .getByRole('button', { name: t('Delete'), exact: true }).click();
  await says(tpl('deleted', 'Beta'));
  await context.close();
  assert.deepEqual(errors, []);
});
