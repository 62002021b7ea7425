//! The service-tile catalog (办事): tiles from many providers, in categories, with search.

mod icon;
mod model;
mod romanize;
mod search;
mod target;

/// The demo community's catalog, shipped with the project (`crates/core/data/catalog.json`).
/// The browser bundle fetches its own copy; servers serve this one.
pub const SHIPPED_JSON: &str = include_str!("../../data/catalog.json");

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
