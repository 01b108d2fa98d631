//! AllocationManager as the specification, with the real PauserRegistry and PermissionController
//! and stand-ins for the DelegationManager (operators, operator shares, `slashOperatorShares`) and
//! an AVS that is its own registrar. Expected values are worked out by hand from EigenLayer's
//! rules (the arithmetic is written out in each test), never read back from the code under test.
use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolCall;
use ferrostake_interfaces::{
    IAllocationManager as IAM, IFerrostakeErrors, IPausable, IPermissionControllerMixin,
    SlashingGuard, SlashingParams,
};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_permission_controller::PermissionController;
use motsu::prelude::*;
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU32, StorageU64},
};

use super::*;

// ------------------------------------------------------------------------------------------------
// Stand-ins
// ------------------------------------------------------------------------------------------------

/// DelegationManager stand-in: a registry of operators, operator shares per strategy, and
/// `slashOperatorShares`, which burns `shares − ceil(shares · new / prev)` like the real one and
/// records what it was told.
#[storage]
struct MockDelegation {
    operators: StorageMap<Address, StorageBool>,
    shares: StorageMap<Address, StorageMap<Address, StorageU256>>,
    slash_calls: StorageU256,
    last_prev: StorageU64,
    last_new: StorageU64,
    last_slash_id: StorageU256,
    last_set_avs: StorageAddress,
    last_set_id: StorageU32,
    /// Operators `slashHoldStarted` reported, and how often.
    hold_starts: StorageMap<Address, StorageU32>,
}

unsafe impl TopLevelStorage for MockDelegation {}

#[public]
impl MockDelegation {
    fn set_operator(&mut self, operator: Address) {
        self.operators.setter(operator).set(true);
    }
    fn set_shares(&mut self, operator: Address, strategy: Address, shares: U256) {
        self.shares.setter(operator).setter(strategy).set(shares);
    }
    fn shares_of(&self, operator: Address, strategy: Address) -> U256 {
        self.shares.getter(operator).get(strategy)
    }
    fn last_slash(&self) -> (U256, u64, u64, U256, Address, u32) {
        (
            self.slash_calls.get(),
            self.last_prev.get().to(),
            self.last_new.get().to(),
            self.last_slash_id.get(),
            self.last_set_avs.get(),
            self.last_set_id.get().to(),
        )
    }
    #[selector(name = "isOperator")]
    fn is_operator(&self, operator: Address) -> bool {
        self.operators.get(operator)
    }
    #[selector(name = "getOperatorsShares")]
    fn get_operators_shares(
        &self,
        operators: Vec<Address>,
        strategies: Vec<Address>,
    ) -> Vec<Vec<U256>> {
        operators
            .iter()
            .map(|o| {
                strategies
                    .iter()
                    .map(|s| self.shares.getter(*o).get(*s))
                    .collect()
            })
            .collect()
    }
    #[selector(name = "slashOperatorShares")]
    fn slash_operator_shares(
        &mut self,
        operator: Address,
        operator_set: (Address, u32),
        slash_id: U256,
        strategy: Address,
        prev: u64,
        new: u64,
    ) -> U256 {
        let op = self.shares.getter(operator).get(strategy);
        // ceil(op · new / prev), computed with plain integers.
        let num = op * U256::from(new);
        let keep = num.div_ceil(U256::from(prev));
        let burned = op - keep;
        self.shares.setter(operator).setter(strategy).set(keep);
        let n = self.slash_calls.get();
        self.slash_calls.set(n + U256::from(1u8));
        self.last_prev.set(U256::from(prev).to());
        self.last_new.set(U256::from(new).to());
        self.last_slash_id.set(slash_id);
        self.last_set_avs.set(operator_set.0);
        self.last_set_id.set(U256::from(operator_set.1).to());
        burned
    }
    #[selector(name = "slashHoldStarted")]
    fn slash_hold_started(&mut self, operator: Address) {
        let n = self.hold_starts.get(operator);
        self.hold_starts
            .setter(operator)
            .set(n + alloy_primitives::Uint::<32, 1>::from(1u8));
    }
    fn hold_starts_of(&self, operator: Address) -> u32 {
        self.hold_starts.get(operator).to()
    }
    /// `registerAsOperator`: marks the operator and sets its allocation delay (instantly).
    fn register(&mut self, alm: Address, operator: Address, delay: u32) -> Result<(), Revert> {
        self.operators.setter(operator).set(true);
        ferrostake_common::call::call(alm, &IAM::setAllocationDelayCall { operator, delay })?;
        Ok(())
    }
}

/// An AVS that is its own registrar: it can refuse registrations and records callbacks.
#[storage]
struct MockAvs {
    supports: StorageBool,
    refuse: StorageBool,
    registrations: StorageU256,
    deregistrations: StorageU256,
    last_operator: StorageAddress,
    last_ids: StorageU256,
    last_data_len: StorageU256,
}

unsafe impl TopLevelStorage for MockAvs {}

#[public]
impl MockAvs {
    fn configure(&mut self, supports: bool, refuse: bool) {
        self.supports.set(supports);
        self.refuse.set(refuse);
    }
    fn seen(&self) -> (U256, U256, Address, U256, U256) {
        (
            self.registrations.get(),
            self.deregistrations.get(),
            self.last_operator.get(),
            self.last_ids.get(),
            self.last_data_len.get(),
        )
    }
    #[selector(name = "supportsAVS")]
    fn supports_avs(&self, _avs: Address) -> bool {
        self.supports.get()
    }
    #[selector(name = "registerOperator")]
    fn register_operator(
        &mut self,
        operator: Address,
        _avs: Address,
        ids: Vec<u32>,
        data: Bytes,
    ) -> Result<(), Vec<u8>> {
        if self.refuse.get() {
            return Err(b"refused".to_vec());
        }
        let n = self.registrations.get();
        self.registrations.set(n + U256::from(1u8));
        self.last_operator.set(operator);
        self.last_ids.set(U256::from(ids.len()));
        self.last_data_len.set(U256::from(data.len()));
        Ok(())
    }
    /// Calls the AllocationManager's core router through the ABI (as the operator it also is).
    fn allocate_via_abi(
        &mut self,
        alm: Address,
        strategy: Address,
        magnitude: u64,
    ) -> Result<(), Revert> {
        let me = self.vm().contract_address();
        ferrostake_common::call::call(
            alm,
            &IAM::modifyAllocationsCall {
                operator: me,
                params: vec![ferrostake_interfaces::AllocateParams {
                    operatorSet: OperatorSet { avs: me, id: 1 },
                    strategies: vec![strategy],
                    newMagnitudes: vec![magnitude],
                }],
            },
        )?;
        ferrostake_common::call::call(
            alm,
            &IAM::clearDeallocationQueueCall {
                operator: me,
                strategies: vec![strategy],
                numToClear: vec![1],
            },
        )?;
        Ok(())
    }
    /// Reads the hot-path views through the ABI.
    fn views_via_abi(
        &self,
        alm: Address,
        operator: Address,
        strategy: Address,
        block: u32,
    ) -> Result<(Vec<u64>, Vec<u64>, Address), Revert> {
        use ferrostake_common::call::static_call;
        let now = static_call(
            alm,
            &IAM::getMaxMagnitudes_0Call {
                operator,
                strategies: vec![strategy],
            },
        )?
        ._0;
        let then = static_call(
            alm,
            &IAM::getMaxMagnitudesAtBlockCall {
                operator,
                strategies: vec![strategy],
                blockNumber: block,
            },
        )?
        ._0;
        let recipient = static_call(
            alm,
            &IAM::getRedistributionRecipientCall {
                operatorSet: OperatorSet {
                    avs: self.vm().contract_address(),
                    id: 1,
                },
            },
        )?
        ._0;
        Ok((now, then, recipient))
    }
    #[selector(name = "deregisterOperator")]
    fn deregister_operator(&mut self, operator: Address, _avs: Address, ids: Vec<u32>) {
        let n = self.deregistrations.get();
        self.deregistrations.set(n + U256::from(1u8));
        self.last_operator.set(operator);
        self.last_ids.set(U256::from(ids.len()));
    }
}

// ------------------------------------------------------------------------------------------------
// Fixture
// ------------------------------------------------------------------------------------------------

const WAD: u64 = 1_000_000_000_000_000_000;
const DEALLOC: u32 = 100;
const CONFIG: u32 = 50;
const PAUSER: Address = Address::new([0xaa; 20]);
const UNPAUSER: Address = Address::new([0xab; 20]);
const EIGEN: Address = Address::new([0xe1; 20]);
/// Strategies in ascending address order.
const S1: Address = Address::new([0x11; 20]);
const S2: Address = Address::new([0x22; 20]);
const S3: Address = Address::new([0x33; 20]);

fn now() -> u32 {
    test_clock::get() as u32
}

fn mine(n: u32) {
    test_clock::advance(n as u64);
}

struct World {
    avs: Address,
}

