//! Everything beyond ERC-20/4626/7540, served by three programs behind the core (see the crate
//! docs): the admin program (`--features admin`: initialization, roles and parameters, the
//! guardian's pause, restaking rewards), the ops program (`--features ops`: NAV syncs with the
//! performance fee, the redemption queue's finalization, unstaking through queued withdrawals,
//! small views) and the restake program (`--features restake`: operator weights, allocation by
//! weight under the exposure limits, the exposure view). The logic is plain methods (native tests
//! call them); each build routes its part.
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `initialize` | once | addresses non-zero (`ZeroAddress`); fee ≤ its maximum ≤ 100% (`FeeAboveMaximum`); ≤ `MAX_OPERATORS` delegators, each naming this vault (`NotDelegatorOfVault`) |
//! | `setImplementations`, `setRoles`, `setPerformanceFee`, `setExposureLimits`, `unpauseAction` | admin | fee ≤ the immutable maximum; limits ≤ 100% (`BipsAboveOne`) |
//! | `setCaps`, `setOperatorWeights` | manager | weights sum to 100% over ≤ `MAX_OPERATORS` distinct operators; each new operator takes a free delegator, which delegates to it |
//! | `pauseAction` | guardian | pauses one action for at most `maxPauseDuration` (never shortens a running pause) |
//! | `syncNav` | anyone | books the live NAV (picks up idle balance, donations included): falls freely, rises ≤ `maxSyncIncreaseBips` (`SyncMoveTooLarge`); mints the performance fee above the high-water mark to the treasury |
//! | `finalizeRequests` | keeper | requests in order up to the id, each paid min(value at request, value now) from idle assets (`InsufficientLiquidity`); burns escrowed shares; rate may not fall |
//! | `finalizeRequestsWhenStale` | anyone, once the keeper has not acted for `keeperStaleAfter` | as `finalizeRequests` |
//! | `allocate` | keeper or manager, allocation not paused | idle assets restaked by weight; each operator's value ≤ `maxOperatorBips` of NAV and each operator set's slashable amount ≤ `maxOperatorSetBips` (`ExposureLimitExceeded`) |
//! | `queueUnstake` | keeper (anyone when stale) | queues a core withdrawal from the operator's delegator |
//! | `completeUnstake` | anyone | completes a matured withdrawal of a delegator as tokens, into idle assets |
//! | `setRewardsConfig` | manager | RewardsCoordinator non-zero (`ZeroAddress`); every delegator calls `setClaimerFor(vault)` there; records the coordinator and an extra claiming keeper |
//! | `claimRewards` | keeper, rewards keeper or manager | configured (`RewardsNotConfigured`); the claim's earner is a delegator of the vault (`NotDelegatorOfVault`); `processClaim(claim, vault)` as the claimer: asset rewards raise the measured NAV (booked by the next `syncNav`), other tokens stay outside NAV |
//! | `sweepToken` | manager | not the asset nor the vault's share (`CannotSweep`); sends the vault's whole balance of the token to `to` |

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::call::safe_transfer;
use ferrostake_common::Revert;
use ferrostake_interfaces::{
    Allocation, IAllocationManager as IAM, IDelegationManager, ILrtDelegator, ILrtVault as V,
    IRewardsCoordinator as IRC, IStrategyManager, OperatorSet, Withdrawal, IERC20,
};
#[cfg(any(feature = "ops", feature = "admin", feature = "restake"))]
use stylus_sdk::ArbResult;
use stylus_sdk::{prelude::*, stylus_core::log};

use crate::{
    accounting::{self, performance_fee_shares, within_exposure, Rounding, Totals, BPS},
    ok, overflow, u64_of,
    wire::{self, balance_in, raw_call, view_word, Enc, Reader},
    LrtVault, ACTION_ALLOCATE, MAX_OPERATORS,
};

/// Per operator set (AVS, id): the vault's slashable amount in assets.
pub type SetExposure = (Address, u32, U256);
/// Per operator: the vault's value behind it.
pub type OperatorExposure = (Address, U256);
/// `slashableExposure()`'s three arrays: AVSs, operator-set ids, slashable assets.
pub type ExposureArrays = (Vec<Address>, Vec<u32>, Vec<U256>);

fn u16_word(x: u16) -> alloy_primitives::Uint<16, 1> {
    alloy_primitives::Uint::<16, 1>::from(x)
}

fn u64_word(x: u64) -> alloy_primitives::U64 {
    alloy_primitives::U64::from(x)
}

