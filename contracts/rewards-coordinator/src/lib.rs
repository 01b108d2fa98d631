//! RewardsCoordinator — distribution roots and Merkle claims (EigenLayer's `IRewardsCoordinator`).
//!
//! **State of this crate:** roots (`submitRoot`, `disableRoot`, activation delay), claims
//! (`processClaim(s)`, `checkClaim`, claimers, cumulative claimed amounts) and the leaf hashes are
//! implemented and tested natively. Rewards *submissions* (`create*RewardsSubmission`) and operator
//! splits are not implemented yet; the crate is a library until they are (see the issue tracker).
//!
//! Claims (EigenLayer's tree, so an off-chain calculator producing EigenLayer-compatible roots works
//! unchanged):
//! - token leaf `keccak256(abi.encodePacked(uint8(1), token, cumulativeEarnings))`;
//! - earner leaf `keccak256(abi.encodePacked(uint8(0), earner, earnerTokenRoot))`;
//! - keccak Merkle trees, index-based proofs (`common::merkle`), index < 2^(proof nodes);
//! - a claim pays `cumulativeEarnings − cumulativeClaimed[earner][token]` per token and records the
//!   new cumulative amount, so a root can never pay twice and later roots pay only the difference.
//!
//! | function | who | requirements |
//! |---|---|---|
//! | `submitRoot(root, end)` | rewards updater | roots not paused (bit 3); `end` strictly after the last root's and before now; activates after `activationDelay` |
//! | `disableRoot(i)` | rewards updater | root exists, not disabled, not yet activated |
//! | `processClaim(s)` | the earner's claimer (the earner by default) | claims not paused (bit 2); root activated and not disabled; proofs valid; each token's cumulative amount above what was claimed |
//! | `setClaimerFor(claimer)` | an earner | |
//! | `setActivationDelay`, `setRewardsUpdater` | owner | |
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use ferrostake_common::{
    access::{Initializable, Ownable, Pausable, ReentrancyGuard},
    call::safe_transfer,
    merkle, Revert,
};
use ferrostake_interfaces::{
    EarnerTreeMerkleLeaf, IRewardsCoordinator, RewardsMerkleClaim, TokenTreeMerkleLeaf,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32, StorageVec,
    },
    stylus_core::log,
};

/// `EARNER_LEAF_SALT`.
pub const EARNER_LEAF_SALT: u8 = 0;
/// `TOKEN_LEAF_SALT`.
pub const TOKEN_LEAF_SALT: u8 = 1;
/// Pause bit: claims.
pub const PAUSED_PROCESS_CLAIM: u8 = 2;
/// Pause bit: submitting and disabling roots.
pub const PAUSED_SUBMIT_DISABLE_ROOTS: u8 = 3;

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

/// One posted root.
#[storage]
pub struct StoredRoot {
    root: StorageB256,
    end: StorageU32,
    activated_at: StorageU32,
    disabled: StorageBool,
}

#[entrypoint]
#[storage]
pub struct RewardsCoordinator {
    init: Initializable,
    ownable: Ownable,
    pausable: Pausable,
    guard: ReentrancyGuard,
    rewards_updater: StorageAddress,
    activation_delay: StorageU32,
    curr_end: StorageU32,
    roots: StorageVec<StoredRoot>,
    claimer_for: StorageMap<Address, StorageAddress>,
    cumulative_claimed: StorageMap<Address, StorageMap<Address, StorageU256>>,
}

fn u32_of(v: alloy_primitives::Uint<32, 1>) -> u32 {
    v.to::<u32>()
}

impl RewardsCoordinator {
    fn now(&self) -> u32 {
        u32::try_from(self.vm().block_timestamp()).unwrap_or(u32::MAX)
    }

    fn only_rewards_updater(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.rewards_updater.get() {
            return Err(IRewardsCoordinator::UnauthorizedCaller {}.into());
        }
        Ok(())
    }

