//! Who is signed in, in one place: the stored sign-in (token, expiry, person) in localStorage, the
//! signal screens read, and every change to them (sign in, refresh, expire, sign out). A token
//! the server refuses on any call is ended here: the HTTP client calls [`SessionState::token_refused`].
//!
//! A host app hands over a sign-in as a single-use code (the bridge's `auth`, or `?host_code=`):
//! [`SessionState::adopt_host_code`] exchanges it and signs in like the form does.

use crate::backend::account::{AccountError, RestAccounts};
use crate::backend::client;
use crate::i18n::Msg;
use crate::later::later;
use crate::storage::{self, Key, screen};
use citizen_core::api::{Me, NewAccount, Session, SignIn};
use citizen_core::embed::HostCode;
use citizen_core::time::Timestamp;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The `screen` entry that keeps the typed mobile number across reloads of this tab.
pub const TYPED_MOBILE: &str = "sign-in.mobile";

/// What the device remembered at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recalled {
    Nothing,
    /// Past its `expires_at`: already forgotten; the person is kept to prefill the form.
    Expired(Me),
    Active(Session),
}

/// True when `expires_at` (RFC 3339) is not after `now_ms` (ms since the epoch). An unreadable
/// date counts as expired: the server would refuse the token anyway.
pub fn has_expired(expires_at: &str, now_ms: f64) -> bool {
    let at = js_sys::Date::parse(expires_at);
    at.is_nan() || at <= now_ms
}

/// A sign-in as this device keeps it: the wire's JSON, the expiry as its RFC 3339 text. The check
/// at start reads that text with the browser's `Date.parse` (see [`has_expired`]), so the
/// first-load module carries no calendar code; the core's reader runs where sign-ins arrive.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    token: String,
    expires_at: String,
    person: Me,
}

/// Reads the stored sign-in. One whose expiry has passed is forgotten without asking the server.
pub fn recall_session(now_ms: f64) -> Recalled {
    match storage::load::<Option<Kept>>(Key::Session) {
        None => Recalled::Nothing,
        Some(kept) if has_expired(&kept.expires_at, now_ms) => {
            storage::remove(Key::Session);
            Recalled::Expired(kept.person)
        }
        Some(kept) => Recalled::Active(Session {
            token: kept.token,
            expires_at: Timestamp::from_unix_millis(js_sys::Date::parse(&kept.expires_at) as i64),
            person: kept.person,
        }),
    }
}

/// Keeps a sign-in across reloads. The password is never part of it.
pub fn remember_session(session: &Session) {
    let kept = Kept {
        token: session.token.clone(),
        expires_at: session.expires_at.to_rfc3339(),
        person: session.person.clone(),
    };
    if let Err(e) = storage::save(Key::Session, &kept) {
        // The person stays signed in until the page reloads.
        leptos::logging::warn!("{e}");
    }
}

pub fn forget_session() {
    storage::remove(Key::Session);
}

#[derive(Clone, Copy)]
pub struct SessionState {
    backend: RestAccounts,
    /// The current sign-in; `None` when signed out.
    pub current: RwSignal<Option<Session>>,
    /// What happened to the last sign-in (expired; signed out offline), shown above the form.
    pub notice: RwSignal<Option<Msg>>,
    /// A sign-out is on its way to the server.
    pub signing_out: RwSignal<bool>,
}

impl SessionState {
    /// Shows a stored sign-in at once and checks it with the server in the background.
    pub fn start(backend: RestAccounts) -> SessionState {
        let state = SessionState {
            backend,
            current: RwSignal::new(None),
            notice: RwSignal::new(None),
            signing_out: RwSignal::new(false),
        };
        client::on_signed_out(move |token| state.token_refused(token));
        match recall_session(js_sys::Date::now()) {
            Recalled::Nothing => {}
            Recalled::Expired(person) => state.expired(&person),
            Recalled::Active(session) => {
                let token = session.token.clone();
                state.current.set(Some(session));
                spawn_local(async move {
                    if check_later(state, token).await.is_err() {
                        leptos::logging::warn!("the sign-in check could not be loaded");
                    }
                });
            }
        }
        state
    }

    pub async fn sign_in(self, request: SignIn) -> Result<(), AccountError> {
        let session = self.backend.sign_in(&request).await?;
        self.signed_in(session);
        Ok(())
    }