fn world(
    alm: &Contract<AllocationManager>,
    dm: &Contract<MockDelegation>,
    pc: &Contract<PermissionController>,
    registry: &Contract<PauserRegistry>,
    avs: &Contract<MockAvs>,
) -> World {
    registry
        .sender(UNPAUSER)
        .initialize(vec![PAUSER], UNPAUSER)
        .motsu_unwrap();
    alm.sender(UNPAUSER)
        .initialize(
            dm.address(),
            EIGEN,
            registry.address(),
            pc.address(),
            DEALLOC,
            CONFIG,
            U256::ZERO,
        )
        .motsu_unwrap();
    avs.sender(UNPAUSER).configure(true, false);
    World { avs: avs.address() }
}

/// AVS metadata plus set 1 with strategies S1, S2 (the AVS is the slasher).
fn with_set(alm: &Contract<AllocationManager>, w: &World) {
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "ipfs://avs".into())
        .motsu_unwrap();
    alm.sender(w.avs)
        .create_operator_sets(w.avs, vec![(1, vec![S1, S2])])
        .motsu_unwrap();
}

/// `operator` registered in the DelegationManager with allocation delay `delay` (instant).
fn operator(
    alm: &Contract<AllocationManager>,
    dm: &Contract<MockDelegation>,
    op: Address,
    delay: u32,
) {
    dm.sender(op)
        .register(alm.address(), op, delay)
        .motsu_unwrap();
}

fn register(alm: &Contract<AllocationManager>, w: &World, op: Address, ids: Vec<u32>) {
    alm.sender(op)
        .register_for_operator_sets(op, (w.avs, ids, Bytes::from(vec![1u8, 2, 3])))
        .motsu_unwrap();
}

fn allocate(
    alm: &Contract<AllocationManager>,
    w: &World,
    op: Address,
    id: u32,
    s: Address,
    m: u64,
) {
    alm.sender(op)
        .modify_allocations(op, vec![((w.avs, id), vec![s], vec![m])])
        .motsu_unwrap();
}

fn slash_params(op: Address, id: u32, strategies: Vec<Address>, wads: Vec<u64>) -> SlashingParams {
    SlashingParams {
        operator: op,
        operatorSetId: id,
        strategies,
        wadsToSlash: wads.into_iter().map(U256::from).collect(),
        description: "misbehaved".into(),
    }
}

/// `ceil(a · b / 1e18)` in plain 128-bit arithmetic (a, b ≤ 1e18 so a·b < 2^128).
fn mul_wad_up_ref(a: u64, b: u64) -> u64 {
    let p = a as u128 * b as u128;
    p.div_ceil(WAD as u128) as u64
}

// ------------------------------------------------------------------------------------------------
// Initialization, implementations, routing
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn initialize_runs_once_and_refuses_zero_addresses(
    alm: Contract<AllocationManager>,
    registry: Contract<PauserRegistry>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
) {
    registry
        .sender(UNPAUSER)
        .initialize(vec![PAUSER], UNPAUSER)
        .motsu_unwrap();
    let err = alm
        .sender(UNPAUSER)
        .initialize(
            Address::ZERO,
            EIGEN,
            registry.address(),
            pc.address(),
            1,
            1,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputAddressZero>());
    let err = alm
        .sender(UNPAUSER)
        .initialize(
            dm.address(),
            EIGEN,
            registry.address(),
            Address::ZERO,
            1,
            1,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputAddressZero>());
    let err = alm
        .sender(UNPAUSER)
        .initialize(
            dm.address(),
            EIGEN,
            Address::ZERO,
            pc.address(),
            1,
            1,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::InputAddressZero>());
    alm.sender(UNPAUSER)
        .initialize(
            dm.address(),
            EIGEN,
            registry.address(),
            pc.address(),
            7,
            9,
            U256::from(2u8),
        )
        .motsu_unwrap();
    assert_eq!(alm.sender(UNPAUSER).dealloc_delay(), 7);
    assert_eq!(alm.sender(UNPAUSER).config_delay(), 9);
    assert_eq!(alm.sender(UNPAUSER).paused_status(), U256::from(2u8));
    assert_eq!(alm.sender(UNPAUSER).delegation_address(), dm.address());
    assert_eq!(alm.sender(UNPAUSER).eigen_strategy_address(), EIGEN);
    assert_eq!(
        alm.sender(UNPAUSER).permission_controller_address(),
        pc.address()
    );
    let err = alm
        .sender(UNPAUSER)
        .initialize(
            dm.address(),
            EIGEN,
            registry.address(),
            pc.address(),
            1,
            1,
            U256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
}

#[motsu::test]
fn only_the_unpauser_sets_the_programs(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
) {
    world(&alm, &dm, &pc, &registry, &avs);
    let (a, b, c, d) = (
        Address::repeat_byte(1),
        Address::repeat_byte(2),
        Address::repeat_byte(3),
        Address::repeat_byte(4),
    );
    // The proxy's admin, not the unpauser: without a proxy (empty admin slot) nobody may.
    for caller in [PAUSER, UNPAUSER] {
        let err = alm
            .sender(caller)
            .set_implementations(a, b, c, d)
            .motsu_unwrap_err();
        assert!(err.is::<IFerrostakeErrors::OnlyProxyAdmin>());
    }
    ferrostake_common::access::store_proxy_admin(alm.sender(PAUSER).vm(), PAUSER);
    let err = alm
        .sender(UNPAUSER)
        .set_implementations(a, b, c, d)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OnlyProxyAdmin>());
    let err = alm
        .sender(PAUSER)
        .set_implementations(a, Address::ZERO, c, d)
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputAddressZero>());
    alm.sender(PAUSER)
        .set_implementations(a, b, c, d)
        .motsu_unwrap();
    alm.assert_emitted(&ImplementationsSet {
        registrationImplementation: a,
        slashingImplementation: b,
        configImplementation: c,
        viewImplementation: d,
    });
    assert_eq!(alm.sender(PAUSER).config_implementation_address(), c);
    assert_eq!(alm.sender(PAUSER).view_implementation_address(), d);
}

#[test]
fn every_selector_goes_to_the_program_that_serves_it() {
    let of = |sel: [u8; 4]| Program::of(&sel);
    assert_eq!(of(IAM::slashOperatorCall::SELECTOR), Program::Slashing);
    assert_eq!(of(IAM::executeSlashCall::SELECTOR), Program::Slashing);
    assert_eq!(of(IAM::vetoSlashCall::SELECTOR), Program::Slashing);
    assert_eq!(of(IAM::createOperatorSets_0Call::SELECTOR), Program::Config);
    assert_eq!(of(IAM::createOperatorSets_1Call::SELECTOR), Program::Config);
    assert_eq!(
        of(IAM::createRedistributingOperatorSets_1Call::SELECTOR),
        Program::Config
    );
    assert_eq!(of(IAM::updateSlasherCall::SELECTOR), Program::Config);
    assert_eq!(
        of(IAM::registerForOperatorSetsCall::SELECTOR),
        Program::Registration
    );
    assert_eq!(of(IPausable::pauseAllCall::SELECTOR), Program::Registration);
    assert_eq!(of(IPausable::unpauseCall::SELECTOR), Program::Registration);
    assert_eq!(of(IAM::getMembersCall::SELECTOR), Program::View);
    assert_eq!(of(IAM::getStrategyAllocationsCall::SELECTOR), Program::View);
    assert_eq!(Program::of(&[]), Program::View);
    // EigenLayer's selectors (eigenlayer-notes §2.8) are what the ABI crate produced.
    assert_eq!(IAM::slashOperatorCall::SELECTOR, [0x36, 0x35, 0x20, 0x57]);
    assert_eq!(
        IAM::modifyAllocationsCall::SELECTOR,
        [0x95, 0x28, 0x99, 0xee]
    );
}

#[test]
fn allocation_packs_into_one_word_and_back() {
    for a in [
        Alloc {
            current: WAD,
            pending: -(WAD as i128),
            effect: u32::MAX,
        },
        Alloc {
            current: 0,
            pending: 5,
            effect: 7,
        },
        Alloc {
            current: 123,
            pending: i128::MIN + 1,
            effect: 0,
        },
    ] {
        assert_eq!(Alloc::unpack(a.pack()), a);
    }
    let key = set_key(Address::repeat_byte(9), 0xdead_beef);
    assert_eq!(set_of_key(key).avs, Address::repeat_byte(9));
    assert_eq!(set_of_key(key).id, 0xdead_beef);
}

