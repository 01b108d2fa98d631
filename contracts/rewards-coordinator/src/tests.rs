//! The RewardsCoordinator as the specification: roots and claims against real two-level trees
//! built here (EigenLayer's leaf encodings); submissions, splits and configuration against the
//! real PauserRegistry, PermissionController and an ERC-20, with one stand-in for the
//! StrategyManager's whitelist, the DelegationManager's operators and the AllocationManager's
//! operator sets. Expected values (hashes, amounts, timestamps) are worked out here by hand or
//! with alloy's generic ABI encoder, never read back from the code under test.
use alloy_primitives::{keccak256, uint, Address, FixedBytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use ferrostake_interfaces::{
    IFerrostakeErrors, IPausable, IPermissionControllerMixin, IRewardsCoordinator,
    OperatorDirectedRewardsSubmission, OperatorReward, OperatorSet, RewardsSubmission,
    StrategyAndMultiplier,
};
use ferrostake_pauser_registry::PauserRegistry;
use ferrostake_permission_controller::PermissionController;
use ferrostake_test_erc20::TestErc20;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::IErc20;
use stylus_sdk::storage::{StorageBool, StorageMap, StorageU256};

use super::*;

const ADMIN: Address = Address::new([0xad; 20]);
const PAUSER: Address = Address::new([0xa5; 20]);
const FEES: Address = Address::new([0xfe; 20]);
const UPDATER: Address = Address::new([
    0x0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x77,
]);
/// Two whitelisted strategies, below the beacon-chain pseudo-strategy (0xbeac0e…) in address order.
const STRAT_A: Address = Address::new([0x11; 20]);
const STRAT_B: Address = Address::new([0x22; 20]);
/// Not whitelisted.
const STRAT_X: Address = Address::new([0x33; 20]);
const BEACON: Address = address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// Operators, ascending.
const OP_1: Address = Address::new([0x01; 20]);
const OP_2: Address = Address::new([0x02; 20]);

/// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
const NOW: u32 = 1_735_689_600;
const DAY: u32 = 86_400;
const WEEK: u32 = 604_800;
/// 2829 weeks after the epoch (EigenLayer mainnet's genesis, 2024-03-21).
const GENESIS: u32 = 1_710_979_200;
const RETRO: u32 = 90 * DAY;
const FUTURE: u32 = 30 * DAY;
const MAX_DURATION: u32 = 730 * DAY;
/// The week boundaries around NOW: 2869 weeks (6 days before NOW) and the limits of the window.
const THIS_WEEK: u32 = 2_869 * WEEK;
/// NOW − RETRO = 1,727,913,600 = 2857 weeks exactly: the earliest valid start.
const EARLIEST: u32 = 2_857 * WEEK;
/// NOW + FUTURE = 1,738,281,600; 2874 weeks = 1,738,195,200 is the last boundary before it.
const LATEST: u32 = 2_874 * WEEK;

/// The StrategyManager's whitelist, the DelegationManager's operators and the AllocationManager's
/// operator sets, in one stand-in (their selectors do not collide).
#[storage]
struct MockCore {
    whitelisted: StorageMap<Address, StorageBool>,
    operators: StorageMap<Address, StorageBool>,
    sets: StorageMap<B256, StorageBool>,
    set_counts: StorageMap<Address, StorageU256>,
}

unsafe impl TopLevelStorage for MockCore {}

#[public]
impl MockCore {
    fn whitelist(&mut self, strategy: Address) {
        self.whitelisted.setter(strategy).set(true);
    }
    fn add_operator(&mut self, operator: Address) {
        self.operators.setter(operator).set(true);
    }
    fn add_set(&mut self, avs: Address, id: u32) {
        self.sets.setter(set_key(avs, id)).set(true);
        let n = self.set_counts.get(avs);
        self.set_counts.setter(avs).set(n + U256::from(1u8));
    }
    #[selector(name = "strategyIsWhitelistedForDeposit")]
    fn strategy_is_whitelisted_for_deposit(&self, strategy: Address) -> bool {
        self.whitelisted.get(strategy)
    }
    #[selector(name = "isOperator")]
    fn is_operator(&self, operator: Address) -> bool {
        self.operators.get(operator)
    }
    #[selector(name = "isOperatorSet")]
    fn is_operator_set(&self, set: (Address, u32)) -> bool {
        self.sets.get(set_key(set.0, set.1))
    }
    #[selector(name = "getOperatorSetCount")]
    fn get_operator_set_count(&self, avs: Address) -> U256 {
        self.set_counts.get(avs)
    }
}

fn params(reg: Address, pc: Address, core: Address, genesis: u32) -> RewardsCoordinatorInitParams {
    RewardsCoordinatorInitParams {
        delegationManager: core,
        strategyManager: core,
        allocationManager: core,
        pauserRegistry: reg,
        permissionController: pc,
        calculationIntervalSeconds: WEEK,
        maxRewardsDuration: MAX_DURATION,
        maxRetroactiveLength: RETRO,
        maxFutureLength: FUTURE,
        genesisRewardsTimestamp: genesis,
        initialOwner: ADMIN,
        initialPausedStatus: U256::ZERO,
        rewardsUpdater: UPDATER,
        activationDelay: 0,
        defaultSplitBips: 1_000,
        feeRecipient: FEES,
    }
}

fn setup_with(
    rc: &Contract<RewardsCoordinator>,
    reg: &Contract<PauserRegistry>,
    pc: &Contract<PermissionController>,
    core: &Contract<MockCore>,
    genesis: u32,
) {
    reg.sender(ADMIN)
        .initialize(vec![PAUSER], ADMIN)
        .motsu_unwrap();
    rc.sender(ADMIN)
        .initialize(params(reg.address(), pc.address(), core.address(), genesis))
        .motsu_unwrap();
    core.sender(ADMIN).whitelist(STRAT_A);
    core.sender(ADMIN).whitelist(STRAT_B);
}

/// Initialized with the test calendar; `funded` tokens already in the RewardsCoordinator.
fn setup(
    rc: &Contract<RewardsCoordinator>,
    reg: &Contract<PauserRegistry>,
    pc: &Contract<PermissionController>,
    core: &Contract<MockCore>,
    token: &Contract<TestErc20>,
    funded: U256,
) {
    setup_with(rc, reg, pc, core, GENESIS);
    token
        .sender(ADMIN)
        .mint(rc.address(), funded)
        .motsu_unwrap();
}

/// Mints `amount` to `who` and approves the RewardsCoordinator for it.
fn fund(
    token: &Contract<TestErc20>,
    rc: &Contract<RewardsCoordinator>,
    who: Address,
    amount: U256,
) {
    token.sender(ADMIN).mint(who, amount).motsu_unwrap();
    token
        .sender(who)
        .approve(rc.address(), amount)
        .motsu_unwrap();
}

fn sam(strategies: &[Address]) -> Vec<StrategyAndMultiplier> {
    strategies
        .iter()
        .map(|s| StrategyAndMultiplier {
            strategy: *s,
            multiplier: alloy_primitives::Uint::<96, 2>::from(1_000_000_000_000_000_000u128),
        })
        .collect()
}

fn submission(token: Address, amount: u64, start: u32, duration: u32) -> RewardsSubmission {
    RewardsSubmission {
        strategiesAndMultipliers: sam(&[STRAT_A, STRAT_B, BEACON]),
        token,
        amount: U256::from(amount),
        startTimestamp: start,
        duration,
    }
}

/// An operator-directed submission over the (fully elapsed) week before THIS_WEEK.
fn directed(token: Address, rewards: &[(Address, u64)]) -> OperatorDirectedRewardsSubmission {
    OperatorDirectedRewardsSubmission {
        strategiesAndMultipliers: sam(&[STRAT_A, BEACON]),
        token,
        operatorRewards: rewards
            .iter()
            .map(|(o, a)| OperatorReward {
                operator: *o,
                amount: U256::from(*a),
            })
            .collect(),
        startTimestamp: THIS_WEEK - WEEK,
        duration: WEEK,
        description: "uptime bonus".into(),
    }
}

/// `keccak256(abi.encode(avs, nonce, submission))`, with alloy's generic encoder.
fn expected_hash<T: SolValue>(avs: Address, nonce: u64, s: T) -> B256 {
    keccak256((avs, U256::from(nonce), s).abi_encode_params())
}

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

// ------------------------------------------------------------------------------------------------
// Roots and claims
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn earners_claim_exactly_their_cumulative_amounts_once(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, uint!(1_000_U256));
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
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    alice: Address,
    bob: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, uint!(1_000_U256));
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
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    alice: Address,
    claimer: Address,
    wallet: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, uint!(1_000_U256));
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
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, uint!(1_000_U256));
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
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    alice: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, uint!(1_000_U256));
    let d = distribution(token.address(), &[alice], &[uint!(5_U256)]);
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - 86_400)
        .motsu_unwrap();
    rc.sender(PAUSER)
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

