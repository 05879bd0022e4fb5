import type {
  RolloutReadModel,
  RolloutReadOnly,
  RolloutStale,
} from '@internal/plugin-istio-rollouts-common';
import type { ClusterErrorReason } from '../kubernetes';

/**
 * The failures that mean "the cluster is not answering" (down, hung, behind
 * a broken proxy), after which its last-known rollouts are still shown. A
 * cluster that answers and refuses (401, 403), or no longer serves Istio,
 * has told us something new: what was read before is not shown.
 */
const NOT_ANSWERING: ReadonlySet<ClusterErrorReason> = new Set([
  'Timeout',
  'Unreachable',
  'ServerError',
  'InvalidResponse',
]);

/** Whether a cluster failing for this reason keeps its last-known rollouts on show. */
export function isNotAnswering(reason: ClusterErrorReason): boolean {
  return NOT_ANSWERING.has(reason);
}

/**
 * The rollouts last read from a cluster, marked stale: when they were last
 * read, and why the cluster is not answering now. Copies; the remembered
 * read models are shared and never changed.
 */
export function markStale<T extends RolloutReadModel>(
  rollouts: T[],
  lastSeenMs: number,
  reason: ClusterErrorReason,
): T[] {
  const stale: RolloutStale = {
    lastSeen: new Date(lastSeenMs).toISOString(),
    reason,
  };
  return rollouts.map(rollout => ({ ...rollout, stale }));
}

/**
 * A stale rollout, read-only: one rule for every locked rollout (`readOnly`
 * set, no action offered), so the tab disables the controls with these words.
 * An action sent anyway reads the cluster first and fails there (503).
 */
export function staleLock(rollout: { cluster: string }): {
  readOnly: RolloutReadOnly;
  allowedActions: [];
} {
  return {
    readOnly: {
      reason: 'ClusterUnavailable',
      message: `Cluster ${rollout.cluster} is not answering: this is its last-known state, and nothing can be changed there until it answers again.`,
    },
    allowedActions: [],
  };
}
