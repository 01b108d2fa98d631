//! DelegationManager: operators, delegation, queued withdrawals, slashing-aware shares
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
