import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { REST, appReady, auth, expectNoAxeViolations, signIn, token } from './helpers';

// The staff's volunteering and time-bank screens (工作台) on the server (`rest`, config/serve.json):
// an activity planned and run with its check-in screen, a volunteer's time verified and paid in
// points, the mall's stock following a redemption and its cancellation, and the time bank's
// review keeping every account summed at zero.

const STAFF = '13800000003';
const RESIDENT_A = '13800000001';
const RESIDENT_B = '13800000002';

/** `YYYY-MM-DDTHH:MM` in China time, `minutes` from now, as a `datetime-local` input holds it. */
function chinaInput(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** A name no other run of these tests (on the same server) has used. */
const unique = (prefix: string) => `${prefix}${Date.now() % 1_000_000}`;

async function points(request: APIRequestContext, bearer: string): Promise<number> {
  const reply = await request.get(`${REST}/api/v1/volunteer/points`, { headers: auth(bearer) });
  expect(reply.ok()).toBeTruthy();
  return (await reply.json()).balance;
}

/** At 320 px nothing overflows sideways, and every button and input is a 44 px target. */
async function fitsSmallPhone(page: Page) {
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const target of await page.locator('main .button, main .field__input').all()) {
    if (!(await target.isVisible())) continue;
    expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

test('staff plan an activity, run its check-in screen and verify a volunteer’s time; points and the mall follow', async ({ page, browser, request }) => {
  test.setTimeout(240_000);
  const resident = await token(request, RESIDENT_A);

  // 工作台 links to every staff tool.
  await signIn(page, STAFF);
  await page.goto(`${REST}/staff`);
  await appReady(page);
  const home = page.getByTestId('staff-home');
  for (const name of ['诉求工单', '活动管理', '时间银行审核', '积分商城库存']) {
    await expect(home.getByRole('link', { name: new RegExp(name) })).toBeVisible();
  }
  await home.getByRole('link', { name: /活动管理/ }).click();
  await expect(page).toHaveURL(`${REST}/staff/activities`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('活动管理');

  // An empty form: each field says what it needs, in plain words.
  const form = page.getByTestId('activity-form');
  await form.getByRole('button', { name: '发布活动' }).click();
  await expect(page.getByTestId('title-error')).toHaveText('请填写活动名称，2–60 个字。');
  await expect(page.getByTestId('place-error')).toHaveText('请填写地点，2–100 个字。');
  await expect(page.getByTestId('start-error')).toHaveText('请选择开始的日期和时间。');
  await expect(page.getByTestId('end-error')).toHaveText('请选择结束的日期和时间。');
  await expect(page.getByTestId('slots-error')).toHaveText('名额请填 1 到 500 的整数。');
  await expect(page.getByTestId('per-hour-error')).toHaveText('积分请填 1 到 1000000 的整数。');
  await expect(form.getByLabel('活动名称')).toBeFocused();
  await expectNoAxeViolations(page);

  // An end before the start is refused, and what was typed stays.
  const title = unique('楼道清扫 ');
  await form.getByLabel('活动名称').fill(title);
  await expect(page.getByTestId('title-error')).toHaveCount(0);
  await form.getByLabel('地点').fill('玉林北路 3 号院');
  await form.getByLabel('活动说明（选填）').fill('清扫 1–3 栋楼道，工具由社区提供。');
  await form.getByLabel('开始时间（北京时间）').fill(chinaInput(0));
  await form.getByLabel('结束时间（北京时间）').fill(chinaInput(-60));
  await form.getByLabel('名额（1–500 人）').fill('5');
  await form.getByLabel('每小时积分').fill('20');
  await form.getByLabel('每人最多积分').fill('100');
  await form.getByRole('button', { name: '发布活动' }).click();
  await expect(page.getByTestId('end-error')).toHaveText('结束时间要晚于开始时间。');
  await expect(form.getByLabel('活动名称')).toHaveValue(title);
  await expect(form.getByLabel('每小时积分')).toHaveValue('20');

  // Starting now, for two hours: created, and its page opens.
  await form.getByLabel('结束时间（北京时间）').fill(chinaInput(120));
  await form.getByRole('button', { name: '发布活动' }).click();
  await expect(page).toHaveURL(new RegExp(`${REST}/staff/activities/[^/]+$`));
  const id = page.url().split('/').pop()!;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByTestId('activity-summary').getByTestId('activity-phase')).toHaveText('签到中');
  await expect(page.getByTestId('activity-signed-up')).toHaveText('已报名 0 / 5 人');
  await expect(page.getByTestId('no-attendees')).toBeVisible();
  await expect(page.getByTestId('activity-form').getByLabel('活动名称')).toHaveValue(title);
  await expectNoAxeViolations(page);

  // It is listed, linking to its page.
  await page.goto(`${REST}/staff/activities`);
  await appReady(page);
  const listed = page.locator(`[data-testid="staff-activity"][data-id="${id}"]`);
  await expect(listed).toContainText(title);
  await expect(listed).toContainText('已报名 0 / 5 人');
  await expect(listed).toHaveAttribute('href', `/staff/activities/${id}`);
  await listed.click();
  await expect(page).toHaveURL(`${REST}/staff/activities/${id}`);

  // The check-in screen: a 6-digit code, its QR code, and the seconds until the next code.
  await page.getByRole('link', { name: '打开签到屏' }).click();
  await expect(page).toHaveURL(`${REST}/staff/checkin/${id}`);
  const code = page.getByTestId('checkin-code');
  const countdown = page.getByTestId('checkin-countdown');
  await expect(code).toHaveText(/^\d{6}$/);
  await expect(code).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByRole('img', { name: '签到码的二维码' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(countdown).toHaveText(/^([1-9]|[12]\d|30) 秒后换新码$/);
  // The countdown ticks every second, and at zero a new code is fetched.
  const seconds = async () => Number((await countdown.textContent())!.split(' ')[0]);
  const first = (await code.textContent())!;
  const left = await seconds();
  await expect.poll(seconds, { timeout: 3_000 }).not.toBe(left);
  await expect(code).not.toHaveText(first, { timeout: (left + 5) * 1000 });
  await expect(code).toHaveText(/^\d{6}$/);
  await expect(countdown).toHaveText(/^([1-9]|[12]\d|30) 秒后换新码$/);
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Resident A, on their own phone, signs up, types the code on the screen, checks in and out.
  const phone = await browser.newContext();
  const mine = await phone.newPage();
  await signIn(mine, RESIDENT_A);
  await mine.goto(`${REST}/volunteer/activities/${id}`);
  await appReady(mine);
  await mine.getByTestId('sign-up').click();
  await expect(mine.getByTestId('checkin-code-input')).toBeVisible();
  // Read just before typing, with time to spare before it changes.
  if ((await seconds()) < 5) await expect.poll(seconds, { timeout: 10_000 }).toBeGreaterThan(20);
  await mine.getByTestId('checkin-code-input').fill((await code.textContent())!);
  await mine.getByTestId('checkin-submit').click();
  await expect(mine.getByTestId('check-out')).toBeVisible();
  await mine.getByTestId('check-out').click();
  await expect(mine.getByTestId('check-out')).toHaveCount(0);

  // 退出 goes back to the activity, which now lists A with both times and a suggestion. The
  // screen's countdown stops with it: no code is asked for once it is gone (checked at the end,
  // after the code on screen would have expired).
  const codeAsked: string[] = [];
  const nextCodeDue = Date.now() + ((await seconds()) + 2) * 1000;
  await page.getByRole('link', { name: '退出' }).click();
  page.on('request', (r) => { if (r.url().endsWith('/code')) codeAsked.push(r.url()); });
  await expect(page).toHaveURL(`${REST}/staff/activities/${id}`);
  await expect(page.getByTestId('activity-signed-up')).toHaveText('已报名 1 / 5 人');
  const attendee = page.getByTestId('attendee');
  await expect(attendee).toHaveCount(1);
  await expect(attendee.getByTestId('attendee-name')).toHaveText('张明');
  await expect(attendee.getByTestId('attendee-in')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(attendee.getByTestId('attendee-out')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  // Checked in and out within a minute: the suggestion is 0, prefilled for staff to correct.
  await expect(attendee.getByTestId('attendee-suggested')).toHaveText('0 分');
  const minutes = attendee.getByLabel('核定时长（分钟）');
  await expect(minutes).toHaveValue('0');
  await expectNoAxeViolations(page);

  // A second staff tab, opened before the verification, still shows the form.
  const stale = await page.context().newPage();
  await stale.goto(`${REST}/staff/activities/${id}`);
  await appReady(stale);
  await expect(stale.getByTestId('attendee').getByLabel('核定时长（分钟）')).toBeVisible();

  await minutes.fill('2000');
  await attendee.getByRole('button', { name: '核定' }).click();
  await expect(attendee.getByTestId('verify-minutes-error')).toHaveText('时长请填 1 到 1440 的整数（分钟）。');
  // 0 minutes is no verification either: refused before anything is sent.
  await minutes.fill('0');
  await attendee.getByRole('button', { name: '核定' }).click();
  await expect(attendee.getByTestId('verify-minutes-error')).toHaveText('时长请填 1 到 1440 的整数（分钟）。');
  const before = await points(request, resident);
  await minutes.fill('60');
  await attendee.getByRole('button', { name: '核定' }).click();
  await expect(attendee.getByTestId('attendee-verified')).toHaveText('1 小时');
  await expect(attendee.getByTestId('attendee-points')).toHaveText('20 积分');
  await expect(attendee.getByRole('button', { name: '核定' })).toHaveCount(0);

  // Verified twice: refused plainly, and nothing more is credited.
  // (Its prefilled suggestion is 0 minutes, which the form refuses by itself: type an hour.)
  await stale.getByTestId('attendee').getByLabel('核定时长（分钟）').fill('60');
  await stale.getByTestId('attendee').getByRole('button', { name: '核定' }).click();
  await expect(stale.getByTestId('verify-error')).toHaveText('这位志愿者的时长已经核定过，积分只发放一次。');
  await stale.close();
  expect(await points(request, resident)).toBe(before + 20);

  // The time is locked once someone checked in: an edit of it is refused in plain words.
  const edit = page.getByTestId('activity-form');
  await edit.getByLabel('开始时间（北京时间）').fill(chinaInput(-10));
  await edit.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByTestId('activity-error')).toHaveText('已有志愿者签到，活动时间不能再改。');
  // Other changes are still saved.
  await page.reload();
  await appReady(page);
  const place = page.getByTestId('activity-form').getByLabel('地点');
  await place.fill('玉林北路 3 号院（东门）');
  await page.getByTestId('activity-form').getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByTestId('activity-saved')).toHaveText('已保存。');
  await page.reload();
  await appReady(page);
  await expect(page.getByTestId('activity-form').getByLabel('地点')).toHaveValue('玉林北路 3 号院（东门）');
  await fitsSmallPhone(page);

  // A sees the points on their own page.
  await mine.goto(`${REST}/volunteer/points`);
  await appReady(mine);
  await expect(mine.getByTestId('volunteer-points-balance')).toHaveText(`${before + 20} 积分`);

  // The mall: staff add an item and restock it; A redeems it, then cancels.
  await page.goto(`${REST}/staff/mall`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('积分商城库存');
  const add = page.getByTestId('add-item');
  await add.getByRole('button', { name: '上架' }).click();
  await expect(page.getByTestId('item-name-error')).toHaveText('请填写物品名称，2–40 个字。');
  await expect(page.getByTestId('item-price-error')).toHaveText('积分请填 1 到 1000000 的整数。');
  await expect(page.getByTestId('item-stock-error')).toHaveText('数量请填 1 到 10000 的整数。');
  const item = unique('环保购物袋 ');
  await add.getByLabel('物品名称').fill(item);
  await add.getByLabel('物品说明（选填）').fill('到社区服务中心一楼领取');
  await add.getByLabel('所需积分').fill('10');
  await add.getByLabel('初始库存').fill('3');
  await add.getByRole('button', { name: '上架' }).click();
  await expect(page.getByTestId('add-item-done')).toHaveText('已上架。');
  await expect(add.getByLabel('物品名称')).toHaveValue('');
  const card = page.getByTestId('staff-mall-item').filter({ hasText: item });
  await expect(card.getByTestId('staff-mall-stock')).toHaveText('3');
  await expect(card.getByTestId('staff-mall-price')).toHaveText('10 积分');
  await card.getByLabel('补货数量').fill('0');
  await card.getByRole('button', { name: '补货' }).click();
  await expect(card.getByTestId('restock-error')).toHaveText('数量请填 1 到 10000 的整数。');
  await card.getByLabel('补货数量').fill('2');
  await card.getByRole('button', { name: '补货' }).click();
  await expect(card.getByTestId('staff-mall-stock')).toHaveText('5');
  await expect(card.getByRole('status')).toHaveText('已补货。');
  await expectNoAxeViolations(page);
  await fitsSmallPhone(page);

  await mine.goto(`${REST}/volunteer/mall`);
  await appReady(mine);
  const offer = mine.getByTestId('mall-item').filter({ hasText: item });
  await expect(offer.getByTestId('mall-stock')).toHaveText('库存 5');
  await offer.getByTestId('mall-redeem').click();
  await offer.getByTestId('mall-confirm').click();
  await expect(offer.getByTestId('mall-stock')).toHaveText('库存 4');
  expect(await points(request, resident)).toBe(before + 10);
  await page.reload();
  await appReady(page);
  await expect(card.getByTestId('staff-mall-stock')).toHaveText('4');

  // Cancelled: the stock and the points come back.
  await mine.getByTestId('redemption').filter({ hasText: item }).getByTestId('cancel-redemption').click();
  await expect(offer.getByTestId('mall-stock')).toHaveText('库存 5');
  expect(await points(request, resident)).toBe(before + 20);
  await page.reload();
  await appReady(page);
  await expect(card.getByTestId('staff-mall-stock')).toHaveText('5');
  await phone.close();

  await page.waitForTimeout(Math.max(0, nextCodeDue - Date.now()));
  expect(codeAsked).toEqual([]);
});

test('staff approve and reject pool-paid time-bank records, and every account still sums to zero', async ({ page, request }) => {
  const provider = await token(request, RESIDENT_A);
  const staff = await token(request, STAFF);
  const log = async (note: string) => {
    const reply = await request.post(`${REST}/api/v1/timebank/records`, {
      headers: auth(provider),
      data: { recipient: RESIDENT_B, service: 'escort', start: Math.floor(Date.now() / 1000) - 3 * 3600, duration: 90, note },
    });
    expect(reply.status()).toBe(201);
    return (await reply.json()).id as number;
  };
  const pool = async () => (await (await request.get(`${REST}/api/v1/timebank/pool`, { headers: auth(staff) })).json());
  const toConfirm = await log(unique('陪同复查 '));
  const toReject = await log(unique('代买药品 '));

  await signIn(page, STAFF);
  await page.goto(`${REST}/staff`);
  await appReady(page);
  await page.getByRole('link', { name: /时间银行审核/ }).click();
  await expect(page).toHaveURL(`${REST}/staff/timebank`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('时间银行审核');
  await expect(page.getByTestId('pool-sum')).toHaveText('0 分');
  const record = page.locator(`[data-testid="pool-record"][data-record="${toConfirm}"]`);
  await expect(record.getByTestId('record-line')).toContainText('张明 → 王芳 · 陪诊陪护 · 1 小时 30 分 ·');
  await expect(record.getByTestId('record-waiting')).toHaveText('等待社区工作人员审核');
  await expectNoAxeViolations(page);

  await record.getByRole('button', { name: '批准入账' }).click();
  await expect(page.getByTestId('pool-notice')).toHaveText('已批准，时间已入账。');
  await expect(record).toHaveCount(0);
  await expect(page.getByTestId('pool-sum')).toHaveText('0 分');
  // What the screen shows is the bank's own report after the confirmation.
  const after = await pool();
  expect(after.sum_of_accounts).toBe(0);
  expect(after.pending.map((r: { id: number }) => r.id)).not.toContain(toConfirm);
  await expect(page.getByTestId('pool-balance')).toHaveAttribute('data-minutes', String(after.pool_balance));
  await expect(page.locator(`[data-testid="member-balance"][data-member="${after.balances.find((b: { member: { name: string } }) => b.member.name === '张明').member.id}"]`))
    .toBeVisible();

  // A rejection needs a reason.
  const other = page.locator(`[data-testid="pool-record"][data-record="${toReject}"]`);
  await other.getByRole('button', { name: '驳回' }).click();
  await expect(other.getByTestId('reject-reason-error')).toHaveText('请填写内容');
  await expect(other.getByLabel('驳回原因')).toBeFocused();
  await other.getByLabel('驳回原因').fill('服务时间与登记不符');
  await other.getByRole('button', { name: '驳回' }).click();
  await expect(page.getByTestId('pool-notice')).toHaveText('已驳回。');
  await expect(other).toHaveCount(0);
  await expect(page.getByTestId('pool-sum')).toHaveText('0 分');
  expect((await pool()).sum_of_accounts).toBe(0);

  // Nobody approves a record they gave: the screen says so in plain words.
  const own = await request.post(`${REST}/api/v1/timebank/records`, {
    headers: auth(staff),
    data: { recipient: RESIDENT_A, service: 'repair', start: Math.floor(Date.now() / 1000) - 3 * 3600, duration: 30, note: unique('修水龙头 ') },
  });
  expect(own.status()).toBe(201);
  const ownId = (await own.json()).id as number;
  await page.reload();
  await appReady(page);
  const mine = page.locator(`[data-testid="pool-record"][data-record="${ownId}"]`);
  await mine.getByRole('button', { name: '批准入账' }).click();
  await expect(page.getByTestId('pool-error')).toHaveText('不能审核自己提供或接受的服务。');
  await expect(mine).toHaveCount(1);
  await expectNoAxeViolations(page);
  await fitsSmallPhone(page);
});

test('the staff screens tell residents and visitors they are for staff, and show nothing else', async ({ page }) => {
  const screens = ['/staff/activities', '/staff/activities/x1', '/staff/checkin/x1', '/staff/timebank', '/staff/mall'];
  for (const path of screens) {
    await page.goto(`${REST}${path}`);
    await appReady(page);
    await expect(page.getByTestId('staff-only')).toContainText('工作人员账号登录');
  }
  await signIn(page, RESIDENT_B);
  for (const path of screens) {
    await page.goto(`${REST}${path}`);
    await appReady(page);
    await expect(page.getByTestId('staff-only')).toContainText('不是工作人员账号');
    await expect(page.getByTestId('checkin-code')).toHaveCount(0);
    await expect(page.getByTestId('pool-figures')).toHaveCount(0);
  }
  await expectNoAxeViolations(page);
});

async function actAs(page: Page, name: string) {
  await page.goto('/me');
  await appReady(page);
  await page.getByTestId('demo-identity').getByRole('radio', { name }).check();
}

test('redemptions wait at the counter: staff hand the item over, and then the resident can no longer cancel', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  const resident = await token(request, RESIDENT_A);
  const staff = await token(request, STAFF);
  // A new item, so this test's redemption is the only one of it waiting.
  const item = unique('社区洗车券 ');
  const added = await request.post(`${REST}/api/v1/volunteer/mall`, {
    headers: auth(staff),
    data: { name: item, price: 1, stock: 2 },
  });
  expect(added.status()).toBe(201);
  const itemId = (await added.json()).id;
  const redeemed = await request.post(`${REST}/api/v1/volunteer/mall/${itemId}/redeem`, { headers: auth(resident), data: null });
  expect(redeemed.ok()).toBeTruthy();
  const seq = (await redeemed.json()).seq;

  // The resident sees it waiting, with the way to cancel it.
  const phone = await browser.newContext();
  const mine = await phone.newPage();
  await signIn(mine, RESIDENT_A);
  await mine.goto(`${REST}/volunteer/mall`);
  await appReady(mine);
  const myRedemption = mine.getByTestId('redemption').filter({ hasText: item });
  await expect(myRedemption.getByTestId('redemption-state')).toHaveText('状态：待领取');
  await expect(myRedemption.getByRole('button', { name: '取消兑换' })).toBeVisible();

  // A resident cannot mark it handed over.
  const forged = await request.post(`${REST}/api/v1/volunteer/redemptions/${seq}/handover`, { headers: auth(resident), data: null });
  expect(forged.status()).toBe(403);

  // At the counter, staff find it in the waiting list and hand it over.
  await signIn(page, STAFF);
  await page.goto(`${REST}/staff/mall`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 2, name: '待领取的兑换' })).toBeVisible();
  const counter = page.getByRole('region', { name: '待领取的兑换' });
  const waiting = counter.getByRole('listitem').filter({ hasText: item });
  await expect(waiting).toContainText('张明');
  await expectNoAxeViolations(page);
  await waiting.getByRole('button', { name: '登记领取' }).click();
  await expect(page.getByTestId('counter-notice')).toHaveText('已登记为领取。');
  await expect(counter.getByRole('listitem').filter({ hasText: item })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await fitsSmallPhone(page);

  // The resident sees it handed over, and no longer a way to cancel it; the API refuses too.
  await mine.reload();
  await appReady(mine);
  await expect(myRedemption.getByTestId('redemption-state')).toHaveText('状态：已领取');
  await expect(myRedemption.getByRole('button', { name: '取消兑换' })).toHaveCount(0);
  await expect(myRedemption).toContainText('物品已领取，不能再取消兑换。');
  await expectNoAxeViolations(mine);
  const refused = await request.post(`${REST}/api/v1/volunteer/redemptions/${seq}/cancel`, { headers: auth(resident), data: null });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe('handed_over');
  // Nothing came back: the line is handed over, not cancelled (the balance itself may move, as
  // other tests credit A in parallel).
  const account = await (await request.get(`${REST}/api/v1/volunteer/points`, { headers: auth(resident) })).json();
  const line = account.history.find((l: { seq: number }) => l.seq === seq);
  expect([line.handed_over, line.cancelled]).toEqual([true, false]);
  expect(account.history.some((l: { kind: string; what: string }) => l.kind === 'cancel_redeem' && l.what === item)).toBe(false);

  // In English too.
  await mine.goto(`${REST}/volunteer/mall?lang=en`);
  await appReady(mine);
  await expect(mine.getByTestId('redemption').filter({ hasText: item }).getByTestId('redemption-state')).toHaveText('Status: Handed over');
  await phone.close();
});

test('staff are not offered to verify their own attendance', async ({ page, request }) => {
  const staff = await token(request, STAFF);
  const now = Math.floor(Date.now() / 1000);
  const created = await request.post(`${REST}/api/v1/volunteer/activities`, {
    headers: auth(staff),
    data: { title: unique('自查活动 '), place: '玉林北路 3 号院', start: now, end: now + 7200, slots: 5, award: { kind: 'per_hour', per_hour: 10, cap: 40 } },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  const act = (path: string, data: unknown = null) =>
    request.post(`${REST}/api/v1/volunteer/activities/${id}/${path}`, { headers: auth(staff), data });
  expect((await act('signup')).ok()).toBeTruthy();
  const code = (await (await request.get(`${REST}/api/v1/volunteer/activities/${id}/code`, { headers: auth(staff) })).json()).code;
  expect((await act('checkin', { code })).ok()).toBeTruthy();
  expect((await act('checkout')).ok()).toBeTruthy();

  await signIn(page, STAFF);
  await page.goto(`${REST}/staff/activities/${id}`);
  await appReady(page);
  const attendee = page.getByTestId('attendee');
  await expect(attendee).toHaveCount(1);
  await expect(attendee.getByTestId('verify-own')).toHaveText('这是您自己的参与记录，需由另一位工作人员核定。');
  await expect(attendee.getByRole('button', { name: '核定' })).toHaveCount(0);
  await expectNoAxeViolations(page);
  // Sent anyway, the server refuses it.
  const me = (await (await request.get(`${REST}/api/v1/me`, { headers: auth(staff) })).json()).id;
  const forged = await act(`attendees/${me}/verify`, { minutes: 60 });
  expect(forged.status()).toBe(409);
  expect((await forged.json()).error.code).toBe('own_attendance');
});

test('on the in-browser backend, the demo staff member plans an activity, shows its code and reviews the time bank', async ({ page }) => {
  // Resident A logs 90 minutes given to B; nobody has confirmed it yet.
  await actAs(page, '居民 A · 张明');
  await page.goto('/timebank');
  await appReady(page);
  const log = page.getByTestId('log-service');
  await log.getByLabel('服务对象').selectOption({ label: '居民 B · 王芳' });
  await log.getByLabel('服务类型').selectOption({ label: '陪诊陪护' });
  await log.getByLabel('时长（分钟，15–480）').fill('90');
  await log.getByRole('button', { name: '登记' }).click();
  await expect(page.getByTestId('timebank-notice')).toContainText('已登记');

  // A resident is told the review is for staff.
  await page.goto('/staff/timebank');
  await appReady(page);
  await expect(page.getByTestId('staff-only')).toContainText('不是工作人员账号');

  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/timebank');
  await appReady(page);
  await expect(page.getByTestId('pool-pending')).toHaveText('1');
  const record = page.getByTestId('pool-record');
  await expect(record.getByTestId('record-line')).toContainText('居民 A · 张明 → 居民 B · 王芳 · 陪诊陪护 · 1 小时 30 分');
  await record.getByRole('button', { name: '批准入账' }).click();
  await expect(page.getByTestId('pool-notice')).toHaveText('已批准，时间已入账。');
  await expect(page.getByTestId('no-pending')).toBeVisible();
  await expect(page.getByTestId('pool-balance')).toHaveText('−1 小时 30 分');
  await expect(page.getByTestId('pool-members-total')).toHaveText('1 小时 30 分');
  await expect(page.getByTestId('pool-sum')).toHaveText('0 分');
  await expect(page.getByTestId('pool-confirmed')).toHaveText('1');
  await expect(page.getByTestId('member-balance')).toHaveText(['1 小时 30 分']);

  // An activity with a fixed award, starting in two hours: its screen says when check-in opens.
  await page.goto('/staff/activities');
  await appReady(page);
  const form = page.getByTestId('activity-form');
  await form.getByLabel('活动名称').fill('社区义诊志愿者');
  await form.getByLabel('地点').fill('社区卫生服务中心');
  const start = chinaInput(120);
  await form.getByLabel('开始时间（北京时间）').fill(start);
  await form.getByLabel('结束时间（北京时间）').fill(chinaInput(240));
  await form.getByLabel('名额（1–500 人）').fill('10');
  await form.getByRole('radio', { name: '固定积分' }).check();
  await expect(form.getByLabel('每小时积分')).toHaveCount(0);
  await form.getByLabel('每人积分').fill('30');
  await form.getByRole('button', { name: '发布活动' }).click();
  await expect(page).toHaveURL(/\/staff\/activities\/[^/]+$/);
  const id = page.url().split('/').pop()!;
  await expect(page.getByTestId('activity-summary').getByTestId('activity-phase')).toHaveText('未开始');
  await expect(page.getByTestId('activity-form').getByRole('radio', { name: '固定积分' })).toBeChecked();
  await expect(page.getByTestId('activity-form').getByLabel('每人积分')).toHaveValue('30');

  await page.getByRole('link', { name: '打开签到屏' }).click();
  const opens = new Date(Date.parse(`${start}:00+08:00`) - 30 * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  await expect(page.getByTestId('checkin-not-open')).toHaveText(`签到开放时间：${opens}`);
  await expect(page.getByTestId('checkin-code')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Moved to start now (nobody has checked in, so the time may change): the code shows, in English too.
  await page.goto(`/staff/activities/${id}`);
  await appReady(page);
  const edit = page.getByTestId('activity-form');
  await edit.getByLabel('开始时间（北京时间）').fill(chinaInput(0));
  await edit.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByTestId('activity-saved')).toHaveText('已保存。');
  await expect(page.getByTestId('activity-summary').getByTestId('activity-phase')).toHaveText('签到中');
  await page.goto(`/staff/checkin/${id}?lang=en`);
  await appReady(page);
  await expect(page.getByTestId('checkin-code')).toHaveText(/^\d{6}$/);
  await expect(page.getByTestId('checkin-countdown')).toHaveText(/^New code in ([1-9]|[12]\d|30) s$/);
  await expect(page.getByRole('img', { name: 'The check-in code as a QR code' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Exit' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expect(page.getByRole('link', { name: 'Exit' })).toBeInViewport();
});
