//! Beacon roots as a real Arbitrum chain receives them, on the devnode with the compiled
//! BeaconRootOracle and EigenPod programs (issue #18): roots relayed from L1 carry their own
//! timestamps, arrive late and out of order, and never for an L2 block's exact second.
//!
//! Expected values come from what each test posted and from the rules the oracle documents
//! (`IBeaconRootOracle`: a checkpoint reads the newest live root at a timestamp `≤` its block's,
//! refused when more than `maxRootAge` seconds older; no root from the future; the owner revokes),
//! and the checkpoint's share delta from the beacon state the test built and EigenLayer's formula
//! `δ = Σ (balance now − balance last recorded)` — never from the contracts' own output.
//!
//! Run with `cargo test -p ferrostake-harness --test beacon_roots` after
//! `scripts/build-contracts` (the suite fixture reads `artifacts/wasm`).

use alloy::primitives::{keccak256, Address, B256, I256, U256};
use alloy::sol_types::{SolCall, SolError};
use ferrostake_deploy::abi::{IBeaconRootOracle, IEigenPod, IEigenPodManager, IFerrostakeErrors};
use ferrostake_harness::beacon::{eth1_withdrawal_credentials, BeaconChain, Fork, SLOTS_PER_EPOCH};
use ferrostake_harness::pod_flow::{self, Native, ETH_GWEI, GWEI};
use ferrostake_harness::suite::{Outcome, Suite};

const GENESIS: u64 = 1_606_824_023;
/// The oracle's documented default freshness bound (one hour).
const DEFAULT_MAX_ROOT_AGE: u64 = 3_600;

fn expect_revert<E: SolError>(o: &Outcome, what: &str) {
    if let Err(e) = o.expect_error::<E>() {
        panic!("{what}: {e:#}");
    }
}

/// `latestRootAtOrBefore(t)`: the pair, or the selector of the error it reverted with.
fn at_or_before(s: &Suite, t: u64) -> Result<(u64, B256), [u8; 4]> {
    let oracle = Native::of(s).unwrap().oracle;
    let data = IBeaconRootOracle::latestRootAtOrBeforeCall { timestamp: t }.abi_encode();
    match s.call_raw(Address::ZERO, oracle, data).unwrap() {
        Ok(out) => {
            let r = IBeaconRootOracle::latestRootAtOrBeforeCall::abi_decode_returns(&out).unwrap();
            Ok((r.rootTimestamp, r.root))
        }
        Err(data) => Err(data[..4].try_into().unwrap()),
    }
}

/// The oracle's views a refused call must leave as they were.
fn oracle_state(s: &Suite, timestamps: &[u64]) -> (u64, u64, Vec<(bool, bool)>) {
    let oracle = Native::of(s).unwrap().oracle;
    let latest = s
        .view(oracle, IBeaconRootOracle::latestTimestampCall {})
        .unwrap();
    let age = s
        .view(oracle, IBeaconRootOracle::maxRootAgeCall {})
        .unwrap();
    let per = timestamps
        .iter()
        .map(|t| {
            let known = s
                .view(oracle, IBeaconRootOracle::rootAtCall { timestamp: *t })
                .is_ok();
            let revoked = s
                .view(oracle, IBeaconRootOracle::isRevokedCall { timestamp: *t })
                .unwrap();
            (known, revoked)
        })
        .collect();
    (latest, age, per)
}

/// A pod with `n` validators verified at a fresh timestamp; returns the pod and the beacon chain.
fn pod_with_validators(s: &Suite, owner: Address, tag: u8, n: u64) -> (Address, BeaconChain) {
    pod_flow::set_pectra_fork_timestamp(s, pod_flow::latest_timestamp(s)).unwrap();
    let (pod, _) = pod_flow::create_pod(s, owner).unwrap();
    let mut chain = BeaconChain::new(Fork::Electra, GENESIS, 13_000_000);
    for i in 0..n {
        chain.add_validator(
            pod_flow::pubkey(tag, i),
            eth1_withdrawal_credentials(pod),
            32 * ETH_GWEI,
        );
    }
    let indices: Vec<u64> = (0..n).collect();
    pod_flow::verify_withdrawal_credentials(s, owner, pod, &chain, &indices)
        .unwrap()
        .1
        .ok()
        .unwrap();
    (pod, chain)
}

fn shares(s: &Suite, owner: Address) -> I256 {
    s.view(
        Native::of(s).unwrap().epm,
        IEigenPodManager::podOwnerDepositSharesCall { podOwner: owner },
    )
    .unwrap()
}

/// The pod's checkpoint views: current timestamp, last timestamp, the current checkpoint's root.
fn checkpoint_state(s: &Suite, pod: Address) -> (u64, u64, B256) {
    (
        s.view(pod, IEigenPod::currentCheckpointTimestampCall {})
            .unwrap(),
        s.view(pod, IEigenPod::lastCheckpointTimestampCall {})
            .unwrap(),
        s.view(pod, IEigenPod::currentCheckpointCall {})
            .unwrap()
            .beaconBlockRoot,
    )
}

