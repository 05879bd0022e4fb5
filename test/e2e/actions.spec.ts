import { expect, Page, test } from '@playwright/test';
import path from 'node:path';
import {
  clusterSplit,
  patchOutside,
  readVirtualService,
  signInAsGuest,
} from './demo';

/*
 * The actions a developer takes, end to end: the tab in Chromium, the real
 * backend, and the change checked in the simulated cluster itself. The tests
 * run in order on one demo: each starts where the previous one left off.
 */
test.describe.configure({ mode: 'serial' });

const screenshots = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/screenshots')
  : path.resolve(__dirname, '../../.data/test-results/screenshots');

const reviewsEast = (page: Page) =>
  page.getByRole('article', {
    name: 'VirtualService bookinfo/reviews in demo-east',
  });
const reviewsBar = (page: Page, split: string) =>
  reviewsEast(page).getByRole('img', {
    name: `Traffic of http[0] reviews-route: ${split}`,
  });

/** Backstage scrolls inside its own layout, so a tall window shows the whole tab. */
async function shoot(page: Page, file: string) {
  await page.setViewportSize({ width: 1400, height: 2600 });
  // From the top of the entity page, whatever an action scrolled to.
  await page
    .getByRole('tab', { name: 'Rollouts' })
    .evaluate(tab => tab.scrollIntoView({ block: 'end' }));
  await page.screenshot({ path: path.join(screenshots, file) });
}

async function confirm(page: Page, reason?: string) {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  // The dialog names what it changes and shows the dry run's result as YAML
  // (the JSON Patch is there too, collapsed under "Exact patch").
  await expect(dialog.getByText('demo-east').first()).toBeVisible();
  await expect(
    dialog.getByRole('region', { name: /^YAML of / }).first(),
  ).toBeVisible();
  await expect(
    dialog.getByRole('button', { name: /^Exact patch/ }).first(),
  ).toBeVisible();
  if (reason) {
    await dialog.getByRole('textbox', { name: /reason/i }).fill(reason);
  }
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

test('sets reviews to 80/20 with the weight editor', async ({ page }) => {
  await page.goto('/catalog/default/component/reviews/rollouts');
  await expect(reviewsBar(page, 'v1 50% / v2 50%')).toBeVisible();

  await reviewsEast(page).getByRole('button', { name: 'Set weights' }).click();
  const v1 = reviewsEast(page).getByRole('spinbutton', {
    name: 'Weight of v1 in percent',
  });
  // What is not a weight is said, never clamped or rounded.
  for (const [typed, message] of [
    ['-5', 'A weight cannot be negative'],
    ['150', 'A weight is at most 100'],
    ['12.5', 'Weights are whole percent: Istio takes no fractions'],
  ]) {
    await v1.fill(typed);
    await expect(reviewsEast(page).getByText(message)).toBeVisible();
    await expect(
      reviewsEast(page).getByRole('button', { name: 'Review change' }),
    ).toBeDisabled();
  }
  // Cleared, the field is empty (not 0); typed, it holds what was typed (no leading zero).
  await v1.fill('');
  await v1.pressSequentially('95');
  await expect(v1).toHaveValue('95');
  await v1.fill('0');
  await expect(v1).toHaveValue('0');
  await expect(
    reviewsEast(page).getByRole('spinbutton', {
      name: 'Weight of v2 in percent',
    }),
  ).toHaveValue('100');
  await v1.fill('080');
  await expect(v1).toHaveValue('80');
  // The editor keeps the total at 100: v2 follows.
  await expect(
    reviewsEast(page).getByRole('spinbutton', {
      name: 'Weight of v2 in percent',
    }),
  ).toHaveValue('20');
  await reviewsEast(page)
    .getByRole('button', { name: 'Review change' })
    .click();
  await confirm(page, 'e2e: shift 20% to v2');

  await expect(reviewsBar(page, 'v1 80% / v2 20%')).toBeVisible();
  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v1', 80],
    ['v2', 20],
  ]);
  // Fields the plugin does not model are still there.
  const vs = await readVirtualService('bookinfo', 'reviews');
  expect(vs.spec.http[0]).toHaveProperty('retries');

  await shoot(page, 'rollouts-light.png');
});

test('promotes v2 to 100 %', async ({ page }) => {
  await page.goto('/catalog/default/component/reviews/rollouts');
  await reviewsEast(page).getByRole('button', { name: 'Promote v2' }).click();
  await confirm(page);
  await expect(reviewsBar(page, 'v1 0% / v2 100%')).toBeVisible();
  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v1', 0],
    ['v2', 100],
  ]);
});

test('rolls back to the stable v1', async ({ page }) => {
  await page.goto('/catalog/default/component/reviews/rollouts');
  await reviewsEast(page)
    .getByRole('button', { name: 'Roll back to v1' })
    .click();
  await confirm(page);
  await expect(reviewsBar(page, 'v1 100% / v2 0%')).toBeVisible();
  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v1', 100],
    ['v2', 0],
  ]);
});

test('switches gorilla-sfx-demo from blue to green', async ({ page }) => {
  // The demo's gorilla-sfx-demo is Argo CD's, so a switch of it is a commit in Git (gitopsSwitch.spec.ts); no
  // longer tracked by Argo CD, it is patched in the cluster, which is what this test is about.
  await patchOutside('default', 'gorilla-sfx-demo', [
    {
      op: 'remove',
      path: '/metadata/annotations/argocd.argoproj.io~1tracking-id',
    },
  ]);
  await page.goto('/catalog/default/component/gorilla-sfx-demo/rollouts');
  await page.getByRole('button', { name: 'Switch to green' }).click();
  await confirm(page);

  const vs = await readVirtualService('default', 'gorilla-sfx-demo');
  const [byHeader, byDefault] = vs.spec.http;
  expect(byDefault.route[0].destination.subset).toBe('green');
  expect(byHeader.route[0].destination.subset).toBe('blue');
  expect(byHeader.match?.[0].headers?.['x-deploy']).toEqual({ exact: 'blue' });
  await expect(
    page.getByRole('button', { name: 'Switch to blue' }),
  ).toBeVisible();
});

test("shows web-service's controls locked, and why", async ({ page }) => {
  await page.goto('/catalog/default/component/web-service/rollouts');
  const promote = page.getByRole('button', { name: /Promote/ }).first();
  await expect(promote).toBeDisabled();
  // Whom to ask, from the catalog, in words rather than permission ids.
  await expect(promote).toHaveAccessibleDescription(
    /^Team Web owns web-service: you may view its traffic but not promote\. Ask Team Web \(group:default\/team-web\) for access\.$/,
  );
  await expect(
    page
      .getByText(/^Team Web owns web-service: .* but not change it\./)
      .first(),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Set weights' }).first(),
  ).toBeDisabled();
});

test('lists the changes it made in the history', async ({ page }) => {
  await page.goto('/catalog/default/component/reviews/rollouts');
  const history = page.getByRole('table', { name: 'History' });
  await expect(history).toBeVisible();
  const rows = history.getByRole('row');
  // Newest first: roll back, promote, set weights (with its reason).
  await expect(rows.nth(1)).toContainText('Roll back');
  await expect(rows.nth(2)).toContainText('Promote');
  await expect(rows.nth(3)).toContainText('Set weights');
  await expect(rows.nth(3)).toContainText('e2e: shift 20% to v2');
  await expect(rows.nth(3)).toContainText('guest');

  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  await page.reload();
  await expect(reviewsBar(page, 'v1 100% / v2 0%')).toBeVisible();
  await shoot(page, 'rollouts-dark.png');
});
