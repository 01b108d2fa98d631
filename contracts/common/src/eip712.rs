//! EIP-712 hashing and signature checks as EigenLayer's `SignatureUtilsMixin` does them: domain
//! `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)` recomputed on
//! every call (so it follows the chain id), ECDSA with low-`s` only, EIP-1271 for contract signers,
//! and `expiry >= block.timestamp`.
#![allow(deprecated)] // `AddressVM::has_code`: the host-bound replacement needs a `&self` we do not have here.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use ferrostake_interfaces::ISignatureUtilsMixin::{InvalidSignature, SignatureExpired};
use stylus_sdk::types::AddressVM;

use crate::{call::static_call_raw, Revert};

sol! {
    /// EIP-1271.
    interface IERC1271 {
        function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4 magicValue);
    }
}

/// `keccak256(text)` computed at compile time: a type hash costs 32 bytes of data and no hashing,
/// where the type string itself (80-110 bytes) would sit in the data segment that Nitro charges on
/// every entry into the program.
pub const fn const_keccak(text: &str) -> B256 {
    B256::new(
        stylus_sdk::keccak_const::Keccak256::new()
            .update(text.as_bytes())
            .finalize(),
    )
}

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub fn domain_typehash() -> B256 {
    const HASH: B256 = const_keccak(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    HASH
}

/// The domain separator.
pub fn domain_separator(
    name: &str,
    version: &str,
    chain_id: u64,
    verifying_contract: Address,
) -> B256 {
    keccak256(
        (
            domain_typehash(),
            keccak256(name),
            keccak256(version),
            U256::from(chain_id),
            verifying_contract,
        )
            .abi_encode(),
    )
}

/// `keccak256(0x1901 ‖ domainSeparator ‖ structHash)`.
pub fn hash_typed_data(domain_separator: B256, struct_hash: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

/// secp256k1n / 2: larger `s` values are the malleable twin and are rejected.
const HALF_N: U256 = U256::from_limbs([
    0xdfe92f46681b20a0,
    0x5d576e7357a4501d,
    0xffffffffffffffff,
    0x7fffffffffffffff,
]);

/// Recovers the signer of `hash` from a 65-byte `r ‖ s ‖ v` signature (v ∈ {27, 28} or {0, 1});
/// `None` for a malformed or malleable signature or a failed recovery.
pub fn recover(hash: B256, signature: &[u8]) -> Option<Address> {
    if signature.len() != 65 {
        return None;
    }
    let r = &signature[..32];
    let s = &signature[32..64];
    let v = match signature[64] {
        0 | 27 => 27u8,
        1 | 28 => 28u8,
        _ => return None,
    };
    if U256::from_be_slice(s) > HALF_N {
        return None;
    }
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(hash.as_slice());
    input[63] = v;
    input[64..96].copy_from_slice(r);
    input[96..].copy_from_slice(s);
    let out = static_call_raw(Address::with_last_byte(1), &input).ok()?;
    if out.len() != 32 {
        return None;
    }
    let signer = Address::from_slice(&out[12..]);
    (!signer.is_zero()).then_some(signer)
}

/// Whether `signature` is `signer`'s over `hash`: EIP-1271 when `signer` has code, ECDSA otherwise.
pub fn is_valid_signature_now(signer: Address, hash: B256, signature: &[u8]) -> bool {
    if signer.has_code() {
        let call = IERC1271::isValidSignatureCall {
            hash,
            signature: signature.to_vec().into(),
        };
        match static_call_raw(signer, &call.abi_encode()) {
            Ok(out) => is_magic_value(&out),
            Err(_) => false,
        }
    } else {
        recover(hash, signature) == Some(signer)
    }
}

/// Whether an `isValidSignature` answer is exactly the ABI-encoded magic value: one 32-byte word,
/// the selector `0x1626ba7e` followed by 28 zero bytes (a contract that echoes its calldata, or
/// returns the selector with dirty bytes, is not an approver).
pub fn is_magic_value(out: &[u8]) -> bool {
    out.len() == 32
        && out[..4] == IERC1271::isValidSignatureCall::SELECTOR
        && out[4..].iter().all(|b| *b == 0)
}

/// Checks expiry then the signature.
///
/// Errors: [`SignatureExpired`] when `expiry < now`, [`InvalidSignature`] when the signature is
/// not `signer`'s.
pub fn check_signature(
    signer: Address,
    hash: B256,
    signature: &[u8],
    expiry: U256,
    now: u64,
) -> Result<(), Revert> {
    if expiry < U256::from(now) {
        return Err(SignatureExpired {}.into());
    }
    if !is_valid_signature_now(signer, hash, signature) {
        return Err(InvalidSignature {}.into());
    }
    Ok(())
}

/// The EIP-712 domain version for a contract version string: its major part (`"v1.12.0"` → `"v1"`),
/// as EigenLayer's SemVerMixin derives it.
pub fn major_version(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

#[cfg(test)]
mod tests {

    #[test]
    fn compile_time_type_hashes_are_keccak256() {
        for text in [
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
            "",
            "EigenLayer",
        ] {
            assert_eq!(const_keccak(text), keccak256(text), "{text}");
        }
    }

    use super::*;

    #[test]
    fn typehash_is_the_standard_one() {
        assert_eq!(
            domain_typehash(),
            alloy_primitives::b256!(
                "8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f"
            )
        );
    }

    #[test]
    fn domain_depends_on_chain_and_contract() {
        let a = domain_separator("EigenLayer", "v1", 1, Address::repeat_byte(1));
        assert_ne!(
            a,
            domain_separator("EigenLayer", "v1", 412_346, Address::repeat_byte(1))
        );
        assert_ne!(
            a,
            domain_separator("EigenLayer", "v1", 1, Address::repeat_byte(2))
        );
        assert_eq!(
            a,
            domain_separator("EigenLayer", "v1", 1, Address::repeat_byte(1))
        );
    }

    #[test]
    fn typed_data_prefix() {
        let h = hash_typed_data(B256::repeat_byte(1), B256::repeat_byte(2));
        let mut buf = alloc::vec![0x19u8, 0x01];
        buf.extend_from_slice(&[1u8; 32]);
        buf.extend_from_slice(&[2u8; 32]);
        assert_eq!(h, keccak256(buf));
    }

    #[test]
    fn malformed_and_malleable_signatures_do_not_recover() {
        assert_eq!(recover(B256::ZERO, &[0u8; 64]), None);
        let mut sig = [0u8; 65];
        sig[64] = 29;
        assert_eq!(recover(B256::ZERO, &sig), None);
        let mut high_s = [0u8; 65];
        high_s[32..64].copy_from_slice(&(HALF_N + U256::from(1u8)).to_be_bytes::<32>());
        high_s[64] = 27;
        assert_eq!(recover(B256::ZERO, &high_s), None);
    }

    #[test]
    fn only_the_exact_abi_encoded_magic_value_passes() {
        let magic = [0x16u8, 0x26, 0xba, 0x7e];
        let mut word = [0u8; 32];
        word[..4].copy_from_slice(&magic);
        assert!(is_magic_value(&word));
        // An echo of the calldata starts with the selector too.
        let echo = IERC1271::isValidSignatureCall {
            hash: B256::repeat_byte(7),
            signature: alloc::vec![1u8; 65].into(),
        }
        .abi_encode();
        assert!(!is_magic_value(&echo));
        // Longer, shorter, or dirty after the selector.
        let mut long = word.to_vec();
        long.extend_from_slice(&[0u8; 32]);
        assert!(!is_magic_value(&long));
        assert!(!is_magic_value(&word[..31]));
        assert!(!is_magic_value(&magic));
        let mut dirty = word;
        dirty[31] = 1;
        assert!(!is_magic_value(&dirty));
        // Right-aligned (a uint256 rather than a bytes4) is wrong too.
        let mut right = [0u8; 32];
        right[28..].copy_from_slice(&magic);
        assert!(!is_magic_value(&right));
        assert!(!is_magic_value(&[]));
    }

    #[test]
    fn major_version_is_the_prefix() {
        assert_eq!(major_version("v1.12.0"), "v1");
        assert_eq!(major_version("1"), "1");
    }

    /// Signature checks run against the ecrecover precompile, so they need a VM: this contract
    /// exposes them, and `Approver` is an EIP-1271 signer that approves one hash.
    mod with_vm {
        use super::super::*;
        use alloc::{vec, vec::Vec};
        use k256::ecdsa::SigningKey;
        use motsu::prelude::*;
        use stylus_sdk::{prelude::*, storage::StorageB256};

        #[storage]
        struct Checks {}
        unsafe impl TopLevelStorage for Checks {}

        #[public]
        impl Checks {
            fn recovered(&self, hash: B256, signature: Vec<u8>) -> Address {
                recover(hash, &signature).unwrap_or(Address::ZERO)
            }
            fn recovers(&self, hash: B256, signature: Vec<u8>) -> bool {
                recover(hash, &signature).is_some()
            }
            fn valid_now(&self, signer: Address, hash: B256, signature: Vec<u8>) -> bool {
                is_valid_signature_now(signer, hash, &signature)
            }
            fn check(
                &self,
                signer: Address,
                hash: B256,
                signature: Vec<u8>,
                expiry: U256,
                now: u64,
            ) -> Result<(), Revert> {
                check_signature(signer, hash, &signature, expiry, now)
            }
        }

        #[storage]
        struct Approver {
            approved: StorageB256,
        }
        unsafe impl TopLevelStorage for Approver {}

        #[public]
        impl Approver {
            fn approve(&mut self, hash: B256) {
                self.approved.set(hash);
            }
            #[selector(name = "isValidSignature")]
            fn is_valid_signature(
                &self,
                hash: B256,
                _signature: stylus_sdk::abi::Bytes,
            ) -> alloy_primitives::FixedBytes<4> {
                if hash == self.approved.get() {
                    alloy_primitives::FixedBytes([0x16, 0x26, 0xba, 0x7e])
                } else {
                    alloy_primitives::FixedBytes([0xff; 4])
                }
            }
        }

        fn key(seed: u8) -> SigningKey {
            SigningKey::from_slice(&[seed; 32]).unwrap()
        }

        fn address_of(key: &SigningKey) -> Address {
            let point = key.verifying_key().to_encoded_point(false);
            Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
        }

        /// `r ‖ s ‖ v` with v = 27 + recovery id, as wallets produce it.
        fn sign(key: &SigningKey, hash: B256) -> Vec<u8> {
            let (sig, rec) = key.sign_prehash_recoverable(hash.as_slice()).unwrap();
            let mut out = sig.to_bytes().to_vec();
            out.push(27 + rec.to_byte());
            out
        }

        #[motsu::test]
        fn valid_signatures_recover_their_signer_with_either_v_encoding(
            c: Contract<Checks>,
            alice: Address,
        ) {
            let signer = key(7);
            let mut seen = [false; 2];
            for i in 0u8..32 {
                let hash = keccak256([i]);
                let sig = sign(&signer, hash);
                let v = sig[64];
                seen[(v - 27) as usize] = true;
                assert_eq!(
                    c.sender(alice).recovered(hash, sig.clone()),
                    address_of(&signer)
                );
                // The same signature with v as a bare recovery id (0 or 1).
                let mut bare = sig.clone();
                bare[64] = v - 27;
                assert_eq!(c.sender(alice).recovered(hash, bare), address_of(&signer));
                // The other v recovers someone else (or nobody), never the signer.
                let mut flipped = sig;
                flipped[64] = if v == 27 { 28 } else { 27 };
                assert_ne!(
                    c.sender(alice).recovered(hash, flipped),
                    address_of(&signer)
                );
                if seen == [true, true] {
                    break;
                }
            }
            assert_eq!(seen, [true, true], "both recovery ids exercised");
        }

        #[motsu::test]
        fn s_up_to_half_the_order_is_accepted_and_an_invalid_r_recovers_nobody(
            c: Contract<Checks>,
            alice: Address,
        ) {
            let hash = keccak256(b"half n");
            let mut sig = sign(&key(9), hash);
            // s = n/2 is the largest low-s value (EIP-2): some key recovers, it is not refused.
            sig[32..64].copy_from_slice(&HALF_N.to_be_bytes::<32>());
            assert!(c.sender(alice).recovers(hash, sig.clone()));
            sig[32..64].copy_from_slice(&(HALF_N + U256::from(1u8)).to_be_bytes::<32>());
            assert!(!c.sender(alice).recovers(hash, sig));
            // r = 0 is no curve point: the precompile answers nothing and nobody is recovered.
            let mut no_point = sign(&key(9), hash);
            no_point[..32].fill(0);
            assert!(!c.sender(alice).recovers(hash, no_point));
        }

        #[motsu::test]
        fn check_signature_takes_expiry_at_now_and_only_the_signers_signature(
            c: Contract<Checks>,
            alice: Address,
        ) {
            let (signer, other) = (key(11), key(12));
            let hash = keccak256(b"approval");
            let good = sign(&signer, hash);
            let who = address_of(&signer);
            // EigenLayer: `expiry >= block.timestamp` passes.
            c.sender(alice)
                .check(who, hash, good.clone(), U256::from(100u8), 100)
                .motsu_unwrap();
            c.sender(alice)
                .check(who, hash, good.clone(), U256::MAX, 100)
                .motsu_unwrap();
            let err = c
                .sender(alice)
                .check(who, hash, good.clone(), U256::from(99u8), 100)
                .motsu_unwrap_err();
            assert!(err.is::<SignatureExpired>());
            // An expired signature is refused for its expiry even when it is not the signer's.
            let err = c
                .sender(alice)
                .check(who, hash, sign(&other, hash), U256::from(99u8), 100)
                .motsu_unwrap_err();
            assert!(err.is::<SignatureExpired>());
            for bad in [
                sign(&other, hash),
                sign(&signer, keccak256(b"another")),
                Vec::new(),
            ] {
                let err = c
                    .sender(alice)
                    .check(who, hash, bad, U256::from(100u8), 100)
                    .motsu_unwrap_err();
                assert!(err.is::<InvalidSignature>());
            }
            assert!(c.sender(alice).valid_now(who, hash, good.clone()));
            assert!(!c.sender(alice).valid_now(address_of(&other), hash, good));
        }

        #[motsu::test]
        fn a_contract_signer_answers_for_itself(
            c: Contract<Checks>,
            approver: Contract<Approver>,
            alice: Address,
        ) {
            let hash = keccak256(b"contract approval");
            approver.sender(alice).approve(hash);
            // EIP-1271: the contract's answer decides, whatever the bytes.
            assert!(c
                .sender(alice)
                .valid_now(approver.address(), hash, Vec::new()));
            assert!(!c.sender(alice).valid_now(
                approver.address(),
                keccak256(b"other"),
                Vec::new()
            ));
            c.sender(alice)
                .check(approver.address(), hash, Vec::new(), U256::from(5u8), 5)
                .motsu_unwrap();
            // An ECDSA signature by a key whose address is the contract's does not matter: the
            // contract has code, so only its answer counts.
            let err = c
                .sender(alice)
                .check(
                    approver.address(),
                    keccak256(b"other"),
                    sign(&key(13), hash),
                    U256::MAX,
                    5,
                )
                .motsu_unwrap_err();
            assert!(err.is::<InvalidSignature>());
        }
    }
}
