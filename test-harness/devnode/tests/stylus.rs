//! Stylus execution on the in-process devnode: deployment and activation, a real stylus-sdk ERC-20
//! (contracts/test-tokens/erc20), cross-VM calls, reverts with data, delegatecall through an EVM
//! minimal proxy, create2 from a program, logs, reentrancy flag, snapshots.

mod common;

use alloy_primitives::{address, keccak256, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use common::*;
use ferrostake_devnode::arbos::{ArbWasm, ARB_WASM};
use ferrostake_devnode::node::{Node, NodeError, DEV_ADDRESS};
use ferrostake_devnode::stylus::program::compress;

sol! {
    interface Token {
        function mint(address to, uint256 amount) external;
        function balanceOf(address who) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function totalSupply() external view returns (uint256);
        event Transfer(address indexed from, address indexed to, uint256 value);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    }
}

const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");

fn token(node: &mut Node) -> Address {
    deploy_and_activate(node, &artifact("ferrostake_test_erc20"))
}

fn balance(node: &Node, t: Address, who: Address) -> U256 {
    let out = call(node, t, Token::balanceOfCall { who }.abi_encode()).unwrap();
    Token::balanceOfCall::abi_decode_returns(&out).unwrap()
}

#[test]
fn program_must_be_activated_and_activation_is_recorded() {
    let mut node = Node::new();
    let wasm = artifact("ferrostake_test_erc20");
    let t = deploy_wasm(&mut node, &wasm);
    assert_eq!(&node.code(t)[..3], &[0xEF, 0xF0, 0x00]);

    // Calling an inactive program fails as on Nitro: ArbWasm's error is the failure's message
    // (not revert data) and a transaction loses all its gas.
    let err = call(&node, t, Token::totalSupplyCall {}.abi_encode()).unwrap_err();
    assert_eq!(err, NodeError::Halted("error ProgramNotActivated()".into()));
    let tx = send(
        &mut node,
        Some(t),
        Token::totalSupplyCall {}.abi_encode(),
        U256::ZERO,
    );
    assert!(!tx.status);
    assert_eq!(tx.gas_used, tx.gas_limit);
    assert!(tx.output.is_empty());
    let codehash = keccak256(node.code(t));
    let v = call(
        &node,
        ARB_WASM,
        ArbWasm::codehashVersionCall { codehash }.abi_encode(),
    )
    .unwrap_err();
    assert!(
        matches!(v, NodeError::Reverted { ref data, .. } if data[..4] == ArbWasm::ProgramNotActivated::SELECTOR)
    );

    // Paying less than the fee is refused with the fee in the error.
    let input = ArbWasm::activateProgramCall { program: t }.abi_encode();
    let low = send(&mut node, Some(ARB_WASM), input.clone(), U256::from(1));
    assert!(!low.status);
    let e = ArbWasm::ProgramInsufficientValue::abi_decode(&low.output).unwrap();
    assert_eq!(e.have, U256::from(1));
    assert!(e.want > U256::ZERO);
    assert!(call(
        &node,
        ARB_WASM,
        ArbWasm::codehashVersionCall { codehash }.abi_encode()
    )
    .is_err());

    // Overpaying is refunded: the caller pays exactly the fee (plus gas).
    let before = node.balance(DEV_ADDRESS);
    let tx = send(
        &mut node,
        Some(ARB_WASM),
        input.clone(),
        U256::from(10u64).pow(U256::from(18)),
    );
    assert!(tx.status);
    let (version, fee) = {
        let r = ArbWasm::activateProgramCall::abi_decode_returns(&tx.output).unwrap();
        (r.version, r.dataFee)
    };
    assert_eq!(version, 2);
    let gas_cost = U256::from(tx.gas_used) * U256::from(tx.effective_gas_price());
    assert_eq!(node.balance(DEV_ADDRESS), before - fee - gas_cost);
    let ev = ArbWasm::ProgramActivated::decode_log_data(&tx.logs[0].data).unwrap();
    assert_eq!(ev.codehash, codehash);
    assert_eq!(ev.program, t);
    assert_eq!(ev.dataFee, fee);

    let v = call(
        &node,
        ARB_WASM,
        ArbWasm::codehashVersionCall { codehash }.abi_encode(),
    )
    .unwrap();
    assert_eq!(
        ArbWasm::codehashVersionCall::abi_decode_returns(&v).unwrap(),
        2
    );
    let fp = call(
        &node,
        ARB_WASM,
        ArbWasm::programMemoryFootprintCall { program: t }.abi_encode(),
    )
    .unwrap();
    assert!(ArbWasm::programMemoryFootprintCall::abi_decode_returns(&fp).unwrap() >= 1);
    // Activating again is refused.
    let again = send(&mut node, Some(ARB_WASM), input, fee);
    assert_eq!(
        &again.output[..],
        &ArbWasm::ProgramUpToDate {}.abi_encode()[..]
    );
}

#[test]
fn erc20_program_runs_with_storage_logs_and_typed_reverts() {
    let mut node = Node::new();
    let t = token(&mut node);
    let tx = send(
        &mut node,
        Some(t),
        Token::mintCall {
            to: ALICE,
            amount: U256::from(100),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(tx.status, "mint failed");
    assert_eq!(balance(&node, t, ALICE), U256::from(100));

    // Transfer from the dev account: it has nothing, so the ERC-6093 error comes back with data.
    let tx = send(
        &mut node,
        Some(t),
        Token::transferCall {
            to: BOB,
            value: U256::from(1),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(!tx.status);
    let e = Token::ERC20InsufficientBalance::abi_decode(&tx.output).unwrap();
    assert_eq!(
        (e.sender, e.balance, e.needed),
        (DEV_ADDRESS, U256::ZERO, U256::from(1))
    );
    assert!(tx.logs.is_empty());

    // Mint to the dev account and transfer: the Transfer log carries the indexed parties.
    send(
        &mut node,
        Some(t),
        Token::mintCall {
            to: DEV_ADDRESS,
            amount: U256::from(50),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let tx = send(
        &mut node,
        Some(t),
        Token::transferCall {
            to: BOB,
            value: U256::from(20),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(tx.status);
    assert_eq!(tx.logs.len(), 1);
    assert_eq!(tx.logs[0].address, t);
    let ev = Token::Transfer::decode_log_data(&tx.logs[0].data).unwrap();
    assert_eq!(
        (ev.from, ev.to, ev.value),
        (DEV_ADDRESS, BOB, U256::from(20))
    );
    assert_eq!(balance(&node, t, BOB), U256::from(20));
    assert_eq!(balance(&node, t, DEV_ADDRESS), U256::from(30));
    let logs = node.logs(
        0,
        node.block_number(),
        &[t],
        &[Some(vec![Token::Transfer::SIGNATURE_HASH])],
    );
    assert_eq!(logs.len(), 3, "two mints and one transfer");
    // Gas was charged and is plausible for a Stylus call (entry + storage), not zero.
    assert!(tx.gas_used > 21_000 + 5_000);
}

#[test]
fn cross_vm_calls_and_revert_data() {
    let mut node = Node::new();
    let t = token(&mut node);
    let router = deploy_and_activate(&mut node, &wat(WAT_ROUTER));
    let fwd_code = evm_forwarder();
    assert_eq!(fwd_code[0x28], 0x5b, "forwarder jump target");
    let evm_fwd = deploy_evm(&mut node, evm_init(&fwd_code));

    // EVM → WASM: the forwarder mints through the token; msg.sender is the forwarder.
    let mut payload = t.to_vec();
    payload.extend(
        Token::mintCall {
            to: ALICE,
            amount: U256::from(7),
        }
        .abi_encode(),
    );
    assert!(send(&mut node, Some(evm_fwd), payload, U256::ZERO).status);
    assert_eq!(balance(&node, t, ALICE), U256::from(7));

    // WASM → WASM: the router program calls the token program.
    let tx = send(
        &mut node,
        Some(router),
        router_call(
            t,
            &Token::mintCall {
                to: BOB,
                amount: U256::from(3),
            }
            .abi_encode(),
        ),
        U256::ZERO,
    );
    assert!(tx.status);
    assert_eq!(balance(&node, t, BOB), U256::from(3));
    let out = call(
        &node,
        router,
        router_call(t, &Token::balanceOfCall { who: BOB }.abi_encode()),
    )
    .unwrap();
    assert_eq!(U256::from_be_slice(&out), U256::from(3));

    // WASM → EVM → WASM: router → forwarder → token, and a revert travels back with its data.
    let mut inner = t.to_vec();
    inner.extend(
        Token::transferCall {
            to: ALICE,
            value: U256::from(1),
        }
        .abi_encode(),
    );
    let tx = send(
        &mut node,
        Some(router),
        router_call(evm_fwd, &inner),
        U256::ZERO,
    );
    assert!(!tx.status);
    let e = Token::ERC20InsufficientBalance::abi_decode(&tx.output).unwrap();
    assert_eq!(e.sender, evm_fwd);
    // State is unchanged by the reverted call.
    assert_eq!(balance(&node, t, ALICE), U256::from(7));

    // EVM → WASM revert data reaches the EVM caller too.
    let tx = send(&mut node, Some(evm_fwd), inner, U256::ZERO);
    assert!(!tx.status);
    assert_eq!(&tx.output[..4], &Token::ERC20InsufficientBalance::SELECTOR);
}

#[test]
fn delegatecall_through_an_evm_minimal_proxy_uses_proxy_storage() {
    let mut node = Node::new();
    let t = token(&mut node);
    let proxy = deploy_evm(&mut node, minimal_proxy_init(t));
    assert!(
        send(
            &mut node,
            Some(proxy),
            Token::mintCall {
                to: ALICE,
                amount: U256::from(11)
            }
            .abi_encode(),
            U256::ZERO
        )
        .status
    );
    // Balances live in the proxy's storage, not the implementation's.
    assert_eq!(balance(&node, proxy, ALICE), U256::from(11));
    assert_eq!(balance(&node, t, ALICE), U256::ZERO);
    // The Transfer event is emitted by the proxy address.
    let logs = node.logs(node.block_number(), node.block_number(), &[], &[]);
    assert_eq!(logs[0].0.address, proxy);
}

#[test]
fn create2_from_a_program_deploys_where_expected() {
    let mut node = Node::new();
    let router = deploy_and_activate(&mut node, &wat(WAT_ROUTER));
    let init = evm_init(&evm_forwarder());
    let salt = [0x42u8; 32];
    let mut input = vec![1u8];
    input.extend_from_slice(&salt);
    input.extend_from_slice(&init);
    let tx = send(&mut node, Some(router), input.clone(), U256::ZERO);
    assert!(tx.status);
    let created = Address::from_slice(&tx.output);
    let expected = router.create2(salt, keccak256(&init));
    assert_eq!(created, expected);
    assert_eq!(&node.code(created)[..], &evm_forwarder()[..]);
    // The same salt again collides: create2 returns the zero address and the router reverts.
    let tx = send(&mut node, Some(router), input, U256::ZERO);
    assert!(!tx.status);

    // A program can create2 another Stylus program (the prelude-wrapped compressed code).
    let mut input = vec![1u8];
    input.extend_from_slice(&[7u8; 32]);
    let code_init =
        ferrostake_devnode::stylus::program::deploy_init_code(&compress(&wat(WAT_ROUTER)));
    input.extend_from_slice(&code_init);
    let tx = send(&mut node, Some(router), input, U256::ZERO);
    assert!(tx.status);
    let child = Address::from_slice(&tx.output);
    assert_eq!(&node.code(child)[..3], &[0xEF, 0xF0, 0x00]);
}

#[test]
fn logs_reentrancy_flag_and_static_protection() {
    let mut node = Node::new();
    let router = deploy_and_activate(&mut node, &wat(WAT_ROUTER));
    let topic = [0xABu8; 32];
    let mut input = vec![3u8];
    input.extend_from_slice(&topic);
    let tx = send(&mut node, Some(router), input.clone(), U256::ZERO);
    assert!(tx.status);
    assert_eq!(tx.output.as_ref(), &[0u8], "not reentrant on a plain call");
    assert_eq!(tx.logs.len(), 1);
    assert_eq!(tx.logs[0].topics()[0].0, topic);
    // router → router(mode 3): the inner frame sees itself reentered.
    let tx = send(
        &mut node,
        Some(router),
        router_call(router, &input),
        U256::ZERO,
    );
    assert!(tx.status);
    assert_eq!(tx.output.as_ref(), &[1u8]);
    // eth_call is not static, but a log inside STATICCALL is refused: the router calls itself
    // through a static call? The router uses CALL; use the EVM to STATICCALL instead.
    // STATICCALL(gas, addr, argsOffset, argsSize, retOffset, retSize) forwarding calldata.
    let static_fwd: Vec<u8> = {
        let mut c = vec![0x36, 0x60, 0x00, 0x60, 0x00, 0x37]; // CALLDATACOPY(0, 0, size)
        c.extend_from_slice(&[0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x73]);
        c.extend_from_slice(router.as_slice());
        c.extend_from_slice(&[0x5a, 0xfa, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
        c
    };
    let sf = deploy_evm(&mut node, evm_init(&static_fwd));
    let out = call(&node, sf, input).unwrap();
    assert_eq!(
        U256::from_be_slice(&out),
        U256::ZERO,
        "the static call failed (log in static context)"
    );
}

#[test]
fn snapshots_undo_program_state_and_activation() {
    let mut node = Node::new();
    let snap = node.snapshot();
    let t = token(&mut node);
    send(
        &mut node,
        Some(t),
        Token::mintCall {
            to: ALICE,
            amount: U256::from(5),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let inner = node.snapshot();
    send(
        &mut node,
        Some(t),
        Token::mintCall {
            to: ALICE,
            amount: U256::from(5),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert_eq!(balance(&node, t, ALICE), U256::from(10));
    node.revert(inner).unwrap();
    assert_eq!(balance(&node, t, ALICE), U256::from(5));
    node.revert(snap).unwrap();
    assert_eq!(node.code(t), Bytes::new());
    assert_eq!(node.block_number(), 0);
}

#[test]
fn out_of_gas_consumes_all_and_changes_nothing() {
    let mut node = Node::new();
    let t = token(&mut node);
    let req = ferrostake_devnode::node::TxRequest {
        from: Some(DEV_ADDRESS),
        to: Some(t),
        input: Token::mintCall {
            to: ALICE,
            amount: U256::from(1),
        }
        .abi_encode()
        .into(),
        gas: Some(30_000),
        ..Default::default()
    };
    let h = node.send_transaction(req).unwrap();
    let tx = node.transaction(h).unwrap();
    assert!(!tx.status);
    assert_eq!(tx.gas_used, 30_000);
    assert_eq!(balance(&node, t, ALICE), U256::ZERO);
}

#[test]
fn cached_programs_pay_the_cheaper_entry_cost() {
    use ferrostake_devnode::arbos::{ArbWasmCache, ARB_WASM_CACHE};
    let mut node = Node::new();
    let t = token(&mut node);
    send(
        &mut node,
        Some(t),
        Token::mintCall {
            to: DEV_ADDRESS,
            amount: U256::from(100),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let transfer = |node: &mut Node| {
        send(
            node,
            Some(t),
            Token::transferCall {
                to: BOB,
                value: U256::from(1),
            }
            .abi_encode(),
            U256::ZERO,
        )
        .gas_used
    };
    transfer(&mut node); // BOB's slot becomes non-zero: later transfers are identical work
    let uncached = transfer(&mut node);
    let codehash = keccak256(node.code(t));
    let is_cached = |node: &Node| {
        let out = call(
            node,
            ARB_WASM_CACHE,
            ArbWasmCache::codehashIsCachedCall { codehash }.abi_encode(),
        )
        .unwrap();
        ArbWasmCache::codehashIsCachedCall::abi_decode_returns(&out).unwrap()
    };
    assert!(!is_cached(&node));
    // Only the chain owner may cache on the devnode.
    let stranger = address!("00000000000000000000000000000000000000cc");
    node.set_balance(stranger, U256::from(10u64).pow(U256::from(18)));
    node.impersonate(stranger, true);
    let h = node
        .send_transaction(ferrostake_devnode::node::TxRequest {
            from: Some(stranger),
            to: Some(ARB_WASM_CACHE),
            input: ArbWasmCache::cacheProgramCall { addr: t }
                .abi_encode()
                .into(),
            ..Default::default()
        })
        .unwrap_err();
    let _ = h;
    assert!(!is_cached(&node));
    let tx = send(
        &mut node,
        Some(ARB_WASM_CACHE),
        ArbWasmCache::cacheProgramCall { addr: t }.abi_encode(),
        U256::ZERO,
    );
    assert!(tx.status);
    assert!(is_cached(&node));
    let cached = transfer(&mut node);
    // The difference is exactly the uncached init charge: MinInitGas·128 + the program's init
    // cost, which programInitGas reports as its uncached figure minus its cached one (Nitro v2:
    // the uncached figure includes the cached part).
    let init = call(
        &node,
        ARB_WASM,
        ArbWasm::programInitGasCall { program: t }.abi_encode(),
    )
    .unwrap();
    let init = ArbWasm::programInitGasCall::abi_decode_returns(&init).unwrap();
    assert_eq!(uncached - cached, init.gas - init.gasWhenCached);
    // minInitGas answers gas: MinInitGas 69 × 128 and MinCachedInitGas 11 × 32 (Stylus v2).
    let min = call(&node, ARB_WASM, ArbWasm::minInitGasCall {}.abi_encode()).unwrap();
    let min = ArbWasm::minInitGasCall::abi_decode_returns(&min).unwrap();
    assert_eq!((min.gas, min.cached), (69 * 128, 11 * 32));
    // The cached figure is what every call to a cached program pays on entry beyond memory.
    assert!(init.gasWhenCached >= 11 * 32);
    let tx = send(
        &mut node,
        Some(ARB_WASM_CACHE),
        ArbWasmCache::evictCodehashCall { codehash }.abi_encode(),
        U256::ZERO,
    );
    assert!(tx.status);
    assert_eq!(transfer(&mut node), uncached);
}

/// The gas profile attributes each program run to its account and program, with its entry cost
/// and its own storage traffic priced by EIP-2929/2200 (cold read 2,100; writing a fresh warm slot
/// 20,000).
#[test]
fn gas_profile_attributes_program_runs() {
    let mut node = Node::new();
    let t = token(&mut node);
    let proxy = deploy_evm(&mut node, minimal_proxy_init(t));
    let mint = Token::mintCall {
        to: ALICE,
        amount: U256::from(5),
    }
    .abi_encode();
    assert!(node.last_profile().frames.is_empty(), "off by default");

    node.set_profiling(true);
    let tx = send(&mut node, Some(proxy), mint.clone(), U256::ZERO);
    assert!(tx.status);
    let p = node.last_profile().frames;
    assert_eq!(p.len(), 1, "{p:?}");
    let f = &p[0];
    assert_eq!(f.parent, None);
    // The EVM proxy is the transaction's frame (depth 0); the program runs beneath it.
    assert_eq!((f.depth, f.target, f.code, f.delegate), (1, proxy, t, true));
    assert_eq!(f.selector, Token::mintCall::SELECTOR);
    assert!(f.ok);
    // A first mint reads and writes the total supply and the balance: two cold reads, then two
    // writes of zero slots that the reads made warm.
    assert_eq!((f.stats.sloads, f.stats.sload_gas), (2, 2 * 2_100));
    assert_eq!((f.stats.sstores, f.stats.sstore_gas), (2, 2 * 20_000));
    assert!(f.entry > 0);
    assert!(f.used >= f.entry + 2 * 2_100 + 2 * 20_000);
    assert!(f.used < tx.gas_used);

    // A failed run is recorded as such, and a new run replaces the profile.
    let tx = send(
        &mut node,
        Some(t),
        Token::transferCall {
            to: BOB,
            value: U256::from(1),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(!tx.status);
    let p = node.last_profile().frames;
    assert_eq!(p.len(), 1);
    assert_eq!(
        (p[0].depth, p[0].target, p[0].delegate, p[0].ok),
        (0, t, false, false)
    );
    assert_eq!(p[0].stats.sstores, 0);

    node.set_profiling(false);
    send(&mut node, Some(proxy), mint, U256::ZERO);
    assert!(node.last_profile().frames.is_empty());
}

/// Nitro's return-data floor (ArbOS ≥ 31): a run returning `len` bytes leaves at most
/// `startingGas − evmMemoryCost(len)`, where `startingGas` is the gas the call started with
/// (entry costs included) and `evmMemoryCost = 3·words + words²/512`. A program that returns
/// 64 KiB cheaply is charged exactly that floor: the transaction uses 21,000 + 6,144 + 8,192.
#[test]
fn returned_data_costs_its_evm_memory_from_the_starting_gas() {
    const BIG_RETURN: &str = r#"(module
      (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
      (memory (export "memory") 2)
      (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $write_result (i32.const 0) (i32.const 65536))
        (i32.const 0)))"#;
    let mut node = Node::new();
    let program = deploy_and_activate(&mut node, &wat(BIG_RETURN));
    let tx = send(&mut node, Some(program), Vec::new(), U256::ZERO);
    assert!(tx.status);
    assert_eq!(tx.output.len(), 65_536);
    let words: u64 = 65_536 / 32;
    assert_eq!(tx.gas_used, 21_000 + 3 * words + words * words / 512);
}
