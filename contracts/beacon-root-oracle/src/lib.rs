//! Beacon block roots on Arbitrum, read exactly like Ethereum's EIP-4788 system contract.
//!
//! Arbitrum has no EIP-4788 contract with Ethereum's beacon roots, so EigenPods read them from this
//! oracle (its address is configured in the EigenPodManager). Reads are EIP-4788's: a call whose
//! whole calldata is the 32-byte big-endian timestamp returns the 32-byte parent beacon block root
//! recorded for it, and reverts (empty data, as the system contract) when there is none — the
//! EigenPod turns that into `InvalidEIP4788Response`. `rootAt(uint64)` is the same read as an ABI
//! function.
//!
//! Writes: `postRoot(timestamp, root)` by an authorised updater, once per timestamp (a posted root
//! never changes; `RootAlreadyPosted`), never zero (`ZeroRoot`). The owner manages updaters.
//!
//! **Production feeding.** An updater EOA is a trust assumption (a forged root mints pod shares).
//! A production deployment makes the updater an L1→L2 bridge receiver: an L1 contract reads
//! `BEACON_ROOTS.get(t)` on Ethereum (EIP-4788, address `0x000F3df6…Beac02`, 8191-slot ring buffer ≈
//! 27 h) and sends `postRoot(t, root)` through Arbitrum's Inbox as a retryable ticket; the L2
//! updater is the aliased L1 sender. The devnode demo posts roots from the harness's synthetic
//! beacon chain.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use ferrostake_common::{
    access::{Initializable, Ownable},
    Revert,
};
use ferrostake_interfaces::IBeaconRootOracle;
use stylus_sdk::{
    prelude::*,
    storage::{StorageB256, StorageBool, StorageMap},
    stylus_core::log,
    ArbResult,
};

#[entrypoint]
#[storage]
pub struct BeaconRootOracle {
    init: Initializable,
    ownable: Ownable,
    updaters: StorageMap<Address, StorageBool>,
    roots: StorageMap<u64, StorageB256>,
}

impl BeaconRootOracle {
    fn set_updater_inner(&mut self, updater: Address, allowed: bool) {
        self.updaters.setter(updater).set(allowed);
        log(
            self.vm(),
            IBeaconRootOracle::UpdaterSet { updater, allowed },
        );
    }
}

#[public]
impl BeaconRootOracle {
    /// One-shot initializer.
    pub fn initialize(
        &mut self,
        initial_owner: Address,
        initial_updater: Address,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.ownable.init(initial_owner)?;
        if !initial_updater.is_zero() {
            self.set_updater_inner(initial_updater, true);
        }
        Ok(())
    }

    #[selector(name = "postRoot")]
    pub fn post_root(&mut self, timestamp: u64, root: B256) -> Result<(), Revert> {
        let updater = self.vm().msg_sender();
        if !self.updaters.get(updater) {
            return Err(IBeaconRootOracle::OnlyUpdater {}.into());
        }
        if root.is_zero() {
            return Err(IBeaconRootOracle::ZeroRoot {}.into());
        }
        if !self.roots.get(timestamp).is_zero() {
            return Err(IBeaconRootOracle::RootAlreadyPosted {}.into());
        }
        self.roots.setter(timestamp).set(root);
        log(
            self.vm(),
            IBeaconRootOracle::RootPosted {
                timestamp,
                root,
                updater,
            },
        );
        Ok(())
    }

    #[selector(name = "setUpdater")]
    pub fn set_updater(&mut self, updater: Address, allowed: bool) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())?;
        self.set_updater_inner(updater, allowed);
        Ok(())
    }

    #[selector(name = "isUpdater")]
    pub fn is_updater(&self, updater: Address) -> bool {
        self.updaters.get(updater)
    }

    #[selector(name = "rootAt")]
    pub fn root_at(&self, timestamp: u64) -> Result<B256, Revert> {
        let root = self.roots.get(timestamp);
        if root.is_zero() {
            return Err(IBeaconRootOracle::RootUnknown {}.into());
        }
        Ok(root)
    }

    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    #[selector(name = "transferOwnership")]
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.transfer_ownership(caller, new_owner)
    }

    /// The EIP-4788 read: calldata is exactly the 32-byte timestamp; returns the root or reverts
    /// with empty data, as the system contract does.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if calldata.len() != 32 {
            return Err(Vec::new());
        }
        let timestamp = U256::from_be_slice(calldata);
        let Ok(timestamp) = u64::try_from(timestamp) else {
            return Err(Vec::new());
        };
        let root = self.roots.get(timestamp);
        if root.is_zero() {
            return Err(Vec::new());
        }
        Ok(root.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrostake_interfaces::IFerrostakeErrors;
    use motsu::prelude::*;

    fn ts(t: u64) -> Vec<u8> {
        U256::from(t).to_be_bytes::<32>().to_vec()
    }

    #[motsu::test]
    fn updaters_post_once_and_reads_follow_eip_4788(
        o: Contract<BeaconRootOracle>,
        owner: Address,
        updater: Address,
        stranger: Address,
    ) {
        o.sender(owner).initialize(owner, updater).motsu_unwrap();
        let root = B256::repeat_byte(0x42);
        assert!(o
            .sender(stranger)
            .post_root(1_700_000_000, root)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::OnlyUpdater>());
        assert!(o
            .sender(updater)
            .post_root(1_700_000_000, B256::ZERO)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::ZeroRoot>());
        o.sender(updater)
            .post_root(1_700_000_000, root)
            .motsu_unwrap();
        o.assert_emitted(&IBeaconRootOracle::RootPosted {
            timestamp: 1_700_000_000,
            root,
            updater,
        });
        let err = o
            .sender(updater)
            .post_root(1_700_000_000, B256::repeat_byte(1))
            .motsu_unwrap_err();
        assert!(err.is::<IBeaconRootOracle::RootAlreadyPosted>());
        // EIP-4788 read: raw 32-byte timestamp in, 32-byte root out; unknown → empty revert.
        assert_eq!(
            o.sender(stranger).fallback(&ts(1_700_000_000)).unwrap(),
            root.to_vec()
        );
        assert_eq!(
            o.sender(stranger).fallback(&ts(1_700_000_012)),
            Err(Vec::new())
        );
        assert_eq!(o.sender(stranger).fallback(&[0u8; 31]), Err(Vec::new()));
        assert_eq!(
            o.sender(stranger).root_at(1_700_000_000).motsu_unwrap(),
            root
        );
        assert!(o
            .sender(stranger)
            .root_at(1)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::RootUnknown>());
    }

    #[motsu::test]
    fn only_the_owner_manages_updaters(
        o: Contract<BeaconRootOracle>,
        owner: Address,
        updater: Address,
    ) {
        o.sender(owner)
            .initialize(owner, Address::ZERO)
            .motsu_unwrap();
        assert!(!o.sender(owner).is_updater(updater));
        let err = o
            .sender(updater)
            .set_updater(updater, true)
            .motsu_unwrap_err();
        assert!(err.is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
        o.sender(owner).set_updater(updater, true).motsu_unwrap();
        assert!(o.sender(owner).is_updater(updater));
        o.sender(owner).set_updater(updater, false).motsu_unwrap();
        assert!(o
            .sender(updater)
            .post_root(1, B256::repeat_byte(1))
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::OnlyUpdater>());
        assert!(o
            .sender(owner)
            .initialize(owner, owner)
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::AlreadyInitialized>());
    }
}
