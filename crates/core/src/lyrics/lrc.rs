//! Lenient LRC reading for LRCLIB's lyrics (`crates/fakes/fixtures/lrclib/REFERENCE.md` §6): `syncedLyrics` is
//! free text uploaded by anyone (two- or three-digit fractions, metadata tags, empty timed lines,
//! several timestamps on a line, Enhanced-LRC word tags, untimed lines, fake sync), and
//! `plainLyrics` may still carry timestamps, so both are read here into lines to show.
//!
//! Hand-written: the `lrc` crate (magiclen, 0.2) fails a whole text on one three-digit fraction
//! or a `[x:y]` inside a line, keeps untimed lines apart from timed ones and leaves word tags in.
//!
//! Every function is linear in the text (the sort is stable and near-linear on LRC, which comes
//! mostly in order), never panics, and saturates absurd times at `u32::MAX` ms.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One line as shown: `start_ms` when the lyrics are synced (None for an untimed line inside
/// synced text), the text without tags; an empty text is a pause (shown as a gap, never
/// highlighted as words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LyricLine {
    /// When the line starts, in ms from the start of the track (after the file's `[offset:]`);
    /// None for an untimed line inside synced text.
    pub start_ms: Option<u32>,
    /// The text without timestamps or word tags, trimmed; empty for a pause.
    pub text: String,
}

/// At most this many timestamps of one line are used, so that a line with thousands of them
/// cannot multiply its text beyond a bounded factor.
const MAX_TIMES_PER_LINE: usize = 32;

/// A word tag `<mm:ss.xx>` is looked for within this many bytes after its `<`, so that a text
/// full of lone `<` stays linear.
const MAX_WORD_TAG_LEN: usize = 24;

/// Keys of the LRC metadata tags (`[key:value]`, case-insensitive); other bracketed text is
/// lyrics (`[chorus]`, `[Verse 1: Someone]`).
const TAG_KEYS: [&str; 15] = [
    "ar", "al", "ti", "au", "lr", "by", "length", "offset", "re", "ve", "tool", "id", "la", "lang",
    "#",
];

/// Reads LRC text: lines sorted by time (stable; untimed lines keep their place after the
/// previous timed line), metadata tags dropped, `[offset:±N]` applied (LRC: positive offset =
/// lyrics earlier: start = t - offset, clamped at 0), word tags `<mm:ss.xx>` removed,
/// multi-timestamp lines repeated at each time, leading/trailing blank pauses trimmed, runs of
/// pauses collapsed to one. Returns None when the text has no usable timing: no timestamp at
/// all, or every timestamp the same (fake sync) — the caller then shows it as plain via
/// [`plain_lines`].
///
/// "The same" is judged on the lines with words, after the offset: `[00:00.00]` on every line
/// but an end marker `[03:10.00]` is fake sync too.
///
/// A run of pauses keeps its first timed pause (else its first blank line). An untimed line
/// after a line with several timestamps follows that line's earliest one.
pub fn parse_synced(lrc: &str) -> Option<Vec<LyricLine>> {
    struct Entry {
        /// The time it sorts by, before the offset.
        key: u32,
        start: Option<u32>,
        text: String,
    }

    let mut times = Vec::new();
    let mut offset: i64 = 0;
    let mut entries: Vec<Entry> = Vec::new();
    let mut last_key = 0;
    for line in lines_of(lrc) {
        match read_line(line, &mut times) {
            Head::Tags { offset: Some(o) } => offset = o,
            Head::Tags { offset: None } => {}
            Head::Text(rest) => {
                let text = clean_text(rest);
                let Some(&earliest) = times.iter().min() else {
                    entries.push(Entry {
                        key: last_key,
                        start: None,
                        text,
                    });
                    continue;
                };
                last_key = earliest;
                if let Some((&last, others)) = times.split_last() {
                    for &t in others {
                        entries.push(Entry {
                            key: t,
                            start: Some(t),
                            text: text.clone(),
                        });
                    }
                    entries.push(Entry {
                        key: last,
                        start: Some(last),
                        text,
                    });
                }
            }
        }
    }

    // Stable: untimed lines stay after the timed line they followed, equal times keep their
    // order. The offset shifts every time alike (clamping keeps the order), so it comes after.
    entries.sort_by_key(|e| e.key);

    let mut out: Vec<LyricLine> = Vec::with_capacity(entries.len());
    let mut pause: Option<LyricLine> = None;
    let (mut first, mut last) = (u32::MAX, 0);
    for entry in entries {
        let line = LyricLine {
            start_ms: entry.start.map(|t| shift(t, offset)),
            text: entry.text,
        };
        if line.text.is_empty() {
            match &pause {
                _ if out.is_empty() => {}
                None => pause = Some(line),
                Some(p) if p.start_ms.is_none() && line.start_ms.is_some() => pause = Some(line),
                Some(_) => {}
            }
            continue;
        }
        if let Some(start) = line.start_ms {
            first = first.min(start);
            last = last.max(start);
        }
        out.extend(pause.take());
        out.push(line);
    }
    (first < last).then_some(out)
}

