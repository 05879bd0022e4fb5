import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed backend call, if it was one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.statusCode;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * What the backend said went wrong — Backstage's error body carries the
 * server's message (`weights.v4: not a destination of route …`), which says
 * more than `Request failed with 400 Bad Request`.
 */
export function messageOf(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  const body = (error as { body?: { error?: { message?: string } } })?.body;
  if (body?.error?.message) return body.error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether a refusal means "the object changed since you loaded it" (409,
 * reason `Changed` or `Deleted`; older backends sent no reason), as opposed
 * to a 409 for a VirtualService a controller owns, which a reload does not
 * cure.
 */
export function isStaleConflict(error: unknown): boolean {
  if (statusOf(error) !== 409) return false;
  const body = (error as { body?: { error?: { reason?: unknown } } })?.body;
  return body?.error?.reason !== 'OwnedByController';
}
