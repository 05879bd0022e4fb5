/*
 * Kubernetes `Status` objects, shaped and worded like the ones
 * k8s.io/apimachinery/pkg/api/errors produces, so clients that match on
 * `code`, `reason` or the message text behave as they do against a real cluster.
 */

/** A group and a resource (plural), e.g. `networking.istio.io` + `virtualservices`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group and a kind, e.g. `networking.istio.io` + `VirtualService`. */
export interface GroupKind {
  group: string;
  kind: string;
}

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that carries the Status the API server answers with. */
export class KubeApiError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'KubeApiError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function qualifiedKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

// Go's omitempty: empty strings and empty lists are left out of the JSON.
function details(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

export function failure(
  code: number,
  reason: string,
  message: string,
  d?: StatusDetails,
): KubeApiError {
  // Same key order as the API server's JSON.
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(d ? { details: details(d) } : {}),
    code,
  };
  return new KubeApiError(status);
}

export function success(d: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: details(d),
    code: 200,
  };
}

export function notFound(gr: GroupResource, name: string): KubeApiError {
  return failure(
    404,
    'NotFound',
    `${qualifiedResource(gr)} "${name}" not found`,
    {
      name,
      group: gr.group,
      kind: gr.resource,
    },
  );
}

export function namespaceNotFound(namespace: string): KubeApiError {
  return notFound({ group: '', resource: 'namespaces' }, namespace);
}

/** A path the server has no handler for (unknown group, version or resource). */
export function routeNotFound(): KubeApiError {
  return failure(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function alreadyExists(gr: GroupResource, name: string): KubeApiError {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists`,
    { name, group: gr.group, kind: gr.resource },
  );
}

export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(
  gr: GroupResource,
  name: string,
  reason: string = OPTIMISTIC_LOCK_MESSAGE,
): KubeApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      gr,
    )} "${name}": ${reason}`,
    { name, group: gr.group, kind: gr.resource },
  );
}

export interface FieldError {
  field: string;
  /** `FieldValueRequired`, `FieldValueInvalid`, `FieldValueTypeInvalid`, ... */
  reason: string;
  /** The text after `field: `, e.g. `Required value`. */
  detail: string;
}

/** 422 Invalid, worded like `errors.NewInvalid(qualifiedKind, name, errs)`. */
export function invalid(
  gk: GroupKind,
  name: string,
  errs: FieldError[],
): KubeApiError {
  const texts = errs.map(e => (e.field ? `${e.field}: ${e.detail}` : e.detail));
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return failure(
    422,
    'Invalid',
    `${qualifiedKind(gk)} "${name}" is invalid: ${joined}`,
    {
      name,
      group: gk.group,
      kind: gk.kind,
      causes: errs.map(e => ({
        reason: e.reason,
        message: e.detail,
        field: e.field,
      })),
    },
  );
}

/**
 * 422 without details: what the API server answers when a JSON patch cannot be
 * applied (e.g. a failed `test` op). It uses NewGenericServerResponse, which
 * drops the underlying error text.
 */
export function patchRejected(): KubeApiError {
  return failure(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
  );
}

export function badRequest(message: string): KubeApiError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): KubeApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export interface ForbiddenRequest {
  user: string;
  verb: string;
  group: string;
  /** Plural, with `/subresource` when there is one. */
  resource: string;
  name?: string;
  namespace?: string;
}

/** 403 worded like the RBAC authorizer's denial. */
export function forbidden(r: ForbiddenRequest): KubeApiError {
  const [plural] = r.resource.split('/');
  const gr = { group: r.group, resource: plural };
  const subject = r.name
    ? `${qualifiedResource(gr)} "${r.name}"`
    : qualifiedResource(gr);
  const scope = r.namespace
    ? `in the namespace "${r.namespace}"`
    : 'at the cluster scope';
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${r.user}" cannot ${r.verb} resource "${r.resource}" in API group "${r.group}" ${scope}`,
    { name: r.name, group: r.group, kind: plural },
  );
}

export function methodNotAllowed(): KubeApiError {
  return failure(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function unsupportedMediaType(accepted: string[]): KubeApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
  );
}

export function gone(message: string): KubeApiError {
  return failure(410, 'Expired', message);
}

export function internalError(message: string): KubeApiError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/**
 * A Status for an arbitrary code, worded like NewGenericServerResponse.
 * Used by injected faults.
 */
export function genericStatus(code: number): KubeApiError {
  const table: Record<number, [string, string]> = {
    400: [
      'BadRequest',
      'the server rejected our request for an unknown reason',
    ],
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', 'forbidden'],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: [
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    ],
    409: ['Conflict', 'the server reported a conflict'],
    410: ['Expired', 'the resource version is too old'],
    422: [
      'Invalid',
      'the server rejected our request due to an error in our request',
    ],
    429: [
      'TooManyRequests',
      'the server has received too many requests and has asked us to try again later',
    ],
    500: [
      'InternalError',
      'an error on the server has prevented the request from succeeding',
    ],
    503: [
      'ServiceUnavailable',
      'the server is currently unable to handle the request',
    ],
    504: [
      'Timeout',
      'the server was unable to return a response in the time allotted, but may still be processing the request',
    ],
  };
  const known = table[code];
  if (known) return failure(code, known[0], known[1]);
  if (code >= 500) {
    return failure(
      code,
      'InternalError',
      'an error on the server has prevented the request from succeeding',
    );
  }
  return failure(
    code,
    'Unknown',
    `the server responded with the status code ${code} but did not return more information`,
  );
}
