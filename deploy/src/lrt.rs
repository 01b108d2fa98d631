//! The LRT vault in the suite (`contracts/lrt-vault`): its five programs, one proxy for the vault
//! and one per delegator (the vault's staker accounts, one per operator), their initializers and
//! the read-back.
//!
//! Order (every step idempotent, as the rest of the suite):
//! 1. the programs — core, admin, ops, restake and delegator — are deployed with the suite's;
//! 2. after the strategies exist (the vault restakes the `test_erc20` strategy), proxies for the
//!    vault ([`VAULT`]) and [`DELEGATORS`] delegators ([`delegator_name`]) are created at the
//!    placeholder, so every address is known before anything is initialized;
//! 3. each delegator's proxy is pointed at the delegator program and initialized with the vault's
//!    address in one `upgradeToAndCall` (the vault's initializer checks that every delegator names
//!    it);
//! 4. the vault's proxy is pointed at the core program and initialized in one `upgradeToAndCall`;
//!    before initialization the core forwards `initialize` to the admin program named in its own
//!    calldata, which records the admin, ops and restake programs;
//! 5. when the deployer is the vault's manager, `setRewardsConfig(RewardsCoordinator, 0)`: every
//!    delegator names the vault its claimer there, so the keeper can claim restaking rewards.
//!
//! Roles: the suite's owner is the vault's admin and manager, the deployer its keeper, the first
//! pauser (or the deployer) its guardian, and the fee recipient (or the owner) its treasury.
//! Operators and target weights are the manager's to set (`setOperatorWeights`).

use alloy::primitives::{Address, U256};
use alloy::sol_types::SolCall;

use crate::abi::{ILrtDelegator, ILrtVault};
use crate::chain::{Chain, DeployError};
use crate::config::DeployConfig;
use crate::manifest::Manifest;
use crate::steps::{
    ensure_proxy, names, proxy_implementation, strategy_name, upgrade_and_initialize, ProgramSpec,
    Progress,
};

/// Manifest name of the vault's proxy.
pub const VAULT: &str = "LrtVault";
/// The test token the vault takes as its asset (its strategy is `Strategy_<token>`).
pub const ASSET_TOKEN: &str = "test_erc20";
/// Staker accounts the vault is deployed with (one per operator it can delegate to).
pub const DELEGATORS: usize = 2;
/// The vault's token.
pub const NAME: &str = "Ferrostake Restaked TST";
/// The vault's token symbol.
pub const SYMBOL: &str = "frTST";

/// The core program (the vault's proxy points here).
pub const CORE_PROGRAM: ProgramSpec = ProgramSpec {
    name: "lrt_vault",
    artifact: "ferrostake_lrt_vault.wasm",
};
/// Initialization, roles, parameters, pause.
pub const ADMIN_PROGRAM: ProgramSpec = ProgramSpec {
    name: "lrt_vault_admin",
    artifact: "ferrostake_lrt_vault_admin.wasm",
};
/// NAV sync, redemption queue, unstaking, small views.
pub const OPS_PROGRAM: ProgramSpec = ProgramSpec {
    name: "lrt_vault_ops",
    artifact: "ferrostake_lrt_vault_ops.wasm",
};
/// Operator weights, allocation under the exposure limits, exposure view.
pub const RESTAKE_PROGRAM: ProgramSpec = ProgramSpec {
    name: "lrt_vault_restake",
    artifact: "ferrostake_lrt_vault_restake.wasm",
};
/// The staker account every delegator proxy points at.
pub const DELEGATOR_PROGRAM: ProgramSpec = ProgramSpec {
    name: "lrt_vault_delegator",
    artifact: "ferrostake_lrt_vault_delegator.wasm",
};

/// Every program of the vault, in deployment order.
pub const PROGRAMS: [ProgramSpec; 5] = [
    CORE_PROGRAM,
    ADMIN_PROGRAM,
    OPS_PROGRAM,
    RESTAKE_PROGRAM,
    DELEGATOR_PROGRAM,
];

/// Manifest name of delegator `i`'s proxy.
pub fn delegator_name(i: usize) -> String {
    format!("LrtDelegator{i}")
}

/// The parameters the suite deploys the vault with (see `ILrtVault.LrtVaultParams`).
pub fn params() -> ILrtVault::LrtVaultParams {
    ILrtVault::LrtVaultParams {
        // Immutable ceiling 20%; 10% charged on gains above the high-water mark.
        maxPerformanceFeeBips: 2_000,
        performanceFeeBips: 1_000,
        maxPauseDuration: 7 * 86_400,
        keeperStaleAfter: 3 * 86_400,
        // A sync may raise NAV by at most 5% (rewards, donations); falls are unbounded.
        maxSyncIncreaseBips: 500,
        depositCapPerPeriod: U256::from(10u128.pow(24)),
        period: 86_400,
        // One full share (1e18; with the vault's 1e3 decimals offset about 1e15 wei of the
        // asset at the initial rate): 1,000 shares would be about 1 wei (finding 10).
        minRequest: U256::from(10u128.pow(18)),
        maxRequest: U256::ZERO,
        // One operator may hold at most 70% of NAV; one operator set may slash at most 60%.
        maxOperatorBips: 7_000,
        maxOperatorSetBips: 6_000,
    }
}

