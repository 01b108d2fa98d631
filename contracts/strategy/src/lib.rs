//! StrategyBase: holds one ERC-20 (or LST) for the StrategyManager and accounts for it in shares.
//! Deployed once as a program; every token gets its own beacon proxy (storage) pointing at it.
//!
//! Share math (EigenLayer's `StrategyBase`), with a virtual 1e3 shares and 1e3 wei of balance so a
//! first-depositor donation cannot inflate the share price profitably:
//! - deposit (tokens already transferred in): `shares = amount · (totalShares + 1e3) /
//!   (balance + 1e3 − amount)`, rounded down; zero shares revert (`NewSharesZero`);
//!   total shares stay ≤ 1e38 − 1 (`TotalSharesExceedsMax`);
//! - withdraw: `amount = (balance + 1e3) · shares / (totalShares + 1e3)`, rounded down.
//!
//! Balances are read from the token, so rebasing tokens (stETH-like) move every holder's underlying
//! pro rata and direct transfers are donations to existing holders.
//!
//! | function | who | requirements |
//! |---|---|---|
//! | `deposit` | StrategyManager | deposits not paused (bit 0), `token == underlyingToken` |
//! | `withdraw` | StrategyManager | withdrawals not paused (bit 1), `token == underlyingToken`, shares ≤ total |
//! | `beforeAddShares` / `beforeRemoveShares` | StrategyManager | — (hooks, no-ops in the base strategy) |
//! | `pause*` / `unpause` | pausers / unpauser | EigenLayer's `Pausable` rules |
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, U256};
use ferrostake_common::{
    access::{Initializable, Pausable},
    call::{balance_of, safe_transfer, static_call},
    math::{mul_div, Rounding},
    Revert,
};
use ferrostake_interfaces::{IStrategy, IStrategyManager, IERC20};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU256},
    stylus_core::log,
};

/// Virtual shares and virtual balance (1e3 each).
const OFFSET: U256 = U256::from_limbs([1_000, 0, 0, 0]);
/// Maximum total shares: 1e38 − 1.
const MAX_TOTAL_SHARES: U256 = U256::from_limbs([0x098a223fffffffff, 0x4b3b4ca85a86c47a, 0, 0]);
/// 1e18, the unit of the emitted exchange rate.
const ONE: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// Pause bit of deposits.
pub const PAUSED_DEPOSITS: u8 = 0;
/// Pause bit of withdrawals.
pub const PAUSED_WITHDRAWALS: u8 = 1;

#[storage]
pub struct Strategy {
    init: Initializable,
    pausable: Pausable,
    strategy_manager: StorageAddress,
    underlying_token: StorageAddress,
    total_shares: StorageU256,
}

ferrostake_common::entrypoint!(Strategy);

impl Strategy {
    fn only_strategy_manager(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.strategy_manager.get() {
            return Err(IStrategy::OnlyStrategyManager {}.into());
        }
        Ok(())
    }

    fn only_underlying(&self, token: Address) -> Result<(), Revert> {
        if token != self.underlying_token.get() {
            return Err(IStrategy::OnlyUnderlyingToken {}.into());
        }
        Ok(())
    }

    fn token_balance(&self) -> Result<U256, Revert> {
        balance_of(self.underlying_token.get(), self.vm().contract_address())
    }

    fn emit_rate(&self, virtual_balance: U256, total_shares: U256) -> Result<(), Revert> {
        let rate = mul_div(ONE, virtual_balance, total_shares + OFFSET, Rounding::Down)?;
        log(self.vm(), IStrategy::ExchangeRateEmitted { rate });
        Ok(())
    }
}

#[public]
impl Strategy {
    /// One-shot initializer of a strategy proxy.
    pub fn initialize(
        &mut self,
        strategy_manager: Address,
        pauser_registry: Address,
        underlying_token: Address,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        if strategy_manager.is_zero() || underlying_token.is_zero() {
            return Err(IStrategy::InputAddressZero {}.into());
        }
        self.pausable.init(pauser_registry, U256::ZERO)?;
        self.strategy_manager.set(strategy_manager);
        self.underlying_token.set(underlying_token);
        // Tokens without `decimals()` are still accepted; the event then reports 18.
        let decimals = static_call(underlying_token, &IERC20::decimalsCall {})
            .map(|r| r._0)
            .unwrap_or(18);
        log(
            self.vm(),
            IStrategy::StrategyTokenSet {
                token: underlying_token,
                decimals,
            },
        );
        Ok(())
    }

