//! The `vm_hooks` host functions: what a Stylus program can ask of the chain, with Nitro's
//! semantics and ink prices (`user-host-trait/lib.rs`).
//!
//! Host functions reach the chain through a raw pointer to the [`EvmApi`] that is running the
//! program: wasmi's store data must be `'static`, and the chain is borrowed by the frame loop that
//! called into the program. The pointer is only dereferenced while that call is on the stack (the
//! store never outlives [`call_entrypoint`]); this is the one unsafe seam of the devnode.

use std::collections::BTreeMap;
use std::fmt;

use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use wasmi::{Caller, Engine, Error, Global, Linker, Memory, Val};

use super::api::{CallKind, EvmApi, SubCall, SubCreate, SubOutcome};
use super::pricing::*;
use super::{Message, INK_PRICE};

/// Why a program stopped other than by returning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    OutOfInk,
    /// A host function refused (write in a static context, bad log, memory out of bounds...).
    Failure(&'static str),
}

impl fmt::Display for Halt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Halt::OutOfInk => write!(f, "out of ink"),
            Halt::Failure(why) => write!(f, "{why}"),
        }
    }
}

impl wasmi::errors::HostError for Halt {}

#[derive(Clone, Copy)]
struct EvmPtr(*mut dyn EvmApi);
// SAFETY: the pointer is only used on the thread running the program (see the module docs).
unsafe impl Send for EvmPtr {}
unsafe impl Sync for EvmPtr {}

/// Per-call host state (wasmi store data).
pub struct Host {
    evm: EvmPtr,
    args: Bytes,
    output: Vec<u8>,
    return_data: Bytes,
    address: Address,
    caller: Address,
    value: U256,
    is_static: bool,
    depth: usize,
    ink: Option<Global>,
    status: Option<Global>,
    memory: Option<Memory>,
    /// Nitro's storage cache (`arbutil::evm::storage`): key → the slot's value here and in the state.
    cache: BTreeMap<U256, CachedSlot>,
    /// Loads and stores through the cache so far in this call (Nitro prices them by count).
    cache_reads: u32,
    cache_writes: u32,
    /// The last code `account_code`/`account_code_size` fetched, by address (Nitro's `last_code`).
    last_code: Option<(Address, Bytes)>,
    refund: i64,
    /// Storage traffic of this frame, for the gas profile.
    stats: FrameStats,
}

/// One storage-cache entry: the value the program sees and, if known, the value in the state.
/// Only a value that differs from a known state value (or whose state value was never read) is
/// dirty and written at a flush.
#[derive(Clone, Copy)]
struct CachedSlot {
    value: U256,
    known: Option<U256>,
}

impl CachedSlot {
    fn dirty(&self) -> bool {
        self.known != Some(self.value)
    }
}

