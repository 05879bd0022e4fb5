import type {
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ObservableMiddleware,
} from '@kubernetes/client-node';
import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import { ClusterDetails } from '../clusters';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ClientNode, loadClientNode } from './clientNode';
import { ClusterReadError } from './errors';
import { sendRequest } from './sendRequest';

/** The Istio API group whose VirtualServices and DestinationRules the plugin reads. */
export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';

/** The Istio kinds the plugin lists, by their plural resource name. */
export type IstioResource = 'virtualservices' | 'destinationrules';

/** One RFC 6902 operation, as the planner writes them. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** One namespaced Istio object, addressed at the version the cluster serves. */
export interface IstioObjectRef {
  version: string;
  resource: IstioResource;
  namespace: string;
  name: string;
}

/**
 * The field manager every write names (`?fieldManager=`), so that
 * `managedFields` tell the plugin's changes apart and Argo CD can be told to
 * leave them alone (`managedFieldsManagers`).
 */
export const FIELD_MANAGER = 'backstage-istio-rollouts';

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

/** The kinds the plugin lists (and the watch cache watches), by their plural resource name. */
export type ObjectKind =
  | 'virtualservices'
  | 'destinationrules'
  | 'deployments'
  | 'services';

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

const WATCH_EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

/** Where a kind is listed and watched, and what its objects are. */
function kindLocation(
  kind: ObjectKind,
  version: string,
): { groupVersion: string; kind: string; prefix: string } {
  switch (kind) {
    case 'virtualservices':
    case 'destinationrules':
      return {
        groupVersion: `${ISTIO_NETWORKING_GROUP}/${version}`,
        kind: kind === 'virtualservices' ? 'VirtualService' : 'DestinationRule',
        prefix: `/apis/${ISTIO_NETWORKING_GROUP}/${encodeURIComponent(
          version,
        )}`,
      };
    case 'deployments':
      return {
        groupVersion: 'apps/v1',
        kind: 'Deployment',
        prefix: '/apis/apps/v1',
      };
    case 'services':
      return { groupVersion: 'v1', kind: 'Service', prefix: '/api/v1' };
    default:
      throw new Error(`Not a watched kind: ${kind as string}`);
  }
}

