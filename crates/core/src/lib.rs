//! Tauri-free domain of Spotify Plus: Spotify client and auth, insight pipeline, SQLite cache, config.

pub mod app;
pub mod auth;
pub mod cache;
pub mod config;
pub mod data_dir;
pub mod error;
pub mod facts;
pub mod insight;
pub mod links;
pub mod net;
pub mod poll;
pub mod secret;
pub mod settings;
pub mod spotify;
pub mod state;
pub mod vault;

#[cfg(test)]
mod fuzz_tests;

pub use error::{ErrorKind, ErrorScope, Kinded, UiError};
