//! The main job: deploy the suite to an embedded devnode with the real deploy tool, then run a
//! restaking story through JSON-RPC (stakers deposit, an operator registers, stakers delegate, an
//! AVS creates an operator set, the operator allocates, the AVS slashes, a staker withdraws what
//! slashing left), checking every number against values computed here from the story's inputs,
//! and print a report with the gas of each operation beside EigenLayer's.
//!
//! The same story runs on any endpoint ([`run_remote`]): on a test node through its anvil/evm
//! methods, on a plain chain (a testnet) by funding actors with transfers and waiting delays out
//! ([`Mode`]).

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use alloy::network::TransactionBuilder;
use alloy::primitives::{keccak256, Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::{SolCall, SolEvent};
use anyhow::{anyhow, bail, Context, Result};
use ferrostake_deploy::abi::{
    AllocateParams, CreateSetParams, IAllocationManager, IDelegationManager, IStrategyManager,
    OperatorSet, QueuedWithdrawalParams, RegisterParams, SignatureWithExpiry, SlashingParams,
    IERC20,
};
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

alloy::sol! {
    /// What an operator signs to be registered with an AVS in the AVSDirectory (EigenLayer's
    /// `OPERATOR_AVS_REGISTRATION_TYPEHASH` type string), for alloy's EIP-712 hashing.
    struct OperatorAVSRegistration {
        address operator;
        address avs;
        bytes32 salt;
        uint256 expiry;
    }
}

/// EigenLayer v1.12's measured gas for the same operations (shared/GAS_TARGETS.md).
pub const EIGENLAYER_GAS: &[(&str, u64)] = &[
    (
        "depositIntoStrategy — first deposit into an empty strategy",
        259_486,
    ),
    (
        "depositIntoStrategy — second staker's first deposit",
        205_386,
    ),
    ("depositIntoStrategy — repeat deposit, same staker", 124_703),
    (
        "depositIntoStrategy — repeat deposit, delegated staker",
        132_051,
    ),
    ("registerAsOperator (no approver)", 135_717),
    ("delegateTo (1 strategy)", 145_391),
    ("undelegate (1 strategy)", 459_717),
    ("queueWithdrawals (1 strategy)", 432_374),
    ("completeQueuedWithdrawal — as tokens", 163_962),
    ("createOperatorSets (1 set, 1 strategy)", 215_445),
    ("registerForOperatorSets (1 set)", 228_914),
    ("modifyAllocations (1 strategy)", 251_354),
    ("slashOperator — first slash, 1 strategy", 414_703),
    ("createAVSRewardsSubmission (1 strategy, 1 token)", 159_532),
    ("submitRoot", 106_024),
    ("processClaim — 1 token", 127_389),
    ("createPod", 382_963),
    (
        "EigenPod.startCheckpoint (0 validators, finalizes at once)",
        243_191,
    ),
];

/// Operations EigenLayer also has but `shared/GAS_TARGETS.md` gives no figure for: shown as "not
/// measured" rather than left blank (no figure is invented).
pub const EIGENLAYER_NOT_MEASURED: &[&str] = &["registerOperatorToAVS (ECDSA signature)"];

/// The EigenLayer column for an operation without a figure.
pub fn no_eigenlayer_figure(op: &str) -> &'static str {
    if EIGENLAYER_NOT_MEASURED.contains(&op) {
        "not measured"
    } else {
        "—"
    }
}

const WAD: u128 = 1_000_000_000_000_000_000;

/// What the demo did and saw.
#[derive(Debug, Default)]
pub struct Report {
    pub rpc_url: String,
    /// Whether the story ran on a devnode embedded in this process.
    pub embedded: bool,
    pub manifest_path: String,
    pub deploy_steps: Vec<(String, String, u64)>,
    /// Gas per operation (receipt gasUsed), programs uncached unless the story cached them.
    pub gas: Vec<(String, u64)>,
    /// The same operations with every program cached, when the story also ran that way ([`run`]).
    pub cached_gas: Vec<(String, u64)>,
    /// The storage floor of each entry of `gas` ([`crate::gas_profile::floor`]), on the embedded
    /// devnode (which records every transaction's storage access list).
    pub floors: Vec<Option<u64>>,
    pub checks: Vec<(String, String, bool)>,
    /// Whether the endpoint served the anvil/evm test methods (actors funded and delays skipped
    /// through them); without, actors are funded by transfers and delays waited out.
    pub test_methods: bool,
}

impl Report {
    fn check(&mut self, what: &str, got: impl fmt::Display, ok: bool) {
        self.checks.push((what.to_string(), got.to_string(), ok));
    }
    fn gas(&mut self, op: &str, gas: u64) {
        self.gas.push((op.to_string(), gas));
    }
    /// One row per operation of `gas`: uncached, cached, EigenLayer's figure and the floor.
    /// Rows measured with the EVM test token ([`EVM_TOKEN_SUFFIX`]) follow the same operation's
    /// row and share EigenLayer's figure (which was measured with an EVM ERC-20).
    pub fn gas_rows(&self) -> Vec<GasRow> {
        let rows: Vec<GasRow> = self
            .gas
            .iter()
            .enumerate()
            .map(|(i, (op, g))| {
                let base = op.strip_suffix(EVM_TOKEN_SUFFIX).unwrap_or(op);
                GasRow {
                    op: op.clone(),
                    uncached: *g,
                    cached: self.cached_gas.iter().find(|(o, _)| o == op).map(|c| c.1),
                    eigenlayer: EIGENLAYER_GAS.iter().find(|(n, _)| *n == base).map(|e| e.1),
                    floor: self.floors.get(i).copied().flatten(),
                }
            })
            .collect();
        let (evm, mut out): (Vec<GasRow>, Vec<GasRow>) = rows
            .into_iter()
            .partition(|r| r.op.ends_with(EVM_TOKEN_SUFFIX));
        for r in evm {
            let base = r.op.trim_end_matches(EVM_TOKEN_SUFFIX);
            let at = out
                .iter()
                .rposition(|o| o.op == base)
                .map_or(out.len(), |i| i + 1);
            out.insert(at, r);
        }
        out
    }
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.2)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "\n# Ferrostake demo — the suite on {} ({})\n",
            if self.embedded {
                "an embedded devnode"
            } else if self.test_methods {
                "a remote endpoint with test methods"
            } else {
                "a remote endpoint without test methods: actors funded by transfers, delays waited out"
            },
            self.rpc_url
        )?;
        let total: u64 = self.deploy_steps.iter().map(|s| s.2).sum();
        writeln!(
            f,
            "## Deployment ({} steps, {} gas; manifest {})\n",
            self.deploy_steps.len(),
            total,
            self.manifest_path
        )?;
        writeln!(f, "| step | result | gas |\n|---|---|---:|")?;
        for (s, d, g) in &self.deploy_steps {
            writeln!(f, "| {s} | {d} | {g} |")?;
        }
        writeln!(f, "\n## The restaking story: gas per operation\n")?;
        writeln!(
            f,
            "Uncached: every program entry pays its full init cost. Cached: every program cached \
             through ArbWasmCache (a CacheManager bid). Floor: the storage the transaction touches, \
             priced as the EVM prices it (base, calldata, cold slots, writes, logs, refunds).\n"
        )?;
        write!(f, "{}", gas_table_markdown(&self.gas_rows()))?;
        writeln!(
            f,
            "\n## Checks (expected values computed from the story's inputs)\n"
        )?;
        writeln!(f, "| check | observed | |\n|---|---|---|")?;
        for (c, v, ok) in &self.checks {
            writeln!(f, "| {c} | {v} | {} |", if *ok { "ok" } else { "FAILED" })?;
        }
        writeln!(
            f,
            "\n{}",
            if self.ok() {
                "All checks passed."
            } else {
                "SOME CHECKS FAILED."
            }
        )
    }
}

/// Where the story runs: the endpoint, the deployer's key and the seed the actors' keys derive from.
/// On the embedded devnode the seed is empty (fixed, public keys); on any other endpoint it is the
/// deployer's key, so the actors' keys are private to whoever holds it.
#[derive(Clone, Debug)]
pub struct Target {
    /// JSON-RPC endpoint.
    pub rpc_url: String,
    /// The deployer's private key (hex).
    pub private_key: String,
    /// Seed of the actors' keys.
    seed: String,
    /// On a chain without test methods: how often a delay is polled.
    pub poll_interval: Duration,
    /// On a chain without test methods: the longest wait for one delay.
    pub wait_timeout: Duration,
}

impl Target {
    /// A remote endpoint and the deployer's key.
    pub fn remote(rpc_url: &str, private_key: &str) -> Self {
        Self {
            rpc_url: rpc_url.to_string(),
            private_key: private_key.to_string(),
            seed: private_key.trim_start_matches("0x").to_lowercase(),
            poll_interval: Duration::from_secs(2),
            wait_timeout: Duration::from_secs(1800),
        }
    }
    /// The same with other waiting bounds (used only on chains without test methods).
    pub fn with_waits(mut self, poll_interval: Duration, wait_timeout: Duration) -> Self {
        self.poll_interval = poll_interval;
        self.wait_timeout = wait_timeout;
        self
    }
    fn embedded(rpc_url: &str) -> Self {
        Self {
            seed: String::new(),
            ..Self::remote(rpc_url, DEV_KEY)
        }
    }
}

/// The test-node methods the story uses, when the endpoint serves them all, to fund actors and move
/// time and blocks forward.
pub const REQUIRED_METHODS: &[&str] = &[
    "anvil_setBalance",
    "anvil_mine",
    "evm_increaseTime",
    "evm_mine",
    "evm_setNextBlockTimestamp",
];

fn actor_key(seed: &str, name: &str) -> String {
    format!(
        "0x{}",
        alloy::primitives::hex::encode(keccak256(format!("ferrostake demo {seed}{name}")))
    )
}

