//! A self-contained HTML page: sections of prose, figures (inline SVG), tables and facts, with its
//! own CSS. No script, no font, no image and no link leave the file, so it reads the same offline,
//! from `file://`, on a laptop or a phone.
//!
//! Text is escaped; in prose, `backticks` mark code and `**stars**` mark emphasis, nothing else.
//!
//! ```
//! use relulens::report::html::{Block, Page, Section};
//! let mut page = Page::new("ReLU", "max(0, x), explained");
//! page.sections.push(Section::new("what", "What ReLU is").with(Block::text("`relu(3)` is 3.")));
//! let html = page.to_html();
//! assert!(html.contains("<code>relu(3)</code> is 3."));
//! assert!(page.text().contains("What ReLU is"));
//! ```

use core::fmt::Write;

use super::plot::Plot;

/// One page: a title, a line under it, and sections.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The page's title (also the `<title>`).
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// The sections, in order; each gets a numbered entry in the contents.
    pub sections: Vec<Section>,
    /// A closing line at the foot of the page.
    pub footer: String,
}

/// A section: an anchor id, a heading and blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// The anchor, unique in the page (letters, digits and `-`).
    pub id: String,
    /// The heading.
    pub title: String,
    /// The content.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of prose.
    Text(String),
    /// Figures side by side on a wide screen, stacked on a narrow one.
    Figures(Vec<Figure>),
    /// A table.
    Table(Table),
    /// A short list of name: value facts.
    Facts(Vec<(String, String)>),
    /// A highlighted note.
    Note(String),
}

/// A plot with a caption that says what to look at; the page shows it as inline SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The drawing (from a `plot_*` function).
    pub plot: Plot,
    /// The caption.
    pub caption: String,
}

/// A table of text cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The header row.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// One table cell: its text and an optional style (`right`, `wrong`, `num`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text (prose rules apply).
    pub text: String,
    /// A CSS class.
    pub class: Option<&'static str>,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            class: None,
        }
    }

    /// A cell with a CSS class.
    pub fn styled(text: impl Into<String>, class: &'static str) -> Cell {
        Cell {
            text: text.into(),
            class: Some(class),
        }
    }
}

impl Page {
    /// An empty page.
    pub fn new(title: impl Into<String>, subtitle: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            subtitle: subtitle.into(),
            ..Page::default()
        }
    }

    /// The page as one HTML document.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(1 << 16);
        html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.push_str(
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n",
        );
        let _ = writeln!(html, "<title>{}</title>", escape(&typeset(&self.title)));
        let _ = writeln!(html, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
        let _ = writeln!(
            html,
            "<header><h1>{}</h1><p class=\"subtitle\">{}</p></header>",
            escape(&typeset(&self.title)),
            prose(&self.subtitle)
        );
        html.push_str("<nav><ol>\n");
        for s in &self.sections {
            let _ = writeln!(
                html,
                "<li><a href=\"#{}\">{}</a></li>",
                escape(&s.id),
                escape(&typeset(&s.title))
            );
        }
        html.push_str("</ol></nav>\n");
        for (n, s) in self.sections.iter().enumerate() {
            let _ = writeln!(
                html,
                "<section id=\"{}\">\n<h2><span class=\"num\">{}</span> {}</h2>",
                escape(&s.id),
                n + 1,
                escape(&typeset(&s.title))
            );
            for block in &s.blocks {
                block.write_html(&mut html);
            }
            html.push_str("</section>\n");
        }
        if !self.footer.is_empty() {
            let _ = writeln!(html, "<footer>{}</footer>", prose(&self.footer));
        }
        html.push_str("</main>\n</body>\n</html>\n");
        html
    }

    /// Every figure with a name that is unique in the page: the section's id and the figure's
    /// number in the section, from 1 (`relu-1`, `relu-2`, `node-1`).
    pub fn figures(&self) -> Vec<(String, &Figure)> {
        let mut named = Vec::new();
        for s in &self.sections {
            let figures = s.blocks.iter().flat_map(|b| match b {
                Block::Figures(figures) => figures.as_slice(),
                _ => &[],
            });
            for (n, f) in figures.enumerate() {
                named.push((format!("{}-{}", s.id, n + 1), f));
            }
        }
        named
    }

    /// The page's words without markup or figures (captions included): for tests and summaries.
    pub fn text(&self) -> String {
        let mut text = format!("{}\n{}\n", typeset(&self.title), typeset(&self.subtitle));
        for (n, s) in self.sections.iter().enumerate() {
            let _ = write!(text, "\n{} {}", n + 1, s.text());
        }
        text
    }
}

