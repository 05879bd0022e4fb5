/*
 * A Kubernetes request, in the API server's filter order: authentication,
 * the request log, injected faults, impersonation, routing, authorization,
 * then the API (or a watch stream).
 */
import * as http from 'node:http';
import { ApiRequest } from '../api';
import {
  ALL_AUTHENTICATED,
  authenticate,
  authorize,
  CLUSTER_ADMIN,
  Identity,
  identityOf,
} from '../auth';
import { FaultTarget } from '../faults';
import {
  ImpersonationHeaders,
  impersonate,
  internalErrorText,
  readImpersonationHeaders,
} from '../impersonation';
import { bodyForLog, queryToObject, RequestLogEntry } from '../requestLog';
import { parseRoute, Route } from '../routes';
import { sendText } from '../respond';
import {
  forbidden,
  methodNotAllowed,
  routeNotFound,
  unauthorized,
} from '../status';
import { ServerContext } from './context';
import { discoveryDoc, VERSION_INFO } from './discovery';
import { PendingWork } from './pending';
import { Exchange, faultsBefore, Reply, replyFor } from './reply';
import { streamWatch } from './watch';

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

/** Everything the authorizer and the fault matcher need to know about a route. */
function describeRoute(route: Route): FaultTarget & { group?: string } {
  if (route.kind === 'resource') {
    return {
      verb: route.verb,
      group: route.type.group,
      resource: route.type.plural,
      subresource: route.subresource,
      // RequestInfo treats a namespace object's own name as its namespace.
      namespace:
        route.type.kind === 'Namespace' && route.name !== undefined
          ? route.name
          : route.namespace,
    };
  }
  return { verb: 'get' };
}

/** The bearer token's identity; undefined when it is missing or unknown. */
function authenticateRequest(
  ctx: ServerContext,
  req: http.IncomingMessage,
): Identity | undefined {
  // Without a users file everyone is cluster-admin and nothing is checked.
  if (!ctx.users)
    return {
      name: CLUSTER_ADMIN,
      groups: ['system:masters', ALL_AUTHENTICATED],
    };
  const user = authenticate(ctx.users, req.headers.authorization);
  return user && identityOf(user);
}

function logEntry(
  method: string,
  url: URL,
  req: http.IncomingMessage,
  body: string,
  route: Route,
  identity: Identity | undefined,
  impersonation: ImpersonationHeaders | undefined,
): RequestLogEntry {
  const entry: RequestLogEntry = {
    method,
    path: url.pathname,
    query: queryToObject(url.searchParams),
    contentType: req.headers['content-type'],
    status: 0,
    time: new Date().toISOString(),
    user: identity?.name,
    verb: describeRoute(route).verb,
  };
  if (impersonation?.user) entry.impersonatedUser = impersonation.user;
  if (impersonation?.groups.length)
    entry.impersonatedGroups = impersonation.groups;
  if (route.kind === 'resource') {
    entry.resource = route.subresource
      ? `${route.type.plural}/${route.subresource}`
      : route.type.plural;
    if (route.namespace) entry.namespace = route.namespace;
    if (route.name) entry.name = route.name;
  }
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
    entry.body = bodyForLog(body);
  return entry;
}

export async function handleKubeRequest(
  ctx: ServerContext,
  pending: PendingWork,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: string,
) {
  const method = (req.method ?? 'GET').toUpperCase();
  const route = parseRoute(method, url.pathname, url.searchParams);
  if (route.kind === 'health') {
    sendText(res, 200, 'ok');
    return;
  }
  const identity = authenticateRequest(ctx, req);
  const impersonation = readImpersonationHeaders(req);
  const entry = logEntry(
    method,
    url,
    req,
    body,
    route,
    identity,
    impersonation,
  );
  ctx.requests.add(entry);

  const target = describeRoute(route);
  const effect = ctx.faults.apply(target);
  const x: Exchange = { req, res, entry };
  const reply = replyFor(
    x,
    pending,
    target.verb === 'watch' ? undefined : effect?.after,
  );
  if (effect && (await faultsBefore(x, pending, effect, reply))) return;

  if (route.kind === 'version') {
    reply.json(200, VERSION_INFO);
    return;
  }
  if (route.kind === 'noRoute') {
    reply.text(404, '404 page not found\n');
    return;
  }
  if (!identity) {
    reply.error(unauthorized());
    return;
  }
  // The apiserver impersonates right after authenticating, before routing.
  const acting = impersonation
    ? impersonateOrAnswer(ctx, x, reply, identity, impersonation)
    : identity;
  if (!acting) return;
  if (route.kind === 'notFound') reply.error(routeNotFound());
  else if (route.kind === 'methodNotAllowed') reply.error(methodNotAllowed());
  else if (route.kind === 'discovery') {
    const doc = discoveryDoc(route, req);
    if (doc) reply.json(200, doc);
    else reply.error(routeNotFound());
  } else serveResource(ctx, pending, x, reply, route, acting, url, body);
}

/** The impersonated identity, or undefined once the refusal is answered. */
function impersonateOrAnswer(
  ctx: ServerContext,
  x: Exchange,
  reply: Reply,
  identity: Identity,
  impersonation: ImpersonationHeaders,
): Identity | undefined {
  const r = impersonate(ctx.users, identity, impersonation);
  if ('internalError' in r) {
    reply.text(500, internalErrorText(x.req.url ?? '/', r.internalError));
    return undefined;
  }
  if ('error' in r) {
    reply.error(r.error);
    return undefined;
  }
  return r.identity;
}

/** Authorizes a resource request, then serves it by the API or as a watch stream. */
function serveResource(
  ctx: ServerContext,
  pending: PendingWork,
  x: Exchange,
  reply: Reply,
  route: ResourceRoute,
  identity: Identity,
  url: URL,
  body: string,
) {
  const attrs = {
    verb: route.verb,
    group: route.type.group,
    resource: x.entry.resource!,
    namespace: describeRoute(route).namespace,
    name: route.name,
  };
  if (ctx.users && !authorize(ctx.users, identity, attrs)) {
    reply.error(forbidden({ user: identity.name, ...attrs }));
    return;
  }
  const apiReq: ApiRequest = {
    verb: route.verb,
    type: route.type,
    version: route.version,
    namespace: route.namespace,
    name: route.name,
    subresource: route.subresource,
    query: url.searchParams,
    contentType: x.req.headers['content-type'],
    body,
    userAgent: x.req.headers['user-agent'],
  };
  try {
    if (route.verb === 'watch') {
      x.entry.status = streamWatch(
        ctx,
        pending,
        x.res,
        apiReq,
        describeRoute(route),
      );
      return;
    }
    const r = ctx.api.handle(apiReq);
    reply.json(r.code, r.body);
  } catch (e) {
    reply.error(e);
  }
}
