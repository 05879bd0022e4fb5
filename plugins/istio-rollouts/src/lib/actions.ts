import {
  permissionForAction,
  ROLLOUT_ACTIONS,
  Rollout,
  RolloutAction,
  RolloutOwner,
  Route,
  SwitchOffer,
} from '@internal/plugin-istio-rollouts-common';
import { EntityAccess, lockedReason } from './access';

/** What an action is called on a button and in the history. */
export const ACTION_LABELS: Record<RolloutAction, string> = {
  setWeights: 'Set weights',
  promote: 'Promote',
  rollback: 'Roll back',
  switch: 'Switch',
  startCanary: 'Start canary',
  finish: 'Finish',
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
 * help there. A missing permission is said in words — who owns the entity and
 * whom to ask (`access`, from the catalog) — never as a permission id.
 */
export function disabledReason(
  rollout: Rollout,
  action: RolloutAction,
  access?: EntityAccess,
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
    return lockedReason(access, [action]);
  }
  return undefined;
}

/**
 * The permissions the caller lacks for `actions` (every action by default),
 * for the secondary detail under locked controls; empty when none is missing.
 */
export function missingPermissions(
  rollout: Rollout,
  actions: readonly RolloutAction[] = ROLLOUT_ACTIONS,
): string[] {
  const missing = new Set<string>();
  // Read-only for another reason than permissions: none is missing.
  if (rollout.readOnly) return [];
  for (const action of actions) {
    if (!rollout.allowedActions.includes(action)) {
      missing.add(permissionForAction(action).name);
    }
  }
  return [...missing];
}

/** The actions some route of the rollout offers: the ones that have a button. */
export function offeredActions(rollout: Rollout): RolloutAction[] {
  return ROLLOUT_ACTIONS.filter(action =>
    rollout.routes.some(
      route => (route.offers as Record<string, unknown>)[action],
    ),
  );
}

/**
 * The line under a rollout's controls when permissions lock some of its
 * buttons: what the user may not do and whom to ask, with the missing
 * permission ids apart (for whoever sets up the policy). Undefined when no
 * offered action is locked for want of a permission (a controller's or the
 * server's lock says its own words).
 */
export function lockedSummary(
  rollout: Rollout,
  access?: EntityAccess,
): { text: string; permissions: string[] } | undefined {
  if (rollout.owner?.effect === 'refuses-edits' || rollout.readOnly) {
    return undefined;
  }
  const offered = offeredActions(rollout);
  const locked = offered.filter(a => !rollout.allowedActions.includes(a));
  if (locked.length === 0) return undefined;
  return {
    text: lockedReason(access, locked, locked.length === offered.length),
    permissions: missingPermissions(rollout, locked),
  };
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
