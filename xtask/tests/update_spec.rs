//! `cargo xtask update-spec` and `cargo xtask release`, run on temporary
//! copies of the workspace (never the real spec/ or generated/), against a
//! server on 127.0.0.1 that serves the real releases from
//! ../shared/stripe-openapi/.

mod common;

use common::{
    serve_once, shared_spec, test_spec, Reply, TempRoot, CHANGELOG, V524_SHA256, V99_SHA256,
};
use generator::Portion;
use xtask::bump::{Bump, Impact};
use xtask::changelog::parse_date;
use xtask::release::{prepare, NewSpec, Options, Released};
use xtask::source::{sha256_hex, Origin, Pin};
use xtask::spec_diff::{self, Snapshot};
use xtask::transaction::{self, Recovery, STAGING};
use xtask::update_spec::{update_spec, upstream_url, Source};

fn identity() -> Portion {
    Portion::identity()
}

fn widgets() -> Portion {
    Portion::by_name("widgets")
}

fn options(date: &str, bump: Option<Bump>) -> Options {
    Options {
        bump,
        date: parse_date(date).unwrap(),
        notes: Vec::new(),
    }
}

fn v99_bytes() -> Vec<u8> {
    std::fs::read(shared_spec("spec3.v99.yaml")).unwrap()
}

/// An update that must release something.
fn released(result: anyhow::Result<Option<Released>>) -> Released {
    result
        .unwrap_or_else(|e| panic!("{e:#}"))
        .expect("the update released a version")
}

/// The new entry of v524 -> v99: the inverse of the README's documented
/// v99 -> v524 changes (four fields change requiredness, and the response
/// field `Error.error.request_log_url` is removed, which is breaking), under
/// the release's heading.
const V99_ENTRY: &str = "\
## [0.2.0] - 2026-12-05

Generated from release v99 of Stripe's OpenAPI spec (Stripe API version 2020-08-27).

### Changes to the `identity` API: v524 (API version 2023-08-16) to v99 (API version 2020-08-27)

#### Breaking

- Changed field `VerificationReport.options` from optional to required.
- Changed field `VerificationReport.type` from optional to required.
- Changed field `VerificationSession.options` from optional, nullable to required.
- Changed field `VerificationSession.type` from optional, nullable to required.
- Removed field `Error.error.request_log_url` (string, optional).

#### Non-breaking

None.

Description-only changes (not listed): 3.

";

/// Back to v524: the README's documented example, as the release's entry.
const V524_ENTRY: &str = "\
## [0.3.0] - 2026-12-06

Generated from release v524 of Stripe's OpenAPI spec (Stripe API version 2023-08-16).

### Changes to the `identity` API: v99 (API version 2020-08-27) to v524 (API version 2023-08-16)

#### Breaking

- Changed field `VerificationReport.options` from required to optional.
- Changed field `VerificationReport.type` from required to optional.
- Changed field `VerificationSession.options` from required to optional, nullable.
- Changed field `VerificationSession.type` from required to optional, nullable.

#### Non-breaking

- Added field `Error.error.request_log_url` (string, optional).

Description-only changes (not listed): 3.

";

/// The changelog's preamble and first entry, as [`CHANGELOG`] splits them.
fn preamble_and_first() -> (&'static str, &'static str) {
    CHANGELOG.split_at(CHANGELOG.find("## [0.1.0]").unwrap())
}

/// The change lines and description count `cargo xtask spec-diff OLD NEW`
/// prints, with both releases in the copy's cache.
fn spec_diff_lines(root: &TempRoot, old: &str, new: &str) -> Vec<String> {
    let old = Snapshot::load(&root.path, old, &identity()).unwrap();
    let new = Snapshot::load(&root.path, new, &identity()).unwrap();
    change_lines(&spec_diff::diff(&old, &new).markdown())
}

fn change_lines(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("None") || l.starts_with("Description"))
        .map(str::to_owned)
        .collect()
}

