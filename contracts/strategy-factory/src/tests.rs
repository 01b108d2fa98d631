//! StrategyFactory as the specification, with the real StrategyManager, Strategy, PauserRegistry and
//! token programs. motsu has no CREATE2: each test places a Strategy program at the token's CREATE2
//! address (`Contract::new_at`) and `deployNewStrategy` checks that it is there instead of deploying;
//! everything after the deployment (initialize, mapping, whitelisting) runs for real.
use alloy_primitives::{keccak256, uint, Address, U256};
use alloy_sol_types::{SolCall, SolError};
use ferrostake_common::call;
use ferrostake_interfaces::{
    IFerrostakeErrors, IOwnable, IPausable, IStrategy, IStrategyFactory, IStrategyManager,
    OperatorSet, VaultConfig as SolVaultConfig,
};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_strategy::Strategy;
use ferrostake_strategy_manager::StrategyManager;
use ferrostake_test_erc20::TestErc20;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::IErc20;
use stylus_sdk::{prelude::*, storage::StorageU256};

use super::*;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// Pauser and unpauser of the registry, owner of the StrategyManager.
const ADMIN: Address = Address::new([0xad; 20]);
/// Owner of the factory.
const OWNER: Address = Address::new([0x0f; 20]);
/// The strategy beacon (only its address matters natively: it is part of the proxy code).
const BEACON: Address = Address::new([0xbe; 20]);

/// The DelegationManager's side of a deposit: counts `increaseDelegatedShares`.
#[storage]
struct MockDelegation {
    calls: StorageU256,
}

unsafe impl TopLevelStorage for MockDelegation {}

#[public]
impl MockDelegation {
    #[selector(name = "increaseDelegatedShares")]
    fn increase_delegated_shares(
        &mut self,
        _staker: Address,
        _strategy: Address,
        _prev: U256,
        _added: U256,
    ) {
        let c = self.calls.get();
        self.calls.set(c + U256::from(1u8));
    }
}

/// Calls the factory through its ABI (selectors and encoding, as another contract would).
#[storage]
struct Probe {
    _unused: StorageU256,
}

unsafe impl TopLevelStorage for Probe {}

#[public]
impl Probe {
    fn deploy(&mut self, factory: Address, token: Address) -> Result<Address, Revert> {
        Ok(call::call(factory, &IStrategyFactory::deployNewStrategyCall { token })?.newStrategy)
    }
    fn deployed(&self, factory: Address, token: Address) -> Result<Address, Revert> {
        Ok(call::static_call(factory, &IStrategyFactory::deployedStrategiesCall { token })?._0)
    }
    fn blacklisted(&self, factory: Address, token: Address) -> Result<bool, Revert> {
        Ok(call::static_call(factory, &IStrategyFactory::isBlacklistedCall { token })?._0)
    }
    fn vaults(&self, factory: Address, token: Address) -> Result<Vec<Address>, Revert> {
        Ok(call::static_call(factory, &IStrategyFactory::getDurationVaultsCall { token })?._0)
    }
    fn vault_at(&self, factory: Address, token: Address, index: U256) -> Result<Address, Revert> {
        Ok(call::static_call(
            factory,
            &IStrategyFactory::durationVaultsByTokenCall { token, index },
        )?
        ._0)
    }
    fn deploy_vault(&mut self, factory: Address, token: Address) -> Result<Address, Revert> {
        let config = SolVaultConfig {
            underlyingToken: token,
            vaultAdmin: Address::repeat_byte(1),
            arbitrator: Address::repeat_byte(2),
            duration: 86_400,
            maxPerDeposit: U256::from(5u8),
            stakeCap: U256::from(50u8),
            metadataURI: "ipfs://vault".into(),
            operatorSet: OperatorSet {
                avs: Address::repeat_byte(3),
                id: 7,
            },
            operatorSetRegistrationData: vec![1u8, 2, 3].into(),
            delegationApprover: Address::ZERO,
            operatorMetadataURI: "ipfs://operator".into(),
        };
        Ok(call::call(
            factory,
            &IStrategyFactory::deployDurationVaultStrategyCall { config },
        )?
        .newVault)
    }
    /// `paused(uint8)` through the ABI (the overload the StrategyManager's peers read).
    fn paused_bit(&self, factory: Address, index: u8) -> Result<bool, Revert> {
        Ok(call::static_call(factory, &IPausable::paused_1Call { index })?._0)
    }
}

