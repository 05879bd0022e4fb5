import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import type { JsonObject, JsonValue } from '@backstage/types';
import type { RolloutActionResponse } from '@internal/plugin-istio-rollouts-common';
import type { Request } from 'express';

/** The audit event id of every action attempt. */
export const ROLLOUT_ACTION_EVENT_ID = 'rollout-action';

/** How an attempt ended, as the audit log's `outcome` says it. */
export type RolloutActionOutcome =
  | 'applied'
  | 'unchanged'
  | 'dry-run'
  | 'denied'
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'unauthenticated'
  | 'failed';

// Errors already audited by the handler, so the router's error hook for
// requests refused before the handler ran doesn't audit them twice.
const audited = new WeakSet<object>();

/** Whether an error was audited already. */
export function wasAudited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && audited.has(error);
}

/** The outcome a refusal or failure stands for, by its `@backstage/errors` name. */
export function outcomeOfError(error: unknown): RolloutActionOutcome {
  switch ((error as { name?: unknown } | undefined)?.name) {
    case 'NotAllowedError':
      return 'denied';
    case 'InputError':
      return 'invalid';
    case 'NotFoundError':
      return 'not-found';
    case 'ConflictError':
      return 'conflict';
    case 'AuthenticationError':
      return 'unauthenticated';
    default:
      return 'failed';
  }
}

function outcomeOfResponse(
  response: RolloutActionResponse,
): RolloutActionOutcome {
  if (response.dryRun) return 'dry-run';
  return response.changed ? 'applied' : 'unchanged';
}

/** The most characters of a caller's value an audit event carries. */
export const MAX_AUDITED_VALUE = 256;

/** A caller's string as the audit log keeps it: at most {@link MAX_AUDITED_VALUE} characters, marked when cut. */
export function bounded(value: string): string {
  return value.length > MAX_AUDITED_VALUE
    ? `${value.slice(0, MAX_AUDITED_VALUE)}… (${value.length} characters)`
    : value;
}

/**
 * What the audit log says about the attempt, from the request body as sent
 * (it may be malformed when the request was refused): only the fields that
 * identify it, each only when it has a plausible type.
 */
export function describeAttempt(
  entityRef: string,
  body: unknown,
): JsonObject & { dryRun: boolean } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const meta: JsonObject & { dryRun: boolean } = {
    entityRef,
    dryRun: b.dryRun === true,
  };
  // Anyone can send anything: values are cut to a bound before they are kept.
  if (typeof b.rolloutId === 'string') meta.rolloutId = bounded(b.rolloutId);
  if (typeof b.action === 'string') meta.action = bounded(b.action);
  const route = b.route as Record<string, unknown> | undefined;
  if (typeof route === 'object' && route !== null) {
    const r: JsonObject = {};
    for (const key of ['kind', 'index', 'name']) {
      const v = route[key];
      if (typeof v === 'string') r[key] = bounded(v);
      else if (typeof v === 'number') r[key] = v as JsonValue;
    }
    meta.route = r;
  }
  return meta;
}

function severity(dryRun: boolean): AuditorServiceEventSeverityLevel {
  // A dry run reads; anything else is a write attempt.
  return dryRun ? 'low' : 'medium';
}

/**
 * Runs one action attempt inside an audit event (`rollout-action`): the event
 * names the entity, rollout, route, action and whether it was a dry run, and
 * ends with the outcome — applied, unchanged, dry-run, or why it was refused
 * or failed — plus the summary, warning and history event id of a write.
 */
export async function auditRolloutAction(
  options: {
    auditor: AuditorService;
    /** The HTTP request; absent for an action of the actions registry (an agent). */
    request?: Request;
    entityRef: string;
    body: unknown;
  },
  attempt: () => Promise<RolloutActionResponse>,
): Promise<RolloutActionResponse> {
  const meta = describeAttempt(options.entityRef, options.body);
  const event = await options.auditor.createEvent({
    eventId: ROLLOUT_ACTION_EVENT_ID,
    severityLevel: severity(meta.dryRun),
    ...(options.request && { request: options.request }),
    meta,
  });
  let response: RolloutActionResponse;
  try {
    response = await attempt();
  } catch (error) {
    await event.fail({
      error: error as Error,
      meta: { ...meta, outcome: outcomeOfError(error) },
    });
    if (typeof error === 'object' && error !== null) audited.add(error);
    throw error;
  }
  await event.success({
    meta: {
      ...meta,
      outcome: outcomeOfResponse(response),
      summary: response.summary,
      ...(response.warning && { warning: response.warning }),
      ...(response.event && { historyEventId: response.event.id }),
    },
  });
  return response;
}

/**
 * Audits an attempt refused before the handler ran (the OpenAPI validation
 * answers 400 for a malformed body), unless the handler audited it already.
 */
export async function auditRefusedAttempt(options: {
  auditor: AuditorService;
  request: Request;
  entityRef: string;
  error: unknown;
}): Promise<void> {
  if (wasAudited(options.error)) return;
  const meta = describeAttempt(options.entityRef, options.request.body);
  const event = await options.auditor.createEvent({
    eventId: ROLLOUT_ACTION_EVENT_ID,
    severityLevel: severity(meta.dryRun),
    request: options.request,
    meta,
  });
  await event.fail({
    error: options.error as Error,
    meta: { ...meta, outcome: outcomeOfError(options.error) },
  });
}
