import { Rollout } from '@internal/plugin-istio-rollouts-common';
import {
  gorillaResponse,
  reviewsResponse,
  webServiceResponse,
} from '../__fixtures__/rollouts';
import { phaseDescription, phaseLabel } from './phase';

const [reviewsEast, reviewsWest] = reviewsResponse.rollouts;

describe('phaseLabel', () => {
  const mirroring: Rollout = {
    ...reviewsEast,
    phase: 'mirroring',
    candidateSubset: 'v3',
    routes: [
      {
        ...reviewsEast.routes[0],
        destinations: [{ host: 'reviews', subset: 'v1', weight: 100 }],
        mirror: { host: 'reviews', subset: 'v3', percentage: 10 },
      },
    ],
  };
  it.each([
    ['reviews east', reviewsEast, 'canary 50%'],
    ['reviews west', reviewsWest, 'canary 20%'],
    ['gorilla', gorillaResponse.rollouts[0], 'blue-green'],
    ['web-service', webServiceResponse.rollouts[0], 'blue-green'],
    ['mirroring', mirroring, 'mirroring 10%'],
    [
      'stable',
      { ...reviewsEast, phase: 'stable', candidateSubset: undefined },
      'stable',
    ],
  ] as const)('%s reads %s', (_, rollout, expected) => {
    expect(phaseLabel(rollout as Rollout)).toBe(expected);
  });
});

describe('phaseDescription', () => {
  it('names the stable and the candidate subset', () => {
    expect(phaseDescription(reviewsEast)).toBe(
      'Canary: v2 takes a share of the traffic next to v1.',
    );
    expect(phaseDescription(gorillaResponse.rollouts[0])).toBe(
      'Blue/green: blue is live, green is idle and ready to take over.',
    );
  });
});
