//! The EVM ERC-20 test token (`contracts/test-tokens/evm-erc20/TestERC20.sol`, checked-in solc
//! bytecode) on the devnode: ERC-20 behaviour (mint, transfer, approve, transferFrom, the infinite
//! allowance, typed errors with nothing changed), and a deposit of it into a strategy the
//! StrategyFactory deploys for it. Expected values follow from the inputs and the ERC-20 rules.

use alloy::primitives::{Address, U256};
use ferrostake_deploy::abi::{IStrategyFactory, IStrategyManager};
use ferrostake_harness::evm_token::{deploy_on, ITestERC20};
use ferrostake_harness::suite::{Suite, WAD};

fn amount(n: u64) -> U256 {
    U256::from(n) * U256::from(WAD)
}

fn balance(s: &Suite, token: Address, who: Address) -> U256 {
    s.view(token, ITestERC20::balanceOfCall { account: who })
        .unwrap()
}

#[test]
fn transfer_approve_transfer_from_and_mint_follow_erc20() {
    let s = Suite::shared();
    let (alice, bob, carol) = (s.actors.stakers[0], s.actors.stakers[1], s.actors.attacker);
    let token = deploy_on(&mut s.node(), alice, "EVM Test", "EVMT").unwrap();
    assert_eq!(s.view(token, ITestERC20::nameCall {}).unwrap(), "EVM Test");
    assert_eq!(s.view(token, ITestERC20::symbolCall {}).unwrap(), "EVMT");
    assert_eq!(s.view(token, ITestERC20::decimalsCall {}).unwrap(), 18);
    assert_eq!(
        s.view(token, ITestERC20::totalSupplyCall {}).unwrap(),
        U256::ZERO
    );

    // Anyone mints; the supply and the balance grow by the amount, a Transfer from zero is logged.
    let out = s
        .send(
            carol,
            token,
            ITestERC20::mintCall {
                to: alice,
                amount: amount(100),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let t = out.events::<ITestERC20::Transfer>();
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].from, t[0].to, t[0].value),
        (Address::ZERO, alice, amount(100))
    );
    assert_eq!(balance(&s, token, alice), amount(100));
    assert_eq!(
        s.view(token, ITestERC20::totalSupplyCall {}).unwrap(),
        amount(100)
    );

    // transfer moves the amount and returns true.
    let out = s
        .send(
            alice,
            token,
            ITestERC20::transferCall {
                to: bob,
                amount: amount(30),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    assert!(out.returns::<ITestERC20::transferCall>().unwrap());
    assert_eq!(balance(&s, token, alice), amount(70));
    assert_eq!(balance(&s, token, bob), amount(30));

    // More than the balance: InsufficientBalance(from, balance, needed), nothing changes.
    let before = s.state();
    let e = s
        .send(
            alice,
            token,
            ITestERC20::transferCall {
                to: bob,
                amount: amount(70) + U256::from(1),
            },
        )
        .unwrap()
        .expect_error::<ITestERC20::InsufficientBalance>()
        .unwrap();
    assert_eq!(
        (e.from, e.balance, e.needed),
        (alice, amount(70), amount(70) + U256::from(1))
    );
    // To the zero address: ZeroAddress.
    s.send(
        alice,
        token,
        ITestERC20::transferCall {
            to: Address::ZERO,
            amount: U256::from(1),
        },
    )
    .unwrap()
    .expect_error::<ITestERC20::ZeroAddress>()
    .unwrap();
    assert_eq!(
        ferrostake_harness::suite::state_changes(&before, &s.state(), alice),
        Vec::<String>::new()
    );

    // approve sets the allowance (Approval logged); transferFrom spends it.
    let out = s
        .send(
            alice,
            token,
            ITestERC20::approveCall {
                spender: carol,
                amount: amount(50),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let a = out.events::<ITestERC20::Approval>();
    assert_eq!(
        (a[0].owner, a[0].spender, a[0].value),
        (alice, carol, amount(50))
    );
    s.send(
        carol,
        token,
        ITestERC20::transferFromCall {
            from: alice,
            to: carol,
            amount: amount(20),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    assert_eq!(
        s.view(
            token,
            ITestERC20::allowanceCall {
                owner: alice,
                spender: carol
            }
        )
        .unwrap(),
        amount(30)
    );
    assert_eq!(balance(&s, token, alice), amount(50));
    assert_eq!(balance(&s, token, carol), amount(20));
    // Beyond the allowance: InsufficientAllowance(spender, allowance, needed).
    let e = s
        .send(
            carol,
            token,
            ITestERC20::transferFromCall {
                from: alice,
                to: carol,
                amount: amount(31),
            },
        )
        .unwrap()
        .expect_error::<ITestERC20::InsufficientAllowance>()
        .unwrap();
    assert_eq!(
        (e.spender, e.allowance, e.needed),
        (carol, amount(30), amount(31))
    );

    // An infinite allowance is not spent.
    s.send(
        alice,
        token,
        ITestERC20::approveCall {
            spender: bob,
            amount: U256::MAX,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.send(
        bob,
        token,
        ITestERC20::transferFromCall {
            from: alice,
            to: bob,
            amount: amount(10),
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    assert_eq!(
        s.view(
            token,
            ITestERC20::allowanceCall {
                owner: alice,
                spender: bob
            }
        )
        .unwrap(),
        U256::MAX
    );
    assert_eq!(balance(&s, token, bob), amount(40));
    assert_eq!(
        s.view(token, ITestERC20::totalSupplyCall {}).unwrap(),
        amount(100)
    );
}

#[test]
fn the_evm_token_deposits_into_a_factory_strategy() {
    let s = Suite::shared();
    let staker = s.actors.stakers[0];
    let sm = s.addrs.strategy_manager;
    let token = deploy_on(&mut s.node(), staker, "EVM Test", "EVMT").unwrap();
    // Anyone may have the factory deploy (and whitelist) a strategy for a new token.
    s.send(
        staker,
        s.addrs.strategy_factory,
        IStrategyFactory::deployNewStrategyCall { token },
    )
    .unwrap()
    .ok()
    .unwrap();
    let strategy = s
        .view(
            s.addrs.strategy_factory,
            IStrategyFactory::deployedStrategiesCall { token },
        )
        .unwrap();
    assert_ne!(strategy, Address::ZERO);

    let deposit = amount(25);
    s.send(
        staker,
        token,
        ITestERC20::mintCall {
            to: staker,
            amount: deposit,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.send(
        staker,
        token,
        ITestERC20::approveCall {
            spender: sm,
            amount: deposit,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    s.send(
        staker,
        sm,
        IStrategyManager::depositIntoStrategyCall {
            strategy,
            token,
            amount: deposit,
        },
    )
    .unwrap()
    .ok()
    .unwrap();
    // The tokens moved to the strategy; a first deposit at the initial exchange rate mints one
    // share per token (StrategyBase's virtual offsets cancel out while the rate is 1).
    assert_eq!(balance(&s, token, staker), U256::ZERO);
    assert_eq!(balance(&s, token, strategy), deposit);
    assert_eq!(
        s.view(
            sm,
            IStrategyManager::stakerDepositSharesCall { staker, strategy }
        )
        .unwrap(),
        deposit
    );
    // The allowance was spent exactly.
    assert_eq!(
        s.view(
            token,
            ITestERC20::allowanceCall {
                owner: staker,
                spender: sm
            }
        )
        .unwrap(),
        U256::ZERO
    );
}
