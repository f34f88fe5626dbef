//! How each driver verifies credentials. The Cloudinary default driver pings the
//! Admin API: `GET {host}/v1_1/{cloud_name}/ping` with basic auth, on the
//! connection's regional host only (or `CLOUDINARY_API_BASE` when set).
//!
//! A verification happens when a user asks for it (save, Test), or on the
//! schedule of `schedule.rs`: never retried.

use std::collections::BTreeMap;
use std::time::Duration;

use connections_api::{
    Region, State, VerifyResult, API_KEY, API_SECRET, CLOUD_NAME, DEFAULT_DRIVER_ID,
};
use secrecy::{ExposeSecret, SecretString};

/// Settings of a verification: the HTTP client, the host override and the timeout.
#[derive(Clone, Copy)]
pub struct Verifier<'a> {
    pub http: &'a reqwest::Client,
    /// `CLOUDINARY_API_BASE`: replaces the host of every region.
    pub api_base: Option<&'a str>,
    pub timeout: Duration,
}

/// The HTTP client for verifications: rustls, no redirects, no proxy from the
/// environment (a secret goes to the regional host and nowhere else).
pub fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!(
            "cloudinary-connections/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        // Never a default client instead: it would follow redirects and use proxies.
        .map_err(|e| format!("cannot build the HTTPS client for Cloudinary: {e}"))
}

/// The host a connection of `driver` with these values sends its secret to.
/// `None` for a driver without remote verification or an unknown region.
pub fn target_host(
    driver: &str,
    fields: &BTreeMap<String, String>,
    api_base: Option<&str>,
) -> Option<String> {
    match driver {
        DEFAULT_DRIVER_ID => {
            let region = Region::parse(
                fields
                    .get(connections_api::REGION)
                    .map_or("us", String::as_str),
            )?;
            Some(match api_base {
                Some(base) => base.trim_end_matches('/').to_string(),
                None => region.api_host().to_string(),
            })
        }
        _ => None,
    }
}

impl Verifier<'_> {
    /// Verifies validated values of `driver` now, once.
    pub async fn verify(
        &self,
        driver: &str,
        fields: &BTreeMap<String, String>,
        secrets: &BTreeMap<String, SecretString>,
    ) -> VerifyResult {
        self.verify_with_reset(driver, fields, secrets).await.0
    }

    /// [`Self::verify`], with the end of a rate limit as Cloudinary sent it
    /// (`X-FeatureRateLimit-Reset`, cleaned), when the answer was 420 or 429.
    pub async fn verify_with_reset(
        &self,
        driver: &str,
        fields: &BTreeMap<String, String>,
        secrets: &BTreeMap<String, SecretString>,
    ) -> (VerifyResult, Option<String>) {
        let mut reset = None;
        let result = match driver {
            DEFAULT_DRIVER_ID => self.ping_cloudinary(fields, secrets, &mut reset).await,
            _ => VerifyResult {
                state: State::Error,
                message: Some("This driver cannot verify credentials.".into()),
                field: None,
                retry_at: None,
            },
        };
        (scrub(result, secrets), reset)
    }

    async fn ping_cloudinary(
        &self,
        fields: &BTreeMap<String, String>,
        secrets: &BTreeMap<String, SecretString>,
        reset_out: &mut Option<String>,
    ) -> VerifyResult {
        let (Some(host), Some(cloud), Some(key), Some(secret)) = (
            target_host(DEFAULT_DRIVER_ID, fields, self.api_base),
            fields.get(CLOUD_NAME),
            fields.get(API_KEY),
            secrets.get(API_SECRET),
        ) else {
            return result(
                State::Error,
                "The Cloud-Name, API-Key, API-Secret or Region is missing.",
                None,
            );
        };
        // The cloud name is validated (letters, digits, "-"), so it is a safe path segment.
        let url = format!("{host}/v1_1/{cloud}/ping");
        let response = self
            .http
            .get(&url)
            .basic_auth(key, Some(secret.expose_secret()))
            .timeout(self.timeout)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                tracing::info!(%cloud, "verification timed out");
                return result(
                    State::Unreachable,
                    &format!(
                        "Cloudinary did not answer within {}. Try again later.",
                        describe_duration(self.timeout)
                    ),
                    None,
                );
            }
            Err(e) => {
                tracing::info!(%cloud, connect = e.is_connect(), "Cloudinary not reachable");
                return result(
                    State::Unreachable,
                    "Cloudinary could not be reached. Check the server's network connection and try again.",
                    None,
                );
            }
        };
        let status = response.status();
        tracing::info!(%cloud, status = status.as_u16(), "verified against Cloudinary");
        match status.as_u16() {
            200 => result(State::Ok, "Cloudinary accepted the credentials.", None),
            401 | 403 => result(
                State::InvalidCredentials,
                "Cloudinary rejected the API-Key or API-Secret. Copy both again from the API Keys page of your Cloudinary Console.",
                Some(API_KEY),
            ),
            404 => result(
                State::InvalidCredentials,
                &format!(
                    "Cloudinary does not know the Cloud-Name \"{cloud}\". Check it on the dashboard of your Cloudinary account."
                ),
                Some(CLOUD_NAME),
            ),
            420 | 429 => {
                let reset = response
                    .headers()
                    .get("x-featureratelimit-reset")
                    .and_then(|v| v.to_str().ok())
                    .map(clean_header)
                    .filter(|v| !v.is_empty());
                reset_out.clone_from(&reset);
                let message = match &reset {
                    Some(at) => format!(
                        "Cloudinary's limit of Admin API calls is reached until {at}. Try again after that time."
                    ),
                    None => "Cloudinary's limit of Admin API calls is reached. Try again later."
                        .to_string(),
                };
                VerifyResult {
                    retry_at: reset.as_deref().and_then(reset_instant),
                    ..result(State::RateLimited, &message, None)
                }
            }
            _ => result(
                State::Error,
                &format!(
                    "Cloudinary answered with HTTP {}{}. Try again later.",
                    status.as_u16(),
                    status
                        .canonical_reason()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ),
                None,
            ),
        }
    }
}

