//! Server settings: environment variables, each also a `--flag`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use secrecy::SecretString;

/// Serves the Cloudinary Connections app and its JSON API.
#[derive(Debug, Clone, Parser)]
#[command(name = "connections-server", version)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port and prints it).
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: String,
    /// Directory of the SQLite database and the key file; created if missing.
    #[arg(
        long,
        env = "CLOUDINARY_CONNECTIONS_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// Directory of the built app (Trunk's `dist/`).
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_DIST", default_value = "./dist")]
    pub dist: PathBuf,
    /// Bearer token every `/api/*` request but `/api/health` must carry.
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Replaces the Cloudinary Admin API host for every region (tests, proxies).
    #[arg(long, env = "CLOUDINARY_API_BASE")]
    pub cloudinary_api_base: Option<String>,
    /// Base64 of the 32-byte key that encrypts API secrets; default: a key file in the data dir.
    #[arg(long, env = "CLOUDINARY_CONNECTIONS_KEY", hide_env_values = true)]
    pub key: Option<String>,
}

/// Checked settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub dist: PathBuf,
    pub token: Option<String>,
    pub cloudinary_api_base: Option<String>,
    pub key: Option<SecretString>,
}

impl Args {
    /// Checks the settings; the error is one line naming the wrong setting.
    pub fn check(self) -> Result<Config, String> {
        let addr: SocketAddr = self.addr.trim().parse().map_err(|_| {
            format!(
                "CLOUDINARY_CONNECTIONS_ADDR (--addr): {:?} is not an address like 127.0.0.1:8080",
                self.addr
            )
        })?;
        let token = self.token.filter(|t| !t.is_empty());
        if token.is_none() && !addr.ip().is_loopback() {
            return Err(format!(
                "CLOUDINARY_CONNECTIONS_ADDR (--addr): refusing to listen on {addr} without \
                 CLOUDINARY_CONNECTIONS_TOKEN; set a token or use a loopback address"
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
        Ok(Config {
            addr,
            data_dir: self.data_dir,
            dist: self.dist,
            token,
            cloudinary_api_base,
            key: self.key.filter(|k| !k.is_empty()).map(SecretString::from),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(addr: &str, token: Option<&str>) -> Args {
        Args {
            addr: addr.into(),
            data_dir: "./data".into(),
            dist: "./dist".into(),
            token: token.map(Into::into),
            cloudinary_api_base: None,
            key: None,
        }
    }

    #[test]
    fn bad_address_names_the_setting() {
        let e = args("nope", None).check().expect_err("bad");
        assert!(e.starts_with("CLOUDINARY_CONNECTIONS_ADDR"), "{e}");
    }

    #[test]
    fn non_loopback_needs_a_token() {
        assert!(args("0.0.0.0:8080", None).check().is_err());
        assert!(args("0.0.0.0:8080", Some("t")).check().is_ok());
        assert!(args("[::1]:8080", None).check().is_ok());
    }
}
