//! RewardsCoordinator — rewards submissions, distribution roots, Merkle claims and operator splits
//! (EigenLayer's `IRewardsCoordinator`, v1.12 semantics).
//!
//! Rewards are computed off-chain; on chain the contract only escrows submitted tokens, validates
//! and records each submission (a unique hash per submission, a nonce per AVS), accepts the rewards
//! updater's distribution roots and pays Merkle claims against them.
//!
//! Claims (EigenLayer's tree, so an off-chain calculator producing EigenLayer-compatible roots works
//! unchanged):
//! - token leaf `keccak256(abi.encodePacked(uint8(1), token, cumulativeEarnings))`;
//! - earner leaf `keccak256(abi.encodePacked(uint8(0), earner, earnerTokenRoot))`;
//! - keccak Merkle trees, index-based proofs (`common::merkle`), index < 2^(proof nodes);
//! - a claim pays `cumulativeEarnings − cumulativeClaimed[earner][token]` per token and records the
//!   new cumulative amount, so a root can never pay twice and later roots pay only the difference.
//!
//! Submissions ([`submissions`]): the hash of a submission is
//! `keccak256(abi.encode(avs, submissionNonce[avs], submission))` (for rewards-for-all: the
//! submitter), recorded in the type's `is*Hash` mapping; the nonce then increments. Common checks
//! (every type): ≥ 1 strategy, each whitelisted in the StrategyManager or the beacon-chain ETH
//! pseudo-strategy, strictly ascending; `0 < duration ≤ MAX_REWARDS_DURATION`, duration and start
//! multiples of `CALCULATION_INTERVAL_SECONDS`; `start ≥ max(now − MAX_RETROACTIVE_LENGTH,
//! GENESIS_REWARDS_TIMESTAMP)`. Amount types: `0 < amount ≤ 1e38 − 1`, `start ≤ now +
//! MAX_FUTURE_LENGTH`. Operator-directed types: operators non-zero and strictly ascending, each
//! amount > 0, Σ ≤ 1e38 − 1, and wholly in the past (`start + duration < now`). The full amount is
//! pulled from the caller with `transferFrom`; if the caller opted in to the protocol fee, 20 % of
//! it (of each operator's amount) goes to the fee recipient and the recorded, hashed and emitted
//! submission carries the net amounts.
//!
//! | function | who | requirements |
//! |---|---|---|
//! | `createAVSRewardsSubmission` | the AVS (`msg.sender`) | bit 0; common + amount checks |
//! | `createRewardsForAllSubmission` / `createRewardsForAllEarners` | rewards-for-all submitters | bit 1 / bit 4; as above |
//! | `createOperatorDirectedAVSRewardsSubmission(avs, …)` | the AVS's PermissionController callers | bit 5; common + operator-directed checks |
//! | `createOperatorDirectedOperatorSetRewardsSubmission(set, …)` | the set's AVS side | bit 9; the set exists in the AllocationManager; as above |
//! | `createUniqueStakeRewardsSubmission` / `createTotalStakeRewardsSubmission` | the set's AVS side | bit 10 / bit 11; the set exists; common + amount checks |
//! | `createEigenDARewardsSubmission(avs, …)` | the EmissionsController | bit 0; as `createAVSRewardsSubmission` for `avs` (no EmissionsController is configured in Ferrostake, so it always reverts `UnauthorizedCaller`) |
//! | `submitRoot(root, end)` | rewards updater | bit 3; `end` strictly after the last root's and before now; activates after `activationDelay` |
//! | `disableRoot(i)` | rewards updater | bit 3; root exists, not disabled, not yet activated |
//! | `processClaim(s)` | the earner's claimer (the earner by default) | bit 2; root activated and not disabled; proofs valid; each token's cumulative amount above what was claimed |
//! | `setClaimerFor(claimer)` | an earner | |
//! | `setClaimerFor(earner, claimer)` | the earner's PermissionController callers | the earner is an operator or an AVS with ≥ 1 operator set (`InvalidEarner`) |
//! | `setOperatorAVSSplit` / `setOperatorPISplit` / `setOperatorSetSplit` | the operator's PermissionController callers | bit 6 / 7 / 8; `split ≤ 10,000` (`SplitExceedsMax`); no pending change (`PreviousSplitPending`); the set exists (set split) |
//! | `setActivationDelay`, `setDefaultOperatorSplit`, `setRewardsUpdater`, `setRewardsForAllSubmitter`, `setFeeRecipient` | owner | split ≤ 10,000; fee recipient ≠ 0 |
//! | `setOptInForProtocolFee(submitter, bool)` | the submitter's PermissionController callers | |
//!
//! Operator splits ([`OperatorSplit`]) take effect `activationDelay` seconds after being set; until
//! then the previous value (the default split for a first setting) is returned.
//!
//! Choices where EigenLayer's docs leave room: the protocol fee applies to every submission type
//! when the caller opted in (the opt-in is per submitter); the `is*Hash` mappings share one
//! storage word per (key, hash) holding a bit per [`kind`]; `initialize(RewardsCoordinatorInitParams)`
//! also rejects a zero calculation interval, a zero DelegationManager/StrategyManager/
//! AllocationManager/PermissionController and a default split above 10,000. `InvalidIndex` is in
//! the ABI for compatibility and never raised.
//!
//! Storage is packed for the hot operations (see [`RewardsCoordinator`]): `submitRoot` reads and
//! writes one header word (updater, delay, last end, root count), stores the root hash and updates
//! a metadata word shared by three roots ([`RootMeta`]); a claim reads the root's metadata and hash
//! without the count; a submission reads its window parameters in one word and its caller's nonce
//! and fee opt-in in another ([`submitter`]). **This layout is not upgrade-compatible** with a
//! RewardsCoordinator that already holds state under the previous layout (one `StorageVec` entry of
//! two words per root, separate nonce/opt-in/submitter maps): deploy it fresh.
//!
//! Four programs behind one proxy (each must fit Stylus's 24 KiB): this default build is the core
//! (`initialize`, `setImplementations`, roots and claims); its fallback delegates every other
//! selector ([`Program::of`]) to the `submissions` program (every `create*` function), the
//! `config` program (setters, splits, pausing,
//! ownership) or the `view` program (every view). All are this crate built with a feature, so they
//! share one storage layout; the logic is plain methods compiled in every build, and the native
//! tests call it directly.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
#![cfg_attr(
    any(feature = "submissions", feature = "config", feature = "view"),
    allow(dead_code, unused_imports)
)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::{
    access::{Initializable, Ownable, Pausable, ReentrancyGuard},
    call::{call, safe_transfer},
    merkle, Revert,
};
use ferrostake_interfaces::{
    EarnerTreeMerkleLeaf, IFerrostakeErrors, IPausable, IPermissionController,
    IPermissionControllerMixin, IRewardsCoordinator as IRC, RewardsCoordinatorInitParams,
    RewardsMerkleClaim, TokenTreeMerkleLeaf,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageMap, StorageU16, StorageU256, StorageU32, StorageU64,
        StorageU8,
    },
    stylus_core::log,
    ArbResult,
};

