//! Stylus program execution: the WASM engine (wasmi), the compiled-module cache, program entry
//! (Nitro's entry costs and page accounting) and how a run ends. Knows WASM, ink, prices and the
//! host functions only; everything it needs from the chain goes through [`api::EvmApi`].

pub mod api;
pub mod host;
pub mod meter;
pub mod pricing;
pub mod program;

use std::collections::HashMap;
use std::sync::Mutex;

use alloy_primitives::{Address, Bytes, B256};

use api::EvmApi;
use host::{Halt, Host};

/// EIP-170 code size limit, the same on Arbitrum One (`MaxCodeSize`).
pub const MAX_CODE_SIZE: usize = 24_576;
/// Ink per gas (`InkPrice`).
pub const INK_PRICE: u64 = 10_000;

/// The WASM engine, the linker with every `vm_hooks` function, and the compiled-module cache.
pub struct Runtime {
    engine: wasmi::Engine,
    linker: wasmi::Linker<Host>,
    /// Validated, instrumented and compiled programs by (codehash, Stylus version of their
    /// activation). A module is a pure function of the code and the version, so the cache never
    /// changes what a run does or costs: entry costs come from the program's ArbOS row and ink is
    /// charged by the instrumented code itself.
    modules: Mutex<HashMap<ModuleKey, wasmi::Module>>,
    /// Why the last activation in this runtime failed (for error messages).
    pub last_activation_error: Mutex<Option<String>>,
    /// Nitro's words for why the last transaction's own call failed, where they are not a halt
    /// reason of revm's (calling a program that is not activated, or expired).
    pub last_call_error: Mutex<Option<String>>,
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
    pub target: Address,
    /// The program's address (differs from `target` for a delegatecall).
    pub code: Address,
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
            last_call_error: Mutex::new(None),
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
    fn module(&self, key: ModuleKey, code: &[u8]) -> Result<wasmi::Module, program::ProgramError> {
        if let Some(m) = self.modules_lock().get(&key) {
            return Ok(m.clone());
        }
        let (m, _) = self.compile(code)?;
        self.modules_lock().insert(key, m.clone());
        Ok(m)
    }

    /// Keeps the module compiled when `codehash` was activated under Stylus `version`, replacing
    /// any module of an earlier activation.
    pub(crate) fn remember(&self, codehash: B256, version: u16, module: wasmi::Module) {
        let mut modules = self.modules_lock();
        modules.retain(|k, _| k.codehash != codehash);
        modules.insert(ModuleKey { codehash, version }, module);
    }

    /// Drops the modules of `codehash` (its activation expired or is gone).
    pub(crate) fn forget(&self, codehash: B256) {
        self.modules_lock().retain(|k, _| k.codehash != codehash);
    }

    /// How many compiled modules the cache holds.
    pub fn compiled_modules(&self) -> usize {
        self.modules_lock().len()
    }

    /// Empties the compiled-module cache: the next run of each program compiles it again.
    pub fn clear_modules(&self) {
        self.modules_lock().clear();
    }

    fn modules_lock(&self) -> std::sync::MutexGuard<'_, HashMap<ModuleKey, wasmi::Module>> {
        // The map is left consistent by every operation; a panic elsewhere cannot poison its
        // contents.
        self.modules.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a compiled module depends on: the program's code and the Stylus version it was
/// activated under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModuleKey {
    pub codehash: B256,
    pub version: u16,
}

/// How a program run ended, for the execution layer to report as a frame result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    Return,
    Revert,
    /// Out of gas: all of the frame's gas is consumed.
    OutOfGas,
}

/// The result of one program run.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub status: RunStatus,
    /// Gas left out of the frame's gas (0 for [`RunStatus::OutOfGas`]).
    pub gas_left: u64,
    pub output: Bytes,
    /// The refund counter (meaningful on success only).
    pub refund: i64,
}

impl RunResult {
    fn new(status: RunStatus, gas_left: u64, output: Bytes) -> Self {
        Self {
            status,
            gas_left,
            output,
            refund: 0,
        }
    }

    /// Out of gas: nothing left, nothing returned.
    pub fn out_of_gas() -> Self {
        Self::new(RunStatus::OutOfGas, 0, Bytes::new())
    }

    /// A revert with `data`, `gas_left` handed back.
    pub fn revert(gas_left: u64, data: Bytes) -> Self {
        Self::new(RunStatus::Revert, gas_left, data)
    }
}

/// The message a program is called with.
#[derive(Debug, Clone)]
pub struct Message {
    /// The account whose storage the run uses (the proxy, for a delegatecall).
    pub address: Address,
    /// The account whose code runs.
    pub code_address: Address,
    pub caller: Address,
    pub value: alloy_primitives::U256,
    pub is_static: bool,
    /// Delegatecall or callcode: the run does not act as `address` for reentrancy.
    pub delegate: bool,
    pub calldata: Bytes,
}

