//! The machine-readable description of the API, `GET /api/openapi.json`:
//! generated (utoipa) from the handlers and the contract types of
//! `connections-api`, then given what utoipa cannot derive: the request bodies
//! written from the drivers' declarations (`bodies`), the error answers every
//! operation shares, the header syntax and the links (`responses`).
//! `docs/openapi.json` is this document; a test fails when it is stale.

mod bodies;
mod responses;

use axum::Json;
use connections_api::{
    Action, Actor, Choice, Connection, Driver, ErrorBody, ErrorCode, ErrorDetail, Event, EventPage,
    EventStatus, Field, Format, HistoryQuery, Me, Order, Page, ProblemDetail, SortKey, State,
    Status, VerifyResult,
};
use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::Health;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cloudinary Connections API",
        description = "Connections of Actindo to Cloudinary accounts. API secrets are write-only: no response carries one. Every error answer has the ErrorBody shape."
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
        crate::metrics::endpoint,
        crate::api::history,
        crate::api::me,
    ),
    components(schemas(
        Driver, Field, Choice, Format, Connection, Status, State, Page, VerifyResult, ErrorBody,
        ErrorDetail, ProblemDetail, ErrorCode, SortKey, Order, Health, Actor, Me, Action, Event,
        EventStatus, EventPage, HistoryQuery
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

/// The OpenAPI document of the drivers the server offers.
pub fn document() -> Value {
    let drivers = connections_api::drivers();
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let schemas = &mut doc["components"]["schemas"];
    schemas["ConnectionInput"] = bodies::connection_input(&drivers);
    schemas["ConnectionUpdate"] = bodies::connection_update(&drivers);
    schemas["VerifyRequest"] = bodies::verify_request(&drivers);
    schemas["VerifyStoredRequest"] = bodies::verify_stored_request();
    let body = |name: &str| {
        json!({
            "required": true,
            "content": { "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{name}") }
            } }
        })
    };
    let paths = &mut doc["paths"];
    paths["/api/connections"]["post"]["requestBody"] = body("ConnectionInput");
    paths["/api/connections/{id}"]["put"]["requestBody"] = body("ConnectionUpdate");
    paths["/api/connections/{id}/verify"]["post"]["requestBody"] = body("VerifyStoredRequest");
    paths["/api/verify"]["post"]["requestBody"] = body("VerifyRequest");
    responses::complete_operations(&mut doc);
    responses::link_created(&mut doc);
    doc
}

pub async fn openapi_json() -> Json<Value> {
    Json(document())
}
