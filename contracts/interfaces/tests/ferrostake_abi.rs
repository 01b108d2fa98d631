//! Pins the selectors and topics of the interfaces that are not EigenLayer's: standard ones (ERC-20,
//! ERC-4626, ERC-7540, the beacon deposit contract) against their well-known published values, and
//! ours against keccak-256 of hand-written signature strings. Completeness is checked both ways.
use alloy_sol_types::{SolCall, SolEvent};
use ferrostake_interfaces::*;
use tiny_keccak::{Hasher, Keccak};

fn keccak(s: &str) -> [u8; 32] {
    let mut k = Keccak::v256();
    k.update(s.as_bytes());
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    out
}

fn sel(sig: &str) -> [u8; 4] {
    keccak(sig)[..4].try_into().unwrap()
}

fn same_set<const N: usize>(what: &str, ours: &[[u8; N]], expected: Vec<[u8; N]>) {
    for e in &expected {
        assert!(ours.contains(e), "{what}: missing {:02x?}", &e[..4]);
    }
    for o in ours {
        assert!(expected.contains(o), "{what}: unexpected {:02x?}", &o[..4]);
    }
}

#[test]
fn well_known_standard_selectors() {
    // Published values (ERC-20, ERC-4626, ERC-7540, ERC-165, deposit contract).
    for (sig, hex) in [
        ("transfer(address,uint256)", [0xa9, 0x05, 0x9c, 0xbb]),
        ("approve(address,uint256)", [0x09, 0x5e, 0xa7, 0xb3]),
        (
            "transferFrom(address,address,uint256)",
            [0x23, 0xb8, 0x72, 0xdd],
        ),
        ("balanceOf(address)", [0x70, 0xa0, 0x82, 0x31]),
        ("deposit(uint256,address)", [0x6e, 0x55, 0x3f, 0x65]),
        ("redeem(uint256,address,address)", [0xba, 0x08, 0x76, 0x52]),
        ("supportsInterface(bytes4)", [0x01, 0xff, 0xc9, 0xa7]),
        (
            "deposit(bytes,bytes,bytes,bytes32)",
            [0x22, 0x89, 0x51, 0x18],
        ),
    ] {
        assert_eq!(sel(sig), hex, "{sig}");
    }
    assert_eq!(
        keccak("Transfer(address,address,uint256)")[..4],
        [0xdd, 0xf2, 0x52, 0xad],
        "ERC-20 Transfer topic"
    );
    assert_eq!(
        IERC20::Transfer::SIGNATURE_HASH.0[..4],
        [0xdd, 0xf2, 0x52, 0xad]
    );
    assert_eq!(IERC20::transferCall::SELECTOR, [0xa9, 0x05, 0x9c, 0xbb]);
    assert_eq!(
        IETHPOSDeposit::depositCall::SELECTOR,
        [0x22, 0x89, 0x51, 0x18]
    );
}

#[test]
fn erc20_interface_is_complete() {
    let f = [
        "totalSupply()",
        "balanceOf(address)",
        "transfer(address,uint256)",
        "allowance(address,address)",
        "approve(address,uint256)",
        "transferFrom(address,address,uint256)",
        "name()",
        "symbol()",
        "decimals()",
    ];
    same_set(
        "IERC20 functions",
        IERC20::IERC20Calls::SELECTORS,
        f.iter().map(|s| sel(s)).collect(),
    );
    let e = [
        "Transfer(address,address,uint256)",
        "Approval(address,address,uint256)",
    ];
    same_set(
        "IERC20 events",
        IERC20::IERC20Events::SELECTORS,
        e.iter().map(|s| keccak(s)).collect(),
    );
}

#[test]
fn beacon_root_oracle_and_deposit_contract() {
    let f = [
        "postRoot(uint64,bytes32)",
        "setUpdater(address,bool)",
        "isUpdater(address)",
        "rootAt(uint64)",
        "latestRootAtOrBefore(uint64)",
        "latestTimestamp()",
        "maxRootAge()",
        "setMaxRootAge(uint64)",
        "revokeRoot(uint64)",
        "isRevoked(uint64)",
        "initialize(address,address)",
    ];
    same_set(
        "IBeaconRootOracle functions",
        IBeaconRootOracle::IBeaconRootOracleCalls::SELECTORS,
        f.iter().map(|s| sel(s)).collect(),
    );
    let e = [
        "RootPosted(uint64,bytes32,address)",
        "UpdaterSet(address,bool)",
        "RootRevoked(uint64,bytes32)",
        "MaxRootAgeSet(uint64)",
    ];
    same_set(
        "IBeaconRootOracle events",
        IBeaconRootOracle::IBeaconRootOracleEvents::SELECTORS,
        e.iter().map(|s| keccak(s)).collect(),
    );
    let r = [
        "OnlyUpdater()",
        "RootAlreadyPosted()",
        "RootUnknown()",
        "ZeroRoot()",
        "ZeroTimestamp()",
        "RootFromTheFuture(uint64,uint64)",
        "NoFreshRoot(uint64,uint64)",
        "MaxRootAgeOutOfRange(uint64)",
    ];
    same_set(
        "IBeaconRootOracle errors",
        IBeaconRootOracle::IBeaconRootOracleErrors::SELECTORS,
        r.iter().map(|s| sel(s)).collect(),
    );

    let f = [
        "deposit(bytes,bytes,bytes,bytes32)",
        "get_deposit_root()",
        "get_deposit_count()",
    ];
    same_set(
        "IETHPOSDeposit functions",
        IETHPOSDeposit::IETHPOSDepositCalls::SELECTORS,
        f.iter().map(|s| sel(s)).collect(),
    );
    let e = ["DepositEvent(bytes,bytes,bytes,bytes,bytes)"];
    same_set(
        "IETHPOSDeposit events",
        IETHPOSDeposit::IETHPOSDepositEvents::SELECTORS,
        e.iter().map(|s| keccak(s)).collect(),
    );
}

