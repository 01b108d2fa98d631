//! StrategyManager: deposits into strategies, stakers' deposit shares, the strategy whitelist, and
//! the share hooks the DelegationManager drives (EigenLayer's `IStrategyManager`).
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `depositIntoStrategy` | staker | deposits not paused (bit 0); strategy whitelisted; tokens move staker → strategy; strategy mints shares; `Deposit`; the DelegationManager is told (`increaseDelegatedShares`) |
//! | `depositIntoStrategyWithSignature` | anyone, for `staker` | EIP-712 `Deposit` signed by the staker, unexpired, with the staker's current nonce (then incremented); tokens come from the caller |
//! | `addShares`, `removeDepositShares`, `withdrawSharesAsTokens`, `increaseBurnOrRedistributableShares` | DelegationManager | share bookkeeping for delegation, withdrawals and slashing |
//! | `clearBurnOrRedistributableShares(ByStrategy)`, `burnShares` | anyone | sends slashed shares' tokens to the operator set's redistribution recipient (or the burn address) |
//! | `add/removeStrategiesToDepositWhitelist` | strategy whitelister | whitelist changes (events) |
//! | `setStrategyWhitelister` | owner | |
//!
//! A staker holds at most 32 strategies (`MaxStrategiesExceeded`); a strategy leaves the staker's
//! list when its deposit shares reach zero. Every entry point that calls out holds the reentrancy
//! guard.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
// The view build compiles only the read-only half; the logic's helpers are unused there.
#![cfg_attr(feature = "view", allow(dead_code, unused_imports))]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use ferrostake_common::{
    access::{Initializable, Ownable, Pausable, ReentrancyGuard},
    call::{call, safe_transfer_from, static_call},
    eip712, Revert,
};
use ferrostake_interfaces::{
    IAllocationManager, IDelegationManager, IStrategy, IStrategyManager, OperatorSet,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageVec},
    stylus_core::log,
    ArbResult,
};

/// Maximum distinct strategies per staker.
pub const MAX_STAKER_STRATEGY_LIST_LENGTH: usize = 32;
/// Where burned shares' tokens go.
pub const DEFAULT_BURN_ADDRESS: Address = Address::new([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0E, 0x16, 0xE4,
]);
/// Pause bit of deposits.
pub const PAUSED_DEPOSITS: u8 = 0;
/// Contract version.
pub const VERSION: &str = "v1.0.0";
/// The EIP-712 domain version: the major part of [`VERSION`] (as EigenLayer's SemVerMixin).
pub const DOMAIN_VERSION: &str = "v1";

/// `keccak256("Deposit(address staker,address strategy,address token,uint256 amount,uint256 nonce,uint256 expiry)")`.
pub fn deposit_typehash() -> B256 {
    const HASH: B256 =
        ferrostake_common::eip712::const_keccak("Deposit(address staker,address strategy,address token,uint256 amount,uint256 nonce,uint256 expiry)");
    HASH
}

/// `bytes32(abi.encodePacked(avs, uint96(id)))`.
pub fn operator_set_key(set: &OperatorSet) -> B256 {
    let mut k = [0u8; 32];
    k[..20].copy_from_slice(set.avs.as_slice());
    k[28..].copy_from_slice(&set.id.to_be_bytes());
    B256::from(k)
}

/// The ABI passes `OperatorSet` as an `(address, uint32)` tuple.
fn set_of(t: (Address, u32)) -> OperatorSet {
    OperatorSet { avs: t.0, id: t.1 }
}

fn operator_set_from_key(key: B256) -> OperatorSet {
    OperatorSet {
        avs: Address::from_slice(&key[..20]),
        id: u32::from_be_bytes([key[28], key[29], key[30], key[31]]),
    }
}

/// Swap-and-pop removal of the first `value` from a storage list; `false` when absent.
macro_rules! swap_remove_fn {
    ($name:ident, $storage:ty, $value:ty) => {
        fn $name(list: &mut StorageVec<$storage>, value: $value) -> bool {
            let n = list.len();
            let Some(i) = (0..n).find(|i| list.get(*i) == Some(value)) else {
                return false;
            };
            if i + 1 != n {
                let last = list.get(n - 1).unwrap_or_default();
                if let Some(mut slot) = list.setter(i) {
                    slot.set(last);
                }
            }
            list.erase_last();
            true
        }
    };
}
swap_remove_fn!(swap_remove_address, StorageAddress, Address);
swap_remove_fn!(swap_remove_b256, StorageB256, B256);
swap_remove_fn!(swap_remove_u256, StorageU256, U256);

