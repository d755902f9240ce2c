//! `relulens tour`: for now a table of ReLU and its family, computed live; the full tour (an HTML
//! page with plots and the article's claims checked) grows from here.

use std::io::Write;
use std::process::ExitCode;

use relulens::activation::Activation;

use super::activation::fmt;
use crate::cli::TourArgs;

const XS: [f64; 7] = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0];

pub fn run(args: &TourArgs) -> anyhow::Result<ExitCode> {
    let family = Activation::all();
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = family
            .iter()
            .map(|a| {
                serde_json::json!({
                    "activation": a.name(),
                    "x": XS,
                    "value": XS.map(|x| a.value(x)),
                    "derivative": XS.map(|x| a.derivative(x)),
                })
            })
            .collect();
        serde_json::to_writer(&mut out, &serde_json::json!({ "family": rows }))?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }

    let relu = Activation::Relu;
    writeln!(
        out,
        "ReLU is f(x) = max(0, x): 0 for negative input, the input itself otherwise."
    )?;
    writeln!(
        out,
        "Its positive side is a straight line of slope 1 (relu(3) = {}, slope {}), not a curve,",
        fmt(relu.value(3.0)),
        fmt(relu.derivative(3.0))
    )?;
    writeln!(
        out,
        "and it never adds 1: relu(0.5) = {}, relu(-0.5) = {}.\n",
        fmt(relu.value(0.5)),
        fmt(relu.value(-0.5))
    )?;
    writeln!(out, "The family, value at x:")?;
    write!(out, "{:>11}", "x")?;
    for x in XS {
        write!(out, " {:>9}", fmt(x))?;
    }
    writeln!(out)?;
    for a in &family {
        write!(out, "{:>11}", a.name())?;
        for x in XS {
            write!(out, " {:>9}", fmt(a.value(x)))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "\nSlopes (derivatives) at x:")?;
    for a in &family {
        write!(out, "{:>11}", a.name())?;
        for x in XS {
            write!(out, " {:>9}", fmt(a.derivative(x)))?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
