//! The devnode over JSON-RPC: an alloy provider with a local wallet deploys, activates and calls
//! the stylus-sdk ERC-20; cheat methods; robustness against malformed input (including a bounded
//! fuzz of random bodies over a live socket); the cargo-stylus path when cargo-stylus is installed.

mod common;

use std::io::{Read, Write};

use alloy::network::{EthereumWallet, NetworkTransactionBuilder, TransactionBuilder};
use alloy::primitives::{address, Address, Bytes, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use common::{artifact, runtime};
use ferrostake_devnode::node::{Node, DEV_ADDRESS, DEV_KEY};
use ferrostake_devnode::rpc;
use ferrostake_devnode::stylus::program::{compress, deploy_init_code};
use proptest::prelude::*;
use serde_json::{json, Value};

sol! {
    #[sol(rpc)]
    interface Token {
        function mint(address to, uint256 amount) external;
        function balanceOf(address who) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    }
    #[sol(rpc)]
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function stylusVersion() external view returns (uint16 version);
        error ProgramNotActivated();
    }
}

const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");

#[test]
fn alloy_provider_deploys_activates_and_calls_a_stylus_erc20() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let signer: PrivateKeySigner = DEV_KEY.parse().unwrap();
        assert_eq!(signer.address(), DEV_ADDRESS);
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(url.parse().unwrap());
        assert_eq!(provider.get_chain_id().await.unwrap(), 412_346);

        // Deploy the program exactly as cargo-stylus does (prelude + EF F0 00 00 + brotli).
        let code = compress(&artifact("ferrostake_test_erc20"));
        let tx = TransactionRequest::default().with_deploy_code(Bytes::from(deploy_init_code(&code)));
        let receipt = provider.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status());
        let token = receipt.contract_address.unwrap();
        assert_eq!(provider.get_code_at(token).await.unwrap(), Bytes::from(code.clone()));

        // cargo stylus check's first question: is this codehash active? Not yet.
        let arb = ArbWasm::new(ARB_WASM, &provider);
        let codehash = alloy::primitives::keccak256(&code);
        let err = arb.codehashVersion(codehash).call().await.unwrap_err();
        let revert = err.as_decoded_interface_error::<ArbWasm::ArbWasmErrors>();
        assert!(matches!(revert, Some(ArbWasm::ArbWasmErrors::ProgramNotActivated(_))), "{err}");

        // The data fee, simulated with eth_call as cargo-stylus does, then activation.
        let fee = arb.activateProgram(token).value(U256::from(10u64).pow(U256::from(18))).call().await.unwrap().dataFee;
        assert!(fee > U256::ZERO);
        let receipt = arb.activateProgram(token).value(fee).send().await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status());
        assert_eq!(arb.codehashVersion(codehash).call().await.unwrap(), arb.stylusVersion().call().await.unwrap());

        // Calls and transactions through the generated bindings.
        let t = Token::new(token, &provider);
        let r = t.mint(ALICE, U256::from(42)).send().await.unwrap().get_receipt().await.unwrap();
        assert!(r.status());
        assert_eq!(r.inner.logs().len(), 1);
        assert_eq!(t.balanceOf(ALICE).call().await.unwrap(), U256::from(42));
        // A revert comes back as JSON-RPC error 3 with the typed error in data.
        let err = t.transfer(ALICE, U256::from(1)).call().await.unwrap_err();
        let decoded = err.as_decoded_interface_error::<Token::TokenErrors>();
        assert!(matches!(decoded, Some(Token::TokenErrors::ERC20InsufficientBalance(e)) if e.sender == DEV_ADDRESS));

        // eth_getLogs finds the mint's Transfer.
        let logs = provider
            .get_logs(&alloy::rpc::types::Filter::new().address(token).from_block(0u64))
            .await
            .unwrap();
        assert_eq!(logs.len(), 1);
    });
}

