import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  equalityRequirements,
  LabelRequirement,
  matchesLabels,
  selectEntityObjects,
} from '../selection';

/** A Kubernetes object as far as claims go: where it is and its labels. */
export interface ClaimedObject {
  namespace: string;
  labels?: Readonly<Record<string, string>>;
}

/** Which catalog entities claim which objects, at one moment. */
export interface ClaimSnapshot {
  /** The refs of the entities whose selection selects the object, sorted. */
  claimantsOf(object: ClaimedObject): string[];
  /**
   * The claimants of the object other than `entityRef` (entity refs compare
   * case-insensitively); any means the object is shared and read-only.
   */
  otherClaimants(
    entityRef: string | CompoundEntityRef,
    object: ClaimedObject,
  ): string[];
  /** How many entities claim something (refused selections excluded). */
  readonly claimantCount: number;
  /** Entities with a claim annotation whose selection was refused. */
  readonly refusedCount: number;
}

interface Claimant {
  ref: string;
  requirements: readonly LabelRequirement[];
  namespace?: string;
}

// Neither a label key nor a value can contain '=', so this key is unambiguous.
const pairKey = (key: string, value: string) => `${key}=${value}`;

/**
 * Indexes entities by their claims. Each claimant is filed under one of its
 * equality requirements (the one fewest entities share), which every object
 * it selects must carry; so an object's candidates are found from its own
 * labels, not by scanning every entity. Entities whose annotations are
 * missing, invalid or unsafe claim nothing, exactly as they select nothing.
 */
export function buildClaimSnapshot(entities: readonly Entity[]): ClaimSnapshot {
  const claimants: Array<{ claimant: Claimant; pairs: string[] }> = [];
  let refusedCount = 0;
  for (const entity of entities) {
    const selected = selectEntityObjects(entity);
    if ('notConfigured' in selected) {
      if (selected.notConfigured.reason !== 'MissingAnnotation') refusedCount++;
      continue;
    }
    const { requirements, namespace } = selected.selection;
    const pairs = equalityRequirements(requirements).map(p =>
      pairKey(p.key, p.value),
    );
    // selectEntityObjects refuses selections without one; a claim that
    // cannot be indexed must not silently vanish, so check anyway.
    if (pairs.length === 0) {
      refusedCount++;
      continue;
    }
    const ref = stringifyEntityRef(entity);
    claimants.push({ claimant: { ref, requirements, namespace }, pairs });
  }

  const frequency = new Map<string, number>();
  for (const { pairs } of claimants) {
    for (const pair of new Set(pairs)) {
      frequency.set(pair, (frequency.get(pair) ?? 0) + 1);
    }
  }
  const index = new Map<string, Claimant[]>();
  for (const { claimant, pairs } of claimants) {
    const rarest = pairs.reduce((a, b) =>
      frequency.get(b)! < frequency.get(a)! ? b : a,
    );
    const bucket = index.get(rarest);
    if (bucket) bucket.push(claimant);
    else index.set(rarest, [claimant]);
  }

  const claimantsOf = (object: ClaimedObject): string[] => {
    const refs = new Set<string>();
    for (const [key, value] of Object.entries(object.labels ?? {})) {
      for (const c of index.get(pairKey(key, value)) ?? []) {
        if (c.namespace !== undefined && c.namespace !== object.namespace) {
          continue;
        }
        if (matchesLabels(c.requirements, object.labels)) refs.add(c.ref);
      }
    }
    return [...refs].sort();
  };

  return {
    claimantsOf,
    otherClaimants(entityRef, object) {
      const self = normalizeRef(entityRef);
      return claimantsOf(object).filter(ref => normalizeRef(ref) !== self);
    },
    claimantCount: claimants.length,
    refusedCount,
  };
}

function normalizeRef(ref: string | CompoundEntityRef): string {
  const compound = typeof ref === 'string' ? parseEntityRef(ref) : ref;
  return stringifyEntityRef(compound).toLocaleLowerCase('en-US');
}
