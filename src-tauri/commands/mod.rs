//! Tauri commands: each one line of wiring from the UI to the core.

pub mod find;
pub mod insights;
pub mod library;
pub mod links;
pub mod player;
pub mod session;
pub mod settings;
