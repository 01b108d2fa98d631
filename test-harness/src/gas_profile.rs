//! Where the gas of an operation goes: the devnode's per-program gas profile
//! ([`ferrostake_devnode::node::Node::set_profiling`]) of the core operations, with every program
//! run named by the deployment manifest and the ABI — entry (init) cost, the run's own gas (what it
//! used minus the programs it called), and its storage reads and writes. `scripts/bench` prints it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use alloy::primitives::{Address, U256};
use alloy::sol_types::SolCall;
use anyhow::{anyhow, Result};
use ferrostake_deploy::abi::{
    IDelegationManager, IStrategyManager, QueuedWithdrawalParams, SignatureWithExpiry, Withdrawal,
};
use ferrostake_devnode::stylus::FrameGas;

use crate::suite::{Suite, WAD};

/// One program run of an operation.
#[derive(Clone, Debug)]
pub struct Row {
    /// Call depth (EVM proxy frames count).
    pub depth: usize,
    /// "Contract → program" for a delegatecall through a proxy, else the program.
    pub what: String,
    /// The function called (from the interfaces' selectors; hex when unknown).
    pub function: String,
    /// Entry (init) cost.
    pub entry: u64,
    /// Gas used by the run, everything it called included.
    pub used: u64,
    /// `used` minus what the programs it called used (so EVM proxy hops it made count here).
    pub own: u64,
    /// Storage reads (cache misses) and their gas.
    pub reads: (u32, u64),
    /// Storage writes and their gas.
    pub writes: (u32, u64),
}

/// The profile of one operation.
#[derive(Clone, Debug)]
pub struct OpProfile {
    /// The operation.
    pub op: String,
    /// Receipt gasUsed.
    pub total: u64,
    /// Intrinsic gas, calldata and EVM code outside every program (the proxies' own work).
    pub outside: u64,
    /// Gas refunded at the end (storage cleared); `total = outside + programs − refunded`.
    pub refunded: u64,
    /// Program runs in the order they started.
    pub rows: Vec<Row>,
}

/// Names for addresses (manifest) and selectors (interfaces).
pub struct Names {
    addresses: HashMap<Address, String>,
    selectors: HashMap<[u8; 4], String>,
}

impl Names {
    /// From the suite's manifest and the ABI of every interface.
    pub fn of(s: &Suite) -> Self {
        let mut addresses = HashMap::new();
        for (name, p) in &s.manifest.programs {
            addresses.insert(p.address, name.clone());
        }
        for (name, c) in &s.manifest.contracts {
            addresses.insert(c.proxy, name.clone());
        }
        for (name, a) in &s.manifest.addresses {
            addresses.entry(*a).or_insert_with(|| name.clone());
        }
        let mut selectors = HashMap::new();
        for (_, abi) in ferrostake_deploy::abi::interfaces() {
            for f in abi.functions() {
                selectors.insert(f.selector().0, f.name.clone());
            }
        }
        Names {
            addresses,
            selectors,
        }
    }

    fn address(&self, a: Address) -> String {
        self.addresses
            .get(&a)
            .cloned()
            .unwrap_or_else(|| a.to_string())
    }

    fn selector(&self, s: [u8; 4]) -> String {
        self.selectors
            .get(&s)
            .cloned()
            .unwrap_or_else(|| format!("0x{}", alloy::hex::encode(s)))
    }

    /// Rows of a profile: each run's own gas is what it used minus the runs it called directly.
    pub fn rows(&self, frames: &[FrameGas]) -> Vec<Row> {
        let mut own: Vec<u64> = frames.iter().map(|f| f.used).collect();
        for f in frames {
            if let Some(p) = f.parent {
                own[p] = own[p].saturating_sub(f.used);
            }
        }
        frames
            .iter()
            .zip(own)
            .map(|(f, own)| Row {
                depth: f.depth,
                what: if f.delegate {
                    format!("{} → {}", self.address(f.target), self.address(f.code))
                } else {
                    self.address(f.target)
                },
                function: self.selector(f.selector),
                entry: f.entry,
                used: f.used,
                own,
                reads: (f.stats.sloads, f.stats.sload_gas),
                writes: (f.stats.sstores, f.stats.sstore_gas),
            })
            .collect()
    }
}

