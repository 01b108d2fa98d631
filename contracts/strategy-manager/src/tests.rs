//! StrategyManager as the specification (logic program; views called as Rust methods, since the view
//! program is a separate build of the same storage).
use alloy_primitives::{keccak256, uint, Address, B256, U256};
use ferrostake_common::call;
use ferrostake_interfaces::{
    IFerrostakeErrors, IPausable, ISignatureUtilsMixin, IStrategyManager, OperatorSet,
};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_strategy::Strategy;
use ferrostake_test_erc20::TestErc20;
use k256::ecdsa::SigningKey;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::IErc20;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU256},
};

use super::*;

/// The DelegationManager's side: records `increaseDelegatedShares` and drives the share hooks.
#[storage]
struct MockDelegation {
    manager: StorageAddress,
    last_prev: StorageU256,
    last_added: StorageU256,
    calls: StorageU256,
}

unsafe impl TopLevelStorage for MockDelegation {}

#[public]
impl MockDelegation {
    fn set_manager(&mut self, m: Address) {
        self.manager.set(m);
    }
    #[selector(name = "increaseDelegatedShares")]
    fn increase_delegated_shares(
        &mut self,
        _staker: Address,
        _strategy: Address,
        prev: U256,
        added: U256,
    ) {
        self.last_prev.set(prev);
        self.last_added.set(added);
        let c = self.calls.get();
        self.calls.set(c + U256::from(1u8));
    }
    fn remove(&mut self, staker: Address, strategy: Address, shares: U256) -> Result<U256, Revert> {
        Ok(call::call(
            self.manager.get(),
            &IStrategyManager::removeDepositSharesCall {
                staker,
                strategy,
                depositSharesToRemove: shares,
            },
        )?
        ._0)
    }
    fn add(&mut self, staker: Address, strategy: Address, shares: U256) -> Result<(), Revert> {
        call::call(
            self.manager.get(),
            &IStrategyManager::addSharesCall {
                staker,
                strategy,
                shares,
            },
        )?;
        Ok(())
    }
    fn withdraw_as_tokens(
        &mut self,
        staker: Address,
        strategy: Address,
        token: Address,
        shares: U256,
    ) -> Result<(), Revert> {
        call::call(
            self.manager.get(),
            &IStrategyManager::withdrawSharesAsTokensCall {
                staker,
                strategy,
                token,
                shares,
            },
        )?;
        Ok(())
    }
    fn slash(
        &mut self,
        avs: Address,
        id: u32,
        slash_id: U256,
        strategy: Address,
        shares: U256,
    ) -> Result<(), Revert> {
        call::call(
            self.manager.get(),
            &IStrategyManager::increaseBurnOrRedistributableSharesCall {
                operatorSet: OperatorSet { avs, id },
                slashId: slash_id,
                strategy,
                sharesToBurn: shares,
            },
        )?;
        Ok(())
    }
}

/// The AllocationManager's redistribution recipient lookup.
#[storage]
struct MockAllocation {
    recipient: StorageAddress,
}

unsafe impl TopLevelStorage for MockAllocation {}

#[public]
impl MockAllocation {
    fn set_recipient(&mut self, r: Address) {
        self.recipient.set(r);
    }
    #[selector(name = "getRedistributionRecipient")]
    fn get_redistribution_recipient(&self, _set: (Address, u32)) -> Address {
        self.recipient.get()
    }
}

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
const ADMIN: Address = Address::new([0xad; 20]);

struct World {
    sm: Address,
    strategy: Address,
    token: Address,
}

