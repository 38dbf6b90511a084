// The attack part of a run report (README "Attacks"): the headline figures of a run with attackers
// (profit and ROI, protocol loss) and the attack-accounting table of summary.json's `attack` block.
// Reads the parsed summary only; draws no chart and computes no statistic.
import { figureHtml, tableHtml } from './page.js';
import { formatValue, type Unit } from './ticks.js';

/** Meaning of the terms of summary.json's `attack` block (README "Attacks"). */
const ATTACK_DOC: Record<string, string> = {
  capitalUsd: "the attackers' total capital, USD",
  depositedUsd: 'collateral deposited into their venue accounts, USD',
  withdrawnUsd: 'collateral withdrawn from them, USD',
  endEquityUsd: 'positive equity left in their accounts at the end, USD',
  spotPaidUsd: 'USD paid to the spot pool',
  spotReceivedUsd: 'USD received from the spot pool',
  spotUnits: 'spot units still held',
  spotValueUsd: 'those units at the final index price, USD',
  profitUsd: "the attackers' gain, USD",
  costUsd: 'fees and slippage they paid (venue and spot pool), USD',
  roi: 'profit over capital',
  counterpartyLossUsd: 'loss of every other venue account (walk-away value), USD',
  lpLossUsd: "the spot pool's liquidity providers' and arbitrageurs' loss, USD",
  venueLossUsd: 'insurance drawdown + unresolved and latent bad debt - fee revenue, USD',
};

/**
 * The attackers' figures and the attack-accounting section (an `<h2 id="attack">` and its table),
 * when the run had attackers (summary.json has an `attack` object); none and '' otherwise. The
 * section is '' too when the block holds no number.
 */
export function attackParts(summary: Readonly<Record<string, unknown>>): { figures: string[]; section: string } {
  const attack =
    summary.attack !== null && typeof summary.attack === 'object' ? (summary.attack as Record<string, unknown>) : null;
  if (!attack) return { figures: [], section: '' };
  const s = (k: string): number => (typeof summary[k] === 'number' ? (summary[k] as number) : NaN);
  const figures = [
    figureHtml(
      'attack profit (ROI)',
      `${formatValue(s('attack_profit_usd'), 'usd')} (${formatValue(100 * s('attack_roi'), 'pct')})`,
      s('attack_profit_usd') > 0,
    ),
    figureHtml('protocol loss', formatValue(s('protocol_loss_usd'), 'usd'), s('protocol_loss_usd') > 0),
  ];
  const attackRows = Object.entries(attack)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => {
      const unit: Unit = k === 'roi' ? 'fraction' : k === 'spotUnits' ? 'plain' : 'usd';
      return [
        { text: k, cls: 'text' },
        { text: formatValue(v as number, unit), sort: v as number, title: String(v) },
        { text: ATTACK_DOC[k] ?? '', cls: 'text' },
      ];
    });
  const section = attackRows.length
    ? `<h2 id="attack">Attack accounting</h2><p class="note">The attackers' gain and where it came from (README "Attacks"): profit = withdrawn + end equity - deposited + spot received - spot paid + spot value, and it equals the counterparties' + liquidity providers' + venue's losses within the conservation tolerance.</p>${tableHtml([{ text: 'term', cls: 'text' }, 'value', { text: 'meaning', cls: 'text' }], attackRows, { id: 'attack-table' })}`
    : '';
  return { figures, section };
}
