//! `check-sizes [DIR]`: prints every program in DIR (default `artifacts/wasm`) with its raw and
//! on-chain (prefix + brotli) size against Arbitrum One's 24,576-byte limit, and exits non-zero when
//! any program does not fit. With `--raw-dir RAW`, the gate applies to the WASM in RAW (the build
//! before `wasm-opt`), so every program must fit without wasm-opt; DIR's figures are shown beside it.
use std::{path::PathBuf, process::ExitCode};

use ferrostake_program::{ProgramSize, MAX_CODE_SIZE};

fn wasm_files(dir: &PathBuf) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    files.sort();
    Ok(files)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("artifacts/wasm");
    let mut raw_dir: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        if arg == "--raw-dir" {
            raw_dir = args.next().map(PathBuf::from);
        } else {
            dir = PathBuf::from(arg);
        }
    }
    let files = match wasm_files(&dir) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprintln!(
                "check-sizes: no .wasm files in {} (run scripts/build-contracts)",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!(
                "check-sizes: cannot read {}: {e} (run scripts/build-contracts)",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    println!("| program | raw bytes | compressed bytes | % of 24 KiB | after wasm-opt (compressed) | status |");
    println!("|---|---:|---:|---:|---:|---|");
    let mut over = Vec::new();
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let deployed_bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("check-sizes: cannot read {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let deployed = ProgramSize::measure(&deployed_bytes);
        // The gate: the build without wasm-opt when there is one, else the deployed file.
        let (gated, opt_column) = match raw_dir
            .as_ref()
            .map(|d| d.join(path.file_name().unwrap_or_default()))
        {
            Some(raw_path) if raw_path.exists() => match std::fs::read(&raw_path) {
                Ok(bytes) => {
                    let raw = ProgramSize::measure(&bytes);
                    // Identical files: wasm-opt did not run.
                    let column = if bytes == deployed_bytes {
                        "—".to_string()
                    } else {
                        deployed.compressed.to_string()
                    };
                    (raw, column)
                }
                Err(e) => {
                    eprintln!("check-sizes: cannot read {}: {e}", raw_path.display());
                    return ExitCode::FAILURE;
                }
            },
            _ => (deployed.clone(), "—".to_string()),
        };
        let status = match (gated.fits(), gated.has_entrypoint) {
            (false, _) => "TOO LARGE",
            (true, false) => "ok (stub: no entrypoint)",
            (true, true) => "ok",
        };
        println!(
            "| {name} | {} | {} | {:.1}% | {opt_column} | {status} |",
            gated.raw,
            gated.compressed,
            gated.percent_of_limit()
        );
        if !gated.fits() {
            over.push(name);
        }
    }
    if over.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "check-sizes: over Arbitrum One's {MAX_CODE_SIZE}-byte compressed limit (or 128 KiB raw): {}",
            over.join(", ")
        );
        ExitCode::FAILURE
    }
}
