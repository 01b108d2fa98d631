//! AllocationManager: the slashing registry (EigenLayer's `IAllocationManager`, v1.12 semantics)
//! plus Ferrostake's opt-in slashing guard.
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `updateAVSMetadataURI` | AVS (or its admin/appointee) | marks the AVS as registered; `AVSMetadataURIUpdated` (the URI is never stored) |
//! | `setAVSRegistrar` | AVS side | `registrar.supportsAVS(avs)` (`InvalidAVSRegistrar`); `AVSRegistrarSet` |
//! | `createOperatorSets` (V1: slasher = AVS; V2: explicit slasher), `createRedistributingOperatorSets` | AVS side | metadata registered (`NonexistentAVSMetadata`); id new (`InvalidOperatorSet`); slasher ≠ 0; strategies new in the set; redistributing: recipient ∉ {0 (`InputAddressZero`), burn address (`InvalidRedistributionRecipient`)}, no beacon ETH or EIGEN strategy (`InvalidStrategy`) |
//! | `createOperatorSetsWithSlashingGuard` | AVS side | as V2, plus a guard per set (`InvalidSlashingGuard` unless `0 < maxWadPerIncident ≤ 1e18`, `vetoWindowBlocks ≤ DEALLOCATION_DELAY`, and a resolver when there is a window) |
//! | `add/removeStrategies(To/From)OperatorSet` | AVS side | set exists; strategy absent / present |
//! | `updateSlasher` | AVS side | set exists; slasher set; effective after `SLASHER_CONFIGURATION_DELAY + 1` blocks |
//! | `registerForOperatorSets` | operator side | registration not paused (bit 2); operator registered in the DelegationManager (`InvalidOperator`); sets exist; not slashable by the set already (`AlreadyMemberOfSet`); then the AVS registrar's `registerOperator` (a revert refuses the operator) |
//! | `deregisterFromOperatorSets` | operator side or AVS side (`InvalidCaller`) | not paused (bit 2); member (`NotMemberOfSet`); stays slashable until `block + DEALLOCATION_DELAY`; registrar's `deregisterOperator` |
//! | `setAllocationDelay` | DelegationManager (instant, at operator registration) or operator side (`InvalidCaller`, `InvalidOperator`; effective after `ALLOCATION_CONFIGURATION_DELAY + 1` blocks) | `AllocationDelaySet` |
//! | `modifyAllocations` | operator side (`InvalidCaller`) | not paused (bit 0); allocation delay set; per (set, strategy): matured deallocations cleared first, no pending change, new ≠ current; increases encumber magnitude at once (≤ max, `InsufficientMagnitude`) and take effect after the allocation delay; decreases of a slashable allocation take effect after `DEALLOCATION_DELAY + 1` blocks (queued), others at once |
//! | `clearDeallocationQueue` | anyone | not paused (bit 0); frees matured deallocations in order |
//! | `slashOperator` | the set's slasher (`InvalidCaller`) | not paused (bit 1); operator slashable; strategies ascending, in the set; `0 < wad ≤ 1e18`; magnitude taken = `ceil(current · wad)` from current, max and encumbered; a pending deallocation shrinks by `ceil(|diff| · wad)`; `DelegationManager.slashOperatorShares` per strategy; guarded sets: `wad ≤ maxWadPerIncident` and, with a veto window, the slash is queued instead |
//! | `vetoSlash` | the set's resolver | queued, neither vetoed nor executed, window open |
//! | `executeSlash` | anyone | same parameters as queued; window elapsed; not vetoed/executed; slashed as `slashOperator` would now |
//!
//! Magnitudes are per (operator, strategy): max magnitude starts at 1e18 and only falls by
//! slashing (history kept per block, so `getMaxMagnitudesAtBlock` answers for past blocks);
//! encumbered magnitude = Σ current allocations + pending increases (+ not yet cleared
//! decreases) ≤ max. All delays count blocks (`block.number`: on Arbitrum the L1 block estimate).
//!
//! Five programs behind one proxy (each must fit Stylus's 24 KiB): this default build is the core
//! (`initialize`, `setImplementations`, `setAllocationDelay`, `modifyAllocations`,
//! `clearDeallocationQueue`, and the views the DelegationManager and StrategyManager read on hot
//! paths: `getMaxMagnitudes(address,address[])`, `getMaxMagnitudesAtBlock`,
//! `getRedistributionRecipient`). Its fallback routes every other selector with one delegatecall
//! ([`Program::of`]) to the `registration` program (register/deregister, pause switches), the
//! `slashing` program (`slashOperator`, `executeSlash`, `vetoSlash`), the `config` program (the
//! AVS side, [`config`]) or the `view` program ([`views`]). All five are this crate built with a
//! feature, so they share one storage layout; the logic is plain methods compiled in every build,
//! and native tests call it directly.
//!
//! Ferrostake additions outside `Ferrostake.sol` (to be added there): `setImplementations(address
//! registration, address slashing, address config, address view)` (PauserRegistry unpauser only),
//! the event [`ImplementationsSet`], and the view `configImplementation()`.
//!
//! Permission checks ask the PermissionController `canCall(account, caller, this, selector)` with
//! the selector of the function being served, as EigenLayer does: an account with admins can no
//! longer act for itself directly. Unreachable here (kept for ABI compatibility): `Empty`,
//! `OperatorSetAlreadyMigrated`, `SlasherNotSet` (every set gets a slasher at creation, so
//! `migrateSlashers` is a no-op) and `InvalidSnapshotOrdering` (block numbers never decrease).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
#![cfg_attr(
    any(
        feature = "registration",
        feature = "slashing",
        feature = "config",
        feature = "view"
    ),
    allow(dead_code, unused_imports)
)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{address, aliases::U32, keccak256, Address, B256, U256, U64};
use alloy_sol_types::{SolCall, SolValue};
use ferrostake_common::{
    access::{Initializable, Pausable, ReentrancyGuard},
    call::{call, static_call},
    math::{div_wad, mul_wad_up, WAD},
    Revert,
};
use ferrostake_interfaces::{
    IAllocationManager as IAM, IDelegationManager, IFerrostakeErrors, IPausable,
    IPermissionController, IPermissionControllerMixin, OperatorSet, SlashingParams,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU128, StorageU256, StorageU32,
        StorageU64, StorageVec,
    },
    stylus_core::log,
    ArbResult,
};

pub mod config;
pub mod registration;
pub mod slashing;
pub mod views;

