//! PermissionController: admins and appointees acting for AVSs and operators (EigenLayer's
//! `IPermissionController`).
//!
//! An account with no admins is its own (only) admin; once it has admins, only they are. Admins are
//! added in two steps (`addPendingAdmin` → `acceptAdmin` by the new admin) and the last one cannot be
//! removed. An admin may appoint an address to call one `(target, selector)` on the account's behalf;
//! `canCall` is what the core contracts ask.
//!
//! | function | who | requirements |
//! |---|---|---|
//! | `addPendingAdmin`, `removePendingAdmin`, `removeAdmin`, `setAppointee`, `removeAppointee` | an admin of `account` | `NotAdmin`; not already pending/set (`AdminAlreadyPending`, `AdminAlreadySet`, `AppointeeAlreadySet`); present when removing (`AdminNotPending`, `AdminNotSet`, `AppointeeNotSet`); never zero admins (`CannotHaveZeroAdmins`) |
//! | `acceptAdmin(account)` | a pending admin of `account` | `AdminNotPending` |
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, FixedBytes, B256};
use ferrostake_common::Revert;
use ferrostake_interfaces::IPermissionController;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageVec},
    stylus_core::log,
    ArbResult,
};

/// `(target, selector)` packed in one word: target in the high 20 bytes, selector in the low 4.
fn permission_key(target: Address, selector: FixedBytes<4>) -> B256 {
    let mut k = [0u8; 32];
    k[..20].copy_from_slice(target.as_slice());
    k[28..].copy_from_slice(selector.as_slice());
    B256::from(k)
}

fn unpack(key: B256) -> (Address, FixedBytes<4>) {
    (
        Address::from_slice(&key[..20]),
        FixedBytes::from_slice(&key[28..]),
    )
}

/// An address set: members in a vector, 1-based positions in a map (0 = absent).
#[storage]
pub struct AddressSet {
    items: StorageVec<StorageAddress>,
    positions: StorageMap<Address, StorageB256>,
}

impl AddressSet {
    fn contains(&self, a: Address) -> bool {
        !self.positions.get(a).is_zero()
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn values(&self) -> Vec<Address> {
        (0..self.items.len())
            .filter_map(|i| self.items.get(i))
            .collect()
    }

    fn insert(&mut self, a: Address) -> bool {
        if self.contains(a) {
            return false;
        }
        self.items.push(a);
        self.positions.setter(a).set(B256::left_padding_from(
            &(self.items.len() as u64).to_be_bytes(),
        ));
        true
    }

    fn remove(&mut self, a: Address) -> bool {
        let pos = self.positions.get(a);
        if pos.is_zero() {
            return false;
        }
        let i = u64::from_be_bytes(pos[24..].try_into().unwrap_or_default()) as usize - 1;
        let last = self.items.len() - 1;
        if i != last {
            let moved = self.items.get(last).unwrap_or_default();
            if let Some(mut slot) = self.items.setter(i) {
                slot.set(moved);
            }
            self.positions.setter(moved).set(pos);
        }
        self.items.erase_last();
        self.positions.setter(a).set(B256::ZERO);
        true
    }
}

/// A set of 32-byte keys (same layout as [`AddressSet`]).
#[storage]
pub struct KeySet {
    items: StorageVec<StorageB256>,
    positions: StorageMap<B256, StorageB256>,
}

impl KeySet {
    fn contains(&self, k: B256) -> bool {
        !self.positions.get(k).is_zero()
    }

    fn values(&self) -> Vec<B256> {
        (0..self.items.len())
            .filter_map(|i| self.items.get(i))
            .collect()
    }

    fn insert(&mut self, k: B256) -> bool {
        if self.contains(k) {
            return false;
        }
        self.items.push(k);
        self.positions.setter(k).set(B256::left_padding_from(
            &(self.items.len() as u64).to_be_bytes(),
        ));
        true
    }

