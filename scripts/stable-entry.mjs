// Writes `cloudinary-connections.js`, the stable entry a host page imports
// (docs/embedding.md), beside Trunk's hashed module: it re-exports that module,
// which loads its hashed wasm relative to itself. The entry is a few bytes and
// revalidated on every load (`no-cache`); the hashed files never change and are
// cached for a year. Run by Trunk's post_build hook (the staging dir from TRUNK_STAGING_DIR).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
// Trunk writes its 64-bit hash as hex without leading zeros: 16 digits or fewer
// (one build in 16 has 15).
const hashed = readdirSync(dir).filter((f) => /^cloudinary-connections-[0-9a-f]{1,16}\.js$/.test(f));
if (hashed.length !== 1) {
  console.error(`stable-entry: expected one hashed cloudinary-connections module in ${dir}, found ${hashed.length}`);
  process.exit(1);
}
const target = `./${hashed[0]}`;
// wasm-bindgen's `init()` looks for the wasm under its unhashed name; the entry
// points it at the hashed file beside the module, unless the caller says otherwise.
const wasm = `./${hashed[0].replace(/\.js$/, '_bg.wasm')}`;
writeFileSync(
  join(dir, 'cloudinary-connections.js'),
  `// Stable entry (revalidated); the app is the hashed module (cached for a year).
import init from '${target}';
export * from '${target}';
export default function (options) {
  return init(options ?? { module_or_path: new URL('${wasm}', import.meta.url) });
}
`,
);