/// Gas of the `n`-th storage load of a call beyond the slot's own access (Nitro's `read_gas`).
fn cache_read_gas(n: u32) -> u64 {
    match n {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// Gas of the `n`-th storage-cache write of a call (Nitro's `write_gas`).
fn cache_write_gas(n: u32) -> u64 {
    match n {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

/// `EVM_API_INK` in whole gas: what a storage-cache miss pays for the trip to the state (ArbOS ≥ 32).
const EVM_API_GAS: u64 = EVM_API_INK / INK_PRICE;

/// Storage traffic of one program run (what [`super::FrameGas`] reports).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    /// Storage slots read from the state (cache misses).
    pub sloads: u32,
    /// Gas charged for them.
    pub sload_gas: u64,
    /// Storage slots written when the cache was flushed.
    pub sstores: u32,
    /// Gas charged for them.
    pub sstore_gas: u64,
}

impl Host {
    pub(crate) fn new(api: &mut (dyn EvmApi + 'static), msg: Message, depth: usize) -> Self {
        Self {
            evm: EvmPtr(api as *mut dyn EvmApi),
            args: msg.calldata,
            output: Vec::new(),
            return_data: Bytes::new(),
            address: msg.address,
            caller: msg.caller,
            value: msg.value,
            is_static: msg.is_static,
            depth,
            ink: None,
            status: None,
            memory: None,
            cache: BTreeMap::new(),
            cache_reads: 0,
            cache_writes: 0,
            last_code: None,
            refund: 0,
            stats: FrameStats::default(),
        }
    }
}

/// What a program run produced.
pub struct Outcome {
    pub status: i32,
    pub output: Vec<u8>,
    pub ink_left: u64,
    pub halt: Option<Halt>,
    pub refund: i64,
    pub stats: FrameStats,
}

/// Instantiates `module` and calls `user_entrypoint(args.len())` with `ink`.
pub(crate) fn call_entrypoint(
    rt: &super::Runtime,
    module: &wasmi::Module,
    host: Host,
    ink: u64,
) -> Outcome {
    let len = host.args.len() as i32;
    let mut store = wasmi::Store::new(&rt.engine, host);
    let fail = |halt: Halt| Outcome {
        status: 1,
        output: Vec::new(),
        ink_left: 0,
        halt: Some(halt),
        refund: 0,
        stats: FrameStats::default(),
    };
    let instance = match rt.linker.instantiate_and_start(&mut store, module) {
        Ok(i) => i,
        Err(_) => return fail(Halt::Failure("instantiation failed")),
    };
    let (Some(ink_g), Some(status_g), Some(memory)) = (
        instance.get_global(&store, "stylus_ink_left"),
        instance.get_global(&store, "stylus_ink_status"),
        instance.get_memory(&store, "memory"),
    ) else {
        return fail(Halt::Failure("program lacks its exports"));
    };
    if ink_g.set(&mut store, Val::I64(ink as i64)).is_err() {
        return fail(Halt::Failure("ink global"));
    }
    {
        let data = store.data_mut();
        data.ink = Some(ink_g);
        data.status = Some(status_g);
        data.memory = Some(memory);
    }
    let entry = match instance.get_typed_func::<i32, i32>(&store, "user_entrypoint") {
        Ok(f) => f,
        Err(_) => return fail(Halt::Failure("user_entrypoint")),
    };
    let res = entry.call(&mut store, len);
    let ink_left = ink_g.get(&store).i64().unwrap_or(0).max(0) as u64;
    let out_of_ink = status_g.get(&store).i32().unwrap_or(0) != 0;
    let host = store.into_data();
    let (status, halt) = match res {
        Ok(status) => (status, None),
        Err(e) => {
            if let Some(code) = e.i32_exit_status() {
                (code, None)
            } else if out_of_ink {
                (1, Some(Halt::OutOfInk))
            } else if let Some(h) = e.downcast_ref::<Halt>() {
                (1, Some(h.clone()))
            } else {
                (1, Some(Halt::Failure("trap")))
            }
        }
    };
    Outcome {
        status,
        output: host.output,
        ink_left: if matches!(halt, Some(Halt::OutOfInk)) {
            0
        } else {
            ink_left
        },
        halt,
        refund: host.refund,
        stats: host.stats,
    }
}

type C<'a> = Caller<'a, Host>;

fn halt(h: Halt) -> Error {
    Error::host(h)
}

fn evm<'a>(c: &C<'_>) -> &'a mut dyn EvmApi {
    // SAFETY: see the module docs; the chain outlives the store and is not otherwise touched
    // while the program runs.
    unsafe { &mut *c.data().evm.0 }
}

fn ink_left(c: &C<'_>) -> u64 {
    c.data()
        .ink
        .map(|g| g.get(c).i64().unwrap_or(0).max(0) as u64)
        .unwrap_or(0)
}

fn set_ink(c: &mut C<'_>, ink: u64) -> Result<(), Error> {
    if let Some(g) = c.data().ink {
        g.set(&mut *c, Val::I64(ink as i64))
            .map_err(|_| halt(Halt::Failure("ink global")))?;
    }
    Ok(())
}

fn charge(c: &mut C<'_>, ink: u64) -> Result<(), Error> {
    let left = ink_left(c);
    if left < ink {
        set_ink(c, 0)?;
        if let Some(s) = c.data().status {
            let _ = s.set(&mut *c, Val::I32(1));
        }
        return Err(halt(Halt::OutOfInk));
    }
    set_ink(c, left - ink)
}

fn charge_gas(c: &mut C<'_>, gas: u64) -> Result<(), Error> {
    charge(c, gas.saturating_mul(INK_PRICE))
}

/// Nitro's "requires N gas in hand" checks (storage sentries).
fn require_gas(c: &C<'_>, gas: u64) -> Result<(), Error> {
    if ink_left(c) < gas.saturating_mul(INK_PRICE) {
        return Err(halt(Halt::OutOfInk));
    }
    Ok(())
}

fn read(c: &C<'_>, ptr: i32, len: usize) -> Result<Vec<u8>, Error> {
    let mem = c
        .data()
        .memory
        .ok_or_else(|| halt(Halt::Failure("no memory")))?;
    let mut buf = vec![0u8; len];
    mem.read(c, ptr as u32 as usize, &mut buf)
        .map_err(|_| halt(Halt::Failure("memory access out of bounds")))?;
    Ok(buf)
}

fn read32(c: &C<'_>, ptr: i32) -> Result<[u8; 32], Error> {
    let v = read(c, ptr, 32)?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&v);
    Ok(out)
}

fn read_u256(c: &C<'_>, ptr: i32) -> Result<U256, Error> {
    Ok(U256::from_be_bytes(read32(c, ptr)?))
}

fn read_addr(c: &C<'_>, ptr: i32) -> Result<Address, Error> {
    Ok(Address::from_slice(&read(c, ptr, 20)?))
}

fn write(c: &mut C<'_>, ptr: i32, data: &[u8]) -> Result<(), Error> {
    let mem = c
        .data()
        .memory
        .ok_or_else(|| halt(Halt::Failure("no memory")))?;
    mem.write(&mut *c, ptr as u32 as usize, data)
        .map_err(|_| halt(Halt::Failure("memory access out of bounds")))
}

fn write_u32(c: &mut C<'_>, ptr: i32, v: u32) -> Result<(), Error> {
    write(c, ptr, &v.to_le_bytes())
}

/// Builds the linker with every `vm_hooks` function.
pub(crate) fn linker(engine: &Engine) -> Linker<Host> {
    let mut l = Linker::<Host>::new(engine);
    macro_rules! hook {
        ($name:literal, $f:expr) => {
            l.func_wrap("vm_hooks", $name, $f)
                .expect("unique host function");
        };
    }

    hook!("read_args", |mut c: C<'_>,
                        dest: i32|
     -> Result<(), Error> {
        let args = c.data().args.clone();
        charge(&mut c, HOSTIO_INK + write_price(args.len()))?;
        write(&mut c, dest, &args)
    });
    hook!("write_result", |mut c: C<'_>,
                           ptr: i32,
                           len: i32|
     -> Result<(), Error> {
        let len = len as u32 as usize;
        charge(&mut c, HOSTIO_INK + 2 * read_price(len))?;
        let data = read(&c, ptr, len)?;
        c.data_mut().output = data;
        Ok(())
    });
    hook!("exit_early", |mut c: C<'_>,
                         status: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK)?;
        Err(Error::i32_exit(status))
    });
    hook!("storage_load_bytes32", |mut c: C<'_>,
                                   key: i32,
                                   dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
        require_gas(&c, 2_100 + 10 + EVM_API_GAS)?;
        let k = read_u256(&c, key)?;
        c.data_mut().cache_reads += 1;
        let mut gas = cache_read_gas(c.data().cache_reads);
        let value = if let Some(slot) = c.data().cache.get(&k) {
            slot.value
        } else {
            let address = c.data().address;
            let (data, is_cold) = evm(&c)
                .sload(address, k)
                .map_err(|_| halt(Halt::Failure("sload")))?;
            let access = if is_cold { 2_100 } else { 100 };
            gas += access + EVM_API_GAS;
            c.data_mut().stats.sloads += 1;
            c.data_mut().stats.sload_gas += access;
            c.data_mut().cache.insert(
                k,
                CachedSlot {
                    value: data,
                    known: Some(data),
                },
            );
            data
        };
        charge_gas(&mut c, gas)?;
        write(&mut c, dest, &value.to_be_bytes::<32>())
    });
    hook!("storage_cache_bytes32", |mut c: C<'_>,
                                    key: i32,
                                    value: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
        require_gas(&c, 2_300 + 10)?;
        let k = read_u256(&c, key)?;
        let v = read_u256(&c, value)?;
        let h = c.data_mut();
        h.cache_writes += 1;
        let gas = cache_write_gas(h.cache_writes);
        h.cache
            .entry(k)
            .and_modify(|s| s.value = v)
            .or_insert(CachedSlot {
                value: v,
                known: None,
            });
        charge_gas(&mut c, gas)
    });
    hook!("storage_flush_cache", |mut c: C<'_>,
                                  clear: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + EVM_API_INK)?;
        require_gas(&c, 2_300)?;
        let dirty: Vec<(U256, U256)> = c
            .data()
            .cache
            .iter()
            .filter(|(_, s)| s.dirty())
            .map(|(k, s)| (*k, s.value))
            .collect();
        if !dirty.is_empty() && c.data().is_static {
            return Err(halt(Halt::Failure("storage write in a static context")));
        }
        let address = c.data().address;
        for (k, v) in dirty {
            require_gas(&c, 2_300)?;
            let r = evm(&c)
                .sstore(address, k, v)
                .map_err(|_| halt(Halt::Failure("sstore")))?;
            let (gas, refund) = sstore_gas(r.original, r.present, r.new, r.is_cold);
            charge_gas(&mut c, gas)?;
            c.data_mut().refund += refund;
            c.data_mut().stats.sstores += 1;
            c.data_mut().stats.sstore_gas += gas;
        }
        if clear != 0 {
            c.data_mut().cache.clear();
        } else {
            for s in c.data_mut().cache.values_mut() {
                s.known = Some(s.value);
            }
        }
        Ok(())
    });
    hook!("transient_load_bytes32", |mut c: C<'_>,
                                     key: i32,
                                     dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        charge_gas(&mut c, 100)?;
        let k = read_u256(&c, key)?;
        let address = c.data().address;
        let v = evm(&c).tload(address, k);
        write(&mut c, dest, &v.to_be_bytes::<32>())
    });
    hook!("transient_store_bytes32", |mut c: C<'_>,
                                      key: i32,
                                      value: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        charge_gas(&mut c, 100)?;
        if c.data().is_static {
            return Err(halt(Halt::Failure("transient write in a static context")));
        }
        let k = read_u256(&c, key)?;
        let v = read_u256(&c, value)?;
        let address = c.data().address;
        evm(&c).tstore(address, k, v);
        Ok(())
    });
    hook!("call_contract", |mut c: C<'_>,
                            to: i32,
                            data: i32,
                            len: i32,
                            value: i32,
                            gas: i64,
                            ret_len: i32|
     -> Result<i32, Error> {
        let v = read_u256(&c, value)?;
        do_call(
            &mut c,
            CallKind::Call,
            to,
            data,
            len,
            v,
            gas as u64,
            ret_len,
        )
    });
    hook!("delegate_call_contract", |mut c: C<'_>,
                                     to: i32,
                                     data: i32,
                                     len: i32,
                                     gas: i64,
                                     ret_len: i32|
     -> Result<i32, Error> {
        do_call(
            &mut c,
            CallKind::DelegateCall,
            to,
            data,
            len,
            U256::ZERO,
            gas as u64,
            ret_len,
        )
    });
    hook!("static_call_contract", |mut c: C<'_>,
                                   to: i32,
                                   data: i32,
                                   len: i32,
                                   gas: i64,
                                   ret_len: i32|
     -> Result<i32, Error> {
        do_call(
            &mut c,
            CallKind::StaticCall,
            to,
            data,
            len,
            U256::ZERO,
            gas as u64,
            ret_len,
        )
    });
    hook!("create1", |mut c: C<'_>,
                      code: i32,
                      len: i32,
                      endowment: i32,
                      contract: i32,
                      rev_len: i32|
     -> Result<(), Error> {
        do_create(&mut c, code, len, endowment, None, contract, rev_len)
    });
    hook!("create2", |mut c: C<'_>,
                      code: i32,
                      len: i32,
                      endowment: i32,
                      salt: i32,
                      contract: i32,
                      rev_len: i32|
     -> Result<(), Error> {
        let s = read_u256(&c, salt)?;
        do_create(&mut c, code, len, endowment, Some(s), contract, rev_len)
    });
    hook!("read_return_data", |mut c: C<'_>,
                               dest: i32,
                               offset: i32,
                               size: i32|
     -> Result<i32, Error> {
        let rd = c.data().return_data.clone();
        let (offset, size) = (offset as u32 as usize, size as u32 as usize);
        let start = offset.min(rd.len());
        let end = start.saturating_add(size).min(rd.len());
        charge(&mut c, HOSTIO_INK + EVM_API_INK + write_price(end - start))?;
        write(&mut c, dest, &rd[start..end])?;
        Ok((end - start) as i32)
    });
    hook!("return_data_size", |mut c: C<'_>| -> Result<i32, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(c.data().return_data.len() as i32)
    });
    hook!("emit_log", |mut c: C<'_>,
                       data: i32,
                       len: i32,
                       topics: i32|
     -> Result<(), Error> {
        let (len, topics) = (len as u32 as usize, topics as u32 as usize);
        charge(&mut c, HOSTIO_INK + EVM_API_INK + read_price(len))?;
        if topics > 4 || len < topics * 32 {
            return Err(halt(Halt::Failure("bad log")));
        }
        if c.data().is_static {
            return Err(halt(Halt::Failure("log in a static context")));
        }
        charge_gas(
            &mut c,
            375 * (1 + topics as u64) + 8 * (len - topics * 32) as u64,
        )?;
        let bytes = read(&c, data, len)?;
        let ts = bytes[..topics * 32]
            .chunks(32)
            .map(B256::from_slice)
            .collect();
        let address = c.data().address;
        let log = Log {
            address,
            data: LogData::new_unchecked(ts, Bytes::copy_from_slice(&bytes[topics * 32..])),
        };
        evm(&c).log(log);
        Ok(())
    });
    hook!("account_balance", |mut c: C<'_>,
                              addr: i32,
                              dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        let a = read_addr(&c, addr)?;
        let (bal, cold) = evm(&c)
            .balance(a)
            .map_err(|_| halt(Halt::Failure("balance")))?;
        charge_gas(&mut c, if cold { 2_600 } else { 100 })?;
        write(&mut c, dest, &bal.to_be_bytes::<32>())
    });
    hook!("account_code", |mut c: C<'_>,
                           addr: i32,
                           offset: i32,
                           size: i32,
                           dest: i32|
     -> Result<i32, Error> {
        charge(&mut c, HOSTIO_INK + EVM_API_INK)?;
        require_gas(&c, 2_600)?;
        let a = read_addr(&c, addr)?;
        let code = account_code(&mut c, a)?;
        // Nitro pays for writing the whole code, whatever slice is copied out.
        charge(&mut c, write_price(code.len()))?;
        let (offset, size) = (offset as u32 as usize, size as u32 as usize);
        let start = offset.min(code.len());
        let end = start.saturating_add(size).min(code.len());
        write(&mut c, dest, &code[start..end])?;
        Ok((end - start) as i32)
    });
    hook!("account_code_size", |mut c: C<'_>,
                                addr: i32|
     -> Result<i32, Error> {
        charge(&mut c, HOSTIO_INK + EVM_API_INK)?;
        require_gas(&c, 2_600)?;
        let a = read_addr(&c, addr)?;
        let code = account_code(&mut c, a)?;
        Ok(code.len() as i32)
    });
    hook!("account_codehash", |mut c: C<'_>,
                               addr: i32,
                               dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        let a = read_addr(&c, addr)?;
        let (h, is_cold) = evm(&c)
            .code_hash(a)
            .map_err(|_| halt(Halt::Failure("codehash")))?;
        charge_gas(&mut c, if is_cold { 2_600 } else { 100 })?;
        write(&mut c, dest, h.as_slice())
    });
    hook!("evm_gas_left", |mut c: C<'_>| -> Result<i64, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok((ink_left(&c) / INK_PRICE) as i64)
    });
    hook!("evm_ink_left", |mut c: C<'_>| -> Result<i64, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(ink_left(&c) as i64)
    });
    hook!("block_basefee", |mut c: C<'_>,
                            dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = U256::from(evm(&c).block().basefee);
        write(&mut c, dest, &v.to_be_bytes::<32>())
    });
    hook!("chainid", |mut c: C<'_>| -> Result<i64, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(evm(&c).block().chain_id as i64)
    });
    hook!("block_coinbase", |mut c: C<'_>,
                             dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = evm(&c).block().coinbase;
        write(&mut c, dest, v.as_slice())
    });
    hook!("block_gas_limit", |mut c: C<'_>| -> Result<i64, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(evm(&c).block().gas_limit as i64)
    });
    hook!("block_number", |mut c: C<'_>| -> Result<i64, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(evm(&c).block().number as i64)
    });
    hook!("block_timestamp", |mut c: C<'_>| -> Result<i64, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(evm(&c).block().timestamp as i64)
    });
    hook!("contract_address", |mut c: C<'_>,
                               dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let a = c.data().address;
        write(&mut c, dest, a.as_slice())
    });
    hook!("msg_reentrant", |mut c: C<'_>| -> Result<i32, Error> {
        charge(&mut c, HOSTIO_INK)?;
        let a = c.data().address;
        Ok(evm(&c).programs().reentrant(a) as i32)
    });
    hook!("msg_sender", |mut c: C<'_>,
                         dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let a = c.data().caller;
        write(&mut c, dest, a.as_slice())
    });
    hook!("msg_value", |mut c: C<'_>,
                        dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().value;
        write(&mut c, dest, &v.to_be_bytes::<32>())
    });
    hook!("native_keccak256", |mut c: C<'_>,
                               data: i32,
                               len: i32,
                               out: i32|
     -> Result<(), Error> {
        let len = len as u32 as usize;
        charge(&mut c, keccak_price(len))?;
        let bytes = read(&c, data, len)?;
        write(&mut c, out, keccak256(bytes).as_slice())
    });
    hook!("tx_gas_price", |mut c: C<'_>,
                           dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let price = evm(&c).block().gas_price;
        write(&mut c, dest, &price.to_be_bytes::<32>())
    });
    hook!("tx_ink_price", |mut c: C<'_>| -> Result<i32, Error> {
        charge(&mut c, HOSTIO_INK)?;
        Ok(INK_PRICE as i32)
    });
    hook!("tx_origin", |mut c: C<'_>,
                        dest: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + PTR_INK)?;
        let a = evm(&c).block().origin;
        write(&mut c, dest, a.as_slice())
    });
    hook!("pay_for_memory_grow", |mut c: C<'_>,
                                  pages: i32|
     -> Result<(), Error> {
        let pages = pages as u32;
        if pages == 0 {
            return charge(&mut c, HOSTIO_INK);
        }
        let e = evm(&c).programs();
        let pages = pages.min(u16::MAX as u32) as u16;
        let gas = memory_gas(pages, e.pages_open, e.pages_ever);
        charge(&mut c, HOSTIO_INK)?;
        charge_gas(&mut c, gas)?;
        let e = evm(&c).programs();
        e.pages_open = e.pages_open.saturating_add(pages);
        e.pages_ever = e.pages_ever.max(e.pages_open);
        Ok(())
    });
    hook!("math_div", |mut c: C<'_>,
                       v: i32,
                       d: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 3 * PTR_INK + DIV_INK)?;
        let (a, b) = (read_u256(&c, v)?, read_u256(&c, d)?);
        let r = if b.is_zero() { U256::ZERO } else { a / b };
        write(&mut c, v, &r.to_be_bytes::<32>())
    });
    hook!("math_mod", |mut c: C<'_>,
                       v: i32,
                       d: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 3 * PTR_INK + DIV_INK)?;
        let (a, b) = (read_u256(&c, v)?, read_u256(&c, d)?);
        let r = if b.is_zero() { U256::ZERO } else { a % b };
        write(&mut c, v, &r.to_be_bytes::<32>())
    });
    hook!("math_pow", |mut c: C<'_>,
                       v: i32,
                       e: i32|
     -> Result<(), Error> {
        let (a, b) = (read_u256(&c, v)?, read_u256(&c, e)?);
        charge(&mut c, HOSTIO_INK + 3 * PTR_INK + pow_price(b))?;
        write(&mut c, v, &a.pow(b).to_be_bytes::<32>())
    });
    hook!("math_add_mod", |mut c: C<'_>,
                           v: i32,
                           a: i32,
                           m: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 4 * PTR_INK + ADD_MOD_INK)?;
        let (x, y, z) = (read_u256(&c, v)?, read_u256(&c, a)?, read_u256(&c, m)?);
        write(&mut c, v, &x.add_mod(y, z).to_be_bytes::<32>())
    });
    hook!("math_mul_mod", |mut c: C<'_>,
                           v: i32,
                           a: i32,
                           m: i32|
     -> Result<(), Error> {
        charge(&mut c, HOSTIO_INK + 4 * PTR_INK + MUL_MOD_INK)?;
        let (x, y, z) = (read_u256(&c, v)?, read_u256(&c, a)?, read_u256(&c, m)?);
        write(&mut c, v, &x.mul_mod(y, z).to_be_bytes::<32>())
    });
    l
}

