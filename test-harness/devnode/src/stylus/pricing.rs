//! Nitro's published Stylus prices (ink for host functions, gas for memory and entry), as listed in
//! `shared/reference/stylus-notes.md` §3. 1 gas = 10,000 ink.

use alloy_primitives::U256;

pub const HOSTIO_INK: u64 = 8_400;
pub const PTR_INK: u64 = 5_040;
pub const EVM_API_INK: u64 = 59_673;
pub const DIV_INK: u64 = 20_000;
pub const ADD_MOD_INK: u64 = 21_000;
pub const MUL_MOD_INK: u64 = 24_100;

/// Free memory pages per transaction (`FreePages`).
pub const FREE_PAGES: u16 = 2;
/// Gas per page beyond the free ones (`PageGas`).
pub const PAGE_GAS: u64 = 1_000;
/// `MinInitGas` (units of 128 gas) and `MinCachedInitGas` (units of 32 gas), Stylus v2.
pub const MIN_INIT_GAS: u64 = 69;
pub const MIN_CACHED_INIT_GAS: u64 = 11;

/// Ink to read `n` bytes of program memory from the host.
pub fn read_price(n: usize) -> u64 {
    16_381 + 55 * (n as u64).saturating_sub(32)
}

/// Ink to write `n` bytes into program memory.
pub fn write_price(n: usize) -> u64 {
    5_040 + 30 * (n as u64).saturating_sub(32)
}

/// Ink of `native_keccak256` over `n` bytes.
pub fn keccak_price(n: usize) -> u64 {
    let words = (n as u64).div_ceil(32);
    121_800 + 21_000 * words.saturating_sub(2)
}

/// Ink of `math_pow` for an exponent.
pub fn pow_price(exponent: U256) -> u64 {
    let bytes = (256 - exponent.leading_zeros() as u64).div_ceil(8);
    3_000 + 17_500 * bytes
}

/// Nitro's memory exponent table (`arbos/programs/memory.go`), gas by pages ever open.
const MEMORY_EXPONENTS: [u32; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38,
    43, 50, 57, 65, 75, 85, 98, 112, 128, 147, 168, 193, 221, 253, 289, 331, 379, 434, 497, 569,
    651, 745, 853, 976, 1117, 1279, 1463, 1675, 1917, 2194, 2511, 2874, 3290, 3765, 4309, 4932,
    5645, 6461, 7395, 8464, 9687, 11087, 12689, 14523, 16621, 19024, 21773, 24919, 28521, 32642,
    37359, 42758, 48938, 56010, 64104, 73368, 83971, 96106, 109994, 125890, 144082, 164904, 188735,
    216010, 247226, 282953, 323844, 370643, 424206, 485509, 555672, 635973, 727880, 833067, 953456,
    1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704, 2807151, 3212820, 3677113,
    4208502, 4816684, 5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199,
    16230562, 18576084, 21260563, 24332984, 27849408, 31873999,
];

fn exp(pages: u16) -> u64 {
    MEMORY_EXPONENTS
        .get(pages as usize)
        .map(|v| *v as u64)
        .unwrap_or(u64::MAX)
}

/// Gas to open `new` pages when `open` are open and `ever` have ever been open in this
/// transaction.
pub fn memory_gas(new: u16, open: u16, ever: u16) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= FREE_PAGES {
        return 0;
    }
    let sub_free = |p: u16| p.saturating_sub(FREE_PAGES);
    let adding = sub_free(new_open).saturating_sub(sub_free(open));
    let linear = adding as u64 * PAGE_GAS;
    linear.saturating_add(exp(new_ever).saturating_sub(exp(ever)))
}

/// EIP-2200/2929 SSTORE gas for one slot (`is_cold` adds the cold access), and its EIP-3529
/// refund delta.
pub fn sstore_gas(original: U256, present: U256, new: U256, is_cold: bool) -> (u64, i64) {
    let cold = if is_cold { 2_100 } else { 0 };
    if new == present {
        return (cold + 100, 0);
    }
    let mut refund = 0i64;
    let gas = if original == present {
        if original.is_zero() {
            20_000
        } else {
            if new.is_zero() {
                refund += 4_800;
            }
            2_900
        }
    } else {
        if !original.is_zero() {
            if present.is_zero() {
                refund -= 4_800;
            } else if new.is_zero() {
                refund += 4_800;
            }
        }
        if original == new {
            refund += if original.is_zero() { 19_900 } else { 2_800 };
        }
        100
    };
    (cold + gas, refund)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_model() {
        // the first two pages are free, whatever the order they are opened in
        assert_eq!(memory_gas(2, 0, 0), 0);
        assert_eq!(memory_gas(1, 1, 1), 0);
        // a third page: one linear page plus the exponent step from 2 to 3 pages ever (1 - 1)
        assert_eq!(memory_gas(1, 2, 2), PAGE_GAS);
        // re-opening pages already paid for "ever" only pays the linear part
        assert_eq!(memory_gas(1, 2, 10), PAGE_GAS);
        assert_eq!(memory_gas(200, 0, 0), u64::MAX);
    }

    #[test]
    fn sstore_matches_eip2200_cases() {
        let (z, one, two) = (U256::ZERO, U256::from(1), U256::from(2));
        assert_eq!(sstore_gas(z, z, one, true), (22_100, 0));
        assert_eq!(sstore_gas(one, one, two, false), (2_900, 0));
        assert_eq!(sstore_gas(one, one, z, false), (2_900, 4_800));
        assert_eq!(sstore_gas(one, one, one, true), (2_200, 0));
        // set then reset within one tx: dirty write, refund of the set
        assert_eq!(sstore_gas(z, one, z, false), (100, 19_900));
    }

    #[test]
    fn host_prices() {
        assert_eq!(read_price(32), 16_381);
        assert_eq!(read_price(64), 16_381 + 55 * 32);
        assert_eq!(write_price(0), 5_040);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 121_800 + 21_000);
        assert_eq!(pow_price(U256::from(0x1_00)), 3_000 + 2 * 17_500);
    }
}
