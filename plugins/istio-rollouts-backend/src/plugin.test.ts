import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { istioRolloutsPlugin } from './plugin';

describe('istioRolloutsPlugin', () => {
  it('answers its health route without credentials', async () => {
    const { server } = await startTestBackend({
      features: [istioRolloutsPlugin],
    });
    const res = await request(server)
      .get('/api/istio-rollouts/v1/health')
      .set('authorization', '');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('registers its permissions so policies and the permission UI can list them', async () => {
    const { server } = await startTestBackend({
      features: [istioRolloutsPlugin],
    });
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
});
