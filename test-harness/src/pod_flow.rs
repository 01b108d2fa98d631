//! Native restaking on the devnode, step by step: the calls a pod owner (or a proof submitter)
//! makes, with the proofs built from a [`BeaconChain`] by [`crate::beacon`], against the suite the
//! [`Suite`] fixture deployed. Each step returns the mined [`Outcome`] (status, revert data, logs,
//! gas), so scenario tests assert on behaviour and benches read the gas.
//!
//! How beacon block roots reach a pod here: the EigenPodManager names the suite's
//! `BeaconRootOracle`. The deployer is the oracle's updater (`roles.beacon_root_updater` unset) and
//! posts `postRoot(timestamp, chain.block_root())`; the oracle refuses roots from the future, so
//! [`post_root`] mines the post in a block at that timestamp when it is ahead of the chain. A
//! credential proof names its beacon timestamp and reads the root posted for exactly it (EIP-4788's
//! read). A checkpoint reads the oracle's newest root at or before its block's timestamp (within
//! the oracle's freshness bound); [`start_checkpoint`] posts the root for the next slot and starts
//! the checkpoint in a block at that timestamp, so the checkpoint reads that root.
//!
//! What this module does not do: it keeps no model of the expected accounting (tests derive
//! expectations from the beacon state and EigenLayer's formulas themselves) and it never checks
//! a proof before sending it, so tests can send broken ones.

use std::path::Path;

use alloy::primitives::{aliases::U40, Address, Bytes, B256, U256};
use alloy::sol_types::SolCall;
use anyhow::{bail, Context, Result};
use ferrostake_deploy::abi::{
    BalanceContainerProof, BalanceProof, IBeaconRootOracle, IEigenPod, IEigenPodManager,
    StateRootProof,
};
use ferrostake_deploy::suite::names;

use crate::beacon::{proof_bytes, BeaconChain, SECONDS_PER_SLOT};
use crate::suite::{Outcome, Suite};

/// Wei per gwei.
pub const GWEI: u64 = 1_000_000_000;
/// Gwei per ETH.
pub const ETH_GWEI: u64 = 1_000_000_000;
/// The deposit `stake` forwards: 32 ETH in wei.
pub const STAKE_WEI: u128 = 32 * ETH_GWEI as u128 * GWEI as u128;

/// The native-restaking contracts of a deployed suite.
#[derive(Clone, Copy, Debug)]
pub struct Native {
    /// EigenPodManager (proxy).
    pub epm: Address,
    /// BeaconRootOracle (proxy): the EIP-4788 stand-in the pods read.
    pub oracle: Address,
    /// The beacon deposit contract (a sink on the devnode).
    pub eth_pos: Address,
    /// Who may post roots and set the fork timestamp: the deployer.
    pub admin: Address,
}

impl Native {
    /// The addresses from the suite's manifest.
    pub fn of(suite: &Suite) -> Result<Self> {
        Ok(Self {
            epm: suite
                .manifest
                .proxy(names::EIGEN_POD_MANAGER)
                .context("no EigenPodManager in the manifest")?,
            oracle: suite.addrs.beacon_root_oracle,
            eth_pos: suite
                .manifest
                .addresses
                .get(names::ETH_POS_DEPOSIT)
                .copied()
                .context("no beacon deposit contract in the manifest")?,
            admin: suite.actors.deployer,
        })
    }
}

/// Timestamp of the latest block.
pub fn latest_timestamp(suite: &Suite) -> u64 {
    let node = suite.node();
    node.block(node.block_number())
        .map(|b| b.timestamp)
        .unwrap_or_default()
}

/// One beacon slot after the latest block: the next timestamp a step uses, so every step gets a
/// fresh timestamp (the oracle takes one root per timestamp) independent of the wall clock.
pub fn next_slot_timestamp(suite: &Suite) -> u64 {
    latest_timestamp(suite) + SECONDS_PER_SLOT
}

/// Sends `data` with `value` wei from `from` (impersonated) and mines it; a revert is an `Ok`
/// outcome with `status == false`. With `at`, the block gets exactly that timestamp.
pub fn send_at(
    suite: &Suite,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
    at: Option<u64>,
) -> Result<Outcome> {
    suite.send_at(from, to, value, data, at)
}

/// Selects the proof layout: pods take Deneb proofs for timestamps `≤ ts` and Electra (Pectra)
/// proofs after it. The deploy tool leaves the fork timestamp unset (pods then refuse every proof
/// with `ForkTimestampZero`); the deployer makes itself the proof timestamp setter and sets it.
pub fn set_pectra_fork_timestamp(suite: &Suite, ts: u64) -> Result<()> {
    let n = Native::of(suite)?;
    suite
        .send(
            n.admin,
            n.epm,
            IEigenPodManager::setProofTimestampSetterCall {
                newProofTimestampSetter: n.admin,
            },
        )?
        .ok()
        .context("setProofTimestampSetter")?;
    suite
        .send(
            n.admin,
            n.epm,
            IEigenPodManager::setPectraForkTimestampCall { timestamp: ts },
        )?
        .ok()
        .context("setPectraForkTimestamp")?;
    Ok(())
}