impl LrtVault {
    /// One-shot initializer (see the ABI's `LrtVaultAddresses` and `LrtVaultParams`).
    pub fn initialize(
        &mut self,
        a: V::LrtVaultAddresses,
        p: V::LrtVaultParams,
        delegators: Vec<Address>,
        name: String,
        symbol: String,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.guard.init();
        for addr in [
            a.asset,
            a.strategy,
            a.strategyManager,
            a.delegationManager,
            a.allocationManager,
            a.opsImplementation,
            a.adminImplementation,
            a.restakeImplementation,
            a.admin,
            a.treasury,
        ] {
            if addr.is_zero() {
                return Err(V::ZeroAddress {}.into());
            }
        }
        if p.maxPerformanceFeeBips as u64 > BPS {
            return Err(V::FeeAboveMaximum {
                fee: p.maxPerformanceFeeBips,
                maximum: BPS as u16,
            }
            .into());
        }
        if p.performanceFeeBips > p.maxPerformanceFeeBips {
            return Err(V::FeeAboveMaximum {
                fee: p.performanceFeeBips,
                maximum: p.maxPerformanceFeeBips,
            }
            .into());
        }
        if p.keeperStaleAfter == 0 {
            return Err(V::KeeperStaleAfterZero {}.into());
        }
        for bips in [
            p.maxOperatorBips,
            p.maxOperatorSetBips,
            p.maxSyncIncreaseBips,
        ] {
            if bips as u64 > BPS {
                return Err(V::BipsAboveOne { bips }.into());
            }
        }
        if delegators.len() > MAX_OPERATORS {
            return Err(V::TooManyOperators {
                count: U256::from(delegators.len()),
                maximum: U256::from(MAX_OPERATORS),
            }
            .into());
        }
        let this = self.this();
        for (i, d) in delegators.iter().enumerate() {
            let vault = view_word(*d, &ILrtDelegator::vaultCall::SELECTOR)?;
            if vault != U256::from_be_slice(this.as_slice()) || delegators[..i].contains(d) {
                return Err(V::NotDelegatorOfVault { delegator: *d }.into());
            }
            let mut e = Enc::call(IDelegationManager::delegatedToCall::SELECTOR);
            e.a(*d);
            let operator = Reader {
                data: &raw_call(a.delegationManager, &e.0, false)?,
                from: Some(a.delegationManager),
            }
            .a(0)?;
            self.delegators.push(*d);
            if !operator.is_zero() {
                self.delegator_operator.setter(*d).set(operator);
                self.operator_delegator.setter(operator).set(*d);
            }
        }
        let asset_decimals = view_word(a.asset, &IERC20::decimalsCall::SELECTOR)?
            .saturating_to::<u8>()
            .min(u8::MAX - accounting::DECIMALS_OFFSET as u8);
        self.decimals.set(alloy_primitives::Uint::<8, 1>::from(
            asset_decimals + accounting::DECIMALS_OFFSET as u8,
        ));
        self.asset.set(a.asset);
        self.strategy.set(a.strategy);
        self.strategy_manager.set(a.strategyManager);
        self.delegation_manager.set(a.delegationManager);
        self.allocation_manager.set(a.allocationManager);
        self.ops_implementation.set(a.opsImplementation);
        self.admin_implementation.set(a.adminImplementation);
        self.restake_implementation.set(a.restakeImplementation);
        self.admin.set(a.admin);
        self.manager.set(a.manager);
        self.guardian.set(a.guardian);
        self.keeper.set(a.keeper);
        self.treasury.set(a.treasury);
        self.name.set_str(name);
        self.symbol.set_str(symbol);
        self.max_performance_fee_bips
            .set(u16_word(p.maxPerformanceFeeBips));
        self.performance_fee_bips
            .set(u16_word(p.performanceFeeBips));
        self.max_pause_duration.set(u64_word(p.maxPauseDuration));
        self.keeper_stale_after.set(u64_word(p.keeperStaleAfter));
        self.max_sync_increase_bips
            .set(u16_word(p.maxSyncIncreaseBips));
        self.store_caps(p.depositCapPerPeriod, p.period, p.minRequest, p.maxRequest)?;
        self.max_operator_bips.set(u16_word(p.maxOperatorBips));
        self.max_operator_set_bips
            .set(u16_word(p.maxOperatorSetBips));
        for _ in 0..4 {
            self.paused_until.push(u64_word(0));
        }
        let empty = Totals {
            nav: U256::ZERO,
            supply: U256::ZERO,
        };
        self.high_water_rate.set(ok(empty.rate())?);
        self.next_to_finalize.set(U256::from(1u8));
        self.last_keeper_action.set(u64_word(self.now()));
        Ok(())
    }

    // --- roles and parameters ---

    /// Proxy-admin only (not the vault's admin role): pointing the vault's delegatecalls at other
    /// code is an upgrade, so it takes the upgrade key, with whatever delay that key sits behind.
    pub fn set_implementations(
        &mut self,
        ops: Address,
        admin: Address,
        restake: Address,
    ) -> Result<(), Revert> {
        ferrostake_common::access::only_proxy_admin(self.vm())?;
        if ops.is_zero() || admin.is_zero() || restake.is_zero() {
            return Err(V::ZeroAddress {}.into());
        }
        self.ops_implementation.set(ops);
        self.admin_implementation.set(admin);
        self.restake_implementation.set(restake);
        log(
            self.vm(),
            V::ImplementationsSet {
                opsImplementation: ops,
                adminImplementation: admin,
                restakeImplementation: restake,
            },
        );
        Ok(())
    }

    pub fn set_roles(
        &mut self,
        manager: Address,
        guardian: Address,
        keeper: Address,
        treasury: Address,
    ) -> Result<(), Revert> {
        self.only_admin()?;
        if treasury.is_zero() {
            return Err(V::ZeroAddress {}.into());
        }
        self.manager.set(manager);
        self.guardian.set(guardian);
        self.keeper.set(keeper);
        self.treasury.set(treasury);
        log(
            self.vm(),
            V::RolesSet {
                manager,
                guardian,
                keeper,
                treasury,
            },
        );
        Ok(())
    }

    pub fn set_performance_fee(&mut self, fee: u16) -> Result<(), Revert> {
        self.only_admin()?;
        let maximum = self.max_performance_fee_bips.get().to::<u16>();
        if fee > maximum {
            return Err(V::FeeAboveMaximum { fee, maximum }.into());
        }
        self.performance_fee_bips.set(u16_word(fee));
        log(
            self.vm(),
            V::FeeSet {
                performanceFeeBips: fee,
            },
        );
        Ok(())
    }

    fn store_caps(
        &mut self,
        cap: U256,
        period: u64,
        min_request: U256,
        max_request: U256,
    ) -> Result<(), Revert> {
        if !max_request.is_zero() && min_request > max_request {
            return Err(V::RequestSizeOutOfBounds {
                shares: min_request,
                minimum: min_request,
                maximum: max_request,
            }
            .into());
        }
        self.cap.set(cap);
        self.cap_period.set(u64_word(period));
        self.cap_window_start.set(u64_word(self.now()));
        self.cap_used.set(U256::ZERO);
        self.min_request.set(min_request);
        self.max_request.set(max_request);
        log(
            self.vm(),
            V::CapsSet {
                depositCapPerPeriod: cap,
                period,
                minRequest: min_request,
                maxRequest: max_request,
            },
        );
        Ok(())
    }

    /// Deposit cap per period (a new window starts now), and request size bounds in shares
    /// (`maxRequest` 0: unbounded).
    pub fn set_caps(
        &mut self,
        cap: U256,
        period: u64,
        min_request: U256,
        max_request: U256,
    ) -> Result<(), Revert> {
        self.only_manager()?;
        self.store_caps(cap, period, min_request, max_request)
    }

    pub fn set_exposure_limits(
        &mut self,
        max_operator_bips: u16,
        max_operator_set_bips: u16,
    ) -> Result<(), Revert> {
        self.only_admin()?;
        for bips in [max_operator_bips, max_operator_set_bips] {
            if bips as u64 > BPS {
                return Err(V::BipsAboveOne { bips }.into());
            }
        }
        self.max_operator_bips.set(u16_word(max_operator_bips));
        self.max_operator_set_bips
            .set(u16_word(max_operator_set_bips));
        log(
            self.vm(),
            V::ExposureLimitsSet {
                maxOperatorBips: max_operator_bips,
                maxOperatorSetBips: max_operator_set_bips,
            },
        );
        Ok(())
    }

