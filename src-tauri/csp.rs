//! The page's Content-Security-Policy. The shipped policy (tauri.conf.json) allows images from
//! Spotify's CDNs only; images from a server on this computer are allowed only when the Spotify
//! endpoints point at one (the demo's and the tests' fakes, a local proxy) or the build asks for
//! it with the `local-images` feature.

use spotify_plus_core::config::{is_loopback, Config, SavedSettings};
use tauri::utils::config::Csp;

/// Loopback image origins (any port: the fakes pick free ones).
const LOCAL_IMAGES: [&str; 2] = ["http://127.0.0.1:*", "http://localhost:*"];

/// `context` with loopback images allowed when local servers are configured.
pub fn context<R: tauri::Runtime>(mut context: tauri::Context<R>) -> tauri::Context<R> {
    if local_servers() {
        if let Some(csp) = context.config_mut().app.security.csp.as_mut() {
            allow_local_images(csp);
        }
    }
    context
}

/// Whether the build or the Spotify endpoints ask for local images.
fn local_servers() -> bool {
    if cfg!(feature = "local-images") {
        return true;
    }
    // The endpoints come from the environment and `.env` only (Settings has no field for them);
    // they are validated to be Spotify's or loopback.
    let dotenv = std::env::current_dir().ok().map(|d| d.join(".env"));
    let config = Config::resolve(
        &SavedSettings::default(),
        |k| std::env::var(k).ok(),
        dotenv.as_deref(),
    )
    .config;
    is_loopback(&config.spotify_api_base_url)
}

fn allow_local_images(csp: &mut Csp) {
    match csp {
        Csp::DirectiveMap(map) => {
            let img = map.entry("img-src".into()).or_default();
            for origin in LOCAL_IMAGES {
                img.push(origin);
            }
        }
        Csp::Policy(policy) => {
            *policy = policy.replacen("img-src", &format!("img-src {}", LOCAL_IMAGES.join(" ")), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy as shipped: tauri.conf.json's.
    fn shipped() -> Csp {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        serde_json::from_value(conf["app"]["security"]["csp"].clone()).unwrap()
    }

    #[test]
    fn the_shipped_policy_allows_no_loopback_images_until_asked() {
        let csp = shipped();
        assert!(!csp.to_string().contains("127.0.0.1"), "{csp}");
        assert!(!csp.to_string().contains("localhost:"), "{csp}");
        let mut local = shipped();
        allow_local_images(&mut local);
        let text = local.to_string();
        let img = text
            .split(';')
            .find(|d| d.trim().starts_with("img-src"))
            .unwrap();
        assert!(
            img.contains("http://127.0.0.1:*") && img.contains("https://i.scdn.co"),
            "{img}"
        );
        assert!(
            !text.replace(img, "").contains("127.0.0.1"),
            "only images: {text}"
        );
    }
}
