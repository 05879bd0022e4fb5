import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import type {
  ClusterClient,
  ObjectKind,
  WatchEventType,
  WatchHandle,
} from '../kubernetes';
import { kubeStatusCode } from '../kubernetes';
import { EntitySelection } from '../selection';
import { ObjectStore } from './ObjectStore';

/**
 * `syncing` until the list arrived and the watch after it is open (and again
 * while re-listing after a 410), `synced` while the watch keeps it current, `broken` after a failure
 * it does not recover from by itself, `stopped` when its owner stopped it.
 */
export type WatchedListState = 'syncing' | 'synced' | 'broken' | 'stopped';

/** How long a recorded write hides the watch's other events for its object, at most. */
export const DEFAULT_WRITE_PIN_MS = 30_000;

/**
 * How long a list may take to answer, or a watch to open, before the list
 * is `broken`; also how long past its timeoutSeconds a watch may stay open
 * before its connection is presumed lost.
 */
export const DEFAULT_WATCH_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Watches in a row that end without an event, sooner than their timeout
 * (or in 410 Gone), before the list gives up rather than reconnecting in a
 * tight loop (e.g. a proxy that cuts every long request).
 */
const MAX_FRUITLESS_WATCHES = 3;

/** A Kubernetes `Status`, as an ERROR watch event carries it. */
interface KubeStatus {
  code?: number;
  reason?: string;
  message?: string;
}

/**
 * A watch that the API server ended with an ERROR event. Shaped like
 * client-node's ApiException (`code`, `body`, `headers`), so
 * `kubeStatusCode` and `describeClusterError` read it like any other
 * refused request.
 */
export class WatchStatusError extends Error {
  readonly code: number | undefined;
  readonly body: KubeStatus;
  readonly headers: Record<string, string> = {};

  constructor(status: KubeStatus) {
    super(
      `watch ended with an error: ${status.code ?? '?'} ${
        status.reason ?? ''
      } ${status.message ?? ''}`.trim(),
    );
    this.name = 'WatchStatusError';
    this.code = status.code;
    this.body = status;
  }
}

export interface WatchedListOptions {
  client: ClusterClient;
  kind: ObjectKind;
  /** The Istio API version of VirtualServices and DestinationRules; ignored for workloads. */
  version: string;
  selection: EntitySelection;
  /** The API server ends each watch after this long; it is re-watched from the last resourceVersion. */
  watchTimeoutSeconds: number;
  /** Called once, when the list becomes `broken`. It does not retry by itself. */
  onBroken: (error: unknown) => void;
  /** Called after the objects or the state changed (not on bookmarks). */
  onChange?: () => void;
  /** How long a recorded write hides older events for its object, at most. */
  writePinMs?: number;
  /** See {@link DEFAULT_WATCH_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  now?: () => number;
}

/**
 * One kind of one entity in one cluster, kept current in memory: a list,
 * then a watch from the list's resourceVersion (a reflector, as client-go
 * calls it). A watch the server ends normally is resumed from the last
 * resourceVersion seen; a 410 Gone (the version fell out of the server's
 * window) re-lists; any other failure makes it `broken`, and its owner
 * decides what to do. resourceVersions are opaque: they are only compared
 * for equality, never ordered.
 */
export class WatchedList {
  private readonly client: ClusterClient;
  private readonly kind: ObjectKind;
  private readonly version: string;
  private readonly selection: EntitySelection;
  private readonly watchTimeoutSeconds: number;
  private readonly onBroken: (error: unknown) => void;
  private readonly onChange: () => void;
  private readonly requestTimeoutMs: number;
  private readonly now: () => number;
  private readonly objects: ObjectStore;

  private current: WatchedListState = 'syncing';
  private started = false;
  private resourceVersion = '';
  /** Bumped by every list and watch started: callbacks of older ones are ignored. */
  private attempt = 0;
  private listing: AbortController | undefined;
  private watching: WatchHandle | undefined;
  /** Breaks the current attempt if it does not get on in time. */
  private deadline: NodeJS.Timeout | undefined;
  private fruitlessWatches = 0;

  constructor(options: WatchedListOptions) {
    this.client = options.client;
    this.kind = options.kind;
    this.version = options.version;
    this.selection = options.selection;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds;
    this.onBroken = options.onBroken;
    this.onChange = options.onChange ?? (() => {});
    this.requestTimeoutMs =
      options.requestTimeoutMs ?? DEFAULT_WATCH_REQUEST_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.objects = new ObjectStore(
      options.writePinMs ?? DEFAULT_WRITE_PIN_MS,
      this.now,
    );
  }

  get state(): WatchedListState {
    return this.current;
  }

  /** Lists, then watches. Only the first call does anything. */
  start(): void {
    if (this.started || this.current !== 'syncing') return;
    this.started = true;
    void this.list();
  }

  /**
   * The objects, ordered by namespace and name. A new array of the stored
   * objects themselves: callers must not modify them. Meaningful only while
   * `synced`.
   */
  items(): KubeObject[] {
    return this.objects.items();
  }

  /**
   * Read-your-writes for this replica: stores `object` as a write (a PATCH
   * answer) just stored it, and ignores the watch's events for that object
   * until one carries the same resourceVersion (or it is deleted, or the pin
   * expired), so an older event still on its way cannot undo it. Does
   * nothing when the watch already delivered that version (or a later one).
   */
  recordWrite(object: KubeObject): void {
    if (this.current !== 'synced') return;
    if (this.objects.recordWrite(object)) this.onChange();
  }

