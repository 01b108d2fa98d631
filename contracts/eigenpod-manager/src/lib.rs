//! EigenPodManager: pod creation, native-ETH deposit shares and the beacon-chain slashing factor
//! (EigenLayer v1.12's `IEigenPodManager`).
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `createPod` | anyone without a pod | not paused (bit 0) → CREATE2 beacon proxy (salt = owner), `initialize(owner)`, `PodDeployed` |
//! | `stake` | anyone | not paused (bit 0); creates the caller's pod if needed, forwards `msg.value` to `pod.stake` (32 ETH to the deposit contract) |
//! | `recordBeaconChainETHBalanceUpdate` | the pod of `podOwner` | delta whole gwei; no legacy deficit; delta > 0 → deposit shares + `DM.increaseDelegatedShares`; delta < 0 → beacon-chain slashing factor `l·(prev−|δ|)/prev` and `DM.decreaseDelegatedShares` |
//! | `addShares`, `removeDepositShares`, `withdrawSharesAsTokens`, `increaseBurnOrRedistributableShares` | DelegationManager | share hooks of the queue; tokens = native ETH from the pod |
//! | `setProofTimestampSetter` | owner | |
//! | `setPectraForkTimestamp` | proof timestamp setter | selects the Deneb/Pectra proof layout in the pods |
//!
//! Shares are `int256` as in EigenLayer: a negative balance (a legacy "deficit") is only ever
//! repaid (by `addShares` / `withdrawSharesAsTokens`), never created, and blocks balance updates
//! (`LegacyWithdrawalsNotCompleted`). Beacon-chain balance decreases never reduce deposit shares:
//! they lower the staker's beacon-chain slashing factor (monotonically decreasing, WAD at start).
//!
//! **Pods.** A pod is a 91-byte EVM beacon proxy ([`pod_proxy`]) created with CREATE2 at
//! `keccak(0xff ‖ this ‖ bytes32(owner) ‖ keccak(initcode))`; every call asks the beacon for the
//! EigenPod program and delegate-calls it, so upgrading the beacon upgrades every pod. The pods read
//! this contract's pause bitmap, the Pectra fork timestamp, the deposit contract and the beacon-root
//! oracle, so those live in one place.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

pub mod pod_proxy;

use alloc::{vec, vec::Vec};

use alloy_primitives::{address, Address, B256, I256, U256};
use ferrostake_common::{
    access::{Initializable, Ownable, Pausable, ReentrancyGuard},
    call::call,
    math::WAD,
    slashing, Revert,
};
#[cfg(any(test, feature = "native-test-deploy"))]
use ferrostake_interfaces::IFerrostakeErrors::NoCodeAt;
use ferrostake_interfaces::{
    IDelegationManager, IEigenPod, IEigenPodManager, IFerrostakeErrors::MathOverflow,
};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageI256, StorageMap, StorageU256, StorageU64},
    stylus_core::log,
};

/// The virtual strategy of beacon-chain ETH (no code).
pub const BEACON_CHAIN_ETH_STRATEGY: Address = address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// Shares of native ETH are wei and always whole gwei.
pub const GWEI_TO_WEI: u64 = 1_000_000_000;

/// Pause bits shared by the EigenPodManager and every pod (EigenLayer's `EigenPodPausingConstants`).
pub mod pause {
    /// `createPod`, `stake`.
    pub const NEW_EIGENPODS: u8 = 0;
    /// `EigenPod.verifyWithdrawalCredentials`.
    pub const EIGENPODS_VERIFY_CREDENTIALS: u8 = 2;
    /// `EigenPod.recoverTokens`.
    pub const NON_PROOF_WITHDRAWALS: u8 = 5;
    /// `EigenPod.startCheckpoint` (and `verifyStaleBalance`, which starts one).
    pub const START_CHECKPOINT: u8 = 6;
    /// `EigenPod.verifyCheckpointProofs`.
    pub const EIGENPODS_VERIFY_CHECKPOINT_PROOFS: u8 = 7;
    /// `EigenPod.verifyStaleBalance`.
    pub const VERIFY_STALE_BALANCE: u8 = 8;
    /// `EigenPod.requestConsolidation`.
    pub const CONSOLIDATIONS: u8 = 9;
    /// `EigenPod.requestWithdrawal`.
    pub const WITHDRAWAL_REQUESTS: u8 = 10;
}

