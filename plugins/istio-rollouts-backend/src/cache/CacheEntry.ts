import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import type { ClusterClient, IstioResource, ObjectKind } from '../kubernetes';
import { EntitySelection } from '../selection';
import { WatchedList } from './WatchedList';

/** An entity's objects in one cluster, from memory. The objects must not be modified. */
export interface CachedClusterObjects {
  istioVersion: string;
  virtualServices: KubeObject[];
  destinationRules: KubeObject[];
  deployments: KubeObject[];
  services: KubeObject[];
}

const KINDS: readonly ObjectKind[] = [
  'virtualservices',
  'destinationrules',
  'deployments',
  'services',
];

/** An entry's key: its cluster, namespace and label selector. */
export function entryKey(cluster: string, selection: EntitySelection): string {
  return JSON.stringify([
    cluster,
    selection.namespace ?? null,
    selection.labelSelector,
  ]);
}

export interface CacheEntryOptions {
  client: ClusterClient;
  watchTimeoutSeconds: number;
  requestTimeoutMs: number | undefined;
  now: () => number;
  /** A list of the entry broke (see {@link WatchedList}). */
  onBroken: (kind: ObjectKind, error: unknown) => void;
  /** A list's objects or state changed. */
  onChange: () => void;
}

/**
 * One entity selection in one cluster: a watched list per kind, and the
 * `whenSynced` callers waiting for all of them. When to create, evict or
 * drop an entry is the WatchCache's business.
 */
export class CacheEntry {
  readonly key: string;
  lastRead: number;
  /** whenSynced callers waiting for all four lists. */
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private readonly lists = {} as Record<ObjectKind, WatchedList>;

  constructor(
    readonly cluster: string,
    readonly selection: EntitySelection,
    readonly istioVersion: string,
    options: CacheEntryOptions,
  ) {
    this.key = entryKey(cluster, selection);
    this.lastRead = options.now();
    for (const kind of KINDS) {
      this.lists[kind] = new WatchedList({
        client: options.client,
        kind,
        version: istioVersion,
        selection,
        watchTimeoutSeconds: options.watchTimeoutSeconds,
        requestTimeoutMs: options.requestTimeoutMs,
        now: options.now,
        onBroken: error => options.onBroken(kind, error),
        onChange: () => options.onChange(),
      });
    }
  }

  /** Whether every list is in sync, i.e. {@link CacheEntry.objects} is current. */
  get synced(): boolean {
    return KINDS.every(kind => this.lists[kind].state === 'synced');
  }

  objects(): CachedClusterObjects {
    return {
      istioVersion: this.istioVersion,
      virtualServices: this.lists.virtualservices.items(),
      destinationRules: this.lists.destinationrules.items(),
      deployments: this.lists.deployments.items(),
      services: this.lists.services.items(),
    };
  }

  start(): void {
    for (const kind of KINDS) this.lists[kind].start();
  }

  stop(): void {
    for (const kind of KINDS) this.lists[kind].stop();
  }

  recordWrite(resource: IstioResource, object: KubeObject): void {
    this.lists[resource].recordWrite(object);
  }

  /** Resolves the waiters once every list is in sync. */
  resolveWaitersIfSynced(): void {
    if (!this.waiters.length || !this.synced) return;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach(w => w.resolve());
  }

  rejectWaiters(reason: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach(w => w.reject(reason));
  }
}
