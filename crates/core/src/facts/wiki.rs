//! Wikidata and Wikipedia as their APIs really answer: items found by an identifier statement
//! (`haswbstatement`), their Wikipedia titles from one batched `wbgetentities` call (sitelinks
//! only, in the user's language and English, never the whole entity), and page summaries from
//! the REST API (redirects followed within Wikipedia, disambiguation pages skipped, 404s as
//! "no page"). A 429 pauses the service for as long as it asks.

use super::http::{get_json, Answer};
use super::mb_wire::is_item;
use super::{FactSheet, FactsError, Source};
use futures_util::future::join_all;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// Label of a Wikipedia summary fact (its text gets a longer cap in the prompt).
pub const SUMMARY_LABEL: &str = "Wikipedia summary";
/// Most IDs one `wbgetentities` call takes.
const MAX_IDS: usize = 50;
/// Pause after a 429 that does not say how long.
const DEFAULT_PAUSE: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
struct SearchAnswer {
    query: Option<SearchQuery>,
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    search: Vec<SearchHit>,
}

#[derive(Deserialize)]
struct SearchHit {
    title: String,
}

/// A `wbgetentities` answer.
#[derive(Deserialize)]
pub(crate) struct Entities {
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

/// A REST `page/summary` answer.
#[derive(Deserialize)]
pub(crate) struct Summary {
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

impl Summary {
    /// The page's summary as a one-fact sheet, its source the public page; `None` for a
    /// page that is not an article (a disambiguation page, say).
    pub(crate) fn into_sheet(self, lang: &str, title: &str) -> Option<FactSheet> {
        if self.kind.as_deref().is_some_and(|k| k != "standard") {
            return None;
        }
        let mut sheet = FactSheet::default();
        let shown = self.title.unwrap_or_else(|| title.to_string());
        let canonical = self
            .titles
            .and_then(|t| t.canonical)
            .unwrap_or_else(|| shown.replace(' ', "_"));
        let mut public = Url::parse(&format!("https://{lang}.wikipedia.org/wiki/")).ok()?;
        public
            .path_segments_mut()
            .ok()?
            .pop_if_empty()
            .push(&canonical);
        let source = sheet.source(Source {
            name: "Wikipedia".into(),
            title: shown.clone(),
            url: public.to_string(),
        });
        sheet.add(
            &shown,
            SUMMARY_LABEL,
            vec![self.extract.unwrap_or_default()],
            source,
        );
        Some(sheet)
    }
}

impl Entities {
    /// The (language, title) of each item's page among `langs`, in that order; a missing
    /// item has none.
    pub(crate) fn pages(self, langs: &[&str]) -> HashMap<String, Pages> {
        self.entities
            .into_iter()
            .map(|(q, entity)| {
                let mut found: Pages = Vec::new();
                for l in langs {
                    if let Some(link) = entity.sitelinks.get(&format!("{l}wiki")) {
                        let page = (l.to_string(), link.title.clone());
                        if !found.contains(&page) {
                            found.push(page);
                        }
                    }
                }
                (q, found)
            })
            .collect()
    }
}

/// An item's Wikipedia pages: (language, title), the user's language first.
pub(crate) type Pages = Vec<(String, String)>;

/// Clients of Wikidata and Wikipedia.
#[derive(Clone)]
pub(crate) struct Wiki {
    http: reqwest::Client,
    wikidata: Url,
    /// Wikipedia root with `{lang}`.
    wikipedia: String,
    /// Until when each service asked not to be called (after a 429).
    paused: Arc<Mutex<HashMap<&'static str, Instant>>>,
}

impl Wiki {
    /// Clients of the services at these roots.
    pub(crate) fn new(http: reqwest::Client, wikidata: Url, wikipedia: String) -> Self {
        Self {
            http,
            wikidata,
            wikipedia,
            paused: Arc::default(),
        }
    }

    /// GETs JSON from `source`, honouring its pause; a 429 starts one.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        source: &'static str,
        url: Url,
    ) -> Result<Option<T>, FactsError> {
        let paused =
            |p: &HashMap<&'static str, Instant>| p.get(source).is_some_and(|u| Instant::now() < *u);
        if paused(&self.paused.lock().unwrap_or_else(|e| e.into_inner())) {
            return Err(FactsError::RateLimited {
                source_name: source,
            });
        }
        match get_json(&self.http, source, url).await? {
            Answer::Found(value) => Ok(Some(value)),
            Answer::NotFound => Ok(None),
            Answer::SlowDown(wait) => {
                let until = Instant::now() + wait.unwrap_or(DEFAULT_PAUSE);
                tracing::info!(source, "asked to slow down");
                self.paused
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(source, until);
                Err(FactsError::RateLimited {
                    source_name: source,
                })
            }
        }
    }

