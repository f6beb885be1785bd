//! The fixture harness: every `fixtures/rules/<rule-name>/{valid,invalid}*.json` is linted with
//! only that rule enabled (and `<case>.options.json` applied). Valid fixtures must produce
//! nothing; invalid ones produce findings of that rule only, and their rendered report plus the
//! fully fixed document are pinned by a snapshot next to the fixture.

use std::path::Path;

use ctelint::delete::{self, Deletion};
use ctelint::fix::apply_edits;
use ctelint::fix::fixer::{self, FixPolicy};
use ctelint::json;
use ctelint::linter;
use ctelint::profile::Profile;
use ctelint::rule::Scope;
use ctelint::rules;
use ctelint::settings::Settings;

use crate::support::{check_invariants, fix_everything, lint_file, render};

/// Per-fixture settings from `<case>.options.json`.
struct Options {
    profile: Profile,
    max_file_size: u64,
    /// For `delete-check` rules: `--as-groups` and `--policies` (relative to the fixture).
    deletion: Deletion,
    /// For `unused-suppression`: the fixture is a baseline, and these files are linted with it.
    lint: Vec<String>,
}

fn options(fixture: &Path) -> Options {
    let name = fixture.file_name().unwrap().to_string_lossy();
    let stem = name.rsplit_once('.').map_or(name.as_ref(), |(stem, _)| stem);
    let path = fixture.with_file_name(format!("{stem}.options.json"));
    let mut options = Options {
        profile: Profile::Standard,
        max_file_size: 16 << 20,
        deletion: Deletion::default(),
        lint: Vec::new(),
    };
    if let Ok(text) = std::fs::read_to_string(&path) {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        if let Some(profile) = value.get("profile").and_then(|p| p.as_str()) {
            options.profile = Profile::parse(profile).unwrap_or_else(|| panic!("{}: unknown profile", path.display()));
        }
        if let Some(size) = value.get("max_file_size").and_then(serde_json::Value::as_u64) {
            options.max_file_size = size;
        }
        if let Some(groups) = value.get("as_groups").and_then(serde_json::Value::as_array) {
            options.deletion.groups = Some(groups.iter().map(|g| g.as_str().unwrap().to_owned()).collect());
        }
        if let Some(files) = value.get("lint").and_then(serde_json::Value::as_array) {
            options.lint = files.iter().map(|f| f.as_str().unwrap().to_owned()).collect();
        }
        if let Some(policies) = value.get("policies").and_then(serde_json::Value::as_array) {
            let paths: Vec<std::path::PathBuf> = policies
                .iter()
                .map(|p| fixture.with_file_name(p.as_str().unwrap()))
                .collect();
            options.deletion.references = delete::read_policies(&paths, 1 << 20).unwrap();
        }
    }
    options
}

#[test]
fn fixtures() {
    let root = crate::support::root();
    insta::glob!("../fixtures", "rules/*/*.json*", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains(".options.") || name.contains(".snap") {
            return;
        }
        let rule_dir = path.parent().unwrap();
        let rule_name = rule_dir.file_name().unwrap().to_string_lossy();
        let rule =
            rules::find(&rule_name).unwrap_or_else(|| panic!("fixtures/rules/{rule_name}: no rule of that name"));
        let options = options(path);
        let settings = Settings::for_rule(options.profile, rule);
        let display = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if !name.starts_with("valid") && !name.starts_with("invalid") {
            return; // a file a fixture refers to, such as a policy
        }
        if !options.lint.is_empty() {
            return baseline_fixture(path, &name, rule_dir, &options.lint);
        }
        let result = if rule.scope == Scope::Delete {
            Some(linter::lint_records(
                &display,
                &std::fs::read(path).unwrap(),
                &settings,
                &options.deletion,
            ))
        } else {
            lint_file(path, &display, &settings, options.max_file_size)
        };
        if name.starts_with("valid") {
            let result = result.unwrap_or_else(|| panic!("{display}: unreadable"));
            assert!(
                result.diagnostics.is_empty(),
                "{display}: expected no findings, got:\n{}",
                render(&result)
            );
            return;
        }
        assert!(
            name.starts_with("invalid"),
            "{display}: fixture names start with `valid` or `invalid`"
        );
        let snapshot = match result {
            Some(result) => {
                assert!(
                    !result.diagnostics.is_empty(),
                    "{display}: expected findings of {}",
                    rule.code
                );
                assert!(
                    result.diagnostics.iter().all(|d| d.rule.code == rule.code),
                    "{display}: findings of other rules:\n{}",
                    render(&result)
                );
                check_invariants(&result);
                format!("{}\n{}", render(&result), fixed_section(&display, &result, &settings))
            }
            // Unreadable on purpose (io-error): the CLI reports it; here the snapshot says so.
            None => format!(
                "{display}: not read (over the size limit of {} bytes)\n",
                options.max_file_size
            ),
        };
        pin(rule_dir, path, &name, &snapshot);
    });
}

