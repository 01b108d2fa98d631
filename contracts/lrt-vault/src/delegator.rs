//! The delegator program (`--features delegator`): one staker account of the vault per operator.
//!
//! EigenLayer lets a staker delegate to a single operator, so a vault that spreads over several
//! operators holds one staker account per operator (EtherFi's and Renzo's "node delegators"). This
//! one has no logic of its own: `execute(target, data)` performs the vault's call (deposit into the
//! StrategyManager, delegate, queue and complete withdrawals, move tokens) and returns its data;
//! anyone else gets `OnlyVault`. `initialize(vault)` is one-shot; the vault checks at its own
//! initialization that every delegator names it.
#![allow(deprecated)] // RawCall, as ferrostake_common::call.

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes};
use ferrostake_common::{access::Initializable, Revert};
use ferrostake_interfaces::{ILrtDelegator, ILrtVault};
use stylus_sdk::{call::RawCall, prelude::*, storage::StorageAddress};

#[storage]
pub struct LrtDelegator {
    init: Initializable,
    vault: StorageAddress,
}

#[cfg(feature = "delegator")]
ferrostake_common::entrypoint!(LrtDelegator);

impl LrtDelegator {
    /// One-shot: the vault this account serves.
    pub fn initialize_vault(&mut self, vault: Address) -> Result<(), Revert> {
        self.init.initialize_once()?;
        if vault.is_zero() {
            return Err(ILrtVault::ZeroAddress {}.into());
        }
        self.vault.set(vault);
        Ok(())
    }

    pub fn vault_address(&self) -> Address {
        self.vault.get()
    }

    /// Calls `target` with `data` for the vault; the callee's revert data bubbles unchanged.
    pub fn execute_call(&mut self, target: Address, data: &[u8]) -> Result<Bytes, Revert> {
        if self.vm().msg_sender() != self.vault.get() || self.vault.get().is_zero() {
            return Err(ILrtDelegator::OnlyVault {}.into());
        }
        // SAFETY: a plain CALL on the vault's behalf; this program keeps no state the callee
        // could observe half-written, and the cache is cleared for re-entrant writes.
        let out = unsafe { RawCall::new().clear_storage_cache().call(target, data) }
            .map_err(ferrostake_common::entry::bubble)?;
        Ok(out.into())
    }
}

#[cfg(any(test, feature = "delegator"))]
#[public]
impl LrtDelegator {
    pub fn initialize(&mut self, vault: Address) -> Result<(), Revert> {
        self.initialize_vault(vault)
    }

    pub fn vault(&self) -> Address {
        self.vault_address()
    }

    pub fn execute(
        &mut self,
        target: Address,
        data: stylus_sdk::abi::Bytes,
    ) -> Result<stylus_sdk::abi::Bytes, Revert> {
        Ok(self.execute_call(target, &data)?.to_vec().into())
    }
}

#[cfg(all(test, not(feature = "delegator")))]
unsafe impl TopLevelStorage for LrtDelegator {}
