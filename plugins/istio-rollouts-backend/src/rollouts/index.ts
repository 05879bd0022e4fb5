export { RolloutsReader } from './RolloutsReader';
export type {
  BuildRollouts,
  ClusterRead,
  RolloutReadModel,
  RolloutsRead,
} from './RolloutsReader';
export { fetchClusterObjects } from './fetchClusterObjects';
export {
  LastKnownRollouts,
  DEFAULT_LAST_KNOWN_MAX_AGE_MS,
} from './LastKnownRollouts';
export { isNotAnswering, markStale, staleLock } from './stale';