#[storage]
pub struct StrategyManager {
    init: Initializable,
    ownable: Ownable,
    pausable: Pausable,
    guard: ReentrancyGuard,
    delegation: StorageAddress,
    allocation_manager: StorageAddress,
    strategy_whitelister: StorageAddress,
    nonces: StorageMap<Address, StorageU256>,
    deposit_shares: StorageMap<Address, StorageMap<Address, StorageU256>>,
    strategy_list: StorageMap<Address, StorageVec<StorageAddress>>,
    whitelisted: StorageMap<Address, StorageBool>,
    /// Legacy (pre-redistribution) burnable shares; never increased by Ferrostake's slashing path.
    burnable: StorageMap<Address, StorageU256>,
    /// Slashed shares awaiting burn/redistribution: set key → slash id → strategy → shares.
    slash_shares: StorageMap<B256, StorageMap<U256, StorageMap<Address, StorageU256>>>,
    /// The strategies of each (set, slash) entry, for enumeration.
    slash_strategies: StorageMap<B256, StorageMap<U256, StorageVec<StorageAddress>>>,
    /// Operator sets with pending slashes, and their pending slash ids.
    pending_sets: StorageVec<StorageB256>,
    pending_slash_ids: StorageMap<B256, StorageVec<StorageU256>>,
    /// The view program unknown selectors are delegated to.
    view_implementation: StorageAddress,
}

ferrostake_common::entrypoint!(StrategyManager);

impl StrategyManager {
    fn only_delegation_manager(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.delegation.get() {
            return Err(IStrategyManager::OnlyDelegationManager {}.into());
        }
        Ok(())
    }

    fn only_whitelister(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.strategy_whitelister.get() {
            return Err(IStrategyManager::OnlyStrategyWhitelister {}.into());
        }
        Ok(())
    }

    fn set_view_implementation_inner(&mut self, view: Address) -> Result<(), Revert> {
        if view.is_zero() {
            return Err(IStrategyManager::InputAddressZero {}.into());
        }
        self.view_implementation.set(view);
        log(
            self.vm(),
            IStrategyManager::ViewImplementationSet {
                viewImplementation: view,
            },
        );
        Ok(())
    }

