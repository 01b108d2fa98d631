//! A synthetic beacon chain and the proofs an EigenPod verifies.
//!
//! The state is merkleized as SSZ by the `tree_hash`/`ssz_types` crates (Lighthouse's, maintained):
//! validators are real `Validator` containers in a `List[Validator, 2^40]`, balances a
//! `List[uint64, 2^40]`, the block header a real `BeaconBlockHeader`. Fields of the `BeaconState` the
//! pod never reads are opaque 32-byte roots (deterministic per slot), so the state root is a genuine
//! SSZ root of a container with Deneb's 28 fields (tree height 5) or Electra's 37 (height 6), with the
//! validators at field 11 and the balances at field 12 — the shapes of mainnet proofs. This module
//! produces the Merkle branches (which `tree_hash` does not) and checks its roots against
//! `tree_hash`'s.
//!
//! Proof shapes (EigenLayer's `BeaconChainProofs`, SHA-256, leaf-to-root sibling order):
//! - state root under the block root: field 3 of the header, 3 siblings;
//! - validator container under the state root: gindex `(11 << 41) | index`,
//!   `40 + 1 (length) + state height` siblings; the leaf is the root of the 8 validator fields;
//! - balance container under the block root: gindex `(3 << h) | 12`, `h + 3` siblings;
//! - balance leaf under the balance container: chunk `index / 4` (four little-endian `u64`s),
//!   `38 + 1` siblings.

use alloy_primitives::{B256, U256};
use sha2::{Digest, Sha256};
use ssz_types::{typenum, FixedVector, VariableList};
use tree_hash::TreeHash;
use tree_hash_derive::TreeHash;

/// `2^40`: the validator registry limit (and the balances list limit).
pub type RegistryLimit = typenum::U1099511627776;

/// The epoch meaning "never".
pub const FAR_FUTURE_EPOCH: u64 = u64::MAX;
/// Slots per epoch on mainnet.
pub const SLOTS_PER_EPOCH: u64 = 32;
/// Seconds per slot on mainnet.
pub const SECONDS_PER_SLOT: u64 = 12;
/// Height of the validator list tree (without the length mix-in).
pub const VALIDATOR_TREE_HEIGHT: usize = 40;
/// Height of the balance list tree (without the length mix-in): 2^40 balances, four per chunk.
pub const BALANCE_TREE_HEIGHT: usize = 38;
/// Height of the block header tree.
pub const BLOCK_HEADER_TREE_HEIGHT: usize = 3;
/// Index of `state_root` in the block header.
pub const STATE_ROOT_INDEX: u64 = 3;
/// Index of `validators` in the state.
pub const VALIDATOR_CONTAINER_INDEX: u64 = 11;
/// Index of `balances` in the state.
pub const BALANCE_CONTAINER_INDEX: u64 = 12;

/// The beacon-chain fork whose state layout to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fork {
    /// 28 state fields, tree height 5.
    Deneb,
    /// 37 state fields, tree height 6.
    Electra,
}

impl Fork {
    /// Number of fields of `BeaconState`.
    pub fn state_fields(self) -> usize {
        match self {
            Fork::Deneb => 28,
            Fork::Electra => 37,
        }
    }

    /// Height of the `BeaconState` field tree.
    pub fn state_tree_height(self) -> usize {
        match self {
            Fork::Deneb => 5,
            Fork::Electra => 6,
        }
    }
}

/// The consensus-layer `Validator` container.
#[derive(Clone, Debug, PartialEq, Eq, TreeHash)]
pub struct Validator {
    /// BLS public key.
    pub pubkey: FixedVector<u8, typenum::U48>,
    /// `0x01‖0…‖address` or `0x02‖0…‖address` for execution-layer credentials.
    pub withdrawal_credentials: B256,
    /// Effective balance in gwei.
    pub effective_balance: u64,
    /// Slashed on the beacon chain.
    pub slashed: bool,
    /// Epoch it became eligible for activation.
    pub activation_eligibility_epoch: u64,
    /// Epoch it was activated.
    pub activation_epoch: u64,
    /// Epoch it exits (`FAR_FUTURE_EPOCH` if not exiting).
    pub exit_epoch: u64,
    /// Epoch it can withdraw.
    pub withdrawable_epoch: u64,
}

