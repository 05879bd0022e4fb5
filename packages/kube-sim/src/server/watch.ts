/*
 * Streaming a watch over HTTP: one JSON event per line on a chunked
 * response, bookmarks on a timer, `timeoutSeconds`, and the end of the
 * stream when the client goes away or the simulator closes.
 */
import * as http from 'node:http';
import { ApiRequest, WatchEvent } from '../api';
import type { FaultTarget } from '../faults';
import { ServerContext } from './context';
import { PendingWork } from './pending';

/** Starts streaming; throws (before any header is sent) when the watch is invalid. */
export function streamWatch(
  ctx: ServerContext,
  pending: PendingWork,
  res: http.ServerResponse,
  apiReq: ApiRequest,
  target?: FaultTarget,
): number {
  // Events produced while starting are held until we know the watch is valid,
  // so that a bad selector is still an ordinary error response.
  const held: WatchEvent[] = [];
  let live = false;
  const write = (e: WatchEvent) => {
    if (!res.writableEnded && !res.destroyed)
      res.write(`${JSON.stringify(e)}\n`);
  };
  const stop = ctx.api.watch(apiReq, e => (live ? write(e) : held.push(e)));
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  live = true;
  held.forEach(write);
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
    pending.removeWatch(finish);
    if (!res.writableEnded) res.end();
  };
  if (timeoutSeconds > 0)
    timers.push(setTimeout(finish, timeoutSeconds * 1000));
  pending.addWatch(finish, target);
  // The response closes when the client goes away (or the connection is cut).
  res.on('close', finish);
  return 200;
}
