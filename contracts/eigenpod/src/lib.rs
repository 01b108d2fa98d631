//! EigenPod: one per staker, behind the EigenPodManager's beacon proxy (EigenLayer v1.12's
//! `IEigenPod`). Validators whose withdrawal credentials point here are restaked by proving their
//! `Validator` container against a beacon block root; checkpoints then account, with one balance
//! proof per active validator, for rewards, exits and penalties plus the ETH that reached the pod.
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `initialize(owner)` | the EigenPodManager (at creation) | once; the caller becomes the manager |
//! | `stake` | manager | exactly 32 ETH → deposit contract with this pod's `0x01` credentials |
//! | `verifyWithdrawalCredentials` | owner or proof submitter | not paused (2); timestamp after the current and the last checkpoint; state root under the oracle's block root; each validator INACTIVE here, activated, not exiting, credentials `0x01/0x02‖0^11‖pod`, fields proven → ACTIVE with its effective balance; manager credits shares |
//! | `startCheckpoint` | owner or proof submitter | not paused (6); no checkpoint active; not twice in a block; snapshot of the pod's unaccounted ETH, the oracle's newest root at or before `block.timestamp` (within its freshness bound), one proof per active validator |
//! | `verifyCheckpointProofs` | anyone | not paused (7); balances container under the checkpoint's root; each balance proven (validators not ACTIVE or already checkpointed are skipped, never reverted: anti-griefing); zero balance → WITHDRAWN; last proof finalizes |
//! | `verifyStaleBalance` | anyone | not paused (6, 8); an ACTIVE validator proven slashed after its last checkpoint → starts a checkpoint |
//! | `withdrawRestakedBeaconChainETH` | manager | whole gwei out of the checkpointed ETH |
//! | `recoverTokens`, `setProofSubmitter` | owner | not paused (5) for `recoverTokens` |
//! | `requestConsolidation`, `requestWithdrawal` | owner or proof submitter | EIP-7251 / EIP-7002 predeploys, fee per request, refund of the excess |
//!
//! Finalizing a checkpoint reports `(prev, δ)` to the manager in wei: `prev` = checkpointed ETH
//! in the pod + the previous balances of the validators proven, `δ` = new pod ETH + Σ balance
//! changes. A negative `δ` lowers the owner's beacon-chain slashing factor by `(prev − |δ|)/prev`.
//!
//! ## Proof shapes
//!
//! The pod takes proofs of exactly the shape of EigenLayer's mainnet proofs (`BeaconChainProofs`):
//! SHA-256 (computed in the program), 32-byte nodes concatenated into `bytes`, leaf-to-root order,
//! the bits of the generalized index below the proven root picking the side at each level (bit 0
//! set: the node is a right child). `h` is the `BeaconState` field-tree height: 5 for Deneb's 28
//! fields, 6 for Electra's 37. Which one applies is chosen per proof timestamp from the manager's
//! `pectraForkTimestamp`: Deneb for `timestamp ≤ fork` (EIP-4788 at the fork block returns its
//! parent's root, still Deneb), Electra after; unset (zero) refuses every proof
//! (`ForkTimestampZero`).
//!
//! | proof (argument) | leaf | proven under | index below that root | nodes |
//! |---|---|---|---|---|
//! | `stateRootProof` | `BeaconState` root | block root (`BeaconBlockHeader`: 5 fields, height 3) | `3` (`state_root`) | 3 |
//! | `validatorFieldsProofs[i]` | root of the 8 `validatorFields` (height 3) | state root | `(11 << 41) \| validatorIndex`: field 11 `validators`, its length mix-in, a 2^40 list | 40 + 1 + h (46 / 47) |
//! | `balanceContainerProof` | `balances` list root (length mixed in) | block root | `(3 << h) \| 12`: header field 3, state field 12 | 3 + h (8 / 9) |
//! | `proofs[i]` (`BalanceProof`) | 32-byte chunk of 4 little-endian `u64` balances | balance container | `validatorIndex / 4` (the length mix-in above a 2^38-chunk tree) | 38 + 1 = 39 |
//!
//! `validatorFields` are the SSZ roots of `pubkey` (`sha256(pubkey ‖ 0^16)`, the key validators
//! are stored under), `withdrawal_credentials`, `effective_balance`, `slashed`,
//! `activation_eligibility_epoch`, `activation_epoch`, `exit_epoch`, `withdrawable_epoch` (integers
//! little-endian in the first bytes of their word). A validator's balance is lane
//! `validatorIndex % 4` of its chunk. Credentials credit the effective balance (field 2);
//! checkpoints the actual balance from the `balances` list. A proof of the wrong length reverts
//! `InvalidProofLength`, a wrong node or leaf `InvalidProof`, in both cases before any state
//! changes. The harness's `ferrostake_harness::beacon` builds these proofs from a real SSZ state
//! and its `tests/eigenpod_devnode.rs` runs them against this program on the devnode in both
//! layouts.
//!
//! **Arbitrum.** Block roots come from the beacon-root oracle the manager names. Proofs that name
//! their beacon timestamp (credentials, stale balances) read the root at exactly that timestamp
//! (EIP-4788's read interface); a checkpoint reads the oracle's newest root at or before its
//! `block.timestamp`, refused when older than the oracle's freshness bound, so roots relayed from
//! L1 at their own timestamps serve it. The checkpoint keeps `block.timestamp` as its timestamp
//! (as on Ethereum). The EIP-7002/7251 predeploys do not exist on
//! Arbitrum, so there the fee queries fail with `FeeQueryFailed`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
// The extension build compiles only its half; the logic's helpers are unused there.
#![cfg_attr(feature = "ext", allow(dead_code, unused_imports))]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{
    address,
    aliases::{I64, U24, U40, U64, U8},
    Address, B256, I256, U256,
};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use ferrostake_common::{
    access::Initializable,
    beacon::{self, ProofVersion},
    call::{call, call_with_value, safe_transfer, static_call_raw, transfer_eth},
    sha256, Revert,
};
use ferrostake_interfaces::{
    IBeaconRootOracle, IETHPOSDeposit, IEigenPod, IEigenPodManager, IPausable,
};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageI64, StorageMap, StorageU256, StorageU64, StorageU8,
        StorageUint,
    },
};

