import {
  compareSplits,
  destinationChanges,
  rebasedText,
  rebaseEntries,
} from './rebase';
import { WeightEntry } from './rebalance';

/** `split('v1', 50, 'v2', 50)` → entries */
function split(...pairs: (string | number)[]): WeightEntry[] {
  const entries: WeightEntry[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    entries.push({ key: pairs[i] as string, weight: pairs[i + 1] as number });
  }
  return entries;
}

describe('compareSplits', () => {
  it('puts the split I started from, mine and the new one side by side', () => {
    const move = compareSplits(
      split('v1', 50, 'v2', 50),
      split('v1', 80, 'v2', 20),
      split('v1', 70, 'v2', 30),
    );
    expect(move.rows).toEqual([
      { key: 'v1', started: 50, mine: 80, now: 70 },
      { key: 'v2', started: 50, mine: 20, now: 30 },
    ]);
    expect(move).toMatchObject({
      sameDestinations: true,
      splitMoved: true,
      alreadyMine: false,
      added: [],
      removed: [],
    });
  });

  it('tells a change elsewhere in the VirtualService from a moved split', () => {
    const move = compareSplits(
      split('v1', 50, 'v2', 50),
      split('v1', 80, 'v2', 20),
      split('v1', 50, 'v2', 50),
    );
    expect(move.splitMoved).toBe(false);
    expect(move.sameDestinations).toBe(true);
  });

  it('sees when the route already has my weights', () => {
    expect(
      compareSplits(
        split('v1', 50, 'v2', 50),
        split('v1', 80, 'v2', 20),
        split('v2', 20, 'v1', 80),
      ).alreadyMine,
    ).toBe(true);
  });

  it('lists added and removed destinations, in the new order then the gone ones', () => {
    const move = compareSplits(
      split('v1', 50, 'v2', 50),
      split('v1', 90, 'v2', 10),
      split('v2', 100, 'v3', 0),
    );
    expect(move.added).toEqual(['v3']);
    expect(move.removed).toEqual(['v1']);
    expect(move.sameDestinations).toBe(false);
    expect(move.alreadyMine).toBe(false);
    expect(move.rows).toEqual([
      { key: 'v2', started: 50, mine: 10, now: 100 },
      { key: 'v3', started: undefined, mine: undefined, now: 0 },
      { key: 'v1', started: 50, mine: 90, now: undefined },
    ]);
  });

  it('will not carry weights over when a destination appears twice', () => {
    expect(
      compareSplits([], split('v1', 50, 'v2', 50), split('v1', 50, 'v1', 50))
        .sameDestinations,
    ).toBe(false);
  });
});

describe('rebaseEntries', () => {
  it('keeps my weights and locks, in the new route’s order', () => {
    const mine = [
      { key: 'v1', weight: 60, locked: true },
      { key: 'v2', weight: 30 },
      { key: 'v3', weight: 10 },
    ];
    const { entries, kept } = rebaseEntries(
      mine,
      split('v3', 0, 'v1', 50, 'v2', 50),
    );
    expect(kept).toBe(true);
    expect(entries.map(e => [e.key, e.weight, Boolean(e.locked)])).toEqual([
      ['v3', 10, false],
      ['v1', 60, true],
      ['v2', 30, false],
    ]);
  });

  it('starts from the new split when destinations were added or removed — never a mix', () => {
    const now = split('v1', 70, 'v2', 20, 'v3', 10);
    const { entries, kept } = rebaseEntries(split('v1', 90, 'v2', 10), now);
    expect(kept).toBe(false);
    expect(entries).toEqual(now);
    expect(entries).not.toBe(now);
  });
});

describe('the words of a rebase', () => {
  it.each([
    [{ added: ['v3'], removed: [] }, 'v3 was added'],
    [
      { added: ['v3', 'v4'], removed: ['v1'] },
      'v3 and v4 were added; v1 was removed',
    ],
    [{ added: [], removed: [] }, 'a destination appears twice'],
  ])('%j → %s', (move, words) => {
    expect(destinationChanges(move as never)).toBe(words);
  });

  it.each([
    [
      { to: '31', kept: true },
      /^Your weights now apply to resourceVersion 31\. Review the change for a new dry run/,
    ],
    [
      { to: '31', kept: true, alreadyMine: true },
      /already has your weights at resourceVersion 31/,
    ],
    [
      { to: '31', kept: false, changes: 'v3 was added' },
      /destinations changed \(v3 was added\), so the editor starts from the new split at resourceVersion 31/,
    ],
    [
      { to: '31', kept: false },
      /^The editor starts from the new split at resourceVersion 31\.$/,
    ],
  ])('%j', (rebased, words) => {
    expect(rebasedText(rebased)).toMatch(words);
  });
});
