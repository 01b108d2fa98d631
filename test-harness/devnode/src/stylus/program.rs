//! Stylus program format: the `EF F0 00 <dict>` prefix, brotli decompression with Nitro's size cap,
//! and activation-time validation (Nitro's `binary.rs::parse_user` rules) with the cost estimates
//! ArbOS records for each program.

use std::io::Read;

use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

/// Prefix of a classic (single-fragment) Stylus program.
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Decompressed WASM cap (`MaxWasmSize`, 128 KiB).
pub const MAX_WASM_SIZE: usize = 128 * 1024;
/// Memory page limit of a Stylus program (`PageLimit`, 128 pages of 64 KiB).
pub const PAGE_LIMIT: u32 = 128;

/// Whether `code` is a deployable classic Stylus program (Nitro: prefix and `len > 3`).
pub fn is_stylus(code: &[u8]) -> bool {
    code.len() > 3 && code[..3] == STYLUS_PREFIX
}

/// Why a program cannot be activated. Shown in JSON-RPC error messages; the revert data itself is
/// ArbWasm's typed error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgramError {
    #[error("code does not carry the Stylus prefix EF F0 00")]
    NotStylus,
    #[error("unsupported brotli dictionary {0} (only 0, the empty dictionary, is accepted)")]
    Dictionary(u8),
    #[error("brotli decompression failed")]
    Brotli,
    #[error("decompressed wasm exceeds {MAX_WASM_SIZE} bytes")]
    TooLarge,
    #[error("invalid wasm: {0}")]
    Invalid(String),
    #[error("missing export {0}")]
    MissingExport(&'static str),
    #[error("bad import {0}")]
    BadImport(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}

/// Strips the prefix and decompresses, refusing anything bigger than `MAX_WASM_SIZE`.
pub fn decompress(code: &[u8]) -> Result<Vec<u8>, ProgramError> {
    if !is_stylus(code) {
        return Err(ProgramError::NotStylus);
    }
    if code[3] != 0 {
        return Err(ProgramError::Dictionary(code[3]));
    }
    let mut out = Vec::new();
    let mut reader = brotli::Decompressor::new(&code[4..], 4096).take(MAX_WASM_SIZE as u64 + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|_| ProgramError::Brotli)?;
    if out.len() > MAX_WASM_SIZE {
        return Err(ProgramError::TooLarge);
    }
    Ok(out)
}

/// Compresses and prefixes WASM the way cargo-stylus does (brotli quality 11, window 22, no
/// dictionary).
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = STYLUS_PREFIX.to_vec();
    out.push(0);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &wasm[..], &mut out, &params).expect("in-memory compression");
    out
}

/// Wraps on-chain code in cargo-stylus's 43-byte CREATE prelude (init code returning `code`).
pub fn deploy_init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(43 + code.len());
    init.push(0x7f);
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(code.len() as u64).to_be_bytes());
    init.extend_from_slice(&len);
    init.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    init
}

