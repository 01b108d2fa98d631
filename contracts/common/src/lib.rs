//! # ferrostake-common
//!
//! The `no_std` library every Ferrostake program links: what EigenLayer keeps in its libraries and
//! mixins, written for Stylus.
//!
//! - [`revert`]: [`Revert`], the ABI-encoded revert data every public function returns on failure.
//! - [`call`]: typed cross-contract calls with `sol!` call structs; callee reverts bubble unchanged.
//! - [`math`]: `mul_div` over a 512-bit intermediate with explicit rounding; WAD helpers.
//! - [`slashing`]: EigenLayer's SlashingLib (deposit scaling factor, slashing factor, withdrawable
//!   shares, scaling for queued withdrawals and burning), each with its rounding direction.
//! - [`entry`]: the programs' entry point, with typed errors for calldata no function serves.
//! - [`access`]: one-shot initialization, a reentrancy guard, and EigenLayer's `Pausable`.
//! - [`eip712`]: EIP-712 domain and typed-data hashing, ECDSA (low-s) and EIP-1271 signature checks.
//! - [`beacon`]: EigenLayer's beacon-chain proofs (state root, validator fields, balances).
//! - [`merkle`]: keccak and SHA-256 Merkle inclusion proofs (EigenLayer's `Merkle` semantics).
//! - [`sha256`]: SHA-256 of two 32-byte nodes, unrolled for Nitro's WASM prices.
//!
//! Nothing here panics on input: every failure is a typed error from `ferrostake-interfaces`.
#![no_std]
extern crate alloc;

pub mod access;
pub mod beacon;
pub mod call;
pub mod eip712;
pub mod entry;
pub mod math;
pub mod merkle;
pub mod revert;
pub mod sha256;
pub mod slashing;

pub use revert::Revert;

// Native tests link motsu's implementations of the Stylus host functions.
#[cfg(test)]
use motsu as _;
