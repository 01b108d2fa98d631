//! A few words of hand ABI decoding for the core contracts' multi-array returns on the NAV path
//! (alloy's generic decoders of `Withdrawal[]` cost kilobytes of program size). Every read is
//! bounds-checked; malformed data is an `InvalidReturnData` revert naming the callee.

use alloy_primitives::{Address, U256};
use ferrostake_common::Revert;
use ferrostake_interfaces::IFerrostakeErrors::InvalidReturnData;

/// Return data of a call to `from`.
pub struct Words<'a> {
    pub data: &'a [u8],
    pub from: Address,
}

impl Words<'_> {
    fn bad(&self) -> Revert {
        InvalidReturnData { target: self.from }.into()
    }

    /// The word at byte offset `at`.
    pub fn word(&self, at: usize) -> Result<U256, Revert> {
        let end = at.checked_add(32).ok_or_else(|| self.bad())?;
        let bytes = self.data.get(at..end).ok_or_else(|| self.bad())?;
        Ok(U256::from_be_slice(bytes))
    }

    /// The word at `at` as a byte offset or length (bounded by the data's size).
    pub fn index(&self, at: usize) -> Result<usize, Revert> {
        let w = self.word(at)?;
        if w > U256::from(self.data.len()) {
            return Err(self.bad());
        }
        Ok(w.to::<usize>())
    }

    /// `(offset, length)` of the `uint256[]` whose head offset is at `head` relative to `base`.
    pub fn array(&self, base: usize, head: usize) -> Result<(usize, usize), Revert> {
        let start = base
            .checked_add(self.index(base + head)?)
            .ok_or_else(|| self.bad())?;
        Ok((start + 32, self.index(start)?))
    }

    /// First element of the first `uint256[]` of a `(uint256[], uint256[])` return
    /// (`getWithdrawableShares` for one strategy); zero when empty.
    pub fn first_of_first_array(&self) -> Result<U256, Revert> {
        let (at, len) = self.array(0, 0)?;
        if len == 0 {
            return Ok(U256::ZERO);
        }
        self.word(at)
    }

    /// Sum of every element of the `uint256[][]` that is the second return value
    /// (`getQueuedWithdrawals`' `shares`).
    pub fn sum_second_nested(&self) -> Result<U256, Revert> {
        let (outer, n) = self.array(0, 32)?;
        let mut sum = U256::ZERO;
        for i in 0..n {
            let (at, len) = self.array(outer, i * 32)?;
            for j in 0..len {
                sum = sum
                    .checked_add(self.word(at + j * 32)?)
                    .ok_or_else(|| self.bad())?;
            }
        }
        Ok(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::SolValue;

    #[test]
    fn reads_the_first_withdrawable_share() {
        let data = (
            vec![U256::from(7u8), U256::from(9u8)],
            vec![U256::from(1u8)],
        )
            .abi_encode_params();
        let w = Words {
            data: &data,
            from: Address::ZERO,
        };
        assert_eq!(w.first_of_first_array().unwrap(), U256::from(7u8));
        let empty = (Vec::<U256>::new(), Vec::<U256>::new()).abi_encode_params();
        let w = Words {
            data: &empty,
            from: Address::ZERO,
        };
        assert_eq!(w.first_of_first_array().unwrap(), U256::ZERO);
    }

    #[test]
    fn sums_nested_shares_and_rejects_truncated_data() {
        let data = (
            vec![Address::repeat_byte(1)],
            vec![
                vec![U256::from(5u8), U256::from(6u8)],
                vec![],
                vec![U256::from(100u8)],
            ],
        )
            .abi_encode_params();
        let w = Words {
            data: &data,
            from: Address::repeat_byte(3),
        };
        assert_eq!(w.sum_second_nested().unwrap(), U256::from(111u8));
        let cut = &data[..data.len() - 32];
        let w = Words {
            data: cut,
            from: Address::repeat_byte(3),
        };
        let err = w.sum_second_nested().unwrap_err();
        assert!(err.is::<InvalidReturnData>());
    }
}
