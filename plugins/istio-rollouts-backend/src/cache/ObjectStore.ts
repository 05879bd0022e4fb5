import type { KubeObject } from '@internal/plugin-istio-rollouts-common';

/** Deleted objects whose last resourceVersions are remembered, beyond the live ones. */
const MAX_TOMBSTONES = 64;

/** resourceVersions remembered per object, newest last. */
const SEEN_VERSIONS = 4;

/** A recorded write, and the latest event hidden behind it. */
interface Pin {
  resourceVersion: string;
  until: number;
  hidden?: KubeObject;
}

/**
 * The objects of one watched list, by `namespace/name`, as its list and
 * watch events leave them, with this replica's own writes pinned until the
 * watch catches up. Knows nothing of lists, watches or their failures:
 * {@link WatchedList} decides what to apply and when to clear.
 */
export class ObjectStore {
  /** Objects by `namespace/name`. */
  private readonly objects = new Map<string, KubeObject>();
  /** The last resourceVersions each object (also a deleted one) was seen at. */
  private readonly seen = new Map<string, string[]>();
  /** Objects a write of this replica stored, until the watch catches up. */
  private readonly pins = new Map<string, Pin>();
  /** The objects sorted by key; rebuilt after a change. */
  private sorted: KubeObject[] | undefined;

  constructor(
    private readonly writePinMs: number,
    private readonly now: () => number,
  ) {}

  /** The objects, ordered by namespace and name, in a new array. */
  items(): KubeObject[] {
    if (this.pins.size) this.releaseExpiredPins();
    this.sorted ??= [...this.objects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
      .map(([, object]) => object);
    return this.sorted.slice();
  }

  /** Holds exactly a list's items. */
  replace(items: KubeObject[]): void {
    this.clear();
    for (const item of items) this.put(objectKey(item), item);
  }

  /**
   * Stores `object` as a write just stored it and pins it; answers false
   * (and does nothing) when that version, or a later one, was already seen.
   */
  recordWrite(object: KubeObject): boolean {
    const key = objectKey(object);
    const rv = object.metadata?.resourceVersion;
    if (!rv || this.seen.get(key)?.includes(rv)) return false;
    this.pins.set(key, {
      resourceVersion: rv,
      until: this.now() + this.writePinMs,
    });
    this.put(key, object);
    return true;
  }

  /**
   * Applies a watch event's object; answers false when it was hidden behind
   * a pinned write, i.e. the objects shown did not change.
   */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): boolean {
    const rv = object.metadata?.resourceVersion;
    const key = objectKey(object);
    if (type === 'DELETED') {
      this.pins.delete(key);
      this.remember(key, rv);
      if (this.objects.delete(key)) this.sorted = undefined;
      this.pruneTombstones();
      return true;
    }
    const pin = this.pins.get(key);
    if (pin) {
      if (rv !== pin.resourceVersion && this.now() < pin.until) {
        // Older than the recorded write: events arrive in order, and the
        // write's own event has not arrived yet.
        pin.hidden = object;
        this.remember(key, rv);
        return false;
      }
      this.pins.delete(key);
    }
    this.put(key, object);
    return true;
  }

  clear(): void {
    this.objects.clear();
    this.seen.clear();
    this.pins.clear();
    this.sorted = undefined;
  }

  private put(key: string, object: KubeObject): void {
    this.objects.set(key, object);
    this.sorted = undefined;
    this.remember(key, object.metadata?.resourceVersion);
  }

  private remember(key: string, rv: string | undefined): void {
    if (!rv) return;
    const versions = this.seen.get(key) ?? [];
    if (versions.includes(rv)) return;
    versions.push(rv);
    if (versions.length > SEEN_VERSIONS) versions.shift();
    this.seen.set(key, versions);
  }

  /** Forgets the oldest deleted objects' versions beyond {@link MAX_TOMBSTONES}. */
  private pruneTombstones(): void {
    let excess = this.seen.size - this.objects.size - MAX_TOMBSTONES;
    for (const key of this.seen.keys()) {
      if (excess <= 0) return;
      if (!this.objects.has(key)) {
        this.seen.delete(key);
        excess--;
      }
    }
  }

  /** A write whose own event never came: show what the watch sent since. */
  private releaseExpiredPins(): void {
    const now = this.now();
    for (const [key, pin] of this.pins) {
      if (now < pin.until) continue;
      this.pins.delete(key);
      if (pin.hidden) this.put(key, pin.hidden);
    }
  }
}

function objectKey(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
