/*
 * Loading @kubernetes/client-node 1.x, which ships only as an ES module, from
 * this package, which Backstage runs as CommonJS.
 *
 * - In the backend (`backstage-cli package start` through nodeTransform.cjs,
 *   or a built dist) the transpilers keep `import()` native, and Node loads
 *   the ES module.
 * - In Jest without --experimental-vm-modules, a native `import()` inside the
 *   test sandbox is refused. There `require()` goes through Jest's module
 *   registry and Backstage's transform, which turns the package into
 *   CommonJS; tests that import client-node statically get the same instance.
 */

/** The @kubernetes/client-node module. */
export type ClientNode = typeof import('@kubernetes/client-node');

let loading: Promise<ClientNode> | undefined;

/** Whether `e` is the sandbox refusing a dynamic import (Jest's vm without ESM support). */
export function isDynamicImportRefused(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  return (
    (typeof err?.code === 'string' &&
      err.code.startsWith('ERR_VM_DYNAMIC_IMPORT')) ||
    (typeof err?.message === 'string' &&
      err.message.includes('experimental-vm-modules'))
  );
}

/** Loads @kubernetes/client-node once per process. */
export function loadClientNode(): Promise<ClientNode> {
  loading ??= (async () => {
    try {
      return await import('@kubernetes/client-node');
    } catch (e) {
      if (!isDynamicImportRefused(e)) throw e;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('@kubernetes/client-node') as ClientNode;
    }
  })();
  return loading;
}
