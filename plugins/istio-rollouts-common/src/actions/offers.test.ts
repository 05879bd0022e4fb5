import type { RouteOffers } from '../api';
import {
  deployment,
  destinationRule,
  foobar,
  gorilla,
  inputOf,
  ratings,
  reviews,
  Scenario,
  virtualService,
  webService,
} from './__testUtils__/scenarios';
import { offeredActions, rollbackOfferOn, routeOffers } from './offers';
import { parseActionRequest } from './parseActionRequest';
import { planAction } from './planAction';
import type { ActionKubeObject } from './types';

const dest = (subset: string, weight?: number) => ({
  destination: { host: 'shop', subset, port: { number: 80 } },
  ...(weight === undefined ? {} : { weight }),
});
const header = (value: string) => [
  { headers: { 'x-deploy': { exact: value } } },
];
const shopRule = (...subsets: string[]) =>
  destinationRule(
    'shop',
    'default',
    'shop',
    subsets.map(name => ({ name, labels: { version: name } })),
  );

/** A `shop` VirtualService with the given http routes, its DestinationRule and Deployments. */
function shop(
  http: unknown[],
  options: { subsets?: string[]; versions?: string[] } = {},
): Scenario {
  return {
    virtualService: () => virtualService('shop', 'default', { http }),
    destinationRules: () => [shopRule(...(options.subsets ?? ['v1', 'v2']))],
    deployments: () =>
      (options.versions ?? []).map(version =>
        deployment(`shop-${version}`, 'default', { app: 'shop', version }),
      ),
  };
}

function offersOf(
  scenario: Scenario,
  read: { candidateSubset?: string; stableSubset?: string } = {},
): RouteOffers[] {
  const input = inputOf(scenario);
  const spec = input.virtualService.spec as Record<string, unknown[]>;
  const routes = (['http', 'tls', 'tcp'] as const).flatMap(kind =>
    (spec[kind] ?? []).map((_, index) => ({ kind, index })),
  );
  return routeOffers(
    input,
    routes.map(r => ({ ...r, ...read })),
  );
}