pub mod config;
pub mod submissions;
pub mod views;

/// `EARNER_LEAF_SALT`.
pub const EARNER_LEAF_SALT: u8 = 0;
/// `TOKEN_LEAF_SALT`.
pub const TOKEN_LEAF_SALT: u8 = 1;
/// Pause bit: `createAVSRewardsSubmission` (and `createEigenDARewardsSubmission`).
pub const PAUSED_AVS_REWARDS_SUBMISSION: u8 = 0;
/// Pause bit: `createRewardsForAllSubmission`.
pub const PAUSED_REWARDS_FOR_ALL_SUBMISSION: u8 = 1;
/// Pause bit: claims.
pub const PAUSED_PROCESS_CLAIM: u8 = 2;
/// Pause bit: submitting and disabling roots.
pub const PAUSED_SUBMIT_DISABLE_ROOTS: u8 = 3;
/// Pause bit: `createRewardsForAllEarners`.
pub const PAUSED_REWARD_ALL_STAKERS_AND_OPERATORS: u8 = 4;
/// Pause bit: `createOperatorDirectedAVSRewardsSubmission`.
pub const PAUSED_OPERATOR_DIRECTED_AVS_REWARDS_SUBMISSION: u8 = 5;
/// Pause bit: `setOperatorAVSSplit`.
pub const PAUSED_OPERATOR_AVS_SPLIT: u8 = 6;
/// Pause bit: `setOperatorPISplit`.
pub const PAUSED_OPERATOR_PI_SPLIT: u8 = 7;
/// Pause bit: `setOperatorSetSplit`.
pub const PAUSED_OPERATOR_SET_SPLIT: u8 = 8;
/// Pause bit: `createOperatorDirectedOperatorSetRewardsSubmission`.
pub const PAUSED_OPERATOR_DIRECTED_OPERATOR_SET_REWARDS_SUBMISSION: u8 = 9;
/// Pause bit: `createUniqueStakeRewardsSubmission`.
pub const PAUSED_UNIQUE_STAKE_REWARDS_SUBMISSION: u8 = 10;
/// Pause bit: `createTotalStakeRewardsSubmission`.
pub const PAUSED_TOTAL_STAKE_REWARDS_SUBMISSION: u8 = 11;

/// The beacon-chain ETH pseudo-strategy (always eligible in submissions).
pub const BEACON_CHAIN_ETH_STRATEGY: Address = address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// The off-chain pipeline snapshots once a day; the calculation interval must be a multiple.
pub const SNAPSHOT_CADENCE: u32 = 86_400;
/// `MAX_REWARDS_AMOUNT = 1e38 − 1` (the off-chain pipeline's precision bound).
pub const MAX_REWARDS_AMOUNT: U256 =
    U256::from_limbs([0x098a_223f_ffff_ffff, 0x4b3b_4ca8_5a86_c47a, 0, 0]);
