import { InputError } from '@backstage/errors';
import { applyPatch, compare, Operation } from 'fast-json-patch';
import { ActionValidationError } from './ActionValidationError';
import {
  destinationRule,
  gorilla,
  planOn,
  refusal,
  reviews,
  virtualService,
} from './__testUtils__/scenarios';
import { parseActionRequest } from './parseActionRequest';
import { applyObjectPatch, planAction } from './planAction';
import type { ActionKubeObject, ActionPlan } from './types';

/**
 * A VirtualService full of fields the planner does not model: http[0] a header route to green, http[1] a weighted
 * route blue 80 / green 20, http[2] the default route to blue, plus tls and tcp routes and unknown fields.
 */
function busyVirtualService(): ActionKubeObject {
  const dest = (subset: string) => ({
    host: 'shop',
    subset,
    port: { number: 8080 },
  });
  const vs = virtualService('shop', 'default', {
    hosts: ['shop', 'shop.example.com'],
    gateways: ['mesh', 'istio-system/public'],
    exportTo: ['.'],
    'x-team/notes~v1': { owner: 'team-shop' },
    http: [
      {
        name: 'green-by-header',
        match: [
          {
            headers: {
              'x-deploy': { exact: 'green' },
              'user-agent': { regex: '.*Mobile.*' },
            },
            uri: { prefix: '/' },
            queryParams: { debug: { exact: '1' } },
          },
        ],
        route: [
          {
            destination: dest('green'),
            headers: { request: { set: { 'x/routed~by': 'header' } } },
          },
        ],
        retries: { attempts: 2, perTryTimeout: '1s' },
        fault: { delay: { percentage: { value: 0.1 }, fixedDelay: '5s' } },
      },
      {
        name: 'api',
        match: [{ uri: { prefix: '/api' } }],
        rewrite: { uri: '/' },
        route: [
          {
            destination: dest('blue'),
            weight: 80,
            headers: { response: { remove: ['x-internal'] } },
          },
          { destination: dest('green'), weight: 20 },
        ],
        timeout: '3s',
        retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx' },
        corsPolicy: {
          allowOrigins: [{ exact: 'https://shop.example.com' }],
          allowMethods: ['GET'],
        },
        mirror: { host: 'shop-shadow' },
        mirrorPercentage: { value: 5 },
        headers: { request: { add: { 'x-api': 'true' } } },
        futureField: { anything: [1, 2, 3] },
      },
      {
        name: 'default',
        route: [{ destination: dest('blue') }],
        timeout: '10s',
      },
    ],
    tls: [
      {
        match: [{ sniHosts: ['shop.example.com'], port: 443 }],
        route: [{ destination: { host: 'shop', port: { number: 8443 } } }],
      },
    ],
    tcp: [
      {
        match: [{ port: 9000 }],
        route: [{ destination: { host: 'shop', port: { number: 9000 } } }],
        unknown: true,
      },
    ],
  });
  vs.metadata!.labels = { 'app.kubernetes.io/name': 'shop' };
  (vs as Record<string, unknown>).status = { validationMessages: [] };
  return vs;
}

const shopRules = () => [
  destinationRule('shop', 'default', 'shop', [
    { name: 'blue', labels: { version: 'blue' } },
    { name: 'green', labels: { version: 'green' } },
    { name: 'teal', labels: { version: 'teal' } },
  ]),
];

function planOnBusy(request: object): {
  plan: ActionPlan;
  before: ActionKubeObject;
  after: ActionKubeObject;
} {
  const before = busyVirtualService();
  const { stableSubset, ...body } = request as { stableSubset?: string };
  const plan = planAction({
    virtualService: busyVirtualService(),
    destinationRules: shopRules(),
    deployments: [],
    request: parseActionRequest({
      rolloutId: 'test/default/shop',
      resourceVersion: '101',
      ...body,
    }),
    stableSubset,
  });
  const vsPatch = plan.patches.find(p => p.kind === 'VirtualService')!;
  const after = applyPatch(
    busyVirtualService(),
    vsPatch.operations,
    true,
    false,
  ).newDocument;
  return { plan, before, after };
}

const byPath = <T extends { path: string }>(ops: T[]) =>
  [...ops].sort((a, b) => a.path.localeCompare(b.path));

