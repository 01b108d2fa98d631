//! The ERC-1967 proxy bytecode, executed on revm: deployment with initialization, delegation,
//! the admin's upgrade and hand-over, and every refusal.
use alloy_primitives::{address, Address, Bytes, B256, U256};
use ferrostake_deploy::{
    evm_asm::{op::*, Asm},
    proxy::{self, ADMIN_SLOT, IMPLEMENTATION_SLOT},
};
use revm::{
    context::{result::ExecutionResult, TxEnv},
    database::{CacheDB, EmptyDB},
    primitives::TxKind,
    Context, DatabaseRef, ExecuteCommitEvm, MainBuilder, MainContext,
};

const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const USER: Address = address!("00000000000000000000000000000000000b0002");

struct Chain {
    db: CacheDB<EmptyDB>,
    nonces: std::collections::HashMap<Address, u64>,
}

impl Chain {
    fn new() -> Self {
        Self {
            db: CacheDB::new(EmptyDB::default()),
            nonces: Default::default(),
        }
    }

    fn tx(&mut self, from: Address, kind: TxKind, data: Vec<u8>) -> ExecutionResult {
        let nonce = self.nonces.entry(from).or_default();
        let tx = TxEnv {
            caller: from,
            kind,
            data: Bytes::from(data),
            gas_limit: 5_000_000,
            gas_price: 0,
            nonce: *nonce,
            ..Default::default()
        };
        *nonce += 1;
        let db = std::mem::replace(&mut self.db, CacheDB::new(EmptyDB::default()));
        let mut evm = Context::mainnet()
            .with_db(db)
            .modify_cfg_chained(|cfg| cfg.disable_nonce_check = true)
            .build_mainnet();
        let result = evm.transact_commit(tx).expect("valid tx");
        self.db = evm.ctx.journaled_state.database;
        result
    }

    fn deploy(&mut self, from: Address, init: Vec<u8>) -> Result<Address, ExecutionResult> {
        match self.tx(from, TxKind::Create, init) {
            r @ ExecutionResult::Success { .. } => Ok(r.created_address().expect("created")),
            other => Err(other),
        }
    }

    fn call(&mut self, from: Address, to: Address, data: Vec<u8>) -> ExecutionResult {
        self.tx(from, TxKind::Call(to), data)
    }

    fn storage(&self, at: Address, slot: B256) -> U256 {
        self.db.storage_ref(at, slot.into()).expect("in-memory db")
    }
}

fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

fn init_code_for(runtime: Vec<u8>) -> Vec<u8> {
    // CODECOPY the runtime that follows this 11-byte constructor and return it.
    let ctor = Asm::new()
        .push2(runtime.len() as u16)
        .ops(&[DUP1])
        .push2(11)
        .push(&[0])
        .ops(&[CODECOPY])
        .push(&[0])
        .ops(&[RETURN])
        .assemble();
    assert_eq!(ctor.len(), 11);
    [ctor, runtime].concat()
}

/// Implementation A: with calldata longer than 4 bytes stores its first argument in slot 0; always
/// returns slot 0 plus `bonus`. One byte of calldata makes it revert with `0xdeadbeef`.
fn counter_impl(bonus: u8) -> Vec<u8> {
    init_code_for(
        Asm::new()
            .ops(&[CALLDATASIZE])
            .push(&[1])
            .ops(&[EQ])
            .push_label("revert")
            .ops(&[JUMPI])
            .push(&[4])
            .ops(&[CALLDATASIZE, GT])
            .push_label("store")
            .ops(&[JUMPI])
            .label("ret")
            .push(&[bonus])
            .push(&[0])
            .ops(&[SLOAD, ADD])
            .push(&[0])
            .ops(&[MSTORE])
            .push(&[0x20])
            .push(&[0])
            .ops(&[RETURN])
            .label("store")
            .push(&[4])
            .ops(&[CALLDATALOAD])
            .push(&[0])
            .ops(&[SSTORE])
            .push_label("ret")
            .ops(&[JUMP])
            .label("revert")
            .push(&[0xde, 0xad, 0xbe, 0xef])
            .push(&[0xe0])
            .ops(&[0x1b]) // SHL
            .push(&[0])
            .ops(&[MSTORE])
            .push(&[4])
            .push(&[0])
            .ops(&[REVERT])
            .assemble(),
    )
}

