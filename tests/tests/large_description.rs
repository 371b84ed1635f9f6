//! Descriptions are kept to 64 KiB of rendered Markdown (`docs::MAX_DOC`),
//! cut with a closing note and a warning naming the description's pointer.
//!
//! Memory for a spec whose one description is 100 MB (Stripe's spec as
//! JSON, the description of `identity.verification_session` replaced; the
//! same spec `cargo xtask bench` times, `xtask::bench::hostile`): the peak
//! of live heap bytes while generating the Identity crate, counted by the
//! benchmark's allocator, above what was live before (the spec's text).
//! Ignored by default: it holds a 100 MB text and its copies. Run it with
//!
//! ```text
//! cargo test -p codegen-tests --test large_description -- --ignored --nocapture
//! ```
//!
//! Measured (debug build, 103 MiB spec): before descriptions were bounded,
//! 1698 MiB above the spec (16.4x), the description copied through typing,
//! Markdown conversion, tokens, parsing and printing; now 150 MiB (1.45x),
//! mostly the buffer serde_json reads the string's escapes into while
//! loading checks the document, before any of it is typed.

use codegen_tests::{pinned_spec, root};
use generator::docs::{CUT_NOTE, MAX_DOC};
use generator::emit::Provenance;
use generator::Portion;
use xtask::bench::alloc::{self, Counting};
use xtask::bench::hostile::{long_description, LONG_DESCRIPTION_SCHEMA};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The description's length.
const SIZE: usize = 100 << 20;

fn provenance(file: &str) -> Provenance {
    Provenance {
        file: file.into(),
        release: None,
        sha256: String::new(),
    }
}

/// The doc comment of the item declared by the line `item` in `file`.
fn doc_of<'a>(file: &'a str, item: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = file.lines().collect();
    let at = lines.iter().position(|l| *l == item).expect(item);
    let start = lines[..at]
        .iter()
        .map(|l| l.trim_start())
        .rposition(|l| !l.starts_with("///") && !l.starts_with("#["))
        .map_or(0, |i| i + 1);
    lines[start..at]
        .iter()
        .filter_map(|l| l.trim_start().strip_prefix("///"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect()
}

#[test]
#[ignore = "holds a 100 MB spec and its copies; run with --ignored"]
fn a_100_mb_description_generates_within_3x_the_spec() {
    let text = long_description(&pinned_spec().text, SIZE).unwrap();
    let provenance = provenance("long_description.json");
    let templates = root().join("templates");
    let (generated, counted) = alloc::measure(|| {
        generator::generate(&text, &provenance, &Portion::identity(), &templates)
    });
    assert!(counted.installed);
    let ratio = counted.peak as f64 / text.len() as f64;
    println!(
        "spec {} MiB, peak {} MiB above it ({ratio:.2}x)",
        text.len() >> 20,
        counted.peak >> 20
    );
    let generated = generated.unwrap();
    assert!(ratio < 3.0, "peak {ratio:.2}x the spec");
    let pointer = format!("#/components/schemas/{LONG_DESCRIPTION_SCHEMA}/description");
    assert!(
        generated.ir.warnings.iter().any(|w| w.pointer == pointer),
        "{:?}",
        generated.ir.warnings
    );
    let models = &generated.files.files["src/models.rs"];
    let doc = doc_of(models, "pub struct VerificationSession {").join("\n");
    assert!(doc.len() < MAX_DOC + 2 * CUT_NOTE.len(), "{}", doc.len());
    assert!(doc.ends_with(CUT_NOTE), "{}", &doc[doc.len() - 200..]);
}

/// A small spec whose resource, field and operation descriptions are each
/// longer than the generator keeps: each is cut to 64 KiB of Markdown and
/// ends with the note, and each cut is a warning naming its pointer.
/// (`compile_specs` documents such cuts with rustdoc, warnings denied.)
#[test]
fn each_description_over_64_kib_is_cut_with_a_note_and_a_warning() {
    let long = |unit: &str| unit.repeat(MAX_DOC / unit.len() + 100);
    let spec = serde_json::json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/v1/test/widgets/{widget}": {"get": {
            "operationId": "GetWidget",
            "description": long("<p>Gets a <code>widget</code>, see <a href=\"/docs/x\">docs</a>.</p>"),
            "parameters": [{"name": "widget", "in": "path", "required": true,
                "description": "short", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/test.widget"}}}}}
        }}},
        "components": {"schemas": {"test.widget": {
            "type": "object", "x-resourceId": "test.widget", "required": ["id"],
            "description": long("A `widget` [links](https://stripe.com/docs) ``x``\n\n"),
            "properties": {
                "id": {"type": "string"},
                "size": {"type": "integer", "description": long("é€😀 [x] ")}
            }
        }}}
    });
    let text = codegen_tests::with_error_schemas(&spec.to_string());
    let templates = root().join("templates");
    let portion = Portion::namespace("test");
    let generated =
        generator::generate(&text, &provenance("long.yaml"), &portion, &templates).unwrap();
    let mut cut: Vec<&str> = generated
        .ir
        .warnings
        .iter()
        .filter(|w| w.reason.starts_with("description longer than"))
        .map(|w| w.pointer.as_str())
        .collect();
    cut.sort();
    assert_eq!(
        cut,
        [
            "#/components/schemas/test.widget/description",
            "#/components/schemas/test.widget/properties/size/description",
            "#/paths/~1v1~1test~1widgets~1{widget}/get/description",
        ]
    );
    let files = &generated.files.files;
    for (file, item) in [
        ("src/models.rs", "pub struct Widget {"),
        ("src/models.rs", "    pub size: Option<i64>,"),
        ("src/widget.rs", "pub struct RetrieveWidget {"),
    ] {
        let doc = doc_of(&files[file], item).join("\n");
        assert!(
            doc.len() <= MAX_DOC + 2 + CUT_NOTE.len() + 100,
            "{item}: {}",
            doc.len()
        );
        assert!(doc.len() > MAX_DOC / 2, "{item}: {}", doc.len());
        // The request's doc goes on with its method and path.
        assert!(doc.contains(&format!("\n\n{CUT_NOTE}")), "{item}");
    }
}
