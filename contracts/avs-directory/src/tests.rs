//! The AVSDirectory as the specification (EigenLayer's `docs/core/AVSDirectory.md` and
//! `IAVSDirectory`): every requirement with its passing case and its reverting case, each revert
//! checked to be the interface's custom error and to leave the state unchanged. Digests are
//! recomputed here from the EIP-712 definition and EigenLayer's type strings, not read back from
//! the contract.
use alloy_primitives::{keccak256, uint, Address, B256, U256};
use alloy_sol_types::SolValue;
use ferrostake_interfaces::{
    IAVSDirectory, IFerrostakeErrors, IPausable, ISignatureUtilsMixin,
    OperatorAVSRegistrationStatus,
};
use ferrostake_pauser_registry::PauserRegistry;
use k256::ecdsa::SigningKey;
use motsu::prelude::*;
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageBool, StorageMap},
};

use super::*;

/// motsu's chain id (Arbitrum One's).
const CHAIN_ID: u64 = 42_161;

/// The DelegationManager's `isOperator`, settable.
#[storage]
struct MockDelegation {
    operators: StorageMap<Address, StorageBool>,
}

unsafe impl TopLevelStorage for MockDelegation {}

#[public]
impl MockDelegation {
    fn set_operator(&mut self, operator: Address, yes: bool) {
        self.operators.setter(operator).set(yes);
    }
    #[selector(name = "isOperator")]
    fn is_operator(&self, operator: Address) -> bool {
        self.operators.get(operator)
    }
}

/// An operator that is a contract (EIP-1271): accepts exactly one digest.
#[storage]
struct ContractOperator {
    accepted: StorageMap<B256, StorageBool>,
}

unsafe impl TopLevelStorage for ContractOperator {}

