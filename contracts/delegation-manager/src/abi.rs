//! Small, non-generic ABI machinery (program size).
//!
//! `ferrostake_common::call`, `stylus_core::log`, `Revert::from` and the SDK's router are generic
//! over the `sol!` types, so every call, event, error and routed function is a separate
//! monomorphised encoder/decoder; that alone kept the programs above 24 KiB. Here one word-by-word
//! encoder ([`Enc`]), one call helper ([`call`]), one bounds- and type-checked reader for return
//! data and calldata ([`Reader`]) and one log helper ([`emit`]) serve them all. Selectors and event
//! topics still come from the `sol!` types of `ferrostake-interfaces` (constants, no code), and the
//! native tests check every hand encoding against alloy's.
//!
//! Call semantics are `ferrostake_common::call`'s: a callee revert bubbles unchanged, a call to an
//! address without code fails with `NoCodeAt`, and return data that is short, out of bounds or not a
//! valid value of its type (dirty address/uintN/bool words) fails with `InvalidReturnData`.
#![allow(deprecated)] // stylus-sdk 0.9's RawCall / AddressVM, as in ferrostake_common::call.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use ferrostake_common::Revert;
use ferrostake_interfaces::{
    IFerrostakeErrors::{InvalidReturnData, NoCodeAt},
    Withdrawal,
};
use stylus_sdk::{call::RawCall, types::AddressVM};

/// Revert data of an error without arguments.
#[inline(never)]
pub fn err(selector: [u8; 4]) -> Revert {
    Revert(selector.to_vec())
}

/// `Err` of the argument-less custom error `$e` (a `sol!` error type).
macro_rules! fail {
    ($e:path) => {
        Err($crate::abi::err(
            <$e as alloy_sol_types::SolError>::SELECTOR,
        ))
    };
}
pub(crate) use fail;

/// An ABI buffer built one 32-byte word at a time (calldata after a selector, event data).
#[derive(Default)]
pub struct Enc(pub Vec<u8>);

impl Enc {
    /// Calldata: the selector, then the words pushed.
    pub fn call(selector: [u8; 4]) -> Self {
        let mut v = Vec::with_capacity(4 + 6 * 32);
        v.extend_from_slice(&selector);
        Enc(v)
    }

    /// A 32-byte word as is (bytes32, an event topic).
    #[inline(never)]
    pub fn b(&mut self, word: &[u8; 32]) -> &mut Self {
        self.0.extend_from_slice(word);
        self
    }

    /// A uint256.
    pub fn u(&mut self, v: U256) -> &mut Self {
        self.b(&v.to_be_bytes::<32>())
    }

    /// A small unsigned integer (uint8 … uint64, and offsets and lengths).
    #[inline(never)]
    pub fn n(&mut self, v: u64) -> &mut Self {
        let mut w = [0u8; 32];
        w[24..].copy_from_slice(&v.to_be_bytes());
        self.b(&w)
    }

    /// An address (left-padded).
    #[inline(never)]
    pub fn a(&mut self, a: Address) -> &mut Self {
        let mut w = [0u8; 32];
        w[12..].copy_from_slice(a.as_slice());
        self.b(&w)
    }

    /// The tail of a `bytes` or `string`: length, then the bytes zero-padded to whole words.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.n(b.len() as u64);
        self.0.extend_from_slice(b);
        self.0.resize(self.0.len() + (32 - b.len() % 32) % 32, 0);
        self
    }

    /// The tail of an `address[]`: length, then the elements.
    pub fn addresses(&mut self, xs: &[Address]) -> &mut Self {
        self.n(xs.len() as u64);
        for x in xs {
            self.a(*x);
        }
        self
    }

    /// The tail of a `uint256[]`: length, then the elements.
    pub fn uints(&mut self, xs: &[U256]) -> &mut Self {
        self.n(xs.len() as u64);
        for x in xs {
            self.u(*x);
        }
        self
    }

    /// The tail of a `uint256[][]`: length, the offsets of the arrays (relative to just after the
    /// length), then the arrays.
    pub fn uint_arrays(&mut self, xs: &[Vec<U256>]) -> &mut Self {
        self.n(xs.len() as u64);
        let mut offset = 32 * xs.len() as u64;
        for x in xs {
            self.n(offset);
            offset += 32 * (1 + x.len() as u64);
        }
        for x in xs {
            self.uints(x);
        }
        self
    }

    /// `Withdrawal` as a tuple in place (head at the current end; offsets relative to it).
    pub fn withdrawal(&mut self, w: &Withdrawal) -> &mut Self {
        let strategies_offset = 7 * 32;
        let shares_offset = strategies_offset + 32 * (1 + w.strategies.len() as u64);
        self.a(w.staker)
            .a(w.delegatedTo)
            .a(w.withdrawer)
            .u(w.nonce)
            .n(w.startBlock.into())
            .n(strategies_offset)
            .n(shares_offset)
            .addresses(&w.strategies)
            .uints(&w.scaledShares)
    }
}

