import { test, expect, type Page } from '@playwright/test';
import { REST, appReady, auth, expectNoAxeViolations, signIn, token } from './helpers';
import { cameraPhoto } from './photos';

const PHOTOS = '**/api/v1/photos';

async function fileWithPhotos(page: Page, description: string, photos: Buffer[]) {
  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '市政设施' });
  await form.getByLabel('问题描述').fill(description);
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 3 号');
  await form
    .getByLabel('照片（可选，最多 9 张）')
    .setInputFiles(photos.map((buffer, i) => ({ name: `IMG_${i}.jpg`, mimeType: 'image/jpeg', buffer })));
  await expect(form.getByTestId('photo-preview')).toHaveCount(photos.length);
  await form.getByRole('button', { name: '提交' }).click();
}

test('photos the server no longer knows (deleted a day after upload) are uploaded again once, and the request is filed', async ({
  page,
  request,
}) => {
  await signIn(page, '13800000001');
  const photos = [await cameraPhoto(page, '路灯 1'), await cameraPhoto(page, '路灯 2')];
  let uploads = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/api/v1/photos')) uploads++;
  });
  // The first filing is lost on the way (the photos are up); the next finds them gone, as the
  // server answers when that retry comes more than a day later.
  let filings = 0;
  await page.route('**/api/v1/requests', async (route) => {
    if (route.request().method() !== 'POST') {
      await route.continue();
      return;
    }
    filings++;
    if (filings === 1) {
      await route.abort('internetdisconnected');
    } else if (filings === 2) {
      await route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'invalid_field', message: 'photos: no such photo', field: 'photos' },
        }),
      });
    } else {
      await route.continue();
    }
  });
  const description = '路灯不亮已经一周了，晚上出门很不方便。';
  await fileWithPhotos(page, description, photos);

  await expect(page.getByTestId('tracking')).toHaveText(/^CD-\d{8}-\d{6}$/, { timeout: 30_000 });
  expect(filings).toBe(3);
  expect(uploads, 'each photo uploaded twice: before and after the refusal').toBe(4);
  const bearer = await token(request, '13800000001');
  const mine = await (await request.get(`${REST}/api/v1/requests`, { headers: auth(bearer) })).json();
  const filed = mine.filter((r: { description: string }) => r.description === description);
  expect(filed).toHaveLength(1);
  expect(filed[0].photos).toHaveLength(2);
});

test('a photo the server refuses as too large is worded, with the way out', async ({ page }) => {
  await signIn(page, '13800000001');
  const photo = await cameraPhoto(page, '井盖');
  await page.route(PHOTOS, (route) =>
    route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 'photo_too_many_pixels',
          message: 'photo: the image is 9000 × 10 pixels; at most 8000 on a side',
          field: 'photo',
        },
      }),
    }),
  );
  await fileWithPhotos(page, '井盖松动了，踩上去会翻，晚上很危险。', [photo]);
  const refused = page.getByTestId('request-refused');
  await expect(refused).toContainText('有一张照片太大（一边超过 8000 像素）');
  await expect(refused).toContainText('请删除这条后换一张照片重新提交');
  await expect(refused.getByRole('button', { name: '删除' })).toBeVisible();
  await expectNoAxeViolations(page);
});