// ------------------------------------------------------------------------------------------------
// Initialization
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn initialize_checks_the_calendar_and_wiring_and_runs_once(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
) {
    reg.sender(ADMIN)
        .initialize(vec![PAUSER], ADMIN)
        .motsu_unwrap();
    let good = params(reg.address(), pc.address(), core.address(), GENESIS);
    let bad = |f: &dyn Fn(&mut RewardsCoordinatorInitParams)| {
        let mut p = good.clone();
        f(&mut p);
        rc.sender(ADMIN).initialize(p).motsu_unwrap_err()
    };
    // 7 days + 1 hour is not a whole number of daily snapshots; zero is no interval.
    assert!(bad(&|p| p.calculationIntervalSeconds = WEEK + 3_600)
        .is::<IRewardsCoordinator::InvalidCalculationIntervalSecondsRemainder>());
    assert!(bad(&|p| p.calculationIntervalSeconds = 0)
        .is::<IRewardsCoordinator::InvalidCalculationIntervalSecondsRemainder>());
    // Genesis one day after a week boundary.
    assert!(bad(&|p| p.genesisRewardsTimestamp = GENESIS + DAY)
        .is::<IRewardsCoordinator::InvalidGenesisRewardsTimestampRemainder>());
    assert!(
        bad(&|p| p.strategyManager = Address::ZERO).is::<IRewardsCoordinator::InputAddressZero>()
    );
    assert!(bad(&|p| p.permissionController = Address::ZERO)
        .is::<IRewardsCoordinator::InputAddressZero>());
    assert!(bad(&|p| p.defaultSplitBips = 10_001).is::<IRewardsCoordinator::SplitExceedsMax>());
    assert!(
        bad(&|p| p.feeRecipient = Address::ZERO).is::<IRewardsCoordinator::InvalidAddressZero>()
    );
    assert!(bad(&|p| p.pauserRegistry = Address::ZERO).is::<IPausable::InputAddressZero>());
    assert!(bad(&|p| p.initialOwner = Address::ZERO).is::<IFerrostakeErrors::OwnableInvalidOwner>());
    // Nothing stuck: the failed attempts left it uninitialized.
    assert_eq!(rc.sender(ADMIN).owner(), Address::ZERO);

    rc.sender(ADMIN).initialize(good.clone()).motsu_unwrap();
    assert_eq!(
        rc.sender(ADMIN).calendar(),
        (WEEK, MAX_DURATION, RETRO, FUTURE, GENESIS)
    );
    assert_eq!(
        rc.sender(ADMIN).wiring(),
        (
            core.address(),
            core.address(),
            core.address(),
            pc.address(),
            reg.address()
        )
    );
    assert_eq!(rc.sender(ADMIN).owner(), ADMIN);
    assert_eq!(rc.sender(ADMIN).rewards_updater(), UPDATER);
    assert_eq!(rc.sender(ADMIN).default_operator_split_bips(), 1_000);
    assert_eq!(rc.sender(ADMIN).fee_recipient(), FEES);
    rc.assert_emitted(&IRewardsCoordinator::DefaultOperatorSplitBipsSet {
        oldDefaultOperatorSplitBips: 0,
        newDefaultOperatorSplitBips: 1_000,
    });
    rc.assert_emitted(&IRewardsCoordinator::FeeRecipientSet {
        oldFeeRecipient: Address::ZERO,
        newFeeRecipient: FEES,
    });
    rc.assert_emitted(&IRewardsCoordinator::RewardsUpdaterSet {
        oldRewardsUpdater: Address::ZERO,
        newRewardsUpdater: UPDATER,
    });
    assert!(rc
        .sender(ADMIN)
        .initialize(good)
        .motsu_unwrap_err()
        .is::<IFerrostakeErrors::AlreadyInitialized>());
}

#[motsu::test]
fn initialize_is_served_from_abi_calldata(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
) {
    reg.sender(ADMIN)
        .initialize(vec![PAUSER], ADMIN)
        .motsu_unwrap();
    let p = params(reg.address(), pc.address(), core.address(), GENESIS);
    let data = IRewardsCoordinator::initializeCall { params: p }.abi_encode();
    // The selector the ABI test pins for initialize((…16 fields…)).
    let out = rc.sender(ADMIN).serve_core(&data);
    assert_eq!(out, Some(Ok(Vec::new())));
    assert_eq!(rc.sender(ADMIN).owner(), ADMIN);
    // Truncated calldata reverts with empty data; unknown selectors are not the core's.
    assert_eq!(
        rc.sender(ADMIN).serve_core(&data[..40]),
        Some(Err(Vec::new()))
    );
    assert_eq!(rc.sender(ADMIN).serve_core(&[0xde, 0xad, 0xbe, 0xef]), None);
}

// ------------------------------------------------------------------------------------------------
// AVS submissions
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn an_avs_submission_escrows_tokens_and_records_hash_nonce_and_event(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    fund(&token, &rc, avs, uint!(10_000_U256));
    let first = submission(token.address(), 1_000, THIS_WEEK, 4 * WEEK);
    // Starts at the earliest retroactive boundary; only beacon ETH.
    let mut second = submission(token.address(), 2_500, EARLIEST, WEEK);
    second.strategiesAndMultipliers = sam(&[BEACON]);
    rc.sender(avs)
        .create_avs_rewards_submission(vec![first.clone(), second.clone()])
        .motsu_unwrap();

    assert_eq!(
        token.sender(avs).balance_of(rc.address()),
        uint!(3_500_U256)
    );
    assert_eq!(token.sender(avs).balance_of(avs), uint!(6_500_U256));
    assert_eq!(rc.sender(avs).submission_nonce(avs), uint!(2_U256));
    let h0 = expected_hash(avs, 0, first.clone());
    let h1 = expected_hash(avs, 1, second.clone());
    assert_ne!(h0, h1);
    assert!(rc.sender(avs).is_submission_hash(kind::AVS, avs, h0));
    assert!(rc.sender(avs).is_submission_hash(kind::AVS, avs, h1));
    // Recorded under its own type and AVS only.
    assert!(!rc.sender(avs).is_submission_hash(kind::FOR_ALL, avs, h0));
    assert!(!rc
        .sender(avs)
        .is_submission_hash(kind::UNIQUE_STAKE, avs, h0));
    assert!(!rc.sender(avs).is_submission_hash(kind::AVS, ADMIN, h0));
    rc.assert_emitted(&IRewardsCoordinator::AVSRewardsSubmissionCreated {
        avs,
        submissionNonce: U256::ZERO,
        rewardsSubmissionHash: h0,
        rewardsSubmission: first,
    });
    rc.assert_emitted(&IRewardsCoordinator::AVSRewardsSubmissionCreated {
        avs,
        submissionNonce: uint!(1_U256),
        rewardsSubmissionHash: h1,
        rewardsSubmission: second,
    });
}

#[motsu::test]
fn submissions_are_served_from_abi_calldata(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    fund(&token, &rc, avs, uint!(1_000_U256));
    let s = submission(token.address(), 600, THIS_WEEK, WEEK);
    let data = IRewardsCoordinator::createAVSRewardsSubmissionCall {
        rewardsSubmissions: vec![s.clone()],
    }
    .abi_encode();
    assert_eq!(Program::of(&data), Program::Submissions);
    assert_eq!(rc.sender(avs).serve_submissions(&data), Ok(Vec::new()));
    assert!(rc
        .sender(avs)
        .is_submission_hash(kind::AVS, avs, expected_hash(avs, 0, s.clone())));
    // A typed error comes back as its ABI encoding.
    let again = IRewardsCoordinator::createAVSRewardsSubmissionCall {
        rewardsSubmissions: vec![RewardsSubmission {
            amount: U256::ZERO,
            ..s
        }],
    }
    .abi_encode();
    let err = rc.sender(avs).serve_submissions(&again).motsu_unwrap_err();
    assert_eq!(err, IRewardsCoordinator::AmountIsZero {}.abi_encode());
    // Garbage reverts empty.
    assert_eq!(
        rc.sender(avs).serve_submissions(&data[..50]),
        Err(Vec::new())
    );
    assert_eq!(
        rc.sender(avs).serve_submissions(
            &IRewardsCoordinator::submitRootCall {
                root: B256::ZERO,
                rewardsCalculationEndTimestamp: 0
            }
            .abi_encode()
        ),
        Err(Vec::new())
    );
}

