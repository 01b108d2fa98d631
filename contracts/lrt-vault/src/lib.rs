//! # ferrostake-lrt-vault
//!
//! The liquid restaking token over the Ferrostake suite (`ILrtVault` in
//! `interfaces/solidity/Ferrostake.sol`): a non-rebasing ERC-20 share with ERC-4626 views and
//! `deposit`/`mint` over one base asset, ERC-7540 asynchronous redemption, restaking through the
//! suite's StrategyManager and DelegationManager, and the guards of the LRT incidents and audits.
//! The pricing, payout, fee, cap, pause and exposure rules are the pure functions of
//! [`accounting`] (unit- and property-tested); this crate drives the suite with them.
//!
//! ## Programs (four builds of this crate, plus the delegator)
//!
//! | program | build | serves |
//! |---|---|---|
//! | core | default | ERC-20, ERC-4626 (`deposit`, `mint`, views), ERC-7540 (`requestRedeem`, claims by `redeem`/`withdraw`, operators), `getRate`; its fallback delegate-calls [`ADMIN_SELECTORS`] to the admin program, [`RESTAKE_SELECTORS`] to the restake program and every other selector to the ops program |
//! | admin | `--features admin` | [`ops`]: `initialize`, `setImplementations`, roles, fee, caps, exposure limits, pause, restaking rewards (`setRewardsConfig`, `rewardsConfig`, `claimRewards`, `sweepToken`) |
//! | ops | `--features ops` | [`ops`]: `syncNav`, `finalizeRequests(WhenStale)`, `queueUnstake`, `completeUnstake`, `navBreakdown`, `delegatorOf`, `requestInfo`, `pausedUntil` (every selector not routed elsewhere) |
//! | restake | `--features restake` | [`ops`]: `setOperatorWeights`, `allocate` (under the exposure limits), `slashableExposure`, `recycleDelegator` |
//! | delegator | `--features delegator` | [`delegator`]: one staker account per operator (EigenLayer lets a staker delegate to one operator only); forwards the vault's calls |
//!
//! Core, admin, ops and restake share this crate's storage struct [`LrtVault`]; the delegator has its own.
//! Before `initialize` the core forwards `initialize` to the `adminImplementation` named in its
//! own calldata (deploy it through the proxy's constructor call so nobody can front-run it).
//!
//! ## Accounting
//!
//! - **Live NAV** = underlying of (withdrawable shares + queued-withdrawal shares, both after
//!   slashing, as the DelegationManager reports them for every delegator) + idle assets −
//!   liabilities (finalized, unclaimed payouts). Performance fees are minted as shares, so they are
//!   never a liability. Idle assets are *booked* (deposits, completed withdrawals, claims), not
//!   read from `balanceOf`: a donation is invisible to `totalAssets` and redemptions until
//!   `syncNav`. **Deposits and mints** price at the *measured* value instead when it is higher
//!   (restaked value + the asset balance − liabilities, [`LrtVault::deposit_totals`]), so an
//!   unsynced gain is never sold to a depositor below its value; a donation then only costs the
//!   donor (the 1e3 virtual shares own most of it).
//! - **Booked NAV** moves with deposits and payouts, and jumps only at `syncNav`: down without
//!   limit (slashing), up by at most `maxSyncIncreaseBips` per call (rewards, donations).
//! - **Effective NAV** (`totalAssets`) = min(live, booked): a slash lowers the rate at once, a gain
//!   only through an explicit, bounded sync. Rates and conversions use [`accounting::Totals`] with
//!   this NAV and the full share supply (escrowed request shares included: they bear slashing
//!   until finalized).
//! - **Redemptions** pay `min(value at request, value at finalization)`; finalization burns the
//!   escrowed shares, books the payout as a liability and credits the controller's claimable
//!   (shares, assets); claims pay pro rata of that pair.
//! - **Rate guard**: deposit, mint and finalization revert with `RateDecreased` if the rate would
//!   fall; allocation and unstaking (strategy rounding) may lose at most one strategy share's
//!   value plus one wei per call. Only `syncNav` (slashing, rewards) may move the rate otherwise.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
#![cfg_attr(
    any(
        feature = "ops",
        feature = "admin",
        feature = "restake",
        feature = "delegator"
    ),
    allow(dead_code, unused_imports)
)]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::{
    access::{Initializable, ReentrancyGuard},
    call::{safe_transfer, safe_transfer_from},
    Revert,
};
use ferrostake_interfaces::{
    IDelegationManager, IFerrostakeErrors, ILrtDelegator, ILrtVault as V, IStrategy,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageString, StorageU16, StorageU256,
        StorageU32, StorageU64, StorageU8, StorageVec,
    },
    stylus_core::log,
    ArbResult,
};

