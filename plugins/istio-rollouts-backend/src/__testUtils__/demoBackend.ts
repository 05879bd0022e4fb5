/*
 * The demo, in process, for end-to-end tests of the plugin: kube-sim clusters
 * loaded with examples/clusters/<cluster> and served over real HTTP (the
 * plugin reaches them through @kubernetes/client-node), the demo catalog, and
 * a permissions mock that decides like the demo's policy: everyone reads
 * (but OUTSIDER), only an entity's owners move its traffic.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  KubeObject,
  KubeSim,
  loadManifestFiles,
  parseManifests,
  startKubeSim,
} from '@internal/kube-sim';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { istioRolloutsPlugin } from '../plugin';

export const REPO = path.resolve(__dirname, '../../../..');
const USERS_FILE = path.join(REPO, 'examples/clusters/users.yaml');
/** The plugin's demo service account token in kube-sim. */
export const TOKEN = 'demo-rollouts-token';

/** team-bookinfo: owns reviews, foobar, gorilla-sfx-demo. */
export const GUEST = 'user:default/guest';
/** team-web: owns web-service. */
export const SAM = 'user:default/sam';
/** May not even read rollouts. */
export const OUTSIDER = 'user:default/outsider';

export type DemoClusterName = 'demo-east' | 'demo-west';

/** The demo catalog, plus two entities that only the tests need. */
export function demoEntities(): Entity[] {
  const file = (name: string) =>
    parseManifests(
      fs.readFileSync(path.join(REPO, 'examples/catalog', name), 'utf8'),
    ) as unknown as Entity[];
  const component = (
    name: string,
    annotations: Record<string, string>,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-bookinfo',
    },
  });
  return [
    ...file('components.yaml'),
    ...file('org.yaml'),
    // Selects only objects that also carry `scope: bookinfo-only` (none of
    // the demo's do, so it shares no claim with reviews), in bookinfo only.
    component('reviews-in-bookinfo', {
      'backstage.io/kubernetes-label-selector':
        'backstage.io/kubernetes-id=reviews,scope=bookinfo-only',
      'backstage.io/kubernetes-namespace': 'bookinfo',
    }),
    component('podinfo', { 'backstage.io/kubernetes-id': 'podinfo' }),
  ];
}

/** The demo policy, decided the way the catalog's isEntityOwner would. */
export function demoPermissions(entities: Entity[]) {
  const claims: Record<string, string[]> = {
    [GUEST]: [GUEST, 'group:default/team-bookinfo'],
    [SAM]: [SAM, 'group:default/team-web'],
    [OUTSIDER]: [OUTSIDER],
  };
  return mockServices.permissions.mock({
    authorize: jest.fn(
      async (
        requests: Parameters<PermissionsService['authorize']>[0],
        options: { credentials: BackstageCredentials },
      ) => {
        const user = (
          options.credentials.principal as { userEntityRef?: string }
        ).userEntityRef;
        return requests.map(({ permission, resourceRef }) => {
          if (permission.name === 'istio-rollouts.traffic.read') {
            return {
              result:
                user === OUTSIDER
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            };
          }
          const entity = entities.find(
            e => stringifyEntityRef(e) === resourceRef,
          );
          const owner = (entity?.spec as { owner?: string } | undefined)?.owner;
          const owns = !!owner && (claims[user ?? ''] ?? []).includes(owner);
          return {
            result: owns ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          };
        });
      },
    ),
  });
}

function demoManifestDir(name: DemoClusterName): string {
  return path.join(REPO, 'examples/clusters', name);
}

/** A kube-sim cluster holding the demo manifests, with the demo's users. */
export async function startDemoCluster(name: DemoClusterName) {
  return startKubeSim({
    manifestPaths: [demoManifestDir(name)],
    usersFile: USERS_FILE,
  });
}

/** Puts a demo cluster back to its manifests (every other object is deleted) and forgets faults and requests. */
export async function resetDemoCluster(sim: KubeSim, name: DemoClusterName) {
  sim.api.applyManifests(await loadManifestFiles([demoManifestDir(name)]), {
    replace: true,
  });
  sim.faults.clear();
  sim.requests.clear();
}

