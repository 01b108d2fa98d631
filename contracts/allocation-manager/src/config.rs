//! The AVS-side configuration functions (metadata, registrar, operator sets and their strategies,
//! slashers, slashing guards) and the guard's veto/execute. They are plain methods (native tests
//! call them directly); the config program (`--features config`) routes them, reached through the
//! logic program's fallback, and delegates what it does not serve to the view program.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::{call::static_call, Revert};
use ferrostake_interfaces::{IAVSRegistrar, IAllocationManager as IAM, SlashingGuard};
use stylus_sdk::{prelude::*, stylus_core::log};

use crate::{set_key, set_of_key, AllocationManager, GuardTuple, SetTuple, WAD_U64};

impl AllocationManager {
    pub fn update_avs_metadata_uri(
        &mut self,
        avs: Address,
        metadata_uri: String,
    ) -> Result<(), Revert> {
        self.check_can_call(avs, IAM::updateAVSMetadataURICall::SELECTOR)?;
        if !self.avs_metadata.get(avs) {
            self.avs_metadata.setter(avs).set(true);
        }
        log(
            self.vm(),
            IAM::AVSMetadataURIUpdated {
                avs,
                metadataURI: metadata_uri,
            },
        );
        Ok(())
    }

    pub fn set_avs_registrar(&mut self, avs: Address, registrar: Address) -> Result<(), Revert> {
        self.check_can_call(avs, IAM::setAVSRegistrarCall::SELECTOR)?;
        let ok = static_call(registrar, &IAVSRegistrar::supportsAVSCall { avs })?._0;
        if !ok {
            return Err(IAM::InvalidAVSRegistrar {}.into());
        }
        self.avs_registrar.setter(avs).set(registrar);
        log(
            self.vm(),
            IAM::AVSRegistrarSet {
                avs,
                registrar: self.avs_registrar_of(avs),
            },
        );
        Ok(())
    }

    /// `createOperatorSets(address, CreateSetParams[])`: the AVS is each set's slasher.
    pub fn create_operator_sets(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>)>,
    ) -> Result<(), Revert> {
        let sets = params.into_iter().map(|(id, s)| (id, s, avs)).collect();
        self.create_sets(avs, sets, None, IAM::createOperatorSets_0Call::SELECTOR)
    }

    /// `createOperatorSets(address, CreateSetParamsV2[])`.
    pub fn create_operator_sets_v2(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>, Address)>,
    ) -> Result<(), Revert> {
        self.create_sets(avs, params, None, IAM::createOperatorSets_1Call::SELECTOR)
    }

    pub fn create_redistributing_operator_sets(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>)>,
        redistribution_recipients: Vec<Address>,
    ) -> Result<(), Revert> {
        let sets = params.into_iter().map(|(id, s)| (id, s, avs)).collect();
        self.create_sets(
            avs,
            sets,
            Some(redistribution_recipients),
            IAM::createRedistributingOperatorSets_0Call::SELECTOR,
        )
    }

    pub fn create_redistributing_operator_sets_v2(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>, Address)>,
        redistribution_recipients: Vec<Address>,
    ) -> Result<(), Revert> {
        self.create_sets(
            avs,
            params,
            Some(redistribution_recipients),
            IAM::createRedistributingOperatorSets_1Call::SELECTOR,
        )
    }

    /// Ferrostake extension: V2 sets, each with a slashing guard.
    pub fn create_operator_sets_with_slashing_guard(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>, Address)>,
        guards: Vec<GuardTuple>,
    ) -> Result<(), Revert> {
        if guards.len() != params.len() {
            return Err(IAM::InputArrayLengthMismatch {}.into());
        }
        let ids: Vec<u32> = params.iter().map(|p| p.0).collect();
        self.create_sets(
            avs,
            params,
            None,
            IAM::createOperatorSetsWithSlashingGuardCall::SELECTOR,
        )?;
        let max_window = self.dealloc_delay();
        for (id, (max_wad, window, resolver)) in ids.into_iter().zip(guards) {
            if max_wad == 0
                || max_wad > WAD_U64
                || window > max_window
                || (window != 0 && resolver.is_zero())
            {
                return Err(IAM::InvalidSlashingGuard {}.into());
            }
            let key = set_key(avs, id);
            let mut g = self.guards.setter(key);
            g.max_wad.set(U256::from(max_wad).to());
            g.window.set(U256::from(window).to());
            g.resolver.set(resolver);
            log(
                self.vm(),
                IAM::SlashingGuardSet {
                    operatorSet: set_of_key(key),
                    guard: SlashingGuard {
                        maxWadPerIncident: max_wad,
                        vetoWindowBlocks: window,
                        resolver,
                    },
                },
            );
        }
        Ok(())
    }

    pub fn add_strategies_to_operator_set(
        &mut self,
        avs: Address,
        operator_set_id: u32,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.check_can_call(avs, IAM::addStrategiesToOperatorSetCall::SELECTOR)?;
        let key = self.require_set(avs, operator_set_id)?;
        let redistributing = !self.redistribution_recipients.get(key).is_zero();
        for s in strategies {
            self.add_strategy(key, s, redistributing)?;
        }
        Ok(())
    }

    pub fn remove_strategies_from_operator_set(
        &mut self,
        avs: Address,
        operator_set_id: u32,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.check_can_call(avs, IAM::removeStrategiesFromOperatorSetCall::SELECTOR)?;
        let key = self.require_set(avs, operator_set_id)?;
        for strategy in strategies {
            if !self.set_strategies.setter(key).remove(strategy.into_word()) {
                return Err(IAM::StrategyNotInOperatorSet {}.into());
            }
            log(
                self.vm(),
                IAM::StrategyRemovedFromOperatorSet {
                    operatorSet: set_of_key(key),
                    strategy,
                },
            );
        }
        Ok(())
    }

    pub fn update_slasher(
        &mut self,
        operator_set: SetTuple,
        slasher: Address,
    ) -> Result<(), Revert> {
        let (avs, id) = operator_set;
        self.check_can_call(avs, IAM::updateSlasherCall::SELECTOR)?;
        let key = self.require_set(avs, id)?;
        if self.slashers.getter(key).pending.get().is_zero() {
            return Err(IAM::SlasherNotSet {}.into());
        }
        self.set_slasher(key, slasher, false)
    }

    /// Every Ferrostake set gets its slasher at creation, so there is never anything to migrate
    /// (EigenLayer's function is a no-op in that case too).
    pub fn migrate_slashers(&mut self, _operator_sets: Vec<SetTuple>) {}

    /// Ferrostake extension: the resolver vetoes a queued slash while its window is open.
    pub fn veto_slash(
        &mut self,
        operator_set: SetTuple,
        queued_slash_id: U256,
    ) -> Result<(), Revert> {
        let key = set_key(operator_set.0, operator_set.1);
        let resolver = self.guards.getter(key).resolver.get();
        let caller = self.vm().msg_sender();
        if resolver.is_zero() || caller != resolver {
            return Err(IAM::OnlySlashResolver {}.into());
        }
        let block = self.block_number();
        let mut q = self.queued_slashes.setter(key);
        let mut s = q.setter(queued_slash_id);
        if s.params_hash.get().is_zero() {
            return Err(IAM::SlashNotQueued {}.into());
        }
        if s.vetoed.get() || s.executed.get() {
            return Err(IAM::SlashNotExecutable {}.into());
        }
        if block >= s.executable_at.get().to::<u32>() {
            return Err(IAM::SlashVetoWindowElapsed {}.into());
        }
        s.vetoed.set(true);
        let operator = s.operator.get();
        self.release(operator, key, false);
        log(
            self.vm(),
            IAM::SlashVetoed {
                operatorSet: set_of_key(key),
                queuedSlashId: queued_slash_id,
                resolver,
            },
        );
        Ok(())
    }
}