pub mod abi;
pub mod accounting;
pub mod delegator;
pub mod ops;
pub mod wire;

use accounting::{Action, PeriodCap, RedeemRequest, Rounding, Totals};
use wire::{raw_call, view_word, Enc, Reader};

/// Most operators (and delegators) the vault spreads over: bounds every NAV loop.
pub const MAX_OPERATORS: usize = 8;
/// Operator sets of one operator the exposure check reads allocation by allocation; an operator
/// allocated to more (dust in thousands of sets costs the vault, not the operator) counts its
/// whole position at risk in one set instead, keyed by the operator (finding 7).
pub const MAX_SETS_CHECKED: usize = 32;
/// Unstakes a delegator may have queued by the vault and not completed (outsiders queue them
/// once the keeper is stale; each adds a queued withdrawal every priced action reads).
pub const MAX_PENDING_UNSTAKES: u32 = 16;
/// Pause-action indices (`pauseAction`, `ActionIsPaused`).
pub const ACTION_DEPOSIT: u8 = 0;
pub const ACTION_REQUEST: u8 = 1;
pub const ACTION_CLAIM: u8 = 2;
pub const ACTION_ALLOCATE: u8 = 3;

/// ERC-165 interface ids the vault reports: ERC-165, ERC-7540 operators, ERC-7540 asynchronous
/// redemption, ERC-7575.
pub const INTERFACE_IDS: [[u8; 4]; 4] = [
    [0x01, 0xff, 0xc9, 0xa7],
    [0xe3, 0xbc, 0x4e, 0x65],
    [0x62, 0x0e, 0xe8, 0xe4],
    [0x2f, 0x0a, 0x18, 0xc5],
];

/// Selectors served by the admin program.
pub const ADMIN_SELECTORS: [[u8; 4]; 12] = [
    V::setRewardsConfigCall::SELECTOR,
    V::rewardsConfigCall::SELECTOR,
    V::claimRewardsCall::SELECTOR,
    V::sweepTokenCall::SELECTOR,
    V::initializeCall::SELECTOR,
    V::setImplementationsCall::SELECTOR,
    V::setRolesCall::SELECTOR,
    V::setPerformanceFeeCall::SELECTOR,
    V::setCapsCall::SELECTOR,
    V::setExposureLimitsCall::SELECTOR,
    V::pauseActionCall::SELECTOR,
    V::unpauseActionCall::SELECTOR,
];

/// Selectors served by the restake program; the core delegates every selector of neither list to
/// the ops program.
pub const RESTAKE_SELECTORS: [[u8; 4]; 4] = [
    V::setOperatorWeightsCall::SELECTOR,
    V::allocateCall::SELECTOR,
    V::slashableExposureCall::SELECTOR,
    V::recycleDelegatorCall::SELECTOR,
];

/// A redemption request (ERC-7540): its controller, escrowed shares and value at request time.
#[storage]
pub struct RequestSlot {
    controller: StorageAddress,
    finalized: StorageBool,
    shares: StorageU256,
    assets_at_request: StorageU256,
}

#[storage]
pub struct LrtVault {
    init: Initializable,
    guard: ReentrancyGuard,
    // Roles.
    admin: StorageAddress,
    manager: StorageAddress,
    guardian: StorageAddress,
    keeper: StorageAddress,
    treasury: StorageAddress,
    // The suite.
    asset: StorageAddress,
    strategy: StorageAddress,
    strategy_manager: StorageAddress,
    delegation_manager: StorageAddress,
    allocation_manager: StorageAddress,
    ops_implementation: StorageAddress,
    admin_implementation: StorageAddress,
    restake_implementation: StorageAddress,
    // ERC-20.
    name: StorageString,
    symbol: StorageString,
    decimals: StorageU8,
    total_supply: StorageU256,
    balances: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    // NAV.
    nav_book: StorageU256,
    idle: StorageU256,
    liabilities: StorageU256,
    high_water_rate: StorageU256,
    performance_fee_bips: StorageU16,
    max_performance_fee_bips: StorageU16,
    max_sync_increase_bips: StorageU16,
    // Caps.
    cap: StorageU256,
    cap_period: StorageU64,
    cap_window_start: StorageU64,
    cap_used: StorageU256,
    min_request: StorageU256,
    max_request: StorageU256,
    // Time-boxed pause: paused-until per action.
    paused_until: StorageVec<StorageU64>,
    max_pause_duration: StorageU64,
    // ERC-7540.
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
    last_request_id: StorageU256,
    next_to_finalize: StorageU256,
    requests: StorageMap<U256, RequestSlot>,
    claimable_shares: StorageMap<Address, StorageU256>,
    claimable_assets: StorageMap<Address, StorageU256>,
    /// Block of the account's last share inflow from a deposit (propagated through transfers in
    /// the same block): no deposit and redeem request in one transaction.
    last_inflow_block: StorageMap<Address, StorageU64>,
    // Keeper liveness.
    last_keeper_action: StorageU64,
    keeper_stale_after: StorageU64,
    // Operators.
    delegators: StorageVec<StorageAddress>,
    delegator_operator: StorageMap<Address, StorageAddress>,
    operator_delegator: StorageMap<Address, StorageAddress>,
    active_operators: StorageVec<StorageAddress>,
    weights: StorageMap<Address, StorageU16>,
    max_operator_bips: StorageU16,
    max_operator_set_bips: StorageU16,
    /// Delegator → unstakes queued by the vault and not completed (≤ [`MAX_PENDING_UNSTAKES`]).
    pending_unstakes: StorageMap<Address, StorageU32>,
    // Restaking rewards (finding 4): the RewardsCoordinator the delegators name the vault as
    // claimer in, and an extra address allowed to claim.
    rewards_coordinator: StorageAddress,
    rewards_keeper: StorageAddress,
}

