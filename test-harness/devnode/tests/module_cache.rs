//! The compiled-module cache is invisible to the chain: a program run uses the same gas and gives
//! the same output, logs and storage whether its module was compiled for the run or taken from the
//! cache, and changed code (another address, code replaced in place, re-activation after expiry)
//! always runs the new code, never a stale module.

mod common;

use alloy_primitives::{address, keccak256, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall};
use common::*;
use ferrostake_devnode::arbos::{ArbWasm, ARB_WASM};
use ferrostake_devnode::node::{Node, NodeError, TxRequest, DEV_ADDRESS};

sol! {
    interface Token {
        function mint(address to, uint256 amount) external;
        function balanceOf(address who) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
    }
}

const BOB: Address = address!("0000000000000000000000000000000000000b0b");

/// A program that returns `byte` repeated `n` times (`n` makes the code differ in size too).
fn constant_program(byte: u8, n: usize) -> Vec<u8> {
    let data: String = std::iter::repeat_n(format!("\\{byte:02x}"), n).collect();
    wat(&format!(
        r#"(module
          (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 256) "{data}")
          (func (export "user_entrypoint") (param i32) (result i32)
            (call $write_result (i32.const 256) (i32.const {n}))
            (i32.const 0)))"#
    ))
}

fn estimate(node: &Node, to: Address, input: &[u8]) -> u64 {
    node.estimate_gas(
        &TxRequest {
            from: Some(DEV_ADDRESS),
            to: Some(to),
            input: Bytes::copy_from_slice(input),
            ..Default::default()
        },
        &Default::default(),
    )
    .expect("estimates")
}

#[test]
fn a_cached_module_runs_exactly_like_a_fresh_compile() {
    let mut node = Node::new();
    let token = deploy_and_activate(&mut node, &artifact("ferrostake_test_erc20"));
    let mint = Token::mintCall {
        to: DEV_ADDRESS,
        amount: U256::from(1_000_000u64),
    };
    assert!(send(&mut node, Some(token), mint.abi_encode(), U256::ZERO).status);
    let transfer = Token::transferCall {
        to: BOB,
        value: U256::from(7),
    }
    .abi_encode();
    let rt = node.runtime().clone();

    // Activation compiled the program; drop it so the next run compiles afresh.
    assert_eq!(rt.compiled_modules(), 1);
    let mut snap = node.snapshot();
    rt.clear_modules();
    assert_eq!(rt.compiled_modules(), 0);
    let fresh = send(&mut node, Some(token), transfer.clone(), U256::ZERO);
    assert!(fresh.status);
    assert_eq!(
        rt.compiled_modules(),
        1,
        "the run compiled and kept the module"
    );

    // The same transaction on the same state, now from the cache (twice).
    for _ in 0..2 {
        node.revert(snap).unwrap();
        snap = node.snapshot();
        let cached = send(&mut node, Some(token), transfer.clone(), U256::ZERO);
        assert_eq!(rt.compiled_modules(), 1);
        assert!(cached.status);
        assert_eq!(cached.gas_used, fresh.gas_used);
        assert_eq!(cached.output, fresh.output);
        assert_eq!(cached.logs, fresh.logs);
        assert_eq!(cached.storage, fresh.storage);
        let bob = Token::balanceOfCall::abi_decode_returns(
            &call(&node, token, Token::balanceOfCall { who: BOB }.abi_encode()).unwrap(),
        )
        .unwrap();
        assert_eq!(bob, U256::from(7));
    }

    // Simulations too: the gas estimate is the same compiled afresh and from the cache.
    let cached_estimate = estimate(&node, token, &transfer);
    rt.clear_modules();
    let fresh_estimate = estimate(&node, token, &transfer);
    assert_eq!(fresh_estimate, cached_estimate);
    assert_eq!(rt.compiled_modules(), 1);
}

#[test]
fn changed_code_never_runs_a_stale_module() {
    let mut node = Node::new();
    let a = deploy_and_activate(&mut node, &constant_program(0xAA, 4));
    assert_eq!(&call(&node, a, vec![]).unwrap()[..], &[0xAA; 4]);

    // Different code at a new address runs its own code; the first program is unaffected.
    let b = deploy_and_activate(&mut node, &constant_program(0xBB, 8));
    assert_ne!(keccak256(node.code(a)), keccak256(node.code(b)));
    assert_eq!(&call(&node, b, vec![]).unwrap()[..], &[0xBB; 8]);
    assert_eq!(&call(&node, a, vec![]).unwrap()[..], &[0xAA; 4]);
    let b_gas = send(&mut node, Some(b), vec![], U256::ZERO);
    assert!(b_gas.status);
    assert_eq!(&b_gas.output[..], &[0xBB; 8]);

    // Code replaced in place (anvil_setCode) runs the new code, activated under its own codehash.
    node.set_code(a, node.code(b));
    assert_eq!(&call(&node, a, vec![]).unwrap()[..], &[0xBB; 8]);

    // Once the activation expires the program no longer runs; re-activated, it runs again with
    // the same entry costs and the same output.
    node.increase_time(366 * 86_400);
    assert!(matches!(
        call(&node, b, vec![]),
        Err(NodeError::Halted(ref m)) if m.starts_with("error ProgramExpired(")
    ));
    let again = activate(&mut node, b);
    assert!(again.status, "re-activation succeeds after expiry");
    assert_eq!(&call(&node, b, vec![]).unwrap()[..], &[0xBB; 8]);
    assert_eq!(&call(&node, a, vec![]).unwrap()[..], &[0xBB; 8]);
    let b_again = send(&mut node, Some(b), vec![], U256::ZERO);
    assert!(b_again.status);
    assert_eq!(b_again.gas_used, b_gas.gas_used);
    assert_eq!(b_again.output, b_gas.output);

    // A program whose code was never activated does not run, whatever the cache holds.
    let c = deploy_wasm(&mut node, &constant_program(0xCC, 4));
    assert_eq!(
        call(&node, c, vec![]),
        Err(NodeError::Halted("error ProgramNotActivated()".into()))
    );
    let input = ArbWasm::codehashVersionCall {
        codehash: keccak256(node.code(c)),
    }
    .abi_encode();
    assert!(call(&node, ARB_WASM, input).is_err());
}
