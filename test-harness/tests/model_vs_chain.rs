//! Random sequences of protocol actions run on the compiled suite (the devnode) and on the
//! reference model (`ferrostake_harness::model`, plus a small AllocationManager and StrategyBase
//! model here, both written from EigenLayer's docs), compared after every step; invariants are
//! checked on chain state after every step. On failure proptest shrinks to a minimal sequence.
//!
//! Actions: deposits (including zero and dust amounts), delegations, undelegations, queued
//! withdrawals (including more than held), completions as tokens or shares (including too early,
//! twice, and by someone else), allocations and deallocations, slashes by AVSs, donations to a
//! strategy (moving its exchange rate), clearing burned shares, and mining blocks. Every action the
//! model refuses must revert on chain with the matching custom error, and vice versa.
//!
//! Checked after every step (model vs chain): deposit shares, withdrawable shares, deposit scaling
//! factors, delegations, operator shares, max/encumbered magnitudes, allocations, queued
//! withdrawals' shares, token balances of every actor, of the strategies and of the burn address,
//! strategy total shares, burnable shares per slash. Invariants on chain state (audits/INVARIANTS.md
//! rows 6, 7, 8, 8b, 19, 21): see [`World::invariants`].
//!
//! Cases: 16 sequences of 8–47 steps with a fixed seed by default (about a minute on two busy
//! cores, deployment included); `PROPTEST_CASES=N` runs more, `FERROSTAKE_SEED=S` picks another
//! seed, `FERROSTAKE_TRACE=1` prints every step's outcome beside the model's verdict;
//! `scripts/fuzz-long` runs 1,000 cases in release.

use std::collections::BTreeMap;

use alloy::primitives::{Address, B256, U256};
use ferrostake_deploy::abi::{
    AllocateParams, IAllocationManager, IDelegationManager, IStrategy, IStrategyManager,
    OperatorSet, QueuedWithdrawalParams, SignatureWithExpiry, SlashingParams, Withdrawal, IERC20,
};
use ferrostake_deploy::abi::{IRewardsCoordinator, RewardsSubmission, StrategyAndMultiplier};
use ferrostake_harness::model::{Model, Refusal};
use ferrostake_harness::rewards_tree::Distribution;
use ferrostake_harness::suite::{ITestToken, Outcome, Suite, STAKER_TOKENS, WAD};
use proptest::prelude::*;

mod common;
use common::*;

/// EigenLayer's `DEFAULT_BURN_ADDRESS`.
const BURN: Address = alloy::primitives::address!("00000000000000000000000000000000000E16E4");
/// StrategyBase's virtual shares and virtual balance.
const OFFSET: u64 = 1_000;

fn wad() -> U256 {
    U256::from(WAD)
}

/// StrategyBase's share accounting (EigenLayer `StrategyBase.md`): virtual offsets of 1e3 shares
/// and 1e3 tokens, rounding down both ways.
#[derive(Clone, Debug, Default)]
struct StrategyModel {
    total_shares: U256,
    balance: U256,
}

impl StrategyModel {
    fn shares_for(&self, amount: U256) -> U256 {
        amount * (self.total_shares + U256::from(OFFSET)) / (self.balance + U256::from(OFFSET))
    }
    fn deposit(&mut self, amount: U256, shares: U256) {
        self.total_shares += shares;
        self.balance += amount;
    }
    fn withdraw(&mut self, shares: U256) -> U256 {
        let out =
            (self.balance + U256::from(OFFSET)) * shares / (self.total_shares + U256::from(OFFSET));
        self.total_shares -= shares;
        self.balance -= out;
        out
    }
}

/// One operator's allocation to one operator set for one strategy: the stored current magnitude
/// and a pending deallocation of `dealloc` taking effect at `effect`.
#[derive(Clone, Copy, Debug, Default)]
struct SetAllocation {
    current: u64,
    dealloc: u64,
    effect: u64,
}

impl SetAllocation {
    /// `_getUpdatedAllocation`: a matured deallocation is applied.
    fn at(self, block: u64) -> Self {
        if self.dealloc > 0 && block >= self.effect {
            SetAllocation {
                current: self.current - self.dealloc,
                dealloc: 0,
                effect: 0,
            }
        } else {
            self
        }
    }
}

fn mul_wad_up_u64(x: u64, w: u64) -> u64 {
    let p = x as u128 * w as u128;
    p.div_ceil(WAD as u128) as u64
}

/// The AllocationManager's magnitudes (EigenLayer `AllocationManager.md`), for operators whose
/// allocation delay is 0 (increases take effect at once) and who stay registered (decreases wait
/// `DEALLOCATION_DELAY + 1` blocks).
#[derive(Clone, Debug)]
struct AllocationModel {
    deallocation_delay: u64,
    /// (operator, avs, strategy) → allocation.
    sets: BTreeMap<(usize, usize, usize), SetAllocation>,
    /// (operator, strategy) → max magnitude (absent = WAD).
    max: BTreeMap<(usize, usize), u64>,
}

impl AllocationModel {
    fn max(&self, op: usize, strat: usize) -> u64 {
        self.max.get(&(op, strat)).copied().unwrap_or(WAD)
    }
    fn alloc(&self, op: usize, avs: usize, strat: usize, block: u64) -> SetAllocation {
        self.sets
            .get(&(op, avs, strat))
            .copied()
            .unwrap_or_default()
            .at(block)
    }
    /// Encumbered magnitude: every set's current magnitude, a pending deallocation still counting
    /// until it takes effect.
    fn encumbered(&self, op: usize, strat: usize, block: u64, avss: usize) -> u64 {
        (0..avss)
            .map(|a| self.alloc(op, a, strat, block).current)
            .sum()
    }
    fn modify(
        &mut self,
        op: usize,
        avs: usize,
        strat: usize,
        new: u64,
        block: u64,
        avss: usize,
    ) -> Result<(), [u8; 4]> {
        use alloy::sol_types::SolError;
        let a = self.alloc(op, avs, strat, block);
        if a.dealloc > 0 {
            return Err(IAllocationManager::ModificationAlreadyPending::SELECTOR);
        }
        if new == a.current {
            return Err(IAllocationManager::SameMagnitude::SELECTOR);
        }
        let next = if new > a.current {
            let diff = new - a.current;
            if self.encumbered(op, strat, block, avss) + diff > self.max(op, strat) {
                return Err(IAllocationManager::InsufficientMagnitude::SELECTOR);
            }
            SetAllocation {
                current: new,
                dealloc: 0,
                effect: 0,
            }
        } else {
            SetAllocation {
                current: a.current,
                dealloc: a.current - new,
                effect: block + self.deallocation_delay + 1,
            }
        };
        self.sets.insert((op, avs, strat), next);
        Ok(())
    }
    /// Slashes `wad` of the set's current allocation; returns (previous, new) max magnitude, or
    /// `None` when nothing is allocated (the strategy is skipped).
    fn slash(
        &mut self,
        op: usize,
        avs: usize,
        strat: usize,
        wad: u64,
        block: u64,
    ) -> Option<(u64, u64)> {
        let mut a = self.alloc(op, avs, strat, block);
        if a.current == 0 {
            return None;
        }
        let slashed = mul_wad_up_u64(a.current, wad);
        a.current -= slashed;
        if a.dealloc > 0 {
            a.dealloc -= mul_wad_up_u64(a.dealloc, wad);
        }
        self.sets.insert((op, avs, strat), a);
        let prev = self.max(op, strat);
        self.max.insert((op, strat), prev - slashed);
        Some((prev, prev - slashed))
    }
}

