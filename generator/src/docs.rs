//! Turning the spec's descriptions into rustdoc Markdown.
//!
//! Stripe writes schema descriptions in Markdown and operation descriptions
//! in HTML, both with site-relative `/docs/...` links. rustdoc needs plain
//! Markdown with absolute links, no indented code blocks (it would compile
//! them as doctests) and no bare `[word]` (it would try to resolve them as
//! intra-doc links).

const STRIPE_SITE: &str = "https://stripe.com";

/// Converts one description to rustdoc-safe Markdown. Returns `None` for an
/// empty description so callers can fall back to a sentence of their own.
pub fn markdown(description: &str) -> Option<String> {
    let text = html_to_markdown(description);
    let text = absolute_links(&text);
    let text = escape_brackets(&text);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let joined = collapse_blank_lines(&lines);
    let joined = joined.trim();
    (!joined.is_empty()).then(|| joined.to_owned())
}

/// Rewrites the handful of tags Stripe uses; unknown tags are dropped, their
/// text kept.
fn html_to_markdown(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    let mut link_stack: Vec<String> = Vec::new();
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            out.push_str("&lt;");
            rest = &rest[start + 1..];
            continue;
        };
        let tag = &rest[start + 1..start + len];
        rest = &rest[start + len + 1..];
        out.push_str(&convert_tag(tag, &mut link_stack));
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

fn convert_tag(tag: &str, link_stack: &mut Vec<String>) -> String {
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

fn href(tag: &str) -> Option<String> {
    let start = tag.find("href=")? + 5;
    let quote = tag[start..].chars().next()?;
    let body = &tag[start + 1..];
    let end = body.find(quote)?;
    Some(body[..end].to_owned())
}

/// `](/docs/x)` becomes `](https://stripe.com/docs/x)`; bare URLs get angle
/// brackets so rustdoc renders them as links.
fn absolute_links(text: &str) -> String {
    let text = text.replace("](/", &format!("]({STRIPE_SITE}/"));
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("https://") {
        let before = &rest[..i];
        out.push_str(before);
        let end = rest[i..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
            .map_or(rest.len(), |e| i + e);
        let url = &rest[i..end];
        let in_link = before.ends_with("](") || before.ends_with('<');
        if in_link {
            out.push_str(url);
        } else {
            let trimmed = url.trim_end_matches(['.', ',', ';']);
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&url[trimmed.len()..]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Escapes square brackets that are not part of a Markdown link, so
/// `[redacted]` stays text instead of becoming a broken intra-doc link.
fn escape_brackets(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut keep = vec![false; chars.len()];
    for (open, _) in chars.iter().enumerate().filter(|(_, c)| **c == '[') {
        if let Some(close) = matching_close(&chars, open) {
            if chars.get(close + 1) == Some(&'(') {
                keep[open] = true;
                keep[close] = true;
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for (i, c) in chars.iter().enumerate() {
        in_code ^= *c == '`';
        if (*c == '[' || *c == ']') && !keep[i] && !in_code {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

fn matching_close(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn collapse_blank_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown;

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
}