/// What a failed submission must not have changed.
fn untouched(
    rc: &Contract<RewardsCoordinator>,
    token: &Contract<TestErc20>,
    avs: Address,
    funded: U256,
) {
    assert_eq!(rc.sender(avs).submission_nonce(avs), U256::ZERO);
    assert_eq!(token.sender(avs).balance_of(avs), funded);
    assert_eq!(token.sender(avs).balance_of(rc.address()), U256::ZERO);
}

#[motsu::test]
fn every_invalid_amount_submission_reverts_with_its_error_and_changes_nothing(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    let funded = uint!(10_000_U256);
    fund(&token, &rc, avs, funded);
    let t = token.address();
    let ok = submission(t, 100, THIS_WEEK, WEEK);
    let check = |s: RewardsSubmission, expected: &[u8]| {
        // Also behind a valid submission: the whole call reverts.
        let err = rc
            .sender(avs)
            .create_avs_rewards_submission(vec![ok.clone(), s])
            .motsu_unwrap_err();
        assert_eq!(err.0, expected);
        untouched(&rc, &token, avs, funded);
    };
    let with = |f: &dyn Fn(&mut RewardsSubmission)| {
        let mut s = ok.clone();
        f(&mut s);
        s
    };
    check(
        with(&|s| s.strategiesAndMultipliers.clear()),
        &IRewardsCoordinator::InputArrayLengthZero {}.abi_encode(),
    );
    check(
        with(&|s| s.amount = U256::ZERO),
        &IRewardsCoordinator::AmountIsZero {}.abi_encode(),
    );
    // 1e38 is one above the maximum.
    check(
        with(&|s| s.amount = U256::from(10u8).pow(U256::from(38u8))),
        &IRewardsCoordinator::AmountExceedsMax {}.abi_encode(),
    );
    // 731 days is over 730 (and not whole weeks: the maximum is checked first).
    check(
        with(&|s| s.duration = MAX_DURATION + DAY),
        &IRewardsCoordinator::DurationExceedsMax {}.abi_encode(),
    );
    check(
        with(&|s| s.duration = WEEK + DAY),
        &IRewardsCoordinator::InvalidDurationRemainder {}.abi_encode(),
    );
    check(
        with(&|s| s.duration = 0),
        &IRewardsCoordinator::DurationIsZero {}.abi_encode(),
    );
    check(
        with(&|s| s.startTimestamp = THIS_WEEK + DAY),
        &IRewardsCoordinator::InvalidStartTimestampRemainder {}.abi_encode(),
    );
    check(
        with(&|s| s.startTimestamp = EARLIEST - WEEK),
        &IRewardsCoordinator::StartTimestampTooFarInPast {}.abi_encode(),
    );
    check(
        with(&|s| s.startTimestamp = LATEST + WEEK),
        &IRewardsCoordinator::StartTimestampTooFarInFuture {}.abi_encode(),
    );
    check(
        with(&|s| s.strategiesAndMultipliers = sam(&[STRAT_A, STRAT_X])),
        &IRewardsCoordinator::StrategyNotWhitelisted {}.abi_encode(),
    );
    check(
        with(&|s| s.strategiesAndMultipliers = sam(&[STRAT_B, STRAT_A])),
        &IRewardsCoordinator::StrategiesNotInAscendingOrder {}.abi_encode(),
    );
    check(
        with(&|s| s.strategiesAndMultipliers = sam(&[STRAT_A, STRAT_A])),
        &IRewardsCoordinator::StrategiesNotInAscendingOrder {}.abi_encode(),
    );
    // More than the AVS approved: the transfer fails (SafeERC20 semantics).
    check(
        with(&|s| s.amount = funded + U256::from(1u8)),
        &IFerrostakeErrors::SafeERC20FailedOperation { token: t }.abi_encode(),
    );
    // The limits themselves are valid.
    rc.sender(avs)
        .create_avs_rewards_submission(vec![
            with(&|s| s.startTimestamp = EARLIEST),
            with(&|s| s.startTimestamp = LATEST),
            with(&|s| s.duration = 104 * WEEK),
        ])
        .motsu_unwrap();
    assert_eq!(rc.sender(avs).submission_nonce(avs), uint!(3_U256));
}

#[motsu::test]
fn the_genesis_timestamp_bounds_the_retroactive_window(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
) {
    // Genesis at THIS_WEEK: later than NOW − 90 days, so it is the bound.
    setup_with(&rc, &reg, &pc, &core, THIS_WEEK);
    fund(&token, &rc, avs, uint!(1_000_U256));
    let err = rc
        .sender(avs)
        .create_avs_rewards_submission(vec![submission(
            token.address(),
            10,
            THIS_WEEK - WEEK,
            WEEK,
        )])
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::StartTimestampTooFarInPast>());
    rc.sender(avs)
        .create_avs_rewards_submission(vec![submission(token.address(), 10, THIS_WEEK, WEEK)])
        .motsu_unwrap();
}

/// One call to try, paused and unpaused.
type Attempt<'a> = Box<dyn Fn() -> Result<(), Revert> + 'a>;

#[motsu::test]
fn paused_submissions_revert(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    core.sender(ADMIN).add_set(avs, 1);
    rc.sender(ADMIN)
        .set_rewards_for_all_submitter(avs, true)
        .motsu_unwrap();
    fund(&token, &rc, avs, uint!(1_000_U256));
    let s = || vec![submission(token.address(), 10, THIS_WEEK, WEEK)];
    let d = || vec![directed(token.address(), &[(OP_1, 10)])];
    let set = OperatorSet { avs, id: 1 };
    let cases: Vec<(u8, Attempt)> = vec![
        (
            PAUSED_AVS_REWARDS_SUBMISSION,
            Box::new(|| rc.sender(avs).create_avs_rewards_submission(s())),
        ),
        (
            PAUSED_REWARDS_FOR_ALL_SUBMISSION,
            Box::new(|| rc.sender(avs).create_rewards_for_all_submission(s())),
        ),
        (
            PAUSED_REWARD_ALL_STAKERS_AND_OPERATORS,
            Box::new(|| rc.sender(avs).create_rewards_for_all_earners(s())),
        ),
        (
            PAUSED_OPERATOR_DIRECTED_AVS_REWARDS_SUBMISSION,
            Box::new(|| {
                rc.sender(avs)
                    .create_operator_directed_avs_rewards_submission(avs, d())
            }),
        ),
        (
            PAUSED_OPERATOR_DIRECTED_OPERATOR_SET_REWARDS_SUBMISSION,
            Box::new(|| {
                rc.sender(avs)
                    .create_operator_directed_operator_set_rewards_submission(set.clone(), d())
            }),
        ),
        (
            PAUSED_UNIQUE_STAKE_REWARDS_SUBMISSION,
            Box::new(|| {
                rc.sender(avs)
                    .create_unique_stake_rewards_submission(set.clone(), s())
            }),
        ),
        (
            PAUSED_TOTAL_STAKE_REWARDS_SUBMISSION,
            Box::new(|| {
                rc.sender(avs)
                    .create_total_stake_rewards_submission(set.clone(), s())
            }),
        ),
    ];
    let mut all = U256::ZERO;
    for (bit, f) in &cases {
        // Every other bit paused so far does not stop this one.
        f().motsu_unwrap();
        all |= U256::from(1u16) << *bit as usize;
        rc.sender(PAUSER).pause(all).motsu_unwrap();
        let err = f().motsu_unwrap_err();
        assert!(err.is::<IPausable::CurrentlyPaused>(), "bit {bit}");
    }
    assert_eq!(rc.sender(avs).submission_nonce(avs), uint!(7_U256));
}

