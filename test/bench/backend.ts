/*
 * The bench backend (packages/bench-backend): started once per scenario with
 * a generated app-config, run like production (NODE_ENV=production, no file
 * watcher) straight from its TypeScript sources through Backstage's Node
 * transform, the way `backstage-cli package start` runs it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  benchAppConfig,
  BenchCluster,
} from '../../packages/bench-backend/src/bench/appConfig';
import { ProcessGroup, Started } from './processes';
import { CLUSTER_TOKEN, ROOT } from './cluster';

/** Ports the demo and the e2e suite use; the bench never takes them. */
const RESERVED_PORTS = new Set([3000, 7007, 6551, 6552]);

/** A free TCP port on loopback (not one of the demo's). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          resolve(typeof address === 'object' && address ? address.port : 0),
        );
      });
    });
    if (port && !RESERVED_PORTS.has(port)) return port;
  }
}

export interface RunningBackend {
  baseUrl: string;
  process: Started;
  /** A guest user's Backstage token. */
  token: string;
  /** The measured entity as the catalog has it. */
  entity: Record<string, any>;
}

async function sleep(ms: number) {
  await new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns a value, or fails after `timeoutMs`. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `${what} within ${timeoutMs} ms${
      last ? ` (last error: ${(last as Error).message})` : ''
    }`,
  );
}

export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest refresh answered ${res.status}`);
  const body = (await res.json()) as {
    backstageIdentity?: { token?: string };
  };
  const token = body.backstageIdentity?.token;
  if (!token) throw new Error('guest refresh returned no token');
  return token;
}

/**
 * Starts the bench backend for `clusters`, waits until it is ready and the
 * catalog holds the measured entity with its owner, and signs in as guest.
 */
export async function startBackend(options: {
  group: ProcessGroup;
  dir: string;
  clusters: BenchCluster[];
  catalogFile: string;
  entityRef: { kind: string; namespace: string; name: string };
  cpuProfileDir?: string;
  /** Open the V8 inspector on a loopback port (for heap-after-GC samples). */
  inspect?: boolean;
  /** Istio Rollouts' watch cache; on unless false. */
  watchCache?: boolean;
  /** `istioRollouts.canaryAnalysis.cacheSeconds`; the product's default when absent. */
  canaryCacheSeconds?: number;
  /** A backend besides the scenario's two: its folder (under `dir`) and its name in messages. */
  variant?: { dir: string; name: string };
}): Promise<RunningBackend> {
  const { group } = options;
  // Each backend its own folder: SQLite, config and log.
  const variant =
    options.variant ??
    (options.watchCache === false
      ? { dir: 'no-watch-cache', name: 'watch cache off' }
      : undefined);
  const dir = variant ? path.join(options.dir, variant.dir) : options.dir;
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const sqlite = path.join(dir, 'sqlite');
  fs.mkdirSync(sqlite, { recursive: true });
  const configFile = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      benchAppConfig({
        port,
        sqliteDirectory: sqlite,
        catalogFile: options.catalogFile,
        clusters: options.clusters,
        token: CLUSTER_TOKEN,
        watchCache: options.watchCache,
        canaryCacheSeconds: options.canaryCacheSeconds,
      }),
      null,
      2,
    ),
  );
  const packageDir = path.join(ROOT, 'packages/bench-backend');
  const nodeArgs = [
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs', {
      paths: [ROOT],
    }),
  ];
  if (options.cpuProfileDir) {
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
  }
  if (options.inspect) nodeArgs.push('--inspect=127.0.0.1:0');
  const started = group.start({
    name: variant ? `bench backend (${variant.name})` : 'bench backend',
    command: process.execPath,
    args: [...nodeArgs, 'src/index.ts', '--config', configFile],
    cwd: packageDir,
    env: { NODE_ENV: 'production' },
    logFile: path.join(dir, 'backend.log'),
  });
  const exited = new Promise<never>((_, reject) =>
    started.child.once('exit', (code, signal) =>
      reject(
        new Error(
          `The bench backend exited (${signal ?? code}); see ${
            started.logFile
          }`,
        ),
      ),
    ),
  );
  exited.catch(() => {});
  const baseUrl = `http://localhost:${port}`;

  const ready = async () => {
    await Promise.race([
      exited,
      poll(
        'The bench backend was not ready',
        async () => {
          const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
          return res.ok ? true : undefined;
        },
        120_000,
      ),
    ]);
    // The catalog ingests the generated file in the background; ownership
    // (for the write permission) needs the entity's relations and the
    // guest's group membership.
    const { kind, namespace, name } = options.entityRef;
    const entity = await Promise.race([
      exited,
      poll(
        `The catalog did not list ${kind}:${namespace}/${name} with its owner`,
        async () => {
          const token = await guestToken(baseUrl);
          const res = await fetch(
            `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          if (!res.ok) return undefined;
          const e = (await res.json()) as Record<string, any>;
          const owned = (e.relations ?? []).some(
            (r: { type: string }) => r.type === 'ownedBy',
          );
          const user = await fetch(
            `${baseUrl}/api/catalog/entities/by-name/user/default/guest`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          const member =
            user.ok &&
            ((await user.json()) as Record<string, any>).relations?.some(
              (r: { type: string }) => r.type === 'memberOf',
            );
          return owned && member ? e : undefined;
        },
        120_000,
        500,
      ),
    ]);
    // A token issued now carries the guest's group as an ownership ref.
    const token = await guestToken(baseUrl);
    return { entity, token };
  };
  const { entity, token } = await ready();
  return { baseUrl, process: started, token, entity };
}