/// A single-word return value (uint256, bool as 0/1).
pub fn word(v: U256) -> Vec<u8> {
    v.to_be_bytes::<32>().to_vec()
}

/// An address as a single-word return value.
pub fn word_a(a: Address) -> Vec<u8> {
    let mut e = Enc::default();
    e.a(a);
    e.0
}

/// `abi.encode(withdrawal)` (a dynamic struct: an offset word, then the tuple).
pub fn encode_withdrawal(w: &Withdrawal) -> Vec<u8> {
    let mut e = Enc::default();
    e.n(32).withdrawal(w);
    e.0
}

/// Calls `to` with `data`: a CALL (storage cache flushed and cleared, as the callee may re-enter and
/// write) when `mutating`, else a STATICCALL (cache flushed). Reverts bubble unchanged.
#[inline(never)]
pub fn call(to: Address, data: &[u8], mutating: bool) -> Result<Vec<u8>, Revert> {
    if !to.has_code() {
        return Err(NoCodeAt { target: to }.into());
    }
    let raw = if mutating {
        RawCall::new().clear_storage_cache()
    } else {
        RawCall::new_static().flush_storage_cache()
    };
    // SAFETY: a CALL or STATICCALL to a contract; the storage cache is handled as above.
    unsafe { raw.call(to, data) }.map_err(ferrostake_common::entry::bubble)
}

/// ABI data read with bounds and type checks: return data of a call to `to`, or calldata arguments
/// (`to` = None). Reads are at absolute byte offsets; a dynamic value's offset word is relative to
/// `base`, the start of its enclosing tuple. As Solidity's decoder, it accepts trailing bytes and
/// non-canonical offsets; it rejects anything out of bounds and dirty address/uintN/bool words.
/// Failures are `InvalidReturnData` for return data and an empty revert for calldata (the router's
/// answer to undecodable arguments).
pub struct Reader<'a> {
    pub data: &'a [u8],
    pub to: Option<Address>,
}

/// Return data kept for a [`Reader`].
pub struct Ret {
    pub to: Address,
    pub out: Vec<u8>,
}

impl Ret {
    /// Calls `to` (see [`call`]) and keeps the return data for reading.
    pub fn call(to: Address, data: Enc, mutating: bool) -> Result<Ret, Revert> {
        Ok(Ret {
            to,
            out: call(to, &data.0, mutating)?,
        })
    }

    pub fn reader(&self) -> Reader<'_> {
        Reader {
            data: &self.out,
            to: Some(self.to),
        }
    }
}

