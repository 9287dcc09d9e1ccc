//! Gathering the facts of one insight within its budget: the parts that are back in time are
//! used, the others go on in the background (and are cached for the next time).

use super::service::PartResult;
use super::{FactSheet, FactsService, GroundingStatus, Lookup};
use futures_util::future::join_all;
use tokio::time::{timeout_at, Instant};

/// The facts of one insight and how they went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gathered {
    /// Every fact back in time.
    pub sheet: FactSheet,
    /// `Grounded` when there is any fact; otherwise why there is none.
    pub status: GroundingStatus,
}

type Outcome = Result<PartResult, tokio::time::error::Elapsed>;

/// How long a track's facts wait for its album's page once the recording is back.
const ALBUM_GRACE: std::time::Duration = std::time::Duration::from_millis(250);

impl FactsService {
    /// The facts for `lookup` that are back before `deadline`.
    pub async fn gather(&self, lookup: &Lookup, deadline: Instant) -> Gathered {
        let mut outcomes: Vec<Outcome> = Vec::new();
        match lookup {
            Lookup::Track { isrc: None, .. } => {}
            Lookup::Track {
                isrc: Some(isrc), ..
            } => {
                let recording = timeout_at(deadline, self.recording(isrc)).await;
                let album = match &recording {
                    Ok(Ok(part)) => part.album.clone(),
                    _ => None,
                };
                outcomes.push(recording);
                // The album's page is a nice-to-have that only gets idle MusicBrainz turns: it
                // is used when cached or quick, and otherwise lands in the cache for next time
                // rather than holding this insight to the end of its budget.
                if let Some(album) = album {
                    let grace = deadline.min(Instant::now() + ALBUM_GRACE);
                    if let Ok(part) = timeout_at(grace, self.album(&album)).await {
                        outcomes.push(Ok(part));
                    }
                }
            }
            Lookup::Artists { artists, isrc } => {
                let parts = artists
                    .iter()
                    .map(|(id, name)| timeout_at(deadline, self.artist(id, name, isrc.as_deref())));
                outcomes.extend(join_all(parts).await);
            }
        }
        combine(outcomes)
    }

    /// Starts gathering `lookup` without waiting (a page about to ask for it).
    pub fn warm(&self, lookup: Lookup) {
        let service = self.clone();
        let deadline = Instant::now() + std::time::Duration::from_secs(60);
        tokio::spawn(async move { service.gather(&lookup, deadline).await });
    }
}

fn combine(outcomes: Vec<Outcome>) -> Gathered {
    let mut sheet = FactSheet::default();
    let (mut late, mut failed) = (false, false);
    for outcome in outcomes {
        match outcome {
            Ok(Ok(part)) => sheet.merge(&part.sheet),
            Ok(Err(error)) => {
                tracing::info!(%error, "facts unavailable");
                failed = true;
            }
            Err(_) => late = true,
        }
    }
    let status = if !sheet.is_empty() {
        GroundingStatus::Grounded
    } else if late {
        GroundingStatus::Late
    } else if failed {
        GroundingStatus::Unavailable
    } else {
        GroundingStatus::NotFound
    };
    Gathered { sheet, status }
}
