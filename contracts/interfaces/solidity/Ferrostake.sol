// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

// The external ABI of the Ferrostake suite, written by us from EigenLayer's published interfaces
// (core v1.12.0: same function signatures, structs, events and custom errors, so selectors match and
// EigenLayer integrations work unchanged). Items marked "Ferrostake extension" are ours; nothing of
// EigenLayer's is changed.
//
// One file so the Rust `sol!` macro (in contracts/interfaces and deploy/) sees every type at once;
// integrators can import it as is. Interface-typed parameters (IStrategy, IERC20, ...) are addresses
// in the ABI.

// ------------------------------------------------------------------------------------------------
// Shared types
// ------------------------------------------------------------------------------------------------

/// An AVS's operator set. Key: `bytes32(abi.encodePacked(avs, uint96(id)))`.
struct OperatorSet {
    address avs;
    uint32 id;
}

/// An ECDSA or EIP-1271 signature with its expiry (unix seconds).
struct SignatureWithExpiry {
    bytes signature;
    uint256 expiry;
}

/// A signature with a single-use salt and an expiry.
struct SignatureWithSaltAndExpiry {
    bytes signature;
    bytes32 salt;
    uint256 expiry;
}

/// A queued withdrawal. Its root is `keccak256(abi.encode(withdrawal))`.
struct Withdrawal {
    address staker;
    address delegatedTo;
    address withdrawer;
    uint256 nonce;
    uint32 startBlock;
    address[] strategies;
    uint256[] scaledShares;
}

/// Input to `queueWithdrawals`: deposit shares per strategy.
struct QueuedWithdrawalParams {
    address[] strategies;
    uint256[] depositShares;
    address __deprecated_withdrawer;
}

/// An operator's allocation to one (operator set, strategy).
struct Allocation {
    uint64 currentMagnitude;
    int128 pendingDiff;
    uint32 effectBlock;
}

/// Input to `modifyAllocations`.
struct AllocateParams {
    OperatorSet operatorSet;
    address[] strategies;
    uint64[] newMagnitudes;
}

/// Input to `registerForOperatorSets`.
struct RegisterParams {
    address avs;
    uint32[] operatorSetIds;
    bytes data;
}

/// Input to `deregisterFromOperatorSets`.
struct DeregisterParams {
    address operator;
    address avs;
    uint32[] operatorSetIds;
}

/// Input to `createOperatorSets` (slasher = the AVS).
struct CreateSetParams {
    uint32 operatorSetId;
    address[] strategies;
}

/// Input to `createOperatorSets` with an explicit slasher.
struct CreateSetParamsV2 {
    uint32 operatorSetId;
    address[] strategies;
    address slasher;
}

/// Input to `slashOperator`: a WAD fraction per strategy (strategies strictly ascending).
struct SlashingParams {
    address operator;
    uint32 operatorSetId;
    address[] strategies;
    uint256[] wadsToSlash;
    string description;
}

/// Ferrostake extension: an operator set's opt-in slashing guard. A zero `vetoWindowBlocks` and a
/// `maxWadPerIncident` of 1e18 mean "no guard" (EigenLayer behaviour).
struct SlashingGuard {
    uint64 maxWadPerIncident;
    uint32 vetoWindowBlocks;
    address resolver;
}

/// Ferrostake extension: a slash waiting out its veto window.
struct QueuedSlash {
    bytes32 paramsHash;
    uint32 executableAtBlock;
    bool vetoed;
    bool executed;
}

/// Validator status in an EigenPod.
enum VALIDATOR_STATUS {
    INACTIVE,
    ACTIVE,
    WITHDRAWN
}

/// What an EigenPod knows about one validator.
struct ValidatorInfo {
    uint64 validatorIndex;
    uint64 restakedBalanceGwei;
    uint64 lastCheckpointedAt;
    VALIDATOR_STATUS status;
}

/// An EigenPod checkpoint in progress.
struct Checkpoint {
    bytes32 beaconBlockRoot;
    uint24 proofsRemaining;
    uint64 podBalanceGwei;
    int64 balanceDeltasGwei;
    uint64 prevBeaconBalanceGwei;
}

/// EIP-7251 consolidation request.
struct ConsolidationRequest {
    bytes srcPubkey;
    bytes targetPubkey;
}

/// EIP-7002 withdrawal request.
struct WithdrawalRequest {
    bytes pubkey;
    uint64 amountGwei;
}

/// Proof of a beacon state root under a beacon block root.
struct StateRootProof {
    bytes32 beaconStateRoot;
    bytes proof;
}

/// Proof of a validator's fields under a beacon state root.
struct ValidatorProof {
    bytes32[] validatorFields;
    bytes proof;
}

/// Proof of the balances container under a beacon block root.
struct BalanceContainerProof {
    bytes32 balanceContainerRoot;
    bytes proof;
}

/// Proof of one validator's balance under the balances container.
struct BalanceProof {
    bytes32 pubkeyHash;
    bytes32 balanceRoot;
    bytes proof;
}

/// A strategy and its rewards weight multiplier.
struct StrategyAndMultiplier {
    address strategy;
    uint96 multiplier;
}

/// A rewards submission.
struct RewardsSubmission {
    StrategyAndMultiplier[] strategiesAndMultipliers;
    address token;
    uint256 amount;
    uint32 startTimestamp;
    uint32 duration;
}

/// An operator's amount in an operator-directed submission.
struct OperatorReward {
    address operator;
    uint256 amount;
}

/// An operator-directed rewards submission.
struct OperatorDirectedRewardsSubmission {
    StrategyAndMultiplier[] strategiesAndMultipliers;
    address token;
    OperatorReward[] operatorRewards;
    uint32 startTimestamp;
    uint32 duration;
    string description;
}

/// A posted rewards distribution root.
struct DistributionRoot {
    bytes32 root;
    uint32 rewardsCalculationEndTimestamp;
    uint32 activatedAt;
    bool disabled;
}

/// Earner leaf of the distribution tree.
struct EarnerTreeMerkleLeaf {
    address earner;
    bytes32 earnerTokenRoot;
}

/// Token leaf of an earner's token tree.
struct TokenTreeMerkleLeaf {
    address token;
    uint256 cumulativeEarnings;
}

/// A claim against a distribution root.
struct RewardsMerkleClaim {
    uint32 rootIndex;
    uint32 earnerIndex;
    bytes earnerTreeProof;
    EarnerTreeMerkleLeaf earnerLeaf;
    uint32[] tokenIndices;
    bytes[] tokenTreeProofs;
    TokenTreeMerkleLeaf[] tokenLeaves;
}

/// Configuration of a duration vault (EigenLayer; not supported by Ferrostake's factory).
struct VaultConfig {
    address underlyingToken;
    address vaultAdmin;
    address arbitrator;
    uint32 duration;
    uint256 maxPerDeposit;
    uint256 stakeCap;
    string metadataURI;
    OperatorSet operatorSet;
    bytes operatorSetRegistrationData;
    address delegationApprover;
    string operatorMetadataURI;
}

/// Ferrostake extension: what EigenLayer passes to the RewardsCoordinator's constructor and
/// `initialize`, passed to our one-shot `initialize` (there are no immutables behind a proxy).
struct RewardsCoordinatorInitParams {
    address delegationManager;
    address strategyManager;
    address allocationManager;
    address pauserRegistry;
    address permissionController;
    uint32 calculationIntervalSeconds;
    uint32 maxRewardsDuration;
    uint32 maxRetroactiveLength;
    uint32 maxFutureLength;
    uint32 genesisRewardsTimestamp;
    address initialOwner;
    uint256 initialPausedStatus;
    address rewardsUpdater;
    uint32 activationDelay;
    uint16 defaultSplitBips;
    address feeRecipient;
}

// ------------------------------------------------------------------------------------------------
// Ferrostake's own errors (shared library: math, calls, initialization, access)
// ------------------------------------------------------------------------------------------------

/// Ferrostake extension: errors any Ferrostake contract may revert with, beyond its interface's.
interface IFerrostakeErrors {
    /// Arithmetic exceeded 256 bits.
    error MathOverflow();
    /// Division by zero.
    error DivisionByZero();
    /// A guarded function was re-entered.
    error ReentrantCall();
    /// `initialize` was already called.
    error AlreadyInitialized();
    /// The caller is not the owner (OpenZeppelin's error).
    error OwnableUnauthorizedAccount(address account);
    /// The new owner is invalid (OpenZeppelin's error).
    error OwnableInvalidOwner(address owner);
    /// A called contract returned data that does not decode as its ABI says.
    error InvalidReturnData(address target);
    /// A call went to an address without code.
    error NoCodeAt(address target);
    /// An ERC-20 operation failed (OpenZeppelin's error).
    error SafeERC20FailedOperation(address token);
    /// Sending ETH failed.
    error EthTransferFailed(address to, uint256 amount);
    /// Calldata of 1-3 bytes, arguments that do not decode, or value sent to a non-payable
    /// function.
    error InvalidCalldata();
    /// No function of this program has this selector.
    error UnknownSelector(bytes4 selector);
    /// Only the proxy's ERC-1967 admin (the account that can upgrade it) may change the code this
    /// contract delegates to (`setViewImplementation`, `setImplementations`,
    /// `setEigenPodExtension`).
    error OnlyProxyAdmin();
}

// ------------------------------------------------------------------------------------------------
// ERC-20
// ------------------------------------------------------------------------------------------------

/// ERC-20 with metadata, as the suite calls tokens.
interface IERC20 {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
}

// ------------------------------------------------------------------------------------------------
// Mixins
// ------------------------------------------------------------------------------------------------

/// Pausers and the unpauser of the suite.
interface IPauserRegistry {
    /// An address was made (or unmade) a pauser.
    event PauserStatusChanged(address pauser, bool canPause);
    /// The unpauser changed.
    event UnpauserChanged(address previousUnpauser, address newUnpauser);

