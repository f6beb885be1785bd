//! End-to-end tests of the binary: exit codes, output formats, stdin, file selection, profiles
//! and hostile inputs, as a user sees them.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// What a run printed and how it ended.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// stdout as bytes, for output that need not be UTF-8.
    pub(crate) raw_stdout: Vec<u8>,
}

impl Run {
    /// Exit code, stdout and stderr, as a snapshot shows them.
    pub(crate) fn transcript(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// The findings of a `--output-format json` run.
    pub(crate) fn json(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }

    /// The codes of a `--output-format json` run.
    pub(crate) fn codes(&self) -> Vec<String> {
        self.json()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    }
}

pub(crate) fn ctelint(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ctelint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        raw_stdout: output.stdout,
    }
}

/// A temporary folder with copies of `fixtures/cli/<name>` (or empty).
pub(crate) fn workspace(fixture: Option<&str>) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(name) = fixture {
        copy_dir(&crate::support::root().join("fixtures/cli").join(name), dir.path());
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub(crate) fn vendor_sample() -> String {
    fs::read_to_string(crate::support::root().join("fixtures/cli/demo/vendor-sample.json")).unwrap()
}

#[test]
fn demo_folder_full_output() {
    let dir = workspace(Some("demo"));
    let run = ctelint(dir.path(), &["check", "."], None);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn vendor_sample_is_clean_under_the_default_profile() {
    let dir = workspace(None);
    fs::write(dir.path().join("key.json"), vendor_sample()).unwrap();
    let run = ctelint(dir.path(), &["check", "--output-format", "json", "key.json"], None);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let severities: Vec<String> = run
        .json()
        .iter()
        .map(|d| d["severity"].as_str().unwrap().to_owned())
        .collect();
    assert!(severities.iter().all(|s| s == "info"), "{}", run.transcript());
}

/// Each single violation of a vendor-page requirement gives its code, with the primary span on
/// the offending token and the row and column matching the file.
#[test]
fn each_vendor_requirement_violation_points_at_the_offending_token() {
    let sample = vendor_sample();
    let cases: [(&str, &str, &str, &str); 8] = [
        ("\"unexportable\": false", "\"unexportable\": true", "CTE203", "true"),
        ("\"algorithm\": \"aes\"", "\"algorithm\": \"rsa\"", "CTE201", "\"rsa\""),
        ("\"size\": 256", "\"size\": 192", "CTE202", "192"),
        (
            "\"encryption_mode\": \"CBC_CS1\"",
            "\"encryption_mode\": \"CBC\"",
            "CTE302",
            "\"CBC\"",
        ),
        ("\"cte_versioned\": false", "\"cte_versioned\": true", "CTE301", "true"),
        (
            "\"ReadKey\": [\n        \"CTE Clients\"",
            "\"ReadKey\": [\n        \"Key Admins\"",
            "CTE402",
            "[\n        \"Key Admins\"\n      ]",
        ),
        (
            "\"ExportKey\": [\n        \"CTE Clients\"\n      ]",
            "\"ExportKey\": []",
            "CTE403",
            "[]",
        ),
        (
            "\"encryption_mode\": \"CBC_CS1\"",
            "\"encryption_mode\": \"cbc_cs1\"",
            "CTE207",
            "\"cbc_cs1\"",
        ),
    ];
    let dir = workspace(None);
    for (from, to, code, token) in cases {
        assert_eq!(sample.matches(from).count(), 1, "{from}");
        let text = sample.replace(from, to);
        fs::write(dir.path().join("key.json"), &text).unwrap();
        let run = ctelint(dir.path(), &["check", "--output-format", "json", "key.json"], None);
        assert_eq!(run.code, 1, "{code}: {}", run.transcript());
        let findings: Vec<serde_json::Value> = run.json().into_iter().filter(|d| d["severity"] != "info").collect();
        assert_eq!(findings.len(), 1, "{code}: {findings:#?}");
        let finding = &findings[0];
        assert_eq!(finding["code"], code);
        let offset = usize::try_from(finding["span"]["offset"].as_u64().unwrap()).unwrap();
        let length = usize::try_from(finding["span"]["length"].as_u64().unwrap()).unwrap();
        assert_eq!(&text[offset..offset + length], token, "{code}");
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(finding["location"]["row"], line, "{code}");
        assert_eq!(finding["location"]["column"], column, "{code}");
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = workspace(Some("demo"));
    let run = ctelint(dir.path(), &["--output-format", "json", "payroll-key.json"], None);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn concise_output() {
    let dir = workspace(Some("demo"));
    let run = ctelint(dir.path(), &["check", "--output-format", "concise", "."], None);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_folder_with_package_json_a_good_and_a_bad_key_reports_one_finding() {
    let dir = workspace(None);
    fs::write(
        dir.path().join("package.json"),
        "{\"name\": \"scripts\", \"version\": \"1.0.0\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("tsconfig.json"),
        "{\n  // comments are fine here\n  \"compilerOptions\": {},\n}\n",
    )
    .unwrap();
    fs::write(dir.path().join("good.json"), vendor_sample()).unwrap();
    fs::write(
        dir.path().join("bad.json"),
        vendor_sample()
            .replace("\"unexportable\": false", "\"unexportable\": true")
            .replace("Standard_pol_key", "Other_key"),
    )
    .unwrap();
    let run = ctelint(dir.path(), &["check", "--output-format", "json", "-v"], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let errors: Vec<String> = run
        .json()
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(errors, ["CTE203"]);
    assert!(
        run.stderr.contains("skipped package.json") && run.stderr.contains("skipped tsconfig.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn exit_codes() {
    let dir = workspace(Some("demo"));
    let clean = ctelint(dir.path(), &["vendor-sample.json"], None);
    assert_eq!(clean.code, 0, "{}", clean.transcript());
    assert_eq!(ctelint(dir.path(), &["payroll-key.json"], None).code, 1);
    assert_eq!(ctelint(dir.path(), &["--exit-zero", "payroll-key.json"], None).code, 0);
    let missing = ctelint(dir.path(), &["no-such-file.json"], None);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("does not exist"), "{}", missing.stderr);
    let unknown = ctelint(dir.path(), &["--select", "CTE999", "."], None);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown rule selector `CTE999`"),
        "{}",
        unknown.stderr
    );
    assert_eq!(
        ctelint(dir.path(), &["--exit-zero", "--ignore", "not-a-rule", "."], None).code,
        2
    );
    assert_eq!(ctelint(dir.path(), &["--bogus-flag"], None).code, 2);
    // Warnings do not fail a run.
    fs::write(
        dir.path().join("warn.json"),
        vendor_sample().replace("\"local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c\"", "\"admin\""),
    )
    .unwrap();
    let warned = ctelint(dir.path(), &["--output-format", "concise", "warn.json"], None);
    assert_eq!(warned.code, 0, "{}", warned.transcript());
    assert!(warned.stdout.contains("CTE502"), "{}", warned.stdout);
}

#[test]
fn quiet_and_silent() {
    let dir = workspace(Some("demo"));
    let quiet = ctelint(dir.path(), &["-q", "--output-format", "concise", "."], None);
    assert_eq!(quiet.code, 1);
    assert!(!quiet.stdout.contains("Found"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("CTE203"));
    let silent = ctelint(dir.path(), &["-s", "."], None);
    assert_eq!(
        (silent.code, silent.stdout.as_str(), silent.stderr.as_str()),
        (1, "", "")
    );
}

#[test]
fn selection_by_code_name_prefix_and_all() {
    let dir = workspace(Some("demo"));
    let codes = |args: &[&str]| {
        let mut all = vec!["--output-format", "json"];
        all.extend_from_slice(args);
        all.push("payroll-key.json");
        ctelint(dir.path(), &all, None).codes()
    };
    assert_eq!(codes(&[]), ["CTE602", "CTE203", "CTE207"]);
    assert_eq!(codes(&["--select", "CTE2"]), ["CTE203", "CTE207"]);
    assert_eq!(codes(&["--select", "unexportable-key"]), ["CTE203"]);
    assert_eq!(codes(&["--ignore", "CTE203,undeletable-key"]), ["CTE207"]);
    assert_eq!(
        codes(&["--select", "CTE203", "--extend-select", "invalid-encryption-mode"]),
        ["CTE203", "CTE207"]
    );
    let all = codes(&["--select", "ALL"]);
    assert!(
        all.contains(&"CTE409".to_owned()),
        "ALL includes rules that are off by default: {all:?}"
    );
    assert!(codes(&["--extend-select", "CTE409"]).contains(&"CTE409".to_owned()));
}

#[test]
fn stdin_with_a_file_name() {
    let dir = workspace(None);
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    let run = ctelint(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--stdin-filename",
            "keys/a.json",
            "-",
        ],
        Some(bad.as_bytes()),
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript());
    let jsonc = ctelint(
        dir.path(),
        &["--stdin-filename", "keys/a.jsonc", "-"],
        Some(b"{\"algorithm\": \"aes\", // c\n}"),
    );
    assert!(
        !jsonc.stdout.contains("CTE001"),
        "a .jsonc name selects the JSONC dialect: {}",
        jsonc.stdout
    );
}

#[test]
fn walking_honours_ignore_files_outside_git_and_reads_hidden_folders() {
    let dir = workspace(None);
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    for path in [
        "keys/a.json",
        "generated/b.json",
        "keys/skip.json",
        ".vscode/c.json",
        ".git/d.json",
        "excluded/e.json",
        "notes.txt",
    ] {
        let file = dir.path().join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, &bad).unwrap();
    }
    fs::write(dir.path().join(".gitignore"), "generated/\n").unwrap();
    fs::write(dir.path().join("keys/.ignore"), "skip.json\n").unwrap();
    fs::create_dir_all(dir.path().join(".git/info")).unwrap();
    fs::write(dir.path().join(".git/info/exclude"), "excluded/\n").unwrap();
    let run = ctelint(
        dir.path(),
        &["--output-format", "concise", "-q", "--select", "CTE203"],
        None,
    );
    let files: Vec<&str> = run.stdout.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(files, [".vscode/c.json", "keys/a.json"], "{}", run.transcript());
    // Named explicitly, an ignored file is linted, unless --force-exclude.
    let named = ctelint(
        dir.path(),
        &["--output-format", "concise", "-q", "generated/b.json"],
        None,
    );
    assert!(named.stdout.contains("generated/b.json"), "{}", named.transcript());
    let forced = ctelint(
        dir.path(),
        &[
            "--output-format",
            "concise",
            "-q",
            "--force-exclude",
            "generated/b.json",
            "keys/skip.json",
        ],
        None,
    );
    assert_eq!(
        (forced.code, forced.stdout.as_str()),
        (0, ""),
        "{}",
        forced.transcript()
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_run_goes_on() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = workspace(None);
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    fs::write(dir.path().join("bad.json"), &bad).unwrap();
    symlink(dir.path().join("gone.json"), dir.path().join("broken.json")).unwrap();
    fs::create_dir(dir.path().join("loop")).unwrap();
    symlink(dir.path().join("loop"), dir.path().join("loop/again")).unwrap();
    fs::write(dir.path().join("big.json"), format!("[{}]", "0,".repeat(600) + "0")).unwrap();
    let locked = dir.path().join("locked.json");
    fs::write(&locked, &bad).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let root_reads_anything = fs::read(&locked).is_ok();
    let run = ctelint(
        dir.path(),
        &["--output-format", "concise", "-q", "--max-file-size", "1K"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with("bad.json:") && l.contains("CTE203")),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("broken.json:") && l.contains("CTE000") && l.contains("broken symbolic link")),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("big.json:") && l.contains("CTE000") && l.contains("size limit")),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("CTE000") && l.contains("symbolic link loop")),
        "{}",
        run.stdout
    );
    if !root_reads_anything {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("locked.json:") && l.contains("permission denied")),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn profiles_change_the_verdict() {
    let dir = workspace(None);
    let esg = vendor_sample()
        .replace("\"CBC_CS1\"", "\"XTS\"")
        .replace("\"xts\": false", "\"xts\": true")
        .replace(
            "\"ReadKey\": [\n        \"CTE Clients\"",
            "\"ReadKey\": [\n        \"CTE Clients\", \"Key Users\"",
        )
        .replace(
            "\"ExportKey\": [\n        \"CTE Clients\"",
            "\"ExportKey\": [\n        \"CTE Clients\", \"Key Users\"",
        );
    fs::write(dir.path().join("esg.json"), esg).unwrap();
    let standard = ctelint(dir.path(), &["--output-format", "json", "esg.json"], None);
    assert_eq!(standard.code, 1);
    assert!(standard.codes().contains(&"CTE302".to_owned()), "{}", standard.stdout);
    assert_eq!(ctelint(dir.path(), &["--profile", "esg", "esg.json"], None).code, 0);
    let idt = ctelint(
        dir.path(),
        &["--profile", "idt", "--output-format", "json", "esg.json"],
        None,
    );
    assert_eq!(idt.code, 0, "{}", idt.transcript());
    let ldt = ctelint(
        dir.path(),
        &["--profile", "ldt", "--output-format", "json", "esg.json"],
        None,
    );
    assert_eq!(
        ldt.codes()
            .iter()
            .filter(|c| *c != "CTE602")
            .cloned()
            .collect::<Vec<_>>(),
        ["CTE302", "CTE303"],
        "{}",
        ldt.stdout
    );
    assert_eq!(ctelint(dir.path(), &["--profile", "nope", "esg.json"], None).code, 2);
}

#[test]
fn arrays_of_requests_are_addressed_by_index() {
    let dir = workspace(None);
    let bad = vendor_sample()
        .replace("\"unexportable\": false", "\"unexportable\": true")
        .replace("Standard_pol_key", "Other_key");
    fs::write(
        dir.path().join("keys.json"),
        format!("[{}, {{\"note\": \"not a key\"}}, {bad}]", vendor_sample()),
    )
    .unwrap();
    let run = ctelint(dir.path(), &["--output-format", "json", "keys.json"], None);
    let pointers: Vec<String> = run
        .json()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["pointer"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(pointers, ["/2/unexportable"]);
}

#[test]
fn hostile_documents_are_findings_not_crashes() {
    let dir = workspace(None);
    fs::write(dir.path().join("deep.json"), "[".repeat(100_000)).unwrap();
    fs::write(
        dir.path().join("utf8.json"),
        b"{\n  \"name\": \"k\",\n  \"algorithm\": \"a\xffs\"\n}\n",
    )
    .unwrap();
    fs::write(dir.path().join("nul.json"), b"{\"name\": \"a\x00b\"}").unwrap();
    fs::write(dir.path().join("empty.json"), b"").unwrap();
    let run = ctelint(dir.path(), &["--output-format", "json"], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let findings = run.json();
    let at = |file: &str| {
        findings
            .iter()
            .find(|d| d["filename"] == file)
            .unwrap_or_else(|| panic!("{file}: {findings:#?}"))
    };
    assert_eq!(at("deep.json")["code"], "CTE001");
    assert!(
        at("deep.json")["message"]
            .as_str()
            .unwrap()
            .contains("nesting deeper than 128")
    );
    assert_eq!(at("utf8.json")["code"], "CTE001");
    assert_eq!(at("utf8.json")["location"]["row"], 3);
    assert_eq!(at("utf8.json")["location"]["column"], 18);
    assert_eq!(at("nul.json")["code"], "CTE001");
    assert_eq!(at("empty.json")["code"], "CTE001");
}

#[test]
fn a_closed_stdout_exits_quietly() {
    let dir = workspace(None);
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    for i in 0..200 {
        fs::write(dir.path().join(format!("k{i}.json")), &bad).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_ctelint"))
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn colour_only_when_asked_and_never_hyperlinks() {
    let dir = workspace(Some("demo"));
    let plain = ctelint(dir.path(), &["payroll-key.json"], None);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "no escapes when stdout is not a terminal"
    );
    let forced = ctelint(dir.path(), &["--color", "always", "payroll-key.json"], None);
    assert!(forced.stdout.contains("\u{1b}["), "colour with --color always");
    assert!(!forced.stdout.contains("\u{1b}]8;"), "never OSC-8 hyperlinks");
}

/// Output formats every secret test covers.
pub(crate) const FORMATS: [&str; 8] = [
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
];

#[test]
fn secrets_never_appear_in_any_output() {
    let material = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0";
    let password = "Tr0ub4dor&3-correct-horse";
    let dir = workspace(None);
    let body = vendor_sample()
        .replace("\"xts\": false", &format!("\"xts\": false,\n  \"material\": \"{material}\",\n  \"wrapPBE\": {{\"password\": \"{password}\", \"iteration\": \"many\"}}"))
        .replace("\"unexportable\": false", "\"unexportable\": true");
    fs::write(dir.path().join("key.json"), &body).unwrap();
    fs::write(
        dir.path().join("broken.json"),
        body.replace("\"size\": 256,", "\"size\": 256,,"),
    )
    .unwrap();
    let mut runs: Vec<(String, Run)> = Vec::new();
    for format in FORMATS {
        runs.push((
            format.to_owned(),
            ctelint(dir.path(), &["--select", "ALL", "--output-format", format], None),
        ));
        let stdin = ctelint(
            dir.path(),
            &["--output-format", format, "--stdin-filename", "key.json", "-"],
            Some(body.as_bytes()),
        );
        runs.push((format!("{format} (stdin)"), stdin));
    }
    runs.push((
        "diff".to_owned(),
        ctelint(
            dir.path(),
            &["--diff", "--allow-sensitive-fix", "CTE701,CTE203", "key.json"],
            None,
        ),
    ));
    let copy = dir.path().join("copy.json");
    fs::write(&copy, &body).unwrap();
    runs.push((
        "show-fixes".to_owned(),
        ctelint(
            dir.path(),
            &["--fix", "--show-fixes", "--allow-sensitive-fix", "CTE701", "copy.json"],
            None,
        ),
    ));
    for (what, run) in &runs {
        assert!(run.code == 0 || run.code == 1, "{what}: {}", run.transcript());
        for secret in [material, password] {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{what} shows a secret:\n{}",
                run.transcript()
            );
        }
    }
    let full = &runs[0].1;
    assert!(
        full.stdout.contains("CTE701") && full.stdout.contains("CTE702") && full.stdout.contains("broken.json"),
        "{}",
        full.stdout
    );
    assert!(
        fs::read_to_string(&copy).unwrap().contains(password),
        "fixing keeps the file's own text"
    );
}

#[test]
fn duplicate_key_names_across_files_are_reported_on_later_ones_whatever_the_thread_count() {
    // More files than the workers may run ahead of the report (1,024), so that files finish
    // out of order and wait for the ones before them.
    let dir = workspace(None);
    for k in 0..1200 {
        let file = dir.path().join(format!("team{:02}/key{k:04}.json", k / 100));
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        let name = format!("shared-{}", k % 40);
        fs::write(file, vendor_sample().replace("Standard_pol_key", &name)).unwrap();
    }
    let args = ["--output-format", "json", "--select", "CTE801"];
    let run = ctelint(dir.path(), &args, None);
    assert_eq!(run.code, 1);
    let findings = run.json();
    let files: Vec<String> = findings
        .iter()
        .map(|d| d["filename"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (40..1200)
        .map(|k| format!("team{:02}/key{k:04}.json", k / 100))
        .collect();
    assert_eq!(
        files, expected,
        "every file after the first with its name, in file order"
    );
    for (finding, k) in findings.iter().zip(40..) {
        let first = k % 40;
        assert_eq!(
            finding["related"][0]["filename"],
            format!("team{:02}/key{first:04}.json", first / 100),
            "the label is on the first file with the name"
        );
        assert_eq!(finding["related"][0]["location"]["row"], 2);
    }
    for threads in ["1", "2", "4"] {
        let output = Command::new(env!("CARGO_BIN_EXE_ctelint"))
            .args(args)
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            run.stdout,
            "RAYON_NUM_THREADS={threads}"
        );
    }
}

/// A report written with `-o` inside the folder being checked is not linted, whether it is
/// there from an earlier run or being written by this one.
#[test]
fn the_report_file_is_not_linted() {
    let dir = workspace(None);
    fs::write(
        dir.path().join("key.json"),
        vendor_sample().replace("\"CBC_CS1\"", "\"cbc_cs1\""),
    )
    .unwrap();
    let args = ["--output-format", "json", "-o", "report.json", "."];
    let first = ctelint(dir.path(), &args, None);
    let second = ctelint(dir.path(), &args, None);
    for run in [&first, &second] {
        assert_eq!(run.code, 1, "{}", run.transcript());
    }
    let report: Vec<serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert!(!report.is_empty());
    assert!(report.iter().all(|f| f["filename"] == "key.json"), "{report:#?}");
    let summary = ctelint(
        dir.path(),
        &["--output-format", "concise", "-o", "report.json", "."],
        None,
    );
    let text = fs::read_to_string(dir.path().join("report.json")).unwrap();
    assert!(text.contains("(1 file checked)"), "{text}{}", summary.transcript());
}

#[cfg(unix)]
#[test]
fn folders_reached_through_links_take_the_config_of_where_they_lead() {
    use ctelint::config::{Resolver, Source};
    use std::os::unix::fs::symlink;
    let dir = workspace(None);
    let p = dir.path();
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    fs::create_dir_all(p.join("real/keys/generated")).unwrap();
    fs::write(p.join("real/keys/k.json"), &bad).unwrap();
    fs::write(p.join("real/keys/generated/g.json"), &bad).unwrap();
    fs::write(p.join("real/ctelint.toml"), "exclude = [\"keys/generated/\"]\n").unwrap();
    fs::create_dir(p.join("view")).unwrap();
    symlink(p.join("real"), p.join("view/all")).unwrap();
    symlink(p.join("real/keys"), p.join("view/keys")).unwrap();
    // Each folder is resolved once, from its parent: the answer is the one of resolving every
    // component of the path, links anywhere along it.
    let resolver = Resolver::new(Source::Discover);
    for path in [
        "real/keys/k.json",
        "view/all/keys/generated/g.json",
        "view/all/keys/k.json",
        "view/keys/generated/g.json",
        "view/./keys/k.json",
        "view/keys/../all/keys/k.json",
        "view/missing/x.json",
        "k.json",
    ] {
        let path = p.join(path);
        assert_eq!(
            resolver.resolved(&path),
            ctelint::walk::resolved(&path),
            "{}",
            path.display()
        );
    }
    // Walked through either link, the config of `real` applies, `exclude` included.
    let run = ctelint(p, &["--output-format", "concise", "-q", "view"], None);
    let lines: Vec<&str> = run.stdout.lines().collect();
    for linked in ["view/all/keys/k.json:", "view/keys/k.json:"] {
        assert!(
            lines.iter().any(|l| l.starts_with(linked) && l.contains("CTE203")),
            "{linked} {}",
            run.transcript()
        );
    }
    assert!(!run.stdout.contains("g.json"), "{}", run.transcript());
}
