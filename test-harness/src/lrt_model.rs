//! The reference model of the LRT vault's share and NAV accounting, written from the vault's
//! documented semantics (`audits/SPEC.md` §13, `ILrtVault` in `interfaces/solidity/Ferrostake.sol`,
//! ERC-4626 and ERC-7540), independent of the contract code. The property suite
//! (`tests/model_vs_chain_native.rs`) runs the same actions on the devnode and here.
//!
//! - Prices: ERC-4626 with a virtual offset, `shares = ⌊assets · (supply + 1000) / (nav + 1)⌋`,
//!   `assets = ⌊shares · (nav + 1) / (supply + 1000)⌋` (rounding in the vault's favour), where
//!   `nav = totalAssets` and `supply` includes the shares escrowed by pending requests (they bear
//!   slashing until finalized). `rate = assets(1e18)`.
//! - NAV: *live* = value of the restaked shares (withdrawable + queued, after slashing) + booked
//!   idle assets − liabilities (finalized, unclaimed payouts); *booked* moves with deposits and
//!   finalizations and jumps to live only at `syncNav` — down without limit, up by at most
//!   `max_sync_increase_bips`; `totalAssets = min(live, booked)`. Idle assets are booked, not read
//!   from the token balance, so a donation is invisible until a sync books it.
//! - Redemptions (ERC-7540): `requestRedeem` escrows shares and records their value at request;
//!   finalization burns them and pays `min(value at request, value at finalization)`, booked as a
//!   liability and claimable by the controller; a claim of `s` of the controller's claimable shares
//!   pays `⌊s · assets / shares⌋` of its claimable pair.
//!
//! - Performance fee (at `syncNav` only): when the rate after the sync exceeds the high-water mark
//!   `hwm` (initially the empty vault's rate), `fee = ⌊⌊(rate − hwm) · supply / 1e18⌋ · fee_bps /
//!   10⁴⌋` of assets is minted to the treasury as `⌊fee · (supply + 1000) / (nav + 1 − fee)⌋`
//!   shares (the NAV does not move), and the mark moves up to the rate after that mint (the price
//!   the holders keep, net of the fee); below the mark nothing is charged (a slashed vault earns
//!   no fee until it has recovered).

use alloy_primitives::{Address, U256};
use std::collections::BTreeMap;

/// The vault's virtual shares (ERC-4626 inflation-attack offset).
pub const VIRTUAL_SHARES: u64 = 1_000;

/// Why the model refuses a vault action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LrtRefusal {
    /// Zero assets in.
    ZeroAssets,
    /// The action would mint, burn or move zero shares.
    ZeroShares,
    /// Fewer shares than the minimum request (or more than the maximum).
    RequestSizeOutOfBounds,
    /// The owner holds fewer shares than asked for.
    InsufficientBalance,
    /// Idle assets net of liabilities do not cover the action.
    InsufficientLiquidity {
        /// Idle − liabilities.
        available: U256,
        /// What the action needs.
        needed: U256,
    },
    /// No such request to finalize, or already finalized.
    RequestNotFinalizable,
    /// A sync would raise the booked NAV by more than allowed.
    SyncMoveTooLarge {
        /// Booked NAV before.
        previous: U256,
        /// Live NAV the sync would book.
        new: U256,
    },
}

/// A redemption request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LrtRequest {
    /// Its controller (and owner).
    pub controller: Address,
    /// Escrowed shares.
    pub shares: U256,
    /// Their value when requested.
    pub assets_at_request: U256,
    /// Finalized (shares burned, payout booked as a liability).
    pub finalized: bool,
    /// The payout fixed at finalization.
    pub payout: U256,
}