    fn only_owner(&self) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())
    }

    fn domain_separator_inner(&self) -> B256 {
        eip712::domain_separator(
            "EigenLayer",
            DOMAIN_VERSION,
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    fn digest(
        &self,
        staker: Address,
        strategy: Address,
        token: Address,
        amount: U256,
        nonce: U256,
        expiry: U256,
    ) -> B256 {
        let struct_hash = keccak256(
            (
                deposit_typehash(),
                staker,
                strategy,
                token,
                amount,
                nonce,
                expiry,
            )
                .abi_encode(),
        );
        eip712::hash_typed_data(self.domain_separator_inner(), struct_hash)
    }

    /// Pulls tokens from the caller into the strategy, mints shares and credits `staker`.
    fn deposit_into_strategy(
        &mut self,
        staker: Address,
        strategy: Address,
        token: Address,
        amount: U256,
    ) -> Result<U256, Revert> {
        self.pausable.require_not_paused(PAUSED_DEPOSITS)?;
        if !self.whitelisted.get(strategy) {
            return Err(IStrategyManager::StrategyNotWhitelisted {}.into());
        }
        self.guard.enter()?;
        safe_transfer_from(token, self.vm().msg_sender(), strategy, amount)?;
        let shares = call(strategy, &IStrategy::depositCall { token, amount })?._0;
        let (prev, added) = self.add_shares_inner(staker, strategy, shares)?;
        call(
            self.delegation.get(),
            &IDelegationManager::increaseDelegatedSharesCall {
                staker,
                strategy,
                prevDepositShares: prev,
                addedShares: added,
            },
        )?;
        self.guard.exit();
        Ok(shares)
    }

    fn add_shares_inner(
        &mut self,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<(U256, U256), Revert> {
        if staker.is_zero() {
            return Err(IStrategyManager::StakerAddressZero {}.into());
        }
        if shares.is_zero() {
            return Err(IStrategyManager::SharesAmountZero {}.into());
        }
        let prev = self.deposit_shares.getter(staker).get(strategy);
        if prev.is_zero() {
            let mut list = self.strategy_list.setter(staker);
            if list.len() >= MAX_STAKER_STRATEGY_LIST_LENGTH {
                return Err(IStrategyManager::MaxStrategiesExceeded {}.into());
            }
            list.push(strategy);
        }
        call(strategy, &IStrategy::beforeAddSharesCall { staker, shares })?;
        // prev + shares ≤ the strategy's total shares ≤ 1e38.
        self.deposit_shares
            .setter(staker)
            .setter(strategy)
            .set(prev + shares);
        log(
            self.vm(),
            IStrategyManager::Deposit {
                staker,
                strategy,
                shares,
            },
        );
        Ok((prev, shares))
    }

    fn remove_from_list(&mut self, staker: Address, strategy: Address) -> Result<(), Revert> {
        if swap_remove_address(&mut self.strategy_list.setter(staker), strategy) {
            Ok(())
        } else {
            Err(IStrategyManager::StrategyNotFound {}.into())
        }
    }

    fn pending_ids_contains(&self, key: B256, slash_id: U256) -> bool {
        let ids = self.pending_slash_ids.getter(key);
        (0..ids.len()).any(|i| ids.get(i) == Some(slash_id))
    }

    /// Drops `(key, slash_id)` from the pending indexes once it holds no strategies.
    fn cleanup_pending(&mut self, key: B256, slash_id: U256) {
        if !self
            .slash_strategies
            .getter(key)
            .getter(slash_id)
            .is_empty()
        {
            return;
        }
        swap_remove_u256(&mut self.pending_slash_ids.setter(key), slash_id);
        if self.pending_slash_ids.getter(key).is_empty() {
            swap_remove_b256(&mut self.pending_sets, key);
        }
    }

    fn clear_by_strategy(
        &mut self,
        set: &OperatorSet,
        slash_id: U256,
        strategy: Address,
    ) -> Result<U256, Revert> {
        let key = operator_set_key(set);
        let shares = self.slash_shares.getter(key).getter(slash_id).get(strategy);
        if shares.is_zero() {
            return Ok(U256::ZERO);
        }
        self.slash_shares
            .setter(key)
            .setter(slash_id)
            .setter(strategy)
            .set(U256::ZERO);
        swap_remove_address(
            &mut self.slash_strategies.setter(key).setter(slash_id),
            strategy,
        );
        self.cleanup_pending(key, slash_id);
        let recipient = static_call(
            self.allocation_manager.get(),
            &IAllocationManager::getRedistributionRecipientCall {
                operatorSet: set.clone(),
            },
        )?
        ._0;
        let token = static_call(strategy, &IStrategy::underlyingTokenCall {})?._0;
        let out = call(
            strategy,
            &IStrategy::withdrawCall {
                recipient,
                token,
                amountShares: shares,
            },
        )?
        ._0;
        log(
            self.vm(),
            IStrategyManager::BurnOrRedistributableSharesDecreased {
                operatorSet: set.clone(),
                slashId: slash_id,
                strategy,
                shares,
            },
        );
        Ok(out)
    }
}

/// The logic program: state-changing functions; views are delegated to the view program.
#[cfg(not(feature = "view"))]
#[public]
impl StrategyManager {
    /// One-shot initializer (EigenLayer: constructor immutables + `initialize`).
    #[allow(clippy::too_many_arguments)] // mirrors the ABI
    pub fn initialize(
        &mut self,
        delegation: Address,
        allocation_manager: Address,
        pauser_registry: Address,
        view_implementation: Address,
        initial_owner: Address,
        initial_strategy_whitelister: Address,
        initial_paused_status: U256,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.guard.init();
        self.set_view_implementation_inner(view_implementation)?;
        if delegation.is_zero() || allocation_manager.is_zero() {
            return Err(IStrategyManager::InputAddressZero {}.into());
        }
        self.delegation.set(delegation);
        self.allocation_manager.set(allocation_manager);
        self.pausable.init(pauser_registry, initial_paused_status)?;
        self.ownable.init(initial_owner)?;
        self.strategy_whitelister.set(initial_strategy_whitelister);
        log(
            self.vm(),
            IStrategyManager::StrategyWhitelisterChanged {
                previousAddress: Address::ZERO,
                newAddress: initial_strategy_whitelister,
            },
        );
        Ok(())
    }

    #[selector(name = "depositIntoStrategy")]
    pub fn deposit_into_strategy_external(
        &mut self,
        strategy: Address,
        token: Address,
        amount: U256,
    ) -> Result<U256, Revert> {
        let staker = self.vm().msg_sender();
        self.deposit_into_strategy(staker, strategy, token, amount)
    }

    #[selector(name = "depositIntoStrategyWithSignature")]
    pub fn deposit_into_strategy_with_signature(
        &mut self,
        strategy: Address,
        token: Address,
        amount: U256,
        staker: Address,
        expiry: U256,
        signature: stylus_sdk::abi::Bytes,
    ) -> Result<U256, Revert> {
        let nonce = self.nonces.get(staker);
        let digest = self.digest(staker, strategy, token, amount, nonce, expiry);
        eip712::check_signature(
            staker,
            digest,
            &signature,
            expiry,
            self.vm().block_timestamp(),
        )?;
        // The nonce is spent before any external call, so the signature cannot be replayed.
        self.nonces.setter(staker).set(nonce + U256::from(1u8));
        self.deposit_into_strategy(staker, strategy, token, amount)
    }

    #[selector(name = "removeDepositShares")]
    pub fn remove_deposit_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        deposit_shares_to_remove: U256,
    ) -> Result<U256, Revert> {
        self.only_delegation_manager()?;
        if deposit_shares_to_remove.is_zero() {
            return Err(IStrategyManager::SharesAmountZero {}.into());
        }
        let current = self.deposit_shares.getter(staker).get(strategy);
        if deposit_shares_to_remove > current {
            return Err(IStrategyManager::SharesAmountTooHigh {}.into());
        }
        call(
            strategy,
            &IStrategy::beforeRemoveSharesCall {
                staker,
                shares: deposit_shares_to_remove,
            },
        )?;
        let remaining = current - deposit_shares_to_remove;
        self.deposit_shares
            .setter(staker)
            .setter(strategy)
            .set(remaining);
        if remaining.is_zero() {
            self.remove_from_list(staker, strategy)?;
        }
        Ok(remaining)
    }

    #[selector(name = "addShares")]
    pub fn add_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<(U256, U256), Revert> {
        self.only_delegation_manager()?;
        self.add_shares_inner(staker, strategy, shares)
    }

    #[selector(name = "withdrawSharesAsTokens")]
    pub fn withdraw_shares_as_tokens(
        &mut self,
        staker: Address,
        strategy: Address,
        token: Address,
        shares: U256,
    ) -> Result<(), Revert> {
        self.only_delegation_manager()?;
        call(
            strategy,
            &IStrategy::withdrawCall {
                recipient: staker,
                token,
                amountShares: shares,
            },
        )?;
        Ok(())
    }

    #[selector(name = "increaseBurnOrRedistributableShares")]
    pub fn increase_burn_or_redistributable_shares(
        &mut self,
        operator_set: (Address, u32),
        slash_id: U256,
        strategy: Address,
        shares_to_burn: U256,
    ) -> Result<(), Revert> {
        self.only_delegation_manager()?;
        let key = operator_set_key(&set_of(operator_set));
        if !self
            .slash_shares
            .getter(key)
            .getter(slash_id)
            .get(strategy)
            .is_zero()
        {
            return Err(IStrategyManager::StrategyAlreadyInSlash {}.into());
        }
        if shares_to_burn.is_zero() {
            return Ok(());
        }
        self.slash_shares
            .setter(key)
            .setter(slash_id)
            .setter(strategy)
            .set(shares_to_burn);
        self.slash_strategies
            .setter(key)
            .setter(slash_id)
            .push(strategy);
        if !self.pending_ids_contains(key, slash_id) {
            if self.pending_slash_ids.getter(key).is_empty() {
                self.pending_sets.push(key);
            }
            self.pending_slash_ids.setter(key).push(slash_id);
        }
        log(
            self.vm(),
            IStrategyManager::BurnOrRedistributableSharesIncreased {
                operatorSet: set_of(operator_set),
                slashId: slash_id,
                strategy,
                shares: shares_to_burn,
            },
        );
        Ok(())
    }

    #[selector(name = "clearBurnOrRedistributableShares")]
    pub fn clear_burn_or_redistributable_shares(
        &mut self,
        operator_set: (Address, u32),
        slash_id: U256,
    ) -> Result<Vec<U256>, Revert> {
        self.guard.enter()?;
        let key = operator_set_key(&set_of(operator_set));
        let strategies: Vec<Address> = {
            let by_slash = self.slash_strategies.getter(key);
            let list = by_slash.getter(slash_id);
            (0..list.len()).filter_map(|i| list.get(i)).collect()
        };
        let mut out = Vec::with_capacity(strategies.len());
        for s in strategies {
            out.push(self.clear_by_strategy(&set_of(operator_set), slash_id, s)?);
        }
        self.guard.exit();
        Ok(out)
    }

    #[selector(name = "clearBurnOrRedistributableSharesByStrategy")]
    pub fn clear_burn_or_redistributable_shares_by_strategy(
        &mut self,
        operator_set: (Address, u32),
        slash_id: U256,
        strategy: Address,
    ) -> Result<U256, Revert> {
        self.guard.enter()?;
        let out = self.clear_by_strategy(&set_of(operator_set), slash_id, strategy)?;
        self.guard.exit();
        Ok(out)
    }

    /// Legacy burn path: sends any legacy burnable shares' tokens to the burn address.
    #[selector(name = "burnShares")]
    pub fn burn_shares(&mut self, strategy: Address) -> Result<(), Revert> {
        self.guard.enter()?;
        let shares = self.burnable.get(strategy);
        if !shares.is_zero() {
            self.burnable.setter(strategy).set(U256::ZERO);
            let token = static_call(strategy, &IStrategy::underlyingTokenCall {})?._0;
            call(
                strategy,
                &IStrategy::withdrawCall {
                    recipient: DEFAULT_BURN_ADDRESS,
                    token,
                    amountShares: shares,
                },
            )?;
            log(
                self.vm(),
                IStrategyManager::BurnableSharesDecreased { strategy, shares },
            );
        }
        self.guard.exit();
        Ok(())
    }

    #[selector(name = "addStrategiesToDepositWhitelist")]
    pub fn add_strategies_to_deposit_whitelist(
        &mut self,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.only_whitelister()?;
        for strategy in strategies {
            if !self.whitelisted.get(strategy) {
                self.whitelisted.setter(strategy).set(true);
                log(
                    self.vm(),
                    IStrategyManager::StrategyAddedToDepositWhitelist { strategy },
                );
            }
        }
        Ok(())
    }

    #[selector(name = "removeStrategiesFromDepositWhitelist")]
    pub fn remove_strategies_from_deposit_whitelist(
        &mut self,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.only_whitelister()?;
        for strategy in strategies {
            if self.whitelisted.get(strategy) {
                self.whitelisted.setter(strategy).set(false);
                log(
                    self.vm(),
                    IStrategyManager::StrategyRemovedFromDepositWhitelist { strategy },
                );
            }
        }
        Ok(())
    }

    // --- served here because other contracts read them on hot paths ---

    #[selector(name = "strategyIsWhitelistedForDeposit")]
    pub fn strategy_is_whitelisted_for_deposit(&self, strategy: Address) -> bool {
        self.whitelisted.get(strategy)
    }

    #[selector(name = "stakerDepositShares")]
    pub fn staker_deposit_shares(&self, staker: Address, strategy: Address) -> U256 {
        self.deposit_shares.getter(staker).get(strategy)
    }

    /// `getDeposits` (read by the DelegationManager on every delegation) is served here; everything
    /// else (the views) by the view program, in this contract's storage.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Some(out) = self.serve_get_deposits(calldata) {
            return out;
        }
        ferrostake_common::call::delegate(self.view_implementation.get(), calldata)
    }

    // --- Pausable ---

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
}

