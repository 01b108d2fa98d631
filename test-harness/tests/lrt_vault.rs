//! The LRT vault on the devnode, deployed by the deploy tool as part of the suite: users deposit,
//! the vault delegates through its delegators and restakes, an AVS slashes, the rate falls by the
//! slashed share and no more, a pending redemption bears its part, claims pay
//! min(value at request, value at finalization), performance fees are minted as shares, and the
//! exposure limits refuse allocations on chain.
//!
//! Expected numbers are derived here, never read back from the vault's own previews:
//! - share prices from the ERC-4626 formulas with the vault's documented virtual offset
//!   (`shares = assets · (supply + 1000) / (nav + 1)`, `assets = shares · (nav + 1) / (supply +
//!   1000)`, rounding down);
//! - NAV from the core contracts: the delegators' strategy shares as the DelegationManager reports
//!   them, priced by the strategy, plus idle assets — and the slashed shares from the operator's
//!   max magnitude (EigenLayer: withdrawable = deposit shares · max magnitude / WAD);
//! - the performance fee from its definition: the treasury's new shares are worth the fee share
//!   of the gain.
//!
//! Run: `FERROSTAKE_WASM_DIR=/work/main/artifacts/wasm cargo test -p ferrostake-harness --test
//! lrt_vault` (the suite fixture reads `artifacts/wasm`).

use alloy::primitives::{Address, U256};
use anyhow::{ensure, Context, Result};
use ferrostake_deploy::abi::{
    AllocateParams, CreateSetParamsV2, IAllocationManager, IDelegationManager, ILrtVault,
    IStrategy, OperatorSet, RegisterParams, SlashingGuard, SlashingParams, IERC20,
};
use ferrostake_harness::lrt_flow::Lrt;
use ferrostake_harness::suite::{actor_address, Suite, WAD};

const VIRTUAL_SHARES: u64 = 1_000;
const DEPOSIT: u8 = 0;

fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(WAD)
}

/// ERC-4626 with the virtual offset: shares for `assets`, rounded down.
fn to_shares(assets: U256, nav: U256, supply: U256) -> U256 {
    assets * (supply + U256::from(VIRTUAL_SHARES)) / (nav + U256::from(1u8))
}

/// ERC-4626 with the virtual offset: assets for `shares`, rounded down.
fn to_assets(shares: U256, nav: U256, supply: U256) -> U256 {
    shares * (nav + U256::from(1u8)) / (supply + U256::from(VIRTUAL_SHARES))
}

/// `getRate()` by definition: assets per 1e18 shares.
fn rate_of(nav: U256, supply: U256) -> U256 {
    to_assets(U256::from(WAD), nav, supply)
}

struct World<'a> {
    s: &'a Suite,
    lrt: Lrt,
    /// Admin, manager, keeper and guardian of the suite's vault (the deployer).
    boss: Address,
    ops: Vec<Address>,
    avss: Vec<Address>,
    alice: Address,
    bob: Address,
}

impl<'a> World<'a> {
    fn new(s: &'a Suite) -> Result<Self> {
        Ok(Self {
            lrt: Lrt::from_manifest(&s.manifest)?,
            boss: s.actors.deployer,
            ops: s.actors.operators.clone(),
            avss: s.actors.avss.clone(),
            alice: s.actors.stakers[0],
            bob: s.actors.stakers[1],
            s,
        })
    }

    /// Operators registered into both AVSs' sets, their allocation delay in effect.
    fn with_operators(self) -> Result<Self> {
        self.s.setup_operators()?;
        let delay = self
            .s
            .config
            .allocation
            .allocation_configuration_delay_blocks as u64;
        self.s.mine(delay + 1);
        Ok(self)
    }

    /// What the core contracts say the vault holds: strategy shares of every delegator
    /// (withdrawable + queued, after slashing), priced by the strategy, plus the vault's token
    /// balance (no donations in the scenarios that use this) — with no finalized, unclaimed
    /// redemption outstanding.
    fn nav_from_core(&self) -> Result<U256> {
        let mut shares = U256::ZERO;
        for d in &self.lrt.delegators {
            shares += self.withdrawable(*d)? + self.queued(*d)?;
        }
        let value = self.s.view(
            self.lrt.strategy,
            IStrategy::sharesToUnderlyingViewCall {
                amountShares: shares,
            },
        )?;
        Ok(value + self.token_balance(self.lrt.vault)?)
    }