#[cfg(not(feature = "delegator"))]
ferrostake_common::entrypoint!(LrtVault);

pub(crate) fn overflow() -> Revert {
    IFerrostakeErrors::MathOverflow {}.into()
}

pub(crate) fn u64_of(x: impl TryInto<u64>) -> u64 {
    x.try_into().unwrap_or(u64::MAX)
}

/// Converts an accounting overflow into the typed revert.
pub(crate) fn ok<T>(r: Result<T, accounting::Overflow>) -> Result<T, Revert> {
    r.map_err(|_| overflow())
}

/// Shared machinery (every build): clock, roles, ERC-20 bookkeeping, NAV, pausing.
impl LrtVault {
    pub(crate) fn now(&self) -> u64 {
        #[cfg(test)]
        return test_clock::time();
        #[cfg(not(test))]
        self.vm().block_timestamp()
    }

    pub(crate) fn block(&self) -> u64 {
        #[cfg(test)]
        return test_clock::block();
        #[cfg(not(test))]
        self.vm().block_number()
    }

    pub(crate) fn sender(&self) -> Address {
        self.vm().msg_sender()
    }

    pub(crate) fn this(&self) -> Address {
        self.vm().contract_address()
    }

    pub(crate) fn only_admin(&self) -> Result<(), Revert> {
        let caller = self.sender();
        if caller != self.admin.get() {
            return Err(IFerrostakeErrors::OwnableUnauthorizedAccount { account: caller }.into());
        }
        Ok(())
    }

    pub(crate) fn only_manager(&self) -> Result<(), Revert> {
        if self.sender() != self.manager.get() {
            return Err(V::OnlyManager {}.into());
        }
        Ok(())
    }

    pub(crate) fn is_paused(&self, action: u8) -> bool {
        let until = self
            .paused_until
            .get(action as usize)
            .map(|u| u.to::<u64>())
            .unwrap_or_default();
        self.now() < until
    }

    pub(crate) fn require_not_paused(&self, action: u8) -> Result<(), Revert> {
        if self.is_paused(action) {
            return Err(V::ActionIsPaused { action }.into());
        }
        Ok(())
    }

    pub(crate) fn pause_flags(&self) -> accounting::PauseFlags {
        let mut flags = accounting::PauseFlags::default();
        for (i, slot) in flags.until.iter_mut().enumerate() {
            *slot = self
                .paused_until
                .get(i)
                .map(|u| u.to::<u64>())
                .unwrap_or_default();
        }
        flags
    }

    pub(crate) fn action_of(action: u8) -> Result<Action, Revert> {
        Ok(match action {
            ACTION_DEPOSIT => Action::Deposit,
            ACTION_REQUEST => Action::Request,
            ACTION_CLAIM => Action::Claim,
            ACTION_ALLOCATE => Action::Allocate,
            _ => return Err(V::InvalidAction { action }.into()),
        })
    }

    pub(crate) fn period_cap(&self) -> PeriodCap {
        PeriodCap {
            cap: self.cap.get(),
            period: self.cap_period.get().to(),
            window_start: self.cap_window_start.get().to(),
            used: self.cap_used.get(),
        }
    }

    // --- ERC-20 bookkeeping ---

