/*
 * What the KubeApi tests share: a store with the bookinfo manifests, request
 * and body builders, and the Status of a failed call.
 */
import { ApiRequest, KubeApi, Verb } from '../api';
import { parseManifests } from '../manifests';
import { findResource, ResourceType } from '../resources';
import { KubeApiError, Status } from '../status';
import { Store } from '../store';
import { loadValidator, Validator } from '../validation';

export const VS = findResource('networking.istio.io', 'v1', 'virtualservices')!;
export const DEPLOY = findResource('apps', 'v1', 'deployments')!;
export const NS = findResource('', 'v1', 'namespaces')!;
export const POD = findResource('', 'v1', 'pods')!;

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: bookinfo }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo, labels: { app: reviews } }
spec:
  hosts: [reviews]
  http:
    - route:
        - { destination: { host: reviews, subset: v1 }, weight: 90 }
        - { destination: { host: reviews, subset: v2 }, weight: 10 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: bookinfo, labels: { app: reviews } }
spec: { replicas: 2, selector: { matchLabels: { app: reviews } }, template: { metadata: { labels: { app: reviews } } } }
status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 }
`;

/**
 * Loads the validator before the calling file's tests (it loads
 * asynchronously; setup is synchronous) and returns `setup`: a fresh store
 * and API with the default namespace and the bookinfo manifests.
 */
export function useKubeApi() {
  let validator: Validator;
  beforeAll(async () => {
    validator = await loadValidator();
  });
  return (watchWindow?: number) => {
    const store = new Store({ watchWindow });
    const api = new KubeApi(store, validator);
    api.ensureDefaultNamespace();
    api.applyManifests(parseManifests(MANIFESTS), { replace: false });
    return { store, api };
  };
}

export function req(
  verb: Verb,
  type: ResourceType,
  opts: Omit<Partial<ApiRequest>, 'query'> & {
    query?: Record<string, string>;
    json?: unknown;
  } = {},
): ApiRequest {
  const { query, json, ...rest } = opts;
  return {
    verb,
    type,
    version: 'v1',
    namespace: type.namespaced ? 'bookinfo' : undefined,
    query: new URLSearchParams(query ?? {}),
    contentType: 'application/json',
    body: json === undefined ? undefined : JSON.stringify(json),
    ...rest,
  };
}

export function fail(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (e instanceof KubeApiError) return e.status;
    throw e;
  }
  throw new Error('expected a KubeApiError');
}

export function vsBody(name: string, weights: number[] = [100]) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name },
    spec: {
      hosts: [name],
      http: [
        {
          route: weights.map((w, i) => ({
            destination: { host: name, subset: `v${i + 1}` },
            weight: w,
          })),
        },
      ],
    },
  };
}