    fn withdrawable(&self, staker: Address) -> Result<U256> {
        let r = self.s.view(
            self.lrt.delegation_manager,
            IDelegationManager::getWithdrawableSharesCall {
                staker,
                strategies: vec![self.lrt.strategy],
            },
        )?;
        Ok(r.withdrawableShares.first().copied().unwrap_or_default())
    }

    fn queued(&self, staker: Address) -> Result<U256> {
        let r = self.s.view(
            self.lrt.delegation_manager,
            IDelegationManager::getQueuedWithdrawalsCall { staker },
        )?;
        Ok(r.shares.iter().flatten().copied().sum())
    }

    fn supply(&self) -> Result<U256> {
        self.s.view(self.lrt.vault, ILrtVault::totalSupplyCall {})
    }

    fn balance(&self, who: Address) -> Result<U256> {
        self.s
            .view(self.lrt.vault, IERC20::balanceOfCall { account: who })
    }

    fn token_balance(&self, who: Address) -> Result<U256> {
        self.s.balance_of(self.lrt.asset, who)
    }

    /// `operator` allocates `magnitude` (of WAD) of the vault's strategy to `avs`'s set 1.
    fn allocate_magnitude(&self, operator: Address, avs: Address, magnitude: u64) -> Result<()> {
        self.s
            .send(
                operator,
                self.s.addrs.allocation_manager,
                IAllocationManager::modifyAllocationsCall {
                    operator,
                    params: vec![AllocateParams {
                        operatorSet: Suite::operator_set(avs),
                        strategies: vec![self.lrt.strategy],
                        newMagnitudes: vec![magnitude],
                    }],
                },
            )?
            .ok()
            .context("modifyAllocations")?;
        self.s.mine(1);
        Ok(())
    }

    fn max_magnitude(&self, operator: Address) -> Result<u64> {
        let m = self.s.view(
            self.s.addrs.allocation_manager,
            IAllocationManager::getMaxMagnitudes_0Call {
                operator,
                strategies: vec![self.lrt.strategy],
            },
        )?;
        m.first().copied().context("max magnitude")
    }

    /// Donates `amount` of the asset to the vault (a reward or a griefing transfer).
    fn donate(&self, from: Address, amount: U256) -> Result<()> {
        self.s
            .send(
                from,
                self.lrt.asset,
                IERC20::transferCall {
                    to: self.lrt.vault,
                    value: amount,
                },
            )?
            .ok()?;
        Ok(())
    }
}

