//! Beacon-chain proofs as EigenLayer's `BeaconChainProofs` checks them (Deneb and Electra/Pectra
//! layouts): SHA-256 Merkle proofs, computed in the program, from a validator's fields or a balance
//! chunk up to a beacon block root. Generalized indices (leaf-to-root, bits pick the side):
//!
//! | proof | leaf | root | path index | length (32-byte nodes) |
//! |---|---|---|---|---|
//! | state root | `beaconStateRoot` | block root | `STATE_ROOT_INDEX` = 3 | 3 |
//! | validator | merkleized 8 fields | state root | `(11 << 41) \| validatorIndex` | 41 + h |
//! | balance container | balances list root | block root | `(3 << h) \| 12` | 3 + h |
//! | balance | 4 packed balances | balance container | `validatorIndex / 4` | 39 |
//!
//! where `h` is the state tree height: 5 before Electra (Deneb), 6 from Electra on.

use alloc::vec::Vec;
use alloy_primitives::B256;
use ferrostake_interfaces::IEigenPod::{
    InvalidProof, InvalidProofLength, InvalidValidatorFieldsLength,
};

use crate::{merkle, Revert};

/// Height of the beacon block header tree.
pub const BEACON_BLOCK_HEADER_TREE_HEIGHT: usize = 3;
/// Height of the validator list tree (without the length mix-in).
pub const VALIDATOR_TREE_HEIGHT: usize = 40;
/// Height of the balance list tree (without the length mix-in).
pub const BALANCE_TREE_HEIGHT: usize = 38;
/// `state_root` in the block header.
pub const STATE_ROOT_INDEX: u64 = 3;
/// `validators` in the state.
pub const VALIDATOR_CONTAINER_INDEX: u64 = 11;
/// `balances` in the state.
pub const BALANCE_CONTAINER_INDEX: u64 = 12;
/// Fields of a `Validator` container.
pub const VALIDATOR_FIELDS_LENGTH: usize = 8;

/// Which state layout a proof uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofVersion {
    /// Deneb: 28 state fields, height 5.
    Deneb,
    /// Electra (Pectra): 37 state fields, height 6.
    Pectra,
}

impl ProofVersion {
    /// Height of the state's field tree.
    pub fn state_tree_height(self) -> usize {
        match self {
            ProofVersion::Deneb => 5,
            ProofVersion::Pectra => 6,
        }
    }
}

fn check(proof: &[u8], nodes: usize, root: B256, leaf: B256, index: u64) -> Result<(), Revert> {
    if proof.len() != 32 * nodes {
        return Err(InvalidProofLength {}.into());
    }
    if !merkle::verify_inclusion_sha256(proof, root, leaf, index)? {
        return Err(InvalidProof {}.into());
    }
    Ok(())
}

/// The state root is the header's field 3 under `beacon_block_root`.
pub fn verify_state_root(
    beacon_block_root: B256,
    beacon_state_root: B256,
    proof: &[u8],
) -> Result<(), Revert> {
    check(
        proof,
        BEACON_BLOCK_HEADER_TREE_HEIGHT,
        beacon_block_root,
        beacon_state_root,
        STATE_ROOT_INDEX,
    )
}

/// The 8 `validator_fields` are validator `validator_index` under `beacon_state_root`.
pub fn verify_validator_fields(
    version: ProofVersion,
    beacon_state_root: B256,
    validator_fields: &[B256],
    proof: &[u8],
    validator_index: u64,
) -> Result<(), Revert> {
    if validator_fields.len() != VALIDATOR_FIELDS_LENGTH {
        return Err(InvalidValidatorFieldsLength {}.into());
    }
    let leaf = merkle::merkleize_sha256(validator_fields)?;
    let index = (VALIDATOR_CONTAINER_INDEX << (VALIDATOR_TREE_HEIGHT + 1)) | validator_index;
    check(
        proof,
        VALIDATOR_TREE_HEIGHT + 1 + version.state_tree_height(),
        beacon_state_root,
        leaf,
        index,
    )
}

