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
    assert_eq!(report.gas.len(), 27, "{report}");
    assert!(report.checks.len() >= 26);
}

/// A JSON-RPC endpoint that is a chain but not a test node: it answers the chain id and balances
/// and refuses everything else with "method not found".
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
                        "eth_getBalance" => serde_json::json!({"result": "0xde0b6b3a7640000"}),
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

#[test]
fn the_demo_on_an_endpoint_without_test_methods_names_the_missing_one() {
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm");
    let url = plain_endpoint();
    let target = ferrostake_harness::demo::Target::remote(&url, DEV_KEY_HEX);
    let deployments = std::env::temp_dir().join(format!("ferrostake-plain-{}", std::process::id()));
    let err = ferrostake_harness::demo::run_remote(
        &target,
        &ferrostake_deploy::config::DeployConfig::default(),
        &artifacts,
        &deployments,
    )
    .expect_err("a plain endpoint cannot run the story");
    let msg = format!("{err:#}");
    assert!(msg.contains("anvil_setBalance"), "{msg}");
    assert!(msg.contains(&url), "{msg}");
    assert!(!deployments.exists(), "nothing was deployed or written");
}

/// A throwaway key (never the devnode's): the check fails before anything is signed.
const DEV_KEY_HEX: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
