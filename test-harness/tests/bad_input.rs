//! Bad input against the deployed suite (compiled WASM on the devnode): garbage, truncated and
//! unknown calldata to every contract, strangers calling privileged functions, re-initialization,
//! replayed / expired / forged / malformed signatures, and zero and max values. Every probe is a
//! mined transaction, and after each (or each batch of) refused transaction(s) the whole chain state
//! — every account's balance, nonce, code and storage — must be unchanged except for the sender's
//! nonce and gas.
//!
//! What counts as a refusal:
//! - a semantic refusal (wrong caller, bad signature, bad value) must revert with exactly the custom
//!   error EigenLayer's docs name for it (decoded against the interface), so integrators can tell
//!   the reasons apart;
//! - calldata the ABI decoder cannot read (truncated arguments, unknown selectors, garbage) must
//!   revert with a custom error of the suite's ABI (or, for the test tokens, empty data as
//!   stylus-sdk's router answers); never success, never `Error(string)`, `Panic(uint256)` or
//!   unknown bytes. `calldata_no_function_serves_reverts_with_a_typed_error` pins which error:
//!   `InvalidCalldata()` or `UnknownSelector(bytes4)`; a callee's empty revert still bubbles empty.
//!
//! Failures are collected and reported together, so one run shows every deviation.

use alloy::primitives::{keccak256, Address, Bytes, FixedBytes, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use alloy::sol_types::{SolCall, SolError, SolValue};
use ferrostake_deploy::abi::{
    AllocateParams, CreateSetParams, DeregisterParams, IAllocationManager, IBeaconRootOracle,
    IDelegationManager, IEigenPod, IEigenPodManager, IFerrostakeErrors, IOwnable, IPausable,
    IPauserRegistry, IPermissionController, IPermissionControllerMixin, IRewardsCoordinator,
    ISignatureUtilsMixin, IStrategy, IStrategyFactory, IStrategyManager, OperatorSet,
    QueuedWithdrawalParams, RegisterParams, RewardsMerkleClaim, RewardsSubmission,
    SignatureWithExpiry, SlashingParams, StrategyAndMultiplier, Withdrawal, IERC20,
};
use ferrostake_harness::suite::{error_name, state_changes, Outcome, Suite, WAD};

alloy::sol! {
    /// OpenZeppelin's ERC-6093 errors, which the test tokens (OpenZeppelin ERC-20s) revert with.
    interface IERC6093 {
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InvalidSender(address sender);
        error ERC20InvalidReceiver(address receiver);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error ERC20InvalidApprover(address approver);
        error ERC20InvalidSpender(address spender);
    }
    /// The ERC-1967 proxy's admin functions (handled by the proxy only for its admin).
    interface IProxyAdmin {
        function upgradeToAndCall(address implementation, bytes data) external;
        function changeAdmin(address admin) external;
    }
}

/// A custom error of the suite's ABI or of the test tokens (ERC-6093).
fn known_error(output: &[u8]) -> Option<&'static str> {
    let sel: [u8; 4] = output.get(..4)?.try_into().ok()?;
    error_name(sel).or_else(|| {
        use IERC6093::*;
        [
            (
                ERC20InsufficientBalance::SELECTOR,
                "ERC20InsufficientBalance",
            ),
            (ERC20InvalidSender::SELECTOR, "ERC20InvalidSender"),
            (ERC20InvalidReceiver::SELECTOR, "ERC20InvalidReceiver"),
            (
                ERC20InsufficientAllowance::SELECTOR,
                "ERC20InsufficientAllowance",
            ),
            (ERC20InvalidApprover::SELECTOR, "ERC20InvalidApprover"),
            (ERC20InvalidSpender::SELECTOR, "ERC20InvalidSpender"),
        ]
        .into_iter()
        .find(|(s, _)| *s == sel)
        .map(|(_, n)| n)
    })
}

fn describe(o: &Outcome) -> String {
    if o.status {
        return "success".into();
    }
    match known_error(&o.output) {
        Some(n) => n.to_string(),
        None if o.output.is_empty() => "empty revert data".into(),
        None => format!("unknown revert data 0x{}", hex::encode(&o.output)),
    }
}

/// Runs probes on the suite and collects every deviation.
struct Probe<'a> {
    s: &'a Suite,
    failures: Vec<String>,
    /// Probes run (each a mined transaction).
    count: usize,
}

impl<'a> Probe<'a> {
    fn new(s: &'a Suite) -> Self {
        Self {
            s,
            failures: Vec::new(),
            count: 0,
        }
    }

    /// `data` from `from` to `to` must revert with exactly `E` and change nothing.
    fn refuse<E: SolError>(&mut self, what: &str, from: Address, to: Address, data: Vec<u8>) {
        let before = self.s.state();
        let o = match self.s.send_raw(from, to, data) {
            Ok(o) => o,
            Err(e) => {
                self.failures.push(format!("{what}: {e}"));
                return;
            }
        };
        self.count += 1;
        if o.status || o.error_selector() != Some(E::SELECTOR) {
            self.failures.push(format!(
                "{what}: expected {} but got {}",
                E::SIGNATURE,
                describe(&o)
            ));
        } else if E::abi_decode(&o.output).is_err() {
            self.failures
                .push(format!("{what}: {} data does not decode", E::SIGNATURE));
        }
        self.unchanged(what, &before, from);
    }

    /// Typed [`Probe::refuse`].
    fn refuse_call<E: SolError, C: SolCall>(
        &mut self,
        what: &str,
        from: Address,
        to: Address,
        call: C,
    ) {
        self.refuse::<E>(what, from, to, call.abi_encode());
    }

    /// `data` must revert, with empty data or a known custom error (undecodable calldata).
    fn refuse_malformed(&mut self, what: &str, from: Address, to: Address, data: Vec<u8>) {
        let o = match self.s.send_raw(from, to, data) {
            Ok(o) => o,
            Err(e) => {
                self.failures.push(format!("{what}: {e}"));
                return;
            }
        };
        self.count += 1;
        if o.status || !(o.output.is_empty() || known_error(&o.output).is_some()) {
            self.failures
                .push(format!("{what}: expected a revert, got {}", describe(&o)));
        }
    }

    /// The state is what it was at `before` but for `sender`'s nonce and gas.
    fn unchanged(
        &mut self,
        what: &str,
        before: &ferrostake_harness::suite::ChainState,
        sender: Address,
    ) {
        let changes = state_changes(before, &self.s.state(), sender);
        if !changes.is_empty() {
            self.failures.push(format!(
                "{what}: state changed by a refused transaction:\n    {}",
                changes.join("\n    ")
            ));
        }
    }

    /// A transaction that must succeed (set-up and positive controls).
    fn accept(&mut self, what: &str, from: Address, to: Address, data: Vec<u8>) -> Option<Outcome> {
        match self.s.send_raw(from, to, data) {
            Ok(o) if o.status => Some(o),
            Ok(o) => {
                self.failures
                    .push(format!("{what}: expected success, got {}", describe(&o)));
                None
            }
            Err(e) => {
                self.failures.push(format!("{what}: {e}"));
                None
            }
        }
    }

    fn finish(self) {
        assert!(self.count > 0, "no probe ran");
        assert!(
            self.failures.is_empty(),
            "{} of {} probes deviated:\n  {}",
            self.failures.len(),
            self.count,
            self.failures.join("\n  ")
        );
    }
}

/// The suite with operators and AVS sets, and one delegated staker with a deposit in each
/// strategy, so refusals have state to leave alone.
fn populated() -> ferrostake_harness::suite::SuiteGuard {
    let s = Suite::shared();
    s.setup_operators().expect("operators and sets");
    let (staker, op) = (s.actors.stakers[0], s.actors.operators[0]);
    for st in s.addrs.strategies.clone() {
        s.deposit(staker, st, U256::from(1_000_000_000_000u64))
            .and_then(Outcome::ok)
            .expect("deposit");
    }
    s.send(
        staker,
        s.addrs.delegation_manager,
        IDelegationManager::delegateToCall {
            operator: op,
            approverSignatureAndExpiry: no_sig(),
            approverSalt: B256::ZERO,
        },
    )
    .and_then(Outcome::ok)
    .expect("delegate");
    s
}