    error InputAddressZero();
    error OnlyUnpauser();

    function isPauser(address pauser) external view returns (bool);
    function unpauser() external view returns (address);
    function setIsPauser(address newPauser, bool canPause) external;
    function setUnpauser(address newUnpauser) external;

    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor arguments).
    function initialize(address[] calldata pausers, address initialUnpauser) external;
}

/// EigenLayer's pause bitmap: `pause` may only set bits, `unpause` only clear them.
interface IPausable {
    event Paused(address indexed account, uint256 newPausedStatus);
    event Unpaused(address indexed account, uint256 newPausedStatus);

    error InputAddressZero();
    error OnlyPauser();
    error OnlyUnpauser();
    error CurrentlyPaused();
    error InvalidNewPausedStatus();

    function pauserRegistry() external view returns (address);
    function pause(uint256 newPausedStatus) external;
    function pauseAll() external;
    function unpause(uint256 newPausedStatus) external;
    function paused() external view returns (uint256);
    function paused(uint8 index) external view returns (bool);
}

/// OpenZeppelin `Ownable` as EigenLayer's contracts expose it.
interface IOwnable {
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    function owner() external view returns (address);
    function transferOwnership(address newOwner) external;
    function renounceOwnership() external;
}

/// Signature helpers (EIP-712 domain "EigenLayer", version = major version).
interface ISignatureUtilsMixin {
    error InvalidSignature();
    error SignatureExpired();
    error StringTooLong(string str);
    error InvalidShortString();

    function domainSeparator() external view returns (bytes32);
    function version() external view returns (string memory);
}

/// Contracts whose callers may be appointees of an AVS or operator (checked with the
/// PermissionController).
interface IPermissionControllerMixin {
    error InvalidPermissions();

    function permissionController() external view returns (address);
}

/// Admins and appointees acting for AVSs and operators.
interface IPermissionController {
    event AppointeeSet(address indexed account, address indexed appointee, address target, bytes4 selector);
    event AppointeeRemoved(address indexed account, address indexed appointee, address target, bytes4 selector);
    event PendingAdminAdded(address indexed account, address admin);
    event PendingAdminRemoved(address indexed account, address admin);
    event AdminSet(address indexed account, address admin);
    event AdminRemoved(address indexed account, address admin);

    error AdminAlreadyPending();
    error AdminAlreadySet();
    error AdminNotPending();
    error AdminNotSet();
    error AppointeeAlreadySet();
    error AppointeeNotSet();
    error CannotHaveZeroAdmins();
    error NotAdmin();

    function addPendingAdmin(address account, address admin) external;
    function removePendingAdmin(address account, address admin) external;
    function acceptAdmin(address account) external;
    function removeAdmin(address account, address admin) external;
    function setAppointee(address account, address appointee, address target, bytes4 selector) external;
    function removeAppointee(address account, address appointee, address target, bytes4 selector) external;
    function isAdmin(address account, address caller) external view returns (bool);
    function isPendingAdmin(address account, address pendingAdmin) external view returns (bool);
    function getAdmins(address account) external view returns (address[] memory);
    function getPendingAdmins(address account) external view returns (address[] memory);
    function canCall(address account, address caller, address target, bytes4 selector) external view returns (bool);
    function getAppointeePermissions(address account, address appointee)
        external
        view
        returns (address[] memory, bytes4[] memory);
    function getAppointees(address account, address target, bytes4 selector)
        external
        view
        returns (address[] memory);
}

// ------------------------------------------------------------------------------------------------
// Strategies
// ------------------------------------------------------------------------------------------------

/// A strategy: holds one token for the StrategyManager and mints shares for it.
interface IStrategy {
    event ExchangeRateEmitted(uint256 rate);
    event StrategyTokenSet(address token, uint8 decimals);

    error BalanceExceedsMaxTotalDeposits();
    error InputAddressZero();
    error MaxPerDepositExceedsMax();
    error NewSharesZero();
    error OnlyStrategyManager();
    error OnlyUnderlyingToken();
    error TotalSharesExceedsMax();
    error WithdrawalAmountExceedsTotalDeposits();

    /// Mints shares for `amount` of `token` already transferred in. Only the StrategyManager.
    function deposit(address token, uint256 amount) external returns (uint256);
    /// Burns `amountShares` and sends their underlying to `recipient`. Only the StrategyManager.
    function withdraw(address recipient, address token, uint256 amountShares) external returns (uint256);
    /// Hook before shares are credited to a staker. Only the StrategyManager.
    function beforeAddShares(address staker, uint256 shares) external;
    /// Hook before shares are removed from a staker. Only the StrategyManager.
    function beforeRemoveShares(address staker, uint256 shares) external;
    function sharesToUnderlying(uint256 amountShares) external returns (uint256);
    function underlyingToShares(uint256 amountUnderlying) external returns (uint256);
    function userUnderlying(address user) external returns (uint256);
    function shares(address user) external view returns (uint256);
    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256);
    function underlyingToSharesView(uint256 amountUnderlying) external view returns (uint256);
    function userUnderlyingView(address user) external view returns (uint256);
    function underlyingToken() external view returns (address);
    function totalShares() external view returns (uint256);
    function explanation() external view returns (string memory);
    function strategyManager() external view returns (address);

    /// Ferrostake extension: one-shot initializer of a strategy proxy (EigenLayer:
    /// `initialize(IERC20)` plus constructor immutables).
    function initialize(address strategyManager_, address pauserRegistry_, address underlyingToken_) external;
}

/// Deposits, deposit shares and the strategy whitelist.
interface IStrategyManager {
    event Deposit(address staker, address strategy, uint256 shares);
    event StrategyWhitelisterChanged(address previousAddress, address newAddress);
    event StrategyAddedToDepositWhitelist(address strategy);
    event StrategyRemovedFromDepositWhitelist(address strategy);
    event BurnableSharesDecreased(address strategy, uint256 shares);
    event BurnOrRedistributableSharesIncreased(OperatorSet operatorSet, uint256 slashId, address strategy, uint256 shares);
    event BurnOrRedistributableSharesDecreased(OperatorSet operatorSet, uint256 slashId, address strategy, uint256 shares);

    error InputAddressZero();
    error MaxStrategiesExceeded();
    error OnlyDelegationManager();
    error OnlyStrategyWhitelister();
    error SharesAmountTooHigh();
    error SharesAmountZero();
    error StakerAddressZero();
    error StrategyAlreadyInSlash();
    error StrategyNotFound();
    error StrategyNotWhitelisted();

    function depositIntoStrategy(address strategy, address token, uint256 amount) external returns (uint256 depositShares);
    function depositIntoStrategyWithSignature(
        address strategy,
        address token,
        uint256 amount,
        address staker,
        uint256 expiry,
        bytes memory signature
    ) external returns (uint256 depositShares);
    function removeDepositShares(address staker, address strategy, uint256 depositSharesToRemove) external returns (uint256);
    function addShares(address staker, address strategy, uint256 shares) external returns (uint256, uint256);
    function withdrawSharesAsTokens(address staker, address strategy, address token, uint256 shares) external;
    function increaseBurnOrRedistributableShares(
        OperatorSet calldata operatorSet,
        uint256 slashId,
        address strategy,
        uint256 sharesToBurn
    ) external;
    function clearBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId)
        external
        returns (uint256[] memory);
    function clearBurnOrRedistributableSharesByStrategy(OperatorSet calldata operatorSet, uint256 slashId, address strategy)
        external
        returns (uint256);
    function burnShares(address strategy) external;
    function setStrategyWhitelister(address newStrategyWhitelister) external;
    function addStrategiesToDepositWhitelist(address[] calldata strategiesToWhitelist) external;
    function removeStrategiesFromDepositWhitelist(address[] calldata strategiesToRemoveFromWhitelist) external;
    function strategyIsWhitelistedForDeposit(address strategy) external view returns (bool);
    function stakerDepositShares(address staker, address strategy) external view returns (uint256);
    function stakerStrategyList(address staker, uint256 index) external view returns (address);
    function getDeposits(address staker) external view returns (address[] memory, uint256[] memory);
    function getStakerStrategyList(address staker) external view returns (address[] memory);
    function stakerStrategyListLength(address staker) external view returns (uint256);
    function getBurnableShares(address strategy) external view returns (uint256);
    function getStrategiesWithBurnableShares() external view returns (address[] memory, uint256[] memory);
    function getBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId)
        external
        view
        returns (address[] memory, uint256[] memory);
    function getBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId, address strategy)
        external
        view
        returns (uint256);
    function getBurnOrRedistributableCount(OperatorSet calldata operatorSet, uint256 slashId) external view returns (uint256);
    function getPendingOperatorSets() external view returns (OperatorSet[] memory);
    function getPendingSlashIds(OperatorSet calldata operatorSet) external view returns (uint256[] memory);
    function calculateStrategyDepositDigestHash(
        address staker,
        address strategy,
        address token,
        uint256 amount,
        uint256 nonce,
        uint256 expiry
    ) external view returns (bytes32);
    function nonces(address signer) external view returns (uint256);
    function strategyWhitelister() external view returns (address);
    function delegation() external view returns (address);
    function allocationManager() external view returns (address);
    function DEFAULT_BURN_ADDRESS() external view returns (address);
    function DEPOSIT_TYPEHASH() external view returns (bytes32);

    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor immutables + `initialize`).
    /// `viewImplementation_` is the program serving the view functions (see `viewImplementation`).
    function initialize(
        address delegation_,
        address allocationManager_,
        address pauserRegistry_,
        address viewImplementation_,
        address initialOwner,
        address initialStrategyWhitelister,
        uint256 initialPausedStatus
    ) external;
    /// Ferrostake extension: the StrategyManager is two Stylus programs behind one proxy (24 KiB
    /// limit): calls the logic program does not know are delegated to this view program, as
    /// EigenLayer's AllocationManager does with AllocationManagerView.
    function viewImplementation() external view returns (address);
    /// Ferrostake extension: owner-only; points the view delegation at a new view program.
    function setViewImplementation(address newViewImplementation) external;
    /// Ferrostake extension: the view program changed.
    event ViewImplementationSet(address viewImplementation);
}

