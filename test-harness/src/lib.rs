//! # ferrostake-harness
//!
//! Test tooling that drives the compiled Ferrostake programs on the devnode: the suite fixture,
//! actors, the reference model, proof builders, and the `ferrostake` binary.
//!
//! - [`beacon`]: a synthetic beacon chain with real SSZ merkleization and the exact proofs an
//!   EigenPod verifies.
//! - [`evm_token`]: an EVM ERC-20 test token (Solidity, checked-in bytecode) for comparing
//!   deposits, withdrawals and claims with EigenLayer's EVM-token figures.
//! - [`inspect`]: `ferrostake inspect`: read-only reports on a staker, operator, AVS or LRT vault
//!   of a deployment, over JSON-RPC.
//! - [`lrt_flow`]: the LRT vault's steps (deposit, operators, allocation, redemption requests,
//!   finalization, claims, sync, unstaking) with their gas, for the demo and the devnode tests.
//! - [`lrt_model`]: the reference model of the LRT vault's NAV, shares and redemptions,
//!   independent of the contract code.
//! - [`model`]: the reference model of the share accounting, independent of the contract code.
//! - [`rewards_calc`]: the rewards calculator (submissions + daily stake snapshots → cumulative
//!   earnings).
//! - [`rewards_tree`]: the rewards distribution tree (EigenLayer's leaves and Merkle semantics) and
//!   claims against it.
//! - [`suite`]: the suite fixture: the whole suite deployed on an in-process devnode with the deploy
//!   tool, actors, typed calls and errors, snapshots.
pub mod beacon;
pub mod demo;
pub mod devbench;
pub mod evm_token;
pub mod gas_profile;
pub mod inspect;
pub mod lrt_flow;
pub mod lrt_model;
pub mod model;
pub mod pod_flow;
pub mod rewards_calc;
pub mod rewards_tree;
pub mod suite;
