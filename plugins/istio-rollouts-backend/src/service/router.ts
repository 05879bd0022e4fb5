import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  HealthResponse,
  parseActionRequest,
  PortalHealthResponse,
  PortalRolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import express from 'express';
import {
  auditRefusedAttempt,
  auditRolloutAction,
  RolloutActionsService,
} from '../actions';
import {
  auditPlanRequest,
  auditRefusedPlanRequest,
} from '../plans/auditPlanRequest';
import type { PlanService } from '../plans/PlanService';
import type { PortalRolloutsService } from '../portal';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { EntityHistoryService } from './EntityHistoryService';
import { EntityMetricsService } from './EntityMetricsService';
import { EntityRolloutsService } from './EntityRolloutsService';
import { describeBodyErrors } from './describeBodyErrors';

/** What the router needs from the backend. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  rollouts: EntityRolloutsService;
  actions: RolloutActionsService;
  history: EntityHistoryService;
  metrics: EntityMetricsService;
  plans: PlanService;
  portal: PortalRolloutsService;
}

const ROLLOUTS_PATH = '/v1/entities/:kind/:namespace/:name/rollouts';
const PORTAL_PATH = '/v1/rollouts';
const PORTAL_HEALTH_PATH = `${PORTAL_PATH}/health`;
const ACTIONS_PATH = `${ROLLOUTS_PATH}/actions`;
const HISTORY_PATH = `${ROLLOUTS_PATH}/history`;
const METRICS_PATH = `${ROLLOUTS_PATH}/metrics`;
const PLANS_PATH = `${ROLLOUTS_PATH}/plans`;
const PLAN_COMMANDS_PATH = `${PLANS_PATH}/:planId/commands`;

/** The methods each route serves, for the 405 of any other. */
const ROUTE_METHODS: Array<[string, string[]]> = [
  ['/v1/health', ['GET']],
  [ROLLOUTS_PATH, ['GET']],
  [PORTAL_PATH, ['GET']],
  [PORTAL_HEALTH_PATH, ['GET']],
  [ACTIONS_PATH, ['POST']],
  [HISTORY_PATH, ['GET']],
  [METRICS_PATH, ['GET']],
  [PLANS_PATH, ['GET', 'POST']],
  [PLAN_COMMANDS_PATH, ['POST']],
];

/** A request path, shortened for a message. */
function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/**
 * Builds the plugin's HTTP API from its OpenAPI document
 * (`src/schema/openapi.yaml`), which validates every request's path, query
 * and body before a handler runs; every route is versioned under `/v1`.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    auditor,
    rollouts,
    actions,
    history,
    metrics,
    plans,
    portal,
  } = options;
  const router = await createOpenApiRouter();

  router.get('/v1/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  // Every active rollout the caller may read, across entities and clusters.
  router.get(PORTAL_PATH, async (req, res) => {
    const response: PortalRolloutsResponse = await portal.list(
      await httpAuth.credentials(req),
    );
    res.json(response);
  });

  // Their canary verdicts, apart: the page's rows never wait for Prometheus.
  router.get(PORTAL_HEALTH_PATH, async (req, res) => {
    const response: PortalHealthResponse = await portal.health(
      await httpAuth.credentials(req),
    );
    res.json(response);
  });

  router.get(ROLLOUTS_PATH, async (req, res) => {
    const { kind, namespace, name } = req.params;
    const response = await rollouts.getRollouts(
      { kind, namespace, name },
      await httpAuth.credentials(req),
    );
    res.json(response);
  });

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
      async () => {
        // Only a user can act: the history names who did it.
        const credentials = await httpAuth.credentials(req, {
          allow: ['user'],
        });
        // The one typed request: nothing past here reads the raw body.
        return actions.act(ref, parseActionRequest(req.body), credentials);
      },
    );
    res.json(response);
  });

  router.get(HISTORY_PATH, async (req, res) => {
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
  });

  router.get(METRICS_PATH, async (req, res) => {
    const { kind, namespace, name } = req.params;
    const response = await metrics.getMetrics(
      { kind, namespace, name },
      await httpAuth.credentials(req),
    );
    res.json(response);
  });

  router.get(PLANS_PATH, async (req, res) => {
    const { kind, namespace, name } = req.params;
    res.json(
      await plans.list(
        { kind, namespace, name },
        await httpAuth.credentials(req, { allow: ['user'] }),
      ),
    );
  });

  router.post(PLANS_PATH, async (req, res) => {
    const { kind, namespace, name } = req.params;
    const ref = { kind, namespace, name };
    const response = await auditPlanRequest(
      { auditor, request: req, entityRef: stringifyEntityRef(ref) },
      async () =>
        plans.start(
          ref,
          req.body,
          await httpAuth.credentials(req, { allow: ['user'] }),
        ),
    );
    res.json(response);
  });

  router.post(PLAN_COMMANDS_PATH, async (req, res) => {
    const { kind, namespace, name, planId } = req.params;
    const ref = { kind, namespace, name };
    const response = await auditPlanRequest(
      { auditor, request: req, entityRef: stringifyEntityRef(ref), planId },
      async () =>
        plans.command(
          ref,
          planId,
          req.body,
          await httpAuth.credentials(req, { allow: ['user'] }),
        ),
    );
    res.json(response);
  });

  // A route asked with a method it does not serve: 405 naming the ones it
  // does, in Backstage's error shape, rather than an empty 404.
  for (const [path, methods] of ROUTE_METHODS) {
    router.all(path, (req, res, next) => {
      if (methods.includes(req.method) || req.method === 'OPTIONS') {
        next();
        return;
      }
      res.setHeader('Allow', methods.join(', '));
      next(
        Object.assign(
          new Error(
            `${req.method} is not allowed on ${shown(
              req.path,
            )}; it answers ${methods.join(', ')}`,
          ),
          { name: 'MethodNotAllowedError', statusCode: 405 },
        ),
      );
    });
  }
  // Anything else under the API's version: a 404 that says so.
  router.use('/v1', (req, _res, next) => {
    next(
      new NotFoundError(
        `No endpoint ${req.method} /v1${shown(
          req.path,
        )}; the endpoints are described in /api/istio-rollouts/openapi.json`,
      ),
    );
  });

  // A request the OpenAPI validation refused (a malformed body) never reached
  // its handler; it is still an attempt, so it is audited here, its message
  // worded like the planners' (`<field>: <reason>`).
  const refusedBodies: Array<[string, string, typeof auditRefusedAttempt]> = [
    [ACTIONS_PATH, 'ActionRequest', auditRefusedAttempt],
    [PLANS_PATH, 'StartPlanRequest', auditRefusedPlanRequest],
    [PLAN_COMMANDS_PATH, 'PlanCommandRequest', auditRefusedPlanRequest],
  ];
  for (const [path, bodySchema, audit] of refusedBodies) {
    router.use(
      path,
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
        const refusal = describeBodyErrors(error, req.body, spec, bodySchema);
        const { kind, namespace, name } = req.params;
        audit({
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
  }

  return router;
}