#[public]
impl ContractOperator {
    fn accept(&mut self, digest: B256) {
        self.accepted.setter(digest).set(true);
    }
    #[selector(name = "isValidSignature")]
    fn is_valid_signature(&self, hash: B256, _signature: Bytes) -> alloy_primitives::FixedBytes<4> {
        if self.accepted.get(hash) {
            // bytes4(keccak256("isValidSignature(bytes32,bytes)"))
            alloy_primitives::FixedBytes([0x16, 0x26, 0xba, 0x7e])
        } else {
            alloy_primitives::FixedBytes([0xff, 0xff, 0xff, 0xff])
        }
    }
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

/// EIP-712: `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct)`, the domain being EigenLayer's
/// (`"EigenLayer"`, major version `"v1"`, chain id, the directory).
fn expected_digest(
    directory: Address,
    operator: Address,
    avs: Address,
    salt: B256,
    expiry: U256,
) -> B256 {
    let domain = keccak256(
        (
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            keccak256("EigenLayer"),
            keccak256("v1"),
            U256::from(CHAIN_ID),
            directory,
        )
            .abi_encode(),
    );
    let struct_hash = keccak256(
        (
            keccak256(
                "OperatorAVSRegistration(address operator,address avs,bytes32 salt,uint256 expiry)",
            ),
            operator,
            avs,
            salt,
            expiry,
        )
            .abi_encode(),
    );
    let mut buf = vec![0x19u8, 0x01];
    buf.extend_from_slice(domain.as_slice());
    buf.extend_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

struct World {
    dir: Address,
    key: SigningKey,
    operator: Address,
}

/// Registry (pauser `pauser`, unpauser `owner`), a DelegationManager where the signing key's
/// address is an operator, the directory initialized unpaused.
fn world(
    dir: &Contract<AvsDirectory>,
    dm: &Contract<MockDelegation>,
    registry: &Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
) -> World {
    registry
        .sender(owner)
        .initialize(vec![pauser], owner)
        .motsu_unwrap();
    let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let operator = address_of(&key);
    dm.sender(owner).set_operator(operator, true);
    dir.sender(owner)
        .initialize(dm.address(), registry.address(), owner, U256::ZERO)
        .motsu_unwrap();
    World {
        dir: dir.address(),
        key,
        operator,
    }
}

fn sig_tuple(sig: Vec<u8>, salt: B256, expiry: U256) -> (Bytes, B256, U256) {
    (sig.into(), salt, expiry)
}

impl World {
    /// The operator's signature for `avs` with `salt`, valid until [`FAR`].
    fn signed(&self, avs: Address, salt: B256) -> (Bytes, B256, U256) {
        let digest = expected_digest(self.dir, self.operator, avs, salt, FAR);
        sig_tuple(sign(&self.key, digest), salt, FAR)
    }
}

/// `avs` registers the world's operator with its signature over `salt`.
fn register(
    dir: &Contract<AvsDirectory>,
    avs: Address,
    w: &World,
    salt: B256,
) -> Result<(), Revert> {
    dir.sender(avs)
        .register_operator_to_avs(w.operator, w.signed(avs, salt))
}

const FAR: U256 = uint!(18446744073709551615_U256);

#[motsu::test]
fn initialize_runs_once_and_refuses_zero_addresses(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
) {
    let err = dir
        .sender(owner)
        .initialize(Address::ZERO, registry.address(), owner, U256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::InputAddressZero>());
    let err = dir
        .sender(owner)
        .initialize(dm.address(), Address::ZERO, owner, U256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::InputAddressZero>());
    let err = dir
        .sender(owner)
        .initialize(dm.address(), registry.address(), Address::ZERO, U256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableInvalidOwner>());
    // The refused calls left nothing behind: the real initialization still runs.
    assert_eq!(dir.sender(owner).delegation(), Address::ZERO);
    dir.sender(owner)
        .initialize(dm.address(), registry.address(), owner, uint!(2_U256))
        .motsu_unwrap();
    assert_eq!(dir.sender(owner).delegation(), dm.address());
    assert_eq!(dir.sender(owner).pauser_registry(), registry.address());
    assert_eq!(dir.sender(owner).owner(), owner);
    assert_eq!(dir.sender(owner).paused_all(), uint!(2_U256));
    assert!(dir.sender(owner).paused_index(1));
    let err = dir
        .sender(owner)
        .initialize(dm.address(), registry.address(), owner, U256::ZERO)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
}

#[motsu::test]
fn typehashes_and_domain_are_eigenlayers(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    assert_eq!(
        dir.sender(owner).operator_avs_registration_typehash_view(),
        keccak256(
            "OperatorAVSRegistration(address operator,address avs,bytes32 salt,uint256 expiry)"
        )
    );
    assert_eq!(
        dir.sender(owner).operator_set_registration_typehash_view(),
        keccak256("OperatorSetRegistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)")
    );
    assert_eq!(
        dir.sender(owner).operator_set_force_deregistration_typehash_view(),
        keccak256(
            "OperatorSetForceDeregistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)"
        )
    );
    assert_eq!(
        dir.sender(owner).domain_typehash(),
        keccak256(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
        )
    );
    let (avs, salt, expiry) = (
        Address::repeat_byte(0xa5),
        B256::repeat_byte(3),
        uint!(1234_U256),
    );
    assert_eq!(
        dir.sender(owner)
            .calculate_operator_avs_registration_digest_hash(w.operator, avs, salt, expiry),
        expected_digest(w.dir, w.operator, avs, salt, expiry)
    );
    assert_eq!(dir.sender(owner).version(), "v1.0.0");
}

#[motsu::test]
fn the_avs_registers_a_signing_operator_once(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    let salt = B256::repeat_byte(1);
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 0);
    register(&dir, avs, &w, salt).motsu_unwrap();
    dir.assert_emitted(&IAVSDirectory::OperatorAVSRegistrationStatusUpdated {
        operator: w.operator,
        avs,
        status: OperatorAVSRegistrationStatus::REGISTERED,
    });
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 1);
    assert!(dir.sender(avs).operator_salt_is_spent(w.operator, salt));

    // Registered: the same AVS cannot register it again (even with a fresh salt).
    let salt2 = B256::repeat_byte(2);
    let err = register(&dir, avs, &w, salt2).motsu_unwrap_err();
    assert!(err.is::<IAVSDirectory::OperatorAlreadyRegisteredToAVS>());
    assert!(!dir.sender(avs).operator_salt_is_spent(w.operator, salt2));
}

