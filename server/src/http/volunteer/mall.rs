//! The points mall: items, restocks, redemptions, cancelling one, and staff handing items over
//! at the counter.

use super::{may, path_id, points_refusal, store};
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::members::Members;
use crate::http::transact::{read, write_book};
use crate::store::sql::Connection;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::volunteer::{
    Actor, EntryKind, MallItem, MallItemView, NewMallItem, RedemptionLine, RedemptionState,
    RedemptionView, Restock, StaffAction, visible_redemptions,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The points mall of my community, with what is in stock.
#[utoipa::path(
    get, path = "/volunteer/mall", tag = "volunteer", security(("bearer" = [])),
    responses(
        (status = 200, description = "Items in the order staff added them", body = Vec<MallItemView>),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
pub(super) async fn mall(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<Vec<MallItemView>>, ApiError> {
    let community = who.person.community;
    let books = Arc::clone(&state.points_books);
    let items = read(&state, move |conn| {
        let book = books.read(conn, &community)?;
        Ok(store::items(conn, &community)?
            .iter()
            .map(|item| MallItemView::new(item, &book))
            .collect())
    })
    .await?;
    Ok(Json(items))
}

/// The item `id` of `community`, or 404.
fn item(conn: &Connection, community: &str, id: &str) -> Result<MallItem, ApiError> {
    store::item(conn, community, id)?.ok_or_else(|| ApiError::NotFound(format!("mall item {id}")))
}

/// Put a new item in the mall with its first stock (staff).
#[utoipa::path(
    post, path = "/volunteer/mall", tag = "volunteer", security(("bearer" = [])),
    request_body = NewMallItem,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: added once")),
    responses(
        (status = 201, description = "Added", body = MallItemView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A field breaks a rule: `name` (2–40 characters), `details` (1–200), `price` (1–1,000,000), `stock` (1–10,000)", body = ErrorBody),
    )
)]
pub(super) async fn add_item(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(body): ApiJson<NewMallItem>,
) -> Result<(StatusCode, Json<MallItemView>), ApiError> {
    may(&who.person, StaffAction::AddMallItem)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let item = MallItem {
        id: store::new_id(),
        community: community.clone(),
        name: body.name,
        details: body.details,
        price: body.price,
    };
    let view = write_book(&state, community, move |conn, book| {
        store::insert_item(conn, &item, now)?;
        book.restock(&item.id, body.stock.get(), now)
            .map_err(points_refusal)?;
        Ok(MallItemView::new(&item, book))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Add stock to an item (staff).
#[utoipa::path(
    post, path = "/volunteer/mall/{id}/restock", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The item's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: restocked once"),
    ),
    request_body = Restock,
    responses(
        (status = 200, description = "Restocked", body = MallItemView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such item in my community", body = ErrorBody),
        (status = 422, description = "`quantity`: 1–10,000", body = ErrorBody),
    )
)]
pub(super) async fn restock(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Restock>,
) -> Result<Json<MallItemView>, ApiError> {
    may(&who.person, StaffAction::Restock)?;
    let id = path_id("mall item", id)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let view = write_book(&state, community.clone(), move |conn, book| {
        let item = item(conn, &community, &id)?;
        book.restock(&item.id, body.quantity.get(), now)
            .map_err(points_refusal)?;
        Ok(MallItemView::new(&item, book))
    })
    .await?;
    Ok(Json(view))
}

/// Spend points on one item (any body is ignored: the app sends `null`).
#[utoipa::path(
    post, path = "/volunteer/mall/{id}/redeem", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The item's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: redeemed once"),
    ),
    responses(
        (status = 200, description = "Redeemed: the item's stock and my balance after", body = RedemptionView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such item in my community", body = ErrorBody),
        (status = 409, description = "Refused: `out_of_stock`, `not_enough_points`", body = ErrorBody),
    )
)]
pub(super) async fn redeem(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<RedemptionView>, ApiError> {
    let id = path_id("mall item", id)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id;
    let view = write_book(&state, community.clone(), move |conn, book| {
        let item = item(conn, &community, &id)?;
        let seq = book
            .redeem(me, &item.id, item.price, now)
            .map_err(points_refusal)?
            .seq;
        Ok(RedemptionView {
            seq,
            item: MallItemView::new(&item, book),
            balance: book.balance(me),
            cancelled: false,
            state: RedemptionState::Waiting,
        })
    })
    .await?;
    Ok(Json(view))
}

/// The ledger entry named in a path: a number, or 404.
fn path_seq(raw: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::NotFound(format!("redemption {raw}")))
}

/// Undo a redemption: the points and the item come back, once. Before it is handed over its
/// redeemer or staff may cancel it; after, only staff other than the redeemer.
#[utoipa::path(
    post, path = "/volunteer/redemptions/{seq}/cancel", tag = "volunteer", security(("bearer" = [])),
    params(
        ("seq" = u64, Path, description = "The redemption's ledger entry"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Cancelled: the item's stock and the redeemer's balance after", body = RedemptionView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Someone else's redemption, and not staff", body = ErrorBody),
        (status = 404, description = "No such ledger entry in my community", body = ErrorBody),
        (status = 409, description = "Refused: `already_cancelled`, `not_a_redemption`, `handed_over` (the item was handed over: only staff may cancel), `own_redemption` (staff taking back their own after hand-over)", body = ErrorBody),
    )
)]
pub(super) async fn cancel_redemption(
    State(state): State<AppState>,
    who: SignedIn,
    Path(seq): Path<String>,
) -> Result<Json<RedemptionView>, ApiError> {
    let number = path_seq(&seq)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id;
    let staff = who.person.has(Role::Staff);
    let view = write_book(&state, community.clone(), move |conn, book| {
        if usize::try_from(number)
            .ok()
            .and_then(|i| book.entries().get(i))
            .is_none()
        {
            return Err(ApiError::NotFound(format!("redemption {number}")));
        }
        let (member, item_id) = match &book
            .cancel_redemption(number, Actor { id: me, staff }, now)
            .map_err(points_refusal)?
            .kind
        {
            EntryKind::CancelRedeem { member, item, .. } => (*member, item.clone()),
            other => {
                return Err(ApiError::Internal(format!(
                    "a cancellation recorded as {other:?}"
                )));
            }
        };
        let item = item(conn, &community, &item_id)?;
        Ok(RedemptionView {
            seq: number,
            item: MallItemView::new(&item, book),
            balance: book.balance(member),
            cancelled: true,
            state: RedemptionState::Cancelled,
        })
    })
    .await?;
    tracing::info!(
        redemption = number,
        by = %who.person.id,
        "redemption cancelled"
    );
    Ok(Json(view))
}

