//! The tour's words, pinned: each section's prose, captions, tables and facts (not its SVG) as an
//! `insta` snapshot in `tests/snapshots/`, so that a changed claim, verdict or number shows up in
//! review as a diff of the text a reader sees.
//!
//! The text is deterministic: the data and training are seeded (seed 0, the tour's default),
//! training runs on one thread with a fixed order of summation, and numbers are printed rounded
//! (`report::number`: four significant digits; percentages to 0.1). No filter loosens the
//! snapshots: an arithmetic change large enough to move a printed digit is worth a look. The one
//! part of the page that changes from run to run, the footer with the time taken, is not in any
//! section.
//!
//! To accept an intended change: `INSTA_UPDATE=always cargo test -p relulens --features report
//! --test tour_text`, then review the `.snap` files' diff before committing.
#![cfg(feature = "report")]

use std::sync::OnceLock;

use relulens::report::html::Section;
use relulens::report::{tour, TourOptions};

/// The tour's sections, made once for every test here.
fn sections() -> &'static [Section] {
    static SECTIONS: OnceLock<Vec<Section>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        let made = tour(&TourOptions::default(), &mut |_| {}).expect("the tour is made");
        made.page.sections
    })
}

fn section(id: &str) -> String {
    let found = sections().iter().find(|s| s.id == id);
    found
        .unwrap_or_else(|| panic!("the tour has no section {id:?}"))
        .text()
}

#[test]
fn the_tour_has_its_seven_sections_in_order() {
    let ids: Vec<&str> = sections().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "relu",
            "node",
            "bias",
            "hinges",
            "height-weight",
            "penguins",
            "claims"
        ]
    );
}

macro_rules! section_snapshots {
    ($($test:ident => $id:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!($id, section($id));
        }
    )*};
}

section_snapshots! {
    what_relu_is => "relu",
    one_node => "node",
    the_bias => "bias",
    sums_of_hinges => "hinges",
    a_network_on_height_weight => "height-weight",
    a_network_on_penguins => "penguins",
    the_claims_checked => "claims",
}
