//! Finding the right record for a track: `/api/get` with the album, once more without it (the
//! server answers 404 when the album differs), then `/api/search`, where a record counts only
//! with the same title and artist and a length within the server's own two seconds. A wrong
//! song is worse than none.

use super::lrc;
use super::lrclib::{near, Lrclib, Query, Record};
use super::LyricsError;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The record to show for `query`, or `None` when LRCLIB has no lyrics for it.
pub(crate) async fn find(lrclib: &Lrclib, query: &Query) -> Result<Option<Record>, LyricsError> {
    let mut found = lrclib.get(query, true).await?.filter(Record::is_answer);
    if found.is_none() && query.album.is_some() {
        found = lrclib.get(query, false).await?.filter(Record::is_answer);
    }
    match found {
        // An answer with timing, or a track said to be instrumental, is final.
        Some(record) if record.instrumental || is_synced(&record) => Ok(Some(record)),
        // Plain words (or none): a synced copy of the same song may be filed under another
        // record, and the lowest-numbered one is not always the best.
        found => {
            let better = best(query, lrclib.search(query).await?);
            Ok(match (found, better) {
                (Some(plain), Some((_, false))) => Some(plain),
                (found, better) => better.map(|(record, _)| record).or(found),
            })
        }
    }
}

/// The best of the search's records for `query`, and whether it is synced: the same song
/// (title, artist, length), synced before plain before instrumental, then the closest length,
/// then the oldest record. Each record's LRC is read once, not at every comparison.
fn best(query: &Query, records: Vec<Record>) -> Option<(Record, bool)> {
    let title = title_words(&query.track);
    let artist = words(&query.artist);
    records
        .into_iter()
        .filter(|r| near(r, query) && r.is_answer())
        .filter(|r| r.track_name.as_deref().map(title_words).as_deref() == Some(&title[..]))
        .filter(|r| {
            r.artist_name
                .as_deref()
                .is_some_and(|a| contains_run(&words(a), &artist))
        })
        .map(|r| {
            let synced = is_synced(&r);
            let rank = match (synced, r.has_words()) {
                (true, _) => 0,
                (false, true) => 1,
                (false, false) => 2,
            };
            let gap = (r.duration.unwrap_or(f64::MAX) - query.duration_s).abs();
            (rank, gap, r, synced)
        })
        .min_by(|(rank_a, gap_a, a, _), (rank_b, gap_b, b, _)| {
            rank_a
                .cmp(rank_b)
                .then(gap_a.total_cmp(gap_b))
                .then(a.id.cmp(&b.id))
        })
        .map(|(_, _, record, synced)| (record, synced))
}

/// Whether the record's LRC text has usable timing (not all-zero "fake sync").
pub(crate) fn is_synced(record: &Record) -> bool {
    record
        .synced_lyrics
        .as_deref()
        .is_some_and(|text| lrc::parse_synced(text).is_some())
}

/// A name as words to compare: compatibility-decomposed, without accents, apostrophes or
/// punctuation, lower case. "Café – Remix" and "Cafe - remix" are the same words.
fn words(name: &str) -> Vec<String> {
    let folded: String = name
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && !matches!(c, '\'' | '’'))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().map(str::to_string).collect()
}

/// A title's words without its featured artists: "Song (feat. X)", "Song [ft. X]" and
/// "Song feat. X" are the song "Song" (catalogues and uploaders credit guests differently).
fn title_words(title: &str) -> Vec<String> {
    // ASCII lower case keeps every byte offset of the original.
    let lower = title.to_ascii_lowercase();
    let cut = [
        "(feat",
        "[feat",
        "(ft.",
        "[ft.",
        " feat. ",
        " ft. ",
        " featuring ",
    ]
    .iter()
    .filter_map(|marker| lower.find(marker).map(|at| (at, *marker)))
    .min();
    let Some((at, marker)) = cut else {
        return words(title);
    };
    let end = match marker.as_bytes()[0] {
        b'(' => lower[at..].find(')').map(|e| at + e + 1),
        b'[' => lower[at..].find(']').map(|e| at + e + 1),
        _ => None,
    }
    .unwrap_or(title.len());
    words(&format!("{}{}", &title[..at], &title[end..]))
}

