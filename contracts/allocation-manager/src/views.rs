//! Read-only functions. They are plain methods (native tests call them directly); the view program
//! (`--features view`) routes them, and the logic program delegates unknown selectors to it.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use ferrostake_common::{
    call::static_call,
    math::{div_wad, mul_wad},
    Revert,
};
use ferrostake_interfaces::{Allocation, IDelegationManager, OperatorSet};
#[cfg(feature = "view")]
use stylus_sdk::{prelude::*, ArbResult};

use crate::{
    add_diff, set_key, set_of_key, Alloc, AllocationManager, SetTuple, DEFAULT_BURN_ADDRESS,
};

fn tuple(set: OperatorSet) -> SetTuple {
    (set.avs, set.id)
}

fn key_of(set: SetTuple) -> B256 {
    set_key(set.0, set.1)
}

impl AllocationManager {
    pub fn get_avs_registrar(&self, avs: Address) -> Address {
        self.avs_registrar_of(avs)
    }

    pub fn get_operator_set_count(&self, avs: Address) -> U256 {
        U256::from(self.operator_sets.getter(avs).len())
    }

    pub fn get_allocated_sets(&self, operator: Address) -> Vec<SetTuple> {
        self.allocated_sets
            .getter(operator)
            .values()
            .into_iter()
            .map(|k| tuple(set_of_key(k)))
            .collect()
    }

    pub fn get_allocated_strategies(&self, operator: Address, set: SetTuple) -> Vec<Address> {
        let by_op = self.allocated_strategies.getter(operator);
        let list = by_op.getter(key_of(set));
        list.values().into_iter().map(Address::from_word).collect()
    }

    /// The allocation as of the current block (a due pending change applied).
    pub fn get_allocation(&self, operator: Address, set: SetTuple, strategy: Address) -> Alloc {
        self.updated_alloc(operator, key_of(set), strategy).1
    }

    pub fn get_allocations(
        &self,
        operators: Vec<Address>,
        set: SetTuple,
        strategy: Address,
    ) -> Vec<Alloc> {
        operators
            .into_iter()
            .map(|o| self.get_allocation(o, set, strategy))
            .collect()
    }

    /// Every set the operator has allocated to, with its allocation from `strategy`.
    pub fn get_strategy_allocations(
        &self,
        operator: Address,
        strategy: Address,
    ) -> (Vec<OperatorSet>, Vec<Alloc>) {
        let keys = self.allocated_sets.getter(operator).values();
        let allocs = keys
            .iter()
            .map(|k| self.updated_alloc(operator, *k, strategy).1)
            .collect();
        (keys.into_iter().map(set_of_key).collect(), allocs)
    }

