//! The JSON-RPC surface over [`Node`]: Ethereum methods that alloy providers, wallets and
//! `cargo stylus check`/`deploy` use, plus anvil/hardhat-style cheat methods (which [`Options`]
//! can turn off, so the node answers like a real chain). Served over HTTP
//! (keep-alive, batches) by a small hand-written server; [`handle_body`] is the transport-free
//! core that tests and fuzzers call directly.
//!
//! Every malformed input gets a JSON-RPC error and the server keeps serving: parse errors
//! (-32700), invalid requests (-32600), unknown methods (-32601), bad params (-32602). Execution
//! errors take geth's shapes, which clients decode: a revert with data is code 3, "execution
//! reverted" (": <reason>" for an `Error(string)`), the bytes in `data`; a revert without data is
//! -32000 "execution reverted" with no `data`; halts ("out of gas"), refused transactions ("nonce
//! too low: ...", "insufficient funds for gas * price + value: ...") and unknown blocks ("header
//! not found") are -32000 in geth's words.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use alloy_primitives::{hex, Address, Bytes, B256, U256};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::node::{
    AccountOverride, BlockRecord, Node, NodeError, TxRecord, TxRequest, BASE_FEE, BLOCK_GAS_LIMIT,
};

/// A JSON-RPC error.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }
    fn params(message: impl Into<String>) -> Self {
        Self::new(-32602, message)
    }
}

impl From<NodeError> for RpcError {
    fn from(e: NodeError) -> Self {
        match e {
            NodeError::Reverted { data, .. } if data.is_empty() => {
                RpcError::new(-32000, "execution reverted")
            }
            NodeError::Reverted { data, .. } => {
                let message =
                    match <alloy_sol_types::Revert as alloy_sol_types::SolError>::abi_decode(&data)
                    {
                        Ok(r) => format!("execution reverted: {}", r.reason),
                        Err(_) => "execution reverted".into(),
                    };
                RpcError {
                    code: 3,
                    message,
                    data: Some(Value::String(format!("0x{}", hex::encode(&data)))),
                }
            }
            NodeError::InvalidTransaction(m) | NodeError::Halted(m) => RpcError::new(-32000, m),
            other => RpcError::new(-32000, other.to_string()),
        }
    }
}

type Res = Result<Value, RpcError>;

fn q(v: u64) -> Value {
    Value::String(format!("{v:#x}"))
}
fn q256(v: U256) -> Value {
    Value::String(format!("{v:#x}"))
}
fn hexb(b: &[u8]) -> Value {
    Value::String(format!("0x{}", hex::encode(b)))
}

fn param(params: &[Value], i: usize) -> Result<&Value, RpcError> {
    params
        .get(i)
        .ok_or_else(|| RpcError::params(format!("missing value for required argument {i}")))
}

fn as_str(v: &Value) -> Result<&str, RpcError> {
    v.as_str()
        .ok_or_else(|| RpcError::params("expected a string"))
}

fn address(v: &Value) -> Result<Address, RpcError> {
    as_str(v)?
        .parse()
        .map_err(|_| RpcError::params("invalid address"))
}

fn b256(v: &Value) -> Result<B256, RpcError> {
    as_str(v)?
        .parse()
        .map_err(|_| RpcError::params("invalid 32-byte hex"))
}

fn quantity(v: &Value) -> Result<u64, RpcError> {
    if let Some(n) = v.as_u64() {
        return Ok(n);
    }
    let s = as_str(v)?;
    let digits = s
        .strip_prefix("0x")
        .ok_or_else(|| RpcError::params("quantity must be 0x-prefixed"))?;
    u64::from_str_radix(digits, 16).map_err(|_| RpcError::params("invalid quantity"))
}

fn u256(v: &Value) -> Result<U256, RpcError> {
    if let Some(n) = v.as_u64() {
        return Ok(U256::from(n));
    }
    let s = as_str(v)?;
    let digits = s
        .strip_prefix("0x")
        .ok_or_else(|| RpcError::params("quantity must be 0x-prefixed"))?;
    U256::from_str_radix(digits, 16).map_err(|_| RpcError::params("invalid quantity"))
}