/// The vault's state.
#[derive(Clone, Debug, Default)]
pub struct LrtModel {
    /// Share balances (escrowed shares are not the owner's any more).
    pub balances: BTreeMap<Address, U256>,
    /// Total supply, escrowed shares included.
    pub supply: U256,
    /// Booked NAV.
    pub booked: U256,
    /// Booked idle assets.
    pub idle: U256,
    /// Finalized, unclaimed payouts.
    pub liabilities: U256,
    /// Requests by id (ids start at 1).
    pub requests: BTreeMap<u64, LrtRequest>,
    /// Claimable (shares, assets) per controller.
    pub claimable: BTreeMap<Address, (U256, U256)>,
    /// Smallest request in shares.
    pub min_request: U256,
    /// Largest sync increase, in bips of the booked NAV.
    pub max_sync_increase_bips: u64,
    /// Performance fee, in bips of the rate's gain above the high-water mark.
    pub fee_bips: u64,
    /// High-water mark of the rate.
    pub hwm: U256,
    /// Who receives the fee shares.
    pub treasury: Address,
}

impl LrtModel {
    /// An empty vault (no performance fee; see [`LrtModel::with_fee`]).
    pub fn new(min_request: U256, max_sync_increase_bips: u64) -> Self {
        let mut m = Self {
            min_request,
            max_sync_increase_bips,
            ..Default::default()
        };
        m.hwm = m.rate(U256::ZERO);
        m
    }

    /// Charges `fee_bips` of the gains above the high-water mark to `treasury`.
    pub fn with_fee(mut self, fee_bips: u64, treasury: Address) -> Self {
        self.fee_bips = fee_bips;
        self.treasury = treasury;
        self
    }

    /// Live NAV given the value of the restaked shares (underlying of withdrawable + queued).
    pub fn live(&self, restaked_value: U256) -> U256 {
        (restaked_value + self.idle).saturating_sub(self.liabilities)
    }

    /// `totalAssets = min(live, booked)`.
    pub fn total_assets(&self, restaked_value: U256) -> U256 {
        self.live(restaked_value).min(self.booked)
    }

    /// Shares for `assets` at `nav`, rounded down.
    pub fn to_shares(&self, assets: U256, nav: U256) -> U256 {
        assets * (self.supply + U256::from(VIRTUAL_SHARES)) / (nav + U256::from(1u8))
    }

    /// Assets for `shares` at `nav`, rounded down.
    pub fn to_assets(&self, shares: U256, nav: U256) -> U256 {
        shares * (nav + U256::from(1u8)) / (self.supply + U256::from(VIRTUAL_SHARES))
    }

    /// `getRate()`: assets per 1e18 shares.
    pub fn rate(&self, nav: U256) -> U256 {
        self.to_assets(U256::from(1_000_000_000_000_000_000u64), nav)
    }

    /// Shares of `who`.
    pub fn balance(&self, who: Address) -> U256 {
        self.balances.get(&who).copied().unwrap_or_default()
    }

    /// The NAV deposits are priced at: never below the measured value, `restaked + balance −
    /// liabilities` where `balance` is the vault's token balance (donations included), so a gain
    /// not yet synced is not sold below its value; a loss counts at once (`totalAssets` when lower
    /// cannot happen with `balance ≥ idle`, kept for clarity).
    pub fn deposit_nav(&self, restaked_value: U256, balance: U256) -> U256 {
        let measured = (restaked_value + balance).saturating_sub(self.liabilities);
        measured.max(self.total_assets(restaked_value))
    }

    /// `deposit(assets, receiver)` with the vault holding `balance` of the asset: the shares
    /// minted.
    pub fn deposit(
        &mut self,
        receiver: Address,
        assets: U256,
        restaked_value: U256,
        balance: U256,
    ) -> Result<U256, LrtRefusal> {
        if assets.is_zero() {
            return Err(LrtRefusal::ZeroAssets);
        }
        let shares = self.to_shares(assets, self.deposit_nav(restaked_value, balance));
        if shares.is_zero() {
            return Err(LrtRefusal::ZeroShares);
        }
        *self.balances.entry(receiver).or_default() += shares;
        self.supply += shares;
        self.idle += assets;
        self.booked += assets;
        Ok(shares)
    }