/// The story: deposit, delegate, restake, request, slash, finalize, claim, unstake.
#[test]
fn deposit_delegate_slash_and_redeem_on_the_devnode() -> Result<()> {
    let suite = Suite::shared();
    let w = World::new(&suite)?.with_operators()?;
    let (s, lrt) = (&*suite, &w.lrt);
    let (op0, op1) = (w.ops[0], w.ops[1]);

    // The manager picks both operators at 50/50: each gets a delegator, which delegates to it.
    lrt.set_operator_weights(s, w.boss, vec![op0, op1], vec![5_000, 5_000])?;
    for (i, op) in [op0, op1].into_iter().enumerate() {
        let d = s.view(lrt.vault, ILrtVault::delegatorOfCall { operator: op })?;
        ensure!(d == lrt.delegators[i], "delegator of operator {i}: {d}");
        let to = s.view(
            lrt.delegation_manager,
            IDelegationManager::delegatedToCall { staker: d },
        )?;
        ensure!(to == op, "delegator {i} delegated to {to}, expected {op}");
    }

    // Deposits price at the virtual offset.
    let (a_assets, b_assets) = (e18(100), e18(50));
    let (a_shares, deposit_gas) = lrt.deposit(s, w.alice, a_assets)?;
    ensure!(a_shares == to_shares(a_assets, U256::ZERO, U256::ZERO));
    let (nav, supply) = (a_assets, a_shares);
    let (b_shares, _) = lrt.deposit(s, w.bob, b_assets)?;
    ensure!(b_shares == to_shares(b_assets, nav, supply), "bob's shares");
    let nav = nav + b_assets;
    let supply = supply + b_shares;
    ensure!(lrt.totals(s)? == (nav, supply));
    ensure!(w.balance(w.alice)? == a_shares && w.balance(w.bob)? == b_shares);

    // The keeper restakes 120 of the 150 by weight; 30 stay idle for redemptions.
    let rate0 = lrt.rate(s)?;
    ensure!(rate0 == rate_of(nav, supply));
    let allocate_gas = lrt.allocate(s, w.boss, e18(120))?;
    for d in &lrt.delegators {
        ensure!(w.withdrawable(*d)? == e18(60), "each delegator restakes 60");
    }
    ensure!(w.nav_from_core()? == nav, "allocation keeps NAV");
    ensure!(lrt.rate(s)? == rate0, "allocation keeps the rate");

    // Operator 0 allocates half its magnitude to AVS 0's set: the vault's exposure view shows
    // half of operator 0's stake at risk there.
    let half = WAD / 2;
    w.allocate_magnitude(op0, w.avss[0], half)?;
    let exp = s.view(lrt.vault, ILrtVault::slashableExposureCall {})?;
    ensure!(exp.avss == vec![w.avss[0]] && exp.operatorSetIds == vec![1u32]);
    ensure!(
        exp.slashableAssets == vec![e18(30)],
        "exposure {:?}",
        exp.slashableAssets
    );

    // Alice asks to redeem a fifth of her shares (next block: not the deposit's transaction).
    let req_shares = a_shares / U256::from(5u8);
    let req = lrt.request_redeem(s, w.alice, req_shares)?;
    let at_request = to_assets(req_shares, nav, supply);
    ensure!(req.assets_at_request == at_request, "value at request");
    ensure!(
        s.view(
            lrt.vault,
            ILrtVault::pendingRedeemRequestCall {
                requestId: req.id,
                controller: w.alice
            }
        )? == req_shares
    );

    // AVS 0 slashes 20% of operator 0's allocation: 10% of operator 0's stake.
    let d0_before = w.withdrawable(lrt.delegators[0])?;
    s.send(
        w.avss[0],
        s.addrs.allocation_manager,
        IAllocationManager::slashOperatorCall {
            avs: w.avss[0],
            params: SlashingParams {
                operator: op0,
                operatorSetId: 1,
                strategies: vec![lrt.strategy],
                wadsToSlash: vec![U256::from(WAD / 5)],
                description: "lrt test: equivocation".into(),
            },
        },
    )?
    .ok()
    .context("slashOperator")?;
    let max = w.max_magnitude(op0)?;
    ensure!(max == WAD - half / 5, "max magnitude {max}");
    let d0_after = d0_before * U256::from(max) / U256::from(WAD);
    ensure!(w.withdrawable(lrt.delegators[0])? == d0_after);
    ensure!(
        w.withdrawable(lrt.delegators[1])? == e18(60),
        "operator 1 untouched"
    );
    let slashed = d0_before - d0_after;
    ensure!(slashed == e18(6));

    // The rate falls at once by the slashed share of NAV, and no more.
    let nav_slashed = nav - slashed;
    ensure!(w.nav_from_core()? == nav_slashed);
    ensure!(lrt.totals(s)? == (nav_slashed, supply));
    let rate1 = lrt.rate(s)?;
    ensure!(rate1 == rate_of(nav_slashed, supply), "rate after slash");
    // rate1 / rate0 = (nav - slashed) / nav, up to the rounding of each rate.
    let scaled = rate0 * nav_slashed / nav;
    ensure!(
        rate1 + U256::from(1u8) >= scaled && rate1 <= scaled + U256::from(1u8),
        "rate {rate1} vs {scaled}"
    );
    // Anyone books the fall; the rate does not move again.
    let (booked, _) = lrt.sync(s, w.bob)?;
    ensure!(booked == nav_slashed && lrt.rate(s)? == rate1);

    // The keeper finalizes: the pending request bears its part of the slash (pays the lower
    // value now), the rate does not fall.
    let value_now = to_assets(req_shares, nav_slashed, supply);
    ensure!(
        value_now < at_request,
        "the slash lowered the request's value"
    );
    let finalize_gas = lrt.finalize(s, w.boss, req.id)?;
    ensure!(
        s.view(
            lrt.vault,
            ILrtVault::claimableRedeemRequestCall {
                requestId: req.id,
                controller: w.alice
            }
        )? == req_shares
    );
    ensure!(
        s.view(
            lrt.vault,
            ILrtVault::maxWithdrawCall {
                controller: w.alice
            }
        )? == value_now
    );
    let (nav2, supply2) = (nav_slashed - value_now, supply - req_shares);
    ensure!(lrt.totals(s)? == (nav2, supply2));
    ensure!(lrt.rate(s)? >= rate1, "finalization never lowers the rate");

    // Alice claims (pull) exactly min(value at request, value at finalization).
    let before = w.token_balance(w.alice)?;
    let (paid, claim_gas) = lrt.claim(s, w.alice)?;
    ensure!(paid == value_now.min(at_request) && paid == value_now);
    ensure!(w.token_balance(w.alice)? - before == paid);
    ensure!(w.balance(w.alice)? == a_shares - req_shares);
    // Bob kept his shares and bears exactly his part of the slash.
    let bob_value = s.view(
        lrt.vault,
        ILrtVault::convertToAssetsCall { shares: b_shares },
    )?;
    ensure!(bob_value == to_assets(b_shares, nav2, supply2));

    // Unstaking: a queued core withdrawal stays in NAV; completed, it becomes idle assets.
    let nav3 = w.nav_from_core()?;
    ensure!(nav3 == nav2);
    let (withdrawal, queue_gas) = lrt.queue_unstake(s, w.boss, op1, e18(10))?;
    ensure!(w.queued(lrt.delegators[1])? == e18(10));
    ensure!(w.nav_from_core()? == nav3 && lrt.totals(s)?.0 == nav3);
    let delay = s.config.delegation.min_withdrawal_delay_blocks as u64;
    s.mine(delay + 1);
    let held = w.token_balance(lrt.vault)?;
    let (received, complete_gas) = lrt.complete_unstake(s, w.bob, op1, withdrawal)?;
    ensure!(
        received == e18(10),
        "operator 1 was not slashed: {received}"
    );
    ensure!(w.token_balance(lrt.vault)? == held + received);
    ensure!(w.queued(lrt.delegators[1])?.is_zero());
    let b = s.view(lrt.vault, ILrtVault::navBreakdownCall {})?;
    ensure!(b.idle == held + received && b.liabilities.is_zero());
    ensure!(lrt.totals(s)?.0 == nav3, "unstaking keeps NAV");

    println!(
        "LRT gas on the devnode: deposit {deposit_gas}, allocate (2 operators) {allocate_gas}, \
         requestRedeem {}, finalizeRequests (1) {finalize_gas}, redeem {claim_gas}, \
         queueUnstake {queue_gas}, completeUnstake {complete_gas}",
        req.gas
    );
    Ok(())
}