fn bytes(v: &Value) -> Result<Bytes, RpcError> {
    let s = as_str(v)?;
    let digits = s
        .strip_prefix("0x")
        .ok_or_else(|| RpcError::params("bytes must be 0x-prefixed"))?;
    hex::decode(digits)
        .map(Bytes::from)
        .map_err(|_| RpcError::params("invalid hex bytes"))
}

/// A block tag or number → block number.
fn block_number(node: &Node, v: Option<&Value>) -> Result<u64, RpcError> {
    let Some(v) = v else {
        return Ok(node.block_number());
    };
    if v.is_null() {
        return Ok(node.block_number());
    }
    if let Some(obj) = v.as_object() {
        if let Some(n) = obj.get("blockNumber") {
            return quantity(n);
        }
        if let Some(h) = obj.get("blockHash") {
            let h = b256(h)?;
            return node
                .block_by_hash(h)
                .map(|b| b.number)
                .ok_or_else(|| RpcError::new(-32000, "header for hash not found"));
        }
        return Err(RpcError::params("invalid block id"));
    }
    match as_str(v)? {
        "latest" | "pending" | "safe" | "finalized" => Ok(node.block_number()),
        "earliest" => Ok(0),
        _ => quantity(v),
    }
}

/// The block a state query names: the node serves the latest state, but like geth it refuses a
/// block it does not have.
fn state_block(node: &Node, v: Option<&Value>) -> Result<u64, RpcError> {
    let n = block_number(node, v)?;
    if n > node.block_number() {
        return Err(RpcError::new(-32000, "header not found"));
    }
    Ok(n)
}

fn tx_request(v: &Value) -> Result<TxRequest, RpcError> {
    let o = v
        .as_object()
        .ok_or_else(|| RpcError::params("transaction must be an object"))?;
    let opt = |k: &str| o.get(k).filter(|v| !v.is_null());
    let input = match opt("input").or_else(|| opt("data")) {
        Some(v) => bytes(v)?,
        None => Bytes::new(),
    };
    Ok(TxRequest {
        from: opt("from").map(address).transpose()?,
        to: opt("to").map(address).transpose()?,
        gas: opt("gas").map(quantity).transpose()?,
        gas_price: opt("gasPrice")
            .map(|v| u256(v).map(|x| x.saturating_to()))
            .transpose()?,
        max_fee_per_gas: opt("maxFeePerGas")
            .map(|v| u256(v).map(|x| x.saturating_to()))
            .transpose()?,
        max_priority_fee_per_gas: opt("maxPriorityFeePerGas")
            .map(|v| u256(v).map(|x| x.saturating_to()))
            .transpose()?,
        value: opt("value").map(u256).transpose()?,
        input,
        nonce: opt("nonce").map(quantity).transpose()?,
    })
}

fn slot_map(v: &Value) -> Result<HashMap<U256, U256>, RpcError> {
    let o = v
        .as_object()
        .ok_or_else(|| RpcError::params("storage override must be an object"))?;
    o.iter()
        .map(|(k, v)| {
            Ok((
                u256(&Value::String(k.clone()))?,
                U256::from_be_bytes(b256(v)?.0),
            ))
        })
        .collect()
}

fn overrides(v: Option<&Value>) -> Result<HashMap<Address, AccountOverride>, RpcError> {
    let mut out = HashMap::new();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(out);
    };
    let o = v
        .as_object()
        .ok_or_else(|| RpcError::params("state overrides must be an object"))?;
    for (a, ov) in o {
        let addr: Address = a
            .parse()
            .map_err(|_| RpcError::params("invalid override address"))?;
        let ov = ov
            .as_object()
            .ok_or_else(|| RpcError::params("account override must be an object"))?;
        let get = |k: &str| ov.get(k).filter(|v| !v.is_null());
        out.insert(
            addr,
            AccountOverride {
                balance: get("balance").map(u256).transpose()?,
                nonce: get("nonce").map(quantity).transpose()?,
                code: get("code").map(bytes).transpose()?,
                state: get("state").map(slot_map).transpose()?,
                state_diff: get("stateDiff").map(slot_map).transpose()?,
            },
        );
    }
    Ok(out)
}

