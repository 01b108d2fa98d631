//! # ferrostake-lrt-vault
//!
//! The liquid restaking token over the Ferrostake suite. This crate currently holds the vault's
//! accounting core ([`accounting`]): share pricing with virtual shares, the redemption payout rule,
//! performance fees, deposit caps, time-boxed pause flags and exposure limits — pure functions with
//! the rounding direction of each stated, tested by unit and property tests. The Stylus program that
//! drives the StrategyManager/DelegationManager with it is not written yet (see the issue tracker).
#![cfg_attr(not(test), no_std)]

pub mod accounting;
