//! StrategyFactory: one beacon-proxy strategy per token, token map and blacklist
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