    fn remove(&mut self, k: B256) -> bool {
        let pos = self.positions.get(k);
        if pos.is_zero() {
            return false;
        }
        let i = u64::from_be_bytes(pos[24..].try_into().unwrap_or_default()) as usize - 1;
        let last = self.items.len() - 1;
        if i != last {
            let moved = self.items.get(last).unwrap_or_default();
            if let Some(mut slot) = self.items.setter(i) {
                slot.set(moved);
            }
            self.positions.setter(moved).set(pos);
        }
        self.items.erase_last();
        self.positions.setter(k).set(B256::ZERO);
        true
    }
}

#[storage]
pub struct PermissionController {
    admins: StorageMap<Address, AddressSet>,
    pending_admins: StorageMap<Address, AddressSet>,
    /// account → appointee → permission keys.
    appointee_permissions: StorageMap<Address, StorageMap<Address, KeySet>>,
    /// account → permission key → appointees.
    permission_appointees: StorageMap<Address, StorageMap<B256, AddressSet>>,
}

ferrostake_common::entrypoint!(PermissionController);

impl PermissionController {
    pub fn is_admin_inner(&self, account: Address, caller: Address) -> bool {
        let admins = self.admins.getter(account);
        if admins.len() == 0 {
            caller == account
        } else {
            admins.contains(caller)
        }
    }

    fn only_admin(&self, account: Address) -> Result<(), Revert> {
        if !self.is_admin_inner(account, self.vm().msg_sender()) {
            return Err(IPermissionController::NotAdmin {}.into());
        }
        Ok(())
    }

    pub fn can_call_inner(
        &self,
        account: Address,
        caller: Address,
        target: Address,
        selector: FixedBytes<4>,
    ) -> bool {
        self.is_admin_inner(account, caller)
            || self
                .appointee_permissions
                .getter(account)
                .getter(caller)
                .contains(permission_key(target, selector))
    }

    /// `(targets, selectors)` an appointee may call for `account`.
    pub fn appointee_permissions(
        &self,
        account: Address,
        appointee: Address,
    ) -> (Vec<Address>, Vec<FixedBytes<4>>) {
        let keys = self
            .appointee_permissions
            .getter(account)
            .getter(appointee)
            .values();
        keys.into_iter().map(unpack).unzip()
    }
}

#[public]
impl PermissionController {
    #[selector(name = "addPendingAdmin")]
    pub fn add_pending_admin(&mut self, account: Address, admin: Address) -> Result<(), Revert> {
        self.only_admin(account)?;
        if self.admins.getter(account).contains(admin) {
            return Err(IPermissionController::AdminAlreadySet {}.into());
        }
        if !self.pending_admins.setter(account).insert(admin) {
            return Err(IPermissionController::AdminAlreadyPending {}.into());
        }
        log(
            self.vm(),
            IPermissionController::PendingAdminAdded { account, admin },
        );
        Ok(())
    }

    #[selector(name = "removePendingAdmin")]
    pub fn remove_pending_admin(&mut self, account: Address, admin: Address) -> Result<(), Revert> {
        self.only_admin(account)?;
        if !self.pending_admins.setter(account).remove(admin) {
            return Err(IPermissionController::AdminNotPending {}.into());
        }
        log(
            self.vm(),
            IPermissionController::PendingAdminRemoved { account, admin },
        );
        Ok(())
    }

    #[selector(name = "acceptAdmin")]
    pub fn accept_admin(&mut self, account: Address) -> Result<(), Revert> {
        let admin = self.vm().msg_sender();
        if !self.pending_admins.setter(account).remove(admin) {
            return Err(IPermissionController::AdminNotPending {}.into());
        }
        self.admins.setter(account).insert(admin);
        log(
            self.vm(),
            IPermissionController::AdminSet { account, admin },
        );
        Ok(())
    }

    #[selector(name = "removeAdmin")]
    pub fn remove_admin(&mut self, account: Address, admin: Address) -> Result<(), Revert> {
        self.only_admin(account)?;
        if self.admins.getter(account).len() <= 1 {
            return Err(IPermissionController::CannotHaveZeroAdmins {}.into());
        }
        if !self.admins.setter(account).remove(admin) {
            return Err(IPermissionController::AdminNotSet {}.into());
        }
        log(
            self.vm(),
            IPermissionController::AdminRemoved { account, admin },
        );
        Ok(())
    }

