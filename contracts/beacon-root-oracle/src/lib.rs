//! Beacon block roots on Arbitrum, read exactly like Ethereum's EIP-4788 system contract.
//!
//! Arbitrum has no EIP-4788 contract with Ethereum's beacon roots, so EigenPods read them from this
//! oracle (its address is configured in the EigenPodManager). Two reads:
//! - **exact** (EIP-4788's): a call whose whole calldata is the 32-byte big-endian timestamp returns
//!   the 32-byte parent beacon block root recorded for it, and reverts (empty data, as the system
//!   contract) when there is none — the EigenPod turns that into `InvalidEIP4788Response`.
//!   `rootAt(uint64)` is the same read as an ABI function. Credential and stale-balance proofs
//!   name their beacon timestamp and read this way.
//! - **at or before** (`latestRootAtOrBefore(t)`): the newest live root posted for a timestamp
//!   `≤ t`, refused (`NoFreshRoot`) when it is more than `maxRootAge()` seconds older than `t`. A
//!   checkpoint reads this way at its own `block.timestamp`, so roots relayed from L1 at whatever
//!   timestamps they carry serve it (audits/THREAT_MODEL.md §4.4).
//!
//! Writes: `postRoot(timestamp, root)` by an authorised updater, once per timestamp (a posted root
//! never changes; `RootAlreadyPosted`), never zero (`ZeroRoot`), never for timestamp 0
//! (`ZeroTimestamp`) and never for a timestamp after the current block's (`RootFromTheFuture`: no
//! beacon block has it yet, so such a root is forged or mis-relayed). Roots may arrive in any order
//! (retryable tickets are redeemed in any order); each posted timestamp is linked to the next
//! older one, so the at-or-before read walks newest → older. The owner manages updaters, sets the
//! freshness bound (default [`DEFAULT_MAX_ROOT_AGE`]) and may revoke a posted root
//! (`revokeRoot`): reads of it then fail as if it had never been posted, and its timestamp stays
//! closed.
//!
//! **Production feeding.** An updater EOA is a trust assumption (a forged root mints pod shares).
//! A production deployment makes the updater an L1→L2 bridge receiver: an L1 contract reads
//! `BEACON_ROOTS.get(t)` on Ethereum (EIP-4788, address `0x000F3df6…Beac02`, 8191-slot ring buffer ≈
//! 27 h) and sends `postRoot(t, root)` through Arbitrum's Inbox as a retryable ticket; the L2
//! updater is the aliased L1 sender (audits/THREAT_MODEL.md walks the path). The devnode demo posts
//! roots from the harness's synthetic beacon chain.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{aliases::U64, Address, B256, U256};
use ferrostake_common::{
    access::{Initializable, Ownable},
    Revert,
};
use ferrostake_interfaces::IBeaconRootOracle;
use stylus_sdk::{
    prelude::*,
    storage::{StorageB256, StorageBool, StorageMap, StorageU64},
    stylus_core::log,
    ArbResult,
};

#[storage]
pub struct BeaconRootOracle {
    init: Initializable,
    ownable: Ownable,
    updaters: StorageMap<Address, StorageBool>,
    roots: StorageMap<u64, StorageB256>,
    /// Per posted timestamp, the next older posted timestamp (0: none).
    older: StorageMap<u64, StorageU64>,
    /// The newest posted timestamp (0: none).
    latest: StorageU64,
    /// Revoked timestamps (their root is cleared).
    revoked: StorageMap<u64, StorageBool>,
    /// The freshness bound in seconds; 0 means [`DEFAULT_MAX_ROOT_AGE`].
    max_root_age: StorageU64,
}

ferrostake_common::entrypoint!(BeaconRootOracle);

/// The freshness bound until the owner sets one: one hour (300 slots). Relayed roots reach L2
/// some minutes after their L1 block (an L1 transaction, then the retryable's inclusion).
pub const DEFAULT_MAX_ROOT_AGE: u64 = 3_600;
/// The largest freshness bound: EIP-4788's ring buffer, 8191 slots of 12 s.
pub const MAX_MAX_ROOT_AGE: u64 = 8_191 * 12;
/// The at-or-before read walks past at most this many newer or revoked roots.
pub const MAX_LOOKBACK: usize = 256;

