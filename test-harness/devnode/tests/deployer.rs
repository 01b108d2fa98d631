//! The devnode as a drop-in for nitro-devnode: the StylusDeployer and the CREATE2 factory at
//! their well-known addresses from genesis, driven by plain alloy transactions over JSON-RPC, and
//! errors in geth's shapes. Expected addresses come from the CREATE/CREATE2 formulas and the
//! deployer's documented salt (`keccak256(salt ++ initData)`), expected balances from the fees
//! the receipts and events report.

mod common;

use std::collections::BTreeMap;

use alloy::network::{EthereumWallet, NetworkTransactionBuilder, TransactionBuilder};
use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolError, SolEvent, SolValue};
use common::{artifact, evm_init, runtime};
use ferrostake_devnode::node::{Node, DEV_ADDRESS, DEV_KEY};
use ferrostake_devnode::rpc;
use ferrostake_devnode::stylus::program::{compress, deploy_init_code};

sol! {
    #[sol(rpc)]
    interface StylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
        error ContractInitializationError(address newContract, bytes data);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }
    #[sol(rpc)]
    interface Constructed {
        function owner() external view returns (address);
        function seed() external view returns (uint256);
        function endowment() external view returns (uint256);
        error ZeroOwner();
    }
    interface ArbWasm {
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
    }
}

const DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
const FACTORY: Address = address!("4e59b44847b379578588920ca78fbf26c0b4956c");
const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");

/// The test program's deployment code (cargo-stylus's init-code prelude + compressed WASM).
fn constructed_code() -> Bytes {
    let wasm = artifact("ferrostake_test_constructed");
    deploy_init_code(&compress(&wasm)).into()
}

/// The SDK's constructor call: `stylus_constructor()`'s selector, then the ABI-encoded arguments.
fn constructor_call(owner: Address, seed: u64) -> Bytes {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend((owner, U256::from(seed)).abi_encode_params());
    data.into()
}

/// CREATE2's address: `keccak256(0xff ++ deployer ++ salt ++ keccak256(init_code))[12..]`.
fn create2_address(deployer: Address, salt: B256, init_code: &[u8]) -> Address {
    let mut buf = vec![0xff];
    buf.extend_from_slice(deployer.as_slice());
    buf.extend_from_slice(salt.as_slice());
    buf.extend_from_slice(keccak256(init_code).as_slice());
    Address::from_slice(&keccak256(buf)[12..])
}

/// The data fee of the activation a receipt holds, if any (from ArbWasm's event).
fn activation_fee(rec: &TransactionReceipt) -> Option<U256> {
    rec.inner.logs().iter().find_map(|l| {
        (l.address() == ARB_WASM)
            .then(|| ArbWasm::ProgramActivated::decode_log_data(l.data()).ok())
            .flatten()
            .map(|e| e.dataFee)
    })
}

fn deployed_address(rec: &TransactionReceipt) -> Address {
    let log = rec
        .inner
        .logs()
        .iter()
        .find(|l| l.address() == DEPLOYER)
        .expect("ContractDeployed log");
    StylusDeployer::ContractDeployed::decode_log_data(log.data())
        .expect("decodes")
        .deployedContract
}

fn deploy_input(code: &Bytes, init: Bytes, init_value: U256, salt: B256) -> Bytes {
    StylusDeployer::deployCall {
        bytecode: code.clone(),
        initData: init,
        initValue: init_value,
        salt,
    }
    .abi_encode()
    .into()
}

#[test]
fn the_deployer_and_the_factory_are_there_at_genesis() {
    let node = Node::new();
    assert!(!node.code(DEPLOYER).is_empty(), "StylusDeployer has code");
    assert!(!node.code(FACTORY).is_empty(), "CREATE2 factory has code");
}

