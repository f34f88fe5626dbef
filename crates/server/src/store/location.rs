//! Where the database is: `CLOUDINARY_CONNECTIONS_DATABASE_URL` or the SQLite
//! file in the data dir. The URL may hold a password, so it is shown only
//! without one ([`redact_url`]).

use std::path::Path;
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use super::DB_FILE;

pub const DATABASE_URL_SETTING: &str = "CLOUDINARY_CONNECTIONS_DATABASE_URL";
const DATA_DIR_SETTING: &str = "CLOUDINARY_CONNECTIONS_DATA_DIR (--data-dir)";
const URL_SETTING: &str = "CLOUDINARY_CONNECTIONS_DATABASE_URL (--database-url)";

pub(super) enum Location {
    Sqlite {
        options: SqliteConnectOptions,
        /// The file, for messages.
        shown: String,
        /// Whether the URL setting named it (else the data dir did).
        from_url: bool,
    },
    Postgres {
        options: PgConnectOptions,
        /// The URL without password or query, for messages.
        shown: String,
        /// The password, removed from any message that might repeat it.
        password: Option<SecretString>,
    },
}

impl Location {
    /// The database `url` names, or the SQLite file in `data_dir`.
    pub fn new(data_dir: &Path, url: Option<&SecretString>) -> Result<Location, String> {
        let Some(url) = url
            .map(|u| u.expose_secret().trim())
            .filter(|u| !u.is_empty())
        else {
            let file = data_dir.join(DB_FILE);
            return Ok(Location::Sqlite {
                options: SqliteConnectOptions::new().filename(&file),
                shown: file.display().to_string(),
                from_url: false,
            });
        };
        let shown = redact_url(url);
        let invalid = |e: &dyn std::fmt::Display| {
            format!("{URL_SETTING}: {shown} is not a valid database URL: {e}")
        };
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url).map_err(|e| invalid(&e))?;
            let shown = options.get_filename().display().to_string();
            Ok(Location::Sqlite {
                options,
                shown,
                from_url: true,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(|e| invalid(&e))?;
            Ok(Location::Postgres {
                options,
                shown,
                password: url_password(url).map(SecretString::from),
            })
        } else {
            Err(format!(
                "{URL_SETTING}: {shown} is not a database URL; use sqlite://… or postgres://…"
            ))
        }
    }

    /// The database, for messages: a file name or a URL without password.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite { shown, .. } | Location::Postgres { shown, .. } => shown.clone(),
        }
    }

    /// One line: the setting, what failed, where, and why (without the password).
    pub fn error(&self, what: &str, cause: &dyn std::fmt::Display) -> String {
        let (setting, place) = match self {
            Location::Sqlite {
                from_url: false,
                options,
                ..
            } => {
                let dir = options
                    .get_filename()
                    .parent()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                (DATA_DIR_SETTING, format!("in {dir}"))
            }
            Location::Sqlite { shown, .. } => (URL_SETTING, format!("in {shown}")),
            Location::Postgres { shown, .. } => (URL_SETTING, format!("at {shown}")),
        };
        let mut line = format!("{setting}: {what} {place}: {cause}").replace('\n', " ");
        if let Location::Postgres {
            password: Some(p), ..
        } = self
        {
            line = line.replace(p.expose_secret(), "***");
        }
        line
    }
}

/// The password of `user:password@` in a URL, if any (still percent-encoded).
fn url_password(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then(|| password.to_string())
}

/// `url` without its password and without its query (which may hold
/// `password=…`): `postgres://user@host:5432/db`.
pub fn redact_url(url: &str) -> String {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        // `sqlite:file.db` and the like: no authority, so no password, but a query may hold one.
        return url.split(['?', '#']).next().unwrap_or("").to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{user}@{host}")
        }
        None => authority.to_string(),
    };
    let path = tail.split(['?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_url_has_no_password() {
        assert_eq!(
            redact_url("postgres://app:s3cr%40t@db.example.com:5432/conn?sslmode=require"),
            "postgres://app@db.example.com:5432/conn"
        );
        assert_eq!(
            redact_url("postgres://db/conn?password=s3cret"),
            "postgres://db/conn"
        );
        assert_eq!(redact_url("postgres://app@db"), "postgres://app@db");
        assert_eq!(
            redact_url("sqlite:///var/lib/c.db"),
            "sqlite:///var/lib/c.db"
        );
        assert_eq!(redact_url("sqlite:c.db?mode=rwc"), "sqlite:c.db");
        assert_eq!(url_password("postgres://a:pw@h/d").as_deref(), Some("pw"));
        assert_eq!(url_password("postgres://a@h/d"), None);
    }

    #[test]
    fn errors_name_the_setting_and_never_the_password() {
        let url = SecretString::from("postgres://app:Pw-1234567@127.0.0.1:1/conn");
        let loc = Location::new(Path::new("/tmp"), Some(&url)).expect("valid");
        let line = loc.error("cannot open the database", &"password Pw-1234567 refused");
        assert!(
            line.starts_with("CLOUDINARY_CONNECTIONS_DATABASE_URL (--database-url): "),
            "{line}"
        );
        assert!(line.contains("postgres://app@127.0.0.1:1/conn"), "{line}");
        assert!(!line.contains("Pw-1234567"), "{line}");
        let bad = SecretString::from("mysql://app:Pw-1234567@h/d");
        let e = Location::new(Path::new("/tmp"), Some(&bad))
            .err()
            .expect("refused");
        assert!(e.contains("postgres://"), "{e}");
        assert!(!e.contains("Pw-1234567"), "{e}");
        let dir = Location::new(Path::new("/data"), None).expect("default");
        assert!(dir.error("cannot open the database", &"x").starts_with(
            "CLOUDINARY_CONNECTIONS_DATA_DIR (--data-dir): cannot open the database in /data"
        ));
    }
}
