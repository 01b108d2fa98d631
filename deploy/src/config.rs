//! The deployment configuration (`--config FILE`, TOML). Every field has a default suited to a local
//! devnode (short delays so a scenario can wait them out); a real deployment writes its own file —
//! see `deploy/examples/testnet-demo.toml`. Unknown keys are rejected so a typo cannot
//! silently fall back to a default.

use alloy::primitives::Address;
use serde::{Deserialize, Serialize};

use crate::chain::DeployError;

/// All parameters of a deployment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeployConfig {
    /// The chain id the endpoint must report; `None` accepts any.
    pub chain_id: Option<u64>,
    /// Role holders (default: the deployer for every role).
    pub roles: Roles,
    /// DelegationManager parameters.
    pub delegation: Delegation,
    /// AllocationManager parameters.
    pub allocation: Allocation,
    /// RewardsCoordinator parameters.
    pub rewards: Rewards,
    /// Initial pause bitmaps (0 = nothing paused).
    pub paused: Paused,
    /// Native restaking.
    pub native: Native,
}

/// Who holds each role; `None` means the deployer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Roles {
    /// Owner of every core contract (`Ownable`).
    pub owner: Option<Address>,
    /// Admin of every ERC-1967 proxy (may upgrade).
    pub proxy_admin: Option<Address>,
    /// Pausers registered in the PauserRegistry.
    pub pausers: Vec<Address>,
    /// The PauserRegistry's unpauser.
    pub unpauser: Option<Address>,
    /// StrategyManager's strategy whitelister (EigenLayer: the StrategyFactory).
    pub strategy_whitelister: Option<Address>,
    /// RewardsCoordinator's rewards updater (posts distribution roots).
    pub rewards_updater: Option<Address>,
    /// Posts beacon block roots to the BeaconRootOracle (Arbitrum has no EIP-4788 contract).
    pub beacon_root_updater: Option<Address>,
    /// Receives the RewardsCoordinator's protocol fee (default: the owner).
    pub fee_recipient: Option<Address>,
    /// The EigenPodManager's proof timestamp setter (sets the Pectra fork timestamp). Appointed
    /// only when `native.pectra_fork_timestamp` is set.
    pub proof_timestamp_setter: Option<Address>,
}

/// DelegationManager parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Delegation {
    /// `MIN_WITHDRAWAL_DELAY_BLOCKS` (EigenLayer mainnet: 100,800 ≈ 14 days).
    pub min_withdrawal_delay_blocks: u32,
}

impl Default for Delegation {
    fn default() -> Self {
        Self {
            min_withdrawal_delay_blocks: 50,
        }
    }
}

/// AllocationManager parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Allocation {
    /// `DEALLOCATION_DELAY` in blocks (mainnet 100,800).
    pub deallocation_delay_blocks: u32,
    /// `ALLOCATION_CONFIGURATION_DELAY` in blocks (mainnet 126,000).
    pub allocation_configuration_delay_blocks: u32,
}

impl Default for Allocation {
    fn default() -> Self {
        Self {
            deallocation_delay_blocks: 50,
            allocation_configuration_delay_blocks: 75,
        }
    }
}

/// RewardsCoordinator parameters (seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rewards {
    /// `CALCULATION_INTERVAL_SECONDS` (mainnet 604,800).
    pub calculation_interval_seconds: u32,
    /// `MAX_REWARDS_DURATION` (v1.12: 63,072,000).
    pub max_rewards_duration: u32,
    /// `MAX_RETROACTIVE_LENGTH` (mainnet 14,515,200).
    pub max_retroactive_length: u32,
    /// `MAX_FUTURE_LENGTH` (mainnet 2,592,000).
    pub max_future_length: u32,
    /// `GENESIS_REWARDS_TIMESTAMP`, a multiple of the interval.
    pub genesis_rewards_timestamp: u32,
    /// Delay before a posted root becomes claimable.
    pub activation_delay: u32,
    /// Default operator split in basis points (≤ 10,000).
    pub default_operator_split_bips: u16,
}