/// `createPod` by `owner`; returns the pod's address and the outcome.
pub fn create_pod(suite: &Suite, owner: Address) -> Result<(Address, Outcome)> {
    let n = Native::of(suite)?;
    let out = suite
        .send(owner, n.epm, IEigenPodManager::createPodCall {})?
        .ok()
        .context("createPod")?;
    let pod = suite.view(n.epm, IEigenPodManager::getPodCall { podOwner: owner })?;
    Ok((pod, out))
}

/// `EigenPodManager.stake` of 32 ETH by `owner` for a validator with `pubkey` (signature and
/// deposit data root are not checked by the devnode's deposit sink). Creates the pod if needed.
pub fn stake(suite: &Suite, owner: Address, pubkey: [u8; 48]) -> Result<Outcome> {
    let n = Native::of(suite)?;
    let data = IEigenPodManager::stakeCall {
        pubkey: Bytes::from(pubkey.to_vec()),
        signature: Bytes::from(vec![0u8; 96]),
        depositDataRoot: B256::ZERO,
    }
    .abi_encode();
    send_at(suite, owner, n.epm, U256::from(STAKE_WEI), data, None)
}

/// Posts `root` as the parent beacon block root of `timestamp` (the deployer is the updater). A
/// timestamp ahead of the latest block is posted in a block at exactly that timestamp (the oracle
/// refuses roots from the future); an earlier one in the next block.
pub fn post_root(suite: &Suite, timestamp: u64, root: B256) -> Result<Outcome> {
    let n = Native::of(suite)?;
    let at = (timestamp > latest_timestamp(suite)).then_some(timestamp);
    send_call_at_opt(
        suite,
        n.admin,
        n.oracle,
        IBeaconRootOracle::postRootCall { timestamp, root },
        at,
    )
}

/// The `verifyWithdrawalCredentials` call for `indices` of `chain` at `beacon_timestamp`.
pub fn credentials_call(
    chain: &BeaconChain,
    beacon_timestamp: u64,
    indices: &[u64],
) -> IEigenPod::verifyWithdrawalCredentialsCall {
    let srp = chain.state_root_proof();
    let proofs: Vec<_> = indices
        .iter()
        .map(|i| chain.validator_fields_proof(*i))
        .collect();
    IEigenPod::verifyWithdrawalCredentialsCall {
        beaconTimestamp: beacon_timestamp,
        stateRootProof: StateRootProof {
            beaconStateRoot: srp.beacon_state_root,
            proof: Bytes::from(proof_bytes(&srp.proof)),
        },
        validatorIndices: indices.iter().map(|i| U40::from(*i)).collect(),
        validatorFieldsProofs: proofs
            .iter()
            .map(|p| Bytes::from(proof_bytes(&p.proof)))
            .collect(),
        validatorFields: proofs.iter().map(|p| p.validator_fields.to_vec()).collect(),
    }
}

/// Posts `chain`'s block root for the next slot and, in a block at that timestamp, sends
/// `verifyWithdrawalCredentials` for `indices` from `sender`. Returns the beacon timestamp used.
pub fn verify_withdrawal_credentials(
    suite: &Suite,
    sender: Address,
    pod: Address,
    chain: &BeaconChain,
    indices: &[u64],
) -> Result<(u64, Outcome)> {
    let t = next_slot_timestamp(suite);
    post_root(suite, t, chain.block_root())?
        .ok()
        .context("postRoot")?;
    let out = send_call_at(suite, sender, pod, credentials_call(chain, t, indices), t)?;
    Ok((t, out))
}

/// Sends a typed call in a block with timestamp `t`.
pub fn send_call_at<C: SolCall>(
    suite: &Suite,
    from: Address,
    to: Address,
    call: C,
    t: u64,
) -> Result<Outcome> {
    send_call_at_opt(suite, from, to, call, Some(t))
}

fn send_call_at_opt<C: SolCall>(
    suite: &Suite,
    from: Address,
    to: Address,
    call: C,
    at: Option<u64>,
) -> Result<Outcome> {
    send_at(suite, from, to, U256::ZERO, call.abi_encode(), at)
}

