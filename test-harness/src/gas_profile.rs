//! Where the gas of an operation goes: the devnode's per-program gas profile
//! ([`ferrostake_devnode::node::Node::set_profiling`]) of the core operations, with every program
//! run named by the deployment manifest and the ABI — entry (init) cost, the run's own gas (what it
//! used minus the programs it called), and its storage reads and writes. `scripts/bench` prints it.
//!
//! Also the **storage floor** of a transaction ([`floor`]): what the state it touches costs on the
//! EVM's price list whoever implements it — the 21,000 base, calldata, one cold access per storage
//! slot, the write each changed slot needs, the logs, less the capped refund.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use alloy::primitives::{Address, U256};
use alloy::sol_types::SolCall;
use anyhow::{anyhow, Result};
use ferrostake_deploy::abi::{
    IDelegationManager, IStrategyManager, QueuedWithdrawalParams, SignatureWithExpiry, Withdrawal,
};
use ferrostake_devnode::node::TxRecord;
use ferrostake_devnode::programs::ARBOS_STATE;
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
    /// The storage floor of the transaction.
    pub floor: Floor,
}

/// The storage floor of a transaction, from its storage access list ([`TxRecord::storage`]), its
/// calldata and its logs, priced as the EVM (and so Nitro, for Stylus programs) prices them:
/// EIP-2028 calldata, EIP-2929 cold slot access, EIP-2200 writes, EIP-3529 refunds. Every slot is
/// counted once, so warm re-reads and writes that end where they started (a guard set and reset)
/// cost nothing beyond the cold access; calls between contracts (2,600 per cold account) and
/// program entries are not in it: they are what an implementation chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Floor {
    /// 21,000 plus calldata (4 gas per zero byte, 16 per other byte).
    pub intrinsic: u64,
    /// Slots only read (or written back to their value): 2,100 each.
    pub reads: (u32, u64),
    /// Slots written from zero: 22,100 each (cold access + 20,000).
    pub fresh: (u32, u64),
    /// Slots changed from a nonzero value: 5,000 each (cold access + 2,900).
    pub dirty: (u32, u64),
    /// Logs: 375 + 375 per topic + 8 per data byte each.
    pub logs: (u32, u64),
    /// Refund for slots cleared to zero (4,800 each), capped at a fifth of the gas.
    pub refund: u64,
}

impl Floor {
    /// The floor in gas.
    pub fn total(&self) -> u64 {
        self.gross() - self.refund
    }

    fn gross(&self) -> u64 {
        self.intrinsic + self.reads.1 + self.fresh.1 + self.dirty.1 + self.logs.1
    }
}

/// The storage floor of a mined transaction (ArbOS's own bookkeeping, the program table, left out).
pub fn floor(tx: &TxRecord) -> Floor {
    let calldata: u64 = tx.input.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
    let mut f = Floor {
        intrinsic: 21_000 + calldata,
        ..Floor::default()
    };
    let mut cleared = 0u64;
    for s in tx.storage.iter().filter(|s| s.address != ARBOS_STATE) {
        let (count, gas) = if s.present == s.original {
            (&mut f.reads, 2_100)
        } else if s.original.is_zero() {
            (&mut f.fresh, 22_100)
        } else {
            if s.present.is_zero() {
                cleared += 1;
            }
            (&mut f.dirty, 5_000)
        };
        count.0 += 1;
        count.1 += gas;
    }
    for l in &tx.logs {
        f.logs.0 += 1;
        f.logs.1 += 375 + 375 * l.topics().len() as u64 + 8 * l.data.data.len() as u64;
    }
    f.refund = (cleared * 4_800).min(f.gross() / 5);
    f
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
    let floor = s
        .node()
        .transaction(o.hash)
        .map(floor)
        .ok_or_else(|| anyhow!("{op}: transaction {} not mined", o.hash))?;
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
        floor,
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
        let f = &p.floor;
        let _ = writeln!(
            s,
            "Storage floor {} gas: intrinsic {}, {} slots read ({}), {} fresh ({}), {} changed ({}), {} logs ({}), refund {}.\n",
            f.total(),
            f.intrinsic,
            f.reads.0,
            f.reads.1,
            f.fresh.0,
            f.fresh.1,
            f.dirty.0,
            f.dirty.1,
            f.logs.0,
            f.logs.1,
            f.refund
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{Bytes, LogData, B256};
    use ferrostake_devnode::node::SlotAccess;

    fn tx(input: &[u8], storage: Vec<SlotAccess>, logs: Vec<(usize, usize)>) -> TxRecord {
        TxRecord {
            hash: B256::ZERO,
            block_number: 1,
            block_hash: B256::ZERO,
            from: Address::ZERO,
            to: None,
            nonce: 0,
            value: U256::ZERO,
            input: Bytes::copy_from_slice(input),
            gas_limit: 0,
            gas_price: 0,
            max_priority_fee: None,
            tx_type: 2,
            signature: (false, U256::ZERO, U256::ZERO),
            status: true,
            gas_used: 0,
            logs: logs
                .into_iter()
                .map(|(topics, data)| alloy::primitives::Log {
                    address: Address::ZERO,
                    data: LogData::new_unchecked(vec![B256::ZERO; topics], vec![1u8; data].into()),
                })
                .collect(),
            contract_address: None,
            output: Bytes::new(),
            first_log_index: 0,
            storage,
        }
    }

    fn slot(address: Address, slot: u64, original: u64, present: u64) -> SlotAccess {
        SlotAccess {
            address,
            slot: U256::from(slot),
            original: U256::from(original),
            present: U256::from(present),
        }
    }

    #[test]
    fn floor_prices_the_access_list_as_the_evm_does() {
        let a = Address::with_last_byte(1);
        // Calldata: 2 zero bytes (4 each) and 2 others (16 each) — EIP-2028.
        let t = tx(
            &[0, 1, 0, 2],
            vec![
                slot(a, 1, 5, 5),           // read: 2,100 (EIP-2929 cold)
                slot(a, 2, 0, 7),           // fresh: 2,100 + 20,000
                slot(a, 3, 7, 8),           // changed: 2,100 + 2,900
                slot(a, 4, 7, 0),           // cleared: 5,000, refund 4,800 (EIP-3529)
                slot(ARBOS_STATE, 9, 0, 1), // ArbOS bookkeeping: not the operation's
            ],
            vec![(3, 64)], // LOG3 of 64 bytes: 375 + 3·375 + 64·8
        );
        let f = floor(&t);
        assert_eq!(f.intrinsic, 21_000 + 2 * 4 + 2 * 16);
        assert_eq!(f.reads, (1, 2_100));
        assert_eq!(f.fresh, (1, 22_100));
        assert_eq!(f.dirty, (2, 10_000));
        assert_eq!(f.logs, (1, 375 + 3 * 375 + 64 * 8));
        assert_eq!(f.refund, 4_800);
        let gross = 21_040 + 2_100 + 22_100 + 10_000 + 2_012;
        assert_eq!(f.total(), gross - 4_800);
    }

    #[test]
    fn floor_refund_is_capped_at_a_fifth() {
        let a = Address::with_last_byte(1);
        let t = tx(&[], (0..10).map(|i| slot(a, i, 1, 0)).collect(), vec![]);
        let f = floor(&t);
        let gross = 21_000 + 10 * 5_000;
        assert_eq!(f.refund, gross / 5);
        assert_eq!(f.total(), gross - gross / 5);
    }
}
