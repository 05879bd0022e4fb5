import type { Config } from '@backstage/config';
import { DEFAULT_ALLOWED_ACTIONS_TTL_MS } from './permissions';

/** The per-replica caches, as `istioRollouts.cache` configures them. */
export interface CacheOptions {
  /** Serve reads from list+watch after an entity's first read in a cluster. */
  watch: boolean;
  /** How long the actions offered to a user on an entity are reused; 0 asks on every read. */
  allowedActionsTtlMs: number;
}

/** Reads `istioRollouts.cache`, refusing values that would mean something else than intended. */
export function readCacheOptions(config: Config): CacheOptions {
  const cache = config.getOptionalConfig('istioRollouts.cache');
  const ttl = cache?.getOptionalNumber('allowedActionsTtlMs');
  if (ttl !== undefined && (!Number.isFinite(ttl) || ttl < 0)) {
    throw new Error(
      `Istio Rollouts: istioRollouts.cache.allowedActionsTtlMs must be 0 or a positive number of milliseconds, got ${ttl}`,
    );
  }
  return {
    watch: cache?.getOptionalBoolean('watch') ?? true,
    allowedActionsTtlMs: ttl ?? DEFAULT_ALLOWED_ACTIONS_TTL_MS,
  };
}
