//! DelegationManager flows with the real StrategyManager, Strategy and token programs, and a stand-in
//! AllocationManager that keeps max-magnitude history and slashes through the DelegationManager.
use alloy_primitives::{keccak256, uint, Address, B256, U256};
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
            Address::ZERO,
            am.address(),
            registry.address(),
            Address::ZERO,
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
