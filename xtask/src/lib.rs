//! The project's tasks (`cargo xtask ...`) as a library, so tests can run
//! them against a temporary copy of the workspace layout.

pub mod bench;
pub mod bump;
pub mod changelog;
pub mod codegen;
pub mod fetch;
pub mod lock;
pub mod release;
pub mod source;
pub mod spec_diff;
pub mod transaction;
pub mod update_spec;
