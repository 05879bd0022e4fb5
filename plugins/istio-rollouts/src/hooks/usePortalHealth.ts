import { useApi } from '@backstage/core-plugin-api';
import { PortalHealthResponse } from '@internal/plugin-istio-rollouts-common';
import { useCallback } from 'react';
import { istioRolloutsApiRef } from '../api';
import { PolledRead, usePolledRead } from './usePolledRead';
import { PORTAL_POLL_INTERVAL_MS } from './usePortalRollouts';

/**
 * The canary verdicts of the portal page's rows, read apart from the rows (so
 * they never wait for Prometheus), on mount and then every `pollIntervalMs`
 * while the page is visible (null: never). A failed read keeps the last
 * verdicts; the page says so above them.
 */
export function usePortalHealth(
  pollIntervalMs: number | null = PORTAL_POLL_INTERVAL_MS,
): PolledRead<PortalHealthResponse> {
  const api = useApi(istioRolloutsApiRef);
  const read = useCallback(
    (signal: AbortSignal) => api.getPortalHealth({ signal }),
    [api],
  );
  return usePolledRead(read, pollIntervalMs, true);
}
