//! `relulens tour` and `relulens explain`, run as a user would: each writes one self-contained HTML
//! page and prints where.

use std::path::Path;

use predicates::prelude::*;

mod common;
use common::relulens;

/// Everything in the page that would make a browser reach outside the file: every `src`, `href`
/// and `url(…)` that is not an in-page `#anchor` or `data:`, any `http:`, `https:`, `ftp:` or
/// `file:` URL other than the SVG namespace, and tags that load things (`<script>`, `<link>`,
/// `<iframe>`, `@import`).
fn external_urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let local = |value: &str| value.starts_with('#') || value.starts_with("data:");
    // Attribute values, in either quote, and CSS url(...) with or without quotes.
    for attribute in [
        "src=",
        "href=",
        "xlink:href=",
        "srcset=",
        "poster=",
        "action=",
    ] {
        for (i, _) in html.match_indices(attribute) {
            let before = html[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == ':') {
                continue;
            }
            let rest = &html[i + attribute.len()..];
            let value: String = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].chars().take_while(|c| *c != q).collect(),
                _ => rest
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '>')
                    .collect(),
            };
            if !local(value.trim()) {
                found.push(format!("{attribute}{value}"));
            }
        }
    }
    for (i, _) in html.match_indices("url(") {
        let value: String = html[i + 4..].chars().take_while(|c| *c != ')').collect();
        if !local(value.trim().trim_matches(['"', '\''])) {
            found.push(format!("url({value})"));
        }
    }
    let lower = html.to_ascii_lowercase();
    for scheme in ["http:", "https:", "ftp:", "file:"] {
        for (i, _) in lower.match_indices(scheme) {
            let url: String = html[i..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
                .collect();
            if url == "http://www.w3.org/2000/svg" && html[..i].ends_with("xmlns=\"") {
                continue;
            }
            found.push(url);
        }
    }
    for tag in [
        "<script", "<link", "<iframe", "<object", "<embed", "@import",
    ] {
        if lower.contains(tag) {
            found.push(tag.to_string());
        }
    }
    found
}

#[test]
fn the_external_url_check_finds_what_a_browser_would_fetch() {
    let page = r##"<a href="#x">in page</a><img src='//cdn.example/a.png'/>
        <svg xmlns="http://www.w3.org/2000/svg"><image href=https://example.org/b.png /></svg>
        <style>p { background: url("data:image/png;base64,AA"); } q { background: url(c.png) }</style>
        <p>see HTTPS://example.net</p>"##;
    assert_eq!(
        external_urls(page),
        vec![
            "src=//cdn.example/a.png",
            "href=https://example.org/b.png",
            "url(c.png)",
            "https://example.org/b.png",
            "HTTPS://example.net",
        ]
    );
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("index.html")).expect("index.html was written")
}

