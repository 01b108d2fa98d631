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
//! | `slashHoldStarted` (extension) | AllocationManager | a queued slash started a hold on the operator's withdrawals: the first such block is kept, and completions of withdrawals slashable from then on ask the AllocationManager about holds |
//!
//! Three programs behind one proxy (24 KiB each), reached in this order through fallbacks (see
//! contracts/README.md):
//!
//! | program | build | serves |
//! |---|---|---|
//! | core | default | `initialize`, `registerAsOperator`, `delegateTo`, `redelegate`, the deposit and slashing hooks, `setImplementations`, pausing, and the reads other contracts make on hot paths (`delegatedTo`, `operatorShares`, `isOperator`) |
//! | withdrawals | `--features withdrawals` | `undelegate`, `queueWithdrawals`, `completeQueuedWithdrawal(s)`, `modifyOperatorDetails`, `updateOperatorMetadataURI`, `slashHoldStarted` |
//! | view | `--features view` | every view |
//!
//! `redelegate` is EigenLayer's `undelegate(msg.sender)` + `delegateTo`: the core delegate-calls
//! `undelegate` into the withdrawals program, then delegates. Each program routes its calldata by
//! hand in its `#[fallback]` ([`DelegationManager::serve_core`], `serve_withdrawals`, `serve_view`)
//! with the small non-generic ABI reader/writer of [`abi`]: the SDK's generic router, alloy's
//! generic decoders and the generic call/log helpers do not fit 24 KiB. The plain methods are
//! what the native tests call.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
#![cfg_attr(
    any(feature = "view", feature = "withdrawals"),
    allow(dead_code, unused_imports)
)]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use ferrostake_common::{
    access::{Initializable, Pausable, ReentrancyGuard},
    eip712,
    math::WAD,
    slashing, Revert,
};
use ferrostake_interfaces::{
    IAllocationManager, IDelegationManager, IEigenPodManager, IFerrostakeErrors::MathOverflow,
    IPermissionController, IStrategyManager, SignatureWithExpiry, Withdrawal,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        Erase, StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32,
        StorageU96, StorageVec,
    },
    ArbResult,
};

use abi::{fail, Enc, Ret};

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
    const HASH: B256 =
        ferrostake_common::eip712::const_keccak("DelegationApproval(address delegationApprover,address staker,address operator,bytes32 salt,uint256 expiry)");
    HASH
}

/// `keccak256(abi.encode(withdrawal))`.
pub fn withdrawal_root(w: &Withdrawal) -> B256 {
    keccak256(abi::encode_withdrawal(w))
}

/// Bytes of a `Withdrawal` tuple in ABI encoding (head and both arrays).
fn withdrawal_size(w: &Withdrawal) -> u64 {
    (7 + 2 + w.strategies.len() + w.scaledShares.len()) as u64 * 32
}

/// `stakerDepositShares(staker, strategy)` of a share manager (StrategyManager or EigenPodManager:
/// same signature).
fn deposit_shares_of(manager: Address, staker: Address, strategy: Address) -> Result<U256, Revert> {
    let mut data = Enc::call(IStrategyManager::stakerDepositSharesCall::SELECTOR);
    data.a(staker).a(strategy);
    Ret::call(manager, data, false)?.reader().u(0)
}

/// A queued withdrawal as stored (for the views; completion takes the struct as calldata and checks
/// its root). Packed for gas: (staker, startBlock, strategy count) share a slot, and so do
/// (delegatedTo, nonce); the strategies and scaled shares are indexed by position with no length
/// slots. A withdrawal is pending exactly while its count is non-zero (`queueWithdrawals` refuses
/// empty ones), so there is no separate pending flag.
#[storage]
pub struct StoredWithdrawal {
    staker: StorageAddress,
    start_block: StorageU32,
    count: StorageU32,
    delegated_to: StorageAddress,
    nonce: StorageU96,
    strategies: StorageMap<U256, StorageAddress>,
    scaled_shares: StorageMap<U256, StorageU256>,
}

impl StoredWithdrawal {
    /// Whether a withdrawal is queued under this root.
    fn pending(&self) -> bool {
        self.count.get() != alloy_primitives::Uint::<32, 1>::ZERO
    }

    /// Zeroes every slot (gas refunds; the views then read an empty withdrawal).
    fn clear(&mut self) {
        let n = self.count.get().to::<u32>();
        for i in 0..n {
            let i = U256::from(i);
            self.strategies.delete(i);
            self.scaled_shares.delete(i);
        }
        self.staker.erase();
        self.start_block.erase();
        self.count.erase();
        self.delegated_to.erase();
        self.nonce.erase();
    }
}

/// Cumulative scaled shares an operator has seen queued, by block (for slashing the part of the
/// queue still inside its delay): checkpoints packed as `block << 224 | value`, one slot each, as
/// EigenLayer's `Snapshots` (uint32 key, uint224 value).
#[storage]
pub struct History {
    checkpoints: StorageVec<StorageU256>,
}

const VALUE_BITS: usize = 224;

fn checkpoint_block(c: U256) -> u32 {
    (c >> VALUE_BITS).to::<u32>()
}

fn checkpoint_value(c: U256) -> U256 {
    c & ((U256::from(1u8) << VALUE_BITS) - U256::from(1u8))
}

impl History {
    fn latest(&self) -> U256 {
        let n = self.checkpoints.len();
        if n == 0 {
            U256::ZERO
        } else {
            checkpoint_value(self.checkpoints.get(n - 1).unwrap_or_default())
        }
    }

