//! Share accounting, pod creation and access control. Pods are a recording stand-in placed at the
//! CREATE2 address (motsu cannot run CREATE2; the proxy bytes are checked in `pod_proxy`); the
//! EigenPod crate tests the real pod against this manager with real proofs.
use alloy_primitives::{Address, I256, U256};
use ferrostake_interfaces::{IEigenPodManager, IFerrostakeErrors, IPausable};
use ferrostake_pauser_registry::PauserRegistry;
use motsu::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageU256, StorageU64};

use super::*;

const ADMIN: Address = Address::new([0xad; 20]);
const ALICE: Address = Address::new([0xa1; 20]);
const BOB: Address = Address::new([0xb0; 20]);
const BEACON: Address = Address::new([0xbe; 20]);
const GWEI: u128 = 1_000_000_000;
const ETH: u128 = GWEI * GWEI;

/// Pod stand-in: remembers `initialize` and ETH withdrawals.
#[storage]
struct MockPod {
    owner: StorageAddress,
    withdrawn: StorageU256,
}

unsafe impl TopLevelStorage for MockPod {}

#[public]
impl MockPod {
    fn initialize(&mut self, owner: Address) {
        self.owner.set(owner);
    }
    #[selector(name = "withdrawRestakedBeaconChainETH")]
    fn withdraw_restaked_beacon_chain_eth(&mut self, _recipient: Address, amount: U256) {
        self.withdrawn.set(self.withdrawn.get() + amount);
    }
}

#[storage]
struct MockDelegation {
    last_prev: StorageU256,
    last_added: StorageU256,
    last_decrease: StorageU64,
}

unsafe impl TopLevelStorage for MockDelegation {}

#[public]
impl MockDelegation {
    #[selector(name = "increaseDelegatedShares")]
    fn increase(&mut self, _staker: Address, _strategy: Address, prev: U256, added: U256) {
        self.last_prev.set(prev);
        self.last_added.set(added);
    }
    #[selector(name = "decreaseDelegatedShares")]
    fn decrease(&mut self, _staker: Address, _cur: U256, decrease: u64) {
        self.last_decrease
            .set(alloy_primitives::U64::from(decrease));
    }
}

struct World {
    epm: Contract<EigenPodManager>,
    dm: Contract<MockDelegation>,
    _registry: Contract<PauserRegistry>,
}

fn world() -> World {
    let w = World {
        epm: Contract::new(),
        dm: Contract::new(),
        _registry: Contract::new(),
    };
    w._registry
        .sender(ADMIN)
        .initialize(vec![ADMIN], ADMIN)
        .unwrap();
    w.epm
        .sender(ADMIN)
        .initialize(
            Address::repeat_byte(0xde),
            BEACON,
            w.dm.address(),
            Address::repeat_byte(0x0c),
            w._registry.address(),
            ADMIN,
            U256::ZERO,
        )
        .unwrap();
    w
}

impl World {
    /// `owner`'s pod stand-in at the CREATE2 address, created through `createPod`.
    fn pod(&self, owner: Address) -> Contract<MockPod> {
        let predicted = self.epm.sender(owner).get_pod(owner);
        let pod = Contract::<MockPod>::new_at(predicted);
        assert_eq!(self.epm.sender(owner).create_pod().unwrap(), predicted);
        pod
    }

    fn record(
        &self,
        pod: &Contract<MockPod>,
        owner: Address,
        prev: u128,
        delta: i128,
    ) -> Result<(), Revert> {
        self.epm
            .sender(pod.address())
            .record_beacon_chain_eth_balance_update(
                owner,
                U256::from(prev),
                I256::try_from(delta).unwrap(),
            )
    }
}

#[motsu::test]
fn initialization_checks_addresses_and_runs_once() {
    let w = world();
    let r = w
        .epm
        .sender(ADMIN)
        .initialize(ALICE, BEACON, ALICE, ALICE, ALICE, ADMIN, U256::ZERO);
    assert!(r.unwrap_err().is::<IFerrostakeErrors::AlreadyInitialized>());
    let fresh = Contract::<EigenPodManager>::new();
    let r = fresh.sender(ADMIN).initialize(
        Address::ZERO,
        BEACON,
        ALICE,
        ALICE,
        ALICE,
        ADMIN,
        U256::ZERO,
    );
    assert!(r.unwrap_err().is::<IEigenPodManager::InputAddressZero>());
    assert_eq!(w.epm.sender(ALICE).eigen_pod_beacon(), BEACON);
    assert_eq!(
        w.epm.sender(ALICE).beacon_chain_eth_strategy(),
        BEACON_CHAIN_ETH_STRATEGY
    );
}

