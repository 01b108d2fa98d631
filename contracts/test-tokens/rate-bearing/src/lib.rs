//! An rETH-like rate-bearing ERC-20 for tests (never for production: anyone may mint and set the rate).
//!
//! Balances are fixed (a plain OpenZeppelin ERC-20); value accrues through `getExchangeRate()`, the
//! ETH value of one token in wei (18 decimals), which `setExchangeRate` moves. `getEthValue` and
//! `getRethValue` convert as rETH does, rounding down.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use stylus_sdk::{prelude::*, storage::StorageU256, stylus_core::log};

/// One token in wei, the unit of the exchange rate.
const ONE: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

sol! {
    /// The exchange rate moved from `previousRate` to `newRate` (wei of ETH per token).
    event ExchangeRateUpdated(uint256 previousRate, uint256 newRate);

    /// A zero rate would make every holding worthless and conversions divide by zero.
    #[derive(Debug)]
    error RateBearingZeroRate();
    /// A value conversion overflowed 256 bits.
    #[derive(Debug)]
    error RateBearingMathOverflow();
}

/// Every way a call can revert.
#[derive(SolidityError, Debug)]
pub enum Error {
    Erc20(erc20::Error),
    ZeroRate(RateBearingZeroRate),
    MathOverflow(RateBearingMathOverflow),
}

#[entrypoint]
#[storage]
pub struct RateBearingToken {
    erc20: Erc20,
    /// Wei of ETH per token; zero means "never set" and reads as 1:1.
    rate: StorageU256,
}

impl RateBearingToken {
    fn rate(&self) -> U256 {
        let rate = self.rate.get();
        if rate.is_zero() {
            ONE
        } else {
            rate
        }
    }
}

#[public]
#[implements(IErc20<Error = erc20::Error>)]
impl RateBearingToken {
    pub fn name(&self) -> alloc::string::String {
        "Rate-bearing Ether (test)".into()
    }

    pub fn symbol(&self) -> alloc::string::String {
        "trETH".into()
    }

    pub fn decimals(&self) -> u8 {
        18
    }

    /// Test faucet.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        Ok(self.erc20._mint(to, amount)?)
    }

    #[selector(name = "getExchangeRate")]
    pub fn get_exchange_rate(&self) -> U256 {
        self.rate()
    }

    #[selector(name = "setExchangeRate")]
    pub fn set_exchange_rate(&mut self, new_rate: U256) -> Result<(), Error> {
        if new_rate.is_zero() {
            return Err(Error::ZeroRate(RateBearingZeroRate {}));
        }
        let previous = self.rate();
        self.rate.set(new_rate);
        log(
            self.vm(),
            ExchangeRateUpdated {
                previousRate: previous,
                newRate: new_rate,
            },
        );
        Ok(())
    }

    /// ETH value of `amount` tokens, rounded down.
    #[selector(name = "getEthValue")]
    pub fn get_eth_value(&self, amount: U256) -> Result<U256, Error> {
        amount
            .checked_mul(self.rate())
            .map(|v| v / ONE)
            .ok_or(Error::MathOverflow(RateBearingMathOverflow {}))
    }

    /// Tokens worth `eth_amount` wei, rounded down.
    #[selector(name = "getRethValue")]
    pub fn get_reth_value(&self, eth_amount: U256) -> Result<U256, Error> {
        eth_amount
            .checked_mul(ONE)
            .map(|v| v / self.rate())
            .ok_or(Error::MathOverflow(RateBearingMathOverflow {}))
    }
}

#[public]
impl IErc20 for RateBearingToken {
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
    fn rate_defaults_to_one_and_converts_both_ways(
        token: Contract<RateBearingToken>,
        alice: Address,
    ) {
        assert_eq!(
            token.sender(alice).get_exchange_rate(),
            uint!(1_000_000_000_000_000_000_U256)
        );
        // 1.1 ETH per token.
        token
            .sender(alice)
            .set_exchange_rate(uint!(1_100_000_000_000_000_000_U256))
            .motsu_unwrap();
        assert_eq!(
            token
                .sender(alice)
                .get_eth_value(uint!(10_U256))
                .motsu_unwrap(),
            uint!(11_U256)
        );
        // 11 wei buys exactly 10 tokens; 10 wei buys 9 (9.09… rounded down).
        assert_eq!(
            token
                .sender(alice)
                .get_reth_value(uint!(11_U256))
                .motsu_unwrap(),
            uint!(10_U256)
        );
        assert_eq!(
            token
                .sender(alice)
                .get_reth_value(uint!(10_U256))
                .motsu_unwrap(),
            uint!(9_U256)
        );
    }

    #[motsu::test]
    fn balances_do_not_move_with_the_rate(token: Contract<RateBearingToken>, alice: Address) {
        token
            .sender(alice)
            .mint(alice, uint!(500_U256))
            .motsu_unwrap();
        token
            .sender(alice)
            .set_exchange_rate(uint!(2_000_000_000_000_000_000_U256))
            .motsu_unwrap();
        assert_eq!(token.sender(alice).balance_of(alice), uint!(500_U256));
        assert_eq!(
            token
                .sender(alice)
                .get_eth_value(uint!(500_U256))
                .motsu_unwrap(),
            uint!(1000_U256)
        );
    }

    #[motsu::test]
    fn zero_rate_is_rejected(token: Contract<RateBearingToken>, alice: Address) {
        let err = token
            .sender(alice)
            .set_exchange_rate(U256::ZERO)
            .motsu_unwrap_err();
        assert!(matches!(err, Error::ZeroRate(_)));
        assert_eq!(
            token.sender(alice).get_exchange_rate(),
            uint!(1_000_000_000_000_000_000_U256)
        );
    }

    #[motsu::test]
    fn overflowing_conversion_is_a_typed_error(token: Contract<RateBearingToken>, alice: Address) {
        token
            .sender(alice)
            .set_exchange_rate(uint!(2_000_000_000_000_000_000_U256))
            .motsu_unwrap();
        let err = token
            .sender(alice)
            .get_eth_value(U256::MAX)
            .motsu_unwrap_err();
        assert!(matches!(err, Error::MathOverflow(_)));
    }
}
