//! The suite plan: which programs to deploy, which core contracts get proxies, how each is
//! initialized and wired, and the deployment procedure itself.
//!
//! Procedure (every step idempotent against the manifest, so a re-run completes a partial
//! deployment and otherwise changes nothing):
//! 1. a placeholder implementation (EVM code that reverts every call);
//! 2. every Stylus program: deployed, activated through ArbWasm (data fee paid), skipped when the
//!    manifest's address already holds the same code and the code hash is active;
//! 3. one ERC-1967 proxy per core contract, pointing at the placeholder — so all addresses are known
//!    before anything is initialized, and nobody can call `initialize` on a live implementation;
//! 4. per contract, the proxy admin's `upgradeToAndCall(implementation, initialize(...))`: pointing
//!    the proxy at its program and initializing it in one transaction (no front-running window);
//! 5. wiring that needs initialized contracts (roles, whitelists), then reading everything back.

use std::path::Path;

use alloy::primitives::{Address, B256, U256};

use crate::{
    chain::{Chain, DeployError, DeployedProgram},
    config::DeployConfig,
    evm_asm::{op, Asm},
    manifest::{ContractEntry, Manifest, ProgramEntry},
    proxy,
};

pub use crate::steps::{
    ensure_proxy, names, proxy_implementation, read_artifact, strategy_name,
    upgrade_and_initialize, ProgramSpec, Progress,
};

/// Programs deployed directly (no proxy): the test tokens the demo and tests use.
pub const TEST_TOKENS: &[ProgramSpec] = &[
    ProgramSpec {
        name: "test_erc20",
        artifact: "ferrostake_test_erc20.wasm",
    },
    ProgramSpec {
        name: "test_rebasing",
        artifact: "ferrostake_test_rebasing.wasm",
    },
    ProgramSpec {
        name: "test_rate_bearing",
        artifact: "ferrostake_test_rate_bearing.wasm",
    },
];

/// Runtime code of the placeholder implementation: reverts every call with empty data.
pub fn placeholder_runtime() -> Vec<u8> {
    Asm::new()
        .push(&[0])
        .push(&[0])
        .ops(&[op::REVERT])
        .assemble()
}

fn placeholder_init_code() -> Vec<u8> {
    let runtime = placeholder_runtime();
    // PUSH1 len, DUP1, PUSH1 offset(10), PUSH0, CODECOPY, PUSH0, RETURN, then the runtime.
    let mut init = vec![
        0x60,
        runtime.len() as u8,
        0x80,
        0x60,
        10,
        0x5f,
        0x39,
        0x5f,
        0xf3,
        0x00,
    ];
    init.truncate(9);
    init.push(op::STOP); // padding keeps the runtime at offset 10
    init.extend_from_slice(&runtime);
    init
}

fn program_entry(p: &DeployedProgram) -> ProgramEntry {
    ProgramEntry {
        address: p.address,
        code_hash: p.code_hash,
        wasm_bytes: p.size.raw,
        compressed_bytes: p.size.compressed,
        stylus_version: p.stylus_version,
    }
}

/// Deploys (or completes, or confirms) `programs` and records them in `manifest`.
pub async fn deploy_programs(
    chain: &Chain,
    artifacts: &Path,
    programs: &[ProgramSpec],
    manifest: &mut Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    for spec in programs {
        let wasm = read_artifact(artifacts, spec)?;
        let existing = manifest.programs.get(spec.name).map(|p| p.address);
        let deployed = chain.deploy_program(spec.name, &wasm, existing).await?;
        let detail = if deployed.gas_used == 0 {
            format!("already deployed and active at {}", deployed.address)
        } else {
            format!(
                "{} ({} B compressed, data fee {} wei)",
                deployed.address, deployed.size.compressed, deployed.data_fee
            )
        };
        progress(Progress {
            step: format!("program {}", spec.name),
            detail,
            gas_used: deployed.gas_used,
        });
        manifest
            .programs
            .insert(spec.name.to_string(), program_entry(&deployed));
    }
    Ok(())
}

