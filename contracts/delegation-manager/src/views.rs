//! Read-only functions. They are plain methods (native tests call them directly); the view program
//! (`--features view`) routes them, and the logic program delegates unknown selectors to it.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use ferrostake_common::{slashing, Revert};
use ferrostake_interfaces::{IDelegationManager, Withdrawal};
#[cfg(feature = "view")]
use stylus_sdk::prelude::*;

use crate::{
    delegation_approval_typehash, withdrawal_root, DelegationManager, BEACON_CHAIN_ETH_STRATEGY,
    VERSION,
};

/// A `Withdrawal` in its ABI tuple form.
pub type WithdrawalTuple = (
    Address,
    Address,
    Address,
    U256,
    u32,
    Vec<Address>,
    Vec<U256>,
);

fn tuple(w: Withdrawal) -> WithdrawalTuple {
    (
        w.staker,
        w.delegatedTo,
        w.withdrawer,
        w.nonce,
        w.startBlock,
        w.strategies,
        w.scaledShares,
    )
}

impl DelegationManager {
    pub fn delegation_approver(&self, operator: Address) -> Address {
        self.delegation_approver.get(operator)
    }

    pub fn delegation_approver_salt_is_spent(&self, approver: Address, salt: B256) -> bool {
        self.salt_spent.getter(approver).get(salt)
    }

    pub fn cumulative_withdrawals_queued(&self, staker: Address) -> U256 {
        self.cumulative_withdrawals_queued.get(staker)
    }

    pub fn is_delegated(&self, staker: Address) -> bool {
        !self.delegated_to.get(staker).is_zero()
    }

    pub fn is_operator(&self, operator: Address) -> bool {
        self.is_operator_inner(operator)
    }

    pub fn delegated_to_of(&self, staker: Address) -> Address {
        self.delegated_to.get(staker)
    }

    pub fn deposit_scaling_factor_of(&self, staker: Address, strategy: Address) -> U256 {
        self.dsf(staker, strategy)
    }

    pub fn operator_shares_of(&self, operator: Address, strategy: Address) -> U256 {
        self.operator_shares.getter(operator).get(strategy)
    }

    pub fn get_operator_shares(&self, operator: Address, strategies: Vec<Address>) -> Vec<U256> {
        strategies
            .iter()
            .map(|s| self.operator_shares.getter(operator).get(*s))
            .collect()
    }

    pub fn get_operators_shares(
        &self,
        operators: Vec<Address>,
        strategies: Vec<Address>,
    ) -> Vec<Vec<U256>> {
        operators
            .iter()
            .map(|o| self.get_operator_shares(*o, strategies.clone()))
            .collect()
    }

    /// Shares queued for withdrawal from `operator`'s delegators that are still slashable.
    pub fn get_slashable_shares_in_queue(
        &self,
        operator: Address,
        strategy: Address,
    ) -> Result<U256, Revert> {
        let m = self.max_magnitudes(operator, &[strategy])?[0];
        slashing::scale_for_complete_withdrawal(
            self.slashable_scaled_in_queue(operator, strategy),
            m,
        )
    }

    /// `(withdrawable, deposit)` shares per strategy.
    pub fn get_withdrawable_shares(
        &self,
        staker: Address,
        strategies: Vec<Address>,
    ) -> Result<(Vec<U256>, Vec<U256>), Revert> {
        let operator = self.delegated_to.get(staker);
        let factors = self.slashing_factors(staker, operator, &strategies)?;
        let mut withdrawable = Vec::with_capacity(strategies.len());
        let mut deposit = Vec::with_capacity(strategies.len());
        for (s, f) in strategies.iter().zip(factors) {
            let d = self.staker_deposit_shares(staker, *s)?;
            withdrawable.push(slashing::calc_withdrawable(
                d,
                self.deposit_scaling_factor.getter(staker).get(*s),
                f,
            )?);
            deposit.push(d);
        }
        Ok((withdrawable, deposit))
    }

    fn staker_deposit_shares(&self, staker: Address, strategy: Address) -> Result<U256, Revert> {
        let manager = self.share_manager(strategy);
        if manager.is_zero() {
            return Ok(U256::ZERO);
        }
        Ok(ferrostake_common::call::static_call(
            manager,
            &ferrostake_interfaces::IStrategyManager::stakerDepositSharesCall { staker, strategy },
        )?
        ._0)
    }

    pub fn get_deposited_shares(
        &self,
        staker: Address,
    ) -> Result<(Vec<Address>, Vec<U256>), Revert> {
        self.deposited_shares(staker)
    }

    pub fn convert_to_deposit_shares(
        &self,
        staker: Address,
        strategies: Vec<Address>,
        withdrawable: Vec<U256>,
    ) -> Result<Vec<U256>, Revert> {
        if strategies.len() != withdrawable.len() {
            return Err(IDelegationManager::InputArrayLengthMismatch {}.into());
        }
        let operator = self.delegated_to.get(staker);
        let factors = self.slashing_factors(staker, operator, &strategies)?;
        strategies
            .iter()
            .zip(withdrawable)
            .zip(factors)
            .map(|((s, w), f)| {
                slashing::calc_deposit_shares(
                    w,
                    self.deposit_scaling_factor.getter(staker).get(*s),
                    f,
                )
            })
            .collect()
    }

