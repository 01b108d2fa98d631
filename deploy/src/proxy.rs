//! The ERC-1967 proxy every core contract sits behind: hand-assembled EVM bytecode (no Solidity
//! compiler needed, small enough to audit opcode by opcode).
//!
//! **Admin model: selector-gated, not transparent.** Calls are delegated to the implementation
//! (ERC-1967 slot `0x3608…2bbc`) — except when the caller is the admin (slot `0xb531…6103`) *and* the
//! selector is `upgradeToAndCall(address,bytes)` or `changeAdmin(address)`, which the proxy handles
//! itself. So the admin (the deployer key or a multisig) can also use the protocol through the proxy,
//! with no separate ProxyAdmin contract. The cost: an implementation must not define those two
//! selectors (none of ours do; `deploy` checks). `upgradeToAndCall` requires the new implementation
//! to have code and emits ERC-1967's `Upgraded(address)`; `changeAdmin` refuses the zero address and
//! emits `AdminChanged(address,address)`. A proxy deployed with admin zero can never be upgraded.
//!
//! Init code: `[constructor][runtime][implementation: 32 bytes][admin: 32 bytes][init calldata]`.
//! The constructor stores both slots, emits the ERC-1967 events, delegatecalls the implementation
//! with the init calldata when there is any (a one-shot `initialize`, so deployment and initialization
//! are one transaction and cannot be front-run), bubbles a revert, and returns the runtime.

use alloy_primitives::{keccak256, Address, B256};

use crate::evm_asm::{op::*, Asm};

/// ERC-1967 implementation slot: `keccak256("eip1967.proxy.implementation") - 1`.
pub const IMPLEMENTATION_SLOT: B256 =
    alloy_primitives::b256!("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");
/// ERC-1967 admin slot: `keccak256("eip1967.proxy.admin") - 1`.
pub const ADMIN_SLOT: B256 =
    alloy_primitives::b256!("b53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103");

/// Signature of the admin's upgrade function.
pub const UPGRADE_TO_AND_CALL: &str = "upgradeToAndCall(address,bytes)";
/// Signature of the admin's hand-over function.
pub const CHANGE_ADMIN: &str = "changeAdmin(address)";

