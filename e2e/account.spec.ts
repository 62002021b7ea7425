import { test, expect, type Page } from '@playwright/test';
import { REST_PORT } from '../playwright.config';
import { appReady, expectNoAxeViolations } from './helpers';

// Sign-in needs the server's accounts: the bundle served with services on `rest`.
const REST = `http://127.0.0.1:${REST_PORT}`;
const SESSION_KEY = 'citizen-cloud.session.v1';
const PASSWORD = 'demo-pass-2026';

async function openMe(page: Page, query = '') {
  await page.goto(`${REST}/me${query}`);
  await appReady(page);
}

function form(page: Page) {
  return page.getByTestId('sign-in');
}

async function signIn(page: Page, mobile: string, password: string) {
  await form(page).getByLabel('手机号').fill(mobile);
  await form(page).getByLabel('密码').fill(password);
  await form(page).getByRole('button', { name: '登录' }).click();
}

/** Every request to the account API, as "METHOD path". */
function watchAccountCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/api\/v1\/(session|me)$/.test(path)) calls.push(`${r.method()} ${path}`);
  });
  return calls;
}

const storedSession = (page: Page) => page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);

test('a volunteer signs in, stays signed in across a reload, and signs out', async ({ page }) => {
  const calls = watchAccountCalls(page);
  await openMe(page);
  const mobile = form(page).getByLabel('手机号');
  await expect(mobile).toHaveAttribute('type', 'tel');
  await expect(mobile).toHaveAttribute('inputmode', 'tel');
  await expect(mobile).toHaveAttribute('autocomplete', 'tel');
  await expect(form(page).getByLabel('密码')).toHaveAttribute('type', 'password');
  await expect(form(page).getByLabel('密码')).toHaveAttribute('autocomplete', 'current-password');
  await expectNoAxeViolations(page);

  await signIn(page, '13800000002', PASSWORD);
  const card = page.getByTestId('signed-in');
  await expect(card.getByTestId('account-name')).toHaveText('王芳');
  await expect(card.getByTestId('account-mobile')).toHaveText('13800000002');
  await expect(card.getByTestId('account-roles').getByRole('listitem')).toHaveText(['居民', '志愿者']);
  await expect(form(page)).toHaveCount(0);
  const stored = JSON.parse((await storedSession(page))!);
  expect(stored.token).toHaveLength(43);
  expect(stored.person.display_name).toBe('王芳');
  expect(JSON.stringify(stored)).not.toContain(PASSWORD);
  await expectNoAxeViolations(page);

  // A reload shows the stored person at once and checks the token with the server.
  await page.reload();
  await expect(page.getByTestId('signed-in').getByTestId('account-name')).toHaveText('王芳');
  await expect.poll(() => calls).toContain('GET /api/v1/me');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(form(page)).toBeVisible();
  await expect(page.getByTestId('signed-in')).toHaveCount(0);
  await expect(page.getByTestId('session-notice')).toHaveCount(0);
  expect(await storedSession(page)).toBeNull();
  expect(calls).toEqual(['POST /api/v1/session', 'GET /api/v1/me', 'DELETE /api/v1/session']);
  // The old token no longer works on the server either.
  const me = await page.request.get(`${REST}/api/v1/me`, { headers: { Authorization: `Bearer ${stored.token}` } });
  expect(me.status()).toBe(401);
  await page.reload();
  await expect(form(page)).toBeVisible();
});

test('a wrong password says so in plain words and keeps what was typed', async ({ page }) => {
  await openMe(page);
  await signIn(page, '138 0000 0001', 'not-the-password');
  const error = form(page).getByTestId('sign-in-error');
  await expect(error).toHaveText('手机号或密码不正确');
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(form(page).getByLabel('手机号')).toHaveValue('138 0000 0001');
  await expect(form(page).getByLabel('密码')).toHaveValue('not-the-password');
  expect(await storedSession(page)).toBeNull();
  await expectNoAxeViolations(page);
});