#[derive(Clone, Debug)]
enum Step {
    /// `who` (stakers, then operators) deposits into strategy `strat`.
    Deposit {
        who: usize,
        strat: usize,
        amount: u128,
    },
    /// `who` delegates to operator `op`.
    Delegate { who: usize, op: usize },
    /// `who` undelegates (itself).
    Undelegate { who: usize },
    /// `who` queues `bps`/10,000 of its deposit shares (above 10,000: more than it holds).
    Queue { who: usize, strat: usize, bps: u32 },
    /// Completes known withdrawal `i` (modulo the count) as tokens or shares, by the staker or
    /// by the attacker.
    Complete {
        i: usize,
        as_tokens: bool,
        by_attacker: bool,
    },
    /// Operator `op` sets its allocation to AVS `avs`'s set for `strat` to `bps`/10,000 of WAD
    /// plus `jitter`.
    Allocate {
        op: usize,
        avs: usize,
        strat: usize,
        bps: u32,
        jitter: u32,
    },
    /// AVS `avs` slashes `op` in the strategies of `mask` by `bps`/10,000 (0: invalid).
    Slash {
        avs: usize,
        op: usize,
        mask: u8,
        bps: u32,
    },
    /// The attacker sends tokens straight to a strategy (moves its exchange rate).
    Donate { strat: usize, amount: u128 },
    /// Anyone clears the burnable shares of known slash `i`.
    ClearBurn { i: usize },
    /// Mines blocks.
    Mine { n: u64 },
    /// AVS `avs` submits `amount` of strategy `strat`'s token as rewards for the last full
    /// calculation interval.
    Reward {
        avs: usize,
        strat: usize,
        amount: u128,
    },
    /// The rewards updater posts a root that hands out `bps`/10,000 of what is submitted and not
    /// yet distributed, evenly over every staker and operator.
    PostRoot { bps: u32 },
    /// Actor `who` claims everything the latest root gives it.
    Claim { who: usize },
    /// Time passes beyond the rewards activation delay (one block).
    Warp,
}

const STAKERS: usize = 3;
const OPERATORS: usize = 2;
const AVSS: usize = 2;
const STRATS: usize = 2;
const ACTORS: usize = STAKERS + OPERATORS;

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(0u128),
        2 => 1u128..2_000,
        5 => 1u128..1u128 << 80,
    ]
}

fn step() -> impl Strategy<Value = Step> {
    // Below ACTORS: that actor; above: an actor the step suits (see `World::pick`).
    let who = 0..3 * ACTORS;
    prop_oneof![
        5 => (who.clone(), 0..STRATS, amount()).prop_map(|(who, strat, amount)| Step::Deposit { who, strat, amount }),
        2 => (who.clone(), 0..OPERATORS).prop_map(|(who, op)| Step::Delegate { who, op }),
        1 => who.clone().prop_map(|who| Step::Undelegate { who }),
        3 => (who, 0..STRATS, prop_oneof![8 => 1u32..=10_000, 1 => Just(0u32), 1 => 10_001u32..10_100])
            .prop_map(|(who, strat, bps)| Step::Queue { who, strat, bps }),
        4 => (0usize..64, any::<bool>(), prop::bool::weighted(0.1))
            .prop_map(|(i, as_tokens, by_attacker)| Step::Complete { i, as_tokens, by_attacker }),
        3 => (0..OPERATORS, 0..AVSS, 0..STRATS, 0u32..=10_000, 0u32..1_000)
            .prop_map(|(op, avs, strat, bps, jitter)| Step::Allocate { op, avs, strat, bps, jitter }),
        3 => (0..AVSS, 0..OPERATORS, 1u8..4, prop_oneof![1 => Just(0u32), 2 => Just(10_000u32), 12 => 1u32..10_000])
            .prop_map(|(avs, op, mask, bps)| Step::Slash { avs, op, mask, bps }),
        1 => (0..STRATS, 1u128..1u128 << 80).prop_map(|(strat, amount)| Step::Donate { strat, amount }),
        1 => (0usize..16).prop_map(|i| Step::ClearBurn { i }),
        // Short hops, and jumps around the 50-block withdrawal and deallocation delays.
        4 => prop_oneof![1u64..5, 48u64..60].prop_map(|n| Step::Mine { n }),
        2 => (0..AVSS, 0..STRATS, amount()).prop_map(|(avs, strat, amount)| Step::Reward { avs, strat, amount }),
        2 => (1u32..=10_000).prop_map(|bps| Step::PostRoot { bps }),
        3 => (0..ACTORS).prop_map(|who| Step::Claim { who }),
        1 => Just(Step::Warp),
    ]
}

/// A withdrawal the sequence queued, as the chain reported it.
#[derive(Clone, Debug)]
struct Queued {
    id: u64,
    root: B256,
    withdrawal: Withdrawal,
    strat: usize,
    done: bool,
}

/// A slash's burnable shares: (AVS, slash id, per strategy index the shares).
#[derive(Clone, Debug)]
struct Burn {
    avs: usize,
    slash_id: U256,
    shares: Vec<(usize, U256)>,
    cleared: bool,
}

struct World<'a> {
    s: &'a Suite,
    model: Model,
    alm: AllocationModel,
    strategies: Vec<StrategyModel>,
    /// Expected token balances: (holder, strategy index) → balance.
    tokens: BTreeMap<(Address, usize), U256>,
    queued: Vec<Queued>,
    burns: Vec<Burn>,
    slash_ids: BTreeMap<usize, u64>,
    last_max: BTreeMap<(usize, usize), u64>,
    rewards: RewardsModel,
    /// The largest total shares each strategy has had (scale of the rounding dust).
    peak_total: Vec<U256>,
    steps: u64,
    log: Vec<String>,
}

impl<'a> World<'a> {
    fn new(s: &'a Suite) -> R<Self> {
        let mut model = Model::new(s.config.delegation.min_withdrawal_delay_blocks as u64);
        model.block = s.block_number() + 1;
        for op in &s.actors.operators {
            model
                .register_operator(*op, &s.addrs.strategies)
                .map_err(|e| fail(format!("{e:?}")))?;
        }
        let mut tokens = BTreeMap::new();
        for who in s.actors.stakers.iter().chain(&s.actors.operators) {
            for i in 0..STRATS {
                tokens.insert((*who, i), U256::from(STAKER_TOKENS));
            }
        }
        for i in 0..STRATS {
            tokens.insert((BURN, i), U256::ZERO);
            for avs in &s.actors.avss {
                tokens.insert((*avs, i), U256::from(STAKER_TOKENS));
            }
        }
        Ok(World {
            s,
            model,
            alm: AllocationModel {
                deallocation_delay: s.config.allocation.deallocation_delay_blocks as u64,
                sets: BTreeMap::new(),
                max: BTreeMap::new(),
            },
            strategies: vec![StrategyModel::default(); STRATS],
            tokens,
            queued: Vec::new(),
            burns: Vec::new(),
            slash_ids: BTreeMap::new(),
            last_max: BTreeMap::new(),
            peak_total: vec![U256::ZERO; STRATS],
            rewards: RewardsModel {
                submitted: vec![U256::ZERO; STRATS],
                ..RewardsModel::default()
            },
            steps: 0,
            log: Vec::new(),
        })
    }