/// Ensures the placeholder implementation exists and returns its address.
pub async fn ensure_placeholder(
    chain: &Chain,
    manifest: &mut Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<Address, DeployError> {
    const NAME: &str = "proxy_placeholder";
    if let Some(address) = manifest.addresses.get(NAME).copied() {
        if chain.code_at(address).await?.as_ref() == placeholder_runtime().as_slice() {
            return Ok(address);
        }
    }
    let sent = chain
        .deploy_code("deploy proxy placeholder", placeholder_init_code())
        .await?;
    let address = sent.contract_address.unwrap_or_default();
    progress(Progress {
        step: "proxy placeholder".into(),
        detail: address.to_string(),
        gas_used: sent.gas_used,
    });
    manifest.addresses.insert(NAME.into(), address);
    Ok(address)
}

/// Starts (or resumes) the manifest for `chain`.
pub fn open_manifest(
    chain: &Chain,
    config: &DeployConfig,
    dir: &Path,
) -> Result<Manifest, DeployError> {
    let path = Manifest::path(dir, chain.chain_id());
    let mut manifest = Manifest::load(&path)?.unwrap_or_default();
    manifest.chain_id = chain.chain_id();
    manifest.tool_version = env!("CARGO_PKG_VERSION").to_string();
    manifest.deployer = chain.sender();
    manifest.config = config.clone();
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_init_code_returns_the_reverting_runtime() {
        let init = placeholder_init_code();
        let runtime = placeholder_runtime();
        assert_eq!(&init[10..], runtime.as_slice());
        assert_eq!(init[1] as usize, runtime.len());
        assert_eq!(init[4], 10, "CODECOPY offset is where the runtime starts");
        assert_eq!(runtime, vec![op::PUSH0, op::PUSH0, op::REVERT]);
    }

    #[test]
    fn missing_artifact_names_the_build_command() {
        let err = read_artifact(Path::new("/nonexistent"), &TEST_TOKENS[0]).unwrap_err();
        assert_eq!(err.step, "load test_erc20");
        assert!(err.cause.contains("scripts/build-contracts"), "{err}");
    }
}

/// Addresses and parameters an initializer may need: every proxy (known before any is
/// initialized), the resolved role holders and the configuration.
#[derive(Clone, Debug)]
pub struct Wiring<'a> {
    /// The manifest so far (proxies by contract name, programs, other addresses).
    pub manifest: &'a Manifest,
    /// The configuration.
    pub config: &'a DeployConfig,
    /// The deployer.
    pub deployer: Address,
}

impl Wiring<'_> {
    /// The proxy of `contract`.
    pub fn proxy(&self, contract: &str) -> Address {
        self.manifest.proxy(contract).unwrap_or_default()
    }

    /// The owner of the core contracts.
    pub fn owner(&self) -> Address {
        self.config.roles.owner.unwrap_or(self.deployer)
    }

    /// The PauserRegistry's unpauser.
    pub fn unpauser(&self) -> Address {
        self.config.roles.unpauser.unwrap_or(self.deployer)
    }

    /// Every proxy's ERC-1967 admin: it upgrades the proxies and points the multi-program
    /// contracts at their programs (`setImplementations`, `setViewImplementation`,
    /// `setEigenPodExtension`), which is an upgrade too.
    pub fn proxy_admin(&self) -> Address {
        self.config.roles.proxy_admin.unwrap_or(self.deployer)
    }

    /// The address of program `name`.
    pub fn program(&self, name: &str) -> Address {
        self.manifest
            .programs
            .get(name)
            .map(|p| p.address)
            .unwrap_or_default()
    }
}

/// A core contract: a proxy in front of `program`, initialized with `init(wiring)`. Contracts split
/// into several programs (24 KiB each) list the others in `extra_programs`; the initializer or a
/// wiring step tells the core program where they are.
#[derive(Clone, Copy)]
pub struct CoreContract {
    /// Contract name (manifest key, as EigenLayer names it).
    pub name: &'static str,
    /// Its implementation program.
    pub program: ProgramSpec,
    /// Further programs the core delegates to (view, withdrawals, ...).
    pub extra_programs: &'static [ProgramSpec],
    /// Encodes its one-shot initializer (empty: the contract has none).
    pub init: fn(&Wiring<'_>) -> Vec<u8>,
}

impl std::fmt::Debug for CoreContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreContract")
            .field("name", &self.name)
            .finish()
    }
}

const fn spec(name: &'static str, artifact: &'static str) -> ProgramSpec {
    ProgramSpec { name, artifact }
}

/// The EigenPod programs: the beacon points pods at the first; the manager tells pods where the
/// second (rarely used functions) is.
pub const EIGEN_POD_PROGRAM: ProgramSpec = spec("eigenpod", "ferrostake_eigenpod.wasm");
pub const EIGEN_POD_EXT_PROGRAM: ProgramSpec = spec("eigenpod_ext", "ferrostake_eigenpod_ext.wasm");
/// The devnode chain id, where a deposit sink stands in for the beacon deposit contract.
pub const DEVNODE_CHAIN_ID: u64 = 412_346;

/// The StrategyBase implementation every strategy proxy points at.
pub const STRATEGY_PROGRAM: ProgramSpec = spec("strategy", "ferrostake_strategy.wasm");

fn init_pauser_registry(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    let mut pausers = w.config.roles.pausers.clone();
    if pausers.is_empty() {
        pausers.push(w.deployer);
    }
    crate::abi::IPauserRegistry::initializeCall {
        pausers,
        initialUnpauser: w.unpauser(),
    }
    .abi_encode()
}

