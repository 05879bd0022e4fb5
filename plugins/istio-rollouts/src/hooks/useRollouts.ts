import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  Rollout,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { istioRolloutsApiRef } from '../api';

/** How often the tab reads the rollouts again while it is open. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

export interface RolloutsState {
  /** The latest answer; kept while a refresh runs or fails, so the page never blanks. */
  value?: RolloutsResponse;
  /** The last load's error: the page's error before any data, else a failed refresh. */
  error?: Error;
  /** True until the first answer (or error) arrives. */
  loading: boolean;
  /** When `value` was last read. */
  updatedAt?: Date;
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
  const [state, setState] = useState<
    Omit<RolloutsState, 'refresh' | 'replaceRollout'>
  >({ loading: true });
  const inFlight = useRef<AbortController | undefined>(undefined);
  const lastJson = useRef<string | undefined>(undefined);
  const mounted = useRef(true);

  const load = useCallback(
    (supersede: boolean) => {
      if (inFlight.current) {
        if (!supersede) return;
        inFlight.current.abort();
      }
      const controller = new AbortController();
      inFlight.current = controller;
      api
        .getRollouts(entityRef, { signal: controller.signal })
        .then(value => {
          if (controller.signal.aborted || !mounted.current) return;
          const json = JSON.stringify(value);
          const changed = json !== lastJson.current;
          lastJson.current = json;
          setState(prev => ({
            value: changed ? value : prev.value,
            loading: false,
            updatedAt: new Date(),
          }));
        })
        .catch(error => {
          if (controller.signal.aborted || !mounted.current) return;
          setState(prev => ({ ...prev, error, loading: false }));
        })
        .finally(() => {
          if (inFlight.current === controller) inFlight.current = undefined;
        });
    },
    // entityRef is read through its string form
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref],
  );

  useEffect(() => {
    mounted.current = true;
    lastJson.current = undefined;
    setState({ loading: enabled });
    if (enabled) load(true);
    return () => {
      mounted.current = false;
      inFlight.current?.abort();
      inFlight.current = undefined;
    };
  }, [load, enabled]);

  useInterval(
    () => {
      if (typeof document !== 'undefined' && document.hidden) return;
      load(false);
    },
    enabled ? pollIntervalMs : null,
  );

  const refresh = useCallback(() => load(true), [load]);

  const replaceRollout = useCallback((rollout: Rollout) => {
    setState(prev => {
      if (!prev.value) return prev;
      const value = {
        ...prev.value,
        rollouts: prev.value.rollouts.map(r =>
          r.id === rollout.id ? rollout : r,
        ),
      };
      lastJson.current = JSON.stringify(value);
      return { ...prev, value };
    });
  }, []);

  return { ...state, refresh, replaceRollout };
}
