//! The LRT vault's accounting, as pure functions over plain numbers.
//!
//! **Pricing.** `shares = assets · (supply + V) / (nav + 1)` and `assets = shares · (nav + 1) /
//! (supply + V)` with `V = 10^DECIMALS_OFFSET` virtual shares and one virtual wei (OpenZeppelin's
//! ERC-4626 offset). The virtual position makes a first-depositor donation attack cost the attacker
//! about `V` times what it can take from the next depositor. Rounding always favours the vault
//! (ERC-4626): shares for a deposit and assets for a redemption round down, assets for a mint and
//! shares for a withdrawal round up.
//!
//! **Redemptions** (ERC-7540): a request records its shares and their value at request time; when a
//! keeper finalizes it, it pays `min(value at request, value at finalization)` — an exiting holder
//! bears any slashing that happened while waiting and gains nothing from rate moves after it asked to
//! leave (the lesson of Renzo's C4 H-04).
//!
//! **Fees.** A performance fee on the rate's rise above its high-water mark is minted as shares to the
//! treasury, so holders pay it by dilution and the NAV itself never moves.

use alloy_primitives::U256;

/// Decimals of the virtual-share offset: `V = 10^3` virtual shares.
pub const DECIMALS_OFFSET: u32 = 3;
/// Basis points in one.
pub const BPS: u64 = 10_000;
/// One share-unit for rates: rates are assets per `1e18` shares.
pub const RATE_UNIT: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// Which way a division rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

/// Arithmetic did not fit 256 bits (or divided by zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// `a · b / d` over a 512-bit intermediate, rounded as asked.
pub fn mul_div(a: U256, b: U256, d: U256, rounding: Rounding) -> Result<U256, Overflow> {
    if d.is_zero() {
        return Err(Overflow);
    }
    let product = a.widening_mul::<256, 4, 512, 8>(b);
    let d512 = alloy_primitives::ruint::Uint::<512, 8>::from(d);
    let (q, r) = product.div_rem(d512);
    let q = if rounding == Rounding::Up && !r.is_zero() {
        q + alloy_primitives::ruint::Uint::<512, 8>::from(1u8)
    } else {
        q
    };
    U256::checked_from_limbs_slice(q.as_limbs()).ok_or(Overflow)
}

/// `V = 10^DECIMALS_OFFSET` (a constant: `pow` would cost a kilobyte of program size).
const VIRTUAL_SHARES: u64 = 10u64.pow(DECIMALS_OFFSET);

fn virtual_shares() -> U256 {
    U256::from_limbs([VIRTUAL_SHARES, 0, 0, 0])
}

/// The vault's totals at one moment: its net asset value and its share supply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Net asset value: restaked (after slashing) + queued (after slashing) + idle − liabilities − fees.
    pub nav: U256,
    /// Shares in existence (including shares escrowed by pending redemption requests).
    pub supply: U256,
}

impl Totals {
    /// Shares worth `assets`.
    pub fn to_shares(&self, assets: U256, rounding: Rounding) -> Result<U256, Overflow> {
        let shares_side = self.supply.checked_add(virtual_shares()).ok_or(Overflow)?;
        let assets_side = self.nav.checked_add(U256::from(1u8)).ok_or(Overflow)?;
        mul_div(assets, shares_side, assets_side, rounding)
    }

    /// Assets worth `shares`.
    pub fn to_assets(&self, shares: U256, rounding: Rounding) -> Result<U256, Overflow> {
        let shares_side = self.supply.checked_add(virtual_shares()).ok_or(Overflow)?;
        let assets_side = self.nav.checked_add(U256::from(1u8)).ok_or(Overflow)?;
        mul_div(shares, assets_side, shares_side, rounding)
    }

    /// Assets per `1e18` shares (`getRate()`), rounded down.
    pub fn rate(&self) -> Result<U256, Overflow> {
        self.to_assets(RATE_UNIT, Rounding::Down)
    }
}

/// A redemption request: shares escrowed and their value when requested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedeemRequest {
    /// Shares taken from the owner.
    pub shares: U256,
    /// `to_assets(shares, Down)` at request time.
    pub assets_at_request: U256,
}

