import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { REST_PORT } from '../playwright.config';
import { appReady, expectNoAxeViolations, REST } from './helpers';
import { codesFor } from './sms-log.mjs';

// Sign-up and a new password by SMS code, on the server with the `log` sender: each code goes to
// sms.log in the server's data directory, where these tests read it as a phone would.
const SMS_LOG = `e2e/data/${REST_PORT}/sms.log`;

/** The codes the log sender wrote to `mobile`, oldest first. */
const codes = (mobile: string): string[] => codesFor(SMS_LOG, mobile);

/** The `n`th code sent to `mobile` (messages go out just after the server answers). */
async function nthCode(mobile: string, n: number): Promise<string> {
  await expect.poll(() => codes(mobile).length, { message: `code ${n} to ${mobile}` }).toBeGreaterThanOrEqual(n);
  return codes(mobile)[n - 1];
}

/** Another six digits than `code`. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Every POST asking for a code. */
function watchCodeRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/sms-codes')) asked.push(r.postData() ?? '');
  });
  return asked;
}

/** A resident created through the API (a sign-up code, then the account). */
async function newResident(request: APIRequestContext, mobile: string, password: string) {
  const asked = await request.post(`${REST}/api/v1/sms-codes`, { data: { mobile, purpose: 'sign-up' } });
  expect(asked.status()).toBe(202);
  const code = await nthCode(mobile, 1);
  const created = await request.post(`${REST}/api/v1/accounts`, {
    data: { mobile, code, name: '周老师', password, community: 'demo' },
  });
  expect(created.status(), await created.text()).toBe(201);
}

const signUpForm = (page: Page) => page.getByTestId('sign-up');
const resetForm = (page: Page) => page.getByTestId('reset-password');

test('a new resident signs up with an SMS code from the log sender, then files a request', async ({ page }) => {
  const mobile = '13900000101';
  await page.goto(`${REST}/me`);
  await appReady(page);
  await page.getByRole('link', { name: '注册新账号' }).click();
  await expect(page).toHaveURL(`${REST}/me/sign-up`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('注册新账号');
  // 我的 stays the current tab.
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  const form = signUpForm(page);
  await expect(form.getByTestId('sign-up-community')).toHaveText('玉林社区');
  await expect(form.getByLabel('手机号')).toHaveAttribute('autocomplete', 'tel');
  await expect(form.getByLabel('手机号')).toHaveAttribute('type', 'tel');
  await expect(form.getByLabel('短信验证码')).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(form.getByLabel('短信验证码')).toHaveAttribute('inputmode', 'numeric');
  await expect(form.getByLabel('设置密码')).toHaveAttribute('autocomplete', 'new-password');
  await expect(form.getByLabel('设置密码')).toHaveAttribute('type', 'password');
  await expectNoAxeViolations(page);

  await form.getByLabel('手机号').fill('139 0000 0101');
  await form.getByRole('button', { name: '获取验证码' }).click();
  // Said once, without saying whether the number has an account; the wait is in the button.
  await expect(form.getByRole('status')).toHaveText('如果这个号码可以注册，验证码已经发出，5 分钟内有效。');
  await expect(form.getByRole('button', { name: /秒后可重新获取/ })).toBeDisabled();
  await expect(form.getByLabel('短信验证码')).toBeFocused();
  await expectNoAxeViolations(page);

  await form.getByLabel('短信验证码').fill(await nthCode(mobile, 1));
  await form.getByLabel('姓名或称呼').fill('李新');
  await form.getByLabel('设置密码').fill('new-pass-2026');
  await form.getByRole('button', { name: '注册并登录' }).click();

  // Signed in, on 我的.
  await expect(page).toHaveURL(`${REST}/me`);
  await expect(page.getByTestId('session-notice')).toHaveText('注册成功，已为您登录。');
  const card = page.getByTestId('signed-in');
  await expect(card.getByTestId('account-name')).toHaveText('李新');
  await expect(card.getByTestId('account-mobile')).toHaveText(mobile);
  await expect(card.getByTestId('account-roles').getByRole('listitem')).toHaveText(['居民']);

  // And files a request on the server.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '诉求' }).click();
  await page.getByRole('link', { name: '提交诉求' }).click();
  const request = page.getByTestId('new-request');
  await request.getByLabel('诉求分类').selectOption({ label: '噪音扰民' });
  await request.getByLabel('问题描述').fill('小区门口的路灯坏了一个多星期，晚上回家很黑。');
  await request.getByLabel('地址', { exact: true }).fill('玉林北路 5 号');
  await request.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: '诉求已提交' })).toBeFocused();
  await expect(page.getByTestId('tracking')).toHaveText(/\S/);
});

