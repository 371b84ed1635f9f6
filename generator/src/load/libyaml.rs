//! A safe iterator over the events libyaml parses from a string: the one
//! place the generator calls `unsafe` code.
//!
//! serde_yaml's deserializer first loads every event of a document into a
//! vector (several times the text in memory) and only then walks it; this
//! iterator hands each event over as libyaml produces it, so the YAML
//! transcoder holds no more than the JSON it writes. The calls mirror
//! serde_yaml's own wrapper of the same `unsafe-libyaml` crate.

use std::fmt;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

/// A position in the text: 0-based, as libyaml counts (the column in
/// characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn new(sys: unsafe_libyaml::yaml_mark_t) -> Mark {
        Mark {
            line: sys.line as usize,
            column: sys.column as usize,
        }
    }
}

/// How a scalar was written: only plain scalars are resolved to numbers,
/// booleans and null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

/// A scalar's text as libyaml unescaped it, with its anchor and resolved
/// tag (`!!int` arrives as `tag:yaml.org,2002:int`).
#[derive(Debug, Clone)]
pub struct Scalar {
    pub anchor: Option<Vec<u8>>,
    pub tag: Option<Vec<u8>>,
    pub value: Vec<u8>,
    pub style: Style,
}

/// The start of a sequence or mapping.
#[derive(Debug)]
pub struct Start {
    pub anchor: Option<Vec<u8>>,
    pub tag: Option<Vec<u8>>,
}

#[derive(Debug)]
pub enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(Vec<u8>),
    Scalar(Scalar),
    SequenceStart(Start),
    SequenceEnd,
    MappingStart(Start),
    MappingEnd,
}

/// A syntax error, worded as serde_yaml words libyaml's errors.
#[derive(Debug, Clone)]
pub struct ParseError {
    problem: String,
    problem_offset: u64,
    problem_mark: Mark,
    context: Option<String>,
    context_mark: Mark,
}

impl ParseError {
    /// Where the problem is.
    pub fn mark(&self) -> Mark {
        self.problem_mark
    }
}

/// serde_yaml's text for a libyaml error (`serde_yaml::Error`'s Display),
/// so that messages read as they did.
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |m: &Mark| format!("line {} column {}", m.line + 1, m.column + 1);
        let nonzero = |m: &Mark| m.line != 0 || m.column != 0;
        let (problem, context) = (&self.problem_mark, &self.context_mark);
        write!(f, "{}", self.problem)?;
        if nonzero(problem) {
            write!(f, " at {}", at(problem))?;
        } else if self.problem_offset != 0 {
            write!(f, " at position {}", self.problem_offset)?;
        }
        if let Some(text) = &self.context {
            write!(f, ", {text}")?;
            let same = context.line == problem.line && context.column == problem.column;
            if nonzero(context) && !same {
                write!(f, " at {}", at(context))?;
            }
        }
        Ok(())
    }
}

/// libyaml's parser reading `'t` text.
pub struct Parser<'t> {
    /// Boxed because libyaml keeps a pointer to the parser in the parser
    /// (its read handler's data): it must never move once initialized.
    sys: Box<MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    text: PhantomData<&'t str>,
    done: bool,
}

impl<'t> Parser<'t> {
    pub fn new(text: &'t str) -> Parser<'t> {
        let mut sys = Box::new(MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit());
        let parser = sys.as_mut_ptr();
        // SAFETY: `parser` points to memory owned by the box, which lives
        // (unmoved) as long as `Parser`. `yaml_parser_initialize` only
        // fails when malloc does, which Rust treats as an abort anyway.
        // The input pointer and length describe `text`, which the
        // `PhantomData` keeps borrowed for as long as the parser reads it.
        unsafe {
            if unsafe_libyaml::yaml_parser_initialize(parser).fail {
                std::alloc::handle_alloc_error(std::alloc::Layout::new::<
                    unsafe_libyaml::yaml_parser_t,
                >());
            }
            unsafe_libyaml::yaml_parser_set_encoding(parser, unsafe_libyaml::YAML_UTF8_ENCODING);
            unsafe_libyaml::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as _);
        }
        Parser {
            sys,
            text: PhantomData,
            done: false,
        }
    }

