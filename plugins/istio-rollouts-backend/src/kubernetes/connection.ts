import type { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ClusterDetails } from '../clusters';
import { ClientNode } from './clientNode';
import { ClusterReadError } from './errors';

/** Where an in-cluster backend finds its own service account token (as client-go does). */
export const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Refuses a cluster the backend has no token for: neither one configured
 * nor its own in-cluster one in `inClusterTokenFile`.
 */
export function assertCredentials(
  cluster: ClusterDetails,
  inClusterTokenFile: string,
): void {
  if (
    !cluster.serviceAccountToken &&
    !cluster.kubeconfigUser &&
    !fs.existsSync(inClusterTokenFile)
  ) {
    throw new ClusterReadError(
      'MissingCredentials',
      `Cluster "${cluster.name}" has no serviceAccountToken configured, and the backend has no in-cluster service account token (${inClusterTokenFile})`,
    );
  }
}

/** Builds the client-node KubeConfig of one cluster: one context, one token user. */
export function makeKubeConfig(
  k8s: ClientNode,
  cluster: ClusterDetails,
  inClusterTokenFile: string = IN_CLUSTER_TOKEN_FILE,
): KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        // client-node refuses plain http unless skipTLSVerify is set, although
        // there is no TLS to verify; local clusters and proxies use http.
        skipTLSVerify: cluster.skipTLSVerify || cluster.url.startsWith('http:'),
      },
    ],
    users: [userOf(cluster, inClusterTokenFile)],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'istio-rollouts' },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * One connection pool per cluster. client-node 1.4 builds a new agent for
 * every request, so each call would open a new TCP (and TLS) connection; the
 * plugin sets this agent on every request instead, with the same TLS options
 * client-node derives from the KubeConfig.
 */
export async function keepAliveAgent(
  kc: KubeConfig,
  cluster: ClusterDetails,
): Promise<http.Agent> {
  if (cluster.url.startsWith('http:'))
    return new http.Agent({ keepAlive: true });
  const tls: https.AgentOptions = {};
  await kc.applyToHTTPSOptions(tls);
  return new https.Agent({
    keepAlive: true,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    ...(cluster.skipTLSVerify && { rejectUnauthorized: false }),
  });
}

/** The user a cluster is reached as: a configured token, a kubeconfig's own user, or the in-cluster token. */
function userOf(cluster: ClusterDetails, inClusterTokenFile: string) {
  if (cluster.serviceAccountToken) {
    return { name: 'istio-rollouts', token: cluster.serviceAccountToken };
  }
  // A kubeconfig's user (token, client certificates, exec), as kubectl would use it.
  if (cluster.kubeconfigUser) {
    return { ...cluster.kubeconfigUser, name: 'istio-rollouts' };
  }
  // No token configured: the backend runs in a cluster and uses its own
  // service account, re-read as the kubelet rotates it.
  return {
    name: 'istio-rollouts',
    authProvider: { config: { tokenFile: inClusterTokenFile } },
  };
}
