import type { RouteOffers, RouteState } from '../api';
import { nextActions } from './nextActions';
import { phaseWords } from './phaseWords';
import type { RoutePhaseReading } from './routePhase';

/** The state a route is served with: its phase in words, what `finish` would remove, the next actions. @public */
export function routeState(
  reading: RoutePhaseReading,
  offers: RouteOffers,
): RouteState {
  const state: RouteState = {
    phase: reading.phase,
    ...phaseWords(reading),
    retired: reading.roles.retired.map(r => r.key),
    next: [],
  };
  if (reading.stableSubset !== undefined) {
    state.stableSubset = reading.stableSubset;
  }
  if (reading.candidateSubset !== undefined) {
    state.candidateSubset = reading.candidateSubset;
  }
  if (reading.candidatePercent !== undefined) {
    state.candidatePercent = reading.candidatePercent;
  }
  state.next = nextActions(state, offers);
  return state;
}
