//! DelegationManager flows with the real StrategyManager, Strategy and token programs, and a stand-in
//! AllocationManager that keeps max-magnitude history and slashes through the DelegationManager.
use alloy_primitives::{keccak256, uint, Address, B256, U256};
use alloy_sol_types::SolValue;
use ferrostake_common::call;
use ferrostake_interfaces::{IDelegationManager, IPausable, ISignatureUtilsMixin};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_strategy::Strategy;
use ferrostake_strategy_manager::StrategyManager;
use ferrostake_test_erc20::TestErc20;
use k256::ecdsa::SigningKey;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::IErc20;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU64, StorageVec},
};

use super::*;

/// AllocationManager stand-in: allocation delays are accepted, max magnitudes start at WAD and only
/// fall through `slash`, which calls `slashOperatorShares` like the real one.
#[storage]
struct MockAllocation {
    delegation: StorageAddress,
    recipient: StorageAddress,
    /// (operator, strategy) → history of (block, magnitude) as two vectors.
    blocks: StorageMap<Address, StorageMap<Address, StorageVec<StorageU64>>>,
    mags: StorageMap<Address, StorageMap<Address, StorageVec<StorageU64>>>,
    /// The operator whose withdrawals a pending guarded slash holds (`hold_at` 0), or fixes at
    /// block `hold_at` after it executed.
    hold_operator: StorageAddress,
    hold_at: StorageU64,
}

unsafe impl TopLevelStorage for MockAllocation {}

const WAD64: u64 = 1_000_000_000_000_000_000;

impl MockAllocation {
    fn mag_at(&self, operator: Address, strategy: Address, block: u64) -> u64 {
        let b = self.blocks.getter(operator);
        let b = b.getter(strategy);
        let m = self.mags.getter(operator);
        let m = m.getter(strategy);
        let mut out = WAD64;
        for i in 0..b.len() {
            if b.get(i).unwrap_or_default().to::<u64>() <= block {
                out = m.get(i).unwrap_or_default().to::<u64>();
            }
        }
        out
    }
}

#[public]
impl MockAllocation {
    fn init(&mut self, delegation: Address, recipient: Address) {
        self.delegation.set(delegation);
        self.recipient.set(recipient);
    }
    #[selector(name = "setAllocationDelay")]
    fn set_allocation_delay(&mut self, _operator: Address, _delay: u32) {}
    #[selector(name = "getMaxMagnitudes")]
    fn get_max_magnitudes(&self, operator: Address, strategies: Vec<Address>) -> Vec<u64> {
        let now = crate::test_clock::get();
        strategies
            .iter()
            .map(|s| self.mag_at(operator, *s, now))
            .collect()
    }
    #[selector(name = "getMaxMagnitudesAtBlock")]
    fn get_max_magnitudes_at_block(
        &self,
        operator: Address,
        strategies: Vec<Address>,
        block: u32,
    ) -> Vec<u64> {
        strategies
            .iter()
            .map(|s| self.mag_at(operator, *s, block as u64))
            .collect()
    }
    /// Sets the slash hold [`Self::get_withdrawal_slash_hold`] reports for `operator` (tests
    /// report a new hold to the DelegationManager with [`hold_started`], as the
    /// AllocationManager does).
    fn set_hold(&mut self, operator: Address, at: u64) {
        self.hold_operator.set(operator);
        self.hold_at.set(alloy_primitives::Uint::<64, 1>::from(at));
    }
    #[selector(name = "getWithdrawalSlashHold")]
    fn get_withdrawal_slash_hold(&self, operator: Address, until: u32) -> (bool, u32) {
        if operator.is_zero() || operator != self.hold_operator.get() {
            return (false, until);
        }
        match self.hold_at.get().to::<u32>() {
            0 => (true, until),
            at => (false, at.max(until)),
        }
    }
    #[selector(name = "getRedistributionRecipient")]
    fn get_redistribution_recipient(&self, _set: (Address, u32)) -> Address {
        self.recipient.get()
    }
    /// Cuts `operator`'s magnitude for `strategy` to `new_mag` and tells the DelegationManager.
    fn slash(
        &mut self,
        operator: Address,
        strategy: Address,
        new_mag: u64,
        slash_id: U256,
    ) -> Result<U256, Revert> {
        let now = crate::test_clock::get();
        let prev = self.mag_at(operator, strategy, now);
        self.blocks
            .setter(operator)
            .setter(strategy)
            .push(alloy_primitives::Uint::<64, 1>::from(now));
        self.mags
            .setter(operator)
            .setter(strategy)
            .push(alloy_primitives::Uint::<64, 1>::from(new_mag));
        Ok(call::call(
            self.delegation.get(),
            &IDelegationManager::slashOperatorSharesCall {
                operator,
                operatorSet: ferrostake_interfaces::OperatorSet {
                    avs: Address::repeat_byte(0xa5),
                    id: 1,
                },
                slashId: slash_id,
                strategy,
                prevMaxMagnitude: prev,
                newMaxMagnitude: new_mag,
            },
        )?
        .totalDepositSharesToBurn)
    }
}

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
const ADMIN: Address = Address::new([0xad; 20]);
const DELAY: u32 = 10;

struct World {
    strategy: Address,
    token: Address,
}

#[allow(clippy::too_many_arguments)]
fn world(
    dm: &Contract<DelegationManager>,
    sm: &Contract<StrategyManager>,
    am: &Contract<MockAllocation>,
    registry: &Contract<PauserRegistry>,
    strategy: &Contract<Strategy>,
    token: &Contract<TestErc20>,
    recipient: Address,
) -> World {
    world_with(
        dm,
        sm,
        am,
        registry,
        strategy,
        token,
        recipient,
        Address::ZERO,
        Address::ZERO,
    )
}

