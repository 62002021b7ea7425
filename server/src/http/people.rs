//! `GET /people`: staff see who belongs to their community.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::store::people;
use axum::Json;
use axum::extract::State;
use citizen_core::account::Role;
use citizen_core::api::{ErrorBody, People, PersonSummary};
use citizen_core::phone::MobileNumber;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The community's members (staff only).
#[utoipa::path(
    get, path = "/people", operation_id = "people", tag = "staff", security(("bearer" = [])),
    responses(
        (status = 200, description = "Members, by name", body = People),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
    )
)]
async fn list(State(state): State<AppState>, who: SignedIn) -> Result<Json<People>, ApiError> {
    who.require(Role::Staff)?;
    let community = who.person.community.clone();
    let members = transact::read(&state, move |conn| {
        Ok(people::in_community(conn, &community)?)
    })
    .await?;
    let people = members
        .into_iter()
        .map(|p| PersonSummary {
            mobile_masked: MobileNumber::parse(&p.mobile)
                .map(|m| m.masked())
                .unwrap_or_default(),
            id: p.id,
            display_name: p.display_name,
            roles: p.roles,
        })
        .collect();
    Ok(Json(People { people }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}