async fn actor(target: &Target, name: &str) -> Result<Chain> {
    Chain::connect(&target.rpc_url, &actor_key(&target.seed, name), None)
        .await
        .map_err(|e| anyhow!("{e}"))
}

/// The first test-node method the endpoint does not serve, with its error; `None` when it serves
/// them all.
async fn missing_test_method(deployer: &Chain) -> Result<Option<String>> {
    let p = deployer.provider();
    let balance = deployer.balance().await.map_err(|e| anyhow!("{e}"))?;
    for method in REQUIRED_METHODS {
        let params = match *method {
            "anvil_setBalance" => serde_json::json!([deployer.sender(), balance]),
            "anvil_mine" => serde_json::json!(["0x0"]),
            "evm_increaseTime" => serde_json::json!([0]),
            "evm_mine" => serde_json::json!([]),
            _ => serde_json::json!([latest_timestamp(deployer).await? + 1]),
        };
        if let Err(e) = p
            .raw_request::<_, serde_json::Value>((*method).into(), params)
            .await
        {
            return Ok(Some(format!("{method}: {e}")));
        }
    }
    Ok(None)
}

/// How the story funds actors and gets past delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// The endpoint serves the test methods: `anvil_setBalance` funds, `anvil_mine` and
    /// `evm_increaseTime` skip delays, `anvil_impersonateAccount` sends for the LRT chapter.
    TestNode,
    /// A plain chain (a testnet): the deployer funds actors by transfers, delays are waited out by
    /// polling, every transaction is signed by its sender's key.
    Plain,
}

/// What a delay counts, as contracts see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    /// `block.number` (on Arbitrum the L1 block estimate, not the RPC block number).
    Block,
    /// `block.timestamp`.
    Second,
}

/// Gas each actor is funded for: the busiest (the AVS, which deploys four reward tokens) spends
/// ≈ 9.8M gas on the devnode, alice ≈ 4.6M; three times that leaves room for Arbitrum's L1 data
/// component.
const ACTOR_GAS: u64 = 30_000_000;
/// Gas of a fresh deployment (≈ 193M on the devnode) with the same room.
const DEPLOY_GAS: u64 = 300_000_000;
/// ArbWasm activation data fees for every program of the suite (≈ 0.012 ETH on the devnode).
const DATA_FEES_WEI: u128 = 30_000_000_000_000_000;
/// Gas of the deployer's own story transactions (mints, roots, ticks, the LRT manager, the EVM
/// test token and its strategy).
const DEPLOYER_STORY_GAS: u64 = 45_000_000;
/// The story's actors.
const ACTORS: [&str; 6] = ["alice", "bob", "operator", "avs", "carol", "dave"];

/// The chain as the story uses it: the deployer, the mode, and how long to wait for delays.
struct Env {
    deployer: Chain,
    mode: Mode,
    poll: Duration,
    timeout: Duration,
    /// What each actor is funded with.
    actor_funds: U256,
}

/// `wei` as ETH with six decimals.
fn eth(wei: U256) -> String {
    let micro = wei / U256::from(1_000_000_000_000u64);
    let m: u128 = micro.saturating_to();
    format!("{}.{:06}", m / 1_000_000, m % 1_000_000)
}

/// Init code whose creation returns `block.number` and `block.timestamp` (two words):
/// `NUMBER PUSH1 0 MSTORE TIMESTAMP PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN`.
const CLOCK_INIT: [u8; 13] = [
    0x43, 0x60, 0x00, 0x52, 0x42, 0x60, 0x20, 0x52, 0x60, 0x40, 0x60, 0x00, 0xf3,
];

/// The `(block.number, block.timestamp)` a transaction sent now would see (read by simulating a
/// creation, so on Arbitrum it is the L1 block estimate contracts count delays in).
async fn contract_clock(c: &Chain) -> Result<(u64, u64)> {
    let tx = TransactionRequest::default()
        .with_from(c.sender())
        .with_deploy_code(Bytes::from(CLOCK_INIT.to_vec()));
    let out = c
        .provider()
        .call(tx)
        .await
        .context("read the block number and timestamp contracts see")?;
    if out.len() != 64 {
        bail!("reading the contracts' clock returned {} bytes", out.len());
    }
    let word = |w: &[u8]| U256::from_be_slice(w).saturating_to::<u64>();
    Ok((word(&out[..32]), word(&out[32..])))
}

/// A simulated step: `from` calls `to` with `data`; it is due when the simulation succeeds.
struct Probe<'a> {
    from: &'a Chain,
    to: Address,
    data: Vec<u8>,
}

impl Env {
    /// A 0-value self-transfer from the deployer, so chains that mine on demand advance.
    async fn tick(&self) -> Result<()> {
        let me = self.deployer.sender();
        self.deployer
            .send(
                "tick",
                TransactionRequest::default()
                    .with_to(me)
                    .with_value(U256::ZERO),
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
        Ok(())
    }

    async fn test_method(&self, method: &str, params: serde_json::Value) -> Result<()> {
        self.deployer
            .provider()
            .raw_request::<_, serde_json::Value>(method.to_string().into(), params)
            .await
            .with_context(|| format!("{method} on {}", self.deployer.rpc_url()))?;
        Ok(())
    }

    /// Funds an actor: `anvil_setBalance` on a test node, a transfer from the deployer up to
    /// [`Env::actor_funds`] on a plain chain.
    async fn fund(&self, who: &Chain) -> Result<()> {
        match self.mode {
            Mode::TestNode => {
                self.test_method(
                    "anvil_setBalance",
                    serde_json::json!([who.sender(), U256::from(100u128 * WAD)]),
                )
                .await
            }
            Mode::Plain => {
                let have = who.balance().await.map_err(|e| anyhow!("{e}"))?;
                if have < self.actor_funds {
                    self.deployer
                        .send(
                            "fund actor",
                            TransactionRequest::default()
                                .with_to(who.sender())
                                .with_value(self.actor_funds - have),
                        )
                        .await
                        .map_err(|e| anyhow!("{e}"))?;
                }
                Ok(())
            }
        }
    }

    /// Waits until contracts see `unit` at `target` or later and `probe` (when given) simulates
    /// without reverting. A test node warps there; on a plain chain this polls, sending a tick
    /// whenever the chain has not moved since the last poll, printing progress, and gives up with
    /// one line after the timeout.
    async fn wait(
        &self,
        what: &str,
        unit: Unit,
        target: u64,
        probe: Option<Probe<'_>>,
    ) -> Result<()> {
        let started = Instant::now();
        let mut tries = 0;
        let mut last: Option<u64> = None;
        let mut why = String::new();
        let name = match unit {
            Unit::Block => "block",
            Unit::Second => "timestamp",
        };
        loop {
            let (block, time) = contract_clock(&self.deployer).await?;
            let now = match unit {
                Unit::Block => block,
                Unit::Second => time,
            };
            if now >= target {
                match &probe {
                    None => return Ok(()),
                    Some(p) => match p.from.call(what, p.to, p.data.clone()).await {
                        Ok(_) => return Ok(()),
                        Err(e) => why = format!(" (the step still reverts: {e})"),
                    },
                }
            }
            tries += 1;
            if self.mode == Mode::TestNode && tries > 20 {
                bail!(
                    "{what} did not pass after warping the test node to {name} {now} (target \
                     {target}){why}"
                );
            }
            if started.elapsed() > self.timeout {
                bail!(
                    "timed out after {} s waiting for {what}: {name} {now} of {target}{why}; use \
                     smaller delays in the config (see deploy/examples/testnet-demo.toml) or a \
                     longer --wait-timeout",
                    self.timeout.as_secs()
                );
            }
            match self.mode {
                Mode::TestNode => match unit {
                    Unit::Block => {
                        let n = target.saturating_sub(now).max(1);
                        self.test_method("anvil_mine", serde_json::json!([format!("{n:#x}")]))
                            .await?;
                    }
                    Unit::Second => {
                        let n = target.saturating_sub(now).max(1);
                        self.test_method("evm_increaseTime", serde_json::json!([n]))
                            .await?;
                        self.test_method("evm_mine", serde_json::json!([])).await?;
                    }
                },
                Mode::Plain => {
                    if last != Some(now) {
                        eprintln!("waiting for {what}: {name} {now} of {target}");
                    } else {
                        self.tick().await?;
                    }
                    last = Some(now);
                    tokio::time::sleep(self.poll).await;
                }
            }
        }
    }
}

/// Checks the deployer can pay for the whole story on a plain chain before anything is sent.
async fn require_funds_for_story(deployer: &Chain, actors: usize) -> Result<U256> {
    let price = U256::from(
        deployer
            .provider()
            .get_gas_price()
            .await
            .with_context(|| format!("read the gas price of {}", deployer.rpc_url()))?,
    );
    let actor_funds = price * U256::from(ACTOR_GAS);
    let deployment = price * U256::from(DEPLOY_GAS) + U256::from(DATA_FEES_WEI);
    let story = price * U256::from(DEPLOYER_STORY_GAS);
    let total = deployment + actor_funds * U256::from(actors) + story;
    let need = total + total / U256::from(5u8);
    let have = deployer.balance().await.map_err(|e| anyhow!("{e}"))?;
    if have < need {
        bail!(
            "underfunded key {}: it holds {} ETH on chain {}, the demo needs at least {} ETH \
             (deployment ≈ {} ETH with activation data fees, {actors} actors × {} ETH, the \
             deployer's own transactions ≈ {} ETH, at a gas price of {} wei, plus 20%); fund it first",
            deployer.sender(),
            eth(have),
            deployer.chain_id(),
            eth(need),
            eth(deployment),
            eth(actor_funds),
            eth(story),
            price
        );
    }
    Ok(actor_funds)
}

async fn send(
    c: &Chain,
    step: &str,
    to: Address,
    data: Vec<u8>,
) -> Result<ferrostake_deploy::chain::Sent> {
    c.send(
        step,
        TransactionRequest::default()
            .with_to(to)
            .with_input(Bytes::from(data)),
    )
    .await
    .map_err(|e| anyhow!("{e}"))
}

async fn call<C: SolCall>(c: &Chain, to: Address, call: C) -> Result<C::Return> {
    let out = c
        .call(&format!("read {}", C::SIGNATURE), to, call.abi_encode())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    C::abi_decode_returns(&out).with_context(|| format!("decode {}", C::SIGNATURE))
}

/// Runs the whole main job against a fresh embedded devnode.
/// The story runs twice, on fresh chains: with programs uncached (the report's checks and gas) and
/// with every program cached (the cached gas beside it).
pub fn run(artifacts: &Path) -> Result<Report> {
    let mut report = run_with(artifacts, false)?;
    report.cached_gas = run_with(artifacts, true)?.gas;
    Ok(report)
}

/// Runs the main job; with `cache_programs`, the chain owner first caches every deployed program
/// through ArbWasmCache (what a CacheManager bid buys on Arbitrum), so program entry costs the
/// cached price.
pub fn run_with(artifacts: &Path, cache_programs: bool) -> Result<Report> {
    let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0")?;
    let url = server.url();
    let deployments = std::env::temp_dir().join(format!("ferrostake-demo-{}", std::process::id()));
    let report = run_story(
        &Target::embedded(&url),
        &DeployConfig::default(),
        artifacts,
        &deployments,
        cache_programs,
    )
    .map(|mut r| {
        attach_floors(
            &mut r,
            &server.node.lock().unwrap_or_else(|e| e.into_inner()),
        );
        r
    });
    let _ = std::fs::remove_dir_all(&deployments);
    report
}

/// Finds each measured operation's transaction on the embedded devnode — the first later successful
/// transaction whose gasUsed is the one reported, in story order — and records its storage floor.
fn attach_floors(report: &mut Report, node: &Node) {
    let txs: Vec<_> = (0..=node.block_number())
        .filter_map(|n| node.block(n))
        .flat_map(|b| b.txs.iter())
        .filter_map(|h| node.transaction(*h))
        .collect();
    let mut next = 0;
    report.floors = report
        .gas
        .iter()
        .map(|(_, g)| {
            let i = next
                + txs[next..]
                    .iter()
                    .position(|t| t.status && t.gas_used == *g)?;
            next = i + 1;
            Some(crate::gas_profile::floor(txs[i]).total())
        })
        .collect();
}

/// Runs the same story on another endpoint (`ferrostake demo --rpc-url`): deploys the suite with
/// `config` (or reuses the deployment in `deployments`), then tells the story. When the endpoint
/// serves the test-node methods in [`REQUIRED_METHODS`] (the devnode, anvil-compatible nodes) they
/// fund the actors and skip the delays; otherwise (a testnet) the deployer's balance is checked
/// against the whole story's cost before anything is sent, the actors are funded by transfers,
/// every delay is waited out by polling (bounded by [`Target::wait_timeout`]) and every
/// transaction is signed by its sender.
pub fn run_remote(
    target: &Target,
    config: &DeployConfig,
    artifacts: &Path,
    deployments: &Path,
) -> Result<Report> {
    run_story(target, config, artifacts, deployments, false)
}

fn run_story(
    target: &Target,
    config: &DeployConfig,
    artifacts: &Path,
    deployments: &Path,
    cache_programs: bool,
) -> Result<Report> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let report = rt.block_on(story(
        target,
        config,
        artifacts,
        deployments,
        cache_programs,
    ))?;
    if !report.ok() {
        bail!("{report}\nthe demo's checks failed");
    }
    Ok(report)
}

