//! Turning the spec's descriptions into rustdoc Markdown.
//!
//! Stripe writes schema descriptions in Markdown and operation descriptions
//! in HTML, both with site-relative `/docs/...` links. rustdoc needs plain
//! Markdown with absolute links, no code blocks (it would compile them as
//! doctests), no bare `[word]` (it would try to resolve them as intra-doc
//! links), no bare URLs and no raw HTML (both are warnings), and no
//! characters rustc refuses in a `///` comment. Any text comes out that
//! way, however malformed: the steps below slice strings only next to an
//! ASCII character, and each is linear in the text except the search for
//! a closing run of backticks, `n √n` at worst.
//!
//! A description is kept to [`MAX_DOC`] bytes of rendered Markdown: a
//! longer one is cut, and only the part kept is ever converted, so a huge
//! description costs no more than its own text in the spec (see [`render`]).

const STRIPE_SITE: &str = "https://stripe.com";

/// The most rendered Markdown one description keeps, in bytes (64 KiB):
/// Stripe's longest is under 3 KiB, and a doc longer than this is not read,
/// only copied through tokens, parsing and printing.
pub const MAX_DOC: usize = 64 * 1024;

/// The paragraph a description cut to [`MAX_DOC`] ends with: plain text,
/// which no Markdown before it can turn into anything else.
pub const CUT_NOTE: &str = "(Cut short: this description is longer than the 64 KiB \
    the generator keeps; the spec has the rest.)";

/// One description as rustdoc Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    /// The Markdown, `None` for an empty description.
    pub text: Option<String>,
    /// Whether the description was cut to [`MAX_DOC`] (the text then ends
    /// with [`CUT_NOTE`]).
    pub cut: bool,
}

/// Converts one description to rustdoc-safe Markdown. Returns `None` for an
/// empty description so callers can fall back to a sentence of their own.
pub fn markdown(description: &str) -> Option<String> {
    render(description).text
}

/// Converts one description to rustdoc-safe Markdown of at most
/// [`MAX_DOC`] bytes, plus [`CUT_NOTE`] when it had to be cut.
///
/// A cut takes a prefix of the description's text, never more than
/// [`MAX_DOC`] bytes and ending on a character boundary (at the end of a
/// paragraph, a line or a word when one is in the prefix's last quarter),
/// and converts only that prefix, as it would any text: a code span, link
/// or tag the cut leaves open is escaped like any unmatched one, so the cut
/// can break no Markdown in a way rustdoc warns about. Escaping may make
/// the Markdown longer than its text; then a shorter prefix is taken, each
/// at least an eighth shorter, so a cut converts a few prefixes at most.
pub fn render(description: &str) -> Doc {
    render_within(description, MAX_DOC)
}

/// [`render`] with `max` in place of [`MAX_DOC`].
fn render_within(description: &str, max: usize) -> Doc {
    let mut end = match description.len() > max {
        true => cut_point(description, max),
        false => description.len(),
    };
    loop {
        let text = convert(&description[..end]);
        let len = text.as_ref().map_or(0, String::len);
        if len <= max {
            let cut = end < description.len();
            let text = match (text, cut) {
                (text, false) => text,
                (Some(text), true) => Some(format!("{text}\n\n{CUT_NOTE}")),
                (None, true) => Some(CUT_NOTE.to_owned()),
            };
            return Doc { text, cut };
        }
        // Proportionally shorter, and at least an eighth shorter.
        let shorter = (end - end.div_ceil(8)).min(end * max / len);
        end = cut_point(description, shorter);
    }
}

/// Where to cut `text` to at most `max` bytes: the end of the last
/// paragraph, else line, else word, in the last quarter of what fits,
/// else the last character boundary that fits.
fn cut_point(text: &str, max: usize) -> usize {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let floor = end - end / 4;
    ["\n\n", "\n", " "]
        .iter()
        .find_map(|sep| head.rfind(sep).filter(|&at| at >= floor && at > 0))
        .unwrap_or(end)
}

