//! Host functions not covered by the ERC-20 and router programs, through a probe program written
//! directly against `vm_hooks`: block, transaction and message fields, account queries, transient
//! storage, 256-bit math, gas queries and `exit_early`.

mod common;

use alloy_primitives::{address, keccak256, Address, U256};
use common::*;
use ferrostake_devnode::node::{Node, TxRequest, BASE_FEE, CHAIN_ID, DEV_ADDRESS};

const PROBE: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "exit_early" (func $exit_early (param i32)))
  (import "vm_hooks" "chainid" (func $chainid (result i64)))
  (import "vm_hooks" "block_number" (func $block_number (result i64)))
  (import "vm_hooks" "block_timestamp" (func $block_timestamp (result i64)))
  (import "vm_hooks" "block_gas_limit" (func $block_gas_limit (result i64)))
  (import "vm_hooks" "block_basefee" (func $block_basefee (param i32)))
  (import "vm_hooks" "block_coinbase" (func $block_coinbase (param i32)))
  (import "vm_hooks" "contract_address" (func $contract_address (param i32)))
  (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "tx_origin" (func $tx_origin (param i32)))
  (import "vm_hooks" "tx_gas_price" (func $tx_gas_price (param i32)))
  (import "vm_hooks" "tx_ink_price" (func $tx_ink_price (result i32)))
  (import "vm_hooks" "account_code_size" (func $code_size (param i32) (result i32)))
  (import "vm_hooks" "account_balance" (func $balance (param i32 i32)))
  (import "vm_hooks" "account_codehash" (func $codehash (param i32 i32)))
  (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
  (import "vm_hooks" "math_div" (func $div (param i32 i32)))
  (import "vm_hooks" "math_mod" (func $mod (param i32 i32)))
  (import "vm_hooks" "math_pow" (func $pow (param i32 i32)))
  (import "vm_hooks" "math_add_mod" (func $add_mod (param i32 i32 i32)))
  (import "vm_hooks" "math_mul_mod" (func $mul_mod (param i32 i32 i32)))
  (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
  (import "vm_hooks" "evm_ink_left" (func $ink_left (result i64)))
  (import "vm_hooks" "return_data_size" (func $rds (result i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (i64.store (i32.const 1024) (call $chainid))
    (i64.store (i32.const 1032) (call $block_number))
    (i64.store (i32.const 1040) (call $block_timestamp))
    (i64.store (i32.const 1048) (call $block_gas_limit))
    (call $block_basefee (i32.const 1056))
    (call $block_coinbase (i32.const 1088))
    (call $contract_address (i32.const 1108))
    (call $msg_sender (i32.const 1128))
    (call $msg_value (i32.const 1148))
    (call $tx_origin (i32.const 1180))
    (call $tx_gas_price (i32.const 1200))
    (i32.store (i32.const 1232) (call $tx_ink_price))
    (i32.store (i32.const 1236) (call $code_size (i32.const 1108)))
    (call $balance (i32.const 96) (i32.const 1240))
    (call $codehash (i32.const 1108) (i32.const 1272))
    (call $tstore (i32.const 0) (i32.const 32))
    (call $tload (i32.const 0) (i32.const 1304))
    (memory.copy (i32.const 1336) (i32.const 0) (i32.const 32))
    (call $div (i32.const 1336) (i32.const 32))
    (memory.copy (i32.const 1368) (i32.const 0) (i32.const 32))
    (call $mod (i32.const 1368) (i32.const 32))
    (memory.copy (i32.const 1400) (i32.const 0) (i32.const 32))
    (call $pow (i32.const 1400) (i32.const 32))
    (memory.copy (i32.const 1432) (i32.const 0) (i32.const 32))
    (call $add_mod (i32.const 1432) (i32.const 32) (i32.const 64))
    (memory.copy (i32.const 1464) (i32.const 0) (i32.const 32))
    (call $mul_mod (i32.const 1464) (i32.const 32) (i32.const 64))
    (i64.store (i32.const 1496) (call $gas_left))
    (i32.store (i32.const 1504) (call $rds))
    (i64.store (i32.const 1508) (call $ink_left))
    (call $write_result (i32.const 1024) (i32.const 492))
    (if (i32.eq (i32.load8_u (i32.const 116)) (i32.const 1))
      (then (call $exit_early (i32.const 5))))
    (i32.const 0)))"#;

fn word(v: u64) -> [u8; 32] {
    U256::from(v).to_be_bytes()
}

fn args(a: u64, b: u64, m: u64, who: Address, exit: bool) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&word(a));
    v.extend_from_slice(&word(b));
    v.extend_from_slice(&word(m));
    v.extend_from_slice(who.as_slice());
    v.push(exit as u8);
    v
}

fn u64_at(o: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(o[at..at + 8].try_into().unwrap())
}
fn u32_at(o: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(o[at..at + 4].try_into().unwrap())
}
fn u256_at(o: &[u8], at: usize) -> U256 {
    U256::from_be_slice(&o[at..at + 32])
}
fn addr_at(o: &[u8], at: usize) -> Address {
    Address::from_slice(&o[at..at + 20])
}

#[test]
fn probe_reads_the_chain_as_nitro_defines_it() {
    let mut node = Node::new();
    let probe = deploy_and_activate(&mut node, &wat(PROBE));
    let rich = address!("00000000000000000000000000000000000000dd");
    node.set_balance(rich, U256::from(123_456u64));
    node.mine(5, 0);
    let h = node
        .send_transaction(TxRequest {
            from: Some(DEV_ADDRESS),
            to: Some(probe),
            input: args(100, 7, 9, rich, false).into(),
            value: Some(U256::from(42u64)),
            gas: Some(5_000_000),
            ..Default::default()
        })
        .unwrap();
    let tx = node.transaction(h).unwrap().clone();
    assert!(tx.status);
    let o = &tx.output[..];
    let at = |offset: usize| offset - 1024;
    assert_eq!(u64_at(o, at(1024)), CHAIN_ID);
    assert_eq!(u64_at(o, at(1032)), tx.block_number);
    assert_eq!(
        u64_at(o, at(1040)),
        node.block(tx.block_number).unwrap().timestamp
    );
    assert_eq!(
        u64_at(o, at(1048)),
        ferrostake_devnode::node::BLOCK_GAS_LIMIT
    );
    assert_eq!(u256_at(o, at(1056)), U256::from(BASE_FEE));
    assert_eq!(addr_at(o, at(1088)), Address::ZERO);
    assert_eq!(addr_at(o, at(1108)), probe);
    assert_eq!(addr_at(o, at(1128)), DEV_ADDRESS);
    assert_eq!(u256_at(o, at(1148)), U256::from(42u64));
    assert_eq!(addr_at(o, at(1180)), DEV_ADDRESS);
    assert_eq!(u256_at(o, at(1200)), U256::from(tx.effective_gas_price()));
    assert_eq!(u32_at(o, at(1232)), 10_000);
    assert_eq!(u32_at(o, at(1236)) as usize, node.code(probe).len());
    assert_eq!(u256_at(o, at(1240)), U256::from(123_456u64));
    assert_eq!(
        &o[at(1272)..at(1272) + 32],
        keccak256(node.code(probe)).as_slice()
    );
    assert_eq!(
        u256_at(o, at(1304)),
        U256::from(7u64),
        "transient store then load"
    );
    assert_eq!(u256_at(o, at(1336)), U256::from(100u64 / 7));
    assert_eq!(u256_at(o, at(1368)), U256::from(100u64 % 7));
    assert_eq!(
        u256_at(o, at(1400)),
        U256::from(100u64).pow(U256::from(7u64))
    );
    assert_eq!(u256_at(o, at(1432)), U256::from((100u64 + 7) % 9));
    assert_eq!(u256_at(o, at(1464)), U256::from((100u64 * 7) % 9));
    let gas_left = u64_at(o, at(1496));
    assert!(gas_left > 0 && gas_left < 5_000_000);
    assert_eq!(u32_at(o, at(1504)), 0, "no call made yet");
    let ink_left = u64_at(o, at(1508));
    assert!(
        ink_left / 10_000 <= gas_left,
        "ink is read after gas and only decreases"
    );
    // Division and modulus by zero give zero (Nitro), and transient storage is gone next tx.
    let out = call(&node, probe, args(100, 0, 0, rich, false)).unwrap();
    assert_eq!(u256_at(&out, at(1336)), U256::ZERO);
    assert_eq!(u256_at(&out, at(1368)), U256::ZERO);
    assert_eq!(u256_at(&out, at(1432)), U256::ZERO);
}

#[test]
fn exit_early_stops_with_its_status_and_keeps_the_result() {
    let mut node = Node::new();
    let probe = deploy_and_activate(&mut node, &wat(PROBE));
    let tx = send(
        &mut node,
        Some(probe),
        args(1, 1, 1, DEV_ADDRESS, true),
        U256::ZERO,
    );
    // A nonzero status is a revert carrying the result written so far.
    assert!(!tx.status);
    assert_eq!(tx.output.len(), 492);
    assert_eq!(u64_at(&tx.output, 0), CHAIN_ID);
}

#[test]
fn bad_programs_are_refused_at_activation_with_arbwasm_errors() {
    use alloy_sol_types::SolError;
    use ferrostake_devnode::arbos::ArbWasm;
    let mut node = Node::new();
    for bad in [
        wat(r#"(module (memory (export "memory") 1))"#), // no entrypoint
        wat(
            r#"(module (import "env" "x" (func)) (memory (export "memory") 1)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
        ), // foreign import
        wat(r#"(module (memory (export "memory") 200)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#), // too much memory
        b"\0asm\x01\0\0\0\x01\xff".to_vec(), // garbage
    ] {
        let program = deploy_wasm(&mut node, &bad);
        let tx = activate_raw(&mut node, program);
        assert!(!tx.status);
        assert_eq!(&tx.output[..], &ArbWasm::ProgramNotWasm {}.abi_encode()[..]);
        assert!(node
            .runtime()
            .last_activation_error
            .lock()
            .unwrap()
            .is_some());
    }
    // Plain EVM code is not a program.
    let evm = deploy_evm(&mut node, evm_init(&[0x00]));
    let tx = activate_raw(&mut node, evm);
    assert_eq!(&tx.output[..], &ArbWasm::ProgramNotWasm {}.abi_encode()[..]);
    // The node still runs good programs afterwards.
    deploy_and_activate(&mut node, &wat(PROBE));
}

fn activate_raw(node: &mut Node, program: Address) -> ferrostake_devnode::node::TxRecord {
    use alloy_sol_types::SolCall;
    let input = ferrostake_devnode::arbos::ArbWasm::activateProgramCall { program }.abi_encode();
    send(
        node,
        Some(ferrostake_devnode::arbos::ARB_WASM),
        input,
        U256::from(10u64).pow(U256::from(17)),
    )
}
