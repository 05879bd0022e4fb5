/*
 * Cluster contents for the benchmark: the measured entity's objects and many
 * objects that belong to other entities, as Kubernetes `List` documents in
 * JSON (valid YAML, and much faster for kube-sim to parse than block YAML).
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

/** Namespaces the other entities' objects are spread over. */
export const OTHER_NAMESPACES = 20;

type Obj = Record<string, unknown>;

const ISTIO = 'networking.istio.io/v1';

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

function namespaceObject(name: string) {
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

function list(items: Obj[]): Obj {
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

/** The name of the other entity that owns the i-th object of each kind. */
export function otherEntityId(i: number): string {
  return `other-${String(i).padStart(5, '0')}`;
}

/**
 * Objects of other entities: `count` each of VirtualServices,
 * DestinationRules and Deployments, one of each per other entity, spread
 * over {@link OTHER_NAMESPACES} namespaces. None carries the measured
 * entity's label. (No Services: the issue's scenarios count the three Istio
 * and workload kinds; the measured entity has its own.)
 *
 * They are lean — a two-way split without match or policies, subsets
 * without traffic policy, a one-container Deployment — because kube-sim
 * copies every stored object of a kind on each list, so their size is the
 * simulated clusters' cost per read (the floor's as much as anyone's), and
 * it bounds what the 10-minute run can afford at 20 × 5,000. No read path
 * ever receives them: every list is label-selected.
 */
export function otherEntitiesObjects(count: number): Obj[] {
  const namespaces = Math.min(OTHER_NAMESPACES, Math.max(count, 1));
  const items: Obj[] = [];
  for (let n = 0; n < namespaces && count > 0; n++) {
    items.push(namespaceObject(otherNamespace(n)));
  }
  for (let i = 0; i < count; i++) {
    const id = otherEntityId(i);
    const ns = otherNamespace(i % namespaces);
    const metadata = {
      name: id,
      namespace: ns,
      labels: { app: id, [KUBERNETES_ID_LABEL]: id },
    };
    const canary = i % 50;
    items.push(
      {
        apiVersion: ISTIO,
        kind: 'DestinationRule',
        metadata,
        spec: {
          host: id,
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v2', labels: { version: 'v2' } },
          ],
        },
      },
      {
        apiVersion: ISTIO,
        kind: 'VirtualService',
        metadata,
        spec: {
          hosts: [id],
          http: [
            {
              route: [
                {
                  destination: { host: id, subset: 'v1' },
                  weight: 100 - canary,
                },
                { destination: { host: id, subset: 'v2' }, weight: canary },
              ],
            },
          ],
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: id } },
          template: {
            metadata: { labels: { app: id, version: 'v1' } },
            spec: {
              containers: [
                { name: 'app', image: `registry.example.com/${id}:1` },
              ],
            },
          },
        },
      },
    );
  }
  return items;
}

function otherNamespace(n: number): string {
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

/**
 * What one scenario puts in each cluster: M VirtualServices,
 * DestinationRules and Deployments in all, of which the measured entity owns
 * 3 of each and other entities the rest (plus the measured entity's 3
 * Services, and the UI entity's objects when asked for).
 */
export interface ClusterManifests {
  /** Shared by every cluster of a scenario: the other entities' objects. */
  others: string;
  /** Per cluster: the measured entity's objects (and the UI entity's, if any). */
  perCluster: string[];
}

/**
 * The manifests of a scenario of `clusters` clusters with `objectsPerKind`
 * (M) VirtualServices, DestinationRules and Deployments each.
 * `uiVirtualServices` > 0 adds the UI entity, spread over the clusters.
 */
export function scenarioManifests(options: {
  clusters: number;
  objectsPerKind: number;
  uiVirtualServices?: number;
}): ClusterManifests {
  const { clusters, objectsPerKind } = options;
  if (!Number.isInteger(clusters) || clusters < 1) {
    throw new Error(`clusters must be a positive integer, got ${clusters}`);
  }
  if (
    !Number.isInteger(objectsPerKind) ||
    objectsPerKind < BENCH_OBJECTS_PER_KIND
  ) {
    throw new Error(
      `objectsPerKind must be an integer >= ${BENCH_OBJECTS_PER_KIND}, got ${objectsPerKind}`,
    );
  }
  const ui = spreadOver(options.uiVirtualServices ?? 0, clusters);
  let offset = 0;
  const perCluster = ui.map(count => {
    const items = [...benchEntityObjects(), ...uiEntityObjects(count, offset)];
    offset += count;
    return JSON.stringify(list(items));
  });
  return {
    others: JSON.stringify(
      list(otherEntitiesObjects(objectsPerKind - BENCH_OBJECTS_PER_KIND)),
    ),
    perCluster,
  };
}

/** The catalog file of the bench: the guest user, its team, and the two entities. */
export function catalogYaml(): string {
  const docs: Obj[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-bench' },
      spec: { type: 'team', children: [], members: ['guest'] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'guest' },
      spec: {
        profile: { displayName: 'Guest (bench)' },
        memberOf: ['team-bench'],
      },
    },
    ...[BENCH_ENTITY, UI_ENTITY].map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { [KUBERNETES_ID_LABEL]: name },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-bench',
      },
    })),
  ];
  // JSON documents are YAML documents.
  return `${docs.map(d => JSON.stringify(d, null, 2)).join('\n---\n')}\n`;
}
