//! The reference model: a plain-Rust statement of the protocol's share accounting, written from
//! EigenLayer's accounting docs and independent of the contract code. Property tests run the same
//! actions on the devnode and here and compare after every step.
//!
//! What it models, per staker `u`, strategy `s` and operator `o` (all factors WAD = 1e18):
//! - deposit shares `d[u][s]`, deposit scaling factor `k[u][s]` (default WAD), delegation `u → o`;
//! - operator shares `op[o][s]` and max magnitude `m[o][s]` (starts at WAD, only falls);
//! - allocations `alloc[o][set][s]` with the operator's encumbered magnitude;
//! - the beacon-chain slashing factor `l[u]` for the beacon ETH strategy;
//! - queued withdrawals with their scaled shares, start block and operator, slashed lazily through
//!   `m` at `start + delay` — and the operator's cumulative scaled-shares history for slashing the
//!   part still in its delay;
//! - burned/redistributable shares per strategy.
//!
//! Withdrawable shares are `d · k · sf` with `sf = m` (or `m · l` for beacon ETH), rounded down at each
//! multiplication; every formula's rounding is the one EigenLayer's docs give.

use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};

/// 1.0 in WAD.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// The beacon-chain ETH pseudo-strategy.
pub const BEACON_ETH: Address =
    alloy_primitives::address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");

fn mul_div(a: U256, b: U256, d: U256, up: bool) -> U256 {
    let p = a.widening_mul::<256, 4, 512, 8>(b);
    let d = alloy_primitives::ruint::Uint::<512, 8>::from(d);
    let (q, r) = p.div_rem(d);
    let q = if up && !r.is_zero() {
        q + alloy_primitives::ruint::Uint::<512, 8>::from(1u8)
    } else {
        q
    };
    U256::from_limbs_slice(&q.as_limbs()[..4])
}

/// `floor(x · y / WAD)`.
pub fn mul_wad(x: U256, y: U256) -> U256 {
    mul_div(x, y, WAD, false)
}

/// `floor(x · WAD / y)`.
pub fn div_wad(x: U256, y: U256) -> U256 {
    mul_div(x, WAD, y, false)
}

/// `ceil(x · y / WAD)`.
pub fn mul_wad_up(x: U256, y: U256) -> U256 {
    mul_div(x, y, WAD, true)
}

/// Why the model refuses an action (the contract must refuse it too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Staker already delegated.
    AlreadyDelegated,
    /// Not delegated.
    NotDelegated,
    /// Operator not registered.
    NotAnOperator,
    /// Operators cannot undelegate.
    OperatorsCannotUndelegate,
    /// More deposit shares than held.
    WithdrawalExceedsMax,
    /// Zero shares.
    ZeroShares,
    /// The withdrawal is still in its delay.
    WithdrawalDelayNotElapsed,
    /// Unknown or completed withdrawal.
    WithdrawalNotQueued,
    /// Slashing factor is zero for this operator/strategy.
    FullySlashed,
    /// Allocation exceeds allocatable magnitude.
    InsufficientMagnitude,
}

/// A queued withdrawal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedWithdrawal {
    /// Whose.
    pub staker: Address,
    /// Operator at queue time (zero when undelegated).
    pub operator: Address,
    /// Strategy.
    pub strategy: Address,
    /// `d · k` at queue time.
    pub scaled_shares: U256,
    /// Block it was queued.
    pub start_block: u64,
}

