// The accessibility audit: axe-core (pinned in package.json) on every screen and state of
// walk.mjs, in English and German, in the light and the dark colour scheme, with the WCAG 2.0,
// 2.1 and 2.2 A and AA rules. Any violation fails, named by state, rule and element.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, startFakeCloudinary, launchBrowser } from './harness.mjs';
import { openApp, walk, STATES } from './walk.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let server;
let cloud;
let chrome;

before(async () => {
  cloud = await startFakeCloudinary();
  server = await startServer({ env: { CLOUDINARY_API_BASE: cloud.base } });
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
  await cloud?.stop();
});

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
  const { page, context } = await openApp(chrome.browser);
  await page.goto(server.url + '/');
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
      const { page, context, errors } = await openApp(chrome.browser, { lang, colorScheme });
      const found = [];
      const seen = [];
      await walk(page, server, lang, async (state) => {
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
