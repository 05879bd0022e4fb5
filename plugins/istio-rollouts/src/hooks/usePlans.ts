import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  PlansResponse,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import { useCallback } from 'react';
import { istioRolloutsApiRef } from '../api';
import { DEFAULT_POLL_INTERVAL_MS } from './useRollouts';
import { PolledReadState, usePolledRead } from './usePolledRead';

export interface PlansState extends PolledReadState<PlansResponse> {
  /** Reads again now (after a command or a start), superseding a read in flight. */
  refresh: () => void;
  /** Shows a plan as a command's answer returned it, before the next read. */
  replaceRecord: (record: StepPlanRecord) => void;
}

/**
 * An entity's step plans and templates, read once for the whole tab on mount and then every `pollIntervalMs`
 * (by default as often as the rollouts, so a plan's step shows within the tab's refresh interval); nothing is
 * read while `enabled` is false.
 */
export function usePlans(
  entityRef: CompoundEntityRef,
  pollIntervalMs: number | null = DEFAULT_POLL_INTERVAL_MS,
  enabled: boolean = true,
): PlansState {
  const api = useApi(istioRolloutsApiRef);
  const ref = stringifyEntityRef(entityRef);
  const read = useCallback(
    (signal: AbortSignal) => api.getPlans(entityRef, { signal }),
    // entityRef is read through its string form
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref],
  );
  const { update, ...state } = usePolledRead(read, pollIntervalMs, enabled);

  const replaceRecord = useCallback(
    (record: StepPlanRecord) =>
      update(value => ({
        ...value,
        plans: value.plans.some(p => p.id === record.id)
          ? value.plans.map(p => (p.id === record.id ? record : p))
          : [record, ...value.plans],
      })),
    [update],
  );

  return { ...state, replaceRecord };
}
