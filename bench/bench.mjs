// `make bench`: transfer size, UI speed in Chromium, server throughput, cold start.
// Prints one table and writes target/bench/report.json. Figures are medians of
// several runs; UI and server figures are also given as ratios to a baseline
// measured in the same run. Everything started here is stopped here.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, startFakeCloudinary, launchBrowser, heapAfterGc } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SEED = Number(process.env.BENCH_SEED ?? 10000);
/** Paired loads for the first-rows ratio: one load takes 0.1–0.3 s and moves by half that with
 * the machine's load, so the median of 5 pairs moved by ±0.3 between runs. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 5);
const WRK_CONNECTIONS = 16;
const BENCH_DIR = join(ROOT, 'bench');
const OUT_DIR = join(ROOT, 'target', 'bench');
// The list waits this long after the last keystroke before it asks the server (src/list/mod.rs).
const FILTER_DEBOUNCE_MS = 80;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const rows = [];
const report = { date: new Date().toISOString(), cores: cpus().length, runs: RUNS, seed: SEED, figures: {} };
function record(group, name, value, unit, budget = '') {
  rows.push({ group, name, value, unit, budget });
  report.figures[`${group}: ${name}`] = { value, unit, budget };
}

/** A dist copy with the baseline page and a static copy of a list response. */
function benchDist(listJson) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-dist-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true });
  cpSync(join(BENCH_DIR, 'baseline.html'), join(dir, 'baseline.html'));
  cpSync(join(BENCH_DIR, 'baseline.js'), join(dir, 'baseline.js'));
  if (listJson) writeFileSync(join(dir, 'list.json'), listJson);
  return dir;
}

/** Raw bytes the server sends for `path` with the given Accept-Encoding. */
function transferBytes(base, path, encoding) {
  return new Promise((ok, fail) => {
    const req = request(base + path, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
      let n = 0;
      res.on('data', (d) => { n += d.length; });
      res.on('end', () => ok(n));
    });
    req.on('error', fail);
    req.end();
  });
}

