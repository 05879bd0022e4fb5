import {
  destinationsOfStanza,
  formatSplit,
  formatStanzaSplit,
  sharesOf,
} from './split';

const d = (subset: string, weight: number) => ({
  host: 'reviews',
  subset,
  weight,
});

describe('sharesOf', () => {
  it.each([
    [
      [d('v1', 50), d('v2', 50)],
      [50, 50],
    ],
    [
      [d('v1', 100), d('v2', 0)],
      [100, 0],
    ],
    // relative weights, as Istio reads them
    [
      [d('v1', 60), d('v2', 60)],
      [50, 50],
    ],
    [
      [d('v1', 1), d('v2', 1), d('v3', 1)],
      [34, 33, 33],
    ],
    [
      [d('v1', 0), d('v2', 0)],
      [0, 0],
    ],
  ])('%j → %j', (destinations, expected) => {
    expect(sharesOf(destinations).map(s => s.percent)).toEqual(expected);
  });

  it('names host-level destinations by host', () => {
    expect(sharesOf([{ host: 'reviews-canary', weight: 100 }])[0].key).toBe(
      'reviews-canary',
    );
  });
});

describe('formatSplit', () => {
  it.each([
    [[d('v1', 50), d('v2', 50)], 'v1 50% / v2 50%'],
    [[d('blue', 100), d('green', 0)], 'blue 100% / green 0%'],
    [[d('v1', 100)], 'v1 100%'],
    [[], 'no destination'],
  ])('%j reads %s', (destinations, expected) => {
    expect(formatSplit(destinations)).toBe(expected);
  });
});

describe('formatStanzaSplit', () => {
  const dest = (subset: string) => ({
    host: 'reviews',
    subset,
    port: { number: 9080 },
  });
  it.each([
    [
      {
        route: [
          { destination: dest('v1'), weight: 80 },
          { destination: dest('v2'), weight: 20 },
        ],
      },
      'v1 80% / v2 20%',
    ],
    // a lone destination without weight takes everything
    [{ route: [{ destination: dest('green') }] }, 'green 100%'],
    [{ match: [{}] }, 'no destination'],
    [undefined, 'none'],
  ])('%j reads %s', (stanza, expected) => {
    expect(formatStanzaSplit(stanza)).toBe(expected);
  });

  it('reads the port of each destination', () => {
    expect(
      destinationsOfStanza({ route: [{ destination: dest('v1') }] }),
    ).toEqual([{ host: 'reviews', subset: 'v1', port: 9080, weight: 100 }]);
  });
});
