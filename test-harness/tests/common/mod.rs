//! What the two property suites (`model_vs_chain.rs`, `model_vs_chain_native.rs`) share: the
//! verdict check of a transaction against the model, error names, the proptest configuration
//! (`PROPTEST_CASES`, `FERROSTAKE_SEED`) and `FERROSTAKE_TRACE`.
#![allow(dead_code)] // each suite uses its own subset

use alloy::sol_types::SolError;
use ferrostake_harness::suite::Outcome;
use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};

pub type R<T = ()> = Result<T, TestCaseError>;

pub fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

pub fn sel<E: SolError>() -> [u8; 4] {
    E::SELECTOR
}

pub fn error_label(sel: [u8; 4]) -> &'static str {
    ferrostake_harness::suite::error_name(sel).unwrap_or("?")
}

/// `FERROSTAKE_TRACE=1`: print every step's outcome beside the model's verdict.
pub fn tracing() -> bool {
    std::env::var_os("FERROSTAKE_TRACE").is_some()
}

/// Checks a mined transaction against the model's verdict: success, or a revert with exactly
/// `expected`'s selector. Every revert must carry a custom error of the suite's ABI.
pub fn verdict(what: &str, o: &Outcome, expected: Result<(), [u8; 4]>) -> R {
    if tracing() {
        eprintln!(
            "  {what}: {} (model: {})",
            if o.status {
                "ok"
            } else {
                o.error_name().unwrap_or("?")
            },
            match expected {
                Ok(()) => "ok",
                Err(sel) => error_label(sel),
            }
        );
    }
    if !o.status {
        prop_assert!(
            o.error_name().is_some(),
            "{what}: reverted without a custom error of the ABI: 0x{}",
            hex::encode(&o.output)
        );
    }
    match expected {
        Ok(()) => prop_assert!(
            o.status,
            "{what}: the model accepts it but the chain reverted with {} (0x{})",
            o.error_name().unwrap_or("?"),
            hex::encode(&o.output)
        ),
        Err(sel) => {
            prop_assert!(
                !o.status,
                "{what}: the model refuses it ({}) but the chain accepted it",
                error_label(sel)
            );
            prop_assert_eq!(
                o.error_selector(),
                Some(sel),
                "{}: expected {} got {}",
                what,
                error_label(sel),
                o.error_name().unwrap_or("?")
            );
        }
    }
    Ok(())
}

/// A fixed-seed configuration: `PROPTEST_CASES` (else `default_cases`) sequences from
/// `FERROSTAKE_SEED` (else `default_seed`), nothing persisted, shrinking bounded.
pub fn config(default_cases: u32, default_seed: u64, max_shrink_iters: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let seed = std::env::var("FERROSTAKE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_seed);
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters,
        ..ProptestConfig::default()
    }
}

/// Counts the model-compared steps each property machine has applied in this process and, when
/// `FERROSTAKE_FUZZ_LOG` is set (scripts/fuzz-long sets it), prints the running totals after every
/// sequence, so a long run's step count is on record (`fuzz: <machine> case <n>, <steps> steps`).
pub fn tally(machine: &'static str, steps: usize) {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    static TOTALS: Mutex<BTreeMap<&str, (u64, u64)>> = Mutex::new(BTreeMap::new());
    let (cases, total) = {
        let mut totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
        let t = totals.entry(machine).or_default();
        t.0 += 1;
        t.1 += steps as u64;
        *t
    };
    if std::env::var_os("FERROSTAKE_FUZZ_LOG").is_some() {
        eprintln!("fuzz: {machine} case {cases}, {total} steps");
    }
}

/// Runs a directed sequence's result as a plain test.
pub fn must(r: R) {
    if let Err(e) = r {
        panic!("{e}");
    }
}