    /// The guardian pauses `action` for `duration` seconds, at most `maxPauseDuration`.
    pub fn pause_action(&mut self, action: u8, duration: u64) -> Result<(), Revert> {
        if self.sender() != self.guardian.get() {
            return Err(V::OnlyGuardian {}.into());
        }
        let which = Self::action_of(action)?;
        let mut flags = self.pause_flags();
        flags.pause(
            which,
            self.now(),
            duration,
            self.max_pause_duration.get().to(),
        );
        let until = flags.until[action as usize];
        if let Some(mut slot) = self.paused_until.setter(action as usize) {
            slot.set(u64_word(until));
        }
        log(self.vm(), V::ActionPaused { action, until });
        Ok(())
    }

    /// The admin ends a pause early.
    pub fn unpause_action(&mut self, action: u8) -> Result<(), Revert> {
        self.only_admin()?;
        Self::action_of(action)?;
        if let Some(mut slot) = self.paused_until.setter(action as usize) {
            slot.set(u64_word(0));
        }
        log(self.vm(), V::ActionUnpaused { action });
        Ok(())
    }

    /// The manager's operators and target weights; a new operator takes a free delegator, which
    /// delegates to it. Operators left out keep their delegator (and stake) at weight zero until
    /// unstaked.
    pub fn set_operator_weights(
        &mut self,
        operators: Vec<Address>,
        weights: Vec<u16>,
    ) -> Result<(), Revert> {
        self.only_manager()?;
        self.guard.enter()?;
        if operators.len() > MAX_OPERATORS {
            return Err(V::TooManyOperators {
                count: U256::from(operators.len()),
                maximum: U256::from(MAX_OPERATORS),
            }
            .into());
        }
        let sum: u64 = weights.iter().map(|w| *w as u64).sum();
        if operators.len() != weights.len() || sum != BPS {
            return Err(V::WeightsMustSumToOne {}.into());
        }
        for (i, op) in operators.iter().enumerate() {
            if op.is_zero() {
                return Err(V::ZeroAddress {}.into());
            }
            if operators[..i].contains(op) {
                return Err(V::WeightsMustSumToOne {}.into());
            }
        }
        let dm = self.delegation_manager.get();
        for op in &operators {
            if !self.operator_delegator.get(*op).is_zero() {
                continue;
            }
            let free = self
                .delegator_list()
                .into_iter()
                .find(|d| self.delegator_operator.get(*d).is_zero());
            let Some(d) = free else {
                return Err(V::TooManyOperators {
                    count: U256::from(operators.len()),
                    maximum: U256::from(self.delegators.len()),
                }
                .into());
            };
            // delegateTo(operator, (bytes signature = "", uint256 expiry = 0), bytes32 salt = 0)
            let mut delegate = Enc::call(IDelegationManager::delegateToCall::SELECTOR);
            delegate.a(*op).n(96).n(0).n(64).n(0).n(0);
            self.execute(d, dm, &delegate.0)?;
            self.delegator_operator.setter(d).set(*op);
            self.operator_delegator.setter(*op).set(d);
        }
        for i in 0..self.active_operators.len() {
            if let Some(old) = self.active_operators.get(i) {
                self.weights.setter(old).set(u16_word(0));
            }
        }
        self.active_operators.erase();
        for (op, w) in operators.iter().zip(&weights) {
            self.active_operators.push(*op);
            self.weights.setter(*op).set(u16_word(*w));
        }
        log(
            self.vm(),
            V::OperatorWeightsSet {
                operators,
                weightsBips: weights,
            },
        );
        self.guard.exit();
        Ok(())
    }

    /// The manager frees the delegator of `operator` for another operator (finding 5): once the
    /// operator is no longer weighted, the delegator is no longer delegated to it (the operator
    /// force-undelegated it) and it holds nothing (its withdrawals completed); otherwise
    /// `DelegatorInUse`. `setOperatorWeights` can then assign it to a new operator.
    pub fn recycle_delegator(&mut self, operator: Address) -> Result<(), Revert> {
        self.only_manager()?;
        self.guard.enter()?;
        let d = self.delegator_for(operator)?;
        let mut e = Enc::call(IDelegationManager::delegatedToCall::SELECTOR);
        e.a(d);
        let dm = self.delegation_manager.get();
        let delegated = Reader {
            data: &raw_call(dm, &e.0, false)?,
            from: Some(dm),
        }
        .a(0)?;
        if self.weights.get(operator).to::<u16>() != 0
            || delegated == operator
            || !self.delegator_shares(d)?.is_zero()
        {
            return Err(V::DelegatorInUse { delegator: d }.into());
        }
        self.delegator_operator.setter(d).set(Address::ZERO);
        self.operator_delegator.setter(operator).set(Address::ZERO);
        log(
            self.vm(),
            V::DelegatorRecycled {
                operator,
                delegator: d,
            },
        );
        self.guard.exit();
        Ok(())
    }

    // --- NAV ---

    /// Books the live NAV: idle assets are re-read from the balance (donations enter here and only
    /// here); a fall is taken in full, a rise only up to `maxSyncIncreaseBips`; the performance fee
    /// on the rate's rise above its high-water mark is minted to the treasury as shares.
    pub fn sync_nav(&mut self) -> Result<U256, Revert> {
        self.guard.enter()?;
        let balance = self.asset_balance(self.this())?;
        let live = self.live_nav_with(balance)?;
        let previous = self.nav_book.get();
        if live > previous {
            let bound = ok(accounting::mul_div(
                previous,
                U256::from(BPS + self.max_sync_increase_bips.get().to::<u64>()),
                U256::from(BPS),
                Rounding::Down,
            ))?;
            if live > bound {
                return Err(V::SyncMoveTooLarge {
                    previousNav: previous,
                    newNav: live,
                }
                .into());
            }
        }
        self.idle.set(balance);
        self.nav_book.set(live);
        let totals = Totals {
            nav: live,
            supply: self.total_supply.get(),
        };
        let (minted, hwm) = ok(performance_fee_shares(
            &totals,
            self.high_water_rate.get(),
            self.performance_fee_bips.get().to(),
        ))?;
        if !minted.is_zero() {
            self.mint_shares(self.treasury.get(), minted)?;
        }
        self.high_water_rate.set(hwm);
        log(
            self.vm(),
            V::NavSynced {
                previousNav: previous,
                newNav: live,
                feeShares: minted,
            },
        );
        self.guard.exit();
        Ok(live)
    }

