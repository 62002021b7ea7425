// The resident's last step on a resolved request (e2e/requests.spec.ts in Chromium): staff have
// resolved it with a reply on the server; the resident reads the reply, confirms it is solved and
// rates it, and the list shows it rated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  REST,
  RESIDENT,
  STAFF,
  allByRole,
  api,
  appReady,
  byLabel,
  byRole,
  byTestId,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  signIn,
  textOf,
  token,
  click,
  withBrowser,
} from '../helpers.mjs';

test('a resolved request: the resident confirms it is solved and rates it', { timeout: 120_000 }, () =>
  withBrowser(async (browser) => {
    const resident = await token(RESIDENT);
    const description = 'WebKit：楼上每晚装修到十一点多，电钻声很大。';
    const { tracking } = await api(resident, 'POST', '/requests', { category: 'noise', description, address: '玉林北路 3 号 2 单元', contact: RESIDENT }, 201);
    const staff = await token(STAFF);
    const reply = '已联系物业，施工时间调整为白天 8 点到 18 点。';
    for (const body of [{ kind: 'accept' }, { kind: 'dispatch' }, { kind: 'start' }, { kind: 'resolve', reply }]) {
      await api(staff, 'POST', `/requests/${tracking}/commands`, body);
    }

    await signIn(browser, RESIDENT);
    await browser.url(`${REST}/requests/${tracking}`);
    await appReady(browser);
    const card = await byTestId(browser, 'request');
    await expectText(await byTestId(card, 'request-tracking'), tracking);
    const state = await byTestId(card, 'request-state');
    await expectText(state, '已办结');
    const timeline = await byTestId(browser, 'timeline');
    await expectText(timeline, new RegExp(reply));
    // Staff commands are never offered to the resident.
    assert.equal((await allByRole(browser, 'button', '受理')).length, 0);
    await expectNoAxeViolations(browser);

    await click(await byRole(browser, 'button', '确认解决'));
    await expectText(state, '已结案');
    const rate = await byTestId(browser, 'rate');
    await click(await byRole(rate, 'radio', '5 星'));
    await fill(await byLabel(rate, '评价内容（选填）'), '处理得很快，谢谢！');
    await expectNoAxeViolations(browser);
    await click(await byRole(rate, 'button', '评价'));
    await expectText(state, '已评价');
    assert.equal((await browser.$$('[data-testid="actions"]')).length, 0, 'nothing more to do');
    await expectText(timeline, /处理得很快，谢谢！/);

    await browser.url(`${REST}/requests`);
    await appReady(browser);
    await expectHeading(browser, '我的诉求');
    const item = await byRole(browser, 'link', new RegExp(tracking));
    const text = await textOf(item);
    assert.match(text, /噪音扰民/);
    assert.match(text, /已评价/);
    await expectNoAxeViolations(browser);
  }));
