import { test, expect, type Page } from '@playwright/test';
import { REST, appReady, auth, expectNoAxeViolations, signIn, token } from './helpers';

// 时间银行: A logs 90 minutes for B; B confirms; A has +90 once; A gives 30 to family; the
// statement's running balance follows.

async function actAs(page: Page, name: string) {
  await page.goto('/me');
  await appReady(page);
  await page.getByTestId('demo-identity').getByRole('radio', { name }).check();
}

async function logService(page: Page, recipient: { label?: string; mobile?: string }) {
  const form = page.getByTestId('log-service');
  if (recipient.label) await form.getByLabel('服务对象').selectOption({ label: recipient.label });
  if (recipient.mobile) await form.getByLabel('服务对象').fill(recipient.mobile);
  await form.getByLabel('服务类型').selectOption({ label: '陪诊陪护' });
  await form.getByLabel('时长（分钟，15–480）').fill('90');
  await form.getByLabel('备注（选填）').fill('陪同去社区医院复查');
  await form.getByRole('button', { name: '登记' }).click();
  await expect(page.getByTestId('timebank-notice')).toContainText('已登记');
  await expect(page.getByTestId('given')).toContainText('陪诊陪护');
}

test('on the in-browser backend: service logged, confirmed once, credited, gifted, and the statement adds up', async ({ page }) => {
  await page.goto('/timebank');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('时间银行');
  await expect(page.getByTestId('balance')).toHaveText('0 分');
  await logService(page, { label: '居民 B · 王芳' });
  await expectNoAxeViolations(page);

  await actAs(page, '居民 B · 王芳');
  await page.goto('/timebank');
  await appReady(page);
  const toConfirm = page.getByTestId('to-confirm');
  await expect(toConfirm).toHaveCount(1);
  await expect(toConfirm).toContainText('居民 A · 张明');
  await toConfirm.getByRole('button', { name: '确认' }).click();
  await expect(toConfirm).toHaveCount(0);
  await expect(page.getByTestId('balance')).toHaveText('0 分');

  await actAs(page, '居民 A · 张明');
  await page.goto('/timebank');
  await appReady(page);
  await expect(page.getByTestId('balance')).toHaveText('1 小时 30 分');
  const gift = page.getByTestId('gift');
  await gift.getByLabel('家人').selectOption({ label: '居民 B · 王芳' });
  // More than the balance is refused, and nothing moves.
  await gift.getByLabel('分钟数').fill('100');
  await gift.getByRole('button', { name: '转出' }).click();
  await expect(page.getByTestId('timebank-error')).toHaveText('时间余额不足。');
  await expect(page.getByTestId('balance')).toHaveText('1 小时 30 分');
  await gift.getByLabel('分钟数').fill('30');
  await gift.getByRole('button', { name: '转出' }).click();
  await expect(page.getByTestId('balance')).toHaveText('1 小时');
  await expect(page.getByTestId('statement-delta')).toHaveText(['−30 分', '+1 小时 30 分']);
  await expect(page.getByTestId('statement-balance')).toHaveText(['1 小时', '1 小时 30 分']);
  await expectNoAxeViolations(page);

  // At 320 px nothing overflows, and every button is a 44 px target.
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const button of await page.locator('main .button').all()) {
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
});

test('on the server: a record confirmed twice credits once, and the statement shows it', async ({ page, request }) => {
  await page.route('**/config.json', async (route) => {
    const config = await (await route.fetch()).json();
    await route.fulfill({ json: { ...config, backends: { ...config.backends, timebank: 'rest' } } });
  });
  // Signed out, the time bank says why it needs a sign-in.
  await page.goto(`${REST}/timebank`);
  await appReady(page);
  await expect(page.getByTestId('timebank-sign-in')).toContainText('使用时间银行需要先登录');

  const provider = await token(request, '13800000002');
  const before = (await (await request.get(`${REST}/api/v1/timebank/me`, { headers: auth(provider) })).json()).balance;

  await signIn(page, '13800000002');
  await page.goto(`${REST}/timebank`);
  await appReady(page);
  await logService(page, { mobile: '13800000001' });

  // 张明 confirms twice (through the API, as a double tap would): credited once.
  const recipient = await token(request, '13800000001');
  const mine = await (await request.get(`${REST}/api/v1/timebank/me`, { headers: auth(recipient) })).json();
  const record = mine.pending_received.find((r: { note: string }) => r.note === '陪同去社区医院复查');
  for (let i = 0; i < 2; i++) {
    const reply = await request.post(`${REST}/api/v1/timebank/records/${record.id}/confirm`, { headers: auth(recipient) });
    expect(reply.status()).toBe(200);
  }
  await page.reload();
  await appReady(page);
  const after = (await (await request.get(`${REST}/api/v1/timebank/me`, { headers: auth(provider) })).json()).balance;
  expect(after - before).toBe(90);
  await expect(page.getByTestId('statement-delta').first()).toHaveText('+1 小时 30 分');
});