    fn root_at(&self, index: usize) -> Option<(B256, u32, u32, bool)> {
        let r = self.roots.get(index)?;
        Some((
            r.root.get(),
            u32_of(r.end.get()),
            u32_of(r.activated_at.get()),
            r.disabled.get(),
        ))
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
            .ok_or(Revert::from(IRewardsCoordinator::InvalidRootIndex {}))?;
        if disabled {
            return Err(IRewardsCoordinator::RootDisabled {}.into());
        }
        if self.now() < activated_at {
            return Err(IRewardsCoordinator::RootNotActivated {}.into());
        }
        if claim.tokenIndices.len() != claim.tokenTreeProofs.len()
            || claim.tokenTreeProofs.len() != claim.tokenLeaves.len()
        {
            return Err(IRewardsCoordinator::InputArrayLengthMismatch {}.into());
        }
        if claim.earnerLeaf.earner.is_zero() {
            return Err(IRewardsCoordinator::InvalidEarner {}.into());
        }
        verify_leaf(
            &claim.earnerTreeProof,
            root,
            earner_leaf_hash(&claim.earnerLeaf),
            claim.earnerIndex,
            IRewardsCoordinator::InvalidEarnerLeafIndex {}.into(),
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
                IRewardsCoordinator::InvalidTokenLeafIndex {}.into(),
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
            return Err(IRewardsCoordinator::UnauthorizedCaller {}.into());
        }
        for leaf in claim.tokenLeaves {
            let claimed = self.cumulative_claimed.getter(earner).get(leaf.token);
            if leaf.cumulativeEarnings <= claimed {
                return Err(IRewardsCoordinator::EarningsNotGreaterThanClaimed {}.into());
            }
            let amount = leaf.cumulativeEarnings - claimed;
            self.cumulative_claimed
                .setter(earner)
                .setter(leaf.token)
                .set(leaf.cumulativeEarnings);
            safe_transfer(leaf.token, recipient, amount)?;
            log(
                self.vm(),
                IRewardsCoordinator::RewardsClaimed {
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
        return Err(IRewardsCoordinator::InvalidProofLength {}.into());
    }
    let depth = proof.len() / 32;
    if depth < 32 && (index as u64) >= (1u64 << depth) {
        return Err(bad_index);
    }
    if !merkle::verify_inclusion_keccak(proof, root, leaf, index as u64)? {
        return Err(IRewardsCoordinator::InvalidClaimProof {}.into());
    }
    Ok(())
}

type ClaimTuple = (
    u32,
    u32,
    stylus_sdk::abi::Bytes,
    (Address, B256),
    Vec<u32>,
    Vec<stylus_sdk::abi::Bytes>,
    Vec<(Address, U256)>,
);

fn claim_of(t: ClaimTuple) -> RewardsMerkleClaim {
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

#[public]
impl RewardsCoordinator {
    /// One-shot initializer: the roots-and-claims subset of `RewardsCoordinatorInitParams` (the ABI's
    /// `initialize(RewardsCoordinatorInitParams)` comes with the submissions).
    pub fn initialize(
        &mut self,
        pauser_registry: Address,
        initial_owner: Address,
        initial_paused_status: U256,
        rewards_updater: Address,
        activation_delay: u32,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.pausable.init(pauser_registry, initial_paused_status)?;
        self.ownable.init(initial_owner)?;
        self.rewards_updater.set(rewards_updater);
        self.activation_delay
            .set(alloy_primitives::Uint::<32, 1>::from(activation_delay));
        Ok(())
    }

    #[selector(name = "submitRoot")]
    pub fn submit_root(
        &mut self,
        root: B256,
        rewards_calculation_end_timestamp: u32,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_SUBMIT_DISABLE_ROOTS)?;
        self.only_rewards_updater()?;
        if root.is_zero() {
            return Err(IRewardsCoordinator::EmptyRoot {}.into());
        }
        if rewards_calculation_end_timestamp <= u32_of(self.curr_end.get()) {
            return Err(IRewardsCoordinator::NewRootMustBeForNewCalculatedPeriod {}.into());
        }
        let now = self.now();
        if rewards_calculation_end_timestamp >= now {
            return Err(IRewardsCoordinator::RewardsEndTimestampNotElapsed {}.into());
        }
        let activated_at = now.saturating_add(u32_of(self.activation_delay.get()));
        let index = self.roots.len() as u32;
        let mut r = self.roots.grow();
        r.root.set(root);
        r.end.set(alloy_primitives::Uint::<32, 1>::from(
            rewards_calculation_end_timestamp,
        ));
        r.activated_at
            .set(alloy_primitives::Uint::<32, 1>::from(activated_at));
        self.curr_end.set(alloy_primitives::Uint::<32, 1>::from(
            rewards_calculation_end_timestamp,
        ));
        log(
            self.vm(),
            IRewardsCoordinator::DistributionRootSubmitted {
                rootIndex: index,
                root,
                rewardsCalculationEndTimestamp: rewards_calculation_end_timestamp,
                activatedAt: activated_at,
            },
        );
        Ok(())
    }

    #[selector(name = "disableRoot")]
    pub fn disable_root(&mut self, root_index: u32) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_SUBMIT_DISABLE_ROOTS)?;
        self.only_rewards_updater()?;
        let (_, _, activated_at, disabled) = self
            .root_at(root_index as usize)
            .ok_or(Revert::from(IRewardsCoordinator::InvalidRootIndex {}))?;
        if disabled {
            return Err(IRewardsCoordinator::RootDisabled {}.into());
        }
        if self.now() >= activated_at {
            return Err(IRewardsCoordinator::RootAlreadyActivated {}.into());
        }
        if let Some(mut r) = self.roots.setter(root_index as usize) {
            r.disabled.set(true);
        }
        log(
            self.vm(),
            IRewardsCoordinator::DistributionRootDisabled {
                rootIndex: root_index,
            },
        );
        Ok(())
    }

    #[selector(name = "processClaim")]
    pub fn process_claim(&mut self, claim: ClaimTuple, recipient: Address) -> Result<(), Revert> {
        self.pausable.require_not_paused(PAUSED_PROCESS_CLAIM)?;
        self.guard.enter()?;
        self.process_claim_inner(claim_of(claim), recipient)?;
        self.guard.exit();
        Ok(())
    }

    #[selector(name = "processClaims")]
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

    #[selector(name = "checkClaim")]
    pub fn check_claim(&self, claim: ClaimTuple) -> Result<bool, Revert> {
        self.check_claim_inner(&claim_of(claim)).map(|_| true)
    }

    #[selector(name = "setClaimerFor")]
    pub fn set_claimer_for(&mut self, claimer: Address) {
        let earner = self.vm().msg_sender();
        let old = self.claimer_for.get(earner);
        self.claimer_for.setter(earner).set(claimer);
        log(
            self.vm(),
            IRewardsCoordinator::ClaimerForSet {
                earner,
                oldClaimer: old,
                claimer,
            },
        );
    }

    #[selector(name = "claimerFor")]
    pub fn claimer_for(&self, earner: Address) -> Address {
        self.claimer_for.get(earner)
    }

    #[selector(name = "cumulativeClaimed")]
    pub fn cumulative_claimed(&self, earner: Address, token: Address) -> U256 {
        self.cumulative_claimed.getter(earner).get(token)
    }

    #[selector(name = "getDistributionRootsLength")]
    pub fn get_distribution_roots_length(&self) -> U256 {
        U256::from(self.roots.len())
    }

    #[selector(name = "getDistributionRootAtIndex")]
    pub fn get_distribution_root_at_index(
        &self,
        index: U256,
    ) -> Result<(B256, u32, u32, bool), Revert> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.root_at(i))
            .ok_or_else(|| IRewardsCoordinator::InvalidRootIndex {}.into())
    }

    #[selector(name = "getCurrentDistributionRoot")]
    pub fn get_current_distribution_root(&self) -> (B256, u32, u32, bool) {
        let n = self.roots.len();
        if n == 0 {
            (B256::ZERO, 0, 0, false)
        } else {
            self.root_at(n - 1).unwrap_or_default()
        }
    }

    #[selector(name = "getRootIndexFromHash")]
    pub fn get_root_index_from_hash(&self, root_hash: B256) -> Result<u32, Revert> {
        (0..self.roots.len())
            .rev()
            .find(|i| self.root_at(*i).map(|r| r.0) == Some(root_hash))
            .map(|i| i as u32)
            .ok_or_else(|| IRewardsCoordinator::InvalidRoot {}.into())
    }

    #[selector(name = "calculateEarnerLeafHash")]
    pub fn calculate_earner_leaf_hash(&self, leaf: (Address, B256)) -> B256 {
        earner_leaf_hash(&EarnerTreeMerkleLeaf {
            earner: leaf.0,
            earnerTokenRoot: leaf.1,
        })
    }

    #[selector(name = "calculateTokenLeafHash")]
    pub fn calculate_token_leaf_hash(&self, leaf: (Address, U256)) -> B256 {
        token_leaf_hash(&TokenTreeMerkleLeaf {
            token: leaf.0,
            cumulativeEarnings: leaf.1,
        })
    }

    #[selector(name = "currRewardsCalculationEndTimestamp")]
    pub fn curr_rewards_calculation_end_timestamp(&self) -> u32 {
        u32_of(self.curr_end.get())
    }

    #[selector(name = "activationDelay")]
    pub fn activation_delay(&self) -> u32 {
        u32_of(self.activation_delay.get())
    }

    #[selector(name = "rewardsUpdater")]
    pub fn rewards_updater(&self) -> Address {
        self.rewards_updater.get()
    }

    #[selector(name = "setActivationDelay")]
    pub fn set_activation_delay(&mut self, activation_delay: u32) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())?;
        let old = u32_of(self.activation_delay.get());
        self.activation_delay
            .set(alloy_primitives::Uint::<32, 1>::from(activation_delay));
        log(
            self.vm(),
            IRewardsCoordinator::ActivationDelaySet {
                oldActivationDelay: old,
                newActivationDelay: activation_delay,
            },
        );
        Ok(())
    }

    #[selector(name = "pauserRegistry")]
    pub fn pauser_registry(&self) -> Address {
        self.pausable.pauser_registry()
    }

    #[selector(name = "paused")]
    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    #[selector(name = "paused")]
    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }

    pub fn pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause(caller, new_paused_status)
    }

    pub fn unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.unpause(caller, new_paused_status)
    }

    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    #[selector(name = "setRewardsUpdater")]
    pub fn set_rewards_updater(&mut self, rewards_updater: Address) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())?;
        let old = self.rewards_updater.get();
        self.rewards_updater.set(rewards_updater);
        log(
            self.vm(),
            IRewardsCoordinator::RewardsUpdaterSet {
                oldRewardsUpdater: old,
                newRewardsUpdater: rewards_updater,
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests;
