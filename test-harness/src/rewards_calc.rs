//! The rewards calculator: the job EigenLayer's off-chain sidecar does, at devnode scale. From the
//! rewards submissions and daily stake snapshots it computes every earner's cumulative earnings per
//! token; [`crate::rewards_tree::Distribution`] then turns them into the root the rewards updater
//! posts and the proofs earners claim with.
//!
//! Rules (EigenLayer's, as its rewards docs describe them):
//! - a submission pays `amount / days` per whole day (snapshot) of `[start, start + duration)`;
//! - **AVS rewards**: each day's amount goes to the stakers delegated to operators registered to the
//!   AVS that day, in proportion to their stake weight `Σ multiplier(strategy) · shares(strategy) /
//!   1e18` over the submission's strategies; each operator keeps its split (basis points) of what its
//!   stakers earn (an operator's own delegated stake counts as a staker's);
//! - **rewards for all stakers**: the same over every staker, no operator split;
//! - **operator-directed**: the AVS names an amount per operator; the operator keeps its split and its
//!   stakers share the rest by weight.
//!
//! Every division rounds down, so the sum paid never exceeds the amount submitted (the dust stays
//! in the coordinator).

use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};

/// Seconds per snapshot day.
pub const DAY: u64 = 86_400;
const BPS: u64 = 10_000;
const WAD: u64 = 1_000_000_000_000_000_000;

/// Who a submission pays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Stakers of operators registered to `avs`.
    Avs {
        /// The AVS.
        avs: Address,
    },
    /// Every staker.
    AllStakers,
    /// Named operators (and their stakers), with an amount each.
    OperatorDirected {
        /// The AVS.
        avs: Address,
        /// Amount per operator over the whole duration.
        operators: Vec<(Address, U256)>,
    },
}

/// A rewards submission as recorded on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// Who it pays.
    pub kind: Kind,
    /// Strategies and their multipliers (WAD).
    pub strategies: Vec<(Address, U256)>,
    /// Reward token.
    pub token: Address,
    /// Total amount (for operator-directed: ignored, the per-operator amounts count).
    pub amount: U256,
    /// Start timestamp (a multiple of the calculation interval).
    pub start: u64,
    /// Duration in seconds (a multiple of the calculation interval).
    pub duration: u64,
}

/// The stake picture of one day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Staker → (operator it is delegated to, shares per strategy). Operators appear as their own
    /// stakers.
    pub stakers: BTreeMap<Address, (Address, BTreeMap<Address, U256>)>,
    /// AVS → operators registered to it that day.
    pub registrations: BTreeMap<Address, Vec<Address>>,
    /// Operator → split in basis points (absent: the default).
    pub splits: BTreeMap<Address, u16>,
    /// The default operator split in basis points.
    pub default_split_bips: u16,
}

impl Snapshot {
    fn split(&self, operator: Address) -> U256 {
        U256::from(
            *self
                .splits
                .get(&operator)
                .unwrap_or(&self.default_split_bips),
        )
    }

    fn weight(&self, shares: &BTreeMap<Address, U256>, strategies: &[(Address, U256)]) -> U256 {
        strategies.iter().fold(U256::ZERO, |acc, (s, m)| {
            let sh = shares.get(s).copied().unwrap_or_default();
            acc + sh.saturating_mul(*m) / U256::from(WAD)
        })
    }
}

/// Cumulative earnings: earner → token → amount.
pub type Earnings = BTreeMap<Address, BTreeMap<Address, U256>>;

fn credit(out: &mut Earnings, earner: Address, token: Address, amount: U256) {
    if !amount.is_zero() {
        *out.entry(earner).or_default().entry(token).or_default() += amount;
    }
}

