//! The Cloudinary *API environment variable* (`CLOUDINARY_URL`), read as Cloudinary's SDKs
//! read it: `cloudinary://<api_key>:<api_secret>@<cloud_name>[/<private_cdn_host>][?<setting>=<value>&…]`.
//!
//! A connection needs the credentials and the API host (`upload_prefix`, which gives the
//! region). The SDKs also take delivery settings from it (a private CDN host after the cloud
//! name; `secure_distribution`, `private_cdn`, `cname`, `secure`, `cdn_subdomain`, any other
//! setting as a query parameter): those are accepted and left out, and
//! [`EnvCredentials::ignored`] names them so a user interface can say so.

use std::fmt;

use crate::drivers::Region;

/// Credentials read from an API environment variable.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvCredentials {
    pub cloud_name: String,
    pub api_key: String,
    pub api_secret: String,
    pub region: Region,
    /// Settings in the value that a connection does not need (delivery settings), in the
    /// order they came: `private_cdn_host` for a path after the cloud name, else the
    /// parameter's name.
    pub ignored: Vec<String>,
}

impl fmt::Debug for EnvCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvCredentials")
            .field("cloud_name", &self.cloud_name)
            .field("api_key", &self.api_key)
            .field("api_secret", &"<redacted>")
            .field("region", &self.region)
            .field("ignored", &self.ignored)
            .finish()
    }
}

/// What is wrong with a pasted value. `Display` says it in the user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvVarError {
    Empty,
    WrongScheme,
    MissingAt,
    MissingKey,
    MissingSecret,
    MissingCloudName,
    UnknownUploadPrefix(String),
    UnknownParameter(String),
}

impl fmt::Display for EnvVarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvVarError::Empty => write!(f, "Paste the API environment variable from the API Keys page of your Cloudinary Console."),
            EnvVarError::WrongScheme => write!(f, "The value must start with cloudinary:// (for example cloudinary://123456789012345:abcd@my-cloud)."),
            EnvVarError::MissingAt => write!(f, "The \"@\" before the cloud name is missing: use cloudinary://<api_key>:<api_secret>@<cloud_name>."),
            EnvVarError::MissingKey => write!(f, "The API key is missing before the \":\"."),
            EnvVarError::MissingSecret => write!(f, "The API secret is missing: replace <your_api_secret> with your actual secret."),
            EnvVarError::MissingCloudName => write!(f, "The cloud name after the \"@\" is missing."),
            EnvVarError::UnknownUploadPrefix(h) => write!(f, "The upload_prefix \"{h}\" is not a Cloudinary API host (api.cloudinary.com, api-eu.cloudinary.com or api-ap.cloudinary.com)."),
            EnvVarError::UnknownParameter(p) => write!(f, "\"{p}\" is not a setting name: a parameter is a name of letters, digits and _, then = and its value."),
        }
    }
}

impl std::error::Error for EnvVarError {}

impl EnvVarError {
    /// One error of each kind, with `param` as the host or the parameter's
    /// name: for the tests and catalogues that must cover every code.
    pub fn examples(param: &str) -> Vec<EnvVarError> {
        let all = vec![
            EnvVarError::Empty,
            EnvVarError::WrongScheme,
            EnvVarError::MissingAt,
            EnvVarError::MissingKey,
            EnvVarError::MissingSecret,
            EnvVarError::MissingCloudName,
            EnvVarError::UnknownUploadPrefix(param.into()),
            EnvVarError::UnknownParameter(param.into()),
        ];
        // A new kind does not compile here until it is in the list above.
        for e in &all {
            match e {
                EnvVarError::Empty
                | EnvVarError::WrongScheme
                | EnvVarError::MissingAt
                | EnvVarError::MissingKey
                | EnvVarError::MissingSecret
                | EnvVarError::MissingCloudName
                | EnvVarError::UnknownUploadPrefix(_)
                | EnvVarError::UnknownParameter(_) => {}
            }
        }
        all
    }