impl Reader<'_> {
    #[inline(never)]
    pub fn bad(&self) -> Revert {
        match self.to {
            Some(target) => InvalidReturnData { target }.into(),
            None => Revert(Vec::new()),
        }
    }

    /// The word at byte offset `at`.
    #[inline(never)]
    fn word(&self, at: usize) -> Result<&[u8], Revert> {
        at.checked_add(32)
            .and_then(|end| self.data.get(at..end))
            .ok_or_else(|| self.bad())
    }

    /// A uint256 / bytes32 at byte offset `at`.
    pub fn u(&self, at: usize) -> Result<U256, Revert> {
        Ok(U256::from_be_slice(self.word(at)?))
    }

    /// An unsigned integer of at most `bytes` bytes (uint64: 8, address: 20) at byte offset `at`;
    /// dirty high bytes are invalid.
    #[inline(never)]
    pub fn small(&self, at: usize, bytes: usize) -> Result<U256, Revert> {
        let w = self.word(at)?;
        if w[..32 - bytes].iter().any(|b| *b != 0) {
            return Err(self.bad());
        }
        Ok(U256::from_be_slice(w))
    }

    /// A uint32 (also offsets and lengths, which fit 32 bits in any real data).
    pub fn u32(&self, at: usize) -> Result<u32, Revert> {
        Ok(self.small(at, 4)?.to())
    }

    /// An address at byte offset `at`.
    #[inline(never)]
    pub fn a(&self, at: usize) -> Result<Address, Revert> {
        self.small(at, 20)?;
        Ok(Address::from_slice(&self.word(at)?[12..]))
    }

    /// A bool at byte offset `at` (0 or 1).
    #[inline(never)]
    pub fn bool(&self, at: usize) -> Result<bool, Revert> {
        let v = self.small(at, 1)?;
        if v > U256::from(1u8) {
            return Err(self.bad());
        }
        Ok(v == U256::from(1u8))
    }

    /// Where the dynamic value whose offset word is at `head` starts (the offset is relative to
    /// `base`).
    #[inline(never)]
    pub fn tail(&self, base: usize, head: usize) -> Result<usize, Revert> {
        let at = base
            .checked_add(self.u32(head)? as usize)
            .ok_or_else(|| self.bad())?;
        // At least its first word (an array's length, a tuple's first field) is inside the data.
        self.word(at)?;
        Ok(at)
    }

    /// A dynamic array whose offset word is at `head`: (byte offset of its first element, length),
    /// with `len` words of elements inside the data.
    #[inline(never)]
    pub fn array(&self, base: usize, head: usize) -> Result<(usize, usize), Revert> {
        let at = self.tail(base, head)?;
        let len = self.u32(at)? as usize;
        let start = at + 32;
        let end = len
            .checked_mul(32)
            .and_then(|n| n.checked_add(start))
            .ok_or_else(|| self.bad())?;
        if end > self.data.len() {
            return Err(self.bad());
        }
        Ok((start, len))
    }

    /// A `bytes` whose offset word is at `head` (its `len` bytes inside the data).
    #[inline(never)]
    pub fn bytes(&self, base: usize, head: usize) -> Result<&[u8], Revert> {
        let at = self.tail(base, head)?;
        let len = self.u32(at)? as usize;
        (at + 32)
            .checked_add(len)
            .and_then(|end| self.data.get(at + 32..end))
            .ok_or_else(|| self.bad())
    }

    /// A `string` whose offset word is at `head`; not UTF-8 is invalid (as for the router).
    pub fn string(&self, base: usize, head: usize) -> Result<String, Revert> {
        core::str::from_utf8(self.bytes(base, head)?)
            .map(String::from)
            .map_err(|_| self.bad())
    }

    /// A `uint64[]` (as U256) whose offset word is at `head`.
    pub fn u64s(&self, base: usize, head: usize) -> Result<Vec<U256>, Revert> {
        let (start, len) = self.array(base, head)?;
        (0..len).map(|i| self.small(start + 32 * i, 8)).collect()
    }

    /// A `uint256[]` whose offset word is at `head`.
    pub fn uints(&self, base: usize, head: usize) -> Result<Vec<U256>, Revert> {
        let (start, len) = self.array(base, head)?;
        (0..len).map(|i| self.u(start + 32 * i)).collect()
    }

    /// An `address[]` whose offset word is at `head`.
    pub fn addresses(&self, base: usize, head: usize) -> Result<Vec<Address>, Revert> {
        let (start, len) = self.array(base, head)?;
        (0..len).map(|i| self.a(start + 32 * i)).collect()
    }

    /// A `Withdrawal` whose offset word is at `head`.
    pub fn withdrawal(&self, base: usize, head: usize) -> Result<Withdrawal, Revert> {
        let at = self.tail(base, head)?;
        Ok(Withdrawal {
            staker: self.a(at)?,
            delegatedTo: self.a(at + 32)?,
            withdrawer: self.a(at + 64)?,
            nonce: self.u(at + 96)?,
            startBlock: self.u32(at + 128)?,
            strategies: self.addresses(at, at + 160)?,
            scaledShares: self.uints(at, at + 192)?,
        })
    }
}

