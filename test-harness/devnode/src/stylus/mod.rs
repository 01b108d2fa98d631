//! Stylus program execution: the WASM engine (wasmi), the compiled-module cache, program entry
//! (Nitro's entry costs and page accounting), and the outcome mapping back to revm.

pub mod host;
pub mod meter;
pub mod pricing;
pub mod program;

use std::collections::HashMap;
use std::sync::Mutex;

use revm::context_interface::{ContextTr, LocalContextTr};
use revm::interpreter::{
    CallInput, CallInputs, CallScheme, Gas, InstructionResult, InterpreterResult,
};
use revm::primitives::{Bytes, B256};

use crate::arbos;
use crate::exec::StylusEvm;
use host::{Halt, Host};

/// EIP-170 code size limit, the same on Arbitrum One (`MaxCodeSize`).
pub const MAX_CODE_SIZE: usize = 24_576;
/// Ink per gas (`InkPrice`).
pub const INK_PRICE: u64 = 10_000;

/// The WASM engine, the linker with every `vm_hooks` function, and compiled programs by codehash.
pub struct Runtime {
    engine: wasmi::Engine,
    linker: wasmi::Linker<Host>,
    modules: Mutex<HashMap<B256, wasmi::Module>>,
    /// Why the last activation in this runtime failed (for error messages).
    pub last_activation_error: Mutex<Option<String>>,
    /// The gas profile of the last transaction run, when profiling is on
    /// ([`crate::node::Node::set_profiling`]).
    pub(crate) profile: Mutex<Option<Profile>>,
}

/// The gas profile of one run: its Stylus program runs and the gas refunded at its end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Program runs in the order they started.
    pub frames: Vec<FrameGas>,
    /// Gas refunded to the transaction (storage clears), already capped.
    pub refunded: u64,
    /// Indices of the runs still open.
    open: Vec<usize>,
}

/// One Stylus program run in the gas profile of a transaction, in the order runs started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameGas {
    /// Call depth (0: the transaction's own call).
    pub depth: usize,
    /// The program run this one was called from (through any EVM frames), by index.
    pub parent: Option<usize>,
    /// The account whose storage the run uses (the proxy, for a delegatecall).
    pub target: revm::primitives::Address,
    /// The program's address (differs from `target` for a delegatecall).
    pub code: revm::primitives::Address,
    /// The first four bytes of the calldata.
    pub selector: [u8; 4],
    /// Whether it ran by delegatecall.
    pub delegate: bool,
    /// Entry cost: memory pages for the footprint plus the program's init cost.
    pub entry: u64,
    /// Gas used by the run, entry and everything it called included.
    pub used: u64,
    /// Storage traffic of the run itself (not of what it called).
    pub stats: host::FrameStats,
    /// Whether it returned successfully.
    pub ok: bool,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").finish_non_exhaustive()
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    pub fn new() -> Self {
        let mut config = wasmi::Config::default();
        config
            .wasm_mutable_global(true)
            .wasm_sign_extension(true)
            .wasm_saturating_float_to_int(true)
            .wasm_multi_value(true)
            .wasm_bulk_memory(true)
            .wasm_reference_types(false)
            .wasm_tail_call(false)
            .wasm_extended_const(false)
            .wasm_multi_memory(false)
            .wasm_memory64(false)
            .wasm_custom_page_sizes(false)
            .wasm_wide_arithmetic(false);
        let engine = wasmi::Engine::new(&config);
        let linker = host::linker(&engine);
        Self {
            engine,
            linker,
            modules: Mutex::new(HashMap::new()),
            last_activation_error: Mutex::new(None),
            profile: Mutex::new(None),
        }
    }

    /// Validates and instruments `code` (prefixed, compressed) and compiles it.
    pub fn compile(
        &self,
        code: &[u8],
    ) -> Result<(wasmi::Module, program::ProgramFacts), program::ProgramError> {
        let wasm = program::decompress(code)?;
        let facts = program::validate(&wasm)?;
        let instrumented = meter::instrument(&wasm)?;
        let module = wasmi::Module::new(&self.engine, &instrumented[..])
            .map_err(|e| program::ProgramError::Invalid(e.to_string()))?;
        Ok((module, facts))
    }

    /// The compiled module for an activated program (compiled on first use).
    fn module(&self, codehash: B256, code: &[u8]) -> Result<wasmi::Module, program::ProgramError> {
        if let Some(m) = self.modules.lock().unwrap().get(&codehash) {
            return Ok(m.clone());
        }
        let (m, _) = self.compile(code)?;
        self.modules.lock().unwrap().insert(codehash, m.clone());
        Ok(m)
    }

    pub(crate) fn remember(&self, codehash: B256, module: wasmi::Module) {
        self.modules.lock().unwrap().insert(codehash, module);
    }
}

fn result(
    result: InstructionResult,
    gas_limit: u64,
    gas_left: u64,
    output: Bytes,
) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    let _ = gas.record_regular_cost(gas_limit - gas_left.min(gas_limit));
    InterpreterResult {
        result,
        gas,
        output,
    }
}

