//! Talking to a chain: one signer, one JSON-RPC endpoint, the few operations a deployment needs
//! (deploy code, activate a Stylus program, send a call, read). Every failure becomes a
//! [`DeployError`] naming the step and the cause in one line.

use std::time::Duration;

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{keccak256, Address, Bytes, TxKind, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol,
    sol_types::{SolCall, SolInterface},
};

use crate::program::{compress_program, deploy_init_code, ProgramSize};

sol! {
    #[derive(Debug)]
    /// Arbitrum's ArbWasm precompile (0x71): activation and program status.
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
}

/// The ArbWasm precompile's address.
pub const ARB_WASM: Address = Address::new([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x71,
]);

/// How long to wait for a receipt before giving up.
const RECEIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// A failed deployment step: which step, and why, in one line.
#[derive(Debug, thiserror::Error)]
#[error("{step}: {cause}")]
pub struct DeployError {
    /// What was being done ("activate strategy_manager", "connect", …).
    pub step: String,
    /// Why it failed.
    pub cause: String,
}

impl DeployError {
    /// An error in `step` caused by `cause`.
    pub fn new(step: impl Into<String>, cause: impl std::fmt::Display) -> Self {
        Self {
            step: step.into(),
            cause: one_line(&cause.to_string()),
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Result of a state-changing transaction.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The transaction hash.
    pub tx_hash: B256,
    /// Gas the receipt reports.
    pub gas_used: u64,
    /// The deployed contract, for a creation.
    pub contract_address: Option<Address>,
    /// The receipt.
    pub receipt: TransactionReceipt,
}

/// A deployed and activated Stylus program.
#[derive(Clone, Debug)]
pub struct DeployedProgram {
    /// Where the program's code lives.
    pub address: Address,
    /// `keccak256` of the on-chain code (prefix + brotli).
    pub code_hash: B256,
    /// Raw and compressed size.
    pub size: ProgramSize,
    /// Stylus version the program was activated at.
    pub stylus_version: u16,
    /// Data fee paid at activation (zero when it was already active).
    pub data_fee: U256,
    /// Gas of the deployment and activation transactions (zero when skipped).
    pub gas_used: u64,
}

/// One signer on one endpoint.
#[derive(Clone)]
pub struct Chain {
    provider: DynProvider,
    sender: Address,
    chain_id: u64,
    rpc_url: String,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("rpc_url", &self.rpc_url)
            .field("sender", &self.sender)
            .field("chain_id", &self.chain_id)
            .finish()
    }
}

impl Chain {
    /// Connects to `rpc_url` with `private_key` (hex, with or without `0x`), checks the endpoint
    /// answers and, when `expected_chain_id` is given, that it is that chain.
    pub async fn connect(
        rpc_url: &str,
        private_key: &str,
        expected_chain_id: Option<u64>,
    ) -> Result<Self, DeployError> {
        let signer: PrivateKeySigner = private_key
            .trim()
            .trim_start_matches("0x")
            .parse()
            .map_err(|_| DeployError::new("load key", "the private key is not 32 bytes of hex"))?;
        let url = rpc_url.parse().map_err(|e| {
            DeployError::new("connect", format!("invalid RPC URL {rpc_url:?}: {e}"))
        })?;
        let sender = signer.address();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(url)
            .erased();
        let chain_id = provider
            .get_chain_id()
            .await
            .map_err(|e| DeployError::new("connect", format!("cannot reach {rpc_url}: {e}")))?;
        if let Some(expected) = expected_chain_id {
            if expected != chain_id {
                return Err(DeployError::new(
                    "connect",
                    format!(
                        "{rpc_url} is chain {chain_id}, the configuration expects chain {expected}"
                    ),
                ));
            }
        }
        Ok(Self {
            provider,
            sender,
            chain_id,
            rpc_url: rpc_url.to_string(),
        })
    }

    /// The signer's address.
    pub fn sender(&self) -> Address {
        self.sender
    }

    /// The endpoint's chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The endpoint URL.
    pub fn rpc_url(&self) -> &str {
        &self.rpc_url
    }

    /// The underlying provider, for reads this module does not wrap.
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The signer's balance.
    pub async fn balance(&self) -> Result<U256, DeployError> {
        self.provider
            .get_balance(self.sender)
            .await
            .map_err(|e| DeployError::new("read balance", e))
    }