/// The redemption at `seq` as a line, with its redeemer's name and its item's name.
fn redemption_lines(
    conn: &Connection,
    community: &str,
    found: &[citizen_core::volunteer::Redemption<'_>],
) -> Result<Vec<RedemptionLine>, ApiError> {
    let names: HashMap<String, String> = store::items(conn, community)?
        .into_iter()
        .map(|item| (item.id, item.name.as_str().to_owned()))
        .collect();
    let members = Members::of(conn, found.iter().map(|r| r.member))?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    Ok(found
        .iter()
        .map(|r| RedemptionLine::new(r, &|m| members.get(m), &name))
        .collect())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct RedemptionsQuery {
    /// Only redemptions in this state: `waiting` (to be collected), `handed_over`, `cancelled`.
    #[param(value_type = Option<String>, pattern = "^(waiting|handed_over|cancelled)$")]
    state: Option<String>,
}

/// Redemptions, newest first (at most 200): staff see their community's, to hand items over at
/// the counter; anyone else sees only their own.
#[utoipa::path(
    get, path = "/volunteer/redemptions", tag = "volunteer", security(("bearer" = [])),
    params(RedemptionsQuery),
    responses(
        (status = 200, description = "Redemptions, newest first", body = Vec<RedemptionLine>),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "`state` is not `waiting`, `handed_over` or `cancelled`", body = ErrorBody),
    )
)]
pub(super) async fn redemptions(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(query): ApiQuery<RedemptionsQuery>,
) -> Result<Json<Vec<RedemptionLine>>, ApiError> {
    let wanted = match query.state.as_deref() {
        None => None,
        Some(raw) => Some(RedemptionState::parse(raw.trim()).ok_or_else(|| {
            ApiError::invalid("state", "a state is waiting, handed_over or cancelled")
        })?),
    };
    let person = who.person;
    let staff = person.has(Role::Staff);
    let books = Arc::clone(&state.points_books);
    let lines = read(&state, move |conn| {
        let community = person.community.as_str();
        let me = person.id;
        let book = books.read(conn, community)?;
        let found = visible_redemptions(&book, Actor { id: me, staff }, wanted);
        redemption_lines(conn, community, &found)
    })
    .await?;
    Ok(Json(lines))
}

/// Mark a redemption handed over at the counter (staff, once, never their own). After this only
/// staff may cancel it.
#[utoipa::path(
    post, path = "/volunteer/redemptions/{seq}/handover", tag = "volunteer", security(("bearer" = [])),
    params(
        ("seq" = u64, Path, description = "The redemption's ledger entry"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Handed over", body = RedemptionLine),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such ledger entry in my community", body = ErrorBody),
        (status = 409, description = "Refused: `already_handed_over`, `already_cancelled`, `not_a_redemption`, `own_redemption` (staff handing over to themselves)", body = ErrorBody),
    )
)]
pub(super) async fn hand_over(
    State(state): State<AppState>,
    who: SignedIn,
    Path(seq): Path<String>,
) -> Result<Json<RedemptionLine>, ApiError> {
    may(&who.person, StaffAction::HandOver)?;
    let number = path_seq(&seq)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id;
    let staff = who.person.has(Role::Staff);
    let line = write_book(&state, community.clone(), move |conn, book| {
        if usize::try_from(number)
            .ok()
            .and_then(|i| book.entries().get(i))
            .is_none()
        {
            return Err(ApiError::NotFound(format!("redemption {number}")));
        }
        book.hand_over(number, Actor { id: me, staff }, now)
            .map_err(points_refusal)?;
        let found = book
            .redemption(number)
            .ok_or_else(|| ApiError::Internal(format!("redemption {number} vanished")))?;
        let mut lines = redemption_lines(conn, &community, &[found])?;
        lines
            .pop()
            .ok_or_else(|| ApiError::Internal("no line for a redemption".into()))
    })
    .await?;
    tracing::info!(
        redemption = number,
        by = %who.person.id,
        "redemption handed over"
    );
    Ok(Json(line))
}