/// [`world`] with an EigenPodManager and a PermissionController.
#[allow(clippy::too_many_arguments)]
fn world_with(
    dm: &Contract<DelegationManager>,
    sm: &Contract<StrategyManager>,
    am: &Contract<MockAllocation>,
    registry: &Contract<PauserRegistry>,
    strategy: &Contract<Strategy>,
    token: &Contract<TestErc20>,
    recipient: Address,
    eigen_pod_manager: Address,
    permission_controller: Address,
) -> World {
    registry
        .sender(ADMIN)
        .initialize(vec![ADMIN], ADMIN)
        .motsu_unwrap();
    let view = registry.address(); // any contract stands in for the view/withdrawals programs natively
    sm.sender(ADMIN)
        .initialize(
            dm.address(),
            am.address(),
            registry.address(),
            view,
            ADMIN,
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap();
    dm.sender(ADMIN)
        .initialize(
            sm.address(),
            eigen_pod_manager,
            am.address(),
            registry.address(),
            permission_controller,
            view,
            view,
            DELAY,
            U256::ZERO,
        )
        .motsu_unwrap();
    am.sender(ADMIN).init(dm.address(), recipient);
    strategy
        .sender(ADMIN)
        .initialize(sm.address(), registry.address(), token.address())
        .motsu_unwrap();
    sm.sender(ADMIN)
        .add_strategies_to_deposit_whitelist(vec![strategy.address()])
        .motsu_unwrap();
    World {
        strategy: strategy.address(),
        token: token.address(),
    }
}

fn deposit(
    sm: &Contract<StrategyManager>,
    token: &Contract<TestErc20>,
    w: &World,
    who: Address,
    amount: U256,
) {
    token.sender(who).mint(who, amount).motsu_unwrap();
    token
        .sender(who)
        .approve(sm.address(), U256::MAX)
        .motsu_unwrap();
    sm.sender(who)
        .deposit_into_strategy_external(w.strategy, w.token, amount)
        .motsu_unwrap();
}

/// What the AllocationManager does when a slash against `operator` is queued while none is
/// pending: `slashHoldStarted` (natively the stand-in's address calls the method directly).
fn hold_started(
    dm: &Contract<DelegationManager>,
    am: &Contract<MockAllocation>,
    operator: Address,
) {
    dm.sender(am.address())
        .slash_hold_started(operator)
        .motsu_unwrap();
}

/// `operator` registers; `staker` deposits 1e18, delegates to it and queues all of it: the
/// withdrawal's roots and the withdrawal.
fn delegated_withdrawal(
    dm: &Contract<DelegationManager>,
    sm: &Contract<StrategyManager>,
    token: &Contract<TestErc20>,
    w: &World,
    operator: Address,
    staker: Address,
) -> (Vec<B256>, views::WithdrawalTuple) {
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, "ipfs://op".into())
        .motsu_unwrap();
    deposit(sm, token, w, staker, E18);
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    let roots = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap();
    let queued = dm.sender(staker).queued_withdrawals(roots[0]);
    (roots, queued)
}

fn no_sig() -> (stylus_sdk::abi::Bytes, U256) {
    (Vec::new().into(), U256::ZERO)
}

fn mine(n: u64) {
    crate::test_clock::advance(n);
}

macro_rules! setup {
    ($dm:ident, $sm:ident, $am:ident, $reg:ident, $strat:ident, $token:ident, $recipient:expr) => {
        world(&$dm, &$sm, &$am, &$reg, &$strat, &$token, $recipient)
    };
}

#[motsu::test]
fn deposit_delegate_queue_complete_as_tokens(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, "ipfs://op".into())
        .motsu_unwrap();
    assert!(dm.sender(operator).is_operator(operator));
    dm.assert_emitted(&IDelegationManager::OperatorRegistered {
        operator,
        delegationApprover: Address::ZERO,
    });

    deposit(&sm, &token, &w, staker, E18);
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    assert_eq!(dm.sender(staker).delegated_to_of(staker), operator);
    assert_eq!(
        dm.sender(staker).operator_shares_of(operator, w.strategy),
        E18
    );
    dm.assert_emitted(&IDelegationManager::StakerDelegated { staker, operator });

    let roots = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(
        dm.sender(staker).operator_shares_of(operator, w.strategy),
        U256::ZERO
    );
    assert_eq!(
        sm.sender(staker).staker_deposit_shares(staker, w.strategy),
        U256::ZERO
    );
    assert!(dm.sender(staker).pending_withdrawals(roots[0]));
    assert_eq!(dm.sender(staker).get_queued_withdrawal_roots(staker), roots);
    let queued = dm.sender(staker).queued_withdrawals(roots[0]);
    assert_eq!(
        dm.sender(staker).calculate_withdrawal_root(queued.clone()),
        roots[0]
    );

    // Not before the delay.
    let err = dm
        .sender(staker)
        .complete_queued_withdrawal(queued.clone(), vec![w.token], true)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::WithdrawalDelayNotElapsed>());
    mine(DELAY as u64 + 1);
    // Only the withdrawer.
    let err = dm
        .sender(operator)
        .complete_queued_withdrawal(queued.clone(), vec![w.token], true)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::WithdrawerNotCaller>());
    dm.sender(staker)
        .complete_queued_withdrawal(queued.clone(), vec![w.token], true)
        .motsu_unwrap();
    assert_eq!(token.sender(staker).balance_of(staker), E18);
    assert!(!dm.sender(staker).pending_withdrawals(roots[0]));
    // Twice: not queued any more.
    let err = dm
        .sender(staker)
        .complete_queued_withdrawal(queued, vec![w.token], true)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::WithdrawalNotQueued>());
}

#[motsu::test]
fn complete_as_shares_redelegates_to_the_current_operator(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    op1: Address,
    op2: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    dm.sender(op1)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    dm.sender(op2)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    deposit(&sm, &token, &w, staker, E18);
    dm.sender(staker)
        .delegate_to(op1, no_sig(), B256::ZERO)
        .motsu_unwrap();

    // Redelegation = undelegate (one withdrawal per strategy) + delegate to the new operator.
    let roots = dm
        .sender(staker)
        .redelegate(op2, no_sig(), B256::ZERO)
        .motsu_unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(dm.sender(staker).delegated_to_of(staker), op2);
    assert_eq!(
        dm.sender(staker).operator_shares_of(op1, w.strategy),
        U256::ZERO
    );
    assert_eq!(
        dm.sender(staker).operator_shares_of(op2, w.strategy),
        U256::ZERO,
        "shares are in the queue"
    );

    mine(DELAY as u64 + 1);
    let queued = dm.sender(staker).queued_withdrawals(roots[0]);
    dm.sender(staker)
        .complete_queued_withdrawal(queued, vec![], false)
        .motsu_unwrap();
    assert_eq!(
        sm.sender(staker).staker_deposit_shares(staker, w.strategy),
        E18
    );
    assert_eq!(dm.sender(staker).operator_shares_of(op2, w.strategy), E18);
    let (withdrawable, deposited) = dm
        .sender(staker)
        .get_withdrawable_shares(staker, vec![w.strategy])
        .motsu_unwrap();
    assert_eq!((withdrawable, deposited), (vec![E18], vec![E18]));
}

#[motsu::test]
fn operators_cannot_undelegate_and_strangers_cannot_undelegate_others(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
    stranger: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    assert!(dm
        .sender(operator)
        .undelegate(operator)
        .motsu_unwrap_err()
        .is::<IDelegationManager::OperatorsCannotUndelegate>());
    assert!(dm
        .sender(staker)
        .undelegate(staker)
        .motsu_unwrap_err()
        .is::<IDelegationManager::NotActivelyDelegated>());
    deposit(&sm, &token, &w, staker, E18);
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    assert!(dm
        .sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap_err()
        .is::<IDelegationManager::ActivelyDelegated>());
    let err = dm.sender(stranger).undelegate(staker).motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::CallerCannotUndelegate>());
    assert_eq!(
        dm.sender(staker).delegated_to_of(staker),
        operator,
        "state unchanged after the revert"
    );
    // The operator itself may force-undelegate.
    dm.sender(operator).undelegate(staker).motsu_unwrap();
    dm.assert_emitted(&IDelegationManager::StakerForceUndelegated { staker, operator });
    assert!(!dm.sender(staker).is_delegated(staker));
    assert!(dm
        .sender(staker)
        .delegate_to(stranger, no_sig(), B256::ZERO)
        .motsu_unwrap_err()
        .is::<IDelegationManager::OperatorNotRegistered>());
}