    pub(crate) fn transfer_shares(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Revert> {
        if from.is_zero() {
            return Err(V::ERC20InvalidSender { sender: from }.into());
        }
        if to.is_zero() {
            return Err(V::ERC20InvalidReceiver { receiver: to }.into());
        }
        let balance = self.balances.get(from);
        if balance < value {
            return Err(V::ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }
            .into());
        }
        // value <= balance; the receiver's balance <= total supply, which fits.
        self.balances.setter(from).set(balance - value);
        let to_balance = self.balances.get(to);
        self.balances.setter(to).set(to_balance + value);
        // Shares fresh from a deposit in this block carry the marker to their new holder.
        let block = self.block();
        if self.last_inflow_block.get(from).to::<u64>() == block && block != 0 {
            self.last_inflow_block
                .setter(to)
                .set(alloy_primitives::U64::from(block));
        }
        log(self.vm(), V::Transfer { from, to, value });
        Ok(())
    }

    pub(crate) fn mint_shares(&mut self, to: Address, value: U256) -> Result<(), Revert> {
        if to.is_zero() {
            return Err(V::ERC20InvalidReceiver { receiver: to }.into());
        }
        let supply = self
            .total_supply
            .get()
            .checked_add(value)
            .ok_or_else(overflow)?;
        self.total_supply.set(supply);
        // balance <= supply, which did not overflow.
        let balance = self.balances.get(to);
        self.balances.setter(to).set(balance + value);
        log(
            self.vm(),
            V::Transfer {
                from: Address::ZERO,
                to,
                value,
            },
        );
        Ok(())
    }

