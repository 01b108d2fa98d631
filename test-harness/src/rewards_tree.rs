//! The rewards distribution tree, built exactly as the RewardsCoordinator verifies it (EigenLayer's
//! leaf encoding and Merkle semantics), so a root computed here is claimable on chain.
//!
//! - token leaf: `keccak256(abi.encodePacked(uint8(1), token, cumulativeEarnings))`
//!   (`TOKEN_LEAF_SALT = 1`);
//! - earner leaf: `keccak256(abi.encodePacked(uint8(0), earner, earnerTokenRoot))`
//!   (`EARNER_LEAF_SALT = 0`);
//! - trees: keccak, leaves in index order padded with zero leaves to the next power of two,
//!   parent = `keccak256(left ‖ right)`, proofs are siblings leaf to root and the leaf index picks the
//!   side at each level (EigenLayer's `Merkle.verifyInclusionKeccak`). A one-leaf tree has the leaf as
//!   root and an empty proof.
//!
//! Amounts are *cumulative*: each root carries everything an earner has earned so far, and the
//! coordinator pays the difference to what was already claimed.

use std::collections::BTreeMap;

use alloy_primitives::{keccak256, Address, B256, U256};

/// `EARNER_LEAF_SALT`.
pub const EARNER_LEAF_SALT: u8 = 0;
/// `TOKEN_LEAF_SALT`.
pub const TOKEN_LEAF_SALT: u8 = 1;

/// Hash of a token leaf.
pub fn token_leaf_hash(token: Address, cumulative_earnings: U256) -> B256 {
    let mut buf = Vec::with_capacity(1 + 20 + 32);
    buf.push(TOKEN_LEAF_SALT);
    buf.extend_from_slice(token.as_slice());
    buf.extend_from_slice(&cumulative_earnings.to_be_bytes::<32>());
    keccak256(buf)
}

/// Hash of an earner leaf.
pub fn earner_leaf_hash(earner: Address, earner_token_root: B256) -> B256 {
    let mut buf = Vec::with_capacity(1 + 20 + 32);
    buf.push(EARNER_LEAF_SALT);
    buf.extend_from_slice(earner.as_slice());
    buf.extend_from_slice(earner_token_root.as_slice());
    keccak256(buf)
}

/// A keccak Merkle tree over `leaves` padded with zero leaves to a power of two.
#[derive(Clone, Debug)]
pub struct KeccakTree {
    /// Layers from the (padded) leaves up to the root.
    layers: Vec<Vec<B256>>,
}

impl KeccakTree {
    /// Builds the tree. An empty leaf set has root zero.
    pub fn new(leaves: &[B256]) -> Self {
        let width = leaves.len().max(1).next_power_of_two();
        let mut layer = leaves.to_vec();
        layer.resize(width, B256::ZERO);
        let mut layers = vec![layer];
        while layers.last().map(|l| l.len()).unwrap_or(1) > 1 {
            let below = layers.last().expect("non-empty");
            let next = below
                .chunks(2)
                .map(|p| {
                    let mut buf = [0u8; 64];
                    buf[..32].copy_from_slice(p[0].as_slice());
                    buf[32..].copy_from_slice(p[1].as_slice());
                    keccak256(buf)
                })
                .collect();
            layers.push(next);
        }
        Self { layers }
    }

    /// The root.
    pub fn root(&self) -> B256 {
        self.layers
            .last()
            .and_then(|l| l.first())
            .copied()
            .unwrap_or_default()
    }

    /// Siblings of leaf `index`, leaf to root, concatenated as the contract's `bytes` proof.
    pub fn proof(&self, index: usize) -> Vec<u8> {
        let mut idx = index;
        let mut out = Vec::new();
        for layer in &self.layers[..self.layers.len() - 1] {
            out.extend_from_slice(layer[idx ^ 1].as_slice());
            idx >>= 1;
        }
        out
    }
}

