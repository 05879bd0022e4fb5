import { expect, test } from '@playwright/test';
import { signInAsGuest } from './demo';

test('a guest opens reviews and sees its Rollouts tab', async ({ page }) => {
  await signInAsGuest(page);

  await expect(
    page.getByRole('heading', { name: 'Demo Catalog' }),
  ).toBeVisible();
  // The catalog opens on the guest's own components; the demo has six in all.
  await page.getByRole('menuitem', { name: /^All/ }).click();
  for (const name of [
    'reviews',
    'web-service',
    'foobar',
    'gorilla-sfx-demo',
    'ratings',
    'details',
  ]) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }

  await page.getByRole('link', { name: 'reviews', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'reviews' }).first(),
  ).toBeVisible();

  await page.getByRole('tab', { name: 'Rollouts' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/reviews\/rollouts/,
  );
  // demo-east's reviews is the one the actions suite changes; demo-west's stays put.
  await expect(
    page.getByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-east',
    }),
  ).toBeVisible();
  const west = page.getByRole('article', {
    name: 'VirtualService bookinfo/reviews in demo-west',
  });
  await expect(
    west.getByRole('img', {
      name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
    }),
  ).toBeVisible();
});

test('details, which has no Kubernetes annotation, says how to set it up', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/details/rollouts');
  // The plugin's own set-up help, prefilled with the entity's name.
  await expect(
    page.getByRole('heading', { name: 'Set up details for the Rollouts tab' }),
  ).toBeVisible();
  await expect(
    page.getByText('backstage.io/kubernetes-id=details').first(),
  ).toBeVisible();
  await expect(
    page.getByRole('group', { name: 'Annotation in catalog-info.yaml' }),
  ).toContainText('backstage.io/kubernetes-id: details');
});