/// Rarely used owner and proxy-admin functions, routed by the view program (the logic program has no room for
/// them; its fallback delegates them there, so the external ABI is unchanged).
impl StrategyManager {
    pub fn set_strategy_whitelister(
        &mut self,
        new_strategy_whitelister: Address,
    ) -> Result<(), Revert> {
        self.only_owner()?;
        let previous = self.strategy_whitelister.get();
        self.strategy_whitelister.set(new_strategy_whitelister);
        log(
            self.vm(),
            IStrategyManager::StrategyWhitelisterChanged {
                previousAddress: previous,
                newAddress: new_strategy_whitelister,
            },
        );
        Ok(())
    }

    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.transfer_ownership(caller, new_owner)
    }

    /// Proxy-admin only: the program serving view calls (and these functions). Pointing the
    /// proxy's delegatecalls at other code is an upgrade, so it takes the upgrade key, with
    /// whatever delay that key sits behind.
    pub fn set_view_implementation(
        &mut self,
        new_view_implementation: Address,
    ) -> Result<(), Revert> {
        ferrostake_common::access::only_proxy_admin(self.vm())?;
        self.set_view_implementation_inner(new_view_implementation)
    }

    pub fn renounce_ownership(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.renounce_ownership(caller)
    }
}

/// Read-only functions. The logic program does not route them (size); the view program does.
impl StrategyManager {
    /// `getDeposits`, served by hand: stylus-sdk 0.9 ABI-encodes a returned tuple as one tuple value
    /// (an extra head offset) where Solidity returns its members as separate values, so views with
    /// several dynamic return values are encoded here with alloy's `abi_encode_returns`. The logic
    /// program serves only this one (the DelegationManager reads it on every delegation).
    pub fn serve_get_deposits(&self, calldata: &[u8]) -> Option<ArbResult> {
        use alloy_sol_types::SolCall;
        if calldata.get(..4)? != IStrategyManager::getDepositsCall::SELECTOR {
            return None;
        }
        Some(
            match IStrategyManager::getDepositsCall::abi_decode(calldata, true) {
                Ok(c) => Ok(IStrategyManager::getDepositsCall::abi_encode_returns(
                    &self.get_deposits(c.staker),
                )),
                Err(_) => Err(Vec::new()),
            },
        )
    }

