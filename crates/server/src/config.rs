//! Server settings. Plain settings are environment variables, each also a
//! `--flag`; secrets (the token and the key) come only from the environment or
//! from a file named by `…_FILE`, never from flags: flags show in the process list.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use secrecy::{ExposeSecret, SecretString};

/// The shortest accepted bearer token.
pub const MIN_TOKEN_LEN: usize = 32;

/// Serves the Cloudinary Connections app and its JSON API.
///
/// Secrets are read from the environment only: CLOUDINARY_CONNECTIONS_TOKEN or
/// CLOUDINARY_CONNECTIONS_TOKEN_FILE (bearer token of every /api request but
/// /api/health; at least 32 characters, e.g. `openssl rand -base64 32`), and
/// CLOUDINARY_CONNECTIONS_KEY or CLOUDINARY_CONNECTIONS_KEY_FILE (base64 of the
/// 32-byte key that encrypts API secrets; default: a key file in the data dir).
#[derive(Debug, Clone, Parser)]
#[command(name = "connections-server", version)]
pub struct Args {
    /// What to do; without one, serve.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Address to listen on (port 0 picks a free port and prints it).
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: String,
    /// Directory of the SQLite database (unless --database-url names another) and
    /// the key file; created (mode 0700) if missing.
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// Directory of the built app (Trunk's `dist/`).
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_DIST", default_value = "./dist")]
    pub dist: PathBuf,
    /// Replaces the Cloudinary Admin API host for every region (tests, proxies).
    #[arg(long, env = "CLOUDINARY_API_BASE")]
    pub cloudinary_api_base: Option<String>,
    /// Most connections served at once; more wait in the kernel's queue.
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_MAX_CONNECTIONS",
        default_value_t = 1024
    )]
    pub max_connections: usize,
    /// Seconds a client may take to send a request's headers, and to start the
    /// next request on a kept-alive connection.
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_HEADER_TIMEOUT",
        default_value_t = 10
    )]
    pub header_timeout: u64,
    /// Seconds within which `POST /api/connections/{id}/verify` answers with the
    /// last result instead of calling Cloudinary again (0: always call).
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_VERIFY_REUSE", default_value_t = 5)]
    pub verify_reuse: u64,
    /// Origins besides the server's own whose pages may change connections
    /// (comma-separated, e.g. `https://shell.example.com`).
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// The database: `sqlite://…` or `postgres://…` (default: the SQLite file in
    /// the data dir). A URL with a password only from CLOUDINARY_CONNECTIONS_DATABASE_URL
    /// or CLOUDINARY_CONNECTIONS_DATABASE_URL_FILE: flags show in the process list.
    #[arg(long)]
    pub database_url: Option<String>,
    /// JWT mode: the JSON Web Key Set that signs the shell's tokens, as an
    /// `https://` (or `http://`) URL or a file path. Needs the issuer and audience too.
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_JWT_JWKS")]
    pub jwt_jwks: Option<String>,
    /// JWT mode: the `iss` every token must carry.
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,
    /// JWT mode: the `aud` every token must carry.
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// How often each stored connection is verified again without a user
    /// asking: `24h`, `90m`, `30s`; `0` turns it off.
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_RECHECK", default_value = "24h")]
    pub recheck: String,
}

/// The binary's subcommands (operations; see docs/operations.md).
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Write every connection, its secrets included, sealed with a passphrase
    /// (age, scrypt), as text to standard output: `export --passphrase-file F > file`.
    Export {
        /// File whose first line is the passphrase (at least 12 characters).
        #[arg(long)]
        passphrase_file: PathBuf,
    },
    /// Write a consistent copy of the SQLite database to FILE (while the server
    /// runs). With PostgreSQL, use pg_dump.
    Backup {
        /// Where to write the copy; must not exist.
        file: PathBuf,
    },
    /// Replace the SQLite database with a backup, after checking that it opens
    /// with the configured key. Stop the server first.
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
    /// Re-encrypt every API secret with a new key, in one transaction; the old
    /// key no longer opens the database afterwards.
    RotateKey {
        /// File holding the new key: base64 of 32 random bytes (`openssl rand -base64 32`).
        #[arg(long)]
        new_key_file: PathBuf,
    },
    /// Store the connections of an export; a name that exists already is skipped
    /// and reported. Imported connections are unverified until tested.
    Import {
        /// File whose first line is the passphrase the export was sealed with.
        #[arg(long)]
        passphrase_file: PathBuf,
        /// The export file.
        file: PathBuf,
    },
}