fn sign(key: &SigningKey, digest: B256) -> Vec<u8> {
    let (sig, rec) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut out = sig.to_bytes().to_vec();
    out.push(27 + rec.to_byte());
    out
}

fn address_of(key: &SigningKey) -> Address {
    let point = key.verifying_key().to_encoded_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

#[motsu::test]
fn approver_signatures_are_checked_salted_and_expire(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
    staker2: Address,
) {
    setup!(dm, sm, am, reg, strat, token, ADMIN);
    let key = SigningKey::from_slice(&[9u8; 32]).unwrap();
    let approver = address_of(&key);
    dm.sender(operator)
        .register_as_operator(approver, 0, String::new())
        .motsu_unwrap();
    let salt = B256::repeat_byte(1);
    let expiry = U256::from(u64::MAX);
    let digest = dm
        .sender(staker)
        .calculate_delegation_approval_digest_hash(staker, operator, approver, salt, expiry);

    // Missing or wrong signature (unexpired, so the signature itself is what fails).
    let err = dm
        .sender(staker)
        .delegate_to(operator, (Vec::new().into(), expiry), salt)
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());
    let wrong = SigningKey::from_slice(&[10u8; 32]).unwrap();
    let err = dm
        .sender(staker)
        .delegate_to(operator, (sign(&wrong, digest).into(), expiry), salt)
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());
    // Expired.
    let expired = dm.sender(staker).calculate_delegation_approval_digest_hash(
        staker,
        operator,
        approver,
        salt,
        U256::ZERO,
    );
    let err = dm
        .sender(staker)
        .delegate_to(operator, (sign(&key, expired).into(), U256::ZERO), salt)
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::SignatureExpired>());

    dm.sender(staker)
        .delegate_to(operator, (sign(&key, digest).into(), expiry), salt)
        .motsu_unwrap();
    assert!(dm
        .sender(staker)
        .delegation_approver_salt_is_spent(approver, salt));
    // Replay by another staker with the spent salt.
    let digest2 = dm
        .sender(staker2)
        .calculate_delegation_approval_digest_hash(staker2, operator, approver, salt, expiry);
    let err = dm
        .sender(staker2)
        .delegate_to(operator, (sign(&key, digest2).into(), expiry), salt)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::SaltSpent>());
}

#[motsu::test]
fn a_slash_cuts_withdrawable_and_queued_shares_by_its_fraction(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
    recipient: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, recipient);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    deposit(&sm, &token, &w, staker, E18 * U256::from(2u8));
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    // Half goes into the queue, half stays.
    let roots = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap();
    mine(2);
    // Slash 25%: magnitude WAD → 0.75 WAD.
    let burned = am
        .sender(ADMIN)
        .slash(operator, w.strategy, WAD64 / 4 * 3, U256::from(1u8))
        .motsu_unwrap();
    // 25% of the delegated 1 ETH and 25% of the queued 1 ETH.
    assert_eq!(burned, E18 / U256::from(2u8));
    assert_eq!(
        dm.sender(staker).operator_shares_of(operator, w.strategy),
        E18 / U256::from(4u8) * U256::from(3u8)
    );
    let (withdrawable, _) = dm
        .sender(staker)
        .get_withdrawable_shares(staker, vec![w.strategy])
        .motsu_unwrap();
    assert_eq!(withdrawable, vec![E18 / U256::from(4u8) * U256::from(3u8)]);
    let (_, shares) = dm
        .sender(staker)
        .get_queued_withdrawal(roots[0])
        .motsu_unwrap();
    assert_eq!(shares, vec![E18 / U256::from(4u8) * U256::from(3u8)]);
    // The slashed shares sit in the StrategyManager until anyone clears them to the recipient.
    sm.sender(ADMIN)
        .clear_burn_or_redistributable_shares((Address::repeat_byte(0xa5), 1), U256::from(1u8))
        .motsu_unwrap();
    assert_eq!(
        token.sender(staker).balance_of(recipient),
        E18 / U256::from(2u8)
    );

    mine(DELAY as u64);
    let queued = dm.sender(staker).queued_withdrawals(roots[0]);
    dm.sender(staker)
        .complete_queued_withdrawal(queued, vec![w.token], true)
        .motsu_unwrap();
    assert_eq!(
        token.sender(staker).balance_of(staker),
        E18 / U256::from(4u8) * U256::from(3u8)
    );
}

#[motsu::test]
fn slashes_after_the_delay_do_not_reach_the_queue(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    deposit(&sm, &token, &w, staker, E18);
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    let roots = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap();
    mine(DELAY as u64 + 2);
    let burned = am
        .sender(ADMIN)
        .slash(operator, w.strategy, WAD64 / 2, U256::from(1u8))
        .motsu_unwrap();
    assert_eq!(
        burned,
        U256::ZERO,
        "nothing delegated, nothing slashable in the queue"
    );
    let queued = dm.sender(staker).queued_withdrawals(roots[0]);
    dm.sender(staker)
        .complete_queued_withdrawal(queued, vec![w.token], true)
        .motsu_unwrap();
    assert_eq!(token.sender(staker).balance_of(staker), E18);
}

#[motsu::test]
fn fully_slashed_operator_takes_no_new_delegations(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    am.sender(ADMIN)
        .slash(operator, w.strategy, 0, U256::from(1u8))
        .motsu_unwrap();
    deposit(&sm, &token, &w, staker, E18);
    let err = dm
        .sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::FullySlashed>());
    assert!(!dm.sender(staker).is_delegated(staker));
}

#[motsu::test]
fn hooks_and_pauses_guard_their_callers(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    let err = dm
        .sender(staker)
        .increase_delegated_shares(staker, w.strategy, U256::ZERO, E18)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::OnlyStrategyManagerOrEigenPodManager>());
    let err = dm
        .sender(staker)
        .slash_operator_shares(operator, (staker, 1), U256::from(1u8), w.strategy, WAD64, 0)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::OnlyAllocationManager>());
    let err = dm
        .sender(staker)
        .decrease_delegated_shares(staker, E18, 1)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::OnlyEigenPodManager>());

    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    deposit(&sm, &token, &w, staker, E18);
    dm.sender(ADMIN)
        .pause(U256::from(1u8 << PAUSED_NEW_DELEGATION))
        .motsu_unwrap();
    assert!(dm
        .sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
    dm.sender(ADMIN)
        .pause(U256::from(
            (1u8 << PAUSED_NEW_DELEGATION) | (1u8 << PAUSED_ENTER_WITHDRAWAL_QUEUE),
        ))
        .motsu_unwrap();
    let err = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    assert_eq!(
        sm.sender(staker).staker_deposit_shares(staker, w.strategy),
        E18,
        "nothing queued"
    );
}

