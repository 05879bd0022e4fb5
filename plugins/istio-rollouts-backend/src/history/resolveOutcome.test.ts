import { KubeObject } from '@internal/plugin-istio-rollouts-common';
import {
  PlannedChange,
  RESOLVE_GRACE_MS,
  resolveOutcome,
} from './resolveOutcome';

const now = new Date('2026-12-07T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const young = ago(5_000);
const old = ago(RESOLVE_GRACE_MS + 1_000);

/** The raw route as the cluster holds it: with a header match and retries the history never keeps. */
const raw = (v1: number, v2: number) => ({
  name: 'reviews-route',
  match: [{ headers: { 'x-user': { exact: 'alice' } } }],
  retries: { attempts: 3 },
  route: [
    { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
    { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
  ],
});
/** The same route as the history stored it. */
const stored = (v1: number, v2: number) => ({
  name: 'reviews-route',
  route: raw(v1, v2).route,
});

const vs = (resourceVersion: string, ...http: unknown[]): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookinfo', resourceVersion },
  spec: { hosts: ['reviews'], http },
});

const setWeights = (overrides: Partial<PlannedChange> = {}): PlannedChange => ({
  route: { kind: 'http', index: 0 },
  after: stored(90, 10),
  resourceVersion: '28',
  createdAt: young,
  ...overrides,
});

const switchGreen: PlannedChange = {
  route: { kind: 'http', index: 0 },
  after: {
    name: 'by-header',
    route: [{ destination: { host: 'web', subset: 'blue' } }],
  },
  routes: [
    {
      kind: 'http',
      index: 0,
      after: {
        name: 'by-header',
        route: [{ destination: { host: 'web', subset: 'blue' } }],
      },
    },
    {
      kind: 'http',
      index: 1,
      after: { route: [{ destination: { host: 'web', subset: 'green' } }] },
    },
  ],
  resourceVersion: '28',
  createdAt: old,
};
const webRoute = (name: string | undefined, subset: string) => ({
  ...(name && { name }),
  match: name ? [{ headers: { 'x-deploy': { exact: 'green' } } }] : undefined,
  route: [{ destination: { host: 'web', subset } }],
});

describe('resolveOutcome', () => {
  it.each<[string, PlannedChange, KubeObject | undefined, string]>([
    [
      'a change whose PATCH landed before the backend crashed resolves as applied',
      setWeights(),
      vs('29', raw(90, 10)),
      'applied',
    ],
    [
      'a change that landed long ago, and whose route still reads as planned, resolves as applied',
      setWeights({ createdAt: old }),
      vs('35', raw(90, 10)),
      'applied',
    ],
    [
      'a change whose PATCH never left resolves as not applied once it is older than the grace period',
      setWeights({ createdAt: old }),
      vs('28', raw(50, 50)),
      'not-applied',
    ],
    [
      'a young change on an unchanged VirtualService stays undetermined: its PATCH may still be in flight on another replica',
      setWeights(),
      vs('28', raw(50, 50)),
      'undetermined',
    ],
    [
      'a change the VirtualService moved on from, to another split, stays undetermined: someone may have changed it since',
      setWeights({ createdAt: old }),
      vs('30', raw(70, 30)),
      'undetermined',
    ],
    [
      'a change to a route that no longer exists stays undetermined',
      setWeights({ route: { kind: 'http', index: 3 }, createdAt: old }),
      vs('30', raw(90, 10)),
      'undetermined',
    ],
    [
      'a change to a deleted VirtualService stays undetermined',
      setWeights({ createdAt: old }),
      undefined,
      'undetermined',
    ],
    [
      'a change recorded without the version it was planned on stays undetermined',
      setWeights({ resourceVersion: undefined, createdAt: old }),
      vs('29', raw(90, 10)),
      'undetermined',
    ],
    [
      'a change with an unreadable time is never old enough to be called not applied',
      setWeights({ createdAt: 'yesterday-ish' }),
      vs('28', raw(50, 50)),
      'undetermined',
    ],
    [
      'a change overtaken by an applied change planned on the same version resolves as not applied, however young',
      setWeights({ laterAppliedOnSameVersion: true }),
      vs('29', raw(90, 10)),
      'not-applied',
    ],
    [
      'a switch resolves as applied when both of its routes read as planned',
      switchGreen,
      vs('29', webRoute('by-header', 'blue'), webRoute(undefined, 'green')),
      'applied',
    ],
    [
      'a switch of which only one route reads as planned stays undetermined',
      switchGreen,
      vs('29', webRoute('by-header', 'blue'), webRoute(undefined, 'blue')),
      'undetermined',
    ],
  ])('%s', (_, change, virtualService, expected) => {
    expect(resolveOutcome({ change, virtualService, now })).toBe(expected);
  });

  it('compares only what the history keeps: a change of header values or retries alone does not count', () => {
    const cluster = vs('29', {
      ...raw(90, 10),
      match: [{ headers: { 'x-user': { exact: 'bob' } } }],
      retries: { attempts: 5 },
    });
    expect(
      resolveOutcome({ change: setWeights(), virtualService: cluster, now }),
    ).toBe('applied');
  });

  it('takes the grace period it is given', () => {
    const change = setWeights({ createdAt: ago(10_000) });
    const virtualService = vs('28', raw(50, 50));
    expect(
      resolveOutcome({ change, virtualService, now, graceMs: 5_000 }),
    ).toBe('not-applied');
    expect(
      resolveOutcome({ change, virtualService, now, graceMs: 60_000 }),
    ).toBe('undetermined');
  });
});
