//! Configuration: owner setters, claimers, operator splits, the protocol-fee opt-in, pausing and
//! ownership. Plain methods (native tests call them directly); the config program
//! (`--features config`) routes them, reached through the core's fallback.
#![cfg_attr(not(feature = "config"), allow(unused_imports))]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::{call::static_call, Revert};
use ferrostake_interfaces::{
    IAllocationManager, IDelegationManager, IRewardsCoordinator as IRC, OperatorSet,
};
use stylus_sdk::{prelude::*, stylus_core::log};

use crate::{
    overflow, set_key, OperatorSplit, RewardsCoordinator, SetTuple, ONE_HUNDRED_IN_BIPS,
    PAUSED_OPERATOR_AVS_SPLIT, PAUSED_OPERATOR_PI_SPLIT, PAUSED_OPERATOR_SET_SPLIT,
};

/// Which split a change is for (they differ only in storage, pause bit, selector and event).
enum SplitTarget {
    Avs(Address),
    Pi,
    Set(OperatorSet),
}

impl RewardsCoordinator {
    /// `setClaimerFor(claimer)`: the caller is the earner.
    pub fn set_claimer_for(&mut self, claimer: Address) {
        let earner = self.vm().msg_sender();
        self.set_claimer(earner, claimer);
    }

    /// `setClaimerFor(earner, claimer)`: the earner's PermissionController callers; the earner must
    /// be an operator or an AVS with at least one operator set (contracts that cannot call
    /// `setClaimerFor` themselves).
    pub fn set_claimer_for_earner(
        &mut self,
        earner: Address,
        claimer: Address,
    ) -> Result<(), Revert> {
        self.check_can_call(earner, IRC::setClaimerFor_1Call::SELECTOR)?;
        let is_operator = static_call(
            self.delegation_manager.get(),
            &IDelegationManager::isOperatorCall { operator: earner },
        )?
        ._0;
        if !is_operator {
            let sets = static_call(
                self.allocation_manager.get(),
                &IAllocationManager::getOperatorSetCountCall { avs: earner },
            )?
            ._0;
            if sets.is_zero() {
                return Err(IRC::InvalidEarner {}.into());
            }
        }
        self.set_claimer(earner, claimer);
        Ok(())
    }

    fn set_claimer(&mut self, earner: Address, claimer: Address) {
        let old = self.claimer_for.get(earner);
        self.claimer_for.setter(earner).set(claimer);
        log(
            self.vm(),
            IRC::ClaimerForSet {
                earner,
                oldClaimer: old,
                claimer,
            },
        );
    }

    pub fn set_activation_delay(&mut self, activation_delay: u32) -> Result<(), Revert> {
        self.only_owner()?;
        self.set_activation_delay_inner(activation_delay);
        Ok(())
    }

    pub fn set_default_operator_split(&mut self, split: u16) -> Result<(), Revert> {
        self.only_owner()?;
        if split > ONE_HUNDRED_IN_BIPS {
            return Err(IRC::SplitExceedsMax {}.into());
        }
        self.set_default_split_inner(split);
        Ok(())
    }

    pub fn set_rewards_updater(&mut self, rewards_updater: Address) -> Result<(), Revert> {
        self.only_owner()?;
        self.set_rewards_updater_inner(rewards_updater);
        Ok(())
    }

    pub fn set_rewards_for_all_submitter(
        &mut self,
        submitter: Address,
        new_value: bool,
    ) -> Result<(), Revert> {
        self.only_owner()?;
        let old = self.submitter_flag(submitter, crate::submitter::FOR_ALL_BIT);
        self.set_submitter_flag(submitter, crate::submitter::FOR_ALL_BIT, new_value);
        log(
            self.vm(),
            IRC::RewardsForAllSubmitterSet {
                rewardsForAllSubmitter: submitter,
                oldValue: old,
                newValue: new_value,
            },
        );
        Ok(())
    }

    pub fn set_fee_recipient(&mut self, fee_recipient: Address) -> Result<(), Revert> {
        self.only_owner()?;
        if fee_recipient.is_zero() {
            return Err(IRC::InvalidAddressZero {}.into());
        }
        self.set_fee_recipient_inner(fee_recipient);
        Ok(())
    }