/// Plain lyrics for display: one String per line, every leading timestamp (any number of them)
/// and word tag removed, metadata-tag-only lines dropped, CRLF handled, leading/trailing blank
/// lines trimmed, runs of blank lines collapsed to one "" (a stanza break).
pub fn plain_lines(text: &str) -> Vec<String> {
    let mut times = Vec::new();
    let mut out = Vec::new();
    let mut blank = false;
    for line in lines_of(text) {
        let Head::Text(rest) = read_line(line, &mut times) else {
            continue;
        };
        let line = clean_text(rest);
        if line.is_empty() {
            blank = !out.is_empty();
        } else {
            if std::mem::take(&mut blank) {
                out.push(String::new());
            }
            out.push(line);
        }
    }
    out
}

/// The lines of a text: ends are `\n`, `\r\n` or a lone `\r`.
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// What a line starts with.
enum Head<'a> {
    /// Metadata tags only: the line is not lyrics. `offset` is the last valid `[offset:]`.
    Tags { offset: Option<i64> },
    /// Lyrics after the leading timestamps (which are in the caller's buffer, maybe none).
    Text(&'a str),
}

/// Reads the leading tags of a line: timestamps into `times` (cleared first, at most
/// [`MAX_TIMES_PER_LINE`] kept), or metadata tags (then the line is tags only). Each bracket is
/// looked at once, so this is linear in the line.
fn read_line<'a>(line: &'a str, times: &mut Vec<u32>) -> Head<'a> {
    times.clear();
    let mut rest = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let mut tags = false;
    let mut offset = None;
    while let Some((inner, after)) = rest
        .strip_prefix('[')
        .and_then(|r| r.find(']').map(|end| (&r[..end], &r[end + 1..])))
    {
        if !tags {
            if let Some(t) = timestamp(inner) {
                if times.len() < MAX_TIMES_PER_LINE {
                    times.push(t);
                }
                rest = after.trim_start();
                continue;
            }
        }
        if !times.is_empty() {
            break;
        }
        let Some((key, value)) = metadata_tag(inner) else {
            break;
        };
        tags = true;
        if key.eq_ignore_ascii_case("offset") {
            offset = signed_ms(value).or(offset);
        }
        rest = after.trim_start();
    }
    if tags {
        Head::Tags { offset }
    } else {
        Head::Text(rest)
    }
}

/// `key:value` when `key` is one of [`TAG_KEYS`].
fn metadata_tag(inner: &str) -> Option<(&str, &str)> {
    let (key, value) = inner.split_once(':')?;
    let key = key.trim();
    TAG_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
        .then_some((key, value.trim()))
}

/// A timestamp's inside in ms: `m:ss`, then optionally `.` or `:` and a fraction (1 digit:
/// tenths, 2: hundredths, 3: ms, further digits ignored). Minutes have any number of digits
/// (saturating); seconds one or two.
fn timestamp(inner: &str) -> Option<u32> {
    let (minutes, rest) = inner.trim().split_once(':')?;
    let (seconds, fraction) = match rest.find(['.', ':']) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if minutes.is_empty()
        || !all_digits(minutes)
        || !(1..=2).contains(&seconds.len())
        || !all_digits(seconds)
        || !all_digits(fraction)
    {
        return None;
    }
    let number = |s: &str| {
        s.bytes().fold(0u64, |n, b| {
            n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        })
    };
    let fraction_ms = fraction
        .bytes()
        .take(3)
        .zip([100, 10, 1])
        .map(|(b, scale)| u64::from(b - b'0') * scale)
        .sum::<u64>();
    let ms = number(minutes)
        .saturating_mul(60_000)
        .saturating_add(number(seconds) * 1_000)
        .saturating_add(fraction_ms);
    Some(u32::try_from(ms).unwrap_or(u32::MAX))
}

