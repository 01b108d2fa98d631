//! The chain: genesis, blocks (automine: one block per transaction), receipts, logs, snapshots,
//! time control and impersonation. This is the in-process API; [`crate::rpc`] serves it over
//! JSON-RPC.
//!
//! `block.number` semantics: on Arbitrum, `block.number` inside the EVM (and Stylus's
//! `block_number`) is an estimate of the *L1* block number, while the RPC block number and ArbSys
//! `arbBlockNumber` are L2 numbers. The devnode has no L1, so all of them are the devnode's own
//! block number. Contracts that count delays in blocks (as EigenLayer's do) therefore see exactly
//! the blocks mined here; `anvil_mine` advances them cheaply.
//!
//! State queries (`eth_getBalance`, `eth_call`, ...) always read the latest state whatever block
//! tag is given: the node keeps no historical states.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{Transaction as _, TxEnvelope};
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::Bloom;
use revm::context::{BlockEnv, TxEnv};
use revm::context_interface::result::{ExecutionResult, Output};
use revm::primitives::{address, keccak256, Address, Bytes, Log, TxKind, B256, U256};
use revm::state::{AccountInfo, Bytecode};
use revm::Database;

use crate::exec::deployer::{
    CREATE2_FACTORY, CREATE2_FACTORY_CODE, STYLUS_DEPLOYER, STYLUS_DEPLOYER_CODE,
};
use crate::exec::{self, Db, Env};
use crate::programs::ARBOS_STATE;
use crate::stylus::Runtime;

/// nitro-devnode's chain id.
pub const CHAIN_ID: u64 = 412_346;
/// nitro-devnode's prefunded dev key (public knowledge; never use it on a real chain).
pub const DEV_KEY: &str = "b6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";
/// Its address.
pub const DEV_ADDRESS: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");
/// Base fee (0.1 gwei, Arbitrum One's floor).
pub const BASE_FEE: u64 = 100_000_000;
/// Block gas limit (Arbitrum's 2^50 "infinite" block).
pub const BLOCK_GAS_LIMIT: u64 = 1 << 50;
/// Per-transaction gas cap (Arbitrum One's 32M).
pub const TX_GAS_CAP: u64 = 32_000_000;

/// Why the node refused or could not run a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NodeError {
    #[error("invalid transaction: {0}")]
    InvalidTransaction(String),
    #[error("execution reverted")]
    Reverted { data: Bytes, gas_used: u64 },
    #[error("execution halted: {0}")]
    Halted(String),
    #[error("unknown account {0}: not a dev account and not impersonated")]
    UnknownAccount(Address),
    #[error("unknown snapshot {0}")]
    UnknownSnapshot(u64),
    #[error("gas required exceeds allowance ({0})")]
    GasTooHigh(u64),
}

/// A transaction request (eth_call, eth_estimateGas, eth_sendTransaction).
#[derive(Debug, Clone, Default)]
pub struct TxRequest {
    pub from: Option<Address>,
    pub to: Option<Address>,
    pub gas: Option<u64>,
    pub gas_price: Option<u128>,
    pub max_fee_per_gas: Option<u128>,
    pub max_priority_fee_per_gas: Option<u128>,
    pub value: Option<U256>,
    pub input: Bytes,
    pub nonce: Option<u64>,
}

/// `eth_call` state override for one account.
#[derive(Debug, Clone, Default)]
pub struct AccountOverride {
    pub balance: Option<U256>,
    pub nonce: Option<u64>,
    pub code: Option<Bytes>,
    /// Replaces all storage.
    pub state: Option<HashMap<U256, U256>>,
    /// Patches storage.
    pub state_diff: Option<HashMap<U256, U256>>,
}

/// A mined block.
#[derive(Debug, Clone)]
pub struct BlockRecord {
    pub number: u64,
    pub hash: B256,
    pub parent_hash: B256,
    pub timestamp: u64,
    pub gas_used: u64,
    pub txs: Vec<B256>,
    pub logs_bloom: Bloom,
}

