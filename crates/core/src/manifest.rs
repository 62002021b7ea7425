//! The web app manifest, so that phone browsers offer to add the app to the home screen: named
//! after the community, in its theme colour, opening at (and staying within) the base path the
//! app is served under. The server serves it (`manifest.webmanifest`) with its icon (`icon.svg`).

use crate::config::AppConfig;
use serde_json::json;

/// The manifest for `config`, served under `base` (`/` or `/community/`, with both slashes).
pub fn web_manifest(config: &AppConfig, base: &str) -> String {
    let name = config.community.get(config.lang);
    json!({
        "id": base,
        "name": name,
        "short_name": name,
        "lang": config.lang.tag(),
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "theme_color": config.theme_colour.as_str(),
        "background_color": "#ffffff",
        "icons": [
            { "src": format!("{base}icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any" },
        ],
    })
    .to_string()
}

/// The icon: a white house with a door on the theme colour, with a margin wide enough for the
/// round and squircle masks launchers apply. Drawn, not lettered, so no font is needed.
pub fn icon_svg(config: &AppConfig) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="{colour}"/><path d="M256 120 400 240h-40v152H152V240h-40z" fill="#fff"/><path d="M224 392v-88h64v88z" fill="{colour}"/></svg>"##,
        colour = config.theme_colour.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn names_the_community_in_its_colour_under_the_base_path() {
        let config = AppConfig::parse_json(
            r##"{"community": {"zh": "玉林社区", "en": "Yulin"}, "lang": "en", "theme_colour": "#336699"}"##,
        )
        .unwrap();
        let manifest: Value = serde_json::from_str(&web_manifest(&config, "/yulin/")).unwrap();
        assert_eq!(manifest["name"], "Yulin");
        assert_eq!(manifest["lang"], "en");
        assert_eq!(manifest["theme_color"], "#336699");
        assert_eq!(manifest["start_url"], "/yulin/");
        assert_eq!(manifest["scope"], "/yulin/");
        assert_eq!(manifest["icons"][0]["src"], "/yulin/icon.svg");
        assert_eq!(manifest["display"], "standalone");
        assert!(icon_svg(&config).contains(r##"fill="#336699""##));
    }

    #[test]
    fn defaults_to_the_product_in_chinese() {
        let manifest: Value =
            serde_json::from_str(&web_manifest(&AppConfig::default(), "/")).unwrap();
        assert_eq!(manifest["name"], "市民云");
        assert_eq!(manifest["lang"], "zh-CN");
        assert_eq!(manifest["start_url"], "/");
    }
}
