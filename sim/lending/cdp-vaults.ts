// The CDP stablecoin kernel's vaults and books (MakerDAO Vat + Jug + Dog, Liquidations 2.0 style):
// structure-of-arrays vaults (ink, art, ilk), per-ilk rate index and totals, the Vow's system debt
// and surplus, the auction records, the vault operations (lock, free, draw, wipe), the stability fee
// (drip) and the liquidation kick (bark). Auction bidding lives in cdp-auctions.ts and the Vow's
// auctions in cdp-vow.ts. A user or agent mistake is a returned refusal, never an exception; only
// programming errors (an index out of range) throw. It knows nothing of agents, markets or the
// engine, and checks no holder's wallet: the caller makes sure payers hold the stablecoin they pay.
//
// Stablecoin books (units, stablecoin taken as $1): supply + surplus = sum over ilks of Art x rate +
// sin. supply is the stablecoin held outside the system, surplus the Vow's own (Joy), sin the Vow's
// system debt; Maker's Vat identity debt = vice + sum of Art x rate, with the Vow's dai split out.
// Collateral books per ilk (units): locked = ink (all vaults) + held (auctions) + freed + sold +
// returned, where locked, freed, sold (to takers and winners) and returned (to owners) are tallies.
import type { BarkResult, CdpAuction, CdpParams, CdpRefusal } from './cdp-types.js';

/** Seconds in a year, for the per-year stability fee (365 days). */
export const CDP_YEAR_SECONDS = 365 * 24 * 3600;

/** Relative tolerance of the books' identities (of the turnover, the sum of all amounts moved). */
export const CDP_BOOKS_TOLERANCE = 1e-9;

/** The CDP system's state, its vault operations, drip and bark, and the conservation checks. */
export class CdpVaults {
  readonly params: CdpParams;
  readonly vaults: number;
  readonly ilks: number;
  /** The OSM price per ilk, USD per collateral unit (the protocol writes it; starts at 1). */
  readonly priceUsd: Float64Array;
  /** Time now, seconds (the auctions' clock; the caller sets it with setTime). */
  nowSeconds = 0;
  /** Per vault: its ilk index. */
  readonly ilkOf: Int32Array;
  /** Per vault: locked collateral, units (ink). */
  readonly ink: Float64Array;
  /** Per vault: normalized debt (art; x rate = stablecoin owed). */
  readonly art: Float64Array;
  /** Per vault: collateral returned by finished auctions to the owner (outside the vault), units. */
  readonly returnedToOwner: Float64Array;
  /** Per ilk: stability-fee index, stablecoin per normalized debt unit (rate, starts at 1). */
  readonly rate: Float64Array;
  /** Per ilk: total normalized debt (Art). */
  readonly Art: Float64Array;
  /** Per ilk: total locked collateral, units. */
  readonly inkTotal: Float64Array;
  /** Per ilk: tabs of auctions in flight, stablecoin units (dirt). */
  readonly dirt: Float64Array;
  /** Per ilk: collateral held by running auctions, units. */
  readonly collateralHeld: Float64Array;
  /** Per ilk: breaker level 0..3 (Clipper stopped: 1 no kicks, 2 also no redo, 3 also no take). */
  readonly stopped: Uint8Array;
  /** Per ilk tallies of collateral, units: locked in, freed out, sold to buyers, returned to owners. */
  readonly lockedUnits: Float64Array;
  readonly freedUnits: Float64Array;
  readonly soldUnits: Float64Array;
  readonly returnedUnits: Float64Array;
  /** Per ilk: sum of the collateral amounts moved (the collateral identity's tolerance scale), units. */
  readonly collateralTurnover: Float64Array;
  /** Global tabs of auctions in flight, stablecoin units (Dirt). */
  Dirt = 0;
  /** Stablecoin held outside the system (minted by draws and incentives), units. */
  supply = 0;
  /** The Vow's system debt (Sin; bad debt once no auction will raise it), stablecoin units. */
  sin = 0;
  /** The Vow's surplus (Joy), stablecoin units. */
  surplus = 0;
  /** Governance tokens minted by debt auctions (dilution) and burned by surplus auctions, units. */
  govMinted = 0;
  govBurned = 0;
  /** Sum of the stablecoin amounts moved (the stablecoin identity's tolerance scale), units. */
  turnover = 0;
  /** Every auction kicked, by id (finished ones stay, inactive). */
  readonly auctions: CdpAuction[] = [];

