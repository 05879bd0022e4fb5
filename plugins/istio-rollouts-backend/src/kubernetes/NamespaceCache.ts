import type { KubeObject } from '@internal/plugin-istio-rollouts-common';

/** How long a Namespace read is answered without asking the cluster again. */
export const DEFAULT_NAMESPACE_TTL_MS = 60 * 1000;

/** How long a background refresh may take before it is abandoned. */
const REFRESH_TIMEOUT_MS = 10 * 1000;

/** Reads one Namespace; undefined when it is gone or may not be read. */
export type ReadNamespace = (
  name: string,
  signal: AbortSignal,
) => Promise<KubeObject | undefined>;

interface Entry {
  namespace: KubeObject | undefined;
  readAt: number;
  refreshing?: Promise<unknown>;
}

/**
 * Remembers the Namespaces rollouts live in, per cluster, so that a read
 * does not wait for a second round trip after its lists: the plugin only
 * needs a Namespace for its mesh revision label, which changes on a mesh
 * upgrade, not between page loads. A namespace never seen before is read
 * before answering; a known one is answered from memory and, once older than
 * the TTL, refreshed in the background (stale-while-revalidate). Per replica
 * and optional for correctness: nothing is written on the strength of it.
 */
export class NamespaceCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_NAMESPACE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** The Namespaces of these names that exist (and may be read), in the order asked. */
  async get(
    cluster: string,
    names: string[],
    read: ReadNamespace,
    signal: AbortSignal,
  ): Promise<KubeObject[]> {
    const found = await Promise.all(
      names.map(name => this.getOne(cluster, name, read, signal)),
    );
    return found.filter((ns): ns is KubeObject => ns !== undefined);
  }

  private async getOne(
    cluster: string,
    name: string,
    read: ReadNamespace,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    const key = `${cluster}\u0000${name}`;
    const cached = this.entries.get(key);
    if (!cached) {
      const namespace = await read(name, signal);
      this.entries.set(key, { namespace, readAt: this.now() });
      return namespace;
    }
    if (this.now() - cached.readAt >= this.ttlMs && !cached.refreshing) {
      // Not the read's signal: the read ends (and aborts it) before this does.
      cached.refreshing = read(
        name,
        AbortSignal.timeout(REFRESH_TIMEOUT_MS),
      ).then(
        namespace =>
          this.entries.set(key, {
            namespace: sameVersion(cached.namespace, namespace)
              ? cached.namespace
              : namespace,
            readAt: this.now(),
          }),
        // A failed refresh keeps the old answer; the next read tries again.
        () => {
          cached.refreshing = undefined;
        },
      );
    }
    return cached.namespace;
  }
}

/**
 * An unchanged Namespace keeps its object: the reader reuses a cluster's read
 * model only while every input is the very same object, so a new copy of the
 * same Namespace every TTL would rebuild the whole cluster for nothing.
 */
function sameVersion(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): boolean {
  const version = before?.metadata?.resourceVersion;
  return version !== undefined && version === after?.metadata?.resourceVersion;
}