#[motsu::test]
fn a_replayed_salt_is_refused(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    let salt = B256::repeat_byte(1);
    register(&dir, avs, &w, salt).motsu_unwrap();
    dir.sender(avs)
        .deregister_operator_from_avs(w.operator)
        .motsu_unwrap();
    // Deregistered, the AVS replays the operator's signature: its salt is spent.
    let err = register(&dir, avs, &w, salt).motsu_unwrap_err();
    assert!(err.is::<IAVSDirectory::SaltSpent>());
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 0);
}

#[motsu::test]
fn a_cancelled_salt_cannot_register(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    let salt = B256::repeat_byte(9);
    // Someone else cancelling the salt spends *their* salt, not the operator's.
    dir.sender(avs).cancel_salt(salt);
    assert!(dir.sender(avs).operator_salt_is_spent(avs, salt));
    assert!(!dir.sender(avs).operator_salt_is_spent(w.operator, salt));
    dir.sender(w.operator).cancel_salt(salt);
    assert!(dir.sender(avs).operator_salt_is_spent(w.operator, salt));
    let err = register(&dir, avs, &w, salt).motsu_unwrap_err();
    assert!(err.is::<IAVSDirectory::SaltSpent>());
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 0);
}

#[motsu::test]
fn expired_and_foreign_signatures_are_refused(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
    other_avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    let salt = B256::repeat_byte(4);
    // Expired: expiry 0 is before any block timestamp.
    let sig = sign(
        &w.key,
        expected_digest(w.dir, w.operator, avs, salt, U256::ZERO),
    );
    let err = dir
        .sender(avs)
        .register_operator_to_avs(w.operator, sig_tuple(sig, salt, U256::ZERO))
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::SignatureExpired>());
    // Signed for another AVS: the digest names the caller, so it does not match.
    let sig = sign(
        &w.key,
        expected_digest(w.dir, w.operator, other_avs, salt, FAR),
    );
    let err = dir
        .sender(avs)
        .register_operator_to_avs(w.operator, sig_tuple(sig, salt, FAR))
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());
    // Signed by another key.
    let other = SigningKey::from_slice(&[8u8; 32]).unwrap();
    let sig = sign(&other, expected_digest(w.dir, w.operator, avs, salt, FAR));
    let err = dir
        .sender(avs)
        .register_operator_to_avs(w.operator, sig_tuple(sig, salt, FAR))
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());
    // None of it spent the salt or registered anything.
    assert!(!dir.sender(avs).operator_salt_is_spent(w.operator, salt));
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 0);
}

#[motsu::test]
fn an_address_that_is_not_an_operator_is_refused(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    dm.sender(owner).set_operator(w.operator, false);
    let salt = B256::repeat_byte(5);
    let err = register(&dir, avs, &w, salt).motsu_unwrap_err();
    assert!(err.is::<IAVSDirectory::OperatorNotRegisteredToEigenLayer>());
    assert!(!dir.sender(avs).operator_salt_is_spent(w.operator, salt));
    // Once it registers with the DelegationManager, the same signature works.
    dm.sender(owner).set_operator(w.operator, true);
    register(&dir, avs, &w, salt).motsu_unwrap();
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 1);
}

#[motsu::test]
fn a_contract_operator_signs_with_eip1271(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    op: Contract<ContractOperator>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    dm.sender(owner).set_operator(op.address(), true);
    let salt = B256::repeat_byte(6);
    let digest = expected_digest(w.dir, op.address(), avs, salt, FAR);
    // Not yet accepted by the contract: invalid.
    let err = dir
        .sender(avs)
        .register_operator_to_avs(op.address(), sig_tuple(vec![1, 2, 3], salt, FAR))
        .motsu_unwrap_err();
    assert!(err.is::<ISignatureUtilsMixin::InvalidSignature>());
    op.sender(owner).accept(digest);
    dir.sender(avs)
        .register_operator_to_avs(op.address(), sig_tuple(vec![1, 2, 3], salt, FAR))
        .motsu_unwrap();
    assert_eq!(dir.sender(avs).avs_operator_status(avs, op.address()), 1);
}