    /// Fails with a clear message when the signer has no funds at all.
    pub async fn require_funds(&self) -> Result<(), DeployError> {
        let balance = self.balance().await?;
        if balance.is_zero() {
            return Err(DeployError::new(
                "check funds",
                format!(
                    "{} has no ETH on chain {}; fund it first",
                    self.sender, self.chain_id
                ),
            ));
        }
        Ok(())
    }

    /// Sends `tx` from the signer and waits for a successful receipt.
    pub async fn send(&self, step: &str, tx: TransactionRequest) -> Result<Sent, DeployError> {
        let tx = tx.with_from(self.sender);
        let pending = self.provider.send_transaction(tx).await.map_err(|e| {
            let msg = e.to_string();
            if msg.contains("insufficient funds") {
                DeployError::new(
                    step,
                    format!("{} cannot pay for the transaction: {msg}", self.sender),
                )
            } else {
                DeployError::new(step, revert_reason(&msg))
            }
        })?;
        let tx_hash = *pending.tx_hash();
        let receipt = pending
            .with_timeout(Some(RECEIPT_TIMEOUT))
            .get_receipt()
            .await
            .map_err(|e| DeployError::new(step, format!("no receipt for {tx_hash}: {e}")))?;
        if !receipt.status() {
            return Err(DeployError::new(
                step,
                format!("transaction {tx_hash} reverted"),
            ));
        }
        Ok(Sent {
            tx_hash,
            gas_used: receipt.gas_used,
            contract_address: receipt.contract_address,
            receipt,
        })
    }

    /// Deploys `init_code` with a CREATE transaction and returns the new address.
    pub async fn deploy_code(&self, step: &str, init_code: Vec<u8>) -> Result<Sent, DeployError> {
        let tx = TransactionRequest::default().with_deploy_code(Bytes::from(init_code));
        let sent = self.send(step, tx).await?;
        if sent.contract_address.is_none() {
            return Err(DeployError::new(
                step,
                "the receipt names no contract address",
            ));
        }
        Ok(sent)
    }

    /// Calls `to` with `data` (no transaction) and returns the output.
    pub async fn call(&self, step: &str, to: Address, data: Vec<u8>) -> Result<Bytes, DeployError> {
        let tx = TransactionRequest::default()
            .with_from(self.sender)
            .with_to(to)
            .with_input(Bytes::from(data));
        self.provider
            .call(tx)
            .await
            .map_err(|e| DeployError::new(step, revert_reason(&e.to_string())))
    }

    /// Sends a typed call to `to`.
    pub async fn send_call<C: SolCall>(
        &self,
        step: &str,
        to: Address,
        call: &C,
    ) -> Result<Sent, DeployError> {
        let tx = TransactionRequest::default()
            .with_to(to)
            .with_input(Bytes::from(call.abi_encode()));
        self.send(step, tx).await
    }

    /// Reads a typed view of `to`.
    pub async fn view<C: SolCall>(
        &self,
        step: &str,
        to: Address,
        call: &C,
    ) -> Result<C::Return, DeployError> {
        let out = self.call(step, to, call.abi_encode()).await?;
        C::abi_decode_returns(&out)
            .map_err(|e| DeployError::new(step, format!("undecodable return: {e}")))
    }

    /// The code at `address`.
    pub async fn code_at(&self, address: Address) -> Result<Bytes, DeployError> {
        self.provider
            .get_code_at(address)
            .await
            .map_err(|e| DeployError::new(format!("read code at {address}"), e))
    }

    /// The Stylus version a code hash is activated at, or `None` when it is not active.
    pub async fn activated_version(&self, code_hash: B256) -> Result<Option<u16>, DeployError> {
        let data = ArbWasm::codehashVersionCall {
            codehash: code_hash,
        }
        .abi_encode();
        let tx = TransactionRequest::default()
            .with_to(ARB_WASM)
            .with_input(Bytes::from(data));
        match self.provider.call(tx).await {
            Ok(out) => ArbWasm::codehashVersionCall::abi_decode_returns(&out)
                .map(Some)
                .map_err(|e| {
                    DeployError::new("read program status", format!("undecodable return: {e}"))
                }),
            Err(e) => {
                let data = e.as_error_resp().and_then(|r| r.as_revert_data());
                match data
                    .as_deref()
                    .map(|d| ArbWasm::ArbWasmErrors::abi_decode(d))
                {
                    Some(Ok(ArbWasm::ArbWasmErrors::ProgramNotActivated(_)))
                    | Some(Ok(ArbWasm::ArbWasmErrors::ProgramNeedsUpgrade(_)))
                    | Some(Ok(ArbWasm::ArbWasmErrors::ProgramExpired(_))) => Ok(None),
                    _ => Err(DeployError::new(
                        "read program status",
                        format!(
                            "ArbWasm (0x71) answered unexpectedly: {e}; is this a Stylus chain?"
                        ),
                    )),
                }
            }
        }
    }

