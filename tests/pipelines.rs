//! What CI and repositories plug into: output formats, configuration files, suppressions and
//! baselines, completions and statistics.

use std::fs;
use std::path::Path;

use crate::cli::{Run, ctelint, vendor_sample, workspace};

fn bad_folder() -> tempfile::TempDir {
    let dir = workspace(Some("demo"));
    let p = dir.path();
    let weird = vendor_sample()
        .replace("Standard_pol_key", "weird")
        .replace("\"CBC_CS1\"", "\"X%T\\nS\"")
        .replace("\"cte_versioned\": false", "\"cte_versioned\": true");
    fs::create_dir_all(p.join("keys")).unwrap();
    fs::write(p.join("keys/we,ird: name.json"), weird).unwrap();
    fs::write(p.join("keys/broken.json"), "{\"name\": \"x\",\n \"size\": 256,,}").unwrap();
    dir
}

#[test]
fn every_output_format_is_pinned() {
    let dir = bad_folder();
    for format in ["json-lines", "github", "gitlab", "junit", "sarif"] {
        let run = ctelint(dir.path(), &["--output-format", format, "."], None);
        assert_eq!(run.code, 1, "{format}: {}", run.transcript());
        insta::assert_snapshot!(format!("format_{format}"), run.stdout);
    }
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let dir = bad_folder();
    let run = ctelint(dir.path(), &["--output-format", "sarif", "-o", "out.sarif", "."], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    let schema_text = fs::read_to_string(crate::support::root().join("tests/data/sarif-2.1.0.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1,
            "{result}"
        );
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains(dir.path().to_str().unwrap()),
            "{uri}"
        );
        assert!(result["partialFingerprints"]["ctelintFingerprint/v1"].is_string());
    }
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ctelint::rules::all().count());
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let again = ctelint(dir.path(), &["--output-format", "sarif", "."], None);
    let first = ctelint(dir.path(), &["--output-format", "sarif", "."], None);
    assert_eq!(again.stdout, first.stdout, "SARIF is deterministic");
}

/// Related locations in the same file and in another one, and fixes: each result reads as
/// serde_json prints the same value (members in name order, its layout), and a label in another
/// file gives lines and columns without the bytes of a file that is not at hand. The GitLab
/// report, written the same way, reads as serde_json prints it too.
#[test]
fn sarif_related_locations_and_fixes_print_as_serde_json_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let key = |extra: &str| {
        format!(
            "{{\n  \"name\": \"shared\",{extra}\n  \"algorithm\": \"aes\",\n  \"size\": 256,\n  \"unexportable\": true\n}}\n"
        )
    };
    fs::write(dir.path().join("a.json"), key("")).unwrap();
    fs::write(dir.path().join("b#2.json"), key("\n  \"size\": 128,")).unwrap();
    let run = ctelint(dir.path(), &["--output-format", "sarif", "."], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        format!("{}\n", serde_json::to_string_pretty(&sarif).unwrap()),
        run.stdout,
        "the log reads as serde_json prints it"
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let of = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .unwrap_or_else(|| panic!("no {code} in {results:#?}"))
    };
    let across = &of("CTE801")["relatedLocations"][0]["physicalLocation"];
    assert_eq!(across["artifactLocation"]["uri"], "a.json");
    assert_eq!(across["region"]["startLine"], 2);
    assert!(across["region"].get("byteOffset").is_none(), "{across}");
    let within = &of("CTE002")["relatedLocations"][0];
    assert_eq!(within["id"], 1);
    assert_eq!(within["physicalLocation"]["artifactLocation"]["uri"], "b%232.json");
    let first_size = key("\n  \"size\": 128,").find("\"size\"").unwrap();
    assert_eq!(within["physicalLocation"]["region"]["byteOffset"], first_size);
    // Each file's fix names that file.
    let fixed: Vec<&serde_json::Value> = results.iter().filter(|r| r["ruleId"] == "CTE203").collect();
    assert_eq!(fixed.len(), 2);
    for (result, uri) in fixed.iter().zip(["a.json", "b%232.json"]) {
        let change = &result["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], uri);
        assert_eq!(change["replacements"][0]["insertedContent"]["text"], "false");
    }
    let gitlab = ctelint(dir.path(), &["--output-format", "gitlab", "."], None);
    let issues: serde_json::Value = serde_json::from_str(&gitlab.stdout).unwrap();
    assert!(
        issues.as_array().is_some_and(|all| all.len() == results.len()),
        "{issues}"
    );
    assert_eq!(
        format!("{}\n", serde_json::to_string_pretty(&issues).unwrap()),
        gitlab.stdout
    );
}
#[test]
fn github_annotations_escape_and_put_errors_first() {
    let dir = bad_folder();
    let run = ctelint(dir.path(), &["--output-format", "github", "."], None);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let first_non_error = lines
        .iter()
        .position(|l| !l.starts_with("::error "))
        .unwrap_or(lines.len());
    assert!(
        lines[first_non_error..].iter().all(|l| !l.starts_with("::error ")),
        "errors first:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("file=keys/we%2Cird%3A name.json,"),
        "{}",
        run.stdout
    );
    // The message shows the value's line break escaped (`\u000a`), and `%` as the format wants.
    assert!(run.stdout.contains("`X%25T\\u000aS`"), "{}", run.stdout);
    for line in &lines {
        let properties = line.split("::").nth(1).unwrap();
        let title = properties.split("title=").nth(1).unwrap();
        assert!(!title.contains(':') && !title.contains(','), "{line}");
    }
}

