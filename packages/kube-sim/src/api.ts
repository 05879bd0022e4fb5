/*
 * The API server's request semantics, independent of HTTP: `KubeApi`
 * routes each verb to its module under api/. Everything is synchronous, so
 * a request's read-check-write cannot interleave with another's (the real
 * server gets the same from etcd's compare-and-swap).
 */
import { deleteCollection, deleteOne } from './api/delete';
import { ensureDefaultNamespace } from './api/namespaces';
import { patch } from './api/patch';
import { present } from './api/present';
import { get, list } from './api/read';
import { ApiContext, ApiRequest, ApiResponse, WatchEvent } from './api/types';
import { bookmark, watch } from './api/watch';
import { create, update } from './api/write';
import { applyManifests, ManifestResult } from './manifests';
import { KubeObject } from './objects';
import { ResourceType } from './resources';
import { methodNotAllowed } from './status';
import { Store } from './store';
import { Validator } from './validation';

export type { ApiRequest, ApiResponse, Verb, WatchEvent } from './api/types';
export { DEFAULT_NAMESPACE } from './api/namespaces';
export type { ManifestResult } from './manifests';

export class KubeApi {
  private readonly ctx: ApiContext;

  constructor(readonly store: Store, validate: Validator) {
    this.ctx = { store, validate };
  }

  /**
   * Answers a non-watch request; throws KubeApiError for error answers.
   * The HTTP server sends every non-watch request through here, so tests
   * may wrap it to observe what was served.
   */
  handle(req: ApiRequest): ApiResponse {
    switch (req.verb) {
      case 'get':
        return get(this.ctx, req);
      case 'list':
        return list(this.ctx, req);
      case 'create':
        return create(this.ctx, req);
      case 'update':
        return update(this.ctx, req);
      case 'patch':
        return patch(this.ctx, req);
      case 'delete':
        return deleteOne(this.ctx, req);
      case 'deletecollection':
        return deleteCollection(this.ctx, req);
      default:
        throw methodNotAllowed();
    }
  }

  /** An object as answered at the requested version. */
  present(type: ResourceType, version: string, obj: KubeObject): KubeObject {
    return present(type, version, obj);
  }

  /**
   * Starts a watch. Events before the subscription (synthetic ADDED for the
   * current state, or the retained events after `resourceVersion`) are sent
   * first, then live ones. Returns the function that stops it, or `undefined`
   * when the stream is already over (410 sent as an ERROR event).
   */
  watch(
    req: ApiRequest,
    send: (e: WatchEvent) => void,
  ): (() => void) | undefined {
    return watch(this.ctx, req, send);
  }

  /** What a BOOKMARK event carries: only the kind and the current resourceVersion. */
  bookmark(req: ApiRequest): WatchEvent {
    return bookmark(this.ctx, req);
  }

  /** Makes sure the `default` namespace exists, as it does in every cluster. */
  ensureDefaultNamespace() {
    ensureDefaultNamespace(this.store);
  }

  /**
   * Loads manifests through the control API: validated like API writes, but
   * status is kept as given and missing namespaces are created. With
   * `replace`, every object not in the manifests is deleted first.
   */
  applyManifests(
    objects: KubeObject[],
    options: { replace: boolean },
  ): ManifestResult[] {
    return applyManifests(this.ctx, objects, options);
  }
}
