//! ArbOS precompiles the devnode serves: `ArbWasm` (0x71: activation and program queries),
//! `ArbWasmCache` (0x72: cache queries), `ArbSys` (0x64: block number, chain id, ArbOS version), on
//! top of Ethereum's precompiles.
//!
//! Program rows live in the storage of the ArbOS state account (`0xA4B05FFF…FF`), keyed by
//! codehash, so activation is journaled like any other state: it reverts with its transaction, is
//! undone by `evm_revert`, and `eth_call` simulations of `activateProgram` leave no trace.
//!
//! Approximations (documented in the crate docs): activation gas is Nitro's fixed 1,659,168 plus
//! its parse-cost model over our own module statistics; view calls cost a flat 800 gas; no program
//! is cache-managed, so every call pays the uncached init cost.

use std::sync::Arc;

use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use revm::context::Cfg;
use revm::context_interface::{Block, ContextTr, JournalTr, LocalContextTr};
use revm::handler::{EthPrecompiles, PrecompileProvider};
use revm::interpreter::{CallInput, CallInputs, Gas, InstructionResult, InterpreterResult};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{address, keccak256, Address, AddressSet, Bytes, Log, LogData, B256, U256};

use crate::exec::Ctx;
use crate::stylus::program::{is_stylus, ProgramFacts};
use crate::stylus::{pricing, Runtime};

pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
/// The account whose storage holds ArbOS state (program rows, the data pricer).
pub const ARBOS_STATE: Address = address!("A4B05FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
/// Where activation data fees go.
pub const NETWORK_FEE_ACCOUNT: Address = address!("00000000000000000000000000000000000A4B05");

/// Stylus version the chain runs (Arbitrum One is on v2).
pub const STYLUS_VERSION: u16 = 2;
/// Fixed activation gas (Nitro).
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;
pub const EXPIRY_DAYS: u64 = 365;
pub const KEEPALIVE_DAYS: u64 = 31;
/// Hours are counted from this Unix time (Arbitrum's epoch for `activatedAt`).
const ARBITRUM_START: u64 = 1_421_388_000;
/// Data pricer: minimum price per byte of estimated native code, demand inertia and decay.
const MIN_PRICE: f64 = 82_928_201.0;
const INERTIA: f64 = 21_360_419.0;
const BYTES_PER_SECOND_DECAY: f64 = (1u64 << 40) as f64 / (365.0 * 24.0 * 3600.0);
const VIEW_GAS: u64 = 800;

sol! {
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function codehashKeepalive(bytes32 codehash) external payable;
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function programTimeLeft(address program) external view returns (uint64 _secs);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageRamp() external view returns (uint64 ramp);
        function pageLimit() external view returns (uint16 limit);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function blockCacheSize() external view returns (uint16 count);
        function activationGas() external view returns (uint64 gas);

        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);

        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }

    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function codehashIsCached(bytes32 codehash) external view returns (bool);
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }

    /// The devnode's ArbWasmCache refuses callers other than the chain owner (the dev account).
    error CallerNotCacheManager();

    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
    }
}

pub(crate) fn err_not_activated() -> Bytes {
    ArbWasm::ProgramNotActivated {}.abi_encode().into()
}
pub(crate) fn err_expired(age: u64) -> Bytes {
    ArbWasm::ProgramExpired { ageInSeconds: age }
        .abi_encode()
        .into()
}

/// One activated program (Nitro's packed `Program` word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramRow {
    pub version: u16,
    pub init_cost: u16,
    pub cached_cost: u16,
    pub footprint: u16,
    pub asm_estimate_kb: u32,
    pub activated_at: u32,
    pub cached: bool,
}

