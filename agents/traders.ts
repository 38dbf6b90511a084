// Leveraged traders: the initial book of open positions (heavy-tailed size, lognormal leverage,
// long/short mix, entry prices spread around the start price) and ongoing activity by noise and
// momentum traders arriving as a Poisson process. Idle traders cost nothing per step.
import type { Config } from '../sim/config/index.js';
import type { PerpVenue } from '../sim/perp/perp-venue.js';
import type { Stream } from '../sim/core/rng.js';
import type { Action, Agent, WorldView } from './types.js';

type TraderConfig = Config['agents']['traders'];

function drawNotional(cfg: TraderConfig, rng: Stream): number {
  return Math.min(cfg.notionalMaxUsd, rng.pareto(cfg.notionalMinUsd, cfg.notionalTailIndex));
}

function drawLeverage(cfg: TraderConfig, maxLeverage: number, rng: Stream): number {
  const lev = cfg.leverageMedian * Math.exp(cfg.leverageDispersion * rng.normal());
  return Math.min(Math.max(lev, 1), 0.98 * maxLeverage);
}

/**
 * Opens the initial book: each trader gets a position against the makers at an entry drawn around
 * the start price, and collateral so that its equity at the start price is notional / leverage.
 */
export function seedInitialBook(
  venue: PerpVenue,
  traderIds: readonly number[],
  cfg: TraderConfig,
  priceUsd: number,
  rng: Stream,
  /** Open-interest cap per side the initial book respects, USD; 0: none. */
  capUsd = 0,
): void {
  const maxLeverage = 1 / venue.initialMarginRate;
  // Open interest per side so far (USD at the start price), against the cap when it applies to the initial book.
  const cap = capUsd > 0 ? capUsd : Infinity;
  let longUsd = 0;
  let shortUsd = 0;
  for (const i of traderIds) {
    const notional = drawNotional(cfg, rng);
    const leverage = drawLeverage(cfg, maxLeverage, rng);
    const side = rng.uniform() < cfg.longShare ? 1 : -1;
    const entry = priceUsd * Math.exp(cfg.entrySpreadLog * rng.normal());
    const size = (side * notional) / priceUsd;
    const unrealized = size * (priceUsd - entry);
    // Collateral cannot be negative: a trader deep in profit still posts a small margin of its own.
    const collateral = Math.max(notional / leverage - unrealized, 0.01 * notional);
    venue.deposit(i, collateral);
    if (side > 0 ? longUsd + notional > cap : shortUsd + notional > cap) continue;
    if (side > 0) longUsd += notional;
    else shortUsd += notional;
    venue.openGenesisPosition(i, size, entry);
  }
}

/** Noise and momentum traders: `arrivalsPerStep` arrivals on average, each a random trader account. */
export class TraderPopulation implements Agent {
  readonly name = 'traders';
  private readonly maxLeverage: number;

  constructor(
    private readonly cfg: TraderConfig,
    private readonly traderIds: readonly number[],
    private readonly rng: Stream,
    initialMarginRate: number,
  ) {
    this.maxLeverage = 1 / initialMarginRate;
  }

  decide(view: WorldView, out: Action[]): void {
    const cfg = this.cfg;
    if (this.traderIds.length === 0) return;
    const rng = this.rng;
    const arrivals = rng.poisson(cfg.arrivalsPerStep);
    const venue = view.venue;
    const p = venue.oraclePriceUsd;
    const mark = view.market.markPriceUsd;
    for (let k = 0; k < arrivals; k++) {
      const i = this.traderIds[rng.int(this.traderIds.length)];
      const u = rng.uniform();
      const q = venue.accounts.size[i];
      const equity = venue.equity(i);
      const notional = Math.abs(q) * p;
      if (q !== 0 && equity < cfg.topUpTriggerRatio * venue.maintenanceRateFor(i) * notional) {
        if (u < cfg.topUpProbability)
          out.push({ kind: 'deposit', account: i, amountUsd: venue.initialRateFor(i) * notional - equity });
        continue;
      }
      if (q !== 0 && u < cfg.closeProbability) {
        out.push({ kind: 'trade', account: i, size: -q, depositUsd: 0 });
        continue;
      }
      if (u > 1 - cfg.withdrawProbability) {
        const spare = Math.min(venue.accounts.cash[i], equity - 1.5 * venue.initialRateFor(i) * notional);
        if (spare > 0) out.push({ kind: 'withdraw', account: i, amountUsd: spare });
        continue;
      }
      let side: number;
      if (rng.uniform() < cfg.momentumShare) {
        const past = view.markAt(view.step - cfg.momentumLookbackSteps);
        side = Math.sign(mark - past);
        if (side === 0) continue;
      } else side = rng.uniform() < cfg.longShare ? 1 : -1;
      const tradeNotional = cfg.tradeSizeScale * drawNotional(cfg, rng);
      const leverage = drawLeverage(cfg, this.maxLeverage, rng);
      const size = (side * tradeNotional) / mark;
      const after = Math.abs(q + size) * p;
      const deposit = Math.max(0, after / leverage - equity);
      out.push({ kind: 'trade', account: i, size, depositUsd: deposit });
    }
  }
}
