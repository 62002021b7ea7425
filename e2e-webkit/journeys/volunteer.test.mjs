// A volunteer signs up for the activity running now, checks in with the code on the staff screen,
// checks out, staff verify the time and the points follow (e2e/volunteer.spec.ts, on the shipped
// config's in-browser backend, whose demo community is seeded in this WebKit's own storage).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LOCAL,
  actAs,
  allByRole,
  appReady,
  byLabel,
  byRole,
  byTestId,
  byTestIdWithText,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  location,
  textOf,
  click,
  withBrowser,
} from '../helpers.mjs';

const A = '居民 A · 张明';
const STAFF = '社区工作人员 · 刘建国';
const RUNNING = '垃圾分类桶边督导';

test('sign up, check in with the code on the staff screen, check out, staff verify, points follow', { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    await actAs(browser, A);
    await browser.url(`${LOCAL}/volunteer`);
    await appReady(browser);
    await expectHeading(browser, '志愿服务');
    await expectText(await byTestId(browser, 'volunteer-points-balance'), '100 积分');
    await expectNoAxeViolations(browser);
    await click(await byTestIdWithText(browser, 'activity-item', RUNNING));
    await expectHeading(browser, RUNNING);
    const path = (await location(browser)).pathname;
    const id = path.split('/').pop();

    const part = await byTestId(browser, 'my-part');
    await click(await byRole(part, 'button', '报名'));
    await expectText(await byTestId(browser, 'volunteer-notice'), /报名成功/);
    // A wrong code is refused next to the field, and what was typed stays.
    const field = await byLabel(part, '签到码');
    assert.equal(await field.getAttribute('inputmode'), 'numeric');
    await fill(field, '12345');
    await click(await byRole(part, 'button', '签到'));
    await expectText(await byRole(part, 'alert'), '签到码是 6 位数字。');
    assert.equal(await field.getValue(), '12345');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await expectNoAxeViolations(browser);

    // The door code on the staff check-in screen.
    await actAs(browser, STAFF);
    await browser.url(`${LOCAL}/staff/checkin/${id}`);
    const shown = await byTestId(browser, 'checkin-code', 20_000);
    await expectText(shown, /^\d{3}\s?\d{3}$/);
    const code = (await textOf(shown)).replace(/\D/g, '');
    await expectNoAxeViolations(browser);

    await actAs(browser, A);
    await browser.url(`${LOCAL}${path}`);
    const mine = await byTestId(browser, 'my-part');
    await fill(await byLabel(mine, '签到码'), code);
    await click(await byRole(mine, 'button', '签到'));
    await expectText(await byTestId(browser, 'volunteer-notice'), /签到成功/);
    await expectText(await byTestId(browser, 'my-part-status'), '已签到');
    assert.equal((await allByRole(mine, 'button', '取消报名')).length, 0, 'checked in: no cancelling');
    await click(await byRole(mine, 'button', '签退'));
    await expectText(await byTestId(browser, 'volunteer-notice'), /已签退/);
    await expectText(await byTestId(browser, 'my-part-status'), /等待工作人员核定时长/);

    // Staff verify 90 minutes: 30 points an hour is 45.
    await actAs(browser, STAFF);
    await browser.url(`${LOCAL}/staff/activities/${id}`);
    const attendee = await byTestIdWithText(browser, 'attendee', '张明', 20_000);
    await fill(await byLabel(attendee, '核定时长（分钟）'), '90');
    await click(await byRole(attendee, 'button', '核定'));
    await expectText(await byTestId(attendee, 'attendee-points'), '45 积分');
    await expectNoAxeViolations(browser);

    await actAs(browser, A);
    await browser.url(`${LOCAL}/volunteer/points`);
    await appReady(browser);
    await expectText(await byTestId(browser, 'volunteer-points-balance'), '145 积分');
    await expectText(await byTestId(browser, 'points-line'), new RegExp(RUNNING));
    await expectText(await byTestId(browser, 'points-line-delta'), '+45 积分');
    await expectNoAxeViolations(browser);
  }));

