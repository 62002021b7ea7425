use super::icon::{Icon, IconKind};
use super::search_results::prefetch_search;
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The catalog search field. Results follow every keystroke; the index is built once per load.
/// Focusing it fetches the search's code (see `search_results`).
#[component]
pub fn SearchBox(query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label class="search__field">
                <span class="visually-hidden">{move || i18n.t(Msg::SearchLabel)}</span>
                <Icon kind=IconKind::Search />
                <input
                    type="search"
                    class="search__input"
                    data-testid="search-input"
                    autocomplete="off"
                    enterkeyhint="search"
                    placeholder=move || i18n.t(Msg::SearchPlaceholder)
                    prop:value=move || query.get()
                    on:focus=|_| spawn_local(prefetch_search())
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </label>
            <Show when=move || !query.read().is_empty()>
                <button type="button" class="search__clear" on:click=move |_| query.set(String::new())>
                    {move || i18n.t(Msg::SearchClear)}
                </button>
            </Show>
        </form>
    }
}