  /**
   * @param params the system's rules (1..64 ilks)
   * @param vaultIlks the ilk of each vault (indices 0..vaultIlks.length-1), fixed for the run
   */
  constructor(params: CdpParams, vaultIlks: ArrayLike<number>) {
    const n = params.ilks.length;
    if (n === 0 || n > 64) throw new Error(`CdpVaults: 1..64 ilks expected, got ${n}`);
    for (const ilk of params.ilks)
      if (!(ilk.liquidationRatio > 1)) throw new Error(`CdpVaults: ilk ${ilk.name}: mat must be > 1`);
    this.params = params;
    this.ilks = n;
    this.vaults = vaultIlks.length;
    this.ilkOf = new Int32Array(this.vaults);
    for (let v = 0; v < this.vaults; v++) {
      const i = vaultIlks[v];
      if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new Error(`CdpVaults: vault ${v}: ilk ${i} out of range`);
      this.ilkOf[v] = i;
    }
    this.priceUsd = new Float64Array(n).fill(1);
    this.ink = new Float64Array(this.vaults);
    this.art = new Float64Array(this.vaults);
    this.returnedToOwner = new Float64Array(this.vaults);
    this.rate = new Float64Array(n).fill(1);
    this.Art = new Float64Array(n);
    this.inkTotal = new Float64Array(n);
    this.dirt = new Float64Array(n);
    this.collateralHeld = new Float64Array(n);
    this.stopped = new Uint8Array(n);
    this.lockedUnits = new Float64Array(n);
    this.freedUnits = new Float64Array(n);
    this.soldUnits = new Float64Array(n);
    this.returnedUnits = new Float64Array(n);
    this.collateralTurnover = new Float64Array(n);
  }

  /** Throws on a vault index out of range (a programming error, not a refusal). */
  protected check(vault: number): void {
    if (!(Number.isInteger(vault) && vault >= 0 && vault < this.vaults))
      throw new Error(`CdpVaults: vault ${vault} out of range`);
  }

  /** Throws on an ilk index out of range. */
  checkIlk(ilk: number): void {
    if (!(Number.isInteger(ilk) && ilk >= 0 && ilk < this.ilks)) throw new Error(`CdpVaults: ilk ${ilk} out of range`);
  }

  /** Sets the auctions' clock, seconds (it never runs backwards). */
  setTime(seconds: number): void {
    if (!(seconds >= this.nowSeconds)) throw new Error(`CdpVaults: time ${seconds} before ${this.nowSeconds}`);
    this.nowSeconds = seconds;
  }

  /** The vault's debt now, stablecoin units (art x rate). */
  debtOf(vault: number): number {
    this.check(vault);
    return this.art[vault] * this.rate[this.ilkOf[vault]];
  }

  /**
   * Whether the vault is safe at `spotPriceUsd` (the OSM price the protocol passes; the stored one by
   * default): ink x price / mat >= art x rate. A vault without debt is safe.
   */
  isSafe(vault: number, spotPriceUsd = this.priceUsd[this.ilkOf[vault]]): boolean {
    this.check(vault);
    const p = this.params.ilks[this.ilkOf[vault]];
    return (this.ink[vault] * spotPriceUsd) / p.liquidationRatio >= this.art[vault] * this.rate[this.ilkOf[vault]];
  }

  /** Locks `units` of collateral into the vault (open and lock are the same); refused 'empty'. */
  lock(vault: number, units: number): CdpRefusal | undefined {
    this.check(vault);
    if (!(units > 0)) return 'empty';
    const i = this.ilkOf[vault];
    this.ink[vault] += units;
    this.inkTotal[i] += units;
    this.lockedUnits[i] += units;
    this.collateralTurnover[i] += units;
    return undefined;
  }

  /** Alias of lock: opening a vault is locking its first collateral. */
  open(vault: number, units: number): CdpRefusal | undefined {
    return this.lock(vault, units);
  }

  /** Frees `units` of collateral to the owner; refused 'empty', 'no-collateral' (more than ink), 'unsafe' after. */
  free(vault: number, units: number): CdpRefusal | undefined {
    this.check(vault);
    if (!(units > 0)) return 'empty';
    if (units > this.ink[vault]) return 'no-collateral';
    const i = this.ilkOf[vault];
    const left = units === this.ink[vault] ? 0 : this.ink[vault] - units;
    const mat = this.params.ilks[i].liquidationRatio;
    if ((left * this.priceUsd[i]) / mat < this.art[vault] * this.rate[i]) return 'unsafe';
    this.ink[vault] = left;
    this.inkTotal[i] -= units;
    this.freedUnits[i] += units;
    this.collateralTurnover[i] += units;
    return undefined;
  }

