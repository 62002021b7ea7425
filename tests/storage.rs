//! Device storage in a real browser: values survive, corrupt entries read as defaults.

use citizen_cloud::config::Preferences;
use citizen_cloud::storage::{self, Key};
use citizen_core::Lang;
use citizen_core::ids::{NeighbourhoodId, TileId};
use citizen_core::personal::{Favourites, RecentlyUsed};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn favourites_round_trip() {
    let mut favourites = Favourites::default();
    favourites.toggle(&TileId::parse("housing-fund-balance").unwrap());
    storage::save(Key::Favourites, &favourites).unwrap();
    let loaded: Favourites = storage::load(Key::Favourites);
    assert_eq!(loaded, favourites);
    assert!(
        local_storage()
            .get_item(Key::Favourites.name())
            .unwrap()
            .unwrap()
            .contains("housing-fund-balance")
    );
}

#[wasm_bindgen_test]
fn preferences_round_trip() {
    let preferences = Preferences {
        lang: Some(Lang::En),
        large_text: Some(true),
        neighbourhood: Some(NeighbourhoodId::parse("yulin").unwrap()),
    };
    storage::save(Key::Preferences, &preferences).unwrap();
    assert_eq!(storage::load::<Preferences>(Key::Preferences), preferences);
}

#[wasm_bindgen_test]
fn a_corrupt_entry_reads_as_the_default() {
    local_storage()
        .set_item(Key::Recents.name(), "{not json")
        .unwrap();
    assert_eq!(
        storage::load::<RecentlyUsed>(Key::Recents),
        RecentlyUsed::default()
    );
    // An id that is not a valid id is refused too, not let in.
    local_storage()
        .set_item(Key::Recents.name(), r#"["../../etc"]"#)
        .unwrap();
    assert_eq!(
        storage::load::<RecentlyUsed>(Key::Recents),
        RecentlyUsed::default()
    );
}

#[wasm_bindgen_test]
fn missing_entries_read_as_defaults() {
    local_storage()
        .remove_item(Key::Preferences.name())
        .unwrap();
    assert_eq!(
        storage::load::<Preferences>(Key::Preferences),
        Preferences::default()
    );
}
