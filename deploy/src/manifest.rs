//! The deployment manifest, `deployments/<chain-id>.json`: what was deployed where, so integrators
//! find addresses and a re-run finds what already exists (idempotency).

use std::{collections::BTreeMap, path::Path};

use alloy::primitives::{Address, B256};
use serde::{Deserialize, Serialize};

use crate::{chain::DeployError, config::DeployConfig};

/// One Stylus program (an implementation, or a shared program behind beacon proxies).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramEntry {
    /// Address of the program's code.
    pub address: Address,
    /// `keccak256` of the on-chain code.
    pub code_hash: B256,
    /// Raw WASM size in bytes.
    pub wasm_bytes: usize,
    /// On-chain (prefix + brotli) size in bytes.
    pub compressed_bytes: usize,
    /// Stylus version it is activated at.
    pub stylus_version: u16,
}

/// One core contract: a proxy in front of an implementation program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractEntry {
    /// The address integrators call (the proxy).
    pub proxy: Address,
    /// The implementation program (key into [`Manifest::programs`]).
    pub implementation: String,
}

/// The whole manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Chain the deployment lives on.
    pub chain_id: u64,
    /// `ferrostake-deploy` version that wrote it.
    pub tool_version: String,
    /// The deployer (proxy admin unless configured otherwise).
    pub deployer: Address,
    /// Programs by name.
    pub programs: BTreeMap<String, ProgramEntry>,
    /// Core contracts by name.
    pub contracts: BTreeMap<String, ContractEntry>,
    /// Other addresses (tokens, strategies, beacons…) by name.
    pub addresses: BTreeMap<String, Address>,
    /// The configuration used.
    pub config: DeployConfig,
}

impl Manifest {
    /// `deployments/<chain-id>.json` under `dir`.
    pub fn path(dir: &Path, chain_id: u64) -> std::path::PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Loads the manifest at `path`, or `None` when there is none yet.
    pub fn load(path: &Path) -> Result<Option<Self>, DeployError> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| DeployError::new("read manifest", format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(DeployError::new(
                "read manifest",
                format!("{}: {e}", path.display()),
            )),
        }
    }

    /// Writes the manifest to `path` (creating its directory).
    pub fn save(&self, path: &Path) -> Result<(), DeployError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                DeployError::new("write manifest", format!("{}: {e}", dir.display()))
            })?;
        }
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| DeployError::new("write manifest", e))?;
        std::fs::write(path, text + "\n")
            .map_err(|e| DeployError::new("write manifest", format!("{}: {e}", path.display())))
    }

    /// The proxy address of contract `name`.
    pub fn proxy(&self, name: &str) -> Option<Address> {
        self.contracts.get(name).map(|c| c.proxy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_on_disk() {
        let dir = std::env::temp_dir().join(format!("ferrostake-manifest-{}", std::process::id()));
        let path = Manifest::path(&dir, 412_346);
        assert!(Manifest::load(&path).unwrap().is_none());
        let mut manifest = Manifest {
            chain_id: 412_346,
            tool_version: "0.1.0".into(),
            ..Default::default()
        };
        manifest.programs.insert(
            "strategy_manager".into(),
            ProgramEntry {
                address: Address::repeat_byte(1),
                code_hash: B256::repeat_byte(2),
                wasm_bytes: 40_000,
                compressed_bytes: 15_000,
                stylus_version: 2,
            },
        );
        manifest.contracts.insert(
            "StrategyManager".into(),
            ContractEntry {
                proxy: Address::repeat_byte(3),
                implementation: "strategy_manager".into(),
            },
        );
        manifest.save(&path).unwrap();
        let back = Manifest::load(&path).unwrap().unwrap();
        assert_eq!(back, manifest);
        assert_eq!(back.proxy("StrategyManager"), Some(Address::repeat_byte(3)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_manifest_is_a_clear_error() {
        let dir =
            std::env::temp_dir().join(format!("ferrostake-manifest-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("1.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = Manifest::load(&path).unwrap_err();
        assert_eq!(err.step, "read manifest");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