/// A mined transaction with its receipt.
#[derive(Debug, Clone)]
pub struct TxRecord {
    pub hash: B256,
    pub block_number: u64,
    pub block_hash: B256,
    pub from: Address,
    pub to: Option<Address>,
    pub nonce: u64,
    pub value: U256,
    pub input: Bytes,
    pub gas_limit: u64,
    pub gas_price: u128,
    pub max_priority_fee: Option<u128>,
    pub tx_type: u8,
    /// `(y_parity, r, s)` for signed transactions, zero for impersonated ones.
    pub signature: (bool, U256, U256),
    pub status: bool,
    pub gas_used: u64,
    pub logs: Vec<Log>,
    pub contract_address: Option<Address>,
    pub output: Bytes,
    /// The log index of this transaction's first log within its block (always 0: one tx per block).
    pub first_log_index: u64,
    /// Every storage slot the transaction read or wrote (its storage access list), sorted by
    /// address and slot; empty when it reverted.
    pub storage: Vec<SlotAccess>,
}

/// One storage slot a transaction touched: its value before the transaction and after it
/// (equal when the slot was only read, or written back to what it held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotAccess {
    pub address: Address,
    pub slot: U256,
    pub original: U256,
    pub present: U256,
}

impl TxRecord {
    pub fn effective_gas_price(&self) -> u128 {
        match self.max_priority_fee {
            Some(tip) => self.gas_price.min(BASE_FEE as u128 + tip),
            None => self.gas_price,
        }
    }
}

#[derive(Clone)]
struct State {
    db: Db,
    blocks: Vec<BlockRecord>,
    txs: HashMap<B256, TxRecord>,
    time_offset: i64,
    next_timestamp: Option<u64>,
    impersonated: HashSet<Address>,
}

/// The devnode chain.
pub struct Node {
    state: State,
    snapshots: BTreeMap<u64, State>,
    next_snapshot: u64,
    rt: Arc<Runtime>,
}

