//! A plain ERC-20 for tests (never for production: anyone may mint). OpenZeppelin's audited ERC-20
//! with a public faucet, 18 decimals.
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
    pub fn name(&self) -> alloc::string::String {
        "Test Token".into()
    }

    pub fn symbol(&self) -> alloc::string::String {
        "TEST".into()
    }

    pub fn decimals(&self) -> u8 {
        18
    }

    /// Test faucet.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), erc20::Error> {
        self.erc20._mint(to, amount)
    }
}

#[public]
impl IErc20 for TestErc20 {
    type Error = erc20::Error;

    fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Self::Error> {
        self.erc20.transfer(to, value)
    }

    fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Self::Error> {
        self.erc20.approve(spender, value)
    }

    fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Self::Error> {
        self.erc20.transfer_from(from, to, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::uint;
    use motsu::prelude::*;

    #[motsu::test]
    fn faucet_mints_and_transfers_move_balances(
        token: Contract<TestErc20>,
        alice: Address,
        bob: Address,
    ) {
        token
            .sender(alice)
            .mint(alice, uint!(100_U256))
            .motsu_unwrap();
        token
            .sender(alice)
            .transfer(bob, uint!(40_U256))
            .motsu_unwrap();
        assert_eq!(token.sender(alice).balance_of(alice), uint!(60_U256));
        assert_eq!(token.sender(alice).balance_of(bob), uint!(40_U256));
        assert_eq!(token.sender(alice).total_supply(), uint!(100_U256));
    }

    #[motsu::test]
    fn overdraft_reverts_with_erc6093_error(
        token: Contract<TestErc20>,
        alice: Address,
        bob: Address,
    ) {
        token
            .sender(alice)
            .mint(alice, uint!(1_U256))
            .motsu_unwrap();
        let err = token
            .sender(alice)
            .transfer(bob, uint!(2_U256))
            .motsu_unwrap_err();
        assert!(matches!(err, erc20::Error::InsufficientBalance(_)));
        assert_eq!(token.sender(alice).balance_of(alice), uint!(1_U256));
    }
}
