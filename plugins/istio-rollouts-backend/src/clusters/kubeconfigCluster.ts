import type { Config } from '@backstage/config';
import type { ClientNode } from '../kubernetes/clientNode';

/** What a kubeconfig file gives a cluster entry: the server, its CA, and the user to act as. */
export interface KubeconfigCluster {
  url: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /** The context's user as client-node reads it: a token, client certificates, or an exec/auth provider. */
  user: Record<string, unknown>;
  /** `<file>#<context>`, for messages. */
  source: string;
}

/**
 * Reads `kubeconfig` (a path) and `context` (default: the file's current context) of an `istioRollouts.clusters`
 * entry with client-node, as `kubectl` would: for local development against kind or minikube. The file's
 * credentials stay in the backend: they are used, never logged or served. Throws, naming the entry, when the file
 * or context is missing.
 */
export function readKubeconfigCluster(
  c: Config,
  where: string,
  k8s: ClientNode | undefined,
): KubeconfigCluster | undefined {
  const file = c.getOptionalString('kubeconfig');
  if (file === undefined) return undefined;
  if (!k8s) {
    throw new Error(
      `Istio Rollouts: ${where} names a kubeconfig, which needs @kubernetes/client-node loaded first`,
    );
  }
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (e) {
    throw new Error(
      `Istio Rollouts: ${where} kubeconfig "${file}" could not be read: ${
        (e as Error).message
      }`,
    );
  }
  const context = c.getOptionalString('context') ?? kc.getCurrentContext();
  const found = kc.getContextObject(context);
  if (!found) {
    throw new Error(
      `Istio Rollouts: ${where} kubeconfig "${file}" has no context "${context}" (it has ${
        kc
          .getContexts()
          .map(x => `"${x.name}"`)
          .join(', ') || 'none'
      })`,
    );
  }
  const cluster = kc.getCluster(found.cluster);
  const user = kc.getUser(found.user);
  if (!cluster || !user) {
    throw new Error(
      `Istio Rollouts: ${where} context "${context}" of kubeconfig "${file}" names a cluster or user the file does not define`,
    );
  }
  return {
    url: cluster.server.replace(/\/+$/, ''),
    ...(cluster.caData && { caData: cluster.caData }),
    ...(cluster.caFile && { caFile: cluster.caFile }),
    skipTLSVerify: cluster.skipTLSVerify ?? false,
    user: { ...user },
    source: `${file}#${context}`,
  };
}
