//! Pins every function selector, event topic and error selector of the ABI against values
//! computed here, independently of alloy, from hand-written Solidity signature strings (keccak-256 by
//! `tiny-keccak`), and checks them against EigenLayer's deployed ABI (selectors and topic prefixes
//! recorded from EigenLayer v1.12.0's build in `shared/reference/eigenlayer-notes.md` §2). Both
//! directions are checked: every EigenLayer item is in our interface, and every item of our interface
//! is either EigenLayer's or a listed Ferrostake extension.
//!
//! Generated once from the notes' lists (the signature strings are canonical ABI types, structs as
//! tuples); edit by hand when the ABI grows.
use ferrostake_interfaces::*;
use tiny_keccak::{Hasher, Keccak};

fn keccak(s: &str) -> [u8; 32] {
    let mut k = Keccak::v256();
    k.update(s.as_bytes());
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    out
}

fn hex4(h: &str) -> [u8; 4] {
    let mut out = [0u8; 4];
    for i in 0..4 {
        out[i] = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

/// (signature, EigenLayer selector or topic prefix as hex)
type Items = &'static [(&'static str, &'static str)];

struct Expected {
    name: &'static str,
    functions: Items,
    events: Items,
    errors: Items,
    /// EigenLayer items we deliberately replace (their `initialize`, whose arguments ours extend).
    replaced: &'static [&'static str],
    /// Ferrostake extensions: signatures only (no EigenLayer value to compare with).
    ext_functions: &'static [&'static str],
    ext_events: &'static [&'static str],
    ext_errors: &'static [&'static str],
}

fn check(e: &Expected, calls: &[[u8; 4]], events: &[[u8; 32]], errors: &[[u8; 4]]) {
    let mut expected_calls = Vec::new();
    for (sig, hex) in e.functions {
        let sel: [u8; 4] = keccak(sig)[..4].try_into().unwrap();
        assert_eq!(
            sel,
            hex4(hex),
            "{}: {sig} does not hash to EigenLayer's selector {hex}",
            e.name
        );
        if e.replaced.contains(sig) {
            assert!(
                !calls.contains(&sel),
                "{}: {sig} should be replaced by our initializer",
                e.name
            );
            continue;
        }
        assert!(
            calls.contains(&sel),
            "{}: missing function {sig} (0x{hex})",
            e.name
        );
        expected_calls.push(sel);
    }
    for sig in e.ext_functions {
        let sel: [u8; 4] = keccak(sig)[..4].try_into().unwrap();
        assert!(calls.contains(&sel), "{}: missing extension {sig}", e.name);
        expected_calls.push(sel);
    }
    for sel in calls {
        assert!(
            expected_calls.contains(sel),
            "{}: unexpected function selector {:02x?}",
            e.name,
            sel
        );
    }
    let mut expected_events = Vec::new();
    for (sig, hex) in e.events {
        let topic = keccak(sig);
        assert_eq!(
            topic[..4],
            hex4(hex),
            "{}: event {sig} does not hash to EigenLayer's topic {hex}…",
            e.name
        );
        assert!(events.contains(&topic), "{}: missing event {sig}", e.name);
        expected_events.push(topic);
    }
    for sig in e.ext_events {
        let topic = keccak(sig);
        assert!(
            events.contains(&topic),
            "{}: missing extension event {sig}",
            e.name
        );
        expected_events.push(topic);
    }
    for t in events {
        assert!(
            expected_events.contains(t),
            "{}: unexpected event topic {:02x?}",
            e.name,
            &t[..4]
        );
    }
    let mut expected_errors = Vec::new();
    for (sig, hex) in e.errors {
        let sel: [u8; 4] = keccak(sig)[..4].try_into().unwrap();
        assert_eq!(
            sel,
            hex4(hex),
            "{}: error {sig} does not hash to EigenLayer's selector {hex}",
            e.name
        );
        assert!(errors.contains(&sel), "{}: missing error {sig}", e.name);
        expected_errors.push(sel);
    }
    for sig in e.ext_errors {
        let sel: [u8; 4] = keccak(sig)[..4].try_into().unwrap();
        assert!(
            errors.contains(&sel),
            "{}: missing extension error {sig}",
            e.name
        );
        expected_errors.push(sel);
    }
    for s in errors {
        assert!(
            expected_errors.contains(s),
            "{}: unexpected error selector {:02x?}",
            e.name,
            s
        );
    }
}

#[test]
fn istrategymanager_matches_eigenlayer() {
    check(
        &Expected {
            name: "IStrategyManager",
            functions: &[
        ("DEFAULT_BURN_ADDRESS()", "f3b4a000"),
        ("DEPOSIT_TYPEHASH()", "48825e94"),
        ("addShares(address,address,uint256)", "50ff7225"),
        ("addStrategiesToDepositWhitelist(address[])", "5de08ff2"),
        ("allocationManager()", "ca8aa7c7"),
        ("burnShares(address)", "4b6d5d6e"),
        ("calculateStrategyDepositDigestHash(address,address,address,uint256,uint256,uint256)", "9ac01d61"),
        ("clearBurnOrRedistributableShares((address,uint32),uint256)", "88c10299"),
        ("clearBurnOrRedistributableSharesByStrategy((address,uint32),uint256,address)", "2d44def6"),
        ("delegation()", "df5cf723"),
        ("depositIntoStrategy(address,address,uint256)", "e7a050aa"),
        ("depositIntoStrategyWithSignature(address,address,uint256,address,uint256,bytes)", "32e89ace"),
        ("getBurnOrRedistributableCount((address,uint32),uint256)", "829fca73"),
        ("getBurnOrRedistributableShares((address,uint32),uint256)", "31f8fb4c"),
        ("getBurnOrRedistributableShares((address,uint32),uint256,address)", "76fb162b"),
        ("getBurnableShares(address)", "fd980423"),
        ("getDeposits(address)", "94f649dd"),
        ("getPendingOperatorSets()", "3f292b08"),
        ("getPendingSlashIds((address,uint32))", "7def1564"),
        ("getStakerStrategyList(address)", "de44acb6"),
        ("getStrategiesWithBurnableShares()", "36a8c500"),
        ("increaseBurnOrRedistributableShares((address,uint32),uint256,address,uint256)", "3fb99ca5"),
        ("initialize(address,address,uint256)", "1794bb3c"),
        ("nonces(address)", "7ecebe00"),
        ("removeDepositShares(address,address,uint256)", "724af423"),
        ("removeStrategiesFromDepositWhitelist(address[])", "b5d8b5b8"),
        ("setStrategyWhitelister(address)", "c6656702"),
        ("stakerDepositShares(address,address)", "fe243a17"),
        ("stakerStrategyList(address,uint256)", "cbc2bd62"),
        ("stakerStrategyListLength(address)", "8b8aac3c"),
        ("strategyIsWhitelistedForDeposit(address)", "663c1de4"),
        ("strategyWhitelister()", "967fc0d2"),
        ("withdrawSharesAsTokens(address,address,address,uint256)", "2eae418c"),
    ],
            events: &[
        ("BurnOrRedistributableSharesDecreased((address,uint32),uint256,address,uint256)", "e6413aa0"),
        ("BurnOrRedistributableSharesIncreased((address,uint32),uint256,address,uint256)", "5f520979"),
        ("BurnableSharesDecreased(address,uint256)", "d9d082c3"),
        ("Deposit(address,address,uint256)", "5548c837"),
        ("StrategyAddedToDepositWhitelist(address)", "0c35b17d"),
        ("StrategyRemovedFromDepositWhitelist(address)", "4074413b"),
        ("StrategyWhitelisterChanged(address,address)", "4264275e"),
    ],
            errors: &[
        ("InputAddressZero()", "73632176"),
        ("MaxStrategiesExceeded()", "0d0a21c8"),
        ("OnlyDelegationManager()", "f739589b"),
        ("OnlyStrategyWhitelister()", "82e8ffe4"),
        ("SharesAmountTooHigh()", "4b18b193"),
        ("SharesAmountZero()", "840c364a"),
        ("StakerAddressZero()", "16f2ccc9"),
        ("StrategyAlreadyInSlash()", "ca354fa3"),
        ("StrategyNotFound()", "5be2b482"),
        ("StrategyNotWhitelisted()", "5dfb2ca2"),
    ],
            replaced: &["initialize(address,address,uint256)"],
            ext_functions: &[
                "initialize(address,address,address,address,address,address,uint256)",
                "viewImplementation()",
                "setViewImplementation(address)",
            ],
            ext_events: &["ViewImplementationSet(address)"],
            ext_errors: &[],
        },
        IStrategyManager::IStrategyManagerCalls::SELECTORS,
        IStrategyManager::IStrategyManagerEvents::SELECTORS,
        IStrategyManager::IStrategyManagerErrors::SELECTORS,
    );
}

