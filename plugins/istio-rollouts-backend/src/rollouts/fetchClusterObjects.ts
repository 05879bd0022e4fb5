import type {
  ClusterObjects,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import {
  ClusterClient,
  IstioVersionCache,
  kubeStatusCode,
  NamespaceCache,
  ObjectKind,
} from '../kubernetes';
import { EntitySelection } from '../selection';

/**
 * Reads everything the read model needs about one entity from one cluster:
 * its VirtualServices and DestinationRules at the cluster's Istio version,
 * its Deployments and Services, each listed with the entity's label selector
 * only, all in parallel; then the Namespaces its VirtualServices live in
 * (for the mesh revision), from the cache unless never seen before.
 */
export async function fetchClusterObjects(options: {
  cluster: string;
  client: ClusterClient;
  versions: IstioVersionCache;
  namespaces: NamespaceCache;
  selection: EntitySelection;
  signal: AbortSignal;
}): Promise<ClusterObjects> {
  const { cluster, client, versions, selection, signal } = options;
  const list = async (kind: ObjectKind, version: string) =>
    (await client.list(kind, { ...selection, version, signal })).items;

  const readIstio = async (retryOn404: boolean) => {
    const version = await versions.get(cluster, () =>
      client.getIstioVersions(signal),
    );
    try {
      const [virtualServices, destinationRules] = await Promise.all([
        list('virtualservices', version),
        list('destinationrules', version),
      ]);
      return { version, virtualServices, destinationRules };
    } catch (e) {
      // The cached version may have stopped being served (Istio upgraded or
      // removed): learn the cluster's versions again and retry once.
      if (!retryOn404 || kubeStatusCode(e) !== 404) throw e;
      versions.invalidate(cluster);
      return readIstio(false);
    }
  };

  // Workloads don't depend on the Istio version: list them while discovery runs.
  const [istio, deployments, services] = await Promise.all([
    readIstio(true),
    // The version only matters for the Istio kinds.
    list('deployments', ''),
    list('services', ''),
  ]);

  const namespaces = await readVirtualServiceNamespaces({
    cluster,
    client,
    namespaces: options.namespaces,
    virtualServices: istio.virtualServices,
    signal,
  });

  return {
    cluster,
    istioVersion: istio.version,
    virtualServices: istio.virtualServices,
    destinationRules: istio.destinationRules,
    deployments,
    services,
    namespaces,
  };
}

/** The Namespaces the VirtualServices live in (for the mesh revision), from the cache unless never seen before. */
export function readVirtualServiceNamespaces(options: {
  cluster: string;
  client: ClusterClient;
  namespaces: NamespaceCache;
  virtualServices: KubeObject[];
  signal: AbortSignal;
}): Promise<KubeObject[]> {
  const { cluster, client, virtualServices, signal } = options;
  const names = [
    ...new Set(virtualServices.map(vs => vs.metadata?.namespace || 'default')),
  ].sort();
  return options.namespaces.get(
    cluster,
    names,
    (name, nsSignal) => client.getNamespace(name, nsSignal),
    signal,
  );
}
