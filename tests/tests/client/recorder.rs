//! A `tracing` subscriber that records every span and event with all their
//! fields as text, for the tests to inspect.
#![allow(dead_code)] // each test binary uses a different subset

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// A recorded span.
#[derive(Clone, Debug)]
pub struct SpanRecord {
    pub id: u64,
    pub name: &'static str,
    pub target: String,
    pub parent: Option<u64>,
    pub fields: BTreeMap<String, String>,
    metadata: &'static Metadata<'static>,
}

/// A recorded event.
#[derive(Clone, Debug)]
pub struct EventRecord {
    pub level: Level,
    pub target: String,
    pub parent: Option<u64>,
    pub fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct State {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
    /// The spans each thread is in, innermost last.
    entered: HashMap<ThreadId, Vec<u64>>,
}

/// Records everything, at every level; clones share the record.
#[derive(Clone, Default)]
pub struct Recorder {
    state: Arc<Mutex<State>>,
}

impl Recorder {
    pub fn spans(&self) -> Vec<SpanRecord> {
        self.state.lock().unwrap().spans.clone()
    }

    pub fn events(&self) -> Vec<EventRecord> {
        self.state.lock().unwrap().events.clone()
    }

    /// Every recorded name and field value, of spans and events.
    pub fn all_text(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        let spans = state.spans.iter().flat_map(|s| {
            let fields = s.fields.iter().flat_map(|(k, v)| [k.clone(), v.clone()]);
            std::iter::once(s.name.to_owned()).chain(fields)
        });
        let events = state
            .events
            .iter()
            .flat_map(|e| e.fields.iter().flat_map(|(k, v)| [k.clone(), v.clone()]));
        spans.chain(events).collect()
    }

    /// The span the current thread is in.
    fn current(&self, state: &State) -> Option<u64> {
        let entered = state.entered.get(&std::thread::current().id())?;
        entered.last().copied()
    }
}

/// Writes each field as text: strings as they are, the rest as `Debug`.
struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut state = self.state.lock().unwrap();
        let id = state.spans.len() as u64 + 1;
        let parent = match attributes.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if attributes.is_contextual() => self.current(&state),
            None => None,
        };
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let metadata = attributes.metadata();
        state.spans.push(SpanRecord {
            id,
            name: metadata.name(),
            target: metadata.target().to_owned(),
            parent,
            fields,
            metadata,
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut state = self.state.lock().unwrap();
        let index = span.into_u64() as usize - 1;
        values.record(&mut Fields(&mut state.spans[index].fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut state = self.state.lock().unwrap();
        let parent = match event.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if event.is_contextual() => self.current(&state),
            None => None,
        };
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        state.events.push(EventRecord {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            parent,
            fields,
        });
    }

    /// What `Span::current()` asks for.
    fn current_span(&self) -> tracing_core::span::Current {
        let state = self.state.lock().unwrap();
        match self.current(&state) {
            Some(id) => {
                let metadata = state.spans[id as usize - 1].metadata;
                tracing_core::span::Current::new(Id::from_u64(id), metadata)
            }
            None => tracing_core::span::Current::none(),
        }
    }

    fn enter(&self, span: &Id) {
        let mut state = self.state.lock().unwrap();
        let thread = std::thread::current().id();
        state
            .entered
            .entry(thread)
            .or_default()
            .push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut state = self.state.lock().unwrap();
        let thread = std::thread::current().id();
        let entered = state.entered.entry(thread).or_default();
        if let Some(position) = entered.iter().rposition(|&s| s == span.into_u64()) {
            entered.remove(position);
        }
    }
}

/// Makes `recorder` this thread's subscriber until the guard is dropped.
///
/// tracing caches, per callsite, whether any subscriber wants it. While a
/// single subscriber is registered, a callsite first reached on a thread with
/// no subscriber of its own (another test running in parallel, a runtime's
/// worker) is cached as wanted by nobody, and stays so for every thread until
/// the next subscriber registers: a parallel test then records nothing. A
/// global subscriber that records nothing but answers "sometimes" for every
/// callsite makes tracing ask the current thread's subscriber at each use.
pub fn record_here(recorder: &Recorder) -> tracing::dispatcher::DefaultGuard {
    static GLOBAL: std::sync::Once = std::sync::Once::new();
    GLOBAL.call_once(|| {
        // Fails only if another global subscriber is set, which these tests never do.
        let _ = tracing::dispatcher::set_global_default(tracing::Dispatch::new(AskEachTime));
    });
    tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()))
}

/// The global subscriber of [`record_here`]: enables nothing itself.
struct AskEachTime;

impl Subscriber for AskEachTime {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
