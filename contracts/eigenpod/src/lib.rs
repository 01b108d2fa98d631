//! EigenPod: beacon-chain proofs and checkpoints (one per staker, behind a beacon proxy)
//!
//! Not implemented yet.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;
