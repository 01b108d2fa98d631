//! The main job as a test: the real deploy tool deploys the compiled suite to the embedded devnode
//! over JSON-RPC, and the restaking story runs with every check computed from its inputs.

use std::path::PathBuf;

#[test]
fn the_restaking_story_runs_on_the_devnode() {
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm");
    let report = ferrostake_harness::demo::run(&artifacts).expect("the demo runs");
    assert!(report.ok(), "{report}");
    // Every contract is deployed, initialized and wired, and every operation of the story ran.
    assert!(report
        .deploy_steps
        .iter()
        .any(|s| s.0 == "wire AllocationManager programs"));
    assert_eq!(report.gas.len(), 32, "{report}");
    assert!(report.checks.len() >= 26);
}

/// A JSON-RPC endpoint that is a chain but not a test node: it answers the chain id, balances and
/// the gas price, and refuses everything else with "method not found".
fn plain_endpoint() -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut out = stream;
                loop {
                    let mut len = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end();
                        if l.is_empty() {
                            break;
                        }
                        if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; len];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let req: serde_json::Value = serde_json::from_slice(&body).unwrap();
                    let result = match req["method"].as_str().unwrap_or("") {
                        "eth_chainId" => serde_json::json!({"result": "0x66eee"}),
                        // 0.01 ETH at 0.1 gwei.
                        "eth_getBalance" => serde_json::json!({"result": "0x2386f26fc10000"}),
                        "eth_gasPrice" => serde_json::json!({"result": "0x5f5e100"}),
                        _ => {
                            serde_json::json!({"error": {"code": -32601, "message": "method not found"}})
                        }
                    };
                    let mut resp = serde_json::json!({"jsonrpc": "2.0", "id": req["id"]});
                    for (k, v) in result.as_object().unwrap() {
                        resp[k] = v.clone();
                    }
                    let text = resp.to_string();
                    let _ = write!(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
                        text.len()
                    );
                }
            });
        }
    });
    url
}

/// A devnode over JSON-RPC that answers the anvil/evm/hardhat methods "method not found", as a
/// real chain does.
fn devnode_without_test_methods() -> ferrostake_devnode::rpc::ServerHandle {
    ferrostake_devnode::rpc::spawn_with(
        ferrostake_devnode::node::Node::new(),
        "127.0.0.1:0",
        ferrostake_devnode::rpc::Options {
            test_methods: false,
        },
    )
    .unwrap()
}

/// A key holding nothing anywhere (never the devnode's).
const STRANGER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

fn artifacts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm")
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("ferrostake-{name}-{}", std::process::id()))
}

/// The deployer's balance must cover the deployment, the actors' funding and a margin before
/// anything is sent: the plain endpoint reports 0.01 ETH at 0.1 gwei, far short of that.
#[test]
fn an_underfunded_key_on_a_plain_endpoint_is_refused_before_anything_is_sent() {
    let url = plain_endpoint();
    let target = ferrostake_harness::demo::Target::remote(&url, STRANGER_KEY);
    let deployments = scratch("underfunded");
    let err = ferrostake_harness::demo::run_remote(
        &target,
        &ferrostake_deploy::config::DeployConfig::default(),
        &artifacts(),
        &deployments,
    )
    .expect_err("0.01 ETH cannot pay for the story");
    let msg = format!("{err:#}");
    assert!(!msg.contains('\n'), "one line: {msg}");
    assert!(msg.starts_with("underfunded key "), "{msg}");
    let stranger: alloy::signers::local::PrivateKeySigner = STRANGER_KEY.parse().unwrap();
    assert!(msg.contains(&stranger.address().to_string()), "{msg}");
    assert!(msg.contains("holds 0.010000 ETH"), "{msg}");
    // The shortfall is named: at least the deployment's gas at 0.1 gwei (≈ 193M gas measured on
    // the devnode: > 0.019 ETH) plus five funded actors.
    let need: f64 = msg
        .split("needs at least ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no amount in {msg}"));
    assert!(need > 0.0193, "{msg}");
    assert!(!deployments.exists(), "nothing was deployed or written");
}