/// `balance_container_root` (the balances list root) is under `beacon_block_root`.
pub fn verify_balance_container(
    version: ProofVersion,
    beacon_block_root: B256,
    balance_container_root: B256,
    proof: &[u8],
) -> Result<(), Revert> {
    let h = version.state_tree_height();
    let index = (STATE_ROOT_INDEX << h) | BALANCE_CONTAINER_INDEX;
    check(
        proof,
        BEACON_BLOCK_HEADER_TREE_HEIGHT + h,
        beacon_block_root,
        balance_container_root,
        index,
    )
}

/// `balance_root` (four packed balances) holds validator `validator_index`'s balance under
/// `balance_container_root`; returns that balance in gwei.
pub fn verify_validator_balance(
    balance_container_root: B256,
    validator_index: u64,
    balance_root: B256,
    proof: &[u8],
) -> Result<u64, Revert> {
    check(
        proof,
        BALANCE_TREE_HEIGHT + 1,
        balance_container_root,
        balance_root,
        validator_index / 4,
    )?;
    Ok(balance_at_index(balance_root, validator_index))
}

/// The little-endian `u64` of validator `validator_index` in its packed balance chunk.
pub fn balance_at_index(balance_root: B256, validator_index: u64) -> u64 {
    let lane = (validator_index % 4) as usize * 8;
    u64::from_le_bytes(balance_root[lane..lane + 8].try_into().unwrap_or_default())
}

fn le_u64(field: &B256) -> u64 {
    u64::from_le_bytes(field[..8].try_into().unwrap_or_default())
}

/// `sha256(pubkey ‖ 0^16)`, field 0.
pub fn pubkey_hash(fields: &[B256]) -> B256 {
    fields[0]
}

/// Withdrawal credentials, field 1.
pub fn withdrawal_credentials(fields: &[B256]) -> B256 {
    fields[1]
}

/// Effective balance in gwei, field 2.
pub fn effective_balance_gwei(fields: &[B256]) -> u64 {
    le_u64(&fields[2])
}

/// Slashed flag, field 3.
pub fn is_slashed(fields: &[B256]) -> bool {
    fields[3][0] != 0
}

/// Activation epoch, field 5.
pub fn activation_epoch(fields: &[B256]) -> u64 {
    le_u64(&fields[5])
}

/// Exit epoch, field 6.
pub fn exit_epoch(fields: &[B256]) -> u64 {
    le_u64(&fields[6])
}