    pub fn calculate_withdrawal_root(&self, w: WithdrawalTuple) -> B256 {
        withdrawal_root(&crate::into_withdrawal(w))
    }

    pub fn calculate_delegation_approval_digest_hash(
        &self,
        staker: Address,
        operator: Address,
        approver: Address,
        salt: B256,
        expiry: U256,
    ) -> B256 {
        self.approval_digest(staker, operator, approver, salt, expiry)
    }

    pub fn pending_withdrawals(&self, root: B256) -> bool {
        self.pending_withdrawals.get(root)
    }

    pub fn queued_withdrawals(&self, root: B256) -> WithdrawalTuple {
        tuple(self.stored_withdrawal(root))
    }

    pub fn get_queued_withdrawal(
        &self,
        root: B256,
    ) -> Result<(WithdrawalTuple, Vec<U256>), Revert> {
        let w = self.stored_withdrawal(root);
        let shares = if self.pending_withdrawals.get(root) {
            self.withdrawal_shares(&w)?
        } else {
            Vec::new()
        };
        Ok((tuple(w), shares))
    }

    pub fn get_queued_withdrawal_roots(&self, staker: Address) -> Vec<B256> {
        let roots = self.staker_withdrawal_roots.getter(staker);
        (0..roots.len()).filter_map(|i| roots.get(i)).collect()
    }

    pub fn get_queued_withdrawals(
        &self,
        staker: Address,
    ) -> Result<(Vec<WithdrawalTuple>, Vec<Vec<U256>>), Revert> {
        let mut ws = Vec::new();
        let mut shares = Vec::new();
        for root in self.get_queued_withdrawal_roots(staker) {
            let w = self.stored_withdrawal(root);
            shares.push(self.withdrawal_shares(&w)?);
            ws.push(tuple(w));
        }
        Ok((ws, shares))
    }

    pub fn min_withdrawal_delay_blocks(&self) -> u32 {
        self.min_withdrawal_delay_blocks.get().to::<u32>()
    }

    pub fn beacon_chain_eth_strategy(&self) -> Address {
        BEACON_CHAIN_ETH_STRATEGY
    }

    pub fn strategy_manager_addr(&self) -> Address {
        self.strategy_manager.get()
    }

    pub fn eigen_pod_manager_addr(&self) -> Address {
        self.eigen_pod_manager.get()
    }

    pub fn allocation_manager_addr(&self) -> Address {
        self.allocation_manager.get()
    }

    pub fn permission_controller_addr(&self) -> Address {
        self.permission_controller.get()
    }

    pub fn delegation_approval_typehash_view(&self) -> B256 {
        delegation_approval_typehash()
    }

    pub fn domain_separator(&self) -> B256 {
        self.domain_separator_inner()
    }

    pub fn version(&self) -> String {
        VERSION.into()
    }

    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }

    pub fn pauser_registry(&self) -> Address {
        self.pausable.pauser_registry()
    }

    pub fn view_implementation(&self) -> Address {
        self.view_implementation.get()
    }

    pub fn withdrawals_implementation(&self) -> Address {
        self.withdrawals_implementation.get()
    }
}

