//! The shipped catalog is complete enough for a city's front door and internally consistent.

use citizen_core::catalog::{Catalog, CatalogError, ServiceIcon, ServicePointKind, TileTarget};
use citizen_core::geo::LatLng;
use std::collections::{HashMap, HashSet};

fn shipped() -> Catalog {
    let text = include_str!("../data/catalog.json");
    Catalog::parse_json(text).unwrap_or_else(|e| panic!("data/catalog.json is invalid: {e}"))
}

#[test]
fn has_the_size_of_a_city_catalog() {
    let catalog = shipped();
    let data = catalog.data();
    assert!(data.tiles.len() >= 187, "only {} tiles", data.tiles.len());
    assert!(
        data.providers.len() >= 43,
        "only {} providers",
        data.providers.len()
    );
    assert!(
        data.categories.len() >= 10,
        "only {} categories",
        data.categories.len()
    );
    let used: HashSet<_> = data.tiles.iter().map(|t| &t.provider).collect();
    assert!(used.len() >= 43, "only {} providers have tiles", used.len());
}

#[test]
fn every_category_has_tiles_and_targets_are_mixed() {
    let catalog = shipped();
    for c in catalog.categories() {
        assert!(
            catalog.tiles_in(&c.id).count() >= 3,
            "category {} is nearly empty",
            c.id
        );
    }
    let mut kinds: HashMap<&str, usize> = HashMap::new();
    for t in catalog.tiles() {
        let kind = match t.target {
            TileTarget::Route { .. } => "route",
            TileTarget::H5 { .. } => "h5",
            TileTarget::Tel { .. } => "tel",
        };
        *kinds.entry(kind).or_default() += 1;
    }
    assert!(kinds.len() == 3, "every kind of target is used: {kinds:?}");
}

#[test]
fn has_service_points_of_each_kind_near_the_community() {
    let catalog = shipped();
    let points = &catalog.data().service_points;
    assert!(points.len() >= 20, "only {} service points", points.len());
    for kind in [
        ServicePointKind::PartyServiceCenter,
        ServicePointKind::HealthCenter,
        ServicePointKind::ConveniencePoint,
    ] {
        assert!(points.iter().any(|p| p.kind == kind), "no {kind:?}");
    }
    let centre = LatLng::new(30.65, 104.06).unwrap();
    assert!(
        points
            .iter()
            .all(|p| p.location.straight_line_m(centre) < 20_000.0),
        "a service point lies outside the city centre"
    );
    assert!(catalog.neighbourhoods().len() >= 5);
}

#[test]
fn every_tile_carries_its_current_pinyin() {
    let catalog = shipped();
    for tile in catalog.tiles() {
        let stored = tile.pinyin.clone().unwrap_or_else(|| {
            panic!(
                "tile {} has no pinyin: run the annotate_catalog example",
                tile.id
            )
        });
        let mut fresh = tile.clone();
        fresh.pinyin = None;
        assert_eq!(
            stored,
            fresh.syllables(),
            "tile {}'s pinyin is stale: run the annotate_catalog example",
            tile.id
        );
    }
}

#[test]
fn residents_find_what_they_type() {
    let catalog = shipped();
    let first_title = |q: &str| {
        catalog
            .search(q, 1)
            .first()
            .map(|t| t.title.zh.clone())
            .unwrap_or_else(|| panic!("{q} finds nothing"))
    };
    assert!(first_title("gjj").contains("公积金"));
    assert!(first_title("shebao").contains("社保"));
    assert!(first_title("sb").contains("社保"));
    assert!(first_title("公积金").contains("公积金"));
    assert!(first_title("yibao").contains("医保"));
}

#[test]
fn every_category_has_its_own_icon() {
    let catalog = shipped();
    let icons: HashSet<_> = catalog.categories().iter().map(|c| c.icon).collect();
    assert_eq!(
        icons.len(),
        catalog.categories().len(),
        "two categories share an icon"
    );
}

/// The shipped catalog with its first category's icon replaced by `icon` (a JSON value).
fn with_first_icon(icon: serde_json::Value) -> String {
    let mut data: serde_json::Value =
        serde_json::from_str(include_str!("../data/catalog.json")).unwrap();
    data["categories"][0]["icon"] = icon;
    data.to_string()
}

#[test]
fn an_icon_the_app_cannot_draw_makes_the_catalog_invalid() {
    // The old emoji form, a misspelt name, and a name in the wrong case are refused, each with an
    // error that names the value and the known names.
    for bad in ["🛡️", "shield_check", "ShieldCheck", "smiley"] {
        match Catalog::parse_json(&with_first_icon(bad.into())) {
            Err(CatalogError::Json(message)) => {
                assert!(message.contains(bad), "{message}");
                assert!(message.contains("shield-check"), "{message}");
            }
            other => panic!("{bad} was accepted: {other:?}"),
        }
    }
    assert!(matches!(
        Catalog::parse_json(&with_first_icon(serde_json::Value::Null)),
        Err(CatalogError::Json(_))
    ));
    // A known name is accepted and read as that icon.
    let catalog = Catalog::parse_json(&with_first_icon("id-card".into())).unwrap();
    assert_eq!(catalog.categories()[0].icon, ServiceIcon::IdCard);
}
