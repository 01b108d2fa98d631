//! A hostile ERC-20 and AVS registrar for reentrancy tests (never for production: anyone may mint,
//! anyone may arm it and make it call anything).
//!
//! It is an OpenZeppelin ERC-20 with a faucet, plus:
//! - `exec(target, data)`: calls `target` with `data` from this contract, so the contract itself can
//!   act as a staker, an earner or an AVS (it then receives the callbacks an AVS gets);
//! - a hook, armed with `arm(trigger, target, data, bubble)`, that fires **once** inside
//!   `transfer` (trigger 1), `transferFrom` (2), the registrar's `registerOperator` (3) or
//!   `deregisterOperator` (4): it calls `target` with `data` before doing its own work, records
//!   whether that call succeeded and what it returned (`lastOk`, `lastReturn`), and then, when
//!   `bubble` is set and the call failed, reverts with the callee's revert data unchanged;
//! - the `IAVSRegistrar` interface (`supportsAVS` is true for every AVS).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
#![allow(deprecated)] // stylus-sdk 0.9's RawCall, as OpenZeppelin uses it.
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use openzeppelin_stylus::token::erc20::{Erc20, IErc20};
use stylus_sdk::{
    abi::Bytes,
    call::RawCall,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageBytes, StorageU256, StorageU8},
};

/// Fires inside `transfer`.
pub const ON_TRANSFER: u8 = 1;
/// Fires inside `transferFrom`.
pub const ON_TRANSFER_FROM: u8 = 2;
/// Fires inside the registrar's `registerOperator`.
pub const ON_REGISTER: u8 = 3;
/// Fires inside the registrar's `deregisterOperator`.
pub const ON_DEREGISTER: u8 = 4;

#[entrypoint]
#[storage]
pub struct TestHostile {
    erc20: Erc20,
    trigger: StorageU8,
    target: StorageAddress,
    data: StorageBytes,
    bubble: StorageBool,
    last_ok: StorageBool,
    last_return: StorageBytes,
    fired: StorageU256,
}

impl TestHostile {
    /// Runs the armed hook if `trigger` matches (and disarms it first, so it fires once).
    fn hook(&mut self, trigger: u8) -> Result<(), Vec<u8>> {
        if self.trigger.get().to::<u8>() != trigger {
            return Ok(());
        }
        self.trigger.set(alloy_primitives::Uint::<8, 1>::ZERO);
        let target = self.target.get();
        let data = self.data.get_bytes();
        self.fired.set(self.fired.get() + U256::from(1));
        // SAFETY: a regular CALL; our storage cache is flushed and cleared around it.
        let res = unsafe { RawCall::new().clear_storage_cache().call(target, &data) };
        let (ok, out) = match res {
            Ok(out) => (true, out),
            Err(out) => (false, out),
        };
        self.last_ok.set(ok);
        self.last_return.set_bytes(&out);
        if !ok && self.bubble.get() {
            return Err(out);
        }
        Ok(())
    }
}

#[public]
impl TestHostile {
    pub fn name(&self) -> alloc::string::String {
        "Hostile Token".into()
    }

    pub fn symbol(&self) -> alloc::string::String {
        "HOSTILE".into()
    }

    pub fn decimals(&self) -> u8 {
        18
    }

