import { expect, Page } from '@playwright/test';

/** The demo cluster `demo-east` (kube-sim) and its all-powerful demo token. */
const EAST = 'http://127.0.0.1:6551';
const TOKEN = 'demo-rollouts-token';

export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the portal's navigation is there.
  await expect(page.getByRole('link', { name: 'Catalog' })).toBeVisible();
}

/** Reads a VirtualService straight from the simulated cluster, bypassing Backstage. */
export async function readVirtualService(namespace: string, name: string) {
  const res = await fetch(
    `${EAST}/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices/${name}`,
    { headers: { authorization: `Bearer ${TOKEN}` } },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as {
    spec: {
      http: Array<{
        name?: string;
        match?: Array<{ headers?: Record<string, { exact?: string }> }>;
        route: Array<{ destination: { subset?: string }; weight?: number }>;
      }>;
    };
  };
}

/** `[[subset, weight], …]` of one http route, as the cluster has it. */
export async function clusterSplit(namespace: string, name: string, index = 0) {
  const vs = await readVirtualService(namespace, name);
  return vs.spec.http[index].route.map(d => [d.destination.subset, d.weight]);
}