/// The model's state.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// `MIN_WITHDRAWAL_DELAY_BLOCKS`.
    pub withdrawal_delay: u64,
    /// Current block.
    pub block: u64,
    /// Deposit shares.
    pub deposit_shares: BTreeMap<(Address, Address), U256>,
    /// Deposit scaling factors (absent = WAD).
    pub dsf: BTreeMap<(Address, Address), U256>,
    /// Delegations.
    pub delegated_to: BTreeMap<Address, Address>,
    /// Registered operators.
    pub operators: Vec<Address>,
    /// Operator shares.
    pub operator_shares: BTreeMap<(Address, Address), U256>,
    /// Max magnitude history per (operator, strategy): (block, value), ascending.
    pub max_magnitude: BTreeMap<(Address, Address), Vec<(u64, U256)>>,
    /// Beacon-chain slashing factor per staker (absent = WAD).
    pub beacon_factor: BTreeMap<Address, U256>,
    /// Queued withdrawals by id.
    pub queued: BTreeMap<u64, QueuedWithdrawal>,
    next_withdrawal: u64,
    /// Cumulative scaled shares queued per (operator, strategy): (block, cumulative), ascending.
    pub cumulative_scaled: BTreeMap<(Address, Address), Vec<(u64, U256)>>,
    /// Burned or redistributable shares per strategy.
    pub burned: BTreeMap<Address, U256>,
    /// Total deposit shares per strategy held by stakers (strategy-level total shares less burned
    /// less queued).
    pub total_deposit_shares: BTreeMap<Address, U256>,
}

impl Model {
    /// An empty protocol with `withdrawal_delay` blocks.
    pub fn new(withdrawal_delay: u64) -> Self {
        Self {
            withdrawal_delay,
            block: 1,
            ..Default::default()
        }
    }

    /// Advances `n` blocks.
    pub fn mine(&mut self, n: u64) {
        self.block += n;
    }

    /// Max magnitude of `(operator, strategy)` at `block` (WAD before any slash).
    pub fn max_magnitude_at(&self, operator: Address, strategy: Address, block: u64) -> U256 {
        if operator.is_zero() {
            return WAD;
        }
        self.max_magnitude
            .get(&(operator, strategy))
            .and_then(|h| h.iter().rev().find(|(b, _)| *b <= block).map(|(_, v)| *v))
            .unwrap_or(WAD)
    }

    /// Current max magnitude.
    pub fn max_magnitude(&self, operator: Address, strategy: Address) -> U256 {
        self.max_magnitude_at(operator, strategy, self.block)
    }

    fn beacon_factor_of(&self, staker: Address) -> U256 {
        self.beacon_factor.get(&staker).copied().unwrap_or(WAD)
    }

    /// Slashing factor of `staker` for `strategy` under its current operator.
    pub fn slashing_factor(&self, staker: Address, strategy: Address) -> U256 {
        let operator = self.delegated_to.get(&staker).copied().unwrap_or_default();
        let m = self.max_magnitude(operator, strategy);
        if strategy == BEACON_ETH {
            mul_wad(m, self.beacon_factor_of(staker))
        } else {
            m
        }
    }

    fn dsf_of(&self, staker: Address, strategy: Address) -> U256 {
        self.dsf.get(&(staker, strategy)).copied().unwrap_or(WAD)
    }

    /// Deposit shares.
    pub fn deposited(&self, staker: Address, strategy: Address) -> U256 {
        self.deposit_shares
            .get(&(staker, strategy))
            .copied()
            .unwrap_or_default()
    }

    /// Withdrawable shares: `d · k · sf`, each product rounded down.
    pub fn withdrawable(&self, staker: Address, strategy: Address) -> U256 {
        let d = self.deposited(staker, strategy);
        mul_wad(
            mul_wad(d, self.dsf_of(staker, strategy)),
            self.slashing_factor(staker, strategy),
        )
    }

    /// Operator shares.
    pub fn operator_shares_of(&self, operator: Address, strategy: Address) -> U256 {
        self.operator_shares
            .get(&(operator, strategy))
            .copied()
            .unwrap_or_default()
    }

    fn update_dsf(
        &mut self,
        staker: Address,
        strategy: Address,
        prev: U256,
        added: U256,
        sf: U256,
    ) {
        let k = self.dsf_of(staker, strategy);
        let new = if prev.is_zero() {
            div_wad(k, sf)
        } else {
            let current = mul_wad(mul_wad(prev, k), sf);
            div_wad(div_wad(current + added, prev + added), sf)
        };
        self.dsf.insert((staker, strategy), new);
    }

