//! The vault over the real StrategyManager, Strategy and DelegationManager (the DelegationManager
//! behind a native router that serves its three programs' selectors, as the proxy chain does on
//! chain) and a stand-in AllocationManager that keeps max magnitudes, operator-set allocations and
//! slashes through the DelegationManager.
//!
//! Expected values are computed here from the ERC-4626 formulas with the virtual offset
//! (`shares = assets · (supply + 1000) / (nav + 1)`), never read back from the vault.
use alloy_primitives::{uint, Address, U256};
use alloy_sol_types::SolCall;
use ferrostake_common::call;
use ferrostake_delegation_manager::DelegationManager;
use ferrostake_interfaces::{
    Allocation, IAllocationManager as IAM, IDelegationManager, IFerrostakeErrors, ILrtDelegator,
    ILrtVault as V, OperatorSet,
};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_strategy::Strategy;
use ferrostake_strategy_manager::StrategyManager;
use ferrostake_test_erc20::TestErc20;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::IErc20;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU64, StorageVec},
    ArbResult,
};

use super::*;
use crate::delegator::LrtDelegator;

/// The real DelegationManager with the routers of its core, withdrawals and view programs in one
/// fallback (natively a delegatecall chain cannot run the other programs).
#[storage]
struct Dm {
    dm: DelegationManager,
}

unsafe impl TopLevelStorage for Dm {}

#[public]
impl Dm {
    #[fallback]
    fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Some(out) = self.dm.serve_core(calldata) {
            return out;
        }
        if let Some(out) = self.dm.serve_withdrawals(calldata) {
            return out;
        }
        if let Some(out) = self.dm.serve_view(calldata) {
            return out;
        }
        Err(Vec::new())
    }
}

const WAD64: u64 = 1_000_000_000_000_000_000;
const SET_ID: u32 = 1;

/// AllocationManager stand-in: one max magnitude per operator (WAD until slashed), operator sets
/// (all with id 1) with one allocated magnitude each, and `slash`, which lowers the max magnitude
/// and calls `slashOperatorShares` as the real one does.
#[storage]
struct MockAllocation {
    delegation: StorageAddress,
    /// Operator → WAD − max magnitude (so zero means WAD).
    slashed: StorageMap<Address, StorageU64>,
    /// Operator → AVSs of its allocated sets.
    sets: StorageMap<Address, StorageVec<StorageAddress>>,
    /// Operator → AVS → allocated magnitude.
    allocated: StorageMap<Address, StorageMap<Address, StorageU64>>,
    /// An operator with a pending queued (guarded) slash.
    pending_slash: StorageAddress,
}

unsafe impl TopLevelStorage for MockAllocation {}

impl MockAllocation {
    fn max_of(&self, operator: Address) -> u64 {
        WAD64 - self.slashed.get(operator).to::<u64>()
    }
}

#[public]
impl MockAllocation {
    fn init(&mut self, delegation: Address) {
        self.delegation.set(delegation);
    }

    fn allocate_to(&mut self, operator: Address, avs: Address, magnitude: u64) {
        if self.allocated.getter(operator).get(avs).is_zero() {
            self.sets.setter(operator).push(avs);
        }
        self.allocated
            .setter(operator)
            .setter(avs)
            .set(alloy_primitives::U64::from(magnitude));
    }

    #[selector(name = "setAllocationDelay")]
    fn set_allocation_delay(&mut self, _operator: Address, _delay: u32) {}

    /// Marks `operator` as having a pending queued slash (zero: none).
    fn set_pending_slash(&mut self, operator: Address) {
        self.pending_slash.set(operator);
    }

    #[selector(name = "getWithdrawalSlashHold")]
    fn get_withdrawal_slash_hold(&self, operator: Address, until: u32) -> (bool, u32) {
        (
            !operator.is_zero() && operator == self.pending_slash.get(),
            until,
        )
    }

    #[selector(name = "getMaxMagnitudes")]
    fn get_max_magnitudes(&self, operator: Address, strategies: Vec<Address>) -> Vec<u64> {
        strategies.iter().map(|_| self.max_of(operator)).collect()
    }

    #[selector(name = "getMaxMagnitudesAtBlock")]
    fn get_max_magnitudes_at_block(
        &self,
        operator: Address,
        strategies: Vec<Address>,
        _block: u32,
    ) -> Vec<u64> {
        strategies.iter().map(|_| self.max_of(operator)).collect()
    }

    #[selector(name = "getRedistributionRecipient")]
    fn get_redistribution_recipient(&self, _set: (Address, u32)) -> Address {
        Address::ZERO
    }

    /// Slashes `wad` (of 1e18) of `operator`'s magnitude for `strategy`.
    fn slash(&mut self, operator: Address, strategy: Address, wad: u64) -> Result<(), Revert> {
        let prev = self.max_of(operator);
        let cut = (prev as u128 * wad as u128).div_ceil(WAD64 as u128) as u64;
        let new = prev - cut;
        self.slashed
            .setter(operator)
            .set(alloy_primitives::U64::from(WAD64 - new));
        call::call(
            self.delegation.get(),
            &IDelegationManager::slashOperatorSharesCall {
                operator,
                operatorSet: OperatorSet {
                    avs: Address::repeat_byte(0xa5),
                    id: SET_ID,
                },
                slashId: U256::from(1u8),
                strategy,
                prevMaxMagnitude: prev,
                newMaxMagnitude: new,
            },
        )?;
        Ok(())
    }

    /// `getAllocatedSets` and `getAllocation` (struct returns, encoded with alloy).
    #[fallback]
    fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Ok(c) = IAM::getAllocatedSetsCall::abi_decode(calldata, true) {
            let sets = self.sets.getter(c.operator);
            let out: Vec<OperatorSet> = (0..sets.len())
                .map(|i| OperatorSet {
                    avs: sets.get(i).unwrap_or_default(),
                    id: SET_ID,
                })
                .collect();
            return Ok(IAM::getAllocatedSetsCall::abi_encode_returns(&(out,)));
        }
        if let Ok(c) = IAM::getAllocationCall::abi_decode(calldata, true) {
            let mag = self
                .allocated
                .getter(c.operator)
                .get(c.operatorSet.avs)
                .to::<u64>();
            return Ok(IAM::getAllocationCall::abi_encode_returns(&(Allocation {
                currentMagnitude: mag,
                pendingDiff: 0,
                effectBlock: 0,
            },)));
        }
        Err(Vec::new())
    }
}

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
const ADMIN: Address = Address::new([0xad; 20]);
const MANAGER: Address = Address::new([0x3a; 20]);
const GUARDIAN: Address = Address::new([0x6a; 20]);
const KEEPER: Address = Address::new([0x4e; 20]);
const TREASURY: Address = Address::new([0x7e; 20]);
const DAY: u64 = 86_400;
const V_SHARES: u64 = 1_000;

fn e18(n: u64) -> U256 {
    E18 * U256::from(n)
}

/// ERC-4626 with the virtual offset, computed independently of the crate.
fn shares_for(assets: U256, nav: U256, supply: U256) -> U256 {
    assets * (supply + U256::from(V_SHARES)) / (nav + U256::from(1u8))
}

fn assets_for(shares: U256, nav: U256, supply: U256) -> U256 {
    shares * (nav + U256::from(1u8)) / (supply + U256::from(V_SHARES))
}

fn next_block() {
    crate::test_clock::advance(1, 12);
}

struct World {
    token: Address,
    strategy: Address,
    d1: Address,
    d2: Address,
}