/// Wei per gwei.
pub const GWEI_TO_WEI: u64 = 1_000_000_000;
/// EIP-4788's ring buffer: roots older than 8191 slots are gone on Ethereum; the pod keeps the
/// same proof window.
pub const BEACON_ROOTS_HISTORY_BUFFER_LENGTH: u64 = 8191;
/// Seconds per beacon slot.
pub const SECONDS_PER_SLOT: u64 = 12;
/// The epoch meaning "never".
pub const FAR_FUTURE_EPOCH: u64 = u64::MAX;
/// EIP-7002 withdrawal request predeploy.
pub const WITHDRAWAL_REQUEST_ADDRESS: Address =
    address!("00000961Ef480Eb55e80D19ad83579A64c007002");
/// EIP-7251 consolidation request predeploy.
pub const CONSOLIDATION_REQUEST_ADDRESS: Address =
    address!("0000BBdDc7CE488642fb579F8B00f3a590007251");

/// Pause bits read from the EigenPodManager (EigenLayer's `EigenPodPausingConstants`).
pub mod pause {
    pub const EIGENPODS_VERIFY_CREDENTIALS: u8 = 2;
    pub const NON_PROOF_WITHDRAWALS: u8 = 5;
    pub const START_CHECKPOINT: u8 = 6;
    pub const EIGENPODS_VERIFY_CHECKPOINT_PROOFS: u8 = 7;
    pub const VERIFY_STALE_BALANCE: u8 = 8;
    pub const CONSOLIDATIONS: u8 = 9;
    pub const WITHDRAWAL_REQUESTS: u8 = 10;
}

/// `VALIDATOR_STATUS`.
pub mod status {
    pub const INACTIVE: u8 = 0;
    pub const ACTIVE: u8 = 1;
    pub const WITHDRAWN: u8 = 2;
}

/// `ValidatorInfo` (one slot: 8 + 8 + 8 + 1 bytes).
#[storage]
pub struct ValidatorInfoSlot {
    validator_index: StorageU64,
    restaked_balance_gwei: StorageU64,
    last_checkpointed_at: StorageU64,
    status: StorageU8,
}

/// `Checkpoint` (root + one packed slot).
#[storage]
pub struct CheckpointSlot {
    beacon_block_root: StorageB256,
    proofs_remaining: StorageUint<24, 1>,
    pod_balance_gwei: StorageU64,
    balance_deltas_gwei: StorageI64,
    prev_beacon_balance_gwei: StorageU64,
}

/// A validator's info in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidatorInfo {
    pub validator_index: u64,
    pub restaked_balance_gwei: u64,
    pub last_checkpointed_at: u64,
    pub status: u8,
}

/// A checkpoint in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checkpoint {
    pub beacon_block_root: B256,
    pub proofs_remaining: u32,
    pub pod_balance_gwei: u64,
    pub balance_deltas_gwei: i64,
    pub prev_beacon_balance_gwei: u64,
}

/// ABI shapes: `ValidatorInfo` and `Checkpoint` as static tuples.
pub type ValidatorInfoAbi = (u64, u64, u64, u8);
pub type CheckpointAbi = (B256, U24, u64, i64, u64);

#[storage]
pub struct EigenPod {
    init: Initializable,
    eigen_pod_manager: StorageAddress,
    pod_owner: StorageAddress,
    proof_submitter: StorageAddress,
    restaked_execution_layer_gwei: StorageU64,
    last_checkpoint_timestamp: StorageU64,
    current_checkpoint_timestamp: StorageU64,
    active_validator_count: StorageU256,
    validators: StorageMap<B256, ValidatorInfoSlot>,
    checkpoint_balance_exited_gwei: StorageMap<u64, StorageU64>,
    current_checkpoint: CheckpointSlot,
}

ferrostake_common::entrypoint!(EigenPod);

/// `sha256(pubkey ‖ 0^16)`, the beacon chain's `hash_tree_root` of a 48-byte pubkey.
pub fn pubkey_hash(pubkey: &[u8]) -> Result<B256, Revert> {
    if pubkey.len() != 48 {
        return Err(err(IEigenPod::InvalidPubKeyLength::SELECTOR));
    }
    let (mut left, mut right) = ([0u8; 32], [0u8; 32]);
    left.copy_from_slice(&pubkey[..32]);
    right[..16].copy_from_slice(&pubkey[32..]);
    Ok(B256::from(sha256::hash_pair(&left, &right)))
}

/// A 32-byte ABI word of a `u64`.
fn word_u64(x: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&x.to_be_bytes());
    w
}

/// Emits an event with `topics` (topic 0 the event's signature hash) and static `words` as data.
/// Written out by hand instead of alloy's `SolEvent` encoding: one routine for every event keeps
/// the program under the size limit.
fn emit(topics: &[B256], words: &[[u8; 32]]) {
    // Word by word: a byte iterator is not inlined at `opt-level = "z"` (a call per byte).
    let mut data = Vec::with_capacity(32 * words.len());
    for w in words {
        data.extend_from_slice(w);
    }
    #[allow(deprecated)]
    stylus_sdk::evm::raw_log(topics, &data).ok();
}

/// Static call of a manager view with at most one word argument; returns the first return word.
fn read_word(to: Address, selector: [u8; 4], arg: Option<[u8; 32]>) -> Result<B256, Revert> {
    let mut data = selector.to_vec();
    if let Some(a) = arg {
        data.extend_from_slice(&a);
    }
    let out = static_call_raw(to, &data)?;
    if out.len() < 32 {
        return Err(
            ferrostake_interfaces::IFerrostakeErrors::InvalidReturnData { target: to }.into(),
        );
    }
    Ok(B256::from_slice(&out[..32]))
}

fn word_to_u64(w: B256) -> u64 {
    u64::from_be_bytes(w[24..].try_into().unwrap_or_default())
}

fn word_to_address(w: B256) -> Address {
    Address::from_slice(&w[12..])
}

fn gwei_u64(x: u64) -> U256 {
    U256::from(x as u128 * GWEI_TO_WEI as u128)
}

/// Revert data of an argument-less custom error (its selector): one routine for all of them
/// instead of one `SolError` encoder per error type.
fn err(selector: [u8; 4]) -> Revert {
    Revert(selector.to_vec())
}

fn overflow() -> Revert {
    err(ferrostake_interfaces::IFerrostakeErrors::MathOverflow::SELECTOR)
}

