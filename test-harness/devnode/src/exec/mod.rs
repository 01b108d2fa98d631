//! Executes one transaction against a state database: revm for EVM bytecode, the Stylus runtime
//! for programs (code starting `EF F0 00`), and the ArbOS precompiles. Knows nothing of blocks,
//! pools or RPC; chain configuration (chain id, chain owner, block) comes in through [`Env`].
//!
//! [`StylusEvm`] implements the Stylus runtime's [`EvmApi`] over revm's journal: program storage,
//! logs, account reads, block/transaction context, and sub-calls and creates, which run as
//! ordinary revm frames.
//!
//! revm's frame loop is driven by [`StylusEvm`], a newtype over revm's `Evm` whose `frame_run`
//! runs Stylus frames itself (Nitro dispatches on the *code* at the bytecode address, so CALL,
//! DELEGATECALL, STATICCALL and CALLCODE all work). Host calls from a program into other contracts
//! run a nested frame loop on a fresh frame stack over the same journal, so checkpoints, reverts,
//! warm/cold access and refunds behave exactly as for EVM calls.

pub mod deployer;

use std::sync::Arc;

use revm::context::{BlockEnv, CfgEnv, Context, Evm, Journal, TxEnv};
use revm::context_interface::result::{EVMError, ExecutionResult, InvalidTransaction};
use revm::context_interface::{
    Block, ContextSetters, ContextTr, CreateScheme, JournalTr, LocalContextTr, Transaction,
};
use revm::database::{CacheDB, EmptyDB};
use revm::handler::instructions::{EthInstructions, InstructionProvider};
use revm::handler::{
    evm::{ContextDbError, FrameInitResult, FrameTr},
    EthFrame, EvmTr, FrameInitOrResult, FrameResult, Handler, ItemOrResult, MainnetHandler,
};
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_action::FrameInit;
use revm::interpreter::{
    CallInput, CallInputs, CallScheme, CallValue, CreateInputs, FrameInput, Gas, InstructionResult,
    InterpreterAction, InterpreterResult,
};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{Address, Bytes, Log, B256, U256};
use revm::state::{Bytecode, EvmState};
use revm::DatabaseCommit;

use crate::arbos::ArbPrecompiles;
use crate::programs;
use crate::stylus::api::{
    ApiError, BlockInfo, CallKind, EvmApi, StoreResult, SubCall, SubCreate, SubOutcome, TxPrograms,
};
use crate::stylus::{self, program::is_stylus, Runtime};

/// The chain state.
pub type Db = CacheDB<EmptyDB>;
/// revm's context over our state.
pub type Ctx = Context<BlockEnv, TxEnv, CfgEnv, Db, Journal<Db>, ()>;
type Inner =
    Evm<Ctx, (), EthInstructions<EthInterpreter, Ctx>, ArbPrecompiles, EthFrame<EthInterpreter>>;
/// Error type of a transaction run.
pub type ExecError = EVMError<std::convert::Infallible, InvalidTransaction>;

/// The EVM revision the devnode runs (Arbitrum One's ArbOS 40+ follows Prague).
pub const SPEC: SpecId = SpecId::PRAGUE;

/// revm's EVM with Stylus frames.
pub struct StylusEvm {
    inner: Inner,
    rt: Arc<Runtime>,
    /// Open program frames and memory pages of the running transaction.
    programs: TxPrograms,
}

impl StylusEvm {
    /// An EVM over `ctx`; `owner` is the chain owner the ArbOS precompiles answer to.
    pub fn new(ctx: Ctx, rt: Arc<Runtime>, owner: Address) -> Self {
        let spec = ctx.cfg.spec;
        let inner = Evm::new(
            ctx,
            EthInstructions::new_mainnet_with_spec(spec),
            ArbPrecompiles::new(spec, rt.clone(), owner),
        );
        Self {
            inner,
            rt,
            programs: TxPrograms::default(),
        }
    }

    pub fn ctx_mut(&mut self) -> &mut Ctx {
        &mut self.inner.ctx
    }

    pub fn into_db(self) -> Db {
        self.inner.ctx.journaled_state.database
    }