fn no_sig() -> SignatureWithExpiry {
    SignatureWithExpiry {
        signature: Bytes::new(),
        expiry: U256::ZERO,
    }
}

/// Every deployed contract worth probing: (name, address, its interfaces' JSON ABIs).
fn targets(s: &Suite, pod: Address) -> Vec<(String, Address, Vec<alloy::json_abi::JsonAbi>)> {
    use ferrostake_deploy::abi::*;
    let a = &s.addrs;
    let mut t = vec![
        (
            "PauserRegistry".to_string(),
            a.pauser_registry,
            vec![IPauserRegistry::abi::contract()],
        ),
        (
            "PermissionController".into(),
            a.permission_controller,
            vec![IPermissionController::abi::contract()],
        ),
        (
            "StrategyManager".into(),
            a.strategy_manager,
            vec![
                IStrategyManager::abi::contract(),
                IPausable::abi::contract(),
                IOwnable::abi::contract(),
            ],
        ),
        (
            "DelegationManager".into(),
            a.delegation_manager,
            vec![
                IDelegationManager::abi::contract(),
                IPausable::abi::contract(),
            ],
        ),
        (
            "AllocationManager".into(),
            a.allocation_manager,
            vec![
                IAllocationManager::abi::contract(),
                IPausable::abi::contract(),
            ],
        ),
        (
            "BeaconRootOracle".into(),
            a.beacon_root_oracle,
            vec![
                IBeaconRootOracle::abi::contract(),
                IOwnable::abi::contract(),
            ],
        ),
        (
            "RewardsCoordinator".into(),
            a.rewards_coordinator,
            vec![
                IRewardsCoordinator::abi::contract(),
                IPausable::abi::contract(),
                IOwnable::abi::contract(),
            ],
        ),
        (
            "EigenPodManager".into(),
            a.eigen_pod_manager,
            vec![
                IEigenPodManager::abi::contract(),
                IPausable::abi::contract(),
                IOwnable::abi::contract(),
            ],
        ),
        ("EigenPod".into(), pod, vec![IEigenPod::abi::contract()]),
    ];
    if !a.strategy_factory.is_zero() {
        t.push((
            "StrategyFactory".into(),
            a.strategy_factory,
            vec![
                IStrategyFactory::abi::contract(),
                IPausable::abi::contract(),
                IOwnable::abi::contract(),
            ],
        ));
    }
    for (i, st) in a.strategies.iter().enumerate() {
        t.push((
            format!("Strategy {i}"),
            *st,
            vec![IStrategy::abi::contract()],
        ));
    }
    for (i, token) in a.tokens.iter().enumerate() {
        t.push((format!("token {i}"), *token, vec![IERC20::abi::contract()]));
    }
    t
}

/// Staker 0's pod (created on first use).
fn pod_of(s: &Suite, owner: Address) -> Address {
    let epm = s.addrs.eigen_pod_manager;
    s.send(owner, epm, IEigenPodManager::createPodCall {})
        .and_then(Outcome::ok)
        .expect("createPod");
    s.view(epm, IEigenPodManager::getPodCall { podOwner: owner })
        .expect("getPod")
}

