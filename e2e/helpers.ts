import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { CITY_APP_PORT, CITY_PORT, REST_PORT } from '../playwright.config';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';

/** What this suite and the WebKit suite (e2e-webkit/) both use: the demo password, the axe rules. */
const shared = JSON.parse(readFileSync('e2e/shared.json', 'utf8'));

/** axe-core's WCAG 2.1 A/AA rules must find nothing. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(shared.axe_tags).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, 'axe-core violations').toEqual([]);
}

/** Records every request the page makes that does not go to the page's own origin. */
export function watchForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) foreign.push(url);
  });
  return foreign;
}

/** Waits until the app has loaded its configuration and catalog. */
export async function appReady(page: Page) {
  await expect(page.getByRole('navigation', { name: /主导航|Main navigation/ })).toBeVisible();
}

/** The bundle served with `config/serve.json`: services, requests, volunteering and the time bank on the server (`rest`). */
export const REST = `http://127.0.0.1:${REST_PORT}`;
/** Another city's GeoReport v2 fixture (e2e/fixtures/georeport-city.mjs): its origin; the endpoint is `${CITY}/city/georeport/v2/`. */
export const CITY = `http://127.0.0.1:${CITY_PORT}`;
/** The bundle whose `open311` requests backend is that city (application key, jurisdiction_id). */
export const CITY_APP = `http://127.0.0.1:${CITY_APP_PORT}`;
/** The demo accounts' password (see the README). */
export const DEMO_PASSWORD: string = shared.demo_password;

/** Signs in as a demo person through the form in 我的, and waits for the signed-in card. */
export async function signIn(page: Page, mobile: string, app: string = REST) {
  await page.goto(`${app}/me`);
  await appReady(page);
  const form = page.getByTestId('sign-in');
  await form.getByLabel('手机号').fill(mobile);
  await form.getByLabel('密码').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signed-in')).toBeVisible();
}

/** Signs a demo person in through the API and returns their bearer token. */
export async function token(request: APIRequestContext, mobile: string): Promise<string> {
  const reply = await request.post(`${REST}/api/v1/session`, { data: { mobile, password: DEMO_PASSWORD } });
  expect(reply.ok()).toBeTruthy();
  return (await reply.json()).token;
}

/** `Authorization` for a bearer token from [`token`]. */
export const auth = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });

/** Sends one command about a request through the API; it must be applied (200). */
export async function command(request: APIRequestContext, bearer: string, tracking: string, body: object) {
  const reply = await request.post(`${REST}/api/v1/requests/${tracking}/commands`, { headers: auth(bearer), data: body });
  expect(reply.status(), JSON.stringify(body)).toBe(200);
}