/// Splits are basis points of the operator's reward.
pub const ONE_HUNDRED_IN_BIPS: u16 = 10_000;
/// The protocol fee, taken only from submitters who opted in.
pub const PROTOCOL_FEE_BIPS: u16 = 2_000;

/// Submission kinds: bit positions in the per-hash kind mask (one mask serves every `is*Hash`).
pub mod kind {
    pub const AVS: u8 = 0;
    pub const FOR_ALL: u8 = 1;
    pub const FOR_ALL_EARNERS: u8 = 2;
    pub const OPERATOR_DIRECTED_AVS: u8 = 3;
    pub const OPERATOR_DIRECTED_OPERATOR_SET: u8 = 4;
    pub const UNIQUE_STAKE: u8 = 5;
    pub const TOTAL_STAKE: u8 = 6;
}

/// Hash of an earner leaf.
pub fn earner_leaf_hash(leaf: &EarnerTreeMerkleLeaf) -> B256 {
    let mut buf = [0u8; 53];
    buf[0] = EARNER_LEAF_SALT;
    buf[1..21].copy_from_slice(leaf.earner.as_slice());
    buf[21..].copy_from_slice(leaf.earnerTokenRoot.as_slice());
    keccak256(buf)
}

/// Hash of a token leaf.
pub fn token_leaf_hash(leaf: &TokenTreeMerkleLeaf) -> B256 {
    let mut buf = [0u8; 53];
    buf[0] = TOKEN_LEAF_SALT;
    buf[1..21].copy_from_slice(leaf.token.as_slice());
    buf[21..].copy_from_slice(&leaf.cumulativeEarnings.to_be_bytes::<32>());
    keccak256(buf)
}

/// `bytes32(abi.encodePacked(avs, uint96(id)))`, the AllocationManager's operator-set key.
pub fn set_key(avs: Address, id: u32) -> B256 {
    let mut k = [0u8; 32];
    k[..20].copy_from_slice(avs.as_slice());
    k[28..].copy_from_slice(&id.to_be_bytes());
    B256::from(k)
}

/// EigenLayer's `OperatorSplit` in one word: `oldSplitBips` (bits 0–15), `newSplitBips` (16–31),
/// `activatedAt` (32–63). All zero: never set. `old == u16::MAX` is the "default split" sentinel of
/// a first setting, so reads follow the default until the first value activates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OperatorSplit {
    pub old: u16,
    pub new: u16,
    pub activated_at: u32,
}

impl OperatorSplit {
    pub fn pack(self) -> u64 {
        self.old as u64 | (self.new as u64) << 16 | (self.activated_at as u64) << 32
    }

    pub fn unpack(w: u64) -> Self {
        OperatorSplit {
            old: w as u16,
            new: (w >> 16) as u16,
            activated_at: (w >> 32) as u32,
        }
    }

    /// The split in force at `now` (`default` when never set or still at the sentinel).
    pub fn at(self, now: u32, default: u16) -> u16 {
        if self.activated_at == 0 {
            return default;
        }
        let v = if now >= self.activated_at {
            self.new
        } else {
            self.old
        };
        if v == u16::MAX {
            default
        } else {
            v
        }
    }
}

/// Root metadata entries per storage word (see [`RootMeta`]).
pub const ROOTS_PER_META_WORD: u32 = 3;

/// A posted root's metadata, 72 bits: `rewardsCalculationEndTimestamp` (bits 0–31),
/// `activatedAt` (32–63), `disabled` (64). Three roots share one word ([`ROOTS_PER_META_WORD`]):
/// root `i` is entry `i % 3` of word `i / 3`, so two of three roots update a word that already
/// exists instead of creating one. A posted root's end is never zero (it is strictly after the
/// previous end), so an all-zero entry is a root that was never posted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RootMeta {
    pub end: u32,
    pub activated_at: u32,
    pub disabled: bool,
}

impl RootMeta {
    fn shift(index: u32) -> usize {
        72 * (index % ROOTS_PER_META_WORD) as usize
    }

    /// Root `index`'s entry in its word.
    pub fn read(word: U256, index: u32) -> Self {
        let e = ((word >> Self::shift(index)) & U256::from((1u128 << 72) - 1)).to::<u128>();
        RootMeta {
            end: e as u32,
            activated_at: (e >> 32) as u32,
            disabled: (e >> 64) & 1 == 1,
        }
    }

    /// `word` with root `index`'s entry replaced by `self`.
    pub fn write(self, word: U256, index: u32) -> U256 {
        let shift = Self::shift(index);
        let mask = U256::from((1u128 << 72) - 1) << shift;
        let e =
            self.end as u128 | (self.activated_at as u128) << 32 | (self.disabled as u128) << 64;
        (word & !mask) | (U256::from(e) << shift)
    }
}