/// Posts `chain`'s block root for the next slot and starts a checkpoint in a block at exactly that
/// timestamp (a checkpoint reads the newest root at or before its block's timestamp: this one).
/// Returns the checkpoint timestamp.
pub fn start_checkpoint(
    suite: &Suite,
    sender: Address,
    pod: Address,
    chain: &BeaconChain,
    revert_if_no_balance: bool,
) -> Result<(u64, Outcome)> {
    let t = next_slot_timestamp(suite);
    post_root(suite, t, chain.block_root())?
        .ok()
        .context("postRoot")?;
    let out = send_call_at(
        suite,
        sender,
        pod,
        IEigenPod::startCheckpointCall {
            revertIfNoBalance: revert_if_no_balance,
        },
        t,
    )?;
    Ok((t, out))
}

/// The `verifyCheckpointProofs` call for the balances of `indices` in `chain`'s current state.
pub fn checkpoint_call(
    chain: &BeaconChain,
    indices: &[u64],
) -> IEigenPod::verifyCheckpointProofsCall {
    let c = chain.balance_container_proof();
    IEigenPod::verifyCheckpointProofsCall {
        balanceContainerProof: BalanceContainerProof {
            balanceContainerRoot: c.balance_container_root,
            proof: Bytes::from(proof_bytes(&c.proof)),
        },
        proofs: indices
            .iter()
            .map(|i| {
                let b = chain.balance_proof(*i);
                BalanceProof {
                    pubkeyHash: b.pubkey_hash,
                    balanceRoot: b.balance_root,
                    proof: Bytes::from(proof_bytes(&b.proof)),
                }
            })
            .collect(),
    }
}

/// `verifyCheckpointProofs` for `indices` of `chain` (anyone may send it).
pub fn verify_checkpoint_proofs(
    suite: &Suite,
    sender: Address,
    pod: Address,
    chain: &BeaconChain,
    indices: &[u64],
) -> Result<Outcome> {
    suite.send(sender, pod, checkpoint_call(chain, indices))
}

/// A full checkpoint: start it on `chain`'s current state and prove every index of `indices` in
/// one `verifyCheckpointProofs`. Returns the checkpoint timestamp and both outcomes (the proofs'
/// outcome is `None` when the checkpoint finalized at once, with no active validator).
pub fn checkpoint(
    suite: &Suite,
    owner: Address,
    pod: Address,
    chain: &BeaconChain,
    indices: &[u64],
) -> Result<(u64, Outcome, Option<Outcome>)> {
    let (t, start) = start_checkpoint(suite, owner, pod, chain, false)?;
    let start = start.ok().context("startCheckpoint")?;
    if indices.is_empty() {
        return Ok((t, start, None));
    }
    let proofs = verify_checkpoint_proofs(suite, owner, pod, chain, indices)?
        .ok()
        .context("verifyCheckpointProofs")?;
    Ok((t, start, Some(proofs)))
}

/// A deterministic validator public key for tests: `tag` and `i` make it unique.
pub fn pubkey(tag: u8, i: u64) -> [u8; 48] {
    let mut k = [0u8; 48];
    k[0] = 0xb0;
    k[1] = tag;
    k[40..].copy_from_slice(&i.to_be_bytes());
    k
}

/// Gas (receipt `gasUsed`, Nitro pricing on the devnode) of the proof operations of one pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodGas {
    /// Validators in the multi-validator calls (the `*_10` fields): 10 unless measured with
    /// [`measure_gas_batch`].
    pub batch: usize,
    /// `verifyWithdrawalCredentials`, 1 validator (first proof into the pod).
    pub verify_credentials_1: u64,
    /// `verifyWithdrawalCredentials`, 10 validators in one call.
    pub verify_credentials_10: u64,
    /// `startCheckpoint` with 12 active validators.
    pub start_checkpoint: u64,
    /// `verifyCheckpointProofs`, 1 balance proof, checkpoint stays open.
    pub checkpoint_proofs_1: u64,
    /// `verifyCheckpointProofs`, 10 balance proofs, checkpoint stays open.
    pub checkpoint_proofs_10: u64,
    /// `verifyCheckpointProofs`, the last proof: finalizes and credits the shares.
    pub checkpoint_proofs_final: u64,
}

impl PodGas {
    /// Rows for a gas table: operation and gas.
    pub fn rows(&self) -> Vec<(String, u64)> {
        vec![
            (
                "verifyWithdrawalCredentials (1 validator)".into(),
                self.verify_credentials_1,
            ),
            (
                format!("verifyWithdrawalCredentials ({} validators)", self.batch),
                self.verify_credentials_10,
            ),
            (
                "verifyWithdrawalCredentials — each extra validator".into(),
                self.verify_credentials_10
                    .saturating_sub(self.verify_credentials_1)
                    / (self.batch.max(2) as u64 - 1),
            ),
            (
                format!(
                    "EigenPod.startCheckpoint ({} active validators)",
                    self.batch + 2
                ),
                self.start_checkpoint,
            ),
            (
                "verifyCheckpointProofs (1 proof, not final)".into(),
                self.checkpoint_proofs_1,
            ),
            (
                format!("verifyCheckpointProofs ({} proofs, not final)", self.batch),
                self.checkpoint_proofs_10,
            ),
            (
                "verifyCheckpointProofs — each extra proof".into(),
                self.checkpoint_proofs_10
                    .saturating_sub(self.checkpoint_proofs_1)
                    / (self.batch.max(2) as u64 - 1),
            ),
            (
                "verifyCheckpointProofs (1 proof, finalizes)".into(),
                self.checkpoint_proofs_final,
            ),
        ]
    }
}

