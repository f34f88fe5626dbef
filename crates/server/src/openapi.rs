//! The machine-readable description of the API, `GET /api/openapi.json`,
//! generated (utoipa) from the handlers and the contract types of `connections-api`.

use axum::Json;
use connections_api::{
    Choice, Connection, ConnectionInput, Driver, ErrorBody, ErrorCode, ErrorDetail, Field, Format,
    ListQuery, Order, Page, ProblemDetail, SortKey, State, Status, VerifyRequest, VerifyResult,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cloudinary Connections API",
        description = "Connections of Actindo to Cloudinary accounts. API secrets are write-only: no response carries one."
    ),
    paths(
        crate::api::health,
        crate::ready::ready,
        crate::api::drivers,
        crate::api::list,
        crate::api::create,
        crate::api::get_one,
        crate::api::update,
        crate::api::delete,
        crate::api::verify_stored,
        crate::api::verify,
    ),
    components(schemas(
        Driver, Field, Choice, Format, Connection, ConnectionInput, Status, State, Page,
        VerifyRequest, VerifyResult, ErrorBody, ErrorDetail, ProblemDetail, ErrorCode, SortKey, Order, ListQuery
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
