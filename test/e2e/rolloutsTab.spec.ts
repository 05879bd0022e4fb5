import { expect, Page, test } from '@playwright/test';

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the portal's navigation is there.
  await expect(page.getByRole('link', { name: 'Catalog' })).toBeVisible();
}

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
  await expect(
    page.getByText('backstage.io/kubernetes-id=reviews'),
  ).toBeVisible();
});

test('details, which has no Kubernetes annotation, says how to set it up', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/details/rollouts');
  await expect(page.getByText(/Missing Annotation/i).first()).toBeVisible();
});
