import { useCallback, useEffect, useRef, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';

/** What a polled read has on screen. */
export interface PolledReadState<T> {
  /** The latest answer; kept while a refresh runs or fails, so the page never blanks. */
  value?: T;
  /** The last load's error: the page's error before any data, else a failed refresh. */
  error?: Error;
  /** True until the first answer (or error) arrives. */
  loading: boolean;
  /** When `value` was last read. */
  updatedAt?: Date;
}

export interface PolledRead<T> extends PolledReadState<T> {
  /** Reads again now, superseding a read in flight. */
  refresh: () => void;
  /** Changes the answer on screen before the next read (e.g. to an action's answer). */
  update: (change: (value: T) => T) => void;
}

/**
 * Reads on mount (and whenever `read` changes), then every `pollIntervalMs` while the page is visible (null: never);
 * nothing is read while `enabled` is false. A poll never starts while a read is in flight; `refresh` supersedes it.
 * A refresh keeps the previous answer on screen until the new one arrives, and an unchanged answer keeps the same
 * object, so nothing re-renders or flickers.
 */
export function usePolledRead<T>(
  read: (signal: AbortSignal) => Promise<T>,
  pollIntervalMs: number | null,
  enabled: boolean,
): PolledRead<T> {
  const [state, setState] = useState<PolledReadState<T>>({ loading: true });
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
      read(controller.signal)
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
    [read],
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

  const update = useCallback((change: (value: T) => T) => {
    setState(prev => {
      if (prev.value === undefined) return prev;
      const value = change(prev.value);
      lastJson.current = JSON.stringify(value);
      return { ...prev, value };
    });
  }, []);

  return { ...state, refresh, update };
}
