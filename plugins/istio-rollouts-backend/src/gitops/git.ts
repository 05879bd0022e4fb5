import { execFile } from 'node:child_process';

/** Protocols a clone or push may use: never `ext::` or `fd::`, which run commands. */
const ALLOWED_PROTOCOLS = 'https:http:file';

/** How long one git command may take before it is stopped. */
export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

/** Credentials for an HTTP(S) remote, sent as a header git adds to its requests, never in the URL or the logs. */
export type GitAuth =
  | { username: string; password: string }
  | { bearerToken: string };

/** A git command that failed: what it was doing, and git's own last words (no credentials in either). */
export class GitCommandError extends Error {
  constructor(
    readonly action: string,
    readonly stderr: string,
    readonly exitCode: number | string | undefined,
  ) {
    const last = stderr.trim().split('\n').slice(-3).join(' ').trim();
    super(`git ${action} failed${last ? `: ${last}` : ''}`);
    this.name = 'GitCommandError';
  }
}

/** The header git sends with every HTTP request to the remote. */
export function authHeader(auth: GitAuth): string {
  if ('bearerToken' in auth) return `Authorization: Bearer ${auth.bearerToken}`;
  const basic = Buffer.from(`${auth.username}:${auth.password}`).toString(
    'base64',
  );
  return `Authorization: Basic ${basic}`;
}

/**
 * The environment of every git command: no prompt for credentials, no system or user configuration, only safe
 * protocols, and the auth header (if any) as configuration in the environment (`GIT_CONFIG_*`, git ≥ 2.31) rather
 * than an argument any process listing shows.
 */
export function gitEnvironment(
  auth: GitAuth | undefined,
  home: string,
): NodeJS.ProcessEnv {
  const config: Array<[string, string]> = [
    ['advice.detachedHead', 'false'],
    ['init.defaultBranch', 'main'],
  ];
  if (auth) config.push(['http.extraHeader', authHeader(auth)]);
  return {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: ALLOWED_PROTOCOLS,
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([key, value], i) => [
        [`GIT_CONFIG_KEY_${i}`, key],
        [`GIT_CONFIG_VALUE_${i}`, value],
      ]),
    ),
  };
}

/** Runs one git command in `cwd`; resolves with its standard output. */
export function runGit(
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    /** In the error, instead of the arguments (which may name a URL with a user). */
    action: string;
    timeoutMs?: number;
  },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(
            new GitCommandError(
              options.action,
              'the git command is not installed (apt-get install -y git)',
              code,
            ),
          );
          return;
        }
        reject(
          new GitCommandError(
            options.action,
            error.killed
              ? `timed out after ${
                  options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS
                } ms`
              : // `push --porcelain` says why a ref was rejected on its standard output.
                `${stdout}\n${stderr}`,
            code ?? undefined,
          ),
        );
      },
    );
  });
}
