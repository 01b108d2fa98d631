//! StrategyBase: an ERC-20 (or LST) vault owned by the StrategyManager
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
