/*
 * Reading requests and writing answers, shared by the API and the /_sim/
 * control handlers.
 */
import * as http from 'node:http';
import { internalError, KubeApiError } from './status';

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(
  res: http.ServerResponse,
  code: number,
  body: unknown,
) {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendText(res: http.ServerResponse, code: number, text: string) {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // Go's http.Error, which writes the apiserver's plain-text errors, adds it.
    ...(code >= 400 ? { 'X-Content-Type-Options': 'nosniff' } : {}),
  });
  res.end(text);
}

export function asApiError(e: unknown): KubeApiError {
  if (e instanceof KubeApiError) return e;
  return internalError((e as Error)?.message ?? String(e));
}
