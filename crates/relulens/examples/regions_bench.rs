//! Times the exact 2-D region enumeration on a network given as a safetensors file (or a seeded
//! PyTorch-style initialisation) over [-1, 1]², and prints one JSON line.
//!
//! `cargo run --release --example regions_bench -p relulens -- --sizes 2,64,64,64,1 --seed 0 --repeat 3`
//! `cargo run --release --example regions_bench -p relulens -- --model net.safetensors --repeat 3`
//!
//! Each timed run prepares the network's piecewise-linear form and the slice, then enumerates the
//! regions; the file is loaded once, untimed. `--warmup N` runs it N times untimed first (a cold
//! first call pays for page faults and allocator growth); `--adjacency` also builds the regions'
//! adjacency inside the clock (it is otherwise built on first use); `--centroids FILE` writes each region's centroid and area as JSON
//! (`[[u, v, area], ...]`), for region-by-region comparisons with other tools.

use std::time::Instant;

use relulens::explain::{regions_on_slice, verify_regions, PiecewiseLinear, RegionOptions, Slice};
use relulens::nn::MlpConfig;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let repeat: usize = value("--repeat").map_or(Ok(3), |v| v.parse())?;
    let warmup: usize = value("--warmup").map_or(Ok(0), |v| v.parse())?;
    let with_adjacency = args.iter().any(|a| a == "--adjacency");
    let mlp = match value("--model") {
        Some(path) => relulens::io::load(path)?.folded(),
        None => {
            let sizes: Vec<usize> = value("--sizes")
                .unwrap_or_else(|| "2,32,32,1".into())
                .split(',')
                .map(str::parse)
                .collect::<Result<_, _>>()?;
            let seed: u64 = value("--seed").map_or(Ok(0), |v| v.parse())?;
            MlpConfig::new(sizes).seed(seed).init::<f64>()?
        }
    };
    // Timed: preparing the network (its weights copied into the piecewise-linear form) and the
    // slice, then the enumeration — as `Regioncam(...)` and `add(net)` are for regioncam. Loading
    // the file is not, as building the torch model is not for regioncam.
    let enumerate = || -> Result<_, relulens::Error> {
        let net = PiecewiseLinear::new(&mlp)?;
        let slice = Slice::features(&vec![0.0; net.in_dim()], 0, 1, [[-1.0, 1.0], [-1.0, 1.0]])?;
        let regions = regions_on_slice(&net, &slice, &RegionOptions::default())?;
        if with_adjacency {
            regions.adjacency();
        }
        Ok((net, regions))
    };
    for _ in 0..warmup {
        enumerate()?;
    }
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..repeat {
        let start = Instant::now();
        let (net, regions) = enumerate()?;
        times.push(start.elapsed().as_secs_f64());
        count = regions.count();
        if value("--verify").is_some() {
            let report = verify_regions(&net, &regions, 10_000, 0);
            eprintln!("{report}");
        }
        if let Some(path) = value("--centroids") {
            let rows: Vec<String> = regions
                .regions
                .iter()
                .map(|r| format!("[{:?}, {:?}, {:?}]", r.centroid[0], r.centroid[1], r.area))
                .collect();
            std::fs::write(path, format!("[{}]\n", rows.join(",\n")))?;
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"regions\": {count}, \"seconds_median\": {}, \"seconds\": {times:?}}}",
        times[times.len() / 2]
    );
    Ok(())
}
