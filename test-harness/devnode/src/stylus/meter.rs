//! Ink metering: a wasmparser → wasm-encoder pass that reproduces Nitro's per-basic-block metering
//! (`crates/prover/src/programs/meter.rs`, `pricing_v1`), its dynamic meter for `memory.fill` /
//! `memory.copy`, and its heap bound hook (a call to `pay_for_memory_grow` before every
//! `memory.grow`). Independent of the WASM engine that runs the result.
//!
//! Added to the module: mutable globals `stylus_ink_left: i64`, `stylus_ink_status: i32` (both
//! exported, so host functions charge the same counter) and a scratch `i32`.
//!
//! Approximation: Nitro's depth checker (which charges stack words per call against
//! `MaxStackDepth`) is not reproduced; the engine's own recursion limit stands in for it.

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, ConstExpr, ExportKind, ExportSection, Function, GlobalSection, GlobalType,
    Instruction, Module, RawSection, ValType,
};
use wasmparser::{Operator, Parser, Payload, TypeRef};

use super::program::ProgramError;

/// Ink charged once per basic block.
pub const BLOCK_HEADER_INK: u64 = 2450;
/// Ink per byte of `memory.fill` / `memory.copy`.
pub const BULK_INK_PER_BYTE: u64 = 100;

/// Ink of one operator under `pricing_v1`. `u64::MAX` marks operators Stylus never lets finish
/// (floats, SIMD, table and reference ops, `memory.init`, `data.drop`).
pub fn op_ink(op: &Operator) -> u64 {
    use Operator::*;
    match op {
        Unreachable
        | Return
        | Nop
        | I32Const { .. }
        | I64Const { .. }
        | Block { .. }
        | Loop { .. }
        | Else
        | End => 1,
        Drop => 9,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1250,
        Call { .. } => 3800,
        CallIndirect { .. } => 13_610,
        BrTable { targets } => 2400 + 325 * targets.len() as u64,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3000,
        MemoryGrow { .. } => 8050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS
        | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS
        | I64GeU => 225,
        I32Clz | I32Ctz | I64Clz | I64Ctz => 210,
        I32Add | I32Sub | I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl
        | I32Rotr => 70,
        I64Add | I64Sub | I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl
        | I64Rotr => 100,
        I32Mul | I64Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1120,
        I64DivS | I64DivU | I64RemS | I64RemU => 1270,
        I32Popcnt => 2650,
        I64Popcnt => 6000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U | I32Extend8S | I32Extend16S | I64Extend8S
        | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        _ => u64::MAX,
    }
}

/// Operators after which Nitro starts a new basic block.
fn ends_block(op: &Operator) -> bool {
    use Operator::*;
    matches!(
        op,
        End | Else
            | Return
            | Loop { .. }
            | Br { .. }
            | BrTable { .. }
            | BrIf { .. }
            | If { .. }
            | Call { .. }
            | CallIndirect { .. }
            | Unreachable
    )
}

struct Globals {
    ink: u32,
    status: u32,
    scratch: u32,
}

type Ins = Vec<Instruction<'static>>;

fn out_of_ink(out: &mut Ins, g: &Globals) {
    out.push(Instruction::I32Const(1));
    out.push(Instruction::GlobalSet(g.status));
    out.push(Instruction::Unreachable);
}

/// `if ink_left < cost { status = 1; unreachable } ink_left -= cost`, with `cost` pushed by `push`.
fn charge(out: &mut Ins, g: &Globals, push: &dyn Fn(&mut Ins)) {
    out.push(Instruction::GlobalGet(g.ink));
    push(out);
    out.push(Instruction::I64LtU);
    out.push(Instruction::If(wasm_encoder::BlockType::Empty));
    out_of_ink(out, g);
    out.push(Instruction::End);
    out.push(Instruction::GlobalGet(g.ink));
    push(out);
    out.push(Instruction::I64Sub);
    out.push(Instruction::GlobalSet(g.ink));
}

fn flush(f: &mut Function, g: &Globals, block: &mut Ins, cost: u64) {
    let mut pre = Vec::new();
    if cost >= i64::MAX as u64 {
        out_of_ink(&mut pre, g);
    } else {
        charge(&mut pre, g, &|o: &mut Ins| {
            o.push(Instruction::I64Const(cost as i64))
        });
    }
    for ins in pre.iter().chain(block.iter()) {
        f.instruction(ins);
    }
    block.clear();
}

fn err<E: std::fmt::Display>(e: E) -> ProgramError {
    ProgramError::Invalid(e.to_string())
}

/// Section ids in the order the binary format requires (tag = 13 sits between memory and global,
/// data count = 12 between element and code).
fn order(id: u8) -> u8 {
    match id {
        1..=5 => id,
        13 => 6,
        6 => 7,
        7 => 8,
        8 => 9,
        9 => 10,
        12 => 11,
        10 => 12,
        11 => 13,
        _ => 0,
    }
}