#[allow(clippy::too_many_arguments)]
fn setup(
    vault: &Contract<LrtVault>,
    dm: &Contract<Dm>,
    sm: &Contract<StrategyManager>,
    am: &Contract<MockAllocation>,
    reg: &Contract<PauserRegistry>,
    strat: &Contract<Strategy>,
    token: &Contract<TestErc20>,
    d1: &Contract<LrtDelegator>,
    d2: &Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
) -> World {
    reg.sender(ADMIN)
        .initialize(vec![ADMIN], ADMIN)
        .motsu_unwrap();
    let any = reg.address();
    sm.sender(ADMIN)
        .initialize(
            dm.address(),
            am.address(),
            reg.address(),
            any,
            ADMIN,
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap();
    dm.sender(ADMIN)
        .dm
        .initialize(
            sm.address(),
            Address::ZERO,
            am.address(),
            reg.address(),
            Address::ZERO,
            any,
            any,
            0,
            U256::ZERO,
        )
        .motsu_unwrap();
    am.sender(ADMIN).init(dm.address());
    strat
        .sender(ADMIN)
        .initialize(sm.address(), reg.address(), token.address())
        .motsu_unwrap();
    sm.sender(ADMIN)
        .add_strategies_to_deposit_whitelist(vec![strat.address()])
        .motsu_unwrap();
    for op in [op1, op2] {
        dm.sender(op)
            .dm
            .register_as_operator(Address::ZERO, 0, "ipfs://op".into())
            .motsu_unwrap();
    }
    d1.sender(ADMIN).initialize(vault.address()).motsu_unwrap();
    d2.sender(ADMIN).initialize(vault.address()).motsu_unwrap();
    vault
        .sender(ADMIN)
        .initialize(
            V::LrtVaultAddresses {
                asset: token.address(),
                strategy: strat.address(),
                strategyManager: sm.address(),
                delegationManager: dm.address(),
                allocationManager: am.address(),
                opsImplementation: any,
                adminImplementation: any,
                restakeImplementation: any,
                admin: ADMIN,
                manager: MANAGER,
                guardian: GUARDIAN,
                keeper: KEEPER,
                treasury: TREASURY,
            },
            V::LrtVaultParams {
                maxPerformanceFeeBips: 3_000,
                performanceFeeBips: 1_000,
                maxPauseDuration: 3 * DAY,
                keeperStaleAfter: 2 * DAY,
                maxSyncIncreaseBips: 500,
                depositCapPerPeriod: e18(1_000),
                period: DAY,
                minRequest: U256::from(1_000u64),
                maxRequest: U256::ZERO,
                maxOperatorBips: 10_000,
                maxOperatorSetBips: 10_000,
            },
            vec![d1.address(), d2.address()],
            "Restaked Test".into(),
            "rTST".into(),
        )
        .motsu_unwrap();
    vault
        .sender(MANAGER)
        .set_operator_weights(vec![op1, op2], vec![5_000, 5_000])
        .motsu_unwrap();
    next_block();
    World {
        token: token.address(),
        strategy: strat.address(),
        d1: d1.address(),
        d2: d2.address(),
    }
}

macro_rules! world {
    ($vault:ident, $dm:ident, $sm:ident, $am:ident, $reg:ident, $strat:ident, $token:ident, $d1:ident, $d2:ident, $op1:ident, $op2:ident) => {
        setup(
            &$vault, &$dm, &$sm, &$am, &$reg, &$strat, &$token, &$d1, &$d2, $op1, $op2,
        )
    };
}

fn fund(token: &Contract<TestErc20>, vault: &Contract<LrtVault>, who: Address, amount: U256) {
    token.sender(who).mint(who, amount).motsu_unwrap();
    token
        .sender(who)
        .approve(vault.address(), U256::MAX)
        .motsu_unwrap();
}

fn deposit(
    token: &Contract<TestErc20>,
    vault: &Contract<LrtVault>,
    who: Address,
    amount: U256,
) -> U256 {
    fund(token, vault, who, amount);
    vault.sender(who).deposit(amount, who).motsu_unwrap()
}

fn rate(vault: &Contract<LrtVault>) -> U256 {
    vault.sender(ADMIN).get_rate().motsu_unwrap()
}

fn total_assets(vault: &Contract<LrtVault>) -> U256 {
    vault.sender(ADMIN).total_assets().motsu_unwrap()
}

#[motsu::test]
fn deposit_prices_with_the_virtual_offset_and_allocation_restakes_by_weight(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    assert_eq!(vault.sender(alice).decimals(), 18 + 3);
    assert_eq!(vault.sender(alice).name(), "Restaked Test");
    assert_eq!(vault.sender(alice).asset(), w.token);
    assert_eq!(vault.sender(alice).share(), vault.address());
    assert_eq!(vault.sender(alice).delegator_of(op1), w.d1);
    assert_eq!(vault.sender(alice).delegator_of(op2), w.d2);
    assert_eq!(dm.sender(alice).dm.delegated_to_of(w.d1), op1);
    assert_eq!(dm.sender(alice).dm.delegated_to_of(w.d2), op2);

    let amount = e18(10);
    let expected = shares_for(amount, U256::ZERO, U256::ZERO);
    assert_eq!(
        vault.sender(alice).preview_deposit(amount).motsu_unwrap(),
        expected
    );
    let shares = deposit(&token, &vault, alice, amount);
    assert_eq!(shares, expected);
    assert_eq!(vault.sender(alice).balance_of(alice), expected);
    assert_eq!(vault.sender(alice).total_supply(), expected);
    assert_eq!(total_assets(&vault), amount);
    vault.assert_emitted(&V::Deposit {
        sender: alice,
        owner: alice,
        assets: amount,
        shares: expected,
    });

    let rate_before = rate(&vault);
    vault.sender(KEEPER).allocate(e18(6)).motsu_unwrap();
    // Half to each operator's delegator, restaked 1:1 in the fresh strategy.
    for d in [w.d1, w.d2] {
        let (withdrawable, _) = dm
            .sender(alice)
            .dm
            .get_withdrawable_shares(d, vec![w.strategy])
            .motsu_unwrap();
        assert_eq!(withdrawable, vec![e18(3)]);
    }
    assert_eq!(
        dm.sender(alice).dm.operator_shares_of(op1, w.strategy),
        e18(3)
    );
    let (book, live, idle, liabilities) = vault.sender(alice).nav_breakdown().motsu_unwrap();
    assert_eq!(
        (book, live, idle, liabilities),
        (amount, amount, e18(4), U256::ZERO)
    );
    assert_eq!(
        rate(&vault),
        rate_before,
        "allocation does not move the rate"
    );
    assert_eq!(token.sender(alice).balance_of(vault.address()), e18(4));

    // A second depositor pays the same price.
    let bob = Address::repeat_byte(0xb0);
    let expected_bob = shares_for(e18(5), amount, shares);
    assert_eq!(deposit(&token, &vault, bob, e18(5)), expected_bob);

    // Only the keeper or the manager allocates; never more than is idle.
    let err = vault.sender(alice).allocate(E18).motsu_unwrap_err();
    assert!(err.is::<V::OnlyKeeper>());
    let err = vault.sender(MANAGER).allocate(e18(10)).motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::InsufficientLiquidity>()
            .map(|e| (e.available, e.needed)),
        Some((e18(9), e18(10)))
    );
}

