//! One line of my statement: what moved and with whom, when, how much, and my balance after it.
//! Every row is the same height (two lines of text, each cut with an ellipsis), so the list can
//! place a row from its position alone.

use crate::i18n::{Msg, duration, use_i18n};
use citizen_core::timebank::{Party, StatementEntry, TransferReason};
use leptos::prelude::*;

#[component]
pub fn StatementRow(
    entry: StatementEntry,
    /// 1 for the newest line.
    position: usize,
    /// How many lines the statement has, or -1 while older pages are still to come.
    set_size: Signal<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let what = match entry.reason {
        TransferReason::Service { .. } => Msg::TimebankReasonService,
        TransferReason::Gift => Msg::TimebankReasonGift,
    };
    let who = StoredValue::new(entry.counterparty);
    let what_who = move || {
        let who = who.with_value(|who| match who {
            Party::Pool => i18n.t(Msg::TimebankPool).to_owned(),
            Party::Member { name, .. } => name.clone(),
        });
        format!("{} · {who}", i18n.t(what))
    };
    let (delta, balance) = (entry.delta, entry.balance);
    view! {
        <li class="statement-row" data-testid="statement-line"
            aria-posinset=position aria-setsize=move || set_size.get()>
            <span class="statement-row__what">{what_who}</span>
            <span class="statement-row__delta" data-testid="statement-delta">
                {move || duration(i18n.lang.get(), delta, true)}
            </span>
            <span class="statement-row__date muted">{entry.at.china_day_text()}</span>
            <span class="statement-row__balance" data-testid="statement-balance">
                {move || duration(i18n.lang.get(), balance, false)}
            </span>
        </li>
    }
}