/// Donations never move the rate until an explicit, bounded sync; the sync mints the performance
/// fee as shares; a request made before the gain is paid its value at request.
#[test]
fn rewards_enter_through_a_bounded_sync_and_fees_are_minted_as_shares() -> Result<()> {
    let suite = Suite::shared();
    let w = World::new(&suite)?;
    let (s, lrt) = (&*suite, &w.lrt);
    let treasury = actor_address("lrt treasury");
    lrt.send(
        s,
        w.boss,
        ILrtVault::setRolesCall {
            manager: w.boss,
            guardian: w.boss,
            keeper: w.boss,
            treasury,
        },
    )?;

    let (a_shares, _) = lrt.deposit(s, w.alice, e18(100))?;
    let (b_shares, _) = lrt.deposit(s, w.bob, e18(50))?;
    let (nav, supply) = lrt.totals(s)?;
    ensure!(nav == e18(150) && supply == a_shares + b_shares);
    // The first sync changes nothing: no gain above the initial high-water mark (the empty
    // vault's rate, 1e18 · 1 / 1000), so no fee.
    lrt.sync(s, w.boss)?;
    ensure!(w.balance(treasury)?.is_zero() && w.supply()? == supply);
    let rate0 = lrt.rate(s)?;
    ensure!(rate0 == rate_of(nav, supply));
    let high_water = rate0.max(rate_of(U256::ZERO, U256::ZERO));
    let treasury0 = w.balance(treasury)?;

    // Bob asks to redeem a tenth of his shares before the gain.
    let req_shares = b_shares / U256::from(10u8);
    let req = lrt.request_redeem(s, w.bob, req_shares)?;
    ensure!(req.assets_at_request == to_assets(req_shares, nav, supply));

    // A reward of 3% arrives as a plain transfer: invisible until synced.
    let reward = e18(3) + U256::from(123_456u64);
    w.donate(s.actors.stakers[2], reward)?;
    ensure!(lrt.rate(s)? == rate0 && lrt.totals(s)?.0 == nav);

    // The sync books it and mints 10% of the gain to the treasury as shares.
    let (booked, _) = lrt.sync(s, w.boss)?;
    let nav1 = nav + reward;
    ensure!(booked == nav1);
    let supply1 = w.supply()?;
    let fee_shares = w.balance(treasury)? - treasury0;
    ensure!(supply1 == supply + fee_shares && !fee_shares.is_zero());
    // The gain is what the pre-sync shares earned above the high-water mark: (rate after, before
    // the fee − mark) · supply; the fee is 10% of it; the treasury's shares are worth the fee (to
    // the rounding of one rate unit per 1e18 shares and a wei).
    let gain = (rate_of(nav1, supply) - high_water) * supply / U256::from(WAD);
    let fee = gain / U256::from(10u8);
    let fee_value = to_assets(fee_shares, nav1, supply1);
    let tolerance = supply / U256::from(WAD) + U256::from(2u8);
    ensure!(
        fee_value <= fee && fee - fee_value <= tolerance,
        "fee shares worth {fee_value}, fee {fee}"
    );
    let rate1 = lrt.rate(s)?;
    ensure!(rate1 > rate0 && rate1 == rate_of(nav1, supply1));

    // Bob's request pays its value at request, not the higher value now.
    let value_now = to_assets(req_shares, nav1, supply1);
    ensure!(value_now > req.assets_at_request);
    lrt.finalize(s, w.boss, req.id)?;
    let before = w.token_balance(w.bob)?;
    let (paid, _) = lrt.claim(s, w.bob)?;
    ensure!(paid == req.assets_at_request);
    ensure!(w.token_balance(w.bob)? - before == paid);
    ensure!(
        lrt.rate(s)? >= rate1,
        "paying less than the value lifts the rate"
    );

    // A donation beyond the sync bound (5%) cannot be booked, and never moved the rate.
    let rate2 = lrt.rate(s)?;
    w.donate(s.actors.stakers[2], e18(20))?;
    ensure!(lrt.rate(s)? == rate2);
    let o = lrt.try_send(s, w.bob, ILrtVault::syncNavCall {})?;
    o.expect_error::<ILrtVault::SyncMoveTooLarge>()?;
    ensure!(lrt.rate(s)? == rate2);
    Ok(())
}