impl ProgramRow {
    fn pack(&self) -> U256 {
        let mut b = [0u8; 32];
        b[0..2].copy_from_slice(&self.version.to_be_bytes());
        b[2..4].copy_from_slice(&self.init_cost.to_be_bytes());
        b[4..6].copy_from_slice(&self.cached_cost.to_be_bytes());
        b[6..8].copy_from_slice(&self.footprint.to_be_bytes());
        b[8..11].copy_from_slice(&self.asm_estimate_kb.to_be_bytes()[1..]);
        b[11..14].copy_from_slice(&self.activated_at.to_be_bytes()[1..]);
        b[14] = self.cached as u8;
        U256::from_be_bytes(b)
    }
    fn unpack(v: U256) -> Option<Self> {
        if v.is_zero() {
            return None;
        }
        let b = v.to_be_bytes::<32>();
        let u24 = |s: &[u8]| u32::from_be_bytes([0, s[0], s[1], s[2]]);
        Some(Self {
            version: u16::from_be_bytes([b[0], b[1]]),
            init_cost: u16::from_be_bytes([b[2], b[3]]),
            cached_cost: u16::from_be_bytes([b[4], b[5]]),
            footprint: u16::from_be_bytes([b[6], b[7]]),
            asm_estimate_kb: u24(&b[8..11]),
            activated_at: u24(&b[11..14]),
            cached: b[14] != 0,
        })
    }
    /// Seconds since activation.
    pub fn age(&self, now: u64) -> u64 {
        now.saturating_sub(ARBITRUM_START + self.activated_at as u64 * 3600)
    }
    /// `Some(age)` when the program has expired.
    pub fn expired_age(&self, now: u64) -> Option<u64> {
        let age = self.age(now);
        (age > EXPIRY_DAYS * 86_400).then_some(age)
    }
    /// Gas charged on every call on top of memory (Stylus v2, uncached program).
    pub fn call_cost(&self) -> u64 {
        let cached = pricing::MIN_CACHED_INIT_GAS * 32 + self.cached_cost as u64;
        if self.cached {
            cached
        } else {
            cached + pricing::MIN_INIT_GAS * 128 + self.init_cost as u64
        }
    }
}

fn row_slot(codehash: B256) -> U256 {
    U256::from_be_bytes(codehash.0)
}

fn pricer_slot(name: &str) -> U256 {
    U256::from_be_bytes(keccak256(name.as_bytes()).0)
}

fn ensure_state(ctx: &mut Ctx) {
    let _ = ctx.journal_mut().load_account(ARBOS_STATE);
}

/// Reads the program row of `codehash`, if activated.
pub fn load_row(ctx: &mut Ctx, codehash: B256) -> Option<ProgramRow> {
    ensure_state(ctx);
    let v = ctx
        .journal_mut()
        .sload(ARBOS_STATE, row_slot(codehash))
        .map(|s| s.data)
        .unwrap_or_default();
    ProgramRow::unpack(v).filter(|r| r.version != 0)
}

fn store_row(ctx: &mut Ctx, codehash: B256, row: &ProgramRow) {
    ensure_state(ctx);
    let _ = ctx
        .journal_mut()
        .sstore(ARBOS_STATE, row_slot(codehash), row.pack());
    ctx.journal_mut().touch_account(ARBOS_STATE);
}

/// Nitro's data pricer: demand decays at 1 TiB/year and grows by each activation's estimate;
/// the price per byte grows exponentially with demand.
fn data_fee(ctx: &mut Ctx, asm_estimate: u64, now: u64) -> U256 {
    ensure_state(ctx);
    let (ds, ts) = (
        pricer_slot("ferrostake.devnode.pricer.demand"),
        pricer_slot("ferrostake.devnode.pricer.time"),
    );
    let j = ctx.journal_mut();
    let demand = j
        .sload(ARBOS_STATE, ds)
        .map(|s| s.data)
        .unwrap_or_default()
        .saturating_to::<u64>();
    let last = j
        .sload(ARBOS_STATE, ts)
        .map(|s| s.data)
        .unwrap_or_default()
        .saturating_to::<u64>();
    let decay = (now.saturating_sub(last) as f64 * BYTES_PER_SECOND_DECAY) as u64;
    let demand = demand.saturating_sub(decay).saturating_add(asm_estimate);
    let _ = j.sstore(ARBOS_STATE, ds, U256::from(demand));
    let _ = j.sstore(ARBOS_STATE, ts, U256::from(now));
    j.touch_account(ARBOS_STATE);
    let per_byte = MIN_PRICE * (demand as f64 / INERTIA).exp();
    U256::from((per_byte * asm_estimate as f64) as u128)
}

