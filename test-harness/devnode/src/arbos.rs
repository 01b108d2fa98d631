//! ArbOS precompiles the devnode serves: `ArbWasm` (0x71: activation and program queries),
//! `ArbWasmCache` (0x72: cache queries), `ArbSys` (0x64: block number, chain id, ArbOS version),
//! `ArbOwner` (0x70: the chain owner's `setCalldataPriceIncrease`) and `ArbOwnerPublic` (0x6b: its
//! view and the chain owner), on top of Ethereum's precompiles. They sit beside [`crate::exec`] (which dispatches calls to them)
//! and keep their state in [`crate::programs`]; they work on any revm context.
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

use crate::programs::{
    calldata_price_increase, data_fee, hours, load_row, set_calldata_price_increase, store_row,
    ProgramRow, ACTIVATION_FIXED_GAS, ARBOS_VERSION, EXPIRY_DAYS, KEEPALIVE_DAYS, STYLUS_VERSION,
};
use crate::stylus::program::is_stylus;
use crate::stylus::{pricing, Runtime};

pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
pub const ARB_OWNER: Address = address!("0000000000000000000000000000000000000070");
pub const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");
/// Every ArbOS precompile the devnode serves.
const ARB_PRECOMPILES: [Address; 5] = [
    ARB_WASM,
    ARB_WASM_CACHE,
    ARB_SYS,
    ARB_OWNER,
    ARB_OWNER_PUBLIC,
];
/// Where activation data fees go.
pub const NETWORK_FEE_ACCOUNT: Address = address!("00000000000000000000000000000000000A4B05");

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

    /// Chain-owner methods (only those the devnode models).
    interface ArbOwner {
        /// EIP-7623's calldata floor on or off (ArbOS 40: off until the owner enables it).
        function setCalldataPriceIncrease(bool enable) external;
        event OwnerActs(bytes4 indexed method, address indexed owner, bytes data);
    }

    interface ArbOwnerPublic {
        function isCalldataPriceIncreaseEnabled() external view returns (bool);
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
    }

    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
    }
}

/// Precompiles: Ethereum's plus ArbOS's.
pub struct ArbPrecompiles {
    eth: EthPrecompiles,
    addresses: AddressSet,
    rt: Arc<Runtime>,
    /// The chain owner (genesis configuration): the only caller ArbWasmCache accepts.
    owner: Address,
}

impl ArbPrecompiles {
    pub fn new(spec: SpecId, rt: Arc<Runtime>, owner: Address) -> Self {
        let eth = EthPrecompiles::new(spec);
        let mut addresses = eth.warm_addresses().clone();
        addresses.extend(ARB_PRECOMPILES);
        Self {
            eth,
            addresses,
            rt,
            owner,
        }
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

impl<CTX: ContextTr> PrecompileProvider<CTX> for ArbPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: <CTX::Cfg as Cfg>::Spec) -> bool {
        let changed = <EthPrecompiles as PrecompileProvider<CTX>>::set_spec(&mut self.eth, spec);
        if changed {
            let mut addresses = self.eth.warm_addresses().clone();
            addresses.extend(ARB_PRECOMPILES);
            self.addresses = addresses;
        }
        changed
    }

