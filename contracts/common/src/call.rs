//! Typed cross-contract calls.
//!
//! Every call takes a `sol!` call struct from `ferrostake-interfaces`, encodes it, calls, and decodes
//! the return. A revert of the callee comes back as a [`Revert`] carrying its data unchanged (the
//! caller bubbles it, as Solidity does); a call to an address without code fails with
//! [`NoCodeAt`] instead of silently "succeeding"; a return that does not decode fails with
//! [`InvalidReturnData`].
//!
//! Storage cache: mutating calls flush *and clear* the Stylus storage cache first (the callee may
//! re-enter and write), static calls only flush it, so state seen on both sides is consistent.
#![allow(deprecated)] // stylus-sdk 0.9's RawCall is deprecated in favour of host-bound calls; it is what OpenZeppelin uses.

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol_data::Bool, SolCall, SolType};
use ferrostake_interfaces::{
    IFerrostakeErrors::{EthTransferFailed, InvalidReturnData, NoCodeAt, SafeERC20FailedOperation},
    IERC20,
};
use stylus_sdk::{call::RawCall, types::AddressVM};

use crate::Revert;

fn require_code(to: Address) -> Result<(), Revert> {
    if to.has_code() {
        Ok(())
    } else {
        Err(NoCodeAt { target: to }.into())
    }
}

fn decode<C: SolCall>(to: Address, out: &[u8]) -> Result<C::Return, Revert> {
    C::abi_decode_returns(out, true).map_err(|_| InvalidReturnData { target: to }.into())
}

/// Calls `to` with `call` (state may change; value 0).
pub fn call<C: SolCall>(to: Address, call: &C) -> Result<C::Return, Revert> {
    call_with_value(to, U256::ZERO, call)
}

/// Calls `to` with `call`, sending `value` wei.
pub fn call_with_value<C: SolCall>(
    to: Address,
    value: U256,
    call: &C,
) -> Result<C::Return, Revert> {
    require_code(to)?;
    // SAFETY: a regular CALL; the storage cache is flushed and cleared so re-entrant writes by the
    // callee are seen afterwards.
    let out = unsafe {
        RawCall::new_with_value(value)
            .clear_storage_cache()
            .call(to, &call.abi_encode())
    }
    .map_err(crate::entry::bubble)?;
    decode::<C>(to, &out)
}

/// Static-calls `to` with `call` (no state change possible).
pub fn static_call<C: SolCall>(to: Address, call: &C) -> Result<C::Return, Revert> {
    require_code(to)?;
    // SAFETY: STATICCALL cannot change state; flushing makes our pending writes visible to the callee.
    let out = unsafe {
        RawCall::new_static()
            .flush_storage_cache()
            .call(to, &call.abi_encode())
    }
    .map_err(crate::entry::bubble)?;
    decode::<C>(to, &out)
}

/// Static-calls `to` with raw `data` and returns the raw output (for precompiles and for
/// interfaces that are not ABI functions, such as EIP-4788's).
pub fn static_call_raw(to: Address, data: &[u8]) -> Result<Vec<u8>, Revert> {
    // SAFETY: as in `static_call`.
    unsafe { RawCall::new_static().flush_storage_cache().call(to, data) }
        .map_err(crate::entry::bubble)
}

fn erc20_optional_return(token: Address, data: &[u8]) -> Result<(), Revert> {
    let failed = || Revert::from(SafeERC20FailedOperation { token });
    if !token.has_code() {
        return Err(failed());
    }
    // SAFETY: a regular CALL into the token; cache cleared as for any mutating call.
    let out =
        unsafe { RawCall::new().clear_storage_cache().call(token, data) }.map_err(|_| failed())?;
    // Tokens that return nothing (USDT-style) are accepted; a returned `false` is a failure.
    if out.is_empty() || Bool::abi_decode(&out, true).unwrap_or(false) {
        Ok(())
    } else {
        Err(failed())
    }
}

/// `token.transfer(to, amount)`, tolerating tokens that return nothing.
pub fn safe_transfer(token: Address, to: Address, amount: U256) -> Result<(), Revert> {
    erc20_optional_return(
        token,
        &IERC20::transferCall { to, value: amount }.abi_encode(),
    )
}

/// `token.transferFrom(from, to, amount)`, tolerating tokens that return nothing.
pub fn safe_transfer_from(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), Revert> {
    erc20_optional_return(
        token,
        &IERC20::transferFromCall {
            from,
            to,
            value: amount,
        }
        .abi_encode(),
    )
}

/// `token.balanceOf(account)`.
pub fn balance_of(token: Address, account: Address) -> Result<U256, Revert> {
    Ok(static_call(token, &IERC20::balanceOfCall { account })?._0)
}

/// Sends `amount` wei to `to` with all gas (pull-payment recipients may be contracts).
pub fn transfer_eth(to: Address, amount: U256) -> Result<(), Revert> {
    // SAFETY: a value transfer with empty calldata; cache cleared in case the recipient re-enters.
    unsafe {
        RawCall::new_with_value(amount)
            .clear_storage_cache()
            .call(to, &[])
    }
    .map(|_| ())
    .map_err(|_| EthTransferFailed { to, amount }.into())
}

/// Delegate-calls `to` with `calldata` and returns its result as the caller's (the body of a
/// `#[fallback]` that forwards unknown selectors to a view program sharing this storage layout).
pub fn delegate(to: Address, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    if !to.has_code() {
        return Err(Revert::from(NoCodeAt { target: to }).0);
    }
    // SAFETY: the target is our own view program (set by the owner), compiled from the same crate
    // with the same storage layout; the cache is cleared so its reads see our pending writes.
    unsafe {
        RawCall::new_delegate()
            .clear_storage_cache()
            .call(to, calldata)
    }
    .map_err(|e| crate::entry::bubble(e).0)
}
