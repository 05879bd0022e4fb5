import { refusal } from './__testUtils__/scenarios';
import { parseActionRequest, parseRouteRef } from './parseActionRequest';

const base = { rolloutId: 'demo-east/bookinfo/reviews', resourceVersion: '7' };
const http0 = { kind: 'http', index: 0 };

describe('parseActionRequest', () => {
  it.each([
    [
      'setWeights',
      { action: 'setWeights', route: http0, weights: { v1: 90, v2: 10 } },
    ],
    ['promote', { action: 'promote', route: http0, subset: 'v2' }],
    ['rollback', { action: 'rollback', route: http0 }],
    ['switch without a route', { action: 'switch' }],
    [
      'switch of a route named',
      { action: 'switch', route: { kind: 'http', name: 'default' } },
    ],
    ['startCanary', { action: 'startCanary', route: http0, subset: 'v3' }],
    [
      'a dry run with a reason',
      {
        action: 'rollback',
        route: { kind: 'tcp', index: 1, name: 'db' },
        reason: 'errors',
        dryRun: true,
      },
    ],
  ])('reads %s', (_, body) => {
    expect(parseActionRequest({ ...base, ...body })).toEqual({
      ...base,
      ...body,
    });
  });

  it('drops the fields the action does not use', () => {
    expect(
      parseActionRequest({
        ...base,
        action: 'rollback',
        route: http0,
        subset: 'v1',
        weights: { v1: 100 },
        stableSubset: 'v9',
      }),
    ).toEqual({ ...base, action: 'rollback', route: http0 });
  });

  it.each([
    [
      undefined,
      'action',
      'must be one of setWeights, promote, rollback, switch, startCanary, finish, got nothing',
    ],
    [
      { ...base, action: 'delete' },
      'action',
      'must be one of setWeights, promote, rollback, switch, startCanary, finish, got "delete"',
    ],
    [
      { action: 'switch', resourceVersion: '7' },
      'rolloutId',
      'must be the id of a rollout, <cluster>/<namespace>/<name>, got nothing',
    ],
    [
      { ...base, action: 'switch', resourceVersion: 7 },
      'resourceVersion',
      'must be the resourceVersion of the VirtualService you loaded',
    ],
    [
      { ...base, action: 'promote', subset: 'v2' },
      'route',
      'must be { kind, index } or { kind, name }',
    ],
    [
      { ...base, action: 'promote', route: http0, subset: '' },
      'subset',
      'must name a subset, got ""',
    ],
    [
      { ...base, action: 'setWeights', route: http0, weights: [90, 10] },
      'weights',
      'must map every destination of the route to a weight, got [90,10]',
    ],
    [
      { ...base, action: 'setWeights', route: http0, weights: { v1: '90' } },
      'weights.v1',
      'must be an integer from 0 to 100, got "90"',
    ],
    [
      { ...base, action: 'switch', reason: 42 },
      'reason',
      'must be text, got 42',
    ],
    [
      { ...base, action: 'switch', dryRun: 'yes' },
      'dryRun',
      'must be true or false, got "yes"',
    ],
  ])('refuses %j', (body, field, reason) => {
    expect(refusal(() => parseActionRequest(body))).toEqual({ field, reason });
  });
});

describe('parseRouteRef', () => {
  it.each([
    [{ kind: 'http', index: 0 }],
    [{ kind: 'tls', name: 'sni' }],
    [{ kind: 'tcp', index: 2, name: 'db' }],
  ])('reads %j', ref => {
    expect(parseRouteRef({ ...ref, extra: true })).toEqual(ref);
  });

  it.each([
    [undefined, 'route', 'must be { kind, index } or { kind, name }'],
    [{ kind: 'http' }, 'route', 'must be { kind, index } or { kind, name }'],
    [
      { kind: 'grpc', index: 0 },
      'route.kind',
      'must be one of http, tls, tcp, got "grpc"',
    ],
    [
      { kind: 'http', index: -1 },
      'route.index',
      'must be a non-negative integer, got -1',
    ],
    [
      { kind: 'http', name: '' },
      'route.name',
      'must be a route\'s name, got ""',
    ],
  ])('refuses %j', (ref, field, reason) => {
    expect(refusal(() => parseRouteRef(ref))).toEqual({ field, reason });
  });
});