/// A staker's beacon-chain slashing factor; unset reads as WAD (EigenLayer's `BeaconChainSlashingFactor`).
#[storage]
pub struct SlashingFactorSlot {
    is_set: StorageBool,
    factor: StorageU64,
}

#[storage]
pub struct EigenPodManager {
    init: Initializable,
    ownable: Ownable,
    pausable: Pausable,
    guard: ReentrancyGuard,
    eth_pos: StorageAddress,
    eigen_pod_beacon: StorageAddress,
    delegation_manager: StorageAddress,
    beacon_root_oracle: StorageAddress,
    proof_timestamp_setter: StorageAddress,
    pectra_fork_timestamp: StorageU64,
    owner_to_pod: StorageMap<Address, StorageAddress>,
    num_pods: StorageU256,
    pod_owner_deposit_shares: StorageMap<Address, StorageI256>,
    beacon_chain_slashing_factor: StorageMap<Address, SlashingFactorSlot>,
    burnable_eth_shares: StorageU256,
    /// The EigenPod's second program (pods delegate non-hot-path selectors to it).
    eigen_pod_extension: StorageAddress,
}

ferrostake_common::entrypoint!(EigenPodManager);

fn i256(x: U256) -> Result<I256, Revert> {
    // `int256(x)` in Solidity; values ≥ 2^255 would turn negative.
    I256::try_from(x).map_err(|_| IEigenPodManager::SharesNegative {}.into())
}

impl EigenPodManager {
    fn only_delegation_manager(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.delegation_manager.get() {
            return Err(IEigenPodManager::OnlyDelegationManager {}.into());
        }
        Ok(())
    }

    fn only_beacon_eth(strategy: Address) -> Result<(), Revert> {
        if strategy != BEACON_CHAIN_ETH_STRATEGY {
            return Err(IEigenPodManager::InvalidStrategy {}.into());
        }
        Ok(())
    }

    /// The CREATE2 address of `owner`'s pod (whether or not it exists yet).
    pub fn predicted_pod_address(&self, owner: Address) -> Address {
        pod_proxy::pod_address(
            self.vm().contract_address(),
            owner,
            self.eigen_pod_beacon.get(),
        )
    }

    /// Deploys `owner`'s pod proxy with CREATE2. The only code path motsu cannot run (it has no
    /// CREATE2), so it is kept this small; native tests swap it for [`Self::deploy_pod_native`].
    #[cfg(not(any(test, feature = "native-test-deploy")))]
    fn deploy_pod(&mut self, owner: Address) -> Result<Address, Revert> {
        #[allow(deprecated)]
        let deployed = unsafe {
            stylus_sdk::deploy::RawDeploy::new()
                .salt(pod_proxy::salt(owner))
                .flush_storage_cache()
                .deploy(
                    &pod_proxy::init_code(self.eigen_pod_beacon.get()),
                    U256::ZERO,
                )
        };
        deployed.map_err(Revert)
    }

    #[cfg(any(test, feature = "native-test-deploy"))]
    fn deploy_pod(&mut self, owner: Address) -> Result<Address, Revert> {
        self.deploy_pod_native(owner)
    }

    /// Native tests: the pod contract already sits at the predicted address (motsu's
    /// `Contract::new_at`); "deploying" checks that it is there.
    #[cfg(any(test, feature = "native-test-deploy"))]
    pub fn deploy_pod_native(&mut self, owner: Address) -> Result<Address, Revert> {
        let pod = self.predicted_pod_address(owner);
        // motsu answers `has_code` (not `code_size`) for its contracts.
        #[allow(deprecated)]
        let has_code = stylus_sdk::types::AddressVM::has_code(&pod);
        if !has_code {
            return Err(NoCodeAt { target: pod }.into());
        }
        Ok(pod)
    }

    /// Native tests of the pod crate: registers (and initializes) a pod contract placed at `pod`,
    /// exactly as `createPod` does after deploying.
    #[cfg(any(test, feature = "native-test-deploy"))]
    pub fn register_pod_native(&mut self, owner: Address, pod: Address) -> Result<(), Revert> {
        self.register(owner, pod)
    }

    fn deploy_and_register(&mut self, owner: Address) -> Result<Address, Revert> {
        let pod = self.deploy_pod(owner)?;
        self.register(owner, pod)?;
        Ok(pod)
    }

