//! Property tests: the server decides exactly as the shared validators do, and
//! any secret comes back from the store as it went in, never stored in plain.

mod support;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use connections_api::{drivers, validate_input, ConnectionInput};
use connections_server::store::Record;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use secrecy::{ExposeSecret, SecretString};
use support::*;
use unicode_normalization::UnicodeNormalization;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn the_server_accepts_exactly_what_the_shared_validators_accept() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let h = rt.block_on(harness());
    // mostly valid values, sometimes empty or arbitrary text
    let field = |valid: &'static str| {
        prop_oneof![
            6 => proptest::string::string_regex(valid).expect("regex"),
            1 => Just(String::new()),
            2 => "\\PC{0,12}",
        ]
    };
    let strategy = (
        prop_oneof![
            6 => "[A-Za-z][A-Za-z0-9 ]{0,20}",
            2 => "\\PC{0,110}",
            1 => Just("   ".to_string()),
        ],
        field("[a-zA-Z][a-zA-Z0-9-]{1,12}"),
        field("[0-9]{1,16}"),
        field("[A-Za-z0-9_-]{1,24}"),
        prop::sample::select(vec!["", "us", "eu", "ap", "mars"]),
    );
    let accepted = std::sync::atomic::AtomicU32::new(0);
    let refused = std::sync::atomic::AtomicU32::new(0);
    runner(48)
        .run(&strategy, |(name, cloud, key, secret, region)| {
            let input = ConnectionInput {
                name,
                driver: "cloudinary-default".into(),
                fields: BTreeMap::from([
                    ("cloud_name".to_string(), cloud),
                    ("api_key".to_string(), key),
                    ("api_secret".to_string(), secret.clone()),
                    ("region".to_string(), region.to_string()),
                ]),
            };
            // The server judges the name in its composed form (NFC), which may
            // be longer: some characters never compose and are split.
            let composed = ConnectionInput {
                name: input.name.nfc().collect(),
                ..input.clone()
            };
            let expected = validate_input(&composed, &drivers(), &[]);
            let body = serde_json::to_value(&input).expect("json");
            let a = rt.block_on(create(&h.router, &body));
            match &expected {
                Ok(_) => {
                    accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    prop_assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
                    let id = a.json()["id"].clone();
                    let uri = format!("/api/connections/{id}");
                    let del = rt.block_on(delete(&h.router, &uri));
                    prop_assert_eq!(del.status, StatusCode::NO_CONTENT);
                }
                Err(fields) => {
                    refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    prop_assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
                    let got = a.json()["error"]["fields"].clone();
                    prop_assert_eq!(got, serde_json::to_value(fields).expect("json"));
                }
            }
            if secret.trim().chars().count() >= 6 {
                prop_assert!(
                    !a.text().contains(secret.trim()),
                    "secret echoed: {}",
                    a.text()
                );
            }
            Ok(())
        })
        .expect("property holds");
    let (accepted, refused) = (accepted.into_inner(), refused.into_inner());
    assert!(
        accepted > 0 && refused > 0,
        "both outcomes covered: {accepted} accepted, {refused} refused"
    );
}

#[test]
fn any_secret_round_trips_through_the_store_and_is_never_stored_in_plain() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let h = rt.block_on(harness());
    let store = h.state.store.clone();
    let n = std::sync::atomic::AtomicU32::new(0);
    runner(64)
        .run(&"\\PC{8,64}", |secret| {
            let n = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let record = Record {
                name: format!("Connection {n}"),
                driver: "cloudinary-default".into(),
                fields: BTreeMap::from([("cloud_name".to_string(), "demo".to_string())]),
                secrets: BTreeMap::from([(
                    "api_secret".to_string(),
                    SecretString::from(secret.clone()),
                )]),
            };
            let created = rt
                .block_on(store.create(&record, None, None))
                .expect("created");
            prop_assert!(!created.row.secrets.contains(&secret));
            let row = rt
                .block_on(store.get(created.row.id))
                .expect("query")
                .expect("row");
            let back = store.secrets(&row).expect("decrypts");
            prop_assert_eq!(back["api_secret"].expose_secret(), secret.as_str());
            prop_assert_eq!(
                row.to_connection().secrets_set,
                vec!["api_secret".to_string()]
            );
            Ok(())
        })
        .expect("property holds");
}