fn log_json(log: &alloy_primitives::Log, tx: &TxRecord, index: u64) -> Value {
    json!({
        "address": format!("{:#x}", log.address),
        "topics": log.topics().iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>(),
        "data": hexb(&log.data.data),
        "blockNumber": q(tx.block_number),
        "blockHash": format!("{:#x}", tx.block_hash),
        "transactionHash": format!("{:#x}", tx.hash),
        "transactionIndex": "0x0",
        "logIndex": q(index),
        "removed": false,
    })
}

fn receipt_json(tx: &TxRecord, bloom: &alloy_primitives::Bloom) -> Value {
    json!({
        "transactionHash": format!("{:#x}", tx.hash),
        "transactionIndex": "0x0",
        "blockHash": format!("{:#x}", tx.block_hash),
        "blockNumber": q(tx.block_number),
        "from": format!("{:#x}", tx.from),
        "to": tx.to.map(|a| format!("{a:#x}")),
        "cumulativeGasUsed": q(tx.gas_used),
        "gasUsed": q(tx.gas_used),
        "gasUsedForL1": "0x0",
        "l1BlockNumber": q(tx.block_number),
        "effectiveGasPrice": q256(U256::from(tx.effective_gas_price())),
        "contractAddress": tx.contract_address.map(|a| format!("{a:#x}")),
        "logs": tx.logs.iter().enumerate().map(|(i, l)| log_json(l, tx, tx.first_log_index + i as u64)).collect::<Vec<_>>(),
        "logsBloom": hexb(bloom.as_slice()),
        "status": if tx.status { "0x1" } else { "0x0" },
        "type": q(tx.tx_type as u64),
    })
}

fn tx_json(tx: &TxRecord) -> Value {
    let (parity, r, s) = tx.signature;
    let mut v = json!({
        "hash": format!("{:#x}", tx.hash),
        "nonce": q(tx.nonce),
        "blockHash": format!("{:#x}", tx.block_hash),
        "blockNumber": q(tx.block_number),
        "transactionIndex": "0x0",
        "from": format!("{:#x}", tx.from),
        "to": tx.to.map(|a| format!("{a:#x}")),
        "value": q256(tx.value),
        "gas": q(tx.gas_limit),
        "input": hexb(&tx.input),
        "r": q256(r),
        "s": q256(s),
        "type": q(tx.tx_type as u64),
        "chainId": q(crate::node::CHAIN_ID),
    });
    let o = v.as_object_mut().expect("object");
    if tx.tx_type == 0 {
        o.insert("gasPrice".into(), q256(U256::from(tx.gas_price)));
        o.insert(
            "v".into(),
            q(crate::node::CHAIN_ID * 2 + 35 + parity as u64),
        );
    } else {
        o.insert(
            "gasPrice".into(),
            q256(U256::from(tx.effective_gas_price())),
        );
        o.insert("maxFeePerGas".into(), q256(U256::from(tx.gas_price)));
        o.insert(
            "maxPriorityFeePerGas".into(),
            q256(U256::from(tx.max_priority_fee.unwrap_or(0))),
        );
        o.insert("accessList".into(), json!([]));
        o.insert("v".into(), q(parity as u64));
        o.insert("yParity".into(), q(parity as u64));
    }
    v
}

