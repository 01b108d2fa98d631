//! `ferrostake inspect`: what is at stake, for whom — one read-only report per staker, operator,
//! AVS or LRT vault, over any JSON-RPC endpoint, from a deployment manifest.
//!
//! Everything comes from the suite's existing views (`contracts/interfaces/solidity`) and, where
//! no view lists what exists, from the contracts' own events (operator sets an AVS created, the
//! vault's operator weights, redemption requests and exposure-limit changes). Nothing is sent.
//!
//! - **staker**: deposit and withdrawable shares per strategy (the pod's beacon-chain ETH
//!   included) with their value in the underlying token, the factors behind them (deposit scaling
//!   factor, the operator's max magnitude, the beacon-chain slashing factor), the operator
//!   delegated to, queued withdrawals with the block they unlock at, and the pod.
//! - **operator**: delegated shares per strategy with max, encumbered and allocatable magnitude,
//!   the operator sets it is registered in or allocated to, each allocation with the stake the set
//!   can slash now and any pending change with the block it takes effect.
//! - **avs**: per operator set its strategies, members and the stake each can be slashed for, the
//!   slashing guard and its queued slashes.
//! - **vault**: NAV (booked and live), idle assets, liabilities, the rate, exposure per operator
//!   and per operator set against the vault's limits, redemption requests and their finalization,
//!   paused actions.
//!
//! Amounts carry their token's decimals and symbol. Delays count `block.number` as contracts see
//! it (on Arbitrum the L1 block number), read by simulating a creation.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use alloy::eips::BlockNumberOrTag;
use alloy::network::TransactionBuilder;
use alloy::primitives::{address, Address, Bytes, I256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::sol_types::{SolCall, SolEvent};
use anyhow::{anyhow, bail, Context, Result};
use ferrostake_deploy::abi::{
    IAllocationManager, IDelegationManager, IEigenPod, IEigenPodManager, ILrtVault, IStrategy,
    IStrategyManager, OperatorSet, IERC20,
};
use ferrostake_deploy::manifest::Manifest;
use ferrostake_deploy::suite::names;
use serde::Serialize;

/// EigenLayer's beacon-chain ETH strategy (a constant address, no contract).
pub const BEACON_ETH: Address = address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// 1e18.
const WAD: u128 = 1_000_000_000_000_000_000;
/// Basis points in one.
const BPS: u64 = 10_000;

/// What to inspect.
#[derive(Clone, Debug)]
pub enum Query {
    Staker(Address),
    Operator(Address),
    /// An AVS, optionally one of its operator sets.
    Avs(Address, Option<u32>),
    Vault(Address),
}

impl Query {
    /// Parses `kind ADDR`; `set` only for `avs`.
    pub fn parse(kind: &str, addr: &str, set: Option<u32>) -> Result<Self> {
        let a: Address = addr
            .trim()
            .parse()
            .map_err(|_| anyhow!("{addr:?} is not an address (0x and 40 hex digits)"))?;
        if set.is_some() && kind != "avs" {
            bail!("--set applies to `inspect avs` only");
        }
        Ok(match kind {
            "staker" => Query::Staker(a),
            "operator" => Query::Operator(a),
            "avs" => Query::Avs(a, set),
            "vault" => Query::Vault(a),
            other => bail!("unknown kind {other:?}: staker, operator, avs or vault"),
        })
    }
}

/// An amount with its token's decimals and symbol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// The integer amount (base units), in decimal.
    pub raw: String,
    pub decimals: u8,
    pub symbol: String,
    /// `raw` with the decimal point placed and the symbol: `12.5 TST`.
    pub display: String,
}

impl Amount {
    pub fn new(raw: U256, decimals: u8, symbol: &str) -> Self {
        Self {
            raw: raw.to_string(),
            decimals,
            symbol: symbol.to_string(),
            display: format!("{} {symbol}", format_units(raw, decimals)),
        }
    }

    /// The raw amount.
    pub fn value(&self) -> U256 {
        self.raw.parse().unwrap_or_default()
    }
}

/// `raw / 10^decimals` in decimal, trailing zeros dropped.
pub fn format_units(raw: U256, decimals: u8) -> String {
    let s = raw.to_string();
    let d = decimals as usize;
    if d == 0 {
        return s;
    }
    let padded = format!("{s:0>width$}", width = d + 1);
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// A WAD factor as a decimal string (`1` is 1e18).
fn wad(x: U256) -> String {
    format_units(x, 18)
}

/// One token: address, symbol, decimals.
#[derive(Clone, Debug, Serialize)]
pub struct Token {
    pub address: Address,
    pub symbol: String,
    pub decimals: u8,
}

/// A strategy and its underlying token.
#[derive(Clone, Debug, Serialize)]
pub struct StrategyRef {
    pub strategy: Address,
    pub token: Token,
}

/// The report of `inspect staker`.
#[derive(Clone, Debug, Serialize)]
pub struct StakerReport {
    pub staker: Address,
    pub block: u64,
    /// The operator delegated to (zero: none).
    pub delegated_to: Address,
    pub positions: Vec<Position>,
    pub queued_withdrawals: Vec<QueuedWithdrawal>,
    pub pod: Option<Pod>,
}

/// A staker's position in one strategy.
#[derive(Clone, Debug, Serialize)]
pub struct Position {
    pub strategy: StrategyRef,
    pub deposit_shares: Amount,
    pub withdrawable_shares: Amount,
    /// The withdrawable shares' value in the underlying token.
    pub withdrawable_value: Amount,
    /// `k` (WAD).
    pub deposit_scaling_factor: String,
    /// The delegated operator's max magnitude for the strategy (WAD; 1 when not delegated).
    pub operator_max_magnitude: String,
    /// The pod's beacon-chain slashing factor (beacon ETH only).
    pub beacon_chain_slashing_factor: Option<String>,
}

/// A queued withdrawal.
#[derive(Clone, Debug, Serialize)]
pub struct QueuedWithdrawal {
    pub root: String,
    pub nonce: String,
    pub start_block: u32,
    /// The first block at which it can be completed (`startBlock + minWithdrawalDelayBlocks + 1`).
    pub unlock_block: u64,
    pub completable: bool,
    pub withdrawer: Address,
    pub delegated_to: Address,
    /// Per strategy: the shares it pays out if completed now (slashing applied).
    pub shares: Vec<(StrategyRef, Amount)>,
}

/// A staker's EigenPod.
#[derive(Clone, Debug, Serialize)]
pub struct Pod {
    pub address: Address,
    /// `podOwnerDepositShares` (negative after an unpaid beacon-chain loss).
    pub deposit_shares_wei: String,
    pub beacon_chain_slashing_factor: String,
    pub active_validators: String,
    pub last_checkpoint_timestamp: u64,
    /// Zero: no checkpoint in progress.
    pub current_checkpoint_timestamp: u64,
    pub checkpoint_proofs_remaining: u32,
    pub withdrawable_restaked_execution_layer: Amount,
}

/// The report of `inspect operator`.
#[derive(Clone, Debug, Serialize)]
pub struct OperatorReport {
    pub operator: Address,
    pub block: u64,
    /// The allocation delay, when set.
    pub allocation_delay: Option<u32>,
    pub strategies: Vec<OperatorStrategy>,
    pub registered_sets: Vec<SetId>,
    pub allocations: Vec<AllocationRow>,
}

/// An operator set: AVS and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SetId {
    pub avs: Address,
    pub id: u32,
}

