//! ArbOS program state: the Stylus parameters the chain runs with (the ArbOS and Stylus versions,
//! activation cost, expiry), the activated-program rows and the activation data pricer.
//!
//! Program rows live in the storage of the ArbOS state account (`0xA4B05FFF…FF`), keyed by
//! codehash, so activation is journaled like any other state: it reverts with its transaction, is
//! undone by `evm_revert`, and `eth_call` simulations of `activateProgram` leave no trace. Both the
//! execution layer (which checks a program is active before running it) and the ArbOS precompiles
//! (which activate, keep alive and cache programs) read and write them here.

use alloy_primitives::{address, keccak256, Address, B256, U256};
use revm::context_interface::JournalTr;

use crate::stylus::pricing;
use crate::stylus::program::ProgramFacts;

/// The account whose storage holds ArbOS state (program rows, the data pricer).
pub const ARBOS_STATE: Address = address!("A4B05FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
/// ArbOS version whose Stylus parameters the devnode follows (Arbitrum One's ArbOS 40); ArbSys
/// reports it as `55 + version`.
pub const ARBOS_VERSION: u64 = 40;
/// Stylus version the chain runs (Arbitrum One is on v2).
pub const STYLUS_VERSION: u16 = 2;
/// Fixed activation gas (Nitro).
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;
pub const EXPIRY_DAYS: u64 = 365;
pub const KEEPALIVE_DAYS: u64 = 31;
/// Hours are counted from this Unix time (Arbitrum's epoch for `activatedAt`).
const ARBITRUM_START: u64 = 1_421_388_000;
/// Data pricer: minimum price per byte of estimated native code, demand inertia and decay.
const MIN_PRICE: f64 = 82_928_201.0;
const INERTIA: f64 = 21_360_419.0;
const BYTES_PER_SECOND_DECAY: f64 = (1u64 << 40) as f64 / (365.0 * 24.0 * 3600.0);

/// One activated program (Nitro's packed `Program` word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramRow {
    pub version: u16,
    pub init_cost: u16,
    pub cached_cost: u16,
    pub footprint: u16,
    pub asm_estimate_kb: u32,
    pub activated_at: u32,
    pub cached: bool,
}

impl ProgramRow {
    fn pack(&self) -> U256 {
        let mut b = [0u8; 32];
        b[0..2].copy_from_slice(&self.version.to_be_bytes());
        b[2..4].copy_from_slice(&self.init_cost.to_be_bytes());
        b[4..6].copy_from_slice(&self.cached_cost.to_be_bytes());
        b[6..8].copy_from_slice(&self.footprint.to_be_bytes());
        b[8..11].copy_from_slice(&self.asm_estimate_kb.to_be_bytes()[1..]);
        b[11..14].copy_from_slice(&self.activated_at.to_be_bytes()[1..]);
        b[14] = self.cached as u8;
        U256::from_be_bytes(b)
    }
    fn unpack(v: U256) -> Option<Self> {
        if v.is_zero() {
            return None;
        }
        let b = v.to_be_bytes::<32>();
        let u24 = |s: &[u8]| u32::from_be_bytes([0, s[0], s[1], s[2]]);
        Some(Self {
            version: u16::from_be_bytes([b[0], b[1]]),
            init_cost: u16::from_be_bytes([b[2], b[3]]),
            cached_cost: u16::from_be_bytes([b[4], b[5]]),
            footprint: u16::from_be_bytes([b[6], b[7]]),
            asm_estimate_kb: u24(&b[8..11]),
            activated_at: u24(&b[11..14]),
            cached: b[14] != 0,
        })
    }
    /// Seconds since activation.
    pub fn age(&self, now: u64) -> u64 {
        now.saturating_sub(ARBITRUM_START + self.activated_at as u64 * 3600)
    }
    /// `Some(age)` when the program has expired.
    pub fn expired_age(&self, now: u64) -> Option<u64> {
        let age = self.age(now);
        (age > EXPIRY_DAYS * 86_400).then_some(age)
    }
    /// Init gas of a call to the program once cached (Stylus v2 `MinCachedInitGas` + its own).
    pub fn cached_gas(&self) -> u64 {
        pricing::MIN_CACHED_INIT_GAS * 32 + self.cached_cost as u64
    }
    /// Init gas of a call to the program uncached, on top of the cached part (`MinInitGas` + its
    /// own); also what caching it costs once.
    pub fn init_gas(&self) -> u64 {
        pricing::MIN_INIT_GAS * 128 + self.init_cost as u64
    }
    /// Gas charged on every call on top of memory (Stylus v2).
    pub fn call_cost(&self) -> u64 {
        if self.cached {
            self.cached_gas()
        } else {
            self.cached_gas() + self.init_gas()
        }
    }
    /// The row a program gets when activated at `now` with the statistics `facts`.
    pub fn activated(facts: &ProgramFacts, now: u64) -> Self {
        Self {
            version: STYLUS_VERSION,
            init_cost: facts.init_cost() as u16,
            cached_cost: facts.cached_init_cost() as u16,
            footprint: facts.footprint,
            asm_estimate_kb: facts.asm_estimate().div_ceil(1024) as u32,
            activated_at: hours(now),
            cached: false,
        }
    }
}

/// Hours since Arbitrum's epoch (`activatedAt`).
pub fn hours(now: u64) -> u32 {
    (now.saturating_sub(ARBITRUM_START) / 3600) as u32
}

