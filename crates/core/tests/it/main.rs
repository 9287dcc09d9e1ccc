//! The core's integration tests, one binary (one link, one run) with a module per subject; the
//! fakes speak the real protocols over 127.0.0.1.

mod app_resilience;
mod auth_flow;
mod cache_store;
#[cfg(unix)]
mod conformance;
mod facts;
mod fault_matrix;
mod find;
mod insight_llm;
mod insight_pipeline;
mod insight_support;
mod lyrics;
mod model_lifecycle;
mod open_music_conformance;
mod playback;
#[cfg(unix)]
mod read_only_folder;
#[cfg(unix)]
mod real_model;
#[cfg(unix)]
mod secrets;
#[cfg(unix)]
mod secrets_boundaries;
mod security;
mod spotify_client;
mod spotify_common;
mod spotify_today;
mod state_owner;
mod state_trust;
