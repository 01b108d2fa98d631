#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use stylus_sdk::prelude::*;

#[entrypoint]
#[storage]
pub struct TestErc20 {
    erc20: Erc20,
}

#[public]
#[implements(IErc20<Error = erc20::Error>)]
impl TestErc20 {
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), erc20::Error> {
        self.erc20._mint(to, amount)
    }
}

#[public]
impl IErc20 for TestErc20 {
    type Error = erc20::Error;
    fn total_supply(&self) -> U256 { self.erc20.total_supply() }
    fn balance_of(&self, account: Address) -> U256 { self.erc20.balance_of(account) }
    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Self::Error> { self.erc20.transfer(to, value) }
    fn allowance(&self, owner: Address, spender: Address) -> U256 { self.erc20.allowance(owner, spender) }
    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Self::Error> { self.erc20.approve(spender, value) }
    fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Self::Error> { self.erc20.transfer_from(from, to, value) }
}
