/*
 * Cluster contents for the benchmark: the measured entity's objects and many
 * objects of workloads outside the catalog, as Kubernetes `List` documents in
 * JSON (valid YAML, and much faster for kube-sim to parse than block YAML).
 * The portal page's entities are in portal.ts; scenario.ts puts them together.
 */

/** The label Backstage's Kubernetes plugin and Istio Rollouts select by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** The entity whose reads and writes are measured. */
export const BENCH_ENTITY = 'bench-svc';
/** Its namespace in every cluster. */
export const BENCH_NAMESPACE = 'bench';
/** How many VirtualServices, DestinationRules, Deployments and Services it has per cluster. */
export const BENCH_OBJECTS_PER_KIND = 3;

/** The entity of the frontend measurement: 10 VirtualServices spread over the clusters. */
export const UI_ENTITY = 'bench-ui';
export const UI_NAMESPACE = 'bench-ui';
export const UI_VIRTUAL_SERVICES = 10;

/** Namespaces the other workloads' (and the portal entities') objects are spread over. */
export const OTHER_NAMESPACES = 20;

export type Obj = Record<string, unknown>;

export const ISTIO = 'networking.istio.io/v1';

function meta(name: string, namespace: string, id: string, extra: Obj = {}) {
  return {
    name,
    namespace,
    labels: { app: extra.app ?? name, [KUBERNETES_ID_LABEL]: id },
  };
}

/**
 * One host's worth of objects: a Service, a DestinationRule with subsets
 * v1/v2, a VirtualService splitting route 0 between them, and Deployments —
 * the shape every entity in these clusters has.
 */
function service(name: string, namespace: string, id: string, app: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, namespace, id, { app }),
    spec: {
      selector: { app },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

function destinationRule(
  name: string,
  namespace: string,
  id: string,
  host: string,
) {
  return {
    apiVersion: ISTIO,
    kind: 'DestinationRule',
    metadata: meta(name, namespace, id),
    spec: {
      host,
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    },
  };
}

function virtualService(
  name: string,
  namespace: string,
  id: string,
  host: string,
  weights: [number, number],
) {
  return {
    apiVersion: ISTIO,
    kind: 'VirtualService',
    metadata: meta(name, namespace, id),
    spec: {
      hosts: [host],
      gateways: ['mesh'],
      http: [
        {
          name: 'primary',
          match: [{ uri: { prefix: '/' } }],
          route: [
            {
              destination: { host, subset: 'v1', port: { number: 8080 } },
              weight: weights[0],
            },
            {
              destination: { host, subset: 'v2', port: { number: 8080 } },
              weight: weights[1],
            },
          ],
          timeout: '10s',
          retries: { attempts: 3, perTryTimeout: '2s' },
        },
      ],
    },
  };
}

function deployment(
  name: string,
  namespace: string,
  id: string,
  app: string,
  version: string,
) {
  const labels = { app, version, [KUBERNETES_ID_LABEL]: id };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app, version } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example.com/${app}:${version}.0.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    },
  };
}

export function namespaceObject(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'kubernetes.io/metadata.name': name,
        'istio-injection': 'enabled',
      },
    },
  };
}

export function list(items: Obj[]): Obj {
  return { apiVersion: 'v1', kind: 'List', items };
}

/**
 * The measured entity's objects in one cluster: 3 VirtualServices (hosts
 * bench-svc-0..2, route 0 split v1 90 / v2 10), their 3 DestinationRules and
 * Services, and 3 Deployments (bench-svc-0..2, alternating version v1/v2) —
 * 3 of each kind, all labelled `backstage.io/kubernetes-id=bench-svc`.
 */
export function benchEntityObjects(): Obj[] {
  const ns = BENCH_NAMESPACE;
  const id = BENCH_ENTITY;
  const items: Obj[] = [namespaceObject(ns)];
  for (let i = 0; i < BENCH_OBJECTS_PER_KIND; i++) {
    const host = `${id}-${i}`;
    // Every host's Service selects the same pods (app=bench-svc); the
    // subsets split them by version.
    items.push(service(host, ns, id, id));
    items.push(destinationRule(host, ns, id, host));
    items.push(virtualService(host, ns, id, host, [90, 10]));
    items.push(deployment(`${id}-v${i + 1}`, ns, id, id, `v${(i % 2) + 1}`));
  }
  return items;
}

/**
 * The frontend measurement's entity: `count` VirtualServices in this cluster
 * (with their DestinationRules, Services and a v1 and a v2 Deployment).
 */