impl Default for Node {
    fn default() -> Self {
        Self::new()
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn block_hash(number: u64, parent: B256, timestamp: u64, txs: &[B256]) -> B256 {
    let mut buf = Vec::with_capacity(48 + 32 * txs.len());
    buf.extend_from_slice(&number.to_be_bytes());
    buf.extend_from_slice(parent.as_slice());
    buf.extend_from_slice(&timestamp.to_be_bytes());
    for t in txs {
        buf.extend_from_slice(t.as_slice());
    }
    keccak256(buf)
}

impl Node {
    /// A fresh chain: block 0, the dev account funded with 1,000,000 ETH.
    pub fn new() -> Self {
        let mut db = Db::default();
        db.insert_account_info(
            DEV_ADDRESS,
            AccountInfo {
                balance: U256::from(1_000_000u64) * U256::from(10u64).pow(U256::from(18)),
                ..Default::default()
            },
        );
        // The ArbOS state account must never be "empty", or state clearing would drop its storage.
        db.insert_account_info(
            ARBOS_STATE,
            AccountInfo {
                nonce: 1,
                ..Default::default()
            },
        );
        // The system deployers nitro-devnode has at genesis (see `exec::deployer`).
        for (address, code) in [
            (STYLUS_DEPLOYER, &STYLUS_DEPLOYER_CODE[..]),
            (CREATE2_FACTORY, &CREATE2_FACTORY_CODE[..]),
        ] {
            let code = Bytecode::new_raw(Bytes::copy_from_slice(code));
            db.insert_account_info(
                address,
                AccountInfo {
                    nonce: 1,
                    code_hash: code.hash_slow(),
                    code: Some(code),
                    ..Default::default()
                },
            );
        }
        let ts = now();
        let genesis = BlockRecord {
            number: 0,
            hash: block_hash(0, B256::ZERO, ts, &[]),
            parent_hash: B256::ZERO,
            timestamp: ts,
            gas_used: 0,
            txs: vec![],
            logs_bloom: Bloom::ZERO,
        };
        Self {
            state: State {
                db,
                blocks: vec![genesis],
                txs: HashMap::new(),
                time_offset: 0,
                next_timestamp: None,
                impersonated: HashSet::new(),
            },
            snapshots: BTreeMap::new(),
            next_snapshot: 1,
            rt: Arc::new(Runtime::new()),
        }
    }

    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.rt
    }

    /// Turns the per-program gas profile on or off. On, every run (transactions, calls and gas
    /// estimates alike) replaces [`Node::last_profile`] with its Stylus program runs.
    pub fn set_profiling(&self, on: bool) {
        *self.rt.profile.lock().unwrap() = on.then(crate::stylus::Profile::default);
    }

    /// The gas profile of the last run while profiling was on: its Stylus program runs in the
    /// order they started, and the gas refunded (empty when profiling is off).
    pub fn last_profile(&self) -> crate::stylus::Profile {
        self.rt.profile.lock().unwrap().clone().unwrap_or_default()
    }

    pub fn chain_id(&self) -> u64 {
        CHAIN_ID
    }

    pub fn block_number(&self) -> u64 {
        self.state.blocks.len() as u64 - 1
    }

    pub fn latest_block(&self) -> &BlockRecord {
        self.state.blocks.last().expect("genesis exists")
    }

    pub fn block(&self, number: u64) -> Option<&BlockRecord> {
        self.state.blocks.get(number as usize)
    }

    pub fn block_by_hash(&self, hash: B256) -> Option<&BlockRecord> {
        // Recent blocks are the likely ones.
        self.state.blocks.iter().rev().find(|b| b.hash == hash)
    }

    pub fn transaction(&self, hash: B256) -> Option<&TxRecord> {
        self.state.txs.get(&hash)
    }

    fn account(&self, a: Address) -> AccountInfo {
        let mut db = self.state.db.clone();
        db.basic(a).ok().flatten().unwrap_or_default()
    }

    pub fn balance(&self, a: Address) -> U256 {
        self.state
            .db
            .cache
            .accounts
            .get(&a)
            .map(|acc| acc.info.balance)
            .unwrap_or_else(|| self.account(a).balance)
    }

    pub fn nonce(&self, a: Address) -> u64 {
        self.state
            .db
            .cache
            .accounts
            .get(&a)
            .map(|acc| acc.info.nonce)
            .unwrap_or(0)
    }

    pub fn code(&self, a: Address) -> Bytes {
        let Some(acc) = self.state.db.cache.accounts.get(&a) else {
            return Bytes::new();
        };
        if let Some(code) = &acc.info.code {
            return code.original_bytes();
        }
        self.state
            .db
            .cache
            .contracts
            .get(&acc.info.code_hash)
            .map(|c| c.original_bytes())
            .unwrap_or_default()
    }

    pub fn storage(&self, a: Address, slot: U256) -> U256 {
        self.state
            .db
            .cache
            .accounts
            .get(&a)
            .and_then(|acc| acc.storage.get(&slot).copied())
            .unwrap_or_default()
    }

    /// Timestamp the next block gets.
    fn next_timestamp(&self) -> u64 {
        let prev = self.latest_block().timestamp;
        match self.state.next_timestamp {
            Some(t) => t,
            None => ((now() as i64 + self.state.time_offset).max(0) as u64).max(prev),
        }
    }

    fn env(&self, simulate: bool) -> Env {
        let number = self.block_number() + 1;
        Env {
            chain_id: CHAIN_ID,
            chain_owner: DEV_ADDRESS,
            block: BlockEnv {
                number: U256::from(number),
                beneficiary: Address::ZERO,
                timestamp: U256::from(self.next_timestamp()),
                gas_limit: BLOCK_GAS_LIMIT,
                basefee: BASE_FEE,
                difficulty: U256::ZERO,
                prevrandao: Some(B256::with_last_byte(1)),
                ..Default::default()
            },
            simulate,
        }
    }

    fn push_block(&mut self, txs: Vec<B256>, gas_used: u64, logs_bloom: Bloom) -> (u64, B256) {
        let ts = self.next_timestamp();
        self.state.next_timestamp = None;
        let parent = self.latest_block().hash;
        let number = self.block_number() + 1;
        let hash = block_hash(number, parent, ts, &txs);
        self.state.blocks.push(BlockRecord {
            number,
            hash,
            parent_hash: parent,
            timestamp: ts,
            gas_used,
            txs,
            logs_bloom,
        });
        (number, hash)
    }

    /// Mines `n` empty blocks, `interval` seconds apart (0: same timestamp as now).
    pub fn mine(&mut self, n: u64, interval: u64) {
        for i in 0..n {
            if interval > 0 && i > 0 {
                self.state.time_offset += interval as i64;
            }
            self.push_block(vec![], 0, Bloom::ZERO);
        }
    }

    pub fn increase_time(&mut self, secs: u64) -> i64 {
        self.state.time_offset += secs as i64;
        self.state.time_offset
    }

    pub fn set_next_timestamp(&mut self, ts: u64) {
        self.state.next_timestamp = Some(ts);
    }

    pub fn snapshot(&mut self) -> u64 {
        let id = self.next_snapshot;
        self.next_snapshot += 1;
        self.snapshots.insert(id, self.state.clone());
        id
    }

    /// Restores a snapshot; it and every later snapshot are consumed (as in anvil).
    pub fn revert(&mut self, id: u64) -> Result<(), NodeError> {
        let state = self
            .snapshots
            .remove(&id)
            .ok_or(NodeError::UnknownSnapshot(id))?;
        self.snapshots.retain(|k, _| *k < id);
        self.state = state;
        Ok(())
    }

    fn account_mut(&mut self, a: Address) -> &mut revm::database::DbAccount {
        let info = self.account(a);
        let db = &mut self.state.db;
        if !db.cache.accounts.contains_key(&a) {
            db.insert_account_info(a, info);
        }
        db.cache.accounts.get_mut(&a).expect("inserted")
    }

    pub fn set_balance(&mut self, a: Address, balance: U256) {
        self.account_mut(a).info.balance = balance;
    }

    pub fn set_nonce(&mut self, a: Address, nonce: u64) {
        self.account_mut(a).info.nonce = nonce;
    }

    pub fn set_code(&mut self, a: Address, code: Bytes) {
        let mut info = self.account(a);
        let bytecode = Bytecode::new_raw(code);
        info.code_hash = bytecode.hash_slow();
        info.code = Some(bytecode);
        self.state.db.insert_account_info(a, info);
    }

    pub fn set_storage(&mut self, a: Address, slot: U256, value: U256) {
        let _ = self.account_mut(a);
        let _ = self.state.db.insert_account_storage(a, slot, value);
    }

    pub fn impersonate(&mut self, a: Address, on: bool) {
        if on {
            self.state.impersonated.insert(a);
        } else {
            self.state.impersonated.remove(&a);
        }
    }

    pub fn accounts(&self) -> Vec<Address> {
        vec![DEV_ADDRESS]
    }

    /// Every account the chain holds state for, with its balance, nonce, code hash and non-zero
    /// storage slots (sorted): lets tests check that a reverted transaction changed nothing.
    pub fn state_dump(&self) -> BTreeMap<Address, (U256, u64, B256, BTreeMap<U256, U256>)> {
        self.state
            .db
            .cache
            .accounts
            .iter()
            .map(|(a, acc)| {
                let storage = acc
                    .storage
                    .iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(k, v)| (*k, *v))
                    .collect();
                (
                    *a,
                    (
                        acc.info.balance,
                        acc.info.nonce,
                        acc.info.code_hash,
                        storage,
                    ),
                )
            })
            .collect()
    }