    /// The view program's multi-value views (see [`Self::serve_get_deposits`]).
    #[cfg(feature = "view")]
    pub fn serve_multi_return(&self, calldata: &[u8]) -> Option<ArbResult> {
        use alloy_sol_types::SolCall;
        if let Some(out) = self.serve_get_deposits(calldata) {
            return Some(out);
        }
        let selector: [u8; 4] = calldata.get(..4)?.try_into().ok()?;
        Some(match selector {
            IStrategyManager::getStrategiesWithBurnableSharesCall::SELECTOR => Ok(
                IStrategyManager::getStrategiesWithBurnableSharesCall::abi_encode_returns(
                    &self.get_strategies_with_burnable_shares(),
                ),
            ),
            IStrategyManager::getBurnOrRedistributableShares_0Call::SELECTOR => {
                match IStrategyManager::getBurnOrRedistributableShares_0Call::abi_decode(
                    calldata, true,
                ) {
                    Ok(c) => Ok(
                        IStrategyManager::getBurnOrRedistributableShares_0Call::abi_encode_returns(
                            &self.get_burn_or_redistributable_shares(
                                (c.operatorSet.avs, c.operatorSet.id),
                                c.slashId,
                            ),
                        ),
                    ),
                    Err(_) => Err(Vec::new()),
                }
            }
            _ => return None,
        })
    }