impl EigenPod {
    // --- access and the manager's configuration ---

    fn manager(&self) -> Address {
        self.eigen_pod_manager.get()
    }

    fn only_manager(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.manager() {
            return Err(err(IEigenPod::OnlyEigenPodManager::SELECTOR));
        }
        Ok(())
    }

    fn only_owner(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.pod_owner.get() {
            return Err(err(IEigenPod::OnlyEigenPodOwner::SELECTOR));
        }
        Ok(())
    }

    fn only_owner_or_proof_submitter(&self) -> Result<(), Revert> {
        let sender = self.vm().msg_sender();
        if sender != self.pod_owner.get() && sender != self.proof_submitter.get() {
            return Err(err(IEigenPod::OnlyEigenPodOwnerOrProofSubmitter::SELECTOR));
        }
        Ok(())
    }

    fn require_not_paused(&self, index: u8) -> Result<(), Revert> {
        let paused = read_word(
            self.manager(),
            IPausable::paused_1Call::SELECTOR,
            Some(word_u64(index as u64)),
        )?;
        if !paused.is_zero() {
            return Err(err(IEigenPod::CurrentlyPaused::SELECTOR));
        }
        Ok(())
    }

    /// Deneb before the manager's Pectra fork timestamp, Pectra after it. A root at the fork
    /// timestamp is its parent block's, still Deneb.
    fn proof_version(&self, timestamp: u64) -> Result<ProofVersion, Revert> {
        let fork = word_to_u64(read_word(
            self.manager(),
            IEigenPodManager::pectraForkTimestampCall::SELECTOR,
            None,
        )?);
        Self::version_at(fork, timestamp)
    }

    /// One manager call for a proof entry point: reverts `CurrentlyPaused` when pause bit `index`
    /// is set, else returns the Pectra fork timestamp for [`Self::version_at`] (same reads as
    /// `require_not_paused` and `proof_version`, one program entry instead of two).
    fn proof_context(&self, index: u8) -> Result<u64, Revert> {
        let mut data = IEigenPodManager::proofContextCall::SELECTOR.to_vec();
        data.extend_from_slice(&word_u64(index as u64));
        let to = self.manager();
        let out = static_call_raw(to, &data)?;
        if out.len() < 64 {
            return Err(
                ferrostake_interfaces::IFerrostakeErrors::InvalidReturnData { target: to }.into(),
            );
        }
        if out[..32].iter().any(|b| *b != 0) {
            return Err(err(IEigenPod::CurrentlyPaused::SELECTOR));
        }
        Ok(word_to_u64(B256::from_slice(&out[32..64])))
    }

    /// [`Self::proof_version`] for a fork timestamp already read.
    fn version_at(fork: u64, timestamp: u64) -> Result<ProofVersion, Revert> {
        if fork == 0 {
            return Err(err(IEigenPod::ForkTimestampZero::SELECTOR));
        }
        Ok(if timestamp > fork {
            ProofVersion::Pectra
        } else {
            ProofVersion::Deneb
        })
    }

    /// The beacon-root oracle the manager names.
    fn oracle(&self) -> Result<Address, Revert> {
        Ok(word_to_address(read_word(
            self.manager(),
            IEigenPodManager::beaconRootOracleCall::SELECTOR,
            None,
        )?))
    }

    /// The parent beacon block root at `timestamp`, from the manager's oracle (EIP-4788 read).
    fn parent_block_root(&self, timestamp: u64) -> Result<B256, Revert> {
        let now = self.vm().block_timestamp();
        if timestamp > now
            || now - timestamp >= BEACON_ROOTS_HISTORY_BUFFER_LENGTH * SECONDS_PER_SLOT
        {
            return Err(err(IEigenPod::TimestampOutOfRange::SELECTOR));
        }
        let out = static_call_raw(self.oracle()?, &word_u64(timestamp))
            .map_err(|_| err(IEigenPod::InvalidEIP4788Response::SELECTOR))?;
        if out.len() != 32 {
            return Err(err(IEigenPod::InvalidEIP4788Response::SELECTOR));
        }
        let root = B256::from_slice(&out);
        if root.is_zero() {
            return Err(err(IEigenPod::EmptyRoot::SELECTOR));
        }
        Ok(root)
    }

    /// The block root a checkpoint started at `now` reads: the oracle's newest live root at or
    /// before `now`, within its freshness bound (`latestRootAtOrBefore`; its `NoFreshRoot` is
    /// passed on). Roots relayed from L1 rarely land on an L2 block's exact timestamp; the
    /// security argument is in audits/THREAT_MODEL.md §4.4.
    fn checkpoint_block_root(&self, now: u64) -> Result<B256, Revert> {
        let mut data = IBeaconRootOracle::latestRootAtOrBeforeCall::SELECTOR.to_vec();
        data.extend_from_slice(&word_u64(now));
        let out = static_call_raw(self.oracle()?, &data)?;
        if out.len() != 64 || word_to_u64(B256::from_slice(&out[..32])) > now {
            return Err(err(IEigenPod::InvalidEIP4788Response::SELECTOR));
        }
        let root = B256::from_slice(&out[32..]);
        if root.is_zero() {
            return Err(err(IEigenPod::EmptyRoot::SELECTOR));
        }
        Ok(root)
    }

    fn record_balance_update(&mut self, prev_wei: U256, delta_wei: I256) -> Result<(), Revert> {
        call(
            self.manager(),
            &IEigenPodManager::recordBeaconChainETHBalanceUpdateCall {
                podOwner: self.pod_owner.get(),
                prevRestakedBalanceWei: prev_wei,
                balanceDeltaWei: delta_wei,
            },
        )?;
        Ok(())
    }

    // --- storage <-> memory ---

    fn validator(&self, pubkey_hash: B256) -> ValidatorInfo {
        let s = self.validators.getter(pubkey_hash);
        ValidatorInfo {
            validator_index: s.validator_index.get().to(),
            restaked_balance_gwei: s.restaked_balance_gwei.get().to(),
            last_checkpointed_at: s.last_checkpointed_at.get().to(),
            status: s.status.get().to(),
        }
    }

    fn set_validator(&mut self, pubkey_hash: B256, info: &ValidatorInfo) {
        let mut s = self.validators.setter(pubkey_hash);
        s.validator_index.set(U64::from(info.validator_index));
        s.restaked_balance_gwei
            .set(U64::from(info.restaked_balance_gwei));
        s.last_checkpointed_at
            .set(U64::from(info.last_checkpointed_at));
        s.status.set(U8::from(info.status));
    }

