import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  HealthResponse,
  RolloutActionRequest,
} from '@internal/plugin-istio-rollouts-common';
import express from 'express';
import {
  auditRefusedAttempt,
  auditRolloutAction,
  RolloutActionsService,
} from '../actions';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { EntityHistoryService } from './EntityHistoryService';
import { EntityRolloutsService } from './EntityRolloutsService';
import { describeBodyErrors } from './describeBodyErrors';

/** What the router needs from the backend. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  rollouts: EntityRolloutsService;
  actions: RolloutActionsService;
  history: EntityHistoryService;
}

const ACTIONS_PATH = '/v1/entities/:kind/:namespace/:name/rollouts/actions';

/**
 * Builds the plugin's HTTP API from its OpenAPI document
 * (`src/schema/openapi.yaml`), which validates every request's path, query
 * and body before a handler runs; every route is versioned under `/v1`.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, rollouts, actions, history } = options;
  const router = await createOpenApiRouter();

  router.get('/v1/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/rollouts',
    async (req, res) => {
      const { kind, namespace, name } = req.params;
      const response = await rollouts.getRollouts(
        { kind, namespace, name },
        await httpAuth.credentials(req),
      );
      res.json(response);
    },
  );

  router.post(ACTIONS_PATH, async (req, res) => {
    const { kind, namespace, name } = req.params;
    const ref = { kind, namespace, name };
    const response = await auditRolloutAction(
      {
        auditor,
        request: req,
        entityRef: stringifyEntityRef(ref),
        body: req.body,
      },
      async () =>
        actions.act(
          ref,
          req.body as RolloutActionRequest,
          // Only a user can act: the history names who did it.
          await httpAuth.credentials(req, { allow: ['user'] }),
        ),
    );
    res.json(response);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/rollouts/history',
    async (req, res) => {
      const { kind, namespace, name } = req.params;
      const { limit, cursor } = req.query;
      const page = await history.getHistory(
        { kind, namespace, name },
        await httpAuth.credentials(req),
        {
          ...(limit !== undefined && { limit: Number(limit) }),
          ...(cursor !== undefined && { cursor: String(cursor) }),
        },
      );
      res.json(page);
    },
  );

  // An action the OpenAPI validation refused (a malformed body) never reached
  // its handler; it is still an attempt, so it is audited here, its message
  // worded like the planner's (`<field>: <reason>`).
  router.use(
    ACTIONS_PATH,
    (
      error: unknown,
      req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (req.method !== 'POST') {
        next(error);
        return;
      }
      const refusal = describeBodyErrors(
        error,
        req.body,
        spec,
        'RolloutActionRequest',
      );
      const { kind, namespace, name } = req.params;
      auditRefusedAttempt({
        auditor,
        request: req,
        entityRef: stringifyEntityRef({ kind, namespace, name }),
        error: refusal,
      }).then(
        () => next(refusal),
        () => next(refusal),
      );
    },
  );

  return router;
}
