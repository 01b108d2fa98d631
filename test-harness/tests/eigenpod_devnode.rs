//! Native restaking on the devnode with real beacon-chain proofs (issue #6): the compiled
//! EigenPodManager, EigenPod (logic + extension programs) and BeaconRootOracle, deployed by the
//! deploy tool, driven with proofs that `ferrostake_harness::beacon` builds from a synthetic beacon
//! state with real SSZ merkleization.
//!
//! Expected values come from the beacon state the test built and EigenLayer's documented formulas
//! (`docs/core/EigenPod.md`, `EigenPodManager.md`, `DelegationManager.md`), evaluated either
//! directly here or through the reference model (`ferrostake_harness::model`), never from the
//! contracts:
//! - credentials: shares += Σ effective balances of the proven validators (wei);
//! - checkpoint: `δ = Σ (balance now − balance last recorded) + (pod ETH − restaked pod ETH)`,
//!   `prev = restaked pod ETH + Σ balance last recorded`; δ > 0 adds deposit shares, δ < 0 lowers the
//!   beacon-chain slashing factor `l' = ⌊l · (prev + δ) / prev⌋` and never the deposit shares;
//! - AVS slash: `newMax = max − ⌈allocated · wadToSlash⌉`;
//! - withdrawable shares: `⌊⌊d · k⌋ · ⌊m · l⌋⌋` (all WAD products rounded down).
//!
//! Run with `cargo test -p ferrostake-harness --test eigenpod_devnode` after
//! `scripts/build-contracts` (the suite fixture reads `artifacts/wasm`).

use std::collections::BTreeMap;

use alloy::primitives::{Address, Bytes, B256, I256, U256};
use ferrostake_deploy::abi::{
    AllocateParams, CreateSetParams, IAllocationManager, IDelegationManager, IEigenPod,
    IEigenPodManager, OperatorSet, QueuedWithdrawalParams, RegisterParams, SignatureWithExpiry,
    SlashingParams, VALIDATOR_STATUS,
};
use ferrostake_harness::beacon::{
    self, eth1_withdrawal_credentials, BeaconChain, Fork, SLOTS_PER_EPOCH,
};
use ferrostake_harness::model::{self, Model, BEACON_ETH, WAD};
use ferrostake_harness::pod_flow::{self, Native, ETH_GWEI, GWEI, STAKE_WEI};
use ferrostake_harness::suite::{Outcome, Suite};

const GENESIS: u64 = 1_606_824_023;

fn gwei_to_wei(g: u64) -> U256 {
    U256::from(g) * U256::from(GWEI)
}

fn credentials(prefix: u8, pod: Address) -> B256 {
    let mut wc = eth1_withdrawal_credentials(pod);
    wc.0[0] = prefix;
    wc
}

fn pubkey_hash_of(chain: &BeaconChain, index: u64) -> B256 {
    let pk: [u8; 48] = chain.validators[index as usize]
        .pubkey
        .to_vec()
        .try_into()
        .expect("48 bytes");
    beacon::pubkey_hash(&pk)
}

/// The pod's accounting as EigenLayer defines it, tracked from the beacon state alone.
#[derive(Default)]
struct Expected {
    /// Balance last recorded per restaked validator (effective balance at verification, then the
    /// balance at each checkpoint), gwei.
    recorded: BTreeMap<u64, u64>,
    /// ETH in the pod already credited (`withdrawableRestakedExecutionLayerGwei`).
    restaked_el_gwei: u64,
    /// Deposit shares (wei).
    shares: U256,
}

impl Expected {
    /// `(prev, δ)` of a checkpoint over every recorded validator, gwei.
    fn checkpoint(&self, chain: &BeaconChain, pod_eth_gwei: u64) -> (u64, i128) {
        let prev = self.restaked_el_gwei + self.recorded.values().sum::<u64>();
        let mut delta = pod_eth_gwei as i128 - self.restaked_el_gwei as i128;
        for (i, before) in &self.recorded {
            delta += chain.balances[*i as usize] as i128 - *before as i128;
        }
        (prev, delta)
    }

    /// Applies a finalized checkpoint.
    fn apply_checkpoint(&mut self, chain: &BeaconChain, pod_eth_gwei: u64) {
        for (i, b) in self.recorded.iter_mut() {
            *b = chain.balances[*i as usize];
        }
        self.recorded.retain(|_, b| *b != 0);
        self.restaked_el_gwei = pod_eth_gwei;
    }
}

/// What a failed call must leave untouched: every view of the pod and the shares it feeds.
#[derive(Debug, PartialEq)]
struct Observed {
    infos: Vec<(u64, u64, u64, u8)>,
    active: U256,
    last_checkpoint: u64,
    current_checkpoint_ts: u64,
    checkpoint: (B256, u32, u64, i64, u64),
    restaked_el: u64,
    pod_eth: U256,
    shares: I256,
    slashing_factor: u64,
    operator_shares: Vec<U256>,
}

fn observe(s: &Suite, pod: Address, owner: Address, hashes: &[B256]) -> Observed {
    let n = Native::of(s).unwrap();
    let infos = hashes
        .iter()
        .map(|h| {
            let i = s
                .view(
                    pod,
                    IEigenPod::validatorPubkeyHashToInfoCall {
                        validatorPubkeyHash: *h,
                    },
                )
                .unwrap();
            (
                i.validatorIndex,
                i.restakedBalanceGwei,
                i.lastCheckpointedAt,
                i.status as u8,
            )
        })
        .collect();
    let cp = s.view(pod, IEigenPod::currentCheckpointCall {}).unwrap();
    // Read before the literal: a guard in it would live through the other fields' views.
    let pod_eth = s.node().balance(pod);
    Observed {
        infos,
        active: s.view(pod, IEigenPod::activeValidatorCountCall {}).unwrap(),
        last_checkpoint: s
            .view(pod, IEigenPod::lastCheckpointTimestampCall {})
            .unwrap(),
        current_checkpoint_ts: s
            .view(pod, IEigenPod::currentCheckpointTimestampCall {})
            .unwrap(),
        checkpoint: (
            cp.beaconBlockRoot,
            cp.proofsRemaining.to(),
            cp.podBalanceGwei,
            cp.balanceDeltasGwei,
            cp.prevBeaconBalanceGwei,
        ),
        restaked_el: s
            .view(
                pod,
                IEigenPod::withdrawableRestakedExecutionLayerGweiCall {},
            )
            .unwrap(),
        pod_eth,
        shares: s
            .view(
                n.epm,
                IEigenPodManager::podOwnerDepositSharesCall { podOwner: owner },
            )
            .unwrap(),
        slashing_factor: s
            .view(
                n.epm,
                IEigenPodManager::beaconChainSlashingFactorCall { staker: owner },
            )
            .unwrap(),
        operator_shares: s
            .actors
            .operators
            .iter()
            .map(|op| {
                s.view(
                    s.addrs.delegation_manager,
                    IDelegationManager::operatorSharesCall {
                        operator: *op,
                        strategy: BEACON_ETH,
                    },
                )
                .unwrap()
            })
            .collect(),
    }
}

