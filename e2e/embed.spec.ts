import { test, expect, type Page } from '@playwright/test';
import { EMBED_PORT, HOST_PORT, INTRUDER_PORT } from '../playwright.config';
import { appReady, expectNoAxeViolations, REST } from './helpers';

// The host bridge (issue 13): the demo host (examples/host/serve.mjs, its own origin) embeds the
// app served with a config that lists the host's origin, and drives it through the bridge.

const HOST = `http://127.0.0.1:${HOST_PORT}`;
const APP = `http://127.0.0.1:${EMBED_PORT}`;

type BridgeEvent = { bridge: string; version: number; type: string; [field: string]: unknown };

/** What the host page has received from the app so far. */
function received(page: Page): Promise<BridgeEvent[]> {
  return page.evaluate(() => (window as unknown as { bridgeEvents: BridgeEvent[] }).bridgeEvents);
}

async function lastOf(page: Page, type: string): Promise<BridgeEvent | undefined> {
  return (await received(page)).filter((e) => e.type === type).pop();
}

async function openHost(page: Page) {
  await page.goto(`${HOST}/`);
  const app = page.frameLocator('iframe[title="Citizen Cloud 市民云"]');
  await expect(app.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await expect.poll(() => lastOf(page, 'ready')).toMatchObject({
    bridge: 'citizen-cloud',
    version: 1,
    route: '/',
  });
  return app;
}

test('a host on another origin signs a person in with a host code, drives the app and hears back', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  const app = await openHost(page);
  expect(wasm.some((u) => u.endsWith('/split_embed.wasm'))).toBe(true);
  await expect.poll(async () => (await lastOf(page, 'height'))?.px as number).toBeGreaterThan(300);
  await expectNoAxeViolations(page);

  // Navigate: the app follows, and says where it is with the screen's title.
  await page.getByLabel('Path').fill('/me');
  await page.getByRole('button', { name: 'Navigate' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('我的');
  await expect.poll(() => lastOf(page, 'route')).toMatchObject({ path: '/me', title: expect.stringContaining('我的') });
  await expect(app.getByTestId('sign-in')).toBeVisible();

  // A code the server never issued: nobody is signed in, and the host hears what went wrong.
  await page.evaluate(() => (window as unknown as { post: (m: object) => void }).post({ type: 'auth', code: 'hc_0123456789abcdefXYZ' }));
  await expect.poll(async () => (await lastOf(page, 'error'))?.message).toEqual(expect.stringMatching(/\S/));
  await expect(app.getByTestId('sign-in')).toBeVisible();

  // What a screen tells the person went wrong, the host hears in the same words.
  const signIn = app.getByTestId('sign-in');
  await signIn.getByLabel('手机号').fill('13800000001');
  await signIn.getByLabel('密码').fill('not-the-password-1');
  await signIn.getByRole('button', { name: '登录' }).click();
  const told = (await app.getByTestId('sign-in-error').textContent())!.trim();
  expect(told).not.toEqual('');
  await expect.poll(async () => (await lastOf(page, 'error'))?.message).toEqual(told);

  // Sign in without a password: the host's server got a code, the host handed it over.
  await page.getByRole('button', { name: 'Sign in as 张明' }).click();
  await expect(app.getByTestId('signed-in')).toContainText('张明');

  // File a request inside the frame: the host hears its tracking number.
  await page.getByLabel('Path').fill('/requests/new');
  await page.getByRole('button', { name: 'Navigate' }).click();
  const form = app.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '噪音扰民' });
  await form.getByLabel('问题描述').fill('楼下的空调外机整夜响，声音很大，影响休息。');
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 3 号 2 单元');
  await form.getByRole('button', { name: '提交' }).click();
  await expect(app.getByRole('heading', { name: '诉求已提交' })).toBeVisible();
  const tracking = (await app.getByTestId('tracking').textContent())!.trim();
  await expect.poll(() => lastOf(page, 'filed')).toMatchObject({ tracking });
  await expect.poll(() => lastOf(page, 'route')).toMatchObject({ path: '/requests/new' });

  // An external service: the host is asked to open it, and the frame stays where it is.
  await page.getByLabel('Path').fill('/services/housing-fund-balance');
  await page.getByRole('button', { name: 'Navigate' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('公积金查询');
  const popups: Page[] = [];
  page.context().on('page', (p) => popups.push(p));
  await app.getByRole('link', { name: /进入服务/ }).click();
  await expect.poll(() => lastOf(page, 'open')).toMatchObject({ url: expect.stringMatching(/^https:\/\//) });
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('公积金查询');
  expect(popups).toHaveLength(0);
  await expect(page.getByRole('status')).toContainText('The app asks the host to open https://');

  // Language and elder mode, as 我的 sets them.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(app.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await page.getByRole('button', { name: 'Elder mode on' }).click();
  await expect(app.locator('html')).toHaveClass(/\blarge\b/);
  await page.getByRole('button', { name: '中文' }).click();
  await expect(app.getByRole('navigation', { name: '主导航' })).toBeVisible();

  // Sign out: 我的 asks for a sign-in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Path').fill('/me');
  await page.getByRole('button', { name: 'Navigate' }).click();
  await expect(app.getByTestId('sign-in')).toBeVisible();
  await expect(app.getByTestId('signed-in')).toHaveCount(0);

  // A screen that needs a person tells the host (`sign-in`).
  await page.getByLabel('Path').fill('/requests');
  await page.getByRole('button', { name: 'Navigate' }).click();
  await expect(app.getByTestId('requests-sign-in')).toBeVisible();
  await expect.poll(async () => (await received(page)).some((e) => e.type === 'sign-in')).toBe(true);
});

test('a frame on an unlisted origin sends auth and navigate, and nothing changes', async ({ page }) => {
  const app = await openHost(page);
  const heading = await app.getByRole('heading', { level: 1 }).textContent();
  const intruder = page.frameLocator('iframe[title="Unlisted origin"]');
  const refused: string[] = [];
  page.on('console', (m) => m.text().includes('ignored:') && refused.push(m.text()));

  await intruder.getByRole('button', { name: 'Unlisted: sign in as 刘建国' }).click();
  await expect(intruder.getByRole('status')).toHaveText('sent auth');
  await intruder.getByRole('button', { name: 'Unlisted: navigate to /staff' }).click();
  await expect(intruder.getByRole('status')).toHaveText('sent navigate');
  // Both reached the app, which refused them by their origin.
  await expect.poll(() => refused.length).toBe(2);
  expect(refused.every((r) => r.includes(`http://127.0.0.1:${INTRUDER_PORT}`))).toBe(true);

  await expect(app.getByRole('heading', { level: 1 })).toHaveText(heading!);
  expect((await received(page)).filter((e) => e.type === 'route' && e.path !== '/')).toEqual([]);
  await page.getByLabel('Path').fill('/me');
  await page.getByRole('button', { name: 'Navigate' }).click();
  await expect(app.getByTestId('sign-in')).toBeVisible();
  await expect(app.getByTestId('signed-in')).toHaveCount(0);
});

test('a host code in the address (mini-program web-views) signs in and leaves the address at once', async ({ page, request }) => {
  const answer = await request.post(`${HOST}/sign-in-code`, { data: { mobile: '13800000002' } });
  expect(answer.ok()).toBe(true);
  const { code } = await answer.json();
  await page.goto(`${APP}/me?host_code=${code}`);
  await appReady(page);
  await expect(page.getByTestId('signed-in')).toContainText('王芳');
  expect(new URL(page.url()).search).toBe('');
  expect(new URL(page.url()).pathname).toBe('/me');

  // Used once: the same code again signs nobody in.
  await page.getByTestId('signed-in').getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await page.goto(`${APP}/me?host_code=${code}`);
  await appReady(page);
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.getByTestId('signed-in')).toHaveCount(0);
});

test('without a host, the bridge is not loaded and external tiles open as before', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  await page.goto(`${REST}/services/housing-fund-balance`);
  await appReady(page);
  await expect(page.getByRole('link', { name: /进入服务/ })).toHaveAttribute('target', '_blank');
  await page.waitForLoadState('networkidle');
  expect(wasm.some((u) => u.endsWith('/split_embed.wasm'))).toBe(false);
});

for (const native of ['Android', 'iOS'] as const) {
  test(`a native ${native} host hears the app through its handler and drives it with citizenCloud.receive`, async ({ page }) => {
    await page.addInitScript((kind) => {
      const sent: string[] = [];
      (window as unknown as { sent: string[] }).sent = sent;
      const handler = { postMessage: (json: string) => sent.push(json) };
      if (kind === 'Android') (window as unknown as { CitizenCloudAndroid: object }).CitizenCloudAndroid = handler;
      else (window as unknown as { webkit: object }).webkit = { messageHandlers: { citizenCloud: handler } };
    }, native);
    const sent = async () =>
      (await page.evaluate(() => (window as unknown as { sent: string[] }).sent)).map((s) => JSON.parse(s) as BridgeEvent);
    await page.goto(`${REST}/`);
    await appReady(page);
    await expect.poll(async () => (await sent()).find((e) => e.type === 'ready')).toMatchObject({ version: 1, route: '/' });

    await page.evaluate(() =>
      (window as unknown as { citizenCloud: { receive: (json: string) => void } }).citizenCloud.receive(
        JSON.stringify({ bridge: 'citizen-cloud', version: 1, type: 'navigate', path: '/me' }),
      ),
    );
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
    await expect.poll(async () => (await sent()).filter((e) => e.type === 'route').pop()).toMatchObject({ path: '/me' });

    // A malformed message changes nothing.
    await page.evaluate(() =>
      (window as unknown as { citizenCloud: { receive: (json: string) => void } }).citizenCloud.receive(
        JSON.stringify({ bridge: 'citizen-cloud', version: 1, type: 'navigate', path: 'https://evil.example/' }),
      ),
    );
    await page.waitForTimeout(300);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
  });
}

test('in hash mode, a host code after the # signs in and leaves the fragment at once', async ({ page, request }) => {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), routing: 'hash' } });
  });
  const answer = await request.post(`${HOST}/sign-in-code`, { data: { mobile: '13800000001' } });
  const { code } = await answer.json();
  await page.goto(`${APP}/#/me?host_code=${code}&lang=zh-CN`);
  await appReady(page);
  await expect(page.getByTestId('signed-in')).toContainText('张明');
  expect(new URL(page.url()).hash).toBe('#/me?lang=zh-CN');
});
