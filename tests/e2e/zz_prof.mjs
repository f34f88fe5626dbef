// Temporary: where the filter's and the first rows' time goes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, ROOT } from './harness.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'cc-prof-'));
spawnSync(join(ROOT, 'target/release/examples/bench_seed'), [dataDir, '10000', '--names-rotated'], { stdio: 'inherit' });
const s = await startServer({ dataDir, env: { CLOUDINARY_CONNECTIONS_DIST: process.env.DIST ?? join(ROOT, 'dist') } });
const chrome = await launchBrowser();
const ctx = await chrome.browser.newContext();
const page = await ctx.newPage();
await page.goto(s.url + '/');
await page.getByLabel('Rows per page').selectOption('500');
await page.waitForFunction(() => document.querySelectorAll('tbody tr').length >= 500);
const box = page.getByRole('searchbox', { name: 'Filter' });
const h = await box.elementHandle();
const cdp = await ctx.newCDPSession(page);
if (process.env.PROF) await cdp.send('Profiler.enable');
if (process.env.PROF) { await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start'); }
const res = [];
for (let i = 0; i < Number(process.env.N ?? 24); i++) {
  const r = await page.evaluate(async ([el, i]) => {
    const n0 = performance.getEntriesByName('cc:rows-shown').length;
    performance.clearResourceTimings();
    const t0 = performance.now();
    el.value = 'shop ' + (i % 2 ? '0' : '1');
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((ok) => { const f = () => performance.getEntriesByName('cc:rows-shown').length > n0 ? ok() : requestAnimationFrame(f); f(); });
    const mark = performance.getEntriesByName('cc:rows-shown').at(-1).startTime;
    const rt = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/connections')).at(-1);
    return { names: performance.getEntriesByType('resource').map((e) => e.name.replace(/^.*\/api/, '') + ':' + e.encodedBodySize + ':' + (e.responseEnd - t0).toFixed(0)).join(' '), total: mark - t0, reqStart: rt.startTime - t0, ttfb: rt.responseStart - rt.startTime, body: rt.responseEnd - rt.responseStart, after: mark - rt.responseEnd, size: rt.encodedBodySize };
  }, [h, i]);
  res.push(r);
}
if (process.env.PROF) { const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; let total = 0;
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop(); self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; });
console.log('total sampled ms', (total / 1000).toFixed(0));
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 45).map(([k, v]) => (v / 1000).toFixed(1) + ' ' + k.slice(0, 140)).join('\n')); }
const med = (k, p = () => true) => { const v = res.filter((r, i) => p(i)).map((r) => r[k]).sort((a, b) => a - b); return v[v.length >> 1].toFixed(1); };
console.log('after: empty', med('after', (i) => i % 2 === 0), 'full', med('after', (i) => i % 2 === 1), 'total: empty', med('total', (i) => i % 2 === 0), 'full', med('total', (i) => i % 2 === 1));
console.log('filter median: total', med('total'), 'reqStart', med('reqStart'), 'ttfb', med('ttfb'), 'body', med('body'), 'after', med('after'), 'bytes', res[0].size);
console.log(res[0].names, res[1].names);
console.log(res.map((r) => r.total.toFixed(0) + '/' + r.after.toFixed(0)).join(' '));
await ctx.close();
await chrome.close();
await s.stop();