impl Section {
    /// An empty section.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Section {
        Section {
            id: id.into(),
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    /// The section with one more block.
    pub fn with(mut self, block: Block) -> Section {
        self.blocks.push(block);
        self
    }

    /// Adds a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// The section's words as the page sets them ([`typeset`], item by item as the HTML is): its
    /// title, then each block's, one paragraph, caption (`[figure] …`), table row (cells joined
    /// by ` | `) or fact (`name: value`) a line; no markup, no figures.
    pub fn text(&self) -> String {
        let mut text = format!("{}\n", typeset(&self.title));
        let joined = |cells: &mut dyn Iterator<Item = &str>| -> String {
            cells.map(typeset).collect::<Vec<_>>().join(" | ")
        };
        for block in &self.blocks {
            match block {
                Block::Text(t) | Block::Note(t) => {
                    let _ = writeln!(text, "{}", typeset(t));
                }
                Block::Figures(figures) => {
                    for f in figures {
                        let _ = writeln!(text, "[figure] {}", typeset(&f.caption));
                    }
                }
                Block::Table(t) => {
                    let _ = writeln!(text, "{}", joined(&mut t.header.iter().map(String::as_str)));
                    for row in &t.rows {
                        let _ =
                            writeln!(text, "{}", joined(&mut row.iter().map(|c| c.text.as_str())));
                    }
                }
                Block::Facts(facts) => {
                    for (k, v) in facts {
                        let _ = writeln!(text, "{}: {}", typeset(k), typeset(v));
                    }
                }
            }
        }
        text
    }
}

impl Block {
    /// A paragraph.
    pub fn text(text: impl Into<String>) -> Block {
        Block::Text(text.into())
    }

    /// One figure.
    pub fn figure(plot: Plot, caption: impl Into<String>) -> Block {
        Block::Figures(vec![Figure {
            plot,
            caption: caption.into(),
        }])
    }

    fn write_html(&self, html: &mut String) {
        match self {
            Block::Text(t) => {
                let _ = writeln!(html, "<p>{}</p>", prose(t));
            }
            Block::Note(t) => {
                let _ = writeln!(html, "<p class=\"note\">{}</p>", prose(t));
            }
            Block::Figures(figures) => {
                let class = if figures.len() > 1 {
                    "figures"
                } else {
                    "figures one"
                };
                let _ = writeln!(html, "<div class=\"{class}\">");
                for f in figures {
                    let _ = writeln!(
                        html,
                        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                        strip_xml_declaration(&f.plot.svg()),
                        prose(&f.caption)
                    );
                }
                html.push_str("</div>\n");
            }
            Block::Table(t) => {
                html.push_str("<div class=\"table\"><table>\n<thead><tr>");
                for h in &t.header {
                    let _ = write!(html, "<th>{}</th>", prose(h));
                }
                html.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    html.push_str("<tr>");
                    for c in row {
                        match c.class {
                            Some(class) => {
                                let _ =
                                    write!(html, "<td class=\"{class}\">{}</td>", prose(&c.text));
                            }
                            None => {
                                let _ = write!(html, "<td>{}</td>", prose(&c.text));
                            }
                        }
                    }
                    html.push_str("</tr>\n");
                }
                html.push_str("</tbody>\n</table></div>\n");
            }
            Block::Facts(facts) => {
                html.push_str("<dl class=\"facts\">\n");
                for (k, v) in facts {
                    let _ = writeln!(html, "<dt>{}</dt><dd>{}</dd>", prose(k), prose(v));
                }
                html.push_str("</dl>\n");
            }
        }
    }
}