    /// Encumbered magnitude once every matured deallocation is cleared.
    pub fn get_encumbered_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        let mut enc = self.encumbered_of(operator, strategy);
        let block = self.block_number();
        let by_op = self.deallocation_queue.getter(operator);
        let q = by_op.getter(strategy);
        for i in 0..q.len() {
            let key = q.at(i);
            let a = self.stored_alloc(operator, key, strategy);
            // Not due, or held by a pending slash (the queue stops there, as clearing does).
            if block < a.effect || (a.pending < 0 && self.held(operator, key)) {
                break;
            }
            enc = add_diff(enc, a.pending);
        }
        enc
    }

    pub fn get_allocatable_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.max_magnitude(operator, strategy)
            .saturating_sub(self.get_encumbered_magnitude(operator, strategy))
    }

    pub fn get_max_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.max_magnitude(operator, strategy)
    }

    pub fn get_max_magnitudes(&self, operator: Address, strategies: Vec<Address>) -> Vec<u64> {
        self.max_magnitudes(operator, &strategies)
    }

    pub fn get_operators_max_magnitudes(
        &self,
        operators: Vec<Address>,
        strategy: Address,
    ) -> Vec<u64> {
        operators
            .into_iter()
            .map(|o| self.max_magnitude(o, strategy))
            .collect()
    }

    pub fn get_max_magnitudes_at_block(
        &self,
        operator: Address,
        strategies: Vec<Address>,
        block: u32,
    ) -> Vec<u64> {
        self.max_magnitudes_at(operator, &strategies, block)
    }

    /// `(isSet, delay)` in force now.
    pub fn get_allocation_delay(&self, operator: Address) -> (bool, u32) {
        self.delay_info(operator).at(self.block_number())
    }

    pub fn get_registered_sets(&self, operator: Address) -> Vec<SetTuple> {
        self.registered_sets
            .getter(operator)
            .values()
            .into_iter()
            .map(|k| tuple(set_of_key(k)))
            .collect()
    }

    pub fn is_member_of_operator_set(&self, operator: Address, set: SetTuple) -> bool {
        self.set_members
            .getter(key_of(set))
            .contains(operator.into_word())
    }

    pub fn is_operator_set(&self, set: SetTuple) -> bool {
        self.set_exists(set.0, set.1)
    }

    pub fn get_members(&self, set: SetTuple) -> Vec<Address> {
        self.set_members
            .getter(key_of(set))
            .values()
            .into_iter()
            .map(Address::from_word)
            .collect()
    }

    pub fn get_member_count(&self, set: SetTuple) -> U256 {
        U256::from(self.set_members.getter(key_of(set)).len())
    }

    pub fn get_strategies_in_operator_set(&self, set: SetTuple) -> Vec<Address> {
        self.set_strategies
            .getter(key_of(set))
            .values()
            .into_iter()
            .map(Address::from_word)
            .collect()
    }

    /// Stake each operator is sure to have slashable by the set until `future_block`:
    /// `shares · current / max`, where a pending *decrease* effective by then counts as done
    /// (pending increases never count). Zero for operators the set cannot slash.
    pub fn get_minimum_slashable_stake(
        &self,
        set: SetTuple,
        operators: Vec<Address>,
        strategies: Vec<Address>,
        future_block: u32,
    ) -> Result<Vec<Vec<U256>>, Revert> {
        self.slashable_stake(set, operators, strategies, Some(future_block))
    }

    /// Stake allocated right now (`shares · current / max`, pending changes not yet effective
    /// ignored), irrespective of whether the set can slash the operator (as EigenLayer's).
    pub fn get_allocated_stake(
        &self,
        set: SetTuple,
        operators: Vec<Address>,
        strategies: Vec<Address>,
    ) -> Result<Vec<Vec<U256>>, Revert> {
        self.slashable_stake(set, operators, strategies, None)
    }

    fn slashable_stake(
        &self,
        set: SetTuple,
        operators: Vec<Address>,
        strategies: Vec<Address>,
        future_block: Option<u32>,
    ) -> Result<Vec<Vec<U256>>, Revert> {
        let key = key_of(set);
        let shares = static_call(
            self.delegation.get(),
            &IDelegationManager::getOperatorsSharesCall {
                operators: operators.clone(),
                strategies: strategies.clone(),
            },
        )?
        ._0;
        let mut out = Vec::with_capacity(operators.len());
        for (i, operator) in operators.iter().enumerate() {
            let mut row = Vec::with_capacity(strategies.len());
            // Only the minimum slashable stake zeroes operators the set cannot slash.
            let slashable = future_block.is_none() || self.is_slashable(*operator, key);
            for (j, strategy) in strategies.iter().enumerate() {
                let max = self.max_magnitude(*operator, *strategy);
                if !slashable || max == 0 {
                    row.push(U256::ZERO);
                    continue;
                }
                let mut a = self.updated_alloc(*operator, key, *strategy).1;
                if let Some(b) = future_block {
                    if a.effect <= b && a.pending < 0 {
                        a.current = a.target();
                    }
                }
                let held = shares
                    .get(i)
                    .and_then(|r| r.get(j))
                    .copied()
                    .unwrap_or_default();
                let proportion = div_wad(U256::from(a.current), U256::from(max))?;
                row.push(mul_wad(held, proportion)?);
            }
            out.push(row);
        }
        Ok(out)
    }

    pub fn is_operator_slashable(&self, operator: Address, set: SetTuple) -> bool {
        self.is_slashable(operator, key_of(set))
    }

    pub fn get_redistribution_recipient(&self, set: SetTuple) -> Address {
        self.redistribution_recipient(key_of(set))
    }

    pub fn is_redistributing_operator_set(&self, set: SetTuple) -> bool {
        self.redistribution_recipient(key_of(set)) != DEFAULT_BURN_ADDRESS
    }

    /// Whether any set the operator is registered for or allocated to redistributes slashes.
    pub fn is_operator_redistributable(&self, operator: Address) -> bool {
        let registered = self.registered_sets.getter(operator).values();
        let allocated = self.allocated_sets.getter(operator).values();
        registered
            .into_iter()
            .chain(allocated)
            .any(|k| self.redistribution_recipient(k) != DEFAULT_BURN_ADDRESS)
    }

    pub fn get_slash_count(&self, set: SetTuple) -> U256 {
        self.slash_ids.get(key_of(set))
    }

    pub fn get_slasher(&self, set: SetTuple) -> Address {
        self.slasher_of(key_of(set))
    }

    /// `(pendingSlasher, effectBlock)` while a slasher change waits out its delay, else zeros.
    pub fn get_pending_slasher(&self, set: SetTuple) -> (Address, u32) {
        let p = self.slashers.getter(key_of(set));
        let effect: u32 = p.effect_block.get().to();
        if self.block_number() < effect {
            (p.pending.get(), effect)
        } else {
            (Address::ZERO, 0)
        }
    }

    /// Ferrostake extension: `(maxWadPerIncident, vetoWindowBlocks, resolver)`.
    pub fn get_slashing_guard(&self, set: SetTuple) -> (u64, u32, Address) {
        let g = self.guards.getter(key_of(set));
        (g.max_wad.get().to(), g.window.get().to(), g.resolver.get())
    }

    /// Ferrostake extension: `(paramsHash, executableAtBlock, vetoed, executed)`.
    pub fn get_queued_slash(&self, set: SetTuple, id: U256) -> (B256, u32, bool, bool) {
        let q = self.queued_slashes.getter(key_of(set));
        let s = q.getter(id);
        (
            s.params_hash.get(),
            s.executable_at.get().to(),
            s.vetoed.get(),
            s.executed.get(),
        )
    }

    pub fn delegation_address(&self) -> Address {
        self.delegation.get()
    }

    pub fn eigen_strategy_address(&self) -> Address {
        self.eigen_strategy.get()
    }

    pub fn permission_controller_address(&self) -> Address {
        self.permission_controller.get()
    }

    pub fn view_implementation_address(&self) -> Address {
        self.view_implementation.get()
    }

    pub fn config_implementation_address(&self) -> Address {
        self.config_implementation.get()
    }

    pub fn paused_status(&self) -> U256 {
        self.pausable.paused()
    }

    pub fn is_paused(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }

    pub fn pauser_registry_address(&self) -> Address {
        self.pausable.pauser_registry()
    }
}