    fn who(&self, i: usize) -> Address {
        if i < STAKERS {
            self.s.actors.stakers[i]
        } else {
            self.s.actors.operators[i - STAKERS]
        }
    }
    /// Step index `who`: below [`ACTORS`] that actor; otherwise one of the actors `suits` accepts
    /// (when there is one), so most steps act on state that makes them meaningful while the rest
    /// probe refusals.
    fn pick(&self, who: usize, suits: impl Fn(Address) -> bool) -> usize {
        if who < ACTORS {
            return who;
        }
        let c: Vec<usize> = (0..ACTORS).filter(|i| suits(self.who(*i))).collect();
        if c.is_empty() {
            who % ACTORS
        } else {
            c[who % c.len()]
        }
    }
    fn everyone(&self) -> Vec<Address> {
        (0..STAKERS + OPERATORS).map(|i| self.who(i)).collect()
    }
    fn strat(&self, i: usize) -> Address {
        self.s.addrs.strategies[i]
    }
    fn strat_index(&self, a: Address) -> usize {
        self.s
            .addrs
            .strategies
            .iter()
            .position(|s| *s == a)
            .unwrap_or(usize::MAX)
    }
    fn op(&self, i: usize) -> Address {
        self.s.actors.operators[i]
    }
    fn avs(&self, i: usize) -> Address {
        self.s.actors.avss[i]
    }

    /// The block the next transaction (or read) executes in.
    fn now(&self) -> u64 {
        self.s.block_number() + 1
    }

    fn token_add(&mut self, who: Address, strat: usize, delta: U256, add: bool) {
        let e = self.tokens.entry((who, strat)).or_default();
        if add {
            *e += delta;
        } else {
            *e -= delta;
        }
    }

    fn refusal(r: &Refusal) -> [u8; 4] {
        match r {
            Refusal::AlreadyDelegated => sel::<IDelegationManager::ActivelyDelegated>(),
            Refusal::NotDelegated => sel::<IDelegationManager::NotActivelyDelegated>(),
            Refusal::NotAnOperator => sel::<IDelegationManager::OperatorNotRegistered>(),
            Refusal::OperatorsCannotUndelegate => {
                sel::<IDelegationManager::OperatorsCannotUndelegate>()
            }
            Refusal::WithdrawalExceedsMax => sel::<IStrategyManager::SharesAmountTooHigh>(),
            Refusal::ZeroShares => sel::<IStrategyManager::SharesAmountZero>(),
            Refusal::WithdrawalDelayNotElapsed => {
                sel::<IDelegationManager::WithdrawalDelayNotElapsed>()
            }
            Refusal::WithdrawalNotQueued => sel::<IDelegationManager::WithdrawalNotQueued>(),
            Refusal::FullySlashed => sel::<IDelegationManager::FullySlashed>(),
            Refusal::InsufficientMagnitude => sel::<IAllocationManager::InsufficientMagnitude>(),
        }
    }

    /// Runs a model action on a copy and keeps it only when the model accepts it (the chain
    /// reverts the whole transaction).
    fn model_try<T>(
        &mut self,
        f: impl FnOnce(&mut Model) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        let mut m = self.model.clone();
        m.block = self.now();
        let r = f(&mut m);
        if r.is_ok() {
            self.model = m;
        }
        r
    }

    /// Records the withdrawals a transaction queued (one strategy each) and checks each event's
    /// shares against the model's.
    fn record_queued(&mut self, o: &Outcome, ids: &[(u64, usize)]) -> R {
        let events = o.events::<IDelegationManager::SlashingWithdrawalQueued>();
        prop_assert_eq!(
            events.len(),
            ids.len(),
            "one withdrawal per strategy queued"
        );
        for ev in events {
            prop_assert_eq!(ev.withdrawal.strategies.len(), 1);
            let strat = self.strat_index(ev.withdrawal.strategies[0]);
            let (id, _) = *ids
                .iter()
                .find(|(_, s)| *s == strat)
                .ok_or_else(|| fail("queued a strategy the model did not"))?;
            let want = self.model.withdrawal_shares(id).unwrap_or_default();
            prop_assert_eq!(ev.sharesToWithdraw[0], want, "queued withdrawable shares");
            let w = &self.model.queued[&id];
            prop_assert_eq!(
                ev.withdrawal.scaledShares[0],
                w.scaled_shares,
                "scaled shares"
            );
            prop_assert_eq!(ev.withdrawal.delegatedTo, w.operator, "withdrawal operator");
            prop_assert_eq!(
                ev.withdrawal.startBlock as u64,
                w.start_block,
                "start block"
            );
            self.queued.push(Queued {
                id,
                root: ev.withdrawalRoot,
                withdrawal: ev.withdrawal,
                strat,
                done: false,
            });
        }
        Ok(())
    }

