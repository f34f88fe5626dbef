//! The OpenAPI document: the checked-in `docs/openapi.json` is the generated
//! one, it is what the server serves, and its patterns accept exactly what the
//! server's validation accepts.

mod support;

use std::path::PathBuf;
use std::sync::LazyLock;

use axum::http::StatusCode;
use connections_api::{default_driver, validate_field, validate_name, MAX_LIMIT, MAX_QUERY_LEN};
use proptest::prelude::*;
use regex::Regex;
use serde_json::Value;
use support::*;

fn checked_in() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

fn pretty(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("serializes");
    s.push('\n');
    s
}

#[test]
fn docs_openapi_json_is_the_generated_document() {
    let generated = pretty(&connections_server::openapi::document());
    let path = checked_in();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/openapi.json");
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/openapi.json is stale; regenerate it with\n  \
         UPDATE_OPENAPI=1 cargo test -p connections-server --test openapi\nand commit it"
    );
}

#[tokio::test]
async fn the_server_serves_the_document() {
    let h = harness().await;
    let a = send(&h.router, get("/api/openapi.json")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), connections_server::openapi::document());
}

fn doc() -> Value {
    DOC.clone()
}

static DOC: LazyLock<Value> = LazyLock::new(connections_server::openapi::document);

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn every_error_answer_is_documented_with_the_error_body() {
    let doc = doc();
    let ops = operations(&doc);
    assert_eq!(ops.len(), 13);
    for (path, method, op) in ops {
        let responses = op["responses"].as_object().expect("responses");
        let public = path == "/api/health" || path == "/api/ready";
        let mut must = vec!["400", "500"];
        if !public {
            must.push("401");
        }
        if matches!(method.as_str(), "post" | "put" | "delete") {
            must.push("403");
        }
        if op.get("requestBody").is_some() {
            must.extend(["413", "415", "422"]);
        }
        if path.contains("{id}") {
            must.push("404");
        }
        for status in must {
            assert!(
                responses.contains_key(status),
                "{method} {path} lacks {status}"
            );
        }
        for (status, r) in responses {
            // /api/ready answers 503 with its own `{"status":"unavailable"}`.
            let own_body = path == "/api/ready" && status == "503";
            if !status.starts_with('2') && !own_body {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
        assert_eq!(
            op.get("security") == Some(&serde_json::json!([])),
            public,
            "{method} {path}: only health and ready need no token"
        );
    }
    let put = &doc["paths"]["/api/connections/{id}"]["put"]["responses"];
    for status in ["412", "428"] {
        assert!(put[status].is_object(), "PUT answers {status}");
    }
    assert!(put["409"].is_null(), "a stale version is a 412 now");
    let codes: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for code in ["method_not_allowed", "forbidden", "conflict", "bad_request"] {
        assert!(codes.contains(&code), "{code}");
    }
}

#[test]
fn the_limits_are_the_servers() {
    let doc = doc();
    let params = doc["paths"]["/api/connections"]["get"]["parameters"]
        .as_array()
        .expect("params")
        .clone();
    let schema = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["schema"].clone())
            .unwrap_or_default()
    };
    assert_eq!(schema("q")["maxLength"], MAX_QUERY_LEN);
    assert_eq!(schema("limit")["maximum"], MAX_LIMIT);
    assert_eq!(schema("limit")["minimum"], 1);
    let links = &doc["paths"]["/api/connections"]["post"]["responses"]["201"]["links"];
    for (link, op) in [
        ("GetConnection", "get_one"),
        ("UpdateConnection", "update"),
        ("DeleteConnection", "delete"),
        ("VerifyConnection", "verify_stored"),
    ] {
        assert_eq!(links[link]["operationId"], op, "{link}");
    }
    let ids: Vec<String> = operations(&doc)
        .into_iter()
        .map(|(_, _, op)| op["operationId"].as_str().unwrap_or_default().to_string())
        .collect();
    for op in ["get_one", "update", "delete", "verify_stored"] {
        assert!(ids.iter().any(|id| id == op), "links name operation {op}");
    }
}