    /// Submits a signed raw transaction (EIP-2718 envelope: legacy, 2930, 1559).
    pub fn send_raw_transaction(&mut self, raw: &[u8]) -> Result<B256, NodeError> {
        let env = TxEnvelope::decode_2718(&mut &raw[..])
            .map_err(|e| NodeError::InvalidTransaction(format!("undecodable transaction: {e}")))?;
        let from = env
            .recover_signer()
            .map_err(|_| NodeError::InvalidTransaction("bad signature".into()))?;
        if let Some(id) = env.chain_id() {
            if id != CHAIN_ID {
                return Err(NodeError::InvalidTransaction(format!(
                    "chain id {id} does not match {CHAIN_ID}"
                )));
            }
        }
        if matches!(env, TxEnvelope::Eip4844(_) | TxEnvelope::Eip7702(_)) {
            return Err(NodeError::InvalidTransaction(
                "transaction type not supported".into(),
            ));
        }
        let sig = env.signature();
        let hash = *env.tx_hash();
        if self.state.txs.contains_key(&hash) {
            return Err(NodeError::InvalidTransaction("already known".into()));
        }
        let mut access_list = Vec::new();
        if let Some(al) = env.access_list() {
            for item in al.iter() {
                access_list.push(revm::context::transaction::AccessListItem {
                    address: item.address,
                    storage_keys: item.storage_keys.clone(),
                });
            }
        }
        let tx = TxEnv {
            tx_type: env.tx_type() as u8,
            caller: from,
            gas_limit: env.gas_limit(),
            gas_price: env.max_fee_per_gas(),
            kind: env.kind(),
            value: env.value(),
            data: env.input().clone(),
            nonce: env.nonce(),
            chain_id: env.chain_id(),
            access_list: access_list.into(),
            gas_priority_fee: env.max_priority_fee_per_gas(),
            ..Default::default()
        };
        let signature = (sig.v(), sig.r(), sig.s());
        self.apply(hash, tx, signature)
    }

