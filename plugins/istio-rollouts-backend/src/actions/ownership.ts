import type { RolloutOwner } from '@internal/plugin-istio-rollouts-common';
import { conflictError } from '../errors';

/** The rollout as far as ownership goes: which object, and who manages it. */
export interface OwnedRollout {
  cluster: string;
  namespace: string;
  name: string;
  owner?: RolloutOwner;
}

function objectName(rollout: OwnedRollout): string {
  return `VirtualService ${rollout.namespace}/${rollout.name} in cluster "${rollout.cluster}"`;
}

function quoted(name: string | undefined, fallback: string): string {
  return name ? `"${name}"` : fallback;
}

/** Why a progressive-delivery controller's object is refused, and how to act through the controller. */
function refusal(rollout: OwnedRollout, owner: RolloutOwner): string {
  const target = objectName(rollout);
  if (owner.kind === 'ArgoRollouts') {
    const name = owner.name ?? '<rollout>';
    return (
      `${target} is managed by Argo Rollouts (Rollout ${quoted(
        owner.name,
        'unnamed',
      )}, found by ${
        owner.via
      }), which sets its weights itself and would undo this change. ` +
      `Act through the Rollout instead: kubectl argo rollouts promote ${name} -n ${rollout.namespace} ` +
      `(or abort, retry, set image), or change its steps in the Rollout spec.`
    );
  }
  const name = owner.name ?? '<canary>';
  return (
    `${target} is managed by Flagger (Canary ${quoted(
      owner.name,
      'unnamed',
    )}, found by ${
      owner.via
    }), which shifts its traffic by canary analysis and would undo this change. ` +
    `Act through the Canary instead: let its analysis promote or roll back (gate it with Flagger's ` +
    `confirm-promotion or confirm-rollout webhooks), or change its analysis in the Canary spec; ` +
    `kubectl -n ${rollout.namespace} describe canary ${name} shows where it stands.`
  );
}

/** What a GitOps tool may do to a direct change, and how to keep it. */
function gitOpsWarning(rollout: OwnedRollout, owner: RolloutOwner): string {
  const target = objectName(rollout);
  if (owner.kind === 'ArgoCD') {
    return (
      `Argo CD (Application ${quoted(
        owner.name,
        'unnamed',
      )}) tracks ${target} from Git: ` +
      `with self-heal on, or at the next sync, it may revert this change. Make the same change in Git to keep it.`
    );
  }
  const source = owner.via?.includes('helm.toolkit.fluxcd.io')
    ? 'HelmRelease'
    : 'Kustomization';
  return (
    `Flux (${source} ${quoted(
      owner.name,
      'unnamed',
    )}) applies ${target} from Git: ` +
    `at its next reconciliation it may revert this change. Make the same change in Git to keep it.`
  );
}

/**
 * Decides whether the plugin may edit the rollout's VirtualService itself. One
 * owned by Argo Rollouts or Flagger (`refuses-edits`) is refused with a
 * `ConflictError` (409) that names the owner and how to act through it; one
 * tracked by Argo CD or Flux (`may-revert`) is allowed, with the warning the
 * answer and the history carry.
 */
export function checkOwnership(rollout: OwnedRollout): { warning?: string } {
  const { owner } = rollout;
  if (!owner) return {};
  if (owner.effect === 'refuses-edits') {
    throw conflictError('OwnedByController', refusal(rollout, owner));
  }
  return { warning: gitOpsWarning(rollout, owner) };
}
