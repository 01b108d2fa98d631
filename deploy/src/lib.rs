//! Deploy library (not written yet).