/// The conversion itself, of any length.
fn convert(description: &str) -> Option<String> {
    let text = plain_characters(description);
    let text = html_to_markdown(&text);
    let text = text.replace("](/", &format!("]({STRIPE_SITE}/"));
    let mut out = String::with_capacity(text.len());
    for unit in units(&text) {
        if !out.is_empty() {
            out.push_str(if unit.after_blank { "\n\n" } else { "\n" });
        }
        if unit.table_row {
            out.push_str(&table_row(&unit.text));
        } else {
            out.push_str(&inline(&unit.text));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// CR and CRLF become `\n` (a bare CR is an error in a `///` comment),
/// other control characters become spaces, and the bidirectional controls
/// that rustc denies in comments are dropped.
fn plain_characters(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| match c {
            '\r' => '\n',
            '\n' | '\t' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Rewrites the handful of tags Stripe uses; unknown tags are dropped, their
/// text kept. A `<` that does not start a tag (no letter, `/` or `!` after
/// it, or another `<` before any `>`) is text.
fn html_to_markdown(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pos = 0;
    let mut link_stack: Vec<String> = Vec::new();
    while let Some(offset) = input[pos..].find('<') {
        let start = pos + offset;
        out.push_str(&input[pos..start]);
        let after = &input[start + 1..];
        let starts_tag =
            after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        // Stopping at the next `<` too keeps this linear on text full of `<`.
        let end = after
            .find(['<', '>'])
            .filter(|&end| after[end..].starts_with('>'));
        match end.filter(|_| starts_tag) {
            Some(len) => {
                out.push_str(&convert_tag(&after[..len], &mut link_stack));
                pos = start + 1 + len + 1;
            }
            None => {
                out.push_str("&lt;");
                pos = start + 1;
            }
        }
    }
    out.push_str(&input[pos..]);
    out.replace("&nbsp;", " ")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

fn convert_tag(tag: &str, link_stack: &mut Vec<String>) -> String {
    if tag.starts_with("http://") || tag.starts_with("https://") {
        // A Markdown autolink, `<https://...>`: the URL is linked again later.
        return tag.to_owned();
    }
    let lower = tag.trim().to_ascii_lowercase();
    let name = lower.split_whitespace().next().unwrap_or("");
    match name {
        "p" | "/ul" | "/ol" => "\n\n".to_owned(),
        "/p" => "\n\n".to_owned(),
        "br" | "br/" => "\n".to_owned(),
        "li" => "\n* ".to_owned(),
        "code" | "/code" => "`".to_owned(),
        "strong" | "/strong" | "b" | "/b" => "**".to_owned(),
        "em" | "/em" | "i" | "/i" => "*".to_owned(),
        "a" => {
            link_stack.push(href(tag).unwrap_or_default());
            "[".to_owned()
        }
        "/a" => match link_stack.pop() {
            Some(url) if !url.is_empty() => format!("]({url})"),
            _ => "]".to_owned(),
        },
        _ => String::new(),
    }
}

/// The quoted `href` of an `<a>` tag, if it is a plain address: one that
/// cannot end a Markdown link early or put HTML in the output.
fn href(tag: &str) -> Option<String> {
    let value = &tag[tag.find("href=")? + "href=".len()..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &value[1..];
    let url = &body[..body.find(quote)?];
    (!url.contains(ends_link)).then(|| url.to_owned())
}

/// Lines that inline syntax (code spans, links) may run across.
struct Unit {
    text: String,
    /// A blank line came before it.
    after_blank: bool,
    /// A line that may be a table row, whose cells are separate.
    table_row: bool,
}

/// The text as units that inline syntax cannot cross: paragraphs, split
/// again before every line that may start a block of its own, and after
/// every line that is a block of its own (a heading, a thematic break, a
/// table row: once a paragraph has a `|`, each line after it may be a
/// row). Splitting too often only escapes more. Lines are trimmed, so none
/// is indented into a code block.
fn units(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut after_blank = false;
    let mut joinable = false;
    let mut in_table = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            (after_blank, joinable, in_table) = (true, false, false);
            continue;
        }
        let line = block_line(line);
        in_table |= line.contains('|');
        let alone = in_table || starts_block(&line);
        // List items and quotes go on over lines; headings and breaks, in
        // them or not, do not.
        let content = after_markers(&line);
        let single = in_table || content.starts_with('#') || is_break(content);
        match units.last_mut() {
            Some(unit) if joinable && !alone => {
                unit.text.push('\n');
                unit.text.push_str(&line);
            }
            _ => units.push(Unit {
                text: line,
                after_blank,
                table_row: in_table,
            }),
        }
        joinable = !single;
        after_blank = false;
    }
    units
}

/// A possible table row: each cell (split at every `|` not escaped, even
/// inside a code span, as GFM does) rendered on its own.
fn table_row(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut cell_start = 0;
    let mut escaped = false;
    for (i, b) in line.bytes().enumerate() {
        if b == b'|' && !escaped {
            out.push_str(&inline(&line[cell_start..i]));
            out.push('|');
            cell_start = i + 1;
        }
        escaped = b == b'\\' && !escaped;
    }
    out.push_str(&inline(&line[cell_start..]));
    out
}

/// Whether a line may start a block (list item, quote, heading, table,
/// thematic break, setext underline, or a footnote definition `[^1]:`,
/// which pulldown-cmark lets interrupt a paragraph) rather than continue a
/// paragraph.
fn starts_block(line: &str) -> bool {
    line.starts_with(['*', '-', '+', '>', '#', '|', '=', '_', '[']) || block_marker(line).is_some()
}

/// A thematic break or setext underline: only `-`, `*`, `=`, `_` and blanks.
fn is_break(line: &str) -> bool {
    line.chars()
        .all(|c| matches!(c, '-' | '*' | '=' | '_' | ' ' | '\t'))
}

/// A trimmed line made safe as a block: a code fence (```` ``` ````, `~~~`)
/// is escaped so it stays text, and the blanks after list and quote
/// markers shrink to one space so what follows is never an indented code
/// block.
fn block_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 1);
    let mut rest = line;
    while let Some(marker) = block_marker(rest) {
        out.push_str(&rest[..marker]);
        let after = rest[marker..].trim_start();
        if after.len() < rest.len() - marker && !after.is_empty() {
            out.push(' ');
        }
        rest = after;
    }
    if rest.starts_with("```") || rest.starts_with("~~~") {
        out.push('\\');
    }
    out.push_str(rest);
    out
}

/// `line` without the list and quote markers that open it.
fn after_markers(line: &str) -> &str {
    let mut rest = line;
    while let Some(marker) = block_marker(rest) {
        rest = rest[marker..].trim_start();
    }
    rest
}

/// The length of the list or quote marker that opens `line`: `*`, `-`,
/// `+` or `1.`/`1)` followed by a blank or the end, or `>`.
fn block_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let len = match bytes.first()? {
        b'>' => return Some(1),
        b'*' | b'-' | b'+' => 1,
        _ if (1..=9).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) => {
            digits + 1
        }
        _ => return None,
    };
    matches!(bytes.get(len), None | Some(b' ' | b'\t')).then_some(len)
}

/// A piece of a unit, by byte range.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A backslash escape (`\[`), kept as it is.
    Escape,
    /// A code span between backtick runs of one length, kept as it is.
    Code,
    /// A backtick run with no closing run: escaped.
    Ticks,
    Open,
    Close,
    /// An `http(s)://` URL, without trailing punctuation.
    Url,
    Text,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Renders one unit: code spans as they are, unmatched backticks and
/// brackets escaped, links kept only when they point at a web page, bare
/// URLs wrapped in `<>` so rustdoc links them.
fn inline(unit: &str) -> String {
    let tokens = tokenize(unit);
    let verbatim = links(unit, &tokens);
    let mut out = String::with_capacity(unit.len() + 16);
    let mut previous = Kind::Text;
    for (token, verbatim) in tokens.iter().zip(verbatim) {
        let text = &unit[token.start..token.end];
        match token.kind {
            _ if verbatim => out.push_str(text),
            Kind::Ticks | Kind::Open | Kind::Close => {
                for c in text.chars() {
                    out.push('\\');
                    out.push(c);
                }
            }
            Kind::Url => {
                if previous == Kind::Text && out.ends_with('\\') {
                    // That backslash would escape the `<`: double it so it
                    // stays a backslash of its own.
                    out.push('\\');
                }
                out.push('<');
                out.push_str(text);
                out.push('>');
            }
            Kind::Escape | Kind::Code | Kind::Text => out.push_str(text),
        }
        previous = token.kind;
    }
    out
}

/// Splits a unit into tokens, left to right as CommonMark reads them:
/// escapes, then code spans, which bind tighter than link brackets.
fn tokenize(unit: &str) -> Vec<Token> {
    let bytes = unit.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (kind, end) = match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                (Kind::Escape, i + 2)
            }
            b'`' => backticks(bytes, i),
            b'[' => (Kind::Open, i + 1),
            b']' => (Kind::Close, i + 1),
            _ if url_at(bytes, i) => (Kind::Url, url_end(unit, i)),
            _ => (Kind::Text, text_end(bytes, i)),
        };
        tokens.push(Token {
            kind,
            start: i,
            end,
        });
        i = end;
    }
    tokens
}

