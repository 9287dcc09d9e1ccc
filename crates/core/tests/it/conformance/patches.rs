//! Patches of the description's copy: the real constraints the published description leaves
//! out, each with the reason it is true of the real API.

use serde_json::{json, Map, Value};

/// The pattern of every Spotify catalog ID: 22 base-62 characters.
const BASE62_ID: &str = "^[0-9A-Za-z]{22}$";

/// A patch of the description: changes the document, returns how many places it changed.
type Patch = fn(&mut Value) -> usize;

/// Each patch of the copy, by name; each says in its comment why it is true of the real API.
pub(super) const PATCHES: &[(&str, Patch)] = &[
    ("base-62 catalog IDs", base62_ids),
    ("base-62 IDs in paths", base62_path_params),
    ("non-negative integers", non_negative_integers),
    ("popularity 0-100", popularity),
    (
        "catalog tracks are not local files",
        catalog_track_not_local,
    ),
    ("nulls Spotify sends", nulls_spotify_sends),
];

/// Track, artist, album, playlist, show, episode, audiobook and chapter IDs are 22 base-62
/// characters; the description says only `string`, so Prism makes IDs like "string" that no
/// real answer has. Not patched: user IDs (account names such as "wizzler" or digits), device
/// IDs (40 hex digits), category IDs (words such as "toplists") and recommendation seeds
/// (genre names), which are not base-62 IDs.
fn base62_ids(doc: &mut Value) -> usize {
    const NOT_BASE62: [&str; 6] = [
        "PrivateUserObject",
        "PublicUserObject",
        "PlaylistUserObject",
        "DeviceObject",
        "CategoryObject",
        "RecommendationSeedObject",
    ];
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return 0;
    };
    let mut changed = 0;
    for (name, schema) in schemas {
        if NOT_BASE62.contains(&name.as_str()) {
            continue;
        }
        if let Some(Value::Object(id)) = schema.pointer_mut("/properties/id") {
            if id.get("type") == Some(&json!("string")) {
                id.insert("pattern".into(), json!(BASE62_ID));
                changed += 1;
            }
        }
    }
    changed
}

/// The same for IDs in paths (`/tracks/{id}`, `/playlists/{playlist_id}`, ...), so that
/// Prism's request validation checks our IDs as Spotify does (it answers 400 "invalid base62
/// id"). User and category IDs are left alone for the reasons above.
fn base62_path_params(doc: &mut Value) -> usize {
    let mut changed = 0;
    walk(doc, "", &mut |_, object| {
        let is_path = object.get("in") == Some(&json!("path"));
        let name = object.get("name").and_then(Value::as_str).unwrap_or("");
        if is_path && !["user_id", "category_id"].contains(&name) {
            if let Some(Value::Object(schema)) = object.get_mut("schema") {
                schema.insert("pattern".into(), json!(BASE62_ID));
                changed += 1;
            }
        }
    });
    changed
}

/// Every integer the description leaves unbounded below is a count, total, offset, limit,
/// position, duration, progress, width, height, track or disc number or timestamp: Spotify
/// never sends one negative, while Prism draws from -1e8..1e8. The one exception is a
/// section's `key`, which is -1 when no key was detected.
fn non_negative_integers(doc: &mut Value) -> usize {
    let mut changed = 0;
    walk(doc, "", &mut |key, object| {
        if object.get("type") == Some(&json!("integer"))
            && !object.contains_key("minimum")
            && key != "key"
        {
            object.insert("minimum".into(), json!(0));
            changed += 1;
        }
    });
    changed
}

/// Popularity is a score from 0 to 100 (Spotify's reference says so in prose only), not an
/// integer in the millions.
fn popularity(doc: &mut Value) -> usize {
    let mut changed = 0;
    walk(doc, "", &mut |_, object| {
        if let Some(Value::Object(p)) = object
            .get_mut("properties")
            .and_then(|props| props.get_mut("popularity"))
        {
            p.insert("minimum".into(), json!(0));
            p.insert("maximum".into(), json!(100));
            changed += 1;
        }
    });
    changed
}

/// `GET /tracks/{id}` looks up the catalog, which holds no local files (they have no Spotify
/// ID), so its answer is never `is_local: true`; the description shares the track schema with
/// playlist entries, where local files do occur, and so lets Prism make one.
fn catalog_track_not_local(doc: &mut Value) -> usize {
    let Some(ok) = doc.pointer_mut("/paths/~1tracks~1{id}/get/responses/200") else {
        return 0;
    };
    *ok = json!({
        "description": "A catalog track (never a local file).",
        "content": {"application/json": {"schema": {"allOf": [
            {"$ref": "#/components/schemas/TrackObject"},
            {"type": "object", "properties": {"is_local": {"type": "boolean", "enum": [false]}}}
        ]}}}
    });
    1
}

/// Nulls Spotify sends that the description does not mark (its README says it under-marks
/// nullable fields), so that the patched run covers them too rather than only the happy shape.
fn nulls_spotify_sends(doc: &mut Value) -> usize {
    // OpenAPI 3.0's spelling of "or null" for a `oneOf` (json-schema-faker ignores `nullable`
    // beside `oneOf`, so a null branch is added).
    let null_branch = json!({"nullable": true, "enum": [null]});
    let mut changed = 0;
    // A playlist entry whose track or episode was removed or is unavailable: `item`/`track`
    // is null. Now playing during an ad or of an unknown item: `item` is null.
    for pointer in [
        "/components/schemas/PlaylistTrackObject/properties/item/oneOf",
        "/components/schemas/PlaylistTrackObject/properties/track/oneOf",
        "/components/schemas/CurrentlyPlayingObject/properties/item/oneOf",
    ] {
        if let Some(Value::Array(branches)) = doc.pointer_mut(pointer) {
            branches.push(null_branch.clone());
            changed += 1;
        }
    }
    // A playlist without a cover has `images: null`; an image may have a null `url` (issue 8
    // point 7); a user without a display name has `display_name: null`.
    for pointer in [
        "/components/schemas/SimplifiedPlaylistObject/properties/images",
        "/components/schemas/PlaylistObject/properties/images",
        "/components/schemas/ImageObject/properties/url",
        "/components/schemas/PrivateUserObject/properties/display_name",
    ] {
        if let Some(Value::Object(schema)) = doc.pointer_mut(pointer) {
            schema.insert("nullable".into(), json!(true));
            changed += 1;
        }
    }
    changed
}

/// Calls `visit(key, object)` on every JSON object in `value`, `key` being the name it is
/// stored under in its parent (empty for array elements and the root).
fn walk(value: &mut Value, key: &str, visit: &mut impl FnMut(&str, &mut Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            visit(key, object);
            for (child_key, child) in object.iter_mut() {
                walk(child, child_key, visit);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, "", visit)),
        _ => {}
    }
}
