/*
 * The bench backend: the demo backend (app, auth with guest sign-in, catalog,
 * permissions with the demo policy, Istio Rollouts) plus Backstage's own
 * Kubernetes backend, so `npm run bench` can ask both for the same entity in
 * one process. For benchmarks only; the demo and production use
 * packages/backend.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/demo-permission-policy'));

backend.add(import('@internal/plugin-istio-rollouts-backend'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.start();
