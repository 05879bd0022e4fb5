import http from 'node:http';
import https from 'node:https';

/** An HTTP answer as text: what the callers turn into JSON or an ApiException. */
export interface RawResponse {
  status: number;
  text: string;
  headers: Record<string, string>;
}

/**
 * One request on the cluster's connection pool. Plain `node:http` rather
 * than client-node's fetch because a header may need several lines:
 * Kubernetes reads each `Impersonate-Group` line as one group and never
 * splits a comma-joined value, and fetch's headers join repeated values
 * into one line.
 */
export function sendRequest(options: {
  url: string;
  method: string;
  headers: http.OutgoingHttpHeaders;
  body?: string;
  agent: http.Agent;
  signal: AbortSignal;
}): Promise<RawResponse> {
  const { url, method, headers, body, agent, signal } = options;
  const transport = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method,
        agent,
        signal,
        headers: {
          ...headers,
          ...(body !== undefined && {
            'Content-Length': Buffer.byteLength(body),
          }),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [
                k,
                Array.isArray(v) ? v.join(', ') : String(v ?? ''),
              ]),
            ),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
