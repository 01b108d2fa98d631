//! Host-function charges as Nitro (ArbOS 40) makes them, measured inside small programs written
//! against `vm_hooks`: each probe reads `evm_ink_left` around every host call it makes and returns
//! the ink each call took. Two calls taking the same path through a probe pay the same metered
//! instructions, so the difference of their ink is exactly the difference of what the host charged;
//! each expected difference is computed here from Nitro's rules (`arbos/programs/api.go`,
//! `arbutil/src/evm/req.rs` and `storage.rs`, `user-host-trait`), not from the devnode's code.

mod common;

use alloy_primitives::{address, Address, U256};
use common::*;
use ferrostake_devnode::node::Node;

/// Ink per gas.
const INK: i64 = 10_000;
/// EIP-2929 account access prices and EXTCODESIZE's base (Nitro's `WasmAccountTouchCost`).
const COLD_ACCOUNT: i64 = 2_600;
const WARM_ACCOUNT: i64 = 100;
const EXTCODE: i64 = 700;

/// Nitro's `pay_for_write(n)`: 5,040 ink plus 30 per byte beyond the first 32.
fn write_ink(n: usize) -> i64 {
    5_040 + 30 * (n as i64 - 32).max(0)
}

fn deltas(out: &[u8]) -> Vec<i64> {
    out.chunks(8)
        .map(|c| i64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Records of 25 bytes: op (0 `account_code_size`, 1 `account_code` from offset 0), the address,
/// and for `account_code` the size to copy (u32 LE). Returns the ink of each call.
const CODE_PROBE: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "evm_ink_left" (func $ink (result i64)))
  (import "vm_hooks" "account_code_size" (func $code_size (param i32) (result i32)))
  (import "vm_hooks" "account_code" (func $code (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $p i32) (local $o i32) (local $before i64)
    (call $read_args (i32.const 0))
    (local.set $o (i32.const 32768))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $before (call $ink))
        (if (i32.eqz (i32.load8_u (local.get $p)))
          (then (drop (call $code_size (i32.add (local.get $p) (i32.const 1)))))
          (else (drop (call $code (i32.add (local.get $p) (i32.const 1)) (i32.const 0)
            (i32.load (i32.add (local.get $p) (i32.const 21))) (i32.const 40000)))))
        (i64.store (local.get $o) (i64.sub (local.get $before) (call $ink)))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (local.set $p (i32.add (local.get $p) (i32.const 25)))
        (br $next)))
    (call $write_result (i32.const 32768) (i32.sub (local.get $o) (i32.const 32768)))
    (i32.const 0)))"#;

fn code_op(op: u8, a: Address, size: u32) -> Vec<u8> {
    let mut v = vec![op];
    v.extend_from_slice(a.as_slice());
    v.extend_from_slice(&size.to_le_bytes());
    v
}

#[test]
fn account_code_repeat_lookups_are_free_and_the_whole_code_is_paid_for() {
    let mut node = Node::new();
    let probe = deploy_and_activate(&mut node, &wat(CODE_PROBE));
    let short = deploy_evm(&mut node, evm_init(&[0x00; 10]));
    let long = deploy_evm(&mut node, evm_init(&[0x5b; 200]));
    let empty = address!("00000000000000000000000000000000000e3e00");
    let (short_len, long_len) = (node.code(short).len(), node.code(long).len());
    assert_eq!((short_len, long_len), (10, 200));

    let script = [
        code_op(0, short, 0),              // 0: first lookup, cold
        code_op(0, short, 0),              // 1: repeat of the last address: free
        code_op(1, long, 0),               // 2: first lookup, cold
        code_op(1, long, 0),               // 3: repeat: free
        code_op(1, long, long_len as u32), // 4: repeat copying all of it
        code_op(1, short, 0),              // 5: another address again: warm
        code_op(0, short, 0),              // 6: repeat (shared by both host functions)
        code_op(0, empty, 0),              // 7: an account without code, cold
        code_op(0, empty, 0),              // 8: empty code is not remembered (ArbOS 40): warm
    ]
    .concat();
    let tx = send(&mut node, Some(probe), script, U256::ZERO);
    assert!(tx.status);
    let d = deltas(&tx.output);
    assert_eq!(d.len(), 9);

    // A repeat lookup of the last address costs nothing; the first paid EXTCODESIZE + cold access.
    assert_eq!(d[0] - d[1], (EXTCODE + COLD_ACCOUNT) * INK);
    assert_eq!(d[2] - d[3], (EXTCODE + COLD_ACCOUNT) * INK);
    assert_eq!(
        d[6], d[1],
        "account_code and account_code_size share the last code"
    );
    // account_code pays the write price of the whole code, whatever it copies.
    assert_eq!(d[4], d[3]);
    // Another address: warm lookup, and the write price of its own (shorter) code.
    assert_eq!(
        d[5] - d[3],
        (EXTCODE + WARM_ACCOUNT) * INK + write_ink(short_len) - write_ink(long_len)
    );
    // An empty code is looked up again every time.
    assert_eq!(d[7] - d[8], (COLD_ACCOUNT - WARM_ACCOUNT) * INK);
    assert_eq!(d[8] - d[1], (EXTCODE + WARM_ACCOUNT) * INK);
}

