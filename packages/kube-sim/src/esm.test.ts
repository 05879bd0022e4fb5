import { importEsm } from './esm';

describe('importEsm', () => {
  it('loads an ESM-only package inside Jest, where a plain import() is refused', async () => {
    const mod = await importEsm<{ VirtualService: { apiVersion: string } }>(
      '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService',
    );
    expect(mod.VirtualService.apiVersion).toBe('networking.istio.io/v1beta1');
  });

  it('passes other import errors through', async () => {
    await expect(
      importEsm('@kubernetes-models/istio/no-such-module'),
    ).rejects.toThrow();
  });
});
