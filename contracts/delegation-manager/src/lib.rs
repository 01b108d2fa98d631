//! DelegationManager: operators, delegation, queued withdrawals and slashing-aware shares
//! (EigenLayer's `IDelegationManager`, v1.12 semantics; the math is `ferrostake_common::slashing`).
//!
//! Accounting (EigenLayer's SharesAccounting): a staker's withdrawable shares in a strategy are
//! `s · k · sf` — deposit shares `s` (held by the StrategyManager or, for beacon ETH, the
//! EigenPodManager), the deposit scaling factor `k` (here), and the slashing factor `sf` = the
//! operator's max magnitude (AllocationManager) × the beacon-chain factor (EigenPodManager, beacon ETH
//! only). An operator's shares are the sum of its delegators' withdrawable shares (at least).
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `registerAsOperator` | anyone not delegated | allocation delay set in the AllocationManager; self-delegation |
//! | `modifyOperatorDetails`, `updateOperatorMetadataURI` | operator or its appointee | operator registered |
//! | `delegateTo` | undelegated staker | new delegation not paused (bit 0); operator registered; approver signature (salt unspent, unexpired) unless the approver is zero or the caller; every slashing factor non-zero |
//! | `undelegate` | staker, operator (or appointee), or the operator's approver | queueing not paused (bit 1); staker delegated and not an operator; queues one withdrawal per strategy |
//! | `redelegate` | staker | `undelegate` then `delegateTo` |
//! | `queueWithdrawals` | staker | queueing not paused (bit 1); deposit shares ≤ held |
//! | `completeQueuedWithdrawal(s)` | the withdrawer | completion not paused (bit 2); queued; `block.number > startBlock + MIN_WITHDRAWAL_DELAY_BLOCKS`; shares = scaled × slashing factor at the end of the delay |
//! | `increaseDelegatedShares` | StrategyManager / EigenPodManager | deposit hook |
//! | `decreaseDelegatedShares` | EigenPodManager | beacon-chain balance drop |
//! | `slashOperatorShares` | AllocationManager | burns operator shares and shares queued within the delay |
//!
//! Three programs behind one proxy (24 KiB each): the default build is the core program
//! (operators, delegation, deposit hooks, slashing); `--features withdrawals` builds the withdrawals
//! program (undelegate, redelegate, queue, complete), reached through the core's fallback; and
//! `--features view` the view program, reached through the withdrawals program's fallback (see
//! contracts/README.md).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
#![cfg_attr(
    any(feature = "view", feature = "withdrawals"),
    allow(dead_code, unused_imports)
)]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use ferrostake_common::{
    access::{Initializable, Pausable, ReentrancyGuard},
    call::{call, static_call},
    eip712,
    math::WAD,
    slashing, Revert,
};
use ferrostake_interfaces::{
    IAllocationManager, IDelegationManager, IEigenPodManager, IPermissionController,
    IStrategyManager, OperatorSet, SignatureWithExpiry, Withdrawal,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        Erase, StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32,
        StorageVec,
    },
    stylus_core::log,
    ArbResult,
};

/// The beacon-chain ETH pseudo-strategy.
pub const BEACON_CHAIN_ETH_STRATEGY: Address = address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// Pause bit: new delegations.
pub const PAUSED_NEW_DELEGATION: u8 = 0;
/// Pause bit: entering the withdrawal queue (queueWithdrawals, undelegate).
pub const PAUSED_ENTER_WITHDRAWAL_QUEUE: u8 = 1;
/// Pause bit: leaving the withdrawal queue (complete*).
pub const PAUSED_EXIT_WITHDRAWAL_QUEUE: u8 = 2;
/// Contract version.
pub const VERSION: &str = "v1.0.0";
/// EIP-712 domain version (the major part of [`VERSION`]).
pub const DOMAIN_VERSION: &str = "v1";

/// `keccak256("DelegationApproval(address delegationApprover,address staker,address operator,bytes32 salt,uint256 expiry)")`.
pub fn delegation_approval_typehash() -> B256 {
    keccak256("DelegationApproval(address delegationApprover,address staker,address operator,bytes32 salt,uint256 expiry)")
}

/// `keccak256(abi.encode(withdrawal))`.
pub fn withdrawal_root(w: &Withdrawal) -> B256 {
    keccak256(w.abi_encode())
}

/// A queued withdrawal as stored (for the views; completion takes the struct as calldata and checks
/// its root).
#[storage]
pub struct StoredWithdrawal {
    staker: StorageAddress,
    start_block: StorageU32,
    delegated_to: StorageAddress,
    nonce: StorageU256,
    strategies: StorageVec<StorageAddress>,
    scaled_shares: StorageVec<StorageU256>,
}

impl StoredWithdrawal {
    /// Zeroes every slot (gas refunds; the views then read an empty withdrawal).
    fn clear(&mut self) {
        self.staker.erase();
        self.start_block.erase();
        self.delegated_to.erase();
        self.nonce.erase();
        self.strategies.erase();
        self.scaled_shares.erase();
    }
}

/// Cumulative scaled shares an operator has seen queued, by block (for slashing the part of the
/// queue still inside its delay).
#[storage]
pub struct History {
    blocks: StorageVec<StorageU32>,
    values: StorageVec<StorageU256>,
}

impl History {
    fn latest(&self) -> U256 {
        let n = self.values.len();
        if n == 0 {
            U256::ZERO
        } else {
            self.values.get(n - 1).unwrap_or_default()
        }
    }