    fn checkpoint(&self) -> Checkpoint {
        let c = &self.current_checkpoint;
        Checkpoint {
            beacon_block_root: c.beacon_block_root.get(),
            proofs_remaining: c.proofs_remaining.get().to(),
            pod_balance_gwei: c.pod_balance_gwei.get().to(),
            balance_deltas_gwei: c.balance_deltas_gwei.get().as_i64(),
            prev_beacon_balance_gwei: c.prev_beacon_balance_gwei.get().to(),
        }
    }

    fn store_checkpoint(&mut self, cp: &Checkpoint) {
        let c = &mut self.current_checkpoint;
        c.beacon_block_root.set(cp.beacon_block_root);
        c.proofs_remaining.set(U24::from(cp.proofs_remaining));
        c.pod_balance_gwei.set(U64::from(cp.pod_balance_gwei));
        c.balance_deltas_gwei
            .set(I64::try_from(cp.balance_deltas_gwei).unwrap_or_default());
        c.prev_beacon_balance_gwei
            .set(U64::from(cp.prev_beacon_balance_gwei));
    }

    fn u64_of(s: &StorageU64) -> u64 {
        s.get().to()
    }

    // --- proofs ---

    /// This pod's withdrawal credentials with `prefix` (0x01 or 0x02).
    fn credentials(&self, prefix: u8) -> B256 {
        let mut wc = [0u8; 32];
        wc[0] = prefix;
        wc[12..].copy_from_slice(self.vm().contract_address().as_slice());
        B256::from(wc)
    }

    /// Checks and restakes one validator; returns its effective balance in gwei.
    fn verify_credentials_one(
        &mut self,
        version: ProofVersion,
        state_root: B256,
        validator_index: u64,
        proof: &[u8],
        fields: &[B256],
    ) -> Result<u64, Revert> {
        if fields.len() != beacon::VALIDATOR_FIELDS_LENGTH {
            return Err(err(IEigenPod::InvalidValidatorFieldsLength::SELECTOR));
        }
        let hash = beacon::pubkey_hash(fields);
        if self.validator(hash).status != status::INACTIVE {
            return Err(err(IEigenPod::CredentialsAlreadyVerified::SELECTOR));
        }
        // A validator still waiting in the deposit queue has no activation epoch yet.
        if beacon::activation_epoch(fields) == FAR_FUTURE_EPOCH {
            return Err(err(IEigenPod::ValidatorInactiveOnBeaconChain::SELECTOR));
        }
        if beacon::exit_epoch(fields) != FAR_FUTURE_EPOCH {
            return Err(err(IEigenPod::ValidatorIsExitingBeaconChain::SELECTOR));
        }
        let wc = beacon::withdrawal_credentials(fields);
        if wc != self.credentials(0x01) && wc != self.credentials(0x02) {
            return Err(err(
                IEigenPod::WithdrawalCredentialsNotForEigenPod::SELECTOR,
            ));
        }
        beacon::verify_validator_fields(version, state_root, fields, proof, validator_index)?;
        let balance = beacon::effective_balance_gwei(fields);
        // A validator verified while a checkpoint is active is not part of it.
        let current = Self::u64_of(&self.current_checkpoint_timestamp);
        let last_checkpointed_at = if current != 0 {
            current
        } else {
            Self::u64_of(&self.last_checkpoint_timestamp)
        };
        self.active_validator_count
            .set(self.active_validator_count.get() + U256::from(1u8));
        self.set_validator(
            hash,
            &ValidatorInfo {
                validator_index,
                restaked_balance_gwei: balance,
                last_checkpointed_at,
                status: status::ACTIVE,
            },
        );
        emit(&[IEigenPod::ValidatorRestaked::SIGNATURE_HASH], &[hash.0]);
        emit(
            &[IEigenPod::ValidatorBalanceUpdated::SIGNATURE_HASH],
            &[hash.0, word_u64(last_checkpointed_at), word_u64(balance)],
        );
        Ok(balance)
    }

    fn start_checkpoint_inner(&mut self, revert_if_no_balance: bool) -> Result<(), Revert> {
        if Self::u64_of(&self.current_checkpoint_timestamp) != 0 {
            return Err(err(IEigenPod::CheckpointAlreadyActive::SELECTOR));
        }
        let now = self.vm().block_timestamp();
        if Self::u64_of(&self.last_checkpoint_timestamp) == now {
            return Err(err(IEigenPod::CannotCheckpointTwiceInSingleBlock::SELECTOR));
        }
        let balance_wei: u128 = self
            .vm()
            .balance(self.vm().contract_address())
            .try_into()
            .map_err(|_| overflow())?;
        let balance_gwei =
            u64::try_from(balance_wei / GWEI_TO_WEI as u128).map_err(|_| overflow())?;
        // Checkpointed ETH never leaves except through `withdrawRestakedBeaconChainETH`, which
        // lowers both sides; saturate anyway so an unexpected balance cannot brick the pod.
        let pod_balance_gwei =
            balance_gwei.saturating_sub(Self::u64_of(&self.restaked_execution_layer_gwei));
        if revert_if_no_balance && pod_balance_gwei == 0 {
            return Err(err(IEigenPod::NoBalanceToCheckpoint::SELECTOR));
        }
        let root = self.checkpoint_block_root(now)?;
        let active = self.active_validator_count.get();
        let cp = Checkpoint {
            beacon_block_root: root,
            // Validators are added one proof at a time; 2^24 per pod is far beyond reach.
            proofs_remaining: u32::try_from(active)
                .ok()
                .filter(|n| *n < 1 << 24)
                .ok_or_else(overflow)?,
            pod_balance_gwei,
            balance_deltas_gwei: 0,
            prev_beacon_balance_gwei: 0,
        };
        self.current_checkpoint_timestamp.set(U64::from(now));
        emit(
            &[
                IEigenPod::CheckpointCreated::SIGNATURE_HASH,
                B256::from(word_u64(now)),
                root,
            ],
            &[active.to_be_bytes::<32>()],
        );
        self.update_checkpoint(cp)
    }