    // --- redemption queue ---

    fn keeper_is_stale(&self) -> bool {
        let last = self.last_keeper_action.get().to::<u64>();
        self.now() >= last.saturating_add(self.keeper_stale_after.get().to())
    }

    fn only_keeper(&mut self) -> Result<(), Revert> {
        if self.sender() != self.keeper.get() {
            return Err(V::OnlyKeeper {}.into());
        }
        self.last_keeper_action.set(u64_word(self.now()));
        Ok(())
    }

    pub fn finalize_requests(&mut self, up_to: U256) -> Result<(), Revert> {
        self.only_keeper()?;
        self.finalize(up_to)
    }

    pub fn finalize_requests_when_stale(&mut self, up_to: U256) -> Result<(), Revert> {
        if !self.keeper_is_stale() {
            return Err(V::KeeperNotStale {}.into());
        }
        self.finalize(up_to)
    }

    /// Finalizes requests `nextToFinalize..=up_to` in order at the current totals.
    /// Refuses while a queued (guarded) slash of one of the vault's operators is pending: a
    /// redemption finalized now would pay the pre-slash value and leave the whole slash to the
    /// holders who stay. Once it executes (or is vetoed) the payout, `min(value at request, value
    /// at finalization)`, counts it.
    fn require_no_pending_slash(&self) -> Result<(), Revert> {
        let am = self.allocation_manager.get();
        for d in self.delegator_list() {
            let operator = self.delegator_operator.get(d);
            if operator.is_zero() {
                continue;
            }
            let mut e = Enc::call(IAM::getWithdrawalSlashHoldCall::SELECTOR);
            e.a(operator).n(u32::MAX.into());
            if !view_word(am, &e.0)?.is_zero() {
                return Err(V::SlashPending { operator }.into());
            }
        }
        Ok(())
    }

    fn finalize(&mut self, up_to: U256) -> Result<(), Revert> {
        self.guard.enter()?;
        let first = self.next_to_finalize.get();
        if up_to < first || up_to > self.last_request_id.get() {
            return Err(V::RequestNotFinalizable { requestId: up_to }.into());
        }
        self.require_no_pending_slash()?;
        let before = self.totals()?;
        let mut t = before;
        let available = self.available_idle();
        let (mut paid, mut burned) = (U256::ZERO, U256::ZERO);
        let mut id = first;
        while id <= up_to {
            let slot = self.requests.getter(id);
            let request = accounting::RedeemRequest {
                shares: slot.shares.get(),
                assets_at_request: slot.assets_at_request.get(),
            };
            let controller = slot.controller.get();
            let payout = ok(request.payout(&t))?;
            paid = paid.checked_add(payout).ok_or_else(overflow)?;
            if paid > available {
                return Err(V::InsufficientLiquidity {
                    available,
                    needed: paid,
                }
                .into());
            }
            // payout <= shares' value <= nav; shares are part of the supply (escrowed).
            t.nav = t.nav.saturating_sub(payout);
            t.supply = t.supply.saturating_sub(request.shares);
            burned += request.shares;
            let cs = self.claimable_shares.get(controller);
            self.claimable_shares
                .setter(controller)
                .set(cs + request.shares);
            let ca = self.claimable_assets.get(controller);
            self.claimable_assets.setter(controller).set(ca + payout);
            self.requests.setter(id).finalized.set(true);
            id += U256::from(1u8);
        }
        let this = self.this();
        self.burn_shares(this, burned)?;
        self.liabilities.set(self.liabilities.get() + paid);
        self.nav_book.set(self.nav_book.get().saturating_sub(paid));
        self.next_to_finalize.set(id);
        let rate = Self::check_rate(&before, &t)?;
        log(
            self.vm(),
            V::RequestsFinalized {
                fromRequestId: first,
                toRequestId: up_to,
                assets: paid,
                rate,
            },
        );
        self.guard.exit();
        Ok(())
    }

    // --- restaking ---

    /// What one strategy share is worth, plus a wei: the most one deposit or withdrawal through
    /// the strategy may lose to rounding.
    fn rounding_allowance(&self) -> Result<U256, Revert> {
        Ok(self.shares_value(U256::from(1u8))? + U256::from(1u8))
    }

    /// What `parts` deposits into (or withdrawals from) delegators may lose to rounding when an
    /// operator has been slashed: per part, one strategy share and a wei, plus about two shares
    /// per 1e18 of the position (the deposit scaling factor and the slashing factor round down
    /// over the whole position) and one share; the NAV before bounds every position.
    fn scaling_allowance(&self, before: &Totals, parts: u64) -> Result<U256, Revert> {
        let scaling_dust = self.shares_value(
            before.nav.saturating_mul(U256::from(2u8)) / U256::from(1_000_000_000_000_000_000u64)
                + U256::from(parts),
        )?;
        Ok(self.rounding_allowance()? * U256::from(parts) + scaling_dust)
    }

    /// Reverts with `RateDecreased` if NAV fell by more than `tolerance` since `before`.
    fn check_dust(&self, before: &Totals, tolerance: U256) -> Result<(), Revert> {
        let after = self.totals()?;
        if after.nav.saturating_add(tolerance) < before.nav {
            return Err(V::RateDecreased {
                before: ok(before.rate())?,
                afterwards: ok(after.rate())?,
            }
            .into());
        }
        Ok(())
    }

    fn only_keeper_or_manager(&mut self) -> Result<(), Revert> {
        let caller = self.sender();
        if caller == self.manager.get() {
            return Ok(());
        }
        self.only_keeper()
    }