/// The consensus-layer `BeaconBlockHeader` container.
#[derive(Clone, Debug, PartialEq, Eq, TreeHash)]
pub struct BeaconBlockHeader {
    /// Slot.
    pub slot: u64,
    /// Proposer.
    pub proposer_index: u64,
    /// Parent block root.
    pub parent_root: B256,
    /// State root.
    pub state_root: B256,
    /// Body root.
    pub body_root: B256,
}

/// SHA-256 of two 32-byte nodes.
pub fn hash_pair(left: &B256, right: &B256) -> B256 {
    let mut h = Sha256::new();
    h.update(left);
    h.update(right);
    B256::from_slice(&h.finalize())
}

/// Roots of all-zero subtrees: `zero_hashes()[h]` is the root of a zero tree of height `h`.
fn zero_hashes() -> Vec<B256> {
    let mut z = vec![B256::ZERO];
    for h in 0..64 {
        let next = hash_pair(&z[h], &z[h]);
        z.push(next);
    }
    z
}

/// The root of `leaves` padded with zero leaves to `2^depth`, and the sibling path of `index`
/// (leaf to root). Work is proportional to `leaves.len() · depth`, not `2^depth`.
pub fn merkle_branch(leaves: &[B256], depth: usize, index: usize) -> (B256, Vec<B256>) {
    let zeros = zero_hashes();
    let mut layer: Vec<B256> = leaves.to_vec();
    let mut idx = index;
    let mut proof = Vec::with_capacity(depth);
    for zero in zeros.iter().take(depth) {
        let sibling = idx ^ 1;
        proof.push(layer.get(sibling).copied().unwrap_or(*zero));
        let mut next = Vec::with_capacity(layer.len().div_ceil(2));
        for pair in layer.chunks(2) {
            let right = pair.get(1).copied().unwrap_or(*zero);
            next.push(hash_pair(&pair[0], &right));
        }
        layer = next;
        idx >>= 1;
    }
    (layer.first().copied().unwrap_or(zeros[depth]), proof)
}

/// The SSZ length mix-in node for a list of `len` elements.
pub fn length_node(len: usize) -> B256 {
    B256::from(U256::from(len).to_le_bytes::<32>())
}

/// Walks `proof` from `leaf` using the bits of `gindex_path` (the leaf's index below the root),
/// as EigenLayer's `Merkle.verifyInclusionSha256` does. For tests and for callers that want to
/// check a proof before sending it.
pub fn process_inclusion_proof(proof: &[B256], leaf: B256, mut index: u64) -> B256 {
    let mut node = leaf;
    for sibling in proof {
        node = if index & 1 == 0 {
            hash_pair(&node, sibling)
        } else {
            hash_pair(sibling, &node)
        };
        index >>= 1;
    }
    node
}

/// The eight 32-byte field roots of a validator, as the pod receives them (`validatorFields`).
pub fn validator_fields(v: &Validator) -> [B256; 8] {
    fn u64_chunk(x: u64) -> B256 {
        let mut b = [0u8; 32];
        b[..8].copy_from_slice(&x.to_le_bytes());
        B256::from(b)
    }
    [
        v.pubkey.tree_hash_root(),
        v.withdrawal_credentials,
        u64_chunk(v.effective_balance),
        u64_chunk(v.slashed as u64),
        u64_chunk(v.activation_eligibility_epoch),
        u64_chunk(v.activation_epoch),
        u64_chunk(v.exit_epoch),
        u64_chunk(v.withdrawable_epoch),
    ]
}

/// SHA-256 of a BLS public key padded to 64 bytes: how EigenLayer keys validators.
pub fn pubkey_hash(pubkey: &[u8; 48]) -> B256 {
    let mut h = Sha256::new();
    h.update(pubkey);
    h.update([0u8; 16]);
    B256::from_slice(&h.finalize())
}

