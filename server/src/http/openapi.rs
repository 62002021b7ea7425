//! `GET /openapi.json`: the OpenAPI 3 document of `/api/v1`, generated from the routers (each
//! area's `routes()`, `http::documented`), the handlers' annotations and the core's wire types,
//! with the server URL of this deployment's base path.

use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Router, routing::get};
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::openapi::{Content, Ref, RefOr, Required};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Citizen Cloud API", version = "1",
        description = "The reference server's JSON contract. Errors are always `{\"error\": {\"code\", \"message\", \"field\"}}`. Any POST may carry `Idempotency-Key`."),
    modifiers(&BearerAuth),
    tags(
        (name = "account", description = "Sign-in, the signed-in person, favourites, receipts of requests filed at a city"),
        (name = "hosts", description = "For the servers of host apps that embed Citizen Cloud (registered with `citizen-server add-host`): single-use sign-in codes for residents they have verified, exchanged by the embedded app at `POST /session`"),
        (name = "catalog", description = "Service tiles and service points"),
        (name = "requests", description = "诉求: file a request and follow it to the end"),
        (name = "staff", description = "For community staff"),
        (name = "timebank", description = "时间银行: bank the minutes of service given, confirmed by its recipient or staff; give them to family"),
        (name = "volunteer", description = "志愿积分: activities with on-site check-in by a rotating code, points for the time staff verify, the points mall, the monthly leaderboard. A rule's refusal is 409 with the rule's code (`activity_full`, `code_expired`, `out_of_stock`, `not_enough_points`…)"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "host",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
        );
    }
}

/// What every route may answer because of the layers and extractors in front of its handler,
/// added here once (to the whole document, after the routers' paths are in) so that no route can
/// leave it out: on each POST, the `Idempotency-Key` header
/// (1–255 visible ASCII characters, else 422; the same key with another body, 409) and the body
/// limit (413); on each JSON body, the JSON extractor's 400, 413 and 415.
struct Layers;

/// `idempotency::valid_key`, for readers of the document.
pub const IDEMPOTENCY_KEY_PATTERN: &str = r"^[\x21-\x7E]{1,255}$";

impl Modify for Layers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            if let Some(post) = item.post.as_mut() {
                idempotency_key(post);
                answers(
                    post,
                    "409",
                    Also,
                    "`idempotency_conflict`: this `Idempotency-Key` was used with another body, or its first request is still being handled",
                );
                answers(
                    post,
                    "413",
                    IfMissing,
                    "The body is larger than the route's limit (`payload_too_large`)",
                );
                answers(
                    post,
                    "422",
                    Also,
                    "`Idempotency-Key` is not 1–255 visible ASCII characters",
                );
            }
            for operation in [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let takes_json = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| body.content.contains_key("application/json"));
                if takes_json {
                    answers(
                        operation,
                        "400",
                        IfMissing,
                        "The body is not JSON of the documented shape (`invalid_json`, `invalid_field`)",
                    );
                    answers(
                        operation,
                        "413",
                        IfMissing,
                        "The body is larger than 64 KiB (`payload_too_large`)",
                    );
                    answers(
                        operation,
                        "415",
                        IfMissing,
                        "The body is not `application/json` (`unsupported_media_type`)",
                    );
                }
            }
        }
    }
}

/// The `Idempotency-Key` header of a POST, optional, as the guard checks it; a description the
/// route gave is kept.
fn idempotency_key(operation: &mut Operation) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let at = parameters.iter().position(|p| {
        p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("idempotency-key")
    });
    let description = at
        .and_then(|i| parameters[i].description.clone())
        .unwrap_or_else(|| {
            "Retry safely: the same key and body answer the first reply again".to_owned()
        });
    let mut parameter = Parameter::new("Idempotency-Key");
    parameter.parameter_in = ParameterIn::Header;
    parameter.required = Required::False;
    parameter.description = Some(description);
    parameter.schema = Some(RefOr::T(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(255))
            .pattern(Some(IDEMPOTENCY_KEY_PATTERN))
            .into(),
    ));
    match at {
        Some(i) => parameters[i] = parameter,
        None => parameters.push(parameter),
    }
}

/// How [`answers`] treats a status the route documents already.
#[derive(PartialEq)]
enum Reason {
    /// Another reason for it: added to the route's description.
    Also,
    /// The same reason, in the route's own words: left as it is.
    IfMissing,
}
use Reason::{Also, IfMissing};

/// Documents that `operation` may answer `status` with an error body for `why`.
fn answers(operation: &mut Operation, status: &str, reason: Reason, why: &str) {
    let responses = &mut operation.responses.responses;
    match responses.get_mut(status) {
        Some(RefOr::T(response)) => {
            if reason == Also && !response.description.contains(why) {
                response.description = format!("{}; or {why}", response.description);
            }
            if !response.content.contains_key("application/json") {
                response
                    .content
                    .insert("application/json".to_owned(), error_body());
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let response: Response = ResponseBuilder::new()
                .description(why)
                .content("application/json", error_body())
                .build();
            responses.insert(status.to_owned(), RefOr::T(response));
        }
    }
}

fn error_body() -> Content {
    Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
}

/// The document for a server whose API lives at `{base}api/v1`.
pub fn document(base: &str) -> utoipa::openapi::OpenApi {
    let mut doc = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(super::documented())
        .into_openapi();
    Layers.modify(&mut doc);
    doc.servers = Some(vec![Server::new(format!("{base}api/v1"))]);
    doc
}

async fn serve(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.as_ref().clone(),
    )
}

/// The document's own route, left out of the document.
pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(serve))
}