/// Deploys one strategy per token (beacon proxies) and keeps the token → strategy map.
interface IStrategyFactory {
    event TokenBlacklisted(address token);
    event StrategySetForToken(address token, address strategy);
    event DurationVaultDeployed(
        address indexed vault,
        address indexed underlyingToken,
        address indexed vaultAdmin,
        uint32 duration,
        uint256 maxPerDeposit,
        uint256 stakeCap,
        string metadataURI,
        address operatorSetAVS,
        uint32 operatorSetId
    );

    error AlreadyBlacklisted();
    error BlacklistedToken();
    error InputAddressZero();
    error StrategyAlreadyExists();
    /// Ferrostake extension: `deployDurationVaultStrategy` and `durationVaultsByToken` revert with it
    /// (duration vaults are out of scope; `getDurationVaults` is always empty).
    error DurationVaultsNotSupported();

    function deployNewStrategy(address token) external returns (address newStrategy);
    /// Not supported by Ferrostake (reverts with `DurationVaultsNotSupported`): duration vaults are out of scope.
    function deployDurationVaultStrategy(VaultConfig calldata config) external returns (address newVault);
    function blacklistTokens(address[] calldata tokens) external;
    function whitelistStrategies(address[] calldata strategiesToWhitelist) external;
    function removeStrategiesFromWhitelist(address[] calldata strategiesToRemoveFromWhitelist) external;
    function deployedStrategies(address token) external view returns (address);
    function isBlacklisted(address token) external view returns (bool);
    function strategyBeacon() external view returns (address);
    function durationVaultBeacon() external view returns (address);
    function durationVaultsByToken(address token, uint256 index) external view returns (address);
    function getDurationVaults(address token) external view returns (address[] memory);
    function strategyManager() external view returns (address);

    /// Ferrostake extension: one-shot initializer.
    function initialize(
        address strategyManager_,
        address pauserRegistry_,
        address strategyBeacon_,
        address initialOwner,
        uint256 initialPausedStatus
    ) external;
}

// ------------------------------------------------------------------------------------------------
// Delegation
// ------------------------------------------------------------------------------------------------

/// Operators, delegation, queued withdrawals and slashing-aware shares.
interface IDelegationManager {
    event OperatorRegistered(address indexed operator, address delegationApprover);
    event DelegationApproverUpdated(address indexed operator, address newDelegationApprover);
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    event OperatorSharesIncreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesDecreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesSlashed(address indexed operator, address strategy, uint256 totalSlashedShares);
    event StakerDelegated(address indexed staker, address indexed operator);
    event StakerUndelegated(address indexed staker, address indexed operator);
    event StakerForceUndelegated(address indexed staker, address indexed operator);
    event DepositScalingFactorUpdated(address staker, address strategy, uint256 newDepositScalingFactor);
    event SlashingWithdrawalQueued(bytes32 withdrawalRoot, Withdrawal withdrawal, uint256[] sharesToWithdraw);
    event SlashingWithdrawalCompleted(bytes32 withdrawalRoot);

    error ActivelyDelegated();
    error CallerCannotUndelegate();
    error FullySlashed();
    error InputAddressZero();
    error InputArrayLengthMismatch();
    error InputArrayLengthZero();
    error InvalidDepositScalingFactor();
    error InvalidSnapshotOrdering();
    error NotActivelyDelegated();
    error OnlyAllocationManager();
    error OnlyEigenPodManager();
    error OnlyStrategyManagerOrEigenPodManager();
    error OperatorNotRegistered();
    error OperatorsCannotUndelegate();
    error SaltSpent();
    error WithdrawalDelayNotElapsed();
    error WithdrawalNotQueued();
    error WithdrawerNotCaller();
    /// Ferrostake extension: a queued slash of a guarded operator set that could reach this
    /// withdrawal is pending (neither executed nor vetoed).
    error WithdrawalHeldBySlash();

    function registerAsOperator(address initDelegationApprover, uint32 allocationDelay, string calldata metadataURI) external;
    function modifyOperatorDetails(address operator, address newDelegationApprover) external;
    function updateOperatorMetadataURI(address operator, string calldata metadataURI) external;
    function delegateTo(address operator, SignatureWithExpiry memory approverSignatureAndExpiry, bytes32 approverSalt) external;
    function undelegate(address staker) external returns (bytes32[] memory withdrawalRoots);
    function redelegate(address newOperator, SignatureWithExpiry memory newOperatorApproverSig, bytes32 approverSalt)
        external
        returns (bytes32[] memory withdrawalRoots);
    function queueWithdrawals(QueuedWithdrawalParams[] calldata params) external returns (bytes32[] memory);
    function completeQueuedWithdrawal(Withdrawal calldata withdrawal, address[] calldata tokens, bool receiveAsTokens) external;
    function completeQueuedWithdrawals(
        Withdrawal[] calldata withdrawals,
        address[][] calldata tokens,
        bool[] calldata receiveAsTokens
    ) external;
    function increaseDelegatedShares(address staker, address strategy, uint256 prevDepositShares, uint256 addedShares) external;
    function decreaseDelegatedShares(address staker, uint256 curDepositShares, uint64 beaconChainSlashingFactorDecrease) external;
    function slashOperatorShares(
        address operator,
        OperatorSet calldata operatorSet,
        uint256 slashId,
        address strategy,
        uint64 prevMaxMagnitude,
        uint64 newMaxMagnitude
    ) external returns (uint256 totalDepositSharesToBurn);
    function delegatedTo(address staker) external view returns (address);
    function delegationApprover(address operator) external view returns (address);
    function delegationApproverSaltIsSpent(address delegationApprover, bytes32 salt) external view returns (bool);
    function cumulativeWithdrawalsQueued(address staker) external view returns (uint256);
    function isDelegated(address staker) external view returns (bool);
    function isOperator(address operator) external view returns (bool);
    function depositScalingFactor(address staker, address strategy) external view returns (uint256);
    function operatorShares(address operator, address strategy) external view returns (uint256);
    function getOperatorShares(address operator, address[] memory strategies) external view returns (uint256[] memory);
    function getOperatorsShares(address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory);
    function getSlashableSharesInQueue(address operator, address strategy) external view returns (uint256);
    function getWithdrawableShares(address staker, address[] memory strategies)
        external
        view
        returns (uint256[] memory withdrawableShares, uint256[] memory depositShares);
    function getDepositedShares(address staker) external view returns (address[] memory, uint256[] memory);
    function convertToDepositShares(address staker, address[] memory strategies, uint256[] memory withdrawableShares)
        external
        view
        returns (uint256[] memory);
    function calculateWithdrawalRoot(Withdrawal memory withdrawal) external pure returns (bytes32);
    function calculateDelegationApprovalDigestHash(
        address staker,
        address operator,
        address approver,
        bytes32 approverSalt,
        uint256 expiry
    ) external view returns (bytes32);
    function pendingWithdrawals(bytes32 withdrawalRoot) external view returns (bool);
    function queuedWithdrawals(bytes32 withdrawalRoot) external view returns (Withdrawal memory);
    function getQueuedWithdrawal(bytes32 withdrawalRoot) external view returns (Withdrawal memory withdrawal, uint256[] memory shares);
    function getQueuedWithdrawals(address staker)
        external
        view
        returns (Withdrawal[] memory withdrawals, uint256[][] memory shares);
    function getQueuedWithdrawalRoots(address staker) external view returns (bytes32[] memory);
    function minWithdrawalDelayBlocks() external view returns (uint32);
    function beaconChainETHStrategy() external view returns (address);
    function strategyManager() external view returns (address);
    function eigenPodManager() external view returns (address);
    function allocationManager() external view returns (address);
    function DELEGATION_APPROVAL_TYPEHASH() external view returns (bytes32);

    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor immutables + `initialize`).
    /// The DelegationManager is three Stylus programs behind one proxy (24 KiB each): the core,
    /// the withdrawals program and the view program, reached in that order through fallbacks.
    function initialize(
        address strategyManager_,
        address eigenPodManager_,
        address allocationManager_,
        address pauserRegistry_,
        address permissionController_,
        address withdrawalsImplementation_,
        address viewImplementation_,
        uint32 minWithdrawalDelayBlocks_,
        uint256 initialPausedStatus
    ) external;
    /// Ferrostake extension: the program serving the view functions.
    function viewImplementation() external view returns (address);
    /// Ferrostake extension: the program serving undelegation and the withdrawal queue.
    function withdrawalsImplementation() external view returns (address);
    /// Ferrostake extension: only the PauserRegistry's unpauser (the DelegationManager has no
    /// owner); points the delegation chain at new programs.
    function setImplementations(address withdrawalsImplementation_, address viewImplementation_) external;
    /// Ferrostake extension: the programs behind the core changed.
    event ImplementationsSet(address withdrawalsImplementation, address viewImplementation);
    /// Ferrostake extension: only the AllocationManager, when a slash against `operator` is queued
    /// while none is pending. From then on completing a withdrawal delegated to `operator` asks
    /// the AllocationManager for its slash hold (`getWithdrawalSlashHold`); withdrawals of an
    /// operator never held, or slashable only until before its first hold, complete without asking.
    function slashHoldStarted(address operator) external;
    /// Ferrostake extension: the block of the first hold `slashHoldStarted` recorded for
    /// `operator` (0: never held).
    function slashHoldSince(address operator) external view returns (uint32);
}

