//! The catalog's data model and its integrity checks.

use super::icon::ServiceIcon;
use super::search::{Hit, SearchIndex};
use super::target::TileTarget;
use crate::Localized;
use crate::geo::{self, GeoError, LatLng};
use crate::ids::{CategoryId, NeighbourhoodId, ProviderId, ServicePointId, TileId};
use crate::order::sorted_indices;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: CategoryId,
    pub name: Localized,
    /// The icon drawn beside the name and on the category's tiles, by name (decorative; screen
    /// readers skip it). An unknown name makes the catalog invalid.
    pub icon: ServiceIcon,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provider {
    pub id: ProviderId,
    pub name: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tile {
    pub id: TileId,
    pub title: Localized,
    pub summary: Localized,
    pub category: CategoryId,
    pub provider: ProviderId,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub target: TileTarget,
    #[serde(default)]
    pub popular: bool,
    /// Syllables of the title and keywords (see [`super::syllables`]); computed when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinyin: Option<TilePinyin>,
}

/// A tile's pronunciation, carried with the catalog so that browsers need no pinyin table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TilePinyin {
    pub title: String,
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl Tile {
    /// The stored syllables, or freshly computed ones.
    pub fn syllables(&self) -> TilePinyin {
        self.pinyin.clone().unwrap_or_else(|| TilePinyin {
            title: super::romanize::syllables(&self.title.zh),
            keywords: self
                .keywords
                .iter()
                .map(|k| super::romanize::syllables(k))
                .collect(),
        })
    }
}

/// Written by name (`"health_center"`, see [`crate::named::Named`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(rename_all = "snake_case")
)]
pub enum ServicePointKind {
    /// 党群服务中心
    PartyServiceCenter,
    /// 社区卫生服务中心
    HealthCenter,
    /// 便民服务点
    ConveniencePoint,
}

crate::named_serde!(ServicePointKind);

impl crate::named::Named for ServicePointKind {
    const WHAT: &'static str = "service point kind";
    const TABLE: &'static [(ServicePointKind, &'static str)] = &[
        (ServicePointKind::PartyServiceCenter, "party_service_center"),
        (ServicePointKind::HealthCenter, "health_center"),
        (ServicePointKind::ConveniencePoint, "convenience_point"),
    ];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PlacedServicePoint", into = "PlacedServicePoint")]
