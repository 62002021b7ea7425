//! Points: my account (balance, verified time, star level, history) and the monthly
//! leaderboard.

use super::store;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::ApiQuery;
use crate::http::members::Members;
use crate::http::transact::read;
use axum::Json;
use axum::extract::State;
use citizen_core::api::ErrorBody;
use citizen_core::volunteer::{EntryKind, LeaderboardView, Month, PointsAccount, leaderboard};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// My points: balance, verified time, star level, and my history (newest first).
#[utoipa::path(
    get, path = "/volunteer/points", tag = "volunteer", security(("bearer" = [])),
    responses(
        (status = 200, description = "My points account", body = PointsAccount),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
pub(super) async fn points(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<PointsAccount>, ApiError> {
    let person = who.person;
    let books = Arc::clone(&state.points_books);
    let account = read(&state, move |conn| {
        let community = person.community.as_str();
        let me = person.id;
        let book = books.read(conn, community)?;
        let items: HashMap<String, String> = store::items(conn, community)?
            .into_iter()
            .map(|item| (item.id, item.name.as_str().to_owned()))
            .collect();
        let history = book.history(me);
        let titles = store::titles(
            conn,
            community,
            history.iter().filter_map(|line| match &line.entry.kind {
                EntryKind::Award { activity, .. } => Some(activity.as_str()),
                _ => None,
            }),
        )?;
        let what = |kind: &EntryKind| {
            let (names, key) = match kind {
                EntryKind::Award { activity, .. } => (&titles, activity),
                EntryKind::Redeem { item, .. }
                | EntryKind::CancelRedeem { item, .. }
                | EntryKind::HandOver { item, .. }
                | EntryKind::Restock { item, .. } => (&items, item),
            };
            names.get(key).cloned().unwrap_or_else(|| key.clone())
        };
        Ok(PointsAccount::new(&book, me, &what))
    })
    .await?;
    Ok(Json(account))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct LeaderboardQuery {
    /// `YYYY-MM`, China time (this month when left out).
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    month: Option<String>,
}

/// The month's leaderboard of my community: points awarded that month (spending does not lower
/// a place), names shortened, my row marked.
#[utoipa::path(
    get, path = "/volunteer/leaderboard", tag = "volunteer", security(("bearer" = [])),
    params(LeaderboardQuery),
    responses(
        (status = 200, description = "The month's places, most points first (equal points share a rank)", body = LeaderboardView),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "`month` is not written like 2026-11", body = ErrorBody),
    )
)]
pub(super) async fn ranking(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(query): ApiQuery<LeaderboardQuery>,
) -> Result<Json<LeaderboardView>, ApiError> {
    let month = match query.month {
        Some(raw) => Month::parse(raw.trim()).map_err(|e| ApiError::invalid("month", e))?,
        None => Month::in_china(state.clock.now()),
    };
    let (from, to) = month.bounds_in_china();
    let (from, to) = (from.unix_secs(), to.unix_secs());
    let person = who.person;
    let view = read(&state, move |conn| {
        let community = person.community.as_str();
        let awards = store::awards_between(conn, community, from, to)?;
        let rows = leaderboard(&awards, community, month);
        let members = Members::of(conn, rows.iter().map(|r| r.member))?;
        let me = person.id;
        Ok(LeaderboardView::new(month, rows, Some(me), &|m| {
            members.get(m).name
        }))
    })
    .await?;
    Ok(Json(view))
}
