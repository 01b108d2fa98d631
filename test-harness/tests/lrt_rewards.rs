//! The LRT vault collects the restaking rewards its delegators earn in the RewardsCoordinator
//! (review finding 4), on the compiled WASM on the devnode: an AVS funds a rewards submission over
//! the vault's strategy, the rewards updater posts a distribution root in which one of the vault's
//! delegators is an earner (in the asset and in a second token), and the keeper claims it for the
//! vault, which the delegators named as their claimer (`setRewardsConfig`).
//!
//! Expected values come from the root's leaves (what the off-chain calculation assigned) and from
//! the vault's NAV definition (booked NAV + the claimed asset, within the 5% sync bound); the
//! second token is not counted in NAV and is swept by the manager.
//!
//! Run: `FERROSTAKE_WASM_DIR=<worktree>/artifacts/wasm cargo test -p ferrostake-harness --test
//! lrt_rewards`.

use std::collections::BTreeMap;

use alloy::primitives::{Address, Uint, U256};
use anyhow::{ensure, Context, Result};
use ferrostake_deploy::abi::{
    ILrtVault, IRewardsCoordinator, RewardsSubmission, StrategyAndMultiplier, IERC20,
};
use ferrostake_harness::lrt_flow::Lrt;
use ferrostake_harness::rewards_tree::Distribution;
use ferrostake_harness::suite::{actor_address, Suite, WAD};

fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(WAD)
}

