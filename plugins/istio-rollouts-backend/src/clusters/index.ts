export type {
  CatalogOrigin,
  ClusterDetails,
  ClusterSource,
  UnavailableCluster,
} from './types';
export { staticClusterSource } from './types';
export {
  readClusters,
  readClusterTimeoutMs,
  readRequireNamespaceConsent,
  DEFAULT_CLUSTER_TIMEOUT_MS,
} from './readClusters';
export {
  readCatalogClustersConfig,
  DEFAULT_CATALOG_CLUSTERS_REFRESH_SECONDS,
} from './catalogClustersConfig';
export type {
  CatalogClustersConfig,
  CatalogCredentials,
} from './catalogClustersConfig';
export { locateCatalogClusters, readCatalogCluster } from './catalogCluster';
export type { CatalogClusters, CatalogClusterReading } from './catalogCluster';
export { ClusterRegistry } from './ClusterRegistry';
export type { CatalogClustersSource } from './ClusterRegistry';
export {
  startCatalogClusters,
  CATALOG_CLUSTERS_TASK_ID,
} from './catalogClustersTask';
export { readingMessage } from './readingMessage';