// ------------------------------------------------------------------------------------------------
// Slashing registry
// ------------------------------------------------------------------------------------------------

/// The callback an AVS (or its registrar) implements; it may revert to refuse an operator.
interface IAVSRegistrar {
    function registerOperator(address operator, address avs, uint32[] calldata operatorSetIds, bytes calldata data) external;
    function deregisterOperator(address operator, address avs, uint32[] calldata operatorSetIds) external;
    function supportsAVS(address avs) external view returns (bool);
}

/// AVSs, operator sets, allocations and slashing.
interface IAllocationManager {
    event AVSMetadataURIUpdated(address indexed avs, string metadataURI);
    event AVSRegistrarSet(address avs, address registrar);
    event AllocationDelaySet(address operator, uint32 delay, uint32 effectBlock);
    event AllocationUpdated(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock);
    event EncumberedMagnitudeUpdated(address operator, address strategy, uint64 encumberedMagnitude);
    event MaxMagnitudeUpdated(address operator, address strategy, uint64 maxMagnitude);
    event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet);
    event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet);
    event OperatorSetCreated(OperatorSet operatorSet);
    event OperatorSlashed(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description);
    event RedistributionAddressSet(OperatorSet operatorSet, address redistributionRecipient);
    event SlasherMigrated(OperatorSet operatorSet, address slasher);
    event SlasherUpdated(OperatorSet operatorSet, address slasher, uint32 effectBlock);
    event StrategyAddedToOperatorSet(OperatorSet operatorSet, address strategy);
    event StrategyRemovedFromOperatorSet(OperatorSet operatorSet, address strategy);
    /// Ferrostake extension: a guarded operator set's slash entered its veto window.
    event SlashQueued(OperatorSet operatorSet, uint256 indexed queuedSlashId, SlashingParams params, uint32 executableAtBlock);
    /// Ferrostake extension: the set's resolver vetoed a queued slash.
    event SlashVetoed(OperatorSet operatorSet, uint256 indexed queuedSlashId, address resolver);
    /// Ferrostake extension: a queued slash was executed after its window.
    event SlashExecuted(OperatorSet operatorSet, uint256 indexed queuedSlashId, uint256 slashId);
    /// Ferrostake extension: an operator set was created with a slashing guard.
    event SlashingGuardSet(OperatorSet operatorSet, SlashingGuard guard);

    error AlreadyMemberOfSet();
    error Empty();
    error InputAddressZero();
    error InputArrayLengthMismatch();
    error InsufficientMagnitude();
    error InvalidAVSRegistrar();
    error InvalidCaller();
    error InvalidOperator();
    error InvalidOperatorSet();
    error InvalidRedistributionRecipient();
    error InvalidSnapshotOrdering();
    error InvalidStrategy();
    error InvalidWadToSlash();
    error ModificationAlreadyPending();
    error NonexistentAVSMetadata();
    error NotMemberOfSet();
    error OperatorNotSlashable();
    error OperatorSetAlreadyMigrated();
    error SameMagnitude();
    error SlasherNotSet();
    error StrategiesMustBeInAscendingOrder();
    error StrategyAlreadyInOperatorSet();
    error StrategyNotInOperatorSet();
    error UninitializedAllocationDelay();
    /// Ferrostake extension: the guard's parameters are out of range.
    error InvalidSlashingGuard();
    /// Ferrostake extension: a wad to slash exceeds the set's per-incident cap.
    error SlashExceedsIncidentCap();
    /// Ferrostake extension: no such queued slash (or its parameters differ).
    error SlashNotQueued();
    /// Ferrostake extension: the veto window has not elapsed.
    error SlashVetoWindowActive();
    /// Ferrostake extension: the veto window has elapsed.
    error SlashVetoWindowElapsed();
    /// Ferrostake extension: the slash was vetoed or already executed.
    error SlashNotExecutable();
    /// Ferrostake extension: only the set's resolver may veto.
    error OnlySlashResolver();

    function slashOperator(address avs, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory shares);
    function modifyAllocations(address operator, AllocateParams[] calldata params) external;
    function clearDeallocationQueue(address operator, address[] calldata strategies, uint16[] calldata numToClear) external;
    function registerForOperatorSets(address operator, RegisterParams calldata params) external;
    function deregisterFromOperatorSets(DeregisterParams calldata params) external;
    function setAllocationDelay(address operator, uint32 delay) external;
    function setAVSRegistrar(address avs, address registrar) external;
    function updateAVSMetadataURI(address avs, string calldata metadataURI) external;
    function createOperatorSets(address avs, CreateSetParams[] calldata params) external;
    function createOperatorSets(address avs, CreateSetParamsV2[] calldata params) external;
    function createRedistributingOperatorSets(
        address avs,
        CreateSetParams[] calldata params,
        address[] calldata redistributionRecipients
    ) external;
    function createRedistributingOperatorSets(
        address avs,
        CreateSetParamsV2[] calldata params,
        address[] calldata redistributionRecipients
    ) external;
    function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, address[] calldata strategies) external;
    function removeStrategiesFromOperatorSet(address avs, uint32 operatorSetId, address[] calldata strategies) external;
    function updateSlasher(OperatorSet memory operatorSet, address slasher) external;
    function migrateSlashers(OperatorSet[] memory operatorSets) external;
    function getAVSRegistrar(address avs) external view returns (address);
    function getOperatorSetCount(address avs) external view returns (uint256);
    function getAllocatedSets(address operator) external view returns (OperatorSet[] memory);
    function getAllocatedStrategies(address operator, OperatorSet memory operatorSet) external view returns (address[] memory);
    function getAllocation(address operator, OperatorSet memory operatorSet, address strategy)
        external
        view
        returns (Allocation memory);
    function getAllocations(address[] memory operators, OperatorSet memory operatorSet, address strategy)
        external
        view
        returns (Allocation[] memory);
    function getStrategyAllocations(address operator, address strategy)
        external
        view
        returns (OperatorSet[] memory, Allocation[] memory);
    function getEncumberedMagnitude(address operator, address strategy) external view returns (uint64);
    function getAllocatableMagnitude(address operator, address strategy) external view returns (uint64);
    function getMaxMagnitude(address operator, address strategy) external view returns (uint64);
    function getMaxMagnitudes(address operator, address[] calldata strategies) external view returns (uint64[] memory);
    function getMaxMagnitudes(address[] calldata operators, address strategy) external view returns (uint64[] memory);
    function getMaxMagnitudesAtBlock(address operator, address[] calldata strategies, uint32 blockNumber)
        external
        view
        returns (uint64[] memory);
    function getAllocationDelay(address operator) external view returns (bool isSet, uint32 delay);
    function getRegisteredSets(address operator) external view returns (OperatorSet[] memory operatorSets);
    function isMemberOfOperatorSet(address operator, OperatorSet memory operatorSet) external view returns (bool);
    function isOperatorSet(OperatorSet memory operatorSet) external view returns (bool);
    function getMembers(OperatorSet memory operatorSet) external view returns (address[] memory operators);
    function getMemberCount(OperatorSet memory operatorSet) external view returns (uint256);
    function getStrategiesInOperatorSet(OperatorSet memory operatorSet) external view returns (address[] memory strategies);
    function getMinimumSlashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory slashableStake);
    function getAllocatedStake(OperatorSet memory operatorSet, address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory slashableStake);
    function isOperatorSlashable(address operator, OperatorSet memory operatorSet) external view returns (bool);
    function getRedistributionRecipient(OperatorSet memory operatorSet) external view returns (address);
    function isRedistributingOperatorSet(OperatorSet memory operatorSet) external view returns (bool);
    function isOperatorRedistributable(address operator) external view returns (bool);
    function getSlashCount(OperatorSet memory operatorSet) external view returns (uint256);
    function getSlasher(OperatorSet memory operatorSet) external view returns (address);
    function getPendingSlasher(OperatorSet memory operatorSet) external view returns (address pendingSlasher, uint32 effectBlock);
    function delegation() external view returns (address);
    function eigenStrategy() external view returns (address);
    function viewImplementation() external view returns (address);
    function DEALLOCATION_DELAY() external view returns (uint32);
    function ALLOCATION_CONFIGURATION_DELAY() external view returns (uint32);
    function SLASHER_CONFIGURATION_DELAY() external view returns (uint32);

    /// Ferrostake extension: creates operator sets with an opt-in slashing guard each: slashes are
    /// capped at `maxWadPerIncident` per strategy and wait `vetoWindowBlocks` (during which the
    /// resolver may veto) before anyone can execute them.
    function createOperatorSetsWithSlashingGuard(
        address avs,
        CreateSetParamsV2[] calldata params,
        SlashingGuard[] calldata guards
    ) external;
    /// Ferrostake extension: the set's guard (zero values: unguarded, EigenLayer behaviour).
    function getSlashingGuard(OperatorSet memory operatorSet) external view returns (SlashingGuard memory);
    /// Ferrostake extension: a queued slash of a guarded set.
    function getQueuedSlash(OperatorSet memory operatorSet, uint256 queuedSlashId) external view returns (QueuedSlash memory);
    /// Ferrostake extension: whether a queued withdrawal from `operator`, slashable until block
    /// `slashableUntil`, is held by a pending queued slash (it was slashable when the slash was
    /// queued), and else the block whose slashing factor it pays at: `slashableUntil`, or a later
    /// block at which a queued slash that could reach it executed.
    function getWithdrawalSlashHold(address operator, uint32 slashableUntil)
        external
        view
        returns (bool held, uint32 factorBlock);
    /// Ferrostake extension: the resolver vetoes a queued slash during its window.
    function vetoSlash(OperatorSet memory operatorSet, uint256 queuedSlashId) external;
    /// Ferrostake extension: executes a queued slash after its window; anyone may call, with the
    /// parameters it was queued with.
    function executeSlash(OperatorSet memory operatorSet, uint256 queuedSlashId, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory shares);

    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor immutables + `initialize`).
    function initialize(
        address delegation_,
        address eigenStrategy_,
        address pauserRegistry_,
        address permissionController_,
        uint32 deallocationDelay,
        uint32 allocationConfigurationDelay,
        uint256 initialPausedStatus
    ) external;
    /// Ferrostake extension: the AllocationManager is five Stylus programs behind one proxy (each
    /// under 24 KiB); the core delegates registration, slashing, AVS configuration and views to
    /// these. The program serving the AVS-side (configuration) functions.
    function configImplementation() external view returns (address);
    /// Ferrostake extension: only the PauserRegistry's unpauser; points the core at its programs.
    function setImplementations(address registration, address slashing, address config, address viewImpl) external;
    /// Ferrostake extension: the programs behind the core changed.
    event ImplementationsSet(
        address registrationImplementation,
        address slashingImplementation,
        address configImplementation,
        address viewImplementation
    );
}

