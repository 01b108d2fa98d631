// Compiles TestERC20.sol with solc-js and writes TestERC20.bin (creation bytecode, hex, no 0x).
// Usage (from this directory): mkdir -p /tmp/solc && (cd /tmp/solc && npm install solc@0.8.30)
//   NODE_PATH=/tmp/solc/node_modules node build.js
// Settings: optimizer on, 200 runs, EVM version prague, no metadata hash (reproducible bytecode).
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const source = fs.readFileSync(path.join(__dirname, "TestERC20.sol"), "utf8");
const input = {
  language: "Solidity",
  sources: { "TestERC20.sol": { content: source } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "prague",
    metadata: { bytecodeHash: "none", appendCBOR: false },
    outputSelection: { "*": { "*": ["evm.bytecode.object"] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors || []).filter((e) => e.severity === "error");
if (errors.length) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
const bin = out.contracts["TestERC20.sol"].TestERC20.evm.bytecode.object;
fs.writeFileSync(path.join(__dirname, "TestERC20.bin"), bin + "\n");
console.log(`solc ${solc.version()}: TestERC20.bin, ${bin.length / 2} bytes`);