#[motsu::test]
fn rounding_favours_the_vault_and_previews_match_actions(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    bob: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    deposit(&token, &vault, alice, U256::from(1_000_003u64));
    // Make the price uneven: a synced donation of 7 wei.
    token
        .sender(alice)
        .mint(vault.address(), U256::from(7u8))
        .motsu_unwrap();
    vault.sender(alice).sync_nav().motsu_unwrap();
    let nav = total_assets(&vault);
    let supply = vault.sender(alice).total_supply();
    assert_eq!(nav, U256::from(1_000_010u64));

    // mint: cost rounds up; deposit: shares round down.
    let want = U256::from(123_457u64);
    let cost_num = want * (nav + U256::from(1u8));
    let den = supply + U256::from(V_SHARES);
    let cost = cost_num.div_ceil(den);
    assert_eq!(vault.sender(bob).preview_mint(want).motsu_unwrap(), cost);
    assert!(
        vault.sender(bob).convert_to_assets(want).motsu_unwrap() < cost,
        "convertToAssets rounds down, previewMint up"
    );
    fund(&token, &vault, bob, cost);
    assert_eq!(vault.sender(bob).mint(want, bob).motsu_unwrap(), cost);
    assert_eq!(vault.sender(bob).balance_of(bob), want);
    assert_eq!(token.sender(bob).balance_of(bob), U256::ZERO);

    let nav = total_assets(&vault);
    let supply = vault.sender(bob).total_supply();
    let assets = U256::from(99_999u64);
    let preview = vault.sender(bob).preview_deposit(assets).motsu_unwrap();
    assert_eq!(preview, shares_for(assets, nav, supply));
    fund(&token, &vault, bob, assets);
    assert_eq!(
        vault.sender(bob).deposit(assets, bob).motsu_unwrap(),
        preview
    );

    // Asynchronous redemption only.
    let err = vault.sender(bob).preview_redeem(E18).motsu_unwrap_err();
    assert!(err.is::<V::AsyncRedeemOnly>());
    let err = vault.sender(bob).preview_withdraw(E18).motsu_unwrap_err();
    assert!(err.is::<V::AsyncRedeemOnly>());
}

#[motsu::test]
fn donation_cannot_steal_the_next_deposit_and_only_enters_through_a_bounded_sync(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    attacker: Address,
    victim: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let attacker_shares = deposit(&token, &vault, attacker, U256::from(1u8));
    assert_eq!(attacker_shares, U256::from(V_SHARES));
    // Donate 10 tokens straight to the vault: the rate does not move.
    let rate_before = rate(&vault);
    token
        .sender(attacker)
        .mint(vault.address(), e18(10))
        .motsu_unwrap();
    assert_eq!(rate(&vault), rate_before);
    assert_eq!(total_assets(&vault), U256::from(1u8));
    // Nor can it be synced in: far beyond the 5% bound.
    let err = vault.sender(attacker).sync_nav().motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::SyncMoveTooLarge>()
            .map(|e| (e.previousNav, e.newNav)),
        Some((U256::from(1u8), e18(10) + U256::from(1u8)))
    );
    // Deposits price at the measured value (the donation included, finding 2), so the victim
    // buys at 10 tokens + 1 wei of NAV; the 1e3 virtual shares own most of the donation, so the
    // attack costs the attacker far more than the victim loses to rounding (ERC-4626's virtual
    // offset argument).
    let nav = e18(10) + U256::from(1u8);
    let victim_shares = deposit(&token, &vault, victim, E18);
    assert_eq!(victim_shares, shares_for(E18, nav, attacker_shares));
    let supply = attacker_shares + victim_shares;
    let victim_value = assets_for(victim_shares, nav + E18, supply);
    let attacker_value = assets_for(attacker_shares, nav + E18, supply);
    let victim_loss = E18 - victim_value;
    let attacker_loss = nav - attacker_value;
    assert!(
        victim_loss < E18 / U256::from(100u8),
        "victim lost {victim_loss}"
    );
    assert!(
        attacker_loss > victim_loss * U256::from(1_000u32),
        "attacker lost {attacker_loss}, victim {victim_loss}"
    );
}

#[motsu::test]
fn redeem_request_finalize_claim_with_controllers_and_operators(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    helper: Address,
    receiver: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let shares = deposit(&token, &vault, alice, e18(4));
    // Not in the deposit's transaction (same block here), and not via a transfer either.
    let err = vault
        .sender(alice)
        .request_redeem(shares, alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::DepositAndRequestInSameTransaction>());
    vault
        .sender(alice)
        .transfer(helper, U256::from(5_000u64))
        .motsu_unwrap();
    let err = vault
        .sender(helper)
        .request_redeem(U256::from(5_000u64), helper, helper)
        .motsu_unwrap_err();
    assert!(err.is::<V::DepositAndRequestInSameTransaction>());
    next_block();

    // A third party needs approval (operator or allowance).
    let half = shares / U256::from(2u8);
    let err = vault
        .sender(helper)
        .request_redeem(half, alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::ERC20InsufficientAllowance>());
    vault
        .sender(alice)
        .set_operator(helper, true)
        .motsu_unwrap();
    assert!(vault.sender(alice).is_operator(alice, helper));
    let id = vault
        .sender(helper)
        .request_redeem(half, alice, alice)
        .motsu_unwrap();
    assert_eq!(id, U256::from(1u8));
    vault.assert_emitted(&V::RedeemRequest {
        controller: alice,
        owner: alice,
        requestId: id,
        sender: helper,
        shares: half,
    });
    assert_eq!(vault.sender(alice).pending_redeem_request(id, alice), half);
    assert_eq!(
        vault.sender(alice).pending_redeem_request(id, helper),
        U256::ZERO
    );
    assert_eq!(
        vault.sender(alice).claimable_redeem_request(id, alice),
        U256::ZERO
    );
    assert_eq!(vault.sender(alice).balance_of(vault.address()), half);
    let value = assets_for(half, e18(4), shares);
    assert_eq!(
        vault.sender(alice).request_info(id),
        (alice, half, value, false)
    );

    // Only the keeper finalizes; not past the last request.
    let err = vault.sender(alice).finalize_requests(id).motsu_unwrap_err();
    assert!(err.is::<V::OnlyKeeper>());
    let err = vault
        .sender(KEEPER)
        .finalize_requests(U256::from(2u8))
        .motsu_unwrap_err();
    assert!(err.is::<V::RequestNotFinalizable>());
    let supply = vault.sender(alice).total_supply();
    let rate_before = rate(&vault);
    vault.sender(KEEPER).finalize_requests(id).motsu_unwrap();
    assert!(rate(&vault) >= rate_before);
    assert_eq!(vault.sender(alice).total_supply(), supply - half);
    assert_eq!(
        vault.sender(alice).pending_redeem_request(id, alice),
        U256::ZERO
    );
    assert_eq!(
        vault.sender(alice).claimable_redeem_request(id, alice),
        half
    );
    assert_eq!(vault.sender(alice).max_redeem(alice), half);
    assert_eq!(vault.sender(alice).max_withdraw(alice), value);
    let (_, _, idle, liabilities) = vault.sender(alice).nav_breakdown().motsu_unwrap();
    assert_eq!((idle, liabilities), (e18(4), value));
    assert_eq!(total_assets(&vault), e18(4) - value);

    // Claims: only the controller or its operator; no more than claimable.
    let err = vault
        .sender(receiver)
        .redeem(half, receiver, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::NotController>());
    let err = vault
        .sender(alice)
        .redeem(half + U256::from(1u8), receiver, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::RequestNotClaimable>());
    // Withdraw a third of the assets: shares round up.
    let part = value / U256::from(3u8);
    let part_shares = (part * half).div_ceil(value);
    assert_eq!(
        vault
            .sender(helper)
            .withdraw(part, receiver, alice)
            .motsu_unwrap(),
        part_shares
    );
    assert_eq!(token.sender(alice).balance_of(receiver), part);
    // Redeem the rest: the remainder exactly.
    let rest = half - part_shares;
    assert_eq!(
        vault
            .sender(alice)
            .redeem(rest, receiver, alice)
            .motsu_unwrap(),
        value - part
    );
    assert_eq!(token.sender(alice).balance_of(receiver), value);
    assert_eq!(vault.sender(alice).max_redeem(alice), U256::ZERO);
    let (_, _, idle, liabilities) = vault.sender(alice).nav_breakdown().motsu_unwrap();
    assert_eq!((idle, liabilities), (e18(4) - value, U256::ZERO));
}