    /// Restakes `assets` of idle assets across the weighted operators, then checks every exposure
    /// limit.
    pub fn allocate(&mut self, assets: U256) -> Result<(), Revert> {
        self.require_not_paused(ACTION_ALLOCATE)?;
        self.only_keeper_or_manager()?;
        self.guard.enter()?;
        let available = self.available_idle();
        if assets > available {
            return Err(V::InsufficientLiquidity {
                available,
                needed: assets,
            }
            .into());
        }
        if assets.is_zero() {
            return Err(V::ZeroAssets {}.into());
        }
        let before = self.totals()?;
        let operators: Vec<(Address, u16)> = (0..self.active_operators.len())
            .filter_map(|i| self.active_operators.get(i))
            .map(|op| (op, self.weights.get(op).to::<u16>()))
            .filter(|(_, w)| *w != 0)
            .collect();
        if operators.is_empty() {
            return Err(V::UnknownOperator {
                operator: Address::ZERO,
            }
            .into());
        }
        let (asset, sm, strategy) = (
            self.asset.get(),
            self.strategy_manager.get(),
            self.strategy.get(),
        );
        let mut remaining = assets;
        let mut parts = 0u64;
        for (i, (op, w)) in operators.iter().enumerate() {
            let part = if i + 1 == operators.len() {
                remaining
            } else {
                ok(accounting::mul_div(
                    assets,
                    U256::from(*w),
                    U256::from(BPS),
                    Rounding::Down,
                ))?
            };
            if part.is_zero() {
                continue;
            }
            // part <= remaining: the weights sum to one and earlier parts round down.
            remaining -= part;
            parts += 1;
            let d = self.operator_delegator.get(*op);
            ferrostake_common::call::safe_transfer(asset, d, part)?;
            let mut approve = Enc::call(IERC20::approveCall::SELECTOR);
            approve.a(sm).u(part);
            self.execute(d, asset, &approve.0)?;
            let mut deposit = Enc::call(IStrategyManager::depositIntoStrategyCall::SELECTOR);
            deposit.a(strategy).a(asset).u(part);
            self.execute(d, sm, &deposit.0)?;
            self.idle.set(self.idle.get() - part);
            log(
                self.vm(),
                V::Allocated {
                    operator: *op,
                    delegator: d,
                    assets: part,
                },
            );
        }
        // Besides the strategy's rounding: depositing into a slashed operator's delegator makes the
        // DelegationManager recompute the delegator's deposit scaling factor (1/maxMagnitude,
        // rounded down) over its whole position, which can lose up to about two shares per 1e18
        // of that position, plus one per deposit — dust, but it would otherwise trip the rate
        // guard and stop restaking after any slash. The NAV before bounds every position.
        let tolerance = self.scaling_allowance(&before, parts)?;
        self.check_dust(&before, tolerance)?;
        self.check_exposure()?;
        self.guard.exit();
        Ok(())
    }

    /// Every operator's restaked value and every operator set's slashable amount against NAV.
    fn check_exposure(&self) -> Result<(), Revert> {
        let nav = self.totals()?.nav;
        let (per_operator, per_set) = self.exposures()?;
        let op_bips = self.max_operator_bips.get().to::<u64>();
        let set_bips = self.max_operator_set_bips.get().to::<u64>();
        let limit = |bips: u64| {
            ok(accounting::mul_div(
                nav,
                U256::from(bips),
                U256::from(BPS),
                Rounding::Down,
            ))
        };
        for (op, at_risk) in per_operator {
            if !ok(within_exposure(at_risk, nav, op_bips))? {
                return Err(V::ExposureLimitExceeded {
                    operator: op,
                    atRisk: at_risk,
                    limit: limit(op_bips)?,
                }
                .into());
            }
        }
        for (avs, _, at_risk) in per_set {
            if !ok(within_exposure(at_risk, nav, set_bips))? {
                return Err(V::ExposureLimitExceeded {
                    operator: avs,
                    atRisk: at_risk,
                    limit: limit(set_bips)?,
                }
                .into());
            }
        }
        Ok(())
    }

    /// The vault's value behind each delegated operator, and per operator set the part of it the
    /// set can slash: value × allocated magnitude (the larger of current and pending) / max
    /// magnitude, summed over the vault's operators, rounded up.
    pub fn exposures(&self) -> Result<(Vec<OperatorExposure>, Vec<SetExposure>), Revert> {
        let am = self.allocation_manager.get();
        let strategy = self.strategy.get();
        let mut per_operator = Vec::new();
        let mut per_set: Vec<SetExposure> = Vec::new();
        for d in self.delegator_list() {
            let op = self.delegator_operator.get(d);
            if op.is_zero() {
                continue;
            }
            let value = self.shares_value(self.delegator_shares(d)?)?;
            per_operator.push((op, value));
            if value.is_zero() {
                continue;
            }
            let mut e = Enc::call(IAM::getAllocatedSetsCall::SELECTOR);
            e.a(op);
            let out = raw_call(am, &e.0, false)?;
            let r = Reader {
                data: &out,
                from: Some(am),
            };
            let (first, n) = r.tail(0, 0)?;
            if n == 0 {
                continue;
            }
            if n > crate::MAX_SETS_CHECKED {
                // Too many to read one by one: the whole position counts as at risk in one
                // pseudo-set named by the operator (conservative, bounded).
                per_set.push((op, u32::MAX, value));
                continue;
            }
            let mut e = Enc::call(IAM::getMaxMagnitudes_0Call::SELECTOR);
            e.a(op).n(64).n(1).a(strategy);
            let mags = raw_call(am, &e.0, false)?;
            let max = Reader {
                data: &mags,
                from: Some(am),
            }
            .uint(64, 64)?;
            for i in 0..n {
                let (avs, id) = (
                    r.a(first + 64 * i)?,
                    r.uint(first + 64 * i + 32, 32)? as u32,
                );
                let mut e = Enc::call(IAM::getAllocationCall::SELECTOR);
                e.a(op).a(avs).n(id as u64).a(strategy);
                let out = raw_call(am, &e.0, false)?;
                let a = Reader {
                    data: &out,
                    from: Some(am),
                };
                let current = a.uint(0, 64)?;
                // int128 pendingDiff: the low 128 bits, two's complement.
                let pending =
                    a.u(32)?.as_limbs()[0] as u128 | (a.u(32)?.as_limbs()[1] as u128) << 64;
                let a = Allocation {
                    currentMagnitude: current,
                    pendingDiff: pending as i128,
                    effectBlock: 0,
                };
                let set = OperatorSet { avs, id };
                let pending_target = (a.currentMagnitude as i128).saturating_add(a.pendingDiff);
                let magnitude = (a.currentMagnitude as i128).max(pending_target).max(0) as u64;
                let at_risk = if max == 0 {
                    U256::ZERO
                } else {
                    ok(accounting::mul_div(
                        value,
                        U256::from(magnitude.min(max)),
                        U256::from(max),
                        Rounding::Up,
                    ))?
                };
                match per_set
                    .iter_mut()
                    .find(|(avs, id, _)| *avs == set.avs && *id == set.id)
                {
                    Some(entry) => entry.2 = entry.2.checked_add(at_risk).ok_or_else(overflow)?,
                    None => per_set.push((set.avs, set.id, at_risk)),
                }
            }
        }
        Ok((per_operator, per_set))
    }

