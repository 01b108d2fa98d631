//! The devnode (not written yet).