/// The code of `a` for `account_code`/`account_code_size`, as Nitro's requestor fetches it: a
/// repeat lookup of the address fetched last is free; otherwise it costs EXTCODESIZE's 700 plus
/// the EIP-2929 access. From ArbOS 40 on, an empty code is not remembered.
fn account_code(c: &mut C<'_>, a: Address) -> Result<Bytes, Error> {
    if let Some((last, code)) = &c.data().last_code {
        if *last == a {
            return Ok(code.clone());
        }
    }
    let (code, is_cold) = evm(c).code(a).map_err(|_| halt(Halt::Failure("code")))?;
    charge_gas(c, 700 + if is_cold { 2_600 } else { 100 })?;
    if !code.is_empty() {
        c.data_mut().last_code = Some((a, code.clone()));
    }
    Ok(code)
}

/// Gas the caller still has for a sub-call after paying `cost`: all but one 64th.
fn all_but_one_64th(gas: u64) -> u64 {
    gas - gas / 64
}

/// Gas a program's call may forward from `gas` left after the call's base cost: Nitro's
/// `(gasLeft - baseCost) * 63 / 64`, rounded down.
fn call_gas_cap(gas: u64) -> u64 {
    ((gas as u128 * 63) / 64) as u64
}

/// The status a program's failed call returns (Nitro's `UserOutcomeKind::Failure`).
pub const FAILED_CALL: i32 = 2;

