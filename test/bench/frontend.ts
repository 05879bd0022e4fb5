/*
 * The frontend measurements: the plugin's share of the app bundle (gzip),
 * from the production build's rspack stats, and the time from opening the
 * Rollouts tab to its traffic bars painted, in Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './cluster';
import type { RunningBackend } from './backend';
import type { ProcessGroup } from './processes';

export const APP_DIR = path.join(ROOT, 'packages/app');
export const APP_DIST = path.join(APP_DIR, 'dist');

/** Builds the app for production with rspack stats (`dist/bundle-stats.json`). */
export async function buildApp(
  group: ProcessGroup,
  logFile: string,
): Promise<number> {
  const t0 = performance.now();
  const build = group.start({
    name: 'app build',
    command: path.join(ROOT, 'node_modules/.bin/backstage-cli'),
    args: ['package', 'build', '--stats'],
    cwd: APP_DIR,
    logFile,
  });
  const code = await new Promise<number | null>(resolve =>
    build.child.once('exit', resolve),
  );
  if (code !== 0) {
    throw new Error(`The app build failed (exit ${code}); see ${logFile}`);
  }
  return performance.now() - t0;
}

const PLUGIN_SOURCE = /\/plugins\/istio-rollouts(-common)?\/src\//;
const TAB_COMPONENT =
  /\/plugins\/istio-rollouts\/src\/components\/EntityIstioRolloutsContent\/EntityIstioRolloutsContent\.tsx$/;

export interface ChunkSize {
  file: string;
  initial: boolean;
  bytes: number;
  gzipBytes: number;
  /** Share of the chunk's (pre-minification) module bytes that is the plugin's. */
  pluginShare: number;
}

export interface BundleReport {
  /** Chunks that are mostly the plugin's code. */
  pluginChunks: ChunkSize[];
  /** The chunk group the Rollouts tab loads (its chunk and its siblings). */
  tabChunks: ChunkSize[];
  /** Plugin code inside initial chunks: pre-minification bytes, and an estimate of its gzip share. */
  initialPluginRawBytes: number;
  initialPluginGzipEstimate: number;
  /** Whether the tab's component lives only in async chunks. */
  tabIsLazy: boolean;
  /** The plugin's JavaScript: its chunks + its estimated share of initial chunks, gzip. */
  pluginGzipBytes: number;
  /** Everything the tab loads on first open (its chunk group), gzip. */
  tabGzipBytes: number;
}

interface StatsModule {
  name?: string;
  nameForCondition?: string;
  size?: number;
  chunks?: Array<string | number>;
  modules?: StatsModule[];
}
interface StatsChunk {
  id: string | number;
  files?: string[];
  initial?: boolean;
  siblings?: Array<string | number>;
}

/** The plugin's share of the app bundle, from `dist/bundle-stats.json`. */
export function analyzeBundle(dist = APP_DIST): BundleReport {
  const stats = JSON.parse(
    fs.readFileSync(path.join(dist, 'bundle-stats.json'), 'utf8'),
  ) as { modules: StatsModule[]; chunks: StatsChunk[] };
  const chunks = new Map(stats.chunks.map(c => [String(c.id), c]));
  const raw = new Map<string, { plugin: number; total: number }>();
  const tabChunkIds = new Set<string>();
  for (const top of stats.modules) {
    const ids = (top.chunks ?? []).map(String);
    if (ids.length === 0) continue;
    const leaves = top.modules?.length ? top.modules : [top];
    for (const leaf of leaves) {
      const file = leaf.nameForCondition ?? leaf.name ?? '';
      const size = leaf.size ?? 0;
      const isPlugin = PLUGIN_SOURCE.test(file);
      for (const id of ids) {
        const r = raw.get(id) ?? { plugin: 0, total: 0 };
        r.total += size;
        if (isPlugin) r.plugin += size;
        raw.set(id, r);
        if (TAB_COMPONENT.test(file)) tabChunkIds.add(id);
      }
    }
  }
  const gzipCache = new Map<string, ChunkSize>();
  const sizeOf = (id: string): ChunkSize | undefined => {
    const chunk = chunks.get(id);
    const file = chunk?.files?.find(f => f.endsWith('.js'));
    if (!chunk || !file) return undefined;
    let size = gzipCache.get(id);
    if (!size) {
      const bytes = fs.readFileSync(path.join(dist, file));
      const r = raw.get(id);
      size = {
        file,
        initial: chunk.initial === true,
        bytes: bytes.length,
        gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length,
        pluginShare: r && r.total ? r.plugin / r.total : 0,
      };
      gzipCache.set(id, size);
    }
    return size;
  };

  const pluginChunks: ChunkSize[] = [];
  let initialPluginRawBytes = 0;
  let initialPluginGzipEstimate = 0;
  for (const [id, r] of raw) {
    if (r.plugin === 0) continue;
    const chunk = chunks.get(id);
    if (chunk?.initial) {
      initialPluginRawBytes += r.plugin;
      const size = sizeOf(id);
      if (size)
        initialPluginGzipEstimate += size.gzipBytes * (r.plugin / r.total);
    } else if (r.plugin / r.total >= 0.5) {
      const size = sizeOf(id);
      if (size) pluginChunks.push(size);
    }
  }
  const tabIds = new Set<string>();
  for (const id of tabChunkIds) {
    tabIds.add(id);
    for (const s of chunks.get(id)?.siblings ?? []) tabIds.add(String(s));
  }
  const tabChunks = [...tabIds].map(sizeOf).filter((s): s is ChunkSize => !!s);
  const sum = (xs: ChunkSize[]) => xs.reduce((n, x) => n + x.gzipBytes, 0);
  return {
    pluginChunks,
    tabChunks,
    initialPluginRawBytes,
    initialPluginGzipEstimate: Math.round(initialPluginGzipEstimate),
    tabIsLazy:
      tabChunkIds.size > 0 &&
      [...tabChunkIds].every(id => !chunks.get(id)?.initial),
    pluginGzipBytes: sum(pluginChunks) + Math.round(initialPluginGzipEstimate),
    tabGzipBytes: sum(tabChunks),
  };
}