    fn api(&self, query: &[(&str, &str)]) -> Result<Url, FactsError> {
        let mut url = self.wikidata.clone();
        url.path_segments_mut()
            .map_err(|_| FactsError::BadResponse {
                source_name: "Wikidata",
                reason: "base URL".into(),
            })?
            .pop_if_empty()
            .extend(["w", "api.php"]);
        url.query_pairs_mut()
            .extend_pairs(query)
            .append_pair("format", "json");
        Ok(url)
    }

    /// The item that has the statement `property` = `value` (e.g. P1902, a Spotify artist ID).
    pub(crate) async fn item(
        &self,
        property: &str,
        value: &str,
    ) -> Result<Option<String>, FactsError> {
        let search = format!("haswbstatement:{property}={value}");
        let url = self.api(&[
            ("action", "query"),
            ("list", "search"),
            ("srsearch", &search),
            ("srlimit", "1"),
            ("srprop", ""),
        ])?;
        let answer: Option<SearchAnswer> = self.get("Wikidata", url).await?;
        Ok(answer
            .and_then(|a| a.query)
            .and_then(|q| q.search.into_iter().next())
            .map(|hit| hit.title)
            .filter(|q| is_item(q)))
    }

    /// The Wikipedia pages of these items in `lang` and English, in one `wbgetentities` call
    /// per 50 items (sitelinks only: a whole entity is hundreds of kilobytes).
    pub(crate) async fn pages(
        &self,
        items: &[String],
        lang: &str,
    ) -> Result<HashMap<String, Pages>, FactsError> {
        let items: Vec<&String> = items.iter().filter(|q| is_item(q)).collect();
        let sites = if lang == "en" {
            "enwiki".to_string()
        } else {
            format!("{lang}wiki|enwiki")
        };
        let mut pages = HashMap::new();
        for chunk in items.chunks(MAX_IDS) {
            let ids = chunk
                .iter()
                .map(|q| q.as_str())
                .collect::<Vec<_>>()
                .join("|");
            let url = self.api(&[
                ("action", "wbgetentities"),
                ("ids", &ids),
                ("props", "sitelinks"),
                ("sitefilter", &sites),
            ])?;
            if let Some(answer) = self.get::<Entities>("Wikidata", url).await? {
                pages.extend(answer.pages(&[lang, "en"]));
            }
        }
        Ok(pages)
    }

    /// The summary of the first of `pages` that is an article (a disambiguation page or a
    /// missing one is passed over for the next), as a one-fact sheet.
    pub(crate) async fn summary(&self, pages: &Pages) -> Result<FactSheet, FactsError> {
        for (lang, title) in pages {
            if let Some(sheet) = self.page_summary(lang, title).await? {
                return Ok(sheet);
            }
        }
        Ok(FactSheet::default())
    }

    async fn page_summary(&self, lang: &str, title: &str) -> Result<Option<FactSheet>, FactsError> {
        let Ok(mut url) = Url::parse(&self.wikipedia.replace("{lang}", lang)) else {
            return Ok(None);
        };
        let page = title.replace(' ', "_");
        url.path_segments_mut()
            .map_err(|_| FactsError::BadResponse {
                source_name: "Wikipedia",
                reason: "base URL".into(),
            })?
            .pop_if_empty()
            .extend(["api", "rest_v1", "page", "summary", &page]);
        let summary = self.get::<Summary>("Wikipedia", url).await?;
        Ok(summary.and_then(|s| s.into_sheet(lang, title)))
    }

    /// For each `(property, value)`: its item's Wikipedia summary (empty when there is none).
    /// The searches and the summaries run in parallel, the sitelinks in one call.
    pub(crate) async fn summaries(
        &self,
        wanted: &[(&str, String)],
        lang: &str,
    ) -> Result<Vec<FactSheet>, FactsError> {
        let found = join_all(wanted.iter().map(|(p, v)| self.item(p, v))).await;
        let items: Vec<Option<String>> = found.into_iter().collect::<Result<_, _>>()?;
        let known: Vec<String> = items.iter().flatten().cloned().collect();
        let pages = if known.is_empty() {
            HashMap::new()
        } else {
            self.pages(&known, lang).await?
        };
        let none = Pages::new();
        let sheets = join_all(items.iter().map(|q| {
            let pages = q.as_ref().and_then(|q| pages.get(q)).unwrap_or(&none);
            self.summary(pages)
        }))
        .await;
        sheets.into_iter().collect()
    }
}
