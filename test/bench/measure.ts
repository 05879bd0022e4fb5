/*
 * What is measured against one scenario: the read floor (client-node
 * straight to the clusters), the read through Istio Rollouts, the read
 * through Backstage's Kubernetes backend, and writes through the plugin vs
 * one raw PATCH.
 */
import type {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
} from '@kubernetes/client-node';
import {
  BENCH_ENTITY,
  BENCH_NAMESPACE,
  BENCH_OBJECTS_PER_KIND,
  KUBERNETES_ID_LABEL,
} from '../../packages/bench-backend/src/bench/manifests';
import { CLUSTER_TOKEN, SimCluster } from './cluster';
import type { RunningBackend } from './backend';

type ClientNode = typeof import('@kubernetes/client-node');

let clientNode: Promise<ClientNode> | undefined;
/** @kubernetes/client-node is ESM-only: a native import (kept by Backstage's Node transform). */
export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node');
  return clientNode;
}

const ISTIO_GROUP = 'networking.istio.io';
const ISTIO_VERSION = 'v1';
/** The plugin's page size. */
const PAGE_SIZE = 500;
export const SELECTOR = `${KUBERNETES_ID_LABEL}=${BENCH_ENTITY}`;

export interface DirectCluster {
  name: string;
  customObjects: CustomObjectsApi;
  apps: AppsV1Api;
  core: CoreV1Api;
}

/** client-node clients for each cluster, as the plugin configures them (bearer token, plain http). */
export async function directClients(
  clusters: SimCluster[],
): Promise<DirectCluster[]> {
  const k8s = await loadClientNode();
  return clusters.map(c => {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: c.name, server: c.url, skipTLSVerify: true }],
      users: [{ name: 'bench', token: CLUSTER_TOKEN }],
      contexts: [{ name: c.name, cluster: c.name, user: 'bench' }],
      currentContext: c.name,
    });
    return {
      name: c.name,
      customObjects: kc.makeApiClient(k8s.CustomObjectsApi),
      apps: kc.makeApiClient(k8s.AppsV1Api),
      core: kc.makeApiClient(k8s.CoreV1Api),
    };
  });
}

function expectItems(what: string, items: unknown[] | undefined, n: number) {
  if (items?.length !== n) {
    throw new Error(`${what}: expected ${n} items, got ${items?.length}`);
  }
}

/**
 * The floor: the four label-selected lists the plugin needs per cluster
 * (VirtualServices and DestinationRules at the Istio version, Deployments,
 * Services), all clusters and all lists in parallel, nothing else.
 */
export async function readFloor(clusters: DirectCluster[]): Promise<void> {
  const n = BENCH_OBJECTS_PER_KIND;
  await Promise.all(
    clusters.flatMap(c => [
      c.customObjects
        .listClusterCustomObject({
          group: ISTIO_GROUP,
          version: ISTIO_VERSION,
          plural: 'virtualservices',
          labelSelector: SELECTOR,
          limit: PAGE_SIZE,
        })
        .then(r => expectItems(`${c.name} virtualservices`, r.items, n)),
      c.customObjects
        .listClusterCustomObject({
          group: ISTIO_GROUP,
          version: ISTIO_VERSION,
          plural: 'destinationrules',
          labelSelector: SELECTOR,
          limit: PAGE_SIZE,
        })
        .then(r => expectItems(`${c.name} destinationrules`, r.items, n)),
      c.apps
        .listDeploymentForAllNamespaces({
          labelSelector: SELECTOR,
          limit: PAGE_SIZE,
        })
        .then(r => expectItems(`${c.name} deployments`, r.items, n)),
      c.core
        .listServiceForAllNamespaces({
          labelSelector: SELECTOR,
          limit: PAGE_SIZE,
        })
        .then(r => expectItems(`${c.name} services`, r.items, n)),
    ]),
  );
}