/** A `type: config` cluster entry, as the Kubernetes plugin configures it. */
export function configCluster(name: string, url: string, token = TOKEN) {
  return {
    name,
    url,
    authProvider: 'serviceAccount',
    serviceAccountToken: token,
    // kube-sim serves plain http on loopback.
    allowInsecureHttp: true,
  };
}

/** Config that points the plugin at the two demo clusters. */
export function demoClustersConfig(
  sims: Record<DemoClusterName, KubeSim>,
  clusterTimeoutMs = 2000,
) {
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            configCluster('demo-east', sims['demo-east'].url),
            configCluster('demo-west', sims['demo-west'].url),
          ],
        },
      ],
    },
    istioRollouts: { clusterTimeoutMs },
  };
}

/** A SQLite database for one backend: in memory, or in a file that outlives it. */
export function sqliteKnex(filename = ':memory:'): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
}

/**
 * Starts the plugin with the demo catalog and permissions, and a database of
 * its own (in-memory SQLite unless `options.knex` is given; closed on stop,
 * since Backstage's database service leaves SQLite connections open).
 * `features` adds or replaces services (an auditor mock).
 */
export async function startDemoBackend(
  config: object,
  features: Parameters<typeof startTestBackend>[0]['features'] = [],
  options: { knex?: Knex } = {},
) {
  const entities = demoEntities();
  const permissions = demoPermissions(entities);
  const knex = options.knex ?? sqliteKnex();
  const backend = await startTestBackend({
    features: [
      istioRolloutsPlugin,
      mockServices.rootConfig.factory({ data: config as never }),
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      permissions.factory,
      ...(features ?? []),
    ],
  });
  return {
    server: backend.server,
    permissions,
    async stop() {
      await backend.stop();
      if (!options.knex) await knex.destroy();
    },
  };
}

export type DemoBackend = Awaited<ReturnType<typeof startDemoBackend>>;

const ENTITIES = '/api/istio-rollouts/v1/entities/component/default';

/** GET the entity's rollouts as `user`. */
export function getRollouts(
  backend: Pick<DemoBackend, 'server'>,
  entity: string,
  user = GUEST,
) {
  return request(backend.server)
    .get(`${ENTITIES}/${entity}/rollouts`)
    .set('authorization', mockCredentials.user.header(user));
}

/** GET the canary health of the entity's rollouts as `user`. */
export function getMetrics(
  backend: Pick<DemoBackend, 'server'>,
  entity: string,
  user = GUEST,
) {
  return request(backend.server)
    .get(`${ENTITIES}/${entity}/rollouts/metrics`)
    .set('authorization', mockCredentials.user.header(user));
}

/** POST an action on the entity's rollouts as `user`. */
export function postAction(
  backend: Pick<DemoBackend, 'server'>,
  entity: string,
  body: object,
  user = GUEST,
) {
  return request(backend.server)
    .post(`${ENTITIES}/${entity}/rollouts/actions`)
    .set('authorization', mockCredentials.user.header(user))
    .send(body);
}

/** GET a page of the entity's history as `user`. */
export function getHistory(
  backend: Pick<DemoBackend, 'server'>,
  entity: string,
  query: Record<string, string | number> = {},
  user = GUEST,
) {
  return request(backend.server)
    .get(`${ENTITIES}/${entity}/rollouts/history`)
    .query(query)
    .set('authorization', mockCredentials.user.header(user));
}

/** An object as the simulator stores it, by kind, namespace and name. */
export function storedObject(
  sim: KubeSim,
  kind: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  return sim.store
    .all()
    .map(e => e.object)
    .find(
      o =>
        o.kind === kind &&
        o.metadata.namespace === namespace &&
        o.metadata.name === name,
    );
}

/** The writes (anything but GET) the simulator was sent since its log was cleared. */
export function writesTo(sim: KubeSim) {
  return sim.requests.list().filter(r => r.method !== 'GET');
}

/** A VirtualService Flagger created for its Canary podinfo (entity podinfo). */
export const PODINFO_FLAGGER = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: podinfo
  namespace: default
  labels: { backstage.io/kubernetes-id: podinfo }
  ownerReferences:
    - { apiVersion: flagger.app/v1beta1, kind: Canary, name: podinfo, uid: 4f3d, controller: true }
spec:
  hosts: [podinfo]
  http:
    - route:
        - { destination: { host: podinfo-primary }, weight: 90 }
        - { destination: { host: podinfo-canary }, weight: 10 }
`;
