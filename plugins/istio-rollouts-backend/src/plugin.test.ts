import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { istioRolloutsPlugin } from './plugin';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function start() {
  // A test database rather than the default one, whose SQLite connection would outlive the test.
  const knex = await databases.init('SQLITE_3');
  const backend = await startTestBackend({
    features: [istioRolloutsPlugin, mockServices.database.factory({ knex })],
  });
  return { server: backend.server, knex };
}

describe('istioRolloutsPlugin', () => {
  it('answers its health route without credentials', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/istio-rollouts/v1/health')
      .set('authorization', '');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('registers its permissions so policies and the permission UI can list them', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/istio-rollouts/.well-known/backstage/permissions/metadata')
      .set('authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.permissions.map((p: { name: string }) => p.name)).toEqual([
      'istio-rollouts.traffic.read',
      'istio-rollouts.traffic.update',
      'istio-rollouts.traffic.promote',
    ]);
  });

  it('migrates its history table in the plugin database at startup', async () => {
    const { knex } = await start();
    expect(await knex.schema.hasTable('rollout_history')).toBe(true);
    expect(await knex.schema.hasColumn('rollout_history', 'routes')).toBe(true);
  });
});