/// Truncated, unknown and garbage calldata to every contract, from a stranger: every one reverts
/// (empty data or a custom error) and the chain state is exactly as before.
#[test]
fn garbage_truncated_and_unknown_calldata_is_refused_everywhere() {
    let s = populated();
    let pod = pod_of(&s, s.actors.stakers[0]);
    let attacker = s.actors.attacker;
    let mut p = Probe::new(&s);
    let garbage = keccak256("ferrostake garbage");
    for (name, to, abis) in targets(&s, pod) {
        let before = s.state();
        let mut probes: Vec<(String, Vec<u8>)> = vec![
            ("1 byte".into(), vec![0x01]),
            ("3 bytes".into(), vec![0xde, 0xad, 0xbe]),
            ("unknown selector".into(), vec![0xde, 0xad, 0xbe, 0xef]),
            (
                "unknown selector + 64 bytes".into(),
                [&[0xde, 0xad, 0xbe, 0xef][..], &garbage[..], &garbage[..]].concat(),
            ),
            (
                "upgradeToAndCall by a stranger".into(),
                IProxyAdmin::upgradeToAndCallCall {
                    implementation: attacker,
                    data: Bytes::new(),
                }
                .abi_encode(),
            ),
            (
                "changeAdmin by a stranger".into(),
                IProxyAdmin::changeAdminCall { admin: attacker }.abi_encode(),
            ),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for abi in &abis {
            for f in abi.functions() {
                if f.inputs.is_empty() || !seen.insert(f.selector()) {
                    continue;
                }
                let sel = f.selector().to_vec();
                probes.push((format!("{} with no arguments", f.signature()), sel.clone()));
                probes.push((
                    format!("{} with 5 argument bytes", f.signature()),
                    [&sel[..], &garbage[..5]].concat(),
                ));
                // A dynamic argument whose offset points far outside the calldata.
                if f.inputs.iter().any(|i| {
                    i.ty.ends_with(']') || i.ty == "bytes" || i.ty == "string" || i.ty == "tuple"
                }) {
                    let mut data = sel.clone();
                    for _ in 0..f.inputs.len() {
                        data.extend_from_slice(&[0xff; 32]);
                    }
                    probes.push((format!("{} with offsets out of range", f.signature()), data));
                }
            }
        }
        for (what, data) in probes {
            p.refuse_malformed(&format!("{name}: {what}"), attacker, to, data);
        }
        p.unchanged(&format!("{name}: garbage calldata"), &before, attacker);
    }
    // Empty calldata with no value: only the EigenPod has a receive function (EigenLayer's pods
    // take plain ETH transfers).
    for (name, to, _) in targets(&s, pod) {
        if to == pod {
            continue;
        }
        let before = s.state();
        p.refuse_malformed(&format!("{name}: empty calldata"), attacker, to, Vec::new());
        p.unchanged(&format!("{name}: empty calldata"), &before, attacker);
    }
    p.finish();
}

/// Selector + one word of `1` per static argument word of `initialize` (non-zero, so no
/// zero-address check can answer first).
fn reinit_calldata(abi: &alloy::json_abi::JsonAbi) -> Option<Vec<u8>> {
    fn words(p: &alloy::json_abi::Param) -> Option<usize> {
        if p.ty == "tuple" {
            p.components.iter().map(words).sum()
        } else if p.ty.ends_with(']') || p.ty == "bytes" || p.ty == "string" {
            None
        } else {
            Some(1)
        }
    }
    let f = abi.functions().find(|f| f.name == "initialize")?;
    let n: usize = f.inputs.iter().map(words).sum::<Option<usize>>()?;
    let mut data = f.selector().to_vec();
    for _ in 0..n {
        data.extend_from_slice(&U256::from(1u8).to_be_bytes::<32>());
    }
    Some(data)
}

/// Strangers calling every privileged function get the access error EigenLayer names; nobody,
/// not even the deployer, initializes a contract twice; the state is untouched.
#[test]
fn strangers_and_reinitialization_are_refused() {
    use IFerrostakeErrors::{AlreadyInitialized, OwnableUnauthorizedAccount};
    let s = populated();
    let pod = pod_of(&s, s.actors.stakers[0]);
    let a = s.addrs.clone();
    let (x, staker, op, avs) = (
        s.actors.attacker,
        s.actors.stakers[0],
        s.actors.operators[0],
        s.actors.avss[0],
    );
    let (st, token) = (a.strategies[0], a.tokens[0]);
    let set = OperatorSet { avs, id: 1 };
    let mut p = Probe::new(&s);
    let (sm, dm, am, rc, epm, pr, pc, oracle) = (
        a.strategy_manager,
        a.delegation_manager,
        a.allocation_manager,
        a.rewards_coordinator,
        a.eigen_pod_manager,
        a.pauser_registry,
        a.permission_controller,
        a.beacon_root_oracle,
    );

    // Pausing and ownership on every pausable / ownable contract.
    let mut pausable = vec![
        ("StrategyManager", sm),
        ("DelegationManager", dm),
        ("AllocationManager", am),
        ("RewardsCoordinator", rc),
        ("EigenPodManager", epm),
    ];
    let mut ownable = vec![
        ("StrategyManager", sm),
        ("RewardsCoordinator", rc),
        ("EigenPodManager", epm),
        ("BeaconRootOracle", oracle),
    ];
    if !a.strategy_factory.is_zero() {
        pausable.push(("StrategyFactory", a.strategy_factory));
        ownable.push(("StrategyFactory", a.strategy_factory));
    }
    for (name, c) in pausable {
        p.refuse_call::<IPausable::OnlyPauser, _>(
            &format!("{name}.pause"),
            x,
            c,
            IPausable::pauseCall {
                newPausedStatus: U256::from(1),
            },
        );
        p.refuse_call::<IPausable::OnlyPauser, _>(
            &format!("{name}.pauseAll"),
            x,
            c,
            IPausable::pauseAllCall {},
        );
        p.refuse_call::<IPausable::OnlyUnpauser, _>(
            &format!("{name}.unpause"),
            x,
            c,
            IPausable::unpauseCall {
                newPausedStatus: U256::ZERO,
            },
        );
    }
    for (name, c) in ownable {
        p.refuse_call::<OwnableUnauthorizedAccount, _>(
            &format!("{name}.transferOwnership"),
            x,
            c,
            IOwnable::transferOwnershipCall { newOwner: x },
        );
        // The BeaconRootOracle (a Ferrostake extension) has `transferOwnership` but no
        // `renounceOwnership`: its interface does not claim IOwnable.
        if c != oracle {
            p.refuse_call::<OwnableUnauthorizedAccount, _>(
                &format!("{name}.renounceOwnership"),
                x,
                c,
                IOwnable::renounceOwnershipCall {},
            );
        }
    }

    // PauserRegistry.
    p.refuse_call::<IPauserRegistry::OnlyUnpauser, _>(
        "setIsPauser",
        x,
        pr,
        IPauserRegistry::setIsPauserCall {
            newPauser: x,
            canPause: true,
        },
    );
    p.refuse_call::<IPauserRegistry::OnlyUnpauser, _>(
        "setUnpauser",
        x,
        pr,
        IPauserRegistry::setUnpauserCall { newUnpauser: x },
    );

    // PermissionController: nobody administers someone else's account.
    let sel = FixedBytes(IDelegationManager::modifyOperatorDetailsCall::SELECTOR);
    p.refuse_call::<IPermissionController::NotAdmin, _>(
        "addPendingAdmin",
        x,
        pc,
        IPermissionController::addPendingAdminCall {
            account: op,
            admin: x,
        },
    );
    p.refuse_call::<IPermissionController::NotAdmin, _>(
        "setAppointee",
        x,
        pc,
        IPermissionController::setAppointeeCall {
            account: op,
            appointee: x,
            target: dm,
            selector: sel,
        },
    );
    p.refuse_call::<IPermissionController::NotAdmin, _>(
        "removeAdmin",
        x,
        pc,
        IPermissionController::removeAdminCall {
            account: op,
            admin: op,
        },
    );

    // StrategyManager.
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setStrategyWhitelister",
        x,
        sm,
        IStrategyManager::setStrategyWhitelisterCall {
            newStrategyWhitelister: x,
        },
    );
    p.refuse_call::<IStrategyManager::OnlyStrategyWhitelister, _>(
        "addStrategiesToDepositWhitelist",
        x,
        sm,
        IStrategyManager::addStrategiesToDepositWhitelistCall {
            strategiesToWhitelist: vec![st],
        },
    );
    p.refuse_call::<IStrategyManager::OnlyStrategyWhitelister, _>(
        "removeStrategiesFromDepositWhitelist",
        x,
        sm,
        IStrategyManager::removeStrategiesFromDepositWhitelistCall {
            strategiesToRemoveFromWhitelist: vec![st],
        },
    );
    p.refuse_call::<IStrategyManager::OnlyDelegationManager, _>(
        "removeDepositShares",
        x,
        sm,
        IStrategyManager::removeDepositSharesCall {
            staker,
            strategy: st,
            depositSharesToRemove: U256::from(1),
        },
    );
    p.refuse_call::<IStrategyManager::OnlyDelegationManager, _>(
        "addShares",
        x,
        sm,
        IStrategyManager::addSharesCall {
            staker: x,
            strategy: st,
            shares: U256::from(WAD),
        },
    );
    p.refuse_call::<IStrategyManager::OnlyDelegationManager, _>(
        "withdrawSharesAsTokens",
        x,
        sm,
        IStrategyManager::withdrawSharesAsTokensCall {
            staker,
            strategy: st,
            token,
            shares: U256::from(1),
        },
    );
    p.refuse_call::<IStrategyManager::OnlyDelegationManager, _>(
        "increaseBurnOrRedistributableShares",
        x,
        sm,
        IStrategyManager::increaseBurnOrRedistributableSharesCall {
            operatorSet: set.clone(),
            slashId: U256::from(1),
            strategy: st,
            sharesToBurn: U256::from(1),
        },
    );
    p.refuse_call::<IFerrostakeErrors::OnlyProxyAdmin, _>(
        "setViewImplementation",
        x,
        sm,
        IStrategyManager::setViewImplementationCall {
            newViewImplementation: x,
        },
    );

    // Strategies: only the StrategyManager moves shares and tokens.
    for st in &a.strategies {
        p.refuse_call::<IStrategy::OnlyStrategyManager, _>(
            "strategy deposit",
            x,
            *st,
            IStrategy::depositCall {
                token,
                amount: U256::from(1),
            },
        );
        p.refuse_call::<IStrategy::OnlyStrategyManager, _>(
            "strategy withdraw",
            x,
            *st,
            IStrategy::withdrawCall {
                recipient: x,
                token,
                amountShares: U256::from(1),
            },
        );
        p.refuse_call::<IStrategy::OnlyStrategyManager, _>(
            "beforeAddShares",
            x,
            *st,
            IStrategy::beforeAddSharesCall {
                staker: x,
                shares: U256::from(1),
            },
        );
        p.refuse_call::<IStrategy::OnlyStrategyManager, _>(
            "beforeRemoveShares",
            x,
            *st,
            IStrategy::beforeRemoveSharesCall {
                staker,
                shares: U256::from(1),
            },
        );
    }

    // DelegationManager.
    p.refuse_call::<IDelegationManager::OnlyStrategyManagerOrEigenPodManager, _>(
        "increaseDelegatedShares",
        x,
        dm,
        IDelegationManager::increaseDelegatedSharesCall {
            staker: x,
            strategy: st,
            prevDepositShares: U256::ZERO,
            addedShares: U256::from(WAD),
        },
    );
    p.refuse_call::<IDelegationManager::OnlyEigenPodManager, _>(
        "decreaseDelegatedShares",
        x,
        dm,
        IDelegationManager::decreaseDelegatedSharesCall {
            staker,
            curDepositShares: U256::from(1),
            beaconChainSlashingFactorDecrease: 1,
        },
    );
    p.refuse_call::<IDelegationManager::OnlyAllocationManager, _>(
        "slashOperatorShares",
        x,
        dm,
        IDelegationManager::slashOperatorSharesCall {
            operator: op,
            operatorSet: set.clone(),
            slashId: U256::from(1),
            strategy: st,
            prevMaxMagnitude: WAD,
            newMaxMagnitude: 0,
        },
    );
    p.refuse_call::<IPermissionControllerMixin::InvalidPermissions, _>(
        "modifyOperatorDetails",
        x,
        dm,
        IDelegationManager::modifyOperatorDetailsCall {
            operator: op,
            newDelegationApprover: x,
        },
    );
    p.refuse_call::<IPermissionControllerMixin::InvalidPermissions, _>(
        "updateOperatorMetadataURI",
        x,
        dm,
        IDelegationManager::updateOperatorMetadataURICall {
            operator: op,
            metadataURI: "https://evil.example".into(),
        },
    );
    p.refuse_call::<IDelegationManager::CallerCannotUndelegate, _>(
        "undelegate someone else",
        x,
        dm,
        IDelegationManager::undelegateCall { staker },
    );
    p.refuse_call::<IFerrostakeErrors::OnlyProxyAdmin, _>(
        "DelegationManager.setImplementations",
        x,
        dm,
        IDelegationManager::setImplementationsCall {
            withdrawalsImplementation_: x,
            viewImplementation_: x,
        },
    );

    // AllocationManager: an operator's or AVS's functions need the account or its appointee.
    // EigenLayer answers `InvalidCaller` where it checks inline (allocations, slashing by the
    // set's slasher, deregistration, allocation delay) and `InvalidPermissions` where it uses the
    // PermissionControllerMixin's `checkCanCall` modifier.
    let invalid = |p: &mut Probe, what: &str, data: Vec<u8>| {
        p.refuse::<IAllocationManager::InvalidCaller>(what, x, am, data)
    };
    let no_permission = |p: &mut Probe, what: &str, data: Vec<u8>| {
        p.refuse::<IPermissionControllerMixin::InvalidPermissions>(what, x, am, data)
    };
    invalid(
        &mut p,
        "modifyAllocations",
        IAllocationManager::modifyAllocationsCall {
            operator: op,
            params: vec![AllocateParams {
                operatorSet: set.clone(),
                strategies: vec![st],
                newMagnitudes: vec![1],
            }],
        }
        .abi_encode(),
    );
    invalid(
        &mut p,
        "slashOperator",
        IAllocationManager::slashOperatorCall {
            avs,
            params: SlashingParams {
                operator: op,
                operatorSetId: 1,
                strategies: vec![st],
                wadsToSlash: vec![U256::from(WAD)],
                description: "theft".into(),
            },
        }
        .abi_encode(),
    );
    no_permission(
        &mut p,
        "createOperatorSets",
        IAllocationManager::createOperatorSets_0Call {
            avs,
            params: vec![CreateSetParams {
                operatorSetId: 7,
                strategies: vec![st],
            }],
        }
        .abi_encode(),
    );
    no_permission(
        &mut p,
        "setAVSRegistrar",
        IAllocationManager::setAVSRegistrarCall { avs, registrar: x }.abi_encode(),
    );
    no_permission(
        &mut p,
        "updateAVSMetadataURI",
        IAllocationManager::updateAVSMetadataURICall {
            avs,
            metadataURI: "x".into(),
        }
        .abi_encode(),
    );
    no_permission(
        &mut p,
        "registerForOperatorSets",
        IAllocationManager::registerForOperatorSetsCall {
            operator: op,
            params: RegisterParams {
                avs,
                operatorSetIds: vec![1],
                data: Bytes::new(),
            },
        }
        .abi_encode(),
    );
    invalid(
        &mut p,
        "deregisterFromOperatorSets",
        IAllocationManager::deregisterFromOperatorSetsCall {
            params: DeregisterParams {
                operator: op,
                avs,
                operatorSetIds: vec![1],
            },
        }
        .abi_encode(),
    );
    invalid(
        &mut p,
        "setAllocationDelay",
        IAllocationManager::setAllocationDelayCall {
            operator: op,
            delay: 5,
        }
        .abi_encode(),
    );
    no_permission(
        &mut p,
        "addStrategiesToOperatorSet",
        IAllocationManager::addStrategiesToOperatorSetCall {
            avs,
            operatorSetId: 1,
            strategies: vec![a.strategies[1]],
        }
        .abi_encode(),
    );
    no_permission(
        &mut p,
        "updateSlasher",
        IAllocationManager::updateSlasherCall {
            operatorSet: set.clone(),
            slasher: x,
        }
        .abi_encode(),
    );

    // RewardsCoordinator.
    p.refuse_call::<IRewardsCoordinator::UnauthorizedCaller, _>(
        "submitRoot",
        x,
        rc,
        IRewardsCoordinator::submitRootCall {
            root: keccak256("forged root"),
            rewardsCalculationEndTimestamp: 1,
        },
    );
    p.refuse_call::<IRewardsCoordinator::UnauthorizedCaller, _>(
        "disableRoot",
        x,
        rc,
        IRewardsCoordinator::disableRootCall { rootIndex: 0 },
    );
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setActivationDelay",
        x,
        rc,
        IRewardsCoordinator::setActivationDelayCall {
            _activationDelay: 0,
        },
    );
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setRewardsUpdater",
        x,
        rc,
        IRewardsCoordinator::setRewardsUpdaterCall { _rewardsUpdater: x },
    );
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setDefaultOperatorSplit",
        x,
        rc,
        IRewardsCoordinator::setDefaultOperatorSplitCall { split: 0 },
    );
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setRewardsForAllSubmitter",
        x,
        rc,
        IRewardsCoordinator::setRewardsForAllSubmitterCall {
            _submitter: x,
            _newValue: true,
        },
    );
    p.refuse_call::<IRewardsCoordinator::UnauthorizedCaller, _>(
        "createRewardsForAllSubmission",
        x,
        rc,
        IRewardsCoordinator::createRewardsForAllSubmissionCall {
            rewardsSubmissions: vec![rewards_submission(&s, st, token, U256::from(1))],
        },
    );
    p.refuse_call::<IPermissionControllerMixin::InvalidPermissions, _>(
        "setOperatorAVSSplit",
        x,
        rc,
        IRewardsCoordinator::setOperatorAVSSplitCall {
            operator: op,
            avs,
            split: 0,
        },
    );
    p.refuse_call::<IPermissionControllerMixin::InvalidPermissions, _>(
        "setClaimerFor(earner, claimer)",
        x,
        rc,
        IRewardsCoordinator::setClaimerFor_1Call {
            earner: op,
            claimer: x,
        },
    );

    // EigenPodManager and EigenPod.
    p.refuse_call::<IEigenPodManager::OnlyEigenPod, _>(
        "recordBeaconChainETHBalanceUpdate",
        x,
        epm,
        IEigenPodManager::recordBeaconChainETHBalanceUpdateCall {
            podOwner: x,
            prevRestakedBalanceWei: U256::ZERO,
            balanceDeltaWei: alloy::primitives::I256::try_from(32_000_000_000_000_000_000i128)
                .expect("fits"),
        },
    );
    let beacon_eth = ferrostake_harness::model::BEACON_ETH;
    p.refuse_call::<IEigenPodManager::OnlyDelegationManager, _>(
        "EigenPodManager.addShares",
        x,
        epm,
        IEigenPodManager::addSharesCall {
            staker: x,
            strategy: beacon_eth,
            shares: U256::from(32u64) * U256::from(WAD),
        },
    );
    p.refuse_call::<IEigenPodManager::OnlyDelegationManager, _>(
        "EigenPodManager.removeDepositShares",
        x,
        epm,
        IEigenPodManager::removeDepositSharesCall {
            staker,
            strategy: beacon_eth,
            depositSharesToRemove: U256::from(1),
        },
    );
    p.refuse_call::<IEigenPodManager::OnlyDelegationManager, _>(
        "EigenPodManager.withdrawSharesAsTokens",
        x,
        epm,
        IEigenPodManager::withdrawSharesAsTokensCall {
            staker,
            strategy: beacon_eth,
            token: Address::ZERO,
            shares: U256::from(1),
        },
    );
    p.refuse_call::<IEigenPodManager::OnlyProofTimestampSetter, _>(
        "setPectraForkTimestamp",
        x,
        epm,
        IEigenPodManager::setPectraForkTimestampCall { timestamp: 1 },
    );
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setProofTimestampSetter",
        x,
        epm,
        IEigenPodManager::setProofTimestampSetterCall {
            newProofTimestampSetter: x,
        },
    );
    p.refuse_call::<IFerrostakeErrors::OnlyProxyAdmin, _>(
        "setEigenPodExtension",
        x,
        epm,
        IEigenPodManager::setEigenPodExtensionCall { newExtension: x },
    );
    p.refuse_call::<IEigenPod::OnlyEigenPodOwnerOrProofSubmitter, _>(
        "startCheckpoint",
        x,
        pod,
        IEigenPod::startCheckpointCall {
            revertIfNoBalance: false,
        },
    );
    p.refuse_call::<IEigenPod::OnlyEigenPodOwner, _>(
        "setProofSubmitter",
        x,
        pod,
        IEigenPod::setProofSubmitterCall {
            newProofSubmitter: x,
        },
    );
    p.refuse_call::<IEigenPod::OnlyEigenPodManager, _>(
        "withdrawRestakedBeaconChainETH",
        x,
        pod,
        IEigenPod::withdrawRestakedBeaconChainETHCall {
            recipient: x,
            amount: U256::from(1),
        },
    );
    p.refuse_call::<IEigenPod::OnlyEigenPodOwner, _>(
        "recoverTokens",
        x,
        pod,
        IEigenPod::recoverTokensCall {
            tokenList: vec![token],
            amountsToWithdraw: vec![U256::from(1)],
            recipient: x,
        },
    );

    // BeaconRootOracle.
    p.refuse_call::<IBeaconRootOracle::OnlyUpdater, _>(
        "postRoot",
        x,
        oracle,
        IBeaconRootOracle::postRootCall {
            timestamp: 12,
            root: keccak256("forged beacon root"),
        },
    );
    p.refuse_call::<OwnableUnauthorizedAccount, _>(
        "setUpdater",
        x,
        oracle,
        IBeaconRootOracle::setUpdaterCall {
            updater: x,
            allowed: true,
        },
    );

    // StrategyFactory.
    if !a.strategy_factory.is_zero() {
        let f = a.strategy_factory;
        p.refuse_call::<OwnableUnauthorizedAccount, _>(
            "blacklistTokens",
            x,
            f,
            IStrategyFactory::blacklistTokensCall {
                tokens: vec![token],
            },
        );
        p.refuse_call::<OwnableUnauthorizedAccount, _>(
            "whitelistStrategies",
            x,
            f,
            IStrategyFactory::whitelistStrategiesCall {
                strategiesToWhitelist: vec![st],
            },
        );
        p.refuse_call::<OwnableUnauthorizedAccount, _>(
            "removeStrategiesFromWhitelist",
            x,
            f,
            IStrategyFactory::removeStrategiesFromWhitelistCall {
                strategiesToRemoveFromWhitelist: vec![st],
            },
        );
    }

    // Test tokens: the usual ERC-20 refusals.
    for t in &a.tokens {
        let bal = s.balance_of(*t, x).expect("balance");
        p.refuse_call::<IERC6093::ERC20InsufficientBalance, _>(
            "transfer more than held",
            x,
            *t,
            IERC20::transferCall {
                to: staker,
                value: bal + U256::from(1),
            },
        );
        p.refuse_call::<IERC6093::ERC20InsufficientAllowance, _>(
            "transferFrom without allowance",
            x,
            *t,
            IERC20::transferFromCall {
                from: staker,
                to: x,
                value: U256::from(1),
            },
        );
    }

    // Nobody initializes twice — not a stranger, not the deployer (the proxy admin).
    for (name, to, abis) in targets(&s, pod) {
        if name.starts_with("token") {
            continue;
        }
        let data = if name == "PauserRegistry" {
            IPauserRegistry::initializeCall {
                pausers: vec![x],
                initialUnpauser: x,
            }
            .abi_encode()
        } else if let Some(d) = abis.iter().find_map(reinit_calldata) {
            d
        } else {
            // The PermissionController has no initializer (nothing to set up).
            continue;
        };
        for who in [x, s.actors.deployer] {
            p.refuse::<AlreadyInitialized>(
                &format!("{name}: initialize again"),
                who,
                to,
                data.clone(),
            );
        }
    }
    p.finish();
}

