//! `/api/search` over the fake's records, modelled on the server's SQLite FTS5 query
//! (`track_repository.rs:199-297`, REFERENCE.md §5): which rows match, and in which order.
//!
//! The server builds an FTS5 query over the columns `name_lower, album_name_lower,
//! artist_name_lower` (all normalised, §4):
//! * with `q`: the normalised `q` itself; each space-separated word is a phrase that must occur
//!   in some column (implicit AND; a word is a phrase of its tokens, adjacent in one column);
//! * else `(name_lower : "<track>")`, then `AND (artist_name_lower : <artist words>)`, then
//!   `AND (album_name_lower : "<album>")`. FTS5's column filter binds only the phrase right
//!   after it, so only the FIRST artist word is looked for in the artist column, the others in
//!   any column (checked against SQLite 3.40's FTS5).
//!
//! A word without tokens (an emoji, `–`) is an empty phrase: FTS5 drops it from an implicit
//! AND, and a part made of nothing else matches no row. Results are the first 20 matches in
//! rowid order, or the 20 best by `bm25` when the server orders by rank; ties keep rowid order.

use super::rules::tokens;

/// Most records one search answers (`track_repository.rs:222,224`).
pub const LIMIT: usize = 20;

/// The FTS5 columns, in the table's order (`migrations/01-initial/up.sql:76-82`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name = 0,
    Album = 1,
    Artist = 2,
}

/// A row as the FTS5 table holds it: the tokens of its three normalised columns.
pub struct Indexed<'a> {
    pub id: i64,
    pub columns: [&'a [String]; 3],
}

/// One phrase: adjacent tokens, in one column or any.
#[derive(Clone, Debug)]
struct Phrase {
    tokens: Vec<String>,
    column: Option<Column>,
}

/// The FTS5 query: every part must match; a part is an implicit AND of its phrases.
#[derive(Debug)]
pub struct Query {
    parts: Vec<Vec<Phrase>>,
    ranked: bool,
}

impl Query {
    /// The server's query for these processed parameters (`process_param`ed: normalised,
    /// `None` when empty), or `None` when it answers `[]` without searching (neither `q` nor
    /// `track_name`).
    pub fn new(
        q: Option<&str>,
        track_name: Option<&str>,
        artist_name: Option<&str>,
        album_name: Option<&str>,
    ) -> Option<Self> {
        // `is_ordered` (`track_repository.rs:211-218`): word counts of the processed params.
        let words = |s: &str| s.split_whitespace().count();
        let ranked = match (q, track_name, artist_name, album_name) {
            (Some(q), ..) => words(q) > 3,
            (None, Some(track), None, None) => words(track) > 3,
            _ => true,
        };
        let parts = match (q, track_name) {
            (Some(q), _) => vec![words_part(q, None)],
            (None, Some(track)) => {
                let mut parts = vec![vec![phrase(track, Some(Column::Name))]];
                if let Some(artist) = artist_name {
                    parts.push(words_part(artist, Some(Column::Artist)));
                }
                if let Some(album) = album_name {
                    parts.push(vec![phrase(album, Some(Column::Album))]);
                }
                parts
            }
            (None, None) => return None,
        };
        Some(Self { parts, ranked })
    }

    /// Whether the server sorts the hits by `bm25` (else rowid order).
    #[cfg(test)]
    pub fn ranked(&self) -> bool {
        self.ranked
    }

