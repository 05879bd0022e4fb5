import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficUpdatePermission,
  permissionForAction,
  ROLLOUT_ACTIONS,
  RolloutAction,
  RolloutOwner,
  RolloutReadOnly,
} from '@internal/plugin-istio-rollouts-common';

/** Which actions each permission grants: common's one table, read both ways. */
const actionsGrantedBy = (permission: { name: string }): RolloutAction[] =>
  ROLLOUT_ACTIONS.filter(a => permissionForAction(a).name === permission.name);
const UPDATE_ACTIONS = actionsGrantedBy(istioRolloutsTrafficUpdatePermission);
const PROMOTE_ACTIONS = actionsGrantedBy(istioRolloutsTrafficPromotePermission);

/**
 * The actions the caller may take on the entity's rollouts, from one batched
 * authorize of the update and promote permissions with the entity's ref.
 * Only a user may act (the history names who did it), so any other caller —
 * a service principal, which Backstage authorizes by its access restrictions
 * rather than the policy — is offered none.
 */
export async function authorizeRolloutActions(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  resourceRef: string;
}): Promise<RolloutAction[]> {
  const { permissions, credentials, resourceRef } = options;
  const principal = credentials.principal as { type?: string } | undefined;
  if (principal?.type !== 'user') return [];
  const [update, promote] = await permissions.authorize(
    [
      { permission: istioRolloutsTrafficUpdatePermission, resourceRef },
      { permission: istioRolloutsTrafficPromotePermission, resourceRef },
    ],
    { credentials },
  );
  const allowed = new Set<RolloutAction>([
    ...(update?.result === AuthorizeResult.ALLOW ? UPDATE_ACTIONS : []),
    ...(promote?.result === AuthorizeResult.ALLOW ? PROMOTE_ACTIONS : []),
  ]);
  return ROLLOUT_ACTIONS.filter(a => allowed.has(a));
}

/**
 * The actions offered on one rollout: none when a progressive-delivery
 * controller owns it (it would revert or fight any edit), else all the caller
 * may take.
 */
export function actionsForRollout(
  rollout: { owner?: RolloutOwner },
  allowed: RolloutAction[],
): RolloutAction[] {
  return rollout.owner?.effect === 'refuses-edits' ? [] : [...allowed];
}

/**
 * Why nobody may change the rollout from here, when a progressive-delivery
 * controller owns it: as the read model's `readOnly`, so the UI needs no
 * rule of its own to explain the locked controls.
 */
export function readOnlyOf(rollout: { owner?: RolloutOwner }): {
  readOnly?: RolloutReadOnly;
} {
  const { owner } = rollout;
  if (owner?.effect !== 'refuses-edits') return {};
  const tool = owner.kind === 'ArgoRollouts' ? 'Argo Rollouts' : 'Flagger';
  return {
    readOnly: {
      reason: 'OwnedByController',
      message: `Managed by ${tool}${
        owner.name ? ` (${owner.name})` : ''
      }, which sets the weights itself and reverts direct edits: change it through ${tool}.`,
    },
  };
}