    /// `slashableExposure()`: per operator set, the vault's slashable amount.
    pub fn slashable_exposure(&self) -> Result<ExposureArrays, Revert> {
        let (_, sets) = self.exposures()?;
        Ok((
            sets.iter().map(|s| s.0).collect(),
            sets.iter().map(|s| s.1).collect(),
            sets.iter().map(|s| s.2).collect(),
        ))
    }

    fn delegator_for(&self, operator: Address) -> Result<Address, Revert> {
        let d = self.operator_delegator.get(operator);
        if d.is_zero() {
            return Err(V::UnknownOperator { operator }.into());
        }
        Ok(d)
    }

    /// Queues a core withdrawal of `deposit_shares` from `operator`'s delegator.
    pub fn queue_unstake(
        &mut self,
        operator: Address,
        deposit_shares: U256,
    ) -> Result<alloy_primitives::B256, Revert> {
        if self.sender() == self.keeper.get() {
            self.only_keeper()?;
        } else if !self.keeper_is_stale() {
            return Err(V::OnlyKeeper {}.into());
        }
        self.guard.enter()?;
        let d = self.delegator_for(operator)?;
        if deposit_shares.is_zero() {
            return Err(V::ZeroShares {}.into());
        }
        let pending = self.pending_unstakes.get(d).to::<u32>();
        if pending >= crate::MAX_PENDING_UNSTAKES {
            return Err(V::TooManyPendingUnstakes {
                maximum: U256::from(crate::MAX_PENDING_UNSTAKES),
            }
            .into());
        }
        self.pending_unstakes
            .setter(d)
            .set(alloy_primitives::aliases::U32::from(pending + 1));
        let before = self.totals()?;
        // queueWithdrawals([([strategy], [depositShares], delegator)])
        let mut queue = Enc::call(IDelegationManager::queueWithdrawalsCall::SELECTOR);
        queue.n(32).n(1).n(32).n(96).n(160).a(d);
        queue.n(1).a(self.strategy.get()).n(1).u(deposit_shares);
        let dm = self.delegation_manager.get();
        let out = self.execute(d, dm, &queue.0)?;
        let root = B256::from(
            Reader {
                data: &out,
                from: Some(dm),
            }
            .u(64)?,
        );
        // A partial withdrawal splits the position in two, each rounded down against the
        // slashing factor: up to two shares, so the allowance of two parts (finding 6).
        self.check_dust(&before, self.scaling_allowance(&before, 2)?)?;
        log(
            self.vm(),
            V::UnstakeQueued {
                operator,
                withdrawalRoot: root,
                depositShares: deposit_shares,
            },
        );
        self.guard.exit();
        Ok(root)
    }

    /// Completes `operator`'s delegator's matured withdrawal as tokens and books them as idle.
    pub fn complete_unstake(
        &mut self,
        operator: Address,
        withdrawal: Withdrawal,
    ) -> Result<U256, Revert> {
        self.guard.enter()?;
        let d = self.delegator_for(operator)?;
        let strategy = self.strategy.get();
        if withdrawal.staker != d || withdrawal.strategies.iter().any(|s| *s != strategy) {
            return Err(V::InvalidWithdrawal {}.into());
        }
        let before = self.totals()?;
        let asset = self.asset.get();
        let held = self.asset_balance(d)?;
        let root = wire::withdrawal_root(&withdrawal);
        // completeQueuedWithdrawal(withdrawal, tokens = [asset; n], receiveAsTokens = true)
        let n = withdrawal.strategies.len() as u64;
        let mut complete = Enc::call(IDelegationManager::completeQueuedWithdrawalCall::SELECTOR);
        complete
            .n(96)
            .n(96 + 32 * (9 + 2 * n))
            .n(1)
            .withdrawal(&withdrawal);
        complete.n(n);
        for _ in 0..n {
            complete.a(asset);
        }
        self.execute(d, self.delegation_manager.get(), &complete.0)?;
        let received = self.asset_balance(d)?.saturating_sub(held);
        let this = self.this();
        let mut transfer = Enc::call(IERC20::transferCall::SELECTOR);
        transfer.a(this).u(received);
        let out = self.execute(d, asset, &transfer.0)?;
        let returned = Reader {
            data: &out,
            from: None,
        }
        .u(0)
        .ok();
        if !out.is_empty() && returned != Some(U256::from(1u8)) {
            return Err(
                ferrostake_interfaces::IFerrostakeErrors::SafeERC20FailedOperation { token: asset }
                    .into(),
            );
        }
        self.idle
            .set(self.idle.get().checked_add(received).ok_or_else(overflow)?);
        // (A withdrawal the vault did not queue, e.g. a force-undelegation's, was never counted.)
        let pending = self.pending_unstakes.get(d).to::<u32>();
        self.pending_unstakes
            .setter(d)
            .set(alloy_primitives::aliases::U32::from(
                pending.saturating_sub(1),
            ));
        self.check_dust(&before, self.rounding_allowance()?)?;
        log(
            self.vm(),
            V::UnstakeCompleted {
                operator,
                withdrawalRoot: root,
                assets: received,
            },
        );
        self.guard.exit();
        Ok(received)
    }

    // --- extension views ---

    pub fn delegator_of(&self, operator: Address) -> Address {
        self.operator_delegator.get(operator)
    }

    pub fn nav_breakdown(&self) -> Result<(U256, U256, U256, U256), Revert> {
        Ok((
            self.nav_book.get(),
            self.live_nav()?,
            self.idle.get(),
            self.liabilities.get(),
        ))
    }

    pub fn request_info(&self, id: U256) -> (Address, U256, U256, bool) {
        let r = self.requests.getter(id);
        (
            r.controller.get(),
            r.shares.get(),
            r.assets_at_request.get(),
            r.finalized.get(),
        )
    }

    pub fn paused_until_of(&self, action: u8) -> u64 {
        u64_of(
            self.paused_until
                .get(action as usize)
                .map(|u| u.to::<u64>())
                .unwrap_or_default(),
        )
    }

    /// `asset.balanceOf(account)`.
    fn asset_balance(&self, account: Address) -> Result<U256, Revert> {
        balance_in(self.asset.get(), account)
    }

