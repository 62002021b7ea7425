import { test, expect, type Page } from '@playwright/test';
import { REST, appReady, auth, command, expectNoAxeViolations, signIn, token } from './helpers';
import { cameraPhoto } from './photos';

const DRAFT_KEY = 'citizen-cloud.request-draft.v1';
const TRACKING = /^CD-\d{8}-\d{6}$/;

/** Every POST that would file a request. */
function watchFiling(page: Page): string[] {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/requests') posts.push(r.url());
  });
  return posts;
}

test('a resident files a request, keeps the draft across a reload, and follows it to a rating', async ({
  page,
  request,
}) => {
  await signIn(page, '13800000001');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '诉求' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的诉求');
  await expect(page.getByTestId('requests-empty').or(page.getByTestId('request-list'))).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: '提交诉求' }).click();
  await expect(page).toHaveURL(`${REST}/requests/new`);
  const form = page.getByTestId('new-request');
  await expectNoAxeViolations(page);
  const description = '楼上每晚装修到十一点多，电钻声很大，影响老人休息。';
  await form.getByLabel('诉求分类').selectOption({ label: '噪音扰民' });
  await form.getByLabel('问题描述').fill(description);
  await expect(form.getByTestId('description-count')).toHaveText(`${[...description].length} / 2000`);
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 3 号 2 单元');

  // Mid-way, the page reloads: every field comes back from the device.
  await page.reload();
  await appReady(page);
  await expect(form.getByLabel('诉求分类')).toHaveValue('noise');
  await expect(form.getByLabel('问题描述')).toHaveValue(description);
  await expect(form.getByLabel('地址', { exact: true })).toHaveValue('玉林北路 3 号 2 单元');
  await form.getByLabel('联系电话（选填）').fill('139 0000 1234');

  const filing = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/requests'));
  await form.getByRole('button', { name: '提交' }).click();
  expect((await filing).headers()['idempotency-key']).toBeTruthy();
  const tracking = (await page.getByTestId('tracking').textContent())!.trim();
  expect(tracking).toMatch(TRACKING);
  await expect(page.getByRole('heading', { name: '诉求已提交' })).toBeFocused();
  expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();

  // Staff work it through the loop on the server.
  const staff = await token(request, '13800000003');
  const reply = '已联系物业，施工时间调整为白天 8 点到 18 点。';
  for (const body of [{ kind: 'accept' }, { kind: 'dispatch' }, { kind: 'start' }, { kind: 'resolve', reply }]) {
    await command(request, staff, tracking, body);
  }

  await page.getByRole('link', { name: '查看诉求' }).click();
  await expect(page).toHaveURL(`${REST}/requests/${tracking}`);
  const card = page.getByTestId('request');
  await expect(card.getByTestId('request-tracking')).toHaveText(tracking);
  await expect(card.getByTestId('request-state')).toHaveText('已办结');
  await expect(card.getByTestId('request-description')).toHaveText(description);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(reply);
  await expect(timeline).toContainText('工作人员');
  await expect(timeline).toContainText('处理中 → 已办结');
  await expect(timeline).toContainText('生态环境所');
  // Staff commands are never offered to the resident.
  await expect(page.getByRole('button', { name: '受理' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: '确认解决' }).click();
  await expect(card.getByTestId('request-state')).toHaveText('已结案');
  await page.getByRole('radio', { name: '5 星' }).check();
  await page.getByLabel('评价内容（选填）').fill('处理得很快，谢谢！');
  await page.getByTestId('rate').getByRole('button', { name: '评价' }).click();
  await expect(card.getByTestId('request-state')).toHaveText('已评价');
  await expect(page.getByTestId('actions')).toHaveCount(0);
  await expect(timeline).toContainText('处理得很快，谢谢！');

  await page.goto(`${REST}/requests`);
  const item = page.getByRole('link', { name: new RegExp(tracking) });
  await expect(item).toContainText('噪音扰民');
  await expect(item).toContainText('已评价');
  await expectNoAxeViolations(page);
});

