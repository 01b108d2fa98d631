//! The suite fixture: the whole Ferrostake suite deployed once per test binary onto an in-process
//! devnode with the real deploy tool (over JSON-RPC, exactly as `ferrostake-deploy` does it), then
//! driven in-process through the devnode's [`Node`] API (impersonated senders, `eth_call`-style
//! reads) so property tests run fast while every contract still executes as its compiled WASM
//! program.
//!
//! - [`Suite::shared`] deploys on first use and hands out exclusive access (tests of one binary
//!   take turns); every hand-out starts from the same clean state, restored with a devnode
//!   snapshot.
//! - Actors ([`Actors`]): stakers, operators, AVSs and an attacker — plain addresses, impersonated
//!   on the node, funded with ETH and test tokens (approved to the StrategyManager).
//! - [`Suite::send`] / [`Suite::send_raw`] mine one transaction each and return its
//!   [`Outcome`]; [`Suite::view`] decodes a typed read; [`Outcome::expect_error`] checks a revert
//!   against a typed custom error of the interface; [`error_name`] names any selector of the
//!   suite's ABI.
//! - [`Suite::checkpoint`] / [`Suite::restore`] bracket a property case.
//! - [`Suite::state`] dumps every account's balance, nonce, code hash and storage;
//!   [`state_changes`] lists what a transaction changed beyond the sender's nonce and gas (the
//!   bad-input tests require it to be empty after every refusal).
//! - The WASM comes from `$FERROSTAKE_WASM_DIR` (or `$FERROSTAKE_ARTIFACTS`, else
//!   `artifacts/wasm`).
//! - [`Suite::setup_operators`] registers the operators, creates one operator set per AVS over
//!   every strategy and registers the operators into it — the common starting point of the
//!   slashing scenarios.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use alloy::primitives::{keccak256, Address, Bytes, Log, B256, U256};
use alloy::sol_types::{SolCall, SolError};
use anyhow::{anyhow, bail, Context, Result};
use ferrostake_deploy::abi::{
    CreateSetParams, IAVSRegistrar, IAllocationManager, IDelegationManager, IStrategyManager,
    OperatorSet, RegisterParams, SignatureWithExpiry, SlashingParams, IERC20,
};
use ferrostake_deploy::chain::Chain;
use ferrostake_deploy::config::DeployConfig;
use ferrostake_deploy::manifest::Manifest;
use ferrostake_deploy::suite::{self, names, strategy_name};
use ferrostake_devnode::node::{Node, NodeError, TxRequest, DEV_ADDRESS, DEV_KEY, TX_GAS_CAP};
use ferrostake_devnode::rpc::ServerHandle;

alloy::sol! {
    /// The test tokens' public faucet.
    interface ITestToken {
        function mint(address to, uint256 amount) external;
    }
}

/// 1.0 in WAD.
pub const WAD: u64 = 1_000_000_000_000_000_000;

/// Test tokens with a strategy each, as the suite deploys them (manifest names). The rebasing
/// token is left out of the accounting tests: its transfers may deliver 1–2 wei less by design.
pub const TOKENS: [&str; 2] = ["test_erc20", "test_rate_bearing"];

/// Tokens each staker starts with (per token).
pub const STAKER_TOKENS: u128 = 1u128 << 100;

/// ETH each actor starts with.
pub const ACTOR_ETH: u128 = 1_000_000 * WAD as u128;

/// Core contract addresses (proxies) and the test assets.
#[derive(Clone, Debug)]
pub struct Addresses {
    /// PauserRegistry.
    pub pauser_registry: Address,
    /// PermissionController.
    pub permission_controller: Address,
    /// StrategyManager.
    pub strategy_manager: Address,
    /// DelegationManager.
    pub delegation_manager: Address,
    /// AllocationManager.
    pub allocation_manager: Address,
    /// BeaconRootOracle.
    pub beacon_root_oracle: Address,
    /// RewardsCoordinator.
    pub rewards_coordinator: Address,
    /// EigenPodManager.
    pub eigen_pod_manager: Address,
    /// StrategyFactory (zero when the deployment has none).
    pub strategy_factory: Address,
    /// Test tokens, in [`TOKENS`] order.
    pub tokens: Vec<Address>,
    /// The strategy of each token, in [`TOKENS`] order.
    pub strategies: Vec<Address>,
}

impl Addresses {
    /// The strategies in ascending address order (as `slashOperator` requires).
    pub fn strategies_sorted(&self) -> Vec<Address> {
        let mut s = self.strategies.clone();
        s.sort();
        s
    }