/// A backtick run at `i`: a code span if a run of the same length follows,
/// else unmatched.
fn backticks(bytes: &[u8], i: usize) -> (Kind, usize) {
    let run = |at: usize| bytes[at..].iter().take_while(|&&b| b == b'`').count();
    let len = run(i);
    let mut at = i + len;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'`') {
        let found = run(at + offset);
        at += offset + found;
        if found == len {
            return (Kind::Code, at);
        }
    }
    (Kind::Ticks, i + len)
}

fn url_at(bytes: &[u8], i: usize) -> bool {
    bytes[i..].starts_with(b"https://") || bytes[i..].starts_with(b"http://")
}

/// A URL ends at a blank, `<`, `>`, `)` or `|` (a table cell's end);
/// trailing `.`, `,` and `;` are the sentence's, not the URL's.
fn url_end(unit: &str, i: usize) -> usize {
    let rest = &unit[i..];
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || matches!(c, '<' | '>' | ')' | '|'))
        .unwrap_or(rest.len());
    i + rest[..end].trim_end_matches(['.', ',', ';']).len()
}

/// Plain text runs up to the next byte another token may start with.
fn text_end(bytes: &[u8], i: usize) -> usize {
    let mut end = i + 1;
    while end < bytes.len()
        && !matches!(bytes[end], b'\\' | b'`' | b'[' | b']')
        && !url_at(bytes, end)
    {
        end += 1;
    }
    end
}

