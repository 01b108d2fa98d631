//! The pod proxy: 91 bytes of EVM code with the beacon's address inside. Every call asks the beacon
//! for `implementation()` and delegate-calls it with the call's data and value, returning or
//! reverting with its result — OpenZeppelin's `BeaconProxy` behaviour without the ERC-1967 storage
//! slot (the beacon never changes for a pod, so it is part of the code, which also makes the CREATE2
//! address depend on it).
//!
//! ```text
//! 00 63 5c60da1b      PUSH4 implementation()        28 60 50  PUSH1 fail
//! 05 6000 52          mstore(0, selector)           2a 57     JUMPI        (beacon call failed)
//! 08 6020 6000        ret 0..32                     2b 6000 51 impl = mload(0)
//! 0c 6004 601c        args 28..32                   2e 36 6000 6000 37  calldatacopy(0, 0, cds)
//! 10 73 <beacon>      PUSH20 beacon                 34 6000 6000 36 6000 84 5a f4
//! 25 5a fa            staticcall(gas, beacon, …)       delegatecall(gas, impl, 0, cds, 0, 0)
//! 27 15               ISZERO                        3e 3d 6000 6000 3e  returndatacopy(0, 0, rds)
//! 44 604b 57          JUMPI ok                      47 3d 6000 fd       revert(0, rds)
//! 4b 5b 3d 6000 f3    ok: return(0, rds)            50 5b 3d 6000 6000 3e 3d 6000 fd  fail: bubble
//! ```
//!
//! The init code is an 11-byte prefix that returns the runtime: `PUSH1 91 DUP1 PUSH1 11 PUSH1 0
//! CODECOPY PUSH1 0 RETURN`.

use alloc::vec::Vec;
use alloy_primitives::{keccak256, Address, B256};

/// Runtime bytes before the beacon address.
const RUNTIME_HEAD: [u8; 17] = [
    0x63, 0x5c, 0x60, 0xda, 0x1b, // PUSH4 implementation()
    0x60, 0x00, 0x52, // MSTORE at 0
    0x60, 0x20, 0x60, 0x00, // retSize 32, retOffset 0
    0x60, 0x04, 0x60, 0x1c, // argsSize 4, argsOffset 28
    0x73, // PUSH20
];

/// Runtime bytes after the beacon address.
const RUNTIME_TAIL: [u8; 54] = [
    0x5a, 0xfa, // GAS STATICCALL
    0x15, 0x60, 0x50, 0x57, // ISZERO PUSH1 fail JUMPI
    0x60, 0x00, 0x51, // impl = MLOAD(0)
    0x36, 0x60, 0x00, 0x60, 0x00, 0x37, // CALLDATACOPY(0, 0, cds)
    0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x84, 0x5a, 0xf4, // DELEGATECALL
    0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e, // RETURNDATACOPY(0, 0, rds)
    0x60, 0x4b, 0x57, // PUSH1 ok JUMPI
    0x3d, 0x60, 0x00, 0xfd, // REVERT(0, rds)
    0x5b, 0x3d, 0x60, 0x00, 0xf3, // ok: RETURN(0, rds)
    0x5b, 0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e, 0x3d, 0x60, 0x00, 0xfd, // fail: bubble
];

/// Length of the runtime code.
pub const RUNTIME_LEN: usize = RUNTIME_HEAD.len() + 20 + RUNTIME_TAIL.len();

/// Init code prefix: copies the runtime (which follows it) to memory and returns it.
const INIT_PREFIX: [u8; 11] = [
    0x60,
    RUNTIME_LEN as u8,
    0x80,
    0x60,
    11,
    0x60,
    0x00,
    0x39,
    0x60,
    0x00,
    0xf3,
];

/// The deployed code of a pod proxy pointing at `beacon`.
pub fn runtime_code(beacon: Address) -> Vec<u8> {
    let mut code = Vec::with_capacity(RUNTIME_LEN);
    code.extend_from_slice(&RUNTIME_HEAD);
    code.extend_from_slice(beacon.as_slice());
    code.extend_from_slice(&RUNTIME_TAIL);
    code
}

/// The CREATE2 init code of a pod proxy pointing at `beacon`.
pub fn init_code(beacon: Address) -> Vec<u8> {
    let mut code = Vec::with_capacity(INIT_PREFIX.len() + RUNTIME_LEN);
    code.extend_from_slice(&INIT_PREFIX);
    code.extend_from_slice(&runtime_code(beacon));
    code
}

/// The CREATE2 salt of `owner`'s pod: `bytes32(uint256(uint160(owner)))`, as EigenLayer.
pub fn salt(owner: Address) -> B256 {
    owner.into_word()
}

/// `keccak256(0xff ‖ deployer ‖ salt ‖ keccak256(init_code))[12..]`.
pub fn pod_address(deployer: Address, owner: Address, beacon: Address) -> Address {
    deployer.create2(salt(owner), keccak256(init_code(beacon)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_the_listing() {
        let beacon = Address::repeat_byte(0xbe);
        let code = runtime_code(beacon);
        assert_eq!(code.len(), 91);
        assert_eq!(&code[0x11..0x25], beacon.as_slice());
        // Jump targets are JUMPDESTs.
        assert_eq!(code[0x4b], 0x5b);
        assert_eq!(code[0x50], 0x5b);
        assert_eq!(code[0x29], 0x50, "PUSH1 fail");
        assert_eq!(code[0x45], 0x4b, "PUSH1 ok");
        assert_eq!(code[0x25..0x27], [0x5a, 0xfa]);
        assert_eq!(code[0x3c..0x3e], [0x5a, 0xf4]);
        let init = init_code(beacon);
        assert_eq!(init[1] as usize, code.len());
        assert_eq!(init[4] as usize, INIT_PREFIX.len());
        assert_eq!(&init[11..], &code[..]);
    }

    #[test]
    fn address_is_create2_of_owner_salt() {
        let deployer = Address::repeat_byte(0x11);
        let beacon = Address::repeat_byte(0x22);
        let a = pod_address(deployer, Address::repeat_byte(1), beacon);
        let b = pod_address(deployer, Address::repeat_byte(2), beacon);
        assert_ne!(a, b);
        // Independent computation of the CREATE2 formula.
        let mut pre = vec![0xffu8];
        pre.extend_from_slice(deployer.as_slice());
        pre.extend_from_slice(&[0u8; 12]);
        pre.extend_from_slice(&[1u8; 20]);
        pre.extend_from_slice(keccak256(init_code(beacon)).as_slice());
        assert_eq!(a.as_slice(), &keccak256(&pre)[12..]);
        // A different beacon is a different pod.
        assert_ne!(
            a,
            pod_address(deployer, Address::repeat_byte(1), Address::repeat_byte(3))
        );
    }
}