/// An operator's shares and magnitudes in one strategy.
#[derive(Clone, Debug, Serialize)]
pub struct OperatorStrategy {
    pub strategy: StrategyRef,
    pub delegated_shares: Amount,
    pub delegated_value: Amount,
    pub max_magnitude: String,
    pub encumbered_magnitude: String,
    pub allocatable_magnitude: String,
}

/// One allocation of an operator to an operator set in one strategy.
#[derive(Clone, Debug, Serialize)]
pub struct AllocationRow {
    pub set: SetId,
    pub strategy: StrategyRef,
    pub registered: bool,
    pub slashable: bool,
    pub current_magnitude: String,
    /// Signed pending change (WAD); zero when none.
    pub pending_diff: String,
    /// When the pending change takes effect (0: none).
    pub effect_block: u32,
    /// Stake the set can slash now (shares, and their value).
    pub slashable_shares: Amount,
    pub slashable_value: Amount,
}

/// The report of `inspect avs`.
#[derive(Clone, Debug, Serialize)]
pub struct AvsReport {
    pub avs: Address,
    pub block: u64,
    pub operator_set_count: String,
    pub sets: Vec<SetReport>,
}

/// One operator set of an AVS.
#[derive(Clone, Debug, Serialize)]
pub struct SetReport {
    pub id: u32,
    pub strategies: Vec<StrategyRef>,
    pub members: Vec<MemberStake>,
    pub slash_count: String,
    pub redistributing: bool,
    pub redistribution_recipient: Address,
    /// The slashing guard; `None` when unguarded (EigenLayer behaviour).
    pub guard: Option<Guard>,
    pub queued_slashes: Vec<QueuedSlash>,
}

/// The stake one member can be slashed for, per strategy of the set.
#[derive(Clone, Debug, Serialize)]
pub struct MemberStake {
    pub operator: Address,
    pub slashable: Vec<(StrategyRef, Amount, Amount)>,
}

/// A slashing guard.
#[derive(Clone, Debug, Serialize)]
pub struct Guard {
    pub max_wad_per_incident: String,
    pub veto_window_blocks: u32,
    pub resolver: Address,
}

/// A queued slash of a guarded set.
#[derive(Clone, Debug, Serialize)]
pub struct QueuedSlash {
    pub id: u64,
    pub executable_at_block: u32,
    pub vetoed: bool,
    pub executed: bool,
    pub params_hash: String,
}

/// The report of `inspect vault`.
#[derive(Clone, Debug, Serialize)]
pub struct VaultReport {
    pub vault: Address,
    pub block: u64,
    pub name: String,
    pub share_symbol: String,
    pub asset: Token,
    pub total_supply: Amount,
    pub total_assets: Amount,
    pub nav_book: Amount,
    pub nav_live: Amount,
    pub idle: Amount,
    pub liabilities: Amount,
    /// Assets per 1e18 shares.
    pub rate: Amount,
    pub limits: Limits,
    pub operators: Vec<OperatorExposure>,
    pub operator_sets: Vec<SetExposure>,
    pub requests: Vec<Request>,
    /// Actions paused, with the timestamp they resume at.
    pub paused: Vec<(String, u64)>,
}

/// The vault's exposure limits (basis points of NAV) and where they were read.
#[derive(Clone, Debug, Serialize)]
pub struct Limits {
    pub max_operator_bips: u16,
    pub max_operator_set_bips: u16,
    pub source: String,
}

/// The vault's value behind one operator.
#[derive(Clone, Debug, Serialize)]
pub struct OperatorExposure {
    pub operator: Address,
    pub weight_bips: u16,
    pub delegator: Address,
    pub value: Amount,
    /// `value / totalAssets` in basis points (rounded down).
    pub bips_of_nav: u64,
    pub within_limit: bool,
}

/// What one operator set can slash of the vault.
#[derive(Clone, Debug, Serialize)]
pub struct SetExposure {
    pub set: SetId,
    pub slashable: Amount,
    pub bips_of_nav: u64,
    pub within_limit: bool,
}

/// A redemption request.
#[derive(Clone, Debug, Serialize)]
pub struct Request {
    pub id: String,
    pub controller: Address,
    pub shares: Amount,
    pub assets_at_request: Amount,
    pub finalized: bool,
}

/// One report.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Report {
    Staker(StakerReport),
    Operator(OperatorReport),
    Avs(AvsReport),
    Vault(Box<VaultReport>),
}

/// Where to read: the endpoint and the manifest.
#[derive(Clone, Debug)]
pub struct Source {
    pub rpc_url: String,
    /// An explicit manifest; otherwise `<deployments>/<chain-id>.json`.
    pub manifest: Option<PathBuf>,
    pub deployments: PathBuf,
    /// Print a progress line on stderr while reading.
    pub progress: bool,
}

/// Reads the report for `query`.
pub fn inspect(source: &Source, query: &Query) -> Result<Report> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("start the async runtime")?;
    rt.block_on(async {
        let r = Reader::connect(source).await?;
        let report = match query {
            Query::Staker(a) => Report::Staker(r.staker(*a).await?),
            Query::Operator(a) => Report::Operator(r.operator(*a).await?),
            Query::Avs(a, set) => Report::Avs(r.avs(*a, *set).await?),
            Query::Vault(a) => Report::Vault(Box::new(r.vault(*a).await?)),
        };
        r.done();
        Ok(report)
    })
}