fn world(
    sm: &Contract<StrategyManager>,
    dm: &Contract<MockDelegation>,
    am: &Contract<MockAllocation>,
    registry: &Contract<PauserRegistry>,
    strategy: &Contract<Strategy>,
    token: &Contract<TestErc20>,
) -> World {
    registry
        .sender(ADMIN)
        .initialize(vec![ADMIN], ADMIN)
        .motsu_unwrap();
    // The view program is a separate build; any address with code stands in for it here.
    sm.sender(ADMIN)
        .initialize(
            dm.address(),
            am.address(),
            registry.address(),
            registry.address(),
            ADMIN,
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap();
    dm.sender(ADMIN).set_manager(sm.address());
    strategy
        .sender(ADMIN)
        .initialize(sm.address(), registry.address(), token.address())
        .motsu_unwrap();
    sm.sender(ADMIN)
        .add_strategies_to_deposit_whitelist(vec![strategy.address()])
        .motsu_unwrap();
    World {
        sm: sm.address(),
        strategy: strategy.address(),
        token: token.address(),
    }
}

fn fund(token: &Contract<TestErc20>, who: Address, amount: U256, spender: Address) {
    token.sender(who).mint(who, amount).motsu_unwrap();
    token.sender(who).approve(spender, U256::MAX).motsu_unwrap();
}

#[motsu::test]
fn deposit_credits_shares_and_tells_the_delegation_manager(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    fund(&token, alice, E18 * U256::from(3u8), w.sm);
    let shares = sm
        .sender(alice)
        .deposit_into_strategy_external(w.strategy, w.token, E18)
        .motsu_unwrap();
    assert_eq!(shares, E18);
    assert_eq!(
        sm.sender(alice).staker_deposit_shares(alice, w.strategy),
        E18
    );
    assert_eq!(
        sm.sender(alice).get_staker_strategy_list(alice),
        vec![w.strategy]
    );
    assert_eq!(dm.sender(alice).last_prev.get(), U256::ZERO);
    assert_eq!(dm.sender(alice).last_added.get(), E18);
    sm.assert_emitted(&IStrategyManager::Deposit {
        staker: alice,
        strategy: w.strategy,
        shares: E18,
    });
    // A repeat deposit reports the previous deposit shares.
    sm.sender(alice)
        .deposit_into_strategy_external(w.strategy, w.token, E18)
        .motsu_unwrap();
    assert_eq!(dm.sender(alice).last_prev.get(), E18);
    assert_eq!(
        sm.sender(alice).get_deposits(alice),
        (vec![w.strategy], vec![E18 * U256::from(2u8)])
    );
    assert_eq!(
        token.sender(alice).balance_of(w.strategy),
        E18 * U256::from(2u8)
    );
}

#[motsu::test]
fn unlisted_strategies_and_paused_deposits_are_refused(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    fund(&token, alice, E18, w.sm);
    sm.sender(ADMIN)
        .remove_strategies_from_deposit_whitelist(vec![w.strategy])
        .motsu_unwrap();
    let err = sm
        .sender(alice)
        .deposit_into_strategy_external(w.strategy, w.token, E18)
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::StrategyNotWhitelisted>());
    sm.sender(ADMIN)
        .add_strategies_to_deposit_whitelist(vec![w.strategy])
        .motsu_unwrap();
    sm.sender(ADMIN).pause(U256::from(1u8)).motsu_unwrap();
    let err = sm
        .sender(alice)
        .deposit_into_strategy_external(w.strategy, w.token, E18)
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    assert_eq!(token.sender(alice).balance_of(alice), E18, "nothing moved");
    assert_eq!(
        sm.sender(alice).staker_deposit_shares(alice, w.strategy),
        U256::ZERO
    );
}

#[motsu::test]
fn only_the_whitelister_and_owner_manage_the_whitelist(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    stranger: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    let err = sm
        .sender(stranger)
        .add_strategies_to_deposit_whitelist(vec![stranger])
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyStrategyWhitelister>());
    let err = sm
        .sender(stranger)
        .set_strategy_whitelister(stranger)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    sm.sender(ADMIN)
        .set_strategy_whitelister(stranger)
        .motsu_unwrap();
    sm.sender(stranger)
        .remove_strategies_from_deposit_whitelist(vec![w.strategy])
        .motsu_unwrap();
    assert!(!sm
        .sender(stranger)
        .strategy_is_whitelisted_for_deposit(w.strategy));
    sm.assert_emitted(&IStrategyManager::StrategyRemovedFromDepositWhitelist {
        strategy: w.strategy,
    });
}

#[motsu::test]
fn the_view_program_is_set_by_the_proxy_admin_only(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    proxy_admin: Address,
) {
    world(&sm, &dm, &am, &registry, &strategy, &token);
    let before = sm.sender(ADMIN).view_implementation();
    let new_view = Address::repeat_byte(0x42);
    // The owner is not the upgrade key; with no proxy (empty admin slot) nobody may.
    let err = sm
        .sender(ADMIN)
        .set_view_implementation(new_view)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OnlyProxyAdmin>());
    ferrostake_common::access::store_proxy_admin(sm.sender(ADMIN).vm(), proxy_admin);
    let err = sm
        .sender(ADMIN)
        .set_view_implementation(new_view)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OnlyProxyAdmin>());
    assert_eq!(sm.sender(ADMIN).view_implementation(), before);
    let err = sm
        .sender(proxy_admin)
        .set_view_implementation(Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::InputAddressZero>());
    sm.sender(proxy_admin)
        .set_view_implementation(new_view)
        .motsu_unwrap();
    assert_eq!(sm.sender(ADMIN).view_implementation(), new_view);
    sm.assert_emitted(&IStrategyManager::ViewImplementationSet {
        viewImplementation: new_view,
    });
}