/// Concatenates proof nodes into the `bytes` form proofs travel in (tests and tools).
pub fn proof_bytes(nodes: &[B256]) -> Vec<u8> {
    nodes.iter().flat_map(|n| n.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::sha256_pair;
    use alloc::vec;

    /// A sparse SHA-256 tree of height `depth` with `leaves` at the left; returns root and the path
    /// of `index` (zero subtrees for the rest).
    fn branch(leaves: &[B256], depth: usize, index: usize) -> (B256, Vec<B256>) {
        let mut zeros = vec![B256::ZERO];
        for h in 0..depth {
            zeros.push(sha256_pair(&zeros[h], &zeros[h]));
        }
        let mut layer = leaves.to_vec();
        let mut idx = index;
        let mut path = Vec::new();
        for zero in zeros.iter().take(depth) {
            path.push(layer.get(idx ^ 1).copied().unwrap_or(*zero));
            layer = layer
                .chunks(2)
                .map(|p| sha256_pair(&p[0], p.get(1).unwrap_or(zero)))
                .collect();
            idx >>= 1;
        }
        (layer[0], path)
    }

    fn u64_field(x: u64) -> B256 {
        let mut b = [0u8; 32];
        b[..8].copy_from_slice(&x.to_le_bytes());
        B256::from(b)
    }

    fn validator(i: u8) -> Vec<B256> {
        vec![
            B256::repeat_byte(i),
            B256::repeat_byte(0x01),
            u64_field(32_000_000_000),
            B256::ZERO,
            u64_field(0),
            u64_field(10),
            u64_field(u64::MAX),
            u64_field(u64::MAX),
        ]
    }

    /// A whole chain of proofs for `version`: block root → state root → validator 5, balances.
    #[allow(clippy::type_complexity)]
    fn build(
        version: ProofVersion,
    ) -> (
        B256,
        B256,
        Vec<B256>,
        Vec<u8>,
        Vec<u8>,
        B256,
        Vec<u8>,
        B256,
        Vec<u8>,
    ) {
        let h = version.state_tree_height();
        let validators: Vec<Vec<B256>> = (0..7u8).map(validator).collect();
        let leaves: Vec<B256> = validators
            .iter()
            .map(|f| merkle::merkleize_sha256(f).unwrap())
            .collect();
        let (vroot, mut vpath) = branch(&leaves, VALIDATOR_TREE_HEIGHT, 5);
        let len_node = u64_field(leaves.len() as u64);
        vpath.push(len_node);
        let validators_root = sha256_pair(&vroot, &len_node);
        // Balances: 7 validators in two chunks.
        let mut chunk0 = [0u8; 32];
        let mut chunk1 = [0u8; 32];
        for i in 0..7u64 {
            let bal = 31_000_000_000 + i;
            let chunk = if i < 4 { &mut chunk0 } else { &mut chunk1 };
            let lane = (i % 4) as usize * 8;
            chunk[lane..lane + 8].copy_from_slice(&bal.to_le_bytes());
        }
        let chunks = [B256::from(chunk0), B256::from(chunk1)];
        let (broot, mut bpath) = branch(&chunks, BALANCE_TREE_HEIGHT, 1);
        bpath.push(u64_field(7));
        let balances_root = sha256_pair(&broot, &u64_field(7));
        let fields: Vec<B256> = (0..(1usize << h))
            .map(|i| match i as u64 {
                VALIDATOR_CONTAINER_INDEX => validators_root,
                BALANCE_CONTAINER_INDEX => balances_root,
                _ => B256::repeat_byte(i as u8 + 0x80),
            })
            .collect();
        let (state_root, spath_v) = branch(&fields, h, VALIDATOR_CONTAINER_INDEX as usize);
        let (_, spath_b) = branch(&fields, h, BALANCE_CONTAINER_INDEX as usize);
        let header = [
            B256::repeat_byte(1),
            B256::repeat_byte(2),
            B256::repeat_byte(3),
            state_root,
            B256::repeat_byte(4),
        ];
        let (block_root, hpath) = branch(&header, BEACON_BLOCK_HEADER_TREE_HEIGHT, 3);
        let validator_proof = proof_bytes(&[vpath, spath_v].concat());
        let balance_container_proof = proof_bytes(&[spath_b, hpath.clone()].concat());
        (
            block_root,
            state_root,
            validators[5].clone(),
            validator_proof,
            proof_bytes(&hpath),
            balances_root,
            balance_container_proof,
            chunks[1],
            proof_bytes(&bpath),
        )
    }

    #[test]
    fn a_full_proof_chain_verifies_in_both_layouts() {
        for version in [ProofVersion::Deneb, ProofVersion::Pectra] {
            let (
                block_root,
                state_root,
                fields,
                vproof,
                sproof,
                balances_root,
                bcproof,
                chunk,
                bproof,
            ) = build(version);
            verify_state_root(block_root, state_root, &sproof).unwrap();
            verify_validator_fields(version, state_root, &fields, &vproof, 5).unwrap();
            verify_balance_container(version, block_root, balances_root, &bcproof).unwrap();
            let bal = verify_validator_balance(balances_root, 5, chunk, &bproof).unwrap();
            assert_eq!(bal, 31_000_000_005);
            assert_eq!(effective_balance_gwei(&fields), 32_000_000_000);
            assert_eq!(activation_epoch(&fields), 10);
            assert_eq!(exit_epoch(&fields), u64::MAX);
            assert!(!is_slashed(&fields));
        }
    }

    #[test]
    fn each_balance_is_read_from_its_chunk_and_lane() {
        // SSZ packs the balances list four u64 to a 32-byte chunk: validator i's balance is the
        // little-endian lane i % 4 of chunk i / 4, and the chunk is leaf i / 4 of the list tree.
        let balance = |i: u64| 31_000_000_000 + 1_000 * i;
        let mut chunks = [[0u8; 32]; 2];
        for i in 0..8u64 {
            let lane = (i % 4) as usize * 8;
            chunks[(i / 4) as usize][lane..lane + 8].copy_from_slice(&balance(i).to_le_bytes());
        }
        let chunks = chunks.map(B256::from);
        let length = u64_field(8);
        for i in 0..8u64 {
            let chunk = (i / 4) as usize;
            let (root, mut path) = branch(&chunks, BALANCE_TREE_HEIGHT, chunk);
            path.push(length);
            let container = sha256_pair(&root, &length);
            let proof = proof_bytes(&path);
            assert_eq!(
                verify_validator_balance(container, i, chunks[chunk], &proof).unwrap(),
                balance(i)
            );
            assert_eq!(balance_at_index(chunks[chunk], i), balance(i));
            // The other chunk is not validator i's leaf.
            assert!(
                verify_validator_balance(container, i, chunks[1 - chunk], &proof)
                    .unwrap_err()
                    .is::<InvalidProof>()
            );
        }
    }

    #[test]
    fn field_accessors_follow_the_validator_container() {
        // Validator = (pubkey root, withdrawal_credentials, effective_balance, slashed,
        // activation_eligibility_epoch, activation_epoch, exit_epoch, withdrawable_epoch).
        let mut credentials = [0u8; 32];
        credentials[0] = 0x01;
        credentials[12..].copy_from_slice(&[0xab; 20]);
        let mut slashed = [0u8; 32];
        slashed[0] = 1; // an SSZ bool: one byte, 0x01 for true
        let fields = vec![
            B256::repeat_byte(0x5a),
            B256::from(credentials),
            u64_field(32_000_000_000),
            B256::from(slashed),
            u64_field(7),
            u64_field(9),
            u64_field(1_000),
            u64_field(1_256),
        ];
        assert_eq!(pubkey_hash(&fields), B256::repeat_byte(0x5a));
        assert_eq!(withdrawal_credentials(&fields), B256::from(credentials));
        assert_eq!(effective_balance_gwei(&fields), 32_000_000_000);
        assert!(is_slashed(&fields));
        assert_eq!(activation_epoch(&fields), 9);
        assert_eq!(exit_epoch(&fields), 1_000);
    }

    #[test]
    fn balance_container_proofs_are_checked() {
        let (block_root, state_root, _, _, _, balances_root, bcproof, _, _) =
            build(ProofVersion::Deneb);
        verify_balance_container(ProofVersion::Deneb, block_root, balances_root, &bcproof).unwrap();
        // Another block root, or another leaf at the balances' position, does not verify.
        assert!(verify_balance_container(
            ProofVersion::Deneb,
            B256::repeat_byte(9),
            balances_root,
            &bcproof
        )
        .unwrap_err()
        .is::<InvalidProof>());
        assert!(
            verify_balance_container(ProofVersion::Deneb, block_root, state_root, &bcproof)
                .unwrap_err()
                .is::<InvalidProof>()
        );
        // A Deneb proof presented as Electra has the wrong length (3 + 6 nodes, not 3 + 5).
        assert!(verify_balance_container(
            ProofVersion::Pectra,
            block_root,
            balances_root,
            &bcproof
        )
        .unwrap_err()
        .is::<InvalidProofLength>());
    }

    #[test]
    fn wrong_index_layout_or_lengths_are_rejected() {
        let (block_root, state_root, mut fields, vproof, sproof, _, _, _, _) =
            build(ProofVersion::Deneb);
        assert!(
            verify_validator_fields(ProofVersion::Deneb, state_root, &fields, &vproof, 4)
                .unwrap_err()
                .is::<InvalidProof>()
        );
        // A Deneb proof presented as Electra has the wrong length.
        assert!(
            verify_validator_fields(ProofVersion::Pectra, state_root, &fields, &vproof, 5)
                .unwrap_err()
                .is::<InvalidProofLength>()
        );
        assert!(verify_state_root(B256::repeat_byte(9), state_root, &sproof)
            .unwrap_err()
            .is::<InvalidProof>());
        assert!(verify_state_root(block_root, state_root, &sproof[..64])
            .unwrap_err()
            .is::<InvalidProofLength>());
        fields[2] = u64_field(64_000_000_000); // a forged balance changes the leaf
        assert!(
            verify_validator_fields(ProofVersion::Deneb, state_root, &fields, &vproof, 5)
                .unwrap_err()
                .is::<InvalidProof>()
        );
        fields.pop();
        assert!(
            verify_validator_fields(ProofVersion::Deneb, state_root, &fields, &vproof, 5)
                .unwrap_err()
                .is::<InvalidValidatorFieldsLength>()
        );
    }
}
