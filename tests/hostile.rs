//! Hostile inputs (SPEC §11: no input makes ctelint panic, hang, or use memory out of proportion
//! to the input): each one through the real binary (or the library where only the library can
//! reach the case), asserting the diagnostic or message a user gets.
//!
//! Every run that could hang or blow up goes through [`guarded`], which kills the child at a
//! deadline or when its resident set passes a cap, so that a regression fails the test instead
//! of stalling the suite or the machine.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use ctelint::json::ParseOptions;
use ctelint::linter;
use ctelint::profile::Profile;
use ctelint::settings::{Selection, Selector, Settings};
use serde_json::Value;

use crate::cli::{ctelint, vendor_sample, workspace};

const MIB: u64 = 1024 * 1024;

/// How a guarded run ended.
struct Guarded {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// The largest `VmHWM` seen in `/proc/<pid>/status` while polling every 2 ms (KiB; 0 where
    /// there is no `/proc`). A lower bound of the true peak.
    peak_kib: u64,
}

impl Guarded {
    fn transcript(&self) -> String {
        let clip = |s: &str| s.chars().take(4000).collect::<String>();
        format!(
            "exit code: {} after {:?}, peak RSS {} KiB\n--- stdout\n{}--- stderr\n{}",
            self.code,
            self.elapsed,
            self.peak_kib,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }

    /// The findings of a `--output-format json` run.
    fn json(&self) -> Vec<Value> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.transcript()))
    }
}

fn vm_hwm_kib(status_file: &str) -> Option<u64> {
    let text = fs::read_to_string(status_file).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

/// Runs ctelint in `dir`; kills it and fails the test when it runs past `deadline` or its
/// resident set passes `max_rss` bytes.
fn guarded(dir: &Path, args: &[&str], deadline: Duration, max_rss: u64) -> Guarded {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ctelint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Some(kib) = vm_hwm_kib(&status_file) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let over_time = start.elapsed() > deadline;
        let over_memory = peak_kib * 1024 > max_rss;
        if over_time || over_memory {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
            assert!(
                !over_time,
                "ctelint {args:?} did not finish within {deadline:?} (killed)\n--- stderr\n{stderr}"
            );
            panic!(
                "ctelint {args:?} used more than {} MiB (peak {} MiB after {:?}; killed)\n--- stderr\n{stderr}",
                max_rss / MIB,
                peak_kib / 1024,
                start.elapsed()
            );
        }
        thread::sleep(Duration::from_millis(2));
    };
    let elapsed = start.elapsed();
    Guarded {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        elapsed,
        peak_kib,
    }
}

/// The one finding of `file` in a JSON report, asserting that there is exactly one.
fn only<'a>(findings: &'a [Value], file: &str) -> &'a Value {
    let of_file: Vec<&Value> = findings.iter().filter(|d| d["filename"] == file).collect();
    assert_eq!(of_file.len(), 1, "{file}: {of_file:#?}");
    of_file[0]
}

fn message(finding: &Value) -> &str {
    finding["message"].as_str().unwrap()
}

/// The codes of the findings of `file`, in report order.
fn codes_of(findings: &[Value], file: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|d| d["filename"] == file)
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The vendor sample with `extra` added as the last top-level members (`extra` starts with
/// `, `).
fn sample_with(extra: &str) -> String {
    let sample = vendor_sample();
    let end = sample.rfind('}').unwrap();
    format!("{}{extra}\n}}\n", sample[..end].trim_end())
}

/// The vendor sample on one line, as a minifier writes it.
pub(crate) fn minified_sample() -> String {
    let value: Value = serde_json::from_str(&vendor_sample()).unwrap();
    serde_json::to_string(&value).unwrap()
}

fn all_rules() -> Settings {
    let selection = Selection {
        select: Some(vec![Selector::All]),
        ..Selection::default()
    };
    Settings::new(Profile::Standard, &selection, Vec::new())
}

#[test]
fn nesting_100000_deep_is_cte001_not_a_stack_overflow() {
    let dir = workspace(None);
    fs::write(dir.path().join("arrays.json"), "[".repeat(100_000)).unwrap();
    fs::write(dir.path().join("objects.json"), "{\"a\":".repeat(100_000)).unwrap();
    fs::write(
        dir.path().join("closed.json"),
        "[".repeat(100_000) + &"]".repeat(100_000),
    )
    .unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "."],
        Duration::from_secs(20),
        512 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    // The 129th opening bracket is the one too many: column 129, or 641 for `{"a":` (5 bytes).
    for (file, column) in [("arrays.json", 129), ("objects.json", 641), ("closed.json", 129)] {
        let finding = only(&findings, file);
        assert_eq!(finding["code"], "CTE001", "{file}: {finding:#}");
        assert!(
            message(finding).contains("nesting deeper than 128 levels"),
            "{file}: {finding:#}"
        );
        assert_eq!(finding["location"]["row"], 1, "{file}");
        assert_eq!(finding["location"]["column"], column, "{file}");
    }
    // The library on a test thread's stack, every rule selected, and the fixer on top of it.
    let result = linter::lint_bytes(
        "deep.json",
        "[".repeat(100_000).as_bytes(),
        ParseOptions::JSONC,
        &all_rules(),
    );
    assert!(!result.parsed);
    assert_eq!(
        result.diagnostics.iter().map(|d| d.rule.code).collect::<Vec<_>>(),
        ["CTE001"]
    );
}

