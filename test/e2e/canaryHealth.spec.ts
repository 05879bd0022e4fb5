import { expect, test } from '@playwright/test';
import path from 'node:path';
import { clusterSplit, signInAsGuest } from './demo';

/*
 * Canary health in the browser: the demo's Prometheus scrapes the simulated
 * clusters' Istio telemetry, in which foobar's v2 fails 5 % of its requests.
 * The first figures need two scrapes (5 s apart) after the demo starts.
 */
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/screenshots')
  : path.resolve(__dirname, '../../.data/test-results/screenshots');

test("foobar's failing canary: the verdict, the figures, the chart, and Promote asks twice", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/foobar/rollouts');
  const card = page.getByRole('article', {
    name: 'VirtualService foobar/foobar in demo-east',
  });
  // The server's verdict, in its words, once Prometheus has a rate window.
  const verdict = card.getByRole('status', {
    name: /^Canary v2: failing: \d+(\.\d)? % errors vs \d+(\.\d)? %/,
  });
  await expect(verdict).toBeVisible({ timeout: 100_000 });
  await expect(card.getByText('CANARY_ERROR_RATE')).toBeVisible();
  // Per-subset figures beside the weights, and the chart named by its figures.
  const subsets = card.getByRole('table', { name: 'Subsets' });
  await expect(
    subsets.getByRole('columnheader', { name: 'Req/s' }),
  ).toBeVisible();
  await expect(
    card.getByRole('img', { name: /^Requests and errors per second of/ }),
  ).toBeVisible();
  await expect(card.locator('.recharts-line').first()).toBeVisible();
  await page.setViewportSize({ width: 1400, height: 1100 });
  await page.screenshot({
    path: path.join(screenshots, 'canary-health-light.png'),
  });

  // Promote shows the verdict and wants a second yes while the canary fails.
  await card.getByRole('button', { name: 'Promote v2' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/Canary health of v2/)).toBeVisible();
  const anyway = dialog.getByRole('checkbox', {
    name: /^Promote anyway: the canary is failing/,
  });
  await expect(anyway).toBeVisible();
  const apply = dialog.getByRole('button', { name: 'Apply', exact: true });
  await expect(apply).toBeDisabled();
  await anyway.check();
  await expect(apply).toBeEnabled();
  // Not this time: nothing changes in the cluster.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(await clusterSplit('foobar', 'foobar')).toEqual([
    ['latest', 70],
    ['v2', 30],
  ]);
});
