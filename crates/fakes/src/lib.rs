//! Local stand-ins for Spotify (accounts + Web API) and an OpenAI-compatible server, speaking
//! their real HTTP protocols on 127.0.0.1, for tests, benchmarks and the demo.

#[cfg(unix)]
pub mod desktop;
pub mod faults;
pub mod openai;
pub mod spotify;