// ------------------------------------------------------------------------------------------------
// AVSDirectory (legacy, pre-operator-set registration)
// ------------------------------------------------------------------------------------------------

/// An operator's registration status with an AVS in the AVSDirectory (EigenLayer's
/// `IAVSDirectoryTypes.OperatorAVSRegistrationStatus`).
enum OperatorAVSRegistrationStatus {
    UNREGISTERED,
    REGISTERED
}

/// The legacy operator <-> AVS registration that AVS service managers built on EigenLayer's
/// middleware call (EigenLayer v1.12 `IAVSDirectory`, frozen since the slashing release). EIP-712
/// domain "EigenLayer", version = major version, this contract, the current chain id.
interface IAVSDirectory {
    event OperatorAVSRegistrationStatusUpdated(
        address indexed operator, address indexed avs, OperatorAVSRegistrationStatus status
    );
    event AVSMetadataURIUpdated(address indexed avs, string metadataURI);

    error OperatorNotRegisteredToEigenLayer();
    error OperatorNotRegisteredToAVS();
    error OperatorAlreadyRegisteredToAVS();
    error SaltSpent();

    function updateAVSMetadataURI(string calldata metadataURI) external;
    function cancelSalt(bytes32 salt) external;
    function registerOperatorToAVS(address operator, SignatureWithSaltAndExpiry memory operatorSignature) external;
    function deregisterOperatorFromAVS(address operator) external;

    function operatorSaltIsSpent(address operator, bytes32 salt) external view returns (bool);
    function avsOperatorStatus(address avs, address operator) external view returns (OperatorAVSRegistrationStatus);
    function calculateOperatorAVSRegistrationDigestHash(address operator, address avs, bytes32 salt, uint256 expiry)
        external
        view
        returns (bytes32);
    function OPERATOR_AVS_REGISTRATION_TYPEHASH() external view returns (bytes32);
    function OPERATOR_SET_REGISTRATION_TYPEHASH() external view returns (bytes32);
    function OPERATOR_SET_FORCE_DEREGISTRATION_TYPEHASH() external view returns (bytes32);
    function delegation() external view returns (address);

    /// Ferrostake extension: the EIP-712 domain typehash in use (EigenLayer's pre-slashing
    /// AVSDirectory had this view; since v1.0 the domain also carries `version`, and so does this).
    function DOMAIN_TYPEHASH() external view returns (bytes32);
    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor immutables + `initialize`).
    function initialize(
        address delegation_,
        address pauserRegistry_,
        address initialOwner,
        uint256 initialPausedStatus
    ) external;
}

// ------------------------------------------------------------------------------------------------
// Native restaking
// ------------------------------------------------------------------------------------------------

/// The beacon-chain deposit contract.
interface IETHPOSDeposit {
    event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);

    function deposit(
        bytes calldata pubkey,
        bytes calldata withdrawal_credentials,
        bytes calldata signature,
        bytes32 deposit_data_root
    ) external payable;
    function get_deposit_root() external view returns (bytes32);
    function get_deposit_count() external view returns (bytes memory);
}

/// Ferrostake extension: beacon block roots on Arbitrum. Read exactly like EIP-4788's system
/// contract — a static call with the 32-byte big-endian timestamp as the whole calldata returns the
/// parent beacon block root of the block at that timestamp, or reverts when unknown — and fed by
/// authorised updaters (in production: an L1→L2 message carrying Ethereum's EIP-4788 root).
interface IBeaconRootOracle {
    event RootPosted(uint64 indexed timestamp, bytes32 root, address updater);
    event UpdaterSet(address indexed updater, bool allowed);
    event RootRevoked(uint64 indexed timestamp, bytes32 root);
    event MaxRootAgeSet(uint64 maxRootAge);

    error OnlyUpdater();
    error RootAlreadyPosted();
    error RootUnknown();
    error ZeroRoot();
    /// `postRoot` for timestamp 0 (no beacon block has it).
    error ZeroTimestamp();
    /// `postRoot` for a timestamp after the current block's: no EIP-4788 root exists for it yet.
    error RootFromTheFuture(uint64 timestamp, uint64 now);
    /// No live root at or before `timestamp` within `maxRootAge` seconds of it.
    error NoFreshRoot(uint64 timestamp, uint64 maxRootAge);
    /// `setMaxRootAge` outside 1 ..= 98292 s (EIP-4788's 8191 slots).
    error MaxRootAgeOutOfRange(uint64 maxRootAge);

    function postRoot(uint64 timestamp, bytes32 root) external;
    function setUpdater(address updater, bool allowed) external;
    function isUpdater(address updater) external view returns (bool);
    function rootAt(uint64 timestamp) external view returns (bytes32);
    /// The newest live (posted, not revoked) root at a timestamp `<= timestamp`, no older than
    /// `maxRootAge()` seconds before it: what a pod's checkpoint reads.
    function latestRootAtOrBefore(uint64 timestamp)
        external
        view
        returns (uint64 rootTimestamp, bytes32 root);
    /// The newest timestamp a root was posted for (0: none), revoked or not.
    function latestTimestamp() external view returns (uint64);
    /// The freshness bound of `latestRootAtOrBefore`, in seconds.
    function maxRootAge() external view returns (uint64);
    /// Owner: sets the freshness bound.
    function setMaxRootAge(uint64 maxRootAge) external;
    /// Owner: withdraws a posted root (a wrong or forged one). Reads of it then fail as if it had
    /// never been posted, and its timestamp cannot be posted again.
    function revokeRoot(uint64 timestamp) external;
    function isRevoked(uint64 timestamp) external view returns (bool);

    /// One-shot initializer.
    function initialize(address initialOwner, address initialUpdater) external;
}

/// Pod creation, pod shares and the beacon-chain slashing factor.
interface IEigenPodManager {
    event BeaconChainETHDeposited(address indexed podOwner, uint256 amount);
    event BeaconChainETHWithdrawalCompleted(
        address indexed podOwner,
        uint256 shares,
        uint96 nonce,
        address delegatedAddress,
        address withdrawer,
        bytes32 withdrawalRoot
    );
    event BeaconChainSlashingFactorDecreased(address staker, uint64 prevBeaconChainSlashingFactor, uint64 newBeaconChainSlashingFactor);
    event BurnableETHSharesIncreased(uint256 shares);
    event NewTotalShares(address indexed podOwner, int256 newTotalShares);
    event PectraForkTimestampSet(uint64 newPectraForkTimestamp);
    event PodDeployed(address indexed eigenPod, address indexed podOwner);
    event PodSharesUpdated(address indexed podOwner, int256 sharesDelta);
    event ProofTimestampSetterSet(address newProofTimestampSetter);
    /// Ferrostake extension: the EigenPod's second program changed (see `eigenPodExtension`).
    event EigenPodExtensionSet(address extension);

    error EigenPodAlreadyExists();
    error InputAddressZero();
    error InvalidStrategy();
    error LegacyWithdrawalsNotCompleted();
    error OnlyDelegationManager();
    error OnlyEigenPod();
    error OnlyProofTimestampSetter();
    error SharesNegative();
    error SharesNotMultipleOfGwei();

    function createPod() external returns (address);
    function stake(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external payable;
    function recordBeaconChainETHBalanceUpdate(address podOwner, uint256 prevRestakedBalanceWei, int256 balanceDeltaWei) external;
    function removeDepositShares(address staker, address strategy, uint256 depositSharesToRemove) external returns (uint256);
    function addShares(address staker, address strategy, uint256 shares) external returns (uint256, uint256);
    function withdrawSharesAsTokens(address staker, address strategy, address token, uint256 shares) external;
    function increaseBurnOrRedistributableShares(
        OperatorSet calldata operatorSet,
        uint256 slashId,
        address strategy,
        uint256 addedSharesToBurn
    ) external;
    function setPectraForkTimestamp(uint64 timestamp) external;
    function setProofTimestampSetter(address newProofTimestampSetter) external;
    function ownerToPod(address podOwner) external view returns (address);
    function getPod(address podOwner) external view returns (address);
    function hasPod(address podOwner) external view returns (bool);
    function numPods() external view returns (uint256);
    function podOwnerDepositShares(address podOwner) external view returns (int256);
    function stakerDepositShares(address user, address strategy) external view returns (uint256);
    function beaconChainSlashingFactor(address staker) external view returns (uint64);
    function burnableETHShares() external view returns (uint256);
    function pectraForkTimestamp() external view returns (uint64);
    function proofTimestampSetter() external view returns (address);
    function beaconChainETHStrategy() external view returns (address);
    function ethPOS() external view returns (address);
    function eigenPodBeacon() external view returns (address);
    function delegationManager() external view returns (address);
    /// Ferrostake extension: the EIP-4788-style beacon block root oracle the pods read (Arbitrum has
    /// no EIP-4788 system contract).
    function beaconRootOracle() external view returns (address);
    /// Ferrostake extension: the EigenPod is two programs (a 24 KiB Stylus limit); the one behind
    /// the beacon serves the proof hot path and delegates every other selector to this one.
    function eigenPodExtension() external view returns (address);
    /// Ferrostake extension: owner-only; sets `eigenPodExtension` for every pod at once.
    function setEigenPodExtension(address newExtension) external;
    /// Ferrostake extension: what a pod's proof entry points read from the manager, in one call
    /// instead of two: `paused(index)` and `pectraForkTimestamp()`.
    function proofContext(uint8 index) external view returns (bool paused, uint64 forkTimestamp);

    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor immutables + `initialize`).
    function initialize(
        address ethPOS_,
        address eigenPodBeacon_,
        address delegationManager_,
        address beaconRootOracle_,
        address pauserRegistry_,
        address initialOwner,
        uint256 initialPausedStatus
    ) external;
}

