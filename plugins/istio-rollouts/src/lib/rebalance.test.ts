import {
  distribute,
  isValidSplit,
  normalizeTo100,
  presetSplit,
  rebalance,
  WeightEntry,
} from './rebalance';

const split = (entries: WeightEntry[]) =>
  entries.map(e => `${e.key}=${e.weight}`).join(' ');

const entries = (spec: string): WeightEntry[] =>
  spec.split(' ').map(part => {
    const [key, value] = part.split('=');
    return {
      key,
      weight: Number(value.replace('!', '')),
      locked: value.endsWith('!'),
    };
  });

describe('rebalance', () => {
  it.each([
    // [before (! = locked), moved, to, after]
    ['v1=50 v2=50', 'v2', 20, 'v1=80 v2=20'],
    ['v1=50 v2=50', 'v1', 100, 'v1=100 v2=0'],
    ['v1=50 v2=50', 'v1', 0, 'v1=0 v2=100'],
    ['v1=50 v2=50', 'v1', 130, 'v1=100 v2=0'],
    ['v1=50 v2=50', 'v1', -5, 'v1=0 v2=100'],
    ['v1=50 v2=50', 'v1', 33.6, 'v1=34 v2=66'],
    // the others move in proportion: a staged subset at 0 stays at 0
    ['v1=50 v2=50 v3=0', 'v1', 40, 'v1=40 v2=60 v3=0'],
    ['v1=60 v2=30 v3=10', 'v1', 20, 'v1=20 v2=60 v3=20'],
    // rounding by largest remainder keeps the total at exactly 100
    ['a=40 b=30 c=30', 'a', 0, 'a=0 b=50 c=50'],
    ['a=34 b=33 c=33', 'a', 1, 'a=1 b=50 c=49'],
    // others all at 0: shared evenly
    ['v1=100 v2=0 v3=0', 'v1', 90, 'v1=90 v2=5 v3=5'],
    ['v1=100 v2=0 v3=0', 'v1', 91, 'v1=91 v2=5 v3=4'],
    // locked destinations keep their weight and cap the moved one
    ['v1=50 v2=30! v3=20', 'v1', 60, 'v1=60 v2=30 v3=10'],
    ['v1=50 v2=30! v3=20', 'v1', 90, 'v1=70 v2=30 v3=0'],
    // nothing else can move: unchanged
    ['v1=70 v2=30!', 'v1', 90, 'v1=70 v2=30'],
    // unknown key: unchanged
    ['v1=50 v2=50', 'v9', 10, 'v1=50 v2=50'],
  ])('%s, %s → %s gives %s', (before, key, to, after) => {
    const result = rebalance(entries(before), key, to);
    expect(split(result)).toBe(after);
    expect(result.reduce((sum, e) => sum + e.weight, 0)).toBe(100);
  });

  it('keeps the lock flags', () => {
    const result = rebalance(entries('v1=50 v2=30! v3=20'), 'v1', 60);
    expect(result.map(e => Boolean(e.locked))).toEqual([false, true, false]);
  });
});

describe('distribute', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [10, [0, 0], [5, 5]],
    [7, [3, 1], [5, 2]],
    [0, [5, 5], [0, 0]],
    [5, [], []],
  ])('%i over %j is %j', (amount, shares, expected) => {
    expect(distribute(amount, shares)).toEqual(expected);
  });
});

describe('normalizeTo100', () => {
  it.each([
    [
      [50, 50],
      [50, 50],
    ],
    [
      [1, 1],
      [50, 50],
    ],
    [
      [60, 60],
      [50, 50],
    ],
    [
      [1, 2],
      [33, 67],
    ],
    [
      [0, 0],
      [0, 0],
    ],
    [[100], [100]],
  ])('%j reads as %j', (weights, expected) => {
    expect(normalizeTo100(weights)).toEqual(expected);
  });
});

describe('isValidSplit', () => {
  it.each([
    [[50, 50], true],
    [[100, 0], true],
    [[60, 60], false],
    [[50.5, 49.5], false],
    [[-10, 110], false],
    [[], false],
  ])('%j is %s', (weights, expected) => {
    expect(isValidSplit(weights)).toBe(expected);
  });
});

describe('presetSplit', () => {
  it.each([
    ['v1=50 v2=50', 'v2', 10, 'v1=90 v2=10'],
    ['v1=50! v2=50', 'v2', 1, 'v1=99 v2=1'],
    ['v1=50 v2=50', 'v2', 100, 'v1=0 v2=100'],
    ['v1=50 v2=50 v3=0', 'v2', 10, 'v1=50 v2=50 v3=0'],
  ])('%s with %s at %i%% gives %s', (before, key, percent, after) => {
    expect(split(presetSplit(entries(before), key, percent))).toBe(after);
  });
});
