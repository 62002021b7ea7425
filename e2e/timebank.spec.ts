import { test, expect, type Page } from '@playwright/test';
import { REST, appReady, auth, expectNoAxeViolations, signIn, token } from './helpers';

// 时间银行: A logs 90 minutes given to B, paid by the community pool; B cannot confirm it, staff
// approve it in the staff screen; A has +90 once; A gives 30 to family; B logs 30 minutes given
// to A, paid from A's own hours, and A confirms it; the statement's running balance follows.

async function actAs(page: Page, name: string) {
  await page.goto('/me');
  await appReady(page);
  await page.getByTestId('demo-identity').getByRole('radio', { name }).check();
}

async function logService(
  page: Page,
  recipient: { label?: string; mobile?: string },
  payer: '社区公益池' | '对方自己的时间' = '社区公益池',
  minutes = '90',
) {
  const form = page.getByTestId('log-service');
  if (recipient.label) await form.getByLabel('服务对象').selectOption({ label: recipient.label });
  if (recipient.mobile) await form.getByLabel('服务对象').fill(recipient.mobile);
  await form.getByLabel('服务类型').selectOption({ label: '陪诊陪护' });
  await form.getByLabel('时长（分钟，15–480）').fill(minutes);
  await form.getByLabel('备注（选填）').fill('陪同去社区医院复查');
  const choice = form.getByRole('group', { name: '由谁支付这段时间' }).getByRole('radio', { name: payer });
  await choice.check();
  await expect(choice).toBeChecked();
  await form.getByRole('button', { name: '登记' }).click();
  await expect(page.getByTestId('timebank-notice')).toContainText('已登记');
  await expect(page.getByTestId('given').last()).toContainText('陪诊陪护');
  await expect(page.getByTestId('given').last().getByTestId('record-waiting'))
    .toHaveText(payer === '社区公益池' ? '等待社区工作人员审核' : '等待对方确认');
}

test('on the in-browser backend: a pool-paid service approved by staff, a recipient-paid one confirmed by its recipient, a gift, and the statement adds up', async ({ page }) => {
  await page.goto('/timebank');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('时间银行');
  await expect(page.getByTestId('balance')).toHaveText('0 分');
  // Both payers are offered, each explained.
  const payers = page.getByRole('group', { name: '由谁支付这段时间' });
  await expect(payers.getByRole('radio', { name: '社区公益池' })).toBeChecked();
  await expect(payers.getByRole('radio', { name: '社区公益池' })).toHaveAccessibleDescription(/工作人员审核后入账/);
  await expect(payers.getByRole('radio', { name: '对方自己的时间' })).toHaveAccessibleDescription(/对方在时间银行里确认后入账/);
  await logService(page, { label: '居民 B · 王芳' });
  // The provider sees the recipient's name masked until the recipient confirms.
  await expect(page.getByTestId('given')).toContainText('居*');
  await expect(page.getByTestId('given')).not.toContainText('王芳');
  await expectNoAxeViolations(page);

  // B sees it, but the pool's record waits for staff: there is no confirm button for B.
  await actAs(page, '居民 B · 王芳');
  await page.goto('/timebank');
  await appReady(page);
  const toConfirm = page.getByTestId('to-confirm');
  await expect(toConfirm).toHaveCount(1);
  await expect(toConfirm).toContainText('居民 A · 张明');
  await expect(toConfirm.getByTestId('record-waiting')).toHaveText('等待社区工作人员审核');
  await expect(toConfirm.getByRole('button', { name: '确认' })).toHaveCount(0);
  await expect(page.getByTestId('balance')).toHaveText('0 分');

  // Staff approve it in the staff screen.
  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/timebank');
  await appReady(page);
  const pending = page.getByTestId('pool-record');
  await expect(pending.getByTestId('record-waiting')).toHaveText('等待社区工作人员审核');
  await pending.getByRole('button', { name: '批准入账' }).click();
  await expect(page.getByTestId('pool-notice')).toHaveText('已批准，时间已入账。');
  await expectNoAxeViolations(page);

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

  // B helps A for 30 minutes, paid from A's own hours: A confirms it, and only A can.
  await actAs(page, '居民 B · 王芳');
  await page.goto('/timebank');
  await appReady(page);
  await logService(page, { label: '居民 A · 张明' }, '对方自己的时间', '30');
  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/timebank');
  await appReady(page);
  const waiting = page.getByTestId('pool-record');
  await expect(waiting.getByTestId('record-waiting')).toHaveText('等待对方确认');
  await expect(waiting.getByRole('button', { name: '批准入账' })).toHaveCount(0);
  await actAs(page, '居民 A · 张明');
  await page.goto('/timebank');
  await appReady(page);
  const mine = page.getByTestId('to-confirm');
  await expect(mine.getByTestId('record-waiting')).toHaveText('等待对方确认');
  await mine.getByRole('button', { name: '确认' }).click();
  await expect(page.getByTestId('timebank-notice')).toHaveText('确认');
  await expect(mine).toHaveCount(0);
  await expect(page.getByTestId('balance')).toHaveText('30 分');
  await expect(page.getByTestId('statement-delta')).toHaveText(['−30 分', '−30 分', '+1 小时 30 分']);
  await expect(page.getByTestId('statement-balance')).toHaveText(['30 分', '1 小时', '1 小时 30 分']);
  await expectNoAxeViolations(page);

  // At 320 px nothing overflows, and every button is a 44 px target.
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const button of await page.locator('main .button').all()) {
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
});