test('another resident opening the tracking URL sees only that it was not found', async ({ page, request }) => {
  const owner = await token(request, '13800000001');
  const description = '小区东门路灯坏了一个多星期，晚上很黑。';
  const filed = await request.post(`${REST}/api/v1/requests`, {
    headers: auth(owner),
    data: { category: 'municipal', description, address: '玉林东路东门', anonymous: false },
  });
  expect(filed.status()).toBe(201);
  const { tracking } = await filed.json();

  await signIn(page, '13800000002');
  await page.goto(`${REST}/requests/${tracking}`);
  await appReady(page);
  await expect(page.getByTestId('request-not-found')).toContainText('没有找到这个诉求');
  await expect(page.getByText(description)).toHaveCount(0);
  await expect(page.getByTestId('request')).toHaveCount(0);
});

test('signed out, requests point to 我的; a short description is refused on the phone', async ({ page }) => {
  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  await expect(page.getByTestId('requests-sign-in')).toBeVisible();
  await expect(page.getByTestId('requests-sign-in').getByRole('link', { name: '去「我的」登录' })).toHaveAttribute(
    'href',
    /\/me$/,
  );

  await signIn(page, '13800000001');
  const posts = watchFiling(page);
  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '噪音扰民' });
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 3 号');
  const description = form.getByLabel('问题描述');
  await description.fill('太吵了啊啊');
  await form.getByRole('button', { name: '提交' }).click();
  const error = form.getByTestId('description-error');
  await expect(error).toHaveText('问题描述至少需要 10 个字');
  await expect(description).toHaveAttribute('aria-invalid', 'true');
  await expect(description).toHaveAttribute('aria-describedby', /request-description-error/);
  await expect(description).toBeFocused();
  await expect(form.getByTestId('address-error')).toHaveCount(0);
  // Anonymous hides the contact field.
  await expect(form.getByLabel('联系电话（选填）')).toBeVisible();
  await form.getByText('匿名', { exact: true }).click();
  await expect(form.getByLabel('联系电话（选填）')).toHaveCount(0);
  await expectNoAxeViolations(page);
  expect(posts).toEqual([]);

  // The form fits a 320 px screen, targets at least 44 px high.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow').toBeLessThanOrEqual(0);
  for (const target of await form.locator('.button, .field__input').all()) {
    expect((await target.boundingBox())!.height, 'touch target height').toBeGreaterThanOrEqual(44);
  }
});

test('a sign-in revoked elsewhere ends at the next requests call, and 我的 asks for it again', async ({ page, request }) => {
  await signIn(page, '13800000001');
  const bearer = await page.evaluate(() => JSON.parse(localStorage.getItem('citizen-cloud.session.v1')!).token);
  const revoked = await request.delete(`${REST}/api/v1/session`, { headers: auth(bearer) });
  expect(revoked.ok()).toBeTruthy();

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '诉求' }).click();
  await expect(page.getByTestId('requests-sign-in')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('citizen-cloud.session.v1'))).toBeNull();
  await page.getByRole('link', { name: '去「我的」登录' }).click();
  await expect(page.getByTestId('session-notice')).toHaveText('登录已过期，请重新登录');
  await expect(page.getByTestId('sign-in').getByLabel('手机号')).toHaveValue(/13800000001|138 0000 0001/);
});

test('a photo upload shows its progress, and the request is filed with it', async ({ page }) => {
  await signIn(page, '13800000001');
  const photo = await cameraPhoto(page, '占道');
  // The upload is held until the progress has been seen.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v1/photos', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '交通安全' });
  await form.getByLabel('问题描述').fill('路口的摊贩占用了盲道和人行道，行人只能走机动车道。');
  await form.getByLabel('地址', { exact: true }).fill('玉林中路与芳草街路口');
  await form.getByLabel('照片（可选，最多 9 张）').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(form.getByTestId('photo-preview')).toHaveCount(1);
  await form.getByRole('button', { name: '提交' }).click();
  const sending = page.getByTestId('request-sending');
  await expect(sending.getByRole('status')).toHaveText('正在上传照片 1/1');
  await expect(sending.getByRole('progressbar')).toBeVisible();
  release();
  await expect(page.getByTestId('tracking')).toHaveText(/^CD-\d{8}-\d{6}$/);
  await page.getByRole('link', { name: '查看诉求' }).click();
  await expect(page.getByTestId('request-photos').getByRole('img')).toHaveCount(1);
});