/// The beacon-chain ETH pseudo-strategy (may not be redistributed).
pub const BEACON_CHAIN_ETH_STRATEGY: Address = address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// Where slashed funds of non-redistributing sets go.
pub const DEFAULT_BURN_ADDRESS: Address = address!("00000000000000000000000000000000000E16E4");
/// Pause bit: `modifyAllocations`, `clearDeallocationQueue`.
pub const PAUSED_MODIFY_ALLOCATIONS: u8 = 0;
/// Pause bit: `slashOperator`, `executeSlash`.
pub const PAUSED_OPERATOR_SLASHING: u8 = 1;
/// Pause bit: `registerForOperatorSets`, `deregisterFromOperatorSets`.
pub const PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION: u8 = 2;
/// 1e18 as the `uint64` magnitudes are stored.
pub const WAD_U64: u64 = 1_000_000_000_000_000_000;

/// `bytes32(abi.encodePacked(avs, uint96(id)))`.
pub fn set_key(avs: Address, id: u32) -> B256 {
    let mut k = [0u8; 32];
    k[..20].copy_from_slice(avs.as_slice());
    k[28..].copy_from_slice(&id.to_be_bytes());
    B256::from(k)
}

/// The operator set a key encodes.
pub fn set_of_key(key: B256) -> OperatorSet {
    OperatorSet {
        avs: Address::from_slice(&key[..20]),
        id: u32::from_be_bytes([key[28], key[29], key[30], key[31]]),
    }
}

fn id_word(id: u32) -> B256 {
    B256::from(U256::from(id))
}

/// An allocation from one strategy to one operator set, as stored in one slot:
/// `currentMagnitude` (bits 0–63), `pendingDiff` (64–191, two's complement), `effectBlock` (192–223).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Alloc {
    pub current: u64,
    pub pending: i128,
    pub effect: u32,
}

impl Alloc {
    fn pack(self) -> U256 {
        let p = self.pending as u128;
        U256::from_limbs([self.current, p as u64, (p >> 64) as u64, self.effect as u64])
    }

    fn unpack(w: U256) -> Self {
        let l = w.as_limbs();
        Alloc {
            current: l[0],
            pending: (((l[2] as u128) << 64) | l[1] as u128) as i128,
            effect: l[3] as u32,
        }
    }

    /// `currentMagnitude + pendingDiff` (what the allocation becomes).
    pub fn target(self) -> u64 {
        add_diff(self.current, self.pending)
    }

    /// The ABI `Allocation` tuple.
    pub fn abi(self) -> (u64, i128, u32) {
        (self.current, self.pending, self.effect)
    }
}

/// `x + diff`; magnitudes stay in `[0, 1e18]` by construction, so this never wraps in practice and
/// saturates if it would.
fn add_diff(x: u64, diff: i128) -> u64 {
    (x as i128).saturating_add(diff).clamp(0, u64::MAX as i128) as u64
}

/// An enumerable set of words (EigenLayer's EnumerableSet): members in a vector, 1-based
/// positions in a map. Addresses, set ids and set keys are all stored as words.
#[storage]
pub struct WordSet {
    items: StorageVec<StorageB256>,
    positions: StorageMap<B256, StorageU256>,
}

impl WordSet {
    pub fn contains(&self, v: B256) -> bool {
        !self.positions.get(v).is_zero()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn at(&self, i: usize) -> B256 {
        self.items.get(i).unwrap_or_default()
    }

    pub fn values(&self) -> Vec<B256> {
        (0..self.items.len()).map(|i| self.at(i)).collect()
    }

    /// Adds `v`; `false` when already present.
    pub fn add(&mut self, v: B256) -> bool {
        if self.contains(v) {
            return false;
        }
        self.items.push(v);
        self.positions.setter(v).set(U256::from(self.items.len()));
        true
    }

    /// Removes `v` (swap and pop); `false` when absent.
    pub fn remove(&mut self, v: B256) -> bool {
        let pos = self.positions.get(v);
        if pos.is_zero() {
            return false;
        }
        let i = pos.saturating_to::<usize>() - 1;
        let last = self.items.len() - 1;
        if i != last {
            let moved = self.at(last);
            if let Some(mut slot) = self.items.setter(i) {
                slot.set(moved);
            }
            self.positions.setter(moved).set(pos);
        }
        self.items.erase_last();
        self.positions.delete(v);
        true
    }
}

/// A FIFO of operator-set keys (EigenLayer's deallocation queue): entries before `head` are spent.
#[storage]
pub struct KeyQueue {
    items: StorageVec<StorageB256>,
    head: StorageU256,
}

impl KeyQueue {
    fn head(&self) -> usize {
        self.head.get().saturating_to()
    }

