import { expect, Locator, Page, test } from '@playwright/test';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import {
  clearFaults,
  clusterSplit,
  failCluster,
  patchOutside,
  resetCluster,
  signInAsGuest,
} from './demo';

/*
 * A whole release of reviews, as a developer runs it from the tab: promote v2 in both clusters at once, finish,
 * start v3, move weights while someone changes the route under the editor, then lose a cluster. The read model
 * must say what is true after every step. The tests run in order on one demo, from the demo's manifests.
 */
test.describe.configure({ mode: 'serial' });

const screenshots = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/screenshots')
  : path.resolve(__dirname, '../../.data/test-results/screenshots');

const card = (page: Page, cluster: string) =>
  page.getByRole('article', {
    name: `VirtualService bookinfo/reviews in ${cluster}`,
  });
const east = (page: Page) => card(page, 'demo-east');
const bar = (scope: Locator, split: string) =>
  scope.getByRole('img', {
    name: `Traffic of http[0] reviews-route: ${split}`,
  });
const chip = (scope: Locator) => scope.getByTestId('phase-chip').first();

async function openReviews(page: Page) {
  await page.goto('/catalog/default/component/reviews/rollouts');
  await expect(east(page)).toBeVisible();
}

/** Applies the open confirmation as it is. */
async function apply(page: Page) {
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('button', { name: 'Apply', exact: true }),
  ).toBeEnabled();
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.beforeAll(async () => {
  await resetCluster('demo-east');
  await resetCluster('demo-west');
});

test.afterAll(async () => {
  // Later suites expect the demo as it ships.
  await clearFaults('demo-west');
  await resetCluster('demo-east');
  await resetCluster('demo-west');
});

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

test('promotes v2 in both clusters at once, one preview and one change per cluster', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openReviews(page);
  await expect(bar(east(page), 'v1 50% / v2 50%')).toBeVisible();
  await expect(bar(card(page, 'demo-west'), 'v1 80% / v2 20%')).toBeVisible();
  await expect(chip(east(page))).toHaveText('canary 50%');

  await east(page).getByRole('button', { name: 'Promote v2' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('demo-west too')).toBeVisible();
  await dialog.getByRole('button', { name: 'Apply to all clusters…' }).click();
  const order = dialog.getByRole('list', {
    name: 'Clusters, in the order they are changed',
  });
  await expect(order.getByRole('listitem')).toHaveCount(2);
  // Each cluster's own dry run, as YAML.
  await expect(dialog.getByRole('region', { name: /^YAML of / })).toHaveCount(
    2,
  );
  await expectNoSeriousAxeViolations(page, 'the fleet dialog');
  await dialog.getByRole('button', { name: 'Apply in 2 clusters' }).click();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  for (const cluster of ['demo-east', 'demo-west'] as const) {
    expect(await clusterSplit('bookinfo', 'reviews', 0, cluster)).toEqual([
      ['v1', 0],
      ['v2', 100],
    ]);
  }
});

test('after the promotion: "promoted", and Finish removes v1 from the route', async ({
  page,
}) => {
  await openReviews(page);
  await expect(chip(east(page))).toHaveText('promoted — v1 retired');
  // No "Promote v1": that would be a rollback under another name.
  await expect(
    east(page).getByRole('button', { name: 'Promote v1' }),
  ).toHaveCount(0);
  const finish = east(page).getByRole('button', { name: 'Finish: remove v1' });
  await expect(finish).toBeVisible();
  await finish.click();
  await apply(page);

  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([['v2', 100]]);
  await expect(bar(east(page), 'v2 100%')).toBeVisible();
  await expect(chip(east(page))).toHaveText('stable');
});

test('starts canary v3, and the next step is "Promote v3"', async ({
  page,
}) => {
  await openReviews(page);
  await east(page).getByRole('button', { name: 'Start canary' }).click();
  await page.getByRole('menuitem', { name: 'Start v3 at 0%' }).click();
  await apply(page);

  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v2', 100],
    ['v3', 0],
  ]);
  await expect(chip(east(page))).toHaveText('stable — v3 at 0%');
  await expect(
    east(page).getByRole('button', { name: 'Promote v3' }),
  ).toBeVisible();
});