/// Instruments a validated program. Returns the instrumented module bytes.
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>, ProgramError> {
    // First pass: count globals and find the memory-grow hook.
    let mut imported_globals = 0u32;
    let mut defined_globals = 0u32;
    let mut pay_fn = None;
    let mut func_imports = 0u32;
    let mut type_params: Vec<u64> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(err)? {
            Payload::TypeSection(r) => {
                for rec in r {
                    for sub in rec.map_err(err)?.into_types() {
                        let n = match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => f.params().len(),
                            _ => 0,
                        };
                        type_params.push(n as u64);
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.map_err(err)?;
                    match imp.ty {
                        TypeRef::Func(_) => {
                            if imp.module == "vm_hooks" && imp.name == "pay_for_memory_grow" {
                                pay_fn = Some(func_imports);
                            }
                            func_imports += 1;
                        }
                        TypeRef::Global(_) => imported_globals += 1,
                        _ => {}
                    }
                }
            }
            Payload::GlobalSection(r) => defined_globals = r.count(),
            _ => {}
        }
    }
    let base = imported_globals + defined_globals;
    let g = Globals {
        ink: base,
        status: base + 1,
        scratch: base + 2,
    };

    let mut module = Module::new();
    let mut re = RoundtripReencoder;
    let mut globals_done = false;
    let mut exports_done = false;
    let mut code = CodeSection::new();
    let mut in_code = false;

    let new_globals = |gs: &mut GlobalSection| {
        let mutable = |ty| GlobalType {
            val_type: ty,
            mutable: true,
            shared: false,
        };
        gs.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
        gs.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
        gs.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
    };
    let new_exports = |es: &mut ExportSection| {
        es.export("stylus_ink_left", ExportKind::Global, g.ink);
        es.export("stylus_ink_status", ExportKind::Global, g.status);
    };

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        let section = payload.as_section();
        // Emit our global/export sections before the first section that must follow them.
        if let Some((id, _)) = section {
            if !globals_done && order(id) > order(6) {
                let mut gs = GlobalSection::new();
                new_globals(&mut gs);
                module.section(&gs);
                globals_done = true;
            }
            if !exports_done && order(id) > order(7) {
                let mut es = ExportSection::new();
                new_exports(&mut es);
                module.section(&es);
                exports_done = true;
            }
        }
        match payload {
            Payload::GlobalSection(r) => {
                let mut gs = GlobalSection::new();
                re.parse_global_section(&mut gs, r).map_err(err)?;
                new_globals(&mut gs);
                module.section(&gs);
                globals_done = true;
            }
            Payload::ExportSection(r) => {
                let mut es = ExportSection::new();
                re.parse_export_section(&mut es, r).map_err(err)?;
                new_exports(&mut es);
                module.section(&es);
                exports_done = true;
            }
            Payload::CodeSectionStart { .. } => in_code = true,
            Payload::CodeSectionEntry(body) => {
                let mut locals = Vec::new();
                for l in body.get_locals_reader().map_err(err)? {
                    let (n, ty) = l.map_err(err)?;
                    locals.push((n, re.val_type(ty).map_err(err)?));
                }
                let mut f = Function::new(locals);
                let mut block: Ins = Vec::new();
                let mut cost = BLOCK_HEADER_INK;
                let mut reader = body.get_operators_reader().map_err(err)?;
                while !reader.eof() {
                    let op = reader.read().map_err(err)?;
                    let ink = match &op {
                        Operator::CallIndirect { type_index, .. } => {
                            13_610
                                + 650 * type_params.get(*type_index as usize).copied().unwrap_or(0)
                        }
                        other => op_ink(other),
                    };
                    match &op {
                        Operator::MemoryGrow { .. } => {
                            if let Some(pay) = pay_fn {
                                block.push(Instruction::GlobalSet(g.scratch));
                                block.push(Instruction::GlobalGet(g.scratch));
                                block.push(Instruction::GlobalGet(g.scratch));
                                block.push(Instruction::Call(pay));
                            }
                        }
                        Operator::MemoryCopy { .. } | Operator::MemoryFill { .. } => {
                            // Dynamic cost: 100 ink per byte of the size operand (top of stack).
                            block.push(Instruction::GlobalSet(g.scratch));
                            charge(&mut block, &g, &|o: &mut Ins| {
                                o.push(Instruction::GlobalGet(g.scratch));
                                o.push(Instruction::I64ExtendI32U);
                                o.push(Instruction::I64Const(BULK_INK_PER_BYTE as i64));
                                o.push(Instruction::I64Mul);
                            });
                            block.push(Instruction::GlobalGet(g.scratch));
                        }
                        _ => {}
                    }
                    let ins = re.instruction(op.clone()).map_err(err)?;
                    block.push(to_static(ins));
                    cost = cost.saturating_add(ink);
                    if ends_block(&op) {
                        flush(&mut f, &g, &mut block, cost);
                        cost = BLOCK_HEADER_INK;
                    }
                }
                if !block.is_empty() {
                    flush(&mut f, &g, &mut block, cost);
                }
                code.function(&f);
            }
            other => {
                if in_code && !matches!(other, Payload::CodeSectionEntry(_)) {
                    module.section(&code);
                    in_code = false;
                }
                if let Some((id, range)) = other.as_section() {
                    if id != 10 {
                        module.section(&RawSection {
                            id,
                            data: &wasm[range.start as usize..range.end as usize],
                        });
                    }
                }
            }
        }
    }
    if in_code {
        module.section(&code);
    }
    Ok(module.finish())
}

/// Our instructions borrow nothing from the input except `br_table` target lists.
fn to_static(ins: Instruction<'_>) -> Instruction<'static> {
    match ins {
        Instruction::BrTable(targets, default) => {
            Instruction::BrTable(std::borrow::Cow::Owned(targets.into_owned()), default)
        }
        other => unsafe_extend(other),
    }
}

fn unsafe_extend(ins: Instruction<'_>) -> Instruction<'static> {
    match ins {
        Instruction::TypedSelectMulti(v) => {
            Instruction::TypedSelectMulti(std::borrow::Cow::Owned(v.into_owned()))
        }
        // SAFETY: validation (program::validate, run before instrumentation) rejects every feature
        // whose instructions borrow from the input besides `br_table` and typed `select` (handled
        // above): exceptions (try tables), stack switching, GC. The remaining variants hold only
        // Copy data, so extending the lifetime borrows nothing.
        other => unsafe { std::mem::transmute::<Instruction<'_>, Instruction<'static>>(other) },
    }
}
