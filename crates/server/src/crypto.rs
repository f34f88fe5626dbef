//! Encryption of API secrets at rest: AES-256-GCM (`aes-gcm`), a fresh random
//! 96-bit nonce per value, and as associated data the connection's id and the
//! field key ([`secret_context`]), so a ciphertext copied to another row or
//! another field does not decrypt.
//!
//! The key is `CLOUDINARY_CONNECTIONS_KEY` (base64 of 32 bytes) or, when that is
//! unset, the key file `connections.key` in the data dir, created on first start
//! with mode 0600.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::Sha256;

pub const KEY_FILE: &str = "connections.key";
pub const KEY_SETTING: &str = "CLOUDINARY_CONNECTIONS_KEY";
const NONCE_LEN: usize = 12;

/// Encrypts and decrypts secrets; cheap to clone. Prints as `Cipher(..)`.
#[derive(Clone)]
pub struct Cipher {
    aead: Arc<Aes256Gcm>,
    /// Key of the HMAC that fingerprints request bodies (derived from the key).
    mac_key: Arc<SecretBox<[u8; 32]>>,
}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cipher(..)")
    }
}

/// A stored value could not be decrypted (wrong key or damaged data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecryptError;

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a stored secret could not be decrypted with the configured key")
    }
}

impl std::error::Error for DecryptError {}

/// Prefix of values bound to their connection and field ([`secret_context`]).
/// Values without it are from before that binding and are re-encrypted at start.
pub const BOUND_PREFIX: &str = "v2.";

/// The associated data of a connection's secret: its id and its field key.
pub fn secret_context(connection_id: i64, field: &str) -> String {
    format!("connection/{connection_id}/{field}")
}

impl Cipher {
    /// A secret of connection `id`, field `field`: `v2.` + base64(nonce || ciphertext).
    pub fn seal(&self, id: i64, field: &str, plain: &SecretString) -> String {
        format!(
            "{BOUND_PREFIX}{}",
            self.encrypt(&secret_context(id, field), plain)
        )
    }

    /// The plain text of a value made by [`Cipher::seal`] for the same id and field.
    pub fn open(&self, id: i64, field: &str, stored: &str) -> Result<SecretString, DecryptError> {
        let body = stored.strip_prefix(BOUND_PREFIX).ok_or(DecryptError)?;
        self.decrypt(&secret_context(id, field), body)
    }

    pub fn new(key: &SecretBox<[u8; 32]>) -> Cipher {
        let aead = Aes256Gcm::new(key.expose_secret().into());
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose_secret())
            .expect("HMAC takes keys of any length");
        mac.update(b"cloudinary-connections/request-fingerprint");
        let derived: [u8; 32] = mac.finalize().into_bytes().into();
        Cipher {
            aead: Arc::new(aead),
            mac_key: Arc::new(SecretBox::new(Box::new(derived))),
        }
    }

    /// A new random key.
    pub fn generate_key() -> SecretBox<[u8; 32]> {
        let mut key = Box::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        SecretBox::new(key)
    }

    /// `base64(nonce || ciphertext)` of `plain`, bound to `context` (the field key).
    pub fn encrypt(&self, context: &str, plain: &SecretString) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plain.expose_secret().as_bytes(),
            aad: context.as_bytes(),
        };
        // AES-GCM encryption fails only for messages over 64 GiB.
        let ct = self
            .aead
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("secret is small enough for AES-GCM");
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        B64.encode(out)
    }

    /// The plain text of a value made by [`Cipher::encrypt`] with the same `context`.
    pub fn decrypt(&self, context: &str, stored: &str) -> Result<SecretString, DecryptError> {
        let bytes = B64.decode(stored.trim()).map_err(|_| DecryptError)?;
        if bytes.len() < NONCE_LEN + 16 {
            return Err(DecryptError);
        }
        let (nonce, ct) = bytes.split_at(NONCE_LEN);
        let plain = self
            .aead
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| DecryptError)?;
        let text = String::from_utf8(plain).map_err(|_| DecryptError)?;
        Ok(SecretString::from(text))
    }

    /// Keyed fingerprint (HMAC-SHA-256, hex) of data that may hold secrets, so it
    /// can be compared later without storing anything a secret can be guessed from.
    pub fn fingerprint(&self, data: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.mac_key.expose_secret())
            .expect("HMAC takes keys of any length");
        mac.update(data);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Parses the base64 text of a 32-byte key. The error names the setting, never the value.
