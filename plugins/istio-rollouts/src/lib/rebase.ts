/**
 * Rebasing an edit of a route's weights: when the route changed under an open
 * editor, compare the split the edit started from, the user's draft and the
 * route as it is now, and carry the draft over to the new version only when
 * the route still has the same destinations. Pure, whole percent.
 */
import { listWords } from '@internal/plugin-istio-rollouts-common';
import { WeightEntry } from './rebalance';

/** One destination across the three splits; undefined where it isn't in that split. */
export interface SplitRow {
  key: string;
  started?: number;
  mine?: number;
  now?: number;
}

/** How the route moved under an edit. */
export interface RouteMove {
  /** The new route's destinations in its order, then those it no longer has. */
  rows: SplitRow[];
  /** Destinations the route has now that the draft doesn't. */
  added: string[];
  /** Destinations of the draft the route no longer has. */
  removed: string[];
  /** Whether the draft's weights can be carried over: same destinations, each once. */
  sameDestinations: boolean;
  /** Whether the route's split moved (else something else in the VirtualService changed). */
  splitMoved: boolean;
  /** Whether the route now already has the draft's weights. */
  alreadyMine: boolean;
}

function weightsByKey(entries: WeightEntry[]): Map<string, number> {
  return new Map(entries.map(e => [e.key, e.weight]));
}

function hasDuplicates(entries: WeightEntry[]): boolean {
  return new Set(entries.map(e => e.key)).size !== entries.length;
}

function sameWeights(a: WeightEntry[], b: WeightEntry[]): boolean {
  const byKey = weightsByKey(b);
  return a.length === b.length && a.every(e => byKey.get(e.key) === e.weight);
}

/** Compares the split the edit started from, the draft, and the route now. */
export function compareSplits(
  started: WeightEntry[],
  mine: WeightEntry[],
  now: WeightEntry[],
): RouteMove {
  const startedBy = weightsByKey(started);
  const mineBy = weightsByKey(mine);
  const nowBy = weightsByKey(now);
  const added = now.filter(e => !mineBy.has(e.key)).map(e => e.key);
  const removed = mine.filter(e => !nowBy.has(e.key)).map(e => e.key);
  const keys = [...now.map(e => e.key), ...removed];
  const sameDestinations =
    added.length === 0 &&
    removed.length === 0 &&
    !hasDuplicates(mine) &&
    !hasDuplicates(now);
  return {
    rows: [...new Set(keys)].map(key => ({
      key,
      started: startedBy.get(key),
      mine: mineBy.get(key),
      now: nowBy.get(key),
    })),
    added,
    removed,
    sameDestinations,
    splitMoved: !sameWeights(started, now),
    alreadyMine: sameDestinations && sameWeights(mine, now),
  };
}

/**
 * The draft on the new version of the route: the draft's weights and locks in
 * the new route's order when it has the same destinations (`kept`), else the
 * new split as it is — never a mix the user didn't draft.
 */
export function rebaseEntries(
  mine: WeightEntry[],
  now: WeightEntry[],
): { entries: WeightEntry[]; kept: boolean } {
  if (!compareSplits([], mine, now).sameDestinations) {
    return { entries: now.map(e => ({ ...e })), kept: false };
  }
  const mineBy = new Map(mine.map(e => [e.key, e]));
  return {
    entries: now.map(e => {
      const drafted = mineBy.get(e.key)!;
      return { key: e.key, weight: drafted.weight, locked: drafted.locked };
    }),
    kept: true,
  };
}

/** `v3 was added; v1 was removed` */
export function destinationChanges(move: RouteMove): string {
  const parts = [];
  if (move.added.length) {
    parts.push(
      `${listWords(move.added, 'and')} ${
        move.added.length === 1 ? 'was' : 'were'
      } added`,
    );
  }
  if (move.removed.length) {
    parts.push(
      `${listWords(move.removed, 'and')} ${
        move.removed.length === 1 ? 'was' : 'were'
      } removed`,
    );
  }
  return parts.join('; ') || 'a destination appears twice';
}

/** What the editor holds after a rebase, said once. */
export interface Rebased {
  to: string;
  kept: boolean;
  /** Set when the destinations changed and the draft could not be kept. */
  changes?: string;
  /** The route already has the kept weights. */
  alreadyMine?: boolean;
}

/** The line after a rebase: what the editor holds now and what comes next. */
export function rebasedText(rebased: Rebased): string {
  if (!rebased.kept) {
    return rebased.changes
      ? `The route’s destinations changed (${rebased.changes}), so the editor starts from the new split at resourceVersion ${rebased.to}.`
      : `The editor starts from the new split at resourceVersion ${rebased.to}.`;
  }
  if (rebased.alreadyMine) {
    return `The route already has your weights at resourceVersion ${rebased.to}: there is nothing to change.`;
  }
  return `Your weights now apply to resourceVersion ${rebased.to}. Review the change for a new dry run before anything is applied.`;
}
