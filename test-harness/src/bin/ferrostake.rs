//! `ferrostake`: the devnode as a server, the main job (`demo`), and the benchmark tables.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ferrostake_devnode::node::{Node, CHAIN_ID, DEV_ADDRESS, DEV_KEY};

#[derive(Parser, Debug)]
#[command(
    name = "ferrostake",
    version,
    about = "Ferrostake devnode, demo, inspection and benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve a Stylus-capable local chain over JSON-RPC (chain id 412346, nitro-devnode's dev account).
    Devnode {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8547")]
        listen: String,
        /// Answer the anvil_*/evm_*/hardhat_* test methods with "method not found", as a real
        /// chain does (e.g. to try `demo --rpc-url` as it runs on a testnet).
        #[arg(long)]
        no_test_methods: bool,
    },
    /// The main job: deploy the suite to an embedded devnode and run a restaking scenario.
    Demo {
        /// Directory with the built programs.
        #[arg(long, default_value = "artifacts/wasm")]
        artifacts: PathBuf,
        /// Run the story on this endpoint instead of an embedded devnode. On a node with the
        /// anvil/evm test methods (e.g. `ferrostake devnode`) actors are funded and delays skipped
        /// through them; on any other chain (a testnet) the deployer funds the actors by transfers
        /// and the demo waits the delays out (use small delays in --config, see
        /// deploy/examples/testnet-demo.toml).
        #[arg(long, env = "RPC_URL")]
        rpc_url: Option<String>,
        /// The deployer's key for --rpc-url (defaults to the devnode's public dev key).
        #[arg(long, env = "PRIVATE_KEY", hide_env_values = true)]
        private_key: Option<String>,
        /// Deployment configuration (TOML) for --rpc-url.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Where the deployment manifest is written for --rpc-url.
        #[arg(long, default_value = "deployments")]
        deployments: PathBuf,
        /// On a chain without test methods: the longest wait for one delay, in seconds.
        #[arg(long, default_value_t = 1800)]
        wait_timeout: u64,
    },
    /// Read-only report on a staker, operator, AVS or LRT vault of a deployment: what is at stake,
    /// for whom (tables; --json for machines).
    Inspect {
        /// staker, operator, avs or vault.
        #[arg(value_parser = ["staker", "operator", "avs", "vault"])]
        kind: String,
        /// The address to inspect.
        address: String,
        /// `avs` only: one operator set.
        #[arg(long)]
        set: Option<u32>,
        /// The endpoint to read.
        #[arg(long, env = "RPC_URL", default_value = "http://127.0.0.1:8547")]
        rpc_url: String,
        /// The deployment manifest (default: <deployments>/<chain-id>.json).
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// Where the manifests are.
        #[arg(long, default_value = "deployments")]
        deployments: PathBuf,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Print the benchmark tables (devnode throughput, gas per operation).
    Bench {
        /// Directory with the built programs.
        #[arg(long, default_value = "artifacts/wasm")]
        artifacts: PathBuf,
        /// Transactions per throughput measurement.
        #[arg(long, default_value_t = 500)]
        txs: usize,
        /// Print only the devnode throughput table (cold start, transfers per second in-process
        /// and over JSON-RPC) and skip the gas tables, which deploy the whole suite several times.
        #[arg(long)]
        throughput_only: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Devnode {
            listen,
            no_test_methods,
        } => devnode(&listen, !no_test_methods),
        Command::Demo {
            artifacts,
            rpc_url: None,
            ..
        } => ferrostake_harness::demo::run(&artifacts).map(|report| println!("{report}")),
        Command::Demo {
            artifacts,
            rpc_url: Some(url),
            private_key,
            config,
            deployments,
            wait_timeout,
        } => demo_remote(
            &url,
            private_key,
            config,
            &artifacts,
            &deployments,
            wait_timeout,
        ),
        Command::Inspect {
            kind,
            address,
            set,
            rpc_url,
            manifest,
            deployments,
            json,
        } => inspect(&kind, &address, set, rpc_url, manifest, deployments, json),
        Command::Bench {
            artifacts,
            txs,
            throughput_only,
        } => bench(&artifacts, txs, throughput_only),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn demo_remote(
    url: &str,
    private_key: Option<String>,
    config: Option<PathBuf>,
    artifacts: &std::path::Path,
    deployments: &std::path::Path,
    wait_timeout: u64,
) -> anyhow::Result<()> {
    let config = match config {
        Some(path) => ferrostake_deploy::config::DeployConfig::load(&path)?,
        None => ferrostake_deploy::config::DeployConfig::default(),
    };
    let key = private_key.unwrap_or_else(|| DEV_KEY.to_string());
    let target = ferrostake_harness::demo::Target::remote(url, &key).with_waits(
        std::time::Duration::from_secs(2),
        std::time::Duration::from_secs(wait_timeout),
    );
    let report = ferrostake_harness::demo::run_remote(&target, &config, artifacts, deployments)?;
    println!("{report}");
    Ok(())
}

fn inspect(
    kind: &str,
    address: &str,
    set: Option<u32>,
    rpc_url: String,
    manifest: Option<PathBuf>,
    deployments: PathBuf,
    json: bool,
) -> anyhow::Result<()> {
    use ferrostake_harness::inspect::{inspect, Query, Source};
    let query = Query::parse(kind, address, set)?;
    let source = Source {
        rpc_url,
        manifest,
        deployments,
        progress: true,
    };
    let report = inspect(&source, &query)?;
    if json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}

fn devnode(listen: &str, test_methods: bool) -> anyhow::Result<()> {
    let options = ferrostake_devnode::rpc::Options { test_methods };
    let server = ferrostake_devnode::rpc::spawn_with(Node::new(), listen, options)?;
    println!("ferrostake devnode listening on {}", server.url());
    if !test_methods {
        println!("test methods off: anvil_*, evm_* and hardhat_* answer \"method not found\"");
    }
    println!("chain id     {CHAIN_ID}");
    println!("dev account  {DEV_ADDRESS}");
    println!("dev key      0x{DEV_KEY} (public test key: never use it on a real chain)");
    loop {
        std::thread::park();
    }
}

fn bench(artifacts: &std::path::Path, txs: usize, throughput_only: bool) -> anyhow::Result<()> {
    let erc20 = std::fs::read(artifacts.join("ferrostake_test_erc20.wasm")).map_err(|e| {
        anyhow::anyhow!("{}: {e} (run scripts/build-contracts)", artifacts.display())
    })?;
    let rows = ferrostake_harness::devbench::run(&erc20, txs)?;
    println!("\n## Devnode throughput ({txs} transactions per measurement)\n");
    println!("| measurement | value |\n|---|---|");
    for r in rows {
        println!("| {} | {} |", r.what, r.value);
    }
    if throughput_only {
        return Ok(());
    }
    let gas = ferrostake_harness::demo::gas_table(artifacts)?;
    println!("\n## Gas per operation (receipt gasUsed on the devnode, Nitro pricing)\n");
    println!(
        "Uncached: every program pays the full entry (init) cost. Cached: programs cached through"
    );
    println!(
        "ArbWasmCache, as a CacheManager bid does on Arbitrum. EigenLayer: shared/GAS_TARGETS.md"
    );
    println!("(targets: cached at most 0.80x, uncached at most 1.00x). Floor: the storage the transaction");
    println!(
        "touches priced as the EVM prices it — 21,000 + calldata, 2,100 per slot, +20,000 per slot"
    );
    println!("written from zero, +2,900 per slot changed, logs, less the capped refund for cleared slots;");
    println!(
        "calls between contracts and program entries are not in it (see \"where the gas goes\").\n"
    );
    print!("{}", ferrostake_harness::demo::gas_table_markdown(&gas));
    println!("\n## Where the gas goes (cached programs, per program run)\n");
    println!(
        "`own` is what a run used minus the program runs it called (EVM proxy hops it made count"
    );
    println!("as its own); reads and writes are its storage slots and the gas they cost.");
    let profiles = ferrostake_harness::gas_profile::core_ops(artifacts)?;
    print!("{}", ferrostake_harness::gas_profile::render(&profiles));
    lrt_bench(artifacts)?;
    let pod_u = ferrostake_harness::pod_flow::measure_gas_fresh(artifacts, false)?;
    let pod_c = ferrostake_harness::pod_flow::measure_gas_fresh(artifacts, true)?;
    println!("\n## EigenPod proofs gas (Electra proofs from a real SSZ state)\n");
    println!("| operation | uncached | cached |\n|---|---:|---:|");
    for ((op, u), (_, c)) in pod_u.rows().into_iter().zip(pod_c.rows()) {
        println!("| {op} | {u} | {c} |");
    }
    Ok(())
}

/// The LRT vault's operations, each on a freshly deployed suite (uncached, then cached).
fn lrt_bench(artifacts: &std::path::Path) -> anyhow::Result<()> {
    use ferrostake_harness::{lrt_flow, suite::Suite};
    let uncached = lrt_flow::measure_gas(&Suite::deploy(artifacts)?, false)?;
    let cached = lrt_flow::measure_gas(&Suite::deploy(artifacts)?, true)?;
    println!("\n## LRT vault gas (two operators restaked unless noted)\n");
    println!("| operation | uncached | cached |\n|---|---:|---:|");
    let rows = [
        (
            "deposit — empty vault, no operator",
            uncached.first_deposit,
            cached.first_deposit,
        ),
        (
            "setOperatorWeights (2 operators)",
            uncached.set_operator_weights,
            cached.set_operator_weights,
        ),
        ("allocate (2 operators)", uncached.allocate, cached.allocate),
        ("deposit", uncached.deposit, cached.deposit),
        (
            "requestRedeem",
            uncached.request_redeem,
            cached.request_redeem,
        ),
        (
            "finalizeRequests (1 request)",
            uncached.finalize,
            cached.finalize,
        ),
        ("redeem", uncached.redeem, cached.redeem),
    ];
    for (op, u, c) in rows {
        println!("| {op} | {u} | {c} |");
    }
    Ok(())
}