    // --- restaking rewards (finding 4) ---

    /// The manager names the RewardsCoordinator and an extra address allowed to claim (zero:
    /// only the keeper and the manager); every delegator names this vault as its claimer there.
    pub fn set_rewards_config(
        &mut self,
        rewards_coordinator: Address,
        rewards_keeper: Address,
    ) -> Result<(), Revert> {
        self.only_manager()?;
        if rewards_coordinator.is_zero() {
            return Err(V::ZeroAddress {}.into());
        }
        let mut e = Enc::call(IRC::setClaimerFor_0Call::SELECTOR);
        e.a(self.this());
        for d in self.delegator_list() {
            self.execute(d, rewards_coordinator, &e.0)?;
        }
        self.rewards_coordinator.set(rewards_coordinator);
        self.rewards_keeper.set(rewards_keeper);
        log(
            self.vm(),
            V::RewardsConfigSet {
                rewardsCoordinator: rewards_coordinator,
                rewardsKeeper: rewards_keeper,
            },
        );
        Ok(())
    }

    pub fn rewards_config(&self) -> (Address, Address) {
        (self.rewards_coordinator.get(), self.rewards_keeper.get())
    }

    /// `claimRewards(claim)` with `args` the ABI-encoded arguments (after the selector): the
    /// keeper, the rewards keeper or the manager has the RewardsCoordinator pay a delegator's
    /// earner claim to this vault (`processClaim(claim, vault)`, as the delegator's claimer).
    /// The claim is forwarded byte for byte; the coordinator verifies it.
    pub fn claim_rewards(&mut self, args: &[u8]) -> Result<(), Revert> {
        let caller = self.sender();
        if caller != self.keeper.get()
            && caller != self.manager.get()
            && caller != self.rewards_keeper.get()
        {
            return Err(V::OnlyKeeper {}.into());
        }
        let rc = self.rewards_coordinator.get();
        if rc.is_zero() {
            return Err(V::RewardsNotConfigured {}.into());
        }
        let r = Reader {
            data: args,
            from: None,
        };
        // The claim tuple's offset, then its head: rootIndex, earnerIndex, earnerTreeProof
        // (offset), earnerLeaf.earner, ...
        let claim = r.index(0)?;
        let earner = r.a(claim + 96)?;
        if !self.delegator_list().contains(&earner) {
            return Err(V::NotDelegatorOfVault { delegator: earner }.into());
        }
        let mut e = Enc::call(IRC::processClaimCall::SELECTOR);
        e.n(64).a(self.this());
        e.0.extend_from_slice(&args[claim..]);
        self.guard.enter()?;
        raw_call(rc, &e.0, true)?;
        self.guard.exit();
        Ok(())
    }

    /// The manager sends the vault's whole balance of a token other than the asset (reward
    /// tokens, not counted in NAV) to `to`.
    pub fn sweep_token(&mut self, token: Address, to: Address) -> Result<U256, Revert> {
        self.only_manager()?;
        if token == self.asset.get() || token == self.this() {
            return Err(V::CannotSweep { token }.into());
        }
        if to.is_zero() {
            return Err(V::ZeroAddress {}.into());
        }
        self.guard.enter()?;
        let amount = balance_in(token, self.this())?;
        safe_transfer(token, to, amount)?;
        self.guard.exit();
        log(self.vm(), V::TokenSwept { token, to, amount });
        Ok(amount)
    }

    /// The admin program's hand-routed selectors: `initialize` (struct arguments the SDK's router
    /// cannot decode; read by [`Reader`]) and `claimRewards` (forwarded as encoded). `None` for
    /// the rest.
    pub fn serve_admin(&mut self, calldata: &[u8]) -> Option<Result<Vec<u8>, Vec<u8>>> {
        let selector = calldata.get(..4)?;
        if selector == V::claimRewardsCall::SELECTOR {
            let out = self.claim_rewards(&calldata[4..]);
            return Some(out.map(|_| Vec::new()).map_err(Vec::from));
        }
        if selector != V::initializeCall::SELECTOR {
            return None;
        }
        let r = Reader {
            data: &calldata[4..],
            from: None,
        };
        let decoded = (|| -> Result<_, Revert> {
            let w = |i: usize| r.a(32 * i);
            let addrs = V::LrtVaultAddresses {
                asset: w(0)?,
                strategy: w(1)?,
                strategyManager: w(2)?,
                delegationManager: w(3)?,
                allocationManager: w(4)?,
                opsImplementation: w(5)?,
                adminImplementation: w(6)?,
                admin: w(7)?,
                manager: w(8)?,
                guardian: w(9)?,
                keeper: w(10)?,
                treasury: w(11)?,
                restakeImplementation: w(12)?,
            };
            let p = |i: usize, bits: usize| r.uint(32 * (13 + i), bits);
            let params = V::LrtVaultParams {
                maxPerformanceFeeBips: p(0, 16)? as u16,
                performanceFeeBips: p(1, 16)? as u16,
                maxPauseDuration: p(2, 64)?,
                keeperStaleAfter: p(3, 64)?,
                maxSyncIncreaseBips: p(4, 16)? as u16,
                depositCapPerPeriod: r.u(32 * 18)?,
                period: p(6, 64)?,
                minRequest: r.u(32 * 20)?,
                maxRequest: r.u(32 * 21)?,
                maxOperatorBips: p(9, 16)? as u16,
                maxOperatorSetBips: p(10, 16)? as u16,
            };
            Ok((
                addrs,
                params,
                r.addresses(0, 32 * 24)?,
                r.string(0, 32 * 25)?,
                r.string(0, 32 * 26)?,
            ))
        })();
        let out =
            decoded.and_then(|(a, p, d, name, symbol)| self.initialize(a, p, d, name, symbol));
        Some(out.map(|_| Vec::new()).map_err(Vec::from))
    }

    /// The ops program's hand-routed selector: `completeUnstake` (a struct argument). `None` for
    /// the rest.
    pub fn serve_ops(&mut self, calldata: &[u8]) -> Option<Result<Vec<u8>, Vec<u8>>> {
        if calldata.get(..4)? != V::completeUnstakeCall::SELECTOR {
            return None;
        }
        let r = Reader {
            data: &calldata[4..],
            from: None,
        };
        let out = (|| -> Result<Vec<u8>, Revert> {
            let (operator, w) = (r.a(0)?, r.withdrawal(0, 32)?);
            let assets = self.complete_unstake(operator, w)?;
            Ok(Enc(Vec::new()).u(assets).0.clone())
        })();
        Some(out.map_err(Vec::from))
    }

