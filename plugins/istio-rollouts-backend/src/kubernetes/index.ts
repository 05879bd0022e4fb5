export type {
  ClusterClient,
  CustomObjectRef,
  Impersonation,
  IstioObjectRef,
  JsonPatchOperation,
  KindListOptions,
  PatchOptions,
  ListOptions,
  VersionedList,
  WatchEventType,
  WatchHandle,
  WatchOptions,
} from './ClusterClient';
export type { IstioResource, ObjectKind } from './kinds';
export { ISTIO_NETWORKING_GROUP } from './kinds';
export { KubeClusterClient, FIELD_MANAGER } from './KubeClusterClient';
export { makeKubeConfig } from './connection';
export { withTimeout } from './withTimeout';
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