fn block_json(node: &Node, b: &BlockRecord, full: bool) -> Value {
    let txs: Vec<Value> = b
        .txs
        .iter()
        .map(|h| match (full, node.transaction(*h)) {
            (true, Some(tx)) => tx_json(tx),
            _ => Value::String(format!("{h:#x}")),
        })
        .collect();
    let empty_trie = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
    json!({
        "number": q(b.number),
        "hash": format!("{:#x}", b.hash),
        "parentHash": format!("{:#x}", b.parent_hash),
        "nonce": "0x0000000000000000",
        "sha3Uncles": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
        "logsBloom": hexb(b.logs_bloom.as_slice()),
        "transactionsRoot": empty_trie,
        "stateRoot": empty_trie,
        "receiptsRoot": empty_trie,
        "miner": format!("{:#x}", Address::ZERO),
        "difficulty": "0x1",
        "totalDifficulty": q(b.number + 1),
        "extraData": "0x",
        "size": "0x200",
        "gasLimit": q(BLOCK_GAS_LIMIT),
        "gasUsed": q(b.gas_used),
        "timestamp": q(b.timestamp),
        "transactions": txs,
        "uncles": [],
        "baseFeePerGas": q(BASE_FEE),
        "mixHash": format!("{:#x}", B256::ZERO),
    })
}