/// Precompiles: Ethereum's plus ArbOS's.
pub struct ArbPrecompiles {
    eth: EthPrecompiles,
    addresses: AddressSet,
    rt: Arc<Runtime>,
}

impl ArbPrecompiles {
    pub fn new(spec: SpecId, rt: Arc<Runtime>) -> Self {
        let eth = EthPrecompiles::new(spec);
        let mut addresses = eth.warm_addresses().clone();
        addresses.extend([ARB_WASM, ARB_WASM_CACHE, ARB_SYS]);
        Self { eth, addresses, rt }
    }
}

fn out(result: InstructionResult, limit: u64, used: u64, output: Bytes) -> InterpreterResult {
    let mut gas = Gas::new(limit);
    if !gas.record_regular_cost(used) {
        return InterpreterResult {
            result: InstructionResult::PrecompileOOG,
            gas: Gas::new_spent_with_reservoir(limit, 0),
            output: Bytes::new(),
        };
    }
    InterpreterResult {
        result,
        gas,
        output,
    }
}

fn revert(limit: u64, used: u64, data: impl SolError) -> InterpreterResult {
    out(
        InstructionResult::Revert,
        limit,
        used,
        data.abi_encode().into(),
    )
}

fn ok(limit: u64, used: u64, data: Vec<u8>) -> InterpreterResult {
    out(InstructionResult::Return, limit, used, data.into())
}

impl PrecompileProvider<Ctx> for ArbPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: <<Ctx as ContextTr>::Cfg as Cfg>::Spec) -> bool {
        let changed = <EthPrecompiles as PrecompileProvider<Ctx>>::set_spec(&mut self.eth, spec);
        if changed {
            let mut addresses = self.eth.warm_addresses().clone();
            addresses.extend([ARB_WASM, ARB_WASM_CACHE, ARB_SYS]);
            self.addresses = addresses;
        }
        changed
    }

    fn run(
        &mut self,
        ctx: &mut Ctx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        let a = inputs.bytecode_address;
        if a != ARB_WASM && a != ARB_WASM_CACHE && a != ARB_SYS {
            return self.eth.run(ctx, inputs);
        }
        let input = match &inputs.input {
            CallInput::Bytes(b) => b.clone(),
            CallInput::SharedBuffer(r) => ctx
                .local()
                .shared_memory_buffer_slice(r.clone())
                .map(|s| Bytes::copy_from_slice(&s))
                .unwrap_or_default(),
        };
        let limit = inputs.gas_limit;
        let res = match a {
            ARB_WASM => arb_wasm(ctx, &self.rt, inputs, &input),
            ARB_WASM_CACHE => arb_wasm_cache(ctx, inputs, &input),
            _ => arb_sys(ctx, limit, &input),
        };
        Ok(Some(res))
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.addresses
    }

    fn contains(&self, address: &Address) -> bool {
        self.addresses.contains(address)
    }
}

fn selector(input: &[u8]) -> [u8; 4] {
    let mut s = [0u8; 4];
    if input.len() >= 4 {
        s.copy_from_slice(&input[..4]);
    }
    s
}

fn code_hash_of(ctx: &mut Ctx, program: Address) -> (B256, Bytes) {
    let code = ctx
        .journal_mut()
        .code(program)
        .map(|c| c.data)
        .unwrap_or_default();
    (keccak256(&code), code)
}