/// One row of the gas table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GasRow {
    pub op: String,
    /// Every program entry pays its full init cost.
    pub uncached: u64,
    /// Every program cached through ArbWasmCache.
    pub cached: Option<u64>,
    /// EigenLayer's figure (shared/GAS_TARGETS.md).
    pub eigenlayer: Option<u64>,
    /// The storage floor ([`crate::gas_profile::floor`]).
    pub floor: Option<u64>,
}

/// The gas table as Markdown: uncached, cached, EigenLayer's figure, both ratios, the floor and
/// floor / EigenLayer ("—" where a figure is missing).
pub fn gas_table_markdown(rows: &[GasRow]) -> String {
    let mut s = String::from(
        "| operation | uncached | cached | EigenLayer | uncached / EL | cached / EL | floor | floor / EL |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let ratio = |g: Option<u64>| match (g, r.eigenlayer) {
            (Some(g), Some(e)) => format!("{:.2}", g as f64 / e as f64),
            _ => "—".into(),
        };
        let show = |g: Option<u64>| g.map_or("—".into(), |g| g.to_string());
        s += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.op,
            r.uncached,
            show(r.cached),
            r.eigenlayer.map_or_else(
                || no_eigenlayer_figure(&r.op).to_string(),
                |e| e.to_string()
            ),
            ratio(Some(r.uncached)),
            ratio(r.cached),
            show(r.floor),
            ratio(r.floor)
        );
    }
    s
}

/// Gas per operation with programs uncached and cached, beside EigenLayer's and the floor.
pub fn gas_table(artifacts: &Path) -> Result<Vec<GasRow>> {
    Ok(run(artifacts)?.gas_rows())
}

