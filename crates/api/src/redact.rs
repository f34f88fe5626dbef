//! `Debug` of the request bodies that carry secrets: field keys only, every
//! value replaced, so a `{:?}` in a log line or a panic message leaks nothing.

use std::collections::BTreeMap;
use std::fmt;

use crate::types::{ConnectionInput, VerifyRequest};

/// Shows a map's keys, each with a placeholder for its value.
struct Keys<'a>(&'a BTreeMap<String, String>);

impl fmt::Debug for Keys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, "[redacted]")))
            .finish()
    }
}

impl fmt::Debug for ConnectionInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionInput")
            .field("name", &self.name)
            .field("driver", &self.driver)
            .field("fields", &Keys(&self.fields))
            .finish()
    }
}

impl fmt::Debug for VerifyRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyRequest")
            .field("driver", &self.driver)
            .field("fields", &Keys(&self.fields))
            .field("connection_id", &self.connection_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_keys_but_no_value() {
        let fields = BTreeMap::from([
            ("api_secret".to_string(), "s3cr3t-VALUE_x".to_string()),
            ("api_key".to_string(), "123456".to_string()),
        ]);
        let input = ConnectionInput {
            name: "Shop EU".into(),
            driver: "cloudinary-default".into(),
            fields: fields.clone(),
        };
        let shown = format!("{input:?} {input:#?}");
        assert!(!shown.contains("s3cr3t-VALUE_x"), "{shown}");
        assert!(!shown.contains("123456"), "{shown}");
        assert!(
            shown.contains("api_secret") && shown.contains("Shop EU"),
            "{shown}"
        );
        let verify = VerifyRequest {
            driver: "cloudinary-default".into(),
            fields,
            connection_id: Some(4),
        };
        let shown = format!("{verify:?}");
        assert!(!shown.contains("s3cr3t-VALUE_x"), "{shown}");
        assert!(shown.contains("api_key") && shown.contains('4'), "{shown}");
    }
}
