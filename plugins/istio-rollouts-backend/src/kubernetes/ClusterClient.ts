import type {
  JsonPatchOperation,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import type { IstioResource, ObjectKind } from './kinds';

// One RFC 6902 operation, as the planner writes them: the wire type.
export type { JsonPatchOperation };

/** One namespaced Istio object, addressed at the version the cluster serves. */
export interface IstioObjectRef {
  version: string;
  resource: IstioResource;
  namespace: string;
  name: string;
}

/** One namespaced custom object, e.g. an Argo CD Application or a Flux Kustomization. */
export interface CustomObjectRef {
  /** The API group, e.g. `argoproj.io`. */
  group: string;
  version: string;
  /** The resource's plural name, e.g. `applications`. */
  plural: string;
  namespace: string;
  name: string;
}

/** Who a write is made as, when the cluster is configured to impersonate. */
export interface Impersonation {
  /** `Impersonate-User`: the acting user's entity ref. */
  user: string;
  /** One `Impersonate-Group` line each: the user's ownership groups. */
  groups: string[];
}

/** How a patch is sent. */
export interface PatchOptions {
  /** Send it as this user and these groups, for the cluster's RBAC to decide. */
  impersonate?: Impersonation;
}

/** What to list: only the entity's objects, never a whole cluster. */
export interface ListOptions {
  labelSelector: string;
  /** Only this namespace; every namespace when absent. */
  namespace?: string;
  signal: AbortSignal;
}

/** What to list: {@link ListOptions} of one kind, at the cluster's Istio version. */
export interface KindListOptions extends ListOptions {
  /** The Istio API version of VirtualServices and DestinationRules; ignored for workloads. */
  version: string;
}

/** One list, all pages, and the resourceVersion a watch continues from. */
export interface VersionedList {
  items: KubeObject[];
  resourceVersion: string;
}

/** What to watch: the same selection as the list, from the list's resourceVersion. */
export interface WatchOptions {
  /** The Istio API version of VirtualServices and DestinationRules; ignored for workloads. */
  version: string;
  labelSelector: string;
  /** Only this namespace; every namespace when absent. */
  namespace?: string;
  /** Events after this version are sent; an unknown or too old one ends in 410 Gone. */
  resourceVersion: string;
  /** The API server ends the watch (normally) after this long. */
  timeoutSeconds: number;
}

/** A watch event's type, as the API server sends it. */
export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

/** An open watch. */
export interface WatchHandle {
  /** Closes the watch; neither of its callbacks is called afterwards. */
  stop(): void;
}

/** The Kubernetes calls the plugin makes to one cluster. */
export interface ClusterClient {
  /**
   * The versions the cluster serves for `networking.istio.io`
   * (`GET /apis/networking.istio.io`), or undefined when it serves no such
   * group, i.e. Istio's CRDs are not installed.
   */
  getIstioVersions(signal: AbortSignal): Promise<string[] | undefined>;
  /** The Namespace object, or undefined when it is gone or the plugin may not read it. */
  getNamespace(
    name: string,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined>;
  /** One Istio object by name, or undefined when it does not exist. */
  getIstio(
    ref: IstioObjectRef,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined>;
  /**
   * One custom object by name, as raw Kubernetes JSON, or undefined when the
   * API server answers 404: the object does not exist, or its CRD is not
   * installed (e.g. no Argo CD in this cluster).
   */
  getCustomObject(
    ref: CustomObjectRef,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined>;
  /**
   * Sends an RFC 6902 JSON Patch (`application/json-patch+json`) and answers
   * the object as the API server stored it. Its `test` operations and its
   * resourceVersion make the server refuse (409/422) a stale write.
   */
  patchIstio(
    ref: IstioObjectRef,
    operations: JsonPatchOperation[],
    signal: AbortSignal,
    options?: PatchOptions,
  ): Promise<KubeObject>;
  /**
   * Lists one kind with the label selector, all pages, as raw Kubernetes
   * JSON (every item with its apiVersion and kind, as watch events carry
   * them), with the list's resourceVersion to start a watch from. Reads
   * and the watch cache list the same way, so both see the same objects.
   */
  list(kind: ObjectKind, options: KindListOptions): Promise<VersionedList>;
  /**
   * Watches one kind with the label selector from `resourceVersion`, with
   * bookmarks. `onEvent` gets each event (an ERROR event carries a Kubernetes
   * `Status`); `onDone` is called once when the stream ends: without an error
   * when the server ended it (e.g. after `timeoutSeconds`), with one whose
   * status {@link kubeStatusCode} reads when the server refused the watch.
   */
  watch(
    kind: ObjectKind,
    options: WatchOptions,
    onEvent: (type: WatchEventType, object: KubeObject) => void,
    onDone: (err?: unknown) => void,
  ): Promise<WatchHandle>;
}