// ------------------------------------------------------------------------------------------------
// AVS side
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn operator_sets_need_metadata_and_unique_ids(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    let err = alm
        .sender(w.avs)
        .create_operator_sets(w.avs, vec![(1, vec![S1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::NonexistentAVSMetadata>());
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "ipfs://avs".into())
        .motsu_unwrap();
    alm.assert_emitted(&IAM::AVSMetadataURIUpdated {
        avs: w.avs,
        metadataURI: "ipfs://avs".into(),
    });
    alm.sender(w.avs)
        .create_operator_sets(w.avs, vec![(1, vec![S1, S2]), (7, vec![])])
        .motsu_unwrap();
    alm.assert_emitted(&IAM::OperatorSetCreated {
        operatorSet: OperatorSet { avs: w.avs, id: 7 },
    });
    alm.assert_emitted(&IAM::StrategyAddedToOperatorSet {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategy: S2,
    });
    alm.assert_emitted(&IAM::SlasherUpdated {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        slasher: w.avs,
        effectBlock: now(),
    });
    let a = alm.sender(w.avs);
    assert!(a.is_operator_set((w.avs, 1)));
    assert!(a.is_operator_set((w.avs, 7)));
    assert!(!a.is_operator_set((w.avs, 2)));
    assert_eq!(a.get_operator_set_count(w.avs), U256::from(2u8));
    assert_eq!(a.get_strategies_in_operator_set((w.avs, 1)), vec![S1, S2]);
    assert_eq!(a.get_slasher((w.avs, 1)), w.avs);
    assert_eq!(
        a.get_redistribution_recipient((w.avs, 1)),
        DEFAULT_BURN_ADDRESS
    );
    assert!(!a.is_redistributing_operator_set((w.avs, 1)));
    drop(a);

    let err = alm
        .sender(w.avs)
        .create_operator_sets(w.avs, vec![(1, vec![S3])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
    // A duplicate strategy in one set is refused (and the whole call reverts).
    let err = alm
        .sender(w.avs)
        .create_operator_sets(w.avs, vec![(2, vec![S1, S1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::StrategyAlreadyInOperatorSet>());
    assert!(!alm.sender(w.avs).is_operator_set((w.avs, 2)));
    // V2: explicit slasher, never zero.
    let slasher = Address::repeat_byte(0x5a);
    let err = alm
        .sender(w.avs)
        .create_operator_sets_v2(w.avs, vec![(3, vec![S1], Address::ZERO)])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputAddressZero>());
    alm.sender(w.avs)
        .create_operator_sets_v2(w.avs, vec![(3, vec![S1], slasher)])
        .motsu_unwrap();
    assert_eq!(alm.sender(w.avs).get_slasher((w.avs, 3)), slasher);
}

#[motsu::test]
fn avs_functions_go_through_the_permission_controller(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    stranger: Address,
    appointee: Address,
    admin: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    let err = alm
        .sender(stranger)
        .update_avs_metadata_uri(w.avs, "x".into())
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    // An appointee for exactly (ALM, updateAVSMetadataURI) may call that, and nothing else.
    pc.sender(w.avs)
        .set_appointee(
            w.avs,
            appointee,
            alm.address(),
            FixedBytes(IAM::updateAVSMetadataURICall::SELECTOR),
        )
        .motsu_unwrap();
    alm.sender(appointee)
        .update_avs_metadata_uri(w.avs, "x".into())
        .motsu_unwrap();
    let err = alm
        .sender(appointee)
        .create_operator_sets(w.avs, vec![(1, vec![])])
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    // Once the AVS has an admin, only admins (not the AVS itself) act for it (EigenLayer's rule).
    pc.sender(w.avs)
        .add_pending_admin(w.avs, admin)
        .motsu_unwrap();
    pc.sender(admin).accept_admin(w.avs).motsu_unwrap();
    let err = alm
        .sender(w.avs)
        .create_operator_sets(w.avs, vec![(1, vec![])])
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    alm.sender(admin)
        .create_operator_sets(w.avs, vec![(1, vec![])])
        .motsu_unwrap();
    assert!(alm.sender(admin).is_operator_set((w.avs, 1)));
}

#[motsu::test]
fn strategies_are_added_and_removed_exactly_once(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    let err = alm
        .sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 9, vec![S3])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
    let err = alm
        .sender(stranger)
        .add_strategies_to_operator_set(w.avs, 1, vec![S3])
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    let err = alm
        .sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 1, vec![S3, S1])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::StrategyAlreadyInOperatorSet>());
    // Reverted as a whole: S3 was not added.
    assert_eq!(
        alm.sender(w.avs).get_strategies_in_operator_set((w.avs, 1)),
        vec![S1, S2]
    );
    alm.sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 1, vec![S3])
        .motsu_unwrap();
    alm.sender(w.avs)
        .remove_strategies_from_operator_set(w.avs, 1, vec![S1])
        .motsu_unwrap();
    alm.assert_emitted(&IAM::StrategyRemovedFromOperatorSet {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategy: S1,
    });
    // Swap-and-pop: S3 takes S1's place.
    assert_eq!(
        alm.sender(w.avs).get_strategies_in_operator_set((w.avs, 1)),
        vec![S3, S2]
    );
    let err = alm
        .sender(w.avs)
        .remove_strategies_from_operator_set(w.avs, 1, vec![S1])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::StrategyNotInOperatorSet>());
    let err = alm
        .sender(w.avs)
        .remove_strategies_from_operator_set(w.avs, 4, vec![S2])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
}

#[motsu::test]
fn redistributing_sets_validate_recipients_and_strategies(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    recipient: Address,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    let err = alm
        .sender(w.avs)
        .create_redistributing_operator_sets(w.avs, vec![(1, vec![S1])], vec![])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputArrayLengthMismatch>());
    let err = alm
        .sender(w.avs)
        .create_redistributing_operator_sets(w.avs, vec![(1, vec![S1])], vec![Address::ZERO])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputAddressZero>());
    let err = alm
        .sender(w.avs)
        .create_redistributing_operator_sets(w.avs, vec![(1, vec![S1])], vec![DEFAULT_BURN_ADDRESS])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidRedistributionRecipient>());
    for bad in [BEACON_CHAIN_ETH_STRATEGY, EIGEN] {
        let err = alm
            .sender(w.avs)
            .create_redistributing_operator_sets(w.avs, vec![(1, vec![bad])], vec![recipient])
            .motsu_unwrap_err();
        assert!(err.is::<IAM::InvalidStrategy>());
    }
    let slasher = Address::repeat_byte(0x77);
    alm.sender(w.avs)
        .create_redistributing_operator_sets_v2(
            w.avs,
            vec![(1, vec![S1], slasher)],
            vec![recipient],
        )
        .motsu_unwrap();
    alm.assert_emitted(&IAM::RedistributionAddressSet {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        redistributionRecipient: recipient,
    });
    let a = alm.sender(w.avs);
    assert_eq!(a.get_redistribution_recipient((w.avs, 1)), recipient);
    assert!(a.is_redistributing_operator_set((w.avs, 1)));
    assert_eq!(a.get_slasher((w.avs, 1)), slasher);
    drop(a);
    let err = alm
        .sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 1, vec![BEACON_CHAIN_ETH_STRATEGY])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidStrategy>());
    // Non-redistributing sets may hold beacon ETH.
    alm.sender(w.avs)
        .create_operator_sets(w.avs, vec![(2, vec![BEACON_CHAIN_ETH_STRATEGY])])
        .motsu_unwrap();
    // An operator allocated to the redistributing set is redistributable.
    operator(&alm, &dm, op, 0);
    assert!(!alm.sender(op).is_operator_redistributable(op));
    allocate(&alm, &w, op, 1, S1, WAD / 2);
    assert!(alm.sender(op).is_operator_redistributable(op));
}

#[motsu::test]
fn registrar_must_support_the_avs(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    registrar: Contract<MockAvs>,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    assert_eq!(alm.sender(w.avs).get_avs_registrar(w.avs), w.avs);
    registrar.sender(stranger).configure(false, false);
    let err = alm
        .sender(w.avs)
        .set_avs_registrar(w.avs, registrar.address())
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidAVSRegistrar>());
    let err = alm
        .sender(stranger)
        .set_avs_registrar(w.avs, registrar.address())
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    registrar.sender(stranger).configure(true, false);
    alm.sender(w.avs)
        .set_avs_registrar(w.avs, registrar.address())
        .motsu_unwrap();
    alm.assert_emitted(&IAM::AVSRegistrarSet {
        avs: w.avs,
        registrar: registrar.address(),
    });
    assert_eq!(
        alm.sender(w.avs).get_avs_registrar(w.avs),
        registrar.address()
    );
}

#[motsu::test]
fn slasher_changes_wait_out_the_configuration_delay(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    new_slasher: Address,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    assert_eq!(
        alm.sender(w.avs).get_pending_slasher((w.avs, 1)),
        (Address::ZERO, 0)
    );
    let err = alm
        .sender(w.avs)
        .update_slasher((w.avs, 2), new_slasher)
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
    let err = alm
        .sender(stranger)
        .update_slasher((w.avs, 1), new_slasher)
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    let err = alm
        .sender(w.avs)
        .update_slasher((w.avs, 1), Address::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputAddressZero>());
    let start = now();
    alm.sender(w.avs)
        .update_slasher((w.avs, 1), new_slasher)
        .motsu_unwrap();
    let effect = start + CONFIG + 1;
    alm.assert_emitted(&IAM::SlasherUpdated {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        slasher: new_slasher,
        effectBlock: effect,
    });
    assert_eq!(
        alm.sender(w.avs).get_pending_slasher((w.avs, 1)),
        (new_slasher, effect)
    );
    // Repeating the same change does not restart the delay.
    mine(10);
    alm.sender(w.avs)
        .update_slasher((w.avs, 1), new_slasher)
        .motsu_unwrap();
    assert_eq!(
        alm.sender(w.avs).get_pending_slasher((w.avs, 1)),
        (new_slasher, effect)
    );
    mine(effect - now() - 1);
    assert_eq!(alm.sender(w.avs).get_slasher((w.avs, 1)), w.avs);
    mine(1);
    assert_eq!(alm.sender(w.avs).get_slasher((w.avs, 1)), new_slasher);
    assert_eq!(
        alm.sender(w.avs).get_pending_slasher((w.avs, 1)),
        (Address::ZERO, 0)
    );
    // migrateSlashers has nothing to migrate and changes nothing.
    alm.sender(stranger)
        .migrate_slashers(vec![(w.avs, 1), (w.avs, 5)]);
    assert_eq!(alm.sender(w.avs).get_slasher((w.avs, 1)), new_slasher);
}

