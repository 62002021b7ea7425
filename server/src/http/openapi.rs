//! `GET /openapi.json`: the OpenAPI 3 document of `/api/v1`, generated from the handlers and the
//! core's wire types, with the server URL of this deployment's base path.

use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Router, routing::get};
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::server::Server;

#[derive(OpenApi)]
#[openapi(
    info(title = "Citizen Cloud API", version = "1",
        description = "The reference server's JSON contract. Errors are always `{\"error\": {\"code\", \"message\", \"field\"}}`. Any POST may carry `Idempotency-Key`."),
    paths(
        super::session::sign_in, super::session::sign_out,
        super::me::me, super::me::list, super::me::add, super::me::remove,
        super::people::list,
        super::requests::file, super::requests::mine, super::requests::one,
        super::requests::command, super::requests::queue, super::requests::stats,
        super::photos::upload, super::photos::photo,
        super::timebank::account, super::timebank::log, super::timebank::confirm,
        super::timebank::reject, super::timebank::gift, super::timebank::link,
        super::timebank::statement, super::timebank::pool,
        super::volunteer::list, super::volunteer::one, super::volunteer::create,
        super::volunteer::edit, super::volunteer::sign_up, super::volunteer::cancel_sign_up,
        super::volunteer::check_in, super::volunteer::check_out, super::volunteer::code,
        super::volunteer::attendees, super::volunteer::verify, super::volunteer::points,
        super::volunteer::mall, super::volunteer::add_item, super::volunteer::restock,
        super::volunteer::redeem, super::volunteer::cancel_redemption,
        super::volunteer::redemptions, super::volunteer::hand_over,
        super::volunteer::ranking,
        super::catalog::get_catalog, super::catalog::tiles, super::catalog::tile,
        super::catalog::categories, super::catalog::providers, super::catalog::service_points,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "account", description = "Sign-in, the signed-in person, favourites"),
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
    }
}

/// The document for a server whose API lives at `{base}api/v1`.
pub fn document(base: &str) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![Server::new(format!("{base}api/v1"))]);
    doc
}

async fn serve(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.as_ref().clone(),
    )
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/openapi.json", get(serve))
        .with_state(state)
}