/// Recomputes a root from a leaf, its index and a `bytes` proof (the contract's check).
pub fn process_inclusion_proof_keccak(proof: &[u8], leaf: B256, mut index: u64) -> Option<B256> {
    if !proof.len().is_multiple_of(32) {
        return None;
    }
    let mut node = leaf;
    for sibling in proof.chunks(32) {
        let mut buf = [0u8; 64];
        if index & 1 == 0 {
            buf[..32].copy_from_slice(node.as_slice());
            buf[32..].copy_from_slice(sibling);
        } else {
            buf[..32].copy_from_slice(sibling);
            buf[32..].copy_from_slice(node.as_slice());
        }
        node = keccak256(buf);
        index >>= 1;
    }
    Some(node)
}

/// One token of a claim: the leaf, its index and proof in the earner's token tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenClaim {
    /// Index in the earner's token tree.
    pub index: u32,
    /// Proof in the earner's token tree.
    pub proof: Vec<u8>,
    /// The token.
    pub token: Address,
    /// Cumulative earnings of the earner in this token.
    pub cumulative_earnings: U256,
}

/// Everything `processClaim` needs for one earner (`RewardsMerkleClaim` minus the root index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarnerClaim {
    /// Index in the earner tree.
    pub earner_index: u32,
    /// Proof in the earner tree.
    pub earner_tree_proof: Vec<u8>,
    /// The earner.
    pub earner: Address,
    /// Root of the earner's token tree.
    pub earner_token_root: B256,
    /// Token leaves with their proofs.
    pub tokens: Vec<TokenClaim>,
}

impl EarnerClaim {
    /// The claim as `processClaim` takes it (`RewardsMerkleClaim`), against root `root_index`.
    pub fn to_abi(&self, root_index: u32) -> ferrostake_deploy::abi::RewardsMerkleClaim {
        use ferrostake_deploy::abi::{
            EarnerTreeMerkleLeaf, RewardsMerkleClaim, TokenTreeMerkleLeaf,
        };
        RewardsMerkleClaim {
            rootIndex: root_index,
            earnerIndex: self.earner_index,
            earnerTreeProof: self.earner_tree_proof.clone().into(),
            earnerLeaf: EarnerTreeMerkleLeaf {
                earner: self.earner,
                earnerTokenRoot: self.earner_token_root,
            },
            tokenIndices: self.tokens.iter().map(|t| t.index).collect(),
            tokenTreeProofs: self.tokens.iter().map(|t| t.proof.clone().into()).collect(),
            tokenLeaves: self
                .tokens
                .iter()
                .map(|t| TokenTreeMerkleLeaf {
                    token: t.token,
                    cumulativeEarnings: t.cumulative_earnings,
                })
                .collect(),
        }
    }
}

/// One earner's tokens (ordered) and the tree over their leaves.
type EarnerTokens = (Address, Vec<(Address, U256)>, KeccakTree);

/// A distribution: cumulative earnings per earner and token, and the trees over them.
#[derive(Clone, Debug)]
pub struct Distribution {
    earners: Vec<EarnerTokens>,
    tree: KeccakTree,
}

impl Distribution {
    /// Builds the trees. Earners and tokens are ordered by address, so the same amounts always give
    /// the same root; earners with no tokens are left out.
    pub fn new(cumulative: &BTreeMap<Address, BTreeMap<Address, U256>>) -> Self {
        let earners: Vec<_> = cumulative
            .iter()
            .filter(|(_, tokens)| !tokens.is_empty())
            .map(|(earner, tokens)| {
                let tokens: Vec<(Address, U256)> = tokens.iter().map(|(t, a)| (*t, *a)).collect();
                let leaves: Vec<B256> = tokens
                    .iter()
                    .map(|(t, a)| token_leaf_hash(*t, *a))
                    .collect();
                (*earner, tokens, KeccakTree::new(&leaves))
            })
            .collect();
        let leaves: Vec<B256> = earners
            .iter()
            .map(|(e, _, t)| earner_leaf_hash(*e, t.root()))
            .collect();
        Self {
            tree: KeccakTree::new(&leaves),
            earners,
        }
    }

    /// The distribution root to post with `submitRoot`.
    pub fn root(&self) -> B256 {
        self.tree.root()
    }