/// An `[offset:]` value: optional sign, digits (ms), saturating.
fn signed_ms(value: &str) -> Option<i64> {
    let (negative, digits) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    let digits = digits.trim_start();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = digits.bytes().fold(0i64, |n, b| {
        n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    Some(if negative { -n } else { n })
}

/// `t - offset`, clamped to `0..=u32::MAX`.
fn shift(t: u32, offset: i64) -> u32 {
    let shifted = i64::from(t).saturating_sub(offset);
    u32::try_from(shifted.max(0)).unwrap_or(u32::MAX)
}

/// The text to show: word tags `<mm:ss.xx>` removed (with the spaces around them collapsed),
/// trimmed.
fn clean_text(text: &str) -> String {
    if !text.contains('<') {
        return text.trim().to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut removed = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.bytes().take(MAX_WORD_TAG_LEN).position(|b| b == b'>');
        match end.filter(|&end| timestamp(&after[..end]).is_some()) {
            Some(end) => {
                removed = true;
                rest = &after[end + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if removed {
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        out.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A timed line.
    fn at(ms: u32, text: &str) -> LyricLine {
        LyricLine {
            start_ms: Some(ms),
            text: text.to_string(),
        }
    }

    /// An untimed line.
    fn untimed(text: &str) -> LyricLine {
        LyricLine {
            start_ms: None,
            text: text.to_string(),
        }
    }

    fn synced(lrc: &str) -> Vec<LyricLine> {
        parse_synced(lrc).expect("usable timing")
    }

    #[test]
    fn reads_two_digit_fractions_with_and_without_a_space() {
        let lrc = "[00:12.34] Paper lanterns drift\n[00:15.80]over the harbour wall\n";
        assert_eq!(
            synced(lrc),
            vec![
                at(12_340, "Paper lanterns drift"),
                at(15_800, "over the harbour wall"),
            ]
        );
    }

    #[test]
    fn reads_three_and_one_digit_fractions() {
        let lrc = "[00:01.005] copper kettle\n[01:02.345]humming low\n[01:03.5] then quiet";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_005, "copper kettle"),
                at(62_345, "humming low"),
                at(63_500, "then quiet"),
            ]
        );
    }

    #[test]
    fn reads_one_digit_minutes_and_missing_fractions() {
        let lrc = "[1:05.20] the tram bell rings\n[02:10] and the doors fold open";
        assert_eq!(
            synced(lrc),
            vec![
                at(65_200, "the tram bell rings"),
                at(130_000, "and the doors fold open"),
            ]
        );
    }

    #[test]
    fn reads_a_colon_before_the_fraction_and_minutes_past_59() {
        let lrc = "[00:12:34] small hours\n[75:01.00] still awake";
        assert_eq!(
            synced(lrc),
            vec![at(12_340, "small hours"), at(4_501_000, "still awake")]
        );
    }

    #[test]
    fn empty_timed_lines_are_pauses_collapsed_and_trimmed_at_the_ends() {
        let lrc = "[00:01.00]\n[00:05.00] gravel under boots\n[00:09.00]\n[00:10.00]   \n\
                   [00:12.00] a porch light left on\n[00:20.00] \n[00:21.00]";
        assert_eq!(
            synced(lrc),
            vec![
                at(5_000, "gravel under boots"),
                at(9_000, ""),
                at(12_000, "a porch light left on"),
            ]
        );
    }

    #[test]
    fn blank_lines_become_one_untimed_pause() {
        let lrc = "\n\n[00:01.00] first verse here\n\n\n[00:02.00] second verse here\n\n";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "first verse here"),
                untimed(""),
                at(2_000, "second verse here"),
            ]
        );
    }

    #[test]
    fn a_timed_pause_wins_over_blank_lines_in_the_same_run() {
        let lrc = "[00:01.00] one\n\n[00:03.00]\n\n[00:05.00] two";
        assert_eq!(
            synced(lrc),
            vec![at(1_000, "one"), at(3_000, ""), at(5_000, "two")]
        );
    }

    #[test]
    fn metadata_tags_are_dropped() {
        let lrc = "[ar:The Invented Band]\n[al:Made Up Album]\n[ti:Nowhere Song]\n\
                   [by:some uploader]\n[length: 03:12]\n[re:An LRC Editor]\n[ve:1.2]\n\
                   [ar: Two][ti: Tags]\n\
                   [00:01.00] the river counts its stones\n[00:04.00] and loses track";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "the river counts its stones"),
                at(4_000, "and loses track"),
            ]
        );
    }

    #[test]
    fn a_positive_offset_shows_lines_earlier_clamped_at_zero() {
        let lrc = "[offset:+250]\n[00:00.10] early bird\n[00:02.00] late train";
        assert_eq!(
            synced(lrc),
            vec![at(0, "early bird"), at(1_750, "late train")]
        );
    }

    #[test]
    fn a_negative_offset_shows_lines_later() {
        let lrc = "[00:01.00] one\n[offset: -500]\n[00:02.00] two";
        assert_eq!(synced(lrc), vec![at(1_500, "one"), at(2_500, "two")]);
    }

    #[test]
    fn a_malformed_offset_is_ignored() {
        let lrc = "[offset:soon]\n[00:01.00] one\n[00:02.00] two";
        assert_eq!(synced(lrc), vec![at(1_000, "one"), at(2_000, "two")]);
    }

    #[test]
    fn multi_timestamp_lines_repeat_at_each_time() {
        let lrc = "[00:10.00][00:30.00] hum the tune again\n[00:20.00] a verse between";
        assert_eq!(
            synced(lrc),
            vec![
                at(10_000, "hum the tune again"),
                at(20_000, "a verse between"),
                at(30_000, "hum the tune again"),
            ]
        );
    }

    #[test]
    fn multi_timestamps_may_be_spaced_apart() {
        let lrc = "[00:10.00] [00:30.00]  spaced chorus\n[00:20.00] verse";
        assert_eq!(
            synced(lrc),
            vec![
                at(10_000, "spaced chorus"),
                at(20_000, "verse"),
                at(30_000, "spaced chorus"),
            ]
        );
    }

    #[test]
    fn word_tags_are_removed_from_the_text() {
        let lrc = "[00:12.00] <00:12.00>Lanterns <00:12.50>drift <00:13.10>away\n\
                   [00:14.00]<00:14.00>Hel<00:14.30>lo <00:14.60>there\n\
                   [00:16.00] a <not a tag> stays";
        assert_eq!(
            synced(lrc),
            vec![
                at(12_000, "Lanterns drift away"),
                at(14_000, "Hello there"),
                at(16_000, "a <not a tag> stays"),
            ]
        );
    }

    #[test]
    fn a_timed_line_with_only_word_tags_is_a_pause() {
        let lrc = "[00:01.00] one\n[00:02.00] <00:02.00>\n[00:03.00] two";
        assert_eq!(
            synced(lrc),
            vec![at(1_000, "one"), at(2_000, ""), at(3_000, "two")]
        );
    }

    #[test]
    fn all_zero_timestamps_are_fake_sync() {
        let lrc = "[00:00.00] no clock here\n[00:00.00] nor here\n[00:00.00] nor here";
        assert_eq!(parse_synced(lrc), None);
    }

    #[test]
    fn all_equal_timestamps_are_fake_sync() {
        let lrc = "[00:05.00] same time\n[00:05.00] same time again";
        assert_eq!(parse_synced(lrc), None);
    }

    #[test]
    fn zero_timestamps_with_only_an_end_marker_are_fake_sync() {
        let lrc = "[00:00.00] no clock here\n[00:00.00] nor here\n[03:10.00]";
        assert_eq!(parse_synced(lrc), None);
    }

    #[test]
    fn an_offset_that_clamps_everything_to_zero_is_fake_sync() {
        let lrc = "[offset:+600000]\n[00:01.00] one\n[00:02.00] two";
        assert_eq!(parse_synced(lrc), None);
    }

    #[test]
    fn no_timestamp_at_all_is_not_synced() {
        assert_eq!(parse_synced("just words\nmore words\n"), None);
        assert_eq!(parse_synced(""), None);
        assert_eq!(parse_synced("[by:only a tag]\n"), None);
    }

    #[test]
    fn instrumental_marker_alone_is_not_synced() {
        assert_eq!(parse_synced("[au: instrumental]"), None);
        assert_eq!(parse_synced("[au:instrumental]\n"), None);
        assert_eq!(plain_lines("[au: instrumental]"), Vec::<String>::new());
    }

    #[test]
    fn untimed_lines_keep_their_place() {
        let lrc = "[00:01.00] a timed line\nan untimed aside\n[00:03.00] another timed line";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "a timed line"),
                untimed("an untimed aside"),
                at(3_000, "another timed line"),
            ]
        );
    }

    #[test]
    fn untimed_lines_follow_their_timed_line_when_sorting() {
        let lrc = "(spoken intro)\n[00:05.00] late line\n(echo of late)\n[00:01.00] early line";
        assert_eq!(
            synced(lrc),
            vec![
                untimed("(spoken intro)"),
                at(1_000, "early line"),
                at(5_000, "late line"),
                untimed("(echo of late)"),
            ]
        );
    }

    #[test]
    fn sorting_is_stable_for_equal_times() {
        let lrc = "[00:02.00] second voice\n[00:01.00] first\n[00:02.00] second voice, too";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "first"),
                at(2_000, "second voice"),
                at(2_000, "second voice, too"),
            ]
        );
    }

    #[test]
    fn crlf_line_ends_are_handled() {
        let lrc =
            "[ti:Crlf Song]\r\n[00:01.00] windows line one\r\n\r\n[00:02.00]windows line two\r\n";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "windows line one"),
                untimed(""),
                at(2_000, "windows line two"),
            ]
        );
        assert_eq!(
            plain_lines("line one\r\n\r\n\r\nline two\r\n"),
            vec!["line one", "", "line two"]
        );
        assert_eq!(
            plain_lines("old mac one\rold mac two"),
            vec!["old mac one", "old mac two"]
        );
    }

    #[test]
    fn invalid_brackets_stay_text() {
        let lrc = "[00:01.00] [chorus] sing it loud\n[00:02.00][ab:cd] odd bracket\n[chorus]\n\
                   [00:03.00] [-00:01.00] negative\n[00:04.00] [1:2:3:4] too many colons";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "[chorus] sing it loud"),
                at(2_000, "[ab:cd] odd bracket"),
                untimed("[chorus]"),
                at(3_000, "[-00:01.00] negative"),
                at(4_000, "[1:2:3:4] too many colons"),
            ]
        );
    }

    #[test]
    fn absurd_values_saturate_without_panicking() {
        let lrc = "[00:01.00] one\n[99999999999999999999999:00.00] far away\n\
                   [4294967295:59.999] also far";
        let lines = synced(lrc);
        assert_eq!(lines[0], at(1_000, "one"));
        assert_eq!(lines[1], at(u32::MAX, "far away"));
        assert_eq!(lines[2], at(u32::MAX, "also far"));
        // Offsets that push every line past either end leave no usable timing.
        let lrc = "[offset:+99999999999999999999999]\n[00:01.00] a\n[00:02.00] b";
        assert_eq!(parse_synced(lrc), None);
        let lrc = "[offset:-99999999999999999999999]\n[00:01.00] a\n[00:02.00] b";
        assert_eq!(parse_synced(lrc), None);
        // Absurd word tags and fractions stay harmless; one too long to be a word tag is text.
        let lrc = "[00:01.0000000009] a <9999999999:00.00>b\n\
                   [00:02.00] c <99999999999999999999:00.00>d";
        assert_eq!(
            synced(lrc),
            vec![
                at(1_000, "a b"),
                at(2_000, "c <99999999999999999999:00.00>d")
            ]
        );
    }

    #[test]
    fn serializes_in_camel_case() {
        let json = serde_json::to_string(&at(1_000, "hi")).unwrap();
        assert_eq!(json, r#"{"startMs":1000,"text":"hi"}"#);
        let json = serde_json::to_string(&untimed("")).unwrap();
        assert_eq!(json, r#"{"startMs":null,"text":""}"#);
    }

    #[test]
    fn plain_strips_the_timestamps_the_server_left_behind() {
        let plain = "first line\n[00:02.50] second line\n\n[00:04.00]third line";
        assert_eq!(
            plain_lines(plain),
            vec!["first line", "second line", "", "third line"]
        );
    }

    #[test]
    fn plain_strips_every_leading_timestamp_and_word_tag() {
        let text = "[00:01.00][00:31.00] chorus <00:01.50>words\n[00:02.00] [00:03.00] more";
        assert_eq!(plain_lines(text), vec!["chorus words", "more"]);
    }

    #[test]
    fn plain_drops_tag_lines_and_trims_and_collapses_blank_lines() {
        let text = "\n\n[ti:Nowhere Song]\n[ar:The Invented Band]\n\n  verse one  \n\n\n\n\
                    verse two\n[00:10.00]\n\n[chorus]\n\n\n";
        assert_eq!(
            plain_lines(text),
            vec!["verse one", "", "verse two", "", "[chorus]"]
        );
        assert_eq!(plain_lines(""), Vec::<String>::new());
        assert_eq!(plain_lines("\n \n\r\n"), Vec::<String>::new());
    }

    #[test]
    fn plain_of_synced_text_keeps_its_pauses_as_stanza_breaks() {
        let text = "[00:00.00] no clock\n[00:00.00]\n[00:00.00] nor here\n[00:00.00]";
        assert_eq!(plain_lines(text), vec!["no clock", "", "nor here"]);
    }

    /// Lines that look like LRC: timestamps of every shape, tags, word tags, blanks, junk.
    fn lrc_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "\\[[0-9]{1,3}:[0-9]{1,2}([.:][0-9]{0,4})?\\]",
            "<[0-9]{1,2}:[0-9]{2}\\.[0-9]{2}>",
            prop::sample::select(vec![
                "[ar:Band]",
                "[offset:+250]",
                "[offset:-99999999999]",
                "[au: instrumental]",
                "[length: 03:12]",
                "[chorus]",
                "[",
                "]",
                "<",
                ">",
                " ",
                "\n",
                "\r\n",
                "\r",
                "é♫",
            ])
            .prop_map(str::to_string),
            "[a-z ]{0,8}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let _ = plain_lines(text);
        if let Some(lines) = parse_synced(text) {
            let times: Vec<u32> = lines.iter().filter_map(|l| l.start_ms).collect();
            prop_assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
            prop_assert!(times.len() >= 2);
            prop_assert!(!lines.first().unwrap().text.is_empty());
            prop_assert!(!lines.last().unwrap().text.is_empty());
            prop_assert!(lines
                .windows(2)
                .all(|w| !(w[0].text.is_empty() && w[1].text.is_empty())));
            for l in &lines {
                prop_assert_eq!(l.text.trim(), l.text.as_str());
                prop_assert!(!l.text.contains(['\n', '\r']));
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in any::<String>()) {
            check(&text)?;
        }

        #[test]
        fn never_panics_on_lrc_like_text_and_keeps_times_in_order(text in lrc_like()) {
            check(&text)?;
        }

        #[test]
        fn plain_lines_are_trimmed_and_collapsed(text in lrc_like()) {
            let lines = plain_lines(&text);
            prop_assert!(lines.first().is_none_or(|l| !l.is_empty()));
            prop_assert!(lines.last().is_none_or(|l| !l.is_empty()));
            prop_assert!(lines.windows(2).all(|w| !(w[0].is_empty() && w[1].is_empty())));
            for l in &lines {
                prop_assert_eq!(l.trim(), l.as_str());
                prop_assert!(!l.contains(['\n', '\r']));
            }
        }
    }
}