/// Checked settings. `Debug` shows no secret.
#[derive(Debug, Clone)]
pub struct Config {
    pub command: Command,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub dist: PathBuf,
    pub token: Option<SecretString>,
    pub cloudinary_api_base: Option<String>,
    pub key: Option<SecretString>,
    pub max_connections: usize,
    pub header_timeout: std::time::Duration,
    pub allowed_origins: Vec<String>,
    pub verify_reuse: std::time::Duration,
    /// `CLOUDINARY_CONNECTIONS_DATABASE_URL`; `None`: SQLite in the data dir.
    pub database_url: Option<SecretString>,
    /// JWT mode, when its three settings are given.
    pub jwt: Option<crate::jwt::JwtSettings>,
    /// Interval of scheduled checks; `None`: off.
    pub recheck: Option<std::time::Duration>,
}

/// The JWT settings: all three or none, and not together with a shared token.
fn jwt_settings(
    jwks: Option<String>,
    issuer: Option<String>,
    audience: Option<String>,
) -> Result<Option<crate::jwt::JwtSettings>, String> {
    let some = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let (jwks, issuer, audience) = (some(jwks), some(issuer), some(audience));
    if jwks.is_none() && issuer.is_none() && audience.is_none() {
        return Ok(None);
    }
    let need = |v: Option<String>, name: &str| {
        v.ok_or_else(|| {
            format!(
                "{name}: JWT mode needs CLOUDINARY_CONNECTIONS_JWT_JWKS, \
                 CLOUDINARY_CONNECTIONS_JWT_ISSUER and CLOUDINARY_CONNECTIONS_JWT_AUDIENCE"
            )
        })
    };
    let jwks = need(jwks, "CLOUDINARY_CONNECTIONS_JWT_JWKS")?;
    let issuer = need(issuer, "CLOUDINARY_CONNECTIONS_JWT_ISSUER")?;
    let audience = need(audience, "CLOUDINARY_CONNECTIONS_JWT_AUDIENCE")?;
    Ok(Some(crate::jwt::JwtSettings {
        jwks: crate::jwt::JwksSource::parse(&jwks)?,
        issuer,
        audience,
    }))
}

/// Reads an environment variable (a function, so tests need not change the process's).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A secret from `NAME` or from the file named by `NAME_FILE` (not both).
fn secret_setting(env: Env<'_>, name: &str) -> Result<Option<SecretString>, String> {
    let file_name = format!("{name}_FILE");
    let direct = env(name).filter(|v| !v.is_empty()).map(SecretString::from);
    let file = env(&file_name).filter(|v| !v.trim().is_empty());
    match (direct, file) {
        (Some(_), Some(_)) => Err(format!(
            "{name}: set either {name} or {file_name}, not both"
        )),
        (Some(v), None) => Ok(Some(v)),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path.trim())
                .map_err(|e| format!("{file_name}: cannot read {}: {e}", path.trim()))?;
            let text = SecretString::from(text);
            let value = text.expose_secret().trim_end_matches(['\n', '\r']);
            if value.is_empty() {
                return Err(format!("{file_name}: the file {} is empty", path.trim()));
            }
            Ok(Some(SecretString::from(value.to_string())))
        }
        (None, None) => Ok(None),
    }
}