/// The manifest at `path`, with one-line errors.
fn load_manifest(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow!(
                "no deployment manifest at {} (pass --manifest FILE or --deployments DIR)",
                path.display()
            )
        } else {
            anyhow!("cannot read the manifest {}: {e}", path.display())
        }
    })?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{} is not a Ferrostake deployment manifest: {e}",
            path.display()
        )
    })?;
    for name in [
        names::STRATEGY_MANAGER,
        names::DELEGATION_MANAGER,
        names::ALLOCATION_MANAGER,
        names::EIGEN_POD_MANAGER,
    ] {
        if m.proxy(name).is_none() {
            bail!("the manifest {} has no {name}", path.display());
        }
    }
    Ok(m)
}

struct Reader {
    provider: DynProvider,
    manifest: Manifest,
    sm: Address,
    dm: Address,
    am: Address,
    epm: Address,
    block: u64,
    progress: bool,
    calls: std::cell::Cell<u64>,
}

impl Reader {
    async fn connect(source: &Source) -> Result<Self> {
        let url = source
            .rpc_url
            .parse()
            .map_err(|e| anyhow!("invalid RPC URL {:?}: {e}", source.rpc_url))?;
        let provider = ProviderBuilder::new().connect_http(url).erased();
        let chain_id = provider
            .get_chain_id()
            .await
            .map_err(|e| anyhow!("cannot reach {}: {e}", source.rpc_url))?;
        let path = source
            .manifest
            .clone()
            .unwrap_or_else(|| Manifest::path(&source.deployments, chain_id));
        let manifest = load_manifest(&path)?;
        if manifest.chain_id != chain_id {
            bail!(
                "the manifest {} is for chain {}, but {} serves chain {chain_id}",
                path.display(),
                manifest.chain_id,
                source.rpc_url
            );
        }
        let proxy = |n: &str| manifest.proxy(n).unwrap_or_default();
        let mut r = Self {
            sm: proxy(names::STRATEGY_MANAGER),
            dm: proxy(names::DELEGATION_MANAGER),
            am: proxy(names::ALLOCATION_MANAGER),
            epm: proxy(names::EIGEN_POD_MANAGER),
            provider,
            manifest,
            block: 0,
            progress: source.progress,
            calls: std::cell::Cell::new(0),
        };
        if r.code(r.dm).await?.is_empty() {
            bail!(
                "no DelegationManager at {} on chain {chain_id}: the manifest {} does not describe this chain's deployment",
                r.dm,
                path.display()
            );
        }
        r.block = r.contract_block().await?;
        Ok(r)
    }

    fn tick(&self, what: &str) {
        let n = self.calls.get() + 1;
        self.calls.set(n);
        if self.progress {
            eprint!("\rreading {what} … {n} calls\x1b[K");
        }
    }

    fn done(&self) {
        if self.progress {
            eprintln!("\rread {} calls\x1b[K", self.calls.get());
        }
    }

    async fn code(&self, a: Address) -> Result<Bytes> {
        self.tick("code");
        self.provider
            .get_code_at(a)
            .await
            .map_err(|e| anyhow!("read the code at {a}: {e}"))
    }

    /// `block.number` as a transaction sent now sees it (on Arbitrum: the L1 block number).
    async fn contract_block(&self) -> Result<u64> {
        // NUMBER PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
        const INIT: [u8; 9] = [0x43, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];
        self.tick("the block number");
        let tx = TransactionRequest::default().with_deploy_code(Bytes::from(INIT.to_vec()));
        let out = self
            .provider
            .call(tx)
            .await
            .map_err(|e| anyhow!("read the block number contracts see: {e}"))?;
        if out.len() != 32 {
            bail!("reading the block number returned {} bytes", out.len());
        }
        Ok(U256::from_be_slice(&out).saturating_to())
    }

    async fn try_view<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return> {
        self.tick(C::SIGNATURE);
        let tx = TransactionRequest::default()
            .with_to(to)
            .with_input(Bytes::from(call.abi_encode()));
        let out = self
            .provider
            .call(tx)
            .await
            .map_err(|e| anyhow!("{} on {to}: {e}", C::SIGNATURE))?;
        C::abi_decode_returns(&out).map_err(|e| anyhow!("decode {} from {to}: {e}", C::SIGNATURE))
    }

    async fn view<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return> {
        self.try_view(to, call).await
    }

    async fn logs<E: SolEvent>(&self, from: Address) -> Result<Vec<E>> {
        self.tick(E::SIGNATURE);
        let filter = Filter::new()
            .address(from)
            .event_signature(E::SIGNATURE_HASH)
            .from_block(BlockNumberOrTag::Earliest)
            .to_block(BlockNumberOrTag::Latest);
        let logs = self
            .provider
            .get_logs(&filter)
            .await
            .map_err(|e| anyhow!("read {} logs of {from}: {e}", E::SIGNATURE))?;
        Ok(logs
            .iter()
            .filter_map(|l| E::decode_log_data(l.data()).ok())
            .collect())
    }

    async fn token(&self, token: Address) -> Token {
        let symbol = self
            .try_view(token, IERC20::symbolCall {})
            .await
            .unwrap_or_else(|_| "?".into());
        let decimals = self
            .try_view(token, IERC20::decimalsCall {})
            .await
            .unwrap_or(18);
        Token {
            address: token,
            symbol,
            decimals,
        }
    }

    async fn strategy(&self, strategy: Address) -> StrategyRef {
        if strategy == BEACON_ETH {
            return StrategyRef {
                strategy,
                token: Token {
                    address: Address::ZERO,
                    symbol: "ETH".into(),
                    decimals: 18,
                },
            };
        }
        let token = match self
            .try_view(strategy, IStrategy::underlyingTokenCall {})
            .await
        {
            Ok(t) => self.token(t).await,
            Err(_) => Token {
                address: Address::ZERO,
                symbol: "?".into(),
                decimals: 18,
            },
        };
        StrategyRef { strategy, token }
    }

    /// Shares of `s` as an amount (`shares` unit: the token's decimals, `<SYMBOL> shares`).
    fn shares(&self, s: &StrategyRef, shares: U256) -> Amount {
        Amount::new(
            shares,
            s.token.decimals,
            &format!("{} shares", s.token.symbol),
        )
    }

    /// The underlying value of `shares` of `s` (beacon ETH: 1 share = 1 wei).
    async fn value(&self, s: &StrategyRef, shares: U256) -> Amount {
        let v = if s.strategy == BEACON_ETH || shares.is_zero() {
            shares
        } else {
            self.try_view(
                s.strategy,
                IStrategy::sharesToUnderlyingViewCall {
                    amountShares: shares,
                },
            )
            .await
            .unwrap_or_default()
        };
        Amount::new(v, s.token.decimals, &s.token.symbol)
    }