/// Pays `pot` to `stakers` (address, operator, weight) by weight, each operator keeping its split.
fn pay_by_weight(
    out: &mut Earnings,
    snap: &Snapshot,
    token: Address,
    pot: U256,
    stakers: &[(Address, Address, U256)],
    operator_split: bool,
) {
    let total: U256 = stakers
        .iter()
        .map(|(_, _, w)| *w)
        .fold(U256::ZERO, |a, b| a + b);
    if total.is_zero() || pot.is_zero() {
        return;
    }
    for (staker, operator, weight) in stakers {
        let share = pot.saturating_mul(*weight) / total;
        if operator_split {
            let operator_cut = share * snap.split(*operator) / U256::from(BPS);
            credit(out, *operator, token, operator_cut);
            credit(out, *staker, token, share - operator_cut);
        } else {
            credit(out, *staker, token, share);
        }
    }
}

/// Computes cumulative earnings from `submissions`, using `snapshot(day_start)` for each day, for
/// all days that ended at or before `until` (the root's calculation end timestamp).
pub fn calculate(
    submissions: &[Submission],
    until: u64,
    snapshot: impl Fn(u64) -> Snapshot,
) -> Earnings {
    let mut out = Earnings::new();
    for sub in submissions {
        let days = sub.duration / DAY;
        if days == 0 {
            continue;
        }
        for d in 0..days {
            let day_start = sub.start + d * DAY;
            if day_start + DAY > until {
                break;
            }
            let snap = snapshot(day_start);
            let weighted = |filter: &dyn Fn(Address) -> bool| -> Vec<(Address, Address, U256)> {
                snap.stakers
                    .iter()
                    .filter(|(_, (op, _))| filter(*op))
                    .map(|(s, (op, shares))| (*s, *op, snap.weight(shares, &sub.strategies)))
                    .filter(|(_, _, w)| !w.is_zero())
                    .collect()
            };
            match &sub.kind {
                Kind::Avs { avs } => {
                    let registered = snap.registrations.get(avs).cloned().unwrap_or_default();
                    let stakers = weighted(&|op| registered.contains(&op));
                    pay_by_weight(
                        &mut out,
                        &snap,
                        sub.token,
                        sub.amount / U256::from(days),
                        &stakers,
                        true,
                    );
                }
                Kind::AllStakers => {
                    let stakers = weighted(&|_| true);
                    pay_by_weight(
                        &mut out,
                        &snap,
                        sub.token,
                        sub.amount / U256::from(days),
                        &stakers,
                        false,
                    );
                }
                Kind::OperatorDirected { operators, .. } => {
                    for (operator, amount) in operators {
                        let pot = *amount / U256::from(days);
                        let operator_cut = pot * snap.split(*operator) / U256::from(BPS);
                        credit(&mut out, *operator, sub.token, operator_cut);
                        let stakers = weighted(&|op| op == *operator);
                        pay_by_weight(
                            &mut out,
                            &snap,
                            sub.token,
                            pot - operator_cut,
                            &stakers,
                            false,
                        );
                    }
                }
            }
        }
    }
    out
}