/// `cargo xtask codegen --check` on the copy: generated/ is exactly what
/// the pin, the changelog and the templates make.
fn assert_generated_is_current(root: &TempRoot, portion: &Portion) {
    let spec = xtask::codegen::locate_spec(&root.path, None).unwrap();
    let generated = xtask::codegen::generate(&root.path, &spec, portion).unwrap();
    let drift = generated.files.check(&root.path.join("generated")).unwrap();
    let report: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(drift.is_empty(), "{}", report.join("\n"));
}

/// What a version and its spec look like in the generated crate.
fn assert_stamped(root: &TempRoot, version: &str, release: &str, api_version: &str) {
    let manifest = root.read("generated/Cargo.toml");
    assert!(
        manifest.contains(&format!("\nversion = \"{version}\"\n")),
        "{manifest}"
    );
    let readme = root.read("generated/README.md");
    let line = format!(
        "Version {version} is generated from release {release} of Stripe's OpenAPI spec \
         (Stripe API version {api_version})"
    );
    assert!(readme.contains(&line), "README lacks: {line}");
    let source = root.read("spec/CHANGELOG.md");
    let generated = root.read("generated/CHANGELOG.md");
    assert!(generated.starts_with("<!--\n@generated"), "{generated}");
    assert!(generated.ends_with(&source));
}

#[test]
fn v524_to_v99_is_a_breaking_release_and_back_again() {
    let root = TempRoot::new("v99-and-back");
    let (preamble, first) = preamble_and_first();
    // Downloaded from a mirror; `--bump patch` asks for less than the
    // changes need, and does not lower the bump.
    let (url, server) = serve_once(Reply::Full(v99_bytes()));
    let to_v99 = update_spec(
        &root.path,
        "v99",
        &Source::Url(url),
        &identity(),
        &options("2026-12-05", Some(Bump::Patch)),
    );
    server.join().unwrap();
    let to_v99 = released(to_v99);
    assert_eq!(to_v99.impact, Impact::Breaking);
    assert_eq!(to_v99.previous.version.to_string(), "0.1.0");
    assert_eq!(to_v99.pin.version.to_string(), "0.2.0");
    assert_eq!(to_v99.api_version, "2020-08-27");
    assert_eq!(to_v99.entry.as_deref(), Some(V99_ENTRY));
    assert_eq!(
        change_lines(V99_ENTRY),
        spec_diff_lines(&root, "v524", "v99"),
        "the entry lists what spec-diff v524 v99 reports"
    );

    let pin = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    assert_eq!(pin, to_v99.pin);
    assert_eq!(
        (pin.release.as_str(), pin.sha256.as_str()),
        ("v99", V99_SHA256)
    );
    // The pin names upstream, not the mirror it was fetched from.
    assert_eq!(pin.url, upstream_url("v99"));
    assert_eq!(
        pin.url,
        "https://raw.githubusercontent.com/stripe/openapi/v99/openapi/spec3.yaml"
    );
    let cache = root.path.join("spec/cache/spec3.v99.yaml");
    assert_eq!(std::fs::read(&cache).unwrap(), v99_bytes());
    xtask::source::read_checked(&pin, &cache, Origin::Cache).unwrap();
    // The new entry goes above the old one, which stays byte for byte.
    assert_eq!(
        root.read("spec/CHANGELOG.md"),
        format!("{preamble}{V99_ENTRY}{first}")
    );
    assert_stamped(&root, "0.2.0", "v99", "2020-08-27");
    assert_generated_is_current(&root, &identity());
    assert!(!root.path.join(STAGING).exists());

    // Back to v524: breaking again, the documented changes.
    let to_v524 = released(update_spec(
        &root.path,
        "v524",
        &Source::File(shared_spec("spec3.v524.yaml")),
        &identity(),
        &options("2026-12-06", None),
    ));
    assert_eq!(to_v524.impact, Impact::Breaking);
    assert_eq!(to_v524.pin.version.to_string(), "0.3.0");
    assert_eq!(to_v524.pin.sha256, V524_SHA256);
    assert_eq!(to_v524.entry.as_deref(), Some(V524_ENTRY));
    assert_eq!(
        change_lines(V524_ENTRY),
        spec_diff_lines(&root, "v99", "v524")
    );
    assert_eq!(
        root.read("spec/CHANGELOG.md"),
        format!("{preamble}{V524_ENTRY}{V99_ENTRY}{first}")
    );
    assert_stamped(&root, "0.3.0", "v524", "2023-08-16");
    assert_generated_is_current(&root, &identity());
    // The previous release's cache file stays, for diffs.
    assert!(cache.exists());
}

