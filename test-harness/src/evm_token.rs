//! An EVM ERC-20 test token (`contracts/test-tokens/evm-erc20/TestERC20.sol`, compiled with solc
//! 0.8.30; the creation bytecode is checked in beside it as `TestERC20.bin`, with `build.js`).
//!
//! EigenLayer's gas figures (`shared/GAS_TARGETS.md`) use an EVM ERC-20; a Stylus test token adds
//! its own program entry to every deposit, withdrawal and claim. Deploying this token on the
//! devnode lets the same operations be measured with an EVM token beside the Stylus one.

use alloy::primitives::{Address, Bytes, U256};
use alloy::sol_types::SolValue;
use anyhow::{anyhow, Context, Result};
use ferrostake_deploy::chain::Chain;
use ferrostake_devnode::node::{Node, TxRequest, TX_GAS_CAP};

alloy::sol! {
    /// The token's ABI (ERC-20 plus a public `mint` and its custom errors).
    interface ITestERC20 {
        error InsufficientBalance(address from, uint256 balance, uint256 needed);
        error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error ZeroAddress();
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function mint(address to, uint256 amount) external;
        function transfer(address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
    }
}

/// The checked-in creation bytecode (hex).
const CREATION_HEX: &str = include_str!("../../contracts/test-tokens/evm-erc20/TestERC20.bin");

/// The token's creation code with its constructor arguments `(name, symbol)`.
pub fn init_code(name: &str, symbol: &str) -> Result<Vec<u8>> {
    let mut code =
        alloy::primitives::hex::decode(CREATION_HEX.trim()).context("decode TestERC20.bin")?;
    code.extend((name.to_string(), symbol.to_string()).abi_encode_params());
    Ok(code)
}

/// Deploys the token from `from` on an in-process devnode; its address.
pub fn deploy_on(node: &mut Node, from: Address, name: &str, symbol: &str) -> Result<Address> {
    let hash = node
        .send_transaction(TxRequest {
            from: Some(from),
            to: None,
            gas: Some(TX_GAS_CAP),
            value: Some(U256::ZERO),
            input: Bytes::from(init_code(name, symbol)?),
            ..Default::default()
        })
        .map_err(|e| anyhow!("node refused the token deployment: {e}"))?;
    let r = node
        .transaction(hash)
        .ok_or_else(|| anyhow!("no record of {hash}"))?;
    if !r.status {
        return Err(anyhow!("the token deployment reverted"));
    }
    r.contract_address
        .ok_or_else(|| anyhow!("no contract address in the deployment's receipt"))
}

/// Deploys the token over JSON-RPC, signed by `chain`'s key; its address.
pub async fn deploy(chain: &Chain, name: &str, symbol: &str) -> Result<Address> {
    let sent = chain
        .deploy_code("deploy the EVM test token", init_code(name, symbol)?)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    sent.contract_address
        .ok_or_else(|| anyhow!("no contract address in the deployment's receipt"))
}