#[test]
fn cheat_methods_over_json_rpc() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let provider = ProviderBuilder::new().connect_http(url.parse().unwrap());
        let raw = |m: &'static str, p: Value| {
            let provider = provider.clone();
            async move { provider.raw_request::<_, Value>(m.into(), p).await }
        };
        let snap = raw("evm_snapshot", json!([])).await.unwrap();
        raw("anvil_setBalance", json!([format!("{ALICE:#x}"), "0x1234"])).await.unwrap();
        assert_eq!(provider.get_balance(ALICE).await.unwrap(), U256::from(0x1234));
        let before = provider.get_block_number().await.unwrap();
        raw("anvil_mine", json!(["0x186a0"])).await.unwrap(); // 100,000 blocks
        assert_eq!(provider.get_block_number().await.unwrap(), before + 100_000);
        let t0 = provider.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest).await.unwrap().unwrap().header.timestamp;
        raw("evm_increaseTime", json!([3600])).await.unwrap();
        raw("evm_mine", json!([])).await.unwrap();
        let t1 = provider.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest).await.unwrap().unwrap().header.timestamp;
        assert!(t1 >= t0 + 3600);
        raw("evm_setNextBlockTimestamp", json!([t1 + 10_000])).await.unwrap();
        raw("evm_mine", json!([])).await.unwrap();
        let t2 = provider.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest).await.unwrap().unwrap().header.timestamp;
        assert_eq!(t2, t1 + 10_000);
        assert_eq!(raw("evm_revert", json!([snap])).await.unwrap(), json!(true));
        assert_eq!(provider.get_balance(ALICE).await.unwrap(), U256::ZERO);
        assert_eq!(provider.get_block_number().await.unwrap(), before);

        // Impersonation: unsigned transactions from an arbitrary account.
        raw("anvil_setBalance", json!([format!("{ALICE:#x}"), "0xde0b6b3a7640000"])).await.unwrap();
        let tx = json!({"from": format!("{ALICE:#x}"), "to": format!("{DEV_ADDRESS:#x}"), "value": "0x1"});
        assert!(raw("eth_sendTransaction", json!([tx.clone()])).await.is_err());
        raw("anvil_impersonateAccount", json!([format!("{ALICE:#x}")])).await.unwrap();
        let hash = raw("eth_sendTransaction", json!([tx])).await.unwrap();
        let receipt = raw("eth_getTransactionReceipt", json!([hash])).await.unwrap();
        assert_eq!(receipt["status"], "0x1");
        assert_eq!(receipt["from"], format!("{ALICE:#x}"));
    });
}

