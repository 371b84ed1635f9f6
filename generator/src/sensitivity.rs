//! Which values `Debug` must never show. The rule is
//! `templates/src/sensitivity.rs`, included here and copied into the
//! generated crate, so the generator (which fields `Debug` redacts) and the
//! runtime (which of Stripe's error messages it withholds) apply the same
//! one. Its documentation states the rule.

#[path = "../../templates/src/sensitivity.rs"]
mod rule;

pub use rule::{is_sensitive, ValueKind};

#[cfg(test)]
mod tests {
    use super::{is_sensitive, ValueKind};

    #[test]
    fn personal_data_and_secrets_are_sensitive() {
        for wire in [
            "client_secret",
            "url",
            "first_name",
            "last_name",
            "id_number",
            "email",
            "phone",
            "number",
            "selfie",
            "document",
            "ip_address",
        ] {
            assert!(is_sensitive(wire, ValueKind::String), "{wire}");
        }
        for wire in ["dob", "address", "expiration_date", "issued_date", "files"] {
            assert!(is_sensitive(wire, ValueKind::Other), "{wire}");
        }
    }

    #[test]
    fn look_alikes_are_not() {
        for wire in [
            "id_number_type",
            "doc_url",
            "return_url",
            "nickname",
            "status",
            "issuing_country",
        ] {
            assert!(!is_sensitive(wire, ValueKind::String), "{wire}");
        }
        // Options and reports named after what they check.
        assert!(!is_sensitive("id_number", ValueKind::Other));
        assert!(!is_sensitive("document", ValueKind::Other));
        assert!(!is_sensitive("email", ValueKind::Other));
        assert!(!is_sensitive("require_id_number", ValueKind::Boolean));
    }
}
