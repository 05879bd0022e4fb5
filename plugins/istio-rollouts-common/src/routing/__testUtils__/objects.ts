/** Small builders for the Kubernetes objects the routing tests feed in. Test-only. */
import { KubeObject, KubeObjectMeta } from '../kube';

export function virtualService(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
  meta: Partial<KubeObjectMeta> = {},
  apiVersion = 'networking.istio.io/v1',
): KubeObject {
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name, namespace, resourceVersion: '1', ...meta },
    spec,
  };
}

export function destinationRule(
  name: string,
  namespace: string,
  host: string,
  subsets: Record<string, Record<string, string>>,
  meta: Partial<KubeObjectMeta> = {},
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace, ...meta },
    spec: {
      host,
      subsets: Object.entries(subsets).map(([subset, labels]) => ({
        name: subset,
        labels,
      })),
    },
  };
}

export function deployment(
  name: string,
  namespace: string,
  podLabels: Record<string, string>,
  opts: { ready?: number; replicas?: number; images?: string[] } = {},
): KubeObject {
  const replicas = opts.replicas ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: podLabels },
    spec: {
      replicas,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: {
          containers: (opts.images ?? [`example/${name}:1`]).map(
            (image, i) => ({
              name: `c${i}`,
              image,
            }),
          ),
        },
      },
    },
    status: { replicas, readyReplicas: opts.ready ?? replicas },
  };
}

export function service(
  name: string,
  namespace: string,
  selector: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector, ports: [{ port: 80 }] },
  };
}

export function namespaceObject(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** Deep-freezes an object so a test fails if the code under test mutates its input. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