describe('planAction', () => {
  describe('changes nothing but the paths the action is about', () => {
    it.each([
      [
        'setWeights',
        {
          action: 'setWeights',
          route: { kind: 'http', name: 'api' },
          weights: { blue: 50, green: 50 },
        },
        [
          { op: 'replace', path: '/spec/http/1/route/0/weight', value: 50 },
          { op: 'replace', path: '/spec/http/1/route/1/weight', value: 50 },
        ],
      ],
      [
        'promote',
        {
          action: 'promote',
          route: { kind: 'http', index: 1 },
          subset: 'green',
        },
        [
          { op: 'replace', path: '/spec/http/1/route/0/weight', value: 0 },
          { op: 'replace', path: '/spec/http/1/route/1/weight', value: 100 },
        ],
      ],
      [
        'rollback',
        {
          action: 'rollback',
          route: { kind: 'http', index: 1 },
          stableSubset: 'blue',
        },
        [
          { op: 'replace', path: '/spec/http/1/route/0/weight', value: 100 },
          { op: 'replace', path: '/spec/http/1/route/1/weight', value: 0 },
        ],
      ],
      [
        'switch',
        { action: 'switch' },
        [
          {
            op: 'replace',
            path: '/spec/http/0/match/0/headers/x-deploy/exact',
            value: 'blue',
          },
          // The header route was named after green, which it no longer reaches.
          { op: 'replace', path: '/spec/http/0/name', value: 'blue-by-header' },
          {
            op: 'replace',
            path: '/spec/http/0/route/0/destination/subset',
            value: 'blue',
          },
          {
            op: 'replace',
            path: '/spec/http/2/route/0/destination/subset',
            value: 'green',
          },
        ],
      ],
      [
        'startCanary on a split',
        {
          action: 'startCanary',
          route: { kind: 'http', index: 1 },
          subset: 'teal',
        },
        [
          {
            op: 'add',
            path: '/spec/http/1/route/2',
            value: {
              destination: {
                host: 'shop',
                subset: 'teal',
                port: { number: 8080 },
              },
              weight: 0,
            },
          },
        ],
      ],
      [
        'startCanary on a lone destination',
        {
          action: 'startCanary',
          route: { kind: 'http', name: 'default' },
          subset: 'teal',
        },
        [
          { op: 'add', path: '/spec/http/2/route/0/weight', value: 100 },
          {
            op: 'add',
            path: '/spec/http/2/route/1',
            value: {
              destination: {
                host: 'shop',
                subset: 'teal',
                port: { number: 8080 },
              },
              weight: 0,
            },
          },
        ],
      ],
    ])('%s', (_, request, changes) => {
      const { plan, before, after } = planOnBusy(request);
      // The object differs from the one loaded exactly at these paths…
      expect(byPath(compare(before, after))).toEqual(changes);
      // …and the patch writes nothing else, not even an identical copy of a bigger part.
      const writes = plan.patches[0].operations
        .filter(o => o.op !== 'test')
        .slice(1);
      const shape = (ops: Operation[]) =>
        byPath(
          ops.map(o => ({
            op: o.op,
            path: o.path.replace(/\/route\/\d+$/, '/route/-'),
          })),
        );
      expect(shape(writes)).toEqual(shape(changes as Operation[]));
    });
  });

  it('leaves its inputs as they were', () => {
    const input = {
      virtualService: busyVirtualService(),
      destinationRules: shopRules(),
      deployments: [],
    };
    planAction({
      ...input,
      request: {
        action: 'switch',
        rolloutId: 'test/default/shop',
        resourceVersion: '101',
      },
    });
    planAction({
      ...input,
      request: {
        action: 'startCanary',
        rolloutId: 'test/default/shop',
        route: { kind: 'http', index: 2 },
        subset: 'teal',
        resourceVersion: '101',
      },
    });
    expect(input.virtualService).toEqual(busyVirtualService());
    expect(input.destinationRules).toEqual(shopRules());
  });

  describe('guards', () => {
    const plan = planOn(reviews, {
      action: 'setWeights',
      route: { kind: 'http', index: 0 },
      weights: { v1: 90, v2: 10 },
      resourceVersion: '101',
    });
    const apply = (vs: ActionKubeObject) => () =>
      applyPatch(vs, plan.patches[0].operations, true, false);
    const reordered = () => {
      const vs = reviews.virtualService();
      (
        vs.spec as { http: Array<{ route: unknown[] }> }
      ).http[0].route.reverse();
      return vs;
    };
    const reweighted = () => {
      const vs = reviews.virtualService();
      (
        vs.spec as { http: Array<{ route: Array<{ weight: number }> }> }
      ).http[0].route[1].weight = 30;
      return vs;
    };

    it('start with the resourceVersion the user loaded', () => {
      expect(plan.patches[0].operations[0]).toEqual({
        op: 'replace',
        path: '/metadata/resourceVersion',
        value: '101',
      });
    });

    it('apply to the object the user loaded', () => {
      expect(apply(reviews.virtualService())).not.toThrow();
    });

    it.each([
      ['a route whose destinations were reordered', reordered],
      ['a weight that changed since', reweighted],
    ])('fail on %s', (_, changed) => {
      expect(apply(changed())).toThrow(
        expect.objectContaining({ name: 'TEST_OPERATION_FAILED' }),
      );
    });
  });

  describe('refuses a malformed request', () => {
    it.each([
      [
        undefined,
        'action',
        'must be one of setWeights, promote, rollback, switch, startCanary, finish, got nothing',
      ],
      [
        { action: 'delete', resourceVersion: '1' },
        'action',
        'must be one of setWeights, promote, rollback, switch, startCanary, finish, got "delete"',
      ],
      [
        { action: 'switch' },
        'resourceVersion',
        'must be the resourceVersion of the VirtualService you loaded',
      ],
      [
        { action: 'switch', resourceVersion: '' },
        'resourceVersion',
        'must be the resourceVersion of the VirtualService you loaded',
      ],
      [
        { action: 'switch', resourceVersion: 101 },
        'resourceVersion',
        'must be the resourceVersion of the VirtualService you loaded',
      ],
      [
        { action: 'promote', subset: 'v2', resourceVersion: '1' },
        'route',
        'must be { kind, index } or { kind, name }',
      ],
    ])('%j', (request, field, reason) => {
      expect(refusal(() => planOn(gorilla, request))).toEqual({
        field,
        reason,
      });
    });
  });

  it('throws validation errors as InputError, which Backstage answers with 400', () => {
    let error: unknown;
    try {
      planOn(reviews, {
        action: 'setWeights',
        route: { kind: 'http', index: 0 },
        weights: { v1: 50, v2: 50, v4: 0 },
        resourceVersion: '1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionValidationError);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      name: 'InputError',
      field: 'weights.v4',
      reason: 'not a destination of route http[0] reviews-route',
      message: 'weights.v4: not a destination of route http[0] reviews-route',
    });
  });

  it('needs a VirtualService as the API server returns it', () => {
    const vs = reviews.virtualService();
    delete vs.metadata!.namespace;
    expect(() =>
      planOn(
        reviews,
        { action: 'switch', resourceVersion: '1' },
        { virtualService: vs },
      ),
    ).toThrow(
      'planning needs a VirtualService with metadata.name and metadata.namespace',
    );
  });
});

describe('applyObjectPatch', () => {
  const object = {
    metadata: { name: 'reviews', resourceVersion: '7' },
    spec: { subsets: [{ name: 'v1' }] },
  };

  it('answers a patched copy and leaves the object as it was', () => {
    const patched = applyObjectPatch(object, {
      operations: [
        { op: 'test', path: '/spec/subsets/0/name', value: 'v1' },
        { op: 'add', path: '/spec/subsets/-', value: { name: 'v4' } },
      ],
    });
    expect(patched.spec).toEqual({ subsets: [{ name: 'v1' }, { name: 'v4' }] });
    expect(object.spec).toEqual({ subsets: [{ name: 'v1' }] });
  });

  it('throws when a test does not hold', () => {
    expect(() =>
      applyObjectPatch(object, {
        operations: [{ op: 'test', path: '/spec/subsets/0/name', value: 'v2' }],
      }),
    ).toThrow();
  });
});
