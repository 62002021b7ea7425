//! `GET /me` and the signed-in person's favourite tiles, which follow them across devices.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::store::favourites;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use citizen_core::api::{ErrorBody, Favourite, Favourites, Me, NewFavourite};
use citizen_core::ids::TileId;
use citizen_core::time::Timestamp;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The signed-in person.
#[utoipa::path(
    get, path = "/me", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in person", body = Me),
        (status = 401, description = "No valid sign-in (`unauthorized`) or an expired one (`session_expired`)", body = ErrorBody),
    )
)]
async fn me(who: SignedIn) -> Json<Me> {
    Json(who.person.to_api())
}

/// The person's favourite tiles, newest first.
#[utoipa::path(
    get, path = "/me/favourites", operation_id = "favourites", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, description = "Favourite tiles", body = Favourites),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn list(State(state): State<AppState>, who: SignedIn) -> Result<Json<Favourites>, ApiError> {
    let id = who.person.id;
    let tiles = transact::read(&state, move |conn| Ok(favourites::list(conn, id)?)).await?;
    Ok(Json(Favourites { tiles }))
}

/// Adds a favourite (adding one twice changes nothing).
#[utoipa::path(
    post, path = "/me/favourites", tag = "account", security(("bearer" = [])),
    request_body = NewFavourite,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely")),
    responses(
        (status = 201, description = "Added", body = Favourite),
        (status = 200, description = "It was already a favourite", body = Favourite),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "No such tile", body = ErrorBody),
    )
)]
async fn add(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(new): ApiJson<NewFavourite>,
) -> Result<(StatusCode, Json<Favourite>), ApiError> {
    if state.catalog.catalog().tile(&new.tile).is_none() {
        return Err(ApiError::invalid("tile", "there is no tile with this id"));
    }
    let (id, now) = (who.person.id, state.clock.now());
    let tile = new.tile.clone();
    let (added, added_at) = transact::write(&state, move |conn| {
        Ok(favourites::add(conn, id, &new.tile, now)?)
    })
    .await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let favourite = Favourite {
        tile,
        added_at: Timestamp::from_unix_secs(added_at),
    };
    Ok((status, Json(favourite)))
}

/// Removes a favourite (removing one that is not there changes nothing).
#[utoipa::path(
    delete, path = "/me/favourites/{tile}", tag = "account", security(("bearer" = [])),
    params(("tile" = TileId, Path, description = "The tile's id")),
    responses(
        (status = 204, description = "Not a favourite any more"),
        (status = 400, description = "Not a valid tile id", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Path(tile): Path<String>,
) -> Result<StatusCode, ApiError> {
    let tile = TileId::parse(&tile).map_err(|e| ApiError::Malformed {
        message: format!("tile: {e}"),
        field: Some("tile".into()),
    })?;
    let id = who.person.id;
    transact::write(&state, move |conn| Ok(favourites::remove(conn, id, &tile)?)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list, add))
        .routes(routes!(remove))
}
