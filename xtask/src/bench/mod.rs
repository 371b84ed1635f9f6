//! `cargo xtask bench`: how long codegen takes beside parsing the spec, and
//! how it grows with the portion. Run it in release mode:
//!
//! ```sh
//! cargo run --release -p xtask -- bench
//! ```
//!
//! One run prints a Markdown table (the one in `generator/BENCHMARKS.md`):
//! parsing the spec only (serde_yaml into `openapiv3::OpenAPI`, the floor),
//! parse + select + IR (`generator::build_ir`), full codegen to memory
//! (`generator::generate`) and the ratio full/parse; then the Identity
//! portion copied N times (see [`scale`]) and the largest real portions;
//! last, how long the generator takes to answer each hostile input of
//! [`hostile`], and the full codegen of a spec with one 100 MB description
//! ([`hostile::long_description`]), with its peak heap against the spec.
//! Times are medians of several runs; memory is the peak of live heap bytes
//! during one more, untimed run, above what was live before it (the spec
//! text), counted by the allocator in [`alloc`] when the binary installs it.

pub mod alloc;
pub mod hostile;
pub mod scale;

use anyhow::Context;
use generator::emit::Provenance;
use generator::Portion;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Timed runs per row of the first table (the median is shown).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Timed runs per row of the scale series and the portions.
    #[arg(long, default_value_t = 3)]
    large_runs: usize,
    /// How many times the Identity portion is present in each scale row.
    #[arg(long, value_delimiter = ',', default_value = "1,11,51,201")]
    scale: Vec<usize>,
    /// Real portions to generate besides Identity.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "issuing,checkout,treasury"
    )]
    portions: Vec<String>,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let (path, text) = read_spec(root)?;
    let bench = Bench {
        templates: root.join("templates"),
        provenance: Provenance {
            file: path.display().to_string(),
            release: Some("bench".to_owned()),
            sha256: String::new(),
        },
    };
    print_machine(&path);
    let identity = Portion::identity();
    println!(
        "\n| stage (Identity, {}) | median | peak heap |",
        spec_size(&text)
    );
    println!("| --- | ---: | ---: |");
    let parse = bench.parse(&text, args.runs)?;
    println!(
        "| parse only (serde_yaml -> openapiv3) | {} | {} |",
        secs(parse.time),
        mib(parse.peak)
    );
    let ir = bench.build_ir(&text, &identity, args.runs)?;
    println!(
        "| parse + select + IR (`build_ir`) | {} | {} |",
        secs(ir.time),
        mib(ir.peak)
    );
    let full = bench.generate(&text, &identity, args.runs)?;
    println!(
        "| full codegen to memory (`generate`) | {} | {} |",
        secs(full.time),
        mib(full.peak)
    );
    let ratio = ratio(full.time, parse.time);
    println!("| **ratio full / parse** | **{ratio:.2}** | |");
    println!("\n| input | spec | parse | parse + IR | full codegen | full / parse | parsed | output | peak heap | peak / (2 x parsed + output) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut series = Vec::new();
    for &copies in &args.scale {
        let copied = scale::copied_spec(&text, copies)?;
        let row = bench.row(&copied, &identity, args.large_runs)?;
        row.print(&format!("Identity x{copies}"), &copied);
        series.push((copies, row.full.time));
    }
    for name in &args.portions {
        let row = bench.row(&text, &Portion::by_name(name), args.large_runs)?;
        row.print(&format!("`--portion {name}`"), &text);
    }
    print_growth(&series);
    print_hostile(root, args.runs)?;
    bench.print_long_description(&text, args.large_runs)?;
    println!("\nload average after the run: {}", load_average());
    Ok(ExitCode::SUCCESS)
}

/// What one measured stage took.
struct Measured {
    time: Duration,
    /// Peak live heap bytes above those live before the stage.
    peak: usize,
}

/// A scale or portion row: parse and full codegen of one input.
struct Row {
    parse: Measured,
    /// Parse, select and IR.
    ir: Measured,
    /// Live heap bytes of the parsed `openapiv3::OpenAPI`.
    parsed: usize,
    full: Measured,
    /// Bytes of generated files.
    output: usize,
}

impl Row {
    fn print(&self, label: &str, text: &str) {
        let budget = 2 * self.parsed + self.output;
        println!(
            "| {label} | {} | {} | {} | {} | {:.2} | {} | {} | {} | {:.2} |",
            spec_size(text),
            secs(self.parse.time),
            secs(self.ir.time),
            secs(self.full.time),
            ratio(self.full.time, self.parse.time),
            mib(self.parsed),
            mib(self.output),
            mib(self.full.peak),
            self.full.peak as f64 / budget as f64,
        );
    }
}

struct Bench {
    templates: PathBuf,
    provenance: Provenance,
}

impl Bench {
    fn parse(&self, text: &str, runs: usize) -> anyhow::Result<Measured> {
        measure(runs, || {
            serde_yaml::from_str::<openapiv3::OpenAPI>(text).context("parsing the spec")
        })
    }

    fn build_ir(&self, text: &str, portion: &Portion, runs: usize) -> anyhow::Result<Measured> {
        measure(runs, || Ok(generator::build_ir(text, "bench", portion)?))
    }

