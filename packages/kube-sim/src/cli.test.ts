import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliUsageError, parseCliArgs } from './cli';

describe('parseCliArgs', () => {
  it('parses every option, with several paths per --manifests', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--manifests',
        'a.yaml',
        'dir',
        '--users',
        'u.yaml',
        '--manifests=b.yaml',
        '--bookmark-interval',
        '50',
        '--watch-window',
        '10',
      ]),
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      manifests: ['a.yaml', 'dir', 'b.yaml'],
      users: 'u.yaml',
      bookmarkIntervalMs: 50,
      watchWindow: 10,
      help: false,
    });
    expect(parseCliArgs(['--port=8001', '--host', '0.0.0.0'])).toMatchObject({
      port: 8001,
      host: '0.0.0.0',
      manifests: [],
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--port', 'x'], /--port needs an integer/],
    [['--port'], /--port needs an integer/],
    [['--manifests', '--port', '1'], /--manifests needs a path/],
    [['--users'], /--users needs a file/],
    [['--verbose'], /unknown argument: --verbose/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('bin/kube-sim.js', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-cli-'));
    await mkdir(join(dir, 'manifests'));
    await writeFile(
      join(dir, 'manifests', '10-vs.yaml'),
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec: { hosts: [reviews], http: [{ route: [{ destination: { host: reviews } }] }] }
`,
    );
    await writeFile(
      join(dir, 'users.yaml'),
      `users:
  - name: viewer
    token: demo-viewer-token
    rules:
      - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"] }
`,
    );
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('runs from the TypeScript sources, serves the manifests and stops on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [
        resolve(__dirname, '../bin/kube-sim.js'),
        '--port',
        '0',
        '--manifests',
        join(dir, 'manifests'),
        '--users',
        join(dir, 'users.yaml'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', d => (stderr += d));
    const firstLine = await new Promise<string>((res, rej) => {
      let out = '';
      child!.stdout!.on('data', d => {
        out += d;
        if (out.includes('\n')) res(out.split('\n')[0]);
      });
      child!.on('exit', code =>
        rej(new Error(`exited with ${code}: ${stderr}`)),
      );
    });
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = firstLine.replace('listening on ', '');

    const anonymous = await fetch(
      `${url}/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews`,
    );
    expect(anonymous.status).toBe(401);
    const res = await fetch(
      `${url}/apis/networking.istio.io/v1beta1/namespaces/bookinfo/virtualservices/reviews`,
      {
        headers: { authorization: 'Bearer demo-viewer-token' },
      },
    );
    expect(await res.json()).toMatchObject({
      apiVersion: 'networking.istio.io/v1beta1',
      metadata: { name: 'reviews' },
    });

    const exit = new Promise<number | null>(done =>
      child!.on('exit', code => done(code)),
    );
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
