//! EIP-7623's calldata floor as ArbOS 40 runs it: off at genesis, switched by the chain owner
//! through `ArbOwner.setCalldataPriceIncrease(bool)` and read through
//! `ArbOwnerPublic.isCalldataPriceIncreaseEnabled()`. Expected gas comes from the EIPs' formulas
//! (EIP-2028 calldata prices, EIP-7623's floor), not from the devnode.

mod common;

use alloy_primitives::{address, keccak256, Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use common::*;
use ferrostake_devnode::arbos::{ArbOwner, ArbOwnerPublic, ARB_OWNER, ARB_OWNER_PUBLIC};
use ferrostake_devnode::node::{Node, TxRequest, DEV_ADDRESS};

/// An address with no code: a transaction to it runs no execution, so its gas is intrinsic only.
const SINK: Address = address!("00000000000000000000000000000000000b0b00");

fn selector(signature: &str) -> [u8; 4] {
    keccak256(signature.as_bytes())[..4].try_into().unwrap()
}

/// EIP-2028: 21,000 plus 4 gas per zero byte and 16 per non-zero byte.
fn standard_gas(data: &[u8]) -> u64 {
    21_000
        + data
            .iter()
            .map(|b| if *b == 0 { 4 } else { 16 })
            .sum::<u64>()
}

/// EIP-7623: tokens = zero bytes + 4 · non-zero bytes; floor = 21,000 + 10 · tokens.
fn floor_gas(data: &[u8]) -> u64 {
    let zeros = data.iter().filter(|b| **b == 0).count() as u64;
    let tokens = zeros + 4 * (data.len() as u64 - zeros);
    21_000 + 10 * tokens
}

/// Calldata-heavy input: 600 non-zero bytes and 100 zero bytes.
fn heavy() -> Vec<u8> {
    let mut data: Vec<u8> = (0..600u32).map(|i| (i % 255) as u8 + 1).collect();
    data.extend([0u8; 100]);
    data
}

fn enabled(node: &Node) -> bool {
    let out = call(
        node,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::isCalldataPriceIncreaseEnabledCall {}.abi_encode(),
    )
    .expect("view answers");
    ArbOwnerPublic::isCalldataPriceIncreaseEnabledCall::abi_decode_returns(&out).unwrap()
}

#[test]
fn selectors_are_nitros() {
    assert_eq!(
        selector("setCalldataPriceIncrease(bool)"),
        [0x8e, 0xb9, 0x11, 0xd9]
    );
    assert_eq!(
        ArbOwner::setCalldataPriceIncreaseCall::SELECTOR,
        selector("setCalldataPriceIncrease(bool)")
    );
    assert_eq!(
        ArbOwnerPublic::isCalldataPriceIncreaseEnabledCall::SELECTOR,
        selector("isCalldataPriceIncreaseEnabled()")
    );
    assert_eq!(
        ArbOwner::OwnerActs::SIGNATURE_HASH,
        keccak256("OwnerActs(bytes4,address,bytes)")
    );
}

#[test]
fn calldata_floor_is_off_until_the_chain_owner_turns_it_on() {
    let mut node = Node::new();
    let data = heavy();
    assert!(
        floor_gas(&data) > standard_gas(&data),
        "the input is calldata-heavy"
    );

    // Genesis: off, so a calldata-heavy transaction pays 4/16 per byte.
    assert!(!enabled(&node));
    let tx = send(&mut node, Some(SINK), data.clone(), U256::ZERO);
    assert!(tx.status);
    assert_eq!(tx.gas_used, standard_gas(&data));

    // The chain owner turns it on; Nitro charges the owner nothing beyond the transaction's
    // intrinsic gas and logs OwnerActs(selector, owner, calldata).
    let input = ArbOwner::setCalldataPriceIncreaseCall { enable: true }.abi_encode();
    let on = send(&mut node, Some(ARB_OWNER), input.clone(), U256::ZERO);
    assert!(on.status);
    assert_eq!(on.gas_used, standard_gas(&input));
    assert_eq!(on.logs.len(), 1);
    assert_eq!(on.logs[0].address, ARB_OWNER);
    let acts = ArbOwner::OwnerActs::decode_log_data(&on.logs[0].data).unwrap();
    assert_eq!(acts.method.0, selector("setCalldataPriceIncrease(bool)"));
    assert_eq!(acts.owner, DEV_ADDRESS);
    assert_eq!(acts.data.as_ref(), &input[..]);
    assert!(enabled(&node));

    // On: the same transaction pays EIP-7623's floor (no execution gas to compare with).
    let tx = send(&mut node, Some(SINK), data.clone(), U256::ZERO);
    assert!(tx.status);
    assert_eq!(tx.gas_used, floor_gas(&data).max(standard_gas(&data)));
    assert_eq!(tx.gas_used, floor_gas(&data));

    // A transaction below the floor is refused while it is on.
    let low = node.send_transaction(TxRequest {
        from: Some(DEV_ADDRESS),
        to: Some(SINK),
        input: data.clone().into(),
        gas: Some(floor_gas(&data) - 1),
        ..Default::default()
    });
    assert!(low.is_err(), "{low:?}");

    // And off again.
    let input = ArbOwner::setCalldataPriceIncreaseCall { enable: false }.abi_encode();
    let off = send(&mut node, Some(ARB_OWNER), input.clone(), U256::ZERO);
    assert!(off.status);
    assert!(!enabled(&node));
    let tx = send(&mut node, Some(SINK), data.clone(), U256::ZERO);
    assert_eq!(tx.gas_used, standard_gas(&data));
}

#[test]
fn only_the_chain_owner_may_turn_it_on() {
    let mut node = Node::new();
    let stranger = address!("00000000000000000000000000000000005a1e00");
    node.set_balance(stranger, U256::from(10u64).pow(U256::from(18)));
    node.impersonate(stranger, true);
    let gas = 100_000;
    let h = node
        .send_transaction(TxRequest {
            from: Some(stranger),
            to: Some(ARB_OWNER),
            input: ArbOwner::setCalldataPriceIncreaseCall { enable: true }
                .abi_encode()
                .into(),
            gas: Some(gas),
            ..Default::default()
        })
        .expect("accepted");
    let tx = node.transaction(h).unwrap().clone();
    // Nitro's owner-only wrapper fails with an error that is not a revert: all gas is consumed.
    assert!(!tx.status);
    assert_eq!(tx.gas_used, gas);
    assert!(tx.output.is_empty());
    assert!(tx.logs.is_empty());
    assert!(!enabled(&node));

    // The public precompile names the chain owner.
    let out = call(
        &node,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::isChainOwnerCall { addr: DEV_ADDRESS }.abi_encode(),
    )
    .unwrap();
    assert!(ArbOwnerPublic::isChainOwnerCall::abi_decode_returns(&out).unwrap());
    let out = call(
        &node,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::isChainOwnerCall { addr: stranger }.abi_encode(),
    )
    .unwrap();
    assert!(!ArbOwnerPublic::isChainOwnerCall::abi_decode_returns(&out).unwrap());
}
