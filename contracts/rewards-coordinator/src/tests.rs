//! Roots and claims against real two-level trees built here (EigenLayer's leaf encodings).
use alloy_primitives::{keccak256, uint, Address, B256, U256};
use ferrostake_interfaces::{IPausable, IRewardsCoordinator};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_test_erc20::TestErc20;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::IErc20;

use super::*;

const ADMIN: Address = Address::new([0xad; 20]);
const UPDATER: Address = Address::new([
    0x0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x77,
]);
/// motsu's fixed block timestamp.
const NOW: u32 = 1_735_689_600;

/// A keccak tree over `leaves` padded with zeros to a power of two: (root, proof of `index`).
fn tree(leaves: &[B256], index: usize) -> (B256, Vec<u8>) {
    let mut layer = leaves.to_vec();
    layer.resize(leaves.len().next_power_of_two().max(1), B256::ZERO);
    let mut idx = index;
    let mut proof = Vec::new();
    while layer.len() > 1 {
        proof.extend_from_slice(layer[idx ^ 1].as_slice());
        layer = layer
            .chunks(2)
            .map(|p| keccak256([p[0].as_slice(), p[1].as_slice()].concat()))
            .collect();
        idx >>= 1;
    }
    (layer[0], proof)
}

struct Claims {
    root: B256,
    claims: Vec<ClaimTuple>,
}

/// Earners `earners[i]` earn `amounts[i]` (cumulative) of `token`; a second dummy token leaf makes the
/// token trees two levels deep.
fn distribution(token: Address, earners: &[Address], amounts: &[U256]) -> Claims {
    let dummy = (Address::repeat_byte(0xee), U256::from(1u8));
    let token_trees: Vec<(B256, Vec<u8>)> = amounts
        .iter()
        .map(|a| {
            let leaves = [
                token_leaf_hash(&TokenTreeMerkleLeaf {
                    token,
                    cumulativeEarnings: *a,
                }),
                token_leaf_hash(&TokenTreeMerkleLeaf {
                    token: dummy.0,
                    cumulativeEarnings: dummy.1,
                }),
            ];
            tree(&leaves, 0)
        })
        .collect();
    let earner_leaves: Vec<B256> = earners
        .iter()
        .zip(&token_trees)
        .map(|(e, (troot, _))| {
            earner_leaf_hash(&EarnerTreeMerkleLeaf {
                earner: *e,
                earnerTokenRoot: *troot,
            })
        })
        .collect();
    let (root, _) = tree(&earner_leaves, 0);
    let claims = earners
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (_, eproof) = tree(&earner_leaves, i);
            (
                0u32,
                i as u32,
                eproof.into(),
                (*e, token_trees[i].0),
                vec![0u32],
                vec![token_trees[i].1.clone().into()],
                vec![(token, amounts[i])],
            )
        })
        .collect();
    Claims { root, claims }
}

fn setup(
    rc: &Contract<RewardsCoordinator>,
    reg: &Contract<PauserRegistry>,
    token: &Contract<TestErc20>,
    funded: U256,
) {
    reg.sender(ADMIN)
        .initialize(vec![ADMIN], ADMIN)
        .motsu_unwrap();
    rc.sender(ADMIN)
        .initialize(reg.address(), ADMIN, U256::ZERO, UPDATER, 0)
        .motsu_unwrap();
    token
        .sender(ADMIN)
        .mint(rc.address(), funded)
        .motsu_unwrap();
}

#[motsu::test]
fn earners_claim_exactly_their_cumulative_amounts_once(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    token: Contract<TestErc20>,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    setup(&rc, &reg, &token, uint!(1_000_U256));
    let d = distribution(
        token.address(),
        &[alice, bob, carol],
        &[uint!(100_U256), uint!(250_U256), uint!(50_U256)],
    );
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - 86_400)
        .motsu_unwrap();
    assert_eq!(
        rc.sender(alice)
            .get_root_index_from_hash(d.root)
            .motsu_unwrap(),
        0
    );
    assert!(rc
        .sender(alice)
        .check_claim(d.claims[1].clone())
        .motsu_unwrap());

    rc.sender(bob)
        .process_claim(d.claims[1].clone(), bob)
        .motsu_unwrap();
    assert_eq!(token.sender(bob).balance_of(bob), uint!(250_U256));
    assert_eq!(
        rc.sender(bob).cumulative_claimed(bob, token.address()),
        uint!(250_U256)
    );
    rc.assert_emitted(&IRewardsCoordinator::RewardsClaimed {
        root: d.root,
        earner: bob,
        claimer: bob,
        recipient: bob,
        token: token.address(),
        claimedAmount: uint!(250_U256),
    });
    // Double claim.
    let err = rc
        .sender(bob)
        .process_claim(d.claims[1].clone(), bob)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::EarningsNotGreaterThanClaimed>());
    // Someone else's claim.
    let err = rc
        .sender(bob)
        .process_claim(d.claims[0].clone(), bob)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::UnauthorizedCaller>());
    assert_eq!(
        token.sender(bob).balance_of(bob),
        uint!(250_U256),
        "nothing moved"
    );
}