/** How many photo blobs the app keeps in IndexedDB (drafts' and the outbox's). */
async function storedPhotos(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('citizen-cloud', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('photos').objectStore('photos').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

test.describe('on a shared phone', () => {
  test.use({ geolocation: { latitude: 30.6702, longitude: 104.0431 }, permissions: ['geolocation'] });

  test('signing out forgets the request draft, its photos and its position; the next person starts empty', async ({
    page,
  }) => {
    await signIn(page, '13800000001');
    const photo = await cameraPhoto(page, '家门口');
    await page.goto(`${REST}/requests/new`);
    await appReady(page);
    const form = page.getByTestId('new-request');
    await form.getByLabel('诉求分类').selectOption({ label: '噪音扰民' });
    await form.getByLabel('问题描述').fill('我家楼下的空调外机噪音很大，晚上睡不着觉。');
    await form.getByLabel('地址', { exact: true }).fill('玉林北路 3 号 2 单元 501');
    await form.getByLabel('联系电话（选填）').fill('139 0000 1234');
    await form.getByRole('button', { name: '使用我的位置' }).click();
    await expect(form.getByRole('button', { name: '不使用位置' })).toBeVisible();
    await form.getByLabel('照片（可选，最多 9 张）').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: photo });
    const previews = form.getByRole('list', { name: '照片', exact: true }).getByRole('listitem');
    await expect(previews).toHaveCount(1);
    // It is all on the device: a reload brings it back.
    await page.reload();
    await appReady(page);
    await expect(previews).toHaveCount(1);
    await expect(form.getByRole('button', { name: '不使用位置' })).toBeVisible();
    expect(await storedPhotos(page)).toBe(1);

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    const signInForm = page.getByTestId('sign-in');
    await expect(signInForm).toBeVisible();
    await expect(signInForm.getByLabel('手机号')).toHaveValue('');
    expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();
    await expect.poll(() => storedPhotos(page)).toBe(0);

    await signIn(page, '13800000002');
    await page.goto(`${REST}/requests/new`);
    await appReady(page);
    await expect(form.getByLabel('诉求分类')).toHaveValue('');
    await expect(form.getByLabel('问题描述')).toHaveValue('');
    await expect(form.getByLabel('地址', { exact: true })).toHaveValue('');
    await expect(form.getByLabel('联系电话（选填）')).toHaveValue('');
    await expect(form.getByRole('button', { name: '使用我的位置' })).toBeVisible();
    await expect(form.getByRole('button', { name: '不使用位置' })).toHaveCount(0);
    await expect(previews).toHaveCount(0);
  });

  test('signing out keeps a request waiting in the outbox, with its photo, for its owner', async ({
    page,
    context,
    request,
  }) => {
    await signIn(page, '13800000001');
    const photo = await cameraPhoto(page, '井盖');
    await page.goto(`${REST}/requests/new`);
    await appReady(page);
    const form = page.getByTestId('new-request');
    await form.getByLabel('诉求分类').selectOption({ label: '交通安全' });
    await form.getByLabel('问题描述').fill('人行道上的井盖松动了，踩上去会翻，很危险。');
    await form.getByLabel('地址', { exact: true }).fill('芳草街 12 号门口');
    await form.getByLabel('照片（可选，最多 9 张）').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(form.getByRole('list', { name: '照片', exact: true }).getByRole('listitem')).toHaveCount(1);
    await context.setOffline(true);
    await form.getByRole('button', { name: '提交' }).click();
    await expect(page.getByTestId('request-queued')).toBeVisible();

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page.getByTestId('session-notice')).toContainText('已在本机退出登录');
    await expect.poll(() => storedPhotos(page)).toBe(1);
    await context.setOffline(false);

    // Back online and signed in again, the owner's request is filed, photo and all.
    await signIn(page, '13800000001');
    await page.goto(`${REST}/requests`);
    await appReady(page);
    const resident = await token(request, '13800000001');
    const filed = async () => {
      const mine = await (await request.get(`${REST}/api/v1/requests`, { headers: auth(resident) })).json();
      return mine
        .filter((r: { description: string }) => r.description.startsWith('人行道上的井盖'))
        .map((r: { photos: unknown[] }) => r.photos.length);
    };
    await expect.poll(filed, { timeout: 20_000 }).toEqual([1]);
    await expect.poll(() => storedPhotos(page)).toBe(0);
  });
});
