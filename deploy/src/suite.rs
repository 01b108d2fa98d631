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

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, U256};

use crate::{
    chain::{Chain, DeployError, DeployedProgram},
    config::DeployConfig,
    evm_asm::{op, Asm},
    manifest::{ContractEntry, Manifest, ProgramEntry},
    proxy,
};

/// A step of the deployment as it happens, for progress output.
#[derive(Clone, Debug)]
pub struct Progress {
    /// What was done.
    pub step: String,
    /// Outcome in a few words ("deployed at 0x…", "already active", …).
    pub detail: String,
    /// Gas spent by this step (0 when skipped).
    pub gas_used: u64,
}

/// A Stylus program of the suite: its manifest name and artifact file.
#[derive(Clone, Copy, Debug)]
pub struct ProgramSpec {
    /// Key in the manifest.
    pub name: &'static str,
    /// File in the artifacts directory.
    pub artifact: &'static str,
}

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

/// Reads the artifact of `spec` from `dir`, with an error that says how to build it.
pub fn read_artifact(dir: &Path, spec: &ProgramSpec) -> Result<Vec<u8>, DeployError> {
    let path: PathBuf = dir.join(spec.artifact);
    std::fs::read(&path).map_err(|e| {
        DeployError::new(
            format!("load {}", spec.name),
            format!(
                "{}: {e} (build the programs first: scripts/build-contracts)",
                path.display()
            ),
        )
    })
}

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

/// The implementation a proxy currently points at (ERC-1967 slot).
pub async fn proxy_implementation(
    chain: &Chain,
    proxy_address: Address,
) -> Result<Address, DeployError> {
    use alloy::providers::Provider;
    let word = chain
        .provider()
        .get_storage_at(
            proxy_address,
            U256::from_be_bytes(proxy::IMPLEMENTATION_SLOT.0),
        )
        .await
        .map_err(|e| DeployError::new(format!("read implementation of {proxy_address}"), e))?;
    Ok(Address::from_word(B256::from(word)))
}

/// Ensures contract `name` has a proxy (pointing at the placeholder when new) and returns it.
pub async fn ensure_proxy(
    chain: &Chain,
    name: &str,
    program: &str,
    admin: Address,
    placeholder: Address,
    manifest: &mut Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<Address, DeployError> {
    if let Some(entry) = manifest.contracts.get(name) {
        if !chain.code_at(entry.proxy).await?.is_empty() {
            return Ok(entry.proxy);
        }
    }
    let sent = chain
        .deploy_code(
            &format!("deploy proxy for {name}"),
            proxy::proxy_init_code(placeholder, admin, &[]),
        )
        .await?;
    let address = sent.contract_address.unwrap_or_default();
    progress(Progress {
        step: format!("proxy {name}"),
        detail: address.to_string(),
        gas_used: sent.gas_used,
    });
    manifest.contracts.insert(
        name.to_string(),
        ContractEntry {
            proxy: address,
            implementation: program.to_string(),
        },
    );
    Ok(address)
}

/// Points `name`'s proxy at its program and runs `init_calldata` in the same transaction, unless it
/// already points there (then the contract was initialized by an earlier run).
pub async fn upgrade_and_initialize(
    chain: &Chain,
    name: &str,
    manifest: &Manifest,
    init_calldata: Vec<u8>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    let step = format!("initialize {name}");
    let entry = manifest
        .contracts
        .get(name)
        .ok_or_else(|| DeployError::new(&step, "no proxy in the manifest"))?;
    let implementation = manifest
        .programs
        .get(&entry.implementation)
        .ok_or_else(|| {
            DeployError::new(
                &step,
                format!("program {} not deployed", entry.implementation),
            )
        })?
        .address;
    if proxy_implementation(chain, entry.proxy).await? == implementation {
        progress(Progress {
            step,
            detail: "already initialized".into(),
            gas_used: 0,
        });
        return Ok(());
    }
    let data = proxy::upgrade_to_and_call_calldata(implementation, &init_calldata);
    let sent = chain
        .send(&step, Chain::call_request(entry.proxy, data))
        .await?;
    progress(Progress {
        step,
        detail: format!("proxy {} → {}", entry.proxy, implementation),
        gas_used: sent.gas_used,
    });
    Ok(())
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
}

/// A core contract: a proxy in front of `program`, initialized with `init(wiring)`.
#[derive(Clone, Copy)]
pub struct CoreContract {
    /// Contract name (manifest key, as EigenLayer names it).
    pub name: &'static str,
    /// Its implementation program.
    pub program: ProgramSpec,
    /// Encodes its one-shot initializer.
    pub init: fn(&Wiring<'_>) -> Vec<u8>,
}

impl std::fmt::Debug for CoreContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreContract")
            .field("name", &self.name)
            .finish()
    }
}

/// The core contracts in initialization order. Grows as the programs land (see the issue tracker).
pub const CORE: &[CoreContract] = &[];

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
        .chain(CORE.iter().map(|c| c.program))
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

    if !CORE.is_empty() {
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
    }
    Ok(manifest)
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
