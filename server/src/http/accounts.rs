//! A way in without staff: a resident asks for a code by SMS (`POST /sms-codes`), then signs up
//! with it (`POST /accounts`) or sets a new password with it (`POST /password-reset`). The rules
//! are the core's (`citizen_core::sms`, the request limits `throttle::SmsGate`); codes are kept
//! as keyed hashes (`store::sms`). Nothing here tells a stranger whether a number has an account:
//! every well-formed code request gets the same 202 after the same work (one write transaction;
//! the message itself is sent afterwards, off the request), and every refused code, including a
//! sign-up of a registered number and a reset of an unknown one, gets the same 401.

use super::session::session_reply;
use super::transact;
use crate::AppState;
use crate::http::error::ApiError;
use crate::http::idempotency::NoReplay;
use crate::http::json::ApiJson;
use crate::http::limits::client_address;
use crate::password;
use crate::sms::Sms;
use crate::store::people::{self, NewPerson};
use crate::store::{sessions, sms as store};
use axum::Json;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use citizen_core::account::{NewPassword, Role};
use citizen_core::api::{
    ErrorBody, NewAccount, PasswordReset, Session, SmsCodeAccepted, SmsCodeRequest,
};
use citizen_core::phone::MobileNumber;
use citizen_core::sms::{self, SmsPurpose};
use citizen_core::throttle::{RetryAfter, SMS_RESEND_AFTER_SECS, SmsAdmit};
use std::net::IpAddr;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Send a sign-up or password-reset code by SMS.
#[utoipa::path(
    post, path = "/sms-codes", tag = "account",
    request_body = SmsCodeRequest,
    responses(
        (status = 202, description = "Accepted: a code is sent when the purpose fits the number (`sign-up` to a number without an account, `reset` to one with an account); the reply is the same either way, and within a minute of the number's last code nothing is sent and `resend_after` says how long to wait", body = SmsCodeAccepted),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "`mobile` is not a mainland mobile number, or `purpose` is neither `sign-up` nor `reset`", body = ErrorBody),
        (status = 429, description = "The number's or the network address's codes for the day are used up; see Retry-After", body = ErrorBody),
    )
)]
async fn request_code(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SmsCodeRequest>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let address = client_address(&extensions, &headers, state.trusted_proxy);
    let SmsCodeRequest { mobile, purpose } = request;
    let resend_after = match state
        .sms_limits
        .admit(&state, address, mobile.as_str(), now)
        .await?
    {
        SmsAdmit::TooSoon(RetryAfter(wait)) => wait,
        SmsAdmit::Send => {
            issue(&state, mobile, purpose, now).await?;
            SMS_RESEND_AFTER_SECS
        }
    };
    let body = SmsCodeAccepted { resend_after };
    let mut response = (StatusCode::ACCEPTED, Json(body)).into_response();
    response.extensions_mut().insert(NoReplay);
    Ok(response)
}

/// Keeps a new code when the purpose fits the number, and sends it off the request.
async fn issue(
    state: &AppState,
    mobile: MobileNumber,
    purpose: SmsPurpose,
    now: i64,
) -> Result<(), ApiError> {
    let code = store::new_code();
    let hash = state.sms_key.digest(purpose, &mobile, &code);
    let to = mobile.clone();
    let send = transact::write(state, move |conn| {
        let send = sms::should_send(purpose, people::exists(conn, &to)?);
        if send {
            store::issue(conn, &to, purpose, &hash, now)?;
        }
        Ok(send)
    })
    .await?;
    if send {
        let sender = state.sms.clone();
        let masked = mobile.masked();
        let message = Sms {
            text: sms::message(&code),
            mobile,
        };
        // Off the request, so a slow or failing gateway takes no longer to answer for a number
        // that gets a message than for one that does not. A failure is the operator's to see.
        tokio::spawn(async move {
            match sender.send(&message).await {
                Ok(()) => {
                    tracing::info!(mobile = %masked, purpose = purpose.as_str(), "SMS code sent")
                }
                Err(e) => tracing::error!(mobile = %masked, error = %e, "SMS code not sent"),
            }
        });
    }
    Ok(())
}

/// Hashes a new password on the blocking pool.
async fn hash_password(password: NewPassword) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || password::hash(password.expose()))
        .await
        .map_err(|_| ApiError::Internal("password hashing stopped".into()))
}

/// Counts a try of a code for `mobile` against the sign-in limits (per address, across numbers
/// and passwords) before anything is checked; the key it counted under.
async fn admit_try(
    state: &AppState,
    address: IpAddr,
    purpose: SmsPurpose,
    mobile: &MobileNumber,
    now: i64,
) -> Result<String, ApiError> {
    let key = format!("sms {} {}", purpose.as_str(), mobile.as_str());
    state.limits.admit(state, address, &key, now).await?;
    Ok(key)
}

/// What a transaction that tried a code decided; a refusal is committed (the try stays counted).
enum Tried<T> {
    Done(T),
    Refused,
    /// A form error found before the code was tried: no try spent, and not a guess.
    UnknownCommunity,
}