/// Records of 65 bytes: op (0 load, 1 cache, 2 flush without clearing), key, value.
const STORAGE_PROBE: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "evm_ink_left" (func $ink (result i64)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $p i32) (local $o i32) (local $op i32) (local $before i64)
    (call $read_args (i32.const 0))
    (local.set $o (i32.const 32768))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $op (i32.load8_u (local.get $p)))
        (local.set $before (call $ink))
        (if (i32.eqz (local.get $op))
          (then (call $load (i32.add (local.get $p) (i32.const 1)) (i32.const 40000)))
          (else (if (i32.eq (local.get $op) (i32.const 1))
            (then (call $cache (i32.add (local.get $p) (i32.const 1))
              (i32.add (local.get $p) (i32.const 33))))
            (else (call $flush (i32.const 0))))))
        (i64.store (local.get $o) (i64.sub (local.get $before) (call $ink)))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (local.set $p (i32.add (local.get $p) (i32.const 65)))
        (br $next)))
    (call $write_result (i32.const 32768) (i32.sub (local.get $o) (i32.const 32768)))
    (i32.const 0)))"#;

fn storage_op(op: u8, key: u64, value: u64) -> Vec<u8> {
    let mut v = vec![op];
    v.extend_from_slice(&U256::from(key).to_be_bytes::<32>());
    v.extend_from_slice(&U256::from(value).to_be_bytes::<32>());
    v
}

#[test]
fn storage_cache_writes_back_only_changed_values_and_prices_by_count() {
    let mut node = Node::new();
    let probe = deploy_and_activate(&mut node, &wat(STORAGE_PROBE));
    let (key, v, v2) = (7u64, 11u64, 12u64);
    node.set_storage(probe, U256::from(key), U256::from(v));

    let (load, cache, flush) = (0u8, 1u8, 2u8);
    let mut script = vec![
        storage_op(load, key, 0),   // 0: miss, cold slot
        storage_op(flush, 0, 0),    // 1: nothing to write
        storage_op(cache, key, v),  // 2: the value the slot already holds
        storage_op(flush, 0, 0),    // 3: still nothing to write
        storage_op(cache, key, v2), // 4: a change...
        storage_op(cache, key, v),  // 5: ...written back before the flush
        storage_op(flush, 0, 0),    // 6: nothing to write
        storage_op(cache, key, v2), // 7: a change
        storage_op(flush, 0, 0),    // 8: one SSTORE
        storage_op(cache, key, v2), // 9: the flushed value again
        storage_op(flush, 0, 0),    // 10: nothing to write
    ];
    // Cache writes 6..=12 of the call, then loads 2..=40 (all hits).
    let first_extra_write = script.len();
    for _ in 6..=12 {
        script.push(storage_op(cache, key, v2));
    }
    let first_hit = script.len();
    for _ in 2..=40 {
        script.push(storage_op(load, key, 0));
    }
    let tx = send(&mut node, Some(probe), script.concat(), U256::ZERO);
    assert!(tx.status);
    let d = deltas(&tx.output);
    let write = |n: usize| d[first_extra_write + n - 6]; // the n-th cache write of the call
    let read = |n: usize| d[first_hit + n - 2]; // the n-th load of the call

    // Unchanged values are not dirty: those flushes write nothing, like the empty one.
    assert_eq!(d[3], d[1]);
    assert_eq!(d[6], d[1]);
    assert_eq!(d[10], d[1]);
    // A changed value is one warm SSTORE (EIP-2200/2929: original ≠ current = new... 5,000 − 2,100).
    assert_eq!(d[8] - d[1], 2_900 * INK);
    assert_eq!(
        node.storage(probe, U256::from(key)),
        U256::from(v2),
        "the flush landed"
    );

    // Nitro's counters: the first 8 cache writes are free, the 9th to 64th cost 7 gas.
    assert_eq!(d[2], d[4]);
    assert_eq!(write(8), d[2]);
    assert_eq!(write(9) - write(8), 7 * INK);
    assert_eq!(write(12), write(9));
    // Loads: a hit costs nothing for the first 32, then 2 gas up to the 128th.
    assert_eq!(read(32), read(2));
    assert_eq!(read(33) - read(32), 2 * INK);
    assert_eq!(read(40), read(33));
    // A miss pays the cold slot and EVM_API_INK in whole gas (59,673 ink → 5 gas).
    assert_eq!(d[0] - read(2), (2_100 + 5) * INK);
}