    /// The token of `strategy`.
    pub fn token_of(&self, strategy: Address) -> Address {
        let i = self
            .strategies
            .iter()
            .position(|s| *s == strategy)
            .unwrap_or(0);
        self.tokens[i]
    }
}

/// The actors. Every one is impersonated on the node and funded with ETH; stakers, operators and
/// the attacker also hold [`STAKER_TOKENS`] of every test token, approved to the StrategyManager.
#[derive(Clone, Debug)]
pub struct Actors {
    /// The deployer: proxy admin, owner, pauser, unpauser and strategy whitelister.
    pub deployer: Address,
    /// Stakers.
    pub stakers: Vec<Address>,
    /// Operators (not registered until [`Suite::setup_operators`]).
    pub operators: Vec<Address>,
    /// AVSs.
    pub avss: Vec<Address>,
    /// Someone who holds nothing special and tries everything.
    pub attacker: Address,
}

impl Actors {
    fn named(prefix: &str, n: usize) -> Vec<Address> {
        (0..n)
            .map(|i| actor_address(&format!("{prefix}{i}")))
            .collect()
    }
}

/// The deterministic address of actor `name`.
pub fn actor_address(name: &str) -> Address {
    Address::from_slice(&keccak256(format!("ferrostake harness actor {name}"))[12..])
}

/// What one mined transaction did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Transaction hash.
    pub hash: B256,
    /// Block it was mined in.
    pub block: u64,
    /// Whether it succeeded.
    pub status: bool,
    /// Return data, or revert data when it failed.
    pub output: Bytes,
    /// Gas used.
    pub gas_used: u64,
    /// Logs (empty when it failed).
    pub logs: Vec<Log>,
}

impl Outcome {
    /// The 4-byte selector of the revert data, when it failed with at least 4 bytes.
    pub fn error_selector(&self) -> Option<[u8; 4]> {
        if self.status || self.output.len() < 4 {
            return None;
        }
        Some([
            self.output[0],
            self.output[1],
            self.output[2],
            self.output[3],
        ])
    }

    /// The name of the custom error it reverted with (`None` when it succeeded or the data is not
    /// a known error of the suite's ABI).
    pub fn error_name(&self) -> Option<&'static str> {
        self.error_selector().and_then(error_name)
    }

    /// Fails unless it succeeded.
    pub fn ok(self) -> Result<Self> {
        if self.status {
            Ok(self)
        } else {
            bail!(
                "transaction reverted with {} (0x{})",
                self.error_name().unwrap_or("unknown error"),
                hex::encode(&self.output)
            )
        }
    }

    /// Fails unless it reverted with exactly error `E` (selector and ABI-decodable arguments).
    pub fn expect_error<E: SolError>(&self) -> Result<E> {
        if self.status {
            bail!("expected {} but the transaction succeeded", E::SIGNATURE);
        }
        if self.error_selector() != Some(E::SELECTOR) {
            bail!(
                "expected {} but it reverted with {} (0x{})",
                E::SIGNATURE,
                self.error_name().unwrap_or("unknown data"),
                hex::encode(&self.output)
            );
        }
        E::abi_decode(&self.output).with_context(|| format!("decode {}", E::SIGNATURE))
    }

    /// Decodes the return data as `C`'s returns.
    pub fn returns<C: SolCall>(&self) -> Result<C::Return> {
        C::abi_decode_returns(&self.output).with_context(|| format!("decode {}", C::SIGNATURE))
    }

    /// Every log that decodes as event `E`.
    pub fn events<E: alloy::sol_types::SolEvent>(&self) -> Vec<E> {
        self.logs
            .iter()
            .filter_map(|l| E::decode_log_data(&l.data).ok())
            .collect()
    }
}

/// Every custom error of the suite's ABI by selector (first name wins; errors of the same name
/// in several interfaces share a selector).
pub fn error_table() -> &'static HashMap<[u8; 4], &'static str> {
    static TABLE: OnceLock<HashMap<[u8; 4], &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for (_, abi) in ferrostake_deploy::abi::interfaces() {
            for e in abi.errors() {
                let name: &'static str = Box::leak(e.name.clone().into_boxed_str());
                t.entry(e.selector().0).or_insert(name);
            }
        }
        t
    })
}

/// The name of custom error `selector`, when the suite's ABI has it.
pub fn error_name(selector: [u8; 4]) -> Option<&'static str> {
    error_table().get(&selector).copied()
}

