//! Wikidata (an item's Wikipedia pages, from its sitelinks) and Wikipedia (a page's summary
//! from the REST API), in the user's language when that page exists, else in English.

use super::http::{get_json, Answer};
use super::{FactSheet, FactsError, Source};
use serde::Deserialize;
use std::collections::HashMap;
use url::Url;

/// Label of a Wikipedia summary fact (its text gets a longer cap in the prompt).
pub const SUMMARY_LABEL: &str = "Wikipedia summary";

#[derive(Deserialize)]
struct EntityData {
    #[serde(default)]
    entities: HashMap<String, Entity>,
}

#[derive(Deserialize)]
struct Entity {
    #[serde(default)]
    sitelinks: HashMap<String, Sitelink>,
}

#[derive(Deserialize)]
struct Sitelink {
    title: String,
}

#[derive(Deserialize)]
struct Summary {
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<String>,
    titles: Option<Titles>,
    extract: Option<String>,
}

#[derive(Deserialize)]
struct Titles {
    canonical: Option<String>,
}

/// Clients of Wikidata and Wikipedia.
#[derive(Clone)]
pub(crate) struct Wiki {
    http: reqwest::Client,
    wikidata: Url,
    /// Wikipedia root with `{lang}`.
    wikipedia: String,
}

impl Wiki {
    /// Clients of the services at these roots.
    pub(crate) fn new(http: reqwest::Client, wikidata: Url, wikipedia: String) -> Self {
        Self {
            http,
            wikidata,
            wikipedia,
        }
    }

    /// The summary of item `q`'s Wikipedia page in `lang` (else English) as a one-fact sheet;
    /// empty when there is no such page.
    pub(crate) async fn summary(&self, q: &str, lang: &str) -> Result<FactSheet, FactsError> {
        let mut sheet = FactSheet::default();
        let Some((lang, title)) = self.page(q, lang).await? else {
            return Ok(sheet);
        };
        let Ok(mut url) = Url::parse(&self.wikipedia.replace("{lang}", &lang)) else {
            return Ok(sheet);
        };
        let page = title.replace(' ', "_");
        url.path_segments_mut()
            .map_err(|_| FactsError::BadResponse {
                source_name: "Wikipedia",
                reason: "base URL".into(),
            })?
            .pop_if_empty()
            .extend(["api", "rest_v1", "page", "summary", &page]);
        let summary: Summary = match get_json(&self.http, "Wikipedia", url).await? {
            Answer::Found(s) => s,
            Answer::NotFound => return Ok(sheet),
            Answer::SlowDown(_) => {
                return Err(FactsError::RateLimited {
                    source_name: "Wikipedia",
                })
            }
        };
        if summary.kind.as_deref().is_some_and(|k| k != "standard") {
            return Ok(sheet);
        }
        let shown = summary.title.unwrap_or(title);
        let canonical = summary
            .titles
            .and_then(|t| t.canonical)
            .unwrap_or_else(|| shown.replace(' ', "_"));
        let mut public = Url::parse(&format!("https://{lang}.wikipedia.org/wiki/"))
            .expect("a known language makes a valid URL");
        public
            .path_segments_mut()
            .expect("an http URL")
            .pop_if_empty()
            .push(&canonical);
        let source = sheet.source(Source {
            name: "Wikipedia".into(),
            title: shown.clone(),
            url: public.to_string(),
        });
        let extract = summary.extract.unwrap_or_default();
        sheet.add(&shown, SUMMARY_LABEL, vec![extract], source);
        Ok(sheet)
    }

    /// The language and title of item `q`'s Wikipedia page: in `lang` if there is one, else
    /// in English.
    async fn page(&self, q: &str, lang: &str) -> Result<Option<(String, String)>, FactsError> {
        let mut url = self.wikidata.clone();
        url.path_segments_mut()
            .map_err(|_| FactsError::BadResponse {
                source_name: "Wikidata",
                reason: "base URL".into(),
            })?
            .pop_if_empty()
            .extend(["wiki", "Special:EntityData", &format!("{q}.json")]);
        let data: EntityData = match get_json(&self.http, "Wikidata", url).await? {
            Answer::Found(d) => d,
            Answer::NotFound => return Ok(None),
            Answer::SlowDown(_) => {
                return Err(FactsError::RateLimited {
                    source_name: "Wikidata",
                })
            }
        };
        // A merged item answers under its new ID: take whichever entity came back.
        let Some(entity) = data.entities.into_values().next() else {
            return Ok(None);
        };
        Ok([lang, "en"].into_iter().find_map(|l| {
            entity
                .sitelinks
                .get(&format!("{l}wiki"))
                .map(|s| (l.to_string(), s.title.clone()))
        }))
    }
}