/// The host functions a program may import from `vm_hooks`, with their wasm signatures
/// (params, results) as Nitro links them.
pub const HOSTIOS: &[(&str, &[ValType], &[ValType])] = {
    use ValType::{I32 as P, I64 as L};
    &[
        ("read_args", &[P], &[]),
        ("write_result", &[P, P], &[]),
        ("exit_early", &[P], &[]),
        ("storage_load_bytes32", &[P, P], &[]),
        ("storage_cache_bytes32", &[P, P], &[]),
        ("storage_flush_cache", &[P], &[]),
        ("transient_load_bytes32", &[P, P], &[]),
        ("transient_store_bytes32", &[P, P], &[]),
        ("call_contract", &[P, P, P, P, L, P], &[P]),
        ("delegate_call_contract", &[P, P, P, L, P], &[P]),
        ("static_call_contract", &[P, P, P, L, P], &[P]),
        ("create1", &[P, P, P, P, P], &[]),
        ("create2", &[P, P, P, P, P, P], &[]),
        ("read_return_data", &[P, P, P], &[P]),
        ("return_data_size", &[], &[P]),
        ("emit_log", &[P, P, P], &[]),
        ("account_balance", &[P, P], &[]),
        ("account_code", &[P, P, P, P], &[P]),
        ("account_code_size", &[P], &[P]),
        ("account_codehash", &[P, P], &[]),
        ("evm_gas_left", &[], &[L]),
        ("evm_ink_left", &[], &[L]),
        ("block_basefee", &[P], &[]),
        ("chainid", &[], &[L]),
        ("block_coinbase", &[P], &[]),
        ("block_gas_limit", &[], &[L]),
        ("block_number", &[], &[L]),
        ("block_timestamp", &[], &[L]),
        ("contract_address", &[P], &[]),
        ("math_div", &[P, P], &[]),
        ("math_mod", &[P, P], &[]),
        ("math_pow", &[P, P], &[]),
        ("math_add_mod", &[P, P, P], &[]),
        ("math_mul_mod", &[P, P, P], &[]),
        ("msg_reentrant", &[], &[P]),
        ("msg_sender", &[P], &[]),
        ("msg_value", &[P], &[]),
        ("native_keccak256", &[P, P, P], &[]),
        ("tx_gas_price", &[P], &[]),
        ("tx_ink_price", &[], &[P]),
        ("tx_origin", &[P], &[]),
        ("pay_for_memory_grow", &[P], &[]),
    ]
};

/// Names the instrumentation reserves; a program may neither import nor export them.
pub const RESERVED: &[&str] = &[
    "stylus_ink_left",
    "stylus_ink_status",
    "stylus_stack_left",
    "stylus_scratch",
];

/// Facts about a validated program, from which ArbOS derives its costs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramFacts {
    pub wasm_len: u64,
    pub funcs: u64,
    /// Total parameter + result count over all function types.
    pub type_len: u64,
    pub globals: u64,
    pub data_len: u64,
    /// Initial memory in pages.
    pub footprint: u16,
}

impl ProgramFacts {
    /// Gas to instantiate when the program is not cached (Nitro v2 `init`, before `MinInitGas`).
    pub fn init_cost(&self) -> u64 {
        (self.funcs * 8252 / 1000 + self.type_len * 1059 / 1000 + self.wasm_len * 1286 / 10000)
            .min(u16::MAX as u64)
    }
    /// Gas to instantiate when cached (Nitro `cached_init`).
    pub fn cached_init_cost(&self) -> u64 {
        (self.funcs * 1342 / 10000
            + self.type_len * 89 / 100000
            + self.wasm_len * 122 / 100000
            + self.globals * 1628 / 1000
            + self.data_len * 75244 / 100000
            + self.footprint as u64 * 5)
            .min(u16::MAX as u64)
    }
    /// Estimated native code size in bytes (drives the data fee).
    pub fn asm_estimate(&self) -> u64 {
        512_000
            + self.funcs * 996_829 / 1000
            + self.type_len * 11_416 / 1000
            + self.wasm_len * 62_628 / 10000
    }
    /// Gas Nitro burns for parsing and compiling at activation (`us_to_gas` of its timing model).
    pub fn activation_gas(&self) -> u64 {
        // microseconds × 28 gas; coefficients from Nitro (ArbOS ≥ 32)
        let us = self.wasm_len as f64 * 0.31733
            + self.funcs as f64 * 0.17263
            + self.data_len as f64 * 0.17376;
        (us * 28.0) as u64
    }
}

fn features() -> WasmFeatures {
    WasmFeatures::WASM1
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::MULTI_VALUE
}

