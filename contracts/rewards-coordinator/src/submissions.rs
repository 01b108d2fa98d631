//! Rewards submissions: validation, escrow (with the opt-in protocol fee), hash and nonce
//! bookkeeping, events. Plain methods: the `submissions` program (`--features submissions`) serves
//! every `create*` function through [`RewardsCoordinator::serve_submissions`]; native tests call
//! them directly. Argument structs are decoded with alloy; each submission is ABI-encoded once and
//! those bytes serve both its hash and its event.

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use ferrostake_common::{
    call::{safe_transfer, safe_transfer_from, static_call},
    Revert,
};
use ferrostake_interfaces::{
    IAllocationManager, IRewardsCoordinator as IRC, IStrategyManager,
    OperatorDirectedRewardsSubmission, OperatorSet, RewardsSubmission, StrategyAndMultiplier,
};
use stylus_sdk::{prelude::*, ArbResult};

use crate::{
    kind, selector_of, RewardsCoordinator, BEACON_CHAIN_ETH_STRATEGY, MAX_REWARDS_AMOUNT,
    ONE_HUNDRED_IN_BIPS, PAUSED_AVS_REWARDS_SUBMISSION,
    PAUSED_OPERATOR_DIRECTED_AVS_REWARDS_SUBMISSION,
    PAUSED_OPERATOR_DIRECTED_OPERATOR_SET_REWARDS_SUBMISSION, PAUSED_REWARDS_FOR_ALL_SUBMISSION,
    PAUSED_REWARD_ALL_STAKERS_AND_OPERATORS, PAUSED_TOTAL_STAKE_REWARDS_SUBMISSION,
    PAUSED_UNIQUE_STAKE_REWARDS_SUBMISSION, PROTOCOL_FEE_BIPS,
};

/// The protocol fee on `amount` (rounded down: the submitter never pays more than 20 %).
pub fn protocol_fee(amount: U256) -> U256 {
    // amount ≤ MAX_REWARDS_AMOUNT < 2^127 (validated first), so the product cannot overflow.
    amount * U256::from(PROTOCOL_FEE_BIPS) / U256::from(ONE_HUNDRED_IN_BIPS)
}

/// Validation (reads only).
impl RewardsCoordinator {
    /// The checks every submission type shares: strategies, duration and start window.
    pub fn validate_common(
        &self,
        strategies: &[StrategyAndMultiplier],
        start: u32,
        duration: u32,
    ) -> Result<(), Revert> {
        if strategies.is_empty() {
            return Err(IRC::InputArrayLengthZero {}.into());
        }
        let interval = self.calculation_interval.get().to::<u32>();
        if duration > self.max_rewards_duration.get().to::<u32>() {
            return Err(IRC::DurationExceedsMax {}.into());
        }
        // `interval` is non-zero (checked at initialization).
        if !duration.is_multiple_of(interval) {
            return Err(IRC::InvalidDurationRemainder {}.into());
        }
        if duration == 0 {
            return Err(IRC::DurationIsZero {}.into());
        }
        if !start.is_multiple_of(interval) {
            return Err(IRC::InvalidStartTimestampRemainder {}.into());
        }
        let earliest = self
            .now()
            .saturating_sub(self.max_retroactive_length.get().to::<u32>())
            .max(self.genesis_rewards_timestamp.get().to::<u32>());
        if start < earliest {
            return Err(IRC::StartTimestampTooFarInPast {}.into());
        }
        let sm = self.strategy_manager.get();
        let mut previous = Address::ZERO;
        for s in strategies {
            if s.strategy != BEACON_CHAIN_ETH_STRATEGY
                && !static_call(
                    sm,
                    &IStrategyManager::strategyIsWhitelistedForDepositCall {
                        strategy: s.strategy,
                    },
                )?
                ._0
            {
                return Err(IRC::StrategyNotWhitelisted {}.into());
            }
            if s.strategy <= previous {
                return Err(IRC::StrategiesNotInAscendingOrder {}.into());
            }
            previous = s.strategy;
        }
        Ok(())
    }

