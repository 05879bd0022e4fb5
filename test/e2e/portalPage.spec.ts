import { expect, test } from '@playwright/test';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { resetCluster, signInAsGuest } from './demo';

/*
 * The portal-wide page: every active canary, blue/green release and step plan of the demo, in both clusters, one
 * row per route, each linking to its entity's Rollouts tab, with the server's canary verdict. The demo's Prometheus
 * scrapes the simulated clusters, in which foobar's v2 fails 5 % of its requests; the first verdicts need two
 * scrapes (5 s apart) after the demo starts.
 */
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/screenshots')
  : path.resolve(__dirname, '../../.data/test-results/screenshots');

test.beforeAll(async () => {
  await resetCluster('demo-east');
  await resetCluster('demo-west');
});

test('lists every active rollout of the demo, in both clusters, and links to the tab', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Istio Rollouts' }).click();
  await expect(
    page.getByRole('heading', { name: 'Istio Rollouts' }).first(),
  ).toBeVisible();
  const rows = page.getByRole('row');
  const row = (text: RegExp) => rows.filter({ hasText: text });
  await expect(row(/demo-east.*canary 50%.*v1 50% · v2 50%/)).toHaveCount(1);
  await expect(row(/demo-west.*canary 20%.*v1 80% · v2 20%/)).toHaveCount(1);
  await expect(row(/foobar.*canary 30%.*latest 70% · v2 30%/)).toHaveCount(1);
  await expect(row(/gorilla-sfx-demo.*blue-green \(header\)/)).toHaveCount(2);

  // The server's verdicts, once Prometheus has a rate window: foobar's canary fails; reviews' in demo-east is
  // healthy, or not yet judged while the window fills. The chip's hidden words name the canary, as on the tab.
  await expect(
    row(/foobar.*canary 30%/).getByRole('cell', {
      name: /^Canary v2: failing: \d+(\.\d)? % errors vs \d+(\.\d)? %/,
    }),
  ).toBeVisible({ timeout: 100_000 });
  await expect(
    row(/demo-east.*canary 50%/).getByRole('cell', {
      name: /^Canary v2: (healthy|not enough traffic)/,
    }),
  ).toBeVisible();
  // No live region per row: the table is read again every 10 s.
  await expect(page.getByRole('table').getByRole('status')).toHaveCount(0);
  // Every column fits a laptop's width: the last one, Plan, ends inside the window (no sideways scrolling).
  const plan = await page
    .getByRole('columnheader', { name: 'Plan' })
    .boundingBox();
  expect(plan!.x + plan!.width).toBeLessThanOrEqual(1400);
  await expectNoSeriousAxeViolations(page, 'the portal page');
  await page.screenshot({ path: path.join(screenshots, 'portal-light.png') });

  // The dark theme: the same rows and verdicts, legible (axe checks the contrast).
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  await page.reload();
  await expect(
    row(/foobar.*canary 30%/).getByRole('cell', {
      name: /^Canary v2: failing/,
    }),
  ).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousAxeViolations(page, 'the portal page, dark');
  await page.screenshot({ path: path.join(screenshots, 'portal-dark.png') });
  await page.evaluate(() => window.localStorage.setItem('theme', 'light'));
  await page.reload();

  // Only the failing canary, by the Health filter.
  await page.getByRole('button', { name: 'filter list' }).click();
  await page
    .locator('[data-testid="select"][aria-label="Health"]')
    .getByRole('button')
    .click();
  await page.getByRole('option', { name: 'failing' }).click();
  await page.keyboard.press('Escape');
  await expect(row(/foobar.*canary 30%/)).toHaveCount(1);
  await expect(row(/reviews/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear all' }).click();

  await row(/demo-west.*canary 20%/)
    .getByRole('link', { name: /reviews/ })
    .first()
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/reviews\/rollouts$/,
  );
});

test('fits a phone', async ({ page }) => {
  test.setTimeout(90_000);
  // Signed in at desktop width: a phone hides the sidebar the sign-in waits for.
  await signInAsGuest(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/istio-rollouts');
  await expect(
    page.getByRole('row').filter({ hasText: /canary 50%/ }),
  ).toHaveCount(1);
  await expect(
    page.getByRole('cell', { name: /^Canary v2: failing/ }),
  ).toBeVisible({ timeout: 100_000 });
  await expectNoSeriousAxeViolations(page, 'the portal page on a phone');
  await page.screenshot({
    path: path.join(screenshots, 'portal-phone-light.png'),
  });
  expect(
    await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    ),
  ).toBeLessThanOrEqual(0);
});