    fn run(
        &mut self,
        ctx: &mut CTX,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        let a = inputs.bytecode_address;
        if !ARB_PRECOMPILES.contains(&a) {
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
            ARB_WASM_CACHE => arb_wasm_cache(ctx, self.owner, inputs, &input),
            ARB_OWNER => arb_owner(ctx, self.owner, inputs, &input),
            ARB_OWNER_PUBLIC => arb_owner_public(ctx, self.owner, limit, &input),
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

fn code_hash_of<CTX: ContextTr>(ctx: &mut CTX, program: Address) -> (B256, Bytes) {
    let code = ctx
        .journal_mut()
        .code(program)
        .map(|c| c.data)
        .unwrap_or_default();
    (keccak256(&code), code)
}

fn arb_wasm<CTX: ContextTr>(
    ctx: &mut CTX,
    rt: &Runtime,
    inputs: &CallInputs,
    input: &[u8],
) -> InterpreterResult {
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
    let active = |ctx: &mut CTX, codehash: B256| -> Result<ProgramRow, InterpreterResult> {
        match load_row(ctx.journal_mut(), codehash) {
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
            if let Some(row) = load_row(ctx.journal_mut(), codehash) {
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
            let fee = data_fee(ctx.journal_mut(), facts.asm_estimate(), now);
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
            store_row(
                ctx.journal_mut(),
                codehash,
                &ProgramRow::activated(&facts, now),
            );
            rt.remember(codehash, STYLUS_VERSION, module);
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
            let fee = data_fee(ctx.journal_mut(), row.asm_estimate_kb as u64 * 1024, now);
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
            store_row(ctx.journal_mut(), call.codehash, &row);
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
                // Nitro (Stylus v2): the uncached figure includes the cached part, as a call
                // to an uncached program pays both.
                programInitGasCall::SELECTOR => {
                    (row.init_gas() + row.cached_gas(), row.cached_gas()).abi_encode_params()
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
        // Gas, not the stored units: MinInitGas·128 and MinCachedInitGas·32 (Nitro).
        minInitGasCall::SELECTOR => view(
            (
                pricing::MIN_INIT_GAS * 128,
                pricing::MIN_CACHED_INIT_GAS * 32,
            )
                .abi_encode_params(),
        ),
        initCostScalarCall::SELECTOR => view(100u64.abi_encode()),
        expiryDaysCall::SELECTOR => view((EXPIRY_DAYS as u16).abi_encode()),
        keepaliveDaysCall::SELECTOR => view((KEEPALIVE_DAYS as u16).abi_encode()),
        blockCacheSizeCall::SELECTOR => view(32u16.abi_encode()),
        activationGasCall::SELECTOR => view(0u64.abi_encode()),
        _ => bad(),
    }
}

fn emit<CTX: ContextTr, E: alloy_sol_types::SolEvent>(ctx: &mut CTX, address: Address, ev: E) {
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

fn arb_wasm_cache<CTX: ContextTr>(
    ctx: &mut CTX,
    owner: Address,
    inputs: &CallInputs,
    input: &[u8],
) -> InterpreterResult {
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
    let set_cached = |ctx: &mut CTX, codehash: B256, cached: bool| -> InterpreterResult {
        if inputs.is_static {
            return bad();
        }
        if inputs.caller != owner {
            return revert(limit, VIEW_GAS, CallerNotCacheManager {});
        }
        let Some(mut row) = load_row(ctx.journal_mut(), codehash) else {
            return revert(limit, VIEW_GAS, ArbWasm::ProgramNotActivated {});
        };
        // Caching pays the program's init cost once (Nitro).
        let gas = VIEW_GAS
            + if cached && !row.cached {
                row.init_gas()
            } else {
                0
            };
        row.cached = cached;
        store_row(ctx.journal_mut(), codehash, &row);
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
            let cached = load_row(ctx.journal_mut(), call.codehash)
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

fn arb_sys<CTX: ContextTr>(ctx: &mut CTX, limit: u64, input: &[u8]) -> InterpreterResult {
    use ArbSys::*;
    match selector(input) {
        arbBlockNumberCall::SELECTOR => ok(limit, VIEW_GAS, ctx.block().number().abi_encode()),
        arbChainIDCall::SELECTOR => ok(
            limit,
            VIEW_GAS,
            U256::from(ctx.cfg().chain_id()).abi_encode(),
        ),
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

/// `ArbOwner` as Nitro's owner-only wrapper runs it: a caller that is not the chain owner fails
/// with an error that is not a revert (all gas consumed, no data); the owner is charged nothing
/// and each successful write logs `OwnerActs(selector, owner, calldata)`.
fn arb_owner<CTX: ContextTr>(
    ctx: &mut CTX,
    owner: Address,
    inputs: &CallInputs,
    input: &[u8],
) -> InterpreterResult {
    use ArbOwner::*;
    let limit = inputs.gas_limit;
    let fail = || {
        out(
            InstructionResult::PrecompileError,
            limit,
            limit,
            Bytes::new(),
        )
    };
    if inputs.caller != owner {
        return fail();
    }
    match selector(input) {
        setCalldataPriceIncreaseCall::SELECTOR => {
            let Ok(call) = setCalldataPriceIncreaseCall::abi_decode(input) else {
                return out(InstructionResult::Revert, limit, 0, Bytes::new());
            };
            if inputs.is_static {
                return fail();
            }
            set_calldata_price_increase(ctx.journal_mut(), call.enable);
            emit(
                ctx,
                ARB_OWNER,
                OwnerActs {
                    method: setCalldataPriceIncreaseCall::SELECTOR.into(),
                    owner: inputs.caller,
                    data: Bytes::copy_from_slice(input),
                },
            );
            ok(limit, 0, Vec::new())
        }
        _ => out(InstructionResult::Revert, limit, 0, Bytes::new()),
    }
}

fn arb_owner_public<CTX: ContextTr>(
    ctx: &mut CTX,
    owner: Address,
    limit: u64,
    input: &[u8],
) -> InterpreterResult {
    use ArbOwnerPublic::*;
    match selector(input) {
        isCalldataPriceIncreaseEnabledCall::SELECTOR => ok(
            limit,
            VIEW_GAS,
            calldata_price_increase(ctx.journal_mut()).abi_encode(),
        ),
        isChainOwnerCall::SELECTOR => match isChainOwnerCall::abi_decode(input) {
            Ok(call) => ok(limit, VIEW_GAS, (call.addr == owner).abi_encode()),
            Err(_) => out(
                InstructionResult::Revert,
                limit,
                VIEW_GAS.min(limit),
                Bytes::new(),
            ),
        },
        getAllChainOwnersCall::SELECTOR => ok(limit, VIEW_GAS, vec![owner].abi_encode()),
        _ => out(
            InstructionResult::Revert,
            limit,
            VIEW_GAS.min(limit),
            Bytes::new(),
        ),
    }
}