    fn apply(&mut self, step: &Step) -> R {
        self.steps += 1;
        self.log.push(format!("{step:?} @ block {}", self.now()));
        let s = self.s;
        let (sm, dm, am) = (
            s.addrs.strategy_manager,
            s.addrs.delegation_manager,
            s.addrs.allocation_manager,
        );
        match *step {
            Step::Deposit { who, strat, amount } => {
                let who = who % ACTORS;
                let (w, st, amount) = (self.who(who), self.strat(strat), U256::from(amount));
                let shares = self.strategies[strat].shares_for(amount);
                let expected = if shares.is_zero() {
                    Err(sel::<IStrategy::NewSharesZero>())
                } else {
                    self.model_try(|m| m.deposit(w, st, shares))
                        .map_err(|r| Self::refusal(&r))
                };
                let o = s.deposit(w, st, amount).map_err(fail)?;
                verdict("deposit", &o, expected)?;
                if o.status {
                    prop_assert_eq!(
                        o.returns::<IStrategyManager::depositIntoStrategyCall>()
                            .map_err(fail)?,
                        shares,
                        "deposit shares returned"
                    );
                    self.strategies[strat].deposit(amount, shares);
                    self.token_add(w, strat, amount, false);
                }
            }
            Step::Delegate { who, op } => {
                let who = self.pick(who, |a| !self.model.delegated_to.contains_key(&a));
                let (w, o_addr) = (self.who(who), self.op(op));
                let strategies = s.addrs.strategies.clone();
                let expected = if self.model.delegated_to.contains_key(&w) {
                    Err(sel::<IDelegationManager::ActivelyDelegated>())
                } else {
                    self.model_try(|m| m.delegate(w, o_addr, &strategies))
                        .map_err(|r| Self::refusal(&r))
                };
                let o = s
                    .send(
                        w,
                        dm,
                        IDelegationManager::delegateToCall {
                            operator: o_addr,
                            approverSignatureAndExpiry: SignatureWithExpiry {
                                signature: Default::default(),
                                expiry: U256::ZERO,
                            },
                            approverSalt: B256::ZERO,
                        },
                    )
                    .map_err(fail)?;
                verdict("delegateTo", &o, expected)?;
            }
            Step::Undelegate { who } => {
                let who = self.pick(who, |a| {
                    self.model.delegated_to.contains_key(&a) && !self.model.operators.contains(&a)
                });
                let w = self.who(who);
                let strategies = s.addrs.strategies.clone();
                let expected = self.model_try(|m| m.undelegate(w, &strategies));
                let o = s
                    .send(w, dm, IDelegationManager::undelegateCall { staker: w })
                    .map_err(fail)?;
                verdict(
                    "undelegate",
                    &o,
                    expected.as_ref().map(|_| ()).map_err(Self::refusal),
                )?;
                if let Ok(ids) = expected {
                    let pairs: Vec<(u64, usize)> = ids
                        .iter()
                        .map(|id| (*id, self.strat_index(self.model.queued[id].strategy)))
                        .collect();
                    self.record_queued(&o, &pairs)?;
                }
            }
            Step::Queue { who, strat, bps } => {
                let st = self.strat(strat);
                let who = self.pick(who, |a| !self.model.deposited(a, st).is_zero());
                let (w, st) = (self.who(who), self.strat(strat));
                let d = self.model.deposited(w, st);
                let x = if bps > 10_000 {
                    d + U256::from(bps - 10_000)
                } else {
                    d * U256::from(bps) / U256::from(10_000u32)
                };
                let expected = self.model_try(|m| m.queue_withdrawal(w, st, x));
                let o = s
                    .send(
                        w,
                        dm,
                        IDelegationManager::queueWithdrawalsCall {
                            params: vec![QueuedWithdrawalParams {
                                strategies: vec![st],
                                depositShares: vec![x],
                                __deprecated_withdrawer: w,
                            }],
                        },
                    )
                    .map_err(fail)?;
                verdict(
                    "queueWithdrawals",
                    &o,
                    expected.as_ref().map(|_| ()).map_err(Self::refusal),
                )?;
                if let Ok(id) = expected {
                    self.record_queued(&o, &[(id, strat)])?;
                }
            }
            Step::Complete {
                i,
                as_tokens,
                by_attacker,
            } => {
                if self.queued.is_empty() {
                    return Ok(());
                }
                let pending: Vec<usize> = (0..self.queued.len())
                    .filter(|j| !self.queued[*j].done)
                    .collect();
                // Mostly withdrawals still pending; sometimes any (completed ones must refuse).
                let qi = if i < 48 && !pending.is_empty() {
                    pending[i % pending.len()]
                } else {
                    i % self.queued.len()
                };
                let q = self.queued[qi].clone();
                let staker = q.withdrawal.staker;
                let token = s.addrs.tokens[q.strat];
                let now = self.now();
                let elapsed = now > q.withdrawal.startBlock as u64 + self.model.withdrawal_delay;
                // A stranger only tries withdrawals that are otherwise completable, so exactly one
                // requirement fails.
                let caller = if by_attacker && !q.done && elapsed {
                    s.actors.attacker
                } else {
                    staker
                };
                let expected: Result<U256, [u8; 4]> = if caller != staker {
                    Err(sel::<IDelegationManager::WithdrawerNotCaller>())
                } else {
                    self.model_try(|m| m.complete_withdrawal(q.id, !as_tokens))
                        .map_err(|r| Self::refusal(&r))
                };
                let before = s.balance_of(token, staker).map_err(fail)?;
                let o = s
                    .send(
                        caller,
                        dm,
                        IDelegationManager::completeQueuedWithdrawalCall {
                            withdrawal: q.withdrawal.clone(),
                            tokens: vec![token],
                            receiveAsTokens: as_tokens,
                        },
                    )
                    .map_err(fail)?;
                verdict("completeQueuedWithdrawal", &o, expected.map(|_| ()))?;
                if let (true, Ok(shares)) = (o.status, expected) {
                    self.queued[qi].done = true;
                    let completed = o.events::<IDelegationManager::SlashingWithdrawalCompleted>();
                    prop_assert_eq!(completed.len(), 1);
                    prop_assert_eq!(completed[0].withdrawalRoot, q.root);
                    if as_tokens {
                        let out = if shares.is_zero() {
                            U256::ZERO
                        } else {
                            self.strategies[q.strat].withdraw(shares)
                        };
                        self.token_add(staker, q.strat, out, true);
                        let after = s.balance_of(token, staker).map_err(fail)?;
                        prop_assert_eq!(after - before, out, "tokens paid out");
                    }
                }
            }
            Step::Allocate {
                op,
                avs,
                strat,
                bps,
                jitter,
            } => {
                let mag = (WAD / 10_000) * bps as u64 + jitter as u64;
                let now = self.now();
                let mut alm = self.alm.clone();
                let expected = alm.modify(op, avs, strat, mag, now, AVSS);
                let o = s
                    .send(
                        self.op(op),
                        am,
                        IAllocationManager::modifyAllocationsCall {
                            operator: self.op(op),
                            params: vec![AllocateParams {
                                operatorSet: Suite::operator_set(self.avs(avs)),
                                strategies: vec![self.strat(strat)],
                                newMagnitudes: vec![mag],
                            }],
                        },
                    )
                    .map_err(fail)?;
                verdict("modifyAllocations", &o, expected)?;
                if o.status {
                    self.alm = alm;
                }
            }
            Step::Slash { avs, op, mask, bps } => {
                let w = if bps == 0 {
                    0
                } else {
                    (WAD / 10_000) * bps as u64
                };
                let sorted = s.addrs.strategies_sorted();
                let chosen: Vec<Address> = sorted
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, a)| *a)
                    .collect();
                let now = self.now();
                let mut alm = self.alm.clone();
                let mut model = self.model.clone();
                model.block = now;
                let mut want_shares = Vec::new();
                let expected = if w == 0 {
                    Err(sel::<IAllocationManager::InvalidWadToSlash>())
                } else {
                    for a in &chosen {
                        let si = self.strat_index(*a);
                        match alm.slash(op, avs, si, w, now) {
                            Some((prev, new)) => {
                                prop_assert_eq!(
                                    model.max_magnitude(self.op(op), *a),
                                    U256::from(prev),
                                    "the model and the allocation model agree on max magnitude"
                                );
                                let burned =
                                    model.slash_operator_shares(self.op(op), *a, U256::from(new));
                                want_shares.push((si, burned));
                            }
                            None => want_shares.push((si, U256::ZERO)),
                        }
                    }
                    Ok(())
                };
                let set = Suite::operator_set(self.avs(avs));
                let o = s
                    .send(
                        self.avs(avs),
                        am,
                        IAllocationManager::slashOperatorCall {
                            avs: self.avs(avs),
                            params: SlashingParams {
                                operator: self.op(op),
                                operatorSetId: set.id,
                                strategies: chosen.clone(),
                                wadsToSlash: vec![U256::from(w); chosen.len()],
                                description: "property test".into(),
                            },
                        },
                    )
                    .map_err(fail)?;
                verdict("slashOperator", &o, expected)?;
                if o.status {
                    let ret = o
                        .returns::<IAllocationManager::slashOperatorCall>()
                        .map_err(fail)?;
                    let id = self.slash_ids.entry(avs).or_insert(0);
                    *id += 1;
                    prop_assert_eq!(ret.slashId, U256::from(*id), "slash ids count per set");
                    let got: Vec<U256> = ret.shares.clone();
                    let want: Vec<U256> = want_shares.iter().map(|(_, b)| *b).collect();
                    prop_assert_eq!(got, want, "shares slashed per strategy");
                    self.alm = alm;
                    self.model = model;
                    if want_shares.iter().any(|(_, b)| !b.is_zero()) {
                        self.burns.push(Burn {
                            avs,
                            slash_id: ret.slashId,
                            shares: want_shares,
                            cleared: false,
                        });
                    }
                }
            }
            Step::Donate { strat, amount } => {
                let amount = U256::from(amount);
                let st = self.strat(strat);
                let o = s
                    .send(
                        s.actors.attacker,
                        s.addrs.tokens[strat],
                        IERC20::transferCall {
                            to: st,
                            value: amount,
                        },
                    )
                    .map_err(fail)?;
                verdict("donate", &o, Ok(()))?;
                self.strategies[strat].balance += amount;
            }
            Step::ClearBurn { i } => {
                let open: Vec<usize> = (0..self.burns.len())
                    .filter(|j| !self.burns[*j].cleared)
                    .collect();
                if open.is_empty() {
                    return Ok(());
                }
                let j = open[i % open.len()];
                let b = self.burns[j].clone();
                let set = Suite::operator_set(self.avs(b.avs));
                let o = s
                    .send(
                        s.actors.attacker,
                        sm,
                        IStrategyManager::clearBurnOrRedistributableSharesCall {
                            operatorSet: set,
                            slashId: b.slash_id,
                        },
                    )
                    .map_err(fail)?;
                verdict("clearBurnOrRedistributableShares", &o, Ok(()))?;
                for (si, shares) in &b.shares {
                    let out = if shares.is_zero() {
                        U256::ZERO
                    } else {
                        self.strategies[*si].withdraw(*shares)
                    };
                    self.token_add(BURN, *si, out, true);
                }
                self.burns[j].cleared = true;
            }
            Step::Mine { n } => s.mine(n),
            Step::Reward { avs, strat, amount } => self.reward(avs, strat, U256::from(amount))?,
            Step::PostRoot { bps } => self.post_root(bps)?,
            Step::Claim { who } => self.claim(who)?,
            Step::Warp => {
                s.node()
                    .increase_time(s.config.rewards.activation_delay as u64 + 1);
                s.mine(1);
            }
        }
        self.model.block = self.now();
        Ok(())
    }
}