#[motsu::test]
fn opted_in_submitters_pay_the_protocol_fee_and_record_net_amounts(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
    stranger: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    fund(&token, &rc, avs, uint!(10_000_U256));
    // Only the submitter (or its admins/appointees) may opt it in.
    let err = rc
        .sender(stranger)
        .set_opt_in_for_protocol_fee(avs, true)
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    assert!(!rc.sender(avs).is_opted_in_for_protocol_fee(avs));
    rc.sender(avs)
        .set_opt_in_for_protocol_fee(avs, true)
        .motsu_unwrap();
    assert!(rc.sender(avs).is_opted_in_for_protocol_fee(avs));
    rc.assert_emitted(&IRewardsCoordinator::OptInForProtocolFeeSet {
        submitter: avs,
        oldValue: false,
        newValue: true,
    });

    // 1,005 in: 20 % = 201 to the fee recipient, 804 escrowed and recorded.
    let gross = submission(token.address(), 1_005, THIS_WEEK, WEEK);
    rc.sender(avs)
        .create_avs_rewards_submission(vec![gross.clone()])
        .motsu_unwrap();
    assert_eq!(token.sender(avs).balance_of(FEES), uint!(201_U256));
    assert_eq!(token.sender(avs).balance_of(rc.address()), uint!(804_U256));
    assert_eq!(token.sender(avs).balance_of(avs), uint!(8_995_U256));
    let net = RewardsSubmission {
        amount: uint!(804_U256),
        ..gross.clone()
    };
    let h = expected_hash(avs, 0, net.clone());
    assert!(rc.sender(avs).is_submission_hash(kind::AVS, avs, h));
    assert!(!rc
        .sender(avs)
        .is_submission_hash(kind::AVS, avs, expected_hash(avs, 0, gross)));
    rc.assert_emitted(&IRewardsCoordinator::AVSRewardsSubmissionCreated {
        avs,
        submissionNonce: U256::ZERO,
        rewardsSubmissionHash: h,
        rewardsSubmission: net,
    });

    // Operator-directed: each operator's amount is reduced (7 → 6 with a fee of 1; 50 → 40).
    rc.sender(avs)
        .create_operator_directed_avs_rewards_submission(
            avs,
            vec![directed(token.address(), &[(OP_1, 7), (OP_2, 50)])],
        )
        .motsu_unwrap();
    assert_eq!(token.sender(avs).balance_of(FEES), uint!(212_U256));
    assert_eq!(token.sender(avs).balance_of(rc.address()), uint!(850_U256));
    let net = directed(token.address(), &[(OP_1, 6), (OP_2, 40)]);
    assert!(rc.sender(avs).is_submission_hash(
        kind::OPERATOR_DIRECTED_AVS,
        avs,
        expected_hash(avs, 1, net)
    ));

    // Opting out stops the fee.
    rc.sender(avs)
        .set_opt_in_for_protocol_fee(avs, false)
        .motsu_unwrap();
    rc.sender(avs)
        .create_avs_rewards_submission(vec![submission(token.address(), 100, THIS_WEEK, WEEK)])
        .motsu_unwrap();
    assert_eq!(token.sender(avs).balance_of(FEES), uint!(212_U256));
    assert_eq!(token.sender(avs).balance_of(rc.address()), uint!(950_U256));
}

#[test]
fn the_fee_is_a_fifth_rounded_down_and_the_max_amount_is_1e38_minus_1() {
    assert_eq!(
        submissions::protocol_fee(uint!(1_005_U256)),
        uint!(201_U256)
    );
    assert_eq!(submissions::protocol_fee(uint!(4_U256)), U256::ZERO);
    assert_eq!(submissions::protocol_fee(uint!(5_U256)), uint!(1_U256));
    assert_eq!(
        MAX_REWARDS_AMOUNT,
        U256::from(10u8).pow(U256::from(38u8)) - U256::from(1u8)
    );
}

#[motsu::test]
fn rewards_for_all_need_a_whitelisted_submitter(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    hopper: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    fund(&token, &rc, hopper, uint!(1_000_U256));
    let s = submission(token.address(), 300, THIS_WEEK, WEEK);
    for f in [
        RewardsCoordinator::create_rewards_for_all_submission,
        RewardsCoordinator::create_rewards_for_all_earners,
    ] {
        let err = f(&mut rc.sender(hopper), vec![s.clone()]).motsu_unwrap_err();
        assert!(err.is::<IRewardsCoordinator::UnauthorizedCaller>());
    }
    assert_eq!(rc.sender(hopper).submission_nonce(hopper), U256::ZERO);
    // Only the owner whitelists.
    let err = rc
        .sender(hopper)
        .set_rewards_for_all_submitter(hopper, true)
        .motsu_unwrap_err();
    assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    rc.sender(ADMIN)
        .set_rewards_for_all_submitter(hopper, true)
        .motsu_unwrap();
    assert!(rc.sender(ADMIN).is_rewards_for_all_submitter(hopper));
    rc.assert_emitted(&IRewardsCoordinator::RewardsForAllSubmitterSet {
        rewardsForAllSubmitter: hopper,
        oldValue: false,
        newValue: true,
    });

    rc.sender(hopper)
        .create_rewards_for_all_submission(vec![s.clone()])
        .motsu_unwrap();
    rc.sender(hopper)
        .create_rewards_for_all_earners(vec![s.clone()])
        .motsu_unwrap();
    let h0 = expected_hash(hopper, 0, s.clone());
    let h1 = expected_hash(hopper, 1, s.clone());
    assert!(rc
        .sender(hopper)
        .is_submission_hash(kind::FOR_ALL, hopper, h0));
    assert!(!rc
        .sender(hopper)
        .is_submission_hash(kind::FOR_ALL_EARNERS, hopper, h0));
    assert!(rc
        .sender(hopper)
        .is_submission_hash(kind::FOR_ALL_EARNERS, hopper, h1));
    rc.assert_emitted(&IRewardsCoordinator::RewardsSubmissionForAllCreated {
        submitter: hopper,
        submissionNonce: U256::ZERO,
        rewardsSubmissionHash: h0,
        rewardsSubmission: s.clone(),
    });
    rc.assert_emitted(
        &IRewardsCoordinator::RewardsSubmissionForAllEarnersCreated {
            tokenHopper: hopper,
            submissionNonce: uint!(1_U256),
            rewardsSubmissionHash: h1,
            rewardsSubmission: s.clone(),
        },
    );
    assert_eq!(
        token.sender(hopper).balance_of(rc.address()),
        uint!(600_U256)
    );
    // Removed again.
    rc.sender(ADMIN)
        .set_rewards_for_all_submitter(hopper, false)
        .motsu_unwrap();
    assert!(rc
        .sender(hopper)
        .create_rewards_for_all_submission(vec![s])
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::UnauthorizedCaller>());
}

#[motsu::test]
fn eigen_da_submissions_need_the_emissions_controller_which_is_unset(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    fund(&token, &rc, avs, uint!(1_000_U256));
    let err = rc
        .sender(avs)
        .create_eigen_da_rewards_submission(
            avs,
            vec![submission(token.address(), 10, THIS_WEEK, WEEK)],
        )
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::UnauthorizedCaller>());
    untouched(&rc, &token, avs, uint!(1_000_U256));
}

