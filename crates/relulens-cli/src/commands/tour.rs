//! `relulens tour`: the guided tour of ReLU, written as one self-contained HTML page; a short
//! summary (or JSON) on stdout.

use std::io::Write;
use std::process::ExitCode;

use relulens::report::{number, tour, Progress, TourOptions, Verdict};

use super::page::{print_json, print_where, shown, write_page, Feedback};
use crate::cli::TourArgs;

pub fn run(args: &TourArgs) -> anyhow::Result<ExitCode> {
    let feedback = Feedback::new(args.quiet || args.json);
    let made = tour(&TourOptions { seed: args.seed }, &mut |p| match p {
        Progress::Step(words) => feedback.step(words.to_string()),
        Progress::Epoch {
            dataset,
            epoch,
            epochs,
        } => feedback.epoch(&format!("training on {dataset}"), epoch, epochs),
    })?;
    let (path, pngs) = write_page(&feedback, &made.page, &args.out, args.png)?;
    feedback.finish();
    let s = &made.summary;
    let mut out = std::io::stdout().lock();
    if args.json {
        print_json(&mut out, &path, &pngs, s)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.quiet {
        writeln!(out, "{}", shown(&path))?;
        return Ok(ExitCode::SUCCESS);
    }
    let wrong = s
        .claims
        .iter()
        .filter(|c| c.verdict == Verdict::Wrong)
        .count();
    writeln!(
        out,
        "The ReLU tour: {} sections, made in {:.1} s.",
        s.sections.len(),
        s.seconds
    )?;
    writeln!(
        out,
        "  relu(2A + 3B) at A = 1, B = -100: output {}, switches on where A > {} or B > {}",
        number(s.node.output),
        s.node.switch_at[0].map_or("-".into(), number),
        s.node.switch_at[1].map_or("-".into(), number),
    )?;
    writeln!(
        out,
        "  relu(7 + A): kink at A = {}, slopes {}",
        s.bias
            .kinks
            .iter()
            .map(|k| number(*k))
            .collect::<Vec<_>>()
            .join(", "),
        s.bias
            .slopes
            .iter()
            .map(|k| number(*k))
            .collect::<Vec<_>>()
            .join(" and "),
    )?;
    for (name, t) in [
        ("height_weight", &s.height_weight),
        ("penguins", &s.penguins),
    ] {
        writeln!(
            out,
            "  {name}: {} held-out accuracy, {} linear regions, a boundary of {} segments",
            t.validation_accuracy
                .map_or("-".into(), |a| format!("{:.1}%", 100.0 * a)),
            t.regions,
            t.boundary_segments
        )?;
    }
    writeln!(
        out,
        "  claims checked: {} ({} wrong, {} right)",
        s.claims.len(),
        wrong,
        s.claims.len() - wrong
    )?;
    print_where(&mut out, &args.out, &path, &pngs)?;
    Ok(ExitCode::SUCCESS)
}
