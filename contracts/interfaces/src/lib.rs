//! # ferrostake-interfaces
//!
//! The external ABI of every Ferrostake contract, defined once as Solidity interface text in
//! [`solidity/Ferrostake.sol`](../solidity/Ferrostake.sol) and expanded here by alloy's `sol!`
//! (no_std). The deploy tool and the harness read the same file with their own alloy version, and
//! integrators get it as is.
//!
//! | interface | implemented by | follows |
//! |---|---|---|
//! | [`IStrategy`] | `contracts/strategy` (one beacon proxy per token) | EigenLayer v1.12 `IStrategy` |
//! | [`IStrategyManager`] | `contracts/strategy-manager` | EigenLayer v1.12 |
//! | [`IStrategyFactory`] | `contracts/strategy-factory` | EigenLayer v1.12 (duration vaults unsupported) |
//! | [`IDelegationManager`] | `contracts/delegation-manager` | EigenLayer v1.12 |
//! | [`IAllocationManager`] | `contracts/allocation-manager` | EigenLayer v1.12 + opt-in slashing guard |
//! | [`IEigenPodManager`], [`IEigenPod`] | `contracts/eigenpod-manager`, `contracts/eigenpod` | EigenLayer v1.12 |
//! | [`IRewardsCoordinator`] | `contracts/rewards-coordinator` | EigenLayer v1.12 |
//! | [`IAVSDirectory`] | `contracts/avs-directory` | EigenLayer v1.12 (legacy operator ↔ AVS registration) |
//! | [`IPausable`], [`IPauserRegistry`], [`IOwnable`], [`ISignatureUtilsMixin`] | mixed into the above | EigenLayer v1.12 |
//! | [`IPermissionController`] | `contracts/permission-controller` | EigenLayer v1.12 |
//! | [`IAVSRegistrar`] | AVSs (called by the AllocationManager) | EigenLayer v1.12 |
//! | [`IBeaconRootOracle`] | `contracts/beacon-root-oracle` | Ferrostake (EIP-4788 read interface) |
//! | [`IETHPOSDeposit`] | the beacon deposit contract | Ethereum |
//! | [`IERC20`] | tokens | ERC-20 |
//! | [`ILrtVault`] | `contracts/lrt-vault` | Ferrostake (ERC-20, ERC-4626, ERC-7540) |
//!
//! **How to use.** Shared structs (`OperatorSet`, `Withdrawal`, `SlashingParams`, …) live at the crate
//! root, so values pass between interfaces without conversion. Each interface is a module:
//! `IDelegationManager::delegateToCall` is the typed call (encode with `SolCall::abi_encode`),
//! `IDelegationManager::StakerDelegated` the event, `IDelegationManager::ActivelyDelegated` the
//! custom error. Contracts revert with these errors through `ferrostake_common::Revert`.
//!
//! Items marked "Ferrostake extension" in the Solidity text are ours (one-shot `initialize`
//! functions that carry what EigenLayer passes as constructor immutables; the AllocationManager's
//! slashing guard; the beacon-root oracle; the LRT vault). Nothing of EigenLayer's is changed.
#![no_std]
#![allow(missing_docs, clippy::too_many_arguments)]

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "solidity/Ferrostake.sol"
);
