//! StrategyFactory: one strategy per ERC-20 token, deployed as a beacon proxy of the shared Strategy
//! program and whitelisted in the StrategyManager (EigenLayer v1.12's `IStrategyFactory`; duration
//! vaults are not supported).
//!
//! | function | who | requirements → effects |
//! |---|---|---|
//! | `deployNewStrategy(token)` | anyone | not paused (bit 0, `PAUSED_NEW_STRATEGIES`); token ≠ 0, not blacklisted, no strategy yet → CREATE2 beacon proxy (salt = token), `IStrategy.initialize(strategyManager, pauserRegistry, token)`, `deployedStrategies[token]`, `StrategySetForToken`, `StrategyManager.addStrategiesToDepositWhitelist([strategy])` |
//! | `blacklistTokens(tokens)` | owner | each token not yet blacklisted (also within the batch) → blacklisted for good, `TokenBlacklisted`; the tokens' factory strategies are removed from the deposit whitelist in one `removeStrategiesFromDepositWhitelist` call (the token → strategy entry stays) |
//! | `whitelistStrategies(strategies)` | owner | passes through to `StrategyManager.addStrategiesToDepositWhitelist` |
//! | `removeStrategiesFromWhitelist(strategies)` | owner | passes through to `StrategyManager.removeStrategiesFromDepositWhitelist` |
//! | `deployDurationVaultStrategy(config)` | — | always reverts `DurationVaultsNotSupported` |
//!
//! Views: `deployedStrategies`, `isBlacklisted`, `strategyBeacon`, `strategyManager`,
//! `durationVaultBeacon` (always zero), `getDurationVaults` (always empty), `durationVaultsByToken`
//! (reverts `DurationVaultsNotSupported`: there is no vault at any index), plus the Ownable and
//! Pausable mixins.
//!
//! **Wiring.** The factory must be the StrategyManager's `strategyWhitelister`
//! (`StrategyManager.setStrategyWhitelister(factory)`), otherwise every deployment and pass-through
//! reverts with the StrategyManager's `OnlyStrategyWhitelister`. `strategyBeacon` is an upgradeable
//! beacon whose `implementation()` is the Strategy program; the factory's pauser registry is also
//! each new strategy's.
//!
//! **Proxies.** A strategy is the 91-byte EVM proxy of [`strategy_proxy`] at
//! `keccak(0xff ‖ factory ‖ bytes32(token) ‖ keccak(initcode))[12..]`. EigenLayer deploys its beacon
//! proxies with CREATE; CREATE2 keyed by the token gives the same one-strategy-per-token result with
//! a predictable address.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

pub mod strategy_proxy;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, U256};
use ferrostake_common::{
    access::{Initializable, Ownable, Pausable},
    call::call,
    Revert,
};
#[cfg(any(test, feature = "native-test-deploy"))]
use ferrostake_interfaces::IFerrostakeErrors::NoCodeAt;
use ferrostake_interfaces::{IStrategy, IStrategyFactory, IStrategyManager};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap},
    stylus_core::log,
};

/// Pause bits (EigenLayer's `StrategyFactory` constants).
pub mod pause {
    /// `deployNewStrategy`.
    pub const NEW_STRATEGIES: u8 = 0;
}

/// `deployDurationVaultStrategy`'s `VaultConfig` as an ABI tuple: underlyingToken, vaultAdmin,
/// arbitrator, duration, maxPerDeposit, stakeCap, metadataURI, operatorSet (avs, id),
/// operatorSetRegistrationData, delegationApprover, operatorMetadataURI.
pub type VaultConfig = (
    Address,
    Address,
    Address,
    u32,
    U256,
    U256,
    String,
    (Address, u32),
    Bytes,
    Address,
    String,
);

#[storage]
pub struct StrategyFactory {
    init: Initializable,
    ownable: Ownable,
    pausable: Pausable,
    strategy_manager: StorageAddress,
    strategy_beacon: StorageAddress,
    deployed_strategies: StorageMap<Address, StorageAddress>,
    is_blacklisted: StorageMap<Address, StorageBool>,
}

ferrostake_common::entrypoint!(StrategyFactory);

impl StrategyFactory {
    fn only_owner(&self) -> Result<(), Revert> {
        self.ownable.only_owner(self.vm().msg_sender())
    }

