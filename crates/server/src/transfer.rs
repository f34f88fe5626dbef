//! `export` and `import`: connections with their secrets, moved between
//! installations (staging → production) in one file sealed with a passphrase
//! (age, scrypt). The whole file is encrypted and authenticated: no secret is
//! ever in the clear on disk or in the output, a wrong passphrase or a changed
//! byte is refused, and the plain JSON lives only in memory that is wiped.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use connections_api::{validate_input, ConnectionInput, Driver, ListQuery, SortKey};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::store::{Store, StoreError};

/// The format's name and version, inside the encrypted payload.
pub const FORMAT: &str = "cloudinary-connections-export/1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    format: String,
    connections: Vec<ConnectionInput>,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub imported: Vec<String>,
    /// Names that were taken already (kept as they are here).
    pub skipped_taken: Vec<String>,
    /// Names whose values the rules refuse, with the field errors' keys.
    pub skipped_invalid: Vec<(String, Vec<String>)>,
}

impl Report {
    /// One line per outcome, for the operator.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "imported {}, skipped {} (name taken) and {} (invalid)",
            self.imported.len(),
            self.skipped_taken.len(),
            self.skipped_invalid.len()
        )];
        out.extend(
            self.skipped_taken
                .iter()
                .map(|n| format!("skipped {n:?}: a connection with this name exists")),
        );
        out.extend(
            self.skipped_invalid
                .iter()
                .map(|(n, fields)| format!("skipped {n:?}: invalid {}", fields.join(", "))),
        );
        out
    }
}

/// Reads a passphrase from the first line of a file; it must not be empty.
pub fn read_passphrase(path: &std::path::Path) -> Result<SecretString, String> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| format!("--passphrase-file: cannot read {}: {e}", path.display()))?,
    );
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() < 12 {
        return Err(format!(
            "--passphrase-file: the passphrase in {} must have at least 12 characters",
            path.display()
        ));
    }
    Ok(SecretString::from(line.to_string()))
}

/// Every connection, secrets included, sealed with `passphrase`, as ASCII-armored age.
pub async fn export(store: &Store, passphrase: &SecretString) -> Result<(Vec<u8>, usize), String> {
    let mut connections = Vec::new();
    // Keyset pages: each costs the same however far in.
    let mut after = None;
    loop {
        let page = store
            .list(&ListQuery {
                sort: Some(SortKey::Id),
                limit: Some(connections_api::MAX_LIMIT),
                after: after.take(),
                ..ListQuery::default()
            })
            .await
            .map_err(|e| format!("cannot read the connections: {e}"))?;
        for item in page.items {
            let Some(row) = store
                .get(item.id)
                .await
                .map_err(|e| format!("cannot read connection {}: {e}", item.id))?
            else {
                continue; // deleted meanwhile
            };
            let secrets = store
                .secrets(&row)
                .map_err(|e| format!("connection {}: {e}", item.id))?;
            let mut fields = row.field_values();
            for (k, v) in secrets {
                fields.insert(k, v.expose_secret().to_string());
            }
            connections.push(ConnectionInput {
                name: row.name.clone(),
                driver: row.driver.clone(),
                fields,
            });
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let count = connections.len();
    let plain = Zeroizing::new(
        serde_json::to_vec(&Payload {
            format: FORMAT.into(),
            connections,
        })
        .map_err(|e| format!("cannot write the export: {e}"))?,
    );
    Ok((seal(&plain, passphrase)?, count))
}

fn seal(plain: &[u8], passphrase: &SecretString) -> Result<Vec<u8>, String> {
    let err = |e: std::io::Error| format!("cannot encrypt the export: {e}");
    let encryptor = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(
        passphrase.expose_secret().to_string(),
    ));
    let mut out = Vec::new();
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
        .map_err(err)?;
    let mut writer = encryptor.wrap_output(armor).map_err(err)?;
    writer.write_all(plain).map_err(err)?;
    writer
        .finish()
        .and_then(|armor| armor.finish())
        .map_err(err)?;
    Ok(out)
}

fn open(sealed: &[u8], passphrase: &SecretString) -> Result<Zeroizing<Vec<u8>>, String> {
    let refused = "the file is not an export of this tool, was changed, or the passphrase is wrong";
    let decryptor = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(sealed))
        .map_err(|_| refused.to_string())?;
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(
        passphrase.expose_secret().to_string(),
    ));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|_| refused.to_string())?;
    let mut plain = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plain)
        .map_err(|_| refused.to_string())?;
    Ok(plain)
}

/// Stores the connections of a sealed export: unverified, names kept unique
/// (a taken name is skipped and reported), every value checked by the rules.
pub async fn import(
    store: &Store,
    drivers: &[Driver],
    sealed: &[u8],
    passphrase: &SecretString,
) -> Result<Report, String> {
    let plain = open(sealed, passphrase)?;
    let payload: Payload = serde_json::from_slice(&plain)
        .map_err(|_| "the file's contents are not an export of this tool".to_string())?;
    if payload.format != FORMAT {
        return Err(format!(
            "the export's format is {:?}; this server reads {FORMAT:?}",
            payload.format
        ));
    }
    let mut report = Report::default();
    for input in payload.connections {
        let input = crate::service::composed(input);
        let name = input.name.trim().to_string();
        let valid = match validate_input(&input, drivers, &[]) {
            Ok(v) => v,
            Err(errors) => {
                let fields: BTreeMap<_, _> = errors;
                report
                    .skipped_invalid
                    .push((name, fields.into_keys().collect()));
                continue;
            }
        };
        let Some(driver) = connections_api::find_driver(drivers, &valid.driver) else {
            report.skipped_invalid.push((name, vec!["driver".into()]));
            continue;
        };
        match store
            .create(&crate::service::record(driver, valid), None, None)
            .await
        {
            Ok(_) => report.imported.push(name),
            Err(StoreError::NameTaken(_)) => report.skipped_taken.push(name),
            Err(e) => return Err(format!("cannot store {name:?}: {e:?}")),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_only_with_its_passphrase_and_unchanged() {
        let pass = SecretString::from("correct horse battery");
        let sealed = seal(b"{\"secret\":\"S3cr3t_value\"}", &pass).expect("seals");
        let text = String::from_utf8(sealed.clone()).expect("armored text");
        assert!(
            text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
            "{text}"
        );
        assert!(!text.contains("S3cr3t_value"));
        assert_eq!(
            open(&sealed, &pass).expect("opens").as_slice(),
            b"{\"secret\":\"S3cr3t_value\"}"
        );
        assert!(open(&sealed, &SecretString::from("wrong horse battery")).is_err());
        let mut tampered = text.into_bytes();
        let middle = tampered.len() / 2;
        tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
        assert!(open(&tampered, &pass).is_err());
    }
}