/// Total paid per token (for the "claimed never exceeds submitted" check).
pub fn totals_by_token(earnings: &Earnings) -> BTreeMap<Address, U256> {
    let mut t = BTreeMap::new();
    for tokens in earnings.values() {
        for (token, amount) in tokens {
            *t.entry(*token).or_insert(U256::ZERO) += *amount;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn a(n: u8) -> Address {
        Address::repeat_byte(n)
    }
    fn u(x: u128) -> U256 {
        U256::from(x)
    }
    const STRAT: u8 = 0x51;
    const TOKEN: u8 = 0x70;

    fn snapshot_two_operators() -> Snapshot {
        let mut s = Snapshot {
            default_split_bips: 1_000,
            ..Default::default()
        };
        let shares = |x: u128| BTreeMap::from([(a(STRAT), u(x))]);
        s.stakers.insert(a(1), (a(10), shares(300)));
        s.stakers.insert(a(2), (a(10), shares(100)));
        s.stakers.insert(a(3), (a(20), shares(400)));
        s.registrations.insert(a(0xa1), vec![a(10)]);
        s
    }

    fn avs_submission(amount: u128, days: u64) -> Submission {
        Submission {
            kind: Kind::Avs { avs: a(0xa1) },
            strategies: vec![(a(STRAT), u(WAD as u128))],
            token: a(TOKEN),
            amount: u(amount),
            start: 0,
            duration: days * DAY,
        }
    }

    #[test]
    fn avs_rewards_go_to_registered_operators_stakers_minus_split() {
        let e = calculate(&[avs_submission(10_000, 1)], DAY, |_| {
            snapshot_two_operators()
        });
        // Only operator 10's stakers (300 and 100 shares) earn; operator 20 is not registered.
        assert_eq!(e[&a(1)][&a(TOKEN)], u(7_500 * 9 / 10));
        assert_eq!(e[&a(2)][&a(TOKEN)], u(2_500 * 9 / 10));
        assert_eq!(e[&a(10)][&a(TOKEN)], u(1_000));
        assert!(!e.contains_key(&a(3)));
    }

    #[test]
    fn days_after_the_cutoff_are_not_paid_yet() {
        let sub = avs_submission(10_000, 2);
        let one = calculate(std::slice::from_ref(&sub), DAY, |_| {
            snapshot_two_operators()
        });
        let two = calculate(&[sub], 2 * DAY, |_| snapshot_two_operators());
        assert_eq!(
            totals_by_token(&one)[&a(TOKEN)] * u(2),
            totals_by_token(&two)[&a(TOKEN)]
        );
    }

    #[test]
    fn rewards_for_all_ignore_registration_and_split() {
        let mut sub = avs_submission(8_000, 1);
        sub.kind = Kind::AllStakers;
        let e = calculate(&[sub], DAY, |_| snapshot_two_operators());
        assert_eq!(e[&a(1)][&a(TOKEN)], u(3_000));
        assert_eq!(e[&a(3)][&a(TOKEN)], u(4_000));
        assert!(!e.contains_key(&a(10)));
    }

    #[test]
    fn operator_directed_pays_the_named_operator_and_its_stakers() {
        let mut sub = avs_submission(0, 1);
        sub.kind = Kind::OperatorDirected {
            avs: a(0xa1),
            operators: vec![(a(20), u(5_000))],
        };
        let e = calculate(&[sub], DAY, |_| snapshot_two_operators());
        assert_eq!(e[&a(20)][&a(TOKEN)], u(500));
        assert_eq!(e[&a(3)][&a(TOKEN)], u(4_500));
    }

    #[test]
    fn custom_split_overrides_the_default() {
        let mut snap = snapshot_two_operators();
        snap.splits.insert(a(10), 0);
        let e = calculate(&[avs_submission(10_000, 1)], DAY, move |_| snap.clone());
        assert!(!e.contains_key(&a(10)));
        assert_eq!(e[&a(1)][&a(TOKEN)], u(7_500));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]

        /// Whatever the stake picture, the total paid never exceeds the total submitted.
        #[test]
        fn never_pays_more_than_submitted(
            amount in 0u128..1u128 << 100,
            days in 1u64..30,
            shares in proptest::collection::vec(0u128..1u128 << 90, 1..8),
            split in 0u16..=10_000,
        ) {
            let mut snap = Snapshot { default_split_bips: split, ..Default::default() };
            for (i, s) in shares.iter().enumerate() {
                snap.stakers.insert(a(i as u8 + 1), (a(10 + (i % 2) as u8), BTreeMap::from([(a(STRAT), u(*s))])));
            }
            snap.registrations.insert(a(0xa1), vec![a(10), a(11)]);
            let e = calculate(&[avs_submission(amount, days)], days * DAY, |_| snap.clone());
            let paid = totals_by_token(&e).get(&a(TOKEN)).copied().unwrap_or_default();
            prop_assert!(paid <= u(amount));
        }
    }
}
