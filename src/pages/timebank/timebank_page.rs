use super::statement::Statement;
use crate::backend::error::Failure;
use crate::backend::timebank::{TimebankBackend, TimebankError};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::components::sign_in_prompt::SignInPrompt;
use crate::i18n::{I18n, Msg, duration, use_i18n};
use crate::state::acting::{DemoPerson, acting_as, demo_person};
use crate::state::loader::{Loader, act};
use crate::state::session::use_session;
use crate::state::use_backends;
use citizen_core::Lang;
use citizen_core::ids::MemberId;
use citizen_core::phone::MobileNumber;
use citizen_core::time::Timestamp;
use citizen_core::timebank::{
    LogService, MemberRef, Minutes, NewGift, Payer, RecordView, ServiceDuration, ServiceNote,
    ServiceStart, ServiceType,
};
use leptos::prelude::*;

/// 时间银行.
#[component]
pub fn TimebankPage() -> impl IntoView {
    let i18n = use_i18n();
    let backend = use_backends().timebank;
    let session = use_session();
    let body = move || {
        let Some(backend) = backend else {
            return view! {
                <p class="notice notice--error" role="alert">{i18n.text(Msg::BackendUnsupported)}</p>
            }
            .into_any();
        };
        let local = matches!(backend, TimebankBackend::Local(_));
        match acting_as(local, session) {
            Some(acting) => {
                view! { <Account backend=backend token=StoredValue::new(acting.token) /> }
                    .into_any()
            }
            None => {
                view! { <SignInPrompt message=Msg::TimebankSignIn testid="timebank-sign-in" /> }
                    .into_any()
            }
        }
    };
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::TimebankTitle).to_owned()) />
        <p class="muted section">{i18n.text(Msg::TimebankIntro)}</p>
        {body}
    }
}

fn service_name(service: ServiceType, lang: Lang) -> String {
    service.name().get(lang).to_owned()
}

/// "张明 · 助老服务 · 1 小时 30 分 · 11月24日".
fn record_line(record: &RecordView, other: &MemberRef, lang: Lang) -> String {
    format!(
        "{} · {} · {} · {}",
        other.name,
        service_name(record.service, lang),
        duration(lang, i64::from(record.duration), false),
        record.start.china_day_text()
    )
}

/// Who must act before a pending record credits: staff when the pool pays, else the recipient.
fn waiting_for(record: &RecordView) -> Msg {
    match record.payer {
        Payer::Pool => Msg::TimebankWaitingStaff,
        Payer::Recipient => Msg::TimebankWaitingRecipient,
    }
}

