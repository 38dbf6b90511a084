// Governance: timelocked parameter changes scripted in a scenario, checked against risk-steward
// bounds (largest change per update, minimum timelock, minimum time between updates of a
// parameter); and an emergency guardian that pauses the market or liquidations a reaction latency
// after a monitoring detector fires, with an optional liquidation grace period after the unpause
// (Aave style). Decides only; the engine applies the outcome through the venue.
import type { Config } from '../config/index.js';
import { DETECTORS } from './monitor.js';

/** Parameters a governance proposal may change while a run is going. */
export const GOVERNABLE_PATHS = [
  'protocol.maintenanceMarginRate',
  'protocol.initialMarginRate',
  'protocol.liquidationFeeRate',
  'protocol.liquidatorFeeShare',
  'protocol.takerFeeRate',
  'breakers.maxLiquidationNotionalPerStepUsd',
  'breakers.openInterest.maxPerSideUsd',
] as const;
export type GovernablePath = (typeof GOVERNABLE_PATHS)[number];

/** A proposal; `P` is the parameter path type (the perp venue's GovernablePath, or a lending pool's). */
export interface Proposal<P extends string = GovernablePath> {
  step: number;
  path: P;
  value: number;
  delaySteps: number;
}

/** A governance event, for the summary. */
export interface GovernanceEvent {
  step: number;
  path: string;
  value: number;
  outcome: 'queued' | 'refused' | 'applied' | 'rejected-at-execution';
  reason?: string;
  /** Multi-market runs: the market whose parameter it is. */
  market?: string;
}

export class Governance<P extends string = GovernablePath> {
  private readonly queue: { effectiveStep: number; path: P; value: number }[] = [];
  private readonly lastChange = new Map<P, number>();
  readonly events: GovernanceEvent[] = [];
  applied = 0;
  refused = 0;

  constructor(private readonly cfg: Config['governance']) {}

  /** Checks a proposal against the steward bounds; queues it or records the refusal. */
  propose(p: Proposal<P>, current: number): void {
    const cfg = this.cfg;
    const change = Math.abs(p.value - current);
    let reason = '';
    if (p.delaySteps < cfg.minDelaySteps)
      reason = `timelock ${p.delaySteps} steps is below the minimum ${cfg.minDelaySteps}`;
    else if (cfg.maxAbsoluteChange > 0 && change > cfg.maxAbsoluteChange)
      reason = `change ${change} exceeds the maximum ${cfg.maxAbsoluteChange}`;
    else if (cfg.maxRelativeChange > 0 && change > cfg.maxRelativeChange * Math.abs(current))
      reason = `relative change ${change / Math.abs(current)} exceeds the maximum ${cfg.maxRelativeChange}`;
    else {
      const last = this.lastChange.get(p.path);
      if (last !== undefined && p.step + p.delaySteps - last < cfg.minStepsBetweenUpdates)
        reason = `less than ${cfg.minStepsBetweenUpdates} steps since the last change of ${p.path}`;
    }
    if (reason) {
      this.refused++;
      this.events.push({ step: p.step, path: p.path, value: p.value, outcome: 'refused', reason });
      return;
    }
    this.lastChange.set(p.path, p.step + p.delaySteps);
    this.queue.push({ effectiveStep: p.step + p.delaySteps, path: p.path, value: p.value });
    this.events.push({ step: p.step, path: p.path, value: p.value, outcome: 'queued' });
  }

  /** Changes whose timelock ends at `step`, in proposal order; removes them from the queue. */
  due(step: number): { path: P; value: number }[] {
    const out: { path: P; value: number }[] = [];
    for (let k = 0; k < this.queue.length;) {
      if (this.queue[k].effectiveStep <= step) {
        const { path, value } = this.queue.splice(k, 1)[0];
        out.push({ path, value });
      } else k++;
    }
    return out;
  }

  record(step: number, path: P, value: number, ok: boolean, reason?: string): void {
    if (ok) this.applied++;
    else this.refused++;
    this.events.push({ step, path, value, outcome: ok ? 'applied' : 'rejected-at-execution', reason });
  }
}

/** The emergency guardian's decision for a step. */
export interface GuardianState {
  pauseTrading: boolean;
  pauseLiquidations: boolean;
}

export class Guardian {
  private firedAt = -1;
  private pauseUntil = -1;
  private graceUntil = -1;
  pauses = 0;
  readonly pauseSteps: number[] = [];
  private readonly bit: number;

  constructor(private readonly cfg: Config['governance']['guardian']) {
    this.bit = DETECTORS[cfg.trigger];
  }

  /** Feeds the step's alert bitmask (from the monitor of the previous step) and returns what is paused now. */
  decide(step: number, alerts: number): GuardianState {
    const cfg = this.cfg;
    if (!cfg.enabled) return { pauseTrading: false, pauseLiquidations: false };
    if (step >= this.pauseUntil && (alerts & this.bit) !== 0 && this.firedAt < 0) this.firedAt = step;
    if (this.firedAt >= 0 && step >= this.firedAt + cfg.latencySteps && step >= this.pauseUntil) {
      this.pauseUntil = step + cfg.pauseSteps;
      this.graceUntil = this.pauseUntil + cfg.liquidationGraceSteps;
      this.firedAt = -1;
      this.pauses++;
      this.pauseSteps.push(step);
    }
    const paused = step < this.pauseUntil;
    const market = cfg.scope !== 'liquidations';
    const liquidations = cfg.scope !== 'market';
    return {
      pauseTrading: paused && market,
      pauseLiquidations: (paused && liquidations) || (step < this.graceUntil && !paused),
    };
  }
}