/// Execution-layer withdrawal credentials (`0x01`) pointing at `address`.
pub fn eth1_withdrawal_credentials(address: alloy_primitives::Address) -> B256 {
    let mut b = [0u8; 32];
    b[0] = 0x01;
    b[12..].copy_from_slice(address.as_slice());
    B256::from(b)
}

/// Proof that a header's `state_root` is in its block root (`StateRootProof`).
#[derive(Clone, Debug)]
pub struct StateRootProof {
    /// The state root.
    pub beacon_state_root: B256,
    /// 3 siblings, leaf to root.
    pub proof: Vec<B256>,
}

/// Proof of one validator's fields under the state root.
#[derive(Clone, Debug)]
pub struct ValidatorFieldsProof {
    /// Validator index.
    pub validator_index: u64,
    /// The 8 field roots.
    pub validator_fields: [B256; 8],
    /// `40 + 1 + state height` siblings, leaf to root.
    pub proof: Vec<B256>,
}

/// Proof of the balances list root under the block root (`BalanceContainerProof`).
#[derive(Clone, Debug)]
pub struct BalanceContainerProof {
    /// Root of the balances list (with its length mixed in).
    pub balance_container_root: B256,
    /// `state height + 3` siblings, leaf to root.
    pub proof: Vec<B256>,
}

/// Proof of one balance chunk under the balances list root (`BalanceProof`).
#[derive(Clone, Debug)]
pub struct BalanceProof {
    /// `sha256(pubkey ‖ 0^16)` of the validator.
    pub pubkey_hash: B256,
    /// The 32-byte chunk holding the validator's balance and three neighbours'.
    pub balance_root: B256,
    /// `38 + 1` siblings, leaf to root.
    pub proof: Vec<B256>,
}

/// A beacon chain with one state that tests mutate: validators join, earn, get slashed, exit.
#[derive(Clone, Debug)]
pub struct BeaconChain {
    /// State layout.
    pub fork: Fork,
    /// Current slot.
    pub slot: u64,
    /// Genesis time (seconds).
    pub genesis_time: u64,
    /// The registry.
    pub validators: Vec<Validator>,
    /// Actual balances in gwei, one per validator.
    pub balances: Vec<u64>,
}

impl BeaconChain {
    /// An empty chain at `slot`.
    pub fn new(fork: Fork, genesis_time: u64, slot: u64) -> Self {
        Self {
            fork,
            slot,
            genesis_time,
            validators: Vec::new(),
            balances: Vec::new(),
        }
    }

    /// The current epoch.
    pub fn epoch(&self) -> u64 {
        self.slot / SLOTS_PER_EPOCH
    }

    /// Timestamp of the current slot.
    pub fn timestamp(&self) -> u64 {
        self.genesis_time + self.slot * SECONDS_PER_SLOT
    }

    /// Advances `slots` slots.
    pub fn advance(&mut self, slots: u64) {
        self.slot += slots;
    }

    /// Adds an active validator with `withdrawal_credentials` and `balance_gwei` (effective
    /// balance capped at 32 ETH, or 2048 ETH for `0x02` credentials); returns its index.
    pub fn add_validator(
        &mut self,
        pubkey: [u8; 48],
        withdrawal_credentials: B256,
        balance_gwei: u64,
    ) -> u64 {
        let cap = if withdrawal_credentials[0] == 0x02 {
            2_048_000_000_000
        } else {
            32_000_000_000
        };
        let epoch = self.epoch();
        self.validators.push(Validator {
            pubkey: FixedVector::new(pubkey.to_vec()).expect("48 bytes"),
            withdrawal_credentials,
            effective_balance: balance_gwei.min(cap) / 1_000_000_000 * 1_000_000_000,
            slashed: false,
            activation_eligibility_epoch: epoch,
            activation_epoch: epoch,
            exit_epoch: FAR_FUTURE_EPOCH,
            withdrawable_epoch: FAR_FUTURE_EPOCH,
        });
        self.balances.push(balance_gwei);
        (self.validators.len() - 1) as u64
    }