    fn increase_delegation(
        &mut self,
        staker: Address,
        strategy: Address,
        prev: U256,
        added: U256,
    ) -> Result<(), Refusal> {
        let sf = self.slashing_factor(staker, strategy);
        if sf.is_zero() {
            return Err(Refusal::FullySlashed);
        }
        if added.is_zero() {
            return Ok(());
        }
        self.update_dsf(staker, strategy, prev, added, sf);
        if let Some(op) = self.delegated_to.get(&staker).copied() {
            *self.operator_shares.entry((op, strategy)).or_default() += added;
        }
        Ok(())
    }

    /// A deposit that minted `shares` strategy shares to `staker`.
    pub fn deposit(
        &mut self,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<(), Refusal> {
        if shares.is_zero() {
            return Err(Refusal::ZeroShares);
        }
        let prev = self.deposited(staker, strategy);
        self.increase_delegation(staker, strategy, prev, shares)?;
        *self.deposit_shares.entry((staker, strategy)).or_default() += shares;
        *self.total_deposit_shares.entry(strategy).or_default() += shares;
        Ok(())
    }

    /// `registerAsOperator`: self-delegation.
    pub fn register_operator(
        &mut self,
        operator: Address,
        strategies: &[Address],
    ) -> Result<(), Refusal> {
        if self.delegated_to.contains_key(&operator) {
            return Err(Refusal::AlreadyDelegated);
        }
        self.operators.push(operator);
        self.delegate(operator, operator, strategies)
    }

    /// `queueWithdrawals` of `deposit_shares` of one strategy; returns the withdrawal id.
    pub fn queue_withdrawal(
        &mut self,
        staker: Address,
        strategy: Address,
        deposit_shares: U256,
    ) -> Result<u64, Refusal> {
        if deposit_shares.is_zero() {
            return Err(Refusal::ZeroShares);
        }
        let d = self.deposited(staker, strategy);
        if deposit_shares > d {
            return Err(Refusal::WithdrawalExceedsMax);
        }
        let k = self.dsf_of(staker, strategy);
        let sf = self.slashing_factor(staker, strategy);
        let withdrawable = mul_wad(mul_wad(deposit_shares, k), sf);
        let scaled = mul_wad(deposit_shares, k);
        let operator = self.delegated_to.get(&staker).copied().unwrap_or_default();
        if !operator.is_zero() {
            let hist = self
                .cumulative_scaled
                .entry((operator, strategy))
                .or_default();
            let last = hist.last().map(|(_, v)| *v).unwrap_or_default();
            hist.push((self.block, last + scaled));
            let op = self
                .operator_shares
                .entry((operator, strategy))
                .or_default();
            *op = op.saturating_sub(withdrawable);
        }
        let left = d - deposit_shares;
        self.deposit_shares.insert((staker, strategy), left);
        if left.is_zero() {
            self.dsf.remove(&(staker, strategy));
        }
        *self.total_deposit_shares.entry(strategy).or_default() -= deposit_shares;
        let id = self.next_withdrawal;
        self.next_withdrawal += 1;
        self.queued.insert(
            id,
            QueuedWithdrawal {
                staker,
                operator,
                strategy,
                scaled_shares: scaled,
                start_block: self.block,
            },
        );
        Ok(id)
    }

    /// `undelegate`: queues all deposit shares of `strategies`; returns the withdrawal ids.
    pub fn undelegate(
        &mut self,
        staker: Address,
        strategies: &[Address],
    ) -> Result<Vec<u64>, Refusal> {
        if !self.delegated_to.contains_key(&staker) {
            return Err(Refusal::NotDelegated);
        }
        if self.operators.contains(&staker) {
            return Err(Refusal::OperatorsCannotUndelegate);
        }
        let mut ids = Vec::new();
        for s in strategies {
            let d = self.deposited(staker, *s);
            if !d.is_zero() {
                ids.push(self.queue_withdrawal(staker, *s, d)?);
            }
        }
        self.delegated_to.remove(&staker);
        Ok(ids)
    }

    /// Shares a queued withdrawal yields when completed now (or would at the end of its delay).
    pub fn withdrawal_shares(&self, id: u64) -> Option<U256> {
        let w = self.queued.get(&id)?;
        let slashable_until = w.start_block + self.withdrawal_delay;
        let at = slashable_until.min(self.block);
        let mut sf = self.max_magnitude_at(w.operator, w.strategy, at);
        if w.strategy == BEACON_ETH {
            sf = mul_wad(sf, self.beacon_factor_of(w.staker));
        }
        Some(mul_wad(w.scaled_shares, sf))
    }

    /// `completeQueuedWithdrawal`: returns the shares paid out (as tokens, or re-credited as shares).
    pub fn complete_withdrawal(&mut self, id: u64, as_shares: bool) -> Result<U256, Refusal> {
        let w = self
            .queued
            .get(&id)
            .cloned()
            .ok_or(Refusal::WithdrawalNotQueued)?;
        if self.block <= w.start_block + self.withdrawal_delay {
            return Err(Refusal::WithdrawalDelayNotElapsed);
        }
        let shares = self.withdrawal_shares(id).unwrap_or_default();
        self.queued.remove(&id);
        if as_shares && !shares.is_zero() {
            // Re-credit as deposit shares at the staker's current operator.
            let prev = self.deposited(w.staker, w.strategy);
            self.increase_delegation(w.staker, w.strategy, prev, shares)?;
            *self
                .deposit_shares
                .entry((w.staker, w.strategy))
                .or_default() += shares;
            *self.total_deposit_shares.entry(w.strategy).or_default() += shares;
        }
        Ok(shares)
    }

    /// An AVS slash that lowers `operator`'s max magnitude for `strategy` from `prev_max` to
    /// `new_max` (the AllocationManager's part is modelled by the caller); applies the
    /// DelegationManager's effects and returns the shares burned.
    pub fn slash_operator_shares(
        &mut self,
        operator: Address,
        strategy: Address,
        new_max: U256,
    ) -> U256 {
        let prev_max = self.max_magnitude(operator, strategy);
        self.max_magnitude
            .entry((operator, strategy))
            .or_default()
            .push((self.block, new_max));
        let slashed_amount = |shares: U256| -> U256 {
            if prev_max.is_zero() {
                return U256::ZERO;
            }
            shares - mul_div(shares, new_max, prev_max, true)
        };
        let op = self.operator_shares_of(operator, strategy);
        let op_slashed = slashed_amount(op);
        self.operator_shares
            .insert((operator, strategy), op - op_slashed);
        // Queued shares still inside the delay: cumulative now minus cumulative at the window start.
        let window_start = self.block.saturating_sub(self.withdrawal_delay + 1);
        let hist = self
            .cumulative_scaled
            .get(&(operator, strategy))
            .cloned()
            .unwrap_or_default();
        let latest = hist.last().map(|(_, v)| *v).unwrap_or_default();
        let before = hist
            .iter()
            .rev()
            .find(|(b, _)| *b <= window_start)
            .map(|(_, v)| *v)
            .unwrap_or_default();
        let in_window = latest - before;
        let queue_slashed = slashed_amount(mul_wad(in_window, prev_max));
        let total = op_slashed + queue_slashed;
        *self.burned.entry(strategy).or_default() += total;
        total
    }

    /// A beacon-chain balance drop from `prev_gwei` to `new_gwei` for `staker`'s pod: lowers the
    /// beacon factor `l' = floor(l · new / prev)` and the operator's shares accordingly.
    pub fn beacon_balance_drop(&mut self, staker: Address, prev_gwei: u64, new_gwei: u64) {
        if prev_gwei == 0 || new_gwei >= prev_gwei {
            return;
        }
        let l = self.beacon_factor_of(staker);
        let l_new = mul_div(l, U256::from(new_gwei), U256::from(prev_gwei), false);
        self.beacon_factor.insert(staker, l_new);
        if let Some(op) = self.delegated_to.get(&staker).copied() {
            let d = self.deposited(staker, BEACON_ETH);
            let m = self.max_magnitude(op, BEACON_ETH);
            let dec = mul_wad(
                mul_wad(d, self.dsf_of(staker, BEACON_ETH)),
                mul_wad(m, l - l_new),
            );
            let e = self.operator_shares.entry((op, BEACON_ETH)).or_default();
            *e = e.saturating_sub(dec);
        }
    }

    /// `delegateTo` as EigenLayer defines it for every strategy, beacon ETH included: the staker's
    /// withdrawable shares (`d · k`, times the beacon-chain factor `l` for beacon ETH) move to the
    /// operator, and the new deposit scaling factor `k' = k / m` forgives the new operator's past
    /// slashing only — the beacon-chain factor stays in the withdrawable formula, so delegating
    /// never erases it (`d · k' · m · l = d · k · l`; the contracts' defect D1 of `audits/SPEC.md`
    /// §14, fixed, divided by `m · l`).
    pub fn delegate(
        &mut self,
        staker: Address,
        operator: Address,
        strategies: &[Address],
    ) -> Result<(), Refusal> {
        if staker != operator && self.delegated_to.contains_key(&staker) {
            return Err(Refusal::AlreadyDelegated);
        }
        if !self.operators.contains(&operator) {
            return Err(Refusal::NotAnOperator);
        }
        for s in strategies {
            if !self.deposited(staker, *s).is_zero() && self.max_magnitude(operator, *s).is_zero() {
                return Err(Refusal::FullySlashed);
            }
        }
        self.delegated_to.insert(staker, operator);
        for s in strategies {
            let d = self.deposited(staker, *s);
            if d.is_zero() {
                continue;
            }
            let k = self.dsf_of(staker, *s);
            let l = if *s == BEACON_ETH {
                self.beacon_factor_of(staker)
            } else {
                WAD
            };
            let added = mul_wad(mul_wad(d, k), l);
            let m = self.max_magnitude(operator, *s);
            self.dsf.insert((staker, *s), div_wad(k, m));
            *self.operator_shares.entry((operator, *s)).or_default() += added;
        }
        Ok(())
    }

    /// The beacon-chain slashing factor of `staker` (WAD until its first beacon-chain loss).
    pub fn beacon_factor(&self, staker: Address) -> U256 {
        self.beacon_factor_of(staker)
    }

    /// The deposit scaling factor of `(staker, strategy)` (WAD when unset).
    pub fn deposit_scaling_factor(&self, staker: Address, strategy: Address) -> U256 {
        self.dsf_of(staker, strategy)
    }

    /// Σ withdrawable shares of the stakers delegated to `operator` for `strategy`.
    pub fn sum_delegated_withdrawable(&self, operator: Address, strategy: Address) -> U256 {
        self.delegated_to
            .iter()
            .filter(|(_, o)| **o == operator)
            .map(|(u, _)| self.withdrawable(*u, strategy))
            .fold(U256::ZERO, |a, b| a + b)
    }
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
    const S: u8 = 0x51;

    fn setup() -> Model {
        let mut m = Model::new(10);
        m.register_operator(a(0x0f), &[a(S)]).unwrap();
        m
    }

    #[test]
    fn deposit_then_delegate_moves_shares_to_the_operator() {
        let mut m = setup();
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        assert_eq!(m.operator_shares_of(a(0x0f), a(S)), U256::ZERO);
        m.delegate(a(1), a(0x0f), &[a(S)]).unwrap();
        assert_eq!(m.operator_shares_of(a(0x0f), a(S)), u(1_000));
        assert_eq!(m.withdrawable(a(1), a(S)), u(1_000));
        assert_eq!(
            m.delegate(a(1), a(0x0f), &[a(S)]),
            Err(Refusal::AlreadyDelegated)
        );
    }

    #[test]
    fn a_slash_cuts_withdrawable_by_its_fraction() {
        let mut m = setup();
        m.deposit(a(1), a(S), u(1_000_000)).unwrap();
        m.delegate(a(1), a(0x0f), &[a(S)]).unwrap();
        let burned = m.slash_operator_shares(a(0x0f), a(S), WAD / u(4) * u(3));
        assert_eq!(m.withdrawable(a(1), a(S)), u(750_000));
        assert_eq!(burned, u(250_000));
        assert_eq!(m.operator_shares_of(a(0x0f), a(S)), u(750_000));
    }

    #[test]
    fn queued_withdrawals_stay_slashable_through_their_delay() {
        let mut m = setup();
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        m.delegate(a(1), a(0x0f), &[a(S)]).unwrap();
        let id = m.queue_withdrawal(a(1), a(S), u(1_000)).unwrap();
        m.mine(5);
        let burned = m.slash_operator_shares(a(0x0f), a(S), WAD / u(2));
        assert_eq!(burned, u(500), "half of the queued 1000 is burned");
        m.mine(5);
        assert_eq!(
            m.complete_withdrawal(id, false),
            Err(Refusal::WithdrawalDelayNotElapsed)
        );
        m.mine(1);
        assert_eq!(m.complete_withdrawal(id, false).unwrap(), u(500));
        assert_eq!(
            m.complete_withdrawal(id, false),
            Err(Refusal::WithdrawalNotQueued)
        );
    }

    #[test]
    fn slashes_after_the_delay_do_not_reach_the_withdrawal() {
        let mut m = setup();
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        m.delegate(a(1), a(0x0f), &[a(S)]).unwrap();
        let id = m.queue_withdrawal(a(1), a(S), u(1_000)).unwrap();
        m.mine(11);
        let burned = m.slash_operator_shares(a(0x0f), a(S), WAD / u(2));
        assert_eq!(burned, U256::ZERO);
        assert_eq!(m.complete_withdrawal(id, false).unwrap(), u(1_000));
    }

    #[test]
    fn deposit_after_a_slash_is_not_slashed_retroactively() {
        let mut m = setup();
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        m.delegate(a(1), a(0x0f), &[a(S)]).unwrap();
        m.slash_operator_shares(a(0x0f), a(S), WAD / u(2));
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        assert_eq!(m.withdrawable(a(1), a(S)), u(1_500));
    }

    #[test]
    fn fully_slashed_operator_refuses_new_stake() {
        let mut m = setup();
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        m.delegate(a(1), a(0x0f), &[a(S)]).unwrap();
        m.slash_operator_shares(a(0x0f), a(S), U256::ZERO);
        assert_eq!(m.deposit(a(1), a(S), u(1)), Err(Refusal::FullySlashed));
        m.deposit(a(2), a(S), u(1)).unwrap();
        assert_eq!(
            m.delegate(a(2), a(0x0f), &[a(S)]),
            Err(Refusal::FullySlashed)
        );
    }

    #[test]
    fn beacon_factor_applies_to_native_eth_only() {
        let mut m = setup();
        m.deposit(a(1), BEACON_ETH, u(32_000_000_000_000_000_000))
            .unwrap();
        m.deposit(a(1), a(S), u(1_000)).unwrap();
        m.delegate(a(1), a(0x0f), &[a(S), BEACON_ETH]).unwrap();
        m.beacon_balance_drop(a(1), 32_000_000_000, 16_000_000_000);
        assert_eq!(
            m.withdrawable(a(1), BEACON_ETH),
            u(16_000_000_000_000_000_000)
        );
        assert_eq!(m.withdrawable(a(1), a(S)), u(1_000));
        assert_eq!(
            m.operator_shares_of(a(0x0f), BEACON_ETH),
            u(16_000_000_000_000_000_000)
        );
    }

    #[test]
    fn delegating_after_a_beacon_chain_loss_keeps_it() {
        let mut m = setup();
        let op = a(0x0f);
        m.slash_operator_shares(op, BEACON_ETH, WAD / u(2));
        m.deposit(a(1), BEACON_ETH, u(32_000_000_000_000_000_000))
            .unwrap();
        m.beacon_balance_drop(a(1), 32_000_000_000, 24_000_000_000);
        let before = m.withdrawable(a(1), BEACON_ETH);
        assert_eq!(before, u(24_000_000_000_000_000_000));
        m.delegate(a(1), op, &[BEACON_ETH]).unwrap();
        // k' = k / m: the operator's past slash is forgiven, the beacon-chain loss is not.
        assert_eq!(m.withdrawable(a(1), BEACON_ETH), before);
        assert_eq!(m.operator_shares_of(op, BEACON_ETH), before);
        assert_eq!(m.deposit_scaling_factor(a(1), BEACON_ETH), WAD * u(2));
        assert_eq!(m.beacon_factor(a(1)), WAD / u(4) * u(3));
    }

    #[derive(Clone, Debug)]
    enum Step {
        Deposit(u8, u128),
        Delegate(u8),
        Queue(u8, u16),
        Complete(usize, bool),
        Slash(u16),
        Mine(u64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (1u8..4, 1u128..1u128 << 80).prop_map(|(s, x)| Step::Deposit(s, x)),
            (1u8..4).prop_map(Step::Delegate),
            (1u8..4, 1u16..=10_000).prop_map(|(s, f)| Step::Queue(s, f)),
            (0usize..8, any::<bool>()).prop_map(|(i, b)| Step::Complete(i, b)),
            (0u16..=10_000).prop_map(Step::Slash),
            (1u64..15).prop_map(Step::Mine),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, rng_seed: proptest::test_runner::RngSeed::Fixed(42), ..ProptestConfig::default() })]