/// Measures [`PodGas`] on `suite` (from whatever state it is in; the pod owner is a fresh actor):
/// a pod with 12 validators on an Electra beacon state, credentials proven 1 + 10 + 1, then a
/// checkpoint proven 1 + 10 + 1 after every balance changed.
pub fn measure_gas(suite: &Suite) -> Result<PodGas> {
    measure_gas_batch(suite, 10)
}

/// [`measure_gas`] with `batch` validators (and balance proofs) in the multi-validator calls
/// instead of 10: the `*_10` fields then hold the gas of `batch`.
pub fn measure_gas_batch(suite: &Suite, batch: usize) -> Result<PodGas> {
    let owner = crate::suite::actor_address("pod gas bench owner");
    {
        let mut node = suite.node();
        node.impersonate(owner, true);
        node.set_balance(owner, U256::from(1_000u128 * STAKE_WEI));
    }
    let now = latest_timestamp(suite);
    let n = Native::of(suite)?;
    if suite.view(n.epm, IEigenPodManager::pectraForkTimestampCall {})? == 0 {
        set_pectra_fork_timestamp(suite, now)?;
    }
    let (pod, _) = create_pod(suite, owner)?;
    let mut chain = BeaconChain::new(crate::beacon::Fork::Electra, 1_606_824_023, 9_000_000);
    let wc = crate::beacon::eth1_withdrawal_credentials(pod);
    // Someone else's validators around the pod's, as on mainnet.
    let total = batch as u64 + 2;
    for i in 0..total {
        chain.add_validator(
            pubkey(0xee, i),
            crate::beacon::eth1_withdrawal_credentials(owner),
            32 * ETH_GWEI,
        );
        chain.add_validator(pubkey(0xbe, i), wc, 32 * ETH_GWEI);
    }
    let ours: Vec<u64> = (0..total).map(|i| 2 * i + 1).collect();
    let (one, many, last) = (&ours[..1], &ours[1..=batch], &ours[batch + 1..]);
    let mut gas = PodGas {
        batch,
        ..PodGas::default()
    };
    let step = |what: &str, o: Outcome| -> Result<u64> {
        if !o.status {
            bail!(
                "{what} reverted with {}",
                o.error_name().unwrap_or("unknown data")
            );
        }
        Ok(o.gas_used)
    };
    gas.verify_credentials_1 = step(
        "verifyWithdrawalCredentials (1)",
        verify_withdrawal_credentials(suite, owner, pod, &chain, one)?.1,
    )?;
    gas.verify_credentials_10 = step(
        "verifyWithdrawalCredentials (10)",
        verify_withdrawal_credentials(suite, owner, pod, &chain, many)?.1,
    )?;
    step(
        "verifyWithdrawalCredentials (last)",
        verify_withdrawal_credentials(suite, owner, pod, &chain, last)?.1,
    )?;
    chain.advance(8 * crate::beacon::SLOTS_PER_EPOCH);
    for (k, i) in ours.iter().enumerate() {
        chain.set_balance(*i, 32 * ETH_GWEI + 1_000_000 * (k as u64 + 1));
    }
    gas.start_checkpoint = step(
        "startCheckpoint",
        start_checkpoint(suite, owner, pod, &chain, false)?.1,
    )?;
    gas.checkpoint_proofs_1 = step(
        "verifyCheckpointProofs (1)",
        verify_checkpoint_proofs(suite, owner, pod, &chain, one)?,
    )?;
    gas.checkpoint_proofs_10 = step(
        "verifyCheckpointProofs (10)",
        verify_checkpoint_proofs(suite, owner, pod, &chain, many)?,
    )?;
    gas.checkpoint_proofs_final = step(
        "verifyCheckpointProofs (final)",
        verify_checkpoint_proofs(suite, owner, pod, &chain, last)?,
    )?;
    Ok(gas)
}

/// Deploys the suite from `artifacts` on a fresh devnode and measures [`PodGas`], with every
/// program of the manifest cached through ArbWasmCache first when `cached` (as a CacheManager bid
/// does on Arbitrum) — for `scripts/bench`.
pub fn measure_gas_fresh(artifacts: &Path, cached: bool) -> Result<PodGas> {
    let suite = Suite::deploy(artifacts)?;
    if cached {
        suite.cache_programs()?;
    }
    measure_gas(&suite)
}
