use super::timebank_staff;
use super::words::balance;
use crate::backend::timebank::{TimebankBackend, TimebankError};
use crate::components::loaded::{failed, loading};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::i18n::{I18n, Msg, duration, use_i18n};
use crate::state::loader::{Loader, act};
use citizen_core::Lang;
use citizen_core::text::TextError;
use citizen_core::timebank::{Payer, PoolReport, RecordView, ServiceNote};
use leptos::prelude::*;

/// 时间银行审核: the community pool and the bank's totals (every account summed is zero), the
/// service records waiting: the ones the pool pays approved or rejected here (not by staff who
/// gave or received them: the core refuses, and the refusal is worded), the ones the recipient
/// pays only rejected (their recipient confirms them); and every member's balance.
#[component]
pub fn StaffTimebankPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::StaffTimebank).to_owned()) />
        {timebank_staff(|backend, token| view! { <Pool backend=backend token=token /> }.into_any())}
    }
}

#[component]
fn Pool(backend: TimebankBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let notice = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<TimebankError>);
    let busy = RwSignal::new(false);
    let report = Loader::new(move || {
        let token = token.get_value();
        async move { backend.pool(&token).await }
    });
    // Also after an answer, when the page may be gone: then there is nothing to refresh.
    let load = move || report.refresh();
    let done = move |result: Result<(), TimebankError>, success: Msg| match result {
        Ok(()) => {
            failure.set(None);
            notice.set(Some(success));
            load();
        }
        Err(e) => {
            notice.set(None);
            failure.set(Some(e));
        }
    };
    let confirm = move |id: u64| {
        let answer = async move { backend.confirm(&token.get_value(), id).await.map(|_| ()) };
        act(busy, answer, move |r| done(r, Msg::StaffRecordConfirmed));
    };
    let reject = move |id: u64, reason: ServiceNote| {
        let answer = async move {
            backend
                .reject(&token.get_value(), id, reason)
                .await
                .map(|_| ())
        };
        act(busy, answer, move |r| done(r, Msg::StaffRecordRejected));
    };

    let body = move || match report.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || report.reload()),
        Some(Ok(report)) => {
            let pending = report.pending.clone();
            view! {
                {figures(i18n, &report)}
                <section class="section" aria-labelledby="pending-heading">
                    <h2 id="pending-heading">{i18n.text(Msg::StaffPendingRecords)}</h2>
                    {if pending.is_empty() {
                        view! { <p class="muted" data-testid="no-pending">{i18n.text(Msg::StaffNoPendingRecords)}</p> }
                            .into_any()
                    } else {
                        view! {
                            <ul class="request-list" data-testid="pool-pending-records">
                                {pending.into_iter().map(|record| view! {
                                    <PendingRecord record=record busy=busy confirm=confirm reject=reject />
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </section>
                {balances(i18n, &report)}
            }
            .into_any()
        }
    };
    view! {
        <p class="staff-result" role="status" data-testid="pool-notice">
            {move || notice.get().map(|msg| i18n.t(msg))}
        </p>
        {failure_notice(failure, "pool-error")}
        {body}
    }
}

fn figures(i18n: I18n, report: &PoolReport) -> impl IntoView {
    let minutes = |label: Msg, value: i64, testid: &'static str| {
        view! {
            <dt>{i18n.text(label)}</dt>
            <dd data-testid=testid data-minutes=value>{move || balance(i18n.lang.get(), value)}</dd>
        }
    };
    let count = |label: Msg, value: u64, testid: &'static str| {
        view! {
            <dt>{i18n.text(label)}</dt>
            <dd data-testid=testid>{value}</dd>
        }
    };
    view! {
        <section class="section card" aria-labelledby="pool-heading" data-testid="pool-figures">
            <h2 id="pool-heading">{i18n.text(Msg::Figures)}</h2>
            <dl class="facts staff-facts">
                {minutes(Msg::StaffPoolBalance, report.pool_balance, "pool-balance")}
                {minutes(Msg::StaffMembersTotal, report.members_total, "pool-members-total")}
                {minutes(Msg::StaffSumOfAccounts, report.sum_of_accounts, "pool-sum")}
                {count(Msg::StaffRecordsPending, report.records.pending, "pool-pending")}
                {count(Msg::StaffRecordsConfirmed, report.records.confirmed, "pool-confirmed")}
                {count(Msg::StaffRecordsRejected, report.records.rejected, "pool-rejected")}
            </dl>
        </section>
    }
}

fn balances(i18n: I18n, report: &PoolReport) -> impl IntoView {
    (!report.balances.is_empty()).then(|| {
        view! {
            <section class="section card" aria-labelledby="balances-heading">
                <h2 id="balances-heading">{i18n.text(Msg::StaffMemberBalances)}</h2>
                <dl class="facts staff-facts" data-testid="member-balances">
                    {report.balances.iter().map(|b| {
                        let minutes = b.balance;
                        view! {
                            <dt>{b.member.name.clone()}</dt>
                            <dd data-testid="member-balance" data-member=b.member.id.get() data-minutes=minutes>
                                {move || balance(i18n.lang.get(), minutes)}
                            </dd>
                        }
                    }).collect_view()}
                </dl>
            </section>
        }
    })
}

/// "张明 → 王芳 · 陪诊陪护 · 1 小时 30 分 · 2026-11-24 09:00".
fn record_line(record: &RecordView, lang: Lang) -> String {
    format!(
        "{} → {} · {} · {} · {}",
        record.provider.name,
        record.recipient.name,
        record.service.name().get(lang),
        duration(lang, i64::from(record.duration), false),
        record.start.china_minute_text()
    )
}

#[component]
fn PendingRecord(
    record: RecordView,
    busy: RwSignal<bool>,
    confirm: impl Fn(u64) + Copy + Send + Sync + 'static,
    reject: impl Fn(u64, ServiceNote) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = record.id;
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let reason_id = format!("reject-reason-{id}");
    let error_id = format!("reject-reason-error-{id}");
    let error_for = StoredValue::new(error_id.clone());
    let reject_now = move |_| match ServiceNote::parse(&reason.get_untracked()) {
        Ok(note) => reject(id, note),
        Err(e) => {
            error.set(Some(match e {
                TextError::TooShort { .. } => Msg::NoteMissing,
                TextError::TooLong { .. } => Msg::TextTooLong,
            }));
            crate::browser::dom::focus(&format!("reject-reason-{id}"));
        }
    };
    let line = StoredValue::new(record.clone());
    // Staff approve what the pool pays; what the recipient pays waits for the recipient.
    let pool_paid = record.payer == Payer::Pool;
    view! {
        <li class="card staff-card" data-testid="pool-record" data-record=id>
            <p data-testid="record-line">{move || line.with_value(|r| record_line(r, i18n.lang.get()))}</p>
            {record.note.map(|n| view! { <p class="muted request__description">{n}</p> })}
            <p class="muted" data-testid="record-waiting">
                {i18n.text(if pool_paid { Msg::TimebankWaitingStaff } else { Msg::TimebankWaitingRecipient })}
            </p>
            {pool_paid.then(|| view! {
                <div class="actions">
                    <button type="button" class="button button--primary" data-testid="record-confirm"
                        disabled=move || busy.get() on:click=move |_| confirm(id)>
                        {i18n.text(Msg::StaffApprove)}
                    </button>
                </div>
            })}
            <div class="field">
                <label class="field__label" for=reason_id.clone()>{i18n.text(Msg::StaffRejectReason)}</label>
                <input id=reason_id class="field__input" type="text" maxlength="500"
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=move || error.get().map(|_| error_for.get_value())
                    prop:value=move || reason.get()
                    on:input=move |ev| {
                        reason.set(event_target_value(&ev));
                        error.set(None);
                    } />
                {move || error.get().map(|msg| view! {
                    <p id=error_for.get_value() class="field__error" role="alert" data-testid="reject-reason-error">
                        {i18n.text(msg)}
                    </p>
                })}
            </div>
            <div class="actions">
                <button type="button" class="button" data-testid="record-reject"
                    disabled=move || busy.get() on:click=reject_now>
                    {i18n.text(Msg::StaffReject)}
                </button>
            </div>
        </li>
    }
}
