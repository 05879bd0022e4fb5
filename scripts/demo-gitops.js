/*
 * The demo's GitOps repository (issue 17): examples/gitops/ as the branch
 * `main` of a bare repository in .data/gitops/, served over smart HTTP on
 * loopback by git's own CGI program (`git http-backend`), pushes included.
 * demo-east's Argo CD Application (examples/clusters/demo-east/
 * gorilla-sfx-demo-argocd.yaml) and istioRollouts.gitops in app-config.yaml
 * name it at REPOSITORY_URL. Used by scripts/start-demo.js and
 * scripts/demo-gitops-sync.js.
 */
const { execFileSync, spawn, spawnSync } = require('node:child_process');
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
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...GIT_ENV,
        GIT_PROJECT_ROOT: GITOPS_DIR,
        GIT_HTTP_EXPORT_ALL: '1',
        // http-backend refuses pushes from anonymous users; on loopback, in the demo, anyone may push.
        REMOTE_USER: 'demo',
        REMOTE_ADDR: '127.0.0.1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] && {
          HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']),
        }),
        ...(req.headers['git-protocol'] && {
          GIT_PROTOCOL: String(req.headers['git-protocol']),
        }),
      },
    });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', chunk => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers = {};
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === 'status') status = parseInt(value, 10);
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('error', () => undefined);
    cgi.on('close', () => {
      if (!headersDone) res.writeHead(500);
      res.end();
    });
  });
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