async function seed(server, count, concurrency = 8) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await server.api('/api/connections', {
        method: 'POST',
        body: JSON.stringify({
          name: `Shop ${String(i).padStart(5, '0')}`,
          driver: 'cloudinary-default',
          fields: { cloud_name: `cloud${i}`, api_key: String(100000 + i), api_secret: `secret_${i}` },
        }),
      });
      if (res.status !== 201) throw new Error(`seeding failed at ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function rssPeakKb(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) : NaN;
}

/** wrk's arguments for a request that asks for the rows to be read, not the page kept since the last write. */
const NO_CACHE = ['-H', 'Cache-Control: no-cache'];

/** Runs wrk without blocking this process (the fake Cloudinary lives in it). */
async function wrk(url, extra = [], scriptArgs = []) {
  const tail = scriptArgs.length ? ['--', ...scriptArgs] : [];
  const child = spawn('wrk', ['-t2', `-c${WRK_CONNECTIONS}`, `-d${WRK_SECONDS}s`, '--latency', ...extra, url, ...tail]);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`wrk failed (${code}): ${out}`);
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const pct = (p) => {
    const m = out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
    const f = { us: 0.001, ms: 1, s: 1000 }[m[2]];
    return Number(m[1]) * f;
  };
  return { rps, p50: pct(50), p99: pct(99) };
}

// ---------------------------------------------------------------- 1. transfer size
async function transferSize() {
  const server = await startServer();
  try {
    const files = readdirSync(join(ROOT, 'dist')).filter((f) => /\.(wasm|js|css)$/.test(f));
    const total = { raw: 0, gzip: 0, br: 0 };
    for (const kind of ['wasm', 'js', 'css']) {
      const sum = { raw: 0, gzip: 0, br: 0 };
      for (const f of files.filter((f) => f.endsWith('.' + kind))) {
        sum.raw += await transferBytes(server.url, '/' + f, null);
        sum.gzip += await transferBytes(server.url, '/' + f, 'gzip');
        sum.br += await transferBytes(server.url, '/' + f, 'br');
      }
      for (const k of Object.keys(total)) total[k] += sum[k];
      record('size', `${kind} raw / gzip / br`, `${round(sum.raw / 1024)} / ${round(sum.gzip / 1024)} / ${round(sum.br / 1024)}`, 'KB');
    }
    record('size', 'total raw / gzip / br', `${round(total.raw / 1024)} / ${round(total.gzip / 1024)} / ${round(total.br / 1024)}`, 'KB', 'gzip ≤ 120 KB');
    report.figures['size: total gzip KB'] = { value: round(total.gzip / 1024), unit: 'KB' };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- 2. UI
/** Time from `act` (run in the page) until `done` holds and the frame that shows it is painted.
 * `done` is checked at once and then in each frame's animation callbacks, before that frame's
 * style, layout and paint: a change seen there is painted in that frame, so a task queued then
 * runs once it is painted. A change seen at once is painted in the next frame. (Until
 * 2026-11-27 this waited for the frame after the painting one too: every figure was about
 * one frame, 16.7 ms, longer.) */
async function timeInPage(page, handle, act, done) {
  return page.evaluate(async ([el, actSrc, doneSrc]) => {
    const actFn = new Function('el', actSrc);
    const doneFn = new Function('el', 'state', doneSrc);
    const state = { marks: performance.getEntriesByName('cc:rows-shown').length };
    const t0 = performance.now();
    actFn(el);
    const inFrame = await new Promise((res, rej) => {
      const limit = t0 + 20000;
      const check = (frame) => (doneFn(el, state) ? res(frame) : performance.now() > limit ? rej(new Error('timeout: ' + doneSrc)) : requestAnimationFrame(() => check(true)));
      check(false);
    });
    await new Promise((r) => (inFrame ? setTimeout(r, 0) : requestAnimationFrame(() => setTimeout(r, 0))));
    return performance.now() - t0;
  }, [handle, act, done]);
}

const NEW_MARK = "return performance.getEntriesByName('cc:rows-shown').length > state.marks;";

/** Opens the list in a new context with `pageSize` rows per page chosen (and kept) through the UI. */
async function listContext(browser, url, pageSize) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  if (pageSize !== 25) {
    await page.getByLabel('Rows per page').selectOption(String(pageSize));
    await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length >= n, pageSize, { timeout: 30000 });
  }
  return { context, page };
}

/** One load: navigation start → `markName` (first rows on screen), and JS heap after settling. */
async function firstRenderOnce(browser, url, pageSize, markName) {
  let context;
  let page;
  if (pageSize) {
    // The page size is stored by the list itself; then the measured load starts from a blank
    // page, as the baseline's does (a reload would add the teardown of the 500-row page to
    // ours only: its subresources started 50–110 ms after navigation instead of 20–30).
    ({ context, page } = await listContext(browser, url, pageSize));
    await page.goto('about:blank');
    await page.goto(url);
  } else {
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(url);
  }
  await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, markName, { timeout: 30000 });
  const ms = await page.evaluate((m) => performance.getEntriesByName(m)[0].startTime, markName);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await context.close();
  return { ms, heap };
}

/** The median time and heap (in MB) of loads from `firstRenderOnce`. */
function loadsSummary(runs) {
  return { ms: median(runs.map((r) => r.ms)), heapMb: median(runs.map((r) => r.heap)) / 1048576 };
}

/** Medians of `RUNS` loads. */
async function firstRender(browser, url, pageSize, markName) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await firstRenderOnce(browser, url, pageSize, markName));
  return loadsSummary(runs);
}

/** Ours and the baseline loaded in `PAIRS` pairs (ours first, then the baseline first, and so on), so a
 * busier minute of the machine falls on both; the ratio is the median of the pairs' ratios. */
async function firstRenderPaired(browser, ours, baseline) {
  const runs = { ours: [], baseline: [] };
  const ratios = [];
  for (let i = 0; i < PAIRS; i++) {
    const got = {};
    for (const who of i % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours']) {
      const { url, pageSize, markName } = who === 'ours' ? ours : baseline;
      got[who] = await firstRenderOnce(browser, url, pageSize, markName);
      runs[who].push(got[who]);
    }
    ratios.push(got.ours.ms / got.baseline.ms);
  }
  return { ours: loadsSummary(runs.ours), baseline: loadsSummary(runs.baseline), ratio: median(ratios) };
}

async function ui() {
  buildSeeder();
  const fake = await startFakeCloudinary();
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-ui-'));
  let chrome;
  try {
    chrome = await launchBrowser();
    const t0 = Date.now();
    // Names start half-way through the ids: each click on Name (ascending, descending, back
    // to the order by id) gives new rows to wait for.
    bulkSeed(dataDir, SEED, {}, ['--names-rotated']);
    record('ui', `bulk seed ${SEED} connections`, round((Date.now() - t0) / 1000, 1), 's');
    // Served with the baseline page beside the app.
    const dist = benchDist(null);
    const s2 = await startServer({ dataDir, env: { CLOUDINARY_CONNECTIONS_DIST: dist, CLOUDINARY_API_BASE: fake.base } });
    try {
      const b = chrome.browser;
      const r25 = await firstRender(b, s2.url + '/', 25, 'cc:rows-shown');
      const paired = await firstRenderPaired(
        b,
        { url: s2.url + '/', pageSize: 500, markName: 'cc:rows-shown' },
        { url: s2.url + '/baseline.html', pageSize: null, markName: 'baseline:rows-shown' },
      );
      const [r500, base] = [paired.ours, paired.baseline];
      record('ui', 'first rows on screen, page size 25', round(r25.ms), 'ms');
      record('ui', 'first rows on screen, page size 500', round(r500.ms), 'ms');
      record('ui', 'baseline (vanilla JS) first rows, 500', round(base.ms), 'ms');
      record('ui', `ours / baseline, 500 rows (median of ${PAIRS} paired loads)`, round(paired.ratio, 2), '×', '≤ 1.3');
      record('ui', 'JS heap after 500 rows (ours / baseline)', `${round(r500.heapMb, 2)} / ${round(base.heapMb, 2)}`, 'MB');

      // Interactions on the 500-row page.
      const { context, page } = await listContext(b, s2.url + '/', 500);
      const measure = async (name, locator, act, done, budget, prepare = async () => {}) => {
        const times = [];
        for (let i = 0; i < RUNS; i++) {
          await prepare();
          const h = await locator().elementHandle();
          times.push(await timeInPage(page, h, act(i), done(i)));
        }
        record('ui', name, round(median(times)), 'ms', budget);
        return median(times);
      };
      await measure('sort by Name (500 rows)', () => page.getByRole('columnheader', { name: /^Name/ }).getByRole('button'),
        () => 'el.click();', () => NEW_MARK, '≤ 50 ms');
      const firstPageWhenAtEnd = async () => {
        if (await page.getByRole('button', { name: 'Next page' }).isDisabled()) {
          const marks = await page.evaluate(() => performance.getEntriesByName('cc:rows-shown').length);
          await page.getByRole('button', { name: 'First page' }).click();
          await page.waitForFunction((n) => performance.getEntriesByName('cc:rows-shown').length > n, marks);
        }
      };
      await measure('next page (500 rows)', () => page.getByRole('button', { name: 'Next page' }),
        () => 'el.click();', () => NEW_MARK, '≤ 50 ms', firstPageWhenAtEnd);
      // Filters from one 500-row page to another with other rows (each name "Shop 00dddd"
      // matches one of the two, a thousand rows each), then to no match from a 500-row page.
      const filterBox = () => page.getByRole('searchbox', { name: 'Filter' }).or(page.getByRole('textbox', { name: 'Filter' }));
      const typed = (text) => `el.value = '${text}'; el.dispatchEvent(new Event('input', { bubbles: true }));`;
      const filterMs = await measure(`filter to 500 other rows, incl. the ${FILTER_DEBOUNCE_MS} ms typing pause`, filterBox,
        (i) => typed(i % 2 ? 'shop 003' : 'shop 002'), () => NEW_MARK, '≤ 150 ms');
      record('ui', 'filter to 500 other rows, after the typing pause', round(filterMs - FILTER_DEBOUNCE_MS), 'ms');
      const rowsAgain = async () => {
        await filterBox().fill('shop 002');
        await page.waitForFunction(() => document.querySelector('.cc-table-wrap:not([hidden]) tbody tr td.cc-name')?.textContent.startsWith('Shop 002'));
      };
      await measure(`filter to no match from 500 rows, incl. the ${FILTER_DEBOUNCE_MS} ms typing pause`, filterBox,
        () => typed('shop 1'), () => NEW_MARK, '', rowsAgain);
      await filterBox().fill('');
      await page.waitForFunction(() => document.querySelectorAll('.cc-table-wrap:not([hidden]) tbody tr').length >= 500);
      await measure('select all (500 rows)', () => page.getByRole('checkbox', { name: /select all/i }),
        () => 'el.click();',
        () => "const n = document.querySelectorAll('tbody input[type=checkbox]:checked').length; return el.checked ? n >= 500 : n === 0;", '≤ 16 ms');
      const openTimes = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto(s2.url + '/');
        await page.waitForFunction(() => document.querySelectorAll('tbody tr').length >= 500);
        const h = await page.locator('tbody tr').nth(3 + i).locator('td').last().elementHandle();
        openTimes.push(await timeInPage(page, h, 'el.click();',
          "return !!document.querySelector('form, [role=form]') && !document.querySelector('.cc-table tbody tr');"));
      }
      record('ui', 'open a row in the Connection view', round(median(openTimes)), 'ms', '≤ 50 ms');
      await context.close();
    } finally {
      await s2.stop();
      rmSync(dist, { recursive: true, force: true });
    }
  } finally {
    await chrome?.close();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- 3. server
/** A fresh database on the PostgreSQL server of `CONNECTIONS_TEST_POSTGRES` (set by tests/pg/cluster.sh). */
function postgresDatabase() {
  const server = process.env.CONNECTIONS_TEST_POSTGRES;
  if (!server) return null;
  const name = `bench_${process.pid}_${Date.now()}`;
  const out = spawnSync('psql', [server, '-q', '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`psql: ${out.stderr}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** List and create figures on SQLite, then the same on PostgreSQL when a server is there. */
async function serverLoadBothBackends() {
  await serverLoad('SQLite', {});
  const pg = postgresDatabase();
  if (pg) await serverLoad('PostgreSQL', { CLOUDINARY_CONNECTIONS_DATABASE_URL: pg });
  else record('server', 'PostgreSQL figures', 'skipped: run through `make bench` (tests/pg/cluster.sh)', '');
}

async function serverLoad(backend, backendEnv) {
  const fake = await startFakeCloudinary();
  const server = await startServer({ env: { CLOUDINARY_API_BASE: fake.base, ...backendEnv } });
  let s2;
  let dist;
  try {
    await seed(server, 100);
    const list = await (await fetch(server.url + '/api/connections?limit=100')).text();
    await server.stop({ keepData: true });
    dist = benchDist(list);
    s2 = await startServer({ dataDir: server.dataDir, env: { CLOUDINARY_CONNECTIONS_DIST: dist, CLOUDINARY_API_BASE: fake.base, ...backendEnv } });
    const api = await wrk(s2.url + '/api/connections?limit=100');
    const file = await wrk(s2.url + '/list.json');
    // The rows read every time (the page kept since the last write not used): the database's cost.
    const fresh = await wrk(s2.url + '/api/connections?limit=100', NO_CACHE);
    record('server', `GET /api/connections (100 rows) req/s, ${backend}`, Math.round(api.rps), 'req/s');
    record('server', `GET /api/connections p50 / p99, ${backend}`, `${round(api.p50, 2)} / ${round(api.p99, 2)}`, 'ms');
    record('server', `same bytes as static file req/s, ${backend} run`, Math.round(file.rps), 'req/s');
    record('server', `list endpoint / static file, ${backend}`, round(api.rps / file.rps, 2), '×', '≥ 0.5');
    record('server', `GET /api/connections, rows read (no-cache) req/s, ${backend}`, Math.round(fresh.rps), 'req/s');
    record('server', `list endpoint, rows read (no-cache) / static file, ${backend}`, round(fresh.rps / file.rps, 2), '×');
    const post = await wrk(s2.url + '/api/connections', ['-s', join(BENCH_DIR, 'post.lua')]);
    record('server', `POST /api/connections req/s, ${backend}`, Math.round(post.rps), 'req/s');
    record('server', `POST /api/connections p99, ${backend}`, round(post.p99, 2), 'ms');
    record('server', `peak RSS during the run, ${backend}`, round(rssPeakKb(s2.pid) / 1024), 'MB');
  } finally {
    await s2?.stop();
    await fake.stop();
    if (dist) rmSync(dist, { recursive: true, force: true });
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- 3b. the list at any size
const SCALE_SIZES = (process.env.BENCH_SCALE ?? '1000,100000').split(',').map(Number);
const SEEDER = join(ROOT, 'target', 'release', 'examples', 'bench_seed');

let seederBuilt = false;
/** Builds `bench_seed` (once per run). */
function buildSeeder() {
  if (seederBuilt) return;
  const build = spawnSync('cargo', ['build', '--quiet', '--release', '-p', 'connections-server', '--example', 'bench_seed'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('cannot build bench_seed');
  seederBuilt = true;
}

/** Seeds `count` connections through the store's bulk path (crates/server/examples/bench_seed.rs). */
function bulkSeed(dataDir, count, backendEnv, extraArgs = []) {
  const out = spawnSync(SEEDER, [dataDir, String(count), ...extraArgs], { env: { ...process.env, ...backendEnv }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bench_seed: ${out.stderr}`);
}

/** Rounds of each scale figure: the sizes take turns, so a slower minute of a shared machine
 * weighs on both sizes alike instead of on whichever size ran then. */
const SCALE_ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);

/** First page, last page, a sort by name in the middle and a filter, at each size: req/s with wrk.
 * Every size is seeded and served at once; then each figure is measured at each size in turn,
 * `SCALE_ROUNDS` times, and the cost ratio is taken from the requests of all rounds. */
async function scale(backend, backendEnv) {
  const served = [];
  try {
    for (const size of SCALE_SIZES) {
      const env = backendEnv();
      const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-scale-'));
      served.push({ size, dataDir });
      const t0 = Date.now();
      bulkSeed(dataDir, size, env);
      record('scale', `bulk seed ${size}, ${backend}`, round((Date.now() - t0) / 1000), 's');
      const server = await startServer({ dataDir, env });
      served[served.length - 1].server = server;
      const middle = await (await fetch(`${server.url}/api/connections?sort=name&limit=1&offset=${Math.floor(size / 2)}`)).json();
      served[served.length - 1].paths = {
        'first page': '/api/connections?limit=25',
        'last page': '/api/connections?limit=25&before=end',
        'sort by name, middle': `/api/connections?sort=name&limit=25&after=${encodeURIComponent(middle.next)}`,
        // Shop 000120 … Shop 000129: ten rows at either size.
        'filter': `/api/connections?limit=25&q=${encodeURIComponent('p 00012')}`,
      };
    }
    const names = ['first page', 'last page', 'sort by name, middle', 'filter', 'new search'];
    // Warm-up, not counted: each server's first requests (and whatever the database still does
    // after a bulk seed) fall on neither size's figures.
    for (const { server, paths } of served) await wrk(server.url + paths['first page'], [...NO_CACHE, '-d2s']);
    const rps = {};
    for (const name of names) {
      for (let r = 0; r < SCALE_ROUNDS; r++) {
        // Small, large, then large, small: a machine that speeds up or slows down over the
        // rounds weighs on both sizes alike.
        const order = r % 2 === 0 ? served : [...served].reverse();
        for (const { size, server, paths } of order) {
          // Every request reads the rows: a page kept since the last write would cost the same
          // at any size. A new search: a text whose total and ids are not kept (the 512 kept
          // searches start afresh long before bench/search.lua comes round to a text again), so
          // the index is read; each round starts elsewhere.
          const run = name === 'new search'
            ? await wrk(server.url + '/api/connections', ['-s', join(BENCH_DIR, 'search.lua')], [String(r * 500)])
            : await wrk(server.url + paths[name], NO_CACHE);
          rps[`${name}@${size}`] = (rps[`${name}@${size}`] ?? 0) + run.rps / SCALE_ROUNDS;
        }
      }
    }
    for (const { size } of served) {
      for (const name of names) {
        const label = name === 'new search' ? `new search each request, ${size} connections` : `${name}, ${size} connections`;
        record('scale', `${label}, ${backend}`, Math.round(rps[`${name}@${size}`]), 'req/s');
      }
    }
    const [small, large] = [SCALE_SIZES[0], SCALE_SIZES[SCALE_SIZES.length - 1]];
    for (const name of names) {
      // Cost is 1/throughput: cost at the large size / cost at the small one. The new search is
      // not one of issue 15's figures: it shows the index path beside the repeated filter.
      const budget = name === 'new search' ? '' : '≤ 1.5';
      record('scale', `${name}: cost at ${large} / at ${small}, ${backend}`, round(rps[`${name}@${small}`] / rps[`${name}@${large}`], 2), '×', budget);
    }
  } finally {
    for (const { server, dataDir } of served) {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function scaleBothBackends() {
  buildSeeder();
  await scale('SQLite', () => ({}));
  if (process.env.CONNECTIONS_TEST_POSTGRES) {
    await scale('PostgreSQL', () => ({ CLOUDINARY_CONNECTIONS_DATABASE_URL: postgresDatabase() }));
  } else {
    record('scale', 'PostgreSQL figures', 'skipped: run through `make bench` (tests/pg/cluster.sh)', '');
  }
}

// ---------------------------------------------------------------- 4. cold start
async function coldStart() {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-cold-'));
    const t0 = performance.now();
    const child = spawn(join(ROOT, 'target', 'release', 'connections-server'), [], {
      env: { ...process.env, CLOUDINARY_CONNECTIONS_ADDR: '127.0.0.1:0', CLOUDINARY_CONNECTIONS_DATA_DIR: dir, RUST_LOG: 'error' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const url = await new Promise((ok) => {
      let out = '';
      child.stdout.on('data', (d) => { out += d; const m = out.match(/running at (http:\/\/[^\s/]+)/); if (m) ok(m[1]); });
    });
    for (;;) {
      try { if ((await fetch(url + '/api/health')).ok) break; } catch { /* not yet */ }
    }
    times.push(performance.now() - t0);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  record('start', 'server start to first /api/health (new data dir)', round(median(times)), 'ms');
  record('start', 'server binary size', round(statSync(join(ROOT, 'target', 'release', 'connections-server')).size / 1048576, 1), 'MB');
}

// ---------------------------------------------------------------- 5. mount and unmount
/** The example shell's tab switch, 50 times (mount and custom element): memory after / after the first. */
async function mountCycles() {
  const token = 'bench-shell-token-0123456789abcdef0123456789';
  const cloud = await startFakeCloudinary();
  const server = await startServer({ env: { CLOUDINARY_API_BASE: cloud.base, CLOUDINARY_CONNECTIONS_TOKEN: token } });
  const chrome = await launchBrowser();
  try {
    for (let i = 0; i < 25; i++) {
      const res = await server.api('/api/connections', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({
          name: `Cycle ${i}`, driver: 'cloudinary-default',
          fields: { cloud_name: 'demo', api_key: '1234', api_secret: 'bench-secret' },
        }),
      });
      if (res.status !== 201) throw new Error(`seed: ${res.status}`);
    }
    for (const mode of ['mount', 'element']) {
      const page = await chrome.browser.newPage();
      await page.goto(`${server.url}/examples/shell/?token=${token}&tab=settings&mode=${mode}`);
      await page.locator('html[data-shell-ready="true"]').waitFor({ state: 'attached' });
      const cycle = async () => {
        await page.getByRole('tab', { name: 'Connections' }).click();
        await page.getByRole('row', { name: /Cycle 24/ }).waitFor();
        await page.getByRole('tab', { name: 'Settings' }).click();
        await page.getByText('Settings of the Cloudinary module.').waitFor();
      };
      const wasmBytes = () => page.evaluate(() => window.shell.wasm.memory.buffer.byteLength);
      const clearLog = () => page.evaluate(() => window.shell.clearLog());
      await cycle();
      await clearLog();
      const heap1 = await heapAfterGc(page);
      const wasm1 = await wasmBytes();
      for (let i = 1; i < 10; i++) await cycle();
      await clearLog();
      const heap10 = await heapAfterGc(page);
      for (let i = 10; i < 50; i++) await cycle();
      await clearLog();
      const heap50 = await heapAfterGc(page);
      const wasm50 = await wasmBytes();
      const mb = (b) => round(b / 1048576, 2);
      record('mount', `${mode}: JS heap after 50 cycles / after the first (GC)`, round(heap50 / heap1, 3), '×', '≤ 1.1');
      record('mount', `${mode}: JS heap after 50 cycles / after 10 (warmed up)`, round(heap50 / heap10, 3), '×');
      record('mount', `${mode}: JS heap after cycle 1 / 10 / 50`, `${mb(heap1)} / ${mb(heap10)} / ${mb(heap50)}`, 'MB');
      record('mount', `${mode}: wasm memory after the first / the 50th cycle`, `${mb(wasm1)} / ${mb(wasm50)}`, 'MB');
      await page.close();
    }
  } finally {
    await chrome.close();
    await server.stop();
    await cloud.stop();
  }
}

// ---------------------------------------------------------------- main
const t0 = Date.now();
// BENCH_ONLY=size,start,server,scale,ui,mount runs a subset (for working on one figure).
const only = (process.env.BENCH_ONLY ?? 'size,start,server,scale,ui,mount').split(',');
// A part that fails still leaves the figures of the parts before it printed.
let failure = null;
try {
  if (only.includes('size')) await transferSize();
  if (only.includes('start')) await coldStart();
  if (only.includes('server')) await serverLoadBothBackends();
  if (only.includes('scale')) await scaleBothBackends();
  if (only.includes('ui')) await ui();
  if (only.includes('mount')) await mountCycles();
} catch (e) {
  failure = e;
}
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'report.json'), JSON.stringify(report, null, 2) + '\n');

const w = [Math.max(...rows.map((r) => r.name.length)), Math.max(...rows.map((r) => String(r.value).length))];
console.log(`Cloudinary Connections benchmark — ${report.date.slice(0, 10)}, ${report.cores} cores, medians of ${RUNS} runs, ${SEED} connections`);
console.log(`${'figure'.padEnd(w[0] + 9)} ${'value'.padStart(w[1])} unit   budget`);
for (const r of rows) {
  console.log(`${r.group.padEnd(7)}  ${r.name.padEnd(w[0])} ${String(r.value).padStart(w[1])} ${r.unit.padEnd(6)} ${r.budget}`);
}
console.log(`(${round((Date.now() - t0) / 1000)} s; JSON in target/bench/report.json)`);
if (failure) {
  console.error('bench failed after the figures above:', failure);
  process.exit(1);
}
