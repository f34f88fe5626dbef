//! Seeds a data dir (or the database of `CLOUDINARY_CONNECTIONS_DATABASE_URL`)
//! with many connections through the store's bulk path, for `make bench`:
//!
//!   cargo run --release -p connections-server --example bench_seed -- <data dir> <count> [--names-rotated]
//!
//! Names `Shop 000000`…, cloud names `cloud0`…; no secrets, unverified. With
//! `--names-rotated` the names start half-way (the first row is `Shop <count / 2>`), so that
//! the order by id, by name and by name descending each give other pages (the UI bench's sort
//! waits for new rows). The
//! key is the one the server would use (`CLOUDINARY_CONNECTIONS_KEY` or the
//! key file of the data dir).

use std::collections::BTreeMap;
use std::path::PathBuf;

use connections_server::store::{OpenOptions, Record, Store, DATABASE_URL_SETTING};
use secrecy::SecretString;

const CHUNK: usize = 5_000;

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_seed <data dir> <count> [--names-rotated]";
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let count: usize = args.next().and_then(|c| c.parse().ok()).ok_or(usage)?;
    let shift = match args.next().as_deref() {
        None => 0,
        Some("--names-rotated") => count / 2,
        Some(_) => return Err(usage.into()),
    };
    let key = std::env::var("CLOUDINARY_CONNECTIONS_KEY")
        .ok()
        .map(SecretString::from);
    let url = std::env::var(DATABASE_URL_SETTING)
        .ok()
        .map(SecretString::from);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let store = Store::open(
        &dir,
        OpenOptions {
            key: key.as_ref(),
            database_url: url.as_ref(),
        },
    )
    .await?;
    let mut start = 0;
    while start < count {
        let end = (start + CHUNK).min(count);
        let records: Vec<Record> = (start..end)
            .map(|i| Record {
                name: format!("Shop {:06}", (i + shift) % count),
                driver: "cloudinary-default".into(),
                fields: BTreeMap::from([
                    ("cloud_name".to_string(), format!("cloud{i}")),
                    ("api_key".to_string(), (100_000 + i).to_string()),
                    ("region".to_string(), String::new()),
                ]),
                secrets: BTreeMap::new(),
            })
            .collect();
        store
            .create_many(&records, None)
            .await
            .map_err(|e| format!("seeding {start}…{end}: {e:?}"))?;
        start = end;
    }
    Ok(())
}