    /// Stores `cp`, or finalizes it when no proofs remain.
    fn update_checkpoint(&mut self, cp: Checkpoint) -> Result<(), Revert> {
        self.store_checkpoint(&cp);
        if cp.proofs_remaining != 0 {
            return Ok(());
        }
        let restaked = Self::u64_of(&self.restaked_execution_layer_gwei);
        let prev_gwei = restaked as u128 + cp.prev_beacon_balance_gwei as u128;
        let delta_gwei = cp.pod_balance_gwei as i128 + cp.balance_deltas_gwei as i128;
        let new_restaked = restaked
            .checked_add(cp.pod_balance_gwei)
            .ok_or_else(overflow)?;
        self.restaked_execution_layer_gwei
            .set(U64::from(new_restaked));
        let ts = Self::u64_of(&self.current_checkpoint_timestamp);
        self.last_checkpoint_timestamp.set(U64::from(ts));
        self.current_checkpoint_timestamp.set(U64::ZERO);
        // |delta| < 2^66 gwei and prev < 2^65 gwei, so × 1e9 fits 128 bits with room to spare.
        let delta_wei = I256::try_from(delta_gwei * GWEI_TO_WEI as i128).map_err(|_| overflow())?;
        let prev_wei = U256::from(prev_gwei * GWEI_TO_WEI as u128);
        emit(
            &[
                IEigenPod::CheckpointFinalized::SIGNATURE_HASH,
                B256::from(word_u64(ts)),
            ],
            &[delta_wei.into_raw().to_be_bytes::<32>()],
        );
        self.record_balance_update(prev_wei, delta_wei)
    }
}

/// The logic program: creation, staking, withdrawals and the proof hot path.
#[cfg(not(feature = "ext"))]
#[public]
impl EigenPod {
    /// Called by the EigenPodManager right after deploying the pod; the caller becomes the manager.
    pub fn initialize(&mut self, owner: Address) -> Result<(), Revert> {
        self.init.initialize_once()?;
        if owner.is_zero() {
            return Err(err(IEigenPod::InputAddressZero::SELECTOR));
        }
        self.eigen_pod_manager.set(self.vm().msg_sender());
        self.pod_owner.set(owner);
        Ok(())
    }

    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        emit(
            &[IEigenPod::NonBeaconChainETHReceived::SIGNATURE_HASH],
            &[self.vm().msg_value().to_be_bytes::<32>()],
        );
        Ok(())
    }

    #[payable]
    pub fn stake(
        &mut self,
        pubkey: Bytes,
        signature: Bytes,
        deposit_data_root: B256,
    ) -> Result<(), Revert> {
        self.only_manager()?;
        let value = self.vm().msg_value();
        if value != U256::from(32_000_000_000_000_000_000u128) {
            return Err(err(IEigenPod::MsgValueNot32ETH::SELECTOR));
        }
        let hash = pubkey_hash(&pubkey)?;
        let eth_pos = self.eth_pos()?;
        call_with_value(
            eth_pos,
            value,
            &IETHPOSDeposit::depositCall {
                pubkey: pubkey.0.into(),
                withdrawal_credentials: self.credentials(0x01).to_vec().into(),
                signature: signature.0.into(),
                deposit_data_root,
            },
        )?;
        emit(&[IEigenPod::EigenPodStaked::SIGNATURE_HASH], &[hash.0]);
        Ok(())
    }

    #[selector(name = "withdrawRestakedBeaconChainETH")]
    pub fn withdraw_restaked_beacon_chain_eth(
        &mut self,
        recipient: Address,
        amount_wei: U256,
    ) -> Result<(), Revert> {
        self.only_manager()?;
        let restaked = Self::u64_of(&self.restaked_execution_layer_gwei);
        // Sub-gwei dust stays in the pod (shares are whole gwei anyway).
        let amount_gwei = u128::try_from(amount_wei)
            .ok()
            .map(|w| w / GWEI_TO_WEI as u128)
            .filter(|g| *g <= restaked as u128)
            .map(|g| g as u64)
            .ok_or_else(|| err(IEigenPod::InsufficientWithdrawableBalance::SELECTOR))?;
        self.restaked_execution_layer_gwei
            .set(U64::from(restaked - amount_gwei));
        let amount = gwei_u64(amount_gwei);
        emit(
            &[
                IEigenPod::RestakedBeaconChainETHWithdrawn::SIGNATURE_HASH,
                recipient.into_word(),
            ],
            &[amount.to_be_bytes::<32>()],
        );
        transfer_eth(recipient, amount)
    }

    #[selector(name = "startCheckpoint")]
    pub fn start_checkpoint(&mut self, revert_if_no_balance: bool) -> Result<(), Revert> {
        self.only_owner_or_proof_submitter()?;
        self.require_not_paused(pause::START_CHECKPOINT)?;
        self.start_checkpoint_inner(revert_if_no_balance)
    }

    #[selector(name = "verifyWithdrawalCredentials")]
    pub fn verify_withdrawal_credentials(
        &mut self,
        beacon_timestamp: u64,
        state_root_proof: (B256, Bytes),
        validator_indices: Vec<U40>,
        validator_fields_proofs: Vec<Bytes>,
        validator_fields: Vec<Vec<B256>>,
    ) -> Result<(), Revert> {
        self.only_owner_or_proof_submitter()?;
        let fork = self.proof_context(pause::EIGENPODS_VERIFY_CREDENTIALS)?;
        let n = validator_indices.len();
        if n != validator_fields_proofs.len() || n != validator_fields.len() {
            return Err(err(IEigenPod::InputArrayLengthMismatch::SELECTOR));
        }
        // A validator proven at or before the current checkpoint's timestamp could be counted in it.
        if beacon_timestamp <= Self::u64_of(&self.current_checkpoint_timestamp) {
            return Err(err(IEigenPod::BeaconTimestampTooFarInPast::SELECTOR));
        }
        if beacon_timestamp <= Self::u64_of(&self.last_checkpoint_timestamp) {
            return Err(err(
                IEigenPod::BeaconTimestampBeforeLatestCheckpoint::SELECTOR,
            ));
        }
        let block_root = self.parent_block_root(beacon_timestamp)?;
        let (state_root, state_proof) = state_root_proof;
        beacon::verify_state_root(block_root, state_root, &state_proof)?;
        let version = Self::version_at(fork, beacon_timestamp)?;
        let mut total_gwei: u128 = 0;
        for i in 0..n {
            total_gwei += self.verify_credentials_one(
                version,
                state_root,
                validator_indices[i].to(),
                &validator_fields_proofs[i],
                &validator_fields[i],
            )? as u128;
        }
        // n < 2^32 validators of < 2^64 gwei each, × 1e9: below 2^126.
        let total_wei = U256::from(total_gwei * GWEI_TO_WEI as u128);
        self.record_balance_update(U256::ZERO, I256::from_raw(total_wei))
    }

    #[selector(name = "verifyCheckpointProofs")]
    pub fn verify_checkpoint_proofs(
        &mut self,
        balance_container_proof: (B256, Bytes),
        proofs: Vec<(B256, B256, Bytes)>,
    ) -> Result<(), Revert> {
        let fork = self.proof_context(pause::EIGENPODS_VERIFY_CHECKPOINT_PROOFS)?;
        let ts = Self::u64_of(&self.current_checkpoint_timestamp);
        if ts == 0 {
            return Err(err(IEigenPod::NoActiveCheckpoint::SELECTOR));
        }
        let mut cp = self.checkpoint();
        let (container_root, container_proof) = balance_container_proof;
        beacon::verify_balance_container(
            Self::version_at(fork, ts)?,
            cp.beacon_block_root,
            container_root,
            &container_proof,
        )?;
        let mut exited_gwei: u64 = 0;
        for (hash, balance_root, proof) in proofs {
            let mut info = self.validator(hash);
            // Skipped, not reverted: a front-run proof must not sink the whole batch.
            if info.status != status::ACTIVE || info.last_checkpointed_at >= ts {
                continue;
            }
            let new_balance = beacon::verify_validator_balance(
                container_root,
                info.validator_index,
                balance_root,
                &proof,
            )?;
            let prev_balance = info.restaked_balance_gwei;
            info.restaked_balance_gwei = new_balance;
            info.last_checkpointed_at = ts;
            if new_balance == 0 {
                self.active_validator_count
                    .set(self.active_validator_count.get() - U256::from(1u8));
                info.status = status::WITHDRAWN;
                exited_gwei = exited_gwei.saturating_add(prev_balance);
                emit(
                    &[
                        IEigenPod::ValidatorWithdrawn::SIGNATURE_HASH,
                        B256::from(word_u64(ts)),
                        hash,
                    ],
                    &[],
                );
            }
            if new_balance != prev_balance {
                emit(
                    &[IEigenPod::ValidatorBalanceUpdated::SIGNATURE_HASH],
                    &[hash.0, word_u64(ts), word_u64(new_balance)],
                );
            }
            emit(
                &[
                    IEigenPod::ValidatorCheckpointed::SIGNATURE_HASH,
                    B256::from(word_u64(ts)),
                    hash,
                ],
                &[],
            );
            self.set_validator(hash, &info);
            // proofs_remaining counts ACTIVE validators not yet proven, this one among them.
            cp.proofs_remaining -= 1;
            cp.prev_beacon_balance_gwei = cp
                .prev_beacon_balance_gwei
                .checked_add(prev_balance)
                .ok_or_else(overflow)?;
            cp.balance_deltas_gwei = cp
                .balance_deltas_gwei
                .checked_add(new_balance as i64 - prev_balance as i64)
                .ok_or_else(overflow)?;
        }
        if exited_gwei != 0 {
            let mut slot = self.checkpoint_balance_exited_gwei.setter(ts);
            let sum = slot.get().to::<u64>().saturating_add(exited_gwei);
            slot.set(U64::from(sum));
        }
        self.update_checkpoint(cp)
    }

    /// Everything else (views, stale-balance proofs, Pectra requests, token recovery) is the
    /// extension program's, run in this pod's storage.
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, calldata: &[u8]) -> stylus_sdk::ArbResult {
        let extension = read_word(
            self.manager(),
            IEigenPodManager::eigenPodExtensionCall::SELECTOR,
            None,
        )
        .map_err(Vec::from)?;
        ferrostake_common::call::delegate(word_to_address(extension), calldata)
    }
}

