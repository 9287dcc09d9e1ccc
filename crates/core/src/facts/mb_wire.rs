//! MusicBrainz JSON (ws/2) as far as facts need it, read leniently (any field may be missing or
//! null), and turned into facts with their MusicBrainz page as the source.

use super::{FactSheet, Source};
use serde::{Deserialize, Deserializer};

/// `null` or a missing list reads as empty.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `GET /ws/2/isrc/<isrc>`: recordings without releases, in the order the code was added.
#[derive(Deserialize)]
pub(crate) struct IsrcAnswer {
    #[serde(default, deserialize_with = "list")]
    pub recordings: Vec<Recording>,
}

/// A recording, from the ISRC resource or the recording lookup.
#[derive(Deserialize)]
pub(crate) struct Recording {
    pub id: String,
    title: Option<String>,
    /// Milliseconds.
    pub length: Option<u64>,
    #[serde(default)]
    pub disambiguation: Option<String>,
    #[serde(default)]
    pub video: Option<bool>,
    #[serde(rename = "first-release-date")]
    first_release_date: Option<String>,
    #[serde(rename = "artist-credit", default, deserialize_with = "list")]
    pub artist_credit: Vec<Credit>,
    #[serde(default, deserialize_with = "list")]
    releases: Vec<Release>,
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

/// One name in an artist credit.
#[derive(Deserialize)]
pub(crate) struct Credit {
    /// The name as credited, which may differ from the artist's.
    pub name: Option<String>,
    pub artist: Option<CreditedArtist>,
}

/// An artist as nested in a credit, with its aliases when asked for (`inc=aliases`).
#[derive(Deserialize)]
pub(crate) struct CreditedArtist {
    pub id: String,
    pub name: Option<String>,
    #[serde(rename = "sort-name")]
    pub sort_name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub disambiguation: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub aliases: Vec<Alias>,
}

#[derive(Deserialize)]
pub(crate) struct Alias {
    pub name: String,
}

#[derive(Deserialize)]
pub(crate) struct Named {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct Release {
    title: Option<String>,
    date: Option<String>,
    status: Option<String>,
    #[serde(rename = "release-group")]
    release_group: Option<Named>,
}

/// A relation, with its time span (`begin`, `end`, `ended`).
#[derive(Deserialize)]
pub(crate) struct Relation {
    #[serde(rename = "type")]
    kind: Option<String>,
    direction: Option<String>,
    begin: Option<String>,
    end: Option<String>,
    #[serde(default)]
    ended: Option<bool>,
    pub artist: Option<Named>,
    work: Option<Work>,
    url: Option<UrlRef>,
}

#[derive(Deserialize)]
struct Work {
    id: Option<String>,
    title: Option<String>,
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

#[derive(Deserialize)]
struct UrlRef {
    resource: String,
}

/// `GET /ws/2/url?resource=...&inc=artist-rels`, one URL.
#[derive(Deserialize)]
pub(crate) struct UrlAnswer {
    #[serde(default)]
    pub resource: String,
    #[serde(default, deserialize_with = "list")]
    pub relations: Vec<Relation>,
}

/// The same with several `resource`s: a list of the known ones.
#[derive(Deserialize)]
pub(crate) struct UrlList {
    #[serde(default, deserialize_with = "list")]
    pub urls: Vec<UrlAnswer>,
}

/// `GET /ws/2/artist?recording=<mbid>`: every artist credited on the recording.
#[derive(Deserialize)]
pub(crate) struct ArtistBrowse {
    #[serde(default, deserialize_with = "list")]
    pub artists: Vec<Artist>,
}

/// `GET /ws/2/artist/<mbid>?inc=aliases+url-rels+artist-rels+genres`.
#[derive(Deserialize)]
pub(crate) struct Artist {
    pub id: String,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    disambiguation: Option<String>,
    area: Option<Named>,
    #[serde(rename = "life-span")]
    life_span: Option<LifeSpan>,
    #[serde(default, deserialize_with = "list")]
    aliases: Vec<Alias>,
    #[serde(default, deserialize_with = "list")]
    genres: Vec<Genre>,
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

#[derive(Deserialize)]
struct LifeSpan {
    begin: Option<String>,
    end: Option<String>,
}

/// A curated genre (not a free tag).
#[derive(Deserialize)]
struct Genre {
    name: String,
    count: Option<i64>,
}

/// Whether `id` is shaped like a MusicBrainz ID (a UUID), so it can go into a URL as it is.
pub(crate) fn is_mbid(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether `q` is a Wikidata item ID (`Q` and digits).
pub(crate) fn is_item(q: &str) -> bool {
    q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A Wikidata item ID from a relation to a wikidata.org page.
fn wikidata_item(relations: &[Relation]) -> Option<String> {
    relations
        .iter()
        .filter(|r| r.kind.as_deref() == Some("wikidata"))
        .filter_map(|r| r.url.as_ref()?.resource.rsplit('/').next())
        .find(|q| is_item(q))
        .map(str::to_string)
}

/// Names of the artists related by `kind`, each once, in order.
fn names<'a>(relations: impl Iterator<Item = &'a Relation>, kind: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for name in relations
        .filter(|r| r.kind.as_deref() == Some(kind))
        .filter_map(|r| r.artist.as_ref()?.name.clone())
    {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

/// `begin`-`end` as years (`1962-1970`, `since 1962`), or nothing when neither is known.
fn years(begin: Option<&str>, end: Option<&str>) -> Option<String> {
    let year = |d: Option<&str>| d.and_then(|d| d.get(..4)).map(str::to_string);
    match (year(begin), year(end)) {
        (Some(b), Some(e)) => Some(format!("{b}-{e}")),
        (Some(b), None) => Some(format!("since {b}")),
        (None, Some(e)) => Some(format!("until {e}")),
        (None, None) => None,
    }
}

fn musicbrainz(entity: &str, id: &str, title: &str) -> Source {
    Source {
        name: "MusicBrainz".into(),
        title: title.to_string(),
        url: format!("https://musicbrainz.org/{entity}/{id}"),
    }
}

/// What an ISRC's recording tells on the first turn: its facts, its credited artists and its
/// works (their Wikipedia pages are found through Wikidata, not another MusicBrainz turn).
pub(crate) struct RecordingFacts {
    pub recording: String,
    pub sheet: FactSheet,
    pub credits: Vec<CreditFacts>,
    pub works: Vec<String>,
}

/// One credited artist as the recording names it, with the facts the credit carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct CreditFacts {
    pub mbid: String,
    /// Every name MusicBrainz knows it by: the artist's name, its sort name, the name as
    /// credited here and its aliases.
    pub names: Vec<String>,
    pub sheet: FactSheet,
}

impl Recording {
    /// A score of how unlikely this recording is to be the one Spotify plays (lower is
    /// better): the difference in length, a video, a mix or live version, a different number
    /// of credited artists.
    pub(crate) fn mismatch(&self, duration_ms: u64, artists: usize) -> u64 {
        let length = self
            .length
            .map_or(10_000, |l| l.abs_diff(duration_ms).min(600_000));
        let video = if self.video == Some(true) { 120_000 } else { 0 };
        let version = self
            .disambiguation
            .as_deref()
            .map(str::to_lowercase)
            .is_some_and(|d| {
                [
                    "mix",
                    "live",
                    "remaster",
                    "edit",
                    "version",
                    "instrumental",
                    "acoustic",
                    "demo",
                ]
                .iter()
                .any(|w| d.contains(w))
            });
        let credit = if artists > 0 && !self.artist_credit.is_empty() {
            self.artist_credit.len().abs_diff(artists) as u64 * 20_000
        } else {
            0
        };
        length + video + if version { 60_000 } else { 0 } + credit
    }

    /// The recording's first-turn facts; `None` when its ID is unusable.
    pub(crate) fn into_facts(self) -> Option<RecordingFacts> {
        if !is_mbid(&self.id) {
            return None;
        }
        let title = self.title.clone().unwrap_or_default();
        let mut sheet = FactSheet::default();
        let src = sheet.source(musicbrainz("recording", &self.id, &title));
        let about = title.as_str();
        let credited: Vec<String> = self
            .artist_credit
            .iter()
            .filter_map(|c| c.name.clone().or_else(|| c.artist.as_ref()?.name.clone()))
            .collect();
        sheet.add(about, "is a recording credited to", credited, src);
        let first = self.first_release_date.iter().cloned().collect();
        sheet.add(about, "was first released", first, src);
        sheet.add(
            about,
            "was produced by",
            names(self.relations.iter(), "producer"),
            src,
        );
        let works: Vec<&Work> = self
            .relations
            .iter()
            .filter_map(|r| r.work.as_ref())
            .collect();
        let songs = works.iter().filter_map(|w| w.title.clone()).collect();
        sheet.add(about, "is a recording of the song", songs, src);
        let credits = self
            .artist_credit
            .iter()
            .filter_map(|c| {
                let artist = c.artist.as_ref().filter(|a| is_mbid(&a.id))?;
                let name = artist.name.clone().unwrap_or_default();
                let mut facts = FactSheet::default();
                let src = facts.source(musicbrainz("artist", &artist.id, &name));
                facts.add(
                    &name,
                    "is an artist of type",
                    artist.kind.iter().cloned().collect(),
                    src,
                );
                let described = artist.disambiguation.iter().cloned().collect();
                facts.add(&name, "is described as", described, src);
                let mut names = vec![name.clone()];
                names.extend(artist.sort_name.clone());
                names.extend(c.name.clone());
                names.extend(artist.aliases.iter().map(|a| a.name.clone()));
                let other: Vec<String> = names[1..]
                    .iter()
                    .filter(|n| **n != name && !n.contains(", "))
                    .cloned()
                    .collect();
                facts.add(&name, "is also known as", dedup(other), src);
                Some(CreditFacts {
                    mbid: artist.id.clone(),
                    names: dedup(names),
                    sheet: facts,
                })
            })
            .collect();
        let works = works
            .iter()
            .filter_map(|w| w.id.clone())
            .filter(|id| is_mbid(id))
            .collect();
        Some(RecordingFacts {
            recording: self.id.clone(),
            sheet,
            credits,
            works,
        })
    }

    /// What only the recording lookup tells: the official releases, the writers of its song,
    /// the song's and the album's Wikidata items.
    pub(crate) fn into_details(self) -> RecordingDetails {
        let title = self.title.clone().unwrap_or_default();
        let mut sheet = FactSheet::default();
        let src = sheet.source(musicbrainz("recording", &self.id, &title));
        let official = self.releases.iter().filter(|r| {
            r.status
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("official"))
        });
        let mut releases: Vec<String> = Vec::new();
        for r in official.clone() {
            let Some(t) = r.title.clone() else { continue };
            let shown = match &r.date {
                Some(d) if !d.is_empty() => format!("{t} ({d})"),
                _ => t,
            };
            if !releases.contains(&shown) && releases.len() < 3 {
                releases.push(shown);
            }
        }
        sheet.add(&title, "appears on", releases, src);
        let mut song_item = None;
        for work in self.relations.iter().filter_map(|r| r.work.as_ref()) {
            let about = work.title.clone().unwrap_or_default();
            let rels = &work.relations;
            for (kind, label) in [
                ("writer", "(the song) was written by"),
                ("composer", "(the song) was composed by"),
                ("lyricist", "(the song) has lyrics by"),
            ] {
                sheet.add(&about, label, names(rels.iter(), kind), src);
            }
            song_item = song_item.or_else(|| wikidata_item(rels));
        }
        let release_group = official
            .filter_map(|r| r.release_group.as_ref())
            .map(|g| g.id.clone())
            .find(|id| is_mbid(id));
        RecordingDetails {
            sheet,
            song_item,
            release_group,
        }
    }
}

/// The recording lookup's facts.
pub(crate) struct RecordingDetails {
    pub sheet: FactSheet,
    pub song_item: Option<String>,
    pub release_group: Option<String>,
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for v in values {
        if !v.trim().is_empty() && !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen
}

/// An artist's facts, the Spotify artists it links to and its Wikidata item.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ArtistFacts {
    pub mbid: String,
    pub names: Vec<String>,
    /// Spotify artist IDs from its `https://open.spotify.com/artist/<id>` links.
    pub spotify: Vec<String>,
    pub sheet: FactSheet,
    pub item: Option<String>,
}

impl Artist {
    /// The artist's facts; `None` when its ID is unusable.
    pub(crate) fn into_facts(self) -> Option<ArtistFacts> {
        if !is_mbid(&self.id) {
            return None;
        }
        let name = self.name.clone().unwrap_or_default();
        let mut sheet = FactSheet::default();
        let src = sheet.source(musicbrainz("artist", &self.id, &name));
        let about = name.as_str();
        let kind = self.kind.clone().unwrap_or_default();
        sheet.add(about, "is an artist of type", vec![kind.clone()], src);
        let described = self.disambiguation.iter().cloned().collect();
        sheet.add(about, "is described as", described, src);
        let aliases: Vec<String> = self.aliases.iter().map(|a| a.name.clone()).collect();
        sheet.add(about, "is also known as", dedup(aliases.clone()), src);
        let area = self
            .area
            .as_ref()
            .and_then(|a| a.name.clone())
            .into_iter()
            .collect();
        sheet.add(about, "is from", area, src);
        let (began, ended) = match kind.as_str() {
            "Person" => ("was born", "died"),
            "Group" | "Orchestra" | "Choir" => ("was formed", "was dissolved"),
            _ => ("began", "ended"),
        };
        if let Some(span) = &self.life_span {
            sheet.add(about, began, span.begin.iter().cloned().collect(), src);
            sheet.add(about, ended, span.end.iter().cloned().collect(), src);
        }
        // Memberships carry their years: a member who left is a former member, never a member.
        let band = |dir: &'static str| {
            self.relations.iter().filter(move |r| {
                r.kind.as_deref() == Some("member of band") && r.direction.as_deref() == Some(dir)
            })
        };
        let with_years = |r: &Relation| {
            let who = r.artist.as_ref()?.name.clone()?;
            Some(match years(r.begin.as_deref(), r.end.as_deref()) {
                Some(y) => format!("{who} ({y})"),
                None => who,
            })
        };
        let former = |r: &&Relation| r.ended == Some(true) || r.end.is_some();
        for (dir, left, label) in [
            ("backward", false, "has members"),
            ("backward", true, "has former members"),
            ("forward", false, "is a member of"),
            ("forward", true, "is a former member of"),
        ] {
            let names = band(dir)
                .filter(|r| former(r) == left)
                .filter_map(with_years)
                .collect();
            sheet.add(about, label, names, src);
        }
        let mut genres: Vec<&Genre> = self.genres.iter().collect();
        genres.sort_by_key(|g| std::cmp::Reverse(g.count.unwrap_or(0)));
        let genres = genres.into_iter().take(5).map(|g| g.name.clone()).collect();
        sheet.add(about, "plays the genres", genres, src);
        let spotify = self
            .relations
            .iter()
            .filter_map(|r| r.url.as_ref())
            .filter_map(|u| spotify_artist(&u.resource))
            .collect();
        let mut names = vec![name.clone()];
        names.extend(aliases);
        Some(ArtistFacts {
            mbid: self.id.clone(),
            names: dedup(names),
            spotify,
            sheet,
            item: wikidata_item(&self.relations),
        })
    }
}

/// The Spotify artist ID of an `https://open.spotify.com/artist/<id>` link.
pub(crate) fn spotify_artist(url: &str) -> Option<String> {
    let id = url
        .strip_prefix("https://open.spotify.com/artist/")?
        .split(['?', '/', '#'])
        .next()?;
    (id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| id.to_string())
}

impl UrlAnswer {
    /// The MBID of the artist linked to the URL.
    pub(crate) fn artist_id(&self) -> Option<String> {
        self.relations
            .iter()
            .filter_map(|r| r.artist.as_ref())
            .map(|a| a.id.clone())
            .find(|id| is_mbid(id))
    }
}
