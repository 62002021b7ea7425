use super::staff_only;
use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::components::loaded::{failed, loading};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::pages::requests::command::CommandSender;
use crate::pages::requests::words::{
    category_name, event_note, service_name, state_chip, state_name,
};
use crate::router::{Navigation, use_navigation};
use crate::state::loader::Loader;
use citizen_core::Lang;
use citizen_core::requests::{
    ActorRole, CATEGORIES, CategoryCode, CommandBody, CommandKind, Department, Note, RequestState,
    RequestStats, RequestView,
};
use citizen_core::text::TextError;
use leptos::prelude::*;

type Stats = Loader<RequestStats, RequestsError>;

/// 诉求工单: the community's requests, filtered by state and category (kept in the address, so
/// a reload keeps them), the figures, and each request with the staff's next steps.
#[component]
pub fn StaffRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::StaffRequests).to_owned()) />
        {staff_only(|backend, token| view! { <Workspace backend=backend token=token /> }.into_any())}
    }
}

#[component]
fn Workspace(backend: RequestsBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigation = use_navigation();
    let state = navigation.query("state");
    let category = navigation.query("category");
    let stats: Stats = Loader::new(move || async move { backend.stats(&token.get_value()).await });
    let load_stats = move || stats.refresh();
    let queue = Loader::new(move || {
        let wanted_state = state
            .get_untracked()
            .filter(|s| RequestState::parse(s).is_some());
        let wanted_category = category
            .get_untracked()
            .filter(|c| CategoryCode::parse(c).is_some());
        async move {
            backend
                .queue(
                    &token.get_value(),
                    wanted_state.as_deref(),
                    wanted_category.as_deref(),
                )
                .await
        }
    });
    // A new filter loads the queue again (the first load started above).
    Effect::new(move |first: Option<()>| {
        state.track();
        category.track();
        if first.is_some() {
            queue.reload();
        }
    });

    view! {
        {filters(i18n, navigation, state, category)}
        {move || stats_card(i18n, stats.state.get(), move || stats.reload())}
        <section class="section" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{i18n.text(Msg::StaffRequests)}</h2>
            {move || match queue.state.get() {
                None => loading(),
                Some(Err(e)) => failed(&e, move || queue.reload()),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="muted" data-testid="queue-empty">{i18n.text(Msg::QueueEmpty)}</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <ul class="request-list" data-testid="queue">
                        {list.into_iter().map(|r| view! {
                            <li><StaffCard backend=backend token=token request=r on_change=load_stats /></li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// `/staff/requests?state=…&category=…`, leaving out what is "all".
fn queue_href(state: Option<String>, category: Option<String>) -> String {
    let filters: Vec<String> = [("state", state), ("category", category)]
        .into_iter()
        .filter_map(|(key, value)| {
            value
                .filter(|v| !v.is_empty())
                .map(|v| format!("{key}={v}"))
        })
        .collect();
    match filters.is_empty() {
        true => "/staff/requests".to_owned(),
        false => format!("/staff/requests?{}", filters.join("&")),
    }
}

fn filters(
    i18n: I18n,
    navigation: Navigation,
    state: Memo<Option<String>>,
    category: Memo<Option<String>>,
) -> impl IntoView {
    let states = RequestState::ALL.map(|s| {
        view! {
            <option value=s.as_str() prop:selected=move || state.read().as_deref() == Some(s.as_str())>
                {i18n.text(state_name(s))}
            </option>
        }
    });
    let categories = CATEGORIES
        .iter()
        .map(|c| {
            let code = c.code;
            view! {
                <option value=code.as_str()
                    prop:selected=move || category.read().as_deref() == Some(code.as_str())>
                    {move || category_name(code, i18n.lang.get())}
                </option>
            }
        })
        .collect_view();
    view! {
        <section class="card form filters" aria-labelledby="filters-heading" data-testid="filters">
            <h2 id="filters-heading">{i18n.text(Msg::Filters)}</h2>
            <div class="field">
                <label class="field__label" for="filter-state">{i18n.text(Msg::RequestState)}</label>
                <select id="filter-state" class="field__input"
                    on:change=move |ev| navigation.navigate(&queue_href(
                        Some(event_target_value(&ev)), category.get_untracked()))>
                    <option value="" prop:selected=move || state.read().is_none()>
                        {i18n.text(Msg::AllCategories)}
                    </option>
                    {states}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="filter-category">{i18n.text(Msg::RequestCategoryLabel)}</label>
                <select id="filter-category" class="field__input"
                    on:change=move |ev| navigation.navigate(&queue_href(
                        state.get_untracked(), Some(event_target_value(&ev))))>
                    <option value="" prop:selected=move || category.read().is_none()>
                        {i18n.text(Msg::AllCategories)}
                    </option>
                    {categories}
                </select>
            </div>
        </section>
    }
}

/// `5`, `4.5`: one decimal, without a trailing `.0`. Whole-number arithmetic: float formatting
/// stays in the first-load chunk (the split keeps every table-called function there), about 5 KB.
fn decimal(x: f64) -> String {
    let tenths = (x.max(0.0) * 10.0 + 0.5) as u64;
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        d => format!("{}.{d}", tenths / 10),
    }
}

fn stats_card(
    i18n: I18n,
    stats: Option<Result<RequestStats, RequestsError>>,
    retry: impl Fn() + Copy + Send + Sync + 'static,
) -> AnyView {
    let stats = match stats {
        None => return loading(),
        Some(Err(e)) => return failed(&e, retry),
        Some(Ok(stats)) => stats,
    };
    let lang = i18n.lang.get_untracked();
    let none = || "—".to_owned();
    let mean = stats
        .mean_stars
        .map_or_else(none, |m| format!("{} / 5", decimal(m)));
    let hours = stats
        .median_hours_to_resolve
        .map_or_else(none, |h| match lang {
            Lang::ZhCn => format!("{} 小时", decimal(h)),
            Lang::En => format!("{} h", decimal(h)),
        });
    let figure = |label: Msg, value: String, testid: &'static str| {
        view! {
            <dt>{i18n.text(label)}</dt>
            <dd data-testid=testid>{value}</dd>
        }
    };
    view! {
        <section class="section card" aria-labelledby="figures-heading" data-testid="stats">
            <h2 id="figures-heading">{i18n.text(Msg::Figures)}</h2>
            <dl class="facts">
                {figure(Msg::StatsTotal, stats.total.to_string(), "stats-total")}
                {figure(Msg::ResolutionRate, format!("{}%", (stats.resolution_rate.max(0.0) * 100.0 + 0.5) as u64), "stats-rate")}
                {figure(Msg::MeanStars, mean, "stats-stars")}
                {figure(Msg::MedianHours, hours, "stats-hours")}
            </dl>
            <dl class="facts figures__states">
                {stats.by_state.into_iter().map(|c| view! {
                    <dt>{i18n.text(state_name(c.state))}</dt>
                    <dd data-testid=format!("stats-{}", c.state.as_str())>{c.count}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
    .into_any()
}

/// The words on a staff member's button (the timeline's words are past tense).
fn button_name(kind: CommandKind) -> Msg {
    match kind {
        CommandKind::Accept => Msg::DoAccept,
        CommandKind::Reject => Msg::DoReject,
        CommandKind::Dispatch => Msg::DoDispatch,
        CommandKind::Start => Msg::DoStart,
        CommandKind::Resolve => Msg::DoResolve,
        _ => Msg::DoVerify,
    }
}

/// One request in the queue, refreshed from the server's answer after each step.
#[component]
fn StaffCard(
    backend: RequestsBackend,
    token: StoredValue<String>,
    request: RequestView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let tracking = StoredValue::new(request.tracking.clone());
    // Staff work only on backends with our categories; a request without one starts with the grid workers.
    let department = RwSignal::new(
        request
            .category
            .map_or(Department::CommunityGrid, |c| c.category().department),
    );
    let current = RwSignal::new(request);
    let reason = RwSignal::new(String::new());
    let reply = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<Msg>);
    let reply_error = RwSignal::new(None::<Msg>);
    let fields = vec![
        ("reason", reason_error, Msg::NoteMissing),
        ("reply", reply_error, Msg::NoteMissing),
    ];
    let sender = CommandSender::new(backend, token, tracking, fields);
    let CommandSender {
        sending, failure, ..
    } = sender;
    let send = move |body: CommandBody| {
        sender.send(body, move |view| {
            current.set(view);
            on_change();
        })
    };
    let give = move |kind: CommandKind| {
        let text = |value: RwSignal<String>, error: RwSignal<Option<Msg>>| {
            let parsed = Note::parse(&value.get_untracked()).map(|n| n.to_string());
            if let Err(e) = &parsed {
                error.set(Some(match e {
                    TextError::TooShort { .. } => Msg::NoteMissing,
                    TextError::TooLong { .. } => Msg::TextTooLong,
                }));
            }
            parsed.ok()
        };
        let mut body = CommandBody {
            kind: Some(kind),
            ..CommandBody::default()
        };
        match kind {
            CommandKind::Reject => match text(reason, reason_error) {
                Some(r) => body.reason = Some(r),
                None => return,
            },
            CommandKind::Resolve => match text(reply, reply_error) {
                Some(r) => body.reply = Some(r),
                None => return,
            },
            CommandKind::Dispatch => body.department = Some(department.get_untracked()),
            _ => {}
        }
        send(body);
    };

    let button = move |kind: CommandKind| {
        let primary = !matches!(kind, CommandKind::Reject);
        view! {
            <button type="submit" class=if primary { "button button--primary" } else { "button" }
                data-testid=kind.as_str() disabled=move || sending.get()>
                {i18n.text(button_name(kind))}
            </button>
        }
    };
    let text_form = move |kind: CommandKind,
                          label: Msg,
                          value: RwSignal<String>,
                          error: RwSignal<Option<Msg>>| {
        let id = format!("{}-{}", tracking.get_value(), kind.as_str());
        let error_id: &'static str = match kind {
            CommandKind::Reject => "reason-error",
            _ => "reply-error",
        };
        // Ids are per page, and one request at a time is being written about.
        let error_id_for = format!("{id}-error");
        let error_id_for = StoredValue::new(error_id_for);
        view! {
            <form class="form action" data-testid=kind.as_str() novalidate
                on:submit=move |ev| { ev.prevent_default(); give(kind) }>
                <div class="field">
                    <label class="field__label" for=id.clone()>{i18n.text(label)}</label>
                    <textarea id=id class="field__input field__input--text" rows="3"
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=move || error.get().map(|_| error_id_for.get_value())
                        prop:value=move || value.get()
                        on:input=move |ev| { value.set(event_target_value(&ev)); error.set(None); }></textarea>
                    {move || error.get().map(|msg| view! {
                        <p id=error_id_for.get_value() class="field__error" role="alert" data-testid=error_id>
                            {i18n.text(msg)}
                        </p>
                    })}
                </div>
                <div class="actions">{button(kind)}</div>
            </form>
        }
    };
    let dispatch_form = move || {
        let id = format!("{}-department", tracking.get_value());
        view! {
            <form class="form action" data-testid="dispatch"
                on:submit=move |ev| { ev.prevent_default(); give(CommandKind::Dispatch) }>
                <div class="field">
                    <label class="field__label" for=id.clone()>{i18n.text(Msg::Department)}</label>
                    <select id=id class="field__input"
                        on:change=move |ev| {
                            if let Some(d) = Department::parse(&event_target_value(&ev)) {
                                department.set(d);
                            }
                        }>
                        {Department::ALL.map(|d| view! {
                            <option value=d.code() prop:selected=move || department.get() == d>
                                {move || d.name().get(i18n.lang.get()).to_owned()}
                            </option>
                        })}
                    </select>
                </div>
                <div class="actions">{button(CommandKind::Dispatch)}</div>
            </form>
        }
    };

    let facts = move || {
        let r = current.get();
        let shown = StoredValue::new(r.clone());
        let latest = r
            .timeline
            .iter()
            .rev()
            .find_map(|e| event_note(e, i18n.lang.get_untracked()));
        view! {
            <p class="request-item__top">
                <span class="request-item__tracking" data-testid="request-tracking">{r.tracking.clone()}</span>
                {state_chip(i18n, r.state, "request-state")}
            </p>
            <dl class="facts">
                <dt>{i18n.text(Msg::RequestCategoryLabel)}</dt>
                <dd data-testid="request-category">{move || shown.with_value(|r| service_name(r, i18n.lang.get()))}</dd>
                {r.address.map(|a| view! {
                    <dt>{i18n.text(Msg::AddressLabel)}</dt>
                    <dd data-testid="request-address">{a}</dd>
                })}
                {r.contact.map(|c| view! {
                    <dt>{i18n.text(Msg::ContactPhone)}</dt>
                    <dd><a class="tel" href=format!("tel:{c}") data-testid="request-contact">{c.clone()}</a></dd>
                })}
                {r.department.map(|d| view! {
                    <dt>{i18n.text(Msg::Department)}</dt>
                    <dd data-testid="request-department">{move || d.name().get(i18n.lang.get()).to_owned()}</dd>
                })}
                {latest.map(|n| view! {
                    <dt>{i18n.text(Msg::LatestNote)}</dt>
                    <dd class="timeline__note" data-testid="request-latest">{n}</dd>
                })}
            </dl>
            <p class="request__description" data-testid="request-description">{r.description}</p>
        }
    };
    let actions = move || {
        let allowed: Vec<CommandKind> = current.with(|r| {
            r.allowed
                .iter()
                .copied()
                .filter(|k| k.role() == ActorRole::Staff)
                .collect()
        });
        let has = |kind| allowed.contains(&kind);
        let simple: Vec<CommandKind> =
            [CommandKind::Accept, CommandKind::Start, CommandKind::Verify]
                .into_iter()
                .filter(|k| has(*k))
                .collect();
        (!allowed.is_empty()).then(|| view! {
            <div class="staff-actions" data-testid="actions">
                {(!simple.is_empty()).then(|| view! {
                    <div class="actions">
                        {simple.into_iter().map(|kind| view! {
                            <button type="button" class="button button--primary" data-testid=kind.as_str()
                                disabled=move || sending.get() on:click=move |_| give(kind)>
                                {i18n.text(button_name(kind))}
                            </button>
                        }).collect_view()}
                    </div>
                })}
                {has(CommandKind::Dispatch).then(dispatch_form)}
                {has(CommandKind::Resolve).then(|| text_form(CommandKind::Resolve, Msg::ResolveReplyLabel, reply, reply_error))}
                {has(CommandKind::Reject).then(|| text_form(CommandKind::Reject, Msg::RejectReasonLabel, reason, reason_error))}
            </div>
        })
    };
    view! {
        <article class="card staff-card" data-testid="staff-request"
            data-tracking=move || tracking.get_value()>
            {facts}
            {failure_notice(failure, "action-error")}
            {actions}
        </article>
    }
}