fn expect_revert<E: alloy::sol_types::SolError>(o: &Outcome, what: &str) {
    if let Err(e) = o.expect_error::<E>() {
        panic!("{what}: {e:#}");
    }
}

fn withdrawable(s: &Suite, staker: Address) -> (U256, U256) {
    let r = s
        .view(
            s.addrs.delegation_manager,
            IDelegationManager::getWithdrawableSharesCall {
                staker,
                strategies: vec![BEACON_ETH],
            },
        )
        .unwrap();
    (r.withdrawableShares[0], r.depositShares[0])
}

fn operator_shares(s: &Suite, op: Address) -> U256 {
    s.view(
        s.addrs.delegation_manager,
        IDelegationManager::operatorSharesCall {
            operator: op,
            strategy: BEACON_ETH,
        },
    )
    .unwrap()
}

/// Operator `op` registered, AVS `avs` with operator set 7 over beacon-chain ETH, `op` registered
/// into it with `magnitude` allocated; `staker` delegated to `op`. Mirrors it in `model`.
fn operator_on_beacon_eth(
    s: &Suite,
    m: &mut Model,
    op: Address,
    avs: Address,
    staker: Address,
    magnitude: u64,
) {
    let (dm, am) = (s.addrs.delegation_manager, s.addrs.allocation_manager);
    s.send(
        op,
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: Address::ZERO,
            allocationDelay: 0,
            metadataURI: "https://operator.example".into(),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.send(
        avs,
        am,
        IAllocationManager::updateAVSMetadataURICall {
            avs,
            metadataURI: "https://avs.example".into(),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.send(
        avs,
        am,
        IAllocationManager::createOperatorSets_0Call {
            avs,
            params: vec![CreateSetParams {
                operatorSetId: 7,
                strategies: vec![BEACON_ETH],
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.send(
        avs,
        am,
        IAllocationManager::setAVSRegistrarCall {
            avs,
            registrar: s.registrar,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
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
    s.send(
        op,
        am,
        IAllocationManager::modifyAllocationsCall {
            operator: op,
            params: vec![AllocateParams {
                operatorSet: OperatorSet { avs, id: 7 },
                strategies: vec![BEACON_ETH],
                newMagnitudes: vec![magnitude],
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.mine(2);
    s.send(
        staker,
        dm,
        IDelegationManager::delegateToCall {
            operator: op,
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
    m.register_operator(op, &[BEACON_ETH]).unwrap();
    m.delegate(staker, op, &[BEACON_ETH]).unwrap();
}

fn finalized_delta(o: &Outcome) -> I256 {
    let ev = o.events::<IEigenPod::CheckpointFinalized>();
    assert_eq!(ev.len(), 1, "one CheckpointFinalized");
    ev[0].totalShareDeltaWei
}

/// The scenario: create pod → stake → verify credentials → checkpoint with rewards →
/// AVS slash of the operator's beacon-ETH allocation → beacon-chain slash → checkpoint → exit →
/// withdrawal of native ETH; withdrawable shares reflect both slashes at every step.
#[test]
fn native_restaking_with_eigenlayer_and_beacon_chain_slashing() {
    let s = Suite::shared();
    let n = Native::of(&s).unwrap();
    let (dm, am) = (s.addrs.delegation_manager, s.addrs.allocation_manager);
    let owner = s.actors.stakers[0];
    let op = s.actors.operators[0];
    let avs = s.actors.avss[0];
    let mut m = Model::new(s.config.delegation.min_withdrawal_delay_blocks as u64);
    let mut exp = Expected::default();
    // Every proof from here on is an Electra (Pectra) proof.
    pod_flow::set_pectra_fork_timestamp(&s, pod_flow::latest_timestamp(&s)).unwrap();

    let half = WAD.to::<u64>() / 2;
    operator_on_beacon_eth(&s, &mut m, op, avs, owner, half);

    // --- create pod, stake two validators through the manager ---
    let (pod, _) = pod_flow::create_pod(&s, owner).unwrap();
    assert_eq!(s.view(pod, IEigenPod::podOwnerCall {}).unwrap(), owner);
    let sink_before = s.node().balance(n.eth_pos);
    for i in 0..2 {
        let o = pod_flow::stake(&s, owner, pod_flow::pubkey(1, i))
            .unwrap()
            .ok()
            .unwrap();
        let staked = o.events::<IEigenPod::EigenPodStaked>();
        assert_eq!(staked.len(), 1);
        assert_eq!(
            staked[0].pubkeyHash,
            beacon::pubkey_hash(&pod_flow::pubkey(1, i))
        );
    }
    assert_eq!(
        s.node().balance(n.eth_pos) - sink_before,
        U256::from(2 * STAKE_WEI),
        "both deposits reached the deposit contract"
    );
    assert_eq!(s.node().balance(pod), U256::ZERO);

    // --- the beacon chain: the two deposits activate, plus a compounding validator made outside
    // the pod, among other stakers' validators ---
    let mut chain = BeaconChain::new(Fork::Electra, GENESIS, 11_000_000);
    let other = eth1_withdrawal_credentials(Address::repeat_byte(0x42));
    chain.add_validator(pod_flow::pubkey(9, 0), other, 32 * ETH_GWEI);
    let va = chain.add_validator(pod_flow::pubkey(1, 0), credentials(1, pod), 32 * ETH_GWEI);
    let vb = chain.add_validator(pod_flow::pubkey(1, 1), credentials(1, pod), 32 * ETH_GWEI);
    chain.add_validator(pod_flow::pubkey(9, 1), other, 32 * ETH_GWEI);
    let vc = chain.add_validator(pod_flow::pubkey(1, 2), credentials(2, pod), 64 * ETH_GWEI);
    // A small penalty below the effective balance: credentials credit the effective balance.
    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(va, 32 * ETH_GWEI - ETH_GWEI / 100);
    let ours = [va, vb, vc];
    let hashes: Vec<B256> = ours.iter().map(|i| pubkey_hash_of(&chain, *i)).collect();

    // --- verify withdrawal credentials ---
    let (_, o) = pod_flow::verify_withdrawal_credentials(&s, owner, pod, &chain, &ours).unwrap();
    let o = o.ok().unwrap();
    assert_eq!(o.events::<IEigenPod::ValidatorRestaked>().len(), 3);
    let mut credited = 0u64;
    for i in ours {
        let eff = chain.validators[i as usize].effective_balance;
        exp.recorded.insert(i, eff);
        credited += eff;
    }
    assert_eq!(credited, 128 * ETH_GWEI, "32 + 32 + 64 ETH effective");
    exp.shares = gwei_to_wei(credited);
    m.deposit(owner, BEACON_ETH, exp.shares).unwrap();
    for (k, i) in ours.iter().enumerate() {
        let info = s
            .view(
                pod,
                IEigenPod::validatorPubkeyHashToInfoCall {
                    validatorPubkeyHash: hashes[k],
                },
            )
            .unwrap();
        assert_eq!(info.validatorIndex, *i);
        assert_eq!(info.restakedBalanceGwei, exp.recorded[i]);
        assert_eq!(info.lastCheckpointedAt, 0);
        assert_eq!(info.status, VALIDATOR_STATUS::ACTIVE);
    }
    assert_eq!(
        s.view(pod, IEigenPod::activeValidatorCountCall {}).unwrap(),
        U256::from(3)
    );
    assert_eq!(
        s.view(
            n.epm,
            IEigenPodManager::podOwnerDepositSharesCall { podOwner: owner }
        )
        .unwrap(),
        I256::from_raw(exp.shares)
    );
    assert_eq!(
        withdrawable(&s, owner),
        (m.withdrawable(owner, BEACON_ETH), exp.shares)
    );
    assert_eq!(
        operator_shares(&s, op),
        m.operator_shares_of(op, BEACON_ETH)
    );
    assert_eq!(operator_shares(&s, op), exp.shares);

    // --- rewards; the 0x01 validators' excess is swept to the pod (a consensus-layer withdrawal:
    // no transaction, the pod's balance just grows) ---
    chain.advance(4 * SLOTS_PER_EPOCH);
    chain.set_balance(va, 32 * ETH_GWEI + 50_000_000);
    chain.set_balance(vb, 32 * ETH_GWEI + 80_000_000);
    chain.set_balance(vc, 64 * ETH_GWEI + 300_000_000);
    let swept = 50_000_000 + 80_000_000;
    chain.set_balance(va, 32 * ETH_GWEI);
    chain.set_balance(vb, 32 * ETH_GWEI);
    s.node().set_balance(pod, gwei_to_wei(swept));
    let (prev, delta) = exp.checkpoint(&chain, swept);
    assert_eq!(prev, 128 * ETH_GWEI);
    assert_eq!(
        delta,
        (swept + 300_000_000) as i128,
        "0.13 ETH swept + 0.3 ETH accrued on the compounding validator"
    );
    let (t1, _, proofs) = pod_flow::checkpoint(&s, owner, pod, &chain, &ours).unwrap();
    let proofs = proofs.unwrap();
    assert_eq!(
        finalized_delta(&proofs),
        I256::try_from(delta * GWEI as i128).unwrap()
    );
    exp.apply_checkpoint(&chain, swept);
    exp.shares += gwei_to_wei(delta as u64);
    m.deposit(owner, BEACON_ETH, gwei_to_wei(delta as u64))
        .unwrap();
    assert_eq!(
        s.view(pod, IEigenPod::lastCheckpointTimestampCall {})
            .unwrap(),
        t1
    );
    assert_eq!(
        s.view(
            pod,
            IEigenPod::withdrawableRestakedExecutionLayerGweiCall {}
        )
        .unwrap(),
        swept
    );
    for (k, i) in ours.iter().enumerate() {
        let info = s
            .view(
                pod,
                IEigenPod::validatorPubkeyHashToInfoCall {
                    validatorPubkeyHash: hashes[k],
                },
            )
            .unwrap();
        assert_eq!(info.restakedBalanceGwei, chain.balances[*i as usize]);
        assert_eq!(info.lastCheckpointedAt, t1);
    }
    assert_eq!(
        withdrawable(&s, owner),
        (m.withdrawable(owner, BEACON_ETH), exp.shares)
    );
    assert_eq!(
        exp.shares,
        gwei_to_wei(128 * ETH_GWEI + 430_000_000),
        "128.43 ETH of shares"
    );

    // --- the AVS slashes 25% of the operator's beacon-ETH allocation (half its magnitude) ---
    let wad_to_slash = WAD / U256::from(4);
    s.send(
        avs,
        am,
        IAllocationManager::slashOperatorCall {
            avs,
            params: SlashingParams {
                operator: op,
                operatorSetId: 7,
                strategies: vec![BEACON_ETH],
                wadsToSlash: vec![wad_to_slash],
                description: "double signing".into(),
            },
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let new_max = WAD - model::mul_wad_up(U256::from(half), wad_to_slash);
    assert_eq!(new_max, WAD * U256::from(7) / U256::from(8));
    let max = s
        .view(
            am,
            IAllocationManager::getMaxMagnitudes_0Call {
                operator: op,
                strategies: vec![BEACON_ETH],
            },
        )
        .unwrap();
    assert_eq!(U256::from(max[0]), new_max);
    m.slash_operator_shares(op, BEACON_ETH, new_max);
    let (w, d) = withdrawable(&s, owner);
    assert_eq!(d, exp.shares, "an AVS slash never touches deposit shares");
    assert_eq!(w, m.withdrawable(owner, BEACON_ETH));
    assert_eq!(
        w,
        model::mul_wad(exp.shares, new_max),
        "d · m (k = 1, l = 1)"
    );
    assert_eq!(
        operator_shares(&s, op),
        m.operator_shares_of(op, BEACON_ETH)
    );

    // --- beacon-chain slash of vb (1 ETH), an inactivity penalty on va ---
    chain.advance(SLOTS_PER_EPOCH);
    chain.slash(vb, ETH_GWEI);
    chain.set_balance(va, 32 * ETH_GWEI - 5_000_000);
    let (prev, delta) = exp.checkpoint(&chain, swept);
    assert_eq!(prev, 128 * ETH_GWEI + 430_000_000);
    assert_eq!(delta, -(ETH_GWEI as i128 + 5_000_000));
    let (t2, _, proofs) = pod_flow::checkpoint(&s, owner, pod, &chain, &ours).unwrap();
    let proofs = proofs.unwrap();
    assert_eq!(
        finalized_delta(&proofs),
        I256::try_from(delta * GWEI as i128).unwrap()
    );
    let new_total = (prev as i128 + delta) as u64;
    // l' = ⌊WAD · new / prev⌋ from l = WAD.
    let l = WAD * U256::from(new_total) / U256::from(prev);
    let dec = proofs.events::<IEigenPodManager::BeaconChainSlashingFactorDecreased>();
    assert_eq!(dec.len(), 1);
    assert_eq!(dec[0].prevBeaconChainSlashingFactor, WAD.to::<u64>());
    assert_eq!(U256::from(dec[0].newBeaconChainSlashingFactor), l);
    assert_eq!(
        U256::from(
            s.view(
                n.epm,
                IEigenPodManager::beaconChainSlashingFactorCall { staker: owner }
            )
            .unwrap()
        ),
        l
    );
    exp.apply_checkpoint(&chain, swept);
    m.beacon_balance_drop(owner, prev, new_total);
    let (w, d) = withdrawable(&s, owner);
    assert_eq!(
        d, exp.shares,
        "beacon-chain losses never touch deposit shares"
    );
    assert_eq!(w, m.withdrawable(owner, BEACON_ETH));
    // EigenLayer's formula written out: d · k · (m · l), k = WAD (every deposit predates the slashes).
    assert_eq!(w, model::mul_wad(exp.shares, model::mul_wad(new_max, l)));
    // ≈ 128.43 ETH · 7/8 · 127.425/128.43 = 111.496875 ETH, less rounding.
    let exact = U256::from(111_496_875u64) * U256::from(10u64).pow(U256::from(12));
    assert!(
        w <= exact && exact - w < U256::from(1_000u64),
        "{w} vs {exact}"
    );
    assert_eq!(
        operator_shares(&s, op),
        m.operator_shares_of(op, BEACON_ETH)
    );
    assert_eq!(
        s.view(
            pod,
            IEigenPod::validatorPubkeyHashToInfoCall {
                validatorPubkeyHash: hashes[1]
            }
        )
        .unwrap()
        .lastCheckpointedAt,
        t2
    );

    // --- the slashed validator is withdrawn: 31 ETH swept to the pod, balance 0 ---
    chain.advance(SLOTS_PER_EPOCH);
    let exited = chain.exit(vb);
    assert_eq!(exited, 31 * ETH_GWEI);
    let pod_eth = swept + exited;
    s.node().set_balance(pod, gwei_to_wei(pod_eth));
    let (_, delta) = exp.checkpoint(&chain, pod_eth);
    assert_eq!(
        delta, 0,
        "the exit moves ETH from the beacon chain into the pod"
    );
    let (t3, _, proofs) = pod_flow::checkpoint(&s, owner, pod, &chain, &ours).unwrap();
    let proofs = proofs.unwrap();
    assert_eq!(finalized_delta(&proofs), I256::ZERO);
    assert_eq!(proofs.events::<IEigenPod::ValidatorWithdrawn>().len(), 1);
    exp.apply_checkpoint(&chain, pod_eth);
    assert_eq!(
        s.view(
            pod,
            IEigenPod::validatorPubkeyHashToInfoCall {
                validatorPubkeyHash: hashes[1]
            }
        )
        .unwrap()
        .status,
        VALIDATOR_STATUS::WITHDRAWN
    );
    assert_eq!(
        s.view(pod, IEigenPod::activeValidatorCountCall {}).unwrap(),
        U256::from(2)
    );
    assert_eq!(
        s.view(
            pod,
            IEigenPod::checkpointBalanceExitedGweiCall { timestamp: t3 }
        )
        .unwrap(),
        exited
    );
    assert_eq!(
        s.view(
            pod,
            IEigenPod::withdrawableRestakedExecutionLayerGweiCall {}
        )
        .unwrap(),
        pod_eth
    );
    assert_eq!(withdrawable(&s, owner).0, m.withdrawable(owner, BEACON_ETH));

    // --- the owner withdraws 20 ETH of deposit shares as native ETH after the delay ---
    let queue = s
        .send(
            owner,
            dm,
            IDelegationManager::queueWithdrawalsCall {
                params: vec![QueuedWithdrawalParams {
                    strategies: vec![BEACON_ETH],
                    depositShares: vec![gwei_to_wei(20 * ETH_GWEI)],
                    __deprecated_withdrawer: owner,
                }],
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let id = m
        .queue_withdrawal(owner, BEACON_ETH, gwei_to_wei(20 * ETH_GWEI))
        .unwrap();
    let queued = queue.events::<IDelegationManager::SlashingWithdrawalQueued>();
    assert_eq!(queued.len(), 1);
    let withdrawal = queued[0].withdrawal.clone();
    s.mine(s.config.delegation.min_withdrawal_delay_blocks as u64 + 1);
    m.mine(s.config.delegation.min_withdrawal_delay_blocks as u64 + 1);
    let expected_payout = m.complete_withdrawal(id, false).unwrap();
    let owner_before = s.node().balance(owner);
    let done = s
        .send(
            owner,
            dm,
            IDelegationManager::completeQueuedWithdrawalCall {
                withdrawal,
                tokens: vec![Address::ZERO],
                receiveAsTokens: true,
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let fee = {
        let node = s.node();
        let r = node.transaction(done.hash).unwrap();
        U256::from(r.gas_used) * U256::from(r.effective_gas_price())
    };
    // The pod pays whole gwei (EigenPod.withdrawRestakedBeaconChainETH).
    let paid = expected_payout / U256::from(GWEI) * U256::from(GWEI);
    assert_eq!(s.node().balance(owner) + fee - owner_before, paid);
    assert_eq!(s.node().balance(pod), gwei_to_wei(pod_eth) - paid);
    assert_eq!(
        s.view(
            pod,
            IEigenPod::withdrawableRestakedExecutionLayerGweiCall {}
        )
        .unwrap(),
        pod_eth - (paid / U256::from(GWEI)).to::<u64>()
    );
    assert_eq!(withdrawable(&s, owner).0, m.withdrawable(owner, BEACON_ETH));
    // ≈ 20 ETH · 7/8 · l.
    assert!(paid > gwei_to_wei(17 * ETH_GWEI) && paid < gwei_to_wei(18 * ETH_GWEI));
}

/// Deneb proofs for timestamps up to the manager's Pectra fork timestamp (a root at the fork
/// timestamp is its parent's, still Deneb), Electra proofs after it; the other layout is refused
/// with `InvalidProofLength` and changes nothing. Checkpoints follow the same rule.
#[test]
fn deneb_and_electra_layouts_are_both_accepted() {
    let s = Suite::shared();
    let owner = s.actors.stakers[1];
    let now = pod_flow::latest_timestamp(&s);
    let fork = now + 10 * 12;
    pod_flow::set_pectra_fork_timestamp(&s, fork).unwrap();
    let (pod, _) = pod_flow::create_pod(&s, owner).unwrap();

    let mut chain = BeaconChain::new(Fork::Deneb, GENESIS, 8_000_000);
    for i in 0..4 {
        chain.add_validator(pod_flow::pubkey(2, i), credentials(1, pod), 32 * ETH_GWEI);
    }
    let hashes: Vec<B256> = (0..4).map(|i| pubkey_hash_of(&chain, i)).collect();
    let mut electra = chain.clone();
    electra.fork = Fork::Electra;
    assert_ne!(chain.block_root(), electra.block_root());

    // Before the fork: the Electra-shaped proof of validator 1 is refused, Deneb's of 0 accepted.
    let t = pod_flow::next_slot_timestamp(&s);
    assert!(t < fork);
    pod_flow::post_root(&s, t, electra.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let before = observe(&s, pod, owner, &hashes);
    let o = pod_flow::send_call_at(
        &s,
        owner,
        pod,
        pod_flow::credentials_call(&electra, t, &[1]),
        t,
    )
    .unwrap();
    expect_revert::<IEigenPod::InvalidProofLength>(&o, "Electra proof before the fork");
    assert_eq!(observe(&s, pod, owner, &hashes), before);
    let (_, o) = pod_flow::verify_withdrawal_credentials(&s, owner, pod, &chain, &[0]).unwrap();
    o.ok().unwrap();

    // At exactly the fork timestamp the layout is still Deneb.
    let o = {
        pod_flow::post_root(&s, fork, chain.block_root())
            .unwrap()
            .ok()
            .unwrap();
        pod_flow::send_call_at(
            &s,
            owner,
            pod,
            pod_flow::credentials_call(&chain, fork, &[1]),
            fork,
        )
        .unwrap()
    };
    o.ok().unwrap();

    // After the fork: Deneb-shaped is refused, Electra accepted.
    chain.fork = Fork::Electra;
    chain.advance(SLOTS_PER_EPOCH);
    let mut deneb = chain.clone();
    deneb.fork = Fork::Deneb;
    let t = pod_flow::next_slot_timestamp(&s);
    assert!(t > fork);
    pod_flow::post_root(&s, t, deneb.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let before = observe(&s, pod, owner, &hashes);
    let o = pod_flow::send_call_at(
        &s,
        owner,
        pod,
        pod_flow::credentials_call(&deneb, t, &[2]),
        t,
    )
    .unwrap();
    expect_revert::<IEigenPod::InvalidProofLength>(&o, "Deneb proof after the fork");
    assert_eq!(observe(&s, pod, owner, &hashes), before);
    let (_, o) = pod_flow::verify_withdrawal_credentials(&s, owner, pod, &chain, &[2, 3]).unwrap();
    o.ok().unwrap();
    let shares = s
        .view(
            Native::of(&s).unwrap().epm,
            IEigenPodManager::podOwnerDepositSharesCall { podOwner: owner },
        )
        .unwrap();
    assert_eq!(shares, I256::from_raw(gwei_to_wei(4 * 32 * ETH_GWEI)));

    // A checkpoint after the fork takes Electra balance proofs only.
    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(3, 32 * ETH_GWEI + 7_000_000);
    let (_, o) = pod_flow::start_checkpoint(&s, owner, pod, &chain, false).unwrap();
    o.ok().unwrap();
    let mut deneb = chain.clone();
    deneb.fork = Fork::Deneb;
    let mut wrong = pod_flow::checkpoint_call(&chain, &[0, 1, 2, 3]);
    wrong.balanceContainerProof = pod_flow::checkpoint_call(&deneb, &[]).balanceContainerProof;
    let before = observe(&s, pod, owner, &hashes);
    let o = s.send(owner, pod, wrong).unwrap();
    expect_revert::<IEigenPod::InvalidProofLength>(&o, "Deneb container proof after the fork");
    assert_eq!(observe(&s, pod, owner, &hashes), before);
    let o = pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[0, 1, 2, 3])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(
        finalized_delta(&o),
        I256::try_from(7_000_000i128 * GWEI as i128).unwrap()
    );
}

/// A checkpoint before the fork takes Deneb balance proofs.
#[test]
fn a_checkpoint_before_the_fork_takes_deneb_proofs() {
    let s = Suite::shared();
    let owner = s.actors.stakers[2];
    let fork = pod_flow::latest_timestamp(&s) + 100 * 12;
    pod_flow::set_pectra_fork_timestamp(&s, fork).unwrap();
    let (pod, _) = pod_flow::create_pod(&s, owner).unwrap();
    let mut chain = BeaconChain::new(Fork::Deneb, GENESIS, 8_000_000);
    for i in 0..5 {
        chain.add_validator(pod_flow::pubkey(3, i), credentials(1, pod), 32 * ETH_GWEI);
    }
    let hashes: Vec<B256> = (0..5).map(|i| pubkey_hash_of(&chain, i)).collect();
    let (_, o) =
        pod_flow::verify_withdrawal_credentials(&s, owner, pod, &chain, &[0, 1, 2, 3, 4]).unwrap();
    o.ok().unwrap();
    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(4, 32 * ETH_GWEI - 3_000_000);
    let (t, o) = pod_flow::start_checkpoint(&s, owner, pod, &chain, false).unwrap();
    o.ok().unwrap();
    assert!(t <= fork);
    let mut electra = chain.clone();
    electra.fork = Fork::Electra;
    let mut wrong = pod_flow::checkpoint_call(&chain, &[0, 1]);
    wrong.balanceContainerProof = pod_flow::checkpoint_call(&electra, &[]).balanceContainerProof;
    let before = observe(&s, pod, owner, &hashes);
    let o = s.send(owner, pod, wrong).unwrap();
    expect_revert::<IEigenPod::InvalidProofLength>(&o, "Electra container proof before the fork");
    assert_eq!(observe(&s, pod, owner, &hashes), before);
    // Proofs may come in several batches; the last one finalizes.
    pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[0, 1])
        .unwrap()
        .ok()
        .unwrap();
    let cp = s.view(pod, IEigenPod::currentCheckpointCall {}).unwrap();
    assert_eq!(cp.proofsRemaining.to::<u32>(), 3);
    let o = pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[2, 3, 4])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(
        finalized_delta(&o),
        I256::try_from(-3_000_000i128 * GWEI as i128).unwrap()
    );
    // 160 ETH → 159.997 ETH: l = ⌊WAD · 159.997 / 160⌋.
    let l = WAD * U256::from(160 * ETH_GWEI - 3_000_000) / U256::from(160 * ETH_GWEI);
    let factor = s
        .view(
            Native::of(&s).unwrap().epm,
            IEigenPodManager::beaconChainSlashingFactorCall { staker: owner },
        )
        .unwrap();
    assert_eq!(U256::from(factor), l);
}

/// Wrong proofs, wrong roots, stale or future timestamps, foreign withdrawal credentials and a
/// second verification all revert with the interface's errors and leave every view unchanged.
#[test]
fn bad_credential_proofs_revert_and_change_nothing() {
    let s = Suite::shared();
    let owner = s.actors.stakers[3];
    pod_flow::set_pectra_fork_timestamp(&s, pod_flow::latest_timestamp(&s)).unwrap();
    let (pod, _) = pod_flow::create_pod(&s, owner).unwrap();
    let mut chain = BeaconChain::new(Fork::Electra, GENESIS, 12_000_000);
    chain.add_validator(pod_flow::pubkey(4, 0), credentials(1, pod), 32 * ETH_GWEI);
    chain.add_validator(
        pod_flow::pubkey(4, 1),
        eth1_withdrawal_credentials(Address::repeat_byte(0x42)),
        32 * ETH_GWEI,
    );
    chain.add_validator(pod_flow::pubkey(4, 2), credentials(1, pod), 32 * ETH_GWEI);
    let epoch = chain.epoch();
    chain.validators[2].exit_epoch = epoch + 4;
    chain.add_validator(pod_flow::pubkey(4, 3), credentials(1, pod), 32 * ETH_GWEI);
    chain.validators[3].activation_epoch = beacon::FAR_FUTURE_EPOCH;
    let hashes: Vec<B256> = (0..4).map(|i| pubkey_hash_of(&chain, i)).collect();

    let t = pod_flow::next_slot_timestamp(&s);
    pod_flow::post_root(&s, t, chain.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let good = pod_flow::credentials_call(&chain, t, &[0]);
    let before = observe(&s, pod, owner, &hashes);
    let check = |what: &str, call: IEigenPod::verifyWithdrawalCredentialsCall, at: u64| {
        let o = pod_flow::send_call_at(&s, owner, pod, call, at).unwrap();
        assert!(!o.status, "{what}: must revert");
        assert_eq!(
            observe(&s, pod, owner, &hashes),
            before,
            "{what}: state changed"
        );
        o
    };

    let mut c = good.clone();
    let mut p = c.validatorFieldsProofs[0].to_vec();
    p[100] ^= 1;
    c.validatorFieldsProofs[0] = p.into();
    expect_revert::<IEigenPod::InvalidProof>(&check("flipped validator proof bit", c, t), "1");

    let mut c = good.clone();
    c.validatorFields[0][2] = B256::with_last_byte(1); // another effective balance
    expect_revert::<IEigenPod::InvalidProof>(&check("forged validator field", c, t), "2");

    let mut c = good.clone();
    c.validatorIndices[0] = alloy::primitives::aliases::U40::from(2);
    expect_revert::<IEigenPod::InvalidProof>(&check("another validator's index", c, t), "3");

    let mut c = good.clone();
    let p = c.validatorFieldsProofs[0].to_vec();
    c.validatorFieldsProofs[0] = p[..p.len() - 32].to_vec().into();
    expect_revert::<IEigenPod::InvalidProofLength>(&check("short proof", c, t), "4");

    let mut c = good.clone();
    let mut p = c.stateRootProof.proof.to_vec();
    p[0] ^= 0x80;
    c.stateRootProof.proof = p.into();
    expect_revert::<IEigenPod::InvalidProof>(&check("bad state root proof", c, t), "5");

    // The proof of a later state against the root posted for this one.
    let mut later = chain.clone();
    later.advance(1);
    let c = pod_flow::credentials_call(&later, t, &[0]);
    expect_revert::<IEigenPod::InvalidProof>(&check("proof of another state", c, t), "6");

    // No root posted for that timestamp: the oracle reverts like EIP-4788.
    let mut c = good.clone();
    c.beaconTimestamp = t - 1;
    expect_revert::<IEigenPod::InvalidEIP4788Response>(&check("unknown root", c, t), "7");

    // A timestamp after the block's.
    let t_future = t + 12;
    pod_flow::post_root(&s, t_future, chain.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let c = pod_flow::credentials_call(&chain, t_future, &[0]);
    expect_revert::<IEigenPod::TimestampOutOfRange>(&check("future timestamp", c, t), "8");
    let c = pod_flow::credentials_call(&chain, t, &[1]);
    expect_revert::<IEigenPod::WithdrawalCredentialsNotForEigenPod>(
        &check("someone else's validator", c, t_future),
        "10",
    );
    let c = pod_flow::credentials_call(&chain, t, &[2]);
    expect_revert::<IEigenPod::ValidatorIsExitingBeaconChain>(
        &check("exiting validator", c, t_future),
        "11",
    );
    let c = pod_flow::credentials_call(&chain, t, &[3]);
    expect_revert::<IEigenPod::ValidatorInactiveOnBeaconChain>(
        &check("not yet activated", c, t_future),
        "12",
    );
    // One bad validator sinks the batch: the good one is not restaked either.
    let c = pod_flow::credentials_call(&chain, t, &[0, 1]);
    expect_revert::<IEigenPod::WithdrawalCredentialsNotForEigenPod>(
        &check("batch with a foreign validator", c, t_future),
        "13",
    );
    let o = pod_flow::send_call_at(&s, s.actors.attacker, pod, good.clone(), t_future).unwrap();
    expect_revert::<IEigenPod::OnlyEigenPodOwnerOrProofSubmitter>(&o, "stranger");
    assert_eq!(observe(&s, pod, owner, &hashes), before);

    // The good proof goes through once, and only once.
    let t_now = pod_flow::next_slot_timestamp(&s);
    pod_flow::send_call_at(&s, owner, pod, good.clone(), t_now)
        .unwrap()
        .ok()
        .unwrap();
    let after = observe(&s, pod, owner, &hashes);
    assert_eq!(after.infos[0], (0, 32 * ETH_GWEI, 0, 1));
    assert_eq!(after.shares, I256::from_raw(gwei_to_wei(32 * ETH_GWEI)));
    let o = pod_flow::send_call_at(&s, owner, pod, good, t_now + 1).unwrap();
    expect_revert::<IEigenPod::CredentialsAlreadyVerified>(&o, "twice");
    assert_eq!(observe(&s, pod, owner, &hashes), after);

    // A root older than EIP-4788's 8191-slot window is out of range (checked before the proof).
    let mut fresh = chain.clone();
    fresh.add_validator(pod_flow::pubkey(4, 4), credentials(1, pod), 32 * ETH_GWEI);
    let c = pod_flow::credentials_call(&fresh, t, &[4]);
    let o = pod_flow::send_call_at(&s, owner, pod, c, t + 8191 * 12).unwrap();
    expect_revert::<IEigenPod::TimestampOutOfRange>(&o, "stale timestamp");
    assert_eq!(observe(&s, pod, owner, &hashes), after);
}

/// Broken balance proofs and container proofs revert with `InvalidProof` and change nothing;
/// proofs without a checkpoint revert with `NoActiveCheckpoint`; credentials for a beacon timestamp
/// at or before the active checkpoint are refused.
#[test]
fn bad_checkpoint_proofs_revert_and_change_nothing() {
    let s = Suite::shared();
    let owner = s.actors.stakers[0];
    pod_flow::set_pectra_fork_timestamp(&s, pod_flow::latest_timestamp(&s)).unwrap();
    let (pod, _) = pod_flow::create_pod(&s, owner).unwrap();
    let mut chain = BeaconChain::new(Fork::Electra, GENESIS, 12_500_000);
    for i in 0..6 {
        chain.add_validator(pod_flow::pubkey(5, i), credentials(1, pod), 32 * ETH_GWEI);
    }
    let hashes: Vec<B256> = (0..6).map(|i| pubkey_hash_of(&chain, i)).collect();
    let (t0, o) =
        pod_flow::verify_withdrawal_credentials(&s, owner, pod, &chain, &[0, 1, 2, 3, 4]).unwrap();
    o.ok().unwrap();
    let chain_at_t0 = chain.clone();

    let before = observe(&s, pod, owner, &hashes);
    let o = pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[0]).unwrap();
    expect_revert::<IEigenPod::NoActiveCheckpoint>(&o, "no checkpoint");
    assert_eq!(observe(&s, pod, owner, &hashes), before);

    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(1, 31 * ETH_GWEI);
    let (t, o) = pod_flow::start_checkpoint(&s, owner, pod, &chain, false).unwrap();
    o.ok().unwrap();
    let o = pod_flow::start_checkpoint(&s, owner, pod, &chain, false)
        .unwrap()
        .1;
    expect_revert::<IEigenPod::CheckpointAlreadyActive>(&o, "second checkpoint");
    let before = observe(&s, pod, owner, &hashes);
    assert_eq!(before.current_checkpoint_ts, t);
    assert_eq!(before.checkpoint.1, 5, "five proofs to go");

    let good = pod_flow::checkpoint_call(&chain, &[0, 1, 2, 3, 4]);
    let check = |what: &str, call: IEigenPod::verifyCheckpointProofsCall| {
        let o = s.send(owner, pod, call).unwrap();
        assert!(!o.status, "{what}: must revert");
        assert_eq!(
            observe(&s, pod, owner, &hashes),
            before,
            "{what}: state changed"
        );
        o
    };
    let mut c = good.clone();
    let mut p = c.proofs[1].proof.to_vec();
    p[40] ^= 1;
    c.proofs[1].proof = p.into();
    expect_revert::<IEigenPod::InvalidProof>(&check("flipped balance proof bit", c), "1");

    let mut c = good.clone();
    let mut r = c.proofs[1].balanceRoot;
    r.0[8] ^= 0xff; // validator 1's lane: claims another balance
    c.proofs[1].balanceRoot = r;
    expect_revert::<IEigenPod::InvalidProof>(&check("forged balance", c), "2");

    let mut c = good.clone();
    let mut p = c.balanceContainerProof.proof.to_vec();
    p[31] ^= 1;
    c.balanceContainerProof.proof = p.into();
    expect_revert::<IEigenPod::InvalidProof>(&check("bad container proof", c), "3");

    // The balances of another state (the checkpoint's root is fixed at its start).
    let mut later = chain.clone();
    later.advance(1);
    later.set_balance(1, 30 * ETH_GWEI);
    expect_revert::<IEigenPod::InvalidProof>(
        &check(
            "balances of a later state",
            pod_flow::checkpoint_call(&later, &[0, 1, 2, 3, 4]),
        ),
        "4",
    );

    let mut c = good.clone();
    let p = c.proofs[0].proof.to_vec();
    c.proofs[0].proof = p[..p.len() - 32].to_vec().into();
    expect_revert::<IEigenPod::InvalidProofLength>(&check("short balance proof", c), "5");

    // Credentials proven at or before the active checkpoint's timestamp are refused.
    let o = pod_flow::send_call_at(
        &s,
        owner,
        pod,
        pod_flow::credentials_call(&chain, t, &[5]),
        t + 24,
    )
    .unwrap();
    expect_revert::<IEigenPod::BeaconTimestampTooFarInPast>(&o, "credentials at the checkpoint");
    assert_eq!(observe(&s, pod, owner, &hashes), before);

    // Unknown and already proven validators are skipped, never reverted (anti-griefing).
    let c = pod_flow::checkpoint_call(&chain, &[0, 5]);
    let o = s.send(s.actors.attacker, pod, c).unwrap().ok().unwrap();
    assert_eq!(o.events::<IEigenPod::ValidatorCheckpointed>().len(), 1);
    let o = s
        .send(
            s.actors.attacker,
            pod,
            pod_flow::checkpoint_call(&chain, &[0, 1, 2, 3, 4]),
        )
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(o.events::<IEigenPod::ValidatorCheckpointed>().len(), 4);
    assert_eq!(
        finalized_delta(&o),
        I256::try_from(-(ETH_GWEI as i128) * GWEI as i128).unwrap()
    );

    // After the checkpoint, credentials proven against an earlier root are stale.
    let after = observe(&s, pod, owner, &hashes);
    assert_eq!(after.last_checkpoint, t);
    let o = pod_flow::send_call_at(
        &s,
        owner,
        pod,
        pod_flow::credentials_call(&chain_at_t0, t0, &[5]),
        pod_flow::next_slot_timestamp(&s),
    )
    .unwrap();
    expect_revert::<IEigenPod::BeaconTimestampBeforeLatestCheckpoint>(&o, "before the checkpoint");
    assert_eq!(observe(&s, pod, owner, &hashes), after);
}

/// Gas of the proof operations on the devnode (uncached programs), printed for the note; the
/// batch amortizes the per-call costs (state-root proof, program entry, share update).
#[test]
fn proof_gas_is_measured() {
    let s = Suite::shared();
    let g = pod_flow::measure_gas(&s).unwrap();
    for (op, gas) in g.rows() {
        println!("{op}: {gas}");
    }
    assert!(g.verify_credentials_1 > 21_000);
    assert!(g.verify_credentials_10 > g.verify_credentials_1);
    assert!(g.verify_credentials_10 < 5 * g.verify_credentials_1);
    assert!(g.checkpoint_proofs_10 > g.checkpoint_proofs_1);
    assert!(g.checkpoint_proofs_10 < 5 * g.checkpoint_proofs_1);
    assert!(
        g.checkpoint_proofs_final > g.checkpoint_proofs_1,
        "finalizing also credits the shares"
    );
}

/// Ten validators' credentials in one call: a long-running program. With wasmi's tail-call
/// dispatch the devnode's native stack grew by one frame per executed WASM instruction in the
/// test build, and this call (7+ validators) aborted the whole process; with loop dispatch it
/// runs, and all ten are credited.
#[test]
fn ten_validators_verify_in_one_call() {
    let s = Suite::shared();
    let owner = s.actors.stakers[3];
    pod_flow::set_pectra_fork_timestamp(&s, 1).unwrap();
    let (pod, _) = pod_flow::create_pod(&s, owner).unwrap();
    let mut chain = BeaconChain::new(Fork::Electra, GENESIS, 11_000_000);
    let indices: Vec<u64> = (0..10)
        .map(|i| chain.add_validator(pod_flow::pubkey(5, i), credentials(1, pod), 32 * ETH_GWEI))
        .collect();
    let (_, o) = pod_flow::verify_withdrawal_credentials(&s, owner, pod, &chain, &indices).unwrap();
    o.ok().unwrap();
    let shares = s
        .view(
            Native::of(&s).unwrap().epm,
            IEigenPodManager::podOwnerDepositSharesCall { podOwner: owner },
        )
        .unwrap();
    assert_eq!(
        shares,
        I256::try_from(320 * ETH_GWEI as u128 * GWEI as u128).unwrap()
    );
}
