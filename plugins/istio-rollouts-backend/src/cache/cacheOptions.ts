import type { Config } from '@backstage/config';
import { DEFAULT_ALLOWED_ACTIONS_TTL_MS } from '../permissions';
import { DEFAULT_LAST_KNOWN_MAX_AGE_MS } from '../rollouts';

/** How long the catalog's claims are reused when `claimsTtlMs` is not set. */
export const DEFAULT_CLAIMS_TTL_MS = 10 * 1000;

/** The per-replica caches, as `istioRollouts.cache` configures them. */
export interface CacheOptions {
  /** Serve reads from list+watch after an entity's first read in a cluster. */
  watch: boolean;
  /** How long the actions offered to a user on an entity are reused; 0 asks on every read. */
  allowedActionsTtlMs: number;
  /** How long the catalog's claims on Kubernetes objects are reused; 0 asks on every read. */
  claimsTtlMs: number;
  /** How long a cluster that stops answering still shows its last-known rollouts, marked stale; 0 never does. */
  lastKnownMaxAgeMs: number;
}

/** Reads `istioRollouts.cache`, refusing values that would mean something else than intended. */
export function readCacheOptions(config: Config): CacheOptions {
  const cache = config.getOptionalConfig('istioRollouts.cache');
  const ttl = (key: string, fallback: number) => {
    const value = cache?.getOptionalNumber(key);
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new Error(
        `Istio Rollouts: istioRollouts.cache.${key} must be 0 or a positive number of milliseconds, got ${value}`,
      );
    }
    return value ?? fallback;
  };
  return {
    watch: cache?.getOptionalBoolean('watch') ?? true,
    allowedActionsTtlMs: ttl(
      'allowedActionsTtlMs',
      DEFAULT_ALLOWED_ACTIONS_TTL_MS,
    ),
    claimsTtlMs: ttl('claimsTtlMs', DEFAULT_CLAIMS_TTL_MS),
    lastKnownMaxAgeMs: ttl('lastKnownMaxAgeMs', DEFAULT_LAST_KNOWN_MAX_AGE_MS),
  };
}
