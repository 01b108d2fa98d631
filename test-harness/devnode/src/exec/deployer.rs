//! The chain's system deployers, present at genesis as on nitro-devnode:
//!
//! - The **StylusDeployer** at `0xcEcba2F1DC234f70Dd89F2041029807F8D03A990`, which cargo-stylus
//!   uses for every contract with a `#[constructor]`. The devnode runs it natively, implementing
//!   its documented behaviour: `deploy(bytecode, initData, initValue, salt)` creates the program
//!   (CREATE2 with `keccak256(salt ++ initData)` when `salt` is non-zero, CREATE otherwise),
//!   activates it unless its codehash is already active (paying the data fee out of
//!   `msg.value - initValue`), calls it with `initData` and `initValue` (the SDK's constructor
//!   entry), refunds what is left to the sender and emits `ContractDeployed(address)`. A failing
//!   create, activation or constructor reverts the whole deployment with the documented errors
//!   (`ContractDeploymentError`, the activation's own error, `ContractInitializationError`).
//!   Its gas is the EVM-equivalent cost of those steps (memory, hashing, CREATE/CREATE2, calls,
//!   the log) plus a fixed dispatch overhead, so it is within a few thousand gas of the compiled
//!   Solidity contract, not identical to it.
//! - The **CREATE2 factory** at `0x4e59b44847b379578588920ca78fbf26c0b4956c` (the deterministic
//!   deployment proxy): calldata is `salt (32 bytes) ++ initcode`; it CREATE2s with the call's
//!   value and returns the 20-byte address, or reverts with the constructor's revert data. This
//!   one is plain EVM bytecode, assembled here.

use alloy_sol_types::{sol, Panic, PanicKind, SolCall, SolError, SolEvent, SolValue};
use revm::context_interface::CreateScheme;
use revm::context_interface::{ContextTr, JournalTr};
use revm::interpreter::{
    CallInputs, CreateInputs, FrameInput, InstructionResult, InterpreterResult,
};
use revm::primitives::{address, keccak256, Address, Bytes, Log, LogData, B256, U256};

use super::{frame_result, StylusEvm};
use crate::arbos::{ArbWasm, ARB_WASM};
use crate::programs::{self, STYLUS_VERSION};
use crate::stylus::api::{CallKind, EvmApi, SubCall};

/// Where cargo-stylus expects the StylusDeployer.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// The deterministic deployment proxy (CREATE2 factory).
pub const CREATE2_FACTORY: Address = address!("4e59b44847b379578588920ca78fbf26c0b4956c");

/// Code placed at the StylusDeployer's address so that it is a contract (`eth_getCode`,
/// `extcodesize`): `revert(0, 0)`. Calls to the address run the native deployer instead;
/// only a delegatecall or callcode (which the deployer does not support) runs this code.
pub const STYLUS_DEPLOYER_CODE: [u8; 5] = [0x60, 0x00, 0x60, 0x00, 0xfd];

/// The CREATE2 factory's runtime code.
pub const CREATE2_FACTORY_CODE: [u8; 45] = [
    0x60, 0x20, // PUSH1 32
    0x36, // CALLDATASIZE
    0x03, // SUB                      size = calldatasize - 32
    0x80, // DUP1
    0x60, 0x20, // PUSH1 32
    0x60, 0x00, // PUSH1 0
    0x37, // CALLDATACOPY             memory[0..size] = calldata[32..]
    0x60, 0x00, // PUSH1 0
    0x35, // CALLDATALOAD             salt = calldata[0..32]
    0x90, // SWAP1
    0x60, 0x00, // PUSH1 0
    0x34, // CALLVALUE
    0xf5, // CREATE2                  create2(value, 0, size, salt)
    0x80, // DUP1
    0x15, // ISZERO
    0x60, 0x22, // PUSH1 fail
    0x57, // JUMPI
    0x60, 0x60, // PUSH1 96
    0x1b, // SHL
    0x60, 0x00, // PUSH1 0
    0x52, // MSTORE
    0x60, 0x14, // PUSH1 20
    0x60, 0x00, // PUSH1 0
    0xf3, // RETURN                   the 20-byte address
    0x5b, // fail: JUMPDEST
    0x3d, // RETURNDATASIZE
    0x60, 0x00, // PUSH1 0
    0x60, 0x00, // PUSH1 0
    0x3e, // RETURNDATACOPY
    0x3d, // RETURNDATASIZE
    0x60, 0x00, // PUSH1 0
    0xfd, // REVERT                   the constructor's revert data
];

sol! {
    /// The StylusDeployer's interface (as documented for nitro-contracts' deployer).
    interface StylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes initData) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);

        event ContractDeployed(address deployedContract);

        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }
}

/// Gas for dispatch, ABI decoding and bookkeeping of one deployer call.
const DISPATCH_GAS: u64 = 2_000;
/// Warm account access (EIP-2929).
const WARM: u64 = 100;
/// A call carrying value (the stipend is added to the callee's gas).
const CALL_VALUE: u64 = 9_000;
const STIPEND: u64 = 2_300;

fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