#[test]
fn istrategy_matches_eigenlayer() {
    check(
        &Expected {
            name: "IStrategy",
            functions: &[
                ("beforeAddShares(address,uint256)", "73e3c280"),
                ("beforeRemoveShares(address,uint256)", "03e3e6eb"),
                ("deposit(address,uint256)", "47e7ef24"),
                ("explanation()", "ab5921e1"),
                ("initialize(address)", "c4d66de8"),
                ("shares(address)", "ce7c2ac2"),
                ("sharesToUnderlying(uint256)", "f3e73875"),
                ("sharesToUnderlyingView(uint256)", "7a8b2637"),
                ("strategyManager()", "39b70e38"),
                ("totalShares()", "3a98ef39"),
                ("underlyingToShares(uint256)", "8c871019"),
                ("underlyingToSharesView(uint256)", "e3dae51c"),
                ("underlyingToken()", "2495a599"),
                ("userUnderlying(address)", "8f6a6240"),
                ("userUnderlyingView(address)", "553ca5f8"),
                ("withdraw(address,address,uint256)", "d9caed12"),
            ],
            events: &[
                ("ExchangeRateEmitted(uint256)", "d2494f34"),
                ("StrategyTokenSet(address,uint8)", "1c540707"),
            ],
            errors: &[
                ("BalanceExceedsMaxTotalDeposits()", "d86bae67"),
                ("InputAddressZero()", "73632176"),
                ("MaxPerDepositExceedsMax()", "14ac1edc"),
                ("NewSharesZero()", "18725da6"),
                ("OnlyStrategyManager()", "48da714f"),
                ("OnlyUnderlyingToken()", "c4aaf740"),
                ("TotalSharesExceedsMax()", "5e29d146"),
                ("WithdrawalAmountExceedsTotalDeposits()", "b469df30"),
            ],
            replaced: &["initialize(address)"],
            ext_functions: &["initialize(address,address,address)"],
            ext_events: &[],
            ext_errors: &[],
        },
        IStrategy::IStrategyCalls::SELECTORS,
        IStrategy::IStrategyEvents::SELECTORS,
        IStrategy::IStrategyErrors::SELECTORS,
    );
}

#[test]
fn istrategyfactory_matches_eigenlayer() {
    check(
        &Expected {
            name: "IStrategyFactory",
            functions: &[
        ("blacklistTokens(address[])", "23103c41"),
        ("deployDurationVaultStrategy((address,address,address,uint32,uint256,uint256,string,(address,uint32),bytes,address,string))", "fb515303"),
        ("deployNewStrategy(address)", "6b9b6229"),
        ("deployedStrategies(address)", "581dfd65"),
        ("durationVaultBeacon()", "9e4f2dcd"),
        ("durationVaultsByToken(address,uint256)", "3101d531"),
        ("getDurationVaults(address)", "a5dae840"),
        ("initialize(address,uint256)", "cd6dc687"),
        ("isBlacklisted(address)", "fe575a87"),
        ("removeStrategiesFromWhitelist(address[])", "fe38b32d"),
        ("strategyBeacon()", "f0062d9a"),
        ("strategyManager()", "39b70e38"),
        ("whitelistStrategies(address[])", "b768ebc9"),
    ],
            events: &[
        ("DurationVaultDeployed(address,address,address,uint32,uint256,uint256,string,address,uint32)", "6c9e2cbc"),
        ("StrategySetForToken(address,address)", "6852a552"),
        ("TokenBlacklisted(address)", "75519c51"),
    ],
            errors: &[
        ("AlreadyBlacklisted()", "f53de75f"),
        ("BlacklistedToken()", "1230cf7a"),
        ("InputAddressZero()", "73632176"),
        ("StrategyAlreadyExists()", "c45546f7"),
    ],
            replaced: &["initialize(address,uint256)"],
            ext_functions: &["initialize(address,address,address,address,uint256)"],
            ext_events: &[],
            ext_errors: &["DurationVaultsNotSupported()"],
        },
        IStrategyFactory::IStrategyFactoryCalls::SELECTORS,
        IStrategyFactory::IStrategyFactoryEvents::SELECTORS,
        IStrategyFactory::IStrategyFactoryErrors::SELECTORS,
    );
}