/// A submission for the last full calculation interval (valid but for `amount`).
fn rewards_submission(
    s: &Suite,
    strategy: Address,
    token: Address,
    amount: U256,
) -> RewardsSubmission {
    let interval = s.config.rewards.calculation_interval_seconds;
    let now = s.node().latest_block().timestamp as u32;
    let start = (now / interval).saturating_sub(1) * interval;
    RewardsSubmission {
        strategiesAndMultipliers: vec![StrategyAndMultiplier {
            strategy,
            multiplier: alloy::primitives::Uint::<96, 2>::from(WAD),
        }],
        token,
        amount,
        startTimestamp: start.max(s.config.rewards.genesis_rewards_timestamp),
        duration: interval,
    }
}

/// Zero, one-too-many and maximum values where EigenLayer names the refusal.
#[test]
fn zero_and_max_values_are_refused() {
    let s = populated();
    let a = s.addrs.clone();
    let (staker, fresh, op, avs) = (
        s.actors.stakers[0],
        s.actors.stakers[1],
        s.actors.operators[0],
        s.actors.avss[0],
    );
    let (st, token) = (a.strategies[0], a.tokens[0]);
    let (sm, dm, am) = (
        a.strategy_manager,
        a.delegation_manager,
        a.allocation_manager,
    );
    let mut p = Probe::new(&s);
    let deposit = |strategy: Address, token: Address, amount: U256| {
        IStrategyManager::depositIntoStrategyCall {
            strategy,
            token,
            amount,
        }
        .abi_encode()
    };
    // Deposits: nothing, a token that is not the strategy's, a strategy that is not whitelisted,
    // more than the staker holds.
    p.refuse::<IStrategy::NewSharesZero>("deposit 0", staker, sm, deposit(st, token, U256::ZERO));
    p.refuse::<IStrategy::OnlyUnderlyingToken>(
        "deposit the wrong token",
        staker,
        sm,
        deposit(st, a.tokens[1], U256::from(1_000)),
    );
    p.refuse::<IStrategyManager::StrategyNotWhitelisted>(
        "deposit into a non-strategy",
        staker,
        sm,
        deposit(s.actors.attacker, token, U256::from(1_000)),
    );
    // Ferrostake's SafeERC20 (OpenZeppelin Stylus) wraps the token's refusal in its own error.
    p.refuse::<IFerrostakeErrors::SafeERC20FailedOperation>(
        "deposit U256::MAX",
        staker,
        sm,
        deposit(st, token, U256::MAX),
    );
    // Withdrawals: zero shares, more than held, no strategies, mismatched lengths, a withdrawal
    // that was never queued.
    let queue = |strategies: Vec<Address>, shares: Vec<U256>| {
        IDelegationManager::queueWithdrawalsCall {
            params: vec![QueuedWithdrawalParams {
                strategies,
                depositShares: shares,
                __deprecated_withdrawer: staker,
            }],
        }
        .abi_encode()
    };
    p.refuse::<IStrategyManager::SharesAmountZero>(
        "queue 0 shares",
        staker,
        dm,
        queue(vec![st], vec![U256::ZERO]),
    );
    p.refuse::<IStrategyManager::SharesAmountTooHigh>(
        "queue U256::MAX shares",
        staker,
        dm,
        queue(vec![st], vec![U256::MAX]),
    );
    p.refuse::<IDelegationManager::InputArrayLengthZero>(
        "queue no strategies",
        staker,
        dm,
        queue(vec![], vec![]),
    );
    p.refuse::<IDelegationManager::InputArrayLengthMismatch>(
        "queue mismatched lengths",
        staker,
        dm,
        queue(vec![st], vec![U256::from(1), U256::from(1)]),
    );
    let forged = Withdrawal {
        staker,
        delegatedTo: op,
        withdrawer: staker,
        nonce: U256::ZERO,
        startBlock: 1,
        strategies: vec![st],
        scaledShares: vec![U256::from(1_000_000_000_000u64)],
    };
    p.refuse::<IDelegationManager::WithdrawalNotQueued>(
        "complete a withdrawal never queued",
        staker,
        dm,
        IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: forged,
            tokens: vec![token],
            receiveAsTokens: true,
        }
        .abi_encode(),
    );
    // Delegation: to nobody, to a non-operator, twice; operators register once.
    let delegate = |operator: Address| {
        IDelegationManager::delegateToCall {
            operator,
            approverSignatureAndExpiry: no_sig(),
            approverSalt: B256::ZERO,
        }
        .abi_encode()
    };
    p.refuse::<IDelegationManager::OperatorNotRegistered>(
        "delegate to 0",
        fresh,
        dm,
        delegate(Address::ZERO),
    );
    p.refuse::<IDelegationManager::OperatorNotRegistered>(
        "delegate to a staker",
        fresh,
        dm,
        delegate(staker),
    );
    p.refuse::<IDelegationManager::ActivelyDelegated>("delegate twice", staker, dm, delegate(op));
    p.refuse::<IDelegationManager::ActivelyDelegated>(
        "register an operator twice",
        op,
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: Address::ZERO,
            allocationDelay: 0,
            metadataURI: String::new(),
        }
        .abi_encode(),
    );
    p.refuse::<IDelegationManager::OperatorsCannotUndelegate>(
        "an operator undelegates itself",
        op,
        dm,
        IDelegationManager::undelegateCall { staker: op }.abi_encode(),
    );
    p.refuse::<IDelegationManager::NotActivelyDelegated>(
        "undelegate a staker who is not delegated",
        fresh,
        dm,
        IDelegationManager::undelegateCall { staker: fresh }.abi_encode(),
    );
    // Allocations and slashes: beyond the max magnitude, zero and over-one wads, unsorted
    // strategies, an operator set that does not exist.
    let allocate = |mag: u64, set_id: u32| {
        IAllocationManager::modifyAllocationsCall {
            operator: op,
            params: vec![AllocateParams {
                operatorSet: OperatorSet { avs, id: set_id },
                strategies: vec![st],
                newMagnitudes: vec![mag],
            }],
        }
        .abi_encode()
    };
    p.refuse::<IAllocationManager::InsufficientMagnitude>(
        "allocate u64::MAX",
        op,
        am,
        allocate(u64::MAX, 1),
    );
    p.refuse::<IAllocationManager::InsufficientMagnitude>(
        "allocate WAD + 1",
        op,
        am,
        allocate(WAD + 1, 1),
    );
    p.refuse::<IAllocationManager::InvalidOperatorSet>(
        "allocate to a set that does not exist",
        op,
        am,
        allocate(1, 99),
    );
    if let Some(o) = p.accept("allocate half", op, am, allocate(WAD / 2, 1)) {
        assert!(o.status);
    }
    let slash = |strategies: Vec<Address>, wads: Vec<U256>| {
        IAllocationManager::slashOperatorCall {
            avs,
            params: SlashingParams {
                operator: op,
                operatorSetId: 1,
                strategies,
                wadsToSlash: wads,
                description: String::new(),
            },
        }
        .abi_encode()
    };
    let sorted = a.strategies_sorted();
    p.refuse::<IAllocationManager::InvalidWadToSlash>(
        "slash 0",
        avs,
        am,
        slash(vec![st], vec![U256::ZERO]),
    );
    p.refuse::<IAllocationManager::InvalidWadToSlash>(
        "slash WAD + 1",
        avs,
        am,
        slash(vec![st], vec![U256::from(WAD + 1)]),
    );
    p.refuse::<IAllocationManager::InvalidWadToSlash>(
        "slash U256::MAX",
        avs,
        am,
        slash(vec![st], vec![U256::MAX]),
    );
    p.refuse::<IAllocationManager::StrategiesMustBeInAscendingOrder>(
        "slash unsorted strategies",
        avs,
        am,
        slash(
            vec![sorted[1], sorted[0]],
            vec![U256::from(WAD / 2), U256::from(WAD / 2)],
        ),
    );
    p.refuse::<IAllocationManager::InputArrayLengthMismatch>(
        "slash mismatched lengths",
        avs,
        am,
        slash(vec![st], vec![U256::from(1), U256::from(1)]),
    );
    // Rewards: zero amount, more than the maximum, a claim against a root that does not exist.
    let rc = a.rewards_coordinator;
    let submit = |amount: U256| {
        IRewardsCoordinator::createAVSRewardsSubmissionCall {
            rewardsSubmissions: vec![rewards_submission(&s, st, token, amount)],
        }
        .abi_encode()
    };
    p.refuse::<IRewardsCoordinator::AmountIsZero>("rewards amount 0", avs, rc, submit(U256::ZERO));
    p.refuse::<IRewardsCoordinator::AmountExceedsMax>(
        "rewards amount U256::MAX",
        avs,
        rc,
        submit(U256::MAX),
    );
    p.refuse::<IRewardsCoordinator::InvalidRootIndex>(
        "claim against a root that does not exist",
        staker,
        rc,
        IRewardsCoordinator::processClaimCall {
            claim: RewardsMerkleClaim {
                rootIndex: u32::MAX,
                earnerIndex: 0,
                earnerTreeProof: Bytes::new(),
                earnerLeaf: ferrostake_deploy::abi::EarnerTreeMerkleLeaf {
                    earner: staker,
                    earnerTokenRoot: B256::ZERO,
                },
                tokenIndices: vec![0],
                tokenTreeProofs: vec![Bytes::new()],
                tokenLeaves: vec![ferrostake_deploy::abi::TokenTreeMerkleLeaf {
                    token,
                    cumulativeEarnings: U256::MAX,
                }],
            },
            recipient: staker,
        }
        .abi_encode(),
    );
    // Pods: one per owner.
    let epm = a.eigen_pod_manager;
    let _ = pod_of(&s, fresh);
    p.refuse::<IEigenPodManager::EigenPodAlreadyExists>(
        "create a second pod",
        fresh,
        epm,
        IEigenPodManager::createPodCall {}.abi_encode(),
    );
    // Beacon roots: zero, twice.
    let oracle = a.beacon_root_oracle;
    let deployer = s.actors.deployer;
    p.refuse::<IBeaconRootOracle::ZeroRoot>(
        "post a zero root",
        deployer,
        oracle,
        IBeaconRootOracle::postRootCall {
            timestamp: 24,
            root: B256::ZERO,
        }
        .abi_encode(),
    );
    let post = IBeaconRootOracle::postRootCall {
        timestamp: 36,
        root: keccak256("a beacon root"),
    }
    .abi_encode();
    // Positive control for the state comparison: an accepted transaction shows up in it.
    let before = s.state();
    p.accept("post a root", deployer, oracle, post.clone());
    assert!(
        !state_changes(&before, &s.state(), deployer).is_empty(),
        "the state comparison sees a successful write"
    );
    p.refuse::<IBeaconRootOracle::RootAlreadyPosted>("post a root twice", deployer, oracle, post);
    p.finish();
}