/// Records of 60 bytes: target, value (32 bytes), gas (u64 LE); calls each target with no
/// calldata. Returns per call the status (i64) and the ink it took.
const CALL_PROBE: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "evm_ink_left" (func $ink (result i64)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $p i32) (local $o i32) (local $before i64) (local $status i32)
    (call $read_args (i32.const 0))
    (local.set $o (i32.const 32768))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $before (call $ink))
        (local.set $status (call $call (local.get $p) (i32.const 0) (i32.const 0)
          (i32.add (local.get $p) (i32.const 20))
          (i64.load (i32.add (local.get $p) (i32.const 52))) (i32.const 40000)))
        (i64.store (i32.add (local.get $o) (i32.const 8)) (i64.sub (local.get $before) (call $ink)))
        (i64.store (local.get $o) (i64.extend_i32_u (local.get $status)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 60)))
        (br $next)))
    (call $write_result (i32.const 32768) (i32.sub (local.get $o) (i32.const 32768)))
    (i32.const 0)))"#;

fn call_op(target: Address, value: u64, gas: u64) -> Vec<u8> {
    let mut v = target.to_vec();
    v.extend_from_slice(&U256::from(value).to_be_bytes::<32>());
    v.extend_from_slice(&gas.to_le_bytes());
    v
}

#[test]
fn calls_charge_the_stipend_report_failure_and_unactivated_programs_take_all_gas() {
    let mut node = Node::new();
    let probe = deploy_and_activate(&mut node, &wat(CALL_PROBE));
    node.set_balance(probe, U256::from(1_000u64));
    // A funded account without code (not empty: no new-account charge), a contract that
    // reverts at once (PUSH0 PUSH0 REVERT: 2 + 2 gas), and a program that was never activated.
    let payee = address!("00000000000000000000000000000000000a7e00");
    node.set_balance(payee, U256::from(1u64));
    let reverter = deploy_evm(&mut node, evm_init(&[0x5f, 0x5f, 0xfd]));
    let inactive = deploy_wasm(&mut node, &wat(CODE_PROBE));
    let gas = 100_000;

    let script = [
        call_op(payee, 0, gas),    // 0: cold, no value
        call_op(payee, 0, gas),    // 1: warm, no value
        call_op(payee, 1, gas),    // 2: warm, with value
        call_op(reverter, 0, gas), // 3: cold, reverts
        call_op(inactive, 0, gas), // 4: cold, not activated
    ]
    .concat();
    let tx = send(&mut node, Some(probe), script, U256::ZERO);
    assert!(tx.status);
    let out: Vec<i64> = deltas(&tx.output);
    let (status, d): (Vec<i64>, Vec<i64>) = (
        out.iter().step_by(2).copied().collect(),
        out.iter().skip(1).step_by(2).copied().collect(),
    );

    assert_eq!(status[..3], [0, 0, 0]);
    // Nitro's cost of a call: baseCost + (gas − returnGas), with the 2,300 stipend in `gas` for
    // a value transfer: the callee used nothing, so the caller pays exactly the 9,000 for value.
    assert_eq!(d[0] - d[1], (COLD_ACCOUNT - WARM_ACCOUNT) * INK);
    assert_eq!(d[2] - d[1], 9_000 * INK);
    assert_eq!(node.balance(payee), U256::from(2u64));

    // A failed call reports Nitro's `UserOutcomeKind::Failure` (2); the caller paid what the
    // callee used (two PUSH0).
    assert_eq!(status[3], 2);
    assert_eq!(d[3] - d[0], 4 * INK);
    // Calling a program that is not activated fails and consumes all the gas it was given.
    assert_eq!(status[4], 2);
    assert_eq!(d[4] - d[0], gas as i64 * INK);
}
