//! SHA-256 (FIPS 180-4) of exactly 64 bytes — two 32-byte nodes, the only input shape of SSZ
//! Merkle proofs and of a validator pubkey's root (`sha256(pubkey ‖ 0^16)`) — written for Nitro's
//! WASM price table.
//!
//! A 64-byte message is one data block plus a padding block that never changes (`0x80`, zeros,
//! the bit length 512), so the padding block's message schedule, added to the round constants, is
//! a compile-time table ([`PAD_KW`]) and its compression needs no schedule at all. Both
//! compressions are fully unrolled, the working variables renamed instead of shuffled and the
//! 16-word schedule window held in locals (constant indices only, which the compiler turns into
//! plain locals): on Nitro every basic block pays a 2,450-ink header and every memory load or store
//! 670–950 ink, while an `i32` add, xor or rotate costs 70, so straight-line code on locals is
//! what is cheap. The generic `sha2` crate instead buffers the input, builds the padding and
//! passes 4-word arrays between non-inlined helpers through memory.

/// Round constants (FIPS 180-4 §4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Initial hash value (FIPS 180-4 §5.3.3).
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const fn small_sigma0(x: u32) -> u32 {
    x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)
}

const fn small_sigma1(x: u32) -> u32 {
    x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10)
}

/// `K[t] + W[t]` of the padding block of a 64-byte message: `W[0] = 0x80000000`, `W[15] = 512`
/// (the message length in bits), the rest of the block zero, expanded by the schedule.
const PAD_KW: [u32; 64] = {
    let mut w = [0u32; 64];
    w[0] = 0x8000_0000;
    w[15] = 512;
    let mut t = 16;
    while t < 64 {
        w[t] = small_sigma1(w[t - 2])
            .wrapping_add(w[t - 7])
            .wrapping_add(small_sigma0(w[t - 15]))
            .wrapping_add(w[t - 16]);
        t += 1;
    }
    let mut kw = [0u32; 64];
    let mut i = 0;
    while i < 64 {
        kw[i] = K[i].wrapping_add(w[i]);
        i += 1;
    }
    kw
};

/// One round; the caller rotates the names of the working variables instead of moving them.
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $kw:expr) => {
        let t1 = $h
            .wrapping_add($e.rotate_right(6) ^ $e.rotate_right(11) ^ $e.rotate_right(25))
            .wrapping_add($g ^ ($e & ($f ^ $g)))
            .wrapping_add($kw);
        $d = $d.wrapping_add(t1);
        $h = t1
            .wrapping_add($a.rotate_right(2) ^ $a.rotate_right(13) ^ $a.rotate_right(22))
            .wrapping_add(($a & $b) | ($c & ($a | $b)));
    };
}

/// Eight rounds from round `$t`, `$kw(t)` giving `K[t] + W[t]`.
macro_rules! eight_rounds {
    ($s:ident, $kw:ident, $t:expr) => {
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = $s;
        round!(a, b, c, d, e, f, g, h, $kw!($t));
        round!(h, a, b, c, d, e, f, g, $kw!($t + 1));
        round!(g, h, a, b, c, d, e, f, $kw!($t + 2));
        round!(f, g, h, a, b, c, d, e, $kw!($t + 3));
        round!(e, f, g, h, a, b, c, d, $kw!($t + 4));
        round!(d, e, f, g, h, a, b, c, $kw!($t + 5));
        round!(c, d, e, f, g, h, a, b, $kw!($t + 6));
        round!(b, c, d, e, f, g, h, a, $kw!($t + 7));
        $s = [a, b, c, d, e, f, g, h];
    };
}

/// All 64 rounds.
macro_rules! sixty_four_rounds {
    ($s:ident, $kw:ident) => {
        eight_rounds!($s, $kw, 0);
        eight_rounds!($s, $kw, 8);
        eight_rounds!($s, $kw, 16);
        eight_rounds!($s, $kw, 24);
        eight_rounds!($s, $kw, 32);
        eight_rounds!($s, $kw, 40);
        eight_rounds!($s, $kw, 48);
        eight_rounds!($s, $kw, 56);
    };
}

#[inline(always)]
fn be_word(x: &[u8; 32], i: usize) -> u32 {
    u32::from_be_bytes([x[4 * i], x[4 * i + 1], x[4 * i + 2], x[4 * i + 3]])
}