#[test]
fn a_200_mb_file_over_the_default_limit_is_cte000_without_being_read() {
    let dir = workspace(None);
    let big = dir.path().join("big.json");
    // Sparse: no disk space and no time to create.
    fs::File::create(&big).unwrap().set_len(200 * MIB).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "big.json"],
        Duration::from_secs(10),
        // Reading it would take 200 MiB at least.
        64 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let finding = only(&run.json(), "big.json").clone();
    assert_eq!(finding["code"], "CTE000");
    assert_eq!(
        message(&finding),
        "file is 209715200 bytes, over the size limit of 16777216 bytes (raise it with `--max-file-size`)"
    );
    assert!(
        run.elapsed < Duration::from_secs(5),
        "refusing a file took {:?}",
        run.elapsed
    );
}

/// With the limit raised, a 60 MiB file (the vendor sample followed by 60 MiB of blank lines,
/// the worst case for the line index) is linted, and memory stays within 10 times its size.
#[test]
fn a_60_mb_file_under_a_raised_limit_is_linted_in_proportional_memory() {
    let dir = workspace(None);
    let mut text = vendor_sample().into_bytes();
    text.resize(text.len() + 60 * MIB as usize, b'\n');
    let size = text.len() as u64;
    fs::write(dir.path().join("padded.json"), &text).unwrap();
    drop(text);
    let run = guarded(
        dir.path(),
        &[
            "check",
            "--max-file-size",
            "300MiB",
            "--output-format",
            "json",
            "padded.json",
        ],
        Duration::from_secs(60),
        // A cap well above the assertion below, so that the assertion reports the number.
        2048 * MIB,
    );
    // The vendor sample is clean: one info (`undeletable`), exit 0.
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(codes_of(&run.json(), "padded.json"), ["CTE602"]);
    assert!(
        run.peak_kib * 1024 < 10 * size,
        "peak RSS {} MiB for a {} MiB file (over 10 times its size)",
        run.peak_kib / 1024,
        size / MIB
    );
}

#[test]
fn a_10_mb_line_is_linted() {
    let dir = workspace(None);
    // A 10 MB string in a one-line key request.
    let long = minified_sample().replacen(
        "\"name\":",
        &format!("\"description\":\"{}\",\"name\":", "x".repeat(10_000_000)),
        1,
    );
    fs::write(dir.path().join("string.json"), &long).unwrap();
    // 10 MB of numbers in an array where the schema wants an object.
    let numbers: Vec<String> = (0..770_000u64).map(|i| (1_000_000_000_000 + i).to_string()).collect();
    let array = minified_sample().replace("Standard_pol_key", "Numbers_key").replacen(
        "\"name\":",
        &format!("\"labels\":[{}],\"name\":", numbers.join(",")),
        1,
    );
    assert!(array.len() > 10_000_000);
    fs::write(dir.path().join("numbers.json"), &array).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "."],
        Duration::from_secs(60),
        1024 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    assert_eq!(codes_of(&findings, "string.json"), ["CTE602"]);
    assert_eq!(codes_of(&findings, "numbers.json"), ["CTE102", "CTE602"]);
    let wrong_type = &findings
        .iter()
        .find(|d| d["filename"] == "numbers.json" && d["code"] == "CTE102")
        .unwrap();
    assert_eq!(message(wrong_type), "`labels` is an array, but it must be an object");
    assert_eq!(wrong_type["location"]["row"], 1);
    let column = array.find("\"labels\":[").unwrap() + "\"labels\":".len() + 1;
    assert_eq!(wrong_type["location"]["column"], column);
}

/// miette formats the label's offset as a width, and widths above 65,535 make `format!` panic:
/// a finding past column 65,535 of a line (any minified array of a hundred-odd keys) must still
/// be rendered.
#[test]
fn a_finding_past_column_65535_is_rendered() {
    let dir = workspace(None);
    let keys: Vec<String> = (0..130)
        .map(|i| {
            minified_sample()
                .replace("Standard_pol_key", &format!("key_{i}"))
                .replace("\"unexportable\":false", "\"unexportable\":true")
        })
        .collect();
    let text = format!("[{}]", keys.join(","));
    assert!(text.len() > 65_535 && !text.contains('\n'));
    fs::write(dir.path().join("minified.json"), &text).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--color", "never", "minified.json"],
        Duration::from_secs(60),
        1024 * MIB,
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout.matches("CTE203 unexportable-key").count(), 130);
}

