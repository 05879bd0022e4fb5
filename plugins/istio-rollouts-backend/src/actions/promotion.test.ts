import { promotedSubset, soleLiveDestination } from './promotion';

const split = (...weights: Array<[string, number | undefined]>) => ({
  route: weights.map(([subset, weight]) => ({
    destination: { host: 'reviews', subset },
    ...(weight !== undefined && { weight }),
  })),
});

describe('soleLiveDestination', () => {
  it.each([
    ['one destination without weight', split(['v1', undefined]), 'v1'],
    ['100 / 0', split(['v1', 100], ['v2', 0]), 'v1'],
    ['0 / 100', split(['v1', 0], ['v2', 100]), 'v2'],
    ['a split', split(['v1', 90], ['v2', 10]), undefined],
    ['no route', {}, undefined],
  ])('%s', (_, stanza, subset) => {
    expect(soleLiveDestination(stanza)).toBe(subset);
  });

  it('names a host-level destination by its host', () => {
    expect(
      soleLiveDestination({
        route: [{ destination: { host: 'reviews-v2' }, weight: 100 }],
      }),
    ).toBe('reviews-v2');
  });
});

describe('promotedSubset', () => {
  it('calls setWeights {v1: 0, v2: 100} on a 50/50 canary a promotion of v2', () => {
    expect(
      promotedSubset(
        {
          before: split(['v1', 50], ['v2', 50]),
          after: split(['v1', 0], ['v2', 100]),
        },
        'v1',
      ),
    ).toBe('v2');
  });

  it('does not call sending everything back to the stable subset a promotion', () => {
    expect(
      promotedSubset(
        {
          before: split(['v1', 50], ['v2', 50]),
          after: split(['v1', 100], ['v2', 0]),
        },
        'v1',
      ),
    ).toBeUndefined();
  });

  it('does not call a split a promotion', () => {
    expect(
      promotedSubset(
        {
          before: split(['v1', 90], ['v2', 10]),
          after: split(['v1', 10], ['v2', 90]),
        },
        'v1',
      ),
    ).toBeUndefined();
  });

  it('does not call staging a subset at 0 % beside a promoted one a promotion', () => {
    expect(
      promotedSubset(
        {
          before: split(['v1', 0], ['v2', 100]),
          after: split(['v1', 0], ['v2', 100], ['v3', 0]),
        },
        'v1',
      ),
    ).toBeUndefined();
  });

  it('fails closed without a stable subset: all traffic to one subset is a promotion', () => {
    expect(
      promotedSubset(
        {
          before: split(['v1', 50], ['v2', 50]),
          after: split(['v1', 100], ['v2', 0]),
        },
        undefined,
      ),
    ).toBe('v1');
  });
});