fn selector(signature: &str) -> [u8; 4] {
    let hash = keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

fn topic(signature: &str) -> B256 {
    keccak256(signature.as_bytes())
}

/// Pushes the arguments of `DELEGATECALL(gas, target, 0, len, 0, 0)` where the stack holds
/// `[len, target, …]`, leaving `[success, len, target, …]`.
fn delegatecall_len_target(asm: Asm) -> Asm {
    asm.push(&[0]) // retSize
        .push(&[0]) // retOffset
        .ops(&[DUP3]) // argsSize = len
        .push(&[0]) // argsOffset
        .ops(&[0x85]) // DUP6: target
        .ops(&[GAS, DELEGATECALL])
}

/// Copies the return data to memory 0 and reverts with it.
fn bubble_revert(asm: Asm) -> Asm {
    asm.ops(&[RETURNDATASIZE])
        .push(&[0])
        .push(&[0])
        .ops(&[RETURNDATACOPY, RETURNDATASIZE])
        .push(&[0])
        .ops(&[REVERT])
}

/// The proxy's runtime code. The selector is checked before the admin slot is read, so an ordinary
/// call (any other selector, the hot path) delegates without the admin slot's cold SLOAD (2,100
/// gas); only the two admin selectors read it.
pub fn runtime_code() -> Vec<u8> {
    let asm = Asm::new()
        .push(&[0])
        .ops(&[CALLDATALOAD])
        .push(&[0xe0])
        .ops(&[SHR, DUP1])
        .push(&selector(UPGRADE_TO_AND_CALL))
        .ops(&[EQ])
        .push_label("upgrade_caller")
        .ops(&[JUMPI])
        .push(&selector(CHANGE_ADMIN))
        .ops(&[EQ])
        .push_label("change_admin_caller")
        .ops(&[JUMPI])
        // Everyone else (and the admin, for any other selector): delegate.
        .label("delegate")
        .ops(&[CALLDATASIZE])
        .push(&[0])
        .push(&[0])
        .ops(&[CALLDATACOPY])
        .push(&[0])
        .push(&[0])
        .ops(&[CALLDATASIZE])
        .push(&[0])
        .push(IMPLEMENTATION_SLOT.as_slice())
        .ops(&[SLOAD, GAS, DELEGATECALL, RETURNDATASIZE])
        .push(&[0])
        .push(&[0])
        .ops(&[RETURNDATACOPY])
        .push_label("returned")
        .ops(&[JUMPI, RETURNDATASIZE])
        .push(&[0])
        .ops(&[REVERT])
        .label("returned")
        .ops(&[RETURNDATASIZE])
        .push(&[0])
        .ops(&[RETURN])
        // An admin selector: handled here when the caller is the admin, else delegated.
        .label("upgrade_caller")
        .ops(&[POP])
        .push(ADMIN_SLOT.as_slice())
        .ops(&[SLOAD, CALLER, EQ, ISZERO])
        .push_label("delegate")
        .ops(&[JUMPI])
        .push_label("upgrade")
        .ops(&[JUMP])
        .label("change_admin_caller")
        .push(ADMIN_SLOT.as_slice())
        .ops(&[SLOAD, CALLER, EQ, ISZERO])
        .push_label("delegate")
        .ops(&[JUMPI])
        .push_label("change_admin")
        .ops(&[JUMP])
        // upgradeToAndCall(address implementation, bytes data)
        .label("upgrade")
        .push(&[4])
        .ops(&[CALLDATALOAD, DUP1, EXTCODESIZE, ISZERO])
        .push_label("fail")
        .ops(&[JUMPI, DUP1])
        .push(IMPLEMENTATION_SLOT.as_slice())
        .ops(&[SSTORE, DUP1])
        .push(topic("Upgraded(address)").as_slice())
        .push(&[0])
        .push(&[0])
        .ops(&[LOG2])
        // [impl]; the bytes argument: head at 0x24 holds its offset from byte 4.
        .push(&[0x24])
        .ops(&[CALLDATALOAD])
        .push(&[4])
        .ops(&[ADD, DUP1, CALLDATALOAD, DUP1, ISZERO]) // [len==0, len, abs, impl]
        .push_label("done")
        .ops(&[JUMPI, SWAP1])
        .push(&[0x20])
        .ops(&[ADD, DUP2, SWAP1])
        .push(&[0])
        .ops(&[CALLDATACOPY]); // memory[0..len] = data; stack [len, impl]
    let asm = delegatecall_len_target(asm)
        .push_label("done")
        .ops(&[JUMPI]);
    let asm = bubble_revert(asm)
        .label("done")
        .ops(&[STOP])
        // changeAdmin(address newAdmin)
        .label("change_admin")
        .push(&[4])
        .ops(&[CALLDATALOAD, DUP1, ISZERO])
        .push_label("fail")
        .ops(&[JUMPI])
        .push(ADMIN_SLOT.as_slice())
        .ops(&[SLOAD])
        .push(&[0])
        .ops(&[MSTORE, DUP1])
        .push(&[0x20])
        .ops(&[MSTORE])
        .push(topic("AdminChanged(address,address)").as_slice())
        .push(&[0x40])
        .push(&[0])
        .ops(&[LOG1])
        .push(ADMIN_SLOT.as_slice())
        .ops(&[SSTORE, STOP])
        .label("fail")
        .push(&[0])
        .push(&[0])
        .ops(&[REVERT]);
    asm.assemble()
}

fn constructor(runtime_offset: u16, runtime_len: u16, args_offset: u16) -> Vec<u8> {
    let data_offset = args_offset + 64;
    let asm = Asm::new()
        .push(&[0x40])
        .push2(args_offset)
        .push(&[0])
        .ops(&[CODECOPY])
        .push(&[0])
        .ops(&[MLOAD, DUP1, EXTCODESIZE, ISZERO])
        .push_label("fail")
        .ops(&[JUMPI, DUP1])
        .push(IMPLEMENTATION_SLOT.as_slice())
        .ops(&[SSTORE, DUP1])
        .push(topic("Upgraded(address)").as_slice())
        .push(&[0])
        .push(&[0])
        .ops(&[LOG2])
        .push(&[0x20])
        .ops(&[MLOAD])
        .push(ADMIN_SLOT.as_slice())
        .ops(&[SSTORE])
        // AdminChanged(0, admin): memory[0] = 0, memory[32] = admin (already there).
        .push(&[0])
        .push(&[0])
        .ops(&[MSTORE])
        .push(topic("AdminChanged(address,address)").as_slice())
        .push(&[0x40])
        .push(&[0])
        .ops(&[LOG1])
        // [impl]; init calldata = code[data_offset..]
        .push2(data_offset)
        .ops(&[CODESIZE, SUB, DUP1, ISZERO])
        .push_label("deploy")
        .ops(&[JUMPI, DUP1])
        .push2(data_offset)
        .push(&[0])
        .ops(&[CODECOPY]);
    let asm = delegatecall_len_target(asm)
        .push_label("deploy")
        .ops(&[JUMPI]);
    bubble_revert(asm)
        .label("deploy")
        .push2(runtime_len)
        .push2(runtime_offset)
        .push(&[0])
        .ops(&[CODECOPY])
        .push2(runtime_len)
        .push(&[0])
        .ops(&[RETURN])
        .label("fail")
        .push(&[0])
        .push(&[0])
        .ops(&[REVERT])
        .assemble()
}

/// Init code for a proxy to `implementation`, administered by `admin`, that delegatecalls
/// `init_calldata` (e.g. an encoded `initialize(...)`) on deployment when it is non-empty.
pub fn proxy_init_code(implementation: Address, admin: Address, init_calldata: &[u8]) -> Vec<u8> {
    let runtime = runtime_code();
    // PUSH2 operands are fixed width, so the constructor's length does not depend on them.
    let ctor_len = constructor(0, 0, 0).len();
    let runtime_offset = ctor_len as u16;
    let args_offset = (ctor_len + runtime.len()) as u16;
    let mut code = constructor(runtime_offset, runtime.len() as u16, args_offset);
    debug_assert_eq!(code.len(), ctor_len);
    code.extend_from_slice(&runtime);
    code.extend_from_slice(B256::left_padding_from(implementation.as_slice()).as_slice());
    code.extend_from_slice(B256::left_padding_from(admin.as_slice()).as_slice());
    code.extend_from_slice(init_calldata);
    code
}

/// Calldata for the admin's `upgradeToAndCall(implementation, data)`.
pub fn upgrade_to_and_call_calldata(implementation: Address, data: &[u8]) -> Vec<u8> {
    use alloy_sol_types::SolValue;
    let mut out = selector(UPGRADE_TO_AND_CALL).to_vec();
    out.extend_from_slice(
        &(
            implementation,
            alloy_primitives::Bytes::copy_from_slice(data),
        )
            .abi_encode_params(),
    );
    out
}

/// Calldata for the admin's `changeAdmin(new_admin)`.
pub fn change_admin_calldata(new_admin: Address) -> Vec<u8> {
    let mut out = selector(CHANGE_ADMIN).to_vec();
    out.extend_from_slice(B256::left_padding_from(new_admin.as_slice()).as_slice());
    out
}

/// The 4-byte selectors the proxy reserves for its admin; an implementation must not use them.
pub fn reserved_selectors() -> [[u8; 4]; 2] {
    [selector(UPGRADE_TO_AND_CALL), selector(CHANGE_ADMIN)]
}