#[test]
fn the_tour_writes_one_page_with_seven_sections_and_the_claims() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tour");
    relulens()
        .args(["tour", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("index.html")
                .and(predicate::str::contains("7 sections"))
                .and(predicate::str::contains("kink at A = -7, slopes 0 and 1")),
        );
    let html = read(&out);
    assert_eq!(html.matches("<section id=").count(), 7);
    for id in [
        "relu",
        "node",
        "bias",
        "hinges",
        "height-weight",
        "penguins",
        "claims",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(html.contains("Claims checked") && html.contains("<table>"));
    assert!(html.contains("<td class=\"wrong\">Wrong</td>"));
    assert!(html.contains("<td class=\"right\">Right</td>"));
    assert!(html.matches("<svg").count() >= 10);
    assert_eq!(external_urls(&html), Vec::<String>::new());
    // The node's numbers, computed: pre-activation -298, switch at A = 150 and B = -2/3 (set
    // with true minus signs on the page).
    assert!(html.contains("2·1 + 3·(−100) = −298"));
    assert!(html.contains("once A exceeds 150") && html.contains("once B exceeds −0.6667"));
}

#[test]
fn the_tour_summary_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let output = relulens()
        .args(["tour", "--json", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let s = &doc["summary"];
    assert_eq!(s["sections"].as_array().unwrap().len(), 7);
    let claims = s["claims"].as_array().unwrap();
    let verdict = |start: &str| {
        claims
            .iter()
            .find(|c| c["statement"].as_str().unwrap().starts_with(start))
            .map(|c| c["verdict"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no claim {start:?}"))
    };
    assert_eq!(verdict("ReLU returns the input plus 1"), "wrong");
    assert_eq!(verdict("On the positive side"), "wrong");
    assert_eq!(verdict("A biased node"), "wrong");
    assert_eq!(verdict("ReLU outputs 0"), "right");
    assert_eq!(verdict("The bias moves"), "right");
    assert_eq!(verdict("One input can switch"), "right");
    assert_eq!(verdict("Adding ReLU units"), "right");
    assert_eq!(s["node"]["pre_activation"], -298.0);
    assert_eq!(s["bias"]["kinks"], serde_json::json!([-7.0]));
    assert!(doc["path"].as_str().unwrap().ends_with("index.html"));
}

#[test]
fn quiet_prints_only_the_path_and_a_bad_directory_fails() {
    let dir = tempfile::tempdir().unwrap();
    relulens()
        .args(["tour", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::ends_with("index.html\n"));
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    relulens()
        .args(["tour", "--quiet", "--out"])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot make the directory"));
}

#[test]
fn explain_without_a_model_trains_one_and_writes_a_page() {
    let dir = tempfile::tempdir().unwrap();
    relulens()
        .args(["explain", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("index.html").and(predicate::str::contains(
                "linear regions on (height_cm, weight_kg)",
            )),
        );
    let html = read(dir.path());
    // The training data holds the model's target, and the page says so.
    assert!(html.contains("height_weight: 2000 rows, with elevated_risk"));
    for id in [
        "model",
        "training",
        "profiles",
        "regions",
        "effects",
        "interactions",
        "health",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert_eq!(external_urls(&html), Vec::<String>::new());
}

#[test]
fn explain_a_trained_model_on_a_chosen_pair() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.safetensors");
    relulens()
        .args(["train", "--data", "penguins", "--epochs", "20", "--out"])
        .arg(&model)
        .assert()
        .success();
    let out = dir.path().join("page");
    let output = relulens()
        .arg("explain")
        .arg(&model)
        .args([
            "--data",
            "penguins",
            "--x",
            "bill_length_mm",
            "--y",
            "flipper_length_mm",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        doc["summary"]["pair"],
        serde_json::json!(["bill_length_mm", "flipper_length_mm"])
    );
    assert_eq!(doc["summary"]["interactions"].as_array().unwrap().len(), 6);
    assert!(read(&out).contains("bill_length_mm and flipper_length_mm together"));

    relulens()
        .arg("explain")
        .arg(&model)
        .args(["--x", "beak", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no feature \"beak\""));
}

#[test]
fn explain_a_pytorch_state_dict() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../relulens/tests/fixtures/torch_sequential_f32.safetensors");
    let dir = tempfile::tempdir().unwrap();
    relulens()
        .arg("explain")
        .arg(&fixture)
        .args(["--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let html = read(dir.path());
    assert!(html.contains("records no training history"));
    assert!(html.contains("<section id=\"regions\">"));
    assert_eq!(external_urls(&html), Vec::<String>::new());
}

/// A PNG file's width, height and RGB pixels.
fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut pixels).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

#[test]
fn png_writes_every_figure_next_to_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let output = relulens()
        .args(["tour", "--png", "--json", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let written: Vec<&str> = doc["png"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let html = read(dir.path());
    assert_eq!(written.len(), html.matches("<figure>").count());
    assert!(written[0].ends_with("relu-1.png"), "{written:?}");
    for path in &written {
        let (width, height, pixels) = decode_png(Path::new(path));
        // Twice the page's pixels; every figure is at least 640 wide on the page.
        assert!(width >= 1280 && height >= 400, "{path}: {width} x {height}");
        let white = pixels
            .chunks_exact(3)
            .filter(|p| p == &[255, 255, 255])
            .count();
        let dark = pixels
            .chunks_exact(3)
            .filter(|p| p.iter().all(|&c| c < 90))
            .count();
        let all = (width * height) as usize;
        assert!(
            white < all && dark > 2000,
            "{path}: blank ({white} white, {dark} dark)"
        );
    }
    // The page stays self-contained: it does not point at the PNGs.
    assert_eq!(external_urls(&html), Vec::<String>::new());

    let out = dir.path().join("explain");
    relulens()
        .args(["explain", "--png", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("figures also written as PNG"));
    let (width, height, _) = decode_png(&out.join("training-1.png"));
    assert_eq!((width, height), (1280, 840));
}

#[test]
fn progress_stays_off_stderr_when_it_is_not_a_terminal() {
    // assert_cmd captures stderr through a pipe, as a log or CI would: no bar, no spinner, no
    // escape codes; everything the commands say goes to stdout.
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["tour", "--out"],
        vec!["explain", "--out"],
        vec!["train", "--data", "xor", "--epochs", "30", "--out"],
    ] {
        let target = match args[0] {
            "train" => dir.path().join("model.safetensors"),
            page => dir.path().join(page),
        };
        let output = relulens().args(&args).arg(&target).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(
            output.stderr.is_empty(),
            "{args:?} wrote to stderr: {:?}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_missing_model_fails_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("model.safetensors");
    for (command, rest) in [
        ("explain", vec!["--quiet"]),
        ("regions", vec![]),
        ("predict", vec!["--data", "height_weight"]),
    ] {
        let output = relulens()
            .arg(command)
            .arg(&missing)
            .args(&rest)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with("error: no model file at ")
                && stderr.contains("make one with `relulens train --out "),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn explain_reads_a_csv_of_only_the_feature_columns() {
    let dir = tempfile::tempdir().unwrap();
    // A PyTorch state dict has no metadata: its features are x0, x1.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../relulens/tests/fixtures/torch_sequential_f32.safetensors");
    let mut csv = String::from("x0,x1\n");
    for i in 0..30 {
        csv += &format!("{},{}\n", i as f64 * 0.3 - 4.0, 2.0 - i as f64 * 0.2);
    }
    let data = dir.path().join("features.csv");
    std::fs::write(&data, &csv).unwrap();
    let output = relulens()
        .arg("explain")
        .arg(&fixture)
        .arg("--data")
        .arg(&data)
        .args(["--json", "--out"])
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["summary"]["interactions"].as_array().unwrap().len(), 1);
    assert!(doc["summary"]["dead_units"].is_number());

    // A model that knows its target reads a file without that column too.
    let model = dir.path().join("model.safetensors");
    relulens()
        .args(["train", "--data", "height_weight", "--epochs", "2", "--out"])
        .arg(&model)
        .assert()
        .success();
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "height_cm,weight_kg\n160,55\n175,90\n190,70\n150,80\n",
    )
    .unwrap();
    relulens()
        .arg("explain")
        .arg(&model)
        .arg("--data")
        .arg(&people)
        .args(["--quiet", "--out"])
        .arg(dir.path().join("people"))
        .assert()
        .success();
    // The page names the rows, not the stand-in target (nor a task it does not have).
    let page = read(&dir.path().join("people"));
    assert!(page.contains("people: 4 rows<"), "the data line");
    assert!(!page.contains("people: 4 rows, with"));
    assert!(!page.contains("regression"));
    // Still refused: a file without the features.
    std::fs::write(&people, "height_cm,age\n160,55\n").unwrap();
    relulens()
        .arg("explain")
        .arg(&model)
        .arg("--data")
        .arg(&people)
        .args(["--quiet", "--out"])
        .arg(dir.path().join("people"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("weight_kg"));
}

#[test]
fn explain_names_the_features_of_a_bad_pair() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../relulens/tests/fixtures/torch_sequential_f32.safetensors");
    let dir = tempfile::tempdir().unwrap();
    relulens()
        .arg("explain")
        .arg(&fixture)
        .args(["--x", "x1", "--y", "x1", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("\"x1\"")
                .and(predicate::str::contains("inputs 1 and 1").not()),
        );
}