    /// The stable code (`snake_case`), for a user interface to say it in its language.
    pub fn code(&self) -> &'static str {
        match self {
            EnvVarError::Empty => "env_empty",
            EnvVarError::WrongScheme => "env_wrong_scheme",
            EnvVarError::MissingAt => "env_missing_at",
            EnvVarError::MissingKey => "env_missing_key",
            EnvVarError::MissingSecret => "env_missing_secret",
            EnvVarError::MissingCloudName => "env_missing_cloud_name",
            EnvVarError::UnknownUploadPrefix(_) => "env_unknown_upload_prefix",
            EnvVarError::UnknownParameter(_) => "env_unknown_parameter",
        }
    }

    /// The parameter of the code (`host` or `parameter`), if it has one.
    pub fn param(&self) -> Option<(&'static str, &str)> {
        match self {
            EnvVarError::UnknownUploadPrefix(h) => Some(("host", h)),
            EnvVarError::UnknownParameter(p) => Some(("parameter", p)),
            _ => None,
        }
    }
}

/// Parses a pasted API environment variable. Accepts the scheme in any case, a
/// leading `CLOUDINARY_URL=` (or `export CLOUDINARY_URL=`), surrounding quotes
/// and whitespace.
pub fn parse_env_var(input: &str) -> Result<EnvCredentials, EnvVarError> {
    let quotes = |c| c == '"' || c == '\'' || c == '`';
    let mut s = input.trim().trim_matches(quotes).trim();
    if let Some(rest) = strip_prefix_ci(s, "export ") {
        s = rest.trim_start();
    }
    if let Some(rest) = strip_prefix_ci(s, "CLOUDINARY_URL") {
        let rest = rest.trim_start();
        if let Some(rest) = rest.strip_prefix('=') {
            s = rest.trim();
        }
    }
    s = s.trim_matches(quotes).trim();
    if s.is_empty() {
        return Err(EnvVarError::Empty);
    }
    let rest = strip_prefix_ci(s, "cloudinary://").ok_or(EnvVarError::WrongScheme)?;
    let (creds, host_part) = rest.rsplit_once('@').ok_or(EnvVarError::MissingAt)?;
    let (api_key, api_secret) = match creds.split_once(':') {
        Some((k, s)) => (k, s),
        None => (creds, ""),
    };
    let api_key = api_key.trim();
    let api_secret = api_secret.trim();
    if api_key.is_empty() || api_key.starts_with('<') {
        return Err(EnvVarError::MissingKey);
    }
    if api_secret.is_empty() || api_secret.starts_with('<') {
        return Err(EnvVarError::MissingSecret);
    }
    let (location, query) = match host_part.split_once('?') {
        Some((c, q)) => (c, Some(q)),
        None => (host_part, None),
    };
    let mut ignored = Vec::new();
    // A path after the cloud name is the SDKs' private CDN host (`secure_distribution`).
    let cloud_name = match location.trim().split_once('/') {
        Some((cloud, path)) => {
            if !path.trim_matches('/').trim().is_empty() {
                ignored.push("private_cdn_host".to_string());
            }
            cloud
        }
        None => location.trim(),
    };
    let cloud_name = cloud_name.trim();
    if cloud_name.is_empty() {
        return Err(EnvVarError::MissingCloudName);
    }
    let mut region = Region::Us;
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = percent_decode(k);
            if !is_setting_name(&k) {
                return Err(EnvVarError::UnknownParameter(k));
            }
            if k == "upload_prefix" {
                let v = percent_decode(v);
                region = Region::from_host(&v)
                    .ok_or_else(|| EnvVarError::UnknownUploadPrefix(v.clone()))?;
            } else if !ignored.contains(&k) {
                ignored.push(k);
            }
        }
    }
    Ok(EnvCredentials {
        cloud_name: cloud_name.to_string(),
        api_key: api_key.to_string(),
        api_secret: percent_decode(api_secret),
        region,
        ignored,
    })
}