    /// Sends an unsigned transaction from a dev account or an impersonated one.
    pub fn send_transaction(&mut self, req: TxRequest) -> Result<B256, NodeError> {
        let from = req.from.unwrap_or(DEV_ADDRESS);
        if from != DEV_ADDRESS && !self.state.impersonated.contains(&from) {
            return Err(NodeError::UnknownAccount(from));
        }
        let nonce = req.nonce.unwrap_or_else(|| self.nonce(from));
        let gas_limit = match req.gas {
            Some(g) => g,
            None => self.estimate_gas(&req, &HashMap::new())?,
        };
        let mut tx = self.tx_env(&req, gas_limit, false);
        tx.nonce = nonce;
        let mut preimage = b"ferrostake-devnode-unsigned".to_vec();
        preimage.extend_from_slice(from.as_slice());
        preimage.extend_from_slice(&nonce.to_be_bytes());
        preimage.extend_from_slice(&self.block_number().to_be_bytes());
        preimage.extend_from_slice(&req.input);
        let hash = keccak256(preimage);
        self.apply(hash, tx, (false, U256::ZERO, U256::ZERO))
    }

    fn tx_env(&self, req: &TxRequest, gas_limit: u64, simulate: bool) -> TxEnv {
        let from = req.from.unwrap_or_default();
        let (gas_price, tip, tx_type) = match (req.max_fee_per_gas, req.gas_price) {
            (Some(max), _) => (max, Some(req.max_priority_fee_per_gas.unwrap_or(0)), 2u8),
            (None, Some(p)) => (p, None, 0u8),
            (None, None) if simulate => (0, None, 0u8),
            (None, None) => (BASE_FEE as u128, Some(0), 2u8),
        };
        TxEnv {
            tx_type,
            caller: from,
            gas_limit,
            gas_price,
            gas_priority_fee: tip,
            kind: match req.to {
                Some(to) => TxKind::Call(to),
                None => TxKind::Create,
            },
            value: req.value.unwrap_or_default(),
            data: req.input.clone(),
            nonce: req.nonce.unwrap_or_else(|| self.nonce(from)),
            chain_id: Some(CHAIN_ID),
            ..Default::default()
        }
    }