impl BeaconRootOracle {
    fn u64_at(v: &StorageU64) -> u64 {
        v.get().to()
    }

    fn older_than(&self, t: u64) -> u64 {
        self.older.get(t).to()
    }

    /// Links the new timestamp `t` into the newest → older chain.
    fn link(&mut self, t: u64) {
        let latest = Self::u64_at(&self.latest);
        if t > latest {
            self.older.setter(t).set(U64::from(latest));
            self.latest.set(U64::from(t));
            return;
        }
        // A late root (a lagging relayer, or retryables redeemed out of order): find its place.
        let mut newer = latest;
        loop {
            let next = self.older_than(newer);
            if next < t {
                self.older.setter(t).set(U64::from(next));
                self.older.setter(newer).set(U64::from(t));
                return;
            }
            newer = next;
        }
    }

    fn effective_max_root_age(&self) -> u64 {
        match Self::u64_at(&self.max_root_age) {
            0 => DEFAULT_MAX_ROOT_AGE,
            age => age,
        }
    }

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
        if timestamp == 0 {
            return Err(IBeaconRootOracle::ZeroTimestamp {}.into());
        }
        let now = self.vm().block_timestamp();
        if timestamp > now {
            return Err(IBeaconRootOracle::RootFromTheFuture { timestamp, now }.into());
        }
        if !self.roots.get(timestamp).is_zero() || self.revoked.get(timestamp) {
            return Err(IBeaconRootOracle::RootAlreadyPosted {}.into());
        }
        self.roots.setter(timestamp).set(root);
        self.link(timestamp);
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

    /// The newest live root at a timestamp `≤ timestamp`, within the freshness bound.
    #[selector(name = "latestRootAtOrBefore")]
    pub fn latest_root_at_or_before(&self, timestamp: u64) -> Result<(u64, B256), Revert> {
        let max_age = self.effective_max_root_age();
        let oldest = timestamp.saturating_sub(max_age);
        let mut t = Self::u64_at(&self.latest);
        for _ in 0..MAX_LOOKBACK {
            if t == 0 || t < oldest {
                break;
            }
            if t <= timestamp {
                let root = self.roots.get(t);
                if !root.is_zero() {
                    return Ok((t, root));
                }
            }
            t = self.older_than(t);
        }
        Err(IBeaconRootOracle::NoFreshRoot {
            timestamp,
            maxRootAge: max_age,
        }
        .into())
    }

    #[selector(name = "latestTimestamp")]
    pub fn latest_timestamp(&self) -> u64 {
        Self::u64_at(&self.latest)
    }

    #[selector(name = "maxRootAge")]
    pub fn max_root_age(&self) -> u64 {
        self.effective_max_root_age()
    }