/// One account's state as the devnode holds it (see [`Suite::state`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountState {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Code hash.
    pub code_hash: B256,
    /// Non-zero storage slots.
    pub storage: BTreeMap<U256, U256>,
}

/// The whole chain state by account.
pub type ChainState = BTreeMap<Address, AccountState>;

/// What differs between `before` and `after` besides what every mined transaction changes: the
/// sender's nonce and the gas it paid (its balance and the fee recipient's, the zero address).
/// Empty when a reverted transaction left the state alone.
pub fn state_changes(before: &ChainState, after: &ChainState, sender: Address) -> Vec<String> {
    let empty = AccountState {
        balance: U256::ZERO,
        nonce: 0,
        code_hash: B256::ZERO,
        storage: BTreeMap::new(),
    };
    let mut out = Vec::new();
    let accounts: std::collections::BTreeSet<&Address> =
        before.keys().chain(after.keys()).collect();
    for a in accounts {
        let (b, n) = (
            before.get(a).unwrap_or(&empty),
            after.get(a).unwrap_or(&empty),
        );
        let gas_only = *a == sender || a.is_zero();
        if b.balance != n.balance && !gas_only {
            out.push(format!("{a}: balance {} -> {}", b.balance, n.balance));
        }
        if b.nonce != n.nonce && *a != sender {
            out.push(format!("{a}: nonce {} -> {}", b.nonce, n.nonce));
        }
        // An account first touched by the transaction shows up with the empty code hash.
        let code = |x: &AccountState| {
            if x.code_hash == keccak256([]) {
                B256::ZERO
            } else {
                x.code_hash
            }
        };
        if code(b) != code(n) {
            out.push(format!("{a}: code {} -> {}", b.code_hash, n.code_hash));
        }
        let slots: std::collections::BTreeSet<&U256> =
            b.storage.keys().chain(n.storage.keys()).collect();
        for slot in slots {
            let (x, y) = (
                b.storage.get(slot).copied().unwrap_or_default(),
                n.storage.get(slot).copied().unwrap_or_default(),
            );
            if x != y {
                out.push(format!("{a}: slot {slot:#x} {x:#x} -> {y:#x}"));
            }
        }
    }
    out
}

/// The deployed suite on its devnode.
pub struct Suite {
    server: ServerHandle,
    /// The manifest the deploy tool wrote.
    pub manifest: Manifest,
    /// The configuration deployed with.
    pub config: DeployConfig,
    /// Contract addresses.
    pub addrs: Addresses,
    /// Actors.
    pub actors: Actors,
    /// The AVS registrar every AVS uses (EVM code: `supportsAVS` → true, accepts the rest).
    pub registrar: Address,
    clean: u64,
}

/// Exclusive access to the shared suite, reset to its clean state.
pub type SuiteGuard = MutexGuard<'static, Suite>;