    /// The claim of `earner` for all its tokens, or `None` when it earned nothing.
    pub fn claim(&self, earner: Address) -> Option<EarnerClaim> {
        let (earner_index, (earner, tokens, token_tree)) = self
            .earners
            .iter()
            .enumerate()
            .find(|(_, (e, _, _))| *e == earner)?;
        Some(EarnerClaim {
            earner_index: earner_index as u32,
            earner_tree_proof: self.tree.proof(earner_index),
            earner: *earner,
            earner_token_root: token_tree.root(),
            tokens: tokens
                .iter()
                .enumerate()
                .map(|(i, (token, amount))| TokenClaim {
                    index: i as u32,
                    proof: token_tree.proof(i),
                    token: *token,
                    cumulative_earnings: *amount,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(n: u8) -> Address {
        Address::repeat_byte(n)
    }

    #[test]
    fn leaf_hashes_are_the_packed_encodings() {
        // abi.encodePacked(uint8(1), address, uint256) is 1 + 20 + 32 bytes.
        let mut expected = vec![1u8];
        expected.extend_from_slice(&[0xaa; 20]);
        expected.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
        assert_eq!(
            token_leaf_hash(addr(0xaa), U256::from(7)),
            keccak256(&expected)
        );
        let mut expected = vec![0u8];
        expected.extend_from_slice(&[0xbb; 20]);
        expected.extend_from_slice(&[0xcc; 32]);
        assert_eq!(
            earner_leaf_hash(addr(0xbb), B256::repeat_byte(0xcc)),
            keccak256(&expected)
        );
    }

    #[test]
    fn one_leaf_tree_is_the_leaf_with_an_empty_proof() {
        let leaf = B256::repeat_byte(9);
        let tree = KeccakTree::new(&[leaf]);
        assert_eq!(tree.root(), leaf);
        assert!(tree.proof(0).is_empty());
    }

    #[test]
    fn every_leaf_proves_into_the_root_for_odd_sizes() {
        for n in 1..=9usize {
            let leaves: Vec<B256> = (0..n).map(|i| keccak256([i as u8])).collect();
            let tree = KeccakTree::new(&leaves);
            for (i, leaf) in leaves.iter().enumerate() {
                let root = process_inclusion_proof_keccak(&tree.proof(i), *leaf, i as u64).unwrap();
                assert_eq!(root, tree.root(), "n={n} i={i}");
            }
            // A leaf claimed at the wrong index does not prove.
            if n > 1 {
                assert_ne!(
                    process_inclusion_proof_keccak(&tree.proof(0), leaves[0], 1).unwrap(),
                    tree.root()
                );
            }
        }
    }

    #[test]
    fn distribution_claims_verify_and_carry_cumulative_amounts() {
        let mut cumulative: BTreeMap<Address, BTreeMap<Address, U256>> = BTreeMap::new();
        for e in 1..=5u8 {
            for t in [0x70u8, 0x71] {
                cumulative
                    .entry(addr(e))
                    .or_default()
                    .insert(addr(t), U256::from(e as u64 * 1000 + t as u64));
            }
        }
        cumulative.insert(addr(9), BTreeMap::new()); // nothing earned: not in the tree
        let d = Distribution::new(&cumulative);
        assert!(d.claim(addr(9)).is_none());
        for e in 1..=5u8 {
            let c = d.claim(addr(e)).unwrap();
            let earner_leaf = earner_leaf_hash(c.earner, c.earner_token_root);
            assert_eq!(
                process_inclusion_proof_keccak(
                    &c.earner_tree_proof,
                    earner_leaf,
                    c.earner_index as u64
                ),
                Some(d.root())
            );
            for tc in &c.tokens {
                let leaf = token_leaf_hash(tc.token, tc.cumulative_earnings);
                assert_eq!(
                    process_inclusion_proof_keccak(&tc.proof, leaf, tc.index as u64),
                    Some(c.earner_token_root)
                );
                assert_eq!(tc.cumulative_earnings, cumulative[&addr(e)][&tc.token]);
            }
        }
    }

    #[test]
    fn same_amounts_same_root_different_amounts_different_root() {
        let mut a: BTreeMap<Address, BTreeMap<Address, U256>> = BTreeMap::new();
        a.entry(addr(1)).or_default().insert(addr(2), U256::from(5));
        let mut b = a.clone();
        assert_eq!(Distribution::new(&a).root(), Distribution::new(&b).root());
        b.get_mut(&addr(1)).unwrap().insert(addr(2), U256::from(6));
        assert_ne!(Distribution::new(&a).root(), Distribution::new(&b).root());
    }
}