/// EIP-712 digest as EigenLayer's SignatureUtilsMixin builds it: domain `EigenLayer`, the major
/// version of `version()`, the chain id and the contract.
fn eip712_digest(s: &Suite, contract: Address, struct_hash: B256) -> B256 {
    let version = s
        .view(contract, ISignatureUtilsMixin::versionCall {})
        .expect("version()");
    let major = version.split('.').next().unwrap_or_default().to_string();
    let domain = keccak256(
        (
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            keccak256("EigenLayer"),
            keccak256(major.as_bytes()),
            U256::from(412_346u64),
            contract,
        )
            .abi_encode(),
    );
    keccak256([&[0x19, 0x01][..], &domain[..], &struct_hash[..]].concat())
}

/// `r ‖ s ‖ v` with `s` replaced by `n − s` and `v` flipped: the malleable twin of a valid
/// signature, which OpenZeppelin's ECDSA (and so EigenLayer) refuses.
fn malleate(sig: &[u8]) -> Vec<u8> {
    let n = U256::from_str_radix(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .expect("curve order");
    let s = U256::from_be_slice(&sig[32..64]);
    let mut out = sig[..32].to_vec();
    out.extend_from_slice(&(n - s).to_be_bytes::<32>());
    out.push(if sig[64] == 27 { 28 } else { 27 });
    out
}

fn sign(key: &PrivateKeySigner, digest: B256) -> Vec<u8> {
    let sig = key.sign_hash_sync(&digest).expect("sign");
    let mut b = sig.as_bytes().to_vec();
    if b[64] < 27 {
        b[64] += 27;
    }
    b
}

/// `depositIntoStrategyWithSignature` and the delegation approver's signature: expired, forged,
/// malformed, malleated and replayed signatures are refused with EigenLayer's errors and change
/// nothing; the valid one works exactly once.
#[test]
fn signatures_replayed_expired_forged_or_malformed_are_refused() {
    use ISignatureUtilsMixin::{InvalidSignature, SignatureExpired};
    let s = Suite::shared();
    s.setup_operators().expect("operators");
    let a = s.addrs.clone();
    let (sm, dm) = (a.strategy_manager, a.delegation_manager);
    let (st, token) = (a.strategies[0], a.tokens[0]);
    let payer = s.actors.stakers[3];
    let signer =
        PrivateKeySigner::from_bytes(&keccak256("ferrostake bad-input staker key")).expect("key");
    let stranger =
        PrivateKeySigner::from_bytes(&keccak256("ferrostake bad-input stranger key")).expect("key");
    let staker = signer.address();
    let mut p = Probe::new(&s);
    let now = s.node().latest_block().timestamp;
    let amount = U256::from(5_000_000u64);

    // --- StrategyManager deposits with signature ---
    let nonce = s
        .view(sm, IStrategyManager::noncesCall { signer: staker })
        .expect("nonces");
    let deposit_digest = |amount: U256, nonce: U256, expiry: U256| {
        let typehash = keccak256(
            "Deposit(address staker,address strategy,address token,uint256 amount,uint256 nonce,uint256 expiry)",
        );
        eip712_digest(
            &s,
            sm,
            keccak256((typehash, staker, st, token, amount, nonce, expiry).abi_encode()),
        )
    };
    let expiry = U256::from(now + 3_600);
    let digest = deposit_digest(amount, nonce, expiry);
    let onchain = s
        .view(
            sm,
            IStrategyManager::calculateStrategyDepositDigestHashCall {
                staker,
                strategy: st,
                token,
                amount,
                nonce,
                expiry,
            },
        )
        .expect("digest");
    assert_eq!(
        onchain, digest,
        "the deposit digest follows EIP-712 as EigenLayer defines it"
    );
    let good = sign(&signer, digest);
    let call = |amount: U256, expiry: U256, signature: Vec<u8>| {
        IStrategyManager::depositIntoStrategyWithSignatureCall {
            strategy: st,
            token,
            amount,
            staker,
            expiry,
            signature: signature.into(),
        }
        .abi_encode()
    };
    let past = U256::from(now.saturating_sub(1));
    let expired = sign(&signer, deposit_digest(amount, nonce, past));
    p.refuse::<SignatureExpired>("deposit: expired", payer, sm, call(amount, past, expired));
    p.refuse::<InvalidSignature>(
        "deposit: signed by someone else",
        payer,
        sm,
        call(amount, expiry, sign(&stranger, digest)),
    );
    p.refuse::<InvalidSignature>(
        "deposit: signature for another amount",
        payer,
        sm,
        call(amount + U256::from(1), expiry, good.clone()),
    );
    p.refuse::<InvalidSignature>(
        "deposit: empty signature",
        payer,
        sm,
        call(amount, expiry, vec![]),
    );
    p.refuse::<InvalidSignature>(
        "deposit: 64-byte signature",
        payer,
        sm,
        call(amount, expiry, good[..64].to_vec()),
    );
    p.refuse::<InvalidSignature>(
        "deposit: 66-byte signature",
        payer,
        sm,
        call(amount, expiry, [&good[..], &[0u8][..]].concat()),
    );
    let mut bad_v = good.clone();
    bad_v[64] = 29;
    p.refuse::<InvalidSignature>("deposit: v = 29", payer, sm, call(amount, expiry, bad_v));
    p.refuse::<InvalidSignature>(
        "deposit: high-s twin",
        payer,
        sm,
        call(amount, expiry, malleate(&good)),
    );
    p.refuse::<InvalidSignature>(
        "deposit: all zero",
        payer,
        sm,
        call(amount, expiry, vec![0; 65]),
    );
    // The valid one credits the signer once; replaying it is refused.
    if p.accept(
        "deposit: valid signature",
        payer,
        sm,
        call(amount, expiry, good.clone()),
    )
    .is_some()
    {
        let shares = s
            .view(
                sm,
                IStrategyManager::stakerDepositSharesCall {
                    staker,
                    strategy: st,
                },
            )
            .expect("shares");
        assert!(!shares.is_zero(), "the signer holds the shares");
        assert_eq!(
            s.view(sm, IStrategyManager::noncesCall { signer: staker })
                .expect("nonce"),
            nonce + U256::from(1),
            "the nonce is spent"
        );
    }
    p.refuse::<InvalidSignature>("deposit: replayed", payer, sm, call(amount, expiry, good));

    // --- DelegationManager approver signatures ---
    let approver =
        PrivateKeySigner::from_bytes(&keccak256("ferrostake bad-input approver key")).expect("key");
    let operator = ferrostake_harness::suite::actor_address("bad-input approved operator");
    {
        let mut node = s.node();
        node.impersonate(operator, true);
        node.set_balance(operator, U256::from(WAD));
    }
    p.accept(
        "register an operator with an approver",
        operator,
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: approver.address(),
            allocationDelay: 0,
            metadataURI: String::new(),
        }
        .abi_encode(),
    );
    let delegator = s.actors.stakers[2];
    let approval_digest = |salt: B256, expiry: U256| {
        let typehash = keccak256(
            "DelegationApproval(address delegationApprover,address staker,address operator,bytes32 salt,uint256 expiry)",
        );
        eip712_digest(
            &s,
            dm,
            keccak256(
                (
                    typehash,
                    approver.address(),
                    delegator,
                    operator,
                    salt,
                    expiry,
                )
                    .abi_encode(),
            ),
        )
    };
    let salt = keccak256("salt 1");
    let digest = approval_digest(salt, expiry);
    let onchain = s
        .view(
            dm,
            IDelegationManager::calculateDelegationApprovalDigestHashCall {
                staker: delegator,
                operator,
                approver: approver.address(),
                approverSalt: salt,
                expiry,
            },
        )
        .expect("digest");
    assert_eq!(
        onchain, digest,
        "the approval digest follows EIP-712 as EigenLayer defines it"
    );
    let good = sign(&approver, digest);
    let delegate = |signature: Vec<u8>, expiry: U256, salt: B256| {
        IDelegationManager::delegateToCall {
            operator,
            approverSignatureAndExpiry: SignatureWithExpiry {
                signature: signature.into(),
                expiry,
            },
            approverSalt: salt,
        }
        .abi_encode()
    };
    p.refuse::<SignatureExpired>(
        "delegate: expired",
        delegator,
        dm,
        delegate(sign(&approver, approval_digest(salt, past)), past, salt),
    );
    p.refuse::<InvalidSignature>(
        "delegate: no signature",
        delegator,
        dm,
        delegate(vec![], expiry, salt),
    );
    p.refuse::<InvalidSignature>(
        "delegate: signed by someone else",
        delegator,
        dm,
        delegate(sign(&stranger, digest), expiry, salt),
    );
    p.refuse::<InvalidSignature>(
        "delegate: signature for another salt",
        delegator,
        dm,
        delegate(good.clone(), expiry, keccak256("salt 2")),
    );
    p.refuse::<InvalidSignature>(
        "delegate: high-s twin",
        delegator,
        dm,
        delegate(malleate(&good), expiry, salt),
    );
    p.refuse::<InvalidSignature>(
        "delegate: another staker uses it",
        s.actors.stakers[1],
        dm,
        delegate(good.clone(), expiry, salt),
    );
    if p.accept(
        "delegate: valid approval",
        delegator,
        dm,
        delegate(good.clone(), expiry, salt),
    )
    .is_some()
    {
        assert!(s
            .view(
                dm,
                IDelegationManager::delegationApproverSaltIsSpentCall {
                    delegationApprover: approver.address(),
                    salt,
                },
            )
            .expect("salt"));
    }
    // Undelegate, then replay the spent salt.
    p.accept(
        "undelegate",
        delegator,
        dm,
        IDelegationManager::undelegateCall { staker: delegator }.abi_encode(),
    );
    p.refuse::<IDelegationManager::SaltSpent>(
        "delegate: replayed salt",
        delegator,
        dm,
        delegate(good, expiry, salt),
    );
    p.finish();
}