impl RedeemRequest {
    /// Records a request for `shares` at `totals`.
    pub fn new(shares: U256, totals: &Totals) -> Result<Self, Overflow> {
        Ok(Self {
            shares,
            assets_at_request: totals.to_assets(shares, Rounding::Down)?,
        })
    }

    /// What finalization at `totals` owes: `min(value at request, value now)`.
    pub fn payout(&self, totals: &Totals) -> Result<U256, Overflow> {
        Ok(self
            .assets_at_request
            .min(totals.to_assets(self.shares, Rounding::Down)?))
    }
}

/// Performance fee: shares to mint to the treasury so it owns `fee_bps` of the rate's gain above
/// `high_water_rate`, and the new high-water mark. Nothing is charged below the mark (a vault that
/// was slashed earns no fee until it has recovered).
pub fn performance_fee_shares(
    totals: &Totals,
    high_water_rate: U256,
    fee_bps: u64,
) -> Result<(U256, U256), Overflow> {
    let rate = totals.rate()?;
    if rate <= high_water_rate || fee_bps == 0 || totals.supply.is_zero() {
        return Ok((U256::ZERO, high_water_rate.max(rate)));
    }
    // Gain in assets across all shares, and the fee part of it.
    let gain = mul_div(
        rate - high_water_rate,
        totals.supply,
        RATE_UNIT,
        Rounding::Down,
    )?;
    let fee_assets = mul_div(gain, U256::from(fee_bps), U256::from(BPS), Rounding::Down)?;
    if fee_assets.is_zero() || fee_assets >= totals.nav {
        return Ok((U256::ZERO, rate));
    }
    // Mint s so that s / (supply + V + s) = fee_assets / (nav + 1): the treasury's new shares are
    // worth exactly fee_assets (rounded down), paid by dilution.
    let shares_side = totals
        .supply
        .checked_add(virtual_shares())
        .ok_or(Overflow)?;
    let remaining = totals.nav + U256::from(1u8) - fee_assets;
    let minted = mul_div(fee_assets, shares_side, remaining, Rounding::Down)?;
    let after = Totals {
        nav: totals.nav,
        supply: totals.supply.checked_add(minted).ok_or(Overflow)?,
    };
    Ok((minted, after.rate()?))
}

/// A deposit cap that refills every `period` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodCap {
    /// Assets allowed per period (0 = deposits disabled).
    pub cap: U256,
    /// Period length in seconds (0 = the cap is a lifetime total).
    pub period: u64,
    /// Start of the current period.
    pub window_start: u64,
    /// Assets used in the current period.
    pub used: U256,
}

/// Why a deposit was refused by a cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapExceeded {
    /// What was still available in the period.
    pub available: U256,
}

impl PeriodCap {
    /// What can still be deposited at `now`.
    pub fn available(&self, now: u64) -> U256 {
        if self.period != 0 && now >= self.window_start.saturating_add(self.period) {
            self.cap
        } else {
            self.cap.saturating_sub(self.used)
        }
    }

    /// Takes `amount` from the cap at `now`, rolling the window when the period has passed.
    pub fn consume(&mut self, now: u64, amount: U256) -> Result<(), CapExceeded> {
        let available = self.available(now);
        if amount > available {
            return Err(CapExceeded { available });
        }
        if self.period != 0 && now >= self.window_start.saturating_add(self.period) {
            // Align the window to the period grid so it cannot be shifted by the depositor's timing.
            self.window_start = now - (now - self.window_start) % self.period;
            self.used = U256::ZERO;
        }
        self.used += amount;
        Ok(())
    }
}

/// Actions the guardian can pause separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `deposit`/`mint`.
    Deposit,
    /// `requestRedeem`.
    Request,
    /// `redeem`/`withdraw` of claimable requests.
    Claim,
    /// Delegation and allocation changes.
    Allocate,
}

/// Time-boxed pause flags: each action is paused until a timestamp, never for longer than
/// `max_duration` per guardian call, so a compromised guardian can delay but never freeze funds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PauseFlags {
    /// Paused-until timestamps, by [`Action`] index.
    pub until: [u64; 4],
}

