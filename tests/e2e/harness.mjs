// Shared end-to-end harness: the real server binary with the built app and a
// temporary data dir, a loopback stand-in for Cloudinary, and headless Chromium; `setup`
// starts them for a file's tests and stops them after; connections made and removed through
// the API; a fresh page with its script errors collected.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const SERVER = join(ROOT, 'target', 'release', 'connections-server');

/** Starts the server on a free loopback port; resolves once it prints its URL. */
export async function startServer({ env = {}, dataDir } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'cc-e2e-'));
  const child = spawn(SERVER, [], {
    cwd: ROOT,
    env: {
      ...process.env,
      CLOUDINARY_CONNECTIONS_ADDR: '127.0.0.1:0',
      CLOUDINARY_CONNECTIONS_DATA_DIR: dir,
      CLOUDINARY_CONNECTIONS_DIST: join(ROOT, 'dist'),
      RUST_LOG: 'warn',
      // Every Test calls the stand-in (the server's 5-second reuse window is tested natively).
      CLOUDINARY_CONNECTIONS_VERIFY_REUSE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/[^\s]+)/);
      if (m) ok(m[1].replace(/\/$/, ''));
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    dataDir: dir,
    pid: child.pid,
    logs: () => stderr,
    async api(path, init = {}) {
      const res = await fetch(url + path, {
        ...init,
        headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `X-FeatureRateLimit-Reset` value the fake Cloudinary sends with 420/429. */
export const RATE_LIMIT_RESET = 'Wed, 25 Nov 2026 11:00:00 GMT';

/**
 * A loopback stand-in for Cloudinary's Admin API: `GET /v1_1/{cloud}/ping`.
 * Cloud names decide the answer: `bad-html*` → 401 with an HTML body, `bad-*` → 401 JSON,
 * `forbidden*` → 403, `missing-*` → 404, `limited*` → 429 and `enhance*` → 420 (both with
 * `X-FeatureRateLimit-Reset: RATE_LIMIT_RESET`), `broken*` → 500, `slow*` → no answer (the
 * server's timeout), anything else → 200.
 */
export async function startFakeCloudinary() {
  const calls = [];
  const server = createServer((req, res) => {
    calls.push({ url: req.url, auth: req.headers.authorization ?? '' });
    const m = req.url.match(/^\/v1_1\/([^/]+)\/ping/);
    if (!m) { res.writeHead(404); res.end(); return; }
    const cloud = m[1];
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (cloud.startsWith('bad-html')) {
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<html><body><h1>401 Unauthorized</h1></body></html>');
      return;
    }
    if (cloud.startsWith('bad')) return json(401, { error: { message: 'Invalid api_key' } });
    if (cloud.startsWith('forbidden')) return json(403, { error: { message: 'Forbidden' } });
    if (cloud.startsWith('limited') || cloud.startsWith('enhance')) {
      res.writeHead(cloud.startsWith('limited') ? 429 : 420, {
        'content-type': 'application/json',
        'x-featureratelimit-reset': RATE_LIMIT_RESET,
      });
      res.end(JSON.stringify({ error: { message: 'Rate Limit Exceeded' } }));
      return;
    }
    if (cloud.startsWith('broken')) return json(500, {});
    if (cloud.startsWith('slow')) return; // never answers
    if (cloud.startsWith('missing')) return json(404, { error: { message: 'Unknown cloud' } });
    return json(200, { status: 'ok' });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}

/** Collects `page`'s uncaught exceptions into the array it returns. */
export function pageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Collects `page`'s script errors (uncaught exceptions and console errors) into the array it returns. */
export function scriptErrors(page) {
  const errors = pageErrors(page);
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

/** Headless Debian Chromium, as root, with no network beyond loopback. */
export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cc-chromium-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * How many event listeners `window` and `document` of `page` hold, by the DevTools
 * protocol's `DOMDebugger.getEventListeners` (what the page's own script cannot see).
 */
export async function listenerCounts(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const count = async (expression) => {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
      return listeners.length;
    };
    return { window: await count('window'), document: await count('document') };
  } finally {
    await cdp.detach();
  }
}

/** The JS heap `page` uses after a forced garbage collection, in bytes. */
export async function heapAfterGc(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

/**
 * Starts, before the calling file's tests, the loopback Cloudinary (unless `cloud: false`;
 * the server's `CLOUDINARY_API_BASE` points at it), the server with `env`, and Chromium
 * (unless `browser: false`); stops them after. The returned object holds them (`server`,
 * `cloud`, `chrome`) once the tests run.
 */
export function setup({ cloud = true, browser = true, env = {} } = {}) {
  const stack = {};
  before(async () => {
    if (cloud) stack.cloud = await startFakeCloudinary();
    const base = cloud ? { CLOUDINARY_API_BASE: stack.cloud.base } : {};
    stack.server = await startServer({ env: { ...base, ...env } });
    if (browser) stack.chrome = await launchBrowser();
  });
  after(async () => {
    await stack.chrome?.close();
    await stack.server?.stop();
    await stack.cloud?.stop();
  });
  return stack;
}

/** A fresh context (fresh storage; `viewport` if given) with a page at `url`, its script errors collected. */
export async function openPage(chrome, url, { viewport } = {}) {
  const context = await chrome.browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  const errors = scriptErrors(page);
  await page.goto(url);
  return { page, context, errors };
}

/** Deletes every connection of `server` (`headers`: a token, say), so a test starts from an empty list. */
export async function clearConnections(server, { headers = {} } = {}) {
  for (;;) {
    const res = await server.api('/api/connections?limit=500', { headers });
    assert.equal(res.status, 200);
    if (res.body.items.length === 0) return;
    for (const c of res.body.items) {
      const del = await server.api(`/api/connections/${c.id}`, { method: 'DELETE', headers });
      assert.equal(del.status, 204);
    }
  }
}

/**
 * Creates a Cloudinary connection per name through the API (cloud `cloudName`, `region` if
 * given); returns them as the server answered.
 */
export async function seedConnections(server, names, { cloudName = 'demo', region, headers = {} } = {}) {
  const out = [];
  for (const name of names) {
    const fields = { cloud_name: cloudName, api_key: '123456789012345', api_secret: 'seed-secret_1' };
    if (region) fields.region = region;
    const res = await server.api('/api/connections', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name, driver: 'cloudinary-default', fields }),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    out.push(res.body);
  }
  return out;
}

/** Polls `f` until it returns true (no fixed sleeps); fails naming `what` after 10 s. */
export async function until(f, what) {
  for (let i = 0; i < 400; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for: ${what}`);
}
