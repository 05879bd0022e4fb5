import { CustomErrorBase } from '@backstage/errors';
import { z } from 'zod';
import type { PrometheusConfig } from './metricsConfig';

/** Why a cluster's Prometheus could not be read: a stable code the UI and docs can rely on. */
export type PrometheusErrorReason =
  | 'Timeout'
  | 'Unreachable'
  | 'PrometheusError'
  | 'BadResponse';

/** A failed query, worded for every reader of the page: it names the cluster, never the URL or credentials. */
export class PrometheusQueryError extends CustomErrorBase {
  readonly reason: PrometheusErrorReason;

  constructor(reason: PrometheusErrorReason, message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
    this.reason = reason;
  }
}

/** The span of a range query, in Unix seconds. */
export interface QueryRange {
  start: number;
  end: number;
  step: number;
}

/** One series of a range query's matrix; a value that is not a number (NaN, ±Inf) is null. */
export interface PrometheusSeries {
  metric: Record<string, string>;
  values: Array<[time: number, value: number | null]>;
}

/** What the metrics reader asks of a Prometheus: one range query at a time. */
export interface PrometheusApi {
  queryRange(query: string, range: QueryRange): Promise<PrometheusSeries[]>;
}

const sampleValue = z.string().transform(text => {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
});

const matrixAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.number(), sampleValue])),
      }),
    ),
  }),
});

const errorAnswer = z.object({ error: z.string() });

/** A network failure's code, e.g. `ECONNREFUSED`, from fetch's error or its cause. */
function networkCode(e: unknown): string | undefined {
  let err = e as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; err && depth < 4; depth++) {
    if (typeof err.code === 'string') return err.code;
    err = err.cause as typeof err;
  }
  return undefined;
}

/** Any URL in a text (a Thanos or proxy error may quote one). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Prometheus's own error text, without addresses and cut to a readable length. */
function shownError(text: string): string {
  const clean = text.replace(URL_IN_TEXT, '(an address)').trim();
  return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
}

/**
 * Asks one cluster's Prometheus, over its HTTP API (`POST /api/v1/query_range`), with Node's `fetch`: within
 * `timeoutMs` (the request and its body are aborted after it), with the configured credentials, and the answer
 * checked to be a matrix before anything reads it.
 */
export class PrometheusClient implements PrometheusApi {
  private readonly cluster: string;
  private readonly config: PrometheusConfig;
  private readonly fetch: typeof fetch;

  constructor(options: {
    /** The cluster's name: every error message says it. */
    cluster: string;
    config: PrometheusConfig;
    fetch?: typeof fetch;
  }) {
    this.cluster = options.cluster;
    this.config = options.config;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  private headers(): Record<string, string> {
    const { bearerToken, basicAuth, headers } = this.config;
    return {
      ...headers,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      ...(bearerToken !== undefined && {
        authorization: `Bearer ${bearerToken}`,
      }),
      ...(basicAuth && {
        authorization: `Basic ${Buffer.from(
          `${basicAuth.username}:${basicAuth.password}`,
        ).toString('base64')}`,
      }),
    };
  }

  async queryRange(
    query: string,
    range: QueryRange,
  ): Promise<PrometheusSeries[]> {
    const { timeoutMs } = this.config;
    const name = `The Prometheus of cluster "${this.cluster}"`;
    const body = new URLSearchParams({
      query,
      start: String(range.start),
      end: String(range.end),
      step: String(range.step),
      // Prometheus stops evaluating when the plugin stops waiting.
      timeout: `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
    });
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(
        `${this.config.url}/api/v1/query_range`,
        {
          method: 'POST',
          headers: this.headers(),
          body,
          signal: AbortSignal.timeout(timeoutMs),
          // A redirect is not followed: it would carry the credentials elsewhere.
          redirect: 'manual',
        },
      );
      status = response.status;
      text = await response.text();
    } catch (e) {
      const err = e as { name?: unknown } | undefined;
      if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
        throw new PrometheusQueryError(
          'Timeout',
          `${name} did not answer within ${timeoutMs} ms`,
        );
      }
      const code = networkCode(e);
      // fetch's own words quote the address it dialled: left out.
      throw new PrometheusQueryError(
        'Unreachable',
        `${name} is unreachable${code ? ` (${code})` : ''}`,
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status < 200 || status >= 300) {
      const error = errorAnswer.safeParse(json);
      const why =
        status === 401 || status === 403
          ? ' (check its bearerToken or basicAuth)'
          : '';
      throw new PrometheusQueryError(
        'PrometheusError',
        `${name} answered ${status}${why}${
          error.success ? `: ${shownError(error.data.error)}` : ''
        }`,
      );
    }
    const answer = matrixAnswer.safeParse(json);
    if (!answer.success) {
      const error = errorAnswer.safeParse(json);
      if (error.success) {
        throw new PrometheusQueryError(
          'PrometheusError',
          `${name} answered an error: ${shownError(error.data.error)}`,
        );
      }
      throw new PrometheusQueryError(
        'BadResponse',
        `${name} answered something that is not a Prometheus range query result${
          json === undefined ? ' (not JSON)' : ''
        }`,
      );
    }
    return answer.data.data.result;
  }
}