    #[selector(name = "setMaxRootAge")]
    pub fn set_max_root_age(&mut self, max_root_age: u64) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())?;
        if max_root_age == 0 || max_root_age > MAX_MAX_ROOT_AGE {
            return Err(IBeaconRootOracle::MaxRootAgeOutOfRange {
                maxRootAge: max_root_age,
            }
            .into());
        }
        self.max_root_age.set(U64::from(max_root_age));
        log(
            self.vm(),
            IBeaconRootOracle::MaxRootAgeSet {
                maxRootAge: max_root_age,
            },
        );
        Ok(())
    }

    #[selector(name = "revokeRoot")]
    pub fn revoke_root(&mut self, timestamp: u64) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())?;
        let root = self.roots.get(timestamp);
        if root.is_zero() {
            return Err(IBeaconRootOracle::RootUnknown {}.into());
        }
        self.roots.setter(timestamp).set(B256::ZERO);
        self.revoked.setter(timestamp).set(true);
        log(
            self.vm(),
            IBeaconRootOracle::RootRevoked { timestamp, root },
        );
        Ok(())
    }

    #[selector(name = "isRevoked")]
    pub fn is_revoked(&self, timestamp: u64) -> bool {
        self.revoked.get(timestamp)
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
    /// with empty data, as the system contract does. Other calldata no function serves answers
    /// `UnknownSelector` (see `ferrostake_common::entry`).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if calldata.len() != 32 {
            return Err(ferrostake_common::entry::unknown_selector());
        }
        let timestamp = U256::from_be_slice(calldata);
        let Ok(timestamp) = u64::try_from(timestamp) else {
            return Err(ferrostake_common::entry::keep_empty());
        };
        let root = self.roots.get(timestamp);
        if root.is_zero() {
            return Err(ferrostake_common::entry::keep_empty());
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

    /// motsu's fixed clock (`block.timestamp` in every call).
    const NOW: u64 = 1_735_689_600;

    fn root(n: u8) -> B256 {
        B256::repeat_byte(n)
    }

    #[motsu::test]
    fn roots_from_the_future_or_for_timestamp_zero_are_refused(
        o: Contract<BeaconRootOracle>,
        owner: Address,
    ) {
        o.sender(owner).initialize(owner, owner).motsu_unwrap();
        let err = o
            .sender(owner)
            .post_root(NOW + 1, root(1))
            .motsu_unwrap_err();
        assert!(err.is::<IBeaconRootOracle::RootFromTheFuture>());
        assert!(o
            .sender(owner)
            .post_root(0, root(1))
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::ZeroTimestamp>());
        // Nothing was recorded.
        assert_eq!(o.sender(owner).latest_timestamp(), 0);
        assert!(o
            .sender(owner)
            .root_at(NOW + 1)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::RootUnknown>());
        // The current block's own timestamp is not the future.
        o.sender(owner).post_root(NOW, root(1)).motsu_unwrap();
        assert_eq!(o.sender(owner).latest_timestamp(), NOW);
    }

    /// Roots at irregular timestamps, relayed out of order (a lagging relayer backfills): the
    /// at-or-before read returns, for each query, the newest posted timestamp not after it.
    #[motsu::test]
    fn at_or_before_reads_the_newest_root_not_after_the_query(
        o: Contract<BeaconRootOracle>,
        owner: Address,
    ) {
        o.sender(owner).initialize(owner, owner).motsu_unwrap();
        let posted = [
            NOW - 700,
            NOW - 37,
            NOW - 1_000,
            NOW - 400,
            NOW - 401,
            NOW - 13,
        ];
        for (i, t) in posted.iter().enumerate() {
            o.sender(owner)
                .post_root(*t, root(i as u8 + 1))
                .motsu_unwrap();
        }
        assert_eq!(o.sender(owner).latest_timestamp(), NOW - 13);
        // Expected answers: the largest posted t ≤ query, from the list itself.
        for query in [
            NOW,
            NOW - 13,
            NOW - 14,
            NOW - 36,
            NOW - 37,
            NOW - 399,
            NOW - 400,
            NOW - 401,
            NOW - 402,
            NOW - 999,
            NOW - 1_000,
        ] {
            let (i, t) = posted
                .iter()
                .enumerate()
                .filter(|(_, t)| **t <= query)
                .max_by_key(|(_, t)| **t)
                .unwrap();
            assert_eq!(
                o.sender(owner)
                    .latest_root_at_or_before(query)
                    .motsu_unwrap(),
                (*t, root(i as u8 + 1)),
                "query {query}"
            );
        }
        // Before the first root there is none.
        assert!(o
            .sender(owner)
            .latest_root_at_or_before(NOW - 1_001)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::NoFreshRoot>());
    }

    #[motsu::test]
    fn a_stale_root_is_refused_and_the_bound_is_the_owners(
        o: Contract<BeaconRootOracle>,
        owner: Address,
        stranger: Address,
    ) {
        o.sender(owner).initialize(owner, owner).motsu_unwrap();
        assert_eq!(o.sender(owner).max_root_age(), DEFAULT_MAX_ROOT_AGE);
        o.sender(owner)
            .post_root(NOW - DEFAULT_MAX_ROOT_AGE, root(1))
            .motsu_unwrap();
        // Exactly the bound old: still fresh.
        assert_eq!(
            o.sender(owner).latest_root_at_or_before(NOW).motsu_unwrap(),
            (NOW - DEFAULT_MAX_ROOT_AGE, root(1))
        );
        // One second more: stale.
        let err = o
            .sender(owner)
            .latest_root_at_or_before(NOW + 1)
            .motsu_unwrap_err();
        assert!(err.is::<IBeaconRootOracle::NoFreshRoot>());
        assert!(o
            .sender(stranger)
            .set_max_root_age(60)
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
        for bad in [0, MAX_MAX_ROOT_AGE + 1] {
            assert!(o
                .sender(owner)
                .set_max_root_age(bad)
                .motsu_unwrap_err()
                .is::<IBeaconRootOracle::MaxRootAgeOutOfRange>());
        }
        assert_eq!(o.sender(owner).max_root_age(), DEFAULT_MAX_ROOT_AGE);
        o.sender(owner).set_max_root_age(60).motsu_unwrap();
        o.assert_emitted(&IBeaconRootOracle::MaxRootAgeSet { maxRootAge: 60 });
        assert!(o
            .sender(owner)
            .latest_root_at_or_before(NOW)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::NoFreshRoot>());
        o.sender(owner).post_root(NOW - 60, root(2)).motsu_unwrap();
        assert_eq!(
            o.sender(owner).latest_root_at_or_before(NOW).motsu_unwrap(),
            (NOW - 60, root(2))
        );
        // The exact read ignores the bound (proofs naming a timestamp check their own window).
        assert_eq!(
            o.sender(owner)
                .root_at(NOW - DEFAULT_MAX_ROOT_AGE)
                .motsu_unwrap(),
            root(1)
        );
    }

    #[motsu::test]
    fn the_owner_revokes_a_root_and_reads_fall_back_to_the_next_older(
        o: Contract<BeaconRootOracle>,
        owner: Address,
        updater: Address,
    ) {
        o.sender(owner).initialize(owner, updater).motsu_unwrap();
        o.sender(updater)
            .post_root(NOW - 24, root(1))
            .motsu_unwrap();
        o.sender(updater)
            .post_root(NOW - 12, root(2))
            .motsu_unwrap();
        // Only the owner revokes; an updater cannot.
        assert!(o
            .sender(updater)
            .revoke_root(NOW - 12)
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
        assert!(o
            .sender(owner)
            .revoke_root(NOW - 5)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::RootUnknown>());
        assert!(!o.sender(owner).is_revoked(NOW - 12));
        o.sender(owner).revoke_root(NOW - 12).motsu_unwrap();
        o.assert_emitted(&IBeaconRootOracle::RootRevoked {
            timestamp: NOW - 12,
            root: root(2),
        });
        assert!(o.sender(owner).is_revoked(NOW - 12));
        // Both reads forget it; the at-or-before read falls back to the older root.
        assert_eq!(o.sender(owner).fallback(&ts(NOW - 12)), Err(Vec::new()));
        assert_eq!(
            o.sender(owner).latest_root_at_or_before(NOW).motsu_unwrap(),
            (NOW - 24, root(1))
        );
        // The timestamp stays closed, and a second revocation finds nothing.
        assert!(o
            .sender(updater)
            .post_root(NOW - 12, root(3))
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::RootAlreadyPosted>());
        assert!(o
            .sender(owner)
            .revoke_root(NOW - 12)
            .motsu_unwrap_err()
            .is::<IBeaconRootOracle::RootUnknown>());
        // A newer root serves again.
        o.sender(updater).post_root(NOW, root(4)).motsu_unwrap();
        assert_eq!(
            o.sender(owner).latest_root_at_or_before(NOW).motsu_unwrap(),
            (NOW, root(4))
        );
    }
}
