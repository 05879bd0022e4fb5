/*
 * The HTTP side: routing requests to discovery, the API and the /_sim/
 * control API; authentication, impersonation and authorization; injected faults; the
 * request log; and streaming watches.
 */
import * as http from 'node:http';
import { ApiRequest, KubeApi, WatchEvent } from './api';
import {
  ALL_AUTHENTICATED,
  authenticate,
  authorize,
  CLUSTER_ADMIN,
  Identity,
  identityOf,
  UsersConfig,
} from './auth';
import { handleControl } from './control';
import { Faults, FaultTarget } from './faults';
import {
  impersonate,
  internalErrorText,
  readImpersonationHeaders,
} from './impersonation';
import {
  bodyForLog,
  queryToObject,
  RequestLog,
  RequestLogEntry,
} from './requestLog';
import {
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './resources';
import { parseRoute, Route } from './routes';
import { asApiError, readBody, sendJson, sendText } from './respond';
import {
  forbidden,
  genericStatus,
  methodNotAllowed,
  routeNotFound,
  unauthorized,
} from './status';
import { Store } from './store';

export interface ServerContext {
  api: KubeApi;
  store: Store;
  faults: Faults;
  requests: RequestLog;
  /** Without users every request is served as cluster-admin. */
  users?: UsersConfig;
  bookmarkIntervalMs: number;
}

/** How long an idle keep-alive connection stays open: kube-apiserver's IdleTimeout. */
export const KEEP_ALIVE_TIMEOUT_MS = 90_000;

export const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0+kube-sim',
  gitCommit: 'kube-sim',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

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

export function createKubeSimServer(ctx: ServerContext) {
  const watches = new Set<() => void>();
  /** Injected latencies still waiting; ended early when the simulator closes. */
  const pendingDelays = new Map<() => void, NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>(resolve => {
      const end = () => {
        pendingDelays.delete(end);
        resolve();
      };
      pendingDelays.set(end, setTimeout(end, ms));
    });

  function discovery(
    route: Extract<Route, { kind: 'discovery' }>,
    req: http.IncomingMessage,
  ) {
    switch (route.doc) {
      case 'api':
        return apiVersions(req.headers.host ?? '127.0.0.1');
      case 'apis':
        return apiGroupList();
      case 'group':
        return apiGroupDoc(route.group);
      default:
        return apiResourceList(route.group, route.version!);
    }
  }

  function streamWatch(res: http.ServerResponse, apiReq: ApiRequest): number {
    // Events produced while starting are held until we know the watch is valid,
    // so that a bad selector is still an ordinary error response.
    const pending: WatchEvent[] = [];
    let live = false;
    const write = (e: WatchEvent) => {
      if (!res.writableEnded && !res.destroyed)
        res.write(`${JSON.stringify(e)}\n`);
    };
    const stop = ctx.api.watch(apiReq, e =>
      live ? write(e) : pending.push(e),
    );
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    live = true;
    pending.forEach(write);
    if (!stop) {
      res.end();
      return 200;
    }
    const timers: NodeJS.Timeout[] = [];
    const allow = apiReq.query.get('allowWatchBookmarks');
    if (allow === 'true' || allow === '1') {
      timers.push(
        setInterval(
          () => write(ctx.api.bookmark(apiReq)),
          ctx.bookmarkIntervalMs,
        ),
      );
    }
    const timeoutSeconds = Number(apiReq.query.get('timeoutSeconds') ?? '0');
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      stop();
      timers.forEach(t => clearInterval(t));
      watches.delete(finish);
      if (!res.writableEnded) res.end();
    };
    if (timeoutSeconds > 0)
      timers.push(setTimeout(finish, timeoutSeconds * 1000));
    watches.add(finish);
    // The response closes when the client goes away (or the connection is cut).
    res.on('close', finish);
    return 200;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const body = await readBody(req);
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      await handleControl(ctx, req, res, url, body);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const route = parseRoute(method, url.pathname, url.searchParams);
    if (route.kind === 'health') {
      sendText(res, 200, 'ok');
      return;
    }

    const target = describeRoute(route);
    // Without a users file everyone is cluster-admin and nothing is checked.
    let identity: Identity | undefined = {
      name: CLUSTER_ADMIN,
      groups: ['system:masters', ALL_AUTHENTICATED],
    };
    if (ctx.users) {
      const user = authenticate(ctx.users, req.headers.authorization);
      identity = user && identityOf(user);
    }
    const impersonation = readImpersonationHeaders(req);
    const contentType = req.headers['content-type'];
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: queryToObject(url.searchParams),
      contentType,
      status: 0,
      time: new Date().toISOString(),
      user: identity?.name,
      verb: target.verb,
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
    ctx.requests.add(entry);

    const effect = ctx.faults.apply(target);
    const after = target.verb === 'watch' ? undefined : effect?.after;
    const answer = (code: number, payload: unknown) => {
      if (!after) {
        entry.status = code;
        sendJson(res, code, payload);
        return;
      }
      // The request was served; now its answer is delayed, replaced or lost.
      void (async () => {
        if (after.latencyMs > 0) {
          await delay(after.latencyMs);
          if (res.destroyed || req.socket.destroyed) return;
        }
        if (after.drop) {
          entry.status = 0;
          req.socket.destroy();
          return;
        }
        if (after.status !== undefined) {
          const err = genericStatus(after.status);
          entry.status = err.code;
          sendJson(res, err.code, err.status);
          return;
        }
        entry.status = code;
        sendJson(res, code, payload);
      })();
    };
    const answerError = (e: unknown) => {
      const err = asApiError(e);
      answer(err.code, err.status);
    };

    if (effect) {
      entry.faults = effect.faultIds;
      if (effect.latencyMs > 0) {
        await delay(effect.latencyMs);
        // The client gave up, or the simulator closed, while we waited.
        if (res.destroyed || req.socket.destroyed) return;
      }
      if (effect.drop) {
        entry.status = 0;
        req.socket.destroy();
        return;
      }
      if (effect.status !== undefined) {
        answerError(genericStatus(effect.status));
        return;
      }
    }

    if (route.kind === 'version') {
      answer(200, VERSION_INFO);
      return;
    }
    if (route.kind === 'noRoute') {
      entry.status = 404;
      sendText(res, 404, '404 page not found\n');
      return;
    }
    if (!identity) {
      answerError(unauthorized());
      return;
    }
    // The apiserver impersonates right after authenticating, before routing.
    if (impersonation) {
      const r = impersonate(ctx.users, identity, impersonation);
      if ('internalError' in r) {
        entry.status = 500;
        sendText(res, 500, internalErrorText(req.url ?? '/', r.internalError));
        return;
      }
      if ('error' in r) {
        answerError(r.error);
        return;
      }
      identity = r.identity;
    }
    if (route.kind === 'notFound') {
      answerError(routeNotFound());
      return;
    }
    if (route.kind === 'methodNotAllowed') {
      answerError(methodNotAllowed());
      return;
    }
    if (route.kind === 'discovery') {
      const doc = discovery(route, req);
      if (doc) answer(200, doc);
      else answerError(routeNotFound());
      return;
    }

    const attrs = {
      verb: route.verb,
      group: route.type.group,
      resource: entry.resource!,
      namespace: target.namespace,
      name: route.name,
    };
    if (ctx.users && !authorize(ctx.users, identity, attrs)) {
      answerError(forbidden({ user: identity.name, ...attrs }));
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
      contentType,
      body,
    };
    try {
      if (route.verb === 'watch') {
        entry.status = streamWatch(res, apiReq);
        return;
      }
      const r = ctx.api.handle(apiReq);
      answer(r.code, r.body);
    } catch (e) {
      answerError(e);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(e => {
      if (!res.headersSent) {
        const err = asApiError(e);
        sendJson(res, err.code, err.status);
      } else {
        res.destroy();
      }
    });
  });
  // Node closes idle keep-alive connections after 5 s, and a client reusing
  // one just as it closes gets ECONNRESET; the API server keeps them 90 s.
  // (Closing the simulator still ends them at once: close() cuts every
  // connection.)
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // The usual pairing: headersTimeout (60 s by default) above keepAliveTimeout.
  // Node 20 times only headers in progress; older versions also timed idle
  // keep-alive sockets with it, cutting them before keepAliveTimeout.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;

  /** Ends every open watch stream and every injected delay, so closing leaves no timer behind. */
  const closeWatches = () => {
    for (const finish of [...watches]) finish();
    for (const [end, timer] of [...pendingDelays]) {
      clearTimeout(timer);
      end();
    }
  };

  return { server, closeWatches };
}