/// Everything read back from the chain after a step.
#[derive(Debug, Default)]
struct Observed {
    deposit: BTreeMap<(Address, usize), U256>,
    withdrawable: BTreeMap<(Address, usize), U256>,
    dsf: BTreeMap<(Address, usize), U256>,
    delegated: BTreeMap<Address, Address>,
    balances: BTreeMap<(Address, usize), U256>,
    op_shares: BTreeMap<(usize, usize), U256>,
    max: BTreeMap<(usize, usize), u64>,
    encumbered: BTreeMap<(usize, usize), u64>,
    allocations: BTreeMap<(usize, usize, usize), (u64, i128, u32)>,
    total_shares: Vec<U256>,
    strategy_balance: Vec<U256>,
    pending: Vec<bool>,
    queued_shares: BTreeMap<usize, U256>,
    burnable: BTreeMap<usize, Vec<U256>>,
}

impl World<'_> {
    fn observe(&self) -> R<Observed> {
        let s = self.s;
        let (sm, dm, am) = (
            s.addrs.strategy_manager,
            s.addrs.delegation_manager,
            s.addrs.allocation_manager,
        );
        let strategies = s.addrs.strategies.clone();
        let mut o = Observed::default();
        for who in self.everyone() {
            let r = s
                .view(
                    dm,
                    IDelegationManager::getWithdrawableSharesCall {
                        staker: who,
                        strategies: strategies.clone(),
                    },
                )
                .map_err(fail)?;
            prop_assert_eq!(r.withdrawableShares.len(), STRATS);
            prop_assert_eq!(r.depositShares.len(), STRATS);
            for (i, st) in strategies.iter().enumerate() {
                o.withdrawable.insert((who, i), r.withdrawableShares[i]);
                o.deposit.insert((who, i), r.depositShares[i]);
                o.balances.insert(
                    (who, i),
                    s.balance_of(s.addrs.tokens[i], who).map_err(fail)?,
                );
                // Read where it can differ from WAD (it resets when the deposit shares reach 0).
                let dsf =
                    if r.depositShares[i].is_zero() && !self.model.dsf.contains_key(&(who, *st)) {
                        wad()
                    } else {
                        s.view(
                            dm,
                            IDelegationManager::depositScalingFactorCall {
                                staker: who,
                                strategy: *st,
                            },
                        )
                        .map_err(fail)?
                    };
                o.dsf.insert((who, i), dsf);
            }
            o.delegated.insert(
                who,
                s.view(dm, IDelegationManager::delegatedToCall { staker: who })
                    .map_err(fail)?,
            );
        }
        let ops = s.actors.operators.clone();
        let shares = s
            .view(
                dm,
                IDelegationManager::getOperatorsSharesCall {
                    operators: ops.clone(),
                    strategies: strategies.clone(),
                },
            )
            .map_err(fail)?;
        prop_assert_eq!(shares.len(), OPERATORS);
        for (oi, op) in ops.iter().enumerate() {
            prop_assert_eq!(shares[oi].len(), STRATS);
            let maxes = s
                .view(
                    am,
                    IAllocationManager::getMaxMagnitudes_0Call {
                        operator: *op,
                        strategies: strategies.clone(),
                    },
                )
                .map_err(fail)?;
            prop_assert_eq!(maxes.len(), STRATS);
            for (si, st) in strategies.iter().enumerate() {
                o.op_shares.insert((oi, si), shares[oi][si]);
                o.max.insert((oi, si), maxes[si]);
                o.encumbered.insert(
                    (oi, si),
                    s.view(
                        am,
                        IAllocationManager::getEncumberedMagnitudeCall {
                            operator: *op,
                            strategy: *st,
                        },
                    )
                    .map_err(fail)?,
                );
                // Sets absent from the list have nothing allocated and nothing pending.
                let r = s
                    .view(
                        am,
                        IAllocationManager::getStrategyAllocationsCall {
                            operator: *op,
                            strategy: *st,
                        },
                    )
                    .map_err(fail)?;
                let (sets, allocs) = (r._0, r._1);
                prop_assert_eq!(sets.len(), allocs.len());
                for ai in 0..AVSS {
                    let set = Suite::operator_set(self.avs(ai));
                    let a = sets
                        .iter()
                        .position(|x| *x == set)
                        .map(|j| {
                            let a = &allocs[j];
                            (a.currentMagnitude, a.pendingDiff, a.effectBlock)
                        })
                        .unwrap_or_default();
                    o.allocations.insert((oi, ai, si), a);
                }
            }
        }
        for (i, st) in strategies.iter().enumerate() {
            o.total_shares
                .push(s.view(*st, IStrategy::totalSharesCall {}).map_err(fail)?);
            o.strategy_balance
                .push(s.balance_of(s.addrs.tokens[i], *st).map_err(fail)?);
            o.balances.insert(
                (BURN, i),
                s.balance_of(s.addrs.tokens[i], BURN).map_err(fail)?,
            );
        }
        for (qi, q) in self.queued.iter().enumerate() {
            let pending = s
                .view(
                    dm,
                    IDelegationManager::pendingWithdrawalsCall {
                        withdrawalRoot: q.root,
                    },
                )
                .map_err(fail)?;
            o.pending.push(pending);
            if pending {
                let r = s
                    .view(
                        dm,
                        IDelegationManager::getQueuedWithdrawalCall {
                            withdrawalRoot: q.root,
                        },
                    )
                    .map_err(fail)?;
                prop_assert_eq!(&r.withdrawal, &q.withdrawal, "stored withdrawal");
                prop_assert_eq!(r.shares.len(), 1);
                o.queued_shares.insert(qi, r.shares[0]);
            }
        }
        for (bi, b) in self.burns.iter().enumerate() {
            let mut v = Vec::new();
            for (si, _) in &b.shares {
                v.push(
                    s.view(
                        sm,
                        IStrategyManager::getBurnOrRedistributableShares_1Call {
                            operatorSet: OperatorSet {
                                avs: self.avs(b.avs),
                                id: 1,
                            },
                            slashId: b.slash_id,
                            strategy: self.strat(*si),
                        },
                    )
                    .map_err(fail)?,
                );
            }
            o.burnable.insert(bi, v);
        }
        Ok(o)
    }

    /// The chain agrees with the models on every number.
    fn compare(&self, o: &Observed) -> R {
        let m = &self.model;
        prop_assert_eq!(m.block, self.now());
        for who in self.everyone() {
            for i in 0..STRATS {
                let st = self.strat(i);
                let k = (who, i);
                prop_assert_eq!(
                    o.deposit[&k],
                    m.deposited(who, st),
                    "deposit shares {:?}",
                    k
                );
                prop_assert_eq!(
                    o.withdrawable[&k],
                    m.withdrawable(who, st),
                    "withdrawable shares {:?}",
                    k
                );
                prop_assert_eq!(
                    o.dsf[&k],
                    m.dsf.get(&(who, st)).copied().unwrap_or(wad()),
                    "deposit scaling factor {:?}",
                    k
                );
                prop_assert_eq!(o.balances[&k], self.tokens[&k], "token balance {:?}", k);
            }
            prop_assert_eq!(
                o.delegated[&who],
                m.delegated_to.get(&who).copied().unwrap_or_default(),
                "delegatedTo"
            );
        }
        let now = self.now();
        for oi in 0..OPERATORS {
            for si in 0..STRATS {
                let (op, st) = (self.op(oi), self.strat(si));
                prop_assert_eq!(
                    o.op_shares[&(oi, si)],
                    m.operator_shares_of(op, st),
                    "operator shares {} {}",
                    oi,
                    si
                );
                prop_assert_eq!(o.max[&(oi, si)], self.alm.max(oi, si), "max magnitude");
                prop_assert_eq!(U256::from(o.max[&(oi, si)]), m.max_magnitude(op, st));
                prop_assert_eq!(
                    o.encumbered[&(oi, si)],
                    self.alm.encumbered(oi, si, now, AVSS),
                    "encumbered magnitude {} {}",
                    oi,
                    si
                );
                for ai in 0..AVSS {
                    let a = self.alm.alloc(oi, ai, si, now);
                    let (cur, diff, effect) = o.allocations[&(oi, ai, si)];
                    prop_assert_eq!(cur, a.current, "current magnitude {} {} {}", oi, ai, si);
                    prop_assert_eq!(diff, -(a.dealloc as i128), "pending diff");
                    if a.dealloc > 0 {
                        prop_assert_eq!(effect as u64, a.effect, "effect block");
                    }
                }
            }
        }
        for i in 0..STRATS {
            prop_assert_eq!(
                o.total_shares[i],
                self.strategies[i].total_shares,
                "total shares"
            );
            prop_assert_eq!(
                o.strategy_balance[i],
                self.strategies[i].balance,
                "strategy balance"
            );
            prop_assert_eq!(
                o.balances[&(BURN, i)],
                self.tokens[&(BURN, i)],
                "burned tokens"
            );
        }
        for (qi, q) in self.queued.iter().enumerate() {
            prop_assert_eq!(o.pending[qi], !q.done, "pendingWithdrawals");
            if !q.done {
                prop_assert_eq!(
                    o.queued_shares[&qi],
                    m.withdrawal_shares(q.id).unwrap_or_default(),
                    "queued withdrawal shares"
                );
            }
        }
        for (bi, b) in self.burns.iter().enumerate() {
            let want: Vec<U256> = b
                .shares
                .iter()
                .map(|(_, x)| if b.cleared { U256::ZERO } else { *x })
                .collect();
            prop_assert_eq!(&o.burnable[&bi], &want, "burnable shares of slash {}", bi);
        }
        Ok(())
    }

    /// Invariants on chain state alone (audits/INVARIANTS.md):
    /// - 6: an operator's shares equal the sum of its delegators' withdrawable shares up to rounding
    ///   dust (never less); withdrawable
    ///   ≤ deposit shares unless the scaling factor compensates a past slash; max magnitude never
    ///   rises; encumbered ≤ max; every allocation ≤ max;
    /// - 21: share conservation: each strategy's total shares cover every claim on it (stakers'
    ///   withdrawable shares, queued withdrawals, burnable shares not yet cleared), and what is left
    ///   over is rounding dust in the protocol's favour, never a measurable amount.
    fn invariants(&mut self, o: &Observed) -> R {
        for oi in 0..OPERATORS {
            for si in 0..STRATS {
                let op = self.op(oi);
                let delegated: U256 = self
                    .everyone()
                    .into_iter()
                    .filter(|u| o.delegated[u] == op)
                    .map(|u| o.withdrawable[&(u, si)])
                    .fold(U256::ZERO, |a, b| a + b);
                prop_assert!(
                    o.op_shares[&(oi, si)] >= delegated,
                    "operator shares {} < delegated withdrawable {}",
                    o.op_shares[&(oi, si)],
                    delegated
                );
                // …and exceed it by rounding dust only: EigenLayer rounds every slash and every
                // withdrawable-share computation in the protocol's favour, so equality is not
                // exact, and an operator keeps a few shares' dust after its last delegator leaves
                // (each undelegation leaves up to `shares · k / 1e36`). Bounded by one part per
                // billion of the most the strategy ever held.
                self.peak_total[si] = self.peak_total[si].max(o.total_shares[si]);
                let op_dust = U256::from(64 * (self.steps + 1))
                    + self.peak_total[si] / U256::from(1_000_000_000u64);
                prop_assert!(
                    o.op_shares[&(oi, si)] - delegated <= op_dust,
                    "operator shares {} exceed delegated withdrawable {} by more than dust {}",
                    o.op_shares[&(oi, si)],
                    delegated,
                    op_dust
                );
                let max = o.max[&(oi, si)];
                let last = self.last_max.entry((oi, si)).or_insert(WAD);
                prop_assert!(max <= *last, "max magnitude rose from {} to {}", last, max);
                *last = max;
                prop_assert!(o.encumbered[&(oi, si)] <= max, "encumbered > max");
                for ai in 0..AVSS {
                    prop_assert!(o.allocations[&(oi, ai, si)].0 <= max, "allocation > max");
                }
            }
        }
        for who in self.everyone() {
            for si in 0..STRATS {
                let k = (who, si);
                prop_assert!(
                    o.withdrawable[&k] <= o.deposit[&k] || o.dsf[&k] > wad(),
                    "withdrawable {} > deposited {} with dsf {}",
                    o.withdrawable[&k],
                    o.deposit[&k],
                    o.dsf[&k]
                );
            }
        }
        for si in 0..STRATS {
            let mut claims = U256::ZERO;
            for who in self.everyone() {
                claims += o.withdrawable[&(who, si)];
            }
            for (qi, q) in self.queued.iter().enumerate() {
                if q.strat == si {
                    claims += o.queued_shares.get(&qi).copied().unwrap_or_default();
                }
            }
            for (bi, b) in self.burns.iter().enumerate() {
                for (j, (s2, _)) in b.shares.iter().enumerate() {
                    if *s2 == si {
                        claims += o.burnable[&bi][j];
                    }
                }
            }
            let total = o.total_shares[si];
            prop_assert!(
                total >= claims,
                "strategy {} owes {} shares but has {}",
                si,
                claims,
                total
            );
            // Dust: a few units per rounding per step, plus 1e-12 of the total for scaling-factor
            // rounding (factors carry 18 decimals).
            let dust = U256::from(64 * (self.steps + 1)) + total / U256::from(1_000_000_000_000u64);
            prop_assert!(
                total - claims <= dust,
                "strategy {} holds {} shares more than its claims (dust bound {})",
                si,
                total - claims,
                dust
            );
        }
        Ok(())
    }

    fn check(&mut self) -> R {
        self.model.block = self.now();
        let o = self.observe()?;
        self.compare(&o)?;
        self.invariants(&o)?;
        self.check_rewards()
    }
}