#[test]
fn idelegationmanager_matches_eigenlayer() {
    check(
        &Expected {
            name: "IDelegationManager",
            functions: &[
        ("DELEGATION_APPROVAL_TYPEHASH()", "04a4f979"),
        ("allocationManager()", "ca8aa7c7"),
        ("beaconChainETHStrategy()", "9104c319"),
        ("calculateDelegationApprovalDigestHash(address,address,address,bytes32,uint256)", "0b9f487a"),
        ("calculateWithdrawalRoot((address,address,address,uint256,uint32,address[],uint256[]))", "597b36da"),
        ("completeQueuedWithdrawal((address,address,address,uint256,uint32,address[],uint256[]),address[],bool)", "e4cc3f90"),
        ("completeQueuedWithdrawals((address,address,address,uint256,uint32,address[],uint256[])[],address[][],bool[])", "9435bb43"),
        ("convertToDepositShares(address,address[],uint256[])", "25df922e"),
        ("cumulativeWithdrawalsQueued(address)", "a1788484"),
        ("decreaseDelegatedShares(address,uint256,uint64)", "60a0d1ce"),
        ("delegateTo(address,(bytes,uint256),bytes32)", "eea9064b"),
        ("delegatedTo(address)", "65da1264"),
        ("delegationApprover(address)", "3cdeb5e0"),
        ("delegationApproverSaltIsSpent(address,bytes32)", "bb45fef2"),
        ("depositScalingFactor(address,address)", "bfae3fd2"),
        ("eigenPodManager()", "4665bcda"),
        ("getDepositedShares(address)", "66d5ba93"),
        ("getOperatorShares(address,address[])", "90041347"),
        ("getOperatorsShares(address[],address[])", "f0e0e676"),
        ("getQueuedWithdrawal(bytes32)", "5d975e88"),
        ("getQueuedWithdrawalRoots(address)", "fd8aa88d"),
        ("getQueuedWithdrawals(address)", "5dd68579"),
        ("getSlashableSharesInQueue(address,address)", "6e174448"),
        ("getWithdrawableShares(address,address[])", "c978f7ac"),
        ("increaseDelegatedShares(address,address,uint256,uint256)", "3c651cf2"),
        ("initialize(uint256)", "fe4b84df"),
        ("isDelegated(address)", "3e28391d"),
        ("isOperator(address)", "6d70f7ae"),
        ("minWithdrawalDelayBlocks()", "c448feb8"),
        ("modifyOperatorDetails(address,address)", "54b7c96c"),
        ("operatorShares(address,address)", "778e55f3"),
        ("pendingWithdrawals(bytes32)", "b7f06ebe"),
        ("queueWithdrawals((address[],uint256[],address)[])", "0dd8dd02"),
        ("queuedWithdrawals(bytes32)", "99f5371b"),
        ("redelegate(address,(bytes,uint256),bytes32)", "a33a3433"),
        ("registerAsOperator(address,uint32,string)", "2aa6d888"),
        ("slashOperatorShares(address,(address,uint32),uint256,address,uint64,uint64)", "5ae679a7"),
        ("strategyManager()", "39b70e38"),
        ("undelegate(address)", "da8be864"),
        ("updateOperatorMetadataURI(address,string)", "78296ec5"),
    ],
            events: &[
        ("DelegationApproverUpdated(address,address)", "773b54c0"),
        ("DepositScalingFactorUpdated(address,address,uint256)", "8be932ba"),
        ("OperatorMetadataURIUpdated(address,string)", "02a919ed"),
        ("OperatorRegistered(address,address)", "a453db61"),
        ("OperatorSharesDecreased(address,address,address,uint256)", "69096000"),
        ("OperatorSharesIncreased(address,address,address,uint256)", "1ec042c9"),
        ("OperatorSharesSlashed(address,address,uint256)", "dd611f4e"),
        ("SlashingWithdrawalCompleted(bytes32)", "1f404008"),
        ("SlashingWithdrawalQueued(bytes32,(address,address,address,uint256,uint32,address[],uint256[]),uint256[])", "26b2aae2"),
        ("StakerDelegated(address,address)", "c3ee9f2e"),
        ("StakerForceUndelegated(address,address)", "f0eddf07"),
        ("StakerUndelegated(address,address)", "fee30966"),
    ],
            errors: &[
        ("ActivelyDelegated()", "77e56a06"),
        ("CallerCannotUndelegate()", "3c933446"),
        ("FullySlashed()", "28cef1a4"),
        ("InputAddressZero()", "73632176"),
        ("InputArrayLengthMismatch()", "43714afd"),
        ("InputArrayLengthZero()", "796cc525"),
        ("InvalidDepositScalingFactor()", "b9676398"),
        ("InvalidSnapshotOrdering()", "2a371c7e"),
        ("NotActivelyDelegated()", "a5c7c445"),
        ("OnlyAllocationManager()", "23d871a5"),
        ("OnlyEigenPodManager()", "c84e9984"),
        ("OnlyStrategyManagerOrEigenPodManager()", "11481a94"),
        ("OperatorNotRegistered()", "25ec6c1f"),
        ("OperatorsCannotUndelegate()", "8e5199a8"),
        ("SaltSpent()", "35313244"),
        ("WithdrawalDelayNotElapsed()", "f1ecf5c2"),
        ("WithdrawalNotQueued()", "87c9d219"),
        ("WithdrawerNotCaller()", "584434d4"),
    ],
            replaced: &["initialize(uint256)"],
            ext_functions: &[
                "initialize(address,address,address,address,address,address,address,uint32,uint256)",
                "viewImplementation()",
                "withdrawalsImplementation()",
                "setImplementations(address,address)",
                "slashHoldStarted(address)",
                "slashHoldSince(address)",
            ],
            ext_events: &["ImplementationsSet(address,address)"],
            ext_errors: &["WithdrawalHeldBySlash()"],
        },
        IDelegationManager::IDelegationManagerCalls::SELECTORS,
        IDelegationManager::IDelegationManagerEvents::SELECTORS,
        IDelegationManager::IDelegationManagerErrors::SELECTORS,
    );
}

#[test]
fn ieigenpodmanager_matches_eigenlayer() {
    check(
        &Expected {
            name: "IEigenPodManager",
            functions: &[
        ("addShares(address,address,uint256)", "50ff7225"),
        ("beaconChainETHStrategy()", "9104c319"),
        ("beaconChainSlashingFactor(address)", "a3d75e09"),
        ("burnableETHShares()", "f5d4fed3"),
        ("createPod()", "84d81062"),
        ("delegationManager()", "ea4d3c9b"),
        ("eigenPodBeacon()", "292b7b2b"),
        ("ethPOS()", "74cdd798"),
        ("getPod(address)", "a38406a3"),
        ("hasPod(address)", "f6848d24"),
        ("increaseBurnOrRedistributableShares((address,uint32),uint256,address,uint256)", "3fb99ca5"),
        ("initialize(address,uint256)", "cd6dc687"),
        ("numPods()", "a6a509be"),
        ("ownerToPod(address)", "9ba06275"),
        ("pectraForkTimestamp()", "2704351a"),
        ("podOwnerDepositShares(address)", "d48e8894"),
        ("proofTimestampSetter()", "595edbcb"),
        ("recordBeaconChainETHBalanceUpdate(address,uint256,int256)", "a1ca780b"),
        ("removeDepositShares(address,address,uint256)", "724af423"),
        ("setPectraForkTimestamp(uint64)", "5a26fbf4"),
        ("setProofTimestampSetter(address)", "0d1e9de1"),
        ("stake(bytes,bytes,bytes32)", "9b4e4634"),
        ("stakerDepositShares(address,address)", "fe243a17"),
        ("withdrawSharesAsTokens(address,address,address,uint256)", "2eae418c"),
    ],
            events: &[
        ("BeaconChainETHDeposited(address,uint256)", "35a85cab"),
        ("BeaconChainETHWithdrawalCompleted(address,uint256,uint96,address,address,bytes32)", "a6bab1d5"),
        ("BeaconChainSlashingFactorDecreased(address,uint64,uint64)", "b160ab85"),
        ("BurnableETHSharesIncreased(uint256)", "1ed04b7f"),
        ("NewTotalShares(address,int256)", "d4def76d"),
        ("PectraForkTimestampSet(uint64)", "1bc8f042"),
        ("PodDeployed(address,address)", "21c99d0d"),
        ("PodSharesUpdated(address,int256)", "4e2b791d"),
        ("ProofTimestampSetterSet(address)", "7025c71a"),
    ],
            errors: &[
        ("EigenPodAlreadyExists()", "0c6a1484"),
        ("InputAddressZero()", "73632176"),
        ("InvalidStrategy()", "4e236e9a"),
        ("LegacyWithdrawalsNotCompleted()", "4b692bcf"),
        ("OnlyDelegationManager()", "f739589b"),
        ("OnlyEigenPod()", "25c2dae2"),
        ("OnlyProofTimestampSetter()", "98611370"),
        ("SharesNegative()", "ef147de1"),
        ("SharesNotMultipleOfGwei()", "8fa0e576"),
    ],
            replaced: &["initialize(address,uint256)"],
            ext_functions: &[
                "initialize(address,address,address,address,address,address,uint256)",
                "beaconRootOracle()",
                "eigenPodExtension()",
                "setEigenPodExtension(address)",
                "proofContext(uint8)",
            ],
            ext_events: &["EigenPodExtensionSet(address)"],
            ext_errors: &[],
        },
        IEigenPodManager::IEigenPodManagerCalls::SELECTORS,
        IEigenPodManager::IEigenPodManagerEvents::SELECTORS,
        IEigenPodManager::IEigenPodManagerErrors::SELECTORS,
    );
}

