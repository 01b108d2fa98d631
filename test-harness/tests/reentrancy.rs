//! Reentrancy from a malicious token and a malicious AVS registrar (issue #10, item 4), on the
//! compiled WASM: `contracts/test-tokens/hostile` is an ERC-20 that can act as a staker or an AVS
//! (`exec`) and, once armed, calls back into the protocol from inside `transfer`, `transferFrom`
//! or the registrar callbacks — either swallowing the failure of its call-back (to see whether the
//! outer operation stays correct) or bubbling it (the outer operation must then revert with the
//! protocol's custom error and change nothing).
//!
//! Expected numbers come from StrategyBase's documented share formula
//! (`shares = amount · (S + 1e3) / (B + 1e3)`, rounding down), not from the contracts' views.

use std::path::PathBuf;

use alloy::primitives::{Address, Bytes, U256};
use alloy::sol_types::{SolCall, SolError};
use ferrostake_deploy::abi::{
    CreateSetParams, DeregisterParams, IAllocationManager, IDelegationManager, IFerrostakeErrors,
    IStrategy, IStrategyFactory, IStrategyManager, OperatorSet, QueuedWithdrawalParams,
    RegisterParams, SlashingParams, Withdrawal, IERC20,
};
use ferrostake_deploy::abi::{IRewardsCoordinator, RewardsSubmission, StrategyAndMultiplier};
use ferrostake_harness::rewards_tree::Distribution;
use ferrostake_harness::suite::{state_changes, Outcome, Suite, WAD};

alloy::sol! {
    /// `contracts/test-tokens/hostile`.
    interface IHostile {
        function mint(address to, uint256 amount);
        function arm(uint8 trigger, address target, bytes data, bool bubble);
        function disarm();
        function lastOk() external view returns (bool);
        function lastReturn() external view returns (bytes);
        function fired() external view returns (uint256);
        function exec(address target, bytes data) external returns (bytes);
    }
}

const ON_TRANSFER: u8 = 1;
const ON_TRANSFER_FROM: u8 = 2;
const ON_REGISTER: u8 = 3;
const ON_DEREGISTER: u8 = 4;
/// StrategyBase's virtual shares and virtual balance.
const OFFSET: u64 = 1_000;

fn wad(x: u64) -> U256 {
    U256::from(x) * U256::from(WAD)
}

fn reentrant_call() -> Vec<u8> {
    IFerrostakeErrors::ReentrantCall {}.abi_encode()
}

/// How the protocol reports a token call that reverted (or returned false).
fn token_failed(token: Address) -> Vec<u8> {
    IFerrostakeErrors::SafeERC20FailedOperation { token }.abi_encode()
}

/// The hostile program, deployed and activated on the suite's devnode.
fn deploy_hostile(s: &Suite) -> Address {
    let dir = std::env::var_os("FERROSTAKE_WASM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm"));
    let wasm = std::fs::read(dir.join("ferrostake_test_hostile.wasm"))
        .expect("artifacts/wasm/ferrostake_test_hostile.wasm (run scripts/build-contracts)");
    ferrostake_harness::devbench::deploy_program(&mut s.node(), &wasm).expect("deploy hostile")
}

/// A hostile token with its own strategy (the StrategyFactory is permissionless), which the
/// attacker's hostile contract can use as a staker: it holds `amount` of itself and has approved
/// the StrategyManager.
struct Hostile {
    token: Address,
    strategy: Address,
}

impl Hostile {
    fn new(s: &Suite) -> Self {
        let token = deploy_hostile(s);
        let attacker = s.actors.attacker;
        let strategy = s
            .send(
                attacker,
                s.addrs.strategy_factory,
                IStrategyFactory::deployNewStrategyCall { token },
            )
            .unwrap()
            .ok()
            .unwrap()
            .returns::<IStrategyFactory::deployNewStrategyCall>()
            .unwrap();
        let h = Hostile { token, strategy };
        h.exec(
            s,
            token,
            IERC20::approveCall {
                spender: s.addrs.strategy_manager,
                value: U256::MAX,
            },
        )
        .ok()
        .unwrap();
        h
    }

