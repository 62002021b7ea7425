// Staff accept a resident's request, dispatch it, work it and resolve it with a reply; the
// resident sees the reply (e2e/staff.spec.ts in Chromium), on the server (config/serve.json).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  REST,
  RESIDENT,
  STAFF,
  allByRole,
  api,
  appReady,
  attr,
  byLabel,
  byRole,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  location,
  token,
  signIn,
  textOf,
  click,
  withBrowser,
} from '../helpers.mjs';

test('staff accept, dispatch, start and resolve a request; the reply is asked for first', { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const resident = await token(RESIDENT);
    const description = 'WebKit：3 栋门口路灯不亮已经一周了';
    const filed = await api(resident, 'POST', '/requests', { category: 'municipal', description, address: '玉林北路 3 号', contact: RESIDENT }, 201);
    const tracking = filed.tracking;

    await signIn(browser, STAFF);
    await browser.url(`${REST}/staff`);
    await appReady(browser);
    await expectHeading(browser, '工作台');
    await expectNoAxeViolations(browser);
    await click(await byRole(browser, 'link', /诉求工单/));
    await expectHeading(browser, '诉求工单');
    assert.equal((await location(browser)).pathname, '/staff/requests');

    // The filter lives in the address: it survives a reload.
    await (await byLabel(browser, '状态')).selectByAttribute('value', 'submitted');
    await eventually(async () => assert.equal((await location(browser)).search, '?state=submitted'));
    await browser.refresh();
    await appReady(browser);
    await eventually(async () => assert.equal(await (await byLabel(browser, '状态')).getValue(), 'submitted'));
    const card = await eventually(async () => {
      const found = await browser.$(`[data-testid="staff-request"][data-tracking="${tracking}"]`);
      assert.ok(await found.isDisplayed(), `the card of ${tracking}`);
      return found;
    });
    const state = () => card.$('[data-testid="request-state"]');
    await expectText(await state(), '已提交');
    assert.equal(await attr(browser, await card.$('[data-testid="request-contact"]'), 'href'), `tel:${RESIDENT}`);
    await expectNoAxeViolations(browser);

    await click(await byRole(card, 'button', '受理'));
    await expectText(await state(), '已受理');
    // Dispatch offers the category's department first.
    const department = await byLabel(card, '处理部门');
    assert.equal(await department.getValue(), 'municipal');
    await click(await byRole(card, 'button', '派单'));
    await expectText(await state(), '已派单');
    await expectText(await card.$('[data-testid="request-department"]'), '市政设施管理所');
    await click(await byRole(card, 'button', '开始处理'));
    await expectText(await state(), '处理中');

    // A resolution needs a reply: said before anything is sent.
    await click(await byRole(card, 'button', '办结'));
    await expectText(await card.$('[data-testid="reply-error"]'), '请填写内容');
    await expectText(await state(), '处理中');
    await expectNoAxeViolations(browser);
    const reply = '已更换 3 栋门口路灯灯泡，恢复照明。';
    await fill(await byLabel(card, '办结回复（居民可见）'), reply);
    await click(await byRole(card, 'button', '办结'));
    await expectText(await state(), '已办结');
    await expectText(await card.$('[data-testid="request-latest"]'), reply);
    for (const button of await allByRole(card, 'button')) assert.equal(await textOf(button), '核实结项');
    await expectNoAxeViolations(browser);

    // On the server, the resident's request is resolved with that reply.
    const mine = await api(resident, 'GET', `/requests/${tracking}`);
    assert.equal(mine.state, 'resolved');
  }));
