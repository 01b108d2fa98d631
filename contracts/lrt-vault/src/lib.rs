//! LRT vault: liquid restaking token (ERC-20, ERC-4626 views, ERC-7540 redeem)
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
