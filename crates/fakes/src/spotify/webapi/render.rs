//! Spotify's JSON shapes (2026 and legacy) for the sample library: users, tracks, artists,
//! albums, playlists, their items and pages.

use super::super::library::{self, Album, Artist, Item, Library, Playlist, Track};
use super::super::{Shape, Shared};
use serde_json::{json, Value};

/// Renders JSON for one request, knowing the shape and the server's root URL.
pub(crate) struct Render<'a> {
    pub(super) root: &'a str,
    shape: Shape,
    odd_images: bool,
    pub(super) lib: &'static Library,
}

impl Render<'_> {
    pub(crate) fn new(shared: &Shared) -> Render<'_> {
        let state = shared.state();
        Render {
            root: &shared.root,
            shape: state.shape,
            odd_images: state.odd_images,
            lib: library::library(),
        }
    }

    pub(super) fn legacy(&self) -> bool {
        self.shape == Shape::Legacy
    }

    pub(super) fn images(&self, image: &Option<String>) -> Value {
        let mut images = match image {
            Some(name) => json!([
                { "url": format!("{}/images/{name}.png", self.root), "height": 640, "width": 640 },
                { "url": format!("{}/images/{name}-300.png", self.root), "height": 300, "width": 300 },
            ]),
            None => json!([]),
        };
        if self.odd_images {
            let odd = json!([
                { "url": null, "height": 640, "width": 640 },
                { "url": format!("{}/images/odd.png", self.root), "height": -1, "width": "wide" },
            ]);
            let list = images.as_array_mut().expect("an array");
            list.splice(0..0, odd.as_array().expect("an array").iter().cloned());
        }
        images
    }

    pub(crate) fn object(&self, kind: &str, id: &str) -> Value {
        json!({
            "id": id,
            "type": kind,
            "uri": format!("spotify:{kind}:{id}"),
            "href": format!("{}/v1/{kind}s/{id}", self.root),
            "external_urls": { "spotify": format!("https://open.spotify.com/{kind}/{id}") },
        })
    }

    pub(super) fn simple_artist(&self, artist: &Artist) -> Value {
        let mut value = self.object("artist", &artist.id);
        value["name"] = json!(artist.name);
        value
    }

    pub(super) fn artist(&self, artist: &Artist) -> Value {
        let mut value = self.simple_artist(artist);
        value["images"] = self.images(&artist.image);
        value["genres"] = json!(artist.genres);
        // Development-mode apps lost popularity and followers in February 2026.
        if self.legacy() {
            value["popularity"] = json!(artist.popularity);
            value["followers"] = json!({ "href": null, "total": artist.followers });
        }
        value
    }

    pub(super) fn album(&self, album: &Album, artists: &[usize]) -> Value {
        let mut value = self.object("album", &album.id);
        value["name"] = json!(album.name);
        value["album_type"] = json!("album");
        value["images"] = self.images(&album.image);
        value["release_date"] = json!(album.release_date);
        value["release_date_precision"] = json!(album.release_date_precision);
        value["artists"] = self.artist_list(artists);
        value
    }

    pub(super) fn artist_list(&self, artists: &[usize]) -> Value {
        artists
            .iter()
            .map(|&i| self.simple_artist(&self.lib.artists[i]))
            .collect()
    }

    pub(crate) fn track(&self, track: &Track) -> Value {
        let mut value = self.object("track", &track.id);
        value["name"] = json!(track.name);
        value["artists"] = self.artist_list(&track.artists);
        value["album"] = self.album(&self.lib.albums[track.album], &track.artists);
        value["duration_ms"] = json!(track.duration_ms);
        value["explicit"] = json!(track.explicit);
        value["is_local"] = json!(false);
        value["is_playable"] = json!(track.is_playable);
        // Spotify still gives every track its ISRC; the app finds the recording by it.
        value["external_ids"] = json!({ "isrc": crate::facts::data::isrc_of(&track.id) });
        value["track_number"] = json!(1);
        value["disc_number"] = json!(1);
        if self.legacy() {
            value["popularity"] = json!(42);
            value["available_markets"] = json!(["DE", "FR", "US"]);
        }
        value
    }

    pub(crate) fn episode(&self) -> Value {
        let episode = &self.lib.episode;
        let mut value = self.object("episode", episode.id);
        value["name"] = json!(episode.name);
        value["duration_ms"] = json!(episode.duration_ms);
        value["release_date"] = json!("2024-05-01");
        value["images"] = self.images(&Some("episode".into()));
        let mut show = self.object("show", episode.show_id);
        show["name"] = json!(episode.show_name);
        show["publisher"] = json!("Fake Radio");
        value["show"] = show;
        value
    }

    /// A local file: every ID, URI and href is null, as Spotify sends them.
    pub(super) fn local_file(
        &self,
        name: &str,
        artist: &str,
        album: &str,
        duration_ms: u64,
    ) -> Value {
        json!({
            "id": null, "uri": format!("spotify:local:{artist}:{album}:{name}:{}", duration_ms / 1000),
            "href": null, "type": "track", "name": name, "is_local": true, "duration_ms": duration_ms,
            "explicit": false, "external_urls": {}, "popularity": 0,
            "artists": [{ "id": null, "uri": null, "href": null, "type": "artist", "name": artist, "external_urls": {} }],
            "album": { "id": null, "uri": null, "href": null, "type": "album", "name": album,
                       "images": [], "release_date": null, "artists": [] },
        })
    }

    pub(super) fn playlist_item(&self, item: &Item) -> Value {
        let (is_local, object) = match item {
            Item::Track(i) => (false, self.track(&self.lib.tracks[*i])),
            Item::LocalFile {
                name,
                artist,
                album,
                duration_ms,
            } => (true, self.local_file(name, artist, album, *duration_ms)),
            Item::Episode => (false, self.episode()),
            Item::Null => (false, Value::Null),
        };
        let key = if self.legacy() { "track" } else { "item" };
        json!({
            "added_at": "2024-03-01T12:00:00Z",
            "added_by": { "id": library::USER_ID, "type": "user" },
            "is_local": is_local,
            key: object,
        })
    }

    pub(super) fn playlist_simple(&self, playlist: &Playlist) -> Value {
        let mut value = self.object("playlist", &playlist.id);
        value["name"] = json!(playlist.name);
        value["description"] = json!(playlist.description);
        value["collaborative"] = json!(playlist.collaborative);
        value["public"] = json!(true);
        value["snapshot_id"] = json!("c25hcHNob3Q");
        // Spotify sends `images: null` for playlists without a cover.
        value["images"] = match &playlist.image {
            Some(_) => self.images(&playlist.image),
            None => Value::Null,
        };
        let mut owner = self.object("user", playlist.owner_id);
        owner["display_name"] = json!(playlist.owner_name);
        value["owner"] = owner;
        let items_href = format!("{}/v1/playlists/{}/items", self.root, playlist.id);
        value[self.items_key()] = json!({ "href": items_href, "total": playlist.items.len() });
        value
    }

    pub(super) fn items_key(&self) -> &'static str {
        if self.legacy() {
            "tracks"
        } else {
            "items"
        }
    }

    pub(super) fn paging(
        &self,
        path: &str,
        items: Vec<Value>,
        limit: usize,
        offset: usize,
        total: usize,
    ) -> Value {
        let link = |offset: usize| format!("{}/v1/{path}?offset={offset}&limit={limit}", self.root);
        json!({
            "href": link(offset),
            "items": items,
            "limit": limit,
            "next": (offset + limit < total).then(|| link(offset + limit)),
            "offset": offset,
            "previous": (offset > 0).then(|| link(offset.saturating_sub(limit))),
            "total": total,
        })
    }

    pub(super) fn items_page(
        &self,
        playlist: &Playlist,
        path: &str,
        limit: usize,
        offset: usize,
    ) -> Value {
        let items = playlist
            .items
            .iter()
            .skip(offset)
            .take(limit)
            .map(|item| self.playlist_item(item))
            .collect();
        self.paging(path, items, limit, offset, playlist.items.len())
    }
}