/// One staker's pod: withdrawal credentials, checkpoints and proofs.
interface IEigenPod {
    event EigenPodStaked(bytes32 pubkeyHash);
    event ValidatorRestaked(bytes32 pubkeyHash);
    event ValidatorBalanceUpdated(bytes32 pubkeyHash, uint64 balanceTimestamp, uint64 newValidatorBalanceGwei);
    event RestakedBeaconChainETHWithdrawn(address indexed recipient, uint256 amount);
    event NonBeaconChainETHReceived(uint256 amountReceived);
    event ProofSubmitterUpdated(address prevProofSubmitter, address newProofSubmitter);
    event CheckpointCreated(uint64 indexed checkpointTimestamp, bytes32 indexed beaconBlockRoot, uint256 validatorCount);
    event CheckpointFinalized(uint64 indexed checkpointTimestamp, int256 totalShareDeltaWei);
    event ValidatorCheckpointed(uint64 indexed checkpointTimestamp, bytes32 indexed pubkeyHash);
    event ValidatorWithdrawn(uint64 indexed checkpointTimestamp, bytes32 indexed pubkeyHash);
    event ConsolidationRequested(bytes32 indexed sourcePubkeyHash, bytes32 indexed targetPubkeyHash);
    event SwitchToCompoundingRequested(bytes32 indexed validatorPubkeyHash);
    event WithdrawalRequested(bytes32 indexed validatorPubkeyHash, uint64 withdrawalAmountGwei);
    event ExitRequested(bytes32 indexed validatorPubkeyHash);

    error BeaconTimestampBeforeLatestCheckpoint();
    error BeaconTimestampTooFarInPast();
    error CannotCheckpointTwiceInSingleBlock();
    error CheckpointAlreadyActive();
    error CredentialsAlreadyVerified();
    error CurrentlyPaused();
    error EmptyRoot();
    error FeeQueryFailed();
    error ForkTimestampZero();
    error InputAddressZero();
    error InputArrayLengthMismatch();
    error InsufficientFunds();
    error InsufficientWithdrawableBalance();
    error InvalidEIP4788Response();
    error InvalidIndex();
    error InvalidProof();
    error InvalidProofLength();
    error InvalidPubKeyLength();
    error InvalidValidatorFieldsLength();
    error LeavesNotPowerOfTwo();
    error MsgValueNot32ETH();
    error NoActiveCheckpoint();
    error NoBalanceToCheckpoint();
    error NotEnoughLeaves();
    error OnlyEigenPodManager();
    error OnlyEigenPodOwner();
    error OnlyEigenPodOwnerOrProofSubmitter();
    error PredeployFailed();
    error TimestampOutOfRange();
    error ValidatorInactiveOnBeaconChain();
    error ValidatorIsExitingBeaconChain();
    error ValidatorNotActiveInPod();
    error ValidatorNotSlashedOnBeaconChain();
    error WithdrawalCredentialsNotForEigenPod();

    function initialize(address owner) external;
    function stake(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external payable;
    function withdrawRestakedBeaconChainETH(address recipient, uint256 amount) external;
    function startCheckpoint(bool revertIfNoBalance) external;
    function verifyCheckpointProofs(BalanceContainerProof calldata balanceContainerProof, BalanceProof[] calldata proofs) external;
    function verifyWithdrawalCredentials(
        uint64 beaconTimestamp,
        StateRootProof calldata stateRootProof,
        uint40[] calldata validatorIndices,
        bytes[] calldata validatorFieldsProofs,
        bytes32[][] calldata validatorFields
    ) external;
    function verifyStaleBalance(uint64 beaconTimestamp, StateRootProof calldata stateRootProof, ValidatorProof calldata proof) external;
    function requestConsolidation(ConsolidationRequest[] calldata requests) external payable;
    function requestWithdrawal(WithdrawalRequest[] calldata requests) external payable;
    function recoverTokens(address[] memory tokenList, uint256[] memory amountsToWithdraw, address recipient) external;
    function setProofSubmitter(address newProofSubmitter) external;
    function proofSubmitter() external view returns (address);
    function withdrawableRestakedExecutionLayerGwei() external view returns (uint64);
    function eigenPodManager() external view returns (address);
    function ethPOS() external view returns (address);
    function podOwner() external view returns (address);
    function validatorPubkeyHashToInfo(bytes32 validatorPubkeyHash) external view returns (ValidatorInfo memory);
    function validatorPubkeyToInfo(bytes calldata validatorPubkey) external view returns (ValidatorInfo memory);
    function validatorStatus(bytes32 pubkeyHash) external view returns (VALIDATOR_STATUS);
    function validatorStatus(bytes calldata validatorPubkey) external view returns (VALIDATOR_STATUS);
    function activeValidatorCount() external view returns (uint256);
    function lastCheckpointTimestamp() external view returns (uint64);
    function currentCheckpointTimestamp() external view returns (uint64);
    function currentCheckpoint() external view returns (Checkpoint memory);
    function checkpointBalanceExitedGwei(uint64 timestamp) external view returns (uint64);
    function getParentBlockRoot(uint64 timestamp) external view returns (bytes32);
    function getConsolidationRequestFee() external view returns (uint256);
    function getWithdrawalRequestFee() external view returns (uint256);
}

// ------------------------------------------------------------------------------------------------
// Rewards
// ------------------------------------------------------------------------------------------------

/// Rewards submissions, distribution roots, Merkle claims and operator splits.
interface IRewardsCoordinator {
    event AVSRewardsSubmissionCreated(
        address indexed avs,
        uint256 indexed submissionNonce,
        bytes32 indexed rewardsSubmissionHash,
        RewardsSubmission rewardsSubmission
    );
    event RewardsSubmissionForAllCreated(
        address indexed submitter,
        uint256 indexed submissionNonce,
        bytes32 indexed rewardsSubmissionHash,
        RewardsSubmission rewardsSubmission
    );
    event RewardsSubmissionForAllEarnersCreated(
        address indexed tokenHopper,
        uint256 indexed submissionNonce,
        bytes32 indexed rewardsSubmissionHash,
        RewardsSubmission rewardsSubmission
    );
    event OperatorDirectedAVSRewardsSubmissionCreated(
        address indexed caller,
        address indexed avs,
        bytes32 indexed operatorDirectedRewardsSubmissionHash,
        uint256 submissionNonce,
        OperatorDirectedRewardsSubmission operatorDirectedRewardsSubmission
    );
    event OperatorDirectedOperatorSetRewardsSubmissionCreated(
        address indexed caller,
        bytes32 indexed operatorDirectedRewardsSubmissionHash,
        OperatorSet operatorSet,
        uint256 submissionNonce,
        OperatorDirectedRewardsSubmission operatorDirectedRewardsSubmission
    );
    event TotalStakeRewardsSubmissionCreated(
        address indexed caller,
        bytes32 indexed rewardsSubmissionHash,
        OperatorSet operatorSet,
        uint256 submissionNonce,
        RewardsSubmission rewardsSubmission
    );
    event UniqueStakeRewardsSubmissionCreated(
        address indexed caller,
        bytes32 indexed rewardsSubmissionHash,
        OperatorSet operatorSet,
        uint256 submissionNonce,
        RewardsSubmission rewardsSubmission
    );
    event RewardsUpdaterSet(address indexed oldRewardsUpdater, address indexed newRewardsUpdater);
    event RewardsForAllSubmitterSet(address indexed rewardsForAllSubmitter, bool indexed oldValue, bool indexed newValue);
    event ActivationDelaySet(uint32 oldActivationDelay, uint32 newActivationDelay);
    event DefaultOperatorSplitBipsSet(uint16 oldDefaultOperatorSplitBips, uint16 newDefaultOperatorSplitBips);
    event OperatorAVSSplitBipsSet(
        address indexed caller,
        address indexed operator,
        address indexed avs,
        uint32 activatedAt,
        uint16 oldOperatorAVSSplitBips,
        uint16 newOperatorAVSSplitBips
    );
    event OperatorPISplitBipsSet(
        address indexed caller,
        address indexed operator,
        uint32 activatedAt,
        uint16 oldOperatorPISplitBips,
        uint16 newOperatorPISplitBips
    );
    event OperatorSetSplitBipsSet(
        address indexed caller,
        address indexed operator,
        OperatorSet operatorSet,
        uint32 activatedAt,
        uint16 oldOperatorSetSplitBips,
        uint16 newOperatorSetSplitBips
    );
    event ClaimerForSet(address indexed earner, address indexed oldClaimer, address indexed claimer);
    event DistributionRootSubmitted(
        uint32 indexed rootIndex,
        bytes32 indexed root,
        uint32 indexed rewardsCalculationEndTimestamp,
        uint32 activatedAt
    );
    event DistributionRootDisabled(uint32 indexed rootIndex);
    event RewardsClaimed(
        bytes32 root,
        address indexed earner,
        address indexed claimer,
        address indexed recipient,
        address token,
        uint256 claimedAmount
    );
    event FeeRecipientSet(address indexed oldFeeRecipient, address indexed newFeeRecipient);
    event OptInForProtocolFeeSet(address indexed submitter, bool indexed oldValue, bool indexed newValue);

