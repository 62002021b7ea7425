//! Who is calling: the `Authorization: Bearer <token>` header, checked against the sessions
//! table. A host app that already knows the person can hand the app a token the same way, so
//! there are no cookies (and no cross-site request forgery to guard against).

use crate::AppState;
use crate::http::error::ApiError;
use crate::http::session_cache::Cached;
use crate::store::{people, sessions};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use citizen_core::account::{Role, SessionToken};
use citizen_core::ids::MemberId;

/// A signed-in person, with the token they used.
pub struct SignedIn {
    pub person: people::Person,
    pub token: SessionToken,
}

impl SignedIn {
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.person.has(role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(role.as_str()))
        }
    }
}

fn bearer(parts: &Parts) -> Result<SessionToken, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized)?
        .to_str()
        .map_err(|_| ApiError::Unauthorized)?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::Unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::Unauthorized);
    }
    SessionToken::parse(token.trim()).ok_or(ApiError::Unauthorized)
}

impl SignedIn {
    /// Who `token` signs in, through the session cache (`session_cache`), else the sessions table.
    /// Every way in (the bearer header, Open311's `api_key`) goes through here.
    pub async fn with_token(state: &AppState, token: SessionToken) -> Result<SignedIn, ApiError> {
        let now = state.clock.now();
        let digest = sessions::digest(&token);
        match state.sessions.get(&digest, now) {
            Cached::Valid(person) => return Ok(SignedIn { person, token }),
            Cached::Expired => return Err(ApiError::SessionExpired),
            Cached::Miss => {}
        }
        let lookup_token = token.clone();
        let (person, expires_at) =
            super::transact::read(state, move |conn| {
                match sessions::lookup(conn, &lookup_token, now)? {
                    sessions::Lookup::Valid {
                        person_id,
                        expires_at,
                    } => people::by_id(conn, MemberId::new(person_id))?
                        .map(|p| (p, expires_at))
                        .ok_or(ApiError::Unauthorized),
                    sessions::Lookup::Expired => Err(ApiError::SessionExpired),
                    sessions::Lookup::Unknown => Err(ApiError::Unauthorized),
                }
            })
            .await?;
        state.sessions.put(digest, person.clone(), expires_at, now);
        Ok(SignedIn { person, token })
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        SignedIn::with_token(state, bearer(parts)?).await
    }
}