/// Which tokens are written as they are because they belong to a link
/// kept: brackets whose `]` is followed by `(http...)`, and that
/// destination. Brackets pair innermost first, and a link once kept
/// deactivates the brackets open around it, since links cannot nest: an
/// opener is active while its generation is the current one.
fn links(unit: &str, tokens: &[Token]) -> Vec<bool> {
    let mut verbatim = vec![false; tokens.len()];
    let mut open: Vec<(usize, u32)> = Vec::new();
    let mut generation = 0;
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index];
        index += 1;
        match token.kind {
            Kind::Open => open.push((index - 1, generation)),
            Kind::Close => {
                let Some((opener, pushed)) = open.pop() else {
                    continue;
                };
                let active = pushed == generation;
                let Some(end) = link_destination(unit, token.end).filter(|_| active) else {
                    continue;
                };
                verbatim[opener] = true;
                verbatim[index - 1] = true;
                while index < tokens.len() && tokens[index].start < end {
                    verbatim[index] = true;
                    index += 1;
                }
                generation += 1;
            }
            _ => {}
        }
    }
    verbatim
}

/// Characters a link destination is kept without: ones that would end the
/// link early or be read as something else (a table's `|` ends a cell).
fn ends_link(c: char) -> bool {
    c.is_whitespace() || "()[]<>`\\|".contains(c)
}

/// The end of `(http...)` at `at`, if the destination is a plain web
/// address: nothing rustdoc would read as an intra-doc link, nothing that
/// would end it early. Only plain characters are scanned, so no text is
/// scanned twice.
fn link_destination(unit: &str, at: usize) -> Option<usize> {
    let rest = unit[at..].strip_prefix('(')?;
    let len = rest.find(ends_link).unwrap_or(rest.len());
    let closed = rest[len..].starts_with(')');
    (closed && url_at(rest.as_bytes(), 0)).then_some(at + 1 + len + 1)
}

#[cfg(test)]
mod tests {
    use super::{markdown, render, render_within, CUT_NOTE, MAX_DOC};

    #[test]
    fn a_description_over_the_limit_is_cut_at_a_paragraph_with_the_note() {
        let paragraph = "A `status` of [the session](/docs/x), <code>verified</code>.\n\n";
        let text = paragraph.repeat(MAX_DOC / paragraph.len() + 10);
        let doc = render(&text);
        assert!(doc.cut);
        let doc = doc.text.unwrap();
        let kept = doc.strip_suffix(&format!("\n\n{CUT_NOTE}")).unwrap();
        assert!(kept.len() <= MAX_DOC, "{}", kept.len());
        // Cut between paragraphs: the last one kept is whole.
        assert!(
            kept.ends_with("[the session](https://stripe.com/docs/x), `verified`."),
            "{}",
            &kept[kept.len() - 80..]
        );
        assert_eq!(problems(&doc), Vec::<String>::new());
    }

