//! The AVSDirectory (issue #20) as compiled WASM on the devnode, deployed by the deploy tool behind
//! its proxy: an operator signs EigenLayer's `OperatorAVSRegistration` with its key, the AVS
//! registers it; replayed, expired, cancelled-salt and foreign signatures and an address that is not
//! an operator are refused with EigenLayer's errors and leave the chain state untouched;
//! deregistration; the pause bit.
//!
//! Digests are computed here with alloy's EIP-712 implementation from EigenLayer's type string and
//! domain (`"EigenLayer"`, major version `"v1"`, the chain id, the directory), independently of the
//! contract, so a signature made by existing EigenLayer tooling verifies the same way.

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use alloy::sol_types::{eip712_domain, SolCall, SolStruct};
use ferrostake_deploy::abi::{
    IAVSDirectory, IDelegationManager, IPausable, ISignatureUtilsMixin,
    OperatorAVSRegistrationStatus, SignatureWithSaltAndExpiry,
};
use ferrostake_deploy::suite::names;
use ferrostake_harness::demo::OperatorAVSRegistration;
use ferrostake_harness::suite::{state_changes, Outcome, Suite, ACTOR_ETH};

const CHAIN_ID: u64 = 412_346;
const TYPE_STRING: &str =
    "OperatorAVSRegistration(address operator,address avs,bytes32 salt,uint256 expiry)";

fn directory(s: &Suite) -> Address {
    s.manifest
        .proxy(names::AVS_DIRECTORY)
        .expect("the suite deploys an AVSDirectory")
}

fn domain(directory: Address) -> alloy::sol_types::Eip712Domain {
    eip712_domain! {
        name: "EigenLayer",
        version: "v1",
        chain_id: CHAIN_ID,
        verifying_contract: directory,
    }
}

fn digest(dir: Address, operator: Address, avs: Address, salt: B256, expiry: U256) -> B256 {
    OperatorAVSRegistration {
        operator,
        avs,
        salt,
        expiry,
    }
    .eip712_signing_hash(&domain(dir))
}

fn key(name: &str) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&keccak256(format!("avs directory {name}"))).unwrap()
}

fn now(s: &Suite) -> u64 {
    s.node().latest_block().timestamp
}

/// The operator's signature for `avs` with `salt`, valid for an hour.
fn signed(
    s: &Suite,
    signer: &PrivateKeySigner,
    avs: Address,
    salt: B256,
) -> SignatureWithSaltAndExpiry {
    let expiry = U256::from(now(s) + 3_600);
    signed_until(s, signer, avs, salt, expiry)
}

fn signed_until(
    s: &Suite,
    signer: &PrivateKeySigner,
    avs: Address,
    salt: B256,
    expiry: U256,
) -> SignatureWithSaltAndExpiry {
    let d = digest(directory(s), signer.address(), avs, salt, expiry);
    let sig = signer.sign_hash_sync(&d).unwrap();
    SignatureWithSaltAndExpiry {
        signature: Bytes::from(sig.as_bytes().to_vec()),
        salt,
        expiry,
    }
}

/// A key-holding account, funded and (with `register`) registered as a DelegationManager operator.
fn operator(s: &Suite, name: &str, register: bool) -> PrivateKeySigner {
    let signer = key(name);
    {
        let mut node = s.node();
        node.impersonate(signer.address(), true);
        node.set_balance(signer.address(), U256::from(ACTOR_ETH));
    }
    if register {
        ok(
            s,
            signer.address(),
            s.addrs.delegation_manager,
            IDelegationManager::registerAsOperatorCall {
                initDelegationApprover: Address::ZERO,
                allocationDelay: 0,
                metadataURI: "https://operator.example".into(),
            },
        );
    }
    signer
}

fn status(s: &Suite, avs: Address, operator: Address) -> OperatorAVSRegistrationStatus {
    s.view(
        directory(s),
        IAVSDirectory::avsOperatorStatusCall { avs, operator },
    )
    .unwrap()
}

fn salt_spent(s: &Suite, operator: Address, salt: B256) -> bool {
    s.view(
        directory(s),
        IAVSDirectory::operatorSaltIsSpentCall { operator, salt },
    )
    .unwrap()
}

fn register(
    s: &Suite,
    avs: Address,
    operator: Address,
    sig: SignatureWithSaltAndExpiry,
) -> Outcome {
    s.send(
        avs,
        directory(s),
        IAVSDirectory::registerOperatorToAVSCall {
            operator,
            operatorSignature: sig,
        },
    )
    .unwrap()
}

/// Sends `call` from `from` to `to`; it must succeed.
fn ok<C: SolCall>(s: &Suite, from: Address, to: Address, call: C) -> Outcome {
    s.send(from, to, call).unwrap().ok().unwrap()
}

