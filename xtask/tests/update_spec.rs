//! `cargo xtask update-spec`, run on temporary copies of the workspace
//! layout (never the real spec/pin.toml), against a server on 127.0.0.1
//! that serves the real releases from ../shared/stripe-openapi/.

mod common;

use common::{serve_once, shared_spec, test_spec, Reply, TempRoot, V99_SHA256};
use generator::Portion;
use xtask::source::{Origin, Pin};
use xtask::update_spec::{update_spec, upstream_url, Source};

fn identity() -> Portion {
    Portion::identity()
}

fn v99_bytes() -> Vec<u8> {
    std::fs::read(shared_spec("spec3.v99.yaml")).unwrap()
}

/// Runs update-spec for v99 against a server giving `reply`, and returns
/// the error, checking that nothing under spec/ changed.
fn failing_update(name: &str, reply: Reply) -> String {
    let root = TempRoot::new(name);
    let before = root.spec_tree();
    let (url, server) = serve_once(reply);
    let err = update_spec(&root.path, "v99", &Source::Url(url.clone()), &identity()).unwrap_err();
    server.join().unwrap();
    assert_eq!(root.spec_tree(), before, "spec/ changed after: {err:#}");
    let message = format!("{err:#}");
    assert!(message.contains(&url), "the error names the URL: {message}");
    assert!(
        message.contains("unchanged"),
        "the error says nothing changed: {message}"
    );
    eprintln!("{name}: {message}");
    message
}

#[test]
fn url_download_pins_the_release_and_fills_the_cache() {
    let root = TempRoot::new("update-ok");
    let (url, server) = serve_once(Reply::Full(v99_bytes()));
    let updated = update_spec(&root.path, "v99", &Source::Url(url), &identity()).unwrap();
    server.join().unwrap();
    assert_eq!(updated.api_version, "2020-08-27");
    assert_eq!(
        updated.previous.as_ref().map(|p| p.release.as_str()),
        Some("v524")
    );
    let pin = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    assert_eq!(pin.release, "v99");
    assert_eq!(pin.sha256, V99_SHA256);
    // The pin names upstream, not the mirror it was fetched from.
    assert_eq!(pin.url, upstream_url("v99"));
    assert_eq!(
        pin.url,
        "https://raw.githubusercontent.com/stripe/openapi/v99/openapi/spec3.yaml"
    );
    let cache = root.path.join("spec/cache/spec3.v99.yaml");
    assert_eq!(updated.cache, cache);
    assert_eq!(std::fs::read(&cache).unwrap(), v99_bytes());
    // What codegen will do next: the cache matches the new pin.
    xtask::source::read_checked(&pin, &cache, Origin::Cache).unwrap();
    assert_eq!(root.pin_text(), pin.to_toml());
    let leftovers: Vec<_> = root
        .spec_tree()
        .into_iter()
        .filter(|(p, _)| p.contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn local_file_pins_the_release() {
    let root = TempRoot::new("update-file");
    let updated = update_spec(
        &root.path,
        "v99",
        &Source::File(shared_spec("spec3.v99.yaml")),
        &identity(),
    )
    .unwrap();
    assert_eq!(updated.pin.sha256, V99_SHA256);
    assert!(root.pin_text().contains("release = \"v99\""));
    assert!(root.path.join("spec/cache/spec3.v99.yaml").exists());
    // The old release's cache file is left alone.
    assert!(!root.path.join("spec/cache/spec3.v524.yaml").exists());
}

#[test]
fn truncated_download_leaves_the_pin_untouched() {
    let bytes = v99_bytes();
    let half = bytes.len() / 2;
    let message = failing_update("update-truncated", Reply::Truncated(bytes, half));
    assert!(message.contains("not a spec"), "{message}");
}

#[test]
fn connection_closed_mid_body_leaves_the_pin_untouched() {
    let bytes = v99_bytes();
    let part = bytes.len() / 3;
    let message = failing_update("update-closed", Reply::ClosesEarly(bytes, part));
    assert!(message.contains("downloading"), "{message}");
}

#[test]
fn http_error_leaves_the_pin_untouched() {
    let message = failing_update("update-404", Reply::Status(404));
    assert!(message.contains("404"), "{message}");
}

#[test]
fn a_file_that_is_not_a_spec_leaves_the_pin_untouched() {
    let root = TempRoot::new("update-not-spec");
    let before = root.spec_tree();
    for name in ["no_identity.yaml", "not_a_spec.yaml"] {
        let path = test_spec(name);
        let err = update_spec(
            &root.path,
            "v1000",
            &Source::File(path.clone()),
            &identity(),
        )
        .unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains(&path.display().to_string()),
            "names the file: {message}"
        );
        assert!(message.contains("unchanged"), "{message}");
        assert_eq!(root.spec_tree(), before);
    }
    let missing = update_spec(
        &root.path,
        "v1000",
        &Source::File("no/such.yaml".into()),
        &identity(),
    )
    .unwrap_err();
    assert!(format!("{missing:#}").contains("no/such.yaml"));
    assert_eq!(root.spec_tree(), before);
}

#[test]
fn release_names_that_are_not_tags_are_refused() {
    let root = TempRoot::new("update-bad-release");
    let before = root.spec_tree();
    for release in ["", "../v1", "v1/x", ".hidden", "v 1"] {
        let err = update_spec(
            &root.path,
            release,
            &Source::File(shared_spec("spec3.v99.yaml")),
            &identity(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("not a release tag"),
            "{release:?}: {err:#}"
        );
    }
    assert_eq!(root.spec_tree(), before);
}

/// `--portion NAME` checks the new spec against that portion instead of
/// Identity: widgets_old.yaml has only a `widgets` namespace, so it is
/// refused for Identity and pinned for `widgets`, through the same
/// command-line arguments a user types.
#[test]
fn portion_flag_names_the_portion_the_spec_must_build() {
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: xtask::update_spec::Args,
    }
    let root = TempRoot::new("update-portion");
    let before = root.spec_tree();
    let file = test_spec("widgets_old.yaml").display().to_string();
    let parse = |extra: &[&str]| {
        let mut argv = vec!["update-spec", "--release", "v7", "--file", &file];
        argv.extend(extra);
        <Cli as clap::Parser>::try_parse_from(argv).unwrap().args
    };
    let err = xtask::update_spec::run(&root.path, parse(&[])).unwrap_err();
    assert!(format!("{err:#}").contains("`identity` portion"), "{err:#}");
    assert_eq!(root.spec_tree(), before, "refused, nothing changed");
    xtask::update_spec::run(&root.path, parse(&["--portion", "widgets"])).unwrap();
    let pin = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    assert_eq!(pin.release, "v7");
    assert!(root.path.join("spec/cache/spec3.v7.yaml").exists());
    let updated = update_spec(
        &root.path,
        "v8",
        &Source::File(test_spec("widgets_old.yaml")),
        &Portion::by_name("widgets"),
    )
    .unwrap();
    assert_eq!(updated.api_version, "2021-01-01");
}