fn start_checkpoint_at(s: &Suite, owner: Address, pod: Address, t: u64) -> Outcome {
    pod_flow::send_call_at(
        s,
        owner,
        pod,
        IEigenPod::startCheckpointCall {
            revertIfNoBalance: false,
        },
        t,
    )
    .unwrap()
}

#[test]
fn roots_at_irregular_timestamps_in_any_order_and_none_from_the_future() {
    let s = Suite::shared();
    let n = Native::of(&s).unwrap();
    let base = pod_flow::latest_timestamp(&s) + 1_000;
    // Irregular gaps, and late roots (a lagging relayer, retryables redeemed out of order).
    let posted = [
        base,
        base - 37,
        base - 500,
        base + 29,
        base - 13,
        base - 499,
    ];
    for (i, t) in posted.iter().enumerate() {
        pod_flow::post_root(&s, *t, keccak256([i as u8]))
            .unwrap()
            .ok()
            .unwrap();
    }
    let oracle = n.oracle;
    assert_eq!(
        s.view(oracle, IBeaconRootOracle::latestTimestampCall {})
            .unwrap(),
        base + 29
    );
    assert_eq!(
        s.view(oracle, IBeaconRootOracle::maxRootAgeCall {})
            .unwrap(),
        DEFAULT_MAX_ROOT_AGE
    );
    // Every query answers the largest posted timestamp not after it, with that timestamp's root.
    let queries = [
        base + 5_000,
        base + 29 + DEFAULT_MAX_ROOT_AGE,
        base + 30,
        base + 29,
        base + 28,
        base,
        base - 1,
        base - 13,
        base - 14,
        base - 38,
        base - 498,
        base - 499,
        base - 500,
    ];
    for q in queries {
        let expected = posted
            .iter()
            .enumerate()
            .filter(|(_, t)| **t <= q && q - **t <= DEFAULT_MAX_ROOT_AGE)
            .max_by_key(|(_, t)| **t)
            .map(|(i, t)| (*t, keccak256([i as u8])))
            .ok_or(IBeaconRootOracle::NoFreshRoot::SELECTOR);
        assert_eq!(at_or_before(&s, q), expected, "query {q}");
    }
    // Too old for the bound: the newest root is more than an hour before the query.
    assert_eq!(
        at_or_before(&s, base + 30 + DEFAULT_MAX_ROOT_AGE),
        Err(IBeaconRootOracle::NoFreshRoot::SELECTOR)
    );

    // A root for a timestamp the chain has not reached is refused, and nothing changes.
    let now = base + 40;
    let future = now + 12;
    let watched = [future, base + 29];
    let before = oracle_state(&s, &watched);
    let o = pod_flow::send_call_at(
        &s,
        n.admin,
        oracle,
        IBeaconRootOracle::postRootCall {
            timestamp: future,
            root: keccak256("early"),
        },
        now,
    )
    .unwrap();
    let e = o
        .expect_error::<IBeaconRootOracle::RootFromTheFuture>()
        .unwrap();
    assert_eq!((e.timestamp, e.now), (future, now));
    assert_eq!(oracle_state(&s, &watched), before);
}