/// The WASM artifacts: `$FERROSTAKE_WASM_DIR` (what `scripts/test` sets), else
/// `$FERROSTAKE_ARTIFACTS`, else the workspace's `artifacts/wasm`.
fn artifacts_dir() -> PathBuf {
    std::env::var_os("FERROSTAKE_WASM_DIR")
        .or_else(|| std::env::var_os("FERROSTAKE_ARTIFACTS"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm"))
}

/// Runtime code of the AVS registrar: `supportsAVS(address)` returns true, every other call
/// succeeds with no data.
pub fn registrar_runtime() -> Vec<u8> {
    let sel = IAVSRegistrar::supportsAVSCall::SELECTOR;
    // PUSH1 0 CALLDATALOAD PUSH1 0xe0 SHR PUSH4 sel EQ PUSH1 0x10 JUMPI STOP
    // JUMPDEST PUSH1 1 PUSH1 0 MSTORE PUSH1 0x20 PUSH1 0 RETURN
    let mut code = vec![0x60, 0x00, 0x35, 0x60, 0xe0, 0x1c, 0x63];
    code.extend_from_slice(&sel);
    code.extend_from_slice(&[
        0x14, 0x60, 0x10, 0x57, 0x00, 0x5b, 0x60, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00,
        0xf3,
    ]);
    code
}

impl Suite {
    /// Exclusive access to the suite of this test binary, deployed on first use and reset to the
    /// clean state (suite deployed, actors funded; no operator registered).
    ///
    /// Panics when the deployment fails (missing artifacts: run `scripts/build-contracts`).
    pub fn shared() -> SuiteGuard {
        static SUITE: OnceLock<Mutex<Suite>> = OnceLock::new();
        let m = SUITE.get_or_init(|| {
            Mutex::new(Suite::deploy(&artifacts_dir()).expect("deploy the suite on the devnode"))
        });
        // A test that failed while holding the suite poisons the mutex; the state is reset below.
        let mut g = m.lock().unwrap_or_else(|e| e.into_inner());
        g.reset();
        g
    }

    /// Deploys a fresh suite with the deploy tool onto a new in-process devnode.
    pub fn deploy(artifacts: &Path) -> Result<Self> {
        let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0")?;
        let url = server.url();
        let deployments = std::env::temp_dir().join(format!(
            "ferrostake-suite-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let config = DeployConfig::default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let manifest = rt.block_on(async {
            let deployer = Chain::connect(&url, DEV_KEY, Some(412_346))
                .await
                .map_err(|e| anyhow!("{e}"))?;
            suite::deploy_suite(&deployer, &config, artifacts, &deployments, &mut |_| {})
                .await
                .map_err(|e| anyhow!("{e}"))
        });
        let _ = std::fs::remove_dir_all(&deployments);
        let manifest = manifest?;
        let p = |n: &str| manifest.proxy(n).ok_or_else(|| anyhow!("no proxy {n}"));
        let addrs = Addresses {
            pauser_registry: p(names::PAUSER_REGISTRY)?,
            permission_controller: p(names::PERMISSION_CONTROLLER)?,
            strategy_manager: p(names::STRATEGY_MANAGER)?,
            delegation_manager: p(names::DELEGATION_MANAGER)?,
            allocation_manager: p(names::ALLOCATION_MANAGER)?,
            beacon_root_oracle: p(names::BEACON_ROOT_ORACLE)?,
            rewards_coordinator: p(names::REWARDS_COORDINATOR)?,
            eigen_pod_manager: p(names::EIGEN_POD_MANAGER)?,
            strategy_factory: manifest
                .proxy(names::STRATEGY_FACTORY)
                .or_else(|| manifest.addresses.get(names::STRATEGY_FACTORY).copied())
                .unwrap_or_default(),
            tokens: TOKENS
                .iter()
                .map(|t| {
                    manifest
                        .addresses
                        .get(*t)
                        .copied()
                        .ok_or_else(|| anyhow!("no token {t}"))
                })
                .collect::<Result<_>>()?,
            strategies: TOKENS
                .iter()
                .map(|t| p(&strategy_name(t)))
                .collect::<Result<_>>()?,
        };
        let actors = Actors {
            deployer: DEV_ADDRESS,
            stakers: Actors::named("staker", 4),
            operators: Actors::named("operator", 2),
            avss: Actors::named("avs", 2),
            attacker: actor_address("attacker"),
        };
        let registrar = actor_address("avs registrar");
        let mut s = Suite {
            server,
            manifest,
            config,
            addrs,
            actors,
            registrar,
            clean: 0,
        };
        s.fund_actors()?;
        let clean = s.node().snapshot();
        s.clean = clean;
        Ok(s)
    }

    fn fund_actors(&mut self) -> Result<()> {
        let a = self.actors.clone();
        {
            let mut node = self.node();
            node.set_code(self.registrar, Bytes::from(registrar_runtime()));
            for who in a
                .stakers
                .iter()
                .chain(&a.operators)
                .chain(&a.avss)
                .chain(std::iter::once(&a.attacker))
            {
                node.impersonate(*who, true);
                node.set_balance(*who, U256::from(ACTOR_ETH));
            }
        }
        let sm = self.addrs.strategy_manager;
        for token in self.addrs.tokens.clone() {
            for who in a
                .stakers
                .iter()
                .chain(&a.operators)
                .chain(std::iter::once(&a.attacker))
            {
                self.send(
                    a.deployer,
                    token,
                    ITestToken::mintCall {
                        to: *who,
                        amount: U256::from(STAKER_TOKENS),
                    },
                )?
                .ok()?;
                self.send(
                    *who,
                    token,
                    IERC20::approveCall {
                        spender: sm,
                        value: U256::MAX,
                    },
                )?
                .ok()?;
            }
        }
        Ok(())
    }

    /// The in-process node (locked). Hold it only briefly: every helper here locks it too.
    pub fn node(&self) -> MutexGuard<'_, Node> {
        self.server.node.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The node behind the JSON-RPC server.
    pub fn node_handle(&self) -> Arc<Mutex<Node>> {
        self.server.node.clone()
    }

    /// The JSON-RPC endpoint of the devnode.
    pub fn rpc_url(&self) -> String {
        self.server.url()
    }

    /// Back to the clean state of [`Suite::shared`].
    pub fn reset(&mut self) {
        let mut node = self.server.node.lock().unwrap_or_else(|e| e.into_inner());
        node.revert(self.clean)
            .expect("the clean snapshot is always kept");
        self.clean = node.snapshot();
    }

    /// Takes a snapshot to come back to with [`Suite::restore`] (which keeps it usable).
    pub fn checkpoint(&self) -> u64 {
        self.node().snapshot()
    }

    /// Restores checkpoint `id` and re-arms it (`id` is updated to the new snapshot).
    pub fn restore(&self, id: &mut u64) -> Result<()> {
        let mut node = self.node();
        node.revert(*id).map_err(|e| anyhow!("{e}"))?;
        *id = node.snapshot();
        Ok(())
    }

    /// Every account's balance, nonce, code hash and storage (compare two with [`state_changes`]).
    pub fn state(&self) -> ChainState {
        self.node()
            .state_dump()
            .into_iter()
            .map(|(a, (balance, nonce, code_hash, storage))| {
                (
                    a,
                    AccountState {
                        balance,
                        nonce,
                        code_hash,
                        storage,
                    },
                )
            })
            .collect()
    }

    /// Current block number.
    pub fn block_number(&self) -> u64 {
        self.node().block_number()
    }

    /// Mines `n` empty blocks, one second apart.
    pub fn mine(&self, n: u64) {
        self.node().mine(n, 1);
    }

    /// Sends `data` from `from` (impersonated) to `to` and mines it. `Err` only when the node
    /// refused the transaction itself; a revert is an `Ok` outcome with `status == false`.
    pub fn send_raw(&self, from: Address, to: Address, data: Vec<u8>) -> Result<Outcome> {
        self.send_at(from, to, U256::ZERO, data, None)
    }

    /// [`Suite::send_raw`] with `value` wei attached and, with `at`, mined in a block with exactly
    /// that timestamp.
    pub fn send_at(
        &self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
        at: Option<u64>,
    ) -> Result<Outcome> {
        let mut node = self.node();
        if let Some(t) = at {
            node.set_next_timestamp(t);
        }
        let hash = node
            .send_transaction(TxRequest {
                from: Some(from),
                to: Some(to),
                gas: Some(TX_GAS_CAP),
                value: Some(value),
                input: Bytes::from(data),
                ..Default::default()
            })
            .map_err(|e| anyhow!("node refused the transaction: {e}"))?;
        let r = node
            .transaction(hash)
            .ok_or_else(|| anyhow!("no record of {hash}"))?;
        Ok(Outcome {
            hash,
            block: r.block_number,
            status: r.status,
            output: r.output.clone(),
            gas_used: r.gas_used,
            logs: r.logs.clone(),
        })
    }

    /// Caches every program of the deployment through ArbWasmCache (the dev account is the chain
    /// owner), so program entry costs the cached price — what a CacheManager bid buys on Arbitrum.
    pub fn cache_programs(&self) -> Result<()> {
        for p in self.manifest.programs.values() {
            self.send(
                DEV_ADDRESS,
                ferrostake_devnode::arbos::ARB_WASM_CACHE,
                ferrostake_devnode::arbos::ArbWasmCache::cacheProgramCall { addr: p.address },
            )?
            .ok()
            .context("cacheProgram")?;
        }
        Ok(())
    }

    /// Sends typed call `call` from `from` to `to`.
    pub fn send<C: SolCall>(&self, from: Address, to: Address, call: C) -> Result<Outcome> {
        self.send_raw(from, to, call.abi_encode())
    }

    /// `eth_call` of `data` from `from` on the latest state: the output, or the revert data.
    pub fn call_raw(
        &self,
        from: Address,
        to: Address,
        data: Vec<u8>,
    ) -> Result<std::result::Result<Bytes, Bytes>> {
        let node = self.node();
        let req = TxRequest {
            from: Some(from),
            to: Some(to),
            input: Bytes::from(data),
            ..Default::default()
        };
        match node.call(&req, &HashMap::new()) {
            Ok(out) => Ok(Ok(out)),
            Err(NodeError::Reverted { data, .. }) => Ok(Err(data)),
            Err(e) => Err(anyhow!("call failed: {e}")),
        }
    }

    /// A typed read.
    pub fn view<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return> {
        match self.call_raw(Address::ZERO, to, call.abi_encode())? {
            Ok(out) => C::abi_decode_returns(&out)
                .with_context(|| format!("decode {} (0x{})", C::SIGNATURE, hex::encode(&out))),
            Err(data) => bail!(
                "{} reverted with {} (0x{})",
                C::SIGNATURE,
                data.get(..4)
                    .and_then(|s| error_name([s[0], s[1], s[2], s[3]]))
                    .unwrap_or("unknown data"),
                hex::encode(&data)
            ),
        }
    }

    /// ERC-20 balance.
    pub fn balance_of(&self, token: Address, account: Address) -> Result<U256> {
        self.view(token, IERC20::balanceOfCall { account })
    }

    /// Registers every operator (no approver, allocation delay 0), creates operator set 1 of every
    /// AVS over every strategy with the shared registrar, and registers every operator into every
    /// AVS's set.
    pub fn setup_operators(&self) -> Result<()> {
        let (dm, am) = (self.addrs.delegation_manager, self.addrs.allocation_manager);
        for op in &self.actors.operators {
            self.send(
                *op,
                dm,
                IDelegationManager::registerAsOperatorCall {
                    initDelegationApprover: Address::ZERO,
                    allocationDelay: 0,
                    metadataURI: "https://operator.example".into(),
                },
            )?
            .ok()
            .context("registerAsOperator")?;
        }
        for avs in &self.actors.avss {
            self.send(
                *avs,
                am,
                IAllocationManager::updateAVSMetadataURICall {
                    avs: *avs,
                    metadataURI: "https://avs.example".into(),
                },
            )?
            .ok()
            .context("updateAVSMetadataURI")?;
            self.send(
                *avs,
                am,
                IAllocationManager::createOperatorSets_0Call {
                    avs: *avs,
                    params: vec![CreateSetParams {
                        operatorSetId: 1,
                        strategies: self.addrs.strategies_sorted(),
                    }],
                },
            )?
            .ok()
            .context("createOperatorSets")?;
            self.send(
                *avs,
                am,
                IAllocationManager::setAVSRegistrarCall {
                    avs: *avs,
                    registrar: self.registrar,
                },
            )?
            .ok()
            .context("setAVSRegistrar")?;
            for op in &self.actors.operators {
                self.send(
                    *op,
                    am,
                    IAllocationManager::registerForOperatorSetsCall {
                        operator: *op,
                        params: RegisterParams {
                            avs: *avs,
                            operatorSetIds: vec![1],
                            data: Bytes::new(),
                        },
                    },
                )?
                .ok()
                .context("registerForOperatorSets")?;
            }
        }
        Ok(())
    }

    /// Operator set 1 of `avs`.
    pub fn operator_set(avs: Address) -> OperatorSet {
        OperatorSet { avs, id: 1 }
    }

    /// `depositIntoStrategy` of `amount` of `strategy`'s token by `staker`.
    pub fn deposit(&self, staker: Address, strategy: Address, amount: U256) -> Result<Outcome> {
        self.send(
            staker,
            self.addrs.strategy_manager,
            IStrategyManager::depositIntoStrategyCall {
                strategy,
                token: self.addrs.token_of(strategy),
                amount,
            },
        )
    }
    /// `delegateTo(operator)` by `staker`, with no approver signature.
    pub fn delegate_to(&self, staker: Address, operator: Address) -> Result<Outcome> {
        self.send(
            staker,
            self.addrs.delegation_manager,
            IDelegationManager::delegateToCall {
                operator,
                approverSignatureAndExpiry: SignatureWithExpiry {
                    signature: Bytes::new(),
                    expiry: U256::ZERO,
                },
                approverSalt: B256::ZERO,
            },
        )
    }

    /// `slashOperator` by `avs`: `wad` of `operator`'s allocation of `strategy` in set `set_id`.
    pub fn slash(
        &self,
        avs: Address,
        operator: Address,
        set_id: u32,
        strategy: Address,
        wad: U256,
    ) -> Result<Outcome> {
        self.send(
            avs,
            self.addrs.allocation_manager,
            IAllocationManager::slashOperatorCall {
                avs,
                params: SlashingParams {
                    operator,
                    operatorSetId: set_id,
                    strategies: vec![strategy],
                    wadsToSlash: vec![wad],
                    description: "test slash".into(),
                },
            },
        )
    }
}