struct World {
    factory: Contract<StrategyFactory>,
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    probe: Contract<Probe>,
}

impl World {
    /// A registry (pauser and unpauser ADMIN), a StrategyManager whose whitelister is
    /// `whitelister(factory)`, and the factory owned by OWNER with `paused` as its initial bitmap.
    fn with(whitelister: impl Fn(Address) -> Address, paused: U256) -> World {
        let w = World {
            factory: Contract::new(),
            sm: Contract::new(),
            dm: Contract::new(),
            registry: Contract::new(),
            probe: Contract::new(),
        };
        w.registry
            .sender(ADMIN)
            .initialize(vec![ADMIN], ADMIN)
            .motsu_unwrap();
        w.sm.sender(ADMIN)
            .initialize(
                w.dm.address(),
                Address::repeat_byte(0xa1), // AllocationManager: not called by these flows
                w.registry.address(),
                w.registry.address(), // any contract stands in for the view program natively
                ADMIN,
                whitelister(w.factory.address()),
                U256::ZERO,
            )
            .motsu_unwrap();
        w.factory
            .sender(ADMIN)
            .initialize(w.sm.address(), w.registry.address(), BEACON, OWNER, paused)
            .motsu_unwrap();
        w
    }

    fn new() -> World {
        Self::with(|factory| factory, U256::ZERO)
    }

    /// Where the factory's CREATE2 puts `token`'s strategy: the formula computed here.
    fn predicted(&self, token: Address) -> Address {
        let mut pre = vec![0xffu8];
        pre.extend_from_slice(self.factory.address().as_slice());
        pre.extend_from_slice(token.into_word().as_slice());
        pre.extend_from_slice(keccak256(strategy_proxy::init_code(BEACON)).as_slice());
        Address::from_slice(&keccak256(&pre)[12..])
    }

    /// A Strategy program at `token`'s CREATE2 address, not yet initialized.
    fn strategy_slot(&self, token: Address) -> Contract<Strategy> {
        Contract::new_at(self.predicted(token))
    }

    /// Deploys `token`'s strategy as `caller` and returns its contract.
    fn deploy(&self, caller: Address, token: Address) -> Contract<Strategy> {
        let strategy = self.strategy_slot(token);
        self.deploy_into(caller, token, &strategy);
        strategy
    }

    /// Deploys `token`'s strategy as `caller` into the already placed `strategy`.
    fn deploy_into(&self, caller: Address, token: Address, strategy: &Contract<Strategy>) {
        let deployed = self
            .factory
            .sender(caller)
            .deploy_new_strategy(token)
            .motsu_unwrap();
        assert_eq!(deployed, strategy.address());
    }

    fn whitelisted(&self, strategy: Address) -> bool {
        self.sm
            .sender(ADMIN)
            .strategy_is_whitelisted_for_deposit(strategy)
    }
}

fn token() -> Contract<TestErc20> {
    Contract::new()
}

// --- initialize ---