/// `text` with `&`, `<`, `>` and quotes escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` with each number's sign set as a true minus (U+2212), outside `code` spans (whose text a
/// reader may copy into a shell): an ASCII hyphen before a digit, or before a point and a digit,
/// that does not follow a letter, digit, hyphen or point. So `= -298`, `(-1` and `[-1, 1]` change,
/// while `2-32-32-1`, `x-axis`, `--from` and `1.25e-5` do not.
pub fn typeset(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // As in `prose`: only paired backticks open and close code.
    let pairs = parts.len().saturating_sub(1) / 2;
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && i < 2 * pairs {
            out.push_str(part);
        } else {
            minus_signs(part, &mut out);
        }
    }
    out
}

fn minus_signs(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let after_word = i > 0 && {
            let p = chars[i - 1];
            p.is_alphanumeric() || matches!(p, '-' | '.' | '_')
        };
        let before_number = match chars.get(i + 1) {
            Some(d) if d.is_ascii_digit() => true,
            Some('.') => chars.get(i + 2).is_some_and(char::is_ascii_digit),
            _ => false,
        };
        out.push(if c == '-' && !after_word && before_number {
            '−'
        } else {
            c
        });
    }
}

/// Escaped prose with `code` and **emphasis** turned into markup (unpaired markers stay as they
/// are), and numbers' signs set as true minus signs ([`typeset`]).
fn prose(text: &str) -> String {
    let escaped = escape(&typeset(text));
    let paired = |text: &str, marker: &str, open: &str, close: &str| -> String {
        let parts: Vec<&str> = text.split(marker).collect();
        if parts.len() < 3 {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 16);
        let pairs = (parts.len() - 1) / 2;
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                if i <= 2 * pairs {
                    out.push_str(if i % 2 == 1 { open } else { close });
                } else {
                    out.push_str(marker);
                }
            }
            out.push_str(part);
        }
        out
    };
    let coded = paired(&escaped, "`", "<code>", "</code>");
    paired(&coded, "**", "<strong>", "</strong>")
}

/// An SVG without a leading `<?xml …?>` line, ready to sit inside HTML.
fn strip_xml_declaration(svg: &str) -> &str {
    let svg = svg.trim_start();
    if svg.starts_with("<?xml") {
        svg.split_once("?>")
            .map_or(svg, |(_, rest)| rest.trim_start())
    } else {
        svg
    }
}

/// The page's style: readable measure, figures that shrink to the screen, tables that scroll
/// sideways on a phone instead of breaking the layout; system fonts only.
const CSS: &str = r#"
:root { --ink: #1e1e1e; --muted: #5a5a5a; --line: #d8d8d8; --accent: #1f77b4; --paper: #ffffff;
  --right: #e3f4e1; --right-ink: #1f6b1a; --wrong: #fbe3e1; --wrong-ink: #9b1c13; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f4; color: var(--ink);
  font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: var(--paper); }