/// The database URL from `--database-url`, `CLOUDINARY_CONNECTIONS_DATABASE_URL`
/// or its `_FILE` (one of them); a password is refused in the flag.
fn database_url(env: Env<'_>, flag: Option<String>) -> Result<Option<SecretString>, String> {
    use crate::store::{redact_url, DATABASE_URL_SETTING as NAME};
    let flag = flag.filter(|f| !f.trim().is_empty());
    let url = match (flag, secret_setting(env, NAME)?) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "{NAME}: set either --database-url or {NAME} (or {NAME}_FILE), not both"
            ))
        }
        (Some(flag), None) => {
            let without_query = flag.trim().split(['?', '#']).next().unwrap_or("");
            if redact_url(&flag) != without_query || flag.contains("password=") {
                return Err(format!(
                    "{NAME} (--database-url): {} holds a password; put the URL in {NAME} or \
                     {NAME}_FILE instead (flags show in the process list)",
                    redact_url(&flag)
                ));
            }
            SecretString::from(flag)
        }
        (None, Some(url)) => url,
        (None, None) => return Ok(None),
    };
    let text = url.expose_secret().trim();
    let known = ["sqlite:", "postgres://", "postgresql://"];
    if !known.iter().any(|k| text.starts_with(k)) {
        return Err(format!(
            "{NAME} (--database-url): {} is not a database URL; use sqlite://… or postgres://…",
            redact_url(text)
        ));
    }
    Ok(Some(url))
}

