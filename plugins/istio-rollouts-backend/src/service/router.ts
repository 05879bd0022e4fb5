import { LoggerService } from '@backstage/backend-plugin-api';
import { HealthResponse } from '@internal/plugin-istio-rollouts-common';
import express from 'express';
import Router from 'express-promise-router';

/** What the router needs from the backend. */
export interface RouterOptions {
  logger: LoggerService;
}

/** Builds the plugin's HTTP API; every route is versioned under `/v1`. */
export async function createRouter(
  _options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  router.get('/v1/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  return router;
}
