/*
 * The client against a tiny local HTTP server that answers like Prometheus's
 * HTTP API: canned JSON, errors, silence. A stand-in for Prometheus's HTTP
 * surface, for this unit only; the queries themselves are checked by
 * promtool (istioQueries.promtool.test.ts).
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { PrometheusConfig } from './metricsConfig';
import { PrometheusClient, PrometheusQueryError } from './PrometheusClient';

const TOKEN = 'secret-token-123';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: URLSearchParams;
}

type Answer = (res: http.ServerResponse) => void;

function json(status: number, body: unknown): Answer {
  return res => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

const matrix = (result: unknown[]) =>
  json(200, { status: 'success', data: { resultType: 'matrix', result } });

describe('PrometheusClient', () => {
  let server: http.Server;
  let url: string;
  let answer: Answer;
  let seen: Seen[];
  const open = new Set<http.ServerResponse>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: new URLSearchParams(body),
        });
        open.add(res);
        res.on('close', () => open.delete(res));
        answer(res);
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of open) res.destroy();
    await new Promise(resolve => server.close(resolve));
  });

  beforeEach(() => {
    seen = [];
    answer = matrix([]);
  });

  function client(config: Partial<PrometheusConfig> = {}) {
    return new PrometheusClient({
      cluster: 'east',
      config: { url: `${url}/prometheus`, timeoutMs: 1000, ...config },
    });
  }

  const range = { start: 1000, end: 1060, step: 30 };

  /** The error a query rejects with, checked to give away neither the URL nor the credentials. */
  async function failure(c: PrometheusClient): Promise<PrometheusQueryError> {
    const error = await c.queryRange('up', range).then(
      () => {
        throw new Error('expected the query to fail');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PrometheusQueryError);
    const { message } = error as PrometheusQueryError;
    expect(message).toContain('cluster "east"');
    expect(message).not.toContain('127.0.0.1');
    expect(message).not.toContain(TOKEN);
    return error as PrometheusQueryError;
  }

  it('posts the range query as a form, with the credentials and headers configured', async () => {
    await client({
      bearerToken: TOKEN,
      headers: { 'X-Scope-OrgID': 'team-a' },
      timeoutMs: 2500,
    }).queryRange('sum(up)', range);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/prometheus/api/v1/query_range');
    expect(request.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'x-scope-orgid': 'team-a',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(Object.fromEntries(request.body)).toEqual({
      query: 'sum(up)',
      start: '1000',
      end: '1060',
      step: '30',
      timeout: '3s',
    });
  });

  it('sends basic auth', async () => {
    await client({
      basicAuth: { username: 'reader', password: 'pa:ss' },
    }).queryRange('up', range);
    expect(seen[0].headers.authorization).toBe(
      `Basic ${Buffer.from('reader:pa:ss').toString('base64')}`,
    );
  });

  it('reads the matrix, with values that are not numbers as null', async () => {
    answer = matrix([
      {
        metric: { destination_workload: 'reviews-v1' },
        values: [
          [1000, '1.5'],
          [1030, 'NaN'],
          [1060, '+Inf'],
        ],
      },
      { metric: {}, values: [] },
    ]);
    await expect(client().queryRange('up', range)).resolves.toEqual([
      {
        metric: { destination_workload: 'reviews-v1' },
        values: [
          [1000, 1.5],
          [1030, null],
          [1060, null],
        ],
      },
      { metric: {}, values: [] },
    ]);
  });

  it('reports a Prometheus that does not answer in time as Timeout', async () => {
    answer = () => {
      // Never answers.
    };
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 200 }));
    expect(error.reason).toBe('Timeout');
    expect(error.message).toBe(
      'The Prometheus of cluster "east" did not answer within 200 ms',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it('reports a body that stops coming as Timeout', async () => {
    answer = res => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success",');
    };
    expect((await failure(client({ timeoutMs: 200 }))).reason).toBe('Timeout');
  }, 5000);

  it.each<[string, Answer, string]>([
    [
      'a 500 with Prometheus’s error',
      json(500, {
        status: 'error',
        errorType: 'internal',
        error: 'query failed at http://10.0.0.7:10901 (store unreachable)',
      }),
      'The Prometheus of cluster "east" answered 500: query failed at (an address) (store unreachable)',
    ],
    [
      'a 400 for a bad query',
      json(400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": parse error',
      }),
      'The Prometheus of cluster "east" answered 400: invalid parameter "query": parse error',
    ],
    [
      'a 401',
      json(401, 'Unauthorized'),
      'The Prometheus of cluster "east" answered 401 (check its bearerToken or basicAuth)',
    ],
    [
      'a 502 from a proxy',
      res => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
      },
      'The Prometheus of cluster "east" answered 502',
    ],
    [
      'a redirect, not followed',
      res => {
        res.writeHead(302, { location: 'http://elsewhere.example/login' });
        res.end();
      },
      'The Prometheus of cluster "east" answered 302',
    ],
    [
      'a 200 that says error',
      json(200, { status: 'error', error: 'too many samples' }),
      'The Prometheus of cluster "east" answered an error: too many samples',
    ],
  ])('reports %s as PrometheusError', async (_, reply, message) => {
    answer = reply;
    const error = await failure(client({ bearerToken: TOKEN }));
    expect(error.reason).toBe('PrometheusError');
    expect(error.message).toBe(message);
  });

  it.each<[string, Answer, string]>([
    [
      'an instant vector',
      json(200, {
        status: 'success',
        data: { resultType: 'vector', result: [] },
      }),
      'The Prometheus of cluster "east" answered something that is not a Prometheus range query result',
    ],
    [
      'a value that is no string',
      matrix([{ metric: {}, values: [[1000, 1.5]] }]),
      'The Prometheus of cluster "east" answered something that is not a Prometheus range query result',
    ],
    [
      'HTML',
      res => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>Login</html>');
      },
      'The Prometheus of cluster "east" answered something that is not a Prometheus range query result (not JSON)',
    ],
  ])('reports %s as BadResponse', async (_, reply, message) => {
    answer = reply;
    const error = await failure(client());
    expect(error.reason).toBe('BadResponse');
    expect(error.message).toBe(message);
  });

  it('reports a refused connection as Unreachable', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const error = await failure(
      new PrometheusClient({
        cluster: 'east',
        config: { url: `http://127.0.0.1:${port}`, timeoutMs: 2000 },
      }),
    );
    expect(error.reason).toBe('Unreachable');
    expect(error.message).toBe(
      'The Prometheus of cluster "east" is unreachable (ECONNREFUSED)',
    );
  }, 5000);

  it('reports a name that does not resolve as Unreachable', async () => {
    // fetch's own error, as undici throws it: the address is in its words, never in ours.
    const fetchFails = jest.fn(async () => {
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(
          new Error('getaddrinfo ENOTFOUND prometheus.monitoring'),
          { code: 'ENOTFOUND' },
        ),
      });
    });
    const error = await failure(
      new PrometheusClient({
        cluster: 'east',
        config: { url: 'http://prometheus.monitoring:9090', timeoutMs: 1000 },
        fetch: fetchFails as unknown as typeof fetch,
      }),
    );
    expect(error.reason).toBe('Unreachable');
    expect(error.message).toBe(
      'The Prometheus of cluster "east" is unreachable (ENOTFOUND)',
    );
  });
});
