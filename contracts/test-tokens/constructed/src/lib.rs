//! A program with a `#[constructor]`, for the devnode's StylusDeployer tests: it records its
//! constructor's arguments and the value sent with the constructor call, and refuses a zero
//! owner with a typed error (so a reverting constructor can be observed).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageU256};

sol! {
    /// The constructor was given the zero address as owner.
    error ZeroOwner();
}

#[entrypoint]
#[storage]
pub struct TestConstructed {
    owner: StorageAddress,
    seed: StorageU256,
    endowment: StorageU256,
}

#[public]
impl TestConstructed {
    /// Records `owner`, `seed` and the value sent; reverts `ZeroOwner()` for a zero owner.
    #[constructor]
    #[payable]
    pub fn constructor(&mut self, owner: Address, seed: U256) -> Result<(), Vec<u8>> {
        if owner.is_zero() {
            return Err(ZeroOwner {}.abi_encode());
        }
        self.owner.set(owner);
        self.seed.set(seed);
        let value = self.vm().msg_value();
        self.endowment.set(value);
        Ok(())
    }

    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    pub fn seed(&self) -> U256 {
        self.seed.get()
    }

    /// The value sent with the constructor call.
    pub fn endowment(&self) -> U256 {
        self.endowment.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motsu::prelude::*;

    #[motsu::test]
    fn constructor_records_its_arguments(contract: Contract<TestConstructed>, alice: Address) {
        contract
            .sender(alice)
            .constructor(alice, U256::from(7))
            .motsu_unwrap();
        assert_eq!(contract.sender(alice).owner(), alice);
        assert_eq!(contract.sender(alice).seed(), U256::from(7));
        assert_eq!(contract.sender(alice).endowment(), U256::ZERO);
    }

    #[motsu::test]
    fn zero_owner_is_refused(contract: Contract<TestConstructed>, alice: Address) {
        let err = contract
            .sender(alice)
            .constructor(Address::ZERO, U256::from(7))
            .motsu_unwrap_err();
        assert_eq!(err, ZeroOwner {}.abi_encode());
        assert_eq!(contract.sender(alice).owner(), Address::ZERO);
    }
}
