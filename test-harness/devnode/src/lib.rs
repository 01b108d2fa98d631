//! # ferrostake-devnode
//!
//! A Stylus-capable local Arbitrum chain in Rust: EVM bytecode runs on revm 43, Stylus WASM
//! programs run on wasmi 2.0 with Nitro's ink metering and `vm_hooks` host functions, and the
//! chain is served over Ethereum JSON-RPC (chain id 412346, nitro-devnode's dev account) or used
//! in-process.
//!
//! Modules, each with one job, from the bottom up (each imports only modules above it in this
//! list; `tests/layering.rs` checks the drawing against the `use crate::` lines):
//! - [`stylus`]: the Stylus runtime: program format, activation checks, ink metering, prices,
//!   host functions and program entry. It talks to the chain only through the
//!   [`stylus::api::EvmApi`] trait it defines, and knows nothing of revm, ArbOS or the node.
//! - [`programs`]: ArbOS program state: the ArbOS/Stylus versions and parameters, activated
//!   program rows, the activation data pricer.
//! - [`arbos`]: ArbOS precompiles (ArbWasm 0x71, ArbWasmCache 0x72, ArbSys 0x64, ArbOwner 0x70,
//!   ArbOwnerPublic 0x6b) over any revm context, beside [`exec`].
//! - [`exec`]: executes one transaction against a state database: owns dispatch (EVM bytecode on
//!   revm, Stylus programs, precompiles) and implements `EvmApi` over revm's journal.
//! - [`node`]: the chain: genesis configuration (chain id, the dev account, which is also the
//!   chain owner passed down to execution), blocks, automine, receipts, logs, snapshots, time,
//!   the in-process API.
//! - [`rpc`]: translates Ethereum JSON-RPC to and from [`node`].
//!
//! ```text
//! rpc → node → exec → arbos → programs → stylus
//! (and the shortcuts node → programs, stylus; exec → programs, stylus; arbos → stylus)
//! ```
//!
//! ## ArbOS version
//! The devnode follows **ArbOS 40** (Arbitrum One's; Stylus v2 parameters: `MinInitGas` 69,
//! `MinCachedInitGas` 11, `MaxWasmSize` 128 KiB, ArbSys `arbOSVersion` 95) with ArbOS 31's return-data
//! floor (counted from the gas a call started with, entry costs included). Later rules not
//! modelled: ArbOS 50's `MaxStackDepth` cap and `OutOfGas` status of a failed storage flush, ArbOS
//! 60's fragmented programs (`EF F0 01`/`EF F0 02`), `ActivationGas`, the recent-wasm cache and the
//! multi-value ban.
//!
//! ArbOS 40 rules the devnode models (each pinned by a test computing Nitro's formula):
//! - EVM revision Prague, but **without EIP-7623's calldata floor** until the chain owner turns it
//!   on with `ArbOwner.setCalldataPriceIncrease(true)` (`ArbOwnerPublic.isCalldataPriceIncreaseEnabled`
//!   reads it): calldata costs 4/16 gas per zero/non-zero byte (`tests/calldata_price.rs`). ArbOwner
//!   serves only that method: Nitro's owner-only wrapper refuses other callers with a non-revert
//!   error (all gas consumed) and charges the owner nothing.
//! - Calls from programs (`tests/nitro_charges.rs`): `baseCost + gas - returnGas` with the 2,300
//!   stipend inside `gas`, so an unused stipend is not credited back; the forwarded gas is
//!   `(gasLeft - baseCost) * 63 / 64` rounded down; every failed sub-call returns status 2
//!   (`UserOutcomeKind::Failure`).
//! - Calling a program that is not activated, or expired, fails with a non-revert error: all gas
//!   it was given is consumed, no data is returned (`eth_call` answers "error
//!   ProgramNotActivated()" / "error ProgramExpired(age)").
//! - The storage cache: a slot is written at a flush only when its value differs from the state
//!   value known to the cache (a value written back unchanged is not dirty); per call, loads beyond
//!   the 32nd cost 2 gas (10 beyond the 128th) and cache writes beyond the 8th cost 7 gas (10 beyond
//!   the 64th); a cache miss pays `EVM_API_INK` in whole gas (5).
//! - `account_code`/`account_code_size`: a repeat lookup of the address fetched last is free
//!   (empty code is not remembered, ArbOS 40's fix); `account_code` pays the write price of the
//!   whole code, whatever slice it copies.
//!
//! The chain also holds, from genesis, the StylusDeployer and the CREATE2 factory nitro-devnode has
//! ([`exec::deployer`]).
//!
//! ## Gas model and where it approximates
//! Ink (1 gas = 10,000 ink) is charged per basic block with Nitro's `pricing_v1` opcode table and
//! 2,450 ink per block header, plus 100 ink per byte of `memory.fill`/`memory.copy`; host
//! functions charge Nitro's ink prices (`HOSTIO_INK`, `PTR_INK`, `EVM_API_INK`, read/write prices)
//! and EVM-equivalent gas for storage (EIP-2929/2200/3529 SSTORE at `storage_flush_cache`),
//! calls, creates, logs and account access. Program entry charges Stylus v2's `MinInitGas`/
//! `MinCachedInitGas` plus the init costs recorded at activation, and memory pages with Nitro's
//! exponent table. Approximations:
//! - Init costs and the asm-size estimate use Nitro's coefficients over our own module statistics
//!   (function count, type arity, wasm length, data length); Nitro computes them on its own
//!   parse, so these can differ by a few gas per call.
//! - The depth checker (stack words per call against `MaxStackDepth`) is not reproduced; wasmi's
//!   recursion limit applies instead.
//! - There is no CacheManager auction: programs are uncached (every call pays the uncached init
//!   cost, as on Arbitrum One for a program nobody has bid to cache) until the chain owner (the dev
//!   account) caches them through ArbWasmCache `cacheProgram`; evictions happen only by
//!   `evictCodehash`, never by memory pressure.
//! - ArbOS precompile views cost a flat 800 gas; activation costs Nitro's fixed 1,659,168 gas plus
//!   its parse-time model.
//! - `block.number` (EVM and Stylus) is the devnode's own block number; on Arbitrum it is an L1
//!   block number estimate (use ArbSys `arbBlockNumber` for the L2 number — here both agree).
pub mod arbos;
pub mod exec;
pub mod node;
pub mod programs;
pub mod rpc;
pub mod stylus;