    /// Runs `tx`, returning the result and the state diff (not committed).
    pub fn transact(&mut self, tx: TxEnv) -> Result<(ExecutionResult, EvmState), ExecError> {
        self.inner.ctx.set_tx(tx);
        if let Some(p) = self.rt.profile.lock().unwrap().as_mut() {
            *p = Default::default();
        }
        self.programs = TxPrograms::default();
        *self.rt.last_call_error.lock().unwrap() = None;
        let res = MainnetHandler::<Self, ExecError, EthFrame<EthInterpreter>>::default().run(self);
        if let (Ok(r), Some(p)) = (&res, self.rt.profile.lock().unwrap().as_mut()) {
            p.refunded = r.gas().final_refunded();
        }
        let state = self.inner.ctx.journal_mut().finalize();
        res.map(|r| (r, state))
    }

    /// Commits a state diff to the database.
    pub fn commit(&mut self, state: EvmState) {
        self.inner.ctx.journaled_state.database.commit(state);
    }

    /// Runs `frame_input` to completion as a sub-call of the Stylus frame on top of the stack,
    /// at `depth`. Used by host functions (calls and creates from programs).
    fn nested(&mut self, frame_input: FrameInput, depth: usize) -> FrameResult {
        let mut saved = std::mem::replace(
            &mut self.inner.frame_stack,
            revm::context_interface::local::FrameStack::new_prealloc(8),
        );
        let memory = saved.get().interpreter.memory.new_child_context();
        let gas_limit = match &frame_input {
            FrameInput::Call(c) => c.gas_limit,
            FrameInput::Create(c) => c.gas_limit(),
            FrameInput::Empty => 0,
        };
        let is_create = matches!(frame_input, FrameInput::Create(_));
        let res = self.exec_loop(FrameInit {
            depth,
            memory,
            frame_input,
        });
        saved.get().interpreter.memory.free_child_context();
        self.inner.frame_stack = saved;
        // The database is infallible; a context error can only be a bug. Treat it as an
        // out-of-gas failure of the sub-call rather than tearing the node down.
        res.unwrap_or_else(|_| {
            if is_create {
                FrameResult::new_create_oog(gas_limit, 0)
            } else {
                FrameResult::new_call_oog(gas_limit, 0..0, 0)
            }
        })
    }

    fn exec_loop(&mut self, init: FrameInit) -> Result<FrameResult, ContextDbError<Ctx>> {
        if let ItemOrResult::Result(r) = self.frame_init(init)? {
            return Ok(r);
        }
        loop {
            let result = match self.frame_run()? {
                ItemOrResult::Item(init) => match self.frame_init(init)? {
                    ItemOrResult::Item(_) => continue,
                    ItemOrResult::Result(r) => r,
                },
                ItemOrResult::Result(r) => r,
            };
            if let Some(r) = self.frame_return_result(result)? {
                return Ok(r);
            }
        }
    }
}

impl EvmTr for StylusEvm {
    type Context = Ctx;
    type Instructions = EthInstructions<EthInterpreter, Ctx>;
    type Precompiles = ArbPrecompiles;
    type Frame = EthFrame<EthInterpreter>;

    fn all(
        &self,
    ) -> (
        &Self::Context,
        &Self::Instructions,
        &Self::Precompiles,
        &revm::context_interface::local::FrameStack<Self::Frame>,
    ) {
        self.inner.all()
    }

    fn all_mut(
        &mut self,
    ) -> (
        &mut Self::Context,
        &mut Self::Instructions,
        &mut Self::Precompiles,
        &mut revm::context_interface::local::FrameStack<Self::Frame>,
    ) {
        self.inner.all_mut()
    }

