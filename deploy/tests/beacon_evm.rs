//! The upgradeable beacon bytecode on revm: implementation/owner reads, the owner's upgrade with its
//! event, and refusals.
use alloy_primitives::{address, keccak256, Address, Bytes, U256};
use ferrostake_deploy::beacon;
use revm::{
    context::{result::ExecutionResult, TxEnv},
    database::{CacheDB, EmptyDB},
    primitives::TxKind,
    Context, ExecuteCommitEvm, MainBuilder, MainContext,
};

const OWNER: Address = address!("00000000000000000000000000000000000a0001");
const USER: Address = address!("00000000000000000000000000000000000b0002");
const POD_V1: Address = address!("00000000000000000000000000000000000c0001");
const POD_V2: Address = address!("00000000000000000000000000000000000c0002");

fn tx(db: &mut CacheDB<EmptyDB>, from: Address, kind: TxKind, data: Vec<u8>) -> ExecutionResult {
    let taken = std::mem::replace(db, CacheDB::new(EmptyDB::default()));
    let mut evm = Context::mainnet()
        .with_db(taken)
        .modify_cfg_chained(|cfg| cfg.disable_nonce_check = true)
        .build_mainnet();
    let r = evm
        .transact_commit(TxEnv {
            caller: from,
            kind,
            data: Bytes::from(data),
            gas_limit: 1_000_000,
            gas_price: 0,
            ..Default::default()
        })
        .expect("valid tx");
    *db = evm.ctx.journaled_state.database;
    r
}

fn read_addr(r: &ExecutionResult) -> Address {
    let out = r.output().expect("success");
    assert_eq!(out.len(), 32);
    Address::from_slice(&out[12..])
}

#[test]
fn beacon_serves_and_upgrades_its_implementation() {
    let mut db = CacheDB::new(EmptyDB::default());
    let b = tx(
        &mut db,
        OWNER,
        TxKind::Create,
        beacon::init_code(POD_V1, OWNER),
    )
    .created_address()
    .expect("deployed");
    assert_eq!(
        read_addr(&tx(
            &mut db,
            USER,
            TxKind::Call(b),
            beacon::implementation_calldata()
        )),
        POD_V1
    );
    assert_eq!(
        read_addr(&tx(
            &mut db,
            USER,
            TxKind::Call(b),
            keccak256("owner()")[..4].to_vec()
        )),
        OWNER
    );

    // Only the owner upgrades.
    let r = tx(
        &mut db,
        USER,
        TxKind::Call(b),
        beacon::upgrade_to_calldata(POD_V2),
    );
    assert!(matches!(r, ExecutionResult::Revert { .. }), "{r:?}");
    assert_eq!(
        read_addr(&tx(
            &mut db,
            USER,
            TxKind::Call(b),
            beacon::implementation_calldata()
        )),
        POD_V1
    );
    let r = tx(
        &mut db,
        OWNER,
        TxKind::Call(b),
        beacon::upgrade_to_calldata(POD_V2),
    );
    assert!(r.is_success());
    let log = &r.logs()[0];
    assert_eq!(log.topics()[0], keccak256("Upgraded(address)"));
    assert_eq!(Address::from_word(log.topics()[1]), POD_V2);
    assert_eq!(
        read_addr(&tx(
            &mut db,
            USER,
            TxKind::Call(b),
            beacon::implementation_calldata()
        )),
        POD_V2
    );

    // Unknown selectors and empty calldata revert.
    assert!(!tx(&mut db, USER, TxKind::Call(b), vec![1, 2, 3, 4]).is_success());
    assert!(!tx(&mut db, USER, TxKind::Call(b), vec![]).is_success());
    let _ = U256::ZERO;
}
