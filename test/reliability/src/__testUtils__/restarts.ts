/*
 * Suite 7, restarts, for one database: changes are made through the real
 * backend, the backend is stopped — gracefully (SIGTERM), then killed
 * (SIGKILL) right after a change was answered — and started again on the
 * same database; every history row written before is there afterwards,
 * unchanged, and new rows continue after them.
 */
import knexFactory from 'knex';
import crypto from 'node:crypto';
import {
  act,
  Backend,
  closeConnections,
  demoManifests,
  GUEST,
  historyOf,
  loadRollout,
  recordResults,
  runDir,
  SimCluster,
  startCluster,
  unrecordedChanges,
} from './harness';

const ENTITIES = ['reviews', 'foobar', 'gorilla-sfx-demo'];

/** The PostgreSQL server Backstage's test helpers are given, if any (highest version first). */
export function postgresConnection(): string | undefined {
  const key = Object.keys(process.env)
    .filter(k =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
    )
    .sort()
    .reverse()[0];
  return key ? process.env[key] : undefined;
}

/** The scenario of suite 7 on one database, driven by restarts.<database>.test.ts. */
export class RestartScenario {
  private run?: ReturnType<typeof runDir>;
  /** A fresh set of databases per run: Backstage creates one per plugin, named with this prefix. */
  private readonly prefix = `reliability_${crypto
    .randomBytes(4)
    .toString('hex')}_`;
  private east?: SimCluster;
  private backend?: Backend;
  private readonly written: string[] = [];
  private readonly results: Record<string, unknown>;
  private step = 0;
  private readonly problems: string[] = [];

  constructor(
    private readonly database: 'sqlite' | 'postgres',
    private readonly connection?: string,
  ) {
    this.results = { database };
  }

  async start(): Promise<void> {
    this.run = runDir(`restarts-${this.database}`);
    this.east = await startCluster({
      name: 'demo-east',
      manifestPaths: demoManifests('demo-east'),
    });
    this.backend = await Backend.start({
      dir: this.run!.dir,
      clusters: [this.east],
      ...(this.connection && {
        postgres: { connection: this.connection, prefix: this.prefix },
      }),
    });
  }

  /**
   * Compares what the cluster applied with the history, across the restarts:
   * answers the writes without a record, and the patches without the
   * plugin's field manager (the test asserts none).
   */
  async unrecordedChanges(): Promise<string[]> {
    const check = await unrecordedChanges(this.backend!, [this.east!]);
    this.results.historyCheck = check;
    return [
      ...check.unrecorded,
      ...check.withoutFieldManager.map(w => `no fieldManager: ${w}`),
    ];
  }

  async finish(): Promise<void> {
    const { backend, connection, prefix } = this;
    await backend?.stop();
    if (backend && this.written.length) {
      await recordResults(`restarts-${this.database}`, {
        ...this.results,
        startMs: backend.timings.starts,
        stopMs: backend.timings.stops,
      });
    }
    await this.east?.sim.close();
    closeConnections();
    this.run?.cleanup();
    if (connection) {
      const pg = knexFactory({ client: 'pg', connection });
      try {
        const { rows } = await pg.raw(
          'SELECT datname FROM pg_database WHERE datname LIKE ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows) {
          await pg.raw('DROP DATABASE IF EXISTS ??', [datname]);
        }
      } finally {
        await pg.destroy();
      }
    }
  }