test('someone changes the route during an edit: my weights go on the new version, never over it', async ({
  page,
}) => {
  await openReviews(page);
  await east(page).getByRole('button', { name: 'Set weights' }).click();
  await east(page)
    .getByRole('spinbutton', { name: 'Weight of v3 in percent' })
    .fill('10');
  await expect(
    east(page).getByRole('spinbutton', { name: 'Weight of v2 in percent' }),
  ).toHaveValue('90');

  // kubectl, meanwhile: 95/5.
  await patchOutside('bookinfo', 'reviews', [
    { op: 'test', path: '/spec/http/0/route/0/weight', value: 100 },
    { op: 'replace', path: '/spec/http/0/route/0/weight', value: 95 },
    { op: 'replace', path: '/spec/http/0/route/1/weight', value: 5 },
  ]);
  const rebase = east(page).getByRole('button', {
    name: 'Apply my weights on the new version',
  });
  await expect(rebase).toBeVisible({ timeout: 40_000 });
  await expect(
    east(page).getByRole('button', { name: 'Review change' }),
  ).toBeDisabled();
  await rebase.click();
  await east(page).getByRole('button', { name: 'Review change' }).click();
  await apply(page);

  expect(await clusterSplit('bookinfo', 'reviews')).toEqual([
    ['v2', 90],
    ['v3', 10],
  ]);
  await expect(bar(east(page), 'v2 90% / v3 10%')).toBeVisible();
});

test('a cluster that stops answering keeps its last-known split, greyed and read-only', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openReviews(page);
  await expect(bar(card(page, 'demo-west'), 'v1 0% / v2 100%')).toBeVisible();
  await failCluster('demo-west');
  try {
    await page.reload();
    const west = page.getByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-west, last known',
    });
    await expect(west).toBeVisible();
    await expect(west).toHaveAttribute('data-stale', 'true');
    await expect(
      west.getByText(/demo-west is not answering — last seen/),
    ).toBeVisible();
    await expect(bar(west, 'v1 0% / v2 100%')).toBeVisible();
    for (const button of await west
      .getByRole('button', {
        name: /^(Finish|Start canary|Set weights|Roll back)/,
      })
      .all()) {
      await expect(button).toBeDisabled();
    }
    // demo-east still answers, with its controls.
    await expect(
      east(page).getByRole('button', { name: 'Promote v3' }),
    ).toBeEnabled();
    await expectNoSeriousAxeViolations(page, 'a stale cluster');
  } finally {
    await clearFaults('demo-west');
  }
});

test('axe finds nothing serious in the tab, the editor and the dialog; screenshots at 1400 and 390 px', async ({
  page,
}) => {
  // Four page loads and six axe runs: more than one test's default minute on a busy machine.
  test.setTimeout(240_000);
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate(t => window.localStorage.setItem('theme', t), theme);
    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 2400 });
      await openReviews(page);
      await expect(bar(east(page), 'v2 90% / v3 10%')).toBeVisible();
      await expectNoSeriousAxeViolations(
        page,
        `the tab, ${theme}, ${width} px`,
      );
      // Nothing wider than the window: tables scroll inside their cards.
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(width);
      await page.screenshot({
        path: path.join(
          screenshots,
          `release-${width > 1000 ? 'desktop' : 'phone'}-${theme}.png`,
        ),
      });
    }
  }
  await page.evaluate(() => window.localStorage.setItem('theme', 'light'));
  await page.setViewportSize({ width: 1400, height: 1600 });
  await openReviews(page);

  // The editor with a weight it refuses.
  await east(page).getByRole('button', { name: 'Set weights' }).click();
  await east(page)
    .getByRole('spinbutton', { name: 'Weight of v3 in percent' })
    .fill('150');
  await expect(east(page).getByText('A weight is at most 100')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'the weight editor in an error');

  // The confirmation with its YAML preview.
  await east(page)
    .getByRole('spinbutton', { name: 'Weight of v3 in percent' })
    .fill('20');
  await east(page).getByRole('button', { name: 'Review change' }).click();
  await expect(
    page.getByRole('dialog').getByRole('region', { name: /^YAML of / }),
  ).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'the confirmation dialog');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Cancel' })
    .click();
});
