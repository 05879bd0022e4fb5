/** A route's phase in words: the chip's label and the sentence behind it, written once for every client. */
import type { PhaseState } from '../api';
import type { RoutePhaseReading } from './routePhase';
import { listWords } from '../listWords';

function retiredSentence(retired: string[]): string {
  if (retired.length === 0) return '';
  const verb = retired.length === 1 ? 'is' : 'are';
  return ` ${listWords(retired)} ${verb} still listed at 0%: Finish removes ${
    retired.length === 1 ? 'it' : 'them'
  } from the route (the DestinationRule keeps its subsets).`;
}

/** The label and description of a route's phase. @public */
export function phaseWords(
  reading: RoutePhaseReading,
): Pick<PhaseState, 'label' | 'description'> {
  const { stable, candidate, roles } = reading;
  const percent = reading.candidatePercent;
  const retired = roles.retired.map(r => r.key);
  const staged = roles.staged?.key;
  const stagedSentence = staged
    ? ` ${staged} is staged at 0%: give it a weight to start the canary.`
    : '';
  switch (reading.phase) {
    case 'blue-green':
      return {
        label: 'blue-green (header)',
        description: `Blue/green by header: ${stable} is live; requests matching ${
          reading.pair!.headerMatch
        } reach ${candidate}. Switch makes ${candidate} live and keeps ${stable} reachable by the header.`,
      };
    case 'mirroring':
      return {
        label: percent === undefined ? 'mirroring' : `mirroring ${percent}%`,
        description: `Mirroring: ${percent ?? 100}% of the requests to ${
          stable ?? 'this route'
        } are copied to ${
          candidate ?? 'another destination'
        }; its answers are discarded.`,
      };
    case 'canary': {
      const others = roles.live.map(d => d.key).filter(k => k !== candidate);
      return {
        label: `canary ${percent}%`,
        description: `Canary: ${candidate} takes ${percent}% of this route's requests, ${listWords(
          others,
        )} the rest.${retiredSentence(retired)}`,
      };
    }
    case 'promoted':
      return {
        label: `promoted — ${listWords(retired)} retired`,
        description: `Promoted: ${stable} takes all of this route's requests.${retiredSentence(
          retired,
        )}${stagedSentence}`,
      };
    default:
      return {
        label: staged ? `stable — ${staged} at 0%` : 'stable',
        description: stable
          ? `Stable: ${stable} takes all of this route's requests.${stagedSentence}${retiredSentence(
              retired,
            )}`
          : 'No destination of this route takes any requests.',
      };
  }
}
