//! My statement, newest first, in a scroll box that draws only the rows in view (see
//! [`super::window`]): a statement of 10,000 lines puts about 20 rows in the page, and shows its
//! first lines as soon as the first page arrives. Older pages are fetched as the view nears the
//! last loaded line, and appended.

use super::statement_row::StatementRow;
use super::window::{Window, visible};
use crate::backend::timebank::TimebankBackend;
use crate::components::loaded::{failed, loading};
use crate::i18n::{Msg, use_i18n};
use crate::state::loader::Pages;
use leptos::html::Div;
use leptos::prelude::*;

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
    // Each page asks for the lines before the oldest one loaded.
    let pages = Pages::new(move |before| {
        let token = token.get_value();
        async move {
            let page = backend.statement(&token, before, PAGE).await;
            page.map(|page| (page.lines, page.next_before))
        }
    });
    let Pages {
        items: lines,
        next,
        loaded,
        loading: fetching,
        failure,
        ..
    } = pages;
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
    // After a change, from the newest line again, at the top.
    Effect::watch(
        move || version.get(),
        move |_, _, _| {
            pages.restart();
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0);
        },
        false,
    );

    let view_rows = Memo::new(move |_| {
        let len = lines.with(Vec::len);
        visible(scroll_top.get(), box_height.get(), row.get(), len, OVERSCAN)
    });
    // The next page, when the view comes near the end of what is loaded (and again once a page
    // has arrived, or a failure has been retried).
    Effect::new(move |_| {
        let Window { end, .. } = view_rows.get();
        next.track();
        fetching.track();
        failure.track();
        if end + AHEAD >= lines.with(Vec::len) {
            pages.more();
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
    view! {
        <section class="section" data-testid="statement">
            <h2 id="statement-heading">{i18n.text(Msg::TimebankStatement)}</h2>
            {move || failure.get().map(|e| failed(&e, move || pages.retry()))}
            {move || (loaded.get() && lines.with(Vec::is_empty)).then(|| view! {
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
            {move || fetching.get().then(loading)}
        </section>
    }
}
