import type { AuditorService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import {
  bounded,
  outcomeOfError,
  wasAudited,
} from '../actions/auditRolloutAction';

// Errors the handler audited already, so the router's hook does not audit them twice.
const audited = new WeakSet<object>();

/** The audit event id of every start of, and command to, a step plan. */
export const PLAN_REQUEST_EVENT_ID = 'rollout-plan';

/** What the audit log keeps of a plan request: only identifying fields, bounded (anyone can send anything). */
function describe(entityRef: string, body: unknown, planId?: string) {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const meta: JsonObject = { entityRef, dryRun: b.dryRun === true };
  if (planId) meta.plan = planId;
  for (const key of ['rolloutId', 'template', 'command'] as const) {
    const value = b[key];
    if (typeof value === 'string') meta[key] = bounded(value);
  }
  return meta;
}

/** Runs a plan request inside an audit event (`rollout-plan`) that ends with its outcome, or why it was refused. */
export async function auditPlanRequest<T extends { summary: string }>(
  options: {
    auditor: AuditorService;
    request: Request;
    entityRef: string;
    planId?: string;
  },
  attempt: () => Promise<T>,
): Promise<T> {
  const meta = describe(
    options.entityRef,
    options.request.body,
    options.planId,
  );
  const event = await options.auditor.createEvent({
    eventId: PLAN_REQUEST_EVENT_ID,
    severityLevel: meta.dryRun ? 'low' : 'medium',
    request: options.request,
    meta,
  });
  try {
    const response = await attempt();
    await event.success({ meta: { ...meta, summary: response.summary } });
    return response;
  } catch (error) {
    await event.fail({
      error: error as Error,
      meta: { ...meta, outcome: outcomeOfError(error) },
    });
    if (typeof error === 'object' && error !== null) audited.add(error);
    throw error;
  }
}

/** Audits a plan request refused before its handler ran (a malformed body), unless the handler audited it. */
export async function auditRefusedPlanRequest(options: {
  auditor: AuditorService;
  request: Request;
  entityRef: string;
  error: unknown;
}): Promise<void> {
  if (wasAudited(options.error) || audited.has(options.error as object)) {
    return;
  }
  const meta = describe(
    options.entityRef,
    options.request.body,
    options.request.params?.planId,
  );
  const event = await options.auditor.createEvent({
    eventId: PLAN_REQUEST_EVENT_ID,
    severityLevel: meta.dryRun ? 'low' : 'medium',
    request: options.request,
    meta,
  });
  await event.fail({
    error: options.error as Error,
    meta: { ...meta, outcome: outcomeOfError(options.error) },
  });
}