#[motsu::test]
fn initialize_records_the_wiring_once() {
    let w = World::with(|factory| factory, U256::from(0b10u8));
    let f = w.factory.sender(ADMIN);
    assert_eq!(f.strategy_manager(), w.sm.address());
    assert_eq!(f.strategy_beacon(), BEACON);
    assert_eq!(f.pauser_registry(), w.registry.address());
    assert_eq!(f.owner(), OWNER);
    assert_eq!(f.paused_all(), U256::from(0b10u8));
    assert!(f.paused_index(1));
    assert!(!f.paused_index(pause::NEW_STRATEGIES));
    drop(f);
    w.factory.assert_emitted(&IOwnable::OwnershipTransferred {
        previousOwner: Address::ZERO,
        newOwner: OWNER,
    });

    let err = w
        .factory
        .sender(OWNER)
        .initialize(
            Address::repeat_byte(9),
            w.registry.address(),
            Address::repeat_byte(9),
            ADMIN,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
    assert_eq!(w.factory.sender(ADMIN).strategy_manager(), w.sm.address());
    assert_eq!(w.factory.sender(ADMIN).strategy_beacon(), BEACON);
    assert_eq!(w.factory.sender(ADMIN).owner(), OWNER);
}

#[motsu::test]
fn initialize_rejects_zero_addresses_and_stays_uninitialized(
    factory: Contract<StrategyFactory>,
    registry: Contract<PauserRegistry>,
) {
    let sm = Address::repeat_byte(0x5a);
    let reg = registry.address();
    let cases: [(Address, Address, Address, Address, [u8; 4]); 4] = [
        (
            Address::ZERO,
            reg,
            BEACON,
            OWNER,
            IStrategyFactory::InputAddressZero::SELECTOR,
        ),
        (
            sm,
            reg,
            Address::ZERO,
            OWNER,
            IStrategyFactory::InputAddressZero::SELECTOR,
        ),
        (
            sm,
            Address::ZERO,
            BEACON,
            OWNER,
            IPausable::InputAddressZero::SELECTOR,
        ),
        (
            sm,
            reg,
            BEACON,
            Address::ZERO,
            IFerrostakeErrors::OwnableInvalidOwner::SELECTOR,
        ),
    ];
    for (s, r, b, o, selector) in cases {
        let err = factory
            .sender(ADMIN)
            .initialize(s, r, b, o, U256::ZERO)
            .motsu_unwrap_err();
        assert_eq!(err.selector(), Some(selector));
        assert_eq!(factory.sender(ADMIN).strategy_manager(), Address::ZERO);
        assert_eq!(factory.sender(ADMIN).strategy_beacon(), Address::ZERO);
        assert_eq!(factory.sender(ADMIN).pauser_registry(), Address::ZERO);
        assert_eq!(factory.sender(ADMIN).owner(), Address::ZERO);
    }
    // The failed attempts left it uninitialized.
    factory
        .sender(ADMIN)
        .initialize(sm, reg, BEACON, OWNER, U256::ZERO)
        .motsu_unwrap();
    assert_eq!(factory.sender(ADMIN).owner(), OWNER);
}

// --- deployNewStrategy ---

#[motsu::test]
fn deploy_new_strategy_initializes_records_and_whitelists(alice: Address) {
    let w = World::new();
    let t = token();
    let strategy = w.strategy_slot(t.address());
    assert!(!w.whitelisted(strategy.address()));

    // Anyone may deploy.
    let deployed = w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap();
    assert_eq!(deployed, w.predicted(t.address()));
    assert_eq!(deployed, strategy.address());

    // initialize(strategyManager, pauserRegistry, token) ran on the strategy.
    assert_eq!(strategy.sender(alice).underlying_token(), t.address());
    assert_eq!(strategy.sender(alice).strategy_manager(), w.sm.address());
    assert_eq!(
        strategy.sender(alice).pauser_registry(),
        w.registry.address()
    );
    strategy.assert_emitted(&IStrategy::StrategyTokenSet {
        token: t.address(),
        decimals: 18,
    });

    // token → strategy, and whitelisted for deposits in the StrategyManager.
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        deployed
    );
    w.factory
        .assert_emitted(&IStrategyFactory::StrategySetForToken {
            token: t.address(),
            strategy: deployed,
        });
    assert!(w.whitelisted(deployed));
    w.sm.assert_emitted(&IStrategyManager::StrategyAddedToDepositWhitelist { strategy: deployed });
}

#[motsu::test]
fn a_deployed_strategy_takes_deposits_through_the_strategy_manager(alice: Address) {
    let w = World::new();
    let t = token();
    let strategy = w.deploy(alice, t.address());
    t.sender(alice).mint(alice, E18).motsu_unwrap();
    t.sender(alice).approve(w.sm.address(), E18).motsu_unwrap();
    let shares =
        w.sm.sender(alice)
            .deposit_into_strategy_external(strategy.address(), t.address(), E18)
            .motsu_unwrap();
    assert_eq!(shares, E18, "first deposit: one share per token unit");
    assert_eq!(
        w.sm.sender(alice)
            .staker_deposit_shares(alice, strategy.address()),
        E18
    );
    assert_eq!(t.sender(alice).balance_of(strategy.address()), E18);
    assert_eq!(strategy.sender(alice).total_shares(), E18);
    assert_eq!(w.dm.sender(alice).calls.get(), U256::from(1u8));
}