describe('routeOffers', () => {
  it.each<[string, Scenario, object, RouteOffers[]]>([
    [
      'reviews: a canary to weigh, promote, roll back, and v3 to start',
      reviews,
      { stableSubset: 'v1', candidateSubset: 'v2' },
      [
        {
          setWeights: { keys: ['v1', 'v2'] },
          promote: { subset: 'v2' },
          rollback: { subset: 'v1', source: 'readModel' },
          startCanary: { subsets: ['v3'] },
        },
      ],
    ],
    [
      'web-service: blue has everything, so no rollback; no subset left to start',
      webService,
      { stableSubset: 'blue', candidateSubset: 'green' },
      [
        {
          setWeights: { keys: ['blue', 'green'] },
          promote: { subset: 'green' },
          startCanary: { subsets: [] },
        },
      ],
    ],
    [
      'foobar: a host-level name for nothing, subsets on the revision label',
      foobar,
      { stableSubset: 'latest', candidateSubset: 'v2' },
      [
        {
          setWeights: { keys: ['latest', 'v2'] },
          promote: { subset: 'v2' },
          rollback: { subset: 'latest', source: 'readModel' },
          startCanary: { subsets: [] },
        },
      ],
    ],
    [
      'gorilla: the pair is switched through its default route',
      gorilla,
      { stableSubset: 'blue', candidateSubset: 'green' },
      [
        {},
        {
          // Either route of a blue/green pair is one side of it, not a place for a canary.
          switch: {
            headerRoute: 0,
            defaultRoute: 1,
            live: 'blue',
            idle: 'green',
          },
        },
      ],
    ],
    [
      'ratings: one destination, nothing to weigh or promote',
      ratings,
      { stableSubset: 'v1' },
      [{ startCanary: { subsets: [] } }],
    ],
  ])('%s', (_, scenario, read, expected) => {
    expect(offersOf(scenario, read)).toEqual(expected);
  });

  it('offers no switch for a header route [v2 100, v1 0]: a pair needs one destination per route', () => {
    const offers = offersOf(
      shop([
        { match: header('v2'), route: [dest('v2', 100), dest('v1', 0)] },
        { route: [dest('v1')] },
      ]),
    );
    expect(offers.map(o => o.switch)).toEqual([undefined, undefined]);
  });

  it('offers no switch when the header route reaches a subset no DestinationRule defines', () => {
    const offers = offersOf(
      shop(
        [{ match: header('v3'), route: [dest('v3')] }, { route: [dest('v1')] }],
        {
          subsets: ['v1'],
        },
      ),
    );
    expect(offers[1].switch).toBeUndefined();
  });

  it('offers the switch on each header route when several share the default route', () => {
    const offers = offersOf(
      shop(
        [
          { match: header('v2'), route: [dest('v2')] },
          { match: header('v3'), route: [dest('v3')] },
          { route: [dest('v1')] },
        ],
        { subsets: ['v1', 'v2', 'v3'] },
      ),
    );
    expect(offers.map(o => o.switch)).toEqual([
      { headerRoute: 0, defaultRoute: 2, live: 'v1', idle: 'v2' },
      { headerRoute: 1, defaultRoute: 2, live: 'v1', idle: 'v3' },
      undefined,
    ]);
  });

  it.each([
    ['the candidate, while it does not have everything', [50, 50], 'v2', 'v2'],
    [
      'nothing once the candidate has everything: v1 is retired, not a target',
      [0, 100],
      'v2',
      undefined,
    ],
    ['nothing without a candidate', [70, 30], undefined, undefined],
  ])('promotes %s', (_, [w1, w2], candidateSubset, expected) => {
    const [offers] = offersOf(
      shop([{ route: [dest('v1', w1), dest('v2', w2)] }]),
      {
        candidateSubset,
      },
    );
    expect(offers.promote?.subset).toEqual(expected);
  });

  it.each<[string, number[], string[] | undefined]>([
    ['a promoted route removes what it moved on from', [0, 100], ['v1']],
    ['a route with v3 staged after v1 keeps v3', [100, 0, 0], ['v2']],
    ['a canary with the old version at 0 removes it', [0, 90, 10], ['v1']],
    [
      'a stable route with one staged version removes nothing',
      [100, 0],
      undefined,
    ],
    ['an active canary removes nothing', [50, 50], undefined],
  ])('finish: %s', (_, weights, remove) => {
    const subsets = ['v1', 'v2', 'v3'].slice(0, weights.length);
    const [offers] = offersOf(
      shop([{ route: weights.map((w, i) => dest(subsets[i], w)) }], {
        subsets,
      }),
    );
    expect(offers.finish?.remove).toEqual(remove);
  });

  it('offers a canary a Deployment’s version label can add to the DestinationRule', () => {
    const [offers] = offersOf(
      shop([{ route: [dest('v1', 100)] }], {
        subsets: ['v1'],
        versions: ['v1', '2.0.0'],
      }),
    );
    expect(offers.startCanary).toEqual({ subsets: ['2-0-0'] });
  });

  it('offers nothing on a VirtualService the planners cannot work on', () => {
    const scenario = shop([{ route: [dest('v1', 50), dest('v2', 50)] }]);
    const input = inputOf(scenario);
    delete input.virtualService.metadata!.namespace;
    expect(routeOffers(input, [{ kind: 'http', index: 0 }])).toEqual([{}]);
  });

  it('only offers what the planner accepts and what changes something', () => {
    const promoted = shop([
      { route: [dest('v1', 0), dest('v2', 100), dest('v3', 0)] },
    ]);
    for (const scenario of [
      reviews,
      webService,
      foobar,
      gorilla,
      ratings,
      promoted,
    ]) {
      offersOf(scenario, { stableSubset: 'v1', candidateSubset: 'v2' }).forEach(
        (offers, index) => {
          const route = { kind: 'http' as const, index };
          const requests = [
            offers.promote && {
              action: 'promote',
              route,
              subset: offers.promote.subset,
            },
            offers.rollback && { action: 'rollback', route },
            offers.switch && { action: 'switch', route },
            offers.finish && { action: 'finish', route },
            ...(offers.startCanary?.subsets ?? []).map(subset => ({
              action: 'startCanary',
              route,
              subset,
            })),
          ].filter(Boolean);
          for (const request of requests) {
            const plan = planAction({
              ...inputOf(scenario),
              request: parseActionRequest({
                ...request,
                rolloutId: 'test/ns/vs',
                resourceVersion: '101',
              }),
              stableSubset: offers.rollback?.subset,
            });
            expect(plan.changed).toBe(true);
          }
        },
      );
    }
  });
});

describe('rollbackOfferOn', () => {
  const promoted = (): Scenario =>
    shop([{ route: [dest('v1', 0), dest('v2', 100)] }]);

  it('offers the rollback the history asks for', () => {
    expect(
      rollbackOfferOn(
        inputOf(promoted()),
        { kind: 'http', index: 0 },
        {
          subset: 'v1',
          source: 'history',
        },
      ),
    ).toEqual({ subset: 'v1', source: 'history' });
  });

  it('offers none to a subset that has everything, or that no DestinationRule defines', () => {
    const input = inputOf(promoted());
    const route = { kind: 'http' as const, index: 0 };
    expect(
      rollbackOfferOn(input, route, { subset: 'v2', source: 'history' }),
    ).toBeUndefined();
    const undefinedSubset: ActionKubeObject[] = [shopRule('v2')];
    expect(
      rollbackOfferOn({ ...input, destinationRules: undefinedSubset }, route, {
        subset: 'v1',
        source: 'history',
      }),
    ).toBeUndefined();
  });
});

describe('offeredActions', () => {
  it('lists the offered actions in the UI’s order, a canary only with a subset to add', () => {
    expect(
      offeredActions({
        startCanary: { subsets: ['v3'] },
        rollback: { subset: 'v1', source: 'readModel' },
        setWeights: { keys: ['v1', 'v2'] },
      }),
    ).toEqual(['setWeights', 'rollback', 'startCanary']);
    expect(offeredActions({ startCanary: { subsets: [] } })).toEqual([]);
  });
});