/// EVM memory expansion cost of `len` bytes (ArbOS ≥ 31 return-data rule).
fn evm_memory_cost(len: usize) -> u64 {
    let words = (len as u64).div_ceil(32);
    3 * words + words * words / 512
}

/// What a finished program run returns to revm: its status and output, the gas left (returned
/// data costs at least EVM memory expansion, ArbOS ≥ 31) and, on success, its refund.
fn frame_result(gas: u64, start_gas: u64, outcome: host::Outcome) -> InterpreterResult {
    let host::Outcome {
        status,
        output,
        ink_left,
        halt,
        refund,
        ..
    } = outcome;
    let mut gas_left = ink_left / INK_PRICE;
    let mut res = match (halt, status) {
        (Some(Halt::OutOfInk), _) => {
            return result(InstructionResult::OutOfGas, gas, 0, Bytes::new())
        }
        (Some(_), _) => result(InstructionResult::Revert, gas, gas_left, Bytes::new()),
        (None, 0) => result(InstructionResult::Return, gas, gas_left, output.into()),
        (None, _) => result(InstructionResult::Revert, gas, gas_left, output.into()),
    };
    if !res.output.is_empty() {
        let cost = evm_memory_cost(res.output.len());
        if start_gas < cost {
            return result(InstructionResult::OutOfGas, gas, 0, Bytes::new());
        }
        gas_left = gas_left.min(start_gas - cost);
        res = result(res.result, gas, gas_left, res.output);
    }
    if res.result.is_ok() {
        res.gas.record_refund(refund);
    }
    res
}

/// Runs the Stylus frame described by `inputs` with `gas` available.
pub(crate) fn run_program(
    evm: &mut StylusEvm,
    inputs: &CallInputs,
    depth: usize,
    gas: u64,
) -> InterpreterResult {
    let (codehash, bytecode) = inputs.known_bytecode.clone();
    let code = bytecode.original_bytes();
    let now = evm.ctx_mut().block.timestamp.saturating_to::<u64>();

    // The program must be activated (and not expired) under its codehash.
    let row = match arbos::load_row(evm.ctx_mut(), codehash) {
        Some(row) => row,
        None => {
            return result(
                InstructionResult::Revert,
                gas,
                gas,
                arbos::err_not_activated(),
            )
        }
    };
    if let Some(age) = row.expired_age(now) {
        return result(InstructionResult::Revert, gas, gas, arbos::err_expired(age));
    }

    let calldata = match &inputs.input {
        CallInput::Bytes(b) => b.clone(),
        CallInput::SharedBuffer(range) => evm
            .ctx_mut()
            .local()
            .shared_memory_buffer_slice(range.clone())
            .map(|s| Bytes::copy_from_slice(&s))
            .unwrap_or_default(),
    };

    // Entry costs (Nitro `CallProgram`): memory for the footprint, then init costs.
    let mem_gas = pricing::memory_gas(row.footprint, evm.pages_open, evm.pages_ever);
    let entry = mem_gas.saturating_add(row.call_cost());
    if entry > gas {
        return result(InstructionResult::OutOfGas, gas, 0, Bytes::new());
    }
    let module = match evm.rt.module(codehash, &code) {
        Ok(m) => m,
        Err(_) => return result(InstructionResult::Revert, gas, gas - entry, Bytes::new()),
    };

    let pages_before = evm.pages_open;
    evm.pages_open = evm.pages_open.saturating_add(row.footprint);
    evm.pages_ever = evm.pages_ever.max(evm.pages_open);
    let acting = !matches!(
        inputs.scheme,
        CallScheme::DelegateCall | CallScheme::CallCode
    );
    if acting {
        *evm.open.entry(inputs.target_address).or_default() += 1;
    }

    let start_gas = gas - entry;
    let slot = evm.rt.profile.lock().unwrap().as_mut().map(|p| {
        let mut selector = [0u8; 4];
        let n = calldata.len().min(4);
        selector[..n].copy_from_slice(&calldata[..n]);
        let parent = p.open.last().copied();
        p.open.push(p.frames.len());
        p.frames.push(FrameGas {
            depth,
            parent,
            target: inputs.target_address,
            code: inputs.bytecode_address,
            selector,
            delegate: !acting,
            entry,
            used: 0,
            stats: host::FrameStats::default(),
            ok: false,
        });
        p.frames.len() - 1
    });
    let host = Host::new(evm, inputs, calldata, depth);
    let outcome =
        host::call_entrypoint(&evm.rt, &module, host, start_gas.saturating_mul(INK_PRICE));

    if acting {
        if let Some(n) = evm.open.get_mut(&inputs.target_address) {
            *n -= 1;
        }
    }
    evm.pages_open = pages_before;

    let stats = outcome.stats;
    let res = frame_result(gas, start_gas, outcome);
    if let Some(i) = slot {
        if let Some(p) = evm.rt.profile.lock().unwrap().as_mut() {
            // Runs nest, so the run finishing is the innermost one still open.
            p.open.pop();
            if let Some(f) = p.frames.get_mut(i) {
                f.used = gas - res.gas.remaining();
                f.stats = stats;
                f.ok = res.result.is_ok();
            }
        }
    }
    res
}
