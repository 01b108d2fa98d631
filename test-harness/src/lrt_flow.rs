//! The LRT vault's user and keeper steps over any chain handle ([`LrtChain`]): deposit, operator
//! weights (the vault's delegators delegate), allocation, `requestRedeem`, finalization, claims,
//! NAV sync and unstaking. Each step returns what it produced and the gas it used, so the demo
//! and the devnode tests share one implementation.
//!
//! [`LrtChain`] is implemented for the in-process [`Suite`]; a JSON-RPC client implements it with
//! two methods (send a transaction from an unlocked sender, `eth_call`).

use alloy::primitives::{Address, Bytes, U256};
use alloy::sol_types::SolCall;
use anyhow::{anyhow, bail, Context, Result};
use ferrostake_deploy::abi::{IDelegationManager, ILrtVault, Withdrawal, IERC20};
use ferrostake_deploy::lrt;
use ferrostake_deploy::manifest::Manifest;

use crate::suite::{error_name, Outcome, Suite};

/// A chain the steps run on.
pub trait LrtChain {
    /// Sends `data` from `from` to `to`, mined; a revert is an `Ok` outcome with `status == false`.
    fn send_tx(&self, from: Address, to: Address, data: Vec<u8>) -> Result<Outcome>;
    /// `eth_call` of `data` on `to`: the output, or an error naming the revert.
    fn read(&self, to: Address, data: Vec<u8>) -> Result<Bytes>;
}

impl LrtChain for Suite {
    fn send_tx(&self, from: Address, to: Address, data: Vec<u8>) -> Result<Outcome> {
        self.send_raw(from, to, data)
    }

    fn read(&self, to: Address, data: Vec<u8>) -> Result<Bytes> {
        match self.call_raw(Address::ZERO, to, data)? {
            Ok(out) => Ok(out),
            Err(data) => bail!(
                "read reverted with {} (0x{})",
                data.get(..4)
                    .and_then(|s| error_name([s[0], s[1], s[2], s[3]]))
                    .unwrap_or("unknown data"),
                hex::encode(&data)
            ),
        }
    }
}

/// The deployed vault: its proxy, asset, strategy and delegators (from the manifest).
#[derive(Clone, Debug)]
pub struct Lrt {
    /// The vault (its proxy).
    pub vault: Address,
    /// The base asset.
    pub asset: Address,
    /// The strategy the vault restakes.
    pub strategy: Address,
    /// The delegators (staker accounts), in manifest order.
    pub delegators: Vec<Address>,
    /// The DelegationManager.
    pub delegation_manager: Address,
}

/// A redemption request as the vault recorded it.
#[derive(Clone, Debug)]
pub struct Request {
    /// Its id.
    pub id: U256,
    /// Shares escrowed.
    pub shares: U256,
    /// Their value at request time.
    pub assets_at_request: U256,
    /// Gas of `requestRedeem`.
    pub gas: u64,
}

impl Lrt {
    /// The vault of a suite deployment.
    pub fn from_manifest(m: &Manifest) -> Result<Self> {
        let proxy = |n: &str| m.proxy(n).ok_or_else(|| anyhow!("no {n} in the manifest"));
        Ok(Self {
            vault: proxy(lrt::VAULT)?,
            asset: m
                .addresses
                .get(lrt::ASSET_TOKEN)
                .copied()
                .ok_or_else(|| anyhow!("no {} in the manifest", lrt::ASSET_TOKEN))?,
            strategy: proxy(&ferrostake_deploy::suite::strategy_name(lrt::ASSET_TOKEN))?,
            delegators: (0..lrt::DELEGATORS)
                .map(|i| proxy(&lrt::delegator_name(i)))
                .collect::<Result<_>>()?,
            delegation_manager: proxy(ferrostake_deploy::suite::names::DELEGATION_MANAGER)?,
        })
    }

    /// A typed read of `to`.
    pub fn read<C: SolCall>(&self, c: &impl LrtChain, to: Address, call: C) -> Result<C::Return> {
        let out = c.read(to, call.abi_encode())?;
        C::abi_decode_returns(&out).with_context(|| format!("decode {}", C::SIGNATURE))
    }

    /// A typed read of the vault.
    pub fn view<C: SolCall>(&self, c: &impl LrtChain, call: C) -> Result<C::Return> {
        self.read(c, self.vault, call)
    }