    pub fn staker_strategy_list(&self, staker: Address, index: U256) -> Result<Address, Revert> {
        let list = self.strategy_list.getter(staker);
        usize::try_from(index)
            .ok()
            .and_then(|i| list.get(i))
            .ok_or_else(|| IStrategyManager::StrategyNotFound {}.into())
    }

    pub fn get_staker_strategy_list(&self, staker: Address) -> Vec<Address> {
        let list = self.strategy_list.getter(staker);
        (0..list.len()).filter_map(|i| list.get(i)).collect()
    }

    pub fn staker_strategy_list_length(&self, staker: Address) -> U256 {
        U256::from(self.strategy_list.getter(staker).len())
    }

    pub fn get_deposits(&self, staker: Address) -> (Vec<Address>, Vec<U256>) {
        let strategies = self.get_staker_strategy_list(staker);
        let shares = strategies
            .iter()
            .map(|s| self.deposit_shares.getter(staker).get(*s))
            .collect();
        (strategies, shares)
    }

    pub fn get_burnable_shares(&self, strategy: Address) -> U256 {
        self.burnable.get(strategy)
    }

    /// Legacy view: Ferrostake never records legacy burnable shares, so both lists are empty.
    pub fn get_strategies_with_burnable_shares(&self) -> (Vec<Address>, Vec<U256>) {
        (Vec::new(), Vec::new())
    }