impl Default for Rewards {
    fn default() -> Self {
        Self {
            calculation_interval_seconds: 86_400,
            max_rewards_duration: 63_072_000,
            max_retroactive_length: 14_515_200,
            max_future_length: 2_592_000,
            genesis_rewards_timestamp: 1_710_979_200,
            activation_delay: 7_200,
            default_operator_split_bips: 1_000,
        }
    }
}

/// Initial pause bitmaps per contract.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paused {
    /// StrategyManager.
    pub strategy_manager: u64,
    /// DelegationManager.
    pub delegation_manager: u64,
    /// AllocationManager.
    pub allocation_manager: u64,
    /// RewardsCoordinator.
    pub rewards_coordinator: u64,
    /// EigenPodManager.
    pub eigen_pod_manager: u64,
    /// AVSDirectory.
    pub avs_directory: u64,
}

/// Native restaking parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Native {
    /// The beacon-chain deposit contract pods forward `stake` deposits to. Required on every chain
    /// but the devnode (412346), where a sink contract that accepts deposits is deployed instead.
    pub eth_pos_deposit: Option<Address>,
    /// The beacon chain's Pectra (Electra) fork timestamp, which selects the proof layout (Ethereum
    /// mainnet: 1746612311). Unset, the deploy tool leaves it to the owner and every pod proof
    /// reverts `ForkTimestampZero` until it is set.
    pub pectra_fork_timestamp: Option<u64>,
    /// The beacon-root oracle's freshness bound in seconds: a checkpoint refuses a root older than
    /// this (1 ..= 98292, EIP-4788's 8191 slots). Unset, the oracle's default (3600) applies.
    pub max_root_age: Option<u64>,
}

impl DeployConfig {
    /// Parses and validates a TOML configuration.
    pub fn from_toml(text: &str) -> Result<Self, DeployError> {
        let config: Self = toml::from_str(text).map_err(|e| DeployError::new("read config", e))?;
        config.validate()?;
        Ok(config)
    }

