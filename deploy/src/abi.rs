//! The suite's ABI on the tools side: the same Solidity text the contracts use
//! (`contracts/interfaces/solidity/Ferrostake.sol`), expanded by this workspace's alloy, plus the
//! JSON ABI and Solidity interface export for integrators (`ferrostake-deploy abi --out DIR`).
#![allow(missing_docs, clippy::too_many_arguments)]

alloy::sol!(
    #[sol(all_derives, abi)]
    "../contracts/interfaces/solidity/Ferrostake.sol"
);

use std::path::Path;

use crate::chain::DeployError;

/// The Solidity interface text, as integrators get it.
pub const SOLIDITY: &str = include_str!("../../contracts/interfaces/solidity/Ferrostake.sol");

/// Every interface of the suite with its JSON ABI.
pub fn interfaces() -> Vec<(&'static str, alloy_json_abi::JsonAbi)> {
    vec![
        ("IStrategy", IStrategy::abi::contract()),
        ("IStrategyManager", IStrategyManager::abi::contract()),
        ("IStrategyFactory", IStrategyFactory::abi::contract()),
        ("IDelegationManager", IDelegationManager::abi::contract()),
        ("IAllocationManager", IAllocationManager::abi::contract()),
        ("IAVSRegistrar", IAVSRegistrar::abi::contract()),
        ("IEigenPodManager", IEigenPodManager::abi::contract()),
        ("IEigenPod", IEigenPod::abi::contract()),
        ("IBeaconRootOracle", IBeaconRootOracle::abi::contract()),
        ("IETHPOSDeposit", IETHPOSDeposit::abi::contract()),
        ("IRewardsCoordinator", IRewardsCoordinator::abi::contract()),
        ("IAVSDirectory", IAVSDirectory::abi::contract()),
        ("IPausable", IPausable::abi::contract()),
        ("IPauserRegistry", IPauserRegistry::abi::contract()),
        ("IOwnable", IOwnable::abi::contract()),
        (
            "ISignatureUtilsMixin",
            ISignatureUtilsMixin::abi::contract(),
        ),
        (
            "IPermissionController",
            IPermissionController::abi::contract(),
        ),
        (
            "IPermissionControllerMixin",
            IPermissionControllerMixin::abi::contract(),
        ),
        ("IERC20", IERC20::abi::contract()),
        ("ILrtVault", ILrtVault::abi::contract()),
        ("IFerrostakeErrors", IFerrostakeErrors::abi::contract()),
    ]
}

/// Writes `<Interface>.json` for every interface and `Ferrostake.sol` into `out`.
pub fn export(out: &Path) -> Result<Vec<String>, DeployError> {
    std::fs::create_dir_all(out)
        .map_err(|e| DeployError::new("export ABI", format!("{}: {e}", out.display())))?;
    let mut written = Vec::new();
    for (name, abi) in interfaces() {
        let path = out.join(format!("{name}.json"));
        let text =
            serde_json::to_string_pretty(&abi).map_err(|e| DeployError::new("export ABI", e))?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| DeployError::new("export ABI", format!("{}: {e}", path.display())))?;
        written.push(path.display().to_string());
    }
    let sol = out.join("Ferrostake.sol");
    std::fs::write(&sol, SOLIDITY)
        .map_err(|e| DeployError::new("export ABI", format!("{}: {e}", sol.display())))?;
    written.push(sol.display().to_string());
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_abis_carry_eigenlayer_selectors() {
        let dir = std::env::temp_dir().join(format!("ferrostake-abi-{}", std::process::id()));
        let files = export(&dir).unwrap();
        assert_eq!(files.len(), interfaces().len() + 1);
        let text = std::fs::read_to_string(dir.join("IDelegationManager.json")).unwrap();
        let abi: alloy_json_abi::JsonAbi = serde_json::from_str(&text).unwrap();
        let delegate = &abi.function("delegateTo").unwrap()[0];
        // EigenLayer's selector for delegateTo(address,(bytes,uint256),bytes32).
        assert_eq!(delegate.selector().0, [0xee, 0xa9, 0x06, 0x4b]);
        assert!(abi.errors.contains_key("ActivelyDelegated"));
        assert_eq!(
            std::fs::read_to_string(dir.join("Ferrostake.sol")).unwrap(),
            SOLIDITY
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
