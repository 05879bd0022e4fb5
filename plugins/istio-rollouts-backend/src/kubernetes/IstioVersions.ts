import { ClusterReadError } from './errors';

/**
 * The Istio networking versions the plugin reads, best first: `v1` since
 * Istio 1.22, `v1beta1` before it, `v1alpha3` on old meshes. All three carry
 * the same VirtualService and DestinationRule schema.
 */
export const ISTIO_VERSION_PREFERENCE = ['v1', 'v1beta1', 'v1alpha3'] as const;

/** How long a discovered version is trusted before asking the cluster again. */
export const DEFAULT_ISTIO_VERSION_TTL_MS = 10 * 60 * 1000;

/** The preferred version among those a cluster serves, if it serves any the plugin reads. */
export function chooseIstioVersion(served: string[]): string | undefined {
  return ISTIO_VERSION_PREFERENCE.find(v => served.includes(v));
}

/**
 * Remembers per cluster which Istio API version to read, so a page load costs
 * one discovery request per cluster per TTL rather than one per read. Only
 * successes are cached: a cluster without Istio is asked again next time, so
 * installing Istio shows up without a restart. Per replica and optional for
 * correctness: a miss only costs one request.
 */
export class IstioVersionCache {
  private readonly entries = new Map<
    string,
    { version: string; expiresAt: number }
  >();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_ISTIO_VERSION_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The version to read in `cluster`, discovering it when unknown or stale.
   * Throws a {@link ClusterReadError} when the cluster has no Istio API the
   * plugin can read.
   */
  async get(
    cluster: string,
    discover: () => Promise<string[] | undefined>,
  ): Promise<string> {
    const cached = this.entries.get(cluster);
    if (cached && cached.expiresAt > this.now()) return cached.version;

    const served = await discover();
    if (!served) {
      this.entries.delete(cluster);
      throw new ClusterReadError(
        'IstioNotInstalled',
        `Cluster "${cluster}" serves no networking.istio.io API: Istio's CRDs are not installed there`,
      );
    }
    const version = chooseIstioVersion(served);
    if (!version) {
      this.entries.delete(cluster);
      throw new ClusterReadError(
        'IstioNotInstalled',
        `Cluster "${cluster}" serves networking.istio.io only at ${
          served.join(', ') || 'no version'
        }; the plugin reads ${ISTIO_VERSION_PREFERENCE.join(', ')}`,
      );
    }
    this.entries.set(cluster, { version, expiresAt: this.now() + this.ttlMs });
    return version;
  }

  /** Forgets the cluster's version, e.g. after a list at it answered 404. */
  invalidate(cluster: string): void {
    this.entries.delete(cluster);
  }
}