#[motsu::test]
fn hooks_are_for_the_delegation_manager_only(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    let err = sm
        .sender(alice)
        .remove_deposit_shares(alice, w.strategy, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyDelegationManager>());
    let err = sm
        .sender(alice)
        .add_shares(alice, w.strategy, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyDelegationManager>());
    let err = sm
        .sender(alice)
        .withdraw_shares_as_tokens(alice, w.strategy, w.token, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyDelegationManager>());
}

#[motsu::test]
fn removing_shares_checks_amounts_and_maintains_the_list(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    fund(&token, alice, E18, w.sm);
    sm.sender(alice)
        .deposit_into_strategy_external(w.strategy, w.token, E18)
        .motsu_unwrap();
    assert!(dm
        .sender(alice)
        .remove(alice, w.strategy, U256::ZERO)
        .motsu_unwrap_err()
        .is::<IStrategyManager::SharesAmountZero>());
    assert!(dm
        .sender(alice)
        .remove(alice, w.strategy, E18 + U256::from(1u8))
        .motsu_unwrap_err()
        .is::<IStrategyManager::SharesAmountTooHigh>());
    assert_eq!(
        dm.sender(alice)
            .remove(alice, w.strategy, E18 / U256::from(4u8))
            .motsu_unwrap(),
        E18 / U256::from(4u8) * U256::from(3u8)
    );
    assert_eq!(
        sm.sender(alice).staker_strategy_list_length(alice),
        U256::from(1u8)
    );
    dm.sender(alice)
        .remove(alice, w.strategy, E18 / U256::from(4u8) * U256::from(3u8))
        .motsu_unwrap();
    assert_eq!(
        sm.sender(alice).staker_strategy_list_length(alice),
        U256::ZERO,
        "a strategy leaves the list at zero"
    );
    // Shares come back as shares (re-listed) or as tokens.
    dm.sender(alice)
        .add(alice, w.strategy, E18 / U256::from(2u8))
        .motsu_unwrap();
    assert_eq!(
        sm.sender(alice).get_staker_strategy_list(alice),
        vec![w.strategy]
    );
    dm.sender(alice)
        .withdraw_as_tokens(alice, w.strategy, w.token, E18 / U256::from(2u8))
        .motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), E18 / U256::from(2u8));
}

#[motsu::test]
fn a_staker_holds_at_most_32_strategies(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    let strategies: Vec<Contract<Strategy>> = (0..MAX_STAKER_STRATEGY_LIST_LENGTH)
        .map(|_| Contract::new())
        .collect();
    for s in &strategies {
        s.sender(ADMIN)
            .initialize(w.sm, registry.address(), w.token)
            .motsu_unwrap();
        dm.sender(alice)
            .add(alice, s.address(), U256::from(1u8))
            .motsu_unwrap();
    }
    let err = dm
        .sender(alice)
        .add(alice, w.strategy, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::MaxStrategiesExceeded>());
    assert_eq!(
        sm.sender(alice).staker_strategy_list_length(alice),
        U256::from(MAX_STAKER_STRATEGY_LIST_LENGTH)
    );
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
fn deposit_with_signature_spends_a_nonce_and_rejects_bad_signatures(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    relayer: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let staker = address_of(&key);
    fund(&token, relayer, E18 * U256::from(2u8), w.sm);
    let expiry = U256::from(u64::MAX);
    let digest = sm.sender(relayer).calculate_strategy_deposit_digest_hash(
        staker,
        w.strategy,
        w.token,
        E18,
        U256::ZERO,
        expiry,
    );
    let sig = sign(&key, digest);

    // Wrong signer.
    let other = SigningKey::from_slice(&[8u8; 32]).unwrap();
    let err = sm
        .sender(relayer)
        .deposit_into_strategy_with_signature(
            w.strategy,
            w.token,
            E18,
            staker,
            expiry,
            sign(&other, digest).into(),
        )
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());

    sm.sender(relayer)
        .deposit_into_strategy_with_signature(
            w.strategy,
            w.token,
            E18,
            staker,
            expiry,
            sig.clone().into(),
        )
        .motsu_unwrap();
    assert_eq!(
        sm.sender(relayer).staker_deposit_shares(staker, w.strategy),
        E18
    );
    assert_eq!(sm.sender(relayer).nonces(staker), U256::from(1u8));

    // Replay: the nonce moved on, so the same signature no longer matches.
    let err = sm
        .sender(relayer)
        .deposit_into_strategy_with_signature(w.strategy, w.token, E18, staker, expiry, sig.into())
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());

    // Expired.
    let digest = sm.sender(relayer).calculate_strategy_deposit_digest_hash(
        staker,
        w.strategy,
        w.token,
        E18,
        U256::from(1u8),
        U256::ZERO,
    );
    let err = sm
        .sender(relayer)
        .deposit_into_strategy_with_signature(
            w.strategy,
            w.token,
            E18,
            staker,
            U256::ZERO,
            sign(&key, digest).into(),
        )
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::SignatureExpired>());
    assert_eq!(sm.sender(relayer).nonces(staker), U256::from(1u8));
}