export function uiEntityObjects(count: number, offset = 0): Obj[] {
  if (count <= 0) return [];
  const ns = UI_NAMESPACE;
  const id = UI_ENTITY;
  const items: Obj[] = [
    namespaceObject(ns),
    deployment(`${id}-v1`, ns, id, id, 'v1'),
    deployment(`${id}-v2`, ns, id, id, 'v2'),
  ];
  for (let i = offset; i < offset + count; i++) {
    const host = `${id}-${i}`;
    items.push(service(host, ns, id, id));
    items.push(destinationRule(host, ns, id, host));
    items.push(virtualService(host, ns, id, host, [80, 20]));
  }
  return items;
}

/** The name of the other workload that owns the i-th object of each kind. */
export function otherEntityId(i: number): string {
  return `other-${String(i).padStart(5, '0')}`;
}

/**
 * One lean host's worth of objects: a DestinationRule with two subsets, a
 * VirtualService with the http routes given (no match, timeout or policies
 * unless they say so) and a one-container Deployment, all named `id` and
 * labelled `labels`.
 */
export function leanObjects(options: {
  id: string;
  namespace: string;
  labels: Record<string, string>;
  subsets: [string, string];
  http: Obj[];
}): Obj[] {
  const { id, subsets, http } = options;
  const metadata = {
    name: id,
    namespace: options.namespace,
    labels: options.labels,
  };
  return [
    {
      apiVersion: ISTIO,
      kind: 'DestinationRule',
      metadata,
      spec: {
        host: id,
        subsets: subsets.map(name => ({ name, labels: { version: name } })),
      },
    },
    {
      apiVersion: ISTIO,
      kind: 'VirtualService',
      metadata,
      spec: { hosts: [id], http },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: id } },
        template: {
          metadata: { labels: { app: id, version: subsets[0] } },
          spec: {
            containers: [
              { name: 'app', image: `registry.example.com/${id}:1` },
            ],
          },
        },
      },
    },
  ];
}

/** A route to `host`'s subsets with these weights, in this order. */
export function weightedRoute(
  host: string,
  weights: Array<[subset: string, weight: number]>,
): Obj {
  return {
    route: weights.map(([subset, weight]) => ({
      destination: { host, subset },
      weight,
    })),
  };
}

/**
 * Objects of workloads outside the catalog: `count` each of
 * VirtualServices, DestinationRules and Deployments, one of each per
 * workload, spread over {@link OTHER_NAMESPACES} namespaces. They carry an
 * `app` label and no `backstage.io/kubernetes-id`: no entity's selection and
 * not the portal page's cluster-wide one (every object with the label)
 * lists them. (No Services: the issue's scenarios count the three Istio and
 * workload kinds; the measured entity has its own.)
 *
 * They are lean — a two-way split without match or policies, subsets
 * without traffic policy, a one-container Deployment — because kube-sim
 * looks at every stored object of a kind on each list, so their size is the
 * simulated clusters' cost per read (the floor's as much as anyone's), and
 * it bounds what the 10-minute run can afford at 20 × 5,000.
 */
export function otherEntitiesObjects(count: number): Obj[] {
  const namespaces = Math.min(OTHER_NAMESPACES, Math.max(count, 1));
  const items: Obj[] = [];
  for (let n = 0; n < namespaces && count > 0; n++) {
    items.push(namespaceObject(otherNamespace(n)));
  }
  for (let i = 0; i < count; i++) {
    const id = otherEntityId(i);
    const canary = i % 50;
    items.push(
      ...leanObjects({
        id,
        namespace: otherNamespace(i % namespaces),
        labels: { app: id },
        subsets: ['v1', 'v2'],
        http: [
          weightedRoute(id, [
            ['v1', 100 - canary],
            ['v2', canary],
          ]),
        ],
      }),
    );
  }
  return items;
}

/** The n-th namespace of the other workloads (and of the portal entities). */
export function otherNamespace(n: number): string {
  return `team-${String(n).padStart(2, '0')}`;
}

/**
 * How the 10 VirtualServices of the UI entity are spread over `clusters`
 * clusters: as evenly as possible, the first clusters getting the remainder.
 */
export function spreadOver(total: number, clusters: number): number[] {
  const base = Math.floor(total / clusters);
  const rest = total % clusters;
  return Array.from({ length: clusters }, (_, i) => base + (i < rest ? 1 : 0));
}