    pub fn deposit(&mut self, token: Address, amount: U256) -> Result<U256, Revert> {
        self.pausable.require_not_paused(PAUSED_DEPOSITS)?;
        self.only_strategy_manager()?;
        self.only_underlying(token)?;
        let prior_total = self.total_shares.get();
        let virtual_balance = self.token_balance()? + OFFSET;
        // The tokens are already here: price against the balance before them.
        let virtual_prior_balance = virtual_balance
            .checked_sub(amount)
            .ok_or(Revert::from(IStrategy::BalanceExceedsMaxTotalDeposits {}))?;
        let new_shares = mul_div(
            amount,
            prior_total + OFFSET,
            virtual_prior_balance,
            Rounding::Down,
        )?;
        if new_shares.is_zero() {
            return Err(IStrategy::NewSharesZero {}.into());
        }
        let total = prior_total + new_shares;
        if total > MAX_TOTAL_SHARES {
            return Err(IStrategy::TotalSharesExceedsMax {}.into());
        }
        self.total_shares.set(total);
        self.emit_rate(virtual_balance, total)?;
        Ok(new_shares)
    }

    pub fn withdraw(
        &mut self,
        recipient: Address,
        token: Address,
        amount_shares: U256,
    ) -> Result<U256, Revert> {
        self.pausable.require_not_paused(PAUSED_WITHDRAWALS)?;
        self.only_strategy_manager()?;
        self.only_underlying(token)?;
        let prior_total = self.total_shares.get();
        if amount_shares > prior_total {
            return Err(IStrategy::WithdrawalAmountExceedsTotalDeposits {}.into());
        }
        let virtual_balance = self.token_balance()? + OFFSET;
        let amount_out = mul_div(
            virtual_balance,
            amount_shares,
            prior_total + OFFSET,
            Rounding::Down,
        )?;
        // amount_shares ≤ prior_total, checked above.
        let total = prior_total - amount_shares;
        self.total_shares.set(total);
        self.emit_rate(virtual_balance - amount_out, total)?;
        if !amount_out.is_zero() {
            safe_transfer(token, recipient, amount_out)?;
        }
        Ok(amount_out)
    }

    #[selector(name = "beforeAddShares")]
    pub fn before_add_shares(&mut self, _staker: Address, _shares: U256) -> Result<(), Revert> {
        self.only_strategy_manager()
    }

    #[selector(name = "beforeRemoveShares")]
    pub fn before_remove_shares(&mut self, _staker: Address, _shares: U256) -> Result<(), Revert> {
        self.only_strategy_manager()
    }

    #[selector(name = "sharesToUnderlyingView")]
    pub fn shares_to_underlying_view(&self, amount_shares: U256) -> Result<U256, Revert> {
        let virtual_balance = self.token_balance()? + OFFSET;
        mul_div(
            virtual_balance,
            amount_shares,
            self.total_shares.get() + OFFSET,
            Rounding::Down,
        )
    }

    #[selector(name = "underlyingToSharesView")]
    pub fn underlying_to_shares_view(&self, amount_underlying: U256) -> Result<U256, Revert> {
        let virtual_balance = self.token_balance()? + OFFSET;
        mul_div(
            amount_underlying,
            self.total_shares.get() + OFFSET,
            virtual_balance,
            Rounding::Down,
        )
    }

    #[selector(name = "sharesToUnderlying")]
    pub fn shares_to_underlying(&self, amount_shares: U256) -> Result<U256, Revert> {
        self.shares_to_underlying_view(amount_shares)
    }

    #[selector(name = "underlyingToShares")]
    pub fn underlying_to_shares(&self, amount_underlying: U256) -> Result<U256, Revert> {
        self.underlying_to_shares_view(amount_underlying)
    }

    /// The user's deposit shares, read from the StrategyManager.
    pub fn shares(&self, user: Address) -> Result<U256, Revert> {
        let call = IStrategyManager::stakerDepositSharesCall {
            staker: user,
            strategy: self.vm().contract_address(),
        };
        Ok(static_call(self.strategy_manager.get(), &call)?._0)
    }

    #[selector(name = "userUnderlyingView")]
    pub fn user_underlying_view(&self, user: Address) -> Result<U256, Revert> {
        let shares = self.shares(user)?;
        self.shares_to_underlying_view(shares)
    }

    #[selector(name = "userUnderlying")]
    pub fn user_underlying(&self, user: Address) -> Result<U256, Revert> {
        self.user_underlying_view(user)
    }

    #[selector(name = "underlyingToken")]
    pub fn underlying_token(&self) -> Address {
        self.underlying_token.get()
    }

    #[selector(name = "totalShares")]
    pub fn total_shares(&self) -> U256 {
        self.total_shares.get()
    }

    #[selector(name = "strategyManager")]
    pub fn strategy_manager(&self) -> Address {
        self.strategy_manager.get()
    }

    pub fn explanation(&self) -> String {
        "Base strategy: holds one token for the StrategyManager, virtual-share accounting".into()
    }

    // --- Pausable ---

    #[selector(name = "pauserRegistry")]
    pub fn pauser_registry(&self) -> Address {
        self.pausable.pauser_registry()
    }

    #[selector(name = "paused")]
    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    #[selector(name = "paused")]
    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
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
}

#[cfg(test)]
mod tests;