/// Cumulative rewards per (earner, token index).
type Earnings = BTreeMap<(Address, usize), U256>;

/// The RewardsCoordinator's token accounting (EigenLayer `RewardsCoordinator.md`): submissions
/// move tokens in, posted roots carry cumulative earnings per earner and token, and a claim pays
/// the difference between a root's cumulative earnings and what the earner already claimed.
#[derive(Clone, Debug, Default)]
struct RewardsModel {
    /// Submitted per token (strategy index).
    submitted: Vec<U256>,
    /// Claimed per (earner, token).
    claimed: BTreeMap<(Address, usize), U256>,
    /// Posted roots: cumulative earnings per (earner, token) and the activation timestamp.
    roots: Vec<(Earnings, u64)>,
    /// The latest root's calculation end timestamp.
    last_end: u64,
}

impl World<'_> {
    fn rc(&self) -> Address {
        self.s.addrs.rewards_coordinator
    }

    fn latest_timestamp(&self) -> u64 {
        self.s.node().latest_block().timestamp
    }

    /// The latest root as the harness's distribution tree.
    fn distribution(&self, cum: &Earnings) -> Distribution {
        let mut by_earner: BTreeMap<Address, BTreeMap<Address, U256>> = BTreeMap::new();
        for ((e, i), x) in cum {
            if !x.is_zero() {
                by_earner
                    .entry(*e)
                    .or_default()
                    .insert(self.s.addrs.tokens[*i], *x);
            }
        }
        Distribution::new(&by_earner)
    }

    fn reward(&mut self, avs: usize, strat: usize, amount: U256) -> R {
        let s = self.s;
        let interval = s.config.rewards.calculation_interval_seconds as u64;
        let start = (self.latest_timestamp() / interval - 1) * interval;
        let expected = if amount.is_zero() {
            Err(sel::<IRewardsCoordinator::AmountIsZero>())
        } else {
            Ok(())
        };
        let o = s
            .send(
                self.avs(avs),
                self.rc(),
                IRewardsCoordinator::createAVSRewardsSubmissionCall {
                    rewardsSubmissions: vec![RewardsSubmission {
                        strategiesAndMultipliers: vec![StrategyAndMultiplier {
                            strategy: self.strat(strat),
                            multiplier: alloy::primitives::Uint::<96, 2>::from(WAD),
                        }],
                        token: s.addrs.tokens[strat],
                        amount,
                        startTimestamp: start as u32,
                        duration: interval as u32,
                    }],
                },
            )
            .map_err(fail)?;
        verdict("createAVSRewardsSubmission", &o, expected)?;
        if o.status {
            self.rewards.submitted[strat] += amount;
            self.token_add(self.avs(avs), strat, amount, false);
        }
        Ok(())
    }

    fn post_root(&mut self, bps: u32) -> R {
        let s = self.s;
        let earners = self.everyone();
        let prev = self
            .rewards
            .roots
            .last()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        let mut cum = prev.clone();
        for i in 0..STRATS {
            let distributed: U256 = prev
                .iter()
                .filter(|((_, t), _)| *t == i)
                .fold(U256::ZERO, |a, (_, x)| a + *x);
            let give = (self.rewards.submitted[i] - distributed) * U256::from(bps)
                / U256::from(10_000u32)
                / U256::from(earners.len());
            for e in &earners {
                *cum.entry((*e, i)).or_default() += give;
            }
        }
        if cum.values().all(|x| x.is_zero()) {
            return Ok(());
        }
        let dist = self.distribution(&cum);
        let end = self.latest_timestamp() - 1;
        let expected = if end <= self.rewards.last_end {
            Err(sel::<
                IRewardsCoordinator::NewRootMustBeForNewCalculatedPeriod,
            >())
        } else {
            Ok(())
        };
        let o = s
            .send(
                s.actors.deployer,
                self.rc(),
                IRewardsCoordinator::submitRootCall {
                    root: dist.root(),
                    rewardsCalculationEndTimestamp: end as u32,
                },
            )
            .map_err(fail)?;
        verdict("submitRoot", &o, expected)?;
        if o.status {
            let at = self.latest_timestamp() + s.config.rewards.activation_delay as u64;
            self.rewards.roots.push((cum, at));
            self.rewards.last_end = end;
        }
        Ok(())
    }

    fn claim(&mut self, who: usize) -> R {
        let s = self.s;
        let Some((cum, activated_at)) = self.rewards.roots.last().cloned() else {
            return Ok(());
        };
        let earner = self.who(who);
        let dist = self.distribution(&cum);
        let Some(c) = dist.claim(earner) else {
            return Ok(());
        };
        let now = self.latest_timestamp();
        let expected = if now >= activated_at {
            let all_new = (0..STRATS).all(|i| {
                let x = cum.get(&(earner, i)).copied().unwrap_or_default();
                x.is_zero()
                    || x > self
                        .rewards
                        .claimed
                        .get(&(earner, i))
                        .copied()
                        .unwrap_or_default()
            });
            if all_new {
                Ok(())
            } else {
                Err(sel::<IRewardsCoordinator::EarningsNotGreaterThanClaimed>())
            }
        } else if now + 600 < activated_at {
            Err(sel::<IRewardsCoordinator::RootNotActivated>())
        } else {
            // Too close to the activation time to tell which block timestamp the claim gets.
            return Ok(());
        };
        let claim = c.to_abi((self.rewards.roots.len() - 1) as u32);
        let o = s
            .send(
                earner,
                self.rc(),
                IRewardsCoordinator::processClaimCall {
                    claim,
                    recipient: earner,
                },
            )
            .map_err(fail)?;
        verdict("processClaim", &o, expected)?;
        if o.status {
            for i in 0..STRATS {
                let x = cum.get(&(earner, i)).copied().unwrap_or_default();
                if x.is_zero() {
                    continue;
                }
                let before = self
                    .rewards
                    .claimed
                    .insert((earner, i), x)
                    .unwrap_or_default();
                self.token_add(earner, i, x - before, true);
            }
        }
        Ok(())
    }

    /// Claimed ≤ submitted per token; the RewardsCoordinator holds exactly what was submitted and
    /// not claimed; every earner's cumulative claimed amount and every AVS's balance match the
    /// model; the number of roots matches.
    fn check_rewards(&self) -> R {
        let s = self.s;
        let rc = self.rc();
        for i in 0..STRATS {
            let token = s.addrs.tokens[i];
            let claimed: U256 = self
                .rewards
                .claimed
                .iter()
                .filter(|((_, t), _)| *t == i)
                .fold(U256::ZERO, |a, (_, x)| a + *x);
            prop_assert!(
                claimed <= self.rewards.submitted[i],
                "claimed {} > submitted {}",
                claimed,
                self.rewards.submitted[i]
            );
            prop_assert_eq!(
                s.balance_of(token, rc).map_err(fail)?,
                self.rewards.submitted[i] - claimed,
                "RewardsCoordinator balance of token {}",
                i
            );
            for e in self.everyone() {
                prop_assert_eq!(
                    s.view(
                        rc,
                        IRewardsCoordinator::cumulativeClaimedCall { earner: e, token }
                    )
                    .map_err(fail)?,
                    self.rewards
                        .claimed
                        .get(&(e, i))
                        .copied()
                        .unwrap_or_default(),
                    "cumulativeClaimed"
                );
            }
            for a in 0..AVSS {
                let avs = self.avs(a);
                prop_assert_eq!(
                    s.balance_of(token, avs).map_err(fail)?,
                    self.tokens[&(avs, i)],
                    "AVS token balance"
                );
            }
        }
        prop_assert_eq!(
            s.view(rc, IRewardsCoordinator::getDistributionRootsLengthCall {})
                .map_err(fail)?,
            U256::from(self.rewards.roots.len()),
            "distribution roots"
        );
        Ok(())
    }
}