impl Args {
    /// Checks the settings; the error is one line naming the wrong setting.
    pub fn check(self, env: Env<'_>) -> Result<Config, String> {
        let addr: SocketAddr = self.addr.trim().parse().map_err(|_| {
            format!(
                "CLOUDINARY_CONNECTIONS_ADDR (--addr): {:?} is not an address like 127.0.0.1:8080",
                self.addr
            )
        })?;
        let token = secret_setting(env, "CLOUDINARY_CONNECTIONS_TOKEN")?;
        if let Some(t) = &token {
            let t = t.expose_secret();
            if t.chars().count() < MIN_TOKEN_LEN || !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(format!(
                    "CLOUDINARY_CONNECTIONS_TOKEN: must be at least {MIN_TOKEN_LEN} visible ASCII \
                     characters; make one with `openssl rand -base64 32`"
                ));
            }
        }
        let jwt = jwt_settings(self.jwt_jwks, self.jwt_issuer, self.jwt_audience)?;
        if jwt.is_some() && token.is_some() {
            return Err("CLOUDINARY_CONNECTIONS_JWT_JWKS: set either JWT mode or \
                 CLOUDINARY_CONNECTIONS_TOKEN, not both"
                .into());
        }
        if token.is_none() && jwt.is_none() && !addr.ip().is_loopback() {
            return Err(format!(
                "CLOUDINARY_CONNECTIONS_ADDR (--addr): refusing to listen on {addr} without \
                 CLOUDINARY_CONNECTIONS_TOKEN or JWT mode; set a token, JWT mode, or use a loopback address"
            ));
        }
        let cloudinary_api_base = match self.cloudinary_api_base.filter(|b| !b.trim().is_empty()) {
            Some(base) => {
                let b = base.trim().trim_end_matches('/').to_string();
                if !(b.starts_with("http://") || b.starts_with("https://")) {
                    return Err(format!(
                        "CLOUDINARY_API_BASE (--cloudinary-api-base): {base:?} must start with http:// or https://"
                    ));
                }
                Some(b)
            }
            None => None,
        };
        if self.max_connections == 0 {
            return Err(
                "CLOUDINARY_CONNECTIONS_MAX_CONNECTIONS (--max-connections): must be at least 1"
                    .into(),
            );
        }
        if self.header_timeout == 0 {
            return Err(
                "CLOUDINARY_CONNECTIONS_HEADER_TIMEOUT (--header-timeout): must be at least 1 second"
                    .into(),
            );
        }
        let mut allowed_origins = Vec::new();
        for origin in self
            .allowed_origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
        {
            let o = origin.trim_end_matches('/').to_ascii_lowercase();
            let rest = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))
                .unwrap_or("");
            if rest.is_empty() || rest.contains('/') {
                return Err(format!(
                    "CLOUDINARY_CONNECTIONS_ALLOWED_ORIGINS (--allowed-origins): {origin:?} is not \
                     an origin like https://shell.example.com"
                ));
            }
            allowed_origins.push(o);
        }
        let database_url = database_url(env, self.database_url)?;
        Ok(Config {
            command: self.command.unwrap_or(Command::Serve),
            jwt,
            recheck: crate::schedule::parse_interval(&self.recheck)?,
            database_url,
            addr,
            allowed_origins,
            verify_reuse: std::time::Duration::from_secs(self.verify_reuse),
            data_dir: self.data_dir,
            dist: self.dist,
            token,
            cloudinary_api_base,
            key: secret_setting(env, "CLOUDINARY_CONNECTIONS_KEY")?,
            max_connections: self.max_connections,
            header_timeout: std::time::Duration::from_secs(self.header_timeout),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn args(addr: &str) -> Args {
        Args::parse_from(["connections-server", "--addr", addr])
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn bad_address_names_the_setting() {
        let e = args("nope").check(&env(&[])).expect_err("bad");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_ADDR"), "{e}");
    }

    #[test]
    fn non_loopback_needs_a_token() {
        assert!(args("0.0.0.0:8080").check(&env(&[])).is_err());
        let with = env(&[("CLOUDINARY_CONNECTIONS_TOKEN", TOKEN)]);
        assert!(args("0.0.0.0:8080").check(&with).is_ok());
        assert!(args("[::1]:8080").check(&env(&[])).is_ok());
    }

    #[test]
    fn a_short_token_is_refused_with_advice_and_without_its_value() {
        let short = env(&[("CLOUDINARY_CONNECTIONS_TOKEN", "t0ken-short")]);
        let e = args("0.0.0.0:8080").check(&short).expect_err("short");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_TOKEN"), "{e}");
        assert!(e.contains("openssl rand"), "{e}");
        assert!(!e.contains("t0ken-short"), "{e}");
        // 31 characters: one too few; 32: enough.
        let e31 = env(&[("CLOUDINARY_CONNECTIONS_TOKEN", &TOKEN[1..])]);
        assert!(args("127.0.0.1:0").check(&e31).is_err());
        let spaced = format!("{} ", &TOKEN[..31]);
        let e_sp = env(&[("CLOUDINARY_CONNECTIONS_TOKEN", spaced.as_str())]);
        assert!(args("127.0.0.1:0").check(&e_sp).is_err(), "no blanks");
    }

    #[test]
    fn secrets_come_from_files_and_never_from_flags() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("token");
        std::fs::write(&path, format!("{TOKEN}\n")).expect("write");
        let p = path.to_string_lossy().to_string();
        let c = args("127.0.0.1:0")
            .check(&env(&[("CLOUDINARY_CONNECTIONS_TOKEN_FILE", p.as_str())]))
            .expect("from file");
        assert_eq!(c.token.as_ref().map(|t| t.expose_secret()), Some(TOKEN));
        let both = env(&[
            ("CLOUDINARY_CONNECTIONS_TOKEN_FILE", p.as_str()),
            ("CLOUDINARY_CONNECTIONS_TOKEN", TOKEN),
        ]);
        assert!(args("127.0.0.1:0").check(&both).is_err());
        let missing = env(&[("CLOUDINARY_CONNECTIONS_KEY_FILE", "/nonexistent/key")]);
        let e = args("127.0.0.1:0").check(&missing).expect_err("missing");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_KEY_FILE"), "{e}");
        for flag in ["--token", "--key"] {
            assert!(
                Args::try_parse_from(["connections-server", flag, TOKEN]).is_err(),
                "{flag} must not exist"
            );
        }
    }

    #[test]
    fn debug_of_the_config_shows_no_secret() {
        let c = args("127.0.0.1:0")
            .check(&env(&[
                ("CLOUDINARY_CONNECTIONS_TOKEN", TOKEN),
                ("CLOUDINARY_CONNECTIONS_KEY", "a2V5LWtleS1rZXkta2V5"),
            ]))
            .expect("ok");
        let shown = format!("{c:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains("a2V5LWtleS1rZXkta2V5"), "{shown}");
    }

    #[test]
    fn the_database_url_comes_from_env_file_or_a_flag_without_password() {
        let c = args("127.0.0.1:0").check(&env(&[])).expect("default");
        assert!(c.database_url.is_none(), "SQLite in the data dir");
        let url = "postgres://app:Pw-1234567@db.example.com/conn";
        let c = args("127.0.0.1:0")
            .check(&env(&[("CLOUDINARY_CONNECTIONS_DATABASE_URL", url)]))
            .expect("from env");
        assert_eq!(
            c.database_url.as_ref().map(|u| u.expose_secret()),
            Some(url)
        );
        assert!(!format!("{c:?}").contains("Pw-1234567"));
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("url");
        std::fs::write(&path, format!("{url}\n")).expect("write");
        let p = path.to_string_lossy().to_string();
        let c = args("127.0.0.1:0")
            .check(&env(&[(
                "CLOUDINARY_CONNECTIONS_DATABASE_URL_FILE",
                p.as_str(),
            )]))
            .expect("from file");
        assert_eq!(
            c.database_url.as_ref().map(|u| u.expose_secret()),
            Some(url)
        );
        let flag = |u: &str| {
            Args::parse_from(["connections-server", "--database-url", u]).check(&env(&[]))
        };
        let e = flag(url).expect_err("password in a flag");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_DATABASE_URL"), "{e}");
        assert!(!e.contains("Pw-1234567"), "{e}");
        assert!(flag("postgres://app@db.example.com/conn").is_ok());
        assert!(flag("sqlite:///var/lib/connections.sqlite3").is_ok());
        let e = flag("mysql://db/conn").expect_err("unknown scheme");
        assert!(e.contains("postgres://"), "{e}");
    }

    #[test]
    fn jwt_mode_needs_all_three_settings_and_no_shared_token() {
        let all = [
            (
                "CLOUDINARY_CONNECTIONS_JWT_JWKS",
                "https://id.example.com/jwks.json",
            ),
            (
                "CLOUDINARY_CONNECTIONS_JWT_ISSUER",
                "https://id.example.com",
            ),
            ("CLOUDINARY_CONNECTIONS_JWT_AUDIENCE", "connections"),
        ];
        let parse = |pairs: &[(&str, &str)]| {
            let mut argv = vec![
                "connections-server".to_string(),
                "--addr".into(),
                "0.0.0.0:8080".into(),
            ];
            for (k, v) in pairs {
                let flag = match *k {
                    "CLOUDINARY_CONNECTIONS_JWT_JWKS" => "--jwt-jwks",
                    "CLOUDINARY_CONNECTIONS_JWT_ISSUER" => "--jwt-issuer",
                    "CLOUDINARY_CONNECTIONS_JWT_AUDIENCE" => "--jwt-audience",
                    _ => continue,
                };
                argv.push(flag.into());
                argv.push(v.to_string());
            }
            Args::parse_from(argv)
        };
        let c = parse(&all).check(&env(&[])).expect("JWT mode off loopback");
        assert!(c.jwt.is_some());
        for missing in 0..3 {
            let some: Vec<_> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != missing)
                .map(|(_, p)| *p)
                .collect();
            let e = parse(&some).check(&env(&[])).expect_err("two of three");
            assert!(e.starts_with(all[missing].0), "{e}");
        }
        let e = parse(&all)
            .check(&env(&[("CLOUDINARY_CONNECTIONS_TOKEN", TOKEN)]))
            .expect_err("both modes");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_JWT_JWKS"), "{e}");
        let mut bad = all;
        bad[0].1 = "ftp://id.example.com/jwks";
        let e = parse(&bad).check(&env(&[])).expect_err("scheme");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_JWT_JWKS"), "{e}");
    }

    #[test]
    fn limits_must_be_positive() {
        let e = Args::parse_from(["connections-server", "--max-connections", "0"])
            .check(&env(&[]))
            .expect_err("zero");
        assert!(
            e.starts_with("CLOUDINARY_CONNECTIONS_MAX_CONNECTIONS"),
            "{e}"
        );
        let e = Args::parse_from(["connections-server", "--header-timeout", "0"])
            .check(&env(&[]))
            .expect_err("zero");
        assert!(
            e.starts_with("CLOUDINARY_CONNECTIONS_HEADER_TIMEOUT"),
            "{e}"
        );
    }
}
