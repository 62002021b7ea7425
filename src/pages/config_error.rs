//! Shown instead of the app when `config.json` cannot be read or is wrong: never a blank screen.

use crate::browser::dom;
use crate::config::{ConfigLoadError, query_pairs};
use crate::i18n::{Msg, config_error_rows};
use citizen_core::Lang;
use leptos::prelude::*;

/// The configured language is unknown here, so take `?lang=` or the browser's.
fn fallback_language() -> Lang {
    query_pairs()
        .into_iter()
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
        .or_else(|| {
            window()
                .navigator()
                .language()
                .as_deref()
                .and_then(Lang::parse)
        })
        .unwrap_or_default()
}

#[component]
pub fn ConfigErrorPage(error: ConfigLoadError) -> impl IntoView {
    let lang = fallback_language();
    dom::apply_language(lang);
    let title = Msg::ConfigErrorTitle.text(lang);
    dom::set_title(title);
    let rows = match &error {
        ConfigLoadError::Invalid(e) => config_error_rows(lang, e),
        other => vec![(Msg::ConfigErrorUnreachable.text(lang), other.to_string())],
    };
    let rows = rows
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd><code>{value}</code></dd> })
        .collect_view();
    view! {
        <main class="config-error" data-testid="config-error">
            <h1>{title}</h1>
            <p>{Msg::ConfigErrorIntro.text(lang)}</p>
            <dl>{rows}</dl>
        </main>
    }
}