/// What ArbOS recorded for the program at activation and charges on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The Stylus version the program was activated under.
    pub version: u16,
    /// Memory pages the program opens (its footprint).
    pub footprint: u16,
    /// Init gas charged on every call (cached or uncached as the program is).
    pub init_gas: u64,
}

/// EVM memory expansion cost of `len` bytes (ArbOS ≥ 31 return-data rule).
fn evm_memory_cost(len: usize) -> u64 {
    let words = (len as u64).div_ceil(32);
    3 * words + words * words / 512
}

/// What a finished program run returns: its status and output, the gas left and, on success,
/// its refund. Returned data costs at least its EVM memory expansion (ArbOS ≥ 31), counted from
/// the gas the call started with, entry costs included (Nitro's `startingGas`).
fn frame_result(start_gas: u64, outcome: host::Outcome) -> RunResult {
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
        (Some(Halt::OutOfInk), _) => return RunResult::out_of_gas(),
        (Some(_), _) => RunResult::new(RunStatus::Revert, gas_left, Bytes::new()),
        (None, 0) => RunResult::new(RunStatus::Return, gas_left, output.into()),
        (None, _) => RunResult::new(RunStatus::Revert, gas_left, output.into()),
    };
    if !res.output.is_empty() {
        let cost = evm_memory_cost(res.output.len());
        if start_gas < cost {
            return RunResult::out_of_gas();
        }
        gas_left = gas_left.min(start_gas - cost);
        res.gas_left = gas_left;
    }
    if res.status == RunStatus::Return {
        res.refund = refund;
    }
    res
}

/// Runs the activated program `code` (codehash `codehash`) for `msg` with `gas` available at call
/// depth `depth`, against the chain behind `api`.
#[allow(clippy::too_many_arguments)]
pub fn run_program(
    rt: &Runtime,
    api: &mut (dyn EvmApi + 'static),
    codehash: B256,
    code: &[u8],
    entry: Entry,
    msg: Message,
    depth: usize,
    gas: u64,
) -> RunResult {
    // Entry costs (Nitro `CallProgram`): memory for the footprint, then init costs.
    let (pages_open, pages_ever) = {
        let p = api.programs();
        (p.pages_open, p.pages_ever)
    };
    let mem_gas = pricing::memory_gas(entry.footprint, pages_open, pages_ever);
    let entry_gas = mem_gas.saturating_add(entry.init_gas);
    if entry_gas > gas {
        return RunResult::out_of_gas();
    }
    let key = ModuleKey {
        codehash,
        version: entry.version,
    };
    let module = match rt.module(key, code) {
        Ok(m) => m,
        Err(_) => return RunResult::revert(gas - entry_gas, Bytes::new()),
    };

    let acting = !msg.delegate;
    {
        let p = api.programs();
        p.pages_open = p.pages_open.saturating_add(entry.footprint);
        p.pages_ever = p.pages_ever.max(p.pages_open);
        if acting {
            *p.open.entry(msg.address).or_default() += 1;
        }
    }

    let start_gas = gas - entry_gas;
    let slot = rt.profile.lock().unwrap().as_mut().map(|p| {
        let mut selector = [0u8; 4];
        let n = msg.calldata.len().min(4);
        selector[..n].copy_from_slice(&msg.calldata[..n]);
        let parent = p.open.last().copied();
        p.open.push(p.frames.len());
        p.frames.push(FrameGas {
            depth,
            parent,
            target: msg.address,
            code: msg.code_address,
            selector,
            delegate: !acting,
            entry: entry_gas,
            used: 0,
            stats: host::FrameStats::default(),
            ok: false,
        });
        p.frames.len() - 1
    });
    let address = msg.address;
    let host = Host::new(api, msg, depth);
    let outcome = host::call_entrypoint(rt, &module, host, start_gas.saturating_mul(INK_PRICE));

    {
        let p = api.programs();
        if acting {
            if let Some(n) = p.open.get_mut(&address) {
                *n -= 1;
            }
        }
        p.pages_open = pages_open;
    }

    let stats = outcome.stats;
    let res = frame_result(gas, outcome);
    if let Some(i) = slot {
        if let Some(p) = rt.profile.lock().unwrap().as_mut() {
            // Runs nest, so the run finishing is the innermost one still open.
            p.open.pop();
            if let Some(f) = p.frames.get_mut(i) {
                f.used = gas - res.gas_left;
                f.stats = stats;
                f.ok = res.status == RunStatus::Return;
            }
        }
    }
    res
}