/// The smallest form of the case above, kept as a file: `{"a":"x…x","size":1}` with 65,536 `x`,
/// so that the CTE202 label on `1` starts at byte 65,551 of the line (column 65,552). Any label
/// starting at byte 65,536 or later panics in miette 7.6.0
/// (`GraphicalReportHandler::render_single_line_highlights`, `src/handlers/graphical.rs:1159`,
/// "Formatting argument out of range": the offset is used as a `format!` width, and widths are
/// limited to `u16::MAX`); 65,520 `x` still render.
#[test]
fn regression_long_line_column_65536() {
    let dir = workspace(None);
    let text = fs::read(crate::support::root().join("fixtures/regressions/long-line-column-65536.json")).unwrap();
    fs::write(dir.path().join("long.json"), &text).unwrap();
    for format in ["full", "concise", "json"] {
        let run = guarded(
            dir.path(),
            &["check", "--color", "never", "--output-format", format, "long.json"],
            Duration::from_secs(30),
            512 * MIB,
        );
        assert!(!run.stderr.contains("panicked"), "{format}: {}", run.stderr);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("CTE202"), "{format}");
    }
}

/// The graphical report shows a code frame per finding; on a minified 10 MB line each frame
/// must show a window around the finding, not the whole line again for every finding.
#[test]
fn code_frames_on_a_10_mb_line_stay_small() {
    let dir = workspace(None);
    let long = minified_sample()
        .replace("\"unexportable\":false", "\"unexportable\":true")
        .replace("\"CBC_CS1\"", "\"cbc_cs1\"")
        .replacen(
            "\"name\":",
            &format!("\"description\":\"{}\",\"name\":", "x".repeat(10_000_000)),
            1,
        );
    fs::write(dir.path().join("long.json"), &long).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--color", "never", "long.json"],
        Duration::from_secs(60),
        1024 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("CTE203"), "{}", run.transcript());
    assert!(run.stdout.contains("CTE207"), "{}", run.transcript());
    assert!(
        run.stdout.len() < 1_000_000,
        "the report of 3 findings is {} bytes for a {} byte file",
        run.stdout.len(),
        long.len()
    );
}

