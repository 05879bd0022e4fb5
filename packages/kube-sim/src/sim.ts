/*
 * Starting a simulated cluster in-process: store, API, HTTP server, initial
 * manifests, users and the simulated mesh's telemetry.
 */
import { promises as fs } from 'node:fs';
import { AddressInfo } from 'node:net';
import { KubeApi } from './api';
import {
  parseUsersFile,
  UsersConfig,
  UserSpec,
  validateUsersConfig,
} from './auth';
import { Faults } from './faults';
import { loadManifestFiles, ManifestResult, parseManifests } from './manifests';
import { KubeObject } from './objects';
import { RequestLog } from './requestLog';
import { createKubeSimServer } from './server';
import { Store } from './store';
import { MeshTelemetry } from './telemetry/telemetry';
import { loadValidator } from './validation';

export interface KubeSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Multi-document YAML (or JSON) loaded at start. */
  manifests?: string;
  /** Files or directories (their *.yaml/*.yml, sorted) loaded at start, after `manifests`. */
  manifestPaths?: string[];
  /** Users, groups and their rules; without users (and usersFile) every request is cluster-admin. */
  users?: UsersConfig | UserSpec[];
  /** A users YAML file, as the CLI's --users. */
  usersFile?: string;
  /** How often watches with allowWatchBookmarks=true get a BOOKMARK. Default 10000. */
  bookmarkIntervalMs?: number;
  /** How many past events watches can resume from before getting 410 Gone. Default 1000. */
  watchWindow?: number;
  /** Random source for fault `fraction`; injectable for deterministic tests. */
  random?: () => number;
  /** Simulated Istio telemetry at `GET /metrics` (default true). */
  telemetry?: boolean;
  /** The telemetry's clock in milliseconds (default `Date.now`); injectable for tests. */
  clock?: () => number;
}

export interface KubeSim {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  host: string;
  store: Store;
  api: KubeApi;
  faults: Faults;
  requests: RequestLog;
  /** The simulated mesh (served at `/metrics`); undefined with `telemetry: false`. */
  telemetry?: MeshTelemetry;
  /** Creates or replaces the objects in the YAML; with `replace`, deletes every other object too. */
  loadManifests(
    yaml: string,
    options?: { replace?: boolean },
  ): ManifestResult[];
  /** Ends open watches and stops the server. */
  close(): Promise<void>;
}

export async function startKubeSim(
  options: KubeSimOptions = {},
): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  let users: UsersConfig | undefined;
  if (options.usersFile)
    users = parseUsersFile(await fs.readFile(options.usersFile, 'utf8'));
  if (options.users) {
    users = validateUsersConfig(
      Array.isArray(options.users) ? { users: options.users } : options.users,
    );
  }

  const store = new Store({ watchWindow: options.watchWindow });
  const api = new KubeApi(store, await loadValidator());
  api.ensureDefaultNamespace();
  const initial: KubeObject[] = [];
  if (options.manifests) initial.push(...parseManifests(options.manifests));
  if (options.manifestPaths?.length)
    initial.push(...(await loadManifestFiles(options.manifestPaths)));
  if (initial.length) api.applyManifests(initial, { replace: false });

  const faults = new Faults(options.random);
  const requests = new RequestLog();
  const telemetry =
    options.telemetry === false
      ? undefined
      : new MeshTelemetry(store, { clock: options.clock });
  const { server, closeWatches } = createKubeSimServer({
    api,
    store,
    faults,
    requests,
    users,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10000,
    telemetry,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    store,
    api,
    faults,
    requests,
    telemetry,
    loadManifests: (yaml, opts = {}) => {
      const results = api.applyManifests(parseManifests(yaml), {
        replace: !!opts.replace,
      });
      telemetry?.sync();
      return results;
    },
    close() {
      if (!closing) {
        closing = new Promise<void>(resolve => {
          closeWatches();
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closing;
    },
  };
}