// ------------------------------------------------------------------------------------------------
// Registration
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn operators_register_through_the_avs_registrar(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    let params = || (w.avs, vec![1u32], Bytes::from(vec![9u8; 5]));
    let err = alm
        .sender(op)
        .register_for_operator_sets(op, params())
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperator>());
    operator(&alm, &dm, op, 0);
    let err = alm
        .sender(stranger)
        .register_for_operator_sets(op, params())
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    let err = alm
        .sender(op)
        .register_for_operator_sets(op, (w.avs, vec![1, 2], Bytes::from(vec![])))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
    // The AVS refuses: nothing changes.
    avs.sender(stranger).configure(true, true);
    let err = alm
        .sender(op)
        .register_for_operator_sets(op, params())
        .motsu_unwrap_err();
    assert_eq!(err.0, b"refused".to_vec());
    assert!(!alm.sender(op).is_member_of_operator_set(op, (w.avs, 1)));
    avs.sender(stranger).configure(true, false);

    alm.sender(op)
        .register_for_operator_sets(op, params())
        .motsu_unwrap();
    alm.assert_emitted(&IAM::OperatorAddedToOperatorSet {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
    });
    let (regs, _, last, ids, data_len) = avs.sender(op).seen();
    assert_eq!(
        (regs, last, ids, data_len),
        (U256::from(1u8), op, U256::from(1u8), U256::from(5u8))
    );
    let a = alm.sender(op);
    assert!(a.is_member_of_operator_set(op, (w.avs, 1)));
    assert!(a.is_operator_slashable(op, (w.avs, 1)));
    assert_eq!(a.get_members((w.avs, 1)), vec![op]);
    assert_eq!(a.get_member_count((w.avs, 1)), U256::from(1u8));
    assert_eq!(a.get_registered_sets(op), vec![(w.avs, 1)]);
    drop(a);
    let err = alm
        .sender(op)
        .register_for_operator_sets(op, params())
        .motsu_unwrap_err();
    assert!(err.is::<IAM::AlreadyMemberOfSet>());
}

#[motsu::test]
fn deregistered_operators_stay_slashable_for_the_deallocation_delay(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    operator(&alm, &dm, op, 0);
    let err = alm
        .sender(op)
        .deregister_from_operator_sets((op, w.avs, vec![1]))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::NotMemberOfSet>());
    register(&alm, &w, op, vec![1]);
    let err = alm
        .sender(stranger)
        .deregister_from_operator_sets((op, w.avs, vec![1]))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidCaller>());
    let err = alm
        .sender(op)
        .deregister_from_operator_sets((op, w.avs, vec![3]))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
    // The AVS side may deregister the operator too.
    let at = now();
    alm.sender(w.avs)
        .deregister_from_operator_sets((op, w.avs, vec![1]))
        .motsu_unwrap();
    alm.assert_emitted(&IAM::OperatorRemovedFromOperatorSet {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
    });
    assert_eq!(avs.sender(op).seen().1, U256::from(1u8));
    let a = alm.sender(op);
    assert!(!a.is_member_of_operator_set(op, (w.avs, 1)));
    assert!(a.get_registered_sets(op).is_empty());
    assert_eq!(a.get_member_count((w.avs, 1)), U256::ZERO);
    assert!(a.is_operator_slashable(op, (w.avs, 1)));
    drop(a);
    // Slashable through block at + DEALLOC, so re-registering waits until the block after.
    mine(at + DEALLOC - now());
    assert!(alm.sender(op).is_operator_slashable(op, (w.avs, 1)));
    let err = alm
        .sender(op)
        .register_for_operator_sets(op, (w.avs, vec![1], Bytes::from(vec![])))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::AlreadyMemberOfSet>());
    mine(1);
    assert!(!alm.sender(op).is_operator_slashable(op, (w.avs, 1)));
    register(&alm, &w, op, vec![1]);
    assert!(alm.sender(op).is_member_of_operator_set(op, (w.avs, 1)));
}

#[motsu::test]
fn pause_bits_stop_each_functionality(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    operator(&alm, &dm, op, 0);
    let err = alm.sender(op).pause(U256::from(1u8)).motsu_unwrap_err();
    assert!(err.is::<IPausable::OnlyPauser>());
    alm.sender(PAUSER).pause_all().motsu_unwrap();
    let err = alm
        .sender(op)
        .register_for_operator_sets(op, (w.avs, vec![1], Bytes::from(vec![])))
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1], vec![1])])
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    let err = alm
        .sender(op)
        .clear_deallocation_queue(op, vec![S1], vec![1])
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    let err = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![1]))
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    // Unpause everything but registration (bit 2).
    alm.sender(UNPAUSER).unpause(U256::from(4u8)).motsu_unwrap();
    assert!(alm
        .sender(op)
        .is_paused(PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION));
    assert!(!alm.sender(op).is_paused(PAUSED_MODIFY_ALLOCATIONS));
    allocate(&alm, &w, op, 1, S1, 10);
    let err = alm
        .sender(op)
        .deregister_from_operator_sets((op, w.avs, vec![1]))
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    alm.sender(UNPAUSER).unpause(U256::ZERO).motsu_unwrap();
    register(&alm, &w, op, vec![1]);
}

// ------------------------------------------------------------------------------------------------
// Allocation delay
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn allocation_delay_is_instant_from_the_delegation_manager_and_delayed_otherwise(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    other: Address,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    assert_eq!(alm.sender(op).get_allocation_delay(op), (false, 0));
    // Not an operator yet: only the DelegationManager may set it.
    let err = alm
        .sender(op)
        .set_allocation_delay(op, 5)
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperator>());
    operator(&alm, &dm, op, 5);
    alm.assert_emitted(&IAM::AllocationDelaySet {
        operator: op,
        delay: 5,
        effectBlock: now(),
    });
    assert_eq!(alm.sender(op).get_allocation_delay(op), (true, 5));
    let err = alm
        .sender(stranger)
        .set_allocation_delay(op, 1)
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidCaller>());
    let start = now();
    alm.sender(op).set_allocation_delay(op, 8).motsu_unwrap();
    alm.assert_emitted(&IAM::AllocationDelaySet {
        operator: op,
        delay: 8,
        effectBlock: start + CONFIG + 1,
    });
    mine(CONFIG);
    assert_eq!(alm.sender(op).get_allocation_delay(op), (true, 5));
    mine(1);
    assert_eq!(alm.sender(op).get_allocation_delay(op), (true, 8));
    // An operator registered before it ever set a delay cannot allocate until it is set.
    dm.sender(other).set_operator(other);
    with_set(&alm, &w);
    let err = alm
        .sender(other)
        .modify_allocations(other, vec![((w.avs, 1), vec![S1], vec![1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::UninitializedAllocationDelay>());
    alm.sender(other)
        .set_allocation_delay(other, 0)
        .motsu_unwrap();
    let err = alm
        .sender(other)
        .modify_allocations(other, vec![((w.avs, 1), vec![S1], vec![1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::UninitializedAllocationDelay>());
    mine(CONFIG + 1);
    allocate(&alm, &w, other, 1, S1, 1);
}

// ------------------------------------------------------------------------------------------------
// Allocations
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn allocations_encumber_at_once_and_take_effect_after_the_delay(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    stranger: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    alm.sender(w.avs)
        .create_operator_sets(w.avs, vec![(2, vec![S1])])
        .motsu_unwrap();
    operator(&alm, &dm, op, 10);
    let err = alm
        .sender(stranger)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1], vec![1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidCaller>());
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1, S2], vec![1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputArrayLengthMismatch>());
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 9), vec![S1], vec![1])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidOperatorSet>());
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1], vec![0])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::SameMagnitude>());

    let start = now();
    let sixty = WAD / 10 * 6;
    allocate(&alm, &w, op, 1, S1, sixty);
    alm.assert_emitted(&IAM::AllocationUpdated {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategy: S1,
        magnitude: sixty,
        effectBlock: start + 10,
    });
    alm.assert_emitted(&IAM::EncumberedMagnitudeUpdated {
        operator: op,
        strategy: S1,
        encumberedMagnitude: sixty,
    });
    let a = alm.sender(op);
    assert_eq!(
        a.get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: 0,
            pending: sixty as i128,
            effect: start + 10
        }
    );
    assert_eq!(a.get_encumbered_magnitude(op, S1), sixty);
    assert_eq!(a.get_allocatable_magnitude(op, S1), WAD - sixty);
    assert_eq!(a.get_allocated_sets(op), vec![(w.avs, 1)]);
    assert_eq!(a.get_allocated_strategies(op, (w.avs, 1)), vec![S1]);
    drop(a);
    // 60% + 50% > 100%.
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 2), vec![S1], vec![WAD / 2])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InsufficientMagnitude>());
    // Another change before this one takes effect is refused.
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1], vec![WAD / 2])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::ModificationAlreadyPending>());
    mine(9);
    assert_eq!(alm.sender(op).get_allocation(op, (w.avs, 1), S1).current, 0);
    mine(1);
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: sixty,
            pending: 0,
            effect: 0
        }
    );
    assert_eq!(
        alm.sender(op)
            .get_allocations(vec![op, stranger], (w.avs, 1), S1),
        vec![
            Alloc {
                current: sixty,
                pending: 0,
                effect: 0
            },
            Alloc::default()
        ]
    );
    let (sets, allocs) = alm.sender(op).get_strategy_allocations(op, S1);
    assert_eq!(sets, vec![OperatorSet { avs: w.avs, id: 1 }]);
    assert_eq!(allocs[0].current, sixty);
    // The rest (40%) can go to set 2.
    allocate(&alm, &w, op, 2, S1, WAD - sixty);
    assert_eq!(alm.sender(op).get_allocatable_magnitude(op, S1), 0);
}