/// The per-address submission word: the submission nonce of the AVS (or submitter) in bits
/// 0–63, whether it opted in to the protocol fee (bit 64) and whether it is a rewards-for-all
/// submitter (bit 65). A submission reads its caller's nonce and opt-in in one word.
pub mod submitter {
    use alloy_primitives::U256;

    pub const OPTED_IN_BIT: usize = 64;
    pub const FOR_ALL_BIT: usize = 65;

    pub fn nonce(word: U256) -> u64 {
        word.as_limbs()[0]
    }

    pub fn with_nonce(word: U256, nonce: u64) -> U256 {
        let mut limbs = *word.as_limbs();
        limbs[0] = nonce;
        U256::from_limbs(limbs)
    }

    pub fn flag(word: U256, bit: usize) -> bool {
        word.bit(bit)
    }

    pub fn with_flag(mut word: U256, bit: usize, value: bool) -> U256 {
        word.set_bit(bit, value);
        word
    }
}

/// Storage. Fields of less than a word share words in declaration order (Solidity's rule): the
/// submission window parameters and the default split are one word (every submission reads it),
/// the rewards updater, activation delay, last end timestamp and root count another (`submitRoot`
/// reads and writes it once). Layout changes are not upgrade-compatible with a deployment that
/// already holds state (see the crate docs).
#[storage]
pub struct RewardsCoordinator {
    init: Initializable,
    ownable: Ownable,
    pausable: Pausable,
    guard: ReentrancyGuard,
    // Submission window parameters (EigenLayer: constructor immutables) and the default split:
    // one word.
    calculation_interval: StorageU32,
    max_rewards_duration: StorageU32,
    max_retroactive_length: StorageU32,
    max_future_length: StorageU32,
    genesis_rewards_timestamp: StorageU32,
    default_split_bips: StorageU16,
    // Roots header: one word.
    rewards_updater: StorageAddress,
    activation_delay: StorageU32,
    curr_end: StorageU32,
    roots_len: StorageU32,
    // Wiring (EigenLayer: constructor immutables).
    delegation_manager: StorageAddress,
    strategy_manager: StorageAddress,
    allocation_manager: StorageAddress,
    permission_controller: StorageAddress,
    /// EigenLayer's EmissionsController (never set here: Ferrostake has none).
    emissions_controller: StorageAddress,
    /// The programs the fallback delegates to, by selector (see [`Program`]).
    submissions_implementation: StorageAddress,
    config_implementation: StorageAddress,
    view_implementation: StorageAddress,
    fee_recipient: StorageAddress,
    // Roots: hash by index, metadata three to a word ([`RootMeta`]).
    root_hashes: StorageMap<u32, StorageB256>,
    root_meta: StorageMap<u32, StorageU256>,
    // Claims.
    claimer_for: StorageMap<Address, StorageAddress>,
    cumulative_claimed: StorageMap<Address, StorageMap<Address, StorageU256>>,
    // Submissions.
    /// AVS (or submitter) → nonce and flags ([`submitter`]).
    submitters: StorageMap<Address, StorageU256>,
    /// AVS (or submitter) → submission hash → mask of [`kind`] bits.
    submission_hashes: StorageMap<Address, StorageMap<B256, StorageU8>>,
    // Splits, packed [`OperatorSplit`]s.
    operator_avs_split: StorageMap<Address, StorageMap<Address, StorageU64>>,
    operator_pi_split: StorageMap<Address, StorageU64>,
    operator_set_split: StorageMap<Address, StorageMap<B256, StorageU64>>,
}

ferrostake_common::entrypoint!(RewardsCoordinator);

fn u32_of(v: alloy_primitives::Uint<32, 1>) -> u32 {
    v.to::<u32>()
}

fn u32_word(v: u32) -> alloy_primitives::Uint<32, 1> {
    alloy_primitives::Uint::<32, 1>::from(v)
}

pub(crate) fn overflow() -> Revert {
    IFerrostakeErrors::MathOverflow {}.into()
}

/// Shared state reads and checks (every program).
impl RewardsCoordinator {
    pub(crate) fn now(&self) -> u32 {
        let t = self.vm().block_timestamp();
        #[cfg(test)]
        let t = t + test_clock::offset();
        u32::try_from(t).unwrap_or(u32::MAX)
    }

    fn only_rewards_updater(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.rewards_updater.get() {
            return Err(IRC::UnauthorizedCaller {}.into());
        }
        Ok(())
    }