    /// `requestRedeem(shares, owner, owner)`: the request id.
    pub fn request(
        &mut self,
        owner: Address,
        shares: U256,
        restaked_value: U256,
    ) -> Result<u64, LrtRefusal> {
        if shares.is_zero() {
            return Err(LrtRefusal::ZeroShares);
        }
        if shares < self.min_request {
            return Err(LrtRefusal::RequestSizeOutOfBounds);
        }
        if self.balance(owner) < shares {
            return Err(LrtRefusal::InsufficientBalance);
        }
        let at = self.to_assets(shares, self.total_assets(restaked_value));
        *self.balances.entry(owner).or_default() -= shares;
        let id = self.requests.len() as u64 + 1;
        self.requests.insert(
            id,
            LrtRequest {
                controller: owner,
                shares,
                assets_at_request: at,
                finalized: false,
                payout: U256::ZERO,
            },
        );
        Ok(id)
    }

    /// The first request not finalized yet.
    pub fn first_pending(&self) -> Option<u64> {
        self.requests
            .iter()
            .find(|(_, r)| !r.finalized)
            .map(|(id, _)| *id)
    }

    /// `finalizeRequests(upTo)`: finalizes every pending request up to `up_to` in order, each at
    /// the totals the ones before it left (its value at finalization is its share of the NAV after
    /// the earlier requests were paid and their shares burned); returns the total paid.
    pub fn finalize(&mut self, up_to: u64, restaked_value: U256) -> Result<U256, LrtRefusal> {
        let from = self
            .first_pending()
            .ok_or(LrtRefusal::RequestNotFinalizable)?;
        if up_to < from || !self.requests.contains_key(&up_to) {
            return Err(LrtRefusal::RequestNotFinalizable);
        }
        let available_at_start = self.idle.saturating_sub(self.liabilities);
        let mut total = U256::ZERO;
        for id in from..=up_to {
            let r = self.requests[&id].clone();
            let nav = self.total_assets(restaked_value);
            let payout = r.assets_at_request.min(self.to_assets(r.shares, nav));
            let available = self.idle.saturating_sub(self.liabilities);
            if payout > available {
                return Err(LrtRefusal::InsufficientLiquidity {
                    available: available_at_start,
                    needed: total + payout,
                });
            }
            self.supply -= r.shares;
            self.booked -= payout;
            self.liabilities += payout;
            let c = self.claimable.entry(r.controller).or_default();
            c.0 += r.shares;
            c.1 += payout;
            let r = self.requests.get_mut(&id).expect("exists");
            r.finalized = true;
            r.payout = payout;
            total += payout;
        }
        Ok(total)
    }

    /// `redeem(shares, controller, controller)` of claimable shares: the assets paid.
    pub fn claim(&mut self, controller: Address, shares: U256) -> Result<U256, LrtRefusal> {
        if shares.is_zero() {
            return Err(LrtRefusal::ZeroShares);
        }
        let (s, a) = self.claimable.get(&controller).copied().unwrap_or_default();
        if shares > s {
            return Err(LrtRefusal::InsufficientBalance);
        }
        let paid = shares * a / s;
        self.claimable.insert(controller, (s - shares, a - paid));
        self.idle -= paid;
        self.liabilities -= paid;
        Ok(paid)
    }

    /// `allocate(assets)`: moves `assets` of idle assets (net of liabilities) into restaking.
    pub fn allocate(&mut self, assets: U256) -> Result<(), LrtRefusal> {
        if assets.is_zero() {
            return Err(LrtRefusal::ZeroAssets);
        }
        let available = self.idle.saturating_sub(self.liabilities);
        if assets > available {
            return Err(LrtRefusal::InsufficientLiquidity {
                available,
                needed: assets,
            });
        }
        self.idle -= assets;
        Ok(())
    }

