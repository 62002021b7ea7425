//! `/me/city-requests`: a signed-in person's receipts of their filings at the city's GeoReport
//! endpoint (the city knows nobody here, so these ids are what "my requests" are there). Kept
//! under the endpoint the served config names: the server's, never one a caller names.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::store::city_receipts::{self, Kept, Receipt};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use citizen_core::api::{CityReceipt, CityReceipts, ErrorBody, NewCityReceipt};
use citizen_core::georeport::receipt::{ReceiptRef, ReceiptRefusal};
use citizen_core::time::Timestamp;
use utoipa_axum::{router::OpenApiRouter, routes};

fn refused(refusal: ReceiptRefusal) -> ApiError {
    ApiError::Rule {
        code: refusal.code(),
        message: refusal.to_string(),
        field: None,
    }
}

/// The endpoint the served config names for requests.
fn endpoint(state: &AppState) -> Result<String, ApiError> {
    state
        .bundle
        .city_endpoint()
        .map(str::to_owned)
        .ok_or(refused(ReceiptRefusal::NoCityEndpoint))
}

/// A stored receipt on the wire (what was stored was checked when kept).
fn item(receipt: Receipt) -> CityReceipt {
    let text = |t: Option<String>| t.and_then(|t| ReceiptRef::parse(&t).ok());
    CityReceipt {
        id: text(receipt.id),
        token: text(receipt.token),
        filed_at: Timestamp::from_unix_secs(receipt.filed_at),
    }
}

/// The person's receipts at the city endpoint the server is configured with now, oldest first.
#[utoipa::path(
    get, path = "/me/city-requests", operation_id = "city_requests", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, description = "This person's receipts at the configured city endpoint (kept under an earlier endpoint: not listed)", body = CityReceipts),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 409, description = "The served config names no city endpoint for requests (`no_city_endpoint`)", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<CityReceipts>, ApiError> {
    let endpoint = endpoint(&state)?;
    let person = who.person.id;
    let rows = transact::read(&state, move |conn| {
        Ok(city_receipts::list(conn, person, &endpoint)?)
    })
    .await?;
    Ok(Json(CityReceipts {
        items: rows.into_iter().map(item).collect(),
    }))
}

/// Keeps a receipt of a filing at the city: its id, its deferred `token`, or both. The same id
/// or token again answers the receipt kept (200); a token kept without an id gets the id sent
/// with it (200).
#[utoipa::path(
    post, path = "/me/city-requests", operation_id = "keep_city_request", tag = "account", security(("bearer" = [])),
    request_body = NewCityReceipt,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely")),
    responses(
        (status = 201, description = "Kept", body = CityReceipt),
        (status = 200, description = "Kept already (with the id now, when a waiting token was sent with it)", body = CityReceipt),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 409, description = "The served config names no city endpoint (`no_city_endpoint`), or the person keeps 500 receipts there already (`city_receipts_full`)", body = ErrorBody),
        (status = 422, description = "Neither an id nor a token, or one that is not 1–100 printable characters without spaces (`invalid_field`)", body = ErrorBody),
    )
)]
async fn keep(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(new): ApiJson<NewCityReceipt>,
) -> Result<(StatusCode, Json<CityReceipt>), ApiError> {
    // Whether this server keeps receipts at all comes first, whatever the body says.
    let endpoint = endpoint(&state)?;
    if new.id.is_none() && new.token.is_none() {
        return Err(ApiError::invalid(
            "id",
            "send the request's id, its token, or both",
        ));
    }
    let (person, now) = (who.person.id, state.clock.now());
    let kept = transact::write(&state, move |conn| {
        let id = new.id.as_ref().map(ReceiptRef::as_str);
        let token = new.token.as_ref().map(ReceiptRef::as_str);
        Ok(city_receipts::keep(
            conn, person, &endpoint, id, token, now,
        )?)
    })
    .await?;
    match kept {
        Kept::Added(receipt) => Ok((StatusCode::CREATED, Json(item(receipt)))),
        Kept::Existing(receipt) => Ok((StatusCode::OK, Json(item(receipt)))),
        Kept::Full => Err(refused(ReceiptRefusal::Full)),
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, keep))
}
