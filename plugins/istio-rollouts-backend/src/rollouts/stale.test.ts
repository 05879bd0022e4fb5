import type { RolloutReadModel } from '@internal/plugin-istio-rollouts-common';
import type { ClusterErrorReason } from '../kubernetes';
import { isNotAnswering, markStale, staleLock } from './stale';

const rollout = {
  id: 'demo-west/bookinfo/reviews',
  cluster: 'demo-west',
  name: 'reviews',
} as RolloutReadModel;

describe('isNotAnswering', () => {
  it.each<[ClusterErrorReason, boolean]>([
    ['Timeout', true],
    ['Unreachable', true],
    ['ServerError', true],
    ['InvalidResponse', true],
    // The cluster answered and said no, or no longer has Istio: what it showed before is not shown.
    ['Unauthorized', false],
    ['Forbidden', false],
    ['MissingCredentials', false],
    ['IstioNotInstalled', false],
    ['Unknown', false],
  ])('%s → %s', (reason, expected) => {
    expect(isNotAnswering(reason)).toBe(expected);
  });
});

describe('markStale', () => {
  it('marks each rollout with when it was last read and why the cluster is silent, without changing the remembered ones', () => {
    const remembered = [rollout];
    const lastSeen = Date.parse('2026-12-01T10:00:00.000Z');
    const marked = markStale(remembered, lastSeen, 'Timeout');
    expect(marked).toEqual([
      {
        ...rollout,
        stale: { lastSeen: '2026-12-01T10:00:00.000Z', reason: 'Timeout' },
      },
    ]);
    expect(remembered[0]).not.toHaveProperty('stale');
  });
});

describe('staleLock', () => {
  it('makes the rollout read-only, naming the cluster, and offers no action', () => {
    expect(staleLock(rollout)).toEqual({
      readOnly: {
        reason: 'ClusterUnavailable',
        message: expect.stringMatching(/^Cluster demo-west is not answering/),
      },
      allowedActions: [],
    });
  });
});
