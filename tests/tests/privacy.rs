//! A user can log any value of this crate without leaking who was verified:
//! `Debug` of a fully populated verified session and report shows none of
//! the personal data or secrets, while serialization keeps every value.

use serde_json::{json, Value};
use stripe_identity::{VerificationReport, VerificationSession};

/// Distinctive personal values, each of which must never appear in `Debug`.
const PERSONAL: &[&str] = &[
    "Jenny",
    "Rosen",
    "1937",
    "123-45-6789",
    "1234 Main St.",
    "Apartment 5",
    "San Francisco",
    "94111",
    "A1B2C3D4",
    "2031",
    "2019",
    "file_front_1",
    "file_back_2",
    "file_selfie_3",
    "file_selfie_doc_4",
    "vs_1_secret_xyz",
    "verify.stripe.com/start/xyz",
    "jenny.rosen@example.com",
    "+15555555555",
];

fn address() -> Value {
    json!({"city": "San Francisco", "country": "US", "line1": "1234 Main St.",
           "line2": "Apartment 5", "postal_code": "94111", "state": "CA"})
}

fn dob() -> Value {
    json!({"day": 17, "month": 11, "year": 1937})
}

fn report() -> Value {
    json!({
        "id": "vr_1", "object": "identity.verification_report", "created": 1700000000,
        "livemode": false, "type": "document", "verification_session": "vs_1",
        "document": {
            "status": "verified", "type": "driving_license", "issuing_country": "US",
            "first_name": "Jenny", "last_name": "Rosen", "address": address(), "dob": dob(),
            "number": "A1B2C3D4",
            "expiration_date": {"day": 1, "month": 12, "year": 2031},
            "issued_date": {"day": 1, "month": 12, "year": 2019},
            "files": ["file_front_1", "file_back_2"]
        },
        "id_number": {
            "status": "verified", "id_number_type": "us_ssn", "id_number": "123-45-6789",
            "first_name": "Jenny", "last_name": "Rosen", "dob": dob()
        },
        "selfie": {"status": "verified", "selfie": "file_selfie_3", "document": "file_selfie_doc_4"},
        // A newer API version's field: unknown to the spec, never shown by value.
        "email": {"status": "verified", "email": "jenny.rosen@example.com"}
    })
}

fn session() -> Value {
    json!({
        "id": "vs_1", "object": "identity.verification_session", "created": 1700000000,
        "livemode": false, "metadata": {}, "status": "verified", "type": "document",
        "client_secret": "vs_1_secret_xyz", "url": "https://verify.stripe.com/start/xyz",
        "verified_outputs": {
            "first_name": "Jenny", "last_name": "Rosen", "address": address(), "dob": dob(),
            "id_number": "123-45-6789", "id_number_type": "us_ssn",
            "email": "jenny.rosen@example.com", "phone": "+15555555555"
        },
        "last_verification_report": report()
    })
}

fn assert_hidden(debug: &str) {
    for value in PERSONAL {
        assert!(!debug.contains(value), "`{value}` shows in {debug}");
    }
}

#[test]
fn debug_of_a_verified_session_shows_no_personal_data() {
    let session: VerificationSession = serde_json::from_value(session()).unwrap();
    let debug = format!("{session:?}");
    assert_hidden(&debug);
    assert_hidden(&format!("{session:#?}"));
    // What is not personal stays visible, so the output is still useful.
    for visible in ["vs_1", "vr_1", "Verified", "UsSsn", "DrivingLicense"] {
        assert!(debug.contains(visible), "`{visible}` missing from {debug}");
    }
}

#[test]
fn debug_of_a_verified_report_shows_no_personal_data() {
    let report: VerificationReport = serde_json::from_value(report()).unwrap();
    assert_hidden(&format!("{report:?}"));
}

#[test]
fn serialization_and_fields_still_give_the_real_values() {
    let session: VerificationSession = serde_json::from_value(session()).unwrap();
    let outputs = session.verified_outputs.as_ref().unwrap();
    assert_eq!(outputs.first_name.as_deref(), Some("Jenny"));
    assert_eq!(outputs.id_number.as_deref(), Some("123-45-6789"));
    let text = serde_json::to_string(&session).unwrap();
    for value in PERSONAL {
        assert!(text.contains(value), "`{value}` lost from {text}");
    }
}