#[component]
fn Account(backend: TimebankBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let failure = RwSignal::new(None::<TimebankError>);
    let notice = RwSignal::new(None::<Msg>);
    // A confirmation or rejection on its way: the buttons wait for it.
    let busy = RwSignal::new(false);
    let loader = Loader::new(move || async move { backend.account(&token.get_value()).await });
    let account = loader.state;
    // After each change the account is read again, and the statement from its newest line.
    let done = move |result: Result<(), TimebankError>, success: Msg| match result {
        Ok(()) => {
            failure.set(None);
            notice.set(Some(success));
            loader.refresh();
            version.update(|v| *v += 1);
        }
        Err(e) => {
            notice.set(None);
            failure.set(Some(e));
        }
    };

    let confirm = move |id: u64| {
        let answer = async move { backend.confirm(&token.get_value(), id).await.map(|_| ()) };
        act(busy, answer, move |r| done(r, Msg::TimebankConfirm));
    };
    let reject = move |id: u64, reason: String| {
        let Ok(reason) = ServiceNote::parse(&reason) else {
            failure.set(Some(TimebankError::Field("reason".into())));
            return;
        };
        let answer = async move {
            backend
                .reject(&token.get_value(), id, reason)
                .await
                .map(|_| ())
        };
        act(busy, answer, move |r| done(r, Msg::TimebankReject));
    };

    let received = move || {
        let lang = i18n.lang.get();
        let Some(Ok(account)) = account.get() else {
            return ().into_any();
        };
        if account.pending_received.is_empty() {
            return view! { <p class="muted">{i18n.text(Msg::TimebankNothing)}</p> }.into_any();
        }
        let items = account
            .pending_received
            .into_iter()
            .map(|record| {
                let id = record.id;
                let reason = RwSignal::new(String::new());
                let reason_id = format!("reject-reason-{id}");
                // The recipient confirms only what their own hours pay; the pool waits for staff.
                let mine_to_confirm = record.payer == Payer::Recipient;
                view! {
                    <li class="card staff-card" data-testid="to-confirm">
                        <p>{record_line(&record, &record.provider, lang)}</p>
                        {record.note.clone().map(|n| view! { <p class="muted request__description">{n}</p> })}
                        <p class="muted" data-testid="record-waiting">{i18n.text(waiting_for(&record))}</p>
                        {mine_to_confirm.then(|| view! {
                            <div class="actions">
                                <button type="button" class="button button--primary"
                                    prop:disabled=move || busy.get() on:click=move |_| confirm(id)>
                                    {i18n.text(Msg::TimebankConfirm)}
                                </button>
                            </div>
                        })}
                        <div class="field">
                            <label class="field__label" for=reason_id.clone()>{i18n.text(Msg::TimebankRejectReason)}</label>
                            <input id=reason_id class="field__input" type="text" maxlength="500"
                                prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev)) />
                        </div>
                        <div class="actions">
                            <button type="button" class="button" prop:disabled=move || busy.get()
                                on:click=move |_| reject(id, reason.get_untracked())>
                                {i18n.text(Msg::TimebankReject)}
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="request-list">{items}</ul> }.into_any()
    };
    let given = move || {
        let lang = i18n.lang.get();
        let Some(Ok(account)) = account.get() else {
            return ().into_any();
        };
        if account.pending_given.is_empty() {
            return view! { <p class="muted">{i18n.text(Msg::TimebankNothing)}</p> }.into_any();
        }
        let items = account
            .pending_given
            .into_iter()
            .map(|record| view! {
                <li class="request-item" data-testid="given">
                    <p>{record_line(&record, &record.recipient, lang)}</p>
                    <p class="muted" data-testid="record-waiting">{i18n.text(waiting_for(&record))}</p>
                </li>
            })
            .collect_view();
        view! { <ul class="request-list">{items}</ul> }.into_any()
    };
    let balance = move || match account.get() {
        None => i18n.t(Msg::Loading).to_owned(),
        Some(Ok(account)) => duration(i18n.lang.get(), account.balance as i64, false),
        Some(Err(e)) => e.text(i18n.lang.get()),
    };
    let family = Signal::derive(move || match account.get() {
        Some(Ok(account)) => account.family,
        _ => Vec::new(),
    });

    view! {
        <section class="section card" aria-labelledby="balance-heading">
            <h2 id="balance-heading">{i18n.text(Msg::TimebankBalance)}</h2>
            <p class="tracking" data-testid="balance">{balance}</p>
        </section>
        {move || notice.get().map(|msg| view! {
            <p class="notice notice--info" role="status" data-testid="timebank-notice">{i18n.text(msg)}</p>
        })}
        {failure_notice(failure, "timebank-error")}
        <section class="section" aria-labelledby="confirm-heading">
            <h2 id="confirm-heading">{i18n.text(Msg::TimebankToConfirm)}</h2>
            {received}
        </section>
        <LogForm backend=backend token=token on_done=Callback::new(move |r| done(r, Msg::TimebankLogged)) />
        <section class="section" aria-labelledby="given-heading">
            <h2 id="given-heading">{i18n.text(Msg::TimebankGiven)}</h2>
            {given}
        </section>
        <GiftForm backend=backend token=token family=family on_done=Callback::new(move |r| done(r, Msg::TimebankGifted)) />
        <Statement backend=backend token=token version=version />
    }
}

#[component]
fn LogForm(
    backend: TimebankBackend,
    token: StoredValue<String>,
    on_done: Callback<Result<(), TimebankError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let local = matches!(backend, TimebankBackend::Local(_));
    let recipient = RwSignal::new(String::new());
    let service = RwSignal::new(ServiceType::ElderCare.code().to_owned());
    let start = RwSignal::new(
        Timestamp::from_unix_millis(js_sys::Date::now() as i64 - 90 * 60_000).to_china_input(),
    );
    let minutes = RwSignal::new("90".to_owned());
    let note = RwSignal::new(String::new());
    let payer = RwSignal::new(Payer::Pool);
    let error = RwSignal::new(None::<Msg>);
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let who = MobileNumber::parse(&recipient.get_untracked());
        let kind = ServiceType::parse(&service.get_untracked());
        let length = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|m| ServiceDuration::new(m).ok());
        let began = Timestamp::from_china_input(&start.get_untracked());
        let typed = note.get_untracked();
        let note = match typed.trim() {
            "" => Ok(None),
            text => ServiceNote::parse(text).map(Some),
        };
        let (Ok(who), Some(kind), Some(length), Some(began), Ok(note)) =
            (who, kind, length, began, note)
        else {
            error.set(Some(Msg::RequestFieldRefused));
            return;
        };
        error.set(None);
        let new = LogService {
            recipient: who,
            service: kind,
            start: ServiceStart::Unix(began.unix_secs()),
            duration: length,
            note,
            payer: payer.get_untracked(),
        };
        let answer = async move { backend.log(&token.get_value(), &new).await.map(|_| ()) };
        act(sending, answer, move |result| on_done.run(result));
    };
    let me = demo_person();
    let recipients = move || {
        let current = me.get();
        DemoPerson::ALL
            .into_iter()
            .filter(|p| *p != current)
            .map(|p| view! { <option value=p.mobile()>{i18n.text(p.name())}</option> })
            .collect_view()
    };
    let services = move || {
        let lang = i18n.lang.get();
        ServiceType::ALL
            .into_iter()
            .map(|s| view! { <option value=s.code()>{service_name(s, lang)}</option> })
            .collect_view()
    };
    view! {
        <form class="form card section" data-testid="log-service" on:submit=submit novalidate>
            <h2>{i18n.text(Msg::TimebankLogTitle)}</h2>
            <div class="field">
                <label class="field__label" for="tb-recipient">{i18n.text(Msg::TimebankRecipient)}</label>
                {if local {
                    view! {
                        <select id="tb-recipient" class="field__input"
                            on:change=move |ev| recipient.set(event_target_value(&ev))>
                            <option value="">{i18n.text(Msg::CategoryPrompt)}</option>
                            {recipients}
                        </select>
                    }.into_any()
                } else {
                    view! {
                        <input id="tb-recipient" class="field__input" type="tel" inputmode="tel"
                            prop:value=move || recipient.get()
                            on:input=move |ev| recipient.set(event_target_value(&ev)) />
                    }.into_any()
                }}
            </div>
            <div class="field">
                <label class="field__label" for="tb-service">{i18n.text(Msg::TimebankService)}</label>
                <select id="tb-service" class="field__input" on:change=move |ev| service.set(event_target_value(&ev))>
                    {services}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="tb-start">{i18n.text(Msg::TimebankStart)}</label>
                <input id="tb-start" class="field__input" type="datetime-local"
                    prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="field__label" for="tb-minutes">{i18n.text(Msg::TimebankDuration)}</label>
                <input id="tb-minutes" class="field__input" type="number" inputmode="numeric" min="15" max="480" step="15"
                    prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev)) />
            </div>
            <fieldset class="choices choices--stacked" data-testid="tb-payer">
                <legend>{i18n.text(Msg::TimebankPayer)}</legend>
                {payer_choice(i18n, payer, Payer::Pool, Msg::TimebankPayerPool, Msg::TimebankPayerPoolHint)}
                {payer_choice(i18n, payer, Payer::Recipient, Msg::TimebankPayerRecipient, Msg::TimebankPayerRecipientHint)}
            </fieldset>
            <div class="field">
                <label class="field__label" for="tb-note">{i18n.text(Msg::TimebankNote)}</label>
                <input id="tb-note" class="field__input" type="text" maxlength="500"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
            </div>
            {move || error.get().map(|msg| view! { <p class="field__error" role="alert">{i18n.text(msg)}</p> })}
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || sending.get()>
                    {i18n.text(Msg::TimebankLogButton)}
                </button>
            </div>
        </form>
    }
}

