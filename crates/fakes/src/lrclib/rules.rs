//! LRCLIB's text rules, as its server applies them (`fixtures/lrclib/REFERENCE.md`, "\[S\]" = the
//! server's source at `de83c12`): the name normalisation of §4, the `/api/get` validation and
//! duration window of §3/§4, and the timestamp stripping of §6.

/// Characters the server turns into a space (§4 step 2; the regex of `server/src/utils.rs:10`).
const TO_SPACE: &str = "`~!@#$%^&*()_|+-=?;:\",.<>{}[]\\/";

/// Apostrophes the server removes (§4 step 3).
const REMOVED: [char; 2] = ['\'', '’'];

/// `prepare_input` (`server/src/utils.rs:7-20`, §4): applied to stored names and to every query
/// parameter. Lower-case and strip diacritics per character (`secular::lower_lay_string`, the
/// crate and table the server uses: `é`→`e`, full-width `Ｙ`→`y`), punctuation of `TO_SPACE`
/// → space, `'`/`’` removed, lower-case again, trim and collapse whitespace. No Unicode
/// normalisation: a decomposed `e` + U+0301 keeps its combining mark and does not match `é`.
pub fn normalise(input: &str) -> String {
    let lay = secular::lower_lay_string(input);
    let spaced: String = lay
        .chars()
        .filter(|c| !REMOVED.contains(c))
        .map(|c| if TO_SPACE.contains(c) { ' ' } else { c })
        .collect();
    collapse(&spaced.to_lowercase())
}

/// The `collapse` crate's `collapse` (0.1.2), which the server uses: trim, then every run of
/// whitespace becomes one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_was_space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !last_was_space {
                out.push(' ');
            }
            last_was_space = true;
        } else {
            out.push(c);
            last_was_space = false;
        }
    }
    out
}

/// `process_param` (`server/src/utils.rs:85-91`): a query parameter normalised, `None` when
/// nothing is left (so `album_name=` counts as absent, §4).
pub fn process_param(param: Option<&str>) -> Option<String> {
    param.map(normalise).filter(|s| !s.trim().is_empty())
}

/// The validation of `/api/get`'s parameters (`get_lyrics_by_metadata.rs:17-26`, §3): the
/// messages of the failed rules, joined by `\n` in the answer. `validator` keeps them in a
/// HashMap, so the real order varies from run to run; the fake always uses the order the
/// transcript shows (duration, track_name, artist_name). `length(min = 1)` counts characters,
/// so a lone space passes; the range check compares, so NaN passes and ±inf fail.
pub fn validate_get(track_name: &str, artist_name: &str, duration: Option<f64>) -> Vec<String> {
    let mut errors = Vec::new();
    // Not `!(1.0..=3600.0).contains(&d)`: that refuses NaN, which the server lets through.
    #[allow(clippy::manual_range_contains)]
    if duration.is_some_and(|d| d < 1.0 || d > 3600.0) {
        errors.push("duration: must be between 1 and 3600".to_string());
    }
    if track_name.chars().count() < 1 {
        errors.push("track_name: cannot be empty".to_string());
    }
    if artist_name.chars().count() < 1 {
        errors.push("artist_name: cannot be empty".to_string());
    }
    errors
}

/// The duration filter of `/api/get` (`track_repository.rs:150-157`, §4): inclusive ±2 s, in
/// floating point exactly as SQLite compares (`duration >= d-2.0 AND duration <= d+2.0`; a NaN
/// `d` matches nothing).
pub fn within_window(stored: f64, requested: f64) -> bool {
    stored >= requested - 2.0 && stored <= requested + 2.0
}

/// `strip_timestamp` (`server/src/utils.rs:22-26`, §6), the server's plain lyrics for a
/// publish with synced lyrics only: the regex `^\[(.*)\] *` has no multi-line flag, so only the
/// first line's timestamp goes (through its last `]`, `.*` being greedy), later lines keep theirs.
pub fn strip_first_timestamp(synced: &str) -> String {
    let first_line = synced.split('\n').next().unwrap_or_default();
    if !first_line.starts_with('[') {
        return synced.to_string();
    }
    match first_line.rfind(']') {
        Some(end) if end > 0 => synced[end + 1..].trim_start_matches(' ').to_string(),
        _ => synced.to_string(),
    }
}

/// Splits normalised text into tokens like SQLite FTS5's default `unicode61` tokenizer (§5):
/// letters and digits of any script (`char::is_alphanumeric`, Unicode L* and N*) make tokens,
/// everything else separates them (spaces, en dashes, `…`, `・`, emoji). Combining diacritical
/// marks (U+0300-U+036F) belong to their token and are dropped (`remove_diacritics`). CJK text
/// is not split into words: `夜に駆ける` is one token.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_follows_the_reference() {
        // §4 examples.
        assert_eq!(normalise("Baldur's Gate"), "baldurs gate");
        assert_eq!(normalise("Baldur’s Gate"), "baldurs gate");
        assert_eq!(normalise("Beyoncé & Jay-Z"), "beyonce jay z");
        assert_eq!(
            normalise("Drowning (Avicii Remix)"),
            "drowning avicii remix"
        );
        assert_eq!(
            normalise("Drowning - Avicii Remix"),
            "drowning avicii remix"
        );
        assert_eq!(normalise("Café – Remix"), "cafe – remix");
        assert_ne!(normalise("Café – Remix"), normalise("Cafe - Remix"));
        assert_eq!(normalise("Song (feat. X)"), "song feat x");
        assert_eq!(normalise("ＹＯＡＳＯＢＩ\u{3000}"), "yoasobi");
        assert_eq!(normalise("  a \t\n b  "), "a b");
        assert_eq!(normalise("夜に駆ける"), "夜に駆ける");
        // NFD keeps its combining mark: no match with the NFC form.
        assert_ne!(normalise("Cafe\u{301}"), normalise("Café"));
        assert_eq!(process_param(Some(" ?! ")), None);
        assert_eq!(process_param(Some("")), None);
        assert_eq!(process_param(None), None);
    }

    #[test]
    fn only_the_first_timestamp_is_stripped() {
        assert_eq!(
            strip_first_timestamp("[00:01.00] first line\n[00:02.50] second line"),
            "first line\n[00:02.50] second line"
        );
        assert_eq!(strip_first_timestamp("[a] b [c]  d\n[e] f"), "d\n[e] f");
        assert_eq!(
            strip_first_timestamp("no tag\n[00:01.00] x"),
            "no tag\n[00:01.00] x"
        );
        assert_eq!(strip_first_timestamp("[open\n] x"), "[open\n] x");
    }

    #[test]
    fn tokens_are_unicode61_like() {
        assert_eq!(tokens("cafe – remix 👻"), ["cafe", "remix"]);
        assert_eq!(tokens("夜に駆ける"), ["夜に駆ける"]);
        assert_eq!(tokens("a・b"), ["a", "b"]);
        assert_eq!(tokens("cafe\u{301} x"), ["cafe", "x"]);
        assert!(tokens("👻 –").is_empty());
    }

    #[test]
    fn validation_and_window() {
        assert!(validate_get(" ", "x", Some(f64::NAN)).is_empty());
        assert_eq!(validate_get("", "x", Some(f64::INFINITY)).len(), 2);
        assert!(within_window(233.0, 231.0) && within_window(233.0, 235.0));
        assert!(!within_window(233.0, 230.99) && !within_window(233.0, 235.01));
        assert!(!within_window(233.0, f64::NAN));
    }
}