    /// `setOptInForProtocolFee(submitter, value)`: the submitter's PermissionController callers.
    pub fn set_opt_in_for_protocol_fee(
        &mut self,
        submitter: Address,
        value: bool,
    ) -> Result<(), Revert> {
        self.check_can_call(submitter, IRC::setOptInForProtocolFeeCall::SELECTOR)?;
        let old = self.submitter_flag(submitter, crate::submitter::OPTED_IN_BIT);
        self.set_submitter_flag(submitter, crate::submitter::OPTED_IN_BIT, value);
        log(
            self.vm(),
            IRC::OptInForProtocolFeeSet {
                submitter,
                oldValue: old,
                newValue: value,
            },
        );
        Ok(())
    }

    pub fn set_operator_avs_split(
        &mut self,
        operator: Address,
        avs: Address,
        split: u16,
    ) -> Result<(), Revert> {
        self.set_split(operator, SplitTarget::Avs(avs), split)
    }

    pub fn set_operator_pi_split(&mut self, operator: Address, split: u16) -> Result<(), Revert> {
        self.set_split(operator, SplitTarget::Pi, split)
    }

    pub fn set_operator_set_split(
        &mut self,
        operator: Address,
        set: OperatorSet,
        split: u16,
    ) -> Result<(), Revert> {
        self.set_split(operator, SplitTarget::Set(set), split)
    }

    fn stored_split(&self, operator: Address, target: &SplitTarget) -> u64 {
        match target {
            SplitTarget::Avs(avs) => self.operator_avs_split.getter(operator).get(*avs),
            SplitTarget::Pi => self.operator_pi_split.get(operator),
            SplitTarget::Set(set) => self
                .operator_set_split
                .getter(operator)
                .get(set_key(set.avs, set.id)),
        }
        .to::<u64>()
    }

    /// The split of `operator` in force now, with the default for unset splits.
    pub fn split_now(&self, operator: Address, avs: Option<Address>, set_key: Option<B256>) -> u16 {
        let w = match (avs, set_key) {
            (Some(a), _) => self.operator_avs_split.getter(operator).get(a),
            (None, Some(k)) => self.operator_set_split.getter(operator).get(k),
            (None, None) => self.operator_pi_split.get(operator),
        };
        OperatorSplit::unpack(w.to::<u64>()).at(self.now(), self.default_split())
    }

    /// Schedules `split` for `operator`, effective `activationDelay` seconds from now.
    fn set_split(
        &mut self,
        operator: Address,
        target: SplitTarget,
        split: u16,
    ) -> Result<(), Revert> {
        let (bit, selector) = match target {
            SplitTarget::Avs(_) => (
                PAUSED_OPERATOR_AVS_SPLIT,
                IRC::setOperatorAVSSplitCall::SELECTOR,
            ),
            SplitTarget::Pi => (
                PAUSED_OPERATOR_PI_SPLIT,
                IRC::setOperatorPISplitCall::SELECTOR,
            ),
            SplitTarget::Set(_) => (
                PAUSED_OPERATOR_SET_SPLIT,
                IRC::setOperatorSetSplitCall::SELECTOR,
            ),
        };
        self.pausable.require_not_paused(bit)?;
        self.check_can_call(operator, selector)?;
        if let SplitTarget::Set(set) = &target {
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
        }
        if split > ONE_HUNDRED_IN_BIPS {
            return Err(IRC::SplitExceedsMax {}.into());
        }
        let now = self.now();
        let current = OperatorSplit::unpack(self.stored_split(operator, &target));
        if now <= current.activated_at {
            return Err(IRC::PreviousSplitPending {}.into());
        }
        let old_bips = current.at(now, self.default_split());
        let activated_at = now
            .checked_add(self.activation_delay_value())
            .ok_or_else(overflow)?;
        let next = OperatorSplit {
            // A first setting keeps following the default until it activates.
            old: if current.activated_at == 0 {
                u16::MAX
            } else {
                current.new
            },
            new: split,
            activated_at,
        };
        let word = U256::from(next.pack()).to();
        let caller = self.vm().msg_sender();
        match target {
            SplitTarget::Avs(avs) => {
                self.operator_avs_split
                    .setter(operator)
                    .setter(avs)
                    .set(word);
                log(
                    self.vm(),
                    IRC::OperatorAVSSplitBipsSet {
                        caller,
                        operator,
                        avs,
                        activatedAt: activated_at,
                        oldOperatorAVSSplitBips: old_bips,
                        newOperatorAVSSplitBips: split,
                    },
                );
            }
            SplitTarget::Pi => {
                self.operator_pi_split.setter(operator).set(word);
                log(
                    self.vm(),
                    IRC::OperatorPISplitBipsSet {
                        caller,
                        operator,
                        activatedAt: activated_at,
                        oldOperatorPISplitBips: old_bips,
                        newOperatorPISplitBips: split,
                    },
                );
            }
            SplitTarget::Set(set) => {
                self.operator_set_split
                    .setter(operator)
                    .setter(set_key(set.avs, set.id))
                    .set(word);
                log(
                    self.vm(),
                    IRC::OperatorSetSplitBipsSet {
                        caller,
                        operator,
                        operatorSet: set,
                        activatedAt: activated_at,
                        oldOperatorSetSplitBips: old_bips,
                        newOperatorSetSplitBips: split,
                    },
                );
            }
        }
        Ok(())
    }

