//! Beacon block root oracle with the EIP-4788 interface, fed by an authorised updater
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
