//! `POST /session` signs in with a mobile number and password, or with a host code (`hosts`);
//! `DELETE /session` signs out. Attempts are limited per network address and wrong passwords per
//! number (rules in the core's `throttle`), counted before the password or code is checked.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::hosts;
use crate::http::idempotency::NoReplay;
use crate::http::json::ApiJson;
use crate::password;
use crate::store::people::{self, Person};
use crate::store::sessions;
use axum::Json;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use citizen_core::account::SessionToken;
use citizen_core::api::{ErrorBody, Session, SessionRequest, SignIn};
use citizen_core::time::Timestamp;
use std::net::IpAddr;
use std::sync::atomic::Ordering;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Sign in, with a mobile number and password, or with a host code.
#[utoipa::path(
    post, path = "/session", tag = "account",
    request_body = SessionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a new session is opened, nothing else repeats")),
    responses(
        (status = 201, description = "Signed in", body = Session),
        (status = 400, description = "Malformed body (a `host_code` beside a `mobile` or `password` too)", body = ErrorBody),
        (status = 401, description = "Wrong number or password (`invalid_credentials`); or a host code that is unknown, used, expired or not for an account its host may sign in (`invalid_host_code`, one answer for all)", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A field breaks a rule", body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    )
)]
async fn sign_in(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SessionRequest>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let address = crate::http::limits::client_address(&extensions, &headers, state.trusted_proxy);
    let token = sessions::new_token();
    let (person, expires_at) = match request {
        SessionRequest::Password(request) => {
            with_password(&state, address, request, token.clone(), now).await?
        }
        SessionRequest::HostCode(request) => {
            hosts::exchange(&state, address, request.host_code, token.clone(), now).await?
        }
    };
    Ok(session_reply(&token, &person, expires_at))
}

/// `201` with the new session, whichever way it was opened (a password, a host code, an SMS
/// sign-up). The token is a secret: never kept for an idempotent replay.
pub(crate) fn session_reply(token: &SessionToken, person: &Person, expires_at: i64) -> Response {
    let body = Session {
        token: token.expose().to_owned(),
        expires_at: Timestamp::from_unix_secs(expires_at),
        person: person.to_api(),
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response.extensions_mut().insert(NoReplay);
    response
}

/// Checks the password and opens a session for `token`: who signed in, and when it expires.
async fn with_password(
    state: &AppState,
    address: IpAddr,
    request: SignIn,
    token: SessionToken,
    now: i64,
) -> Result<(Person, i64), ApiError> {
    let number = request.mobile.as_str().to_owned();
    // Counted as a failure before the password is checked; a right password gives it back.
    state.limits.admit(state, address, &number, now).await?;
    state.password_checks.fetch_add(1, Ordering::Relaxed);

    let found = {
        let mobile = request.mobile.clone();
        transact::read(state, move |conn| Ok(people::with_hash(conn, &mobile)?)).await?
    };
    let typed = request.password.clone();
    let (person, verified) = tokio::task::spawn_blocking(move || match found {
        Some((person, hash)) => {
            let ok = password::verify(typed.expose(), &hash);
            (Some(person), ok)
        }
        None => {
            password::verify(typed.expose(), &password::DECOY);
            (None, false)
        }
    })
    .await
    .map_err(|_| ApiError::Internal("password check stopped".into()))?;
    let Some(person) = person.filter(|_| verified) else {
        return Err(ApiError::InvalidCredentials);
    };
    state.limits.succeeded(state, address, &number, now).await;

    let person_id = person.id;
    let expires_at = transact::write(state, move |conn| {
        Ok(sessions::open(conn, &token, person_id, now)?)
    })
    .await?;
    tracing::info!(person = %person.id, "signed in");
    Ok((person, expires_at))
}

/// Sign out: the token stops working at once.
#[utoipa::path(
    delete, path = "/session", tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn sign_out(State(state): State<AppState>, who: SignedIn) -> Result<StatusCode, ApiError> {
    let now = state.clock.now();
    let digest = sessions::digest(&who.token);
    transact::write(&state, move |conn| {
        Ok(sessions::revoke(conn, &who.token, now)?)
    })
    .await?;
    // After the revocation is committed, so no concurrent request can cache the session again.
    state.sessions.forget(&digest);
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, sign_out))
}