    fn apply(
        &mut self,
        hash: B256,
        tx: TxEnv,
        signature: (bool, U256, U256),
    ) -> Result<B256, NodeError> {
        if tx.gas_limit > TX_GAS_CAP {
            return Err(NodeError::InvalidTransaction(format!(
                "gas limit {} exceeds the per-transaction cap {TX_GAS_CAP}",
                tx.gas_limit
            )));
        }
        let env = self.env(false);
        let rt = self.rt.clone();
        let (result, diff) = exec::execute(&mut self.state.db, &env, tx.clone(), &rt, true)
            .map_err(|e| refusal(&e, &tx))?;
        let mut storage = Vec::new();
        if result.is_success() {
            for (address, account) in &diff {
                for (slot, s) in &account.storage {
                    storage.push(SlotAccess {
                        address: *address,
                        slot: *slot,
                        original: s.original_value,
                        present: s.present_value,
                    });
                }
            }
            storage.sort_by_key(|s| (s.address, s.slot));
        }
        let (status, logs, output, contract_address) = match &result {
            ExecutionResult::Success { logs, output, .. } => match output {
                Output::Call(b) => (true, logs.clone(), b.clone(), None),
                Output::Create(b, a) => (true, logs.clone(), b.clone(), *a),
            },
            ExecutionResult::Revert { output, .. } => (false, vec![], output.clone(), None),
            ExecutionResult::Halt { .. } => (false, vec![], Bytes::new(), None),
        };
        let gas_used = result.tx_gas_used();
        let mut bloom = Bloom::ZERO;
        for log in &logs {
            bloom.accrue_log(log);
        }
        let (number, block_hash) = self.push_block(vec![hash], gas_used, bloom);
        let to = match tx.kind {
            TxKind::Call(a) => Some(a),
            TxKind::Create => None,
        };
        self.state.txs.insert(
            hash,
            TxRecord {
                hash,
                block_number: number,
                block_hash,
                from: tx.caller,
                to,
                nonce: tx.nonce,
                value: tx.value,
                input: tx.data.clone(),
                gas_limit: tx.gas_limit,
                gas_price: tx.gas_price,
                max_priority_fee: tx.gas_priority_fee,
                tx_type: tx.tx_type,
                signature,
                status,
                gas_used,
                logs,
                contract_address,
                output,
                first_log_index: 0,
                storage,
            },
        );
        Ok(hash)
    }

    fn simulate(
        &self,
        req: &TxRequest,
        gas_limit: u64,
        overrides: &HashMap<Address, AccountOverride>,
    ) -> Result<ExecutionResult, NodeError> {
        let mut db = self.state.db.clone();
        for (a, o) in overrides {
            let mut info = {
                let mut d = db.clone();
                d.basic(*a).ok().flatten().unwrap_or_default()
            };
            if let Some(b) = o.balance {
                info.balance = b;
            }
            if let Some(n) = o.nonce {
                info.nonce = n;
            }
            if let Some(code) = &o.code {
                let bc = Bytecode::new_raw(code.clone());
                info.code_hash = bc.hash_slow();
                info.code = Some(bc);
            }
            db.insert_account_info(*a, info);
            if let Some(state) = &o.state {
                let _ =
                    db.replace_account_storage(*a, state.iter().map(|(k, v)| (*k, *v)).collect());
            }
            if let Some(diff) = &o.state_diff {
                for (k, v) in diff {
                    let _ = db.insert_account_storage(*a, *k, *v);
                }
            }
        }
        let env = self.env(true);
        let mut tx = self.tx_env(req, gas_limit, true);
        if req.nonce.is_none() {
            tx.nonce = 0; // nonce checks are off in simulations
        }
        exec::execute(&mut db, &env, tx.clone(), &self.rt, false)
            .map(|(r, _)| r)
            .map_err(|e| refusal(&e, &tx))
    }

    /// `eth_call`: runs `req` on a copy of the latest state with `overrides`; returns the output
    /// or the revert.
    pub fn call(
        &self,
        req: &TxRequest,
        overrides: &HashMap<Address, AccountOverride>,
    ) -> Result<Bytes, NodeError> {
        let gas = req.gas.unwrap_or(TX_GAS_CAP).min(TX_GAS_CAP);
        match self.simulate(req, gas, overrides)? {
            ExecutionResult::Success { output, .. } => Ok(output.into_data()),
            ExecutionResult::Revert { output, gas, .. } => Err(NodeError::Reverted {
                data: output,
                gas_used: gas.tx_gas_used(),
            }),
            ExecutionResult::Halt { reason, .. } => Err(NodeError::Halted(
                self.rt
                    .last_call_error
                    .lock()
                    .unwrap()
                    .take()
                    .unwrap_or_else(|| halt_words(&reason)),
            )),
        }
    }