fn write(dir: &Path, path: &str, text: &str) {
    let file = dir.join(path);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(file, text).unwrap();
}

#[test]
fn nearest_config_wins_extend_inherits_and_overrides_apply() {
    let dir = workspace(None);
    let p = dir.path();
    let versioned = vendor_sample().replace("\"cte_versioned\": false", "\"cte_versioned\": true");
    write(p, "keys/std.json", &versioned.replace("Standard_pol_key", "std"));
    write(
        p,
        "keys/ldt/t.json",
        &versioned
            .replace("Standard_pol_key", "t")
            .replace("\"CBC_CS1\"", "\"CBC\""),
    );
    write(p, "team/own.json", &versioned.replace("Standard_pol_key", "own"));
    write(
        p,
        "team/vendored/skip.json",
        &versioned.replace("Standard_pol_key", "skip"),
    );
    write(
        p,
        "ctelint.toml",
        "ignore = [\"undeletable-key\"]\n\n[[overrides]]\nfiles = [\"keys/ldt/**\"]\nprofile = \"ldt\"\n",
    );
    write(
        p,
        "team/ctelint.toml",
        "extend = \"../ctelint.toml\"\nexclude = [\"vendored/\"]\n[severity]\nCTE301 = \"warning\"\n",
    );
    let run = ctelint(p, &["--output-format", "concise", "-q"], None);
    insta::assert_snapshot!(run.transcript());
    let settings = ctelint(p, &["config", "team/own.json"], None);
    assert!(
        settings.stdout.contains("team/ctelint.toml (extends) ctelint.toml"),
        "{}",
        settings.stdout
    );
    let isolated = ctelint(
        p,
        &["--isolated", "--output-format", "concise", "-q", "team/own.json"],
        None,
    );
    assert!(
        isolated.stdout.contains("CTE602"),
        "--isolated ignores configs: {}",
        isolated.stdout
    );
    let one = ctelint(
        p,
        &[
            "--config",
            "ctelint.toml",
            "--output-format",
            "concise",
            "-q",
            "team/own.json",
        ],
        None,
    );
    assert!(
        one.stdout.contains("CTE301") && !one.stdout.contains("CTE602"),
        "{}",
        one.stdout
    );
    let cli = ctelint(
        p,
        &["--profile", "ldt", "--output-format", "concise", "-q", "keys/std.json"],
        None,
    );
    assert!(
        !cli.stdout.contains("CTE301"),
        "--profile beats the config: {}",
        cli.stdout
    );
}

#[test]
fn config_mistakes_point_into_the_toml_and_exit_2() {
    let dir = workspace(None);
    let p = dir.path();
    write(p, "key.json", &vendor_sample());
    for (toml, expected) in [
        ("exclud = [\"x\"]\n", "unknown field `exclud`"),
        ("profile = \"ldtt\"\n", "unknown profile `ldtt`"),
        ("select = [\"CTE999\"]\n", "unknown rule selector `CTE999`"),
        ("[severity]\nCTE203 = \"fatal\"\n", "unknown severity `fatal`"),
        (
            "[[suppress]]\nfile = \"key.json\"\npointer = \"/x\"\nrules = [\"CTE203\"]\n",
            "missing field `reason`",
        ),
        ("extend = \"missing.toml\"\n", "does not exist"),
        ("ignore = \"CTE203\"\n", "invalid type"),
    ] {
        write(p, "ctelint.toml", toml);
        let run = ctelint(p, &["key.json"], None);
        assert_eq!(run.code, 2, "{toml}: {}", run.transcript());
        assert!(
            run.stderr.contains(expected) && run.stderr.contains("╭─[ctelint.toml:"),
            "{toml}: {}",
            run.stderr
        );
    }
    write(p, "ctelint.toml", "profile = \"ldtt\"\n");
    insta::assert_snapshot!(ctelint(p, &["key.json"], None).stderr);
}

