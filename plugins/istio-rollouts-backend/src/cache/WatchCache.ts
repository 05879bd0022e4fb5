import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import type { ClusterClient, IstioResource, ObjectKind } from '../kubernetes';
import { kubeStatusCode, kubeStatusMessage } from '../kubernetes';
import { EntitySelection } from '../selection';
import { CacheEntry, CachedClusterObjects, entryKey } from './CacheEntry';

/** An entry not read for this long is stopped. */
export const DEFAULT_WATCH_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
/** At most this many entries; the least recently read one makes room. */
export const DEFAULT_WATCH_MAX_ENTRIES = 1000;
/** The API server ends each watch after this long; it is re-watched from the last resourceVersion. */
export const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;
/** After an entry broke, reads list from the cluster for this long before watching again. */
export const DEFAULT_WATCH_RETRY_AFTER_FAILURE_MS = 30 * 1000;

export interface WatchCacheOptions {
  logger: LoggerService;
  /** An entry not read for this long is stopped (default 10 min). */
  idleTimeoutMs?: number;
  /** At most this many entries (default 1000); the least recently read one makes room. */
  maxEntries?: number;
  /** The API server ends each watch after this long (default 300 s). */
  watchTimeoutSeconds?: number;
  /** After an entry broke (403 on watch, cluster down), it is not started again for this long (default 30 s). */
  retryAfterFailureMs?: number;
  /**
   * How long a list may take, or a watch to open, before the entry counts as
   * broken; also how long past its timeout a watch may stay open (default 30 s).
   */
  requestTimeoutMs?: number;
  now?: () => number;
}

/**
 * The per-replica watch cache: after the first read of an entity in a
 * cluster, its VirtualServices, DestinationRules, Deployments and Services
 * are listed once and then watched, so later reads are answered from memory
 * and stay live. Optional for correctness (Kubernetes stays the source of
 * truth): `get` answers only while every list is in sync, and a reader falls
 * back to listing from the cluster otherwise. Entries are keyed by cluster,
 * namespace and label selector, stopped when idle, and dropped when a watch
 * fails (not retried for a while, so a cluster that refuses watches costs
 * one attempt per `retryAfterFailureMs`, not one per read).
 */
export class WatchCache {
  private readonly logger: LoggerService;
  private readonly idleTimeoutMs: number;
  private readonly maxEntries: number;
  private readonly watchTimeoutSeconds: number;
  private readonly retryAfterFailureMs: number;
  private readonly requestTimeoutMs: number | undefined;
  private readonly now: () => number;