#[allow(clippy::too_many_arguments)]
fn do_call(
    c: &mut C<'_>,
    kind: CallKind,
    to: i32,
    data: i32,
    len: i32,
    value: U256,
    gas_req: u64,
    ret_len: i32,
) -> Result<i32, Error> {
    let len = len as u32 as usize;
    charge(
        c,
        HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + 2 * read_price(len),
    )?;
    let to = read_addr(c, to)?;
    let calldata = Bytes::from(read(c, data, len)?);
    let h = c.data();
    let (me, caller, my_value, is_static, depth) =
        (h.address, h.caller, h.value, h.is_static, h.depth);

    // Nitro reports every failed sub-call, revert or not, as `UserOutcomeKind::Failure` (2).
    let fail = |c: &mut C<'_>, rd: Bytes| -> Result<i32, Error> {
        let n = rd.len() as u32;
        c.data_mut().return_data = rd;
        write_u32(c, ret_len, n)?;
        Ok(FAILED_CALL)
    };
    let has_value = !value.is_zero();
    if has_value && is_static {
        return fail(c, Bytes::new());
    }

    let (is_cold, empty) = evm(c)
        .load_callee(to)
        .map_err(|_| halt(Halt::Failure("load account")))?;
    let mut cost = if is_cold { 2_600 } else { 100 };
    if has_value {
        cost += 9_000;
        if empty && kind == CallKind::Call {
            cost += 25_000;
        }
    }
    charge_gas(c, cost)?;
    let available = ink_left(c) / INK_PRICE;
    let forwarded = gas_req.min(call_gas_cap(available));
    let stipend = if has_value { 2_300 } else { 0 };
    let (target, call_caller, call_value) = match kind {
        CallKind::DelegateCall => (me, caller, my_value),
        _ => (to, me, value),
    };
    let res = evm(c).call(SubCall {
        kind,
        code_address: to,
        target,
        caller: call_caller,
        value: call_value,
        input: calldata,
        gas_limit: forwarded + stipend,
        is_static: is_static || kind == CallKind::StaticCall,
        depth: depth + 1,
    });
    // Nitro charges the caller what the callee used, stipend included: `baseCost + gas -
    // returnGas` with the stipend in `gas`, so an unused stipend is not credited back.
    settle(c, forwarded + stipend, &res)?;
    let n = res.output.len() as u32;
    c.data_mut().return_data = res.output;
    write_u32(c, ret_len, n)?;
    Ok(if res.success { 0 } else { FAILED_CALL })
}

