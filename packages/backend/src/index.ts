/*
 * The demo portal's backend: catalog, guest sign-in, permissions with an
 * ownership policy, and the Istio Rollouts plugin.
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
// Its actions as MCP tools for AI assistants (backend.actions.pluginSources in app-config.yaml).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
