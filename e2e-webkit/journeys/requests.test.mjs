// A resident files a request with a photo on the server, while the server cannot be reached, and
// it is filed once when it can be again (e2e/outbox.spec.ts in Chromium). WebKit's WebDriver has no
// network emulation (nothing like Playwright's setOffline), so the proxy in front of the server
// closes every connection instead: what the page sees when the network is down (each fetch
// rejects); then the server answers again and the page hears `online`, as when the phone's network
// comes back. The service worker, IndexedDB (the outbox and the photos) and the photo shrinking
// (canvas → JPEG) are WebKit's own throughout; a reload while the server is unreachable is
// answered by the service worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NEIGHBOUR,
  REST,
  api,
  appReady,
  byLabel,
  byRole,
  byTestId,
  cameraPhoto,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  fill,
  setServerReachable,
  signIn,
  tab,
  token,
  textOf,
  click,
  withBrowser,
} from '../helpers.mjs';

const TRACKING = /^CD-\d{8}-\d{6}$/;

test('filed with a photo while the server is unreachable, the request waits and is filed once when it is back', { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    await signIn(browser, NEIGHBOUR);
    // The service worker has cached the app (it opens it while the server cannot be reached).
    assert.equal(await browser.executeAsync((done) => navigator.serviceWorker.ready.then(() => done(true), (e) => done(String(e)))), true);
    const photo = await cameraPhoto(browser, 'manhole');

    await browser.url(`${REST}/requests/new`);
    await appReady(browser);
    const form = await byTestId(browser, 'new-request');
    const description = '人行道上的井盖松动了，踩上去会翻，晚上很危险。';
    await (await byLabel(form, '诉求分类')).selectByVisibleText('市政设施');
    await fill(await byLabel(form, '问题描述'), description);
    await fill(await byLabel(form, '地址'), '玉林南路 12 号门口');
    // The file input is the page's own (not displayed: its label is the button), so it is found by id.
    await (await form.$('input[type=file]')).addValue(photo);
    await eventually(async () => assert.equal((await form.$$('[data-testid="photo-preview"]')).length, 1), 20_000);
    await byRole(await byTestId(form, 'photo-preview'), 'img', '第 1 张照片');
    await expectNoAxeViolations(browser);

    // A reload keeps the photo with the text (IndexedDB and localStorage).
    await browser.refresh();
    await appReady(browser);
    const again = await byTestId(browser, 'new-request');
    await eventually(async () => assert.equal(await (await byLabel(again, '问题描述')).getValue(), description));
    await eventually(async () => assert.equal((await again.$$('[data-testid="photo-preview"]')).length, 1));

    // The server cannot be reached: the request is kept on the phone.
    await setServerReachable(REST, false);
    await click(await byRole(again, 'button', '提交'));
    const queued = await byTestId(browser, 'request-queued', 20_000);
    await eventually(async () => assert.match(await textOf(queued), /已保存在本机，等待发送/));
    await expectNoAxeViolations(browser);

    // The page reloads while the server is still unreachable: the service worker opens the app.
    await browser.refresh();
    await appReady(browser);
    await click(await tab(browser, '诉求'));
    await expectHeading(browser, '我的诉求');
    const waiting = await byTestId(browser, 'outbox-item');
    assert.match(await textOf(waiting), /等待发送/);
    assert.match(await textOf(waiting), /市政设施/);
    await expectNoAxeViolations(browser);

    // The server answers again and the network is "back": the outbox sends by itself, once, with its photo.
    await setServerReachable(REST, true);
    await browser.execute(() => window.dispatchEvent(new Event('online')));
    await eventually(async () => assert.equal((await browser.$$('[data-testid="outbox"]')).length, 0), 30_000);
    const item = await byRole(await byTestId(browser, 'request-list'), 'link', /市政设施/);

    const mine = await api(await token(NEIGHBOUR), 'GET', '/requests');
    const filed = mine.filter((r) => r.description === description);
    assert.equal(filed.length, 1, 'filed once');
    assert.match(filed[0].tracking, TRACKING);
    assert.equal(filed[0].photos.length, 1);

    // The photo was shrunk in WebKit: JPEG, longest side 1600 px.
    await click(item);
    const gallery = await byTestId(browser, 'request-photos');
    const image = await byRole(gallery, 'img');
    const size = await browser.executeAsync((img, done) => img.decode().then(() => done([img.naturalWidth, img.naturalHeight]), (e) => done(String(e))), image);
    assert.deepEqual(size, [1600, 1200]);
    const stored = await fetch(`${REST}/api/v1/photos/${filed[0].photos[0]}`);
    assert.equal(stored.headers.get('content-type'), 'image/jpeg');
    await expectNoAxeViolations(browser);
  }));