#[motsu::test]
fn a_later_root_pays_only_the_difference(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    token: Contract<TestErc20>,
    alice: Address,
    bob: Address,
) {
    setup(&rc, &reg, &token, uint!(1_000_U256));
    let first = distribution(
        token.address(),
        &[alice, bob],
        &[uint!(100_U256), uint!(10_U256)],
    );
    rc.sender(UPDATER)
        .submit_root(first.root, NOW - 2 * 86_400)
        .motsu_unwrap();
    rc.sender(alice)
        .process_claim(first.claims[0].clone(), alice)
        .motsu_unwrap();
    let second = distribution(
        token.address(),
        &[alice, bob],
        &[uint!(160_U256), uint!(30_U256)],
    );
    let err = rc
        .sender(UPDATER)
        .submit_root(second.root, NOW - 2 * 86_400)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::NewRootMustBeForNewCalculatedPeriod>());
    rc.sender(UPDATER)
        .submit_root(second.root, NOW - 86_400)
        .motsu_unwrap();
    let mut claim = second.claims[0].clone();
    claim.0 = 1;
    rc.sender(alice).process_claim(claim, alice).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), uint!(160_U256));
}

#[motsu::test]
fn claimers_recipients_and_bad_proofs(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    token: Contract<TestErc20>,
    alice: Address,
    claimer: Address,
    wallet: Address,
) {
    setup(&rc, &reg, &token, uint!(1_000_U256));
    let d = distribution(token.address(), &[alice], &[uint!(70_U256)]);
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - 86_400)
        .motsu_unwrap();
    rc.sender(alice).set_claimer_for(claimer);
    assert_eq!(rc.sender(alice).claimer_for(alice), claimer);
    // The earner itself is no longer the claimer.
    assert!(rc
        .sender(alice)
        .process_claim(d.claims[0].clone(), alice)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::UnauthorizedCaller>());
    // A token not in the tree (wrong amount) fails its proof.
    let mut forged = d.claims[0].clone();
    forged.6 = vec![(token.address(), uint!(700_U256))];
    assert!(rc
        .sender(claimer)
        .process_claim(forged, wallet)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidClaimProof>());
    // An index beyond what the proof can reach.
    let mut far = d.claims[0].clone();
    far.4 = vec![9];
    assert!(rc
        .sender(claimer)
        .process_claim(far, wallet)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidTokenLeafIndex>());
    rc.sender(claimer)
        .process_claim(d.claims[0].clone(), wallet)
        .motsu_unwrap();
    assert_eq!(token.sender(wallet).balance_of(wallet), uint!(70_U256));
}

#[motsu::test]
fn roots_activate_after_the_delay_and_can_be_disabled_before(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    setup(&rc, &reg, &token, uint!(1_000_U256));
    rc.sender(ADMIN).set_activation_delay(3_600).motsu_unwrap();
    let d = distribution(token.address(), &[alice], &[uint!(5_U256)]);
    assert!(rc
        .sender(alice)
        .submit_root(d.root, NOW - 86_400)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::UnauthorizedCaller>());
    assert!(rc
        .sender(UPDATER)
        .submit_root(d.root, NOW)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::RewardsEndTimestampNotElapsed>());
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - 86_400)
        .motsu_unwrap();
    let err = rc
        .sender(alice)
        .process_claim(d.claims[0].clone(), alice)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::RootNotActivated>());
    rc.sender(UPDATER).disable_root(0).motsu_unwrap();
    assert!(rc
        .sender(UPDATER)
        .disable_root(0)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::RootDisabled>());
    let err = rc
        .sender(alice)
        .check_claim(d.claims[0].clone())
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::RootDisabled>());
    assert!(
        rc.sender(alice).get_current_distribution_root().3,
        "the current root is the disabled one"
    );
}

#[motsu::test]
fn paused_claims_revert(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    setup(&rc, &reg, &token, uint!(1_000_U256));
    let d = distribution(token.address(), &[alice], &[uint!(5_U256)]);
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - 86_400)
        .motsu_unwrap();
    rc.sender(ADMIN)
        .pause(U256::from(1u8 << PAUSED_PROCESS_CLAIM))
        .motsu_unwrap();
    assert!(rc
        .sender(alice)
        .process_claim(d.claims[0].clone(), alice)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
}

#[test]
fn leaf_hashes_are_the_packed_encodings() {
    let token = Address::repeat_byte(0xaa);
    let mut expected = vec![1u8];
    expected.extend_from_slice(token.as_slice());
    expected.extend_from_slice(&U256::from(7u8).to_be_bytes::<32>());
    assert_eq!(
        token_leaf_hash(&TokenTreeMerkleLeaf {
            token,
            cumulativeEarnings: U256::from(7u8)
        }),
        keccak256(&expected)
    );
}
