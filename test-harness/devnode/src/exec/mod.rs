//! Executes one transaction against a state database: revm for EVM bytecode, the Stylus runtime
//! for programs (code starting `EF F0 00`), and the ArbOS precompiles. Knows nothing of blocks,
//! pools or RPC.
//!
//! revm's frame loop is driven by [`StylusEvm`], a newtype over revm's `Evm` whose `frame_run`
//! runs Stylus frames itself (Nitro dispatches on the *code* at the bytecode address, so CALL,
//! DELEGATECALL, STATICCALL and CALLCODE all work). Host calls from a program into other contracts
//! run a nested frame loop on a fresh frame stack over the same journal, so checkpoints, reverts,
//! warm/cold access and refunds behave exactly as for EVM calls.

use std::collections::HashMap;
use std::sync::Arc;

use revm::context::{BlockEnv, CfgEnv, Context, Evm, Journal, TxEnv};
use revm::context_interface::result::{EVMError, ExecutionResult, InvalidTransaction};
use revm::context_interface::{ContextSetters, ContextTr, JournalTr};
use revm::database::{CacheDB, EmptyDB};
use revm::handler::instructions::{EthInstructions, InstructionProvider};
use revm::handler::{
    evm::{ContextDbError, FrameInitResult, FrameTr},
    EthFrame, EvmTr, FrameInitOrResult, FrameResult, Handler, ItemOrResult, MainnetHandler,
};
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_action::FrameInit;
use revm::interpreter::{FrameInput, InstructionResult, InterpreterAction};
use revm::primitives::hardfork::SpecId;
use revm::primitives::Address;
use revm::state::EvmState;
use revm::DatabaseCommit;

use crate::arbos::ArbPrecompiles;
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
    pub(crate) rt: Arc<Runtime>,
    /// Open non-delegate Stylus frames per address (`msg_reentrant`).
    pub(crate) open: HashMap<Address, u32>,
    /// Stylus memory pages open in this transaction and the most ever open (Nitro's per-tx page
    /// accounting).
    pub(crate) pages_open: u16,
    pub(crate) pages_ever: u16,
}

impl StylusEvm {
    pub fn new(ctx: Ctx, rt: Arc<Runtime>) -> Self {
        let spec = ctx.cfg.spec;
        let inner = Evm::new(
            ctx,
            EthInstructions::new_mainnet_with_spec(spec),
            ArbPrecompiles::new(spec, rt.clone()),
        );
        Self {
            inner,
            rt,
            open: HashMap::new(),
            pages_open: 0,
            pages_ever: 0,
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
        self.open.clear();
        self.pages_open = 0;
        self.pages_ever = 0;
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
    pub(crate) fn nested(&mut self, frame_input: FrameInput, depth: usize) -> FrameResult {
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
        let stylus_call = match &frame.input {
            FrameInput::Call(inputs)
                if is_stylus(inputs.known_bytecode.1.original_byte_slice()) =>
            {
                Some((
                    inputs.clone(),
                    frame.depth,
                    frame.interpreter.gas.remaining(),
                ))
            }
            _ => None,
        };
        let action = if let Some((inputs, depth, gas)) = stylus_call {
            InterpreterAction::Return(stylus::run_program(self, &inputs, depth, gas))
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
    pub block: BlockEnv,
    /// eth_call / estimateGas: no nonce check, no fee charge.
    pub simulate: bool,
}

/// Builds a context over `db`.
pub fn context(db: Db, env: &Env) -> Ctx {
    let mut ctx: Ctx = Context::new(db, SPEC);
    ctx.cfg.chain_id = env.chain_id;
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
            .stack_size(256 << 20)
            .spawn_scoped(s, f)
            .expect("spawn execution thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// Executes `tx` on `db` and, when `commit`, writes the result back. Returns the result and the
/// state diff. On a transaction-level error (bad nonce, insufficient funds) nothing changes.
pub fn execute(
    db: &mut Db,
    env: &Env,
    tx: TxEnv,
    rt: &Arc<Runtime>,
    commit: bool,
) -> Result<(ExecutionResult, EvmState), ExecError> {
    let owned = std::mem::take(db);
    let (res, back) = with_big_stack(|| {
        let mut evm = StylusEvm::new(context(owned, env), rt.clone());
        let res = evm.transact(tx);
        if commit {
            if let Ok((_, state)) = &res {
                evm.commit(state.clone());
            }
        }
        (res, evm.into_db())
    });
    *db = back;
    res
}
