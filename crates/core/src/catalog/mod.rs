//! The service-tile catalog (办事): tiles from many providers, in categories, with search.

mod icon;
mod model;
mod romanize;
mod search;
mod target;

/// The demo community's catalog, shipped with the project (`crates/core/data/catalog.json`).
/// The browser bundle fetches its own copy; servers serve this one.
pub const SHIPPED_JSON: &str = include_str!("../../data/catalog.json");

/// Where the `local` backend reads the catalog: the copy beside the bundle. Addresses are
/// relative to the page's `<base>`.
pub const LOCAL_ADDRESS: &str = "catalog.json";
/// Where the `rest` backend reads it: the server's catalog, with each tile's pinyin.
pub const REST_ADDRESS: &str = "api/v1/catalog";

/// The catalog's address for a services backend; `None` for a kind without a catalog. The app's
/// catalog backends fetch it, and the server names it in index.html (`<meta name="catalog">`)
/// so that the page can preload it while the module downloads.
pub fn address(kind: crate::module::BackendKind) -> Option<&'static str> {
    use crate::module::BackendKind;
    match kind {
        BackendKind::Local => Some(LOCAL_ADDRESS),
        BackendKind::Rest => Some(REST_ADDRESS),
        BackendKind::Open311 => None,
    }
}

/// The catalog address a page names, when it is one of the backends' (see [`address`]): the app
/// asks a named address before its configuration is read, and never one it does not know.
pub fn known_address(named: &str) -> Option<&'static str> {
    [LOCAL_ADDRESS, REST_ADDRESS]
        .into_iter()
        .find(|address| *address == named)
}

pub use icon::ServiceIcon;
pub use model::{
    Catalog, CatalogData, CatalogError, Category, Neighbourhood, Provider, ServicePoint,
    ServicePointKind, Tile, TilePinyin,
};
#[cfg(feature = "openapi")]
pub(crate) use model::{PlacedNeighbourhood, PlacedServicePoint};
pub use romanize::{Romanized, syllables};
pub use search::{Hit, MatchTier, SearchIndex};
#[cfg(feature = "openapi")]
pub(crate) use target::TaggedTarget;
pub use target::{AppPath, H5Url, TargetError, TelNumber, TileTarget};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::BackendKind;

    #[test]
    fn a_named_address_is_known_only_when_a_backend_reads_the_catalog_there() {
        for kind in [BackendKind::Local, BackendKind::Rest] {
            let address = address(kind).unwrap();
            assert_eq!(known_address(address), Some(address));
        }
        for named in [
            "",
            "https://evil.example/catalog.json",
            "/catalog.json",
            "catalog.json?x",
            "api/v1/catalog/",
        ] {
            assert_eq!(known_address(named), None, "{named}");
        }
    }
}