#[test]
fn a_plain_alloy_transaction_deploys_activates_and_constructs_a_program() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let provider = dev_provider(&url);
        let code = constructed_code();
        let init_value = U256::from(5u8);
        let sent = U256::from(10u64).pow(U256::from(17)) + init_value;
        let nonce = provider.get_transaction_count(DEPLOYER).await.unwrap();
        let before = provider.get_balance(DEV_ADDRESS).await.unwrap();
        let rec = mined(
            &provider,
            TransactionRequest::default()
                .with_to(DEPLOYER)
                .with_input(deploy_input(
                    &code,
                    constructor_call(ALICE, 42),
                    init_value,
                    B256::ZERO,
                ))
                .with_value(sent),
        )
        .await;
        assert!(rec.status(), "deployment succeeded");
        // CREATE from the deployer: the address of its current nonce.
        let program = deployed_address(&rec);
        assert_eq!(program, DEPLOYER.create(nonce));
        let fee = activation_fee(&rec).expect("activated in the same transaction");
        assert!(!fee.is_zero());

        // The constructor's arguments and value landed.
        let c = Constructed::new(program, &provider);
        assert_eq!(c.owner().call().await.unwrap(), ALICE);
        assert_eq!(c.seed().call().await.unwrap(), U256::from(42u8));
        assert_eq!(c.endowment().call().await.unwrap(), init_value);
        assert_eq!(provider.get_balance(program).await.unwrap(), init_value);
        // The sender paid gas, the data fee and the init value; the rest came back.
        let after = provider.get_balance(DEV_ADDRESS).await.unwrap();
        let gas = U256::from(rec.gas_used) * U256::from(rec.effective_gas_price);
        assert_eq!(before - after, gas + fee + init_value);
        assert_eq!(provider.get_balance(DEPLOYER).await.unwrap(), U256::ZERO);
        // A second deployment of the same code needs no activation: no fee is taken.
        let before = provider.get_balance(DEV_ADDRESS).await.unwrap();
        let rec = mined(
            &provider,
            TransactionRequest::default()
                .with_to(DEPLOYER)
                .with_input(deploy_input(
                    &code,
                    constructor_call(ALICE, 43),
                    U256::ZERO,
                    B256::ZERO,
                ))
                .with_value(sent),
        )
        .await;
        assert!(rec.status());
        assert_eq!(activation_fee(&rec), None);
        let after = provider.get_balance(DEV_ADDRESS).await.unwrap();
        let gas = U256::from(rec.gas_used) * U256::from(rec.effective_gas_price);
        assert_eq!(before - after, gas);
        let second = Constructed::new(deployed_address(&rec), &provider);
        assert_eq!(second.seed().call().await.unwrap(), U256::from(43u8));
    });
}

#[test]
fn a_salted_deployment_lands_at_the_create2_address() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let provider = dev_provider(&url);
        let code = constructed_code();
        let salt = B256::with_last_byte(7);
        let init = constructor_call(ALICE, 1);
        // The deployer binds the salt to the init data: keccak256(salt ++ initData).
        let mut bound = salt.to_vec();
        bound.extend_from_slice(&init);
        let expected = create2_address(DEPLOYER, keccak256(bound), &code);
        let input = deploy_input(&code, init, U256::ZERO, salt);
        let tx = TransactionRequest::default()
            .with_to(DEPLOYER)
            .with_input(input.clone())
            .with_value(U256::from(10u64).pow(U256::from(17)));
        // eth_call answers the address before the deployment.
        let out = provider.call(tx.clone()).await.unwrap();
        assert_eq!(Address::abi_decode(&out).unwrap(), expected);
        let rec = mined(&provider, tx.clone()).await;
        assert!(rec.status());
        assert_eq!(deployed_address(&rec), expected);
        let c = Constructed::new(expected, &provider);
        assert_eq!(c.seed().call().await.unwrap(), U256::from(1u8));
        // The same salt and init data again collide: the create fails and the deployer reverts.
        let err = provider.call(tx).await.unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(resp.code, 3);
        let data = resp.as_revert_data().expect("revert data");
        assert_eq!(data[..4], keccak256("ContractDeploymentError(bytes)")[..4]);
    });
}

#[test]
fn a_reverting_constructor_surfaces_its_error_and_changes_nothing() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    let node = server.node.clone();
    runtime().block_on(async move {
        let provider = dev_provider(&url);
        let code = constructed_code();
        let nonce = provider.get_transaction_count(DEPLOYER).await.unwrap();
        let tx = TransactionRequest::default()
            .with_to(DEPLOYER)
            .with_input(deploy_input(
                &code,
                constructor_call(Address::ZERO, 1),
                U256::ZERO,
                B256::ZERO,
            ))
            .with_value(U256::from(10u64).pow(U256::from(17)))
            .with_gas_limit(20_000_000);
        // eth_call: code 3 with the deployer's error wrapping the constructor's.
        let err = provider.call(tx.clone()).await.unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(resp.code, 3);
        assert_eq!(resp.message, "execution reverted");
        let data = resp.as_revert_data().expect("revert data");
        let e = StylusDeployer::ContractInitializationError::abi_decode(&data).unwrap();
        assert_eq!(e.newContract, DEPLOYER.create(nonce));
        assert_eq!(&e.data[..], &Constructed::ZeroOwner::SELECTOR[..]);

        // Sent: the transaction fails and nothing but the gas payment (the sender's balance and
        // nonce, the block beneficiary's tip) moves. Accounts the failed run only looked at stay
        // empty, which is the same as absent (EIP-161).
        let empty_code = keccak256([]);
        let without_sender = |d: BTreeMap<Address, (U256, u64, B256, BTreeMap<U256, U256>)>| {
            d.into_iter()
                .filter(|(a, _)| *a != DEV_ADDRESS && *a != Address::ZERO)
                .filter(|(_, (bal, nonce, code, storage))| {
                    !(bal.is_zero() && *nonce == 0 && *code == empty_code && storage.is_empty())
                })
                .collect::<BTreeMap<_, _>>()
        };
        let before = without_sender(node.lock().unwrap().state_dump());
        let rec = mined(&provider, tx).await;
        assert!(!rec.status());
        let after = without_sender(node.lock().unwrap().state_dump());
        assert_eq!(before, after);
        assert!(provider
            .get_code_at(DEPLOYER.create(nonce))
            .await
            .unwrap()
            .is_empty());
    });
}