#[motsu::test]
fn one_strategy_per_token(alice: Address, bob: Address) {
    let w = World::new();
    let t = token();
    let first = w.deploy(alice, t.address());
    let err = w
        .factory
        .sender(bob)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyFactory::StrategyAlreadyExists>());
    assert_eq!(
        w.factory.sender(bob).deployed_strategies(t.address()),
        first.address()
    );
    assert!(w.whitelisted(first.address()));

    // Another token gets its own address.
    let t2 = token();
    let second = w.deploy(bob, t2.address());
    assert_ne!(second.address(), first.address());
    assert_eq!(
        w.factory.sender(bob).deployed_strategies(t2.address()),
        second.address()
    );
}

#[motsu::test]
fn the_zero_token_is_refused(alice: Address) {
    let w = World::new();
    let err = w
        .factory
        .sender(alice)
        .deploy_new_strategy(Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyFactory::InputAddressZero>());
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(Address::ZERO),
        Address::ZERO
    );
}

#[motsu::test]
fn a_blacklisted_token_gets_no_strategy(alice: Address) {
    let w = World::new();
    let t = token();
    let strategy = w.strategy_slot(t.address());
    w.factory
        .sender(OWNER)
        .blacklist_tokens(vec![t.address()])
        .motsu_unwrap();
    let err = w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyFactory::BlacklistedToken>());
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        Address::ZERO
    );
    assert!(!w.whitelisted(strategy.address()));
    assert_eq!(strategy.sender(alice).underlying_token(), Address::ZERO);
}

#[motsu::test]
fn new_strategies_pause_on_bit_zero(alice: Address) {
    let w = World::with(|factory| factory, U256::from(1u8));
    let t = token();
    let strategy = w.strategy_slot(t.address());
    let err = w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        Address::ZERO
    );
    assert!(!w.whitelisted(strategy.address()));

    // Other bits do not block it; clearing bit 0 does.
    w.factory
        .sender(ADMIN)
        .pause(U256::from(0b101u8))
        .motsu_unwrap();
    assert!(w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
    w.factory
        .sender(ADMIN)
        .unpause(U256::from(0b100u8))
        .motsu_unwrap();
    w.deploy_into(alice, t.address(), &strategy);
    assert!(w.whitelisted(strategy.address()));
}

#[motsu::test]
fn the_factory_must_be_the_strategy_whitelister(alice: Address) {
    // The StrategyManager's whitelister is ADMIN, not the factory.
    let w = World::with(|_| ADMIN, U256::ZERO);
    let t = token();
    let strategy = w.strategy_slot(t.address());
    let err = w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyStrategyWhitelister>());
    // Everything rolled back, including the strategy's initialize and the factory's event.
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        Address::ZERO
    );
    assert_eq!(strategy.sender(alice).underlying_token(), Address::ZERO);
    assert!(!w.factory.emitted(&IStrategyFactory::StrategySetForToken {
        token: t.address(),
        strategy: strategy.address(),
    }));

    // Once it is, the same deployment goes through (the strategy was not left initialized).
    w.sm.sender(ADMIN)
        .set_strategy_whitelister(w.factory.address())
        .motsu_unwrap();
    w.deploy_into(alice, t.address(), &strategy);
    assert!(w.whitelisted(strategy.address()));
    assert_eq!(strategy.sender(alice).underlying_token(), t.address());
}

#[motsu::test]
fn a_strategy_already_initialized_by_someone_else_blocks_deployment(alice: Address) {
    let w = World::new();
    let t = token();
    let strategy = w.strategy_slot(t.address());
    // The Strategy program refuses a second initialize; the factory bubbles that error.
    strategy
        .sender(alice)
        .initialize(alice, w.registry.address(), t.address())
        .motsu_unwrap();
    let err = w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        Address::ZERO
    );
    assert!(!w.whitelisted(strategy.address()));
}

