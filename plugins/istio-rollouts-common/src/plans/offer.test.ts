import type { Route, RoutePhase } from '../api';
import { stepPlanOffer } from './offer';

function route(
  phase: RoutePhase,
  weights: Record<string, number>,
  state: { stableSubset?: string; candidateSubset?: string },
  extra: Partial<Route> = {},
): Route {
  return {
    kind: 'http',
    index: 0,
    match: 'default',
    destinations: Object.entries(weights).map(([subset, weight]) => ({
      host: 'reviews',
      subset,
      weight,
    })),
    offers: {},
    state: {
      phase,
      label: phase,
      description: '',
      retired: [],
      next: [],
      ...state,
    },
    ...extra,
  };
}

describe('stepPlanOffer', () => {
  it('offers a canary, and a stable route with a staged subset, between their stable and candidate', () => {
    expect(
      stepPlanOffer(
        route(
          'canary',
          { v1: 50, v2: 50 },
          {
            stableSubset: 'v1',
            candidateSubset: 'v2',
          },
        ),
      ),
    ).toEqual({ stableSubset: 'v1', canarySubset: 'v2' });
    expect(
      stepPlanOffer(
        route(
          'stable',
          { v1: 100, v2: 0, v3: 0 },
          {
            stableSubset: 'v1',
            candidateSubset: 'v3',
          },
        ),
      ),
    ).toEqual({ stableSubset: 'v1', canarySubset: 'v3' });
  });

  it('offers none without a candidate, on header pairs, mirrors, tcp and delegates, or when a third destination has traffic', () => {
    const canary = { stableSubset: 'v1', candidateSubset: 'v2' };
    expect(
      stepPlanOffer(route('stable', { v1: 100 }, { stableSubset: 'v1' })),
    ).toBeUndefined();
    expect(
      stepPlanOffer(route('blue-green', { green: 100 }, canary)),
    ).toBeUndefined();
    expect(
      stepPlanOffer(route('mirroring', { v1: 100 }, canary)),
    ).toBeUndefined();
    expect(
      stepPlanOffer(
        route('canary', { v1: 50, v2: 50 }, canary, { kind: 'tcp' }),
      ),
    ).toBeUndefined();
    expect(
      stepPlanOffer(
        route('canary', { v1: 50, v2: 50 }, canary, {
          delegate: { name: 'reviews-delegate' },
        }),
      ),
    ).toBeUndefined();
    expect(
      stepPlanOffer(route('canary', { v1: 40, v2: 30, v3: 30 }, canary)),
    ).toBeUndefined();
  });
});
