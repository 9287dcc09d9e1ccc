//! Tauri-free domain of Spotify Plus: Spotify client and auth, insight pipeline, SQLite cache, config.

pub mod app;
pub mod auth;
pub mod cache;
pub mod config;
pub mod insight;
pub mod secret;
pub mod spotify;

#[cfg(test)]
mod fuzz_tests;

/// An error the UI can show: a stable machine-readable kind plus its human message (`Display`).
pub trait Kinded: std::error::Error {
    /// Stable snake_case name of the failure, e.g. `rate_limited`, used by the UI to pick advice.
    fn kind(&self) -> &'static str;
}
