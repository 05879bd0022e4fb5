/*
 * The reliability suites' harness: simulated clusters (kube-sim, in this
 * process, each with a bearer token made up for the run) and the REAL demo
 * backend (packages/backend) as a separate Node process, started from its
 * TypeScript sources the way `backstage-cli package start` runs it, with
 * `--config app-config.yaml --config <generated>`: its own port, a fresh
 * database, the demo catalog plus the suites' fixtures, clusters pointing at
 * the simulators and a short cluster timeout. Everything talks over loopback.
 *
 * Callers are made with the backend's own features, never by mocking its
 * code: users sign in through the guest provider, whose
 * `auth.providers.guest.userEntityRef` lives in a small config file of its
 * own that the backend watches (Backstage re-reads config files when they
 * change), so rewriting it signs the next guest in as another user; the
 * demo policy's mode (`istioRolloutsDemo.policy`) sits in the same file; and
 * a service principal is a static external access token
 * (`backend.auth.externalAccess`).
 *
 * Catalog entities can be registered while the backend runs, the way a user
 * registers a component: `POST /api/catalog/locations` with a `url` location
 * served by this process (see {@link Backend.registerEntities}).
 *
 * Every write a simulated cluster applies is kept (across request-log clears),
 * so a suite can check at its end that each change the backend made in a
 * cluster has its history record ({@link unrecordedChanges}).
 */
import {
  KubeApi,
  KubeObject,
  KubeSim,
  loadManifestFiles,
  RequestLogEntry,
  startKubeSim,
} from '@internal/kube-sim';
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const REPO = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.resolve(__dirname, '../../fixtures');
const RESULTS_DIR = path.join(REPO, '.data/test-results');

/** What the demo and the end-to-end suite listen on; never taken here. */
const RESERVED_PORTS = new Set([3000, 7007, 6551, 6552]);

/** Each cluster's budget per read and per write, in ms (`istioRollouts.clusterTimeoutMs`). */
export const CLUSTER_TIMEOUT_MS = 1500;

export const GUEST = 'user:default/guest';
export const SAM = 'user:default/sam';

/** The demo policy's modes (`istioRolloutsDemo.policy`, packages/demo-permission-policy). */
export type PolicyMode = 'owner' | 'allow' | 'deny' | 'update-only' | 'no-read';

/**
 * `istioRollouts.cache` of the generated config. By default the suites run
 * with the caches off (every read meets the injected faults and the policy
 * switched at runtime); {@link WATCH_CACHE} is the product's default.
 */
export interface CacheConfig {
  watch: boolean;
  /** Omitted: the product's default (10 s). */
  allowedActionsTtlMs?: number;
  /** Omitted: {@link CLAIMS_TTL_MS}. */
  claimsTtlMs?: number;
}

/** No watch cache, offered actions asked on every read. */
export const NO_CACHE: CacheConfig = { watch: false, allowedActionsTtlMs: 0 };

/** The product's default: reads from the watch cache, offered actions reused for 10 s. */
export const WATCH_CACHE: CacheConfig = { watch: true };

/**
 * How long the backend reuses the catalog's claims
 * (`istioRollouts.cache.claimsTtlMs`, 10 s by default): short, so a claimant
 * registered or removed at runtime is seen quickly.
 */
export const CLAIMS_TTL_MS = 500;

// ---------------------------------------------------------------- utilities

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value; fails after `timeoutMs` with the last error. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} within ${timeoutMs} ms${
          last ? ` (last error: ${(last as Error).message})` : ''
        }`,
      );
    }
    await sleep(intervalMs);
  }
}

/** A made-up secret for this run, e.g. a cluster's bearer token. */
export function secret(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(16).toString('hex')}`;
}

