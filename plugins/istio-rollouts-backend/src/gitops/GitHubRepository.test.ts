/*
 * A change proposed to GitHub through its REST API shape, served by msw as a small repository in memory: what is
 * read, what is committed on which parent, the branch, the pull request, and GitHub's refusals (a refused token, a
 * branch that exists).
 */
import { Octokit } from '@octokit/rest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GitHubRepository } from './GitHubRepository';

const API = 'https://api.github.com';
const REPO = `${API}/repos/acme/deploy`;
const BASE = 'a'.repeat(40);
const MANIFEST = 'kind: VirtualService\nweight: 90\n';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** GitHub as far as a proposal goes: one branch `main` at BASE holding one manifest; records what is written. */
function gitHub(options: { existingBranches?: string[]; token?: string } = {}) {
  const written: Record<string, any> = {};
  const authorized = (request: Request) =>
    request.headers.get('authorization') ===
    `token ${options.token ?? 'ghs_valid'}`;
  const refused = () =>
    HttpResponse.json({ message: 'Bad credentials' }, { status: 401 });
  server.use(
    http.get(REPO, ({ request }) =>
      authorized(request)
        ? HttpResponse.json({ default_branch: 'main' })
        : refused(),
    ),
    http.get(`${REPO}/git/ref/*`, ({ request, params }) => {
      if (!authorized(request)) return refused();
      return params[0] === 'heads/main'
        ? HttpResponse.json({ ref: 'refs/heads/main', object: { sha: BASE } })
        : HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    }),
    http.get(`${REPO}/contents/*`, ({ params, request }) => {
      const url = new URL(request.url);
      expect(url.searchParams.get('ref')).toBe(BASE);
      const path = decodeURIComponent(String(params[0]));
      if (path === 'apps/reviews/virtualservice.yaml') {
        return HttpResponse.json({
          type: 'file',
          encoding: 'base64',
          content: Buffer.from(MANIFEST).toString('base64'),
        });
      }
      if (path === 'apps/reviews') {
        return HttpResponse.json([
          { type: 'file', name: 'virtualservice.yaml' },
          { type: 'file', name: 'kustomization.yaml' },
          { type: 'dir', name: 'patches' },
        ]);
      }
      return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    }),
    http.get(`${REPO}/git/commits/${BASE}`, () =>
      HttpResponse.json({ sha: BASE, tree: { sha: 'tree0' } }),
    ),
    http.post(`${REPO}/git/trees`, async ({ request }) => {
      written.tree = await request.json();
      return HttpResponse.json({ sha: 'tree1' }, { status: 201 });
    }),
    http.post(`${REPO}/git/commits`, async ({ request }) => {
      written.commit = await request.json();
      return HttpResponse.json({ sha: 'c'.repeat(40) }, { status: 201 });
    }),
    http.post(`${REPO}/git/refs`, async ({ request }) => {
      const body = (await request.json()) as { ref: string };
      if (
        (options.existingBranches ?? []).some(
          b => body.ref === `refs/heads/${b}`,
        )
      ) {
        return HttpResponse.json(
          { message: 'Reference already exists' },
          { status: 422 },
        );
      }
      written.ref = body;
      return HttpResponse.json(body, { status: 201 });
    }),
    http.post(`${REPO}/pulls`, async ({ request }) => {
      written.pull = await request.json();
      return HttpResponse.json(
        { number: 12, html_url: 'https://github.com/acme/deploy/pull/12' },
        { status: 201 },
      );
    }),
  );
  return written;
}

const octokit = (token = 'ghs_valid') =>
  new Octokit({ auth: token, baseUrl: API });
const NAME = { owner: 'acme', repo: 'deploy' };
const CHANGE = {
  files: [
    {
      path: 'apps/reviews/virtualservice.yaml',
      before: MANIFEST,
      after: 'kind: VirtualService\nweight: 75\n',
    },
  ],
  message: 'VirtualService bookinfo/reviews: v1 90→75',
  branch: 'istio-rollouts/reviews-1',
  title: 'VirtualService bookinfo/reviews: v1 90→75',
  body: 'diff',
  author: { name: 'Guest', email: 'guest@example.com' },
};

describe('GitHubRepository', () => {
  it('reads the synced branch at one commit, then commits the change on it as a new branch and opens a pull request', async () => {
    const written = gitHub();
    const repo = await GitHubRepository.open(octokit(), NAME, 'HEAD');
    expect(repo.baseBranch).toBe('main');
    expect(repo.baseCommit).toBe(BASE);
    expect(await repo.readFile('apps/reviews/virtualservice.yaml')).toBe(
      MANIFEST,
    );
    expect(await repo.readFile('apps/other.yaml')).toBeUndefined();
    expect(await repo.listDirectory('apps/reviews')).toEqual([
      { name: 'kustomization.yaml', type: 'file' },
      { name: 'patches', type: 'directory' },
      { name: 'virtualservice.yaml', type: 'file' },
    ]);
    expect(await repo.listDirectory('apps/nothing')).toBeUndefined();

    await expect(repo.proposePullRequest(CHANGE)).resolves.toEqual({
      number: 12,
      url: 'https://github.com/acme/deploy/pull/12',
      branch: 'istio-rollouts/reviews-1',
      commit: 'c'.repeat(40),
    });
    expect(written.tree).toEqual({
      base_tree: 'tree0',
      tree: [
        {
          path: 'apps/reviews/virtualservice.yaml',
          mode: '100644',
          type: 'blob',
          content: 'kind: VirtualService\nweight: 75\n',
        },
      ],
    });
    expect(written.commit).toEqual({
      message: CHANGE.message,
      tree: 'tree1',
      parents: [BASE],
      author: CHANGE.author,
    });
    expect(written.ref).toEqual({
      ref: 'refs/heads/istio-rollouts/reviews-1',
      sha: 'c'.repeat(40),
    });
    expect(written.pull).toMatchObject({
      base: 'main',
      head: 'istio-rollouts/reviews-1',
      title: CHANGE.title,
      body: 'diff',
    });
  });

  it('refuses to move a branch that exists, and opens no pull request', async () => {
    const written = gitHub({ existingBranches: ['istio-rollouts/reviews-1'] });
    const repo = await GitHubRepository.open(octokit(), NAME, 'main');
    await expect(repo.proposePullRequest(CHANGE)).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'acme/deploy already has a branch "istio-rollouts/reviews-1"',
    });
    expect(written.pull).toBeUndefined();
  });

  it('answers a refused token with 403, and a revision that is no branch with 409', async () => {
    gitHub({ token: 'ghs_valid' });
    await expect(
      GitHubRepository.open(octokit('ghs_revoked'), NAME, 'main'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'GitHub refused the configured credentials for acme/deploy: Bad credentials',
    });
    await expect(
      GitHubRepository.open(octokit(), NAME, 'v1.2.0'),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'acme/deploy has no branch "v1.2.0": a pull request needs the branch the GitOps tool syncs, not a tag or a commit',
    });
  });
});