    fn frame_init(
        &mut self,
        frame_input: <Self::Frame as FrameTr>::FrameInit,
    ) -> Result<FrameInitResult<'_, Self::Frame>, ContextDbError<Ctx>> {
        self.inner.frame_init(frame_input)
    }

    fn frame_run(&mut self) -> Result<FrameInitOrResult<Self::Frame>, ContextDbError<Ctx>> {
        let frame = self.inner.frame_stack.get();
        let native = match &frame.input {
            FrameInput::Call(inputs)
                if is_stylus(inputs.known_bytecode.1.original_byte_slice())
                    || (inputs.target_address == deployer::STYLUS_DEPLOYER
                        && inputs.bytecode_address == deployer::STYLUS_DEPLOYER) =>
            {
                Some((
                    inputs.clone(),
                    frame.depth,
                    frame.interpreter.gas.remaining(),
                ))
            }
            _ => None,
        };
        let action = if let Some((inputs, depth, gas)) = native {
            InterpreterAction::Return(if inputs.bytecode_address == deployer::STYLUS_DEPLOYER {
                self.run_deployer(&inputs, depth, gas)
            } else {
                self.run_program(&inputs, depth, gas)
            })
        } else {
            let (ctx, instructions, _, stack) = self.inner.all_mut();
            let frame = stack.get();
            let mut action = frame.interpreter.run_plain(
                instructions.instruction_table(),
                instructions.gas_table(),
                ctx,
            );
            // EIP-3541 is switched off in the config so that Stylus code can be deployed; keep
            // rejecting every other 0xEF-prefixed code as Nitro does.
            if let (FrameInput::Create(_), InterpreterAction::Return(r)) =
                (&frame.input, &mut action)
            {
                if r.result.is_ok()
                    && r.output.first() == Some(&0xEF)
                    && !r.output.starts_with(&[0xEF, 0xF0])
                {
                    r.result = InstructionResult::CreateContractStartingWithEF;
                }
            }
            action
        };
        let (ctx, _, _, stack) = self.inner.all_mut();
        let frame = stack.get();
        frame.process_next_action(ctx, action).inspect(|i| {
            if i.is_result() {
                frame.set_finished(true);
            }
        })
    }

    fn frame_return_result(
        &mut self,
        result: <Self::Frame as FrameTr>::FrameResult,
    ) -> Result<Option<<Self::Frame as FrameTr>::FrameResult>, ContextDbError<Ctx>> {
        self.inner.frame_return_result(result)
    }
}

/// Block-level environment for a run.
#[derive(Debug, Clone)]
pub struct Env {
    pub chain_id: u64,
    /// The chain owner (genesis configuration): may cache programs through ArbWasmCache.
    pub chain_owner: Address,
    pub block: BlockEnv,
    /// eth_call / estimateGas: no nonce check, no fee charge.
    pub simulate: bool,
}

/// Builds a context over `db`.
pub fn context(db: Db, env: &Env) -> Ctx {
    // ArbOS 40 runs Prague without EIP-7623's calldata floor unless the chain owner enabled it.
    let floor = programs::calldata_price_increase_in(&db);
    let mut ctx: Ctx = Context::new(db, SPEC);
    ctx.cfg.chain_id = env.chain_id;
    ctx.cfg.disable_eip7623 = !floor;
    ctx.cfg.disable_eip3541 = true;
    ctx.cfg.limit_contract_code_size = Some(stylus::MAX_CODE_SIZE);
    if env.simulate {
        ctx.cfg.disable_nonce_check = true;
        ctx.cfg.disable_base_fee = true;
    }
    ctx.block = env.block.clone();
    ctx
}