    error AmountExceedsMax();
    error AmountIsZero();
    error DurationExceedsMax();
    error DurationIsZero();
    error EarningsNotGreaterThanClaimed();
    error EmptyRoot();
    error InputAddressZero();
    error InputArrayLengthMismatch();
    error InputArrayLengthZero();
    error InvalidAddressZero();
    error InvalidCalculationIntervalSecondsRemainder();
    error InvalidClaimProof();
    error InvalidDurationRemainder();
    error InvalidEarner();
    error InvalidEarnerLeafIndex();
    error InvalidGenesisRewardsTimestampRemainder();
    error InvalidIndex();
    error InvalidOperatorSet();
    error InvalidProofLength();
    error InvalidRoot();
    error InvalidRootIndex();
    error InvalidStartTimestampRemainder();
    error InvalidTokenLeafIndex();
    error NewRootMustBeForNewCalculatedPeriod();
    error OperatorsNotInAscendingOrder();
    error PreviousSplitPending();
    error RewardsEndTimestampNotElapsed();
    error RootAlreadyActivated();
    error RootDisabled();
    error RootNotActivated();
    error SplitExceedsMax();
    error StartTimestampTooFarInFuture();
    error StartTimestampTooFarInPast();
    error StrategiesNotInAscendingOrder();
    error StrategyNotWhitelisted();
    error SubmissionNotRetroactive();
    error UnauthorizedCaller();

    function createAVSRewardsSubmission(RewardsSubmission[] calldata rewardsSubmissions) external;
    function createRewardsForAllSubmission(RewardsSubmission[] calldata rewardsSubmissions) external;
    function createRewardsForAllEarners(RewardsSubmission[] calldata rewardsSubmissions) external;
    function createOperatorDirectedAVSRewardsSubmission(
        address avs,
        OperatorDirectedRewardsSubmission[] calldata operatorDirectedRewardsSubmissions
    ) external;
    function createOperatorDirectedOperatorSetRewardsSubmission(
        OperatorSet calldata operatorSet,
        OperatorDirectedRewardsSubmission[] calldata operatorDirectedRewardsSubmissions
    ) external;
    function createTotalStakeRewardsSubmission(OperatorSet calldata operatorSet, RewardsSubmission[] calldata rewardsSubmissions)
        external;
    function createUniqueStakeRewardsSubmission(OperatorSet calldata operatorSet, RewardsSubmission[] calldata rewardsSubmissions)
        external;
    function createEigenDARewardsSubmission(address avs, RewardsSubmission[] calldata rewardsSubmissions) external;
    function processClaim(RewardsMerkleClaim calldata claim, address recipient) external;
    function processClaims(RewardsMerkleClaim[] calldata claims, address recipient) external;
    function submitRoot(bytes32 root, uint32 rewardsCalculationEndTimestamp) external;
    function disableRoot(uint32 rootIndex) external;
    function setClaimerFor(address claimer) external;
    function setClaimerFor(address earner, address claimer) external;
    function setActivationDelay(uint32 _activationDelay) external;
    function setDefaultOperatorSplit(uint16 split) external;
    function setOperatorAVSSplit(address operator, address avs, uint16 split) external;
    function setOperatorPISplit(address operator, uint16 split) external;
    function setOperatorSetSplit(address operator, OperatorSet calldata operatorSet, uint16 split) external;
    function setRewardsUpdater(address _rewardsUpdater) external;
    function setRewardsForAllSubmitter(address _submitter, bool _newValue) external;
    function setFeeRecipient(address _feeRecipient) external;
    function setOptInForProtocolFee(address submitter, bool optInForProtocolFee) external;
    function activationDelay() external view returns (uint32);
    function currRewardsCalculationEndTimestamp() external view returns (uint32);
    function claimerFor(address earner) external view returns (address);
    function cumulativeClaimed(address earner, address token) external view returns (uint256);
    function defaultOperatorSplitBips() external view returns (uint16);
    function getOperatorAVSSplit(address operator, address avs) external view returns (uint16);
    function getOperatorPISplit(address operator) external view returns (uint16);
    function getOperatorSetSplit(address operator, OperatorSet calldata operatorSet) external view returns (uint16);
    function calculateEarnerLeafHash(EarnerTreeMerkleLeaf calldata leaf) external pure returns (bytes32);
    function calculateTokenLeafHash(TokenTreeMerkleLeaf calldata leaf) external pure returns (bytes32);
    function checkClaim(RewardsMerkleClaim calldata claim) external view returns (bool);
    function getDistributionRootsLength() external view returns (uint256);
    function getDistributionRootAtIndex(uint256 index) external view returns (DistributionRoot memory);
    function getCurrentDistributionRoot() external view returns (DistributionRoot memory);
    function getCurrentClaimableDistributionRoot() external view returns (DistributionRoot memory);
    function getRootIndexFromHash(bytes32 rootHash) external view returns (uint32);
    function rewardsUpdater() external view returns (address);
    function feeRecipient() external view returns (address);
    function isOptedInForProtocolFee(address submitter) external view returns (bool);
    function isRewardsForAllSubmitter(address submitter) external view returns (bool);
    function submissionNonce(address avs) external view returns (uint256);
    function isAVSRewardsSubmissionHash(address avs, bytes32 hash) external view returns (bool);
    function isRewardsSubmissionForAllHash(address avs, bytes32 hash) external view returns (bool);
    function isRewardsSubmissionForAllEarnersHash(address avs, bytes32 hash) external view returns (bool);
    function isOperatorDirectedAVSRewardsSubmissionHash(address avs, bytes32 hash) external view returns (bool);
    function isOperatorDirectedOperatorSetRewardsSubmissionHash(address avs, bytes32 hash) external view returns (bool);
    function isTotalStakeRewardsSubmissionHash(address avs, bytes32 hash) external view returns (bool);
    function isUniqueStakeRewardsSubmissionHash(address avs, bytes32 hash) external view returns (bool);
    function delegationManager() external view returns (address);
    function strategyManager() external view returns (address);
    function allocationManager() external view returns (address);
    function emissionsController() external view returns (address);
    function beaconChainETHStrategy() external view returns (address);
    function CALCULATION_INTERVAL_SECONDS() external view returns (uint32);
    function MAX_REWARDS_DURATION() external view returns (uint32);
    function MAX_RETROACTIVE_LENGTH() external view returns (uint32);
    function MAX_FUTURE_LENGTH() external view returns (uint32);
    function GENESIS_REWARDS_TIMESTAMP() external view returns (uint32);

    /// Ferrostake extension: one-shot initializer (EigenLayer: constructor params + `initialize`).
    function initialize(RewardsCoordinatorInitParams calldata params) external;

    /// Ferrostake extension: the RewardsCoordinator is four Stylus programs behind one proxy (each
    /// must fit 24 KiB). The core serves roots, claims and `createAVSRewardsSubmission` and delegates
    /// every other selector to the program serving it. Only the PauserRegistry's unpauser.
    function setImplementations(
        address submissionsImplementation_,
        address configImplementation_,
        address viewImplementation_
    ) external;
    /// Ferrostake extension: the program serving the other `create*` functions.
    function submissionsImplementation() external view returns (address);
    /// Ferrostake extension: the program serving setters, splits, pausing and ownership.
    function configImplementation() external view returns (address);
    /// Ferrostake extension: the program serving the views.
    function viewImplementation() external view returns (address);
    /// Ferrostake extension: the delegated programs changed.
    event ImplementationsSet(address submissionsImplementation, address configImplementation, address viewImplementation);
}

// ------------------------------------------------------------------------------------------------
// LRT vault (Ferrostake)
// ------------------------------------------------------------------------------------------------

/// Ferrostake's liquid restaking token: a non-rebasing ERC-20 share with ERC-4626 views over its
/// base asset and ERC-7540 asynchronous redemption. Exits pay min(value at request, value at
/// finalization); NAV comes only from the suite's own contracts.
interface ILrtVault {
    // ERC-20
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    // ERC-4626
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    // ERC-7540
    event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    // Vault operations
    event RequestsFinalized(uint256 indexed fromRequestId, uint256 indexed toRequestId, uint256 assets, uint256 rate);
    event NavSynced(uint256 previousNav, uint256 newNav, uint256 feeShares);
    event OperatorWeightsSet(address[] operators, uint16[] weightsBips);
    event ActionPaused(uint8 indexed action, uint64 until);
    event ActionUnpaused(uint8 indexed action);
    event FeeSet(uint16 performanceFeeBips);
    event CapsSet(uint256 depositCapPerPeriod, uint64 period, uint256 minRequest, uint256 maxRequest);
    event ExposureLimitsSet(uint16 maxOperatorBips, uint16 maxOperatorSetBips);

    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ERC20InvalidReceiver(address receiver);
    error ERC20InvalidSender(address sender);
    error ERC20InvalidSpender(address spender);
    error ZeroShares();
    error ZeroAssets();
    error SlippageExceeded(uint256 received, uint256 minimum);
    error DepositCapExceeded(uint256 available);
    error RequestSizeOutOfBounds(uint256 shares, uint256 minimum, uint256 maximum);
    error DepositAndRequestInSameTransaction();
    error ActionIsPaused(uint8 action);
    error RateDecreased(uint256 before, uint256 afterwards);
    error NotController();
    error RequestNotClaimable(uint256 requestId);
    error RequestNotFinalizable(uint256 requestId);
    error AsyncRedeemOnly();
    error FeeAboveMaximum(uint16 fee, uint16 maximum);
    error ExposureLimitExceeded(address operator, uint256 atRisk, uint256 limit);
    error TooManyOperators(uint256 count, uint256 maximum);
    error WeightsMustSumToOne();
    error OnlyManager();
    error OnlyGuardian();
    error OnlyKeeper();
    error KeeperNotStale();
    error SyncMoveTooLarge(uint256 previousNav, uint256 newNav);