/// Sends `data` and returns the outcome, recording a failure when the node refuses it.
fn probe(
    p: &mut Probe<'_>,
    what: &str,
    to: Address,
    value: U256,
    data: Vec<u8>,
) -> Option<Outcome> {
    let o =
        p.s.send_at(p.s.actors.attacker, to, value, data, None)
            .map_err(|e| p.failures.push(format!("{what}: {e}")))
            .ok()?;
    p.count += 1;
    Some(o)
}

/// `data` (with `value` wei) must revert with exactly `E`.
fn expect_typed<E: SolError + PartialEq + std::fmt::Debug>(
    p: &mut Probe<'_>,
    what: &str,
    to: Address,
    value: U256,
    data: Vec<u8>,
    expected: E,
) {
    let Some(o) = probe(p, what, to, value, data) else {
        return;
    };
    match (o.status, E::abi_decode(&o.output)) {
        (false, Ok(e)) if o.error_selector() == Some(E::SELECTOR) && e == expected => {}
        _ => p.failures.push(format!(
            "{what}: expected {expected:?} but got {} (0x{})",
            describe(&o),
            hex::encode(&o.output)
        )),
    }
}

/// Calldata no function serves answers a custom error on the compiled WASM (issue #16): 1 and 3
/// bytes, arguments that do not decode and value sent to a non-payable function revert
/// `InvalidCalldata()`, an unknown selector `UnknownSelector(bytes4)` — through every proxy (and a
/// pod), and straight at every deployed program. State is unchanged.
#[test]
fn calldata_no_function_serves_reverts_with_a_typed_error() {
    use IFerrostakeErrors::{InvalidCalldata, UnknownSelector};
    let s = populated();
    let pod = pod_of(&s, s.actors.stakers[0]);
    let attacker = s.actors.attacker;
    let mut p = Probe::new(&s);
    let unknown = FixedBytes([0xde, 0xad, 0xbe, 0xef]);
    let garbage = keccak256("ferrostake garbage");
    let tokens: std::collections::BTreeSet<Address> = s.addrs.tokens.iter().copied().collect();
    let mut contracts: Vec<(String, Address, Vec<alloy::json_abi::JsonAbi>)> = targets(&s, pod)
        .into_iter()
        .filter(|(_, a, _)| !tokens.contains(a))
        .collect();
    for (name, c) in &s.manifest.contracts {
        if !contracts.iter().any(|(_, a, _)| *a == c.proxy) {
            contracts.push((name.clone(), c.proxy, Vec::new()));
        }
    }
    assert!(contracts.len() >= 10, "{} contracts", contracts.len());
    for (name, to, abis) in &contracts {
        let (name, to) = (name.as_str(), *to);
        let before = s.state();
        expect_typed(
            &mut p,
            &format!("{name}: 1 byte"),
            to,
            U256::ZERO,
            vec![0x01],
            InvalidCalldata {},
        );
        expect_typed(
            &mut p,
            &format!("{name}: 3 bytes"),
            to,
            U256::ZERO,
            vec![0xde, 0xad, 0xbe],
            InvalidCalldata {},
        );
        expect_typed(
            &mut p,
            &format!("{name}: unknown selector"),
            to,
            U256::ZERO,
            unknown.to_vec(),
            UnknownSelector { selector: unknown },
        );
        expect_typed(
            &mut p,
            &format!("{name}: unknown selector + 64 bytes"),
            to,
            U256::ZERO,
            [&unknown[..], &garbage[..], &garbage[..]].concat(),
            UnknownSelector { selector: unknown },
        );
        let mut seen = std::collections::BTreeSet::new();
        for abi in abis {
            for f in abi.functions() {
                if !seen.insert(f.selector()) {
                    continue;
                }
                let sel = f.selector().to_vec();
                if !f.inputs.is_empty() {
                    expect_typed(
                        &mut p,
                        &format!("{name}: {} with 5 argument bytes", f.signature()),
                        to,
                        U256::ZERO,
                        [&sel[..], &garbage[..5]].concat(),
                        InvalidCalldata {},
                    );
                } else if f.state_mutability != alloy::json_abi::StateMutability::Payable {
                    expect_typed(
                        &mut p,
                        &format!("{name}: {} with 1 wei", f.signature()),
                        to,
                        U256::from(1),
                        sel,
                        InvalidCalldata {},
                    );
                }
            }
        }
        p.unchanged(
            &format!("{name}: calldata no function serves"),
            &before,
            attacker,
        );
    }
    // Straight at every program (implementations not behind their proxy): short calldata is
    // InvalidCalldata; an unknown selector is a custom error (UnknownSelector, or the error of a
    // fallback that forwards to a program this uninitialized storage does not name).
    let before = s.state();
    for (name, program) in &s.manifest.programs {
        let to = program.address;
        if tokens.contains(&to) || name.starts_with("test") {
            continue;
        }
        expect_typed(
            &mut p,
            &format!("program {name}: 1 byte"),
            to,
            U256::ZERO,
            vec![0x01],
            InvalidCalldata {},
        );
        expect_typed(
            &mut p,
            &format!("program {name}: 3 bytes"),
            to,
            U256::ZERO,
            vec![0x01, 0x02, 0x03],
            InvalidCalldata {},
        );
        if let Some(o) = probe(&mut p, name, to, U256::ZERO, unknown.to_vec()) {
            if o.status || o.output.is_empty() || known_error(&o.output).is_none() {
                p.failures.push(format!(
                    "program {name}: unknown selector: expected a custom error, got {}",
                    describe(&o)
                ));
            }
        }
    }
    p.unchanged("programs: calldata no function serves", &before, attacker);
    p.finish();
}

