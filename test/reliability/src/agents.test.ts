/*
 * Agents: an MCP client (the MCP TypeScript SDK's, over Streamable HTTP) against the real backend with
 * Backstage's MCP actions backend, signed in as the guest. It lists the plugin's tools, reads the reviews canary,
 * previews and then applies 25 % — which lands in the cluster and in the history with the tool as its channel —
 * and is refused on web-service (another team's) and without a user (a service's static token).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  Backend,
  closeConnections,
  demoManifests,
  GUEST,
  historyOf,
  runDir,
  SimCluster,
  startCluster,
} from './__testUtils__/harness';

jest.setTimeout(180_000);

const TOOL = (name: string) => `istio-rollouts.${name}`;

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, any>;
};

/** What a tool answered: its structured output, or the text of its error. */
function outputOf(result: ToolResult): Record<string, any> {
  if (result.isError) {
    throw new Error(result.content.map(c => c.text).join(' '));
  }
  if (result.structuredContent) return result.structuredContent;
  return JSON.parse(result.content.map(c => c.text ?? '').join(''));
}

function errorOf(result: ToolResult): string {
  expect(result.isError).toBe(true);
  return result.content.map(c => c.text).join(' ');
}

describe('agents, through MCP', () => {
  const run = runDir('agents');
  let east: SimCluster;
  let backend: Backend;
  let client: Client;

  async function connect(token: string): Promise<Client> {
    const c = new Client({ name: 'reliability-agent', version: '1.0.0' });
    await c.connect(
      new StreamableHTTPClientTransport(
        new URL(`${backend.baseUrl}/api/mcp-actions/v1`),
        { requestInit: { headers: { authorization: `Bearer ${token}` } } },
      ),
    );
    return c;
  }

  const call = (c: Client, name: string, args: Record<string, unknown>) =>
    c.callTool({ name: TOOL(name), arguments: args }) as Promise<ToolResult>;

  beforeAll(async () => {
    east = await startCluster({
      name: 'east',
      manifestPaths: demoManifests('demo-east'),
    });
    backend = await Backend.start({ dir: run.dir, clusters: [east] });
    client = await connect(await backend.signIn(GUEST));
  });

  afterAll(async () => {
    await client?.close();
    await backend?.stop();
    await east?.sim.close();
    run.cleanup();
    closeConnections();
  });

  it('lists the plugin’s tools with their attributes', async () => {
    const { tools } = await client.listTools();
    const ours = tools.filter(t => t.name.startsWith('istio-rollouts.'));
    expect(ours.map(t => t.name).sort()).toEqual(
      [
        'abort-plan',
        'advance-plan',
        'get-canary-health',
        'list-rollouts',
        'promote',
        'rollback',
        'set-weights',
        'start-canary',
        'start-plan',
        'switch',
      ].map(TOOL),
    );
    const list = ours.find(t => t.name === TOOL('list-rollouts'))!;
    expect(list.annotations).toMatchObject({ readOnlyHint: true });
    const setWeights = ours.find(t => t.name === TOOL('set-weights'))!;
    expect(setWeights.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(Object.keys(setWeights.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['entityRef', 'rolloutId', 'weights', 'apply']),
    );
  });

  it('reads the reviews canary as the tab says it', async () => {
    const out = outputOf(
      await call(client, 'list-rollouts', {
        entityRef: 'component:default/reviews',
      }),
    );
    const reviews = out.rollouts.find(
      (r: any) => r.rolloutId === 'east/bookinfo/reviews',
    );
    expect(reviews.routes[0]).toMatchObject({
      state: 'canary 50%',
      split: [
        { subset: 'v1', weight: 50 },
        { subset: 'v2', weight: 50 },
      ],
    });
    expect(reviews.routes[0].next).toContain('Promote v2');
  });

  it('previews, then applies 25 % as the guest, recorded with the tool as its channel', async () => {
    const args = {
      entityRef: 'component:default/reviews',
      rolloutId: 'east/bookinfo/reviews',
      routeIndex: 0,
      weights: { v1: 75, v2: 25 },
      reason: 'asked an assistant',
    };
    const before = east.writes().length;
    const preview = outputOf(await call(client, 'set-weights', args));
    expect(preview).toMatchObject({
      dryRun: true,
      changed: true,
      summary: 'http[0] reviews-route: v1 50→75, v2 50→25',
    });
    expect(east.writes()).toHaveLength(before);

    const applied = outputOf(
      await call(client, 'set-weights', { ...args, apply: true }),
    );
    expect(applied).toMatchObject({ dryRun: false, changed: true });
    const vs = east.object('VirtualService', 'bookinfo', 'reviews') as any;
    expect(vs.spec.http[0].route.map((d: any) => d.weight)).toEqual([75, 25]);
    const [event] = await historyOf(
      backend,
      'reviews',
      await backend.signIn(GUEST),
    );
    expect(event).toMatchObject({
      id: applied.historyEventId,
      actor: GUEST,
      channel: 'istio-rollouts:set-weights',
      reason: 'asked an assistant',
      status: 'applied',
    });
  });

  it('is refused on another team’s entity, and without a user, changing nothing', async () => {
    const before = east.writes().length;
    const theirs = errorOf(
      await call(client, 'set-weights', {
        entityRef: 'component:default/web-service',
        rolloutId: 'east/default/web-service',
        routeIndex: 0,
        weights: { '1.0.0': 50, '2.0.0': 50 },
        apply: true,
      }),
    );
    expect(theirs).toMatch(/not allowed istio-rollouts\.traffic\.update/);

    const service = await connect(backend.serviceToken);
    try {
      // A service may read …
      const read = outputOf(
        await call(service, 'list-rollouts', { entityRef: 'reviews' }),
      );
      expect(read.rollouts.length).toBeGreaterThan(0);
      // … but changes are made for a user.
      const refused = errorOf(
        await call(service, 'rollback', {
          entityRef: 'reviews',
          rolloutId: 'east/bookinfo/reviews',
          routeIndex: 0,
          apply: true,
        }),
      );
      expect(refused).toMatch(
        /done for a signed-in user; this call carries no user/,
      );
    } finally {
      await service.close();
    }
    expect(east.writes()).toHaveLength(before);
  });
});