    pub fn len(&self) -> usize {
        self.items.len().saturating_sub(self.head())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th pending entry from the front.
    pub fn at(&self, i: usize) -> B256 {
        self.items.get(self.head() + i).unwrap_or_default()
    }

    fn push_back(&mut self, key: B256) {
        self.items.push(key);
    }

    fn pop_front(&mut self) {
        let head = self.head();
        if head + 1 >= self.items.len() {
            // Emptied: reset so the vector's slots are reused (and refunded).
            self.items.truncate(0);
            self.head.set(U256::ZERO);
        } else {
            if let Some(mut slot) = self.items.setter(head) {
                slot.set(B256::ZERO);
            }
            self.head.set(U256::from(head + 1));
        }
    }
}

/// Who may slash an operator set: `slasher` until `effectBlock`, then `pending`.
#[storage]
pub struct SlasherParams {
    slasher: StorageAddress,
    effect_block: StorageU32,
    pending: StorageAddress,
}

/// Ferrostake extension: an operator set's slashing guard (all zero: unguarded).
#[storage]
pub struct Guard {
    max_wad: StorageU64,
    window: StorageU32,
    resolver: StorageAddress,
}

/// Ferrostake extension: a queued slash of a guarded set.
#[storage]
pub struct QueuedSlashSlot {
    params_hash: StorageB256,
    executable_at: StorageU32,
    vetoed: StorageBool,
    executed: StorageBool,
    /// The slashed operator (the veto releases its hold).
    operator: StorageAddress,
}

/// Ferrostake extension: the hold an operator's pending (queued, neither executed nor vetoed)
/// slashes put on its stakers' queued withdrawals. A hold episode runs from the first slash queued
/// while none is pending (`from`) until none is pending; `episodes` records, per finished episode
/// with an execution, `(from << 32) | last execution block`, in order.
#[storage]
pub struct SlashHold {
    pending: StorageU32,
    from: StorageU32,
    last_executed: StorageU32,
    episodes: StorageVec<StorageU64>,
}

#[storage]
pub struct AllocationManager {
    init: Initializable,
    pausable: Pausable,
    guard: ReentrancyGuard,
    delegation: StorageAddress,
    eigen_strategy: StorageAddress,
    permission_controller: StorageAddress,
    /// The programs the fallback delegates to, by selector (see [`Program`]).
    registration_implementation: StorageAddress,
    slashing_implementation: StorageAddress,
    config_implementation: StorageAddress,
    view_implementation: StorageAddress,
    deallocation_delay: StorageU32,
    allocation_configuration_delay: StorageU32,
    /// AVS → has called `updateAVSMetadataURI`.
    avs_metadata: StorageMap<Address, StorageBool>,
    /// AVS → registrar (zero: the AVS itself).
    avs_registrar: StorageMap<Address, StorageAddress>,
    /// AVS → its operator set ids.
    operator_sets: StorageMap<Address, WordSet>,
    /// Set key → strategies / members.
    set_strategies: StorageMap<B256, WordSet>,
    set_members: StorageMap<B256, WordSet>,
    /// Set key → redistribution recipient (zero: burn).
    redistribution_recipients: StorageMap<B256, StorageAddress>,
    slashers: StorageMap<B256, SlasherParams>,
    slash_ids: StorageMap<B256, StorageU256>,
    /// Operator → set keys it is registered for / has allocations in.
    registered_sets: StorageMap<Address, WordSet>,
    allocated_sets: StorageMap<Address, WordSet>,
    /// Operator → set key → strategies with (pending) allocations.
    allocated_strategies: StorageMap<Address, StorageMap<B256, WordSet>>,
    /// Operator → set key → `registered` (bit 32) | `slashableUntil` (bits 0–31).
    registration: StorageMap<Address, StorageMap<B256, StorageU64>>,
    /// Operator → packed `AllocationDelayInfo` (see [`DelayInfo`]).
    allocation_delay: StorageMap<Address, StorageU128>,
    /// Operator → set key → strategy → packed [`Alloc`].
    allocations: StorageMap<Address, StorageMap<B256, StorageMap<Address, StorageU256>>>,
    /// Operator → strategy → encumbered magnitude.
    encumbered: StorageMap<Address, StorageMap<Address, StorageU64>>,
    /// Operator → strategy → max magnitude history: `(block << 64) | magnitude`, blocks ascending.
    max_history: StorageMap<Address, StorageMap<Address, StorageVec<StorageU128>>>,
    /// Operator → strategy → set keys with pending deallocations, in effect order.
    deallocation_queue: StorageMap<Address, StorageMap<Address, KeyQueue>>,
    /// Ferrostake extension: slashing guards and their queued slashes.
    guards: StorageMap<B256, Guard>,
    queued_slash_count: StorageMap<B256, StorageU256>,
    queued_slashes: StorageMap<B256, StorageMap<U256, QueuedSlashSlot>>,
    /// Ferrostake extension: operator → set key → pending queued slashes (while non-zero, the
    /// operator's allocations in the set cannot leave: see [`AllocationManager::held`]).
    pending_slashes: StorageMap<Address, StorageMap<B256, StorageU32>>,
    /// Ferrostake extension: operator → the hold on its stakers' withdrawals.
    slash_holds: StorageMap<Address, SlashHold>,
}

ferrostake_common::entrypoint!(AllocationManager);

/// EigenLayer's `AllocationDelayInfo` packed in 128 bits: `delay` (0–31), `isSet` (32),
/// `pendingDelay` (64–95), `effectBlock` (96–127).
#[derive(Clone, Copy, Default)]
pub struct DelayInfo {
    pub delay: u32,
    pub is_set: bool,
    pub pending: u32,
    pub effect: u32,
}

impl DelayInfo {
    fn pack(self) -> u128 {
        self.delay as u128
            | (self.is_set as u128) << 32
            | (self.pending as u128) << 64
            | (self.effect as u128) << 96
    }

    fn unpack(w: u128) -> Self {
        DelayInfo {
            delay: w as u32,
            is_set: (w >> 32) & 1 == 1,
            pending: (w >> 64) as u32,
            effect: (w >> 96) as u32,
        }
    }

    /// The delay in force at `block` (a matured pending delay applies).
    fn at(self, block: u32) -> (bool, u32) {
        if self.effect != 0 && block >= self.effect {
            (true, self.pending)
        } else {
            (self.is_set, self.delay)
        }
    }
}

fn overflow() -> Revert {
    IFerrostakeErrors::MathOverflow {}.into()
}

fn to_u64(x: U256) -> Result<u64, Revert> {
    u64::try_from(x).map_err(|_| overflow())
}

/// Shared state reads (every program).
impl AllocationManager {
    pub(crate) fn block_number(&self) -> u32 {
        #[cfg(test)]
        let block = test_clock::get();
        #[cfg(not(test))]
        let block = self.vm().block_number();
        // Arbitrum's L1 block number fits 32 bits for centuries; saturate rather than wrap.
        u32::try_from(block).unwrap_or(u32::MAX)
    }

    pub(crate) fn set_exists(&self, avs: Address, id: u32) -> bool {
        self.operator_sets.getter(avs).contains(id_word(id))
    }

    pub(crate) fn require_set(&self, avs: Address, id: u32) -> Result<B256, Revert> {
        if !self.set_exists(avs, id) {
            return Err(IAM::InvalidOperatorSet {}.into());
        }
        Ok(set_key(avs, id))
    }

    pub(crate) fn dealloc_delay(&self) -> u32 {
        self.deallocation_delay.get().to()
    }

    pub(crate) fn config_delay(&self) -> u32 {
        self.allocation_configuration_delay.get().to()
    }

    pub(crate) fn registration_of(&self, operator: Address, key: B256) -> (bool, u32) {
        let w: u64 = self.registration.getter(operator).get(key).to();
        ((w >> 32) & 1 == 1, w as u32)
    }

    /// Registered, or deregistered less than `DEALLOCATION_DELAY` blocks ago.
    pub(crate) fn is_slashable(&self, operator: Address, key: B256) -> bool {
        let (registered, until) = self.registration_of(operator, key);
        registered || self.block_number() <= until
    }

    /// A queued slash of `key` against `operator` is pending (neither executed nor vetoed): the
    /// stake it may take stays put (deallocations do not complete, a decrease is queued even
    /// after deregistration) until it resolves.
    pub(crate) fn held(&self, operator: Address, key: B256) -> bool {
        self.pending_slashes.getter(operator).get(key) != U32::ZERO
    }

    pub(crate) fn delay_info(&self, operator: Address) -> DelayInfo {
        DelayInfo::unpack(self.allocation_delay.get(operator).to())
    }

    pub(crate) fn stored_alloc(&self, operator: Address, key: B256, strategy: Address) -> Alloc {
        Alloc::unpack(self.allocations.getter(operator).getter(key).get(strategy))
    }

