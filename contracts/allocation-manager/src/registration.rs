//! Operator registration for operator sets and the pause switches. Plain methods (native tests
//! call them directly); the registration program (`--features registration`) routes them, reached
//! through the core program's fallback.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::{call::call, Revert};
use ferrostake_interfaces::IAVSRegistrar;
use ferrostake_interfaces::IAllocationManager as IAM;
use stylus_sdk::{prelude::*, stylus_core::log};

use crate::{set_of_key, AllocationManager, PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION};

/// The ABI's `RegisterParams` tuple: `(avs, operatorSetIds, data)`.
pub type RegisterTuple = (Address, Vec<u32>, stylus_sdk::abi::Bytes);
/// The ABI's `DeregisterParams` tuple: `(operator, avs, operatorSetIds)`.
pub type DeregisterTuple = (Address, Address, Vec<u32>);

impl AllocationManager {
    pub fn register_for_operator_sets(
        &mut self,
        operator: Address,
        params: RegisterTuple,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION)?;
        self.check_can_call(operator, IAM::registerForOperatorSetsCall::SELECTOR)?;
        self.require_operator(operator)?;
        let (avs, ids, data) = params;
        self.guard.enter()?;
        for id in &ids {
            let key = self.require_set(avs, *id)?;
            if self.is_slashable(operator, key) {
                return Err(IAM::AlreadyMemberOfSet {}.into());
            }
            self.registered_sets.setter(operator).add(key);
            self.set_members.setter(key).add(operator.into_word());
            self.registration
                .setter(operator)
                .setter(key)
                .set(U256::from(1u64 << 32).to());
            log(
                self.vm(),
                IAM::OperatorAddedToOperatorSet {
                    operator,
                    operatorSet: set_of_key(key),
                },
            );
        }
        call(
            self.avs_registrar_of(avs),
            &IAVSRegistrar::registerOperatorCall {
                operator,
                avs,
                operatorSetIds: ids,
                data: data.0.into(),
            },
        )?;
        self.guard.exit();
        Ok(())
    }

    pub fn deregister_from_operator_sets(&mut self, params: DeregisterTuple) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION)?;
        let (operator, avs, ids) = params;
        let selector = IAM::deregisterFromOperatorSetsCall::SELECTOR;
        if !self.can_call(operator, selector)? && !self.can_call(avs, selector)? {
            return Err(IAM::InvalidCaller {}.into());
        }
        let until = self.block_plus(self.dealloc_delay())?;
        self.guard.enter()?;
        for id in &ids {
            let key = self.require_set(avs, *id)?;
            if !self.registration_of(operator, key).0 {
                return Err(IAM::NotMemberOfSet {}.into());
            }
            self.registered_sets.setter(operator).remove(key);
            self.set_members.setter(key).remove(operator.into_word());
            self.registration
                .setter(operator)
                .setter(key)
                .set(U256::from(until).to());
            log(
                self.vm(),
                IAM::OperatorRemovedFromOperatorSet {
                    operator,
                    operatorSet: set_of_key(key),
                },
            );
        }
        call(
            self.avs_registrar_of(avs),
            &IAVSRegistrar::deregisterOperatorCall {
                operator,
                avs,
                operatorSetIds: ids,
            },
        )?;
        self.guard.exit();
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
}

/// The registration program's router.
#[cfg(feature = "registration")]
#[public]
impl AllocationManager {
    #[selector(name = "registerForOperatorSets")]
    pub fn r_register_for_operator_sets(
        &mut self,
        operator: Address,
        params: RegisterTuple,
    ) -> Result<(), Revert> {
        self.register_for_operator_sets(operator, params)
    }
    #[selector(name = "deregisterFromOperatorSets")]
    pub fn r_deregister_from_operator_sets(
        &mut self,
        params: DeregisterTuple,
    ) -> Result<(), Revert> {
        self.deregister_from_operator_sets(params)
    }
    #[selector(name = "pause")]
    pub fn r_pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        self.pause(new_paused_status)
    }
    #[selector(name = "pauseAll")]
    pub fn r_pause_all(&mut self) -> Result<(), Revert> {
        self.pause_all()
    }
    #[selector(name = "unpause")]
    pub fn r_unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        self.unpause(new_paused_status)
    }
}
