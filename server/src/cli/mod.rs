//! The command line: `main.rs` is the binary (flags, `serve`, subcommands); these are the
//! library pieces it drives, also used by tests: `admin` (accounts from the command line) and
//! `demo` (the demo community's seed).

pub mod admin;
pub mod demo;