  /** Mints `stableUnits` of new debt to the owner; refused 'empty', 'unsafe' after, 'dust' (debt after < dust). */
  draw(vault: number, stableUnits: number): CdpRefusal | undefined {
    this.check(vault);
    if (!(stableUnits > 0)) return 'empty';
    const i = this.ilkOf[vault];
    const p = this.params.ilks[i];
    const dart = stableUnits / this.rate[i];
    const debtAfter = (this.art[vault] + dart) * this.rate[i];
    if ((this.ink[vault] * this.priceUsd[i]) / p.liquidationRatio < debtAfter) return 'unsafe';
    if (debtAfter < p.dustUsd) return 'dust';
    this.art[vault] += dart;
    this.Art[i] += dart;
    this.supply += stableUnits;
    this.turnover += stableUnits;
    return undefined;
  }

  /**
   * Burns up to `stableUnits` of the owner's stablecoin against the vault's debt (more than the debt
   * repays it all); refused 'empty', 'no-debt', 'dust' (a remainder other than 0 below dust).
   * Returns the stablecoin burned.
   */
  wipe(vault: number, stableUnits: number): number | CdpRefusal {
    this.check(vault);
    if (!(stableUnits > 0)) return 'empty';
    const i = this.ilkOf[vault];
    const debt = this.art[vault] * this.rate[i];
    if (!(debt > 0)) return 'no-debt';
    if (stableUnits >= debt) {
      // Clearing the debt outright leaves no float residue of normalized debt behind.
      this.Art[i] -= this.art[vault];
      this.art[vault] = 0;
      this.supply -= debt;
      this.turnover += debt;
      return debt;
    }
    if (debt - stableUnits < this.params.ilks[i].dustUsd) return 'dust';
    const dart = stableUnits / this.rate[i];
    this.art[vault] -= dart;
    this.Art[i] -= dart;
    this.supply -= stableUnits;
    this.turnover += stableUnits;
    return stableUnits;
  }

  /**
   * One step of stability fee on every ilk (O(ilks), no per-vault work): rate x= (1 + fee)^(step /
   * year), Maker's per-second compounding of duty; the fee accrued, Art x the rate's rise, is minted
   * to the surplus.
   */
  drip(): void {
    for (let i = 0; i < this.ilks; i++) {
      const g = Math.pow(1 + this.params.ilks[i].stabilityFeePerYear, this.params.stepSeconds / CDP_YEAR_SECONDS);
      const rise = this.rate[i] * (g - 1);
      this.rate[i] += rise;
      const fee = this.Art[i] * rise;
      this.surplus += fee;
      this.turnover += Math.abs(fee);
    }
  }

  /**
   * Stablecoin paid into the Vow (by takes, bids and debt auctions): it burns against the system
   * debt first, the rest (the penalty once the debt is covered) adds to the surplus.
   */
  payToVow(units: number): void {
    const burn = Math.min(units, Math.max(0, this.sin));
    this.sin -= burn;
    this.surplus += units - burn;
    this.supply -= units;
    this.turnover += units;
  }

  /**
   * Keeper incentive minted to a kicker or redoer: Maker's vat.suck, so it adds to the system debt
   * (sin) rather than leaving the surplus; the Vow's heal pays it from the surplus later.
   */
  payIncentive(units: number): void {
    if (!(units > 0)) return;
    this.sin += units;
    this.supply += units;
    this.turnover += units;
  }

  /** Hands `units` of an auction's collateral to a buyer (out of the system). */
  sellCollateral(a: CdpAuction, units: number): void {
    a.lot = a.lot - units <= 0 ? 0 : a.lot - units;
    this.collateralHeld[a.ilk] -= units;
    this.soldUnits[a.ilk] += units;
    this.collateralTurnover[a.ilk] += units;
  }

  /** Returns the rest of an auction's collateral to the vault owner (out of the system, Maker's gem). */
  returnCollateral(a: CdpAuction, units: number): void {
    if (!(units > 0)) return;
    a.lot = a.lot - units <= 0 ? 0 : a.lot - units;
    this.collateralHeld[a.ilk] -= units;
    this.returnedUnits[a.ilk] += units;
    this.returnedToOwner[a.vault] += units;
    this.collateralTurnover[a.ilk] += units;
  }

