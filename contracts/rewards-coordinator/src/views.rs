//! Views. Plain methods (native tests call them directly); the view program (`--features view`)
//! routes them, reached through the core's fallback. Every return is a static tuple, so
//! stylus-sdk's encoder is used as is.
#![cfg_attr(not(feature = "view"), allow(unused_imports))]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use ferrostake_common::Revert;
use ferrostake_interfaces::{
    EarnerTreeMerkleLeaf, IRewardsCoordinator as IRC, TokenTreeMerkleLeaf,
};
use stylus_sdk::prelude::*;

use crate::{
    claim_of, earner_leaf_hash, kind, set_key, token_leaf_hash, u32_of, ClaimTuple,
    RewardsCoordinator, SetTuple, BEACON_CHAIN_ETH_STRATEGY,
};

/// The ABI's `DistributionRoot` tuple.
pub type RootTuple = (B256, u32, u32, bool);

impl RewardsCoordinator {
    pub fn check_claim(&self, claim: ClaimTuple) -> Result<bool, Revert> {
        self.check_claim_inner(&claim_of(claim)).map(|_| true)
    }

    pub fn claimer_for(&self, earner: Address) -> Address {
        self.claimer_for.get(earner)
    }

    pub fn cumulative_claimed(&self, earner: Address, token: Address) -> U256 {
        self.cumulative_claimed.getter(earner).get(token)
    }

    pub fn get_distribution_roots_length(&self) -> U256 {
        U256::from(self.roots_count())
    }

    pub fn get_distribution_root_at_index(&self, index: U256) -> Result<RootTuple, Revert> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.root_at(i))
            .ok_or_else(|| IRC::InvalidRootIndex {}.into())
    }

    /// The latest root (all zero when none was posted).
    pub fn get_current_distribution_root(&self) -> RootTuple {
        match self.roots_count() {
            0 => Default::default(),
            n => self.root_at(n as usize - 1).unwrap_or_default(),
        }
    }

    /// The latest root that is activated and not disabled (all zero when there is none).
    pub fn get_current_claimable_distribution_root(&self) -> RootTuple {
        let now = self.now();
        (0..self.roots_count() as usize)
            .rev()
            .filter_map(|i| self.root_at(i))
            .find(|r| !r.3 && now >= r.2)
            .unwrap_or_default()
    }

    pub fn get_root_index_from_hash(&self, root_hash: B256) -> Result<u32, Revert> {
        (0..self.roots_count() as usize)
            .rev()
            .find(|i| self.root_at(*i).map(|r| r.0) == Some(root_hash))
            .map(|i| i as u32)
            .ok_or_else(|| IRC::InvalidRoot {}.into())
    }

    pub fn curr_rewards_calculation_end_timestamp(&self) -> u32 {
        u32_of(self.curr_end.get())
    }

    pub fn activation_delay(&self) -> u32 {
        self.activation_delay_value()
    }

    pub fn rewards_updater(&self) -> Address {
        self.rewards_updater.get()
    }

    pub fn default_operator_split_bips(&self) -> u16 {
        self.default_split()
    }

    pub fn get_operator_avs_split(&self, operator: Address, avs: Address) -> u16 {
        self.split_now(operator, Some(avs), None)
    }

    pub fn get_operator_pi_split(&self, operator: Address) -> u16 {
        self.split_now(operator, None, None)
    }

    pub fn get_operator_set_split(&self, operator: Address, set: SetTuple) -> u16 {
        self.split_now(operator, None, Some(set_key(set.0, set.1)))
    }

    pub fn fee_recipient(&self) -> Address {
        self.fee_recipient.get()
    }

    pub fn is_opted_in_for_protocol_fee(&self, submitter: Address) -> bool {
        self.submitter_flag(submitter, crate::submitter::OPTED_IN_BIT)
    }

    pub fn is_rewards_for_all_submitter(&self, submitter: Address) -> bool {
        self.submitter_flag(submitter, crate::submitter::FOR_ALL_BIT)
    }

    pub fn submission_nonce(&self, avs: Address) -> U256 {
        U256::from(crate::submitter::nonce(self.submitters.get(avs)))
    }

    /// Whether `hash` was recorded for `avs` as a submission of kind `k` (see [`kind`]).
    pub fn is_submission_hash(&self, k: u8, avs: Address, hash: B256) -> bool {
        let mask = self.submission_hashes.getter(avs).get(hash).to::<u8>();
        mask & (1u8 << k) != 0
    }

    pub fn calendar(&self) -> (u32, u32, u32, u32, u32) {
        (
            self.calculation_interval.get().to(),
            self.max_rewards_duration.get().to(),
            self.max_retroactive_length.get().to(),
            self.max_future_length.get().to(),
            self.genesis_rewards_timestamp.get().to(),
        )
    }

    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }

    /// `(delegationManager, strategyManager, allocationManager, permissionController, pauserRegistry)`.
    pub fn wiring(&self) -> (Address, Address, Address, Address, Address) {
        (
            self.delegation_manager.get(),
            self.strategy_manager.get(),
            self.allocation_manager.get(),
            self.permission_controller.get(),
            self.pausable.pauser_registry(),
        )
    }

    /// `(submissions, config, view)` programs.
    pub fn implementations(&self) -> (Address, Address, Address) {
        (
            self.submissions_implementation.get(),
            self.config_implementation.get(),
            self.view_implementation.get(),
        )
    }
}

