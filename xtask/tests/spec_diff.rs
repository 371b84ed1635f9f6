//! `cargo xtask spec-diff`: the real releases in ../shared/stripe-openapi/
//! (v99, API 2020-08-27; v524, API 2023-08-16) and small hand-written specs
//! with one change of each class.

mod common;

use common::{shared_spec, test_spec, TempRoot};
use generator::Portion;
use std::sync::OnceLock;
use xtask::spec_diff::{
    diff, resolve, Change, ChangeKind, Changelog, Kind, Rule, Scope, Side, Snapshot,
};

/// Builds a snapshot from a file, naming it `label` in the changelog.
fn snapshot(label: &str, path: &std::path::Path) -> Snapshot {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Snapshot::from_text(
        label,
        &text,
        &path.display().to_string(),
        &Portion::identity(),
    )
    .unwrap()
}

/// The real specs take a second or two each to parse: once per test binary.
fn v99() -> &'static Snapshot {
    static S: OnceLock<Snapshot> = OnceLock::new();
    S.get_or_init(|| snapshot("v99", &shared_spec("spec3.v99.yaml")))
}

fn v524() -> &'static Snapshot {
    static S: OnceLock<Snapshot> = OnceLock::new();
    S.get_or_init(|| snapshot("v524", &shared_spec("spec3.v524.yaml")))
}

/// `(root.path[=value], change, rule)` of every listed change, for compact assertions.
fn summary(changes: &[Change]) -> Vec<(String, ChangeKind, Rule)> {
    changes
        .iter()
        .map(|c| {
            let mut at = std::iter::once(c.key.root.clone())
                .chain(c.key.path.iter().cloned())
                .collect::<Vec<_>>()
                .join(".");
            if let Some(v) = &c.key.value {
                at = format!("{at}={v}");
            }
            (at, c.change, c.rule)
        })
        .collect()
}

fn find<'a>(log: &'a Changelog, root: &str, path: &[&str]) -> Vec<&'a Change> {
    log.breaking
        .iter()
        .chain(&log.non_breaking)
        .filter(|c| c.key.root == root && c.key.path == path)
        .collect()
}

/// Checked by hand against the two files: in v524 `identity.verification_report`
/// no longer lists `options` and `type` as required; `identity.verification_session`
/// drops both from `required` and makes them nullable (`options` becomes
/// `anyOf: [$ref]` with `nullable: true`); `api_errors` gains `request_log_url`.
/// Operations, parameters and enum values are the same; two descriptions
/// change alone (the VerificationSession resource's, "user’s" -> "user's",
/// and the create operation's, which loses a final period).
#[test]
fn v99_to_v524_lists_the_real_identity_changes() {
    let log = diff(v99(), v524());
    assert_eq!(
        (log.old.api_version.as_str(), log.new.api_version.as_str()),
        ("2020-08-27", "2023-08-16")
    );
    assert!(
        log.old.portion_present,
        "v99 (2021-12) already has Identity"
    );
    use ChangeKind::*;
    assert_eq!(
        summary(&log.breaking),
        [
            (
                "VerificationReport.options".to_owned(),
                Presence,
                Rule::OptionChanged
            ),
            (
                "VerificationReport.type".to_owned(),
                Presence,
                Rule::OptionChanged
            ),
            (
                "VerificationSession.options".to_owned(),
                Presence,
                Rule::OptionChanged
            ),
            (
                "VerificationSession.type".to_owned(),
                Presence,
                Rule::OptionChanged
            ),
        ]
    );
    assert_eq!(
        summary(&log.non_breaking),
        [(
            "Error.error.request_log_url".to_owned(),
            Added,
            Rule::NewResponseField
        )]
    );
    // Two in the sessions and reports, one in the events: the wording of
    // `previous_attributes` changed.
    assert_eq!(log.description_only, 3);
    let options = find(&log, "VerificationSession", &["options"]);
    assert_eq!(options[0].old.as_deref(), Some("required"));
    assert_eq!(options[0].new.as_deref(), Some("optional, nullable"));
    let report_type = find(&log, "VerificationReport", &["type"]);
    assert_eq!(report_type[0].new.as_deref(), Some("optional"));
}