impl PauseFlags {
    fn index(action: Action) -> usize {
        match action {
            Action::Deposit => 0,
            Action::Request => 1,
            Action::Claim => 2,
            Action::Allocate => 3,
        }
    }

    /// Whether `action` is paused at `now`.
    pub fn is_paused(&self, action: Action, now: u64) -> bool {
        now < self.until[Self::index(action)]
    }

    /// Pauses `action` until `now + duration`, capped at `now + max_duration`; never shortens a
    /// running pause.
    pub fn pause(&mut self, action: Action, now: u64, duration: u64, max_duration: u64) {
        let until = now.saturating_add(duration.min(max_duration));
        let slot = &mut self.until[Self::index(action)];
        *slot = (*slot).max(until);
    }

    /// Ends the pause of `action` (the unpauser's power, not the guardian's).
    pub fn unpause(&mut self, action: Action) {
        self.until[Self::index(action)] = 0;
    }
}

/// Whether putting `at_risk_after` of the vault's assets behind one operator (or operator set)
/// stays within `max_bps` of `nav`.
pub fn within_exposure(at_risk_after: U256, nav: U256, max_bps: u64) -> Result<bool, Overflow> {
    let limit = mul_div(nav, U256::from(max_bps), U256::from(BPS), Rounding::Down)?;
    Ok(at_risk_after <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn empty_vault_prices_at_the_virtual_offset() {
        let t = Totals {
            nav: U256::ZERO,
            supply: U256::ZERO,
        };
        // 1 asset buys 1000 shares in an empty vault (V = 1000 virtual shares against 1 virtual wei).
        assert_eq!(t.to_shares(u(1), Rounding::Down).unwrap(), u(1000));
        assert_eq!(t.rate().unwrap(), u(1_000_000_000_000_000));
    }

    #[test]
    fn rounding_favours_the_vault() {
        let t = Totals {
            nav: u(1_000_003),
            supply: u(999_000_000),
        };
        let down = t.to_shares(u(12_345), Rounding::Down).unwrap();
        let up = t.to_shares(u(12_345), Rounding::Up).unwrap();
        assert_eq!(up - down, u(1));
        let a_down = t.to_assets(u(777_777), Rounding::Down).unwrap();
        let a_up = t.to_assets(u(777_777), Rounding::Up).unwrap();
        assert!(a_up - a_down <= u(1));
    }

    #[test]
    fn first_depositor_donation_cannot_take_a_victims_deposit() {
        // Attacker: deposits 1 wei, then donates 10 ETH straight into NAV.
        let mut t = Totals {
            nav: U256::ZERO,
            supply: U256::ZERO,
        };
        let attacker_shares = t.to_shares(u(1), Rounding::Down).unwrap();
        t = Totals {
            nav: u(1),
            supply: attacker_shares,
        };
        t.nav += u(10_000_000_000_000_000_000);
        // Victim deposits 1 ETH.
        let victim_assets = u(1_000_000_000_000_000_000);
        let victim_shares = t.to_shares(victim_assets, Rounding::Down).unwrap();
        assert!(!victim_shares.is_zero(), "victim gets shares");
        t = Totals {
            nav: t.nav + victim_assets,
            supply: t.supply + victim_shares,
        };
        let victim_value = t.to_assets(victim_shares, Rounding::Down).unwrap();
        let attacker_value = t.to_assets(attacker_shares, Rounding::Down).unwrap();
        // The victim loses at most the rounding of one share, while the attacker loses most of its
        // donation to the virtual shares: the attack costs it over a thousand times what it takes.
        let victim_loss = victim_assets - victim_value;
        let one_share = t.to_assets(u(1), Rounding::Up).unwrap();
        assert!(
            victim_loss <= one_share,
            "victim lost {victim_loss}, more than one share ({one_share})"
        );
        let attacker_loss = u(10_000_000_000_000_000_001) - attacker_value;
        assert!(
            attacker_loss > victim_loss * u(1000),
            "attack too cheap: {attacker_loss} vs {victim_loss}"
        );
    }

    #[test]
    fn payout_is_the_lower_of_request_and_finalization_value() {
        let t0 = Totals {
            nav: u(1_000_000),
            supply: u(1_000_000_000),
        };
        let r = RedeemRequest::new(u(100_000_000), &t0).unwrap();
        // Slashed by 10% before finalization: the requester bears it.
        let slashed = Totals {
            nav: u(900_000),
            supply: t0.supply,
        };
        assert_eq!(
            r.payout(&slashed).unwrap(),
            slashed.to_assets(r.shares, Rounding::Down).unwrap()
        );
        assert!(r.payout(&slashed).unwrap() < r.assets_at_request);
        // Rewards before finalization: the requester does not gain.
        let grown = Totals {
            nav: u(1_200_000),
            supply: t0.supply,
        };
        assert_eq!(r.payout(&grown).unwrap(), r.assets_at_request);
    }

    #[test]
    fn no_fee_below_the_high_water_mark() {
        let t = Totals {
            nav: u(1_000_000),
            supply: u(1_000_000_000),
        };
        let rate = t.rate().unwrap();
        let (minted, hwm) = performance_fee_shares(&t, rate + u(1), 1_000).unwrap();
        assert_eq!(minted, U256::ZERO);
        assert_eq!(hwm, rate + u(1));
    }

    #[test]
    fn fee_shares_are_worth_the_fee() {
        // Rate doubled from 1e15 (per 1e18 shares) to 2e15: gain = 1e6 assets on 1e9 shares.
        let t = Totals {
            nav: u(2_000_000),
            supply: u(1_000_000_000),
        };
        let hwm = u(1_000_000_000_000_000);
        let (minted, new_hwm) = performance_fee_shares(&t, hwm, 2_000).unwrap();
        let after = Totals {
            nav: t.nav,
            supply: t.supply + minted,
        };
        let fee_value = after.to_assets(minted, Rounding::Down).unwrap();
        // 20% of ~1e6 gain ≈ 2e5 assets, within rounding.
        assert!(
            fee_value <= u(200_000) && fee_value >= u(199_000),
            "fee value {fee_value}"
        );
        assert_eq!(new_hwm, after.rate().unwrap());
        assert!(
            new_hwm < t.rate().unwrap(),
            "dilution lowers the rate by the fee"
        );
    }

    #[test]
    fn cap_refills_each_period_on_the_grid() {
        let mut cap = PeriodCap {
            cap: u(100),
            period: 86_400,
            window_start: 0,
            used: U256::ZERO,
        };
        cap.consume(10, u(60)).unwrap();
        assert_eq!(
            cap.consume(20, u(50)),
            Err(CapExceeded { available: u(40) })
        );
        cap.consume(20, u(40)).unwrap();
        assert_eq!(cap.available(86_399), U256::ZERO);
        assert_eq!(cap.available(86_400), u(100));
        cap.consume(86_400 * 3 + 5, u(1)).unwrap();
        assert_eq!(cap.window_start, 86_400 * 3);
        assert_eq!(cap.used, u(1));
    }

    #[test]
    fn pause_is_time_boxed_and_never_shortened_by_the_guardian() {
        let mut flags = PauseFlags::default();
        flags.pause(Action::Deposit, 1_000, 1_000_000, 86_400);
        assert!(flags.is_paused(Action::Deposit, 1_000 + 86_399));
        assert!(
            !flags.is_paused(Action::Deposit, 1_000 + 86_400),
            "capped at max_duration"
        );
        assert!(
            !flags.is_paused(Action::Claim, 1_000),
            "flags are per action"
        );
        flags.pause(Action::Deposit, 2_000, 10, 86_400);
        assert!(
            flags.is_paused(Action::Deposit, 50_000),
            "a shorter pause does not cut a longer one"
        );
        flags.unpause(Action::Deposit);
        assert!(!flags.is_paused(Action::Deposit, 2_000));
    }

    #[test]
    fn exposure_limit_is_a_share_of_nav() {
        assert!(within_exposure(u(2_500), u(10_000), 2_500).unwrap());
        assert!(!within_exposure(u(2_501), u(10_000), 2_500).unwrap());
    }

    #[test]
    fn mul_div_reports_overflow_and_zero_division() {
        assert_eq!(
            mul_div(U256::MAX, U256::MAX, u(1), Rounding::Down),
            Err(Overflow)
        );
        assert_eq!(
            mul_div(u(1), u(1), U256::ZERO, Rounding::Down),
            Err(Overflow)
        );
        // The 512-bit intermediate: MAX · MAX / MAX = MAX.
        assert_eq!(
            mul_div(U256::MAX, U256::MAX, U256::MAX, Rounding::Up),
            Ok(U256::MAX)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, rng_seed: proptest::test_runner::RngSeed::Fixed(0xfe55), ..ProptestConfig::default() })]

        /// A deposit followed by an immediate redemption never returns more than was put in.
        #[test]
        fn round_trip_never_creates_value(nav in 0u128..1u128 << 100, supply in 0u128..1u128 << 100, assets in 0u128..1u128 << 90) {
            let t = Totals { nav: u(nav), supply: u(supply) };
            let shares = t.to_shares(u(assets), Rounding::Down).unwrap();
            let after = Totals { nav: t.nav + u(assets), supply: t.supply + shares };
            let back = after.to_assets(shares, Rounding::Down).unwrap();
            prop_assert!(back <= u(assets));
        }

        /// Minting then withdrawing the same shares costs at least what it returns.
        #[test]
        fn mint_costs_at_least_its_value(nav in 1u128..1u128 << 100, supply in 0u128..1u128 << 100, shares in 1u128..1u128 << 90) {
            let t = Totals { nav: u(nav), supply: u(supply) };
            let cost = t.to_assets(u(shares), Rounding::Up).unwrap();
            let value = t.to_assets(u(shares), Rounding::Down).unwrap();
            prop_assert!(cost >= value && cost - value <= u(1));
        }

        /// A deposit priced from the pre-deposit totals never lowers the rate.
        #[test]
        fn deposit_never_lowers_the_rate(nav in 0u128..1u128 << 100, supply in 0u128..1u128 << 100, assets in 0u128..1u128 << 90) {
            let t = Totals { nav: u(nav), supply: u(supply) };
            let shares = t.to_shares(u(assets), Rounding::Down).unwrap();
            let after = Totals { nav: t.nav + u(assets), supply: t.supply + shares };
            // Compare exactly: assets/share after ≥ before ⇔ (nav'+1)(supply+V) ≥ (nav+1)(supply'+V).
            let v = virtual_shares();
            let lhs = (after.nav + u(1)).widening_mul::<256, 4, 512, 8>(t.supply + v);
            let rhs = (t.nav + u(1)).widening_mul::<256, 4, 512, 8>(after.supply + v);
            prop_assert!(lhs >= rhs);
        }

        /// The payout never exceeds either the request-time or the finalization-time value.
        #[test]
        fn payout_bounded_by_both_values(nav in 1u128..1u128 << 100, supply in 1u128..1u128 << 100, frac in 0u64..=10_000, nav2 in 0u128..1u128 << 100) {
            let t0 = Totals { nav: u(nav), supply: u(supply) };
            let shares = mul_div(u(supply), U256::from(frac), U256::from(BPS), Rounding::Down).unwrap();
            let r = RedeemRequest::new(shares, &t0).unwrap();
            let t1 = Totals { nav: u(nav2), supply: u(supply) };
            let p = r.payout(&t1).unwrap();
            prop_assert!(p <= r.assets_at_request);
            prop_assert!(p <= t1.to_assets(shares, Rounding::Down).unwrap());
        }

        /// Fees never push the rate below the high-water mark they are charged from.
        #[test]
        fn fee_never_takes_more_than_the_gain(nav in 1u128..1u128 << 100, supply in 1_000u128..1u128 << 100, hwm_frac in 0u64..=10_000, fee_bps in 0u64..=5_000) {
            let t = Totals { nav: u(nav), supply: u(supply) };
            let rate = t.rate().unwrap();
            let hwm = mul_div(rate, U256::from(hwm_frac), U256::from(BPS), Rounding::Down).unwrap();
            let (minted, new_hwm) = performance_fee_shares(&t, hwm, fee_bps).unwrap();
            let after = Totals { nav: t.nav, supply: t.supply + minted };
            prop_assert!(after.rate().unwrap() + u(1) >= hwm);
            prop_assert!(new_hwm >= hwm);
        }
    }
}
