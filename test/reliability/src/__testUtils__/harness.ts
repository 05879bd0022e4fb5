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

export type PolicyMode = 'owner' | 'allow' | 'deny';

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

/** Keep-alive, so fifty concurrent writers don't open fifty connections each. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

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
}): Promise<SimCluster> {
  const token = options.token ?? secret('cluster-token');
  const objects = await loadManifestFiles(options.manifestPaths);
  const sim = await startKubeSim({
    port: 0,
    users: [
      {
        name: 'backstage-istio-rollouts',
        token,
        rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      },
    ],
  });
  const api: KubeApi = sim.api;
  const reset = () => {
    api.applyManifests(JSON.parse(JSON.stringify(objects)), { replace: true });
  };
  reset();
  return {
    name: options.name,
    sim,
    url: sim.url,
    token,
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
}

export interface BackendOptions {
  /** The run's folder: config files, the SQLite folder, the log. */
  dir: string;
  clusters: BackendCluster[];
  /** PostgreSQL instead of SQLite: a server URL and a database name prefix unique to the run. */
  postgres?: { connection: string; prefix: string };
  /** Config merged over the generated one. */
  extraConfig?: Record<string, unknown>;
  /** LOG_LEVEL for the backend (default info). */
  logLevel?: string;
  /** `istioRollouts.clusterTimeoutMs`; default {@link CLUSTER_TIMEOUT_MS}. */
  clusterTimeoutMs?: number;
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

  private constructor(readonly options: BackendOptions) {
    this.switchFile = path.join(options.dir, 'app-config.switch.yaml');
    this.configFile = path.join(options.dir, 'app-config.reliability.yaml');
  }

  /** Starts the backend and waits until it is ready and its catalog holds the demo and fixture entities. */
  static async start(options: BackendOptions): Promise<Backend> {
    const backend = new Backend(options);
    await backend.boot();
    return backend;
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
            })),
          },
        ],
      },
      istioRollouts: {
        clusterTimeoutMs: this.options.clusterTimeoutMs ?? CLUSTER_TIMEOUT_MS,
        // These suites inject faults into the clusters and switch the policy
        // at runtime, and check every read sees them at once: each read goes
        // to the clusters and the policy. The caches have their own tests.
        cache: { watch: false, allowedActionsTtlMs: 0 },
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
        await this.stop('SIGKILL');
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

  /** Stops the process (SIGTERM: a graceful shutdown; SIGKILL: a crash) and waits for it to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
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
    await this.stop(signal);
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
    // Two decisions tell the three modes apart: updating an entity the
    // guest does not own, reading one it does.
    const expected = {
      allow: 'ALLOW,ALLOW',
      deny: 'DENY,DENY',
      owner: 'DENY,ALLOW',
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
): Promise<any[]> {
  const events: any[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await backend.get(
      `${entityPath(entity)}/rollouts/history?limit=100${
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
