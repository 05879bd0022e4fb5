import {
  CanaryVerdict,
  Rollout,
  RolloutActionResponse,
  Route,
} from '@internal/plugin-istio-rollouts-common';
import { createContext, ReactNode, useContext } from 'react';

/** What a fleet change needs to know of the page: every rollout of the entity, and how to show a change. */
export interface Fleet {
  /** Every rollout of the entity, in every cluster, as last read. */
  rollouts: Rollout[];
  /** The clusters in the order the page lists them: a fleet change's order until the user moves one. */
  clusterOrder: string[];
  /**
   * One cluster of a fleet change was applied: show its rollout as the answer
   * read it back and read the page again. No message: the dialog says what
   * happened in every cluster.
   */
  onChanged: (response: RolloutActionResponse) => void;
  /** The server's verdict on a route's canary, for a promotion's confirmation. */
  verdictOf?: (rollout: Rollout, route: Route) => CanaryVerdict | undefined;
}

const FleetContext = createContext<Fleet | undefined>(undefined);

/**
 * Lets a confirmation offer the same change in every cluster. Provided by the
 * Rollouts tab, which reads every rollout of the entity; without it (a card
 * on its own) a confirmation is for its one cluster only.
 */
export const FleetProvider = ({
  fleet,
  children,
}: {
  fleet: Fleet;
  children: ReactNode;
}) => <FleetContext.Provider value={fleet}>{children}</FleetContext.Provider>;

/** The page's fleet, or undefined outside the Rollouts tab. */
export function useFleet(): Fleet | undefined {
  return useContext(FleetContext);
}
