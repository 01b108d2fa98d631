//! EigenPodManager: pod creation, pod shares, beacon-chain slashing factor
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