/// Dispatches one method call.
pub fn dispatch(node: &Mutex<Node>, method: &str, params: &[Value]) -> Res {
    let mut node = node.lock().unwrap_or_else(|p| p.into_inner());
    let node = &mut *node;
    match method {
        "web3_clientVersion" => Ok(json!(concat!(
            "ferrostake-devnode/",
            env!("CARGO_PKG_VERSION")
        ))),
        "net_version" => Ok(json!(node.chain_id().to_string())),
        "net_listening" => Ok(json!(true)),
        "eth_chainId" => Ok(q(node.chain_id())),
        "eth_syncing" => Ok(json!(false)),
        "eth_blockNumber" => Ok(q(node.block_number())),
        "eth_accounts" => Ok(json!(node
            .accounts()
            .iter()
            .map(|a| format!("{a:#x}"))
            .collect::<Vec<_>>())),
        "eth_gasPrice" => Ok(q(BASE_FEE)),
        "eth_maxPriorityFeePerGas" => Ok(q(0)),
        "eth_feeHistory" => {
            let count = quantity(param(params, 0)?)?.clamp(1, 1024);
            let newest = block_number(node, params.get(1))?;
            let oldest = newest.saturating_sub(count - 1);
            let n = (newest - oldest + 1) as usize;
            let pct = params
                .get(2)
                .and_then(|v| v.as_array())
                .map(|a| a.len())
                .unwrap_or(0);
            Ok(json!({
                "oldestBlock": q(oldest),
                "baseFeePerGas": vec![q(BASE_FEE); n + 1],
                "gasUsedRatio": vec![0.0; n],
                "reward": vec![vec![q(0); pct]; n],
            }))
        }
        "eth_getBalance" => {
            let a = address(param(params, 0)?)?;
            state_block(node, params.get(1))?;
            Ok(q256(node.balance(a)))
        }
        "eth_getTransactionCount" => {
            let a = address(param(params, 0)?)?;
            state_block(node, params.get(1))?;
            Ok(q(node.nonce(a)))
        }
        "eth_getCode" => {
            let a = address(param(params, 0)?)?;
            state_block(node, params.get(1))?;
            Ok(hexb(&node.code(a)))
        }
        "eth_getStorageAt" => {
            let a = address(param(params, 0)?)?;
            let slot = u256(param(params, 1)?)?;
            state_block(node, params.get(2))?;
            Ok(hexb(&node.storage(a, slot).to_be_bytes::<32>()))
        }
        "eth_call" => {
            let req = tx_request(param(params, 0)?)?;
            state_block(node, params.get(1))?;
            let ov = overrides(params.get(2))?;
            Ok(hexb(&node.call(&req, &ov)?))
        }
        "eth_estimateGas" => {
            let req = tx_request(param(params, 0)?)?;
            state_block(node, params.get(1))?;
            let ov = overrides(params.get(2))?;
            Ok(q(node.estimate_gas(&req, &ov)?))
        }
        "eth_sendRawTransaction" => {
            let raw = bytes(param(params, 0)?)?;
            Ok(json!(format!("{:#x}", node.send_raw_transaction(&raw)?)))
        }
        "eth_sendTransaction" => {
            let req = tx_request(param(params, 0)?)?;
            Ok(json!(format!("{:#x}", node.send_transaction(req)?)))
        }
        "eth_getTransactionReceipt" => {
            let h = b256(param(params, 0)?)?;
            Ok(match node.transaction(h) {
                Some(tx) => {
                    let bloom = node
                        .block(tx.block_number)
                        .map(|b| b.logs_bloom)
                        .unwrap_or_default();
                    receipt_json(tx, &bloom)
                }
                None => Value::Null,
            })
        }
        "eth_getTransactionByHash" => {
            let h = b256(param(params, 0)?)?;
            Ok(node.transaction(h).map(tx_json).unwrap_or(Value::Null))
        }
        "eth_getBlockByNumber" => {
            let n = block_number(node, Some(param(params, 0)?))?;
            let full = params.get(1).and_then(|v| v.as_bool()).unwrap_or(false);
            Ok(node
                .block(n)
                .map(|b| block_json(node, b, full))
                .unwrap_or(Value::Null))
        }
        "eth_getBlockByHash" => {
            let h = b256(param(params, 0)?)?;
            let full = params.get(1).and_then(|v| v.as_bool()).unwrap_or(false);
            Ok(node
                .block_by_hash(h)
                .map(|b| block_json(node, b, full))
                .unwrap_or(Value::Null))
        }
        "eth_getBlockTransactionCountByNumber" => {
            let n = block_number(node, Some(param(params, 0)?))?;
            Ok(node
                .block(n)
                .map(|b| q(b.txs.len() as u64))
                .unwrap_or(Value::Null))
        }
        "eth_getLogs" => {
            let f = param(params, 0)?
                .as_object()
                .ok_or_else(|| RpcError::params("filter must be an object"))?;
            let (from, to) = if let Some(h) = f.get("blockHash").filter(|v| !v.is_null()) {
                let n = node
                    .block_by_hash(b256(h)?)
                    .map(|b| b.number)
                    .ok_or_else(|| RpcError::new(-32000, "unknown block"))?;
                (n, n)
            } else {
                (
                    block_number(node, f.get("fromBlock"))?,
                    block_number(node, f.get("toBlock"))?,
                )
            };
            if to >= from && to - from > 100_000 {
                return Err(RpcError::new(-32005, "block range too large (max 100000)"));
            }
            let addresses = match f.get("address").filter(|v| !v.is_null()) {
                None => vec![],
                Some(Value::Array(a)) => a.iter().map(address).collect::<Result<_, _>>()?,
                Some(v) => vec![address(v)?],
            };
            let topics = match f.get("topics").filter(|v| !v.is_null()) {
                None => vec![],
                Some(Value::Array(ts)) => ts
                    .iter()
                    .map(|t| match t {
                        Value::Null => Ok(None),
                        Value::Array(any) => any
                            .iter()
                            .map(b256)
                            .collect::<Result<Vec<_>, _>>()
                            .map(Some),
                        v => b256(v).map(|h| Some(vec![h])),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(RpcError::params("topics must be an array")),
            };
            Ok(json!(node
                .logs(from, to, &addresses, &topics)
                .into_iter()
                .map(|(l, tx, i)| log_json(&l, tx, i))
                .collect::<Vec<_>>()))
        }
        "evm_snapshot" | "anvil_snapshot" => Ok(q(node.snapshot())),
        "evm_revert" | "anvil_revert" => {
            let id = quantity(param(params, 0)?)?;
            Ok(json!(node.revert(id).is_ok()))
        }
        "evm_increaseTime" | "anvil_increaseTime" => {
            let secs = quantity(param(params, 0)?)?;
            Ok(q(node.increase_time(secs) as u64))
        }
        "evm_setNextBlockTimestamp" | "anvil_setNextBlockTimestamp" => {
            node.set_next_timestamp(quantity(param(params, 0)?)?);
            Ok(Value::Null)
        }
        "evm_mine" => {
            if let Some(ts) = params.first().filter(|v| !v.is_null()) {
                node.set_next_timestamp(quantity(ts)?);
            }
            node.mine(1, 0);
            Ok(json!("0x0"))
        }
        "anvil_mine" | "hardhat_mine" => {
            let n = params
                .first()
                .filter(|v| !v.is_null())
                .map(quantity)
                .transpose()?
                .unwrap_or(1);
            let interval = params
                .get(1)
                .filter(|v| !v.is_null())
                .map(quantity)
                .transpose()?
                .unwrap_or(0);
            if n > 10_000_000 {
                return Err(RpcError::params("at most 10,000,000 blocks at once"));
            }
            node.mine(n, interval);
            Ok(Value::Null)
        }
        "anvil_setBalance" | "hardhat_setBalance" => {
            node.set_balance(address(param(params, 0)?)?, u256(param(params, 1)?)?);
            Ok(Value::Null)
        }
        "anvil_setCode" | "hardhat_setCode" => {
            node.set_code(address(param(params, 0)?)?, bytes(param(params, 1)?)?);
            Ok(Value::Null)
        }
        "anvil_setNonce" | "hardhat_setNonce" => {
            node.set_nonce(address(param(params, 0)?)?, quantity(param(params, 1)?)?);
            Ok(Value::Null)
        }
        "anvil_setStorageAt" | "hardhat_setStorageAt" => {
            let a = address(param(params, 0)?)?;
            let slot = u256(param(params, 1)?)?;
            let v = U256::from_be_bytes(b256(param(params, 2)?)?.0);
            node.set_storage(a, slot, v);
            Ok(json!(true))
        }
        "anvil_impersonateAccount" | "hardhat_impersonateAccount" => {
            node.impersonate(address(param(params, 0)?)?, true);
            Ok(Value::Null)
        }
        "anvil_stopImpersonatingAccount" | "hardhat_stopImpersonatingAccount" => {
            node.impersonate(address(param(params, 0)?)?, false);
            Ok(Value::Null)
        }
        _ => Err(RpcError::new(-32601, format!("method {method} not found"))),
    }
}

fn error_json(id: Value, e: RpcError) -> Value {
    let mut err = json!({"code": e.code, "message": e.message});
    if let Some(d) = e.data {
        err["data"] = d;
    }
    json!({"jsonrpc": "2.0", "id": id, "error": err})
}

/// What a server answers beyond the Ethereum methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Serve the `anvil_*`, `evm_*` and `hardhat_*` test methods (the default). Off, they are
    /// answered -32601 "method not found", as a real chain answers them.
    pub test_methods: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { test_methods: true }
    }
}