#[test]
fn nul_bytes_raw_are_cte001_and_escaped_in_a_member_name_are_cte003() {
    let dir = workspace(None);
    fs::write(
        dir.path().join("raw.json"),
        b"{\n  \"name\": \"k\",\n  \"algorithm\": \"aes\"\x00\n}\n",
    )
    .unwrap();
    fs::write(dir.path().join("escaped.json"), sample_with(",\n  \"a\\u0000b\": 1")).unwrap();
    let run = ctelint(dir.path(), &["check", "--output-format", "json", "."], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    let raw = only(&findings, "raw.json");
    assert_eq!(raw["code"], "CTE001");
    assert_eq!(
        message(raw),
        "unexpected character U+0000 in an object (expected `,` or `}`) (read as strict JSON)"
    );
    assert_eq!(
        (raw["location"]["row"].as_u64(), raw["location"]["column"].as_u64()),
        (Some(3), Some(21))
    );
    let suspicious: Vec<&Value> = findings
        .iter()
        .filter(|d| d["filename"] == "escaped.json" && d["code"] == "CTE003")
        .collect();
    assert_eq!(suspicious.len(), 1, "{findings:#?}");
    assert_eq!(
        message(suspicious[0]),
        "member name contains the invisible character U+0000 (NUL)"
    );
    assert_eq!(suspicious[0]["pointer"], "/a\u{0}b");
}

/// Member names decoded from escapes hold characters a terminal acts on: a NUL, an ANSI colour
/// sequence, DEL and C1 controls, a right-to-left override that shows the rest of the line
/// reversed. Messages, help and fix descriptions quote such names with those characters escaped
/// as in JSON, and no output format prints them raw.
#[test]
fn control_and_bidirectional_characters_in_messages_are_escaped() {
    let dir = workspace(None);
    fs::write(
        dir.path().join("names.json"),
        sample_with(concat!(
            ",\n  \"a\\u0000b\": 1,\n  \"\\u001b[31mred\": 2,\n  \"x\\u202ey\": 3,",
            "\n  \"del\\u007f\\u009b\\u2066\": 4,\n  \"descriptio\\u202e\": \"d\""
        )),
    )
    .unwrap();
    let mut outputs = Vec::new();
    for format in ["full", "concise", "json"] {
        let run = ctelint(
            dir.path(),
            &["check", "--color", "never", "--output-format", format, "names.json"],
            None,
        );
        // Warnings only (CTE003, CTE101) and the sample's info: exit 0.
        assert_eq!(run.code, 0, "{format}: {}", run.transcript());
        let stdout = String::from_utf8(run.raw_stdout.clone()).unwrap();
        let shown = shown_raw(&stdout);
        assert!(shown.is_empty(), "{format} prints {shown:?} raw:\n{}", run.transcript());
        outputs.push(run);
    }
    let full = &outputs[0];
    assert!(
        full.stdout
            .contains("`\\u001b[31mred` is not a member of a keys2 create request"),
        "{}",
        full.stdout
    );
    assert!(
        full.stdout.contains("rename `descriptio\\u202e` to `description`"),
        "{}",
        full.stdout
    );
    let concise = &outputs[1];
    for name in ["a\\u0000b", "\\u001b[31mred", "x\\u202ey", "del\\u007f\\u009b\\u2066"] {
        assert!(
            concise
                .stdout
                .contains(&format!(" CTE101 `{name}` is not a member of a keys2 create request")),
            "{name}: {}",
            concise.stdout
        );
    }
    let json = &outputs[2];
    let findings = json.json();
    let unknown: Vec<&Value> = findings.iter().filter(|d| d["code"] == "CTE101").collect();
    assert_eq!(
        message(unknown[0]),
        "`a\\u0000b` is not a member of a keys2 create request: the server ignores it"
    );
    assert_eq!(
        unknown[4]["fix"]["message"],
        "rename `descriptio\\u202e` to `description`"
    );
    // Pointers are data: the same decoded names, written with JSON escapes.
    assert_eq!(unknown[2]["pointer"], "/x\u{202e}y");
    assert!(json.stdout.contains("\"pointer\": \"/x\\u202ey\""), "{}", json.stdout);
}

/// The characters of `text` a terminal must not get raw (line breaks aside): C0 and C1
/// controls, DEL, bidirectional embeddings, overrides and isolates.
fn shown_raw(text: &str) -> Vec<String> {
    let raw = |c: char| {
        c < ' ' && c != '\n'
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    text.chars()
        .filter(|&c| raw(c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

/// A file may also hold such characters raw: inside strings, where a right-to-left override,
/// DEL or a C1 control is valid JSON, or anywhere in a file that is not JSON, such as a
/// terminal escape sequence. Code frames show the file's own lines; each such character is
/// shown as a stand-in of the same length in bytes, so the frames stay where they were.
#[test]
fn control_and_bidirectional_characters_raw_in_a_file_are_not_framed_raw() {
    let dir = workspace(None);
    fs::write(
        dir.path().join("raw.json"),
        sample_with(",\n  \"x\u{202e}y\": \"del\u{7f} csi\u{9b}\""),
    )
    .unwrap();
    fs::write(dir.path().join("broken.json"), "{\"name\": \"a\u{1b}[2J\"}\n").unwrap();
    let run = ctelint(
        dir.path(),
        &[
            "check",
            "--color",
            "never",
            "--select",
            "ALL",
            "raw.json",
            "broken.json",
        ],
        None,
    );
    // broken.json is CTE001, an error.
    assert_eq!(run.code, 1, "{}", run.transcript());
    let stdout = String::from_utf8(run.raw_stdout.clone()).unwrap();
    let shown = shown_raw(&stdout);
    assert!(shown.is_empty(), "prints {shown:?} raw:\n{}", run.transcript());
    assert!(stdout.contains("│ {\"name\": \"a?[2J\"}"), "{stdout}");
    assert!(stdout.contains("│   \"x\u{fffd}y\": \"del? csi\u{bf}\""), "{stdout}");
    // The messages still name the characters themselves, escaped.
    assert!(stdout.contains("`x\\u202ey` is not a member"), "{stdout}");
}

/// A raw U+202E is valid inside a JSON string; a secret holding one is still masked in messages,
/// which show the character escaped.
#[test]
fn a_secret_holding_a_bidirectional_override_is_still_redacted() {
    let dir = workspace(None);
    let secret = "hunter2\u{202e}-x";
    let body = vendor_sample()
        .replace("\"algorithm\": \"aes\"", &format!("\"algorithm\": \"{secret}\""))
        .replace(
            "\"xts\": false",
            &format!("\"xts\": false,\n  \"wrapPBE\": {{\"password\": \"{secret}\"}}"),
        );
    fs::write(dir.path().join("key.json"), &body).unwrap();
    for format in ["concise", "json"] {
        let run = ctelint(dir.path(), &["check", "--output-format", format, "key.json"], None);
        assert_eq!(run.code, 1, "{format}: {}", run.transcript());
        assert!(!run.stdout.contains("hunter2"), "{format}: {}", run.transcript());
        assert!(
            run.stdout.contains("`algorithm` is `<redacted>`: CTE keys must be AES"),
            "{format}: {}",
            run.transcript()
        );
    }
}

#[test]
fn invalid_utf8_is_cte001_at_the_first_bad_byte() {
    let dir = workspace(None);
    // A truncated three-byte sequence after a two-byte character: the column counts characters.
    let prefix = "  \"description\": \"naïve ";
    let mut text = b"{\n  \"name\": \"k\",\n".to_vec();
    text.extend_from_slice(prefix.as_bytes());
    text.extend_from_slice(b"\xe2\x82 x\"\n}\n");
    fs::write(dir.path().join("truncated.json"), &text).unwrap();
    // A PNG renamed to .json.
    fs::write(dir.path().join("image.json"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let run = ctelint(dir.path(), &["check", "--output-format", "json", "."], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    let truncated = only(&findings, "truncated.json");
    assert_eq!(truncated["code"], "CTE001");
    assert_eq!(
        message(truncated),
        "invalid UTF-8: byte sequence 0xE2 0x82 is not valid (read as strict JSON)"
    );
    assert_eq!(truncated["location"]["row"], 3);
    assert_eq!(truncated["location"]["column"], prefix.chars().count() + 1);
    assert_eq!(truncated["location"]["column"], 25);
    let image = only(&findings, "image.json");
    assert_eq!(image["code"], "CTE001");
    assert!(
        message(image).starts_with("invalid UTF-8: byte sequence 0x89"),
        "{image:#}"
    );
    assert_eq!(
        (image["location"]["row"].as_u64(), image["location"]["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn lone_surrogates_are_cte003_not_a_crash() {
    let dir = workspace(None);
    let text =
        sample_with(",\n  \"x\\udc00\": 1,\n  \"\\ud800\\u0041\": 2").replace("\"Standard_pol_key\"", "\"\\ud800\"");
    fs::write(dir.path().join("surrogates.json"), &text).unwrap();
    let run = ctelint(
        dir.path(),
        &["check", "--output-format", "json", "surrogates.json"],
        None,
    );
    // Warnings only (CTE003, CTE101): exit 0.
    assert_eq!(run.code, 0, "{}", run.transcript());
    let findings = run.json();
    let messages: Vec<&str> = findings.iter().filter(|d| d["code"] == "CTE003").map(message).collect();
    assert_eq!(
        messages,
        [
            "key name contains a lone surrogate escape (decoded as U+FFFD)",
            "member name contains a lone surrogate escape (decoded as U+FFFD)",
            "member name contains a lone surrogate escape (decoded as U+FFFD)",
        ],
        "{findings:#?}"
    );
    // The fixer (every fix allowed) leaves the escapes as they are and still parses.
    let fixed = crate::support::fix_everything("surrogates.json", &text, ParseOptions::STRICT, &all_rules());
    assert!(
        fixed.contains("\\ud800\\u0041") && fixed.contains("x\\udc00"),
        "{fixed}"
    );
}

/// `size` as an infinite or a 400-digit number: no panic, CTE202 quoting the number as written,
/// and nothing self-contradictory.
#[test]
fn absurd_numbers_as_size_are_cte202() {
    let dir = workspace(None);
    let digits = "9".repeat(400);
    let cases = [
        ("huge.json", "1e999999"),
        ("tiny.json", "-1e999999"),
        ("digits.json", digits.as_str()),
    ];
    for (file, size) in cases {
        fs::write(
            dir.path().join(file),
            vendor_sample().replace("\"size\": 256", &format!("\"size\": {size}")),
        )
        .unwrap();
    }
    let run = ctelint(dir.path(), &["check", "--output-format", "json", "."], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    for (file, size) in cases {
        let about_size: Vec<&Value> = findings
            .iter()
            .filter(|d| d["filename"] == file && d["pointer"] == "/size")
            .collect();
        let key_size = about_size
            .iter()
            .find(|d| d["code"] == "CTE202")
            .unwrap_or_else(|| panic!("{file}: no CTE202: {about_size:#?}"));
        assert_eq!(
            message(key_size),
            format!("`size` is {size}: CTE keys must be AES-128 or AES-256"),
            "{file}"
        );
        for finding in &about_size {
            assert!(
                finding["code"] == "CTE202" || finding["code"] == "CTE102" || finding["code"] == "CTE103",
                "{file}: {finding:#}"
            );
            // A 400-digit integer is an integer: "`size` is an integer, but it must be an
            // integer" says nothing true.
            assert!(
                !message(finding).contains("is an integer, but it must be an integer"),
                "{file}: {}",
                message(finding)
            );
        }
    }
}

#[test]
fn an_object_with_100000_members_is_linted_fast() {
    let dir = workspace(None);
    let labels: Vec<String> = (0..100_000).map(|i| format!("\"team-{i}\": \"v{i}\"")).collect();
    fs::write(
        dir.path().join("labels.json"),
        sample_with(&format!(",\n  \"labels\": {{{}}}", labels.join(", "))),
    )
    .unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "labels.json"],
        Duration::from_secs(20),
        1024 * MIB,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(codes_of(&run.json(), "labels.json"), ["CTE602"]);
}

/// 40,000 key requests in one top-level array, every rule selected: each request's schema
/// findings are computed once and found again by the request's index, not by searching those of
/// every request before it (which took 52 s for this file in a debug build, 5 s in release).
#[test]
fn an_array_of_40000_requests_is_linted_in_linear_time() {
    let dir = workspace(None);
    let requests: Vec<String> = (0..40_000)
        .map(|i| {
            format!(
                concat!(
                    r#"{{"name":"key_{}","algorithm":"aes","size":256,"unexportable":false,"undeletable":false,"#,
                    r#""xts":false,"meta":{{"ownerId":"local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c","#,
                    r#""permissions":{{"ReadKey":["CTE Clients"],"ExportKey":["CTE Clients"]}},"#,
                    r#""cte":{{"persistent_on_client":true,"encryption_mode":"CBC_CS1","cte_versioned":false}}}}}}"#
                ),
                i
            )
        })
        .collect();
    fs::write(
        dir.path().join("keys.json"),
        format!("[\n{}\n]\n", requests.join(",\n")),
    )
    .unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--select", "ALL", "--output-format", "json", "keys.json"],
        Duration::from_secs(20),
        1024 * MIB,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(codes_of(&run.json(), "keys.json"), Vec::<String>::new());
}

/// 100,000 members unknown to the schema: one CTE101 each, in memory proportional to the file
/// (2.6 MB here).
#[test]
fn an_object_with_100000_unknown_members_gets_100000_findings_in_bounded_memory() {
    let dir = workspace(None);
    let members: Vec<String> = (0..100_000).map(|i| format!("\"m{i:06}\": {i}")).collect();
    fs::write(
        dir.path().join("unknown.json"),
        sample_with(&format!(",\n  {}", members.join(",\n  "))),
    )
    .unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "concise", "unknown.json"],
        Duration::from_secs(30),
        1024 * MIB,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let unknown = run.stdout.lines().filter(|l| l.contains(" CTE101 ")).count();
    assert_eq!(unknown, 100_000, "{}", run.transcript());
}

/// 100,000 definitions of the same member, on one minified line: 100,000 CTE002 (the vendor
/// sample has the first), each pointing at its own definition.
#[test]
fn a_member_defined_100000_times_is_100000_duplicates() {
    let dir = workspace(None);
    let minified = minified_sample();
    let text = minified.replacen(
        "\"undeletable\":true",
        &vec!["\"undeletable\":true"; 100_001].join(","),
        1,
    );
    fs::write(dir.path().join("dups.json"), &text).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "concise", "dups.json"],
        Duration::from_secs(30),
        1024 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains(" CTE002 ")).collect();
    assert_eq!(lines.len(), 100_000, "{}", run.transcript());
    let first = minified.find("\"undeletable\"").unwrap();
    // The second definition is the first duplicate: 19 bytes (`"undeletable":true,`) later.
    assert!(
        lines[0].starts_with(&format!(
            "dups.json:1:{}: CTE002 member `undeletable` is defined more than once",
            first + 20
        )),
        "{}",
        lines[0]
    );
}

/// 80,000 findings on one line behind a long string (a minified file): every finding's columns
/// are counted from a checkpoint near it, not from the line start, so the report takes time in
/// proportion to the file (counting from the line start took 42 s in a debug build, 39 s in
/// release).
#[test]
fn columns_of_80000_findings_on_one_long_line_are_counted_in_linear_time() {
    /// What this test reads of a finding: the report is 77 MB, which takes seconds longer to
    /// read into `Value`s in a debug build.
    #[derive(serde::Deserialize)]
    struct Finding {
        code: String,
        location: At,
        end_location: At,
        related: Vec<Related>,
    }
    #[derive(serde::Deserialize)]
    struct At {
        row: usize,
        column: usize,
    }
    #[derive(serde::Deserialize)]
    struct Related {
        location: At,
    }

    let dir = workspace(None);
    // Two-byte characters, so that the columns (in characters) are not the byte offsets.
    let text = minified_sample().replacen(
        "\"name\":",
        &format!(
            "\"description\":\"{}\",{},\"name\":",
            "é".repeat(1_000_000),
            vec!["\"a\":1"; 80_000].join(",")
        ),
        1,
    );
    fs::write(dir.path().join("dups.json"), &text).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "dups.json"],
        Duration::from_secs(20),
        1024 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings: Vec<Finding> = serde_json::from_str(&run.stdout).unwrap();
    let duplicates: Vec<&Finding> = findings.iter().filter(|d| d.code == "CTE002").collect();
    assert_eq!(duplicates.len(), 79_999);
    assert!(findings.iter().all(|d| d.location.row == 1 && d.end_location.row == 1));
    let column = |offset: usize| text[..offset].chars().count() + 1;
    let first = text.find("\"a\":1").unwrap();
    let last = text.rfind("\"a\":1").unwrap();
    assert_eq!(duplicates[0].related[0].location.column, column(first));
    assert_eq!(duplicates[0].location.column, column(first + "\"a\":1,".len()));
    assert_eq!(duplicates[79_998].location.column, column(last));
    assert_eq!(duplicates[79_998].end_location.column, column(last + "\"a\"".len()));
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_cte000_and_the_run_goes_on() {
    use std::os::unix::fs::symlink;
    let dir = workspace(None);
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    fs::write(dir.path().join("bad.json"), &bad).unwrap();
    fs::create_dir(dir.path().join("nested")).unwrap();
    symlink("..", dir.path().join("nested/up")).unwrap();
    symlink("self.json", dir.path().join("self.json")).unwrap();
    symlink("ping.json", dir.path().join("pong.json")).unwrap();
    symlink("pong.json", dir.path().join("ping.json")).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "."],
        Duration::from_secs(20),
        512 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    assert!(
        codes_of(&findings, "bad.json").contains(&"CTE203".to_owned()),
        "{findings:#?}"
    );
    let up = only(&findings, "nested/up");
    assert_eq!(up["code"], "CTE000");
    assert_eq!(message(up), "symbolic link loop: it leads back to `.`");
    // A link that resolves to itself is a loop, not a missing target, whether walked or named.
    for file in ["self.json", "ping.json", "pong.json"] {
        let finding = only(&findings, file);
        assert_eq!(finding["code"], "CTE000", "{file}");
        assert!(
            message(finding).contains("loop") || message(finding).contains("too many levels of symbolic links"),
            "{file}: {}",
            message(finding)
        );
    }
    let named = ctelint(dir.path(), &["check", "--output-format", "json", "self.json"], None);
    assert_eq!(named.code, 1, "{}", named.transcript());
    let finding = named.json()[0].clone();
    assert_eq!(finding["code"], "CTE000");
    assert!(
        message(&finding).contains("symbolic link loop"),
        "{}",
        message(&finding)
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_json_is_cte000_and_does_not_block() {
    let dir = workspace(None);
    let made = Command::new("mkfifo").arg(dir.path().join("x.json")).status().unwrap();
    assert!(made.success());
    fs::write(dir.path().join("key.json"), vendor_sample()).unwrap();
    for args in [
        &["check", "--output-format", "json", "."][..],
        &["check", "--output-format", "json", "x.json"][..],
    ] {
        let run = guarded(dir.path(), args, Duration::from_secs(10), 512 * MIB);
        assert_eq!(run.code, 1, "{}", run.transcript());
        let fifo = only(&run.json(), "x.json").clone();
        assert_eq!(fifo["code"], "CTE000");
        assert_eq!(
            message(&fifo),
            "not a regular file (a directory, FIFO, socket or device)"
        );
    }
}

#[cfg(unix)]
#[test]
fn unreadable_entries_are_cte000_and_the_run_goes_on() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = workspace(None);
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    let locked = dir.path().join("locked.json");
    fs::write(&locked, &bad).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root (CI containers) reads a mode-000 file anyway; then it must simply be linted.
    let root_reads_anything = fs::read(&locked).is_ok();
    // A directory named like a key file is walked as the directory it is.
    fs::create_dir(dir.path().join("keys.json")).unwrap();
    fs::write(
        dir.path().join("keys.json/inner.json"),
        bad.replace("Standard_pol_key", "Inner_key"),
    )
    .unwrap();
    // A broken link is unreadable for root too.
    symlink("missing.json", dir.path().join("broken.json")).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--output-format", "json", "."],
        Duration::from_secs(20),
        512 * MIB,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    if root_reads_anything {
        assert!(
            codes_of(&findings, "locked.json").contains(&"CTE203".to_owned()),
            "{findings:#?}"
        );
    } else {
        let finding = only(&findings, "locked.json");
        assert_eq!(finding["code"], "CTE000");
        assert_eq!(message(finding), "cannot read the file: permission denied");
    }
    assert!(
        codes_of(&findings, "keys.json/inner.json").contains(&"CTE203".to_owned()),
        "{findings:#?}"
    );
    assert!(!findings.iter().any(|d| d["filename"] == "keys.json"), "{findings:#?}");
    let broken = only(&findings, "broken.json");
    assert_eq!(broken["code"], "CTE000");
    assert_eq!(message(broken), "broken symbolic link: its target does not exist");
    // Reading the directory itself, as a caller of the library might.
    assert_eq!(
        ctelint::walk::read_limited(&dir.path().join("keys.json"), 16 * MIB),
        Err(ctelint::walk::ReadError(
            "not a regular file (a directory, FIFO, socket or device)".to_owned()
        ))
    );
}

/// A file is read as long as its size says; one whose size the system does not know (`/proc`
/// gives 0) is read to its end, and still within the limit.
#[cfg(target_os = "linux")]
#[test]
fn files_of_unknown_size_are_read_to_their_end_within_the_limit() {
    let status = Path::new("/proc/self/status");
    assert_eq!(fs::metadata(status).unwrap().len(), 0);
    let bytes = ctelint::walk::read_limited(status, 16 * MIB).unwrap();
    assert!(bytes.starts_with(b"Name:") && bytes.len() > 100, "{bytes:?}");
    assert_eq!(
        ctelint::walk::read_limited(status, 10),
        Err(ctelint::walk::ReadError(
            "file grew past the size limit of 10 bytes while being read".to_owned()
        ))
    );
    let dir = workspace(None);
    let sized = dir.path().join("key.json");
    fs::write(&sized, vendor_sample()).unwrap();
    assert_eq!(
        ctelint::walk::read_limited(&sized, 16 * MIB).unwrap(),
        vendor_sample().as_bytes()
    );
}

#[cfg(unix)]
#[test]
fn files_that_vanish_are_cte000() {
    use std::os::unix::fs::symlink;
    let dir = workspace(None);
    // Deleted between the walk and the read (the library's side of the race).
    let vanished = dir.path().join("vanished.json");
    fs::write(&vanished, vendor_sample()).unwrap();
    fs::remove_file(&vanished).unwrap();
    assert_eq!(
        ctelint::walk::read_limited(&vanished, 16 * MIB),
        Err(ctelint::walk::ReadError(
            "the file disappeared before it could be read".to_owned()
        ))
    );
    // A link whose target was deleted after the link was made.
    let target = dir.path().join("target.json");
    fs::write(&target, vendor_sample()).unwrap();
    symlink(&target, dir.path().join("link.json")).unwrap();
    fs::remove_file(&target).unwrap();
    assert_eq!(
        ctelint::walk::read_limited(&dir.path().join("link.json"), 16 * MIB),
        Err(ctelint::walk::ReadError(
            "broken symbolic link: its target does not exist".to_owned()
        ))
    );
    for args in [
        &["check", "--output-format", "json", "."][..],
        &["check", "--output-format", "json", "link.json"][..],
    ] {
        let run = ctelint(dir.path(), args, None);
        assert_eq!(run.code, 1, "{}", run.transcript());
        let findings = run.json();
        let finding = only(&findings, "link.json");
        assert_eq!(finding["code"], "CTE000");
        assert_eq!(message(finding), "broken symbolic link: its target does not exist");
    }
}

#[test]
fn stdin_over_the_limit_is_cte000() {
    let dir = workspace(None);
    let body = sample_with(&format!(",\n  \"description\": \"{}\"", "x".repeat(4096)));
    let run = ctelint(
        dir.path(),
        &[
            "check",
            "--max-file-size",
            "1K",
            "--output-format",
            "json",
            "--stdin-filename",
            "keys/a.json",
            "-",
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    let finding = only(&findings, "keys/a.json");
    assert_eq!(finding["code"], "CTE000");
    assert_eq!(
        message(finding),
        "stdin is over the size limit of 1000 bytes (raise it with `--max-file-size`)"
    );
}

/// Found by the `fix` fuzz target (minimised): with a member defined twice, the schema's `enum`
/// error about the first definition (`""`) is reported at the second (`"tdes"`, which is
/// allowed) with a safe fix replacing `tdes` by `tdes`; the fixer sees the text unchanged, calls
/// it a cycle, and `--fix` exits 2.
#[test]
fn regression_fuzz_fix_1_duplicate_member_fix_cycle() {
    let dir = workspace(None);
    let text = fs::read_to_string(crate::support::root().join("fixtures/regressions/fuzz-fix-1.json")).unwrap();
    fs::write(dir.path().join("dup.json"), &text).unwrap();
    let run = ctelint(dir.path(), &["check", "--output-format", "json", "dup.json"], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    for finding in run.json() {
        assert!(
            !(finding["code"] == "CTE103"
                && message(&finding).contains("`tdes`, which is not one of the allowed values")),
            "`tdes` is an allowed algorithm: {finding:#}"
        );
    }
    let fixed = ctelint(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--output-format",
            "json",
            "dup.json",
        ],
        None,
    );
    assert!(!fixed.stderr.contains("fix cycle"), "{}", fixed.transcript());
    assert_eq!(fixed.code, 1, "{}", fixed.transcript());
    let result = crate::support::fix_everything("dup.json", &text, ParseOptions::STRICT, &all_rules());
    assert!(ctelint::json::parse(&result, ParseOptions::STRICT).is_ok(), "{result}");
}

/// Found by fuzzing: one-letter secrets that occur in the placeholder itself (`e`, `d`, `a`…)
/// made each secret's replacement rewrite the previous ones' placeholders, and an 11 KB file
/// produced a 61 MB report. Every occurrence is now replaced once, in one pass.
#[test]
fn secrets_that_occur_in_the_placeholder_are_replaced_once() {
    let dir = workspace(None);
    let secrets: Vec<String> = ["r", "e", "d", "a", "c", "t"]
        .iter()
        .enumerate()
        .map(|(i, s)| format!("\"p{i}password\": \"{s}\""))
        .collect();
    let body = vendor_sample().replacen('{', &format!("{{\n  {},", secrets.join(",\n  ")), 1);
    fs::write(dir.path().join("key.json"), &body).unwrap();
    let run = guarded(
        dir.path(),
        &["check", "--select", "ALL", "--output-format", "json", "key.json"],
        Duration::from_secs(20),
        200 * MIB,
    );
    assert!(matches!(run.code, 0 | 1), "{}", run.transcript());
    let findings = run.json();
    assert!(!findings.is_empty());
    for finding in &findings {
        let message = message(finding);
        // At most one placeholder per character of the message as written.
        assert!(
            message.len() < 200 * ctelint::redact::PLACEHOLDER.len(),
            "{} bytes: {message}",
            message.len()
        );
        assert!(!message.contains("<r<"), "a placeholder was rewritten: {message}");
    }
}
