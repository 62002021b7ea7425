//! 积分商城: what my points buy, with the price and what is left; redeeming asks first. My
//! redemptions show where they stand (waiting to collect, handed over, cancelled); one waiting
//! to be collected can be cancelled, which gives back both the points and the item. Once staff
//! handed the item over, only staff can cancel it, so the button is gone and the page says why.

use super::summary::figures;
use super::words::{points, redeem_question, stock};
use super::{Volunteering, back_link, volunteering};
use crate::backend::error::Failure;
use crate::backend::volunteer::VolunteerError;
use crate::browser::dom;
use crate::components::loaded::{failed, loading};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::state::loader::Loader;
use citizen_core::volunteer::{
    MallItemView, PointsAccount, PointsHistoryLine, PointsLineKind, RedemptionState,
};
use leptos::prelude::*;

type Loaded<T> = Loader<T, VolunteerError>;

#[component]
pub fn MallPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::VolunteerMall).to_owned()) />
        {back_link()}
        {volunteering(|v| view! { <Mall v=v /> }.into_any())}
    }
}

/// The shared state of the page: what is loaded, what was said, which item asks to confirm.
#[derive(Clone, Copy)]
struct Shop {
    v: Volunteering,
    items: Loaded<Vec<MallItemView>>,
    account: Loaded<PointsAccount>,
    notice: RwSignal<Option<Msg>>,
    /// A refusal, by the item or redemption it concerns.
    failure: RwSignal<Option<(String, Msg)>>,
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl Shop {
    fn reload(self) {
        self.items.refresh();
        self.account.refresh();
    }

    fn balance(self) -> Option<u64> {
        self.account
            .state
            .with(|a| a.as_ref().and_then(|a| a.as_ref().ok()).map(|a| a.balance))
    }

    fn redeem(self, item: String) {
        let key = item.clone();
        self.v.call(
            self.busy,
            move |b, t| async move { b.redeem(&t, &item).await },
            move |result| self.done(key, result.map(|_| ()), Msg::VolunteerRedeemedNotice),
        );
    }

    fn cancel(self, seq: u64) {
        self.v.call(
            self.busy,
            move |b, t| async move { b.cancel_redemption(&t, seq).await },
            move |result| {
                self.done(
                    format!("redemption-{seq}"),
                    result.map(|_| ()),
                    Msg::VolunteerRedemptionCancelledNotice,
                )
            },
        );
    }

    fn done(self, key: String, result: Result<(), VolunteerError>, success: Msg) {
        self.confirming.set(None);
        match result {
            Ok(()) => {
                self.failure.set(None);
                self.notice.set(Some(success));
            }
            Err(e) => {
                self.notice.set(None);
                self.failure.set(Some((key, e.message())));
            }
        }
        // Stock and balance as they are now, whichever way it went.
        self.reload();
    }

    fn failure_for(self, key: &str) -> Option<Msg> {
        self.failure
            .with(|f| f.as_ref().filter(|(k, _)| k == key).map(|(_, m)| *m))
    }
}

#[component]
fn Mall(v: Volunteering) -> impl IntoView {
    let i18n = use_i18n();
    let shop = Shop {
        v,
        items: v.load(|b, t| async move { b.mall(&t).await }),
        account: v.load(|b, t| async move { b.points(&t).await }),
        notice: RwSignal::new(None),
        failure: RwSignal::new(None),
        confirming: RwSignal::new(None),
        busy: RwSignal::new(false),
    };
    let balance = move || match shop.account.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || shop.account.reload()),
        Some(Ok(account)) => figures(account).into_any(),
    };
    let items = move || match shop.items.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || shop.items.reload()),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="muted">{i18n.text(Msg::VolunteerMallEmpty)}</p> }.into_any()
        }
        Some(Ok(items)) => view! {
            <ul class="volunteer-items">
                {items.into_iter().map(|item| item_view(shop, item)).collect_view()}
            </ul>
        }
        .into_any(),
    };
    let redemptions = move || {
        let Some(Ok(account)) = shop.account.state.get() else {
            return ().into_any();
        };
        let open: Vec<PointsHistoryLine> = account
            .history
            .into_iter()
            .filter(|l| l.kind == PointsLineKind::Redeem)
            .collect();
        if open.is_empty() {
            return view! { <p class="muted" data-testid="redemptions-empty">{i18n.text(Msg::VolunteerNoRedemptions)}</p> }
                .into_any();
        }
        view! {
            <ul class="volunteer-items">
                {open.into_iter().map(|l| redemption_view(shop, l)).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="section card" aria-labelledby="volunteer-points-heading">
            <h2 id="volunteer-points-heading">{i18n.text(Msg::VolunteerMyPoints)}</h2>
            {balance}
        </section>
        <p class="volunteer-notice" role="status" data-testid="volunteer-notice">
            {move || shop.notice.get().map(|msg| i18n.t(msg))}
        </p>
        <section class="section" aria-labelledby="volunteer-mall-heading">
            <h2 id="volunteer-mall-heading" class="visually-hidden">{i18n.text(Msg::VolunteerMall)}</h2>
            {items}
        </section>
        <section class="section" aria-labelledby="volunteer-redemptions-heading" data-testid="my-redemptions">
            <h2 id="volunteer-redemptions-heading">{i18n.text(Msg::VolunteerMyRedemptions)}</h2>
            {redemptions}
        </section>
    }
}

fn item_view(shop: Shop, item: MallItemView) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id.clone();
    let price = item.price.get();
    let in_stock = item.stock;
    let reason_id = format!("mall-reason-{id}");
    let confirm_id = format!("mall-confirm-{id}");
    // Why the button is off: out of stock comes first (no amount of points would help).
    let reason = move || match (in_stock, shop.balance()) {
        (0, _) => Some(Msg::VolunteerOutOfStock),
        (_, Some(balance)) if balance < u64::from(price) => Some(Msg::VolunteerNotEnough),
        (_, None) => Some(Msg::Loading),
        _ => None,
    };
    let confirming = {
        let id = id.clone();
        move || shop.confirming.with(|c| c.as_deref() == Some(id.as_str()))
    };
    let name = StoredValue::new(item.name.clone());
    let key = StoredValue::new(id.clone());
    let ask = {
        let confirm_id = confirm_id.clone();
        move |_| {
            shop.failure.set(None);
            shop.confirming.set(Some(key.get_value()));
            let target = confirm_id.clone();
            request_animation_frame(move || dom::focus(&target));
        }
    };
    let reason_for_button = reason_id.clone();
    view! {
        <li class="card volunteer-item" data-testid="mall-item">
            <h3 class="volunteer-item__name">{item.name.clone()}</h3>
            {item.details.clone().map(|d| view! { <p class="muted">{d}</p> })}
            <p class="volunteer-item__facts">
                <span class="volunteer-item__price" data-testid="mall-price">{move || points(i18n.lang.get(), u64::from(price))}</span>
                <span data-testid="mall-stock">{move || stock(i18n.lang.get(), in_stock)}</span>
            </p>
            {move || reason().map(|msg| view! {
                <p id=reason_id.clone() class="volunteer-item__reason" data-testid="mall-reason">{i18n.text(msg)}</p>
            })}
            {move || if confirming() {
                let confirm_id = confirm_id.clone();
                let question = format!("{confirm_id}-question");
                let labelled_by = question.clone();
                view! {
                    <div class="volunteer-confirm" role="group" aria-labelledby=labelled_by>
                        <p id=question>
                            {move || name.with_value(|n| redeem_question(i18n.lang.get(), price, n))}
                        </p>
                        <div class="actions">
                            <button id=confirm_id type="button" class="button button--primary" data-testid="mall-confirm"
                                prop:disabled=move || shop.busy.get()
                                on:click=move |_| shop.redeem(key.get_value())>
                                {i18n.text(Msg::VolunteerConfirmRedeem)}
                            </button>
                            <button type="button" class="button button--quiet"
                                on:click=move |_| shop.confirming.set(None)>
                                {i18n.text(Msg::VolunteerKeepPoints)}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            } else {
                let described = reason_for_button.clone();
                view! {
                    <div class="actions">
                        <button type="button" class="button button--primary" data-testid="mall-redeem"
                            prop:disabled=move || reason().is_some()
                            aria-describedby=move || reason().map(|_| described.clone())
                            on:click=ask.clone()>
                            {i18n.text(Msg::VolunteerRedeem)}
                        </button>
                    </div>
                }
                .into_any()
            }}
            {move || shop.failure_for(&key.get_value()).map(|msg| view! {
                <p class="notice notice--error" role="alert" data-testid="mall-error">{i18n.text(msg)}</p>
            })}
        </li>
    }
}

/// Where my redemption stands, in words.
fn state_of(line: &PointsHistoryLine) -> (RedemptionState, Msg) {
    if line.cancelled {
        (RedemptionState::Cancelled, Msg::RedemptionCancelled)
    } else if line.handed_over {
        (RedemptionState::HandedOver, Msg::RedemptionHandedOver)
    } else {
        (RedemptionState::Waiting, Msg::RedemptionWaiting)
    }
}

fn redemption_view(shop: Shop, line: PointsHistoryLine) -> impl IntoView {
    let i18n = use_i18n();
    let seq = line.seq;
    let key = format!("redemption-{seq}");
    let price = line.delta.unsigned_abs();
    let (state, state_msg) = state_of(&line);
    let action = match state {
        RedemptionState::Waiting => view! {
            <div class="actions">
                <button type="button" class="button" data-testid="cancel-redemption"
                    prop:disabled=move || shop.busy.get()
                    on:click=move |_| shop.cancel(seq)>
                    {i18n.text(Msg::VolunteerCancelRedemption)}
                </button>
            </div>
        }
        .into_any(),
        RedemptionState::HandedOver => view! {
            <p class="muted" data-testid="redemption-no-cancel">{i18n.text(Msg::VolunteerHandedOverNoCancel)}</p>
        }
        .into_any(),
        RedemptionState::Cancelled => ().into_any(),
    };
    view! {
        <li class="card volunteer-item" data-testid="redemption" data-state=state.as_str()>
            <h3 class="volunteer-item__name">{line.what.clone()}</h3>
            <p class="volunteer-item__facts">
                <span>{line.at.china_day_text()}</span>
                <span>{move || points(i18n.lang.get(), price)}</span>
                <span data-testid="redemption-state">
                    {i18n.text(Msg::RedemptionState)}{move || if i18n.lang.get() == citizen_core::Lang::ZhCn { "：" } else { ": " }}
                    <strong>{i18n.text(state_msg)}</strong>
                </span>
            </p>
            {action}
            {move || shop.failure_for(&key).map(|msg| view! {
                <p class="notice notice--error" role="alert">{i18n.text(msg)}</p>
            })}
        </li>
    }
}
