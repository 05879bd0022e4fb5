/*
 * The object store: every object of every served resource, one monotonic
 * resourceVersion counter across all of them (as etcd's revision is), and a
 * bounded window of past events that watches can resume from.
 *
 * The store owns server-managed metadata (uid, creationTimestamp,
 * resourceVersion, generation) and the optimistic-concurrency check; request
 * semantics (validation, status handling, namespaces) live in api.ts.
 */
import { randomUUID } from 'node:crypto';
import { clone, deepEqual, KubeObject, specPart, timestamp } from './objects';
import { groupVersion, resourceKey, ResourceType } from './resources';
import { alreadyExists, conflict, notFound } from './status';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  resourceVersion: number;
  /** resourceKey() of the object's type. */
  key: string;
  object: KubeObject;
  /** The object before the change (MODIFIED/DELETED): lets watches with selectors see objects leave. */
  previous?: KubeObject;
}

export interface WriteOptions {
  dryRun?: boolean;
}

export interface StoreOptions {
  /** How many past events are kept for watches resuming from a resourceVersion. */
  watchWindow?: number;
}

export type Listener = (event: StoreEvent) => void;

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class Store {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly events: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly window: number;
  private rv = 0;
  /** resourceVersion of the newest event that fell out of the window. */
  private compacted = 0;

  constructor(options: StoreOptions = {}) {
    this.window = Math.max(1, options.watchWindow ?? 1000);
  }

  /** The newest resourceVersion, as lists report it. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Watches may resume from any resourceVersion >= this. */
  get oldestResumableVersion(): number {
    return this.compacted;
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(type);
    let b = this.objects.get(key);
    if (!b) {
      b = new Map();
      this.objects.set(key, b);
    }
    return b;
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const o = this.bucket(type).get(objectKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Whether an object exists: get() without the copy. */
  has(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): boolean {
    return this.bucket(type).has(objectKey(namespace, name));
  }

  /**
   * The stored objects of a type, optionally in one namespace and only those
   * `match` accepts, ordered by namespace then name.
   *
   * These are the store's own objects, not copies, so that a list pays for
   * copying only what it answers: read them, never change them, and clone
   * (or present) whatever leaves the store.
   */
  list(
    type: ResourceType,
    namespace?: string,
    match?: (o: KubeObject) => boolean,
  ): KubeObject[] {
    const out: [string, KubeObject][] = [];
    for (const [k, o] of this.bucket(type)) {
      if (namespace !== undefined && o.metadata.namespace !== namespace)
        continue;
      if (match && !match(o)) continue;
      out.push([k, o]);
    }
    // Code-point order, the same order continue tokens compare keys in.
    out.sort((a, b) => (a[0] < b[0] ? -1 : Number(a[0] > b[0])));
    return out.map(([, o]) => o);
  }

  /** Every stored object with its type key, for dumps and manifest replacement. */
  all(): { key: string; object: KubeObject }[] {
    const out: { key: string; object: KubeObject }[] = [];
    for (const [key, b] of this.objects) {
      for (const o of b.values()) out.push({ key, object: clone(o) });
    }
    return out;
  }

  create(
    type: ResourceType,
    input: KubeObject,
    opts: WriteOptions = {},
  ): KubeObject {
    const name = input.metadata.name ?? '';
    const b = this.bucket(type);
    const k = objectKey(input.metadata.namespace, name);
    if (b.has(k))
      throw alreadyExists({ group: type.group, resource: type.plural }, name);
    const obj = clone(input);
    obj.apiVersion = groupVersion(type.group, type.versions[0]);
    obj.kind = type.kind;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = timestamp();
    if (type.tracksGeneration) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    if (opts.dryRun) {
      delete obj.metadata.resourceVersion;
      return obj;
    }
    obj.metadata.resourceVersion = String(++this.rv);
    b.set(k, obj);
    this.emit({
      type: 'ADDED',
      resourceVersion: this.rv,
      key: resourceKey(type),
      object: obj,
    });
    return clone(obj);
  }

  /**
   * Replaces an existing object. A resourceVersion in the input must match the
   * stored one (409 Conflict otherwise); without one the update is unconditional.
   */
  update(
    type: ResourceType,
    input: KubeObject,
    opts: WriteOptions = {},
  ): KubeObject {
    const name = input.metadata.name ?? '';
    const b = this.bucket(type);
    const k = objectKey(input.metadata.namespace, name);
    const existing = b.get(k);
    const gr = { group: type.group, resource: type.plural };
    if (!existing) throw notFound(gr, name);
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion)
      throw conflict(gr, name);
    const obj = clone(input);
    obj.apiVersion = groupVersion(type.group, type.versions[0]);
    obj.kind = type.kind;
    obj.metadata.uid = existing.metadata.uid;
    obj.metadata.creationTimestamp = existing.metadata.creationTimestamp;
    if (type.tracksGeneration) {
      const gen = existing.metadata.generation ?? 1;
      obj.metadata.generation = deepEqual(specPart(obj), specPart(existing))
        ? gen
        : gen + 1;
    } else {
      delete obj.metadata.generation;
    }
    if (opts.dryRun) {
      obj.metadata.resourceVersion = existing.metadata.resourceVersion;
      return obj;
    }
    // The API server skips the write (and the event) when nothing changed.
    const unchanged = deepEqual(
      { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } },
      {
        ...existing,
        metadata: { ...existing.metadata, resourceVersion: undefined },
      },
    );
    if (unchanged) return clone(existing);
    obj.metadata.resourceVersion = String(++this.rv);
    b.set(k, obj);
    this.emit({
      type: 'MODIFIED',
      resourceVersion: this.rv,
      key: resourceKey(type),
      object: obj,
      previous: existing,
    });
    return clone(obj);
  }

  /** Creates or replaces without preconditions (control API, manifests). */
  upsert(type: ResourceType, input: KubeObject): KubeObject {
    const existing = this.bucket(type).get(
      objectKey(input.metadata.namespace, input.metadata.name ?? ''),
    );
    if (!existing) return this.create(type, input);
    // update() copies its input, so a shallow copy is enough here.
    return this.update(type, {
      ...input,
      metadata: {
        ...input.metadata,
        resourceVersion: existing.metadata.resourceVersion,
      },
    });
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: WriteOptions & { resourceVersion?: string; uid?: string } = {},
  ): KubeObject {
    const b = this.bucket(type);
    const k = objectKey(namespace, name);
    const existing = b.get(k);
    const gr = { group: type.group, resource: type.plural };
    if (!existing) throw notFound(gr, name);
    if (
      opts.resourceVersion &&
      opts.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw conflict(gr, name);
    }
    if (opts.uid && opts.uid !== existing.metadata.uid) {
      throw conflict(
        gr,
        name,
        `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (opts.dryRun) return clone(existing);
    b.delete(k);
    const obj = clone(existing);
    obj.metadata.resourceVersion = String(++this.rv);
    this.emit({
      type: 'DELETED',
      resourceVersion: this.rv,
      key: resourceKey(type),
      object: obj,
      previous: existing,
    });
    return clone(obj);
  }

  /**
   * Events after `resourceVersion`, or `undefined` when some of them already
   * fell out of the window (the caller answers 410 Gone).
   */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.compacted) return undefined;
    return this.events.filter(e => e.resourceVersion > resourceVersion);
  }

  /** How many watches are subscribed; lets tests check that closed watches unsubscribe. */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(event: StoreEvent) {
    this.events.push(event);
    while (this.events.length > this.window) {
      this.compacted = this.events.shift()!.resourceVersion;
    }
    for (const l of [...this.listeners]) l(event);
  }
}