    pub(crate) fn encumbered_of(&self, operator: Address, strategy: Address) -> u64 {
        self.encumbered.getter(operator).get(strategy).to()
    }

    /// The allocation as of now (a due pending change applied) and the encumbered magnitude it
    /// implies (a due decrease frees magnitude).
    pub(crate) fn updated_alloc(
        &self,
        operator: Address,
        key: B256,
        strategy: Address,
    ) -> (u64, Alloc) {
        let mut enc = self.encumbered_of(operator, strategy);
        let mut a = self.stored_alloc(operator, key, strategy);
        if self.block_number() < a.effect || (a.pending < 0 && self.held(operator, key)) {
            return (enc, a);
        }
        a.current = a.target();
        if a.pending < 0 {
            enc = add_diff(enc, a.pending);
        }
        a.pending = 0;
        a.effect = 0;
        (enc, a)
    }

    /// Latest max magnitude (1e18 before any slash).
    pub(crate) fn max_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        let by_op = self.max_history.getter(operator);
        let h = by_op.getter(strategy);
        match h.len() {
            0 => WAD_U64,
            n => h.get(n - 1).unwrap_or_default().to::<u128>() as u64,
        }
    }

    /// Max magnitude at `block`: the last snapshot at or before it (1e18 if none).
    pub(crate) fn max_magnitude_at(&self, operator: Address, strategy: Address, block: u32) -> u64 {
        let by_op = self.max_history.getter(operator);
        let h = by_op.getter(strategy);
        let entry = |i: usize| h.get(i).unwrap_or_default().to::<u128>();
        // Binary search for the first entry with a key > block.
        let (mut lo, mut hi) = (0usize, h.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (entry(mid) >> 64) as u32 > block {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if lo == 0 {
            WAD_U64
        } else {
            entry(lo - 1) as u64
        }
    }

    pub(crate) fn max_magnitudes(&self, operator: Address, strategies: &[Address]) -> Vec<u64> {
        strategies
            .iter()
            .map(|s| self.max_magnitude(operator, *s))
            .collect()
    }

    pub(crate) fn max_magnitudes_at(
        &self,
        operator: Address,
        strategies: &[Address],
        block: u32,
    ) -> Vec<u64> {
        strategies
            .iter()
            .map(|s| self.max_magnitude_at(operator, *s, block))
            .collect()
    }

    pub(crate) fn redistribution_recipient(&self, key: B256) -> Address {
        let r = self.redistribution_recipients.get(key);
        if r.is_zero() {
            DEFAULT_BURN_ADDRESS
        } else {
            r
        }
    }

    /// `(slasher, pendingSlasher, effectBlock)`, with a due pending slasher applied.
    pub(crate) fn slasher_of(&self, key: B256) -> Address {
        let p = self.slashers.getter(key);
        let effect: u32 = p.effect_block.get().to();
        if self.block_number() >= effect {
            p.pending.get()
        } else {
            p.slasher.get()
        }
    }

    pub(crate) fn avs_registrar_of(&self, avs: Address) -> Address {
        let r = self.avs_registrar.get(avs);
        if r.is_zero() {
            avs
        } else {
            r
        }
    }
}

/// State-changing machinery (core, registration, slashing and config programs).
impl AllocationManager {
    /// Whether the caller may act for `account` (the PermissionController decides: the account
    /// itself while it has no admins, else its admins and appointees for this selector).
    /// `selector` is the ABI function being served (appointees hold per-selector permissions).
    pub(crate) fn can_call(&self, account: Address, selector: [u8; 4]) -> Result<bool, Revert> {
        let caller = self.vm().msg_sender();
        let pc = self.permission_controller.get();
        if pc.is_zero() {
            return Ok(caller == account);
        }
        Ok(call(
            pc,
            &IPermissionController::canCallCall {
                account,
                caller,
                target: self.vm().contract_address(),
                selector: selector.into(),
            },
        )?
        ._0)
    }

    /// EigenLayer's `checkCanCall` modifier.
    pub(crate) fn check_can_call(&self, account: Address, selector: [u8; 4]) -> Result<(), Revert> {
        if self.can_call(account, selector)? {
            Ok(())
        } else {
            Err(IPermissionControllerMixin::InvalidPermissions {}.into())
        }
    }

    pub(crate) fn require_operator(&self, operator: Address) -> Result<(), Revert> {
        let ok = static_call(
            self.delegation.get(),
            &IDelegationManager::isOperatorCall { operator },
        )?
        ._0;
        if !ok {
            return Err(IAM::InvalidOperator {}.into());
        }
        Ok(())
    }

    pub(crate) fn block_plus(&self, delay: u32) -> Result<u32, Revert> {
        self.block_number().checked_add(delay).ok_or_else(overflow)
    }

    /// Stores an allocation and the encumbered magnitude, keeping the allocated-set indexes.
    fn write_alloc(&mut self, operator: Address, key: B256, strategy: Address, enc: u64, a: Alloc) {
        if enc != self.encumbered_of(operator, strategy) {
            self.encumbered
                .setter(operator)
                .setter(strategy)
                .set(U256::from(enc).to());
            log(
                self.vm(),
                IAM::EncumberedMagnitudeUpdated {
                    operator,
                    strategy,
                    encumberedMagnitude: enc,
                },
            );
        }
        self.allocations
            .setter(operator)
            .setter(key)
            .setter(strategy)
            .set(a.pack());
        if a.pending != 0 {
            self.allocated_sets.setter(operator).add(key);
            self.allocated_strategies
                .setter(operator)
                .setter(key)
                .add(strategy.into_word());
        } else if a.current == 0 {
            let mut by_op = self.allocated_strategies.setter(operator);
            let mut strategies = by_op.setter(key);
            strategies.remove(strategy.into_word());
            if strategies.is_empty() {
                self.allocated_sets.setter(operator).remove(key);
            }
        }
    }

    /// Frees up to `max` matured deallocations of (operator, strategy), in order.
    fn clear_queue(&mut self, operator: Address, strategy: Address, max: usize) {
        let mut cleared = 0;
        while cleared < max {
            let key = {
                let by_op = self.deallocation_queue.getter(operator);
                let q = by_op.getter(strategy);
                if q.is_empty() {
                    break;
                }
                q.at(0)
            };
            let (enc, a) = self.updated_alloc(operator, key, strategy);
            // Not due yet, or held by a pending slash (the queue stays in order).
            if self.block_number() < a.effect || a.pending < 0 {
                break;
            }
            self.write_alloc(operator, key, strategy, enc, a);
            self.deallocation_queue
                .setter(operator)
                .setter(strategy)
                .pop_front();
            cleared += 1;
        }
    }

    fn push_max_magnitude(
        &mut self,
        operator: Address,
        strategy: Address,
        magnitude: u64,
    ) -> Result<(), Revert> {
        let block = self.block_number();
        let entry = U256::from(((block as u128) << 64) | magnitude as u128).to();
        let mut by_op = self.max_history.setter(operator);
        let mut h = by_op.setter(strategy);
        let n = h.len();
        let last_block = match n {
            0 => None,
            _ => Some((h.get(n - 1).unwrap_or_default().to::<u128>() >> 64) as u32),
        };
        match last_block {
            Some(b) if b > block => return Err(IAM::InvalidSnapshotOrdering {}.into()),
            Some(b) if b == block => {
                if let Some(mut slot) = h.setter(n - 1) {
                    slot.set(entry);
                }
            }
            _ => h.push(entry),
        }
        log(
            self.vm(),
            IAM::MaxMagnitudeUpdated {
                operator,
                strategy,
                maxMagnitude: magnitude,
            },
        );
        Ok(())
    }

    pub(crate) fn set_slasher(
        &mut self,
        key: B256,
        slasher: Address,
        instant: bool,
    ) -> Result<(), Revert> {
        if slasher.is_zero() {
            return Err(IAM::InputAddressZero {}.into());
        }
        let block = self.block_number();
        let current = self.slasher_of(key);
        let effect_block = if instant {
            block
        } else {
            block
                .checked_add(self.config_delay())
                .and_then(|b| b.checked_add(1))
                .ok_or_else(overflow)?
        };
        let mut p = self.slashers.setter(key);
        let effect: u32 = p.effect_block.get().to();
        if !instant && p.pending.get() == slasher && block < effect {
            // The same change is already on its way; do not restart the delay.
            return Ok(());
        }
        p.slasher.set(if instant { slasher } else { current });
        p.pending.set(slasher);
        p.effect_block.set(U256::from(effect_block).to());
        log(
            self.vm(),
            IAM::SlasherUpdated {
                operatorSet: set_of_key(key),
                slasher,
                effectBlock: effect_block,
            },
        );
        Ok(())
    }

    pub(crate) fn add_strategy(
        &mut self,
        key: B256,
        strategy: Address,
        redistributing: bool,
    ) -> Result<(), Revert> {
        if redistributing
            && (strategy == BEACON_CHAIN_ETH_STRATEGY || strategy == self.eigen_strategy.get())
        {
            return Err(IAM::InvalidStrategy {}.into());
        }
        if !self.set_strategies.setter(key).add(strategy.into_word()) {
            return Err(IAM::StrategyAlreadyInOperatorSet {}.into());
        }
        log(
            self.vm(),
            IAM::StrategyAddedToOperatorSet {
                operatorSet: set_of_key(key),
                strategy,
            },
        );
        Ok(())
    }

    /// Creates one operator set; `recipient` is the burn address for non-redistributing sets.
    fn create_set(
        &mut self,
        avs: Address,
        id: u32,
        strategies: &[Address],
        slasher: Address,
        recipient: Address,
    ) -> Result<B256, Revert> {
        if !self.operator_sets.setter(avs).add(id_word(id)) {
            return Err(IAM::InvalidOperatorSet {}.into());
        }
        let key = set_key(avs, id);
        log(
            self.vm(),
            IAM::OperatorSetCreated {
                operatorSet: set_of_key(key),
            },
        );
        let redistributing = recipient != DEFAULT_BURN_ADDRESS;
        if redistributing {
            self.redistribution_recipients.setter(key).set(recipient);
            log(
                self.vm(),
                IAM::RedistributionAddressSet {
                    operatorSet: set_of_key(key),
                    redistributionRecipient: recipient,
                },
            );
        }
        for s in strategies {
            self.add_strategy(key, *s, redistributing)?;
        }
        self.set_slasher(key, slasher, true)?;
        Ok(key)
    }

    /// `createOperatorSets` / `createRedistributingOperatorSets`, both param versions:
    /// `(id, strategies, slasher)` per set.
    pub(crate) fn create_sets(
        &mut self,
        avs: Address,
        sets: Vec<(u32, Vec<Address>, Address)>,
        recipients: Option<Vec<Address>>,
        selector: [u8; 4],
    ) -> Result<(), Revert> {
        self.check_can_call(avs, selector)?;
        if let Some(r) = &recipients {
            if r.len() != sets.len() {
                return Err(IAM::InputArrayLengthMismatch {}.into());
            }
        }
        if !self.avs_metadata.get(avs) {
            return Err(IAM::NonexistentAVSMetadata {}.into());
        }
        for (i, (id, strategies, slasher)) in sets.into_iter().enumerate() {
            let recipient = match &recipients {
                None => DEFAULT_BURN_ADDRESS,
                Some(r) => {
                    let r = r[i];
                    if r.is_zero() {
                        return Err(IAM::InputAddressZero {}.into());
                    }
                    if r == DEFAULT_BURN_ADDRESS {
                        return Err(IAM::InvalidRedistributionRecipient {}.into());
                    }
                    r
                }
            };
            self.create_set(avs, id, &strategies, slasher, recipient)?;
        }
        Ok(())
    }

    /// A slash of `key` against `operator` was queued: hold its stake in the set and its stakers'
    /// withdrawals (see [`SlashHold`]). A new hold episode is reported to the DelegationManager
    /// (`slashHoldStarted`), which asks about holds only for operators it was told of.
    fn hold(&mut self, operator: Address, key: B256) -> Result<(), Revert> {
        let n = self.pending_slashes.getter(operator).get(key);
        self.pending_slashes
            .setter(operator)
            .setter(key)
            .set(n + U32::from(1u8));
        let block = self.block_number();
        let mut h = self.slash_holds.setter(operator);
        let pending = h.pending.get();
        h.pending.set(pending + U32::from(1u8));
        if pending != U32::ZERO {
            return Ok(());
        }
        h.from.set(U32::from(block));
        h.last_executed.set(U32::ZERO);
        call(
            self.delegation.get(),
            &IDelegationManager::slashHoldStartedCall { operator },
        )?;
        Ok(())
    }

    /// A queued slash of `key` against `operator` was executed or vetoed: release its hold.
    pub(crate) fn release(&mut self, operator: Address, key: B256, executed: bool) {
        let n = self.pending_slashes.getter(operator).get(key);
        self.pending_slashes
            .setter(operator)
            .setter(key)
            .set(n.saturating_sub(U32::from(1u8)));
        let block = self.block_number();
        let mut h = self.slash_holds.setter(operator);
        if executed {
            h.last_executed.set(U32::from(block));
        }
        let pending = h.pending.get().saturating_sub(U32::from(1u8));
        h.pending.set(pending);
        let last: u32 = h.last_executed.get().to();
        if pending == U32::ZERO && last != 0 {
            let from: u64 = h.from.get().to();
            h.episodes.push(U64::from((from << 32) | last as u64));
            h.last_executed.set(U32::ZERO);
        }
    }

    /// Ferrostake extension: whether a queued withdrawal from `operator` that was slashable until
    /// block `until` is held by a pending slash, and else the block whose slashing factor it
    /// pays at: `until`, or the last execution of a hold episode that started by `until` (the
    /// withdrawal was slashable when that episode's first slash was queued).
    pub fn withdrawal_slash_hold(&self, operator: Address, until: u32) -> (bool, u32) {
        let h = self.slash_holds.getter(operator);
        if h.pending.get() != U32::ZERO && h.from.get().to::<u32>() <= until {
            return (true, until);
        }
        let mut i = h.episodes.len();
        while i > 0 {
            i -= 1;
            let e: u64 = h.episodes.get(i).unwrap_or_default().to();
            let (from, last) = ((e >> 32) as u32, e as u32);
            if last <= until {
                break;
            }
            if from <= until {
                return (false, last);
            }
        }
        (false, until)
    }

    /// Checks shared by `slashOperator` and `executeSlash`: set exists, arrays match, each wad
    /// within the set's per-incident cap, and (`now`: not for a queued slash, whose operator was
    /// slashable when it was queued and is held since) the operator slashable now.
    fn validate_slash(&self, avs: Address, p: &SlashingParams, now: bool) -> Result<B256, Revert> {
        let key = self.require_set(avs, p.operatorSetId)?;
        if p.strategies.len() != p.wadsToSlash.len() {
            return Err(IAM::InputArrayLengthMismatch {}.into());
        }
        if now && !self.is_slashable(p.operator, key) {
            return Err(IAM::OperatorNotSlashable {}.into());
        }
        let cap: u64 = self.guards.getter(key).max_wad.get().to();
        if cap != 0 && p.wadsToSlash.iter().any(|w| *w > U256::from(cap)) {
            return Err(IAM::SlashExceedsIncidentCap {}.into());
        }
        Ok(key)
    }

    /// The slash itself (EigenLayer's `_slashOperator`).
    fn execute_slash_inner(
        &mut self,
        key: B256,
        p: &SlashingParams,
    ) -> Result<(U256, Vec<U256>), Revert> {
        let set = set_of_key(key);
        let operator = p.operator;
        let slash_id = self.slash_ids.get(key) + U256::from(1u8);
        self.slash_ids.setter(key).set(slash_id);
        let n = p.strategies.len();
        let mut shares = Vec::with_capacity(n);
        let mut wad_slashed = Vec::with_capacity(n);
        let block = self.block_number();
        for i in 0..n {
            let strategy = p.strategies[i];
            let wad = p.wadsToSlash[i];
            if i > 0 && strategy <= p.strategies[i - 1] {
                return Err(IAM::StrategiesMustBeInAscendingOrder {}.into());
            }
            if wad.is_zero() || wad > WAD {
                return Err(IAM::InvalidWadToSlash {}.into());
            }
            if !self
                .set_strategies
                .getter(key)
                .contains(strategy.into_word())
            {
                return Err(IAM::StrategyNotInOperatorSet {}.into());
            }
            let (mut enc, mut a) = self.updated_alloc(operator, key, strategy);
            if a.current == 0 {
                // Nothing slashable here (e.g. a deallocation just completed): skip, do not revert.
                shares.push(U256::ZERO);
                wad_slashed.push(U256::ZERO);
                continue;
            }
            let prev_max = self.max_magnitude(operator, strategy);
            // ≤ current since wad ≤ 1e18 (rounded up so tiny slashes never round to nothing).
            let slashed = to_u64(mul_wad_up(U256::from(a.current), wad)?)?;
            // prev_max ≥ current > 0.
            wad_slashed.push(div_wad(U256::from(slashed), U256::from(prev_max))?);
            a.current -= slashed;
            let new_max = prev_max.saturating_sub(slashed);
            enc = enc.saturating_sub(slashed);
            if a.pending < 0 {
                // A queued deallocation frees proportionally less.
                let freed = to_u64(mul_wad_up(U256::from(a.pending.unsigned_abs()), wad)?)?;
                a.pending += freed as i128;
                log(
                    self.vm(),
                    IAM::AllocationUpdated {
                        operator,
                        operatorSet: set.clone(),
                        strategy,
                        magnitude: a.target(),
                        effectBlock: a.effect,
                    },
                );
            }
            self.write_alloc(operator, key, strategy, enc, a);
            log(
                self.vm(),
                IAM::AllocationUpdated {
                    operator,
                    operatorSet: set.clone(),
                    strategy,
                    magnitude: a.current,
                    effectBlock: block,
                },
            );
            self.push_max_magnitude(operator, strategy, new_max)?;
            let burned = call(
                self.delegation.get(),
                &IDelegationManager::slashOperatorSharesCall {
                    operator,
                    operatorSet: set.clone(),
                    slashId: slash_id,
                    strategy,
                    prevMaxMagnitude: prev_max,
                    newMaxMagnitude: new_max,
                },
            )?
            .totalDepositSharesToBurn;
            shares.push(burned);
        }
        log(
            self.vm(),
            IAM::OperatorSlashed {
                operator,
                operatorSet: set,
                strategies: p.strategies.clone(),
                wadSlashed: wad_slashed,
                description: p.description.clone(),
            },
        );
        Ok((slash_id, shares))
    }

    /// `slashOperator(avs, params)`: the slasher slashes now, or queues the slash when the set has
    /// a veto window (then returns slash id 0 and no shares; `SlashQueued` carries the queue id).
    pub fn slash_operator(
        &mut self,
        avs: Address,
        p: SlashingParams,
    ) -> Result<(U256, Vec<U256>), Revert> {
        self.pausable.require_not_paused(PAUSED_OPERATOR_SLASHING)?;
        let key = self.require_set(avs, p.operatorSetId)?;
        if self.vm().msg_sender() != self.slasher_of(key) {
            return Err(IAM::InvalidCaller {}.into());
        }
        self.validate_slash(avs, &p, true)?;
        let window: u32 = self.guards.getter(key).window.get().to();
        if window != 0 {
            let executable_at = self.block_plus(window)?;
            let id = self.queued_slash_count.get(key) + U256::from(1u8);
            self.queued_slash_count.setter(key).set(id);
            let mut q = self.queued_slashes.setter(key);
            let mut slot = q.setter(id);
            slot.params_hash.set(keccak256(p.abi_encode()));
            slot.executable_at.set(U256::from(executable_at).to());
            slot.operator.set(p.operator);
            self.hold(p.operator, key)?;
            log(
                self.vm(),
                IAM::SlashQueued {
                    operatorSet: set_of_key(key),
                    queuedSlashId: id,
                    params: p,
                    executableAtBlock: executable_at,
                },
            );
            return Ok((U256::ZERO, Vec::new()));
        }
        self.guard.enter()?;
        let out = self.execute_slash_inner(key, &p)?;
        self.guard.exit();
        Ok(out)
    }

    /// `executeSlash(operatorSet, queuedSlashId, params)`: anyone, once the veto window passed.
    pub fn execute_slash(
        &mut self,
        avs: Address,
        id: u32,
        queued_id: U256,
        p: SlashingParams,
    ) -> Result<(U256, Vec<U256>), Revert> {
        self.pausable.require_not_paused(PAUSED_OPERATOR_SLASHING)?;
        let key = set_key(avs, id);
        let (hash, executable_at, vetoed, executed) = {
            let q = self.queued_slashes.getter(key);
            let s = q.getter(queued_id);
            (
                s.params_hash.get(),
                s.executable_at.get().to::<u32>(),
                s.vetoed.get(),
                s.executed.get(),
            )
        };
        if hash.is_zero() || p.operatorSetId != id || hash != keccak256(p.abi_encode()) {
            return Err(IAM::SlashNotQueued {}.into());
        }
        if vetoed || executed {
            return Err(IAM::SlashNotExecutable {}.into());
        }
        if self.block_number() < executable_at {
            return Err(IAM::SlashVetoWindowActive {}.into());
        }
        self.validate_slash(avs, &p, false)?;
        self.queued_slashes
            .setter(key)
            .setter(queued_id)
            .executed
            .set(true);
        self.guard.enter()?;
        // Still held while it executes: what was slashable when it was queued is still there.
        let (slash_id, shares) = self.execute_slash_inner(key, &p)?;
        self.release(p.operator, key, true);
        self.guard.exit();
        log(
            self.vm(),
            IAM::SlashExecuted {
                operatorSet: set_of_key(key),
                queuedSlashId: queued_id,
                slashId: slash_id,
            },
        );
        Ok((slash_id, shares))
    }
}

alloy_sol_types::sol! {
    /// Ferrostake extension (to move into Ferrostake.sol): the fallback's programs changed.
    #[derive(Debug, PartialEq, Eq)]
    event ImplementationsSet(address registrationImplementation, address slashingImplementation, address configImplementation, address viewImplementation);
}

/// The five programs behind one proxy: this crate built with no feature (core), `registration`,
/// `slashing`, `config` or `view`. The core serves its own functions and routes every other selector here.
#[derive(Debug, PartialEq, Eq)]
pub enum Program {
    /// `slashOperator`, `executeSlash`, `vetoSlash`.
    Slashing,
    /// The AVS-side configuration functions.
    Config,
    /// Operator (de)registration for sets, and the pause switches.
    Registration,
    /// Everything else (read-only).
    View,
}

impl Program {
    pub fn of(calldata: &[u8]) -> Program {
        let selector: [u8; 4] = calldata
            .get(..4)
            .and_then(|s| s.try_into().ok())
            .unwrap_or_default();
        match selector {
            IAM::slashOperatorCall::SELECTOR
            | IAM::executeSlashCall::SELECTOR
            | IAM::vetoSlashCall::SELECTOR => Program::Slashing,
            IAM::updateAVSMetadataURICall::SELECTOR
            | IAM::setAVSRegistrarCall::SELECTOR
            | IAM::createOperatorSets_0Call::SELECTOR
            | IAM::createOperatorSets_1Call::SELECTOR
            | IAM::createRedistributingOperatorSets_0Call::SELECTOR
            | IAM::createRedistributingOperatorSets_1Call::SELECTOR
            | IAM::createOperatorSetsWithSlashingGuardCall::SELECTOR
            | IAM::addStrategiesToOperatorSetCall::SELECTOR
            | IAM::removeStrategiesFromOperatorSetCall::SELECTOR
            | IAM::updateSlasherCall::SELECTOR
            | IAM::migrateSlashersCall::SELECTOR => Program::Config,
            IAM::registerForOperatorSetsCall::SELECTOR
            | IAM::deregisterFromOperatorSetsCall::SELECTOR
            | IPausable::pauseCall::SELECTOR
            | IPausable::pauseAllCall::SELECTOR
            | IPausable::unpauseCall::SELECTOR => Program::Registration,
            _ => Program::View,
        }
    }
}

/// The ABI's `OperatorSet` tuple.
pub type SetTuple = (Address, u32);
/// The ABI's `AllocateParams` tuple.
pub type AllocateTuple = (SetTuple, Vec<Address>, Vec<u64>);
/// The ABI's `SlashingGuard` tuple.
pub type GuardTuple = (u64, u32, Address);

/// The core program: allocations and hot-path views; every other selector is delegated to the
/// program serving it (see [`Program`]).
#[cfg(not(any(
    feature = "registration",
    feature = "slashing",
    feature = "config",
    feature = "view"
)))]
#[public]
impl AllocationManager {
    /// One-shot initializer (EigenLayer: constructor immutables + `initialize`).
    #[allow(clippy::too_many_arguments)] // mirrors the ABI
    pub fn initialize(
        &mut self,
        delegation: Address,
        eigen_strategy: Address,
        pauser_registry: Address,
        permission_controller: Address,
        deallocation_delay: u32,
        allocation_configuration_delay: u32,
        initial_paused_status: U256,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        self.guard.init();
        if delegation.is_zero() || permission_controller.is_zero() {
            return Err(IAM::InputAddressZero {}.into());
        }
        self.delegation.set(delegation);
        self.eigen_strategy.set(eigen_strategy);
        self.permission_controller.set(permission_controller);
        self.deallocation_delay
            .set(U256::from(deallocation_delay).to());
        self.allocation_configuration_delay
            .set(U256::from(allocation_configuration_delay).to());
        self.pausable.init(pauser_registry, initial_paused_status)
    }