#[motsu::test]
fn slashing_while_requests_are_pending_is_borne_by_them_and_moves_the_rate_by_the_slash(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    bob: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let a = deposit(&token, &vault, alice, e18(10));
    let b = deposit(&token, &vault, bob, e18(10));
    vault.sender(KEEPER).allocate(e18(10)).motsu_unwrap();
    next_block();
    let id = vault
        .sender(alice)
        .request_redeem(a, alice, alice)
        .motsu_unwrap();
    let at_request = assets_for(a, e18(20), a + b);

    // The AVS slashes op1 by half: its 5 restaked tokens lose 2.5.
    am.sender(ADMIN)
        .slash(op1, w.strategy, WAD64 / 2)
        .motsu_unwrap();
    let nav = total_assets(&vault);
    let after_slash = e18(35) / U256::from(2u8);
    assert_eq!(
        nav, after_slash,
        "the rate falls at once, by the slashed share"
    );
    let expected_rate = assets_for(E18, nav, a + b);
    assert_eq!(rate(&vault), expected_rate);

    // The pending request bears its part: it is paid its value after the slash.
    vault.sender(KEEPER).finalize_requests(id).motsu_unwrap();
    let paid = assets_for(a, after_slash, a + b);
    assert!(paid < at_request);
    assert_eq!(vault.sender(alice).max_withdraw(alice), paid);
    // The remaining holder keeps exactly the rest.
    assert_eq!(total_assets(&vault), after_slash - paid);
    assert_eq!(vault.sender(bob).total_supply(), b);
    // The slash is booked by a sync; no fee below the high-water mark.
    vault.sender(bob).sync_nav().motsu_unwrap();
    assert_eq!(vault.sender(bob).balance_of(TREASURY), U256::ZERO);
    let (book, live, _, _) = vault.sender(bob).nav_breakdown().motsu_unwrap();
    assert_eq!(book, live);
}

#[motsu::test]
fn gains_after_a_request_stay_with_holders_and_fees_are_minted_on_sync(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    bob: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let a = deposit(&token, &vault, alice, e18(10));
    let b = deposit(&token, &vault, bob, e18(10));
    vault.sender(KEEPER).allocate(e18(20)).motsu_unwrap();
    next_block();
    let id = vault
        .sender(alice)
        .request_redeem(a, alice, alice)
        .motsu_unwrap();
    let at_request = assets_for(a, e18(20), a + b);
    // Rewards: the strategy's tokens grow by 4% (20 restaked → 20.8).
    let rate_before = rate(&vault);
    token
        .sender(alice)
        .mint(w.strategy, e18(8) / U256::from(10u8))
        .motsu_unwrap();
    assert_eq!(rate(&vault), rate_before, "gains wait for the sync");
    let (_, live, _, _) = vault.sender(alice).nav_breakdown().motsu_unwrap();
    assert!(live > e18(20));
    let nav = vault.sender(bob).sync_nav().motsu_unwrap();
    assert_eq!(nav, live);
    // Fee: 10% of the gain, as shares worth it, to the treasury.
    let fee_shares = vault.sender(bob).balance_of(TREASURY);
    assert!(!fee_shares.is_zero());
    let supply = a + b + fee_shares;
    let fee_value = assets_for(fee_shares, nav, supply);
    let gain = nav - e18(20);
    // The fee is priced from the rate (assets per 1e18 shares), so it may fall short of a tenth
    // of the gain by the rate's granularity, never exceed it.
    let tenth = gain / U256::from(10u8);
    assert!(
        fee_value <= tenth && fee_value + tenth / U256::from(1_000_000_000_000u64) >= tenth,
        "fee {fee_value} vs gain {gain}"
    );
    assert!(rate(&vault) > rate_before);

    // Alice asked to leave before the gain: she is paid the value at request.
    vault.sender(KEEPER).allocate(U256::ZERO).motsu_unwrap_err();
    let err = vault
        .sender(KEEPER)
        .finalize_requests(id)
        .motsu_unwrap_err();
    assert!(
        err.is::<V::InsufficientLiquidity>(),
        "everything is restaked"
    );
    // Liquidity arrives (a new deposit), then finalization pays min(request, now) = request.
    deposit(&token, &vault, bob, e18(12));
    vault.sender(KEEPER).finalize_requests(id).motsu_unwrap();
    assert_eq!(vault.sender(alice).max_withdraw(alice), at_request);

    // The fee setter is bounded by the immutable maximum.
    let err = vault
        .sender(ADMIN)
        .set_performance_fee(3_001)
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::FeeAboveMaximum>()
            .map(|e| (e.fee, e.maximum)),
        Some((3_001, 3_000))
    );
    let err = vault
        .sender(MANAGER)
        .set_performance_fee(100)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
}

#[motsu::test]
fn rate_never_falls_without_slashing(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    bob: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let mut last = rate(&vault);
    let mut check = |what: &str| {
        let r = rate(&vault);
        assert!(r >= last, "{what}: rate fell from {last} to {r}");
        last = r;
    };
    let mut seed = 0x9e37_79b9u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..12 {
        let who = if round % 2 == 0 { alice } else { bob };
        let amount = U256::from(next() % 5_000_000_000_000_000_000 + 1_000);
        deposit(&token, &vault, who, amount);
        check("deposit");
        let idle = vault.sender(who).nav_breakdown().motsu_unwrap().2;
        if next() % 2 == 0 && idle > U256::from(10u8) {
            vault
                .sender(KEEPER)
                .allocate(idle / U256::from(3u8))
                .motsu_unwrap();
            check("allocate");
        }
        if next() % 3 == 0 {
            token
                .sender(who)
                .mint(w.strategy, U256::from(next() % 1_000_000_000))
                .motsu_unwrap();
            vault.sender(who).sync_nav().motsu_unwrap();
            check("sync");
        }
        next_block();
        let bal = vault.sender(who).balance_of(who);
        let ask = bal / U256::from(1 + next() % 4);
        if ask >= U256::from(1_000u64) {
            let id = vault
                .sender(who)
                .request_redeem(ask, who, who)
                .motsu_unwrap();
            check("request");
            if vault
                .sender(KEEPER)
                .finalize_requests(id)
                .motsu_res()
                .is_ok()
            {
                check("finalize");
                let max = vault.sender(who).max_redeem(who);
                vault.sender(who).redeem(max, who, who).motsu_unwrap();
                check("claim");
            }
        }
    }
}

#[motsu::test]
fn caps_and_request_bounds(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let err = vault
        .sender(alice)
        .set_caps(e18(5), DAY, U256::from(10u8), U256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<V::OnlyManager>());
    vault
        .sender(MANAGER)
        .set_caps(e18(5), DAY, U256::from(2_000u64), e18(3_000))
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).max_deposit(alice), e18(5));
    deposit(&token, &vault, alice, e18(3));
    assert_eq!(vault.sender(alice).max_deposit(alice), e18(2));
    let expected_max_mint = shares_for(e18(2), e18(3), vault.sender(alice).total_supply());
    assert_eq!(
        vault.sender(alice).max_mint(alice).motsu_unwrap(),
        expected_max_mint
    );
    fund(&token, &vault, alice, e18(3));
    let supply = vault.sender(alice).total_supply();
    let err = vault
        .sender(alice)
        .deposit(e18(3), alice)
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::DepositCapExceeded>().map(|e| e.available),
        Some(e18(2))
    );
    assert_eq!(
        vault.sender(alice).total_supply(),
        supply,
        "state unchanged"
    );
    // A new period refills the cap.
    crate::test_clock::advance(1, DAY);
    assert_eq!(vault.sender(alice).max_deposit(alice), e18(5));
    vault.sender(alice).deposit(e18(3), alice).motsu_unwrap();
    next_block();

    // Request size bounds.
    let err = vault
        .sender(alice)
        .request_redeem(U256::from(1_999u64), alice, alice)
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::RequestSizeOutOfBounds>()
            .map(|e| (e.shares, e.minimum, e.maximum)),
        Some((U256::from(1_999u64), U256::from(2_000u64), e18(3_000)))
    );
    let err = vault
        .sender(alice)
        .request_redeem(e18(3_001), alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::RequestSizeOutOfBounds>());
    vault
        .sender(alice)
        .request_redeem(U256::from(2_000u64), alice, alice)
        .motsu_unwrap();
    let err = vault
        .sender(MANAGER)
        .set_caps(e18(5), DAY, U256::from(10u8), U256::from(9u8))
        .motsu_unwrap_err();
    assert!(err.is::<V::RequestSizeOutOfBounds>());
}