    /// Test faucet.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Vec<u8>> {
        Ok(self.erc20._mint(to, amount)?)
    }

    /// Arms the hook: on the next `trigger`, call `target` with `data`; when `bubble`, a failed
    /// call reverts the outer call with the callee's revert data.
    pub fn arm(&mut self, trigger: u8, target: Address, data: Bytes, bubble: bool) {
        self.trigger
            .set(alloy_primitives::Uint::<8, 1>::from(trigger));
        self.target.set(target);
        self.data.set_bytes(&data.0);
        self.bubble.set(bubble);
    }

    /// Disarms the hook.
    pub fn disarm(&mut self) {
        self.trigger.set(alloy_primitives::Uint::<8, 1>::ZERO);
    }

    /// Whether the last hook call succeeded.
    pub fn last_ok(&self) -> bool {
        self.last_ok.get()
    }

    /// What the last hook call returned (its revert data when it failed).
    pub fn last_return(&self) -> Bytes {
        Bytes(self.last_return.get_bytes())
    }

    /// How many times the hook has fired.
    pub fn fired(&self) -> U256 {
        self.fired.get()
    }

    /// Calls `target` with `data` from this contract; a revert is bubbled unchanged.
    pub fn exec(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        // SAFETY: a regular CALL; our storage cache is flushed and cleared around it.
        unsafe { RawCall::new().clear_storage_cache().call(target, &data.0) }.map(Bytes)
    }

    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Vec<u8>> {
        Ok(self.erc20.approve(spender, value)?)
    }

    /// ERC-20 `transfer`, running the hook (trigger 1) first.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        self.hook(ON_TRANSFER)?;
        Ok(self.erc20.transfer(to, value)?)
    }

    /// ERC-20 `transferFrom`, running the hook (trigger 2) first.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Vec<u8>> {
        self.hook(ON_TRANSFER_FROM)?;
        Ok(self.erc20.transfer_from(from, to, value)?)
    }

    /// `IAVSRegistrar.registerOperator`.
    pub fn register_operator(
        &mut self,
        _operator: Address,
        _avs: Address,
        _operator_set_ids: Vec<u32>,
        _data: Bytes,
    ) -> Result<(), Vec<u8>> {
        self.hook(ON_REGISTER)
    }

    /// `IAVSRegistrar.deregisterOperator`.
    pub fn deregister_operator(
        &mut self,
        _operator: Address,
        _avs: Address,
        _operator_set_ids: Vec<u32>,
    ) -> Result<(), Vec<u8>> {
        self.hook(ON_DEREGISTER)
    }

    /// `IAVSRegistrar.supportsAVS`: every AVS.
    #[selector(name = "supportsAVS")]
    pub fn supports_avs(&self, _avs: Address) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::uint;
    use alloy_sol_types::{sol, SolCall, SolError};
    use motsu::prelude::*;

    sol! {
        function mint(address to, uint256 amount);
        function transfer(address to, uint256 value) returns (bool);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    }

    #[motsu::test]
    fn hook_fires_once_and_records_the_call(token: Contract<TestHostile>, alice: Address) {
        let t = token.address();
        token
            .sender(alice)
            .mint(alice, uint!(10_U256))
            .motsu_unwrap();
        let data = mintCall {
            to: alice,
            amount: uint!(5_U256),
        }
        .abi_encode();
        token.sender(alice).arm(ON_TRANSFER, t, Bytes(data), true);
        token
            .sender(alice)
            .transfer(t, uint!(1_U256))
            .motsu_unwrap();
        assert!(token.sender(alice).last_ok());
        assert_eq!(token.sender(alice).fired(), uint!(1_U256));
        // The hook minted 5 to alice on top of the transfer of 1 away from her.
        assert_eq!(token.sender(alice).balance_of(alice), uint!(14_U256));
        // Fired once: a second transfer does not mint again.
        token
            .sender(alice)
            .transfer(t, uint!(1_U256))
            .motsu_unwrap();
        assert_eq!(token.sender(alice).fired(), uint!(1_U256));
        assert_eq!(token.sender(alice).balance_of(alice), uint!(13_U256));
    }

    #[motsu::test]
    fn a_failed_hook_call_bubbles_or_is_swallowed(token: Contract<TestHostile>, alice: Address) {
        let t = token.address();
        token
            .sender(alice)
            .mint(alice, uint!(10_U256))
            .motsu_unwrap();
        // From the token contract, which holds nothing: the hook call fails.
        let data = transferCall {
            to: alice,
            value: uint!(1_U256),
        }
        .abi_encode();
        token
            .sender(alice)
            .arm(ON_TRANSFER, t, Bytes(data.clone()), true);
        let err = token
            .sender(alice)
            .transfer(t, uint!(1_U256))
            .motsu_unwrap_err();
        assert_eq!(&err[..4], &ERC20InsufficientBalance::SELECTOR);
        assert_eq!(token.sender(alice).balance_of(alice), uint!(10_U256));

        token.sender(alice).arm(ON_TRANSFER, t, Bytes(data), false);
        token
            .sender(alice)
            .transfer(t, uint!(1_U256))
            .motsu_unwrap();
        assert!(!token.sender(alice).last_ok());
        assert_eq!(
            &token.sender(alice).last_return().0[..4],
            &ERC20InsufficientBalance::SELECTOR
        );
        assert_eq!(token.sender(alice).balance_of(alice), uint!(9_U256));
    }

    #[motsu::test]
    fn registrar_supports_every_avs_and_hooks_registration(
        token: Contract<TestHostile>,
        alice: Address,
        avs: Address,
    ) {
        assert!(token.sender(alice).supports_avs(avs));
        let t = token.address();
        let data = mintCall {
            to: alice,
            amount: uint!(3_U256),
        }
        .abi_encode();
        token
            .sender(alice)
            .arm(ON_REGISTER, t, Bytes(data.clone()), true);
        // The wrong trigger does not fire it.
        token
            .sender(alice)
            .deregister_operator(alice, avs, vec![1])
            .motsu_unwrap();
        assert_eq!(token.sender(alice).fired(), U256::ZERO);
        token
            .sender(alice)
            .register_operator(alice, avs, vec![1], Bytes(vec![]))
            .motsu_unwrap();
        assert_eq!(token.sender(alice).fired(), uint!(1_U256));
        assert_eq!(token.sender(alice).balance_of(alice), uint!(3_U256));
    }
}