    /// `syncNav()` with the vault's token balance `balance`: books idle = balance and NAV = live,
    /// refusing a rise beyond the bound. Returns the booked NAV.
    pub fn sync(&mut self, balance: U256, restaked_value: U256) -> Result<U256, LrtRefusal> {
        let mut next = self.clone();
        next.idle = balance;
        let live = next.live(restaked_value);
        let bound = self.booked
            + self.booked * U256::from(self.max_sync_increase_bips) / U256::from(10_000u32);
        if live > bound {
            return Err(LrtRefusal::SyncMoveTooLarge {
                previous: self.booked,
                new: live,
            });
        }
        next.booked = live;
        let nav = next.total_assets(restaked_value);
        let rate = next.rate(nav);
        if next.fee_bips > 0 && !next.supply.is_zero() && rate > next.hwm {
            let wad = U256::from(1_000_000_000_000_000_000u64);
            let fee = (rate - next.hwm) * next.supply / wad * U256::from(next.fee_bips)
                / U256::from(10_000u32);
            if fee < nav {
                let minted = fee * (next.supply + U256::from(VIRTUAL_SHARES))
                    / (nav + U256::from(1u8) - fee);
                *next.balances.entry(next.treasury).or_default() += minted;
                next.supply += minted;
            }
            // The mark is the rate the holders keep, net of the fee just charged (a fund's
            // high-water mark is on its price after fees): the next fee is on gains above it.
            next.hwm = next.rate(nav);
        }
        *self = next;
        Ok(live)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(n: u8) -> Address {
        Address::repeat_byte(n)
    }
    fn u(x: u64) -> U256 {
        U256::from(x)
    }

    /// A deposit with no donation: the vault's balance is its booked idle assets.
    fn dep(
        m: &mut LrtModel,
        who: Address,
        assets: U256,
        restaked_value: U256,
    ) -> Result<U256, LrtRefusal> {
        let balance = m.idle;
        m.deposit(who, assets, restaked_value, balance)
    }

    /// Finding 2: a deposit made while a gain (here a donation) is not yet synced is priced at the
    /// measured value, so depositing, syncing and redeeming returns no more than was deposited.
    #[test]
    fn deposits_never_price_below_the_measured_value() {
        let mut m = LrtModel::new(u(1_000), 500);
        dep(&mut m, a(1), u(1_000_000), U256::ZERO).unwrap();
        // 20% donated: beyond the sync bound, so it cannot be booked in one sync.
        let balance = m.idle + u(200_000);
        assert_eq!(m.deposit_nav(U256::ZERO, balance), u(1_200_000));
        let shares = m.deposit(a(2), u(600_000), U256::ZERO, balance).unwrap();
        assert_eq!(
            shares,
            u(600_000) * (u(1_000_000_000) + u(1_000)) / u(1_200_001)
        );
        // Booked NAV 1.6M, measured 1.8M: 12.5% apart, still beyond one sync; the depositor's
        // shares are worth what it paid at the measured value, not more.
        let worth = m.to_assets(shares, m.deposit_nav(U256::ZERO, balance + u(600_000)));
        assert!(worth <= u(600_000), "{worth}");
        assert!(u(600_000) - worth <= u(1), "{worth}");
    }

    #[test]
    fn deposits_price_at_the_virtual_offset_and_keep_the_rate() {
        let mut m = LrtModel::new(u(1_000), 500);
        let s1 = dep(&mut m, a(1), u(1_000_000), U256::ZERO).unwrap();
        assert_eq!(
            s1,
            u(1_000_000) * u(1_000) / u(1),
            "empty vault: 1000 shares per asset"
        );
        let r0 = m.rate(m.total_assets(U256::ZERO));
        let s2 = dep(&mut m, a(2), u(333), U256::ZERO).unwrap();
        assert_eq!(s2, u(333) * (s1 + u(1_000)) / u(1_000_001));
        assert!(m.rate(m.total_assets(U256::ZERO)) >= r0);
        assert_eq!(
            dep(&mut m, a(2), U256::ZERO, U256::ZERO),
            Err(LrtRefusal::ZeroAssets)
        );
    }

    #[test]
    fn a_slash_lowers_the_payout_and_a_gain_does_not_raise_it() {
        let mut m = LrtModel::new(u(1_000), 500);
        let shares = dep(&mut m, a(1), u(1_000_000), U256::ZERO).unwrap();
        m.allocate(u(400_000)).unwrap();
        let id = m.request(a(1), shares / u(2), u(400_000)).unwrap();
        let at = m.requests[&id].assets_at_request;
        // A slash of 10% of the restaked part: value falls, payout is the lower value.
        m.finalize(id, u(360_000)).unwrap();
        let paid = m.requests[&id].payout;
        assert!(paid < at);
        assert_eq!(paid, (shares / u(2)) * u(960_001) / (shares + u(1_000)));
        assert_eq!(m.liabilities, paid);
        assert_eq!(m.claim(a(1), shares / u(2)).unwrap(), paid);
        assert_eq!(m.liabilities, U256::ZERO);
        // A second request, then a gain synced: paid the value at request.
        let id = m.request(a(1), shares / u(16), u(360_000)).unwrap();
        let at = m.requests[&id].assets_at_request;
        m.sync(m.idle + u(5_000), u(360_000)).unwrap();
        m.finalize(id, u(360_000)).unwrap();
        assert_eq!(m.requests[&id].payout, at);
    }

    #[test]
    fn the_fee_takes_its_share_of_the_gain_above_the_mark_only() {
        let t = a(9);
        let mut m = LrtModel::new(u(1_000), 500).with_fee(1_000, t);
        let shares = dep(&mut m, a(1), u(1_000_000_000), U256::ZERO).unwrap();
        // No gain above the empty vault's rate: no fee, the mark is the rate.
        m.sync(m.idle, U256::ZERO).unwrap();
        assert_eq!(m.balance(t), U256::ZERO);
        let r0 = m.rate(m.total_assets(U256::ZERO));
        assert_eq!(m.hwm, r0);
        // 4% gain: the treasury's shares are worth 10% of it (to the rounding).
        m.sync(m.idle + u(40_000_000), U256::ZERO).unwrap();
        let fee_shares = m.balance(t);
        assert_eq!(m.supply, shares + fee_shares);
        let worth = m.to_assets(fee_shares, m.total_assets(U256::ZERO));
        assert!(
            worth <= u(4_000_000) && u(4_000_000) - worth < u(10),
            "{worth}"
        );
        assert!(m.rate(m.total_assets(U256::ZERO)) > r0);
        // A loss, then a partial recovery below the mark: no fee.
        let hwm = m.hwm;
        m.sync(m.idle - u(100_000_000), U256::ZERO).unwrap();
        m.sync(m.idle + u(10_000_000), U256::ZERO).unwrap();
        assert_eq!(m.balance(t), fee_shares);
        assert_eq!(m.hwm, hwm);
    }

    #[test]
    fn refusals() {
        let mut m = LrtModel::new(u(1_000), 500);
        let shares = dep(&mut m, a(1), u(10_000), U256::ZERO).unwrap();
        assert_eq!(
            m.request(a(1), u(999), U256::ZERO),
            Err(LrtRefusal::RequestSizeOutOfBounds)
        );
        assert_eq!(
            m.request(a(1), shares + u(1), U256::ZERO),
            Err(LrtRefusal::InsufficientBalance)
        );
        assert_eq!(
            m.finalize(1, U256::ZERO),
            Err(LrtRefusal::RequestNotFinalizable)
        );
        m.allocate(u(9_000)).unwrap();
        assert!(matches!(
            m.allocate(u(1_001)),
            Err(LrtRefusal::InsufficientLiquidity { .. })
        ));
        let id = m.request(a(1), shares, u(9_000)).unwrap();
        assert!(matches!(
            m.finalize(id, u(9_000)),
            Err(LrtRefusal::InsufficientLiquidity { .. })
        ));
        // A donation above 5% of the booked NAV cannot be booked at once.
        assert!(matches!(
            m.sync(m.idle + u(600), u(9_000)),
            Err(LrtRefusal::SyncMoveTooLarge { .. })
        ));
        assert_eq!(m.sync(m.idle + u(500), u(9_000)).unwrap(), u(10_500));
    }
}