    /// Ferrostake extension (not in the Solidity interface yet): the proxy's ERC-1967 admin (the
    /// upgrade key, with whatever delay it sits behind) points the fallback at the registration,
    /// slashing, config and view programs.
    #[selector(name = "setImplementations")]
    pub fn set_implementations(
        &mut self,
        registration: Address,
        slashing: Address,
        config: Address,
        view: Address,
    ) -> Result<(), Revert> {
        ferrostake_common::access::only_proxy_admin(self.vm())?;
        if registration.is_zero() || slashing.is_zero() || config.is_zero() || view.is_zero() {
            return Err(IAM::InputAddressZero {}.into());
        }
        self.registration_implementation.set(registration);
        self.slashing_implementation.set(slashing);
        self.config_implementation.set(config);
        self.view_implementation.set(view);
        log(
            self.vm(),
            ImplementationsSet {
                registrationImplementation: registration,
                slashingImplementation: slashing,
                configImplementation: config,
                viewImplementation: view,
            },
        );
        Ok(())
    }

    // --- operator side ---

    #[selector(name = "setAllocationDelay")]
    pub fn set_allocation_delay(&mut self, operator: Address, delay: u32) -> Result<(), Revert> {
        let newly_registered = self.vm().msg_sender() == self.delegation.get();
        if !newly_registered {
            if !self.can_call(operator, IAM::setAllocationDelayCall::SELECTOR)? {
                return Err(IAM::InvalidCaller {}.into());
            }
            self.require_operator(operator)?;
        }
        let block = self.block_number();
        let mut info = self.delay_info(operator);
        if info.effect != 0 && block >= info.effect {
            info.delay = info.pending;
            info.is_set = true;
        }
        info.pending = delay;
        if newly_registered {
            info.delay = delay;
            info.is_set = true;
            info.effect = block;
        } else {
            info.effect = block
                .checked_add(self.config_delay())
                .and_then(|b| b.checked_add(1))
                .ok_or_else(overflow)?;
        }
        self.allocation_delay
            .setter(operator)
            .set(U256::from(info.pack()).to());
        log(
            self.vm(),
            IAM::AllocationDelaySet {
                operator,
                delay,
                effectBlock: info.effect,
            },
        );
        Ok(())
    }