  /** Lowers an auction's share of the in-flight sums by `units` (Maker's dog.digs). */
  digs(a: CdpAuction, units: number): void {
    const d = Math.min(units, a.dirt);
    a.dirt -= d;
    this.dirt[a.ilk] -= d;
    this.Dirt -= d;
  }

  /** Ends an auction: what it still adds to dirt goes, any lot left returns to the owner. */
  finish(a: CdpAuction): void {
    this.digs(a, a.dirt);
    this.returnCollateral(a, a.lot);
    a.active = false;
  }

  /**
   * Liquidates an unsafe vault into an auction (Maker Dog.bark) at `priceUsd` (the OSM price; the
   * stored one by default). dart = min(art, room / (rate x chop)), room = min(Hole - Dirt, hole -
   * dirt); the whole vault when the remainder would be below dust (even beyond the room, as Maker
   * does); tab = dart x rate x chop; collateral dink = ink x dart / art. The debt dart x rate moves to
   * sin at the kick; a Dutch kick mints the keeper incentive tip + tab x chip (payIncentive); dirt
   * and Dirt rise by the tab. Refused, in this order: 'stopped' (breaker >= 1), 'safe' (or price <=
   * 0), 'liquidation-limit' (no room), 'dust-room' (the room forces a partial below dust),
   * 'null-auction' (no collateral taken).
   */
  bark(vault: number, priceUsd = this.priceUsd[this.ilkOf[vault]]): BarkResult | CdpRefusal {
    this.check(vault);
    const i = this.ilkOf[vault];
    const p = this.params.ilks[i];
    if (this.stopped[i] >= 1) return 'stopped';
    const art = this.art[vault];
    const rate = this.rate[i];
    if (!(priceUsd > 0) || !(art > 0) || this.isSafe(vault, priceUsd)) return 'safe';
    const room = Math.min(this.params.Hole - this.Dirt, p.hole - this.dirt[i]);
    if (!(room > 0)) return 'liquidation-limit';
    let dart = Math.min(art, room / (rate * p.chop));
    if (art > dart) {
      if ((art - dart) * rate < p.dustUsd) dart = art;
      else if (dart * rate < p.dustUsd) return 'dust-room';
    }
    const ink = this.ink[vault];
    const dink = dart === art ? ink : (ink * dart) / art;
    if (!(dink > 0)) return 'null-auction';
    const due = dart * rate;
    const tab = due * p.chop;
    this.art[vault] = dart === art ? 0 : art - dart;
    this.Art[i] -= dart;
    this.ink[vault] = dart === art ? 0 : ink - dink;
    this.inkTotal[i] -= dink;
    this.collateralHeld[i] += dink;
    this.collateralTurnover[i] += dink;
    this.sin += due;
    this.turnover += due;
    this.dirt[i] += tab;
    this.Dirt += tab;
    const au = p.auction;
    const id = this.auctions.length;
    this.auctions.push({
      id,
      kind: au.kind,
      ilk: i,
      vault,
      active: true,
      due,
      tab,
      lot: dink,
      dirt: tab,
      paid: 0,
      top: au.kind === 'dutch' ? priceUsd * au.buf : 0,
      startSeconds: this.nowSeconds,
      bid: 0,
      hasBid: false,
      bidExpirySeconds: Infinity,
      endSeconds: au.kind === 'english' ? this.nowSeconds + au.auctionLengthSeconds : Infinity,
    });
    const incentive = au.kind === 'dutch' ? au.tip + tab * au.chip : 0;
    this.payIncentive(incentive);
    return { auction: id, dart, dink, due, tab, incentive };
  }

  // --- conservation ---

  /** Sum over ilks of Art x rate: the vaults' debt, stablecoin units. */
  vaultDebtUnits(): number {
    let d = 0;
    for (let i = 0; i < this.ilks; i++) d += this.Art[i] * this.rate[i];
    return d;
  }

