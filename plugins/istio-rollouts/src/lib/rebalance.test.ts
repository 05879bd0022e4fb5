import {
  distribute,
  isValidSplit,
  normalizeTo100,
  parseWeightInput,
  rebalance,
  weightLimit,
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
    // others all at 0: all of it to the first, never spread onto retired subsets
    ['v1=100 v2=0 v3=0', 'v1', 90, 'v1=90 v2=10 v3=0'],
    ['v1=100 v2=0 v3=0', 'v1', 60, 'v1=60 v2=40 v3=0'],
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

  it('gives what is left to the preferred destination when the others carry nothing', () => {
    expect(split(rebalance(entries('v1=100 v2=0 v3=0'), 'v1', 60, 'v3'))).toBe(
      'v1=60 v2=0 v3=40',
    );
    // with traffic elsewhere, proportions win over the preference
    expect(split(rebalance(entries('v1=50 v2=50 v3=0'), 'v1', 40, 'v3'))).toBe(
      'v1=40 v2=60 v3=0',
    );
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

describe('parseWeightInput', () => {
  it.each<[string, number, object]>([
    ['95', 100, { weight: 95 }],
    ['095', 100, { weight: 95 }],
    ['0', 100, { weight: 0 }],
    [' 100 ', 100, { weight: 100 }],
    ['', 100, { error: 'Enter a whole number from 0 to 100' }],
    ['abc', 100, { error: 'Enter a whole number from 0 to 100' }],
    ['-5', 100, { error: 'A weight cannot be negative' }],
    ['150', 100, { error: 'A weight is at most 100' }],
    [
      '12.5',
      100,
      { error: 'Weights are whole percent: Istio takes no fractions' },
    ],
    ['12.0', 100, { weight: 12 }],
    ['80', 70, { error: 'At most 70 here' }],
  ])('%j (max %i) → %j', (text, max, expected) => {
    expect(parseWeightInput(text, max)).toEqual(expected);
  });
});

describe('weightLimit', () => {
  it('is what the locked others leave', () => {
    expect(weightLimit(entries('v1=50 v2=30! v3=20'), 'v1')).toBe(70);
    expect(weightLimit(entries('v1=50 v2=30! v3=20'), 'v2')).toBe(100);
    expect(weightLimit(entries('v1=50 v2=50'), 'v1')).toBe(100);
  });
});