#[test]
fn an_identical_spec_bumps_nothing_and_writes_nothing() {
    let root = TempRoot::new("identical");
    let before = root.all_files();
    let result = update_spec(
        &root.path,
        "v524",
        &Source::File(shared_spec("spec3.v524.yaml")),
        &identity(),
        &options("2026-12-05", None),
    )
    .unwrap();
    assert!(result.is_none(), "{result:?}");
    assert!(root.all_files() == before, "a file changed");
}

/// A copy pinned to widgets_old.yaml as release v1 at `version`.
fn widgets_root(name: &str, version: &str) -> TempRoot {
    let spec = test_spec("widgets_old.yaml");
    let pin = Pin {
        version: semver::Version::parse(version).unwrap(),
        release: "v1".to_owned(),
        file: "openapi/spec3.yaml".to_owned(),
        sha256: sha256_hex(&std::fs::read(&spec).unwrap()),
        url: upstream_url("v1"),
    };
    let changelog = format!("# Changelog\n\n## [{version}] - 2026-01-01\n\nFirst.\n");
    TempRoot::pinned(name, pin, &spec, &changelog)
}

fn update_widgets(root: &TempRoot, spec: &str) -> Released {
    released(update_spec(
        &root.path,
        "v2",
        &Source::File(test_spec(spec)),
        &widgets(),
        &options("2026-12-05", None),
    ))
}

#[test]
fn an_added_optional_response_field_is_a_compatible_release() {
    for (version, next) in [("1.2.3", "1.3.0"), ("0.1.0", "0.1.1")] {
        let root = widgets_root(&format!("compatible-{version}"), version);
        let done = update_widgets(&root, "widgets_new.yaml");
        assert_eq!(done.impact, Impact::Compatible);
        assert_eq!(done.pin.version.to_string(), next);
        let entry = done.entry.unwrap();
        assert!(
            entry.starts_with(&format!("## [{next}] - 2026-12-05\n")),
            "{entry}"
        );
        assert!(
            entry.contains(
                "#### Breaking\n\nNone.\n\n#### Non-breaking\n\n\
                 - Added field `Gadget.color` (string, optional).\n"
            ),
            "{entry}"
        );
        assert_stamped(&root, next, "v2", "2021-02-01");
        assert_generated_is_current(&root, &widgets());
    }
}

#[test]
fn a_description_only_change_bumps_the_patch() {
    let root = widgets_root("docs-only", "1.2.3");
    let done = update_widgets(&root, "widgets_docs.yaml");
    assert_eq!(done.impact, Impact::Descriptions);
    assert_eq!(done.pin.version.to_string(), "1.2.4");
    let entry = done.entry.unwrap();
    assert!(
        entry.contains(
            "#### Breaking\n\nNone.\n\n#### Non-breaking\n\nNone.\n\n\
             Description-only changes (not listed): 1.\n"
        ),
        "{entry}"
    );
    assert_generated_is_current(&root, &widgets());
}

/// Runs an update that must fail, and checks that its error names `step`
/// and that no file of the copy changed. Returns the error.
fn failing(root: &TempRoot, source: Source, step: &str) -> String {
    let before = root.all_files();
    let err = update_spec(
        &root.path,
        "v1000",
        &source,
        &identity(),
        &options("2026-12-05", None),
    )
    .unwrap_err();
    let message = format!("{err:#}");
    assert!(
        root.all_files() == before,
        "a file changed after: {message}"
    );
    assert!(
        message.contains(&format!("step `{step}` failed")),
        "names the step `{step}`: {message}"
    );
    assert!(message.contains("unchanged"), "{message}");
    eprintln!("{step}: {message}");
    message
}