/// Whether `method` is one of the test-node methods [`Options::test_methods`] switches.
pub fn is_test_method(method: &str) -> bool {
    ["anvil_", "evm_", "hardhat_"]
        .iter()
        .any(|p| method.starts_with(p))
}

fn handle_one(node: &Mutex<Node>, req: &Value, options: Options) -> Value {
    let Some(obj) = req.as_object() else {
        return error_json(
            Value::Null,
            RpcError::new(-32600, "invalid request: expected an object"),
        );
    };
    let id = obj.get("id").cloned().unwrap_or(Value::Null);
    let Some(method) = obj.get("method").and_then(|m| m.as_str()) else {
        return error_json(id, RpcError::new(-32600, "invalid request: missing method"));
    };
    let params: Vec<Value> = match obj.get("params") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return error_json(id, RpcError::params("params must be an array")),
    };
    if !options.test_methods && is_test_method(method) {
        return error_json(
            id,
            RpcError::new(-32601, format!("method {method} not found")),
        );
    }
    // A panic in a handler is a devnode bug; report it as an internal error and keep serving.
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        dispatch(node, method, &params)
    }))
    .unwrap_or_else(|_| Err(RpcError::new(-32603, "internal error")));
    match res {
        Ok(v) => json!({"jsonrpc": "2.0", "id": id, "result": v}),
        Err(e) => error_json(id, e),
    }
}

/// Handles a request body (single or batch) and returns the response body.
pub fn handle_body(node: &Mutex<Node>, body: &[u8]) -> Vec<u8> {
    handle_body_with(node, body, Options::default())
}