/// Sends `call` from `from` with profiling on and returns its profile (an error if it reverted).
pub fn profile<C: SolCall>(
    s: &Suite,
    names: &Names,
    op: &str,
    from: Address,
    to: Address,
    call: C,
) -> Result<OpProfile> {
    s.node().set_profiling(true);
    let o = s.send(from, to, call);
    let profile = s.node().last_profile();
    let frames = profile.frames;
    s.node().set_profiling(false);
    let o = o?.ok().map_err(|e| anyhow!("{op}: {e}"))?;
    let rows = names.rows(&frames);
    // Runs at the top of the Stylus call tree (under EVM frames only).
    let top: u64 = frames
        .iter()
        .filter(|f| f.parent.is_none())
        .map(|f| f.used)
        .sum();
    Ok(OpProfile {
        op: op.into(),
        total: o.gas_used,
        outside: (o.gas_used + profile.refunded).saturating_sub(top),
        refunded: profile.refunded,
        rows,
    })
}

/// The core operations on a fresh suite with every program cached (the price a CacheManager bid
/// buys on Arbitrum): first and repeat deposit, registerAsOperator, delegateTo, queueWithdrawals
/// and completeQueuedWithdrawal as tokens.
pub fn core_ops(artifacts: &Path) -> Result<Vec<OpProfile>> {
    let s = Suite::deploy(artifacts)?;
    s.cache_programs()?;
    let names = Names::of(&s);
    let (sm, dm) = (s.addrs.strategy_manager, s.addrs.delegation_manager);
    let (staker, operator) = (s.actors.stakers[0], s.actors.operators[0]);
    let strategy = s.addrs.strategies[0];
    let token = s.addrs.token_of(strategy);
    let amount = U256::from(10u64) * U256::from(WAD);
    let deposit = IStrategyManager::depositIntoStrategyCall {
        strategy,
        token,
        amount,
    };
    let first = "depositIntoStrategy — first deposit";
    let mut out = vec![
        profile(&s, &names, first, staker, sm, deposit.clone())?,
        profile(
            &s,
            &names,
            "depositIntoStrategy — repeat",
            staker,
            sm,
            deposit,
        )?,
    ];
    out.push(profile(
        &s,
        &names,
        "registerAsOperator",
        operator,
        dm,
        IDelegationManager::registerAsOperatorCall {
            initDelegationApprover: Address::ZERO,
            allocationDelay: 0,
            metadataURI: "https://operator.example".into(),
        },
    )?);
    out.push(profile(
        &s,
        &names,
        "delegateTo",
        staker,
        dm,
        IDelegationManager::delegateToCall {
            operator,
            approverSignatureAndExpiry: SignatureWithExpiry {
                signature: Default::default(),
                expiry: U256::ZERO,
            },
            approverSalt: Default::default(),
        },
    )?);
    let shares: U256 = s.view(
        sm,
        IStrategyManager::stakerDepositSharesCall { staker, strategy },
    )?;
    out.push(profile(
        &s,
        &names,
        "queueWithdrawals (1 strategy)",
        staker,
        dm,
        IDelegationManager::queueWithdrawalsCall {
            params: vec![QueuedWithdrawalParams {
                strategies: vec![strategy],
                depositShares: vec![shares / U256::from(2)],
                __deprecated_withdrawer: Address::ZERO,
            }],
        },
    )?);
    let w: Withdrawal = s
        .view(dm, IDelegationManager::getQueuedWithdrawalsCall { staker })?
        .withdrawals
        .last()
        .cloned()
        .ok_or_else(|| anyhow!("no queued withdrawal"))?;
    s.mine(u64::from(s.config.delegation.min_withdrawal_delay_blocks) + 1);
    out.push(profile(
        &s,
        &names,
        "completeQueuedWithdrawal — as tokens",
        staker,
        dm,
        IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: w,
            tokens: vec![token],
            receiveAsTokens: true,
        },
    )?);
    Ok(out)
}

/// Markdown tables, one per operation.
pub fn render(profiles: &[OpProfile]) -> String {
    let mut s = String::new();
    for p in profiles {
        let _ = writeln!(
            s,
            "\n### {} — {} gas ({} outside programs: intrinsic, calldata, EVM proxies; {} refunded)\n",
            p.op, p.total, p.outside, p.refunded
        );
        let _ = writeln!(
            s,
            "| program run | function | entry | own | used | reads (gas) | writes (gas) |\n|---|---|---:|---:|---:|---:|---:|"
        );
        for r in &p.rows {
            let _ = writeln!(
                s,
                "| {}{} | {} | {} | {} | {} | {} ({}) | {} ({}) |",
                "· ".repeat(r.depth),
                r.what,
                r.function,
                r.entry,
                r.own,
                r.used,
                r.reads.0,
                r.reads.1,
                r.writes.0,
                r.writes.1
            );
        }
    }
    s
}
