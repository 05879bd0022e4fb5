import { ActionValidationError } from '@internal/plugin-istio-rollouts-common';

/** Where a rollout's VirtualService lives. */
export interface RolloutAddress {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * Reads a rollout id, `<cluster>/<namespace>/<name>` as the read endpoint
 * builds it. Namespace and name never contain `/`, so they are taken from the
 * right and a cluster name may (config allows any string).
 */
export function parseRolloutId(id: unknown): RolloutAddress {
  const parts = typeof id === 'string' ? id.split('/') : [];
  const name = parts.pop();
  const namespace = parts.pop();
  const cluster = parts.join('/');
  if (!name || !namespace || !cluster) {
    throw new ActionValidationError(
      'rolloutId',
      `must be <cluster>/<namespace>/<name>, the id of a rollout as the rollouts endpoint lists it, got ${JSON.stringify(
        id,
      )}`,
    );
  }
  return { cluster, namespace, name };
}