#[test]
fn ieigenpod_matches_eigenlayer() {
    check(
        &Expected {
            name: "IEigenPod",
            functions: &[
        ("activeValidatorCount()", "2340e8d3"),
        ("checkpointBalanceExitedGwei(uint64)", "52396a59"),
        ("currentCheckpoint()", "47d28372"),
        ("currentCheckpointTimestamp()", "42ecff2a"),
        ("eigenPodManager()", "4665bcda"),
        ("ethPOS()", "74cdd798"),
        ("getConsolidationRequestFee()", "1e515533"),
        ("getParentBlockRoot(uint64)", "6c0d2d5a"),
        ("getWithdrawalRequestFee()", "c44e30dc"),
        ("initialize(address)", "c4d66de8"),
        ("lastCheckpointTimestamp()", "ee94d67c"),
        ("podOwner()", "0b18ff66"),
        ("proofSubmitter()", "58753357"),
        ("recoverTokens(address[],uint256[],address)", "dda3346c"),
        ("requestConsolidation((bytes,bytes)[])", "6691954e"),
        ("requestWithdrawal((bytes,uint64)[])", "3f5fa57a"),
        ("setProofSubmitter(address)", "d06d5587"),
        ("stake(bytes,bytes,bytes32)", "9b4e4634"),
        ("startCheckpoint(bool)", "88676cad"),
        ("validatorPubkeyHashToInfo(bytes32)", "6fcd0e53"),
        ("validatorPubkeyToInfo(bytes)", "b522538a"),
        ("validatorStatus(bytes)", "58eaee79"),
        ("validatorStatus(bytes32)", "7439841f"),
        ("verifyCheckpointProofs((bytes32,bytes),(bytes32,bytes32,bytes)[])", "f074ba62"),
        ("verifyStaleBalance(uint64,(bytes32,bytes),(bytes32[],bytes))", "039157d2"),
        ("verifyWithdrawalCredentials(uint64,(bytes32,bytes),uint40[],bytes[],bytes32[][])", "3f65cf19"),
        ("withdrawRestakedBeaconChainETH(address,uint256)", "c4907442"),
        ("withdrawableRestakedExecutionLayerGwei()", "3474aa16"),
    ],
            events: &[
        ("CheckpointCreated(uint64,bytes32,uint256)", "57579613"),
        ("CheckpointFinalized(uint64,int256)", "525408c2"),
        ("ConsolidationRequested(bytes32,bytes32)", "42f9c9db"),
        ("EigenPodStaked(bytes32)", "a0100376"),
        ("ExitRequested(bytes32)", "60d8ca01"),
        ("NonBeaconChainETHReceived(uint256)", "6fdd3dbd"),
        ("ProofSubmitterUpdated(address,address)", "fb812908"),
        ("RestakedBeaconChainETHWithdrawn(address,uint256)", "8947fd2c"),
        ("SwitchToCompoundingRequested(bytes32)", "c97b965b"),
        ("ValidatorBalanceUpdated(bytes32,uint64,uint64)", "cdae700d"),
        ("ValidatorCheckpointed(uint64,bytes32)", "e4866335"),
        ("ValidatorRestaked(bytes32)", "101790c2"),
        ("ValidatorWithdrawn(uint64,bytes32)", "5ce0aa04"),
        ("WithdrawalRequested(bytes32,uint64)", "8b2737bb"),
    ],
            errors: &[
        ("BeaconTimestampBeforeLatestCheckpoint()", "35e7f6b7"),
        ("BeaconTimestampTooFarInPast()", "37e07ffd"),
        ("CannotCheckpointTwiceInSingleBlock()", "67db5b8b"),
        ("CheckpointAlreadyActive()", "be9bc300"),
        ("CredentialsAlreadyVerified()", "35e09e9d"),
        ("CurrentlyPaused()", "840a48d5"),
        ("EmptyRoot()", "53ce4ece"),
        ("FeeQueryFailed()", "c90158af"),
        ("ForkTimestampZero()", "41a02cc9"),
        ("InputAddressZero()", "73632176"),
        ("InputArrayLengthMismatch()", "43714afd"),
        ("InsufficientFunds()", "356680b7"),
        ("InsufficientWithdrawableBalance()", "0b1bd51c"),
        ("InvalidEIP4788Response()", "558ad0a3"),
        ("InvalidIndex()", "63df8171"),
        ("InvalidProof()", "09bde339"),
        ("InvalidProofLength()", "4dc5f6a4"),
        ("InvalidPubKeyLength()", "9f106472"),
        ("InvalidValidatorFieldsLength()", "200591bd"),
        ("LeavesNotPowerOfTwo()", "f6558f51"),
        ("MsgValueNot32ETH()", "24b4b598"),
        ("NoActiveCheckpoint()", "1a544f49"),
        ("NoBalanceToCheckpoint()", "cb7aa564"),
        ("NotEnoughLeaves()", "f8ef0367"),
        ("OnlyEigenPodManager()", "c84e9984"),
        ("OnlyEigenPodOwner()", "e33e6e06"),
        ("OnlyEigenPodOwnerOrProofSubmitter()", "427a7779"),
        ("PredeployFailed()", "fc52d483"),
        ("TimestampOutOfRange()", "f289ccda"),
        ("ValidatorInactiveOnBeaconChain()", "65608db4"),
        ("ValidatorIsExitingBeaconChain()", "2eade637"),
        ("ValidatorNotActiveInPod()", "d49e19a7"),
        ("ValidatorNotSlashedOnBeaconChain()", "b0e72f68"),
        ("WithdrawalCredentialsNotForEigenPod()", "6ee5baa6"),
    ],
            replaced: &[],
            ext_functions: &[],
            ext_events: &[],
            ext_errors: &[],
        },
        IEigenPod::IEigenPodCalls::SELECTORS,
        IEigenPod::IEigenPodEvents::SELECTORS,
        IEigenPod::IEigenPodErrors::SELECTORS,
    );
}