#[motsu::test]
fn create_pod_deploys_once_at_the_create2_address() {
    let w = world();
    let expected = pod_proxy::pod_address(w.epm.address(), ALICE, BEACON);
    assert_eq!(w.epm.sender(BOB).get_pod(ALICE), expected);
    assert!(!w.epm.sender(BOB).has_pod(ALICE));
    let pod = w.pod(ALICE);
    assert_eq!(
        pod.sender(ALICE).owner.get(),
        ALICE,
        "initialized with the owner"
    );
    assert!(w.epm.sender(BOB).has_pod(ALICE));
    assert_eq!(w.epm.sender(BOB).owner_to_pod(ALICE), expected);
    assert_eq!(w.epm.sender(BOB).num_pods(), U256::from(1));
    w.epm.assert_emitted(&IEigenPodManager::PodDeployed {
        eigenPod: expected,
        podOwner: ALICE,
    });
    assert!(w
        .epm
        .sender(ALICE)
        .create_pod()
        .unwrap_err()
        .is::<IEigenPodManager::EigenPodAlreadyExists>());
    w.epm.sender(ADMIN).pause(U256::from(1)).unwrap();
    assert!(w
        .epm
        .sender(BOB)
        .create_pod()
        .unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
}

#[motsu::test]
fn balance_increases_add_whole_gwei_shares_and_tell_the_delegation_manager() {
    let w = world();
    let pod = w.pod(ALICE);
    let r = w.epm.sender(BOB).record_beacon_chain_eth_balance_update(
        ALICE,
        U256::ZERO,
        I256::try_from(ETH).unwrap(),
    );
    assert!(r.unwrap_err().is::<IEigenPodManager::OnlyEigenPod>());
    assert!(w
        .record(&pod, ALICE, 0, 32 * ETH as i128 + 1)
        .unwrap_err()
        .is::<IEigenPodManager::SharesNotMultipleOfGwei>());
    w.record(&pod, ALICE, 0, 32 * ETH as i128).unwrap();
    w.record(&pod, ALICE, 0, ETH as i128).unwrap();
    assert_eq!(
        w.epm.sender(BOB).pod_owner_deposit_shares(ALICE),
        I256::try_from(33 * ETH).unwrap()
    );
    assert_eq!(w.dm.sender(BOB).last_prev.get(), U256::from(32 * ETH));
    assert_eq!(w.dm.sender(BOB).last_added.get(), U256::from(ETH));
    // Another owner's pod cannot report for Alice.
    let bob_pod = w.pod(BOB);
    assert!(w
        .record(&bob_pod, ALICE, 0, ETH as i128)
        .unwrap_err()
        .is::<IEigenPodManager::OnlyEigenPod>());
}

#[motsu::test]
fn balance_decreases_lower_the_slashing_factor_not_the_shares() {
    let w = world();
    let pod = w.pod(ALICE);
    w.record(&pod, ALICE, 0, 64 * ETH as i128).unwrap();
    assert_eq!(
        w.epm.sender(BOB).beacon_chain_slashing_factor(ALICE),
        1_000_000_000_000_000_000
    );
    // 64 → 48 ETH: factor × 3/4.
    w.record(&pod, ALICE, 64 * ETH, -16 * ETH as i128).unwrap();
    assert_eq!(
        w.epm.sender(BOB).beacon_chain_slashing_factor(ALICE),
        750_000_000_000_000_000
    );
    assert_eq!(
        w.dm.sender(BOB).last_decrease.get(),
        alloy_primitives::U64::from(250_000_000_000_000_000u64)
    );
    // 48 → 36 ETH: × 3/4 again.
    w.record(&pod, ALICE, 48 * ETH, -12 * ETH as i128).unwrap();
    assert_eq!(
        w.epm.sender(BOB).beacon_chain_slashing_factor(ALICE),
        562_500_000_000_000_000
    );
    w.epm
        .assert_emitted(&IEigenPodManager::BeaconChainSlashingFactorDecreased {
            staker: ALICE,
            prevBeaconChainSlashingFactor: 750_000_000_000_000_000,
            newBeaconChainSlashingFactor: 562_500_000_000_000_000,
        });
    assert_eq!(
        w.epm.sender(BOB).pod_owner_deposit_shares(ALICE),
        I256::try_from(64 * ETH).unwrap()
    );
    // A decrease larger than the previous balance is impossible from a pod; it is an error.
    assert!(w
        .record(&pod, ALICE, ETH, -2 * ETH as i128)
        .unwrap_err()
        .is::<IFerrostakeErrors::MathOverflow>());
}

#[motsu::test]
fn delegation_manager_hooks_move_shares() {
    let w = world();
    let pod = w.pod(ALICE);
    let dm = w.dm.address();
    w.record(&pod, ALICE, 0, 10 * ETH as i128).unwrap();
    let s = BEACON_CHAIN_ETH_STRATEGY;
    assert!(w
        .epm
        .sender(BOB)
        .remove_deposit_shares(ALICE, s, U256::from(1))
        .unwrap_err()
        .is::<IEigenPodManager::OnlyDelegationManager>());
    assert!(w
        .epm
        .sender(dm)
        .remove_deposit_shares(ALICE, BOB, U256::from(1))
        .unwrap_err()
        .is::<IEigenPodManager::InvalidStrategy>());
    assert!(w
        .epm
        .sender(dm)
        .remove_deposit_shares(ALICE, s, U256::from(10 * ETH + 1))
        .unwrap_err()
        .is::<IEigenPodManager::SharesNegative>());
    assert_eq!(
        w.epm
            .sender(dm)
            .remove_deposit_shares(ALICE, s, U256::from(4 * ETH))
            .unwrap(),
        U256::from(6 * ETH)
    );
    assert_eq!(
        w.epm
            .sender(dm)
            .add_shares(ALICE, s, U256::from(4 * ETH))
            .unwrap(),
        (U256::from(6 * ETH), U256::from(4 * ETH))
    );
    w.epm
        .sender(dm)
        .withdraw_shares_as_tokens(ALICE, s, Address::ZERO, U256::from(3 * ETH))
        .unwrap();
    assert_eq!(pod.sender(ALICE).withdrawn.get(), U256::from(3 * ETH));
    assert_eq!(
        w.epm.sender(BOB).staker_deposit_shares(ALICE, s).unwrap(),
        U256::from(10 * ETH)
    );
    assert!(w
        .epm
        .sender(BOB)
        .staker_deposit_shares(ALICE, BOB)
        .unwrap_err()
        .is::<IEigenPodManager::InvalidStrategy>());
    w.epm
        .sender(dm)
        .increase_burn_or_redistributable_shares((BOB, 1), U256::from(1), s, U256::from(5))
        .unwrap();
    w.epm
        .sender(dm)
        .increase_burn_or_redistributable_shares((BOB, 1), U256::from(2), s, U256::from(7))
        .unwrap();
    assert_eq!(w.epm.sender(BOB).burnable_eth_shares(), U256::from(12));
}

#[motsu::test]
fn a_legacy_deficit_is_repaid_first_and_blocks_balance_updates() {
    let w = world();
    let pod = w.pod(ALICE);
    let dm = w.dm.address();
    let s = BEACON_CHAIN_ETH_STRATEGY;
    // Pre-slashing pods could end with negative shares; set one up directly.
    w.epm
        .sender(ADMIN)
        .pod_owner_deposit_shares
        .setter(ALICE)
        .set(I256::try_from(-10 * ETH as i128).unwrap());
    assert!(w
        .record(&pod, ALICE, 0, ETH as i128)
        .unwrap_err()
        .is::<IEigenPodManager::LegacyWithdrawalsNotCompleted>());
    assert_eq!(
        w.epm.sender(BOB).staker_deposit_shares(ALICE, s).unwrap(),
        U256::ZERO
    );
    // Withdrawing 3 as tokens only repays: no ETH leaves the pod.
    w.epm
        .sender(dm)
        .withdraw_shares_as_tokens(ALICE, s, Address::ZERO, U256::from(3 * ETH))
        .unwrap();
    assert_eq!(pod.sender(ALICE).withdrawn.get(), U256::ZERO);
    // Adding 4 leaves −3: nothing to delegate.
    assert_eq!(
        w.epm
            .sender(dm)
            .add_shares(ALICE, s, U256::from(4 * ETH))
            .unwrap(),
        (U256::ZERO, U256::ZERO)
    );
    // Withdrawing 5 repays 3 and sends 2.
    w.epm
        .sender(dm)
        .withdraw_shares_as_tokens(ALICE, s, Address::ZERO, U256::from(5 * ETH))
        .unwrap();
    assert_eq!(pod.sender(ALICE).withdrawn.get(), U256::from(2 * ETH));
    assert_eq!(
        w.epm.sender(BOB).pod_owner_deposit_shares(ALICE),
        I256::ZERO
    );
    // Now positive additions count in full.
    assert_eq!(
        w.epm
            .sender(dm)
            .add_shares(ALICE, s, U256::from(ETH))
            .unwrap(),
        (U256::ZERO, U256::from(ETH))
    );
}

#[motsu::test]
fn roles_guard_the_settings() {
    let w = world();
    assert!(w
        .epm
        .sender(ALICE)
        .set_proof_timestamp_setter(ALICE)
        .unwrap_err()
        .is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    w.epm
        .sender(ADMIN)
        .set_proof_timestamp_setter(ALICE)
        .unwrap();
    assert!(w
        .epm
        .sender(ADMIN)
        .set_pectra_fork_timestamp(5)
        .unwrap_err()
        .is::<IEigenPodManager::OnlyProofTimestampSetter>());
    w.epm.sender(ALICE).set_pectra_fork_timestamp(5).unwrap();
    assert_eq!(w.epm.sender(BOB).pectra_fork_timestamp(), 5);
    assert_eq!(w.epm.sender(BOB).proof_timestamp_setter(), ALICE);
    // The extension takes the proxy's admin, not the owner: without a proxy nobody may.
    for caller in [ALICE, ADMIN] {
        assert!(w
            .epm
            .sender(caller)
            .set_eigen_pod_extension(BOB)
            .unwrap_err()
            .is::<IFerrostakeErrors::OnlyProxyAdmin>());
    }
    ferrostake_common::access::store_proxy_admin(w.epm.sender(ALICE).vm(), ALICE);
    assert!(w
        .epm
        .sender(ADMIN)
        .set_eigen_pod_extension(BOB)
        .unwrap_err()
        .is::<IFerrostakeErrors::OnlyProxyAdmin>());
    assert!(w
        .epm
        .sender(ALICE)
        .set_eigen_pod_extension(Address::ZERO)
        .unwrap_err()
        .is::<IEigenPodManager::InputAddressZero>());
    w.epm.sender(ALICE).set_eigen_pod_extension(BOB).unwrap();
    assert_eq!(w.epm.sender(ALICE).eigen_pod_extension(), BOB);
    assert!(w
        .epm
        .sender(ALICE)
        .increase_burn_or_redistributable_shares((BOB, 1), U256::from(1), BOB, U256::from(5))
        .unwrap_err()
        .is::<IEigenPodManager::OnlyDelegationManager>());
}

/// `proofContext(i)` answers exactly what `paused(i)` and `pectraForkTimestamp()` answer.
#[motsu::test]
fn proof_context_is_the_pause_bit_and_the_fork_timestamp() {
    let w = world();
    assert_eq!(w.epm.sender(BOB).proof_context(7), (false, 0));
    w.epm
        .sender(ADMIN)
        .set_proof_timestamp_setter(ALICE)
        .unwrap();
    w.epm
        .sender(ALICE)
        .set_pectra_fork_timestamp(1_234)
        .unwrap();
    // Bits 2 and 7 (the pod's credential and checkpoint-proof pauses).
    w.epm
        .sender(ADMIN)
        .pause(U256::from((1u64 << 2) | (1u64 << 7)))
        .unwrap();
    for i in [0u8, 2, 6, 7, 8] {
        let paused = i == 2 || i == 7;
        assert_eq!(w.epm.sender(BOB).paused_index(i), paused);
        assert_eq!(w.epm.sender(BOB).proof_context(i), (paused, 1_234));
    }
}
