//! A lexical check of how deep YAML flow collections (`[...]`, `{...}`)
//! nest, run before libyaml sees the text.
//!
//! libyaml's scanner keeps one "simple key" slot per open flow collection
//! and walks all of them for every token, so 100,000 nested `[` as a
//! mapping's value take about 30 seconds; serde_yaml's recursion limit only applies afterwards, to the
//! events libyaml has already produced. This lexer follows just enough
//! YAML to find where flow collections open and close: quoted scalars,
//! comments, block scalars, and the positions where a token can start.
//! It errs on the side of counting: a `[` at the start of a plain
//! scalar's continuation line is counted although libyaml reads it as
//! text, which is why its limit is twice the scan's.

/// Flow nesting refused by the lexer, well above the scan's `MAX_DEPTH`
/// (so the lexer's overcounting never refuses what the scan would accept)
/// and low enough that libyaml's cost per token stays small.
pub const MAX_FLOW_DEPTH: usize = 2 * super::MAX_DEPTH;

/// The byte offset of the first `[` or `{` nested deeper than
/// [`MAX_FLOW_DEPTH`], if any.
pub fn too_deep(text: &str) -> Option<usize> {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        i: 0,
        line_start: 0,
        depth: 0,
        at: At::Node,
        entry_column: None,
    };
    lexer.run()
}

/// Where the lexer is relative to tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// A new node may start here (after `[`, `,`, `: `, `- `, a line start
    /// in block context, an anchor or a tag).
    Node,
    /// Inside a plain scalar.
    Plain,
    /// Just after a quoted scalar or a closed flow collection.
    After,
}

