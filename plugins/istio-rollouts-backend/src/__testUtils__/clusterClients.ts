import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import { ClusterClient, ObjectKind } from '../kubernetes';

/** Test helper: a Kubernetes object with just a kind, name and namespace. */
export function kubeObject(
  kind: string,
  name: string,
  namespace?: string,
): KubeObject {
  return { kind, metadata: { name, ...(namespace && { namespace }) } };
}

/**
 * Test helper: a {@link ClusterClient} whose calls are jest mocks, answering
 * an empty cluster with Istio v1 (watches stay open and quiet).
 */
export function fakeClusterClient(
  overrides: Partial<ClusterClient> = {},
): jest.Mocked<ClusterClient> {
  const impl: ClusterClient = {
    getIstioVersions: async () => ['v1alpha3', 'v1beta1', 'v1'],
    getNamespace: async name => kubeObject('Namespace', name),
    getIstio: async () => undefined,
    getCustomObject: async () => undefined,
    patchIstio: async ref =>
      kubeObject(
        ref.resource === 'virtualservices'
          ? 'VirtualService'
          : 'DestinationRule',
        ref.name,
        ref.namespace,
      ),
    list: async () => ({ items: [], resourceVersion: '1' }),
    watch: async () => ({ stop: () => {} }),
    ...overrides,
  };
  return {
    getIstioVersions: jest.fn(impl.getIstioVersions),
    getNamespace: jest.fn(impl.getNamespace),
    getIstio: jest.fn(impl.getIstio),
    getCustomObject: jest.fn(impl.getCustomObject),
    patchIstio: jest.fn(impl.patchIstio),
    list: jest.fn(impl.list),
    watch: jest.fn(impl.watch),
  };
}

/** Test helper: a `list` answering these objects per kind (none for the others). */
export function listing(
  byKind: Partial<Record<ObjectKind, KubeObject[]>>,
): ClusterClient['list'] {
  return async kind => ({ items: byKind[kind] ?? [], resourceVersion: '1' });
}
