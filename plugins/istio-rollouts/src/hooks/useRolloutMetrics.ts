import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { RolloutMetricsResponse } from '@internal/plugin-istio-rollouts-common';
import { useCallback } from 'react';
import { istioRolloutsApiRef } from '../api';
import { PolledReadState, usePolledRead } from './usePolledRead';

/** How often the tab reads the canary health again while it is open: Prometheus' figures move slower than weights. */
export const METRICS_POLL_INTERVAL_MS = 15_000;

export interface RolloutMetricsState
  extends PolledReadState<RolloutMetricsResponse> {
  /** Reads again now (after an action), superseding a read in flight. */
  refresh: () => void;
}

/**
 * The canary health of an entity's rollouts, read apart from the rollouts (so
 * the routes and buttons never wait for Prometheus), on mount and then every
 * `pollIntervalMs` while the page is visible (null: never). A failed read
 * keeps the last figures; the caller shows the error beside them.
 */
export function useRolloutMetrics(
  entityRef: CompoundEntityRef,
  pollIntervalMs: number | null = METRICS_POLL_INTERVAL_MS,
  enabled: boolean = true,
): RolloutMetricsState {
  const api = useApi(istioRolloutsApiRef);
  const ref = stringifyEntityRef(entityRef);
  const read = useCallback(
    (signal: AbortSignal) => api.getRolloutMetrics(entityRef, { signal }),
    // entityRef is read through its string form
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref],
  );
  const { value, error, loading, updatedAt, refresh } = usePolledRead(
    read,
    pollIntervalMs,
    enabled,
  );
  return { value, error, loading, updatedAt, refresh };
}
