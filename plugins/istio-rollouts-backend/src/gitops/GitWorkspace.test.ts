/*
 * The working copy against real git repositories on loopback: a bare repository served over smart HTTP by
 * `git http-backend`, with and without credentials. What is asserted is what the remote holds afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authHeader } from './git';
import { GitWorkspace } from './GitWorkspace';
import {
  GitHttpServer,
  inBare,
  makeBareRepository,
  startGitHttpServer,
} from './__testUtils__/gitRemote';

jest.setTimeout(60_000);

const MANIFEST = `# Traffic for reviews: edited by hand and by Backstage.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: { host: reviews, subset: v1 }
          weight: 90   # stable
        - destination: { host: reviews, subset: v2 }
          weight: 10
`;

const USER = { name: 'Guest', email: 'guest@example.com' };
const BOT = { name: 'Backstage Istio Rollouts', email: 'rollouts@example.com' };

describe('GitWorkspace', () => {
  let root: string;
  let bare: string;
  let server: GitHttpServer;
  let workspaces: GitWorkspace[] = [];

  const clone = async (
    revision = 'main',
    options: Partial<Parameters<typeof GitWorkspace.clone>[0]> = {},
  ) => {
    const ws = await GitWorkspace.clone({
      url: `${server.url}/apps.git`,
      revision,
      ...options,
    });
    workspaces.push(ws);
    return ws;
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'git-workspace-test-'));
    bare = makeBareRepository(root, 'apps', {
      'apps/reviews/virtualservice.yaml': MANIFEST,
      'apps/reviews/kustomization.yaml':
        'resources:\n  - virtualservice.yaml\n',
    });
    server = await startGitHttpServer({ root });
  });

  afterEach(async () => {
    await Promise.all(workspaces.map(w => w.dispose()));
    workspaces = [];
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('clones one revision shallowly, edits a file, and pushes the commit as a new branch, leaving main alone', async () => {
    const ws = await clone();
    expect(ws.baseCommit).toBe(inBare(bare, ['rev-parse', 'main']).trim());
    expect(await ws.listDirectory('apps/reviews')).toEqual([
      { name: 'kustomization.yaml', type: 'file' },
      { name: 'virtualservice.yaml', type: 'file' },
    ]);
    expect(await ws.listDirectory('')).toEqual([
      { name: 'apps', type: 'directory' },
    ]);
    const before = await ws.readFile('apps/reviews/virtualservice.yaml');
    expect(before).toBe(MANIFEST);
    const after = before!
      .replace('weight: 90   # stable', 'weight: 75   # stable')
      .replace('weight: 10', 'weight: 25');
    await ws.writeFile('apps/reviews/virtualservice.yaml', after);
    const commit = await ws.commit({
      message: 'reviews: v1 90→75, v2 10→25\n\nReason: "more traffic"',
      author: USER,
      committer: BOT,
    });
    await ws.pushNewBranch('istio-rollouts/reviews-25');

    expect(
      inBare(bare, [
        'rev-parse',
        'refs/heads/istio-rollouts/reviews-25',
      ]).trim(),
    ).toBe(commit);
    expect(
      inBare(bare, [
        'show',
        'istio-rollouts/reviews-25:apps/reviews/virtualservice.yaml',
      ]),
    ).toBe(after);
    expect(
      inBare(bare, ['log', '-1', '--format=%an <%ae>|%cn|%s', commit]).trim(),
    ).toBe(
      'Guest <guest@example.com>|Backstage Istio Rollouts|reviews: v1 90→75, v2 10→25',
    );
    // The commit's parent is the revision cloned; main has not moved.
    expect(inBare(bare, ['rev-parse', `${commit}^`]).trim()).toBe(
      ws.baseCommit,
    );
    expect(inBare(bare, ['rev-parse', 'main']).trim()).toBe(ws.baseCommit);
  });

  it('refuses to move a branch that exists, and names a revision the remote does not have', async () => {
    const ws = await clone();
    await ws.writeFile('apps/reviews/kustomization.yaml', 'resources: []\n');
    await ws.commit({ message: 'x', author: USER, committer: BOT });
    await expect(ws.pushNewBranch('main')).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'The repository already has a branch "main"',
    });
    await expect(clone('release-9')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'The repository has no revision "release-9"',
    });
    await expect(clone('--upload-pack=touch')).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it('clones a commit by its id, as Argo CD pins a targetRevision', async () => {
    const main = inBare(bare, ['rev-parse', 'main']).trim();
    const ws = await clone(main);
    expect(ws.baseCommit).toBe(main);
  });

  it('reads and writes only inside the working copy', async () => {
    const ws = await clone();
    await expect(ws.readFile('../../etc/passwd')).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(ws.readFile('/etc/passwd')).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(ws.readFile('.git/config')).rejects.toMatchObject({
      name: 'InputError',
    });
    fs.symlinkSync('/etc', path.join(ws.dir, 'outside'));
    await expect(ws.readFile('outside/hostname')).rejects.toMatchObject({
      name: 'InputError',
      message: '"outside/hostname" leads out of the repository',
    });
    expect(await ws.readFile('apps/nothing.yaml')).toBeUndefined();
    // A change edits manifests; it never creates files.
    await expect(ws.writeFile('apps/new.yaml', 'x')).rejects.toThrow();
  });

  it('sends credentials as a header, only to the remote, and keeps them out of its errors', async () => {
    const auth = { username: 'x-access-token', password: 's3cr3t-token' };
    const guarded = await startGitHttpServer({
      root,
      authorization: authHeader(auth).replace(/^Authorization: /, ''),
    });
    try {
      const url = `${guarded.url}/apps.git`;
      const refused = await GitWorkspace.clone({ url, revision: 'main' }).catch(
        e => e,
      );
      expect(refused.name).toBe('GitCommandError');
      expect(refused.message).not.toContain('s3cr3t');
      const ws = await GitWorkspace.clone({ url, revision: 'main', auth });
      workspaces.push(ws);
      expect(ws.baseCommit).toMatch(/^[0-9a-f]{40}$/);
      expect(
        guarded.requests.filter(r => r.authorization).length,
      ).toBeGreaterThan(0);
      // Not written into the working copy's configuration either.
      expect(
        fs.readFileSync(path.join(ws.dir, '.git/config'), 'utf8'),
      ).not.toContain('s3cr3t');
    } finally {
      await guarded.close();
    }
  });
});