test('an invalid number is refused next to the field without asking the server', async ({ page }) => {
  const calls = watchAccountCalls(page);
  await openMe(page);
  await signIn(page, '12345', PASSWORD);
  const mobile = form(page).getByLabel('手机号');
  const error = form(page).getByTestId('mobile-error');
  await expect(error).toHaveText('手机号应为 11 位数字，以 13–19 开头');
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(mobile).toHaveAttribute('aria-invalid', 'true');
  await expect(mobile).toHaveAttribute('aria-describedby', (await error.getAttribute('id'))!);
  await expect(mobile).toBeFocused();
  await expect(mobile).toHaveValue('12345');
  await expect(form(page).getByLabel('密码')).not.toHaveAttribute('aria-invalid', 'true');

  // An empty password is named too, and in the current language.
  await page.getByRole('radio', { name: 'English' }).check();
  await form(page).getByLabel('Mobile number').fill('13800000002');
  await form(page).getByLabel('Password').fill('');
  await form(page).getByRole('button', { name: 'Sign in' }).click();
  await expect(form(page).getByTestId('password-error')).toHaveText('Enter your password.');
  await expect(form(page).getByTestId('mobile-error')).toHaveCount(0);
  await expect(form(page).getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  expect(calls).toEqual([]);
});

test('with the server unreachable the network is named and the number survives a reload', async ({ page }) => {
  await page.route('**/api/v1/session', (r) => r.abort());
  await openMe(page);
  await signIn(page, '13800000002', PASSWORD);
  await expect(form(page).getByTestId('sign-in-error')).toHaveText('无法连接服务器，请检查网络后重试（您填写的内容已保留）');
  await expect(form(page).getByLabel('手机号')).toHaveValue('13800000002');
  await expect(form(page).getByLabel('密码')).toHaveValue(PASSWORD);
  await page.reload();
  await expect(form(page).getByLabel('手机号')).toHaveValue('13800000002');
  await expect(form(page).getByLabel('密码')).toHaveValue('');
  // Nothing about the password was written anywhere.
  const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(kept).not.toContain(PASSWORD);
});

test('too many attempts says how many minutes to wait; a server failure says so', async ({ page }) => {
  let answer = { status: 429, headers: { 'Retry-After': '90' }, code: 'too_many_attempts' };
  await page.route('**/api/v1/session', (r) =>
    r.fulfill({
      status: answer.status,
      headers: answer.headers,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: answer.code, message: '…', field: null } }),
    }),
  );
  await openMe(page);
  await signIn(page, '13800000002', PASSWORD);
  await expect(form(page).getByTestId('sign-in-error')).toHaveText('尝试次数过多，请 2 分钟后再试');
  answer = { status: 500, headers: {}, code: 'internal' };
  await form(page).getByRole('button', { name: '登录' }).click();
  await expect(form(page).getByTestId('sign-in-error')).toHaveText('服务器出错了，请稍后再试');
  await expect(form(page).getByLabel('手机号')).toHaveValue('13800000002');
});

test('a field the server refuses is named next to that field', async ({ page }) => {
  await page.route('**/api/v1/session', (r) =>
    r.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_field', message: 'password: too long', field: 'password' } }),
    }),
  );
  await openMe(page);
  await signIn(page, '13800000002', PASSWORD);
  await expect(form(page).getByTestId('password-error')).toHaveText('密码不符合要求');
  await expect(form(page).getByLabel('密码')).toHaveAttribute('aria-invalid', 'true');
  await expect(form(page).getByTestId('sign-in-error')).toHaveCount(0);
});

const person = { id: 1, display_name: '张明', mobile: '13800000001', roles: ['resident'], community: 'yulin' };

test('a stored sign-in the server no longer knows asks to sign in again, number filled in', async ({ page }) => {
  const calls = watchAccountCalls(page);
  await page.goto(`${REST}/`);
  await appReady(page);
  const session = { token: 'x'.repeat(43), expires_at: '2099-01-01T00:00:00Z', person };
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [SESSION_KEY, JSON.stringify(session)]);
  await openMe(page);
  await expect(page.getByTestId('session-notice')).toHaveText('登录已过期，请重新登录');
  await expect(form(page).getByLabel('手机号')).toHaveValue('13800000001');
  expect(await storedSession(page)).toBeNull();
  expect(calls).toContain('GET /api/v1/me');
});

test('a stored sign-in past its expiry is dropped without asking the server', async ({ page }) => {
  const calls = watchAccountCalls(page);
  await page.goto(`${REST}/`);
  await appReady(page);
  const session = { token: 'x'.repeat(43), expires_at: '2020-01-01T00:00:00Z', person };
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [SESSION_KEY, JSON.stringify(session)]);
  await openMe(page, '?lang=en');
  await expect(page.getByTestId('session-notice')).toHaveText('Your sign-in has expired. Please sign in again.');
  await expect(form(page).getByLabel('Mobile number')).toHaveValue('13800000001');
  expect(await storedSession(page)).toBeNull();
  expect(calls).toEqual([]);
});

test('signing out offline forgets the sign-in here and says the server was not told', async ({ page }) => {
  await openMe(page);
  await signIn(page, '13800000003', PASSWORD);
  await expect(page.getByTestId('account-roles').getByRole('listitem')).toHaveText(['社区工作人员']);
  await page.route('**/api/v1/session', (r) => r.abort());
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(form(page)).toBeVisible();
  await expect(page.getByTestId('session-notice')).toContainText('已在本机退出登录');
  expect(await storedSession(page)).toBeNull();
});

test('static hosting has no accounts: 我的 says the data stays on this device', async ({ page }) => {
  await page.goto('/me');
  await appReady(page);
  await expect(page.getByTestId('device-only')).toHaveText(/只保存在这台设备上/);
  await expect(page.getByTestId('sign-in')).toHaveCount(0);
});

test('the form fits 320 px in elder mode with 44 px targets', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await openMe(page, '?large=1');
  await signIn(page, '12345', '');
  await expect(form(page).getByTestId('mobile-error')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  for (const target of await form(page).locator('input, button').all()) {
    const box = (await target.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(320);
  }
});