  /** In least recently read order: the first is evicted first. */
  private readonly entries = new Map<string, CacheEntry>();
  /** When entries that broke may be started again. */
  private readonly failures = new Map<string, number>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: WatchCacheOptions) {
    this.logger = options.logger;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_WATCH_IDLE_TIMEOUT_MS;
    this.maxEntries = Math.max(
      1,
      options.maxEntries ?? DEFAULT_WATCH_MAX_ENTRIES,
    );
    this.watchTimeoutSeconds =
      options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
    this.retryAfterFailureMs =
      options.retryAfterFailureMs ?? DEFAULT_WATCH_RETRY_AFTER_FAILURE_MS;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.now = options.now ?? Date.now;
  }

  /** How many entries are watched (in sync or not). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The entity's objects in that cluster if all four lists are in sync;
   * undefined otherwise. Marks the entry as read.
   */
  get(
    cluster: string,
    selection: EntitySelection,
  ): CachedClusterObjects | undefined {
    const entry = this.entries.get(entryKey(cluster, selection));
    if (!entry) return undefined;
    entry.lastRead = this.now();
    // Move to the end: the least recently read entry stays first.
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    if (!entry.synced) return undefined;
    return entry.objects();
  }

  /**
   * Starts watching the entity's objects in that cluster in the background,
   * unless that is already done or recently failed. An entry watching at
   * another Istio version is replaced. Never throws, never waits.
   */
  ensure(
    cluster: string,
    client: ClusterClient,
    istioVersion: string,
    selection: EntitySelection,
  ): void {
    if (this.stopped) return;
    const key = entryKey(cluster, selection);
    try {
      const existing = this.entries.get(key);
      let waiters: CacheEntry['waiters'] = [];
      if (existing) {
        if (existing.istioVersion === istioVersion) return;
        // The cluster serves another Istio version now: watch that one.
        this.entries.delete(key);
        existing.stop();
        waiters = existing.waiters;
      } else {
        const retryAt = this.failures.get(key);
        if (retryAt !== undefined && this.now() < retryAt) return;
        this.failures.delete(key);
      }
      this.makeRoom();
      const entry = this.createEntry(cluster, client, istioVersion, selection);
      entry.waiters = waiters;
      this.entries.set(key, entry);
      this.logger.debug(
        `Watching ${describeSelection(selection)} in cluster ${cluster}`,
      );
      entry.start();
      this.startSweeper();
    } catch (e) {
      this.logger.warn(
        `Could not watch ${describeSelection(
          selection,
        )} in cluster ${cluster}: ${describeFailure(e)}`,
      );
    }
  }

  /**
   * Read-your-writes for this replica: the object a write just stored (a
   * PATCH answer) replaces the cached one, and older watch events for it are
   * ignored until the watch delivers that version. Does nothing when the
   * entry does not exist.
   */
  recordWrite(
    cluster: string,
    selection: EntitySelection,
    resource: IstioResource,
    object: KubeObject,
  ): void {
    const entry = this.entries.get(entryKey(cluster, selection));
    entry?.recordWrite(resource, object);
  }

  /**
   * Resolves when the entry is in sync (at once if it is), rejects when it
   * broke or was stopped, or when there is no such entry. For tests and the
   * benchmark.
   */
  whenSynced(cluster: string, selection: EntitySelection): Promise<void> {
    const entry = this.entries.get(entryKey(cluster, selection));
    if (!entry) {
      return Promise.reject(
        new Error(
          `Not watching ${describeSelection(selection)} in cluster ${cluster}`,
        ),
      );
    }
    if (entry.synced) return Promise.resolve();
    return new Promise((resolve, reject) =>
      entry.waiters.push({ resolve, reject }),
    );
  }

  /**
   * Calls `listener` whenever the entity's objects in that cluster may have
   * changed: an event applied, a write recorded, a re-list, a watch that
   * failed (read again: the cache no longer answers). An entry with
   * listeners is not stopped for being idle. Answers the unsubscribe function.
   */
  subscribe(
    cluster: string,
    selection: EntitySelection,
    listener: () => void,
  ): () => void {
    const key = entryKey(cluster, selection);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(key);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(key);
    };
  }

  /**
   * Stops the entries not read for `idleTimeoutMs` (and without listeners),
   * and forgets failures whose retry time has come. Runs on a timer; public
   * so tests need not wait for it.
   */
  evictIdle(): void {
    const now = this.now();
    for (const entry of [...this.entries.values()]) {
      if (now - entry.lastRead < this.idleTimeoutMs) continue;
      if (this.listeners.has(entry.key)) continue;
      this.logger.debug(
        `Stopped watching ${describeSelection(entry.selection)} in cluster ${
          entry.cluster
        }: not read for ${Math.round((now - entry.lastRead) / 1000)} s`,
      );
      this.remove(entry, new Error('The watch was stopped: idle'));
    }
    for (const [key, retryAt] of this.failures) {
      if (now >= retryAt) this.failures.delete(key);
    }
    if (!this.entries.size && !this.failures.size) this.stopSweeper();
  }

  /** Stops every watch (plugin shutdown); later calls to `ensure` do nothing. */
  stop(): void {
    this.stopped = true;
    this.stopSweeper();
    for (const entry of [...this.entries.values()]) {
      this.remove(entry, new Error('The watch cache was stopped'));
    }
    this.failures.clear();
  }

  private createEntry(
    cluster: string,
    client: ClusterClient,
    istioVersion: string,
    selection: EntitySelection,
  ): CacheEntry {
    // The callbacks run only after the entry's lists were started.
    const entry: CacheEntry = new CacheEntry(cluster, selection, istioVersion, {
      client,
      watchTimeoutSeconds: this.watchTimeoutSeconds,
      requestTimeoutMs: this.requestTimeoutMs,
      now: this.now,
      onBroken: (kind, error) => this.onBroken(entry, kind, error),
      onChange: () => this.onChange(entry),
    });
    return entry;
  }

  private onChange(entry: CacheEntry): void {
    if (this.entries.get(entry.key) !== entry) return;
    entry.resolveWaitersIfSynced();
    this.notify(entry.key);
  }

  private onBroken(entry: CacheEntry, kind: ObjectKind, error: unknown): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.failures.set(entry.key, this.now() + this.retryAfterFailureMs);
    this.logger.warn(
      `Stopped watching ${kind} of ${describeSelection(
        entry.selection,
      )} in cluster ${entry.cluster}: ${describeFailure(
        error,
      )}; reads list from the cluster, and the watch is tried again after ${
        this.retryAfterFailureMs / 1000
      } s`,
    );
    this.remove(entry, error);
    this.notify(entry.key);
  }

  /** Stops an entry's lists, forgets it and rejects its waiters. */
  private remove(entry: CacheEntry, reason: unknown): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    entry.stop();
    entry.rejectWaiters(reason);
  }

  /** Evicts the least recently read entries until one more fits. */
  private makeRoom(): void {
    for (const entry of this.entries.values()) {
      if (this.entries.size < this.maxEntries) return;
      this.logger.debug(
        `Stopped watching ${describeSelection(entry.selection)} in cluster ${
          entry.cluster
        }: the cache holds ${this.maxEntries} entries`,
      );
      this.remove(entry, new Error('The watch was stopped: cache full'));
    }
  }

  private notify(key: string): void {
    for (const listener of [...(this.listeners.get(key) ?? [])]) {
      try {
        listener();
      } catch (e) {
        this.logger.warn(`A watch cache listener failed: ${e}`);
      }
    }
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(
      () => this.evictIdle(),
      Math.min(this.idleTimeoutMs, 60_000),
    );
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

function describeSelection(selection: EntitySelection): string {
  return selection.namespace
    ? `${selection.labelSelector} in namespace ${selection.namespace}`
    : selection.labelSelector;
}

/** A failure in one line: the status and its message, or the network error. */
function describeFailure(e: unknown): string {
  const status = kubeStatusCode(e);
  if (status !== undefined) {
    const message = kubeStatusMessage(e);
    return message ? `${status}: ${message}` : String(status);
  }
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return typeof err?.code === 'string' ? `${err.code}: ${message}` : message;
}