pub fn parse_key(text: &str, origin: &str) -> Result<SecretBox<[u8; 32]>, String> {
    let bytes = SecretBox::new(Box::new(B64.decode(text.trim()).map_err(|_| {
        format!("{origin}: is not base64; use 32 random bytes in base64, e.g. from `openssl rand -base64 32`")
    })?));
    let key: [u8; 32] = bytes.expose_secret().as_slice().try_into().map_err(|_| {
        format!(
            "{origin}: must be 32 bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`"
        )
    })?;
    Ok(SecretBox::new(Box::new(key)))
}

/// Where the key came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Setting,
    File(PathBuf),
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Setting => f.write_str(KEY_SETTING),
            KeySource::File(p) => write!(f, "key file {} ({KEY_SETTING} unset)", p.display()),
        }
    }
}

/// The key from the setting, else from the key file in `data_dir`. The key file is
/// created (mode 0600) only when `may_create` is true: a database that already
/// holds secrets must not get a fresh key silently.
pub fn load_key(
    setting: Option<&SecretString>,
    data_dir: &Path,
    may_create: bool,
) -> Result<(SecretBox<[u8; 32]>, KeySource), String> {
    if let Some(text) = setting {
        return Ok((
            parse_key(text.expose_secret(), KEY_SETTING)?,
            KeySource::Setting,
        ));
    }
    let path = data_dir.join(KEY_FILE);
    let origin = format!("{KEY_SETTING} is unset and the key file {}", path.display());
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let text = SecretString::from(text);
            Ok((
                parse_key(text.expose_secret(), &origin)?,
                KeySource::File(path),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !may_create {
                return Err(format!(
                    "{origin} is missing, but the database holds secrets encrypted with a key: \
                     set {KEY_SETTING} to that key or restore the key file"
                ));
            }
            let key = Cipher::generate_key();
            write_key_file(&path, &key).map_err(|e| format!("{origin} cannot be created: {e}"))?;
            tracing::info!(path = %path.display(), "created a new key file for the API secrets");
            Ok((key, KeySource::File(path)))
        }
        Err(e) => Err(format!("{origin} cannot be read: {e}")),
    }
}

fn write_key_file(path: &Path, key: &SecretBox<[u8; 32]>) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let text = SecretString::from(B64.encode(key.expose_secret()));
    file.write_all(text.expose_secret().as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fresh_nonce() {
        let c = Cipher::new(&Cipher::generate_key());
        let s = SecretString::from("abc_DEF-123".to_string());
        let a = c.encrypt("api_secret", &s);
        let b = c.encrypt("api_secret", &s);
        assert_ne!(a, b, "a random nonce per value");
        assert!(!a.contains("abc_DEF"));
        assert_eq!(
            c.decrypt("api_secret", &a)
                .expect("decrypts")
                .expose_secret(),
            "abc_DEF-123"
        );
        assert_eq!(c.decrypt("other", &a).err(), Some(DecryptError));
    }

    #[test]
    fn wrong_key_is_an_error_not_garbage() {
        let a = Cipher::new(&Cipher::generate_key());
        let b = Cipher::new(&Cipher::generate_key());
        let s = SecretString::from("x".to_string());
        assert_eq!(
            b.decrypt("k", &a.encrypt("k", &s)).err(),
            Some(DecryptError)
        );
        assert_eq!(b.decrypt("k", "not base64!").err(), Some(DecryptError));
    }

    #[test]
    fn key_text_is_checked_and_never_echoed() {
        let e = parse_key("c2hvcnQ=", KEY_SETTING).expect_err("too short");
        assert!(e.starts_with(KEY_SETTING), "{e}");
        assert!(!e.contains("c2hvcnQ"));
        assert!(parse_key("%%%", KEY_SETTING).is_err());
        let good = B64.encode([7u8; 32]);
        assert!(parse_key(&good, KEY_SETTING).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_created_private_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        assert!(load_key(None, dir.path(), false).is_err());
        let (k1, src) = load_key(None, dir.path(), true).expect("created");
        assert!(matches!(src, KeySource::File(_)));
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let (k2, _) = load_key(None, dir.path(), false).expect("read back");
        assert_eq!(k1.expose_secret(), k2.expose_secret());
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_connection_and_field() {
        let c = Cipher::new(&Cipher::generate_key());
        let s = SecretString::from("abc_DEF-123".to_string());
        let sealed = c.seal(7, "api_secret", &s);
        assert!(sealed.starts_with(BOUND_PREFIX));
        assert_eq!(
            c.open(7, "api_secret", &sealed)
                .expect("opens")
                .expose_secret(),
            "abc_DEF-123"
        );
        assert_eq!(c.open(8, "api_secret", &sealed).err(), Some(DecryptError));
        assert_eq!(c.open(7, "api_key", &sealed).err(), Some(DecryptError));
        let unbound = c.encrypt("api_secret", &s);
        assert_eq!(c.open(7, "api_secret", &unbound).err(), Some(DecryptError));
    }
}
