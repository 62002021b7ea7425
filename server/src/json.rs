//! `ApiJson<T>`: the request-body extractor of every endpoint. It answers bad input in the API's
//! error shape and names the field at fault: malformed JSON, wrong types, missing and unknown
//! fields (400), values that break a rule of the core (422), other media types (415), and bodies
//! over the limit (413).

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

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
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(describe)?;
    deserializer.end().map_err(|e| ApiError::Malformed {
        field: None,
        message: format!("the body is not valid JSON: {e}"),
    })?;
    Ok(value)
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
