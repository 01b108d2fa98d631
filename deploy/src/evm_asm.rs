//! A tiny EVM assembler with labels, for the few pieces of EVM bytecode the suite deploys (proxies).
//! Jump targets are always `PUSH2`, so code length does not depend on label values and one pass
//! resolves them. Hand-assembled code is small enough to audit opcode by opcode; tests run it.

use std::collections::HashMap;

/// EVM opcodes used by our bytecode.
#[allow(missing_docs)]
pub mod op {
    pub const STOP: u8 = 0x00;
    pub const ADD: u8 = 0x01;
    pub const SUB: u8 = 0x03;
    pub const LT: u8 = 0x10;
    pub const GT: u8 = 0x11;
    pub const EQ: u8 = 0x14;
    pub const ISZERO: u8 = 0x15;
    pub const SHR: u8 = 0x1c;
    pub const CALLER: u8 = 0x33;
    pub const CALLDATALOAD: u8 = 0x35;
    pub const CALLDATASIZE: u8 = 0x36;
    pub const CALLDATACOPY: u8 = 0x37;
    pub const CODESIZE: u8 = 0x38;
    pub const CODECOPY: u8 = 0x39;
    pub const EXTCODESIZE: u8 = 0x3b;
    pub const RETURNDATASIZE: u8 = 0x3d;
    pub const RETURNDATACOPY: u8 = 0x3e;
    pub const POP: u8 = 0x50;
    pub const MLOAD: u8 = 0x51;
    pub const MSTORE: u8 = 0x52;
    pub const SLOAD: u8 = 0x54;
    pub const SSTORE: u8 = 0x55;
    pub const JUMP: u8 = 0x56;
    pub const JUMPI: u8 = 0x57;
    pub const GAS: u8 = 0x5a;
    pub const JUMPDEST: u8 = 0x5b;
    pub const PUSH0: u8 = 0x5f;
    pub const DUP1: u8 = 0x80;
    pub const DUP2: u8 = 0x81;
    pub const DUP3: u8 = 0x82;
    pub const SWAP1: u8 = 0x90;
    pub const LOG1: u8 = 0xa1;
    pub const LOG2: u8 = 0xa2;
    pub const LOG3: u8 = 0xa3;
    pub const DELEGATECALL: u8 = 0xf4;
    pub const STATICCALL: u8 = 0xfa;
    pub const RETURN: u8 = 0xf3;
    pub const REVERT: u8 = 0xfd;
}

#[derive(Clone, Debug)]
enum Item {
    Bytes(Vec<u8>),
    PushLabel(&'static str),
    Label(&'static str),
}

/// An assembler: append opcodes, pushes and labels, then [`Asm::assemble`].
#[derive(Clone, Debug, Default)]
pub struct Asm {
    items: Vec<Item>,
}

impl Asm {
    /// An empty program.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends opcodes.
    pub fn ops(mut self, ops: &[u8]) -> Self {
        self.items.push(Item::Bytes(ops.to_vec()));
        self
    }

    /// Appends the shortest `PUSHn` of `value` (big-endian, leading zeros dropped; `PUSH0` for zero).
    pub fn push(mut self, value: &[u8]) -> Self {
        let first = value.iter().position(|b| *b != 0).unwrap_or(value.len());
        let trimmed = &value[first..];
        assert!(trimmed.len() <= 32, "push of more than 32 bytes");
        let mut bytes = Vec::with_capacity(trimmed.len() + 1);
        if trimmed.is_empty() {
            bytes.push(op::PUSH0);
        } else {
            bytes.push(0x5f + trimmed.len() as u8);
            bytes.extend_from_slice(trimmed);
        }
        self.items.push(Item::Bytes(bytes));
        self
    }

    /// Appends `PUSH2 <value>` (fixed width, for offsets the caller computes).
    pub fn push2(mut self, value: u16) -> Self {
        let [hi, lo] = value.to_be_bytes();
        self.items.push(Item::Bytes(vec![0x61, hi, lo]));
        self
    }

    /// Appends `PUSH2 <offset of label>`.
    pub fn push_label(mut self, label: &'static str) -> Self {
        self.items.push(Item::PushLabel(label));
        self
    }

    /// Marks a jump target (emits `JUMPDEST`).
    pub fn label(mut self, label: &'static str) -> Self {
        self.items.push(Item::Label(label));
        self
    }

    /// Resolves labels and returns the bytecode. Panics on an unknown or duplicate label: the
    /// programs are fixed at compile time, so that is a bug in this crate, caught by its tests.
    pub fn assemble(&self) -> Vec<u8> {
        let mut offsets = HashMap::new();
        let mut pc = 0usize;
        for item in &self.items {
            match item {
                Item::Bytes(b) => pc += b.len(),
                Item::PushLabel(_) => pc += 3,
                Item::Label(name) => {
                    assert!(
                        offsets.insert(*name, pc).is_none(),
                        "duplicate label {name}"
                    );
                    pc += 1;
                }
            }
        }
        let mut code = Vec::with_capacity(pc);
        for item in &self.items {
            match item {
                Item::Bytes(b) => code.extend_from_slice(b),
                Item::PushLabel(name) => {
                    let target = *offsets
                        .get(name)
                        .unwrap_or_else(|| panic!("unknown label {name}"));
                    let target = u16::try_from(target).expect("code under 64 KiB");
                    code.push(0x61);
                    code.extend_from_slice(&target.to_be_bytes());
                }
                Item::Label(_) => code.push(op::JUMPDEST),
            }
        }
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_resolve_to_their_jumpdest() {
        let code = Asm::new()
            .push_label("end")
            .ops(&[op::JUMP])
            .ops(&[op::STOP, op::STOP])
            .label("end")
            .ops(&[op::STOP])
            .assemble();
        // PUSH2 0x0006, JUMP, STOP, STOP, JUMPDEST, STOP
        assert_eq!(code, vec![0x61, 0x00, 0x06, 0x56, 0x00, 0x00, 0x5b, 0x00]);
        assert_eq!(code[6], op::JUMPDEST);
    }

    #[test]
    fn push_uses_the_shortest_form() {
        assert_eq!(Asm::new().push(&[0, 0]).assemble(), vec![op::PUSH0]);
        assert_eq!(Asm::new().push(&[0, 0x2a]).assemble(), vec![0x60, 0x2a]);
        let word = [0xffu8; 32];
        let code = Asm::new().push(&word).assemble();
        assert_eq!(code[0], 0x7f);
        assert_eq!(code.len(), 33);
    }
}