#[test]
fn suppressions_silence_exactly_their_finding_and_stale_ones_are_reported() {
    let dir = workspace(None);
    let p = dir.path();
    let bad = vendor_sample()
        .replace("\"unexportable\": false", "\"unexportable\": true")
        .replace("\"CBC_CS1\"", "\"cbc_cs1\"");
    write(p, "keys/a.json", &bad.replace("Standard_pol_key", "a"));
    write(p, "keys/b.json", &bad.replace("Standard_pol_key", "b"));
    write(
        p,
        "ctelint.toml",
        "ignore = [\"CTE602\"]\n\n[[suppress]]\nfile = \"keys/a.json\"\npointer = \"/unexportable\"\nrules = [\"unexportable-key\"]\nreason = \"exported by design until the Q3 migration\"\n\n[[suppress]]\nfile = \"keys/a.json\"\npointer = \"/xts\"\nrules = [\"CTE203\"]\nreason = \"stale\"\n\n[[suppress]]\nfile = \"other/*.json\"\npointer = \"\"\nrules = [\"ALL\"]\nreason = \"not linted in this run\"\n",
    );
    let run = ctelint(p, &["--output-format", "concise", "-q"], None);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("keys/a.json") && l.contains("CTE203")),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("keys/a.json") && l.contains("CTE207")),
        "only CTE203 at /unexportable: {}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("keys/b.json") && l.contains("CTE203")),
        "only keys/a.json: {}",
        run.stdout
    );
    let stale: Vec<&&str> = lines.iter().filter(|l| l.contains("CTE901")).collect();
    assert_eq!(stale.len(), 1, "{}", run.stdout);
    assert!(stale[0].starts_with("ctelint.toml:9:1:"), "{}", run.stdout);
}

#[test]
fn a_baseline_lets_old_findings_pass_and_new_ones_fail() {
    let dir = workspace(None);
    let p = dir.path();
    let bad = vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true");
    write(p, "keys/a.json", &bad.replace("Standard_pol_key", "a"));
    write(p, "keys/b.json", &bad.replace("Standard_pol_key", "b"));
    let update = ctelint(p, &["--baseline", "baseline.json", "--update-baseline", "keys"], None);
    assert_eq!(update.code, 0, "{}", update.transcript());
    let baseline: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["entries"].as_array().unwrap().len(), 4, "{baseline:#}");
    // Reformatting does not change fingerprints.
    write(
        p,
        "keys/a.json",
        &bad.replace("Standard_pol_key", "a").replace("  ", "    "),
    );
    let same = ctelint(p, &["--baseline", "baseline.json", "keys"], None);
    assert_eq!(same.code, 0, "{}", same.transcript());
    write(p, "keys/c.json", &bad.replace("Standard_pol_key", "c"));
    let new = ctelint(
        p,
        &[
            "--baseline",
            "baseline.json",
            "--output-format",
            "concise",
            "-q",
            "keys",
        ],
        None,
    );
    assert_eq!(new.code, 1, "{}", new.transcript());
    assert!(
        new.stdout.lines().all(|l| l.starts_with("keys/c.json")),
        "{}",
        new.stdout
    );
    // A fixed finding leaves a stale entry behind.
    write(p, "keys/b.json", &vendor_sample().replace("Standard_pol_key", "b"));
    let stale = ctelint(
        p,
        &[
            "--baseline",
            "baseline.json",
            "--output-format",
            "concise",
            "-q",
            "keys/b.json",
        ],
        None,
    );
    assert!(
        stale.stdout.contains("baseline.json") && stale.stdout.contains("CTE901"),
        "{}",
        stale.transcript()
    );
}

#[test]
fn statistics_and_completions() {
    let dir = bad_folder();
    let run = ctelint(dir.path(), &["--statistics", "."], None);
    insta::assert_snapshot!(run.stdout);
    for shell in ["bash", "zsh", "fish"] {
        let completions = ctelint(dir.path(), &["completions", shell], None);
        assert_eq!(completions.code, 0);
        assert!(
            completions.stdout.contains("delete-check") && completions.stdout.contains("allow-sensitive-fix"),
            "{shell}"
        );
    }
}

