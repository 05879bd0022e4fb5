/*
 * get and list: selectors, and `limit`/`continue` paging with an opaque
 * token that carries the first page's resourceVersion and where to resume.
 */
import { KubeObject } from '../objects';
import { groupVersion } from '../resources';
import { badRequest, gone, notFound } from '../status';
import { filtersOf, matches } from './filters';
import { groupResource, listItem, present } from './present';
import { ApiContext, ApiRequest, ApiResponse } from './types';

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start }),
  ).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      raw?.v !== 'meta.k8s.io/v1' ||
      typeof raw.rv !== 'number' ||
      typeof raw.start !== 'string'
    ) {
      throw new Error('unrecognized continue token');
    }
    return { rv: raw.rv, start: raw.start };
  } catch (e) {
    throw badRequest(`continue key is not valid: ${(e as Error).message}`);
  }
}

function objectSortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function limitOf(query: URLSearchParams): number {
  const limitParam = query.get('limit');
  const limit = limitParam ? Number(limitParam) : 0;
  if (limitParam && (!Number.isInteger(limit) || limit < 0)) {
    throw badRequest(
      `limit: Invalid value: "${limitParam}": must be a non-negative integer`,
    );
  }
  return limit;
}

export function get(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const obj = ctx.store.get(req.type, req.namespace, req.name!);
  if (!obj) throw notFound(groupResource(req.type), req.name!);
  return { code: 200, body: present(req.type, req.version, obj) };
}

export function list(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const f = filtersOf(req);
  const limit = limitOf(req.query);
  const cont = req.query.get('continue');
  let listRv = Number(ctx.store.resourceVersion);
  let start = '';
  if (cont) {
    const token = decodeContinue(cont);
    if (token.rv < ctx.store.oldestResumableVersion) {
      throw gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    listRv = token.rv;
    start = token.start;
  }
  // Stored objects, not copies: only the page is copied, by listItem.
  const all = ctx.store.list(
    req.type,
    req.namespace,
    o => (!cont || objectSortKey(o) > start) && matches(f, o),
  );
  const page = limit > 0 ? all.slice(0, limit) : all;
  const metadata: Record<string, unknown> = {
    resourceVersion: String(listRv),
  };
  if (page.length < all.length) {
    metadata.continue = encodeContinue({
      rv: listRv,
      start: objectSortKey(page[page.length - 1]),
    });
    if (f.labels.length === 0 && f.fields.length === 0) {
      metadata.remainingItemCount = all.length - page.length;
    }
  }
  return {
    code: 200,
    body: {
      kind: `${req.type.kind}List`,
      apiVersion: groupVersion(req.type.group, req.version),
      metadata,
      items: page.map(o => listItem(req, o)),
    },
  };
}