fn init_none(_: &Wiring<'_>) -> Vec<u8> {
    Vec::new()
}

fn init_strategy_manager(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IStrategyManager::initializeCall {
        delegation_: w.proxy(names::DELEGATION_MANAGER),
        allocationManager_: w.proxy(names::ALLOCATION_MANAGER),
        pauserRegistry_: w.proxy(names::PAUSER_REGISTRY),
        viewImplementation_: w.program("strategy_manager_view"),
        initialOwner: w.owner(),
        initialStrategyWhitelister: w
            .config
            .roles
            .strategy_whitelister
            .unwrap_or(w.proxy(names::STRATEGY_FACTORY)),
        initialPausedStatus: alloy::primitives::U256::from(w.config.paused.strategy_manager),
    }
    .abi_encode()
}

fn init_strategy_factory(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IStrategyFactory::initializeCall {
        strategyManager_: w.proxy(names::STRATEGY_MANAGER),
        pauserRegistry_: w.proxy(names::PAUSER_REGISTRY),
        strategyBeacon_: w
            .manifest
            .addresses
            .get(names::STRATEGY_BEACON)
            .copied()
            .unwrap_or_default(),
        initialOwner: w.owner(),
        initialPausedStatus: alloy::primitives::U256::ZERO,
    }
    .abi_encode()
}

fn init_delegation_manager(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IDelegationManager::initializeCall {
        strategyManager_: w.proxy(names::STRATEGY_MANAGER),
        // Native restaking is not deployed yet; the EigenPodManager address stays zero.
        eigenPodManager_: w.manifest.proxy("EigenPodManager").unwrap_or_default(),
        allocationManager_: w.proxy(names::ALLOCATION_MANAGER),
        pauserRegistry_: w.proxy(names::PAUSER_REGISTRY),
        permissionController_: w.proxy(names::PERMISSION_CONTROLLER),
        withdrawalsImplementation_: w.program("delegation_manager_withdrawals"),
        viewImplementation_: w.program("delegation_manager_view"),
        minWithdrawalDelayBlocks_: w.config.delegation.min_withdrawal_delay_blocks,
        initialPausedStatus: alloy::primitives::U256::from(w.config.paused.delegation_manager),
    }
    .abi_encode()
}

fn init_allocation_manager(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IAllocationManager::initializeCall {
        delegation_: w.proxy(names::DELEGATION_MANAGER),
        eigenStrategy_: Address::ZERO,
        pauserRegistry_: w.proxy(names::PAUSER_REGISTRY),
        permissionController_: w.proxy(names::PERMISSION_CONTROLLER),
        deallocationDelay: w.config.allocation.deallocation_delay_blocks,
        allocationConfigurationDelay: w.config.allocation.allocation_configuration_delay_blocks,
        initialPausedStatus: alloy::primitives::U256::from(w.config.paused.allocation_manager),
    }
    .abi_encode()
}

fn init_beacon_root_oracle(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IBeaconRootOracle::initializeCall {
        initialOwner: w.owner(),
        initialUpdater: w.config.roles.beacon_root_updater.unwrap_or(w.deployer),
    }
    .abi_encode()
}

fn init_rewards_coordinator(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    let r = &w.config.rewards;
    crate::abi::IRewardsCoordinator::initializeCall {
        params: crate::abi::RewardsCoordinatorInitParams {
            delegationManager: w.proxy(names::DELEGATION_MANAGER),
            strategyManager: w.proxy(names::STRATEGY_MANAGER),
            allocationManager: w.proxy(names::ALLOCATION_MANAGER),
            pauserRegistry: w.proxy(names::PAUSER_REGISTRY),
            permissionController: w.proxy(names::PERMISSION_CONTROLLER),
            calculationIntervalSeconds: r.calculation_interval_seconds,
            maxRewardsDuration: r.max_rewards_duration,
            maxRetroactiveLength: r.max_retroactive_length,
            maxFutureLength: r.max_future_length,
            genesisRewardsTimestamp: r.genesis_rewards_timestamp,
            initialOwner: w.owner(),
            initialPausedStatus: alloy::primitives::U256::from(w.config.paused.rewards_coordinator),
            rewardsUpdater: w.config.roles.rewards_updater.unwrap_or(w.deployer),
            activationDelay: r.activation_delay,
            defaultSplitBips: r.default_operator_split_bips,
            feeRecipient: w.config.roles.fee_recipient.unwrap_or(w.owner()),
        },
    }
    .abi_encode()
}