#[motsu::test]
fn deallocations_wait_only_while_slashable(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    anyone: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    operator(&alm, &dm, op, 0);
    // Not registered: allocations are not slashable, so a decrease is instant.
    allocate(&alm, &w, op, 1, S1, 1000);
    allocate(&alm, &w, op, 1, S1, 400);
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: 400,
            pending: 0,
            effect: 0
        }
    );
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 400);
    // A strategy the set does not use is never slashable either, even once registered.
    register(&alm, &w, op, vec![1]);
    allocate(&alm, &w, op, 1, S3, 300);
    allocate(&alm, &w, op, 1, S3, 0);
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S3), 0);
    assert!(alm.sender(op).get_allocated_strategies(op, (w.avs, 1)) == vec![S1]);

    // Registered and slashable: the decrease waits DEALLOC + 1 blocks and stays encumbered.
    let start = now();
    allocate(&alm, &w, op, 1, S1, 100);
    alm.assert_emitted(&IAM::AllocationUpdated {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategy: S1,
        magnitude: 100,
        effectBlock: start + DEALLOC + 1,
    });
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: 400,
            pending: -300,
            effect: start + DEALLOC + 1
        }
    );
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 400);
    assert_eq!(alm.sender(op).get_allocatable_magnitude(op, S1), WAD - 400);
    mine(DEALLOC);
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1).current,
        400
    );
    mine(1);
    // Matured: views count it as freed before anyone clears the queue.
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1).current,
        100
    );
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 100);
    assert_eq!(alm.sender(op).get_allocatable_magnitude(op, S1), WAD - 100);
    // Storage still holds 400 until cleared; anyone may clear.
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 400);
    let err = alm
        .sender(anyone)
        .clear_deallocation_queue(op, vec![S1], vec![])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputArrayLengthMismatch>());
    alm.sender(anyone)
        .clear_deallocation_queue(op, vec![S1], vec![5])
        .motsu_unwrap();
    alm.assert_emitted(&IAM::EncumberedMagnitudeUpdated {
        operator: op,
        strategy: S1,
        encumberedMagnitude: 100,
    });
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 100);
    // Deallocating to zero while slashable, then clearing, drops the indexes.
    allocate(&alm, &w, op, 1, S1, 0);
    mine(DEALLOC + 1);
    // modifyAllocations clears matured deallocations itself before the next change.
    allocate(&alm, &w, op, 1, S2, 5);
    alm.sender(anyone)
        .clear_deallocation_queue(op, vec![S1], vec![1])
        .motsu_unwrap();
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 0);
    assert_eq!(
        alm.sender(op).get_allocated_strategies(op, (w.avs, 1)),
        vec![S2]
    );
}

#[motsu::test]
fn deallocation_queue_completes_in_order(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    alm.sender(w.avs)
        .create_operator_sets(w.avs, vec![(2, vec![S1])])
        .motsu_unwrap();
    operator(&alm, &dm, op, 0);
    register(&alm, &w, op, vec![1, 2]);
    allocate(&alm, &w, op, 1, S1, 500);
    allocate(&alm, &w, op, 2, S1, 300);
    allocate(&alm, &w, op, 1, S1, 0); // frees 500 at t0 + D + 1
    mine(10);
    allocate(&alm, &w, op, 2, S1, 100); // frees 200 at t0 + 10 + D + 1
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 800);
    mine(DEALLOC + 1 - 10);
    // Only the first has matured: clearing up to 2 stops at the second.
    alm.sender(op)
        .clear_deallocation_queue(op, vec![S1], vec![2])
        .motsu_unwrap();
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 300);
    mine(10);
    // numToClear = 0 clears nothing.
    alm.sender(op)
        .clear_deallocation_queue(op, vec![S1], vec![0])
        .motsu_unwrap();
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 300);
    alm.sender(op)
        .clear_deallocation_queue(op, vec![S1], vec![1])
        .motsu_unwrap();
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 100);
    assert_eq!(alm.sender(op).get_allocated_sets(op), vec![(w.avs, 2)]);
}

// ------------------------------------------------------------------------------------------------
// Slashing
// ------------------------------------------------------------------------------------------------

/// Operator `op` registered for set 1 with `m1` of S1 and `m2` of S2 allocated and in effect,
/// holding 1000e18 operator shares in each.
fn slashable_operator(
    alm: &Contract<AllocationManager>,
    dm: &Contract<MockDelegation>,
    w: &World,
    op: Address,
    m1: u64,
    m2: u64,
) {
    operator(alm, dm, op, 0);
    register(alm, w, op, vec![1]);
    // A zero magnitude would be `SameMagnitude`: leave that strategy out.
    let (strategies, mags): (Vec<Address>, Vec<u64>) = [(S1, m1), (S2, m2)]
        .into_iter()
        .filter(|(_, m)| *m != 0)
        .unzip();
    alm.sender(op)
        .modify_allocations(op, vec![((w.avs, 1), strategies, mags)])
        .motsu_unwrap();
    let shares = U256::from(1000u64) * U256::from(WAD);
    dm.sender(op).set_shares(op, S1, shares);
    dm.sender(op).set_shares(op, S2, shares);
}

#[motsu::test]
fn slash_takes_rounded_up_magnitude_and_burns_operator_shares(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    // 1/3 of the max magnitude allocated; slash one third of it.
    let third = 333_333_333_333_333_333u64;
    slashable_operator(&alm, &dm, &w, op, third, WAD / 2);
    mine(1);
    let before = now();
    mine(5);
    let at = now();
    let (slash_id, shares) = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![third]))
        .motsu_unwrap();
    // slashed = ceil(333333333333333333 · 333333333333333333 / 1e18) = 111111111111111111 (rounded
    // up from 111111111111111110.888…).
    let slashed = 111_111_111_111_111_111u64;
    assert_eq!(mul_wad_up_ref(third, third), slashed);
    let new_max = WAD - slashed;
    assert_eq!(slash_id, U256::from(1u8));
    // Operator shares: 1000e18 − ceil(1000e18 · new_max / 1e18) = 1000e18 · slashed / 1e18
    // = 111.111111111111111e18 (exact here).
    let burned = U256::from(111_111_111_111_111_111_000u128);
    assert_eq!(shares, vec![burned]);
    assert_eq!(
        dm.sender(op).last_slash(),
        (U256::from(1u8), WAD, new_max, U256::from(1u8), w.avs, 1)
    );
    let a = alm.sender(op);
    assert_eq!(
        a.get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: third - slashed,
            pending: 0,
            effect: 0
        }
    );
    assert_eq!(a.get_max_magnitude(op, S1), new_max);
    assert_eq!(a.get_max_magnitude(op, S2), WAD);
    assert_eq!(a.get_encumbered_magnitude(op, S1), third - slashed);
    assert_eq!(
        a.get_allocatable_magnitude(op, S1),
        new_max - (third - slashed)
    );
    assert_eq!(a.get_slash_count((w.avs, 1)), U256::from(1u8));
    // History: WAD before the slash block, new_max from it on.
    assert_eq!(
        a.get_max_magnitudes_at_block(op, vec![S1, S2], before),
        vec![WAD, WAD]
    );
    assert_eq!(
        a.get_max_magnitudes_at_block(op, vec![S1, S2], at - 1),
        vec![WAD, WAD]
    );
    assert_eq!(
        a.get_max_magnitudes_at_block(op, vec![S1, S2], at),
        vec![new_max, WAD]
    );
    assert_eq!(a.get_max_magnitudes(op, vec![S1, S2]), vec![new_max, WAD]);
    assert_eq!(
        a.get_operators_max_magnitudes(vec![op, Address::ZERO], S1),
        vec![new_max, WAD]
    );
    drop(a);
    alm.assert_emitted(&IAM::OperatorSlashed {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategies: vec![S1],
        // slashed / max(=1e18), so the same number.
        wadSlashed: vec![U256::from(slashed)],
        description: "misbehaved".into(),
    });
    alm.assert_emitted(&IAM::MaxMagnitudeUpdated {
        operator: op,
        strategy: S1,
        maxMagnitude: new_max,
    });

    // A second slash of 50% of what is left, a few blocks later, against the lowered max.
    mine(3);
    let at2 = now();
    let current = third - slashed; // 222222222222222222
    let (id2, shares2) = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![WAD / 2]))
        .motsu_unwrap();
    assert_eq!(id2, U256::from(2u8));
    let slashed2 = 111_111_111_111_111_111u64; // ceil(222222222222222222 / 2)
    assert_eq!(mul_wad_up_ref(current, WAD / 2), slashed2);
    let max2 = new_max - slashed2;
    assert_eq!(dm.sender(op).last_slash().1, new_max);
    assert_eq!(dm.sender(op).last_slash().2, max2);
    // Operator shares 888.888…889e18 → keep ceil(888888888888888889000 · max2 / new_max).
    let held = U256::from(1000u128 * WAD as u128) - burned;
    let keep = (held * U256::from(max2)).div_ceil(U256::from(new_max));
    assert_eq!(shares2, vec![held - keep]);
    // wadSlashed = slashed2 · 1e18 / new_max, rounded down.
    let wad_slashed2 = U256::from(slashed2 as u128 * WAD as u128 / new_max as u128);
    alm.assert_emitted(&IAM::OperatorSlashed {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategies: vec![S1],
        wadSlashed: vec![wad_slashed2],
        description: "misbehaved".into(),
    });
    let a = alm.sender(op);
    assert_eq!(
        a.get_max_magnitudes_at_block(op, vec![S1], at2 - 1),
        vec![new_max]
    );
    assert_eq!(a.get_max_magnitudes_at_block(op, vec![S1], at2), vec![max2]);
    assert_eq!(
        a.get_max_magnitudes_at_block(op, vec![S1], at - 1),
        vec![WAD]
    );
}