fn failing_download(name: &str, reply: Reply, step: &str) -> String {
    let root = TempRoot::new(name);
    let (url, server) = serve_once(reply);
    let message = failing(&root, Source::Url(url.clone()), step);
    server.join().unwrap();
    assert!(message.contains(&url), "the error names the URL: {message}");
    message
}

#[test]
fn a_failed_download_changes_nothing() {
    let message = failing_download("update-404", Reply::Status(404), "fetch");
    assert!(message.contains("404"), "{message}");
    let bytes = v99_bytes();
    let part = bytes.len() / 3;
    let message = failing_download("update-closed", Reply::ClosesEarly(bytes, part), "fetch");
    assert!(message.contains("downloading"), "{message}");
}

#[test]
fn a_truncated_download_fails_to_parse_and_changes_nothing() {
    let bytes = v99_bytes();
    let half = bytes.len() / 2;
    let message = failing_download("update-truncated", Reply::Truncated(bytes, half), "parse");
    assert!(message.contains("not a spec"), "{message}");
}

#[test]
fn a_file_that_is_not_a_usable_spec_changes_nothing() {
    let root = TempRoot::new("update-not-spec");
    for (name, step) in [
        ("not_a_spec.yaml", "parse"),
        ("no_identity.yaml", "portion"),
        // Builds the portion, but has no error envelope: no crate.
        ("rules_old.yaml", "generate"),
    ] {
        let path = test_spec(name);
        let message = failing(&root, Source::File(path.clone()), step);
        assert!(
            message.contains(&path.display().to_string()),
            "names the file: {message}"
        );
    }
    let message = failing(&root, Source::File("no/such.yaml".into()), "fetch");
    assert!(message.contains("no/such.yaml"), "{message}");
}

#[test]
fn an_unreadable_previous_spec_changes_nothing() {
    let root = TempRoot::new("update-bad-cache");
    // The pinned release's cache file no longer has the pin's checksum.
    std::fs::write(root.path.join("spec/cache/spec3.v524.yaml"), "edited").unwrap();
    let message = failing(
        &root,
        Source::File(shared_spec("spec3.v99.yaml")),
        "previous spec",
    );
    assert!(message.contains("sha256 mismatch"), "{message}");
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
            &options("2026-12-05", None),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("not a release tag"),
            "{release:?}: {err:#}"
        );
    }
    assert_eq!(root.spec_tree(), before);
}

/// Files of the copy outside the staging directory.
fn visible(root: &TempRoot) -> Vec<(String, Vec<u8>)> {
    let mut files = root.all_files();
    files.retain(|(path, _)| !path.starts_with(STAGING));
    files
}

fn prepare_widgets_update(root: &TempRoot) -> xtask::release::Prepared {
    let previous = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    let new = NewSpec {
        release: "v2".to_owned(),
        bytes: std::fs::read(test_spec("widgets_new.yaml")).unwrap(),
        label: "widgets_new.yaml".to_owned(),
    };
    prepare(
        &root.path,
        previous,
        new,
        &widgets(),
        &options("2026-12-05", None),
    )
    .unwrap()
}

#[derive(clap::Parser)]
struct CodegenCli {
    #[command(flatten)]
    args: xtask::codegen::Args,
}

#[test]
fn an_update_interrupted_before_its_commit_point_changes_nothing() {
    let root = widgets_root("interrupted-early", "0.1.0");
    let before = root.all_files();
    let staged = prepare_widgets_update(&root).transaction.stage().unwrap();
    drop(staged); // the process is killed here
    assert!(visible(&root) == before, "a file changed");
    assert!(root.path.join(STAGING).exists());
    // The next run removes what the killed one staged.
    assert_eq!(
        transaction::recover(&root.path).unwrap(),
        Recovery::Discarded
    );
    assert!(root.all_files() == before, "a file changed");
}