/// The document after every fix has converged, checked for idempotence, for the rule going
/// quiet where it offered fixes, and, fix by fix, for valid JSON and for bytes outside the edits
/// staying as they were.
fn fixed_section(display: &str, result: &linter::FileResult, settings: &Settings) -> String {
    if result.diagnostics.iter().all(|d| d.fix.is_none()) {
        return "── fixed ── (no fix available)\n".to_owned();
    }
    let text = result.source.text();
    let dialect = linter::dialect_for(display);
    for diagnostic in &result.diagnostics {
        let Some(fix) = &diagnostic.fix else { continue };
        let alone = apply_edits(text, &fix.edits);
        assert!(
            json::parse(&alone, dialect).is_ok(),
            "{display}: `{}` alone gives invalid JSON:\n{alone}",
            fix.message
        );
        assert!(
            fixer::outside_unchanged(text, &alone, &fix.edits),
            "{display}: `{}` changed bytes outside its edits",
            fix.message
        );
    }
    let fixed = fix_everything(display, text, dialect, settings);
    assert!(
        json::parse(&fixed, dialect).is_ok(),
        "{display}: fixed text does not parse"
    );
    let again = fixer::fix(display, &fixed, dialect, settings, &FixPolicy::everything());
    assert_eq!(again.text, fixed, "{display}: fixing twice changed the text");
    assert!(
        again.applied.is_empty(),
        "{display}: a second fix pass applied {:?}",
        again.applied
    );
    let after = linter::lint_bytes(display, fixed.as_bytes(), dialect, settings);
    assert!(
        after.diagnostics.iter().all(|d| d.fix.is_none()),
        "{display}: fixable findings remain after fixing"
    );
    if result.diagnostics.iter().all(|d| d.fix.is_some()) {
        assert!(
            after.diagnostics.is_empty(),
            "{display}: the rule still fires after every finding was fixed"
        );
    }
    format!("── fixed ──\n{fixed}")
}

/// `unused-suppression`: the fixture is a baseline; the files it names are linted with it by
/// the real binary, as a user would run it.
fn baseline_fixture(path: &Path, name: &str, rule_dir: &Path, lint: &[String]) {
    let root = crate::support::root();
    let baseline = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
    let mut args = vec![
        "check",
        "--isolated",
        "--select",
        "CTE901",
        "--baseline",
        baseline.as_str(),
    ];
    args.extend(lint.iter().map(String::as_str));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ctelint"))
        .args(&args)
        .current_dir(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if name.starts_with("valid") {
        assert!(
            !stdout.contains("CTE901"),
            "{baseline}: expected no findings:\n{stdout}"
        );
        return;
    }
    assert!(stdout.contains("CTE901"), "{baseline}: expected CTE901:\n{stdout}");
    pin(rule_dir, path, name, &stdout);
}

/// Pins `snapshot` as `<fixture>.snap` next to the fixture.
fn pin(rule_dir: &Path, fixture: &Path, name: &str, snapshot: &str) {
    insta::with_settings!({
        snapshot_path => rule_dir,
        prepend_module_to_snapshot => false,
        input_file => fixture,
        omit_expression => true,
        snapshot_suffix => "",
    }, {
        insta::assert_snapshot!(name.to_owned(), snapshot);
    });
}