#[test]
fn irewardscoordinator_matches_eigenlayer() {
    check(
        &Expected {
            name: "IRewardsCoordinator",
            functions: &[
        ("CALCULATION_INTERVAL_SECONDS()", "9d45c281"),
        ("GENESIS_REWARDS_TIMESTAMP()", "131433b4"),
        ("MAX_FUTURE_LENGTH()", "04a0c502"),
        ("MAX_RETROACTIVE_LENGTH()", "37838ed0"),
        ("MAX_REWARDS_DURATION()", "bf21a8aa"),
        ("activationDelay()", "3a8c0786"),
        ("allocationManager()", "ca8aa7c7"),
        ("beaconChainETHStrategy()", "9104c319"),
        ("calculateEarnerLeafHash((address,bytes32))", "149bc872"),
        ("calculateTokenLeafHash((address,uint256))", "f8cd8448"),
        ("checkClaim((uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[]))", "5e9d8348"),
        ("claimerFor(address)", "2b9f64a4"),
        ("createAVSRewardsSubmission(((address,uint96)[],address,uint256,uint32,uint32)[])", "fce36c7d"),
        ("createEigenDARewardsSubmission(address,((address,uint96)[],address,uint256,uint32,uint32)[])", "7282a352"),
        ("createOperatorDirectedAVSRewardsSubmission(address,((address,uint96)[],address,(address,uint256)[],uint32,uint32,string)[])", "9cb9a5fa"),
        ("createOperatorDirectedOperatorSetRewardsSubmission((address,uint32),((address,uint96)[],address,(address,uint256)[],uint32,uint32,string)[])", "0ca29899"),
        ("createRewardsForAllEarners(((address,uint96)[],address,uint256,uint32,uint32)[])", "ff9f6cce"),
        ("createRewardsForAllSubmission(((address,uint96)[],address,uint256,uint32,uint32)[])", "36af41fa"),
        ("createTotalStakeRewardsSubmission((address,uint32),((address,uint96)[],address,uint256,uint32,uint32)[])", "8cb0ae1b"),
        ("createUniqueStakeRewardsSubmission((address,uint32),((address,uint96)[],address,uint256,uint32,uint32)[])", "7ae30583"),
        ("cumulativeClaimed(address,address)", "865c6953"),
        ("currRewardsCalculationEndTimestamp()", "4d18cc35"),
        ("defaultOperatorSplitBips()", "63f6a798"),
        ("delegationManager()", "ea4d3c9b"),
        ("disableRoot(uint32)", "f96abf2e"),
        ("emissionsController()", "67eab2be"),
        ("feeRecipient()", "46904840"),
        ("getCurrentClaimableDistributionRoot()", "0e9a53cf"),
        ("getCurrentDistributionRoot()", "9be3d4e4"),
        ("getDistributionRootAtIndex(uint256)", "de02e503"),
        ("getDistributionRootsLength()", "7b8f8b05"),
        ("getOperatorAVSSplit(address,address)", "e063f81f"),
        ("getOperatorPISplit(address)", "4b943960"),
        ("getOperatorSetSplit(address,(address,uint32))", "9de4b35f"),
        ("getRootIndexFromHash(bytes32)", "e810ce21"),
        ("initialize(address,uint256,address,uint32,uint16,address)", "acad7299"),
        ("isAVSRewardsSubmissionHash(address,bytes32)", "6d21117e"),
        ("isOperatorDirectedAVSRewardsSubmissionHash(address,bytes32)", "ed71e6a2"),
        ("isOperatorDirectedOperatorSetRewardsSubmissionHash(address,bytes32)", "f2f07ab4"),
        ("isOptedInForProtocolFee(address)", "a89c2930"),
        ("isRewardsForAllSubmitter(address)", "0018572c"),
        ("isRewardsSubmissionForAllEarnersHash(address,bytes32)", "aebd8bae"),
        ("isRewardsSubmissionForAllHash(address,bytes32)", "c46db606"),
        ("isTotalStakeRewardsSubmissionHash(address,bytes32)", "b73c1b92"),
        ("isUniqueStakeRewardsSubmissionHash(address,bytes32)", "2943e3ff"),
        ("processClaim((uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[]),address)", "3ccc861d"),
        ("processClaims((uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[])[],address)", "4596021c"),
        ("rewardsUpdater()", "fbf1e2c1"),
        ("setActivationDelay(uint32)", "58baaa3e"),
        ("setClaimerFor(address)", "a0169ddd"),
        ("setClaimerFor(address,address)", "f22cef85"),
        ("setDefaultOperatorSplit(uint16)", "a50a1d9c"),
        ("setFeeRecipient(address)", "e74b981b"),
        ("setOperatorAVSSplit(address,address,uint16)", "dcbb03b3"),
        ("setOperatorPISplit(address,uint16)", "b3dbb0e0"),
        ("setOperatorSetSplit(address,(address,uint32),uint16)", "f74e8eac"),
        ("setOptInForProtocolFee(address,bool)", "8d424f49"),
        ("setRewardsForAllSubmitter(address,bool)", "0eb38345"),
        ("setRewardsUpdater(address)", "863cb9a9"),
        ("strategyManager()", "39b70e38"),
        ("submissionNonce(address)", "bb7e451f"),
        ("submitRoot(bytes32,uint32)", "3efe1db6"),
    ],
            events: &[
        ("AVSRewardsSubmissionCreated(address,uint256,bytes32,((address,uint96)[],address,uint256,uint32,uint32))", "450a367a"),
        ("ActivationDelaySet(uint32,uint32)", "af557c6c"),
        ("ClaimerForSet(address,address,address)", "bab94793"),
        ("DefaultOperatorSplitBipsSet(uint16,uint16)", "e6cd4edf"),
        ("DistributionRootDisabled(uint32)", "d850e6e5"),
        ("DistributionRootSubmitted(uint32,bytes32,uint32,uint32)", "ecd866c3"),
        ("FeeRecipientSet(address,address)", "15d80a01"),
        ("OperatorAVSSplitBipsSet(address,address,address,uint32,uint16,uint16)", "48e198b6"),
        ("OperatorDirectedAVSRewardsSubmissionCreated(address,address,bytes32,uint256,((address,uint96)[],address,(address,uint256)[],uint32,uint32,string))", "fc8888bf"),
        ("OperatorDirectedOperatorSetRewardsSubmissionCreated(address,bytes32,(address,uint32),uint256,((address,uint96)[],address,(address,uint256)[],uint32,uint32,string))", "fff0759c"),
        ("OperatorPISplitBipsSet(address,address,uint32,uint16,uint16)", "d1e028bd"),
        ("OperatorSetSplitBipsSet(address,address,(address,uint32),uint32,uint16,uint16)", "14918b38"),
        ("OptInForProtocolFeeSet(address,bool,bool)", "bb020e17"),
        ("RewardsClaimed(bytes32,address,address,address,address,uint256)", "9543dbd5"),
        ("RewardsForAllSubmitterSet(address,bool,bool)", "4de6293e"),
        ("RewardsSubmissionForAllCreated(address,uint256,bytes32,((address,uint96)[],address,uint256,uint32,uint32))", "51088b8c"),
        ("RewardsSubmissionForAllEarnersCreated(address,uint256,bytes32,((address,uint96)[],address,uint256,uint32,uint32))", "5251b6fd"),
        ("RewardsUpdaterSet(address,address)", "237b82f4"),
        ("TotalStakeRewardsSubmissionCreated(address,bytes32,(address,uint32),uint256,((address,uint96)[],address,uint256,uint32,uint32))", "71836f06"),
        ("UniqueStakeRewardsSubmissionCreated(address,bytes32,(address,uint32),uint256,((address,uint96)[],address,uint256,uint32,uint32))", "b3337dc0"),
    ],
            errors: &[
        ("AmountExceedsMax()", "1c2d69bc"),
        ("AmountIsZero()", "43ad20fc"),
        ("DurationExceedsMax()", "3742e7d4"),
        ("DurationIsZero()", "cb3f434d"),
        ("EarningsNotGreaterThanClaimed()", "aa385e81"),
        ("EmptyRoot()", "53ce4ece"),
        ("InputAddressZero()", "73632176"),
        ("InputArrayLengthMismatch()", "43714afd"),
        ("InputArrayLengthZero()", "796cc525"),
        ("InvalidAddressZero()", "10c748a6"),
        ("InvalidCalculationIntervalSecondsRemainder()", "4478f672"),
        ("InvalidClaimProof()", "69ca16c9"),
        ("InvalidDurationRemainder()", "ee664705"),
        ("InvalidEarner()", "fb494ea1"),
        ("InvalidEarnerLeafIndex()", "6361ce80"),
        ("InvalidGenesisRewardsTimestampRemainder()", "0e06bd31"),
        ("InvalidIndex()", "63df8171"),
        ("InvalidOperatorSet()", "7ec5c154"),
        ("InvalidProofLength()", "4dc5f6a4"),
        ("InvalidRoot()", "504570e3"),
        ("InvalidRootIndex()", "94a8d389"),
        ("InvalidStartTimestampRemainder()", "f06a53c4"),
        ("InvalidTokenLeafIndex()", "a9fe9be0"),
        ("NewRootMustBeForNewCalculatedPeriod()", "729f942c"),
        ("OperatorsNotInAscendingOrder()", "87da3f88"),
        ("PreviousSplitPending()", "7b1e25c5"),
        ("RewardsEndTimestampNotElapsed()", "0d2af922"),
        ("RootAlreadyActivated()", "30dbd994"),
        ("RootDisabled()", "1b14174b"),
        ("RootNotActivated()", "a1bd15d8"),
        ("SplitExceedsMax()", "891c63df"),
        ("StartTimestampTooFarInFuture()", "7ee2b443"),
        ("StartTimestampTooFarInPast()", "08354eae"),
        ("StrategiesNotInAscendingOrder()", "dfad9ca1"),
        ("StrategyNotWhitelisted()", "5dfb2ca2"),
        ("SubmissionNotRetroactive()", "540d6284"),
        ("UnauthorizedCaller()", "5c427cd9"),
    ],
            replaced: &["initialize(address,uint256,address,uint32,uint16,address)"],
            ext_functions: &[
                "initialize((address,address,address,address,address,uint32,uint32,uint32,uint32,uint32,address,uint256,address,uint32,uint16,address))",
                "setImplementations(address,address,address)",
                "submissionsImplementation()",
                "configImplementation()",
                "viewImplementation()",
            ],
            ext_events: &["ImplementationsSet(address,address,address)"],
            ext_errors: &[],
        },
        IRewardsCoordinator::IRewardsCoordinatorCalls::SELECTORS,
        IRewardsCoordinator::IRewardsCoordinatorEvents::SELECTORS,
        IRewardsCoordinator::IRewardsCoordinatorErrors::SELECTORS,
    );
}