/// The extension's functions, callable natively and served by the extension program.
impl EigenPod {
    pub fn verify_stale_balance(
        &mut self,
        beacon_timestamp: u64,
        state_root_proof: (B256, Bytes),
        proof: (Vec<B256>, Bytes),
    ) -> Result<(), Revert> {
        self.require_not_paused(pause::START_CHECKPOINT)?;
        self.require_not_paused(pause::VERIFY_STALE_BALANCE)?;
        let (fields, fields_proof) = proof;
        if fields.len() != beacon::VALIDATOR_FIELDS_LENGTH {
            return Err(err(IEigenPod::InvalidValidatorFieldsLength::SELECTOR));
        }
        let info = self.validator(beacon::pubkey_hash(&fields));
        if beacon_timestamp <= info.last_checkpointed_at {
            return Err(err(IEigenPod::BeaconTimestampTooFarInPast::SELECTOR));
        }
        if info.status != status::ACTIVE {
            return Err(err(IEigenPod::ValidatorNotActiveInPod::SELECTOR));
        }
        if !beacon::is_slashed(&fields) {
            return Err(err(IEigenPod::ValidatorNotSlashedOnBeaconChain::SELECTOR));
        }
        let block_root = self.parent_block_root(beacon_timestamp)?;
        let (state_root, state_proof) = state_root_proof;
        beacon::verify_state_root(block_root, state_root, &state_proof)?;
        beacon::verify_validator_fields(
            self.proof_version(beacon_timestamp)?,
            state_root,
            &fields,
            &fields_proof,
            info.validator_index,
        )?;
        self.start_checkpoint_inner(false)
    }

