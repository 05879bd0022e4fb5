/*
 * `GET /metrics`: the simulated mesh's Istio telemetry for Prometheus to
 * scrape. Open to anyone (like a scrape endpoint), never faulted or logged.
 */
import * as http from 'node:http';
import { EXPOSITION_CONTENT_TYPE } from './exposition';
import type { MeshTelemetry } from './telemetry';

export const METRICS_PATH = '/metrics';

/** Whether the request is a scrape: GET or HEAD of /metrics. */
export function isScrape(method: string | undefined, pathname: string) {
  const m = (method ?? 'GET').toUpperCase();
  return pathname === METRICS_PATH && (m === 'GET' || m === 'HEAD');
}

export function serveMetrics(
  telemetry: MeshTelemetry,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const text = telemetry.scrape();
  res.writeHead(200, {
    'Content-Type': EXPOSITION_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache',
  });
  res.end(req.method?.toUpperCase() === 'HEAD' ? undefined : text);
}
