import { HttpAuthService } from '@backstage/backend-plugin-api';
import { HealthResponse } from '@internal/plugin-istio-rollouts-common';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { EntityRolloutsService } from './EntityRolloutsService';

/** What the router needs from the backend. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  rollouts: EntityRolloutsService;
}

/**
 * Builds the plugin's HTTP API from its OpenAPI document
 * (`src/schema/openapi.yaml`), which validates every request's path and
 * query before a handler runs; every route is versioned under `/v1`.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, rollouts } = options;
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

  return router;
}