    pub fn request_consolidation(&mut self, requests: Vec<(Bytes, Bytes)>) -> Result<(), Revert> {
        self.only_owner_or_proof_submitter()?;
        self.require_not_paused(pause::CONSOLIDATIONS)?;
        let fee = Self::predeploy_fee(CONSOLIDATION_REQUEST_ADDRESS)?;
        let refund = self.fees_and_refund(fee, requests.len())?;
        for (source, target) in requests {
            let source_hash = pubkey_hash(&source)?;
            let target_hash = pubkey_hash(&target)?;
            // Only into a validator already restaked here, so the stake stays provable.
            if self.validator(target_hash).status != status::ACTIVE {
                return Err(err(IEigenPod::ValidatorNotActiveInPod::SELECTOR));
            }
            Self::call_predeploy(
                CONSOLIDATION_REQUEST_ADDRESS,
                fee,
                &[source.as_slice(), target.as_slice()].concat(),
            )?;
            if source_hash == target_hash {
                emit(
                    &[
                        IEigenPod::SwitchToCompoundingRequested::SIGNATURE_HASH,
                        source_hash,
                    ],
                    &[],
                );
            } else {
                emit(
                    &[
                        IEigenPod::ConsolidationRequested::SIGNATURE_HASH,
                        source_hash,
                        target_hash,
                    ],
                    &[],
                );
            }
        }
        self.send_refund(refund)
    }

    pub fn request_withdrawal(&mut self, requests: Vec<(Bytes, u64)>) -> Result<(), Revert> {
        self.only_owner_or_proof_submitter()?;
        self.require_not_paused(pause::WITHDRAWAL_REQUESTS)?;
        let fee = Self::predeploy_fee(WITHDRAWAL_REQUEST_ADDRESS)?;
        let refund = self.fees_and_refund(fee, requests.len())?;
        for (pubkey, amount_gwei) in requests {
            let hash = pubkey_hash(&pubkey)?;
            Self::call_predeploy(
                WITHDRAWAL_REQUEST_ADDRESS,
                fee,
                &[pubkey.as_slice(), &amount_gwei.to_be_bytes()].concat(),
            )?;
            if amount_gwei == 0 {
                emit(&[IEigenPod::ExitRequested::SIGNATURE_HASH, hash], &[]);
            } else {
                emit(
                    &[IEigenPod::WithdrawalRequested::SIGNATURE_HASH, hash],
                    &[word_u64(amount_gwei)],
                );
            }
        }
        self.send_refund(refund)
    }

    pub fn recover_tokens(
        &mut self,
        token_list: Vec<Address>,
        amounts_to_withdraw: Vec<U256>,
        recipient: Address,
    ) -> Result<(), Revert> {
        self.only_owner()?;
        self.require_not_paused(pause::NON_PROOF_WITHDRAWALS)?;
        if token_list.len() != amounts_to_withdraw.len() {
            return Err(err(IEigenPod::InputArrayLengthMismatch::SELECTOR));
        }
        for (token, amount) in token_list.into_iter().zip(amounts_to_withdraw) {
            safe_transfer(token, recipient, amount)?;
        }
        Ok(())
    }

    pub fn set_proof_submitter(&mut self, new_proof_submitter: Address) -> Result<(), Revert> {
        self.only_owner()?;
        let prev = self.proof_submitter.get();
        self.proof_submitter.set(new_proof_submitter);
        emit(
            &[IEigenPod::ProofSubmitterUpdated::SIGNATURE_HASH],
            &[prev.into_word().0, new_proof_submitter.into_word().0],
        );
        Ok(())
    }

    // --- views ---

    pub fn proof_submitter(&self) -> Address {
        self.proof_submitter.get()
    }

    pub fn withdrawable_restaked_execution_layer_gwei(&self) -> u64 {
        Self::u64_of(&self.restaked_execution_layer_gwei)
    }

    pub fn eigen_pod_manager(&self) -> Address {
        self.manager()
    }

    pub fn eth_pos(&self) -> Result<Address, Revert> {
        Ok(word_to_address(read_word(
            self.manager(),
            IEigenPodManager::ethPOSCall::SELECTOR,
            None,
        )?))
    }

    pub fn pod_owner(&self) -> Address {
        self.pod_owner.get()
    }

    pub fn validator_pubkey_hash_to_info(&self, validator_pubkey_hash: B256) -> ValidatorInfoAbi {
        let v = self.validator(validator_pubkey_hash);
        (
            v.validator_index,
            v.restaked_balance_gwei,
            v.last_checkpointed_at,
            v.status,
        )
    }

    pub fn validator_pubkey_to_info(
        &self,
        validator_pubkey: Bytes,
    ) -> Result<ValidatorInfoAbi, Revert> {
        Ok(self.validator_pubkey_hash_to_info(pubkey_hash(&validator_pubkey)?))
    }

    pub fn validator_status_by_hash(&self, pubkey_hash: B256) -> u8 {
        self.validator(pubkey_hash).status
    }

    pub fn validator_status_by_pubkey(&self, validator_pubkey: Bytes) -> Result<u8, Revert> {
        Ok(self.validator(pubkey_hash(&validator_pubkey)?).status)
    }

    pub fn active_validator_count(&self) -> U256 {
        self.active_validator_count.get()
    }

    pub fn last_checkpoint_timestamp(&self) -> u64 {
        Self::u64_of(&self.last_checkpoint_timestamp)
    }

    pub fn current_checkpoint_timestamp(&self) -> u64 {
        Self::u64_of(&self.current_checkpoint_timestamp)
    }

    /// The checkpoint in progress, or the last one finalized (kept in storage, as v1.6+).
    pub fn current_checkpoint(&self) -> CheckpointAbi {
        let c = self.checkpoint();
        (
            c.beacon_block_root,
            U24::from(c.proofs_remaining),
            c.pod_balance_gwei,
            c.balance_deltas_gwei,
            c.prev_beacon_balance_gwei,
        )
    }

    pub fn checkpoint_balance_exited_gwei(&self, timestamp: u64) -> u64 {
        self.checkpoint_balance_exited_gwei.get(timestamp).to()
    }

    pub fn get_parent_block_root(&self, timestamp: u64) -> Result<B256, Revert> {
        self.parent_block_root(timestamp)
    }

    pub fn get_consolidation_request_fee(&self) -> Result<U256, Revert> {
        Self::predeploy_fee(CONSOLIDATION_REQUEST_ADDRESS)
    }

    pub fn get_withdrawal_request_fee(&self) -> Result<U256, Revert> {
        Self::predeploy_fee(WITHDRAWAL_REQUEST_ADDRESS)
    }
}

/// The extension program (built with `--features ext`): the pod functions that are not on the
/// proof hot path, in the same storage layout. Reached through the logic program's fallback.
#[cfg(feature = "ext")]
#[public]
impl EigenPod {
    #[selector(name = "verifyStaleBalance")]
    pub fn verify_stale_balance_abi(
        &mut self,
        beacon_timestamp: u64,
        state_root_proof: (B256, Bytes),
        proof: (Vec<B256>, Bytes),
    ) -> Result<(), Revert> {
        self.verify_stale_balance(beacon_timestamp, state_root_proof, proof)
    }