// ------------------------------------------------------------------------------------------------
// Operator-directed and operator-set submissions
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn operator_directed_avs_submissions_pay_named_operators_retroactively(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
    appointee: Address,
    stranger: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    let funded = uint!(10_000_U256);
    fund(&token, &rc, avs, funded);
    let t = token.address();
    let ok = directed(t, &[(OP_1, 100), (OP_2, 250)]);

    // A stranger may not submit for the AVS.
    let err = rc
        .sender(stranger)
        .create_operator_directed_avs_rewards_submission(avs, vec![ok.clone()])
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());

    let check = |s: OperatorDirectedRewardsSubmission, expected: Vec<u8>| {
        let err = rc
            .sender(avs)
            .create_operator_directed_avs_rewards_submission(avs, vec![ok.clone(), s])
            .motsu_unwrap_err();
        assert_eq!(err.0, expected);
        untouched(&rc, &token, avs, funded);
    };
    let with = |f: &dyn Fn(&mut OperatorDirectedRewardsSubmission)| {
        let mut s = ok.clone();
        f(&mut s);
        s
    };
    check(
        with(&|s| s.operatorRewards.clear()),
        IRewardsCoordinator::InputArrayLengthZero {}.abi_encode(),
    );
    check(
        with(&|s| s.strategiesAndMultipliers.clear()),
        IRewardsCoordinator::InputArrayLengthZero {}.abi_encode(),
    );
    check(
        directed(t, &[(Address::ZERO, 1), (OP_1, 1)]),
        IRewardsCoordinator::InputAddressZero {}.abi_encode(),
    );
    check(
        directed(t, &[(OP_2, 1), (OP_1, 1)]),
        IRewardsCoordinator::OperatorsNotInAscendingOrder {}.abi_encode(),
    );
    check(
        directed(t, &[(OP_1, 1), (OP_1, 1)]),
        IRewardsCoordinator::OperatorsNotInAscendingOrder {}.abi_encode(),
    );
    check(
        directed(t, &[(OP_1, 1), (OP_2, 0)]),
        IRewardsCoordinator::AmountIsZero {}.abi_encode(),
    );
    // 6e37 + 6e37 = 1.2e38 > 1e38 − 1, though each is below it.
    let big = U256::from(6u8) * U256::from(10u8).pow(U256::from(37u8));
    check(
        with(&|s| {
            s.operatorRewards[0].amount = big;
            s.operatorRewards[1].amount = big;
        }),
        IRewardsCoordinator::AmountExceedsMax {}.abi_encode(),
    );
    // Sums past 2^256 are over the maximum too, not an overflow panic.
    check(
        with(&|s| {
            s.operatorRewards[0].amount = U256::MAX;
            s.operatorRewards[1].amount = U256::MAX;
        }),
        IRewardsCoordinator::AmountExceedsMax {}.abi_encode(),
    );
    // THIS_WEEK + 1 week ends after NOW: not wholly in the past.
    check(
        with(&|s| s.startTimestamp = THIS_WEEK),
        IRewardsCoordinator::SubmissionNotRetroactive {}.abi_encode(),
    );
    check(
        with(&|s| s.duration = WEEK + 1),
        IRewardsCoordinator::InvalidDurationRemainder {}.abi_encode(),
    );
    check(
        with(&|s| s.strategiesAndMultipliers = sam(&[BEACON, STRAT_A])),
        IRewardsCoordinator::StrategiesNotInAscendingOrder {}.abi_encode(),
    );

    rc.sender(avs)
        .create_operator_directed_avs_rewards_submission(avs, vec![ok.clone()])
        .motsu_unwrap();
    assert_eq!(token.sender(avs).balance_of(rc.address()), uint!(350_U256));
    let h = expected_hash(avs, 0, ok.clone());
    assert!(rc
        .sender(avs)
        .is_submission_hash(kind::OPERATOR_DIRECTED_AVS, avs, h));
    rc.assert_emitted(
        &IRewardsCoordinator::OperatorDirectedAVSRewardsSubmissionCreated {
            caller: avs,
            avs,
            operatorDirectedRewardsSubmissionHash: h,
            submissionNonce: U256::ZERO,
            operatorDirectedRewardsSubmission: ok.clone(),
        },
    );

    // An appointee for this function submits for the AVS, paying from its own balance.
    pc.sender(avs)
        .set_appointee(
            avs,
            appointee,
            rc.address(),
            FixedBytes::from(
                IRewardsCoordinator::createOperatorDirectedAVSRewardsSubmissionCall::SELECTOR,
            ),
        )
        .motsu_unwrap();
    fund(&token, &rc, appointee, uint!(350_U256));
    rc.sender(appointee)
        .create_operator_directed_avs_rewards_submission(avs, vec![ok.clone()])
        .motsu_unwrap();
    assert_eq!(token.sender(avs).balance_of(appointee), U256::ZERO);
    assert_eq!(rc.sender(avs).submission_nonce(avs), uint!(2_U256));
    rc.assert_emitted(
        &IRewardsCoordinator::OperatorDirectedAVSRewardsSubmissionCreated {
            caller: appointee,
            avs,
            operatorDirectedRewardsSubmissionHash: expected_hash(avs, 1, ok.clone()),
            submissionNonce: uint!(1_U256),
            operatorDirectedRewardsSubmission: ok,
        },
    );
}

#[motsu::test]
fn operator_set_submissions_need_an_existing_set(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    avs: Address,
    stranger: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, U256::ZERO);
    let funded = uint!(10_000_U256);
    fund(&token, &rc, avs, funded);
    let t = token.address();
    let set = OperatorSet { avs, id: 7 };
    let d = directed(t, &[(OP_1, 40)]);
    let s = submission(t, 500, THIS_WEEK, 2 * WEEK);

    // The set does not exist yet.
    let err = rc
        .sender(avs)
        .create_operator_directed_operator_set_rewards_submission(set.clone(), vec![d.clone()])
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::InvalidOperatorSet>());
    let err = rc
        .sender(avs)
        .create_unique_stake_rewards_submission(set.clone(), vec![s.clone()])
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::InvalidOperatorSet>());
    let err = rc
        .sender(avs)
        .create_total_stake_rewards_submission(set.clone(), vec![s.clone()])
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::InvalidOperatorSet>());
    untouched(&rc, &token, avs, funded);

    core.sender(ADMIN).add_set(avs, 7);
    // Only the AVS side.
    for err in [
        rc.sender(stranger)
            .create_operator_directed_operator_set_rewards_submission(set.clone(), vec![d.clone()])
            .motsu_unwrap_err(),
        rc.sender(stranger)
            .create_unique_stake_rewards_submission(set.clone(), vec![s.clone()])
            .motsu_unwrap_err(),
        rc.sender(stranger)
            .create_total_stake_rewards_submission(set.clone(), vec![s.clone()])
            .motsu_unwrap_err(),
    ] {
        assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    }
    // Validation applies (not retroactive; amount zero).
    let err = rc
        .sender(avs)
        .create_operator_directed_operator_set_rewards_submission(
            set.clone(),
            vec![OperatorDirectedRewardsSubmission {
                startTimestamp: THIS_WEEK,
                ..d.clone()
            }],
        )
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::SubmissionNotRetroactive>());
    let err = rc
        .sender(avs)
        .create_total_stake_rewards_submission(
            set.clone(),
            vec![RewardsSubmission {
                amount: U256::ZERO,
                ..s.clone()
            }],
        )
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::AmountIsZero>());
    untouched(&rc, &token, avs, funded);

    rc.sender(avs)
        .create_operator_directed_operator_set_rewards_submission(set.clone(), vec![d.clone()])
        .motsu_unwrap();
    // Forward-looking stake rewards are allowed (start in the future, within the window).
    let future = RewardsSubmission {
        startTimestamp: LATEST,
        ..s.clone()
    };
    rc.sender(avs)
        .create_unique_stake_rewards_submission(set.clone(), vec![future.clone()])
        .motsu_unwrap();
    rc.sender(avs)
        .create_total_stake_rewards_submission(set.clone(), vec![s.clone()])
        .motsu_unwrap();
    assert_eq!(
        token.sender(avs).balance_of(rc.address()),
        uint!(1_040_U256)
    );
    assert_eq!(rc.sender(avs).submission_nonce(avs), uint!(3_U256));

    let h0 = expected_hash(avs, 0, d.clone());
    let h1 = expected_hash(avs, 1, future.clone());
    let h2 = expected_hash(avs, 2, s.clone());
    assert!(rc
        .sender(avs)
        .is_submission_hash(kind::OPERATOR_DIRECTED_OPERATOR_SET, avs, h0));
    assert!(!rc
        .sender(avs)
        .is_submission_hash(kind::OPERATOR_DIRECTED_AVS, avs, h0));
    assert!(rc
        .sender(avs)
        .is_submission_hash(kind::UNIQUE_STAKE, avs, h1));
    assert!(!rc
        .sender(avs)
        .is_submission_hash(kind::TOTAL_STAKE, avs, h1));
    assert!(rc
        .sender(avs)
        .is_submission_hash(kind::TOTAL_STAKE, avs, h2));
    rc.assert_emitted(
        &IRewardsCoordinator::OperatorDirectedOperatorSetRewardsSubmissionCreated {
            caller: avs,
            operatorDirectedRewardsSubmissionHash: h0,
            operatorSet: set.clone(),
            submissionNonce: U256::ZERO,
            operatorDirectedRewardsSubmission: d,
        },
    );
    rc.assert_emitted(&IRewardsCoordinator::UniqueStakeRewardsSubmissionCreated {
        caller: avs,
        rewardsSubmissionHash: h1,
        operatorSet: set.clone(),
        submissionNonce: uint!(1_U256),
        rewardsSubmission: future,
    });
    rc.assert_emitted(&IRewardsCoordinator::TotalStakeRewardsSubmissionCreated {
        caller: avs,
        rewardsSubmissionHash: h2,
        operatorSet: set,
        submissionNonce: uint!(2_U256),
        rewardsSubmission: s,
    });
}

