//! Lists every verified VerificationSession, following pagination to the end.
//!
//! ```text
//! STRIPE_SECRET_KEY=sk_test_... cargo run -p stripe-identity --example list_verified
//! ```

use stripe_identity::models::ListVerificationSessionsStatus;
use stripe_identity::{Client, VerificationSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("STRIPE_SECRET_KEY")
        .map_err(|_| "set STRIPE_SECRET_KEY to a test-mode secret key")?;
    let client = Client::new(key);
    let request = VerificationSession::list()
        .status(ListVerificationSessionsStatus::Verified)
        .limit(100);
    let mut sessions = request.paginate(&client);
    let mut count = 0;
    while let Some(session) = sessions.next().await {
        let session = session?;
        count += 1;
        println!("{} created {}", session.id, session.created);
    }
    println!("{count} verified sessions");
    Ok(())
}
