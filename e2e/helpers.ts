import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** axe-core's WCAG 2.1 A/AA rules must find nothing. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
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
