//! The fault matrix of docs/reliability.md: every way Spotify or the model server can fail, one
//! table row each, run against the fakes over real HTTP. Every cell checks that the error is
//! the specific one, that its message says what to do and holds no secret, that retries are
//! bounded (the fakes count the attempts), that nothing partial was stored and what was stored
//! before is intact, and that the next normal request works. Cells run concurrently, each with
//! its own fake, so the whole matrix takes a few seconds.
//!
//! This file holds the two tests, one per column; `spotify` and `llm` hold their rows and how a
//! row is run, `cells` what every cell shares (the set-up kinds and the message check).

mod cells;
mod llm;
mod spotify;

use futures_util::future::join_all;

/// Spotify column of the matrix: every cell of [`spotify::spotify_cells`], concurrently.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spotify_cells_matrix() {
    let cells = spotify::spotify_cells();
    assert_eq!(cells.len(), 16);
    join_all(cells.into_iter().map(spotify::run_spotify_cell)).await;
}

/// Model-server column of the matrix: every cell of [`llm::llm_cells`], concurrently.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_cells_matrix() {
    let cells = llm::llm_cells();
    assert_eq!(cells.len(), 20);
    join_all(cells.into_iter().map(llm::run_llm_cell)).await;
}