        /// The invariants EigenLayer documents hold in the model for any sequence: operator shares
        /// cover the sum of its stakers' withdrawable shares, withdrawable ≤ deposited, and max
        /// magnitude never rises.
        #[test]
        fn model_invariants_hold(steps in proptest::collection::vec(step(), 1..40)) {
            let mut m = setup();
            let op = a(0x0f);
            let mut ids = Vec::new();
            let mut last_max = WAD;
            for s in steps {
                match s {
                    Step::Deposit(u_, x) => { let _ = m.deposit(a(u_), a(S), u(x)); }
                    Step::Delegate(u_) => { let _ = m.delegate(a(u_), op, &[a(S)]); }
                    Step::Queue(u_, f) => {
                        let d = m.deposited(a(u_), a(S));
                        let x = d * U256::from(f) / U256::from(10_000u16);
                        if let Ok(id) = m.queue_withdrawal(a(u_), a(S), x) { ids.push(id); }
                    }
                    Step::Complete(i, as_shares) => {
                        if let Some(id) = ids.get(i).copied() { let _ = m.complete_withdrawal(id, as_shares); }
                    }
                    Step::Slash(f) => {
                        let cur = m.max_magnitude(op, a(S));
                        let new = cur - mul_wad_up(cur, WAD * U256::from(f) / U256::from(10_000u16));
                        m.slash_operator_shares(op, a(S), new);
                    }
                    Step::Mine(n) => m.mine(n),
                }
                let now_max = m.max_magnitude(op, a(S));
                prop_assert!(now_max <= last_max);
                last_max = now_max;
                prop_assert!(m.operator_shares_of(op, a(S)) >= m.sum_delegated_withdrawable(op, a(S)));
                for user in 1u8..4 {
                    prop_assert!(m.withdrawable(a(user), a(S)) <= m.deposited(a(user), a(S)) || m.dsf_of(a(user), a(S)) > WAD);
                }
            }
        }
    }
}