#[motsu::test]
fn slash_shrinks_a_pending_deallocation_and_skips_empty_allocations(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    slashable_operator(&alm, &dm, &w, op, 1000, 0);
    // Deallocate 1000 → 400 (pending −600), then slash 25%.
    allocate(&alm, &w, op, 1, S1, 400);
    let effect = now() + DEALLOC + 1;
    let (_, shares) = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1, S2], vec![WAD / 4, WAD]))
        .motsu_unwrap();
    // S1: slashed = ceil(1000/4) = 250; pending shrinks by ceil(600/4) = 150 to −450.
    // S2 has no allocation: skipped, no shares burned, DM not called for it.
    assert_eq!(shares[1], U256::ZERO);
    assert_eq!(dm.sender(op).last_slash().0, U256::from(1u8));
    // 1000e18 operator shares, max 1e18 → 1e18 − 250: burned = 1000e18 − ceil(1000e18·(1e18−250)/1e18)
    // = 250000 exactly.
    assert_eq!(shares[0], U256::from(250_000u64));
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: 750,
            pending: -450,
            effect
        }
    );
    alm.assert_emitted(&IAM::AllocationUpdated {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategy: S1,
        magnitude: 300,
        effectBlock: effect,
    });
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 750);
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD - 250);
    alm.assert_emitted(&IAM::OperatorSlashed {
        operator: op,
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        strategies: vec![S1, S2],
        wadSlashed: vec![U256::from(250u64), U256::ZERO],
        description: "misbehaved".into(),
    });
    // When the deallocation completes, 450 is freed: 300 stays allocated.
    mine(DEALLOC + 1);
    alm.sender(op)
        .clear_deallocation_queue(op, vec![S1], vec![1])
        .motsu_unwrap();
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1),
        Alloc {
            current: 300,
            pending: 0,
            effect: 0
        }
    );
    assert_eq!(alm.sender(op).encumbered_of(op, S1), 300);
}

#[motsu::test]
fn slash_requirements_are_typed_errors(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    outsider: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    slashable_operator(&alm, &dm, &w, op, 1000, 1000);
    let slash = |sender: Address, p: SlashingParams| {
        alm.sender(sender)
            .slash_operator(w.avs, p)
            .motsu_unwrap_err()
    };
    assert!(slash(w.avs, slash_params(op, 2, vec![S1], vec![1])).is::<IAM::InvalidOperatorSet>());
    assert!(slash(outsider, slash_params(op, 1, vec![S1], vec![1])).is::<IAM::InvalidCaller>());
    assert!(slash(w.avs, slash_params(op, 1, vec![S1, S2], vec![1]))
        .is::<IAM::InputArrayLengthMismatch>());
    assert!(slash(w.avs, slash_params(outsider, 1, vec![S1], vec![1]))
        .is::<IAM::OperatorNotSlashable>());
    assert!(slash(w.avs, slash_params(op, 1, vec![S2, S1], vec![1, 1]))
        .is::<IAM::StrategiesMustBeInAscendingOrder>());
    assert!(slash(w.avs, slash_params(op, 1, vec![S1, S1], vec![1, 1]))
        .is::<IAM::StrategiesMustBeInAscendingOrder>());
    assert!(slash(w.avs, slash_params(op, 1, vec![S1], vec![0])).is::<IAM::InvalidWadToSlash>());
    assert!(
        slash(w.avs, slash_params(op, 1, vec![S1], vec![WAD + 1])).is::<IAM::InvalidWadToSlash>()
    );
    assert!(
        slash(w.avs, slash_params(op, 1, vec![S3], vec![1])).is::<IAM::StrategyNotInOperatorSet>()
    );
    // Every failure left state as it was.
    assert_eq!(alm.sender(op).get_slash_count((w.avs, 1)), U256::ZERO);
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD);
    assert_eq!(dm.sender(op).last_slash().0, U256::ZERO);
    // A deregistered operator is slashable through DEALLOC blocks, then not.
    alm.sender(op)
        .deregister_from_operator_sets((op, w.avs, vec![1]))
        .motsu_unwrap();
    mine(DEALLOC);
    alm.sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![WAD / 10]))
        .motsu_unwrap();
    mine(1);
    assert!(slash(w.avs, slash_params(op, 1, vec![S1], vec![1])).is::<IAM::OperatorNotSlashable>());
}

#[motsu::test]
fn full_slash_zeroes_the_allocation_and_the_stake(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    slashable_operator(&alm, &dm, &w, op, WAD, 0);
    let (_, shares) = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![WAD]))
        .motsu_unwrap();
    assert_eq!(shares, vec![U256::from(1000u64) * U256::from(WAD)]);
    let a = alm.sender(op);
    assert_eq!(a.get_max_magnitude(op, S1), 0);
    assert_eq!(a.get_allocation(op, (w.avs, 1), S1), Alloc::default());
    assert!(a.get_allocated_sets(op).is_empty());
    // Nothing left to allocate; stake reads zero, not a division by zero.
    assert_eq!(a.get_allocatable_magnitude(op, S1), 0);
    assert_eq!(
        a.get_allocated_stake((w.avs, 1), vec![op], vec![S1])
            .unwrap(),
        vec![vec![U256::ZERO]]
    );
}

#[motsu::test]
fn slash_calldata_round_trips_through_the_hand_encoder(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    slashable_operator(&alm, &dm, &w, op, 1000, 1000);
    let calldata = IAM::slashOperatorCall {
        avs: w.avs,
        params: slash_params(op, 1, vec![S1, S2], vec![WAD / 2, WAD / 5]),
    }
    .abi_encode();
    let out = alm.sender(w.avs).serve_slashing(&calldata).motsu_unwrap();
    let r = IAM::slashOperatorCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!(r.slashId, U256::from(1u8));
    // 1000e18 shares × 500/1e18 and × 200/1e18 of the max.
    assert_eq!(
        r.shares,
        vec![U256::from(500_000u64), U256::from(200_000u64)]
    );
    // Errors come back as the typed revert data.
    let err = alm.sender(op).serve_slashing(&calldata).motsu_unwrap_err();
    assert_eq!(err, Revert::from(IAM::InvalidCaller {}).0);
    assert!(alm.sender(op).serve_slashing(&[1, 2, 3, 4]).is_err());
    assert!(alm.sender(op).serve_slashing(&calldata[..40]).is_err());
}

