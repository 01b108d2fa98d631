//! Harness (not written yet).
