//! MusicBrainz JSON (ws/2) as far as facts need it, read leniently (any field may be missing or
//! null), and turned into facts with their MusicBrainz page as the source.

use super::{FactSheet, Source};
use serde::{Deserialize, Deserializer};

/// `null` or a missing list reads as empty.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `GET /ws/2/isrc/<isrc>`.
#[derive(Deserialize)]
pub(crate) struct IsrcAnswer {
    #[serde(default, deserialize_with = "list")]
    pub recordings: Vec<Recording>,
}

#[derive(Deserialize)]
pub(crate) struct Recording {
    id: String,
    title: Option<String>,
    #[serde(rename = "first-release-date")]
    first_release_date: Option<String>,
    #[serde(rename = "artist-credit", default, deserialize_with = "list")]
    artist_credit: Vec<Credit>,
    #[serde(default, deserialize_with = "list")]
    releases: Vec<Release>,
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

#[derive(Deserialize)]
struct Credit {
    name: Option<String>,
    artist: Option<Named>,
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
    #[serde(rename = "release-group")]
    release_group: Option<Named>,
}

#[derive(Deserialize)]
pub(crate) struct Relation {
    #[serde(rename = "type")]
    kind: Option<String>,
    direction: Option<String>,
    pub artist: Option<Named>,
    work: Option<Work>,
    url: Option<UrlRef>,
}

#[derive(Deserialize)]
struct Work {
    title: Option<String>,
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

#[derive(Deserialize)]
struct UrlRef {
    resource: String,
}

/// `GET /ws/2/url?resource=...&inc=artist-rels`.
#[derive(Deserialize)]
pub(crate) struct UrlAnswer {
    #[serde(default, deserialize_with = "list")]
    pub relations: Vec<Relation>,
}

/// `GET /ws/2/artist/<mbid>?inc=url-rels+tags+artist-rels`.
#[derive(Deserialize)]
pub(crate) struct Artist {
    id: String,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    disambiguation: Option<String>,
    area: Option<Named>,
    #[serde(rename = "life-span")]
    life_span: Option<LifeSpan>,
    #[serde(default, deserialize_with = "list")]
    tags: Vec<Tag>,
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

#[derive(Deserialize)]
struct LifeSpan {
    begin: Option<String>,
    end: Option<String>,
}

#[derive(Deserialize)]
struct Tag {
    name: String,
    count: Option<i64>,
}

/// `GET /ws/2/release-group/<mbid>?inc=url-rels`.
#[derive(Deserialize)]
pub(crate) struct ReleaseGroup {
    #[serde(default, deserialize_with = "list")]
    relations: Vec<Relation>,
}

/// Whether `id` is shaped like a MusicBrainz ID (a UUID), so it can go into a URL as it is.
pub(crate) fn is_mbid(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A Wikidata item ID (`Q` and digits) from a relation to a wikidata.org page.
fn wikidata_item(relations: &[Relation]) -> Option<String> {
    relations
        .iter()
        .filter(|r| r.kind.as_deref() == Some("wikidata"))
        .filter_map(|r| r.url.as_ref()?.resource.rsplit('/').next())
        .find(|q| q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
}

fn names(relations: &[Relation], kind: &str, direction: Option<&str>) -> Vec<String> {
    relations
        .iter()
        .filter(|r| r.kind.as_deref() == Some(kind))
        .filter(|r| direction.is_none() || r.direction.as_deref() == direction)
        .filter_map(|r| r.artist.as_ref()?.name.clone())
        .collect::<Vec<_>>()
        .into_iter()
        .fold(Vec::new(), |mut seen: Vec<String>, n| {
            if !seen.contains(&n) {
                seen.push(n);
            }
            seen
        })
}

fn musicbrainz(entity: &str, id: &str, title: &str) -> Source {
    Source {
        name: "MusicBrainz".into(),
        title: title.to_string(),
        url: format!("https://musicbrainz.org/{entity}/{id}"),
    }
}

/// What a recording tells: its facts, its credited artists' MBIDs, and where its Wikipedia
/// page may be found (the song's Wikidata item, else its album's release group).
pub(crate) struct RecordingFacts {
    pub sheet: FactSheet,
    pub credits: Vec<(String, String)>,
    pub song_item: Option<String>,
    pub release_group: Option<String>,
}

impl Recording {
    /// The recording's facts; `None` when its ID is unusable.
    pub(crate) fn into_facts(self) -> Option<RecordingFacts> {
        if !is_mbid(&self.id) {
            return None;
        }
        let title = self.title.unwrap_or_default();
        let mut sheet = FactSheet::default();
        let src = sheet.source(musicbrainz("recording", &self.id, &title));
        let credits: Vec<(String, String)> = self
            .artist_credit
            .iter()
            .filter_map(|c| {
                let artist = c.artist.as_ref()?;
                let name = c.name.clone().or_else(|| artist.name.clone())?;
                is_mbid(&artist.id).then(|| (name, artist.id.clone()))
            })
            .collect();
        let about = title.as_str();
        let credited = credits.iter().map(|(n, _)| n.clone()).collect();
        sheet.add(about, "is a recording credited to", credited, src);
        let first = self.first_release_date.into_iter().collect();
        sheet.add(about, "was first released", first, src);
        let mut releases: Vec<String> = Vec::new();
        for r in &self.releases {
            let Some(t) = r.title.clone() else { continue };
            let shown = match &r.date {
                Some(d) if !d.is_empty() => format!("{t} ({d})"),
                _ => t,
            };
            if !releases.contains(&shown) && releases.len() < 3 {
                releases.push(shown);
            }
        }
        sheet.add(about, "appears on", releases, src);
        let producers = names(&self.relations, "producer", None);
        sheet.add(about, "was produced by", producers, src);
        let mut song_item = None;
        for work in self.relations.iter().filter_map(|r| r.work.as_ref()) {
            let about = work.title.clone().unwrap_or_default();
            let rels = &work.relations;
            sheet.add(
                &about,
                "(the song) was written by",
                names(rels, "writer", None),
                src,
            );
            sheet.add(
                &about,
                "(the song) was composed by",
                names(rels, "composer", None),
                src,
            );
            sheet.add(
                &about,
                "(the song) has lyrics by",
                names(rels, "lyricist", None),
                src,
            );
            song_item = song_item.or_else(|| wikidata_item(&work.relations));
        }
        let release_group = self
            .releases
            .iter()
            .filter_map(|r| r.release_group.as_ref())
            .map(|g| g.id.clone())
            .find(|id| is_mbid(id));
        Some(RecordingFacts {
            sheet,
            credits,
            song_item: song_item.or_else(|| wikidata_item(&self.relations)),
            release_group,
        })
    }
}

impl Artist {
    /// The artist's facts and its Wikidata item; `None` when its ID is unusable.
    pub(crate) fn into_facts(self) -> Option<(FactSheet, Option<String>)> {
        if !is_mbid(&self.id) {
            return None;
        }
        let name = self.name.unwrap_or_default();
        let mut sheet = FactSheet::default();
        let src = sheet.source(musicbrainz("artist", &self.id, &name));
        let about = name.as_str();
        let kind = self.kind.unwrap_or_default();
        sheet.add(about, "is an artist of type", vec![kind.clone()], src);
        let described = self.disambiguation.into_iter().collect();
        sheet.add(about, "is described as", described, src);
        let area = self.area.and_then(|a| a.name).into_iter().collect();
        sheet.add(about, "is from", area, src);
        let (began, ended) = match kind.as_str() {
            "Person" => ("was born", "died"),
            "Group" | "Orchestra" | "Choir" => ("was formed", "was dissolved"),
            _ => ("began", "ended"),
        };
        if let Some(span) = self.life_span {
            sheet.add(about, began, span.begin.into_iter().collect(), src);
            sheet.add(about, ended, span.end.into_iter().collect(), src);
        }
        let members = names(&self.relations, "member of band", Some("backward"));
        sheet.add(about, "has members", members, src);
        let member_of = names(&self.relations, "member of band", Some("forward"));
        sheet.add(about, "is a member of", member_of, src);
        let mut tags = self.tags;
        tags.sort_by_key(|t| -t.count.unwrap_or(0));
        let tags = tags.into_iter().take(5).map(|t| t.name).collect();
        sheet.add(about, "is tagged", tags, src);
        Some((sheet, wikidata_item(&self.relations)))
    }
}

impl ReleaseGroup {
    /// The album's Wikidata item, if MusicBrainz links one.
    pub(crate) fn wikidata_item(&self) -> Option<String> {
        wikidata_item(&self.relations)
    }
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