#[test]
fn an_update_interrupted_after_its_commit_point_is_finished_by_the_next_run() {
    let root = widgets_root("interrupted-late", "0.1.0");
    let before = root.all_files();
    let prepared = prepare_widgets_update(&root);
    let written = prepared.transaction.paths();
    assert_eq!(
        written,
        [
            "generated/",
            "spec/cache/spec3.v2.yaml",
            "spec/CHANGELOG.md",
            "spec/pin.toml"
        ]
    );
    let committed = prepared.transaction.stage().unwrap().mark_committed();
    drop(committed); // the process is killed before any rename
    assert!(visible(&root) == before, "a file changed");
    // `codegen --check` writes nothing, so it refuses to run.
    let check = <CodegenCli as clap::Parser>::parse_from(["codegen", "--check"]).args;
    let err = xtask::codegen::run(&root.path, check).unwrap_err();
    assert!(err.to_string().contains("interrupted"), "{err:#}");
    // Any writing run finishes it first.
    assert_eq!(
        transaction::recover(&root.path).unwrap(),
        Recovery::Finished
    );
    assert!(!root.path.join(STAGING).exists());
    let pin = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    assert_eq!(
        (pin.release.as_str(), pin.version.to_string()),
        ("v2", "0.1.1".into())
    );
    assert_stamped(&root, "0.1.1", "v2", "2021-02-01");
    assert_generated_is_current(&root, &widgets());
}

/// `cargo xtask release --bump patch` releases template changes with the
/// pinned spec, through the command line a maintainer types.
#[test]
fn release_bumps_the_version_without_a_spec_change() {
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: xtask::release::Args,
    }
    let root = TempRoot::new("release-patch");
    let (preamble, first) = preamble_and_first();
    let args = <Cli as clap::Parser>::parse_from([
        "release",
        "--bump",
        "patch",
        "--date",
        "2026-12-07",
        "--note",
        "Retries wait for `Retry-After`.",
    ])
    .args;
    xtask::release::run(&root.path, args).unwrap();
    let pin = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    assert_eq!(pin.version.to_string(), "0.1.1");
    assert_eq!(
        (pin.release.as_str(), pin.sha256.as_str()),
        ("v524", V524_SHA256)
    );
    let entry = "\
## [0.1.1] - 2026-12-07

Generated from release v524 of Stripe's OpenAPI spec (Stripe API version 2023-08-16).

The API is unchanged: the spec is the previous release's.

### Changed

- Retries wait for `Retry-After`.

";
    assert_eq!(
        root.read("spec/CHANGELOG.md"),
        format!("{preamble}{entry}{first}")
    );
    assert_stamped(&root, "0.1.1", "v524", "2023-08-16");
    assert_generated_is_current(&root, &identity());
    // `release` always needs a bump: with the spec unchanged nothing else asks for one.
    let err =
        xtask::release::release(&root.path, &identity(), &options("2026-12-07", None)).unwrap_err();
    assert!(err.to_string().contains("--bump"), "{err:#}");
}

/// `--portion NAME` compares and generates that portion instead of
/// Identity: widgets_old.yaml has only a `widgets` namespace, so it is
/// refused for Identity and released for `widgets`, through the same
/// command-line arguments a user types.
#[test]
fn portion_flag_names_the_portion_the_spec_must_build() {
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: xtask::update_spec::Args,
    }
    let root = TempRoot::new("update-portion");
    let before = root.all_files();
    let file = test_spec("widgets_old.yaml").display().to_string();
    let parse = |extra: &[&str]| {
        let mut argv = vec![
            "update-spec",
            "--release",
            "v7",
            "--file",
            &file,
            "--date",
            "2026-12-05",
        ];
        argv.extend(extra);
        <Cli as clap::Parser>::try_parse_from(argv).unwrap().args
    };
    let err = xtask::update_spec::run(&root.path, parse(&[])).unwrap_err();
    assert!(format!("{err:#}").contains("`identity` portion"), "{err:#}");
    assert!(root.all_files() == before, "refused, nothing changed");
    xtask::update_spec::run(&root.path, parse(&["--portion", "widgets"])).unwrap();
    let pin = Pin::load(&root.path.join("spec/pin.toml")).unwrap();
    assert_eq!(pin.release, "v7");
    // v524 has no `widgets` namespace: everything is an addition.
    assert_eq!(pin.version.to_string(), "0.1.1");
    assert!(root.path.join("spec/cache/spec3.v7.yaml").exists());
    assert_generated_is_current(&root, &widgets());
}
