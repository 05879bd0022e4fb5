/*
 * The HTTP server: each request goes to the /_sim/ control API
 * (control.ts), to the mesh telemetry's scrape endpoint (GET /metrics), or is
 * handled as a Kubernetes request (server/kubeRequest.ts, which streams
 * watches with server/watch.ts); closing ends what is still open. After each
 * request the telemetry notices what it changed (telemetry/telemetry.ts).
 */
import * as http from 'node:http';
import { handleControl } from './control';
import { asApiError, readBody, sendJson } from './respond';
import { ServerContext } from './server/context';
import { handleKubeRequest } from './server/kubeRequest';
import { PendingWork } from './server/pending';
import { isScrape, serveMetrics } from './telemetry/endpoint';

export type { ServerContext } from './server/context';
export { VERSION_INFO } from './server/discovery';

/** How long an idle keep-alive connection stays open: kube-apiserver's IdleTimeout. */
export const KEEP_ALIVE_TIMEOUT_MS = 90_000;

export function createKubeSimServer(ctx: ServerContext) {
  const pending = new PendingWork();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const body = await readBody(req);
    if (ctx.telemetry && isScrape(req.method, url.pathname)) {
      serveMetrics(ctx.telemetry, req, res);
      return;
    }
    try {
      if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
        await handleControl(ctx, req, res, url, body, pending);
        return;
      }
      await handleKubeRequest(ctx, pending, req, res, url, body);
    } finally {
      // A write changes the simulated traffic from now on.
      ctx.telemetry?.sync();
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
  const closeWatches = () => pending.closeAll();

  return { server, closeWatches };
}
