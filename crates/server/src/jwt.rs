//! JWT mode: `Authorization: Bearer <JWT>` signed by a key of a JSON Web Key
//! Set (`CLOUDINARY_CONNECTIONS_JWT_JWKS`, a URL or a file), with the configured
//! issuer and audience.
//!
//! Only RS256, ES256 and EdDSA are accepted; `none` and HMAC never. Each key of
//! the set is bound to the one algorithm its type allows (RSA → RS256, P-256 →
//! ES256, Ed25519 → EdDSA), and a token must name that algorithm: no algorithm
//! confusion. The set is cached; a token naming an unknown `kid` makes the
//! server fetch it again, at most once per [`Verifier::min_refetch`]. A fetch
//! that fails keeps the cached keys and is logged.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use connections_api::Actor;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::auth::Caller;

/// The setting naming the key set.
pub const JWKS_SETTING: &str = "CLOUDINARY_CONNECTIONS_JWT_JWKS";
/// The role that may create, change and delete connections.
pub const WRITE_ROLE: &str = "connections:write";
/// Clock skew allowed on `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 60;
/// Default of [`Verifier::min_refetch`].
pub const MIN_REFETCH: Duration = Duration::from_secs(60);
/// Largest key set accepted.
const MAX_JWKS_BYTES: usize = 1024 * 1024;
/// Longest shown name of a caller (the history stores it).
const MAX_NAME_CHARS: usize = 200;

/// Where the key set comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    Url(String),
    File(PathBuf),
}

impl JwksSource {
    /// An `http://` or `https://` URL, else a file path.
    pub fn parse(value: &str) -> Result<JwksSource, String> {
        let v = value.trim();
        if v.is_empty() {
            return Err(format!("{JWKS_SETTING}: is empty"));
        }
        let lower = v.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            reqwest::Url::parse(v)
                .map_err(|e| format!("{JWKS_SETTING}: {v:?} is not a valid URL: {e}"))?;
            Ok(JwksSource::Url(v.to_string()))
        } else if lower.contains("://") {
            Err(format!(
                "{JWKS_SETTING}: {v:?} must be an http:// or https:// URL or a file path"
            ))
        } else {
            Ok(JwksSource::File(PathBuf::from(v)))
        }
    }
}

/// The JWT settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtSettings {
    pub jwks: JwksSource,
    pub issuer: String,
    pub audience: String,
}

/// One usable key of the set.
#[derive(Clone)]
struct Key {
    alg: Algorithm,
    key: DecodingKey,
}

/// Verifies bearer tokens against the cached key set.
pub struct Verifier {
    settings: JwtSettings,
    http: reqwest::Client,
    keys: RwLock<Arc<HashMap<String, Key>>>,
    /// When the set was last fetched because of an unknown `kid`.
    last_refetch: tokio::sync::Mutex<Option<Instant>>,
    /// Fetches of the set (the first load included), for tests and logs.
    fetches: std::sync::atomic::AtomicU64,
    /// Shortest time between two fetches caused by unknown `kid`s.
    pub min_refetch: Duration,
}

/// Why a token was refused (logged at debug level; the answer is always 401).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub &'static str);

#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default)]
    preferred_username: Option<serde_json::Value>,
    #[serde(default)]
    roles: Option<serde_json::Value>,
}

impl Verifier {
    /// Loads the key set once; an error is one line naming the setting.
    pub async fn load(settings: JwtSettings) -> Result<Verifier, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| format!("{JWKS_SETTING}: cannot build an HTTP client: {e}"))?;
        let verifier = Verifier {
            settings,
            http,
            keys: RwLock::new(Arc::new(HashMap::new())),
            last_refetch: tokio::sync::Mutex::new(None),
            fetches: Default::default(),
            min_refetch: MIN_REFETCH,
        };
        let keys = verifier
            .fetch()
            .await
            .map_err(|e| format!("{JWKS_SETTING}: {e}"))?;
        verifier.replace(keys);
        Ok(verifier)
    }

    /// How often the set has been read (the first load included).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn replace(&self, keys: HashMap<String, Key>) {
        if let Ok(mut k) = self.keys.write() {
            *k = Arc::new(keys);
        }
    }

    fn key(&self, kid: &str) -> Option<Key> {
        self.keys.read().ok().and_then(|k| k.get(kid).cloned())
    }

    /// Reads and parses the set.
    async fn fetch(&self) -> Result<HashMap<String, Key>, String> {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let bytes = match &self.settings.jwks {
            JwksSource::File(path) => tokio::fs::read(path)
                .await
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            JwksSource::Url(url) => {
                let response = self
                    .http
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| format!("cannot fetch {url}: {e}"))?;
                if !response.status().is_success() {
                    return Err(format!("{url} answered {}", response.status()));
                }
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| format!("cannot read {url}: {e}"))?;
                bytes.to_vec()
            }
        };
        if bytes.len() > MAX_JWKS_BYTES {
            return Err("the key set is larger than 1 MiB".into());
        }
        parse_jwks(&bytes)
    }

    /// Fetches the set again after an unknown `kid`, unless that happened less
    /// than [`Self::min_refetch`] ago. A failed fetch keeps the cached keys.
    async fn refetch(&self) {
        let mut last = self.last_refetch.lock().await;
        if last.is_some_and(|t| t.elapsed() < self.min_refetch) {
            return;
        }
        *last = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "fetched the JWT key set again");
                self.replace(keys);
            }
            Err(e) => {
                tracing::warn!(error = %e, "the JWT key set could not be fetched; keeping the cached keys");
            }
        }
    }

    /// The caller a token names, or why it is refused.
    pub async fn verify(&self, token: &str) -> Result<Caller, Refused> {
        // `alg: none` and unknown algorithms fail here already.
        let header = jsonwebtoken::decode_header(token).map_err(|_| Refused("malformed"))?;
        if !matches!(
            header.alg,
            Algorithm::RS256 | Algorithm::ES256 | Algorithm::EdDSA
        ) {
            return Err(Refused("algorithm not allowed"));
        }
        let kid = header.kid.as_deref().ok_or(Refused("no kid"))?;
        let key = match self.key(kid) {
            Some(key) => key,
            None => {
                self.refetch().await;
                self.key(kid).ok_or(Refused("unknown kid"))?
            }
        };
        // The key's type fixes its algorithm: an RSA key never checks an HS256 MAC.
        if key.alg != header.alg {
            return Err(Refused("algorithm does not match the key"));
        }
        let mut validation = Validation::new(key.alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &key.key, &validation)
            .map_err(|_| Refused("invalid"))?;
        caller(data.claims).ok_or(Refused("no subject"))
    }
}

