/*
 * The /_sim/ control API: manifests, objects, faults and the request log.
 * Never subject to auth or faults, and not logged.
 */
import * as http from 'node:http';
import { Faults, FaultSpecError } from './faults';
import type { PendingWork } from './server/pending';
import { ManifestError, parseManifests } from './manifests';
import { sendJson } from './respond';
import type { ServerContext } from './server/context';
import { KubeApiError } from './status';

export async function handleControl(
  ctx: ServerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: string,
  pending?: PendingWork,
) {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/\/+$/, '');
  const fail = (code: number, error: string) => sendJson(res, code, { error });
  if (path === '/_sim/manifests' && (method === 'PUT' || method === 'POST')) {
    try {
      const objects = parseManifests(body, 'request body');
      const results = ctx.api.applyManifests(objects, {
        replace: method === 'PUT',
      });
      sendJson(res, 200, {
        resourceVersion: ctx.store.resourceVersion,
        objects: results,
      });
    } catch (e) {
      if (e instanceof ManifestError) fail(400, e.message);
      else if (e instanceof KubeApiError) sendJson(res, e.code, e.status);
      else fail(400, (e as Error).message);
    }
    return;
  }
  if (path === '/_sim/objects' && method === 'GET') {
    sendJson(res, 200, {
      resourceVersion: ctx.store.resourceVersion,
      items: ctx.store.all().map(x => x.object),
    });
    return;
  }
  if (path === '/_sim/faults') {
    if (method === 'POST') {
      let spec: unknown;
      try {
        spec = JSON.parse(body || '{}');
      } catch (e) {
        fail(400, `invalid JSON: ${(e as Error).message}`);
        return;
      }
      try {
        const fault = ctx.faults.add(spec);
        // A fault that fails watches ends the open ones too: clients reconnect and meet it.
        pending?.endWatches(target => Faults.cutsWatch(fault, target));
        sendJson(res, 201, fault);
      } catch (e) {
        if (e instanceof FaultSpecError) fail(400, e.message);
        else throw e;
      }
      return;
    }
    if (method === 'GET') {
      sendJson(res, 200, ctx.faults.list());
      return;
    }
    if (method === 'DELETE') {
      const deleted = ctx.faults.list().length;
      ctx.faults.clear();
      sendJson(res, 200, { deleted });
      return;
    }
  }
  const one = /^\/_sim\/faults\/([^/]+)$/.exec(path);
  if (one && method === 'DELETE') {
    if (ctx.faults.remove(decodeURIComponent(one[1])))
      sendJson(res, 200, { deleted: 1 });
    else fail(404, `no fault "${one[1]}"`);
    return;
  }
  if (path === '/_sim/requests') {
    if (method === 'GET') {
      sendJson(res, 200, ctx.requests.list());
      return;
    }
    if (method === 'DELETE') {
      ctx.requests.clear();
      sendJson(res, 200, { deleted: true });
      return;
    }
  }
  fail(404, `no control endpoint ${method} ${url.pathname}`);
}
