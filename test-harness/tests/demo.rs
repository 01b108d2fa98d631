//! The main job as a test: the real deploy tool deploys the compiled suite to the embedded devnode
//! over JSON-RPC, and the restaking story runs with every check computed from its inputs.

use std::path::PathBuf;

#[test]
fn the_restaking_story_runs_on_the_devnode() {
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/wasm");
    let report = ferrostake_harness::demo::run(&artifacts).expect("the demo runs");
    assert!(report.ok(), "{report}");
    // Every contract is deployed, initialized and wired, and every operation of the story ran.
    assert!(report
        .deploy_steps
        .iter()
        .any(|s| s.0 == "wire AllocationManager programs"));
    assert_eq!(report.gas.len(), 18, "{report}");
    assert!(report.checks.len() >= 20);
}
