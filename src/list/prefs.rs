//! The list's choices kept in browser storage: columns and page size, under a versioned key.

use connections_api::json::{self, FromJson, Json};
use connections_api::DEFAULT_LIMIT;
use serde::Serialize;

use super::columns::{ColumnState, StoredColumn};
use super::pager::is_page_size;

/// `localStorage` key; bump the version when the stored shape changes incompatibly.
pub const STORAGE_KEY: &str = "cloudinary-connections.list.v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    pub columns: ColumnState,
    pub page_size: u64,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            columns: ColumnState::default(),
            page_size: DEFAULT_LIMIT,
        }
    }
}

#[derive(Serialize)]
struct Stored {
    columns: Vec<StoredColumn>,
    page_size: u64,
}

impl FromJson for Stored {
    fn from_json(j: Json) -> Option<Stored> {
        let mut o = j.into_object()?;
        Some(Stored {
            columns: o.field("columns")?,
            page_size: o.field("page_size")?,
        })
    }
}

impl Prefs {
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Stored {
            columns: self.columns.to_stored(),
            page_size: self.page_size,
        })
        .unwrap_or_default()
    }

    /// Parses a stored value; anything that does not fit gives the default.
    pub fn from_json(s: &str) -> Prefs {
        let Some(stored) = json::from_slice::<Stored>(s.as_bytes()) else {
            return Prefs::default();
        };
        let Some(columns) = ColumnState::from_stored(&stored.columns) else {
            return Prefs::default();
        };
        Prefs {
            columns,
            page_size: if is_page_size(stored.page_size) {
                stored.page_size
            } else {
                DEFAULT_LIMIT
            },
        }
    }

    /// Reads from `localStorage` (default if absent, unreadable or blocked).
    pub fn load() -> Prefs {
        storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .map(|v| Prefs::from_json(&v))
            .unwrap_or_default()
    }

    /// Writes to `localStorage`; storage that is full or blocked is ignored.
    pub fn save(&self) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &self.to_json());
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

#[cfg(test)]
mod tests {
    use super::super::columns::Column;
    use super::*;

    #[test]
    fn round_trip() {
        let mut p = Prefs::default();
        p.columns.set_shown(Column::Driver, true);
        p.columns.move_by(Column::Status, -5);
        p.page_size = 100;
        assert_eq!(Prefs::from_json(&p.to_json()), p);
    }

    #[test]
    fn bad_values_fall_back_to_the_default() {
        for bad in [
            "",
            "not json",
            "{}",
            r#"{"columns":"id","page_size":25}"#,
            r#"{"columns":[{"key":"id","shown":false}],"page_size":25}"#,
            r#"[1,2,3]"#,
        ] {
            assert_eq!(Prefs::from_json(bad), Prefs::default(), "{bad}");
        }
        // A page size that is not offered falls back alone.
        let p = Prefs::from_json(r#"{"columns":[{"key":"name","shown":true}],"page_size":7}"#);
        assert_eq!(p.page_size, 25);
        assert_eq!(p.columns.shown(), vec![Column::Name]);
    }
}