    /// `RewardsSubmission` checks: the common ones, `0 < amount ≤ MAX_REWARDS_AMOUNT` and a start
    /// at most `MAX_FUTURE_LENGTH` ahead.
    pub fn validate_rewards_submission(&self, s: &RewardsSubmission) -> Result<(), Revert> {
        self.validate_common(&s.strategiesAndMultipliers, s.startTimestamp, s.duration)?;
        if s.amount.is_zero() {
            return Err(IRC::AmountIsZero {}.into());
        }
        if s.amount > MAX_REWARDS_AMOUNT {
            return Err(IRC::AmountExceedsMax {}.into());
        }
        let latest = self
            .now()
            .saturating_add(self.max_future_length.get().to::<u32>());
        if s.startTimestamp > latest {
            return Err(IRC::StartTimestampTooFarInFuture {}.into());
        }
        Ok(())
    }

    /// `OperatorDirectedRewardsSubmission` checks: the common ones, operators non-zero and strictly
    /// ascending with non-zero amounts summing to at most `MAX_REWARDS_AMOUNT`, and a range wholly
    /// in the past. Returns the total amount.
    pub fn validate_operator_directed(
        &self,
        s: &OperatorDirectedRewardsSubmission,
    ) -> Result<U256, Revert> {
        self.validate_common(&s.strategiesAndMultipliers, s.startTimestamp, s.duration)?;
        if s.operatorRewards.is_empty() {
            return Err(IRC::InputArrayLengthZero {}.into());
        }
        let mut total = U256::ZERO;
        let mut previous = Address::ZERO;
        for r in &s.operatorRewards {
            if r.operator.is_zero() {
                return Err(IRC::InputAddressZero {}.into());
            }
            if r.operator <= previous {
                return Err(IRC::OperatorsNotInAscendingOrder {}.into());
            }
            previous = r.operator;
            if r.amount.is_zero() {
                return Err(IRC::AmountIsZero {}.into());
            }
            // A sum beyond 2^256 is certainly beyond the maximum.
            total = total
                .checked_add(r.amount)
                .ok_or(Revert::from(IRC::AmountExceedsMax {}))?;
        }
        if total > MAX_REWARDS_AMOUNT {
            return Err(IRC::AmountExceedsMax {}.into());
        }
        let end = s.startTimestamp as u64 + s.duration as u64;
        if end >= self.now() as u64 {
            return Err(IRC::SubmissionNotRetroactive {}.into());
        }
        Ok(total)
    }

    fn require_operator_set(&self, set: &OperatorSet) -> Result<(), Revert> {
        let exists = static_call(
            self.allocation_manager.get(),
            &IAllocationManager::isOperatorSetCall {
                operatorSet: set.clone(),
            },
        )?
        ._0;
        if !exists {
            return Err(IRC::InvalidOperatorSet {}.into());
        }
        Ok(())
    }

    fn opted_in_caller(&self) -> bool {
        self.submitter_flag(self.vm().msg_sender(), crate::submitter::OPTED_IN_BIT)
    }
}

/// Effects.
impl RewardsCoordinator {
    /// Pulls `gross` of `token` from the caller and forwards `fee` of it to the fee recipient.
    fn escrow(&mut self, token: Address, gross: U256, fee: U256) -> Result<(), Revert> {
        let this = self.vm().contract_address();
        safe_transfer_from(token, self.vm().msg_sender(), this, gross)?;
        if !fee.is_zero() {
            safe_transfer(token, self.fee_recipient.get(), fee)?;
        }
        Ok(())
    }

    /// Records a `kind` submission of `key` whose `abi.encode(submission)` is `encoded` (an offset
    /// word, then the body): returns `(nonce, hash)`, hash = `keccak256(abi.encode(key, nonce,
    /// submission))`; the nonce increments.
    fn record(&mut self, key: Address, kind: u8, encoded: &[u8]) -> Result<(U256, B256), Revert> {
        let word = self.submitters.get(key);
        let nonce = crate::submitter::nonce(word);
        let mut preimage = Vec::with_capacity(64 + encoded.len());
        preimage.extend_from_slice(key.into_word().as_slice());
        preimage.extend_from_slice(&U256::from(nonce).to_be_bytes::<32>());
        // The submission is dynamic: its offset in a three-word head is 0x60.
        preimage.extend_from_slice(&U256::from(0x60u8).to_be_bytes::<32>());
        preimage.extend_from_slice(encoded.get(32..).unwrap_or_default());
        let hash = keccak256(&preimage);
        let mut by_key = self.submission_hashes.setter(key);
        let mut mask = by_key.setter(hash);
        let bits = mask.get().to::<u8>() | (1u8 << kind);
        mask.set(U256::from(bits).to());
        // A nonce counts submissions: 2^64 of them cannot happen, still checked.
        let next = nonce.checked_add(1).ok_or_else(crate::overflow)?;
        self.submitters
            .setter(key)
            .set(crate::submitter::with_nonce(word, next));
        Ok((U256::from(nonce), hash))
    }