async fn story(
    target: &Target,
    config: &DeployConfig,
    artifacts: &Path,
    deployments: &Path,
    cache_programs: bool,
) -> Result<Report> {
    let url = target.rpc_url.as_str();
    let mut report = Report {
        rpc_url: url.to_string(),
        embedded: target.seed.is_empty(),
        ..Default::default()
    };
    let deployer = Chain::connect(url, &target.private_key, config.chain_id)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let missing = missing_test_method(&deployer).await?;
    report.test_methods = missing.is_none();
    let env = match missing {
        None => Env {
            deployer: deployer.clone(),
            mode: Mode::TestNode,
            poll: target.poll_interval,
            timeout: target.wait_timeout,
            actor_funds: U256::from(100u128 * WAD),
        },
        Some(why) => {
            eprintln!(
                "{url} serves no test methods ({why}): the deployer funds the actors by transfers \
                 and the demo waits the delays out"
            );
            let actor_funds = require_funds_for_story(&deployer, ACTORS.len()).await?;
            Env {
                deployer: deployer.clone(),
                mode: Mode::Plain,
                poll: target.poll_interval,
                timeout: target.wait_timeout,
                actor_funds,
            }
        }
    };
    let config = config.clone();
    let mut steps = Vec::new();
    let manifest = suite::deploy_suite(&deployer, &config, artifacts, deployments, &mut |p| {
        steps.push((p.step, p.detail, p.gas_used))
    })
    .await
    .map_err(|e| anyhow!("{e}"))?;
    report.deploy_steps = steps;
    report.manifest_path = Manifest::path(deployments, deployer.chain_id())
        .display()
        .to_string();
    if cache_programs {
        for p in manifest.programs.values() {
            let data =
                ferrostake_devnode::arbos::ArbWasmCache::cacheProgramCall { addr: p.address }
                    .abi_encode();
            send(
                &deployer,
                "cache program",
                ferrostake_devnode::arbos::ARB_WASM_CACHE,
                data,
            )
            .await?;
        }
    }

    // Re-running the deployment changes nothing (idempotence).
    let mut rerun_gas = 0;
    suite::deploy_suite(&deployer, &config, artifacts, deployments, &mut |p| {
        rerun_gas += p.gas_used
    })
    .await
    .map_err(|e| anyhow!("{e}"))?;
    report.check(
        "re-running the deployment spends no gas",
        rerun_gas,
        rerun_gas == 0,
    );

    let p = |n: &str| manifest.proxy(n).ok_or_else(|| anyhow!("no proxy {n}"));
    let (sm, dm, am) = (
        p(names::STRATEGY_MANAGER)?,
        p(names::DELEGATION_MANAGER)?,
        p(names::ALLOCATION_MANAGER)?,
    );
    let token = *manifest.addresses.get("test_erc20").context("test token")?;
    let strategy = p(&strategy_name("test_erc20"))?;

    // Actors, funded through the test node's cheat method or by transfers from the deployer.
    let mut actors = Vec::new();
    for n in &ACTORS[..4] {
        let a = actor(target, n).await?;
        env.fund(&a).await?;
        actors.push(a);
    }
    let [alice, bob, operator, avs] =
        <[Chain; 4]>::try_from(actors).map_err(|_| anyhow!("actors"))?;

    // Stakers get tokens and deposit.
    let (a_amount, b_amount, a_more) = (
        U256::from(1_000u128 * WAD),
        U256::from(400u128 * WAD),
        U256::from(200u128 * WAD),
    );
    for (who, amt) in [(&alice, a_amount + a_more), (&bob, b_amount)] {
        send(
            &deployer,
            "mint",
            token,
            Mintable::mintCall {
                to: who.sender(),
                amount: amt,
            }
            .abi_encode(),
        )
        .await?;
        send(
            who,
            "approve",
            token,
            IERC20::approveCall {
                spender: sm,
                value: amt,
            }
            .abi_encode(),
        )
        .await?;
    }
    let deposit = |amount| {
        IStrategyManager::depositIntoStrategyCall {
            strategy,
            token,
            amount,
        }
        .abi_encode()
    };
    let s = send(&alice, "alice deposits", sm, deposit(a_amount)).await?;
    report.gas(
        "depositIntoStrategy — first deposit into an empty strategy",
        s.gas_used,
    );
    let s = send(&bob, "bob deposits", sm, deposit(b_amount)).await?;
    report.gas(
        "depositIntoStrategy — second staker's first deposit",
        s.gas_used,
    );
    let shares_a = call(
        &alice,
        sm,
        IStrategyManager::stakerDepositSharesCall {
            staker: alice.sender(),
            strategy,
        },
    )
    .await?;
    // StrategyBase mints shares 1:1 with its virtual offsets while the exchange rate is 1.
    report.check(
        "alice's deposit shares = tokens deposited (1:1 rate)",
        shares_a,
        shares_a == a_amount,
    );

    // An operator registers; alice delegates.
    let s = send(
        &operator,
        "register operator",
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: Address::ZERO,
            allocationDelay: 0,
            metadataURI: "https://operator.example/metadata.json".into(),
        }
        .abi_encode(),
    )
    .await?;
    report.gas("registerAsOperator (no approver)", s.gas_used);
    let no_sig = SignatureWithExpiry {
        signature: Bytes::new(),
        expiry: U256::ZERO,
    };
    let s = send(
        &alice,
        "alice delegates",
        dm,
        IDelegationManager::delegateToCall {
            operator: operator.sender(),
            approverSignatureAndExpiry: no_sig.clone(),
            approverSalt: Default::default(),
        }
        .abi_encode(),
    )
    .await?;
    report.gas("delegateTo (1 strategy)", s.gas_used);
    let s = send(&alice, "alice deposits more", sm, deposit(a_more)).await?;
    report.gas(
        "depositIntoStrategy — repeat deposit, delegated staker",
        s.gas_used,
    );
    let a_total = a_amount + a_more;
    let op_shares = call(
        &alice,
        dm,
        IDelegationManager::operatorSharesCall {
            operator: operator.sender(),
            strategy,
        },
    )
    .await?;
    report.check(
        "operator shares = alice's deposits",
        op_shares,
        op_shares == a_total,
    );

    // The AVS creates an operator set; the operator registers and allocates half its magnitude.
    // The AVS's registrar: a minimal EVM contract that answers `supportsAVS` with true and accepts
    // every other call (registerOperator, deregisterOperator) with no return data.
    let sel = ferrostake_deploy::abi::IAVSRegistrar::supportsAVSCall::SELECTOR;
    let mut registrar_runtime = vec![0x60, 0x00, 0x35, 0x60, 0xe0, 0x1c, 0x63];
    registrar_runtime.extend_from_slice(&sel);
    registrar_runtime.extend_from_slice(&[
        0x14, 0x60, 0x10, 0x57, 0x00, 0x5b, 0x60, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00,
        0xf3,
    ]);
    let mut init = vec![
        0x60,
        registrar_runtime.len() as u8,
        0x80,
        0x60,
        0x0b,
        0x60,
        0x00,
        0x39,
        0x60,
        0x00,
        0xf3,
    ];
    init.extend_from_slice(&registrar_runtime);
    let registrar = avs
        .deploy_code("deploy AVS registrar", init)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .contract_address
        .context("registrar")?;
    send(
        &avs,
        "avs metadata",
        am,
        IAllocationManager::updateAVSMetadataURICall {
            avs: avs.sender(),
            metadataURI: "https://avs.example".into(),
        }
        .abi_encode(),
    )
    .await?;
    let s = send(
        &avs,
        "create operator set",
        am,
        IAllocationManager::createOperatorSets_0Call {
            avs: avs.sender(),
            params: vec![CreateSetParams {
                operatorSetId: 1,
                strategies: vec![strategy],
            }],
        }
        .abi_encode(),
    )
    .await?;
    report.gas("createOperatorSets (1 set, 1 strategy)", s.gas_used);
    send(
        &avs,
        "set registrar",
        am,
        IAllocationManager::setAVSRegistrarCall {
            avs: avs.sender(),
            registrar,
        }
        .abi_encode(),
    )
    .await?;
    let s = send(
        &operator,
        "register for set",
        am,
        IAllocationManager::registerForOperatorSetsCall {
            operator: operator.sender(),
            params: RegisterParams {
                avs: avs.sender(),
                operatorSetIds: vec![1],
                data: Bytes::new(),
            },
        }
        .abi_encode(),
    )
    .await?;
    report.gas("registerForOperatorSets (1 set)", s.gas_used);
    // Legacy AVS middleware registers the operator through the AVSDirectory with its signature.
    register_with_avs_directory(
        &mut report,
        target,
        &operator,
        &avs,
        p(names::AVS_DIRECTORY)?,
    )
    .await?;
    let set = OperatorSet {
        avs: avs.sender(),
        id: 1,
    };
    let half = WAD as u64 / 2;
    let s = send(
        &operator,
        "allocate",
        am,
        IAllocationManager::modifyAllocationsCall {
            operator: operator.sender(),
            params: vec![AllocateParams {
                operatorSet: set.clone(),
                strategies: vec![strategy],
                newMagnitudes: vec![half],
            }],
        }
        .abi_encode(),
    )
    .await?;
    report.gas("modifyAllocations (1 strategy)", s.gas_used);
    // The allocation takes effect after the operator's allocation delay (0 here, set at
    // registration): wait for its effect block.
    let allocation = call(
        &alice,
        am,
        IAllocationManager::getAllocationCall {
            operator: operator.sender(),
            operatorSet: set.clone(),
            strategy,
        },
    )
    .await?;
    env.wait(
        "the allocation delay",
        Unit::Block,
        allocation.effectBlock as u64,
        None,
    )
    .await?;

    // The AVS slashes 20% of the allocation: 10% of the operator's stake in the strategy.
    let wad_slash = U256::from(WAD / 5);
    let s = send(
        &avs,
        "slash",
        am,
        IAllocationManager::slashOperatorCall {
            avs: avs.sender(),
            params: SlashingParams {
                operator: operator.sender(),
                operatorSetId: 1,
                strategies: vec![strategy],
                wadsToSlash: vec![wad_slash],
                description: "demo: equivocation".into(),
            },
        }
        .abi_encode(),
    )
    .await?;
    report.gas("slashOperator — first slash, 1 strategy", s.gas_used);
    let max = call(
        &alice,
        am,
        IAllocationManager::getMaxMagnitudes_0Call {
            operator: operator.sender(),
            strategies: vec![strategy],
        },
    )
    .await?;
    let expected_max = WAD as u64 - half / 5;
    report.check(
        "operator max magnitude after the slash = 1 − 0.5·0.2",
        max[0],
        max.first() == Some(&expected_max),
    );
    let withdrawable = call(
        &alice,
        dm,
        IDelegationManager::getWithdrawableSharesCall {
            staker: alice.sender(),
            strategies: vec![strategy],
        },
    )
    .await?;
    let expected_w = a_total * U256::from(expected_max) / U256::from(WAD);
    let w = withdrawable
        .withdrawableShares
        .first()
        .copied()
        .unwrap_or_default();
    report.check(
        "alice's withdrawable shares = deposits · max magnitude",
        w,
        w == expected_w,
    );

    // Alice withdraws everything; after the delay she receives what slashing left.
    let (gas, queued) = queue_withdrawal(&alice, "queue withdrawal", dm, strategy, a_total).await?;
    report.gas("queueWithdrawals (1 strategy)", gas);
    report.check(
        "queued shares = withdrawable shares",
        queued.sharesToWithdraw[0],
        queued.sharesToWithdraw.first() == Some(&expected_w),
    );
    let due = queued.withdrawal.startBlock as u64
        + config.delegation.min_withdrawal_delay_blocks as u64
        + 1;
    // Completing early is refused (checked with eth_call: a refused send would still consume the
    // client's cached nonce).
    let early = alice
        .call(
            "complete too early",
            dm,
            IDelegationManager::completeQueuedWithdrawalCall {
                withdrawal: queued.withdrawal.clone(),
                tokens: vec![token],
                receiveAsTokens: true,
            }
            .abi_encode(),
        )
        .await;
    report.check(
        "completing before the delay reverts",
        early.is_err(),
        early.is_err(),
    );
    env.wait(
        "the withdrawal delay",
        Unit::Block,
        due,
        Some(Probe {
            from: &alice,
            to: dm,
            data: IDelegationManager::completeQueuedWithdrawalCall {
                withdrawal: queued.withdrawal.clone(),
                tokens: vec![token],
                receiveAsTokens: true,
            }
            .abi_encode(),
        }),
    )
    .await?;
    let before = call(
        &alice,
        token,
        IERC20::balanceOfCall {
            account: alice.sender(),
        },
    )
    .await?;
    let s = send(
        &alice,
        "complete withdrawal",
        dm,
        IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: queued.withdrawal,
            tokens: vec![token],
            receiveAsTokens: true,
        }
        .abi_encode(),
    )
    .await?;
    report.gas("completeQueuedWithdrawal — as tokens", s.gas_used);
    let after = call(
        &alice,
        token,
        IERC20::balanceOfCall {
            account: alice.sender(),
        },
    )
    .await?;
    report.check(
        "alice receives deposits · (1 − 10%) in tokens",
        after - before,
        after - before == expected_w,
    );

    // Bob delegates and undelegates (his shares are queued for withdrawal).
    send(
        &bob,
        "bob delegates",
        dm,
        IDelegationManager::delegateToCall {
            operator: operator.sender(),
            approverSignatureAndExpiry: no_sig,
            approverSalt: Default::default(),
        }
        .abi_encode(),
    )
    .await?;
    let s = send(
        &bob,
        "bob undelegates",
        dm,
        IDelegationManager::undelegateCall {
            staker: bob.sender(),
        }
        .abi_encode(),
    )
    .await?;
    report.gas("undelegate (1 strategy)", s.gas_used);
    let delegated = call(
        &bob,
        dm,
        IDelegationManager::isDelegatedCall {
            staker: bob.sender(),
        },
    )
    .await?;
    report.check("bob is no longer delegated", delegated, !delegated);

    rewards(
        &mut report,
        target,
        &env,
        &manifest,
        &config,
        &avs,
        &operator,
        strategy,
        token,
    )
    .await?;
    native(&mut report, &env, &manifest, &alice).await?;
    lrt(&mut report, &env, &manifest, &alice, &bob, &operator).await?;
    evm_token_chapter(&mut report, target, &env, &manifest, &config).await?;
    Ok(report)
}