    /// The restake program's hand-routed selector: `slashableExposure` (three dynamic returns,
    /// which stylus-sdk 0.9 mis-encodes). `None` for the rest.
    pub fn serve_restake(&mut self, calldata: &[u8]) -> Option<Result<Vec<u8>, Vec<u8>>> {
        if calldata.get(..4)? != V::slashableExposureCall::SELECTOR {
            return None;
        }
        let out = self.slashable_exposure().map(|(a, i, s)| {
            let n = a.len() as u64;
            let mut e = Enc::default();
            e.n(96).n(96 + 32 * (n + 1)).n(96 + 64 * (n + 1));
            e.n(n);
            a.iter().for_each(|x| {
                e.a(*x);
            });
            e.n(n);
            i.iter().for_each(|x| {
                e.n(*x as u64);
            });
            e.n(n);
            s.iter().for_each(|x| {
                e.u(*x);
            });
            e.0
        });
        Some(out.map_err(Vec::from))
    }
}

/// The admin program: initialization, roles, parameters, pause.
#[cfg(feature = "admin")]
#[public]
impl LrtVault {
    #[selector(name = "setImplementations")]
    pub fn a_set_implementations(
        &mut self,
        ops: Address,
        admin: Address,
        restake: Address,
    ) -> Result<(), Revert> {
        self.set_implementations(ops, admin, restake)
    }

    #[selector(name = "setRoles")]
    pub fn a_set_roles(
        &mut self,
        manager: Address,
        guardian: Address,
        keeper: Address,
        treasury: Address,
    ) -> Result<(), Revert> {
        self.set_roles(manager, guardian, keeper, treasury)
    }

    #[selector(name = "setPerformanceFee")]
    pub fn a_set_performance_fee(&mut self, fee: u16) -> Result<(), Revert> {
        self.set_performance_fee(fee)
    }

    #[selector(name = "setCaps")]
    pub fn a_set_caps(
        &mut self,
        cap: U256,
        period: u64,
        min_request: U256,
        max_request: U256,
    ) -> Result<(), Revert> {
        self.set_caps(cap, period, min_request, max_request)
    }

    #[selector(name = "setExposureLimits")]
    pub fn a_set_exposure_limits(&mut self, op: u16, set: u16) -> Result<(), Revert> {
        self.set_exposure_limits(op, set)
    }

    #[selector(name = "pauseAction")]
    pub fn a_pause_action(&mut self, action: u8, duration: u64) -> Result<(), Revert> {
        self.pause_action(action, duration)
    }

    #[selector(name = "unpauseAction")]
    pub fn a_unpause_action(&mut self, action: u8) -> Result<(), Revert> {
        self.unpause_action(action)
    }

    #[selector(name = "setRewardsConfig")]
    pub fn a_set_rewards_config(
        &mut self,
        rewards_coordinator: Address,
        rewards_keeper: Address,
    ) -> Result<(), Revert> {
        self.set_rewards_config(rewards_coordinator, rewards_keeper)
    }

    #[selector(name = "rewardsConfig")]
    pub fn a_rewards_config(&self) -> (Address, Address) {
        self.rewards_config()
    }

    #[selector(name = "sweepToken")]
    pub fn a_sweep_token(&mut self, token: Address, to: Address) -> Result<U256, Revert> {
        self.sweep_token(token, to)
    }

    #[fallback]
    pub fn a_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_admin(calldata)
            .unwrap_or_else(|| Err(ferrostake_common::entry::unknown_selector()))
    }
}

/// The ops program: NAV sync, the redemption queue, unstaking and small views.
#[cfg(feature = "ops")]
#[public]
impl LrtVault {
    #[selector(name = "syncNav")]
    pub fn o_sync_nav(&mut self) -> Result<U256, Revert> {
        self.sync_nav()
    }

    #[selector(name = "finalizeRequests")]
    pub fn o_finalize_requests(&mut self, up_to: U256) -> Result<(), Revert> {
        self.finalize_requests(up_to)
    }

    #[selector(name = "finalizeRequestsWhenStale")]
    pub fn o_finalize_requests_when_stale(&mut self, up_to: U256) -> Result<(), Revert> {
        self.finalize_requests_when_stale(up_to)
    }

    #[selector(name = "navBreakdown")]
    pub fn o_nav_breakdown(&self) -> Result<(U256, U256, U256, U256), Revert> {
        self.nav_breakdown()
    }

    #[selector(name = "delegatorOf")]
    pub fn o_delegator_of(&self, operator: Address) -> Address {
        self.delegator_of(operator)
    }

    #[selector(name = "requestInfo")]
    pub fn o_request_info(&self, id: U256) -> (Address, U256, U256, bool) {
        self.request_info(id)
    }

    #[selector(name = "pausedUntil")]
    pub fn o_paused_until(&self, action: u8) -> u64 {
        self.paused_until_of(action)
    }

    #[selector(name = "queueUnstake")]
    pub fn o_queue_unstake(
        &mut self,
        operator: Address,
        deposit_shares: U256,
    ) -> Result<alloy_primitives::B256, Revert> {
        self.queue_unstake(operator, deposit_shares)
    }

    #[fallback]
    pub fn o_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_ops(calldata)
            .unwrap_or_else(|| Err(ferrostake_common::entry::unknown_selector()))
    }
}

/// The restake program: operator weights, allocation under the exposure limits, and the exposure
/// view.
#[cfg(feature = "restake")]
#[public]
impl LrtVault {
    #[selector(name = "setOperatorWeights")]
    pub fn r_set_operator_weights(
        &mut self,
        operators: Vec<Address>,
        weights: Vec<u16>,
    ) -> Result<(), Revert> {
        self.set_operator_weights(operators, weights)
    }

    #[selector(name = "allocate")]
    pub fn r_allocate(&mut self, assets: U256) -> Result<(), Revert> {
        self.allocate(assets)
    }

    #[selector(name = "recycleDelegator")]
    pub fn r_recycle_delegator(&mut self, operator: Address) -> Result<(), Revert> {
        self.recycle_delegator(operator)
    }

    #[fallback]
    pub fn r_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_restake(calldata)
            .unwrap_or_else(|| Err(ferrostake_common::entry::unknown_selector()))
    }
}