    /// Emits a log: `topics`, then data = `head` words, the offset of the submission (right after
    /// the head) and the submission's body (`encoded` without its offset word). Every creation
    /// event is (indexed…, static head…, submission), so one encoding of the submission serves its
    /// hash and its event.
    fn emit_submission(&self, topics: &[B256], head: &[B256], encoded: &[u8]) {
        let mut bytes = Vec::with_capacity(32 * (topics.len() + head.len()) + encoded.len());
        for w in topics.iter().chain(head) {
            bytes.extend_from_slice(w.as_slice());
        }
        let offset = U256::from(32 * (head.len() + 1));
        bytes.extend_from_slice(&offset.to_be_bytes::<32>());
        bytes.extend_from_slice(encoded.get(32..).unwrap_or_default());
        self.vm().emit_log(&bytes, topics.len());
    }

    /// Validates, escrows (net of the fee) and records one amount-based submission.
    fn take_rewards_submission(
        &mut self,
        key: Address,
        kind: u8,
        mut s: RewardsSubmission,
    ) -> Result<(U256, B256, Vec<u8>), Revert> {
        self.validate_rewards_submission(&s)?;
        let fee = if self.opted_in_caller() {
            protocol_fee(s.amount)
        } else {
            U256::ZERO
        };
        self.escrow(s.token, s.amount, fee)?;
        // fee ≤ amount / 5.
        s.amount -= fee;
        let encoded = s.abi_encode();
        let (nonce, hash) = self.record(key, kind, &encoded)?;
        Ok((nonce, hash, encoded))
    }

    /// Validates, escrows (each operator's amount net of the fee) and records one operator-directed
    /// submission.
    fn take_operator_directed(
        &mut self,
        key: Address,
        kind: u8,
        mut s: OperatorDirectedRewardsSubmission,
    ) -> Result<(U256, B256, Vec<u8>), Revert> {
        let total = self.validate_operator_directed(&s)?;
        let mut fee = U256::ZERO;
        if self.opted_in_caller() {
            for r in s.operatorRewards.iter_mut() {
                let f = protocol_fee(r.amount);
                r.amount -= f;
                // Σ f ≤ total ≤ MAX_REWARDS_AMOUNT.
                fee += f;
            }
        }
        self.escrow(s.token, total, fee)?;
        let encoded = s.abi_encode();
        let (nonce, hash) = self.record(key, kind, &encoded)?;
        Ok((nonce, hash, encoded))
    }

