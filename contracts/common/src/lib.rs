//! Shared library (not written yet).
#![no_std]
