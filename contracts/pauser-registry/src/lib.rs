//! PauserRegistry: who may pause (pausers) and who may unpause (the unpauser) the suite's contracts.
//! EigenLayer's `IPauserRegistry`; the constructor arguments become a one-shot `initialize` because
//! the registry sits behind a proxy like every core contract.
//!
//! | function | who | effect |
//! |---|---|---|
//! | `initialize(pausers, unpauser)` | anyone, once | sets the initial pausers and the unpauser |
//! | `setIsPauser(pauser, canPause)` | unpauser | adds or removes a pauser (`PauserStatusChanged`) |
//! | `setUnpauser(newUnpauser)` | unpauser | hands the role over (`UnpauserChanged`) |
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::Address;
use ferrostake_common::{access::Initializable, Revert};
use ferrostake_interfaces::IPauserRegistry;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap},
    stylus_core::log,
};

#[storage]
pub struct PauserRegistry {
    init: Initializable,
    pausers: StorageMap<Address, StorageBool>,
    unpauser: StorageAddress,
}

ferrostake_common::entrypoint!(PauserRegistry);

impl PauserRegistry {
    fn set_pauser(&mut self, pauser: Address, can_pause: bool) -> Result<(), Revert> {
        if pauser.is_zero() {
            return Err(IPauserRegistry::InputAddressZero {}.into());
        }
        self.pausers.setter(pauser).set(can_pause);
        log(
            self.vm(),
            IPauserRegistry::PauserStatusChanged {
                pauser,
                canPause: can_pause,
            },
        );
        Ok(())
    }

    fn set_unpauser_inner(&mut self, new_unpauser: Address) -> Result<(), Revert> {
        if new_unpauser.is_zero() {
            return Err(IPauserRegistry::InputAddressZero {}.into());
        }
        let previous = self.unpauser.get();
        self.unpauser.set(new_unpauser);
        log(
            self.vm(),
            IPauserRegistry::UnpauserChanged {
                previousUnpauser: previous,
                newUnpauser: new_unpauser,
            },
        );
        Ok(())
    }

    fn only_unpauser(&self) -> Result<(), Revert> {
        if self.vm().msg_sender() != self.unpauser.get() {
            return Err(IPauserRegistry::OnlyUnpauser {}.into());
        }
        Ok(())
    }
}

#[public]
impl PauserRegistry {
    /// One-shot initializer.
    pub fn initialize(
        &mut self,
        pausers: Vec<Address>,
        initial_unpauser: Address,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        for p in pausers {
            self.set_pauser(p, true)?;
        }
        self.set_unpauser_inner(initial_unpauser)
    }

    #[selector(name = "isPauser")]
    pub fn is_pauser(&self, pauser: Address) -> bool {
        self.pausers.get(pauser)
    }

    pub fn unpauser(&self) -> Address {
        self.unpauser.get()
    }

    #[selector(name = "setIsPauser")]
    pub fn set_is_pauser(&mut self, new_pauser: Address, can_pause: bool) -> Result<(), Revert> {
        self.only_unpauser()?;
        self.set_pauser(new_pauser, can_pause)
    }

    #[selector(name = "setUnpauser")]
    pub fn set_unpauser(&mut self, new_unpauser: Address) -> Result<(), Revert> {
        self.only_unpauser()?;
        self.set_unpauser_inner(new_unpauser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrostake_interfaces::IFerrostakeErrors;
    use motsu::prelude::*;

    #[motsu::test]
    fn initialize_sets_roles_once(
        r: Contract<PauserRegistry>,
        admin: Address,
        p1: Address,
        p2: Address,
    ) {
        r.sender(admin)
            .initialize(vec![p1, p2], admin)
            .motsu_unwrap();
        assert!(r.sender(admin).is_pauser(p1));
        assert!(r.sender(admin).is_pauser(p2));
        assert!(!r.sender(admin).is_pauser(admin));
        assert_eq!(r.sender(admin).unpauser(), admin);
        r.assert_emitted(&IPauserRegistry::PauserStatusChanged {
            pauser: p1,
            canPause: true,
        });
        let err = r.sender(p1).initialize(vec![p1], p1).motsu_unwrap_err();
        assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
        assert_eq!(
            r.sender(admin).unpauser(),
            admin,
            "a second initialize changes nothing"
        );
    }

    #[motsu::test]
    fn zero_addresses_are_refused(r: Contract<PauserRegistry>, admin: Address) {
        let err = r
            .sender(admin)
            .initialize(vec![Address::ZERO], admin)
            .motsu_unwrap_err();
        assert!(err.is::<IPauserRegistry::InputAddressZero>());
        let err = r
            .sender(admin)
            .initialize(vec![], Address::ZERO)
            .motsu_unwrap_err();
        assert!(err.is::<IPauserRegistry::InputAddressZero>());
    }

    #[motsu::test]
    fn only_the_unpauser_manages_roles(
        r: Contract<PauserRegistry>,
        admin: Address,
        p: Address,
        next: Address,
    ) {
        r.sender(admin).initialize(vec![], admin).motsu_unwrap();
        let err = r.sender(p).set_is_pauser(p, true).motsu_unwrap_err();
        assert!(err.is::<IPauserRegistry::OnlyUnpauser>());
        assert!(!r.sender(admin).is_pauser(p));

        r.sender(admin).set_is_pauser(p, true).motsu_unwrap();
        assert!(r.sender(admin).is_pauser(p));
        r.sender(admin).set_is_pauser(p, false).motsu_unwrap();
        assert!(!r.sender(admin).is_pauser(p));

        r.sender(admin).set_unpauser(next).motsu_unwrap();
        r.assert_emitted(&IPauserRegistry::UnpauserChanged {
            previousUnpauser: admin,
            newUnpauser: next,
        });
        assert!(r
            .sender(admin)
            .set_unpauser(admin)
            .motsu_unwrap_err()
            .is::<IPauserRegistry::OnlyUnpauser>());
        assert!(r
            .sender(next)
            .set_unpauser(Address::ZERO)
            .motsu_unwrap_err()
            .is::<IPauserRegistry::InputAddressZero>());
    }
}
