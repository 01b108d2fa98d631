//! # ferrostake-deploy
//!
//! Deploys, activates, wires and upgrades the Ferrostake suite on any JSON-RPC endpoint and exports
//! its ABI for integrators. Depends on alloy and the ABI text in `contracts/interfaces/solidity`, never
//! on the devnode or the harness, so a real-chain deployment stays a light build.
//!
//! Modules:
//! - [`abi`]: the suite's ABI (from the contracts' Solidity interface text) and its export.
//! - [`chain`]: one signer on one JSON-RPC endpoint: deploy code, activate programs, send, read.
//! - [`config`]: the TOML deployment configuration.
//! - [`manifest`]: the manifest, `deployments/<chain-id>.json`.
//! - [`evm_asm`]: a tiny EVM assembler with labels.
//! - [`proxy`]: the ERC-1967 proxy (selector-gated admin) the core contracts sit behind.
//! - [`lrt`]: the LRT vault: its programs, delegator and vault proxies, initialization, read-back.
//! - [`steps`]: the deployment steps the suite and the LRT vault share (progress, program specs,
//!   manifest names, proxies).
//! - [`suite`]: the suite plan and the idempotent deployment procedure; it drives [`lrt`].
//! - [`program`]: the Stylus program format (re-exported from `ferrostake-program`).
pub mod abi;
pub mod beacon;
pub mod chain;
pub mod config;
pub mod evm_asm;
pub mod lrt;
pub mod manifest;
pub mod proxy;
pub mod steps;
pub mod suite;

pub use ferrostake_program as program;