    pub fn pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause(caller, new_paused_status)
    }

    pub fn pause_all(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause_all(caller)
    }

    pub fn unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.unpause(caller, new_paused_status)
    }

    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.transfer_ownership(caller, new_owner)
    }

    pub fn renounce_ownership(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.renounce_ownership(caller)
    }
}

/// The config program's router.
#[cfg(feature = "config")]
#[public]
impl RewardsCoordinator {
    #[selector(name = "setClaimerFor")]
    pub fn c_set_claimer_for(&mut self, claimer: Address) {
        self.set_claimer_for(claimer)
    }

    #[selector(name = "setClaimerFor")]
    pub fn c_set_claimer_for_earner(
        &mut self,
        earner: Address,
        claimer: Address,
    ) -> Result<(), Revert> {
        self.set_claimer_for_earner(earner, claimer)
    }

    #[selector(name = "setActivationDelay")]
    pub fn c_set_activation_delay(&mut self, activation_delay: u32) -> Result<(), Revert> {
        self.set_activation_delay(activation_delay)
    }

    #[selector(name = "setDefaultOperatorSplit")]
    pub fn c_set_default_operator_split(&mut self, split: u16) -> Result<(), Revert> {
        self.set_default_operator_split(split)
    }

    #[selector(name = "setRewardsUpdater")]
    pub fn c_set_rewards_updater(&mut self, rewards_updater: Address) -> Result<(), Revert> {
        self.set_rewards_updater(rewards_updater)
    }

    #[selector(name = "setRewardsForAllSubmitter")]
    pub fn c_set_rewards_for_all_submitter(
        &mut self,
        submitter: Address,
        new_value: bool,
    ) -> Result<(), Revert> {
        self.set_rewards_for_all_submitter(submitter, new_value)
    }

    #[selector(name = "setFeeRecipient")]
    pub fn c_set_fee_recipient(&mut self, fee_recipient: Address) -> Result<(), Revert> {
        self.set_fee_recipient(fee_recipient)
    }

    #[selector(name = "setOptInForProtocolFee")]
    pub fn c_set_opt_in_for_protocol_fee(
        &mut self,
        submitter: Address,
        value: bool,
    ) -> Result<(), Revert> {
        self.set_opt_in_for_protocol_fee(submitter, value)
    }

    #[selector(name = "setOperatorAVSSplit")]
    pub fn c_set_operator_avs_split(
        &mut self,
        operator: Address,
        avs: Address,
        split: u16,
    ) -> Result<(), Revert> {
        self.set_operator_avs_split(operator, avs, split)
    }

    #[selector(name = "setOperatorPISplit")]
    pub fn c_set_operator_pi_split(&mut self, operator: Address, split: u16) -> Result<(), Revert> {
        self.set_operator_pi_split(operator, split)
    }

    #[selector(name = "setOperatorSetSplit")]
    pub fn c_set_operator_set_split(
        &mut self,
        operator: Address,
        set: SetTuple,
        split: u16,
    ) -> Result<(), Revert> {
        self.set_operator_set_split(
            operator,
            OperatorSet {
                avs: set.0,
                id: set.1,
            },
            split,
        )
    }

    #[selector(name = "pause")]
    pub fn c_pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        self.pause(new_paused_status)
    }

    #[selector(name = "pauseAll")]
    pub fn c_pause_all(&mut self) -> Result<(), Revert> {
        self.pause_all()
    }

    #[selector(name = "unpause")]
    pub fn c_unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        self.unpause(new_paused_status)
    }

    #[selector(name = "transferOwnership")]
    pub fn c_transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        self.transfer_ownership(new_owner)
    }

    #[selector(name = "renounceOwnership")]
    pub fn c_renounce_ownership(&mut self) -> Result<(), Revert> {
        self.renounce_ownership()
    }
}