    pub(crate) fn only_owner(&self) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())
    }

    /// EigenLayer's `checkCanCall(account)`: the PermissionController decides whether the caller
    /// may act for `account` in the function with `selector`.
    pub(crate) fn check_can_call(&self, account: Address, selector: [u8; 4]) -> Result<(), Revert> {
        let ok = call(
            self.permission_controller.get(),
            &IPermissionController::canCallCall {
                account,
                caller: self.vm().msg_sender(),
                target: self.vm().contract_address(),
                selector: selector.into(),
            },
        )?
        ._0;
        if !ok {
            return Err(IPermissionControllerMixin::InvalidPermissions {}.into());
        }
        Ok(())
    }

    /// The number of posted roots.
    pub(crate) fn roots_count(&self) -> u32 {
        u32_of(self.roots_len.get())
    }

    /// Root `index`'s metadata (all zero when it was never posted).
    pub(crate) fn root_meta_at(&self, index: u32) -> RootMeta {
        RootMeta::read(self.root_meta.get(index / ROOTS_PER_META_WORD), index)
    }

    pub(crate) fn root_at(&self, index: usize) -> Option<(B256, u32, u32, bool)> {
        let index = u32::try_from(index).ok()?;
        let m = self.root_meta_at(index);
        if m.end == 0 {
            return None;
        }
        Some((
            self.root_hashes.get(index),
            m.end,
            m.activated_at,
            m.disabled,
        ))
    }

    /// One of `account`'s [`submitter`] flags.
    pub(crate) fn submitter_flag(&self, account: Address, bit: usize) -> bool {
        submitter::flag(self.submitters.get(account), bit)
    }

    pub(crate) fn set_submitter_flag(&mut self, account: Address, bit: usize, value: bool) {
        let word = self.submitters.get(account);
        self.submitters
            .setter(account)
            .set(submitter::with_flag(word, bit, value));
    }

    pub(crate) fn activation_delay_value(&self) -> u32 {
        u32_of(self.activation_delay.get())
    }

    pub(crate) fn default_split(&self) -> u16 {
        self.default_split_bips.get().to::<u16>()
    }

    /// The claimer of `earner`: the set one, or the earner itself.
    pub fn claimer_of(&self, earner: Address) -> Address {
        let c = self.claimer_for.get(earner);
        if c.is_zero() {
            earner
        } else {
            c
        }
    }

    /// Checks a claim against its root; `Ok(root)` when every proof holds.
    pub fn check_claim_inner(&self, claim: &RewardsMerkleClaim) -> Result<B256, Revert> {
        let (root, _, activated_at, disabled) = self
            .root_at(claim.rootIndex as usize)
            .ok_or(Revert::from(IRC::InvalidRootIndex {}))?;
        if disabled {
            return Err(IRC::RootDisabled {}.into());
        }
        if self.now() < activated_at {
            return Err(IRC::RootNotActivated {}.into());
        }
        if claim.tokenIndices.len() != claim.tokenTreeProofs.len()
            || claim.tokenTreeProofs.len() != claim.tokenLeaves.len()
        {
            return Err(IRC::InputArrayLengthMismatch {}.into());
        }
        if claim.earnerLeaf.earner.is_zero() {
            return Err(IRC::InvalidEarner {}.into());
        }
        verify_leaf(
            &claim.earnerTreeProof,
            root,
            earner_leaf_hash(&claim.earnerLeaf),
            claim.earnerIndex,
            IRC::InvalidEarnerLeafIndex {}.into(),
        )?;
        for ((index, proof), leaf) in claim
            .tokenIndices
            .iter()
            .zip(&claim.tokenTreeProofs)
            .zip(&claim.tokenLeaves)
        {
            verify_leaf(
                proof,
                claim.earnerLeaf.earnerTokenRoot,
                token_leaf_hash(leaf),
                *index,
                IRC::InvalidTokenLeafIndex {}.into(),
            )?;
        }
        Ok(root)
    }

    fn process_claim_inner(
        &mut self,
        claim: RewardsMerkleClaim,
        recipient: Address,
    ) -> Result<(), Revert> {
        let root = self.check_claim_inner(&claim)?;
        let earner = claim.earnerLeaf.earner;
        let claimer = self.vm().msg_sender();
        if claimer != self.claimer_of(earner) {
            return Err(IRC::UnauthorizedCaller {}.into());
        }
        for leaf in claim.tokenLeaves {
            let claimed = self.cumulative_claimed.getter(earner).get(leaf.token);
            if leaf.cumulativeEarnings <= claimed {
                return Err(IRC::EarningsNotGreaterThanClaimed {}.into());
            }
            // cumulativeEarnings > claimed (checked above).
            let amount = leaf.cumulativeEarnings - claimed;
            self.cumulative_claimed
                .setter(earner)
                .setter(leaf.token)
                .set(leaf.cumulativeEarnings);
            safe_transfer(leaf.token, recipient, amount)?;
            log(
                self.vm(),
                IRC::RewardsClaimed {
                    root,
                    earner,
                    claimer,
                    recipient,
                    token: leaf.token,
                    claimedAmount: amount,
                },
            );
        }
        Ok(())
    }
}

