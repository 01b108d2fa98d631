//! The building blocks of a deployment that the suite ([`crate::suite`]) and the LRT vault
//! ([`crate::lrt`]) share: progress records, program specs and artifacts, the manifest's names,
//! and the proxy steps (create at the placeholder, point at a program and initialize). The suite
//! drives the LRT deployment; both build on this module, which depends on neither.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, U256};

use crate::{
    chain::{Chain, DeployError},
    manifest::{ContractEntry, Manifest},
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

/// Names of the core contracts in the manifest.
pub mod names {
    pub const PAUSER_REGISTRY: &str = "PauserRegistry";
    pub const PERMISSION_CONTROLLER: &str = "PermissionController";
    pub const STRATEGY_MANAGER: &str = "StrategyManager";
    pub const DELEGATION_MANAGER: &str = "DelegationManager";
    pub const ALLOCATION_MANAGER: &str = "AllocationManager";
    pub const BEACON_ROOT_ORACLE: &str = "BeaconRootOracle";
    pub const REWARDS_COORDINATOR: &str = "RewardsCoordinator";
    pub const EIGEN_POD_MANAGER: &str = "EigenPodManager";
    pub const AVS_DIRECTORY: &str = "AVSDirectory";
    /// Address entries (not proxies).
    pub const EIGEN_POD_BEACON: &str = "EigenPodBeacon";
    pub const STRATEGY_BEACON: &str = "StrategyBeacon";
    pub const STRATEGY_FACTORY: &str = "StrategyFactory";
    pub const ETH_POS_DEPOSIT: &str = "ETHPOSDeposit";
}

/// Manifest name of the strategy over `token_name`.
pub fn strategy_name(token_name: &str) -> String {
    format!("Strategy_{token_name}")
}