/// The config program's router.
#[cfg(feature = "config")]
#[public]
impl AllocationManager {
    #[selector(name = "updateAVSMetadataURI")]
    pub fn c_update_avs_metadata_uri(&mut self, avs: Address, uri: String) -> Result<(), Revert> {
        self.update_avs_metadata_uri(avs, uri)
    }
    #[selector(name = "setAVSRegistrar")]
    pub fn c_set_avs_registrar(&mut self, avs: Address, registrar: Address) -> Result<(), Revert> {
        self.set_avs_registrar(avs, registrar)
    }
    #[selector(name = "createOperatorSets")]
    pub fn c_create_operator_sets(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>)>,
    ) -> Result<(), Revert> {
        self.create_operator_sets(avs, params)
    }
    #[selector(name = "createOperatorSets")]
    pub fn c_create_operator_sets_v2(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>, Address)>,
    ) -> Result<(), Revert> {
        self.create_operator_sets_v2(avs, params)
    }
    #[selector(name = "createRedistributingOperatorSets")]
    pub fn c_create_redistributing_operator_sets(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>)>,
        recipients: Vec<Address>,
    ) -> Result<(), Revert> {
        self.create_redistributing_operator_sets(avs, params, recipients)
    }
    #[selector(name = "createRedistributingOperatorSets")]
    pub fn c_create_redistributing_operator_sets_v2(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>, Address)>,
        recipients: Vec<Address>,
    ) -> Result<(), Revert> {
        self.create_redistributing_operator_sets_v2(avs, params, recipients)
    }
    #[selector(name = "createOperatorSetsWithSlashingGuard")]
    pub fn c_create_operator_sets_with_slashing_guard(
        &mut self,
        avs: Address,
        params: Vec<(u32, Vec<Address>, Address)>,
        guards: Vec<GuardTuple>,
    ) -> Result<(), Revert> {
        self.create_operator_sets_with_slashing_guard(avs, params, guards)
    }
    #[selector(name = "addStrategiesToOperatorSet")]
    pub fn c_add_strategies_to_operator_set(
        &mut self,
        avs: Address,
        id: u32,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.add_strategies_to_operator_set(avs, id, strategies)
    }
    #[selector(name = "removeStrategiesFromOperatorSet")]
    pub fn c_remove_strategies_from_operator_set(
        &mut self,
        avs: Address,
        id: u32,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.remove_strategies_from_operator_set(avs, id, strategies)
    }
    #[selector(name = "updateSlasher")]
    pub fn c_update_slasher(&mut self, set: SetTuple, slasher: Address) -> Result<(), Revert> {
        self.update_slasher(set, slasher)
    }
    #[selector(name = "migrateSlashers")]
    pub fn c_migrate_slashers(&mut self, sets: Vec<SetTuple>) {
        self.migrate_slashers(sets)
    }
}
