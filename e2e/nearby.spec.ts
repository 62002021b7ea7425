import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { appReady } from './helpers';

type Point = { id: string; name: { zh: string }; lat: number; lng: number; neighbourhood: string };
type Hood = { id: string; name: { zh: string }; lat: number; lng: number };
const catalog = JSON.parse(readFileSync('crates/core/data/catalog.json', 'utf8')) as {
  service_points: Point[];
  neighbourhoods: Hood[];
};

// An independent great-circle distance, to check the app's ordering against.
function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

function nearestFirst(from: { lat: number; lng: number }) {
  return [...catalog.service_points].sort((a, b) => metres(from, a) - metres(from, b));
}

test.describe('with location permission', () => {
  const here = catalog.service_points[catalog.service_points.length - 1];
  test.use({ geolocation: { latitude: here.lat, longitude: here.lng }, permissions: ['geolocation'] });

  test('service points are sorted by walking distance from the browser position', async ({ page }) => {
    await page.goto('/');
    await appReady(page);
    await page.getByRole('button', { name: '使用我的位置' }).click();
    const items = page.getByTestId('nearby-point');
    await expect(items).toHaveCount(5);
    const expected = nearestFirst({ lat: here.lat, lng: here.lng }).slice(0, 5).map((p) => p.name.zh);
    await expect(items.locator('h3')).toHaveText(expected);
    const distances = await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-metres'))));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    await expect(items.first()).toContainText('步行 1 分钟');
  });
});

test('without permission, the resident picks a neighbourhood and the choice is remembered', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page.getByTestId('location-status')).toContainText('没有获得定位权限');

  const hood = catalog.neighbourhoods[1];
  await page.getByRole('combobox', { name: '我所在的街道' }).selectOption(hood.id);
  const expected = nearestFirst(hood).slice(0, 5).map((p) => p.name.zh);
  await expect(page.getByTestId('nearby-point').locator('h3')).toHaveText(expected);

  await page.reload();
  await expect(page.getByRole('combobox', { name: '我所在的街道' })).toHaveValue(hood.id);
  await expect(page.getByTestId('nearby-point').locator('h3')).toHaveText(expected);
});