fn arb_wasm(ctx: &mut Ctx, rt: &Runtime, inputs: &CallInputs, input: &[u8]) -> InterpreterResult {
    use ArbWasm::*;
    let limit = inputs.gas_limit;
    let now = ctx.block().timestamp().saturating_to::<u64>();
    let bad = || {
        out(
            InstructionResult::Revert,
            limit,
            VIEW_GAS.min(limit),
            Bytes::new(),
        )
    };
    // A program's row, with Nitro's errors for missing / expired programs.
    let active = |ctx: &mut Ctx, codehash: B256| -> Result<ProgramRow, InterpreterResult> {
        match load_row(ctx, codehash) {
            None => Err(revert(limit, VIEW_GAS, ProgramNotActivated {})),
            Some(row) => match row.expired_age(now) {
                Some(age) => Err(revert(
                    limit,
                    VIEW_GAS,
                    ProgramExpired { ageInSeconds: age },
                )),
                None => Ok(row),
            },
        }
    };
    let view = |v: Vec<u8>| ok(limit, VIEW_GAS, v);
    match selector(input) {
        activateProgramCall::SELECTOR => {
            let Ok(call) = activateProgramCall::abi_decode(input) else {
                return bad();
            };
            if inputs.is_static {
                return bad();
            }
            let (codehash, code) = code_hash_of(ctx, call.program);
            if !is_stylus(&code) {
                return revert(limit, VIEW_GAS, ProgramNotWasm {});
            }
            if let Some(row) = load_row(ctx, codehash) {
                if row.version == STYLUS_VERSION && row.expired_age(now).is_none() {
                    return revert(limit, VIEW_GAS, ProgramUpToDate {});
                }
            }
            let (module, facts) = match rt.compile(&code) {
                Ok(x) => x,
                Err(e) => {
                    *rt.last_activation_error.lock().unwrap() = Some(e.to_string());
                    // Nitro burns all gas on a program that fails validation.
                    return out(
                        InstructionResult::Revert,
                        limit,
                        limit,
                        ProgramNotWasm {}.abi_encode().into(),
                    );
                }
            };
            let gas = ACTIVATION_FIXED_GAS + facts.activation_gas();
            if gas > limit {
                return out(InstructionResult::PrecompileOOG, limit, limit, Bytes::new());
            }
            let fee = data_fee(ctx, facts.asm_estimate(), now);
            let value = inputs.value.get();
            if value < fee {
                return revert(
                    limit,
                    gas,
                    ProgramInsufficientValue {
                        have: value,
                        want: fee,
                    },
                );
            }
            // The value was moved to 0x71 by the call; pay the fee and refund the rest.
            let j = ctx.journal_mut();
            if !fee.is_zero()
                && j.transfer(ARB_WASM, NETWORK_FEE_ACCOUNT, fee)
                    .ok()
                    .flatten()
                    .is_some()
            {
                return bad();
            }
            let refund = value - fee;
            if !refund.is_zero()
                && j.transfer(ARB_WASM, inputs.caller, refund)
                    .ok()
                    .flatten()
                    .is_some()
            {
                return bad();
            }
            store_row(ctx, codehash, &row_from(&facts, now));
            rt.remember(codehash, module);
            let wasm_hash =
                keccak256(crate::stylus::program::decompress(&code).unwrap_or_default());
            let ev = ProgramActivated {
                codehash,
                moduleHash: wasm_hash,
                program: call.program,
                dataFee: fee,
                version: STYLUS_VERSION,
            };
            emit(ctx, ARB_WASM, ev);
            ok(limit, gas, (STYLUS_VERSION, fee).abi_encode_params())
        }
        codehashKeepaliveCall::SELECTOR => {
            let Ok(call) = codehashKeepaliveCall::abi_decode(input) else {
                return bad();
            };
            let row = match active(ctx, call.codehash) {
                Ok(r) => r,
                Err(e) => return e,
            };
            let age = row.age(now);
            if age < KEEPALIVE_DAYS * 86_400 {
                return revert(
                    limit,
                    VIEW_GAS,
                    ProgramKeepaliveTooSoon { ageInSeconds: age },
                );
            }
            let fee = data_fee(ctx, row.asm_estimate_kb as u64 * 1024, now);
            let value = inputs.value.get();
            if value < fee {
                return revert(
                    limit,
                    VIEW_GAS,
                    ProgramInsufficientValue {
                        have: value,
                        want: fee,
                    },
                );
            }
            let j = ctx.journal_mut();
            let _ = j.transfer(ARB_WASM, NETWORK_FEE_ACCOUNT, fee);
            let _ = j.transfer(ARB_WASM, inputs.caller, value - fee);
            let mut row = row;
            row.activated_at = hours(now);
            store_row(ctx, call.codehash, &row);
            emit(
                ctx,
                ARB_WASM,
                ProgramLifetimeExtended {
                    codehash: call.codehash,
                    dataFee: fee,
                },
            );
            ok(limit, VIEW_GAS, Vec::new())
        }
        stylusVersionCall::SELECTOR => view(STYLUS_VERSION.abi_encode()),
        codehashVersionCall::SELECTOR => {
            let Ok(call) = codehashVersionCall::abi_decode(input) else {
                return bad();
            };
            match active(ctx, call.codehash) {
                Ok(row) => view(row.version.abi_encode()),
                Err(e) => e,
            }
        }
        codehashAsmSizeCall::SELECTOR => {
            let Ok(call) = codehashAsmSizeCall::abi_decode(input) else {
                return bad();
            };
            match active(ctx, call.codehash) {
                Ok(row) => view((row.asm_estimate_kb * 1024).abi_encode()),
                Err(e) => e,
            }
        }
        programVersionCall::SELECTOR
        | programInitGasCall::SELECTOR
        | programMemoryFootprintCall::SELECTOR
        | programTimeLeftCall::SELECTOR => {
            if input.len() < 36 {
                return bad();
            }
            let program = Address::from_slice(&input[16..36]);
            let (codehash, _) = code_hash_of(ctx, program);
            let row = match active(ctx, codehash) {
                Ok(r) => r,
                Err(e) => return e,
            };
            let v = match selector(input) {
                programVersionCall::SELECTOR => row.version.abi_encode(),
                programInitGasCall::SELECTOR => {
                    let cached = pricing::MIN_CACHED_INIT_GAS * 32 + row.cached_cost as u64;
                    let init = pricing::MIN_INIT_GAS * 128 + row.init_cost as u64;
                    (init, cached).abi_encode_params()
                }
                programMemoryFootprintCall::SELECTOR => row.footprint.abi_encode(),
                _ => (EXPIRY_DAYS * 86_400)
                    .saturating_sub(row.age(now))
                    .abi_encode(),
            };
            view(v)
        }
        inkPriceCall::SELECTOR => view(10_000u32.abi_encode()),
        maxStackDepthCall::SELECTOR => view(262_144u32.abi_encode()),
        freePagesCall::SELECTOR => view(pricing::FREE_PAGES.abi_encode()),
        pageGasCall::SELECTOR => view((pricing::PAGE_GAS as u16).abi_encode()),
        pageRampCall::SELECTOR => view(620_674_314u64.abi_encode()),
        pageLimitCall::SELECTOR => view((crate::stylus::program::PAGE_LIMIT as u16).abi_encode()),
        minInitGasCall::SELECTOR => {
            view((pricing::MIN_INIT_GAS, pricing::MIN_CACHED_INIT_GAS).abi_encode_params())
        }
        initCostScalarCall::SELECTOR => view(100u64.abi_encode()),
        expiryDaysCall::SELECTOR => view((EXPIRY_DAYS as u16).abi_encode()),
        keepaliveDaysCall::SELECTOR => view((KEEPALIVE_DAYS as u16).abi_encode()),
        blockCacheSizeCall::SELECTOR => view(32u16.abi_encode()),
        activationGasCall::SELECTOR => view(0u64.abi_encode()),
        _ => bad(),
    }
}

