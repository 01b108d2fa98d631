//! Bad input to the CLI: each case is one line on stderr naming the step, a non-zero exit, no panic.
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferrostake-deploy"))
        .args(args)
        .env_remove("RPC_URL")
        .env_remove("PRIVATE_KEY")
        .output()
        .expect("run ferrostake-deploy")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const DEV_KEY: &str = "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";

fn assert_one_line_error(out: &Output, step: &str) {
    let err = stderr(out);
    assert!(
        !out.status.success(),
        "expected failure, got success: {err}"
    );
    assert!(!err.contains("panicked"), "panicked: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err}");
    assert!(
        lines[0].starts_with(&format!("error: {step}:")),
        "step {step:?} not named: {err}"
    );
}

#[test]
fn unreachable_rpc_names_the_endpoint() {
    let out = run(&[
        "deploy",
        "--rpc-url",
        "http://127.0.0.1:1",
        "--private-key",
        DEV_KEY,
    ]);
    assert_one_line_error(&out, "connect");
    assert!(stderr(&out).contains("127.0.0.1:1"));
}

#[test]
fn malformed_key_is_refused_before_any_network_use() {
    let out = run(&[
        "deploy",
        "--rpc-url",
        "http://127.0.0.1:1",
        "--private-key",
        "0x1234",
    ]);
    assert_one_line_error(&out, "load key");
}

#[test]
fn invalid_url_is_refused() {
    let out = run(&["deploy", "--rpc-url", "not a url", "--private-key", DEV_KEY]);
    assert_one_line_error(&out, "connect");
}

#[test]
fn invalid_config_names_the_bad_key() {
    let dir = std::env::temp_dir().join(format!("ferrostake-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("bad.toml");
    std::fs::write(&config, "[delegation]\nmin_withdrawal_delay = 5\n").unwrap();
    let out = run(&[
        "deploy",
        "--rpc-url",
        "http://127.0.0.1:1",
        "--private-key",
        DEV_KEY,
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_one_line_error(&out, "read config");
    assert!(stderr(&out).contains("min_withdrawal_delay"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_config_file_is_a_clear_error() {
    let out = run(&[
        "deploy",
        "--rpc-url",
        "http://127.0.0.1:1",
        "--private-key",
        DEV_KEY,
        "--config",
        "/nonexistent/ferrostake.toml",
    ]);
    assert_one_line_error(&out, "read config");
}

#[test]
fn upgrade_without_manifest_or_endpoint_fails_cleanly() {
    let out = run(&[
        "upgrade",
        "DelegationManager",
        "--rpc-url",
        "http://127.0.0.1:1",
        "--private-key",
        DEV_KEY,
    ]);
    assert_one_line_error(&out, "connect");
}
