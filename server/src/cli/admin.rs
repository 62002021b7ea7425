//! `citizen-server add-person`: creates an account from the command line, which is how a clean
//! deployment (started without `--demo`) gets its first staff member. Every field is checked by the core.

use crate::password;
use crate::store::db::{Db, DbError};
use crate::store::people::{self, NewPerson};
use citizen_core::account::{DisplayName, NewPassword, PasswordError, Role};
use citizen_core::ids::MemberId;
use citizen_core::phone::{MobileNumber, PhoneError};
use citizen_core::text::TextError;
use std::path::Path;
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
    #[error("{0}")]
    Db(#[from] DbError),
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
    data_dir: &Path,
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
    let db = Db::open(data_dir)?;
    db.run(move |conn| -> Result<MemberId, AdminError> {
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