    /// The CREATE2 address of `token`'s strategy (whether or not it exists yet).
    pub fn predicted_strategy_address(&self, token: Address) -> Address {
        strategy_proxy::strategy_address(
            self.vm().contract_address(),
            token,
            self.strategy_beacon.get(),
        )
    }

    /// Deploys `token`'s strategy proxy with CREATE2. The only code path motsu cannot run (it has no
    /// CREATE2), so it is kept this small; native tests swap it for [`Self::deploy_strategy_native`].
    #[cfg(not(any(test, feature = "native-test-deploy")))]
    fn deploy_strategy(&mut self, token: Address) -> Result<Address, Revert> {
        #[allow(deprecated)]
        let deployed = unsafe {
            stylus_sdk::deploy::RawDeploy::new()
                .salt(strategy_proxy::salt(token))
                .flush_storage_cache()
                .deploy(
                    &strategy_proxy::init_code(self.strategy_beacon.get()),
                    U256::ZERO,
                )
        };
        deployed.map_err(Revert)
    }

    #[cfg(any(test, feature = "native-test-deploy"))]
    fn deploy_strategy(&mut self, token: Address) -> Result<Address, Revert> {
        self.deploy_strategy_native(token)
    }

    /// Native tests: the strategy contract already sits at the predicted address (motsu's
    /// `Contract::new_at`); "deploying" checks that it is there.
    #[cfg(any(test, feature = "native-test-deploy"))]
    pub fn deploy_strategy_native(&mut self, token: Address) -> Result<Address, Revert> {
        let strategy = self.predicted_strategy_address(token);
        // motsu answers `has_code` (not `code_size`) for its contracts.
        #[allow(deprecated)]
        let has_code = stylus_sdk::types::AddressVM::has_code(&strategy);
        if !has_code {
            return Err(NoCodeAt { target: strategy }.into());
        }
        Ok(strategy)
    }
}

#[public]
impl StrategyFactory {
    /// One-shot initializer (EigenLayer: constructor immutables + `initialize`).
    pub fn initialize(
        &mut self,
        strategy_manager: Address,
        pauser_registry: Address,
        strategy_beacon: Address,
        initial_owner: Address,
        initial_paused_status: U256,
    ) -> Result<(), Revert> {
        self.init.initialize_once()?;
        if strategy_manager.is_zero() || strategy_beacon.is_zero() {
            return Err(IStrategyFactory::InputAddressZero {}.into());
        }
        self.strategy_manager.set(strategy_manager);
        self.strategy_beacon.set(strategy_beacon);
        self.pausable.init(pauser_registry, initial_paused_status)?;
        self.ownable.init(initial_owner)?;
        Ok(())
    }

    #[selector(name = "deployNewStrategy")]
    pub fn deploy_new_strategy(&mut self, token: Address) -> Result<Address, Revert> {
        self.pausable.require_not_paused(pause::NEW_STRATEGIES)?;
        if token.is_zero() {
            return Err(IStrategyFactory::InputAddressZero {}.into());
        }
        if self.is_blacklisted.get(token) {
            return Err(IStrategyFactory::BlacklistedToken {}.into());
        }
        if !self.deployed_strategies.get(token).is_zero() {
            return Err(IStrategyFactory::StrategyAlreadyExists {}.into());
        }
        let strategy = self.deploy_strategy(token)?;
        call(
            strategy,
            &IStrategy::initializeCall {
                strategyManager_: self.strategy_manager.get(),
                pauserRegistry_: self.pausable.pauser_registry(),
                underlyingToken_: token,
            },
        )?;
        self.deployed_strategies.setter(token).set(strategy);
        log(
            self.vm(),
            IStrategyFactory::StrategySetForToken { token, strategy },
        );
        call(
            self.strategy_manager.get(),
            &IStrategyManager::addStrategiesToDepositWhitelistCall {
                strategiesToWhitelist: vec![strategy],
            },
        )?;
        Ok(strategy)
    }

    /// Duration vaults are out of scope.
    #[selector(name = "deployDurationVaultStrategy")]
    pub fn deploy_duration_vault_strategy(
        &mut self,
        _config: VaultConfig,
    ) -> Result<Address, Revert> {
        Err(IStrategyFactory::DurationVaultsNotSupported {}.into())
    }

