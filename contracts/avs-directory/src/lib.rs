//! AVSDirectory: the legacy (pre-operator-set) operator ↔ AVS registration that AVS service
//! managers built on EigenLayer's middleware call (EigenLayer v1.12's `IAVSDirectory`, frozen since
//! the slashing release; new AVSs use the AllocationManager's operator sets).
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `registerOperatorToAVS(operator, sig)` | the AVS (`msg.sender`) | bit 0 not paused (`CurrentlyPaused`); not already registered (`OperatorAlreadyRegisteredToAVS`); salt unspent (`SaltSpent`); `operator` is a DelegationManager operator (`OperatorNotRegisteredToEigenLayer`); `expiry ≥ now` (`SignatureExpired`); the operator's ECDSA or EIP-1271 signature over the `OperatorAVSRegistration` digest (`InvalidSignature`) → salt spent, status `REGISTERED`, `OperatorAVSRegistrationStatusUpdated` |
//! | `deregisterOperatorFromAVS(operator)` | the AVS | bit 0 not paused; registered (`OperatorNotRegisteredToAVS`) → status `UNREGISTERED`, event |
//! | `cancelSalt(salt)` | an operator | marks its own salt spent (no check, as EigenLayer) |
//! | `updateAVSMetadataURI(uri)` | an AVS | emits `AVSMetadataURIUpdated` (the URI is never stored) |
//! | `pause`, `pauseAll`, `unpause`, ownership | pausers / unpauser / owner | EigenLayer's `Pausable` and OpenZeppelin's `Ownable` |
//!
//! The digest is EIP-712 over `OperatorAVSRegistration(address operator,address avs,bytes32 salt,
//! uint256 expiry)` in the domain `EIP712Domain(string name,string version,uint256 chainId,address
//! verifyingContract)` with name `"EigenLayer"`, the major version, the current chain id and this
//! contract, so a signature made by EigenLayer tooling for this address verifies here.
//!
//! The only calls out are static (`DelegationManager.isOperator`, the ecrecover precompile, an
//! operator contract's `isValidSignature`): a callee cannot write state during a static call, so no
//! re-entry can change state and no reentrancy guard is taken.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use ferrostake_common::{
    access::{Initializable, Ownable, Pausable},
    call::static_call,
    eip712, Revert,
};
use ferrostake_interfaces::{
    IAVSDirectory, IDelegationManager, IPausable, OperatorAVSRegistrationStatus,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap},
    stylus_core::log,
};

/// Pause bit of `registerOperatorToAVS` / `deregisterOperatorFromAVS` (EigenLayer's index).
pub const PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS: u8 = 0;
/// EigenLayer's bit 1 paused the operator-set functions the AVSDirectory no longer has; reserved.
pub const PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION: u8 = 1;
/// Contract version.
pub const VERSION: &str = "v1.0.0";

/// `keccak256("OperatorAVSRegistration(address operator,address avs,bytes32 salt,uint256 expiry)")`.
pub fn operator_avs_registration_typehash() -> B256 {
    const HASH: B256 = ferrostake_common::eip712::const_keccak(
        "OperatorAVSRegistration(address operator,address avs,bytes32 salt,uint256 expiry)",
    );
    HASH
}

/// `keccak256("OperatorSetRegistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)")`
/// (a view EigenLayer keeps; nothing here signs it).
pub fn operator_set_registration_typehash() -> B256 {
    const HASH: B256 = ferrostake_common::eip712::const_keccak(
        "OperatorSetRegistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)",
    );
    HASH
}

/// `keccak256("OperatorSetForceDeregistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)")`
/// (a view EigenLayer keeps; nothing here signs it).
pub fn operator_set_force_deregistration_typehash() -> B256 {
    const HASH: B256 = ferrostake_common::eip712::const_keccak(
        "OperatorSetForceDeregistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)",
    );
    HASH
}

#[storage]
pub struct AvsDirectory {
    init: Initializable,
    ownable: Ownable,
    pausable: Pausable,
    /// The DelegationManager (EigenLayer: constructor immutable).
    delegation: StorageAddress,
    /// avs → operator → registered (`OperatorAVSRegistrationStatus.REGISTERED`).
    registered: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// operator → salt → spent.
    salt_spent: StorageMap<Address, StorageMap<B256, StorageBool>>,
}

ferrostake_common::entrypoint!(AvsDirectory);