fn set_calldata(value: u64) -> Vec<u8> {
    [vec![0x60, 0xfe, 0x47, 0xb1], word(value).to_vec()].concat()
}

fn returned_word(result: &ExecutionResult) -> U256 {
    match result {
        ExecutionResult::Success { output, .. } => U256::from_be_slice(output.data()),
        other => panic!("call failed: {other:?}"),
    }
}

fn addr_word(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

#[test]
fn deploys_initializes_and_delegates() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let proxy = chain
        .deploy(
            ADMIN,
            proxy::proxy_init_code(impl_a, ADMIN, &set_calldata(42)),
        )
        .unwrap();

    assert_eq!(chain.storage(proxy, IMPLEMENTATION_SLOT), addr_word(impl_a));
    assert_eq!(chain.storage(proxy, ADMIN_SLOT), addr_word(ADMIN));
    // The initializer ran in the proxy's storage, not the implementation's.
    assert_eq!(chain.storage(proxy, B256::ZERO), U256::from(42));
    assert_eq!(chain.storage(impl_a, B256::ZERO), U256::ZERO);
    assert_eq!(
        returned_word(&chain.call(USER, proxy, vec![])),
        U256::from(42)
    );
    // The admin reaches the implementation too for any other selector.
    assert_eq!(
        returned_word(&chain.call(ADMIN, proxy, set_calldata(7))),
        U256::from(7)
    );
}

#[test]
fn deployment_emits_erc1967_events() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let result = chain.tx(
        ADMIN,
        TxKind::Create,
        proxy::proxy_init_code(impl_a, ADMIN, &[]),
    );
    let logs = result.logs();
    let upgraded = alloy_primitives::keccak256("Upgraded(address)");
    let admin_changed = alloy_primitives::keccak256("AdminChanged(address,address)");
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0].topics()[0], upgraded);
    assert_eq!(
        logs[0].topics()[1],
        B256::left_padding_from(impl_a.as_slice())
    );
    assert_eq!(logs[1].topics()[0], admin_changed);
    assert_eq!(&logs[1].data.data[44..64], ADMIN.as_slice());
}

#[test]
fn reverting_initializer_aborts_deployment_with_its_data() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let err = chain
        .deploy(ADMIN, proxy::proxy_init_code(impl_a, ADMIN, &[0x01]))
        .unwrap_err();
    match err {
        ExecutionResult::Revert { output, .. } => {
            assert_eq!(output.as_ref(), &[0xde, 0xad, 0xbe, 0xef])
        }
        other => panic!("expected a revert, got {other:?}"),
    }
}

#[test]
fn implementation_without_code_is_refused_at_deployment() {
    let mut chain = Chain::new();
    let nothing = address!("00000000000000000000000000000000000c0003");
    assert!(chain
        .deploy(ADMIN, proxy::proxy_init_code(nothing, ADMIN, &[]))
        .is_err());
}

#[test]
fn reverts_of_the_implementation_reach_the_caller() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let proxy = chain
        .deploy(ADMIN, proxy::proxy_init_code(impl_a, ADMIN, &[]))
        .unwrap();
    match chain.call(USER, proxy, vec![0x01]) {
        ExecutionResult::Revert { output, .. } => {
            assert_eq!(output.as_ref(), &[0xde, 0xad, 0xbe, 0xef])
        }
        other => panic!("expected a revert, got {other:?}"),
    }
}

