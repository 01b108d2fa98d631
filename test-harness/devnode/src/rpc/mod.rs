//! JSON-RPC server over the node.