    /// A new resident account (SMS sign-up), signed in here like [`sign_in`](Self::sign_in).
    pub async fn sign_up(self, request: NewAccount) -> Result<(), AccountError> {
        let session = self.backend.sign_up(&request).await?;
        self.signed_in(session);
        Ok(())
    }

    /// A host app's sign-in: its one-time code becomes a session. When it is someone else than
    /// the person signed in here, what that person left on the device goes first, and their
    /// token is ended on the server.
    /// A code the server refuses leaves a notice in 我的 (the host must start again).
    pub async fn adopt_host_code(self, code: HostCode) -> Result<(), AccountError> {
        let session = match self.backend.exchange_host_code(&code).await {
            Ok(session) => session,
            Err(e) => {
                if e == AccountError::InvalidHostCode {
                    self.notice.set(Some(Msg::HostSignInRefused));
                }
                return Err(e);
            }
        };
        let previous = self.current.get_untracked();
        if let Some(previous) = previous.filter(|p| p.person.id != session.person.id) {
            forget_personal_data();
            let backend = self.backend;
            spawn_local(async move {
                if let Err(e) = backend.sign_out(&previous.token).await {
                    leptos::logging::warn!("the previous sign-in was not ended: {e}");
                }
            });
        }
        self.signed_in(session);
        Ok(())
    }

    pub fn signed_in(self, session: Session) {
        remember_session(&session);
        self.notice.set(None);
        self.current.set(Some(session));
    }

    /// `GET me`: the person's latest name and roles. Offline, the stored person stays on screen.
    fn refresh(self, token: String) {
        spawn_local(async move {
            let result = self.backend.me(&token).await;
            // A sign-out or another sign-in while this was on its way wins.
            let Some(mut session) = self.current.get_untracked().filter(|s| s.token == token)
            else {
                return;
            };
            match result {
                Ok(person) if person != session.person => {
                    session.person = person;
                    self.signed_in(session);
                }
                Ok(_) => {}
                // A refused token has been ended by the client (see `token_refused`).
                Err(e) => leptos::logging::warn!("could not refresh the sign-in: {e}"),
            }
        });
    }

    /// The server refused `token` (expired or revoked), whichever call it was: if it is still
    /// this tab's sign-in, it ends here, once, and 我的 asks for it again with the number filled
    /// in and says why. A sign-out on its way, or a newer sign-in, is left alone.
    pub fn token_refused(self, token: &str) {
        if self.signing_out.get_untracked() {
            return;
        }
        let Some(session) = self.current.get_untracked().filter(|s| s.token == token) else {
            return;
        };
        forget_session();
        // Number first: the form that replaces the card reads it as it appears.
        self.expired(&session.person);
        self.current.set(None);
    }

    fn expired(self, person: &Me) {
        screen::remember(TYPED_MOBILE, &person.mobile);
        self.notice.set(Some(Msg::SessionExpired));
    }

    /// Tells the server, then forgets the token here whatever the server said: a person who
    /// signs out on a shared phone must be signed out of it even when offline. What the person
    /// left on the phone goes at once (see [`forget_personal_data`]).
    pub fn sign_out(self) {
        let Some(token) = self
            .current
            .with_untracked(|c| c.as_ref().map(|s| s.token.clone()))
        else {
            return;
        };
        forget_personal_data();
        self.signing_out.set(true);
        spawn_local(async move {
            let told = self.backend.sign_out(&token).await;
            if let Err(e) = &told {
                leptos::logging::warn!("sign-out not confirmed by the server: {e}");
            }
            forget_session();
            self.signing_out.set(false);
            self.current.set(None);
            self.notice.set(told.err().map(|_| Msg::SignedOutOffline));
        });
    }
}

/// Everything one person's use leaves on this device besides the sign-in, forgotten in this one
/// place when they sign out: the request being written (text, position, contact), its photos in
/// IndexedDB, and the number typed into the sign-in form. Requests already in the outbox stay:
/// they are filed when that person signs in again, and nobody else is shown them.
fn forget_personal_data() {
    crate::pages::requests::forget_draft();
    screen::forget(TYPED_MOBILE);
}

later!(me:
    /// Checks a recalled sign-in with the server. The check (its JSON types, its error handling)
    /// lives in the 我的 chunk, not in the first-load module: the home page does not wait for it.
    fn check_later(state: SessionState, token: String) -> () {
        state.refresh(token)
    }
);

/// `None` where this configuration has no accounts (every module `local`).
pub fn use_session() -> Option<SessionState> {
    expect_context::<Option<SessionState>>()
}