  /** One change per call on the demo entities in turn, so rows of several entities and actions are at stake. */
  private async makeChanges(count: number): Promise<void> {
    const backend = this.backend!;
    const token = await backend.signIn(GUEST);
    for (let i = 0; i < count; i++) {
      const step = ++this.step;
      const entity = ENTITIES[step % ENTITIES.length];
      let res;
      if (entity === 'reviews') {
        const rollout = await loadRollout(
          backend,
          'reviews',
          'demo-east/bookinfo/reviews',
          token,
        );
        const v1 = (step * 7) % 101;
        res = await act(
          backend,
          'reviews',
          {
            rolloutId: rollout.id,
            route: { kind: 'http', index: 0 },
            action: 'setWeights',
            weights: { v1, v2: 100 - v1 },
            resourceVersion: rollout.resourceVersion,
            reason: `step ${step}`,
          },
          token,
        );
      } else if (entity === 'foobar') {
        const rollout = await loadRollout(
          backend,
          'foobar',
          'demo-east/foobar/foobar',
          token,
        );
        const subset = rollout.routes[0].destinations.find(
          (d: { weight: number }) => d.weight < 100,
        ).subset;
        res = await act(
          backend,
          'foobar',
          {
            rolloutId: rollout.id,
            route: { kind: 'http', index: 0 },
            action: 'promote',
            subset,
            resourceVersion: rollout.resourceVersion,
            reason: `step ${step}`,
          },
          token,
        );
      } else {
        const rollout = await loadRollout(
          backend,
          'gorilla-sfx-demo',
          'demo-east/default/gorilla-sfx-demo',
          token,
        );
        res = await act(
          backend,
          'gorilla-sfx-demo',
          {
            rolloutId: rollout.id,
            action: 'switch',
            resourceVersion: rollout.resourceVersion,
            reason: `step ${step}`,
          },
          token,
        );
      }
      if (res.status !== 200) {
        this.problems.push(
          `change ${step} on ${entity}: ${res.status} ${res.text}`,
        );
      } else {
        this.written.push(res.body.event.id);
      }
    }
  }

  private async allHistory(): Promise<Record<string, any[]>> {
    const backend = this.backend!;
    const token = await backend.signIn(GUEST);
    const all: Record<string, any[]> = {};
    for (const entity of ENTITIES) {
      all[entity] = await historyOf(backend, entity, token);
    }
    return all;
  }

  /**
   * Changes, a graceful restart, more changes, a crash right after the last
   * answer, more changes; answers what went wrong (nothing, when history
   * survives): the test asserts it is empty.
   */
  async check(): Promise<string[]> {
    const backend = this.backend!;
    const { problems } = this;
    const count = (h: Record<string, any[]>) => Object.values(h).flat().length;
    const same = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        problems.push(
          `${what}: ${JSON.stringify(b)} instead of ${JSON.stringify(a)}`,
        );
      }
    };

    await this.makeChanges(6);
    const beforeStop = await this.allHistory();
    same('rows before the graceful restart', 6, count(beforeStop));
    await backend.restart('SIGTERM');
    const afterStop = await this.allHistory();
    same('history after the graceful restart', beforeStop, afterStop);

    await this.makeChanges(6);
    const beforeCrash = await this.allHistory();
    same('rows before the crash', 12, count(beforeCrash));
    // Killed at once, right after the last change was answered.
    await backend.restart('SIGKILL');
    const afterCrash = await this.allHistory();
    same('history after the crash', beforeCrash, afterCrash);

    // And the ids go on after the restarts, each row once.
    await this.makeChanges(3);
    const ids = Object.values(await this.allHistory())
      .flat()
      .map(e => Number(e.id))
      .sort((a, b) => a - b);
    same(
      'ids after the restarts',
      this.written.map(Number).sort((a, b) => a - b),
      ids,
    );
    same('distinct ids', 15, new Set(ids).size);

    Object.assign(this.results, {
      database:
        this.database === 'postgres'
          ? `PostgreSQL (fresh databases ${this.prefix}*)`
          : 'SQLite files (a fresh folder)',
      entities: ENTITIES,
      restarts: ['SIGTERM', 'SIGKILL'],
      rowsBeforeGracefulRestart: count(beforeStop),
      rowsAfterGracefulRestart: count(afterStop),
      rowsBeforeCrash: count(beforeCrash),
      rowsAfterCrash: count(afterCrash),
      rowsLost: count(beforeCrash) - count(afterCrash),
      problems: problems.length,
    });
    return problems;
  }
}