    /// The manifest's strategies (`Strategy_*`), sorted.
    fn manifest_strategies(&self) -> Vec<Address> {
        let mut v: Vec<Address> = self
            .manifest
            .contracts
            .iter()
            .filter(|(n, _)| n.starts_with("Strategy_"))
            .map(|(_, c)| c.proxy)
            .chain(
                self.manifest
                    .addresses
                    .iter()
                    .filter(|(n, _)| n.starts_with("Strategy_"))
                    .map(|(_, a)| *a),
            )
            .collect();
        v.sort();
        v.dedup();
        v
    }

    async fn staker(&self, staker: Address) -> Result<StakerReport> {
        let delegated_to = self
            .view(self.dm, IDelegationManager::delegatedToCall { staker })
            .await?;
        let deposits = self
            .view(self.sm, IStrategyManager::getDepositsCall { staker })
            .await?;
        let mut strategies = deposits._0.clone();
        let pod_address = self
            .view(self.epm, IEigenPodManager::getPodCall { podOwner: staker })
            .await?;
        let has_pod = self
            .view(self.epm, IEigenPodManager::hasPodCall { podOwner: staker })
            .await?;
        let pod_shares = self
            .view(
                self.epm,
                IEigenPodManager::podOwnerDepositSharesCall { podOwner: staker },
            )
            .await?;
        if has_pod || pod_shares != I256::ZERO {
            strategies.push(BEACON_ETH);
        }
        let w = self
            .view(
                self.dm,
                IDelegationManager::getWithdrawableSharesCall {
                    staker,
                    strategies: strategies.clone(),
                },
            )
            .await?;
        let beacon_factor = self
            .view(
                self.epm,
                IEigenPodManager::beaconChainSlashingFactorCall { staker },
            )
            .await?;
        let mut positions = Vec::new();
        for (i, st) in strategies.iter().enumerate() {
            let s = self.strategy(*st).await;
            let dsf = self
                .view(
                    self.dm,
                    IDelegationManager::depositScalingFactorCall {
                        staker,
                        strategy: *st,
                    },
                )
                .await?;
            let max = if delegated_to.is_zero() {
                WAD as u64
            } else {
                self.view(
                    self.am,
                    IAllocationManager::getMaxMagnitudes_0Call {
                        operator: delegated_to,
                        strategies: vec![*st],
                    },
                )
                .await?
                .first()
                .copied()
                .unwrap_or_default()
            };
            let withdrawable = w.withdrawableShares.get(i).copied().unwrap_or_default();
            let deposit = w.depositShares.get(i).copied().unwrap_or_default();
            positions.push(Position {
                deposit_shares: self.shares(&s, deposit),
                withdrawable_shares: self.shares(&s, withdrawable),
                withdrawable_value: self.value(&s, withdrawable).await,
                deposit_scaling_factor: wad(dsf),
                operator_max_magnitude: wad(U256::from(max)),
                beacon_chain_slashing_factor: (*st == BEACON_ETH)
                    .then(|| wad(U256::from(beacon_factor))),
                strategy: s,
            });
        }
        let delay = self
            .view(self.dm, IDelegationManager::minWithdrawalDelayBlocksCall {})
            .await?;
        let roots = self
            .view(
                self.dm,
                IDelegationManager::getQueuedWithdrawalRootsCall { staker },
            )
            .await?;
        let mut queued_withdrawals = Vec::new();
        for root in roots {
            let q = self
                .view(
                    self.dm,
                    IDelegationManager::getQueuedWithdrawalCall {
                        withdrawalRoot: root,
                    },
                )
                .await?;
            let unlock_block = q.withdrawal.startBlock as u64 + delay as u64 + 1;
            let mut shares = Vec::new();
            for (i, st) in q.withdrawal.strategies.iter().enumerate() {
                let s = self.strategy(*st).await;
                let a = self.shares(&s, q.shares.get(i).copied().unwrap_or_default());
                shares.push((s, a));
            }
            queued_withdrawals.push(QueuedWithdrawal {
                root: root.to_string(),
                nonce: q.withdrawal.nonce.to_string(),
                start_block: q.withdrawal.startBlock,
                unlock_block,
                completable: self.block >= unlock_block,
                withdrawer: q.withdrawal.withdrawer,
                delegated_to: q.withdrawal.delegatedTo,
                shares,
            });
        }
        let pod = if has_pod {
            let p = pod_address;
            let cp = self.view(p, IEigenPod::currentCheckpointCall {}).await?;
            let el_gwei = self
                .view(p, IEigenPod::withdrawableRestakedExecutionLayerGweiCall {})
                .await?;
            Some(Pod {
                address: p,
                deposit_shares_wei: pod_shares.to_string(),
                beacon_chain_slashing_factor: wad(U256::from(beacon_factor)),
                active_validators: self
                    .view(p, IEigenPod::activeValidatorCountCall {})
                    .await?
                    .to_string(),
                last_checkpoint_timestamp: self
                    .view(p, IEigenPod::lastCheckpointTimestampCall {})
                    .await?,
                current_checkpoint_timestamp: self
                    .view(p, IEigenPod::currentCheckpointTimestampCall {})
                    .await?,
                checkpoint_proofs_remaining: cp.proofsRemaining.to(),
                withdrawable_restaked_execution_layer: Amount::new(
                    U256::from(el_gwei) * U256::from(1_000_000_000u64),
                    18,
                    "ETH",
                ),
            })
        } else {
            None
        };
        Ok(StakerReport {
            staker,
            block: self.block,
            delegated_to,
            positions,
            queued_withdrawals,
            pod,
        })
    }