#[test]
fn rule_documentation_from_the_command_line() {
    let dir = workspace(None);
    let page = ctelint(dir.path(), &["rule", "unexportable-key"], None);
    assert!(
        page.stdout.starts_with("# unexportable-key (CTE203)") && page.stdout.contains("## Fix safety"),
        "{}",
        page.stdout
    );
    assert_eq!(ctelint(dir.path(), &["rule", "CTE203"], None).stdout, page.stdout);
    let json = ctelint(dir.path(), &["rule", "--all", "--output-format", "json"], None);
    let all: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), ctelint::rules::all().count());
    assert_eq!(ctelint(dir.path(), &["rule", "nope"], None).code, 2);
    let table = ctelint(dir.path(), &["rules"], None);
    assert_eq!(table.stdout.lines().count(), ctelint::rules::all().count());
}

/// Duplicate key names are only known once every file is read, after the files' reports are
/// rendered: the files they concern are linted again, and their findings go through the same
/// suppressions, baseline and fixes as any other.
#[test]
fn duplicate_names_across_files_pass_through_suppressions_baseline_and_fix() {
    let dir = workspace(None);
    let p = dir.path();
    let key = vendor_sample().replace("\"CBC_CS1\"", "\"cbc_cs1\"");
    for name in ["a", "b", "c"] {
        write(p, &format!("keys/{name}.json"), &key);
    }
    write(
        p,
        "keys/other.json",
        &vendor_sample().replace("Standard_pol_key", "other"),
    );
    let lines = |run: &Run| -> Vec<String> {
        run.stdout
            .lines()
            .filter(|l| !l.contains("CTE602"))
            .map(str::to_owned)
            .collect()
    };
    let concise = ["--output-format", "concise", "-q", "keys"];
    let plain = ctelint(p, &concise, None);
    assert_eq!(plain.code, 1, "{}", plain.transcript());
    let duplicates: Vec<String> = lines(&plain).into_iter().filter(|l| l.contains("CTE801")).collect();
    assert_eq!(duplicates.len(), 2, "one per file after the first: {}", plain.stdout);
    for (line, file) in duplicates.iter().zip(["keys/b.json", "keys/c.json"]) {
        assert!(line.starts_with(&format!("{file}:")), "in file order: {}", plain.stdout);
    }
    // Sorted within each file: the duplicate name comes before the mode further down.
    let codes: Vec<String> = lines(&plain)
        .iter()
        .filter(|l| l.starts_with("keys/b.json"))
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_owned))
        .collect();
    assert_eq!(codes, ["CTE801", "CTE207"], "{}", plain.stdout);

    write(
        p,
        "ctelint.toml",
        "[[suppress]]\nfile = \"keys/b.json\"\npointer = \"/name\"\nrules = [\"duplicate-key-name\"]\nreason = \"b replaces a in the next release\"\n",
    );
    let suppressed = ctelint(p, &concise, None);
    let remaining = lines(&suppressed);
    assert!(
        !remaining
            .iter()
            .any(|l| l.starts_with("keys/b.json") && l.contains("CTE801")),
        "{}",
        suppressed.stdout
    );
    assert!(
        !remaining.iter().any(|l| l.contains("CTE901")),
        "the entry matched: {}",
        suppressed.stdout
    );
    assert_eq!(
        remaining.iter().filter(|l| l.contains("CTE801")).count(),
        1,
        "{}",
        suppressed.stdout
    );
    fs::remove_file(p.join("ctelint.toml")).unwrap();

    let update = ctelint(p, &["--baseline", "baseline.json", "--update-baseline", "keys"], None);
    assert_eq!(update.code, 0, "{}", update.transcript());
    let baseline = fs::read_to_string(p.join("baseline.json")).unwrap();
    assert_eq!(baseline.matches("\"CTE801\"").count(), 2, "{baseline}");
    let accepted = ctelint(
        p,
        &[
            "--baseline",
            "baseline.json",
            "--output-format",
            "concise",
            "-q",
            "keys",
        ],
        None,
    );
    assert_eq!(accepted.code, 0, "{}", accepted.transcript());

    // Fixing rewrites the modes; the duplicates, which have no fix, are still reported.
    let fixed = ctelint(p, &["--fix", "--output-format", "concise", "-q", "keys"], None);
    assert_eq!(fixed.code, 1, "{}", fixed.transcript());
    let after = lines(&fixed);
    assert_eq!(
        after.iter().filter(|l| l.contains("CTE801")).count(),
        2,
        "{}",
        fixed.stdout
    );
    assert!(!after.iter().any(|l| l.contains("CTE207")), "{}", fixed.stdout);
    assert!(
        fs::read_to_string(p.join("keys/a.json"))
            .unwrap()
            .contains("\"CBC_CS1\"")
    );
}
