//! The answers every operation shares (each with the Error body), the header
//! parameters' syntax, who needs a token, and the links from a created
//! connection to the operations on it.

use serde_json::{json, Map, Value};

/// Error answers by status, with what causes them.
const ERRORS: &[(&str, &str)] = &[
    ("400", "Malformed request: JSON that does not parse, an invalid query or header value, or (without a token configured) a Host that is not the server's loopback address"),
    ("401", "No valid bearer token: not the shared token, or in JWT mode no valid JWT of the configured key set, issuer and audience"),
    ("408", "The request took longer than the server allows"),
    ("403", "Refused: an Origin header that is not the server's own"),
    ("413", "Body over 64 KiB"),
    ("415", "The body is not sent as Content-Type: application/json"),
    ("421", "Misdirected (without a token configured): the Host is not the server's loopback address"),
    ("500", "Something broke inside the server; the cause is logged, never sent"),
];

/// The operations that need no token.
const PUBLIC: &[(&str, &str)] = &[("/api/health", "get"), ("/api/ready", "get")];

/// Adds to every operation the error answers it can give, says which need no
/// token, and gives the header parameters their syntax.
pub fn complete_operations(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let public = PUBLIC.contains(&(path.as_str(), method.as_str()));
            let writes = matches!(method.as_str(), "post" | "put" | "delete");
            let has_body = op.get("requestBody").is_some();
            if public {
                op["security"] = json!([]);
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for (status, description) in ERRORS {
                let applies = match *status {
                    "401" => !public,
                    "403" => writes,
                    "413" | "415" => has_body,
                    _ => true,
                };
                if applies && !responses.contains_key(*status) {
                    let role = *status == "403"
                        && path.starts_with("/api/connections")
                        && !path.ends_with("/verify");
                    let description = if role {
                        format!(
                            "{description}, or (JWT mode) a caller without the role {}",
                            crate::jwt::WRITE_ROLE
                        )
                    } else {
                        description.to_string()
                    };
                    responses.insert(status.to_string(), error_response(&description));
                }
            }
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params.iter_mut() {
                    constrain_header(p);
                }
            }
        }
    }
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }
    })
}

/// The syntax the handlers check, on the header parameters.
fn constrain_header(p: &mut Value) {
    let name = p["name"].as_str().unwrap_or_default().to_ascii_lowercase();
    let pattern = match name.as_str() {
        "if-match" => crate::if_match::PATTERN.to_string(),
        "idempotency-key" => format!("^[\\x21-\\x7E]{{1,{}}}$", crate::api::IDEMPOTENCY_KEY_MAX),
        _ => return,
    };
    p["schema"] = json!({ "type": "string", "pattern": pattern });
}

/// Links from `201` of `POST /api/connections` to the operations on the new
/// connection, so that a client (and stateful testing) can follow them.
pub fn link_created(doc: &mut Value) {
    let id = "$response.body#/id";
    let links = json!({
        "GetConnection": {
            "operationId": "get_one",
            "parameters": { "path.id": id },
            "description": "The connection just created"
        },
        "UpdateConnection": {
            "operationId": "update",
            "parameters": { "path.id": id, "header.If-Match": "$response.header.ETag" },
            "description": "Replace it, at the version just created"
        },
        "DeleteConnection": {
            "operationId": "delete",
            "parameters": { "path.id": id },
            "description": "Delete it"
        },
        "VerifyConnection": {
            "operationId": "verify_stored",
            "parameters": { "path.id": id },
            "description": "Verify its stored credentials again"
        },
    });
    if let Some(created) = doc
        .pointer_mut("/paths/~1api~1connections/post/responses/201")
        .and_then(Value::as_object_mut)
    {
        created.insert("links".into(), links);
    }
    let mut from_get = Map::new();
    from_get.insert(
        "UpdateConnection".into(),
        json!({
            "operationId": "update",
            "parameters": { "path.id": "$request.path.id", "header.If-Match": "$response.header.ETag" },
            "description": "Replace it, at the version just read"
        }),
    );
    if let Some(read) = doc
        .pointer_mut("/paths/~1api~1connections~1{id}/get/responses/200")
        .and_then(Value::as_object_mut)
    {
        read.insert("links".into(), Value::Object(from_get));
    }
}