/// The JSON-RPC transport of the LRT steps. Each transaction is first `eth_call`ed for its return
/// or revert data. On a test node (`signers` empty) senders are impersonated
/// (`anvil_impersonateAccount`) and the transaction is sent with `eth_sendTransaction`; on a plain
/// chain it is signed by its sender's key (one of `signers`), and one the simulation refuses is not
/// sent (a failed outcome, unmined).
struct RpcChain {
    provider: alloy::providers::DynProvider,
    signers: Vec<Chain>,
    handle: tokio::runtime::Handle,
}

impl RpcChain {
    fn block_on<T>(&self, f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        tokio::task::block_in_place(|| self.handle.block_on(f))
    }

    async fn send_signed(
        &self,
        from: Address,
        to: Address,
        data: Vec<u8>,
    ) -> Result<crate::suite::Outcome> {
        let c = self
            .signers
            .iter()
            .find(|c| c.sender() == from)
            .with_context(|| format!("no key for the LRT sender {from}"))?;
        let tx = TransactionRequest::default()
            .with_from(from)
            .with_to(to)
            .with_input(Bytes::from(data.clone()));
        let output = match self.provider.call(tx).await {
            Ok(out) => out,
            Err(e) => {
                let output = e
                    .as_error_resp()
                    .and_then(|r| r.as_revert_data())
                    .unwrap_or_default();
                return Ok(crate::suite::Outcome {
                    hash: Default::default(),
                    block: 0,
                    status: false,
                    output,
                    gas_used: 0,
                    logs: vec![],
                });
            }
        };
        let s = send(c, "LRT step", to, data).await?;
        Ok(crate::suite::Outcome {
            hash: s.tx_hash,
            block: s.receipt.block_number.unwrap_or_default(),
            status: s.receipt.status(),
            output,
            gas_used: s.gas_used,
            logs: s.receipt.logs().iter().map(|l| l.inner.clone()).collect(),
        })
    }
}

impl crate::lrt_flow::LrtChain for RpcChain {
    fn send_tx(&self, from: Address, to: Address, data: Vec<u8>) -> Result<crate::suite::Outcome> {
        if !self.signers.is_empty() {
            return self.block_on(self.send_signed(from, to, data));
        }
        self.block_on(async {
            let p = &self.provider;
            p.raw_request::<_, serde_json::Value>("anvil_impersonateAccount".into(), (from,))
                .await?;
            let tx = TransactionRequest::default()
                .with_from(from)
                .with_to(to)
                .with_input(Bytes::from(data.clone()))
                .with_gas_limit(30_000_000);
            let output = match p.call(tx).await {
                Ok(out) => out,
                Err(e) => e
                    .as_error_resp()
                    .and_then(|r| r.as_revert_data())
                    .unwrap_or_default(),
            };
            let hash: alloy::primitives::B256 = p
                .raw_request(
                    "eth_sendTransaction".into(),
                    (serde_json::json!({
                        "from": from,
                        "to": to,
                        "data": Bytes::from(data),
                        "gas": "0x1c9c380",
                    }),),
                )
                .await?;
            let receipt = p
                .get_transaction_receipt(hash)
                .await?
                .context("receipt of an automined transaction")?;
            Ok(crate::suite::Outcome {
                hash,
                block: receipt.block_number.unwrap_or_default(),
                status: receipt.status(),
                output,
                gas_used: receipt.gas_used,
                logs: receipt.logs().iter().map(|l| l.inner.clone()).collect(),
            })
        })
    }

    fn read(&self, to: Address, data: Vec<u8>) -> Result<Bytes> {
        self.block_on(async {
            let tx = TransactionRequest::default()
                .with_to(to)
                .with_input(Bytes::from(data));
            Ok(self.provider.call(tx).await?)
        })
    }
}

/// The LRT vault over the same deployment: two stakers deposit, the manager points the vault at
/// the story's operator and restakes most of the assets, one staker requests a redemption, the
/// keeper finalizes it and the staker claims. Without slashing or rewards the rate never moves, and
/// the claim pays exactly the value the request locked in (min(value at request, value at
/// finalization) with the second not lower).
async fn lrt(
    report: &mut Report,
    env: &Env,
    manifest: &Manifest,
    alice: &Chain,
    bob: &Chain,
    operator: &Chain,
) -> Result<()> {
    use crate::lrt_flow::Lrt;
    let deployer = &env.deployer;
    let vault = Lrt::from_manifest(manifest)?;
    let c = RpcChain {
        provider: deployer.provider().clone(),
        signers: match env.mode {
            Mode::TestNode => vec![],
            Mode::Plain => vec![deployer.clone(), alice.clone(), bob.clone()],
        },
        handle: tokio::runtime::Handle::current(),
    };
    let (a, b) = (alice.sender(), bob.sender());
    let (a_amount, b_amount) = (U256::from(100u128 * WAD), U256::from(60u128 * WAD));
    for (who, amount) in [(a, a_amount), (b, b_amount)] {
        send(
            deployer,
            "mint",
            vault.asset,
            Mintable::mintCall { to: who, amount }.abi_encode(),
        )
        .await?;
    }
    let (a_shares, g) = vault.deposit(&c, a, a_amount)?;
    report.gas("LRT deposit — first, no operator yet", g);
    // The vault refuses a redemption request in the block of the owner's last deposit (by
    // `block.number`, which on Arbitrum stays the same L1 block for several transactions).
    let (deposit_block, _) = contract_clock(deployer).await?;
    let manager = deployer.sender();
    let g = vault.set_operator_weights(&c, manager, vec![operator.sender()], vec![10_000])?;
    report.gas("LRT setOperatorWeights (1 operator)", g);
    let (nav_before, _) = vault.totals(&c)?;
    let g = vault.allocate(&c, manager, U256::from(60u128 * WAD))?;
    report.gas("LRT allocate (1 operator)", g);
    let (nav_after, _) = vault.totals(&c)?;
    report.check(
        "restaking 60 of 100 (one slashed operator, under the 70% exposure limit) costs at most rounding dust: 1 wei per 1e18 restaked + 2",
        format!("{nav_before} → {nav_after}"),
        nav_after <= nav_before && nav_before - nav_after <= U256::from(62u8),
    );
    let rate0 = vault.rate(&c)?;
    let (b_shares, g) = vault.deposit(&c, b, b_amount)?;
    report.gas("LRT deposit (restaked vault)", g);
    report.check(
        "both stakers hold vault shares",
        format!("{a_shares} / {b_shares}"),
        !a_shares.is_zero() && !b_shares.is_zero(),
    );
    let redeem = a_shares / U256::from(4u8);
    env.wait(
        "a block after alice's vault deposit",
        Unit::Block,
        deposit_block,
        Some(Probe {
            from: alice,
            to: vault.vault,
            data: ferrostake_deploy::abi::ILrtVault::requestRedeemCall {
                shares: redeem,
                controller: a,
                owner: a,
            }
            .abi_encode(),
        }),
    )
    .await?;
    let req = vault.request_redeem(&c, a, redeem)?;
    report.gas("LRT requestRedeem", req.gas);
    let g = vault.finalize(&c, manager, req.id)?;
    report.gas("LRT finalizeRequests (1 request)", g);
    let before = call(alice, vault.asset, IERC20::balanceOfCall { account: a }).await?;
    let (paid, g) = vault.claim(&c, a)?;
    report.gas("LRT redeem (claim)", g);
    let after = call(alice, vault.asset, IERC20::balanceOfCall { account: a }).await?;
    report.check(
        "the claim pays the value locked in at the request, and the tokens arrive",
        format!("{paid} (request {})", req.assets_at_request),
        paid == req.assets_at_request && after - before == paid,
    );
    let rate1 = vault.rate(&c)?;
    report.check(
        "after restaking, deposits, requests, finalization and claims never lower the rate",
        format!("{rate0} → {rate1}"),
        rate1 >= rate0,
    );
    Ok(())
}

/// The operator signs EigenLayer's `OperatorAVSRegistration` (digest computed here with alloy's
/// EIP-712 and checked against the directory's own) and the AVS registers it in the AVSDirectory.
async fn register_with_avs_directory(
    report: &mut Report,
    target: &Target,
    operator: &Chain,
    avs: &Chain,
    directory: Address,
) -> Result<()> {
    use alloy::signers::{local::PrivateKeySigner, SignerSync};
    use alloy::sol_types::SolStruct;
    use ferrostake_deploy::abi::{
        IAVSDirectory, OperatorAVSRegistrationStatus, SignatureWithSaltAndExpiry,
    };
    let signer: PrivateKeySigner = actor_key(&target.seed, "operator")
        .trim_start_matches("0x")
        .parse()
        .context("operator key")?;
    let salt = keccak256("ferrostake demo avs directory salt");
    let expiry = U256::from(latest_timestamp(avs).await? + 3_600);
    let domain = alloy::sol_types::eip712_domain! {
        name: "EigenLayer",
        version: "v1",
        chain_id: avs.chain_id(),
        verifying_contract: directory,
    };
    let digest = OperatorAVSRegistration {
        operator: operator.sender(),
        avs: avs.sender(),
        salt,
        expiry,
    }
    .eip712_signing_hash(&domain);
    let on_chain = call(
        avs,
        directory,
        IAVSDirectory::calculateOperatorAVSRegistrationDigestHashCall {
            operator: operator.sender(),
            avs: avs.sender(),
            salt,
            expiry,
        },
    )
    .await?;
    report.check(
        "AVSDirectory digest = EIP-712 OperatorAVSRegistration computed here",
        on_chain,
        on_chain == digest,
    );
    let signature = signer.sign_hash_sync(&digest)?;
    let s = send(
        avs,
        "register operator to AVS",
        directory,
        IAVSDirectory::registerOperatorToAVSCall {
            operator: operator.sender(),
            operatorSignature: SignatureWithSaltAndExpiry {
                signature: Bytes::from(signature.as_bytes().to_vec()),
                salt,
                expiry,
            },
        }
        .abi_encode(),
    )
    .await?;
    report.gas("registerOperatorToAVS (ECDSA signature)", s.gas_used);
    let status = call(
        avs,
        directory,
        IAVSDirectory::avsOperatorStatusCall {
            avs: avs.sender(),
            operator: operator.sender(),
        },
    )
    .await?;
    report.check(
        "the operator is registered to the AVS in the AVSDirectory",
        format!("{status:?}"),
        status == OperatorAVSRegistrationStatus::REGISTERED,
    );
    Ok(())
}

