import { useApi } from '@backstage/core-plugin-api';
import { PortalRolloutsResponse } from '@internal/plugin-istio-rollouts-common';
import { useCallback } from 'react';
import { istioRolloutsApiRef } from '../api';
import { PolledRead, usePolledRead } from './usePolledRead';

/**
 * How often the portal page reads again while it is visible: slower than the
 * tab's 5 s, as each read covers every cluster and entity.
 */
export const PORTAL_POLL_INTERVAL_MS = 10_000;

/**
 * Every active rollout the caller may see, read on mount and then every
 * `pollIntervalMs` while the page is visible (null: never); a refresh keeps
 * the previous answer on screen, and an unchanged answer the same object.
 */
export function usePortalRollouts(
  pollIntervalMs: number | null = PORTAL_POLL_INTERVAL_MS,
): PolledRead<PortalRolloutsResponse> {
  const api = useApi(istioRolloutsApiRef);
  const read = useCallback(
    (signal: AbortSignal) => api.getPortalRollouts({ signal }),
    [api],
  );
  return usePolledRead(read, pollIntervalMs, true);
}