    async fn operator(&self, operator: Address) -> Result<OperatorReport> {
        let is_operator = self
            .view(self.dm, IDelegationManager::isOperatorCall { operator })
            .await?;
        if !is_operator {
            bail!("{operator} is not a registered operator");
        }
        let delay = self
            .view(
                self.am,
                IAllocationManager::getAllocationDelayCall { operator },
            )
            .await?;
        let registered: Vec<SetId> = self
            .view(
                self.am,
                IAllocationManager::getRegisteredSetsCall { operator },
            )
            .await?
            .iter()
            .map(|s| SetId {
                avs: s.avs,
                id: s.id,
            })
            .collect();
        let allocated: Vec<OperatorSet> = self
            .view(
                self.am,
                IAllocationManager::getAllocatedSetsCall { operator },
            )
            .await?;
        let mut strategy_list = self.manifest_strategies();
        strategy_list.push(BEACON_ETH);
        let mut per_set = Vec::new();
        for set in &allocated {
            let strategies = self
                .view(
                    self.am,
                    IAllocationManager::getAllocatedStrategiesCall {
                        operator,
                        operatorSet: set.clone(),
                    },
                )
                .await?;
            for st in &strategies {
                if !strategy_list.contains(st) {
                    strategy_list.push(*st);
                }
            }
            per_set.push((set.clone(), strategies));
        }
        let shares = self
            .view(
                self.dm,
                IDelegationManager::getOperatorSharesCall {
                    operator,
                    strategies: strategy_list.clone(),
                },
            )
            .await?;
        let maxes = self
            .view(
                self.am,
                IAllocationManager::getMaxMagnitudes_0Call {
                    operator,
                    strategies: strategy_list.clone(),
                },
            )
            .await?;
        let mut strategies = Vec::new();
        let mut refs = std::collections::BTreeMap::new();
        for (i, st) in strategy_list.iter().enumerate() {
            let s = self.strategy(*st).await;
            refs.insert(*st, s.clone());
            let held = shares.get(i).copied().unwrap_or_default();
            let encumbered = self
                .view(
                    self.am,
                    IAllocationManager::getEncumberedMagnitudeCall {
                        operator,
                        strategy: *st,
                    },
                )
                .await?;
            let allocatable = self
                .view(
                    self.am,
                    IAllocationManager::getAllocatableMagnitudeCall {
                        operator,
                        strategy: *st,
                    },
                )
                .await?;
            if held.is_zero() && encumbered == 0 && *st == BEACON_ETH {
                continue;
            }
            strategies.push(OperatorStrategy {
                delegated_shares: self.shares(&s, held),
                delegated_value: self.value(&s, held).await,
                max_magnitude: wad(U256::from(maxes.get(i).copied().unwrap_or_default())),
                encumbered_magnitude: wad(U256::from(encumbered)),
                allocatable_magnitude: wad(U256::from(allocatable)),
                strategy: s,
            });
        }
        let mut allocations = Vec::new();
        for (set, sts) in per_set {
            let id = SetId {
                avs: set.avs,
                id: set.id,
            };
            let slashable = self
                .view(
                    self.am,
                    IAllocationManager::isOperatorSlashableCall {
                        operator,
                        operatorSet: set.clone(),
                    },
                )
                .await?;
            let stake = self
                .view(
                    self.am,
                    IAllocationManager::getAllocatedStakeCall {
                        operatorSet: set.clone(),
                        operators: vec![operator],
                        strategies: sts.clone(),
                    },
                )
                .await?;
            for (j, st) in sts.iter().enumerate() {
                let a = self
                    .view(
                        self.am,
                        IAllocationManager::getAllocationCall {
                            operator,
                            operatorSet: set.clone(),
                            strategy: *st,
                        },
                    )
                    .await?;
                let s = match refs.get(st) {
                    Some(s) => s.clone(),
                    None => self.strategy(*st).await,
                };
                let at_stake = stake
                    .first()
                    .and_then(|r| r.get(j))
                    .copied()
                    .unwrap_or_default();
                allocations.push(AllocationRow {
                    set: id,
                    registered: registered.contains(&id),
                    slashable,
                    current_magnitude: wad(U256::from(a.currentMagnitude)),
                    pending_diff: signed_wad(a.pendingDiff),
                    effect_block: a.effectBlock,
                    slashable_shares: self.shares(&s, at_stake),
                    slashable_value: self.value(&s, at_stake).await,
                    strategy: s,
                });
            }
        }
        Ok(OperatorReport {
            operator,
            block: self.block,
            allocation_delay: delay.isSet.then_some(delay.delay),
            strategies,
            registered_sets: registered,
            allocations,
        })
    }

    async fn avs(&self, avs: Address, only: Option<u32>) -> Result<AvsReport> {
        let count = self
            .view(self.am, IAllocationManager::getOperatorSetCountCall { avs })
            .await?;
        if count.is_zero() {
            bail!("{avs} has created no operator set");
        }
        // No view lists an AVS's set ids: they come from `OperatorSetCreated`.
        let mut ids: Vec<u32> = match only {
            Some(id) => vec![id],
            None => self
                .logs::<IAllocationManager::OperatorSetCreated>(self.am)
                .await?
                .into_iter()
                .filter(|e| e.operatorSet.avs == avs)
                .map(|e| e.operatorSet.id)
                .collect(),
        };
        ids.sort_unstable();
        ids.dedup();
        let mut sets = Vec::new();
        for id in ids {
            let set = OperatorSet { avs, id };
            let exists = self
                .view(
                    self.am,
                    IAllocationManager::isOperatorSetCall {
                        operatorSet: set.clone(),
                    },
                )
                .await?;
            if !exists {
                bail!("{avs} has no operator set {id}");
            }
            let strategy_list = self
                .view(
                    self.am,
                    IAllocationManager::getStrategiesInOperatorSetCall {
                        operatorSet: set.clone(),
                    },
                )
                .await?;
            let mut strategies = Vec::new();
            for st in &strategy_list {
                strategies.push(self.strategy(*st).await);
            }
            let operators = self
                .view(
                    self.am,
                    IAllocationManager::getMembersCall {
                        operatorSet: set.clone(),
                    },
                )
                .await?;
            let stake = if operators.is_empty() || strategy_list.is_empty() {
                Vec::new()
            } else {
                self.view(
                    self.am,
                    IAllocationManager::getAllocatedStakeCall {
                        operatorSet: set.clone(),
                        operators: operators.clone(),
                        strategies: strategy_list.clone(),
                    },
                )
                .await?
            };
            let mut members = Vec::new();
            for (i, op) in operators.iter().enumerate() {
                let mut slashable = Vec::new();
                for (j, s) in strategies.iter().enumerate() {
                    let x = stake
                        .get(i)
                        .and_then(|r| r.get(j))
                        .copied()
                        .unwrap_or_default();
                    slashable.push((s.clone(), self.shares(s, x), self.value(s, x).await));
                }
                members.push(MemberStake {
                    operator: *op,
                    slashable,
                });
            }
            let g = self
                .view(
                    self.am,
                    IAllocationManager::getSlashingGuardCall {
                        operatorSet: set.clone(),
                    },
                )
                .await?;
            let guard =
                (g.maxWadPerIncident != 0 || g.vetoWindowBlocks != 0 || !g.resolver.is_zero())
                    .then(|| Guard {
                        max_wad_per_incident: wad(U256::from(g.maxWadPerIncident)),
                        veto_window_blocks: g.vetoWindowBlocks,
                        resolver: g.resolver,
                    });
            // Queued slashes are numbered from 1; the first empty id ends the list.
            let mut queued_slashes = Vec::new();
            if guard.is_some() {
                for qid in 1u64.. {
                    let q = self
                        .view(
                            self.am,
                            IAllocationManager::getQueuedSlashCall {
                                operatorSet: set.clone(),
                                queuedSlashId: U256::from(qid),
                            },
                        )
                        .await?;
                    if q.paramsHash.is_zero() {
                        break;
                    }
                    queued_slashes.push(QueuedSlash {
                        id: qid,
                        executable_at_block: q.executableAtBlock,
                        vetoed: q.vetoed,
                        executed: q.executed,
                        params_hash: q.paramsHash.to_string(),
                    });
                }
            }
            sets.push(SetReport {
                id,
                strategies,
                members,
                slash_count: self
                    .view(
                        self.am,
                        IAllocationManager::getSlashCountCall {
                            operatorSet: set.clone(),
                        },
                    )
                    .await?
                    .to_string(),
                redistributing: self
                    .view(
                        self.am,
                        IAllocationManager::isRedistributingOperatorSetCall {
                            operatorSet: set.clone(),
                        },
                    )
                    .await?,
                redistribution_recipient: self
                    .view(
                        self.am,
                        IAllocationManager::getRedistributionRecipientCall {
                            operatorSet: set.clone(),
                        },
                    )
                    .await?,
                guard,
                queued_slashes,
            });
        }
        Ok(AvsReport {
            avs,
            block: self.block,
            operator_set_count: count.to_string(),
            sets,
        })
    }

