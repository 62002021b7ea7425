//! Host sign-in, the server's side. A host app's server proves itself with the client id and
//! secret `citizen-server add-host` printed (HTTP Basic) and asks `POST /host/sign-in-codes` for
//! a single-use code for a mobile number it has verified; the embedded app exchanges the code at
//! `POST /session` ([`exchange`]) for a normal session. The rules are the core's
//! (`citizen_core::host`); attempts are counted before anything is checked, by the same limits as
//! password sign-ins (`limits::SignInLimits`): host credentials in `AppState::host_limits`, keyed
//! by the claimed client id, and exchanges in the sign-in limits themselves. Every issued code
//! and every exchange is logged with the host's client id; never a secret or a code.

use super::transact;
use crate::AppState;
use crate::http::error::ApiError;
use crate::http::idempotency::NoReplay;
use crate::http::json::ApiJson;
use crate::password;
use crate::store::hosts::{self, Host, Redeemed};
use crate::store::people::{self, NewPerson, Person};
use crate::store::sessions;
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use citizen_core::account::{Role, SessionToken};
use citizen_core::api::{ErrorBody, HostCodeRequest, IssuedHostCode};
use citizen_core::embed::HostCode;
use citizen_core::host::{self, CODE_LIFETIME_SECS, Exchange, HostGrant};
use citizen_core::phone::MobileNumber;
use std::net::IpAddr;
use std::sync::LazyLock;
use utoipa_axum::{router::OpenApiRouter, routes};

/// A host app's server, proved by its client id and secret (`Authorization: Basic`).
pub struct AuthenticatedHost(pub Host);

/// The client id and secret of a Basic `Authorization` header, if it carries them.
fn basic(parts: &Parts) -> Option<(String, String)> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (client_id, secret) = text.split_once(':')?;
    Some((client_id.to_owned(), secret.to_owned()))
}

impl FromRequestParts<AppState> for AuthenticatedHost {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let now = state.clock.now();
        let address = crate::http::limits::client_address(
            &parts.extensions,
            &parts.headers,
            state.trusted_proxy,
        );
        // No Basic credentials at all is no guess at a secret: refused at once, not counted.
        let Some((client_id, secret)) = basic(parts) else {
            tracing::warn!(host = "(none)", "host credentials refused");
            return Err(ApiError::InvalidHostCredentials);
        };
        // The limits and the log key on the claimed client id, or on one key for anything that
        // cannot be one (a made-up shape).
        let claimed = Some(client_id.as_str())
            .filter(|id| hosts::plausible_client_id(id))
            .unwrap_or("(none)")
            .to_owned();
        // Counted as a failure before the secret is checked; a right secret gives it back.
        state
            .host_limits
            .admit(state, address, &claimed, now)
            .await?;
        let found = transact::read(state, move |conn| {
            Ok(hosts::authenticate(conn, &client_id, &secret)?)
        })
        .await?;
        let Some(host) = found else {
            tracing::warn!(host = %claimed, "host credentials refused");
            return Err(ApiError::InvalidHostCredentials);
        };
        state
            .host_limits
            .proved(state, address, &claimed, now)
            .await;
        Ok(AuthenticatedHost(host))
    }
}

/// A single-use sign-in code for a number the host has verified.
#[utoipa::path(
    post, path = "/host/sign-in-codes", tag = "hosts",
    security(("host" = [])),
    request_body = HostCodeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a retry is given a new code (codes are never kept for replay)")),
    responses(
        (status = 201, description = "A code for the number, valid once for `expires_in` seconds; the reply is the same whether the number has an account or not", body = IssuedHostCode),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "The client id or the secret is wrong, or missing (`invalid_host_credentials`, the same for an unknown client id)", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "`mobile` is not a mainland mobile number", body = ErrorBody),
        (status = 429, description = "Too many attempts with wrong credentials; see Retry-After", body = ErrorBody),
    )
)]
async fn issue_code(
    State(state): State<AppState>,
    AuthenticatedHost(host): AuthenticatedHost,
    ApiJson(request): ApiJson<HostCodeRequest>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let code = hosts::new_code();
    let stored = code.clone();
    let mobile = request.mobile;
    let masked = mobile.masked();
    let host_id = host.id;
    transact::write(&state, move |conn| {
        Ok(hosts::issue(conn, host_id, &mobile, &stored, now)?)
    })
    .await?;
    tracing::info!(host = %host.client_id, mobile = %masked, "issued a host sign-in code");
    let body = IssuedHostCode {
        code: code.as_str().to_owned(),
        expires_in: CODE_LIFETIME_SECS,
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    // The code is a secret: never kept for an idempotent replay.
    response.extensions_mut().insert(NoReplay);
    Ok(response)
}

/// The password hash of a resident a host created: of 256 random bits nobody ever saw, so no
/// password signs them in until they set one. One per run, made the first time it is needed.
static NO_PASSWORD: LazyLock<String> = LazyLock::new(|| {
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).expect("the operating system provides randomness");
    password::hash(&STANDARD.encode(random))
});