header h1 { margin: 0.2rem 0 0.2rem; font-size: 2.1rem; line-height: 1.2; }
.subtitle { color: var(--muted); margin-top: 0; font-size: 1.1rem; }
nav ol { columns: 2; column-gap: 2rem; padding-left: 1.4rem; margin: 1rem 0 2rem; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
section { border-top: 1px solid var(--line); padding-top: 0.6rem; margin-top: 2.2rem; }
h2 { font-size: 1.55rem; line-height: 1.25; margin: 0.6rem 0 0.8rem; }
h2 .num { color: var(--accent); margin-right: 0.3rem; }
p { max-width: 46rem; margin: 0.6rem 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em;
  background: #f1f1ef; padding: 0.05em 0.3em; border-radius: 3px; }
.note { background: #eef5fb; border-left: 4px solid var(--accent); padding: 0.6rem 0.9rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
  gap: 1.2rem; margin: 1.2rem 0; }
.figures.one { grid-template-columns: minmax(0, 820px); }
figure { margin: 0; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; }
figcaption { color: var(--muted); font-size: 0.95rem; margin-top: 0.4rem; }
.table { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; min-width: 60%; font-size: 0.97rem; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f1f1ef; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.right { background: var(--right); color: var(--right-ink); font-weight: 600; }
td.wrong { background: var(--wrong); color: var(--wrong-ink); font-weight: 600; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
footer { color: var(--muted); font-size: 0.9rem; margin-top: 3rem; border-top: 1px solid var(--line);
  padding-top: 0.8rem; }
@media (max-width: 640px) {
  body { font-size: 16px; }
  main { padding: 1rem 0.8rem 2rem; }
  header h1 { font-size: 1.6rem; }
  nav ol { columns: 1; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.4rem; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg_check::element_names;

    #[test]
    fn signs_become_true_minus_signs_outside_code_only() {
        assert_eq!(
            typeset("2·1 + 3·(−100) = -298, x in [-1, 1], t = -.5"),
            "2·1 + 3·(−100) = −298, x in [−1, 1], t = −.5"
        );
        // Hyphens that are not signs stay.
        for kept in [
            "2-32-32-1",
            "x-axis",
            "--from 3",
            "1.25e-5",
            "a - b",
            "-x",
            "x_-1",
        ] {
            assert_eq!(typeset(kept), kept);
        }
        assert_eq!(
            typeset("`relulens kinks m --from -7` gives -7"),
            "`relulens kinks m --from -7` gives −7"
        );
        // An unpaired backtick opens no code.
        assert_eq!(typeset("a ` -1"), "a ` −1");
        assert!(prose("A = -7, `--at A=-7`").contains("A = −7, <code>--at A=-7</code>"));
    }

    #[test]
    fn prose_marks_code_and_emphasis_and_escapes_the_rest() {
        assert_eq!(
            prose("`a<b` & **c**"),
            "<code>a&lt;b</code> &amp; <strong>c</strong>"
        );
        assert_eq!(prose("one ` tick"), "one ` tick");
        assert_eq!(
            prose("`a` and `b` and `c"),
            "<code>a</code> and <code>b</code> and `c"
        );
    }

    #[test]
    fn a_page_is_well_formed_and_self_contained() {
        let svg = crate::report::plot_curves(
            &crate::report::Axes::new("t", "x", "y"),
            &[crate::report::Series::new(
                "l",
                vec![[0.0, 0.0], [1.0, 1.0]],
            )],
        );
        let mut page = Page::new("Title <1>", "sub");
        page.sections.push(
            Section::new("a", "First")
                .with(Block::text("hello"))
                .with(Block::figure(svg, "look here"))
                .with(Block::Table(Table {
                    header: vec!["claim".into(), "verdict".into()],
                    rows: vec![vec![Cell::new("x"), Cell::styled("Wrong", "wrong")]],
                }))
                .with(Block::Facts(vec![("k".into(), "v".into())])),
        );
        page.footer = "made live".into();
        let html = page.to_html();
        let names = element_names(&html);
        assert_eq!(names.iter().filter(|n| *n == "section").count(), 1);
        assert_eq!(names.iter().filter(|n| *n == "svg").count(), 1);
        assert!(html.contains("<title>Title &lt;1&gt;</title>"));
        assert!(html.contains("<td class=\"wrong\">Wrong</td>"));
        assert!(!html.contains("<script") && !html.contains("<link"));
        assert!(page.text().contains("[figure] look here"));
        let names: Vec<String> = page.figures().into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["a-1"]);
    }
}
