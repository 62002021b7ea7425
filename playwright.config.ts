import { defineConfig } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cityAppConfig } from './e2e/fixtures/city-app-config.mjs';

// Two servers from the same release bundle: one at the root, one under a base path.
// E2E_PORT_BASE moves them all, so that two checkouts can run their suites side by side.
const BASE = Number(process.env.E2E_PORT_BASE ?? 18080);
export const PORT = BASE;
export const BASE_PATH_PORT = BASE + 1;
/** The same bundle with the serve command's config: services on the `rest` backend. */
export const REST_PORT = BASE + 2;
/** The same bundle framed by the demo host (examples/host/), whose origin its config lists. */
export const EMBED_PORT = BASE + 3;
/** The demo host page; the next port serves its frame on an unlisted origin. */
export const HOST_PORT = BASE + 4;
export const INTRUDER_PORT = BASE + 5;
/** Another city's GeoReport v2 endpoint, a fixture with its own shape (e2e/fixtures/georeport-city.mjs). */
export const CITY_PORT = BASE + 6;
/** The same bundle with requests on the `open311` backend, pointed at that city with its application key. */
export const CITY_APP_PORT = BASE + 7;

// config/serve.json with the demo host's origin in allowed_origins (it depends on the ports).
const embedConfig = `e2e/data/embed-${EMBED_PORT}.json`;
mkdirSync('e2e/data', { recursive: true });
const serveConfig = JSON.parse(readFileSync('config/serve.json', 'utf8'));
writeFileSync(embedConfig, JSON.stringify({ ...serveConfig, allowed_origins: [`http://127.0.0.1:${HOST_PORT}`] }));

// config/serve.json with requests sent to the city fixture, as a city would configure its GeoReport endpoint.
const cityConfig = `e2e/data/city-${CITY_APP_PORT}.json`;
writeFileSync(cityConfig, JSON.stringify(cityAppConfig(CITY_PORT)));

// Each server starts on a fresh database with the demo accounts (--demo) in e2e/data/<port>.
const server = (port: number, extra = '') => ({
  command: `rm -rf e2e/data/${port} && target/release/citizen-server --dist dist --demo --port ${port} --data-dir e2e/data/${port} ${extra}`,
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 30_000,
});

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    // The app registers a service worker (offline starts). Blocked here, so that requests a test
    // routes are never answered from its cache; e2e/outbox.spec.ts allows it.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    server(PORT),
    server(BASE_PATH_PORT, '--base-path /community/'),
    server(REST_PORT, '--config config/serve.json'),
    server(EMBED_PORT, `--config ${embedConfig}`),
    {
      command: `node examples/host/serve.mjs --app http://127.0.0.1:${EMBED_PORT}/ --port ${HOST_PORT}`,
      url: `http://127.0.0.1:${HOST_PORT}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node e2e/fixtures/georeport-city.mjs --port ${CITY_PORT}`,
      url: `http://127.0.0.1:${CITY_PORT}/__fixture/posts`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    server(CITY_APP_PORT, `--config ${cityConfig}`),
  ],
});
