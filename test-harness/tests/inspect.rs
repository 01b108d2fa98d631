//! `ferrostake inspect` on the devnode (issue #18): a scenario on the deployed suite — deposits,
//! delegation, an allocation, a slash, a pending deallocation, a queued withdrawal, the LRT vault
//! restaking through two operators with a redemption request — then every report, read over
//! JSON-RPC from the deployment manifest, checked against the reference models
//! (`ferrostake_harness::model` for the core, `lrt_model` for the vault) and EigenLayer's
//! formulas, never against the tool's own output. Bad input gives one-line errors.
//!
//! Run with `cargo test -p ferrostake-harness --test inspect` after `scripts/build-contracts`.

use std::path::PathBuf;

use alloy::primitives::{Address, U256};
use ferrostake_deploy::abi::{
    AllocateParams, IAllocationManager, IDelegationManager, QueuedWithdrawalParams,
};
use ferrostake_harness::inspect::{format_units, inspect, Query, Report, Source};
use ferrostake_harness::lrt_flow::Lrt;
use ferrostake_harness::lrt_model::LrtModel;
use ferrostake_harness::model::{div_wad, mul_wad, mul_wad_up, Model, WAD};
use ferrostake_harness::suite::Suite;

fn e18(n: u64) -> U256 {
    U256::from(n) * WAD
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ferrostake-inspect-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn source(s: &Suite, manifest: PathBuf) -> Source {
    Source {
        rpc_url: s.rpc_url(),
        manifest: Some(manifest),
        deployments: PathBuf::from("deployments"),
        progress: false,
    }
}

fn allocate(s: &Suite, operator: Address, avs: Address, strategy: Address, magnitude: U256) {
    s.send(
        operator,
        s.addrs.allocation_manager,
        IAllocationManager::modifyAllocationsCall {
            operator,
            params: vec![AllocateParams {
                operatorSet: Suite::operator_set(avs),
                strategies: vec![strategy],
                newMagnitudes: vec![magnitude.to::<u64>()],
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
}

fn wad_str(x: U256) -> String {
    format_units(x, 18)
}

#[test]
fn reports_match_the_reference_models_after_a_scenario() {
    let s = Suite::shared();
    s.setup_operators().unwrap();
    s.mine(s.config.allocation.allocation_configuration_delay_blocks as u64 + 1);
    let (op0, op1) = (s.actors.operators[0], s.actors.operators[1]);
    let (avs0, avs1) = (s.actors.avss[0], s.actors.avss[1]);
    let staker = s.actors.stakers[2];
    let lrt = Lrt::from_manifest(&s.manifest).unwrap();
    // The staker's slashed strategy `a` is one the vault does not use, so the slash leaves the
    // vault alone; `b` is the vault's strategy (no donations: it stays one share per token unit).
    let a = s
        .addrs
        .strategies_sorted()
        .into_iter()
        .find(|x| *x != lrt.strategy)
        .unwrap();
    let b = lrt.strategy;
    let delay = s.config.delegation.min_withdrawal_delay_blocks as u64;
    let mut m = Model::new(delay);
    for op in [op0, op1] {
        m.register_operator(op, &[a, b]).unwrap();
    }

    // Deposits (first deposits into empty strategies mint one share per token unit) and delegation.
    for (st, amount) in [(a, e18(1_000)), (b, e18(400))] {
        s.deposit(staker, st, amount).unwrap().ok().unwrap();
        m.deposit(staker, st, amount).unwrap();
    }
    s.delegate_to(staker, op0).unwrap().ok().unwrap();
    m.delegate(staker, op0, &[a, b]).unwrap();

    // The vault: two operators at 50/50, alice deposits 100, 60 restaked (30 behind each).
    let boss = s.actors.deployer;
    let alice = s.actors.stakers[0];
    let p = ferrostake_deploy::lrt::params();
    let mut v = LrtModel::new(p.minRequest, p.maxSyncIncreaseBips as u64);
    lrt.set_operator_weights(&*s, boss, vec![op0, op1], vec![5_000, 5_000])
        .unwrap();
    for (i, op) in [op0, op1].into_iter().enumerate() {
        m.delegate(lrt.delegators[i], op, &[]).unwrap();
    }
    let (minted, _) = lrt.deposit(&*s, alice, e18(100)).unwrap();
    // Nothing restaked yet and no donation: the vault's balance is its (empty) idle assets.
    let balance = v.idle;
    assert_eq!(
        minted,
        v.deposit(alice, e18(100), U256::ZERO, balance).unwrap()
    );
    lrt.allocate(&*s, boss, e18(60)).unwrap();
    v.allocate(e18(60)).unwrap();
    for d in &lrt.delegators {
        m.deposit(*d, lrt.strategy, e18(30)).unwrap();
    }
    let restaked = e18(60);
    let req_shares = minted / U256::from(5u8);
    let req = lrt.request_redeem(&*s, alice, req_shares).unwrap();
    let req_id = v.request(alice, req_shares, restaked).unwrap();

    // Operator 0 allocates half its magnitude of `a` to AVS 0; operator 1 half of the vault's
    // strategy to AVS 1.
    allocate(&s, op0, avs0, a, WAD / U256::from(2u8));
    allocate(&s, op1, avs1, lrt.strategy, WAD / U256::from(2u8));
    s.mine(1);
    m.mine(3);
    // AVS 0 slashes 40% of operator 0's allocation: max 1 → 1 − ⌈0.5 · 0.4⌉ = 0.8.
    let wad_to_slash = WAD * U256::from(2u8) / U256::from(5u8);
    s.slash(avs0, op0, 1, a, wad_to_slash)
        .unwrap()
        .ok()
        .unwrap();
    let new_max = WAD - mul_wad_up(WAD / U256::from(2u8), wad_to_slash);
    m.slash_operator_shares(op0, a, new_max);
    let current = WAD / U256::from(2u8) - mul_wad_up(WAD / U256::from(2u8), wad_to_slash);
    // Operator 0 lowers the allocation to 0.1: pending −0.2 until DEALLOCATION_DELAY + 1 blocks.
    let target = WAD / U256::from(10u8);
    allocate(&s, op0, avs0, a, target);
    let dealloc_block = s.block_number();
    let effect = dealloc_block + s.config.allocation.deallocation_delay_blocks as u64 + 1;
    // The staker queues 100 of its 400 deposit shares of `b`.
    s.send(
        staker,
        s.addrs.delegation_manager,
        IDelegationManager::queueWithdrawalsCall {
            params: vec![QueuedWithdrawalParams {
                strategies: vec![b],
                depositShares: vec![e18(100)],
                __deprecated_withdrawer: Address::ZERO,
            }],
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    let queued_block = s.block_number();
    let wid = m.queue_withdrawal(staker, b, e18(100)).unwrap();

    let dir = scratch("ok");
    let manifest = dir.join("manifest.json");
    std::fs::write(&manifest, serde_json::to_string(&s.manifest).unwrap()).unwrap();
    let src = source(&s, manifest.clone());

    // --- staker ---
    let Report::Staker(r) = inspect(&src, &Query::Staker(staker)).unwrap() else {
        panic!("a staker report")
    };
    assert_eq!(r.delegated_to, op0);
    assert!(r.pod.is_none(), "no pod");
    assert_eq!(r.positions.len(), 2);
    for p in &r.positions {
        let st = p.strategy.strategy;
        assert_eq!(p.deposit_shares.value(), m.deposited(staker, st), "{st}");
        assert_eq!(
            p.withdrawable_shares.value(),
            m.withdrawable(staker, st),
            "{st}"
        );
        assert_eq!(
            p.deposit_scaling_factor,
            wad_str(m.deposit_scaling_factor(staker, st))
        );
        assert_eq!(p.operator_max_magnitude, wad_str(m.max_magnitude(op0, st)));
        assert!(p.beacon_chain_slashing_factor.is_none());
        assert!(p.withdrawable_shares.display.ends_with(" shares"));
    }
    assert_eq!(r.queued_withdrawals.len(), 1);
    let w = &r.queued_withdrawals[0];
    assert_eq!(w.start_block as u64, queued_block);
    assert_eq!(w.unlock_block, queued_block + delay + 1);
    assert!(!w.completable);
    assert_eq!(w.delegated_to, op0);
    assert_eq!(w.shares.len(), 1);
    assert_eq!(w.shares[0].0.strategy, b);
    assert_eq!(w.shares[0].1.value(), m.withdrawal_shares(wid).unwrap());

    // --- operator 0 ---
    let Report::Operator(r) = inspect(&src, &Query::Operator(op0)).unwrap() else {
        panic!("an operator report")
    };
    assert_eq!(r.allocation_delay, Some(0));
    for st in [a, b] {
        let row = r
            .strategies
            .iter()
            .find(|x| x.strategy.strategy == st)
            .expect("every deployed strategy is listed");
        assert_eq!(
            row.delegated_shares.value(),
            m.operator_shares_of(op0, st),
            "{st}"
        );
        assert_eq!(row.max_magnitude, wad_str(m.max_magnitude(op0, st)), "{st}");
    }
    let row_a = r
        .strategies
        .iter()
        .find(|x| x.strategy.strategy == a)
        .unwrap();
    // A pending decrease stays encumbered until it takes effect.
    assert_eq!(row_a.encumbered_magnitude, wad_str(current));
    assert_eq!(row_a.allocatable_magnitude, wad_str(new_max - current));
    assert!(r.registered_sets.iter().any(|x| x.avs == avs0 && x.id == 1));
    assert!(r.registered_sets.iter().any(|x| x.avs == avs1 && x.id == 1));
    assert_eq!(r.allocations.len(), 1);
    let al = &r.allocations[0];
    assert_eq!((al.set.avs, al.set.id, al.strategy.strategy), (avs0, 1, a));
    assert!(al.registered && al.slashable);
    assert_eq!(al.current_magnitude, wad_str(current));
    assert_eq!(al.pending_diff, format!("-{}", wad_str(current - target)));
    assert_eq!(al.effect_block as u64, effect);
    // EigenLayer: slashable = shares · (current / max), each WAD step rounded down.
    let slashable = mul_wad(m.operator_shares_of(op0, a), div_wad(current, new_max));
    assert_eq!(al.slashable_shares.value(), slashable);

    // --- AVS 0 ---
    let Report::Avs(r) = inspect(&src, &Query::Avs(avs0, None)).unwrap() else {
        panic!("an AVS report")
    };
    assert_eq!(r.sets.len(), 1);
    let set = &r.sets[0];
    assert_eq!(set.id, 1);
    assert_eq!(set.slash_count, "1");
    assert!(set.guard.is_none() && set.queued_slashes.is_empty());
    let mut members: Vec<Address> = set.members.iter().map(|x| x.operator).collect();
    members.sort();
    let mut expected = vec![op0, op1];
    expected.sort();
    assert_eq!(members, expected);
    for mb in &set.members {
        for (st, shares, _) in &mb.slashable {
            let want = if mb.operator == op0 && st.strategy == a {
                slashable
            } else {
                U256::ZERO
            };
            assert_eq!(shares.value(), want, "{} {}", mb.operator, st.strategy);
        }
    }

    // --- the vault ---
    let Report::Vault(r) = inspect(&src, &Query::Vault(lrt.vault)).unwrap() else {
        panic!("a vault report")
    };
    let nav = v.total_assets(restaked);
    assert_eq!(r.total_assets.value(), nav);
    assert_eq!(r.nav_book.value(), v.booked);
    assert_eq!(r.nav_live.value(), v.live(restaked));
    assert_eq!(r.idle.value(), v.idle);
    assert_eq!(r.liabilities.value(), v.liabilities);
    assert_eq!(r.total_supply.value(), v.supply);
    assert_eq!(r.rate.value(), v.rate(nav));
    assert_eq!(r.asset.address, lrt.asset);
    // The test token's symbol and decimals (contracts/test-tokens/erc20).
    assert_eq!((r.asset.symbol.as_str(), r.asset.decimals), ("TEST", 18));
    assert_eq!(
        (r.limits.max_operator_bips, r.limits.max_operator_set_bips),
        (p.maxOperatorBips, p.maxOperatorSetBips)
    );
    assert_eq!(r.operators.len(), 2);
    for (i, e) in r.operators.iter().enumerate() {
        assert_eq!(e.operator, [op0, op1][i]);
        assert_eq!(e.delegator, lrt.delegators[i]);
        assert_eq!(e.weight_bips, 5_000);
        assert_eq!(e.value.value(), e18(30));
        let bips = (e18(30) * U256::from(10_000u64) / nav).to::<u64>();
        assert_eq!(e.bips_of_nav, bips);
        assert_eq!(e.within_limit, bips <= p.maxOperatorBips as u64);
    }
    // Every set the vault's operators allocate to: operator 1 put half its magnitude of the
    // vault's strategy in AVS 1's set (30 · 0.5); operator 0's allocation to AVS 0 is of another
    // strategy, so nothing of the vault is slashable there.
    let exposure = |avs: Address| {
        r.operator_sets
            .iter()
            .find(|e| e.set.avs == avs && e.set.id == 1)
            .map(|e| (e.slashable.value(), e.bips_of_nav, e.within_limit))
    };
    assert_eq!(r.operator_sets.len(), 2);
    assert_eq!(
        exposure(avs1),
        Some((
            e18(15),
            (e18(15) * U256::from(10_000u64) / nav).to::<u64>(),
            true
        ))
    );
    assert_eq!(exposure(avs0), Some((U256::ZERO, 0, true)));
    assert_eq!(r.requests.len(), 1);
    let q = &r.requests[0];
    let model_req = &v.requests[&req_id];
    assert_eq!(q.id, req.id.to_string());
    assert_eq!(q.controller, alice);
    assert_eq!(q.shares.value(), model_req.shares);
    assert_eq!(q.assets_at_request.value(), model_req.assets_at_request);
    assert!(!q.finalized);
    assert!(r.paused.is_empty());
    // Both renderings carry the same figures.
    let json: serde_json::Value =
        serde_json::from_str(&Report::Vault(r.clone()).to_json()).unwrap();
    assert_eq!(json["kind"], "vault");
    assert_eq!(json["total_assets"]["raw"], nav.to_string());
    let table = Report::Vault(r).to_table();
    assert!(
        table.contains(&format!("{} TEST", format_units(nav, 18))),
        "{table}"
    );

    // --- one AVS set, and bad input: one-line errors ---
    let Report::Avs(one) = inspect(&src, &Query::Avs(avs1, Some(1))).unwrap() else {
        panic!("an AVS report")
    };
    assert_eq!(one.sets.len(), 1);
    let errors = [
        inspect(&src, &Query::Avs(avs0, Some(99))),
        inspect(&src, &Query::Operator(staker)),
        inspect(&src, &Query::Vault(staker)),
        inspect(&src, &Query::Vault(s.addrs.strategy_manager)),
        inspect(
            &source(&s, dir.join("missing.json")),
            &Query::Staker(staker),
        ),
    ];
    let mut other_chain = s.manifest.clone();
    other_chain.chain_id = 1;
    let wrong = dir.join("chain1.json");
    std::fs::write(&wrong, serde_json::to_string(&other_chain).unwrap()).unwrap();
    let not_json = dir.join("not.json");
    std::fs::write(&not_json, "{\"hello\": 1}").unwrap();
    let more = [
        inspect(&source(&s, wrong), &Query::Staker(staker)),
        inspect(&source(&s, not_json), &Query::Staker(staker)),
    ];
    let wants = [
        "has no operator set 99",
        "is not a registered operator",
        "not an LRT vault",
        "not an LRT vault",
        "no deployment manifest at",
        "is for chain 1",
        "is not a Ferrostake deployment manifest",
    ];
    for (res, want) in errors.into_iter().chain(more).zip(wants) {
        let e = format!(
            "{:#}",
            res.err().unwrap_or_else(|| panic!("{want}: no error"))
        );
        assert!(e.contains(want), "{want}: {e}");
        assert!(!e.contains('\n'), "one line: {e}");
    }

    // The binary: --json on stdout, a progress line on stderr; a bad address exits non-zero.
    let staker_s = staker.to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrostake"))
        .args([
            "inspect",
            "staker",
            staker_s.as_str(),
            "--json",
            "--rpc-url",
        ])
        .arg(s.rpc_url())
        .arg("--manifest")
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "staker");
    assert_eq!(
        json["delegated_to"]
            .as_str()
            .unwrap()
            .parse::<Address>()
            .unwrap(),
        op0
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("calls"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrostake"))
        .args(["inspect", "staker", "0x1234", "--rpc-url"])
        .arg(s.rpc_url())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("is not an address"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
