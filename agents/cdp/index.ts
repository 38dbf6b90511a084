// The CDP family's agent populations (issue 16): the vault owners (one decider for all owner vaults),
// one decider per auction keeper, and one per attacker in cdp.attackers order. It wires the config's
// parameters and the run's named streams into them; the protocol (sim/lending/cdp-protocol.ts) calls
// it and runs the deciders. No state of its own, no mutation of anything it is given.
import type { Decider } from '../../sim/core/protocol.js';
import type { Stream } from '../../sim/core/rng.js';
import type { CdpConfig } from '../../sim/config/cdp.js';
import type { CdpAction, CdpView } from '../../sim/lending/cdp-run-types.js';
import { PegAttacker, ZeroBidder } from './attackers.js';
import { CdpKeeper } from './keepers.js';
import { VaultOwners } from './owners.js';

/** The owners' stream name. */
const OWNERS_STREAM = 'vault-owners';
/** Keeper k's stream name. */
const keeperStream = (k: number): string => `keeper.${k}`;

/**
 * The run's CDP agents. Vaults 0..ownerVaults-1 are the owners' (all of ilk `ownerIlk`), managed[v] = 1
 * for a managed one; `stream(name)` gives the run's stream of that name ('vault-owners', 'keeper.k').
 */
export function buildCdpAgents(s: {
  cfg: CdpConfig;
  ownerVaults: number;
  ownerIlk: number;
  managed: Uint8Array;
  stream(name: string): Stream;
}): {
  owners: Decider<CdpView, CdpAction>[];
  keepers: Decider<CdpView, CdpAction>[];
  attackers: Decider<CdpView, CdpAction>[];
} {
  const { cfg } = s;
  const owners = [new VaultOwners(cfg.vaultOwners, s.ownerVaults, s.ownerIlk, s.managed, s.stream(OWNERS_STREAM))];
  const keepers: Decider<CdpView, CdpAction>[] = [];
  for (let k = 0; k < cfg.keepers.count; k++) keepers.push(new CdpKeeper(cfg.keepers, k, s.stream(keeperStream(k))));
  const attackers = cfg.attackers.map((a, m): Decider<CdpView, CdpAction> =>
    a.kind === 'zero-bidder' ? new ZeroBidder(a, m) : new PegAttacker(a, m),
  );
  return { owners, keepers, attackers };
}