export interface TabTiming {
  /** First open in a fresh browser context: the tab's chunks and data fetched. */
  coldMs: number;
  /** Later opens (tab switched away and back): data fetched again, code cached. */
  warmMs: number[];
  /** JavaScript fetched on the first open (after the click), encoded and decoded bytes. */
  jsTransferredBytes: number;
  jsDecodedBytes: number;
  jsFiles: string[];
  bars: number;
}

/**
 * The tab's traffic bars: one per route, inside the tab's card of each
 * VirtualService (the overview card has bars of its own).
 */
const TAB_BARS =
  'article[aria-label^="VirtualService "] [role="img"][aria-label^="Traffic"]';

/** Chromium's flags on this machine (see TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Opens the entity page of `entity` signed in as guest, then measures from
 * the click on its Rollouts tab to `bars` traffic bars painted: a
 * MutationObserver sees the bars (role img, label "Traffic …") in the DOM,
 * then the next animation frame plus a task marks them painted.
 */
export async function measureTab(options: {
  backend: RunningBackend;
  entity: string;
  bars: number;
  warmRuns: number;
  chromium: string;
}): Promise<TabTiming> {
  const { chromium: chromiumType } = await import('playwright-core');
  const browser = await chromiumType.launch({
    executablePath: options.chromium,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1200 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(options.backend.baseUrl);
    // The sign-in page offers guest sign-in; a remembered session skips it.
    const enter = page.getByRole('button', { name: 'Enter' });
    const catalog = page.getByRole('link', { name: 'Catalog' }).first();
    await enter.or(catalog).first().waitFor();
    if (await enter.isVisible()) await enter.click();
    await catalog.waitFor();
    await page.goto(
      `${options.backend.baseUrl}/catalog/default/component/${options.entity}`,
    );
    await page.getByRole('tab', { name: 'Rollouts' }).waitFor();

    const armObserver = async () =>
      page.evaluate(
        ({ expected, selector }) => {
          const w = window as any;
          w.__bench = { t0: undefined, painted: undefined };
          const count = () => document.querySelectorAll(selector).length;
          document.addEventListener(
            'pointerdown',
            () => {
              w.__bench.t0 ??= performance.now();
            },
            { capture: true, once: true },
          );
          const observer = new MutationObserver(() => {
            if (w.__bench.t0 !== undefined && count() >= expected) {
              observer.disconnect();
              requestAnimationFrame(() =>
                setTimeout(() => {
                  w.__bench.painted = performance.now();
                }, 0),
              );
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
        },
        { expected: options.bars, selector: TAB_BARS },
      );
    const openTab = async () => {
      await armObserver();
      await page.getByRole('tab', { name: 'Rollouts' }).click();
      await page.waitForFunction(
        () => (window as any).__bench.painted !== undefined,
        undefined,
        { timeout: 60_000 },
      );
      return page.evaluate(selector => {
        const b = (window as any).__bench;
        const js = performance
          .getEntriesByType('resource')
          .filter(
            (e: any) => e.startTime >= b.t0 && /\.js(\?|$)/.test(e.name),
          ) as PerformanceResourceTiming[];
        return {
          ms: b.painted - b.t0,
          jsTransferred: js.reduce((n, e) => n + e.encodedBodySize, 0),
          jsDecoded: js.reduce((n, e) => n + e.decodedBodySize, 0),
          jsFiles: js.map(e => new URL(e.name).pathname),
          bars: document.querySelectorAll(selector).length,
        };
      }, TAB_BARS);
    };
    const away = async () => {
      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.locator(TAB_BARS).first().waitFor({ state: 'detached' });
    };

    const cold = await openTab();
    const warm: number[] = [];
    for (let i = 0; i < options.warmRuns; i++) {
      await away();
      warm.push((await openTab()).ms);
    }
    return {
      coldMs: cold.ms,
      warmMs: warm,
      jsTransferredBytes: cold.jsTransferred,
      jsDecodedBytes: cold.jsDecoded,
      jsFiles: cold.jsFiles,
      bars: cold.bars,
    };
  } finally {
    await browser.close();
  }
}
