//! Test helpers: an SVG or XHTML string must parse as XML with balanced tags, and its elements can
//! be counted.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Every element's name, in document order (start and empty tags), after checking that the
/// document is well formed.
pub(crate) fn element_names(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(Event::Empty(e)) => {
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned())
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!(
                "not well-formed XML at byte {}: {err}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!(depth, 0, "unbalanced tags");
    names
}

/// Checks that `svg` is one well-formed `<svg>` element with a non-zero width and height.
pub(crate) fn check_svg(svg: &str) {
    let names = element_names(svg);
    assert_eq!(names.first().map(String::as_str), Some("svg"));
    assert_eq!(names.iter().filter(|n| *n == "svg").count(), 1);
    for attribute in ["width=\"", "height=\""] {
        let value: u32 = svg
            .split(attribute)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .expect("a numeric width and height");
        assert!(value > 0);
    }
}

/// How many elements named `tag` the document has.
pub(crate) fn count_tag(xml: &str, tag: &str) -> usize {
    element_names(xml).iter().filter(|n| *n == tag).count()
}

/// How many `<polyline>`s are stroked with `color` (`#RRGGBB`) at `width` pixels.
pub(crate) fn count_lines(svg: &str, color: &str, width: u32) -> usize {
    let style = format!("stroke=\"{color}\" stroke-width=\"{width}\"");
    svg.split("<polyline")
        .skip(1)
        .filter(|tag| tag.split("/>").next().is_some_and(|t| t.contains(&style)))
        .count()
}