test('a wrong code is refused in plain words, what was typed stays, and the resend button waits', async ({ page }) => {
  const asked = watchCodeRequests(page);
  const mobile = '13900000102';
  await page.goto(`${REST}/me/sign-up`);
  await appReady(page);
  const form = signUpForm(page);
  await form.getByLabel('手机号').fill(mobile);
  await form.getByRole('button', { name: '获取验证码' }).click();
  const resend = form.getByTestId('get-sms-code');
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveText(/^(60|59|58) 秒后可重新获取$/);
  const code = await nthCode(mobile, 1);

  await form.getByLabel('短信验证码').fill(wrong(code));
  await form.getByLabel('姓名或称呼').fill('赵阿姨');
  await form.getByLabel('设置密码').fill('my-garden-7');
  await form.getByRole('button', { name: '注册并登录' }).click();
  const error = form.getByTestId('code-error');
  await expect(error).toHaveText('验证码不对或已失效。请核对短信里的 6 位数字，或重新获取验证码。');
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(form.getByLabel('短信验证码')).toBeFocused();
  await expect(form.getByLabel('短信验证码')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('手机号')).toHaveValue(mobile);
  await expect(form.getByLabel('短信验证码')).toHaveValue(wrong(code));
  await expect(form.getByLabel('姓名或称呼')).toHaveValue('赵阿姨');
  await expect(form.getByLabel('设置密码')).toHaveValue('my-garden-7');
  await expect(page.getByTestId('signed-in')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Still counting down for this number; a corrected number may ask at once.
  await expect(resend).toBeDisabled();
  await form.getByLabel('手机号').fill('13900000109');
  await expect(form.getByRole('button', { name: '重新获取验证码' })).toBeEnabled();
  await form.getByLabel('手机号').fill(mobile);
  await expect(resend).toBeDisabled();
  expect(asked).toHaveLength(1);

  // The right code still works (a code allows five tries).
  await form.getByLabel('短信验证码').fill(code);
  await expect(error).toHaveCount(0);
  await form.getByRole('button', { name: '注册并登录' }).click();
  await expect(page.getByTestId('signed-in').getByTestId('account-name')).toHaveText('赵阿姨');
});

test('forgot password: a code, a new password, and signing in with it', async ({ page, request }) => {
  test.setTimeout(150_000);
  const mobile = '13900000103';
  await newResident(request, mobile, 'first-pass-1');

  await page.goto(`${REST}/me`);
  await appReady(page);
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await expect(page).toHaveURL(`${REST}/me/reset-password`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('重设密码');
  const form = resetForm(page);
  await expect(form.getByLabel('新密码')).toHaveAttribute('autocomplete', 'new-password');
  await expectNoAxeViolations(page);

  // The sign-up code went less than a minute ago: the server's wait is counted down to the end.
  await form.getByLabel('手机号').fill(mobile);
  await form.getByRole('button', { name: '获取验证码' }).click();
  await expect(form.getByRole('status')).toHaveText('如果这个号码有账号，验证码已经发出，5 分钟内有效。');
  const resend = form.getByTestId('get-sms-code');
  await expect(resend).toBeDisabled();
  await expect(resend).toBeEnabled({ timeout: 70_000 });
  await expect(resend).toHaveText('重新获取验证码');
  await resend.click();
  await expect(resend).toBeDisabled();
  const code = await nthCode(mobile, 2);

  // A password the core refuses is named on the phone, without asking the server.
  await form.getByLabel('短信验证码').fill(code);
  await form.getByLabel('新密码').fill('12345678');
  await form.getByRole('button', { name: '设置新密码' }).click();
  await expect(form.getByTestId('password-error')).toHaveText('密码不能全是数字');
  await expect(form.getByLabel('新密码')).toBeFocused();

  await form.getByLabel('新密码').fill('second-pass-2');
  await form.getByRole('button', { name: '设置新密码' }).click();

  // Back on the sign-in form, the number filled in.
  await expect(page).toHaveURL(`${REST}/me`);
  await expect(page.getByTestId('session-notice')).toHaveText('密码已更新，请用新密码登录。');
  const signIn = page.getByTestId('sign-in');
  await expect(signIn.getByLabel('手机号')).toHaveValue(mobile);
  await expectNoAxeViolations(page);
  await signIn.getByLabel('密码').fill('second-pass-2');
  await signIn.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signed-in').getByTestId('account-name')).toHaveText('周老师');
  // The old password no longer works.
  const old = await request.post(`${REST}/api/v1/session`, { data: { mobile, password: 'first-pass-1' } });
  expect(old.status()).toBe(401);
});

test('in English, every screen and refusal is in English', async ({ page }) => {
  const asked = watchCodeRequests(page);
  await page.goto(`${REST}/me`);
  await appReady(page);
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
  await expect(resetForm(page).getByLabel('New password')).toBeVisible();
  await page.getByRole('link', { name: 'Back to sign-in' }).click();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
  const form = signUpForm(page);
  await expect(form.getByTestId('sign-up-community')).toHaveText('Yulin Community');

  // A number that is no number is named on the phone.
  await form.getByRole('button', { name: 'Get a code' }).click();
  await expect(form.getByTestId('mobile-error')).toHaveText('Enter your mobile number.');
  await expect(form.getByLabel('Mobile number')).toBeFocused();
  expect(asked).toEqual([]);

  // The server's refusals, answered here: the day's codes used up, an unusable code, a name
  // the server refuses, an unknown community.
  let answer = { status: 429, code: 'too_many_attempts', field: null as string | null };
  const refuse = (route: import('@playwright/test').Route) =>
    route.fulfill({
      status: answer.status,
      headers: { 'Retry-After': '5400' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: answer.code, message: '…', field: answer.field } }),
    });
  await page.route('**/api/v1/sms-codes', refuse);
  await page.route('**/api/v1/accounts', refuse);
  await form.getByLabel('Mobile number').fill('13900000104');
  await form.getByRole('button', { name: 'Get a code' }).click();
  await expect(form.getByTestId('sms-code-error-notice')).toHaveText('Too many attempts. Try again in 90 minutes.');
  await expect(form.getByRole('button', { name: 'Get a code' })).toBeEnabled();

  await form.getByLabel('Code from the text message').fill('12345');
  await form.getByLabel('Your name').fill('Li');
  await form.getByLabel('Choose a password').fill('short');
  await form.getByRole('button', { name: 'Create account and sign in' }).click();
  await expect(form.getByTestId('code-error')).toHaveText('The code is 6 digits.');
  await expect(form.getByTestId('password-error')).toHaveText('A password has at least 8 characters.');
  await expect(form.getByLabel('Code from the text message')).toBeFocused();

  await form.getByLabel('Code from the text message').fill('123456');
  await form.getByLabel('Choose a password').fill('long-enough-1');
  answer = { status: 401, code: 'invalid_sms_code', field: null };
  await form.getByRole('button', { name: 'Create account and sign in' }).click();
  await expect(form.getByTestId('code-error')).toHaveText(
    'That code is wrong or no longer valid. Check the 6 digits in the text message, or ask for a new code.',
  );
  answer = { status: 422, code: 'invalid_field', field: 'name' };
  await form.getByRole('button', { name: 'Create account and sign in' }).click();
  await expect(form.getByTestId('name-error')).toHaveText('This name is not accepted.');
  await expect(form.getByLabel('Your name')).toBeFocused();
  await expect(form.getByLabel('Your name')).toHaveValue('Li');
  answer = { status: 404, code: 'not_found', field: null };
  await form.getByRole('button', { name: 'Create account and sign in' }).click();
  await expect(form.getByTestId('sign-up-error')).toHaveText(
    'The server does not know this community yet, so sign-up does not work. Please tell community staff.',
  );
  await expectNoAxeViolations(page);
});