/// `avs` registers `op` with its signature over `salt`; it must succeed.
fn registered(s: &Suite, avs: Address, op: &PrivateKeySigner, salt: B256) -> Outcome {
    register(s, avs, op.address(), signed(s, op, avs, salt))
        .ok()
        .unwrap()
}

/// Sends `call` from `from`, expects error `E` and that nothing but the sender's nonce and gas
/// changed.
fn refused<E: alloy::sol_types::SolError, C: SolCall>(s: &Suite, from: Address, call: C) {
    let before = s.state();
    let out = s.send(from, directory(s), call).unwrap();
    out.expect_error::<E>().unwrap();
    let changes = state_changes(&before, &s.state(), from);
    assert!(
        changes.is_empty(),
        "a refused call changed state: {changes:?}"
    );
}

#[test]
fn views_carry_eigenlayers_typehashes_and_domain() {
    let s = Suite::shared();
    let dir = directory(&s);
    assert_eq!(OperatorAVSRegistration::eip712_encode_type(), TYPE_STRING);
    assert_eq!(
        s.view(
            dir,
            IAVSDirectory::OPERATOR_AVS_REGISTRATION_TYPEHASHCall {}
        )
        .unwrap(),
        keccak256(TYPE_STRING)
    );
    assert_eq!(
        s.view(dir, IAVSDirectory::OPERATOR_SET_REGISTRATION_TYPEHASHCall {})
            .unwrap(),
        keccak256(
            "OperatorSetRegistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)"
        )
    );
    assert_eq!(
        s.view(
            dir,
            IAVSDirectory::OPERATOR_SET_FORCE_DEREGISTRATION_TYPEHASHCall {}
        )
        .unwrap(),
        keccak256(
            "OperatorSetForceDeregistration(address avs,uint32[] operatorSetIds,bytes32 salt,uint256 expiry)"
        )
    );
    assert_eq!(
        s.view(dir, IAVSDirectory::DOMAIN_TYPEHASHCall {}).unwrap(),
        keccak256(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
        )
    );
    assert_eq!(
        s.view(dir, ISignatureUtilsMixin::domainSeparatorCall {})
            .unwrap(),
        domain(dir).hash_struct()
    );
    assert_eq!(
        s.view(dir, IAVSDirectory::delegationCall {}).unwrap(),
        s.addrs.delegation_manager
    );
    let (op, avs, salt, expiry) = (
        Address::repeat_byte(0x11),
        s.actors.avss[0],
        B256::repeat_byte(0x22),
        U256::from(1_234_567u64),
    );
    assert_eq!(
        s.view(
            dir,
            IAVSDirectory::calculateOperatorAVSRegistrationDigestHashCall {
                operator: op,
                avs,
                salt,
                expiry,
            },
        )
        .unwrap(),
        digest(dir, op, avs, salt, expiry)
    );
}

#[test]
fn an_operator_signs_and_the_avs_registers_it_once() {
    let s = Suite::shared();
    let op = operator(&s, "operator a", true);
    let avs = s.actors.avss[0];
    let salt = B256::repeat_byte(1);
    assert_eq!(
        status(&s, avs, op.address()),
        OperatorAVSRegistrationStatus::UNREGISTERED
    );
    let out = registered(&s, avs, &op, salt);
    let ev = out.events::<IAVSDirectory::OperatorAVSRegistrationStatusUpdated>();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].operator, op.address());
    assert_eq!(ev[0].avs, avs);
    assert_eq!(ev[0].status, OperatorAVSRegistrationStatus::REGISTERED);
    assert_eq!(
        status(&s, avs, op.address()),
        OperatorAVSRegistrationStatus::REGISTERED
    );
    assert!(salt_spent(&s, op.address(), salt));
    // Registrations are per AVS: the other AVS has not registered it.
    assert_eq!(
        status(&s, s.actors.avss[1], op.address()),
        OperatorAVSRegistrationStatus::UNREGISTERED
    );
    // Already registered: a fresh signature is refused.
    let again = signed(&s, &op, avs, B256::repeat_byte(2));
    refused::<IAVSDirectory::OperatorAlreadyRegisteredToAVS, _>(
        &s,
        avs,
        IAVSDirectory::registerOperatorToAVSCall {
            operator: op.address(),
            operatorSignature: again,
        },
    );
}