    /// `createAVSRewardsSubmission`: the caller is the AVS.
    pub fn create_avs_rewards_submission(
        &mut self,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_AVS_REWARDS_SUBMISSION)?;
        let avs = self.vm().msg_sender();
        self.avs_submissions(avs, submissions)
    }

    /// `createEigenDARewardsSubmission(avs, …)`: only the EmissionsController (none is configured
    /// in Ferrostake, so this always reverts `UnauthorizedCaller`).
    pub fn create_eigen_da_rewards_submission(
        &mut self,
        avs: Address,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_AVS_REWARDS_SUBMISSION)?;
        let controller = self.emissions_controller.get();
        if controller.is_zero() || self.vm().msg_sender() != controller {
            return Err(IRC::UnauthorizedCaller {}.into());
        }
        self.avs_submissions(avs, submissions)
    }

    fn avs_submissions(
        &mut self,
        avs: Address,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.guard.enter()?;
        for s in submissions {
            let (nonce, hash, encoded) = self.take_rewards_submission(avs, kind::AVS, s)?;
            self.emit_submission(
                &[
                    IRC::AVSRewardsSubmissionCreated::SIGNATURE_HASH,
                    avs.into_word(),
                    nonce.into(),
                    hash,
                ],
                &[],
                &encoded,
            );
        }
        self.guard.exit();
        Ok(())
    }

    fn only_rewards_for_all_submitter(&self) -> Result<Address, Revert> {
        let caller = self.vm().msg_sender();
        if !self.submitter_flag(caller, crate::submitter::FOR_ALL_BIT) {
            return Err(IRC::UnauthorizedCaller {}.into());
        }
        Ok(caller)
    }

    /// `createRewardsForAllSubmission`: rewards-for-all submitters only.
    pub fn create_rewards_for_all_submission(
        &mut self,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_REWARDS_FOR_ALL_SUBMISSION)?;
        let submitter = self.only_rewards_for_all_submitter()?;
        self.guard.enter()?;
        for s in submissions {
            let (nonce, hash, encoded) =
                self.take_rewards_submission(submitter, kind::FOR_ALL, s)?;
            self.emit_submission(
                &[
                    IRC::RewardsSubmissionForAllCreated::SIGNATURE_HASH,
                    submitter.into_word(),
                    nonce.into(),
                    hash,
                ],
                &[],
                &encoded,
            );
        }
        self.guard.exit();
        Ok(())
    }

    /// `createRewardsForAllEarners`: rewards-for-all submitters only.
    pub fn create_rewards_for_all_earners(
        &mut self,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_REWARD_ALL_STAKERS_AND_OPERATORS)?;
        let submitter = self.only_rewards_for_all_submitter()?;
        self.guard.enter()?;
        for s in submissions {
            let (nonce, hash, encoded) =
                self.take_rewards_submission(submitter, kind::FOR_ALL_EARNERS, s)?;
            self.emit_submission(
                &[
                    IRC::RewardsSubmissionForAllEarnersCreated::SIGNATURE_HASH,
                    submitter.into_word(),
                    nonce.into(),
                    hash,
                ],
                &[],
                &encoded,
            );
        }
        self.guard.exit();
        Ok(())
    }

    /// `createOperatorDirectedAVSRewardsSubmission(avs, …)`: the AVS's PermissionController callers.
    pub fn create_operator_directed_avs_rewards_submission(
        &mut self,
        avs: Address,
        submissions: Vec<OperatorDirectedRewardsSubmission>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_OPERATOR_DIRECTED_AVS_REWARDS_SUBMISSION)?;
        self.check_can_call(
            avs,
            IRC::createOperatorDirectedAVSRewardsSubmissionCall::SELECTOR,
        )?;
        self.guard.enter()?;
        let caller = self.vm().msg_sender();
        for s in submissions {
            let (nonce, hash, encoded) =
                self.take_operator_directed(avs, kind::OPERATOR_DIRECTED_AVS, s)?;
            self.emit_submission(
                &[
                    IRC::OperatorDirectedAVSRewardsSubmissionCreated::SIGNATURE_HASH,
                    caller.into_word(),
                    avs.into_word(),
                    hash,
                ],
                &[nonce.into()],
                &encoded,
            );
        }
        self.guard.exit();
        Ok(())
    }

    /// `createOperatorDirectedOperatorSetRewardsSubmission(set, …)`: the set's AVS side.
    pub fn create_operator_directed_operator_set_rewards_submission(
        &mut self,
        set: OperatorSet,
        submissions: Vec<OperatorDirectedRewardsSubmission>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_OPERATOR_DIRECTED_OPERATOR_SET_REWARDS_SUBMISSION)?;
        self.check_can_call(
            set.avs,
            IRC::createOperatorDirectedOperatorSetRewardsSubmissionCall::SELECTOR,
        )?;
        self.guard.enter()?;
        self.require_operator_set(&set)?;
        let caller = self.vm().msg_sender();
        for s in submissions {
            let (nonce, hash, encoded) =
                self.take_operator_directed(set.avs, kind::OPERATOR_DIRECTED_OPERATOR_SET, s)?;
            self.emit_submission(
                &[
                    IRC::OperatorDirectedOperatorSetRewardsSubmissionCreated::SIGNATURE_HASH,
                    caller.into_word(),
                    hash,
                ],
                &[set.avs.into_word(), U256::from(set.id).into(), nonce.into()],
                &encoded,
            );
        }
        self.guard.exit();
        Ok(())
    }

    /// `createUniqueStakeRewardsSubmission(set, …)`: the set's AVS side.
    pub fn create_unique_stake_rewards_submission(
        &mut self,
        set: OperatorSet,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.stake_submissions(set, submissions, kind::UNIQUE_STAKE)
    }

    /// `createTotalStakeRewardsSubmission(set, …)`: the set's AVS side.
    pub fn create_total_stake_rewards_submission(
        &mut self,
        set: OperatorSet,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Revert> {
        self.stake_submissions(set, submissions, kind::TOTAL_STAKE)
    }

    fn stake_submissions(
        &mut self,
        set: OperatorSet,
        submissions: Vec<RewardsSubmission>,
        kind: u8,
    ) -> Result<(), Revert> {
        let unique = kind == kind::UNIQUE_STAKE;
        let (bit, selector) = if unique {
            (
                PAUSED_UNIQUE_STAKE_REWARDS_SUBMISSION,
                IRC::createUniqueStakeRewardsSubmissionCall::SELECTOR,
            )
        } else {
            (
                PAUSED_TOTAL_STAKE_REWARDS_SUBMISSION,
                IRC::createTotalStakeRewardsSubmissionCall::SELECTOR,
            )
        };
        self.pausable.require_not_paused(bit)?;
        self.check_can_call(set.avs, selector)?;
        self.guard.enter()?;
        self.require_operator_set(&set)?;
        let caller = self.vm().msg_sender();
        for s in submissions {
            let (nonce, hash, encoded) = self.take_rewards_submission(set.avs, kind, s)?;
            let signature = if unique {
                IRC::UniqueStakeRewardsSubmissionCreated::SIGNATURE_HASH
            } else {
                IRC::TotalStakeRewardsSubmissionCreated::SIGNATURE_HASH
            };
            self.emit_submission(
                &[signature, caller.into_word(), hash],
                &[set.avs.into_word(), U256::from(set.id).into(), nonce.into()],
                &encoded,
            );
        }
        self.guard.exit();
        Ok(())
    }

    /// Serves the submissions program's calldata (decoded with alloy); any other selector, or
    /// calldata that does not decode, reverts with empty data.
    pub fn serve_submissions(&mut self, calldata: &[u8]) -> ArbResult {
        fn decode<C: SolCall>(calldata: &[u8]) -> Result<C, Vec<u8>> {
            C::abi_decode(calldata, true).map_err(|_| Vec::new())
        }
        let out = match selector_of(calldata) {
            IRC::createAVSRewardsSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createAVSRewardsSubmissionCall>(calldata)?;
                self.create_avs_rewards_submission(c.rewardsSubmissions)
            }
            IRC::createRewardsForAllSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createRewardsForAllSubmissionCall>(calldata)?;
                self.create_rewards_for_all_submission(c.rewardsSubmissions)
            }
            IRC::createRewardsForAllEarnersCall::SELECTOR => {
                let c = decode::<IRC::createRewardsForAllEarnersCall>(calldata)?;
                self.create_rewards_for_all_earners(c.rewardsSubmissions)
            }
            IRC::createOperatorDirectedAVSRewardsSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createOperatorDirectedAVSRewardsSubmissionCall>(calldata)?;
                self.create_operator_directed_avs_rewards_submission(
                    c.avs,
                    c.operatorDirectedRewardsSubmissions,
                )
            }
            IRC::createOperatorDirectedOperatorSetRewardsSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createOperatorDirectedOperatorSetRewardsSubmissionCall>(
                    calldata,
                )?;
                self.create_operator_directed_operator_set_rewards_submission(
                    c.operatorSet,
                    c.operatorDirectedRewardsSubmissions,
                )
            }
            IRC::createUniqueStakeRewardsSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createUniqueStakeRewardsSubmissionCall>(calldata)?;
                self.create_unique_stake_rewards_submission(c.operatorSet, c.rewardsSubmissions)
            }
            IRC::createTotalStakeRewardsSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createTotalStakeRewardsSubmissionCall>(calldata)?;
                self.create_total_stake_rewards_submission(c.operatorSet, c.rewardsSubmissions)
            }
            IRC::createEigenDARewardsSubmissionCall::SELECTOR => {
                let c = decode::<IRC::createEigenDARewardsSubmissionCall>(calldata)?;
                self.create_eigen_da_rewards_submission(c.avs, c.rewardsSubmissions)
            }
            _ => return Err(ferrostake_common::entry::unknown_selector()),
        };
        out.map(|()| Vec::new()).map_err(Vec::from)
    }
}

/// The submissions program: every `create*` function.
#[cfg(feature = "submissions")]
#[public]
impl RewardsCoordinator {
    #[fallback]
    pub fn s_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_submissions(calldata)
    }
}