/// Verifies `leaf` at `index` under `root`; the index must be addressable by the proof's depth.
fn verify_leaf(
    proof: &[u8],
    root: B256,
    leaf: B256,
    index: u32,
    bad_index: Revert,
) -> Result<(), Revert> {
    if !proof.len().is_multiple_of(32) {
        return Err(IRC::InvalidProofLength {}.into());
    }
    let depth = proof.len() / 32;
    if depth < 32 && (index as u64) >= (1u64 << depth) {
        return Err(bad_index);
    }
    if !merkle::verify_inclusion_keccak(proof, root, leaf, index as u64)? {
        return Err(IRC::InvalidClaimProof {}.into());
    }
    Ok(())
}

/// The ABI's `RewardsMerkleClaim` tuple as stylus-sdk decodes it.
pub type ClaimTuple = (
    u32,
    u32,
    stylus_sdk::abi::Bytes,
    (Address, B256),
    Vec<u32>,
    Vec<stylus_sdk::abi::Bytes>,
    Vec<(Address, U256)>,
);

/// The ABI's `OperatorSet` tuple.
pub type SetTuple = (Address, u32);

pub fn claim_of(t: ClaimTuple) -> RewardsMerkleClaim {
    RewardsMerkleClaim {
        rootIndex: t.0,
        earnerIndex: t.1,
        earnerTreeProof: t.2.to_vec().into(),
        earnerLeaf: EarnerTreeMerkleLeaf {
            earner: t.3 .0,
            earnerTokenRoot: t.3 .1,
        },
        tokenIndices: t.4,
        tokenTreeProofs: t.5.into_iter().map(|p| p.to_vec().into()).collect(),
        tokenLeaves: t
            .6
            .into_iter()
            .map(|(token, amount)| TokenTreeMerkleLeaf {
                token,
                cumulativeEarnings: amount,
            })
            .collect(),
    }
}

