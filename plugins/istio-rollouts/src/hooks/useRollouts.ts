import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  Rollout,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import { useCallback } from 'react';
import { istioRolloutsApiRef } from '../api';
import { PolledReadState, usePolledRead } from './usePolledRead';

/** How often the tab reads the rollouts again while it is open. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

export interface RolloutsState extends PolledReadState<RolloutsResponse> {
  /** Reads again now, superseding a read in flight. */
  refresh: () => void;
  /** Shows a rollout as an action's answer read it back, before the next refresh. */
  replaceRollout: (rollout: Rollout) => void;
}

/**
 * An entity's rollouts, read on mount and then every `pollIntervalMs` while
 * the page is visible (null: never); nothing is read while `enabled` is false. A refresh keeps the previous answer on
 * screen until the new one arrives, and an unchanged answer keeps the same
 * object, so nothing re-renders or flickers.
 */
export function useRollouts(
  entityRef: CompoundEntityRef,
  pollIntervalMs: number | null = DEFAULT_POLL_INTERVAL_MS,
  enabled: boolean = true,
): RolloutsState {
  const api = useApi(istioRolloutsApiRef);
  const ref = stringifyEntityRef(entityRef);
  const read = useCallback(
    (signal: AbortSignal) => api.getRollouts(entityRef, { signal }),
    // entityRef is read through its string form
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref],
  );
  const { update, ...state } = usePolledRead(read, pollIntervalMs, enabled);

  const replaceRollout = useCallback(
    (rollout: Rollout) =>
      update(value => ({
        ...value,
        rollouts: value.rollouts.map(r => (r.id === rollout.id ? rollout : r)),
      })),
    [update],
  );

  return { ...state, replaceRollout };
}