#[test]
fn v99_to_v524_markdown_is_grouped_and_readable() {
    let md = diff(v99(), v524()).markdown();
    let expected = "\
## Changes to the `identity` API: v99 (API version 2020-08-27) to v524 (API version 2023-08-16)

### Breaking

- Changed field `VerificationReport.options` from required to optional.
- Changed field `VerificationReport.type` from required to optional.
- Changed field `VerificationSession.options` from required to optional, nullable.
- Changed field `VerificationSession.type` from required to optional, nullable.

### Non-breaking

- Added field `Error.error.request_log_url` (string, optional).

Description-only changes (not listed): 3.
";
    assert_eq!(md, expected);
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    let log = diff(v524(), v524());
    assert!(log.is_empty(), "{}", log.markdown());
    assert!(log.markdown().contains("### Breaking\n\nNone.\n"));
}

/// v524 -> v99 is v99 -> v524 mirrored: added becomes removed, old and new
/// swap, and what was a harmless addition becomes a breaking removal.
#[test]
fn v524_to_v99_reports_the_reverse() {
    let forward = diff(v99(), v524());
    let reverse = diff(v524(), v99());
    let all = |log: &Changelog| {
        log.breaking
            .iter()
            .chain(&log.non_breaking)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (fwd, rev) = (all(&forward), all(&reverse));
    assert_eq!(fwd.len(), rev.len());
    for f in &fwd {
        let r = rev
            .iter()
            .find(|r| r.key == f.key)
            .unwrap_or_else(|| panic!("no reverse of {f:?}"));
        let mirrored = match f.change {
            ChangeKind::Added => ChangeKind::Removed,
            ChangeKind::Removed => ChangeKind::Added,
            other => other,
        };
        assert_eq!(
            (r.change, &r.old, &r.new),
            (mirrored, &f.new, &f.old),
            "{f:?} vs {r:?}"
        );
    }
    let removed = find(&reverse, "Error", &["error", "request_log_url"]);
    assert_eq!(
        (removed[0].change, removed[0].breaking),
        (ChangeKind::Removed, true)
    );
    // Optional back to required: `Option<T>` becomes `T`, breaking again.
    assert_eq!(reverse.breaking.len(), 5);
    assert_eq!(reverse.description_only, forward.description_only);
}

#[test]
fn json_output_carries_keys_classes_and_rules() {
    let log = diff(v99(), v524());
    let json: serde_json::Value = serde_json::from_str(&log.json()).unwrap();
    assert_eq!(json["old"]["api_version"], "2020-08-27");
    assert_eq!(json["description_only"], 3);
    let first = &json["breaking"][0];
    assert_eq!(first["scope"], "resource");
    assert_eq!(first["root"], "VerificationReport");
    assert_eq!(first["path"], serde_json::json!(["options"]));
    assert_eq!(first["change"], "presence");
    assert_eq!(first["rule"], "option_changed");
    assert_eq!(first["breaking"], true);
    assert_eq!(json["non_breaking"][0]["rule"], "new_response_field");
    // Stable: the same input gives the same bytes.
    assert_eq!(log.json(), diff(v99(), v524()).json());
}

/// rules_new.yaml makes one change of each class to rules_old.yaml; each
/// is commented there with the class it must get.
#[test]
fn each_rule_classes_its_change() {
    let old = snapshot("old", &test_spec("rules_old.yaml"));
    let new = snapshot("new", &test_spec("rules_new.yaml"));
    let log = diff(&old, &new);
    use ChangeKind::*;
    let create = "POST /v1/identity/widgets";
    let s = |a: &str| a.to_owned();
    assert_eq!(
        summary(&log.breaking),
        [
            (s("Widget.label"), Presence, Rule::OptionChanged),
            (s("Widget.old_field"), Removed, Rule::Removed),
            (s("Widget.size"), Type, Rule::TypeChanged),
            (
                s("DELETE /v1/identity/widgets/{widget}"),
                Removed,
                Rule::Removed
            ),
            (
                s("GET /v1/identity/widgets.limit"),
                Presence,
                Rule::ParameterRequirednessChanged
            ),
            (format!("{create}.color=green"), Removed, Rule::Removed),
            (
                format!("{create}.options.depth"),
                Added,
                Rule::NewRequestField
            ),
            (format!("{create}.owner"), Added, Rule::NewRequiredParameter),
        ]
    );
    assert_eq!(
        summary(&log.non_breaking),
        [
            (s("Widget.color"), Added, Rule::NewResponseField),
            (s("Widget.note"), Presence, Rule::PresenceOnly),
            (s("Widget.status=paused"), Added, Rule::NewEnumValue),
            (format!("{create}.color=blue"), Added, Rule::NewEnumValue),
            (format!("{create}.note"), Added, Rule::NewOptionalParameter),
            (
                s("POST /v1/identity/widgets/{widget}/archive"),
                Added,
                Rule::NewItem
            ),
        ]
    );
    assert_eq!(
        log.description_only, 1,
        "the `name` parameter's description"
    );
    let md = log.markdown();
    assert!(
        md.contains("- Removed value `green` of parameter `color` of `POST /v1/identity/widgets`."),
        "{md}"
    );
    assert!(
        md.contains("- Changed the type of field `Widget.size` from `integer` to `string`."),
        "{md}"
    );
    assert!(
        md.contains("- Added parameter `owner` of `POST /v1/identity/widgets` (string, required)."),
        "{md}"
    );
}

/// A spec from before Identity existed has an empty portion: everything is
/// added one way and removed the other, listed once per top-level item.
#[test]
fn an_absent_portion_compares_as_empty() {
    let none = snapshot("none", &test_spec("no_identity.yaml"));
    let old = snapshot("old", &test_spec("rules_old.yaml"));
    assert!(!none.info.portion_present);
    assert_eq!(none.info.api_version, "2019-01-01");
    let added = diff(&none, &old);
    assert!(added.breaking.is_empty());
    let items: Vec<(Scope, Kind)> = added
        .non_breaking
        .iter()
        .map(|c| (c.key.scope, c.item))
        .collect();
    assert_eq!(items[0], (Scope::Resource, Kind::Resource));
    assert_eq!(
        items.iter().filter(|(_, k)| *k == Kind::Operation).count(),
        4
    );
    assert_eq!(
        items.len(),
        5,
        "children of added items are not listed: {items:?}"
    );
    assert!(added.markdown().contains("without this portion"));
    let removed = diff(&old, &none);
    assert_eq!(removed.breaking.len(), 5);
    assert!(removed.non_breaking.is_empty());
    assert!(diff(&none, &none).is_empty());
}

#[test]
fn release_names_mean_the_spec_cache() {
    let root = TempRoot::new("resolve");
    let cached = root.path.join("spec/cache/spec3.v99.yaml");
    std::fs::write(&cached, "x").unwrap();
    assert_eq!(resolve(&root.path, "v99").unwrap(), cached);
    assert_eq!(
        resolve(&root.path, "some/file.yaml").unwrap(),
        std::path::PathBuf::from("some/file.yaml")
    );
    let err = resolve(&root.path, "v1").unwrap_err().to_string();
    assert!(
        err.contains("no cached spec for release v1") && err.contains("spec3.v1.yaml"),
        "{err}"
    );
}

#[test]
fn bad_input_is_an_error_naming_the_file() {
    let root = TempRoot::new("bad-diff-input");
    let bad = root.path.join("bad.yaml");
    std::fs::write(&bad, "openapi: [\n").unwrap();
    let err =
        Snapshot::load(&root.path, &bad.display().to_string(), &Portion::identity()).unwrap_err();
    assert!(format!("{err:#}").contains("bad.yaml:"), "{err:#}");
    let missing =
        Snapshot::load(&root.path, "no/such/file.yaml", &Portion::identity()).unwrap_err();
    assert!(
        format!("{missing:#}").contains("no/such/file.yaml"),
        "{missing:#}"
    );
}

/// A new event type is a non-breaking addition (the payload enum keeps a
/// catch-all); a removed one is breaking, like any removal.
#[test]
fn event_types_are_listed_with_the_object_they_carry() {
    let old = snapshot("old", &test_spec("events_old.yaml"));
    let new = snapshot("new", &test_spec("events_new.yaml"));
    let log = diff(&old, &new);
    use ChangeKind::*;
    let s = |a: &str| a.to_owned();
    assert_eq!(
        summary(&log.non_breaking),
        [(
            s("Event.data.object=identity.widget.archived"),
            Added,
            Rule::NewEnumValue
        )]
    );
    assert_eq!(
        summary(&log.breaking),
        [(
            s("Event.data.object=identity.widget.deleted"),
            Removed,
            Rule::Removed
        )]
    );
    let md = log.markdown();
    assert!(
        md.contains("- Added event type `identity.widget.archived` (carries Widget)."),
        "{md}"
    );
    assert!(
        md.contains("- Removed event type `identity.widget.deleted` (carries Widget)."),
        "{md}"
    );
}

/// A schema users both send and receive is classed by the stricter side:
/// its struct is emitted as a request struct, so a new field breaks struct
/// literals, and its union is received, so a new member breaks a `match`.
/// Each addition is listed once per place a user meets it; union members
/// are keyed by their variant name.
#[test]
fn a_type_on_both_sides_takes_the_breaking_rule_of_each() {
    let old = snapshot("old", &test_spec("both_sides_old.yaml"));
    let new = snapshot("new", &test_spec("both_sides_new.yaml"));
    let log = diff(&old, &new);
    use ChangeKind::*;
    let create = "POST /v1/identity/widgets";
    let s = |a: &str| a.to_owned();
    assert_eq!(
        summary(&log.breaking),
        [
            (s("Widget.dimensions.width"), Added, Rule::NewRequestField),
            (s("Widget.shape.Boolean"), Added, Rule::NewResponseVariant),
            (
                format!("{create}.dimensions.width"),
                Added,
                Rule::NewRequestField
            ),
            (
                format!("{create}.shape.Boolean"),
                Added,
                Rule::NewResponseVariant
            ),
        ]
    );
    assert!(log.non_breaking.is_empty(), "{:?}", log.non_breaking);
    assert!(log.breaking.iter().all(|c| c.side == Side::Both));
}

/// `cargo xtask spec-diff OLD NEW --portion NAME` compares that namespace
/// (run through the real command line); without the flag it is Identity,
/// which these two specs do not have.
#[test]
fn portion_flag_compares_another_namespace() {
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("spec-diff")
            .arg(test_spec("widgets_old.yaml"))
            .arg(test_spec("widgets_new.yaml"))
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let widgets = run(&["--portion", "widgets"]);
    assert_eq!(widgets["portion"], "widgets");
    assert_eq!(widgets["old"]["api_version"], "2021-01-01");
    assert_eq!(widgets["new"]["api_version"], "2021-02-01");
    assert_eq!(widgets["breaking"], serde_json::json!([]));
    let added = &widgets["non_breaking"];
    assert_eq!(added.as_array().unwrap().len(), 1, "{added}");
    assert_eq!(added[0]["root"], "Gadget");
    assert_eq!(added[0]["path"], serde_json::json!(["color"]));
    assert_eq!(added[0]["rule"], "new_response_field");
    let identity = run(&[]);
    assert_eq!(identity["portion"], "identity");
    assert_eq!(identity["old"]["portion_present"], false);
    assert_eq!(identity["new"]["api_version"], "2021-02-01");
    assert_eq!(identity["non_breaking"], serde_json::json!([]));
}