#[test]
fn admin_upgrades_keeping_storage_and_others_cannot() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let impl_b = chain.deploy(ADMIN, counter_impl(100)).unwrap();
    let proxy = chain
        .deploy(
            ADMIN,
            proxy::proxy_init_code(impl_a, ADMIN, &set_calldata(5)),
        )
        .unwrap();

    // A non-admin's upgradeToAndCall is just a call into the implementation.
    chain.call(
        USER,
        proxy,
        proxy::upgrade_to_and_call_calldata(impl_b, &[]),
    );
    assert_eq!(chain.storage(proxy, IMPLEMENTATION_SLOT), addr_word(impl_a));

    chain.call(ADMIN, proxy, set_calldata(5));
    let result = chain.call(
        ADMIN,
        proxy,
        proxy::upgrade_to_and_call_calldata(impl_b, &[]),
    );
    assert!(result.is_success(), "{result:?}");
    assert_eq!(chain.storage(proxy, IMPLEMENTATION_SLOT), addr_word(impl_b));
    // Same storage, new code.
    assert_eq!(
        returned_word(&chain.call(USER, proxy, vec![])),
        U256::from(105)
    );
}

#[test]
fn upgrade_and_call_runs_the_migration_and_bubbles_its_revert() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let impl_b = chain.deploy(ADMIN, counter_impl(100)).unwrap();
    let proxy = chain
        .deploy(ADMIN, proxy::proxy_init_code(impl_a, ADMIN, &[]))
        .unwrap();

    let failing = chain.call(
        ADMIN,
        proxy,
        proxy::upgrade_to_and_call_calldata(impl_b, &[0x01]),
    );
    assert!(matches!(failing, ExecutionResult::Revert { .. }));
    assert_eq!(
        chain.storage(proxy, IMPLEMENTATION_SLOT),
        addr_word(impl_a),
        "revert undoes the upgrade"
    );

    let ok = chain.call(
        ADMIN,
        proxy,
        proxy::upgrade_to_and_call_calldata(impl_b, &set_calldata(9)),
    );
    assert!(ok.is_success(), "{ok:?}");
    assert_eq!(chain.storage(proxy, B256::ZERO), U256::from(9));
}

#[test]
fn upgrade_to_an_address_without_code_is_refused() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let proxy = chain
        .deploy(ADMIN, proxy::proxy_init_code(impl_a, ADMIN, &[]))
        .unwrap();
    let nothing = address!("00000000000000000000000000000000000c0003");
    let result = chain.call(
        ADMIN,
        proxy,
        proxy::upgrade_to_and_call_calldata(nothing, &[]),
    );
    assert!(matches!(result, ExecutionResult::Revert { .. }));
    assert_eq!(chain.storage(proxy, IMPLEMENTATION_SLOT), addr_word(impl_a));
}

#[test]
fn admin_hands_over_and_loses_the_upgrade_right() {
    let mut chain = Chain::new();
    let impl_a = chain.deploy(ADMIN, counter_impl(0)).unwrap();
    let impl_b = chain.deploy(ADMIN, counter_impl(100)).unwrap();
    let proxy = chain
        .deploy(ADMIN, proxy::proxy_init_code(impl_a, ADMIN, &[]))
        .unwrap();

    assert!(matches!(
        chain.call(ADMIN, proxy, proxy::change_admin_calldata(Address::ZERO)),
        ExecutionResult::Revert { .. }
    ));
    assert!(chain
        .call(ADMIN, proxy, proxy::change_admin_calldata(USER))
        .is_success());
    assert_eq!(chain.storage(proxy, ADMIN_SLOT), addr_word(USER));

    chain.call(
        ADMIN,
        proxy,
        proxy::upgrade_to_and_call_calldata(impl_b, &[]),
    );
    assert_eq!(chain.storage(proxy, IMPLEMENTATION_SLOT), addr_word(impl_a));
    assert!(chain
        .call(
            USER,
            proxy,
            proxy::upgrade_to_and_call_calldata(impl_b, &[])
        )
        .is_success());
    assert_eq!(chain.storage(proxy, IMPLEMENTATION_SLOT), addr_word(impl_b));
}
