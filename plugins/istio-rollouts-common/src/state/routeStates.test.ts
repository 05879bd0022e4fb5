/**
 * The state model over the routes people really run: Istio's bookinfo samples (samples/bookinfo/networking),
 * the shapes the demo reaches after each action, and the edge cases of the order rule.
 */
import type { RouteDestination, RouteMirror } from '../api';
import { destinationRoles } from './destinationRoles';
import { phaseWords } from './phaseWords';
import { HeaderPairRole, readRoutePhase } from './routePhase';

const d = (subset: string, weight: number): RouteDestination => ({
  host: 'reviews',
  subset,
  weight,
});

function state(
  destinations: RouteDestination[],
  extra: { pair?: HeaderPairRole; mirrors?: RouteMirror[] } = {},
) {
  const reading = readRoutePhase(
    { destinations, mirrors: extra.mirrors },
    extra.pair,
  );
  return {
    phase: reading.phase,
    label: phaseWords(reading).label,
    stable: reading.stableSubset,
    candidate: reading.candidateSubset,
    retired: reading.roles.retired.map(r => r.key),
  };
}

describe('the state of a route', () => {
  it.each<[string, RouteDestination[], ReturnType<typeof state>]>([
    [
      'bookinfo virtual-service-all-v1: one destination',
      [d('v1', 100)],
      {
        phase: 'stable',
        label: 'stable',
        stable: 'v1',
        candidate: undefined,
        retired: [],
      },
    ],
    [
      'bookinfo virtual-service-reviews-90-10',
      [d('v1', 90), d('v2', 10)],
      {
        phase: 'canary',
        label: 'canary 10%',
        stable: 'v1',
        candidate: 'v2',
        retired: [],
      },
    ],
    [
      'bookinfo virtual-service-reviews-50-v3',
      [d('v1', 50), d('v3', 50)],
      {
        phase: 'canary',
        label: 'canary 50%',
        stable: 'v1',
        candidate: 'v3',
        retired: [],
      },
    ],
    [
      'bookinfo virtual-service-reviews-v2-v3 (50/50 v2-v3)',
      [d('v2', 50), d('v3', 50)],
      {
        phase: 'canary',
        label: 'canary 50%',
        stable: 'v2',
        candidate: 'v3',
        retired: [],
      },
    ],
    [
      'a canary nearly done: the newest takes most, the older one is still stable',
      [d('v1', 10), d('v2', 90)],
      {
        phase: 'canary',
        label: 'canary 90%',
        stable: 'v1',
        candidate: 'v2',
        retired: [],
      },
    ],
    [
      'after promote v2: v1 retired',
      [d('v1', 0), d('v2', 100)],
      {
        phase: 'promoted',
        label: 'promoted — v1 retired',
        stable: 'v2',
        candidate: undefined,
        retired: ['v1'],
      },
    ],
    [
      'after roll back to v1: v2 waits at 0 %',
      [d('v1', 100), d('v2', 0)],
      {
        phase: 'stable',
        label: 'stable — v2 at 0%',
        stable: 'v1',
        candidate: 'v2',
        retired: [],
      },
    ],
    [
      'roll back, then start canary v3: v3 staged, v2 retired',
      [d('v1', 100), d('v2', 0), d('v3', 0)],
      {
        phase: 'stable',
        label: 'stable — v3 at 0%',
        stable: 'v1',
        candidate: 'v3',
        retired: ['v2'],
      },
    ],
    [
      'promote v2, then start canary v3 without finishing: promoted, v3 staged',
      [d('v1', 0), d('v2', 100), d('v3', 0)],
      {
        phase: 'promoted',
        label: 'promoted — v1 retired',
        stable: 'v2',
        candidate: 'v3',
        retired: ['v1'],
      },
    ],
    [
      'a canary with the old version still listed',
      [d('v1', 0), d('v2', 90), d('v3', 10)],
      {
        phase: 'canary',
        label: 'canary 10%',
        stable: 'v2',
        candidate: 'v3',
        retired: ['v1'],
      },
    ],
    [
      'relative weights (Istio reads 3/1 as 75/25)',
      [d('v1', 3), d('v2', 1)],
      {
        phase: 'canary',
        label: 'canary 25%',
        stable: 'v1',
        candidate: 'v2',
        retired: [],
      },
    ],
    [
      'nothing takes traffic: no version to move on from',
      [d('v1', 0), d('v2', 0)],
      {
        phase: 'stable',
        label: 'stable',
        stable: undefined,
        candidate: undefined,
        retired: [],
      },
    ],
  ])('%s', (_, destinations, expected) => {
    expect(state(destinations)).toEqual(expected);
  });

  it('bookinfo virtual-service-reviews-jason-v2-v3: header route to v2, default v3, both blue-green (header)', () => {
    const pair = {
      live: 'v3',
      idle: 'v2',
      headerMatch: 'header end-user = jason',
    };
    expect(state([d('v2', 100)], { pair })).toEqual({
      phase: 'blue-green',
      label: 'blue-green (header)',
      stable: 'v3',
      candidate: 'v2',
      retired: [],
    });
    const reading = readRoutePhase({ destinations: [d('v3', 100)] }, pair);
    expect(phaseWords(reading).description).toBe(
      'Blue/green by header: v3 is live; requests matching header end-user = jason reach v2. Switch makes v2 live and keeps v3 reachable by the header.',
    );
  });

  it('bookinfo virtual-service-reviews-test-v2 without the pair rule: a lone destination is stable', () => {
    expect(state([d('v2', 100)]).label).toBe('stable');
  });

  it('mirroring: the mirror is the candidate, with its share', () => {
    expect(
      state([d('v1', 100)], {
        mirrors: [{ host: 'reviews', subset: 'v2', percentage: 5 }],
      }),
    ).toEqual({
      phase: 'mirroring',
      label: 'mirroring 5%',
      stable: 'v1',
      candidate: 'v2',
      retired: [],
    });
  });

  it('host-level splits have a phase and words, but no stable or candidate subset', () => {
    const reading = readRoutePhase({
      destinations: [
        { host: 'web-blue', weight: 0 },
        { host: 'web-green', weight: 100 },
      ],
    });
    expect(reading).toMatchObject({ phase: 'promoted', stable: 'web-green' });
    expect(reading.stableSubset).toBeUndefined();
    expect(phaseWords(reading).label).toBe('promoted — web-blue retired');
  });

  it('says what Finish would do in the description', () => {
    const reading = readRoutePhase({
      destinations: [d('v1', 0), d('v2', 100)],
    });
    expect(phaseWords(reading).description).toBe(
      "Promoted: v2 takes all of this route's requests. v1 is still listed at 0%: Finish removes it from the route (the DestinationRule keeps its subsets).",
    );
  });
});

describe('destinationRoles', () => {
  it('counts a destination listed twice once, at its first position', () => {
    expect(
      destinationRoles([
        { key: 'v1', weight: 0 },
        { key: 'v2', weight: 60 },
        { key: 'v1', weight: 0 },
        { key: 'v2', weight: 40 },
      ]),
    ).toEqual({
      live: [{ key: 'v2', weight: 100 }],
      retired: [{ key: 'v1', weight: 0 }],
    });
  });
});