    fn register(&mut self, owner: Address, pod: Address) -> Result<(), Revert> {
        // numPods ≤ number of addresses.
        self.num_pods.set(self.num_pods.get() + U256::from(1u8));
        // Mapped before `initialize` so the pod is recognised if it calls back.
        self.owner_to_pod.setter(owner).set(pod);
        call(pod, &IEigenPod::initializeCall { owner })?;
        log(
            self.vm(),
            IEigenPodManager::PodDeployed {
                eigenPod: pod,
                podOwner: owner,
            },
        );
        Ok(())
    }

    /// Adds `shares` to `staker`'s deposit shares (repaying a legacy deficit first); returns
    /// (previous shares clamped at 0, shares added above 0) for the DelegationManager.
    fn add_shares_inner(&mut self, staker: Address, shares: U256) -> Result<(U256, U256), Revert> {
        if staker.is_zero() {
            return Err(IEigenPodManager::InputAddressZero {}.into());
        }
        let added = i256(shares)?;
        let prev = self.pod_owner_deposit_shares.get(staker);
        let updated = prev
            .checked_add(added)
            .ok_or_else(|| Revert::from(MathOverflow {}))?;
        self.pod_owner_deposit_shares.setter(staker).set(updated);
        log(
            self.vm(),
            IEigenPodManager::PodSharesUpdated {
                podOwner: staker,
                sharesDelta: added,
            },
        );
        log(
            self.vm(),
            IEigenPodManager::NewTotalShares {
                podOwner: staker,
                newTotalShares: updated,
            },
        );
        let prev_clamped = if prev.is_negative() {
            U256::ZERO
        } else {
            prev.into_raw()
        };
        let updated_clamped = if updated.is_negative() {
            U256::ZERO
        } else {
            updated.into_raw()
        };
        // updated = prev + added with added ≥ 0, so updated_clamped ≥ prev_clamped.
        Ok((prev_clamped, updated_clamped - prev_clamped))
    }

    /// Lowers `staker`'s beacon-chain slashing factor in proportion to a restaked balance falling
    /// from `prev_wei` by `decrease_wei`; returns the factor's decrease.
    fn reduce_slashing_factor(
        &mut self,
        staker: Address,
        prev_wei: U256,
        decrease_wei: U256,
    ) -> Result<u64, Revert> {
        let new_wei = prev_wei
            .checked_sub(decrease_wei)
            .ok_or_else(|| Revert::from(MathOverflow {}))?;
        let prev_factor = self.beacon_chain_slashing_factor_of(staker);
        let new_factor =
            slashing::beacon_factor_after_balance_drop(U256::from(prev_factor), prev_wei, new_wei)?;
        // new_factor ≤ prev_factor < 2^64.
        let new_factor: u64 = new_factor.to();
        let mut slot = self.beacon_chain_slashing_factor.setter(staker);
        slot.is_set.set(true);
        slot.factor.set(alloy_primitives::U64::from(new_factor));
        log(
            self.vm(),
            IEigenPodManager::BeaconChainSlashingFactorDecreased {
                staker,
                prevBeaconChainSlashingFactor: prev_factor,
                newBeaconChainSlashingFactor: new_factor,
            },
        );
        Ok(prev_factor - new_factor)
    }

    fn beacon_chain_slashing_factor_of(&self, staker: Address) -> u64 {
        let slot = self.beacon_chain_slashing_factor.getter(staker);
        if slot.is_set.get() {
            slot.factor.get().to()
        } else {
            WAD.to()
        }
    }

    fn pod_of(&self, owner: Address) -> Address {
        self.owner_to_pod.get(owner)
    }
}

#[public]
impl EigenPodManager {
    /// One-shot initializer (EigenLayer: constructor immutables + `initialize`).
    #[allow(clippy::too_many_arguments)] // mirrors the ABI
    pub fn initialize(
        &mut self,
        eth_pos: Address,
        eigen_pod_beacon: Address,
        delegation_manager: Address,
        beacon_root_oracle: Address,
        pauser_registry: Address,
        initial_owner: Address,
        initial_paused_status: U256,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.guard.init();
        if eth_pos.is_zero()
            || eigen_pod_beacon.is_zero()
            || delegation_manager.is_zero()
            || beacon_root_oracle.is_zero()
        {
            return Err(IEigenPodManager::InputAddressZero {}.into());
        }
        self.eth_pos.set(eth_pos);
        self.eigen_pod_beacon.set(eigen_pod_beacon);
        self.delegation_manager.set(delegation_manager);
        self.beacon_root_oracle.set(beacon_root_oracle);
        self.pausable.init(pauser_registry, initial_paused_status)?;
        self.ownable.init(initial_owner)?;
        Ok(())
    }