// ------------------------------------------------------------------------------------------------
// Operator splits
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn an_avs_split_activates_after_the_delay_and_reads_the_default_until_then(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    avs: Address,
    stranger: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    rc.sender(ADMIN).set_activation_delay(3_600).motsu_unwrap();
    let op = OP_1;
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 1_000);

    let err = rc
        .sender(stranger)
        .set_operator_avs_split(op, avs, 500)
        .motsu_unwrap_err();
    assert!(err.is::<IPermissionControllerMixin::InvalidPermissions>());
    let err = rc
        .sender(op)
        .set_operator_avs_split(op, avs, 10_001)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::SplitExceedsMax>());

    rc.sender(op)
        .set_operator_avs_split(op, avs, 500)
        .motsu_unwrap();
    rc.assert_emitted(&IRewardsCoordinator::OperatorAVSSplitBipsSet {
        caller: op,
        operator: op,
        avs,
        activatedAt: NOW + 3_600,
        oldOperatorAVSSplitBips: 1_000,
        newOperatorAVSSplitBips: 500,
    });
    // Pending: still the default, which follows the owner's changes until activation.
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 1_000);
    rc.sender(ADMIN)
        .set_default_operator_split(2_000)
        .motsu_unwrap();
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 2_000);
    // No second change while one is pending.
    let err = rc
        .sender(op)
        .set_operator_avs_split(op, avs, 700)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::PreviousSplitPending>());

    test_clock::advance(3_600);
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 500);
    // At activatedAt itself a new change is still refused (strictly after).
    assert!(rc
        .sender(op)
        .set_operator_avs_split(op, avs, 700)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::PreviousSplitPending>());
    test_clock::advance(1);
    rc.sender(op)
        .set_operator_avs_split(op, avs, 0)
        .motsu_unwrap();
    rc.assert_emitted(&IRewardsCoordinator::OperatorAVSSplitBipsSet {
        caller: op,
        operator: op,
        avs,
        activatedAt: NOW + 3_601 + 3_600,
        oldOperatorAVSSplitBips: 500,
        newOperatorAVSSplitBips: 0,
    });
    // Until activation the previous operator value (not the default) applies.
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 500);
    test_clock::advance(3_600);
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 0);
    // Other AVSs and the PI split are untouched.
    assert_eq!(rc.sender(op).get_operator_avs_split(op, stranger), 2_000);
    assert_eq!(rc.sender(op).get_operator_pi_split(op), 2_000);

    // Paused.
    rc.sender(PAUSER)
        .pause(U256::from(1u16) << PAUSED_OPERATOR_AVS_SPLIT as usize)
        .motsu_unwrap();
    assert!(rc
        .sender(op)
        .set_operator_avs_split(op, avs, 100)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
    assert_eq!(rc.sender(op).get_operator_avs_split(op, avs), 0);
}

#[motsu::test]
fn pi_and_operator_set_splits(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    avs: Address,
    admin: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    let op = OP_2;
    // Zero delay: the split applies at once (activatedAt = now).
    rc.sender(op)
        .set_operator_pi_split(op, 9_999)
        .motsu_unwrap();
    assert_eq!(rc.sender(op).get_operator_pi_split(op), 9_999);
    rc.assert_emitted(&IRewardsCoordinator::OperatorPISplitBipsSet {
        caller: op,
        operator: op,
        activatedAt: NOW,
        oldOperatorPISplitBips: 1_000,
        newOperatorPISplitBips: 9_999,
    });
    assert!(rc
        .sender(op)
        .set_operator_pi_split(op, 10_001)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::SplitExceedsMax>());
    rc.sender(PAUSER)
        .pause(U256::from(1u16) << PAUSED_OPERATOR_PI_SPLIT as usize)
        .motsu_unwrap();
    test_clock::advance(1);
    assert!(rc
        .sender(op)
        .set_operator_pi_split(op, 1)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
    assert_eq!(rc.sender(op).get_operator_pi_split(op), 9_999);

    let set = OperatorSet { avs, id: 3 };
    let err = rc
        .sender(op)
        .set_operator_set_split(op, set.clone(), 10_000)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::InvalidOperatorSet>());
    core.sender(ADMIN).add_set(avs, 3);
    // The operator's admin acts for it once the operator has one.
    pc.sender(op).add_pending_admin(op, admin).motsu_unwrap();
    pc.sender(admin).accept_admin(op).motsu_unwrap();
    assert!(rc
        .sender(op)
        .set_operator_set_split(op, set.clone(), 10_000)
        .motsu_unwrap_err()
        .is::<IPermissionControllerMixin::InvalidPermissions>());
    rc.sender(admin)
        .set_operator_set_split(op, set.clone(), 10_000)
        .motsu_unwrap();
    assert_eq!(rc.sender(op).get_operator_set_split(op, (avs, 3)), 10_000);
    assert_eq!(rc.sender(op).get_operator_set_split(op, (avs, 4)), 1_000);
    rc.assert_emitted(&IRewardsCoordinator::OperatorSetSplitBipsSet {
        caller: admin,
        operator: op,
        operatorSet: set.clone(),
        activatedAt: NOW + 1,
        oldOperatorSetSplitBips: 1_000,
        newOperatorSetSplitBips: 10_000,
    });
    rc.sender(PAUSER)
        .pause(
            U256::from(1u16) << PAUSED_OPERATOR_PI_SPLIT as usize
                | U256::from(1u16) << PAUSED_OPERATOR_SET_SPLIT as usize,
        )
        .motsu_unwrap();
    test_clock::advance(1);
    assert!(rc
        .sender(admin)
        .set_operator_set_split(op, set, 1)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
}

#[test]
fn operator_split_words_round_trip_and_read_with_the_default() {
    let s = OperatorSplit {
        old: u16::MAX,
        new: 1_234,
        activated_at: 0xdead_beef,
    };
    assert_eq!(OperatorSplit::unpack(s.pack()), s);
    assert_eq!(s.pack(), 0xdead_beef_04d2_ffff);
    assert_eq!(s.at(0xdead_beee, 77), 77, "sentinel before activation");
    assert_eq!(s.at(0xdead_beef, 77), 1_234);
    assert_eq!(OperatorSplit::default().at(5, 77), 77, "never set");
}

// ------------------------------------------------------------------------------------------------
// Owner configuration and claimers
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn owner_setters_check_the_owner_and_their_inputs(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    stranger: Address,
    other: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    let not_owner = |e: Revert| assert!(e.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
    not_owner(
        rc.sender(stranger)
            .set_activation_delay(1)
            .motsu_unwrap_err(),
    );
    not_owner(
        rc.sender(stranger)
            .set_default_operator_split(1)
            .motsu_unwrap_err(),
    );
    not_owner(
        rc.sender(stranger)
            .set_rewards_updater(other)
            .motsu_unwrap_err(),
    );
    not_owner(
        rc.sender(stranger)
            .set_fee_recipient(other)
            .motsu_unwrap_err(),
    );
    not_owner(
        rc.sender(stranger)
            .transfer_ownership(other)
            .motsu_unwrap_err(),
    );
    not_owner(rc.sender(stranger).renounce_ownership().motsu_unwrap_err());
    assert_eq!(rc.sender(ADMIN).activation_delay(), 0);
    assert_eq!(rc.sender(ADMIN).fee_recipient(), FEES);

    assert!(rc
        .sender(ADMIN)
        .set_default_operator_split(10_001)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::SplitExceedsMax>());
    assert_eq!(rc.sender(ADMIN).default_operator_split_bips(), 1_000);
    rc.sender(ADMIN)
        .set_default_operator_split(10_000)
        .motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).default_operator_split_bips(), 10_000);
    rc.assert_emitted(&IRewardsCoordinator::DefaultOperatorSplitBipsSet {
        oldDefaultOperatorSplitBips: 1_000,
        newDefaultOperatorSplitBips: 10_000,
    });

    assert!(rc
        .sender(ADMIN)
        .set_fee_recipient(Address::ZERO)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidAddressZero>());
    rc.sender(ADMIN).set_fee_recipient(other).motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).fee_recipient(), other);
    rc.assert_emitted(&IRewardsCoordinator::FeeRecipientSet {
        oldFeeRecipient: FEES,
        newFeeRecipient: other,
    });

    rc.sender(ADMIN).set_activation_delay(7_200).motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).activation_delay(), 7_200);
    rc.assert_emitted(&IRewardsCoordinator::ActivationDelaySet {
        oldActivationDelay: 0,
        newActivationDelay: 7_200,
    });
    rc.sender(ADMIN).set_rewards_updater(other).motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).rewards_updater(), other);
    rc.assert_emitted(&IRewardsCoordinator::RewardsUpdaterSet {
        oldRewardsUpdater: UPDATER,
        newRewardsUpdater: other,
    });

    rc.sender(ADMIN).transfer_ownership(other).motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).owner(), other);
    not_owner(rc.sender(ADMIN).set_activation_delay(1).motsu_unwrap_err());
    rc.sender(other).renounce_ownership().motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).owner(), Address::ZERO);
}

