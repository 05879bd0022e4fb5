import { applyObjectPatch } from './planAction';
import {
  destinationRule,
  inputOf,
  planOn,
  refusal,
  reviews,
  Scenario,
  virtualService,
} from './__testUtils__/scenarios';

const dest = (subset: string, weight?: number) => ({
  destination: { host: 'reviews', subset, port: { number: 9080 } },
  ...(weight === undefined ? {} : { weight }),
});

/** reviews with one route of the given destinations (and fields the plugin does not model). */
function reviewsWith(route: unknown[]): Scenario {
  return {
    ...reviews,
    virtualService: () =>
      virtualService('reviews', 'bookinfo', {
        hosts: ['reviews'],
        http: [{ name: 'reviews-route', route, timeout: '10s' }],
      }),
  };
}

const finish = {
  action: 'finish',
  route: { kind: 'http', index: 0 },
  resourceVersion: '101',
};

function routeAfter(scenario: Scenario) {
  const plan = planOn(scenario, finish);
  const vs = applyObjectPatch(
    inputOf(scenario).virtualService,
    plan.patches[0],
  );
  return { plan, route: (vs.spec as any).http[0] };
}

describe('planFinish', () => {
  it('removes the destination a promoted route moved on from, and nothing else', () => {
    const { plan, route } = routeAfter(
      reviewsWith([dest('v1', 0), dest('v2', 100)]),
    );
    expect(route).toEqual({
      name: 'reviews-route',
      route: [dest('v2', 100)],
      timeout: '10s',
    });
    expect(plan.summary).toBe(
      'http[0] reviews-route: finish — remove v1 (at 0); the route keeps v2 100',
    );
    expect(plan.patches).toHaveLength(1);
    expect(plan.patches[0].operations).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: '101' },
      {
        op: 'test',
        path: '/spec/http/0/route/0/destination',
        value: dest('v1').destination,
      },
      { op: 'test', path: '/spec/http/0/route/0/weight', value: 0 },
      { op: 'remove', path: '/spec/http/0/route/0' },
    ]);
  });

  it('keeps the newest destination staged at 0 % and removes older ones from the end first', () => {
    const { plan, route } = routeAfter(
      reviewsWith([
        dest('v0', 0),
        dest('v1', 100),
        dest('v2', 0),
        dest('v3', 0),
      ]),
    );
    expect(route.route).toEqual([dest('v1', 100), dest('v3', 0)]);
    const removals = plan.patches[0].operations.filter(o => o.op === 'remove');
    expect(removals.map(o => o.path)).toEqual([
      '/spec/http/0/route/2',
      '/spec/http/0/route/0',
    ]);
  });

  it('guards a destination without a weight by its identity only', () => {
    const { plan } = routeAfter(reviewsWith([dest('v1'), dest('v2', 100)]));
    expect(plan.patches[0].operations.filter(o => o.op === 'test')).toEqual([
      {
        op: 'test',
        path: '/spec/http/0/route/0/destination',
        value: dest('v1').destination,
      },
    ]);
  });

  it('never touches the DestinationRule: its subsets stay for a later rollback', () => {
    const { plan } = routeAfter(reviewsWith([dest('v1', 0), dest('v2', 100)]));
    expect(plan.patches.map(p => p.kind)).toEqual(['VirtualService']);
  });

  it.each([
    ['an active canary', [dest('v1', 50), dest('v2', 50)], 'v1 50, v2 50'],
    [
      'a version staged at 0 %',
      [dest('v1', 100), dest('v2', 0)],
      'v1 100, v2 0',
    ],
    ['a lone destination', [dest('v1')], 'v1 100'],
  ])('refuses %s: nothing is retired', (_, route, split) => {
    expect(refusal(() => planOn(reviewsWith(route), finish))).toEqual({
      field: 'route',
      reason: `http[0] reviews-route has no retired destination to remove (${split}): finish removes destinations at 0% that the route has moved on from`,
    });
  });

  it('refuses a route whose destinations cannot be told apart', () => {
    expect(
      refusal(() =>
        planOn(
          reviewsWith([dest('v1', 0), dest('v2', 50), dest('v2', 50)]),
          finish,
        ),
      ),
    ).toMatchObject({ field: 'route' });
  });

  it('works on the DestinationRule-less host level too', () => {
    const scenario: Scenario = {
      virtualService: () =>
        virtualService('web', 'shop', {
          hosts: ['web'],
          http: [
            {
              route: [
                { destination: { host: 'web-blue' }, weight: 0 },
                { destination: { host: 'web-green' }, weight: 100 },
              ],
            },
          ],
        }),
      destinationRules: () => [destinationRule('other', 'shop', 'other', [])],
      deployments: () => [],
    };
    const { route } = routeAfter(scenario);
    expect(route.route).toEqual([
      { destination: { host: 'web-green' }, weight: 100 },
    ]);
  });
});