#[motsu::test]
fn pause_flags_are_per_action_time_boxed_and_zero_the_max_views(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let shares = deposit(&token, &vault, alice, e18(2));
    next_block();
    let id = vault
        .sender(alice)
        .request_redeem(shares / U256::from(2u8), alice, alice)
        .motsu_unwrap();
    vault.sender(KEEPER).finalize_requests(id).motsu_unwrap();
    assert!(!vault.sender(alice).max_redeem(alice).is_zero());

    let err = vault
        .sender(alice)
        .pause_action(ACTION_DEPOSIT, DAY)
        .motsu_unwrap_err();
    assert!(err.is::<V::OnlyGuardian>());
    let err = vault
        .sender(GUARDIAN)
        .pause_action(4, DAY)
        .motsu_unwrap_err();
    assert_eq!(err.decode::<V::InvalidAction>().map(|e| e.action), Some(4));
    // Asked for 30 days, capped at the 3-day maximum.
    let now = crate::test_clock::time();
    vault
        .sender(GUARDIAN)
        .pause_action(ACTION_DEPOSIT, 30 * DAY)
        .motsu_unwrap();
    assert_eq!(
        vault.sender(alice).paused_until_of(ACTION_DEPOSIT),
        now + 3 * DAY
    );
    vault.assert_emitted(&V::ActionPaused {
        action: ACTION_DEPOSIT,
        until: now + 3 * DAY,
    });
    assert_eq!(vault.sender(alice).max_deposit(alice), U256::ZERO);
    assert_eq!(
        vault.sender(alice).max_mint(alice).motsu_unwrap(),
        U256::ZERO
    );
    fund(&token, &vault, alice, E18);
    let err = vault.sender(alice).deposit(E18, alice).motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::ActionIsPaused>().map(|e| e.action),
        Some(ACTION_DEPOSIT)
    );
    let err = vault.sender(alice).mint(E18, alice).motsu_unwrap_err();
    assert!(err.is::<V::ActionIsPaused>());
    // Other actions still run.
    assert!(!vault.sender(alice).max_redeem(alice).is_zero());
    vault
        .sender(GUARDIAN)
        .pause_action(ACTION_CLAIM, DAY)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).max_redeem(alice), U256::ZERO);
    assert_eq!(vault.sender(alice).max_withdraw(alice), U256::ZERO);
    let err = vault
        .sender(alice)
        .redeem(U256::from(1u8), alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::ActionIsPaused>());
    vault
        .sender(GUARDIAN)
        .pause_action(ACTION_REQUEST, DAY)
        .motsu_unwrap();
    let err = vault
        .sender(alice)
        .request_redeem(U256::from(5_000u64), alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<V::ActionIsPaused>());
    vault
        .sender(GUARDIAN)
        .pause_action(ACTION_ALLOCATE, DAY)
        .motsu_unwrap();
    let err = vault.sender(KEEPER).allocate(E18).motsu_unwrap_err();
    assert!(err.is::<V::ActionIsPaused>());

    // Only the admin lifts a pause early; the guardian's pause ends by itself.
    let err = vault
        .sender(GUARDIAN)
        .unpause_action(ACTION_CLAIM)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    vault
        .sender(ADMIN)
        .unpause_action(ACTION_CLAIM)
        .motsu_unwrap();
    assert!(!vault.sender(alice).max_redeem(alice).is_zero());
    crate::test_clock::advance(1, 3 * DAY);
    assert!(!vault.sender(alice).max_deposit(alice).is_zero());
    vault.sender(alice).deposit(E18, alice).motsu_unwrap();
}

#[motsu::test]
fn anyone_finalizes_once_the_keeper_is_stale(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let shares = deposit(&token, &vault, alice, e18(2));
    next_block();
    let id = vault
        .sender(alice)
        .request_redeem(shares, alice, alice)
        .motsu_unwrap();
    let err = vault
        .sender(alice)
        .finalize_requests_when_stale(id)
        .motsu_unwrap_err();
    assert!(err.is::<V::KeeperNotStale>());
    crate::test_clock::advance(1, 2 * DAY);
    vault
        .sender(alice)
        .finalize_requests_when_stale(id)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).max_redeem(alice), shares);
    vault
        .sender(alice)
        .redeem(shares, alice, alice)
        .motsu_unwrap();
    assert_eq!(
        token.sender(alice).balance_of(alice),
        assets_for(shares, e18(2), shares)
    );
}

#[motsu::test]
fn exposure_limits_per_operator_and_operator_set(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    deposit(&token, &vault, alice, e18(10));
    vault
        .sender(ADMIN)
        .set_exposure_limits(4_000, 3_000)
        .motsu_unwrap();
    let err = vault
        .sender(ADMIN)
        .set_exposure_limits(10_001, 0)
        .motsu_unwrap_err();
    assert!(err.is::<V::BipsAboveOne>());
    // 50/50 of 10 → 5 behind op1 > 40% of NAV.
    let err = vault.sender(KEEPER).allocate(e18(10)).motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::ExposureLimitExceeded>()
            .map(|e| (e.operator, e.atRisk, e.limit)),
        Some((op1, e18(5), e18(4)))
    );
    assert_eq!(
        vault.sender(alice).nav_breakdown().motsu_unwrap().2,
        e18(10),
        "state unchanged"
    );
    vault.sender(KEEPER).allocate(e18(8)).motsu_unwrap();

    // op1 allocates 60% of its magnitude to AVS A, op2 50% to AVS A and 20% to AVS B.
    let (avs_a, avs_b) = (Address::repeat_byte(0xaa), Address::repeat_byte(0xbb));
    am.sender(ADMIN).allocate_to(op1, avs_a, WAD64 / 10 * 6);
    am.sender(ADMIN).allocate_to(op2, avs_a, WAD64 / 2);
    am.sender(ADMIN).allocate_to(op2, avs_b, WAD64 / 5);
    let (avss, ids, amounts) = vault.sender(alice).slashable_exposure().motsu_unwrap();
    assert_eq!(avss, vec![avs_a, avs_b]);
    assert_eq!(ids, vec![SET_ID, SET_ID]);
    // A: 4·0.6 + 4·0.5 = 4.4; B: 4·0.2 = 0.8.
    assert_eq!(
        amounts,
        vec![e18(44) / U256::from(10u8), e18(8) / U256::from(10u8)]
    );
    // AVS A's 4.4 > 30% of 10: further allocation is refused (operators now allowed 50%).
    vault
        .sender(ADMIN)
        .set_exposure_limits(5_000, 3_000)
        .motsu_unwrap();
    let err = vault
        .sender(KEEPER)
        .allocate(U256::from(2_000u64))
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::ExposureLimitExceeded>().map(|e| e.operator),
        Some(avs_a)
    );
}