    /// The value at the last snapshot taken at or before `block` (0 before the first).
    fn upper_lookup(&self, block: u32) -> U256 {
        let (mut lo, mut hi) = (0usize, self.blocks.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.blocks.get(mid).unwrap_or_default().to::<u32>() <= block {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == 0 {
            U256::ZERO
        } else {
            self.values.get(lo - 1).unwrap_or_default()
        }
    }

    fn push(&mut self, block: u32, value: U256) {
        let n = self.blocks.len();
        if n > 0 && self.blocks.get(n - 1).map(|b| b.to::<u32>()) == Some(block) {
            if let Some(mut slot) = self.values.setter(n - 1) {
                slot.set(value);
            }
        } else {
            self.blocks
                .push(alloy_primitives::Uint::<32, 1>::from(block));
            self.values.push(value);
        }
    }
}

#[entrypoint]
#[storage]
pub struct DelegationManager {
    init: Initializable,
    pausable: Pausable,
    guard: ReentrancyGuard,
    strategy_manager: StorageAddress,
    eigen_pod_manager: StorageAddress,
    allocation_manager: StorageAddress,
    permission_controller: StorageAddress,
    view_implementation: StorageAddress,
    withdrawals_implementation: StorageAddress,
    min_withdrawal_delay_blocks: StorageU32,
    delegated_to: StorageMap<Address, StorageAddress>,
    delegation_approver: StorageMap<Address, StorageAddress>,
    salt_spent: StorageMap<Address, StorageMap<B256, StorageBool>>,
    operator_shares: StorageMap<Address, StorageMap<Address, StorageU256>>,
    deposit_scaling_factor: StorageMap<Address, StorageMap<Address, StorageU256>>,
    cumulative_withdrawals_queued: StorageMap<Address, StorageU256>,
    pending_withdrawals: StorageMap<B256, StorageBool>,
    queued_withdrawals: StorageMap<B256, StoredWithdrawal>,
    staker_withdrawal_roots: StorageMap<Address, StorageVec<StorageB256>>,
    cumulative_scaled_shares: StorageMap<Address, StorageMap<Address, History>>,
}

fn remove_root(list: &mut StorageVec<StorageB256>, root: B256) {
    let n = list.len();
    if let Some(i) = (0..n).find(|i| list.get(*i) == Some(root)) {
        if i + 1 != n {
            let last = list.get(n - 1).unwrap_or_default();
            if let Some(mut slot) = list.setter(i) {
                slot.set(last);
            }
        }
        list.erase_last();
    }
}

/// Internal machinery shared by the logic and view programs.
impl DelegationManager {
    fn block_number(&self) -> u32 {
        // motsu 0.10 reports block 0 forever; native tests drive a clock of their own instead.
        #[cfg(test)]
        let block = test_clock::get();
        #[cfg(not(test))]
        let block = self.vm().block_number();
        // Arbitrum's L1 block number fits 32 bits for centuries; saturate rather than wrap.
        u32::try_from(block).unwrap_or(u32::MAX)
    }

    fn is_operator_inner(&self, operator: Address) -> bool {
        !operator.is_zero() && self.delegated_to.get(operator) == operator
    }

    fn share_manager(&self, strategy: Address) -> Address {
        if strategy == BEACON_CHAIN_ETH_STRATEGY {
            self.eigen_pod_manager.get()
        } else {
            self.strategy_manager.get()
        }
    }

    fn beacon_factor(&self, staker: Address) -> Result<U256, Revert> {
        let epm = self.eigen_pod_manager.get();
        if epm.is_zero() {
            return Ok(WAD);
        }
        let f = static_call(
            epm,
            &IEigenPodManager::beaconChainSlashingFactorCall { staker },
        )?
        ._0;
        Ok(U256::from(f))
    }

    /// Max magnitudes of `operator` for `strategies` (WAD for the undelegated).
    fn max_magnitudes(
        &self,
        operator: Address,
        strategies: &[Address],
    ) -> Result<Vec<U256>, Revert> {
        if operator.is_zero() {
            return Ok(vec![WAD; strategies.len()]);
        }
        let mags = static_call(
            self.allocation_manager.get(),
            &IAllocationManager::getMaxMagnitudes_0Call {
                operator,
                strategies: strategies.to_vec(),
            },
        )?
        ._0;
        Ok(mags.into_iter().map(U256::from).collect())
    }

    /// Slashing factors `m` (× `l` for beacon ETH) of `staker` under `operator`.
    fn slashing_factors(
        &self,
        staker: Address,
        operator: Address,
        strategies: &[Address],
    ) -> Result<Vec<U256>, Revert> {
        let mut factors = self.max_magnitudes(operator, strategies)?;
        for (f, s) in factors.iter_mut().zip(strategies) {
            if *s == BEACON_CHAIN_ETH_STRATEGY {
                *f = slashing::beacon_slashing_factor(*f, self.beacon_factor(staker)?)?;
            }
        }
        Ok(factors)
    }

    fn slashing_factor(
        &self,
        staker: Address,
        operator: Address,
        strategy: Address,
    ) -> Result<U256, Revert> {
        Ok(self.slashing_factors(staker, operator, &[strategy])?[0])
    }

    /// All strategies with deposit shares and the shares (StrategyManager's plus beacon ETH).
    fn deposited_shares(&self, staker: Address) -> Result<(Vec<Address>, Vec<U256>), Revert> {
        let r = static_call(
            self.strategy_manager.get(),
            &IStrategyManager::getDepositsCall { staker },
        )?;
        let (mut strategies, mut shares) = (r._0, r._1);
        let epm = self.eigen_pod_manager.get();
        if !epm.is_zero() {
            let pod = static_call(
                epm,
                &IEigenPodManager::stakerDepositSharesCall {
                    user: staker,
                    strategy: BEACON_CHAIN_ETH_STRATEGY,
                },
            )?
            ._0;
            if !pod.is_zero() {
                strategies.push(BEACON_CHAIN_ETH_STRATEGY);
                shares.push(pod);
            }
        }
        Ok((strategies, shares))
    }

    fn dsf(&self, staker: Address, strategy: Address) -> U256 {
        slashing::scaling_factor(self.deposit_scaling_factor.getter(staker).get(strategy))
    }

    fn domain_separator_inner(&self) -> B256 {
        eip712::domain_separator(
            "EigenLayer",
            DOMAIN_VERSION,
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    fn approval_digest(
        &self,
        staker: Address,
        operator: Address,
        approver: Address,
        salt: B256,
        expiry: U256,
    ) -> B256 {
        let struct_hash = keccak256(
            (
                delegation_approval_typehash(),
                approver,
                staker,
                operator,
                salt,
                expiry,
            )
                .abi_encode(),
        );
        eip712::hash_typed_data(self.domain_separator_inner(), struct_hash)
    }

    fn stored_withdrawal(&self, root: B256) -> Withdrawal {
        let w = self.queued_withdrawals.getter(root);
        let staker = w.staker.get();
        Withdrawal {
            staker,
            delegatedTo: w.delegated_to.get(),
            withdrawer: staker,
            nonce: w.nonce.get(),
            startBlock: w.start_block.get().to::<u32>(),
            strategies: (0..w.strategies.len())
                .filter_map(|i| w.strategies.get(i))
                .collect(),
            scaledShares: (0..w.scaled_shares.len())
                .filter_map(|i| w.scaled_shares.get(i))
                .collect(),
        }
    }

    /// Shares a withdrawal pays: at the end of its delay if that has passed, else now (may still fall).
    fn withdrawal_shares(&self, w: &Withdrawal) -> Result<Vec<U256>, Revert> {
        let slashable_until = w
            .startBlock
            .saturating_add(self.min_withdrawal_delay_blocks.get().to::<u32>());
        let factors = if slashable_until < self.block_number() {
            self.factors_at(w, slashable_until)?
        } else {
            self.slashing_factors(w.staker, w.delegatedTo, &w.strategies)?
        };
        w.scaledShares
            .iter()
            .zip(factors)
            .map(|(s, f)| slashing::scale_for_complete_withdrawal(*s, f))
            .collect()
    }

    /// Slashing factors of the withdrawal's original operator at `block`, times the staker's current
    /// beacon-chain factor for beacon ETH.
    fn factors_at(&self, w: &Withdrawal, block: u32) -> Result<Vec<U256>, Revert> {
        let mut factors: Vec<U256> = if w.delegatedTo.is_zero() {
            vec![WAD; w.strategies.len()]
        } else {
            static_call(
                self.allocation_manager.get(),
                &IAllocationManager::getMaxMagnitudesAtBlockCall {
                    operator: w.delegatedTo,
                    strategies: w.strategies.clone(),
                    blockNumber: block,
                },
            )?
            ._0
            .into_iter()
            .map(U256::from)
            .collect()
        };
        for (f, s) in factors.iter_mut().zip(&w.strategies) {
            if *s == BEACON_CHAIN_ETH_STRATEGY {
                *f = slashing::beacon_slashing_factor(*f, self.beacon_factor(w.staker)?)?;
            }
        }
        Ok(factors)
    }

    fn slashable_scaled_in_queue(&self, operator: Address, strategy: Address) -> U256 {
        let h = self.cumulative_scaled_shares.getter(operator);
        let h = h.getter(strategy);
        let delay = self.min_withdrawal_delay_blocks.get().to::<u32>();
        let window_start = self.block_number().saturating_sub(delay.saturating_add(1));
        h.latest() - h.upper_lookup(window_start).min(h.latest())
    }
}

/// State-changing machinery (logic program).
impl DelegationManager {
    fn check_can_call(&self, account: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller == account {
            return Ok(());
        }
        let pc = self.permission_controller.get();
        if !pc.is_zero() {
            let selector = self.vm().read_args(4);
            let selector: [u8; 4] = selector
                .get(..4)
                .and_then(|s| s.try_into().ok())
                .unwrap_or_default();
            let ok = call(
                pc,
                &IPermissionController::canCallCall {
                    account,
                    caller,
                    target: self.vm().contract_address(),
                    selector: selector.into(),
                },
            )?
            ._0;
            if ok {
                return Ok(());
            }
        }
        Err(ferrostake_interfaces::IPermissionControllerMixin::InvalidPermissions {}.into())
    }

    fn increase_delegation(
        &mut self,
        operator: Address,
        staker: Address,
        strategy: Address,
        prev_deposit_shares: U256,
        added_shares: U256,
        slashing_factor: U256,
    ) -> Result<(), Revert> {
        if slashing_factor.is_zero() {
            return Err(IDelegationManager::FullySlashed {}.into());
        }
        // After the FullySlashed check, before touching the scaling factor: a zero addition must not
        // move it (EigenLayer PR #1191).
        if added_shares.is_zero() {
            return Ok(());
        }
        let k = self.deposit_scaling_factor.getter(staker).get(strategy);
        let new_k = slashing::update(k, prev_deposit_shares, added_shares, slashing_factor)?;
        self.deposit_scaling_factor
            .setter(staker)
            .setter(strategy)
            .set(new_k);
        log(
            self.vm(),
            IDelegationManager::DepositScalingFactorUpdated {
                staker,
                strategy,
                newDepositScalingFactor: new_k,
            },
        );
        if !operator.is_zero() {
            let shares = self.operator_shares.getter(operator).get(strategy);
            self.operator_shares
                .setter(operator)
                .setter(strategy)
                .set(shares + added_shares);
            log(
                self.vm(),
                IDelegationManager::OperatorSharesIncreased {
                    operator,
                    staker,
                    strategy,
                    shares: added_shares,
                },
            );
        }
        Ok(())
    }

    fn decrease_operator_shares(
        &mut self,
        operator: Address,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) {
        let current = self.operator_shares.getter(operator).get(strategy);
        // Operator shares cover delegators' withdrawable shares; saturate against rounding dust.
        self.operator_shares
            .setter(operator)
            .setter(strategy)
            .set(current.saturating_sub(shares));
        log(
            self.vm(),
            IDelegationManager::OperatorSharesDecreased {
                operator,
                staker,
                strategy,
                shares,
            },
        );
    }

    fn delegate(&mut self, staker: Address, operator: Address) -> Result<(), Revert> {
        self.pausable.require_not_paused(PAUSED_NEW_DELEGATION)?;
        self.delegated_to.setter(staker).set(operator);
        log(
            self.vm(),
            IDelegationManager::StakerDelegated { staker, operator },
        );
        let (strategies, shares) = self.deposited_shares(staker)?;
        let factors = self.slashing_factors(staker, operator, &strategies)?;
        for ((strategy, deposit_shares), sf) in strategies.into_iter().zip(shares).zip(factors) {
            // What the staker can withdraw now, counted before the new operator's magnitude applies.
            let added = if strategy == BEACON_CHAIN_ETH_STRATEGY {
                slashing::calc_withdrawable(
                    deposit_shares,
                    self.deposit_scaling_factor.getter(staker).get(strategy),
                    self.beacon_factor(staker)?,
                )?
            } else {
                slashing::calc_withdrawable(
                    deposit_shares,
                    self.deposit_scaling_factor.getter(staker).get(strategy),
                    WAD,
                )?
            };
            self.increase_delegation(operator, staker, strategy, U256::ZERO, added, sf)?;
        }
        Ok(())
    }

    fn remove_shares_and_queue(
        &mut self,
        staker: Address,
        operator: Address,
        strategies: Vec<Address>,
        deposit_shares: Vec<U256>,
    ) -> Result<B256, Revert> {
        if strategies.is_empty() {
            return Err(IDelegationManager::InputArrayLengthZero {}.into());
        }
        if strategies.len() != deposit_shares.len() {
            return Err(IDelegationManager::InputArrayLengthMismatch {}.into());
        }
        let factors = self.slashing_factors(staker, operator, &strategies)?;
        let mut scaled = Vec::with_capacity(strategies.len());
        let mut withdrawable = Vec::with_capacity(strategies.len());
        let block = self.block_number();
        for ((strategy, shares), sf) in strategies.iter().zip(&deposit_shares).zip(&factors) {
            let k = self.deposit_scaling_factor.getter(staker).get(*strategy);
            let w = slashing::calc_withdrawable(*shares, k, *sf)?;
            let sc = slashing::scale_for_queue_withdrawal(*shares, k)?;
            if !operator.is_zero() {
                let mut by_op = self.cumulative_scaled_shares.setter(operator);
                let mut h = by_op.setter(*strategy);
                let total = h.latest() + sc;
                h.push(block, total);
                self.decrease_operator_shares(operator, staker, *strategy, w);
            }
            let remaining = call(
                self.share_manager(*strategy),
                &IStrategyManager::removeDepositSharesCall {
                    staker,
                    strategy: *strategy,
                    depositSharesToRemove: *shares,
                },
            )?
            ._0;
            if remaining.is_zero() {
                self.deposit_scaling_factor
                    .setter(staker)
                    .setter(*strategy)
                    .set(U256::ZERO);
                log(
                    self.vm(),
                    IDelegationManager::DepositScalingFactorUpdated {
                        staker,
                        strategy: *strategy,
                        newDepositScalingFactor: WAD,
                    },
                );
            }
            scaled.push(sc);
            withdrawable.push(w);
        }
        let nonce = self.cumulative_withdrawals_queued.get(staker);
        self.cumulative_withdrawals_queued
            .setter(staker)
            .set(nonce + U256::from(1u8));
        let withdrawal = Withdrawal {
            staker,
            delegatedTo: operator,
            withdrawer: staker,
            nonce,
            startBlock: block,
            strategies: strategies.clone(),
            scaledShares: scaled.clone(),
        };
        let root = withdrawal_root(&withdrawal);
        self.pending_withdrawals.setter(root).set(true);
        {
            let mut stored = self.queued_withdrawals.setter(root);
            stored.staker.set(staker);
            stored
                .start_block
                .set(alloy_primitives::Uint::<32, 1>::from(block));
            stored.delegated_to.set(operator);
            stored.nonce.set(nonce);
            for (s, sc) in strategies.iter().zip(&scaled) {
                stored.strategies.push(*s);
                stored.scaled_shares.push(*sc);
            }
        }
        self.staker_withdrawal_roots.setter(staker).push(root);
        log(
            self.vm(),
            IDelegationManager::SlashingWithdrawalQueued {
                withdrawalRoot: root,
                withdrawal,
                sharesToWithdraw: withdrawable,
            },
        );
        Ok(root)
    }

    fn undelegate_inner(&mut self, staker: Address) -> Result<Vec<B256>, Revert> {
        self.pausable
            .require_not_paused(PAUSED_ENTER_WITHDRAWAL_QUEUE)?;
        let operator = self.delegated_to.get(staker);
        if operator.is_zero() {
            return Err(IDelegationManager::NotActivelyDelegated {}.into());
        }
        if self.is_operator_inner(staker) {
            return Err(IDelegationManager::OperatorsCannotUndelegate {}.into());
        }
        if staker.is_zero() {
            return Err(IDelegationManager::InputAddressZero {}.into());
        }
        let caller = self.vm().msg_sender();
        if caller != staker {
            let by_approver = caller == self.delegation_approver.get(operator);
            if !by_approver {
                self.check_can_call(operator)
                    .map_err(|_| Revert::from(IDelegationManager::CallerCannotUndelegate {}))?;
            }
            log(
                self.vm(),
                IDelegationManager::StakerForceUndelegated { staker, operator },
            );
        }
        log(
            self.vm(),
            IDelegationManager::StakerUndelegated { staker, operator },
        );
        let (strategies, shares) = self.deposited_shares(staker)?;
        let mut roots = Vec::with_capacity(strategies.len());
        // One withdrawal per strategy, so each can later be completed as shares or tokens on its own.
        for (strategy, s) in strategies.into_iter().zip(shares) {
            roots.push(self.remove_shares_and_queue(staker, operator, vec![strategy], vec![s])?);
        }
        self.delegated_to.setter(staker).set(Address::ZERO);
        Ok(roots)
    }

    fn delegate_to_inner(
        &mut self,
        staker: Address,
        operator: Address,
        sig: SignatureWithExpiry,
        salt: B256,
    ) -> Result<(), Revert> {
        if !self.delegated_to.get(staker).is_zero() {
            return Err(IDelegationManager::ActivelyDelegated {}.into());
        }
        if !self.is_operator_inner(operator) {
            return Err(IDelegationManager::OperatorNotRegistered {}.into());
        }
        let approver = self.delegation_approver.get(operator);
        if !approver.is_zero() && self.vm().msg_sender() != approver {
            if self.salt_spent.getter(approver).get(salt) {
                return Err(IDelegationManager::SaltSpent {}.into());
            }
            let digest = self.approval_digest(staker, operator, approver, salt, sig.expiry);
            eip712::check_signature(
                approver,
                digest,
                &sig.signature,
                sig.expiry,
                self.vm().block_timestamp(),
            )?;
            self.salt_spent.setter(approver).setter(salt).set(true);
        }
        self.delegate(staker, operator)
    }

    fn complete_inner(
        &mut self,
        w: Withdrawal,
        tokens: Vec<Address>,
        receive_as_tokens: bool,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_EXIT_WITHDRAWAL_QUEUE)?;
        let root = withdrawal_root(&w);
        if !self.pending_withdrawals.get(root) {
            return Err(IDelegationManager::WithdrawalNotQueued {}.into());
        }
        if self.vm().msg_sender() != w.withdrawer {
            return Err(IDelegationManager::WithdrawerNotCaller {}.into());
        }
        if receive_as_tokens && tokens.len() != w.strategies.len() {
            return Err(IDelegationManager::InputArrayLengthMismatch {}.into());
        }
        let slashable_until = w
            .startBlock
            .saturating_add(self.min_withdrawal_delay_blocks.get().to::<u32>());
        if self.block_number() <= slashable_until {
            return Err(IDelegationManager::WithdrawalDelayNotElapsed {}.into());
        }
        let factors = self.factors_at(&w, slashable_until)?;
        self.pending_withdrawals.setter(root).set(false);
        self.queued_withdrawals.setter(root).clear();
        remove_root(&mut self.staker_withdrawal_roots.setter(w.staker), root);
        let new_operator = self.delegated_to.get(w.staker);
        for (i, (strategy, scaled)) in w.strategies.iter().zip(&w.scaledShares).enumerate() {
            let shares = slashing::scale_for_complete_withdrawal(*scaled, factors[i])?;
            if shares.is_zero() {
                continue;
            }
            let manager = self.share_manager(*strategy);
            if receive_as_tokens {
                call(
                    manager,
                    &IStrategyManager::withdrawSharesAsTokensCall {
                        staker: w.staker,
                        strategy: *strategy,
                        token: tokens[i],
                        shares,
                    },
                )?;
            } else {
                let r = call(
                    manager,
                    &IStrategyManager::addSharesCall {
                        staker: w.staker,
                        strategy: *strategy,
                        shares,
                    },
                )?;
                let sf = self.slashing_factor(w.staker, new_operator, *strategy)?;
                self.increase_delegation(new_operator, w.staker, *strategy, r._0, r._1, sf)?;
            }
        }
        log(
            self.vm(),
            IDelegationManager::SlashingWithdrawalCompleted {
                withdrawalRoot: root,
            },
        );
        Ok(())
    }

    fn set_implementations(&mut self, withdrawals: Address, view: Address) -> Result<(), Revert> {
        if view.is_zero() || withdrawals.is_zero() {
            return Err(IDelegationManager::InputAddressZero {}.into());
        }
        self.withdrawals_implementation.set(withdrawals);
        self.view_implementation.set(view);
        log(
            self.vm(),
            IDelegationManager::ImplementationsSet {
                withdrawalsImplementation: withdrawals,
                viewImplementation: view,
            },
        );
        Ok(())
    }
}

/// The core logic program: operators, delegation, deposit hooks, slashing. Unknown selectors go to
/// the withdrawals program.
#[cfg(not(any(feature = "view", feature = "withdrawals")))]
#[public]
impl DelegationManager {
    /// One-shot initializer (EigenLayer: constructor immutables + `initialize`).
    #[allow(clippy::too_many_arguments)] // mirrors the ABI
    pub fn initialize(
        &mut self,
        strategy_manager: Address,
        eigen_pod_manager: Address,
        allocation_manager: Address,
        pauser_registry: Address,
        permission_controller: Address,
        withdrawals_implementation: Address,
        view_implementation: Address,
        min_withdrawal_delay_blocks: u32,
        initial_paused_status: U256,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        if strategy_manager.is_zero() || allocation_manager.is_zero() {
            return Err(IDelegationManager::InputAddressZero {}.into());
        }
        self.strategy_manager.set(strategy_manager);
        self.eigen_pod_manager.set(eigen_pod_manager);
        self.allocation_manager.set(allocation_manager);
        self.permission_controller.set(permission_controller);
        self.min_withdrawal_delay_blocks
            .set(alloy_primitives::Uint::<32, 1>::from(
                min_withdrawal_delay_blocks,
            ));
        self.pausable.init(pauser_registry, initial_paused_status)?;
        self.set_implementations(withdrawals_implementation, view_implementation)
    }

    #[selector(name = "registerAsOperator")]
    pub fn register_as_operator(
        &mut self,
        init_delegation_approver: Address,
        allocation_delay: u32,
        metadata_uri: String,
    ) -> Result<(), Revert> {
        let operator = self.vm().msg_sender();
        if !self.delegated_to.get(operator).is_zero() {
            return Err(IDelegationManager::ActivelyDelegated {}.into());
        }
        self.guard.enter()?;
        call(
            self.allocation_manager.get(),
            &IAllocationManager::setAllocationDelayCall {
                operator,
                delay: allocation_delay,
            },
        )?;
        self.delegation_approver
            .setter(operator)
            .set(init_delegation_approver);
        log(
            self.vm(),
            IDelegationManager::OperatorRegistered {
                operator,
                delegationApprover: init_delegation_approver,
            },
        );
        log(
            self.vm(),
            IDelegationManager::OperatorMetadataURIUpdated {
                operator,
                metadataURI: metadata_uri,
            },
        );
        self.delegate(operator, operator)?;
        self.guard.exit();
        Ok(())
    }

    #[selector(name = "modifyOperatorDetails")]
    pub fn modify_operator_details(
        &mut self,
        operator: Address,
        new_delegation_approver: Address,
    ) -> Result<(), Revert> {
        self.check_can_call(operator)?;
        if !self.is_operator_inner(operator) {
            return Err(IDelegationManager::OperatorNotRegistered {}.into());
        }
        self.delegation_approver
            .setter(operator)
            .set(new_delegation_approver);
        log(
            self.vm(),
            IDelegationManager::DelegationApproverUpdated {
                operator,
                newDelegationApprover: new_delegation_approver,
            },
        );
        Ok(())
    }

    #[selector(name = "updateOperatorMetadataURI")]
    pub fn update_operator_metadata_uri(
        &mut self,
        operator: Address,
        metadata_uri: String,
    ) -> Result<(), Revert> {
        self.check_can_call(operator)?;
        if !self.is_operator_inner(operator) {
            return Err(IDelegationManager::OperatorNotRegistered {}.into());
        }
        log(
            self.vm(),
            IDelegationManager::OperatorMetadataURIUpdated {
                operator,
                metadataURI: metadata_uri,
            },
        );
        Ok(())
    }

    #[selector(name = "delegateTo")]
    pub fn delegate_to(
        &mut self,
        operator: Address,
        approver_signature_and_expiry: (stylus_sdk::abi::Bytes, U256),
        approver_salt: B256,
    ) -> Result<(), Revert> {
        self.guard.enter()?;
        let staker = self.vm().msg_sender();
        let sig = SignatureWithExpiry {
            signature: approver_signature_and_expiry.0.to_vec().into(),
            expiry: approver_signature_and_expiry.1,
        };
        self.delegate_to_inner(staker, operator, sig, approver_salt)?;
        self.guard.exit();
        Ok(())
    }

    #[selector(name = "increaseDelegatedShares")]
    pub fn increase_delegated_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        prev_deposit_shares: U256,
        added_shares: U256,
    ) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller != self.strategy_manager.get() && caller != self.eigen_pod_manager.get() {
            return Err(IDelegationManager::OnlyStrategyManagerOrEigenPodManager {}.into());
        }
        let operator = self.delegated_to.get(staker);
        let sf = self.slashing_factor(staker, operator, strategy)?;
        self.increase_delegation(
            operator,
            staker,
            strategy,
            prev_deposit_shares,
            added_shares,
            sf,
        )
    }

    #[selector(name = "decreaseDelegatedShares")]
    pub fn decrease_delegated_shares(
        &mut self,
        staker: Address,
        cur_deposit_shares: U256,
        beacon_chain_slashing_factor_decrease: u64,
    ) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.eigen_pod_manager.get()
            || self.eigen_pod_manager.get().is_zero()
        {
            return Err(IDelegationManager::OnlyEigenPodManager {}.into());
        }
        let operator = self.delegated_to.get(staker);
        if operator.is_zero() {
            return Ok(());
        }
        let m = self.max_magnitudes(operator, &[BEACON_CHAIN_ETH_STRATEGY])?[0];
        let factor =
            slashing::beacon_slashing_factor(m, U256::from(beacon_chain_slashing_factor_decrease))?;
        let k = self
            .deposit_scaling_factor
            .getter(staker)
            .get(BEACON_CHAIN_ETH_STRATEGY);
        let dec = slashing::calc_withdrawable(cur_deposit_shares, k, factor)?;
        self.decrease_operator_shares(operator, staker, BEACON_CHAIN_ETH_STRATEGY, dec);
        Ok(())
    }

