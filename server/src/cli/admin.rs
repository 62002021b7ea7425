//! `citizen-server add-person`: creates an account from the command line, which is how a clean
//! deployment (started without `--demo`) gets its first staff member. `citizen-server add-host`:
//! registers a host app that signs its residents in with codes, and prints its credentials once.
//! Every field is checked by the core.

use crate::password;
use crate::store::db::{Database, Db, DbError, Tx};
use crate::store::hosts::{self, Credentials, NewHost};
use crate::store::people::{self, NewPerson};
use citizen_core::account::{DisplayName, NewPassword, PasswordError, Role};
use citizen_core::host::{HostName, HostOrigin, HostOriginError};
use citizen_core::ids::MemberId;
use citizen_core::phone::{MobileNumber, PhoneError};
use citizen_core::text::TextError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AdminError {
    #[error("--mobile: {0}")]
    Mobile(#[from] PhoneError),
    #[error("--name: {0}")]
    Name(#[from] TextError),
    #[error("password: {0}")]
    Password(#[from] PasswordError),
    #[error("--role: unknown role {0:?} (resident, volunteer or staff)")]
    Role(String),
    #[error("--role: give at least one role")]
    NoRole,
    #[error("{0} already has an account")]
    Exists(String),
    #[error("--origin: {0}")]
    Origin(#[from] HostOriginError),
    #[error("--community: give the community the host serves")]
    NoCommunity,
    #[error("{0}")]
    Db(#[from] DbError),
}

impl From<crate::store::sql::Error> for AdminError {
    fn from(e: crate::store::sql::Error) -> AdminError {
        AdminError::Db(e.into())
    }
}

pub struct PersonForm<'a> {
    pub mobile: &'a str,
    pub name: &'a str,
    pub roles: &'a [String],
    pub community: &'a str,
    pub password: &'a str,
}

/// Creates the person; returns their id.
pub async fn add_person(
    database: &Database,
    form: PersonForm<'_>,
    now: i64,
) -> Result<MemberId, AdminError> {
    let mobile = MobileNumber::parse(form.mobile)?;
    let name = DisplayName::parse(form.name)?;
    let password = NewPassword::parse(form.password)?;
    let mut roles = form
        .roles
        .iter()
        .map(|r| Role::parse(r.trim()).ok_or_else(|| AdminError::Role(r.clone())))
        .collect::<Result<Vec<Role>, _>>()?;
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(AdminError::NoRole);
    }
    let community = form.community.to_owned();
    let db = Db::connect(database).await?;
    db.transaction(Tx::Write, move |conn| -> Result<MemberId, AdminError> {
        let hash = password::hash(password.expose());
        let person = NewPerson {
            mobile: &mobile,
            display_name: &name,
            password_hash: &hash,
            community: &community,
            roles: &roles,
        };
        people::insert(conn, &person, now)
            .map_err(DbError::from)?
            .ok_or_else(|| AdminError::Exists(mobile.masked()))
    })
    .await
}

pub struct HostForm<'a> {
    pub name: &'a str,
    pub origin: &'a str,
    pub community: &'a str,
    pub may_create_residents: bool,
}

/// Registers a host app; returns its credentials, which exist nowhere else (only the secret's
/// digest is kept): [`host_added`] says them once.
pub async fn add_host(
    database: &Database,
    form: HostForm<'_>,
    now: i64,
) -> Result<Credentials, AdminError> {
    let name = HostName::parse(form.name).map_err(AdminError::Name)?;
    let origin = HostOrigin::parse(form.origin)?;
    let community = form.community.trim().to_owned();
    if community.is_empty() {
        return Err(AdminError::NoCommunity);
    }
    let may_create_residents = form.may_create_residents;
    let db = Db::connect(database).await?;
    db.transaction(Tx::Write, move |conn| -> Result<Credentials, AdminError> {
        let credentials = Credentials::generate();
        let host = NewHost {
            credentials: &credentials,
            name: &name,
            origin: &origin,
            community: &community,
            may_create_residents,
        };
        hosts::insert(conn, &host, now).map_err(DbError::from)?;
        Ok(credentials)
    })
    .await
}

/// What `add-host` prints: the credentials, once, and what to do with them.
pub fn host_added(name: &str, credentials: &Credentials) -> String {
    format!(
        "Added host {name}\n\
         client_id: {}\n\
         secret:    {}\n\
         The secret is shown this once and kept only as a digest: store it in the host's server.\n\
         The host's server asks POST /api/v1/host/sign-in-codes with HTTP Basic client_id:secret.\n",
        credentials.client_id, credentials.secret
    )
}
