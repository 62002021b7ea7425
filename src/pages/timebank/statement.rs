//! My statement, newest first, a page at a time: each page is one request to the backend, so a
//! statement of 10,000 lines shows its first lines as fast as one of ten.

use crate::backend::timebank::{TimebankBackend, TimebankError};
use crate::i18n::{Msg, duration, use_i18n};
use crate::pages::requests::words::local_date;
use citizen_core::timebank::{Party, StatementEntry, TransferReason};
use leptos::prelude::*;
use leptos::task::spawn_local;

const PAGE: usize = 50;

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
    let failure = RwSignal::new(None::<TimebankError>);
    let load = move |before: Option<u64>| {
        spawn_local(async move {
            match backend.statement(&token.get_value(), before, PAGE).await {
                Ok(page) => {
                    if before.is_none() {
                        lines.set(page.lines);
                    } else {
                        lines.update(|l| l.extend(page.lines));
                    }
                    next.set(page.next_before);
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        version.track();
        load(None);
    });
    let rows = move || {
        let lang = i18n.lang.get();
        lines
            .get()
            .into_iter()
            .map(|line| {
                let what = match line.reason {
                    TransferReason::Service { .. } => Msg::TimebankReasonService,
                    TransferReason::Gift => Msg::TimebankReasonGift,
                };
                let who = match line.counterparty {
                    Party::Pool => i18n.t(Msg::TimebankPool).to_owned(),
                    Party::Member { name, .. } => name,
                };
                view! {
                    <li class="statement__line" data-testid="statement-line">
                        <span class="statement__what">{i18n.t(what)}" · "{who}</span>
                        <span class="muted">{local_date(&line.at)}</span>
                        <span class="statement__delta" data-testid="statement-delta">{duration(lang, line.delta, true)}</span>
                        <span class="statement__balance" data-testid="statement-balance">{duration(lang, line.balance, false)}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="section" aria-labelledby="statement-heading" data-testid="statement">
            <h2 id="statement-heading">{i18n.text(Msg::TimebankStatement)}</h2>
            {move || failure.get().map(|e| view! {
                <p class="notice notice--error" role="alert">{i18n.text(e.message())}</p>
            })}
            {move || lines.with(Vec::is_empty).then(|| view! { <p class="muted">{i18n.text(Msg::TimebankNothing)}</p> })}
            <ol class="statement">{rows}</ol>
            {move || next.get().map(|before| view! {
                <button type="button" class="button" on:click=move |_| load(Some(before))>
                    {i18n.text(Msg::TimebankOlder)}
                </button>
            })}
        </section>
    }
}