    #[selector(name = "slashOperatorShares")]
    pub fn slash_operator_shares(
        &mut self,
        operator: Address,
        operator_set: (Address, u32),
        slash_id: U256,
        strategy: Address,
        prev_max_magnitude: u64,
        new_max_magnitude: u64,
    ) -> Result<U256, Revert> {
        if self.vm().msg_sender() != self.allocation_manager.get() {
            return Err(IDelegationManager::OnlyAllocationManager {}.into());
        }
        self.guard.enter()?;
        let (prev, new) = (
            U256::from(prev_max_magnitude),
            U256::from(new_max_magnitude),
        );
        let op_shares = self.operator_shares.getter(operator).get(strategy);
        let op_slashed = slashing::calc_slashed_amount(op_shares, prev, new)?;
        let scaled_in_queue = self.slashable_scaled_in_queue(operator, strategy);
        let queue_slashed = if prev.is_zero() {
            U256::ZERO
        } else {
            slashing::calc_slashed_amount(
                slashing::scale_for_complete_withdrawal(scaled_in_queue, prev)?,
                prev,
                new,
            )?
        };
        self.operator_shares
            .setter(operator)
            .setter(strategy)
            .set(op_shares - op_slashed);
        let total = op_slashed + queue_slashed;
        log(
            self.vm(),
            IDelegationManager::OperatorSharesSlashed {
                operator,
                strategy,
                totalSlashedShares: total,
            },
        );
        let set = OperatorSet {
            avs: operator_set.0,
            id: operator_set.1,
        };
        call(
            self.share_manager(strategy),
            &IStrategyManager::increaseBurnOrRedistributableSharesCall {
                operatorSet: set,
                slashId: slash_id,
                strategy,
                sharesToBurn: total,
            },
        )?;
        self.guard.exit();
        Ok(total)
    }