/// The vault refuses an allocation that would put more than the configured share of NAV behind
/// one operator (70%) or at risk to one operator set (60%).
#[test]
fn exposure_limits_refuse_allocations_on_chain() -> Result<()> {
    let suite = Suite::shared();
    let w = World::new(&suite)?.with_operators()?;
    let (s, lrt) = (&*suite, &w.lrt);
    let (op0, op1) = (w.ops[0], w.ops[1]);
    lrt.deposit(s, w.alice, e18(100))?;

    // Everything behind one operator: 100% > 70%.
    lrt.set_operator_weights(s, w.boss, vec![op0], vec![10_000])?;
    let o = lrt.try_send(s, w.boss, ILrtVault::allocateCall { assets: e18(80) })?;
    let e = o.expect_error::<ILrtVault::ExposureLimitExceeded>()?;
    ensure!(e.operator == op0 && e.atRisk == e18(80) && e.limit == e18(70));
    // 60 behind one operator is within the limit.
    lrt.allocate(s, w.boss, e18(60))?;

    // Half of the next 20 brings operator 0 to exactly 70%: allowed.
    lrt.set_operator_weights(s, w.boss, vec![op0, op1], vec![5_000, 5_000])?;
    lrt.allocate(s, w.boss, e18(20))?;
    // Operator sets next: lift the per-operator limit, keep 60% per set.
    lrt.send(
        s,
        w.boss,
        ILrtVault::setExposureLimitsCall {
            maxOperatorBips: 10_000,
            maxOperatorSetBips: 6_000,
        },
    )?;
    // Both operators allocate 70% of their magnitude to AVS 0's set.
    let mag = WAD / 10 * 7;
    w.allocate_magnitude(op0, w.avss[0], mag)?;
    w.allocate_magnitude(op1, w.avss[0], mag)?;
    // At risk to the set: 70% of (70 + 10) = 56 of NAV 100: within 60%.
    let exp = s.view(lrt.vault, ILrtVault::slashableExposureCall {})?;
    ensure!(exp.avss == vec![w.avss[0]] && exp.slashableAssets == vec![e18(56)]);
    // Allocating the last 20 would put 70% of 100 = 70 at risk: refused (the set's AVS is named).
    let o = lrt.try_send(s, w.boss, ILrtVault::allocateCall { assets: e18(20) })?;
    let e = o.expect_error::<ILrtVault::ExposureLimitExceeded>()?;
    ensure!(e.operator == w.avss[0] && e.atRisk == e18(70) && e.limit == e18(60));
    ensure!(
        s.view(lrt.vault, ILrtVault::slashableExposureCall {})?
            .slashableAssets
            == vec![e18(56)],
        "a refused allocation changes nothing"
    );
    Ok(())
}