    #[selector(name = "modifyAllocations")]
    pub fn modify_allocations(
        &mut self,
        operator: Address,
        params: Vec<AllocateTuple>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_MODIFY_ALLOCATIONS)?;
        if !self.can_call(operator, IAM::modifyAllocationsCall::SELECTOR)? {
            return Err(IAM::InvalidCaller {}.into());
        }
        let block = self.block_number();
        let (is_set, delay) = self.delay_info(operator).at(block);
        if !is_set {
            return Err(IAM::UninitializedAllocationDelay {}.into());
        }
        for ((avs, id), strategies, magnitudes) in params {
            if strategies.len() != magnitudes.len() {
                return Err(IAM::InputArrayLengthMismatch {}.into());
            }
            let key = self.require_set(avs, id)?;
            // A pending slash keeps the allocation slashable (a decrease waits, then is held).
            let operator_slashable = self.is_slashable(operator, key) || self.held(operator, key);
            let set = OperatorSet { avs, id };
            for (strategy, new_mag) in strategies.into_iter().zip(magnitudes) {
                self.clear_queue(operator, strategy, u16::MAX as usize);
                let (mut enc, mut a) = self.updated_alloc(operator, key, strategy);
                if a.pending != 0 {
                    return Err(IAM::ModificationAlreadyPending {}.into());
                }
                let slashable = operator_slashable
                    && a.current != 0
                    && self
                        .set_strategies
                        .getter(key)
                        .contains(strategy.into_word());
                a.pending = new_mag as i128 - a.current as i128;
                if a.pending == 0 {
                    return Err(IAM::SameMagnitude {}.into());
                }
                if a.pending < 0 {
                    if slashable {
                        // Stays slashable for DEALLOCATION_DELAY blocks, freed the block after.
                        self.deallocation_queue
                            .setter(operator)
                            .setter(strategy)
                            .push_back(key);
                        a.effect = self
                            .block_plus(self.dealloc_delay())?
                            .checked_add(1)
                            .ok_or_else(overflow)?;
                    } else {
                        enc = add_diff(enc, a.pending);
                        a.current = new_mag;
                        a.pending = 0;
                        a.effect = block;
                    }
                } else {
                    enc = add_diff(enc, a.pending);
                    if enc > self.max_magnitude(operator, strategy) {
                        return Err(IAM::InsufficientMagnitude {}.into());
                    }
                    a.effect = self.block_plus(delay)?;
                }
                self.write_alloc(operator, key, strategy, enc, a);
                log(
                    self.vm(),
                    IAM::AllocationUpdated {
                        operator,
                        operatorSet: set.clone(),
                        strategy,
                        magnitude: a.target(),
                        effectBlock: a.effect,
                    },
                );
            }
        }
        Ok(())
    }

    #[selector(name = "clearDeallocationQueue")]
    pub fn clear_deallocation_queue(
        &mut self,
        operator: Address,
        strategies: Vec<Address>,
        num_to_clear: Vec<u16>,
    ) -> Result<(), Revert> {
        self.pausable
            .require_not_paused(PAUSED_MODIFY_ALLOCATIONS)?;
        if strategies.len() != num_to_clear.len() {
            return Err(IAM::InputArrayLengthMismatch {}.into());
        }
        for (s, n) in strategies.into_iter().zip(num_to_clear) {
            self.clear_queue(operator, s, n as usize);
        }
        Ok(())
    }

    // --- views other contracts read on hot paths (served here, not delegated) ---

    #[selector(name = "getMaxMagnitudes")]
    pub fn get_max_magnitudes_abi(&self, operator: Address, strategies: Vec<Address>) -> Vec<u64> {
        self.max_magnitudes(operator, &strategies)
    }

    #[selector(name = "getMaxMagnitudesAtBlock")]
    pub fn get_max_magnitudes_at_block_abi(
        &self,
        operator: Address,
        strategies: Vec<Address>,
        block_number: u32,
    ) -> Vec<u64> {
        self.max_magnitudes_at(operator, &strategies, block_number)
    }

    #[selector(name = "getRedistributionRecipient")]
    pub fn get_redistribution_recipient_abi(&self, operator_set: SetTuple) -> Address {
        self.redistribution_recipient(set_key(operator_set.0, operator_set.1))
    }

    /// Every other selector runs in the program that serves it, in this contract's storage.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let target = match Program::of(calldata) {
            Program::Slashing => self.slashing_implementation.get(),
            Program::Config => self.config_implementation.get(),
            Program::Registration => self.registration_implementation.get(),
            Program::View => self.view_implementation.get(),
        };
        ferrostake_common::call::delegate(target, calldata)
    }
}

#[cfg(test)]
pub(crate) mod test_clock {
    use core::cell::Cell;

    std::thread_local! {
        static BLOCK: Cell<u64> = const { Cell::new(1) };
    }

    pub fn get() -> u64 {
        BLOCK.with(|b| b.get())
    }

    pub fn advance(n: u64) {
        BLOCK.with(|b| b.set(b.get() + n));
    }
}

#[cfg(all(
    test,
    not(any(
        feature = "registration",
        feature = "slashing",
        feature = "config",
        feature = "view"
    ))
))]
mod tests;