#[test]
fn iallocationmanager_matches_eigenlayer() {
    check(
        &Expected {
            name: "IAllocationManager",
            functions: &[
        ("ALLOCATION_CONFIGURATION_DELAY()", "7bc1ef61"),
        ("DEALLOCATION_DELAY()", "2981eb77"),
        ("SLASHER_CONFIGURATION_DELAY()", "67aeaa53"),
        ("addStrategiesToOperatorSet(address,uint32,address[])", "50feea20"),
        ("clearDeallocationQueue(address,address[],uint16[])", "4b5046ef"),
        ("createOperatorSets(address,(uint32,address[])[])", "261f84e0"),
        ("createOperatorSets(address,(uint32,address[],address)[])", "3dff8e7d"),
        ("createRedistributingOperatorSets(address,(uint32,address[])[],address[])", "32a879e4"),
        ("createRedistributingOperatorSets(address,(uint32,address[],address)[],address[])", "d1a83f54"),
        ("delegation()", "df5cf723"),
        ("deregisterFromOperatorSets((address,address,uint32[]))", "6e3492b5"),
        ("eigenStrategy()", "db4df761"),
        ("getAVSRegistrar(address)", "304c10cd"),
        ("getAllocatableMagnitude(address,address)", "6cfb4481"),
        ("getAllocatedSets(address)", "15fe5028"),
        ("getAllocatedStake((address,uint32),address[],address[])", "2b453a9a"),
        ("getAllocatedStrategies(address,(address,uint32))", "c221d8ae"),
        ("getAllocation(address,(address,uint32),address)", "10e1b9b8"),
        ("getAllocationDelay(address)", "b9fbaed1"),
        ("getAllocations(address[],(address,uint32),address)", "8ce64854"),
        ("getEncumberedMagnitude(address,address)", "f605ce08"),
        ("getMaxMagnitude(address,address)", "a9333ec8"),
        ("getMaxMagnitudes(address[],address)", "4a10ffe5"),
        ("getMaxMagnitudes(address,address[])", "547afb87"),
        ("getMaxMagnitudesAtBlock(address,address[],uint32)", "94d7d00c"),
        ("getMemberCount((address,uint32))", "b2447af7"),
        ("getMembers((address,uint32))", "6e875dba"),
        ("getMinimumSlashableStake((address,uint32),address[],address[],uint32)", "2bab2c4a"),
        ("getOperatorSetCount(address)", "ba1a84e5"),
        ("getPendingSlasher((address,uint32))", "d7794857"),
        ("getRedistributionRecipient((address,uint32))", "0f3df50e"),
        ("getRegisteredSets(address)", "79ae50cd"),
        ("getSlashCount((address,uint32))", "4cfd2939"),
        ("getSlasher((address,uint32))", "d4a3fcce"),
        ("getStrategiesInOperatorSet((address,uint32))", "4177a87c"),
        ("getStrategyAllocations(address,address)", "40120dab"),
        ("initialize(uint256)", "fe4b84df"),
        ("isMemberOfOperatorSet(address,(address,uint32))", "670d3ba2"),
        ("isOperatorRedistributable(address)", "dc2af692"),
        ("isOperatorSet((address,uint32))", "260dc758"),
        ("isOperatorSlashable(address,(address,uint32))", "1352c3e6"),
        ("isRedistributingOperatorSet((address,uint32))", "f231bd08"),
        ("migrateSlashers((address,uint32)[])", "957dc50b"),
        ("modifyAllocations(address,((address,uint32),address[],uint64[])[])", "952899ee"),
        ("registerForOperatorSets(address,(address,uint32[],bytes))", "adc2e3d9"),
        ("removeStrategiesFromOperatorSet(address,uint32,address[])", "b66bd989"),
        ("setAVSRegistrar(address,address)", "d3d96ff4"),
        ("setAllocationDelay(address,uint32)", "56c483e6"),
        ("slashOperator(address,(address,uint32,address[],uint256[],string))", "36352057"),
        ("updateAVSMetadataURI(address,string)", "a9821821"),
        ("updateSlasher((address,uint32),address)", "6c9d7c58"),
        ("viewImplementation()", "0b156bb6"),
    ],
            events: &[
        ("AVSMetadataURIUpdated(address,string)", "a89c1dc2"),
        ("AVSRegistrarSet(address,address)", "2ae945c4"),
        ("AllocationDelaySet(address,uint32,uint32)", "4e85751d"),
        ("AllocationUpdated(address,(address,uint32),address,uint64,uint32)", "1487af54"),
        ("EncumberedMagnitudeUpdated(address,address,uint64)", "acf9095f"),
        ("MaxMagnitudeUpdated(address,address,uint64)", "1c645807"),
        ("OperatorAddedToOperatorSet(address,(address,uint32))", "43232edf"),
        ("OperatorRemovedFromOperatorSet(address,(address,uint32))", "ad34c307"),
        ("OperatorSetCreated((address,uint32))", "31629285"),
        ("OperatorSlashed(address,(address,uint32),address[],uint256[],string)", "80969ad2"),
        ("RedistributionAddressSet((address,uint32),address)", "90a6fa2a"),
        ("SlasherMigrated((address,uint32),address)", "f0c8fc7d"),
        ("SlasherUpdated((address,uint32),address,uint32)", "3873f29d"),
        ("StrategyAddedToOperatorSet((address,uint32),address)", "7ab260fe"),
        ("StrategyRemovedFromOperatorSet((address,uint32),address)", "7b4b073d"),
    ],
            errors: &[
        ("AlreadyMemberOfSet()", "d8d8dc4e"),
        ("Empty()", "3db2a12a"),
        ("InputAddressZero()", "73632176"),
        ("InputArrayLengthMismatch()", "43714afd"),
        ("InsufficientMagnitude()", "6c9be0bf"),
        ("InvalidAVSRegistrar()", "e8589e08"),
        ("InvalidCaller()", "48f5c3ed"),
        ("InvalidOperator()", "ccea9e6f"),
        ("InvalidOperatorSet()", "7ec5c154"),
        ("InvalidRedistributionRecipient()", "c97c347e"),
        ("InvalidSnapshotOrdering()", "2a371c7e"),
        ("InvalidStrategy()", "4e236e9a"),
        ("InvalidWadToSlash()", "13536031"),
        ("ModificationAlreadyPending()", "d8fcbe30"),
        ("NonexistentAVSMetadata()", "48f7dbb9"),
        ("NotMemberOfSet()", "25131d4f"),
        ("OperatorNotSlashable()", "ebbff497"),
        ("OperatorSetAlreadyMigrated()", "25c0ba74"),
        ("SameMagnitude()", "8c0c2f26"),
        ("SlasherNotSet()", "255b0f41"),
        ("StrategiesMustBeInAscendingOrder()", "9f1c8053"),
        ("StrategyAlreadyInOperatorSet()", "585cfb2f"),
        ("StrategyNotInOperatorSet()", "6378684e"),
        ("UninitializedAllocationDelay()", "fa55fc81"),
    ],
            replaced: &["initialize(uint256)"],
            ext_functions: &["createOperatorSetsWithSlashingGuard(address,(uint32,address[],address)[],(uint64,uint32,address)[])", "getSlashingGuard((address,uint32))", "getQueuedSlash((address,uint32),uint256)", "getWithdrawalSlashHold(address,uint32)", "vetoSlash((address,uint32),uint256)", "executeSlash((address,uint32),uint256,(address,uint32,address[],uint256[],string))", "initialize(address,address,address,address,uint32,uint32,uint256)", "configImplementation()", "setImplementations(address,address,address,address)"],
            ext_events: &["ImplementationsSet(address,address,address,address)", "SlashQueued((address,uint32),uint256,(address,uint32,address[],uint256[],string),uint32)", "SlashVetoed((address,uint32),uint256,address)", "SlashExecuted((address,uint32),uint256,uint256)", "SlashingGuardSet((address,uint32),(uint64,uint32,address))"],
            ext_errors: &["InvalidSlashingGuard()", "SlashExceedsIncidentCap()", "SlashNotQueued()", "SlashVetoWindowActive()", "SlashVetoWindowElapsed()", "SlashNotExecutable()", "OnlySlashResolver()"],
        },
        IAllocationManager::IAllocationManagerCalls::SELECTORS,
        IAllocationManager::IAllocationManagerEvents::SELECTORS,
        IAllocationManager::IAllocationManagerErrors::SELECTORS,
    );
}

