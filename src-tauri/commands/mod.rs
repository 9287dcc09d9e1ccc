//! The commands' implementations, each a line or two of wiring from the page to the core; their
//! names, arguments and answers are declared in `contract.rs`, which registers them.

pub mod find;
pub mod insights;
pub mod library;
pub mod links;
pub mod pages;
pub mod player;
pub mod session;
pub mod settings;