/// Funds every AVS with each test token, approved to the RewardsCoordinator.
fn fund_avss(s: &Suite) -> R {
    for avs in &s.actors.avss {
        for token in &s.addrs.tokens {
            s.send(
                s.actors.deployer,
                *token,
                ITestToken::mintCall {
                    to: *avs,
                    amount: U256::from(STAKER_TOKENS),
                },
            )
            .and_then(Outcome::ok)
            .map_err(fail)?;
            s.send(
                *avs,
                *token,
                IERC20::approveCall {
                    spender: s.addrs.rewards_coordinator,
                    value: U256::MAX,
                },
            )
            .and_then(Outcome::ok)
            .map_err(fail)?;
        }
    }
    Ok(())
}

/// Runs `steps` on a clean suite (operators registered into both AVSs' sets) and on the models.
fn run(steps: &[Step]) -> R {
    let suite = Suite::shared();
    suite.setup_operators().map_err(fail)?;
    fund_avss(&suite)?;
    let mut world = World::new(&suite)?;
    world.check()?;
    for step in steps {
        let r = world.apply(step).and_then(|_| world.check());
        if let Err(e) = r {
            return Err(fail(format!(
                "{e}\nsteps so far:\n  {}",
                world.log.join("\n  ")
            )));
        }
    }
    tally("core", steps.len());
    Ok(())
}