    #[selector(name = "requestConsolidation")]
    #[payable]
    pub fn request_consolidation_abi(
        &mut self,
        requests: Vec<(Bytes, Bytes)>,
    ) -> Result<(), Revert> {
        self.request_consolidation(requests)
    }

    #[selector(name = "requestWithdrawal")]
    #[payable]
    pub fn request_withdrawal_abi(&mut self, requests: Vec<(Bytes, u64)>) -> Result<(), Revert> {
        self.request_withdrawal(requests)
    }

    #[selector(name = "recoverTokens")]
    pub fn recover_tokens_abi(
        &mut self,
        token_list: Vec<Address>,
        amounts_to_withdraw: Vec<U256>,
        recipient: Address,
    ) -> Result<(), Revert> {
        self.recover_tokens(token_list, amounts_to_withdraw, recipient)
    }

    #[selector(name = "setProofSubmitter")]
    pub fn set_proof_submitter_abi(&mut self, new_proof_submitter: Address) -> Result<(), Revert> {
        self.set_proof_submitter(new_proof_submitter)
    }

    #[selector(name = "proofSubmitter")]
    pub fn proof_submitter_abi(&self) -> Address {
        self.proof_submitter()
    }

    #[selector(name = "withdrawableRestakedExecutionLayerGwei")]
    pub fn withdrawable_restaked_execution_layer_gwei_abi(&self) -> u64 {
        self.withdrawable_restaked_execution_layer_gwei()
    }

    #[selector(name = "eigenPodManager")]
    pub fn eigen_pod_manager_abi(&self) -> Address {
        self.eigen_pod_manager()
    }

    #[selector(name = "ethPOS")]
    pub fn eth_pos_abi(&self) -> Result<Address, Revert> {
        self.eth_pos()
    }

    #[selector(name = "podOwner")]
    pub fn pod_owner_abi(&self) -> Address {
        self.pod_owner()
    }

    #[selector(name = "validatorPubkeyHashToInfo")]
    pub fn validator_pubkey_hash_to_info_abi(
        &self,
        validator_pubkey_hash: B256,
    ) -> ValidatorInfoAbi {
        self.validator_pubkey_hash_to_info(validator_pubkey_hash)
    }

    #[selector(name = "validatorPubkeyToInfo")]
    pub fn validator_pubkey_to_info_abi(
        &self,
        validator_pubkey: Bytes,
    ) -> Result<ValidatorInfoAbi, Revert> {
        self.validator_pubkey_to_info(validator_pubkey)
    }

    #[selector(name = "validatorStatus")]
    pub fn validator_status_by_hash_abi(&self, pubkey_hash: B256) -> u8 {
        self.validator_status_by_hash(pubkey_hash)
    }

    #[selector(name = "validatorStatus")]
    pub fn validator_status_by_pubkey_abi(&self, validator_pubkey: Bytes) -> Result<u8, Revert> {
        self.validator_status_by_pubkey(validator_pubkey)
    }

    #[selector(name = "activeValidatorCount")]
    pub fn active_validator_count_abi(&self) -> U256 {
        self.active_validator_count()
    }

    #[selector(name = "lastCheckpointTimestamp")]
    pub fn last_checkpoint_timestamp_abi(&self) -> u64 {
        self.last_checkpoint_timestamp()
    }

    #[selector(name = "currentCheckpointTimestamp")]
    pub fn current_checkpoint_timestamp_abi(&self) -> u64 {
        self.current_checkpoint_timestamp()
    }

    #[selector(name = "currentCheckpoint")]
    pub fn current_checkpoint_abi(&self) -> CheckpointAbi {
        self.current_checkpoint()
    }

    #[selector(name = "checkpointBalanceExitedGwei")]
    pub fn checkpoint_balance_exited_gwei_abi(&self, timestamp: u64) -> u64 {
        self.checkpoint_balance_exited_gwei(timestamp)
    }

    #[selector(name = "getParentBlockRoot")]
    pub fn get_parent_block_root_abi(&self, timestamp: u64) -> Result<B256, Revert> {
        self.get_parent_block_root(timestamp)
    }

    #[selector(name = "getConsolidationRequestFee")]
    pub fn get_consolidation_request_fee_abi(&self) -> Result<U256, Revert> {
        self.get_consolidation_request_fee()
    }

    #[selector(name = "getWithdrawalRequestFee")]
    pub fn get_withdrawal_request_fee_abi(&self) -> Result<U256, Revert> {
        self.get_withdrawal_request_fee()
    }
}

impl EigenPod {
    /// EIP-7002/7251 fee: a static call with empty data returns it as 32 bytes.
    fn predeploy_fee(predeploy: Address) -> Result<U256, Revert> {
        match static_call_raw(predeploy, &[]) {
            Ok(out) if out.len() == 32 => Ok(U256::from_be_slice(&out)),
            _ => Err(err(IEigenPod::FeeQueryFailed::SELECTOR)),
        }
    }

    fn call_predeploy(predeploy: Address, fee: U256, data: &[u8]) -> Result<(), Revert> {
        #[allow(deprecated)]
        // SAFETY: a plain CALL to a system predeploy; the cache is cleared as for any call.
        unsafe {
            stylus_sdk::call::RawCall::new_with_value(fee)
                .clear_storage_cache()
                .call(predeploy, data)
        }
        .map(|_| ())
        .map_err(|_| err(IEigenPod::PredeployFailed::SELECTOR))
    }

    /// `msg.value` must cover `count` fees; returns the excess to refund.
    fn fees_and_refund(&self, fee: U256, count: usize) -> Result<U256, Revert> {
        let total = fee.checked_mul(U256::from(count)).ok_or_else(overflow)?;
        self.vm()
            .msg_value()
            .checked_sub(total)
            .ok_or_else(|| err(IEigenPod::InsufficientFunds::SELECTOR))
    }

    fn send_refund(&self, refund: U256) -> Result<(), Revert> {
        if refund.is_zero() {
            return Ok(());
        }
        transfer_eth(self.vm().msg_sender(), refund)
    }
}

#[cfg(test)]
mod tests;
