//! People and their roles.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::account::{DisplayName, Role};
use citizen_core::ids::MemberId;
use citizen_core::phone::MobileNumber;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: MemberId,
    pub mobile: String,
    pub display_name: String,
    pub community: String,
    pub roles: Vec<Role>,
}

impl Person {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn to_api(&self) -> citizen_core::api::Me {
        citizen_core::api::Me {
            id: self.id,
            display_name: self.display_name.clone(),
            mobile: self.mobile.clone(),
            roles: self.roles.clone(),
            community: self.community.clone(),
        }
    }
}

pub struct NewPerson<'a> {
    pub mobile: &'a MobileNumber,
    pub display_name: &'a DisplayName,
    pub password_hash: &'a str,
    pub community: &'a str,
    pub roles: &'a [Role],
}

/// Inserts a person; `None` when the number already has an account.
pub fn insert(conn: &Connection, person: &NewPerson, now: i64) -> sql::Result<Option<MemberId>> {
    let inserted: Option<i64> = conn
        .query_row(
            "INSERT INTO people (mobile, display_name, password_hash, community, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (mobile) DO NOTHING RETURNING id",
            params![
                person.mobile.as_str(),
                person.display_name.as_str(),
                person.password_hash,
                person.community,
                now
            ],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = inserted else {
        return Ok(None);
    };
    let mut add_role =
        conn.prepare_cached("INSERT INTO person_roles (person_id, role) VALUES (?1, ?2)")?;
    for role in person.roles {
        add_role.execute(params![id, role.as_str()])?;
    }
    Ok(Some(MemberId::new(id)))
}

pub fn exists(conn: &Connection, mobile: &MobileNumber) -> sql::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM people WHERE mobile = ?1)",
        [mobile.as_str()],
        |r| r.get(0),
    )
}

fn roles_of(conn: &Connection, id: i64) -> sql::Result<Vec<Role>> {
    let mut statement =
        conn.prepare_cached("SELECT role FROM person_roles WHERE person_id = ?1")?;
    let names = statement.query_map([id], |r| r.get::<_, String>(0))?;
    let mut roles: Vec<Role> = names
        .filter_map(|name| name.ok().and_then(|n| Role::parse(&n)))
        .collect();
    roles.sort();
    Ok(roles)
}

fn person_from_row(conn: &Connection, row: (i64, String, String, String)) -> sql::Result<Person> {
    let (id, mobile, display_name, community) = row;
    Ok(Person {
        roles: roles_of(conn, id)?,
        id: MemberId::new(id),
        mobile,
        display_name,
        community,
    })
}

/// The person and their password hash, for sign-in.
pub fn with_hash(
    conn: &Connection,
    mobile: &MobileNumber,
) -> sql::Result<Option<(Person, String)>> {
    let row = conn
        .query_row(
            "SELECT id, mobile, display_name, community, password_hash FROM people WHERE mobile = ?1",
            [mobile.as_str()],
            |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), r.get::<_, String>(4)?)),
        )
        .optional()?;
    row.map(|(fields, hash)| Ok((person_from_row(conn, fields)?, hash)))
        .transpose()
}

pub fn by_id(conn: &Connection, id: MemberId) -> sql::Result<Option<Person>> {
    let row = conn
        .query_row(
            "SELECT id, mobile, display_name, community FROM people WHERE id = ?1",
            [id.get()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    row.map(|fields| person_from_row(conn, fields)).transpose()
}

/// Everyone in a community, by name, for staff.
pub fn in_community(conn: &Connection, community: &str) -> sql::Result<Vec<Person>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, mobile, display_name, community FROM people
         WHERE community = ?1 ORDER BY display_name, id",
    )?;
    let rows: Vec<(i64, String, String, String)> = statement
        .query_map([community], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<sql::Result<_>>()?;
    rows.into_iter()
        .map(|row| person_from_row(conn, row))
        .collect()
}

/// The id of the person with this number in `community`.
pub fn id_in_community(
    conn: &Connection,
    mobile: &MobileNumber,
    community: &str,
) -> sql::Result<Option<MemberId>> {
    conn.query_row(
        "SELECT id FROM people WHERE mobile = ?1 AND community = ?2",
        params![mobile.as_str(), community],
        |r| r.get(0).map(MemberId::new),
    )
    .optional()
}

/// The community of person `id`, if there is such a person.
pub fn community_of(conn: &Connection, id: MemberId) -> sql::Result<Option<String>> {
    conn.query_row(
        "SELECT community FROM people WHERE id = ?1",
        [id.get()],
        |r| r.get(0),
    )
    .optional()
}

/// The display names of these people (the ones that exist).
pub fn names(
    conn: &Connection,
    ids: impl IntoIterator<Item = MemberId>,
) -> sql::Result<std::collections::HashMap<MemberId, String>> {
    let mut statement = conn.prepare_cached("SELECT display_name FROM people WHERE id = ?1")?;
    let mut names = std::collections::HashMap::new();
    for id in ids {
        if names.contains_key(&id) {
            continue;
        }
        if let Some(name) = statement.query_row([id.get()], |r| r.get(0)).optional()? {
            names.insert(id, name);
        }
    }
    Ok(names)
}

/// Whether the server knows `community`: someone belongs to it, or a host app serves it. There
/// is no list of communities; they come into being with their first account (`add-person`, the
/// demo) or host (`add-host`).
pub fn community_known(conn: &Connection, community: &str) -> sql::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM people WHERE community = ?1)
             OR EXISTS (SELECT 1 FROM hosts WHERE community = ?1)",
        [community],
        |r| r.get(0),
    )
}

/// Replaces a person's password hash.
pub fn set_password_hash(conn: &Connection, id: MemberId, hash: &str) -> sql::Result<()> {
    conn.execute(
        "UPDATE people SET password_hash = ?2 WHERE id = ?1",
        params![id.get(), hash],
    )?;
    Ok(())
}