/// A setting's name as the SDKs take it from a query parameter: letters, digits and `_`
/// (and `[`/`]` of nested settings such as `foo[bar]`).
fn is_setting_name(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']'))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hi = (bytes[i + 1] as char).to_digit(16);
            let lo = (bytes[i + 2] as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> EnvCredentials {
        parse_env_var(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn percent_escapes_decode_and_broken_ones_stay_as_typed() {
        assert_eq!(percent_decode("%41b%2Fc"), "Ab/c");
        assert_eq!(percent_decode("a%41"), "aA", "an escape at the very end");
        assert_eq!(percent_decode("a%4"), "a%4", "cut short at the end");
        assert_eq!(percent_decode("a%"), "a%");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(
            ok("cloudinary://123:s%40cret@demo").api_secret,
            "s@cret",
            "a secret with an escaped character"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?}", ok("cloudinary://123456:Top_s3cret@my-cloud"));
        assert!(
            shown.contains("my-cloud") && shown.contains("123456"),
            "{shown}"
        );
        assert!(!shown.contains("Top_s3cret"), "{shown}");
    }

    #[test]
    fn a_malformed_parameter_name_is_named() {
        let e = parse_env_var("cloudinary://123:secret@demo?col-or=red").expect_err("refused");
        assert_eq!(e, EnvVarError::UnknownParameter("col-or".into()));
        assert_eq!(e.param(), Some(("parameter", "col-or")));
    }

    #[test]
    fn plain_form() {
        let c = ok("cloudinary://123456789012345:abcDEF_-9@my-cloud");
        assert_eq!(c.api_key, "123456789012345");
        assert_eq!(c.api_secret, "abcDEF_-9");
        assert_eq!(c.cloud_name, "my-cloud");
        assert_eq!(c.region, Region::Us);
    }

    #[test]
    fn decorations_are_accepted() {
        for s in [
            "CLOUDINARY_URL=cloudinary://1:s@c1",
            "  'cloudinary://1:s@c1'  ",
            "\"CLOUDINARY_URL=cloudinary://1:s@c1\"",
            "CLOUDINARY_URL=\"cloudinary://1:s@c1\"",
            "export CLOUDINARY_URL=cloudinary://1:s@c1",
            "Cloudinary://1:s@c1",
            "CLOUDINARY://1:s@c1\n",
        ] {
            let c = ok(s);
            assert_eq!(
                (c.api_key.as_str(), c.cloud_name.as_str()),
                ("1", "c1"),
                "{s}"
            );
        }
    }

    #[test]
    fn upload_prefix_sets_region() {
        let c = ok("cloudinary://1:s@c1?upload_prefix=https://api-eu.cloudinary.com");
        assert_eq!(c.region, Region::Eu);
        let c = ok("cloudinary://1:s@c1?upload_prefix=https%3A%2F%2Fapi-ap.cloudinary.com");
        assert_eq!(c.region, Region::Ap);
        let c = ok("cloudinary://1:s@c1?upload_prefix=https://api.cloudinary.com");
        assert_eq!(c.region, Region::Us);
    }

    #[test]
    fn errors_have_distinct_codes() {
        let all = EnvVarError::examples("h");
        let codes: std::collections::BTreeSet<_> = all.iter().map(EnvVarError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(
            EnvVarError::UnknownUploadPrefix("x.example".into()).param(),
            Some(("host", "x.example"))
        );
        assert_eq!(EnvVarError::Empty.param(), None);
    }

    #[test]
    fn every_malformed_form_says_why() {
        let cases = [
            ("", EnvVarError::Empty),
            ("CLOUDINARY_URL=", EnvVarError::Empty),
            ("https://1:s@c1", EnvVarError::WrongScheme),
            ("cloudinary:/1:s@c1", EnvVarError::WrongScheme),
            ("cloudinary://1:s", EnvVarError::MissingAt),
            ("cloudinary://:s@c1", EnvVarError::MissingKey),
            (
                "cloudinary://<your_api_key>:<your_api_secret>@c1",
                EnvVarError::MissingKey,
            ),
            ("cloudinary://1@c1", EnvVarError::MissingSecret),
            ("cloudinary://1:@c1", EnvVarError::MissingSecret),
            (
                "cloudinary://1:<your_api_secret>@c1",
                EnvVarError::MissingSecret,
            ),
            ("cloudinary://1:s@", EnvVarError::MissingCloudName),
            (
                "cloudinary://1:s@c1?upload_prefix=https://evil.example",
                EnvVarError::UnknownUploadPrefix("https://evil.example".into()),
            ),
            (
                "cloudinary://1:s@c1?a%20b=1",
                EnvVarError::UnknownParameter("a b".into()),
            ),
            (
                "cloudinary://1:s@c1?=1",
                EnvVarError::UnknownParameter(String::new()),
            ),
            // A private CDN host does not stand in for the cloud name.
            (
                "cloudinary://1:s@/media.example.com",
                EnvVarError::MissingCloudName,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse_env_var(input), Err(want.clone()), "{input:?}");
            assert!(!want.to_string().is_empty());
        }
    }

    /// What the Python SDK (`cloudinary.Config._parse_cloudinary_url`) reads from the same
    /// strings: the credentials and cloud name; the rest is delivery configuration.
    #[test]
    fn delivery_settings_the_sdks_accept_are_read_and_left_out() {
        for (param, value) in [
            ("secure_distribution", "media.example.com"),
            ("private_cdn", "true"),
            ("cname", "media.example.com"),
            ("secure", "true"),
            ("cdn_subdomain", "true"),
            ("secure_cdn_subdomain", "false"),
            ("analytics", "false"),
            ("upload_preset", "ml_default"),
        ] {
            let s = format!("cloudinary://123456:s3cr3t@my-cloud?{param}={value}");
            let c = ok(&s);
            assert_eq!(c.cloud_name, "my-cloud", "{s}");
            assert_eq!(c.api_key, "123456", "{s}");
            assert_eq!(c.api_secret, "s3cr3t", "{s}");
            assert_eq!(c.region, Region::Us, "{s}");
            assert_eq!(c.ignored, [param], "{s}");
        }
    }

    #[test]
    fn a_private_cdn_path_is_not_part_of_the_cloud_name() {
        let c = ok("cloudinary://123456:s3cr3t@my-cloud/media.example.com");
        assert_eq!(c.cloud_name, "my-cloud");
        assert_eq!(c.ignored, ["private_cdn_host"]);
        let c = ok("cloudinary://1:s@my-cloud/");
        assert_eq!(c.cloud_name, "my-cloud");
        assert!(c.ignored.is_empty(), "a trailing slash is no CDN host");
    }

    #[test]
    fn everything_together_keeps_credentials_and_api_host() {
        let c = ok("CLOUDINARY_URL=cloudinary://123456:a%2Fb@my-cloud/cdn.example.com?secure=true&upload_prefix=https://api-eu.cloudinary.com&cname=img.example.com&secure=false&nested[key]=1");
        assert_eq!(c.cloud_name, "my-cloud");
        assert_eq!(c.api_secret, "a/b");
        assert_eq!(c.region, Region::Eu);
        assert_eq!(
            c.ignored,
            ["private_cdn_host", "secure", "cname", "nested[key]"],
            "each once, in order"
        );
        // The helpful refusals stay with delivery settings around them.
        assert_eq!(
            parse_env_var("cloudinary://1:<your_api_secret>@c1/cdn.example.com?secure=true"),
            Err(EnvVarError::MissingSecret)
        );
        assert_eq!(
            parse_env_var("cloudinary://1:s@c1?secure=true&upload_prefix=https://evil.example"),
            Err(EnvVarError::UnknownUploadPrefix(
                "https://evil.example".into()
            ))
        );
    }

    #[test]
    fn debug_hides_secret() {
        let c = ok("cloudinary://1:topsecret@c1");
        assert!(!format!("{c:?}").contains("topsecret"));
    }

    proptest! {
        #[test]
        fn round_trips(key in "[0-9]{1,20}", secret in "[A-Za-z0-9_-]{1,40}", cloud in "[a-z][a-z0-9-]{1,30}",
                       region in prop::sample::select(vec![Region::Us, Region::Eu, Region::Ap])) {
            let s = format!("cloudinary://{key}:{secret}@{cloud}?upload_prefix={}", region.api_host());
            let c = parse_env_var(&s).expect("valid");
            prop_assert_eq!(c.api_key, key);
            prop_assert_eq!(c.api_secret, secret);
            prop_assert_eq!(c.cloud_name, cloud);
            prop_assert_eq!(c.region, region);
        }

        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = parse_env_var(&s);
        }
    }
}
