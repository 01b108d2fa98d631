//! Transaction execution: EVM (revm) + Stylus programs + ArbOS precompiles.