#[motsu::test]
fn queued_unstakes_stay_in_nav_and_bear_slashing(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    deposit(&token, &vault, alice, e18(10));
    vault.sender(KEEPER).allocate(e18(10)).motsu_unwrap();
    let err = vault
        .sender(alice)
        .queue_unstake(op1, e18(2))
        .motsu_unwrap_err();
    assert!(err.is::<V::OnlyKeeper>());
    let err = vault
        .sender(KEEPER)
        .queue_unstake(alice, e18(2))
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::UnknownOperator>().map(|e| e.operator),
        Some(alice)
    );
    let root = vault
        .sender(KEEPER)
        .queue_unstake(op1, e18(2))
        .motsu_unwrap();
    assert!(dm.sender(alice).dm.pending_withdrawals(root));
    assert_eq!(total_assets(&vault), e18(10), "queued shares still count");
    // Slashing reaches the queued withdrawal too: op1's 5 (3 staked + 2 queued) lose 20%.
    am.sender(ADMIN)
        .slash(op1, w.strategy, WAD64 / 5)
        .motsu_unwrap();
    assert_eq!(total_assets(&vault), e18(9));
    // Completion is the DelegationManager's to allow after its delay (natively the DM's clock
    // stays at block 0, so it refuses; the harness covers the matured path on the devnode).
    let (ws, _) = dm
        .sender(alice)
        .dm
        .get_queued_withdrawals(w.d1)
        .motsu_unwrap();
    let wd = ws[0].clone();
    let withdrawal = ferrostake_interfaces::Withdrawal {
        staker: wd.0,
        delegatedTo: wd.1,
        withdrawer: wd.2,
        nonce: wd.3,
        startBlock: wd.4,
        strategies: wd.5,
        scaledShares: wd.6,
    };
    let mut foreign = withdrawal.clone();
    foreign.staker = w.d2;
    let err = vault
        .sender(alice)
        .complete_unstake(op1, foreign)
        .motsu_unwrap_err();
    assert!(err.is::<V::InvalidWithdrawal>());
    let err = vault
        .sender(alice)
        .complete_unstake(op1, withdrawal)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::WithdrawalDelayNotElapsed>());
}

#[motsu::test]
fn management_guards(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    op3: Address,
    alice: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let err = vault
        .sender(alice)
        .set_operator_weights(vec![op1], vec![10_000])
        .motsu_unwrap_err();
    assert!(err.is::<V::OnlyManager>());
    let err = vault
        .sender(MANAGER)
        .set_operator_weights(vec![op1, op2], vec![5_000, 4_999])
        .motsu_unwrap_err();
    assert!(err.is::<V::WeightsMustSumToOne>());
    let err = vault
        .sender(MANAGER)
        .set_operator_weights(vec![op1, op1], vec![5_000, 5_000])
        .motsu_unwrap_err();
    assert!(err.is::<V::WeightsMustSumToOne>());
    let nine: Vec<Address> = (1..=9u8).map(Address::repeat_byte).collect();
    let mut weights = vec![1_000u16; 9];
    weights[0] = 2_000;
    let err = vault
        .sender(MANAGER)
        .set_operator_weights(nine, weights)
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::TooManyOperators>()
            .map(|e| (e.count, e.maximum)),
        Some((U256::from(9u8), U256::from(MAX_OPERATORS)))
    );
    // A third operator needs a free delegator: both are taken.
    dm.sender(op3)
        .dm
        .register_as_operator(Address::ZERO, 0, "ipfs://op3".into())
        .motsu_unwrap();
    let err = vault
        .sender(MANAGER)
        .set_operator_weights(vec![op1, op3], vec![5_000, 5_000])
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::TooManyOperators>().map(|e| e.maximum),
        Some(U256::from(2u8))
    );
    // Dropping op2 keeps its delegator and stake at weight zero.
    vault
        .sender(MANAGER)
        .set_operator_weights(vec![op1], vec![10_000])
        .motsu_unwrap();
    deposit(&token, &vault, alice, e18(2));
    vault.sender(KEEPER).allocate(e18(2)).motsu_unwrap();
    let (withdrawable, _) = dm
        .sender(alice)
        .dm
        .get_withdrawable_shares(w.d1, vec![w.strategy])
        .motsu_unwrap();
    assert_eq!(withdrawable, vec![e18(2)]);
    assert_eq!(vault.sender(alice).delegator_of(op2), w.d2);

    // Delegators only obey the vault.
    let err = d1
        .sender(alice)
        .execute(w.token, Vec::new().into())
        .motsu_unwrap_err();
    assert!(err.is::<ILrtDelegator::OnlyVault>());
    let err = d1.sender(alice).initialize(alice).motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());

    // Roles and implementations: admin only, no zero addresses.
    let err = vault
        .sender(alice)
        .set_roles(alice, alice, alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    // The implementations take the proxy's admin, not the vault's admin role.
    let err = vault
        .sender(ADMIN)
        .set_implementations(alice, alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OnlyProxyAdmin>());
    ferrostake_common::access::store_proxy_admin(vault.sender(ADMIN).vm(), TREASURY);
    let err = vault
        .sender(ADMIN)
        .set_implementations(alice, alice, alice)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OnlyProxyAdmin>());
    let err = vault
        .sender(TREASURY)
        .set_implementations(alice, alice, Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<V::ZeroAddress>());
    vault
        .sender(ADMIN)
        .set_roles(MANAGER, GUARDIAN, alice, TREASURY)
        .motsu_unwrap();
    vault
        .sender(alice)
        .finalize_requests(U256::ZERO)
        .motsu_unwrap_err();
}

#[motsu::test]
fn erc20_and_deposit_errors_leave_state_unchanged(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    bob: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let shares = deposit(&token, &vault, alice, E18);
    let err = vault
        .sender(alice)
        .transfer(bob, shares + U256::from(1u8))
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::ERC20InsufficientBalance>()
            .map(|e| (e.sender, e.balance, e.needed)),
        Some((alice, shares, shares + U256::from(1u8)))
    );
    let err = vault
        .sender(alice)
        .transfer(Address::ZERO, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<V::ERC20InvalidReceiver>());
    let err = vault
        .sender(alice)
        .approve(Address::ZERO, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<V::ERC20InvalidSpender>());
    let err = vault
        .sender(bob)
        .transfer_from(alice, bob, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<V::ERC20InsufficientAllowance>());
    vault
        .sender(alice)
        .approve(bob, U256::from(10u8))
        .motsu_unwrap();
    vault
        .sender(bob)
        .transfer_from(alice, bob, U256::from(4u8))
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).allowance(alice, bob), U256::from(6u8));
    assert_eq!(vault.sender(alice).balance_of(bob), U256::from(4u8));

    fund(&token, &vault, bob, E18);
    let expected = vault.sender(bob).preview_deposit(E18).motsu_unwrap();
    let err = vault
        .sender(bob)
        .deposit_with_min_shares(E18, bob, expected + U256::from(1u8))
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::SlippageExceeded>()
            .map(|e| (e.received, e.minimum)),
        Some((expected, expected + U256::from(1u8)))
    );
    assert_eq!(token.sender(bob).balance_of(bob), E18, "nothing taken");
    assert_eq!(
        vault
            .sender(bob)
            .deposit_with_min_shares(E18, bob, expected)
            .motsu_unwrap(),
        expected
    );
    let err = vault
        .sender(bob)
        .deposit(U256::ZERO, bob)
        .motsu_unwrap_err();
    assert!(err.is::<V::ZeroAssets>());
    let err = vault.sender(bob).mint(U256::ZERO, bob).motsu_unwrap_err();
    assert!(err.is::<V::ZeroAssets>());
    let err = vault
        .sender(bob)
        .deposit(U256::from(1u8), Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<V::ERC20InvalidReceiver>());
    next_block();
    let err = vault
        .sender(bob)
        .request_redeem(U256::ZERO, bob, bob)
        .motsu_unwrap_err();
    assert!(err.is::<V::ZeroShares>());
    let err = vault
        .sender(bob)
        .request_redeem(U256::from(5_000u64), Address::ZERO, bob)
        .motsu_unwrap_err();
    assert!(err.is::<V::ZeroAddress>());
    assert!(vault
        .sender(bob)
        .supports_interface(FixedBytes([0xe3, 0xbc, 0x4e, 0x65])));
    assert!(vault
        .sender(bob)
        .supports_interface(FixedBytes([0x62, 0x0e, 0xe8, 0xe4])));
    assert!(!vault
        .sender(bob)
        .supports_interface(FixedBytes([0xff, 0xff, 0xff, 0xff])));

    // initialize is one-shot.
    let err = vault
        .sender(ADMIN)
        .initialize(
            every_address(bob),
            zero_params(0),
            vec![],
            "x".into(),
            "x".into(),
        )
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
}