#[motsu::test]
fn pausing_needs_a_pauser_and_unpausing_the_unpauser(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    stranger: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    assert!(rc
        .sender(stranger)
        .pause_all()
        .motsu_unwrap_err()
        .is::<IPausable::OnlyPauser>());
    rc.sender(PAUSER).pause_all().motsu_unwrap();
    assert_eq!(rc.sender(stranger).paused_all(), U256::MAX);
    assert!(rc.sender(stranger).paused_index(PAUSED_PROCESS_CLAIM));
    assert!(rc
        .sender(PAUSER)
        .unpause(U256::ZERO)
        .motsu_unwrap_err()
        .is::<IPausable::OnlyUnpauser>());
    // ADMIN is the registry's unpauser.
    rc.sender(ADMIN).unpause(U256::ZERO).motsu_unwrap();
    assert!(!rc.sender(stranger).paused_index(PAUSED_PROCESS_CLAIM));
}

#[motsu::test]
fn claimers_for_operators_and_avss_are_set_through_permissions(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    avs: Address,
    staker: Address,
    claimer: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    // A plain staker is neither an operator nor an AVS with sets.
    let err = rc
        .sender(staker)
        .set_claimer_for_earner(staker, claimer)
        .motsu_unwrap_err();
    assert!(err.is::<IRewardsCoordinator::InvalidEarner>());
    // An AVS without sets neither.
    assert!(rc
        .sender(avs)
        .set_claimer_for_earner(avs, claimer)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidEarner>());
    assert_eq!(rc.sender(avs).claimer_for(avs), Address::ZERO);
    // Someone else may not act for the operator.
    core.sender(ADMIN).add_operator(OP_1);
    assert!(rc
        .sender(staker)
        .set_claimer_for_earner(OP_1, claimer)
        .motsu_unwrap_err()
        .is::<IPermissionControllerMixin::InvalidPermissions>());

    rc.sender(OP_1)
        .set_claimer_for_earner(OP_1, claimer)
        .motsu_unwrap();
    assert_eq!(rc.sender(OP_1).claimer_for(OP_1), claimer);
    rc.assert_emitted(&IRewardsCoordinator::ClaimerForSet {
        earner: OP_1,
        oldClaimer: Address::ZERO,
        claimer,
    });
    core.sender(ADMIN).add_set(avs, 0);
    rc.sender(avs)
        .set_claimer_for_earner(avs, claimer)
        .motsu_unwrap();
    assert_eq!(rc.sender(avs).claimer_of(avs), claimer);
    // The one-argument form works for anyone, for itself.
    rc.sender(staker).set_claimer_for(claimer);
    assert_eq!(rc.sender(staker).claimer_for(staker), claimer);
}

// ------------------------------------------------------------------------------------------------
// Programs and views
// ------------------------------------------------------------------------------------------------

#[motsu::test]
fn only_the_unpauser_wires_the_programs(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    a: Address,
    b: Address,
    c: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    // The proxy's admin, not the unpauser: without a proxy (empty admin slot) nobody may.
    assert!(rc
        .sender(ADMIN)
        .set_implementations(a, b, c)
        .motsu_unwrap_err()
        .is::<IFerrostakeErrors::OnlyProxyAdmin>());
    ferrostake_common::access::store_proxy_admin(rc.sender(ADMIN).vm(), PAUSER);
    assert!(rc
        .sender(ADMIN)
        .set_implementations(a, b, c)
        .motsu_unwrap_err()
        .is::<IFerrostakeErrors::OnlyProxyAdmin>());
    assert!(rc
        .sender(PAUSER)
        .set_implementations(a, Address::ZERO, c)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InputAddressZero>());
    assert_eq!(
        rc.sender(ADMIN).implementations(),
        (Address::ZERO, Address::ZERO, Address::ZERO)
    );
    rc.sender(PAUSER)
        .set_implementations(a, b, c)
        .motsu_unwrap();
    assert_eq!(rc.sender(ADMIN).implementations(), (a, b, c));
    rc.assert_emitted(&IRewardsCoordinator::ImplementationsSet {
        submissionsImplementation: a,
        configImplementation: b,
        viewImplementation: c,
    });
}

#[test]
fn every_interface_function_is_routed_to_the_program_serving_it() {
    use IRewardsCoordinator::IRewardsCoordinatorCalls as C;
    // Served by the core's own router.
    let core: [[u8; 4]; 6] = [
        IRewardsCoordinator::initializeCall::SELECTOR,
        IRewardsCoordinator::setImplementationsCall::SELECTOR,
        IRewardsCoordinator::submitRootCall::SELECTOR,
        IRewardsCoordinator::disableRootCall::SELECTOR,
        IRewardsCoordinator::processClaimCall::SELECTOR,
        IRewardsCoordinator::processClaimsCall::SELECTOR,
    ];
    use IRewardsCoordinator as R;
    let creates = [
        R::createAVSRewardsSubmissionCall::SELECTOR,
        R::createRewardsForAllSubmissionCall::SELECTOR,
        R::createRewardsForAllEarnersCall::SELECTOR,
        R::createOperatorDirectedAVSRewardsSubmissionCall::SELECTOR,
        R::createOperatorDirectedOperatorSetRewardsSubmissionCall::SELECTOR,
        R::createUniqueStakeRewardsSubmissionCall::SELECTOR,
        R::createTotalStakeRewardsSubmissionCall::SELECTOR,
        R::createEigenDARewardsSubmissionCall::SELECTOR,
    ];
    let sets = [
        R::setClaimerFor_0Call::SELECTOR,
        R::setClaimerFor_1Call::SELECTOR,
        R::setActivationDelayCall::SELECTOR,
        R::setDefaultOperatorSplitCall::SELECTOR,
        R::setOperatorAVSSplitCall::SELECTOR,
        R::setOperatorPISplitCall::SELECTOR,
        R::setOperatorSetSplitCall::SELECTOR,
        R::setRewardsUpdaterCall::SELECTOR,
        R::setRewardsForAllSubmitterCall::SELECTOR,
        R::setFeeRecipientCall::SELECTOR,
        R::setOptInForProtocolFeeCall::SELECTOR,
    ];
    let mut views = 0;
    for sel in C::SELECTORS {
        let expected = if core.contains(sel) {
            continue;
        } else if creates.contains(sel) {
            Program::Submissions
        } else if sets.contains(sel) {
            Program::Config
        } else {
            views += 1;
            Program::View
        };
        assert_eq!(Program::of(sel), expected, "{sel:?}");
    }
    // 66 interface functions: 6 core, 8 create*, 11 setters, 41 views (EigenLayer's 38 plus the
    // three implementation getters).
    assert_eq!(C::SELECTORS.len(), 66);
    assert_eq!(views, 41);
    for sel in [
        IPausable::pauseCall::SELECTOR,
        IPausable::pauseAllCall::SELECTOR,
        IPausable::unpauseCall::SELECTOR,
        ferrostake_interfaces::IOwnable::transferOwnershipCall::SELECTOR,
        ferrostake_interfaces::IOwnable::renounceOwnershipCall::SELECTOR,
    ] {
        assert_eq!(Program::of(&sel), Program::Config);
    }
    for sel in [
        IPausable::paused_0Call::SELECTOR,
        IPausable::paused_1Call::SELECTOR,
        IPausable::pauserRegistryCall::SELECTOR,
        ferrostake_interfaces::IOwnable::ownerCall::SELECTOR,
    ] {
        assert_eq!(Program::of(&sel), Program::View);
    }
    assert_eq!(Program::of(&[]), Program::View);
}

