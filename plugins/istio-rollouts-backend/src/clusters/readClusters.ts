import { Config } from '@backstage/config';
import type { ClientNode } from '../kubernetes/clientNode';
import { readKubeconfigCluster } from './kubeconfigCluster';
import { ClusterDetails } from './types';

/** The only way this plugin authenticates to a cluster. */
const SUPPORTED_AUTH_PROVIDER = 'serviceAccount';

/** A DNS-1123 label: a namespace name. */
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** Per-cluster read timeout when `istioRollouts.clusterTimeoutMs` is not set. */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 5000;

/**
 * Reads the clusters to talk to: `istioRollouts.clusters` when present (a
 * write-capable token is usually a different one), else the `type: config`
 * entries of `kubernetes.clusterLocatorMethods`, as Backstage's Kubernetes
 * plugin configures them. Throws at startup on anything it cannot use, naming
 * the cluster, so a bad config never turns into a confusing runtime error.
 */
export function readClusters(
  config: Config,
  /** Loaded @kubernetes/client-node, to read entries that name a kubeconfig file. */
  k8s?: ClientNode,
): ClusterDetails[] {
  const override = config.getOptionalConfigArray('istioRollouts.clusters');
  const clusters = override
    ? override.map((c, i) =>
        readCluster(c, `istioRollouts.clusters[${i}]`, {
          authOptional: true,
          k8s,
        }),
      )
    : readKubernetesPluginClusters(config);

  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (seen.has(cluster.name)) {
      throw new Error(
        `Istio Rollouts: cluster name "${cluster.name}" is configured twice; cluster names must be unique`,
      );
    }
    seen.add(cluster.name);
  }
  return clusters;
}

/**
 * Reads `istioRollouts.requireNamespaceConsent`: when true, an entity may
 * change objects only in namespaces whose annotation
 * `istio-rollouts.backstage.io/entities` lists its ref.
 */
export function readRequireNamespaceConsent(config: Config): boolean {
  return (
    config.getOptionalBoolean('istioRollouts.requireNamespaceConsent') ?? false
  );
}

/** Reads `istioRollouts.clusterTimeoutMs`, the budget of one cluster's reads. */
export function readClusterTimeoutMs(config: Config): number {
  const timeout = config.getOptionalNumber('istioRollouts.clusterTimeoutMs');
  if (timeout === undefined) return DEFAULT_CLUSTER_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(
      `Istio Rollouts: istioRollouts.clusterTimeoutMs must be a positive number of milliseconds, got ${timeout}`,
    );
  }
  return timeout;
}

function readKubernetesPluginClusters(config: Config): ClusterDetails[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods.flatMap((method, m) => {
    // Other locator types (catalog, gke, localKubectlProxy) discover clusters
    // at runtime with their own auth; this plugin only reads static ones.
    if (method.getString('type') !== 'config') return [];
    return (method.getOptionalConfigArray('clusters') ?? []).map((c, i) =>
      readCluster(c, `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`, {
        authOptional: false,
      }),
    );
  });
}

function readCluster(
  c: Config,
  path: string,
  options: { authOptional: boolean; k8s?: ClientNode },
): ClusterDetails {
  const name = c.getString('name');
  const where = `cluster "${name}" (${path})`;
  const fromFile = readKubeconfigCluster(c, where, options.k8s);

  const authProvider = options.authOptional
    ? c.getOptionalString('authProvider') ?? SUPPORTED_AUTH_PROVIDER
    : c.getString('authProvider');
  if (authProvider !== SUPPORTED_AUTH_PROVIDER) {
    throw new Error(
      `Istio Rollouts: ${where} uses authProvider "${authProvider}", which this plugin does not support; ` +
        `only "${SUPPORTED_AUTH_PROVIDER}" is. Give the plugin its own entry in istioRollouts.clusters with a serviceAccountToken.`,
    );
  }

  const url = fromFile?.url ?? c.getString('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Istio Rollouts: ${where} has an invalid url "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(
      `Istio Rollouts: ${where} url must use http or https, got "${url}"`,
    );
  }

  const serviceAccountToken = c.getOptionalString('serviceAccountToken');
  const allowInsecureHttp = c.getOptionalBoolean('allowInsecureHttp') ?? false;
  // A token over plain http travels in clear text, and nothing verifies
  // whom it is sent to: only where the operator asked for it.
  if (parsed.protocol === 'http:' && !allowInsecureHttp) {
    throw new Error(
      `Istio Rollouts: ${where} url "${url}" is plain http, which sends ${
        serviceAccountToken
          ? 'its serviceAccountToken'
          : 'the service account token'
      } unencrypted and unverified; use https, or set allowInsecureHttp: true on this cluster (local simulators only)`,
    );
  }

  const namespaces = readNamespaces(c, where);

  return {
    name,
    title: c.getOptionalString('title'),
    url: url.replace(/\/+$/, ''),
    serviceAccountToken,
    caData: c.getOptionalString('caData') ?? fromFile?.caData,
    caFile: c.getOptionalString('caFile') ?? fromFile?.caFile,
    skipTLSVerify:
      c.getOptionalBoolean('skipTLSVerify') ?? fromFile?.skipTLSVerify ?? false,
    ...(fromFile && { kubeconfigUser: fromFile.user }),
    allowInsecureHttp,
    ...(namespaces && { namespaces }),
    impersonate: c.getOptionalBoolean('impersonate') ?? false,
  };
}

/** Reads the `namespaces` a cluster entry pins the plugin to, refusing anything that is no namespace name. */
export function readNamespaces(c: Config, where: string): string[] | undefined {
  const namespaces = c.getOptionalStringArray('namespaces');
  for (const namespace of namespaces ?? []) {
    if (!NAMESPACE.test(namespace)) {
      throw new Error(
        `Istio Rollouts: ${where} namespaces lists "${namespace}", which is not a Kubernetes namespace name`,
      );
    }
  }
  return namespaces;
}