#[test]
fn the_keeper_claims_delegator_rewards_into_the_vault_on_the_devnode() -> Result<()> {
    let s = Suite::shared();
    let s = &*s;
    let lrt = Lrt::from_manifest(&s.manifest)?;
    let rc = s.addrs.rewards_coordinator;
    let (boss, alice, other_earner) = (s.actors.deployer, s.actors.stakers[0], s.actors.stakers[2]);
    let (avs, asset, other) = (s.actors.avss[0], lrt.asset, s.addrs.tokens[1]);
    ensure!(asset == s.addrs.tokens[0] && other != asset);
    // A funded account of the suite acts as the rewards keeper.
    let rewards_keeper = s.actors.stakers[1];
    let recipient = actor_address("lrt reward swap desk");

    // The vault restakes through delegator 0 with operator 0 (registered in the AVS's set).
    s.setup_operators()?;
    let delay = s.config.allocation.allocation_configuration_delay_blocks as u64;
    s.mine(delay + 1);
    let op = s.actors.operators[0];
    lrt.set_operator_weights(s, boss, vec![op], vec![10_000])?;
    let delegator = lrt.delegators[0];
    ensure!(s.view(lrt.vault, ILrtVault::delegatorOfCall { operator: op })? == delegator);
    lrt.deposit(s, alice, e18(100))?;
    // 60% of NAV: under the deployment's 70% per-operator limit.
    lrt.allocate(s, boss, e18(60))?;

    // The manager names the coordinator and a rewards keeper; every delegator names the vault as
    // its claimer there.
    lrt.send(
        s,
        boss,
        ILrtVault::setRewardsConfigCall {
            rewardsCoordinator: rc,
            rewardsKeeper: rewards_keeper,
        },
    )?;
    let cfg = s.view(lrt.vault, ILrtVault::rewardsConfigCall {})?;
    ensure!(cfg.rewardsCoordinator == rc && cfg.rewardsKeeper == rewards_keeper);
    for d in &lrt.delegators {
        let claimer = s.view(rc, IRewardsCoordinator::claimerForCall { earner: *d })?;
        ensure!(claimer == lrt.vault, "claimer of {d} is {claimer}");
    }

    // The AVS funds a submission over the vault's strategy in both tokens.
    let submitted = e18(10);
    let interval = u64::from(s.config.rewards.calculation_interval_seconds);
    let now = s.node().latest_block().timestamp;
    let mut submissions = Vec::new();
    for token in [asset, other] {
        s.send(
            alice,
            token,
            IERC20::transferCall {
                to: avs,
                value: submitted,
            },
        )?
        .ok()?;
        s.send(
            avs,
            token,
            IERC20::approveCall {
                spender: rc,
                value: submitted,
            },
        )?
        .ok()?;
        submissions.push(RewardsSubmission {
            strategiesAndMultipliers: vec![StrategyAndMultiplier {
                strategy: lrt.strategy,
                multiplier: Uint::<96, 2>::from(WAD),
            }],
            token,
            amount: submitted,
            startTimestamp: ((now / interval - 1) * interval) as u32,
            duration: interval as u32,
        });
    }
    s.send(
        avs,
        rc,
        IRewardsCoordinator::createAVSRewardsSubmissionCall {
            rewardsSubmissions: submissions,
        },
    )?
    .ok()
    .context("createAVSRewardsSubmission")?;

    // The root: the vault's delegator earns 2 of the asset and 5 of the other token; another
    // earner 1 of the asset.
    let (asset_reward, other_reward) = (e18(2), e18(5));
    let mut earnings: BTreeMap<Address, BTreeMap<Address, U256>> = BTreeMap::new();
    earnings.insert(
        delegator,
        [(asset, asset_reward), (other, other_reward)]
            .into_iter()
            .collect(),
    );
    earnings.insert(other_earner, [(asset, e18(1))].into_iter().collect());
    let dist = Distribution::new(&earnings);
    let end = s.node().latest_block().timestamp - 1;
    s.send(
        boss,
        rc,
        IRewardsCoordinator::submitRootCall {
            root: dist.root(),
            rewardsCalculationEndTimestamp: end as u32,
        },
    )?
    .ok()
    .context("submitRoot")?;
    s.node()
        .increase_time(u64::from(s.config.rewards.activation_delay) + 1);
    s.mine(1);
    let root_index =
        s.view(rc, IRewardsCoordinator::getDistributionRootsLengthCall {})? - U256::from(1u8);
    let claim_of = |earner: Address| ILrtVault::claimRewardsCall {
        claim: dist
            .claim(earner)
            .expect("an earner of the root")
            .to_abi(root_index.to::<u32>()),
    };

    // Outsiders cannot claim; an earner that is not a delegator of the vault is refused.
    let o = s.send(alice, lrt.vault, claim_of(delegator))?;
    o.expect_error::<ILrtVault::OnlyKeeper>()?;
    let o = s.send(boss, lrt.vault, claim_of(other_earner))?;
    ensure!(
        o.expect_error::<ILrtVault::NotDelegatorOfVault>()?
            .delegator
            == other_earner
    );

    // The rewards keeper claims: the vault receives both tokens, the delegator nothing.
    let nav0 = s.view(lrt.vault, ILrtVault::navBreakdownCall {})?;
    let rate0 = lrt.rate(s)?;
    let vault_asset0 = s.balance_of(asset, lrt.vault)?;
    s.send(rewards_keeper, lrt.vault, claim_of(delegator))?
        .ok()
        .context("claimRewards")?;
    ensure!(s.balance_of(asset, lrt.vault)? == vault_asset0 + asset_reward);
    ensure!(s.balance_of(other, lrt.vault)? == other_reward);
    ensure!(s.balance_of(asset, delegator)?.is_zero() && s.balance_of(other, delegator)?.is_zero());
    let claimed = s.view(
        rc,
        IRewardsCoordinator::cumulativeClaimedCall {
            earner: delegator,
            token: asset,
        },
    )?;
    ensure!(claimed == asset_reward);

    // The booked NAV moves at the sync, by the asset reward only (2% of 100: within the 5% bound).
    ensure!(s.view(lrt.vault, ILrtVault::navBreakdownCall {})?.book == nav0.book);
    lrt.sync(s, alice)?;
    let nav1 = s.view(lrt.vault, ILrtVault::navBreakdownCall {})?;
    ensure!(
        nav1.book == nav0.book + asset_reward,
        "NAV {} after the sync, expected {}",
        nav1.book,
        nav0.book + asset_reward
    );
    ensure!(lrt.rate(s)? > rate0, "the rate rises");

    // The manager sweeps the other token; the asset cannot be swept; outsiders cannot sweep.
    let o = s.send(
        alice,
        lrt.vault,
        ILrtVault::sweepTokenCall {
            token: other,
            to: alice,
        },
    )?;
    o.expect_error::<ILrtVault::OnlyManager>()?;
    let o = s.send(
        boss,
        lrt.vault,
        ILrtVault::sweepTokenCall {
            token: asset,
            to: recipient,
        },
    )?;
    ensure!(o.expect_error::<ILrtVault::CannotSweep>()?.token == asset);
    s.send(
        boss,
        lrt.vault,
        ILrtVault::sweepTokenCall {
            token: other,
            to: recipient,
        },
    )?
    .ok()
    .context("sweepToken")?;
    ensure!(s.balance_of(other, recipient)? == other_reward);
    ensure!(s.balance_of(other, lrt.vault)?.is_zero());
    ensure!(s.view(lrt.vault, ILrtVault::navBreakdownCall {})?.book == nav1.book);
    Ok(())
}
