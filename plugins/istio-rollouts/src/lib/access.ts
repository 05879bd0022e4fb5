/**
 * Why controls are locked, in words people act on: who owns the entity, what
 * the user may and may not do, and whom to ask. Permission ids stay out of
 * these sentences; the UI shows them only as a secondary detail.
 */
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  listWords,
  RolloutAction,
} from '@internal/plugin-istio-rollouts-common';

/** One owner of an entity as the catalog names it. */
export interface OwnerName {
  /** `group:default/team-web` */
  ref: string;
  /** `Team Web`: the owner's title or display name, else the name in its ref. */
  title: string;
}

/** What the locked controls of one entity say about who may change it. */
export interface EntityAccess {
  /** The entity as people call it: its title, else its name. */
  entityTitle: string;
  owners: OwnerName[];
  /** Whether the signed-in user is one of the owners (or in one of them); undefined while unknown. */
  userIsOwner?: boolean;
}

/** The owners' refs: the catalog's `ownedBy` relations, else `spec.owner` as the catalog would read it. */
export function ownerRefsOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return [...new Set(related)];
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

/** `Team Web` from the owner's entity when the catalog gave it, else `team-web` from its ref. */
export function ownerTitle(ref: string, owner?: Entity): string {
  const profile = (owner?.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  const displayName =
    typeof profile?.displayName === 'string' ? profile.displayName : undefined;
  if (owner?.metadata.title) return owner.metadata.title;
  if (displayName) return displayName;
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/**
 * The access sentence's inputs for an entity: `owners` are the catalog's
 * answers in the order of `ownerRefsOf` (missing ones fall back to the ref's
 * name); `userRefs` are the signed-in user's ownership refs, when known.
 */
export function entityAccess(
  entity: Entity,
  owners: (Entity | undefined)[] = [],
  userRefs?: string[],
): EntityAccess {
  const refs = ownerRefsOf(entity);
  const mine = userRefs && new Set(userRefs.map(r => r.toLocaleLowerCase()));
  return {
    entityTitle: entity.metadata.title || entity.metadata.name,
    owners: refs.map((ref, i) => ({ ref, title: ownerTitle(ref, owners[i]) })),
    userIsOwner: mine
      ? refs.some(ref => mine.has(ref.toLocaleLowerCase()))
      : undefined,
  };
}

/** What each action lets one do, to finish "you may view its traffic but not …". */
const ACTION_WORDS: Partial<Record<RolloutAction, string>> = {
  setWeights: 'set weights',
  promote: 'promote',
  rollback: 'roll back',
  switch: 'switch',
  startCanary: 'start a canary',
};

/** An action in words; one this module doesn't know yet is named by its id in words (`finish`). */
export function actionWords(action: RolloutAction): string {
  return (
    ACTION_WORDS[action] ??
    String(action)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLocaleLowerCase()
  );
}

/**
 * Why the user may not take `locked` (some or all of an entity's actions), in
 * words: who owns the entity and whom to ask. `all` says "change it" instead
 * of listing every action.
 */
export function lockedReason(
  access: EntityAccess | undefined,
  locked: RolloutAction[],
  all = false,
): string {
  const what = all ? 'change it' : listWords(locked.map(actionWords), 'or');
  if (!access) {
    return `You may view this entity’s traffic but not ${what}. Ask its owners for access.`;
  }
  const { entityTitle: entity, owners } = access;
  const names = listWords(
    owners.map(o => o.title),
    'and',
  );
  if (owners.length === 0) {
    return `You may view the traffic of ${entity} but not ${what}. ${entity} has no owner in the catalog: ask your Backstage administrators for access.`;
  }
  if (access.userIsOwner) {
    // The policy refuses even an owner: asking the team would not help.
    return `You may view the traffic of ${entity} but not ${what}: the portal’s permission policy does not allow it, although you are among its owners (${names}). Ask your Backstage administrators for access.`;
  }
  const whom = listWords(
    owners.map(o => `${o.title} (${o.ref})`),
    'or',
  );
  return `${names} ${
    owners.length === 1 ? 'owns' : 'own'
  } ${entity}: you may view its traffic but not ${what}. Ask ${whom} for access.`;
}
