//! The chain: genesis, blocks, receipts, logs, snapshots, time, in-process API.
