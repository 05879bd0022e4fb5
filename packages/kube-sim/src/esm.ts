/*
 * Loading ESM-only packages (@kubernetes-models/istio) from this package,
 * which Backstage builds and runs as CommonJS.
 *
 * - Under Node (the CLI through Backstage's nodeTransform, or the built dist),
 *   the transpilers keep `import()` as a real dynamic import, which works.
 * - Under Jest without --experimental-vm-modules, `import()` inside the test
 *   sandbox throws, and `require()` cannot resolve packages whose `exports`
 *   only have an `import` condition. There we compile a one-line importer in
 *   Node's main context with the main-context default loader, which imports
 *   the real ESM graph outside Jest's module registry.
 */
import * as vm from 'node:vm';

type Importer = (specifier: string) => Promise<unknown>;

let mainContextImporter: Importer | undefined;

function isMissingVmModulesError(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    (typeof err?.code === 'string' &&
      err.code.startsWith('ERR_VM_DYNAMIC_IMPORT')) ||
    (typeof err?.message === 'string' &&
      err.message.includes('experimental-vm-modules'))
  );
}

function getMainContextImporter(): Importer {
  if (mainContextImporter) return mainContextImporter;
  const loader = (vm as unknown as { constants?: Record<string, unknown> })
    .constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!loader) {
    throw new Error(
      'kube-sim: cannot load ESM-only @kubernetes-models/istio here; run Jest with --experimental-vm-modules or use Node >= 20.12',
    );
  }
  const script = new vm.Script('(specifier) => import(specifier)', {
    filename: __filename,
    importModuleDynamically: loader as never,
  });
  mainContextImporter = script.runInThisContext() as Importer;
  return mainContextImporter;
}

/**
 * Runs `fn` with Node's one-time experimental warning for the main-context
 * loader muted: it is noise in test output. Jest gives tests a copy of
 * `process`, so the real one is taken from the main context.
 */
async function withoutLoaderWarning<T>(fn: () => Promise<T>): Promise<T> {
  const realProcess = vm.runInThisContext('process') as NodeJS.Process;
  const emitWarning = realProcess.emitWarning;
  realProcess.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (text?.includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    (emitWarning as (...args: unknown[]) => void).call(
      realProcess,
      warning,
      ...rest,
    );
  }) as typeof process.emitWarning;
  try {
    return await fn();
  } finally {
    realProcess.emitWarning = emitWarning;
  }
}

/** `import(specifier)` that also works inside Jest's CommonJS sandbox. */
export async function importEsm<T>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (e) {
    if (!isMissingVmModulesError(e)) throw e;
    return (await withoutLoaderWarning(() =>
      getMainContextImporter()(specifier),
    )) as T;
  }
}
