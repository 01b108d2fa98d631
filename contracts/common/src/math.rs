//! Checked 256-bit arithmetic with explicit rounding.
//!
//! `mul_div` computes `x · y / d` over a 512-bit product, so it only fails when the *result* does
//! not fit 256 bits (or `d` is zero) — the same contract as OpenZeppelin's `Math.mulDiv`, which
//! EigenLayer's SlashingLib builds on. Every caller states the rounding it wants.

use alloy_primitives::{ruint::Uint, U256};
use ferrostake_interfaces::IFerrostakeErrors::{DivisionByZero, MathOverflow};

use crate::Revert;

/// 1.0 in WAD fixed point.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// Which way a division rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

/// `x · y / d`, rounded as asked.
pub fn mul_div(x: U256, y: U256, d: U256, rounding: Rounding) -> Result<U256, Revert> {
    if d.is_zero() {
        return Err(DivisionByZero {}.into());
    }
    let product: Uint<512, 8> = x.widening_mul(y);
    let (q, r) = product.div_rem(Uint::<512, 8>::from(d));
    let limbs = q.as_limbs();
    if limbs[4..].iter().any(|l| *l != 0) {
        return Err(MathOverflow {}.into());
    }
    let q = U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]);
    if rounding == Rounding::Up && !r.is_zero() {
        // q < 2^256 - 1 here: q·d + r = x·y < 2^512 with r > 0; adding one can still overflow only
        // when q is MAX, which checked_add catches.
        q.checked_add(U256::from(1u8))
            .ok_or_else(|| MathOverflow {}.into())
    } else {
        Ok(q)
    }
}

/// `floor(x · y / WAD)`.
pub fn mul_wad(x: U256, y: U256) -> Result<U256, Revert> {
    mul_div(x, y, WAD, Rounding::Down)
}

/// `ceil(x · y / WAD)`.
pub fn mul_wad_up(x: U256, y: U256) -> Result<U256, Revert> {
    mul_div(x, y, WAD, Rounding::Up)
}

/// `floor(x · WAD / y)`.
pub fn div_wad(x: U256, y: U256) -> Result<U256, Revert> {
    mul_div(x, WAD, y, Rounding::Down)
}

/// `ceil(x · WAD / y)`.
pub fn div_wad_up(x: U256, y: U256) -> Result<U256, Revert> {
    mul_div(x, WAD, y, Rounding::Up)
}

/// `x + y` or [`MathOverflow`].
pub fn add(x: U256, y: U256) -> Result<U256, Revert> {
    x.checked_add(y).ok_or_else(|| MathOverflow {}.into())
}

/// `x - y` or [`MathOverflow`] (underflow).
pub fn sub(x: U256, y: U256) -> Result<U256, Revert> {
    x.checked_sub(y).ok_or_else(|| MathOverflow {}.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::SolError;
    use proptest::prelude::*;

    fn big(x: U256) -> num_bigint::BigUint {
        num_bigint::BigUint::from_bytes_be(&x.to_be_bytes::<32>())
    }

    fn from_big(x: &num_bigint::BigUint) -> Option<U256> {
        let b = x.to_bytes_be();
        (b.len() <= 32).then(|| U256::from_be_slice(&b))
    }

    fn any_u256() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<[u64; 4]>().prop_map(U256::from_limbs),
            any::<u64>().prop_map(U256::from),
            (0u32..256).prop_map(|s| U256::from(1u8) << s),
            Just(U256::MAX),
            Just(U256::ZERO),
        ]
    }

    #[test]
    fn exact_and_rounded_divisions() {
        let u = U256::from;
        assert_eq!(
            mul_div(u(6u8), u(7u8), u(3u8), Rounding::Down).unwrap(),
            u(14u8)
        );
        assert_eq!(
            mul_div(u(6u8), u(7u8), u(3u8), Rounding::Up).unwrap(),
            u(14u8)
        );
        assert_eq!(
            mul_div(u(1u8), u(1u8), u(3u8), Rounding::Down).unwrap(),
            u(0u8)
        );
        assert_eq!(
            mul_div(u(1u8), u(1u8), u(3u8), Rounding::Up).unwrap(),
            u(1u8)
        );
        assert_eq!(
            mul_div(U256::MAX, U256::MAX, U256::MAX, Rounding::Down).unwrap(),
            U256::MAX
        );
    }

    #[test]
    fn errors_are_typed() {
        let e = mul_div(U256::from(1u8), U256::from(1u8), U256::ZERO, Rounding::Down).unwrap_err();
        assert_eq!(e.0, DivisionByZero::SELECTOR.to_vec());
        let e = mul_div(U256::MAX, U256::from(2u8), U256::from(1u8), Rounding::Down).unwrap_err();
        assert_eq!(e.0, MathOverflow::SELECTOR.to_vec());
        // Rounding up the largest quotient with a remainder overflows too.
        let e = mul_div(
            U256::MAX,
            U256::MAX,
            U256::MAX - U256::from(1u8),
            Rounding::Up,
        )
        .unwrap_err();
        assert_eq!(e.0, MathOverflow::SELECTOR.to_vec());
    }

    #[test]
    fn wad_helpers() {
        let half = WAD / U256::from(2u8);
        assert_eq!(mul_wad(U256::from(3u8), half).unwrap(), U256::from(1u8));
        assert_eq!(mul_wad_up(U256::from(3u8), half).unwrap(), U256::from(2u8));
        assert_eq!(
            div_wad(U256::from(1u8), U256::from(3u8)).unwrap(),
            WAD / U256::from(3u8)
        );
        assert_eq!(
            div_wad_up(U256::from(1u8), U256::from(3u8)).unwrap(),
            WAD / U256::from(3u8) + U256::from(1u8)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, rng_seed: proptest::test_runner::RngSeed::Fixed(1), ..ProptestConfig::default() })]

        /// Agrees with a big-integer reference: the same value when it fits, an error when not.
        #[test]
        fn matches_wide_integer_reference(x in any_u256(), y in any_u256(), d in any_u256()) {
            let down = mul_div(x, y, d, Rounding::Down);
            let up = mul_div(x, y, d, Rounding::Up);
            if d.is_zero() {
                prop_assert!(down.is_err() && up.is_err());
            } else {
                let p = big(x) * big(y);
                let q = &p / big(d);
                let q_up = if (&p % big(d)) == num_bigint::BigUint::from(0u8) { q.clone() } else { &q + 1u8 };
                prop_assert_eq!(down.ok(), from_big(&q));
                prop_assert_eq!(up.ok(), from_big(&q_up));
            }
        }

        /// Rounding brackets the exact quotient: down ≤ up ≤ down + 1, and down · d ≤ x · y.
        #[test]
        fn rounding_directions(x in any_u256(), y in any_u256(), d in any_u256()) {
            if let (Ok(down), Ok(up)) = (mul_div(x, y, d, Rounding::Down), mul_div(x, y, d, Rounding::Up)) {
                prop_assert!(down <= up);
                prop_assert!(up - down <= U256::from(1u8));
                prop_assert!(big(down) * big(d) <= big(x) * big(y));
                prop_assert!(big(up) * big(d) >= big(x) * big(y));
            }
        }
    }
}
