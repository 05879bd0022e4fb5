export type {
  ClusterClient,
  Impersonation,
  IstioObjectRef,
  IstioResource,
  JsonPatchOperation,
  KindListOptions,
  PatchOptions,
  ListOptions,
  ObjectKind,
  VersionedList,
  WatchEventType,
  WatchHandle,
  WatchOptions,
} from './ClusterClient';
export {
  KubeClusterClient,
  FIELD_MANAGER,
  ISTIO_NETWORKING_GROUP,
  makeKubeConfig,
} from './ClusterClient';
export { ClusterClients } from './ClusterClients';
export type { ClusterClientFactory } from './ClusterClients';
export { loadClientNode } from './clientNode';
export type { ClientNode } from './clientNode';
export {
  ClusterReadError,
  describeClusterError,
  withoutUrls,
  kubeStatusCode,
  kubeStatusMessage,
} from './errors';
export type { ClusterErrorInfo, ClusterErrorReason } from './errors';
export {
  IstioVersionCache,
  chooseIstioVersion,
  ISTIO_VERSION_PREFERENCE,
  DEFAULT_ISTIO_VERSION_TTL_MS,
} from './IstioVersions';
export { NamespaceCache, DEFAULT_NAMESPACE_TTL_MS } from './NamespaceCache';
export type { ReadNamespace } from './NamespaceCache';