#[motsu::test]
fn native_deployment_needs_the_strategy_at_the_create2_address(alice: Address) {
    let w = World::new();
    let t = token();
    let err = w
        .factory
        .sender(alice)
        .deploy_new_strategy(t.address())
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<IFerrostakeErrors::NoCodeAt>().unwrap().target,
        w.predicted(t.address())
    );
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        Address::ZERO
    );
}

// --- blacklistTokens ---

#[motsu::test]
fn blacklisting_removes_the_tokens_strategy_from_the_whitelist(alice: Address) {
    let w = World::new();
    let (a, b) = (token(), token());
    let strategy = w.deploy(alice, a.address());
    w.factory
        .sender(OWNER)
        .blacklist_tokens(vec![a.address(), b.address()])
        .motsu_unwrap();
    for t in [a.address(), b.address()] {
        assert!(w.factory.sender(alice).is_blacklisted(t));
        w.factory
            .assert_emitted(&IStrategyFactory::TokenBlacklisted { token: t });
    }
    assert!(!w.whitelisted(strategy.address()));
    w.sm.assert_emitted(&IStrategyManager::StrategyRemovedFromDepositWhitelist {
        strategy: strategy.address(),
    });
    // The token → strategy entry stays (withdrawals of existing shares go on).
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(a.address()),
        strategy.address()
    );
    // No more deposits into it.
    a.sender(alice).mint(alice, E18).motsu_unwrap();
    a.sender(alice).approve(w.sm.address(), E18).motsu_unwrap();
    let err =
        w.sm.sender(alice)
            .deposit_into_strategy_external(strategy.address(), a.address(), E18)
            .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::StrategyNotWhitelisted>());
}

#[motsu::test]
fn blacklisting_tokens_without_strategies_does_not_call_the_strategy_manager() {
    // With a foreign whitelister any StrategyManager call would revert: none is made.
    let w = World::with(|_| ADMIN, U256::ZERO);
    let t = Address::repeat_byte(0x70);
    w.factory
        .sender(OWNER)
        .blacklist_tokens(vec![t])
        .motsu_unwrap();
    assert!(w.factory.sender(OWNER).is_blacklisted(t));
    // An empty batch is a no-op.
    w.factory
        .sender(OWNER)
        .blacklist_tokens(vec![])
        .motsu_unwrap();
}

#[motsu::test]
fn blacklisting_is_owner_only_once_per_token_and_all_or_nothing(alice: Address) {
    let w = World::new();
    let (a, b, c) = (
        Address::repeat_byte(0x71),
        Address::repeat_byte(0x72),
        Address::repeat_byte(0x73),
    );
    let err = w
        .factory
        .sender(alice)
        .blacklist_tokens(vec![a])
        .motsu_unwrap_err();
    assert_eq!(
        err.decode::<IFerrostakeErrors::OwnableUnauthorizedAccount>()
            .unwrap()
            .account,
        alice
    );
    assert!(!w.factory.sender(alice).is_blacklisted(a));

    w.factory
        .sender(OWNER)
        .blacklist_tokens(vec![a])
        .motsu_unwrap();
    // Already blacklisted, alone or later in a batch: the whole batch reverts.
    for batch in [vec![a], vec![b, a], vec![c, c]] {
        let err = w
            .factory
            .sender(OWNER)
            .blacklist_tokens(batch)
            .motsu_unwrap_err();
        assert!(err.is::<IStrategyFactory::AlreadyBlacklisted>());
    }
    assert!(!w.factory.sender(alice).is_blacklisted(b));
    assert!(!w.factory.sender(alice).is_blacklisted(c));
    assert!(!w
        .factory
        .emitted(&IStrategyFactory::TokenBlacklisted { token: b }));
}