    pub fn get_burn_or_redistributable_shares(
        &self,
        operator_set: (Address, u32),
        slash_id: U256,
    ) -> (Vec<Address>, Vec<U256>) {
        let key = operator_set_key(&set_of(operator_set));
        let by_slash = self.slash_strategies.getter(key);
        let list = by_slash.getter(slash_id);
        let strategies: Vec<Address> = (0..list.len()).filter_map(|i| list.get(i)).collect();
        let shares = strategies
            .iter()
            .map(|s| self.slash_shares.getter(key).getter(slash_id).get(*s))
            .collect();
        (strategies, shares)
    }

    pub fn get_burn_or_redistributable_shares_of(
        &self,
        operator_set: (Address, u32),
        slash_id: U256,
        strategy: Address,
    ) -> U256 {
        self.slash_shares
            .getter(operator_set_key(&set_of(operator_set)))
            .getter(slash_id)
            .get(strategy)
    }

    pub fn get_burn_or_redistributable_count(
        &self,
        operator_set: (Address, u32),
        slash_id: U256,
    ) -> U256 {
        U256::from(
            self.slash_strategies
                .getter(operator_set_key(&set_of(operator_set)))
                .getter(slash_id)
                .len(),
        )
    }

    pub fn get_pending_operator_sets(&self) -> Vec<(Address, u32)> {
        (0..self.pending_sets.len())
            .filter_map(|i| self.pending_sets.get(i))
            .map(|k| {
                let set = operator_set_from_key(k);
                (set.avs, set.id)
            })
            .collect()
    }

    pub fn get_pending_slash_ids(&self, operator_set: (Address, u32)) -> Vec<U256> {
        let ids = self
            .pending_slash_ids
            .getter(operator_set_key(&set_of(operator_set)));
        (0..ids.len()).filter_map(|i| ids.get(i)).collect()
    }

    pub fn calculate_strategy_deposit_digest_hash(
        &self,
        staker: Address,
        strategy: Address,
        token: Address,
        amount: U256,
        nonce: U256,
        expiry: U256,
    ) -> B256 {
        self.digest(staker, strategy, token, amount, nonce, expiry)
    }

    pub fn nonces(&self, signer: Address) -> U256 {
        self.nonces.get(signer)
    }

    pub fn strategy_whitelister(&self) -> Address {
        self.strategy_whitelister.get()
    }

    pub fn delegation(&self) -> Address {
        self.delegation.get()
    }

    pub fn allocation_manager(&self) -> Address {
        self.allocation_manager.get()
    }

    pub fn default_burn_address(&self) -> Address {
        DEFAULT_BURN_ADDRESS
    }

    pub fn deposit_typehash_view(&self) -> B256 {
        deposit_typehash()
    }

    pub fn domain_separator(&self) -> B256 {
        self.domain_separator_inner()
    }

    pub fn version(&self) -> String {
        VERSION.into()
    }

    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    pub fn pauser_registry(&self) -> Address {
        self.pausable.pauser_registry()
    }

    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }

    pub fn view_implementation(&self) -> Address {
        self.view_implementation.get()
    }
}

/// The view program (built with `--features view`): read-only functions over the same storage.
#[cfg(feature = "view")]
#[public]
impl StrategyManager {
    #[selector(name = "stakerStrategyList")]
    pub fn staker_strategy_list_abi(
        &self,
        staker: Address,
        index: U256,
    ) -> Result<Address, Revert> {
        self.staker_strategy_list(staker, index)
    }

    #[selector(name = "getStakerStrategyList")]
    pub fn get_staker_strategy_list_abi(&self, staker: Address) -> Vec<Address> {
        self.get_staker_strategy_list(staker)
    }

    #[selector(name = "stakerStrategyListLength")]
    pub fn staker_strategy_list_length_abi(&self, staker: Address) -> U256 {
        self.staker_strategy_list_length(staker)
    }

    #[selector(name = "getBurnableShares")]
    pub fn get_burnable_shares_abi(&self, strategy: Address) -> U256 {
        self.get_burnable_shares(strategy)
    }

    #[selector(name = "getPendingOperatorSets")]
    pub fn get_pending_operator_sets_abi(&self) -> Vec<(Address, u32)> {
        self.get_pending_operator_sets()
    }

