import { expect, Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The demo clusters (kube-sim, see scripts/start-demo.js) and their all-powerful demo token. */
const CLUSTERS = {
  'demo-east': 'http://127.0.0.1:6551',
  'demo-west': 'http://127.0.0.1:6552',
} as const;
export type DemoCluster = keyof typeof CLUSTERS;
const EAST = CLUSTERS['demo-east'];
const TOKEN = 'demo-rollouts-token';
const EXAMPLES = path.resolve(__dirname, '../../examples/clusters');

/** Puts a demo cluster back to its manifests in examples/clusters, so a suite starts from the demo's state. */
export async function resetCluster(cluster: DemoCluster) {
  const dir = path.join(EXAMPLES, cluster);
  const yaml = readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(f => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n---\n');
  const res = await fetch(`${CLUSTERS[cluster]}/_sim/manifests`, {
    method: 'PUT',
    body: yaml,
  });
  expect(res.status).toBe(200);
}

/** Makes every Kubernetes request to a demo cluster fail with `status` until {@link clearFaults}. */
export async function failCluster(cluster: DemoCluster, status = 503) {
  const res = await fetch(`${CLUSTERS[cluster]}/_sim/faults`, {
    method: 'POST',
    body: JSON.stringify({ status }),
  });
  expect(res.status).toBe(201);
}

export async function clearFaults(cluster: DemoCluster) {
  await fetch(`${CLUSTERS[cluster]}/_sim/faults`, { method: 'DELETE' });
}

/**
 * Changes a VirtualService the way `kubectl patch --type=json` does, outside Backstage: a JSON Patch with
 * kubectl's field manager.
 */
export async function patchOutside(
  namespace: string,
  name: string,
  operations: object[],
) {
  const res = await fetch(
    `${EAST}/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices/${name}?fieldManager=kubectl-patch`,
    {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json-patch+json',
      },
      body: JSON.stringify(operations),
    },
  );
  expect(res.status).toBe(200);
}

export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the portal's navigation is there.
  await expect(page.getByRole('link', { name: 'Catalog' })).toBeVisible();
}

/** Reads a VirtualService straight from the simulated cluster, bypassing Backstage. */
export async function readVirtualService(
  namespace: string,
  name: string,
  cluster: DemoCluster = 'demo-east',
) {
  const res = await fetch(
    `${CLUSTERS[cluster]}/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices/${name}`,
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
export async function clusterSplit(
  namespace: string,
  name: string,
  index = 0,
  cluster: DemoCluster = 'demo-east',
) {
  const vs = await readVirtualService(namespace, name, cluster);
  return vs.spec.http[index].route.map(d => [d.destination.subset, d.weight]);
}