#[test]
fn avs_registrar_and_permission_mixin() {
    let f = [
        "registerOperator(address,address,uint32[],bytes)",
        "deregisterOperator(address,address,uint32[])",
        "supportsAVS(address)",
    ];
    same_set(
        "IAVSRegistrar functions",
        IAVSRegistrar::IAVSRegistrarCalls::SELECTORS,
        f.iter().map(|s| sel(s)).collect(),
    );
    // EigenLayer's PermissionControllerMixin: permissionController() 0x4657e26a, InvalidPermissions() 0x932d94f7.
    assert_eq!(sel("permissionController()"), [0x46, 0x57, 0xe2, 0x6a]);
    assert_eq!(sel("InvalidPermissions()"), [0x93, 0x2d, 0x94, 0xf7]);
    same_set(
        "IPermissionControllerMixin functions",
        IPermissionControllerMixin::IPermissionControllerMixinCalls::SELECTORS,
        vec![sel("permissionController()")],
    );
    same_set(
        "IPermissionControllerMixin errors",
        IPermissionControllerMixin::IPermissionControllerMixinErrors::SELECTORS,
        vec![sel("InvalidPermissions()")],
    );
}

#[test]
fn lrt_vault_abi_is_pinned() {
    let f = [
        "name()",
        "symbol()",
        "decimals()",
        "totalSupply()",
        "balanceOf(address)",
        "transfer(address,uint256)",
        "allowance(address,address)",
        "approve(address,uint256)",
        "transferFrom(address,address,uint256)",
        "asset()",
        "share()",
        "totalAssets()",
        "convertToShares(uint256)",
        "convertToAssets(uint256)",
        "maxDeposit(address)",
        "previewDeposit(uint256)",
        "deposit(uint256,address)",
        "maxMint(address)",
        "previewMint(uint256)",
        "mint(uint256,address)",
        "maxWithdraw(address)",
        "previewWithdraw(uint256)",
        "withdraw(uint256,address,address)",
        "maxRedeem(address)",
        "previewRedeem(uint256)",
        "redeem(uint256,address,address)",
        "depositWithMinShares(uint256,address,uint256)",
        "requestRedeem(uint256,address,address)",
        "pendingRedeemRequest(uint256,address)",
        "claimableRedeemRequest(uint256,address)",
        "setOperator(address,bool)",
        "isOperator(address,address)",
        "supportsInterface(bytes4)",
        "getRate()",
        "syncNav()",
        "slashableExposure()",
        "finalizeRequests(uint256)",
        "finalizeRequestsWhenStale(uint256)",
        "setOperatorWeights(address[],uint16[])",
        "pauseAction(uint8,uint64)",
        "unpauseAction(uint8)",
        "setPerformanceFee(uint16)",
        "setCaps(uint256,uint64,uint256,uint256)",
        "setExposureLimits(uint16,uint16)",
        // Ferrostake extensions
        "initialize((address,address,address,address,address,address,address,address,address,address,address,address,address),(uint16,uint16,uint64,uint64,uint16,uint256,uint64,uint256,uint256,uint16,uint16),address[],string,string)",
        "setImplementations(address,address,address)",
        "setRoles(address,address,address,address)",
        "allocate(uint256)",
        "queueUnstake(address,uint256)",
        "completeUnstake(address,(address,address,address,uint256,uint32,address[],uint256[]))",
        "delegatorOf(address)",
        "navBreakdown()",
        "requestInfo(uint256)",
        "pausedUntil(uint8)",
        "recycleDelegator(address)",
        "setRewardsConfig(address,address)",
        "rewardsConfig()",
        "claimRewards((uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[]))",
        "sweepToken(address,address)",
    ];
    same_set(
        "ILrtVault functions",
        ILrtVault::ILrtVaultCalls::SELECTORS,
        f.iter().map(|s| sel(s)).collect(),
    );
    // ERC-7540's requestRedeem selector as published: 0x7d41c86e.
    assert_eq!(
        ILrtVault::requestRedeemCall::SELECTOR,
        [0x7d, 0x41, 0xc8, 0x6e]
    );
    let e = [
        "Transfer(address,address,uint256)",
        "Approval(address,address,uint256)",
        "Deposit(address,address,uint256,uint256)",
        "Withdraw(address,address,address,uint256,uint256)",
        "RedeemRequest(address,address,uint256,address,uint256)",
        "OperatorSet(address,address,bool)",
        "RequestsFinalized(uint256,uint256,uint256,uint256)",
        "NavSynced(uint256,uint256,uint256)",
        "OperatorWeightsSet(address[],uint16[])",
        "ActionPaused(uint8,uint64)",
        "ActionUnpaused(uint8)",
        "FeeSet(uint16)",
        "CapsSet(uint256,uint64,uint256,uint256)",
        "ExposureLimitsSet(uint16,uint16)",
        "ImplementationsSet(address,address,address)",
        "RolesSet(address,address,address,address)",
        "Allocated(address,address,uint256)",
        "UnstakeQueued(address,bytes32,uint256)",
        "UnstakeCompleted(address,bytes32,uint256)",
        "DelegatorRecycled(address,address)",
        "RewardsConfigSet(address,address)",
        "TokenSwept(address,address,uint256)",
    ];
    same_set(
        "ILrtVault events",
        ILrtVault::ILrtVaultEvents::SELECTORS,
        e.iter().map(|s| keccak(s)).collect(),
    );
    let r = [
        "ERC20InsufficientBalance(address,uint256,uint256)",
        "ERC20InsufficientAllowance(address,uint256,uint256)",
        "ERC20InvalidReceiver(address)",
        "ERC20InvalidSender(address)",
        "ERC20InvalidSpender(address)",
        "ZeroShares()",
        "ZeroAssets()",
        "SlippageExceeded(uint256,uint256)",
        "DepositCapExceeded(uint256)",
        "RequestSizeOutOfBounds(uint256,uint256,uint256)",
        "DepositAndRequestInSameTransaction()",
        "ActionIsPaused(uint8)",
        "RateDecreased(uint256,uint256)",
        "NotController()",
        "RequestNotClaimable(uint256)",
        "RequestNotFinalizable(uint256)",
        "AsyncRedeemOnly()",
        "FeeAboveMaximum(uint16,uint16)",
        "ExposureLimitExceeded(address,uint256,uint256)",
        "TooManyOperators(uint256,uint256)",
        "WeightsMustSumToOne()",
        "OnlyManager()",
        "OnlyGuardian()",
        "OnlyKeeper()",
        "KeeperNotStale()",
        "SyncMoveTooLarge(uint256,uint256)",
        "ZeroAddress()",
        "InvalidAction(uint8)",
        "UnknownOperator(address)",
        "InsufficientLiquidity(uint256,uint256)",
        "InvalidWithdrawal()",
        "NotDelegatorOfVault(address)",
        "BipsAboveOne(uint16)",
        "KeeperStaleAfterZero()",
        "SlashPending(address)",
        "TooManyPendingUnstakes(uint256)",
        "DelegatorInUse(address)",
        "RewardsNotConfigured()",
        "CannotSweep(address)",
    ];
    same_set(
        "ILrtVault errors",
        ILrtVault::ILrtVaultErrors::SELECTORS,
        r.iter().map(|s| sel(s)).collect(),
    );
}

#[test]
fn shared_errors_are_pinned() {
    let r = [
        "MathOverflow()",
        "DivisionByZero()",
        "ReentrantCall()",
        "AlreadyInitialized()",
        "OwnableUnauthorizedAccount(address)",
        "OwnableInvalidOwner(address)",
        "InvalidReturnData(address)",
        "NoCodeAt(address)",
        "SafeERC20FailedOperation(address)",
        "EthTransferFailed(address,uint256)",
        "InvalidCalldata()",
        "UnknownSelector(bytes4)",
        "OnlyProxyAdmin()",
    ];
    // OpenZeppelin's published selectors for the errors we share with it.
    assert_eq!(
        sel("OwnableUnauthorizedAccount(address)"),
        [0x11, 0x8c, 0xda, 0xa7]
    );
    assert_eq!(
        sel("SafeERC20FailedOperation(address)"),
        [0x52, 0x74, 0xaf, 0xe7]
    );
    same_set(
        "IFerrostakeErrors",
        IFerrostakeErrors::IFerrostakeErrorsErrors::SELECTORS,
        r.iter().map(|s| sel(s)).collect(),
    );
}
