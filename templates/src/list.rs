//! One page of a Stripe list endpoint.

use serde::{Deserialize, Serialize};

/// One page of results from a Stripe list endpoint (`"object": "list"`).
///
/// To walk every page, use the list method's auto-paginating variant instead of
/// requesting pages by hand: it follows [`has_more`](List::has_more) with
/// `starting_after`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct List<T> {
    /// Always `list`; kept so that a page serializes back as it was sent.
    #[serde(default = "list_object")]
    pub object: String,
    /// The objects on this page, in the order Stripe returned them.
    pub data: Vec<T>,
    /// Whether more objects follow this page.
    pub has_more: bool,
    /// The URL path this list was fetched from (for example
    /// `/v1/identity/verification_sessions`).
    #[serde(default)]
    pub url: String,
}

fn list_object() -> String {
    "list".to_owned()
}