    /// Reads and validates the configuration file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Self, DeployError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| DeployError::new("read config", format!("{}: {e}", path.display())))?;
        Self::from_toml(&text)
    }

    /// Checks the rules the contracts would otherwise reject mid-deployment.
    pub fn validate(&self) -> Result<(), DeployError> {
        let r = &self.rewards;
        let bad = |msg: String| Err(DeployError::new("validate config", msg));
        if r.calculation_interval_seconds == 0 {
            return bad("rewards.calculation_interval_seconds must be positive".into());
        }
        // The RewardsCoordinator's rewards snapshots are daily (EigenLayer's SNAPSHOT_CADENCE):
        // `initialize` refuses any other interval with InvalidCalculationIntervalSecondsRemainder.
        if !r.calculation_interval_seconds.is_multiple_of(86_400) {
            return bad(format!(
                "rewards.calculation_interval_seconds ({}) must be a multiple of 86400 (daily snapshots)",
                r.calculation_interval_seconds
            ));
        }
        if !r
            .genesis_rewards_timestamp
            .is_multiple_of(r.calculation_interval_seconds)
        {
            return bad(format!(
                "rewards.genesis_rewards_timestamp ({}) must be a multiple of calculation_interval_seconds ({})",
                r.genesis_rewards_timestamp, r.calculation_interval_seconds
            ));
        }
        if !r
            .max_rewards_duration
            .is_multiple_of(r.calculation_interval_seconds)
        {
            return bad(format!(
                "rewards.max_rewards_duration ({}) must be a multiple of calculation_interval_seconds ({})",
                r.max_rewards_duration, r.calculation_interval_seconds
            ));
        }
        // Queued withdrawals stay slashable only for the withdrawal delay: a shorter delay than the
        // deallocation delay would let stake leave while its allocation can still be slashed.
        if let Some(age) = self.native.max_root_age {
            if age == 0 || age > 8_191 * 12 {
                return bad(format!(
                    "native.max_root_age ({age}) must be 1 ..= 98292 seconds (EIP-4788's 8191 slots)"
                ));
            }
        }
        if self.delegation.min_withdrawal_delay_blocks < self.allocation.deallocation_delay_blocks {
            return bad(format!(
                "delegation.min_withdrawal_delay_blocks ({}) must be at least allocation.deallocation_delay_blocks ({}), or queued stake escapes slashing",
                self.delegation.min_withdrawal_delay_blocks, self.allocation.deallocation_delay_blocks
            ));
        }
        if r.default_operator_split_bips > 10_000 {
            return bad(format!(
                "rewards.default_operator_split_bips ({}) exceeds 10,000",
                r.default_operator_split_bips
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_devnode_defaults() {
        let config = DeployConfig::from_toml("").unwrap();
        assert_eq!(config, DeployConfig::default());
        assert_eq!(config.delegation.min_withdrawal_delay_blocks, 50);
    }

    #[test]
    fn partial_sections_keep_other_defaults() {
        let config = DeployConfig::from_toml(
            "chain_id = 421614\n[delegation]\nmin_withdrawal_delay_blocks = 100800\n",
        )
        .unwrap();
        assert_eq!(config.chain_id, Some(421_614));
        assert_eq!(config.delegation.min_withdrawal_delay_blocks, 100_800);
        assert_eq!(config.rewards, Rewards::default());
    }

    #[test]
    fn typos_are_rejected_not_ignored() {
        let err =
            DeployConfig::from_toml("[delegation]\nmin_withdrawl_delay_blocks = 1\n").unwrap_err();
        assert_eq!(err.step, "read config");
        assert!(err.cause.contains("min_withdrawl_delay_blocks"), "{err}");
    }

    #[test]
    fn genesis_off_the_interval_is_rejected() {
        let err = DeployConfig::from_toml("[rewards]\ngenesis_rewards_timestamp = 1710979201\n")
            .unwrap_err();
        assert_eq!(err.step, "validate config");
        assert!(err.cause.contains("multiple"), "{err}");
    }

    #[test]
    fn withdrawal_delay_shorter_than_deallocation_delay_is_rejected() {
        let err = DeployConfig::from_toml(
            "[delegation]\nmin_withdrawal_delay_blocks = 10\n[allocation]\ndeallocation_delay_blocks = 11\n",
        )
        .and_then(|c| c.validate())
        .unwrap_err()
        .to_string();
        assert!(err.contains("min_withdrawal_delay_blocks (10)"), "{err}");
        assert!(DeployConfig::from_toml(
            "[delegation]\nmin_withdrawal_delay_blocks = 11\n[allocation]\ndeallocation_delay_blocks = 11\n",
        )
        .unwrap()
        .validate()
        .is_ok());
    }

    #[test]
    fn max_root_age_is_optional_and_bounded() {
        assert_eq!(DeployConfig::default().native.max_root_age, None);
        let config = DeployConfig::from_toml("[native]\nmax_root_age = 1800\n").unwrap();
        assert_eq!(config.native.max_root_age, Some(1_800));
        for bad in ["0", "98293"] {
            assert!(DeployConfig::from_toml(&format!("[native]\nmax_root_age = {bad}\n")).is_err());
        }
    }

    #[test]
    fn pectra_fork_timestamp_is_optional_and_read() {
        assert_eq!(DeployConfig::default().native.pectra_fork_timestamp, None);
        let config = DeployConfig::from_toml(
            "[native]\npectra_fork_timestamp = 1746612311\n[roles]\nproof_timestamp_setter = \"0x00000000000000000000000000000000000000aa\"\n",
        )
        .unwrap();
        assert_eq!(config.native.pectra_fork_timestamp, Some(1_746_612_311));
        assert_eq!(
            config.roles.proof_timestamp_setter,
            Some(alloy::primitives::address!(
                "00000000000000000000000000000000000000aa"
            ))
        );
    }

    #[test]
    fn calculation_interval_off_the_daily_snapshot_is_rejected() {
        let err = DeployConfig::from_toml(
            "[rewards]\ncalculation_interval_seconds = 60\ngenesis_rewards_timestamp = 1710979200\nmax_rewards_duration = 600\n",
        )
        .unwrap_err();
        assert!(err.cause.contains("multiple of 86400"), "{err}");
    }

    #[test]
    fn split_above_100_percent_is_rejected() {
        assert!(
            DeployConfig::from_toml("[rewards]\ndefault_operator_split_bips = 10001\n").is_err()
        );
    }
}
