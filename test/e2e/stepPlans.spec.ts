import { expect, Locator, Page, test } from '@playwright/test';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { clusterSplit, resetCluster, signInAsGuest } from './demo';

/*
 * A step plan on reviews, as a developer runs one from the tab: start the demo's quick template, watch the backend's
 * scheduler write its first step, press Next step, then Abort, which rolls the route back. The cluster is read
 * straight from kube-sim after each step. The tests run in order on one demo, from the demo's manifests.
 */
test.describe.configure({ mode: 'serial' });

const screenshots = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/screenshots')
  : path.resolve(__dirname, '../../.data/test-results/screenshots');

const TEMPLATE = 'quick demo, 20 s steps';
/** The runner ticks every 5 s in the demo; a write shows within a tick and the tab's 5 s refresh. */
const STEP_TIMEOUT = 40_000;

const east = (page: Page) =>
  page.getByRole('article', {
    name: 'VirtualService bookinfo/reviews in demo-east',
  });
const plan = (scope: Locator) =>
  scope.getByRole('region', { name: /^Step plan #\d+$/ });
const progress = (scope: Locator) => plan(scope).getByRole('status').first();
const bar = (scope: Locator, split: string) =>
  scope.getByRole('img', {
    name: `Traffic of http[0] reviews-route: ${split}`,
  });

async function openReviews(page: Page) {
  await page.goto('/catalog/default/component/reviews/rollouts');
  await expect(east(page)).toBeVisible();
}

/** Confirms the open command dialog with its one primary button. */
async function confirm(page: Page, label: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.beforeAll(async () => {
  await resetCluster('demo-east');
});

test.afterAll(async () => {
  // Later suites expect the demo as it ships.
  await resetCluster('demo-east');
});

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

test('starts a template plan on reviews, watches it advance, presses Next step, then Abort rolls it back', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await openReviews(page);
  await expect(bar(east(page), 'v1 50% / v2 50%')).toBeVisible();

  await east(page)
    .getByRole('button', { name: /^Start plan on reviews-route in demo-east/ })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('#istio-rollouts-plan-template').click();
  await page.getByRole('option', { name: new RegExp(TEMPLATE) }).click();
  await dialog.getByRole('button', { name: 'Review' }).click();
  await expect(
    dialog.getByText(
      `Plan "${TEMPLATE}" on reviews-route: v1 → v2 in 8 steps`,
      { exact: false },
    ),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Start plan', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The scheduler writes step 1 (10 %), then the timed pause of step 2 counts down.
  await expect(progress(east(page))).toHaveText(/^step 2\/8 · 10 %$/, {
    timeout: STEP_TIMEOUT,
  });
  await expect(bar(east(page), 'v1 90% / v2 10%')).toBeVisible();
  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v1', 90],
    ['v2', 10],
  ]);
  await expect(
    plan(east(page)).getByText(/^Next: pause of 20 s/),
  ).toBeVisible();

  await plan(east(page)).scrollIntoViewIfNeeded();
  await page.screenshot({
    path: path.join(screenshots, 'plan-desktop-light.png'),
  });

  // Pause holds it at step 2 (no time counts while paused) for a look in both themes.
  await plan(east(page))
    .getByRole('button', { name: /^Pause plan #\d+ on reviews-route$/ })
    .click();
  await confirm(page, 'Pause plan');
  await expect(progress(east(page))).toHaveText(/^paused · step 2\/8 · 10 %$/);
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate(t => window.localStorage.setItem('theme', t), theme);
    await openReviews(page);
    await plan(east(page)).scrollIntoViewIfNeeded();
    await expect(progress(east(page))).toHaveText(
      /^paused · step 2\/8 · 10 %$/,
    );
    await expectNoSeriousAxeViolations(page, `plan paused, ${theme}`);
    if (theme === 'dark') {
      await page.screenshot({
        path: path.join(screenshots, 'plan-desktop-dark.png'),
      });
    }
  }
  await page.evaluate(() => window.localStorage.setItem('theme', 'light'));
  await openReviews(page);

  // Next step ends step 2: the analysis of step 3 begins (and may pass, moving on to 25 %).
  await plan(east(page))
    .getByRole('button', { name: /^Next step of plan #\d+ on reviews-route$/ })
    .click();
  await confirm(page, 'Go to next step');
  await expect(progress(east(page))).toHaveText(/^step [3-5]\/8 · (10|25) %$/, {
    timeout: STEP_TIMEOUT,
  });

  // Abort: the runner rolls the route back to v1 and ends the plan.
  await plan(east(page))
    .getByRole('button', { name: /^Abort plan #\d+ on reviews-route$/ })
    .click();
  await expect(page.getByRole('dialog')).toContainText('v1');
  await confirm(page, 'Abort plan');
  await expect(bar(east(page), 'v1 100% / v2 0%')).toBeVisible({
    timeout: STEP_TIMEOUT,
  });
  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v1', 100],
    ['v2', 0],
  ]);
  await expect(
    east(page)
      .getByText(/aborted · 0 %/)
      .first(),
  ).toBeVisible();
  // The route may take a new plan.
  await expect(
    east(page).getByRole('button', {
      name: /^Start plan on reviews-route in demo-east/,
    }),
  ).toBeVisible();
});

test('shows the plan on a phone without overflowing the page', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await resetCluster('demo-east');
  await openReviews(page);
  await east(page)
    .getByRole('button', { name: /^Start plan on reviews-route in demo-east/ })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('#istio-rollouts-plan-template').click();
  await page.getByRole('option', { name: new RegExp(TEMPLATE) }).click();
  await dialog.getByRole('button', { name: 'Review' }).click();
  await dialog.getByRole('button', { name: 'Start plan', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(progress(east(page))).toHaveText(/^step 2\/8 · 10 %$/, {
    timeout: STEP_TIMEOUT,
  });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  // Backstage's own toast ("Started: …") has a close button without a name: axe the tab once it is gone.
  await expect(page.getByText(/^Started: Plan/)).toBeHidden({
    timeout: 20_000,
  });
  await plan(east(page)).scrollIntoViewIfNeeded();
  await expectNoSeriousAxeViolations(page, 'plan on a phone');
  await plan(east(page)).screenshot({
    path: path.join(screenshots, 'plan-phone-light.png'),
  });
  // Leave no plan running for later suites.
  await plan(east(page))
    .getByRole('button', { name: /^Abort plan #\d+ on reviews-route$/ })
    .click();
  await confirm(page, 'Abort plan');
  await expect(
    east(page)
      .getByText(/aborted · 0 %/)
      .first(),
  ).toBeVisible({
    timeout: STEP_TIMEOUT,
  });
});
