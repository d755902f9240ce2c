//! The tour's words, pinned: each section's prose, captions, tables and facts (not its SVG) as an
//! `insta` snapshot in `tests/snapshots/`, so that a changed claim, verdict or number shows up in
//! review as a diff of the text a reader sees.
//!
//! The text is deterministic on one machine: the data and training are seeded (seed 0, the tour's
//! default), training runs on one thread, and numbers are printed rounded (`report::number`: four
//! significant digits; percentages to 0.1). Sections 1–4 and the claims are pinned digit for digit.
//! The two sections about trained networks (height_weight, penguins) are pinned with every number
//! replaced by `#`: the matrix products pick their kernels by processor (AVX-512, AVX2, …), whose
//! different summation orders change the last bits, and 200 epochs of training can carry that into
//! a printed digit on another machine. Their numbers are held against the truth by
//! `tests/fidelity.rs` instead, with tolerances. The one part of the page that changes from run to
//! run, the footer with the time taken, is not in any section.
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

/// `text` with every run of digits (and the decimal point between two) replaced by `#`.
fn numbers_masked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push('#');
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn masking_replaces_whole_numbers_and_keeps_the_words() {
    assert_eq!(
        numbers_masked("risk 100% at 160.5 cm, 3 regions."),
        "risk #% at # cm, # regions."
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

macro_rules! masked_section_snapshots {
    ($($test:ident => $id:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!($id, numbers_masked(&section($id)));
        }
    )*};
}

section_snapshots! {
    what_relu_is => "relu",
    one_node => "node",
    the_bias => "bias",
    sums_of_hinges => "hinges",
    the_claims_checked => "claims",
}

masked_section_snapshots! {
    a_network_on_height_weight => "height-weight",
    a_network_on_penguins => "penguins",
}