/// The devnode standing in for a testnet: JSON-RPC with the anvil/evm/hardhat methods answering
/// "method not found", block timestamps following the wall clock, one block per transaction. The
/// demo detects it, funds the actors by transfers, waits every delay out by polling, signs the LRT
/// steps with the actors' keys, and tells the whole story.
#[test]
fn the_story_runs_on_a_chain_without_test_methods() {
    use ferrostake_harness::demo::{run_remote, Target};
    let server = devnode_without_test_methods();
    // The shipped testnet example, with delays shrunk further for a test and the devnode's chain.
    let example =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples/testnet-demo.toml");
    let mut config = ferrostake_deploy::config::DeployConfig::load(&example).expect("example");
    assert!(
        config.delegation.min_withdrawal_delay_blocks <= 10
            && config.rewards.activation_delay <= 300,
        "the testnet example keeps delays small"
    );
    config.chain_id = None;
    config.native.eth_pos_deposit = None;
    config.delegation.min_withdrawal_delay_blocks = 3;
    config.allocation.deallocation_delay_blocks = 3;
    config.rewards.activation_delay = 2;
    config.validate().expect("a valid config");
    let deployments = scratch("plain-devnode");
    let target = Target::remote(&server.url(), ferrostake_devnode::node::DEV_KEY).with_waits(
        std::time::Duration::from_millis(100),
        std::time::Duration::from_secs(60),
    );
    let report = run_remote(&target, &config, &artifacts(), &deployments);
    let _ = std::fs::remove_dir_all(&deployments);
    let report = report.expect("the story runs without test methods");
    assert!(report.ok(), "{report}");
    assert!(!report.test_methods && !report.embedded, "{report}");
    let text = report.to_string();
    assert!(text.contains("without test methods"), "{text}");
    // Every chapter ran: staking, delegation, allocation and slashing, the withdrawal after its
    // delay, rewards after the activation delay, native restaking, the LRT vault.
    for op in [
        "depositIntoStrategy — first deposit into an empty strategy",
        "delegateTo (1 strategy)",
        "modifyAllocations (1 strategy)",
        "registerOperatorToAVS (ECDSA signature)",
        "slashOperator — first slash, 1 strategy",
        "completeQueuedWithdrawal — as tokens",
        "undelegate (1 strategy)",
        "submitRoot",
        "processClaim — 5 tokens",
        "createPod",
        "verifyWithdrawalCredentials (1 validator)",
        "LRT requestRedeem",
        "LRT redeem (claim)",
    ] {
        assert!(report.gas.iter().any(|(o, _)| o == op), "{op}: {report}");
    }
    for check in [
        "completing before the delay reverts",
        "the operator is registered to the AVS in the AVSDirectory",
        "alice receives deposits · (1 − 10%) in tokens",
        "claiming before the root activates reverts",
        "carol receives exactly her computed earnings in each of 5 tokens",
        "verified credentials credit the validator's effective balance (32 ETH) as shares",
        "the claim pays the value locked in at the request, and the tokens arrive",
    ] {
        assert!(
            report.checks.iter().any(|c| c.0 == check),
            "{check}: {report}"
        );
    }
    // Both checkpoints ran: they read the newest root at or before their block, so a chain
    // without timestamp control needs no posting windows.
    for step in [
        "EigenPod.startCheckpoint (0 validators, finalizes at once)",
        "verifyCheckpointProofs (1 proof, finalizes)",
    ] {
        assert!(
            report.gas.iter().any(|(o, _)| o == step),
            "{step}: {report}"
        );
    }
    // The same operations as on a test node: nothing else was left out.
    assert_eq!(report.gas.len(), 32, "{report}");
}

/// Bad input to `ferrostake demo --rpc-url`: each a one-line error and a non-zero exit.
#[test]
fn bad_input_to_the_remote_demo_gives_one_line_errors() {
    let server = devnode_without_test_methods();
    let url = server.url();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let bad_config = scratch("bad-config.toml");
    std::fs::write(
        &bad_config,
        "[delegation]\nmin_withdrawal_delay_blocks = 1\n[allocation]\ndeallocation_delay_blocks = 2\n",
    )
    .unwrap();
    let wrong_chain = scratch("wrong-chain.toml");
    std::fs::write(&wrong_chain, "chain_id = 421614\n").unwrap();
    let no_artifacts = scratch("no-artifacts");
    let deployments = scratch("bad-input-deployments");
    let dev_key = format!("0x{}", ferrostake_devnode::node::DEV_KEY);
    let run = |extra: &[&str], rpc: &str, key: &str, artifacts: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrostake"))
            .args([
                "demo",
                "--rpc-url",
                rpc,
                "--private-key",
                key,
                "--deployments",
            ])
            .arg(&deployments)
            .arg("--artifacts")
            .arg(artifacts)
            .args(extra)
            .env_remove("RPC_URL")
            .env_remove("PRIVATE_KEY")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        assert!(!out.status.success(), "{extra:?} {rpc}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        let last = err.lines().last().unwrap_or_default().to_string();
        assert!(last.starts_with("error: "), "{err}");
        last
    };
    let art = artifacts();
    let e = run(&[], &closed, &dev_key, &art);
    assert!(e.contains("cannot reach"), "{e}");
    let e = run(
        &["--config", wrong_chain.to_str().unwrap()],
        &url,
        &dev_key,
        &art,
    );
    assert!(e.contains("412346") && e.contains("421614"), "{e}");
    let e = run(
        &["--config", bad_config.to_str().unwrap()],
        &url,
        &dev_key,
        &art,
    );
    assert!(e.contains("min_withdrawal_delay_blocks"), "{e}");
    let e = run(&[], &url, STRANGER_KEY, &art);
    assert!(e.contains("underfunded key"), "{e}");
    let e = run(&[], &url, &dev_key, &no_artifacts);
    assert!(e.contains("no-artifacts"), "{e}");
    assert!(!deployments.exists(), "nothing was deployed or written");
    let _ = std::fs::remove_file(&bad_config);
    let _ = std::fs::remove_file(&wrong_chain);
}