/// Emits event `signature` (its topic 0) with the `indexed` address topics, then `data`.
#[inline(never)]
pub fn emit<H: stylus_sdk::stylus_core::Host + ?Sized>(
    vm: &H,
    signature: B256,
    indexed: &[Address],
    data: &[u8],
) {
    let mut e = Enc::default();
    e.b(&signature.0);
    for a in indexed {
        e.a(*a);
    }
    e.0.extend_from_slice(data);
    vm.emit_log(&e.0, 1 + indexed.len());
}

#[cfg(test)]
mod tests {
    use alloy_primitives::keccak256;
    use alloy_sol_types::{SolCall, SolError, SolValue};
    use ferrostake_interfaces::{
        IAllocationManager, IFerrostakeErrors, IPermissionController, IStrategyManager,
    };

    use super::*;

    fn withdrawal(n: usize) -> Withdrawal {
        Withdrawal {
            staker: Address::repeat_byte(1),
            delegatedTo: Address::repeat_byte(2),
            withdrawer: Address::repeat_byte(1),
            nonce: U256::from(7u8),
            startBlock: 0xdead_beef,
            strategies: (0..n)
                .map(|i| Address::repeat_byte(0x10 + i as u8))
                .collect(),
            scaledShares: (0..n).map(|i| U256::from(1000 + i) << 128).collect(),
        }
    }

    #[test]
    fn withdrawal_encoding_and_root_match_alloy() {
        for n in [0, 1, 3] {
            let w = withdrawal(n);
            assert_eq!(encode_withdrawal(&w), w.abi_encode(), "{n} strategies");
            assert_eq!(crate::withdrawal_root(&w), keccak256(w.abi_encode()));
        }
    }

    #[test]
    fn calldata_words_match_alloy() {
        let mut e = Enc::call(IStrategyManager::removeDepositSharesCall::SELECTOR);
        e.a(Address::repeat_byte(1))
            .a(Address::repeat_byte(2))
            .u(U256::MAX);
        let expected = IStrategyManager::removeDepositSharesCall {
            staker: Address::repeat_byte(1),
            strategy: Address::repeat_byte(2),
            depositSharesToRemove: U256::MAX,
        }
        .abi_encode();
        assert_eq!(e.0, expected);

        let strategies = vec![Address::repeat_byte(3), Address::repeat_byte(4)];
        let mut e = Enc::call(IAllocationManager::getMaxMagnitudesAtBlockCall::SELECTOR);
        e.a(Address::repeat_byte(5))
            .n(3 * 32)
            .n(99)
            .addresses(&strategies);
        let expected = IAllocationManager::getMaxMagnitudesAtBlockCall {
            operator: Address::repeat_byte(5),
            strategies,
            blockNumber: 99,
        }
        .abi_encode();
        assert_eq!(e.0, expected);
    }

    #[test]
    fn bytes_are_length_prefixed_and_zero_padded() {
        for len in [0usize, 1, 31, 32, 33, 64, 65] {
            let s: String = "x".repeat(len);
            let mut e = Enc::default();
            e.n(32).bytes(s.as_bytes());
            assert_eq!(e.0, (s.clone(),).abi_encode_params(), "length {len}");
            assert_eq!(e.0.len() % 32, 0);
        }
    }

    fn ret(out: Vec<u8>) -> Ret {
        Ret {
            to: Address::repeat_byte(0xee),
            out,
        }
    }