/** The collection path of a kind: in one namespace, or across all of them. */
function collectionPath(
  kind: ObjectKind,
  version: string,
  namespace?: string,
): string {
  const { prefix } = kindLocation(kind, version);
  return namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind}`
    : `${prefix}/${kind}`;
}

/** A page size that keeps large selections from arriving as one huge response. */
const PAGE_SIZE = 500;

/** Where an in-cluster backend finds its own service account token (as client-go does). */
export const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Builds the client-node KubeConfig of one cluster: one context, one token user. */
export function makeKubeConfig(
  k8s: ClientNode,
  cluster: ClusterDetails,
  inClusterTokenFile: string = IN_CLUSTER_TOKEN_FILE,
): KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        // client-node refuses plain http unless skipTLSVerify is set, although
        // there is no TLS to verify; local clusters and proxies use http.
        skipTLSVerify: cluster.skipTLSVerify || cluster.url.startsWith('http:'),
      },
    ],
    users: [
      cluster.serviceAccountToken
        ? { name: 'istio-rollouts', token: cluster.serviceAccountToken }
        : {
            // No token configured: the backend runs in a cluster and uses its
            // own service account, re-read as the kubelet rotates it.
            name: 'istio-rollouts',
            authProvider: { config: { tokenFile: inClusterTokenFile } },
          },
    ],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'istio-rollouts' },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * One connection pool per cluster. client-node 1.4 builds a new agent for
 * every request, so each call would open a new TCP (and TLS) connection; the
 * plugin sets this agent on every request instead, with the same TLS options
 * client-node derives from the KubeConfig.
 */
export async function keepAliveAgent(
  kc: KubeConfig,
  cluster: ClusterDetails,
): Promise<http.Agent> {
  if (cluster.url.startsWith('http:'))
    return new http.Agent({ keepAlive: true });
  const tls: https.AgentOptions = {};
  await kc.applyToHTTPSOptions(tls);
  return new https.Agent({
    keepAlive: true,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    ...(cluster.skipTLSVerify && { rejectUnauthorized: false }),
  });
}

/** A {@link ClusterClient} speaking to a real API server through client-node. */
export class KubeClusterClient implements ClusterClient {
  static async create(
    cluster: ClusterDetails,
    options: { inClusterTokenFile?: string } = {},
  ): Promise<KubeClusterClient> {
    const tokenFile = options.inClusterTokenFile ?? IN_CLUSTER_TOKEN_FILE;
    if (!cluster.serviceAccountToken && !fs.existsSync(tokenFile)) {
      throw new ClusterReadError(
        'MissingCredentials',
        `Cluster "${cluster.name}" has no serviceAccountToken configured, and the backend has no in-cluster service account token (${tokenFile})`,
      );
    }
    const k8s = await loadClientNode();
    const kc = makeKubeConfig(k8s, cluster, tokenFile);
    return new KubeClusterClient(
      k8s,
      kc,
      cluster,
      await keepAliveAgent(kc, cluster),
    );
  }

  private readonly kc: KubeConfig;
  private readonly customObjects: CustomObjectsApi;
  private readonly core: CoreV1Api;

  private constructor(
    private readonly k8s: ClientNode,
    kc: KubeConfig,
    private readonly cluster: ClusterDetails,
    private readonly agent: http.Agent,
  ) {
    this.kc = kc;
    this.customObjects = this.kc.makeApiClient(k8s.CustomObjectsApi);
    this.core = this.kc.makeApiClient(k8s.CoreV1Api);
  }

  async getIstioVersions(signal: AbortSignal): Promise<string[] | undefined> {
    // No typed client exists for a CRD group's discovery document.
    const path = `/apis/${ISTIO_NETWORKING_GROUP}`;
    const res = await this.send(path, signal);
    if (res.status === 404) return undefined;
    const group = this.parseJson(path, res) as {
      versions?: Array<{ version?: unknown }>;
    };
    return (group.versions ?? [])
      .map(v => v.version)
      .filter((v): v is string => typeof v === 'string');
  }

  async getNamespace(
    name: string,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    try {
      return await this.core.readNamespace({ name }, this.withSignal(signal));
    } catch (e) {
      // The mesh revision is a nicety: a service account without `get
      // namespaces` still sees its rollouts, just without the revision.
      const code = (e as { code?: unknown }).code;
      if (code === 403 || code === 404) return undefined;
      throw e;
    }
  }

  async getIstio(
    { version, resource, namespace, name }: IstioObjectRef,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    try {
      return await this.customObjects.getNamespacedCustomObject(
        {
          group: ISTIO_NETWORKING_GROUP,
          version,
          namespace,
          plural: resource,
          name,
        },
        this.withSignal(signal),
      );
    } catch (e) {
      if ((e as { code?: unknown }).code === 404) return undefined;
      throw e;
    }
  }

  async patchIstio(
    { version, resource, namespace, name }: IstioObjectRef,
    operations: JsonPatchOperation[],
    signal: AbortSignal,
    options: PatchOptions = {},
  ): Promise<KubeObject> {
    const { k8s } = this;
    const path = `${collectionPath(
      resource,
      version,
      namespace,
    )}/${encodeURIComponent(name)}?fieldManager=${FIELD_MANAGER}`;
    const url = `${this.cluster.url}${path}`;
    // client-node's own auth (token, or the in-cluster token file as it rotates).
    const ctx = new k8s.RequestContext(url, k8s.HttpMethod.PATCH);
    await this.kc.applySecurityAuthentication(ctx);
    const { impersonate } = options;
    const res = await sendRequest({
      url,
      method: 'PATCH',
      headers: {
        ...ctx.getHeaders(),
        Accept: 'application/json',
        // Only a JSON Patch carries the `test` guards.
        'Content-Type': 'application/json-patch+json',
        ...(impersonate && {
          'Impersonate-User': impersonate.user,
          ...(impersonate.groups.length && {
            'Impersonate-Group': impersonate.groups,
          }),
        }),
      },
      body: JSON.stringify(operations),
      agent: this.agent,
      signal,
    });
    if (res.status < 200 || res.status > 299) {
      throw new k8s.ApiException(
        res.status,
        `PATCH ${path} failed`,
        res.text,
        res.headers,
      );
    }
    return JSON.parse(res.text) as KubeObject;
  }

  async list(
    kind: ObjectKind,
    { version, labelSelector, namespace, signal }: KindListOptions,
  ): Promise<VersionedList> {
    // Raw JSON for every kind, as watch events arrive: the typed clients
    // would turn timestamps into Dates, drop fields they do not model, and
    // spend CPU building class instances nobody needs.
    const location = kindLocation(kind, version);
    const path = collectionPath(kind, version, namespace);
    let resourceVersion: string | undefined;
    const items = await this.allPages<KubeObject>(async _continue => {
      const query = new URLSearchParams({
        labelSelector,
        limit: String(PAGE_SIZE),
      });
      if (_continue) query.set('continue', _continue);
      const pagePath = `${path}?${query}`;
      const page = this.parseJson(
        pagePath,
        await this.send(pagePath, signal),
      ) as {
        items?: KubeObject[];
        metadata?: { continue?: string; resourceVersion?: string };
      };
      // Every page is served from the first page's snapshot.
      resourceVersion ??= page.metadata?.resourceVersion;
      return page;
    });
    if (!resourceVersion) {
      throw new ClusterReadError(
        'InvalidResponse',
        `Cluster "${this.cluster.name}" answered a list of ${kind} without a resourceVersion`,
      );
    }
    return {
      // List items of built-in kinds omit these; watch events carry them.
      items: items.map(item => ({
        apiVersion: location.groupVersion,
        kind: location.kind,
        ...item,
      })),
      resourceVersion,
    };
  }

  async watch(
    kind: ObjectKind,
    {
      version,
      labelSelector,
      namespace,
      resourceVersion,
      timeoutSeconds,
    }: WatchOptions,
    onEvent: (type: WatchEventType, object: KubeObject) => void,
    onDone: (err?: unknown) => void,
  ): Promise<WatchHandle> {
    // client-node's Watch opens its own connection (its own agent) rather
    // than the pool's: a watch holds it for minutes.
    const path = collectionPath(kind, version, namespace);
    let stopped = false;
    const controller = await new this.k8s.Watch(this.kc).watch(
      path,
      {
        labelSelector,
        resourceVersion,
        timeoutSeconds,
        allowWatchBookmarks: true,
      },
      (type: string, object: KubeObject) => {
        if (!stopped && WATCH_EVENT_TYPES.has(type))
          onEvent(type as WatchEventType, object);
      },
      (err: unknown) => {
        if (stopped) return;
        stopped = true;
        onDone(err ? this.watchError(path, err) : undefined);
      },
    );
    return {
      stop: () => {
        stopped = true;
        controller.abort();
      },
    };
  }

  /**
   * A watch refused with an HTTP status arrives from client-node as a bare
   * Error with `statusCode`; made an ApiException so it reads like every
   * other failed request ({@link kubeStatusCode}).
   */
  private watchError(path: string, err: unknown): unknown {
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode !== 'number') return err;
    const message = String((err as { message?: unknown }).message);
    return new this.k8s.ApiException(
      statusCode,
      `GET ${path}?watch=true failed`,
      message,
      {},
    );
  }

  /**
   * A GET answered as raw text, built with client-node's own pieces: same
   * auth, keep-alive agent and abort signal as every other call.
   */
  private async send(
    pathAndQuery: string,
    signal: AbortSignal,
  ): Promise<{
    status: number;
    text: string;
    headers: Record<string, string>;
  }> {
    const { k8s } = this;
    const ctx = new k8s.RequestContext(
      `${this.cluster.url}${pathAndQuery}`,
      k8s.HttpMethod.GET,
    );
    ctx.setHeaderParam('Accept', 'application/json');
    await this.kc.applySecurityAuthentication(ctx);
    ctx.setAgent(this.agent);
    ctx.setSignal(signal);
    const res = await new k8s.IsomorphicFetchHttpLibrary()
      .send(ctx)
      .toPromise();
    return {
      status: res.httpStatusCode,
      text: await res.body.text(),
      headers: res.headers,
    };
  }

  /** The JSON of a 2xx answer; an ApiException for any other status. */
  private parseJson(
    pathAndQuery: string,
    res: { status: number; text: string; headers: Record<string, string> },
  ): unknown {
    if (res.status < 200 || res.status > 299) {
      throw new this.k8s.ApiException(
        res.status,
        `GET ${pathAndQuery} failed`,
        res.text,
        res.headers,
      );
    }
    return JSON.parse(res.text);
  }

  /** Per-call options that make every request of this read abortable. */
  private withSignal(signal: AbortSignal): ConfigurationOptions {
    const { Observable } = this.k8s;
    const middleware: ObservableMiddleware = {
      pre: ctx => {
        // Runs after client-node set a fresh agent for this one request:
        // replace it with the cluster's, so connections are kept alive.
        ctx.setAgent(this.agent);
        ctx.setSignal(signal);
        return new Observable(Promise.resolve(ctx));
      },
      post: rsp => new Observable(Promise.resolve(rsp)),
    };
    return { middleware: [middleware], middlewareMergeStrategy: 'append' };
  }

  private async allPages<T>(
    fetchPage: (_continue: string | undefined) => Promise<{
      items?: T[];
      metadata?: { continue?: string };
    }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined;
    do {
      const page = await fetchPage(next);
      items.push(...(page.items ?? []));
      next = page.metadata?.continue;
    } while (next);
    return items;
  }
}