struct Lexer<'t> {
    bytes: &'t [u8],
    i: usize,
    line_start: usize,
    depth: usize,
    at: At,
    /// Column of the last block key or `-`/`?` entry: the indentation a
    /// block scalar's lines must exceed.
    entry_column: Option<usize>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Option<usize> {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b'\n' => self.newline(),
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'#' if self.after_blank() => self.skip_line(),
                b'[' | b'{' if self.depth > 0 || self.at == At::Node => {
                    self.depth += 1;
                    if self.depth > MAX_FLOW_DEPTH {
                        return Some(self.i);
                    }
                    self.step(At::Node);
                }
                b']' | b'}' if self.depth > 0 => {
                    self.depth -= 1;
                    self.step(At::After);
                }
                b',' if self.depth > 0 => self.step(At::Node),
                b':' if self.is_value_indicator() => self.step(At::Node),
                _ if self.at == At::Node => self.node_start(b),
                _ => self.step(At::Plain),
            }
        }
        None
    }

    /// A token starting where a node may start.
    fn node_start(&mut self, b: u8) {
        let column = self.i - self.line_start;
        let block = self.depth == 0;
        match b {
            b'-' | b'?' if self.blank_at(self.i + 1) => {
                if block {
                    self.entry_column = Some(column);
                }
                self.i += 1;
            }
            b'&' | b'!' => self.skip_property(),
            b'|' | b'>' if block => self.skip_block_scalar(),
            b'\'' | b'"' => {
                if block {
                    self.entry_column = Some(column);
                }
                self.skip_quoted(b);
                self.at = At::After;
            }
            _ => {
                if block {
                    self.entry_column = Some(column);
                }
                self.step(At::Plain);
            }
        }
    }

    fn step(&mut self, at: At) {
        self.at = at;
        self.i += 1;
    }

    fn newline(&mut self) {
        self.i += 1;
        self.line_start = self.i;
        // Flow collections and their plain scalars go on across lines.
        if self.depth == 0 {
            self.at = At::Node;
        }
    }

    /// `:` followed by a blank is a value indicator anywhere; in a flow
    /// collection, so is a `:` that starts a token (after `"key"`) or that
    /// a flow indicator follows.
    fn is_value_indicator(&self) -> bool {
        if self.blank_at(self.i + 1) {
            return true;
        }
        let next = self.bytes.get(self.i + 1);
        self.depth > 0
            && (self.at != At::Plain || matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}')))
    }

    fn blank_at(&self, i: usize) -> bool {
        matches!(self.bytes.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    }

    /// A `#` starts a comment at a line start or after a blank.
    fn after_blank(&self) -> bool {
        self.i == 0 || self.blank_at(self.i - 1)
    }

    fn skip_line(&mut self) {
        while self.bytes.get(self.i).is_some_and(|&b| b != b'\n') {
            self.i += 1;
        }
    }

    /// An anchor (`&a`) or tag (`!t`): the node it belongs to follows.
    fn skip_property(&mut self) {
        let flow = self.depth > 0;
        while let Some(&b) = self.bytes.get(self.i) {
            let ends = matches!(b, b' ' | b'\t' | b'\r' | b'\n')
                || (flow && matches!(b, b',' | b'[' | b']' | b'{' | b'}'));
            if ends {
                break;
            }
            self.i += 1;
        }
    }

    /// A single-quoted scalar ends at a `'` not doubled; a double-quoted
    /// one at a `"` not escaped by a backslash.
    fn skip_quoted(&mut self, quote: u8) {
        self.i += 1;
        while let Some(&b) = self.bytes.get(self.i) {
            self.i += 1;
            match b {
                b'\\' if quote == b'"' => self.i += 1,
                b'\n' => self.line_start = self.i,
                _ if b == quote => {
                    if quote == b'\'' && self.bytes.get(self.i) == Some(&b'\'') {
                        self.i += 1;
                    } else {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// `|` or `>`: the rest of the line is its header; the lines after it
    /// that are blank or indented deeper than the entry it belongs to are
    /// its text.
    fn skip_block_scalar(&mut self) {
        self.skip_line();
        while self.i < self.bytes.len() {
            let line = &self.bytes[self.i + 1..];
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            let blank = matches!(line.get(indent), None | Some(b'\n' | b'\r'));
            let document_marker = line.starts_with(b"---") || line.starts_with(b"...");
            let inside = match self.entry_column {
                Some(column) => indent > column,
                None => !document_marker,
            };
            if !(blank || inside) || line.is_empty() {
                break;
            }
            self.i += 1;
            self.skip_line();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{too_deep, MAX_FLOW_DEPTH};

    fn opens(open: &str, n: usize) -> String {
        open.repeat(n)
    }

    #[test]
    fn deep_flow_collections_are_found_where_the_limit_is_passed() {
        let text = format!("x: {}", opens("[", 100_000));
        assert_eq!(too_deep(&text), Some(3 + MAX_FLOW_DEPTH));
        let text = format!("x:\n  y: {}", opens("{a: ", 100_000));
        assert_eq!(too_deep(&text), Some(8 + 4 * MAX_FLOW_DEPTH));
        let text = format!("- &anchor !tag {}", opens("[", 200));
        assert!(too_deep(&text).is_some());
        let text = opens("[\"a\": ", 200);
        assert!(too_deep(&text).is_some());
    }

    #[test]
    fn nesting_up_to_the_limit_passes() {
        let n = MAX_FLOW_DEPTH;
        let text = format!(
            "x: {}1{}\ny: {}1{}",
            opens("[", n),
            opens("]", n),
            opens("{a: ", n),
            opens("}", n)
        );
        assert_eq!(too_deep(&text), None);
    }

    #[test]
    fn brackets_in_text_are_not_counted() {
        let many = opens("[{", 200);
        for text in [
            format!("x: \"{many}\"\n"),
            format!("x: '{many} it''s'\n"),
            format!("x: \"a \\\" {many}\"\n"),
            format!("x: a {many}\n"),
            format!("x: 1 # {many}\n"),
            format!("# {many}\nx: 1\n"),
            format!("x: |\n  {many}\n  {many}\n\n  {many}\ny: 1\n"),
            format!("- key: >-\n    {many}\n  other: 1\n"),
            format!("x: [\"{many}\", '{many}', a]\n"),
        ] {
            assert_eq!(too_deep(&text), None, "{text}");
        }
    }

    #[test]
    fn closing_brackets_in_text_do_not_hide_nesting() {
        // Closers inside quoted scalars and comments must not cancel real openers.
        let text = format!("x: {}", opens("[\"]]\", ", 200));
        assert!(too_deep(&text).is_some());
        let text = format!("x: {}", opens("[ # ]]\n", 200));
        assert!(too_deep(&text).is_some());
        // A block scalar ends at the first line not indented past its key.
        let text = format!("- key: |\n    ]]]]\n  other: {}", opens("[", 200));
        assert!(too_deep(&text).is_some());
    }
}
