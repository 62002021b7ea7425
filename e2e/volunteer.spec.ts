import { test, expect, type Page } from '@playwright/test';
import { appReady, expectNoAxeViolations } from './helpers';

// 志愿积分 on the in-browser backend (the shipped config.json leaves volunteering on `local`):
// every test starts from a fresh demo, seeded on first use: an activity running now (B signed
// up: 19 of 20 places left), one tomorrow, one that ended last week (A verified 2 h: 100 points).

const A = '居民 A · 张明';
const STAFF = '社区工作人员 · 刘建国';
const RUNNING = '垃圾分类桶边督导';

async function actAs(page: Page, name: string) {
  await page.goto('/me');
  await appReady(page);
  await page.getByTestId('demo-identity').getByRole('radio', { name }).check();
}

/** Opens the activity running now from the list, and returns its path. */
async function openRunning(page: Page): Promise<string> {
  await page.goto('/volunteer');
  await appReady(page);
  await page.getByTestId('activity-item').filter({ hasText: RUNNING }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(RUNNING);
  return new URL(page.url()).pathname;
}

/** The code the staff check-in screen shows now for the activity at `path`. */
async function codeOnScreen(page: Page, path: string): Promise<string> {
  await actAs(page, STAFF);
  await page.goto(`/staff/checkin/${path.split('/').pop()}`);
  const code = page.getByTestId('checkin-code');
  await expect(code).toHaveText(/^\s*\d{3}\s?\d{3}\s*$/);
  return (await code.textContent())!.replace(/\D/g, '');
}

/** No sideways scrolling at 320 px, and every button and button-like link is a 44 px target. */
async function fitsNarrowScreens(page: Page) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const button of await page.locator('main .button, main input.field__input').all()) {
    if (await button.isVisible()) expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
  await page.setViewportSize(size);
}

