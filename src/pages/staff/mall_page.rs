use super::volunteer_staff;
use super::words::points;
use crate::backend::error::Failure;
use crate::backend::volunteer::{VolunteerBackend, VolunteerError};
use crate::browser::dom::focus;
use crate::components::field::{Field, field};
use crate::components::loaded::{failed, loading};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::state::loader::{Loader, act};
use citizen_core::volunteer::{
    ItemDetails, ItemName, MallItemView, NewMallItem, Points, RedemptionState, RestockQuantity,
};
use leptos::prelude::*;

/// 积分商城库存: the redemptions waiting at the counter (hand the item over, or cancel and give
/// the points back), every item with its price and stock, a restock for each, and a new item.
#[component]
pub fn StaffMallPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::StaffMall).to_owned()) />
        {volunteer_staff(|backend, token| view! { <Mall backend=backend token=token /> }.into_any())}
    }
}

fn whole(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

#[component]
fn Mall(backend: VolunteerBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let items = Loader::new(move || {
        let token = token.get_value();
        async move { backend.mall(&token).await }
    });
    // Also after an answer, when the page may be gone: then there is nothing to refresh.
    let load = move || items.refresh();
    let list = move || match items.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || items.reload()),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted">{i18n.text(Msg::StaffMallEmpty)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="request-list" data-testid="staff-mall">
                {list.into_iter().map(|item| view! {
                    <Item backend=backend token=token item=item />
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <Counter backend=backend token=token on_changed=Callback::new(move |()| load()) />
        <section class="section" aria-labelledby="items-heading">
            <h2 id="items-heading">{i18n.text(Msg::StaffMallItems)}</h2>
            {list}
        </section>
        <NewItemForm backend=backend token=token on_added=Callback::new(move |()| load()) />
    }
}

/// 待领取: the redemptions waiting at the counter, oldest first, each to mark handed over when
/// the resident collects it, or to cancel (the points and the item come back).
#[component]
fn Counter(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notice = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<(u64, Msg)>);
    let busy = RwSignal::new(false);
    let waiting = Loader::new(move || {
        let token = token.get_value();
        async move {
            backend
                .redemptions(&token, Some(RedemptionState::Waiting))
                .await
                .map(|mut list| {
                    list.reverse();
                    list
                })
        }
    });
    let load = move || waiting.refresh();
    // `hand_over`: true to mark it handed over, false to cancel it.
    let act = move |seq: u64, hand_over: bool| {
        if busy.get_untracked() {
            return;
        }
        notice.set(None);
        failure.set(None);
        let token = token.get_value();
        let answer = async move {
            if hand_over {
                backend.hand_over(&token, seq).await.map(|_| ())
            } else {
                backend.cancel_redemption(&token, seq).await.map(|_| ())
            }
        };
        crate::state::loader::act(busy, answer, move |result| {
            match result {
                Ok(()) => {
                    let _ = notice.try_set(Some(if hand_over {
                        Msg::StaffHandedOverNotice
                    } else {
                        Msg::StaffRedemptionCancelledNotice
                    }));
                }
                Err(e) => {
                    let _ = failure.try_set(Some((seq, e.message())));
                }
            }
            load();
            on_changed.try_run(());
        });
    };
    let list = move || {
        match waiting.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || waiting.reload()),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted" data-testid="no-redemptions-waiting">{i18n.text(Msg::StaffNoRedemptionsWaiting)}</p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <ul class="request-list" data-testid="redemptions-waiting">
                {list.into_iter().map(|line| {
                    let seq = line.seq;
                    let price = u64::from(line.price.get());
                    let heading = format!("redemption-{seq}-name");
                    view! {
                        <li class="card staff-card" data-testid="waiting-redemption" data-seq=seq>
                            <p class="request-item__tracking" id=heading.clone()>
                                {format!("{} · {}", line.name, line.member.name)}
                            </p>
                            <dl class="facts staff-facts">
                                <dt>{i18n.text(Msg::StaffRedeemedBy)}</dt>
                                <dd>{line.member.name.clone()}</dd>
                                <dt>{i18n.text(Msg::StaffRedeemedAt)}</dt>
                                <dd>{line.at.china_day_text()}</dd>
                                <dt>{i18n.text(Msg::StaffItemPrice)}</dt>
                                <dd>{move || points(i18n.lang.get(), price)}</dd>
                            </dl>
                            {move || failure.get().filter(|(s, _)| *s == seq).map(|(_, msg)| view! {
                                <p class="notice notice--error" role="alert" data-testid="redemption-error">
                                    {i18n.text(msg)}
                                </p>
                            })}
                            <div class="actions">
                                <button type="button" class="button button--primary" data-testid="hand-over"
                                    aria-describedby=heading.clone()
                                    prop:disabled=move || busy.get()
                                    on:click=move |_| act(seq, true)>
                                    {i18n.text(Msg::StaffHandOver)}
                                </button>
                                <button type="button" class="button" data-testid="staff-cancel-redemption"
                                    aria-describedby=heading
                                    prop:disabled=move || busy.get()
                                    on:click=move |_| act(seq, false)>
                                    {i18n.text(Msg::StaffCancelRedemption)}
                                </button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        <section class="section" aria-labelledby="redemptions-heading">
            <h2 id="redemptions-heading">{i18n.text(Msg::StaffRedemptionsWaiting)}</h2>
            <p class="staff-result" role="status" data-testid="counter-notice">
                {move || notice.get().map(|msg| i18n.t(msg))}
            </p>
            {list}
        </section>
    }
}

/// One item: price, stock, and its restock form.
#[component]
fn Item(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    item: MallItemView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(item.id.clone());
    let current = RwSignal::new(item);
    let quantity = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<VolunteerError>);
    let done = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let input_id = format!("restock-{}", id.get_value());
    let error_id = StoredValue::new(format!("restock-error-{}", id.get_value()));
    let restock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        done.set(false);
        failure.set(None);
        let Some(amount) =
            whole(&quantity.get_untracked()).and_then(|n| RestockQuantity::new(n).ok())
        else {
            error.set(Some(Msg::StaffQuantityInvalid));
            return;
        };
        act(
            sending,
            async move {
                backend
                    .restock(&token.get_value(), &id.get_value(), amount)
                    .await
            },
            move |result| match result {
                Ok(view) => {
                    current.set(view);
                    quantity.set(String::new());
                    done.set(true);
                }
                Err(e) => {
                    failure.set(Some(e));
                }
            },
        );
    };
    view! {
        <li class="card staff-card" data-testid="staff-mall-item" data-item=move || id.get_value()>
            <p class="request-item__tracking" data-testid="staff-mall-name">
                {move || current.with(|i| i.name.clone())}
            </p>
            {move || current.with(|i| i.details.clone()).map(|d| view! { <p class="muted">{d}</p> })}
            <dl class="facts staff-facts">
                <dt>{i18n.text(Msg::StaffItemPrice)}</dt>
                <dd data-testid="staff-mall-price">
                    {move || points(i18n.lang.get(), u64::from(current.with(|i| i.price.get())))}
                </dd>
                <dt>{i18n.text(Msg::StaffItemStock)}</dt>
                <dd data-testid="staff-mall-stock" aria-live="polite">{move || current.with(|i| i.stock)}</dd>
            </dl>
            <form class="form staff-restock" novalidate on:submit=restock>
                <div class="field">
                    <label class="field__label" for=input_id.clone()>{i18n.text(Msg::StaffRestockLabel)}</label>
                    <input id=input_id class="field__input" type="text" inputmode="numeric" autocomplete="off"
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=move || error.get().map(|_| error_id.get_value())
                        prop:value=move || quantity.get()
                        on:input=move |ev| {
                            quantity.set(event_target_value(&ev));
                            error.set(None);
                        } />
                    {move || error.get().map(|msg| view! {
                        <p id=error_id.get_value() class="field__error" role="alert" data-testid="restock-error">
                            {i18n.text(msg)}
                        </p>
                    })}
                </div>
                {failure_notice(failure, "restock-failure")}
                <p class="staff-result" role="status">
                    {move || done.get().then(|| i18n.t(Msg::StaffRestocked))}
                </p>
                <div class="actions">
                    <button type="submit" class="button" data-testid="restock-submit" disabled=move || sending.get()>
                        {i18n.text(Msg::StaffDoRestock)}
                    </button>
                </div>
            </form>
        </li>
    }
}

const NAME: Field = Field::plain("item-name", "item-name-error", Msg::StaffItemNameLabel);
const DETAILS: Field = Field::plain(
    "item-details",
    "item-details-error",
    Msg::StaffItemDetailsLabel,
);
const PRICE: Field = Field::number("item-price", "item-price-error", Msg::StaffItemPrice);
const STOCK: Field = Field::number("item-stock", "item-stock-error", Msg::StaffItemStockLabel);

/// 上架新物品: name, details, price and the first stock.
#[component]
fn NewItemForm(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    on_added: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let stock = RwSignal::new(String::new());
    let errors = [(); 4].map(|()| RwSignal::new(None::<Msg>));
    let [name_error, details_error, price_error, stock_error] = errors;
    let failure = RwSignal::new(None::<VolunteerError>);
    let added = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let ids = [NAME.id, DETAILS.id, PRICE.id, STOCK.id];
    let focus_first = move || {
        // `try_`: after an answer, the form may be gone (the person went elsewhere).
        let shown = |e: &RwSignal<Option<Msg>>| e.try_with_untracked(Option::is_some);
        if let Some(i) = errors.iter().position(|e| shown(e).unwrap_or_default()) {
            focus(ids[i]);
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        added.set(false);
        failure.set(None);
        let item_name =
            ItemName::parse(&name.get_untracked()).map_err(|_| Msg::StaffItemNameInvalid);
        let item_details = match details.get_untracked() {
            d if d.trim().is_empty() => Ok(None),
            d => ItemDetails::parse(&d)
                .map(Some)
                .map_err(|_| Msg::StaffItemDetailsTooLong),
        };
        let item_price = whole(&price.get_untracked())
            .and_then(|n| Points::new(n).ok())
            .ok_or(Msg::StaffPointsInvalid);
        let item_stock = whole(&stock.get_untracked())
            .and_then(|n| RestockQuantity::new(n).ok())
            .ok_or(Msg::StaffQuantityInvalid);
        name_error.set(item_name.as_ref().err().copied());
        details_error.set(item_details.as_ref().err().copied());
        price_error.set(item_price.as_ref().err().copied());
        stock_error.set(item_stock.as_ref().err().copied());
        let (Ok(name_ok), Ok(details_ok), Ok(price_ok), Ok(stock_ok)) =
            (item_name, item_details, item_price, item_stock)
        else {
            focus_first();
            return;
        };
        let item = NewMallItem {
            name: name_ok,
            details: details_ok,
            price: price_ok,
            stock: stock_ok,
        };
        act(
            sending,
            async move { backend.add_item(&token.get_value(), &item).await },
            move |result| match result {
                Ok(_) => {
                    for typed in [name, details, price, stock] {
                        typed.set(String::new());
                    }
                    added.set(true);
                    on_added.try_run(());
                }
                Err(VolunteerError::Field(field)) => {
                    let (error, msg) = match field.as_str() {
                        "name" => (name_error, Msg::StaffItemNameInvalid),
                        "details" => (details_error, Msg::StaffItemDetailsTooLong),
                        "price" => (price_error, Msg::StaffPointsInvalid),
                        _ => (stock_error, Msg::StaffQuantityInvalid),
                    };
                    error.set(Some(msg));
                    focus_first();
                }
                Err(e) => {
                    failure.set(Some(e));
                }
            },
        );
    };
    view! {
        <section class="section" aria-labelledby="add-item-heading">
            <h2 id="add-item-heading">{i18n.text(Msg::StaffAddItem)}</h2>
            <form class="form card" data-testid="add-item" novalidate on:submit=submit>
                {field(i18n, NAME, name, name_error)}
                {field(i18n, DETAILS, details, details_error)}
                {field(i18n, PRICE, price, price_error)}
                {field(i18n, STOCK, stock, stock_error)}
                {failure_notice(failure, "add-item-error")}
                <p class="staff-result" role="status" data-testid="add-item-done">
                    {move || added.get().then(|| i18n.t(Msg::StaffItemAdded))}
                </p>
                <div class="actions">
                    <button type="submit" class="button button--primary" disabled=move || sending.get()>
                        {i18n.text(Msg::StaffDoAddItem)}
                    </button>
                </div>
            </form>
        </section>
    }
}