    // ERC-20
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    // ERC-4626 / ERC-7575
    function asset() external view returns (address);
    function share() external view returns (address);
    function totalAssets() external view returns (uint256);
    function convertToShares(uint256 assets) external view returns (uint256);
    function convertToAssets(uint256 shares) external view returns (uint256);
    function maxDeposit(address receiver) external view returns (uint256);
    function previewDeposit(uint256 assets) external view returns (uint256);
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);
    function maxMint(address receiver) external view returns (uint256);
    function previewMint(uint256 shares) external view returns (uint256);
    function mint(uint256 shares, address receiver) external returns (uint256 assets);
    function maxWithdraw(address controller) external view returns (uint256);
    function previewWithdraw(uint256 assets) external view returns (uint256);
    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares);
    function maxRedeem(address controller) external view returns (uint256);
    function previewRedeem(uint256 shares) external view returns (uint256);
    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets);
    /// `deposit` with slippage protection.
    function depositWithMinShares(uint256 assets, address receiver, uint256 minShares) external returns (uint256 shares);
    // ERC-7540
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 pendingShares);
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 claimableShares);
    function setOperator(address operator, bool approved) external returns (bool);
    function isOperator(address controller, address operator) external view returns (bool);
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
    // Rate and NAV
    function getRate() external view returns (uint256);
    function syncNav() external returns (uint256 nav);
    /// Per operator set the vault is exposed to (through its operators' allocations): the set
    /// (AVS and id) and the vault's slashable amount in assets. (Not `OperatorSet[]`: ERC-7540 names
    /// an event `OperatorSet`.)
    function slashableExposure()
        external
        view
        returns (address[] memory avss, uint32[] memory operatorSetIds, uint256[] memory slashableAssets);
    // Redemption queue
    function finalizeRequests(uint256 upToRequestId) external;
    function finalizeRequestsWhenStale(uint256 upToRequestId) external;
    // Management
    function setOperatorWeights(address[] calldata operators, uint16[] calldata weightsBips) external;
    /// The manager frees the delegator of `operator` for another operator once the operator is
    /// unweighted, no longer the delegator's operator (it force-undelegated it) and the delegator
    /// holds nothing (`DelegatorInUse` otherwise).
    function recycleDelegator(address operator) external;
    function pauseAction(uint8 action, uint64 duration) external;
    function unpauseAction(uint8 action) external;
    function setPerformanceFee(uint16 performanceFeeBips) external;
    function setCaps(uint256 depositCapPerPeriod, uint64 period, uint256 minRequest, uint256 maxRequest) external;
    function setExposureLimits(uint16 maxOperatorBips, uint16 maxOperatorSetBips) external;

    // --- Ferrostake extensions (deployment, restaking operations, views) ---
    /// Ferrostake extension: the vault's addresses and roles, for `initialize`.
    struct LrtVaultAddresses {
        address asset;
        address strategy;
        address strategyManager;
        address delegationManager;
        address allocationManager;
        address opsImplementation;
        address adminImplementation;
        address admin;
        address manager;
        address guardian;
        address keeper;
        address treasury;
        address restakeImplementation;
    }
    /// Ferrostake extension: the vault's parameters, for `initialize`. `maxPerformanceFeeBips` and
    /// `maxPauseDuration` are immutable after initialization.
    struct LrtVaultParams {
        uint16 maxPerformanceFeeBips;
        uint16 performanceFeeBips;
        uint64 maxPauseDuration;
        uint64 keeperStaleAfter;
        uint16 maxSyncIncreaseBips;
        uint256 depositCapPerPeriod;
        uint64 period;
        uint256 minRequest;
        uint256 maxRequest;
        uint16 maxOperatorBips;
        uint16 maxOperatorSetBips;
    }
    event ImplementationsSet(address opsImplementation, address adminImplementation, address restakeImplementation);
    event RolesSet(address manager, address guardian, address keeper, address treasury);
    event Allocated(address indexed operator, address indexed delegator, uint256 assets);
    event UnstakeQueued(address indexed operator, bytes32 withdrawalRoot, uint256 depositShares);
    event UnstakeCompleted(address indexed operator, bytes32 withdrawalRoot, uint256 assets);
    /// The delegator of a force-undelegated, emptied operator was freed for another operator.
    event DelegatorRecycled(address indexed operator, address delegator);
    error ZeroAddress();
    error InvalidAction(uint8 action);
    error UnknownOperator(address operator);
    error InsufficientLiquidity(uint256 available, uint256 needed);
    error InvalidWithdrawal();
    error NotDelegatorOfVault(address delegator);
    error BipsAboveOne(uint16 bips);
    /// `keeperStaleAfter` is zero (anyone could finalize and unstake at any time).
    error KeeperStaleAfterZero();
    /// A queued slash of one of the vault's operators is pending: redemptions wait for it.
    error SlashPending(address operator);
    /// The delegator already has the maximum of unstakes queued by the vault and not completed.
    error TooManyPendingUnstakes(uint256 maximum);
    /// The delegator is still weighted, delegated to its operator, or holds shares.
    error DelegatorInUse(address delegator);
    /// Ferrostake extension: one-shot initializer; every delegator must already name this vault.
    function initialize(
        LrtVaultAddresses calldata addrs,
        LrtVaultParams calldata params,
        address[] calldata delegators,
        string calldata name_,
        string calldata symbol_
    ) external;
    /// Ferrostake extension: the programs the core delegates the other selectors to: the ops
    /// program (NAV sync, redemption queue, unstaking, small views), the admin program
    /// (initialize, roles, parameters, pause) and the restake program (operator weights,
    /// allocation, exposure). Admin only.
    function setImplementations(address opsImplementation, address adminImplementation, address restakeImplementation) external;
    /// Ferrostake extension: the roles (admin only).
    function setRoles(address manager, address guardian, address keeper, address treasury) external;
    /// Ferrostake extension: restakes `assets` of idle assets across the operators by target weight
    /// (keeper or manager), refusing any that breaks an exposure limit.
    function allocate(uint256 assets) external;
    /// Ferrostake extension: queues a core withdrawal of `depositShares` from `operator`'s
    /// delegator (keeper; anyone once the keeper is stale).
    function queueUnstake(address operator, uint256 depositShares) external returns (bytes32 withdrawalRoot);
    /// Ferrostake extension: completes a matured core withdrawal as tokens into the vault (anyone).
    function completeUnstake(address operator, Withdrawal calldata withdrawal) external returns (uint256 assets);
    /// Ferrostake extension: the staker account the vault uses for `operator` (zero if none).
    function delegatorOf(address operator) external view returns (address);
    /// Ferrostake extension: booked NAV (what the rate uses at most), live NAV from the core
    /// contracts, idle assets and finalized-but-unclaimed liabilities.
    function navBreakdown() external view returns (uint256 book, uint256 live, uint256 idle, uint256 liabilities);
    /// Ferrostake extension: a redemption request.
    function requestInfo(uint256 requestId)
        external
        view
        returns (address controller, uint256 shares, uint256 assetsAtRequest, bool finalized);
    /// Ferrostake extension: until when `action` is paused (0: Deposit, 1: Request, 2: Claim, 3: Allocate).
    function pausedUntil(uint8 action) external view returns (uint64);

    // --- Ferrostake extension: restaking rewards (admin program) ---
    event RewardsConfigSet(address rewardsCoordinator, address rewardsKeeper);
    event TokenSwept(address indexed token, address indexed to, uint256 amount);
    /// No RewardsCoordinator is configured (`setRewardsConfig`).
    error RewardsNotConfigured();
    /// The vault's asset (counted in NAV) and the vault's own share cannot be swept.
    error CannotSweep(address token);
    /// The manager names the RewardsCoordinator and an extra keeper allowed to claim (zero: none
    /// beyond the vault's keeper and the manager); every delegator sets the vault as its claimer
    /// there (`setClaimerFor(vault)`). Repeatable (a recycled or re-pointed delegator).
    function setRewardsConfig(address rewardsCoordinator, address rewardsKeeper) external;
    function rewardsConfig() external view returns (address rewardsCoordinator, address rewardsKeeper);
    /// Keeper, rewards keeper or manager: `processClaim(claim, vault)` on the RewardsCoordinator,
    /// as the claimer of `claim.earnerLeaf.earner`, which must be one of the vault's delegators
    /// (`NotDelegatorOfVault`). Asset rewards raise the measured NAV (booked at the next
    /// `syncNav`); other tokens are not counted in NAV and are swept by the manager.
    function claimRewards(RewardsMerkleClaim calldata claim) external;
    /// Manager: sends the vault's whole balance of `token` (a non-asset reward token) to `to`;
    /// the asset and the vault's own share revert `CannotSweep`.
    function sweepToken(address token, address to) external returns (uint256 amount);
}

/// Ferrostake extension: a staker account of the LRT vault, one per operator (EigenLayer lets a
/// staker delegate to one operator only). It only forwards the vault's calls.
interface ILrtDelegator {
    error OnlyVault();
    function initialize(address vault) external;
    function vault() external view returns (address);
    function execute(address target, bytes calldata data) external returns (bytes memory);
}
