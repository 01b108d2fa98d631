//! `ferrostake-deploy upgrade` against the devnode over JSON-RPC: a new implementation of the
//! StrategyManager (a different program: the same WASM plus a custom section, so a new code hash) is
//! deployed, activated and put behind the proxy; every storage value written before the upgrade
//! reads the same after it, the upgraded contract keeps working, and an account that is not the
//! proxy admin cannot upgrade.
use std::path::{Path, PathBuf};

use alloy::primitives::{keccak256, Address, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use ferrostake_deploy::abi::{IStrategyManager, IERC20};
use ferrostake_deploy::chain::Chain;
use ferrostake_deploy::config::DeployConfig;
use ferrostake_deploy::manifest::Manifest;
use ferrostake_deploy::suite::{self, names, strategy_name};
use ferrostake_devnode::node::{Node, DEV_KEY};

alloy::sol! {
    interface Mintable {
        function mint(address to, uint256 amount) external;
    }
}

const WAD: u128 = 1_000_000_000_000_000_000;
const SM_ARTIFACT: &str = "ferrostake_strategy_manager.wasm";

fn artifacts() -> PathBuf {
    std::env::var_os("FERROSTAKE_WASM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm"))
}

/// Appends a custom section (id 0) to a WASM module: a different module, same behaviour.
fn with_custom_section(wasm: &[u8], name: &str, payload: &[u8]) -> Vec<u8> {
    fn leb(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let mut body = Vec::new();
    leb(name.len(), &mut body);
    body.extend_from_slice(name.as_bytes());
    body.extend_from_slice(payload);
    let mut out = wasm.to_vec();
    out.push(0);
    leb(body.len(), &mut out);
    out.extend_from_slice(&body);
    out
}

/// A copy of the artifacts directory where the StrategyManager is the "v2" module.
fn v2_artifacts(tmp: &Path) -> PathBuf {
    let dir = tmp.join("artifacts-v2");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(artifacts()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let v1 = std::fs::read(artifacts().join(SM_ARTIFACT)).unwrap();
    let v2 = with_custom_section(&v1, "ferrostake.version", b"2");
    assert_ne!(v1, v2);
    std::fs::write(dir.join(SM_ARTIFACT), v2).unwrap();
    dir
}

async fn deposit(chain: &Chain, token: Address, strategy: Address, sm: Address, amount: U256) {
    chain
        .send_call(
            "mint",
            token,
            &Mintable::mintCall {
                to: chain.sender(),
                amount,
            },
        )
        .await
        .unwrap();
    chain
        .send_call(
            "approve",
            token,
            &IERC20::approveCall {
                spender: sm,
                value: amount,
            },
        )
        .await
        .unwrap();
    chain
        .send_call(
            "deposit",
            sm,
            &IStrategyManager::depositIntoStrategyCall {
                strategy,
                token,
                amount,
            },
        )
        .await
        .unwrap();
}

async fn shares(chain: &Chain, sm: Address, staker: Address, strategy: Address) -> U256 {
    chain
        .view(
            "shares",
            sm,
            &IStrategyManager::stakerDepositSharesCall { staker, strategy },
        )
        .await
        .unwrap()
}

#[test]
fn upgrade_keeps_state_and_refuses_non_admins() {
    let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    let tmp = std::env::temp_dir().join(format!("ferrostake-upgrade-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let deployments = tmp.join("deployments");
    let v2 = v2_artifacts(&tmp);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let admin = Chain::connect(&url, DEV_KEY, Some(412_346)).await.unwrap();
        let manifest = suite::deploy_suite(
            &admin,
            &DeployConfig::default(),
            &artifacts(),
            &deployments,
            &mut |_| {},
        )
        .await
        .unwrap();
        let sm = manifest.proxy(names::STRATEGY_MANAGER).unwrap();
        let token = manifest.addresses["test_erc20"];
        let strategy = manifest.proxy(&strategy_name("test_erc20")).unwrap();
        let staker = admin.sender();

        // State before: one deposit. A fresh StrategyBase strategy mints shares 1:1 (the virtual
        // offsets are equal), so the staker holds exactly the amount deposited.
        let first = U256::from(250u128 * WAD);
        deposit(&admin, token, strategy, sm, first).await;
        assert_eq!(shares(&admin, sm, staker, strategy).await, first);
        let list_before = admin
            .call(
                "list",
                sm,
                IStrategyManager::getDepositsCall { staker }.abi_encode(),
            )
            .await
            .unwrap();
        let impl_before = suite::proxy_implementation(&admin, sm).await.unwrap();
        let v1_program = manifest.contracts[names::STRATEGY_MANAGER]
            .implementation
            .clone();
        let v1_hash = manifest.programs[&v1_program].code_hash;

        // Someone who is not the proxy admin cannot upgrade; nothing changes.
        let outsider_key = format!("0x{}", alloy::hex::encode(keccak256("upgrade outsider")));
        let outsider = Chain::connect(&url, &outsider_key, None).await.unwrap();
        admin
            .provider()
            .raw_request::<_, serde_json::Value>(
                "anvil_setBalance".into(),
                (outsider.sender(), U256::from(10u128 * WAD)),
            )
            .await
            .unwrap();
        // The outsider works from its own copy of the manifest (the file is public information).
        let outsider_deployments = tmp.join("outsider");
        std::fs::create_dir_all(&outsider_deployments).unwrap();
        std::fs::copy(
            Manifest::path(&deployments, 412_346),
            Manifest::path(&outsider_deployments, 412_346),
        )
        .unwrap();
        let refused = suite::upgrade_contract(
            &outsider,
            names::STRATEGY_MANAGER,
            &v2,
            &outsider_deployments,
            &mut |_| {},
        )
        .await;
        let err = refused
            .expect_err("a non-admin upgrade must fail")
            .to_string();
        assert!(err.contains("upgrade StrategyManager"), "{err}");
        assert_eq!(
            suite::proxy_implementation(&admin, sm).await.unwrap(),
            impl_before
        );

        // The admin upgrades to v2.
        let mut steps = Vec::new();
        let upgraded = suite::upgrade_contract(
            &admin,
            names::STRATEGY_MANAGER,
            &v2,
            &deployments,
            &mut |p| steps.push(p),
        )
        .await
        .unwrap();
        let impl_after = suite::proxy_implementation(&admin, sm).await.unwrap();
        assert_ne!(
            impl_after, impl_before,
            "the proxy points at the new program"
        );
        let code = admin.code_at(impl_after).await.unwrap();
        assert_ne!(keccak256(&code), v1_hash, "v2 is a different program");
        assert_eq!(
            upgraded.programs[&v1_program].address, impl_after,
            "the manifest records the new implementation"
        );
        assert_eq!(
            Manifest::load(&Manifest::path(&deployments, 412_346))
                .unwrap()
                .unwrap(),
            upgraded,
            "the manifest on disk is the returned one"
        );
        assert!(
            steps.iter().any(|p| p.gas_used > 0),
            "the upgrade sent transactions"
        );

        // State after: the same deposit shares and strategy list, and the contract still works.
        assert_eq!(shares(&admin, sm, staker, strategy).await, first);
        let list_after = admin
            .call(
                "list",
                sm,
                IStrategyManager::getDepositsCall { staker }.abi_encode(),
            )
            .await
            .unwrap();
        assert_eq!(list_after, list_before);
        let second = U256::from(100u128 * WAD);
        deposit(&admin, token, strategy, sm, second).await;
        assert_eq!(shares(&admin, sm, staker, strategy).await, first + second);

        // The rest of the suite still reaches the StrategyManager through its proxy.
        suite::verify(&admin, &upgraded, &mut |_| {}).await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&tmp);
}

/// With `native.pectra_fork_timestamp` in the configuration the deploy tool appoints the proof
/// timestamp setter and sets the fork timestamp (so pod proofs work without an owner step), and a
/// second run over the same manifest finds everything in place and sends nothing.
#[test]
fn configured_pectra_fork_timestamp_is_set_and_a_rerun_sends_nothing() {
    use ferrostake_deploy::abi::IEigenPodManager;
    const MAINNET_PECTRA: u64 = 1_746_612_311;
    let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    let tmp = std::env::temp_dir().join(format!("ferrostake-pectra-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let deployments = tmp.join("deployments");
    let config = DeployConfig::from_toml(&format!(
        "[native]\npectra_fork_timestamp = {MAINNET_PECTRA}\n"
    ))
    .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let deployer = Chain::connect(&url, DEV_KEY, Some(412_346)).await.unwrap();
        let mut first = Vec::new();
        let manifest =
            suite::deploy_suite(&deployer, &config, &artifacts(), &deployments, &mut |p| {
                first.push(p)
            })
            .await
            .unwrap();
        let epm = manifest.proxy(names::EIGEN_POD_MANAGER).unwrap();
        let fork = deployer
            .view("fork", epm, &IEigenPodManager::pectraForkTimestampCall {})
            .await
            .unwrap();
        assert_eq!(fork, MAINNET_PECTRA);
        let setter = deployer
            .view(
                "setter",
                epm,
                &IEigenPodManager::proofTimestampSetterCall {},
            )
            .await
            .unwrap();
        assert_eq!(setter, deployer.sender());
        for step in ["set proof timestamp setter", "set Pectra fork timestamp"] {
            assert!(
                first.iter().any(|p| p.step == step && p.gas_used > 0),
                "{step} was sent on the first run"
            );
        }

        let mut second = Vec::new();
        let again = suite::deploy_suite(&deployer, &config, &artifacts(), &deployments, &mut |p| {
            second.push(p)
        })
        .await
        .unwrap();
        assert_eq!(again.proxy(names::EIGEN_POD_MANAGER), Some(epm));
        let sent: Vec<_> = second.iter().filter(|p| p.gas_used > 0).collect();
        assert!(sent.is_empty(), "a rerun sent transactions: {sent:?}");
        assert!(second.iter().any(|p| p.step == "set Pectra fork timestamp"));
    });
    let _ = std::fs::remove_dir_all(&tmp);
}

/// Changing the code a proxy delegates to (`setViewImplementation`, `setImplementations` on the
/// DelegationManager, AllocationManager, RewardsCoordinator and LRT vault, `setEigenPodExtension`)
/// takes the proxy's ERC-1967 admin, as an upgrade does — not the owner, the unpauser or the vault's
/// admin role. With the admin handed to another account, the deployer (still owner, unpauser and
/// vault admin) is refused with `OnlyProxyAdmin()` and nothing changes; the new admin is served.
#[test]
fn code_changes_take_the_proxy_admin_not_the_owner() {
    use alloy::network::TransactionBuilder;
    use alloy::rpc::types::TransactionRequest;
    use alloy::sol_types::SolError;
    use ferrostake_deploy::abi::{
        IAllocationManager, IDelegationManager, IEigenPodManager, IFerrostakeErrors, ILrtVault,
        IRewardsCoordinator,
    };
    use ferrostake_deploy::{lrt, proxy};
    let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    let tmp = std::env::temp_dir().join(format!("ferrostake-code-admin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let deployments = tmp.join("deployments");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let deployer = Chain::connect(&url, DEV_KEY, Some(412_346)).await.unwrap();
        let manifest = suite::deploy_suite(
            &deployer,
            &DeployConfig::default(),
            &artifacts(),
            &deployments,
            &mut |_| {},
        )
        .await
        .unwrap();
        let proxy_of = |name: &str| manifest.proxy(name).unwrap();
        let program = |name: &str| manifest.programs[name].address;
        let (sm, dm, am, rc, epm, vault) = (
            proxy_of(names::STRATEGY_MANAGER),
            proxy_of(names::DELEGATION_MANAGER),
            proxy_of(names::ALLOCATION_MANAGER),
            proxy_of(names::REWARDS_COORDINATOR),
            proxy_of(names::EIGEN_POD_MANAGER),
            proxy_of(lrt::VAULT),
        );
        // Each setter with the values the deployment wired (a re-set changes no behaviour).
        let setters: Vec<(&str, Address, Vec<u8>)> = vec![
            (
                "StrategyManager.setViewImplementation",
                sm,
                IStrategyManager::setViewImplementationCall {
                    newViewImplementation: program("strategy_manager_view"),
                }
                .abi_encode(),
            ),
            (
                "DelegationManager.setImplementations",
                dm,
                IDelegationManager::setImplementationsCall {
                    withdrawalsImplementation_: program("delegation_manager_withdrawals"),
                    viewImplementation_: program("delegation_manager_view"),
                }
                .abi_encode(),
            ),
            (
                "AllocationManager.setImplementations",
                am,
                IAllocationManager::setImplementationsCall {
                    registration: program("allocation_manager_registration"),
                    slashing: program("allocation_manager_slashing"),
                    config: program("allocation_manager_config"),
                    viewImpl: program("allocation_manager_view"),
                }
                .abi_encode(),
            ),
            (
                "RewardsCoordinator.setImplementations",
                rc,
                IRewardsCoordinator::setImplementationsCall {
                    submissionsImplementation_: program("rewards_coordinator_submissions"),
                    configImplementation_: program("rewards_coordinator_config"),
                    viewImplementation_: program("rewards_coordinator_view"),
                }
                .abi_encode(),
            ),
            (
                "EigenPodManager.setEigenPodExtension",
                epm,
                IEigenPodManager::setEigenPodExtensionCall {
                    newExtension: program("eigenpod_ext"),
                }
                .abi_encode(),
            ),
            (
                "LrtVault.setImplementations",
                vault,
                ILrtVault::setImplementationsCall {
                    opsImplementation: program("lrt_vault_ops"),
                    adminImplementation: program("lrt_vault_admin"),
                    restakeImplementation: program("lrt_vault_restake"),
                }
                .abi_encode(),
            ),
        ];
        // What each proxy delegates to, read back through its views.
        let wiring = |chain: Chain| async move {
            let mut out = Vec::new();
            for (to, data) in [
                (sm, IStrategyManager::viewImplementationCall {}.abi_encode()),
                (
                    dm,
                    IDelegationManager::viewImplementationCall {}.abi_encode(),
                ),
                (
                    dm,
                    IDelegationManager::withdrawalsImplementationCall {}.abi_encode(),
                ),
                (
                    am,
                    IAllocationManager::configImplementationCall {}.abi_encode(),
                ),
                (
                    rc,
                    IRewardsCoordinator::submissionsImplementationCall {}.abi_encode(),
                ),
                (epm, IEigenPodManager::eigenPodExtensionCall {}.abi_encode()),
            ] {
                out.push(chain.call("read wiring", to, data).await.unwrap());
            }
            out
        };

        // Hand every proxy's admin to another account; the deployer keeps its other roles.
        let admin_key = format!("0x{}", alloy::hex::encode(keccak256("code-change admin")));
        let new_admin = Chain::connect(&url, &admin_key, None).await.unwrap();
        deployer
            .provider()
            .raw_request::<_, serde_json::Value>(
                "anvil_setBalance".into(),
                (new_admin.sender(), U256::from(10u128 * WAD)),
            )
            .await
            .unwrap();
        for to in [sm, dm, am, rc, epm, vault] {
            deployer
                .send(
                    "changeAdmin",
                    Chain::call_request(to, proxy::change_admin_calldata(new_admin.sender())),
                )
                .await
                .unwrap();
        }

        let before = wiring(Chain::connect(&url, DEV_KEY, None).await.unwrap()).await;
        for (what, to, data) in &setters {
            let tx = TransactionRequest::default()
                .with_from(deployer.sender())
                .with_to(*to)
                .with_input(data.clone());
            let err = deployer
                .provider()
                .call(tx)
                .await
                .expect_err(&format!("{what}: the owner/unpauser must be refused"));
            let revert = err
                .as_error_resp()
                .and_then(|r| r.as_revert_data())
                .unwrap_or_else(|| panic!("{what}: no revert data in {err}"));
            assert_eq!(
                revert.as_ref(),
                IFerrostakeErrors::OnlyProxyAdmin {}.abi_encode().as_slice(),
                "{what}"
            );
            // Mined, the refused transaction changes nothing either.
            let refused = deployer
                .send(
                    what,
                    Chain::call_request(*to, data.clone()).with_gas_limit(1_000_000),
                )
                .await;
            assert!(refused.is_err(), "{what}: mined as a success");
        }
        assert_eq!(
            wiring(Chain::connect(&url, DEV_KEY, None).await.unwrap()).await,
            before
        );

        // The proxy admin is served, and the suite works as wired.
        for (what, to, data) in &setters {
            let sent = new_admin
                .send(what, Chain::call_request(*to, data.clone()))
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(!sent.receipt.inner.logs().is_empty(), "{what}: no event");
        }
        assert_eq!(
            wiring(Chain::connect(&url, DEV_KEY, None).await.unwrap()).await,
            before
        );
        suite::verify(&deployer, &manifest, &mut |_| {})
            .await
            .unwrap();
    });
    let _ = std::fs::remove_dir_all(&tmp);
}
