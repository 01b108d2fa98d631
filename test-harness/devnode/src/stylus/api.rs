//! The boundary between a running program and the chain (Nitro's `EvmApi`, revm's `Host`): every
//! question a host function asks of the chain goes through [`EvmApi`], which the execution layer
//! implements over its state. The Stylus runtime itself knows only WASM, ink and prices.

use std::collections::HashMap;

use alloy_primitives::{Address, Bytes, Log, B256, U256};

/// The chain refused a state access (the database failed); the program halts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiError;

/// A storage write as the journal saw it: what EIP-2200 pricing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreResult {
    pub original: U256,
    pub present: U256,
    pub new: U256,
    pub is_cold: bool,
}

/// How a program calls another contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Call,
    DelegateCall,
    StaticCall,
}

/// A call from a program, with the gas it forwards (the stipend included).
#[derive(Debug, Clone)]
pub struct SubCall {
    pub kind: CallKind,
    /// Whose code runs.
    pub code_address: Address,
    /// Whose storage and balance it uses (the caller itself for a delegatecall).
    pub target: Address,
    pub caller: Address,
    /// Transferred (call) or apparent (delegatecall) value.
    pub value: U256,
    pub input: Bytes,
    pub gas_limit: u64,
    pub is_static: bool,
    pub depth: usize,
}

/// A create from a program.
#[derive(Debug, Clone)]
pub struct SubCreate {
    pub caller: Address,
    pub init_code: Bytes,
    pub value: U256,
    /// `Some` for CREATE2.
    pub salt: Option<U256>,
    pub gas_limit: u64,
    pub depth: usize,
}

/// How a sub-call or create finished.
#[derive(Debug, Clone, Default)]
pub struct SubOutcome {
    pub success: bool,
    /// Return data (the revert data on failure; empty for a successful create).
    pub output: Bytes,
    /// The created contract (successful creates only).
    pub address: Option<Address>,
    /// Gas the sub-frame did not use, out of its limit.
    pub gas_remaining: u64,
    /// Its refund counter (counted only on success).
    pub refunded: i64,
}

/// Block and transaction context a program can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlockInfo {
    pub basefee: u64,
    pub chain_id: u64,
    pub coinbase: Address,
    pub gas_limit: u64,
    pub number: u64,
    pub timestamp: u64,
    pub gas_price: U256,
    pub origin: Address,
}

/// Per-transaction Stylus bookkeeping the chain keeps for the runtime: open program frames per
/// address (`msg_reentrant`) and Nitro's per-transaction memory page accounting.
#[derive(Debug, Clone, Default)]
pub struct TxPrograms {
    pub open: HashMap<Address, u32>,
    pub pages_open: u16,
    pub pages_ever: u16,
}

impl TxPrograms {
    /// Whether a non-delegate program frame of `address` is already open beneath the current one.
    pub fn reentrant(&self, address: Address) -> bool {
        self.open.get(&address).copied().unwrap_or(0) > 1
    }
}

/// What a program can ask of the chain.
pub trait EvmApi {
    /// Reads a storage slot; returns the value and whether the access was cold.
    fn sload(&mut self, address: Address, key: U256) -> Result<(U256, bool), ApiError>;
    /// Writes a storage slot.
    fn sstore(&mut self, address: Address, key: U256, value: U256)
        -> Result<StoreResult, ApiError>;
    fn tload(&mut self, address: Address, key: U256) -> U256;
    fn tstore(&mut self, address: Address, key: U256, value: U256);
    fn log(&mut self, log: Log);
    /// An account's balance and whether the access was cold.
    fn balance(&mut self, address: Address) -> Result<(U256, bool), ApiError>;
    /// An account's code and whether the access was cold.
    fn code(&mut self, address: Address) -> Result<(Bytes, bool), ApiError>;
    /// An account's code hash and whether the access was cold.
    fn code_hash(&mut self, address: Address) -> Result<(B256, bool), ApiError>;
    /// Loads the callee of a call (warming it): whether the access was cold and whether the
    /// account is empty (EIP-161).
    fn load_callee(&mut self, address: Address) -> Result<(bool, bool), ApiError>;
    /// Runs a call to completion.
    fn call(&mut self, call: SubCall) -> SubOutcome;
    /// Runs a create to completion.
    fn create(&mut self, create: SubCreate) -> SubOutcome;
    fn block(&mut self) -> BlockInfo;
    fn programs(&mut self) -> &mut TxPrograms;
}
