//! Third-party text made safe to quote: MusicBrainz names and Wikipedia extracts are editable
//! by anyone, and a bidi override or an invisible Unicode "tag" character can make a quoted
//! name read as something else, or smuggle text a reader never sees to the model.

/// `text` without control characters (line breaks become spaces), bidirectional formatting
/// characters (embeddings, overrides, isolates, marks), invisible tag characters
/// (U+E0000-U+E007F) and other zero-width formatting characters.
pub fn clean_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}' => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clean_text;

    #[test]
    fn bidi_tags_and_controls_are_removed() {
        let hostile = "Eve\u{202E}gnp.exe\u{202C} \u{E0049}\u{E0067}nore\u{200B}d\u{7}\nnext";
        assert_eq!(clean_text(hostile), "Evegnp.exe nored next");
        assert_eq!(clean_text("森海斗 · Björk"), "森海斗 · Björk");
    }
}