    /// Sets a validator's actual balance (rewards up, penalties down).
    pub fn set_balance(&mut self, index: u64, balance_gwei: u64) {
        self.balances[index as usize] = balance_gwei;
    }

    /// Slashes a validator: marks it slashed, takes `penalty_gwei` and schedules its exit.
    pub fn slash(&mut self, index: u64, penalty_gwei: u64) {
        let epoch = self.epoch();
        let i = index as usize;
        self.validators[i].slashed = true;
        self.validators[i].exit_epoch = epoch + 1;
        self.validators[i].withdrawable_epoch = epoch + 256;
        self.balances[i] = self.balances[i].saturating_sub(penalty_gwei);
    }

    /// Exits a validator fully: its balance is swept to the execution layer (balance 0).
    pub fn exit(&mut self, index: u64) -> u64 {
        let epoch = self.epoch();
        let i = index as usize;
        self.validators[i].exit_epoch = epoch;
        self.validators[i].withdrawable_epoch = epoch;
        std::mem::take(&mut self.balances[i])
    }

    fn validators_list(&self) -> VariableList<Validator, RegistryLimit> {
        VariableList::new(self.validators.clone()).expect("under the registry limit")
    }

    fn balances_list(&self) -> VariableList<u64, RegistryLimit> {
        VariableList::new(self.balances.clone()).expect("under the registry limit")
    }

    /// Roots of the state's fields: opaque deterministic roots except validators and balances.
    fn state_field_roots(&self) -> Vec<B256> {
        (0..self.fork.state_fields())
            .map(|i| match i as u64 {
                VALIDATOR_CONTAINER_INDEX => self.validators_list().tree_hash_root(),
                BALANCE_CONTAINER_INDEX => self.balances_list().tree_hash_root(),
                2 => {
                    let mut b = [0u8; 32];
                    b[..8].copy_from_slice(&self.slot.to_le_bytes());
                    B256::from(b)
                }
                _ => {
                    let mut h = Sha256::new();
                    h.update(b"ferrostake synthetic state field");
                    h.update((i as u64).to_le_bytes());
                    h.update(self.slot.to_le_bytes());
                    B256::from_slice(&h.finalize())
                }
            })
            .collect()
    }

    /// The `BeaconState` root.
    pub fn state_root(&self) -> B256 {
        merkle_branch(&self.state_field_roots(), self.fork.state_tree_height(), 0).0
    }

    /// The block header at the current slot.
    pub fn header(&self) -> BeaconBlockHeader {
        BeaconBlockHeader {
            slot: self.slot,
            proposer_index: self.slot % 64,
            parent_root: B256::repeat_byte(0x11),
            state_root: self.state_root(),
            body_root: B256::repeat_byte(0x22),
        }
    }

    /// The block root at the current slot (what the EIP-4788 oracle serves).
    pub fn block_root(&self) -> B256 {
        self.header().tree_hash_root()
    }

    fn header_field_roots(&self) -> Vec<B256> {
        let h = self.header();
        let slot = |x: u64| {
            let mut b = [0u8; 32];
            b[..8].copy_from_slice(&x.to_le_bytes());
            B256::from(b)
        };
        vec![
            slot(h.slot),
            slot(h.proposer_index),
            h.parent_root,
            h.state_root,
            h.body_root,
        ]
    }

    /// `StateRootProof` for the current block.
    pub fn state_root_proof(&self) -> StateRootProof {
        let (_, proof) = merkle_branch(
            &self.header_field_roots(),
            BLOCK_HEADER_TREE_HEIGHT,
            STATE_ROOT_INDEX as usize,
        );
        StateRootProof {
            beacon_state_root: self.state_root(),
            proof,
        }
    }

