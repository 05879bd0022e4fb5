import { commitMessage, pullRequestBody, unifiedDiff } from './changeText';

const FILE = {
  path: 'apps/reviews/virtualservice.yaml',
  before: 'a: 1\n# keep\nweight: 90\nweight: 10\nz: 2\n',
  after: 'a: 1\n# keep\nweight: 75\nweight: 25\nz: 2\n',
};

const CHANGE = {
  summary: 'http[0] reviews-route: v1 90→75, v2 10→25',
  target: 'VirtualService bookinfo/reviews in demo-east',
  actor: 'user:default/guest',
  entityRef: 'component:default/reviews',
  reason: 'More traffic to v2\nafter the load test',
  managedBy: 'Application argocd/bookinfo',
  files: [FILE],
};

describe('change text', () => {
  it('writes a git-style unified diff of each file', () => {
    expect(unifiedDiff([FILE])).toBe(
      [
        '--- a/apps/reviews/virtualservice.yaml',
        '+++ b/apps/reviews/virtualservice.yaml',
        '@@ -1,5 +1,5 @@',
        ' a: 1',
        ' # keep',
        '-weight: 90',
        '-weight: 10',
        '+weight: 75',
        '+weight: 25',
        ' z: 2',
        '',
      ].join('\n'),
    );
  });

  it('says what, who, why and where in the commit and the pull request', () => {
    expect(commitMessage(CHANGE)).toBe(
      [
        'VirtualService bookinfo/reviews in demo-east: http[0] reviews-route: v1 90→75, v2 10→25',
        '',
        'Reason: More traffic to v2\nafter the load test',
        'Requested by user:default/guest for component:default/reviews in Backstage (Istio Rollouts).',
        'Application argocd/bookinfo applies it to the cluster once merged.',
        '',
      ].join('\n'),
    );
    const body = pullRequestBody(CHANGE);
    expect(body).toContain('> More traffic to v2\n> after the load test');
    expect(body).toContain('```diff\n--- a/apps/reviews/virtualservice.yaml');
    expect(body).toContain(
      '-weight: 90\n-weight: 10\n+weight: 75\n+weight: 25',
    );
  });
});