    pub(crate) fn burn_shares(&mut self, from: Address, value: U256) -> Result<(), Revert> {
        let balance = self.balances.get(from);
        if balance < value {
            return Err(V::ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }
            .into());
        }
        self.balances.setter(from).set(balance - value);
        // value <= balance <= supply.
        let supply = self.total_supply.get();
        self.total_supply.set(supply - value);
        log(
            self.vm(),
            V::Transfer {
                from,
                to: Address::ZERO,
                value,
            },
        );
        Ok(())
    }

    pub(crate) fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Revert> {
        let allowed = self.allowances.getter(owner).get(spender);
        if allowed == U256::MAX {
            return Ok(());
        }
        if allowed < value {
            return Err(V::ERC20InsufficientAllowance {
                spender,
                allowance: allowed,
                needed: value,
            }
            .into());
        }
        self.allowances
            .setter(owner)
            .setter(spender)
            .set(allowed - value);
        Ok(())
    }

    // --- NAV ---

    /// The delegators in use (bounded by [`MAX_OPERATORS`]).
    pub(crate) fn delegator_list(&self) -> Vec<Address> {
        (0..self.delegators.len())
            .filter_map(|i| self.delegators.get(i))
            .collect()
    }

    /// Strategy shares held for the vault through `delegator`: withdrawable (after slashing) and
    /// in queued withdrawals (after slashing), as the DelegationManager reports them.
    pub(crate) fn delegator_shares(&self, delegator: Address) -> Result<U256, Revert> {
        let dm = self.delegation_manager.get();
        let mut w = Enc::call(IDelegationManager::getWithdrawableSharesCall::SELECTOR);
        w.a(delegator).n(64).n(1).a(self.strategy.get());
        let out = raw_call(dm, &w.0, false)?;
        let withdrawable = abi::Words {
            data: &out,
            from: dm,
        }
        .first_of_first_array()?;
        let mut q = Enc::call(IDelegationManager::getQueuedWithdrawalsCall::SELECTOR);
        q.a(delegator);
        let out = raw_call(dm, &q.0, false)?;
        let queued = abi::Words {
            data: &out,
            from: dm,
        }
        .sum_second_nested()?;
        withdrawable.checked_add(queued).ok_or_else(overflow)
    }

    /// Underlying value of `shares` of the vault's strategy.
    pub(crate) fn shares_value(&self, shares: U256) -> Result<U256, Revert> {
        if shares.is_zero() {
            return Ok(U256::ZERO);
        }
        let mut e = Enc::call(IStrategy::sharesToUnderlyingViewCall::SELECTOR);
        e.u(shares);
        view_word(self.strategy.get(), &e.0)
    }

    /// Restaked value (withdrawable + queued, after slashing) across every delegator that has an
    /// operator. A delegator without one never held shares: only `allocate` deposits through a
    /// delegator, and only through one assigned to an operator (assignments are never cleared),
    /// and nobody else can deposit for it (it signs nothing). Skipping it saves two calls into
    /// the DelegationManager per idle delegator on every priced action.
    pub(crate) fn restaked_value(&self) -> Result<U256, Revert> {
        let mut shares = U256::ZERO;
        for d in self.delegator_list() {
            if self.delegator_operator.get(d).is_zero() {
                continue;
            }
            shares = shares
                .checked_add(self.delegator_shares(d)?)
                .ok_or_else(overflow)?;
        }
        self.shares_value(shares)
    }

    /// Live NAV with `idle` booked idle assets.
    pub(crate) fn live_nav_with(&self, idle: U256) -> Result<U256, Revert> {
        let gross = self
            .restaked_value()?
            .checked_add(idle)
            .ok_or_else(overflow)?;
        Ok(gross.saturating_sub(self.liabilities.get()))
    }

    pub(crate) fn live_nav(&self) -> Result<U256, Revert> {
        self.live_nav_with(self.idle.get())
    }

    /// The totals every conversion uses: effective NAV = min(live, booked) and the share supply.
    pub(crate) fn totals(&self) -> Result<Totals, Revert> {
        Ok(Totals {
            nav: self.live_nav()?.min(self.nav_book.get()),
            supply: self.total_supply.get(),
        })
    }

    /// The totals deposits and mints are priced at: never below the measured value (restaked +
    /// the vault's asset balance − liabilities), so a gain or donation not yet synced is not sold
    /// to depositors below its value (the `syncNav` bound cannot turn into a windfall); a loss
    /// counts at once, as for every price.
    pub(crate) fn deposit_totals(&self) -> Result<Totals, Revert> {
        let restaked = self.restaked_value()?;
        let liabilities = self.liabilities.get();
        let net = |idle: U256| -> Result<U256, Revert> {
            Ok(restaked
                .checked_add(idle)
                .ok_or_else(overflow)?
                .saturating_sub(liabilities))
        };
        let measured = net(wire::balance_in(self.asset.get(), self.this())?)?;
        let effective = net(self.idle.get())?.min(self.nav_book.get());
        Ok(Totals {
            nav: measured.max(effective),
            supply: self.total_supply.get(),
        })
    }

    /// Reverts with `RateDecreased` if `after` prices a share below `before`.
    pub(crate) fn check_rate(before: &Totals, after: &Totals) -> Result<U256, Revert> {
        let (b, a) = (ok(before.rate())?, ok(after.rate())?);
        if a < b {
            return Err(V::RateDecreased {
                before: b,
                afterwards: a,
            }
            .into());
        }
        Ok(a)
    }

    /// Idle assets not owed to finalized requests.
    pub(crate) fn available_idle(&self) -> U256 {
        self.idle.get().saturating_sub(self.liabilities.get())
    }

    /// `delegator.execute(target, data)`; returns the inner call's return data.
    pub(crate) fn execute(
        &mut self,
        delegator: Address,
        target: Address,
        data: &[u8],
    ) -> Result<Vec<u8>, Revert> {
        let mut e = Enc::call(ILrtDelegator::executeCall::SELECTOR);
        e.a(target).n(64).bytes(data);
        let out = raw_call(delegator, &e.0, true)?;
        let r = Reader {
            data: &out,
            from: Some(delegator),
        };
        let (first, len) = r.tail(0, 0)?;
        Ok(out.get(first..first + len).ok_or_else(|| r.bad())?.to_vec())
    }

    // --- ERC-4626 limits ---

    pub(crate) fn max_deposit_assets(&self) -> U256 {
        if !self.init.is_initialized() || self.is_paused(ACTION_DEPOSIT) {
            return U256::ZERO;
        }
        self.period_cap().available(self.now())
    }

    /// Deposits `assets` for `shares` (already priced from `before`) to `receiver`.
    fn deposit_priced(
        &mut self,
        before: Totals,
        assets: U256,
        shares: U256,
        receiver: Address,
    ) -> Result<(), Revert> {
        if assets.is_zero() {
            return Err(V::ZeroAssets {}.into());
        }
        if shares.is_zero() {
            return Err(V::ZeroShares {}.into());
        }
        if receiver.is_zero() {
            return Err(V::ERC20InvalidReceiver { receiver }.into());
        }
        let mut cap = self.period_cap();
        cap.consume(self.now(), assets).map_err(|e| {
            Revert::from(V::DepositCapExceeded {
                available: e.available,
            })
        })?;
        let after = Totals {
            nav: before.nav.checked_add(assets).ok_or_else(overflow)?,
            supply: before.supply.checked_add(shares).ok_or_else(overflow)?,
        };
        Self::check_rate(&before, &after)?;
        let sender = self.sender();
        safe_transfer_from(self.asset.get(), sender, self.this(), assets)?;
        self.cap_window_start
            .set(alloy_primitives::U64::from(cap.window_start));
        self.cap_used.set(cap.used);
        let idle = self.idle.get().checked_add(assets).ok_or_else(overflow)?;
        self.idle.set(idle);
        let book = self
            .nav_book
            .get()
            .checked_add(assets)
            .ok_or_else(overflow)?;
        self.nav_book.set(book);
        self.mint_shares(receiver, shares)?;
        let block = self.block();
        self.last_inflow_block
            .setter(receiver)
            .set(alloy_primitives::U64::from(block));
        log(
            self.vm(),
            V::Deposit {
                sender,
                owner: receiver,
                assets,
                shares,
            },
        );
        Ok(())
    }

    /// `deposit` with a minimum of shares out (shared by `deposit` and `depositWithMinShares`).
    pub fn deposit_min(
        &mut self,
        assets: U256,
        receiver: Address,
        min_shares: U256,
    ) -> Result<U256, Revert> {
        self.require_not_paused(ACTION_DEPOSIT)?;
        self.guard.enter()?;
        let before = self.deposit_totals()?;
        let shares = ok(before.to_shares(assets, Rounding::Down))?;
        if shares < min_shares {
            return Err(V::SlippageExceeded {
                received: shares,
                minimum: min_shares,
            }
            .into());
        }
        self.deposit_priced(before, assets, shares, receiver)?;
        self.guard.exit();
        Ok(shares)
    }

    /// Checks that `caller` may act for `controller` (itself or an approved operator).
    fn require_controller(&self, controller: Address) -> Result<(), Revert> {
        let caller = self.sender();
        if caller != controller && !self.operators.getter(controller).get(caller) {
            return Err(V::NotController {}.into());
        }
        Ok(())
    }

    /// Pays a claim of `shares` worth `assets` from `controller`'s claimable balance.
    fn claim(
        &mut self,
        controller: Address,
        receiver: Address,
        shares: U256,
        assets: U256,
    ) -> Result<(), Revert> {
        if receiver.is_zero() {
            return Err(V::ERC20InvalidReceiver { receiver }.into());
        }
        let cs = self.claimable_shares.get(controller);
        let ca = self.claimable_assets.get(controller);
        // Callers priced within the claimable pair: shares <= cs, assets <= ca.
        self.claimable_shares.setter(controller).set(cs - shares);
        self.claimable_assets.setter(controller).set(ca - assets);
        let idle = self.idle.get();
        let liabilities = self.liabilities.get();
        // Liabilities are reserved out of idle assets at finalization: assets <= liabilities <= idle.
        self.idle.set(idle.saturating_sub(assets));
        self.liabilities.set(liabilities.saturating_sub(assets));
        safe_transfer(self.asset.get(), receiver, assets)?;
        log(
            self.vm(),
            V::Withdraw {
                sender: self.sender(),
                receiver,
                owner: controller,
                assets,
                shares,
            },
        );
        Ok(())
    }
}

