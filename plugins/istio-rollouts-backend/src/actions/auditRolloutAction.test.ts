import { mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { RolloutActionResponse } from '@internal/plugin-istio-rollouts-common';
import type { Request } from 'express';
import {
  auditRefusedAttempt,
  auditRolloutAction,
  describeAttempt,
  outcomeOfError,
} from './auditRolloutAction';

const request = {} as Request;
const entityRef = 'component:default/reviews';
const body = {
  rolloutId: 'demo-east/bookinfo/reviews',
  route: { kind: 'http', index: 0, extra: { deep: true } },
  action: 'setWeights',
  weights: { v1: 80, v2: 20 },
  resourceVersion: '41',
};
const applied: RolloutActionResponse = {
  dryRun: false,
  changed: true,
  summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
  patches: [],
  routes: [],
  event: { id: '7' } as RolloutActionResponse['event'],
};

async function lastEvent(
  auditor: ReturnType<typeof mockServices.auditor.mock>,
) {
  const results = auditor.createEvent.mock.results;
  return (await results[results.length - 1].value) as {
    success: jest.Mock;
    fail: jest.Mock;
  };
}

describe('describeAttempt', () => {
  it('keeps only the fields that identify the attempt, when they have a plausible type', () => {
    expect(describeAttempt(entityRef, body)).toEqual({
      entityRef,
      rolloutId: 'demo-east/bookinfo/reviews',
      action: 'setWeights',
      route: { kind: 'http', index: 0 },
      dryRun: false,
    });
    expect(describeAttempt(entityRef, { rolloutId: 7, dryRun: 'yes' })).toEqual(
      {
        entityRef,
        dryRun: false,
      },
    );
    expect(describeAttempt(entityRef, undefined)).toEqual({
      entityRef,
      dryRun: false,
    });
  });

  it('cuts what a caller sent to 256 characters before the audit log keeps it', () => {
    const long = 'x'.repeat(10_000);
    const meta = describeAttempt(entityRef, {
      rolloutId: long,
      action: long,
      route: { kind: 'http', name: long },
    });
    expect(meta.rolloutId).toBe(`${'x'.repeat(256)}… (10000 characters)`);
    expect(meta.action).toBe(`${'x'.repeat(256)}… (10000 characters)`);
    expect((meta.route as { name: string }).name).toHaveLength(
      256 + '… (10000 characters)'.length,
    );
  });
});

describe('outcomeOfError', () => {
  it.each([
    [new NotAllowedError('no'), 'denied'],
    [new InputError('bad'), 'invalid'],
    [new NotFoundError('gone'), 'not-found'],
    [new ConflictError('stale'), 'conflict'],
    [new Error('boom'), 'failed'],
  ])('%s → %s', (error, outcome) => {
    expect(outcomeOfError(error)).toBe(outcome);
  });
});

describe('auditRolloutAction', () => {
  it('opens a medium-severity event and ends it with the outcome of a write', async () => {
    const auditor = mockServices.auditor.mock();
    await expect(
      auditRolloutAction(
        { auditor, request, entityRef, body },
        async () => applied,
      ),
    ).resolves.toBe(applied);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'rollout-action',
      severityLevel: 'medium',
      request,
      meta: describeAttempt(entityRef, body),
    });
    expect((await lastEvent(auditor)).success).toHaveBeenCalledWith({
      meta: {
        ...describeAttempt(entityRef, body),
        outcome: 'applied',
        summary: applied.summary,
        historyEventId: '7',
      },
    });
  });

  it('fails the event with the error and rethrows it, audited only once', async () => {
    const auditor = mockServices.auditor.mock();
    const error = new ConflictError('stale');
    await expect(
      auditRolloutAction({ auditor, request, entityRef, body }, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect((await lastEvent(auditor)).fail).toHaveBeenCalledWith({
      error,
      meta: { ...describeAttempt(entityRef, body), outcome: 'conflict' },
    });

    await auditRefusedAttempt({ auditor, request, entityRef, error });
    expect(auditor.createEvent).toHaveBeenCalledTimes(1);
  });

  it('audits a refusal that never reached the handler', async () => {
    const auditor = mockServices.auditor.mock();
    const error = new InputError(
      'request/body/force must NOT have additional properties',
    );
    await auditRefusedAttempt({
      auditor,
      request: { body: { ...body, dryRun: true } } as Request,
      entityRef,
      error,
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ severityLevel: 'low' }),
    );
    expect((await lastEvent(auditor)).fail).toHaveBeenCalledWith({
      error,
      meta: expect.objectContaining({ outcome: 'invalid', dryRun: true }),
    });
  });
});