    #[selector(name = "createPod")]
    pub fn create_pod(&mut self) -> Result<Address, Revert> {
        self.pausable.require_not_paused(pause::NEW_EIGENPODS)?;
        let owner = self.vm().msg_sender();
        if !self.pod_of(owner).is_zero() {
            return Err(IEigenPodManager::EigenPodAlreadyExists {}.into());
        }
        self.guard.enter()?;
        let pod = self.deploy_and_register(owner)?;
        self.guard.exit();
        Ok(pod)
    }

    #[payable]
    pub fn stake(
        &mut self,
        pubkey: Bytes,
        signature: Bytes,
        deposit_data_root: B256,
    ) -> Result<(), Revert> {
        self.pausable.require_not_paused(pause::NEW_EIGENPODS)?;
        self.guard.enter()?;
        let owner = self.vm().msg_sender();
        let mut pod = self.pod_of(owner);
        if pod.is_zero() {
            pod = self.deploy_and_register(owner)?;
        }
        ferrostake_common::call::call_with_value(
            pod,
            self.vm().msg_value(),
            &IEigenPod::stakeCall {
                pubkey: pubkey.0.into(),
                signature: signature.0.into(),
                depositDataRoot: deposit_data_root,
            },
        )?;
        self.guard.exit();
        Ok(())
    }

    #[selector(name = "recordBeaconChainETHBalanceUpdate")]
    pub fn record_beacon_chain_eth_balance_update(
        &mut self,
        pod_owner: Address,
        prev_restaked_balance_wei: U256,
        balance_delta_wei: I256,
    ) -> Result<(), Revert> {
        // The zero owner has no pod, so `OnlyEigenPod` also covers `podOwner == 0`.
        if pod_owner.is_zero() || self.vm().msg_sender() != self.pod_of(pod_owner) {
            return Err(IEigenPodManager::OnlyEigenPod {}.into());
        }
        let gwei = I256::try_from(GWEI_TO_WEI).unwrap_or(I256::ONE);
        if !(balance_delta_wei % gwei).is_zero() {
            return Err(IEigenPodManager::SharesNotMultipleOfGwei {}.into());
        }
        let current = self.pod_owner_deposit_shares.get(pod_owner);
        if current.is_negative() {
            return Err(IEigenPodManager::LegacyWithdrawalsNotCompleted {}.into());
        }
        self.guard.enter()?;
        let dm = self.delegation_manager.get();
        if balance_delta_wei.is_positive() {
            let (prev, added) = self.add_shares_inner(pod_owner, balance_delta_wei.into_raw())?;
            call(
                dm,
                &IDelegationManager::increaseDelegatedSharesCall {
                    staker: pod_owner,
                    strategy: BEACON_CHAIN_ETH_STRATEGY,
                    prevDepositShares: prev,
                    addedShares: added,
                },
            )?;
        } else if balance_delta_wei.is_negative() {
            let decrease = self.reduce_slashing_factor(
                pod_owner,
                prev_restaked_balance_wei,
                balance_delta_wei.unsigned_abs(),
            )?;
            call(
                dm,
                &IDelegationManager::decreaseDelegatedSharesCall {
                    staker: pod_owner,
                    curDepositShares: current.into_raw(),
                    beaconChainSlashingFactorDecrease: decrease,
                },
            )?;
        }
        self.guard.exit();
        Ok(())
    }