/// Validates a decompressed program the way activation does.
pub fn validate(wasm: &[u8]) -> Result<ProgramFacts, ProgramError> {
    let mut validator = Validator::new_with_features(features());
    validator
        .validate_all(wasm)
        .map_err(|e| ProgramError::Invalid(e.message().to_string()))?;
    let mut facts = ProgramFacts {
        wasm_len: wasm.len() as u64,
        ..Default::default()
    };
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imported_funcs = 0u32;
    let (mut has_memory_export, mut entrypoint) = (false, None);
    let mut memories = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| ProgramError::Invalid(e.message().to_string()))?;
        let inv = |e: wasmparser::BinaryReaderError| ProgramError::Invalid(e.message().to_string());
        match payload {
            Payload::TypeSection(r) => {
                for rec in r {
                    for sub in rec.map_err(inv)?.into_types() {
                        let f = sub.unwrap_func().clone();
                        facts.type_len += (f.params().len() + f.results().len()) as u64;
                        types.push((f.params().to_vec(), f.results().to_vec()));
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.map_err(inv)?;
                    let TypeRef::Func(ty) = imp.ty else {
                        return Err(ProgramError::BadImport(format!(
                            "{}.{} is not a function",
                            imp.module, imp.name
                        )));
                    };
                    if imp.module != "vm_hooks" {
                        return Err(ProgramError::BadImport(format!(
                            "{}.{} (only vm_hooks is linked; console needs a debug chain)",
                            imp.module, imp.name
                        )));
                    }
                    let Some((_, p, r)) = HOSTIOS.iter().find(|(n, _, _)| *n == imp.name) else {
                        return Err(ProgramError::BadImport(format!(
                            "vm_hooks.{} is unknown",
                            imp.name
                        )));
                    };
                    let (tp, tr) = types.get(ty as usize).cloned().unwrap_or_default();
                    if tp != *p || tr != *r {
                        return Err(ProgramError::BadImport(format!(
                            "vm_hooks.{} has the wrong signature",
                            imp.name
                        )));
                    }
                    imported_funcs += 1;
                    func_types.push(ty);
                }
                if imported_funcs > 513 {
                    return Err(ProgramError::Limit("more than 513 imports".into()));
                }
            }
            Payload::FunctionSection(r) => {
                for ty in r {
                    func_types.push(ty.map_err(inv)?);
                    facts.funcs += 1;
                }
                if facts.funcs > 4096 {
                    return Err(ProgramError::Limit("more than 4096 functions".into()));
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    let m = m.map_err(inv)?;
                    memories += 1;
                    if m.initial > PAGE_LIMIT as u64 {
                        return Err(ProgramError::Limit(format!(
                            "initial memory of {} pages exceeds {PAGE_LIMIT}",
                            m.initial
                        )));
                    }
                    facts.footprint = m.initial as u16;
                }
            }
            Payload::GlobalSection(r) => {
                facts.globals = r.count() as u64;
                if facts.globals > 32_768 {
                    return Err(ProgramError::Limit("more than 32768 globals".into()));
                }
            }
            Payload::ExportSection(r) => {
                if r.count() > 1024 {
                    return Err(ProgramError::Limit("more than 1024 exports".into()));
                }
                for e in r {
                    let e = e.map_err(inv)?;
                    if RESERVED.contains(&e.name) {
                        return Err(ProgramError::Limit(format!(
                            "export {} is reserved",
                            e.name
                        )));
                    }
                    if e.name.len() > 512 {
                        return Err(ProgramError::Limit("export name over 512 bytes".into()));
                    }
                    match (e.name, e.kind) {
                        ("memory", ExternalKind::Memory) => has_memory_export = true,
                        ("user_entrypoint", ExternalKind::Func) => entrypoint = Some(e.index),
                        _ => {}
                    }
                }
            }
            Payload::StartSection { .. } => {
                return Err(ProgramError::Limit(
                    "a start function is not allowed".into(),
                ))
            }
            Payload::ElementSection(r) => {
                if r.count() > 128 {
                    return Err(ProgramError::Limit("more than 128 element segments".into()));
                }
            }
            Payload::DataSection(r) => {
                if r.count() > 128 {
                    return Err(ProgramError::Limit("more than 128 data segments".into()));
                }
                for d in r {
                    facts.data_len += d.map_err(inv)?.data.len() as u64;
                }
            }
            Payload::CodeSectionEntry(body) => {
                let locals: u64 = body
                    .get_locals_reader()
                    .map_err(inv)?
                    .into_iter()
                    .map(|l| l.map(|(n, _)| n as u64).unwrap_or(u64::MAX))
                    .fold(0u64, |a, b| a.saturating_add(b));
                if locals > 348 {
                    return Err(ProgramError::Limit(
                        "a function has more than 348 locals".into(),
                    ));
                }
            }
            _ => {}
        }
    }
    if memories > 1 {
        return Err(ProgramError::Limit("more than one memory".into()));
    }
    if !has_memory_export {
        return Err(ProgramError::MissingExport("memory"));
    }
    let Some(entry) = entrypoint else {
        return Err(ProgramError::MissingExport("user_entrypoint"));
    };
    let ty = func_types
        .get(entry as usize)
        .and_then(|t| types.get(*t as usize));
    if ty != Some(&(vec![ValType::I32], vec![ValType::I32])) {
        return Err(ProgramError::MissingExport(
            "user_entrypoint of type (i32) -> i32",
        ));
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wat(src: &str) -> Vec<u8> {
        wat::parse_str(src).unwrap()
    }

    const OK: &str = r#"(module
        (import "vm_hooks" "read_args" (func (param i32)))
        (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

    #[test]
    fn compress_roundtrips_and_prefix_is_checked() {
        let wasm = wat(OK);
        let code = compress(&wasm);
        assert!(is_stylus(&code));
        assert_eq!(decompress(&code).unwrap(), wasm);
        assert_eq!(decompress(&wasm), Err(ProgramError::NotStylus));
        let mut dict1 = code.clone();
        dict1[3] = 1;
        assert_eq!(decompress(&dict1), Err(ProgramError::Dictionary(1)));
        assert_eq!(
            decompress(&[0xEF, 0xF0, 0x00, 0x00, 1, 2, 3]),
            Err(ProgramError::Brotli)
        );
    }

    #[test]
    fn decompression_bomb_is_capped() {
        let big = vec![0u8; MAX_WASM_SIZE + 1];
        assert_eq!(decompress(&compress(&big)), Err(ProgramError::TooLarge));
    }

    #[test]
    fn validation_rules() {
        let facts = validate(&wat(OK)).unwrap();
        assert_eq!(facts.footprint, 1);
        assert_eq!(facts.funcs, 1);
        assert!(matches!(
            validate(&wat(r#"(module (memory (export "memory") 1))"#)),
            Err(ProgramError::MissingExport("user_entrypoint"))
        ));
        assert!(matches!(
            validate(&wat(
                r#"(module (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
            )),
            Err(ProgramError::MissingExport("memory"))
        ));
        assert!(matches!(
            validate(&wat(
                r#"(module (import "env" "x" (func)) (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
            )),
            Err(ProgramError::BadImport(_))
        ));
        assert!(matches!(
            validate(&wat(
                r#"(module (import "vm_hooks" "read_args" (func (param i64))) (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
            )),
            Err(ProgramError::BadImport(_))
        ));
        assert!(matches!(
            validate(&wat(r#"(module (memory (export "memory") 129)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#)),
            Err(ProgramError::Limit(_))
        ));
        assert!(matches!(
            validate(&wat(
                r#"(module (memory (export "memory") 1) (func $s) (start $s)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
            )),
            Err(ProgramError::Limit(_))
        ));
        assert!(matches!(
            validate(b"garbage"),
            Err(ProgramError::Invalid(_))
        ));
    }

    #[test]
    fn prelude_returns_the_code() {
        let init = deploy_init_code(&[0xEF, 0xF0, 0x00, 0x00, 0xAA]);
        assert_eq!(init.len(), 43 + 5);
        assert_eq!(init[0], 0x7f);
        assert_eq!(init[32], 5);
        assert_eq!(&init[43..], &[0xEF, 0xF0, 0x00, 0x00, 0xAA]);
    }
}
