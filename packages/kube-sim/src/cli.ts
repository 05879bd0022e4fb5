/*
 * kube-sim --port <n> --manifests <file-or-dir>... [--users <file>]
 *
 * Prints exactly `listening on http://<host>:<port>` once it serves, and
 * serves until SIGINT/SIGTERM.
 */
import { startKubeSim } from './sim';

export const USAGE = `Usage: kube-sim [options]

Options:
  --port <n>                 port to listen on; 0 picks a free one (default 0)
  --host <addr>              address to bind (default 127.0.0.1)
  --manifests <path>...      YAML files or directories (*.yaml, *.yml) to load; repeatable
  --users <file>             users YAML mapping bearer tokens to users and rules;
                             without it every request is cluster-admin
  --bookmark-interval <ms>   BOOKMARK period for watches that allow them (default 10000)
  --watch-window <n>         past events kept for resuming watches (default 1000)
  --no-telemetry             serve no simulated Istio telemetry at /metrics
  -h, --help                 show this help
`;

export interface CliOptions {
  port: number;
  host: string;
  manifests: string[];
  users?: string;
  bookmarkIntervalMs?: number;
  watchWindow?: number;
  /** false with --no-telemetry; absent (on) otherwise. */
  telemetry?: boolean;
  help: boolean;
}

export class CliUsageError extends Error {}

function integer(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) {
    throw new CliUsageError(`${flag} needs an integer >= ${min}`);
  }
  return n;
}

export function parseCliArgs(argv: string[]): CliOptions {
  const opts: CliOptions = {
    port: 0,
    host: '127.0.0.1',
    manifests: [],
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=')
        ? [
            argv[i].slice(0, argv[i].indexOf('=')),
            argv[i].slice(argv[i].indexOf('=') + 1),
          ]
        : [argv[i], undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--port':
        opts.port = integer('--port', value(), 0);
        break;
      case '--host':
        opts.host = value() ?? '';
        if (!opts.host) throw new CliUsageError('--host needs an address');
        break;
      case '--manifests': {
        if (inline !== undefined) {
          opts.manifests.push(inline);
          break;
        }
        // Every following argument up to the next flag is a path.
        const start = opts.manifests.length;
        while (i + 1 < argv.length && !argv[i + 1].startsWith('-'))
          opts.manifests.push(argv[++i]);
        if (opts.manifests.length === start)
          throw new CliUsageError('--manifests needs a path');
        break;
      }
      case '--users':
        opts.users = value();
        if (!opts.users) throw new CliUsageError('--users needs a file');
        break;
      case '--bookmark-interval':
        opts.bookmarkIntervalMs = integer('--bookmark-interval', value(), 1);
        break;
      case '--watch-window':
        opts.watchWindow = integer('--watch-window', value(), 1);
        break;
      case '--no-telemetry':
        opts.telemetry = false;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new CliUsageError(`unknown argument: ${argv[i]}`);
    }
  }
  return opts;
}

/** Runs the CLI; resolves once serving (the process then lives until a signal). */
export async function runCli(argv: string[]): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`kube-sim: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  let sim;
  try {
    sim = await startKubeSim({
      port: opts.port,
      host: opts.host,
      manifestPaths: opts.manifests,
      usersFile: opts.users,
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
      watchWindow: opts.watchWindow,
      telemetry: opts.telemetry,
    });
  } catch (e) {
    const err = e as { status?: { message?: string }; message?: string };
    process.stderr.write(`kube-sim: ${err.status?.message ?? err.message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`listening on ${sim.url}\n`);
  const stop = () => {
    sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