/// [`handle_body`] with `options`.
pub fn handle_body_with(node: &Mutex<Node>, body: &[u8], options: Options) -> Vec<u8> {
    let resp = match serde_json::from_slice::<Value>(body) {
        Err(_) => error_json(Value::Null, RpcError::new(-32700, "parse error")),
        Ok(Value::Array(reqs)) if reqs.is_empty() => {
            error_json(Value::Null, RpcError::new(-32600, "empty batch"))
        }
        Ok(Value::Array(reqs)) => {
            Value::Array(reqs.iter().map(|r| handle_one(node, r, options)).collect())
        }
        Ok(req) => handle_one(node, &req, options),
    };
    serde_json::to_vec(&resp).unwrap_or_default()
}

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 32 * 1024 * 1024;

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    body: &[u8],
    close: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\nConnection: {}\r\n\r\n",
        body.len(),
        if close { "close" } else { "keep-alive" }
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await
}

async fn serve_conn(
    mut stream: TcpStream,
    node: Arc<Mutex<Node>>,
    options: Options,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            if buf.len() > MAX_HEAD {
                return respond(
                    &mut stream,
                    "431 Request Header Fields Too Large",
                    b"",
                    true,
                )
                .await;
            }
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let method = request_line
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        let mut content_length = None;
        let mut close = request_line.ends_with("HTTP/1.0");
        let mut chunked = false;
        for l in lines {
            let Some((k, v)) = l.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "content-length" => content_length = v.parse::<usize>().ok(),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                _ => {}
            }
        }
        buf.drain(..head_end);
        if method == "OPTIONS" {
            respond(&mut stream, "204 No Content", b"", close).await?;
            continue;
        }
        if method != "POST" {
            let body = serde_json::to_vec(&error_json(
                Value::Null,
                RpcError::new(-32600, "use POST with a JSON-RPC body"),
            ))
            .unwrap_or_default();
            respond(&mut stream, "405 Method Not Allowed", &body, true).await?;
            return Ok(());
        }
        if chunked {
            respond(&mut stream, "411 Length Required", b"", true).await?;
            return Ok(());
        }
        let len = content_length.unwrap_or(0);
        if len > MAX_BODY {
            respond(&mut stream, "413 Payload Too Large", b"", true).await?;
            return Ok(());
        }
        while buf.len() < len {
            let mut chunk = vec![0u8; (len - buf.len()).min(1 << 20)];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body: Vec<u8> = buf.drain(..len).collect();
        let node2 = node.clone();
        let out = tokio::task::spawn_blocking(move || handle_body_with(&node2, &body, options))
            .await
            .unwrap_or_else(|_| {
                serde_json::to_vec(&error_json(
                    Value::Null,
                    RpcError::new(-32603, "internal error"),
                ))
                .unwrap_or_default()
            });
        respond(&mut stream, "200 OK", &out, close).await?;
        if close {
            return Ok(());
        }
    }
}

/// Serves `node` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, node: Arc<Mutex<Node>>) {
    serve_with(listener, node, Options::default()).await
}

/// [`serve`] with `options`.
pub async fn serve_with(listener: TcpListener, node: Arc<Mutex<Node>>, options: Options) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_conn(stream, node.clone(), options));
    }
}

