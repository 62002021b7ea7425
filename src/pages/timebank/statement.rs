//! My statement, newest first, in a scroll box that draws only the rows in view (see
//! [`super::window`]): a statement of 10,000 lines puts about 20 rows in the page, and shows its
//! first lines as soon as the first page arrives. Older pages are fetched as the view nears the
//! last loaded line, and appended.

use super::statement_row::StatementRow;
use super::window::{Window, visible};
use crate::backend::error::Failure;
use crate::backend::timebank::{TimebankBackend, TimebankError};
use crate::i18n::{Msg, use_i18n};
use citizen_core::timebank::StatementEntry;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Lines per request: the server's largest page.
const PAGE: usize = 100;
/// Rows drawn beyond each edge of the box.
const OVERSCAN: usize = 6;
/// Fetch the next page once the view is this many rows from the last loaded line, so that
/// scrolling seldom reaches the end before it arrives.
const AHEAD: usize = 40;
/// Until the first row is measured: below the real height (4.25rem), so the first paint draws
/// too many rows rather than too few.
const ROW_GUESS: i32 = 48;
/// Until the box is measured: above its largest height (28rem in elder mode).
const BOX_GUESS: i32 = 600;

/// Sets `signal` only when the value differs, so a scroll within a row re-renders nothing.
fn set_changed(signal: RwSignal<i32>, value: i32) {
    if signal.get_untracked() != value {
        signal.set(value);
    }
}

/// A row's height as laid out: 68 px, 85 in elder mode. The style sheet rounds it to whole
/// pixels and draws the separator inside it, so this is the whole row, as `visible` needs.
fn row_height(scroller: &web_sys::Element) -> Option<i32> {
    let row = scroller.query_selector(".statement-row").ok()??;
    Some(row.client_height()).filter(|h| *h > 0)
}

/// `n` pixels for a style property, in whole pixels (no float formatting in the bundle).
fn px(n: usize) -> String {
    format!("{n}px")
}

#[component]
pub fn Statement(
    backend: TimebankBackend,
    token: StoredValue<String>,
    /// Bumped after every change, to read the statement again from the newest line.
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lines = RwSignal::new(Vec::<StatementEntry>::new());
    let next = RwSignal::new(None::<u64>);
    let first_page = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<TimebankError>);
    // Each read from the newest line starts a generation; pages of an older one are dropped.
    let generation = StoredValue::new(0u32);
    // The page that failed, asked again by 重试.
    let failed = StoredValue::new(None::<u64>);
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0);
    let box_height = RwSignal::new(BOX_GUESS);
    let row = RwSignal::new(ROW_GUESS);

    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            set_changed(scroll_top, el.scroll_top());
            set_changed(box_height, el.client_height());
            if let Some(h) = row_height(&el) {
                set_changed(row, h);
            }
        }
    };
    let load = move |before: Option<u64>| {
        if before.is_none() {
            generation.update_value(|g| *g = g.wrapping_add(1));
        }
        let mine = generation.get_value();
        loading.set(true);
        spawn_local(async move {
            let result = backend.statement(&token.get_value(), before, PAGE).await;
            if generation.get_value() != mine {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    if before.is_none() {
                        lines.set(page.lines);
                        first_page.set(true);
                        if let Some(el) = scroller.get_untracked() {
                            el.set_scroll_top(0);
                        }
                        scroll_top.set(0);
                    } else {
                        lines.update(|l| l.extend(page.lines));
                    }
                    next.set(page.next_before);
                    failure.set(None);
                }
                Err(e) => {
                    failed.set_value(before);
                    failure.set(Some(e));
                }
            }
        });
    };
    Effect::new(move |_| {
        version.track();
        load(None);
    });

    let view_rows = Memo::new(move |_| {
        let len = lines.with(Vec::len);
        visible(scroll_top.get(), box_height.get(), row.get(), len, OVERSCAN)
    });
    // The next page, when the view comes near the end of what is loaded. Not after a failure:
    // that waits for 重试, rather than asking again in a loop.
    Effect::new(move |_| {
        let Window { end, .. } = view_rows.get();
        let near_end = end + AHEAD >= lines.with(Vec::len);
        if let (Some(before), false, true, true) = (
            next.get(),
            loading.get(),
            near_end,
            failure.with(Option::is_none),
        ) {
            load(Some(before));
        }
    });
    // Rows appear after a page arrives; their height is read once they are laid out.
    Effect::new(move |_| {
        lines.track();
        request_animation_frame(measure);
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let row_px = move || usize::try_from(row.get()).unwrap_or(0);
    let set_size = Signal::derive(move || match next.get() {
        Some(_) => -1,
        None => lines.with(Vec::len) as i64,
    });
    let shown = move || {
        let Window { start, end } = view_rows.get();
        lines.with(|l| {
            (start..end)
                .zip(l[start..end].iter().cloned())
                .collect::<Vec<_>>()
        })
    };
    let retry = move |_| {
        failure.set(None);
        load(failed.get_value());
    };
    view! {
        <section class="section" data-testid="statement">
            <h2 id="statement-heading">{i18n.text(Msg::TimebankStatement)}</h2>
            {move || failure.get().map(|e| view! {
                <div class="notice notice--error" role="alert">
                    <p>{i18n.text(e.message())}</p>
                    <button type="button" class="button" on:click=retry>{i18n.text(Msg::Retry)}</button>
                </div>
            })}
            {move || (first_page.get() && lines.with(Vec::is_empty)).then(|| view! {
                <p class="muted">{i18n.text(Msg::TimebankNothing)}</p>
            })}
            // A region, so that the focusable scroll box has a name (the heading's); a list
            // inside, whose rows carry their position and the list's size.
            <div class="statement-scroll" role="region" tabindex="0" aria-labelledby="statement-heading"
                data-testid="statement-scroll" node_ref=scroller on:scroll=move |_| measure()
                hidden=move || lines.with(Vec::is_empty)>
                <ol class="statement-list"
                    style:height=move || px(lines.with(Vec::len) * row_px())
                    style:padding-top=move || px(view_rows.get().start * row_px())>
                    <For each=shown key=|(i, line)| (*i, line.transfer)
                        children=move |(i, line)| view! { <StatementRow entry=line position=i + 1 set_size=set_size /> } />
                </ol>
            </div>
            {move || loading.get().then(|| view! {
                <p class="muted" role="status">{i18n.text(Msg::Loading)}</p>
            })}
        </section>
    }
}
