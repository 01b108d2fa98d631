//! Initialization, ownership, reentrancy and pausing — the mixins EigenLayer's contracts inherit —
//! as storage structs a program embeds.
//!
//! `Ownable` is ours rather than OpenZeppelin Stylus's: openzeppelin-stylus 0.3 enables
//! alloy-primitives' `tiny-keccak` feature, which replaces the `native_keccak256` host function with
//! a software keccak in every program built with it (≈ 1 KB compressed more per program and far more
//! ink per hash). Same ABI, events and errors as OpenZeppelin's.

use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use ferrostake_interfaces::{
    IFerrostakeErrors::{
        AlreadyInitialized, OnlyProxyAdmin, OwnableInvalidOwner, OwnableUnauthorizedAccount,
        ReentrantCall,
    },
    IOwnable, IPausable, IPauserRegistry,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageU256},
};

use crate::{call::static_call, Revert};

/// Emits `event` from the running program. Mixins have no `&self.vm()` of the top-level contract,
/// so they log through the SDK's global host function (the same hostio underneath).
#[allow(deprecated)]
pub fn emit<E: alloy_sol_types::SolEvent>(event: E) {
    stylus_sdk::evm::log(event);
}

/// ERC-1967 admin slot, `keccak256("eip1967.proxy.admin") - 1`: where the proxy every core
/// contract sits behind keeps the account that may upgrade it.
pub const PROXY_ADMIN_SLOT: U256 = U256::from_be_bytes([
    0xb5, 0x31, 0x27, 0x68, 0x4a, 0x56, 0x8b, 0x31, 0x73, 0xae, 0x13, 0xb9, 0xf8, 0xa6, 0x01, 0x6e,
    0x24, 0x3e, 0x63, 0xb6, 0xe8, 0xee, 0x11, 0x78, 0xd6, 0xa7, 0x17, 0x85, 0x0b, 0x5d, 0x61, 0x03,
]);

