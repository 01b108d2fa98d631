//! Merkle inclusion proofs as EigenLayer's `Merkle` library defines them: a proof is the siblings from
//! leaf to root concatenated as `bytes`, and the bits of the leaf's index pick the side at each level.
//! keccak for the rewards trees; SHA-256 (computed in the program, no precompile round trips) for
//! beacon-chain SSZ proofs.

use alloc::vec::Vec;
use alloy_primitives::{keccak256, B256};
use ferrostake_interfaces::IEigenPod::{InvalidProofLength, LeavesNotPowerOfTwo, NotEnoughLeaves};

use crate::{sha256, Revert};

/// SHA-256 of two nodes.
pub fn sha256_pair(left: &B256, right: &B256) -> B256 {
    B256::from(sha256::hash_pair(&left.0, &right.0))
}

fn keccak_pair(left: &B256, right: &B256) -> B256 {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(left.as_slice());
    buf[32..].copy_from_slice(right.as_slice());
    keccak256(buf)
}

fn process(proof: &[u8], leaf: B256, mut index: u64, hash: fn(&B256, &B256) -> B256) -> B256 {
    let mut node = leaf;
    for sibling in proof.chunks_exact(32) {
        let sibling = B256::from_slice(sibling);
        node = if index & 1 == 0 {
            hash(&node, &sibling)
        } else {
            hash(&sibling, &node)
        };
        index >>= 1;
    }
    node
}

/// Root reached from `leaf` at `index` through a keccak `proof`; an empty proof returns the leaf.
///
/// Errors: [`InvalidProofLength`] when the proof is not a whole number of 32-byte nodes.
pub fn process_inclusion_proof_keccak(
    proof: &[u8],
    leaf: B256,
    index: u64,
) -> Result<B256, Revert> {
    if !proof.len().is_multiple_of(32) {
        return Err(InvalidProofLength {}.into());
    }
    Ok(process(proof, leaf, index, keccak_pair))
}

/// Whether `leaf` at `index` is in the keccak tree with `root`.
pub fn verify_inclusion_keccak(
    proof: &[u8],
    root: B256,
    leaf: B256,
    index: u64,
) -> Result<bool, Revert> {
    Ok(process_inclusion_proof_keccak(proof, leaf, index)? == root)
}

/// Root reached from `leaf` at `index` through a SHA-256 `proof` (which must not be empty).
///
/// Errors: [`InvalidProofLength`] when the proof is empty or not a whole number of nodes.
pub fn process_inclusion_proof_sha256(
    proof: &[u8],
    leaf: B256,
    mut index: u64,
) -> Result<B256, Revert> {
    if proof.is_empty() || !proof.len().is_multiple_of(32) {
        return Err(InvalidProofLength {}.into());
    }
    // A plain loop calling the hash directly: at `opt-level = "z"` the generic `process` keeps the
    // chunk iterator and the hash behind calls (3,800 ink each, 13,610 for the indirect one).
    let mut node = leaf.0;
    let mut at = 0;
    while at < proof.len() {
        let mut sibling = [0u8; 32];
        sibling.copy_from_slice(&proof[at..at + 32]);
        node = if index & 1 == 0 {
            sha256::hash_pair(&node, &sibling)
        } else {
            sha256::hash_pair(&sibling, &node)
        };
        index >>= 1;
        at += 32;
    }
    Ok(B256::from(node))
}

/// Whether `leaf` at `index` is in the SHA-256 tree with `root`.
pub fn verify_inclusion_sha256(
    proof: &[u8],
    root: B256,
    leaf: B256,
    index: u64,
) -> Result<bool, Revert> {
    Ok(process_inclusion_proof_sha256(proof, leaf, index)? == root)
}