    #[test]
    fn reader_decodes_what_alloy_encodes() {
        let strategies = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
        let shares = vec![U256::from(5u8), U256::MAX];
        let r = ret(IStrategyManager::getDepositsCall::abi_encode_returns(&(
            strategies.clone(),
            shares.clone(),
        )));
        assert_eq!(r.reader().addresses(0, 0).unwrap(), strategies);
        assert_eq!(r.reader().uints(0, 32).unwrap(), shares);

        let mags = vec![u64::MAX, 0, 1];
        let r =
            ret(IAllocationManager::getMaxMagnitudes_0Call::abi_encode_returns(&(mags.clone(),)));
        assert_eq!(
            r.reader().u64s(0, 0).unwrap(),
            mags.iter().map(|m| U256::from(*m)).collect::<Vec<_>>()
        );

        for b in [true, false] {
            let r = ret(IPermissionController::canCallCall::abi_encode_returns(
                &(b,),
            ));
            assert_eq!(r.reader().bool(0).unwrap(), b);
        }

        let w = withdrawal(2);
        let data = w.abi_encode();
        let r = Reader {
            data: &data,
            to: None,
        };
        assert_eq!(r.withdrawal(0, 0).unwrap(), w);
    }

    fn invalid(r: &Reader, result: Result<impl core::fmt::Debug, Revert>) {
        let err = result.unwrap_err();
        match r.to {
            Some(target) => {
                let e = err
                    .decode::<IFerrostakeErrors::InvalidReturnData>()
                    .expect("InvalidReturnData");
                assert_eq!(e.target, target);
            }
            None => assert!(err.0.is_empty(), "calldata errors revert empty"),
        }
    }

    #[test]
    fn reader_rejects_short_dirty_and_out_of_bounds_data() {
        let mut word = [0u8; 32];
        word[11] = 1; // dirty byte above an address
        let r = ret(word.to_vec());
        let r = r.reader();
        invalid(&r, r.a(0));
        // ...which is a valid uint256.
        assert_eq!(r.u(0).unwrap(), U256::from(1u8) << 160);
        // Short data.
        invalid(&r, r.u(1));
        invalid(&r, r.u(usize::MAX - 3));

        let mut word = [0u8; 32];
        word[23] = 1; // 2^64: not a uint64
        let r = ret(word.to_vec());
        invalid(&r.reader(), r.reader().small(0, 8));
        word[23] = 0;
        word[31] = 2;
        let r = ret(word.to_vec());
        invalid(&r.reader(), r.reader().bool(0));

        // An array whose length runs past the data, one whose offset does, and an absurd length.
        let good = IStrategyManager::getDepositsCall::abi_encode_returns(&(
            vec![Address::repeat_byte(1)],
            vec![U256::from(1u8)],
        ));
        let mut long = good.clone();
        long[64 + 31] = 2; // first array: 2 elements declared, 1 present before the next array
        let r = ret(long);
        // Two words are in bounds (the second is the next array's head), so it decodes...
        assert_eq!(r.reader().uints(0, 0).unwrap().len(), 2);
        let mut past = good.clone();
        past[32 + 31] = 0xff; // second array's offset beyond the data
        let r = ret(past);
        invalid(&r.reader(), r.reader().uints(0, 32));
        let mut absurd = good.clone();
        absurd[64 + 28..64 + 32].copy_from_slice(&u32::MAX.to_be_bytes());
        let r = ret(absurd);
        invalid(&r.reader(), r.reader().addresses(0, 0));
        let mut truncated = good;
        truncated.truncate(truncated.len() - 1);
        let r = ret(truncated);
        invalid(&r.reader(), r.reader().uints(0, 32));

        // Calldata: undecodable arguments revert with empty data; strings must be UTF-8.
        let data = ("ok".to_string(),).abi_encode_params();
        let r = Reader {
            data: &data,
            to: None,
        };
        assert_eq!(r.string(0, 0).unwrap(), "ok");
        let bad_utf8 = (alloy_primitives::Bytes::from(vec![0xff, 0xfe]),).abi_encode_params();
        let r = Reader {
            data: &bad_utf8,
            to: None,
        };
        assert_eq!(r.bytes(0, 0).unwrap(), &[0xff, 0xfe]);
        invalid(&r, r.string(0, 0));
        let short = &data[..data.len() - 32];
        let r = Reader {
            data: short,
            to: None,
        };
        invalid(&r, r.string(0, 0));
    }

    #[test]
    fn argument_less_errors_are_their_selector() {
        let r: Result<(), Revert> = fail!(ferrostake_interfaces::IDelegationManager::SaltSpent);
        assert_eq!(
            r.unwrap_err().0,
            ferrostake_interfaces::IDelegationManager::SaltSpent {}.abi_encode()
        );
    }
}
