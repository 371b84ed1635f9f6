//! Generates the `stripe-identity` crate from Stripe's OpenAPI spec.
//!
//! The pipeline is load -> select -> IR -> emit:
//!
//! * [`load`] reads YAML or JSON text into JSON text, refusing what no spec
//!   is with file:line:col errors, and [`spec::parse_spec`] indexes that
//!   into a [`spec::Spec`] that types the parts it is asked for into
//!   `openapiv3` (locating their errors through `load` in turn);
//! * [`select`] picks a [`Portion`] of the API (operations under a path
//!   prefix, schemas in a namespace, and what they reference);
//! * [`convert`] turns the selection into the [`ir::Ir`], plain data;
//! * [`emit`] renders the IR (and the hand-written `templates/`) into files.
//!
//! Names follow the rule written in [`naming`].
//!
//! The library takes the spec's text and never looks for it: the pin, the
//! `STRIPE_OPENAPI_SPEC` variable, the cache and downloads belong to
//! `xtask` (`xtask::source`). Files on disk it touches are the templates it
//! reads and the output it writes.

pub mod convert;
pub mod docs;
pub mod emit;
mod error;
pub mod ir;
pub mod load;
pub mod naming;
pub mod output;
pub mod pointer;
mod portion;
pub mod select;
pub mod sensitivity;
pub mod spec;
mod stack;

pub use emit::{CrateRelease, Provenance};
pub use error::{Error, Warning};
pub use portion::Portion;

use std::path::Path;

/// The result of a generator run, before anything is written.
#[derive(Debug)]
pub struct Generated {
    pub ir: ir::Ir,
    pub files: output::Files,
}

/// Parses `text` and builds the IR of `portion`. `file` names the input in errors.
pub fn build_ir(text: &str, file: &str, portion: &Portion) -> Result<ir::Ir, Error> {
    // Parsing and conversion recurse as deep as the spec nests.
    stack::on_large_stack(|| {
        let spec = spec::parse_on_this_stack(text, file)?;
        let selection = select::select(&spec, portion)?;
        convert::convert(&spec, portion, &selection)
    })
}

/// Runs the whole pipeline in memory: spec text in, generated crate files
/// out, as an unreleased crate ([`CrateRelease::unreleased`]): for test
/// specs and benchmarks.
pub fn generate(
    text: &str,
    provenance: &emit::Provenance,
    portion: &Portion,
    templates: &Path,
) -> Result<Generated, Error> {
    generate_release(
        text,
        provenance,
        &CrateRelease::unreleased(),
        portion,
        templates,
    )
}

/// Runs the whole pipeline in memory for one release of the crate.
pub fn generate_release(
    text: &str,
    provenance: &emit::Provenance,
    release: &CrateRelease,
    portion: &Portion,
    templates: &Path,
) -> Result<Generated, Error> {
    let ir = build_ir(text, &provenance.file, portion)?;
    require_error_envelope(&ir, portion)?;
    // Emission recurses into nested types too (and syn's parser into the
    // emitted tokens): its threads get the same stack.
    let files = emit::emit(&ir, provenance, release, templates)?;
    Ok(Generated { ir, files })
}

/// The IR alone may lack the error envelope (a changelog compares any two
/// specs), but a crate needs it: its client decodes every error response
/// as the envelope, whose shape `convert` has already checked when present.
fn require_error_envelope(ir: &ir::Ir, portion: &Portion) -> Result<(), Error> {
    match ir.error_envelope {
        Some(_) => Ok(()),
        None => Err(Error::MissingErrorEnvelope {
            pointer: spec::Pointer::schema(&portion.error_schema).to_string(),
        }),
    }
}

/// Generates the crate from the spec `text`, with the templates of the
/// workspace at `root`. Where the text came from (a pinned release, a file)
/// is the caller's business: `provenance` only says it in the headers, as
/// `release` (the crate's version and changelog) is the caller's to keep.
/// The one entry point shared by `cargo xtask codegen` and the drift test,
/// so both produce the same bytes.
pub fn codegen(
    root: &Path,
    text: &str,
    provenance: &Provenance,
    release: &CrateRelease,
    portion: &Portion,
) -> Result<Generated, Error> {
    generate_release(text, provenance, release, portion, &root.join("templates"))
}
