/*
 * Small meshes for the telemetry tests: a `cart` service in namespace `shop`
 * with two versions behind a weighted VirtualService.
 */
import { parseManifests } from '../../manifests';
import type { MeshObjects } from '../model';

export interface CartOptions {
  /** Weights of v1 and v2; default 90/10. */
  weights?: [number, number];
  /** The VirtualService's requests-per-second annotation; none by default (10). */
  requestsPerSecond?: number;
  /** cart-v2's error-rate annotation; none by default. */
  v2ErrorRate?: number;
  /** cart-v2's latency annotations. */
  v2LatencyMs?: number;
  v2LatencyP99Ms?: number;
}

function annotations(values: Record<string, number | undefined>): string {
  const set = Object.entries(values).filter(([, v]) => v !== undefined);
  if (!set.length) return '';
  return `\n  annotations:\n${set
    .map(([k, v]) => `    mesh-sim.istio-rollouts.dev/${k}: '${v}'`)
    .join('\n')}`;
}

function deployment(version: string, extra: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart-${version}
  namespace: shop${extra}
spec:
  replicas: 1
  selector:
    matchLabels: { app: cart, version: ${version} }
  template:
    metadata:
      labels: { app: cart, version: ${version} }
    spec:
      containers: [{ name: cart, image: cart:${version} }]
`;
}

/** Namespace, Service, Deployments cart-v1 and cart-v2, DestinationRule and VirtualService `cart`. */
export function cartManifest(options: CartOptions = {}): string {
  const [w1, w2] = options.weights ?? [90, 10];
  return [
    `apiVersion: v1
kind: Namespace
metadata: { name: shop }
`,
    `apiVersion: v1
kind: Service
metadata: { name: cart, namespace: shop }
spec:
  selector: { app: cart }
  ports: [{ name: http, port: 8080 }]
`,
    deployment('v1', ''),
    deployment(
      'v2',
      annotations({
        'error-rate': options.v2ErrorRate,
        'latency-ms': options.v2LatencyMs,
        'latency-p99-ms': options.v2LatencyP99Ms,
      }),
    ),
    `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: cart, namespace: shop }
spec:
  host: cart
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
`,
    `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: cart
  namespace: shop${annotations({
    'requests-per-second': options.requestsPerSecond,
  })}
spec:
  hosts: [cart]
  http:
    - route:
        - { destination: { host: cart, subset: v1 }, weight: ${w1} }
        - { destination: { host: cart, subset: v2 }, weight: ${w2} }
`,
  ].join('---\n');
}

/** The objects of manifests, by the kinds the traffic model reads. */
export function meshObjects(yaml: string): MeshObjects {
  const objects = parseManifests(yaml);
  const of = (kind: string) => objects.filter(o => o.kind === kind);
  return {
    virtualServices: of('VirtualService'),
    destinationRules: of('DestinationRule'),
    deployments: of('Deployment'),
    services: of('Service'),
  };
}

/** requestsPerSecond by workload name (summed over destination services). */
export function ratesByWorkload(
  traffic: { workload: string; requestsPerSecond: number }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of traffic)
    out[t.workload] = (out[t.workload] ?? 0) + t.requestsPerSecond;
  return out;
}

/** One sample of a text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the samples of a text exposition (enough of the format for these tests). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const re = /(\w+)="((?:[^"\\]|\\.)*)",?/g;
    for (let l = re.exec(m[2] ?? ''); l; l = re.exec(m[2] ?? '')) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of a metric's samples by the value of one label. */
export function sumBy(
  samples: Sample[],
  name: string,
  label: string,
  filter: (s: Sample) => boolean = () => true,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== name || !filter(s)) continue;
    const k = s.labels[label];
    out[k] = (out[k] ?? 0) + s.value;
  }
  return out;
}