/// Core-program machinery (plain methods; the core's router and the native tests call them).
impl RewardsCoordinator {
    /// `initialize(RewardsCoordinatorInitParams)`: EigenLayer's constructor checks and initializer.
    pub fn initialize(&mut self, p: RewardsCoordinatorInitParams) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.guard.init();
        if p.calculationIntervalSeconds == 0
            || !p
                .calculationIntervalSeconds
                .is_multiple_of(SNAPSHOT_CADENCE)
        {
            return Err(IRC::InvalidCalculationIntervalSecondsRemainder {}.into());
        }
        if !p
            .genesisRewardsTimestamp
            .is_multiple_of(p.calculationIntervalSeconds)
        {
            return Err(IRC::InvalidGenesisRewardsTimestampRemainder {}.into());
        }
        if p.delegationManager.is_zero()
            || p.strategyManager.is_zero()
            || p.allocationManager.is_zero()
            || p.permissionController.is_zero()
        {
            return Err(IRC::InputAddressZero {}.into());
        }
        if p.defaultSplitBips > ONE_HUNDRED_IN_BIPS {
            return Err(IRC::SplitExceedsMax {}.into());
        }
        if p.feeRecipient.is_zero() {
            return Err(IRC::InvalidAddressZero {}.into());
        }
        self.pausable
            .init(p.pauserRegistry, p.initialPausedStatus)?;
        self.ownable.init(p.initialOwner)?;
        self.delegation_manager.set(p.delegationManager);
        self.strategy_manager.set(p.strategyManager);
        self.allocation_manager.set(p.allocationManager);
        self.permission_controller.set(p.permissionController);
        self.calculation_interval
            .set(u32_word(p.calculationIntervalSeconds));
        self.max_rewards_duration
            .set(u32_word(p.maxRewardsDuration));
        self.max_retroactive_length
            .set(u32_word(p.maxRetroactiveLength));
        self.max_future_length.set(u32_word(p.maxFutureLength));
        self.genesis_rewards_timestamp
            .set(u32_word(p.genesisRewardsTimestamp));
        self.set_activation_delay_inner(p.activationDelay);
        self.set_default_split_inner(p.defaultSplitBips);
        self.set_rewards_updater_inner(p.rewardsUpdater);
        self.set_fee_recipient_inner(p.feeRecipient);
        Ok(())
    }

    pub(crate) fn set_activation_delay_inner(&mut self, delay: u32) {
        let old = self.activation_delay_value();
        self.activation_delay.set(u32_word(delay));
        log(
            self.vm(),
            IRC::ActivationDelaySet {
                oldActivationDelay: old,
                newActivationDelay: delay,
            },
        );
    }

    pub(crate) fn set_default_split_inner(&mut self, split: u16) {
        let old = self.default_split();
        self.default_split_bips.set(U256::from(split).to());
        log(
            self.vm(),
            IRC::DefaultOperatorSplitBipsSet {
                oldDefaultOperatorSplitBips: old,
                newDefaultOperatorSplitBips: split,
            },
        );
    }

    pub(crate) fn set_rewards_updater_inner(&mut self, updater: Address) {
        let old = self.rewards_updater.get();
        self.rewards_updater.set(updater);
        log(
            self.vm(),
            IRC::RewardsUpdaterSet {
                oldRewardsUpdater: old,
                newRewardsUpdater: updater,
            },
        );
    }

    pub(crate) fn set_fee_recipient_inner(&mut self, recipient: Address) {
        let old = self.fee_recipient.get();
        self.fee_recipient.set(recipient);
        log(
            self.vm(),
            IRC::FeeRecipientSet {
                oldFeeRecipient: old,
                newFeeRecipient: recipient,
            },
        );
    }

    /// Ferrostake extension: the proxy's ERC-1967 admin (the upgrade key, with whatever delay it
    /// sits behind) points the fallback at the submissions, config and view programs.
    pub fn set_implementations(
        &mut self,
        submissions: Address,
        config: Address,
        view: Address,
    ) -> Result<(), Revert> {
        ferrostake_common::access::only_proxy_admin(self.vm())?;
        if submissions.is_zero() || config.is_zero() || view.is_zero() {
            return Err(IRC::InputAddressZero {}.into());
        }
        self.submissions_implementation.set(submissions);
        self.config_implementation.set(config);
        self.view_implementation.set(view);
        log(
            self.vm(),
            IRC::ImplementationsSet {
                submissionsImplementation: submissions,
                configImplementation: config,
                viewImplementation: view,
            },
        );
        Ok(())
    }

    pub fn submit_root(
        &mut self,
        root: B256,
        rewards_calculation_end_timestamp: u32,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_SUBMIT_DISABLE_ROOTS)?;
        self.only_rewards_updater()?;
        if root.is_zero() {
            return Err(IRC::EmptyRoot {}.into());
        }
        if rewards_calculation_end_timestamp <= u32_of(self.curr_end.get()) {
            return Err(IRC::NewRootMustBeForNewCalculatedPeriod {}.into());
        }
        let now = self.now();
        if rewards_calculation_end_timestamp >= now {
            return Err(IRC::RewardsEndTimestampNotElapsed {}.into());
        }
        let activated_at = now
            .checked_add(self.activation_delay_value())
            .ok_or_else(overflow)?;
        let index = self.roots_count();
        let next = index.checked_add(1).ok_or_else(overflow)?;
        self.root_hashes.setter(index).set(root);
        let word = index / ROOTS_PER_META_WORD;
        let meta = RootMeta {
            end: rewards_calculation_end_timestamp,
            activated_at,
            disabled: false,
        }
        .write(self.root_meta.get(word), index);
        self.root_meta.setter(word).set(meta);
        self.curr_end
            .set(u32_word(rewards_calculation_end_timestamp));
        self.roots_len.set(u32_word(next));
        log(
            self.vm(),
            IRC::DistributionRootSubmitted {
                rootIndex: index,
                root,
                rewardsCalculationEndTimestamp: rewards_calculation_end_timestamp,
                activatedAt: activated_at,
            },
        );
        Ok(())
    }

    pub fn disable_root(&mut self, root_index: u32) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_SUBMIT_DISABLE_ROOTS)?;
        self.only_rewards_updater()?;
        let (_, _, activated_at, disabled) = self
            .root_at(root_index as usize)
            .ok_or(Revert::from(IRC::InvalidRootIndex {}))?;
        if disabled {
            return Err(IRC::RootDisabled {}.into());
        }
        if self.now() >= activated_at {
            return Err(IRC::RootAlreadyActivated {}.into());
        }
        let word = root_index / ROOTS_PER_META_WORD;
        let meta = RootMeta {
            disabled: true,
            ..self.root_meta_at(root_index)
        }
        .write(self.root_meta.get(word), root_index);
        self.root_meta.setter(word).set(meta);
        log(
            self.vm(),
            IRC::DistributionRootDisabled {
                rootIndex: root_index,
            },
        );
        Ok(())
    }

    pub fn process_claim(&mut self, claim: ClaimTuple, recipient: Address) -> Result<(), Revert> {
        self.process_claims(vec![claim], recipient)
    }

    pub fn process_claims(
        &mut self,
        claims: Vec<ClaimTuple>,
        recipient: Address,
    ) -> Result<(), Revert> {
        self.pausable.require_not_paused(PAUSED_PROCESS_CLAIM)?;
        self.guard.enter()?;
        for c in claims {
            self.process_claim_inner(claim_of(c), recipient)?;
        }
        self.guard.exit();
        Ok(())
    }

    /// Serves the core's alloy-decoded selector (`initialize(struct)`); `None` for any other.
    pub fn serve_core(&mut self, calldata: &[u8]) -> Option<ArbResult> {
        let out = match selector_of(calldata) {
            IRC::initializeCall::SELECTOR => IRC::initializeCall::abi_decode(calldata, true)
                .map_err(|_| Revert(Vec::new()))
                .and_then(|c| self.initialize(c.params)),
            _ => return None,
        };
        Some(out.map(|()| Vec::new()).map_err(Vec::from))
    }
}

