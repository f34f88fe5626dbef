// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside
// each compressible file of the built app, so the server sends them as they
// are instead of compressing on every request. Usage: node scripts/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.wasm', '.css', '.json', '.svg', '.txt']);

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (COMPRESSIBLE.has(extname(name))) {
      const raw = readFileSync(path);
      const br = brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          [constants.BROTLI_PARAM_MODE]: extname(name) === '.wasm'
            ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        },
      });
      writeFileSync(`${path}.br`, br);
      writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
    }
  }
}

walk(process.argv[2] ?? 'dist');