#[test]
fn the_deployer_refuses_what_its_documentation_refuses() {
    let node = Node::new();
    let code = constructed_code();
    let call = |input: Bytes, value: U256| {
        node.call(
            &ferrostake_devnode::node::TxRequest {
                from: Some(DEV_ADDRESS),
                to: Some(DEPLOYER),
                input,
                value: Some(value),
                ..Default::default()
            },
            &Default::default(),
        )
    };
    let revert_data = |r: Result<Bytes, ferrostake_devnode::node::NodeError>| match r {
        Err(ferrostake_devnode::node::NodeError::Reverted { data, .. }) => data,
        other => panic!("expected a revert, got {other:?}"),
    };
    let empty = deploy_input(&Bytes::new(), Bytes::new(), U256::ZERO, B256::ZERO);
    assert_eq!(
        revert_data(call(empty, U256::ZERO)),
        Bytes::from(StylusDeployer::EmptyBytecode {}.abi_encode())
    );
    let no_init = deploy_input(&code, Bytes::new(), U256::from(1u8), B256::ZERO);
    assert_eq!(
        revert_data(call(no_init, U256::from(10u64).pow(U256::from(17)))),
        Bytes::from(StylusDeployer::InitValueButNotInitData {}.abi_encode())
    );
    // Less value than the init value: Solidity's checked subtraction panics (0x11).
    let short = deploy_input(
        &code,
        constructor_call(ALICE, 1),
        U256::from(2u8),
        B256::ZERO,
    );
    let data = revert_data(call(short, U256::from(1u8)));
    assert_eq!(data[..4], keccak256("Panic(uint256)")[..4]);
    assert_eq!(U256::from_be_slice(&data[4..]), U256::from(0x11u8));
}

#[test]
fn the_create2_factory_deploys_at_the_create2_address() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let provider = dev_provider(&url);
        // Init code returning the one-byte runtime 0x2a (PUSH1 2a PUSH1 0 MSTORE8 PUSH1 1
        // PUSH1 0 RETURN).
        let init = Bytes::from(vec![
            0x60, 0x2a, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3,
        ]);
        let salt = B256::with_last_byte(1);
        let expected = create2_address(FACTORY, salt, &init);
        let mut input = salt.to_vec();
        input.extend_from_slice(&init);
        let tx = TransactionRequest::default()
            .with_to(FACTORY)
            .with_input(Bytes::from(input));
        let out = provider.call(tx.clone()).await.unwrap();
        assert_eq!(out.len(), 20, "the factory returns the bare address");
        assert_eq!(Address::from_slice(&out), expected);
        let rec = mined(&provider, tx.clone()).await;
        assert!(rec.status());
        assert_eq!(
            provider.get_code_at(expected).await.unwrap(),
            Bytes::from(vec![0x2a])
        );
        // Init code that reverts with data: the factory reverts with the same data.
        let reverting = Bytes::from(vec![
            0x60, 0xab, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xfd,
        ]);
        let mut input = salt.to_vec();
        input.extend_from_slice(&reverting);
        let err = provider
            .call(
                TransactionRequest::default()
                    .with_to(FACTORY)
                    .with_input(Bytes::from(input)),
            )
            .await
            .unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(resp.code, 3);
        assert_eq!(resp.as_revert_data().unwrap(), Bytes::from(vec![0xab]));
    });
}