async function json(res: Response, what: string): Promise<any> {
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${what} answered ${res.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

export function rolloutsUrl(backend: RunningBackend, entity = BENCH_ENTITY) {
  return `${backend.baseUrl}/api/istio-rollouts/v1/entities/component/default/${entity}/rollouts`;
}

export interface RolloutSummary {
  id: string;
  resourceVersion: string;
  weights: Record<string, number>;
}

/**
 * What any authenticated read costs in this backend before it does any
 * work of its own: the catalog's entity by name (token check, the catalog's
 * permission check, one database read) — the part of every read the plugin
 * and the Kubernetes backend both pay.
 */
export async function readBaseline(backend: RunningBackend): Promise<void> {
  const body = await json(
    await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/component/default/${BENCH_ENTITY}`,
      { headers: { Authorization: `Bearer ${backend.token}` } },
    ),
    'GET catalog entity',
  );
  if (body.metadata?.name !== BENCH_ENTITY) {
    throw new Error('GET catalog entity: not the measured entity');
  }
}

/** The read through Istio Rollouts; checks every cluster answered with the entity's rollouts. */
export async function readPlugin(
  backend: RunningBackend,
  clusters: number,
): Promise<RolloutSummary[]> {
  const body = await json(
    await fetch(rolloutsUrl(backend), {
      headers: { Authorization: `Bearer ${backend.token}` },
    }),
    'GET rollouts',
  );
  const failed = (body.clusters ?? []).filter(
    (c: { status: string }) => c.status !== 'ok',
  );
  if (failed.length) {
    throw new Error(
      `GET rollouts: ${failed.length} cluster(s) failed: ${JSON.stringify(
        failed[0],
      )}`,
    );
  }
  expectItems('GET rollouts', body.rollouts, clusters * BENCH_OBJECTS_PER_KIND);
  return body.rollouts.map((r: any) => ({
    id: r.id,
    resourceVersion: r.resourceVersion,
    weights: Object.fromEntries(
      r.routes[0].destinations.map((d: any) => [d.subset, d.weight]),
    ),
  }));
}

/**
 * The read through Backstage's Kubernetes backend, as its frontend asks:
 * `POST /api/kubernetes/services/<id>` with the entity; checks every cluster
 * answered the four kinds without errors.
 */
export async function readKubernetesBackend(
  backend: RunningBackend,
  clusters: number,
): Promise<void> {
  const body = await json(
    await fetch(`${backend.baseUrl}/api/kubernetes/services/${BENCH_ENTITY}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${backend.token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ entity: backend.entity }),
    }),
    'POST kubernetes/services',
  );
  const items = body.items ?? [];
  expectItems('POST kubernetes/services clusters', items, clusters);
  for (const item of items) {
    if (item.errors?.length) {
      throw new Error(
        `POST kubernetes/services: ${item.cluster?.name}: ${JSON.stringify(
          item.errors[0],
        )}`,
      );
    }
    const objects = (item.resources ?? []).reduce(
      (n: number, r: { resources: unknown[] }) => n + r.resources.length,
      0,
    );
    if (objects !== 4 * BENCH_OBJECTS_PER_KIND) {
      throw new Error(
        `POST kubernetes/services: ${
          item.cluster?.name
        }: ${objects} objects, expected ${4 * BENCH_OBJECTS_PER_KIND}`,
      );
    }
  }
}

/** A VirtualService a writer owns for the run: what it last wrote. */
export interface WriteTarget {
  cluster: string;
  name: string;
  rolloutId: string;
  resourceVersion: string;
  weights: { v1: number; v2: number };
}

export function writeTargets(rollouts: RolloutSummary[]): WriteTarget[] {
  return rollouts
    .map(r => {
      const [cluster, , name] = r.id.split('/');
      return {
        cluster,
        name,
        rolloutId: r.id,
        resourceVersion: r.resourceVersion,
        weights: { v1: r.weights.v1, v2: r.weights.v2 },
      };
    })
    .sort((a, b) => a.rolloutId.localeCompare(b.rolloutId));
}

/** The next weights: alternate 60/40 and 40/60, so every write changes something. */
export function nextWeights(w: { v1: number; v2: number }) {
  return w.v1 === 60 ? { v1: 40, v2: 60 } : { v1: 60, v2: 40 };
}

/** `setWeights` through the plugin, end to end (auth, catalog, permission, read, patch, history, read back). */
export async function writePlugin(
  backend: RunningBackend,
  target: WriteTarget,
): Promise<void> {
  const weights = nextWeights(target.weights);
  const body = await json(
    await fetch(`${rolloutsUrl(backend)}/actions`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${backend.token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        rolloutId: target.rolloutId,
        route: { kind: 'http', index: 0 },
        action: 'setWeights',
        weights,
        resourceVersion: target.resourceVersion,
      }),
    }),
    'POST rollouts/actions',
  );
  if (!body.changed || !body.rollout?.resourceVersion) {
    throw new Error(
      `POST rollouts/actions: no change or no rollout read back: ${JSON.stringify(
        body,
      ).slice(0, 300)}`,
    );
  }
  target.resourceVersion = body.rollout.resourceVersion;
  target.weights = weights;
}

/**
 * One raw PATCH to the cluster with the same guarded JSON Patch the plugin
 * sends for setWeights (resourceVersion, destination tests, weight
 * test+replace).
 */
export async function writeRaw(
  clusters: Map<string, DirectCluster>,
  target: WriteTarget,
): Promise<void> {
  const k8s = await loadClientNode();
  const weights = nextWeights(target.weights);
  const host = target.name;
  const ops: Array<Record<string, unknown>> = [
    {
      op: 'replace',
      path: '/metadata/resourceVersion',
      value: target.resourceVersion,
    },
  ];
  (['v1', 'v2'] as const).forEach((subset, i) => {
    const path = `/spec/http/0/route/${i}`;
    ops.push(
      {
        op: 'test',
        path: `${path}/destination`,
        value: { host, subset, port: { number: 8080 } },
      },
      { op: 'test', path: `${path}/weight`, value: target.weights[subset] },
      { op: 'replace', path: `${path}/weight`, value: weights[subset] },
    );
  });
  const client = clusters.get(target.cluster)!;
  const result = (await client.customObjects.patchNamespacedCustomObject(
    {
      group: ISTIO_GROUP,
      version: ISTIO_VERSION,
      namespace: BENCH_NAMESPACE,
      plural: 'virtualservices',
      name: target.name,
      body: ops,
    },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
  )) as { metadata?: { resourceVersion?: string } };
  if (!result.metadata?.resourceVersion) {
    throw new Error('raw PATCH answered no resourceVersion');
  }
  target.resourceVersion = result.metadata.resourceVersion;
  target.weights = weights;
}
