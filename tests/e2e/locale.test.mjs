// The language walk: every screen and state of walk.mjs in German must show no text of the
// English catalogue, and in English none of the German one — in visible text, `aria-label`,
// `title`, `placeholder` and `alt`. The catalogues come from src/i18n (catalogue.json, kept
// current by a native test); a text identical in both catalogues ("Name", "Filter") is no
// evidence either way and is left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from './harness.mjs';
import { CATALOGUE, openApp, walk, STATES } from './walk.mjs';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every text of `lang`'s catalogue: fixed texts, and templates with `{}` for parameters. */
function all(lang) {
  const c = CATALOGUE[lang];
  return [...Object.values(c.texts), ...Object.values(c.templates)];
}

/**
 * The matchers for the texts of `other` that `lang` does not have: a fixed text matches a
 * piece of the page that is that text, or (for a text of several words) contains it; a template
 * matches a piece that reads as the template with anything in its parameters' places.
 */
function foreignMatchers(lang) {
  const other = lang === 'en' ? 'de' : 'en';
  const own = new Set(all(lang));
  const P = CATALOGUE.placeholder;
  return all(other).filter((s) => !own.has(s)).flatMap((s) => {
    if (!s.includes(P)) {
      const words = s.trim().includes(' ');
      return [{ text: s, test: (u) => u === s.trim() || (words && u.includes(s.trim())) }];
    }
    const parts = s.split(P);
    if (parts.join('').trim().length < 3) return [];
    const re = new RegExp('^' + parts.map(escape).join('.+?') + '$', 's');
    return [{ text: s, test: (u) => re.test(u) }];
  });
}

/** The pieces of text the page shows or gives assistive technology. */
async function pieces(page) {
  return page.evaluate(() => {
    const out = [];
    const norm = (s) => s.replace(/\s+/g, ' ').trim();
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('script, style')) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data);
      for (const t of own) out.push(norm(t));
      out.push(norm(own.join('')));
      out.push(norm(el.innerText ?? ''));
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-placeholder', 'aria-roledescription']) {
        const v = el.getAttribute(a);
        if (v) out.push(norm(v));
      }
    }
    return [...new Set(out)].filter(Boolean);
  });
}

function foreignIn(units, matchers) {
  const hits = [];
  for (const m of matchers) {
    const u = units.find((x) => m.test(x));
    if (u !== undefined) hits.push(`${JSON.stringify(m.text)} in ${JSON.stringify(u.slice(0, 160))}`);
  }
  return hits;
}

const stack = setup();

test('the check finds a text of the other catalogue, plain or with parameters', () => {
  const de = foreignMatchers('de');
  const en = foreignMatchers('en');
  assert.ok(foreignIn(['Refresh'], de).length > 0);
  assert.ok(foreignIn(['3 selected'], de).length > 0);
  assert.ok(foreignIn(['Move Cloud name up'], de).length > 0);
  assert.deepEqual(foreignIn(['Aktualisieren', '3 ausgewählt', 'Name', 'Filter', 'Status'], de), []);
  assert.ok(foreignIn(['Aktualisieren'], en).length > 0);
  assert.ok(foreignIn(['1-25 von 40'], en).length > 0);
  assert.deepEqual(foreignIn(['Refresh', 'Name'], en), []);
});

for (const lang of ['de', 'en']) {
  test(`every screen in ${lang} shows no text of the other catalogue`, async () => {
    const { page, context, errors } = await openApp(stack.chrome.browser, { lang });
    const matchers = foreignMatchers(lang);
    const own = all(lang).filter((s) => !s.includes(CATALOGUE.placeholder) && !all(lang === 'en' ? 'de' : 'en').includes(s));
    const found = [];
    const seen = [];
    await walk(page, stack.server, lang, async (state) => {
      seen.push(state);
      const units = await pieces(page);
      assert.ok(own.some((s) => units.includes(s.trim())), `${state}: no text of the ${lang} catalogue found`);
      for (const hit of foreignIn(units, matchers)) found.push(`${state}: ${hit}`);
      // Longer words must not be cut off: no column header or status word is clipped.
      const clipped = await page.locator('.cc-table th, .cc-table td.cc-col-status').evaluateAll((cells) =>
        cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.innerText.trim()));
      for (const c of clipped) found.push(`${state}: cut off: ${JSON.stringify(c)}`);
    });
    await context.close();
    assert.deepEqual(seen, STATES);
    assert.deepEqual(found, [], `texts of the other language:\n${found.join('\n')}`);
    assert.deepEqual(errors, []);
  });
}
