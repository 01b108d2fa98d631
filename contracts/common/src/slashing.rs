//! EigenLayer's slashing accounting (its `SlashingLib`), with the same names and roundings.
//!
//! Notation (all factors WAD, 1.0 = 1e18): deposit shares `s`, deposit scaling factor `k`, operator
//! max magnitude `m`, beacon-chain slashing factor `l`, slashing factor `sf = m` (or `m · l` for beacon
//! ETH). Withdrawable shares are `s · k · sf`, computed on demand and never stored; a slash lowers `m`
//! and so every delegator's withdrawable shares at once, without touching staker storage.
//!
//! Rounding rule: whatever a staker can take out rounds **down**; whatever is burned from an operator
//! rounds so the operator keeps **at least** the proportional remainder (never over-slashed);
//! magnitude taken by a slash rounds **up** (so repeated tiny slashes cannot round to nothing).

use alloy_primitives::U256;
use ferrostake_interfaces::IDelegationManager::InvalidDepositScalingFactor;

use crate::{
    math::{self, div_wad, mul_div, mul_wad, mul_wad_up, Rounding, WAD},
    Revert,
};

/// The deposit scaling factor as stored: zero means "never set" and reads as WAD.
pub fn scaling_factor(stored: U256) -> U256 {
    if stored.is_zero() {
        WAD
    } else {
        stored
    }
}

/// The slashing factor of beacon-chain ETH: `m · l`, rounded down (a staker's claim never grows by
/// rounding). For other strategies the slashing factor is `m` itself.
pub fn beacon_slashing_factor(
    max_magnitude: U256,
    beacon_chain_slashing_factor: U256,
) -> Result<U256, Revert> {
    mul_wad(max_magnitude, beacon_chain_slashing_factor)
}

/// Withdrawable shares `s · k · sf`, each multiplication rounded down.
pub fn calc_withdrawable(
    deposit_shares: U256,
    dsf: U256,
    slashing_factor: U256,
) -> Result<U256, Revert> {
    mul_wad(
        mul_wad(deposit_shares, scaling_factor(dsf))?,
        slashing_factor,
    )
}

/// Deposit shares for `withdrawable` shares: `w / k / sf`, rounded down (the inverse of
/// [`calc_withdrawable`] up to rounding, never more than the staker holds).
pub fn calc_deposit_shares(
    withdrawable: U256,
    dsf: U256,
    slashing_factor: U256,
) -> Result<U256, Revert> {
    div_wad(div_wad(withdrawable, scaling_factor(dsf))?, slashing_factor)
}

/// The new deposit scaling factor after adding `added` shares to `prev` deposit shares under
/// `slashing_factor`, chosen so that withdrawable shares grow by exactly `added` (up to rounding):
/// - first deposit (`prev == 0`): `k' = k / sf` — new money is not charged for past slashes;
/// - otherwise: `k' = ((s·k·sf + added) / (s + added)) / sf`.
///
/// Errors: [`InvalidDepositScalingFactor`] when the result rounds to zero.
pub fn update(
    dsf: U256,
    prev_deposit_shares: U256,
    added_shares: U256,
    slashing_factor: U256,
) -> Result<U256, Revert> {
    let k = scaling_factor(dsf);
    let new = if prev_deposit_shares.is_zero() {
        div_wad(k, slashing_factor)?
    } else {
        let current = calc_withdrawable(prev_deposit_shares, k, slashing_factor)?;
        let numerator = math::add(current, added_shares)?;
        let denominator = math::add(prev_deposit_shares, added_shares)?;
        div_wad(div_wad(numerator, denominator)?, slashing_factor)?
    };
    if new.is_zero() {
        return Err(InvalidDepositScalingFactor {}.into());
    }
    Ok(new)
}

/// Scaled shares recorded in a queued withdrawal: `s · k`, rounded down. Completion multiplies them
/// by the slashing factor at the end of the withdrawal delay, so slashes during the delay apply.
pub fn scale_for_queue_withdrawal(deposit_shares: U256, dsf: U256) -> Result<U256, Revert> {
    mul_wad(deposit_shares, scaling_factor(dsf))
}

/// Shares paid when a queued withdrawal completes: `scaled · sf`, rounded down.
pub fn scale_for_complete_withdrawal(
    scaled_shares: U256,
    slashing_factor: U256,
) -> Result<U256, Revert> {
    mul_wad(scaled_shares, slashing_factor)
}

/// Shares of queued withdrawals to burn when max magnitude falls from `prev_max` to `new_max`:
/// `scaled · (prev_max − new_max)`, rounded down.
pub fn scale_for_burning(
    scaled_shares: U256,
    prev_max: U256,
    new_max: U256,
) -> Result<U256, Revert> {
    mul_wad(scaled_shares, math::sub(prev_max, new_max)?)
}

