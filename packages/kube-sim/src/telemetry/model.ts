/*
 * The traffic model: from a cluster's VirtualServices, DestinationRules,
 * Services and Deployments, the requests per second each workload receives
 * and how it answers them. Pure: objects in, rates out.
 *
 * - A VirtualService receives `requests-per-second` (annotation, default 10).
 *   Its http routes share it: each route with a `match` gets
 *   `match-requests-per-second` (default 1; scaled down evenly if together
 *   they would exceed the VirtualService's rate), the first route without
 *   `match` gets the rest, later routes without `match` nothing (Istio never
 *   reaches them). When every route has a `match`, they split the rate
 *   evenly. tcp/tls routes carry no http telemetry and are ignored.
 * - Within a route, destinations share its rate by weight, as Istio reads
 *   weights: a lone destination without `weight` gets 100, an omitted weight
 *   among several is 0; weights are relative. A route whose weights are all 0
 *   sends nothing anywhere.
 * - A destination's host is resolved against the VirtualService's namespace
 *   (`reviews` = `reviews.<ns>` = `reviews.<ns>.svc.cluster.local`); hosts
 *   outside the cluster reach no workload. The host's workloads are the
 *   Deployments in its namespace whose pod template labels contain the
 *   selector of the host's Service, or, when there is no such Service (or it
 *   has no selector), whose `app` label is the host's short name. With a
 *   subset, the workloads must also carry the subset's labels, taken from the
 *   DestinationRule for the host (looked up in the VirtualService's
 *   namespace, then the host's, then any): a subset no DestinationRule
 *   defines reaches nothing (Istio answers such requests 503 at the sender,
 *   which `reporter="destination"` never sees). Deployments scaled to 0
 *   replicas are no endpoints. A destination's rate is split evenly across
 *   its workloads.
 */
import type { KubeObject } from '../objects';

export const ANNOTATION_PREFIX = 'mesh-sim.istio-rollouts.dev/';

/** The annotations the simulated mesh reads. */
export const MESH_ANNOTATIONS = {
  /** On a VirtualService: requests per second it receives (default 10). */
  requestsPerSecond: `${ANNOTATION_PREFIX}requests-per-second`,
  /** On a VirtualService: requests per second of each http route with a `match` (default 1). */
  matchRequestsPerSecond: `${ANNOTATION_PREFIX}match-requests-per-second`,
  /** On a Deployment: share of requests answered 503, 0 to 1 (default 0). */
  errorRate: `${ANNOTATION_PREFIX}error-rate`,
  /** On a Deployment: median latency in milliseconds (default 20). */
  latencyMs: `${ANNOTATION_PREFIX}latency-ms`,
  /** On a Deployment: 99th-percentile latency in milliseconds (default 3 × median). */
  latencyP99Ms: `${ANNOTATION_PREFIX}latency-p99-ms`,
} as const;

export const DEFAULT_REQUESTS_PER_SECOND = 10;
export const DEFAULT_MATCH_REQUESTS_PER_SECOND = 1;
export const DEFAULT_LATENCY_MS = 20;

/** The objects of one cluster the model reads. */
export interface MeshObjects {
  virtualServices: KubeObject[];
  destinationRules: KubeObject[];
  deployments: KubeObject[];
  services: KubeObject[];
}

/** What one workload receives from one destination service, and how it answers. */
export interface WorkloadTraffic {
  /** The Deployment's name and namespace: `destination_workload`, `destination_workload_namespace`. */
  workload: string;
  namespace: string;
  /** The destination service: FQDN, short name and namespace. */
  service: string;
  serviceName: string;
  serviceNamespace: string;
  /** The pod template's `version` label, else `unknown`. */
  version: string;
  /** Istio's canonical service and revision of the workload. */
  canonicalService: string;
  canonicalRevision: string;
  /** The pod template's `app` label, else `unknown`. */
  app: string;
  /** The pod spec's service account, else `default` (for the SPIFFE principal). */
  serviceAccount: string;
  requestsPerSecond: number;
  /** Share of requests answered 503, 0 to 1. */
  errorRate: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

type Json = Record<string, unknown>;

function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Json)
    : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(rec(v))) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean')
      out[k] = String(x);
  }
  return out;
}

