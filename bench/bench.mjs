// Prints Citizen Cloud's performance figures. Run through `./run bench`, which builds first.
// Timings are compared within one run (ratios), because this machine is noisy.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_KB = 200;
const BUDGET_SEARCH_P95_MS = 2;
const GENERATED_TILES = 5000;
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

const kb = (bytes) => (bytes / 1024).toFixed(1);
const ms = (x) => x.toFixed(3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const gzipOf = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/** Every code file of the bundle (wasm, js, css), with its path under dist/. */
function bundleFiles(dir = 'dist') {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return bundleFiles(path);
    return /\.(wasm|js|css)$/.test(f) ? [{ file: path.slice('dist/'.length), raw: statSync(path).size, gzip: gzipOf(path) }] : [];
  });
}

function generatedCatalog(n) {
  const data = JSON.parse(readFileSync('crates/core/data/catalog.json', 'utf8'));
  const districts = ['武侯', '锦江', '青羊', '金牛', '成华', '高新', '天府', '双流', '郫都', '温江'];
  const base = data.tiles;
  const tiles = [];
  for (let i = 0; i < n; i++) {
    const t = base[i % base.length];
    const round = Math.floor(i / base.length);
    const suffix = round === 0 ? '' : districts[round % districts.length];
    tiles.push({
      ...t,
      id: `${t.id.slice(0, 38)}-${i}`,
      title: { zh: suffix ? `${t.title.zh}（${suffix}）` : t.title.zh, en: suffix ? `${t.title.en} (${round})` : t.title.en },
    });
  }
  return JSON.stringify({ ...data, tiles });
}

// A static server for the search page, cross-origin isolated so performance.now() has 5 µs resolution.
function serveBenchDir() {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = normalize(join('bench', decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!path.startsWith('bench') || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startAppServer(port) {
  const child = spawn('target/release/citizen-server', ['--dist', 'dist', '--port', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the server did not start');
}

// Time from navigation start until the element is in the DOM, on a fresh profile each load, and
// the bundle files the page had fetched by then (the first load).
async function firstRender(browser, url, selector, loads = 5) {
  const times = [];
  let fetched = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.addInitScript((sel) => {
      new MutationObserver((_, observer) => {
        if (document.querySelector(sel)) {
          window.__firstRender = performance.now();
          window.__fetched = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, selector);
    await page.goto(url);
    await page.waitForFunction(() => window.__firstRender !== undefined);
    times.push(await page.evaluate(() => window.__firstRender));
    fetched = await page.evaluate(() => window.__fetched);
    await context.close();
  }
  return { ms: median(times), fetched };
}

const browser = await chromium.launch(LAUNCH);
const port = 18090;
const app = await startAppServer(port);
try {
  const tile = await firstRender(browser, `http://127.0.0.1:${port}/`, '[data-testid="tile"]');
  const shell = await firstRender(browser, `http://127.0.0.1:${port}/`, 'nav');

  // The first load: every code file the home page fetched before its first tile was on screen.
  const files = bundleFiles();
  const fetched = new Set(tile.fetched.map((p) => p.slice(1)));
  const first = files.filter((f) => fetched.has(f.file));
  const later = files.filter((f) => !fetched.has(f.file));
  const total = first.reduce((s, r) => s + r.gzip, 0);
  const row = (r) => `  ${r.file.padEnd(48)} ${kb(r.raw).padStart(8)} KB raw ${kb(r.gzip).padStart(8)} KB gzip`;
  console.log('\nBundle (release, gzip -9)');
  console.log('  fetched before the home page\'s first tile:');
  for (const r of first) console.log(row(r));
  console.log(`  first load total: ${kb(total)} KB gzip (budget ${BUDGET_GZIP_KB} KB) ${total <= BUDGET_GZIP_KB * 1024 ? 'OK' : 'OVER BUDGET'}`);
  const laterTotal = later.reduce((s, r) => s + r.gzip, 0);
  const named = later.filter((r) => /split_/.test(r.file)).map((r) => `${r.file.split('/').pop().replace(/^split_|\.wasm$/g, '')} ${kb(r.gzip)}`);
  console.log(`  chunks fetched when a screen opens or prefetched after 3 s: ${later.length} files, ${kb(laterTotal)} KB gzip (${named.join(', ')}; the rest shared)`);
  console.log(`  catalog.json (data, fetched while the shell renders): ${kb(gzipOf('dist/catalog.json'))} KB gzip`);

  console.log('\nFirst render (390x844, loopback, median of 5 fresh loads)');
  console.log(`  app shell (tab bar):        ${ms(shell.ms)} ms`);
  console.log(`  first catalog tile:         ${ms(tile.ms)} ms  (${(tile.ms / shell.ms).toFixed(2)}x the shell)`);

  const bench = await serveBenchDir();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${bench.address().port}/search.html`);
  await page.waitForFunction(() => window.benchReady === true);
  const queries = ['gjj', 'shebao', 'sb', '公积金', '社保查询', 'yibao', '水费', 'water', 'jiaotong', '12345', 'd', 'fund', '办理', 'jsz', 'xyz'];
  const r = await page.evaluate(([json, q]) => window.runBench(json, q, 40), [generatedCatalog(GENERATED_TILES), queries]);
  bench.close();
  console.log(`\nCatalog search over ${r.tiles} generated tiles in headless Chromium (${r.wasm.n} searches each; timer ${r.isolated ? '5 µs' : '100 µs'} resolution)`);
  console.log(`  index build (pinyin once):  ${ms(r.buildMs)} ms`);
  console.log(`  ranked search (wasm):       p50 ${ms(r.wasm.p50)} ms  p95 ${ms(r.wasm.p95)} ms (budget p95 ${BUDGET_SEARCH_P95_MS} ms) ${r.wasm.p95 <= BUDGET_SEARCH_P95_MS ? 'OK' : 'OVER BUDGET'}`);
  console.log(`  plain JS substring filter:  p50 ${ms(r.js.p50)} ms  p95 ${ms(r.js.p95)} ms`);
  console.log(`  ratio wasm / JS:            p50 ${(r.wasm.p50 / Math.max(r.js.p50, 0.005)).toFixed(2)}x  p95 ${(r.wasm.p95 / Math.max(r.js.p95, 0.005)).toFixed(2)}x`);
  console.log(`  hits per query: ${Object.entries(r.hits).map(([q, n]) => `${q}=${n}`).join(' ')}`);
} finally {
  await browser.close();
  app.kill();
}
