//! `ApiJson<T>`: the request-body extractor of every endpoint. It answers bad input in the API's
//! error shape and names the field at fault: malformed JSON, wrong types, missing and unknown
//! fields (400), values that break a rule of the core (422), other media types (415), and bodies
//! over the limit (413).

use crate::http::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// Bodies are small forms; anything larger is refused before it is read.
pub const BODY_LIMIT: usize = 64 * 1024;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge(BODY_LIMIT)
                } else {
                    ApiError::Malformed {
                        field: None,
                        message: rejection.body_text(),
                    }
                }
            })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Deserialises `bytes`, turning serde's error into one that names the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes = whole_numbers(bytes);
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(describe)?;
    deserializer.end().map_err(|e| ApiError::Malformed {
        field: None,
        message: format!("the body is not valid JSON: {e}"),
    })?;
    Ok(value)
}

/// A number with no fraction is an integer, however it is written (`2.0`, `1e3`): so JSON Schema
/// counts it, and so the OpenAPI document's `integer` means it. serde reads an integer field
/// only from an integer literal, so each such literal outside strings is rewritten as the plain
/// integer first. Everything else (fractions, huge exponents, what is not JSON) stays as sent.
fn whole_numbers(bytes: &[u8]) -> Cow<'_, [u8]> {
    let mut rewritten: Option<Vec<u8>> = None;
    let (mut i, mut copied, mut in_string) = (0, 0, false);
    while i < bytes.len() {
        let byte = bytes[i];
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                if let Some(integer) = integer_of(&bytes[start..i]) {
                    let out = rewritten.get_or_insert_with(|| Vec::with_capacity(bytes.len()));
                    out.extend_from_slice(&bytes[copied..start]);
                    out.extend_from_slice(integer.as_bytes());
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    match rewritten {
        Some(mut out) => {
            out.extend_from_slice(&bytes[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(bytes),
    }
}

/// The integer a JSON number literal with a fraction or an exponent spells exactly, if it spells
/// one of at most 20 digits (beyond any integer field); `None` for anything else, including a
/// literal that is already a plain integer or is not JSON.
fn integer_of(literal: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(literal).ok()?;
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // JSON's grammar: no leading zeros, digits on both sides of the point, a signed exponent.
    if !digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    if fraction.is_some_and(|f| !digits(f)) || (fraction.is_none() && exponent.is_none()) {
        return None;
    }
    let shift: i64 = match exponent {
        Some(e) => {
            let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
            if !digits(unsigned) || unsigned.len() > 4 {
                return None;
            }
            e.parse().ok()?
        }
        None => 0,
    };
    let all: String = [whole, fraction.unwrap_or("")].concat();
    let point = i64::try_from(whole.len()).ok()? + shift;
    if point > 20 {
        return None;
    }
    let point = usize::try_from(point.max(0)).ok()?;
    let (integer, rest) = all.split_at(point.min(all.len()));
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let integer = format!("{integer}{}", "0".repeat(point.saturating_sub(all.len())));
    let integer = integer.trim_start_matches('0');
    Some(match (integer.is_empty(), negative) {
        (true, _) => "0".to_owned(),
        (false, true) => format!("-{integer}"),
        (false, false) => integer.to_owned(),
    })
}

fn describe(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let reason = strip_position(&inner.to_string());
    if !inner.is_data() {
        return ApiError::Malformed {
            field: None,
            message: format!("the body is not valid JSON: {reason}"),
        };
    }
    name_the_field(&path, reason)
}

/// `ApiQuery<T>`: query parameters, with the same errors as bodies (the parameter is the field).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let path = error.path().to_string();
                // Query parameters are plain text, so every failure is one of shape (400).
                match name_the_field(&path, error.into_inner().to_string()) {
                    ApiError::Invalid { field, message } => ApiError::Malformed {
                        field: Some(field),
                        message,
                    },
                    other => other,
                }
            })
    }
}