/// Runs `f` on a thread with a large stack: Stylus ↔ EVM nesting recurses natively.
pub fn with_big_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("devnode-exec".into())
            .stack_size(EXEC_STACK)
            .spawn_scoped(s, || {
                mark_large_stack_thread();
                f()
            })
            .expect("spawn execution thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// What one transaction run hands back: the result and state diff, and the database.
type Outcome = (Result<(ExecutionResult, EvmState), ExecError>, Db);

/// One transaction for the execution thread; everything in it is owned, so it crosses threads.
struct Job {
    db: Db,
    env: Env,
    tx: TxEnv,
    rt: Arc<Runtime>,
    commit: bool,
    reply: std::sync::mpsc::SyncSender<std::thread::Result<Outcome>>,
}

fn run_job(db: Db, env: &Env, tx: TxEnv, rt: &Arc<Runtime>, commit: bool) -> Outcome {
    let mut evm = StylusEvm::new(context(db, env), rt.clone(), env.chain_owner);
    let res = evm.transact(tx);
    if commit {
        if let Ok((_, state)) = &res {
            evm.commit(state.clone());
        }
    }
    (res, evm.into_db())
}

/// A long-lived thread with a large stack (Stylus ↔ EVM nesting recurses natively) that runs
/// transactions for one calling thread, so that a run does not pay for starting a thread.
struct Executor {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Executor {
    fn start() -> std::io::Result<Self> {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("devnode-exec".into())
            .stack_size(EXEC_STACK)
            .spawn(move || {
                mark_large_stack_thread();
                // Ends when the calling thread (which owns the sender) is gone.
                for job in rx {
                    let Job {
                        db,
                        env,
                        tx,
                        rt,
                        commit,
                        reply,
                    } = job;
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_job(db, &env, tx, &rt, commit)
                    }));
                    let _ = reply.send(out);
                }
            })?;
        Ok(Self { jobs })
    }
}

thread_local! {
    static EXECUTOR: std::cell::RefCell<Option<Executor>> = const { std::cell::RefCell::new(None) };
    static LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The stack a thread needs to execute transactions (Stylus ↔ EVM nesting recurses natively).
pub const EXEC_STACK: usize = 256 << 20;

/// Declares that the current thread was started with at least [`EXEC_STACK`] bytes of stack:
/// [`execute`] then runs transactions on it directly instead of handing them to an execution
/// thread.
pub fn mark_large_stack_thread() {
    LARGE_STACK.with(|c| c.set(true));
}

/// Executes `tx` on `db` and, when `commit`, writes the result back. Returns the result and the
/// state diff. On a transaction-level error (bad nonce, insufficient funds) nothing changes.
///
/// Runs on the calling thread when it has a large stack ([`mark_large_stack_thread`]), otherwise
/// on the calling thread's execution thread (started on first use, kept while the calling thread
/// lives); a panic of the run is resumed on the calling thread.
pub fn execute(
    db: &mut Db,
    env: &Env,
    tx: TxEnv,
    rt: &Arc<Runtime>,
    commit: bool,
) -> Result<(ExecutionResult, EvmState), ExecError> {
    if LARGE_STACK.with(|c| c.get()) {
        let (res, back) = run_job(std::mem::take(db), env, tx, rt, commit);
        *db = back;
        return res;
    }
    let (reply, answer) = std::sync::mpsc::sync_channel(1);
    let mut job = Job {
        db: std::mem::take(db),
        env: env.clone(),
        tx,
        rt: rt.clone(),
        commit,
        reply,
    };
    // Hand the job to this thread's executor, starting one if there is none (or it is gone).
    let sent = EXECUTOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        for _ in 0..2 {
            if slot.is_none() {
                *slot = Executor::start().ok();
            }
            let Some(exec) = slot.as_ref() else { break };
            match exec.jobs.send(job) {
                Ok(()) => return None,
                Err(std::sync::mpsc::SendError(back)) => {
                    job = back;
                    *slot = None;
                }
            }
        }
        Some(job)
    });
    let outcome = match sent {
        None => answer
            .recv()
            .unwrap_or_else(|_| Err(Box::new("the execution thread stopped before answering"))),
        // No thread could be started: run on a scoped one as a last resort.
        Some(job) => {
            let Job {
                db,
                env,
                tx,
                rt,
                commit,
                ..
            } = job;
            Ok(with_big_stack(|| run_job(db, &env, tx, &rt, commit)))
        }
    };
    let (res, back) = outcome.unwrap_or_else(|p| std::panic::resume_unwind(p));
    *db = back;
    res
}

/// A frame result with `gas_left` of `gas_limit` handed back.
fn frame_result(
    result: InstructionResult,
    gas_limit: u64,
    gas_left: u64,
    output: Bytes,
) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    let _ = gas.record_regular_cost(gas_limit - gas_left.min(gas_limit));
    InterpreterResult {
        result,
        gas,
        output,
    }
}