/// The core program: ERC-20, ERC-4626, ERC-7540 and the rate. Every other selector is
/// delegate-called to the ops program.
#[cfg(not(any(
    feature = "ops",
    feature = "admin",
    feature = "restake",
    feature = "delegator"
)))]
#[public]
impl LrtVault {
    // --- ERC-20 ---

    pub fn name(&self) -> String {
        self.name.get_string()
    }

    pub fn symbol(&self) -> String {
        self.symbol.get_string()
    }

    pub fn decimals(&self) -> u8 {
        self.decimals.get().to()
    }

    #[selector(name = "totalSupply")]
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    #[selector(name = "balanceOf")]
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Revert> {
        self.transfer_shares(self.sender(), to, value)?;
        Ok(true)
    }

    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Revert> {
        if spender.is_zero() {
            return Err(V::ERC20InvalidSpender { spender }.into());
        }
        let owner = self.sender();
        self.allowances.setter(owner).setter(spender).set(value);
        log(
            self.vm(),
            V::Approval {
                owner,
                spender,
                value,
            },
        );
        Ok(true)
    }

    #[selector(name = "transferFrom")]
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Revert> {
        self.spend_allowance(from, self.sender(), value)?;
        self.transfer_shares(from, to, value)?;
        Ok(true)
    }

    // --- ERC-4626 / ERC-7575 ---

    pub fn asset(&self) -> Address {
        self.asset.get()
    }

    pub fn share(&self) -> Address {
        self.this()
    }

    #[selector(name = "totalAssets")]
    pub fn total_assets(&self) -> Result<U256, Revert> {
        Ok(self.totals()?.nav)
    }

    #[selector(name = "convertToShares")]
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, Revert> {
        ok(self.totals()?.to_shares(assets, Rounding::Down))
    }

    #[selector(name = "convertToAssets")]
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, Revert> {
        ok(self.totals()?.to_assets(shares, Rounding::Down))
    }

    #[selector(name = "maxDeposit")]
    pub fn max_deposit(&self, _receiver: Address) -> U256 {
        self.max_deposit_assets()
    }

    #[selector(name = "previewDeposit")]
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, Revert> {
        ok(self.deposit_totals()?.to_shares(assets, Rounding::Down))
    }

    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, Revert> {
        self.deposit_min(assets, receiver, U256::ZERO)
    }