#[motsu::test]
fn the_avs_deregisters_only_registered_operators(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
    other_avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    let err = dir
        .sender(avs)
        .deregister_operator_from_avs(w.operator)
        .motsu_unwrap_err();
    assert!(err.is::<IAVSDirectory::OperatorNotRegisteredToAVS>());
    let salt = B256::repeat_byte(1);
    register(&dir, avs, &w, salt).motsu_unwrap();
    // Another AVS cannot deregister it: registrations are per AVS.
    let err = dir
        .sender(other_avs)
        .deregister_operator_from_avs(w.operator)
        .motsu_unwrap_err();
    assert!(err.is::<IAVSDirectory::OperatorNotRegisteredToAVS>());
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 1);
    dir.sender(avs)
        .deregister_operator_from_avs(w.operator)
        .motsu_unwrap();
    dir.assert_emitted(&IAVSDirectory::OperatorAVSRegistrationStatusUpdated {
        operator: w.operator,
        avs,
        status: OperatorAVSRegistrationStatus::UNREGISTERED,
    });
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 0);
    // A fresh signature registers it again.
    let salt2 = B256::repeat_byte(2);
    register(&dir, avs, &w, salt2).motsu_unwrap();
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 1);
}

#[motsu::test]
fn pause_bit_zero_stops_registration_and_deregistration(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    let w = world(&dir, &dm, &registry, owner, pauser);
    let salt = B256::repeat_byte(1);
    register(&dir, avs, &w, salt).motsu_unwrap();
    // Only a pauser pauses.
    let err = dir.sender(avs).pause(uint!(1_U256)).motsu_unwrap_err();
    assert!(err.is::<IPausable::OnlyPauser>());
    dir.sender(pauser).pause(uint!(1_U256)).motsu_unwrap();
    let err = dir
        .sender(avs)
        .deregister_operator_from_avs(w.operator)
        .motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    let salt2 = B256::repeat_byte(2);
    let err = register(&dir, avs, &w, salt2).motsu_unwrap_err();
    assert!(err.is::<IPausable::CurrentlyPaused>());
    assert_eq!(dir.sender(avs).avs_operator_status(avs, w.operator), 1);
    // Salts and metadata are not pausable (EigenLayer: no pause check).
    dir.sender(w.operator).cancel_salt(B256::repeat_byte(7));
    assert!(dir
        .sender(avs)
        .operator_salt_is_spent(w.operator, B256::repeat_byte(7)));
    // Bit 1 (EigenLayer's operator-set bit) does not stop the legacy path.
    let err = dir.sender(pauser).unpause(U256::ZERO).motsu_unwrap_err();
    assert!(err.is::<IPausable::OnlyUnpauser>());
    dir.sender(owner).unpause(U256::ZERO).motsu_unwrap();
    dir.sender(pauser).pause(uint!(2_U256)).motsu_unwrap();
    dir.sender(avs)
        .deregister_operator_from_avs(w.operator)
        .motsu_unwrap();
    register(&dir, avs, &w, salt2).motsu_unwrap();
    // pauseAll sets every bit.
    dir.sender(pauser).pause_all().motsu_unwrap();
    assert_eq!(dir.sender(avs).paused_all(), U256::MAX);
    assert!(dir
        .sender(avs)
        .paused_index(PAUSED_OPERATOR_REGISTER_DEREGISTER_TO_AVS));
}

#[motsu::test]
fn metadata_uri_is_emitted_for_the_caller(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    avs: Address,
) {
    world(&dir, &dm, &registry, owner, pauser);
    dir.sender(avs)
        .update_avs_metadata_uri("https://avs.example/metadata.json".into());
    dir.assert_emitted(&IAVSDirectory::AVSMetadataURIUpdated {
        avs,
        metadataURI: "https://avs.example/metadata.json".into(),
    });
}

#[motsu::test]
fn only_the_owner_moves_ownership(
    dir: Contract<AvsDirectory>,
    dm: Contract<MockDelegation>,
    registry: Contract<PauserRegistry>,
    owner: Address,
    pauser: Address,
    stranger: Address,
) {
    world(&dir, &dm, &registry, owner, pauser);
    let err = dir
        .sender(stranger)
        .transfer_ownership(stranger)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    assert_eq!(dir.sender(stranger).owner(), owner);
    dir.sender(owner)
        .transfer_ownership(stranger)
        .motsu_unwrap();
    assert_eq!(dir.sender(owner).owner(), stranger);
    let err = dir.sender(owner).renounce_ownership().motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    dir.sender(stranger).renounce_ownership().motsu_unwrap();
    assert_eq!(dir.sender(owner).owner(), Address::ZERO);
}
