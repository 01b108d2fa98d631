//! # ferrostake-program
//!
//! How a Stylus program sits on chain, in one place for the deploy tool and the size gate:
//! `EF F0 00` + dictionary byte `00` + brotli (quality 11, window 22) of the WASM — exactly what
//! cargo-stylus produces — and the limits Arbitrum enforces on it. Knows nothing of any particular
//! contract and nothing of the devnode.

use std::io::Write;

/// Stylus code prefix for a single-fragment program with no brotli dictionary.
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Arbitrum One's limit on deployed code, prefix included (EIP-170's 24 KiB).
pub const MAX_CODE_SIZE: usize = 24_576;

/// Nitro's limit on the decompressed WASM of one program.
pub const MAX_WASM_SIZE: usize = 128 * 1024;

/// Brotli-compresses `wasm` as cargo-stylus does and prepends the Stylus prefix.
pub fn compress_program(wasm: &[u8]) -> Vec<u8> {
    let mut out = STYLUS_PREFIX.to_vec();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        // Writing into a Vec cannot fail.
        writer.write_all(wasm).expect("in-memory write");
    }
    out
}

/// EVM init code that deploys `code` verbatim: the 43-byte prelude cargo-stylus uses
/// (`PUSH32 len; DUP1; PUSH1 43; PUSH1 0; CODECOPY; PUSH1 0; RETURN`, then a version byte `00`),
/// followed by the code, so our deployments are byte-identical to cargo-stylus's.
pub fn deploy_init_code(code: &[u8]) -> Vec<u8> {
    const PRELUDE_LEN: u8 = 43;
    let mut init = Vec::with_capacity(PRELUDE_LEN as usize + code.len());
    init.push(0x7f); // PUSH32 len
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(code.len() as u64).to_be_bytes());
    init.extend_from_slice(&len);
    init.extend_from_slice(&[
        0x80, // DUP1            len len
        0x60,
        PRELUDE_LEN, // PUSH1 offset  off len len
        0x60,
        0x00, // PUSH1 0       0 off len len
        0x39, // CODECOPY        len
        0x60,
        0x00, // PUSH1 0       0 len
        0xf3, // RETURN
        0x00, // prelude version byte
    ]);
    debug_assert_eq!(init.len(), PRELUDE_LEN as usize);
    init.extend_from_slice(code);
    init
}

/// What the size gate reports for one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramSize {
    /// Raw WASM bytes.
    pub raw: usize,
    /// Bytes on chain: prefix + brotli.
    pub compressed: usize,
    /// Whether the module exports `user_entrypoint` (a crate without an `#[entrypoint]` is a stub).
    pub has_entrypoint: bool,
}

impl ProgramSize {
    /// Measures `wasm`.
    pub fn measure(wasm: &[u8]) -> Self {
        Self {
            raw: wasm.len(),
            compressed: compress_program(wasm).len(),
            has_entrypoint: exports_entrypoint(wasm),
        }
    }

    /// Whether the program can be deployed on Arbitrum One as a single fragment.
    pub fn fits(&self) -> bool {
        self.compressed <= MAX_CODE_SIZE && self.raw <= MAX_WASM_SIZE
    }

    /// Share of the compressed-size limit used, in percent.
    pub fn percent_of_limit(&self) -> f64 {
        self.compressed as f64 * 100.0 / MAX_CODE_SIZE as f64
    }
}

fn exports_entrypoint(wasm: &[u8]) -> bool {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let Ok(wasmparser::Payload::ExportSection(exports)) = payload {
            return exports
                .into_iter()
                .flatten()
                .any(|e| e.name == "user_entrypoint");
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn compressed_program_carries_prefix_and_round_trips() {
        let wasm: Vec<u8> = (0..5000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let code = compress_program(&wasm);
        assert_eq!(&code[..4], &STYLUS_PREFIX);
        let mut back = Vec::new();
        brotli::Decompressor::new(&code[4..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, wasm);
    }

    #[test]
    fn init_code_returns_exactly_the_payload() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 1, 2, 3];
        let init = deploy_init_code(&code);
        assert_eq!(&init[init.len() - code.len()..], &code);
        // PUSH32 carries the payload length; CODECOPY reads from the prelude's end (43 bytes).
        assert_eq!(init.len(), 43 + code.len());
        assert_eq!(init[0], 0x7f);
        assert_eq!(init[32], code.len() as u8);
        assert_eq!(init[35] as usize, init.len() - code.len());
    }

    #[test]
    fn stub_without_entrypoint_is_reported() {
        // (module) with no exports: the smallest valid WASM.
        let empty = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
        let size = ProgramSize::measure(&empty);
        assert!(!size.has_entrypoint);
        assert_eq!(size.raw, 8);
        assert!(size.fits());
    }

    #[test]
    fn limit_is_arbitrum_ones() {
        let over = ProgramSize {
            raw: 1000,
            compressed: MAX_CODE_SIZE + 1,
            has_entrypoint: true,
        };
        let at = ProgramSize {
            raw: 1000,
            compressed: MAX_CODE_SIZE,
            has_entrypoint: true,
        };
        assert!(!over.fits());
        assert!(at.fits());
    }
}
