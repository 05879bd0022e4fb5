/** Why a cluster could not be read: a stable code the UI and docs can rely on. */
export type ClusterErrorReason =
  | 'Timeout'
  | 'Unauthorized'
  | 'MissingCredentials'
  | 'Forbidden'
  | 'Unreachable'
  | 'ServerError'
  | 'IstioNotInstalled'
  | 'InvalidResponse'
  | 'Unknown';

/** A cluster's error entry, as the response carries it. */
export interface ClusterErrorInfo {
  reason: ClusterErrorReason;
  message: string;
}

/** An error this plugin raises itself about one cluster, already worded for the user. */
export class ClusterReadError extends Error {
  readonly reason: ClusterErrorReason;

  constructor(reason: ClusterErrorReason, message: string) {
    super(message);
    this.name = 'ClusterReadError';
    this.reason = reason;
  }
}

/**
 * The HTTP status of a client-node `ApiException`. Matched by shape rather
 * than `instanceof` so it holds whichever copy of client-node threw it.
 */
export function kubeStatusCode(e: unknown): number | undefined {
  const err = e as { code?: unknown; headers?: unknown } | undefined;
  return typeof err?.code === 'number' &&
    err.code >= 100 &&
    err.code < 600 &&
    typeof err.headers === 'object'
    ? err.code
    : undefined;
}

/** The `message` of the Kubernetes `Status` an `ApiException` carries, if any. */
export function kubeStatusMessage(e: unknown): string | undefined {
  const body = (e as { body?: unknown } | undefined)?.body;
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return body.trim() || undefined;
    }
  }
  const message = (status as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message ? message : undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Any URL in a message (an HTTP client's errors quote the request's). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/**
 * The message without the URLs it quotes: errors are shown to every reader
 * of the page, and an API server's address is an internal a reader has no
 * use for (the cluster's name says which one).
 */
export function withoutUrls(message: string): string {
  return message.replace(URL_IN_TEXT, '(the API server)');
}

/**
 * Words any failure of a cluster read as a reason and a message that names
 * the cluster (never its URL), so the UI can show it next to that cluster
 * and an operator knows what to fix.
 */
export function describeClusterError(
  cluster: { name: string },
  e: unknown,
): ClusterErrorInfo {
  const info = describe(cluster, e);
  return { reason: info.reason, message: withoutUrls(info.message) };
}

function describe(cluster: { name: string }, e: unknown): ClusterErrorInfo {
  const name = `Cluster "${cluster.name}"`;
  if (e instanceof ClusterReadError) {
    return { reason: e.reason, message: e.message };
  }

  const status = kubeStatusCode(e);
  if (status !== undefined) {
    const detail = kubeStatusMessage(e);
    const suffix = detail ? `: ${detail}` : '';
    if (status === 401) {
      return {
        reason: 'Unauthorized',
        message: `${name} rejected the plugin's credentials (401 Unauthorized); check its serviceAccountToken${suffix}`,
      };
    }
    if (status === 403) {
      return {
        reason: 'Forbidden',
        message: `${name} refused the plugin's service account (403 Forbidden); grant it the RBAC rules in the plugin README${suffix}`,
      };
    }
    if (status >= 500) {
      return {
        reason: 'ServerError',
        message: `${name} answered ${status}${suffix || ' (server error)'}`,
      };
    }
    return {
      reason: 'Unknown',
      message: `${name} answered ${status}${suffix}`,
    };
  }

  const err = e as
    | { name?: unknown; code?: unknown; type?: unknown; message?: unknown }
    | undefined;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (err?.name === 'FetchError' || typeof err?.code === 'string') {
    const code = typeof err?.code === 'string' ? err.code : undefined;
    if (err?.type === 'system' || (code && NETWORK_CODES.has(code))) {
      return {
        reason: 'Unreachable',
        // The client's own words quote the address it dialled: left out.
        message: `${name} is unreachable${code ? ` (${code})` : ''}`,
      };
    }
    if (err?.type === 'invalid-json') {
      return {
        reason: 'InvalidResponse',
        message: `${name} answered something that is not Kubernetes JSON: ${message}`,
      };
    }
  }
  if (e instanceof SyntaxError) {
    return {
      reason: 'InvalidResponse',
      message: `${name} answered something that is not Kubernetes JSON: ${message}`,
    };
  }
  return {
    reason: 'Unknown',
    message: `${name} could not be read: ${message}`,
  };
}