/// The view program's router.
#[cfg(feature = "view")]
#[public]
impl DelegationManager {
    #[selector(name = "delegationApprover")]
    pub fn v_delegation_approver(&self, operator: Address) -> Address {
        self.delegation_approver(operator)
    }
    #[selector(name = "delegationApproverSaltIsSpent")]
    pub fn v_salt_spent(&self, approver: Address, salt: B256) -> bool {
        self.delegation_approver_salt_is_spent(approver, salt)
    }
    #[selector(name = "cumulativeWithdrawalsQueued")]
    pub fn v_cumulative(&self, staker: Address) -> U256 {
        self.cumulative_withdrawals_queued(staker)
    }
    #[selector(name = "isDelegated")]
    pub fn v_is_delegated(&self, staker: Address) -> bool {
        self.is_delegated(staker)
    }
    #[selector(name = "isOperator")]
    pub fn v_is_operator(&self, operator: Address) -> bool {
        self.is_operator(operator)
    }
    #[selector(name = "delegatedTo")]
    pub fn v_delegated_to(&self, staker: Address) -> Address {
        self.delegated_to_of(staker)
    }
    #[selector(name = "depositScalingFactor")]
    pub fn v_dsf(&self, staker: Address, strategy: Address) -> U256 {
        self.deposit_scaling_factor_of(staker, strategy)
    }
    #[selector(name = "operatorShares")]
    pub fn v_operator_shares(&self, operator: Address, strategy: Address) -> U256 {
        self.operator_shares_of(operator, strategy)
    }
    #[selector(name = "getOperatorShares")]
    pub fn v_get_operator_shares(&self, operator: Address, strategies: Vec<Address>) -> Vec<U256> {
        self.get_operator_shares(operator, strategies)
    }
    #[selector(name = "getOperatorsShares")]
    pub fn v_get_operators_shares(
        &self,
        operators: Vec<Address>,
        strategies: Vec<Address>,
    ) -> Vec<Vec<U256>> {
        self.get_operators_shares(operators, strategies)
    }
    #[selector(name = "getSlashableSharesInQueue")]
    pub fn v_slashable_in_queue(
        &self,
        operator: Address,
        strategy: Address,
    ) -> Result<U256, Revert> {
        self.get_slashable_shares_in_queue(operator, strategy)
    }
    #[selector(name = "getWithdrawableShares")]
    pub fn v_withdrawable(
        &self,
        staker: Address,
        strategies: Vec<Address>,
    ) -> Result<(Vec<U256>, Vec<U256>), Revert> {
        self.get_withdrawable_shares(staker, strategies)
    }
    #[selector(name = "getDepositedShares")]
    pub fn v_deposited(&self, staker: Address) -> Result<(Vec<Address>, Vec<U256>), Revert> {
        self.get_deposited_shares(staker)
    }
    #[selector(name = "convertToDepositShares")]
    pub fn v_convert(
        &self,
        staker: Address,
        strategies: Vec<Address>,
        withdrawable: Vec<U256>,
    ) -> Result<Vec<U256>, Revert> {
        self.convert_to_deposit_shares(staker, strategies, withdrawable)
    }
    #[selector(name = "calculateWithdrawalRoot")]
    pub fn v_root(&self, withdrawal: WithdrawalTuple) -> B256 {
        self.calculate_withdrawal_root(withdrawal)
    }
    #[selector(name = "calculateDelegationApprovalDigestHash")]
    pub fn v_digest(
        &self,
        staker: Address,
        operator: Address,
        approver: Address,
        salt: B256,
        expiry: U256,
    ) -> B256 {
        self.calculate_delegation_approval_digest_hash(staker, operator, approver, salt, expiry)
    }
    #[selector(name = "pendingWithdrawals")]
    pub fn v_pending(&self, root: B256) -> bool {
        self.pending_withdrawals(root)
    }
    #[selector(name = "queuedWithdrawals")]
    pub fn v_queued(&self, root: B256) -> WithdrawalTuple {
        self.queued_withdrawals(root)
    }
    #[selector(name = "getQueuedWithdrawal")]
    pub fn v_get_queued(&self, root: B256) -> Result<(WithdrawalTuple, Vec<U256>), Revert> {
        self.get_queued_withdrawal(root)
    }
    #[selector(name = "getQueuedWithdrawals")]
    pub fn v_get_queued_all(
        &self,
        staker: Address,
    ) -> Result<(Vec<WithdrawalTuple>, Vec<Vec<U256>>), Revert> {
        self.get_queued_withdrawals(staker)
    }
    #[selector(name = "getQueuedWithdrawalRoots")]
    pub fn v_roots(&self, staker: Address) -> Vec<B256> {
        self.get_queued_withdrawal_roots(staker)
    }
    #[selector(name = "minWithdrawalDelayBlocks")]
    pub fn v_delay(&self) -> u32 {
        self.min_withdrawal_delay_blocks()
    }
    #[selector(name = "beaconChainETHStrategy")]
    pub fn v_beacon(&self) -> Address {
        self.beacon_chain_eth_strategy()
    }
    #[selector(name = "strategyManager")]
    pub fn v_sm(&self) -> Address {
        self.strategy_manager_addr()
    }
    #[selector(name = "eigenPodManager")]
    pub fn v_epm(&self) -> Address {
        self.eigen_pod_manager_addr()
    }
    #[selector(name = "allocationManager")]
    pub fn v_am(&self) -> Address {
        self.allocation_manager_addr()
    }
    #[selector(name = "permissionController")]
    pub fn v_pc(&self) -> Address {
        self.permission_controller_addr()
    }
    #[selector(name = "DELEGATION_APPROVAL_TYPEHASH")]
    pub fn v_typehash(&self) -> B256 {
        self.delegation_approval_typehash_view()
    }
    #[selector(name = "domainSeparator")]
    pub fn v_domain(&self) -> B256 {
        self.domain_separator()
    }
    #[selector(name = "version")]
    pub fn v_version(&self) -> String {
        self.version()
    }
    #[selector(name = "paused")]
    pub fn v_paused(&self) -> U256 {
        self.paused_all()
    }
    #[selector(name = "paused")]
    pub fn v_paused_index(&self, index: u8) -> bool {
        self.paused_index(index)
    }
    #[selector(name = "pauserRegistry")]
    pub fn v_registry(&self) -> Address {
        self.pauser_registry()
    }
    #[selector(name = "viewImplementation")]
    pub fn v_view(&self) -> Address {
        self.view_implementation()
    }
    #[selector(name = "withdrawalsImplementation")]
    pub fn v_withdrawals(&self) -> Address {
        self.withdrawals_implementation()
    }
}