/// The view program's router.
#[cfg(feature = "view")]
#[public]
impl RewardsCoordinator {
    #[selector(name = "CALCULATION_INTERVAL_SECONDS")]
    pub fn v_calculation_interval_seconds(&self) -> u32 {
        self.calendar().0
    }

    #[selector(name = "MAX_REWARDS_DURATION")]
    pub fn v_max_rewards_duration(&self) -> u32 {
        self.calendar().1
    }

    #[selector(name = "MAX_RETROACTIVE_LENGTH")]
    pub fn v_max_retroactive_length(&self) -> u32 {
        self.calendar().2
    }

    #[selector(name = "MAX_FUTURE_LENGTH")]
    pub fn v_max_future_length(&self) -> u32 {
        self.calendar().3
    }

    #[selector(name = "GENESIS_REWARDS_TIMESTAMP")]
    pub fn v_genesis_rewards_timestamp(&self) -> u32 {
        self.calendar().4
    }

    #[selector(name = "activationDelay")]
    pub fn v_activation_delay(&self) -> u32 {
        self.activation_delay()
    }

    #[selector(name = "delegationManager")]
    pub fn v_delegation_manager(&self) -> Address {
        self.wiring().0
    }

    #[selector(name = "strategyManager")]
    pub fn v_strategy_manager(&self) -> Address {
        self.wiring().1
    }

    #[selector(name = "allocationManager")]
    pub fn v_allocation_manager(&self) -> Address {
        self.wiring().2
    }

    #[selector(name = "permissionController")]
    pub fn v_permission_controller(&self) -> Address {
        self.wiring().3
    }

    #[selector(name = "pauserRegistry")]
    pub fn v_pauser_registry(&self) -> Address {
        self.wiring().4
    }

    #[selector(name = "emissionsController")]
    pub fn v_emissions_controller(&self) -> Address {
        self.emissions_controller.get()
    }

    #[selector(name = "beaconChainETHStrategy")]
    pub fn v_beacon_chain_eth_strategy(&self) -> Address {
        BEACON_CHAIN_ETH_STRATEGY
    }

    #[selector(name = "submissionsImplementation")]
    pub fn v_submissions_implementation(&self) -> Address {
        self.implementations().0
    }

    #[selector(name = "configImplementation")]
    pub fn v_config_implementation(&self) -> Address {
        self.implementations().1
    }

    #[selector(name = "viewImplementation")]
    pub fn v_view_implementation(&self) -> Address {
        self.implementations().2
    }

    #[selector(name = "calculateEarnerLeafHash")]
    pub fn v_calculate_earner_leaf_hash(&self, leaf: (Address, B256)) -> B256 {
        earner_leaf_hash(&EarnerTreeMerkleLeaf {
            earner: leaf.0,
            earnerTokenRoot: leaf.1,
        })
    }

    #[selector(name = "calculateTokenLeafHash")]
    pub fn v_calculate_token_leaf_hash(&self, leaf: (Address, U256)) -> B256 {
        token_leaf_hash(&TokenTreeMerkleLeaf {
            token: leaf.0,
            cumulativeEarnings: leaf.1,
        })
    }

    #[selector(name = "checkClaim")]
    pub fn v_check_claim(&self, claim: ClaimTuple) -> Result<bool, Revert> {
        self.check_claim(claim)
    }

    #[selector(name = "claimerFor")]
    pub fn v_claimer_for(&self, earner: Address) -> Address {
        self.claimer_for(earner)
    }

    #[selector(name = "cumulativeClaimed")]
    pub fn v_cumulative_claimed(&self, earner: Address, token: Address) -> U256 {
        self.cumulative_claimed(earner, token)
    }