    /// Proof of validator `index`'s fields under the state root.
    pub fn validator_fields_proof(&self, index: u64) -> ValidatorFieldsProof {
        let roots: Vec<B256> = self.validators.iter().map(|v| v.tree_hash_root()).collect();
        let (_, mut proof) = merkle_branch(&roots, VALIDATOR_TREE_HEIGHT, index as usize);
        proof.push(length_node(self.validators.len()));
        let (_, state_proof) = merkle_branch(
            &self.state_field_roots(),
            self.fork.state_tree_height(),
            VALIDATOR_CONTAINER_INDEX as usize,
        );
        proof.extend(state_proof);
        ValidatorFieldsProof {
            validator_index: index,
            validator_fields: validator_fields(&self.validators[index as usize]),
            proof,
        }
    }

    /// Proof of the balances list root under the block root.
    pub fn balance_container_proof(&self) -> BalanceContainerProof {
        let (_, mut proof) = merkle_branch(
            &self.state_field_roots(),
            self.fork.state_tree_height(),
            BALANCE_CONTAINER_INDEX as usize,
        );
        proof.extend(self.state_root_proof().proof);
        BalanceContainerProof {
            balance_container_root: self.balances_list().tree_hash_root(),
            proof,
        }
    }

    fn balance_chunks(&self) -> Vec<B256> {
        self.balances
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 32];
                for (i, x) in c.iter().enumerate() {
                    b[i * 8..i * 8 + 8].copy_from_slice(&x.to_le_bytes());
                }
                B256::from(b)
            })
            .collect()
    }

    /// Proof of validator `index`'s balance chunk under the balances list root.
    pub fn balance_proof(&self, index: u64) -> BalanceProof {
        let chunks = self.balance_chunks();
        let (_, mut proof) = merkle_branch(&chunks, BALANCE_TREE_HEIGHT, (index / 4) as usize);
        proof.push(length_node(self.balances.len()));
        let pubkey: [u8; 48] = self.validators[index as usize]
            .pubkey
            .to_vec()
            .try_into()
            .expect("48 bytes");
        BalanceProof {
            pubkey_hash: pubkey_hash(&pubkey),
            balance_root: chunks[(index / 4) as usize],
            proof,
        }
    }

    /// Generalized-index path of validator `index` below the state root.
    pub fn validator_gindex(&self, index: u64) -> u64 {
        (VALIDATOR_CONTAINER_INDEX << (VALIDATOR_TREE_HEIGHT + 1)) | index
    }

    /// Generalized-index path of the balances list below the block root.
    pub fn balance_container_gindex(&self) -> u64 {
        (STATE_ROOT_INDEX << self.fork.state_tree_height()) | BALANCE_CONTAINER_INDEX
    }
}

