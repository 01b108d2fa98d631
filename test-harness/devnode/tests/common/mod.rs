//! Shared helpers for the devnode's integration tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use alloy_primitives::{hex, Address, Bytes, U256};
use alloy_sol_types::SolCall;
use ferrostake_devnode::arbos::ArbWasm;
use ferrostake_devnode::node::{Node, NodeError, TxRecord, TxRequest, DEV_ADDRESS};
use ferrostake_devnode::stylus::program::{compress, deploy_init_code};

/// A built contract from `artifacts/wasm` (scripts/build-contracts writes them).
pub fn artifact(name: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("artifacts/wasm").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run scripts/build-contracts first",
            path.display()
        )
    })
}

pub fn wat(src: &str) -> Vec<u8> {
    wat::parse_str(src).expect("valid wat")
}

pub fn send(node: &mut Node, to: Option<Address>, input: Vec<u8>, value: U256) -> TxRecord {
    let h = node
        .send_transaction(TxRequest {
            from: Some(DEV_ADDRESS),
            to,
            input: input.into(),
            value: Some(value),
            gas: Some(30_000_000),
            ..Default::default()
        })
        .expect("transaction accepted");
    node.transaction(h).expect("mined").clone()
}

pub fn call(node: &Node, to: Address, input: Vec<u8>) -> Result<Bytes, NodeError> {
    node.call(
        &TxRequest {
            from: Some(DEV_ADDRESS),
            to: Some(to),
            input: input.into(),
            ..Default::default()
        },
        &HashMap::new(),
    )
}

/// Deploys EVM init code; returns the new address.
pub fn deploy_evm(node: &mut Node, init: Vec<u8>) -> Address {
    let tx = send(node, None, init, U256::ZERO);
    assert!(tx.status, "deployment failed");
    tx.contract_address.expect("created")
}

/// Deploys raw WASM as a Stylus program (prefix + brotli + cargo-stylus prelude), without
/// activating it.
pub fn deploy_wasm(node: &mut Node, wasm: &[u8]) -> Address {
    deploy_evm(node, deploy_init_code(&compress(wasm)))
}

/// Activates through ArbWasm, paying the simulated fee.
pub fn activate(node: &mut Node, program: Address) -> TxRecord {
    let input = ArbWasm::activateProgramCall { program }.abi_encode();
    let sim = node
        .call(
            &TxRequest {
                from: Some(DEV_ADDRESS),
                to: Some(ferrostake_devnode::arbos::ARB_WASM),
                input: input.clone().into(),
                value: Some(U256::from(10u64).pow(U256::from(18))),
                ..Default::default()
            },
            &HashMap::new(),
        )
        .expect("activation simulates");
    let fee = ArbWasm::activateProgramCall::abi_decode_returns(&sim)
        .unwrap()
        .dataFee;
    send(node, Some(ferrostake_devnode::arbos::ARB_WASM), input, fee)
}

pub fn deploy_and_activate(node: &mut Node, wasm: &[u8]) -> Address {
    let a = deploy_wasm(node, wasm);
    let tx = activate(node, a);
    assert!(tx.status, "activation failed: {}", hex::encode(&tx.output));
    a
}

/// Init code that deploys `runtime` as is.
pub fn evm_init(runtime: &[u8]) -> Vec<u8> {
    assert!(runtime.len() < 256);
    let mut init = vec![
        0x60,
        runtime.len() as u8,
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
    init.extend_from_slice(runtime);
    init
}

/// EVM forwarder: calldata = 20-byte target ++ payload; CALLs target with payload and returns or
/// reverts with its return data.
pub const EVM_FORWARDER: &str =
    "6014360380601460003760006000826000600060003560601c5af13d600060003e602857 3d6000fd5b3d6000f3";

pub fn evm_forwarder() -> Vec<u8> {
    hex::decode(EVM_FORWARDER.replace(' ', "")).unwrap()
}

/// EIP-1167 minimal proxy init code delegating to `target`.
pub fn minimal_proxy_init(target: Address) -> Vec<u8> {
    let mut runtime = hex::decode("363d3d373d3d3d363d73").unwrap();
    runtime.extend_from_slice(target.as_slice());
    runtime.extend_from_slice(&hex::decode("5af43d82803e903d91602b57fd5bf3").unwrap());
    evm_init(&runtime)
}

/// A Stylus program written directly against `vm_hooks`. Calldata: a mode byte, then
/// - mode 0: 20-byte target ++ payload → `call_contract`, returns/reverts with the callee's data;
/// - mode 1: 32-byte salt ++ init code → `create2`, returns the 20-byte address (or reverts with
///   the init code's revert data);
/// - mode 2: 20-byte target ++ payload → `delegate_call_contract`;
/// - mode 3: 32 bytes → emits a log with that topic and no data, returns `msg_reentrant` as a byte.
pub const WAT_ROUTER: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "delegate_call_contract" (func $dcall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
  (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 2)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $status i32) (local $rlen i32) (local $mode i32)
    (call $pay (i32.const 0))
    (call $read_args (i32.const 1024))
    (local.set $mode (i32.load8_u (i32.const 1024)))
    (if (i32.eq (local.get $mode) (i32.const 1))
      (then
        (call $create2 (i32.const 1057) (i32.sub (local.get $len) (i32.const 33))
          (i32.const 0) (i32.const 1025) (i32.const 100) (i32.const 64))
        (if (i32.eqz (i32.or (i32.load (i32.const 100))
                (i32.or (i32.load (i32.const 104)) (i32.or (i32.load (i32.const 108))
                  (i32.or (i32.load (i32.const 112)) (i32.load (i32.const 116)))))))
          (then
            (local.set $rlen (i32.load (i32.const 64)))
            (drop (call $rrd (i32.const 4096) (i32.const 0) (local.get $rlen)))
            (call $write_result (i32.const 4096) (local.get $rlen))
            (return (i32.const 1))))
        (call $write_result (i32.const 100) (i32.const 20))
        (return (i32.const 0))))
    (if (i32.eq (local.get $mode) (i32.const 3))
      (then
        (call $log (i32.const 1025) (i32.const 32) (i32.const 1))
        (i32.store8 (i32.const 200) (call $reentrant))
        (call $write_result (i32.const 200) (i32.const 1))
        (return (i32.const 0))))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $status (call $dcall (i32.const 1025) (i32.const 1045)
          (i32.sub (local.get $len) (i32.const 21)) (i64.const -1) (i32.const 64))))
      (else
        (local.set $status (call $call (i32.const 1025) (i32.const 1045)
          (i32.sub (local.get $len) (i32.const 21)) (i32.const 0) (i64.const -1) (i32.const 64)))))
    (local.set $rlen (i32.load (i32.const 64)))
    (drop (call $rrd (i32.const 4096) (i32.const 0) (local.get $rlen)))
    (call $write_result (i32.const 4096) (local.get $rlen))
    (local.get $status)))"#;

pub fn router_call(target: Address, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0u8];
    v.extend_from_slice(target.as_slice());
    v.extend_from_slice(payload);
    v
}

/// A single-threaded tokio runtime for the JSON-RPC tests.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}