/// The guardian's pause is per action and time-boxed; paused actions report zero `max*`.
#[test]
fn pause_is_per_action_and_time_boxed_on_chain() -> Result<()> {
    let suite = Suite::shared();
    let w = World::new(&suite)?;
    let (s, lrt) = (&*suite, &w.lrt);
    lrt.deposit(s, w.alice, e18(10))?;
    let day = 86_400u64;
    lrt.send(
        s,
        w.boss,
        ILrtVault::pauseActionCall {
            action: DEPOSIT,
            duration: day,
        },
    )?;
    ensure!(s
        .view(lrt.vault, ILrtVault::maxDepositCall { receiver: w.bob })?
        .is_zero());
    ensure!(s
        .view(lrt.vault, ILrtVault::maxMintCall { receiver: w.bob })?
        .is_zero());
    lrt.approve(s, w.bob, e18(1))?;
    let o = lrt.try_send(
        s,
        w.bob,
        ILrtVault::depositCall {
            assets: e18(1),
            receiver: w.bob,
        },
    )?;
    ensure!(o.expect_error::<ILrtVault::ActionIsPaused>()?.action == DEPOSIT);
    // Requests are not paused.
    let shares = w.balance(w.alice)? / U256::from(2u8);
    lrt.request_redeem(s, w.alice, shares)?;
    // A guardian cannot pause beyond the maximum (seven days).
    lrt.send(
        s,
        w.boss,
        ILrtVault::pauseActionCall {
            action: DEPOSIT,
            duration: 30 * day,
        },
    )?;
    let until = s.view(lrt.vault, ILrtVault::pausedUntilCall { action: DEPOSIT })?;
    let now = s.node().latest_block().timestamp;
    ensure!(
        until > now + day && until <= now + 7 * day,
        "paused until {until}, now {now}"
    );
    // The pause ends by itself.
    s.node().increase_time(until - now + 1);
    s.mine(1);
    ensure!(!s
        .view(lrt.vault, ILrtVault::maxDepositCall { receiver: w.bob })?
        .is_zero());
    lrt.deposit(s, w.bob, e18(1))?;
    Ok(())
}

/// Gas of the vault's operations (two operators restaked), programs uncached and cached (as a
/// CacheManager bid does).
#[test]
fn gas_of_deposit_and_request_redeem() -> Result<()> {
    let uncached = {
        let suite = Suite::shared();
        ferrostake_harness::lrt_flow::measure_gas(&suite, false)?
    };
    let cached = {
        let suite = Suite::shared();
        ferrostake_harness::lrt_flow::measure_gas(&suite, true)?
    };
    println!("LRT gas, programs uncached: {uncached:?}");
    println!("LRT gas, programs cached:   {cached:?}");
    // Every operation ran, and caching the programs only lowers its cost.
    for (u, c) in [
        (uncached.first_deposit, cached.first_deposit),
        (uncached.set_operator_weights, cached.set_operator_weights),
        (uncached.allocate, cached.allocate),
        (uncached.deposit, cached.deposit),
        (uncached.request_redeem, cached.request_redeem),
        (uncached.finalize, cached.finalize),
        (uncached.redeem, cached.redeem),
    ] {
        ensure!(c > 21_000 && c < u, "cached {c}, uncached {u}");
    }
    Ok(())
}

