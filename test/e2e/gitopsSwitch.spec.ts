import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { readVirtualService, resetCluster, signInAsGuest } from './demo';

/*
 * GitOps mode in the demo (issue 17): demo-east's gorilla-sfx-demo is applied by Argo CD from the demo's Git
 * repository (examples/gitops/, served by `npm start`), so Switch proposes a commit on a new branch and leaves the
 * cluster alone; the card shows the change pending in Git meanwhile; the demo's sync step (a reviewer merging, Argo CD syncing)
 * then brings the switch to the cluster, and the tab shows it applied from Git. The repository and the cluster are put back as they ship afterwards.
 */
test.describe.configure({ mode: 'serial' });

const root = path.resolve(__dirname, '../..');
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(root, 'docs/screenshots')
  : path.resolve(root, '.data/test-results/screenshots');
const BARE = path.join(root, '.data/gitops/gorilla-sfx-demo.git');

/** The demo's sync step, as a person runs it: `npm run demo:gitops-sync [-- --reset]`. */
function sync(...args: string[]): string {
  return execFileSync(
    process.execPath,
    [path.join(root, 'scripts/demo-gitops-sync.js'), ...args],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
}

function inRepository(...args: string[]): string {
  return execFileSync('git', ['--git-dir', BARE, ...args], {
    encoding: 'utf8',
  }).trim();
}

const gorilla = (page: Page) =>
  page.getByRole('article', {
    name: 'VirtualService default/gorilla-sfx-demo in demo-east',
  });

async function subsets() {
  const vs = await readVirtualService('default', 'gorilla-sfx-demo');
  const [byHeader, byDefault] = vs.spec.http;
  return {
    header: byHeader.match?.[0].headers?.['x-deploy'],
    byHeader: byHeader.route[0].destination.subset,
    byDefault: byDefault.route[0].destination.subset,
  };
}

/** Who wrote what in gorilla-sfx-demo's VirtualService, as demo-east records it. */
async function readManagedFields() {
  const vs = (await readVirtualService('default', 'gorilla-sfx-demo')) as {
    metadata?: {
      managedFields?: Array<{
        manager?: string;
        fieldsV1?: { 'f:spec'?: Record<string, unknown> };
      }>;
    };
  };
  return vs.metadata?.managedFields ?? [];
}

/** The repository and demo-east as the demo ships them. */
async function restore() {
  sync('--reset');
  await resetCluster('demo-east');
}

test.beforeAll(restore);
test.afterAll(restore);

test('Switch on gorilla-sfx-demo proposes a commit, pending in Git until the sync brings it to the cluster', async ({
  page,
}) => {
  // Two refreshes of the tab and two git round trips on a loaded machine.
  test.setTimeout(120_000);
  const main = inRepository('rev-parse', 'main');
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/gorilla-sfx-demo/rollouts');
  await gorilla(page).getByRole('button', { name: 'Switch to green' }).click();

  // The dry run: the commit Apply would push, as a diff of the overlay's release.yaml.
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(
    dialog.getByText(
      /Application argocd\/gorilla-sfx-demo syncs this VirtualService from http:\/\/127\.0\.0\.1:6580\/gorilla-sfx-demo\.git/,
    ),
  ).toBeVisible();
  await expect(
    dialog.getByRole('heading', { name: 'The commit' }),
  ).toBeVisible();
  const diff = dialog.getByLabel('The commit, as a diff');
  await expect(diff).toContainText('overlays/demo-east/release.yaml');
  await expect(
    diff.locator('del').filter({ hasText: 'exact: green' }),
  ).toHaveCount(1);
  await expect(
    diff.locator('ins').filter({ hasText: 'exact: blue' }),
  ).toHaveCount(1);
  await expect(
    diff.locator('ins').filter({ hasText: 'subset: green' }),
  ).toHaveCount(1);
  await expectNoSeriousAxeViolations(page, 'the GitOps confirm dialog');
  await page.setViewportSize({ width: 1280, height: 1100 });
  await dialog.screenshot({
    path: path.join(screenshots, 'gitops-dialog.png'),
  });

  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Proposed in Git: a new branch with one commit on main, named in the history; the cluster is as it was.
  const history = page.getByRole('table', { name: 'History' });
  const proposed = history
    .getByRole('row')
    .filter({ hasText: 'proposed in Git' });
  await expect(proposed).toHaveCount(1);
  const branch = inRepository(
    'for-each-ref',
    '--format=%(refname:short)',
    'refs/heads/istio-rollouts/',
  );
  expect(branch).toMatch(/^istio-rollouts\/gorilla-sfx-demo-/);
  const commit = inRepository('rev-parse', branch);
  expect(inRepository('rev-parse', `${commit}^`)).toBe(main);
  await expect(proposed).toContainText(
    `branch ${branch}, commit ${commit.slice(0, 7)}`,
  );
  expect(inRepository('rev-parse', 'main')).toBe(main);
  expect(await subsets()).toEqual({
    header: { exact: 'green' },
    byHeader: 'green',
    byDefault: 'blue',
  });
  // The card shows the cluster's routes, and on each route the switch changes, where the change waits.
  const pending = gorilla(page)
    .getByRole('note')
    .filter({ hasText: 'Pending in Git' });
  await expect(pending).toHaveCount(2);
  await expect(pending.first()).toContainText('header x-deploy: green→blue');
  await expect(pending.first()).toContainText('Proposed by guest');
  await expect(pending.first()).toContainText(
    `branch ${branch}, commit ${commit.slice(0, 7)}`,
  );
  // The toast says so (axe runs once it is gone: Backstage's toast has a close button without a name).
  const toast = page.getByText(
    /^Proposed in Git: switch: .* — branch istio-rollouts\/gorilla-sfx-demo-/,
  );
  await expect(toast).toBeVisible();
  await expect(toast).toBeHidden({ timeout: 20_000 });
  // Its buttons act on what the cluster has until the sync.
  await expect(
    gorilla(page).getByRole('button', { name: 'Switch to green' }),
  ).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'a route pending in Git');
  await page.setViewportSize({ width: 1400, height: 900 });
  await pending
    .first()
    .evaluate(note => note.scrollIntoView({ block: 'center' }));
  await page.screenshot({
    path: path.join(screenshots, 'gitops-pending.png'),
  });

  // A reviewer merges the branch and Argo CD syncs: the demo's sync step does both.
  const out = sync();
  expect(out).toContain(`Merged ${branch} into main`);
  expect(out).toContain(
    'Synced VirtualService default/gorilla-sfx-demo to demo-east as argocd-controller',
  );
  expect(inRepository('rev-parse', 'main')).toBe(commit);
  expect(await subsets()).toEqual({
    header: { exact: 'blue' },
    byHeader: 'blue',
    byDefault: 'green',
  });

  // The tab follows within its refresh: the new routes, no pending note, and the proposal settled as applied,
  // Backstage's change landing rather than a change made outside it.
  await expect(
    gorilla(page).getByRole('button', { name: 'Switch to blue' }),
  ).toBeVisible();
  await expect(pending).toHaveCount(0);
  await expect(
    gorilla(page).getByRole('note').filter({ hasText: 'Changed outside' }),
  ).toHaveCount(0);
  await expect(proposed).toHaveCount(0);
  const applied = history
    .getByRole('row')
    .filter({ hasText: 'applied it from Git' });
  await expect(applied).toHaveCount(1);
  await expect(applied).toContainText(
    `branch ${branch}, commit ${commit.slice(0, 7)}`,
  );
  // The cluster says Argo CD wrote the routes: its field manager owns spec.http.
  const managers = (await readManagedFields()).filter(entry =>
    Object.keys(entry.fieldsV1?.['f:spec'] ?? {}).includes('f:http'),
  );
  expect(managers.map(entry => entry.manager).at(-1)).toBe('argocd-controller');
  await page.setViewportSize({ width: 1400, height: 1800 });
  await history.scrollIntoViewIfNeeded();
  await history.screenshot({
    path: path.join(screenshots, 'gitops-history.png'),
  });
});