    /// Only the PauserRegistry's unpauser (the DelegationManager has no owner).
    #[selector(name = "setImplementations")]
    pub fn set_implementations_abi(
        &mut self,
        withdrawals_implementation: Address,
        view_implementation: Address,
    ) -> Result<(), Revert> {
        let unpauser = static_call(
            self.pausable.pauser_registry(),
            &ferrostake_interfaces::IPauserRegistry::unpauserCall {},
        )?
        ._0;
        if self.vm().msg_sender() != unpauser {
            return Err(ferrostake_interfaces::IPausable::OnlyUnpauser {}.into());
        }
        self.set_implementations(withdrawals_implementation, view_implementation)
    }

    // Hot-path views other contracts read.

    #[selector(name = "delegatedTo")]
    pub fn delegated_to_abi(&self, staker: Address) -> Address {
        self.delegated_to.get(staker)
    }

    #[selector(name = "operatorShares")]
    pub fn operator_shares_abi(&self, operator: Address, strategy: Address) -> U256 {
        self.operator_shares.getter(operator).get(strategy)
    }

    #[selector(name = "isOperator")]
    pub fn is_operator_abi(&self, operator: Address) -> bool {
        self.is_operator_inner(operator)
    }

    pub fn pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause(caller, new_paused_status)
    }

    #[selector(name = "pauseAll")]
    pub fn pause_all(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause_all(caller)
    }

    pub fn unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.unpause(caller, new_paused_status)
    }

    /// Withdrawal-queue functions and views are served by the other programs, in this storage.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        ferrostake_common::call::delegate(self.withdrawals_implementation.get(), calldata)
    }
}

