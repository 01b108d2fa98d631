//! The external ABI (not written yet).
#![no_std]