fn result(state: State, message: &str, field: Option<&str>) -> VerifyResult {
    VerifyResult {
        state,
        message: Some(message.to_string()),
        field: field.map(str::to_string),
        retry_at: None,
    }
}

/// `X-FeatureRateLimit-Reset` as RFC 3339 in UTC (`retry_at`, which a client shows in its
/// user's language): an HTTP date (`Wed, 25 Nov 2026 11:00:00 GMT`) or Unix seconds; `None`
/// for anything else (the English message keeps the header's text).
fn reset_instant(header: &str) -> Option<String> {
    use time::format_description::well_known::{Rfc2822, Rfc3339};
    use time::{OffsetDateTime, UtcOffset};
    let header = header.trim();
    let at = if !header.is_empty() && header.bytes().all(|b| b.is_ascii_digit()) {
        OffsetDateTime::from_unix_timestamp(header.parse().ok()?).ok()?
    } else {
        OffsetDateTime::parse(header, &Rfc2822).ok()?
    };
    at.to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

/// Printable ASCII only, at most 64 characters: a header value becomes message text.
fn clean_header(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(64)
        .collect::<String>()
        .trim()
        .to_string()
}

fn describe_duration(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        let s = d.as_secs();
        format!("{s} second{}", if s == 1 { "" } else { "s" })
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Defence in depth: no secret value survives in a message.
fn scrub(mut r: VerifyResult, secrets: &BTreeMap<String, SecretString>) -> VerifyResult {
    if let Some(m) = &mut r.message {
        for s in secrets.values() {
            let s = s.expose_secret();
            if !s.is_empty() && m.contains(s) {
                *m = m.replace(s, "…");
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(region: &str) -> BTreeMap<String, String> {
        [("cloud_name", "demo"), ("api_key", "1"), ("region", region)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn hosts_by_region_and_override() {
        assert_eq!(
            target_host(DEFAULT_DRIVER_ID, &fields("eu"), None).as_deref(),
            Some("https://api-eu.cloudinary.com")
        );
        assert_eq!(
            target_host(DEFAULT_DRIVER_ID, &fields("ap"), None).as_deref(),
            Some("https://api-ap.cloudinary.com")
        );
        assert_eq!(
            target_host(DEFAULT_DRIVER_ID, &BTreeMap::new(), None).as_deref(),
            Some("https://api.cloudinary.com")
        );
        assert_eq!(target_host(DEFAULT_DRIVER_ID, &fields("mars"), None), None);
        assert_eq!(
            target_host(
                DEFAULT_DRIVER_ID,
                &fields("eu"),
                Some("http://127.0.0.1:9/")
            )
            .as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(target_host("other", &fields("us"), None), None);
    }

    #[test]
    fn header_text_is_cleaned() {
        assert_eq!(clean_header(" Tue, 1 Dec\n2026 "), "Tue, 1 Dec2026");
        assert_eq!(clean_header(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn secrets_are_scrubbed() {
        let secrets = BTreeMap::from([("api_secret".to_string(), SecretString::from("s3cr3t"))]);
        let r = scrub(result(State::Error, "echo s3cr3t here", None), &secrets);
        assert_eq!(r.message.as_deref(), Some("echo … here"));
    }

    #[test]
    fn reset_header_becomes_an_rfc3339_instant() {
        assert_eq!(
            reset_instant("Wed, 25 Nov 2026 11:00:00 GMT").as_deref(),
            Some("2026-11-25T11:00:00Z")
        );
        assert_eq!(
            reset_instant("Wed, 25 Nov 2026 12:00:00 +0100").as_deref(),
            Some("2026-11-25T11:00:00Z")
        );
        assert_eq!(
            reset_instant("1795604400").as_deref(),
            Some("2026-11-25T11:00:00Z")
        );
        assert_eq!(reset_instant("soon"), None);
        assert_eq!(reset_instant(""), None);
        assert_eq!(reset_instant("99999999999999999999"), None);
    }
}