test('the sign-up form fits 320 px in elder mode with 44 px targets', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${REST}/me/sign-up?large=1`);
  await appReady(page);
  await expect(page.locator('html')).toHaveClass(/large/);
  const form = signUpForm(page);
  // With every error showing.
  await form.getByRole('button', { name: '注册并登录' }).click();
  await expect(form.getByTestId('code-error')).toBeVisible();
  await expect(form.getByTestId('name-error')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow').toBeLessThanOrEqual(0);
  for (const target of await form.locator('input, button, a').all()) {
    const box = (await target.boundingBox())!;
    expect(box.height, 'touch target height').toBeGreaterThanOrEqual(44);
    expect(box.x + box.width, 'inside the screen').toBeLessThanOrEqual(320);
  }
  await expectNoAxeViolations(page);
});

test('signed in, the sign-up screen says to sign out first', async ({ page, request }) => {
  const mobile = '13900000105';
  await newResident(request, mobile, 'pass-word-5');
  await page.goto(`${REST}/me`);
  await appReady(page);
  const signIn = page.getByTestId('sign-in');
  await signIn.getByLabel('手机号').fill(mobile);
  await signIn.getByLabel('密码').fill('pass-word-5');
  await signIn.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signed-in')).toBeVisible();
  await page.goto(`${REST}/me/sign-up`);
  await appReady(page);
  await expect(page.getByTestId('account-unavailable')).toHaveText(/请先在「我的」退出登录/);
  await expect(signUpForm(page)).toHaveCount(0);
  await page.getByRole('link', { name: '返回「我的」' }).click();
  await expect(page.getByTestId('signed-in')).toBeVisible();
});

test('a host code the server refuses says in 我的 to start again from the app', async ({ page }) => {
  await page.goto(`${REST}/me?host_code=${'unknown-code-'.repeat(2)}`);
  await appReady(page);
  await expect(page.getByTestId('session-notice')).toHaveText('应用传来的登录已失效，请返回应用重新进入。');
  await expect(page.getByTestId('sign-in')).toBeVisible();
  expect(new URL(page.url()).search).toBe('');
});