/// Flattens a proof to the `bytes` the pod's ABI takes.
pub fn proof_bytes(proof: &[B256]) -> Vec<u8> {
    proof.iter().flat_map(|n| n.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    fn chain(fork: Fork) -> BeaconChain {
        let mut c = BeaconChain::new(fork, 1_606_824_023, 10_000_000);
        let pod = address!("00000000000000000000000000000000000d0d00");
        for i in 0..6u8 {
            let wc = if i == 3 {
                eth1_withdrawal_credentials(address!("00000000000000000000000000000000000000ff"))
            } else {
                eth1_withdrawal_credentials(pod)
            };
            c.add_validator([i + 1; 48], wc, 32_000_000_000 + i as u64 * 1_000);
        }
        c
    }

    #[test]
    fn our_list_roots_match_tree_hash() {
        let c = chain(Fork::Deneb);
        let roots: Vec<B256> = c.validators.iter().map(|v| v.tree_hash_root()).collect();
        let (root, _) = merkle_branch(&roots, VALIDATOR_TREE_HEIGHT, 0);
        assert_eq!(
            hash_pair(&root, &length_node(roots.len())),
            c.validators_list().tree_hash_root()
        );
        let (broot, _) = merkle_branch(&c.balance_chunks(), BALANCE_TREE_HEIGHT, 0);
        assert_eq!(
            hash_pair(&broot, &length_node(c.balances.len())),
            c.balances_list().tree_hash_root()
        );
    }

    #[test]
    fn validator_fields_merkleize_to_the_container_root() {
        let c = chain(Fork::Electra);
        for v in &c.validators {
            let (root, _) = merkle_branch(&validator_fields(v), 3, 0);
            assert_eq!(root, v.tree_hash_root());
        }
    }

    #[test]
    fn header_fields_merkleize_to_the_block_root() {
        let c = chain(Fork::Deneb);
        let (root, _) = merkle_branch(&c.header_field_roots(), BLOCK_HEADER_TREE_HEIGHT, 0);
        assert_eq!(root, c.block_root());
    }

    #[test]
    fn every_proof_verifies_against_the_block_root_in_both_forks() {
        for fork in [Fork::Deneb, Fork::Electra] {
            let c = chain(fork);
            let block_root = c.block_root();
            let srp = c.state_root_proof();
            assert_eq!(srp.proof.len(), 3);
            assert_eq!(
                process_inclusion_proof(&srp.proof, srp.beacon_state_root, STATE_ROOT_INDEX),
                block_root
            );

            for i in 0..c.validators.len() as u64 {
                let vp = c.validator_fields_proof(i);
                assert_eq!(
                    vp.proof.len(),
                    VALIDATOR_TREE_HEIGHT + 1 + fork.state_tree_height()
                );
                let (leaf, _) = merkle_branch(&vp.validator_fields, 3, 0);
                assert_eq!(
                    process_inclusion_proof(&vp.proof, leaf, c.validator_gindex(i)),
                    srp.beacon_state_root
                );
            }

            let bcp = c.balance_container_proof();
            assert_eq!(bcp.proof.len(), fork.state_tree_height() + 3);
            assert_eq!(
                process_inclusion_proof(
                    &bcp.proof,
                    bcp.balance_container_root,
                    c.balance_container_gindex()
                ),
                block_root
            );
            for i in 0..c.balances.len() as u64 {
                let bp = c.balance_proof(i);
                assert_eq!(bp.proof.len(), BALANCE_TREE_HEIGHT + 1);
                assert_eq!(
                    process_inclusion_proof(&bp.proof, bp.balance_root, i / 4),
                    bcp.balance_container_root
                );
                let lane = (i % 4) as usize * 8;
                let bal = u64::from_le_bytes(bp.balance_root[lane..lane + 8].try_into().unwrap());
                assert_eq!(bal, c.balances[i as usize]);
            }
        }
    }

    #[test]
    fn a_proof_for_one_state_fails_against_the_next() {
        let mut c = chain(Fork::Deneb);
        let old = c.validator_fields_proof(1);
        let (leaf, _) = merkle_branch(&old.validator_fields, 3, 0);
        c.set_balance(1, 31_000_000_000);
        assert_ne!(
            process_inclusion_proof(&old.proof, leaf, c.validator_gindex(1)),
            c.state_root()
        );
    }

    #[test]
    fn slashing_and_exit_change_the_fields_the_pod_reads() {
        let mut c = chain(Fork::Deneb);
        c.slash(2, 1_000_000_000);
        let f = validator_fields(&c.validators[2]);
        assert_eq!(f[3][0], 1, "slashed flag");
        assert_ne!(
            u64::from_le_bytes(f[6][..8].try_into().unwrap()),
            FAR_FUTURE_EPOCH
        );
        assert_eq!(c.balances[2], 32_000_002_000 - 1_000_000_000);
        let swept = c.exit(4);
        assert_eq!(swept, 32_000_004_000);
        assert_eq!(c.balances[4], 0);
    }

    #[test]
    fn pubkey_hash_pads_to_64_bytes() {
        let pk = [7u8; 48];
        let mut input = pk.to_vec();
        input.extend_from_slice(&[0u8; 16]);
        assert_eq!(pubkey_hash(&pk), B256::from_slice(&Sha256::digest(&input)));
        // And equals the SSZ root of the pubkey vector.
        let fixed: FixedVector<u8, typenum::U48> = FixedVector::new(pk.to_vec()).unwrap();
        assert_eq!(pubkey_hash(&pk), fixed.tree_hash_root());
    }
}