/// The first four bytes of `calldata` (zero when shorter).
pub fn selector_of(calldata: &[u8]) -> [u8; 4] {
    calldata
        .get(..4)
        .and_then(|s| s.try_into().ok())
        .unwrap_or_default()
}

/// The four programs behind one proxy: this crate built with no feature (core), `submissions`,
/// `config` or `view`. The core serves its own functions and routes every other selector here.
#[derive(Debug, PartialEq, Eq)]
pub enum Program {
    /// Every `create*`.
    Submissions,
    /// Setters, splits, claimers, pausing and ownership.
    Config,
    /// Everything else (read-only).
    View,
}

impl Program {
    pub fn of(calldata: &[u8]) -> Program {
        match selector_of(calldata) {
            IRC::createAVSRewardsSubmissionCall::SELECTOR
            | IRC::createRewardsForAllSubmissionCall::SELECTOR
            | IRC::createRewardsForAllEarnersCall::SELECTOR
            | IRC::createOperatorDirectedAVSRewardsSubmissionCall::SELECTOR
            | IRC::createOperatorDirectedOperatorSetRewardsSubmissionCall::SELECTOR
            | IRC::createUniqueStakeRewardsSubmissionCall::SELECTOR
            | IRC::createTotalStakeRewardsSubmissionCall::SELECTOR
            | IRC::createEigenDARewardsSubmissionCall::SELECTOR => Program::Submissions,
            IRC::setClaimerFor_0Call::SELECTOR
            | IRC::setClaimerFor_1Call::SELECTOR
            | IRC::setActivationDelayCall::SELECTOR
            | IRC::setDefaultOperatorSplitCall::SELECTOR
            | IRC::setOperatorAVSSplitCall::SELECTOR
            | IRC::setOperatorPISplitCall::SELECTOR
            | IRC::setOperatorSetSplitCall::SELECTOR
            | IRC::setRewardsUpdaterCall::SELECTOR
            | IRC::setRewardsForAllSubmitterCall::SELECTOR
            | IRC::setFeeRecipientCall::SELECTOR
            | IRC::setOptInForProtocolFeeCall::SELECTOR
            | IPausable::pauseCall::SELECTOR
            | IPausable::pauseAllCall::SELECTOR
            | IPausable::unpauseCall::SELECTOR
            | ferrostake_interfaces::IOwnable::transferOwnershipCall::SELECTOR
            | ferrostake_interfaces::IOwnable::renounceOwnershipCall::SELECTOR => Program::Config,
            _ => Program::View,
        }
    }
}

/// The core program: roots and claims; every other selector is delegated to the
/// program serving it (see [`Program`]).
#[cfg(not(any(feature = "submissions", feature = "config", feature = "view")))]
#[public]
impl RewardsCoordinator {
    #[selector(name = "setImplementations")]
    pub fn set_implementations_abi(
        &mut self,
        submissions: Address,
        config: Address,
        view: Address,
    ) -> Result<(), Revert> {
        self.set_implementations(submissions, config, view)
    }

    #[selector(name = "submitRoot")]
    pub fn submit_root_abi(
        &mut self,
        root: B256,
        rewards_calculation_end_timestamp: u32,
    ) -> Result<(), Revert> {
        self.submit_root(root, rewards_calculation_end_timestamp)
    }

    #[selector(name = "disableRoot")]
    pub fn disable_root_abi(&mut self, root_index: u32) -> Result<(), Revert> {
        self.disable_root(root_index)
    }

    #[selector(name = "processClaim")]
    pub fn process_claim_abi(
        &mut self,
        claim: ClaimTuple,
        recipient: Address,
    ) -> Result<(), Revert> {
        self.process_claim(claim, recipient)
    }

    #[selector(name = "processClaims")]
    pub fn process_claims_abi(
        &mut self,
        claims: Vec<ClaimTuple>,
        recipient: Address,
    ) -> Result<(), Revert> {
        self.process_claims(claims, recipient)
    }

    /// `initialize` is decoded with alloy (its struct argument); every other selector runs in the
    /// program that serves it, in this storage.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Some(out) = self.serve_core(calldata) {
            return out;
        }
        let target = match Program::of(calldata) {
            Program::Submissions => self.submissions_implementation.get(),
            Program::Config => self.config_implementation.get(),
            Program::View => self.view_implementation.get(),
        };
        ferrostake_common::call::delegate(target, calldata)
    }
}

#[cfg(test)]
pub(crate) mod test_clock {
    use core::cell::Cell;

    std::thread_local! {
        static OFFSET: Cell<u64> = const { Cell::new(0) };
    }

    /// Seconds added to motsu's fixed block timestamp.
    pub fn offset() -> u64 {
        OFFSET.with(|o| o.get())
    }

    pub fn advance(seconds: u64) {
        OFFSET.with(|o| o.set(o.get() + seconds));
    }
}

#[cfg(all(
    test,
    not(any(feature = "submissions", feature = "config", feature = "view"))
))]
mod tests;