fn init_eigen_pod_manager(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IEigenPodManager::initializeCall {
        ethPOS_: w
            .manifest
            .addresses
            .get(names::ETH_POS_DEPOSIT)
            .copied()
            .unwrap_or_default(),
        eigenPodBeacon_: w
            .manifest
            .addresses
            .get(names::EIGEN_POD_BEACON)
            .copied()
            .unwrap_or_default(),
        delegationManager_: w.proxy(names::DELEGATION_MANAGER),
        beaconRootOracle_: w.proxy(names::BEACON_ROOT_ORACLE),
        pauserRegistry_: w.proxy(names::PAUSER_REGISTRY),
        initialOwner: w.owner(),
        initialPausedStatus: alloy::primitives::U256::from(w.config.paused.eigen_pod_manager),
    }
    .abi_encode()
}

fn init_avs_directory(w: &Wiring<'_>) -> Vec<u8> {
    use alloy::sol_types::SolCall;
    crate::abi::IAVSDirectory::initializeCall {
        delegation_: w.proxy(names::DELEGATION_MANAGER),
        pauserRegistry_: w.proxy(names::PAUSER_REGISTRY),
        initialOwner: w.owner(),
        initialPausedStatus: alloy::primitives::U256::from(w.config.paused.avs_directory),
    }
    .abi_encode()
}

/// The core contracts in initialization order.
pub const CORE: &[CoreContract] = &[
    CoreContract {
        name: names::PAUSER_REGISTRY,
        program: spec("pauser_registry", "ferrostake_pauser_registry.wasm"),
        extra_programs: &[],
        init: init_pauser_registry,
    },
    CoreContract {
        name: names::PERMISSION_CONTROLLER,
        program: spec(
            "permission_controller",
            "ferrostake_permission_controller.wasm",
        ),
        extra_programs: &[],
        init: init_none,
    },
    CoreContract {
        name: names::STRATEGY_MANAGER,
        program: spec("strategy_manager", "ferrostake_strategy_manager.wasm"),
        extra_programs: &[spec(
            "strategy_manager_view",
            "ferrostake_strategy_manager_view.wasm",
        )],
        init: init_strategy_manager,
    },
    CoreContract {
        name: names::STRATEGY_FACTORY,
        program: spec("strategy_factory", "ferrostake_strategy_factory.wasm"),
        extra_programs: &[],
        init: init_strategy_factory,
    },
    CoreContract {
        name: names::DELEGATION_MANAGER,
        program: spec("delegation_manager", "ferrostake_delegation_manager.wasm"),
        extra_programs: &[
            spec(
                "delegation_manager_withdrawals",
                "ferrostake_delegation_manager_withdrawals.wasm",
            ),
            spec(
                "delegation_manager_view",
                "ferrostake_delegation_manager_view.wasm",
            ),
        ],
        init: init_delegation_manager,
    },
    CoreContract {
        name: names::ALLOCATION_MANAGER,
        program: spec("allocation_manager", "ferrostake_allocation_manager.wasm"),
        extra_programs: &[
            spec(
                "allocation_manager_registration",
                "ferrostake_allocation_manager_registration.wasm",
            ),
            spec(
                "allocation_manager_slashing",
                "ferrostake_allocation_manager_slashing.wasm",
            ),
            spec(
                "allocation_manager_config",
                "ferrostake_allocation_manager_config.wasm",
            ),
            spec(
                "allocation_manager_view",
                "ferrostake_allocation_manager_view.wasm",
            ),
        ],
        init: init_allocation_manager,
    },
    CoreContract {
        name: names::BEACON_ROOT_ORACLE,
        program: spec("beacon_root_oracle", "ferrostake_beacon_root_oracle.wasm"),
        extra_programs: &[],
        init: init_beacon_root_oracle,
    },
    CoreContract {
        name: names::REWARDS_COORDINATOR,
        program: spec("rewards_coordinator", "ferrostake_rewards_coordinator.wasm"),
        extra_programs: &[
            spec(
                "rewards_coordinator_submissions",
                "ferrostake_rewards_coordinator_submissions.wasm",
            ),
            spec(
                "rewards_coordinator_config",
                "ferrostake_rewards_coordinator_config.wasm",
            ),
            spec(
                "rewards_coordinator_view",
                "ferrostake_rewards_coordinator_view.wasm",
            ),
        ],
        init: init_rewards_coordinator,
    },
    CoreContract {
        name: names::EIGEN_POD_MANAGER,
        program: spec("eigenpod_manager", "ferrostake_eigenpod_manager.wasm"),
        extra_programs: &[EIGEN_POD_PROGRAM, EIGEN_POD_EXT_PROGRAM],
        init: init_eigen_pod_manager,
    },
    CoreContract {
        name: names::AVS_DIRECTORY,
        program: spec("avs_directory", "ferrostake_avs_directory.wasm"),
        extra_programs: &[],
        init: init_avs_directory,
    },
];

