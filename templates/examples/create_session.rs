//! Creates a VerificationSession and prints where to send the user.
//!
//! ```text
//! STRIPE_SECRET_KEY=sk_test_... cargo run -p stripe-identity --example create_session
//! ```

use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::{Client, VerificationSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("STRIPE_SECRET_KEY")
        .map_err(|_| "set STRIPE_SECRET_KEY to a test-mode secret key")?;
    let client = Client::new(key);
    let session = VerificationSession::create(CreateVerificationSessionType::Document)
        .metadata("user_id", "42")
        .return_url("https://example.com/verified")
        .send(&client)
        .await?;
    // The URL is short-lived and single-use: hand it to the user, never log it.
    match &session.url {
        Some(url) => println!("Send the user to: {url}"),
        None => println!(
            "Session {} has no URL (status {})",
            session.id, session.status
        ),
    }
    Ok(())
}