async fn latest_timestamp(c: &Chain) -> Result<u64> {
    Ok(c.provider()
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await?
        .context("latest block")?
        .header
        .timestamp)
}

/// Rewards: a new staker (carol) deposits and delegates; the AVS funds submissions in five tokens
/// for the past day; the harness's rewards calculator turns the on-chain stake picture (sampled
/// from the chain and held for the day) into cumulative earnings, the rewards tree into the root the
/// updater posts; after the activation delay every earner claims exactly its computed amount.
#[allow(clippy::too_many_arguments)]
async fn rewards(
    report: &mut Report,
    target: &Target,
    env: &Env,
    manifest: &Manifest,
    config: &DeployConfig,
    avs: &Chain,
    operator: &Chain,
    strategy: Address,
    token: Address,
) -> Result<()> {
    use crate::rewards_calc::{self, Kind, Snapshot, Submission};
    use ferrostake_deploy::abi::{IRewardsCoordinator, RewardsSubmission, StrategyAndMultiplier};
    let rc = manifest
        .proxy(names::REWARDS_COORDINATOR)
        .context("RewardsCoordinator")?;
    let sm = manifest
        .proxy(names::STRATEGY_MANAGER)
        .context("StrategyManager")?;
    let dm = manifest
        .proxy(names::DELEGATION_MANAGER)
        .context("DelegationManager")?;
    let am = manifest
        .proxy(names::ALLOCATION_MANAGER)
        .context("AllocationManager")?;

    let deployer = &env.deployer;
    // Carol stakes 500 with the operator.
    let carol = actor(target, "carol").await?;
    env.fund(&carol).await?;
    let stake = U256::from(500u128 * WAD);
    send(
        deployer,
        "mint",
        token,
        Mintable::mintCall {
            to: carol.sender(),
            amount: stake,
        }
        .abi_encode(),
    )
    .await?;
    send(
        &carol,
        "approve",
        token,
        IERC20::approveCall {
            spender: sm,
            value: stake,
        }
        .abi_encode(),
    )
    .await?;
    send(
        &carol,
        "carol deposits",
        sm,
        IStrategyManager::depositIntoStrategyCall {
            strategy,
            token,
            amount: stake,
        }
        .abi_encode(),
    )
    .await?;
    let no_sig = SignatureWithExpiry {
        signature: Bytes::new(),
        expiry: U256::ZERO,
    };
    let delegate = IDelegationManager::delegateToCall {
        operator: operator.sender(),
        approverSignatureAndExpiry: no_sig,
        approverSalt: Default::default(),
    };
    send(&carol, "carol delegates", dm, delegate.abi_encode()).await?;

    // Five reward tokens: the test token plus four more instances of the same (already active) program.
    let code = deployer.code_at(token).await.map_err(|e| anyhow!("{e}"))?;
    let mut tokens = vec![token];
    for _ in 0..4 {
        let init = ferrostake_devnode::stylus::program::deploy_init_code(&code);
        let t = avs
            .deploy_code("deploy reward token", init)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        tokens.push(t.contract_address.context("reward token")?);
    }
    // A retroactive range: the last whole calculation interval that has already ended.
    let interval = config.rewards.calculation_interval_seconds as u64;
    let (_, now) = contract_clock(deployer).await?;
    let start = (now / interval - 1) * interval;
    let oldest = now
        .saturating_sub(config.rewards.max_retroactive_length as u64)
        .max(config.rewards.genesis_rewards_timestamp as u64);
    if start < oldest {
        bail!(
            "the rewards range starting at {start} is before the oldest start the configuration \
             allows ({oldest}: rewards.genesis_rewards_timestamp and max_retroactive_length)"
        );
    }
    let mut submissions = Vec::new();
    let mut onchain = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let amount = U256::from((100 + 10 * i as u128) * WAD);
        send(
            deployer,
            "mint rewards",
            *t,
            Mintable::mintCall {
                to: avs.sender(),
                amount,
            }
            .abi_encode(),
        )
        .await?;
        send(
            avs,
            "approve rewards",
            *t,
            IERC20::approveCall {
                spender: rc,
                value: amount,
            }
            .abi_encode(),
        )
        .await?;
        onchain.push(RewardsSubmission {
            strategiesAndMultipliers: vec![StrategyAndMultiplier {
                strategy,
                multiplier: alloy::primitives::Uint::<96, 2>::from(WAD),
            }],
            token: *t,
            amount,
            startTimestamp: start as u32,
            duration: interval as u32,
        });
        submissions.push(Submission {
            kind: Kind::Avs { avs: avs.sender() },
            strategies: vec![(strategy, U256::from(WAD))],
            token: *t,
            amount,
            start,
            duration: interval,
        });
    }
    let s = send(
        avs,
        "rewards submission",
        rc,
        IRewardsCoordinator::createAVSRewardsSubmissionCall {
            rewardsSubmissions: onchain[..1].to_vec(),
        }
        .abi_encode(),
    )
    .await?;
    report.gas(
        "createAVSRewardsSubmission (1 strategy, 1 token)",
        s.gas_used,
    );
    send(
        avs,
        "rewards submissions",
        rc,
        IRewardsCoordinator::createAVSRewardsSubmissionCall {
            rewardsSubmissions: onchain[1..].to_vec(),
        }
        .abi_encode(),
    )
    .await?;
    let held = call(avs, tokens[4], IERC20::balanceOfCall { account: rc }).await?;
    report.check(
        "the RewardsCoordinator holds the submitted tokens",
        held,
        held == submissions[4].amount,
    );

    // The stake picture, read from the chain.
    let mut snap = Snapshot {
        default_split_bips: config.rewards.default_operator_split_bips,
        ..Default::default()
    };
    for staker in [carol.sender()] {
        let op = call(&carol, dm, IDelegationManager::delegatedToCall { staker }).await?;
        let w = call(
            &carol,
            dm,
            IDelegationManager::getWithdrawableSharesCall {
                staker,
                strategies: vec![strategy],
            },
        )
        .await?;
        snap.stakers.insert(
            staker,
            (
                op,
                std::collections::BTreeMap::from([(strategy, w.withdrawableShares[0])]),
            ),
        );
    }
    let set = OperatorSet {
        avs: avs.sender(),
        id: 1,
    };
    let member = call(
        &carol,
        am,
        IAllocationManager::isMemberOfOperatorSetCall {
            operator: operator.sender(),
            operatorSet: set,
        },
    )
    .await?;
    if member {
        snap.registrations
            .insert(avs.sender(), vec![operator.sender()]);
    }
    report.check(
        "the operator is registered to the AVS's set",
        member,
        member,
    );
    let earnings = rewards_calc::calculate(&submissions, start + interval, |_| snap.clone());
    let dist = crate::rewards_tree::Distribution::new(&earnings);
    // A root may only cover a range that has ended before its block.
    env.wait(
        "the end of the rewards range",
        Unit::Second,
        start + interval + 1,
        None,
    )
    .await?;
    let s = send(
        deployer,
        "submit root",
        rc,
        IRewardsCoordinator::submitRootCall {
            root: dist.root(),
            rewardsCalculationEndTimestamp: (start + interval) as u32,
        }
        .abi_encode(),
    )
    .await?;
    report.gas("submitRoot", s.gas_used);
    let roots = call(
        deployer,
        rc,
        IRewardsCoordinator::getDistributionRootsLengthCall {},
    )
    .await?;
    let root_index = roots.saturating_to::<u32>().saturating_sub(1);
    let posted = call(
        deployer,
        rc,
        IRewardsCoordinator::getDistributionRootAtIndexCall {
            index: U256::from(root_index),
        },
    )
    .await?;
    // Claims the earner's token leaves `from..` (all of them, or all but the first `from`) — or only
    // the first with `only_first`.
    let claim_part = |earner: Address, only_first: bool, from: usize| -> Result<Vec<u8>> {
        let c = dist.claim(earner).context("earner in the distribution")?;
        let n = if only_first { 1 } else { c.tokens.len() };
        let claim = crate::rewards_tree::EarnerClaim {
            tokens: c.tokens[from.min(n)..n].to_vec(),
            ..c
        }
        .to_abi(root_index);
        Ok(IRewardsCoordinator::processClaimCall {
            claim,
            recipient: earner,
        }
        .abi_encode())
    };
    let claim_of = |earner: Address, only_first: bool| claim_part(earner, only_first, 0);
    let early = carol
        .call(
            "claim before activation",
            rc,
            claim_of(carol.sender(), false)?,
        )
        .await;
    report.check(
        "claiming before the root activates reverts",
        early.is_err(),
        early.is_err(),
    );
    env.wait(
        "the rewards activation delay",
        Unit::Second,
        posted.activatedAt as u64,
        Some(Probe {
            from: &carol,
            to: rc,
            data: claim_of(carol.sender(), false)?,
        }),
    )
    .await?;

    let balances = |who: Address| {
        let tokens = tokens.clone();
        let c = carol.clone();
        async move {
            let mut out = Vec::new();
            for t in tokens {
                out.push(call(&c, t, IERC20::balanceOfCall { account: who }).await?);
            }
            anyhow::Ok(out)
        }
    };
    let s = send(
        operator,
        "operator claims one token",
        rc,
        claim_of(operator.sender(), true)?,
    )
    .await?;
    report.gas("processClaim — 1 token", s.gas_used);
    let before = balances(carol.sender()).await?;
    let s = send(
        &carol,
        "carol claims five tokens",
        rc,
        claim_of(carol.sender(), false)?,
    )
    .await?;
    report.gas("processClaim — 5 tokens", s.gas_used);
    let after = balances(carol.sender()).await?;
    let mut exact = true;
    for (i, t) in tokens.iter().enumerate() {
        let want = earnings
            .get(&carol.sender())
            .and_then(|m| m.get(t))
            .copied()
            .unwrap_or_default();
        exact &= after[i] - before[i] == want && !want.is_zero();
    }
    report.check(
        "carol receives exactly her computed earnings in each of 5 tokens",
        exact,
        exact,
    );
    // Claiming the first token again is refused (its cumulative amount is already claimed).
    let again = operator
        .call(
            "claim a token twice",
            rc,
            claim_of(operator.sender(), true)?,
        )
        .await;
    report.check(
        "a token already claimed in full cannot be claimed again",
        again.is_err(),
        again.is_err(),
    );
    send(
        operator,
        "operator claims the rest",
        rc,
        claim_part(operator.sender(), false, 1)?,
    )
    .await?;
    let op = balances(operator.sender()).await?;
    let op_ok = tokens.iter().enumerate().all(|(i, t)| {
        earnings
            .get(&operator.sender())
            .and_then(|m| m.get(t))
            .copied()
            == Some(op[i])
    });
    report.check(
        "the operator receives exactly its split in each token",
        op_ok,
        op_ok,
    );
    let again = carol
        .call("claim twice", rc, claim_of(carol.sender(), false)?)
        .await;
    report.check(
        "a root pays each earner once",
        again.is_err(),
        again.is_err(),
    );
    let totals = rewards_calc::totals_by_token(&earnings);
    let mut within = true;
    for (i, t) in tokens.iter().enumerate() {
        let left = call(&carol, *t, IERC20::balanceOfCall { account: rc }).await?;
        let paid = totals.get(t).copied().unwrap_or_default();
        within &= paid <= submissions[i].amount && left == submissions[i].amount - paid;
    }
    report.check(
        "claimed never exceeds submitted; the coordinator keeps only the dust",
        within,
        within,
    );
    Ok(())
}

