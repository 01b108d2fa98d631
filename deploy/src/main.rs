//! `ferrostake-deploy`: deploy, upgrade and export the ABI of the Ferrostake suite on any JSON-RPC
//! endpoint. Every failure is one line naming the step and the cause, with a non-zero exit.
use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use ferrostake_deploy::{
    chain::{Chain, DeployError},
    config::DeployConfig,
    manifest::Manifest,
    suite::{self, Progress},
};

#[derive(Parser, Debug)]
#[command(
    name = "ferrostake-deploy",
    version,
    about = "Deploy and manage the Ferrostake restaking suite on an Arbitrum (Stylus) chain"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug)]
struct Endpoint {
    /// JSON-RPC endpoint of the chain.
    #[arg(long, env = "RPC_URL")]
    rpc_url: String,
    /// Hex private key of the deployer (pays gas and activation data fees).
    #[arg(long, env = "PRIVATE_KEY", hide_env_values = true)]
    private_key: String,
    /// Directory with the built programs (scripts/build-contracts writes them).
    #[arg(long, default_value = "artifacts/wasm")]
    artifacts: PathBuf,
    /// Directory of deployment manifests (`<chain-id>.json`).
    #[arg(long, default_value = "deployments")]
    deployments: PathBuf,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Deploy (or complete, or verify) the suite; idempotent.
    Deploy {
        #[command(flatten)]
        endpoint: Endpoint,
        /// TOML configuration (defaults suit a local devnode).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Write the JSON ABI of every interface and the Solidity interface file for integrators.
    Abi {
        /// Output directory.
        #[arg(long, default_value = "abi")]
        out: PathBuf,
    },
    /// Deploy and activate a new implementation of CONTRACT and point its proxy at it.
    Upgrade {
        /// Contract name as in the manifest (e.g. DelegationManager).
        contract: String,
        #[command(flatten)]
        endpoint: Endpoint,
    },
}

fn print_progress(p: Progress) {
    if p.gas_used > 0 {
        println!("  ✓ {:<40} {} (gas {})", p.step, p.detail, p.gas_used);
    } else {
        println!("  ✓ {:<40} {}", p.step, p.detail);
    }
}

async fn run(cli: Cli) -> Result<(), DeployError> {
    match cli.command {
        Command::Deploy { endpoint, config } => {
            let config = match config {
                Some(path) => DeployConfig::load(&path)?,
                None => DeployConfig::default(),
            };
            let chain =
                Chain::connect(&endpoint.rpc_url, &endpoint.private_key, config.chain_id).await?;
            chain.require_funds().await?;
            println!(
                "deploying to chain {} as {}",
                chain.chain_id(),
                chain.sender()
            );
            let manifest = suite::deploy_suite(
                &chain,
                &config,
                &endpoint.artifacts,
                &endpoint.deployments,
                &mut print_progress,
            )
            .await?;
            let path = Manifest::path(&endpoint.deployments, chain.chain_id());
            println!(
                "manifest: {} ({} programs, {} contracts)",
                path.display(),
                manifest.programs.len(),
                manifest.contracts.len()
            );
            Ok(())
        }
        Command::Abi { out } => {
            for file in ferrostake_deploy::abi::export(&out)? {
                println!("wrote {file}");
            }
            Ok(())
        }
        Command::Upgrade { contract, endpoint } => {
            let chain = Chain::connect(&endpoint.rpc_url, &endpoint.private_key, None).await?;
            chain.require_funds().await?;
            suite::upgrade_contract(
                &chain,
                &contract,
                &endpoint.artifacts,
                &endpoint.deployments,
                &mut print_progress,
            )
            .await?;
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