    #[selector(name = "currRewardsCalculationEndTimestamp")]
    pub fn v_curr_rewards_calculation_end_timestamp(&self) -> u32 {
        self.curr_rewards_calculation_end_timestamp()
    }

    #[selector(name = "defaultOperatorSplitBips")]
    pub fn v_default_operator_split_bips(&self) -> u16 {
        self.default_operator_split_bips()
    }

    #[selector(name = "feeRecipient")]
    pub fn v_fee_recipient(&self) -> Address {
        self.fee_recipient()
    }

    #[selector(name = "getCurrentClaimableDistributionRoot")]
    pub fn v_get_current_claimable_distribution_root(&self) -> RootTuple {
        self.get_current_claimable_distribution_root()
    }

    #[selector(name = "getCurrentDistributionRoot")]
    pub fn v_get_current_distribution_root(&self) -> RootTuple {
        self.get_current_distribution_root()
    }

    #[selector(name = "getDistributionRootAtIndex")]
    pub fn v_get_distribution_root_at_index(&self, index: U256) -> Result<RootTuple, Revert> {
        self.get_distribution_root_at_index(index)
    }

    #[selector(name = "getDistributionRootsLength")]
    pub fn v_get_distribution_roots_length(&self) -> U256 {
        self.get_distribution_roots_length()
    }

    #[selector(name = "getOperatorAVSSplit")]
    pub fn v_get_operator_avs_split(&self, operator: Address, avs: Address) -> u16 {
        self.get_operator_avs_split(operator, avs)
    }

    #[selector(name = "getOperatorPISplit")]
    pub fn v_get_operator_pi_split(&self, operator: Address) -> u16 {
        self.get_operator_pi_split(operator)
    }

    #[selector(name = "getOperatorSetSplit")]
    pub fn v_get_operator_set_split(&self, operator: Address, set: SetTuple) -> u16 {
        self.get_operator_set_split(operator, set)
    }

    #[selector(name = "getRootIndexFromHash")]
    pub fn v_get_root_index_from_hash(&self, root_hash: B256) -> Result<u32, Revert> {
        self.get_root_index_from_hash(root_hash)
    }

    #[selector(name = "rewardsUpdater")]
    pub fn v_rewards_updater(&self) -> Address {
        self.rewards_updater()
    }

    #[selector(name = "isOptedInForProtocolFee")]
    pub fn v_is_opted_in_for_protocol_fee(&self, submitter: Address) -> bool {
        self.is_opted_in_for_protocol_fee(submitter)
    }

    #[selector(name = "isRewardsForAllSubmitter")]
    pub fn v_is_rewards_for_all_submitter(&self, submitter: Address) -> bool {
        self.is_rewards_for_all_submitter(submitter)
    }

    #[selector(name = "submissionNonce")]
    pub fn v_submission_nonce(&self, avs: Address) -> U256 {
        self.submission_nonce(avs)
    }

    #[selector(name = "isAVSRewardsSubmissionHash")]
    pub fn v_is_avs_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::AVS, avs, hash)
    }

    #[selector(name = "isRewardsSubmissionForAllHash")]
    pub fn v_is_for_all_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::FOR_ALL, avs, hash)
    }

    #[selector(name = "isRewardsSubmissionForAllEarnersHash")]
    pub fn v_is_for_all_earners_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::FOR_ALL_EARNERS, avs, hash)
    }

    #[selector(name = "isOperatorDirectedAVSRewardsSubmissionHash")]
    pub fn v_is_od_avs_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::OPERATOR_DIRECTED_AVS, avs, hash)
    }

    #[selector(name = "isOperatorDirectedOperatorSetRewardsSubmissionHash")]
    pub fn v_is_od_set_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::OPERATOR_DIRECTED_OPERATOR_SET, avs, hash)
    }

    #[selector(name = "isUniqueStakeRewardsSubmissionHash")]
    pub fn v_is_unique_stake_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::UNIQUE_STAKE, avs, hash)
    }

    #[selector(name = "isTotalStakeRewardsSubmissionHash")]
    pub fn v_is_total_stake_hash(&self, avs: Address, hash: B256) -> bool {
        self.is_submission_hash(kind::TOTAL_STAKE, avs, hash)
    }

    #[selector(name = "owner")]
    pub fn v_owner(&self) -> Address {
        self.owner()
    }

    #[selector(name = "paused")]
    pub fn v_paused_all(&self) -> U256 {
        self.paused_all()
    }

    #[selector(name = "paused")]
    pub fn v_paused_index(&self, index: u8) -> bool {
        self.paused_index(index)
    }
}