/// EVM memory expansion cost of `len` bytes from zero.
fn memory_cost(len: usize) -> u64 {
    let w = words(len);
    3 * w + w * w / 512
}

/// Why the deployer stopped early.
enum Stop {
    OutOfGas,
    Revert(Bytes),
}

struct Meter {
    limit: u64,
    left: u64,
}

impl Meter {
    fn charge(&mut self, gas: u64) -> Result<(), Stop> {
        self.left = self.left.checked_sub(gas).ok_or(Stop::OutOfGas)?;
        Ok(())
    }
    /// Gas for a sub-call after paying for it: all but one 64th.
    fn forward(&self) -> u64 {
        self.left - self.left / 64
    }
    /// Settles a sub-frame that was given `forwarded` (plus any stipend) and left `remaining`.
    fn settle(&mut self, forwarded: u64, remaining: u64) {
        self.left = (self.left - forwarded).saturating_add(remaining);
    }
}

fn revert_with(e: impl SolError) -> Stop {
    Stop::Revert(e.abi_encode().into())
}

fn panic_underflow() -> Stop {
    Stop::Revert(Panic::from(PanicKind::UnderOverflow).abi_encode().into())
}

impl StylusEvm {
    /// Runs a call to the StylusDeployer (`inputs.target_address == STYLUS_DEPLOYER`).
    pub(super) fn run_deployer(
        &mut self,
        inputs: &CallInputs,
        depth: usize,
        gas: u64,
    ) -> InterpreterResult {
        let input = self.call_input(inputs);
        let mut meter = Meter {
            limit: gas,
            left: gas,
        };
        let res = self.deployer_call(inputs, &input, depth, &mut meter);
        let limit = meter.limit;
        match res {
            Ok(out) => frame_result(InstructionResult::Return, limit, meter.left, out),
            Err(Stop::Revert(data)) => {
                frame_result(InstructionResult::Revert, limit, meter.left, data)
            }
            Err(Stop::OutOfGas) => {
                frame_result(InstructionResult::OutOfGas, limit, 0, Bytes::new())
            }
        }
    }

    fn deployer_call(
        &mut self,
        inputs: &CallInputs,
        input: &[u8],
        depth: usize,
        meter: &mut Meter,
    ) -> Result<Bytes, Stop> {
        meter.charge(DISPATCH_GAS)?;
        if input.len() < 4 {
            return Err(Stop::Revert(Bytes::new()));
        }
        let selector: [u8; 4] = [input[0], input[1], input[2], input[3]];
        match selector {
            StylusDeployer::initSaltCall::SELECTOR => {
                let call = StylusDeployer::initSaltCall::abi_decode(input)
                    .map_err(|_| Stop::Revert(Bytes::new()))?;
                meter.charge(
                    memory_cost(32 + call.initData.len())
                        + 30
                        + 6 * words(32 + call.initData.len()),
                )?;
                Ok(init_salt(call.salt, &call.initData).abi_encode().into())
            }
            StylusDeployer::requiresActivationCall::SELECTOR => {
                let call = StylusDeployer::requiresActivationCall::abi_decode(input)
                    .map_err(|_| Stop::Revert(Bytes::new()))?;
                let need = self.requires_activation(call.addr, meter)?;
                Ok(need.abi_encode().into())
            }
            StylusDeployer::deployCall::SELECTOR => {
                if inputs.is_static {
                    return Err(Stop::Revert(Bytes::new()));
                }
                let call = StylusDeployer::deployCall::abi_decode(input)
                    .map_err(|_| Stop::Revert(Bytes::new()))?;
                self.deploy(inputs, call, depth, meter)
            }
            _ => Err(Stop::Revert(Bytes::new())),
        }
    }

    /// Whether `program`'s codehash still needs activation (not active at the current Stylus
    /// version, or expired): `codehashVersion(addr.codehash) != stylusVersion()`.
    fn requires_activation(&mut self, program: Address, meter: &mut Meter) -> Result<bool, Stop> {
        // EXTCODEHASH plus two view calls to ArbWasm.
        meter.charge(WARM + 2 * (WARM + 800))?;
        let now = self.inner.ctx.block.timestamp.saturating_to::<u64>();
        let j = self.inner.ctx.journal_mut();
        let codehash = j.code_hash(program).map(|h| h.data).unwrap_or(B256::ZERO);
        let active = programs::load_row(j, codehash)
            .filter(|r| r.expired_age(now).is_none())
            .map(|r| r.version);
        Ok(active != Some(STYLUS_VERSION))
    }

