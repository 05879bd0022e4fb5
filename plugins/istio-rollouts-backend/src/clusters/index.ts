export type { ClusterDetails } from './types';
export {
  readClusters,
  readClusterTimeoutMs,
  readRequireNamespaceConsent,
  DEFAULT_CLUSTER_TIMEOUT_MS,
} from './readClusters';
