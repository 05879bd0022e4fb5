/*
 * Real git repositories on loopback for tests: a bare repository seeded with files, served over HTTP by Debian's
 * `git http-backend` (the CGI program git ships) behind a tiny Node server, which can ask for credentials and
 * records what it was asked.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// The one bridge to git's CGI program, shared with the demo's repository server.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { gitHttpBackend } from '../../../../../scripts/git-http-backend';

const GIT_ENV = {
  PATH: process.env.PATH,
  HOME: os.tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Seed',
  GIT_AUTHOR_EMAIL: 'seed@example.com',
  GIT_COMMITTER_NAME: 'Seed',
  GIT_COMMITTER_EMAIL: 'seed@example.com',
};

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

/** A bare repository `<root>/<name>.git` whose branch `main` holds `files`; returns its folder. */
export function makeBareRepository(
  root: string,
  name: string,
  files: Record<string, string>,
): string {
  const bare = path.join(root, `${name}.git`);
  fs.mkdirSync(bare, { recursive: true });
  git(['init', '-q', '--bare', '-b', 'main'], bare);
  const seed = fs.mkdtempSync(path.join(root, 'seed-'));
  git(['init', '-q', '-b', 'main'], seed);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
    fs.writeFileSync(path.join(seed, file), text);
  }
  git(['add', '-A'], seed);
  git(['commit', '-q', '-m', 'Manifests'], seed);
  git(['push', '-q', bare, 'main'], seed);
  fs.rmSync(seed, { recursive: true, force: true });
  return bare;
}

/** `git --git-dir=<bare> <args>`: what the remote holds. */
export function inBare(bare: string, args: string[]): string {
  return git(['--git-dir', bare, ...args], bare);
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`; a repository is `<url>/<name>.git`. */
  url: string;
  /** Every request: method, path and query, and its Authorization header. */
  requests: Array<{ method: string; url: string; authorization?: string }>;
  close(): Promise<void>;
}

/**
 * Serves every repository under `root` over smart HTTP, pushes included. With `authorization`, a request without
 * exactly that header gets 401 (as a Git host asks for credentials).
 */
export async function startGitHttpServer(options: {
  root: string;
  authorization?: string;
}): Promise<GitHttpServer> {
  const requests: GitHttpServer['requests'] = [];
  // Any authenticated user may push.
  const serve = gitHttpBackend({
    projectRoot: options.root,
    env: GIT_ENV,
    remoteUser: 'tester',
  });
  const server = http.createServer((req, res) => {
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      ...(req.headers.authorization && {
        authorization: req.headers.authorization,
      }),
    });
    if (
      options.authorization &&
      req.headers.authorization !== options.authorization
    ) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    serve(req, res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