impl StylusEvm {
    /// A frame's calldata, wherever revm keeps it.
    fn call_input(&self, inputs: &CallInputs) -> Bytes {
        match &inputs.input {
            CallInput::Bytes(b) => b.clone(),
            CallInput::SharedBuffer(range) => self
                .inner
                .ctx
                .local()
                .shared_memory_buffer_slice(range.clone())
                .map(|s| Bytes::copy_from_slice(&s))
                .unwrap_or_default(),
        }
    }

    /// Runs the Stylus frame described by `inputs` with `gas` available: the program must be
    /// activated (and not expired) under its codehash; ArbOS's row gives its entry costs.
    fn run_program(&mut self, inputs: &CallInputs, depth: usize, gas: u64) -> InterpreterResult {
        let (codehash, bytecode) = inputs.known_bytecode.clone();
        let code = bytecode.original_bytes();
        let now = self.inner.ctx.block.timestamp.saturating_to::<u64>();

        // Nitro: calling a program that is not activated (or expired) fails with ArbWasm's
        // error as a Go error, not a revert: all gas is consumed and no data is returned.
        let row = match programs::load_row(self.inner.ctx.journal_mut(), codehash) {
            Some(row) if row.expired_age(now).is_none() => row,
            other => {
                let words = match other {
                    None => "error ProgramNotActivated()".to_string(),
                    Some(row) => format!(
                        "error ProgramExpired({})",
                        row.expired_age(now).unwrap_or_default()
                    ),
                };
                if depth == 0 {
                    *self.rt.last_call_error.lock().unwrap() = Some(words);
                }
                if other.is_some() {
                    // Expired: the program runs again only after a new activation.
                    self.rt.forget(codehash);
                }
                return frame_result(InstructionResult::NotActivated, gas, 0, Bytes::new());
            }
        };

        let calldata = self.call_input(inputs);
        let msg = stylus::Message {
            address: inputs.target_address,
            code_address: inputs.bytecode_address,
            caller: inputs.caller,
            value: inputs.value.get(),
            is_static: inputs.is_static,
            delegate: matches!(
                inputs.scheme,
                CallScheme::DelegateCall | CallScheme::CallCode
            ),
            calldata,
        };
        let entry = stylus::Entry {
            version: row.version,
            footprint: row.footprint,
            init_gas: row.call_cost(),
        };
        let rt = self.rt.clone();
        let res = stylus::run_program(&rt, self, codehash, &code, entry, msg, depth, gas);
        let result = match res.status {
            stylus::RunStatus::Return => InstructionResult::Return,
            stylus::RunStatus::Revert => InstructionResult::Revert,
            stylus::RunStatus::OutOfGas => InstructionResult::OutOfGas,
        };
        let mut out = frame_result(result, gas, res.gas_left, res.output);
        if out.result.is_ok() {
            out.gas.record_refund(res.refund);
        }
        out
    }

    fn sub_outcome(res: FrameResult) -> SubOutcome {
        let gas = *res.gas();
        match res {
            FrameResult::Create(o) => SubOutcome {
                success: o.result.result.is_ok(),
                address: o.address,
                output: o.result.output,
                gas_remaining: gas.remaining(),
                refunded: gas.refunded(),
            },
            FrameResult::Call(o) => SubOutcome {
                success: o.result.result.is_ok(),
                address: None,
                output: o.result.output,
                gas_remaining: gas.remaining(),
                refunded: gas.refunded(),
            },
        }
    }
}