/// A server running on its own thread (for tests and the binary).
pub struct ServerHandle {
    pub addr: SocketAddr,
    pub node: Arc<Mutex<Node>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ServerHandle {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts a server for `node` on `addr` (use port 0 for a free port) on a background thread.
pub fn spawn(node: Node, addr: &str) -> std::io::Result<ServerHandle> {
    spawn_with(node, addr, Options::default())
}

/// [`spawn`] with `options` (e.g. without the test methods, to stand in for a real chain).
pub fn spawn_with(node: Node, addr: &str, options: Options) -> std::io::Result<ServerHandle> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let local = std_listener.local_addr()?;
    let node = Arc::new(Mutex::new(node));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let n2 = node.clone();
    let thread = std::thread::Builder::new()
        .name("devnode-rpc".into())
        .spawn(move || {
            // Handlers run on the blocking pool; with the execution stack there, a transaction
            // runs on the thread that received it.
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_stack_size(crate::exec::EXEC_STACK)
                .on_thread_start(crate::exec::mark_large_stack_thread)
                .enable_all()
                .build()
                .expect("tokio runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                tokio::select! {
                    _ = serve_with(listener, n2, options) => {}
                    _ = rx => {}
                }
            });
        })?;
    Ok(ServerHandle {
        addr: local,
        node,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(node: &Mutex<Node>, body: &str) -> Value {
        serde_json::from_slice(&handle_body(node, body.as_bytes())).unwrap()
    }

    #[test]
    fn malformed_requests_get_errors() {
        let node = Mutex::new(Node::new());
        assert_eq!(call(&node, "{not json")["error"]["code"], -32700);
        assert_eq!(call(&node, "[]")["error"]["code"], -32600);
        assert_eq!(call(&node, "42")["error"]["code"], -32600);
        assert_eq!(
            call(&node, r#"{"id":1,"method":"nope","params":[]}"#)["error"]["code"],
            -32601
        );
        assert_eq!(
            call(
                &node,
                r#"{"id":1,"method":"eth_getBalance","params":["0x12"]}"#
            )["error"]["code"],
            -32602
        );
        assert_eq!(
            call(&node, r#"{"id":1,"method":"eth_getBalance","params":{}}"#)["error"]["code"],
            -32602
        );
        assert_eq!(
            call(
                &node,
                r#"{"id":1,"method":"eth_sendRawTransaction","params":["0xdeadbeef"]}"#
            )["error"]["code"],
            -32000
        );
        // still serving
        assert_eq!(
            call(
                &node,
                r#"{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}"#
            )["result"],
            format!("{:#x}", crate::node::CHAIN_ID)
        );
        let batch = call(
            &node,
            r#"[{"id":1,"method":"eth_blockNumber"},{"id":2,"method":"bad"}]"#,
        );
        assert_eq!(batch[0]["result"], "0x0");
        assert_eq!(batch[1]["error"]["code"], -32601);
    }

    #[test]
    fn test_methods_can_be_turned_off_like_a_real_chain() {
        let plain = Options {
            test_methods: false,
        };
        let node = Mutex::new(Node::new());
        let call_with = |body: &str, options| -> Value {
            serde_json::from_slice(&handle_body_with(&node, body.as_bytes(), options)).unwrap()
        };
        let mine = r#"{"id":1,"method":"anvil_mine","params":["0x5"]}"#;
        for body in [
            mine,
            r#"{"id":1,"method":"evm_increaseTime","params":[100]}"#,
            r#"{"id":1,"method":"hardhat_setBalance","params":["0x0000000000000000000000000000000000000001","0x1"]}"#,
            r#"{"id":1,"method":"anvil_impersonateAccount","params":["0x0000000000000000000000000000000000000001"]}"#,
        ] {
            let r = call_with(body, plain);
            assert_eq!(r["error"]["code"], -32601, "{body}: {r}");
            assert!(r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("not found"));
        }
        // Nothing happened, and the Ethereum methods still answer (also inside a batch).
        let batch = call_with(
            r#"[{"id":1,"method":"eth_blockNumber"},{"id":2,"method":"evm_mine"}]"#,
            plain,
        );
        assert_eq!(batch[0]["result"], "0x0");
        assert_eq!(batch[1]["error"]["code"], -32601);
        // The default serves them.
        assert!(call_with(mine, Options::default())["error"].is_null());
        assert_eq!(node.lock().unwrap().block_number(), 5);

        // Over HTTP, through `spawn_with`.
        let server = spawn_with(Node::new(), "127.0.0.1:0", plain).unwrap();
        let post = |body: &str| -> Value {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(server.addr).unwrap();
            write!(
                s,
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            serde_json::from_str(out.split("\r\n\r\n").nth(1).unwrap()).unwrap()
        };
        assert_eq!(post(mine)["error"]["code"], -32601);
        assert_eq!(
            post(r#"{"id":1,"method":"eth_chainId"}"#)["result"],
            format!("{:#x}", crate::node::CHAIN_ID)
        );
    }
}
