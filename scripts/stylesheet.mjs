// Writes the app's one stylesheet, `cloudinary-connections.css`: style/main.css,
// style/list.css and style/form.css in that order, without comments and without
// the whitespace CSS does not need (about a quarter of the file's brotli size).
// Conservative on purpose: text inside quotes is copied as it is, and a space is
// only dropped beside `{`, `}`, `;`, `,` and after `:`, where it never changes the
// meaning (a space *before* `:` is a descendant combinator, `.a :where(…)`, and
// stays). Run by Trunk's post_build hook (the staging dir from TRUNK_STAGING_DIR).
// Usage: node scripts/stylesheet.mjs [out-dir]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['style/main.css', 'style/list.css', 'style/form.css'];

export function minify(css) {
  // Segments: quoted text (copied as it is) and the rest (minified).
  const parts = [];
  let plain = '';
  let i = 0;
  while (i < css.length) {
    const c = css[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === '\\' ? 2 : 1;
      parts.push(squeeze(plain), css.slice(i, j + 1));
      plain = '';
      i = j + 1;
    } else if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 2;
      plain += ' '; // a comment between two words still separates them
    } else {
      plain += c;
      i++;
    }
  }
  parts.push(squeeze(plain));
  return parts.join('').trim() + '\n';
}

function squeeze(text) {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}');
}

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
const css = SOURCES.map((f) => readFileSync(f, 'utf8')).join('\n');
writeFileSync(join(dir, 'cloudinary-connections.css'), minify(css));
