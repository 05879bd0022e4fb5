import { KubeConfig } from '@kubernetes/client-node';
import { isDynamicImportRefused, loadClientNode } from './clientNode';

describe('loadClientNode', () => {
  it('loads client-node inside Jest, where a native import() is refused', async () => {
    const k8s = await loadClientNode();
    expect(typeof k8s.KubeConfig).toBe('function');
    expect(typeof k8s.CustomObjectsApi).toBe('function');
  });

  it('gives the same module instance a static import gets, so instanceof holds', async () => {
    const k8s = await loadClientNode();
    expect(k8s.KubeConfig).toBe(KubeConfig);
  });

  it('loads once', async () => {
    expect(await loadClientNode()).toBe(await loadClientNode());
  });
});

describe('isDynamicImportRefused', () => {
  it('recognises the sandbox refusing import()', () => {
    expect(
      isDynamicImportRefused(
        Object.assign(new Error('x'), {
          code: 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG',
        }),
      ),
    ).toBe(true);
    expect(
      isDynamicImportRefused(
        new Error(
          'You need to run with a version of node that supports ES Modules in the VM API. See https://jestjs.io/docs/ecmascript-modules (--experimental-vm-modules)',
        ),
      ),
    ).toBe(true);
  });

  it('passes other errors through', () => {
    expect(
      isDynamicImportRefused(
        Object.assign(new Error("Cannot find module 'x'"), {
          code: 'ERR_MODULE_NOT_FOUND',
        }),
      ),
    ).toBe(false);
    expect(isDynamicImportRefused(undefined)).toBe(false);
  });
});
