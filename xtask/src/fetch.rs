//! Downloading a spec release into the cache.

use crate::source::{sha256_hex, Pin};
use anyhow::{bail, Context};
use std::path::Path;
use std::time::Duration;

/// Downloads the pinned release to `cache`, checking its sha256 before the
/// file appears there (it is written to a temporary file and renamed).
pub fn download_pinned(pin: &Pin, cache: &Path) -> anyhow::Result<()> {
    eprintln!("downloading {} ({})", pin.url, pin.release);
    let bytes = match download(&pin.url) {
        Ok(bytes) => bytes,
        Err(err) => bail!("{}", no_spec_help(pin, cache, &format!("{err:#}"))),
    };
    let actual = sha256_hex(&bytes);
    if actual != pin.sha256 {
        bail!(
            "{}: sha256 mismatch\n  expected {} (pinned release {})\n  found    {actual}",
            pin.url,
            pin.sha256,
            pin.release
        );
    }
    write_atomically(cache, &bytes)
}

/// GETs a URL, failing on any non-2xx status.
pub fn download(url: &str) -> anyhow::Result<Vec<u8>> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let response = client
        .get(url)
        .send()
        .with_context(|| format!("GET {url}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("GET {url}: HTTP {status}");
    }
    Ok(response
        .bytes()
        .with_context(|| format!("reading the body of {url}"))?
        .to_vec())
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("cache path has no directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = dir.join(format!(".{}.partial", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("moving the download to {}", path.display()))
}

fn no_spec_help(pin: &Pin, cache: &Path, cause: &str) -> String {
    format!(
        "no spec file found, and downloading release {release} failed:\n  {cause}\n\n\
         Give the generator Stripe's spec3.yaml of release {release} in one of these ways:\n\
         \x20 * cargo xtask codegen --spec /path/to/spec3.yaml\n\
         \x20 * export STRIPE_OPENAPI_SPEC=/path/to/spec3.yaml\n\
         \x20 * copy it to {cache}\n\
         \x20   (in this repository's CI: cp ../shared/stripe-openapi/spec3.{release}.yaml {cache})\n\
         The file must have sha256 {sha}; upstream it is {url}",
        release = pin.release,
        cache = cache.display(),
        sha = pin.sha256,
        url = pin.url,
    )
}
