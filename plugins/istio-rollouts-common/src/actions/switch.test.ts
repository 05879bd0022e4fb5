import { applyPatch } from 'fast-json-patch';
import {
  destinationRule,
  gorilla,
  planOn,
  refusal,
  reviews,
  virtualService,
  webService,
} from './__testUtils__/scenarios';
import type { ActionKubeObject } from './types';

const rv = { op: 'replace', path: '/metadata/resourceVersion', value: '101' };
const destination = (subset: string, port = 9090) => ({
  host: 'gorilla-sfx-demo',
  subset,
  port: { number: port },
});
const headerRoute = (
  name: string,
  header: string,
  value: string,
  subset: string,
  port = 9090,
) => ({
  name,
  match: [{ headers: { [header]: { exact: value } } }],
  route: [{ destination: destination(subset, port) }],
});
const defaultRoute = (subset = 'blue', port = 9090) => ({
  name: 'default',
  route: [{ destination: destination(subset, port) }],
});
const gorillaWith = (...http: object[]): ActionKubeObject =>
  virtualService('gorilla-sfx-demo', 'default', {
    hosts: ['gorilla-sfx-demo'],
    http,
  });

/**
 * The operations of the gorilla-sfx-demo switch: green-by-header → blue, x-deploy: green → blue, default → green,
 * and the header route renamed blue-by-header so its name stays true.
 */
const gorillaSwitch = [
  rv,
  {
    op: 'test',
    path: '/spec/http/0/route/0/destination',
    value: destination('green'),
  },
  {
    op: 'replace',
    path: '/spec/http/0/route/0/destination/subset',
    value: 'blue',
  },
  {
    op: 'test',
    path: '/spec/http/0/match/0/headers/x-deploy/exact',
    value: 'green',
  },
  {
    op: 'replace',
    path: '/spec/http/0/match/0/headers/x-deploy/exact',
    value: 'blue',
  },
  {
    op: 'test',
    path: '/spec/http/1/route/0/destination',
    value: destination('blue'),
  },
  {
    op: 'replace',
    path: '/spec/http/1/route/0/destination/subset',
    value: 'green',
  },
  { op: 'test', path: '/spec/http/0/name', value: 'green-by-header' },
  { op: 'replace', path: '/spec/http/0/name', value: 'blue-by-header' },
];