/// The vault's addresses and roles for `initialize`.
pub fn addresses(
    manifest: &Manifest,
    config: &DeployConfig,
    deployer: Address,
) -> ILrtVault::LrtVaultAddresses {
    let proxy = |n: &str| manifest.proxy(n).unwrap_or_default();
    let program = |p: &ProgramSpec| {
        manifest
            .programs
            .get(p.name)
            .map(|e| e.address)
            .unwrap_or_default()
    };
    let owner = config.roles.owner.unwrap_or(deployer);
    ILrtVault::LrtVaultAddresses {
        asset: manifest
            .addresses
            .get(ASSET_TOKEN)
            .copied()
            .unwrap_or_default(),
        strategy: proxy(&strategy_name(ASSET_TOKEN)),
        strategyManager: proxy(names::STRATEGY_MANAGER),
        delegationManager: proxy(names::DELEGATION_MANAGER),
        allocationManager: proxy(names::ALLOCATION_MANAGER),
        opsImplementation: program(&OPS_PROGRAM),
        adminImplementation: program(&ADMIN_PROGRAM),
        admin: owner,
        manager: owner,
        guardian: config.roles.pausers.first().copied().unwrap_or(deployer),
        keeper: deployer,
        treasury: config.roles.fee_recipient.unwrap_or(owner),
        restakeImplementation: program(&RESTAKE_PROGRAM),
    }
}

/// The vault's `initialize` calldata.
pub fn initialize_calldata(
    manifest: &Manifest,
    config: &DeployConfig,
    deployer: Address,
) -> Vec<u8> {
    ILrtVault::initializeCall {
        addrs: addresses(manifest, config, deployer),
        params: params(),
        delegators: (0..DELEGATORS)
            .map(|i| manifest.proxy(&delegator_name(i)).unwrap_or_default())
            .collect(),
        name_: NAME.into(),
        symbol_: SYMBOL.into(),
    }
    .abi_encode()
}

/// Proxies for the vault and its delegators, then the delegators' and the vault's initialization.
/// Needs the suite's programs (the vault's included), the core contracts and the strategies.
pub async fn ensure_vault(
    chain: &Chain,
    config: &DeployConfig,
    manifest: &mut Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    let placeholder = manifest
        .addresses
        .get("proxy_placeholder")
        .copied()
        .ok_or_else(|| DeployError::new("LRT vault", "no proxy placeholder in the manifest"))?;
    let admin = config.roles.proxy_admin.unwrap_or(chain.sender());
    let vault = ensure_proxy(
        chain,
        VAULT,
        CORE_PROGRAM.name,
        admin,
        placeholder,
        manifest,
        progress,
    )
    .await?;
    for i in 0..DELEGATORS {
        ensure_proxy(
            chain,
            &delegator_name(i),
            DELEGATOR_PROGRAM.name,
            admin,
            placeholder,
            manifest,
            progress,
        )
        .await?;
    }
    for i in 0..DELEGATORS {
        let init = ILrtDelegator::initializeCall { vault }.abi_encode();
        upgrade_and_initialize(chain, &delegator_name(i), manifest, init, progress).await?;
    }
    let init = initialize_calldata(manifest, config, chain.sender());
    upgrade_and_initialize(chain, VAULT, manifest, init, progress).await?;
    ensure_rewards_config(chain, config, manifest, progress).await
}