#[test]
fn bad_transactions_get_errors_and_the_node_keeps_serving() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let signer: PrivateKeySigner = DEV_KEY.parse().unwrap();
        let provider = ProviderBuilder::new().connect_http(url.parse().unwrap());
        let raw = |m: &'static str, p: Value| {
            let provider = provider.clone();
            async move { provider.raw_request::<_, Value>(m.into(), p).await }
        };
        // A transaction signed with a nonce gap is refused, not queued forever.
        let mut tx = TransactionRequest::default()
            .with_to(ALICE)
            .with_value(U256::from(1))
            .with_nonce(5)
            .with_chain_id(412_346)
            .with_gas_limit(21_000)
            .with_max_fee_per_gas(1_000_000_000)
            .with_max_priority_fee_per_gas(0);
        let wallet = EthereumWallet::from(signer);
        let env = tx.clone().build(&wallet).await.unwrap();
        let bytes = alloy::eips::eip2718::Encodable2718::encoded_2718(&env);
        let err = raw("eth_sendRawTransaction", json!([format!("0x{}", alloy::primitives::hex::encode(&bytes))])).await.unwrap_err();
        assert!(err.to_string().to_lowercase().contains("nonce"), "{err}");
        // The wrong chain id is refused.
        tx = tx.with_nonce(0).with_chain_id(1);
        let env = tx.build(&wallet).await.unwrap();
        let bytes = alloy::eips::eip2718::Encodable2718::encoded_2718(&env);
        let err = raw("eth_sendRawTransaction", json!([format!("0x{}", alloy::primitives::hex::encode(&bytes))])).await.unwrap_err();
        assert!(err.to_string().contains("chain id"), "{err}");
        // A corrupted signature does not recover to a funded account, or does not decode.
        let mut bad = bytes.clone();
        let n = bad.len();
        bad[n - 5] ^= 0xff;
        assert!(raw("eth_sendRawTransaction", json!([format!("0x{}", alloy::primitives::hex::encode(&bad))])).await.is_err());
        // Garbage WASM deploys (it is just code) but activation fails with ArbWasm's error.
        let garbage = compress(b"\0asm\x01\0\0\0garbage");
        let hash = raw(
            "eth_sendTransaction",
            json!([{"from": format!("{DEV_ADDRESS:#x}"), "data": format!("0x{}", alloy::primitives::hex::encode(deploy_init_code(&garbage)))}]),
        )
        .await
        .unwrap();
        let receipt = raw("eth_getTransactionReceipt", json!([hash])).await.unwrap();
        let program = receipt["contractAddress"].as_str().unwrap().to_string();
        let data = format!(
            "0x{}{:0>64}",
            alloy::primitives::hex::encode(<ArbWasm::activateProgramCall as alloy::sol_types::SolCall>::SELECTOR),
            program.trim_start_matches("0x")
        );
        // As cargo-stylus does: a random sender whose balance is overridden.
        let from = "0x000000000000000000000000000000000000beef";
        let err = raw(
            "eth_call",
            json!([
                {"from": from, "to": format!("{ARB_WASM:#x}"), "data": data, "value": "0xde0b6b3a7640000"},
                "latest",
                {from: {"balance": "0xffffffffffffffffffffffffffffffff"}}
            ]),
        )
        .await
        .unwrap_err();
        let payload = err.as_error_resp().unwrap();
        assert_eq!(payload.code, 3);
        assert!(payload.data.as_ref().unwrap().get().contains("0x"));
        // Still serving.
        assert_eq!(provider.get_chain_id().await.unwrap(), 412_346);
    });
}

/// Sends raw HTTP bytes and returns the response text.
fn http(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&out);
                if let Some(p) = text.find("\r\n\r\n") {
                    let len = text[..p]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if out.len() >= p + 4 + len {
                        break;
                    }
                }
            }
        }
    }
    String::from_utf8_lossy(&out).to_string()
}

fn post(body: &[u8]) -> Vec<u8> {
    let mut r = format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
    r.extend_from_slice(body);
    r
}