/// SHA-256 root of `leaves` (a power of two, at least two), as SSZ merkleizes a container's fields.
///
/// Errors: [`NotEnoughLeaves`], [`LeavesNotPowerOfTwo`].
pub fn merkleize_sha256(leaves: &[B256]) -> Result<B256, Revert> {
    if leaves.len() < 2 {
        return Err(NotEnoughLeaves {}.into());
    }
    if !leaves.len().is_power_of_two() {
        return Err(LeavesNotPowerOfTwo {}.into());
    }
    // In place, level by level: node `i` of a level is written after nodes `2i` and `2i + 1` of
    // the level below were read.
    let mut layer: Vec<B256> = leaves.to_vec();
    let mut width = layer.len();
    while width > 1 {
        width /= 2;
        for i in 0..width {
            layer[i] = sha256_pair(&layer[2 * i], &layer[2 * i + 1]);
        }
    }
    Ok(layer[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u8) -> Vec<B256> {
        (0..n).map(|i| keccak256([i])).collect()
    }

    fn proof_for(leaves: &[B256], index: usize, hash: fn(&B256, &B256) -> B256) -> (B256, Vec<u8>) {
        let mut layer = leaves.to_vec();
        let mut idx = index;
        let mut proof = Vec::new();
        while layer.len() > 1 {
            proof.extend_from_slice(layer[idx ^ 1].as_slice());
            layer = layer.chunks_exact(2).map(|p| hash(&p[0], &p[1])).collect();
            idx >>= 1;
        }
        (layer[0], proof)
    }

    #[test]
    fn keccak_proofs_verify_at_their_index_only() {
        let l = leaves(8);
        for i in 0..8 {
            let (root, proof) = proof_for(&l, i, keccak_pair);
            assert!(verify_inclusion_keccak(&proof, root, l[i], i as u64).unwrap());
            assert!(!verify_inclusion_keccak(&proof, root, l[i], (i as u64) ^ 1).unwrap());
        }
        // Single-leaf tree: the root is the leaf, the proof empty.
        assert!(verify_inclusion_keccak(&[], l[0], l[0], 0).unwrap());
    }

    #[test]
    fn sha256_proofs_and_merkleize_agree() {
        let l = leaves(8);
        let root = merkleize_sha256(&l).unwrap();
        for i in 0..8 {
            let (r, proof) = proof_for(&l, i, sha256_pair);
            assert_eq!(r, root);
            assert!(verify_inclusion_sha256(&proof, root, l[i], i as u64).unwrap());
        }
    }

    #[test]
    fn merkleize_is_the_ssz_root_from_two_leaves_up() {
        // SSZ merkleization: two chunks hash to sha256(a ‖ b), four to the hash of the two pairs.
        let l = leaves(4);
        assert_eq!(
            merkleize_sha256(&l[..2]).unwrap(),
            sha256_pair(&l[0], &l[1])
        );
        assert_eq!(
            merkleize_sha256(&l).unwrap(),
            sha256_pair(&sha256_pair(&l[0], &l[1]), &sha256_pair(&l[2], &l[3]))
        );
    }

    #[test]
    fn malformed_proofs_are_typed_errors() {
        let leaf = B256::ZERO;
        assert!(process_inclusion_proof_keccak(&[0u8; 33], leaf, 0)
            .unwrap_err()
            .is::<InvalidProofLength>());
        assert!(process_inclusion_proof_sha256(&[], leaf, 0)
            .unwrap_err()
            .is::<InvalidProofLength>());
        assert!(merkleize_sha256(&leaves(1))
            .unwrap_err()
            .is::<NotEnoughLeaves>());
        assert!(merkleize_sha256(&leaves(6))
            .unwrap_err()
            .is::<LeavesNotPowerOfTwo>());
    }

    #[test]
    fn sha256_is_the_real_one() {
        // SHA-256 of 64 zero bytes (the zero-subtree hash at height 1).
        let z = sha256_pair(&B256::ZERO, &B256::ZERO);
        assert_eq!(
            z,
            alloy_primitives::b256!(
                "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b"
            )
        );
    }
}