    fn deploy(
        &mut self,
        inputs: &CallInputs,
        call: StylusDeployer::deployCall,
        depth: usize,
        meter: &mut Meter,
    ) -> Result<Bytes, Stop> {
        let StylusDeployer::deployCall {
            bytecode,
            initData: init_data,
            initValue: init_value,
            salt,
        } = call;
        let me = STYLUS_DEPLOYER;
        let sender = inputs.caller;
        let value = inputs.value.get();
        // Calldata copied to memory.
        meter.charge(memory_cost(bytecode.len() + init_data.len() + 4 * 32))?;

        // 1. Create (CREATE2 when salted, the salt bound to the init data).
        let salt = if salt.is_zero() {
            None
        } else {
            meter.charge(30 + 6 * words(32 + init_data.len()))?;
            Some(init_salt(salt, &init_data))
        };
        if bytecode.is_empty() {
            return Err(revert_with(StylusDeployer::EmptyBytecode {}));
        }
        let mut create_gas = 32_000 + 2 * words(bytecode.len());
        if salt.is_some() {
            create_gas += 6 * words(bytecode.len());
        }
        meter.charge(create_gas)?;
        let scheme = match salt {
            Some(s) => CreateScheme::Create2 {
                salt: U256::from_be_bytes(s.0),
            },
            None => CreateScheme::Create,
        };
        let forwarded = meter.forward();
        let create = CreateInputs::new(me, scheme, U256::ZERO, bytecode.clone(), forwarded, 0);
        let res = self.nested(FrameInput::Create(Box::new(create)), depth + 1);
        let outcome = Self::sub_outcome(res);
        meter.settle(forwarded, outcome.gas_remaining);
        let program = match (outcome.success, outcome.address) {
            (true, Some(a)) => a,
            _ if !outcome.output.is_empty() => return Err(Stop::Revert(outcome.output)),
            _ => {
                return Err(revert_with(StylusDeployer::ContractDeploymentError {
                    bytecode,
                }))
            }
        };

        // 2. Activate unless the codehash is already active.
        let mut data_fee = U256::ZERO;
        if self.requires_activation(program, meter)? {
            let activation_value = value.checked_sub(init_value).ok_or_else(panic_underflow)?;
            let input = ArbWasm::activateProgramCall { program }.abi_encode();
            meter.charge(WARM + memory_cost(input.len()))?;
            let has_value = !activation_value.is_zero();
            if has_value {
                meter.charge(CALL_VALUE)?;
            }
            let out = self.deployer_sub_call(
                ARB_WASM,
                activation_value,
                input.into(),
                has_value,
                depth,
                meter,
            );
            if !out.success {
                return Err(Stop::Revert(out.output));
            }
            let (_, fee) = <(u16, U256)>::abi_decode_params(&out.output)
                .map_err(|_| Stop::Revert(Bytes::new()))?;
            data_fee = fee;
        }

        // 3. Run the constructor (the init call).
        if !init_data.is_empty() {
            meter.charge(WARM + memory_cost(init_data.len()))?;
            let has_value = !init_value.is_zero();
            if has_value {
                meter.charge(CALL_VALUE)?;
            }
            let out =
                self.deployer_sub_call(program, init_value, init_data, has_value, depth, meter);
            if !out.success {
                return Err(revert_with(StylusDeployer::ContractInitializationError {
                    newContract: program,
                    data: out.output,
                }));
            }
        } else if !init_value.is_zero() {
            return Err(revert_with(StylusDeployer::InitValueButNotInitData {}));
        }

        // 4. Refund what activation and the constructor did not use.
        let rest = value
            .checked_sub(data_fee)
            .and_then(|v| v.checked_sub(init_value))
            .ok_or_else(panic_underflow)?;
        if !rest.is_zero() {
            meter.charge(WARM + CALL_VALUE)?;
            let out = self.deployer_sub_call(sender, rest, Bytes::new(), true, depth, meter);
            if !out.success {
                return Err(revert_with(StylusDeployer::RefundExcessValueError {
                    excessValue: rest,
                }));
            }
        }

        // 5. Announce it.
        let event = StylusDeployer::ContractDeployed {
            deployedContract: program,
        };
        meter.charge(375 * 2 + 8 * 32)?;
        let topics = event
            .encode_topics()
            .into_iter()
            .map(|t| B256::from(t.0))
            .collect();
        self.inner.ctx.journal_mut().log(Log {
            address: me,
            data: LogData::new_unchecked(topics, event.encode_data().into()),
        });
        Ok(program.abi_encode().into())
    }

    /// A call from the deployer, forwarding all but one 64th of its gas (plus the stipend when
    /// it carries value).
    fn deployer_sub_call(
        &mut self,
        to: Address,
        value: U256,
        input: Bytes,
        has_value: bool,
        depth: usize,
        meter: &mut Meter,
    ) -> crate::stylus::api::SubOutcome {
        let forwarded = meter.forward();
        let out = EvmApi::call(
            self,
            SubCall {
                kind: CallKind::Call,
                code_address: to,
                target: to,
                caller: STYLUS_DEPLOYER,
                value,
                input,
                gas_limit: forwarded + if has_value { STIPEND } else { 0 },
                is_static: false,
                depth: depth + 1,
            },
        );
        meter.settle(forwarded, out.gas_remaining);
        out
    }
}

/// `keccak256(salt ++ initData)`: the CREATE2 salt of a salted deployment.
pub fn init_salt(salt: B256, init_data: &[u8]) -> B256 {
    let mut buf = Vec::with_capacity(32 + init_data.len());
    buf.extend_from_slice(salt.as_slice());
    buf.extend_from_slice(init_data);
    keccak256(buf)
}