    #[selector(name = "nonces")]
    pub fn nonces_abi(&self, signer: Address) -> U256 {
        self.nonces(signer)
    }

    #[selector(name = "strategyWhitelister")]
    pub fn strategy_whitelister_abi(&self) -> Address {
        self.strategy_whitelister()
    }

    #[selector(name = "delegation")]
    pub fn delegation_abi(&self) -> Address {
        self.delegation()
    }

    #[selector(name = "allocationManager")]
    pub fn allocation_manager_abi(&self) -> Address {
        self.allocation_manager()
    }

    #[selector(name = "DEFAULT_BURN_ADDRESS")]
    pub fn default_burn_address_abi(&self) -> Address {
        self.default_burn_address()
    }

    #[selector(name = "DEPOSIT_TYPEHASH")]
    pub fn deposit_typehash_view_abi(&self) -> B256 {
        self.deposit_typehash_view()
    }

    #[selector(name = "domainSeparator")]
    pub fn domain_separator_abi(&self) -> B256 {
        self.domain_separator()
    }

    #[selector(name = "version")]
    pub fn version_abi(&self) -> String {
        self.version()
    }

    #[selector(name = "owner")]
    pub fn owner_abi(&self) -> Address {
        self.owner()
    }

    #[selector(name = "pauserRegistry")]
    pub fn pauser_registry_abi(&self) -> Address {
        self.pauser_registry()
    }

    #[selector(name = "paused")]
    pub fn paused_all_abi(&self) -> U256 {
        self.paused_all()
    }

    #[selector(name = "paused")]
    pub fn paused_index_abi(&self, index: u8) -> bool {
        self.paused_index(index)
    }

    #[selector(name = "getBurnOrRedistributableShares")]
    pub fn get_burn_or_redistributable_shares_of_abi(
        &self,
        operator_set: (Address, u32),
        slash_id: U256,
        strategy: Address,
    ) -> U256 {
        self.get_burn_or_redistributable_shares_of(operator_set, slash_id, strategy)
    }

    #[selector(name = "getBurnOrRedistributableCount")]
    pub fn get_burn_or_redistributable_count_abi(
        &self,
        operator_set: (Address, u32),
        slash_id: U256,
    ) -> U256 {
        self.get_burn_or_redistributable_count(operator_set, slash_id)
    }

    #[selector(name = "getPendingSlashIds")]
    pub fn get_pending_slash_ids_abi(&self, operator_set: (Address, u32)) -> Vec<U256> {
        self.get_pending_slash_ids(operator_set)
    }

    #[selector(name = "calculateStrategyDepositDigestHash")]
    pub fn calculate_strategy_deposit_digest_hash_abi(
        &self,
        staker: Address,
        strategy: Address,
        token: Address,
        amount: U256,
        nonce: U256,
        expiry: U256,
    ) -> B256 {
        self.calculate_strategy_deposit_digest_hash(staker, strategy, token, amount, nonce, expiry)
    }

    #[selector(name = "viewImplementation")]
    pub fn view_implementation_abi(&self) -> Address {
        self.view_implementation()
    }

    #[selector(name = "setStrategyWhitelister")]
    pub fn set_strategy_whitelister_abi(
        &mut self,
        new_strategy_whitelister: Address,
    ) -> Result<(), Revert> {
        self.set_strategy_whitelister(new_strategy_whitelister)
    }

    #[selector(name = "setViewImplementation")]
    pub fn set_view_implementation_abi(
        &mut self,
        new_view_implementation: Address,
    ) -> Result<(), Revert> {
        self.set_view_implementation(new_view_implementation)
    }

    #[selector(name = "transferOwnership")]
    pub fn transfer_ownership_abi(&mut self, new_owner: Address) -> Result<(), Revert> {
        self.transfer_ownership(new_owner)
    }

    #[selector(name = "renounceOwnership")]
    pub fn renounce_ownership_abi(&mut self) -> Result<(), Revert> {
        self.renounce_ownership()
    }

    /// The views with several dynamic return values (`getStrategiesWithBurnableShares`,
    /// `getBurnOrRedistributableShares(OperatorSet,uint256)`), encoded by hand; any other selector
    /// reverts empty.
    #[fallback]
    pub fn view_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_multi_return(calldata)
            .unwrap_or_else(|| Err(ferrostake_common::entry::unknown_selector()))
    }
}

#[cfg(test)]
mod tests;
