export type { ClusterDetails } from './types';
export {
  readClusters,
  readClusterTimeoutMs,
  DEFAULT_CLUSTER_TIMEOUT_MS,
} from './readClusters';
