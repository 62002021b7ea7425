// The WebKit end-to-end suite: `node e2e-webkit/run.mjs [journey files…]`.
// Starts a virtual display (Xvfb), WebKitGTK's WebDriver, the release server (dist/ and
// target/release/citizen-server, built by ./run test) on fresh data directories, and a proxy in
// front of each server (proxy.mjs), and the GeoReport fixture city (e2e/fixtures/georeport-city.mjs)
// on an origin of its own, where one of those servers sends its requests; runs the journeys in
// e2e-webkit/journeys/ one after another with Node's test runner (WebKitWebDriver drives one
// browser session at a time); stops everything it started, also when a journey fails or the run
// is interrupted.
// E2E_WEBKIT_PORT_BASE (default 18180) moves every port, away from Playwright's (18080–18087).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxy } from './proxy.mjs';
import { ports } from './ports.mjs';
import { cityAppConfig } from '../e2e/fixtures/city-app-config.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const data = 'e2e-webkit/data';
const children = [];
const proxies = [];

function start(name, command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (chunk) => {
    log.push(chunk);
    if (log.length > 200) log.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) console.error(`${name} exited (${code ?? signal}):\n${Buffer.concat(log).toString()}`);
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stopAll() {
  stopping = true;
  for (const p of proxies) p.close();
  for (const child of children.reverse()) {
    if (child.exited) continue;
    child.kill('SIGTERM');
    await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
    if (!child.exited) child.kill('SIGKILL');
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}

async function until(what, check, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const answers = (url) => () => fetch(url).then((r) => r.ok);

function freeDisplay() {
  for (let n = 90; n < 200; n++) {
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
  throw new Error('no free X display number between :90 and :199');
}

/** MiniBrowser, the WebKitGTK browser WebKitWebDriver launches, from Debian's webkit2gtk-driver. */
function miniBrowser() {
  const dir = '/usr/lib/x86_64-linux-gnu';
  const api = readdirSync(dir).filter((d) => /^webkit2?gtk-[0-9.]+$/.test(d) && existsSync(join(dir, d, 'MiniBrowser')));
  if (api.length === 0) throw new Error(`no MiniBrowser under ${dir}/webkit*gtk-*/ (apt install webkit2gtk-driver)`);
  return join(dir, api.sort().at(-1), 'MiniBrowser');
}

async function main() {
  for (const needed of ['dist/index.html', 'target/release/citizen-server']) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: build the release bundle and server first (./run test does)`);
  }
  const p = ports();
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  // The bundle's own config with hash routing, as a host community that owns the path would set it.
  const hashConfig = join(data, 'hash.json');
  writeFileSync(hashConfig, JSON.stringify({ ...JSON.parse(readFileSync('dist/config.json', 'utf8')), routing: 'hash' }));
  // config/serve.json with requests sent to the fixture city, as the Playwright suite configures it.
  const cityConfig = join(data, 'city.json');
  writeFileSync(cityConfig, JSON.stringify(cityAppConfig(p.city)));

  const display = freeDisplay();
  const xvfb = start('Xvfb', 'Xvfb', [`:${display}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
  await until(`Xvfb on :${display}`, async () => xvfb.exited ? Promise.reject() : existsSync(`/tmp/.X11-unix/X${display}`), 10_000);

  const servers = [
    [p.local, []],
    [p.rest, ['--config', 'config/serve.json']],
    [p.hash, ['--config', hashConfig]],
    [p.cityApp, ['--config', cityConfig]],
  ];
  start(`the fixture city :${p.city}`, process.execPath, ['e2e/fixtures/georeport-city.mjs', '--port', String(p.city)]);
  for (const [port, extra] of servers) {
    start(`citizen-server :${port}`, 'target/release/citizen-server', ['--dist', 'dist', '--demo', '--port', String(port), '--data-dir', join(data, String(port)), ...extra]);
  }
  for (const [port] of servers) {
    await until(`the server on :${port}`, answers(`http://127.0.0.1:${port}/healthz`));
    proxies.push(await startProxy(port + p.proxyOffset, port));
  }
  await until(`the fixture city on :${p.city}`, answers(`http://127.0.0.1:${p.city}/__fixture/posts`));

  start('WebKitWebDriver', 'WebKitWebDriver', [`--port=${p.driver}`], { DISPLAY: `:${display}` });
  await until('WebKitWebDriver', answers(`http://127.0.0.1:${p.driver}/status`), 15_000);

  const asked = process.argv.slice(2);
  const journeys = asked.length > 0 ? asked : readdirSync('e2e-webkit/journeys').filter((f) => f.endsWith('.test.mjs')).sort().map((f) => `e2e-webkit/journeys/${f}`);
  const began = Date.now();
  const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...journeys], {
    stdio: 'inherit',
    env: { ...process.env, WEBKIT_MINIBROWSER: miniBrowser() },
  });
  children.push(runner);
  const code = await new Promise((r) => runner.on('exit', (c) => r(c ?? 1)));
  console.log(`WebKit suite: ${((Date.now() - began) / 1000).toFixed(0)} s for ${journeys.length} journey files`);
  return code;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(e);
} finally {
  await stopAll();
}
process.exit(code);