    #[test]
    fn a_description_within_the_limit_is_whole() {
        let text = "x".repeat(MAX_DOC);
        let doc = render(&text);
        assert!(!doc.cut);
        assert_eq!(doc.text.unwrap(), text);
    }

    /// Escaping can make the Markdown longer than the text (`<` is `&lt;`):
    /// text under the limit whose Markdown is over it is cut too.
    #[test]
    fn markdown_longer_than_the_limit_is_cut_though_its_text_is_not() {
        let text = "< ".repeat(MAX_DOC / 4);
        assert!(text.len() < MAX_DOC);
        let doc = render(&text);
        assert!(doc.cut);
        let doc = doc.text.unwrap();
        let kept = doc.strip_suffix(&format!("\n\n{CUT_NOTE}")).unwrap();
        assert!(
            kept.len() <= MAX_DOC && kept.len() > MAX_DOC / 2,
            "{}",
            kept.len()
        );
        assert!(kept.ends_with("&lt;"), "{}", &kept[kept.len() - 20..]);
    }

    /// One long line of multibyte text with no blank to cut at: cut at a
    /// character boundary.
    #[test]
    fn a_cut_without_a_blank_falls_between_characters() {
        let text = "é€😀".repeat(MAX_DOC);
        let doc = render(&text).text.unwrap();
        let kept = doc.strip_suffix(&format!("\n\n{CUT_NOTE}")).unwrap();
        assert!(text.starts_with(kept));
        assert!(kept.len() > MAX_DOC - 4 && kept.len() <= MAX_DOC);
    }

    #[test]
    fn html_paragraphs_code_and_links() {
        let html = "<p>Can be canceled in <code>requires_input</code> <a\nhref=\"/docs/identity/how-sessions-work\">status</a>.</p>\n\n<p>Second.</p>";
        assert_eq!(
            markdown(html).unwrap(),
            "Can be canceled in `requires_input` [status](https://stripe.com/docs/identity/how-sessions-work).\n\nSecond."
        );
    }

    #[test]
    fn relative_markdown_links_become_absolute() {
        let md = "what [verification\ncheck](/docs/identity/verification-checks) to perform";
        assert!(markdown(md)
            .unwrap()
            .contains("check](https://stripe.com/docs/identity/verification-checks)"));
    }

    #[test]
    fn bare_brackets_are_escaped_and_links_kept() {
        let md = "replaced by `[x]` or [redacted]. See [docs](https://stripe.com/docs).";
        assert_eq!(
            markdown(md).unwrap(),
            "replaced by `[x]` or \\[redacted\\]. See [docs](https://stripe.com/docs)."
        );
    }

    #[test]
    fn bare_urls_get_angle_brackets() {
        assert_eq!(
            markdown("See https://stripe.com/docs.").unwrap(),
            "See <https://stripe.com/docs>."
        );
    }

    #[test]
    fn indentation_is_removed_so_nothing_becomes_a_doctest() {
        assert_eq!(markdown("a\n    indented").unwrap(), "a\nindented");
        assert_eq!(markdown("  "), None);
    }

    #[test]
    fn line_breaks_and_control_characters_are_plain() {
        assert_eq!(
            markdown("a\r\nb\rc\u{0}d\u{7}e\tf").unwrap(),
            "a\nb\nc d e\tf"
        );
        assert_eq!(markdown("x\u{202E}y\u{2066}z").unwrap(), "xyz");
    }

    #[test]
    fn code_fences_and_indented_code_stay_text() {
        assert_eq!(
            markdown("a\n```rust\nfn x()\n```").unwrap(),
            "a\n\\`\\`\\`rust\nfn x()\n\\`\\`\\`"
        );
        assert_eq!(markdown("~~~\nx").unwrap(), "\\~~~\nx");
        assert_eq!(
            markdown("*      code\n>     quoted").unwrap(),
            "* code\n> quoted"
        );
    }

    #[test]
    fn unmatched_backticks_are_escaped_and_spans_kept() {
        assert_eq!(markdown("a ` b [x]").unwrap(), "a \\` b \\[x\\]");
        assert_eq!(
            markdown("`[x]` and `` ` `` but ```").unwrap(),
            "`[x]` and `` ` `` but \\`\\`\\`"
        );
        // A code span does not reach into the next paragraph.
        assert_eq!(markdown("`a\n\nb`").unwrap(), "\\`a\n\nb\\`");
    }