#[test]
fn errors_take_geths_shapes() {
    let server = rpc::spawn(Node::new(), "127.0.0.1:0").unwrap();
    let url = server.url();
    runtime().block_on(async move {
        let signer: PrivateKeySigner = DEV_KEY.parse().unwrap();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer.clone()))
            .connect_http(url.parse().unwrap());

        // A revert without data: -32000 "execution reverted", no data field.
        let err = provider
            .call(
                TransactionRequest::default()
                    .with_to(DEPLOYER)
                    .with_input(Bytes::from(vec![1, 2, 3, 4])),
            )
            .await
            .unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(
            (resp.code, resp.message.as_ref()),
            (-32000, "execution reverted")
        );
        assert!(resp.data.is_none());

        // A revert with Error(string): code 3, the reason in the message, the bytes in data.
        // Runtime: store "Error(string)" revert data for "no" and revert it.
        let reason = alloy::sol_types::Revert::from("no").abi_encode();
        let mut runtime = Vec::new();
        for (i, chunk) in reason.chunks(32).enumerate() {
            let mut word = [0u8; 32];
            word[..chunk.len()].copy_from_slice(chunk);
            runtime.push(0x7f); // PUSH32
            runtime.extend_from_slice(&word);
            runtime.extend_from_slice(&[0x60, (i * 32) as u8, 0x52]); // PUSH1 off MSTORE
        }
        runtime.extend_from_slice(&[0x60, reason.len() as u8, 0x60, 0x00, 0xfd]);
        let reverter = deploy_runtime(&provider, &runtime).await;
        let err = provider
            .call(TransactionRequest::default().with_to(reverter))
            .await
            .unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(
            (resp.code, resp.message.as_ref()),
            (3, "execution reverted: no")
        );
        assert_eq!(resp.as_revert_data().unwrap(), Bytes::from(reason));

        // Out of gas in eth_call.
        let looping = deploy_runtime(&provider, &[0x5b, 0x60, 0x00, 0x56]).await; // JUMPDEST; JUMP 0
        let err = provider
            .call(
                TransactionRequest::default()
                    .with_to(looping)
                    .with_gas_limit(50_000),
            )
            .await
            .unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!((resp.code, resp.message.as_ref()), (-32000, "out of gas"));
        // ... and in eth_estimateGas.
        let err = provider
            .estimate_gas(TransactionRequest::default().with_to(looping))
            .await
            .unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(resp.code, -32000);
        assert!(
            resp.message.starts_with("gas required exceeds allowance"),
            "{}",
            resp.message
        );

        // Unknown block.
        let err = provider
            .get_balance(DEV_ADDRESS)
            .number(1_000_000)
            .await
            .unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(
            (resp.code, resp.message.as_ref()),
            (-32000, "header not found")
        );

        // Invalid params.
        let err = provider
            .raw_request::<_, serde_json::Value>("eth_getBalance".into(), ("0x12",))
            .await
            .unwrap_err();
        assert_eq!(err.as_error_resp().expect("a JSON-RPC error").code, -32602);

        // Nonce too low: a signed transaction reusing nonce 0.
        let nonce_now = provider.get_transaction_count(DEV_ADDRESS).await.unwrap();
        assert!(nonce_now > 0);
        let wallet = EthereumWallet::from(signer);
        let raw = signed_nonce_zero_transfer(&wallet).await;
        let err = provider.send_raw_transaction(&raw).await.unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(resp.code, -32000);
        assert_eq!(
            resp.message,
            format!("nonce too low: address {DEV_ADDRESS}, tx: 0 state: {nonce_now}")
        );

        // Insufficient funds: a key nobody funded.
        let poor = PrivateKeySigner::random();
        let poor_addr = poor.address();
        let raw = signed_nonce_zero_transfer(&EthereumWallet::from(poor)).await;
        let err = provider.send_raw_transaction(&raw).await.unwrap_err();
        let resp = err.as_error_resp().expect("a JSON-RPC error");
        assert_eq!(resp.code, -32000);
        // want = gas limit × max fee per gas (geth's buyGas check).
        assert_eq!(
            resp.message,
            format!(
                "insufficient funds for gas * price + value: address {poor_addr} have 0 want {}",
                21_000u64 * 1_000_000_000
            )
        );
    });
}

/// Deploys `runtime` as is; returns its address.
async fn deploy_runtime<P: Provider>(provider: &P, runtime: &[u8]) -> Address {
    mined(
        provider,
        TransactionRequest::default().with_deploy_code(Bytes::from(evm_init(runtime))),
    )
    .await
    .contract_address
    .expect("created")
}

/// Sends `tx` and waits for its receipt.
async fn mined<P: Provider>(provider: &P, tx: TransactionRequest) -> TransactionReceipt {
    provider
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap()
}

/// An alloy provider on `url` signing with the dev key.
fn dev_provider(url: &str) -> impl Provider {
    let signer: PrivateKeySigner = DEV_KEY.parse().unwrap();
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(url.parse().unwrap())
}

/// A signed transfer to Alice with nonce 0, 21,000 gas at 1 gwei (raw EIP-2718 bytes).
async fn signed_nonce_zero_transfer(wallet: &EthereumWallet) -> Vec<u8> {
    let tx = TransactionRequest::default()
        .with_to(ALICE)
        .with_nonce(0)
        .with_chain_id(412_346)
        .with_gas_limit(21_000)
        .with_max_fee_per_gas(1_000_000_000)
        .with_max_priority_fee_per_gas(0)
        .build(wallet)
        .await
        .unwrap();
    alloy::eips::eip2718::Encodable2718::encoded_2718(&tx)
}