/// Undelegation and the withdrawal queue: plain methods (native tests call them directly), routed by
/// the withdrawals program.
impl DelegationManager {
    pub fn undelegate(&mut self, staker: Address) -> Result<Vec<B256>, Revert> {
        self.guard.enter()?;
        let roots = self.undelegate_inner(staker)?;
        self.guard.exit();
        Ok(roots)
    }

    pub fn redelegate(
        &mut self,
        new_operator: Address,
        new_operator_approver_sig: (stylus_sdk::abi::Bytes, U256),
        approver_salt: B256,
    ) -> Result<Vec<B256>, Revert> {
        self.guard.enter()?;
        let staker = self.vm().msg_sender();
        let roots = self.undelegate_inner(staker)?;
        let sig = SignatureWithExpiry {
            signature: new_operator_approver_sig.0.to_vec().into(),
            expiry: new_operator_approver_sig.1,
        };
        self.delegate_to_inner(staker, new_operator, sig, approver_salt)?;
        self.guard.exit();
        Ok(roots)
    }

    pub fn queue_withdrawals(
        &mut self,
        params: Vec<(Vec<Address>, Vec<U256>, Address)>,
    ) -> Result<Vec<B256>, Revert> {
        self.pausable
            .require_not_paused(PAUSED_ENTER_WITHDRAWAL_QUEUE)?;
        self.guard.enter()?;
        let staker = self.vm().msg_sender();
        let operator = self.delegated_to.get(staker);
        let mut roots = Vec::with_capacity(params.len());
        // The deprecated withdrawer field is ignored: the withdrawer is always the staker.
        for (strategies, shares, _deprecated_withdrawer) in params {
            roots.push(self.remove_shares_and_queue(staker, operator, strategies, shares)?);
        }
        self.guard.exit();
        Ok(roots)
    }