impl AvsDirectory {
    fn domain_separator_inner(&self) -> B256 {
        eip712::domain_separator(
            "EigenLayer",
            eip712::major_version(VERSION),
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    fn digest(&self, operator: Address, avs: Address, salt: B256, expiry: U256) -> B256 {
        let struct_hash = keccak256(
            (
                operator_avs_registration_typehash(),
                operator,
                avs,
                salt,
                expiry,
            )
                .abi_encode(),
        );
        eip712::hash_typed_data(self.domain_separator_inner(), struct_hash)
    }

    fn set_status(&mut self, avs: Address, operator: Address, registered: bool) {
        self.registered.setter(avs).setter(operator).set(registered);
        log(
            self.vm(),
            IAVSDirectory::OperatorAVSRegistrationStatusUpdated {
                operator,
                avs,
                status: if registered {
                    OperatorAVSRegistrationStatus::REGISTERED
                } else {
                    OperatorAVSRegistrationStatus::UNREGISTERED
                },
            },
        );
    }

    /// `registerOperatorToAVS` with the signature's fields unpacked (the AVS is `msg.sender`).
    fn register(
        &mut self,
        operator: Address,
        signature: &[u8],
        salt: B256,
        expiry: U256,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS)?;
        let avs = self.vm().msg_sender();
        if self.registered.getter(avs).get(operator) {
            return Err(IAVSDirectory::OperatorAlreadyRegisteredToAVS {}.into());
        }
        if self.salt_spent.getter(operator).get(salt) {
            return Err(IAVSDirectory::SaltSpent {}.into());
        }
        let is_operator = static_call(
            self.delegation.get(),
            &IDelegationManager::isOperatorCall { operator },
        )?
        ._0;
        if !is_operator {
            return Err(IAVSDirectory::OperatorNotRegisteredToEigenLayer {}.into());
        }
        let digest = self.digest(operator, avs, salt, expiry);
        eip712::check_signature(
            operator,
            digest,
            signature,
            expiry,
            self.vm().block_timestamp(),
        )?;
        self.salt_spent.setter(operator).setter(salt).set(true);
        self.set_status(avs, operator, true);
        Ok(())
    }
}

#[public]
impl AvsDirectory {
    /// One-shot initializer (EigenLayer: constructor immutables + `initialize`).
    ///
    /// Errors: `AlreadyInitialized`, `InputAddressZero` (delegation or registry),
    /// `OwnableInvalidOwner`.
    pub fn initialize(
        &mut self,
        delegation: Address,
        pauser_registry: Address,
        initial_owner: Address,
        initial_paused_status: U256,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        if delegation.is_zero() {
            return Err(IPausable::InputAddressZero {}.into());
        }
        self.delegation.set(delegation);
        self.pausable.init(pauser_registry, initial_paused_status)?;
        self.ownable.init(initial_owner)
    }

    #[selector(name = "updateAVSMetadataURI")]
    pub fn update_avs_metadata_uri(&mut self, metadata_uri: String) {
        let avs = self.vm().msg_sender();
        log(
            self.vm(),
            IAVSDirectory::AVSMetadataURIUpdated {
                avs,
                metadataURI: metadata_uri,
            },
        );
    }

    #[selector(name = "cancelSalt")]
    pub fn cancel_salt(&mut self, salt: B256) {
        let operator = self.vm().msg_sender();
        self.salt_spent.setter(operator).setter(salt).set(true);
    }

    #[selector(name = "registerOperatorToAVS")]
    pub fn register_operator_to_avs(
        &mut self,
        operator: Address,
        operator_signature: (stylus_sdk::abi::Bytes, B256, U256),
    ) -> Result<(), Revert> {
        let (signature, salt, expiry) = operator_signature;
        self.register(operator, &signature, salt, expiry)
    }

    #[selector(name = "deregisterOperatorFromAVS")]
    pub fn deregister_operator_from_avs(&mut self, operator: Address) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS)?;
        let avs = self.vm().msg_sender();
        if !self.registered.getter(avs).get(operator) {
            return Err(IAVSDirectory::OperatorNotRegisteredToAVS {}.into());
        }
        self.set_status(avs, operator, false);
        Ok(())
    }

    // --- Views ---

    #[selector(name = "operatorSaltIsSpent")]
    pub fn operator_salt_is_spent(&self, operator: Address, salt: B256) -> bool {
        self.salt_spent.getter(operator).get(salt)
    }

    /// `OperatorAVSRegistrationStatus` as its ABI encoding (`uint8`: 0 unregistered, 1 registered).
    #[selector(name = "avsOperatorStatus")]
    pub fn avs_operator_status(&self, avs: Address, operator: Address) -> u8 {
        self.registered.getter(avs).get(operator) as u8
    }

    #[selector(name = "calculateOperatorAVSRegistrationDigestHash")]
    pub fn calculate_operator_avs_registration_digest_hash(
        &self,
        operator: Address,
        avs: Address,
        salt: B256,
        expiry: U256,
    ) -> B256 {
        self.digest(operator, avs, salt, expiry)
    }

    #[selector(name = "OPERATOR_AVS_REGISTRATION_TYPEHASH")]
    pub fn operator_avs_registration_typehash_view(&self) -> B256 {
        operator_avs_registration_typehash()
    }

    #[selector(name = "OPERATOR_SET_REGISTRATION_TYPEHASH")]
    pub fn operator_set_registration_typehash_view(&self) -> B256 {
        operator_set_registration_typehash()
    }

    #[selector(name = "OPERATOR_SET_FORCE_DEREGISTRATION_TYPEHASH")]
    pub fn operator_set_force_deregistration_typehash_view(&self) -> B256 {
        operator_set_force_deregistration_typehash()
    }

    #[selector(name = "DOMAIN_TYPEHASH")]
    pub fn domain_typehash(&self) -> B256 {
        eip712::domain_typehash()
    }

    pub fn delegation(&self) -> Address {
        self.delegation.get()
    }

    #[selector(name = "domainSeparator")]
    pub fn domain_separator(&self) -> B256 {
        self.domain_separator_inner()
    }

    pub fn version(&self) -> String {
        String::from(VERSION)
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
}

#[cfg(test)]
mod tests;
