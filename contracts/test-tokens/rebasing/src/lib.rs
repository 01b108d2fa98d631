//! A stETH-like rebasing ERC-20 for tests (never for production: anyone may mint and rebase).
//!
//! Holders own *shares*; `balanceOf(a) = shares[a] · totalPooled / totalShares`, rounded down, so a
//! balance changes without any transfer when `rebase` moves `totalPooled` (staking rewards up, a
//! slashing down). A transfer of `amount` moves `amount · totalShares / totalPooled` shares, rounded
//! down, so the receiver may get 1–2 wei less than `amount` and the sender keeps the dust — the same
//! corner case Lido documents for stETH, which strategies must tolerate.
//!
//! Errors are OpenZeppelin's ERC-6093 ones; [`RebasingMathOverflow`] guards the share arithmetic.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use openzeppelin_stylus::token::erc20::{
    Approval, ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
    ERC20InvalidSender, ERC20InvalidSpender, Transfer,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
    stylus_core::log,
};

sol! {
    /// Shares moved by a transfer, mint or `transferShares` (as stETH's `TransferShares`).
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// `totalPooled` changed from `preTotalPooled` to `postTotalPooled` by `rebase`.
    event TokenRebased(uint256 preTotalPooled, uint256 postTotalPooled, uint256 totalShares);

    /// Share arithmetic overflowed 256 bits.
    #[derive(Debug)]
    error RebasingMathOverflow();
    #[derive(Debug)]
    /// `rebase` to zero while shares exist would make every balance zero and shares unpriceable.
    error RebasingZeroPool();
}

/// Every way a call can revert.
#[derive(SolidityError, Debug)]
pub enum Error {
    InsufficientBalance(ERC20InsufficientBalance),
    InvalidSender(ERC20InvalidSender),
    InvalidReceiver(ERC20InvalidReceiver),
    InsufficientAllowance(ERC20InsufficientAllowance),
    InvalidSpender(ERC20InvalidSpender),
    MathOverflow(RebasingMathOverflow),
    ZeroPool(RebasingZeroPool),
}

#[entrypoint]
#[storage]
pub struct RebasingToken {
    shares: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    total_shares: StorageU256,
    total_pooled: StorageU256,
}

/// `a · b / d` rounded down, with a typed error instead of overflow; `d == 0` yields 0 (an empty pool
/// has no balances).
fn mul_div_down(a: U256, b: U256, d: U256) -> Result<U256, Error> {
    if d.is_zero() {
        return Ok(U256::ZERO);
    }
    a.checked_mul(b)
        .map(|p| p / d)
        .ok_or(Error::MathOverflow(RebasingMathOverflow {}))
}

impl RebasingToken {
    fn shares_for(&self, amount: U256) -> Result<U256, Error> {
        let total_shares = self.total_shares.get();
        if total_shares.is_zero() {
            // First mint fixes the rate at one share per wei.
            return Ok(amount);
        }
        mul_div_down(amount, total_shares, self.total_pooled.get())
    }

    fn pooled_for(&self, shares: U256) -> Result<U256, Error> {
        mul_div_down(shares, self.total_pooled.get(), self.total_shares.get())
    }

    fn move_shares(
        &mut self,
        from: Address,
        to: Address,
        shares: U256,
        amount: U256,
    ) -> Result<(), Error> {
        if from.is_zero() {
            return Err(Error::InvalidSender(ERC20InvalidSender { sender: from }));
        }
        if to.is_zero() {
            return Err(Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let from_shares = self.shares.get(from);
        if from_shares < shares {
            let balance = self.pooled_for(from_shares)?;
            return Err(Error::InsufficientBalance(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: amount,
            }));
        }
        // `shares` <= `from_shares`, and the sum of all holders' shares is `total_shares`, so neither
        // side can wrap.
        self.shares.setter(from).set(from_shares - shares);
        let to_shares = self.shares.get(to);
        self.shares.setter(to).set(to_shares + shares);
        log(
            self.vm(),
            Transfer {
                from,
                to,
                value: amount,
            },
        );
        log(
            self.vm(),
            TransferShares {
                from,
                to,
                sharesValue: shares,
            },
        );
        Ok(())
    }

    fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let allowed = self.allowances.getter(owner).get(spender);
        if allowed == U256::MAX {
            return Ok(());
        }
        if allowed < amount {
            return Err(Error::InsufficientAllowance(ERC20InsufficientAllowance {
                spender,
                allowance: allowed,
                needed: amount,
            }));
        }
        self.allowances
            .setter(owner)
            .insert(spender, allowed - amount);
        Ok(())
    }
}

