// The points mall and the leaderboard (e2e/volunteer.spec.ts in Chromium), on the shipped
// config's in-browser backend: redeeming takes one from the stock and the price from the balance,
// the confirmation takes the focus, cancelling gives both back; this month's leaderboard masks
// names and marks the resident's own place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LOCAL,
  actAs,
  allByRole,
  appReady,
  byRole,
  byTestId,
  byTestIdWithText,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  textOf,
  click,
  withBrowser,
} from '../helpers.mjs';

const A = '居民 A · 张明';
const points = async (element) => Number((await textOf(element)).replace(/\D/g, ''));

test('the mall: redeem with a focused confirmation, cancel, and the leaderboard marks my place', { timeout: 120_000 }, () =>
  withBrowser(async (browser) => {
    await actAs(browser, A);
    await browser.url(`${LOCAL}/volunteer/mall`);
    await appReady(browser);
    await expectHeading(browser, '积分商城');
    const balance = await byTestId(browser, 'volunteer-points-balance');
    await expectText(balance, /^\d+ 积分$/);
    const before = await points(balance);
    const bag = await byTestIdWithText(browser, 'mall-item', '环保袋');
    await expectText(await byTestId(bag, 'mall-price'), '50 积分');
    const stock = await points(await byTestId(bag, 'mall-stock'));
    // 300 points are more than A has: the button is off, and says why.
    const ticket = await byTestIdWithText(browser, 'mall-item', '电影票');
    assert.equal(await (await byRole(ticket, 'button', '兑换')).isEnabled(), false);
    await expectText(await byTestId(ticket, 'mall-reason'), '积分不足，暂时不能兑换。');
    await expectNoAxeViolations(browser);

    await click(await byRole(bag, 'button', '兑换'));
    await expectText(await byRole(bag, 'group'), /用 50 积分兑换「环保袋」？/);
    const confirm = await byRole(bag, 'button', '确认兑换');
    await eventually(async () => assert.ok(await browser.execute((el) => document.activeElement === el, confirm), 'the confirmation has the focus'));
    await expectNoAxeViolations(browser);
    await click(confirm);
    await expectText(await byTestId(browser, 'volunteer-notice'), /兑换成功/);
    await expectText(await byTestId(bag, 'mall-stock'), `库存 ${stock - 1}`);
    await expectText(balance, `${before - 50} 积分`);
    const redemption = await byTestIdWithText(browser, 'redemption', '环保袋');
    await expectText(await byTestId(redemption, 'redemption-state'), '状态：待领取');
    await expectNoAxeViolations(browser);

    await click(await byRole(redemption, 'button', '取消兑换'));
    await expectText(await byTestId(browser, 'volunteer-notice'), /已取消兑换/);
    await expectText(await byTestId(bag, 'mall-stock'), `库存 ${stock}`);
    await expectText(balance, `${before} 积分`);
    await expectText(await byTestId(redemption, 'redemption-state'), '状态：已取消');
    assert.equal((await allByRole(redemption, 'button', '取消兑换')).length, 0);

    await browser.url(`${LOCAL}/volunteer/leaderboard`);
    await appReady(browser);
    await expectHeading(browser, '排行榜');
    const mine = await eventually(async () => {
      const rows = await browser.$$('[data-testid="leaderboard-row"]');
      assert.ok(rows.length >= 2, `${rows.length} rows`);
      const marked = [];
      for (const row of rows) if ((await row.getAttribute('aria-current')) === 'true') marked.push(row);
      assert.equal(marked.length, 1, 'one row marked as mine');
      return marked[0];
    });
    await expectText(mine, /张\*/);
    await expectText(mine, /我/);
    await expectText(await byTestIdWithText(browser, 'leaderboard-row', '王*'), /王\*/);
    await expectNoAxeViolations(browser);
  }));