#[test]
fn ipausable_matches_eigenlayer() {
    check(
        &Expected {
            name: "IPausable",
            functions: &[
                ("pause(uint256)", "136439dd"),
                ("pauseAll()", "595c6a67"),
                ("paused(uint8)", "5ac86ab7"),
                ("paused()", "5c975abb"),
                ("pauserRegistry()", "886f1195"),
                ("unpause(uint256)", "fabc1cbc"),
            ],
            events: &[
                ("Paused(address,uint256)", "ab40a374"),
                ("Unpaused(address,uint256)", "3582d182"),
            ],
            errors: &[
                ("InputAddressZero()", "73632176"),
                ("OnlyPauser()", "75df51dc"),
                ("OnlyUnpauser()", "794821ff"),
                ("CurrentlyPaused()", "840a48d5"),
                ("InvalidNewPausedStatus()", "c61dca5d"),
            ],
            replaced: &[],
            ext_functions: &[],
            ext_events: &[],
            ext_errors: &[],
        },
        IPausable::IPausableCalls::SELECTORS,
        IPausable::IPausableEvents::SELECTORS,
        IPausable::IPausableErrors::SELECTORS,
    );
}

#[test]
fn iownable_matches_eigenlayer() {
    check(
        &Expected {
            name: "IOwnable",
            functions: &[
                ("owner()", "8da5cb5b"),
                ("renounceOwnership()", "715018a6"),
                ("transferOwnership(address)", "f2fde38b"),
            ],
            events: &[("OwnershipTransferred(address,address)", "8be0079c")],
            errors: &[],
            replaced: &[],
            ext_functions: &[],
            ext_events: &[],
            ext_errors: &[],
        },
        IOwnable::IOwnableCalls::SELECTORS,
        IOwnable::IOwnableEvents::SELECTORS,
        &[],
    );
}

