//! Writes every tile's pinyin syllables into a catalog file, so browsers need no pinyin table:
//!
//!     cargo run -p citizen-core --example annotate_catalog -- crates/core/data/catalog.json
//!
//! Run it after editing tiles; `tests/catalog_data.rs` fails while any tile's syllables are
//! missing or stale.

use citizen_core::catalog::{Catalog, CatalogData};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: annotate_catalog <catalog.json>");
        return ExitCode::from(2);
    };
    let result = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<CatalogData>(&text).map_err(|e| e.to_string()))
        .and_then(|mut data| {
            for tile in &mut data.tiles {
                tile.pinyin = None;
                tile.pinyin = Some(tile.syllables());
            }
            Catalog::from_data(data.clone()).map_err(|e| e.to_string())?;
            let mut text = serde_json::to_string_pretty(&data).map_err(|e| e.to_string())?;
            text.push('\n');
            std::fs::write(&path, text).map_err(|e| e.to_string())
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("annotate_catalog: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
