//! What the model writes about lyrics: a line explained, the lyrics translated or romanised
//! line by line. The model answers `number|text` lines; they are lined up with the song here,
//! so a missing, repeated or extra line never shifts the rest.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A rewriting of the whole lyric, line by line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LyricsTask {
    /// Into the insights' language.
    Translate,
    /// In Latin letters (for lyrics in another script).
    Romanise,
}

/// The cache key of one line's explanation: the track and a digest of the line's text.
pub fn line_key(track: &str, line: &str) -> String {
    format!("{track}#{:016x}", digest([line]))
}

/// The cache key of a rewriting of the whole lyric: the track and a digest of every line.
pub fn lyrics_key(track: &str, lines: &[String]) -> String {
    format!("{track}#{:016x}", digest(lines.iter().map(String::as_str)))
}

/// FNV-1a over the lines (with a separator): stable across builds and platforms, unlike std's
/// hasher, so cached rows stay found.
fn digest<'a>(lines: impl IntoIterator<Item = &'a str>) -> u64 {
    lines
        .into_iter()
        .flat_map(|l| l.bytes().chain([0xff]))
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        })
}

/// The model's `number|text` answer lined up with `count` lines of the song: `None` where it
/// gave nothing usable for a line. Surrounding quotes (the prompt quotes each line) are
/// removed; a number out of range or given twice is ignored after its first use.
pub fn align(answer: &str, count: usize) -> Vec<Option<String>> {
    let mut lines = vec![None; count];
    for raw in answer.lines() {
        let raw = raw.trim().trim_start_matches('`');
        let Some((number, text)) = raw.split_once('|') else {
            continue;
        };
        let Ok(number) = number.trim().parse::<usize>() else {
            continue;
        };
        let Some(slot) = number.checked_sub(1).and_then(|i| lines.get_mut(i)) else {
            continue;
        };
        if slot.is_none() {
            let text = text.trim().trim_end_matches('`').trim();
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text);
            *slot = Some(text.trim().to_string());
        }
    }
    lines
}

/// Whether the lyrics are (partly) in a script other than Latin, so a romanisation helps.
pub fn needs_romanisation<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    lines
        .into_iter()
        .flat_map(str::chars)
        .any(|c| c.is_alphabetic() && !is_latin(c))
}

/// Latin letters: ASCII, Latin-1, Latin Extended A/B and Additional, IPA, full-width Latin.
fn is_latin(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z'
        | '\u{00C0}'..='\u{024F}'
        | '\u{0250}'..='\u{02AF}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
    ) || c == 'ª'
        || c == 'º'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_line_up_with_the_song_whatever_the_model_skips_or_repeats() {
        let answer = "Here you go:\n1|\"Hello\"\n3| world \n3|again\n`4|end`\n9|beyond\nx|y";
        assert_eq!(
            align(answer, 4),
            vec![
                Some("Hello".into()),
                None,
                Some("world".into()),
                Some("end".into())
            ]
        );
        assert_eq!(align("2|", 2), vec![None, Some(String::new())]);
        assert_eq!(align("0|zero", 1), vec![None]);
    }

    #[test]
    fn keys_follow_the_text_not_its_place() {
        let a = line_key("4trk000000000000000001", "same words");
        assert_eq!(a, line_key("4trk000000000000000001", "same words"));
        assert_ne!(a, line_key("4trk000000000000000001", "other words"));
        assert!(a.starts_with("4trk000000000000000001#"));
        let lyrics = vec!["a".to_string(), "b".to_string()];
        let joined = vec!["ab".to_string()];
        assert_ne!(lyrics_key("t", &lyrics), lyrics_key("t", &joined));
    }

    #[test]
    fn other_scripts_ask_for_romanisation() {
        assert!(needs_romanisation(["沈むように", "la la"]));
        assert!(needs_romanisation(["Привет"]));
        assert!(!needs_romanisation(["Ça va, señor Björk?", "123 !"]));
    }
}