impl EvmApi for StylusEvm {
    fn sload(&mut self, address: Address, key: U256) -> Result<(U256, bool), ApiError> {
        let load = self
            .inner
            .ctx
            .journal_mut()
            .sload(address, key)
            .map_err(|_| ApiError)?;
        Ok((load.data, load.is_cold))
    }

    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Result<StoreResult, ApiError> {
        let r = self
            .inner
            .ctx
            .journal_mut()
            .sstore(address, key, value)
            .map_err(|_| ApiError)?;
        Ok(StoreResult {
            original: r.data.original_value,
            present: r.data.present_value,
            new: r.data.new_value,
            is_cold: r.is_cold,
        })
    }

    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.inner.ctx.journal_mut().tload(address, key)
    }

    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        self.inner.ctx.journal_mut().tstore(address, key, value)
    }

    fn log(&mut self, log: Log) {
        self.inner.ctx.journal_mut().log(log)
    }

    fn balance(&mut self, address: Address) -> Result<(U256, bool), ApiError> {
        let acc = self
            .inner
            .ctx
            .journal_mut()
            .load_account(address)
            .map_err(|_| ApiError)?;
        Ok((acc.data.info.balance, acc.is_cold))
    }

    fn code(&mut self, address: Address) -> Result<(Bytes, bool), ApiError> {
        let code = self
            .inner
            .ctx
            .journal_mut()
            .code(address)
            .map_err(|_| ApiError)?;
        Ok((code.data, code.is_cold))
    }

    fn code_hash(&mut self, address: Address) -> Result<(B256, bool), ApiError> {
        let h = self
            .inner
            .ctx
            .journal_mut()
            .code_hash(address)
            .map_err(|_| ApiError)?;
        Ok((h.data, h.is_cold))
    }

    fn load_callee(&mut self, address: Address) -> Result<(bool, bool), ApiError> {
        let acc = self
            .inner
            .ctx
            .journal_mut()
            .load_account_with_code(address)
            .map_err(|_| ApiError)?;
        Ok((acc.is_cold, acc.data.is_empty()))
    }

    fn call(&mut self, call: SubCall) -> SubOutcome {
        // The callee was loaded (and warmed) by `load_callee`; this only reads its code.
        let (code_hash, code) = match self
            .inner
            .ctx
            .journal_mut()
            .load_account_with_code(call.code_address)
        {
            Ok(acc) => (
                acc.data.info.code_hash,
                acc.data.info.code.clone().unwrap_or_default(),
            ),
            Err(_) => return SubOutcome::default(),
        };
        let (scheme, value) = match call.kind {
            CallKind::Call => (CallScheme::Call, CallValue::Transfer(call.value)),
            CallKind::DelegateCall => (CallScheme::DelegateCall, CallValue::Apparent(call.value)),
            CallKind::StaticCall => (CallScheme::StaticCall, CallValue::Transfer(call.value)),
        };
        let inputs = CallInputs {
            input: CallInput::Bytes(call.input),
            return_memory_offset: 0..0,
            gas_limit: call.gas_limit,
            reservoir: 0,
            bytecode_address: call.code_address,
            known_bytecode: (
                code_hash,
                if code.is_empty() {
                    Bytecode::default()
                } else {
                    code
                },
            ),
            target_address: call.target,
            caller: call.caller,
            value,
            scheme,
            is_static: call.is_static,
            charged_new_account_state_gas: false,
        };
        Self::sub_outcome(self.nested(FrameInput::Call(Box::new(inputs)), call.depth))
    }

    fn create(&mut self, create: SubCreate) -> SubOutcome {
        let scheme = match create.salt {
            Some(salt) => CreateScheme::Create2 { salt },
            None => CreateScheme::Create,
        };
        let inputs = CreateInputs::new(
            create.caller,
            scheme,
            create.value,
            create.init_code,
            create.gas_limit,
            0,
        );
        Self::sub_outcome(self.nested(FrameInput::Create(Box::new(inputs)), create.depth))
    }

    fn block(&mut self) -> BlockInfo {
        let ctx = &self.inner.ctx;
        let basefee = ctx.block().basefee();
        BlockInfo {
            basefee,
            chain_id: ctx.cfg.chain_id,
            coinbase: ctx.block().beneficiary(),
            gas_limit: ctx.block().gas_limit(),
            number: ctx.block().number().saturating_to::<u64>(),
            timestamp: ctx.block().timestamp().saturating_to::<u64>(),
            gas_price: U256::from(ctx.tx().effective_gas_price(basefee as u128)),
            origin: ctx.tx().caller(),
        }
    }

    fn programs(&mut self) -> &mut TxPrograms {
        &mut self.programs
    }
}
