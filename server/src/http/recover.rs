//! A handler that panics is a bug, not a reason to stop serving everyone: tower-http's
//! `CatchPanic` turns the panic into a 500 reply, and [`with_request_id`] words it like every other
//! error, naming the request id so the resident's report can be found in the log.

use crate::REQUEST_ID;
use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use citizen_core::api::{ErrorBody, ErrorDetail};
use std::any::Any;

/// A response extension: this 500 came from a panic.
#[derive(Clone, Copy)]
struct Panicked;

/// `CatchPanic`'s handler: logs the panic (inside the request's span, which carries its id).
pub fn panicked(payload: Box<dyn Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a handler panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Panicked);
    response
}

/// Gives a panic's 500 the API's error body, with the request id.
pub async fn with_request_id(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let response = next.run(request).await;
    if response.extensions().get::<Panicked>().is_none() {
        return response;
    }
    let body = ErrorBody {
        error: ErrorDetail {
            code: "internal".to_owned(),
            message: format!("something went wrong on the server (request id {id})"),
            field: None,
            remaining_minutes: None,
        },
    };
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}
