//! The tour's words and numbers: key sentences of each section, the claims' verdicts, and a page
//! that is well formed and self-contained, and the progress it reports. (Asserted piece by piece;
//! `tour_text.rs` pins each section's whole text as a snapshot.)
#![cfg(feature = "report")]

use quick_xml::events::Event;
use quick_xml::Reader;
use relulens::report::{tour, Progress, Tour, TourOptions, Verdict};

/// The tour, and what it reported as it was made (each report as its `Display`).
fn run() -> &'static (Tour, Vec<String>) {
    static RUN: std::sync::OnceLock<(Tour, Vec<String>)> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let mut reported = Vec::new();
        let made = tour(&TourOptions::default(), &mut |p: Progress<'_>| {
            reported.push(p.to_string())
        })
        .expect("the tour is made");
        (made, reported)
    })
}

fn made() -> &'static Tour {
    &run().0
}

#[test]
fn progress_names_each_step_and_counts_every_epoch() {
    let reported = &run().1;
    let steps: Vec<&str> = reported
        .iter()
        .filter(|r| !r.contains(": epoch "))
        .map(String::as_str)
        .collect();
    assert_eq!(
        steps,
        [
            "the basics: ReLU, one node, the bias, sums of hinges",
            "training a network on height_weight",
            "training a network on penguins",
        ]
    );
    for dataset in ["height_weight", "penguins"] {
        let epochs: Vec<&String> = reported
            .iter()
            .filter(|r| r.starts_with(&format!("training on {dataset}: epoch ")))
            .collect();
        // Every epoch once, in order, out of at most 200 (early stopping may end it sooner).
        assert!(
            (1..=200).contains(&epochs.len()),
            "{dataset}: {}",
            epochs.len()
        );
        for (i, line) in epochs.iter().enumerate() {
            assert_eq!(
                line.as_str(),
                format!("training on {dataset}: epoch {}/200", i + 1)
            );
        }
    }
}

#[test]
fn seven_sections_in_order() {
    let titles: Vec<&str> = made()
        .page
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "What ReLU is",
            "One node: relu(2A + 3B)",
            "The bias moves the kink: relu(7 + A)",
            "Sums of hinges: many kinks, many slopes",
            "A trained network: height, weight and risk",
            "Real data: the Palmer penguins",
            "Claims checked",
        ]
    );
}

#[test]
fn the_key_sentences_carry_computed_numbers() {
    let text = made().page.text();
    for expected in [
        "relu(−2) = 0, relu(0) = 0, relu(0.5) = 0.5 and relu(3) = 3",
        "0 on the left, 1 on the right",
        "2·1 + 3·(−100) = −298 (A contributes 2, B contributes −300)",
        "the output is 0 and its slope with respect to A is 0",
        "its output is 5 and its slope with respect to A is 2",
        "once A exceeds 150",
        "once B exceeds −0.6667",
        "The effect of A is exactly 0 for B from −4 to −0.6667, then 2 for B from −0.6667 to 4",
        "the corner moves from 0 to A = −7",
        "at A = −5 it is 2",
        "has 5 kinks (at x = −2, −1, 0, 1, 2) and 6 straight pieces",
        "the true boundary is the curve weight = 27 · height²",
        "3 of the 8 are wrong",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn the_claims_get_their_computed_verdicts() {
    let claims = &made().summary.claims;
    let verdicts: Vec<Verdict> = claims.iter().map(|c| c.verdict).collect();
    use Verdict::{Right, Wrong};
    assert_eq!(
        verdicts,
        [Wrong, Right, Wrong, Wrong, Right, Right, Right, Right]
    );
    assert!(claims[0].evidence.contains("relu(3) = 3, not 4"));
    assert!(claims[2]
        .evidence
        .contains("straight pieces is 1, of slope 1"));
    assert!(claims[3].evidence.contains("the output is 2, with slope 1"));
}

#[test]
fn the_trained_network_follows_the_true_boundary() {
    let hw = &made().summary.height_weight;
    let number = |name: &str| {
        hw.numbers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    for h in ["160", "185"] {
        let gap = number(&format!("boundary_weight_at_{h}cm"))
            - number(&format!("true_boundary_weight_at_{h}cm"));
        assert!(
            gap.abs() < 5.0,
            "{h} cm: the boundary is {gap} kg from the truth"
        );
    }
    assert!(number("probability_at_160cm_80kg") > 0.5);
    assert!(number("probability_at_185cm_80kg") < 0.5);
    assert!(hw.regions > 10 && hw.boundary_segments > 1);
}

#[test]
fn the_page_is_well_formed_and_self_contained() {
    let html = made().page.to_html();
    let mut reader = Reader::from_str(&html);
    reader.config_mut().check_end_names = true;
    let (mut sections, mut svgs, mut depth) = (0, 0, 0i64);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                match e.name().as_ref() {
                    b"section" => sections += 1,
                    b"svg" => svgs += 1,
                    _ => {}
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("not well formed at {}: {err}", reader.buffer_position()),
        }
    }
    assert_eq!((sections, depth), (7, 0));
    assert!(svgs >= 10);
    let without_svg_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for forbidden in [
        "http://", "https://", "<script", "<link", "<img", "url(", "@import",
    ] {
        assert!(!without_svg_namespace.contains(forbidden), "{forbidden}");
    }
}