fn pattern(doc: &Value, pointer: &str) -> Regex {
    let p = doc
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no pattern at {pointer}"));
    Regex::new(p).unwrap_or_else(|e| panic!("{pointer}: {e}"))
}

/// Characters that exercise trimming, control and format characters, and lengths.
fn text(max: usize) -> impl Strategy<Value = String> {
    let c = prop_oneof![
        Just('a'),
        Just('Z'),
        Just('7'),
        Just('-'),
        Just('_'),
        Just(' '),
        Just('\t'),
        Just('\n'),
        Just('\u{1c}'),
        Just('\u{7}'),
        Just('\u{85}'),
        Just('\u{a0}'),
        Just('\u{2003}'),
        Just('\u{3000}'),
        Just('é'),
        Just('"'),
        Just('\u{200b}'),
        Just('\u{feff}'),
        Just('\u{2066}'),
    ];
    proptest::collection::vec(c, 0..max).prop_map(|v| v.into_iter().collect())
}

fn name_like() -> impl Strategy<Value = String> {
    prop_oneof![
        text(8),
        (1usize..4, 95usize..104, 0usize..3).prop_map(|(lead, core, trail)| format!(
            "{}{}{}",
            " ".repeat(lead),
            "n".repeat(core),
            "\t".repeat(trail)
        )),
        text(110),
    ]
}

/// The published name patterns, compiled once.
static NAME_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    ["ConnectionInput", "ConnectionUpdate"]
        .iter()
        .map(|s| {
            pattern(
                &DOC,
                &format!("/components/schemas/{s}/properties/name/pattern"),
            )
        })
        .collect()
});

/// Each field of the default driver with its create and its update pattern.
static FIELD_RES: LazyLock<Vec<(connections_api::Field, Regex, Regex)>> = LazyLock::new(|| {
    let at = |schema: &str, key: &str| {
        pattern(
            &DOC,
            &format!("/components/schemas/{schema}/properties/fields/properties/{key}/pattern"),
        )
    };
    default_driver()
        .fields
        .into_iter()
        .map(|f| {
            let (complete, kept) = (
                at("ConnectionInput", &f.key),
                at("ConnectionUpdate", &f.key),
            );
            (f, complete, kept)
        })
        .collect()
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_name_pattern_accepts_what_the_server_does(name in name_like()) {
        for re in NAME_RES.iter() {
            prop_assert_eq!(re.is_match(&name), validate_name(&name).is_ok(), "{:?}", name);
        }
    }

    #[test]
    fn field_patterns_accept_what_the_server_does(
        value in prop_oneof![text(6), text(20), "[ ]?[a-z][a-z0-9-]{120,130}[ ]?", "[ ]?(us|eu|ap|mars)[ ]?"]
    ) {
        for (field, complete, kept) in FIELD_RES.iter() {
            prop_assert_eq!(
                complete.is_match(&value),
                validate_field(field, &value, false).is_ok(),
                "{} {:?}", field.key, value
            );
            prop_assert_eq!(
                kept.is_match(&value),
                validate_field(field, &value, true).is_ok(),
                "{} kept {:?}", field.key, value
            );
        }
    }
}

#[test]
fn the_name_pattern_spot_checks() {
    let re = pattern(
        &doc(),
        "/components/schemas/ConnectionInput/properties/name/pattern",
    );
    for ok in [
        "a",
        " Shop EU ",
        &"x".repeat(100),
        &format!(" {} ", "x".repeat(100)),
    ] {
        assert!(re.is_match(ok), "{ok:?}");
    }
    for bad in [
        "",
        "   ",
        "\u{3000}",
        &"x".repeat(101),
        "a\u{7}b",
        "a\u{200b}b",
    ] {
        assert!(!re.is_match(bad), "{bad:?}");
    }
}
