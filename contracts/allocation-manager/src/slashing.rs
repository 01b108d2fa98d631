//! The slashing program's router (`--features slashing`): `slashOperator`, `executeSlash` and
//! `vetoSlash`. The first two return `(uint256, uint256[])`, which stylus-sdk 0.9 mis-encodes as
//! one tuple, so [`AllocationManager::serve_slashing`] decodes and encodes them with alloy (it is
//! compiled in every build, so native tests check the encoding). The logic itself lives in the
//! crate root and `config` as plain methods.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use ferrostake_interfaces::IAllocationManager as IAM;
use stylus_sdk::ArbResult;
#[cfg(feature = "slashing")]
use {crate::SetTuple, alloy_primitives::U256, ferrostake_common::Revert, stylus_sdk::prelude::*};

use crate::AllocationManager;

impl AllocationManager {
    /// Serves `slashOperator` and `executeSlash` calldata; any other selector reverts empty.
    pub fn serve_slashing(&mut self, calldata: &[u8]) -> ArbResult {
        let selector: [u8; 4] = calldata
            .get(..4)
            .and_then(|s| s.try_into().ok())
            .unwrap_or_default();
        let out = match selector {
            IAM::slashOperatorCall::SELECTOR => {
                let c =
                    IAM::slashOperatorCall::abi_decode(calldata, true).map_err(|_| Vec::new())?;
                self.slash_operator(c.avs, c.params)
            }
            IAM::executeSlashCall::SELECTOR => {
                let c =
                    IAM::executeSlashCall::abi_decode(calldata, true).map_err(|_| Vec::new())?;
                self.execute_slash(
                    c.operatorSet.avs,
                    c.operatorSet.id,
                    c.queuedSlashId,
                    c.params,
                )
            }
            _ => return Err(ferrostake_common::entry::unknown_selector()),
        };
        out.map(|r| IAM::slashOperatorCall::abi_encode_returns(&r))
            .map_err(Vec::from)
    }
}

#[cfg(feature = "slashing")]
#[public]
impl AllocationManager {
    #[selector(name = "vetoSlash")]
    pub fn s_veto_slash(&mut self, set: SetTuple, id: U256) -> Result<(), Revert> {
        self.veto_slash(set, id)
    }

    #[fallback]
    pub fn s_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.serve_slashing(calldata)
    }
}
