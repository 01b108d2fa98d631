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
        // The well-known EIP-712 domain type hash (EIP-712's own example domain type).
        assert_eq!(
            domain_typehash(),
            alloy_primitives::b256!(
                "8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f"
            )
        );
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
}
