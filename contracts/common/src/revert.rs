//! Revert data as a value.
//!
//! Public functions return `Result<T, Revert>`; stylus-sdk reverts with the bytes. Build one from any
//! `sol!` error (`Err(IFoo::Bar {}.into())`); a failed cross-contract call carries the callee's data
//! verbatim, as Solidity bubbles it.

use alloc::vec::Vec;
use alloy_sol_types::SolError;

/// ABI-encoded revert data (a custom error: selector + arguments).
#[derive(Clone, PartialEq, Eq)]
pub struct Revert(pub Vec<u8>);

impl<E: SolError> From<E> for Revert {
    fn from(error: E) -> Self {
        Revert(error.abi_encode())
    }
}

impl From<Revert> for Vec<u8> {
    fn from(revert: Revert) -> Self {
        revert.0
    }
}

impl core::fmt::Debug for Revert {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Revert(0x")?;
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl Revert {
    /// Whether this is error `E` (its selector matches).
    pub fn is<E: SolError>(&self) -> bool {
        self.0.len() >= 4 && self.0[..4] == E::SELECTOR
    }

    /// Decodes this as error `E`, if it is one.
    pub fn decode<E: SolError>(&self) -> Option<E> {
        if self.is::<E>() {
            E::abi_decode(&self.0, true).ok()
        } else {
            None
        }
    }

    /// The 4-byte selector, if there is one.
    pub fn selector(&self) -> Option<[u8; 4]> {
        self.0.get(..4).map(|s| [s[0], s[1], s[2], s[3]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrostake_interfaces::{IDelegationManager, IFerrostakeErrors};

    #[test]
    fn wraps_and_recognises_custom_errors() {
        let r: Revert = IDelegationManager::ActivelyDelegated {}.into();
        assert_eq!(
            r.0,
            IDelegationManager::ActivelyDelegated::SELECTOR.to_vec()
        );
        assert!(r.is::<IDelegationManager::ActivelyDelegated>());
        assert!(!r.is::<IDelegationManager::FullySlashed>());
        let with_args: Revert = IFerrostakeErrors::NoCodeAt {
            target: alloy_primitives::Address::repeat_byte(7),
        }
        .into();
        assert_eq!(with_args.0.len(), 4 + 32);
        let back = with_args.decode::<IFerrostakeErrors::NoCodeAt>().unwrap();
        assert_eq!(back.target, alloy_primitives::Address::repeat_byte(7));
        let bytes: Vec<u8> = with_args.clone().into();
        assert_eq!(bytes, with_args.0);
    }

    #[test]
    fn empty_revert_has_no_selector() {
        assert_eq!(Revert(Vec::new()).selector(), None);
        assert!(!Revert(Vec::new()).is::<IDelegationManager::ActivelyDelegated>());
    }
}
