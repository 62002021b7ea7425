//! Host apps and their sign-in codes. Client ids, secrets and codes are random; secrets and codes
//! are kept only as SHA-256 digests (they are high-entropy random strings, so a plain digest is
//! enough: there is nothing to guess offline), and a secret is compared in constant time.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use citizen_core::embed::HostCode;
use citizen_core::host::{HostName, HostOrigin, code_expires_at, code_redeemable};
use citizen_core::phone::MobileNumber;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Every client id starts with this, so a log line or a leaked header says what it is.
pub const CLIENT_ID_PREFIX: &str = "host_";

/// `bytes` random bytes from the operating system as unpadded base64url.
fn random_text(bytes: usize) -> String {
    let mut random = vec![0u8; bytes];
    getrandom::fill(&mut random).expect("the operating system provides randomness");
    URL_SAFE_NO_PAD.encode(random)
}

pub fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A new host's credentials, shown to the operator once.
pub struct Credentials {
    /// `host_` and 16 random base64url characters (96 bits): public, it names the host.
    pub client_id: String,
    /// 256 random bits as 43 base64url characters: only its digest is kept.
    pub secret: String,
}

impl Credentials {
    pub fn generate() -> Credentials {
        Credentials {
            client_id: format!("{CLIENT_ID_PREFIX}{}", random_text(12)),
            secret: random_text(32),
        }
    }
}

/// Whether `text` could be a client id at all (what the limits and the log may key on).
pub fn plausible_client_id(text: &str) -> bool {
    text.len() <= 64
        && text.starts_with(CLIENT_ID_PREFIX)
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub struct NewHost<'a> {
    pub credentials: &'a Credentials,
    pub name: &'a HostName,
    pub origin: &'a HostOrigin,
    pub community: &'a str,
    pub may_create_residents: bool,
}

/// Registers a host; returns its row id.
pub fn insert(conn: &Connection, host: &NewHost, now: i64) -> sql::Result<i64> {
    conn.query_row(
        "INSERT INTO hosts (client_id, secret_hash, name, origin, community,
             may_create_residents, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![
            host.credentials.client_id,
            digest(&host.credentials.secret).as_slice(),
            host.name.as_str(),
            host.origin.as_str(),
            host.community,
            host.may_create_residents,
            now
        ],
        |r| r.get(0),
    )
}

/// A registered host, as the routes need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub id: i64,
    pub client_id: String,
    pub community: String,
    pub may_create_residents: bool,
}

const HOST_COLUMNS: &str = "id, client_id, community, may_create_residents";

fn host_from_row(r: &sql::Row) -> sql::Result<Host> {
    Ok(Host {
        id: r.get(0)?,
        client_id: r.get(1)?,
        community: r.get(2)?,
        may_create_residents: r.get(3)?,
    })
}

/// The host these credentials prove, if they prove one. An unknown client id is compared against
/// a digest all the same, so both refusals take the same work.
pub fn authenticate(conn: &Connection, client_id: &str, secret: &str) -> sql::Result<Option<Host>> {
    let found: Option<(Host, Vec<u8>)> = conn
        .query_row(
            &format!("SELECT {HOST_COLUMNS}, secret_hash FROM hosts WHERE client_id = ?1"),
            [client_id],
            |r| Ok((host_from_row(r)?, r.get(4)?)),
        )
        .optional()?;
    let offered = digest(secret);
    let (host, stored) = match found {
        Some((host, stored)) => (Some(host), stored),
        None => (None, vec![0u8; 32]),
    };
    let matches: bool = offered.as_slice().ct_eq(stored.as_slice()).into();
    Ok(host.filter(|_| matches))
}

/// A new single-use code: 256 random bits as 43 base64url characters.
pub fn new_code() -> HostCode {
    HostCode::parse(&random_text(32)).expect("43 base64url characters are a host code")
}

/// Keeps a digest of `code`, issued now by `host_id` for `mobile`; returns when it expires.
pub fn issue(
    conn: &Connection,
    host_id: i64,
    mobile: &MobileNumber,
    code: &HostCode,
    now: i64,
) -> sql::Result<i64> {
    let expires_at = code_expires_at(now);
    conn.execute(
        "INSERT INTO host_codes (code_hash, host_id, mobile, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            digest(code.as_str()).as_slice(),
            host_id,
            mobile.as_str(),
            now,
            expires_at
        ],
    )?;
    Ok(expires_at)
}

/// What a code's digest found.
pub enum Redeemed {
    /// No such code (never issued, or purged after it expired).
    Unknown,
    /// Issued by this host, but used already or expired.
    Spent { client_id: String },
    /// Valid: now marked used. The host that asked for it, and the number it was for.
    Valid { host: Host, mobile: String },
}

/// Marks the code with this digest used, if the core says it may be used now. Run it in the
/// transaction that opens the session, so the two happen together or not at all.
pub fn redeem(conn: &Connection, code_digest: &[u8; 32], now: i64) -> sql::Result<Redeemed> {
    let row: Option<(i64, String, i64, Option<i64>)> = conn
        .query_row(
            "SELECT host_id, mobile, expires_at, used_at FROM host_codes WHERE code_hash = ?1",
            [code_digest.as_slice()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((host_id, mobile, expires_at, used_at)) = row else {
        return Ok(Redeemed::Unknown);
    };
    let host = conn.query_row(
        &format!("SELECT {HOST_COLUMNS} FROM hosts WHERE id = ?1"),
        [host_id],
        host_from_row,
    )?;
    if !code_redeemable(expires_at, used_at, now) {
        return Ok(Redeemed::Spent {
            client_id: host.client_id,
        });
    }
    let marked = conn.execute(
        "UPDATE host_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL",
        params![code_digest.as_slice(), now],
    )?;
    if marked != 1 {
        return Ok(Redeemed::Spent {
            client_id: host.client_id,
        });
    }
    Ok(Redeemed::Valid { host, mobile })
}

/// Deletes codes that can no longer be used; returns how many.
pub fn purge(conn: &Connection, now: i64) -> sql::Result<usize> {
    conn.execute("DELETE FROM host_codes WHERE expires_at <= ?1", [now])
}
