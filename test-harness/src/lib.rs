//! # ferrostake-harness
//!
//! Test tooling that drives the compiled Ferrostake programs on the devnode: the suite fixture,
//! actors, the reference model, proof builders, and the `ferrostake` binary.
//!
//! - [`beacon`]: a synthetic beacon chain with real SSZ merkleization and the exact proofs an
//!   EigenPod verifies.
pub mod beacon;
