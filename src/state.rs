//! App-wide reactive state, provided through context by the shell.

pub mod acting;
pub mod loader;
pub mod outbox;
pub mod session;

use crate::backend::Backends;
use crate::backend::catalog::CatalogError;
use crate::backend::error::ApiFailure;
use crate::browser::dom;
use crate::config::Preferences;
use crate::i18n::I18n;
use crate::storage::{self, Key};
use citizen_core::catalog::Catalog;
use citizen_core::config::AppConfig;
use citizen_core::ids::NeighbourhoodId;
use citizen_core::module::Module;
use citizen_core::personal::{Favourites, RecentlyUsed};
use leptos::prelude::*;
use loader::Loader;
use session::SessionState;
use std::sync::Arc;

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
pub fn provide_app_state(config: AppConfig) {
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
    let catalog_backend = backends.catalog.clone();
    let services = config.backend(Module::Services);
    let catalog: CatalogState = Loader::new(move || {
        let backend = catalog_backend.clone();
        async move {
            match backend {
                Some(backend) => backend.load().await.map(Arc::new),
                None => Err(ApiFailure::Unsupported {
                    module: Module::Services,
                    kind: services,
                }
                .into()),
            }
        }
    });
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
