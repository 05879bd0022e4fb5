export {
  WatchCache,
  DEFAULT_WATCH_IDLE_TIMEOUT_MS,
  DEFAULT_WATCH_MAX_ENTRIES,
  DEFAULT_WATCH_RETRY_AFTER_FAILURE_MS,
  DEFAULT_WATCH_TIMEOUT_SECONDS,
} from './WatchCache';
export type { WatchCacheOptions } from './WatchCache';
export type { CachedClusterObjects } from './CacheEntry';
export {
  WatchedList,
  WatchStatusError,
  DEFAULT_WRITE_PIN_MS,
  DEFAULT_WATCH_REQUEST_TIMEOUT_MS,
} from './WatchedList';
export type { WatchedListOptions, WatchedListState } from './WatchedList';
export { readCacheOptions, DEFAULT_CLAIMS_TTL_MS } from './cacheOptions';
export type { CacheOptions } from './cacheOptions';