    /// Deploys `wasm` as a Stylus program and activates it, paying the data fee. Skips the
    /// deployment when `existing` already holds the same code, and the activation when the code
    /// hash is already active (re-running a deployment is idempotent).
    pub async fn deploy_program(
        &self,
        name: &str,
        wasm: &[u8],
        existing: Option<Address>,
    ) -> Result<DeployedProgram, DeployError> {
        let code = compress_program(wasm);
        let size = ProgramSize::measure(wasm);
        if !size.fits() {
            return Err(DeployError::new(
                format!("deploy {name}"),
                format!(
                    "{} compressed bytes exceed the 24,576-byte limit",
                    size.compressed
                ),
            ));
        }
        let code_hash = keccak256(&code);
        let mut gas_used = 0;
        let address = match existing {
            Some(address) if keccak256(self.code_at(address).await?) == code_hash => address,
            _ => {
                let sent = self
                    .deploy_code(&format!("deploy {name}"), deploy_init_code(&code))
                    .await?;
                gas_used += sent.gas_used;
                sent.contract_address.unwrap_or_default()
            }
        };
        if let Some(version) = self.activated_version(code_hash).await? {
            return Ok(DeployedProgram {
                address,
                code_hash,
                size,
                stylus_version: version,
                data_fee: U256::ZERO,
                gas_used,
            });
        }
        let step = format!("activate {name}");
        // Ask for the fee with a dry run carrying ample value, then pay it with a 20% margin as
        // cargo-stylus does; ArbWasm refunds what it does not use.
        let activate = ArbWasm::activateProgramCall { program: address }.abi_encode();
        let probe = TransactionRequest::default()
            .with_from(self.sender)
            .with_to(ARB_WASM)
            .with_input(Bytes::from(activate.clone()))
            .with_value(U256::from(10u64).pow(U256::from(18u64)));
        let out = self.provider.call(probe).await.map_err(|e| {
            DeployError::new(
                &step,
                activation_error(
                    &e.to_string(),
                    e.as_error_resp().and_then(|r| r.as_revert_data()),
                ),
            )
        })?;
        let quote = ArbWasm::activateProgramCall::abi_decode_returns(&out)
            .map_err(|e| DeployError::new(&step, format!("undecodable return: {e}")))?;
        let fee = quote.dataFee + quote.dataFee / U256::from(5u64);
        let tx = TransactionRequest::default()
            .with_to(ARB_WASM)
            .with_input(Bytes::from(activate))
            .with_value(fee);
        let sent = self.send(&step, tx).await?;
        gas_used += sent.gas_used;
        Ok(DeployedProgram {
            address,
            code_hash,
            size,
            stylus_version: quote.version,
            data_fee: quote.dataFee,
            gas_used,
        })
    }

    /// A transaction request calling `to` with `data`.
    pub fn call_request(to: Address, data: Vec<u8>) -> TransactionRequest {
        TransactionRequest::default()
            .with_kind(TxKind::Call(to))
            .with_input(Bytes::from(data))
    }
}

/// Extracts the useful part of a JSON-RPC error message.
fn revert_reason(msg: &str) -> String {
    one_line(msg)
}

fn activation_error(msg: &str, revert: Option<Bytes>) -> String {
    match revert
        .as_deref()
        .map(|d| ArbWasm::ArbWasmErrors::abi_decode(d))
    {
        Some(Ok(ArbWasm::ArbWasmErrors::ProgramNotWasm(_))) => {
            "ArbWasm: the code is not a valid Stylus program (ProgramNotWasm)".into()
        }
        Some(Ok(ArbWasm::ArbWasmErrors::ProgramUpToDate(_))) => {
            "ArbWasm: already activated (ProgramUpToDate)".into()
        }
        Some(Ok(ArbWasm::ArbWasmErrors::ProgramInsufficientValue(v))) => {
            format!(
                "ArbWasm: data fee {} wei exceeds the value sent {} wei",
                v.want, v.have
            )
        }
        Some(Ok(other)) => format!(
            "ArbWasm refused activation (error selector 0x{})",
            hex::encode(other.selector())
        ),
        _ => one_line(msg),
    }
}