/// `s += v` word by word, written out: iterator adaptors are not inlined at `opt-level = "z"`
/// and would cost a call (3,800 ink) and several basic blocks per word.
#[inline(always)]
fn add_state(s: &mut [u32; 8], v: [u32; 8]) {
    s[0] = s[0].wrapping_add(v[0]);
    s[1] = s[1].wrapping_add(v[1]);
    s[2] = s[2].wrapping_add(v[2]);
    s[3] = s[3].wrapping_add(v[3]);
    s[4] = s[4].wrapping_add(v[4]);
    s[5] = s[5].wrapping_add(v[5]);
    s[6] = s[6].wrapping_add(v[6]);
    s[7] = s[7].wrapping_add(v[7]);
}

#[inline(always)]
fn put_be_word(out: &mut [u8; 32], i: usize, x: u32) {
    let b = x.to_be_bytes();
    out[4 * i] = b[0];
    out[4 * i + 1] = b[1];
    out[4 * i + 2] = b[2];
    out[4 * i + 3] = b[3];
}

/// `sha256(left ‖ right)`.
pub fn hash_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut w = [
        be_word(left, 0),
        be_word(left, 1),
        be_word(left, 2),
        be_word(left, 3),
        be_word(left, 4),
        be_word(left, 5),
        be_word(left, 6),
        be_word(left, 7),
        be_word(right, 0),
        be_word(right, 1),
        be_word(right, 2),
        be_word(right, 3),
        be_word(right, 4),
        be_word(right, 5),
        be_word(right, 6),
        be_word(right, 7),
    ];
    // K[t] + W[t] of the data block, extending the 16-word schedule window in place from round 16.
    macro_rules! data_kw {
        ($t:expr) => {{
            let t: usize = $t;
            if t >= 16 {
                w[t & 15] = small_sigma1(w[(t + 14) & 15])
                    .wrapping_add(w[(t + 9) & 15])
                    .wrapping_add(small_sigma0(w[(t + 1) & 15]))
                    .wrapping_add(w[t & 15]);
            }
            K[t].wrapping_add(w[t & 15])
        }};
    }
    macro_rules! pad_kw {
        ($t:expr) => {
            PAD_KW[$t]
        };
    }
    let mut s = IV;
    sixty_four_rounds!(s, data_kw);
    let mut state = IV;
    add_state(&mut state, s);
    let mut s = state;
    sixty_four_rounds!(s, pad_kw);
    add_state(&mut state, s);
    let mut out = [0u8; 32];
    put_be_word(&mut out, 0, state[0]);
    put_be_word(&mut out, 1, state[1]);
    put_be_word(&mut out, 2, state[2]);
    put_be_word(&mut out, 3, state[3]);
    put_be_word(&mut out, 4, state[4]);
    put_be_word(&mut out, 5, state[5]);
    put_be_word(&mut out, 6, state[6]);
    put_be_word(&mut out, 7, state[7]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn reference(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(left);
        h.update(right);
        h.finalize().into()
    }

    #[test]
    fn matches_the_published_digest_of_64_zero_bytes() {
        // The SSZ zero-subtree hash at height 1.
        assert_eq!(
            hash_pair(&[0; 32], &[0; 32]),
            alloy_primitives::hex!(
                "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b"
            )
        );
    }

    #[test]
    fn matches_the_published_ssz_zero_hashes() {
        // The deposit contract's zero hashes: z[h + 1] = sha256(z[h] ‖ z[h]), z[0] = 0^32.
        let z1 = hash_pair(&[0; 32], &[0; 32]);
        let z2 = hash_pair(&z1, &z1);
        let z3 = hash_pair(&z2, &z2);
        assert_eq!(
            z2,
            alloy_primitives::hex!(
                "db56114e00fdd4c1f85c892bf35ac9a89289aaecb1ebd0a96cde606a748b5d71"
            )
        );
        assert_eq!(
            z3,
            alloy_primitives::hex!(
                "c78009fdf07fc56a11f122370658a353aaa542ed63e44c4bc15ff4cd105ab33c"
            )
        );
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_sha2_crate(l in proptest::array::uniform32(0u8..), r in proptest::array::uniform32(0u8..)) {
            proptest::prop_assert_eq!(hash_pair(&l, &r), reference(&l, &r));
        }
    }
}