#[test]
fn every_extension_selector_has_one_program() {
    // The core serves ERC-20/4626/7540 itself; its fallback sends the admin and restake tables to
    // their programs and everything else to the ops program, so the tables must not overlap and
    // must not shadow a selector the core serves.
    let core = [
        V::depositCall::SELECTOR,
        V::mintCall::SELECTOR,
        V::requestRedeemCall::SELECTOR,
        V::redeemCall::SELECTOR,
        V::withdrawCall::SELECTOR,
        V::getRateCall::SELECTOR,
        V::transferCall::SELECTOR,
    ];
    for s in ADMIN_SELECTORS {
        assert!(!RESTAKE_SELECTORS.contains(&s));
        assert!(!core.contains(&s));
    }
    for s in RESTAKE_SELECTORS {
        assert!(!core.contains(&s));
    }
    // initialize must reach the admin program before the vault knows any program.
    assert!(ADMIN_SELECTORS.contains(&V::initializeCall::SELECTOR));
    for s in [
        V::setRewardsConfigCall::SELECTOR,
        V::rewardsConfigCall::SELECTOR,
        V::claimRewardsCall::SELECTOR,
        V::sweepTokenCall::SELECTOR,
    ] {
        assert!(ADMIN_SELECTORS.contains(&s));
    }
    assert!(RESTAKE_SELECTORS.contains(&V::allocateCall::SELECTOR));
    assert!(RESTAKE_SELECTORS.contains(&V::slashableExposureCall::SELECTOR));
}

/// Finding 10: a zero `keeperStaleAfter` would let anyone finalize and unstake at any time; it is
/// refused at initialization (there is no setter).
#[motsu::test]
fn a_zero_keeper_staleness_is_refused(vault: Contract<LrtVault>, bob: Address) {
    let err = vault
        .sender(ADMIN)
        .initialize(
            every_address(bob),
            zero_params(0),
            vec![],
            "x".into(),
            "x".into(),
        )
        .motsu_unwrap_err();
    assert!(err.is::<V::KeeperStaleAfterZero>());
}

/// Finding 2: a deposit made while a gain sits unsynced (here a donation beyond the sync bound)
/// is priced at the measured value, not the booked one, so it captures none of the gain.
#[motsu::test]
fn deposits_are_priced_at_the_measured_value(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
    bob: Address,
    donor: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let alice_shares = deposit(&token, &vault, alice, e18(10));
    // 20% donated: more than one sync may book (5%).
    token
        .sender(donor)
        .mint(vault.address(), e18(2))
        .motsu_unwrap();
    let err = vault.sender(bob).sync_nav().motsu_unwrap_err();
    assert!(err.is::<V::SyncMoveTooLarge>());
    assert_eq!(total_assets(&vault), e18(10), "booked NAV unchanged");
    fund(&token, &vault, bob, e18(6));
    let expected = shares_for(e18(6), e18(12), alice_shares);
    assert_eq!(
        vault.sender(bob).preview_deposit(e18(6)).motsu_unwrap(),
        expected
    );
    let bob_shares = vault.sender(bob).deposit(e18(6), bob).motsu_unwrap();
    assert_eq!(bob_shares, expected);
    // Booked 16, measured 18 (12.5% apart): still not syncable at once. Once the gain is booked,
    // bob's shares are worth what he paid (less rounding), not a share of alice's gain.
    let supply = alice_shares + bob_shares;
    let worth = assets_for(bob_shares, e18(18), supply);
    assert!(
        worth <= e18(6) && e18(6) - worth <= U256::from(1u8),
        "{worth}"
    );
}

/// Finding 3: while a queued slash of one of the vault's operators is pending, finalization is
/// refused (`SlashPending`) and nothing changes; once it resolves, finalization proceeds.
#[motsu::test]
fn redemptions_wait_for_a_pending_slash(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let shares = deposit(&token, &vault, alice, e18(2));
    next_block();
    let id = vault
        .sender(alice)
        .request_redeem(shares, alice, alice)
        .motsu_unwrap();
    am.sender(ADMIN).set_pending_slash(op2);
    let err = vault
        .sender(KEEPER)
        .finalize_requests(id)
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::SlashPending>().map(|e| e.operator),
        Some(op2)
    );
    assert!(
        vault.sender(alice).max_redeem(alice).is_zero(),
        "not finalized"
    );
    am.sender(ADMIN).set_pending_slash(Address::ZERO);
    vault.sender(KEEPER).finalize_requests(id).motsu_unwrap();
    assert_eq!(vault.sender(alice).max_redeem(alice), shares);
}

/// Finding 7: at most `MAX_PENDING_UNSTAKES` unstakes of one delegator queued by the vault and
/// not completed, so nobody can grow the queued withdrawals every priced action reads.
#[motsu::test]
fn pending_unstakes_per_delegator_are_bounded(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let _w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    deposit(&token, &vault, alice, e18(10));
    vault.sender(KEEPER).allocate(e18(10)).motsu_unwrap();
    for _ in 0..crate::MAX_PENDING_UNSTAKES {
        vault
            .sender(KEEPER)
            .queue_unstake(op1, U256::from(1_000_000u64))
            .motsu_unwrap();
    }
    let err = vault
        .sender(KEEPER)
        .queue_unstake(op1, U256::from(1_000_000u64))
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::TooManyPendingUnstakes>().map(|e| e.maximum),
        Some(U256::from(crate::MAX_PENDING_UNSTAKES))
    );
    // The other delegator has its own bound.
    vault
        .sender(KEEPER)
        .queue_unstake(op2, U256::from(1_000_000u64))
        .motsu_unwrap();
}

/// Finding 5: a delegator is recycled only once its operator is unweighted, no longer its
/// operator and it holds nothing; before that, `DelegatorInUse` and nothing changes.
#[motsu::test]
fn a_delegator_in_use_is_not_recycled(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    op1: Address,
    op2: Address,
    alice: Address,
) {
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let err = vault
        .sender(alice)
        .recycle_delegator(op1)
        .motsu_unwrap_err();
    assert!(err.is::<V::OnlyManager>());
    // Weighted and delegated to op1.
    let err = vault
        .sender(MANAGER)
        .recycle_delegator(op1)
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::DelegatorInUse>().map(|e| e.delegator),
        Some(w.d1)
    );
    // Unweighted, but still delegated to op1 (it never force-undelegated the delegator).
    vault
        .sender(MANAGER)
        .set_operator_weights(vec![op2], vec![10_000])
        .motsu_unwrap();
    let err = vault
        .sender(MANAGER)
        .recycle_delegator(op1)
        .motsu_unwrap_err();
    assert!(err.is::<V::DelegatorInUse>());
    assert_eq!(vault.sender(alice).delegator_of(op1), w.d1);
}

/// Every address of the vault's configuration set to `a`.
fn every_address(a: Address) -> V::LrtVaultAddresses {
    V::LrtVaultAddresses {
        asset: a,
        strategy: a,
        strategyManager: a,
        delegationManager: a,
        allocationManager: a,
        opsImplementation: a,
        adminImplementation: a,
        admin: a,
        manager: a,
        guardian: a,
        keeper: a,
        treasury: a,
        restakeImplementation: a,
    }
}

/// Vault parameters all zero but `keeperStaleAfter`.
fn zero_params(keeper_stale_after: u64) -> V::LrtVaultParams {
    V::LrtVaultParams {
        maxPerformanceFeeBips: 0,
        performanceFeeBips: 0,
        maxPauseDuration: 0,
        keeperStaleAfter: keeper_stale_after,
        maxSyncIncreaseBips: 0,
        depositCapPerPeriod: U256::ZERO,
        period: 0,
        minRequest: U256::ZERO,
        maxRequest: U256::ZERO,
        maxOperatorBips: 0,
        maxOperatorSetBips: 0,
    }
}

/// RewardsCoordinator stand-in: `setClaimerFor(claimer)` and `claimerFor` as the real one;
/// `processClaim` accepts only the earner's claimer (`UnauthorizedCaller`) and pays every token
/// leaf's `cumulativeEarnings` to the recipient (no Merkle proof: the devnode test covers the real
/// coordinator).
#[storage]
struct MockRewards {
    claimers: StorageMap<Address, StorageAddress>,
}

