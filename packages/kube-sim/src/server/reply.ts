/*
 * Answering a Kubernetes request under injected faults: the effects that
 * come before serving it (latency, an error status, a dropped connection),
 * and with `after` those that come once it was served. Every answer also
 * sets the request log entry's status.
 */
import * as http from 'node:http';
import { FaultEffect } from '../faults';
import { RequestLogEntry } from '../requestLog';
import { asApiError, sendJson, sendText } from '../respond';
import { genericStatus } from '../status';
import { PendingWork } from './pending';

/** One request's answer, and what the request log records of it. */
export interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  entry: RequestLogEntry;
}

export interface Reply {
  /** A JSON answer, subject to the faults that act after serving. */
  json(code: number, payload: unknown): void;
  /** An error's Status, subject to the faults that act after serving. */
  error(e: unknown): void;
  /** A plain-text answer, sent at once (as the API server's http.Error). */
  text(code: number, text: string): void;
}

/** Whether the client gave up, or the simulator closed, while we waited. */
function gone(x: Exchange): boolean {
  return x.res.destroyed || x.req.socket.destroyed;
}

function drop(x: Exchange) {
  x.entry.status = 0;
  x.req.socket.destroy();
}

export function replyFor(
  x: Exchange,
  pending: PendingWork,
  after: FaultEffect['after'],
): Reply {
  const send = (code: number, payload: unknown) => {
    x.entry.status = code;
    sendJson(x.res, code, payload);
  };
  const json = (code: number, payload: unknown) => {
    if (!after) {
      send(code, payload);
      return;
    }
    // The request was served; now its answer is delayed, replaced or lost.
    void (async () => {
      if (after.latencyMs > 0) {
        await pending.delay(after.latencyMs);
        if (gone(x)) return;
      }
      if (after.drop) {
        drop(x);
        return;
      }
      if (after.status !== undefined) {
        const err = genericStatus(after.status);
        send(err.code, err.status);
        return;
      }
      send(code, payload);
    })();
  };
  return {
    json,
    error(e) {
      const err = asApiError(e);
      json(err.code, err.status);
    },
    text(code, text) {
      x.entry.status = code;
      sendText(x.res, code, text);
    },
  };
}

/**
 * Applies the effects that come before serving. Returns whether they ended
 * the request (answered or dropped it, or the client went away).
 */
export async function faultsBefore(
  x: Exchange,
  pending: PendingWork,
  effect: FaultEffect,
  reply: Reply,
): Promise<boolean> {
  x.entry.faults = effect.faultIds;
  if (effect.latencyMs > 0) {
    await pending.delay(effect.latencyMs);
    if (gone(x)) return true;
  }
  if (effect.drop) {
    drop(x);
    return true;
  }
  if (effect.status !== undefined) {
    reply.error(genericStatus(effect.status));
    return true;
  }
  return false;
}