#[motsu::test]
fn a_failing_whitelist_removal_rolls_the_blacklist_back(alice: Address) {
    let w = World::new();
    let t = token();
    let strategy = w.deploy(alice, t.address());
    // The StrategyManager's owner takes the whitelister role away from the factory.
    w.sm.sender(ADMIN)
        .set_strategy_whitelister(ADMIN)
        .motsu_unwrap();
    let err = w
        .factory
        .sender(OWNER)
        .blacklist_tokens(vec![t.address()])
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyStrategyWhitelister>());
    assert!(!w.factory.sender(OWNER).is_blacklisted(t.address()));
    assert!(w.whitelisted(strategy.address()));
}

// --- whitelist pass-throughs ---

#[motsu::test]
fn the_owner_passes_whitelist_changes_through(alice: Address) {
    let w = World::new();
    // A strategy the factory did not deploy (EigenLayer: pre-factory LST strategies).
    let external: Contract<Strategy> = Contract::new();
    let other = Address::repeat_byte(0x55);
    w.factory
        .sender(OWNER)
        .whitelist_strategies(vec![external.address(), other])
        .motsu_unwrap();
    assert!(w.whitelisted(external.address()));
    assert!(w.whitelisted(other));
    w.sm.assert_emitted(&IStrategyManager::StrategyAddedToDepositWhitelist {
        strategy: external.address(),
    });

    w.factory
        .sender(OWNER)
        .remove_strategies_from_whitelist(vec![other])
        .motsu_unwrap();
    assert!(!w.whitelisted(other));
    assert!(w.whitelisted(external.address()));
    w.sm.assert_emitted(&IStrategyManager::StrategyRemovedFromDepositWhitelist { strategy: other });

    // Removing a factory-deployed strategy does not touch the factory's map or blacklist.
    let t = token();
    let deployed = w.deploy(alice, t.address());
    w.factory
        .sender(OWNER)
        .remove_strategies_from_whitelist(vec![deployed.address()])
        .motsu_unwrap();
    assert!(!w.whitelisted(deployed.address()));
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        deployed.address()
    );
    assert!(!w.factory.sender(alice).is_blacklisted(t.address()));
    // The owner can put it back.
    w.factory
        .sender(OWNER)
        .whitelist_strategies(vec![deployed.address()])
        .motsu_unwrap();
    assert!(w.whitelisted(deployed.address()));
}

#[motsu::test]
fn whitelist_pass_throughs_are_owner_only(alice: Address) {
    let w = World::new();
    let s = Address::repeat_byte(0x56);
    let err = w
        .factory
        .sender(alice)
        .whitelist_strategies(vec![s])
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    assert!(!w.whitelisted(s));

    w.factory
        .sender(OWNER)
        .whitelist_strategies(vec![s])
        .motsu_unwrap();
    let err = w
        .factory
        .sender(alice)
        .remove_strategies_from_whitelist(vec![s])
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    assert!(w.whitelisted(s));
}

#[motsu::test]
fn pass_throughs_bubble_the_strategy_managers_errors() {
    let w = World::with(|_| ADMIN, U256::ZERO);
    let s = Address::repeat_byte(0x57);
    let err = w
        .factory
        .sender(OWNER)
        .whitelist_strategies(vec![s])
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyStrategyWhitelister>());
    assert!(!w.whitelisted(s));
    w.sm.sender(ADMIN)
        .add_strategies_to_deposit_whitelist(vec![s])
        .motsu_unwrap();
    let err = w
        .factory
        .sender(OWNER)
        .remove_strategies_from_whitelist(vec![s])
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyManager::OnlyStrategyWhitelister>());
    assert!(w.whitelisted(s));
}

// --- duration vaults ---

#[motsu::test]
fn duration_vaults_are_not_supported(alice: Address) {
    let w = World::new();
    let t = token();
    let f = w.factory.address();
    let err = w
        .probe
        .sender(alice)
        .deploy_vault(f, t.address())
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyFactory::DurationVaultsNotSupported>());
    assert_eq!(
        w.factory.sender(alice).duration_vault_beacon(),
        Address::ZERO
    );
    assert_eq!(
        w.probe.sender(alice).vaults(f, t.address()).motsu_unwrap(),
        Vec::<Address>::new()
    );
    let err = w
        .probe
        .sender(alice)
        .vault_at(f, t.address(), U256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IStrategyFactory::DurationVaultsNotSupported>());
    // Nothing was recorded for the token.
    assert_eq!(
        w.factory.sender(alice).deployed_strategies(t.address()),
        Address::ZERO
    );
}

