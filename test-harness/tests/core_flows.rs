//! The restaking core's flows on the compiled WASM (issues #4 and #5), through the suite fixture:
//! withdrawals completed as shares, redelegation, EIP-712 signatures (deposit and delegation
//! approval: valid, expired, replayed, wrong signer), the inflation attack, and the slashing
//! scenarios (slash during a pending deallocation, slash of queued withdrawals, the
//! deregistered-but-slashable window, the veto path of a guarded operator set).
//!
//! Expected numbers come from the inputs and EigenLayer's documented formulas (StrategyBase's
//! virtual offsets of 1e3, `mulWad` rounding down for shares, magnitudes slashed rounding up),
//! never from the contracts' own views of the same quantity. EIP-712 digests are computed with
//! alloy's implementation, independently of the contracts.

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use alloy::sol_types::{eip712_domain, SolStruct};
use ferrostake_deploy::abi::{
    AllocateParams, CreateSetParamsV2, DeregisterParams, IAllocationManager, IDelegationManager,
    IStrategy, IStrategyManager, OperatorSet, QueuedWithdrawalParams, RegisterParams,
    SignatureWithExpiry, SlashingGuard, SlashingParams, Withdrawal, IERC20,
};
use ferrostake_harness::suite::{Suite, WAD};

alloy::sol! {
    struct Deposit {
        address staker;
        address strategy;
        address token;
        uint256 amount;
        uint256 nonce;
        uint256 expiry;
    }
    struct DelegationApproval {
        address delegationApprover;
        address staker;
        address operator;
        bytes32 salt;
        uint256 expiry;
    }
}

const CHAIN_ID: u64 = 412_346;

fn wad(x: u64) -> U256 {
    U256::from(x) * U256::from(WAD)
}

/// `a · b / 1e18` rounded down (EigenLayer's `mulWad`).
fn mul_wad(a: U256, b: u64) -> U256 {
    a * U256::from(b) / U256::from(WAD)
}

/// `a · b / 1e18` rounded up.
fn mul_wad_up(a: u64, b: u64) -> u64 {
    let p = a as u128 * b as u128;
    p.div_ceil(WAD as u128) as u64
}

fn domain(contract: Address) -> alloy::sol_types::Eip712Domain {
    eip712_domain! {
        name: "EigenLayer",
        version: "v1",
        chain_id: CHAIN_ID,
        verifying_contract: contract,
    }
}

fn sign(signer: &PrivateKeySigner, digest: B256) -> Bytes {
    let sig = signer.sign_hash_sync(&digest).unwrap();
    Bytes::from(sig.as_bytes().to_vec())
}

fn signer(name: &str) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&keccak256(format!("core flows {name}"))).unwrap()
}

fn now(s: &Suite) -> u64 {
    s.node().latest_block().timestamp
}

fn withdrawable(s: &Suite, staker: Address, strategy: Address) -> U256 {
    s.view(
        s.addrs.delegation_manager,
        IDelegationManager::getWithdrawableSharesCall {
            staker,
            strategies: vec![strategy],
        },
    )
    .unwrap()
    .withdrawableShares[0]
}

fn operator_shares(s: &Suite, operator: Address, strategy: Address) -> U256 {
    s.view(
        s.addrs.delegation_manager,
        IDelegationManager::operatorSharesCall { operator, strategy },
    )
    .unwrap()
}

fn deposit_shares(s: &Suite, staker: Address, strategy: Address) -> U256 {
    s.view(
        s.addrs.strategy_manager,
        IStrategyManager::stakerDepositSharesCall { staker, strategy },
    )
    .unwrap()
}

