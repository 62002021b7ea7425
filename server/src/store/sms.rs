//! SMS codes for signing up and resetting a password. A code is kept only as an HMAC-SHA-256
//! under [`SmsKey`], a secret made at start and held in memory alone: six digits are a million
//! possibilities, which a plain or salted digest would give up offline in a moment, but without
//! the key a copied database (or WAL) holds nothing to test guesses against. Online, a code allows
//! five tries (counted before the digits are compared) within five minutes. A restart makes a new
//! key, so a code sent before it no longer verifies: the person asks for another. Replicas on one
//! PostgreSQL must check each other's codes, so there the key is given to every replica
//! (`CITIZEN_SMS_KEY`) and kept by the deployment's secret store, never by the database.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::phone::MobileNumber;
use citizen_core::sms::{self, SmsCode, SmsPurpose, StoredCode};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The key codes are hashed under: 256 random bits, never written anywhere.
#[derive(Clone)]
pub struct SmsKey([u8; 32]);

impl std::fmt::Debug for SmsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmsKey(…)")
    }
}

impl std::str::FromStr for SmsKey {
    type Err = String;

    /// 32 bytes in unpadded base64url (`head -c 32 /dev/urandom | basenc --base64url`, `=` cut).
    fn from_str(raw: &str) -> Result<SmsKey, String> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw.trim().trim_end_matches('='))
            .map_err(|_| "the SMS key is 32 bytes in base64url".to_owned())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the SMS key is 32 bytes in base64url".to_owned())?;
        Ok(SmsKey(key))
    }
}

impl SmsKey {
    pub fn generate() -> SmsKey {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system provides randomness");
        SmsKey(key)
    }

    /// What the rate limits keep in place of a number or an address (`limit_slots.key`): an
    /// HMAC under this key, apart from the codes' by its label, so a copy of the database does not
    /// list who tried to sign in, nor from where, and every replica (sharing the key) finds the
    /// same row. 128 bits in hex.
    pub fn pseudonym(&self, limit: &str, part: &str, key: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        for field in ["limit-slot", limit, part, key] {
            mac.update(field.as_bytes());
            mac.update(b"\n");
        }
        mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The stored form of `code`, bound to the number and purpose it was sent for.
    pub fn digest(&self, purpose: SmsPurpose, mobile: &MobileNumber, code: &SmsCode) -> [u8; 32] {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(purpose.as_str().as_bytes());
        mac.update(b"\n");
        mac.update(mobile.as_str().as_bytes());
        mac.update(b"\n");
        mac.update(code.expose().as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// A new random code (uniform over the million).
pub fn new_code() -> SmsCode {
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).expect("the operating system provides randomness");
        if let Some(code) = SmsCode::from_random(bytes) {
            return code;
        }
    }
}

/// Keeps a new code for `mobile` and `purpose`, replacing any earlier one (its tries with it).
pub fn issue(
    conn: &Connection,
    mobile: &MobileNumber,
    purpose: SmsPurpose,
    code_hash: &[u8; 32],
    now: i64,
) -> sql::Result<()> {
    conn.execute(
        "INSERT INTO sms_codes (mobile, purpose, code_hash, created_at, expires_at, tries)
         VALUES (?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT (mobile, purpose) DO UPDATE SET code_hash = excluded.code_hash,
             created_at = excluded.created_at, expires_at = excluded.expires_at, tries = 0,
             used_at = NULL",
        params![
            mobile.as_str(),
            purpose.as_str(),
            code_hash.as_slice(),
            now,
            now + sms::CODE_LIFETIME_SECS
        ],
    )?;
    Ok(())
}

/// One try of a code: counted first (committed with the caller's transaction even when it
/// fails), then allowed by the core's rule, then compared in constant time; a right code is
/// marked used. True when the code was right and may be used now.
pub fn try_code(
    conn: &Connection,
    mobile: &MobileNumber,
    purpose: SmsPurpose,
    offered: &[u8; 32],
    now: i64,
) -> sql::Result<bool> {
    let row: Option<(Vec<u8>, i64, i64, Option<i64>)> = conn
        .query_row(
            "SELECT code_hash, expires_at, tries, used_at FROM sms_codes
             WHERE mobile = ?1 AND purpose = ?2",
            params![mobile.as_str(), purpose.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((stored, expires_at, tries, used_at)) = row else {
        return Ok(false);
    };
    conn.execute(
        "UPDATE sms_codes SET tries = tries + 1 WHERE mobile = ?1 AND purpose = ?2",
        params![mobile.as_str(), purpose.as_str()],
    )?;
    let state = StoredCode {
        expires_at,
        tries: u32::try_from(tries).unwrap_or(u32::MAX),
        used: used_at.is_some(),
    };
    if !sms::may_try(state, now) {
        return Ok(false);
    }
    let matches: bool = offered.as_slice().ct_eq(stored.as_slice()).into();
    if matches {
        conn.execute(
            "UPDATE sms_codes SET used_at = ?3 WHERE mobile = ?1 AND purpose = ?2",
            params![mobile.as_str(), purpose.as_str(), now],
        )?;
    }
    Ok(matches)
}

/// Deletes codes that can no longer be used (expired or used); returns how many.
pub fn purge(conn: &Connection, now: i64) -> sql::Result<usize> {
    conn.execute(
        "DELETE FROM sms_codes WHERE expires_at <= ?1 OR used_at IS NOT NULL",
        [now],
    )
}