/// What the exchange's transaction decided.
enum Outcome {
    SignedIn {
        client_id: String,
        person: Person,
        created: bool,
        expires_at: i64,
    },
    /// Spent, or a number this host may not sign in: the host is known, for the log.
    Refused {
        client_id: String,
        why: &'static str,
    },
    Unknown,
}

/// Exchanges a host code for a session for `token`: marks the code used, creates the resident
/// when the host may, and opens the session, in one transaction. Returns who signed in and when
/// the session expires. Counted by the sign-in limits before the code is looked up.
pub async fn exchange(
    state: &AppState,
    address: IpAddr,
    code: HostCode,
    token: SessionToken,
    now: i64,
) -> Result<(Person, i64), ApiError> {
    let digest = hosts::digest(code.as_str());
    // A code is tried once: the limit that matters is the address's, shared with passwords.
    let key = format!("host code {}", to_hex(&digest[..8]));
    state.limits.admit(state, address, &key, now).await?;
    let outcome = transact::write(state, move |conn| -> Result<Outcome, ApiError> {
        let (host, mobile) = match hosts::redeem(conn, &digest, now)? {
            Redeemed::Unknown => return Ok(Outcome::Unknown),
            Redeemed::Spent { client_id } => {
                return Ok(Outcome::Refused {
                    client_id,
                    why: "used or expired",
                });
            }
            Redeemed::Valid { host, mobile } => (host, mobile),
        };
        let mobile = MobileNumber::parse(&mobile)
            .map_err(|e| ApiError::Internal(format!("a stored host code's number: {e}")))?;
        let account = people::with_hash(conn, &mobile)?.map(|(person, _)| person);
        let grant = HostGrant {
            community: &host.community,
            may_create_residents: host.may_create_residents,
        };
        let decision = host::exchange(grant, account.as_ref().map(|p| p.community.as_str()));
        let (person, created) = match (decision, account) {
            (Exchange::SignIn, Some(person)) => (person, false),
            (Exchange::CreateResident, None) => {
                let name = host::new_resident_name(&mobile);
                let id = people::insert(
                    conn,
                    &NewPerson {
                        mobile: &mobile,
                        display_name: &name,
                        password_hash: &NO_PASSWORD,
                        community: &host.community,
                        roles: &[Role::Resident],
                    },
                    now,
                )?
                .ok_or_else(|| ApiError::Internal("the number has an account after all".into()))?;
                let person = people::by_id(conn, id)?
                    .ok_or_else(|| ApiError::Internal("a new resident is missing".into()))?;
                (person, true)
            }
            // Committed as refused: the code is used up all the same (a code is tried once).
            _ => {
                return Ok(Outcome::Refused {
                    client_id: host.client_id,
                    why: "no account this host may sign in",
                });
            }
        };
        let expires_at = sessions::open(conn, &token, person.id, now)?;
        Ok(Outcome::SignedIn {
            client_id: host.client_id,
            person,
            created,
            expires_at,
        })
    })
    .await?;
    match outcome {
        Outcome::SignedIn {
            client_id,
            person,
            created,
            expires_at,
        } => {
            state.limits.succeeded(state, address, &key, now).await;
            tracing::info!(host = %client_id, person = %person.id, created, "signed in with a host code");
            Ok((person, expires_at))
        }
        Outcome::Refused { client_id, why } => {
            tracing::warn!(host = %client_id, why, "host code refused");
            Err(ApiError::InvalidHostCode)
        }
        Outcome::Unknown => {
            tracing::warn!(
                host = "(unknown)",
                why = "unknown code",
                "host code refused"
            );
            Err(ApiError::InvalidHostCode)
        }
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(issue_code))
}
