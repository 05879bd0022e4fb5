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
