//! Hand ABI encoding for the vault's outbound calls and the few arguments the SDK's router cannot
//! take (structs): alloy's generic encoders and decoders of nested dynamic types cost tens of
//! kilobytes of program size (see the DelegationManager's `abi` module for the same trade-off).
//! Layouts follow the Solidity ABI: a dynamic value's offset is relative to the start of its
//! enclosing tuple. Reads are bounds-checked; dirty address words are rejected.
#![allow(deprecated)] // RawCall, as ferrostake_common::call.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use ferrostake_common::Revert;
use ferrostake_interfaces::{IFerrostakeErrors, Withdrawal};
use stylus_sdk::call::RawCall;

/// Encoder: a selector and words.
#[derive(Default)]
pub struct Enc(pub Vec<u8>);

impl Enc {
    pub fn call(selector: [u8; 4]) -> Self {
        let mut v = Vec::with_capacity(4 + 32 * 8);
        v.extend_from_slice(&selector);
        Enc(v)
    }

    pub fn u(&mut self, x: U256) -> &mut Self {
        self.0.extend_from_slice(&x.to_be_bytes::<32>());
        self
    }

    pub fn n(&mut self, x: u64) -> &mut Self {
        self.u(U256::from(x))
    }

    pub fn a(&mut self, a: Address) -> &mut Self {
        self.0.extend_from_slice(&[0u8; 12]);
        self.0.extend_from_slice(a.as_slice());
        self
    }

    pub fn b32(&mut self, b: B256) -> &mut Self {
        self.0.extend_from_slice(&b.0);
        self
    }

    /// A `bytes` tail: length, then the data zero-padded to words.
    pub fn bytes(&mut self, data: &[u8]) -> &mut Self {
        self.n(data.len() as u64);
        self.0.extend_from_slice(data);
        let pad = (32 - data.len() % 32) % 32;
        self.0.extend(core::iter::repeat_n(0u8, pad));
        self
    }

    /// A `Withdrawal` tuple (head of 7 words, then both arrays).
    pub fn withdrawal(&mut self, w: &Withdrawal) -> &mut Self {
        let n = w.strategies.len() as u64;
        self.a(w.staker)
            .a(w.delegatedTo)
            .a(w.withdrawer)
            .u(w.nonce)
            .n(w.startBlock as u64)
            .n(7 * 32)
            .n(8 * 32 + n * 32);
        self.n(n);
        for s in &w.strategies {
            self.a(*s);
        }
        self.n(w.scaledShares.len() as u64);
        for s in &w.scaledShares {
            self.u(*s);
        }
        self
    }
}

/// `keccak256(abi.encode(withdrawal))`, as the DelegationManager keys it.
pub fn withdrawal_root(w: &Withdrawal) -> B256 {
    let mut e = Enc::default();
    e.n(32).withdrawal(w);
    keccak256(&e.0)
}

/// ABI data read at absolute byte offsets; `from` names the callee in `InvalidReturnData`
/// (calldata: `None`, which reverts empty as the SDK's router does).
pub struct Reader<'a> {
    pub data: &'a [u8],
    pub from: Option<Address>,
}

impl Reader<'_> {
    pub fn bad(&self) -> Revert {
        match self.from {
            Some(target) => IFerrostakeErrors::InvalidReturnData { target }.into(),
            None => Revert(Vec::new()),
        }
    }

    pub fn u(&self, at: usize) -> Result<U256, Revert> {
        let end = at.checked_add(32).ok_or_else(|| self.bad())?;
        let bytes = self.data.get(at..end).ok_or_else(|| self.bad())?;
        Ok(U256::from_be_slice(bytes))
    }

    /// A word that must fit `bits` bits.
    pub fn uint(&self, at: usize, bits: usize) -> Result<u64, Revert> {
        let w = self.u(at)?;
        if w.bit_len() > bits {
            return Err(self.bad());
        }
        Ok(w.to::<u64>())
    }

    pub fn a(&self, at: usize) -> Result<Address, Revert> {
        let w = self.u(at)?;
        if w.bit_len() > 160 {
            return Err(self.bad());
        }
        Ok(Address::from_word(w.into()))
    }

    /// An offset or length (bounded by the data's size).
    pub fn index(&self, at: usize) -> Result<usize, Revert> {
        let w = self.u(at)?;
        if w > U256::from(self.data.len()) {
            return Err(self.bad());
        }
        Ok(w.to::<usize>())
    }

    /// `(first element, length)` of the dynamic value whose offset (relative to `base`) is at `at`.
    pub fn tail(&self, base: usize, at: usize) -> Result<(usize, usize), Revert> {
        let start = base
            .checked_add(self.index(at)?)
            .ok_or_else(|| self.bad())?;
        Ok((start + 32, self.index(start)?))
    }

    pub fn addresses(&self, base: usize, at: usize) -> Result<Vec<Address>, Revert> {
        let (first, n) = self.tail(base, at)?;
        (0..n).map(|i| self.a(first + 32 * i)).collect()
    }

    pub fn words(&self, base: usize, at: usize) -> Result<Vec<U256>, Revert> {
        let (first, n) = self.tail(base, at)?;
        (0..n).map(|i| self.u(first + 32 * i)).collect()
    }

    pub fn string(&self, base: usize, at: usize) -> Result<String, Revert> {
        let (first, n) = self.tail(base, at)?;
        let end = first.checked_add(n).ok_or_else(|| self.bad())?;
        let bytes = self.data.get(first..end).ok_or_else(|| self.bad())?;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.bad())
    }

    /// The `Withdrawal` tuple whose offset (relative to `base`) is at `at`.
    pub fn withdrawal(&self, base: usize, at: usize) -> Result<Withdrawal, Revert> {
        let t = base
            .checked_add(self.index(at)?)
            .ok_or_else(|| self.bad())?;
        Ok(Withdrawal {
            staker: self.a(t)?,
            delegatedTo: self.a(t + 32)?,
            withdrawer: self.a(t + 64)?,
            nonce: self.u(t + 96)?,
            startBlock: self.uint(t + 128, 32)? as u32,
            strategies: self.addresses(t, t + 160)?,
            scaledShares: self.words(t, t + 192)?,
        })
    }
}