// --- the ABI as other contracts see it ---

#[motsu::test]
fn the_abi_routes_to_the_same_functions(alice: Address) {
    let w = World::new();
    let t = token();
    let f = w.factory.address();
    let strategy = w.strategy_slot(t.address());
    let deployed = w.probe.sender(alice).deploy(f, t.address()).motsu_unwrap();
    assert_eq!(deployed, strategy.address());
    assert_eq!(
        w.probe
            .sender(alice)
            .deployed(f, t.address())
            .motsu_unwrap(),
        deployed
    );
    assert!(!w
        .probe
        .sender(alice)
        .blacklisted(f, t.address())
        .motsu_unwrap());
    assert!(!w
        .probe
        .sender(alice)
        .paused_bit(f, pause::NEW_STRATEGIES)
        .motsu_unwrap());
    // The Rust signature of `deployDurationVaultStrategy` hashes to EigenLayer's selector.
    assert_eq!(
        IStrategyFactory::deployDurationVaultStrategyCall::SELECTOR,
        [0xfb, 0x51, 0x53, 0x03]
    );
}

// --- Ownable and Pausable mixins ---

#[motsu::test]
fn ownership_moves_only_by_the_owner(alice: Address) {
    let w = World::new();
    let err = w
        .factory
        .sender(alice)
        .transfer_ownership(alice)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    assert!(w
        .factory
        .sender(OWNER)
        .transfer_ownership(Address::ZERO)
        .motsu_unwrap_err()
        .is::<IFerrostakeErrors::OwnableInvalidOwner>());
    assert_eq!(w.factory.sender(alice).owner(), OWNER);

    w.factory
        .sender(OWNER)
        .transfer_ownership(alice)
        .motsu_unwrap();
    assert_eq!(w.factory.sender(alice).owner(), alice);
    // The new owner governs the blacklist; the old one no longer does.
    assert!(w
        .factory
        .sender(OWNER)
        .blacklist_tokens(vec![Address::repeat_byte(0x74)])
        .motsu_unwrap_err()
        .is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    w.factory
        .sender(alice)
        .blacklist_tokens(vec![Address::repeat_byte(0x74)])
        .motsu_unwrap();

    assert!(w
        .factory
        .sender(OWNER)
        .renounce_ownership()
        .motsu_unwrap_err()
        .is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    w.factory.sender(alice).renounce_ownership().motsu_unwrap();
    assert_eq!(w.factory.sender(alice).owner(), Address::ZERO);
}

#[motsu::test]
fn only_pausers_pause_and_only_the_unpauser_unpauses(alice: Address) {
    let w = World::new();
    let err = w
        .factory
        .sender(alice)
        .pause(U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::OnlyPauser>());
    assert!(w
        .factory
        .sender(alice)
        .pause_all()
        .motsu_unwrap_err()
        .is::<IPausable::OnlyPauser>());
    assert_eq!(w.factory.sender(alice).paused_all(), U256::ZERO);

    w.factory.sender(ADMIN).pause_all().motsu_unwrap();
    assert_eq!(w.factory.sender(alice).paused_all(), U256::MAX);
    assert!(w.factory.sender(alice).paused_index(pause::NEW_STRATEGIES));
    w.factory.assert_emitted(&IPausable::Paused {
        account: ADMIN,
        newPausedStatus: U256::MAX,
    });
    assert!(w
        .factory
        .sender(alice)
        .unpause(U256::ZERO)
        .motsu_unwrap_err()
        .is::<IPausable::OnlyUnpauser>());
    // Unpausing may only clear bits.
    w.factory.sender(ADMIN).unpause(U256::ZERO).motsu_unwrap();
    assert!(w
        .factory
        .sender(ADMIN)
        .unpause(U256::from(1u8))
        .motsu_unwrap_err()
        .is::<IPausable::InvalidNewPausedStatus>());
    assert_eq!(w.factory.sender(alice).paused_all(), U256::ZERO);
}
