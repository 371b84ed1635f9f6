//! What the client says about itself, as Stripe's official libraries do:
//! `User-Agent` and `X-Stripe-Client-User-Agent` in stripe-python's format,
//! and the application naming itself (`AppInfo`, like
//! `stripe.set_app_info`).
#[path = "client/mod.rs"]
mod common;

use common::{header, received, retrieve};
use serde_json::{json, Value};
use stripe_identity::{AppInfo, Client, Error};

/// The header values of the one request `client` sends.
async fn sent_headers(builder: stripe_identity::ClientBuilder) -> (String, Value) {
    let server = common::session_server().await;
    let client = builder.base_url(server.uri()).build().unwrap();
    retrieve(&client).await.unwrap();
    let requests = received(&server).await;
    let agent = header(&requests[0], "user-agent").unwrap().to_owned();
    let json = header(&requests[0], "x-stripe-client-user-agent").unwrap();
    (agent, serde_json::from_str(json).unwrap())
}

#[tokio::test]
async fn client_user_agent_names_the_bindings() {
    let (agent, json) = sent_headers(Client::builder(common::SECRET)).await;

    // The generated crate's version (templates/Cargo.toml).
    assert_eq!(agent, "Stripe/v1 stripe-identity/0.1.0");
    let object = json.as_object().unwrap();
    assert_eq!(json["bindings_version"], "0.1.0");
    assert_eq!(json["lang"], "rust");
    assert_eq!(json["publisher"], "stripe-identity-codegen");
    assert_eq!(json["httplib"], "reqwest");
    let platform = json["platform"].as_str().unwrap();
    assert!(platform.contains(std::env::consts::OS), "{platform}");
    // Never the host name (stripe-python's `uname` holds it).
    assert!(!object.contains_key("uname"));
    assert!(!object.contains_key("application"));
}

#[tokio::test]
async fn the_application_names_itself() {
    let app = AppInfo::new("InventoryService")
        .version("3.1")
        .url("https://inventory.example")
        .partner_id("pp_partner_123");
    let (agent, json) = sent_headers(Client::builder(common::SECRET).app_info(app)).await;

    // stripe-python: "Stripe/v1 PythonBindings/<v> " + "name/version (url)".
    assert_eq!(
        agent,
        "Stripe/v1 stripe-identity/0.1.0 InventoryService/3.1 (https://inventory.example)"
    );
    assert_eq!(
        json["application"],
        json!({
            "name": "InventoryService",
            "version": "3.1",
            "url": "https://inventory.example",
            "partner_id": "pp_partner_123"
        })
    );
}

#[tokio::test]
async fn a_name_alone_is_enough() {
    let app = AppInfo::new("cli");
    let (agent, json) = sent_headers(Client::builder(common::SECRET).app_info(app)).await;

    assert_eq!(agent, "Stripe/v1 stripe-identity/0.1.0 cli");
    assert_eq!(json["application"], json!({"name": "cli"}));
}

#[test]
fn app_info_a_header_cannot_carry_is_refused() {
    for app in [
        AppInfo::new(""),
        AppInfo::new("Caf\u{e9}"),
        AppInfo::new("app").url("https://x.example/\r\nX-Injected: 1"),
    ] {
        let result = Client::builder(common::SECRET).app_info(app).build();
        assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
    }
}