fn caller(claims: Claims) -> Option<Caller> {
    let sub = claims.sub.trim();
    if sub.is_empty() {
        return None;
    }
    let text = |v: Option<serde_json::Value>| {
        v.and_then(|v| v.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
    };
    let name = text(claims.name)
        .or_else(|| text(claims.preferred_username))
        .unwrap_or_else(|| sub.to_string());
    let can_write = claims
        .roles
        .as_ref()
        .and_then(|r| r.as_array())
        .is_some_and(|roles| roles.iter().any(|r| r.as_str() == Some(WRITE_ROLE)));
    Some(Caller {
        actor: Actor {
            id: sub.chars().take(MAX_NAME_CHARS).collect(),
            name: name.chars().take(MAX_NAME_CHARS).collect(),
        },
        can_write,
    })
}

/// The usable keys of a JSON Web Key Set by `kid`; keys of other types, without
/// `kid`, or not for signatures are left out. A set without a usable key is an error.
fn parse_jwks(bytes: &[u8]) -> Result<HashMap<String, Key>, String> {
    #[derive(Deserialize)]
    struct Set {
        keys: Vec<serde_json::Value>,
    }
    let set: Set = serde_json::from_slice(bytes)
        .map_err(|e| format!("is not a JSON Web Key Set ({{\"keys\": […]}}): {e}"))?;
    let mut out = HashMap::new();
    for value in set.keys {
        let Ok(jwk) = serde_json::from_value::<Jwk>(value) else {
            continue;
        };
        if let Some((kid, key)) = usable(&jwk) {
            out.insert(kid, key);
        }
    }
    if out.is_empty() {
        return Err("holds no usable key (RS256, ES256 or EdDSA, with a kid)".into());
    }
    Ok(out)
}

fn usable(jwk: &Jwk) -> Option<(String, Key)> {
    let kid = jwk.common.key_id.clone().filter(|k| !k.is_empty())?;
    if jwk
        .common
        .public_key_use
        .as_ref()
        .is_some_and(|u| *u != PublicKeyUse::Signature)
    {
        return None;
    }
    let alg = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => {
            Algorithm::EdDSA
        }
        _ => return None,
    };
    // A key that names another algorithm is not used for this one.
    if let Some(named) = jwk.common.key_algorithm {
        if named != jsonwebtoken::jwk::KeyAlgorithm::from(alg) {
            return None;
        }
    }
    let key = DecodingKey::from_jwk(jwk).ok()?;
    Some((kid, Key { alg, key }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_a_url_or_a_file() {
        assert_eq!(
            JwksSource::parse("https://id.example.com/jwks.json"),
            Ok(JwksSource::Url("https://id.example.com/jwks.json".into()))
        );
        assert_eq!(
            JwksSource::parse("/etc/connections/jwks.json"),
            Ok(JwksSource::File("/etc/connections/jwks.json".into()))
        );
        for bad in ["", "ftp://x/jwks", "https://"] {
            let e = JwksSource::parse(bad).expect_err(bad);
            assert!(e.starts_with(JWKS_SETTING), "{e}");
        }
    }

    #[test]
    fn a_set_of_hmac_keys_only_is_refused() {
        let set = br#"{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]}"#;
        assert!(parse_jwks(set).is_err());
        assert!(parse_jwks(b"garbage").is_err());
    }
}