/// Fails unless the caller is the proxy's ERC-1967 admin. Changing the code a contract delegates to
/// (its view, extension or split-off programs) is as powerful as upgrading it, so it takes the
/// same key, with whatever delay that key sits behind (a timelock as admin delays both alike).
/// Called on a program directly (no proxy), the slot is empty and nobody passes.
///
/// Errors: [`OnlyProxyAdmin`].
pub fn only_proxy_admin<H: stylus_sdk::stylus_core::Host + ?Sized>(vm: &H) -> Result<(), Revert> {
    // In the program the slot and the caller come straight from the host (the admin slot is never
    // written by the contract, so no storage cache can hold a newer value); this keeps the check
    // to a few instructions in programs that are close to the size limit. Generic rather than
    // `&dyn Host`: a trait object would link the host's whole vtable (~50 functions) into programs
    // that otherwise never build one.
    #[cfg(target_arch = "wasm32")]
    let (admin, sender) = {
        let _ = vm;
        proxy_admin_host::admin_and_sender()
    };
    #[cfg(not(target_arch = "wasm32"))]
    let (admin, sender) = (
        Address::from_word(vm.storage_load_bytes32(PROXY_ADMIN_SLOT)),
        vm.msg_sender(),
    );
    if admin.is_zero() || sender != admin {
        return Err(Revert(
            <OnlyProxyAdmin as alloy_sol_types::SolError>::SELECTOR.to_vec(),
        ));
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
mod proxy_admin_host {
    use alloy_primitives::Address;

    #[link(wasm_import_module = "vm_hooks")]
    extern "C" {
        fn storage_load_bytes32(key: *const u8, dest: *mut u8);
        fn msg_sender(sender: *mut u8);
    }

    /// The address in the ERC-1967 admin slot and the caller.
    pub fn admin_and_sender() -> (Address, Address) {
        let key = super::PROXY_ADMIN_SLOT.to_be_bytes::<32>();
        let mut word = [0u8; 32];
        let mut sender = [0u8; 20];
        // SAFETY: the host reads 32 bytes from `key`, writes 32 bytes to `word` and 20 to `sender`.
        unsafe {
            storage_load_bytes32(key.as_ptr(), word.as_mut_ptr());
            msg_sender(sender.as_mut_ptr());
        }
        (Address::from_slice(&word[12..]), Address::from(sender))
    }
}

/// Writes the ERC-1967 admin slot as the proxy's constructor does. Native tests, which run a
/// contract without its proxy, use it to stand in for one; no program routes to it.
pub fn store_proxy_admin(vm: &dyn stylus_sdk::stylus_core::Host, admin: Address) {
    // SAFETY: the slot is the proxy's own; nothing else in the contract aliases it.
    unsafe { vm.storage_cache_bytes32(PROXY_ADMIN_SLOT, admin.into_word()) };
    vm.flush_cache(false);
}

/// Single-owner access control (OpenZeppelin's `Ownable` semantics and errors).
#[storage]
pub struct Ownable {
    owner: StorageAddress,
}

impl Ownable {
    /// Sets the first owner (from `initialize`).
    ///
    /// Errors: [`OwnableInvalidOwner`] for the zero address.
    pub fn init(&mut self, initial_owner: Address) -> Result<(), Revert> {
        if initial_owner.is_zero() {
            return Err(OwnableInvalidOwner {
                owner: Address::ZERO,
            }
            .into());
        }
        self.set(initial_owner);
        Ok(())
    }

    /// The owner.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// Fails unless `caller` is the owner.
    ///
    /// Errors: [`OwnableUnauthorizedAccount`].
    pub fn only_owner(&self, caller: Address) -> Result<(), Revert> {
        if caller != self.owner.get() {
            return Err(OwnableUnauthorizedAccount { account: caller }.into());
        }
        Ok(())
    }

    /// `transferOwnership(newOwner)` by `caller`.
    ///
    /// Errors: [`OwnableUnauthorizedAccount`], [`OwnableInvalidOwner`].
    pub fn transfer_ownership(
        &mut self,
        caller: Address,
        new_owner: Address,
    ) -> Result<(), Revert> {
        self.only_owner(caller)?;
        if new_owner.is_zero() {
            return Err(OwnableInvalidOwner {
                owner: Address::ZERO,
            }
            .into());
        }
        self.set(new_owner);
        Ok(())
    }

    /// `renounceOwnership()` by `caller`: leaves the contract without an owner.
    ///
    /// Errors: [`OwnableUnauthorizedAccount`].
    pub fn renounce_ownership(&mut self, caller: Address) -> Result<(), Revert> {
        self.only_owner(caller)?;
        self.set(Address::ZERO);
        Ok(())
    }

    fn set(&mut self, new_owner: Address) {
        let previous = self.owner.get();
        self.owner.set(new_owner);
        emit(IOwnable::OwnershipTransferred {
            previousOwner: previous,
            newOwner: new_owner,
        });
    }
}

/// One-shot initialization: a proxy's `initialize` may run once.
#[storage]
pub struct Initializable {
    initialized: StorageBool,
}

impl Initializable {
    /// Marks the contract initialized.
    ///
    /// Errors: [`AlreadyInitialized`] on the second call.
    pub fn initialize_once(&mut self) -> Result<(), Revert> {
        if self.initialized.get() {
            return Err(AlreadyInitialized {}.into());
        }
        self.initialized.set(true);
        Ok(())
    }

    /// Whether `initialize` has run.
    pub fn is_initialized(&self) -> bool {
        self.initialized.get()
    }
}

const NOT_ENTERED: u8 = 1;
const ENTERED: u8 = 2;

/// A reentrancy guard for entry points that call out.
///
/// In the deployed program the flag lives in **transient storage** (EIP-1153, Stylus's
/// `transient_load_bytes32`/`transient_store_bytes32`): it only has to last for the transaction,
/// and a transient load and two stores cost ≈ 330 gas where the storage flag (a cold read and a
/// 1→2→1 write) cost ≈ 2,300 after refunds. A revert undoes the transient write as it would a
/// storage one. The storage slot stays in the layout (upgrades keep every later slot where it was)
/// and serves native unit tests, whose host has no transient storage: there the flag is the slot,
/// 1/2 rather than 0/1 so it is never zeroed.
#[storage]
pub struct ReentrancyGuard {
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    status: StorageU256,
}

/// The guard's transient-storage key (transient storage is per contract; one guard per contract).
#[cfg(target_arch = "wasm32")]
const GUARD_KEY: [u8; 32] = *b"ferrostake.reentrancy-guard.flag";

#[cfg(target_arch = "wasm32")]
mod transient {
    #[link(wasm_import_module = "vm_hooks")]
    extern "C" {
        fn transient_load_bytes32(key: *const u8, dest: *mut u8);
        fn transient_store_bytes32(key: *const u8, value: *const u8);
    }

    /// The transient word at `key`.
    pub fn load(key: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        // SAFETY: the host reads 32 bytes from `key` and writes 32 bytes to `out`.
        unsafe { transient_load_bytes32(key.as_ptr(), out.as_mut_ptr()) };
        out
    }

    /// Sets the transient word at `key`.
    pub fn store(key: &[u8; 32], value: &[u8; 32]) {
        // SAFETY: the host reads 32 bytes from each pointer.
        unsafe { transient_store_bytes32(key.as_ptr(), value.as_ptr()) };
    }
}

impl ReentrancyGuard {
    /// Initializes the guard (from `initialize`). Natively it sets the slot to "not entered", so
    /// the first guarded call pays a 1→2 write rather than a 0→2 one, as OpenZeppelin's
    /// `__ReentrancyGuard_init`; the deployed program's transient flag needs nothing.
    pub fn init(&mut self) {
        #[cfg(not(target_arch = "wasm32"))]
        self.status.set(U256::from(NOT_ENTERED));
    }

    /// Enters the guarded section.
    ///
    /// Errors: [`ReentrantCall`] when already inside.
    pub fn enter(&mut self) -> Result<(), Revert> {
        if self.entered() {
            return Err(ReentrantCall {}.into());
        }
        self.set(ENTERED);
        Ok(())
    }

    /// Leaves the guarded section (on success; a revert undoes `enter` anyway).
    pub fn exit(&mut self) {
        self.set(NOT_ENTERED);
    }

    #[cfg(target_arch = "wasm32")]
    fn entered(&self) -> bool {
        transient::load(&GUARD_KEY)[31] == ENTERED
    }

    #[cfg(target_arch = "wasm32")]
    fn set(&mut self, flag: u8) {
        let mut word = [0u8; 32];
        word[31] = flag;
        transient::store(&GUARD_KEY, &word);
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn entered(&self) -> bool {
        self.status.get() == U256::from(ENTERED)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn set(&mut self, flag: u8) {
        self.status.set(U256::from(flag));
    }
}

/// EigenLayer's `Pausable`: a bitmap of paused functionalities; pausers (from the PauserRegistry)
/// may only set bits, the unpauser may only clear them.
#[storage]
pub struct Pausable {
    paused_status: StorageU256,
    pauser_registry: StorageAddress,
}

impl Pausable {
    /// Sets the registry and the initial bitmap (from `initialize`).
    ///
    /// Errors: `InputAddressZero` for a zero registry.
    pub fn init(&mut self, registry: Address, initial_paused_status: U256) -> Result<(), Revert> {
        if registry.is_zero() {
            return Err(IPausable::InputAddressZero {}.into());
        }
        self.pauser_registry.set(registry);
        self.paused_status.set(initial_paused_status);
        Ok(())
    }

    /// The PauserRegistry.
    pub fn pauser_registry(&self) -> Address {
        self.pauser_registry.get()
    }

    /// The whole bitmap.
    pub fn paused(&self) -> U256 {
        self.paused_status.get()
    }

    /// Whether bit `index` is set.
    pub fn is_paused(&self, index: u8) -> bool {
        self.paused_status.get().bit(index as usize)
    }

    /// Fails when functionality `index` is paused.
    ///
    /// Errors: `CurrentlyPaused`.
    pub fn require_not_paused(&self, index: u8) -> Result<(), Revert> {
        if self.is_paused(index) {
            return Err(IPausable::CurrentlyPaused {}.into());
        }
        Ok(())
    }

    fn require_pauser(&self, caller: Address) -> Result<(), Revert> {
        let ok = static_call(
            self.pauser_registry.get(),
            &IPauserRegistry::isPauserCall { pauser: caller },
        )?
        ._0;
        if !ok {
            return Err(IPausable::OnlyPauser {}.into());
        }
        Ok(())
    }

    fn require_unpauser(&self, caller: Address) -> Result<(), Revert> {
        let unpauser = static_call(
            self.pauser_registry.get(),
            &IPauserRegistry::unpauserCall {},
        )?
        ._0;
        if unpauser != caller {
            return Err(IPausable::OnlyUnpauser {}.into());
        }
        Ok(())
    }

    /// `pause(newPausedStatus)` by `caller`: may only add paused bits.
    ///
    /// Errors: `OnlyPauser`, `InvalidNewPausedStatus`.
    pub fn pause(&mut self, caller: Address, new_status: U256) -> Result<(), Revert> {
        self.require_pauser(caller)?;
        let current = self.paused_status.get();
        if current & new_status != current {
            return Err(IPausable::InvalidNewPausedStatus {}.into());
        }
        self.paused_status.set(new_status);
        emit(IPausable::Paused {
            account: caller,
            newPausedStatus: new_status,
        });
        Ok(())
    }

    /// `pauseAll()` by `caller`.
    ///
    /// Errors: `OnlyPauser`.
    pub fn pause_all(&mut self, caller: Address) -> Result<(), Revert> {
        self.pause(caller, U256::MAX)
    }

    /// `unpause(newPausedStatus)` by `caller`: may only clear paused bits.
    ///
    /// Errors: `OnlyUnpauser`, `InvalidNewPausedStatus`.
    pub fn unpause(&mut self, caller: Address, new_status: U256) -> Result<(), Revert> {
        self.require_unpauser(caller)?;
        let current = self.paused_status.get();
        if !current & !new_status != !current {
            return Err(IPausable::InvalidNewPausedStatus {}.into());
        }
        self.paused_status.set(new_status);
        emit(IPausable::Unpaused {
            account: caller,
            newPausedStatus: new_status,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::uint;
    use ferrostake_interfaces::IFerrostakeErrors;
    use motsu::prelude::*;

    /// A PauserRegistry stand-in: one pauser, one unpauser.
    #[entrypoint]
    #[storage]
    struct MockRegistry {
        pauser: StorageAddress,
        unpauser: StorageAddress,
    }

    #[public]
    impl MockRegistry {
        fn set(&mut self, pauser: Address, unpauser: Address) {
            self.pauser.set(pauser);
            self.unpauser.set(unpauser);
        }
        #[selector(name = "isPauser")]
        fn is_pauser(&self, pauser: Address) -> bool {
            self.pauser.get() == pauser
        }
        fn unpauser(&self) -> Address {
            self.unpauser.get()
        }
    }

    /// A contract embedding the mixins, exposing them as a real program would.
    #[storage]
    struct Mixins {
        owner: Ownable,
        init: Initializable,
        guard: ReentrancyGuard,
        pausable: Pausable,
    }

    unsafe impl TopLevelStorage for Mixins {}

    #[public]
    impl Mixins {
        fn initialize(&mut self, registry: Address, status: U256) -> Result<(), Revert> {
            self.init.initialize_once()?;
            self.pausable.init(registry, status)
        }
        fn guarded_twice(&mut self) -> Result<(), Revert> {
            self.guard.enter()?;
            self.guard.enter()
        }
        fn guarded_once(&mut self) -> Result<(), Revert> {
            self.guard.enter()?;
            self.guard.exit();
            Ok(())
        }
        fn pause(&mut self, status: U256) -> Result<(), Revert> {
            let caller = self.vm().msg_sender();
            self.pausable.pause(caller, status)
        }
        fn unpause(&mut self, status: U256) -> Result<(), Revert> {
            let caller = self.vm().msg_sender();
            self.pausable.unpause(caller, status)
        }
        fn paused_bits(&self) -> U256 {
            self.pausable.paused()
        }
        fn check(&self, index: u8) -> Result<(), Revert> {
            self.pausable.require_not_paused(index)
        }
        fn init_owner(&mut self, owner: Address) -> Result<(), Revert> {
            self.owner.init(owner)
        }
        fn transfer(&mut self, to: Address) -> Result<(), Revert> {
            let caller = self.vm().msg_sender();
            self.owner.transfer_ownership(caller, to)
        }
        fn renounce(&mut self) -> Result<(), Revert> {
            let caller = self.vm().msg_sender();
            self.owner.renounce_ownership(caller)
        }
        fn owner_of(&self) -> Address {
            self.owner.owner()
        }
        fn admin_only(&self) -> Result<(), Revert> {
            only_proxy_admin(self.vm())
        }
        fn stand_in_proxy(&mut self, admin: Address) {
            store_proxy_admin(self.vm(), admin)
        }
    }

    #[test]
    fn proxy_admin_slot_is_erc1967s() {
        let hash = alloy_primitives::keccak256(b"eip1967.proxy.admin");
        assert_eq!(
            PROXY_ADMIN_SLOT,
            U256::from_be_bytes(hash.0) - U256::from(1)
        );
    }

    #[motsu::test]
    fn only_the_proxy_admin_passes(c: Contract<Mixins>, admin: Address, other: Address) {
        // No proxy (empty slot): nobody passes.
        assert!(c
            .sender(admin)
            .admin_only()
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OnlyProxyAdmin>());
        c.sender(admin).stand_in_proxy(admin);
        c.sender(admin).admin_only().motsu_unwrap();
        assert!(c
            .sender(other)
            .admin_only()
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OnlyProxyAdmin>());
    }

    #[motsu::test]
    fn ownership_moves_only_by_the_owner(c: Contract<Mixins>, alice: Address, bob: Address) {
        assert!(c
            .sender(alice)
            .init_owner(Address::ZERO)
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OwnableInvalidOwner>());
        c.sender(alice).init_owner(alice).motsu_unwrap();
        let err = c.sender(bob).transfer(bob).motsu_unwrap_err();
        assert_eq!(
            err.decode::<IFerrostakeErrors::OwnableUnauthorizedAccount>()
                .unwrap()
                .account,
            bob
        );
        assert!(c
            .sender(alice)
            .transfer(Address::ZERO)
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OwnableInvalidOwner>());
        c.sender(alice).transfer(bob).motsu_unwrap();
        c.assert_emitted(&IOwnable::OwnershipTransferred {
            previousOwner: alice,
            newOwner: bob,
        });
        assert_eq!(c.sender(alice).owner_of(), bob);
        assert!(c
            .sender(alice)
            .renounce()
            .motsu_unwrap_err()
            .is::<IFerrostakeErrors::OwnableUnauthorizedAccount>());
        c.sender(bob).renounce().motsu_unwrap();
        assert_eq!(c.sender(alice).owner_of(), Address::ZERO);
    }

    #[motsu::test]
    fn initialize_runs_once(c: Contract<Mixins>, registry: Contract<MockRegistry>, alice: Address) {
        c.sender(alice)
            .initialize(registry.address(), U256::ZERO)
            .motsu_unwrap();
        let err = c
            .sender(alice)
            .initialize(registry.address(), U256::ZERO)
            .motsu_unwrap_err();
        assert!(err.is::<IFerrostakeErrors::AlreadyInitialized>());
    }

    #[motsu::test]
    fn zero_registry_is_refused(c: Contract<Mixins>, alice: Address) {
        let err = c
            .sender(alice)
            .initialize(Address::ZERO, U256::ZERO)
            .motsu_unwrap_err();
        assert!(err.is::<IPausable::InputAddressZero>());
    }

    #[motsu::test]
    fn reentrancy_guard_blocks_nested_entry(c: Contract<Mixins>, alice: Address) {
        c.sender(alice).guarded_once().motsu_unwrap();
        c.sender(alice).guarded_once().motsu_unwrap();
        let err = c.sender(alice).guarded_twice().motsu_unwrap_err();
        assert!(err.is::<IFerrostakeErrors::ReentrantCall>());
    }

    #[motsu::test]
    fn pausers_set_bits_and_only_the_unpauser_clears(
        c: Contract<Mixins>,
        registry: Contract<MockRegistry>,
        pauser: Address,
        unpauser: Address,
        stranger: Address,
    ) {
        registry.sender(pauser).set(pauser, unpauser);
        c.sender(pauser)
            .initialize(registry.address(), U256::ZERO)
            .motsu_unwrap();

        let err = c.sender(stranger).pause(uint!(1_U256)).motsu_unwrap_err();
        assert!(err.is::<IPausable::OnlyPauser>());

        c.sender(pauser).pause(uint!(0b101_U256)).motsu_unwrap();
        assert_eq!(c.sender(pauser).paused_bits(), uint!(0b101_U256));
        assert!(c
            .sender(pauser)
            .check(0)
            .motsu_unwrap_err()
            .is::<IPausable::CurrentlyPaused>());
        c.sender(pauser).check(1).motsu_unwrap();
        c.assert_emitted(&IPausable::Paused {
            account: pauser,
            newPausedStatus: uint!(0b101_U256),
        });

        // A pauser cannot clear bits through `pause`.
        let err = c.sender(pauser).pause(uint!(0b001_U256)).motsu_unwrap_err();
        assert!(err.is::<IPausable::InvalidNewPausedStatus>());
        // The pauser cannot unpause; the unpauser can, but only clear bits.
        assert!(c
            .sender(pauser)
            .unpause(U256::ZERO)
            .motsu_unwrap_err()
            .is::<IPausable::OnlyUnpauser>());
        let err = c
            .sender(unpauser)
            .unpause(uint!(0b111_U256))
            .motsu_unwrap_err();
        assert!(err.is::<IPausable::InvalidNewPausedStatus>());
        c.sender(unpauser).unpause(uint!(0b100_U256)).motsu_unwrap();
        assert_eq!(c.sender(pauser).paused_bits(), uint!(0b100_U256));
    }
}