describe('switch', () => {
  it('makes green live and keeps blue reachable by x-deploy: blue (gorilla-sfx-demo)', () => {
    const plan = planOn(gorilla, { action: 'switch', resourceVersion: '101' });
    expect(plan.patches).toEqual([
      {
        kind: 'VirtualService',
        namespace: 'default',
        name: 'gorilla-sfx-demo',
        operations: gorillaSwitch,
      },
    ]);
    expect(plan.summary).toBe(
      'switch: http[1] default blue→green (live), http[0] green-by-header green→blue; header x-deploy: green→blue; ' +
        'route green-by-header renamed blue-by-header, since it now reaches blue',
    );
    expect(plan.route).toEqual({ kind: 'http', index: 1, name: 'default' });
    expect(plan.routeAfter).toEqual({
      name: 'default',
      route: [{ destination: destination('green') }],
    });
    expect(plan.routes.map(r => [r.index, r.after])).toEqual([
      [
        0,
        {
          name: 'blue-by-header',
          match: [{ headers: { 'x-deploy': { exact: 'blue' } } }],
          route: [{ destination: destination('blue') }],
        },
      ],
      [1, { name: 'default', route: [{ destination: destination('green') }] }],
    ]);
  });

  it.each([
    [{ kind: 'http', name: 'green-by-header' }, 0],
    [{ kind: 'http', index: 0 }, 0],
    [{ kind: 'http', name: 'default' }, 1],
  ])(
    'plans the same patch when the request names either route of the pair: %j',
    (route, index) => {
      const plan = planOn(gorilla, {
        action: 'switch',
        route,
        resourceVersion: '101',
      });
      expect(plan.patches[0].operations).toEqual(gorillaSwitch);
      expect(plan.route.index).toBe(index);
    },
  );

  it('switches back to where it started', () => {
    const start = gorilla.virtualService();
    const first = planOn(gorilla, { action: 'switch', resourceVersion: '101' });
    const switched = applyPatch(
      start,
      first.patches[0].operations,
      true,
      false,
    ).newDocument;
    const second = planOn(
      gorilla,
      { action: 'switch', resourceVersion: '101' },
      { virtualService: switched },
    );
    expect(second.summary).toBe(
      'switch: http[1] default green→blue (live), http[0] blue-by-header blue→green; header x-deploy: blue→green; ' +
        'route blue-by-header renamed green-by-header, since it now reaches green',
    );
    const back = applyPatch(
      switched,
      second.patches[0].operations,
      true,
      false,
    ).newDocument;
    expect(back).toEqual(start);
  });

  it('leaves a header value that does not name the idle subset, and says so', () => {
    const plan = planOn(
      gorilla,
      { action: 'switch', resourceVersion: '101' },
      {
        virtualService: gorillaWith(
          headerRoute('preview', 'x-deploy', 'canary', 'green'),
          defaultRoute(),
        ),
      },
    );
    expect(plan.patches[0].operations).toEqual([
      rv,
      {
        op: 'test',
        path: '/spec/http/0/route/0/destination',
        value: destination('green'),
      },
      {
        op: 'replace',
        path: '/spec/http/0/route/0/destination/subset',
        value: 'blue',
      },
      {
        op: 'test',
        path: '/spec/http/1/route/0/destination',
        value: destination('blue'),
      },
      {
        op: 'replace',
        path: '/spec/http/1/route/0/destination/subset',
        value: 'green',
      },
    ]);
    expect(plan.summary).toBe(
      'switch: http[1] default blue→green (live), http[0] preview green→blue; header x-deploy (exact "canary") kept: it does not name subset green, and now reaches blue',
    );
  });

  it('escapes header names in JSON Pointers', () => {
    const plan = planOn(
      gorilla,
      { action: 'switch', resourceVersion: '101' },
      {
        virtualService: gorillaWith(
          headerRoute('preview', 'x~deploy', 'green', 'green'),
          defaultRoute(),
        ),
      },
    );
    expect(plan.patches[0].operations).toContainEqual({
      op: 'replace',
      path: '/spec/http/0/match/0/headers/x~0deploy/exact',
      value: 'blue',
    });
  });

  it('swaps the ports too when the two sides listen on different ports', () => {
    const plan = planOn(
      gorilla,
      { action: 'switch', resourceVersion: '101' },
      {
        virtualService: gorillaWith(
          headerRoute('green-by-header', 'x-deploy', 'green', 'green', 9091),
          defaultRoute('blue', 9090),
        ),
      },
    );
    expect(plan.patches[0].operations).toEqual([
      rv,
      {
        op: 'test',
        path: '/spec/http/0/route/0/destination',
        value: destination('green', 9091),
      },
      {
        op: 'replace',
        path: '/spec/http/0/route/0/destination/subset',
        value: 'blue',
      },
      {
        op: 'replace',
        path: '/spec/http/0/route/0/destination/port',
        value: { number: 9090 },
      },
      {
        op: 'test',
        path: '/spec/http/0/match/0/headers/x-deploy/exact',
        value: 'green',
      },
      {
        op: 'replace',
        path: '/spec/http/0/match/0/headers/x-deploy/exact',
        value: 'blue',
      },
      {
        op: 'test',
        path: '/spec/http/1/route/0/destination',
        value: destination('blue', 9090),
      },
      {
        op: 'replace',
        path: '/spec/http/1/route/0/destination/subset',
        value: 'green',
      },
      {
        op: 'replace',
        path: '/spec/http/1/route/0/destination/port',
        value: { number: 9091 },
      },
      { op: 'test', path: '/spec/http/0/name', value: 'green-by-header' },
      { op: 'replace', path: '/spec/http/0/name', value: 'blue-by-header' },
    ]);
  });

  describe('with two header routes in front of one default route', () => {
    const twoPairs = gorillaWith(
      headerRoute('green-by-header', 'x-deploy', 'green', 'green'),
      headerRoute('testers', 'x-user', 'tester', 'green'),
      defaultRoute(),
    );

    it('switches the header route the request names', () => {
      const plan = planOn(
        gorilla,
        {
          action: 'switch',
          route: { kind: 'http', name: 'testers' },
          resourceVersion: '101',
        },
        {
          virtualService: twoPairs,
        },
      );
      expect(plan.patches[0].operations.map(o => o.path)).toEqual([
        '/metadata/resourceVersion',
        '/spec/http/1/route/0/destination',
        '/spec/http/1/route/0/destination/subset',
        '/spec/http/2/route/0/destination',
        '/spec/http/2/route/0/destination/subset',
      ]);
    });

    it.each([
      [
        undefined,
        'VirtualService "gorilla-sfx-demo" has 2 header route pairs (http[0] green-by-header → http[2] default, http[1] testers → http[2] default); name the header route to switch',
      ],
      [
        { kind: 'http', index: 2 },
        'http[2] default is the default route of 2 header route pairs (http[0] green-by-header → http[2] default, http[1] testers → http[2] default); name the header route to switch',
      ],
    ])('refuses to guess which one (route %j)', (route, reason) => {
      expect(
        refusal(() =>
          planOn(
            gorilla,
            { action: 'switch', route, resourceVersion: '101' },
            { virtualService: twoPairs },
          ),
        ),
      ).toEqual({ field: 'route', reason });
    });
  });

  describe('refuses a VirtualService without a header route pair', () => {
    const shape =
      'switch needs a blue/green header route pair: an http route that matches a header and sends all its traffic to one subset, followed by the default http route (no match) that sends all its traffic to another subset of the same host';

    it.each([
      ['a weight split (web-service)', webService.virtualService()],
      [
        'a header route after the default route (unreachable)',
        gorillaWith(
          defaultRoute(),
          headerRoute('late', 'x-deploy', 'green', 'green'),
        ),
      ],
      [
        'both routes to the same subset',
        gorillaWith(
          headerRoute('h', 'x-deploy', 'green', 'blue'),
          defaultRoute(),
        ),
      ],
      [
        'a match without headers',
        gorillaWith(
          {
            ...headerRoute('h', 'x', 'y', 'green'),
            match: [{ uri: { prefix: '/green' } }],
          },
          defaultRoute(),
        ),
      ],
      [
        'routes to different hosts',
        gorillaWith(
          {
            name: 'h',
            match: [{ headers: { 'x-deploy': { exact: 'green' } } }],
            route: [{ destination: { host: 'other', subset: 'green' } }],
          },
          defaultRoute(),
        ),
      ],
      [
        'a header route that splits by weight',
        gorillaWith(
          {
            name: 'h',
            match: [{ headers: { 'x-deploy': { exact: 'green' } } }],
            route: [
              { destination: destination('green'), weight: 50 },
              { destination: destination('blue'), weight: 50 },
            ],
          },
          defaultRoute(),
        ),
      ],
    ])('%s, on the field action', (_, vs) => {
      expect(
        refusal(() =>
          planOn(
            gorilla,
            { action: 'switch', resourceVersion: '101' },
            { virtualService: vs },
          ),
        ),
      ).toEqual({
        field: 'action',
        reason: `VirtualService "${vs.metadata?.name}" has no header route pair; ${shape}`,
      });
    });

    it('on the field route when the request names a route outside any pair', () => {
      expect(
        refusal(() =>
          planOn(reviews, {
            action: 'switch',
            route: { kind: 'http', index: 0 },
            resourceVersion: '101',
          }),
        ),
      ).toEqual({
        field: 'route',
        reason: `http[0] reviews-route is not part of a header route pair; ${shape}`,
      });
    });

    it('on the field route.kind for a tcp route', () => {
      const vs = virtualService('db', 'default', {
        tcp: [{ route: [{ destination: { host: 'db' } }] }],
      });
      expect(
        refusal(() =>
          planOn(
            gorilla,
            {
              action: 'switch',
              route: { kind: 'tcp', index: 0 },
              resourceVersion: '101',
            },
            { virtualService: vs },
          ),
        ),
      ).toEqual({
        field: 'route.kind',
        reason:
          'switch works on http routes, which are the only ones that match headers',
      });
    });
  });

  it('refuses a pair whose subset the DestinationRule does not define', () => {
    const blueOnly = [
      destinationRule('gorilla-sfx-demo', 'default', 'gorilla-sfx-demo', [
        { name: 'blue', labels: { version: 'blue' } },
      ]),
    ];
    expect(
      refusal(() =>
        planOn(
          gorilla,
          { action: 'switch', resourceVersion: '101' },
          { destinationRules: blueOnly },
        ),
      ),
    ).toEqual({
      field: 'route',
      reason:
        'subset "green" is not defined in DestinationRule "gorilla-sfx-demo"',
    });
  });
});