/// A callee's empty revert still bubbles empty, so it stays distinguishable from the programs'
/// own typed answers: `setAVSRegistrar` asks the registrar `supportsAVS`, and a test token (an
/// OpenZeppelin ERC-20 outside the suite, whose router reverts empty on an unknown selector)
/// reverts with no data, which the AllocationManager's config program and its core bubble as is.
#[test]
fn a_callee_empty_revert_bubbles_empty() {
    let s = populated();
    let (am, attacker) = (s.addrs.allocation_manager, s.actors.attacker);
    let token = s.addrs.tokens[0];
    // The token itself answers an unknown selector with empty data (the premise).
    let o = s
        .send(
            attacker,
            token,
            IAllocationManager::setAVSRegistrarCall {
                avs: attacker,
                registrar: token,
            },
        )
        .unwrap();
    assert!(!o.status && o.output.is_empty(), "token: {:?}", o.output);
    let before = s.state();
    let o = s
        .send(
            attacker,
            am,
            IAllocationManager::setAVSRegistrarCall {
                avs: attacker,
                registrar: token,
            },
        )
        .unwrap();
    assert!(
        !o.status,
        "setAVSRegistrar with a token as registrar succeeded"
    );
    assert!(
        o.output.is_empty(),
        "expected an empty revert, got 0x{}",
        hex::encode(&o.output)
    );
    assert!(state_changes(&before, &s.state(), attacker).is_empty());
    // Positive control: the same program answers its own refusals with custom errors.
    let o = s.send_raw(attacker, am, vec![0x01]).unwrap();
    assert_eq!(
        o.output.to_vec(),
        IFerrostakeErrors::InvalidCalldata {}.abi_encode()
    );
}