/** A numeric annotation; the default when missing, not a number or below `min`. */
export function numberAnnotation(
  obj: KubeObject,
  name: string,
  fallback: number,
  min = 0,
): number {
  const raw = obj.metadata.annotations?.[name];
  if (raw === undefined || String(raw).trim() === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min ? n : fallback;
}

/** How a Deployment answers, from its annotations. */
export function workloadBehaviour(deployment: KubeObject) {
  const p50 = numberAnnotation(
    deployment,
    MESH_ANNOTATIONS.latencyMs,
    DEFAULT_LATENCY_MS,
    Number.MIN_VALUE,
  );
  const p99 = numberAnnotation(
    deployment,
    MESH_ANNOTATIONS.latencyP99Ms,
    3 * p50,
  );
  return {
    errorRate: Math.min(
      1,
      numberAnnotation(deployment, MESH_ANNOTATIONS.errorRate, 0),
    ),
    latencyP50Ms: p50,
    latencyP99Ms: Math.max(p99, p50),
  };
}

function normaliseHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

/** `<service>.<namespace>` of a host named from `namespace`; undefined for hosts outside the cluster. */
export function clusterService(
  host: string,
  namespace: string,
  clusterDomain = 'cluster.local',
): { name: string; namespace: string } | undefined {
  const h = normaliseHost(host);
  if (!h || h.includes('*')) return undefined;
  const parts = h.split('.');
  if (parts.length === 1) return { name: h, namespace };
  const [name, ns, ...rest] = parts;
  const tail = rest.join('.');
  if (tail === '' || tail === 'svc' || tail === `svc.${clusterDomain}`)
    return { name, namespace: ns };
  return undefined;
}

function podLabels(deployment: KubeObject): Record<string, string> {
  return strMap(rec(rec(rec(deployment.spec).template).metadata).labels);
}

function contains(labels: Record<string, string>, wanted: Json): boolean {
  return Object.entries(strMap(wanted)).every(([k, v]) => labels[k] === v);
}

/** The rates of one VirtualService's http routes, in route order. */
export function routeRates(virtualService: KubeObject): number[] {
  const total = numberAnnotation(
    virtualService,
    MESH_ANNOTATIONS.requestsPerSecond,
    DEFAULT_REQUESTS_PER_SECOND,
  );
  const routes = arr(rec(virtualService.spec).http).map(rec);
  const matched = routes.map(r => arr(r.match).length > 0);
  const defaultIndex = matched.indexOf(false);
  const matchCount = matched.filter(Boolean).length;
  if (defaultIndex < 0) {
    return routes.map(() => (routes.length ? total / routes.length : 0));
  }
  const perMatch = Math.min(
    numberAnnotation(
      virtualService,
      MESH_ANNOTATIONS.matchRequestsPerSecond,
      DEFAULT_MATCH_REQUESTS_PER_SECOND,
    ),
    matchCount ? total / matchCount : 0,
  );
  return routes.map((_, i) => {
    if (matched[i]) return perMatch;
    return i === defaultIndex ? total - perMatch * matchCount : 0;
  });
}

/** A route's destinations with their share of its traffic (weights as Istio reads them). */
export function destinationShares(
  route: Json,
): { host: string; subset?: string; share: number }[] {
  const entries = arr(route.route).map(rec);
  const lone = entries.length === 1;
  const weighted = entries.map(e => {
    const w = e.weight;
    const weight = typeof w === 'number' && w > 0 ? w : 0;
    return {
      destination: rec(e.destination),
      weight: w === undefined && lone ? 100 : weight,
    };
  });
  const sum = weighted.reduce((s, e) => s + e.weight, 0);
  if (sum <= 0) return [];
  return weighted
    .filter(e => e.weight > 0 && str(e.destination.host))
    .map(e => ({
      host: str(e.destination.host)!,
      subset: str(e.destination.subset) || undefined,
      share: e.weight / sum,
    }));
}

class Index {
  private readonly deployments = new Map<string, KubeObject[]>();
  private readonly services = new Map<string, KubeObject>();
  private readonly rules = new Map<string, KubeObject[]>();

  constructor(objects: MeshObjects, private readonly domain: string) {
    for (const d of objects.deployments) {
      const ns = d.metadata.namespace ?? 'default';
      if (rec(d.spec).replicas === 0) continue;
      const list = this.deployments.get(ns) ?? [];
      list.push(d);
      this.deployments.set(ns, list);
    }
    for (const s of objects.services) {
      this.services.set(
        `${s.metadata.namespace ?? 'default'}/${s.metadata.name}`,
        s,
      );
    }
    for (const dr of objects.destinationRules) {
      const ns = dr.metadata.namespace ?? 'default';
      const svc = clusterService(str(rec(dr.spec).host) ?? '', ns, domain);
      if (!svc) continue;
      const key = `${svc.namespace}/${svc.name}`;
      const list = this.rules.get(key) ?? [];
      list.push(dr);
      this.rules.set(key, list);
    }
  }

  /** The subset's labels, from the DestinationRule Istio would pick for the host. */
  subsetLabels(
    svc: { name: string; namespace: string },
    subset: string,
    clientNamespace: string,
  ): Json | undefined {
    const rules = this.rules.get(`${svc.namespace}/${svc.name}`) ?? [];
    const ns = (dr: KubeObject) => dr.metadata.namespace ?? 'default';
    const ordered = [
      ...rules.filter(dr => ns(dr) === clientNamespace),
      ...rules.filter(
        dr => ns(dr) !== clientNamespace && ns(dr) === svc.namespace,
      ),
      ...rules.filter(
        dr => ns(dr) !== clientNamespace && ns(dr) !== svc.namespace,
      ),
    ];
    for (const dr of ordered) {
      const found = arr(rec(dr.spec).subsets)
        .map(rec)
        .find(s => s.name === subset);
      if (found) return rec(found.labels);
    }
    return undefined;
  }

  /** The Deployments behind a host (and subset). */
  workloads(
    host: string,
    subset: string | undefined,
    clientNamespace: string,
  ): { svc: { name: string; namespace: string }; deployments: KubeObject[] } {
    const svc = clusterService(host, clientNamespace, this.domain);
    if (!svc) return { svc: { name: host, namespace: '' }, deployments: [] };
    let subsetLabels: Json = {};
    if (subset) {
      const labels = this.subsetLabels(svc, subset, clientNamespace);
      if (!labels) return { svc, deployments: [] };
      subsetLabels = labels;
    }
    const selector = strMap(
      rec(this.services.get(`${svc.namespace}/${svc.name}`)?.spec).selector,
    );
    const bySelector = Object.keys(selector).length > 0;
    const deployments = (this.deployments.get(svc.namespace) ?? []).filter(
      d => {
        const labels = podLabels(d);
        const inService = bySelector
          ? contains(labels, selector)
          : labels.app === svc.name;
        return inService && contains(labels, subsetLabels);
      },
    );
    return { svc, deployments };
  }
}

function trafficOf(
  deployment: KubeObject,
  svc: { name: string; namespace: string },
  domain: string,
): WorkloadTraffic {
  const labels = podLabels(deployment);
  const name = deployment.metadata.name ?? '';
  const podSpec = rec(rec(rec(deployment.spec).template).spec);
  return {
    workload: name,
    namespace: deployment.metadata.namespace ?? 'default',
    service: `${svc.name}.${svc.namespace}.svc.${domain}`,
    serviceName: svc.name,
    serviceNamespace: svc.namespace,
    version: labels.version ?? 'unknown',
    canonicalService:
      labels['service.istio.io/canonical-name'] ??
      labels['app.kubernetes.io/name'] ??
      labels.app ??
      name,
    canonicalRevision:
      labels['service.istio.io/canonical-revision'] ??
      labels['app.kubernetes.io/version'] ??
      labels.version ??
      'latest',
    app: labels.app ?? 'unknown',
    serviceAccount: str(podSpec.serviceAccountName) ?? 'default',
    requestsPerSecond: 0,
    ...workloadBehaviour(deployment),
  };
}

/** The key of a workload's traffic from one destination service. */
export function trafficKey(t: {
  namespace: string;
  workload: string;
  service: string;
}): string {
  return `${t.namespace}/${t.workload}/${t.service}`;
}

/**
 * Requests per second per (workload, destination service), summed over
 * every VirtualService, in key order. Workloads no route reaches are left out.
 */
export function computeTraffic(
  objects: MeshObjects,
  options: { clusterDomain?: string } = {},
): WorkloadTraffic[] {
  const domain = options.clusterDomain ?? 'cluster.local';
  const index = new Index(objects, domain);
  const out = new Map<string, WorkloadTraffic>();
  for (const vs of objects.virtualServices) {
    const ns = vs.metadata.namespace ?? 'default';
    const routes = arr(rec(vs.spec).http).map(rec);
    const rates = routeRates(vs);
    routes.forEach((route, i) => {
      if (!(rates[i] > 0)) return;
      for (const d of destinationShares(route)) {
        const { svc, deployments } = index.workloads(d.host, d.subset, ns);
        if (!deployments.length) continue;
        const each = (rates[i] * d.share) / deployments.length;
        for (const dep of deployments) {
          const t = trafficOf(dep, svc, domain);
          const key = trafficKey(t);
          const existing = out.get(key);
          if (existing) existing.requestsPerSecond += each;
          else out.set(key, { ...t, requestsPerSecond: each });
        }
      }
    });
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([, t]) => t);
}