#[test]
fn http_layer_rejects_malformed_requests() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let a = server.addr;
    assert!(http(a, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 405"));
    assert!(http(a, &post(b"{{{")).contains("-32700"));
    assert!(http(
        a,
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    .starts_with("HTTP/1.1 411"));
    // A truncated body (connection closed early) does not take the server down.
    let _ = http(
        a,
        b"POST / HTTP/1.1\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"id\":1",
    );
    let ok = http(
        a,
        &post(br#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}"#),
    );
    assert!(ok.contains("\"result\":\"0x0\""), "{ok}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
    /// Random bodies and random params for real methods: always a JSON-RPC answer, never a crash,
    /// and the node answers a valid request afterwards.
    #[test]
    fn fuzzed_requests_always_get_an_answer(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        method in prop::sample::select(vec![
            "eth_getBalance", "eth_call", "eth_estimateGas", "eth_sendRawTransaction", "eth_getLogs",
            "eth_getBlockByNumber", "eth_getStorageAt", "anvil_mine", "evm_revert", "eth_feeHistory",
            "anvil_setCode", "eth_sendTransaction", "eth_getTransactionReceipt",
        ]),
        params in proptest::collection::vec(prop_oneof![
            Just(json!(null)), Just(json!("0x")), Just(json!("latest")), Just(json!(-1)),
            Just(json!("0xzz")), Just(json!({"to": "0x71", "data": "0x00"})),
            Just(json!({"to": "0x0000000000000000000000000000000000000071", "data": "0x58c780c2"})),
            Just(json!([1, 2])), any::<u64>().prop_map(|n| json!(format!("{n:#x}"))),
            "[0-9a-f]{0,64}".prop_map(|s| json!(format!("0x{s}"))),
        ], 0..4),
    ) {
        let node = std::sync::Mutex::new(Node::new());
        let out: Value = serde_json::from_slice(&rpc::handle_body(&node, &body)).unwrap();
        prop_assert!(out.get("error").is_some() || out.get("result").is_some() || out.is_array());
        let req = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let out: Value = serde_json::from_slice(&rpc::handle_body(&node, req.to_string().as_bytes())).unwrap();
        prop_assert!(out.get("error").is_some() ^ out.get("result").is_some());
        let ok: Value = serde_json::from_slice(&rpc::handle_body(&node, br#"{"id":2,"method":"eth_chainId"}"#)).unwrap();
        prop_assert_eq!(ok["result"].as_str(), Some("0x64aba"));
    }
}

#[test]
fn fuzzed_bodies_over_a_live_socket() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 32,
        ..ProptestConfig::default()
    });
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..512), |body| {
            let resp = http(server.addr, &post(&body));
            prop_assert!(resp.starts_with("HTTP/1.1 200"), "{}", resp);
            Ok(())
        })
        .unwrap();
    let ok = http(server.addr, &post(br#"{"id":1,"method":"eth_chainId"}"#));
    assert!(ok.contains("0x64aba"));
}

/// `cargo stylus deploy` against the devnode: runs only where cargo-stylus is installed (CI may not
/// have it); see the README's "Deploying with cargo-stylus". cargo-stylus deploys the program we
/// built (`--wasm-file`: its own build passes nightly flags our pinned toolchain no longer accepts),
/// and activates it through ArbWasm; then an alloy provider mints and reads balances on it.
#[test]
fn cargo_stylus_deploys_to_the_devnode_when_installed() {
    let Ok(out) = std::process::Command::new("cargo")
        .args(["stylus", "--version"])
        .output()
    else {
        return;
    };
    if !out.status.success() {
        eprintln!("cargo-stylus is not installed; skipping");
        return;
    }
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let wasm = root.join("artifacts/wasm/ferrostake_test_erc20.wasm");
    assert!(wasm.exists(), "run scripts/build-contracts first");
    let out = std::process::Command::new("cargo")
        .current_dir(root.join("contracts/test-tokens/erc20"))
        .args(["stylus", "deploy", "--no-verify", "--endpoint"])
        .arg(server.url())
        .args(["--private-key", DEV_KEY, "--wasm-file"])
        .arg(&wasm)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "cargo stylus deploy failed:\n{stdout}\n{stderr}"
    );
    // The deployed address is the last 0x-prefixed 20-byte hex word cargo-stylus prints for it.
    let text = format!("{stdout}\n{stderr}");
    let line = text
        .lines()
        .find(|l| l.to_lowercase().contains("deployed code at address"))
        .unwrap_or_else(|| panic!("no deployed address in:\n{text}"));
    let start = line.find("0x").expect("an address");
    let token: Address = line[start..start + 42].parse().unwrap();
    {
        let node = server.node.lock().unwrap();
        assert!(
            node.code(token).starts_with(&[0xef, 0xf0, 0x00]),
            "a Stylus program"
        );
    }
    let url = server.url();
    runtime().block_on(async move {
        let signer: PrivateKeySigner = DEV_KEY.parse().unwrap();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(url.parse().unwrap());
        let t = Token::new(token, &provider);
        assert_eq!(t.balanceOf(ALICE).call().await.unwrap(), U256::ZERO);
        t.mint(ALICE, U256::from(7u8))
            .send()
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
        assert_eq!(t.balanceOf(ALICE).call().await.unwrap(), U256::from(7u8));
    });
}
