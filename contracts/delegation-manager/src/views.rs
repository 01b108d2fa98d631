//! Read-only functions. They are plain methods (native tests call them directly); the view program
//! (`--features view`) routes them ([`DelegationManager::serve_view`]), reached through the
//! withdrawals program's fallback.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::{slashing, Revert};
use ferrostake_interfaces::{IDelegationManager, Withdrawal};
#[cfg(feature = "view")]
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

use crate::{
    abi::{self, fail, Enc},
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
        let m = self.max_magnitudes(operator, &[strategy], None)?[0];
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
        crate::deposit_shares_of(manager, staker, strategy)
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
            return fail!(IDelegationManager::InputArrayLengthMismatch);
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
        self.queued_withdrawals.getter(root).pending()
    }

    pub fn queued_withdrawals(&self, root: B256) -> WithdrawalTuple {
        tuple(self.stored_withdrawal(root))
    }

    pub fn get_queued_withdrawal(
        &self,
        root: B256,
    ) -> Result<(WithdrawalTuple, Vec<U256>), Revert> {
        let w = self.stored_withdrawal(root);
        let shares = if self.pending_withdrawals(root) {
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
        let (ws, shares) = self.queued_withdrawals_of(staker)?;
        Ok((ws.into_iter().map(tuple).collect(), shares))
    }

    fn queued_withdrawals_of(
        &self,
        staker: Address,
    ) -> Result<(Vec<Withdrawal>, Vec<Vec<U256>>), Revert> {
        let mut ws = Vec::new();
        let mut shares = Vec::new();
        for root in self.get_queued_withdrawal_roots(staker) {
            let w = self.stored_withdrawal(root);
            shares.push(self.withdrawal_shares(&w)?);
            ws.push(w);
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

    /// Ferrostake extension: the block of `operator`'s first slash hold (0: never held).
    pub fn slash_hold_since(&self, operator: Address) -> u32 {
        self.slash_hold_since.get(operator).to()
    }
}

impl DelegationManager {
    /// The view program's router: every view from raw calldata, arguments read by [`abi::Reader`]
    /// and results ABI-encoded by hand as Solidity returns them (several return values as separate
    /// values, which stylus-sdk 0.9's router gets wrong), rather than by the SDK's generic router
    /// (program size). Undecodable arguments revert with empty data, as the SDK's router does.
    /// `None` for other selectors.
    pub fn serve_view(&self, calldata: &[u8]) -> Option<ArbResult> {
        use ferrostake_interfaces::{
            IPausable as P, IPermissionControllerMixin, ISignatureUtilsMixin,
        };
        use IDelegationManager as I;
        let selector: [u8; 4] = calldata.get(..4)?.try_into().ok()?;
        let r = abi::Reader {
            data: &calldata[4..],
            to: None,
        };
        let a = |v: Address| Ok(abi::word_a(v));
        let u = |v: U256| Ok(abi::word(v));
        let b = |v: bool| Ok(abi::word(U256::from(v as u8)));
        let h = |v: B256| Ok(v.0.to_vec());
        let out: Result<Vec<u8>, Revert> = match selector {
            I::delegationApproverCall::SELECTOR => {
                r.a(0).and_then(|o| a(self.delegation_approver(o)))
            }
            I::delegationApproverSaltIsSpentCall::SELECTOR => {
                (|| b(self.delegation_approver_salt_is_spent(r.a(0)?, B256::from(r.u(32)?))))()
            }
            I::cumulativeWithdrawalsQueuedCall::SELECTOR => r
                .a(0)
                .and_then(|s| u(self.cumulative_withdrawals_queued(s))),
            I::isDelegatedCall::SELECTOR => r.a(0).and_then(|s| b(self.is_delegated(s))),
            I::isOperatorCall::SELECTOR => r.a(0).and_then(|o| b(self.is_operator(o))),
            I::delegatedToCall::SELECTOR => r.a(0).and_then(|s| a(self.delegated_to_of(s))),
            I::depositScalingFactorCall::SELECTOR => {
                (|| u(self.deposit_scaling_factor_of(r.a(0)?, r.a(32)?)))()
            }
            I::operatorSharesCall::SELECTOR => (|| u(self.operator_shares_of(r.a(0)?, r.a(32)?)))(),
            I::getOperatorSharesCall::SELECTOR => (|| {
                let shares = self.get_operator_shares(r.a(0)?, r.addresses(0, 32)?);
                let mut e = Enc::default();
                e.n(32).uints(&shares);
                Ok(e.0)
            })(),
            I::getOperatorsSharesCall::SELECTOR => (|| {
                let shares = self.get_operators_shares(r.addresses(0, 0)?, r.addresses(0, 32)?);
                let mut e = Enc::default();
                e.n(32).uint_arrays(&shares);
                Ok(e.0)
            })(),
            I::getSlashableSharesInQueueCall::SELECTOR => {
                (|| u(self.get_slashable_shares_in_queue(r.a(0)?, r.a(32)?)?))()
            }
            I::getWithdrawableSharesCall::SELECTOR => (|| {
                let (withdrawable, deposit) =
                    self.get_withdrawable_shares(r.a(0)?, r.addresses(0, 32)?)?;
                let mut e = Enc::default();
                e.n(64)
                    .n(64 + 32 * (1 + withdrawable.len() as u64))
                    .uints(&withdrawable)
                    .uints(&deposit);
                Ok(e.0)
            })(),
            I::getDepositedSharesCall::SELECTOR => (|| {
                let (strategies, shares) = self.get_deposited_shares(r.a(0)?)?;
                let mut e = Enc::default();
                e.n(64)
                    .n(64 + 32 * (1 + strategies.len() as u64))
                    .addresses(&strategies)
                    .uints(&shares);
                Ok(e.0)
            })(),
            I::convertToDepositSharesCall::SELECTOR => (|| {
                let shares =
                    self.convert_to_deposit_shares(r.a(0)?, r.addresses(0, 32)?, r.uints(0, 64)?)?;
                let mut e = Enc::default();
                e.n(32).uints(&shares);
                Ok(e.0)
            })(),
            I::calculateWithdrawalRootCall::SELECTOR => {
                r.withdrawal(0, 0).and_then(|w| h(withdrawal_root(&w)))
            }
            I::calculateDelegationApprovalDigestHashCall::SELECTOR => (|| {
                h(self.calculate_delegation_approval_digest_hash(
                    r.a(0)?,
                    r.a(32)?,
                    r.a(64)?,
                    B256::from(r.u(96)?),
                    r.u(128)?,
                ))
            })(),
            I::pendingWithdrawalsCall::SELECTOR => r
                .u(0)
                .and_then(|root| b(self.pending_withdrawals(B256::from(root)))),
            I::queuedWithdrawalsCall::SELECTOR => r
                .u(0)
                .map(|root| abi::encode_withdrawal(&self.stored_withdrawal(B256::from(root)))),
            I::getQueuedWithdrawalCall::SELECTOR => (|| {
                let root = B256::from(r.u(0)?);
                let w = self.stored_withdrawal(root);
                let shares = if self.pending_withdrawals(root) {
                    self.withdrawal_shares(&w)?
                } else {
                    Vec::new()
                };
                let mut e = Enc::default();
                e.n(64)
                    .n(64 + crate::withdrawal_size(&w))
                    .withdrawal(&w)
                    .uints(&shares);
                Ok(e.0)
            })(),
            I::getQueuedWithdrawalsCall::SELECTOR => (|| {
                let (ws, shares) = self.queued_withdrawals_of(r.a(0)?)?;
                // (Withdrawal[] withdrawals, uint256[][] shares)
                let withdrawals_size: u64 = ws
                    .iter()
                    .map(|w| 32 + crate::withdrawal_size(w))
                    .sum::<u64>()
                    + 32;
                let mut e = Enc::default();
                e.n(64).n(64 + withdrawals_size).n(ws.len() as u64);
                let mut offset = 32 * ws.len() as u64;
                for w in &ws {
                    e.n(offset);
                    offset += crate::withdrawal_size(w);
                }
                for w in &ws {
                    e.withdrawal(w);
                }
                e.uint_arrays(&shares);
                Ok(e.0)
            })(),
            I::getQueuedWithdrawalRootsCall::SELECTOR => r.a(0).map(|staker| {
                let roots = self.get_queued_withdrawal_roots(staker);
                let mut e = Enc::default();
                e.n(32).n(roots.len() as u64);
                for root in &roots {
                    e.b(&root.0);
                }
                e.0
            }),
            I::minWithdrawalDelayBlocksCall::SELECTOR => {
                u(U256::from(self.min_withdrawal_delay_blocks()))
            }
            I::beaconChainETHStrategyCall::SELECTOR => a(BEACON_CHAIN_ETH_STRATEGY),
            I::strategyManagerCall::SELECTOR => a(self.strategy_manager.get()),
            I::eigenPodManagerCall::SELECTOR => a(self.eigen_pod_manager.get()),
            I::allocationManagerCall::SELECTOR => a(self.allocation_manager.get()),
            IPermissionControllerMixin::permissionControllerCall::SELECTOR => {
                a(self.permission_controller.get())
            }
            I::DELEGATION_APPROVAL_TYPEHASHCall::SELECTOR => h(delegation_approval_typehash()),
            ISignatureUtilsMixin::domainSeparatorCall::SELECTOR => h(self.domain_separator()),
            ISignatureUtilsMixin::versionCall::SELECTOR => {
                let mut e = Enc::default();
                e.n(32).bytes(VERSION.as_bytes());
                Ok(e.0)
            }
            P::paused_0Call::SELECTOR => u(self.paused_all()),
            P::paused_1Call::SELECTOR => r
                .small(0, 1)
                .and_then(|index| b(self.paused_index(index.to::<u8>()))),
            P::pauserRegistryCall::SELECTOR => a(self.pauser_registry()),
            I::viewImplementationCall::SELECTOR => a(self.view_implementation.get()),
            I::withdrawalsImplementationCall::SELECTOR => a(self.withdrawals_implementation.get()),
            I::slashHoldSinceCall::SELECTOR => {
                r.a(0).and_then(|o| u(U256::from(self.slash_hold_since(o))))
            }
            _ => return None,
        };
        Some(out.map_err(Vec::from))
    }
}

/// The view program (`--features view`): every call arrives in the fallback and is routed by
/// [`DelegationManager::serve_view`].
#[cfg(feature = "view")]
#[public]
impl DelegationManager {
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_view(calldata)
            .unwrap_or_else(|| Err(ferrostake_common::entry::unknown_selector()))
    }
}