    fn generate(&self, text: &str, portion: &Portion, runs: usize) -> anyhow::Result<Measured> {
        measure(runs, || {
            Ok(generator::generate(
                text,
                &self.provenance,
                portion,
                &self.templates,
            )?)
        })
    }

    fn row(&self, text: &str, portion: &Portion, runs: usize) -> anyhow::Result<Row> {
        let (parsed, counted) = alloc::measure(|| serde_yaml::from_str::<openapiv3::OpenAPI>(text));
        drop(parsed.context("parsing the spec")?);
        let generated = generator::generate(text, &self.provenance, portion, &self.templates)
            .with_context(|| format!("generating portion {}", portion.name))?;
        let output = generated.files.files.values().map(String::len).sum();
        drop(generated);
        Ok(Row {
            parse: self.parse(text, runs)?,
            ir: self.build_ir(text, portion, runs)?,
            parsed: counted.retained,
            full: self.generate(text, portion, runs)?,
            output,
        })
    }
}

/// Runs `work` once with the heap counted, then `runs` times timed (with
/// counting off): the median time and the counted run's peak.
fn measure<T>(
    runs: usize,
    mut work: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<Measured> {
    let (result, counted) = alloc::measure(&mut work);
    drop(result?);
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let result = work()?;
        times.push(start.elapsed());
        drop(result);
    }
    times.sort();
    Ok(Measured {
        time: times[times.len() / 2],
        peak: counted.peak,
    })
}

/// The spec the pin names, read the way `cargo xtask codegen` finds it
/// without downloading: `STRIPE_OPENAPI_SPEC`, the cache, then `../shared`.
fn read_spec(root: &Path) -> anyhow::Result<(PathBuf, String)> {
    let pin_path = root.join("spec/pin.toml");
    let pin = std::fs::read_to_string(&pin_path)
        .with_context(|| format!("reading {}", pin_path.display()))?;
    let release = pin
        .lines()
        .find_map(|l| l.strip_prefix("release = \"")?.strip_suffix('"'))
        .with_context(|| format!("{} names no release", pin_path.display()))?;
    let file = format!("spec3.{release}.yaml");
    let candidates = [
        std::env::var_os("STRIPE_OPENAPI_SPEC").map(PathBuf::from),
        Some(root.join("spec/cache").join(&file)),
        Some(root.join("../shared/stripe-openapi").join(&file)),
    ];
    let path = candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .with_context(|| format!("no {file}: set STRIPE_OPENAPI_SPEC or fill spec/cache/"))?;
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok((path, text))
}

fn print_machine(spec: &Path) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")?
                    .split_once(':')
                    .map(|(_, m)| m.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("spec: {}", spec.display());
    println!(
        "machine: {cpu}, {cores} cores available; load average before the run: {}",
        load_average()
    );
    if !alloc::measure(|| std::hint::black_box(String::from("x")))
        .1
        .installed
    {
        println!("(no counting allocator installed: heap figures read 0)");
    }
}

fn print_growth(series: &[(usize, Duration)]) {
    let time = |n: usize| series.iter().find(|(c, _)| *c == n).map(|(_, t)| *t);
    if let (Some(t51), Some(t201)) = (time(51), time(201)) {
        println!(
            "\nIdentity x201 / x51: {:.2} (linear growth is 3.94)",
            ratio(t201, t51)
        );
    }
}

fn print_hostile(root: &Path, runs: usize) -> anyhow::Result<()> {
    let bomb_path = root.join("tests/specs/bad/alias_bomb.yaml");
    let bomb = std::fs::read_to_string(&bomb_path)
        .with_context(|| format!("reading {}", bomb_path.display()))?;
    println!("\n| hostile input | size | `build_ir` answers | median |");
    println!("| --- | ---: | --- | ---: |");
    for a in hostile::answers(runs, &bomb) {
        let size = format!("{:.1} KiB", a.bytes as f64 / 1024.0);
        println!(
            "| {} | {size} | {} | {} |",
            a.input,
            a.outcome,
            secs(a.time)
        );
    }
    Ok(())
}

impl Bench {
    /// Full codegen of the Identity portion from Stripe's spec as JSON with
    /// one 100 MB description ([`hostile::long_description`]), which the
    /// generator cuts to 64 KiB of Markdown: the time and the peak heap,
    /// against the spec's size.
    fn print_long_description(&self, spec: &str, runs: usize) -> anyhow::Result<()> {
        let text = hostile::long_description(spec, 100 << 20)?;
        let full = self.generate(&text, &Portion::identity(), runs)?;
        println!("\n| hostile input, full codegen | spec | median | peak heap | peak / spec |");
        println!("| --- | ---: | ---: | ---: | ---: |");
        println!(
            "| Stripe's spec as JSON, one description of 100 MiB | {} | {} | {} | {:.2} |",
            spec_size(&text),
            secs(full.time),
            mib(full.peak),
            full.peak as f64 / text.len() as f64
        );
        Ok(())
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
}

fn spec_size(text: &str) -> String {
    format!("{:.1} MiB", text.len() as f64 / (1 << 20) as f64)
}