fn hours(now: u64) -> u32 {
    (now.saturating_sub(ARBITRUM_START) / 3600) as u32
}

fn row_from(facts: &ProgramFacts, now: u64) -> ProgramRow {
    ProgramRow {
        version: STYLUS_VERSION,
        init_cost: facts.init_cost() as u16,
        cached_cost: facts.cached_init_cost() as u16,
        footprint: facts.footprint,
        asm_estimate_kb: facts.asm_estimate().div_ceil(1024) as u32,
        activated_at: hours(now),
        cached: false,
    }
}

fn emit<E: alloy_sol_types::SolEvent>(ctx: &mut Ctx, address: Address, ev: E) {
    let topics = ev
        .encode_topics()
        .into_iter()
        .map(|t| B256::from(t.0))
        .collect();
    let data = ev.encode_data();
    ctx.journal_mut().log(Log {
        address,
        data: LogData::new_unchecked(topics, data.into()),
    });
}

fn arb_wasm_cache(ctx: &mut Ctx, inputs: &CallInputs, input: &[u8]) -> InterpreterResult {
    use ArbWasmCache::*;
    let limit = inputs.gas_limit;
    let bad = || {
        out(
            InstructionResult::Revert,
            limit,
            VIEW_GAS.min(limit),
            Bytes::new(),
        )
    };
    // Who may cache: the chain owner (nitro-devnode's dev account owns the chain). Arbitrum's
    // CacheManager contract (cache bids) is not deployed on the devnode.
    let set_cached = |ctx: &mut Ctx, codehash: B256, cached: bool| -> InterpreterResult {
        if inputs.is_static {
            return bad();
        }
        if inputs.caller != crate::node::DEV_ADDRESS {
            return revert(limit, VIEW_GAS, CallerNotCacheManager {});
        }
        let Some(mut row) = load_row(ctx, codehash) else {
            return revert(limit, VIEW_GAS, ArbWasm::ProgramNotActivated {});
        };
        // Caching pays the program's init cost once (Nitro).
        let gas = VIEW_GAS
            + if cached && !row.cached {
                pricing::MIN_INIT_GAS * 128 + row.init_cost as u64
            } else {
                0
            };
        row.cached = cached;
        store_row(ctx, codehash, &row);
        emit(
            ctx,
            ARB_WASM_CACHE,
            UpdateProgramCache {
                manager: inputs.caller,
                codehash,
                cached,
            },
        );
        ok(limit, gas, Vec::new())
    };
    match selector(input) {
        isCacheManagerCall::SELECTOR => ok(limit, VIEW_GAS, false.abi_encode()),
        allCacheManagersCall::SELECTOR => ok(limit, VIEW_GAS, Vec::<Address>::new().abi_encode()),
        codehashIsCachedCall::SELECTOR => {
            let Ok(call) = codehashIsCachedCall::abi_decode(input) else {
                return bad();
            };
            let cached = load_row(ctx, call.codehash)
                .map(|r| r.cached)
                .unwrap_or(false);
            ok(limit, VIEW_GAS, cached.abi_encode())
        }
        cacheProgramCall::SELECTOR => {
            let Ok(call) = cacheProgramCall::abi_decode(input) else {
                return bad();
            };
            let (codehash, _) = code_hash_of(ctx, call.addr);
            set_cached(ctx, codehash, true)
        }
        evictCodehashCall::SELECTOR => {
            let Ok(call) = evictCodehashCall::abi_decode(input) else {
                return bad();
            };
            set_cached(ctx, call.codehash, false)
        }
        _ => bad(),
    }
}

