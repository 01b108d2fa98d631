//! Devnode throughput benchmark (numbers for the bench table, never asserted by tests): cold start,
//! Stylus ERC-20 transfers per second in-process and over JSON-RPC.

use std::time::{Duration, Instant};

use alloy::eips::eip2718::Encodable2718;
use alloy::network::{EthereumWallet, NetworkTransactionBuilder, TransactionBuilder};
use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy_sol_types::{sol, SolCall};
use anyhow::{anyhow, Context, Result};
use ferrostake_devnode::arbos::{ArbWasm, ARB_WASM};
use ferrostake_devnode::node::{Node, TxRequest, BASE_FEE, CHAIN_ID, DEV_ADDRESS, DEV_KEY};
use ferrostake_devnode::stylus::program::{compress, deploy_init_code};

sol! {
    interface BenchToken {
        function mint(address to, uint256 amount) external;
        function transfer(address to, uint256 value) external returns (bool);
    }
}

/// One measured row.
#[derive(Debug, Clone)]
pub struct Row {
    pub what: String,
    pub value: String,
}

fn send(
    node: &mut Node,
    to: Option<Address>,
    input: Vec<u8>,
    value: U256,
) -> Result<ferrostake_devnode::node::TxRecord> {
    let h = node
        .send_transaction(TxRequest {
            from: Some(DEV_ADDRESS),
            to,
            input: input.into(),
            value: Some(value),
            gas: Some(30_000_000),
            ..Default::default()
        })
        .map_err(|e| anyhow!("{e}"))?;
    node.transaction(h).cloned().context("mined")
}

/// Deploys and activates `wasm` in-process; returns its address.
pub fn deploy_program(node: &mut Node, wasm: &[u8]) -> Result<Address> {
    let tx = send(node, None, deploy_init_code(&compress(wasm)), U256::ZERO)?;
    let addr = tx.contract_address.context("no contract address")?;
    let act = send(
        node,
        Some(ARB_WASM),
        ArbWasm::activateProgramCall { program: addr }.abi_encode(),
        U256::from(10u64).pow(U256::from(17)),
    )?;
    if !act.status {
        return Err(anyhow!("activation failed"));
    }
    Ok(addr)
}

/// Runs the benchmark with the test token's WASM; `n` transfers per measurement.
pub fn run(erc20_wasm: &[u8], n: usize) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let t = Instant::now();
    let node = Node::new();
    rows.push(Row {
        what: "cold start (in-process chain)".into(),
        value: fmt_dur(t.elapsed()),
    });
    let t = Instant::now();
    let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0")?;
    rows.push(Row {
        what: "cold start (JSON-RPC server listening)".into(),
        value: fmt_dur(t.elapsed()),
    });
    drop(server);

    // In-process.
    let mut node = node;
    let token = deploy_program(&mut node, erc20_wasm)?;
    send(
        &mut node,
        Some(token),
        BenchToken::mintCall {
            to: DEV_ADDRESS,
            amount: U256::from(u64::MAX),
        }
        .abi_encode(),
        U256::ZERO,
    )?;
    let t = Instant::now();
    let mut gas = 0;
    for i in 0..n {
        let to = Address::with_last_byte((i % 200) as u8 + 1);
        let tx = send(
            &mut node,
            Some(token),
            BenchToken::transferCall {
                to,
                value: U256::from(1),
            }
            .abi_encode(),
            U256::ZERO,
        )?;
        gas = tx.gas_used;
    }
    let el = t.elapsed();
    rows.push(Row {
        what: "Stylus ERC-20 transfers/s, in-process".into(),
        value: format!("{:.0}", n as f64 / el.as_secs_f64()),
    });
    rows.push(Row {
        what: "gas of one Stylus ERC-20 transfer (warm)".into(),
        value: gas.to_string(),
    });

    // Over JSON-RPC, signed raw transactions.
    let server = ferrostake_devnode::rpc::spawn(Node::new(), "127.0.0.1:0")?;
    let url = server.url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tps = rt.block_on(async move {
        let signer: PrivateKeySigner = DEV_KEY.parse()?;
        let wallet = EthereumWallet::from(signer);
        let provider = ProviderBuilder::new()
            .wallet(wallet.clone())
            .connect_http(url.parse()?);
        let rec = provider
            .send_transaction(
                TransactionRequest::default()
                    .with_deploy_code(Bytes::from(deploy_init_code(&compress(erc20_wasm)))),
            )
            .await?
            .get_receipt()
            .await?;
        let token = rec.contract_address.context("no address")?;
        let call = ArbWasm::activateProgramCall { program: token }.abi_encode();
        provider
            .send_transaction(
                TransactionRequest::default()
                    .with_to(ARB_WASM)
                    .with_input(call)
                    .with_value(U256::from(10u64).pow(U256::from(17))),
            )
            .await?
            .get_receipt()
            .await?;
        provider
            .send_transaction(
                TransactionRequest::default().with_to(token).with_input(
                    BenchToken::mintCall {
                        to: DEV_ADDRESS,
                        amount: U256::from(u64::MAX),
                    }
                    .abi_encode(),
                ),
            )
            .await?
            .get_receipt()
            .await?;
        let mut nonce = provider.get_transaction_count(DEV_ADDRESS).await?;
        let mut raws = Vec::with_capacity(n);
        for i in 0..n {
            let to = Address::with_last_byte((i % 200) as u8 + 1);
            let tx = TransactionRequest::default()
                .with_to(token)
                .with_input(
                    BenchToken::transferCall {
                        to,
                        value: U256::from(1),
                    }
                    .abi_encode(),
                )
                .with_nonce(nonce)
                .with_chain_id(CHAIN_ID)
                .with_gas_limit(200_000)
                .with_max_fee_per_gas(BASE_FEE as u128)
                .with_max_priority_fee_per_gas(0);
            nonce += 1;
            raws.push(tx.build(&wallet).await?.encoded_2718());
        }
        let t = Instant::now();
        for raw in &raws {
            let _ = provider.send_raw_transaction(raw).await?;
        }
        anyhow::Ok(n as f64 / t.elapsed().as_secs_f64())
    })?;
    rows.push(Row {
        what: "Stylus ERC-20 transfers/s, JSON-RPC (signed raw txs)".into(),
        value: format!("{tps:.0}"),
    });
    Ok(rows)
}

fn fmt_dur(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