#[test]
fn replayed_expired_cancelled_and_foreign_signatures_are_refused() {
    let s = Suite::shared();
    let op = operator(&s, "operator b", true);
    let (avs, other_avs) = (s.actors.avss[0], s.actors.avss[1]);
    let call = |sig| IAVSDirectory::registerOperatorToAVSCall {
        operator: op.address(),
        operatorSignature: sig,
    };

    // Replay: registered, deregistered, then the same signature again.
    let sig = signed(&s, &op, avs, B256::repeat_byte(1));
    register(&s, avs, op.address(), sig.clone()).ok().unwrap();
    ok(
        &s,
        avs,
        directory(&s),
        IAVSDirectory::deregisterOperatorFromAVSCall {
            operator: op.address(),
        },
    );
    refused::<IAVSDirectory::SaltSpent, _>(&s, avs, call(sig.clone()));
    // Replayed by another AVS: the salt is the operator's, spent for every AVS.
    refused::<IAVSDirectory::SaltSpent, _>(&s, other_avs, call(sig));

    // Expired: the expiry is before the next block's timestamp.
    let expired = signed_until(&s, &op, avs, B256::repeat_byte(3), U256::from(now(&s) - 1));
    refused::<ISignatureUtilsMixin::SignatureExpired, _>(&s, avs, call(expired));
    assert!(!salt_spent(&s, op.address(), B256::repeat_byte(3)));

    // Cancelled salt: the operator cancels before the AVS submits.
    let cancelled = signed(&s, &op, avs, B256::repeat_byte(4));
    ok(
        &s,
        op.address(),
        directory(&s),
        IAVSDirectory::cancelSaltCall {
            salt: B256::repeat_byte(4),
        },
    );
    assert!(salt_spent(&s, op.address(), B256::repeat_byte(4)));
    refused::<IAVSDirectory::SaltSpent, _>(&s, avs, call(cancelled));

    // Signed for another AVS (the digest names the caller), or by another key.
    let for_other = signed(&s, &op, other_avs, B256::repeat_byte(5));
    refused::<ISignatureUtilsMixin::InvalidSignature, _>(&s, avs, call(for_other));
    let expiry = U256::from(now(&s) + 3_600);
    let theirs = digest(
        directory(&s),
        op.address(),
        avs,
        B256::repeat_byte(6),
        expiry,
    );
    let by_other = SignatureWithSaltAndExpiry {
        signature: Bytes::from(
            key("someone else")
                .sign_hash_sync(&theirs)
                .unwrap()
                .as_bytes()
                .to_vec(),
        ),
        salt: B256::repeat_byte(6),
        expiry,
    };
    refused::<ISignatureUtilsMixin::InvalidSignature, _>(&s, avs, call(by_other));

    assert_eq!(
        status(&s, avs, op.address()),
        OperatorAVSRegistrationStatus::UNREGISTERED
    );
}

#[test]
fn an_address_that_is_not_an_operator_is_refused() {
    let s = Suite::shared();
    let op = operator(&s, "not an operator", false);
    let avs = s.actors.avss[0];
    let sig = signed(&s, &op, avs, B256::repeat_byte(7));
    refused::<IAVSDirectory::OperatorNotRegisteredToEigenLayer, _>(
        &s,
        avs,
        IAVSDirectory::registerOperatorToAVSCall {
            operator: op.address(),
            operatorSignature: sig,
        },
    );
    assert!(!salt_spent(&s, op.address(), B256::repeat_byte(7)));
}

#[test]
fn the_avs_deregisters_its_operator() {
    let s = Suite::shared();
    let op = operator(&s, "operator c", true);
    let (avs, other_avs) = (s.actors.avss[0], s.actors.avss[1]);
    let dereg = IAVSDirectory::deregisterOperatorFromAVSCall {
        operator: op.address(),
    };
    refused::<IAVSDirectory::OperatorNotRegisteredToAVS, _>(&s, avs, dereg.clone());
    registered(&s, avs, &op, B256::repeat_byte(1));
    // Only the AVS that registered it can deregister it.
    refused::<IAVSDirectory::OperatorNotRegisteredToAVS, _>(&s, other_avs, dereg.clone());
    let out = ok(&s, avs, directory(&s), dereg.clone());
    let ev = out.events::<IAVSDirectory::OperatorAVSRegistrationStatusUpdated>();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].status, OperatorAVSRegistrationStatus::UNREGISTERED);
    assert_eq!(
        status(&s, avs, op.address()),
        OperatorAVSRegistrationStatus::UNREGISTERED
    );
    refused::<IAVSDirectory::OperatorNotRegisteredToAVS, _>(&s, avs, dereg);
    // A new signature registers it again.
    registered(&s, avs, &op, B256::repeat_byte(2));
    assert_eq!(
        status(&s, avs, op.address()),
        OperatorAVSRegistrationStatus::REGISTERED
    );
}