pub struct ServicePoint {
    pub id: ServicePointId,
    pub name: Localized,
    pub kind: ServicePointKind,
    pub address: Localized,
    pub location: LatLng,
    pub hours: Localized,
    pub phone: String,
    pub neighbourhood: NeighbourhoodId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PlacedNeighbourhood", into = "PlacedNeighbourhood")]
pub struct Neighbourhood {
    pub id: NeighbourhoodId,
    pub name: Localized,
    pub location: LatLng,
}

// The JSON forms keep `lat` and `lng` beside the other fields. Converting through these plain
// structs instead of `#[serde(flatten)]` keeps serde's buffering code out of the wasm bundle.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct PlacedServicePoint {
    id: ServicePointId,
    name: Localized,
    kind: ServicePointKind,
    address: Localized,
    lat: f64,
    lng: f64,
    hours: Localized,
    phone: String,
    neighbourhood: NeighbourhoodId,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct PlacedNeighbourhood {
    id: NeighbourhoodId,
    name: Localized,
    lat: f64,
    lng: f64,
}

impl TryFrom<PlacedServicePoint> for ServicePoint {
    type Error = GeoError;
    fn try_from(p: PlacedServicePoint) -> Result<Self, GeoError> {
        Ok(ServicePoint {
            location: LatLng::new(p.lat, p.lng)?,
            id: p.id,
            name: p.name,
            kind: p.kind,
            address: p.address,
            hours: p.hours,
            phone: p.phone,
            neighbourhood: p.neighbourhood,
        })
    }
}

impl From<ServicePoint> for PlacedServicePoint {
    fn from(p: ServicePoint) -> Self {
        PlacedServicePoint {
            lat: p.location.lat(),
            lng: p.location.lng(),
            id: p.id,
            name: p.name,
            kind: p.kind,
            address: p.address,
            hours: p.hours,
            phone: p.phone,
            neighbourhood: p.neighbourhood,
        }
    }
}

impl TryFrom<PlacedNeighbourhood> for Neighbourhood {
    type Error = GeoError;
    fn try_from(n: PlacedNeighbourhood) -> Result<Self, GeoError> {
        Ok(Neighbourhood {
            location: LatLng::new(n.lat, n.lng)?,
            id: n.id,
            name: n.name,
        })
    }
}

impl From<Neighbourhood> for PlacedNeighbourhood {
    fn from(n: Neighbourhood) -> Self {
        PlacedNeighbourhood {
            lat: n.location.lat(),
            lng: n.location.lng(),
            id: n.id,
            name: n.name,
        }
    }
}

/// The catalog as shipped or served: plain data, checked by [`Catalog::from_data`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogData {
    pub categories: Vec<Category>,
    pub providers: Vec<Provider>,
    pub tiles: Vec<Tile>,
    pub service_points: Vec<ServicePoint>,
    pub neighbourhoods: Vec<Neighbourhood>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogError {
    #[error("the catalog is not valid JSON: {0}")]
    Json(String),
    #[error("{list} has the id {id} twice")]
    DuplicateId { list: &'static str, id: String },
    #[error("tile {tile} names a {what} that does not exist: {id}")]
    MissingReference {
        tile: String,
        what: &'static str,
        id: String,
    },
    #[error("{what} {id} lacks a Chinese or English text")]
    MissingText { what: &'static str, id: String },
}

/// A checked catalog, ready for screens and servers. Its search index is built at the first
/// search, not when the catalog loads: the home page draws its tiles without waiting for it.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    data: CatalogData,
    index: OnceLock<SearchIndex>,
    /// Tile indices sorted by id, for binary search. Sorted vectors rather than hash maps here:
    /// each hash map type would add its own copy of the hashing code to the browser bundle.
    tiles_by_id: Vec<usize>,
}

/// The ids, sorted, after checking that none repeats.
fn sorted_unique<'a>(
    list: &'static str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<Vec<&'a str>, CatalogError> {
    let ids: Vec<&str> = ids.collect();
    let sorted: Vec<&str> = sorted_indices(ids.len(), &mut |a, b| ids[a].cmp(ids[b]))
        .into_iter()
        .map(|i| ids[i])
        .collect();
    match sorted.windows(2).find(|w| w[0] == w[1]) {
        Some(w) => Err(CatalogError::DuplicateId {
            list,
            id: w[0].to_owned(),
        }),
        None => Ok(sorted),
    }
}

fn check_texts<'a>(
    what: &'static str,
    id: &str,
    texts: impl IntoIterator<Item = &'a Localized>,
) -> Result<(), CatalogError> {
    if texts.into_iter().all(Localized::is_complete) {
        Ok(())
    } else {
        Err(CatalogError::MissingText {
            what,
            id: id.to_owned(),
        })
    }
}

impl Catalog {
    pub fn parse_json(text: &str) -> Result<Catalog, CatalogError> {
        let data: CatalogData =
            serde_json::from_str(text).map_err(|e| CatalogError::Json(e.to_string()))?;
        Catalog::from_data(data)
    }

