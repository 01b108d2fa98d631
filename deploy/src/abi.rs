//! The suite's ABI on the tools side: the same Solidity text the contracts use
//! (`contracts/interfaces/solidity/Ferrostake.sol`), expanded by this workspace's alloy, plus the
//! JSON ABI and Solidity interface export for integrators (`ferrostake-deploy abi --out DIR`).
#![allow(missing_docs, clippy::too_many_arguments)]

alloy::sol!(
    #[sol(all_derives, abi)]
    "../contracts/interfaces/solidity/Ferrostake.sol"
);
