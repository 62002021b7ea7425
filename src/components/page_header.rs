use crate::browser::dom;
use crate::i18n::use_i18n;
use crate::state::use_config;
use leptos::prelude::*;

/// The page's one `<h1>`, also written into the document title so screen readers and the
/// webview's title bar agree on where the resident is.
#[component]
pub fn PageHeader(#[prop(into)] title: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    Effect::new(move |_| {
        let community = config.community.get(i18n.lang.get()).to_owned();
        let page = title.get();
        dom::set_title(&if page == community {
            page
        } else {
            format!("{page} · {community}")
        });
    });
    view! {
        <header class="page-header">
            <h1>{title}</h1>
        </header>
    }
}
