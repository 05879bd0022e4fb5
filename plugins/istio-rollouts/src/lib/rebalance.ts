/**
 * Weight arithmetic of the weight editor. Every function is pure and works in
 * whole percent: Istio weights are integers, and the editor keeps their total
 * at exactly 100.
 */

/** One destination of a route in the editor. */
export interface WeightEntry {
  /** The destination's name: its subset, or its host for a host-level split. */
  key: string;
  weight: number;
  /** A locked destination keeps its weight while the others move. */
  locked?: boolean;
}

/** The total of a list of weights. */
export function totalOf(weights: number[]): number {
  return weights.reduce((sum, w) => sum + w, 0);
}

/** True when the weights are integers 0–100 that add up to 100, as the backend requires. */
export function isValidSplit(weights: number[]): boolean {
  return (
    weights.length > 0 &&
    weights.every(w => Number.isInteger(w) && w >= 0 && w <= 100) &&
    totalOf(weights) === 100
  );
}

/**
 * Splits `amount` whole units in proportion to `shares` (largest remainder
 * method): the parts are integers that add up to `amount` exactly, and ties on
 * the remainder go to the earlier share. When every share is 0 the amount is
 * split evenly.
 */
export function distribute(amount: number, shares: number[]): number[] {
  if (shares.length === 0) return [];
  const total = totalOf(shares);
  const exact = shares.map(s =>
    total > 0 ? (amount * s) / total : amount / shares.length,
  );
  const parts = exact.map(Math.floor);
  let left = amount - totalOf(parts);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    parts[index] += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Weights as percentages that add up to 100, keeping their proportions — how
 * Istio reads weights that don't add up to 100. A total of 0 (which Istio
 * rejects) is returned unchanged: the user has to choose.
 */
export function normalizeTo100(weights: number[]): number[] {
  const total = totalOf(weights);
  if (total === 0 || total === 100) return [...weights];
  return distribute(100, weights);
}

/**
 * Sets one destination's weight and moves the unlocked others so the total
 * stays at 100, the way Kiali's traffic-shifting wizard does.
 *
 * - The new weight is rounded and clamped to what the locked destinations
 *   leave (0 … 100 − locked).
 * - The rest goes to the unlocked other destinations in proportion to their
 *   current weights, so a subset staged at 0 (or retired at 0) stays at 0
 *   while the others have traffic; when they are all at 0, all of it goes to
 *   `preferred` (the route's candidate) if it is one of them, else to the
 *   first of them — never spread back onto retired subsets.
 * - With no unlocked other destination, nothing can move and the entries are
 *   returned unchanged.
 */
export function rebalance(
  entries: WeightEntry[],
  key: string,
  requested: number,
  preferred?: string,
): WeightEntry[] {
  const target = entries.findIndex(e => e.key === key);
  if (target < 0) return entries;
  const others = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ index }) => index !== target);
  const free = others.filter(({ entry }) => !entry.locked);
  if (free.length === 0) return entries;

  const lockedTotal = totalOf(
    others.filter(({ entry }) => entry.locked).map(({ entry }) => entry.weight),
  );
  const max = Math.max(0, 100 - lockedTotal);
  const value = Math.min(
    max,
    Math.max(0, Math.round(Number.isFinite(requested) ? requested : 0)),
  );
  const shares = free.map(({ entry }) => entry.weight);
  if (totalOf(shares) === 0) {
    const heir = free.findIndex(({ entry }) => entry.key === preferred);
    shares[heir >= 0 ? heir : 0] = 1;
  }
  const parts = distribute(max - value, shares);

  const next = entries.map(e => ({ ...e }));
  next[target].weight = value;
  free.forEach(({ index }, i) => {
    next[index].weight = parts[i];
  });
  return next;
}

/** The quick steps the editor offers for the route's candidate. */
export const CANDIDATE_STEPS = [1, 5, 10, 25, 50, 75, 100] as const;

/** The most `key` may take: what the locked other destinations leave. */
export function weightLimit(entries: WeightEntry[], key: string): number {
  const locked = entries.filter(e => e.key !== key && e.locked);
  return Math.max(0, 100 - totalOf(locked.map(e => e.weight)));
}

/**
 * What a typed weight means: a whole number from 0 to `max`, or why not —
 * never a silently clamped or rounded value. Leading zeros are dropped
 * (`095` is 95); an empty field is not a weight yet.
 */
export function parseWeightInput(
  text: string,
  max: number,
  lockedNote = '',
): { weight: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Enter a whole number from 0 to 100' };
  if (!/^-?\d+([.,]\d*)?$/.test(trimmed)) {
    return { error: 'Enter a whole number from 0 to 100' };
  }
  const value = Number(trimmed.replace(',', '.'));
  if (!Number.isInteger(value)) {
    return { error: 'Weights are whole percent: Istio takes no fractions' };
  }
  if (value < 0) return { error: 'A weight cannot be negative' };
  if (value > max) {
    return {
      error:
        max === 100
          ? 'A weight is at most 100'
          : `At most ${max} here${lockedNote}`,
    };
  }
  return { weight: value };
}