test('resident A sees the activities and her points, signs up for the running activity and cancels', async ({ page }) => {
  await page.goto('/volunteer');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('志愿服务');
  await expect(page.getByTestId('volunteer-points-balance')).toHaveText('100 积分');
  await expect(page.getByTestId('volunteer-stars')).toContainText('暂未评星');
  await expect(page.getByTestId('volunteer-next-star')).toHaveText('再服务 98 小时可升至 1 星');
  const items = page.getByTestId('activity-item');
  await expect(items).toHaveCount(3);
  // Running first, then tomorrow's, then the one that ended, where A was verified.
  await expect(items.nth(0)).toContainText(RUNNING);
  await expect(items.nth(0).getByTestId('activity-phase')).toHaveText('签到中');
  await expect(items.nth(1).getByTestId('activity-phase')).toHaveText('报名中');
  await expect(items.nth(2).getByTestId('activity-phase')).toHaveText('已结束');
  await expect(items.nth(2).getByTestId('activity-mine')).toHaveText('已核定 +100 积分');
  await expect(items.nth(0).getByTestId('activity-slots-left')).toHaveText('剩余 19/20 个名额');
  await expect(page.getByRole('link', { name: '积分明细' })).toHaveAttribute('href', '/volunteer/points');
  await expect(page.getByRole('link', { name: '积分商城' })).toHaveAttribute('href', '/volunteer/mall');
  await expect(page.getByRole('link', { name: '排行榜' })).toHaveAttribute('href', '/volunteer/leaderboard');
  await expectNoAxeViolations(page);
  await fitsNarrowScreens(page);

  const path = await openRunning(page);
  const part = page.getByTestId('my-part');
  await expect(page.getByTestId('activity-slots-left')).toHaveText('剩余 19/20 个名额');
  await expectNoAxeViolations(page);
  await part.getByRole('button', { name: '报名' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('报名成功');
  await expect(page.getByTestId('activity-slots-left')).toHaveText('剩余 18/20 个名额');
  // Check-in is open now: the code field is there, labelled, for a one-time code.
  const code = part.getByLabel('签到码');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(code).toHaveAttribute('maxlength', '6');
  await expectNoAxeViolations(page);
  await fitsNarrowScreens(page);

  await page.goto('/volunteer');
  await expect(items.nth(0).getByTestId('activity-slots-left')).toHaveText('剩余 18/20 个名额');
  await expect(items.nth(0).getByTestId('activity-mine')).toHaveText('已报名');

  await page.goto(path);
  await part.getByRole('button', { name: '取消报名' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('已取消报名');
  await expect(page.getByTestId('activity-slots-left')).toHaveText('剩余 19/20 个名额');
  await expect(part.getByRole('button', { name: '报名' })).toBeVisible();
});

test('the check-in loop: the code on the staff screen checks A in, A checks out, staff verify, points follow', async ({ page }) => {
  await actAs(page, A);
  const path = await openRunning(page);
  const part = page.getByTestId('my-part');
  await part.getByRole('button', { name: '报名' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('报名成功');

  // A wrong code is refused next to the field, and what was typed stays.
  await part.getByLabel('签到码').fill('12345');
  await part.getByRole('button', { name: '签到' }).click();
  await expect(part.getByRole('alert')).toHaveText('签到码是 6 位数字。');
  await expect(part.getByLabel('签到码')).toHaveValue('12345');
  await expect(part.getByLabel('签到码')).toHaveAttribute('aria-invalid', 'true');

  const code = await codeOnScreen(page, path);
  await actAs(page, A);
  await page.goto(path);
  await part.getByLabel('签到码').fill(code);
  await part.getByRole('button', { name: '签到' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('签到成功');
  await expect(page.getByTestId('my-part-status')).toHaveText('已签到');
  // Checked in: the sign-up can no longer be cancelled.
  await expect(part.getByRole('button', { name: '取消报名' })).toHaveCount(0);
  await part.getByRole('button', { name: '签退' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('已签退');
  await expect(page.getByTestId('my-part-status')).toContainText('等待工作人员核定时长');

  // Staff verify 90 minutes: 30 points an hour is 45.
  await actAs(page, STAFF);
  await page.goto(`/staff/activities/${path.split('/').pop()}`);
  const attendee = page.getByTestId('attendee').filter({ hasText: '张明' });
  await attendee.getByLabel('核定时长（分钟）').fill('90');
  await attendee.getByRole('button', { name: '核定' }).click();
  await expect(attendee.getByTestId('attendee-points')).toHaveText('45 积分');

  await actAs(page, A);
  await page.goto(path);
  await expect(page.getByTestId('my-part-status')).toHaveText('已核定');
  await expect(page.getByTestId('verified-time')).toHaveText('1 小时 30 分');
  await expect(page.getByTestId('points-earned')).toHaveText('45 积分');
  await page.goto('/volunteer/points');
  await expect(page.getByTestId('volunteer-points-balance')).toHaveText('145 积分');
  await expect(page.getByTestId('points-line').first()).toContainText(RUNNING);
  await expect(page.getByTestId('points-line-delta').first()).toHaveText('+45 积分');
});

test('a code read at the screen and typed 70 seconds later is refused as expired, in plain words', async ({ page }) => {
  await page.clock.install();
  await actAs(page, A);
  const path = await openRunning(page);
  const part = page.getByTestId('my-part');
  await part.getByRole('button', { name: '报名' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('报名成功');

  const code = await codeOnScreen(page, path);
  await actAs(page, A);
  await page.goto(path);
  await part.getByLabel('签到码').fill(code);
  await page.clock.fastForward(70_000);
  await part.getByRole('button', { name: '签到' }).click();
  await expect(part.getByRole('alert')).toHaveText('这个签到码已过期，请输入现场屏幕上正在显示的签到码。');
  await expect(part.getByLabel('签到码')).toHaveValue(code);
  await expect(page.getByTestId('my-part-status')).toHaveText('已报名');
  await expectNoAxeViolations(page);
});

test('the mall: redeeming takes one from the stock and the price from the balance; cancelling gives both back', async ({ page }) => {
  await page.goto('/volunteer/mall');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('积分商城');
  const balance = page.getByTestId('volunteer-points-balance');
  await expect(balance).toHaveText('100 积分');
  const items = page.getByTestId('mall-item');
  await expect(items).toHaveCount(3);
  const bag = items.filter({ hasText: '环保袋' });
  const ticket = items.filter({ hasText: '电影票' });
  await expect(bag.getByTestId('mall-stock')).toHaveText('库存 20');
  await expect(bag.getByTestId('mall-price')).toHaveText('50 积分');
  // 300 points are more than A has: the button is off, and says why.
  await expect(ticket.getByRole('button', { name: '兑换' })).toBeDisabled();
  await expect(ticket.getByTestId('mall-reason')).toHaveText('积分不足，暂时不能兑换。');
  await expect(page.getByTestId('redemptions-empty')).toBeVisible();
  await expectNoAxeViolations(page);

  await bag.getByRole('button', { name: '兑换' }).click();
  await expect(bag.getByRole('group')).toContainText('用 50 积分兑换「环保袋」？');
  await expect(bag.getByRole('button', { name: '确认兑换' })).toBeFocused();
  await expectNoAxeViolations(page);
  await bag.getByRole('button', { name: '确认兑换' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('兑换成功');
  await expect(bag.getByTestId('mall-stock')).toHaveText('库存 19');
  await expect(balance).toHaveText('50 积分');
  const redemption = page.getByTestId('redemption');
  await expect(redemption).toHaveCount(1);
  await expect(redemption).toContainText('环保袋');
  await fitsNarrowScreens(page);

  await expect(redemption.getByTestId('redemption-state')).toHaveText('状态：待领取');
  await redemption.getByRole('button', { name: '取消兑换' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('已取消兑换');
  await expect(bag.getByTestId('mall-stock')).toHaveText('库存 20');
  await expect(balance).toHaveText('100 积分');
  // Still listed, as cancelled, with nothing more to do.
  await expect(redemption).toHaveCount(1);
  await expect(redemption.getByTestId('redemption-state')).toHaveText('状态：已取消');
  await expect(redemption.getByRole('button', { name: '取消兑换' })).toHaveCount(0);

  // The history, newest first: the refund, the redemption marked cancelled, the award.
  await page.goto('/volunteer/points');
  await expect(page.getByTestId('points-line-delta')).toHaveText(['+50 积分', '−50 积分', '+100 积分']);
  await expect(page.getByTestId('points-line-balance')).toHaveText(['余额 100 积分', '余额 50 积分', '余额 100 积分']);
  await expect(page.getByTestId('points-line').nth(1).getByTestId('points-line-cancelled')).toHaveText('已取消');
  await expect(page.getByTestId('volunteer-hours')).toHaveText('2 小时');
  await expectNoAxeViolations(page);
  await fitsNarrowScreens(page);
});

test('the counter: A redeems, staff hand the item over in the staff mall, and A can no longer cancel', async ({ page }) => {
  await actAs(page, A);
  await page.goto('/volunteer/mall');
  await appReady(page);
  const bag = page.getByTestId('mall-item').filter({ hasText: '环保袋' });
  await bag.getByRole('button', { name: '兑换' }).click();
  await bag.getByRole('button', { name: '确认兑换' }).click();
  await expect(page.getByTestId('volunteer-notice')).toContainText('兑换成功');
  const mine = page.getByTestId('redemption').filter({ hasText: '环保袋' });
  await expect(mine.getByTestId('redemption-state')).toHaveText('状态：待领取');

  await actAs(page, STAFF);
  await page.goto('/staff/mall');
  await appReady(page);
  const counter = page.getByRole('region', { name: '待领取的兑换' });
  const waiting = counter.getByRole('listitem').filter({ hasText: '环保袋' });
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText('张明');
  await expectNoAxeViolations(page);
  await waiting.getByRole('button', { name: '登记领取' }).click();
  await expect(page.getByTestId('counter-notice')).toHaveText('已登记为领取。');
  await expect(counter.getByText('没有待领取的兑换。')).toBeVisible();
  await expectNoAxeViolations(page);
  await fitsNarrowScreens(page);

  await actAs(page, A);
  await page.goto('/volunteer/mall');
  await appReady(page);
  await expect(mine.getByTestId('redemption-state')).toHaveText('状态：已领取');
  await expect(mine.getByRole('button', { name: '取消兑换' })).toHaveCount(0);
  await expect(mine).toContainText('物品已领取，不能再取消兑换。');
  await expect(page.getByTestId('volunteer-points-balance')).toHaveText('50 积分');
  await expectNoAxeViolations(page);
  await fitsNarrowScreens(page);
});

test("the leaderboard: this month's places with masked names, and mine marked", async ({ page }) => {
  await page.goto('/volunteer/leaderboard');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('排行榜');
  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('张*');
  await expect(rows.nth(0)).toContainText('我');
  await expect(rows.nth(0)).toHaveAttribute('aria-current', 'true');
  await expect(rows.nth(0)).toContainText('100 积分');
  await expect(rows.nth(1)).toContainText('王*');
  await expect(rows.nth(1)).not.toHaveAttribute('aria-current', /.*/);
  await expectNoAxeViolations(page);
  await fitsNarrowScreens(page);

  // In elder mode (large text) the same pages still fit a narrow phone.
  await page.goto('/volunteer?large=true');
  await appReady(page);
  await expect(page.getByTestId('activity-item')).toHaveCount(3);
  await fitsNarrowScreens(page);
  await expectNoAxeViolations(page);
});
