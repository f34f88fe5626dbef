// The built app's files as the real server sends them (after `make build`): the stable entry
// host pages import is revalidated on every load; the hashed module it names and that module's
// wasm are sent precompressed (the .br/.gz `scripts/precompress.mjs` wrote) and cached for a
// year; `index.html` is revalidated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { setup } from './harness.mjs';

const stack = setup({ cloud: false, browser: false });

/** Status, headers and body bytes of GET `path` with `encoding` accepted, as sent. */
function get(path, encoding) {
  return new Promise((ok, fail) => {
    const req = request(stack.server.url + path, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

const YEAR = 'public, max-age=31536000, immutable';

test('the stable entry is revalidated and names the hashed module, which is kept for a year', async () => {
  const entry = await get('/cloudinary-connections.js', 'identity');
  assert.equal(entry.status, 200);
  assert.equal(entry.headers['cache-control'], 'no-cache');
  const module = entry.body.toString().match(/'\.\/(cloudinary-connections-[0-9a-f]{1,16}\.js)'/)?.[1];
  assert.ok(module, `the entry names a hashed module: ${entry.body}`);
  const wasm = module.replace(/\.js$/, '_bg.wasm');
  for (const path of [`/${module}`, `/${wasm}`]) {
    const br = await get(path, 'gzip, deflate, br');
    assert.equal(br.status, 200, path);
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(br.headers['cache-control'], YEAR, path);
    assert.equal(br.headers.vary?.toLowerCase(), 'accept-encoding', path);
    const gz = await get(path, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    const plain = await get(path, 'identity');
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.ok(br.body.length < plain.body.length / 2, `${path}: ${br.body.length} of ${plain.body.length} bytes`);
  }
});

test('the page is revalidated and loads the hashed module', async () => {
  const page = await get('/', 'br');
  assert.equal(page.status, 200);
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.equal(page.headers['content-encoding'], 'br');
  const html = (await get('/', 'identity')).body.toString();
  assert.match(html, /cloudinary-connections-[0-9a-f]{1,16}\.js/);
});
