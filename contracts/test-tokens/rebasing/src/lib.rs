//! stETH-like rebasing test token: balances are shares times a rate
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