#[motsu::test]
fn queue_inputs_are_validated(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    deposit(&sm, &token, &w, staker, E18);
    let err = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![], vec![], Address::ZERO)])
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::InputArrayLengthZero>());
    let err = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![], Address::ZERO)])
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::InputArrayLengthMismatch>());
    // More than held: the StrategyManager refuses, and the error reaches the caller unchanged.
    let err = dm
        .sender(staker)
        .queue_withdrawals(vec![(
            vec![w.strategy],
            vec![E18 + U256::from(1u8)],
            Address::ZERO,
        )])
        .motsu_unwrap_err();
    assert!(err.is::<ferrostake_interfaces::IStrategyManager::SharesAmountTooHigh>());
    // Undelegated stakers queue too (operator zero: nothing to slash).
    let roots = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap();
    assert_eq!(
        dm.sender(staker).cumulative_withdrawals_queued(staker),
        U256::from(1u8)
    );
    assert_eq!(roots.len(), 1);
}

// --- Hand-decoded entry points, hand-encoded calls, events and multi-value views -----------------
//
// The programs decode some arguments and return data, and encode calls and events, by hand
// (`abi.rs`). These tests drive them with calldata and expectations encoded by alloy.

/// EigenPodManager stand-in: beacon-chain deposit shares and slashing factors per staker.
#[storage]
struct MockPods {
    shares: StorageMap<Address, StorageU256>,
    factor: StorageMap<Address, StorageU64>,
}

unsafe impl TopLevelStorage for MockPods {}

#[public]
impl MockPods {
    fn set(&mut self, staker: Address, shares: U256, factor: u64) {
        self.shares.setter(staker).set(shares);
        self.factor
            .setter(staker)
            .set(alloy_primitives::Uint::<64, 1>::from(factor));
    }
    #[selector(name = "stakerDepositShares")]
    fn staker_deposit_shares(&self, user: Address, strategy: Address) -> U256 {
        if strategy == BEACON_CHAIN_ETH_STRATEGY {
            self.shares.get(user)
        } else {
            U256::ZERO
        }
    }
    #[selector(name = "beaconChainSlashingFactor")]
    fn beacon_chain_slashing_factor(&self, staker: Address) -> u64 {
        self.factor.get(staker).to::<u64>()
    }
}

/// PermissionController stand-in: `caller` may act for `account` on `target` once appointed.
#[storage]
struct MockPermissions {
    target: StorageAddress,
    appointee: StorageMap<Address, StorageAddress>,
    admin: StorageMap<Address, StorageAddress>,
}

unsafe impl TopLevelStorage for MockPermissions {}

#[public]
impl MockPermissions {
    fn appoint(&mut self, target: Address, account: Address, caller: Address) {
        self.target.set(target);
        self.appointee.setter(account).set(caller);
    }
    fn add_admin(&mut self, account: Address, admin: Address) {
        self.admin.setter(account).set(admin);
    }
    /// As EigenLayer's PermissionController: an account without admins is its own admin; once it
    /// has one, only the admin (and appointees) may act for it.
    #[selector(name = "canCall")]
    fn can_call(
        &self,
        account: Address,
        caller: Address,
        target: Address,
        _selector: alloy_primitives::FixedBytes<4>,
    ) -> bool {
        let admin = self.admin.get(account);
        let is_admin = if admin.is_zero() {
            caller == account
        } else {
            caller == admin
        };
        is_admin
            || (!caller.is_zero()
                && target == self.target.get()
                && self.appointee.get(account) == caller)
    }
}

/// The output of a hand-served call (it must be one of the served selectors).
fn served(out: Option<stylus_sdk::ArbResult>) -> Result<Vec<u8>, Vec<u8>> {
    out.expect("selector is served")
}

