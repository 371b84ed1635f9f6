//! `cargo xtask`: the project's commands.
//!
//! * `cargo xtask codegen [--check] [--spec PATH] [--portion NAME]`
//! * `cargo xtask update-spec --release vNNN [--file PATH | --url URL] [--portion NAME]
//!   [--bump patch|minor|major] [--date YYYY-MM-DD] [--note TEXT]...`
//! * `cargo xtask release --bump patch|minor|major [--date YYYY-MM-DD] [--note TEXT]...`
//! * `cargo xtask spec-diff OLD NEW [--format markdown|json] [--portion NAME]`
//! * `cargo xtask bench [--runs N] [--scale 1,11,51,201] [--portions issuing,...]`

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{bench, codegen, release, spec_diff, update_spec};

/// mimalloc, which counts heap bytes for `cargo xtask bench` when asked;
/// otherwise it costs one relaxed load per allocation.
#[global_allocator]
static ALLOCATOR: bench::alloc::Counting = bench::alloc::Counting;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for stripe-identity codegen"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from the pinned spec (or check it is up to date).
    Codegen(codegen::Args),
    /// Pin a release of Stripe's spec and release the crate built from it: next version
    /// from the API diff, changelog entry, regenerated generated/, all written at once.
    UpdateSpec(update_spec::Args),
    /// Release hand-written changes (templates/) with the pinned spec: bump the version,
    /// add a changelog entry, regenerate generated/.
    Release(release::Args),
    /// A changelog of the API portion between two specs (files or cached releases like `v524`).
    SpecDiff(spec_diff::Args),
    /// Time and memory of codegen beside parsing the spec; run with `cargo run --release -p xtask -- bench`.
    Bench(bench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(&workspace_root(), args),
        Command::UpdateSpec(args) => update_spec::run(&workspace_root(), args),
        Command::Release(args) => release::run(&workspace_root(), args),
        Command::SpecDiff(args) => spec_diff::run(&workspace_root(), args),
        Command::Bench(args) => bench::run(&workspace_root(), args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