    #[selector(name = "setAppointee")]
    pub fn set_appointee(
        &mut self,
        account: Address,
        appointee: Address,
        target: Address,
        selector: FixedBytes<4>,
    ) -> Result<(), Revert> {
        self.only_admin(account)?;
        let key = permission_key(target, selector);
        if !self
            .appointee_permissions
            .setter(account)
            .setter(appointee)
            .insert(key)
        {
            return Err(IPermissionController::AppointeeAlreadySet {}.into());
        }
        self.permission_appointees
            .setter(account)
            .setter(key)
            .insert(appointee);
        log(
            self.vm(),
            IPermissionController::AppointeeSet {
                account,
                appointee,
                target,
                selector,
            },
        );
        Ok(())
    }

    #[selector(name = "removeAppointee")]
    pub fn remove_appointee(
        &mut self,
        account: Address,
        appointee: Address,
        target: Address,
        selector: FixedBytes<4>,
    ) -> Result<(), Revert> {
        self.only_admin(account)?;
        let key = permission_key(target, selector);
        if !self
            .appointee_permissions
            .setter(account)
            .setter(appointee)
            .remove(key)
        {
            return Err(IPermissionController::AppointeeNotSet {}.into());
        }
        self.permission_appointees
            .setter(account)
            .setter(key)
            .remove(appointee);
        log(
            self.vm(),
            IPermissionController::AppointeeRemoved {
                account,
                appointee,
                target,
                selector,
            },
        );
        Ok(())
    }

    #[selector(name = "isAdmin")]
    pub fn is_admin(&self, account: Address, caller: Address) -> bool {
        self.is_admin_inner(account, caller)
    }

    #[selector(name = "isPendingAdmin")]
    pub fn is_pending_admin(&self, account: Address, pending_admin: Address) -> bool {
        self.pending_admins.getter(account).contains(pending_admin)
    }

    #[selector(name = "getAdmins")]
    pub fn get_admins(&self, account: Address) -> Vec<Address> {
        let admins = self.admins.getter(account);
        if admins.len() == 0 {
            vec![account]
        } else {
            admins.values()
        }
    }

    #[selector(name = "getPendingAdmins")]
    pub fn get_pending_admins(&self, account: Address) -> Vec<Address> {
        self.pending_admins.getter(account).values()
    }

    #[selector(name = "canCall")]
    pub fn can_call(
        &self,
        account: Address,
        caller: Address,
        target: Address,
        selector: FixedBytes<4>,
    ) -> bool {
        self.can_call_inner(account, caller, target, selector)
    }

    #[selector(name = "getAppointees")]
    pub fn get_appointees(
        &self,
        account: Address,
        target: Address,
        selector: FixedBytes<4>,
    ) -> Vec<Address> {
        self.permission_appointees
            .getter(account)
            .getter(permission_key(target, selector))
            .values()
    }