#[public]
impl RebasingToken {
    pub fn name(&self) -> alloc::string::String {
        "Rebasing Staked Ether (test)".into()
    }

    pub fn symbol(&self) -> alloc::string::String {
        "tstETH".into()
    }

    pub fn decimals(&self) -> u8 {
        18
    }

    #[selector(name = "totalSupply")]
    pub fn total_supply(&self) -> U256 {
        self.total_pooled.get()
    }

    #[selector(name = "balanceOf")]
    pub fn balance_of(&self, account: Address) -> Result<U256, Error> {
        self.pooled_for(self.shares.get(account))
    }

    #[selector(name = "sharesOf")]
    pub fn shares_of(&self, account: Address) -> U256 {
        self.shares.get(account)
    }

    #[selector(name = "getTotalShares")]
    pub fn get_total_shares(&self) -> U256 {
        self.total_shares.get()
    }

    #[selector(name = "getSharesByPooledEth")]
    pub fn get_shares_by_pooled_eth(&self, amount: U256) -> Result<U256, Error> {
        self.shares_for(amount)
    }

    #[selector(name = "getPooledEthByShares")]
    pub fn get_pooled_eth_by_shares(&self, shares: U256) -> Result<U256, Error> {
        self.pooled_for(shares)
    }

    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        if spender.is_zero() {
            return Err(Error::InvalidSpender(ERC20InvalidSpender { spender }));
        }
        let owner = self.vm().msg_sender();
        self.allowances.setter(owner).insert(spender, value);
        log(
            self.vm(),
            Approval {
                owner,
                spender,
                value,
            },
        );
        Ok(true)
    }

    pub fn transfer(&mut self, to: Address, amount: U256) -> Result<bool, Error> {
        let shares = self.shares_for(amount)?;
        self.move_shares(self.vm().msg_sender(), to, shares, amount)?;
        Ok(true)
    }

    #[selector(name = "transferFrom")]
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<bool, Error> {
        self.spend_allowance(from, self.vm().msg_sender(), amount)?;
        let shares = self.shares_for(amount)?;
        self.move_shares(from, to, shares, amount)?;
        Ok(true)
    }

    /// Moves `shares` shares; the `Transfer` event carries their current value.
    #[selector(name = "transferShares")]
    pub fn transfer_shares(&mut self, to: Address, shares: U256) -> Result<U256, Error> {
        let amount = self.pooled_for(shares)?;
        self.move_shares(self.vm().msg_sender(), to, shares, amount)?;
        Ok(amount)
    }

    /// Test faucet: mints `amount` of value (shares at the current rate) to `to`.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        if to.is_zero() {
            return Err(Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let shares = self.shares_for(amount)?;
        let overflow = || Error::MathOverflow(RebasingMathOverflow {});
        let total_pooled = self
            .total_pooled
            .get()
            .checked_add(amount)
            .ok_or_else(overflow)?;
        let total_shares = self
            .total_shares
            .get()
            .checked_add(shares)
            .ok_or_else(overflow)?;
        self.total_pooled.set(total_pooled);
        self.total_shares.set(total_shares);
        // A holder's shares are at most `total_shares`, which did not overflow.
        let to_shares = self.shares.get(to);
        self.shares.setter(to).set(to_shares + shares);
        log(
            self.vm(),
            Transfer {
                from: Address::ZERO,
                to,
                value: amount,
            },
        );
        log(
            self.vm(),
            TransferShares {
                from: Address::ZERO,
                to,
                sharesValue: shares,
            },
        );
        Ok(())
    }

    /// Sets the pooled total, moving every balance pro rata (rewards up, a slashing down).
    pub fn rebase(&mut self, new_total_pooled: U256) -> Result<(), Error> {
        let total_shares = self.total_shares.get();
        if new_total_pooled.is_zero() && !total_shares.is_zero() {
            return Err(Error::ZeroPool(RebasingZeroPool {}));
        }
        let pre = self.total_pooled.get();
        self.total_pooled.set(new_total_pooled);
        log(
            self.vm(),
            TokenRebased {
                preTotalPooled: pre,
                postTotalPooled: new_total_pooled,
                totalShares: total_shares,
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::uint;
    use motsu::prelude::*;

    #[motsu::test]
    fn balances_follow_the_pool_after_rebase(
        token: Contract<RebasingToken>,
        alice: Address,
        bob: Address,
    ) {
        token
            .sender(alice)
            .mint(alice, uint!(300_U256))
            .motsu_unwrap();
        token
            .sender(alice)
            .mint(bob, uint!(100_U256))
            .motsu_unwrap();
        // Rewards: the pool grows by half, so does every balance.
        token.sender(alice).rebase(uint!(600_U256)).motsu_unwrap();
        assert_eq!(
            token.sender(alice).balance_of(alice).motsu_unwrap(),
            uint!(450_U256)
        );
        assert_eq!(
            token.sender(alice).balance_of(bob).motsu_unwrap(),
            uint!(150_U256)
        );
        // Slashing: the pool halves.
        token.sender(alice).rebase(uint!(300_U256)).motsu_unwrap();
        assert_eq!(
            token.sender(alice).balance_of(alice).motsu_unwrap(),
            uint!(225_U256)
        );
        assert_eq!(token.sender(alice).total_supply(), uint!(300_U256));
    }

    #[motsu::test]
    fn transfer_can_deliver_slightly_less_than_asked(
        token: Contract<RebasingToken>,
        alice: Address,
        bob: Address,
    ) {
        token
            .sender(alice)
            .mint(alice, uint!(3_U256))
            .motsu_unwrap();
        token.sender(alice).rebase(uint!(10_U256)).motsu_unwrap(); // 3 shares worth 10 wei
                                                                   // 5 wei → floor(5·3/10) = 1 share, worth floor(10/3) = 3 wei.
        token
            .sender(alice)
            .transfer(bob, uint!(5_U256))
            .motsu_unwrap();
        let received = token.sender(alice).balance_of(bob).motsu_unwrap();
        assert!(
            received < uint!(5_U256) && received + uint!(2_U256) >= uint!(5_U256) - uint!(1_U256)
        );
        assert_eq!(token.sender(alice).shares_of(bob), uint!(1_U256));
    }

    #[motsu::test]
    fn overdrawn_transfer_reverts_without_moving_shares(
        token: Contract<RebasingToken>,
        alice: Address,
        bob: Address,
    ) {
        token
            .sender(alice)
            .mint(alice, uint!(10_U256))
            .motsu_unwrap();
        let err = token
            .sender(alice)
            .transfer(bob, uint!(11_U256))
            .motsu_unwrap_err();
        assert!(
            matches!(err, Error::InsufficientBalance(ERC20InsufficientBalance { needed, .. }) if needed == uint!(11_U256))
        );
        assert_eq!(token.sender(alice).shares_of(alice), uint!(10_U256));
        assert_eq!(token.sender(alice).shares_of(bob), U256::ZERO);
    }

    #[motsu::test]
    fn transfer_from_spends_allowance(
        token: Contract<RebasingToken>,
        alice: Address,
        bob: Address,
    ) {
        token
            .sender(alice)
            .mint(alice, uint!(10_U256))
            .motsu_unwrap();
        let err = token
            .sender(bob)
            .transfer_from(alice, bob, uint!(4_U256))
            .motsu_unwrap_err();
        assert!(matches!(err, Error::InsufficientAllowance(_)));
        token
            .sender(alice)
            .approve(bob, uint!(4_U256))
            .motsu_unwrap();
        token
            .sender(bob)
            .transfer_from(alice, bob, uint!(4_U256))
            .motsu_unwrap();
        assert_eq!(token.sender(alice).allowance(alice, bob), U256::ZERO);
        assert_eq!(
            token.sender(alice).balance_of(bob).motsu_unwrap(),
            uint!(4_U256)
        );
    }

    #[motsu::test]
    fn rebase_to_zero_with_holders_is_rejected(token: Contract<RebasingToken>, alice: Address) {
        token
            .sender(alice)
            .mint(alice, uint!(1_U256))
            .motsu_unwrap();
        let err = token.sender(alice).rebase(U256::ZERO).motsu_unwrap_err();
        assert!(matches!(err, Error::ZeroPool(_)));
        assert_eq!(token.sender(alice).total_supply(), uint!(1_U256));
    }
}