/// One payer to pick, with what it means; the hint describes the radio.
fn payer_choice(
    i18n: I18n,
    payer: RwSignal<Payer>,
    value: Payer,
    label: Msg,
    hint: Msg,
) -> impl IntoView {
    let (value_attr, hint_id) = match value {
        Payer::Pool => ("pool", "tb-payer-pool-hint"),
        Payer::Recipient => ("recipient", "tb-payer-recipient-hint"),
    };
    view! {
        <div>
            <label class="choice">
                <input type="radio" name="tb-payer" value=value_attr aria-describedby=hint_id
                    prop:checked=move || payer.get() == value
                    on:change=move |_| payer.set(value) />
                <span>{i18n.text(label)}</span>
            </label>
            <p class="choice__hint" id=hint_id>{i18n.text(hint)}</p>
        </div>
    }
}

#[component]
fn GiftForm(
    backend: TimebankBackend,
    token: StoredValue<String>,
    family: Signal<Vec<MemberRef>>,
    on_done: Callback<Result<(), TimebankError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let to = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let person = to.get_untracked().parse::<MemberId>().ok();
        let amount = minutes
            .get_untracked()
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|m| *m > 0);
        let (Some(person), Some(amount)) = (person, amount) else {
            error.set(Some(Msg::RequestFieldRefused));
            return;
        };
        error.set(None);
        let gift = NewGift {
            to: person,
            minutes: Minutes::new(amount),
        };
        let answer = async move { backend.gift(&token.get_value(), &gift).await };
        act(sending, answer, move |result| {
            if result.is_ok() {
                minutes.set(String::new());
            }
            on_done.run(result);
        });
    };
    move || {
        let members = family.get();
        (!members.is_empty()).then(|| view! {
            <form class="form card section" data-testid="gift" on:submit=submit novalidate>
                <h2>{i18n.text(Msg::TimebankGiftTitle)}</h2>
                <div class="field">
                    <label class="field__label" for="gift-to">{i18n.text(Msg::TimebankGiftTo)}</label>
                    <select id="gift-to" class="field__input" on:change=move |ev| to.set(event_target_value(&ev))>
                        <option value="">{i18n.text(Msg::CategoryPrompt)}</option>
                        {members.into_iter().map(|m| view! { <option value=m.id.to_string()>{m.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="gift-minutes">{i18n.text(Msg::TimebankGiftMinutes)}</label>
                    <input id="gift-minutes" class="field__input" type="number" inputmode="numeric" min="1"
                        prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev)) />
                </div>
                {move || error.get().map(|msg| view! { <p class="field__error" role="alert">{i18n.text(msg)}</p> })}
                <div class="actions">
                    <button type="submit" class="button button--primary" disabled=move || sending.get()>
                        {i18n.text(Msg::TimebankGiftButton)}
                    </button>
                </div>
            </form>
        })
    }
}