proptest! {
    #![proptest_config(config(16, 0x00F3_220A, 400))]

    /// Random action sequences give the same numbers on the chain and in the models, and the
    /// chain's invariants hold after every step.
    #[test]
    fn chain_matches_the_model(steps in prop::collection::vec(step(), 8..48)) {
        run(&steps)?;
    }
}

/// Directed sequences through the same machinery, so the central paths run whatever the seed.
#[test]
fn queue_slash_within_the_delay_then_complete() {
    use Step::*;
    must(run(&[
        Deposit {
            who: 0,
            strat: 0,
            amount: 1_000_000_000_000,
        },
        Delegate { who: 0, op: 0 },
        Allocate {
            op: 0,
            avs: 0,
            strat: 0,
            bps: 5_000,
            jitter: 0,
        },
        Queue {
            who: 0,
            strat: 0,
            bps: 4_000,
        },
        Mine { n: 3 },
        Slash {
            avs: 0,
            op: 0,
            mask: 3,
            bps: 2_500,
        },
        Complete {
            i: 0,
            as_tokens: true,
            by_attacker: false,
        },
        Mine { n: 50 },
        Complete {
            i: 0,
            as_tokens: true,
            by_attacker: true,
        },
        Complete {
            i: 0,
            as_tokens: true,
            by_attacker: false,
        },
        Complete {
            i: 0,
            as_tokens: true,
            by_attacker: false,
        },
        ClearBurn { i: 0 },
    ]));
}

#[test]
fn deallocation_full_slash_undelegate_and_redeposit() {
    use Step::*;
    must(run(&[
        Deposit {
            who: 1,
            strat: 1,
            amount: 777_777_777,
        },
        Deposit {
            who: 3,
            strat: 1,
            amount: 5_000,
        },
        Delegate { who: 1, op: 0 },
        Allocate {
            op: 0,
            avs: 1,
            strat: 1,
            bps: 10_000,
            jitter: 0,
        },
        Allocate {
            op: 0,
            avs: 0,
            strat: 1,
            bps: 1,
            jitter: 0,
        },
        Allocate {
            op: 0,
            avs: 1,
            strat: 1,
            bps: 6_000,
            jitter: 7,
        },
        Allocate {
            op: 0,
            avs: 1,
            strat: 1,
            bps: 5_000,
            jitter: 0,
        },
        Slash {
            avs: 1,
            op: 0,
            mask: 3,
            bps: 10_000,
        },
        Deposit {
            who: 1,
            strat: 1,
            amount: 1,
        },
        Undelegate { who: 1 },
        Undelegate { who: 3 },
        Delegate { who: 1, op: 0 },
        Mine { n: 52 },
        Complete {
            i: 0,
            as_tokens: false,
            by_attacker: false,
        },
        Delegate { who: 1, op: 1 },
        Complete {
            i: 0,
            as_tokens: false,
            by_attacker: false,
        },
        Deposit {
            who: 1,
            strat: 1,
            amount: 1_000,
        },
        Donate {
            strat: 1,
            amount: 1 << 70,
        },
        Deposit {
            who: 2,
            strat: 1,
            amount: 3,
        },
        Queue {
            who: 1,
            strat: 1,
            bps: 10_050,
        },
        Queue {
            who: 1,
            strat: 1,
            bps: 0,
        },
    ]));
}

#[test]
fn rewards_submitted_posted_and_claimed_once() {
    use Step::*;
    must(run(&[
        Reward {
            avs: 0,
            strat: 0,
            amount: 1_000_000,
        },
        Reward {
            avs: 1,
            strat: 1,
            amount: 777,
        },
        Reward {
            avs: 1,
            strat: 1,
            amount: 0,
        },
        PostRoot { bps: 5_000 },
        Claim { who: 0 },
        Warp,
        Claim { who: 0 },
        Claim { who: 0 },
        Claim { who: 3 },
        Mine { n: 2 },
        PostRoot { bps: 10_000 },
        PostRoot { bps: 10_000 },
        Warp,
        Claim { who: 0 },
        Claim { who: 1 },
        Claim { who: 4 },
    ]));
}

/// Found by the property suite (seed 11): after a small slash, a staker with a large deposit
/// delegates and undelegates; the operator keeps 471 shares of rounding dust with no delegator
/// left. Chain and model agree exactly (EigenLayer's rounding); the invariant bounds the dust.
#[test]
fn operator_keeps_rounding_dust_after_its_last_delegator_leaves() {
    use Step::*;
    must(run(&[
        Allocate {
            op: 1,
            avs: 1,
            strat: 1,
            bps: 1,
            jitter: 0,
        },
        Deposit {
            who: 1,
            strat: 1,
            amount: 729_503_778_151_521_233_332,
        },
        Slash {
            avs: 1,
            op: 1,
            mask: 2,
            bps: 5_691,
        },
        Delegate { who: 1, op: 1 },
        Undelegate { who: 1 },
        Deposit {
            who: 4,
            strat: 1,
            amount: 1_097_714_308_752_448_395_040_052,
        },
    ]));
}