    /// Sends `call` to the vault from `from`; fails (naming the error) when it reverts.
    pub fn send<C: SolCall>(&self, c: &impl LrtChain, from: Address, call: C) -> Result<Outcome> {
        c.send_tx(from, self.vault, call.abi_encode())?
            .ok()
            .with_context(|| format!("{} from {from}", C::SIGNATURE))
    }

    /// Sends `call` to the vault from `from`, whatever the outcome.
    pub fn try_send<C: SolCall>(
        &self,
        c: &impl LrtChain,
        from: Address,
        call: C,
    ) -> Result<Outcome> {
        c.send_tx(from, self.vault, call.abi_encode())
    }

    /// The manager's operators and target weights (new operators get a delegator, which
    /// delegates to them). Returns the gas.
    pub fn set_operator_weights(
        &self,
        c: &impl LrtChain,
        manager: Address,
        operators: Vec<Address>,
        weights_bips: Vec<u16>,
    ) -> Result<u64> {
        let o = self.send(
            c,
            manager,
            ILrtVault::setOperatorWeightsCall {
                operators,
                weightsBips: weights_bips,
            },
        )?;
        Ok(o.gas_used)
    }

    /// Approves the vault for `assets` of the asset (when the allowance is short).
    pub fn approve(&self, c: &impl LrtChain, user: Address, assets: U256) -> Result<()> {
        let allowance = self.read(
            c,
            self.asset,
            IERC20::allowanceCall {
                owner: user,
                spender: self.vault,
            },
        )?;
        if allowance < assets {
            c.send_tx(
                user,
                self.asset,
                IERC20::approveCall {
                    spender: self.vault,
                    value: U256::MAX,
                }
                .abi_encode(),
            )?
            .ok()
            .context("approve the vault")?;
        }
        Ok(())
    }

    /// `deposit(assets, user)` (approving first when needed): the shares minted and the gas.
    pub fn deposit(&self, c: &impl LrtChain, user: Address, assets: U256) -> Result<(U256, u64)> {
        self.approve(c, user, assets)?;
        let o = self.send(
            c,
            user,
            ILrtVault::depositCall {
                assets,
                receiver: user,
            },
        )?;
        Ok((o.returns::<ILrtVault::depositCall>()?, o.gas_used))
    }

    /// The keeper restakes `assets` of idle assets by weight. Returns the gas.
    pub fn allocate(&self, c: &impl LrtChain, keeper: Address, assets: U256) -> Result<u64> {
        Ok(self
            .send(c, keeper, ILrtVault::allocateCall { assets })?
            .gas_used)
    }

    /// `requestRedeem(shares, user, user)`.
    pub fn request_redeem(
        &self,
        c: &impl LrtChain,
        user: Address,
        shares: U256,
    ) -> Result<Request> {
        let o = self.send(
            c,
            user,
            ILrtVault::requestRedeemCall {
                shares,
                controller: user,
                owner: user,
            },
        )?;
        let id = o.returns::<ILrtVault::requestRedeemCall>()?;
        let info = self.view(c, ILrtVault::requestInfoCall { requestId: id })?;
        Ok(Request {
            id,
            shares: info.shares,
            assets_at_request: info.assetsAtRequest,
            gas: o.gas_used,
        })
    }

    /// The keeper finalizes every request up to `up_to`. Returns the gas.
    pub fn finalize(&self, c: &impl LrtChain, keeper: Address, up_to: U256) -> Result<u64> {
        Ok(self
            .send(
                c,
                keeper,
                ILrtVault::finalizeRequestsCall {
                    upToRequestId: up_to,
                },
            )?
            .gas_used)
    }

    /// `user` claims everything it may (`redeem(maxRedeem)` to itself): the assets paid and the
    /// gas.
    pub fn claim(&self, c: &impl LrtChain, user: Address) -> Result<(U256, u64)> {
        let shares = self.view(c, ILrtVault::maxRedeemCall { controller: user })?;
        let o = self.send(
            c,
            user,
            ILrtVault::redeemCall {
                shares,
                receiver: user,
                controller: user,
            },
        )?;
        Ok((o.returns::<ILrtVault::redeemCall>()?, o.gas_used))
    }

    /// `syncNav()` from `who`: the booked NAV and the gas.
    pub fn sync(&self, c: &impl LrtChain, who: Address) -> Result<(U256, u64)> {
        let o = self.send(c, who, ILrtVault::syncNavCall {})?;
        Ok((o.returns::<ILrtVault::syncNavCall>()?, o.gas_used))
    }

