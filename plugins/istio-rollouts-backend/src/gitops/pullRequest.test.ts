/*
 * Pull requests against GitHub's REST API shape, served by msw: what is sent (owner, repo, base, head, title,
 * body), and how GitHub's refusals are answered.
 */
import { Octokit } from '@octokit/rest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { gitHubRepositoryOf, openPullRequest } from './pullRequest';

const API = 'https://api.github.com';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const REQUEST = {
  owner: 'acme',
  repo: 'deploy',
  base: 'main',
  head: 'istio-rollouts/reviews-25-1712',
  title: 'VirtualService bookinfo/reviews: v1 90→75, v2 10→25',
  body: 'the body, with the diff',
};

const octokit = (token = 'ghs_valid') =>
  new Octokit({ auth: token, baseUrl: API });

describe('gitHubRepositoryOf', () => {
  it.each([
    [
      'https://github.com/acme/deploy.git',
      'github.com',
      { owner: 'acme', repo: 'deploy' },
    ],
    [
      'https://github.com/acme/deploy/',
      'github.com',
      { owner: 'acme', repo: 'deploy' },
    ],
    [
      'git@github.com:acme/deploy.git',
      'github.com',
      { owner: 'acme', repo: 'deploy' },
    ],
    [
      'https://ghe.acme.dev/platform/apps',
      'ghe.acme.dev',
      { owner: 'platform', repo: 'apps' },
    ],
    ['https://gitlab.com/acme/deploy', 'github.com', undefined],
    ['https://github.com/acme', 'github.com', undefined],
    ['https://github.com/acme/deploy/tree/main', 'github.com', undefined],
  ])('%s on %s', (url, host, expected) => {
    expect(gitHubRepositoryOf(url, host)).toEqual(expected);
  });
});

describe('openPullRequest', () => {
  it('opens a pull request from the pushed branch into the synced one, with the token', async () => {
    let sent: { auth: string | null; body: unknown } | undefined;
    server.use(
      http.post(`${API}/repos/acme/deploy/pulls`, async ({ request }) => {
        sent = {
          auth: request.headers.get('authorization'),
          body: await request.json(),
        };
        return HttpResponse.json(
          { number: 12, html_url: 'https://github.com/acme/deploy/pull/12' },
          { status: 201 },
        );
      }),
    );
    await expect(openPullRequest(octokit(), REQUEST)).resolves.toEqual({
      number: 12,
      url: 'https://github.com/acme/deploy/pull/12',
    });
    expect(sent).toEqual({
      auth: 'token ghs_valid',
      body: {
        base: 'main',
        head: 'istio-rollouts/reviews-25-1712',
        title: REQUEST.title,
        body: REQUEST.body,
        maintainer_can_modify: true,
      },
    });
  });

  it('answers a refused token with 403, naming the repository and GitHub’s reason', async () => {
    server.use(
      http.post(`${API}/repos/acme/deploy/pulls`, () =>
        HttpResponse.json(
          {
            message: 'Bad credentials',
            documentation_url: 'https://docs.github.com/rest',
          },
          { status: 401 },
        ),
      ),
    );
    await expect(
      openPullRequest(octokit('ghs_revoked'), REQUEST),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'GitHub refused to open a pull request on acme/deploy with the configured credentials: Bad credentials',
    });
  });

  it('answers a pull request already open for the branch with 409', async () => {
    server.use(
      http.post(`${API}/repos/acme/deploy/pulls`, () =>
        HttpResponse.json(
          {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message:
                  'A pull request already exists for acme:istio-rollouts/reviews-25-1712.',
              },
            ],
          },
          { status: 422 },
        ),
      ),
    );
    await expect(openPullRequest(octokit(), REQUEST)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'A pull request from istio-rollouts/reviews-25-1712 into main is already open on acme/deploy',
    });
  });

  it('answers a repository the token cannot see with 404, and a GitHub outage with 503', async () => {
    server.use(
      http.post(`${API}/repos/acme/deploy/pulls`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    await expect(openPullRequest(octokit(), REQUEST)).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        'GitHub shows no repository acme/deploy to the configured credentials',
    });
    server.use(
      http.post(`${API}/repos/acme/deploy/pulls`, () =>
        HttpResponse.json({ message: 'Server Error' }, { status: 500 }),
      ),
    );
    await expect(openPullRequest(octokit(), REQUEST)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });
});
