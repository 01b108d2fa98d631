//! The per-program gas profile of the core operations (what `scripts/bench` prints under "Where the
//! gas goes") names every program run and decomposes the gas consistently. Behaviour only: the
//! numbers themselves are printed by the bench, not asserted.

use std::path::PathBuf;

use ferrostake_harness::gas_profile::{core_ops, OpProfile};

fn artifacts() -> PathBuf {
    std::env::var_os("FERROSTAKE_WASM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm"))
}

fn op<'a>(ps: &'a [OpProfile], name: &str) -> &'a OpProfile {
    ps.iter()
        .find(|p| p.op.starts_with(name))
        .unwrap_or_else(|| panic!("no profile for {name}"))
}

#[test]
fn core_operations_are_profiled_per_program() {
    let ps = core_ops(&artifacts()).unwrap();
    assert_eq!(ps.len(), 6);
    for p in &ps {
        assert!(!p.rows.is_empty(), "{}: no program ran", p.op);
        assert!(p.outside >= 21_000 && p.outside < p.total, "{}", p.op);
        for r in &p.rows {
            assert!(r.entry <= r.used && r.own <= r.used, "{}: {r:?}", p.op);
            assert!(
                !r.what.starts_with("0x") && !r.function.starts_with("0x"),
                "{}: unnamed run {r:?}",
                p.op
            );
        }
        // The runs' own gas adds up to what the top-level runs used.
        let top = p.total + p.refunded - p.outside;
        let own: u64 = p.rows.iter().map(|r| r.own).sum();
        assert_eq!(own, top, "{}", p.op);
        // The storage floor is a lower bound of what the operation paid: every slot it touched
        // was paid at least at the floor's price, plus the base and calldata.
        assert!(p.floor.intrinsic > 21_000, "{}", p.op);
        assert!(
            p.floor.reads.0 + p.floor.fresh.0 + p.floor.dirty.0 > 0,
            "{}",
            p.op
        );
        assert!(p.floor.total() <= p.total, "{}: {:?}", p.op, p.floor);
    }

    // A deposit runs the StrategyManager through its proxy, pulls the token and mints strategy
    // shares through the strategy's beacon proxy.
    let first = op(&ps, "depositIntoStrategy — first");
    let calls: Vec<(&str, &str)> = first
        .rows
        .iter()
        .map(|r| (r.what.as_str(), r.function.as_str()))
        .collect();
    assert_eq!(first.rows[0].function, "depositIntoStrategy");
    assert!(first.rows[0].what.starts_with("StrategyManager → "));
    assert!(calls.iter().any(|(_, f)| *f == "transferFrom"), "{calls:?}");
    assert!(
        calls
            .iter()
            .any(|(w, f)| w.starts_with("Strategy_") && *f == "deposit"),
        "{calls:?}"
    );
    // The first deposit appends the strategy to the staker's list; a repeat deposit does not, so
    // it writes fewer slots.
    let writes = |p: &OpProfile| p.rows.iter().map(|r| r.writes.0).sum::<u32>();
    let repeat = op(&ps, "depositIntoStrategy — repeat");
    assert!(writes(repeat) < writes(first));
    assert!(repeat.total < first.total);
    // …and in the floor: the first deposit creates slots (the staker's shares and list), a repeat
    // deposit only changes existing ones.
    assert!(first.floor.fresh.0 >= 2, "{:?}", first.floor);
    assert_eq!(repeat.floor.fresh.0, 0, "{:?}", repeat.floor);
}