    /// The keeper queues a core withdrawal of `deposit_shares` from `operator`'s delegator: the
    /// withdrawal (from the DelegationManager's event) and the gas.
    pub fn queue_unstake(
        &self,
        c: &impl LrtChain,
        keeper: Address,
        operator: Address,
        deposit_shares: U256,
    ) -> Result<(Withdrawal, u64)> {
        let o = self.send(
            c,
            keeper,
            ILrtVault::queueUnstakeCall {
                operator,
                depositShares: deposit_shares,
            },
        )?;
        let queued = o
            .events::<IDelegationManager::SlashingWithdrawalQueued>()
            .into_iter()
            .next()
            .context("SlashingWithdrawalQueued event")?;
        Ok((queued.withdrawal, o.gas_used))
    }

    /// Completes a matured unstake into the vault's idle assets: the assets and the gas.
    pub fn complete_unstake(
        &self,
        c: &impl LrtChain,
        who: Address,
        operator: Address,
        withdrawal: Withdrawal,
    ) -> Result<(U256, u64)> {
        let o = self.send(
            c,
            who,
            ILrtVault::completeUnstakeCall {
                operator,
                withdrawal,
            },
        )?;
        Ok((o.returns::<ILrtVault::completeUnstakeCall>()?, o.gas_used))
    }

    /// `getRate()`.
    pub fn rate(&self, c: &impl LrtChain) -> Result<U256> {
        self.view(c, ILrtVault::getRateCall {})
    }

    /// `(totalAssets, totalSupply)`.
    pub fn totals(&self, c: &impl LrtChain) -> Result<(U256, U256)> {
        Ok((
            self.view(c, ILrtVault::totalAssetsCall {})?,
            self.view(c, ILrtVault::totalSupplyCall {})?,
        ))
    }
}

/// Gas of the vault's operations on the devnode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LrtGas {
    /// `deposit` into an empty vault with no operator yet (NAV = idle assets).
    pub first_deposit: u64,
    /// `setOperatorWeights` of two new operators (each delegator delegates).
    pub set_operator_weights: u64,
    /// `allocate` across two operators (deposits into the StrategyManager + exposure checks).
    pub allocate: u64,
    /// `deposit` with two operators restaked (NAV read from the DelegationManager).
    pub deposit: u64,
    /// `requestRedeem` with two operators restaked.
    pub request_redeem: u64,
    /// `finalizeRequests` of one request (keeper).
    pub finalize: u64,
    /// `redeem` of a finalized request.
    pub redeem: u64,
}

/// Measures [`LrtGas`] on `suite` (operators registered by [`Suite::setup_operators`]), with
/// every program of the manifest cached through ArbWasmCache first when `cached` — for
/// `scripts/bench` and the demo. Leaves the state changed (reset the suite after).
pub fn measure_gas(suite: &Suite, cached: bool) -> Result<LrtGas> {
    if cached {
        suite.cache_programs()?;
    }
    suite.setup_operators()?;
    let lrt = Lrt::from_manifest(&suite.manifest)?;
    let (alice, bob) = (suite.actors.stakers[0], suite.actors.stakers[1]);
    let manager = suite.actors.deployer;
    let one = U256::from(10u64).pow(U256::from(18u8));
    lrt.approve(suite, alice, one)?;
    lrt.approve(suite, bob, one)?;
    let (shares, first_deposit) = lrt.deposit(suite, alice, one * U256::from(10u8))?;
    let set_operator_weights = lrt.set_operator_weights(
        suite,
        manager,
        suite.actors.operators[..2].to_vec(),
        vec![5_000, 5_000],
    )?;
    let allocate = lrt.allocate(suite, manager, one * U256::from(8u8))?;
    let (_, deposit) = lrt.deposit(suite, bob, one * U256::from(5u8))?;
    let req = lrt.request_redeem(suite, alice, shares / U256::from(4u8))?;
    let finalize = lrt.finalize(suite, manager, req.id)?;
    let (_, redeem) = lrt.claim(suite, alice)?;
    Ok(LrtGas {
        first_deposit,
        set_operator_weights,
        allocate,
        deposit,
        request_redeem: req.gas,
        finalize,
        redeem,
    })
}