    /// The ids of the answer, at most [`LIMIT`], for rows given in rowid order.
    pub fn run(&self, rows: &[Indexed<'_>]) -> Vec<i64> {
        // Empty phrases are dropped from their part; an empty part matches nothing.
        let parts: Vec<Vec<&Phrase>> = self
            .parts
            .iter()
            .map(|part| part.iter().filter(|p| !p.tokens.is_empty()).collect())
            .collect();
        if parts.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let phrases: Vec<&Phrase> = parts.into_iter().flatten().collect();
        let hits: Vec<&Indexed<'_>> = rows
            .iter()
            .filter(|row| phrases.iter().all(|p| occurrences(p, row) > 0))
            .collect();
        if !self.ranked {
            return hits.iter().take(LIMIT).map(|row| row.id).collect();
        }
        let scorer = Bm25::new(&phrases, rows);
        let mut scored: Vec<(f64, i64)> = hits
            .iter()
            .map(|row| (scorer.score(&phrases, row), row.id))
            .collect();
        // Best score first; the sort is stable, so ties stay in rowid order.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().take(LIMIT).map(|(_, id)| id).collect()
    }
}

/// A quoted string: one phrase of all its tokens.
fn phrase(text: &str, column: Option<Column>) -> Phrase {
    Phrase {
        tokens: tokens(text),
        column,
    }
}

/// Space-separated barewords, each its own phrase; a column filter applies to the first only.
fn words_part(text: &str, column: Option<Column>) -> Vec<Phrase> {
    text.split_whitespace()
        .enumerate()
        .map(|(k, word)| phrase(word, if k == 0 { column } else { None }))
        .collect()
}

/// How often the phrase occurs in the row (in its column, or in all three).
fn occurrences(phrase: &Phrase, row: &Indexed<'_>) -> usize {
    let n = phrase.tokens.len();
    let count = |column: &[String]| {
        if column.len() < n {
            return 0;
        }
        column
            .windows(n)
            .filter(|w| *w == phrase.tokens.as_slice())
            .count()
    };
    match phrase.column {
        Some(c) => count(row.columns[c as usize]),
        None => row.columns.iter().map(|c| count(c)).sum(),
    }
}

/// FTS5's built-in `bm25()` (`fts5_aux.c`, k1 = 1.2, b = 0.75, every column weight 1), which
/// `ORDER BY rank` uses: per phrase IDF = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6, with N
/// rows in the table and n rows containing the phrase; a row's score sums
/// IDF · f·(k1+1) / (f + k1·(1 - b + b·D/avgdl)) over the query's phrases, with f the phrase's
/// occurrences in the row and D the row's token count (all columns).
struct Bm25 {
    idf: Vec<f64>,
    avgdl: f64,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

impl Bm25 {
    fn new(phrases: &[&Phrase], rows: &[Indexed<'_>]) -> Self {
        let n_rows = rows.len() as f64;
        let total: usize = rows.iter().map(row_len).sum();
        let idf = phrases
            .iter()
            .map(|p| {
                let n = rows.iter().filter(|row| occurrences(p, row) > 0).count() as f64;
                let idf = ((n_rows - n + 0.5) / (n + 0.5)).ln();
                if idf <= 0.0 {
                    1e-6
                } else {
                    idf
                }
            })
            .collect();
        Self {
            idf,
            avgdl: total as f64 / n_rows.max(1.0),
        }
    }

    /// Higher is better (FTS5 answers the negation and sorts ascending).
    fn score(&self, phrases: &[&Phrase], row: &Indexed<'_>) -> f64 {
        let d = row_len(row) as f64;
        phrases
            .iter()
            .zip(&self.idf)
            .map(|(p, idf)| {
                let f = occurrences(p, row) as f64;
                idf * (f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / self.avgdl))
            })
            .sum()
    }
}

fn row_len(row: &Indexed<'_>) -> usize {
    row.columns.iter().map(|c| c.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rows: &[(i64, &str, &str, &str)], query: &Query) -> Vec<i64> {
        let toks: Vec<[Vec<String>; 3]> = rows
            .iter()
            .map(|(_, n, al, ar)| [tokens(n), tokens(al), tokens(ar)])
            .collect();
        let indexed: Vec<Indexed<'_>> = rows
            .iter()
            .zip(&toks)
            .map(|((id, ..), t)| Indexed {
                id: *id,
                columns: [&t[0], &t[1], &t[2]],
            })
            .collect();
        query.run(&indexed)
    }

    // Expected answers were checked against SQLite 3.40's FTS5 with the same table.
    const ROWS: [(i64, &str, &str, &str); 5] = [
        (1, "alpha one", "bulk lp", "test artist"),
        (2, "artist song", "bulk lp", "test band"),
        (3, "x", "artist", "other test"),
        (4, "夜に駆ける", "the book", "yoasobi"),
        (5, "cafe – remix 👻", "x", "y"),
    ];

    #[test]
    fn the_artist_filter_binds_only_its_first_word() {
        let q = Query::new(None, Some("alpha"), Some("test artist"), None).unwrap();
        assert_eq!(run(&ROWS, &q), [1]);
        let q = Query::new(None, Some("x"), Some("other test"), None).unwrap();
        assert_eq!(run(&ROWS, &q), [3]);
        // "test" in the artist column, "other" anywhere.
        let q = Query::new(None, Some("x"), Some("test other"), None).unwrap();
        assert_eq!(run(&ROWS, &q), [3]);
        // "artist" is in row 3's album, not its artist.
        let q = Query::new(None, Some("x"), Some("artist other"), None).unwrap();
        assert!(run(&ROWS, &q).is_empty());
    }

    #[test]
    fn empty_phrases_are_dropped_or_match_nothing() {
        let q = |s| Query::new(Some(s), None, None, None).unwrap();
        assert_eq!(run(&ROWS, &q("cafe 👻")), [5]);
        assert!(run(&ROWS, &q("👻")).is_empty());
        assert!(run(&ROWS, &q("–")).is_empty());
        assert_eq!(run(&ROWS, &q("cafe–remix")), [5]);
        assert!(run(&ROWS, &q("remix–cafe")).is_empty());
        assert!(run(&ROWS, &q("駆ける")).is_empty());
        assert_eq!(run(&ROWS, &q("夜に駆ける")), [4]);
        let q = Query::new(None, Some("x"), Some("👻"), None).unwrap();
        assert!(run(&ROWS, &q).is_empty());
    }

    #[test]
    fn nothing_to_search_for() {
        assert!(Query::new(None, None, Some("a"), Some("b")).is_none());
        assert!(!Query::new(Some("a b c"), None, None, None)
            .unwrap()
            .ranked());
        assert!(Query::new(Some("a b c d"), None, None, None)
            .unwrap()
            .ranked());
        assert!(!Query::new(None, Some("a b c"), None, None)
            .unwrap()
            .ranked());
        assert!(Query::new(None, Some("a b c d"), None, None)
            .unwrap()
            .ranked());
        assert!(Query::new(None, Some("a"), None, Some("b"))
            .unwrap()
            .ranked());
    }
}