/** A fresh folder for one suite's run, removed by `cleanup` unless RELIABILITY_KEEP is set. */
export function runDir(suite: string): {
  dir: string;
  cleanup(): void;
} {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `istio-rollouts-reliability-${suite}-`),
  );
  return {
    dir,
    cleanup() {
      if (!process.env.RELIABILITY_KEEP) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A TCP port nobody listens on now (and none of the demo's). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
    if (!RESERVED_PORTS.has(port)) return port;
  }
}

// ------------------------------------------------------------------- HTTP

/**
 * Keep-alive, so fifty concurrent writers don't open fifty connections each. An idle connection is closed after
 * 4 s, before the servers' keepAliveTimeout (Node's 5 s): a request sent on one the server is closing at that moment
 * fails with ECONNRESET or "socket hang up", as it did on a loaded machine after a suite's 6 s wait.
 */
const agent = new http.Agent({
  keepAlive: true,
  maxSockets: 128,
  timeout: 4000,
});

/** Closes the kept-alive connections, so the test worker can exit. */
export function closeConnections(): void {
  agent.destroy();
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined. */
  body: any;
  /** Milliseconds from sending to the end of the answer. */
  ms: number;
}

/**
 * One HTTP request, with the path sent byte for byte as given (no URL
 * normalisation, so `..` and odd encodings reach the server as written).
 */
export function request(
  baseUrl: string,
  method: string,
  pathAndQuery: string,
  options: {
    token?: string;
    body?: unknown;
    /** Sent as is instead of JSON-encoding `body`. */
    rawBody?: string | Buffer;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Reply> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | Buffer | undefined = options.rawBody;
  if (payload === undefined && options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (payload !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: pathAndQuery,
        headers,
        agent,
        timeout: options.timeoutMs ?? 30_000,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
            ms: performance.now() - started,
          });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${pathAndQuery} timed out`)),
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// --------------------------------------------------------------- clusters

export interface SimCluster {
  name: string;
  sim: KubeSim;
  url: string;
  /** The bearer token the backend's config gives for this cluster. */
  token: string;
  /** Puts every object back as the manifests have them (new resourceVersions). */
  reset(): void;
  /** The stored object, or undefined. */
  object(kind: string, namespace: string, name: string): KubeObject | undefined;
  /** Requests other than reads since the log was cleared. */
  writes(): RequestLogEntry[];
  /**
   * Every write the cluster applied since it started (never cleared): what
   * its API stored, including writes whose answer an injected fault delayed,
   * replaced or lost. Resets by the tests themselves are not among them.
   */
  readonly changes: ClusterChange[];
  /** Every request other than a read since the cluster started (never cleared), as logged. */
  readonly allWrites: RequestLogEntry[];
  /** Called synchronously when the cluster applies a write, before it answers. */
  onChange?: (change: ClusterChange) => void;
}

/** A write a simulated cluster applied. */
export interface ClusterChange {
  /** The cluster's name (as the backend knows it). */
  cluster: string;
  /** Epoch ms when the API stored it. */
  time: number;
  verb: string;
  /** Plural, e.g. `virtualservices`. */
  resource: string;
  namespace?: string;
  name?: string;
  /** The request's `fieldManager` query parameter. */
  fieldManager?: string;
}

/**
 * Starts one simulated cluster on a free loopback port with `manifestPaths`
 * (files or folders), accepting only `token`, as a service account that may
 * do anything.
 */
export async function startCluster(options: {
  name: string;
  manifestPaths: string[];
  token?: string;
  /**
   * A kube-sim users file (`--users`) instead of the one all-powerful user;
   * `token` must then be a token of it.
   */
  usersFile?: string;
}): Promise<SimCluster> {
  if (options.usersFile && !options.token) {
    throw new Error('startCluster: a usersFile needs the token to use');
  }
  const token = options.token ?? secret('cluster-token');
  const objects = await loadManifestFiles(options.manifestPaths);
  const sim = await startKubeSim(
    options.usersFile
      ? { port: 0, usersFile: options.usersFile }
      : {
          port: 0,
          users: [
            {
              name: 'backstage-istio-rollouts',
              token,
              rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
            },
          ],
        },
  );
  const api: KubeApi = sim.api;
  const reset = () => {
    api.applyManifests(JSON.parse(JSON.stringify(objects)), { replace: true });
  };
  reset();
  const changes: ClusterChange[] = [];
  const allWrites: RequestLogEntry[] = [];
  // The log entry is kept by reference: its status is set when answered.
  const log = sim.requests;
  const add = log.add.bind(log);
  log.add = entry => {
    if (entry.method !== 'GET') allWrites.push(entry);
    add(entry);
  };
  const cluster: SimCluster = {
    name: options.name,
    sim,
    url: sim.url,
    token,
    changes,
    allWrites,
    reset,
    object(kind, namespace, name) {
      return sim.store
        .all()
        .map(e => e.object)
        .find(
          o =>
            o.kind === kind &&
            o.metadata.namespace === namespace &&
            o.metadata.name === name,
        );
    },
    writes() {
      return sim.requests.list().filter(r => r.method !== 'GET');
    },
  };
  // Every Kubernetes request the simulator serves goes through api.handle
  // (after auth and the faults that act before it); a write that returns
  // was stored, whatever then happens to its answer.
  const handle = api.handle.bind(api);
  api.handle = (req: Parameters<KubeApi['handle']>[0]) => {
    const answer = handle(req);
    if (
      !['get', 'list', 'watch'].includes(req.verb) &&
      req.query.getAll('dryRun').length === 0
    ) {
      const change: ClusterChange = {
        cluster: options.name,
        time: Date.now(),
        verb: req.verb,
        resource: req.subresource
          ? `${req.type.plural}/${req.subresource}`
          : req.type.plural,
        namespace: req.namespace,
        name: req.name,
        fieldManager: req.query.get('fieldManager') ?? undefined,
      };
      changes.push(change);
      cluster.onChange?.(change);
    }
    return answer;
  };
  return cluster;
}

/** The demo clusters' manifests, optionally with fixtures/clusters/<name>.yaml. */
export function demoManifests(
  cluster: 'demo-east' | 'demo-west',
  ...fixtures: string[]
): string[] {
  return [
    path.join(REPO, 'examples/clusters', cluster),
    ...fixtures.map(f => path.join(FIXTURES, 'clusters', `${f}.yaml`)),
  ];
}

/** A loopback URL where nothing listens: an unreachable cluster. */
export async function unreachableUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

// ---------------------------------------------------------------- backend

/** Every backend process started by this worker, stopped on exit whatever happens. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface BackendCluster {
  name: string;
  url: string;
  token: string;
  /** `istioRollouts.clusters[].impersonate`: writes sent as the acting user. */
  impersonate?: boolean;
  /** `istioRollouts.clusters[].prometheus`: where this cluster's Istio telemetry is. */
  prometheus?: Record<string, unknown>;
}

export interface BackendOptions {
  /** The run's folder: config files, the SQLite folder, the log. */
  dir: string;
  clusters: BackendCluster[];
  /** PostgreSQL instead of SQLite: a server URL and a database name prefix unique to the run. */
  postgres?: { connection: string; prefix: string };
  /** Config merged over the generated one. */
  extraConfig?: Record<string, unknown>;
  /** More keys of `istioRollouts` (e.g. `canaryAnalysis`), beside the generated ones. */
  istioRollouts?: Record<string, unknown>;
  /** LOG_LEVEL for the backend (default info). */
  logLevel?: string;
  /** `istioRollouts.clusterTimeoutMs`; default {@link CLUSTER_TIMEOUT_MS}. */
  clusterTimeoutMs?: number;
  /** `istioRollouts.cache`; default {@link NO_CACHE}. */
  cache?: CacheConfig;
}

interface Switch {
  user: string;
  policy: PolicyMode;
}

/**
 * The demo backend as a child process. Its stdout and stderr are kept line
 * by line (it logs JSON, as with NODE_ENV=production), so suites can read its
 * audit events and scan everything it printed.
 */
export class Backend {
  /** Static external access token: a service principal. */
  readonly serviceToken = secret('reliability-service');
  /** Every line the backend printed, across restarts. */
  readonly lines: string[] = [];
  baseUrl = '';
  port = 0;
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private readonly switchFile: string;
  private readonly configFile: string;
  private state: Switch = { user: GUEST, policy: 'owner' };
  private readonly tokens = new Map<string, string>();
  /** Serves the catalog files registered at runtime, by path. */
  private catalogServer?: http.Server;
  private catalogPort = 0;
  private readonly catalogFiles = new Map<string, string>();

  private constructor(readonly options: BackendOptions) {
    this.switchFile = path.join(options.dir, 'app-config.switch.yaml');
    this.configFile = path.join(options.dir, 'app-config.reliability.yaml');
  }

  /** Starts the backend and waits until it is ready and its catalog holds the demo and fixture entities. */
  static async start(options: BackendOptions): Promise<Backend> {
    const backend = new Backend(options);
    await backend.serveCatalogFiles();
    await backend.boot();
    return backend;
  }

  /** The loopback HTTP server the catalog reads runtime locations from (same port across restarts). */
  private async serveCatalogFiles(): Promise<void> {
    const server = http.createServer((req, res) => {
      const text = this.catalogFiles.get(req.url ?? '');
      if (req.method !== 'GET' || text === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(text);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // Never what keeps the test worker alive.
    server.unref();
    this.catalogServer = server;
    this.catalogPort = (server.address() as net.AddressInfo).port;
  }

  /**
   * Registers `entities` in the catalog as a user does: a YAML file served
   * at a `url` location, `POST /api/catalog/locations` with the user's
   * token; then waits until the catalog has processed each entity, with its
   * relations (ownership is decided from them). Answers the location's id.
   *
   * Why `url` and not `file`: the catalog refuses to register any type but
   * `url` through its API (`Registered locations must be of an allowed type
   * ["url"]`) unless a backend module widens its `catalogLocationsExtensionPoint`;
   * `url` needs only `backend.reading.allow` for this loopback server.
   */
  async registerEntities(
    file: string,
    entities: Array<Record<string, any>>,
    token: string,
  ): Promise<{ locationId: string; refs: string[] }> {
    const urlPath = `/${file}.yaml`;
    this.catalogFiles.set(
      urlPath,
      entities.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    const res = await request(this.baseUrl, 'POST', '/api/catalog/locations', {
      token,
      body: {
        type: 'url',
        target: `http://127.0.0.1:${this.catalogPort}${urlPath}`,
      },
    });
    if (res.status !== 201) {
      throw new Error(
        `Registering ${file} answered ${res.status}: ${res.text}`,
      );
    }
    const refs = entities.map(
      e =>
        `${String(e.kind).toLocaleLowerCase('en-US')}/${
          e.metadata.namespace ?? 'default'
        }/${e.metadata.name}`,
    );
    await poll(
      `The catalog did not process ${refs.join(', ')}`,
      async () => {
        for (const ref of refs) {
          const r = await this.get(
            `/api/catalog/entities/by-name/${ref}`,
            this.serviceToken,
          );
          if (r.status !== 200 || !r.body?.relations?.length) return undefined;
        }
        return true;
      },
      60_000,
      200,
    );
    return { locationId: res.body.location.id, refs };
  }

  /**
   * The history of entities removed by {@link unregisterEntities}, read just
   * before their removal (the history endpoint answers only for entities in
   * the catalog).
   */
  readonly removedEntitiesHistory: any[] = [];

  /** Removes a location registered by {@link registerEntities}, and waits until its entities are gone from the catalog. */
  async unregisterEntities(
    registered: { locationId: string; refs: string[] },
    token: string,
  ): Promise<void> {
    for (const ref of registered.refs) {
      const [kind, namespace, name] = ref.split('/');
      if (kind === 'component') {
        this.removedEntitiesHistory.push(
          ...(await historyOf(this, name, this.serviceToken, namespace)),
        );
      }
    }
    const res = await request(
      this.baseUrl,
      'DELETE',
      `/api/catalog/locations/${registered.locationId}`,
      { token },
    );
    if (res.status !== 204) {
      throw new Error(
        `Removing location ${registered.locationId} answered ${res.status}: ${res.text}`,
      );
    }
    await poll(
      `The catalog still held ${registered.refs.join(', ')}`,
      async () => {
        for (const ref of registered.refs) {
          const r = await this.get(
            `/api/catalog/entities/by-name/${ref}`,
            this.serviceToken,
          );
          if (r.status !== 404) return undefined;
        }
        return true;
      },
      60_000,
      200,
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private writeSwitch() {
    // JSON is YAML; written whole, then renamed, so the watcher never reads half a file.
    const tmp = `${this.switchFile}.tmp`;
    fs.writeFileSync(
      tmp,
      JSON.stringify({
        auth: { providers: { guest: { userEntityRef: this.state.user } } },
        istioRolloutsDemo: { policy: this.state.policy },
      }),
    );
    fs.renameSync(tmp, this.switchFile);
  }

  /**
   * Writes the switch file, and again every 3 s until `settled` resolves:
   * Backstage's config watcher re-arms itself on the file after each read,
   * so a file replaced while it does that is sometimes not seen.
   */
  private async switchUntil<T>(settled: () => Promise<T>): Promise<T> {
    this.writeSwitch();
    const again = setInterval(() => this.writeSwitch(), 3000);
    try {
      return await settled();
    } finally {
      clearInterval(again);
    }
  }

  private writeConfig() {
    const { dir, clusters, postgres, extraConfig } = this.options;
    const sqlite = path.join(dir, 'sqlite');
    fs.mkdirSync(sqlite, { recursive: true });
    const base = `http://127.0.0.1:${this.port}`;
    const config = {
      app: { baseUrl: base },
      backend: {
        baseUrl: base,
        listen: { port: this.port, host: '127.0.0.1' },
        cors: { origin: base },
        database: postgres
          ? {
              client: 'pg',
              connection: postgres.connection,
              prefix: postgres.prefix,
            }
          : { client: 'better-sqlite3', connection: { directory: sqlite } },
        // Entities registered at runtime are `url` locations served by this
        // process: the catalog's API accepts no other type of location.
        reading: { allow: [{ host: `127.0.0.1:${this.catalogPort}` }] },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: {
                token: this.serviceToken,
                subject: 'reliability-script',
              },
            },
          ],
        },
      },
      catalog: {
        locations: [
          {
            type: 'file',
            target: path.join(REPO, 'examples/catalog/all.yaml'),
          },
          { type: 'file', target: path.join(FIXTURES, 'catalog.yaml') },
        ],
      },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: clusters.map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.token,
              allowInsecureHttp: true,
            })),
          },
        ],
      },
      istioRollouts: {
        // The plugin's own cluster list: kube-sim is plain http on
        // loopback, which the plugin refuses with a token unless told.
        clusters: clusters.map(c => ({
          name: c.name,
          url: c.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: c.token,
          allowInsecureHttp: true,
          ...(c.impersonate && { impersonate: true }),
          ...(c.prometheus && { prometheus: c.prometheus }),
        })),
        clusterTimeoutMs: this.options.clusterTimeoutMs ?? CLUSTER_TIMEOUT_MS,
        // By default these suites inject faults into the clusters and switch
        // the policy at runtime, and check every read sees them at once: each
        // read goes to the clusters and the policy. Suites that run with the
        // watch cache (the product's default) say so.
        cache: {
          claimsTtlMs: CLAIMS_TTL_MS,
          ...(this.options.cache ?? NO_CACHE),
        },
        // app-config.yaml names the demo's GitOps repository, which `npm
        // start` serves (demo-east's gorilla-sfx-demo is Argo CD's): here no
        // repository is named, so those changes patch the cluster as before.
        gitops: { repositories: [] },
        ...this.options.istioRollouts,
      },
      ...extraConfig,
    };
    fs.writeFileSync(this.configFile, JSON.stringify(config, null, 2));
  }

  /** How long each start (to ready, catalog loaded) and each stop took, in ms. */
  readonly timings: { starts: number[]; stops: number[] } = {
    starts: [],
    stops: [],
  };

  private async boot(): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      this.baseUrl = `http://127.0.0.1:${this.port}`;
      this.writeConfig();
      this.writeSwitch();
      const firstLine = this.lines.length;
      this.spawn();
      try {
        await this.waitUntilReady();
        this.timings.starts.push(Date.now() - started);
        return;
      } catch (e) {
        const printed = this.lines.slice(firstLine).join('\n');
        await this.halt('SIGKILL');
        // Another process took the port between our check and the listen.
        if (attempt < 3 && /EADDRINUSE/.test(printed)) continue;
        throw new Error(
          `${
            (e as Error).message
          }\n--- backend output (last 40 lines):\n${printed
            .split('\n')
            .slice(-40)
            .join('\n')}`,
        );
      }
    }
  }

  private spawn() {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) {
      if (key.startsWith('APP_CONFIG_')) delete env[key];
    }
    // JSON logs, like a deployed backend; config files stay watched.
    env.NODE_ENV = 'production';
    env.LOG_LEVEL = this.options.logLevel ?? 'info';
    const child = spawn(
      process.execPath,
      [
        '--require',
        path.join(REPO, 'node_modules/@backstage/cli/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(REPO, 'app-config.yaml'),
        '--config',
        this.configFile,
        '--config',
        this.switchFile,
      ],
      {
        cwd: path.join(REPO, 'packages/backend'),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    running.add(child);
    const log = fs.createWriteStream(
      path.join(this.options.dir, 'backend.log'),
      {
        flags: 'a',
      },
    );
    const collect = (stream: NodeJS.ReadableStream) => {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        log.write(chunk);
        rest += chunk.toString('utf8');
        const parts = rest.split('\n');
        rest = parts.pop()!;
        this.lines.push(...parts);
      });
      stream.on('end', () => {
        if (rest) this.lines.push(rest);
        rest = '';
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    this.child = child;
    this.exited = new Promise(resolve =>
      child.once('exit', () => {
        running.delete(child);
        log.end();
        resolve();
      }),
    );
  }

  private async waitUntilReady(): Promise<void> {
    const died = this.exited!.then(() => {
      throw new Error('The backend exited while starting');
    });
    const ready = async () => {
      await poll(
        'The backend was not ready',
        async () => {
          const res = await request(
            this.baseUrl,
            'GET',
            '/.backstage/health/v1/readiness',
            { timeoutMs: 2000 },
          );
          return res.status === 200 ? true : undefined;
        },
        120_000,
        250,
      );
      // The catalog ingests its locations in the background; ownership
      // decisions need the entities' relations and the users' groups.
      const needed = [
        'component/default/reviews',
        'component/default/web-service',
        'component/default/gorilla-sfx-demo',
        'component/default/rel-guest-owned',
        'component/default/rel-team-owned',
        'component/default/rel-web-owned',
        'user/default/guest',
        'user/default/sam',
      ];
      await poll(
        'The catalog did not hold the demo and fixture entities with their relations',
        async () => {
          for (const ref of needed) {
            const res = await request(
              this.baseUrl,
              'GET',
              `/api/catalog/entities/by-name/${ref}`,
              { token: this.serviceToken },
            );
            if (res.status !== 200 || !res.body?.relations?.length) {
              return undefined;
            }
          }
          return true;
        },
        120_000,
        300,
      );
    };
    await Promise.race([ready(), died]);
  }

  /** Kills the process at once (SIGKILL), without waiting: a crash at this very moment. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** Stops the process (SIGTERM: a graceful shutdown; SIGKILL: a crash), waits for it to end, and closes the catalog file server. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.halt(signal);
    this.catalogServer?.close();
  }

  private async halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const stopping = Date.now();
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exited!.then(() => true),
      new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(false), 15_000);
      }),
    ]);
    clearTimeout(timer);
    if (!ended) {
      child.kill('SIGKILL');
      await this.exited;
    }
    this.timings.stops.push(Date.now() - stopping);
  }

  /** Stops and starts again on the same database (and a new port). */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.halt(signal);
    this.tokens.clear();
    await this.boot();
  }

  /** Resident memory of the backend process, in kB, from /proc/<pid>/status. */
  rssKb(): number {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = status.match(/^VmRSS:\s+(\d+) kB$/m);
    if (!match) throw new Error('VmRSS not found');
    return Number(match[1]);
  }

  /** Every JSON log line the backend printed. */
  logEntries(): Array<Record<string, any>> {
    return this.lines.flatMap(line => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
  }

  /** The finished `rollout-action` audit events (succeeded or failed). */
  auditEvents(): AuditEvent[] {
    return this.logEntries().filter(
      e =>
        e.isAuditEvent &&
        e.eventId === 'rollout-action' &&
        e.status !== 'initiated',
    ) as AuditEvent[];
  }

  /**
   * A Backstage token of `user`, from the guest provider: the guest's
   * `userEntityRef` is switched in the watched config file, and the guest
   * refreshed until the backend signs in as that user (with their groups).
   */
  async signIn(user: string): Promise<string> {
    const cached = this.tokens.get(user);
    if (cached) return cached;
    this.state = { ...this.state, user };
    const token = await this.switchUntil(() =>
      poll(
        `The guest provider did not sign in as ${user}`,
        async () => {
          const res = await request(
            this.baseUrl,
            'GET',
            '/api/auth/guest/refresh',
            { headers: { 'x-requested-with': 'XMLHttpRequest' } },
          );
          const identity = res.body?.backstageIdentity;
          // A user of the catalog signs in with their groups.
          return identity?.identity?.userEntityRef === user &&
            identity.identity.ownershipEntityRefs.length > 1
            ? (identity.token as string)
            : undefined;
        },
        30_000,
        100,
      ),
    );
    this.tokens.set(user, token);
    return token;
  }

  /**
   * Switches the demo policy (`istioRolloutsDemo.policy`) in the watched
   * config file, and waits until the permission backend decides with it.
   */
  async setPolicy(policy: PolicyMode): Promise<void> {
    const token = await this.signIn(GUEST);
    this.state = { ...this.state, policy };
    // Three decisions tell the modes apart: updating an entity the guest
    // does not own, reading and promoting one it does.
    const expected = {
      allow: 'ALLOW,ALLOW,ALLOW',
      deny: 'DENY,DENY,DENY',
      owner: 'DENY,ALLOW,ALLOW',
      'update-only': 'DENY,ALLOW,DENY',
      'no-read': 'DENY,DENY,ALLOW',
    }[policy];
    const permission = (name: string, action: string) => ({
      type: 'resource',
      name,
      attributes: { action },
      resourceType: 'catalog-entity',
    });
    await this.switchUntil(() =>
      poll(
        `The permission backend did not switch to the ${policy} policy`,
        async () => {
          const res = await request(
            this.baseUrl,
            'POST',
            '/api/permission/authorize',
            {
              token,
              body: {
                items: [
                  {
                    id: 'update-not-owned',
                    permission: permission(
                      'istio-rollouts.traffic.update',
                      'update',
                    ),
                    resourceRef: 'component:default/web-service',
                  },
                  {
                    id: 'read-owned',
                    permission: permission(
                      'istio-rollouts.traffic.read',
                      'read',
                    ),
                    resourceRef: 'component:default/reviews',
                  },
                  {
                    id: 'promote-owned',
                    permission: permission(
                      'istio-rollouts.traffic.promote',
                      'update',
                    ),
                    resourceRef: 'component:default/reviews',
                  },
                ],
              },
            },
          );
          const results = (res.body?.items ?? [])
            .map((i: { result: string }) => i.result)
            .join();
          return results === expected ? true : undefined;
        },
        30_000,
        100,
      ),
    );
  }

  get(pathAndQuery: string, token?: string, timeoutMs?: number) {
    return request(this.baseUrl, 'GET', pathAndQuery, { token, timeoutMs });
  }

  post(pathAndQuery: string, body: unknown, token?: string) {
    return request(this.baseUrl, 'POST', pathAndQuery, { token, body });
  }
}

/** One finished `rollout-action` audit event, as the backend logged it. */
export interface AuditEvent {
  status: 'succeeded' | 'failed';
  actor: { actorId?: string };
  meta: {
    entityRef: string;
    rolloutId?: string;
    action?: string;
    dryRun: boolean;
    outcome?: string;
    summary?: string;
    historyEventId?: string;
  };
  message: string;
  name?: string;
}

// --------------------------------------------------------- the plugin API

export const API = '/api/istio-rollouts/v1';

export function entityPath(name: string, kind = 'component', ns = 'default') {
  return `${API}/entities/${kind}/${ns}/${name}`;
}

export function rolloutsOf(backend: Backend, entity: string, token?: string) {
  return backend.get(`${entityPath(entity)}/rollouts`, token);
}

export function act(
  backend: Backend,
  entity: string,
  body: unknown,
  token?: string,
) {
  return backend.post(`${entityPath(entity)}/rollouts/actions`, body, token);
}

/** Every history event of an entity, newest first, through every page. */
export async function historyOf(
  backend: Backend,
  entity: string,
  token: string,
  namespace = 'default',
): Promise<any[]> {
  const events: any[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await backend.get(
      `${entityPath(
        entity,
        'component',
        namespace,
      )}/rollouts/history?limit=100${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
      token,
    );
    if (res.status !== 200) {
      throw new Error(`history answered ${res.status}: ${res.text}`);
    }
    events.push(...res.body.events);
    cursor = res.body.nextCursor;
    if (!cursor) return events;
  }
}

/** The rollout `id` as the read endpoint lists it, for `entity`. */
export async function loadRollout(
  backend: Backend,
  entity: string,
  id: string,
  token: string,
): Promise<any> {
  const res = await rolloutsOf(backend, entity, token);
  if (res.status !== 200) {
    throw new Error(`rollouts answered ${res.status}: ${res.text}`);
  }
  const rollout = res.body.rollouts.find((r: { id: string }) => r.id === id);
  if (!rollout) throw new Error(`no rollout ${id} in ${res.text}`);
  return rollout;
}

// ----------------------------------------------------------------- results

/**
 * Records what a suite measured: `.data/test-results/reliability/<suite>.json`,
 * merged with the other suites' into `.data/test-results/reliability.json`
 * (under a lock: suites run in parallel workers), which
 * `npm run reliability:report` renders as docs/reliability.md.
 */
export async function recordResults(
  suite: string,
  data: Record<string, unknown>,
): Promise<void> {
  const partsDir = path.join(RESULTS_DIR, 'reliability');
  fs.mkdirSync(partsDir, { recursive: true });
  const part = { suite, recordedAt: new Date().toISOString(), ...data };
  const partFile = path.join(partsDir, `${suite}.json`);
  fs.writeFileSync(`${partFile}.tmp`, JSON.stringify(part, null, 2));
  fs.renameSync(`${partFile}.tmp`, partFile);

  const lock = path.join(RESULTS_DIR, 'reliability.lock');
  await poll(
    'Could not take the results lock',
    async () => {
      try {
        fs.mkdirSync(lock);
        return true;
      } catch (e) {
        // A lock left by a killed run is stale after a minute.
        const age = Date.now() - fs.statSync(lock).mtimeMs;
        if (age > 60_000) fs.rmSync(lock, { recursive: true, force: true });
        throw e;
      }
    },
    30_000,
    50,
  );
  try {
    const suites: Record<string, unknown> = {};
    for (const file of fs.readdirSync(partsDir).sort()) {
      if (!file.endsWith('.json')) continue;
      const parsed = JSON.parse(
        fs.readFileSync(path.join(partsDir, file), 'utf8'),
      );
      suites[parsed.suite] = parsed;
    }
    const merged = {
      updatedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        loadAverage: os.loadavg().map(l => Math.round(l * 10) / 10),
      },
      suites,
    };
    const out = path.join(RESULTS_DIR, 'reliability.json');
    fs.writeFileSync(`${out}.tmp`, JSON.stringify(merged, null, 2));
    fs.renameSync(`${out}.tmp`, out);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Counts of values, e.g. `{ "200": 3, "409": 47 }`. */
export function countBy<T>(
  items: T[],
  key: (item: T) => string | number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = String(key(item));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

// ------------------------------------------------- changes vs history

/** What {@link unrecordedChanges} found. */
export interface HistoryCheck {
  /** VirtualService writes the clusters applied. */
  virtualServiceWrites: number;
  /** DestinationRule writes the clusters applied. */
  destinationRuleWrites: number;
  /** History events read (every entity of the catalog, every status). */
  historyEvents: number;
  /** The history events' statuses, counted. */
  historyStatuses: Record<string, number>;
  /** Writes without a history record that accounts for them, described. */
  unrecorded: string[];
  /** Patches (to any object) applied without `fieldManager=backstage-istio-rollouts`, described. */
  withoutFieldManager: string[];
}

/** The field manager the plugin names on every PATCH. */
export const FIELD_MANAGER = 'backstage-istio-rollouts';

/**
 * Every history event of every Component in the catalog, read with the
 * service principal's token, and those of the entities removed meanwhile.
 */
export async function allHistory(backend: Backend): Promise<any[]> {
  const res = await backend.get(
    '/api/catalog/entities?filter=kind=component&fields=metadata.name,metadata.namespace',
    backend.serviceToken,
  );
  if (res.status !== 200) {
    throw new Error(`the catalog answered ${res.status}: ${res.text}`);
  }
  const events: any[] = [...backend.removedEntitiesHistory];
  for (const entity of res.body as Array<{ metadata: any }>) {
    events.push(
      ...(await historyOf(
        backend,
        entity.metadata.name,
        backend.serviceToken,
        entity.metadata.namespace ?? 'default',
      )),
    );
  }
  return events;
}

/**
 * Compares every write the clusters applied to VirtualServices and
 * DestinationRules (kept by {@link startCluster}, whatever became of the
 * answer) with the backend's history, so that no change reaches a cluster
 * without a record:
 * - each VirtualService write needs its own history event for that rollout,
 *   recorded before or at the write, and not `refused`;
 * - each DestinationRule write (startCanary adds a subset, and removes it
 *   again when the rest of the action failed) needs a `startCanary` event in
 *   the same cluster and namespace, recorded before or at it; one event
 *   accounts for at most two such writes;
 * - any other write to them (create, update, delete) is unrecorded.
 * It also lists the patches that do not name the plugin's field manager.
 * Run it before the backend stops: it reads the history through the backend.
 */
export async function unrecordedChanges(
  backend: Backend,
  clusters: SimCluster[],
): Promise<HistoryCheck> {
  const byId = new Map((await allHistory(backend)).map(e => [e.id, e]));
  const events = [...byId.values()]
    .map(e => ({ ...e, at: Date.parse(e.createdAt) }))
    .sort((a, b) => a.at - b.at);
  const writes = clusters
    .flatMap(c => c.changes)
    .filter(
      c =>
        c.resource === 'virtualservices' || c.resource === 'destinationrules',
    )
    .sort((a, b) => a.time - b.time);
  const used = new Map<string, number>();
  const unrecorded: string[] = [];
  const describe = (w: ClusterChange) =>
    `${w.verb} ${w.resource} ${w.cluster}/${w.namespace}/${
      w.name
    } at ${new Date(w.time).toISOString()}`;
  for (const w of writes) {
    if (w.verb !== 'patch') {
      unrecorded.push(`${describe(w)}: not a patch`);
      continue;
    }
    const vs = w.resource === 'virtualservices';
    // Patches in time order; any event recorded before one is eligible for
    // every later one too, so taking the earliest unused keeps the most.
    const match = events.find(
      e =>
        e.at <= w.time &&
        e.status !== 'refused' &&
        (used.get(vs ? e.id : `${e.id}/dr`) ?? 0) < (vs ? 1 : 2) &&
        (vs
          ? e.rolloutId === `${w.cluster}/${w.namespace}/${w.name}`
          : e.action === 'startCanary' &&
            e.cluster === w.cluster &&
            e.namespace === w.namespace),
    );
    if (!match) {
      unrecorded.push(describe(w));
      continue;
    }
    // A VirtualService event's DR budget is separate from its own patch.
    const key = vs ? match.id : `${match.id}/dr`;
    used.set(key, (used.get(key) ?? 0) + 1);
  }
  return {
    virtualServiceWrites: writes.filter(w => w.resource === 'virtualservices')
      .length,
    destinationRuleWrites: writes.filter(w => w.resource === 'destinationrules')
      .length,
    historyEvents: events.length,
    historyStatuses: countBy(events, e => e.status ?? 'none'),
    unrecorded,
    withoutFieldManager: clusters
      .flatMap(c => c.changes)
      .filter(c => c.verb === 'patch' && c.fieldManager !== FIELD_MANAGER)
      .map(describe),
  };
}