fn delegate(s: &Suite, staker: Address, operator: Address) {
    s.send(
        staker,
        s.addrs.delegation_manager,
        IDelegationManager::delegateToCall {
            operator,
            approverSignatureAndExpiry: SignatureWithExpiry {
                signature: Bytes::new(),
                expiry: U256::ZERO,
            },
            approverSalt: B256::ZERO,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
}

fn queue_all(s: &Suite, staker: Address, strategy: Address, shares: U256) -> Withdrawal {
    s.send(
        staker,
        s.addrs.delegation_manager,
        IDelegationManager::queueWithdrawalsCall {
            params: vec![QueuedWithdrawalParams {
                strategies: vec![strategy],
                depositShares: vec![shares],
                __deprecated_withdrawer: Address::ZERO,
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    last_withdrawal(s, staker)
}

fn last_withdrawal(s: &Suite, staker: Address) -> Withdrawal {
    let q = s
        .view(
            s.addrs.delegation_manager,
            IDelegationManager::getQueuedWithdrawalsCall { staker },
        )
        .unwrap();
    q.withdrawals.last().cloned().expect("a queued withdrawal")
}

fn complete(s: &Suite, w: &Withdrawal, as_tokens: bool) -> ferrostake_harness::suite::Outcome {
    let tokens = w
        .strategies
        .iter()
        .map(|st| s.addrs.token_of(*st))
        .collect();
    s.send(
        w.staker,
        s.addrs.delegation_manager,
        IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: w.clone(),
            tokens,
            receiveAsTokens: as_tokens,
        },
    )
    .unwrap()
}

fn allocate(s: &Suite, operator: Address, set: OperatorSet, strategy: Address, magnitude: u64) {
    s.send(
        operator,
        s.addrs.allocation_manager,
        IAllocationManager::modifyAllocationsCall {
            operator,
            params: vec![AllocateParams {
                operatorSet: set,
                strategies: vec![strategy],
                newMagnitudes: vec![magnitude],
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
}

fn slash_params(operator: Address, id: u32, strategy: Address, wad_: u64) -> SlashingParams {
    SlashingParams {
        operator,
        operatorSetId: id,
        strategies: vec![strategy],
        wadsToSlash: vec![U256::from(wad_)],
        description: "core flows".into(),
    }
}

fn allocation(
    s: &Suite,
    operator: Address,
    set: OperatorSet,
    strategy: Address,
) -> (u64, i128, u32) {
    let a = s
        .view(
            s.addrs.allocation_manager,
            IAllocationManager::getAllocationCall {
                operator,
                operatorSet: set,
                strategy,
            },
        )
        .unwrap();
    (a.currentMagnitude, a.pendingDiff, a.effectBlock)
}

fn max_magnitude(s: &Suite, operator: Address, strategy: Address) -> u64 {
    s.view(
        s.addrs.allocation_manager,
        IAllocationManager::getMaxMagnitudes_0Call {
            operator,
            strategies: vec![strategy],
        },
    )
    .unwrap()[0]
}

#[test]
fn withdrawal_completed_as_shares_returns_the_stake_and_redelegation_moves_it() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (staker, op0, op1) = (
        s.actors.stakers[0],
        s.actors.operators[0],
        s.actors.operators[1],
    );
    let strategy = s.addrs.strategies[0];
    let amount = wad(300);
    s.deposit(staker, strategy, amount).unwrap().ok().unwrap();
    // A fresh strategy mints 1:1 (equal virtual shares and balance).
    assert_eq!(deposit_shares(&s, staker, strategy), amount);
    delegate(&s, staker, op0);
    assert_eq!(operator_shares(&s, op0, strategy), amount);

    // Queue everything; the operator's delegated shares leave at once.
    let w = queue_all(&s, staker, strategy, amount);
    assert_eq!(deposit_shares(&s, staker, strategy), U256::ZERO);
    assert_eq!(operator_shares(&s, op0, strategy), U256::ZERO);
    // Too early: typed error, nothing changes.
    let early = complete(&s, &w, false);
    early
        .expect_error::<IDelegationManager::WithdrawalDelayNotElapsed>()
        .unwrap();
    assert_eq!(deposit_shares(&s, staker, strategy), U256::ZERO);
    s.mine(s.config.delegation.min_withdrawal_delay_blocks as u64 + 1);
    // As shares: the deposit shares come back and, still delegated, so does the operator's stake;
    // no token moves.
    let token = s.addrs.token_of(strategy);
    let before = s.balance_of(token, staker).unwrap();
    complete(&s, &w, false).ok().unwrap();
    assert_eq!(deposit_shares(&s, staker, strategy), amount);
    assert_eq!(operator_shares(&s, op0, strategy), amount);
    assert_eq!(s.balance_of(token, staker).unwrap(), before);
    // The same withdrawal cannot be completed twice.
    let again = complete(&s, &w, false);
    assert!(!again.status);
    assert!(again.error_name().is_some(), "typed error on replay");
    assert_eq!(deposit_shares(&s, staker, strategy), amount);

    // Redelegate to op1: undelegates from op0 (queueing everything) and delegates to op1.
    s.send(
        staker,
        s.addrs.delegation_manager,
        IDelegationManager::redelegateCall {
            newOperator: op1,
            newOperatorApproverSig: SignatureWithExpiry {
                signature: Bytes::new(),
                expiry: U256::ZERO,
            },
            approverSalt: B256::ZERO,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let delegated = s
        .view(
            s.addrs.delegation_manager,
            IDelegationManager::delegatedToCall { staker },
        )
        .unwrap();
    assert_eq!(delegated, op1);
    assert_eq!(operator_shares(&s, op0, strategy), U256::ZERO);
    assert_eq!(operator_shares(&s, op1, strategy), U256::ZERO);
    let w = last_withdrawal(&s, staker);
    assert_eq!(
        w.delegatedTo, op0,
        "the withdrawal remembers the old operator"
    );
    s.mine(s.config.delegation.min_withdrawal_delay_blocks as u64 + 1);
    complete(&s, &w, false).ok().unwrap();
    // Completed as shares, the stake lands with the new operator.
    assert_eq!(operator_shares(&s, op1, strategy), amount);
    assert_eq!(operator_shares(&s, op0, strategy), U256::ZERO);
    assert_eq!(deposit_shares(&s, staker, strategy), amount);
}

#[test]
fn deposit_with_signature_valid_expired_replayed_and_wrong_signer() {
    let s = Suite::shared();
    let (payer, strategy) = (s.actors.stakers[1], s.addrs.strategies[0]);
    let token = s.addrs.token_of(strategy);
    let sm = s.addrs.strategy_manager;
    let owner = signer("depositor");
    let staker = owner.address();
    let amount = wad(10);
    let expiry = U256::from(now(&s) + 3_600);
    let nonce = s
        .view(sm, IStrategyManager::noncesCall { signer: staker })
        .unwrap();
    assert_eq!(nonce, U256::ZERO);
    let digest = Deposit {
        staker,
        strategy,
        token,
        amount,
        nonce,
        expiry,
    }
    .eip712_signing_hash(&domain(sm));
    // The contract's digest view agrees with alloy's EIP-712.
    let view = s
        .view(
            sm,
            IStrategyManager::calculateStrategyDepositDigestHashCall {
                staker,
                strategy,
                token,
                amount,
                nonce,
                expiry,
            },
        )
        .unwrap();
    assert_eq!(view, digest);
    let call = |sig: Bytes, expiry: U256| IStrategyManager::depositIntoStrategyWithSignatureCall {
        strategy,
        token,
        amount,
        staker,
        expiry,
        signature: sig,
    };

    // Wrong signer: someone else signs the same digest.
    let wrong = s
        .send(payer, sm, call(sign(&signer("impostor"), digest), expiry))
        .unwrap();
    assert_eq!(wrong.error_name(), Some("InvalidSignature"));
    // Expired: a correctly signed message whose expiry has passed.
    let past = U256::from(now(&s) - 1);
    let past_digest = Deposit {
        staker,
        strategy,
        token,
        amount,
        nonce,
        expiry: past,
    }
    .eip712_signing_hash(&domain(sm));
    let expired = s
        .send(payer, sm, call(sign(&owner, past_digest), past))
        .unwrap();
    assert_eq!(expired.error_name(), Some("SignatureExpired"));
    assert_eq!(deposit_shares(&s, staker, strategy), U256::ZERO);
    assert_eq!(
        s.view(sm, IStrategyManager::noncesCall { signer: staker })
            .unwrap(),
        U256::ZERO,
        "failed attempts do not consume the nonce"
    );

    // Valid: the payer's tokens, the signer's shares; the nonce advances.
    let payer_before = s.balance_of(token, payer).unwrap();
    s.send(payer, sm, call(sign(&owner, digest), expiry))
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(deposit_shares(&s, staker, strategy), amount);
    assert_eq!(s.balance_of(token, payer).unwrap(), payer_before - amount);
    assert_eq!(
        s.view(sm, IStrategyManager::noncesCall { signer: staker })
            .unwrap(),
        U256::from(1)
    );
    // Replayed: the same signature no longer matches the next nonce.
    let replay = s
        .send(payer, sm, call(sign(&owner, digest), expiry))
        .unwrap();
    assert_eq!(replay.error_name(), Some("InvalidSignature"));
    assert_eq!(deposit_shares(&s, staker, strategy), amount);
    assert_eq!(s.balance_of(token, payer).unwrap(), payer_before - amount);
}

#[test]
fn delegation_approver_signatures_valid_expired_replayed_and_wrong_signer() {
    let s = Suite::shared();
    let dm = s.addrs.delegation_manager;
    let approver = signer("approver");
    // A fresh operator whose delegations need the approver's signature.
    let operator = s.actors.stakers[3];
    s.send(
        operator,
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: approver.address(),
            allocationDelay: 0,
            metadataURI: "https://approved.example".into(),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let staker = s.actors.stakers[2];
    s.deposit(staker, s.addrs.strategies[0], wad(5))
        .unwrap()
        .ok()
        .unwrap();
    let salt = B256::from(keccak256("salt 1"));
    let expiry = U256::from(now(&s) + 3_600);
    let digest = |salt: B256, expiry: U256| {
        DelegationApproval {
            delegationApprover: approver.address(),
            staker,
            operator,
            salt,
            expiry,
        }
        .eip712_signing_hash(&domain(dm))
    };
    let view = s
        .view(
            dm,
            IDelegationManager::calculateDelegationApprovalDigestHashCall {
                staker,
                operator,
                approver: approver.address(),
                approverSalt: salt,
                expiry,
            },
        )
        .unwrap();
    assert_eq!(view, digest(salt, expiry));
    let delegate_with = |sig: Bytes, salt: B256, expiry: U256| {
        s.send(
            staker,
            dm,
            IDelegationManager::delegateToCall {
                operator,
                approverSignatureAndExpiry: SignatureWithExpiry {
                    signature: sig,
                    expiry,
                },
                approverSalt: salt,
            },
        )
        .unwrap()
    };
    let delegated = |s: &Suite| {
        s.view(dm, IDelegationManager::delegatedToCall { staker })
            .unwrap()
    };

    let none = delegate_with(Bytes::new(), salt, expiry);
    assert!(
        none.error_name().is_some(),
        "missing signature: typed error"
    );
    let wrong = delegate_with(
        sign(&signer("not the approver"), digest(salt, expiry)),
        salt,
        expiry,
    );
    assert_eq!(wrong.error_name(), Some("InvalidSignature"));
    let past = U256::from(now(&s) - 1);
    let expired = delegate_with(sign(&approver, digest(salt, past)), salt, past);
    assert_eq!(expired.error_name(), Some("SignatureExpired"));
    assert_eq!(delegated(&s), Address::ZERO);

    delegate_with(sign(&approver, digest(salt, expiry)), salt, expiry)
        .ok()
        .unwrap();
    assert_eq!(delegated(&s), operator);
    assert!(s
        .view(
            dm,
            IDelegationManager::delegationApproverSaltIsSpentCall {
                delegationApprover: approver.address(),
                salt,
            },
        )
        .unwrap());

    // Undelegate, then replay the same approval: the salt is spent.
    s.send(staker, dm, IDelegationManager::undelegateCall { staker })
        .unwrap()
        .ok()
        .unwrap();
    let replay = delegate_with(sign(&approver, digest(salt, expiry)), salt, expiry);
    assert_eq!(replay.error_name(), Some("SaltSpent"));
    assert_eq!(delegated(&s), Address::ZERO);
}

#[test]
fn inflation_attack_costs_the_attacker_more_than_the_victim_loses() {
    let s = Suite::shared();
    let (attacker, victim) = (s.actors.attacker, s.actors.stakers[0]);
    let strategy = s.addrs.strategies[0];
    let token = s.addrs.token_of(strategy);
    let offset = U256::from(1_000u64); // StrategyBase's virtual shares = virtual balance = 1e3
    let (seed, donation, deposit) = (U256::from(1u64), wad(1_000), wad(100));

    s.deposit(attacker, strategy, seed).unwrap().ok().unwrap();
    s.send(
        attacker,
        token,
        IERC20::transferCall {
            to: strategy,
            value: donation,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.deposit(victim, strategy, deposit).unwrap().ok().unwrap();

    // shares = amount · (totalShares + 1e3) / (balanceBefore + 1e3), rounded down.
    let expected = deposit * (seed + offset) / (seed + donation + offset);
    let victim_shares = deposit_shares(&s, victim, strategy);
    assert_eq!(victim_shares, expected);
    assert!(
        victim_shares > U256::ZERO,
        "the victim is never minted zero shares"
    );

    let underlying = |shares: U256| {
        s.view(
            strategy,
            IStrategy::sharesToUnderlyingViewCall {
                amountShares: shares,
            },
        )
        .unwrap()
    };
    let total_shares = seed + victim_shares;
    let balance = seed + donation + deposit;
    // value = shares · (balance + 1e3) / (totalShares + 1e3), rounded down.
    let victim_value = victim_shares * (balance + offset) / (total_shares + offset);
    let attacker_value = seed * (balance + offset) / (total_shares + offset);
    assert_eq!(underlying(victim_shares), victim_value);
    assert_eq!(underlying(seed), attacker_value);
    let victim_loss = deposit - victim_value;
    let attacker_loss = seed + donation - attacker_value;
    assert!(
        attacker_loss > victim_loss,
        "attacker lost {attacker_loss}, victim {victim_loss}"
    );
    // The documented bound: the attacker gets back at most 1/(1e3+1) of what it put in plus the
    // victim's loss — the attack is a loss for the attacker.
    assert!(attacker_value < seed + donation);
}

#[test]
fn slash_during_a_pending_deallocation_shrinks_it_by_the_same_fraction() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (staker, op, avs) = (s.actors.stakers[0], s.actors.operators[0], s.actors.avss[0]);
    let strategy = s.addrs.strategies_sorted()[0];
    let set = Suite::operator_set(avs);
    let amount = wad(1_000);
    s.deposit(staker, strategy, amount).unwrap().ok().unwrap();
    delegate(&s, staker, op);
    // Allocation delay 0 was set at registration; it applies after the configuration delay.
    s.mine(s.config.allocation.allocation_configuration_delay_blocks as u64 + 1);
    let half = WAD / 2;
    allocate(&s, op, set.clone(), strategy, half);
    s.mine(1);
    assert_eq!(allocation(&s, op, set.clone(), strategy).0, half);
    // Deallocate to 0.2: pending for DEALLOCATION_DELAY while slashable.
    let fifth = WAD / 5;
    allocate(&s, op, set.clone(), strategy, fifth);
    let (cur, diff, _) = allocation(&s, op, set.clone(), strategy);
    assert_eq!((cur, diff), (half, -((half - fifth) as i128)));

    // Slash half of the set's allocation.
    let w = WAD / 2;
    s.send(
        avs,
        s.addrs.allocation_manager,
        IAllocationManager::slashOperatorCall {
            avs,
            params: slash_params(op, 1, strategy, w),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let taken = mul_wad_up(half, w);
    let (cur, diff, _) = allocation(&s, op, set.clone(), strategy);
    assert_eq!(cur, half - taken);
    let pending = half - fifth;
    assert_eq!(diff, -((pending - mul_wad_up(pending, w)) as i128));
    assert_eq!(max_magnitude(&s, op, strategy), WAD - taken);
    // The staker's withdrawable shares fall by exactly the slashed fraction of the max magnitude.
    assert_eq!(
        withdrawable(&s, staker, strategy),
        mul_wad(amount, WAD - taken)
    );
    // After the delay the deallocation completes at the slashed target.
    s.mine(s.config.allocation.deallocation_delay_blocks as u64 + 1);
    let (cur, diff, _) = allocation(&s, op, set, strategy);
    assert_eq!(diff, 0);
    assert_eq!(cur, half - taken - (pending - mul_wad_up(pending, w)));
}

#[test]
fn queued_withdrawals_inside_their_delay_are_slashed_too() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (staker, op, avs) = (s.actors.stakers[1], s.actors.operators[0], s.actors.avss[0]);
    let strategy = s.addrs.strategies_sorted()[0];
    let token = s.addrs.token_of(strategy);
    let set = Suite::operator_set(avs);
    let amount = wad(800);
    s.deposit(staker, strategy, amount).unwrap().ok().unwrap();
    delegate(&s, staker, op);
    s.mine(s.config.allocation.allocation_configuration_delay_blocks as u64 + 1);
    let set_for_view = set.clone();
    allocate(&s, op, set, strategy, WAD / 2);
    s.mine(1);
    let w = queue_all(&s, staker, strategy, amount);
    // A 40% slash of an allocation of half the magnitude: max magnitude 1 → 0.8.
    let slash = WAD * 2 / 5;
    let out = s
        .send(
            avs,
            s.addrs.allocation_manager,
            IAllocationManager::slashOperatorCall {
                avs,
                params: slash_params(op, 1, strategy, slash),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let max = WAD - mul_wad_up(WAD / 2, slash);
    assert_eq!(max_magnitude(&s, op, strategy), max);
    // The queued shares were slashable: the strategy manager records them for burning under the
    // slash (the operator's own delegated shares are zero — all were queued).
    let increased = out.events::<IStrategyManager::BurnOrRedistributableSharesIncreased>();
    let total: U256 = increased.iter().map(|e| e.shares).sum();
    assert_eq!(total, amount - mul_wad(amount, max));
    let recorded = s
        .view(
            s.addrs.strategy_manager,
            IStrategyManager::getBurnOrRedistributableShares_1Call {
                operatorSet: set_for_view,
                slashId: increased[0].slashId,
                strategy,
            },
        )
        .unwrap();
    assert_eq!(recorded, total);
    s.mine(s.config.delegation.min_withdrawal_delay_blocks as u64 + 1);
    let before = s.balance_of(token, staker).unwrap();
    complete(&s, &w, true).ok().unwrap();
    // 1:1 strategy: tokens = shares left after slashing.
    assert_eq!(
        s.balance_of(token, staker).unwrap() - before,
        mul_wad(amount, max)
    );
}

#[test]
fn deregistered_operators_stay_slashable_until_the_deallocation_delay_ends() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (op, avs) = (s.actors.operators[1], s.actors.avss[1]);
    let strategy = s.addrs.strategies_sorted()[0];
    let am = s.addrs.allocation_manager;
    s.deposit(s.actors.stakers[2], strategy, wad(100))
        .unwrap()
        .ok()
        .unwrap();
    delegate(&s, s.actors.stakers[2], op);
    s.mine(s.config.allocation.allocation_configuration_delay_blocks as u64 + 1);
    allocate(&s, op, Suite::operator_set(avs), strategy, WAD / 4);
    s.mine(1);
    s.send(
        op,
        am,
        IAllocationManager::deregisterFromOperatorSetsCall {
            params: DeregisterParams {
                operator: op,
                avs,
                operatorSetIds: vec![1],
            },
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let slashable = |s: &Suite| {
        s.view(
            am,
            IAllocationManager::isOperatorSlashableCall {
                operator: op,
                operatorSet: Suite::operator_set(avs),
            },
        )
        .unwrap()
    };
    assert!(slashable(&s), "still slashable right after deregistering");
    let slash = |s: &Suite| {
        s.send(
            avs,
            am,
            IAllocationManager::slashOperatorCall {
                avs,
                params: slash_params(op, 1, strategy, WAD / 10),
            },
        )
        .unwrap()
    };
    slash(&s).ok().unwrap();
    let max_after_first = max_magnitude(&s, op, strategy);
    assert_eq!(max_after_first, WAD - mul_wad_up(WAD / 4, WAD / 10));
    s.mine(s.config.allocation.deallocation_delay_blocks as u64 + 1);
    assert!(!slashable(&s));
    let late = slash(&s);
    late.expect_error::<IAllocationManager::OperatorNotSlashable>()
        .unwrap();
    assert_eq!(max_magnitude(&s, op, strategy), max_after_first);
}

#[test]
fn guarded_sets_queue_slashes_that_the_resolver_can_veto() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (op, avs, resolver) = (s.actors.operators[0], s.actors.avss[0], s.actors.avss[1]);
    let am = s.addrs.allocation_manager;
    let strategy = s.addrs.strategies_sorted()[0];
    let window = 20u32;
    let set = guarded_set(&s, op, avs, resolver, strategy, window, WAD / 2);

    let slash = |wad_: u64| {
        s.send(
            avs,
            am,
            IAllocationManager::slashOperatorCall {
                avs,
                params: slash_params(op, 7, strategy, wad_),
            },
        )
        .unwrap()
    };
    // Above the per-incident cap: refused.
    let capped = slash(WAD / 4);
    assert!(capped.error_name().is_some(), "typed error above the cap");
    // Within the cap: queued, nothing slashed yet.
    let first = slash(WAD / 10).ok().unwrap();
    let queued = first.events::<IAllocationManager::SlashQueued>();
    assert_eq!(queued.len(), 1);
    let id0 = queued[0].queuedSlashId;
    assert_eq!(max_magnitude(&s, op, strategy), WAD);
    let second = slash(WAD / 10).ok().unwrap();
    let id1 = second.events::<IAllocationManager::SlashQueued>()[0].queuedSlashId;
    assert_ne!(id0, id1);

    // Only the resolver vetoes.
    let veto = |who: Address, id: U256| {
        s.send(
            who,
            am,
            IAllocationManager::vetoSlashCall {
                operatorSet: set.clone(),
                queuedSlashId: id,
            },
        )
        .unwrap()
    };
    assert!(veto(s.actors.attacker, id0).error_name().is_some());
    veto(resolver, id0).ok().unwrap();

    let execute = |id: U256| {
        s.send(
            s.actors.attacker,
            am,
            IAllocationManager::executeSlashCall {
                operatorSet: set.clone(),
                queuedSlashId: id,
                params: slash_params(op, 7, strategy, WAD / 10),
            },
        )
        .unwrap()
    };
    // Inside the window nobody executes.
    assert!(execute(id1).error_name().is_some());
    s.mine(window as u64 + 1);
    // The vetoed slash never executes; the other one does, by anyone.
    assert!(execute(id0).error_name().is_some());
    assert_eq!(max_magnitude(&s, op, strategy), WAD);
    execute(id1).ok().unwrap();
    assert_eq!(
        max_magnitude(&s, op, strategy),
        WAD - mul_wad_up(WAD / 2, WAD / 10)
    );
    // Executed once only.
    assert!(execute(id1).error_name().is_some());
    let q = s
        .view(
            am,
            IAllocationManager::getQueuedSlashCall {
                operatorSet: set,
                queuedSlashId: id0,
            },
        )
        .unwrap();
    assert!(q.vetoed && !q.executed);
}

/// A guarded set 7 of `avs` over `strategy` with a veto window of `window` blocks and a cap of
/// 1/5 per incident, `op` registered and allocated `magnitude`.
fn guarded_set(
    s: &Suite,
    op: Address,
    avs: Address,
    resolver: Address,
    strategy: Address,
    window: u32,
    magnitude: u64,
) -> OperatorSet {
    let am = s.addrs.allocation_manager;
    s.send(
        avs,
        am,
        IAllocationManager::createOperatorSetsWithSlashingGuardCall {
            avs,
            params: vec![CreateSetParamsV2 {
                operatorSetId: 7,
                strategies: vec![strategy],
                slasher: avs,
            }],
            guards: vec![SlashingGuard {
                maxWadPerIncident: WAD / 5,
                vetoWindowBlocks: window,
                resolver,
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let set = OperatorSet { avs, id: 7 };
    s.send(
        op,
        am,
        IAllocationManager::registerForOperatorSetsCall {
            operator: op,
            params: RegisterParams {
                avs,
                operatorSetIds: vec![7],
                data: Bytes::new(),
            },
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.mine(s.config.allocation.allocation_configuration_delay_blocks as u64 + 1);
    allocate(s, op, set.clone(), strategy, magnitude);
    s.mine(1);
    set
}

/// [`guarded_set`] with the widest veto window the guard allows (the deallocation delay).
fn guarded_set_with_widest_window(
    s: &Suite,
    op: Address,
    avs: Address,
    resolver: Address,
    strategy: Address,
    magnitude: u64,
) -> (OperatorSet, u32) {
    let window = s.config.allocation.deallocation_delay_blocks;
    let set = guarded_set(s, op, avs, resolver, strategy, window, magnitude);
    (set, window)
}

/// Queues a slash of `wad_` of `strategy` against `op` in set 7; returns the queued id and the
/// block it becomes executable at.
fn queue_guarded_slash(
    s: &Suite,
    avs: Address,
    op: Address,
    strategy: Address,
    wad_: u64,
) -> (U256, u64) {
    let out = s
        .send(
            avs,
            s.addrs.allocation_manager,
            IAllocationManager::slashOperatorCall {
                avs,
                params: slash_params(op, 7, strategy, wad_),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let q = &out.events::<IAllocationManager::SlashQueued>()[0];
    (q.queuedSlashId, q.executableAtBlock as u64)
}

/// Mines so that the next transaction lands in block `block`.
fn next_tx_at(s: &Suite, block: u64) {
    let now = s.block_number();
    assert!(now < block, "block {block} already passed ({now})");
    s.mine(block - 1 - now);
}

fn execute_guarded_slash(
    s: &Suite,
    set: &OperatorSet,
    id: U256,
    op: Address,
    strategy: Address,
    wad_: u64,
) -> ferrostake_harness::suite::Outcome {
    s.send(
        s.actors.attacker,
        s.addrs.allocation_manager,
        IAllocationManager::executeSlashCall {
            operatorSet: set.clone(),
            queuedSlashId: id,
            params: slash_params(op, 7, strategy, wad_),
        },
    )
    .unwrap()
}

/// Finding 1 (deallocation): an operator that deallocates one block before a guarded slash is
/// queued, with the widest window, used to see its deallocation complete before the slash could
/// execute and the slash take nothing. The allocation slashable when the slash was queued must
/// stay slashable until it executes.
#[test]
fn guarded_slash_reaches_a_deallocation_made_the_block_before_it_was_queued() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (op, avs, resolver) = (s.actors.operators[0], s.actors.avss[0], s.actors.avss[1]);
    let strategy = s.addrs.strategies_sorted()[0];
    let (set, _) = guarded_set_with_widest_window(&s, op, avs, resolver, strategy, WAD / 2);
    allocate(&s, op, set.clone(), strategy, 0);
    let (_, pending, effect) = allocation(&s, op, set.clone(), strategy);
    assert_eq!(pending, -((WAD / 2) as i128));
    let (id, executable_at) = queue_guarded_slash(&s, avs, op, strategy, WAD / 10);
    assert!(
        executable_at >= effect as u64,
        "the deallocation is due by the time the slash can execute"
    );
    next_tx_at(&s, executable_at);
    let out = execute_guarded_slash(&s, &set, id, op, strategy, WAD / 10);
    out.ok().unwrap();
    // ceil(0.5 · 0.1) of the magnitude: taken from the allocation as it was when queued.
    assert_eq!(
        max_magnitude(&s, op, strategy),
        WAD - mul_wad_up(WAD / 2, WAD / 10)
    );
    // Then the (proportionally shrunk) deallocation completes: nothing left allocated.
    let (current, pending, _) = allocation(&s, op, set, strategy);
    assert_eq!((current, pending), (0, 0));
}

/// Finding 1 (deregistration): deregistering one block before a guarded slash is queued used to
/// make its execution revert `OperatorNotSlashable`, and once unslashable the operator could
/// deallocate at once.
#[test]
fn guarded_slash_reaches_an_operator_that_deregistered_the_block_before_it_was_queued() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (op, avs, resolver) = (s.actors.operators[1], s.actors.avss[0], s.actors.avss[1]);
    let strategy = s.addrs.strategies_sorted()[0];
    let am = s.addrs.allocation_manager;
    let (set, window) = guarded_set_with_widest_window(&s, op, avs, resolver, strategy, WAD / 4);
    s.send(
        op,
        am,
        IAllocationManager::deregisterFromOperatorSetsCall {
            params: DeregisterParams {
                operator: op,
                avs,
                operatorSetIds: vec![7],
            },
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let (id, executable_at) = queue_guarded_slash(&s, avs, op, strategy, WAD / 5);
    // The deregistration's slashable window has closed when the slash becomes executable.
    next_tx_at(&s, executable_at);
    let slashable = s
        .view(
            am,
            IAllocationManager::isOperatorSlashableCall {
                operator: op,
                operatorSet: set.clone(),
            },
        )
        .unwrap();
    assert!(
        !slashable,
        "window of {window} blocks from the deregistration is over"
    );
    // A decrease now still waits: the pending slash holds the allocation.
    allocate(&s, op, set.clone(), strategy, 0);
    let (current, _, _) = allocation(&s, op, set.clone(), strategy);
    assert_eq!(current, WAD / 4);
    let out = execute_guarded_slash(&s, &set, id, op, strategy, WAD / 5);
    out.ok().unwrap();
    assert_eq!(
        max_magnitude(&s, op, strategy),
        WAD - mul_wad_up(WAD / 4, WAD / 5)
    );
}

/// Finding 1 (withdrawals): a staker that queues a withdrawal one block before a guarded slash
/// is queued used to complete it at full value before the slash could execute. Now completion
/// waits (`WithdrawalHeldBySlash`, nothing changes) and pays the slashed value after execution.
#[test]
fn guarded_slash_reaches_a_withdrawal_queued_the_block_before_it_was_queued() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    let (staker, op, avs, resolver) = (
        s.actors.stakers[0],
        s.actors.operators[0],
        s.actors.avss[1],
        s.actors.avss[0],
    );
    let strategy = s.addrs.strategies_sorted()[0];
    let amount = wad(500);
    s.deposit(staker, strategy, amount).unwrap().ok().unwrap();
    delegate(&s, staker, op);
    let (set, _) = guarded_set_with_widest_window(&s, op, avs, resolver, strategy, WAD / 2);
    let w = queue_all(&s, staker, strategy, amount);
    let (id, executable_at) = queue_guarded_slash(&s, avs, op, strategy, WAD / 5);
    let completable =
        w.startBlock as u64 + s.config.delegation.min_withdrawal_delay_blocks as u64 + 1;
    assert!(
        completable <= executable_at,
        "the withdrawal's delay ends before the slash can execute"
    );
    next_tx_at(&s, executable_at);
    let early = complete(&s, &w, false);
    assert!(!early.status, "completion must wait for the pending slash");
    assert_eq!(early.error_name(), Some("WithdrawalHeldBySlash"));
    assert_eq!(deposit_shares(&s, staker, strategy), U256::ZERO);
    execute_guarded_slash(&s, &set, id, op, strategy, WAD / 5)
        .ok()
        .unwrap();
    let max = WAD - mul_wad_up(WAD / 2, WAD / 5);
    assert_eq!(max_magnitude(&s, op, strategy), max);
    complete(&s, &w, false).ok().unwrap();
    // Scaled shares (deposit scaling factor 1) times the slashing factor after the slash.
    assert_eq!(deposit_shares(&s, staker, strategy), mul_wad(amount, max));
}

/// Runtime code that returns `out` to every call.
fn returns_runtime(out: &[u8]) -> Vec<u8> {
    // Per 32-byte chunk: PUSH32 chunk PUSH1 offset MSTORE; then PUSH1 len PUSH1 0 RETURN.
    let mut code = Vec::new();
    for (i, chunk) in out.chunks(32).enumerate() {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        code.push(0x7f);
        code.extend_from_slice(&word);
        code.extend_from_slice(&[0x60, (i * 32) as u8, 0x52]);
    }
    code.extend_from_slice(&[0x60, out.len() as u8, 0x60, 0x00, 0xf3]);
    code
}

/// Finding 8: a delegation approver that is a contract must answer `isValidSignature` with
/// exactly the ABI-encoded magic value. A contract that echoes its calldata (which starts with the
/// same four bytes), or answers the selector with dirty bytes or extra data, is not an approver;
/// the refusal is `InvalidSignature` and nothing changes.
#[test]
fn eip1271_approvers_must_return_exactly_the_magic_value() {
    let s = Suite::shared();
    let dm = s.addrs.delegation_manager;
    let approver = ferrostake_harness::suite::actor_address("eip-1271 approver");
    let operator = s.actors.stakers[3];
    s.send(
        operator,
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: approver,
            allocationDelay: 0,
            metadataURI: "https://1271.example".into(),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let staker = s.actors.stakers[2];
    let expiry = U256::from(now(&s) + 3_600);
    let try_delegate = |salt: &str| {
        s.send(
            staker,
            dm,
            IDelegationManager::delegateToCall {
                operator,
                approverSignatureAndExpiry: SignatureWithExpiry {
                    signature: Bytes::from(vec![0xab; 65]),
                    expiry,
                },
                approverSalt: keccak256(salt),
            },
        )
        .unwrap()
    };
    let delegated = |s: &Suite| {
        s.view(dm, IDelegationManager::delegatedToCall { staker })
            .unwrap()
    };
    let magic = [0x16u8, 0x26, 0xba, 0x7e];
    let mut word = [0u8; 32];
    word[..4].copy_from_slice(&magic);
    // CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY CALLDATASIZE PUSH1 0 RETURN: echoes the calldata.
    let echo = vec![0x36, 0x60, 0x00, 0x60, 0x00, 0x37, 0x36, 0x60, 0x00, 0xf3];
    let mut dirty = word;
    dirty[31] = 1;
    let mut long = word.to_vec();
    long.extend_from_slice(&[0u8; 32]);
    for (what, code) in [
        ("echo", echo),
        ("dirty", returns_runtime(&dirty)),
        ("long", returns_runtime(&long)),
        ("bare selector", returns_runtime(&magic)),
    ] {
        s.node().set_code(approver, Bytes::from(code));
        let before = s.state();
        let out = try_delegate(what);
        assert_eq!(out.error_name(), Some("InvalidSignature"), "{what}");
        assert!(
            ferrostake_harness::suite::state_changes(&before, &s.state(), staker).is_empty(),
            "{what}: nothing changes"
        );
    }
    assert_eq!(delegated(&s), Address::ZERO);
    // The exact answer passes.
    s.node()
        .set_code(approver, Bytes::from(returns_runtime(&word)));
    try_delegate("exact").ok().unwrap();
    assert_eq!(delegated(&s), operator);
}