/// The step name of the empty checkpoint's gas row.
const EMPTY_CHECKPOINT: &str = "EigenPod.startCheckpoint (0 validators, finalizes at once)";

/// Where the native chapter's beacon roots go, and the latest timestamp it has posted one for (or
/// started a checkpoint at).
struct Roots<'a> {
    env: &'a Env,
    oracle: Address,
    posted_until: u64,
}

impl Roots<'_> {
    async fn post(&mut self, t: u64, root: alloy::primitives::B256) -> Result<()> {
        use ferrostake_deploy::abi::IBeaconRootOracle;
        send(
            &self.env.deployer,
            "post beacon root",
            self.oracle,
            IBeaconRootOracle::postRootCall { timestamp: t, root }.abi_encode(),
        )
        .await?;
        self.posted_until = self.posted_until.max(t);
        Ok(())
    }

    /// Posts `root` for a timestamp the chain has reached and after every root posted so far,
    /// as a relayer does (the oracle refuses roots from the future). A test node moves its next
    /// block to one slot after the latest and posts in it; a plain chain waits until its time
    /// passes the last posted timestamp and posts for the time contracts see now. Returns the
    /// timestamp posted.
    async fn post_current(&mut self, root: alloy::primitives::B256) -> Result<u64> {
        let env = self.env;
        let t = match env.mode {
            Mode::TestNode => {
                let t = latest_timestamp(&env.deployer)
                    .await?
                    .max(self.posted_until)
                    + 12;
                env.test_method("evm_setNextBlockTimestamp", serde_json::json!([t]))
                    .await?;
                t
            }
            Mode::Plain => {
                env.wait(
                    "a timestamp after the last posted beacon root",
                    Unit::Second,
                    self.posted_until + 1,
                    None,
                )
                .await?;
                contract_clock(&env.deployer).await?.1
            }
        };
        self.post(t, root).await?;
        Ok(t)
    }

    /// Starts a checkpoint of `pod` (from its owner) reading `root`: the pod reads the oracle's
    /// newest root at or before its block's timestamp, within the oracle's freshness bound, so the
    /// root posted just before serves on any chain. Returns the transaction and its block's
    /// timestamp (the checkpoint's).
    async fn start_checkpoint(
        &mut self,
        owner: &Chain,
        pod: Address,
        root: alloy::primitives::B256,
    ) -> Result<(ferrostake_deploy::chain::Sent, u64)> {
        use ferrostake_deploy::abi::IEigenPod;
        self.post_current(root).await?;
        let data = IEigenPod::startCheckpointCall {
            revertIfNoBalance: false,
        }
        .abi_encode();
        let s = send(owner, "start checkpoint", pod, data).await?;
        let number = s.receipt.block_number.context("receipt block")?;
        let t = owner
            .provider()
            .get_block_by_number(number.into())
            .await?
            .context("checkpoint block")?
            .header
            .timestamp;
        // Later proofs name timestamps after the checkpoint's.
        self.posted_until = self.posted_until.max(t);
        Ok((s, t))
    }
}

/// Native restaking: a pod is created (CREATE2 proxy behind the beacon) and checkpoints against a
/// beacon root posted to the oracle.
async fn native(report: &mut Report, env: &Env, manifest: &Manifest, alice: &Chain) -> Result<()> {
    use ferrostake_deploy::abi::{IBeaconRootOracle, IEigenPod, IEigenPodManager};
    let deployer = &env.deployer;
    let epm = manifest
        .proxy(names::EIGEN_POD_MANAGER)
        .context("EigenPodManager")?;
    let oracle = manifest
        .proxy(names::BEACON_ROOT_ORACLE)
        .context("BeaconRootOracle")?;
    // The deployer posts the roots: the configured updater, or granted by the oracle's owner.
    let updater = call(
        deployer,
        oracle,
        IBeaconRootOracle::isUpdaterCall {
            updater: deployer.sender(),
        },
    )
    .await?;
    if !updater {
        send(
            deployer,
            "allow the deployer to post beacon roots",
            oracle,
            IBeaconRootOracle::setUpdaterCall {
                updater: deployer.sender(),
                allowed: true,
            }
            .abi_encode(),
        )
        .await
        .context("the deployer is neither the beacon-root updater nor the oracle's owner")?;
    }
    let s = send(
        alice,
        "create pod",
        epm,
        IEigenPodManager::createPodCall {}.abi_encode(),
    )
    .await?;
    report.gas("createPod", s.gas_used);
    let pod = call(
        alice,
        epm,
        IEigenPodManager::getPodCall {
            podOwner: alice.sender(),
        },
    )
    .await?;
    let code = alice.code_at(pod).await.map_err(|e| anyhow!("{e}"))?;
    report.check(
        "the pod is deployed at its CREATE2 address",
        pod,
        !code.is_empty(),
    );
    let owner = call(alice, pod, IEigenPod::podOwnerCall {}).await?;
    report.check(
        "the pod (beacon proxy → pod program) knows its owner",
        owner,
        owner == alice.sender(),
    );

    let mut roots = Roots {
        env,
        oracle,
        posted_until: 0,
    };
    // A checkpoint with no validators finalizes at once; it reads the newest beacon root posted.
    let (s, t) = roots
        .start_checkpoint(alice, pod, keccak256("demo beacon root"))
        .await?;
    report.gas(EMPTY_CHECKPOINT, s.gas_used);
    let last = call(alice, pod, IEigenPod::lastCheckpointTimestampCall {}).await?;
    report.check(
        "the empty checkpoint finalized at its block's timestamp",
        last,
        last == t,
    );

    // Proofs. The Pectra fork timestamp picks the proof layout; the story's proofs are Electra
    // proofs at current timestamps, so a fork timestamp the deployment set (always in the past)
    // serves. Unset, the owner appoints itself setter and sets it to 1 (Electra after genesis).
    let fork = call(deployer, epm, IEigenPodManager::pectraForkTimestampCall {}).await?;
    if fork == 0 {
        send(
            deployer,
            "set proof timestamp setter",
            epm,
            IEigenPodManager::setProofTimestampSetterCall {
                newProofTimestampSetter: deployer.sender(),
            }
            .abi_encode(),
        )
        .await?;
        send(
            deployer,
            "set Pectra fork timestamp",
            epm,
            IEigenPodManager::setPectraForkTimestampCall { timestamp: 1 }.abi_encode(),
        )
        .await?;
    }
    // A beacon state (real SSZ) with another staker's validator and one of alice's pod.
    use crate::beacon::{eth1_withdrawal_credentials, BeaconChain, Fork};
    use crate::pod_flow::{checkpoint_call, credentials_call, pubkey};
    const GWEI_PER_ETH: u64 = 1_000_000_000;
    let mut chain = BeaconChain::new(Fork::Electra, 1_606_824_023, 11_000_000);
    chain.add_validator(
        pubkey(9, 0),
        eth1_withdrawal_credentials(Address::repeat_byte(0x42)),
        32 * GWEI_PER_ETH,
    );
    let v = chain.add_validator(
        pubkey(1, 0),
        eth1_withdrawal_credentials(pod),
        32 * GWEI_PER_ETH,
    );
    let shares = || {
        call(
            alice,
            epm,
            IEigenPodManager::podOwnerDepositSharesCall {
                podOwner: alice.sender(),
            },
        )
    };
    let before = shares().await?;
    // The credentials proof names its beacon timestamp: after the pod's last checkpoint (the
    // posted roots' timestamps only grow), not in the future, and one no root has been posted for.
    let t1 = roots.post_current(chain.block_root()).await?;
    let s = send(
        alice,
        "verify withdrawal credentials",
        pod,
        credentials_call(&chain, t1, &[v]).abi_encode(),
    )
    .await?;
    report.gas("verifyWithdrawalCredentials (1 validator)", s.gas_used);
    let after = shares().await?;
    let credited = alloy::primitives::I256::try_from(32u128 * WAD)?;
    report.check(
        "verified credentials credit the validator's effective balance (32 ETH) as shares",
        after,
        after - before == credited,
    );
    // The validator earns 0.25 ETH on the beacon chain; a checkpoint proves its balance.
    chain.advance(10);
    chain.set_balance(v, 32 * GWEI_PER_ETH + GWEI_PER_ETH / 4);
    let proven = "verifyCheckpointProofs (1 proof, finalizes)";
    roots
        .start_checkpoint(alice, pod, chain.block_root())
        .await?;
    let s = send(
        alice,
        "verify checkpoint proofs",
        pod,
        checkpoint_call(&chain, &[v]).abi_encode(),
    )
    .await?;
    report.gas(proven, s.gas_used);
    let rewarded = shares().await?;
    let reward = alloy::primitives::I256::try_from(WAD / 4)?;
    report.check(
        "the checkpoint credits the proven beacon-chain reward (0.25 ETH)",
        rewarded,
        rewarded - after == reward,
    );
    Ok(())
}