  /**
   * The books in USD at `priceUsd` (per ilk; the stored OSM prices by default), from running totals
   * (O(ilks)): heldUsd = vault debt + sin - surplus + sum of P x (ink + held), what the books say is
   * outstanding; externalUsd = supply + sum of P x (locked - freed - sold - returned), what came in
   * from outside less what left. Equal when both identities hold; scaleUsd sizes the tolerance.
   */
  balance(priceUsd: ArrayLike<number> = this.priceUsd): { heldUsd: number; externalUsd: number; scaleUsd: number } {
    let held = this.vaultDebtUnits() + this.sin - this.surplus;
    let external = this.supply;
    let scale = this.turnover + Math.abs(this.supply) + this.sin + this.surplus;
    for (let i = 0; i < this.ilks; i++) {
      const p = priceUsd[i];
      held += p * (this.inkTotal[i] + this.collateralHeld[i]);
      external += p * (this.lockedUnits[i] - this.freedUnits[i] - this.soldUnits[i] - this.returnedUnits[i]);
      scale += p * (this.collateralTurnover[i] + this.lockedUnits[i]);
    }
    return { heldUsd: held, externalUsd: external, scaleUsd: Math.max(1, scale) };
  }

  /**
   * What is wrong with the books, or undefined (to 1e-9 of the turnover): supply + surplus = vault
   * debt + sin; per ilk locked = ink + held + freed + sold + returned; held = the running auctions'
   * lots; dirt = their in-flight tabs, Dirt = sum of dirt; sin, surplus, held, dirt not negative.
   * With `full` (default), also O(vaults): the vaults' ink and art sum to the totals, none negative.
   * Supply is not required to stay >= 0: the kernel holds no wallets, so the caller keeps payers honest.
   */
  violation(full = true): string | undefined {
    const tol = CDP_BOOKS_TOLERANCE * (1 + this.turnover);
    const gap = this.supply + this.surplus - this.vaultDebtUnits() - this.sin;
    if (!(Math.abs(gap) <= tol)) return `supply + surplus - vault debt - sin = ${gap}`;
    if (!(this.sin >= -tol)) return `negative sin ${this.sin}`;
    if (!(this.surplus >= -tol)) return `negative surplus ${this.surplus}`;
    const lots = new Float64Array(this.ilks);
    const dirts = new Float64Array(this.ilks);
    for (const a of this.auctions) {
      if (!a.active) continue;
      if (!(a.lot >= 0 && a.tab >= -tol && a.dirt >= -tol)) return `auction ${a.id}: negative lot, tab or dirt`;
      lots[a.ilk] += a.lot;
      dirts[a.ilk] += a.dirt;
    }
    let dirtSum = 0;
    for (let i = 0; i < this.ilks; i++) {
      const name = this.params.ilks[i].name;
      const ctol = CDP_BOOKS_TOLERANCE * (1 + this.collateralTurnover[i]);
      const c =
        this.lockedUnits[i] -
        this.freedUnits[i] -
        this.soldUnits[i] -
        this.returnedUnits[i] -
        this.inkTotal[i] -
        this.collateralHeld[i];
      if (!(Math.abs(c) <= ctol)) return `ilk ${name}: locked - freed - sold - returned - ink - held = ${c}`;
      if (!(Math.abs(this.collateralHeld[i] - lots[i]) <= ctol))
        return `ilk ${name}: held ${this.collateralHeld[i]} != auctions' lots ${lots[i]}`;
      if (!(Math.abs(this.dirt[i] - dirts[i]) <= tol)) return `ilk ${name}: dirt ${this.dirt[i]} != ${dirts[i]}`;
      if (!(this.dirt[i] >= -tol && this.collateralHeld[i] >= -ctol)) return `ilk ${name}: negative dirt or held`;
      dirtSum += this.dirt[i];
    }
    if (!(Math.abs(this.Dirt - dirtSum) <= tol)) return `Dirt ${this.Dirt} != sum of dirt ${dirtSum}`;
    if (!full) return undefined;
    const sumInk = new Float64Array(this.ilks);
    const sumArt = new Float64Array(this.ilks);
    for (let v = 0; v < this.vaults; v++) {
      if (!(this.ink[v] >= 0 && this.art[v] >= 0)) return `vault ${v}: negative ink or art`;
      sumInk[this.ilkOf[v]] += this.ink[v];
      sumArt[this.ilkOf[v]] += this.art[v];
    }
    for (let i = 0; i < this.ilks; i++) {
      const name = this.params.ilks[i].name;
      if (!(Math.abs(sumInk[i] - this.inkTotal[i]) <= CDP_BOOKS_TOLERANCE * (1 + this.collateralTurnover[i])))
        return `ilk ${name}: vaults' ink ${sumInk[i]} != total ${this.inkTotal[i]}`;
      if (!(Math.abs(sumArt[i] - this.Art[i]) <= tol))
        return `ilk ${name}: vaults' art ${sumArt[i]} != Art ${this.Art[i]}`;
    }
    return undefined;
  }
}
