//! PINs and the organiser's passphrase are stored only as salted argon2id hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{Error, Result};

/// Hash a PIN or passphrase with a fresh random salt, as a PHC string (`$argon2id$v=19$…`).
pub fn hash_secret(secret: &str) -> Result<String> {
    let hash: argon2::password_hash::phc::PasswordHash = Argon2::default()
        .hash_password(secret.as_bytes())
        .map_err(|e| Error::from(crate::core::refusal::StoreRefusal::CannotHash(e.to_string())))?;
    Ok(hash.to_string())
}

/// `true` when `secret` matches the stored hash. A malformed stored hash matches nothing.
pub fn verify_secret(secret: &str, stored_hash: &str) -> bool {
    Argon2::default()
        .verify_password(secret.as_bytes(), stored_hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_and_verify() {
        let a = hash_secret("5175").unwrap();
        let b = hash_secret("5175").unwrap();
        assert_ne!(a, b, "each hash has its own salt");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_secret("5175", &a));
        assert!(!verify_secret("5176", &a));
        assert!(!verify_secret("5175", "not a hash"));
    }
}
