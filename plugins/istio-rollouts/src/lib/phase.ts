import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { sharesOf } from './split';

/**
 * The candidate's share of traffic on the first route that gives it some, in
 * percent; undefined when it gets none.
 */
export function candidatePercent(rollout: Rollout): number | undefined {
  const candidate = rollout.candidateSubset;
  if (!candidate) return undefined;
  for (const route of rollout.routes) {
    const share = sharesOf(route.destinations).find(
      s => s.key === candidate && s.weight > 0,
    );
    if (share && route.destinations.length > 1) return share.percent;
  }
  return undefined;
}

/** The mirrored share of the first mirroring route, in percent. */
export function mirrorPercent(rollout: Rollout): number | undefined {
  for (const route of rollout.routes) {
    const mirror = route.mirror ?? route.mirrors?.[0];
    if (mirror) return mirror.percentage;
  }
  return undefined;
}

/** The phase in words: `stable`, `canary 30%`, `blue-green`, `mirroring 10%`. */
export function phaseLabel(rollout: Rollout): string {
  switch (rollout.phase) {
    case 'canary': {
      const percent = candidatePercent(rollout);
      return percent === undefined ? 'canary' : `canary ${percent}%`;
    }
    case 'mirroring': {
      const percent = mirrorPercent(rollout);
      return percent === undefined ? 'mirroring' : `mirroring ${percent}%`;
    }
    default:
      return rollout.phase;
  }
}

/** A longer explanation of the phase, for a tooltip. */
export function phaseDescription(rollout: Rollout): string {
  const { stableSubset: stable, candidateSubset: candidate } = rollout;
  switch (rollout.phase) {
    case 'canary':
      return `Canary: ${
        candidate ?? 'a new version'
      } takes a share of the traffic next to ${
        stable ?? 'the stable version'
      }.`;
    case 'blue-green':
      return `Blue/green: ${stable ?? 'one side'} is live, ${
        candidate ?? 'the other side'
      } is idle and ready to take over.`;
    case 'mirroring':
      return `Mirroring: requests to ${
        stable ?? 'the live version'
      } are copied to ${
        candidate ?? 'another version'
      }; its answers are discarded.`;
    default:
      return `Stable: all traffic goes to ${stable ?? 'one version'}${
        candidate ? `; ${candidate} is staged at 0%` : ''
      }.`;
  }
}
