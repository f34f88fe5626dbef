//! The drivers the product knows, declared once for both sides.
//!
//! The server offers these through `GET /api/drivers`; the app renders whatever
//! the server sends, so a further driver needs no change in the app.

use crate::facts::{API_KEY, API_SECRET, CLOUD_NAME, REGION};
use crate::types::{Choice, Driver, Field, Format};

pub const DEFAULT_DRIVER_ID: &str = "cloudinary-default";

/// A Cloudinary API region and its Admin API host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Us,
    Eu,
    Ap,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::Ap];

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Ap => "ap",
        }
    }

    pub fn parse(s: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The regional Admin API host; no other host is ever sent a secret.
    pub fn api_host(self) -> &'static str {
        match self {
            Region::Us => "https://api.cloudinary.com",
            Region::Eu => "https://api-eu.cloudinary.com",
            Region::Ap => "https://api-ap.cloudinary.com",
        }
    }

    /// The region whose host is `host` (scheme optional, trailing `/` ignored).
    pub fn from_host(host: &str) -> Option<Region> {
        let h = host.trim().trim_end_matches('/').to_ascii_lowercase();
        let h = h
            .strip_prefix("https://")
            .or_else(|| h.strip_prefix("http://"))
            .unwrap_or(&h);
        Region::ALL
            .into_iter()
            .find(|r| r.api_host().trim_start_matches("https://") == h)
    }
}

fn field(key: &str, label: &str, help: &str) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        secret: false,
        required: true,
        max_length: None,
        help: Some(help.into()),
        choices: None,
        default: None,
        format: Format::Text,
    }
}

/// The *Cloudinary default driver*.
pub fn default_driver() -> Driver {
    Driver {
        id: DEFAULT_DRIVER_ID.into(),
        name: "Cloudinary default driver".into(),
        fields: vec![
            Field {
                max_length: Some(128),
                format: Format::CloudName,
                ..field(
                    CLOUD_NAME,
                    "Cloud-Name",
                    "Shown on the dashboard of your Cloudinary account.",
                )
            },
            Field {
                max_length: Some(64),
                format: Format::Digits,
                ..field(
                    API_KEY,
                    "API-Key",
                    "Shown on the API Keys page of your Cloudinary Console settings.",
                )
            },
            Field {
                secret: true,
                max_length: Some(128),
                format: Format::Token,
                ..field(
                    API_SECRET,
                    "API-Secret",
                    "Shown on the API Keys page of your Cloudinary Console settings.",
                )
            },
            Field {
                required: false,
                choices: Some(vec![
                    Choice {
                        value: "us".into(),
                        label: "US (default)".into(),
                    },
                    Choice {
                        value: "eu".into(),
                        label: "EU".into(),
                    },
                    Choice {
                        value: "ap".into(),
                        label: "AP".into(),
                    },
                ]),
                default: Some("us".into()),
                format: Format::Choice,
                ..field(
                    REGION,
                    "Region",
                    "US unless your enterprise account uses the EU or AP API host.",
                )
            },
        ],
    }
}

/// Every driver the server offers, in display order.
pub fn drivers() -> Vec<Driver> {
    vec![default_driver()]
}

/// The driver with this id among `drivers`.
pub fn find_driver<'a>(drivers: &'a [Driver], id: &str) -> Option<&'a Driver> {
    drivers.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_driver_fields_in_contract_order() {
        let d = default_driver();
        let keys: Vec<_> = d.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["cloud_name", "api_key", "api_secret", "region"]);
        let labels: Vec<_> = d.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Cloud-Name", "API-Key", "API-Secret", "Region"]);
        assert!(d.fields[2].secret);
        assert!(!d.fields[3].required);
    }

    #[test]
    fn region_hosts() {
        assert_eq!(
            Region::from_host("https://api-eu.cloudinary.com/"),
            Some(Region::Eu)
        );
        assert_eq!(Region::from_host("api-ap.cloudinary.com"), Some(Region::Ap));
        assert_eq!(Region::from_host("https://evil.example.com"), None);
        assert_eq!(Region::parse("us"), Some(Region::Us));
    }
}