    #[test]
    fn only_links_to_web_pages_are_kept() {
        assert_eq!(
            markdown("[a](x) [b](https://x.y/z)").unwrap(),
            "\\[a\\](x) [b](https://x.y/z)"
        );
        assert_eq!(
            markdown("[a][b] [c]: https://x").unwrap(),
            "\\[a\\]\\[b\\] \\[c\\]: <https://x>"
        );
        // Links do not nest: the outer brackets become text, its URL a link.
        assert_eq!(
            markdown("[a [b](https://x) c](https://y)").unwrap(),
            "\\[a [b](https://x) c\\](<https://y>)"
        );
        assert_eq!(markdown("\\[kept\\]").unwrap(), "\\[kept\\]");
    }

    #[test]
    fn malformed_html_becomes_text() {
        assert_eq!(markdown("<a href=\"https://x.y\">open").unwrap(), "\\[open");
        assert_eq!(markdown("</p>alone<code>open").unwrap(), "alone\\`open");
        assert_eq!(markdown("a < b > c & d").unwrap(), "a &lt; b > c & d");
        assert_eq!(markdown("<a href=é>x</a>").unwrap(), "\\[x\\]");
        assert_eq!(
            markdown("see <https://stripe.com>").unwrap(),
            "see <https://stripe.com>"
        );
        assert_eq!(markdown("http://a.b/c, ok").unwrap(), "<http://a.b/c>, ok");
    }

    #[test]
    fn headings_comments_and_multibyte_text_pass_through() {
        let text = "# Title\n*/ é€😀 [中]\n## x";
        assert_eq!(markdown(text).unwrap(), "# Title\n*/ é€😀 \\[中\\]\n## x");
    }

    /// Shapes the fuzzing below found, kept as plain cases.
    #[test]
    fn found_by_fuzzing() {
        for text in [
            "\\https://stripe.com/docs",
            "\\\\https://stripe.com/docs",
            "<li># <code>https://stripe.com/docs\r\n`a",
            "|a|b|\n|-|-|<br>\t<https://x.y>|a|b|",
            "<https://stripe.com/docs<a href=\"x\">>",
            "# ```rust<br>\u{feff}[a]: https://x```rust",
            "a<code>\r\n[^1]:<code>",
        ] {
            let doc = markdown(text).unwrap();
            assert_eq!(problems(&doc), Vec::<String>::new(), "{text:?}: {doc:?}");
        }
    }

    /// 100 KB lines of the characters each step treats specially become
    /// clean rustdoc. Every step is linear (backtick runs `n √n`), so each
    /// takes milliseconds; a quadratic step would show as a slow test.
    #[test]
    fn long_hostile_lines_become_clean_rustdoc() {
        let long = |s: &str| s.repeat(100_000 / s.len());
        let increasing_runs: String = (1..400).map(|n| "`".repeat(n) + "x").collect();
        for text in [
            long("["),
            long("]"),
            long("[]("),
            long("[](https://x"),
            long("<"),
            long("<a"),
            long("<a>"),
            long("`"),
            long("` "),
            increasing_runs,
            long("https://"),
            long("é€"),
            long("\\"),
        ] {
            let doc = markdown(&text).unwrap_or_default();
            assert_eq!(problems(&doc), Vec::<String>::new(), "{:?}", &text[..8]);
        }
    }