/// The suffix of the rows measured with the EVM ERC-20 test token ([`crate::evm_token`]).
pub const EVM_TOKEN_SUFFIX: &str = " (EVM token)";

/// `who` queues a withdrawal of `shares` of one strategy to itself; returns the gas used and the
/// `SlashingWithdrawalQueued` event.
async fn queue_withdrawal(
    who: &Chain,
    label: &str,
    dm: Address,
    strategy: Address,
    shares: U256,
) -> Result<(u64, IDelegationManager::SlashingWithdrawalQueued)> {
    let s = send(
        who,
        label,
        dm,
        IDelegationManager::queueWithdrawalsCall {
            params: vec![QueuedWithdrawalParams {
                strategies: vec![strategy],
                depositShares: vec![shares],
                __deprecated_withdrawer: who.sender(),
            }],
        }
        .abi_encode(),
    )
    .await?;
    let queued = s
        .receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| {
            IDelegationManager::SlashingWithdrawalQueued::decode_log_data(&l.inner.data).ok()
        })
        .context("SlashingWithdrawalQueued event")?;
    Ok((s.gas_used, queued))
}

/// The EVM-token chapter: EigenLayer's figures use an EVM ERC-20, so the operations whose gas
/// includes the token (deposits, a withdrawal completed as tokens, a claim) run again with the
/// Solidity test token: dave deposits into a fresh factory strategy, deposits again, withdraws half
/// as tokens after the delay, and claims a reward in it from a new root.
async fn evm_token_chapter(
    report: &mut Report,
    target: &Target,
    env: &Env,
    manifest: &Manifest,
    config: &DeployConfig,
) -> Result<()> {
    use ferrostake_deploy::abi::{IRewardsCoordinator, IStrategyFactory};
    let p = |n: &str| manifest.proxy(n).ok_or_else(|| anyhow!("no proxy {n}"));
    let (sm, dm, rc, factory) = (
        p(names::STRATEGY_MANAGER)?,
        p(names::DELEGATION_MANAGER)?,
        p(names::REWARDS_COORDINATOR)?,
        p(names::STRATEGY_FACTORY)?,
    );
    // On a test node the LRT chapter sends the deployer's transactions through the node's
    // unlocked account, past `env.deployer`'s nonce cache: reconnect to read the nonce afresh. On
    // a plain chain every transaction went through `env.deployer`, whose cache is right.
    let reconnected;
    let deployer = match env.mode {
        Mode::TestNode => {
            reconnected = Chain::connect(&target.rpc_url, &target.private_key, config.chain_id)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            &reconnected
        }
        Mode::Plain => &env.deployer,
    };
    let dave = actor(target, "dave").await?;
    env.fund(&dave).await?;
    let token = crate::evm_token::deploy(deployer, "EVM Test", "EVMT").await?;
    send(
        deployer,
        "strategy for the EVM token",
        factory,
        IStrategyFactory::deployNewStrategyCall { token }.abi_encode(),
    )
    .await?;
    let strategy = call(
        deployer,
        factory,
        IStrategyFactory::deployedStrategiesCall { token },
    )
    .await?;
    let (first, more) = (U256::from(60u128 * WAD), U256::from(20u128 * WAD));
    send(
        deployer,
        "mint EVM tokens",
        token,
        Mintable::mintCall {
            to: dave.sender(),
            amount: first + more,
        }
        .abi_encode(),
    )
    .await?;
    send(
        &dave,
        "approve",
        token,
        IERC20::approveCall {
            spender: sm,
            value: first + more,
        }
        .abi_encode(),
    )
    .await?;
    let deposit = |amount| {
        IStrategyManager::depositIntoStrategyCall {
            strategy,
            token,
            amount,
        }
        .abi_encode()
    };
    let s = send(&dave, "dave deposits EVM tokens", sm, deposit(first)).await?;
    report.gas(
        &format!("depositIntoStrategy — first deposit into an empty strategy{EVM_TOKEN_SUFFIX}"),
        s.gas_used,
    );
    let s = send(&dave, "dave deposits again", sm, deposit(more)).await?;
    report.gas(
        &format!("depositIntoStrategy — repeat deposit, same staker{EVM_TOKEN_SUFFIX}"),
        s.gas_used,
    );
    let shares = call(
        &dave,
        sm,
        IStrategyManager::stakerDepositSharesCall {
            staker: dave.sender(),
            strategy,
        },
    )
    .await?;
    // A fresh strategy at its initial exchange rate mints one share per token.
    report.check(
        "dave's EVM-token shares = his deposits",
        shares,
        shares == first + more,
    );

    // Half is withdrawn as tokens after the delay.
    let half = shares / U256::from(2u8);
    let (_, queued) =
        queue_withdrawal(&dave, "dave queues a withdrawal", dm, strategy, half).await?;
    let complete = IDelegationManager::completeQueuedWithdrawalCall {
        withdrawal: queued.withdrawal.clone(),
        tokens: vec![token],
        receiveAsTokens: true,
    }
    .abi_encode();
    env.wait(
        "the withdrawal delay",
        Unit::Block,
        queued.withdrawal.startBlock as u64
            + config.delegation.min_withdrawal_delay_blocks as u64
            + 1,
        Some(Probe {
            from: &dave,
            to: dm,
            data: complete.clone(),
        }),
    )
    .await?;
    let balance = |who: Address| call(deployer, token, IERC20::balanceOfCall { account: who });
    let before = balance(dave.sender()).await?;
    let s = send(&dave, "dave completes as tokens", dm, complete).await?;
    report.gas(
        &format!("completeQueuedWithdrawal — as tokens{EVM_TOKEN_SUFFIX}"),
        s.gas_used,
    );
    let got = balance(dave.sender()).await? - before;
    report.check(
        "dave receives the withdrawn half in EVM tokens",
        got,
        got == half,
    );

    // A reward in the EVM token, paid from a new root: the RewardsCoordinator is funded with the
    // tokens directly (what a submission would escrow). The root's range ends after the previous
    // root's and before now.
    let reward = U256::from(10u128 * WAD);
    let earned = U256::from(4u128 * WAD);
    let dist = crate::rewards_tree::Distribution::new(&std::collections::BTreeMap::from([
        (
            dave.sender(),
            std::collections::BTreeMap::from([(token, earned)]),
        ),
        (
            deployer.sender(),
            std::collections::BTreeMap::from([(token, reward - earned)]),
        ),
    ]));
    send(
        deployer,
        "mint EVM rewards",
        token,
        Mintable::mintCall {
            to: rc,
            amount: reward,
        }
        .abi_encode(),
    )
    .await?;
    let last_end = call(
        deployer,
        rc,
        IRewardsCoordinator::currRewardsCalculationEndTimestampCall {},
    )
    .await? as u64;
    env.wait(
        "a second after the last root's range",
        Unit::Second,
        last_end + 2,
        None,
    )
    .await?;
    let (_, now) = contract_clock(deployer).await?;
    send(
        deployer,
        "submit the EVM-token root",
        rc,
        IRewardsCoordinator::submitRootCall {
            root: dist.root(),
            rewardsCalculationEndTimestamp: (now - 1) as u32,
        }
        .abi_encode(),
    )
    .await?;
    let index = call(
        deployer,
        rc,
        IRewardsCoordinator::getDistributionRootsLengthCall {},
    )
    .await?
    .saturating_to::<u32>()
    .saturating_sub(1);
    let posted = call(
        deployer,
        rc,
        IRewardsCoordinator::getDistributionRootAtIndexCall {
            index: U256::from(index),
        },
    )
    .await?;
    let claim = IRewardsCoordinator::processClaimCall {
        claim: dist
            .claim(dave.sender())
            .context("dave in the distribution")?
            .to_abi(index),
        recipient: dave.sender(),
    }
    .abi_encode();
    env.wait(
        "the rewards activation delay",
        Unit::Second,
        posted.activatedAt as u64,
        Some(Probe {
            from: &dave,
            to: rc,
            data: claim.clone(),
        }),
    )
    .await?;
    let before = balance(dave.sender()).await?;
    let s = send(&dave, "dave claims EVM tokens", rc, claim).await?;
    report.gas(
        &format!("processClaim — 1 token{EVM_TOKEN_SUFFIX}"),
        s.gas_used,
    );
    let got = balance(dave.sender()).await? - before;
    report.check(
        "dave receives exactly his EVM-token earnings",
        got,
        got == earned,
    );
    Ok(())
}
