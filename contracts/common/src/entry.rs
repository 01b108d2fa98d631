//! The programs' entry point: stylus-sdk's router, with typed errors for calldata no function serves.
//!
//! stylus-sdk 0.9 reverts with empty data (as Solidity's dispatcher does) for calldata of 1–3 bytes,
//! an unknown selector, arguments that do not decode and value sent to a non-payable function, so a
//! caller cannot tell those apart from a callee's empty revert bubbled by the program. Every
//! Ferrostake program enters through [`route`] (declared with [`crate::entrypoint!`]), which answers:
//!
//! - `InvalidCalldata()` for 1–3 bytes of calldata, for empty calldata to a program without a
//!   `receive`, and for an empty revert of the router itself (undecodable arguments, value sent to a
//!   non-payable function, a hand-written router's decoding failure);
//! - `UnknownSelector(bytes4)` when neither the router nor the fallback serves the selector (a
//!   hand-written router reports it with [`unknown_selector`]);
//! - a callee's empty revert unchanged: the call helpers that bubble revert data mark an empty one
//!   with [`bubble`], so it stays empty.
//!
//! Each call of a program runs in a fresh instance, so the marks below start clear on every entry.
use alloc::vec::Vec;
use alloy_primitives::U256;
use alloy_sol_types::SolError;
use core::{
    borrow::BorrowMut,
    sync::atomic::{AtomicU8, Ordering::Relaxed},
};
use ferrostake_interfaces::IFerrostakeErrors::{InvalidCalldata, UnknownSelector};
use stylus_sdk::{
    abi::Router,
    host::VM,
    storage::StorageType,
    stylus_core::{storage::TopLevelStorage, ValueDenier},
    ArbResult,
};

use crate::Revert;

/// Why the program's result is an empty revert: nothing marked (the router refused the
/// calldata), a callee reverted empty, or no function serves the selector.
static EMPTY_REVERT: AtomicU8 = AtomicU8::new(NONE);
const NONE: u8 = 0;
const CALLEE: u8 = 1;
const UNKNOWN: u8 = 2;

/// A callee's revert data, to bubble unchanged (an empty one is marked so it stays empty).
#[inline(never)]
pub fn bubble(data: Vec<u8>) -> Revert {
    if data.is_empty() {
        EMPTY_REVERT.store(CALLEE, Relaxed);
    }
    Revert(data)
}

/// An empty revert the program means (EIP-4788's answer for a timestamp without a root): kept
/// empty, as a callee's.
#[inline(never)]
pub fn keep_empty() -> Vec<u8> {
    bubble(Vec::new()).0
}

/// What a hand-written router (a `#[fallback]`) returns for a selector it does not serve: the
/// entry point answers `UnknownSelector(selector)`.
#[inline(never)]
pub fn unknown_selector() -> Vec<u8> {
    EMPTY_REVERT.store(UNKNOWN, Relaxed);
    Vec::new()
}

/// `InvalidCalldata()`, ABI-encoded.
#[inline(never)]
pub fn invalid_calldata() -> Vec<u8> {
    InvalidCalldata::SELECTOR.to_vec()
}

/// `UnknownSelector(selector)`, ABI-encoded (a `bytes4` is left-aligned in its word).
#[inline(never)]
fn unknown_selector_error(selector: [u8; 4]) -> Vec<u8> {
    let mut out = UnknownSelector::SELECTOR.to_vec();
    out.extend_from_slice(&selector);
    out.resize(4 + 32, 0);
    out
}

/// Routes `input` as stylus-sdk's `router_entrypoint` does (functions, then the fallback; empty
/// calldata to `receive`), answering typed errors for calldata nothing serves (module docs).
pub fn route<S>(input: Vec<u8>, host: VM) -> ArbResult
where
    S: Router<S>
        + StorageType
        + TopLevelStorage
        + BorrowMut<<S as Router<S>>::Storage>
        + ValueDenier,
{
    // SAFETY: the top-level storage at slot 0, created once per call as the SDK's router does.
    let mut storage = unsafe { S::new(U256::ZERO, 0, host) };
    let Some(selector) = input.get(..4) else {
        if input.is_empty() {
            if let Some(res) = S::receive(&mut storage) {
                return res.map(|()| Vec::new());
            }
        }
        return Err(invalid_calldata());
    };
    let selector: [u8; 4] = [selector[0], selector[1], selector[2], selector[3]];
    let out = match S::route(&mut storage, u32::from_be_bytes(selector), &input[4..]) {
        Some(out) => out,
        None => S::fallback(&mut storage, &input).unwrap_or_else(|| Err(unknown_selector())),
    };
    match out {
        Err(data) if data.is_empty() => Err(match EMPTY_REVERT.load(Relaxed) {
            CALLEE => data,
            UNKNOWN => unknown_selector_error(selector),
            _ => invalid_calldata(),
        }),
        out => out,
    }
}

/// Declares `$storage` the program's top-level storage and its entry point [`route`] (use instead
/// of stylus-sdk's `#[entrypoint]` on the struct).
#[macro_export]
macro_rules! entrypoint {
    ($storage:ident) => {
        // SAFETY: the program's one top-level storage struct, as `#[entrypoint]` declares it.
        unsafe impl stylus_sdk::stylus_core::storage::TopLevelStorage for $storage {}

        #[stylus_sdk::prelude::entrypoint]
        #[allow(dead_code)]
        fn ferrostake_entrypoint(
            input: alloc::vec::Vec<u8>,
            host: stylus_sdk::host::VM,
        ) -> stylus_sdk::ArbResult {
            $crate::entry::route::<$storage>(input, host)
        }
    };
}