unsafe impl TopLevelStorage for MockRewards {}

#[public]
impl MockRewards {
    #[selector(name = "setClaimerFor")]
    fn set_claimer_for(&mut self, claimer: Address) {
        let earner = self.vm().msg_sender();
        self.claimers.setter(earner).set(claimer);
    }

    #[selector(name = "claimerFor")]
    fn claimer_for(&self, earner: Address) -> Address {
        self.claimers.get(earner)
    }

    #[fallback]
    fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        use alloy_sol_types::SolError;
        use ferrostake_interfaces::IRewardsCoordinator as IRC;
        let c = IRC::processClaimCall::abi_decode(calldata, true).map_err(|_| Vec::new())?;
        let earner = c.claim.earnerLeaf.earner;
        if self.claimers.get(earner) != self.vm().msg_sender() {
            return Err(IRC::UnauthorizedCaller {}.abi_encode());
        }
        for leaf in &c.claim.tokenLeaves {
            call::safe_transfer(leaf.token, c.recipient, leaf.cumulativeEarnings)
                .map_err(Vec::from)?;
        }
        Ok(Vec::new())
    }
}

/// `claimRewards(claim)`'s arguments (after the selector) for `earner`, paying `leaves`.
fn claim_args(earner: Address, leaves: &[(Address, U256)]) -> Vec<u8> {
    use ferrostake_interfaces::{EarnerTreeMerkleLeaf, RewardsMerkleClaim, TokenTreeMerkleLeaf};
    let call = V::claimRewardsCall {
        claim: RewardsMerkleClaim {
            rootIndex: 0,
            earnerIndex: 0,
            earnerTreeProof: Default::default(),
            earnerLeaf: EarnerTreeMerkleLeaf {
                earner,
                earnerTokenRoot: Default::default(),
            },
            tokenIndices: vec![0; leaves.len()],
            tokenTreeProofs: vec![Default::default(); leaves.len()],
            tokenLeaves: leaves
                .iter()
                .map(|(token, amount)| TokenTreeMerkleLeaf {
                    token: *token,
                    cumulativeEarnings: *amount,
                })
                .collect(),
        },
    };
    call.abi_encode()[4..].to_vec()
}

const REWARDS_KEEPER: Address = Address::new([0x5e; 20]);

#[motsu::test]
fn rewards_claims_pay_the_vault_and_asset_rewards_raise_nav_after_sync(
    vault: Contract<LrtVault>,
    dm: Contract<Dm>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    d1: Contract<LrtDelegator>,
    d2: Contract<LrtDelegator>,
    rc: Contract<MockRewards>,
    other: Contract<TestErc20>,
) {
    let (op1, op2, alice, stranger) = (
        Address::new([0x01; 20]),
        Address::new([0x02; 20]),
        Address::new([0xa1; 20]),
        Address::new([0x99; 20]),
    );
    let w = world!(vault, dm, sm, am, reg, strat, token, d1, d2, op1, op2);
    let deposited = e18(100);
    deposit(&token, &vault, alice, deposited);
    vault.sender(KEEPER).allocate(e18(60)).motsu_unwrap();
    // The coordinator holds the rewards: 3 tokens of the asset, 7 of another token.
    let (asset_reward, other_reward) = (e18(3), e18(7));
    token
        .sender(ADMIN)
        .mint(rc.address(), asset_reward)
        .motsu_unwrap();
    other
        .sender(ADMIN)
        .mint(rc.address(), other_reward)
        .motsu_unwrap();
    let args = claim_args(
        w.d1,
        &[(w.token, asset_reward), (other.address(), other_reward)],
    );

    // Not configured yet.
    let err = vault.sender(KEEPER).claim_rewards(&args).motsu_unwrap_err();
    assert!(err.decode::<V::RewardsNotConfigured>().is_some());
    // Only the manager configures, with a non-zero coordinator.
    for who in [KEEPER, ADMIN, stranger] {
        let err = vault
            .sender(who)
            .set_rewards_config(rc.address(), REWARDS_KEEPER)
            .motsu_unwrap_err();
        assert!(err.decode::<V::OnlyManager>().is_some());
    }
    let err = vault
        .sender(MANAGER)
        .set_rewards_config(Address::ZERO, REWARDS_KEEPER)
        .motsu_unwrap_err();
    assert!(err.decode::<V::ZeroAddress>().is_some());
    assert_eq!(
        vault.sender(alice).rewards_config(),
        (Address::ZERO, Address::ZERO)
    );
    vault
        .sender(MANAGER)
        .set_rewards_config(rc.address(), REWARDS_KEEPER)
        .motsu_unwrap();
    assert_eq!(
        vault.sender(alice).rewards_config(),
        (rc.address(), REWARDS_KEEPER)
    );
    // Every delegator named the vault its claimer.
    for d in [w.d1, w.d2] {
        assert_eq!(rc.sender(alice).claimer_for(d), vault.address());
    }

    // Outsiders cannot claim; a claim for an earner that is not a delegator is refused.
    let err = vault
        .sender(stranger)
        .claim_rewards(&args)
        .motsu_unwrap_err();
    assert!(err.decode::<V::OnlyKeeper>().is_some());
    let err = vault
        .sender(KEEPER)
        .claim_rewards(&claim_args(stranger, &[(w.token, asset_reward)]))
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<V::NotDelegatorOfVault>().map(|e| e.delegator),
        Some(stranger)
    );

    let (book_before, ..) = vault.sender(alice).nav_breakdown().motsu_unwrap();
    assert_eq!(book_before, deposited);
    let supply = vault.sender(alice).total_supply();
    vault
        .sender(REWARDS_KEEPER)
        .claim_rewards(&args)
        .motsu_unwrap();
    // Paid to the vault, not to the delegator.
    assert_eq!(token.sender(alice).balance_of(vault.address()), e18(43));
    assert_eq!(
        other.sender(alice).balance_of(vault.address()),
        other_reward
    );
    assert_eq!(token.sender(alice).balance_of(w.d1), U256::ZERO);
    // The booked NAV moves only at the sync; then by the asset reward alone (3% < the 5% bound).
    assert_eq!(
        vault.sender(alice).nav_breakdown().motsu_unwrap().0,
        deposited
    );
    let nav = vault.sender(alice).sync_nav().motsu_unwrap();
    assert_eq!(nav, deposited + asset_reward);
    // Rate from the definition (the treasury's fee shares included in the supply).
    let fee_shares = vault.sender(alice).balance_of(TREASURY);
    assert_eq!(
        rate(&vault),
        assets_for(E18, deposited + asset_reward, supply + fee_shares)
    );
    assert!(rate(&vault) > assets_for(E18, deposited, supply));

    // The manager sweeps the other token (outside NAV); NAV does not move.
    for who in [KEEPER, REWARDS_KEEPER, stranger] {
        let err = vault
            .sender(who)
            .sweep_token(other.address(), TREASURY)
            .motsu_unwrap_err();
        assert!(err.decode::<V::OnlyManager>().is_some());
    }
    for t in [w.token, vault.address()] {
        let err = vault
            .sender(MANAGER)
            .sweep_token(t, TREASURY)
            .motsu_unwrap_err();
        assert_eq!(err.decode::<V::CannotSweep>().map(|e| e.token), Some(t));
    }
    let err = vault
        .sender(MANAGER)
        .sweep_token(other.address(), Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.decode::<V::ZeroAddress>().is_some());
    let swept = vault
        .sender(MANAGER)
        .sweep_token(other.address(), TREASURY)
        .motsu_unwrap();
    assert_eq!(swept, other_reward);
    assert_eq!(other.sender(alice).balance_of(TREASURY), other_reward);
    assert_eq!(other.sender(alice).balance_of(vault.address()), U256::ZERO);
    assert_eq!(
        vault.sender(alice).sync_nav().motsu_unwrap(),
        deposited + asset_reward
    );
}