    #[selector(name = "depositWithMinShares")]
    pub fn deposit_with_min_shares(
        &mut self,
        assets: U256,
        receiver: Address,
        min_shares: U256,
    ) -> Result<U256, Revert> {
        self.deposit_min(assets, receiver, min_shares)
    }

    #[selector(name = "maxMint")]
    pub fn max_mint(&self, _receiver: Address) -> Result<U256, Revert> {
        let assets = self.max_deposit_assets();
        if assets.is_zero() {
            return Ok(U256::ZERO);
        }
        // Shares whose (rounded-up) cost stays within the cap.
        ok(self.deposit_totals()?.to_shares(assets, Rounding::Down))
    }

    #[selector(name = "previewMint")]
    pub fn preview_mint(&self, shares: U256) -> Result<U256, Revert> {
        ok(self.deposit_totals()?.to_assets(shares, Rounding::Up))
    }

    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, Revert> {
        self.require_not_paused(ACTION_DEPOSIT)?;
        self.guard.enter()?;
        let before = self.deposit_totals()?;
        let assets = ok(before.to_assets(shares, Rounding::Up))?;
        self.deposit_priced(before, assets, shares, receiver)?;
        self.guard.exit();
        Ok(assets)
    }

    /// Claimable assets of `controller` (zero while claims are paused).
    #[selector(name = "maxWithdraw")]
    pub fn max_withdraw(&self, controller: Address) -> U256 {
        if self.is_paused(ACTION_CLAIM) {
            return U256::ZERO;
        }
        self.claimable_assets.get(controller)
    }

    /// Asynchronous redemption: use `requestRedeem`, then claim (ERC-7540).
    #[selector(name = "previewWithdraw")]
    pub fn preview_withdraw(&self, _assets: U256) -> Result<U256, Revert> {
        Err(V::AsyncRedeemOnly {}.into())
    }

    /// Claims `assets` of `controller`'s finalized requests, paying `receiver`.
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, Revert> {
        self.require_not_paused(ACTION_CLAIM)?;
        self.require_controller(controller)?;
        self.guard.enter()?;
        if assets.is_zero() {
            return Err(V::ZeroAssets {}.into());
        }
        let cs = self.claimable_shares.get(controller);
        let ca = self.claimable_assets.get(controller);
        if assets > ca {
            return Err(V::RequestNotClaimable {
                requestId: U256::ZERO,
            }
            .into());
        }
        // Shares for the assets round up (ERC-4626): never more assets per share than finalized.
        let shares = if assets == ca {
            cs
        } else {
            ok(accounting::mul_div(assets, cs, ca, Rounding::Up))?.min(cs)
        };
        self.claim(controller, receiver, shares, assets)?;
        self.guard.exit();
        Ok(shares)
    }

    /// Claimable shares of `controller` (zero while claims are paused).
    #[selector(name = "maxRedeem")]
    pub fn max_redeem(&self, controller: Address) -> U256 {
        if self.is_paused(ACTION_CLAIM) {
            return U256::ZERO;
        }
        self.claimable_shares.get(controller)
    }

    /// Asynchronous redemption: use `requestRedeem`, then claim (ERC-7540).
    #[selector(name = "previewRedeem")]
    pub fn preview_redeem(&self, _shares: U256) -> Result<U256, Revert> {
        Err(V::AsyncRedeemOnly {}.into())
    }

    /// Claims `shares` of `controller`'s finalized requests, paying `receiver`.
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, Revert> {
        self.require_not_paused(ACTION_CLAIM)?;
        self.require_controller(controller)?;
        self.guard.enter()?;
        if shares.is_zero() {
            return Err(V::ZeroShares {}.into());
        }
        let cs = self.claimable_shares.get(controller);
        let ca = self.claimable_assets.get(controller);
        if shares > cs {
            return Err(V::RequestNotClaimable {
                requestId: U256::ZERO,
            }
            .into());
        }
        // Assets for the shares round down (ERC-4626); the last claim takes the remainder.
        let assets = if shares == cs {
            ca
        } else {
            ok(accounting::mul_div(ca, shares, cs, Rounding::Down))?
        };
        self.claim(controller, receiver, shares, assets)?;
        self.guard.exit();
        Ok(assets)
    }

    // --- ERC-7540 ---