    #[selector(name = "removeDepositShares")]
    pub fn remove_deposit_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        deposit_shares_to_remove: U256,
    ) -> Result<U256, Revert> {
        self.only_delegation_manager()?;
        Self::only_beacon_eth(strategy)?;
        let remove = i256(deposit_shares_to_remove)?;
        let updated = self
            .pod_owner_deposit_shares
            .get(staker)
            .checked_sub(remove)
            .filter(|u| !u.is_negative())
            .ok_or_else(|| Revert::from(IEigenPodManager::SharesNegative {}))?;
        self.pod_owner_deposit_shares.setter(staker).set(updated);
        log(
            self.vm(),
            IEigenPodManager::NewTotalShares {
                podOwner: staker,
                newTotalShares: updated,
            },
        );
        Ok(updated.into_raw())
    }

    #[selector(name = "addShares")]
    pub fn add_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<(U256, U256), Revert> {
        self.only_delegation_manager()?;
        Self::only_beacon_eth(strategy)?;
        self.add_shares_inner(staker, shares)
    }

    #[selector(name = "withdrawSharesAsTokens")]
    pub fn withdraw_shares_as_tokens(
        &mut self,
        staker: Address,
        strategy: Address,
        _token: Address,
        shares: U256,
    ) -> Result<(), Revert> {
        self.only_delegation_manager()?;
        Self::only_beacon_eth(strategy)?;
        if staker.is_zero() {
            return Err(IEigenPodManager::InputAddressZero {}.into());
        }
        let mut shares = shares;
        let shares_signed = i256(shares)?;
        let current = self.pod_owner_deposit_shares.get(staker);
        if current.is_negative() {
            // A legacy deficit is repaid before any ETH leaves the pod.
            let deficit = current.unsigned_abs();
            if shares > deficit {
                self.pod_owner_deposit_shares.setter(staker).set(I256::ZERO);
                shares -= deficit;
                log(
                    self.vm(),
                    IEigenPodManager::PodSharesUpdated {
                        podOwner: staker,
                        sharesDelta: I256::from_raw(deficit),
                    },
                );
                log(
                    self.vm(),
                    IEigenPodManager::NewTotalShares {
                        podOwner: staker,
                        newTotalShares: I256::ZERO,
                    },
                );
            } else {
                // current < 0 and shares ≤ |current|: no overflow.
                let updated = current + shares_signed;
                self.pod_owner_deposit_shares.setter(staker).set(updated);
                log(
                    self.vm(),
                    IEigenPodManager::PodSharesUpdated {
                        podOwner: staker,
                        sharesDelta: shares_signed,
                    },
                );
                log(
                    self.vm(),
                    IEigenPodManager::NewTotalShares {
                        podOwner: staker,
                        newTotalShares: updated,
                    },
                );
                return Ok(());
            }
        }
        self.guard.enter()?;
        call(
            self.pod_of(staker),
            &IEigenPod::withdrawRestakedBeaconChainETHCall {
                recipient: staker,
                amount: shares,
            },
        )?;
        self.guard.exit();
        Ok(())
    }

    /// Slashed native ETH stays locked in the pods; only the count is kept.
    #[selector(name = "increaseBurnOrRedistributableShares")]
    pub fn increase_burn_or_redistributable_shares(
        &mut self,
        _operator_set: (Address, u32),
        _slash_id: U256,
        _strategy: Address,
        added_shares_to_burn: U256,
    ) -> Result<(), Revert> {
        self.only_delegation_manager()?;
        let total = self
            .burnable_eth_shares
            .get()
            .checked_add(added_shares_to_burn)
            .ok_or_else(|| Revert::from(MathOverflow {}))?;
        self.burnable_eth_shares.set(total);
        log(
            self.vm(),
            IEigenPodManager::BurnableETHSharesIncreased {
                shares: added_shares_to_burn,
            },
        );
        Ok(())
    }

    #[selector(name = "setPectraForkTimestamp")]
    pub fn set_pectra_fork_timestamp(&mut self, timestamp: u64) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.proof_timestamp_setter.get() {
            return Err(IEigenPodManager::OnlyProofTimestampSetter {}.into());
        }
        self.pectra_fork_timestamp
            .set(alloy_primitives::U64::from(timestamp));
        log(
            self.vm(),
            IEigenPodManager::PectraForkTimestampSet {
                newPectraForkTimestamp: timestamp,
            },
        );
        Ok(())
    }

    #[selector(name = "setProofTimestampSetter")]
    pub fn set_proof_timestamp_setter(
        &mut self,
        new_proof_timestamp_setter: Address,
    ) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())?;
        self.proof_timestamp_setter.set(new_proof_timestamp_setter);
        log(
            self.vm(),
            IEigenPodManager::ProofTimestampSetterSet {
                newProofTimestampSetter: new_proof_timestamp_setter,
            },
        );
        Ok(())
    }

    /// Proxy-admin only: the EigenPod's second program, for every pod at once. Every pod
    /// delegatecalls it, so changing it is an upgrade of every pod and takes the upgrade key.
    #[selector(name = "setEigenPodExtension")]
    pub fn set_eigen_pod_extension(&mut self, new_extension: Address) -> Result<(), Revert> {
        ferrostake_common::access::only_proxy_admin(self.vm())?;
        if new_extension.is_zero() {
            return Err(IEigenPodManager::InputAddressZero {}.into());
        }
        self.eigen_pod_extension.set(new_extension);
        log(
            self.vm(),
            IEigenPodManager::EigenPodExtensionSet {
                extension: new_extension,
            },
        );
        Ok(())
    }

    #[selector(name = "eigenPodExtension")]
    pub fn eigen_pod_extension(&self) -> Address {
        self.eigen_pod_extension.get()
    }

    // --- views ---

    #[selector(name = "ownerToPod")]
    pub fn owner_to_pod(&self, pod_owner: Address) -> Address {
        self.pod_of(pod_owner)
    }

    /// The pod's address, deployed or not (CREATE2 is deterministic).
    #[selector(name = "getPod")]
    pub fn get_pod(&self, pod_owner: Address) -> Address {
        let pod = self.pod_of(pod_owner);
        if pod.is_zero() {
            self.predicted_pod_address(pod_owner)
        } else {
            pod
        }
    }

    #[selector(name = "hasPod")]
    pub fn has_pod(&self, pod_owner: Address) -> bool {
        !self.pod_of(pod_owner).is_zero()
    }

    #[selector(name = "numPods")]
    pub fn num_pods(&self) -> U256 {
        self.num_pods.get()
    }

    #[selector(name = "podOwnerDepositShares")]
    pub fn pod_owner_deposit_shares(&self, pod_owner: Address) -> I256 {
        self.pod_owner_deposit_shares.get(pod_owner)
    }

    /// Deposit shares clamped at zero (a legacy deficit reads as none).
    #[selector(name = "stakerDepositShares")]
    pub fn staker_deposit_shares(&self, user: Address, strategy: Address) -> Result<U256, Revert> {
        Self::only_beacon_eth(strategy)?;
        let shares = self.pod_owner_deposit_shares.get(user);
        Ok(if shares.is_negative() {
            U256::ZERO
        } else {
            shares.into_raw()
        })
    }

    #[selector(name = "beaconChainSlashingFactor")]
    pub fn beacon_chain_slashing_factor(&self, staker: Address) -> u64 {
        self.beacon_chain_slashing_factor_of(staker)
    }

    #[selector(name = "burnableETHShares")]
    pub fn burnable_eth_shares(&self) -> U256 {
        self.burnable_eth_shares.get()
    }

    #[selector(name = "pectraForkTimestamp")]
    pub fn pectra_fork_timestamp(&self) -> u64 {
        self.pectra_fork_timestamp.get().to()
    }

    #[selector(name = "proofTimestampSetter")]
    pub fn proof_timestamp_setter(&self) -> Address {
        self.proof_timestamp_setter.get()
    }

    #[selector(name = "beaconChainETHStrategy")]
    pub fn beacon_chain_eth_strategy(&self) -> Address {
        BEACON_CHAIN_ETH_STRATEGY
    }

    #[selector(name = "ethPOS")]
    pub fn eth_pos(&self) -> Address {
        self.eth_pos.get()
    }

    #[selector(name = "eigenPodBeacon")]
    pub fn eigen_pod_beacon(&self) -> Address {
        self.eigen_pod_beacon.get()
    }

    #[selector(name = "delegationManager")]
    pub fn delegation_manager(&self) -> Address {
        self.delegation_manager.get()
    }

    #[selector(name = "beaconRootOracle")]
    pub fn beacon_root_oracle(&self) -> Address {
        self.beacon_root_oracle.get()
    }

    // --- Ownable ---

    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    #[selector(name = "transferOwnership")]
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.transfer_ownership(caller, new_owner)
    }

    #[selector(name = "renounceOwnership")]
    pub fn renounce_ownership(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.renounce_ownership(caller)
    }

    // --- Pausable ---

    #[selector(name = "pauserRegistry")]
    pub fn pauser_registry(&self) -> Address {
        self.pausable.pauser_registry()
    }

    pub fn pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause(caller, new_paused_status)
    }

    #[selector(name = "pauseAll")]
    pub fn pause_all(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause_all(caller)
    }

    pub fn unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.unpause(caller, new_paused_status)
    }

    #[selector(name = "paused")]
    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    #[selector(name = "paused")]
    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }

    /// `paused(index)` and `pectraForkTimestamp()` in one call: what a pod's proof entry points
    /// read (every manager entry a pod saves is a program entry and an EVM proxy hop).
    #[selector(name = "proofContext")]
    pub fn proof_context(&self, index: u8) -> (bool, u64) {
        (self.pausable.is_paused(index), self.pectra_fork_timestamp())
    }
}

#[cfg(test)]
mod tests;
