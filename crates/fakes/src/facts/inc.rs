//! MusicBrainz's `inc` rules (`fixtures/open-music/musicbrainz-inc.json`, read from the server's
//! own validator): which values each request accepts, and the 400 the server answers otherwise.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The table as data.
#[derive(Debug, Deserialize)]
pub struct IncRules {
    /// Every `<entity>-rels` value, allowed where a resource lists `relations`.
    pub relations: Vec<String>,
    /// Accepted values per request kind (`isrc`, `recording`, `artist`, `artist-browse`, `url`,
    /// `release-group`, `work`).
    pub resources: HashMap<String, Vec<String>>,
    /// Values allowed only together with one of these others.
    pub requires: HashMap<String, Vec<String>>,
}

/// The rules, parsed once.
pub fn rules() -> &'static IncRules {
    static RULES: OnceLock<IncRules> = OnceLock::new();
    RULES.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../fixtures/open-music/musicbrainz-inc.json"
        ))
        .expect("the inc table is valid JSON")
    })
}

impl IncRules {
    /// Why MusicBrainz refuses `inc` (split on `+` or spaces) for `resource`, in the server's
    /// words; `None` when every value is accepted. The server names its resources without the
    /// `-browse` suffix.
    pub fn refusal(&self, resource: &str, inc: &[String]) -> Option<String> {
        let accepted = self.resources.get(resource)?;
        let accepts = |value: &str| {
            accepted.iter().any(|a| a == value)
                || (accepted.iter().any(|a| a == "relations")
                    && self.relations.iter().any(|r| r == value))
        };
        let name = resource.trim_end_matches("-browse");
        for value in inc.iter().filter(|v| !v.is_empty()) {
            if accepts(value) {
                continue;
            }
            match self.requires.get(value.as_str()) {
                Some(parents) if parents.iter().any(|p| accepts(p)) => {
                    if !inc.iter().any(|i| parents.contains(i)) {
                        return Some(format!(
                            "{value} is not a valid inc parameter for the {name} resource unless you specify one of the following other inc parameters: {}",
                            parents.join(", ")
                        ));
                    }
                }
                _ => {
                    return Some(format!(
                        "{value} is not a valid inc parameter for the {name} resource."
                    ))
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inc(values: &str) -> Vec<String> {
        values.split('+').map(str::to_string).collect()
    }

    #[test]
    fn the_isrc_resource_refuses_what_the_server_refuses() {
        let rules = rules();
        assert_eq!(
            rules.refusal(
                "isrc",
                &inc("artist-credits+releases+release-groups+work-rels")
            ),
            Some("release-groups is not a valid inc parameter for the isrc resource.".into())
        );
        assert!(rules
            .refusal("isrc", &inc("work-level-rels"))
            .is_some_and(|e| e.starts_with("work-level-rels is not")));
        assert_eq!(
            rules.refusal("isrc", &inc("artist-credits+aliases+artist-rels+work-rels")),
            None
        );
        assert_eq!(
            rules.refusal("recording", &inc("releases+release-groups+work-level-rels")),
            None
        );
        assert!(rules
            .refusal("artist", &inc("artist-credits"))
            .is_some_and(|e| e.contains("unless you specify")));
        assert_eq!(
            rules.refusal("artist", &inc("recordings+artist-credits")),
            None
        );
        assert!(rules.refusal("artist-browse", &inc("releases")).is_some());
        assert!(rules.refusal("url", &inc("tags")).is_some());
    }
}
