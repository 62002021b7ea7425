import { defineConfig } from '@playwright/test';

// Two servers from the same release bundle: one at the root, one under a base path.
// E2E_PORT_BASE moves all three, so that two checkouts can run their suites side by side.
const BASE = Number(process.env.E2E_PORT_BASE ?? 18080);
export const PORT = BASE;
export const BASE_PATH_PORT = BASE + 1;
/** The same bundle with the serve command's config: services on the `rest` backend. */
export const REST_PORT = BASE + 2;

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
  ],
});
