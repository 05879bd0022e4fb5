import type {
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ObservableMiddleware,
} from '@kubernetes/client-node';
import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import http from 'node:http';
import { ClusterDetails } from '../clusters';
import { ClientNode, loadClientNode } from './clientNode';
import type {
  ClusterClient,
  CustomObjectRef,
  IstioObjectRef,
  JsonPatchOperation,
  KindListOptions,
  PatchOptions,
  VersionedList,
  WatchEventType,
  WatchHandle,
  WatchOptions,
} from './ClusterClient';
import {
  assertCredentials,
  IN_CLUSTER_TOKEN_FILE,
  keepAliveAgent,
  makeKubeConfig,
} from './connection';
import { ClusterReadError } from './errors';
import {
  collectionPath,
  ISTIO_NETWORKING_GROUP,
  kindLocation,
  ObjectKind,
} from './kinds';
import { sendRequest } from './sendRequest';

/**
 * The field manager every write names (`?fieldManager=`), so that
 * `managedFields` tell the plugin's changes apart and Argo CD can be told to
 * leave them alone (`managedFieldsManagers`).
 */
export const FIELD_MANAGER = 'backstage-istio-rollouts';

const WATCH_EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

/** A page size that keeps large selections from arriving as one huge response. */
const PAGE_SIZE = 500;

/** A {@link ClusterClient} speaking to a real API server through client-node. */
export class KubeClusterClient implements ClusterClient {
  static async create(
    cluster: ClusterDetails,
    options: { inClusterTokenFile?: string } = {},
  ): Promise<KubeClusterClient> {
    const tokenFile = options.inClusterTokenFile ?? IN_CLUSTER_TOKEN_FILE;
    assertCredentials(cluster, tokenFile);
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

  getIstio(
    { version, resource, namespace, name }: IstioObjectRef,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    return this.getCustomObject(
      {
        group: ISTIO_NETWORKING_GROUP,
        version,
        plural: resource,
        namespace,
        name,
      },
      signal,
    );
  }

  async getCustomObject(
    ref: CustomObjectRef,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    try {
      return await this.customObjects.getNamespacedCustomObject(
        ref,
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