    /// Escrows `shares` of `owner` and queues their redemption for `controller`.
    #[selector(name = "requestRedeem")]
    pub fn request_redeem(
        &mut self,
        shares: U256,
        controller: Address,
        owner: Address,
    ) -> Result<U256, Revert> {
        self.require_not_paused(ACTION_REQUEST)?;
        self.guard.enter()?;
        let sender = self.sender();
        if controller.is_zero() {
            return Err(V::ZeroAddress {}.into());
        }
        if shares.is_zero() {
            return Err(V::ZeroShares {}.into());
        }
        let (min, max) = (self.min_request.get(), self.max_request.get());
        if shares < min || (!max.is_zero() && shares > max) {
            return Err(V::RequestSizeOutOfBounds {
                shares,
                minimum: min,
                maximum: max,
            }
            .into());
        }
        let block = self.block();
        if block != 0 && self.last_inflow_block.get(owner).to::<u64>() == block {
            return Err(V::DepositAndRequestInSameTransaction {}.into());
        }
        if owner != sender && !self.operators.getter(owner).get(sender) {
            self.spend_allowance(owner, sender, shares)?;
        }
        let request = ok(RedeemRequest::new(shares, &self.totals()?))?;
        let this = self.this();
        self.transfer_shares(owner, this, shares)?;
        let id = self.last_request_id.get() + U256::from(1u8);
        self.last_request_id.set(id);
        let mut slot = self.requests.setter(id);
        slot.controller.set(controller);
        slot.shares.set(shares);
        slot.assets_at_request.set(request.assets_at_request);
        log(
            self.vm(),
            V::RedeemRequest {
                controller,
                owner,
                requestId: id,
                sender,
                shares,
            },
        );
        self.guard.exit();
        Ok(id)
    }

    #[selector(name = "pendingRedeemRequest")]
    pub fn pending_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        let r = self.requests.getter(request_id);
        if r.controller.get() != controller || controller.is_zero() || r.finalized.get() {
            return U256::ZERO;
        }
        r.shares.get()
    }

    /// A finalized request's shares while its controller still has that many to claim.
    #[selector(name = "claimableRedeemRequest")]
    pub fn claimable_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        let r = self.requests.getter(request_id);
        if r.controller.get() != controller || controller.is_zero() || !r.finalized.get() {
            return U256::ZERO;
        }
        r.shares.get().min(self.claimable_shares.get(controller))
    }

    #[selector(name = "setOperator")]
    pub fn set_operator(&mut self, operator: Address, approved: bool) -> Result<bool, Revert> {
        let controller = self.sender();
        self.operators
            .setter(controller)
            .setter(operator)
            .set(approved);
        log(
            self.vm(),
            V::OperatorSet {
                controller,
                operator,
                approved,
            },
        );
        Ok(true)
    }

    #[selector(name = "isOperator")]
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.operators.getter(controller).get(operator)
    }

    #[selector(name = "supportsInterface")]
    pub fn supports_interface(&self, interface_id: FixedBytes<4>) -> bool {
        INTERFACE_IDS.contains(&interface_id.0)
    }

    /// Assets per `1e18` shares, rounded down.
    #[selector(name = "getRate")]
    pub fn get_rate(&self) -> Result<U256, Revert> {
        ok(self.totals()?.rate())
    }

    /// Every other selector runs in the admin, restake or ops program, in this contract's
    /// storage. Before initialization, `initialize` goes to the admin program it names.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let selector: [u8; 4] = calldata
            .get(..4)
            .and_then(|s| s.try_into().ok())
            .unwrap_or_default();
        let mut target = if ADMIN_SELECTORS.contains(&selector) {
            self.admin_implementation.get()
        } else if RESTAKE_SELECTORS.contains(&selector) {
            self.restake_implementation.get()
        } else {
            self.ops_implementation.get()
        };
        if selector == V::initializeCall::SELECTOR && !self.init.is_initialized() {
            // addrs.adminImplementation: the seventh word of the (static) first argument.
            if let Some(w) = calldata.get(4 + 6 * 32 + 12..4 + 7 * 32) {
                target = Address::from_slice(w);
            }
        }
        ferrostake_common::call::delegate(target, calldata)
    }
}

#[cfg(test)]
pub(crate) mod test_clock {
    use core::cell::Cell;

    std::thread_local! {
        static BLOCK: Cell<u64> = const { Cell::new(1) };
        static TIME: Cell<u64> = const { Cell::new(1_700_000_000) };
    }

    pub fn block() -> u64 {
        BLOCK.with(|b| b.get())
    }

    pub fn time() -> u64 {
        TIME.with(|t| t.get())
    }

    /// Next block, `secs` later.
    pub fn advance(blocks: u64, secs: u64) {
        BLOCK.with(|b| b.set(b.get() + blocks));
        TIME.with(|t| t.set(t.get() + secs));
    }
}

#[cfg(all(
    test,
    not(any(
        feature = "ops",
        feature = "admin",
        feature = "restake",
        feature = "delegator"
    ))
))]
mod tests;