    pub fn complete_queued_withdrawal(
        &mut self,
        withdrawal: views::WithdrawalTuple,
        tokens: Vec<Address>,
        receive_as_tokens: bool,
    ) -> Result<(), Revert> {
        self.guard.enter()?;
        self.complete_inner(into_withdrawal(withdrawal), tokens, receive_as_tokens)?;
        self.guard.exit();
        Ok(())
    }

    pub fn complete_queued_withdrawals(
        &mut self,
        withdrawals: Vec<views::WithdrawalTuple>,
        tokens: Vec<Vec<Address>>,
        receive_as_tokens: Vec<bool>,
    ) -> Result<(), Revert> {
        if withdrawals.len() != tokens.len() || withdrawals.len() != receive_as_tokens.len() {
            return Err(IDelegationManager::InputArrayLengthMismatch {}.into());
        }
        self.guard.enter()?;
        for ((w, t), r) in withdrawals.into_iter().zip(tokens).zip(receive_as_tokens) {
            self.complete_inner(into_withdrawal(w), t, r)?;
        }
        self.guard.exit();
        Ok(())
    }
}

/// The withdrawals program (`--features withdrawals`): undelegation and the withdrawal queue.
/// Unknown selectors (the views) go to the view program.
#[cfg(feature = "withdrawals")]
#[public]
impl DelegationManager {
    #[selector(name = "undelegate")]
    pub fn undelegate_abi(&mut self, staker: Address) -> Result<Vec<B256>, Revert> {
        self.undelegate(staker)
    }