/// Re-running the deploy tool over the deployed suite confirms the vault and changes nothing: no
/// program, proxy or initializer is sent again, and the read-back passes.
#[test]
fn redeploy_confirms_the_vault_without_transactions() -> Result<()> {
    use ferrostake_deploy::{chain::Chain, lrt, manifest::Manifest, suite};
    let s = Suite::shared();
    let dir = std::env::temp_dir().join(format!("ferrostake-lrt-redeploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    s.manifest
        .save(&Manifest::path(
            &dir,
            ferrostake_deploy::suite::DEVNODE_CHAIN_ID,
        ))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let artifacts = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm");
    let url = s.rpc_url();
    let block = s.block_number();
    let mut steps = Vec::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let manifest = rt.block_on(async {
        let chain = Chain::connect(
            &url,
            ferrostake_devnode::node::DEV_KEY,
            Some(ferrostake_deploy::suite::DEVNODE_CHAIN_ID),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        suite::deploy_suite(&chain, &s.config, &artifacts, &dir, &mut |p| steps.push(p))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let manifest = manifest?;
    ensure!(s.block_number() == block, "the re-run mined transactions");
    ensure!(steps.iter().all(|p| p.gas_used == 0));
    ensure!(manifest.proxy(lrt::VAULT) == s.manifest.proxy(lrt::VAULT));
    for name in
        std::iter::once(lrt::VAULT.to_string()).chain((0..lrt::DELEGATORS).map(lrt::delegator_name))
    {
        let step = steps
            .iter()
            .find(|p| p.step == format!("initialize {name}"))
            .with_context(|| format!("no initialize step for {name}"))?;
        ensure!(
            step.detail == "already initialized",
            "{name}: {}",
            step.detail
        );
    }
    ensure!(steps.iter().any(|p| p.step == "verify wiring"));
    Ok(())
}

/// Finding 2: a deposit while a gain sits unsynced (a donation beyond the 5% sync bound) is
/// priced at the measured value (restaked + the vault's balance − liabilities), not at the booked
/// NAV, so depositing, unblocking the sync and redeeming captures nothing of the holders' gain.
#[test]
fn deposits_are_priced_at_the_measured_value_on_the_devnode() -> Result<()> {
    let suite = Suite::shared();
    let w = World::new(&suite)?;
    let (s, lrt) = (&*suite, &w.lrt);
    let (a_shares, _) = lrt.deposit(s, w.alice, e18(100))?;
    // 20% donated: more than one sync may book.
    w.donate(s.actors.stakers[2], e18(20))?;
    let o = lrt.try_send(s, w.bob, ILrtVault::syncNavCall {})?;
    o.expect_error::<ILrtVault::SyncMoveTooLarge>()?;
    ensure!(lrt.totals(s)?.0 == e18(100), "booked NAV still 100");
    // Measured NAV 120 prices bob's deposit.
    let expected = to_shares(e18(60), e18(120), a_shares);
    let preview = s.view(lrt.vault, ILrtVault::previewDepositCall { assets: e18(60) })?;
    ensure!(
        preview == expected,
        "previewDeposit {preview}, expected {expected}"
    );
    let (b_shares, _) = lrt.deposit(s, w.bob, e18(60))?;
    ensure!(
        b_shares == expected,
        "bob's shares {b_shares}, expected {expected}"
    );
    // Booked 160, measured 180 (12.5%): still beyond one sync; at the measured value bob's
    // shares are worth what he paid, to a wei.
    let supply = a_shares + b_shares;
    let worth = to_assets(b_shares, e18(180), supply);
    ensure!(
        worth <= e18(60) && e18(60) - worth <= U256::from(1u8),
        "worth {worth}"
    );
    Ok(())
}

/// Finding 3: holders who react to `SlashQueued` of a guarded set used to leave at the
/// pre-slash value. Finalization now waits for the pending slash (`SlashPending`, nothing
/// changes); after it executes, the request pays the lower, slashed value.
#[test]
fn redemptions_wait_for_a_pending_guarded_slash_on_the_devnode() -> Result<()> {
    let suite = Suite::shared();
    let w = World::new(&suite)?.with_operators()?;
    let (s, lrt) = (&*suite, &w.lrt);
    let (op0, avs, resolver) = (w.ops[0], w.avss[0], w.avss[1]);
    let am = s.addrs.allocation_manager;
    lrt.set_operator_weights(s, w.boss, vec![op0], vec![10_000])?;
    lrt.send(
        s,
        w.boss,
        ILrtVault::setExposureLimitsCall {
            maxOperatorBips: 10_000,
            maxOperatorSetBips: 10_000,
        },
    )?;
    let (a_shares, _) = lrt.deposit(s, w.alice, e18(100))?;
    lrt.allocate(s, w.boss, e18(80))?;
    // A guarded set 9 of the AVS over the vault's strategy; op0 registers and allocates it all.
    s.send(
        avs,
        am,
        IAllocationManager::createOperatorSetsWithSlashingGuardCall {
            avs,
            params: vec![CreateSetParamsV2 {
                operatorSetId: 9,
                strategies: vec![lrt.strategy],
                slasher: avs,
            }],
            guards: vec![SlashingGuard {
                maxWadPerIncident: WAD / 2,
                vetoWindowBlocks: 10,
                resolver,
            }],
        },
    )?
    .ok()?;
    s.send(
        op0,
        am,
        IAllocationManager::registerForOperatorSetsCall {
            operator: op0,
            params: RegisterParams {
                avs,
                operatorSetIds: vec![9],
                data: Default::default(),
            },
        },
    )?
    .ok()?;
    s.send(
        op0,
        am,
        IAllocationManager::modifyAllocationsCall {
            operator: op0,
            params: vec![AllocateParams {
                operatorSet: OperatorSet { avs, id: 9 },
                strategies: vec![lrt.strategy],
                newMagnitudes: vec![WAD],
            }],
        },
    )?
    .ok()?;
    s.mine(1);
    // The AVS queues a 25% slash; alice reacts by requesting all her shares.
    let params = SlashingParams {
        operator: op0,
        operatorSetId: 9,
        strategies: vec![lrt.strategy],
        wadsToSlash: vec![U256::from(WAD / 4)],
        description: "lrt test: queued".into(),
    };
    let out = s
        .send(
            avs,
            am,
            IAllocationManager::slashOperatorCall {
                avs,
                params: params.clone(),
            },
        )?
        .ok()?;
    let queued = out.events::<IAllocationManager::SlashQueued>();
    ensure!(queued.len() == 1, "slash queued");
    let req_shares = a_shares / U256::from(10u8);
    let req = lrt.request_redeem(s, w.alice, req_shares)?;
    ensure!(req.assets_at_request == to_assets(req_shares, e18(100), a_shares));
    let o = lrt.try_send(
        s,
        w.boss,
        ILrtVault::finalizeRequestsCall {
            upToRequestId: req.id,
        },
    )?;
    let e = o.expect_error::<ILrtVault::SlashPending>()?;
    ensure!(e.operator == op0);
    ensure!(
        s.view(
            lrt.vault,
            ILrtVault::maxRedeemCall {
                controller: w.alice
            }
        )?
        .is_zero(),
        "nothing finalized"
    );
    // The slash executes: 25% of the 80 restaked.
    s.mine(10);
    s.send(
        w.bob,
        am,
        IAllocationManager::executeSlashCall {
            operatorSet: OperatorSet { avs, id: 9 },
            queuedSlashId: queued[0].queuedSlashId,
            params,
        },
    )?
    .ok()?;
    // 60 restaked + 20 idle.
    ensure!(lrt.totals(s)?.0 == e18(80), "NAV after the slash");
    lrt.finalize(s, w.boss, req.id)?;
    let value_now = to_assets(req_shares, e18(80), a_shares);
    ensure!(
        s.view(
            lrt.vault,
            ILrtVault::maxWithdrawCall {
                controller: w.alice
            }
        )? == value_now,
        "pays the slashed value"
    );
    Ok(())
}
