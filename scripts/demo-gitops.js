/*
 * The demo's GitOps repository (issue 17): examples/gitops/ as the branch
 * `main` of a bare repository in .data/gitops/, served over smart HTTP on
 * loopback by git's own CGI program (`git http-backend`), pushes included.
 * demo-east's Argo CD Application (examples/clusters/demo-east/
 * gorilla-sfx-demo-argocd.yaml) and istioRollouts.gitops in app-config.yaml
 * name it at REPOSITORY_URL. Used by scripts/start-demo.js and
 * scripts/demo-gitops-sync.js.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const { gitHttpBackend } = require('./git-http-backend');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Fixed, as the Application and app-config.yaml name it; clear of 3000, 7007, 9090, 6551 and 6552. */
const GIT_PORT = 6580;
const REPOSITORY_NAME = 'gorilla-sfx-demo.git';
const REPOSITORY_URL = `http://127.0.0.1:${GIT_PORT}/${REPOSITORY_NAME}`;
const GITOPS_DIR = path.join(root, '.data/gitops');
const BARE = path.join(GITOPS_DIR, REPOSITORY_NAME);
const EXAMPLES = path.join(root, 'examples/gitops');
/** What demo-east's Application syncs. */
const SYNCED_PATH = 'overlays/demo-east';
const APPLICATION = 'gorilla-sfx-demo';

/** No system or user configuration: the demo's git behaves the same on every machine. */
const GIT_ENV = {
  PATH: process.env.PATH,
  HOME: os.tmpdir(),
  LANG: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Demo platform team',
  GIT_AUTHOR_EMAIL: 'platform@demo.invalid',
  GIT_COMMITTER_NAME: 'Demo platform team',
  GIT_COMMITTER_EMAIL: 'platform@demo.invalid',
};

function git(args, options = {}) {
  return execFileSync('git', args, {
    cwd: options.cwd ?? GITOPS_DIR,
    env: { ...GIT_ENV, ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `git --git-dir=<the demo's repository> …`. */
function inRepository(args) {
  return git(['--git-dir', BARE, ...args]);
}

/** Why the demo cannot serve the repository (no git, or no `git http-backend`), or undefined when it can. */
function gitMissing() {
  const version = spawnSync('git', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    return 'git is not installed';
  }
  const execPath = spawnSync('git', ['--exec-path'], { encoding: 'utf8' });
  const backend = path.join(execPath.stdout.trim(), 'git-http-backend');
  if (!fs.existsSync(backend)) {
    return `git has no http-backend (${backend})`;
  }
  return undefined;
}

function listFiles(dir, prefix = '') {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
}

/**
 * (Re)creates the repository: `main` with one commit holding examples/gitops/.
 * Every start, because kube-sim loads demo-east from examples/clusters at
 * every start too: Git and the cluster start out agreeing.
 */
function createRepository() {
  fs.rmSync(BARE, { recursive: true, force: true });
  fs.mkdirSync(BARE, { recursive: true });
  git(['init', '-q', '--bare', '-b', 'main'], { cwd: BARE });
  const seed = fs.mkdtempSync(path.join(GITOPS_DIR, 'seed-'));
  try {
    git(['init', '-q', '-b', 'main'], { cwd: seed });
    for (const file of listFiles(EXAMPLES)) {
      const to = path.join(seed, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(EXAMPLES, file), to);
    }
    git(['add', '-A'], { cwd: seed });
    git(
      ['commit', '-q', '-m', 'gorilla-sfx-demo: blue live, green by header'],
      {
        cwd: seed,
      },
    );
    git(['push', '-q', BARE, 'main'], { cwd: seed });
  } finally {
    fs.rmSync(seed, { recursive: true, force: true });
  }
  return inRepository(['rev-parse', 'main']).trim();
}

/** Serves every repository in .data/gitops over smart HTTP on 127.0.0.1:GIT_PORT; resolves once listening. */
function serveRepositories() {
  const server = http.createServer(
    // On loopback, in the demo, anyone may push.
    gitHttpBackend({
      projectRoot: GITOPS_DIR,
      env: GIT_ENV,
      remoteUser: 'demo',
    }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(GIT_PORT, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        url: REPOSITORY_URL,
        close: () =>
          new Promise(done => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = {
  APPLICATION,
  BARE,
  GIT_PORT,
  REPOSITORY_URL,
  SYNCED_PATH,
  createRepository,
  gitMissing,
  inRepository,
  serveRepositories,
};