#[motsu::test]
fn the_claimable_root_is_the_latest_active_enabled_one(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    let zero = (B256::ZERO, 0, 0, false);
    assert_eq!(
        rc.sender(UPDATER).get_current_claimable_distribution_root(),
        zero
    );
    assert_eq!(rc.sender(UPDATER).get_current_distribution_root(), zero);
    let (r1, r2, r3) = (
        B256::repeat_byte(1),
        B256::repeat_byte(2),
        B256::repeat_byte(3),
    );
    rc.sender(UPDATER)
        .submit_root(r1, NOW - 3 * DAY)
        .motsu_unwrap();
    rc.sender(ADMIN).set_activation_delay(DAY).motsu_unwrap();
    rc.sender(UPDATER)
        .submit_root(r2, NOW - 2 * DAY)
        .motsu_unwrap();
    rc.sender(UPDATER).submit_root(r3, NOW - DAY).motsu_unwrap();
    // r1 is active; r2, r3 activate in a day.
    assert_eq!(
        rc.sender(UPDATER).get_current_claimable_distribution_root(),
        (r1, NOW - 3 * DAY, NOW, false)
    );
    assert_eq!(
        rc.sender(UPDATER).get_current_distribution_root(),
        (r3, NOW - DAY, NOW + DAY, false)
    );
    rc.sender(UPDATER).disable_root(2).motsu_unwrap();
    assert!(rc
        .sender(UPDATER)
        .disable_root(0)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::RootAlreadyActivated>());
    assert!(rc
        .sender(UPDATER)
        .disable_root(3)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidRootIndex>());
    test_clock::advance(DAY as u64);
    // r3 is disabled: r2 is the claimable one.
    assert_eq!(
        rc.sender(UPDATER).get_current_claimable_distribution_root(),
        (r2, NOW - 2 * DAY, NOW + DAY, false)
    );
    assert_eq!(
        rc.sender(UPDATER).get_distribution_roots_length(),
        uint!(3_U256)
    );
    assert_eq!(
        rc.sender(UPDATER)
            .get_distribution_root_at_index(uint!(2_U256))
            .motsu_unwrap(),
        (r3, NOW - DAY, NOW + DAY, true)
    );
    assert!(rc
        .sender(UPDATER)
        .get_distribution_root_at_index(uint!(3_U256))
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidRootIndex>());
    assert_eq!(
        rc.sender(UPDATER)
            .get_root_index_from_hash(r2)
            .motsu_unwrap(),
        1
    );
    assert!(rc
        .sender(UPDATER)
        .get_root_index_from_hash(B256::repeat_byte(9))
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::InvalidRoot>());
    assert_eq!(
        rc.sender(UPDATER).curr_rewards_calculation_end_timestamp(),
        NOW - DAY
    );
    // Roots: zero root, paused.
    assert!(rc
        .sender(UPDATER)
        .submit_root(B256::ZERO, NOW - 1)
        .motsu_unwrap_err()
        .is::<IRewardsCoordinator::EmptyRoot>());
    rc.sender(PAUSER)
        .pause(U256::from(1u16) << PAUSED_SUBMIT_DISABLE_ROOTS as usize)
        .motsu_unwrap();
    assert!(rc
        .sender(UPDATER)
        .submit_root(r1, NOW)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
    assert!(rc
        .sender(UPDATER)
        .disable_root(1)
        .motsu_unwrap_err()
        .is::<IPausable::CurrentlyPaused>());
    assert_eq!(
        rc.sender(UPDATER).get_distribution_roots_length(),
        uint!(3_U256)
    );
}

#[motsu::test]
fn malformed_claims_revert_with_their_errors_and_pay_nothing(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    token: Contract<TestErc20>,
    alice: Address,
    bob: Address,
) {
    setup(&rc, &reg, &pc, &core, &token, uint!(1_000_U256));
    let d = distribution(
        token.address(),
        &[alice, bob],
        &[uint!(30_U256), uint!(40_U256)],
    );
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - DAY)
        .motsu_unwrap();
    let claim = d.claims[0].clone();
    let fails = |c: ClaimTuple, expected: Vec<u8>| {
        let err = rc.sender(alice).process_claim(c, alice).motsu_unwrap_err();
        assert_eq!(err.0, expected);
        assert_eq!(token.sender(alice).balance_of(alice), U256::ZERO);
        assert_eq!(
            rc.sender(alice).cumulative_claimed(alice, token.address()),
            U256::ZERO
        );
    };
    // A token leaf without its index and proof.
    let mut c = claim.clone();
    c.6.push((token.address(), uint!(1_U256)));
    fails(
        c,
        IRewardsCoordinator::InputArrayLengthMismatch {}.abi_encode(),
    );
    // A zero earner.
    let mut c = claim.clone();
    c.3 .0 = Address::ZERO;
    fails(c, IRewardsCoordinator::InvalidEarner {}.abi_encode());
    // Proofs are whole 32-byte nodes.
    let mut c = claim.clone();
    let mut short = c.2.to_vec();
    short.pop();
    c.2 = short.into();
    fails(c, IRewardsCoordinator::InvalidProofLength {}.abi_encode());
    // A one-node earner proof reaches indices 0 and 1 only.
    let mut c = claim.clone();
    c.1 = 2;
    fails(
        c,
        IRewardsCoordinator::InvalidEarnerLeafIndex {}.abi_encode(),
    );
    // Bob's leaf at Alice's index.
    let mut c = claim.clone();
    c.3 = d.claims[1].3;
    fails(c, IRewardsCoordinator::InvalidClaimProof {}.abi_encode());
    // A root that does not exist.
    let mut c = claim.clone();
    c.0 = 1;
    fails(c, IRewardsCoordinator::InvalidRootIndex {}.abi_encode());
    // Both earners in one call, to one recipient.
    rc.sender(alice).set_claimer_for(bob);
    rc.sender(bob)
        .process_claims(vec![claim, d.claims[1].clone()], bob)
        .motsu_unwrap();
    assert_eq!(token.sender(bob).balance_of(bob), uint!(70_U256));
    assert_eq!(token.sender(bob).balance_of(rc.address()), uint!(930_U256));
}

/// A token whose `transfer` calls back into the RewardsCoordinator's `processClaims` and records
/// what that call reverted with.
#[storage]
struct ReenteringToken {
    rc: stylus_sdk::storage::StorageAddress,
    reentry_refused: StorageBool,
}

unsafe impl TopLevelStorage for ReenteringToken {}

#[public]
impl ReenteringToken {
    fn arm(&mut self, rc: Address) {
        self.rc.set(rc);
    }
    fn reentry_refused(&self) -> bool {
        self.reentry_refused.get()
    }
    #[selector(name = "transfer")]
    fn transfer(&mut self, to: Address, _value: U256) -> bool {
        let again = ferrostake_common::call::call(
            self.rc.get(),
            &IRewardsCoordinator::processClaimsCall {
                claims: vec![],
                recipient: to,
            },
        );
        let refused = matches!(&again, Err(e) if e.is::<IFerrostakeErrors::ReentrantCall>());
        self.reentry_refused.set(refused);
        true
    }
}

#[motsu::test]
fn claims_cannot_be_reentered_from_the_paid_token(
    rc: Contract<RewardsCoordinator>,
    reg: Contract<PauserRegistry>,
    pc: Contract<PermissionController>,
    core: Contract<MockCore>,
    evil: Contract<ReenteringToken>,
    alice: Address,
) {
    setup_with(&rc, &reg, &pc, &core, GENESIS);
    evil.sender(alice).arm(rc.address());
    let d = distribution(evil.address(), &[alice], &[uint!(5_U256)]);
    rc.sender(UPDATER)
        .submit_root(d.root, NOW - DAY)
        .motsu_unwrap();
    rc.sender(alice)
        .process_claim(d.claims[0].clone(), alice)
        .motsu_unwrap();
    assert!(evil.sender(alice).reentry_refused());
    assert_eq!(
        rc.sender(alice).cumulative_claimed(alice, evil.address()),
        uint!(5_U256)
    );
}
