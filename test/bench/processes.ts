/*
 * Child processes of the benchmark (kube-sim clusters, the bench backend):
 * started with their output in log files, each stopped at the end — on
 * success, on failure and on Ctrl-C.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
}

export class ProcessGroup {
  private readonly running = new Set<Started>();

  /**
   * Starts a process with stderr (and stdout unless `onStdoutLine` is given)
   * appended to `logFile`. `onStdoutLine` gets stdout line by line.
   */
  start(options: {
    name: string;
    command: string;
    args: string[];
    cwd: string;
    env?: NodeJS.ProcessEnv;
    logFile: string;
    onStdoutLine?: (line: string) => void;
  }): Started {
    const log = fs.openSync(options.logFile, 'a');
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', options.onStdoutLine ? 'pipe' : log, log],
    });
    fs.closeSync(log);
    if (child.pid === undefined) {
      throw new Error(`Could not start ${options.name}`);
    }
    const started: Started = {
      name: options.name,
      child,
      pid: child.pid,
      logFile: options.logFile,
    };
    this.running.add(started);
    child.on('exit', () => this.running.delete(started));
    if (options.onStdoutLine && child.stdout) {
      readline
        .createInterface({ input: child.stdout })
        .on('line', options.onStdoutLine);
    }
    return started;
  }

  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  static waitForLine(
    options: Parameters<ProcessGroup['start']>[0],
    group: ProcessGroup,
    pattern: RegExp,
    timeoutMs: number,
  ): Promise<{ started: Started; match: RegExpMatchArray }> {
    return new Promise((resolve, reject) => {
      let done = false;
      const started = group.start({
        ...options,
        onStdoutLine: line => {
          const match = line.match(pattern);
          if (match && !done) {
            done = true;
            clearTimeout(timer);
            resolve({ started, match });
          }
        },
      });
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reject(
          new Error(
            `${options.name} printed no line matching ${pattern} within ${timeoutMs} ms (log: ${options.logFile})`,
          ),
        );
      }, timeoutMs);
      started.child.on('exit', (code, signal) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(
          new Error(
            `${options.name} exited (${
              signal ?? code
            }) before it was ready (log: ${options.logFile})`,
          ),
        );
      });
    });
  }

  /** Stops one process: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(started: Started, graceMs = 5000): Promise<void> {
    const { child } = started;
    if (child.exitCode !== null || child.signalCode !== null) {
      this.running.delete(started);
      return;
    }
    const exited = new Promise<void>(resolve =>
      child.once('exit', () => resolve()),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    this.running.delete(started);
  }

  /** Stops every process still running, in parallel. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map(s => this.stop(s)));
  }

  /** Last resort when the runner itself is exiting: no waiting possible. */
  killAllNow(): void {
    for (const s of this.running) {
      try {
        s.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.running.clear();
  }

  get size(): number {
    return this.running.size;
  }
}

/** The resident set size of a process, in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!m) throw new Error(`No VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; fields resume after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return NaN;
  }
}

/** This process's own CPU time, ms. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
