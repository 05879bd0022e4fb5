import type {
  ClusterObjects,
  KubeObject,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';

/** How many reads are remembered; as many as the watch cache keeps entries by default. */
export const MAX_REMEMBERED_READS = 1000;

/** How long a cluster that stops answering still shows its last-known rollouts, unless configured. */
export const DEFAULT_LAST_KNOWN_MAX_AGE_MS = 15 * 60 * 1000;

interface Remembered {
  istioVersion: string;
  inputs: KubeObject[][];
  rollouts: RolloutReadModel[];
  /** When the cluster last answered (a list, or a watch in sync). */
  seenAt: number;
}

/** When a remembered read was made, and what it showed. */
export interface LastKnown {
  rollouts: RolloutReadModel[];
  seenAt: number;
}

function inputsOf(objects: ClusterObjects): KubeObject[][] {
  return [
    objects.virtualServices,
    objects.destinationRules,
    objects.deployments,
    objects.services,
    objects.namespaces,
  ];
}

/**
 * The very object, or the same version of it: a list the watch cache makes
 * again (its first list, a relist after a lapsed watch) answers new copies of
 * unchanged objects, which must not rebuild a cluster's read model. Objects
 * without a resourceVersion are compared by identity only.
 */
function sameObject(a: KubeObject, b: KubeObject): boolean {
  if (a === b) return true;
  const version = a.metadata?.resourceVersion;
  return (
    version !== undefined &&
    version === b.metadata?.resourceVersion &&
    a.metadata?.name === b.metadata?.name &&
    a.metadata?.namespace === b.metadata?.namespace &&
    a.metadata?.uid === b.metadata?.uid
  );
}

/**
 * The last read model per cluster and entity selection, with the objects it
 * was built from and when the cluster answered them. Two uses: the read
 * model is built again only when an object is not the very one the last
 * build saw, nor the same version of it (the watch cache answers the same
 * objects until something changes, so a polling page costs nothing), and a cluster that stops
 * answering still shows what it last answered, for at most `maxAgeMs`.
 * Per replica and bounded: the least recently read entry makes room.
 */
export class LastKnownRollouts {
  private readonly entries = new Map<string, Remembered>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    options: {
      maxAgeMs?: number;
      maxEntries?: number;
      now?: () => number;
    } = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_LAST_KNOWN_MAX_AGE_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? MAX_REMEMBERED_READS);
    this.now = options.now ?? Date.now;
  }

  /** The read model of objects the cluster just answered, remembered as its last-known state. */
  remember(
    key: string,
    objects: ClusterObjects,
    build: (objects: ClusterObjects) => RolloutReadModel[],
  ): RolloutReadModel[] {
    const inputs = inputsOf(objects);
    const last = this.entries.get(key);
    const unchanged =
      last &&
      last.istioVersion === objects.istioVersion &&
      last.inputs.every(
        (list, i) =>
          list.length === inputs[i].length &&
          list.every((o, j) => sameObject(o, inputs[i][j])),
      );
    const rollouts = unchanged ? last.rollouts : build(objects);
    // Maps iterate in insertion order: re-inserted, the least recently read stays first.
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, {
      istioVersion: objects.istioVersion,
      inputs,
      rollouts,
      seenAt: this.now(),
    });
    return rollouts;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** What the cluster last answered, if it did at most `maxAgeMs` ago; older is forgotten. */
  recall(key: string): LastKnown | undefined {
    const last = this.entries.get(key);
    if (!last) return undefined;
    if (this.maxAgeMs <= 0 || this.now() - last.seenAt > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { rollouts: last.rollouts, seenAt: last.seenAt };
  }
}