// ------------------------------------------------------------------------------------------------
// Slashable stake
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn minimum_slashable_stake_counts_pending_decreases_only(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    idle: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    slashable_operator(&alm, &dm, &w, op, WAD / 2, WAD / 4);
    operator(&alm, &dm, idle, 0);
    dm.sender(idle).set_shares(idle, S1, U256::from(77u8));
    // Allocated but never registered: not slashable by the set.
    allocate(&alm, &w, idle, 1, S1, WAD / 2);
    let e18 = U256::from(WAD);
    // Shares 1000e18 → S1 half = 500e18, S2 quarter = 250e18. The idle operator's allocation
    // counts irrespective of slashability (EigenLayer's `getAllocatedStake`): ⌊77 · 0.5⌋ = 38.
    let now_stake = alm
        .sender(op)
        .get_allocated_stake((w.avs, 1), vec![op, idle], vec![S1, S2])
        .unwrap();
    assert_eq!(
        now_stake,
        vec![
            vec![U256::from(500u16) * e18, U256::from(250u16) * e18],
            vec![U256::from(38u8), U256::ZERO]
        ]
    );
    // The minimum slashable stake does zero it.
    let idle_min = alm
        .sender(op)
        .get_minimum_slashable_stake((w.avs, 1), vec![idle], vec![S1, S2], now())
        .unwrap();
    assert_eq!(idle_min, vec![vec![U256::ZERO, U256::ZERO]]);
    // Decrease S1 to 10% (queued) and increase S2 to 60% (delay 0 → in effect now).
    let start = now();
    allocate(&alm, &w, op, 1, S1, WAD / 10);
    allocate(&alm, &w, op, 1, S2, WAD / 10 * 6);
    let future = |b: u32| {
        alm.sender(op)
            .get_minimum_slashable_stake((w.avs, 1), vec![op], vec![S1, S2], b)
            .unwrap()
    };
    // Before the deallocation's effect block: still 50%.
    assert_eq!(
        future(start + DEALLOC),
        vec![vec![U256::from(500u16) * e18, U256::from(600u16) * e18]]
    );
    // At or after it: the minimum is 10%.
    assert_eq!(
        future(start + DEALLOC + 1),
        vec![vec![U256::from(100u16) * e18, U256::from(600u16) * e18]]
    );
}

// ------------------------------------------------------------------------------------------------
// Slashing guard (Ferrostake extension)
// ------------------------------------------------------------------------------------------------

fn guarded_set(
    alm: &Contract<AllocationManager>,
    w: &World,
    max_wad: u64,
    window: u32,
    resolver: Address,
) -> Result<(), Revert> {
    alm.sender(w.avs)
        .create_operator_sets_with_slashing_guard(
            w.avs,
            vec![(1, vec![S1, S2], w.avs)],
            vec![(max_wad, window, resolver)],
        )
        .motsu_res()
}

#[motsu::test]
fn guards_are_validated(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    resolver: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    let err = alm
        .sender(w.avs)
        .create_operator_sets_with_slashing_guard(w.avs, vec![(1, vec![], w.avs)], vec![])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InputArrayLengthMismatch>());
    for (max, window, r) in [
        (0, 0, resolver),
        (WAD + 1, 0, resolver),
        (WAD, DEALLOC + 1, resolver),
        (WAD, 5, Address::ZERO),
    ] {
        let err = guarded_set(&alm, &w, max, window, r).unwrap_err();
        assert!(err.is::<IAM::InvalidSlashingGuard>(), "{max} {window}");
        // The set itself was not created either.
        assert!(!alm.sender(w.avs).is_operator_set((w.avs, 1)));
    }
    guarded_set(&alm, &w, WAD / 10, DEALLOC, resolver).unwrap();
    alm.assert_emitted(&IAM::SlashingGuardSet {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        guard: SlashingGuard {
            maxWadPerIncident: WAD / 10,
            vetoWindowBlocks: DEALLOC,
            resolver,
        },
    });
    assert_eq!(
        alm.sender(w.avs).get_slashing_guard((w.avs, 1)),
        (WAD / 10, DEALLOC, resolver)
    );
}

#[motsu::test]
fn capped_set_without_window_slashes_at_once_up_to_the_cap(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    guarded_set(&alm, &w, WAD / 10, 0, Address::ZERO).unwrap();
    slashable_operator(&alm, &dm, &w, op, 1000, 1000);
    let err = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![WAD / 10 + 1]))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::SlashExceedsIncidentCap>());
    let (id, shares) = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![WAD / 10]))
        .motsu_unwrap();
    assert_eq!(id, U256::from(1u8));
    assert_eq!(shares, vec![U256::from(100_000u64)]);
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD - 100);
}

#[motsu::test]
fn vetoable_slashes_queue_then_execute_or_are_vetoed(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    resolver: Address,
    anyone: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    let window = 20;
    guarded_set(&alm, &w, WAD, window, resolver).unwrap();
    slashable_operator(&alm, &dm, &w, op, 1000, 1000);
    let p = slash_params(op, 1, vec![S1], vec![WAD / 2]);
    let start = now();
    let out = alm
        .sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    assert_eq!(out, (U256::ZERO, vec![]));
    alm.assert_emitted(&IAM::SlashQueued {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        queuedSlashId: U256::from(1u8),
        params: p.clone(),
        executableAtBlock: start + window,
    });
    // Nothing slashed yet.
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD);
    let (hash, at, vetoed, executed) = alm.sender(op).get_queued_slash((w.avs, 1), U256::from(1u8));
    assert_eq!(hash, alloy_primitives::keccak256(p.abi_encode()));
    assert_eq!((at, vetoed, executed), (start + window, false, false));

    let exec = |who: Address, id: u8, p: SlashingParams| {
        alm.sender(who).execute_slash(w.avs, 1, U256::from(id), p)
    };
    assert!(exec(anyone, 1, p.clone())
        .motsu_unwrap_err()
        .is::<IAM::SlashVetoWindowActive>());
    assert!(exec(anyone, 2, p.clone())
        .motsu_unwrap_err()
        .is::<IAM::SlashNotQueued>());
    let mut other = p.clone();
    other.wadsToSlash = vec![U256::from(WAD)];
    assert!(exec(anyone, 1, other)
        .motsu_unwrap_err()
        .is::<IAM::SlashNotQueued>());
    mine(window);
    let (id, shares) = exec(anyone, 1, p.clone()).motsu_unwrap();
    assert_eq!(id, U256::from(1u8));
    assert_eq!(shares, vec![U256::from(500_000u64)]);
    alm.assert_emitted(&IAM::SlashExecuted {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        queuedSlashId: U256::from(1u8),
        slashId: U256::from(1u8),
    });
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD - 500);
    assert!(exec(anyone, 1, p.clone())
        .motsu_unwrap_err()
        .is::<IAM::SlashNotExecutable>());

    // A second one is vetoed by the resolver inside its window.
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    let err = alm
        .sender(anyone)
        .veto_slash((w.avs, 1), U256::from(2u8))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::OnlySlashResolver>());
    let err = alm
        .sender(resolver)
        .veto_slash((w.avs, 1), U256::from(9u8))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::SlashNotQueued>());
    alm.sender(resolver)
        .veto_slash((w.avs, 1), U256::from(2u8))
        .motsu_unwrap();
    alm.assert_emitted(&IAM::SlashVetoed {
        operatorSet: OperatorSet { avs: w.avs, id: 1 },
        queuedSlashId: U256::from(2u8),
        resolver,
    });
    let err = alm
        .sender(resolver)
        .veto_slash((w.avs, 1), U256::from(2u8))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::SlashNotExecutable>());
    mine(window);
    assert!(exec(anyone, 2, p.clone())
        .motsu_unwrap_err()
        .is::<IAM::SlashNotExecutable>());
    // A third one cannot be vetoed once its window has passed.
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    mine(window);
    let err = alm
        .sender(resolver)
        .veto_slash((w.avs, 1), U256::from(3u8))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::SlashVetoWindowElapsed>());
    // Unguarded sets have no resolver.
    let err = alm
        .sender(resolver)
        .veto_slash((w.avs, 2), U256::from(1u8))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::OnlySlashResolver>());
}

#[motsu::test]
fn operator_appointees_act_only_for_their_selector(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    appointee: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    operator(&alm, &dm, op, 0);
    pc.sender(op)
        .set_appointee(
            op,
            appointee,
            alm.address(),
            FixedBytes(IAM::modifyAllocationsCall::SELECTOR),
        )
        .motsu_unwrap();
    alm.sender(appointee)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1], vec![42])])
        .motsu_unwrap();
    assert_eq!(
        alm.sender(op).get_allocation(op, (w.avs, 1), S1).current,
        42
    );
    let err = alm
        .sender(appointee)
        .register_for_operator_sets(op, (w.avs, vec![1], Bytes::from(vec![])))
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    let err = alm
        .sender(appointee)
        .set_allocation_delay(op, 3)
        .motsu_unwrap_err();
    assert!(err.is::<IAM::InvalidCaller>());
}

