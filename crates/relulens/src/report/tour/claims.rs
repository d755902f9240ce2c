//! Section 7 of the tour: the article's statements, right and wrong, each checked against what the
//! earlier sections computed. A verdict is never typed in: it is the outcome of a test on numbers
//! the library produced, and the evidence quotes those numbers.

use serde::Serialize;

use super::basics::ReluFacts;
use super::trained::{HeightWeightFacts, HEIGHTS_CM, WEIGHT_KG};
use super::{BiasFacts, HingeFacts, NodeFacts};
use crate::report::html::{Block, Cell, Section, Table};
use crate::report::number;

/// Whether a statement holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The computation agrees with the statement.
    Right,
    /// The computation contradicts it.
    Wrong,
}

impl Verdict {
    fn of(holds: bool) -> Verdict {
        if holds {
            Verdict::Right
        } else {
            Verdict::Wrong
        }
    }

    /// "Right" or "Wrong".
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Right => "Right",
            Verdict::Wrong => "Wrong",
        }
    }
}

/// One statement about ReLU, its verdict, and the evidence computed for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The statement, as the article makes it.
    pub statement: String,
    /// Right or wrong, as computed.
    pub verdict: Verdict,
    /// The numbers that decide it.
    pub evidence: String,
}

/// Checks every claim against the facts the sections computed.
pub(super) fn check(
    relu: &ReluFacts,
    node: &NodeFacts,
    bias: &BiasFacts,
    hinges: &HingeFacts,
    hw: &HeightWeightFacts,
) -> Vec<Claim> {
    let claim = |statement: &str, holds: bool, evidence: String| Claim {
        statement: statement.into(),
        verdict: Verdict::of(holds),
        evidence,
    };
    let r = |x: f64| number(relu.at(x));
    let straight =
        relu.kinks.len() == 1 && relu.positive_slopes.len() == 1 && relu.positive_slopes[0] == 1.0;
    let distinct_slopes = {
        let mut s = hinges.slopes.clone();
        s.sort_by(f64::total_cmp);
        s.dedup();
        s.len()
    };
    let [p_short, p_tall] = hw.probability;
    let list = |v: &[f64]| v.iter().map(|x| number(*x)).collect::<Vec<_>>().join(", ");
    vec![
        claim(
            "ReLU returns the input plus 1.",
            relu.at(3.0) == 3.0 + 1.0 && relu.at(-2.0) == -2.0 + 1.0,
            format!(
                "relu(3) = {}, not 4; relu(−2) = {}, not −1.",
                r(3.0),
                r(-2.0)
            ),
        ),
        claim(
            "ReLU outputs 0 for a negative input and the input itself otherwise: max(0, x).",
            relu.checked.0 == relu.checked.1,
            format!(
                "relu(−2) = {}, relu(0) = {}, relu(2.5) = {}; max(0, x) on all {} of {} points checked \
                 from −3 to 3.",
                r(-2.0),
                r(0.0),
                r(2.5),
                relu.checked.1,
                relu.checked.0
            ),
        ),
        claim(
            "On the positive side, ReLU is an exponential curve.",
            !straight,
            format!(
                "The exact pieces of relu on [−5, 5]: {} kink, at x = {}; for x > 0 the number of \
                 straight pieces is {}, of slope {}. Equal steps in, equal steps out: relu(1) = {}, \
                 relu(2) = {}, relu(4) = {}.",
                relu.kinks.len(),
                list(&relu.kinks),
                relu.positive_slopes.len(),
                list(&relu.positive_slopes),
                r(1.0),
                r(2.0),
                r(4.0)
            ),
        ),
        claim(
            "A biased node relu(7 + A) with A greater than −7 has a positive slope but zero output.",
            bias.output_at_minus_5 == 0.0,
            format!(
                "At A = −5: 7 + A = {}, and the output is {}, with slope {}. The output is 0 only \
                 where A ≤ {} (the kink), and there the slope is {} as well.",
                number(7.0 - 5.0),
                number(bias.output_at_minus_5),
                number(bias.slopes.last().copied().unwrap_or(f64::NAN)),
                list(&bias.kinks),
                number(bias.slopes.first().copied().unwrap_or(f64::NAN)),
            ),
        ),
        claim(
            "The bias moves where the node switches on: relu(7 + A) bends at A = −7, not at 0.",
            bias.kinks == [-7.0],
            format!(
                "Exact kinks of relu(7 + A) on [−15, 5]: {}; slopes {} before and after.",
                list(&bias.kinks),
                list(&bias.slopes)
            ),
        ),
        claim(
            "One input can switch another off: in relu(2A + 3B), B = −100 makes A irrelevant (an interaction).",
            node.output == 0.0 && node.gradient[0] == 0.0,
            format!(
                "At A = 1, B = −100: pre-activation {}, output {}, ∂output/∂A = {}. The node switches \
                 back on only where A exceeds {} (B held) or B exceeds {} (A held).",
                number(node.pre_activation),
                number(node.output),
                number(node.gradient[0]),
                node.switch_at[0].map_or("—".into(), number),
                node.switch_at[1].map_or("—".into(), number),
            ),
        ),
        claim(
            "Adding ReLU units makes a curve with many kinks and many different slopes.",
            hinges.kinks.len() >= 2 && distinct_slopes >= 3,
            format!(
                "{} hinges summed: {} kinks (x = {}) and {} pieces with {} different slopes: {}.",
                hinges.units,
                hinges.kinks.len(),
                list(&hinges.kinks),
                hinges.slopes.len(),
                distinct_slopes,
                list(&hinges.slopes)
            ),
        ),
        claim(
            "A network learns that the same weight can mean risk for a short person and none for a tall one.",
            p_short > 0.5 && p_tall < 0.5,
            format!(
                "The trained network at {} kg: risk {:.0}% at {} cm, {:.0}% at {} cm (the true BMI rule: \
                 {:.0}% and {:.0}%).",
                number(WEIGHT_KG),
                100.0 * p_short,
                number(HEIGHTS_CM[0]),
                100.0 * p_tall,
                number(HEIGHTS_CM[1]),
                100.0 * hw.true_probability[0],
                100.0 * hw.true_probability[1],
            ),
        ),
    ]
}

/// The claims as a section with one table.
pub(super) fn section(claims: &[Claim]) -> Section {
    let wrong = claims
        .iter()
        .filter(|c| c.verdict == Verdict::Wrong)
        .count();
    let mut s = Section::new("claims", "Claims checked");
    s.push(Block::text(format!(
        "An article about ReLU made the statements below. relulens checked each one by computing it: \
         {} of the {} are wrong, and the rest hold. The evidence column quotes the numbers computed \
         for this page.",
        wrong,
        claims.len()
    )));
    let rows = claims
        .iter()
        .map(|c| {
            let class = match c.verdict {
                Verdict::Right => "right",
                Verdict::Wrong => "wrong",
            };
            vec![
                Cell::new(c.statement.clone()),
                Cell::styled(c.verdict.name(), class),
                Cell::new(c.evidence.clone()),
            ]
        })
        .collect();
    s.push(Block::Table(Table {
        header: vec![
            "Statement".into(),
            "Verdict".into(),
            "Evidence, computed by relulens".into(),
        ],
        rows,
    }));
    s
}
