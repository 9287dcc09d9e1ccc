//! Tauri-free domain of Spotify Plus: Spotify client and auth, insight pipeline, SQLite cache,
//! config, and the state owner that the Tauri layer only wires to the window.
//!
//! # House rules
//!
//! - Nothing here imports `tauri`: every user action is a method of [`app::Services`], and the
//!   settings and secrets are owned by [`state::AppState`]; the shell's commands are one line.
//! - One error enum per layer (`thiserror`), every error [`Kinded`] from the one [`ErrorKind`]
//!   list; messages are written for the user and never hold a secret or a raw response body.
//! - Secrets are [`secret::Secret`]s (they print as `***`); IDs are validated types
//!   ([`spotify::TrackId`] and friends), never bare strings.
//! - Every answer a server gives is bounded: its size, its wait, its shape.
//!
//! # Glossary
//!
//! - **Saved items** (Spotify calls them the user's *library*): the tracks, albums and so on the
//!   user saved in Spotify (`/me/library`, the heart on a track page; [`spotify`]'s `library.rs`).
//! - **Sample library**: the fake Spotify's sample data (`spotify-plus-fakes`), used by the tests
//!   and the demo. Not the user's saved items.
//! - **Crate** (never "library" here): a Rust package such as this one.
//! - **Insight**: what the model wrote about a track, its artists, an artist or an album, cached
//!   per subject and language ([`insight`], [`cache`]).
//! - **Facts** / **grounding**: what MusicBrainz, Wikidata and Wikipedia say about a subject,
//!   quoted to the model as data ([`facts`]); an insight is *grounded* when written with them.
//! - **Flight**: one call in progress that concurrent askers share (single flight) instead of
//!   each making their own.
//! - **Memo**: an answer kept in memory for a while (the track memo, the user's ID), as opposed
//!   to the **cache**, the SQLite file that outlives the app.
//! - **Ban**: Spotify's order to stay away (a `429` with a long `Retry-After`), kept across
//!   settings changes; no Spotify call is made until it ends.
//! - **Vault**: where secrets live, the OS keyring or 0600 files ([`vault`]).
//! - **Services**: the running core for one set of settings; *rebuilt* (not restarted) when the
//!   settings change ([`app::Services::rebuild`]).

#![deny(missing_docs)]

pub mod app;
pub mod auth;
pub mod cache;
pub mod config;
pub mod data_dir;
pub mod error;
pub mod facts;
pub mod insight;
pub mod links;
pub mod lyrics;
pub mod memo;
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
