import type {
  HistoryEvent,
  Rollout,
} from '@internal/plugin-istio-rollouts-common';
import { setWeightsEvent } from '../../__fixtures__/actions';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { revertOffer } from './revertOffer';

/** demo-east's reviews: v1 50 / v2 50 at resourceVersion 28, the guest may do anything. */
const east = reviewsResponse.rollouts[0];
const allowed = () => undefined;

const stanza = (...weights: Array<[string, number]>) => ({
  name: 'reviews-route',
  route: weights.map(([subset, weight]) => ({
    destination: { host: 'reviews', subset, port: { number: 9080 } },
    weight,
  })),
});

const row = (overrides: Partial<HistoryEvent>): HistoryEvent => ({
  ...setWeightsEvent,
  createdAt: '2026-12-14T12:00:00.000Z',
  ...overrides,
});

describe('revertOffer', () => {
  it("asks for a setWeights to the row's split, on the version last read", () => {
    expect(revertOffer(row({}), [east], allowed)).toEqual({
      request: {
        action: 'setWeights',
        rolloutId: 'demo-east/bookinfo/reviews',
        resourceVersion: '28',
        route: { kind: 'http', index: 0 },
        weights: { v1: 80, v2: 20 },
      },
    });
  });

  it('reverts to an outside change too, in whole percent when its weights were relative', () => {
    const offer = revertOffer(
      row({
        action: 'outsideChange',
        after: stanza(['v2', 1], ['v1', 3]),
        outside: { resourceVersion: '44' },
      }),
      [east],
      allowed,
    );
    expect(offer?.request?.weights).toEqual({ v1: 75, v2: 25 });
  });

  it.each<[string, Partial<HistoryEvent>, Rollout[], RegExp]>([
    [
      'the change did not reach the cluster',
      { status: 'failed' },
      [east],
      /did not reach the cluster/,
    ],
    [
      'the VirtualService is gone',
      {},
      [],
      /bookinfo\/reviews is not in the last read of demo-east/,
    ],
    [
      'the route is gone',
      { route: { kind: 'http', index: 3 } },
      [east],
      /route is no longer in the VirtualService/,
    ],
    [
      'the route has other destinations now',
      { after: stanza(['v1', 80], ['v3', 20]) },
      [east],
      /destinations have changed since \(now v1, v2\): Revert to this restores weights, not destinations/,
    ],
    [
      'the route has the split now',
      { after: stanza(['v2', 50], ['v1', 50]) },
      [east],
      /has this split now \(v2 50% \/ v1 50%\)/,
    ],
  ])('is disabled, saying why, when %s', (_what, overrides, rollouts, why) => {
    const offer = revertOffer(row(overrides), rollouts, allowed);
    expect(offer?.request).toBeUndefined();
    expect(offer?.reason).toMatch(why);
  });

  it('is disabled with the reason the caller may not set weights', () => {
    const blocked = jest.fn(() => 'Only Team Bookinfo may change traffic.');
    expect(revertOffer(row({}), [east], blocked)).toEqual({
      reason: 'Only Team Bookinfo may change traffic.',
    });
    expect(blocked).toHaveBeenCalledWith(east);
  });

  it('offers nothing on a row without a split', () => {
    expect(revertOffer(row({ after: null }), [east], allowed)).toBeUndefined();
  });
});