    async fn vault(&self, vault: Address) -> Result<VaultReport> {
        if self.code(vault).await?.is_empty() {
            bail!("{vault} has no code: not an LRT vault");
        }
        let asset = self
            .try_view(vault, ILrtVault::assetCall {})
            .await
            .map_err(|_| anyhow!("{vault} is not an LRT vault (asset() failed)"))?;
        let nav = self
            .try_view(vault, ILrtVault::navBreakdownCall {})
            .await
            .map_err(|_| anyhow!("{vault} is not an LRT vault (navBreakdown() failed)"))?;
        let asset = self.token(asset).await;
        let decimals = self.view(vault, ILrtVault::decimalsCall {}).await?;
        let share_symbol = self.view(vault, ILrtVault::symbolCall {}).await?;
        let amount = |x: U256| Amount::new(x, asset.decimals, &asset.symbol);
        let total_assets = self.view(vault, ILrtVault::totalAssetsCall {}).await?;
        let total_supply = self.view(vault, ILrtVault::totalSupplyCall {}).await?;
        let rate = self.view(vault, ILrtVault::getRateCall {}).await?;
        // Limits: the last `ExposureLimitsSet`, else what the deployment initialized them to.
        let limits = match self
            .logs::<ILrtVault::ExposureLimitsSet>(vault)
            .await?
            .last()
        {
            Some(e) => Limits {
                max_operator_bips: e.maxOperatorBips,
                max_operator_set_bips: e.maxOperatorSetBips,
                source: "ExposureLimitsSet event".into(),
            },
            None => {
                let p = ferrostake_deploy::lrt::params();
                Limits {
                    max_operator_bips: p.maxOperatorBips,
                    max_operator_set_bips: p.maxOperatorSetBips,
                    source: "initialized by the deployment".into(),
                }
            }
        };
        let bips = |x: U256| -> u64 {
            if total_assets.is_zero() {
                return 0;
            }
            (x * U256::from(BPS) / total_assets).saturating_to()
        };
        let within = |x: U256, limit: u16| x * U256::from(BPS) <= total_assets * U256::from(limit);
        let weights = self
            .logs::<ILrtVault::OperatorWeightsSet>(vault)
            .await?
            .pop();
        let mut operators = Vec::new();
        if let Some(w) = weights {
            for (op, weight) in w.operators.iter().zip(w.weightsBips.iter()) {
                let delegator = self
                    .view(vault, ILrtVault::delegatorOfCall { operator: *op })
                    .await?;
                let mut value = U256::ZERO;
                if !delegator.is_zero() {
                    let deposits = self
                        .view(
                            self.sm,
                            IStrategyManager::getDepositsCall { staker: delegator },
                        )
                        .await?;
                    let ws = self
                        .view(
                            self.dm,
                            IDelegationManager::getWithdrawableSharesCall {
                                staker: delegator,
                                strategies: deposits._0.clone(),
                            },
                        )
                        .await?;
                    for (st, shares) in deposits._0.iter().zip(ws.withdrawableShares.iter()) {
                        let s = self.strategy(*st).await;
                        value += self.value(&s, *shares).await.value();
                    }
                }
                operators.push(OperatorExposure {
                    operator: *op,
                    weight_bips: *weight,
                    delegator,
                    value: amount(value),
                    bips_of_nav: bips(value),
                    within_limit: within(value, limits.max_operator_bips),
                });
            }
        }
        let exposure = self
            .view(vault, ILrtVault::slashableExposureCall {})
            .await?;
        let operator_sets = exposure
            .avss
            .iter()
            .zip(exposure.operatorSetIds.iter())
            .zip(exposure.slashableAssets.iter())
            .map(|((avs, id), x)| SetExposure {
                set: SetId { avs: *avs, id: *id },
                slashable: amount(*x),
                bips_of_nav: bips(*x),
                within_limit: within(*x, limits.max_operator_set_bips),
            })
            .collect();
        let mut ids: Vec<U256> = self
            .logs::<ILrtVault::RedeemRequest>(vault)
            .await?
            .into_iter()
            .map(|e| e.requestId)
            .collect();
        ids.sort();
        ids.dedup();
        let mut requests = Vec::new();
        for id in ids {
            let r = self
                .view(vault, ILrtVault::requestInfoCall { requestId: id })
                .await?;
            requests.push(Request {
                id: id.to_string(),
                controller: r.controller,
                shares: Amount::new(r.shares, decimals, &share_symbol),
                assets_at_request: amount(r.assetsAtRequest),
                finalized: r.finalized,
            });
        }
        let now = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .ok()
            .flatten()
            .map(|b| b.header.timestamp)
            .unwrap_or_default();
        let mut paused = Vec::new();
        for (i, action) in ["deposit", "request", "claim", "allocate"]
            .iter()
            .enumerate()
        {
            let until = self
                .view(vault, ILrtVault::pausedUntilCall { action: i as u8 })
                .await?;
            if until > now {
                paused.push((action.to_string(), until));
            }
        }
        Ok(VaultReport {
            vault,
            block: self.block,
            name: self.view(vault, ILrtVault::nameCall {}).await?,
            total_supply: Amount::new(total_supply, decimals, &share_symbol),
            share_symbol,
            total_assets: amount(total_assets),
            nav_book: amount(nav.book),
            nav_live: amount(nav.live),
            idle: amount(nav.idle),
            liabilities: amount(nav.liabilities),
            rate: amount(rate),
            asset,
            limits,
            operators,
            operator_sets,
            requests,
            paused,
        })
    }
}