    /// The value at the last snapshot taken at or before `block` (0 before the first).
    fn upper_lookup(&self, block: u32) -> U256 {
        let (mut lo, mut hi) = (0usize, self.checkpoints.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if checkpoint_block(self.checkpoints.get(mid).unwrap_or_default()) <= block {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == 0 {
            U256::ZERO
        } else {
            checkpoint_value(self.checkpoints.get(lo - 1).unwrap_or_default())
        }
    }

    /// Records `value` at `block` (overwriting a checkpoint of the same block).
    ///
    /// Errors: [`MathOverflow`] when `value` does not fit 224 bits.
    fn push(&mut self, block: u32, value: U256) -> Result<(), Revert> {
        if value >> VALUE_BITS != U256::ZERO {
            return Err(MathOverflow {}.into());
        }
        let packed = (U256::from(block) << VALUE_BITS) | value;
        let n = self.checkpoints.len();
        if n > 0 {
            if let Some(mut last) = self.checkpoints.setter(n - 1) {
                if checkpoint_block(last.get()) == block {
                    last.set(packed);
                    return Ok(());
                }
            }
        }
        self.checkpoints.push(packed);
        Ok(())
    }
}

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
    queued_withdrawals: StorageMap<B256, StoredWithdrawal>,
    staker_withdrawal_roots: StorageMap<Address, StorageVec<StorageB256>>,
    cumulative_scaled_shares: StorageMap<Address, StorageMap<Address, History>>,
    /// Ferrostake extension: operator → the block of the first queued slash that held its
    /// stakers' withdrawals, as the AllocationManager reported it (`slashHoldStarted`; 0: never).
    /// Completions of withdrawals slashable only until before it need not ask the
    /// AllocationManager (see [`DelegationManager::slash_hold`]).
    slash_hold_since: StorageMap<Address, StorageU32>,
}

ferrostake_common::entrypoint!(DelegationManager);

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
        let mut data = Enc::call(IEigenPodManager::beaconChainSlashingFactorCall::SELECTOR);
        data.a(staker);
        Ret::call(epm, data, false)?.reader().small(0, 8)
    }

    /// Max magnitudes of `operator` for `strategies` (WAD for the undelegated), now or at the end
    /// of block `at`. One per strategy: any other count is invalid return data.
    fn max_magnitudes(
        &self,
        operator: Address,
        strategies: &[Address],
        at: Option<u32>,
    ) -> Result<Vec<U256>, Revert> {
        if operator.is_zero() {
            return Ok(vec![WAD; strategies.len()]);
        }
        // Nothing to ask (e.g. delegating a staker with no deposits): save the call.
        if strategies.is_empty() {
            return Ok(Vec::new());
        }
        let am = self.allocation_manager.get();
        let mut data = Enc::call(match at {
            None => IAllocationManager::getMaxMagnitudes_0Call::SELECTOR,
            Some(_) => IAllocationManager::getMaxMagnitudesAtBlockCall::SELECTOR,
        });
        data.a(operator)
            .n(if at.is_some() { 3 * 32 } else { 2 * 32 });
        if let Some(block) = at {
            data.n(block.into());
        }
        data.addresses(strategies);
        let ret = Ret::call(am, data, false)?;
        let ret = ret.reader();
        let mags = ret.u64s(0, 0)?;
        if mags.len() != strategies.len() {
            return Err(ret.bad());
        }
        Ok(mags)
    }

    /// Slashing factors `m` (× `l` for beacon ETH) of `staker` under `operator`.
    fn slashing_factors(
        &self,
        staker: Address,
        operator: Address,
        strategies: &[Address],
    ) -> Result<Vec<U256>, Revert> {
        self.slashing_factors_at(staker, operator, strategies, None)
    }

    /// [`Self::slashing_factors`] now (`at` = None) or at the end of block `at`.
    fn slashing_factors_at(
        &self,
        staker: Address,
        operator: Address,
        strategies: &[Address],
        at: Option<u32>,
    ) -> Result<Vec<U256>, Revert> {
        let mut factors = self.max_magnitudes(operator, strategies, at)?;
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
        let mut data = Enc::call(IStrategyManager::getDepositsCall::SELECTOR);
        data.a(staker);
        let r = Ret::call(self.strategy_manager.get(), data, false)?;
        let r = r.reader();
        let (mut strategies, mut shares) = (r.addresses(0, 0)?, r.uints(0, 32)?);
        let epm = self.eigen_pod_manager.get();
        if !epm.is_zero() {
            let pod = deposit_shares_of(epm, staker, BEACON_CHAIN_ETH_STRATEGY)?;
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
        let mut data = Enc::default();
        data.b(&delegation_approval_typehash().0)
            .a(approver)
            .a(staker)
            .a(operator)
            .b(&salt.0)
            .u(expiry);
        let struct_hash = keccak256(&data.0);
        eip712::hash_typed_data(self.domain_separator_inner(), struct_hash)
    }

    fn stored_withdrawal(&self, root: B256) -> Withdrawal {
        let w = self.queued_withdrawals.getter(root);
        let staker = w.staker.get();
        let n = w.count.get().to::<u32>();
        Withdrawal {
            staker,
            delegatedTo: w.delegated_to.get(),
            withdrawer: staker,
            nonce: U256::from(w.nonce.get()),
            startBlock: w.start_block.get().to::<u32>(),
            strategies: (0..n).map(|i| w.strategies.get(U256::from(i))).collect(),
            scaledShares: (0..n).map(|i| w.scaled_shares.get(U256::from(i))).collect(),
        }
    }

    /// Shares a withdrawal pays: at the end of its delay (or of a slash hold, see
    /// [`Self::slash_hold`]) if that has passed, else now (may still fall).
    fn withdrawal_shares(&self, w: &Withdrawal) -> Result<Vec<U256>, Revert> {
        let slashable_until = w
            .startBlock
            .saturating_add(self.min_withdrawal_delay_blocks.get().to::<u32>());
        let (held, until) = self.slash_hold(w.delegatedTo, slashable_until)?;
        // At the end of the delay if that has passed, else now.
        let at = (!held && until < self.block_number()).then_some(until);
        let factors = self.slashing_factors_at(w.staker, w.delegatedTo, &w.strategies, at)?;
        w.scaledShares
            .iter()
            .zip(factors)
            .map(|(s, f)| slashing::scale_for_complete_withdrawal(*s, f))
            .collect()
    }

    /// Slashing factors of the withdrawal's original operator at `block`, times the staker's current
    /// beacon-chain factor for beacon ETH.
    fn factors_at(&self, w: &Withdrawal, block: u32) -> Result<Vec<U256>, Revert> {
        self.slashing_factors_at(w.staker, w.delegatedTo, &w.strategies, Some(block))
    }

    /// Ferrostake extension (guarded operator sets): asks the AllocationManager whether a queued
    /// slash that could reach a withdrawal from `operator`, slashable until `until`, is pending
    /// (`held`), and else at which block its shares are fixed (`until`, or the later execution of
    /// such a slash). An undelegated withdrawal is never held.
    ///
    /// The AllocationManager reports the first hold of each operator (`slashHoldStarted`): every
    /// hold episode starts at or after it, so a withdrawal slashable only until before it (in
    /// particular any withdrawal from an operator never held) is neither held nor paid at a later
    /// block, and is answered here without the call.
    fn slash_hold(&self, operator: Address, until: u32) -> Result<(bool, u32), Revert> {
        let since = self.slash_hold_since.get(operator).to::<u32>();
        if operator.is_zero() || since == 0 || until < since {
            return Ok((false, until));
        }
        let mut data = Enc::call(IAllocationManager::getWithdrawalSlashHoldCall::SELECTOR);
        data.a(operator).n(until.into());
        let r = Ret::call(self.allocation_manager.get(), data, false)?;
        let r = r.reader();
        Ok((r.bool(0)?, r.u32(32)?.max(until)))
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
    /// EigenLayer's `_checkCanCall`: with a PermissionController, it alone decides (an account
    /// that appointed admins no longer acts for itself); without one, only the account itself.
    fn check_can_call(&self, account: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        let pc = self.permission_controller.get();
        if pc.is_zero() && caller == account {
            return Ok(());
        }
        if !pc.is_zero() {
            // bytes4: left-aligned in its word.
            let mut selector = [0u8; 32];
            let args = self.vm().read_args(4);
            if let Some(s) = args.get(..4) {
                selector[..4].copy_from_slice(s);
            }
            let mut data = Enc::call(IPermissionController::canCallCall::SELECTOR);
            data.a(account)
                .a(caller)
                .a(self.vm().contract_address())
                .b(&selector);
            if Ret::call(pc, data, true)?.reader().bool(0)? {
                return Ok(());
            }
        }
        fail!(ferrostake_interfaces::IPermissionControllerMixin::InvalidPermissions)
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
            return fail!(IDelegationManager::FullySlashed);
        }
        // After the FullySlashed check, before touching the scaling factor: a zero addition must not
        // move it (EigenLayer PR #1191).
        if added_shares.is_zero() {
            return Ok(());
        }
        let k = self.deposit_scaling_factor.getter(staker).get(strategy);
        let new_k = slashing::update(k, prev_deposit_shares, added_shares, slashing_factor)?;
        // A stored 0 reads as WAD (`slashing::scaling_factor`), so an unchanged factor — WAD on a
        // first deposit under an unslashed operator or none — is not written: no fresh slot.
        if new_k != slashing::scaling_factor(k) {
            self.deposit_scaling_factor
                .setter(staker)
                .setter(strategy)
                .set(new_k);
        }
        abi::emit(
            self.vm(),
            IDelegationManager::DepositScalingFactorUpdated::SIGNATURE_HASH,
            &[],
            &Enc::default().a(staker).a(strategy).u(new_k).0,
        );
        if !operator.is_zero() {
            let shares = self.operator_shares.getter(operator).get(strategy);
            self.operator_shares
                .setter(operator)
                .setter(strategy)
                .set(shares + added_shares);
            abi::emit(
                self.vm(),
                IDelegationManager::OperatorSharesIncreased::SIGNATURE_HASH,
                &[operator],
                &Enc::default().a(staker).a(strategy).u(added_shares).0,
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
        abi::emit(
            self.vm(),
            IDelegationManager::OperatorSharesDecreased::SIGNATURE_HASH,
            &[operator],
            &Enc::default().a(staker).a(strategy).u(shares).0,
        );
    }

    fn delegate(&mut self, staker: Address, operator: Address) -> Result<(), Revert> {
        self.pausable.require_not_paused(PAUSED_NEW_DELEGATION)?;
        self.delegated_to.setter(staker).set(operator);
        abi::emit(
            self.vm(),
            IDelegationManager::StakerDelegated::SIGNATURE_HASH,
            &[staker, operator],
            &[],
        );
        let (strategies, shares) = self.deposited_shares(staker)?;
        // The new deposit scaling factor forgives the operator's past slashing only: the staker's
        // beacon-chain slashing factor stays in the withdrawable-shares formula (it is applied to
        // the shares delegated below), so it must not enter the scaling factor too, or delegating
        // would erase it.
        let factors = self.max_magnitudes(operator, &strategies, None)?;
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
            return fail!(IDelegationManager::InputArrayLengthZero);
        }
        if strategies.len() != deposit_shares.len() {
            return fail!(IDelegationManager::InputArrayLengthMismatch);
        }
        let factors = self.slashing_factors(staker, operator, &strategies)?;
        let mut scaled = Vec::with_capacity(strategies.len());
        let mut withdrawable = Vec::with_capacity(strategies.len());
        let block = self.block_number();
        for ((strategy, shares), sf) in strategies.iter().zip(&deposit_shares).zip(&factors) {
            let k = self.deposit_scaling_factor.getter(staker).get(*strategy);
            let w = slashing::calc_withdrawable(*shares, k, *sf)?;
            let sc = slashing::scale_for_queue_withdrawal(*shares, k)?;
            // The share manager checks the amount first (SharesAmountTooHigh), so an impossible
            // amount is refused as such rather than by the history's 224-bit bound.
            let mut data = Enc::call(IStrategyManager::removeDepositSharesCall::SELECTOR);
            data.a(staker).a(*strategy).u(*shares);
            let remaining = Ret::call(self.share_manager(*strategy), data, true)?
                .reader()
                .u(0)?;
            if !operator.is_zero() {
                let mut by_op = self.cumulative_scaled_shares.setter(operator);
                let mut h = by_op.setter(*strategy);
                let total = h.latest().checked_add(sc).ok_or(MathOverflow {})?;
                h.push(block, total)?;
                self.decrease_operator_shares(operator, staker, *strategy, w);
            }
            if remaining.is_zero() {
                // Reset to WAD (stored as 0); an unwritten factor already reads WAD.
                if !k.is_zero() {
                    self.deposit_scaling_factor
                        .setter(staker)
                        .setter(*strategy)
                        .set(U256::ZERO);
                }
                abi::emit(
                    self.vm(),
                    IDelegationManager::DepositScalingFactorUpdated::SIGNATURE_HASH,
                    &[],
                    &Enc::default().a(staker).a(*strategy).u(WAD).0,
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
        {
            let mut stored = self.queued_withdrawals.setter(root);
            stored.staker.set(staker);
            stored
                .start_block
                .set(alloy_primitives::Uint::<32, 1>::from(block));
            // At most MAX_STAKER_STRATEGY_LIST_LENGTH strategies (plus beacon ETH) per withdrawal.
            stored.count.set(alloy_primitives::Uint::<32, 1>::from(
                strategies.len() as u32
            ));
            stored.delegated_to.set(operator);
            // A nonce counts the staker's withdrawals: 2^96 of them cannot be queued.
            stored
                .nonce
                .set(alloy_primitives::Uint::<96, 2>::from_limbs_slice(
                    &nonce.as_limbs()[..2],
                ));
            for (i, (s, sc)) in strategies.iter().zip(&scaled).enumerate() {
                stored.strategies.setter(U256::from(i)).set(*s);
                stored.scaled_shares.setter(U256::from(i)).set(*sc);
            }
        }
        self.staker_withdrawal_roots.setter(staker).push(root);
        // (bytes32 root, Withdrawal withdrawal, uint256[] sharesToWithdraw), nothing indexed.
        let mut data = Enc::default();
        data.b(&root.0)
            .n(3 * 32)
            .n(3 * 32 + withdrawal_size(&withdrawal))
            .withdrawal(&withdrawal)
            .uints(&withdrawable);
        abi::emit(
            self.vm(),
            IDelegationManager::SlashingWithdrawalQueued::SIGNATURE_HASH,
            &[],
            &data.0,
        );
        Ok(root)
    }

    fn undelegate_inner(&mut self, staker: Address) -> Result<Vec<B256>, Revert> {
        self.pausable
            .require_not_paused(PAUSED_ENTER_WITHDRAWAL_QUEUE)?;
        let operator = self.delegated_to.get(staker);
        if operator.is_zero() {
            return fail!(IDelegationManager::NotActivelyDelegated);
        }
        if self.is_operator_inner(staker) {
            return fail!(IDelegationManager::OperatorsCannotUndelegate);
        }
        if staker.is_zero() {
            return fail!(IDelegationManager::InputAddressZero);
        }
        let caller = self.vm().msg_sender();
        if caller != staker {
            let by_approver = caller == self.delegation_approver.get(operator);
            if !by_approver {
                self.check_can_call(operator)
                    .map_err(|_| abi::err(IDelegationManager::CallerCannotUndelegate::SELECTOR))?;
            }
            abi::emit(
                self.vm(),
                IDelegationManager::StakerForceUndelegated::SIGNATURE_HASH,
                &[staker, operator],
                &[],
            );
        }
        abi::emit(
            self.vm(),
            IDelegationManager::StakerUndelegated::SIGNATURE_HASH,
            &[staker, operator],
            &[],
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
            return fail!(IDelegationManager::ActivelyDelegated);
        }
        if !self.is_operator_inner(operator) {
            return fail!(IDelegationManager::OperatorNotRegistered);
        }
        let approver = self.delegation_approver.get(operator);
        if !approver.is_zero() && self.vm().msg_sender() != approver {
            if self.salt_spent.getter(approver).get(salt) {
                return fail!(IDelegationManager::SaltSpent);
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
        if !self.queued_withdrawals.getter(root).pending() {
            return fail!(IDelegationManager::WithdrawalNotQueued);
        }
        if self.vm().msg_sender() != w.withdrawer {
            return fail!(IDelegationManager::WithdrawerNotCaller);
        }
        if receive_as_tokens && tokens.len() != w.strategies.len() {
            return fail!(IDelegationManager::InputArrayLengthMismatch);
        }
        let slashable_until = w
            .startBlock
            .saturating_add(self.min_withdrawal_delay_blocks.get().to::<u32>());
        if self.block_number() <= slashable_until {
            return fail!(IDelegationManager::WithdrawalDelayNotElapsed);
        }
        let (held, at) = self.slash_hold(w.delegatedTo, slashable_until)?;
        if held {
            return fail!(IDelegationManager::WithdrawalHeldBySlash);
        }
        let factors = self.factors_at(&w, at)?;
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
                let mut data = Enc::call(IStrategyManager::withdrawSharesAsTokensCall::SELECTOR);
                data.a(w.staker).a(*strategy).a(tokens[i]).u(shares);
                abi::call(manager, &data.0, true)?;
            } else {
                let mut data = Enc::call(IStrategyManager::addSharesCall::SELECTOR);
                data.a(w.staker).a(*strategy).u(shares);
                let r = Ret::call(manager, data, true)?;
                let (prev, added) = (r.reader().u(0)?, r.reader().u(32)?);
                let sf = self.slashing_factor(w.staker, new_operator, *strategy)?;
                self.increase_delegation(new_operator, w.staker, *strategy, prev, added, sf)?;
            }
        }
        abi::emit(
            self.vm(),
            IDelegationManager::SlashingWithdrawalCompleted::SIGNATURE_HASH,
            &[],
            &Enc::default().b(&root.0).0,
        );
        Ok(())
    }

    fn metadata_uri_updated(&self, operator: Address, uri: &str) {
        let mut data = Enc::default();
        data.n(32).bytes(uri.as_bytes());
        abi::emit(
            self.vm(),
            IDelegationManager::OperatorMetadataURIUpdated::SIGNATURE_HASH,
            &[operator],
            &data.0,
        );
    }

    fn set_implementations(&mut self, withdrawals: Address, view: Address) -> Result<(), Revert> {
        if view.is_zero() || withdrawals.is_zero() {
            return fail!(IDelegationManager::InputAddressZero);
        }
        self.withdrawals_implementation.set(withdrawals);
        self.view_implementation.set(view);
        abi::emit(
            self.vm(),
            IDelegationManager::ImplementationsSet::SIGNATURE_HASH,
            &[],
            &Enc::default().a(withdrawals).a(view).0,
        );
        Ok(())
    }
}

/// Core entry points (plain methods, so native tests call them directly; routed by
/// [`DelegationManager::serve_core`]) and the core program's router.
impl DelegationManager {
    pub fn register_as_operator(
        &mut self,
        init_delegation_approver: Address,
        allocation_delay: u32,
        metadata_uri: String,
    ) -> Result<(), Revert> {
        let operator = self.vm().msg_sender();
        if !self.delegated_to.get(operator).is_zero() {
            return fail!(IDelegationManager::ActivelyDelegated);
        }
        self.guard.enter()?;
        let mut data = Enc::call(IAllocationManager::setAllocationDelayCall::SELECTOR);
        data.a(operator).n(allocation_delay.into());
        abi::call(self.allocation_manager.get(), &data.0, true)?;
        // An address that never registered has no approver (only operators set one, and an
        // operator stays one), so a zero approver needs no write.
        if !init_delegation_approver.is_zero() {
            self.delegation_approver
                .setter(operator)
                .set(init_delegation_approver);
        }
        abi::emit(
            self.vm(),
            IDelegationManager::OperatorRegistered::SIGNATURE_HASH,
            &[operator],
            &Enc::default().a(init_delegation_approver).0,
        );
        self.metadata_uri_updated(operator, &metadata_uri);
        self.delegate(operator, operator)?;
        self.guard.exit();
        Ok(())
    }

    pub fn update_operator_metadata_uri(
        &mut self,
        operator: Address,
        metadata_uri: String,
    ) -> Result<(), Revert> {
        self.check_can_call(operator)?;
        if !self.is_operator_inner(operator) {
            return fail!(IDelegationManager::OperatorNotRegistered);
        }
        self.metadata_uri_updated(operator, &metadata_uri);
        Ok(())
    }

    pub fn delegate_to(
        &mut self,
        operator: Address,
        approver_signature_and_expiry: (stylus_sdk::abi::Bytes, U256),
        approver_salt: B256,
    ) -> Result<(), Revert> {
        self.delegate_to_guarded(
            operator,
            &approver_signature_and_expiry.0,
            approver_signature_and_expiry.1,
            approver_salt,
        )
    }

    fn delegate_to_guarded(
        &mut self,
        operator: Address,
        signature: &[u8],
        expiry: U256,
        salt: B256,
    ) -> Result<(), Revert> {
        self.guard.enter()?;
        let staker = self.vm().msg_sender();
        let sig = SignatureWithExpiry {
            signature: signature.to_vec().into(),
            expiry,
        };
        self.delegate_to_inner(staker, operator, sig, salt)?;
        self.guard.exit();
        Ok(())
    }

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
            return fail!(IDelegationManager::OnlyAllocationManager);
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
        abi::emit(
            self.vm(),
            IDelegationManager::OperatorSharesSlashed::SIGNATURE_HASH,
            &[operator],
            &Enc::default().a(strategy).u(total).0,
        );
        // (OperatorSet operatorSet, uint256 slashId, address strategy, uint256 sharesToBurn); the
        // struct is static, so in place.
        let mut data =
            Enc::call(IStrategyManager::increaseBurnOrRedistributableSharesCall::SELECTOR);
        data.a(operator_set.0)
            .n(operator_set.1.into())
            .u(slash_id)
            .a(strategy)
            .u(total);
        abi::call(self.share_manager(strategy), &data.0, true)?;
        self.guard.exit();
        Ok(total)
    }

    /// The core program's router: every core function from raw calldata, arguments read by
    /// [`abi::Reader`] and results encoded by hand rather than by the SDK's generic router (program
    /// size). Undecodable arguments revert with empty data, as the SDK's router does. `None` for
    /// selectors the core does not serve.
    pub fn serve_core(&mut self, calldata: &[u8]) -> Option<ArbResult> {
        use IDelegationManager as I;
        let selector: [u8; 4] = calldata.get(..4)?.try_into().ok()?;
        let r = abi::Reader {
            data: &calldata[4..],
            to: None,
        };
        let out: Result<Vec<u8>, Revert> = match selector {
            I::initializeCall::SELECTOR => (|| {
                self.initialize(
                    r.a(0)?,
                    r.a(32)?,
                    r.a(64)?,
                    r.a(96)?,
                    r.a(128)?,
                    r.a(160)?,
                    r.a(192)?,
                    r.u32(224)?,
                    r.u(256)?,
                )
            })()
            .map(|_| Vec::new()),
            I::registerAsOperatorCall::SELECTOR => (|| {
                let (approver, delay, uri) = (r.a(0)?, r.u32(32)?, r.string(0, 64)?);
                self.register_as_operator(approver, delay, uri)
            })()
            .map(|_| Vec::new()),
            // (address operator, SignatureWithExpiry(bytes signature, uint256 expiry), bytes32 salt)
            I::delegateToCall::SELECTOR | I::redelegateCall::SELECTOR => (|| {
                let operator = r.a(0)?;
                let sig = r.tail(0, 32)?;
                let (signature, expiry) = (r.bytes(sig, sig)?, r.u(sig + 32)?);
                let salt = B256::from(r.u(64)?);
                if selector == I::delegateToCall::SELECTOR {
                    self.delegate_to_guarded(operator, signature, expiry, salt)?;
                    return Ok(Vec::new());
                }
                // redelegate = undelegate(msg.sender) (in the withdrawals program, which returns
                // the bytes32[] withdrawal roots) + delegateTo, each under the guard, as
                // EigenLayer's.
                let mut undelegate = Enc::call(I::undelegateCall::SELECTOR);
                undelegate.a(self.vm().msg_sender());
                let roots = ferrostake_common::call::delegate(
                    self.withdrawals_implementation.get(),
                    &undelegate.0,
                )
                .map_err(Revert)?;
                self.delegate_to_guarded(operator, signature, expiry, salt)?;
                Ok(roots)
            })(),
            I::increaseDelegatedSharesCall::SELECTOR => {
                (|| self.increase_delegated_shares(r.a(0)?, r.a(32)?, r.u(64)?, r.u(96)?))()
                    .map(|_| Vec::new())
            }
            I::decreaseDelegatedSharesCall::SELECTOR => {
                (|| self.decrease_delegated_shares(r.a(0)?, r.u(32)?, r.small(64, 8)?.to()))()
                    .map(|_| Vec::new())
            }
            // (address operator, OperatorSet(address avs, uint32 id), uint256 slashId,
            //  address strategy, uint64 prevMaxMagnitude, uint64 newMaxMagnitude)
            I::slashOperatorSharesCall::SELECTOR => (|| {
                let operator = r.a(0)?;
                let set = (r.a(32)?, r.u32(64)?);
                let (slash_id, strategy) = (r.u(96)?, r.a(128)?);
                let prev: u64 = r.small(160, 8)?.to();
                let new: u64 = r.small(192, 8)?.to();
                self.slash_operator_shares(operator, set, slash_id, strategy, prev, new)
            })()
            .map(abi::word),
            I::setImplementationsCall::SELECTOR => (|| {
                let (withdrawals, view) = (r.a(0)?, r.a(32)?);
                self.set_implementations_abi(withdrawals, view)
            })()
            .map(|_| Vec::new()),
            I::delegatedToCall::SELECTOR => r
                .a(0)
                .map(|staker| abi::word_a(self.delegated_to_abi(staker))),
            I::operatorSharesCall::SELECTOR => {
                (|| Ok(abi::word(self.operator_shares_abi(r.a(0)?, r.a(32)?))))()
            }
            I::isOperatorCall::SELECTOR => r
                .a(0)
                .map(|operator| abi::word(U256::from(self.is_operator_abi(operator) as u8))),
            ferrostake_interfaces::IPausable::pauseCall::SELECTOR => {
                r.u(0).and_then(|s| self.pause(s)).map(|_| Vec::new())
            }
            ferrostake_interfaces::IPausable::pauseAllCall::SELECTOR => {
                self.pause_all().map(|_| Vec::new())
            }
            ferrostake_interfaces::IPausable::unpauseCall::SELECTOR => {
                r.u(0).and_then(|s| self.unpause(s)).map(|_| Vec::new())
            }
            _ => return None,
        };
        Some(out.map_err(Vec::from))
    }
}

/// The rest of the core program's functions (plain methods; routed by
/// [`DelegationManager::serve_core`], except the operator-details functions, which the withdrawals
/// program routes).
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
        self.guard.init();
        if strategy_manager.is_zero() || allocation_manager.is_zero() {
            return fail!(IDelegationManager::InputAddressZero);
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

    pub fn modify_operator_details(
        &mut self,
        operator: Address,
        new_delegation_approver: Address,
    ) -> Result<(), Revert> {
        self.check_can_call(operator)?;
        if !self.is_operator_inner(operator) {
            return fail!(IDelegationManager::OperatorNotRegistered);
        }
        self.delegation_approver
            .setter(operator)
            .set(new_delegation_approver);
        abi::emit(
            self.vm(),
            IDelegationManager::DelegationApproverUpdated::SIGNATURE_HASH,
            &[operator],
            &Enc::default().a(new_delegation_approver).0,
        );
        Ok(())
    }

    pub fn increase_delegated_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        prev_deposit_shares: U256,
        added_shares: U256,
    ) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller != self.strategy_manager.get() && caller != self.eigen_pod_manager.get() {
            return fail!(IDelegationManager::OnlyStrategyManagerOrEigenPodManager);
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

    pub fn decrease_delegated_shares(
        &mut self,
        staker: Address,
        cur_deposit_shares: U256,
        beacon_chain_slashing_factor_decrease: u64,
    ) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.eigen_pod_manager.get()
            || self.eigen_pod_manager.get().is_zero()
        {
            return fail!(IDelegationManager::OnlyEigenPodManager);
        }
        let operator = self.delegated_to.get(staker);
        if operator.is_zero() {
            return Ok(());
        }
        let m = self.max_magnitudes(operator, &[BEACON_CHAIN_ETH_STRATEGY], None)?[0];
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

    /// Only the proxy's ERC-1967 admin: pointing the proxy's delegatecalls at other code is an
    /// upgrade, so it takes the upgrade key (and whatever delay that key sits behind).
    pub fn set_implementations_abi(
        &mut self,
        withdrawals_implementation: Address,
        view_implementation: Address,
    ) -> Result<(), Revert> {
        ferrostake_common::access::only_proxy_admin(self.vm())?;
        self.set_implementations(withdrawals_implementation, view_implementation)
    }

    // Hot-path views other contracts read.

    pub fn delegated_to_abi(&self, staker: Address) -> Address {
        self.delegated_to.get(staker)
    }

    pub fn operator_shares_abi(&self, operator: Address, strategy: Address) -> U256 {
        self.operator_shares.getter(operator).get(strategy)
    }

    pub fn is_operator_abi(&self, operator: Address) -> bool {
        self.is_operator_inner(operator)
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

/// The core program: operators, delegation, deposit hooks, slashing, pausing. Every call arrives
/// in the fallback and is routed by [`DelegationManager::serve_core`]; other selectors go to the
/// withdrawals program.
#[cfg(not(any(feature = "view", feature = "withdrawals")))]
#[public]
impl DelegationManager {
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Some(out) = self.serve_core(calldata) {
            return out;
        }
        ferrostake_common::call::delegate(self.withdrawals_implementation.get(), calldata)
    }
}

/// Undelegation and the withdrawal queue: plain methods (native tests call them directly), routed by
/// the withdrawals program.
impl DelegationManager {
    /// Ferrostake extension: the AllocationManager queued a slash against `operator` while none
    /// was pending (a hold episode started); the first such block is kept (see
    /// [`Self::slash_hold`]). A hold at block 0 is recorded as block 1.
    pub fn slash_hold_started(&mut self, operator: Address) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.allocation_manager.get() {
            return fail!(IDelegationManager::OnlyAllocationManager);
        }
        if self.slash_hold_since.get(operator).is_zero() {
            let block = self.block_number().max(1);
            self.slash_hold_since
                .setter(operator)
                .set(alloy_primitives::Uint::<32, 1>::from(block));
        }
        Ok(())
    }

    pub fn undelegate(&mut self, staker: Address) -> Result<Vec<B256>, Revert> {
        self.guard.enter()?;
        let roots = self.undelegate_inner(staker)?;
        self.guard.exit();
        Ok(roots)
    }

    /// `undelegate(msg.sender)` then `delegateTo`, each under the guard (EigenLayer's). The core
    /// program serves it, reaching `undelegate` in the withdrawals program (see
    /// [`Self::serve_core`]); natively both run here.
    pub fn redelegate(
        &mut self,
        new_operator: Address,
        new_operator_approver_sig: (stylus_sdk::abi::Bytes, U256),
        approver_salt: B256,
    ) -> Result<Vec<B256>, Revert> {
        let roots = self.undelegate(self.vm().msg_sender())?;
        self.delegate_to_guarded(
            new_operator,
            &new_operator_approver_sig.0,
            new_operator_approver_sig.1,
            approver_salt,
        )?;
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
        self.complete_all(vec![(
            into_withdrawal(withdrawal),
            tokens,
            receive_as_tokens,
        )])
    }

    pub fn complete_queued_withdrawals(
        &mut self,
        withdrawals: Vec<views::WithdrawalTuple>,
        tokens: Vec<Vec<Address>>,
        receive_as_tokens: Vec<bool>,
    ) -> Result<(), Revert> {
        if withdrawals.len() != tokens.len() || withdrawals.len() != receive_as_tokens.len() {
            return fail!(IDelegationManager::InputArrayLengthMismatch);
        }
        self.complete_all(
            withdrawals
                .into_iter()
                .map(into_withdrawal)
                .zip(tokens)
                .zip(receive_as_tokens)
                .map(|((w, t), r)| (w, t, r))
                .collect(),
        )
    }

    /// Completes each (withdrawal, tokens, receiveAsTokens) in order, under one guard.
    fn complete_all(&mut self, all: Vec<(Withdrawal, Vec<Address>, bool)>) -> Result<(), Revert> {
        self.guard.enter()?;
        for (w, tokens, receive_as_tokens) in all {
            self.complete_inner(w, tokens, receive_as_tokens)?;
        }
        self.guard.exit();
        Ok(())
    }

    /// The withdrawals program's router: `undelegate`, `queueWithdrawals`,
    /// `completeQueuedWithdrawal(s)`, and the operator-details functions `modifyOperatorDetails`
    /// and `updateOperatorMetadataURI` (rarely called, and like `undelegate` checked against the
    /// PermissionController; here for the core program's size) from raw calldata, arguments read by [`abi::Reader`] and results
    /// encoded by hand rather than by the SDK's generic router (program size). Undecodable arguments
    /// revert with empty data, as the SDK's router does. `None` for other selectors.
    pub fn serve_withdrawals(&mut self, calldata: &[u8]) -> Option<ArbResult> {
        let selector: [u8; 4] = calldata.get(..4)?.try_into().ok()?;
        let r = abi::Reader {
            data: &calldata[4..],
            to: None,
        };
        let roots = |roots: Vec<B256>| {
            let mut e = Enc::default();
            e.n(32).n(roots.len() as u64);
            for root in &roots {
                e.b(&root.0);
            }
            e.0
        };
        let out = match selector {
            IDelegationManager::modifyOperatorDetailsCall::SELECTOR => (|| {
                let (operator, approver) = (r.a(0)?, r.a(32)?);
                self.modify_operator_details(operator, approver)
            })()
            .map(|_| Vec::new()),
            IDelegationManager::updateOperatorMetadataURICall::SELECTOR => (|| {
                let (operator, uri) = (r.a(0)?, r.string(0, 32)?);
                self.update_operator_metadata_uri(operator, uri)
            })()
            .map(|_| Vec::new()),
            IDelegationManager::undelegateCall::SELECTOR => {
                r.a(0).and_then(|staker| self.undelegate(staker)).map(roots)
            }
            IDelegationManager::queueWithdrawalsCall::SELECTOR => self.serve_queue(&r).map(roots),
            IDelegationManager::completeQueuedWithdrawalCall::SELECTOR => (|| {
                let all = vec![(r.withdrawal(0, 0)?, r.addresses(0, 32)?, r.bool(64)?)];
                self.complete_all(all)
            })()
            .map(|_| Vec::new()),
            IDelegationManager::completeQueuedWithdrawalsCall::SELECTOR => {
                self.serve_complete_many(&r).map(|_| Vec::new())
            }
            IDelegationManager::slashHoldStartedCall::SELECTOR => r
                .a(0)
                .and_then(|operator| self.slash_hold_started(operator))
                .map(|_| Vec::new()),
            _ => return None,
        };
        Some(out.map_err(Vec::from))
    }

    fn serve_queue(&mut self, r: &abi::Reader) -> Result<Vec<B256>, Revert> {
        let (start, len) = r.array(0, 0)?;
        let mut params = Vec::with_capacity(len);
        for i in 0..len {
            // QueuedWithdrawalParams(address[] strategies, uint256[] depositShares, address withdrawer)
            let p = r.tail(start, start + 32 * i)?;
            params.push((r.addresses(p, p)?, r.uints(p, p + 32)?, r.a(p + 64)?));
        }
        self.queue_withdrawals(params)
    }

    fn serve_complete_many(&mut self, r: &abi::Reader) -> Result<(), Revert> {
        // Every argument is decoded before anything runs, as the router does.
        let (ws, n) = r.array(0, 0)?;
        let withdrawals = (0..n)
            .map(|i| r.withdrawal(ws, ws + 32 * i))
            .collect::<Result<Vec<_>, _>>()?;
        let (ts, n) = r.array(0, 32)?;
        let tokens = (0..n)
            .map(|i| r.addresses(ts, ts + 32 * i))
            .collect::<Result<Vec<_>, _>>()?;
        let (fs, n) = r.array(0, 64)?;
        let flags = (0..n)
            .map(|i| r.bool(fs + 32 * i))
            .collect::<Result<Vec<_>, _>>()?;
        if withdrawals.len() != tokens.len() || withdrawals.len() != flags.len() {
            return fail!(IDelegationManager::InputArrayLengthMismatch);
        }
        self.complete_all(
            withdrawals
                .into_iter()
                .zip(tokens)
                .zip(flags)
                .map(|((w, t), f)| (w, t, f))
                .collect(),
        )
    }
}

/// The withdrawals program (`--features withdrawals`): undelegation, the withdrawal queue and
/// operator details, routed by [`DelegationManager::serve_withdrawals`].
#[cfg(feature = "withdrawals")]
#[public]
impl DelegationManager {
    /// See [`Self::serve_withdrawals`]; other selectors (the views) are served by the view program,
    /// in this storage.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Some(out) = self.serve_withdrawals(calldata) {
            return out;
        }
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

mod abi;
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

#[cfg(test)]
mod checkpoint_tests {
    use super::*;

    #[test]
    fn checkpoints_pack_a_32_bit_block_above_a_224_bit_value() {
        let max_value = (U256::from(1u8) << 224) - U256::from(1u8);
        for (block, value) in [
            (0u32, U256::ZERO),
            (7, U256::from(123u64)),
            (u32::MAX, max_value),
        ] {
            let packed = (U256::from(block) << VALUE_BITS) | value;
            assert_eq!(checkpoint_block(packed), block);
            assert_eq!(checkpoint_value(packed), value);
        }
    }
}