/// Deploys (or completes, or verifies) the whole suite and writes the manifest after every phase,
/// so an interrupted run resumes where it stopped.
pub async fn deploy_suite(
    chain: &Chain,
    config: &DeployConfig,
    artifacts: &Path,
    deployments: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Manifest, DeployError> {
    config.validate()?;
    let path = Manifest::path(deployments, chain.chain_id());
    let mut manifest = open_manifest(chain, config, deployments)?;

    let programs: Vec<ProgramSpec> = TEST_TOKENS
        .iter()
        .copied()
        .chain(std::iter::once(STRATEGY_PROGRAM))
        .chain(
            CORE.iter()
                .flat_map(|c| std::iter::once(c.program).chain(c.extra_programs.iter().copied())),
        )
        .chain(crate::lrt::PROGRAMS)
        .collect();
    // Check every artifact before spending gas on any of them.
    for spec in &programs {
        read_artifact(artifacts, spec)?;
    }
    deploy_programs(chain, artifacts, &programs, &mut manifest, progress).await?;
    for token in TEST_TOKENS {
        if let Some(p) = manifest.programs.get(token.name) {
            manifest.addresses.insert(token.name.to_string(), p.address);
        }
    }
    manifest.save(&path)?;

    let placeholder = ensure_placeholder(chain, &mut manifest, progress).await?;
    let admin = config.roles.proxy_admin.unwrap_or(chain.sender());
    for contract in CORE {
        ensure_proxy(
            chain,
            contract.name,
            contract.program.name,
            admin,
            placeholder,
            &mut manifest,
            progress,
        )
        .await?;
    }
    manifest.save(&path)?;
    ensure_native_addresses(chain, config, &mut manifest, progress).await?;
    manifest.save(&path)?;
    for contract in CORE {
        let wiring = Wiring {
            manifest: &manifest,
            config,
            deployer: chain.sender(),
        };
        let init = (contract.init)(&wiring);
        upgrade_and_initialize(chain, contract.name, &manifest, init, progress).await?;
    }
    manifest.save(&path)?;
    wire(chain, config, &manifest, progress).await?;
    ensure_strategies(chain, &mut manifest, progress).await?;
    manifest.save(&path)?;
    crate::lrt::ensure_vault(chain, config, &mut manifest, progress).await?;
    manifest.save(&path)?;
    verify(chain, &manifest, progress).await?;
    Ok(manifest)
}

/// An upgradeable beacon `name` pointing at `program`: kept when already there, upgraded by its
/// owner when it points elsewhere, deployed otherwise.
async fn ensure_beacon(
    chain: &Chain,
    manifest: &mut Manifest,
    name: &str,
    program: &str,
    owner: Address,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    let target = manifest
        .programs
        .get(program)
        .map(|p| p.address)
        .ok_or_else(|| DeployError::new(name, format!("program {program} is not deployed")))?;
    match manifest.addresses.get(name).copied() {
        Some(b) if !chain.code_at(b).await?.is_empty() => {
            let cur = chain
                .call(
                    &format!("read {name}"),
                    b,
                    crate::beacon::implementation_calldata(),
                )
                .await?;
            if cur.len() == 32 && Address::from_slice(&cur[12..]) == target {
                progress(Progress {
                    step: name.into(),
                    detail: format!("already at {program}"),
                    gas_used: 0,
                });
            } else {
                let sent = chain
                    .send(
                        &format!("upgrade {name}"),
                        Chain::call_request(b, crate::beacon::upgrade_to_calldata(target)),
                    )
                    .await?;
                progress(Progress {
                    step: name.into(),
                    detail: format!("upgraded to {target}"),
                    gas_used: sent.gas_used,
                });
            }
        }
        _ => {
            let sent = chain
                .deploy_code(
                    &format!("deploy {name}"),
                    crate::beacon::init_code(target, owner),
                )
                .await?;
            let b = sent.contract_address.unwrap_or_default();
            progress(Progress {
                step: name.into(),
                detail: b.to_string(),
                gas_used: sent.gas_used,
            });
            manifest.addresses.insert(name.into(), b);
        }
    }
    Ok(())
}

/// One strategy per test token, created by the StrategyFactory (a CREATE2 beacon proxy, initialized
/// and whitelisted by the factory); recorded in the manifest as `Strategy_<token>`.
async fn ensure_strategies(
    chain: &Chain,
    manifest: &mut Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    use crate::abi::IStrategyFactory;
    use alloy::sol_types::SolCall;
    let factory = manifest.proxy(names::STRATEGY_FACTORY).unwrap_or_default();
    for token in TEST_TOKENS {
        let step = format!("strategy for {}", token.name);
        let t = manifest
            .addresses
            .get(token.name)
            .copied()
            .unwrap_or_default();
        let read = |out: alloy::primitives::Bytes| {
            if out.len() >= 32 {
                Address::from_slice(&out[12..32])
            } else {
                Address::ZERO
            }
        };
        let mut strategy = read(
            chain
                .call(
                    &step,
                    factory,
                    IStrategyFactory::deployedStrategiesCall { token: t }.abi_encode(),
                )
                .await?,
        );
        if strategy.is_zero() {
            let sent = chain
                .send(
                    &step,
                    Chain::call_request(
                        factory,
                        IStrategyFactory::deployNewStrategyCall { token: t }.abi_encode(),
                    ),
                )
                .await?;
            strategy = read(
                chain
                    .call(
                        &step,
                        factory,
                        IStrategyFactory::deployedStrategiesCall { token: t }.abi_encode(),
                    )
                    .await?,
            );
            progress(Progress {
                step,
                detail: format!("{strategy} (deployed by the factory)"),
                gas_used: sent.gas_used,
            });
        } else {
            progress(Progress {
                step,
                detail: format!("{strategy} (exists)"),
                gas_used: 0,
            });
        }
        manifest.contracts.insert(
            strategy_name(token.name),
            ContractEntry {
                proxy: strategy,
                implementation: STRATEGY_PROGRAM.name.to_string(),
            },
        );
    }
    Ok(())
}

/// The EigenPod beacon (pointing at the pod program) and the beacon deposit contract (a sink on the
/// devnode). Idempotent: an existing beacon already at the program is kept; one at another program
/// is upgraded by its owner.
async fn ensure_native_addresses(
    chain: &Chain,
    config: &DeployConfig,
    manifest: &mut Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    let owner = config.roles.owner.unwrap_or(chain.sender());
    ensure_beacon(
        chain,
        manifest,
        names::EIGEN_POD_BEACON,
        EIGEN_POD_PROGRAM.name,
        owner,
        progress,
    )
    .await?;
    ensure_beacon(
        chain,
        manifest,
        names::STRATEGY_BEACON,
        STRATEGY_PROGRAM.name,
        owner,
        progress,
    )
    .await?;
    match config.native.eth_pos_deposit {
        Some(a) => {
            manifest.addresses.insert(names::ETH_POS_DEPOSIT.into(), a);
        }
        None if chain.chain_id() == DEVNODE_CHAIN_ID => {
            let existing = manifest.addresses.get(names::ETH_POS_DEPOSIT).copied();
            let present = match existing {
                Some(a) => !chain.code_at(a).await?.is_empty(),
                None => false,
            };
            if !present {
                // Runtime `STOP`: accepts every deposit (devnode only; the ETH stays there).
                let sent = chain
                    .deploy_code(
                        "deploy deposit sink",
                        vec![0x60, 0x01, 0x80, 0x60, 0x09, 0x5f, 0x39, 0x5f, 0xf3, 0x00],
                    )
                    .await?;
                let a = sent.contract_address.unwrap_or_default();
                progress(Progress {
                    step: "beacon deposit sink (devnode)".into(),
                    detail: a.to_string(),
                    gas_used: sent.gas_used,
                });
                manifest.addresses.insert(names::ETH_POS_DEPOSIT.into(), a);
            }
        }
        None => {
            return Err(DeployError::new(
                "native restaking",
                format!(
                    "chain {} needs native.eth_pos_deposit in the configuration",
                    chain.chain_id()
                ),
            ))
        }
    }
    Ok(())
}

/// Reads the deployment back: every proxy points at its program, and the contracts know each
/// other. A mismatch is an error naming the contract and both addresses.
pub async fn verify(
    chain: &Chain,
    manifest: &Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    use crate::abi::{
        IAVSDirectory, IAllocationManager, IDelegationManager, IEigenPodManager, IStrategyManager,
    };
    use alloy::sol_types::SolCall;
    let step = "verify wiring";
    let mut checked = 0;
    for c in CORE {
        let proxy = manifest
            .proxy(c.name)
            .ok_or_else(|| DeployError::new(step, format!("no proxy for {}", c.name)))?;
        let want = manifest
            .programs
            .get(c.program.name)
            .map(|p| p.address)
            .unwrap_or_default();
        let got = proxy_implementation(chain, proxy).await?;
        if got != want {
            return Err(DeployError::new(
                step,
                format!("{} proxy points at {got}, expected {want}", c.name),
            ));
        }
        checked += 1;
    }
    let p = |n: &str| manifest.proxy(n).unwrap_or_default();
    let reads: [(&str, Address, Vec<u8>, Address); 6] = [
        (
            "StrategyManager.delegation",
            p(names::STRATEGY_MANAGER),
            IStrategyManager::delegationCall {}.abi_encode(),
            p(names::DELEGATION_MANAGER),
        ),
        (
            "DelegationManager.strategyManager",
            p(names::DELEGATION_MANAGER),
            IDelegationManager::strategyManagerCall {}.abi_encode(),
            p(names::STRATEGY_MANAGER),
        ),
        (
            "DelegationManager.allocationManager",
            p(names::DELEGATION_MANAGER),
            IDelegationManager::allocationManagerCall {}.abi_encode(),
            p(names::ALLOCATION_MANAGER),
        ),
        (
            "AllocationManager.delegation",
            p(names::ALLOCATION_MANAGER),
            IAllocationManager::delegationCall {}.abi_encode(),
            p(names::DELEGATION_MANAGER),
        ),
        (
            "EigenPodManager.delegationManager",
            p(names::EIGEN_POD_MANAGER),
            IEigenPodManager::delegationManagerCall {}.abi_encode(),
            p(names::DELEGATION_MANAGER),
        ),
        (
            "AVSDirectory.delegation",
            p(names::AVS_DIRECTORY),
            IAVSDirectory::delegationCall {}.abi_encode(),
            p(names::DELEGATION_MANAGER),
        ),
    ];
    for (what, at, data, want) in reads {
        let out = chain.call(step, at, data).await?;
        let got = if out.len() >= 32 {
            Address::from_slice(&out[12..32])
        } else {
            Address::ZERO
        };
        if got != want {
            return Err(DeployError::new(
                step,
                format!("{what} is {got}, expected {want}"),
            ));
        }
        checked += 1;
    }
    checked += crate::lrt::verify(chain, manifest).await?;
    progress(Progress {
        step: step.into(),
        detail: format!("{checked} reads match"),
        gas_used: 0,
    });
    Ok(())
}

/// One value the deployment sets after initialization (a program pointer, a role, a parameter):
/// read it with `read`, and when it is not `want`, send `set` — if the deployer holds the role (`holder`) that may set it; otherwise the
/// step is left to the role holder and reported as such. A read that fails (e.g. a view served by a
/// program that is not wired yet) counts as unset.
struct Setting<'a> {
    step: &'a str,
    contract: Address,
    read: Vec<u8>,
    /// The word `read` must return (an address left-padded, a number big-endian).
    want: B256,
    holder: (&'a str, Address),
    set: Vec<u8>,
    detail: String,
}

async fn ensure_setting(
    chain: &Chain,
    p: Setting<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    let current = chain
        .call(p.step, p.contract, p.read)
        .await
        .unwrap_or_default();
    let current = if current.len() >= 32 {
        B256::from_slice(&current[..32])
    } else {
        B256::ZERO
    };
    let (role, holder) = p.holder;
    if current == p.want {
        progress(Progress {
            step: p.step.into(),
            detail: "already set".into(),
            gas_used: 0,
        });
    } else if holder != chain.sender() {
        progress(Progress {
            step: p.step.into(),
            detail: format!("left to the {role} {holder}"),
            gas_used: 0,
        });
    } else {
        let sent = chain
            .send(p.step, Chain::call_request(p.contract, p.set))
            .await?;
        progress(Progress {
            step: p.step.into(),
            detail: p.detail,
            gas_used: sent.gas_used,
        });
    }
    Ok(())
}

/// Wiring after every contract is initialized: the AllocationManager's, RewardsCoordinator's and
/// EigenPod's extra programs and, when configured, the Pectra fork timestamp and the beacon-root
/// freshness bound. Each step reads the
/// chain first and is skipped when already done.
async fn wire(
    chain: &Chain,
    config: &DeployConfig,
    manifest: &Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    use crate::abi::{IAllocationManager, IEigenPodManager, IRewardsCoordinator};
    use alloy::sol_types::SolCall;
    let w = Wiring {
        manifest,
        config,
        deployer: chain.sender(),
    };

    // The views are served by the programs being wired, so before wiring the reads fail (unset).
    let am_config = w.program("allocation_manager_config");
    ensure_setting(
        chain,
        Setting {
            step: "wire AllocationManager programs",
            contract: w.proxy(names::ALLOCATION_MANAGER),
            read: IAllocationManager::configImplementationCall {}.abi_encode(),
            want: am_config.into_word(),
            holder: ("proxy admin", w.proxy_admin()),
            set: IAllocationManager::setImplementationsCall {
                registration: w.program("allocation_manager_registration"),
                slashing: w.program("allocation_manager_slashing"),
                config: am_config,
                viewImpl: w.program("allocation_manager_view"),
            }
            .abi_encode(),
            detail: "registration, slashing, config, view".into(),
        },
        progress,
    )
    .await?;

    let rc_submissions = w.program("rewards_coordinator_submissions");
    ensure_setting(
        chain,
        Setting {
            step: "wire RewardsCoordinator programs",
            contract: w.proxy(names::REWARDS_COORDINATOR),
            read: IRewardsCoordinator::submissionsImplementationCall {}.abi_encode(),
            want: rc_submissions.into_word(),
            holder: ("proxy admin", w.proxy_admin()),
            set: IRewardsCoordinator::setImplementationsCall {
                submissionsImplementation_: rc_submissions,
                configImplementation_: w.program("rewards_coordinator_config"),
                viewImplementation_: w.program("rewards_coordinator_view"),
            }
            .abi_encode(),
            detail: "submissions, config, view".into(),
        },
        progress,
    )
    .await?;

    let epm = w.proxy(names::EIGEN_POD_MANAGER);
    let ext = w.program(EIGEN_POD_EXT_PROGRAM.name);
    ensure_setting(
        chain,
        Setting {
            step: "wire EigenPod extension",
            contract: epm,
            read: IEigenPodManager::eigenPodExtensionCall {}.abi_encode(),
            want: ext.into_word(),
            holder: ("proxy admin", w.proxy_admin()),
            set: IEigenPodManager::setEigenPodExtensionCall { newExtension: ext }.abi_encode(),
            detail: ext.to_string(),
        },
        progress,
    )
    .await?;

    // The Pectra fork timestamp selects the beacon proof layout; until it is set every pod proof
    // reverts `ForkTimestampZero`. Only when the configuration names it: the owner appoints the
    // proof timestamp setter, and the setter (when it is the deployer) sets the timestamp.
    if let Some(fork) = config.native.pectra_fork_timestamp {
        let setter = config.roles.proof_timestamp_setter.unwrap_or(w.deployer);
        ensure_setting(
            chain,
            Setting {
                step: "set proof timestamp setter",
                contract: epm,
                read: IEigenPodManager::proofTimestampSetterCall {}.abi_encode(),
                want: setter.into_word(),
                holder: ("owner", w.owner()),
                set: IEigenPodManager::setProofTimestampSetterCall {
                    newProofTimestampSetter: setter,
                }
                .abi_encode(),
                detail: setter.to_string(),
            },
            progress,
        )
        .await?;
        ensure_setting(
            chain,
            Setting {
                step: "set Pectra fork timestamp",
                contract: epm,
                read: IEigenPodManager::pectraForkTimestampCall {}.abi_encode(),
                want: U256::from(fork).into(),
                holder: ("proof timestamp setter", setter),
                set: IEigenPodManager::setPectraForkTimestampCall { timestamp: fork }.abi_encode(),
                detail: fork.to_string(),
            },
            progress,
        )
        .await?;
    }
    // The beacon-root oracle's freshness bound, when configured (the owner sets it).
    if let Some(age) = config.native.max_root_age {
        use crate::abi::IBeaconRootOracle;
        ensure_setting(
            chain,
            Setting {
                step: "set beacon-root freshness bound",
                contract: w.proxy(names::BEACON_ROOT_ORACLE),
                read: IBeaconRootOracle::maxRootAgeCall {}.abi_encode(),
                want: U256::from(age).into(),
                holder: ("owner", w.owner()),
                set: IBeaconRootOracle::setMaxRootAgeCall { maxRootAge: age }.abi_encode(),
                detail: format!("{age} s"),
            },
            progress,
        )
        .await?;
    }
    Ok(())
}

/// Deploys and activates the current artifact of `contract`'s program and points its proxy at it
/// (storage is the proxy's, so state is kept). Requires the deployer to be the proxy admin.
pub async fn upgrade_contract(
    chain: &Chain,
    contract: &str,
    artifacts: &Path,
    deployments: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Manifest, DeployError> {
    let step = format!("upgrade {contract}");
    let path = Manifest::path(deployments, chain.chain_id());
    let mut manifest = Manifest::load(&path)?.ok_or_else(|| {
        DeployError::new(
            &step,
            format!("no deployment manifest at {}", path.display()),
        )
    })?;
    let spec = CORE
        .iter()
        .find(|c| c.name == contract)
        .ok_or_else(|| {
            let known: Vec<&str> = CORE.iter().map(|c| c.name).collect();
            DeployError::new(
                &step,
                format!("unknown contract (known: {})", known.join(", ")),
            )
        })?
        .program;
    let proxy_address = manifest
        .proxy(contract)
        .ok_or_else(|| DeployError::new(&step, "the manifest has no proxy for it"))?;
    let wasm = read_artifact(artifacts, &spec)?;
    let deployed = chain.deploy_program(spec.name, &wasm, None).await?;
    if proxy_implementation(chain, proxy_address).await? == deployed.address {
        progress(Progress {
            step,
            detail: "already at this implementation".into(),
            gas_used: 0,
        });
        return Ok(manifest);
    }
    let data = proxy::upgrade_to_and_call_calldata(deployed.address, &[]);
    let sent = chain
        .send(&step, Chain::call_request(proxy_address, data))
        .await?;
    progress(Progress {
        step,
        detail: format!("proxy {proxy_address} → {}", deployed.address),
        gas_used: sent.gas_used + deployed.gas_used,
    });
    manifest
        .programs
        .insert(spec.name.to_string(), program_entry(&deployed));
    manifest.save(&path)?;
    Ok(manifest)
}
