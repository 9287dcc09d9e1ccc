//! Local stand-ins for Spotify (accounts + Web API), an OpenAI-compatible server and the open
//! music data behind grounded insights (MusicBrainz, Wikidata, Wikipedia) and lyrics (LRCLIB),
//! speaking their real HTTP protocols on 127.0.0.1, for tests, benchmarks and the demo.

mod bearer;
pub mod facts;
pub mod faults;
pub mod lrclib;
pub mod openai;
pub mod spotify;
