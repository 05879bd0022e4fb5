import { Entity } from '@backstage/catalog-model';
import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { RenderResult } from '@testing-library/react';
import { ReactElement } from 'react';
import { IstioRolloutsApi, istioRolloutsApiRef } from '../api';

/** A component entity with the Kubernetes id annotation (or the given annotations). */
export function component(
  name: string,
  annotations: Record<string, string> = {
    'backstage.io/kubernetes-id': name,
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-bookinfo', lifecycle: 'production' },
  };
}

export type MockApi = jest.Mocked<IstioRolloutsApi>;

/** An API whose calls never answer unless a test says otherwise (metrics, plans and the portal page included); history is empty. */
export function mockApi(): MockApi {
  return {
    getRollouts: jest.fn(() => new Promise(() => {})),
    getRolloutMetrics: jest.fn(() => new Promise(() => {})),
    runAction: jest.fn(() => new Promise(() => {})),
    getHistory: jest.fn(async () => ({ events: [] })),
    getPlans: jest.fn(() => new Promise(() => {})),
    startPlan: jest.fn(() => new Promise(() => {})),
    commandPlan: jest.fn(() => new Promise(() => {})),
    getPortalRollouts: jest.fn(() => new Promise(() => {})),
    getPortalHealth: jest.fn(() => new Promise(() => {})),
  } as unknown as MockApi;
}

/** The demo's org: the guest is in team-bookinfo; team-web owns web-service. */
export const demoOwners: Entity[] = [
  ['team-bookinfo', 'Team Bookinfo'],
  ['team-web', 'Team Web'],
].map(([name, title]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'team', children: [] },
}));

/** A catalog that knows the demo's teams, and the guest's identity. */
export function demoOrgApis() {
  return {
    catalogApi: {
      getEntitiesByRefs: jest.fn(async ({ entityRefs }) => ({
        items: entityRefs.map((ref: string) =>
          demoOwners.find(
            o => `group:default/${o.metadata.name}` === ref.toLocaleLowerCase(),
          ),
        ),
      })),
    },
    identityApi: {
      getBackstageIdentity: jest.fn(async () => ({
        type: 'user' as const,
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: [
          'user:default/guest',
          'group:default/team-bookinfo',
        ],
      })),
    },
  };
}

/**
 * Renders inside a test app with the mocked API, an alert spy and the entity;
 * with `org` (see `demoOrgApis`), the catalog and identity the owners' names come from.
 */
export async function renderWithApi(
  element: ReactElement,
  options: {
    api: MockApi;
    entity?: Entity;
    org?: ReturnType<typeof demoOrgApis>;
  },
): Promise<RenderResult & { alertApi: { post: jest.Mock } }> {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const org = options.org
    ? ([
        [catalogApiRef, options.org.catalogApi],
        [identityApiRef, options.org.identityApi],
      ] as const)
    : [];
  const utils = await renderInTestApp(
    <TestApiProvider
      apis={[
        [istioRolloutsApiRef, options.api],
        [alertApiRef, alertApi],
        ...org,
      ]}
    >
      <EntityProvider entity={options.entity ?? component('reviews')}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
  return { ...utils, alertApi };
}

/** A failed backend call in Backstage's error shape, as the client throws it. */
export async function responseError(
  status: number,
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message, ...extra },
        request: { method: 'POST', url: '/actions' },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}