fn signed_wad(x: i128) -> String {
    if x < 0 {
        format!("-{}", wad(U256::from(x.unsigned_abs())))
    } else {
        wad(U256::from(x as u128))
    }
}

/// A plain text table: a header row, then rows, columns padded to their widest cell.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        out.push_str("  (none)\n");
        return;
    }
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut l = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let pad = w[i] - c.chars().count();
            l.push(' ');
            l.push_str(c);
            l.push_str(&" ".repeat(pad));
            l.push_str(" │");
        }
        l.pop();
        l.pop();
        l.trim_end().to_string() + "\n"
    };
    out.push_str(&line(header.to_vec()));
    let total: usize = w.iter().sum::<usize>() + 3 * w.len();
    out.push_str(&format!("  {}\n", "─".repeat(total.saturating_sub(2))));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
}

fn short(a: &Address) -> String {
    a.to_string()
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as text tables.
    pub fn to_table(&self) -> String {
        let mut o = String::new();
        match self {
            Report::Staker(r) => {
                let _ = writeln!(o, "Staker {} (block {})", r.staker, r.block);
                let _ = writeln!(
                    o,
                    "Delegated to: {}\n",
                    if r.delegated_to.is_zero() {
                        "nobody".to_string()
                    } else {
                        r.delegated_to.to_string()
                    }
                );
                o.push_str("Positions\n");
                let rows: Vec<Vec<String>> = r
                    .positions
                    .iter()
                    .map(|p| {
                        vec![
                            format!(
                                "{} ({})",
                                short(&p.strategy.strategy),
                                p.strategy.token.symbol
                            ),
                            p.deposit_shares.display.clone(),
                            p.withdrawable_shares.display.clone(),
                            p.withdrawable_value.display.clone(),
                            p.deposit_scaling_factor.clone(),
                            p.operator_max_magnitude.clone(),
                            p.beacon_chain_slashing_factor
                                .clone()
                                .unwrap_or_else(|| "—".into()),
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &[
                        "strategy",
                        "deposit shares",
                        "withdrawable",
                        "value",
                        "k (dsf)",
                        "operator max magnitude",
                        "beacon factor",
                    ],
                    &rows,
                );
                o.push_str("\nQueued withdrawals\n");
                let rows: Vec<Vec<String>> = r
                    .queued_withdrawals
                    .iter()
                    .flat_map(|w| {
                        w.shares.iter().map(move |(s, a)| {
                            vec![
                                w.root.clone(),
                                s.token.symbol.clone(),
                                a.display.clone(),
                                w.start_block.to_string(),
                                w.unlock_block.to_string(),
                                if w.completable { "yes" } else { "no" }.into(),
                            ]
                        })
                    })
                    .collect();
                table(
                    &mut o,
                    &[
                        "root",
                        "token",
                        "shares",
                        "queued at",
                        "unlocks at block",
                        "completable",
                    ],
                    &rows,
                );
                o.push_str("\nEigenPod\n");
                match &r.pod {
                    None => o.push_str("  (none)\n"),
                    Some(p) => {
                        let rows = vec![
                            vec!["address".into(), p.address.to_string()],
                            vec!["deposit shares (wei)".into(), p.deposit_shares_wei.clone()],
                            vec![
                                "beacon-chain slashing factor".into(),
                                p.beacon_chain_slashing_factor.clone(),
                            ],
                            vec!["active validators".into(), p.active_validators.clone()],
                            vec![
                                "last checkpoint".into(),
                                p.last_checkpoint_timestamp.to_string(),
                            ],
                            vec![
                                "checkpoint in progress".into(),
                                if p.current_checkpoint_timestamp == 0 {
                                    "no".into()
                                } else {
                                    format!(
                                        "since {} ({} proofs to go)",
                                        p.current_checkpoint_timestamp,
                                        p.checkpoint_proofs_remaining
                                    )
                                },
                            ],
                            vec![
                                "withdrawable restaked ETH".into(),
                                p.withdrawable_restaked_execution_layer.display.clone(),
                            ],
                        ];
                        table(&mut o, &["", ""], &rows);
                    }
                }
            }
            Report::Operator(r) => {
                let _ = writeln!(o, "Operator {} (block {})", r.operator, r.block);
                let _ = writeln!(
                    o,
                    "Allocation delay: {}\n",
                    r.allocation_delay
                        .map(|d| format!("{d} blocks"))
                        .unwrap_or_else(|| "not set".into())
                );
                o.push_str("Shares and magnitudes\n");
                let rows: Vec<Vec<String>> = r
                    .strategies
                    .iter()
                    .map(|s| {
                        vec![
                            format!(
                                "{} ({})",
                                short(&s.strategy.strategy),
                                s.strategy.token.symbol
                            ),
                            s.delegated_shares.display.clone(),
                            s.delegated_value.display.clone(),
                            s.max_magnitude.clone(),
                            s.encumbered_magnitude.clone(),
                            s.allocatable_magnitude.clone(),
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &[
                        "strategy",
                        "delegated",
                        "value",
                        "max",
                        "encumbered",
                        "allocatable",
                    ],
                    &rows,
                );
                o.push_str("\nRegistered operator sets\n");
                let rows: Vec<Vec<String>> = r
                    .registered_sets
                    .iter()
                    .map(|s| vec![s.avs.to_string(), s.id.to_string()])
                    .collect();
                table(&mut o, &["AVS", "set"], &rows);
                o.push_str("\nAllocations (stake slashable by each AVS)\n");
                let rows: Vec<Vec<String>> = r
                    .allocations
                    .iter()
                    .map(|a| {
                        vec![
                            format!("{}#{}", a.set.avs, a.set.id),
                            a.strategy.token.symbol.clone(),
                            a.current_magnitude.clone(),
                            if a.pending_diff == "0" {
                                "—".into()
                            } else {
                                format!("{} at block {}", a.pending_diff, a.effect_block)
                            },
                            a.slashable_value.display.clone(),
                            if a.slashable { "yes" } else { "no" }.into(),
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &[
                        "set",
                        "token",
                        "magnitude",
                        "pending",
                        "slashable now",
                        "slashable",
                    ],
                    &rows,
                );
            }
            Report::Avs(r) => {
                let _ = writeln!(
                    o,
                    "AVS {} (block {}): {} operator set(s)",
                    r.avs, r.block, r.operator_set_count
                );
                for s in &r.sets {
                    let _ = writeln!(
                        o,
                        "\nOperator set {} — {} slash(es){}",
                        s.id,
                        s.slash_count,
                        if s.redistributing {
                            format!(", redistributes to {}", s.redistribution_recipient)
                        } else {
                            String::new()
                        }
                    );
                    match &s.guard {
                        None => o.push_str("Guard: none\n"),
                        Some(g) => {
                            let _ = writeln!(
                                o,
                                "Guard: at most {} per incident, {} blocks veto window, resolver {}",
                                g.max_wad_per_incident, g.veto_window_blocks, g.resolver
                            );
                        }
                    }
                    let rows: Vec<Vec<String>> = s
                        .members
                        .iter()
                        .flat_map(|m| {
                            m.slashable.iter().map(move |(st, sh, v)| {
                                vec![
                                    m.operator.to_string(),
                                    st.token.symbol.clone(),
                                    sh.display.clone(),
                                    v.display.clone(),
                                ]
                            })
                        })
                        .collect();
                    table(
                        &mut o,
                        &["operator", "token", "slashable shares", "value"],
                        &rows,
                    );
                    if s.guard.is_some() {
                        o.push_str("Queued slashes\n");
                        let rows: Vec<Vec<String>> = s
                            .queued_slashes
                            .iter()
                            .map(|q| {
                                vec![
                                    q.id.to_string(),
                                    q.executable_at_block.to_string(),
                                    if q.executed {
                                        "executed"
                                    } else if q.vetoed {
                                        "vetoed"
                                    } else {
                                        "waiting"
                                    }
                                    .into(),
                                ]
                            })
                            .collect();
                        table(&mut o, &["id", "executable at block", "state"], &rows);
                    }
                }
            }
            Report::Vault(r) => {
                let _ = writeln!(
                    o,
                    "Vault {} {} ({}) over {} (block {})\n",
                    r.vault, r.name, r.share_symbol, r.asset.symbol, r.block
                );
                let rows = vec![
                    vec!["total assets (NAV)".into(), r.total_assets.display.clone()],
                    vec!["NAV booked".into(), r.nav_book.display.clone()],
                    vec!["NAV measured (live)".into(), r.nav_live.display.clone()],
                    vec!["idle".into(), r.idle.display.clone()],
                    vec![
                        "liabilities (finalized, unclaimed)".into(),
                        r.liabilities.display.clone(),
                    ],
                    vec!["supply".into(), r.total_supply.display.clone()],
                    vec![
                        format!("rate ({} per 1 {})", r.asset.symbol, r.share_symbol),
                        r.rate.display.clone(),
                    ],
                ];
                table(&mut o, &["", ""], &rows);
                let _ = writeln!(
                    o,
                    "\nExposure per operator (limit {} bps of NAV; {})",
                    r.limits.max_operator_bips, r.limits.source
                );
                let rows: Vec<Vec<String>> = r
                    .operators
                    .iter()
                    .map(|e| {
                        vec![
                            e.operator.to_string(),
                            e.weight_bips.to_string(),
                            e.value.display.clone(),
                            e.bips_of_nav.to_string(),
                            if e.within_limit { "within" } else { "OVER" }.into(),
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &["operator", "weight bps", "value", "bps of NAV", "limit"],
                    &rows,
                );
                let _ = writeln!(
                    o,
                    "\nExposure per AVS operator set (limit {} bps of NAV)",
                    r.limits.max_operator_set_bips
                );
                let rows: Vec<Vec<String>> = r
                    .operator_sets
                    .iter()
                    .map(|e| {
                        vec![
                            format!("{}#{}", e.set.avs, e.set.id),
                            e.slashable.display.clone(),
                            e.bips_of_nav.to_string(),
                            if e.within_limit { "within" } else { "OVER" }.into(),
                        ]
                    })
                    .collect();
                table(&mut o, &["set", "slashable", "bps of NAV", "limit"], &rows);
                o.push_str("\nRedemption requests\n");
                let rows: Vec<Vec<String>> = r
                    .requests
                    .iter()
                    .map(|q| {
                        vec![
                            q.id.clone(),
                            q.controller.to_string(),
                            q.shares.display.clone(),
                            q.assets_at_request.display.clone(),
                            if q.finalized { "finalized" } else { "pending" }.into(),
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &["id", "controller", "shares", "value at request", "state"],
                    &rows,
                );
                if !r.paused.is_empty() {
                    o.push_str("\nPaused\n");
                    let rows: Vec<Vec<String>> = r
                        .paused
                        .iter()
                        .map(|(a, u)| vec![a.clone(), u.to_string()])
                        .collect();
                    table(&mut o, &["action", "until (timestamp)"], &rows);
                }
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_place_the_decimal_point() {
        assert_eq!(format_units(U256::from(1_500_000u64), 6), "1.5");
        assert_eq!(format_units(U256::from(7u64), 18), "0.000000000000000007");
        assert_eq!(format_units(U256::from(WAD) * U256::from(3u8), 18), "3");
        assert_eq!(format_units(U256::ZERO, 18), "0");
        assert_eq!(format_units(U256::from(42u8), 0), "42");
        assert_eq!(signed_wad(-(WAD as i128) / 4), "-0.25");
    }

    #[test]
    fn bad_addresses_and_kinds_are_one_line_errors() {
        for (kind, addr) in [
            ("staker", "0x12"),
            ("vault", "alice"),
            ("pool", "0x0000000000000000000000000000000000000001"),
        ] {
            let e = Query::parse(kind, addr, None).unwrap_err().to_string();
            assert!(!e.contains('\n'), "{e}");
        }
        assert!(Query::parse(
            "staker",
            "0x0000000000000000000000000000000000000001",
            Some(1)
        )
        .is_err());
        assert!(matches!(
            Query::parse("avs", "0x0000000000000000000000000000000000000001", Some(3)).unwrap(),
            Query::Avs(_, Some(3))
        ));
    }
}
