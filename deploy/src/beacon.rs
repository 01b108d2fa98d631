//! An upgradeable beacon in hand-assembled EVM bytecode (what OpenZeppelin's `UpgradeableBeacon`
//! does, for the EigenPod proxies): `implementation()` returns the pod program, `owner()` the owner,
//! and `upgradeTo(address)` (owner only) points every pod at a new program and emits
//! `Upgraded(address indexed implementation)`. Storage: slot 0 implementation, slot 1 owner.

use alloy_primitives::{keccak256, Address};

use crate::evm_asm::{op, Asm};

const SLOAD: u8 = 0x54;
const SSTORE: u8 = 0x55;
const JUMPI: u8 = 0x57;
const LOG2: u8 = 0xa2;
const RETURN: u8 = 0xf3;
const REVERT: u8 = 0xfd;

fn selector(sig: &str) -> [u8; 4] {
    keccak256(sig.as_bytes())[..4].try_into().expect("4 bytes")
}

/// The beacon's runtime code.
pub fn runtime_code() -> Vec<u8> {
    let ret_slot = |a: Asm, slot: u8| {
        a.push(&[slot])
            .ops(&[SLOAD])
            .push(&[0])
            .ops(&[op::MSTORE])
            .push(&[32])
            .push(&[0])
            .ops(&[RETURN])
    };
    let mut a = Asm::new()
        .push(&[0])
        .ops(&[op::CALLDATALOAD])
        .push(&[0xe0])
        .ops(&[op::SHR]);
    for (sig, label) in [
        ("implementation()", "impl"),
        ("owner()", "owner"),
        ("upgradeTo(address)", "upgrade"),
    ] {
        a = a
            .ops(&[0x80])
            .push(&selector(sig))
            .ops(&[op::EQ])
            .push_label(label)
            .ops(&[JUMPI]);
    }
    a = a.push(&[0]).ops(&[0x80, REVERT]);
    a = ret_slot(a.label("impl"), 0);
    a = ret_slot(a.label("owner"), 1);
    a = a
        .label("upgrade")
        .push(&[1])
        .ops(&[SLOAD, op::CALLER, op::EQ])
        .push_label("ok")
        .ops(&[JUMPI])
        .push(&[0])
        .ops(&[0x80, REVERT])
        .label("ok")
        .push(&[4])
        .ops(&[op::CALLDATALOAD, 0x80])
        .push(&[0])
        .ops(&[SSTORE])
        // LOG2(offset 0, size 0, topic Upgraded(address), implementation)
        .push(keccak256("Upgraded(address)").as_slice())
        .push(&[0])
        .ops(&[0x80, LOG2, op::STOP]);
    a.assemble()
}

/// Init code deploying a beacon pointing at `implementation`, owned by `owner`.
pub fn init_code(implementation: Address, owner: Address) -> Vec<u8> {
    let runtime = runtime_code();
    let ctor = |offset: u16| {
        Asm::new()
            .push(implementation.as_slice())
            .push(&[0])
            .ops(&[SSTORE])
            .push(owner.as_slice())
            .push(&[1])
            .ops(&[SSTORE])
            .push2(runtime.len() as u16)
            .ops(&[0x80])
            .push2(offset)
            .push(&[0])
            .ops(&[op::CODECOPY])
            .push(&[0])
            .ops(&[RETURN])
            .assemble()
    };
    let len = ctor(0).len() as u16;
    let mut code = ctor(len);
    code.extend_from_slice(&runtime);
    code
}

/// Calldata for the owner's `upgradeTo(implementation)`.
pub fn upgrade_to_calldata(implementation: Address) -> Vec<u8> {
    let mut out = selector("upgradeTo(address)").to_vec();
    out.extend_from_slice(&[0u8; 12]);
    out.extend_from_slice(implementation.as_slice());
    out
}

/// Calldata of `implementation()`.
pub fn implementation_calldata() -> Vec<u8> {
    selector("implementation()").to_vec()
}
