/*
 * Watches, independent of HTTP: the events before the subscription
 * (synthetic ADDED, or the retained events after a resourceVersion, or a
 * 410 when those fell out of the window), store events translated through
 * the selectors, and bookmarks.
 */
import { KubeObject } from '../objects';
import { groupVersion, resourceKey } from '../resources';
import { gone, invalid, Status } from '../status';
import { StoreEvent } from '../store';
import { Filters, filtersOf, matches } from './filters';
import { present } from './present';
import { ApiContext, ApiRequest, WatchEvent } from './types';

function resourceVersionOf(req: ApiRequest): string {
  const rvParam = req.query.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
      {
        field: 'resourceVersion',
        reason: 'FieldValueInvalid',
        detail: `Invalid value: "${rvParam}": must be a valid resource version`,
      },
    ]);
  }
  return rvParam;
}

/** Whether a watch on this request sees `o` at all, before selectors. */
function scopeOf(req: ApiRequest) {
  // A watch on a named object (GET .../{name}?watch=1) is a watch filtered to that name.
  return (o: KubeObject) =>
    (req.namespace === undefined || o.metadata.namespace === req.namespace) &&
    (req.name === undefined || o.metadata.name === req.name);
}

/**
 * A store event as this watch sees it: objects entering or leaving the
 * selectors are ADDED or DELETED; others are not seen.
 */
function translator(req: ApiRequest, f: Filters) {
  const key = resourceKey(req.type);
  const inScope = scopeOf(req);
  return (e: StoreEvent): WatchEvent | undefined => {
    if (e.key !== key || !inScope(e.object)) return undefined;
    const now = e.type !== 'DELETED' && matches(f, e.object);
    const before = e.previous !== undefined && matches(f, e.previous);
    let type: WatchEvent['type'] | undefined;
    if (e.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (e.type === 'DELETED') type = before ? 'DELETED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    return type
      ? { type, object: present(req.type, req.version, e.object) }
      : undefined;
  };
}

/**
 * Starts a watch. Events before the subscription (synthetic ADDED for the
 * current state, or the retained events after `resourceVersion`) are sent
 * first, then live ones. Returns the function that stops it, or `undefined`
 * when the stream is already over (410 sent as an ERROR event).
 */
export function watch(
  ctx: ApiContext,
  req: ApiRequest,
  send: (e: WatchEvent) => void,
): (() => void) | undefined {
  const f = filtersOf(req);
  const rvParam = resourceVersionOf(req);
  const translate = translator(req, f);
  if (rvParam === '' || rvParam === '0') {
    const inScope = scopeOf(req);
    const current = ctx.store.list(
      req.type,
      req.namespace,
      o => inScope(o) && matches(f, o),
    );
    for (const o of current) {
      send({ type: 'ADDED', object: present(req.type, req.version, o) });
    }
  } else {
    const rv = Number(rvParam);
    const past = ctx.store.eventsSince(rv);
    if (!past) {
      const status: Status = gone(
        `too old resource version: ${rv} (${
          ctx.store.oldestResumableVersion + 1
        })`,
      ).status;
      send({ type: 'ERROR', object: status });
      return undefined;
    }
    for (const e of past) {
      const w = translate(e);
      if (w) send(w);
    }
  }
  return ctx.store.subscribe(e => {
    const w = translate(e);
    if (w) send(w);
  });
}

/** What a BOOKMARK event carries: only the kind and the current resourceVersion. */
export function bookmark(ctx: ApiContext, req: ApiRequest): WatchEvent {
  return {
    type: 'BOOKMARK',
    object: {
      kind: req.type.kind,
      apiVersion: groupVersion(req.type.group, req.version),
      metadata: { resourceVersion: ctx.store.resourceVersion },
    },
  };
}
