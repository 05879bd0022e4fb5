/*
 * The backend's V8 heap after a full garbage collection, through the
 * inspector protocol (the backend runs with --inspect on a loopback port):
 * tells a leak (live objects growing) from a heap that is merely large
 * (garbage not collected yet), which RSS alone cannot.
 */
import fs from 'node:fs';

type Socket = {
  on(event: 'message', listener: (data: unknown) => void): void;
  off(event: 'message', listener: (data: unknown) => void): void;
  once(event: 'open' | 'error', listener: (arg?: unknown) => void): void;
  send(data: string): void;
  close(): void;
};

export interface HeapInspector {
  /** Collects garbage (twice) and answers the used heap, bytes. */
  heapUsedAfterGc(): Promise<number>;
  close(): void;
}

/** The inspector's WebSocket URL, from the line Node prints to stderr. */
export async function inspectorUrl(
  logFile: string,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    const match = log.match(/Debugger listening on (ws:\/\/\S+)/);
    if (match) return match[1];
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`No inspector URL in ${logFile}`);
}

/**
 * Connects to the inspector. Node 20 has no WebSocket client of its own;
 * `ws` is in the workspace (through jsdom and others) — without it this
 * answers undefined and the bench reports RSS only.
 */
export async function connectInspector(
  url: string,
): Promise<HeapInspector | undefined> {
  let WebSocket: new (address: string) => Socket;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    WebSocket = require('ws');
  } catch {
    return undefined;
  }
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let lastId = 0;
  const call = (method: string) =>
    new Promise<any>((resolve, reject) => {
      const id = ++lastId;
      const timer = setTimeout(
        () => reject(new Error(`inspector: no answer to ${method}`)),
        30_000,
      );
      const onMessage = (data: unknown) => {
        const message = JSON.parse(String(data));
        if (message.id !== id) return;
        clearTimeout(timer);
        ws.off('message', onMessage);
        if (message.error) reject(new Error(message.error.message));
        else resolve(message.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    async heapUsedAfterGc() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      return usage.usedSize as number;
    },
    close: () => ws.close(),
  };
}