/// Calls `to` with `data`: a CALL (storage cache flushed and cleared: the callee may re-enter) when
/// `mutating`, else a STATICCALL (cache flushed). Reverts bubble unchanged; no code is `NoCodeAt`.
#[inline(never)]
pub fn raw_call(to: Address, data: &[u8], mutating: bool) -> Result<Vec<u8>, Revert> {
    #[allow(deprecated)]
    let has_code = stylus_sdk::types::AddressVM::has_code(&to);
    if !has_code {
        return Err(IFerrostakeErrors::NoCodeAt { target: to }.into());
    }
    let raw = if mutating {
        RawCall::new().clear_storage_cache()
    } else {
        RawCall::new_static().flush_storage_cache()
    };
    // SAFETY: a CALL or STATICCALL to a contract; the storage cache is handled as above.
    unsafe { raw.call(to, data) }.map_err(ferrostake_common::entry::bubble)
}

/// A view returning one word: `selector(args…)` on `to`.
#[inline(never)]
pub fn view_word(to: Address, data: &[u8]) -> Result<U256, Revert> {
    let out = raw_call(to, data, false)?;
    Reader {
        data: &out,
        from: Some(to),
    }
    .u(0)
}

/// `token.balanceOf(account)`.
pub fn balance_in(token: Address, account: Address) -> Result<U256, Revert> {
    use alloy_sol_types::SolCall;
    let mut e = Enc::call(ferrostake_interfaces::IERC20::balanceOfCall::SELECTOR);
    e.a(account);
    view_word(token, &e.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{SolCall, SolValue};
    use ferrostake_interfaces::{IDelegationManager, ILrtVault};

    fn sample() -> Withdrawal {
        Withdrawal {
            staker: Address::repeat_byte(1),
            delegatedTo: Address::repeat_byte(2),
            withdrawer: Address::repeat_byte(1),
            nonce: U256::from(7u8),
            startBlock: 99,
            strategies: vec![Address::repeat_byte(3), Address::repeat_byte(4)],
            scaledShares: vec![U256::from(5u8), U256::from(6u8)],
        }
    }

    #[test]
    fn withdrawal_encoding_and_root_match_alloy() {
        let w = sample();
        assert_eq!(withdrawal_root(&w), keccak256(w.abi_encode()));
        let call = ILrtVault::completeUnstakeCall {
            operator: Address::repeat_byte(9),
            withdrawal: w.clone(),
        }
        .abi_encode();
        let r = Reader {
            data: &call[4..],
            from: None,
        };
        assert_eq!(r.a(0).unwrap(), Address::repeat_byte(9));
        assert_eq!(r.withdrawal(0, 32).unwrap(), w);
        let mut e = Enc::call(IDelegationManager::completeQueuedWithdrawalCall::SELECTOR);
        e.n(96).n(96 + 32 * 9 + 32 * 4).n(1).withdrawal(&w);
        e.n(2).a(Address::repeat_byte(8)).a(Address::repeat_byte(8));
        assert_eq!(
            e.0,
            IDelegationManager::completeQueuedWithdrawalCall {
                withdrawal: w,
                tokens: vec![Address::repeat_byte(8); 2],
                receiveAsTokens: true,
            }
            .abi_encode()
        );
    }

    #[test]
    fn reader_rejects_dirty_and_truncated_words() {
        let mut data = [0u8; 64];
        data[0] = 1; // an "address" with high bits set
        let r = Reader {
            data: &data,
            from: Some(Address::repeat_byte(5)),
        };
        assert!(r
            .a(0)
            .unwrap_err()
            .is::<IFerrostakeErrors::InvalidReturnData>());
        assert!(r.u(40).is_err());
        assert!(r.uint(0, 32).is_err());
        let calldata = Reader {
            data: &data,
            from: None,
        };
        assert_eq!(calldata.a(0).unwrap_err().0, Vec::<u8>::new());
    }

    #[test]
    fn bytes_are_padded_to_words() {
        let mut e = Enc::default();
        e.bytes(&[1, 2, 3]);
        assert_eq!(e.0.len(), 64);
        assert_eq!(e.0[32..35], [1, 2, 3]);
        let mut e = Enc::default();
        e.bytes(&[]);
        assert_eq!(e.0.len(), 32);
    }
}