fn name_the_field(path: &str, reason: String) -> ApiError {
    // A missing field is reported at its parent, with its name in backticks.
    let missing = reason
        .starts_with("missing field")
        .then(|| between_backticks(&reason))
        .flatten();
    let field = match (path, missing) {
        (".", Some(name)) => name.to_owned(),
        (parent, Some(name)) => format!("{parent}.{name}"),
        (".", None) => between_backticks(&reason)
            .filter(|_| reason.starts_with("unknown field"))
            .unwrap_or("body")
            .to_owned(),
        (path, None) => path.to_owned(),
    };
    if is_shape_error(&reason) {
        ApiError::Malformed {
            message: format!("{field}: {reason}"),
            field: Some(field),
        }
    } else {
        // Anything else comes from a newtype's own check in the core (`MobileNumber::parse`…).
        ApiError::invalid(&field, reason)
    }
}

fn is_shape_error(reason: &str) -> bool {
    [
        "invalid type",
        "missing field",
        "unknown field",
        "invalid length",
        "invalid value",
    ]
    .iter()
    .any(|prefix| reason.starts_with(prefix))
}

fn between_backticks(text: &str) -> Option<&str> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(&text[start..start + len])
}

/// serde_json appends " at line 1 column 20"; the field name says more to an app developer.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// A `201 Created` answer: `body` as JSON, and where the new thing lives (`Location`, relative
/// to the collection it was posted to).
pub fn created(location: String, body: impl serde::Serialize) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use citizen_core::api::SignIn;

    fn field_of(body: &str) -> (u16, Option<String>) {
        let e = parse::<SignIn>(body.as_bytes()).unwrap_err();
        let status = e.status().as_u16();
        match e {
            ApiError::Malformed { field, .. } => (status, field),
            ApiError::Invalid { field, .. } => (status, Some(field)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_number_with_no_fraction_is_an_integer() {
        for (literal, integer) in [
            ("2.0", Some("2")),
            ("-2.00", Some("-2")),
            ("1e3", Some("1000")),
            ("1.5E+1", Some("15")),
            ("1200e-2", Some("12")),
            ("-0.0", Some("0")),
            ("0.0e5", Some("0")),
            ("9007199254740993.0", Some("9007199254740993")),
            ("2.5", None),
            ("1e-1", None),
            ("12", None),
            ("1e30", None),
            ("01.0", None),
            ("1.", None),
            ("1.0e", None),
            ("--1.0", None),
        ] {
            assert_eq!(
                integer_of(literal.as_bytes()).as_deref(),
                integer,
                "{literal}"
            );
        }
        let body = br#"{"minutes": 90.0, "note": "\"1.0\" stays 1.0", "at": [1e2, 2.5]}"#;
        assert_eq!(
            whole_numbers(body).as_ref(),
            br#"{"minutes": 90, "note": "\"1.0\" stays 1.0", "at": [100, 2.5]}"#
        );
        let untouched = br#"{"minutes": 90}"#;
        assert!(matches!(whole_numbers(untouched), Cow::Borrowed(_)));
    }

    #[test]
    fn each_kind_of_bad_body_names_its_field() {
        assert_eq!(field_of("{"), (400, None));
        assert_eq!(field_of("[]"), (400, Some("body".into())));
        assert_eq!(
            field_of(r#"{"mobile": 13800000001, "password": "x"}"#),
            (400, Some("mobile".into()))
        );
        assert_eq!(
            field_of(r#"{"mobile": "13800000001"}"#),
            (400, Some("password".into()))
        );
        assert_eq!(
            field_of(r#"{"mobile": "13800000001", "password": "x", "admin": true}"#),
            (400, Some("admin".into()))
        );
        assert_eq!(
            field_of(r#"{"mobile": "12345", "password": "x"}"#),
            (422, Some("mobile".into()))
        );
        assert_eq!(
            field_of(r#"{"mobile": "13800000001", "password": ""}"#),
            (422, Some("password".into()))
        );
        assert_eq!(
            field_of(r#"{"mobile": "13800000001", "password": "x"} trailing"#),
            (400, None)
        );
    }
}
