//! App-wide reactive state, provided through context by the shell.

pub mod acting;
pub mod loader;
pub mod outbox;
pub mod session;

use crate::backend::Backends;
use crate::backend::catalog::{self, CatalogBackend, CatalogError};
use crate::backend::error::ApiFailure;
use crate::browser::dom;
use crate::config::Preferences;
use crate::i18n::I18n;
use crate::storage::{self, Key};
use citizen_core::catalog::Catalog;
use citizen_core::config::AppConfig;
use citizen_core::ids::NeighbourhoodId;
use citizen_core::module::{BackendKind, Module};
use citizen_core::personal::{Favourites, RecentlyUsed};
use leptos::prelude::*;
use loader::Loader;
use session::SessionState;
use std::sync::Arc;
use std::time::Duration;

/// The resident's device-local choices, each persisted as it changes.
#[derive(Clone, Copy)]
pub struct Personal {
    pub large_text: RwSignal<bool>,
    pub neighbourhood: RwSignal<Option<NeighbourhoodId>>,
    pub favourites: RwSignal<Favourites>,
    pub recents: RwSignal<RecentlyUsed>,
}

/// The catalog, loaded once per page load through the configured backend.
pub type CatalogState = Loader<Arc<Catalog>, CatalogError>;

/// The catalog the page names (`<meta name="catalog">`, which the server writes from the
/// config.json it serves), asked for and read as the app starts, while config.json is on its
/// way: by the time the shell mounts it is usually checked, and the home page draws its tiles
/// right after the shell rather than a frame or two later. The shell takes it when its own
/// services backend reads the catalog at the same address, and otherwise asks its backend (so
/// always under `trunk serve`, whose page has no such meta).
#[derive(Clone, Copy)]
pub struct EarlyCatalog {
    address: &'static str,
    catalog: CatalogState,
}

impl EarlyCatalog {
    pub fn ask() -> Option<EarlyCatalog> {
        let named = document()
            .query_selector("meta[name=catalog]")
            .ok()??
            .get_attribute("content")?;
        let address = citizen_core::catalog::known_address(&named)?;
        Some(EarlyCatalog {
            address,
            catalog: load_catalog(Ok(address)),
        })
    }
}

/// The catalog at `address`, loaded now and again on every reload; or, for a kind of services
/// backend without a catalog, the failure saying so.
fn load_catalog(address: Result<&'static str, BackendKind>) -> CatalogState {
    Loader::new(move || {
        let load = address.map(catalog::load_at);
        async move {
            match load {
                Ok(load) => load.await.map(Arc::new),
                Err(kind) => Err(ApiFailure::Unsupported {
                    module: Module::Services,
                    kind,
                }
                .into()),
            }
        }
    })
}

impl Personal {
    /// The resident's own choice of language: applied now and remembered on this device.
    pub fn choose_language(&self, i18n: I18n, lang: citizen_core::Lang) {
        i18n.lang.set(lang);
        save_preference(|p| p.lang = Some(lang));
        choose_for_tab("lang", lang.tag());
    }

    pub fn choose_large_text(&self, large: bool) {
        self.large_text.set(large);
        save_preference(|p| p.large_text = Some(large));
        choose_for_tab("large", if large { "1" } else { "0" });
    }

    pub fn choose_neighbourhood(&self, id: Option<NeighbourhoodId>) {
        self.neighbourhood.set(id.clone());
        save_preference(|p| p.neighbourhood = id);
    }
}

/// Only explicit choices are saved, one field at a time, so that a `?lang=` from the host page
/// is never mistaken for the resident's own choice.
fn save_preference(change: impl FnOnce(&mut Preferences)) {
    let mut preferences: Preferences = storage::load(Key::Preferences);
    change(&mut preferences);
    log_failure(storage::save(Key::Preferences, &preferences));
}

/// A choice made after a URL override wins for the rest of this tab too.
fn choose_for_tab(key: &str, value: &str) {
    if let Some(tab) = crate::config::TabOverrides::recall() {
        tab.choose(key, value);
        tab.keep();
    }
}

/// What the whole app reads, provided once by the shell as one context: each context type costs
/// its own lookup code in the first-load module.
#[derive(Clone)]
struct AppState {
    config: Arc<AppConfig>,
    personal: Personal,
    catalog: CatalogState,
    backends: Backends,
}

fn app_state() -> AppState {
    expect_context::<AppState>()
}

pub fn use_config() -> Arc<AppConfig> {
    app_state().config
}

pub fn use_personal() -> Personal {
    app_state().personal
}

pub fn use_catalog() -> CatalogState {
    app_state().catalog
}

/// Every module's backend, resolved once at start.
pub fn use_backends() -> Backends {
    app_state().backends
}

/// Creates and provides every context the screens use, and keeps the document and storage in
/// step with the signals.
pub fn provide_app_state(config: AppConfig, early: Option<EarlyCatalog>) {
    let saved: Preferences = storage::load(Key::Preferences);
    let i18n = I18n {
        lang: RwSignal::new(config.lang),
    };
    let personal = Personal {
        large_text: RwSignal::new(config.large_text),
        neighbourhood: RwSignal::new(saved.neighbourhood),
        favourites: RwSignal::new(storage::load(Key::Favourites)),
        recents: RwSignal::new(storage::load(Key::Recents)),
    };
    dom::apply_theme_colour(config.theme_colour.as_str());

    let backends = Backends::from_config(&config);
    let address = backends.catalog.as_ref().map(CatalogBackend::address);
    let catalog = match early {
        Some(early) if Some(early.address) == address => {
            // Already here, it is drawn in a task after the shell's: one task drawing both would
            // block input for long on a slow phone.
            let state = early.catalog.state;
            if let Some(answer) = state.try_update(Option::take).flatten() {
                set_timeout(move || drop(state.try_set(Some(answer))), Duration::ZERO);
            }
            early.catalog
        }
        _ => load_catalog(address.ok_or(config.backend(Module::Services))),
    };
    let session = backends.account.map(SessionState::start);

    Effect::new(move |_| dom::apply_language(i18n.lang.get()));
    Effect::new(move |_| dom::apply_large_text(personal.large_text.get()));
    Effect::new(move |_| {
        personal
            .favourites
            .with(|f| log_failure(storage::save(Key::Favourites, f)))
    });
    Effect::new(move |_| {
        personal
            .recents
            .with(|r| log_failure(storage::save(Key::Recents, r)))
    });

    provide_context(AppState {
        config: Arc::new(config),
        personal,
        catalog,
        backends,
    });
    provide_context(i18n);
    provide_context(session);
}

/// A failed save loses only a convenience (the app still works this session); say so in the console.
fn log_failure(result: Result<(), storage::SaveError>) {
    if let Err(e) = result {
        leptos::logging::warn!("{e}");
    }
}
