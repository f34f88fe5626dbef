//! Facts about a driver's fields that both sides ask: the keys of the Cloudinary
//! credentials, which fields are secret, whether a driver takes the API environment
//! variable. Asked here, not re-derived where they are needed.

use crate::types::{Driver, Field};

/// Field key of the Cloud-Name.
pub const CLOUD_NAME: &str = "cloud_name";
/// Field key of the API-Key.
pub const API_KEY: &str = "api_key";
/// Field key of the API-Secret (secret).
pub const API_SECRET: &str = "api_secret";
/// Field key of the API region (`us`, `eu`, `ap`).
pub const REGION: &str = "region";
/// The three credentials the API environment variable fills.
pub const ENV_VAR_KEYS: [&str; 3] = [CLOUD_NAME, API_KEY, API_SECRET];

impl Driver {
    /// The field declared under `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Whether `key` is a secret field of this driver (never shown, never sent back).
    pub fn is_secret(&self, key: &str) -> bool {
        self.field(key).is_some_and(|f| f.secret)
    }

    /// The driver's secret fields, in declaration order.
    pub fn secret_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.secret)
    }

    /// Whether the driver takes the API environment variable: it declares the three
    /// credentials the variable fills.
    pub fn takes_env_var(&self) -> bool {
        ENV_VAR_KEYS.iter().all(|k| self.field(k).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_driver;

    #[test]
    fn the_default_driver_keeps_only_the_api_secret_secret() {
        let d = default_driver();
        assert!(d.is_secret(API_SECRET));
        assert!(!d.is_secret(API_KEY));
        assert!(!d.is_secret(CLOUD_NAME));
        assert!(!d.is_secret("nope"));
        let secret: Vec<&str> = d.secret_fields().map(|f| f.key.as_str()).collect();
        assert_eq!(secret, [API_SECRET]);
        assert_eq!(d.field(REGION).map(|f| f.required), Some(false));
    }

    #[test]
    fn only_a_driver_with_the_three_credentials_takes_the_env_var() {
        let mut d = default_driver();
        assert!(d.takes_env_var());
        d.fields.retain(|f| f.key != API_KEY);
        assert!(!d.takes_env_var());
    }
}