#[test]
fn pause_bit_zero_stops_registration_and_deregistration() {
    let s = Suite::shared();
    let op = operator(&s, "operator d", true);
    let avs = s.actors.avss[0];
    let dir = directory(&s);
    registered(&s, avs, &op, B256::repeat_byte(1));
    // Only a pauser (the deployer, by default) pauses.
    refused::<IPausable::OnlyPauser, _>(
        &s,
        s.actors.attacker,
        IPausable::pauseCall {
            newPausedStatus: U256::from(1),
        },
    );
    ok(
        &s,
        s.actors.deployer,
        dir,
        IPausable::pauseCall {
            newPausedStatus: U256::from(1),
        },
    );
    assert!(s.view(dir, IPausable::paused_1Call { index: 0 }).unwrap());
    refused::<IPausable::CurrentlyPaused, _>(
        &s,
        avs,
        IAVSDirectory::deregisterOperatorFromAVSCall {
            operator: op.address(),
        },
    );
    let op2 = operator(&s, "operator e", true);
    let sig = signed(&s, &op2, avs, B256::repeat_byte(2));
    refused::<IPausable::CurrentlyPaused, _>(
        &s,
        avs,
        IAVSDirectory::registerOperatorToAVSCall {
            operator: op2.address(),
            operatorSignature: sig.clone(),
        },
    );
    // Unpaused by the unpauser (the deployer), both work again.
    ok(
        &s,
        s.actors.deployer,
        dir,
        IPausable::unpauseCall {
            newPausedStatus: U256::ZERO,
        },
    );
    register(&s, avs, op2.address(), sig).ok().unwrap();
    ok(
        &s,
        avs,
        dir,
        IAVSDirectory::deregisterOperatorFromAVSCall {
            operator: op.address(),
        },
    );
    assert_eq!(
        status(&s, avs, op.address()),
        OperatorAVSRegistrationStatus::UNREGISTERED
    );
    assert_eq!(
        status(&s, avs, op2.address()),
        OperatorAVSRegistrationStatus::REGISTERED
    );
}

#[test]
fn the_avs_metadata_uri_is_emitted_not_stored() {
    let s = Suite::shared();
    let avs = s.actors.avss[0];
    let out = ok(
        &s,
        avs,
        directory(&s),
        IAVSDirectory::updateAVSMetadataURICall {
            metadataURI: "https://avs.example/avs.json".into(),
        },
    );
    let ev = out.events::<IAVSDirectory::AVSMetadataURIUpdated>();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].avs, avs);
    assert_eq!(ev[0].metadataURI, "https://avs.example/avs.json");
}

#[test]
fn strangers_reinitialization_and_garbage_calldata_are_refused() {
    use ferrostake_deploy::abi::{IFerrostakeErrors, IOwnable};
    let s = Suite::shared();
    let (dir, attacker) = (directory(&s), s.actors.attacker);
    let init = IAVSDirectory::initializeCall {
        delegation_: attacker,
        pauserRegistry_: attacker,
        initialOwner: attacker,
        initialPausedStatus: U256::ZERO,
    };
    refused::<IFerrostakeErrors::AlreadyInitialized, _>(&s, attacker, init.clone());
    refused::<IFerrostakeErrors::AlreadyInitialized, _>(&s, s.actors.deployer, init);
    refused::<IFerrostakeErrors::OwnableUnauthorizedAccount, _>(
        &s,
        attacker,
        IOwnable::transferOwnershipCall { newOwner: attacker },
    );
    refused::<IFerrostakeErrors::OwnableUnauthorizedAccount, _>(
        &s,
        attacker,
        IOwnable::renounceOwnershipCall {},
    );
    refused::<IPausable::OnlyUnpauser, _>(
        &s,
        attacker,
        IPausable::unpauseCall {
            newPausedStatus: U256::ZERO,
        },
    );
    // Every function taking arguments, called with none or with 5 stray bytes; unknown selectors.
    let before = s.state();
    let garbage = keccak256("avs directory garbage");
    let mut probes: Vec<Vec<u8>> = vec![vec![0x01], vec![0xde, 0xad, 0xbe, 0xef]];
    for f in IAVSDirectory::abi::contract().functions() {
        if f.inputs.is_empty() {
            continue;
        }
        let sel = f.selector();
        probes.push(sel.to_vec());
        probes.push([&sel[..], &garbage[..5]].concat());
    }
    for data in probes {
        let out = s.send_raw(attacker, dir, data.clone()).unwrap();
        assert!(!out.status, "0x{} succeeded", alloy::hex::encode(&data));
        // Empty revert data (the ABI decoder) or a custom error of the suite.
        assert!(
            out.output.is_empty() || out.error_name().is_some(),
            "0x{}: unknown revert data 0x{}",
            alloy::hex::encode(&data),
            alloy::hex::encode(&out.output)
        );
    }
    let changes = state_changes(&before, &s.state(), attacker);
    assert!(changes.is_empty(), "garbage changed state: {changes:?}");
}