impl Alloc {
    /// As the `sol!` struct.
    pub fn to_sol(self) -> Allocation {
        Allocation {
            currentMagnitude: self.current,
            pendingDiff: self.pending,
            effectBlock: self.effect,
        }
    }
}

/// The view program's router.
#[cfg(feature = "view")]
#[public]
impl AllocationManager {
    #[selector(name = "getAVSRegistrar")]
    pub fn v_get_avs_registrar(&self, avs: Address) -> Address {
        self.get_avs_registrar(avs)
    }
    #[selector(name = "getOperatorSetCount")]
    pub fn v_get_operator_set_count(&self, avs: Address) -> U256 {
        self.get_operator_set_count(avs)
    }
    #[selector(name = "getAllocatedSets")]
    pub fn v_get_allocated_sets(&self, operator: Address) -> Vec<SetTuple> {
        self.get_allocated_sets(operator)
    }
    #[selector(name = "getAllocatedStrategies")]
    pub fn v_get_allocated_strategies(&self, operator: Address, set: SetTuple) -> Vec<Address> {
        self.get_allocated_strategies(operator, set)
    }
    #[selector(name = "getAllocation")]
    pub fn v_get_allocation(
        &self,
        operator: Address,
        set: SetTuple,
        strategy: Address,
    ) -> (u64, i128, u32) {
        self.get_allocation(operator, set, strategy).abi()
    }
    #[selector(name = "getAllocations")]
    pub fn v_get_allocations(
        &self,
        operators: Vec<Address>,
        set: SetTuple,
        strategy: Address,
    ) -> Vec<(u64, i128, u32)> {
        self.get_allocations(operators, set, strategy)
            .into_iter()
            .map(Alloc::abi)
            .collect()
    }
    #[selector(name = "getEncumberedMagnitude")]
    pub fn v_get_encumbered_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.get_encumbered_magnitude(operator, strategy)
    }
    #[selector(name = "getAllocatableMagnitude")]
    pub fn v_get_allocatable_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.get_allocatable_magnitude(operator, strategy)
    }
    #[selector(name = "getMaxMagnitude")]
    pub fn v_get_max_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.get_max_magnitude(operator, strategy)
    }
    #[selector(name = "getMaxMagnitudes")]
    pub fn v_get_operators_max_magnitudes(
        &self,
        operators: Vec<Address>,
        strategy: Address,
    ) -> Vec<u64> {
        self.get_operators_max_magnitudes(operators, strategy)
    }
    #[selector(name = "getAllocationDelay")]
    pub fn v_get_allocation_delay(&self, operator: Address) -> (bool, u32) {
        self.get_allocation_delay(operator)
    }
    #[selector(name = "getRegisteredSets")]
    pub fn v_get_registered_sets(&self, operator: Address) -> Vec<SetTuple> {
        self.get_registered_sets(operator)
    }
    #[selector(name = "isMemberOfOperatorSet")]
    pub fn v_is_member_of_operator_set(&self, operator: Address, set: SetTuple) -> bool {
        self.is_member_of_operator_set(operator, set)
    }
    #[selector(name = "isOperatorSet")]
    pub fn v_is_operator_set(&self, set: SetTuple) -> bool {
        self.is_operator_set(set)
    }
    #[selector(name = "getMembers")]
    pub fn v_get_members(&self, set: SetTuple) -> Vec<Address> {
        self.get_members(set)
    }
    #[selector(name = "getMemberCount")]
    pub fn v_get_member_count(&self, set: SetTuple) -> U256 {
        self.get_member_count(set)
    }
    #[selector(name = "getStrategiesInOperatorSet")]
    pub fn v_get_strategies_in_operator_set(&self, set: SetTuple) -> Vec<Address> {
        self.get_strategies_in_operator_set(set)
    }
    #[selector(name = "getMinimumSlashableStake")]
    pub fn v_get_minimum_slashable_stake(
        &self,
        set: SetTuple,
        operators: Vec<Address>,
        strategies: Vec<Address>,
        future_block: u32,
    ) -> Result<Vec<Vec<U256>>, Revert> {
        self.get_minimum_slashable_stake(set, operators, strategies, future_block)
    }
    #[selector(name = "getAllocatedStake")]
    pub fn v_get_allocated_stake(
        &self,
        set: SetTuple,
        operators: Vec<Address>,
        strategies: Vec<Address>,
    ) -> Result<Vec<Vec<U256>>, Revert> {
        self.get_allocated_stake(set, operators, strategies)
    }
    #[selector(name = "isOperatorSlashable")]
    pub fn v_is_operator_slashable(&self, operator: Address, set: SetTuple) -> bool {
        self.is_operator_slashable(operator, set)
    }
    #[selector(name = "isRedistributingOperatorSet")]
    pub fn v_is_redistributing_operator_set(&self, set: SetTuple) -> bool {
        self.is_redistributing_operator_set(set)
    }
    #[selector(name = "isOperatorRedistributable")]
    pub fn v_is_operator_redistributable(&self, operator: Address) -> bool {
        self.is_operator_redistributable(operator)
    }
    #[selector(name = "getSlashCount")]
    pub fn v_get_slash_count(&self, set: SetTuple) -> U256 {
        self.get_slash_count(set)
    }
    #[selector(name = "getSlasher")]
    pub fn v_get_slasher(&self, set: SetTuple) -> Address {
        self.get_slasher(set)
    }
    #[selector(name = "getPendingSlasher")]
    pub fn v_get_pending_slasher(&self, set: SetTuple) -> (Address, u32) {
        self.get_pending_slasher(set)
    }
    #[selector(name = "getSlashingGuard")]
    pub fn v_get_slashing_guard(&self, set: SetTuple) -> (u64, u32, Address) {
        self.get_slashing_guard(set)
    }
    #[selector(name = "getQueuedSlash")]
    pub fn v_get_queued_slash(&self, set: SetTuple, id: U256) -> (B256, u32, bool, bool) {
        self.get_queued_slash(set, id)
    }
    #[selector(name = "getWithdrawalSlashHold")]
    pub fn v_get_withdrawal_slash_hold(&self, operator: Address, until: u32) -> (bool, u32) {
        self.withdrawal_slash_hold(operator, until)
    }
    #[selector(name = "delegation")]
    pub fn v_delegation(&self) -> Address {
        self.delegation_address()
    }
    #[selector(name = "eigenStrategy")]
    pub fn v_eigen_strategy(&self) -> Address {
        self.eigen_strategy_address()
    }
    #[selector(name = "permissionController")]
    pub fn v_permission_controller(&self) -> Address {
        self.permission_controller_address()
    }
    #[selector(name = "viewImplementation")]
    pub fn v_view_implementation(&self) -> Address {
        self.view_implementation_address()
    }
    /// Ferrostake extension: the program serving the AVS-side functions.
    #[selector(name = "configImplementation")]
    pub fn v_config_implementation(&self) -> Address {
        self.config_implementation_address()
    }
    #[selector(name = "DEALLOCATION_DELAY")]
    pub fn v_deallocation_delay(&self) -> u32 {
        self.dealloc_delay()
    }
    #[selector(name = "ALLOCATION_CONFIGURATION_DELAY")]
    pub fn v_allocation_configuration_delay(&self) -> u32 {
        self.config_delay()
    }
    #[selector(name = "SLASHER_CONFIGURATION_DELAY")]
    pub fn v_slasher_configuration_delay(&self) -> u32 {
        self.config_delay()
    }
    #[selector(name = "paused")]
    pub fn v_paused(&self) -> U256 {
        self.paused_status()
    }
    #[selector(name = "paused")]
    pub fn v_paused_index(&self, index: u8) -> bool {
        self.is_paused(index)
    }
    #[selector(name = "pauserRegistry")]
    pub fn v_pauser_registry(&self) -> Address {
        self.pauser_registry_address()
    }

    /// `getStrategyAllocations` returns two dynamic arrays, which stylus-sdk 0.9 mis-encodes as
    /// one tuple; it is encoded here with alloy.
    #[fallback]
    pub fn v_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        use alloy_sol_types::SolCall;
        use ferrostake_interfaces::IAllocationManager::getStrategyAllocationsCall as C;
        if calldata.get(..4) != Some(&C::SELECTOR[..]) {
            return Err(ferrostake_common::entry::unknown_selector());
        }
        let c = C::abi_decode(calldata, true).map_err(|_| Vec::new())?;
        let (sets, allocs) = self.get_strategy_allocations(c.operator, c.strategy);
        let allocs: Vec<Allocation> = allocs.into_iter().map(Alloc::to_sol).collect();
        Ok(C::abi_encode_returns(&(sets, allocs)))
    }
}
