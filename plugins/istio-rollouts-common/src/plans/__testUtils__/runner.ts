import type { SubsetMetrics } from '../../api';
import type {
  PlanStep,
  StepPlan,
  StepPlanOnFailure,
  StepPlanState,
} from '../../api/plans';
import type { StepPlanCommand, StepPlanMove } from '../types';
import { applyStepPlanCommand } from '../commands';
import { applyStepPlanMove } from '../applyMove';
import { decideStepPlanMove } from '../decideMove';
import { startStepPlanState } from '../startState';

export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** The ISO time `seconds` after T0. */
export const at = (seconds: number) =>
  new Date(T0 + seconds * 1000).toISOString();

export function planOf(
  steps: PlanStep[],
  onFailure: StepPlanOnFailure = 'rollback',
): StepPlan {
  return {
    rolloutId: 'demo-east/bookinfo/reviews',
    route: { kind: 'http', index: 0 },
    stableSubset: 'v1',
    canarySubset: 'v2',
    steps,
    onFailure,
  };
}

export const analysis = (
  overrides: Partial<Extract<PlanStep, { analysis: unknown }>['analysis']> = {},
): PlanStep => ({
  analysis: {
    minSuccessRate: 0.99,
    maxLatencyP99Ms: 500,
    minRequests: 50,
    windowSeconds: 60,
    intervalSeconds: 60,
    count: 2,
    failureLimit: 2,
    ...overrides,
  },
});

export function subsetMetrics(
  subset: string,
  figures: { requests?: number; successRate?: number; p99?: number } = {},
): SubsetMetrics {
  const requests = figures.requests ?? 600;
  return {
    host: 'reviews',
    subset,
    requestsPerSecond: requests / 60,
    successRate: requests > 0 ? figures.successRate ?? 1 : null,
    latencyP50Ms: requests > 0 ? 10 : null,
    latencyP99Ms: requests > 0 ? figures.p99 ?? 40 : null,
    requests,
    series: { requestsPerSecond: [], errorsPerSecond: [], latencyP99Ms: [] },
  };
}

/** How the simulated canary behaves: its figures, or none (no Prometheus). */
export type CanaryBehaviour =
  | { successRate?: number; p99?: number; requests?: number }
  | 'noMetrics';

/**
 * A runner in miniature: a route in a cluster (resourceVersion, weights) and a plan ticked every few seconds,
 * carrying out each move as the real runner will (write, then record). `log` lists the moves that did something.
 */
export class SimulatedRun {
  resourceVersion = 100;
  weights: Record<string, number>;
  state: StepPlanState;
  readonly log: string[] = [];
  readonly moves: StepPlanMove[] = [];
  canary: CanaryBehaviour = {};
  routeGone = false;
  now = 0;

  constructor(
    readonly plan: StepPlan,
    weights: Record<string, number> = { v1: 100, v2: 0 },
  ) {
    this.weights = { ...weights };
    this.state = startStepPlanState(plan, this.route()!, at(0));
  }

  route() {
    return this.routeGone
      ? undefined
      : {
          resourceVersion: String(this.resourceVersion),
          weights: { ...this.weights },
        };
  }

  /** Someone else edits the VirtualService (kubectl): a new resourceVersion, maybe new weights. */
  editOutside(weights?: Record<string, number>) {
    this.resourceVersion += 1;
    if (weights) this.weights = { ...weights };
  }

  private observe() {
    const metrics =
      this.canary === 'noMetrics'
        ? undefined
        : {
            observedAt: at(this.now),
            canary: subsetMetrics('v2', this.canary),
            stable: subsetMetrics('v1'),
          };
    return {
      now: at(this.now),
      route: this.route(),
      ...(metrics && { metrics }),
    };
  }

  /** One tick at `seconds`: moves until the plan has to wait (or has ended); returns the last move. */
  tick(seconds: number): StepPlanMove {
    this.now = seconds;
    for (let i = 0; i < 20; i++) {
      const move = decideStepPlanMove(this.plan, this.state, this.observe());
      if (move.type === 'wait') return move;
      if (move.type === 'done' && this.state.end) return move;
      this.moves.push(move);
      let resourceVersion: string | undefined;
      if (move.type === 'setWeights' || move.type === 'rollback') {
        this.weights = { ...this.weights, ...move.weights };
        this.resourceVersion += 1;
        resourceVersion = String(this.resourceVersion);
      }
      this.log.push(describe(move));
      this.state = applyStepPlanMove(this.plan, this.state, move, {
        now: at(seconds),
        resourceVersion,
      });
      if (move.type === 'done' || move.type === 'pause') return move;
    }
    throw new Error('the plan did not settle within 20 moves in one tick');
  }

  /** Ticks every `every` seconds from the next tick through `until`. */
  runUntil(until: number, every = 10): void {
    for (let t = this.now + every; t <= until; t += every) this.tick(t);
  }

  command(command: StepPlanCommand, seconds = this.now): void {
    this.now = seconds;
    this.state = applyStepPlanCommand(
      this.plan,
      this.state,
      command,
      at(seconds),
    );
  }

  canaryWeight(): number {
    return this.weights.v2;
  }
}

function describe(move: StepPlanMove): string {
  switch (move.type) {
    case 'setWeights':
      return `setWeights ${move.weights.v2}${
        move.promotion ? ' (promotion)' : ''
      }`;
    case 'analyze':
      return `analyze ${move.result.status}`;
    case 'pause':
      return `pause ${move.reason.kind}`;
    default:
      return move.type;
  }
}