#[motsu::test]
fn abi_calldata_drives_registration_delegation_queue_and_completion(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    use alloy_sol_types::SolCall;
    use ferrostake_interfaces::{QueuedWithdrawalParams, Withdrawal};
    use IDelegationManager as I;
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);

    // registerAsOperator(address,uint32,string) with a URI longer than one word.
    let uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".to_string();
    let out = served(
        dm.sender(operator).serve_core(
            &I::registerAsOperatorCall {
                initDelegationApprover: Address::ZERO,
                allocationDelay: 5,
                metadataURI: uri.clone(),
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    assert!(out.is_empty());
    assert!(dm.sender(operator).is_operator(operator));
    dm.assert_emitted(&I::OperatorRegistered {
        operator,
        delegationApprover: Address::ZERO,
    });
    dm.assert_emitted(&I::OperatorMetadataURIUpdated {
        operator,
        metadataURI: uri,
    });
    served(
        dm.sender(operator).serve_withdrawals(
            &I::updateOperatorMetadataURICall {
                operator,
                metadataURI: "x".into(),
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    dm.assert_emitted(&I::OperatorMetadataURIUpdated {
        operator,
        metadataURI: "x".into(),
    });

    // delegateTo(address,(bytes,uint256),bytes32).
    deposit(&sm, &token, &w, staker, E18 * U256::from(3u8));
    served(
        dm.sender(staker).serve_core(
            &I::delegateToCall {
                operator,
                approverSignatureAndExpiry: SignatureWithExpiry {
                    signature: vec![1u8; 65].into(),
                    expiry: U256::MAX,
                },
                approverSalt: B256::repeat_byte(7),
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    assert_eq!(dm.sender(staker).delegated_to_of(staker), operator);
    dm.assert_emitted(&I::StakerDelegated { staker, operator });
    dm.assert_emitted(&I::OperatorSharesIncreased {
        operator,
        staker,
        strategy: w.strategy,
        shares: E18 * U256::from(3u8),
    });
    // A first deposit under an unslashed operator scales 1:1.
    dm.assert_emitted(&I::DepositScalingFactorUpdated {
        staker,
        strategy: w.strategy,
        newDepositScalingFactor: WAD,
    });

    // queueWithdrawals(QueuedWithdrawalParams[]): two withdrawals of 1 share each, 1 share stays.
    let start = crate::test_clock::get() as u32;
    let params = |withdrawer| QueuedWithdrawalParams {
        strategies: vec![w.strategy],
        depositShares: vec![E18],
        __deprecated_withdrawer: withdrawer,
    };
    let out = served(
        dm.sender(staker).serve_withdrawals(
            &I::queueWithdrawalsCall {
                params: vec![params(Address::ZERO), params(operator)],
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    let roots = I::queueWithdrawalsCall::abi_decode_returns(&out, true)
        .unwrap()
        ._0;
    let expected = |nonce: u8| Withdrawal {
        staker,
        delegatedTo: operator,
        withdrawer: staker, // the deprecated withdrawer field is ignored
        nonce: U256::from(nonce),
        startBlock: start,
        strategies: vec![w.strategy],
        scaledShares: vec![E18],
    };
    assert_eq!(
        roots,
        vec![
            keccak256(expected(0).abi_encode()),
            keccak256(expected(1).abi_encode())
        ]
    );
    assert_eq!(dm.sender(staker).get_queued_withdrawal_roots(staker), roots);
    dm.assert_emitted(&I::SlashingWithdrawalQueued {
        withdrawalRoot: roots[1],
        withdrawal: expected(1),
        sharesToWithdraw: vec![E18],
    });
    dm.assert_emitted(&I::OperatorSharesDecreased {
        operator,
        staker,
        strategy: w.strategy,
        shares: E18,
    });

    // The multi-value views, as Solidity encodes them (alloy decodes strictly).
    let out = served(
        dm.sender(staker).serve_view(
            &I::getQueuedWithdrawalCall {
                withdrawalRoot: roots[0],
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    let r = I::getQueuedWithdrawalCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!((r.withdrawal, r.shares), (expected(0), vec![E18]));
    let out = served(
        dm.sender(staker)
            .serve_view(&I::getQueuedWithdrawalsCall { staker }.abi_encode()),
    )
    .unwrap();
    let r = I::getQueuedWithdrawalsCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!(r.withdrawals, vec![expected(0), expected(1)]);
    assert_eq!(r.shares, vec![vec![E18], vec![E18]]);
    let out = served(
        dm.sender(staker).serve_view(
            &I::getWithdrawableSharesCall {
                staker,
                strategies: vec![w.strategy],
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    let r = I::getWithdrawableSharesCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!(
        (r.withdrawableShares, r.depositShares),
        (vec![E18], vec![E18])
    );
    let out = served(
        dm.sender(staker)
            .serve_view(&I::getDepositedSharesCall { staker }.abi_encode()),
    )
    .unwrap();
    let r = I::getDepositedSharesCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!((r._0, r._1), (vec![w.strategy], vec![E18]));

    mine(DELAY as u64 + 1);
    // completeQueuedWithdrawals(Withdrawal[],address[][],bool[]): lengths must agree.
    let err = served(
        dm.sender(staker).serve_withdrawals(
            &I::completeQueuedWithdrawalsCall {
                withdrawals: vec![expected(1)],
                tokens: vec![],
                receiveAsTokens: vec![false],
            }
            .abi_encode(),
        ),
    )
    .unwrap_err();
    assert_eq!(
        err,
        alloy_sol_types::SolError::abi_encode(&I::InputArrayLengthMismatch {}),
        "a typed error, unchanged"
    );
    // completeQueuedWithdrawal(Withdrawal,address[],bool): the first as tokens.
    served(
        dm.sender(staker).serve_withdrawals(
            &I::completeQueuedWithdrawalCall {
                withdrawal: expected(0),
                tokens: vec![w.token],
                receiveAsTokens: true,
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    assert_eq!(token.sender(staker).balance_of(staker), E18);
    dm.assert_emitted(&I::SlashingWithdrawalCompleted {
        withdrawalRoot: roots[0],
    });
    // The second as shares, back to the operator.
    served(
        dm.sender(staker).serve_withdrawals(
            &I::completeQueuedWithdrawalsCall {
                withdrawals: vec![expected(1)],
                tokens: vec![vec![]],
                receiveAsTokens: vec![false],
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    assert_eq!(
        sm.sender(staker).staker_deposit_shares(staker, w.strategy),
        E18 * U256::from(2u8)
    );
    assert_eq!(
        dm.sender(staker).operator_shares_of(operator, w.strategy),
        E18 * U256::from(2u8)
    );
    assert!(dm
        .sender(staker)
        .get_queued_withdrawal_roots(staker)
        .is_empty());
}

#[motsu::test]
fn undecodable_calldata_reverts_empty_and_changes_nothing(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    use alloy_sol_types::SolCall;
    use IDelegationManager as I;
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);

    // Other selectors are not served here (they go on down the chain).
    for data in [&[0x12u8, 0x34, 0x56, 0x78][..], &[0x12][..], &[][..]] {
        assert!(dm.sender(staker).serve_core(data).is_none());
        assert!(dm.sender(staker).serve_withdrawals(data).is_none());
        assert!(dm.sender(staker).serve_view(data).is_none());
    }
    assert!(dm
        .sender(staker)
        .serve_core(&I::undelegateCall { staker }.abi_encode())
        .is_none());

    // A metadata URI that is not UTF-8.
    let mut data = I::registerAsOperatorCall {
        initDelegationApprover: Address::ZERO,
        allocationDelay: 0,
        metadataURI: "ab".into(),
    }
    .abi_encode();
    data[4 + 4 * 32] = 0xff;
    assert_eq!(served(dm.sender(operator).serve_core(&data)), Err(vec![]));
    assert!(!dm.sender(operator).is_operator(operator));

    // Truncated queueWithdrawals.
    deposit(&sm, &token, &w, staker, E18);
    let data = I::queueWithdrawalsCall {
        params: vec![ferrostake_interfaces::QueuedWithdrawalParams {
            strategies: vec![w.strategy],
            depositShares: vec![E18],
            __deprecated_withdrawer: Address::ZERO,
        }],
    }
    .abi_encode();
    assert_eq!(
        served(
            dm.sender(staker)
                .serve_withdrawals(&data[..data.len() - 32])
        ),
        Err(vec![])
    );
    assert_eq!(
        dm.sender(staker).cumulative_withdrawals_queued(staker),
        U256::ZERO
    );
    assert_eq!(
        sm.sender(staker).staker_deposit_shares(staker, w.strategy),
        E18
    );

    // A uint64 argument with bits above 64 (prevMaxMagnitude), even from the AllocationManager.
    let mut data = I::slashOperatorSharesCall {
        operator,
        operatorSet: ferrostake_interfaces::OperatorSet {
            avs: Address::repeat_byte(0xa5),
            id: 1,
        },
        slashId: U256::from(1u8),
        strategy: w.strategy,
        prevMaxMagnitude: WAD64,
        newMaxMagnitude: 0,
    }
    .abi_encode();
    data[4 + 5 * 32 + 23] = 1;
    assert_eq!(
        served(dm.sender(am.address()).serve_core(&data)),
        Err(vec![])
    );
    // A dirty address word.
    let mut data = I::updateOperatorMetadataURICall {
        operator,
        metadataURI: String::new(),
    }
    .abi_encode();
    data[4] = 1;
    assert_eq!(
        served(dm.sender(operator).serve_withdrawals(&data)),
        Err(vec![])
    );
}

#[motsu::test]
fn implementations_are_set_by_the_proxy_admin_only(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    stranger: Address,
    proxy_admin: Address,
) {
    use ferrostake_interfaces::IFerrostakeErrors::OnlyProxyAdmin;
    setup!(dm, sm, am, reg, strat, token, ADMIN);
    let (withdrawals, view) = (Address::repeat_byte(0x77), Address::repeat_byte(0x78));
    // Without a proxy (empty admin slot) nobody may, not even the unpauser.
    let err = dm
        .sender(ADMIN)
        .set_implementations_abi(withdrawals, view)
        .motsu_unwrap_err();
    assert!(err.is::<OnlyProxyAdmin>());
    ferrostake_common::access::store_proxy_admin(dm.sender(ADMIN).vm(), proxy_admin);
    for caller in [stranger, ADMIN] {
        let err = dm
            .sender(caller)
            .set_implementations_abi(withdrawals, view)
            .motsu_unwrap_err();
        assert!(err.is::<OnlyProxyAdmin>());
    }
    let err = dm
        .sender(proxy_admin)
        .set_implementations_abi(withdrawals, Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::InputAddressZero>());
    assert_eq!(dm.sender(ADMIN).view_implementation(), reg.address());
    dm.sender(proxy_admin)
        .set_implementations_abi(withdrawals, view)
        .motsu_unwrap();
    assert_eq!(dm.sender(ADMIN).withdrawals_implementation(), withdrawals);
    assert_eq!(dm.sender(ADMIN).view_implementation(), view);
    dm.assert_emitted(&IDelegationManager::ImplementationsSet {
        withdrawalsImplementation: withdrawals,
        viewImplementation: view,
    });
}

#[allow(clippy::too_many_arguments)]
#[motsu::test]
fn appointees_act_for_operators_through_the_permission_controller(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    perms: Contract<MockPermissions>,
    operator: Address,
    appointee: Address,
    stranger: Address,
) {
    world_with(
        &dm,
        &sm,
        &am,
        &reg,
        &strat,
        &token,
        ADMIN,
        Address::ZERO,
        perms.address(),
    );
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    perms
        .sender(ADMIN)
        .appoint(dm.address(), operator, appointee);
    let approver = Address::repeat_byte(0x42);
    let err = dm
        .sender(stranger)
        .modify_operator_details(operator, approver)
        .motsu_unwrap_err();
    assert!(err.is::<ferrostake_interfaces::IPermissionControllerMixin::InvalidPermissions>());
    assert_eq!(
        dm.sender(stranger).delegation_approver(operator),
        Address::ZERO
    );
    dm.sender(appointee)
        .modify_operator_details(operator, approver)
        .motsu_unwrap();
    assert_eq!(dm.sender(appointee).delegation_approver(operator), approver);
    dm.assert_emitted(&IDelegationManager::DelegationApproverUpdated {
        operator,
        newDelegationApprover: approver,
    });
    dm.sender(appointee)
        .update_operator_metadata_uri(operator, "by appointee".into())
        .motsu_unwrap();
    dm.assert_emitted(&IDelegationManager::OperatorMetadataURIUpdated {
        operator,
        metadataURI: "by appointee".into(),
    });
    // The appointee of one account is nobody's for another.
    let err = dm
        .sender(appointee)
        .update_operator_metadata_uri(stranger, String::new())
        .motsu_unwrap_err();
    assert!(err.is::<ferrostake_interfaces::IPermissionControllerMixin::InvalidPermissions>());
    // The operator acts for itself while it has no admin ...
    dm.sender(operator)
        .update_operator_metadata_uri(operator, "by itself".into())
        .motsu_unwrap();
    // ... and not once it appointed one: the PermissionController decides, not `caller == account`.
    let admin = Address::repeat_byte(0xad);
    perms.sender(operator).add_admin(operator, admin);
    let err = dm
        .sender(operator)
        .modify_operator_details(operator, Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<ferrostake_interfaces::IPermissionControllerMixin::InvalidPermissions>());
    assert_eq!(dm.sender(stranger).delegation_approver(operator), approver);
    dm.sender(admin)
        .modify_operator_details(operator, Address::ZERO)
        .motsu_unwrap();
    assert_eq!(
        dm.sender(stranger).delegation_approver(operator),
        Address::ZERO
    );
}

#[allow(clippy::too_many_arguments)]
#[motsu::test]
fn beacon_chain_shares_and_factor_come_from_the_eigen_pod_manager(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    pods: Contract<MockPods>,
    staker: Address,
) {
    let w = world_with(
        &dm,
        &sm,
        &am,
        &reg,
        &strat,
        &token,
        ADMIN,
        pods.address(),
        Address::ZERO,
    );
    // 10 ETH of beacon-chain shares, half lost to beacon-chain slashing; 1 share in a strategy.
    pods.sender(ADMIN)
        .set(staker, E18 * U256::from(10u8), WAD64 / 2);
    deposit(&sm, &token, &w, staker, E18);
    let (strategies, shares) = dm
        .sender(staker)
        .get_deposited_shares(staker)
        .motsu_unwrap();
    assert_eq!(strategies, vec![w.strategy, BEACON_CHAIN_ETH_STRATEGY]);
    assert_eq!(shares, vec![E18, E18 * U256::from(10u8)]);
    let (withdrawable, deposit_shares) = dm
        .sender(staker)
        .get_withdrawable_shares(staker, vec![BEACON_CHAIN_ETH_STRATEGY, w.strategy])
        .motsu_unwrap();
    assert_eq!(withdrawable, vec![E18 * U256::from(5u8), E18]);
    assert_eq!(deposit_shares, vec![E18 * U256::from(10u8), E18]);

    // Delegating forgives the operator's slashing only, never the staker's beacon-chain slashing:
    // the operator is credited the 5 ETH the staker can withdraw, and the staker still withdraws 5.
    let operator = Address::repeat_byte(0x0b);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, String::new())
        .motsu_unwrap();
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    assert_eq!(
        dm.sender(staker)
            .operator_shares_abi(operator, BEACON_CHAIN_ETH_STRATEGY),
        E18 * U256::from(5u8)
    );
    let (withdrawable, _) = dm
        .sender(staker)
        .get_withdrawable_shares(staker, vec![BEACON_CHAIN_ETH_STRATEGY, w.strategy])
        .motsu_unwrap();
    assert_eq!(withdrawable, vec![E18 * U256::from(5u8), E18]);
}

#[allow(clippy::too_many_arguments)]
#[motsu::test]
fn every_view_and_core_read_is_served_with_its_solidity_encoding(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    use alloy_sol_types::SolCall;
    use ferrostake_interfaces::{IPermissionControllerMixin, ISignatureUtilsMixin};
    use IDelegationManager as I;
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    let approver = Address::repeat_byte(0x42);
    dm.sender(operator)
        .register_as_operator(approver, 0, String::new())
        .motsu_unwrap();
    deposit(&sm, &token, &w, staker, E18 * U256::from(2u8));
    assert!(dm
        .sender(staker)
        .modify_operator_details(operator, approver)
        .motsu_unwrap_err()
        .is::<ferrostake_interfaces::IPermissionControllerMixin::InvalidPermissions>());
    // No approver any more: no signature needed.
    dm.sender(operator)
        .modify_operator_details(operator, Address::ZERO)
        .motsu_unwrap();
    dm.sender(staker)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    let roots = dm
        .sender(staker)
        .queue_withdrawals(vec![(vec![w.strategy], vec![E18], Address::ZERO)])
        .motsu_unwrap();

    // Serves `call` through a program's router and decodes the result strictly.
    fn decode<C: SolCall>(_: &C, out: &[u8]) -> C::Return {
        C::abi_decode_returns(out, true).expect("canonical ABI encoding")
    }
    macro_rules! view_of {
        ($router:ident, $call:expr) => {{
            let call = $call;
            let out = served(dm.sender(staker).$router(&call.abi_encode())).unwrap();
            decode(&call, &out)
        }};
    }
    assert_eq!(
        view_of!(serve_view, I::delegationApproverCall { operator })._0,
        Address::ZERO
    );
    assert!(
        !view_of!(
            serve_view,
            I::delegationApproverSaltIsSpentCall {
                delegationApprover: approver,
                salt: B256::ZERO
            }
        )
        ._0
    );
    assert_eq!(
        view_of!(serve_view, I::cumulativeWithdrawalsQueuedCall { staker })._0,
        U256::from(1u8)
    );
    assert!(view_of!(serve_view, I::isDelegatedCall { staker })._0);
    assert!(view_of!(serve_view, I::isOperatorCall { operator })._0);
    assert!(!view_of!(serve_view, I::isOperatorCall { operator: staker })._0);
    assert_eq!(
        view_of!(serve_view, I::delegatedToCall { staker })._0,
        operator
    );
    assert_eq!(
        view_of!(
            serve_view,
            I::depositScalingFactorCall {
                staker,
                strategy: w.strategy
            }
        )
        ._0,
        WAD
    );
    assert_eq!(
        view_of!(
            serve_view,
            I::operatorSharesCall {
                operator,
                strategy: w.strategy
            }
        )
        ._0,
        E18
    );
    assert_eq!(
        view_of!(
            serve_view,
            I::getOperatorSharesCall {
                operator,
                strategies: vec![w.strategy, staker]
            }
        )
        ._0,
        vec![E18, U256::ZERO]
    );
    assert_eq!(
        view_of!(
            serve_view,
            I::getOperatorsSharesCall {
                operators: vec![operator, staker, operator],
                strategies: vec![w.strategy, staker]
            }
        )
        ._0,
        vec![
            vec![E18, U256::ZERO],
            vec![U256::ZERO, U256::ZERO],
            vec![E18, U256::ZERO]
        ]
    );
    // Queued within the delay: all of it is still slashable.
    assert_eq!(
        view_of!(
            serve_view,
            I::getSlashableSharesInQueueCall {
                operator,
                strategy: w.strategy
            }
        )
        ._0,
        E18
    );
    assert_eq!(
        view_of!(
            serve_view,
            I::convertToDepositSharesCall {
                staker,
                strategies: vec![w.strategy],
                withdrawableShares: vec![E18]
            }
        )
        ._0,
        vec![E18]
    );
    let queued = dm.sender(staker).queued_withdrawals(roots[0]);
    let withdrawal = crate::into_withdrawal(queued);
    assert_eq!(
        view_of!(
            serve_view,
            I::calculateWithdrawalRootCall {
                withdrawal: withdrawal.clone()
            }
        )
        ._0,
        keccak256(withdrawal.abi_encode())
    );
    assert_eq!(roots[0], keccak256(withdrawal.abi_encode()));
    let digest = view_of!(
        serve_view,
        I::calculateDelegationApprovalDigestHashCall {
            staker,
            operator,
            approver,
            approverSalt: B256::repeat_byte(3),
            expiry: U256::from(9u8)
        }
    )
    ._0;
    assert_eq!(
        digest,
        dm.sender(staker).calculate_delegation_approval_digest_hash(
            staker,
            operator,
            approver,
            B256::repeat_byte(3),
            U256::from(9u8)
        )
    );
    assert!(
        view_of!(
            serve_view,
            I::pendingWithdrawalsCall {
                withdrawalRoot: roots[0]
            }
        )
        ._0
    );
    assert_eq!(
        view_of!(
            serve_view,
            I::queuedWithdrawalsCall {
                withdrawalRoot: roots[0]
            }
        )
        ._0,
        withdrawal
    );
    assert_eq!(
        view_of!(serve_view, I::getQueuedWithdrawalRootsCall { staker })._0,
        roots
    );
    assert_eq!(
        view_of!(serve_view, I::minWithdrawalDelayBlocksCall {})._0,
        DELAY
    );
    assert_eq!(
        view_of!(serve_view, I::beaconChainETHStrategyCall {})._0,
        BEACON_CHAIN_ETH_STRATEGY
    );
    assert_eq!(
        view_of!(serve_view, I::strategyManagerCall {})._0,
        sm.address()
    );
    assert_eq!(
        view_of!(serve_view, I::eigenPodManagerCall {})._0,
        Address::ZERO
    );
    assert_eq!(
        view_of!(serve_view, I::allocationManagerCall {})._0,
        am.address()
    );
    assert_eq!(
        view_of!(
            serve_view,
            IPermissionControllerMixin::permissionControllerCall {}
        )
        ._0,
        Address::ZERO
    );
    assert_eq!(
        view_of!(serve_view, I::DELEGATION_APPROVAL_TYPEHASHCall {})._0,
        keccak256("DelegationApproval(address delegationApprover,address staker,address operator,bytes32 salt,uint256 expiry)")
    );
    assert_eq!(
        view_of!(serve_view, ISignatureUtilsMixin::domainSeparatorCall {})._0,
        dm.sender(staker).domain_separator()
    );
    assert_eq!(
        view_of!(serve_view, ISignatureUtilsMixin::versionCall {})._0,
        "v1.0.0"
    );
    assert_eq!(
        view_of!(serve_view, IPausable::paused_0Call {})._0,
        U256::ZERO
    );
    assert!(!view_of!(serve_view, IPausable::paused_1Call { index: 1 })._0);
    assert_eq!(
        view_of!(serve_view, IPausable::pauserRegistryCall {})._0,
        reg.address()
    );
    assert_eq!(
        view_of!(serve_view, I::viewImplementationCall {})._0,
        reg.address()
    );
    assert_eq!(
        view_of!(serve_view, I::withdrawalsImplementationCall {})._0,
        reg.address()
    );
    // A uint8 argument above 255 does not decode.
    let mut data = IPausable::paused_1Call { index: 1 }.abi_encode();
    data[4 + 30] = 1;
    assert_eq!(served(dm.sender(staker).serve_view(&data)), Err(vec![]));

    // The core program's reads and pausing.
    assert_eq!(
        view_of!(serve_core, I::delegatedToCall { staker })._0,
        operator
    );
    assert_eq!(
        view_of!(
            serve_core,
            I::operatorSharesCall {
                operator,
                strategy: w.strategy
            }
        )
        ._0,
        E18
    );
    assert!(view_of!(serve_core, I::isOperatorCall { operator })._0);
    let pause = IPausable::pauseCall {
        newPausedStatus: U256::from(2u8),
    }
    .abi_encode();
    assert!(served(dm.sender(staker).serve_core(&pause)).is_err());
    served(dm.sender(ADMIN).serve_core(&pause)).unwrap();
    assert!(view_of!(serve_view, IPausable::paused_1Call { index: 1 })._0);
    served(
        dm.sender(ADMIN).serve_core(
            &IPausable::unpauseCall {
                newPausedStatus: U256::ZERO,
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    served(
        dm.sender(ADMIN)
            .serve_core(&IPausable::pauseAllCall {}.abi_encode()),
    )
    .unwrap();
    assert_eq!(
        view_of!(serve_view, IPausable::paused_0Call {})._0,
        U256::MAX
    );
    // initialize is one-shot, through the router too.
    let again = I::initializeCall {
        strategyManager_: sm.address(),
        eigenPodManager_: Address::ZERO,
        allocationManager_: am.address(),
        pauserRegistry_: reg.address(),
        permissionController_: Address::ZERO,
        withdrawalsImplementation_: staker,
        viewImplementation_: staker,
        minWithdrawalDelayBlocks_: 1,
        initialPausedStatus: U256::ZERO,
    }
    .abi_encode();
    assert!(served(dm.sender(ADMIN).serve_core(&again)).is_err());
    assert_eq!(dm.sender(ADMIN).view_implementation(), reg.address());
}

/// Finding 1: a withdrawal that was slashable when a guarded slash was queued waits for it
/// (`WithdrawalHeldBySlash`, nothing changes) and then pays at the block the slash executed,
/// after the end of its own delay.
#[motsu::test]
fn a_pending_guarded_slash_holds_a_withdrawal_it_could_reach(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    let (roots, queued) = delegated_withdrawal(&dm, &sm, &token, &w, operator, staker);
    am.sender(ADMIN).set_hold(operator, 0);
    hold_started(&dm, &am, operator);
    mine(DELAY as u64 + 1);
    let err = dm
        .sender(staker)
        .complete_queued_withdrawal(queued.clone(), vec![w.token], true)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::WithdrawalHeldBySlash>());
    assert!(dm.sender(staker).pending_withdrawals(roots[0]));
    assert_eq!(token.sender(staker).balance_of(staker), U256::ZERO);
    // The slash executes after the withdrawal's delay ended: max magnitude 1 → 0.75.
    mine(3);
    am.sender(ADMIN)
        .slash(operator, w.strategy, WAD64 / 4 * 3, U256::from(1u8))
        .motsu_unwrap();
    let executed = crate::test_clock::get();
    am.sender(ADMIN).set_hold(operator, executed);
    mine(1);
    dm.sender(staker)
        .complete_queued_withdrawal(queued, vec![w.token], true)
        .motsu_unwrap();
    // 1e18 scaled shares × 0.75; the 1:1 strategy pays as many tokens.
    assert_eq!(
        token.sender(staker).balance_of(staker),
        E18 / U256::from(4u8) * U256::from(3u8)
    );
}

/// Only the AllocationManager reports slash holds (`OnlyAllocationManager`, nothing recorded);
/// the first hold's block is kept when later episodes start.
#[motsu::test]
fn only_the_allocation_manager_reports_a_slash_hold(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    stranger: Address,
) {
    setup!(dm, sm, am, reg, strat, token, ADMIN);
    let err = dm
        .sender(stranger)
        .slash_hold_started(operator)
        .motsu_unwrap_err();
    assert!(err.is::<IDelegationManager::OnlyAllocationManager>());
    assert_eq!(dm.sender(stranger).slash_hold_since(operator), 0);
    mine(2);
    let first = crate::test_clock::get() as u32;
    hold_started(&dm, &am, operator);
    assert_eq!(dm.sender(stranger).slash_hold_since(operator), first);
    mine(5);
    hold_started(&dm, &am, operator);
    assert_eq!(dm.sender(stranger).slash_hold_since(operator), first);
    assert_eq!(dm.sender(stranger).slash_hold_since(stranger), 0);
}

/// A withdrawal whose delay ended before the operator's first hold began cannot be reached by any
/// queued slash (each hold episode starts at or after the first): it completes, in full, whatever
/// the AllocationManager would say of later withdrawals.
#[motsu::test]
fn a_withdrawal_slashable_only_before_the_first_hold_completes(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    staker: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    let (roots, queued) = delegated_withdrawal(&dm, &sm, &token, &w, operator, staker);
    mine(DELAY as u64 + 2);
    // The stand-in reports every withdrawal of the operator held from now on.
    am.sender(ADMIN).set_hold(operator, 0);
    hold_started(&dm, &am, operator);
    mine(1);
    dm.sender(staker)
        .complete_queued_withdrawal(queued, vec![w.token], true)
        .motsu_unwrap();
    assert!(!dm.sender(staker).pending_withdrawals(roots[0]));
    assert_eq!(token.sender(staker).balance_of(staker), E18);
}

/// The deposit scaling factor (EigenLayer's `update`): a first deposit under no operator, or an
/// unslashed one, keeps it at WAD; under an operator slashed to half it becomes WAD / 0.5 = 2 WAD,
/// so the staker can withdraw what it deposited.
#[motsu::test]
fn the_deposit_scaling_factor_stays_wad_until_a_slash_moves_it(
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    am: Contract<MockAllocation>,
    reg: Contract<PauserRegistry>,
    strat: Contract<Strategy>,
    token: Contract<TestErc20>,
    operator: Address,
    alice: Address,
    bob: Address,
) {
    let w = setup!(dm, sm, am, reg, strat, token, ADMIN);
    dm.sender(operator)
        .register_as_operator(Address::ZERO, 0, "ipfs://op".into())
        .motsu_unwrap();
    deposit(&sm, &token, &w, alice, E18);
    assert_eq!(
        dm.sender(alice)
            .deposit_scaling_factor_of(alice, w.strategy),
        WAD
    );
    dm.assert_emitted(&IDelegationManager::DepositScalingFactorUpdated {
        staker: alice,
        strategy: w.strategy,
        newDepositScalingFactor: WAD,
    });
    deposit(&sm, &token, &w, alice, E18);
    assert_eq!(
        dm.sender(alice)
            .deposit_scaling_factor_of(alice, w.strategy),
        WAD
    );
    dm.sender(bob)
        .delegate_to(operator, no_sig(), B256::ZERO)
        .motsu_unwrap();
    am.sender(ADMIN)
        .slash(operator, w.strategy, WAD64 / 2, U256::from(1u8))
        .motsu_unwrap();
    deposit(&sm, &token, &w, bob, E18);
    assert_eq!(
        dm.sender(bob).deposit_scaling_factor_of(bob, w.strategy),
        WAD * U256::from(2u8)
    );
    dm.assert_emitted(&IDelegationManager::DepositScalingFactorUpdated {
        staker: bob,
        strategy: w.strategy,
        newDepositScalingFactor: WAD * U256::from(2u8),
    });
    // Withdrawable: 1e18 deposit shares · 2 · 0.5.
    let (withdrawable, _) = dm
        .sender(bob)
        .get_withdrawable_shares(bob, vec![w.strategy])
        .motsu_unwrap();
    assert_eq!(withdrawable, vec![E18]);
}