    #[selector(name = "blacklistTokens")]
    pub fn blacklist_tokens(&mut self, tokens: Vec<Address>) -> Result<(), Revert> {
        self.only_owner()?;
        let mut to_remove = Vec::new();
        for token in tokens {
            if self.is_blacklisted.get(token) {
                return Err(IStrategyFactory::AlreadyBlacklisted {}.into());
            }
            self.is_blacklisted.setter(token).set(true);
            log(self.vm(), IStrategyFactory::TokenBlacklisted { token });
            let deployed = self.deployed_strategies.get(token);
            if !deployed.is_zero() {
                to_remove.push(deployed);
            }
        }
        if !to_remove.is_empty() {
            call(
                self.strategy_manager.get(),
                &IStrategyManager::removeStrategiesFromDepositWhitelistCall {
                    strategiesToRemoveFromWhitelist: to_remove,
                },
            )?;
        }
        Ok(())
    }

    #[selector(name = "whitelistStrategies")]
    pub fn whitelist_strategies(&mut self, strategies: Vec<Address>) -> Result<(), Revert> {
        self.only_owner()?;
        call(
            self.strategy_manager.get(),
            &IStrategyManager::addStrategiesToDepositWhitelistCall {
                strategiesToWhitelist: strategies,
            },
        )?;
        Ok(())
    }

    #[selector(name = "removeStrategiesFromWhitelist")]
    pub fn remove_strategies_from_whitelist(
        &mut self,
        strategies: Vec<Address>,
    ) -> Result<(), Revert> {
        self.only_owner()?;
        call(
            self.strategy_manager.get(),
            &IStrategyManager::removeStrategiesFromDepositWhitelistCall {
                strategiesToRemoveFromWhitelist: strategies,
            },
        )?;
        Ok(())
    }

    // --- views ---

    #[selector(name = "deployedStrategies")]
    pub fn deployed_strategies(&self, token: Address) -> Address {
        self.deployed_strategies.get(token)
    }

    #[selector(name = "isBlacklisted")]
    pub fn is_blacklisted(&self, token: Address) -> bool {
        self.is_blacklisted.get(token)
    }

    #[selector(name = "strategyBeacon")]
    pub fn strategy_beacon(&self) -> Address {
        self.strategy_beacon.get()
    }

    #[selector(name = "strategyManager")]
    pub fn strategy_manager(&self) -> Address {
        self.strategy_manager.get()
    }

    /// No duration-vault beacon: the zero address.
    #[selector(name = "durationVaultBeacon")]
    pub fn duration_vault_beacon(&self) -> Address {
        Address::ZERO
    }

    /// No token has duration vaults, so every index is out of range.
    #[selector(name = "durationVaultsByToken")]
    pub fn duration_vaults_by_token(
        &self,
        _token: Address,
        _index: U256,
    ) -> Result<Address, Revert> {
        Err(IStrategyFactory::DurationVaultsNotSupported {}.into())
    }

    #[selector(name = "getDurationVaults")]
    pub fn get_duration_vaults(&self, _token: Address) -> Vec<Address> {
        Vec::new()
    }

    // --- Ownable ---

    pub fn owner(&self) -> Address {
        self.ownable.owner()
    }

    #[selector(name = "transferOwnership")]
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.transfer_ownership(caller, new_owner)
    }

    #[selector(name = "renounceOwnership")]
    pub fn renounce_ownership(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.ownable.renounce_ownership(caller)
    }

    // --- Pausable ---

    #[selector(name = "pauserRegistry")]
    pub fn pauser_registry(&self) -> Address {
        self.pausable.pauser_registry()
    }

    pub fn pause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause(caller, new_paused_status)
    }

    #[selector(name = "pauseAll")]
    pub fn pause_all(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.pause_all(caller)
    }

    pub fn unpause(&mut self, new_paused_status: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        self.pausable.unpause(caller, new_paused_status)
    }

    #[selector(name = "paused")]
    pub fn paused_all(&self) -> U256 {
        self.pausable.paused()
    }

    #[selector(name = "paused")]
    pub fn paused_index(&self, index: u8) -> bool {
        self.pausable.is_paused(index)
    }
}

#[cfg(test)]
mod tests;