#[test]
fn isignatureutilsmixin_matches_eigenlayer() {
    check(
        &Expected {
            name: "ISignatureUtilsMixin",
            functions: &[("domainSeparator()", "f698da25"), ("version()", "54fd4d50")],
            events: &[],
            errors: &[
                ("SignatureExpired()", "0819bdcd"),
                ("StringTooLong(string)", "305a27a9"),
                ("InvalidSignature()", "8baa579f"),
                ("InvalidShortString()", "b3512b0c"),
            ],
            replaced: &[],
            ext_functions: &[],
            ext_events: &[],
            ext_errors: &[],
        },
        ISignatureUtilsMixin::ISignatureUtilsMixinCalls::SELECTORS,
        &[],
        ISignatureUtilsMixin::ISignatureUtilsMixinErrors::SELECTORS,
    );
}

#[test]
fn ipermissioncontroller_matches_eigenlayer() {
    check(
        &Expected {
            name: "IPermissionController",
            functions: &[
                ("acceptAdmin(address)", "628806ef"),
                ("addPendingAdmin(address,address)", "eb5a4e87"),
                ("canCall(address,address,address,bytes4)", "df595cb8"),
                ("getAdmins(address)", "ad5f2210"),
                ("getAppointeePermissions(address,address)", "882a3b38"),
                ("getAppointees(address,address,bytes4)", "fddbdefd"),
                ("getPendingAdmins(address)", "6bddfa1f"),
                ("isAdmin(address,address)", "91006745"),
                ("isPendingAdmin(address,address)", "ad8aca77"),
                ("removeAdmin(address,address)", "268959e5"),
                (
                    "removeAppointee(address,address,address,bytes4)",
                    "06641201",
                ),
                ("removePendingAdmin(address,address)", "4f906cf9"),
                ("setAppointee(address,address,address,bytes4)", "950d806e"),
            ],
            events: &[],
            errors: &[],
            replaced: &[],
            ext_functions: &[],
            ext_events: &[
                "AppointeeSet(address,address,address,bytes4)",
                "AppointeeRemoved(address,address,address,bytes4)",
                "PendingAdminAdded(address,address)",
                "PendingAdminRemoved(address,address)",
                "AdminSet(address,address)",
                "AdminRemoved(address,address)",
            ],
            ext_errors: &[
                "AdminAlreadyPending()",
                "AdminAlreadySet()",
                "AdminNotPending()",
                "AdminNotSet()",
                "AppointeeAlreadySet()",
                "AppointeeNotSet()",
                "CannotHaveZeroAdmins()",
                "NotAdmin()",
            ],
        },
        IPermissionController::IPermissionControllerCalls::SELECTORS,
        IPermissionController::IPermissionControllerEvents::SELECTORS,
        IPermissionController::IPermissionControllerErrors::SELECTORS,
    );
}

#[test]
fn ipauserregistry_matches_eigenlayer() {
    check(
        &Expected {
            name: "IPauserRegistry",
            functions: &[
                ("isPauser(address)", "46fbf68e"),
                ("setIsPauser(address,bool)", "85685206"),
                ("setUnpauser(address)", "ce548428"),
                ("unpauser()", "eab66d7a"),
            ],
            events: &[],
            errors: &[],
            replaced: &[],
            ext_functions: &["initialize(address[],address)"],
            ext_events: &[
                "PauserStatusChanged(address,bool)",
                "UnpauserChanged(address,address)",
            ],
            ext_errors: &["InputAddressZero()", "OnlyUnpauser()"],
        },
        IPauserRegistry::IPauserRegistryCalls::SELECTORS,
        IPauserRegistry::IPauserRegistryEvents::SELECTORS,
        IPauserRegistry::IPauserRegistryErrors::SELECTORS,
    );
}

#[test]
fn iavsdirectory_matches_eigenlayer() {
    // Functions from the notes' AVSDirectory list (mixins — Pausable, Ownable, SignatureUtilsMixin —
    // are pinned by their own tests). Event topics and error selectors are the ones Layr-Labs'
    // published bindings of IAVSDirectory carry (and the notes' `SaltSpent`, `AVSMetadataURIUpdated`).
    check(
        &Expected {
            name: "IAVSDirectory",
            functions: &[
                ("OPERATOR_AVS_REGISTRATION_TYPEHASH()", "d79aceab"),
                ("OPERATOR_SET_FORCE_DEREGISTRATION_TYPEHASH()", "dce974b9"),
                ("OPERATOR_SET_REGISTRATION_TYPEHASH()", "c825fe68"),
                ("avsOperatorStatus(address,address)", "49075da3"),
                (
                    "calculateOperatorAVSRegistrationDigestHash(address,address,bytes32,uint256)",
                    "a1060c88",
                ),
                ("cancelSalt(bytes32)", "ec76f442"),
                ("delegation()", "df5cf723"),
                ("deregisterOperatorFromAVS(address)", "a364f4da"),
                ("initialize(address,uint256)", "cd6dc687"),
                ("operatorSaltIsSpent(address,bytes32)", "374823b5"),
                (
                    "registerOperatorToAVS(address,(bytes,bytes32,uint256))",
                    "9926ee7d",
                ),
                ("updateAVSMetadataURI(string)", "a98fb355"),
            ],
            events: &[
                ("AVSMetadataURIUpdated(address,string)", "a89c1dc2"),
                (
                    "OperatorAVSRegistrationStatusUpdated(address,address,uint8)",
                    "f0952b1c",
                ),
            ],
            errors: &[
                ("OperatorAlreadyRegisteredToAVS()", "354a5176"),
                ("OperatorNotRegisteredToAVS()", "52df45c9"),
                ("OperatorNotRegisteredToEigenLayer()", "9f88c8af"),
                ("SaltSpent()", "35313244"),
            ],
            replaced: &["initialize(address,uint256)"],
            ext_functions: &[
                "DOMAIN_TYPEHASH()",
                "initialize(address,address,address,uint256)",
            ],
            ext_events: &[],
            ext_errors: &[],
        },
        IAVSDirectory::IAVSDirectoryCalls::SELECTORS,
        IAVSDirectory::IAVSDirectoryEvents::SELECTORS,
        IAVSDirectory::IAVSDirectoryErrors::SELECTORS,
    );
}