#[motsu::test]
fn slashed_shares_are_queued_then_paid_to_the_recipient(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    am: Contract<MockAllocation>,
    registry: Contract<PauserRegistry>,
    strategy: Contract<Strategy>,
    token: Contract<TestErc20>,
    alice: Address,
    avs: Address,
    recipient: Address,
) {
    let w = world(&sm, &dm, &am, &registry, &strategy, &token);
    am.sender(ADMIN).set_recipient(recipient);
    fund(&token, alice, E18, w.sm);
    sm.sender(alice)
        .deposit_into_strategy_external(w.strategy, w.token, E18)
        .motsu_unwrap();
    let slash_id = U256::from(1u8);
    dm.sender(ADMIN)
        .slash(avs, 7, slash_id, w.strategy, E18 / U256::from(4u8))
        .motsu_unwrap();
    let err = dm
        .sender(ADMIN)
        .slash(avs, 7, slash_id, w.strategy, U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::StrategyAlreadyInSlash>());
    assert_eq!(sm.sender(alice).get_pending_operator_sets(), vec![(avs, 7)]);
    assert_eq!(
        sm.sender(alice).get_pending_slash_ids((avs, 7)),
        vec![slash_id]
    );
    assert_eq!(
        sm.sender(alice)
            .get_burn_or_redistributable_count((avs, 7), slash_id),
        U256::from(1u8)
    );

    let out = sm
        .sender(alice)
        .clear_burn_or_redistributable_shares((avs, 7), slash_id)
        .motsu_unwrap();
    assert_eq!(out, vec![E18 / U256::from(4u8)]);
    assert_eq!(
        token.sender(alice).balance_of(recipient),
        E18 / U256::from(4u8)
    );
    assert!(sm.sender(alice).get_pending_operator_sets().is_empty());
    assert!(sm.sender(alice).get_pending_slash_ids((avs, 7)).is_empty());
    // Clearing again pays nothing.
    assert_eq!(
        sm.sender(alice)
            .clear_burn_or_redistributable_shares_by_strategy((avs, 7), slash_id, w.strategy)
            .motsu_unwrap(),
        U256::ZERO
    );
}

#[motsu::test]
fn initialize_runs_once_and_rejects_zero_addresses(
    sm: Contract<StrategyManager>,
    registry: Contract<PauserRegistry>,
) {
    let err = sm
        .sender(ADMIN)
        .initialize(
            Address::ZERO,
            ADMIN,
            registry.address(),
            registry.address(),
            ADMIN,
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::InputAddressZero>());
    sm.sender(ADMIN)
        .initialize(
            ADMIN,
            ADMIN,
            registry.address(),
            registry.address(),
            ADMIN,
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap();
    let err = sm
        .sender(ADMIN)
        .initialize(
            ADMIN,
            ADMIN,
            registry.address(),
            registry.address(),
            ADMIN,
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
    assert_eq!(sm.sender(ADMIN).owner(), ADMIN);
    assert_eq!(sm.sender(ADMIN).deposit_typehash_view(), deposit_typehash());
}
