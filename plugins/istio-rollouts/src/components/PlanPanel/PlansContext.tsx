import { CompoundEntityRef } from '@backstage/catalog-model';
import { createContext, ReactNode, useContext } from 'react';
import { PlansState, usePlans } from '../../hooks/usePlans';

/** The tab's step plans, read once for every route, and how a plan's change reaches the rest of the page. */
export interface PlansContextValue {
  entityRef: CompoundEntityRef;
  plans: PlansState;
  /** A plan was started or given a command: read the plans, the rollouts and the history again. */
  onChanged: () => void;
  /** The VirtualService changed since it was loaded (409): read the rollouts again. */
  onConflict: () => void;
}

const PlansContext = createContext<PlansContextValue | undefined>(undefined);

/** Provided by the Rollouts tab; without it (a card on its own) a route shows its plan's label only. */
export const PlansProvider = ({
  value,
  children,
}: {
  value: PlansContextValue;
  children: ReactNode;
}) => <PlansContext.Provider value={value}>{children}</PlansContext.Provider>;

/** The tab's plans, or undefined outside the Rollouts tab. */
export function usePlansContext(): PlansContextValue | undefined {
  return useContext(PlansContext);
}

/**
 * The tab's plans, read once for every route and as often as the rollouts (a plan's step shows within one
 * refresh), with the page's own reactions to a plan's change; the plans are read again after each too.
 */
export function useTabPlans(
  entityRef: CompoundEntityRef,
  pollIntervalMs: number | null | undefined,
  page: Pick<PlansContextValue, 'onChanged' | 'onConflict'>,
): PlansContextValue {
  const plans = usePlans(entityRef, pollIntervalMs);
  return {
    entityRef,
    plans,
    onChanged: () => {
      plans.refresh();
      page.onChanged();
    },
    onConflict: () => {
      plans.refresh();
      page.onConflict();
    },
  };
}