/// A relayer that lags: the checkpoint starts twenty minutes after the newest relayed root, with
/// no root at its own second, and reads that root; its proofs credit exactly the beacon balance
/// changes. A relayer lagging past the bound is refused without any change, and serves again once
/// it catches up (a root exactly the bound old is fresh).
#[test]
fn a_checkpoint_reads_a_lagging_relayers_root_and_refuses_a_stale_one() {
    let s = Suite::shared();
    let n = Native::of(&s).unwrap();
    let owner = s.actors.stakers[0];
    let (pod, mut chain) = pod_with_validators(&s, owner, 0x71, 3);
    let credited = shares(&s, owner);
    assert_eq!(
        credited,
        I256::from_raw(U256::from(3 * 32 * ETH_GWEI) * U256::from(GWEI))
    );

    // One epoch later: validator 0 earned 0.5 ETH, validator 2 lost 0.1 ETH.
    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(0, 32 * ETH_GWEI + ETH_GWEI / 2);
    chain.set_balance(2, 32 * ETH_GWEI - ETH_GWEI / 10);
    let tr = pod_flow::next_slot_timestamp(&s);
    pod_flow::post_root(&s, tr, chain.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let tc = tr + 20 * 60;
    assert!(s
        .view(n.oracle, IBeaconRootOracle::rootAtCall { timestamp: tc })
        .is_err());
    start_checkpoint_at(&s, owner, pod, tc).ok().unwrap();
    let (current, _, root) = checkpoint_state(&s, pod);
    assert_eq!((current, root), (tc, chain.block_root()));
    let o = pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[0, 1, 2])
        .unwrap()
        .ok()
        .unwrap();
    let delta_gwei = (ETH_GWEI / 2) as i128 - (ETH_GWEI / 10) as i128;
    let delta = I256::try_from(delta_gwei * GWEI as i128).unwrap();
    let ev = o.events::<IEigenPod::CheckpointFinalized>();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].checkpointTimestamp, tc);
    assert_eq!(ev[0].totalShareDeltaWei, delta);
    assert_eq!(shares(&s, owner), credited + delta);

    // The owner tightens the bound to ten minutes; the relayer's next root arrives, then stops.
    const BOUND: u64 = 600;
    s.send(
        n.admin,
        n.oracle,
        IBeaconRootOracle::setMaxRootAgeCall { maxRootAge: BOUND },
    )
    .unwrap()
    .ok()
    .unwrap();
    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(1, 32 * ETH_GWEI + ETH_GWEI / 4);
    let t2 = pod_flow::next_slot_timestamp(&s);
    pod_flow::post_root(&s, t2, chain.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let before = (checkpoint_state(&s, pod), shares(&s, owner));
    let o = start_checkpoint_at(&s, owner, pod, t2 + BOUND + 1);
    let e = o.expect_error::<IBeaconRootOracle::NoFreshRoot>().unwrap();
    assert_eq!((e.timestamp, e.maxRootAge), (t2 + BOUND + 1, BOUND));
    assert_eq!((checkpoint_state(&s, pod), shares(&s, owner)), before);

    // The relayer catches up: a root exactly the bound old serves.
    let t3 = t2 + BOUND + 50;
    pod_flow::post_root(&s, t3, chain.block_root())
        .unwrap()
        .ok()
        .unwrap();
    start_checkpoint_at(&s, owner, pod, t3 + BOUND)
        .ok()
        .unwrap();
    assert_eq!(checkpoint_state(&s, pod).2, chain.block_root());
    pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[0, 1, 2])
        .unwrap()
        .ok()
        .unwrap();
    let quarter = I256::try_from((ETH_GWEI / 4) as i128 * GWEI as i128).unwrap();
    assert_eq!(shares(&s, owner), credited + delta + quarter);
}

/// A forged root reaches the oracle (a compromised updater). Only the owner can revoke it; once
/// revoked it is never read again, its timestamp stays closed, and a checkpoint falls back to the
/// newest good root.
#[test]
fn a_revoked_root_is_not_read_and_only_the_owner_revokes() {
    let s = Suite::shared();
    let n = Native::of(&s).unwrap();
    let owner = s.actors.stakers[1];
    let (pod, mut chain) = pod_with_validators(&s, owner, 0x72, 2);
    chain.advance(SLOTS_PER_EPOCH);
    chain.set_balance(1, 32 * ETH_GWEI + ETH_GWEI / 8);
    let tg = pod_flow::next_slot_timestamp(&s);
    pod_flow::post_root(&s, tg, chain.block_root())
        .unwrap()
        .ok()
        .unwrap();
    let forged = keccak256("forged beacon root");
    let tf = tg + 12;
    pod_flow::post_root(&s, tf, forged).unwrap().ok().unwrap();
    assert_eq!(at_or_before(&s, tf + 5), Ok((tf, forged)));

    let watched = [tf, tg];
    let before = oracle_state(&s, &watched);
    let o = s
        .send(
            s.actors.attacker,
            n.oracle,
            IBeaconRootOracle::revokeRootCall { timestamp: tf },
        )
        .unwrap();
    expect_revert::<IFerrostakeErrors::OwnableUnauthorizedAccount>(&o, "a stranger revokes");
    assert_eq!(oracle_state(&s, &watched), before);

    let o = s
        .send(
            n.admin,
            n.oracle,
            IBeaconRootOracle::revokeRootCall { timestamp: tf },
        )
        .unwrap()
        .ok()
        .unwrap();
    let ev = o.events::<IBeaconRootOracle::RootRevoked>();
    assert_eq!(ev.len(), 1);
    assert_eq!((ev[0].timestamp, ev[0].root), (tf, forged));
    assert_eq!(
        oracle_state(&s, &watched),
        (before.0, before.1, vec![(false, true), (true, false)])
    );
    assert_eq!(at_or_before(&s, tf + 5), Ok((tg, chain.block_root())));
    let o = pod_flow::post_root(&s, tf, chain.block_root()).unwrap();
    expect_revert::<IBeaconRootOracle::RootAlreadyPosted>(&o, "re-post a revoked timestamp");

    let before_shares = shares(&s, owner);
    start_checkpoint_at(&s, owner, pod, tf + 30).ok().unwrap();
    assert_eq!(checkpoint_state(&s, pod).2, chain.block_root());
    pod_flow::verify_checkpoint_proofs(&s, owner, pod, &chain, &[0, 1])
        .unwrap()
        .ok()
        .unwrap();
    let eighth = I256::try_from((ETH_GWEI / 8) as i128 * GWEI as i128).unwrap();
    assert_eq!(shares(&s, owner), before_shares + eighth);
}