    #[selector(name = "redelegate")]
    pub fn redelegate_abi(
        &mut self,
        new_operator: Address,
        sig: (stylus_sdk::abi::Bytes, U256),
        salt: B256,
    ) -> Result<Vec<B256>, Revert> {
        self.redelegate(new_operator, sig, salt)
    }

    #[selector(name = "queueWithdrawals")]
    pub fn queue_withdrawals_abi(
        &mut self,
        params: Vec<(Vec<Address>, Vec<U256>, Address)>,
    ) -> Result<Vec<B256>, Revert> {
        self.queue_withdrawals(params)
    }

    #[selector(name = "completeQueuedWithdrawal")]
    pub fn complete_queued_withdrawal_abi(
        &mut self,
        withdrawal: views::WithdrawalTuple,
        tokens: Vec<Address>,
        receive_as_tokens: bool,
    ) -> Result<(), Revert> {
        self.complete_queued_withdrawal(withdrawal, tokens, receive_as_tokens)
    }

    #[selector(name = "completeQueuedWithdrawals")]
    pub fn complete_queued_withdrawals_abi(
        &mut self,
        withdrawals: Vec<views::WithdrawalTuple>,
        tokens: Vec<Vec<Address>>,
        receive_as_tokens: Vec<bool>,
    ) -> Result<(), Revert> {
        self.complete_queued_withdrawals(withdrawals, tokens, receive_as_tokens)
    }

    /// Views are served by the view program, in this storage.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        ferrostake_common::call::delegate(self.view_implementation.get(), calldata)
    }
}

fn into_withdrawal(
    t: (
        Address,
        Address,
        Address,
        U256,
        u32,
        Vec<Address>,
        Vec<U256>,
    ),
) -> Withdrawal {
    Withdrawal {
        staker: t.0,
        delegatedTo: t.1,
        withdrawer: t.2,
        nonce: t.3,
        startBlock: t.4,
        strategies: t.5,
        scaledShares: t.6,
    }
}

mod views;

/// The block clock native tests advance (motsu fixes `block.number` at 0).
#[cfg(test)]
pub(crate) mod test_clock {
    use core::cell::Cell;

    std::thread_local! {
        static BLOCK: Cell<u64> = const { Cell::new(1) };
    }

    pub fn get() -> u64 {
        BLOCK.with(|b| b.get())
    }

    pub fn advance(n: u64) {
        BLOCK.with(|b| b.set(b.get() + n));
    }
}

// The native tests drive the core and withdrawal logic, which the default build compiles.
#[cfg(all(test, not(any(feature = "view", feature = "withdrawals"))))]
mod tests;
