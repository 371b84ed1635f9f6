//! What the client says about itself in every request, as Stripe's
//! official libraries do, so Stripe support can tell which library and
//! which application made a call.
//!
//! The format follows stripe-python (`_api_requestor.request_headers`):
//!
//! - `User-Agent: Stripe/v1 stripe-identity/0.1.0`, followed by the
//!   application when it names itself ([`AppInfo`]):
//!   `Stripe/v1 stripe-identity/0.1.0 MyApp/1.2 (https://myapp.example)`;
//! - `X-Stripe-Client-User-Agent`, a JSON object: `bindings_version`,
//!   `lang` (`"rust"`), `publisher`, `httplib` (`"reqwest"`), `platform`
//!   (the target's OS and architecture) and, when set, `application` (the
//!   [`AppInfo`] fields that are set).
//!
//! stripe-python also sends `lang_version` and `uname`. The compiler's
//! version is not known to a crate without a build script, which this crate
//! does not have, so `lang_version` is left out rather than guessed; `uname`
//! would include the machine's host name, so it is left out too.

use reqwest::header::HeaderValue;
use serde::Serialize;

use crate::error::Error;

/// The library's own part of `User-Agent`: `stripe-identity/<version>`.
const BINDINGS: &str = concat!("stripe-identity/", env!("CARGO_PKG_VERSION"));

/// Who publishes these bindings: the generator project, not Stripe.
const PUBLISHER: &str = "stripe-identity-codegen";

/// An application naming itself to Stripe, as `stripe.set_app_info(name,
/// version, url, partner_id)` does in Stripe's official libraries; see
/// [`ClientBuilder::app_info`](crate::ClientBuilder::app_info).
///
/// It is appended to `User-Agent` as `name/version (url)` and sent in full
/// in `X-Stripe-Client-User-Agent`. Every part must be printable ASCII, as
/// headers require.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partner_id: Option<String>,
}

impl AppInfo {
    /// An application called `name` (`"MyApp"`).
    pub fn new(name: impl Into<String>) -> Self {
        AppInfo {
            name: name.into(),
            version: None,
            url: None,
            partner_id: None,
        }
    }

    /// The application's version (`"1.2"`).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Where to learn about the application (`"https://myapp.example"`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// A Stripe partner id (`"pp_partner_..."`), for Stripe partners.
    pub fn partner_id(mut self, partner_id: impl Into<String>) -> Self {
        self.partner_id = Some(partner_id.into());
        self
    }

    /// `name/version (url)`, as stripe-python formats it.
    fn user_agent_part(&self) -> String {
        let mut text = self.name.clone();
        if let Some(version) = &self.version {
            text.push('/');
            text.push_str(version);
        }
        if let Some(url) = &self.url {
            text.push_str(&format!(" ({url})"));
        }
        text
    }

    /// Refuses an empty name and any part a header cannot carry.
    fn check(&self) -> Result<(), Error> {
        if self.name.trim().is_empty() {
            return Err(Error::Config("the app info name is empty".to_owned()));
        }
        let parts = [
            ("name", Some(&self.name)),
            ("version", self.version.as_ref()),
            ("url", self.url.as_ref()),
            ("partner_id", self.partner_id.as_ref()),
        ];
        for (field, value) in parts {
            let Some(value) = value else { continue };
            if !value.chars().all(|c| matches!(c, ' '..='~')) {
                return Err(Error::Config(format!(
                    "the app info {field} {value:?} must be printable ASCII"
                )));
            }
        }
        Ok(())
    }
}

/// The `X-Stripe-Client-User-Agent` object.
#[derive(Serialize)]
struct ClientUserAgent<'a> {
    bindings_version: &'static str,
    lang: &'static str,
    publisher: &'static str,
    httplib: &'static str,
    platform: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    application: Option<&'a AppInfo>,
}

/// The two telemetry headers, made once when the client is built.
#[derive(Clone)]
pub(crate) struct Telemetry {
    pub(crate) user_agent: HeaderValue,
    pub(crate) client_user_agent: HeaderValue,
}

impl Telemetry {
    /// The headers for a client, with the application if it named itself.
    pub(crate) fn new(app: Option<&AppInfo>) -> Result<Telemetry, Error> {
        if let Some(app) = app {
            app.check()?;
        }
        let mut user_agent = format!("Stripe/v1 {BINDINGS}");
        if let Some(app) = app {
            user_agent.push(' ');
            user_agent.push_str(&app.user_agent_part());
        }
        let json = serde_json::to_string(&ClientUserAgent {
            bindings_version: env!("CARGO_PKG_VERSION"),
            lang: "rust",
            publisher: PUBLISHER,
            httplib: "reqwest",
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            application: app,
        })
        .map_err(|e| Error::Config(format!("cannot encode X-Stripe-Client-User-Agent: {e}")))?;
        // Checked above: every part is printable ASCII, and JSON escapes
        // keep it so.
        let header = |text: String| {
            HeaderValue::try_from(text)
                .map_err(|_| Error::Config("the app info cannot be sent in a header".to_owned()))
        };
        Ok(Telemetry {
            user_agent: header(user_agent)?,
            client_user_agent: header(json)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_part_is_name_version_url() {
        let full = AppInfo::new("MyApp")
            .version("1.2")
            .url("https://x.example");
        assert_eq!(full.user_agent_part(), "MyApp/1.2 (https://x.example)");
        assert_eq!(AppInfo::new("MyApp").user_agent_part(), "MyApp");
        let no_version = AppInfo::new("MyApp").url("https://x.example");
        assert_eq!(no_version.user_agent_part(), "MyApp (https://x.example)");
    }

    #[test]
    fn non_ascii_and_empty_names_are_refused() {
        for bad in [
            AppInfo::new(""),
            AppInfo::new("Caf\u{e9}"),
            AppInfo::new("a").version("1\r\n"),
            AppInfo::new("a").url("https://x.example/\u{7f}"),
        ] {
            assert!(matches!(Telemetry::new(Some(&bad)), Err(Error::Config(_))));
        }
    }
}