/// Charges the caller for a finished sub-frame: it paid `forwarded` and gets back what is left.
fn settle(c: &mut C<'_>, forwarded: u64, res: &SubOutcome) -> Result<(), Error> {
    let left =
        ink_left(c) as i128 - (forwarded as i128 - res.gas_remaining as i128) * INK_PRICE as i128;
    if left < 0 {
        return charge(c, u64::MAX);
    }
    set_ink(c, left as u64)?;
    if res.success {
        c.data_mut().refund += res.refunded;
    }
    Ok(())
}

fn do_create(
    c: &mut C<'_>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: Option<U256>,
    contract: i32,
    rev_len: i32,
) -> Result<(), Error> {
    let len = len as u32 as usize;
    let base = if salt.is_some() { 88_233 } else { 83_193 };
    charge(c, base + 2 * read_price(len))?;
    let init = Bytes::from(read(c, code, len)?);
    let value = read_u256(c, endowment)?;
    let (me, is_static, depth) = (c.data().address, c.data().is_static, c.data().depth);
    if is_static {
        return Err(halt(Halt::Failure("create in a static context")));
    }
    let mut cost = 32_000;
    if salt.is_some() {
        cost += 6 * (len as u64).div_ceil(32);
    }
    charge_gas(c, cost)?;
    let forwarded = all_but_one_64th(ink_left(c) / INK_PRICE);
    let res = evm(c).create(SubCreate {
        caller: me,
        init_code: init,
        value,
        salt,
        gas_limit: forwarded,
        depth: depth + 1,
    });
    settle(c, forwarded, &res)?;
    let (addr, rd) = if res.success {
        (res.address.unwrap_or_default(), Bytes::new())
    } else {
        (Address::ZERO, res.output)
    };
    let n = rd.len() as u32;
    c.data_mut().return_data = rd;
    write(c, contract, addr.as_slice())?;
    write_u32(c, rev_len, n)
}