/// The vault's restaking rewards: `setRewardsConfig(RewardsCoordinator, 0)` makes every delegator
/// name the vault as its claimer, so the keeper can claim their rewards into the vault. Sent only
/// when the deployer is the vault's manager (otherwise the manager sends it) and not yet set.
pub async fn ensure_rewards_config(
    chain: &Chain,
    config: &DeployConfig,
    manifest: &Manifest,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DeployError> {
    let step = "LRT vault rewards config".to_string();
    let (Some(vault), Some(rc)) = (
        manifest.proxy(VAULT),
        manifest.proxy(names::REWARDS_COORDINATOR),
    ) else {
        return Ok(());
    };
    let manager = config.roles.owner.unwrap_or(chain.sender());
    let current = chain
        .view(&step, vault, &ILrtVault::rewardsConfigCall {})
        .await?;
    let detail = if current.rewardsCoordinator == rc {
        "already configured".to_string()
    } else if manager != chain.sender() {
        format!("left to the manager {manager} (setRewardsConfig)")
    } else {
        let call = ILrtVault::setRewardsConfigCall {
            rewardsCoordinator: rc,
            rewardsKeeper: Address::ZERO,
        };
        let sent = chain.send_call(&step, vault, &call).await?;
        progress(Progress {
            step,
            detail: format!("claimer of every delegator: the vault; coordinator {rc}"),
            gas_used: sent.gas_used,
        });
        return Ok(());
    };
    progress(Progress {
        step,
        detail,
        gas_used: 0,
    });
    Ok(())
}

/// Reads the vault back: every proxy points at its program, each delegator names the vault, and
/// the vault names the suite's contracts and its asset. Returns how many reads matched.
pub async fn verify(chain: &Chain, manifest: &Manifest) -> Result<usize, DeployError> {
    let step = "verify LRT vault";
    let word = |out: &[u8]| {
        if out.len() >= 32 {
            Address::from_slice(&out[12..32])
        } else {
            Address::ZERO
        }
    };
    let vault = manifest
        .proxy(VAULT)
        .ok_or_else(|| DeployError::new(step, "no LrtVault proxy in the manifest"))?;
    let program = |p: &ProgramSpec| {
        manifest
            .programs
            .get(p.name)
            .map(|e| e.address)
            .unwrap_or_default()
    };
    let mut checked = 0;
    let mut expect = |what: String, got: Address, want: Address| {
        if got != want || want.is_zero() {
            return Err(DeployError::new(
                step,
                format!("{what} is {got}, expected {want}"),
            ));
        }
        checked += 1;
        Ok(())
    };
    expect(
        "LrtVault proxy".into(),
        proxy_implementation(chain, vault).await?,
        program(&CORE_PROGRAM),
    )?;
    for i in 0..DELEGATORS {
        let name = delegator_name(i);
        let d = manifest
            .proxy(&name)
            .ok_or_else(|| DeployError::new(step, format!("no {name} proxy in the manifest")))?;
        expect(
            format!("{name} proxy"),
            proxy_implementation(chain, d).await?,
            program(&DELEGATOR_PROGRAM),
        )?;
        let out = chain
            .call(step, d, ILrtDelegator::vaultCall {}.abi_encode())
            .await?;
        expect(format!("{name}.vault"), word(&out), vault)?;
    }
    let asset = chain
        .call(step, vault, ILrtVault::assetCall {}.abi_encode())
        .await?;
    expect(
        "LrtVault.asset".into(),
        word(&asset),
        manifest
            .addresses
            .get(ASSET_TOKEN)
            .copied()
            .unwrap_or_default(),
    )?;
    // The ops and restake programs answer through the proxy: navBreakdown (four words) and
    // slashableExposure (three arrays, empty until the vault allocates).
    let reads = [
        (
            "LrtVault.navBreakdown (ops program)",
            ILrtVault::navBreakdownCall {}.abi_encode(),
        ),
        (
            "LrtVault.slashableExposure (restake program)",
            ILrtVault::slashableExposureCall {}.abi_encode(),
        ),
    ];
    for (what, data) in reads {
        let out = chain.call(step, vault, data.clone()).await?;
        let decodes = if data[..4] == ILrtVault::navBreakdownCall::SELECTOR {
            ILrtVault::navBreakdownCall::abi_decode_returns(&out).is_ok()
        } else {
            ILrtVault::slashableExposureCall::abi_decode_returns(&out).is_ok()
        };
        if !decodes {
            return Err(DeployError::new(
                step,
                format!("{what} returned undecodable data (0x{})", hex_of(&out)),
            ));
        }
        checked += 1;
    }
    Ok(checked)
}

fn hex_of(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialize_names_the_admin_program_where_the_core_reads_it() {
        // Before initialization the core program forwards `initialize` to the address in the
        // seventh word of its calldata (the struct is static, so it is inlined at the head).
        let admin_program = Address::repeat_byte(0xad);
        let call = ILrtVault::initializeCall {
            addrs: ILrtVault::LrtVaultAddresses {
                asset: Address::repeat_byte(1),
                strategy: Address::repeat_byte(2),
                strategyManager: Address::repeat_byte(3),
                delegationManager: Address::repeat_byte(4),
                allocationManager: Address::repeat_byte(5),
                opsImplementation: Address::repeat_byte(6),
                adminImplementation: admin_program,
                admin: Address::repeat_byte(8),
                manager: Address::repeat_byte(9),
                guardian: Address::repeat_byte(10),
                keeper: Address::repeat_byte(11),
                treasury: Address::repeat_byte(12),
                restakeImplementation: Address::repeat_byte(13),
            },
            params: params(),
            delegators: vec![Address::repeat_byte(14); DELEGATORS],
            name_: NAME.into(),
            symbol_: SYMBOL.into(),
        }
        .abi_encode();
        assert_eq!(&call[4 + 6 * 32..4 + 6 * 32 + 12], &[0u8; 12]);
        assert_eq!(&call[4 + 6 * 32 + 12..4 + 7 * 32], admin_program.as_slice());
    }

    #[test]
    fn suite_parameters_are_within_their_bounds() {
        let p = params();
        assert!(
            p.performanceFeeBips <= p.maxPerformanceFeeBips && p.maxPerformanceFeeBips <= 10_000
        );
        assert!(p.maxOperatorBips <= 10_000 && p.maxOperatorSetBips <= 10_000);
        assert!(p.maxRequest.is_zero() || p.minRequest <= p.maxRequest);
        assert_eq!(PROGRAMS.len(), 5);
        assert_ne!(delegator_name(0), delegator_name(1));
    }
}