    /// `eth_estimateGas`: the smallest gas limit with which `req` succeeds (binary search), so it
    /// can be used as the exact limit, as cargo-stylus does.
    pub fn estimate_gas(
        &self,
        req: &TxRequest,
        overrides: &HashMap<Address, AccountOverride>,
    ) -> Result<u64, NodeError> {
        let cap = req.gas.unwrap_or(TX_GAS_CAP).min(TX_GAS_CAP);
        let first = match self.simulate(req, cap, overrides)? {
            ExecutionResult::Success { gas, .. } => gas.tx_gas_used(),
            ExecutionResult::Revert { output, gas, .. } => {
                return Err(NodeError::Reverted {
                    data: output,
                    gas_used: gas.tx_gas_used(),
                })
            }
            // geth: a transaction that fails at the cap for any reason but a revert needs more
            // gas than allowed.
            ExecutionResult::Halt { .. } => return Err(NodeError::GasTooHigh(cap)),
        };
        let ok = |g: u64| {
            matches!(
                self.simulate(req, g, overrides),
                Ok(ExecutionResult::Success { .. })
            )
        };
        // gas used is a lower bound; refunds and the 63/64 rule can need more.
        let mut lo = first.saturating_sub(1);
        let mut hi = first;
        while !ok(hi) {
            lo = hi;
            hi = (hi.saturating_mul(2)).min(cap);
            if lo == cap {
                return Err(NodeError::GasTooHigh(cap));
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    }

    /// Logs of blocks `from..=to`, filtered by addresses and topics (each position: any of).
    pub fn logs(
        &self,
        from: u64,
        to: u64,
        addresses: &[Address],
        topics: &[Option<Vec<B256>>],
    ) -> Vec<(Log, &TxRecord, u64)> {
        let mut out = Vec::new();
        let to = to.min(self.block_number());
        for n in from..=to {
            let Some(block) = self.block(n) else { break };
            for h in &block.txs {
                let Some(tx) = self.state.txs.get(h) else {
                    continue;
                };
                for (i, log) in tx.logs.iter().enumerate() {
                    if !addresses.is_empty() && !addresses.contains(&log.address) {
                        continue;
                    }
                    let t = log.topics();
                    let matches = topics.iter().enumerate().all(|(i, want)| match want {
                        None => true,
                        Some(any) => t.get(i).is_some_and(|x| any.contains(x)),
                    });
                    if matches {
                        out.push((log.clone(), tx, tx.first_log_index + i as u64));
                    }
                }
            }
        }
        out
    }
}

/// geth's words for a transaction the chain refuses (`core/error.go`), so that clients matching
/// on them ("nonce too low", "insufficient funds") behave as against a real node.
fn refusal(e: &exec::ExecError, tx: &TxEnv) -> NodeError {
    use revm::context_interface::result::{EVMError, InvalidTransaction as I};
    let from = tx.caller;
    let words = match e {
        EVMError::Transaction(t) => match t {
            I::NonceTooLow { tx, state } => {
                format!("nonce too low: address {from}, tx: {tx} state: {state}")
            }
            I::NonceTooHigh { tx, state } => {
                format!("nonce too high: address {from}, tx: {tx} state: {state}")
            }
            I::NonceOverflowInTransaction => format!("nonce has max value: address {from}"),
            I::LackOfFundForMaxFee { fee, balance } => format!(
                "insufficient funds for gas * price + value: address {from} have {balance} want {fee}"
            ),
            I::CallGasCostMoreThanGasLimit {
                initial_gas,
                gas_limit,
            } => format!("intrinsic gas too low: have {gas_limit}, want {initial_gas}"),
            I::GasFloorMoreThanGasLimit {
                gas_floor,
                gas_limit,
            } => format!(
                "insufficient gas for floor data gas cost: have {gas_limit}, want {gas_floor}"
            ),
            I::GasPriceLessThanBasefee => format!(
                "max fee per gas less than block base fee: address {from}, maxFeePerGas: {}, baseFee: {BASE_FEE}",
                tx.gas_price
            ),
            I::PriorityFeeGreaterThanMaxFee => format!(
                "max priority fee per gas higher than max fee per gas: address {from}, maxPriorityFeePerGas: {}, maxFeePerGas: {}",
                tx.gas_priority_fee.unwrap_or_default(),
                tx.gas_price
            ),
            I::RejectCallerWithCode => format!("sender not an eoa: address {from}"),
            I::CreateInitCodeSizeLimit => "max initcode size exceeded".to_string(),
            I::InvalidChainId | I::MissingChainId => "invalid chain id for signer".to_string(),
            I::CallerGasLimitMoreThanBlock | I::TxGasLimitGreaterThanCap { .. } => {
                "exceeds block gas limit".to_string()
            }
            other => other.to_string(),
        },
        other => other.to_string(),
    };
    NodeError::InvalidTransaction(words)
}

/// geth's words for an execution that stopped other than by returning or reverting
/// (`core/vm/errors.go`).
fn halt_words(reason: &revm::context_interface::result::HaltReason) -> String {
    use revm::context_interface::result::HaltReason as H;
    match reason {
        H::OutOfGas(_) => "out of gas".into(),
        H::OpcodeNotFound | H::NotActivated => "invalid opcode".into(),
        H::InvalidFEOpcode => "invalid opcode: INVALID".into(),
        H::InvalidJump => "invalid jump destination".into(),
        H::StackUnderflow => "stack underflow".into(),
        H::StackOverflow => "stack limit reached 1024 (1023)".into(),
        H::OutOfOffset => "return data out of bounds".into(),
        H::CreateCollision => "contract address collision".into(),
        H::NonceOverflow => "nonce uint64 overflow".into(),
        H::CreateContractSizeLimit => "max code size exceeded".into(),
        H::CreateContractStartingWithEF => "invalid code: must not begin with 0xef".into(),
        H::CreateInitCodeSizeLimit => "max initcode size exceeded".into(),
        H::StateChangeDuringStaticCall | H::CallNotAllowedInsideStatic => "write protection".into(),
        H::OutOfFunds => "insufficient balance for transfer".into(),
        H::CallTooDeep => "max call depth exceeded".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genesis_and_cheats() {
        let mut node = Node::new();
        assert_eq!(node.block_number(), 0);
        assert!(node.balance(DEV_ADDRESS) > U256::ZERO);
        let a = address!("00000000000000000000000000000000000000aa");
        node.set_balance(a, U256::from(5));
        let snap = node.snapshot();
        node.set_balance(a, U256::from(7));
        node.mine(1000, 1);
        assert_eq!(node.block_number(), 1000);
        assert_eq!(node.balance(a), U256::from(7));
        node.revert(snap).unwrap();
        assert_eq!(node.balance(a), U256::from(5));
        assert_eq!(node.block_number(), 0);
        assert_eq!(node.revert(snap), Err(NodeError::UnknownSnapshot(snap)));
    }

    #[test]
    fn unsigned_transfer_from_dev_and_impersonation() {
        let mut node = Node::new();
        let a = address!("00000000000000000000000000000000000000bb");
        let h = node
            .send_transaction(TxRequest {
                from: Some(DEV_ADDRESS),
                to: Some(a),
                value: Some(U256::from(1000)),
                ..Default::default()
            })
            .unwrap();
        assert!(node.transaction(h).unwrap().status);
        assert_eq!(node.balance(a), U256::from(1000));
        let stranger = TxRequest {
            from: Some(a),
            to: Some(DEV_ADDRESS),
            value: Some(U256::from(1)),
            gas: Some(21_000),
            gas_price: Some(BASE_FEE as u128),
            ..Default::default()
        };
        assert_eq!(
            node.send_transaction(stranger.clone()),
            Err(NodeError::UnknownAccount(a))
        );
        node.impersonate(a, true);
        let funded = U256::from(10u64).pow(U256::from(18));
        node.set_balance(a, funded);
        let h = node.send_transaction(stranger).unwrap();
        assert_eq!(node.transaction(h).unwrap().from, a);
        assert_eq!(
            node.balance(a),
            funded - U256::from(1) - U256::from(21_000u64 * BASE_FEE)
        );
    }
}
