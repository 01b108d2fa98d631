//! # ferrostake-devnode
//!
//! **Not implemented yet.** This crate holds the planned module layout and the dependency choices
//! (revm 43 for EVM, wasmi 2.0 for Stylus — 55 s cold build against 307 s for wasmtime 48 on our
//! 2-core machines, per `shared/reference/stylus-notes.md`); the issue tracker has the plan.
//!
//! A Stylus-capable local Arbitrum chain in Rust: EVM bytecode runs on revm, Stylus WASM programs run
//! on a WASM engine with Nitro's ink metering and `vm_hooks` host functions, and the whole chain is
//! served over Ethereum JSON-RPC or used in-process.
//!
//! Modules, each with one job:
//! - [`exec`]: executes one transaction against a state database (EVM + Stylus + ArbOS precompiles).
//!   Knows nothing of blocks, pools or RPC.
//! - [`node`]: the chain: genesis, blocks, automine, receipts, logs, snapshots, time, the in-process
//!   API.
//! - [`rpc`]: the JSON-RPC surface over [`node`].
pub mod exec;
pub mod node;
pub mod rpc;
