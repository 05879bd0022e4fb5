import {
  permissionForAction,
  ROLLOUT_ACTIONS,
  Rollout,
  RolloutAction,
  RolloutOwner,
  Route,
  SwitchOffer,
} from '@internal/plugin-istio-rollouts-common';

/** What an action is called on a button and in the history. */
export const ACTION_LABELS: Record<RolloutAction, string> = {
  setWeights: 'Set weights',
  promote: 'Promote',
  rollback: 'Roll back',
  switch: 'Switch',
  startCanary: 'Start canary',
};

const OWNER_NAMES: Record<RolloutOwner['kind'], string> = {
  ArgoRollouts: 'Argo Rollouts',
  Flagger: 'Flagger',
  ArgoCD: 'Argo CD',
  Flux: 'Flux',
};

/** `Argo Rollouts` */
export function ownerKindName(owner: RolloutOwner): string {
  return OWNER_NAMES[owner.kind] ?? owner.kind;
}

/** `Argo Rollouts (reviews)` */
export function ownerName(owner: RolloutOwner): string {
  const name = ownerKindName(owner);
  return owner.name ? `${name} (${owner.name})` : name;
}

/**
 * Why the caller may not take an action on a rollout, or undefined when they
 * may. A controller that refuses edits is named first: no permission would
 * help there.
 */
export function disabledReason(
  rollout: Rollout,
  action: RolloutAction,
): string | undefined {
  if (rollout.owner?.effect === 'refuses-edits') {
    return `Managed by ${ownerName(
      rollout.owner,
    )}, which sets the weights itself and reverts direct edits: change it through ${ownerKindName(
      rollout.owner,
    )}.`;
  }
  if (rollout.readOnly) {
    // The server's words: the catalog or the cluster keeps it read-only.
    return rollout.readOnly.message;
  }
  if (!rollout.allowedActions.includes(action)) {
    return `You don't have the permission ${
      permissionForAction(action).name
    } on this entity.`;
  }
  return undefined;
}

/**
 * The permissions the caller lacks on a rollout, for a one-line explanation
 * under read-only controls; empty when every action is allowed.
 */
export function missingPermissions(rollout: Rollout): string[] {
  const missing = new Set<string>();
  // Read-only for another reason than permissions: none is missing.
  if (rollout.readOnly) return [];
  for (const action of ROLLOUT_ACTIONS) {
    if (!rollout.allowedActions.includes(action)) {
      missing.add(permissionForAction(action).name);
    }
  }
  return [...missing];
}

/** `reviews.bookinfo.svc.cluster.local` → `reviews`: enough to tell a VirtualService's own hosts apart in the UI. */
export function shortHost(host: string): string {
  return host.split('.')[0];
}

/** A blue/green switch the read model offers, with the routes it names, for display. */
export interface OfferedSwitch {
  /** The route the request names: the one the offer is on. */
  route: Route;
  offer: SwitchOffer;
  /** The pair's header route, whose match tells how the idle side is reached. */
  headerRoute?: Route;
}

/** The switches the read model offers on a rollout's routes. */
export function offeredSwitches(rollout: Rollout): OfferedSwitch[] {
  return rollout.routes.flatMap(route => {
    const offer = route.offers.switch;
    if (!offer) return [];
    const headerRoute = rollout.routes.find(
      r => r.kind === 'http' && r.index === offer.headerRoute,
    );
    return [{ route, offer, headerRoute }];
  });
}
