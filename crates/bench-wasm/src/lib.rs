//! The core's catalog search, exported to JavaScript for the in-browser benchmark. Kept out of
//! the app bundle so that benchmarking adds nothing to what residents download.

use citizen_core::catalog::Catalog;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct BenchCatalog {
    catalog: Catalog,
}

#[wasm_bindgen]
impl BenchCatalog {
    /// Parses and checks catalog JSON and builds the search index (pinyin included).
    #[wasm_bindgen(constructor)]
    pub fn new(catalog_json: &str) -> Result<BenchCatalog, JsError> {
        let catalog = Catalog::parse_json(catalog_json)?;
        Ok(BenchCatalog { catalog })
    }

    pub fn tile_count(&self) -> usize {
        self.catalog.tiles().len()
    }

    /// Runs one ranked search and returns how many tiles matched.
    pub fn search(&self, query: &str) -> usize {
        self.catalog.search_hits(query).len()
    }
}