/// Create a resident account with a sign-up code, and sign it in.
#[utoipa::path(
    post, path = "/accounts", tag = "account",
    request_body = NewAccount,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a retry of a created account is refused like a used code")),
    responses(
        (status = 201, description = "The account is created and signed in", body = Session),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "The code is wrong, expired, used or out of tries, or the number cannot sign up (`invalid_sms_code`, one answer for all)", body = ErrorBody),
        (status = 404, description = "`community` is not a community this server knows; no try of the code is spent", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A field breaks a rule (a code that is not 6 digits, the password's, the name's); no try of the code is spent", body = ErrorBody),
        (status = 429, description = "Too many tries; see Retry-After", body = ErrorBody),
    )
)]
async fn create_account(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewAccount>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let address = client_address(&extensions, &headers, state.trusted_proxy);
    let NewAccount {
        mobile,
        code,
        name,
        password,
        community,
    } = request;
    let community = community.trim().to_owned();
    let key = admit_try(&state, address, SmsPurpose::SignUp, &mobile, now).await?;
    let hash = hash_password(password).await?;
    let offered = state.sms_key.digest(SmsPurpose::SignUp, &mobile, &code);
    let token = sessions::new_token();
    let opened = token.clone();
    let tried = transact::write(&state, move |conn| {
        // A form error, before the code is tried: it costs no try.
        if !people::community_known(conn, &community)? {
            return Ok(Tried::UnknownCommunity);
        }
        if !store::try_code(conn, &mobile, SmsPurpose::SignUp, &offered, now)? {
            return Ok(Tried::Refused);
        }
        let new = NewPerson {
            mobile: &mobile,
            display_name: &name,
            password_hash: &hash,
            community: &community,
            roles: &[Role::Resident],
        };
        // A number that gained an account since its code was sent: refused like a wrong code.
        let Some(id) = people::insert(conn, &new, now)? else {
            return Ok(Tried::Refused);
        };
        let person = people::by_id(conn, id)?
            .ok_or_else(|| ApiError::Internal("a new resident is missing".into()))?;
        let expires_at = sessions::open(conn, &opened, person.id, now)?;
        Ok(Tried::Done((person, expires_at)))
    })
    .await?;
    let (person, expires_at) = match tried {
        Tried::Done(done) => done,
        Tried::Refused => return Err(ApiError::InvalidSmsCode),
        Tried::UnknownCommunity => {
            state.limits.succeeded(&state, address, &key, now).await;
            // Communities are public: saying one does not exist reveals nothing about a person.
            return Err(ApiError::NotFound(
                "community: not a community this server knows".into(),
            ));
        }
    };
    state.limits.succeeded(&state, address, &key, now).await;
    tracing::info!(person = %person.id, "signed up with an SMS code");
    Ok(session_reply(&token, &person, expires_at))
}

/// Set a new password with a reset code; every sign-in of the account ends.
#[utoipa::path(
    post, path = "/password-reset", tag = "account",
    request_body = PasswordReset,
    responses(
        (status = 204, description = "The password is changed and every session of the account is signed out; sign in with the new password"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "The code is wrong, expired, used or out of tries, or the number has no account (`invalid_sms_code`, one answer for all)", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A field breaks a rule (a code that is not 6 digits, the new password's); no try of the code is spent", body = ErrorBody),
        (status = 429, description = "Too many tries; see Retry-After", body = ErrorBody),
    )
)]
async fn reset_password(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    let now = state.clock.now();
    let address = client_address(&extensions, &headers, state.trusted_proxy);
    let PasswordReset {
        mobile,
        code,
        password,
    } = request;
    let key = admit_try(&state, address, SmsPurpose::Reset, &mobile, now).await?;
    let hash = hash_password(password).await?;
    let offered: [u8; 32] = state.sms_key.digest(SmsPurpose::Reset, &mobile, &code);
    let tried = transact::write(&state, move |conn| {
        if !store::try_code(conn, &mobile, SmsPurpose::Reset, &offered, now)? {
            return Ok(Tried::Refused);
        }
        let Some((person, _)) = people::with_hash(conn, &mobile)? else {
            return Ok(Tried::Refused);
        };
        people::set_password_hash(conn, person.id, &hash)?;
        let revoked = sessions::revoke_all(conn, person.id, now)?;
        Ok(Tried::Done((person, revoked)))
    })
    .await?;
    let Tried::Done((person, revoked)) = tried else {
        return Err(ApiError::InvalidSmsCode);
    };
    // After the revocations are committed, so no concurrent request can cache them again.
    for digest in &revoked {
        state.sessions.forget(digest);
    }
    state.limits.succeeded(&state, address, &key, now).await;
    tracing::info!(person = %person.id, sessions = revoked.len(), "password reset with an SMS code");
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_code))
        .routes(routes!(create_account))
        .routes(routes!(reset_password))
}