/// ArbOS version reported by ArbSys (`55 + version`), matching Arbitrum One's ArbOS 40.
pub const ARBOS_VERSION: u64 = 40;

fn arb_sys(ctx: &mut Ctx, limit: u64, input: &[u8]) -> InterpreterResult {
    use ArbSys::*;
    match selector(input) {
        arbBlockNumberCall::SELECTOR => ok(limit, VIEW_GAS, ctx.block().number().abi_encode()),
        arbChainIDCall::SELECTOR => ok(limit, VIEW_GAS, U256::from(ctx.cfg.chain_id).abi_encode()),
        arbOSVersionCall::SELECTOR => {
            ok(limit, VIEW_GAS, U256::from(55 + ARBOS_VERSION).abi_encode())
        }
        _ => out(
            InstructionResult::Revert,
            limit,
            VIEW_GAS.min(limit),
            Bytes::new(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_packing_roundtrips() {
        let row = ProgramRow {
            version: 2,
            init_cost: 1234,
            cached_cost: 56,
            footprint: 1,
            asm_estimate_kb: 0x01_23_45,
            activated_at: 0x0a_bc_de,
            cached: true,
        };
        assert_eq!(ProgramRow::unpack(row.pack()), Some(row));
        assert_eq!(ProgramRow::unpack(U256::ZERO), None);
    }

    #[test]
    fn expiry_and_costs() {
        let now = ARBITRUM_START + 1_000 * 3600;
        let row = ProgramRow {
            version: 2,
            activated_at: hours(now),
            init_cost: 10,
            cached_cost: 3,
            ..Default::default()
        };
        assert_eq!(row.expired_age(now), None);
        assert!(row.expired_age(now + 366 * 86_400).is_some());
        assert_eq!(row.call_cost(), 11 * 32 + 3 + 69 * 128 + 10);
    }
}
