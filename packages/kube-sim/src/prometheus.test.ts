import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  DEFAULT_PROMETHEUS_PATH,
  findPrometheus,
  PROMETHEUS_INSTALL_HINT,
  prometheusConfig,
  queryPrometheus,
  RunningPrometheus,
  startPrometheus,
  waitForScrape,
} from './prometheus';
import { KubeSim, startKubeSim } from './sim';
import { cartManifest } from './telemetry/__testUtils__/mesh';

/** The binary, or a failure saying how to install it: these tests never skip. */
function requirePrometheus(): string {
  const binary = findPrometheus();
  if (!binary) {
    throw new Error(
      `Prometheus is not installed (${
        process.env.PROMETHEUS_PATH ?? DEFAULT_PROMETHEUS_PATH
      } is missing); install Debian's with: ${PROMETHEUS_INSTALL_HINT}`,
    );
  }
  return binary;
}

/** `promtool check metrics` on an exposition: its exit code and what it said. */
function promtoolCheck(promtool: string, text: string) {
  return new Promise<{ code: number; output: string }>(resolve => {
    const child = execFile(
      promtool,
      ['check', 'metrics'],
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code) : 0,
          output: `${stdout}${stderr}`.trim(),
        }),
    );
    child.stdin!.end(text);
  });
}

describe('prometheusConfig', () => {
  it('has one kube-sim job with a target per cluster, labelled with its name', () => {
    const config = parse(
      prometheusConfig(
        [
          { cluster: 'east', url: 'http://127.0.0.1:6551' },
          { cluster: 'west', url: 'https://sim.example:8443/prefix/' },
        ],
        1,
      ),
    );
    expect(config).toEqual({
      global: {
        scrape_interval: '1000ms',
        scrape_timeout: '1000ms',
        evaluation_interval: '1000ms',
      },
      scrape_configs: [
        {
          job_name: 'kube-sim',
          metrics_path: '/metrics',
          static_configs: [
            { targets: ['127.0.0.1:6551'], labels: { cluster: 'east' } },
            {
              targets: ['sim.example:8443'],
              labels: {
                cluster: 'west',
                __scheme__: 'https',
                __metrics_path__: '/prefix/metrics',
              },
            },
          ],
        },
      ],
    });
    expect(parse(prometheusConfig([])).global).toMatchObject({
      scrape_interval: '5000ms',
      scrape_timeout: '5000ms',
    });
  });
});

describe('findPrometheus', () => {
  it('answers the binary only if it exists', () => {
    expect(findPrometheus('/nonexistent/prometheus')).toBeUndefined();
    expect(findPrometheus(process.execPath)).toBe(process.execPath);
  });

  it('refuses to start without the binary, saying how to install it', async () => {
    await expect(
      startPrometheus({ targets: [], binary: '/nonexistent/prometheus' }),
    ).rejects.toThrow(PROMETHEUS_INSTALL_HINT);
  });
});

describe('startPrometheus', () => {
  it('fails clearly when its port is taken', async () => {
    const binary = requirePrometheus();
    // Holds the port; hangs up on whoever connects.
    const blocker = net.createServer(socket => socket.destroy());
    await new Promise<void>(r => blocker.listen(0, '127.0.0.1', r));
    try {
      const { port } = blocker.address() as net.AddressInfo;
      await expect(
        startPrometheus({ targets: [], port, binary }),
      ).rejects.toThrow(/address already in use/);
    } finally {
      await new Promise(r => blocker.close(r));
    }
  }, 60_000);

  it('scrapes a simulated cluster: rates follow the VirtualService, errors and latency the Deployment', async () => {
    const binary = requirePrometheus();
    let sim: KubeSim | undefined;
    let other: KubeSim | undefined;
    let prom: RunningPrometheus | undefined;
    try {
      // 20 rps split 90/10: cart-v1 18, cart-v2 2 with 10 % errors and p99 200 ms.
      sim = await startKubeSim({
        manifests: cartManifest({
          requestsPerSecond: 20,
          v2ErrorRate: 0.1,
          v2LatencyMs: 40,
          v2LatencyP99Ms: 200,
        }),
      });
      // The exposition is valid: promtool's only remark is Istio's own unit.
      const text = await (await fetch(`${sim.url}/metrics`)).text();
      const check = await promtoolCheck(
        path.join(path.dirname(binary), 'promtool'),
        text,
      );
      expect(check.output.split('\n')).toEqual([
        'istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"',
      ]);
      expect(check.code).toBe(3); // lint problems only; 1 would be a parse error

      prom = await startPrometheus({
        targets: [{ cluster: 'east', url: sim.url }],
        scrapeIntervalSeconds: 1,
      });
      expect(prom.url).toBe(`http://127.0.0.1:${prom.port}`);
      // rate()[5s] is exact once the window is covered by samples: 7 scrapes.
      await waitForScrape(prom.url, { cluster: 'east', scrapes: 7 }, 40_000);

      const rates = await queryPrometheus(
        prom.url,
        'sum by (destination_workload) (rate(istio_requests_total{reporter="destination"}[5s]))',
      );
      const byWorkload = Object.fromEntries(
        rates.map(s => [s.metric.destination_workload, s.value]),
      );
      expect(Object.keys(byWorkload).sort()).toEqual(['cart-v1', 'cart-v2']);
      expect(byWorkload['cart-v1']).toBeGreaterThan(18 * 0.9);
      expect(byWorkload['cart-v1']).toBeLessThan(18 * 1.1);
      expect(byWorkload['cart-v2']).toBeGreaterThan(2 * 0.9);
      expect(byWorkload['cart-v2']).toBeLessThan(2 * 1.1);

      const [errorShare] = await queryPrometheus(
        prom.url,
        'sum(rate(istio_requests_total{reporter="destination",destination_workload="cart-v2",response_code=~"5.."}[5s]))' +
          ' / sum(rate(istio_requests_total{reporter="destination",destination_workload="cart-v2"}[5s]))',
      );
      expect(errorShare.value).toBeGreaterThan(0.1 * 0.9);
      expect(errorShare.value).toBeLessThan(0.1 * 1.1);

      const [p99] = await queryPrometheus(
        prom.url,
        'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="cart-v2"}[5s])))',
      );
      expect(p99.value).toBeGreaterThan(200 * 0.9);
      expect(p99.value).toBeLessThan(200 * 1.1);

      // Every series carries its cluster's label.
      const [series] = await queryPrometheus(
        prom.url,
        'istio_requests_total{destination_workload="cart-v1"}',
      );
      expect(series.metric).toMatchObject({ cluster: 'east', job: 'kube-sim' });

      // A reload adds targets.
      other = await startKubeSim({ manifests: cartManifest() });
      await prom.reload([
        { cluster: 'east', url: sim.url },
        { cluster: 'west', url: other.url },
      ]);
      await waitForScrape(prom.url, { cluster: 'west' }, 30_000);

      const dataDir = prom.dataDir;
      await prom.close();
      expect(existsSync(dataDir)).toBe(false);
      await expect(fetch(`${prom.url}/-/ready`)).rejects.toThrow();
    } finally {
      await prom?.close();
      await sim?.close();
      await other?.close();
    }
  }, 120_000);
});
