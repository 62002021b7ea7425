import { test, expect } from '@playwright/test';
import { REST, appReady, auth, expectNoAxeViolations, signIn, token } from './helpers';
import { cameraPhoto } from './photos';

const TRACKING = /^CD-\d{8}-\d{6}$/;

// This journey needs the service worker (it lets the app open offline); the other specs block it,
// so that their routed requests are never answered from its cache.
test.use({ serviceWorkers: 'allow' });

test('filed offline with two photos, a request waits through a reload and is filed once when the network is back', async ({
  page,
  context,
  request,
}) => {
  await signIn(page, '13800000002');
  // The service worker has cached the app.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const photos = [await cameraPhoto(page, '井盖 1'), await cameraPhoto(page, '井盖 2')];

  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  const description = '人行道上的井盖松动了，踩上去会翻，晚上很危险。';
  await form.getByLabel('诉求分类').selectOption({ label: '市政设施' });
  await form.getByLabel('问题描述').fill(description);
  await form.getByLabel('地址', { exact: true }).fill('玉林南路 12 号门口');
  await form.getByLabel('照片（可选，最多 9 张）').setInputFiles([
    { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photos[0] },
    { name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: photos[1] },
  ]);
  const previews = form.getByTestId('photo-preview');
  await expect(previews).toHaveCount(2);
  await expect(previews.first().getByRole('img', { name: '第 1 张照片' })).toBeVisible();
  await expectNoAxeViolations(page);

  // A reload keeps the photos with the text.
  await page.reload();
  await appReady(page);
  await expect(form.getByLabel('问题描述')).toHaveValue(description);
  await expect(previews).toHaveCount(2);

  // The network goes: the request is kept on the phone.
  await context.setOffline(true);
  await form.getByRole('button', { name: '提交' }).click();
  const queued = page.getByTestId('request-queued');
  await expect(queued).toBeVisible();
  await expect(queued).toContainText('已保存在本机，等待发送');
  await expectNoAxeViolations(page);

  // The page reloads while still offline: the service worker opens the app, and nothing is lost.
  await page.reload();
  await appReady(page);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '诉求' }).click();
  const waiting = page.getByTestId('outbox-item');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText('等待发送');
  await expect(waiting).toContainText('市政设施');
  await expectNoAxeViolations(page);

  // The network is back: the outbox sends by itself, once, with its photos.
  await context.setOffline(false);
  await expect(page.getByTestId('outbox')).toHaveCount(0, { timeout: 20_000 });
  const item = page.getByTestId('request-list').getByRole('link').first();
  await expect(item).toContainText('市政设施');

  const bearer = await token(request, '13800000002');
  const mine = await (await request.get(`${REST}/api/v1/requests`, { headers: auth(bearer) })).json();
  const filed = mine.filter((r: { description: string }) => r.description === description);
  expect(filed).toHaveLength(1);
  expect(filed[0].tracking).toMatch(TRACKING);
  expect(filed[0].photos).toHaveLength(2);

  // The photos were shrunk on the phone: JPEG, longest side 1600 px.
  await item.click();
  const gallery = page.getByTestId('request-photos');
  await expect(gallery.getByRole('img')).toHaveCount(2);
  const sizes = await gallery.getByRole('img').evaluateAll(async (imgs) =>
    Promise.all(
      (imgs as HTMLImageElement[]).map(async (img) => {
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }),
    ),
  );
  expect(sizes).toEqual([
    [1600, 1200],
    [1600, 1200],
  ]);
  const photo = await request.get(`${REST}/api/v1/photos/${filed[0].photos[0]}`);
  expect(photo.headers()['content-type']).toBe('image/jpeg');
  expect((await photo.body()).length).toBeLessThan(photos[0].length);
  await expectNoAxeViolations(page);
});