    /// What rustdoc would warn about in `doc`, read with pulldown-cmark (the
    /// parser rustdoc uses, with its options): code blocks (doctests), raw
    /// HTML, links whose target is not a web page (intra-doc links),
    /// reference-style links without a definition (intra-doc candidates),
    /// footnotes, bare URLs, and characters a `///` comment cannot hold.
    fn problems(doc: &str) -> Vec<String> {
        use pulldown_cmark::{BrokenLink, Event, Options, Parser, Tag, TagEnd};
        let mut found = Vec::new();
        if doc.contains(|c: char| c == '\r' || (c.is_control() && c != '\n' && c != '\t')) {
            found.push("control character".to_owned());
        }
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_SMART_PUNCTUATION;
        let mut broken = Vec::new();
        let callback = |link: BrokenLink<'_>| {
            broken.push(format!("intra-doc candidate {:?}", link.reference));
            None
        };
        let mut in_link = 0;
        for event in Parser::new_with_broken_link_callback(doc, options, Some(callback)) {
            match event {
                Event::Start(Tag::CodeBlock(_)) => found.push("code block".to_owned()),
                Event::Html(html) | Event::InlineHtml(html) => found.push(format!("HTML {html:?}")),
                Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => {
                    found.push("footnote".to_owned())
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    in_link += 1;
                    if !(dest_url.starts_with("https://") || dest_url.starts_with("http://")) {
                        found.push(format!("link to {dest_url:?}"));
                    }
                }
                Event::End(TagEnd::Link | TagEnd::Image) => in_link -= 1,
                Event::Text(text)
                    if in_link == 0 && text.contains("http") && text.contains("://") =>
                {
                    found.push(format!("bare URL in {text:?}"))
                }
                _ => {}
            }
        }
        found.extend(broken);
        found
    }

    mod fuzz {
        use super::{markdown, problems, render_within, CUT_NOTE};
        use proptest::prelude::*;

        /// Characters and fragments each step of `markdown` treats specially.
        fn fragment() -> impl Strategy<Value = String> {
            let chars = vec![
                'a', 'Z', '1', ' ', '\n', '\r', '\t', '\0', '\u{7}', '\u{1b}', '\u{85}',
                '\u{202E}', '\u{2067}', '\u{FEFF}', 'é', '€', '😀', '中', '*', '/', '`', '[', ']',
                '(', ')', '<', '>', '&', '#', '\\', '~', '_', '-', '+', '!', '|', '=', '.', ',',
                ':', '"', '\'', '^',
            ];
            let fragments = vec![
                "<a href=\"x\">",
                "<a href=\"/docs/x\">",
                "<a href='https://stripe.com/a'>",
                "</a>",
                "<p>",
                "</p>",
                "<code>",
                "</code>",
                "<li>",
                "<br>",
                "<ul>",
                "</ul>",
                "<strong>",
                "</em>",
                "<div class=x>",
                "<!-- c -->",
                "<https://x.y>",
                "&nbsp;",
                "&amp;",
                "&lt;",
                "https://stripe.com/docs",
                "http://a.b/c",
                "](/docs/y)",
                "](https://x.y)",
                "](x)",
                "```",
                "~~~",
                "```rust",
                "* ",
                "- ",
                "1. ",
                "> ",
                "    ",
                "\t\t",
                "*/",
                "/*",
                "\r\n",
                "\n\n",
                "[^1]",
                "[a]: https://x",
                "# ",
                "|a|b|\n|-|-|",
                "``",
                "\\`",
                "\\[",
                "![i](https://x/i.png)",
            ];
            prop_oneof![
                prop::sample::select(chars).prop_map(String::from),
                prop::sample::select(fragments).prop_map(String::from),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn hostile_fragments_become_rustdoc_safe(parts in prop::collection::vec(fragment(), 0..50)) {
                let text = parts.concat();
                let doc = markdown(&text).unwrap_or_default();
                prop_assert_eq!(problems(&doc), Vec::<String>::new(), "from {:?}: {:?}", text, doc);
            }

            /// Cut at any length (small limits stand for `MAX_DOC`), the
            /// Markdown stays within the limit and rustdoc-safe: the cut
            /// never leaves a code span, link or tag open.
            #[test]
            fn cut_anywhere_hostile_fragments_stay_rustdoc_safe(
                parts in prop::collection::vec(fragment(), 0..50),
                max in 0usize..300,
            ) {
                let text = parts.concat();
                let doc = render_within(&text, max);
                let rendered = doc.text.clone().unwrap_or_default();
                let kept = match rendered.strip_suffix(CUT_NOTE) {
                    Some(kept) if doc.cut => kept.trim_end_matches('\n'),
                    _ => {
                        prop_assert!(!doc.cut);
                        prop_assert_eq!(&doc.text, &markdown(&text));
                        &rendered
                    }
                };
                prop_assert!(kept.len() <= max, "{} > {}", kept.len(), max);
                prop_assert_eq!(problems(&rendered), Vec::<String>::new(), "from {:?}: {:?}", text, rendered);
            }

            #[test]
            fn any_string_becomes_rustdoc_safe(text in any::<String>()) {
                let doc = markdown(&text).unwrap_or_default();
                prop_assert_eq!(problems(&doc), Vec::<String>::new(), "from {:?}: {:?}", text, doc);
            }
        }
    }
}