/// Whether `run` occurs in `all` as consecutive words ("Ada Lovetone" in "Ada Lovetone feat.
/// X"); an empty run never does.
fn contains_run(all: &[String], run: &[String]) -> bool {
    !run.is_empty() && all.windows(run.len()).any(|w| w == run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: i64, title: &str, artist: &str, duration: f64, synced: bool) -> Record {
        Record {
            id,
            track_name: Some(title.into()),
            artist_name: Some(artist.into()),
            album_name: None,
            duration: Some(duration),
            instrumental: false,
            plain_lyrics: Some("words".into()),
            synced_lyrics: synced.then(|| "[00:01.00] words\n[00:03.00] more".into()),
        }
    }

    fn query() -> Query {
        Query::new("Golden Heart", "Ada Lovetone", Some("Album"), 200_000)
    }

    #[test]
    fn names_compare_as_words() {
        assert_eq!(words("Café – Remix"), words("cafe - REMIX"));
        assert_eq!(words("Don’t Stop"), words("Dont stop"));
        assert_eq!(words("ＹＯＡＳＯＢＩ"), words("yoasobi"));
        assert_ne!(words("Golden Heart (Live)"), words("Golden Heart"));
    }

    #[test]
    fn featured_artists_are_not_part_of_the_title() {
        let plain = title_words("Golden Heart");
        for credited in [
            "Golden Heart (feat. Nina Kelso)",
            "Golden Heart [ft. Nina Kelso]",
            "Golden Heart feat. Nina Kelso",
            "Golden Heart (Featuring Nina Kelso)",
        ] {
            assert_eq!(title_words(credited), plain, "{credited}");
        }
        assert_eq!(
            title_words("Golden Heart (feat. X) - Live"),
            title_words("Golden Heart - Live")
        );
        assert_ne!(title_words("Golden Heart (Live)"), plain);
        assert_eq!(title_words("İstanbul (feat. X)"), title_words("İstanbul"));
    }

    #[test]
    fn a_search_hit_outside_two_seconds_is_never_used() {
        let far = record(1, "Golden Heart", "Ada Lovetone", 203.0, true);
        assert_eq!(best(&query(), vec![far]).map(|(r, _)| r), None);
        let edge = record(2, "Golden Heart", "Ada Lovetone", 202.0, true);
        assert_eq!(best(&query(), vec![edge]).map(|(r, _)| r.id), Some(2));
    }

    #[test]
    fn another_title_or_artist_is_another_song() {
        let live = record(1, "Golden Heart (Live)", "Ada Lovetone", 200.0, true);
        let cover = record(2, "Golden Heart", "Nina Kelso", 200.0, true);
        assert_eq!(best(&query(), vec![live, cover]).map(|(r, _)| r), None);
        let featuring = record(
            3,
            "Golden Heart",
            "Ada Lovetone feat. Nina Kelso",
            200.0,
            true,
        );
        assert_eq!(best(&query(), vec![featuring]).map(|(r, _)| r.id), Some(3));
    }

    #[test]
    fn synced_wins_then_the_closest_length_then_the_oldest() {
        let plain_exact = record(1, "Golden Heart", "Ada Lovetone", 200.0, false);
        let synced_off = record(2, "Golden Heart", "Ada Lovetone", 201.5, true);
        let synced_close = record(3, "Golden Heart", "Ada Lovetone", 200.5, true);
        let synced_close_newer = record(4, "Golden Heart", "Ada Lovetone", 199.5, true);
        let picked = best(
            &query(),
            vec![plain_exact, synced_off, synced_close_newer, synced_close],
        );
        assert_eq!(picked.map(|(r, synced)| (r.id, synced)), Some((3, true)));
    }

    #[test]
    fn a_record_without_words_is_no_answer() {
        let mut empty = record(1, "Golden Heart", "Ada Lovetone", 200.0, false);
        empty.plain_lyrics = Some("  \n".into());
        assert_eq!(best(&query(), vec![empty]).map(|(r, _)| r), None);
    }
}
