//! Every function selector of every interface in `contracts/interfaces/solidity/Ferrostake.sol`
//! is served by the deployed suite (compiled WASM on the devnode): called with well-formed
//! arguments (zero values, empty arrays and strings), each function either answers or reverts with
//! a custom error — never the empty revert of a selector no program routes.
//! Finding 9 of the 2026-12 review: two StrategyManager views were handled only by code nothing
//! routed to, and always reverted empty.
//!
//! The calls are `eth_call`s from a stranger, so nothing is changed. Interfaces the suite does not
//! implement (`IAVSRegistrar`, `IETHPOSDeposit`: implemented by AVSs and the beacon deposit
//! contract) and the errors-only `IFerrostakeErrors` are left out.

use alloy::dyn_abi::{DynSolType, DynSolValue, JsonAbiExt};
use alloy::primitives::{Address, B256, U256};
use alloy::sol_types::SolError;
use ferrostake_deploy::abi::{interfaces, IEigenPodManager, IFerrostakeErrors, ILrtDelegator};
use ferrostake_harness::lrt_flow::Lrt;
use ferrostake_harness::suite::Suite;

/// The zero value of an ABI type (empty for dynamic arrays, bytes and strings).
fn zero(ty: &DynSolType) -> DynSolValue {
    match ty {
        DynSolType::Bool => DynSolValue::Bool(false),
        DynSolType::Int(n) => DynSolValue::Int(Default::default(), *n),
        DynSolType::Uint(n) => DynSolValue::Uint(U256::ZERO, *n),
        DynSolType::FixedBytes(n) => DynSolValue::FixedBytes(B256::ZERO, *n),
        DynSolType::Address => DynSolValue::Address(Address::ZERO),
        DynSolType::Function => DynSolValue::Function(Default::default()),
        DynSolType::Bytes => DynSolValue::Bytes(Vec::new()),
        DynSolType::String => DynSolValue::String(String::new()),
        DynSolType::Array(_) => DynSolValue::Array(Vec::new()),
        DynSolType::FixedArray(t, n) => DynSolValue::FixedArray(vec![zero(t); *n]),
        DynSolType::Tuple(ts) => DynSolValue::Tuple(ts.iter().map(zero).collect()),
    }
}

#[test]
fn every_interface_function_is_routed_on_the_deployed_suite() {
    let s = Suite::shared();
    let a = s.addrs.clone();
    let lrt = Lrt::from_manifest(&s.manifest).unwrap();
    // A pod for IEigenPod.
    let owner = s.actors.stakers[0];
    s.send(
        owner,
        a.eigen_pod_manager,
        IEigenPodManager::createPodCall {},
    )
    .unwrap()
    .ok()
    .unwrap();
    let pod = s
        .view(
            a.eigen_pod_manager,
            IEigenPodManager::getPodCall { podOwner: owner },
        )
        .unwrap();
    let pausable = vec![
        a.strategy_manager,
        a.delegation_manager,
        a.allocation_manager,
        a.eigen_pod_manager,
        a.rewards_coordinator,
        a.strategies[0],
    ];
    let targets = |name: &str| -> Vec<Address> {
        match name {
            "IStrategy" => a.strategies.clone(),
            "IStrategyManager" => vec![a.strategy_manager],
            "IStrategyFactory" => vec![a.strategy_factory],
            "IDelegationManager" => vec![a.delegation_manager],
            "IAllocationManager" => vec![a.allocation_manager],
            "IEigenPodManager" => vec![a.eigen_pod_manager],
            "IEigenPod" => vec![pod],
            "IBeaconRootOracle" => vec![a.beacon_root_oracle],
            "IRewardsCoordinator" => vec![a.rewards_coordinator],
            "IPausable" => pausable.clone(),
            "IPauserRegistry" => vec![a.pauser_registry],
            "IOwnable" => vec![
                a.strategy_manager,
                a.eigen_pod_manager,
                a.rewards_coordinator,
            ],
            "ISignatureUtilsMixin" => vec![a.delegation_manager, a.strategy_manager],
            "IPermissionController" => vec![a.permission_controller],
            "IPermissionControllerMixin" => vec![a.allocation_manager],
            "IERC20" => vec![a.tokens[0], lrt.vault],
            "ILrtVault" => vec![lrt.vault],
            "ILrtDelegator" => lrt.delegators.clone(),
            _ => Vec::new(),
        }
    };
    let mut checked = 0;
    let mut unrouted = Vec::new();
    let all = interfaces()
        .into_iter()
        .chain([("ILrtDelegator", ILrtDelegator::abi::contract())]);
    for (name, abi) in all {
        for to in targets(name) {
            for f in abi.functions() {
                let args: Vec<DynSolValue> = f
                    .inputs
                    .iter()
                    .map(|p| zero(&DynSolType::parse(&p.selector_type()).unwrap()))
                    .collect();
                // Selector-prefixed.
                let calldata = f.abi_encode_input(&args).unwrap();
                checked += 1;
                match s.call_raw(s.actors.attacker, to, calldata).unwrap() {
                    Ok(_) => {}
                    Err(out) => {
                        // A routed function that refuses answers with a custom error (ours, the
                        // test token's ERC-6093 ones, the delegator's `OnlyVault`); a selector
                        // nothing routes answers `UnknownSelector` (the test token: empty data).
                        if out.len() < 4
                            || out[..4] == IFerrostakeErrors::UnknownSelector::SELECTOR[..]
                        {
                            unrouted.push(format!(
                                "{name}.{} at {to}: reverted 0x{}",
                                f.signature(),
                                hex::encode(&out)
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} calls made");
    assert!(
        unrouted.is_empty(),
        "{} of {checked} calls fell through without a typed answer:\n{}",
        unrouted.len(),
        unrouted.join("\n")
    );
}

/// Finding 10: PermissionController's `canCall`, `getAppointeePermissions` and `getAppointees` are
/// `view` in our interface, as in EigenLayer's, so bindings generated from it treat them as reads.
#[test]
fn permission_controller_reads_are_view_in_the_interface() {
    use alloy::json_abi::StateMutability;
    let abi = ferrostake_deploy::abi::IPermissionController::abi::contract();
    for name in ["canCall", "getAppointeePermissions", "getAppointees"] {
        let f = &abi.function(name).unwrap()[0];
        assert_eq!(f.state_mutability, StateMutability::View, "{name}");
    }
}