    /// The attacker makes the hostile contract call `to`.
    fn exec<C: SolCall>(&self, s: &Suite, to: Address, call: C) -> Outcome {
        s.send(
            s.actors.attacker,
            self.token,
            IHostile::execCall {
                target: to,
                data: call.abi_encode().into(),
            },
        )
        .unwrap()
    }

    fn mint(&self, s: &Suite, to: Address, amount: U256) {
        s.send(
            s.actors.attacker,
            self.token,
            IHostile::mintCall { to, amount },
        )
        .unwrap()
        .ok()
        .unwrap();
    }

    /// Mints `amount` to the actor `who` and has it approve `spender` for everything.
    fn fund(&self, s: &Suite, who: Address, amount: U256, spender: Address) {
        self.mint(s, who, amount);
        s.send(
            who,
            self.token,
            IERC20::approveCall {
                spender,
                value: U256::MAX,
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    }

    fn arm<C: SolCall>(&self, s: &Suite, trigger: u8, to: Address, call: C, bubble: bool) {
        s.send(
            s.actors.attacker,
            self.token,
            IHostile::armCall {
                trigger,
                target: to,
                data: call.abi_encode().into(),
                bubble,
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    }

    fn disarm(&self, s: &Suite) {
        s.send(s.actors.attacker, self.token, IHostile::disarmCall {})
            .unwrap()
            .ok()
            .unwrap();
    }

    /// (fired, last call ok, last call's return or revert data).
    fn last(&self, s: &Suite) -> (U256, bool, Bytes) {
        (
            s.view(self.token, IHostile::firedCall {}).unwrap(),
            s.view(self.token, IHostile::lastOkCall {}).unwrap(),
            s.view(self.token, IHostile::lastReturnCall {}).unwrap(),
        )
    }

    fn deposit_call(&self, amount: U256) -> IStrategyManager::depositIntoStrategyCall {
        IStrategyManager::depositIntoStrategyCall {
            strategy: self.strategy,
            token: self.token,
            amount,
        }
    }

    fn shares(&self, s: &Suite, staker: Address) -> U256 {
        s.view(
            s.addrs.strategy_manager,
            IStrategyManager::stakerDepositSharesCall {
                staker,
                strategy: self.strategy,
            },
        )
        .unwrap()
    }

    fn total_shares(&self, s: &Suite) -> U256 {
        s.view(self.strategy, IStrategy::totalSharesCall {})
            .unwrap()
    }

    fn balance(&self, s: &Suite, who: Address) -> U256 {
        s.balance_of(self.token, who).unwrap()
    }

    /// The hostile contract deposits `amount` of itself and queues all its shares.
    fn deposit_and_queue(&self, s: &Suite, amount: U256) -> Withdrawal {
        let me = self.token;
        self.mint(s, me, amount);
        self.exec(s, s.addrs.strategy_manager, self.deposit_call(amount))
            .ok()
            .unwrap();
        let shares = self.shares(s, me);
        self.exec(
            s,
            s.addrs.delegation_manager,
            IDelegationManager::queueWithdrawalsCall {
                params: vec![QueuedWithdrawalParams {
                    strategies: vec![self.strategy],
                    depositShares: vec![shares],
                    __deprecated_withdrawer: Address::ZERO,
                }],
            },
        )
        .ok()
        .unwrap();
        s.mine(u64::from(s.config.delegation.min_withdrawal_delay_blocks) + 1);
        s.view(
            s.addrs.delegation_manager,
            IDelegationManager::getQueuedWithdrawalsCall { staker: me },
        )
        .unwrap()
        .withdrawals
        .last()
        .cloned()
        .expect("a queued withdrawal")
    }

    fn complete_call(&self, w: &Withdrawal) -> IDelegationManager::completeQueuedWithdrawalCall {
        IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: w.clone(),
            tokens: vec![self.token],
            receiveAsTokens: true,
        }
    }
}

/// The state after `o` is the state `before` but for the sender's nonce and gas.
fn assert_unchanged(
    s: &Suite,
    before: &ferrostake_harness::suite::ChainState,
    o: &Outcome,
    sender: Address,
) {
    let changes = state_changes(before, &s.state(), sender);
    assert!(
        changes.is_empty(),
        "a reverted transaction changed state:\n  {}",
        changes.join("\n  ")
    );
    assert!(!o.status);
}

/// The token re-enters `depositIntoStrategy` from inside the deposit's `transferFrom`: the
/// StrategyManager's guard refuses the nested deposit with `ReentrantCall`. Bubbled by the token,
/// the deposit reverts with `SafeERC20FailedOperation(token)` and nothing changes; swallowed, the
/// outer deposit is credited exactly once.
#[test]
fn a_token_reentering_a_deposit_is_refused() {
    let s = Suite::shared();
    let h = Hostile::new(&s);
    let staker = s.actors.stakers[0];
    let amount = wad(10);
    h.fund(&s, staker, amount, s.addrs.strategy_manager);
    h.mint(&s, h.token, amount);

    // Bubbled: the token's transferFrom reverts (with the nested ReentrantCall), which the
    // StrategyManager reports as SafeERC20FailedOperation(token); nothing changes.
    h.arm(
        &s,
        ON_TRANSFER_FROM,
        s.addrs.strategy_manager,
        h.deposit_call(amount),
        true,
    );
    let before = s.state();
    let o = s
        .send(staker, s.addrs.strategy_manager, h.deposit_call(amount))
        .unwrap();
    assert_eq!(
        o.output.to_vec(),
        token_failed(h.token),
        "{:?}",
        o.error_name()
    );
    assert_unchanged(&s, &before, &o, staker);

    // Swallowed: the nested deposit fails with ReentrantCall, the outer one is credited once.
    h.arm(
        &s,
        ON_TRANSFER_FROM,
        s.addrs.strategy_manager,
        h.deposit_call(amount),
        false,
    );
    s.send(staker, s.addrs.strategy_manager, h.deposit_call(amount))
        .unwrap()
        .ok()
        .unwrap();
    let (fired, ok, ret) = h.last(&s);
    // Once: the bubbled attempt's firing was reverted with it.
    assert_eq!(fired, U256::from(1));
    assert!(!ok);
    assert_eq!(ret.to_vec(), reentrant_call());
    // First deposit into an empty strategy: amount · (0 + 1e3) / (0 + 1e3) = amount.
    assert_eq!(h.shares(&s, staker), amount);
    assert_eq!(h.shares(&s, h.token), U256::ZERO);
    assert_eq!(h.total_shares(&s), amount);
    assert_eq!(h.balance(&s, h.strategy), amount);
    assert_eq!(
        h.balance(&s, h.token),
        amount,
        "the nested deposit moved nothing"
    );
}

/// The classic double withdrawal: the hostile contract is the staker, and when the strategy pays
/// it out it re-enters `completeQueuedWithdrawal` with the same withdrawal. The DelegationManager's
/// guard refuses it. Bubbled, the completion reverts with `SafeERC20FailedOperation(token)` and
/// nothing changes; swallowed, the withdrawal is paid exactly once and cannot be completed again.
#[test]
fn a_token_reentering_withdrawal_completion_is_paid_once() {
    let s = Suite::shared();
    let h = Hostile::new(&s);
    let (dm, me) = (s.addrs.delegation_manager, h.token);
    let amount = wad(7);
    let w = h.deposit_and_queue(&s, amount);
    assert_eq!(h.balance(&s, me), U256::ZERO);

    // Bubbled: the payout's transfer reverts (with the nested ReentrantCall), reported as
    // SafeERC20FailedOperation(token); nothing changes.
    h.arm(&s, ON_TRANSFER, dm, h.complete_call(&w), true);
    let before = s.state();
    let o = h.exec(&s, dm, h.complete_call(&w));
    assert_eq!(
        o.output.to_vec(),
        token_failed(h.token),
        "{:?}",
        o.error_name()
    );
    assert_unchanged(&s, &before, &o, s.actors.attacker);

    // Swallowed: paid once. One staker, all shares withdrawn: amount · (S + 1e3) / (B + 1e3) with
    // S = B = amount returns `amount`.
    h.arm(&s, ON_TRANSFER, dm, h.complete_call(&w), false);
    h.exec(&s, dm, h.complete_call(&w)).ok().unwrap();
    let (fired, ok, ret) = h.last(&s);
    // Once: the bubbled attempt's firing was reverted with it.
    assert_eq!(fired, U256::from(1));
    assert!(!ok);
    assert_eq!(ret.to_vec(), reentrant_call());
    assert_eq!(h.balance(&s, me), amount);
    assert_eq!(h.balance(&s, h.strategy), U256::ZERO);
    assert_eq!(h.total_shares(&s), U256::ZERO);
    // The withdrawal is gone: completing it again is refused with the interface's error.
    let again = h.exec(&s, dm, h.complete_call(&w));
    assert_eq!(
        again.error_name(),
        Some("WithdrawalNotQueued"),
        "{:?}",
        again.output
    );
    assert_eq!(h.balance(&s, me), amount);
}

/// Cross-contract reentrancy: while a strategy pays the hostile staker out (inside
/// `completeQueuedWithdrawal`, which holds the DelegationManager's guard, not the
/// StrategyManager's), the token deposits again. The nested deposit is allowed — as in EigenLayer,
/// `withdrawSharesAsTokens` is not guarded — but it prices at the strategy's mid-payout state
/// (shares already burned, tokens not yet sent), so it can only hurt the attacker: an honest
/// staker in the same strategy loses nothing, and the attacker gets fewer shares than a plain
/// deposit would give.
#[test]
fn a_token_depositing_during_its_own_payout_cannot_take_value() {
    let s = Suite::shared();
    let h = Hostile::new(&s);
    let (dm, me) = (s.addrs.delegation_manager, h.token);
    let honest = s.actors.stakers[1];
    let d = wad(5);
    h.fund(&s, honest, d, s.addrs.strategy_manager);
    s.send(honest, s.addrs.strategy_manager, h.deposit_call(d))
        .unwrap()
        .ok()
        .unwrap();
    let honest_value_before = s
        .view(
            h.strategy,
            IStrategy::sharesToUnderlyingViewCall { amountShares: d },
        )
        .unwrap();

    let a = wad(3);
    let w = h.deposit_and_queue(&s, a);
    let x = wad(2);
    h.mint(&s, me, x);
    h.arm(
        &s,
        ON_TRANSFER,
        s.addrs.strategy_manager,
        h.deposit_call(x),
        true,
    );
    h.exec(&s, dm, h.complete_call(&w)).ok().unwrap();
    let (fired, ok, _) = h.last(&s);
    assert_eq!(fired, U256::from(1));
    assert!(ok, "the nested deposit is not guarded against");

    // With S = d + a shares and B = d + a tokens before the payout, the payout of a's shares is
    // a · (S + 1e3) / (B + 1e3) = a. The nested deposit sees S = d (burned) and B = d + a (not yet
    // sent): x · (d + 1e3) / (d + a + 1e3) shares.
    let off = U256::from(OFFSET);
    let nested = x * (d + off) / (d + a + off);
    assert_eq!(h.shares(&s, me), nested);
    assert!(nested < x, "fewer shares than a plain deposit's x");
    assert_eq!(h.total_shares(&s), d + nested);
    assert_eq!(h.balance(&s, h.strategy), d + x);
    assert_eq!(h.balance(&s, me), a, "the payout of `a` arrived once");
    // Value: the honest staker's shares are worth at least what they were; the attacker's at most x.
    let value = |shares| {
        s.view(
            h.strategy,
            IStrategy::sharesToUnderlyingViewCall {
                amountShares: shares,
            },
        )
        .unwrap()
    };
    assert!(value(d) >= honest_value_before);
    assert!(value(nested) <= x);
}

/// A hostile AVS (its own registrar, as EigenLayer defaults) that slashes, re-registers or
/// deregisters the operator from inside `registerOperator` / `deregisterOperator`: the
/// AllocationManager's guard refuses each with `ReentrantCall`.
#[test]
fn a_registrar_reentering_the_allocation_manager_is_refused() {
    let s = Suite::shared();
    let h = Hostile::new(&s);
    let (am, avs) = (s.addrs.allocation_manager, h.token);
    let op = s.actors.operators[0];
    let strategy = s.addrs.strategies[0];
    s.send(
        op,
        s.addrs.delegation_manager,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: Address::ZERO,
            allocationDelay: 0,
            metadataURI: "https://operator.example".into(),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    h.exec(
        &s,
        am,
        IAllocationManager::updateAVSMetadataURICall {
            avs,
            metadataURI: "https://hostile.example".into(),
        },
    )
    .ok()
    .unwrap();
    h.exec(
        &s,
        am,
        IAllocationManager::createOperatorSets_0Call {
            avs,
            params: vec![
                CreateSetParams {
                    operatorSetId: 1,
                    strategies: vec![strategy],
                },
                CreateSetParams {
                    operatorSetId: 2,
                    strategies: vec![strategy],
                },
            ],
        },
    )
    .ok()
    .unwrap();
    let set = |id| OperatorSet { avs, id };
    let member = |id| {
        s.view(
            am,
            IAllocationManager::isMemberOfOperatorSetCall {
                operator: op,
                operatorSet: set(id),
            },
        )
        .unwrap()
    };
    let register = |id: u32| IAllocationManager::registerForOperatorSetsCall {
        operator: op,
        params: RegisterParams {
            avs,
            operatorSetIds: vec![id],
            data: Bytes::new(),
        },
    };
    let deregister = |id: u32| IAllocationManager::deregisterFromOperatorSetsCall {
        params: DeregisterParams {
            operator: op,
            avs,
            operatorSetIds: vec![id],
        },
    };
    let slash = SlashingParams {
        operator: op,
        operatorSetId: 1,
        strategies: vec![strategy],
        wadsToSlash: vec![U256::from(WAD)],
        description: "hostile".into(),
    };
    // Give the operator something to lose: allocate it all to set 1 after registering (below).
    let max = |s: &Suite| {
        s.view(
            am,
            IAllocationManager::getMaxMagnitudeCall {
                operator: op,
                strategy,
            },
        )
        .unwrap()
    };

    // 1. Re-entering with a slash of the operator that is registering (the AVS is its set's
    //    slasher): bubbled, the registration reverts with ReentrantCall and nothing changes.
    h.arm(
        &s,
        ON_REGISTER,
        am,
        IAllocationManager::slashOperatorCall {
            avs,
            params: slash.clone(),
        },
        true,
    );
    let before = s.state();
    let o = s.send(op, am, register(1)).unwrap();
    assert_eq!(o.output.to_vec(), reentrant_call(), "{:?}", o.error_name());
    assert_unchanged(&s, &before, &o, op);
    assert!(!member(1));

    // 2. Re-entering with a deregistration (allowed to the AVS outside the callback): swallowed,
    //    the registration stands and the nested deregistration did nothing.
    h.arm(&s, ON_REGISTER, am, deregister(1), false);
    s.send(op, am, register(1)).unwrap().ok().unwrap();
    let (_, ok, ret) = h.last(&s);
    assert!(!ok);
    assert_eq!(ret.to_vec(), reentrant_call());
    assert!(member(1));

    // Allocate everything to set 1, so a slash would show.
    s.send(
        op,
        am,
        IAllocationManager::modifyAllocationsCall {
            operator: op,
            params: vec![ferrostake_deploy::abi::AllocateParams {
                operatorSet: set(1),
                strategies: vec![strategy],
                newMagnitudes: vec![WAD],
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.mine(1);

    // 3. Registering for set 2 while the hook slashes set 1: swallowed, the slash is refused.
    h.arm(
        &s,
        ON_REGISTER,
        am,
        IAllocationManager::slashOperatorCall {
            avs,
            params: slash.clone(),
        },
        false,
    );
    s.send(op, am, register(2)).unwrap().ok().unwrap();
    let (_, ok, ret) = h.last(&s);
    assert!(!ok);
    assert_eq!(ret.to_vec(), reentrant_call());
    assert!(member(2));
    assert_eq!(max(&s), WAD, "no slash happened");

    // 4. Deregistering from set 2 while the hook re-enters deregistration of set 1: bubbled, the
    //    deregistration reverts with ReentrantCall and the operator stays in both sets.
    h.arm(&s, ON_DEREGISTER, am, deregister(1), true);
    let before = s.state();
    let o = s.send(op, am, deregister(2)).unwrap();
    assert_eq!(o.output.to_vec(), reentrant_call(), "{:?}", o.error_name());
    assert_unchanged(&s, &before, &o, op);
    assert!(member(1) && member(2));

    // 5. Outside any callback the same slash goes through: the guard, not the parameters, refused
    //    it above (positive control). wad 1.0 of an allocation of 1.0 leaves max magnitude 0.
    h.disarm(&s);
    h.exec(
        &s,
        am,
        IAllocationManager::slashOperatorCall { avs, params: slash },
    )
    .ok()
    .unwrap();
    assert_eq!(max(&s), 0);
}

/// The hostile contract is a rewards earner paid in its own token; when the RewardsCoordinator pays
/// it, it re-enters `processClaim` with the same claim. The coordinator's guard refuses it:
/// bubbled, the claim reverts and nothing changes; swallowed, the earner is paid exactly its
/// cumulative earnings once, and another earner of the same root still claims its own.
#[test]
fn a_token_reentering_a_rewards_claim_is_paid_once() {
    let s = Suite::shared();
    let h = Hostile::new(&s);
    let (rc, me) = (s.addrs.rewards_coordinator, h.token);
    let (avs, other) = (s.actors.avss[0], s.actors.stakers[2]);
    let submitted = wad(100);
    h.fund(&s, avs, submitted, rc);
    let interval = u64::from(s.config.rewards.calculation_interval_seconds);
    let now = s.node().latest_block().timestamp;
    s.send(
        avs,
        rc,
        IRewardsCoordinator::createAVSRewardsSubmissionCall {
            rewardsSubmissions: vec![RewardsSubmission {
                strategiesAndMultipliers: vec![StrategyAndMultiplier {
                    strategy: h.strategy,
                    multiplier: alloy::primitives::Uint::<96, 2>::from(WAD),
                }],
                token: h.token,
                amount: submitted,
                startTimestamp: ((now / interval - 1) * interval) as u32,
                duration: interval as u32,
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();

    // The root: 60 to the hostile contract, 40 to another earner, both in the hostile token.
    let (mine, theirs) = (wad(60), wad(40));
    let mut earnings = std::collections::BTreeMap::new();
    earnings.insert(me, [(h.token, mine)].into_iter().collect());
    earnings.insert(other, [(h.token, theirs)].into_iter().collect());
    let dist = Distribution::new(&earnings);
    let end = s.node().latest_block().timestamp - 1;
    s.send(
        s.actors.deployer,
        rc,
        IRewardsCoordinator::submitRootCall {
            root: dist.root(),
            rewardsCalculationEndTimestamp: end as u32,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.node()
        .increase_time(u64::from(s.config.rewards.activation_delay) + 1);
    s.mine(1);
    let claim_of = |earner: Address| {
        let c = dist.claim(earner).expect("an earner of the root");
        IRewardsCoordinator::processClaimCall {
            claim: c.to_abi(0),
            recipient: earner,
        }
    };
    let claimed = |earner: Address| {
        s.view(
            rc,
            IRewardsCoordinator::cumulativeClaimedCall {
                earner,
                token: h.token,
            },
        )
        .unwrap()
    };

    // Bubbled: the payout's transfer reverts, reported as SafeERC20FailedOperation(token).
    h.arm(&s, ON_TRANSFER, rc, claim_of(me), true);
    let before = s.state();
    let o = h.exec(&s, rc, claim_of(me));
    assert_eq!(
        o.output.to_vec(),
        token_failed(h.token),
        "{:?}",
        o.error_name()
    );
    assert_unchanged(&s, &before, &o, s.actors.attacker);

    // Swallowed: the nested claim is refused with ReentrantCall; the earner is paid once.
    h.arm(&s, ON_TRANSFER, rc, claim_of(me), false);
    h.exec(&s, rc, claim_of(me)).ok().unwrap();
    let (fired, ok, ret) = h.last(&s);
    assert_eq!(fired, U256::from(1));
    assert!(!ok);
    assert_eq!(ret.to_vec(), reentrant_call());
    assert_eq!(h.balance(&s, me), mine);
    assert_eq!(claimed(me), mine);
    assert_eq!(h.balance(&s, rc), submitted - mine);

    // The other earner of the same root is unaffected.
    s.send(other, rc, claim_of(other)).unwrap().ok().unwrap();
    assert_eq!(h.balance(&s, other), theirs);
    assert_eq!(claimed(other), theirs);
    assert_eq!(h.balance(&s, rc), submitted - mine - theirs);
}
