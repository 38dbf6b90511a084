// The perpetual-futures venue's actions: what agents ask the venue to do. The venue owns its action
// vocabulary (agents/types.ts re-exports it), so the venue imports nothing of the agents. Types only.

/** Buy (positive) or sell (negative) `size` units at market; an optional deposit happens first. */
export interface TradeAction {
  kind: 'trade';
  account: number;
  size: number;
  depositUsd: number;
}
export interface DepositAction {
  kind: 'deposit';
  account: number;
  amountUsd: number;
}
export interface WithdrawAction {
  kind: 'withdraw';
  account: number;
  amountUsd: number;
}
/**
 * A liquidator takes over the liquidatable part of `account` at the oracle price and sells it into the
 * book, with slippage protection: the venue refuses the liquidation if the average fill of that sale
 * would be worse than `worstPriceUsd` (below it when selling a long, above it when buying back a short).
 */
export interface LiquidateAction {
  kind: 'liquidate';
  liquidator: number;
  account: number;
  worstPriceUsd: number;
  /** Keep the taken-over position instead of selling it into the book (the liquidation hunter covers its short with it). Default false. */
  keep?: boolean;
  /** Largest notional to take over, USD (a liquidator whose capacity is below the position takes a part). Default: no limit. */
  maxNotionalUsd?: number;
}
/**
 * A self-matched trade between two accounts (attackers' colluding pair): `buyer` buys `size` (> 0) units
 * from `seller` at the venue's mark price, outside the book.
 */
export interface CrossAction {
  kind: 'cross';
  buyer: number;
  seller: number;
  size: number;
}
/** Market makers set the share of baseline depth they provide (0..1). */
export interface QuoteAction {
  kind: 'quote';
  depthFactor: number;
}

export type Action = TradeAction | DepositAction | WithdrawAction | LiquidateAction | QuoteAction | CrossAction;