  /** Closes the list or watch in flight; no callback is called afterwards. */
  stop(): void {
    if (this.current === 'stopped') return;
    this.next();
    this.current = 'stopped';
    this.objects.clear();
  }

  /** Starts a new attempt: whatever list or watch was running is closed. */
  private next(): number {
    this.attempt++;
    this.listing?.abort();
    this.listing = undefined;
    this.watching?.stop();
    this.watching = undefined;
    clearTimeout(this.deadline);
    this.deadline = undefined;
    return this.attempt;
  }

  /**
   * A hung request (or a connection lost without a FIN) would otherwise
   * leave the list waiting, or in sync with stale objects, for good.
   */
  private arm(attempt: number, ms: number, failure: string): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      if (attempt === this.attempt) this.break(new Error(failure));
    }, ms);
    this.deadline.unref();
  }

  private async list(): Promise<void> {
    const attempt = this.next();
    const controller = new AbortController();
    this.listing = controller;
    this.arm(
      attempt,
      this.requestTimeoutMs,
      `the list did not answer within ${this.requestTimeoutMs} ms`,
    );
    let listed;
    try {
      listed = await this.client.list(this.kind, {
        version: this.version,
        labelSelector: this.selection.labelSelector,
        namespace: this.selection.namespace,
        signal: controller.signal,
      });
    } catch (e) {
      if (attempt === this.attempt) this.break(e);
      return;
    }
    if (attempt !== this.attempt) return;
    this.listing = undefined;
    this.objects.replace(listed.items);
    this.resourceVersion = listed.resourceVersion;
    // In sync once the watch that keeps it so is open.
    void this.watch();
  }

  private async watch(): Promise<void> {
    const attempt = this.next();
    const startedAt = this.now();
    let delivered = false;
    this.arm(
      attempt,
      this.requestTimeoutMs,
      `the watch did not open within ${this.requestTimeoutMs} ms`,
    );
    let handle: WatchHandle;
    try {
      handle = await this.client.watch(
        this.kind,
        {
          version: this.version,
          labelSelector: this.selection.labelSelector,
          namespace: this.selection.namespace,
          resourceVersion: this.resourceVersion,
          timeoutSeconds: this.watchTimeoutSeconds,
        },
        (type, object) => {
          if (attempt !== this.attempt) return;
          if (type !== 'ERROR') delivered = true;
          this.onEvent(type, object, delivered);
        },
        err => {
          if (attempt === this.attempt)
            this.onWatchEnd(err, delivered, startedAt);
        },
      );
    } catch (e) {
      if (attempt === this.attempt) this.break(e);
      return;
    }
    if (attempt !== this.attempt) {
      handle.stop();
      return;
    }
    this.watching = handle;
    // The server ends it after timeoutSeconds: still open well after that,
    // its connection is gone.
    this.arm(
      attempt,
      this.watchTimeoutSeconds * 1000 + this.requestTimeoutMs,
      `the watch was still open ${this.requestTimeoutMs} ms after its ${this.watchTimeoutSeconds} s timeout; its connection is presumed lost`,
    );
    if (this.current === 'syncing') {
      this.current = 'synced';
      this.onChange();
    }
  }

  private onEvent(
    type: WatchEventType,
    object: KubeObject,
    delivered: boolean,
  ): void {
    if (type === 'ERROR') {
      const status = object as KubeStatus;
      if (status.code === 410) this.relist(delivered);
      else this.break(new WatchStatusError(status));
      return;
    }
    this.fruitlessWatches = 0;
    const rv = object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (type === 'BOOKMARK') return;
    if (this.objects.apply(type, object)) this.onChange();
  }

  private onWatchEnd(
    err: unknown,
    delivered: boolean,
    startedAt: number,
  ): void {
    if (err && kubeStatusCode(err) === 410) {
      this.relist(delivered);
      return;
    }
    if (err) {
      this.break(err);
      return;
    }
    // The server ended the watch, normally after timeoutSeconds.
    const early =
      this.now() - startedAt < Math.min(1000, this.watchTimeoutSeconds * 500);
    if (!delivered && early && this.fruitless()) return;
    if (!early) this.fruitlessWatches = 0;
    void this.watch();
  }

  /** After a 410: the events since our resourceVersion are lost, so list again. */
  private relist(delivered: boolean): void {
    if (!delivered && this.fruitless()) return;
    this.current = 'syncing';
    this.onChange();
    if (this.current === 'syncing') void this.list();
  }

  /** Counts a watch that brought nothing; breaks (and answers true) after too many in a row. */
  private fruitless(): boolean {
    this.fruitlessWatches++;
    if (this.fruitlessWatches < MAX_FRUITLESS_WATCHES) return false;
    this.break(
      new Error(
        `${this.fruitlessWatches} watches in a row ended before their timeout without an event`,
      ),
    );
    return true;
  }

  private break(error: unknown): void {
    if (this.current === 'broken' || this.current === 'stopped') return;
    this.next();
    this.current = 'broken';
    this.objects.clear();
    this.onBroken(error);
  }
}