    /// `getAppointeePermissions` returns two arrays, which stylus-sdk 0.9 would encode as one tuple
    /// (an extra head offset); it is encoded here as Solidity returns it. Anything else reverts.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        use alloy_sol_types::SolCall;
        type Call = IPermissionController::getAppointeePermissionsCall;
        if calldata.get(..4) != Some(&Call::SELECTOR[..]) {
            return Err(ferrostake_common::entry::unknown_selector());
        }
        let c = Call::abi_decode(calldata, true).map_err(|_| Vec::new())?;
        Ok(Call::abi_encode_returns(
            &self.appointee_permissions(c.account, c.appointee),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motsu::prelude::*;

    const SEL: FixedBytes<4> = FixedBytes([0x12, 0x34, 0x56, 0x78]);

    #[motsu::test]
    fn an_account_without_admins_is_its_own_admin(
        pc: Contract<PermissionController>,
        avs: Address,
        other: Address,
    ) {
        assert!(pc.sender(avs).is_admin(avs, avs));
        assert!(!pc.sender(avs).is_admin(avs, other));
        assert_eq!(pc.sender(avs).get_admins(avs), vec![avs]);
        let err = pc
            .sender(other)
            .add_pending_admin(avs, other)
            .motsu_unwrap_err();
        assert!(err.is::<IPermissionController::NotAdmin>());
    }

    #[motsu::test]
    fn admins_are_added_in_two_steps_and_never_all_removed(
        pc: Contract<PermissionController>,
        avs: Address,
        a1: Address,
        a2: Address,
    ) {
        pc.sender(avs).add_pending_admin(avs, a1).motsu_unwrap();
        assert!(pc
            .sender(avs)
            .add_pending_admin(avs, a1)
            .motsu_unwrap_err()
            .is::<IPermissionController::AdminAlreadyPending>());
        assert!(pc.sender(avs).is_pending_admin(avs, a1));
        assert!(pc
            .sender(a2)
            .accept_admin(avs)
            .motsu_unwrap_err()
            .is::<IPermissionController::AdminNotPending>());
        pc.sender(a1).accept_admin(avs).motsu_unwrap();
        pc.assert_emitted(&IPermissionController::AdminSet {
            account: avs,
            admin: a1,
        });
        // The account stops being its own admin once it has one.
        assert!(!pc.sender(avs).is_admin(avs, avs));
        assert_eq!(pc.sender(avs).get_admins(avs), vec![a1]);
        assert!(pc
            .sender(a1)
            .remove_admin(avs, a1)
            .motsu_unwrap_err()
            .is::<IPermissionController::CannotHaveZeroAdmins>());
        pc.sender(a1).add_pending_admin(avs, a2).motsu_unwrap();
        pc.sender(a2).accept_admin(avs).motsu_unwrap();
        assert!(pc
            .sender(a2)
            .add_pending_admin(avs, a1)
            .motsu_unwrap_err()
            .is::<IPermissionController::AdminAlreadySet>());
        pc.sender(a2).remove_admin(avs, a1).motsu_unwrap();
        assert_eq!(pc.sender(avs).get_admins(avs), vec![a2]);
        assert!(pc
            .sender(a2)
            .remove_admin(avs, a1)
            .motsu_unwrap_err()
            .is::<IPermissionController::CannotHaveZeroAdmins>());
    }

    #[motsu::test]
    fn appointees_can_call_exactly_what_they_were_given(
        pc: Contract<PermissionController>,
        op: Address,
        app: Address,
        target: Address,
    ) {
        assert!(!pc.sender(op).can_call(op, app, target, SEL));
        pc.sender(op)
            .set_appointee(op, app, target, SEL)
            .motsu_unwrap();
        assert!(pc
            .sender(op)
            .set_appointee(op, app, target, SEL)
            .motsu_unwrap_err()
            .is::<IPermissionController::AppointeeAlreadySet>());
        assert!(pc.sender(op).can_call(op, app, target, SEL));
        assert!(!pc.sender(op).can_call(op, app, target, FixedBytes([0; 4])));
        assert!(!pc.sender(op).can_call(op, app, op, SEL));
        assert_eq!(pc.sender(op).get_appointees(op, target, SEL), vec![app]);
        assert_eq!(
            pc.sender(op).appointee_permissions(op, app),
            (vec![target], vec![SEL])
        );
        pc.sender(op)
            .remove_appointee(op, app, target, SEL)
            .motsu_unwrap();
        assert!(!pc.sender(op).can_call(op, app, target, SEL));
        assert!(pc
            .sender(op)
            .remove_appointee(op, app, target, SEL)
            .motsu_unwrap_err()
            .is::<IPermissionController::AppointeeNotSet>());
        assert!(pc.sender(op).get_appointees(op, target, SEL).is_empty());
    }

    #[motsu::test]
    fn appointee_permissions_are_encoded_as_solidity_returns_them(
        pc: Contract<PermissionController>,
        op: Address,
        app: Address,
        target: Address,
    ) {
        use alloy_sol_types::SolCall;
        pc.sender(op)
            .set_appointee(op, app, target, SEL)
            .motsu_unwrap();
        let call = IPermissionController::getAppointeePermissionsCall {
            account: op,
            appointee: app,
        };
        let out = pc.sender(op).fallback(&call.abi_encode()).unwrap();
        let back =
            IPermissionController::getAppointeePermissionsCall::abi_decode_returns(&out, true)
                .unwrap();
        assert_eq!(back._0, vec![target]);
        assert_eq!(back._1, vec![SEL]);
        assert!(pc.sender(op).fallback(&[0xde, 0xad, 0xbe, 0xef]).is_err());
    }
}