    /// The next event and where it starts; `StreamEnd` for ever after the
    /// stream ended.
    pub fn next_event(&mut self) -> Result<(Event, Mark), ParseError> {
        let parser = self.sys.as_mut_ptr();
        if self.done {
            return Ok((Event::StreamEnd, Mark { line: 0, column: 0 }));
        }
        let mut event = MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`. After a failed
        // `yaml_parser_parse` the event is not initialized and is neither
        // read nor deleted; after a successful one it is read, copied into
        // owned values, and deleted exactly once.
        unsafe {
            let failed = (&*parser).error != unsafe_libyaml::YAML_NO_ERROR
                || unsafe_libyaml::yaml_parser_parse(parser, event.as_mut_ptr()).fail;
            if failed {
                return Err(parse_error(&*parser));
            }
            let event = event.as_mut_ptr();
            let converted = convert(&*event);
            let mark = Mark::new((*event).start_mark);
            unsafe_libyaml::yaml_event_delete(event);
            self.done = matches!(converted, Event::StreamEnd);
            Ok((converted, mark))
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new`, deleted only here.
        unsafe { unsafe_libyaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

/// The error of a parser whose last call failed.
fn parse_error(parser: &unsafe_libyaml::yaml_parser_t) -> ParseError {
    // SAFETY: libyaml sets `problem` and `context` to null or to static
    // NUL-terminated strings.
    let (problem, context) = unsafe {
        (
            c_string(parser.problem.cast()),
            c_string(parser.context.cast()),
        )
    };
    ParseError {
        problem: problem
            .unwrap_or_else(|| "libyaml parser failed but there is no error".to_owned()),
        problem_offset: parser.problem_offset,
        problem_mark: Mark::new(parser.problem_mark),
        context,
        context_mark: Mark::new(parser.context_mark),
    }
}

/// # Safety
/// `event` was filled by a successful `yaml_parser_parse`.
unsafe fn convert(event: &unsafe_libyaml::yaml_event_t) -> Event {
    // SAFETY: the union field read is the one `type_` names; libyaml's
    // strings are NUL-terminated or null, and a scalar's value is `length`
    // bytes long.
    unsafe {
        match event.type_ {
            unsafe_libyaml::YAML_STREAM_START_EVENT => Event::StreamStart,
            unsafe_libyaml::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
            unsafe_libyaml::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
            unsafe_libyaml::YAML_ALIAS_EVENT => {
                Event::Alias(c_bytes(event.data.alias.anchor).unwrap_or_default())
            }
            unsafe_libyaml::YAML_SCALAR_EVENT => {
                let scalar = &event.data.scalar;
                let value = if scalar.value.is_null() {
                    Vec::new()
                } else {
                    std::slice::from_raw_parts(scalar.value, scalar.length as usize).to_vec()
                };
                Event::Scalar(Scalar {
                    anchor: c_bytes(scalar.anchor),
                    tag: c_bytes(scalar.tag),
                    value,
                    style: match scalar.style {
                        unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE => Style::Plain,
                        unsafe_libyaml::YAML_SINGLE_QUOTED_SCALAR_STYLE
                        | unsafe_libyaml::YAML_DOUBLE_QUOTED_SCALAR_STYLE => Style::Quoted,
                        _ => Style::Block,
                    },
                })
            }
            unsafe_libyaml::YAML_SEQUENCE_START_EVENT => Event::SequenceStart(Start {
                anchor: c_bytes(event.data.sequence_start.anchor),
                tag: c_bytes(event.data.sequence_start.tag),
            }),
            unsafe_libyaml::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
            unsafe_libyaml::YAML_MAPPING_START_EVENT => Event::MappingStart(Start {
                anchor: c_bytes(event.data.mapping_start.anchor),
                tag: c_bytes(event.data.mapping_start.tag),
            }),
            unsafe_libyaml::YAML_MAPPING_END_EVENT => Event::MappingEnd,
            // `YAML_STREAM_END_EVENT`, and `YAML_NO_EVENT`, which libyaml
            // only returns once the stream has ended.
            _ => Event::StreamEnd,
        }
    }
}

/// # Safety
/// `ptr` is null or a NUL-terminated string.
unsafe fn c_bytes(ptr: *const u8) -> Option<Vec<u8>> {
    let ptr = NonNull::new(ptr as *mut std::ffi::c_char)?;
    // SAFETY: as the caller promises.
    Some(
        unsafe { std::ffi::CStr::from_ptr(ptr.as_ptr()) }
            .to_bytes()
            .to_vec(),
    )
}

/// # Safety
/// `ptr` is null or a NUL-terminated string.
unsafe fn c_string(ptr: *const u8) -> Option<String> {
    // SAFETY: as the caller promises.
    unsafe { c_bytes(ptr) }.map(|b| String::from_utf8_lossy(&b).into_owned())
}