#[motsu::test]
fn queued_slash_cannot_execute_once_the_operator_left_the_window(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    resolver: Address,
    anyone: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    guarded_set(&alm, &w, WAD, DEALLOC, resolver).unwrap();
    slashable_operator(&alm, &dm, &w, op, 1000, 1000);
    let p = slash_params(op, 1, vec![S2], vec![WAD / 4]);
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    // The operator leaves at once; a window of DEALLOC blocks keeps it slashable until the slash
    // can execute (the guard's window is capped at DEALLOCATION_DELAY for that reason).
    alm.sender(op)
        .deregister_from_operator_sets((op, w.avs, vec![1]))
        .motsu_unwrap();
    mine(DEALLOC);
    // Pausing slashing also stops execution.
    alm.sender(PAUSER).pause(U256::from(2u8)).motsu_unwrap();
    let err = alm
        .sender(anyone)
        .execute_slash(w.avs, 1, U256::from(1u8), p.clone())
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    alm.sender(UNPAUSER).unpause(U256::ZERO).motsu_unwrap();
    let (_, shares) = alm
        .sender(anyone)
        .execute_slash(w.avs, 1, U256::from(1u8), p.clone())
        .motsu_unwrap();
    assert_eq!(shares, vec![U256::from(250_000u64)]);
    // A slash queued at the last slashable block still executes after the operator left the
    // window: what was slashable when it was queued stays slashable until it resolves.
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    mine(DEALLOC);
    assert!(!alm.sender(op).is_operator_slashable(op, (w.avs, 1)));
    // Unslashable now, but a decrease still waits: the pending slash holds the allocation.
    allocate(&alm, &w, op, 1, S2, 0);
    let held = alm.sender(op).get_allocation(op, (w.avs, 1), S2);
    assert_eq!((held.current, held.pending), (750, -750));
    // A new slash is refused (not slashable when it would be queued).
    let err = alm
        .sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap_err();
    assert!(err.is::<IAM::OperatorNotSlashable>());
    let (_, shares) = alm
        .sender(anyone)
        .execute_slash(w.avs, 1, U256::from(2u8), p)
        .motsu_unwrap();
    // A quarter of the 750 left, rounded up: 188.
    let taken = mul_wad_up_ref(750, WAD / 4);
    assert_eq!(taken, 188);
    assert_eq!(alm.sender(op).get_max_magnitude(op, S2), WAD - 250 - taken);
    assert!(shares[0] > U256::ZERO);
    // Resolved: the held decrease (shrunk by the slash) completes once its effect block passed.
    mine(DEALLOC + 1);
    let done = alm.sender(op).get_allocation(op, (w.avs, 1), S2);
    assert_eq!((done.current, done.pending), (0, 0));
}

#[motsu::test]
fn queued_slash_holds_a_deallocation_made_before_it_until_it_resolves(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    resolver: Address,
    anyone: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    // The widest window the guard allows: the deallocation delay.
    guarded_set(&alm, &w, WAD / 5, DEALLOC, resolver).unwrap();
    slashable_operator(&alm, &dm, &w, op, 1000, 1000);
    // The operator deallocates both strategies one block before the slash is queued.
    allocate(&alm, &w, op, 1, S1, 0);
    allocate(&alm, &w, op, 1, S2, 0);
    let effect = now() + DEALLOC + 1;
    mine(1);
    let p = slash_params(op, 1, vec![S1], vec![WAD / 10]);
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    // The per-incident cap still applies to the queued slash.
    let err = alm
        .sender(w.avs)
        .slash_operator(w.avs, slash_params(op, 1, vec![S1], vec![WAD / 4]))
        .motsu_unwrap_err();
    assert!(err.is::<IAM::SlashExceedsIncidentCap>());
    mine(DEALLOC);
    assert!(
        now() >= effect,
        "the deallocation is due when the slash can execute"
    );
    // Due but held: still allocated and encumbered; clearing the queue frees nothing.
    let a = alm.sender(op).get_allocation(op, (w.avs, 1), S1);
    assert_eq!((a.current, a.pending), (1000, -1000));
    alm.sender(anyone)
        .clear_deallocation_queue(op, vec![S1, S2], vec![10, 10])
        .motsu_unwrap();
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 1000);
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S2), 1000);
    let err = alm
        .sender(op)
        .modify_allocations(op, vec![((w.avs, 1), vec![S1], vec![500])])
        .motsu_unwrap_err();
    assert!(err.is::<IAM::ModificationAlreadyPending>());
    alm.sender(anyone)
        .execute_slash(w.avs, 1, U256::from(1u8), p)
        .motsu_unwrap();
    // ceil(1000 · 0.1) = 100 magnitude taken from the allocation as it was when queued.
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD - 100);
    // Released: the (shrunk) deallocation completes and frees what is left.
    let a = alm.sender(op).get_allocation(op, (w.avs, 1), S1);
    assert_eq!((a.current, a.pending), (0, 0));
    alm.sender(anyone)
        .clear_deallocation_queue(op, vec![S1, S2], vec![10, 10])
        .motsu_unwrap();
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S1), 0);
    assert_eq!(alm.sender(op).get_encumbered_magnitude(op, S2), 0);
}

#[motsu::test]
fn a_vetoed_slash_releases_its_hold(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    resolver: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    guarded_set(&alm, &w, WAD, DEALLOC, resolver).unwrap();
    slashable_operator(&alm, &dm, &w, op, 1000, 0);
    let p = slash_params(op, 1, vec![S1], vec![WAD / 2]);
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    let queued = now();
    // Two withdrawals: one slashable until before the slash was queued, one after.
    let hold = |until: u32| alm.sender(op).withdrawal_slash_hold(op, until);
    assert_eq!(hold(queued - 1), (false, queued - 1));
    assert_eq!(hold(queued), (true, queued));
    allocate(&alm, &w, op, 1, S1, 0);
    mine(1);
    alm.sender(resolver)
        .veto_slash((w.avs, 1), U256::from(1u8))
        .motsu_unwrap();
    // Vetoed: no hold, nothing to pay at a later block, and the decrease runs its normal delay.
    assert_eq!(hold(queued), (false, queued));
    mine(DEALLOC);
    let a = alm.sender(op).get_allocation(op, (w.avs, 1), S1);
    assert_eq!((a.current, a.pending), (0, 0));
    assert_eq!(alm.sender(op).get_max_magnitude(op, S1), WAD);
}

#[motsu::test]
fn withdrawals_pay_at_the_execution_of_a_slash_that_could_reach_them(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
    op: Address,
    resolver: Address,
    anyone: Address,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    alm.sender(w.avs)
        .update_avs_metadata_uri(w.avs, "u".into())
        .motsu_unwrap();
    guarded_set(&alm, &w, WAD, DEALLOC, resolver).unwrap();
    slashable_operator(&alm, &dm, &w, op, 1000, 0);
    let p = slash_params(op, 1, vec![S1], vec![WAD / 10]);
    let hold = |until: u32| alm.sender(op).withdrawal_slash_hold(op, until);
    // Two slashes in one episode: the hold starts at the first and ends with the last.
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    let from = now();
    // The DelegationManager is told when the episode starts, not of each slash in it.
    assert_eq!(dm.sender(op).hold_starts_of(op), 1);
    mine(3);
    alm.sender(w.avs)
        .slash_operator(w.avs, p.clone())
        .motsu_unwrap();
    assert_eq!(dm.sender(op).hold_starts_of(op), 1);
    mine(DEALLOC);
    alm.sender(anyone)
        .execute_slash(w.avs, 1, U256::from(1u8), p.clone())
        .motsu_unwrap();
    assert_eq!(hold(from), (true, from), "one slash still pending");
    mine(1);
    alm.sender(anyone)
        .execute_slash(w.avs, 1, U256::from(2u8), p.clone())
        .motsu_unwrap();
    let last = now();
    // Slashable when the episode began: fixed at its last execution. Earlier, or later than
    // that execution: its own end.
    assert_eq!(hold(from), (false, last));
    assert_eq!(hold(last - 1), (false, last));
    assert_eq!(hold(from - 1), (false, from - 1));
    assert_eq!(hold(last), (false, last));
    assert_eq!(hold(last + 5), (false, last + 5));
    // Another operator is not affected.
    assert_eq!(
        alm.sender(op).withdrawal_slash_hold(anyone, from),
        (false, from)
    );
    assert_eq!(dm.sender(op).hold_starts_of(anyone), 0);
    // A slash queued after the episode ended starts a new one, and the DelegationManager hears of it.
    alm.sender(w.avs).slash_operator(w.avs, p).motsu_unwrap();
    assert_eq!(dm.sender(op).hold_starts_of(op), 2);
}

#[motsu::test]
fn the_core_router_serves_its_functions_through_the_abi(
    alm: Contract<AllocationManager>,
    dm: Contract<MockDelegation>,
    pc: Contract<PermissionController>,
    registry: Contract<PauserRegistry>,
    avs: Contract<MockAvs>,
) {
    let w = world(&alm, &dm, &pc, &registry, &avs);
    with_set(&alm, &w);
    // The AVS contract is also an operator here, allocating to its own set through the ABI.
    operator(&alm, &dm, w.avs, 0);
    avs.sender(w.avs)
        .allocate_via_abi(alm.address(), S1, 700)
        .motsu_unwrap();
    assert_eq!(
        alm.sender(w.avs)
            .get_allocation(w.avs, (w.avs, 1), S1)
            .current,
        700
    );
    register(&alm, &w, w.avs, vec![1]);
    dm.sender(w.avs).set_shares(w.avs, S1, U256::from(10u8));
    let before = now();
    mine(2);
    alm.sender(w.avs)
        .slash_operator(w.avs, slash_params(w.avs, 1, vec![S1], vec![WAD]))
        .motsu_unwrap();
    let (now_mags, then_mags, recipient) = avs
        .sender(w.avs)
        .views_via_abi(alm.address(), w.avs, S1, before)
        .motsu_unwrap();
    assert_eq!(now_mags, vec![WAD - 700]);
    assert_eq!(then_mags, vec![WAD]);
    assert_eq!(recipient, DEFAULT_BURN_ADDRESS);
}