test('on the server: a pool-paid record its recipient cannot confirm, approved twice by staff, credits once; a gift to family follows, and the statement shows both', async ({ page, request }) => {
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
  // The provider sees 张明 masked: the number does not hand out his name.
  await expect(page.getByTestId('given').last()).toContainText('张*');
  await expect(page.getByTestId('given')).not.toContainText('张明');
  await expectNoAxeViolations(page);

  // 张明 cannot confirm what the pool pays; staff approve it twice (through the API, as a double
  // tap would): credited once.
  const recipient = await token(request, '13800000001');
  const mine = await (await request.get(`${REST}/api/v1/timebank/me`, { headers: auth(recipient) })).json();
  const record = mine.pending_received.find((r: { note: string }) => r.note === '陪同去社区医院复查');
  const refused = await request.post(`${REST}/api/v1/timebank/records/${record.id}/confirm`, { headers: auth(recipient) });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('staff_approves');
  const approver = await token(request, '13800000003');
  for (let i = 0; i < 2; i++) {
    const reply = await request.post(`${REST}/api/v1/timebank/records/${record.id}/confirm`, { headers: auth(approver) });
    expect(reply.status()).toBe(200);
  }
  await page.reload();
  await appReady(page);
  const after = (await (await request.get(`${REST}/api/v1/timebank/me`, { headers: auth(provider) })).json()).balance;
  expect(after - before).toBe(90);
  await expect(page.getByTestId('statement-delta').first()).toHaveText('+1 小时 30 分');

  // Staff link 王芳 and 张明 as family; 王芳 gives 张明 30 minutes in the browser.
  const staff = await token(request, '13800000003');
  const id = async (t: string) => (await (await request.get(`${REST}/api/v1/me`, { headers: auth(t) })).json()).id;
  const [giver, relative] = [await id(provider), await id(recipient)];
  const link = await request.post(`${REST}/api/v1/timebank/family`, {
    headers: auth(staff),
    data: { person: giver, relative },
  });
  expect(link.ok()).toBe(true);
  await page.reload();
  await appReady(page);
  const gift = page.getByTestId('gift');
  await gift.getByLabel('家人').selectOption(String(relative));
  await gift.getByLabel('分钟数').fill('30');
  await gift.getByRole('button', { name: '转出' }).click();
  await expect(page.getByTestId('statement-delta').first()).toHaveText('−30 分');
  const final = (await (await request.get(`${REST}/api/v1/timebank/me`, { headers: auth(provider) })).json()).balance;
  expect(final).toBe(after - 30);
  const rows = page.getByTestId('statement-balance');
  const shown = await rows.first().textContent();
  const hours = Math.floor(final / 60), mins = final % 60;
  const expected = [hours ? `${hours} 小时` : '', mins ? `${mins} 分` : ''].filter(Boolean).join(' ') || '0 分';
  expect(shown).toBe(expected);
});

// A statement of 10,000 lines on the in-browser backend: the scroll box keeps a screenful of rows
// in the page, fetches older pages as it nears the end, and every row shows its own running
// balance, from the newest line to the oldest.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { timebankSeed, zhDuration } = require('../bench/timebank-seed.cjs');

test('a 10,000-line statement stays a window of rows, and its oldest line still adds up', async ({ page }) => {
  test.setTimeout(180_000);
  const n = 10_000;
  const seed = timebankSeed(n);
  await page.addInitScript(([key, json]) => localStorage.setItem(key, json), [seed.key, seed.json]);
  await page.goto('/timebank');
  await appReady(page);
  await expect(page.getByTestId('balance')).toHaveText(zhDuration(seed.balances[n - 1]));

  const scroll = page.getByRole('region', { name: '收支明细' });
  const rows = scroll.getByTestId('statement-line');
  // What each row in the page shows, by its position (1 = newest), and what it should show.
  const shown = () => rows.evaluateAll((els) => els.map((el) => ({
    position: Number(el.getAttribute('aria-posinset')),
    setSize: Number(el.getAttribute('aria-setsize')),
    delta: el.querySelector('[data-testid="statement-delta"]')!.textContent,
    balance: el.querySelector('[data-testid="statement-balance"]')!.textContent,
  })));
  const expected = (position: number) => ({
    delta: zhDuration(seed.deltas[n - position], true),
    balance: zhDuration(seed.balances[n - position]),
  });

  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  const top = await shown();
  expect(top.length).toBeGreaterThan(3);
  expect(top.length).toBeLessThan(100);
  for (const row of top) {
    expect({ delta: row.delta, balance: row.balance }, `line ${row.position}`).toEqual(expected(row.position));
    expect(row.setSize, 'older pages are still to come').toBe(-1);
  }
  await expect(rows.first()).toContainText('家人转赠 · 居民 B · 王芳');

  // The keyboard scrolls it: the box is a tab stop.
  await scroll.focus();
  await page.keyboard.press('PageDown');
  await expect.poll(() => scroll.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

  // To the end, page by page: each jump to the bottom brings the next page.
  await scroll.evaluate(async (el) => {
    const deadline = performance.now() + 150_000;
    while (!el.querySelector('[aria-posinset="10000"]')) {
      if (performance.now() > deadline) throw new Error('the oldest line never came');
      el.scrollTop = el.scrollHeight;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  const bottom = await shown();
  expect(bottom.length).toBeLessThan(100);
  expect(bottom.map((r) => r.position)).toContain(n);
  for (const row of bottom) {
    expect({ delta: row.delta, balance: row.balance }, `line ${row.position}`).toEqual(expected(row.position));
    expect(row.setSize, 'every page is loaded').toBe(n);
  }
  const oldest = scroll.locator('[aria-posinset="10000"]');
  await expect(oldest).toContainText('服务 · 社区公益池');
  await expect(oldest.getByTestId('statement-delta')).toHaveText('+8 小时');
  await expect(oldest.getByTestId('statement-balance')).toHaveText('8 小时');
  await expect(oldest).toBeInViewport();
  await expectNoAxeViolations(page);
});