/// Operator shares slashed when max magnitude falls from `prev_max` to `new_max`:
/// `shares − ceil(shares · new_max / prev_max)`, so the operator keeps at least the proportional
/// remainder and its stakers' (rounded-down) withdrawable shares stay covered. Zero when `prev_max`
/// is zero (nothing left to slash).
pub fn calc_slashed_amount(
    operator_shares: U256,
    prev_max: U256,
    new_max: U256,
) -> Result<U256, Revert> {
    if prev_max.is_zero() {
        return Ok(U256::ZERO);
    }
    let remaining = mul_div(operator_shares, new_max, prev_max, Rounding::Up)?;
    Ok(operator_shares.saturating_sub(remaining))
}

/// Magnitude a slash of `wad_to_slash` takes from `current_magnitude`: rounded **up**.
pub fn calc_slashed_magnitude(current_magnitude: U256, wad_to_slash: U256) -> Result<U256, Revert> {
    mul_wad_up(current_magnitude, wad_to_slash)
}

/// New beacon-chain slashing factor after a pod's restaked balance falls from `prev` to `new`
/// (gwei): `l · new / prev`, rounded down; unchanged when the balance did not fall.
pub fn beacon_factor_after_balance_drop(
    factor: U256,
    prev_balance: U256,
    new_balance: U256,
) -> Result<U256, Revert> {
    if prev_balance.is_zero() || new_balance >= prev_balance {
        return Ok(factor);
    }
    mul_div(factor, new_balance, prev_balance, Rounding::Down)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn unset_factor_reads_as_wad() {
        assert_eq!(scaling_factor(U256::ZERO), WAD);
        assert_eq!(
            calc_withdrawable(u(1000), U256::ZERO, WAD).unwrap(),
            u(1000)
        );
    }

    #[test]
    fn first_deposit_after_a_slash_is_not_charged_for_it() {
        let half = WAD / u(2);
        let k = update(U256::ZERO, U256::ZERO, u(1000), half).unwrap();
        assert_eq!(k, WAD * u(2));
        assert_eq!(calc_withdrawable(u(1000), k, half).unwrap(), u(1000));
    }

    #[test]
    fn repeat_deposit_adds_exactly_its_amount() {
        let sf = WAD * u(3) / u(4);
        let k = update(U256::ZERO, U256::ZERO, u(1_000_000), sf).unwrap();
        let before = calc_withdrawable(u(1_000_000), k, sf).unwrap();
        let k2 = update(k, u(1_000_000), u(500_000), sf).unwrap();
        let after = calc_withdrawable(u(1_500_000), k2, sf).unwrap();
        assert!(
            after <= before + u(500_000) && after + u(2) >= before + u(500_000),
            "{before} → {after}"
        );
    }

    #[test]
    fn beacon_slashing_factor_is_the_wad_product_rounded_down() {
        // sf = mulWad(m, l): an unslashed pod (l = 1.0) leaves m as it is, halves compound, and
        // a product below one wei rounds to zero rather than up.
        assert_eq!(beacon_slashing_factor(WAD / u(4), WAD).unwrap(), WAD / u(4));
        assert_eq!(
            beacon_slashing_factor(WAD / u(2), WAD / u(2)).unwrap(),
            WAD / u(4)
        );
        assert_eq!(
            beacon_slashing_factor(u(1), WAD / u(2)).unwrap(),
            U256::ZERO
        );
    }

    #[test]
    fn deposit_shares_invert_withdrawable_rounding_down() {
        // s = divWad(divWad(w, k), sf): 1,000 withdrawable under sf = 0.5 and an unset k are
        // 2,000 deposit shares; with k = 2.0 they are 1,000 again.
        assert_eq!(
            calc_deposit_shares(u(1000), U256::ZERO, WAD / u(2)).unwrap(),
            u(2000)
        );
        assert_eq!(
            calc_deposit_shares(u(1000), WAD * u(2), WAD / u(2)).unwrap(),
            u(1000)
        );
        // 1 withdrawable share under k = 3.0 is a third of a deposit share: rounds to zero.
        assert_eq!(
            calc_deposit_shares(u(1), WAD * u(3), WAD).unwrap(),
            U256::ZERO
        );
        // Converting back never yields more than was asked for, and the four floors lose less
        // than k + k·sf + sf + 1 = 1.4 + 1.05 + 0.75 + 1 < 5 withdrawable shares.
        let k = WAD * u(7) / u(5);
        let sf = WAD * u(3) / u(4);
        let s = calc_deposit_shares(u(1_000_003), k, sf).unwrap();
        let w = calc_withdrawable(s, k, sf).unwrap();
        assert!(w <= u(1_000_003) && w + u(5) > u(1_000_003), "{s} → {w}");
    }

    #[test]
    fn slashing_keeps_the_operator_covered() {
        assert_eq!(
            calc_slashed_amount(u(1000), WAD, WAD / u(4) * u(3)).unwrap(),
            u(250)
        );
        // 7 shares, magnitude 3 → 2: operator keeps ceil(14/3) = 5, 2 slashed (not 3).
        assert_eq!(calc_slashed_amount(u(7), u(3), u(2)).unwrap(), u(2));
        assert_eq!(
            calc_slashed_amount(u(7), U256::ZERO, U256::ZERO).unwrap(),
            U256::ZERO
        );
    }

    #[test]
    fn slashed_magnitude_rounds_up() {
        assert_eq!(calc_slashed_magnitude(u(3), WAD / u(2)).unwrap(), u(2));
        assert_eq!(calc_slashed_magnitude(u(1), u(1)).unwrap(), u(1));
    }

    #[test]
    fn queued_withdrawal_bears_slashes_in_its_delay() {
        let scaled = scale_for_queue_withdrawal(u(1000), WAD).unwrap();
        assert_eq!(
            scale_for_complete_withdrawal(scaled, WAD / u(2)).unwrap(),
            u(500)
        );
        assert_eq!(scale_for_burning(scaled, WAD, WAD / u(2)).unwrap(), u(500));
    }

    #[test]
    fn zero_factor_is_rejected() {
        // A scaling factor that rounds to zero would make every withdrawable amount zero.
        let e = update(u(1), u(1), U256::ZERO, U256::MAX).unwrap_err();
        assert!(e.is::<InvalidDepositScalingFactor>());
    }

    #[test]
    fn beacon_factor_only_falls() {
        assert_eq!(
            beacon_factor_after_balance_drop(WAD, u(32), u(16)).unwrap(),
            WAD / u(2)
        );
        assert_eq!(
            beacon_factor_after_balance_drop(WAD, u(32), u(40)).unwrap(),
            WAD
        );
    }

    fn wad_fraction() -> impl Strategy<Value = U256> {
        (1u64..=1_000_000_000_000_000_000).prop_map(U256::from)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, rng_seed: proptest::test_runner::RngSeed::Fixed(2), ..ProptestConfig::default() })]

        /// Withdrawable never exceeds deposited × k × sf computed exactly.
        #[test]
        fn withdrawable_never_exceeds_exact(s in 0u128..1u128 << 100, k in wad_fraction(), sf in wad_fraction()) {
            let w = calc_withdrawable(u(s), k, sf).unwrap();
            let exact = num_bigint::BigUint::from(s) * num_bigint::BigUint::from_bytes_be(&k.to_be_bytes::<32>())
                * num_bigint::BigUint::from_bytes_be(&sf.to_be_bytes::<32>());
            let w_scaled = num_bigint::BigUint::from_bytes_be(&w.to_be_bytes::<32>()) * num_bigint::BigUint::from(10u8).pow(36);
            prop_assert!(w_scaled <= exact);
        }

        /// Successive slashes never increase withdrawable shares, and each slash takes no more from
        /// the operator than its proportional share.
        #[test]
        fn slashes_never_increase_withdrawable(s in 1u128..1u128 << 100, cuts in proptest::collection::vec(wad_fraction(), 1..6)) {
            let mut m = WAD;
            let mut last = calc_withdrawable(u(s), WAD, m).unwrap();
            let mut op = u(s);
            for c in cuts {
                let slashed_mag = calc_slashed_magnitude(m, c).unwrap().min(m);
                let new_m = m - slashed_mag;
                let taken = calc_slashed_amount(op, m, new_m).unwrap();
                prop_assert!(taken <= op);
                op -= taken;
                let w = calc_withdrawable(u(s), WAD, new_m).unwrap();
                prop_assert!(w <= last);
                prop_assert!(op >= w, "operator shares {} must cover withdrawable {}", op, w);
                last = w;
                m = new_m;
            }
        }

        /// Queueing then completing without a slash never creates shares.
        #[test]
        fn queue_and_complete_round_trip(s in 0u128..1u128 << 100, k in wad_fraction(), sf in wad_fraction()) {
            let scaled = scale_for_queue_withdrawal(u(s), k).unwrap();
            let out = scale_for_complete_withdrawal(scaled, sf).unwrap();
            prop_assert!(out <= calc_withdrawable(u(s), k, sf).unwrap() + u(1));
        }
    }
}