    /// Checks ids, references and texts.
    pub fn from_data(data: CatalogData) -> Result<Catalog, CatalogError> {
        let categories =
            sorted_unique("categories", data.categories.iter().map(|c| c.id.as_str()))?;
        let providers = sorted_unique("providers", data.providers.iter().map(|p| p.id.as_str()))?;
        sorted_unique("tiles", data.tiles.iter().map(|t| t.id.as_str()))?;
        sorted_unique(
            "service_points",
            data.service_points.iter().map(|p| p.id.as_str()),
        )?;
        let neighbourhoods = sorted_unique(
            "neighbourhoods",
            data.neighbourhoods.iter().map(|n| n.id.as_str()),
        )?;
        for c in &data.categories {
            check_texts("category", c.id.as_str(), [&c.name])?;
        }
        for p in &data.providers {
            check_texts("provider", p.id.as_str(), [&p.name])?;
        }
        for t in &data.tiles {
            check_texts("tile", t.id.as_str(), [&t.title, &t.summary])?;
            let missing = |what: &'static str, id: &str| CatalogError::MissingReference {
                tile: t.id.to_string(),
                what,
                id: id.to_owned(),
            };
            if categories.binary_search(&t.category.as_str()).is_err() {
                return Err(missing("category", t.category.as_str()));
            }
            if providers.binary_search(&t.provider.as_str()).is_err() {
                return Err(missing("provider", t.provider.as_str()));
            }
        }
        for p in &data.service_points {
            check_texts(
                "service point",
                p.id.as_str(),
                [&p.name, &p.address, &p.hours],
            )?;
            if neighbourhoods
                .binary_search(&p.neighbourhood.as_str())
                .is_err()
            {
                return Err(CatalogError::MissingReference {
                    tile: p.id.to_string(),
                    what: "neighbourhood",
                    id: p.neighbourhood.to_string(),
                });
            }
        }
        let tiles_by_id = sorted_indices(data.tiles.len(), &mut |a, b| {
            data.tiles[a].id.cmp(&data.tiles[b].id)
        });
        Ok(Catalog {
            index: OnceLock::new(),
            tiles_by_id,
            data,
        })
    }

    pub fn data(&self) -> &CatalogData {
        &self.data
    }

    pub fn tiles(&self) -> &[Tile] {
        &self.data.tiles
    }

    pub fn categories(&self) -> &[Category] {
        &self.data.categories
    }

    pub fn neighbourhoods(&self) -> &[Neighbourhood] {
        &self.data.neighbourhoods
    }

    pub fn tile(&self, id: &TileId) -> Option<&Tile> {
        self.tile_index(id).map(|i| &self.data.tiles[i])
    }

    /// Where the tile `id` is in [`tiles`](Self::tiles). Screens list tiles by these indices
    /// rather than by copies of the tiles.
    pub fn tile_index(&self, id: &TileId) -> Option<usize> {
        self.tiles_by_id
            .binary_search_by(|&i| self.data.tiles[i].id.cmp(id))
            .ok()
            .map(|found| self.tiles_by_id[found])
    }

    pub fn category(&self, id: &CategoryId) -> Option<&Category> {
        self.data.categories.iter().find(|c| &c.id == id)
    }

    pub fn provider(&self, id: &ProviderId) -> Option<&Provider> {
        self.data.providers.iter().find(|p| &p.id == id)
    }

    /// The indices (in [`tiles`](Self::tiles)) of the category's tiles.
    pub fn tiles_in<'a>(&'a self, category: &'a CategoryId) -> impl Iterator<Item = usize> + 'a {
        self.indices_where(move |t| &t.category == category)
    }

    /// The indices (in [`tiles`](Self::tiles)) of the popular tiles.
    pub fn popular(&self) -> impl Iterator<Item = usize> + '_ {
        self.indices_where(|t| t.popular)
    }

    fn indices_where<'a>(
        &'a self,
        keep: impl Fn(&Tile) -> bool + 'a,
    ) -> impl Iterator<Item = usize> + 'a {
        self.data
            .tiles
            .iter()
            .enumerate()
            .filter(move |(_, t)| keep(t))
            .map(|(i, _)| i)
    }

    /// Ranked search hits (see [`SearchIndex`]).
    pub fn search_hits(&self, query: &str) -> Vec<Hit> {
        self.index().search(query)
    }

    /// The search index (pinyin included), built once, at the first search.
    fn index(&self) -> &SearchIndex {
        self.index
            .get_or_init(|| SearchIndex::build(&self.data.tiles))
    }

    /// Ranked matching tiles, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Tile> {
        self.index()
            .search(query)
            .into_iter()
            .take(limit)
            .map(|h| &self.data.tiles[h.index])
            .collect()
    }

    /// Service points nearest first, with walking metres.
    pub fn service_points_near(&self, from: LatLng) -> Vec<(&ServicePoint, u32)> {
        let locations: Vec<LatLng> = self
            .data
            .service_points
            .iter()
            .map(|p| p.location)
            .collect();
        geo::by_walking_distance(from, &locations)
            .into_iter()
            .map(|(i, m)| (&self.data.service_points[i], m))
            .collect()
    }
}