fn row_slot(codehash: B256) -> U256 {
    U256::from_be_bytes(codehash.0)
}

fn pricer_slot(name: &str) -> U256 {
    U256::from_be_bytes(keccak256(name.as_bytes()).0)
}

fn ensure_state<J: JournalTr>(j: &mut J) {
    let _ = j.load_account(ARBOS_STATE);
}

/// Reads the program row of `codehash`, if activated.
pub fn load_row<J: JournalTr>(j: &mut J, codehash: B256) -> Option<ProgramRow> {
    ensure_state(j);
    let v = j
        .sload(ARBOS_STATE, row_slot(codehash))
        .map(|s| s.data)
        .unwrap_or_default();
    ProgramRow::unpack(v).filter(|r| r.version != 0)
}

/// Writes the program row of `codehash`.
pub fn store_row<J: JournalTr>(j: &mut J, codehash: B256, row: &ProgramRow) {
    ensure_state(j);
    let _ = j.sstore(ARBOS_STATE, row_slot(codehash), row.pack());
    j.touch_account(ARBOS_STATE);
}

/// The ArbOS feature word (Nitro's `features` subspace): bit 0 is EIP-7623's calldata price
/// increase, off at genesis as on every ArbOS 40 chain until its owner turns it on.
fn features_slot() -> U256 {
    pricer_slot("ferrostake.devnode.features")
}
const CALLDATA_PRICE_INCREASE: U256 = U256::from_limbs([1, 0, 0, 0]);

/// Whether the chain owner has enabled EIP-7623's calldata floor (`ArbOwner.setCalldataPriceIncrease`).
pub fn calldata_price_increase<J: JournalTr>(j: &mut J) -> bool {
    ensure_state(j);
    let v = j
        .sload(ARBOS_STATE, features_slot())
        .map(|s| s.data)
        .unwrap_or_default();
    v & CALLDATA_PRICE_INCREASE == CALLDATA_PRICE_INCREASE
}

/// The same flag read straight from a state database (before a transaction starts: the floor is
/// decided when the transaction is validated).
pub fn calldata_price_increase_in<D: revm::DatabaseRef>(db: &D) -> bool {
    db.storage_ref(ARBOS_STATE, features_slot())
        .map(|v| v & CALLDATA_PRICE_INCREASE == CALLDATA_PRICE_INCREASE)
        .unwrap_or(false)
}

/// Turns EIP-7623's calldata floor on or off.
pub fn set_calldata_price_increase<J: JournalTr>(j: &mut J, on: bool) {
    ensure_state(j);
    let slot = features_slot();
    let v = j
        .sload(ARBOS_STATE, slot)
        .map(|s| s.data)
        .unwrap_or_default();
    let v = if on {
        v | CALLDATA_PRICE_INCREASE
    } else {
        v & !CALLDATA_PRICE_INCREASE
    };
    let _ = j.sstore(ARBOS_STATE, slot, v);
    j.touch_account(ARBOS_STATE);
}

/// Nitro's data pricer: demand decays at 1 TiB/year and grows by each activation's estimate;
/// the price per byte grows exponentially with demand. Records the demand and returns the fee.
pub fn data_fee<J: JournalTr>(j: &mut J, asm_estimate: u64, now: u64) -> U256 {
    ensure_state(j);
    let (ds, ts) = (
        pricer_slot("ferrostake.devnode.pricer.demand"),
        pricer_slot("ferrostake.devnode.pricer.time"),
    );
    let demand = j
        .sload(ARBOS_STATE, ds)
        .map(|s| s.data)
        .unwrap_or_default()
        .saturating_to::<u64>();
    let last = j
        .sload(ARBOS_STATE, ts)
        .map(|s| s.data)
        .unwrap_or_default()
        .saturating_to::<u64>();
    let decay = (now.saturating_sub(last) as f64 * BYTES_PER_SECOND_DECAY) as u64;
    let demand = demand.saturating_sub(decay).saturating_add(asm_estimate);
    let _ = j.sstore(ARBOS_STATE, ds, U256::from(demand));
    let _ = j.sstore(ARBOS_STATE, ts, U256::from(now));
    j.touch_account(ARBOS_STATE);
    let per_byte = MIN_PRICE * (demand as f64 / INERTIA).exp();
    U256::from((per_byte * asm_estimate as f64) as u128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_packing_roundtrips() {
        let row = ProgramRow {
            version: 2,
            init_cost: 1234,
            cached_cost: 56,
            footprint: 1,
            asm_estimate_kb: 0x01_23_45,
            activated_at: 0x0a_bc_de,
            cached: true,
        };
        assert_eq!(ProgramRow::unpack(row.pack()), Some(row));
        assert_eq!(ProgramRow::unpack(U256::ZERO), None);
    }

    #[test]
    fn expiry_and_costs() {
        let now = ARBITRUM_START + 1_000 * 3600;
        let row = ProgramRow {
            version: 2,
            activated_at: hours(now),
            init_cost: 10,
            cached_cost: 3,
            ..Default::default()
        };
        assert_eq!(row.expired_age(now), None);
        assert!(row.expired_age(now + 366 * 86_400).is_some());
        assert_eq!(row.call_cost(), 11 * 32 + 3 + 69 * 128 + 10);
    }
}
