//! Fixing from the command line: tiers and flags, atomic byte-minimal writes, `--diff`, stdin,
//! and a property test over generated payloads.

use std::fs;
use std::path::Path;

use ctelint::fix::fixer::{self, FixPolicy};
use ctelint::json::{self, ParseOptions};
use ctelint::profile::Profile;
use ctelint::settings::{Selection, Selector, Settings};

use crate::cli::{ctelint, vendor_sample, workspace};
use crate::support::{Rng, VALUES};

fn unexportable() -> String {
    vendor_sample().replace("\"unexportable\": false", "\"unexportable\": true")
}

#[test]
fn sensitive_fixes_need_their_own_flag() {
    let dir = workspace(None);
    let file = dir.path().join("key.json");
    for args in [
        &["--fix"][..],
        &["--fix", "--unsafe-fixes"][..],
        &["--fix", "--allow-sensitive-fix", "CTE402"][..],
    ] {
        fs::write(&file, unexportable()).unwrap();
        let mut all = args.to_vec();
        all.push("key.json");
        let run = ctelint(dir.path(), &all, None);
        assert_eq!(run.code, 1, "{args:?}: {}", run.transcript());
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            unexportable(),
            "{args:?} must not touch `unexportable`"
        );
        assert!(
            run.stdout.contains("--allow-sensitive-fix CTE203"),
            "{args:?}: the report names the flag:\n{}",
            run.stdout
        );
    }
    for name in ["CTE203", "unexportable-key"] {
        fs::write(&file, unexportable()).unwrap();
        let run = ctelint(dir.path(), &["--fix", "--allow-sensitive-fix", name, "key.json"], None);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert_eq!(fs::read_to_string(&file).unwrap(), vendor_sample());
    }
    let unknown = ctelint(
        dir.path(),
        &["--fix", "--allow-sensitive-fix", "CTE999", "key.json"],
        None,
    );
    assert_eq!(unknown.code, 2);
}

#[test]
fn unsafe_fixes_need_unsafe_fixes() {
    let dir = workspace(None);
    let file = dir.path().join("key.json");
    let versioned = vendor_sample().replace("\"cte_versioned\": false", "\"cte_versioned\": true");
    fs::write(&file, &versioned).unwrap();
    let safe_only = ctelint(dir.path(), &["--fix", "--output-format", "concise", "key.json"], None);
    assert_eq!(fs::read_to_string(&file).unwrap(), versioned);
    assert!(
        safe_only.stdout.contains("CTE301 ") && safe_only.stdout.contains("[fix: `--fix --unsafe-fixes`]"),
        "{}",
        safe_only.stdout
    );
    let run = ctelint(dir.path(), &["--fix", "--unsafe-fixes", "key.json"], None);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(fs::read_to_string(&file).unwrap(), vendor_sample());
}

/// A safe fix on a CRLF file with four-space indentation changes exactly the fixed bytes.
#[test]
fn fixes_are_byte_minimal_on_crlf_files() {
    let dir = workspace(None);
    let crlf = vendor_sample().replace("  ", "    ").replace('\n', "\r\n");
    let broken = crlf.replace("\"CBC_CS1\"", "\"cbc-cs1\"");
    let file = dir.path().join("key.json");
    fs::write(&file, &broken).unwrap();
    let run = ctelint(dir.path(), &["--fix", "key.json"], None);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(fs::read(&file).unwrap(), crlf.as_bytes());
}

#[cfg(unix)]
#[test]
fn writes_keep_the_mode_follow_links_and_skip_unchanged_files() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
    let dir = workspace(None);
    let file = dir.path().join("key.json");
    fs::write(&file, vendor_sample().replace("\"CBC_CS1\"", "\"cbc_cs1\"")).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    symlink(&file, dir.path().join("link.json")).unwrap();
    let run = ctelint(dir.path(), &["--fix", "link.json"], None);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        fs::symlink_metadata(dir.path().join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        vendor_sample(),
        "the target is fixed"
    );
    assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Nothing to fix: the file is not rewritten (same inode, same modification time).
    let before = fs::metadata(&file).unwrap();
    let again = ctelint(dir.path(), &["--fix", "key.json"], None);
    assert_eq!(again.code, 0);
    let after = fs::metadata(&file).unwrap();
    assert_eq!((before.ino(), before.mtime_nsec()), (after.ino(), after.mtime_nsec()));
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = workspace(None);
    let file = dir.path().join("key.json");
    let broken = vendor_sample().replace("\"CBC_CS1\"", "\"cbc_cs1\"");
    fs::write(&file, &broken).unwrap();
    let run = ctelint(dir.path(), &["--diff", "key.json"], None);
    assert_eq!(run.code, 1);
    assert_eq!(fs::read_to_string(&file).unwrap(), broken);
    insta::assert_snapshot!(run.transcript());
    fs::write(&file, vendor_sample()).unwrap();
    let clean = ctelint(dir.path(), &["--diff", "key.json"], None);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, ""), "{}", clean.transcript());
}

#[test]
fn stdin_fix_prints_the_fixed_payload() {
    let dir = workspace(None);
    let broken = vendor_sample()
        .replace("\"CBC_CS1\"", "\"CBCCS1\"")
        .replace("\"unexportable\": false", "\"unexportable\": true");
    let run = ctelint(
        dir.path(),
        &["check", "--fix", "--stdin-filename", "keys/a.json", "-"],
        Some(broken.as_bytes()),
    );
    assert_eq!(run.code, 1, "the unexportable key remains: {}", run.transcript());
    assert_eq!(
        run.stdout,
        unexportable(),
        "the safe fix is applied, the sensitive one is not"
    );
    assert!(
        run.stderr.contains("CTE203") && run.stderr.contains("keys/a.json"),
        "diagnostics go to stderr: {}",
        run.stderr
    );
    let allowed = ctelint(
        dir.path(),
        &["--fix", "--allow-sensitive-fix", "CTE203", "-"],
        Some(broken.as_bytes()),
    );
    assert_eq!((allowed.code, allowed.stdout.as_str()), (0, vendor_sample().as_str()));
    // Nothing to fix: the input comes back byte for byte, odd bytes and all.
    let odd = "{\"name\":\"k\" ,\r\n\t\"algorithm\" :\"aes\"}\n\n";
    let same = ctelint(dir.path(), &["--fix", "--select", "CTE207", "-"], Some(odd.as_bytes()));
    assert_eq!(same.stdout, odd);
    let invalid = ctelint(dir.path(), &["--fix", "-"], Some(b"{\"algorithm\": \xff}"));
    assert_eq!(invalid.code, 1);
    assert_eq!(invalid.raw_stdout, b"{\"algorithm\": \xff}");
}

#[test]
fn fix_only_show_fixes_and_exit_non_zero_on_fix() {
    let dir = workspace(None);
    let file = dir.path().join("key.json");
    let broken = unexportable().replace("\"CBC_CS1\"", "\"cbc_cs1\"");
    fs::write(&file, &broken).unwrap();
    let only = ctelint(dir.path(), &["--fix-only", "key.json"], None);
    assert_eq!(
        only.code,
        0,
        "--fix-only does not fail on what remains: {}",
        only.transcript()
    );
    assert!(!only.stdout.contains("CTE203"), "{}", only.stdout);
    fs::write(&file, &broken).unwrap();
    let shown = ctelint(
        dir.path(),
        &[
            "--fix",
            "--show-fixes",
            "--allow-sensitive-fix",
            "CTE203",
            "--exit-non-zero-on-fix",
            "key.json",
        ],
        None,
    );
    assert_eq!(shown.code, 1, "{}", shown.transcript());
    insta::assert_snapshot!(shown.transcript());
}

/// One generated key payload: the vendor sample with random mutations, in a random layout.
fn generate(rng: &mut Rng) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&vendor_sample()).unwrap();
    let names = [
        "unexportable",
        "xts",
        "size",
        "cte",
        "encryption_mode",
        "cte_versioned",
        "is_used",
        "ownerId",
        "owner_id",
        "permissions",
        "ReadKey",
        "read_key",
        "ExportKey",
        "UseKey",
        "versionedKey",
        "persistent_on_client",
        "meta",
        "algorithm",
        "name",
    ];
    for _ in 0..=rng.below(6) {
        let paths: [&[&str]; 5] = [
            &[],
            &["meta"],
            &["meta", "cte"],
            &["meta", "permissions"],
            &["meta", "permissions", "ReadKey"],
        ];
        let path = paths[rng.below(paths.len())];
        let pointer = path.join("/");
        let pointer = if pointer.is_empty() {
            pointer
        } else {
            format!("/{pointer}")
        };
        let target = if value.pointer(&pointer).is_some() {
            value.pointer_mut(&pointer).unwrap()
        } else {
            &mut value
        };
        let new: serde_json::Value = serde_json::from_str(rng.pick(&VALUES)).unwrap();
        match target {
            serde_json::Value::Object(map) => {
                let name = rng.pick(&names).to_owned();
                if rng.below(3) == 0 {
                    map.remove(&name);
                } else {
                    map.insert(name, new);
                }
            }
            serde_json::Value::Array(items) if !items.is_empty() && rng.below(2) == 0 => {
                let at = rng.below(items.len());
                items[at] = new;
            }
            serde_json::Value::Array(items) => items.push(new),
            _ => {}
        }
    }
    let text = match rng.below(3) {
        0 => serde_json::to_string(&value).unwrap(),
        1 => serde_json::to_string_pretty(&value).unwrap(),
        _ => serde_json::to_string_pretty(&value).unwrap().replace("  ", "\t"),
    };
    if rng.below(4) == 0 {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

#[test]
fn fixing_generated_payloads_always_converges_to_valid_json() {
    let selection = Selection {
        select: Some(vec![Selector::All]),
        ..Selection::default()
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..1500 {
        let seed = rng.0;
        let text = generate(&mut rng);
        let profile = Profile::ALL[case % Profile::ALL.len()];
        let settings = Settings::new(profile, &selection, Vec::new());
        let fixed = fixer::fix(
            "gen.json",
            &text,
            ParseOptions::STRICT,
            &settings,
            &FixPolicy::everything(),
        );
        assert!(
            fixed.failure.is_none(),
            "seed {seed:#x}, profile {profile}: {}\n{text}",
            fixed.failure.unwrap_or_default()
        );
        assert!(
            json::parse(&fixed.text, ParseOptions::STRICT).is_ok(),
            "seed {seed:#x}: invalid JSON after fixing:\n{}",
            fixed.text
        );
        let again = fixer::fix(
            "gen.json",
            &fixed.text,
            ParseOptions::STRICT,
            &settings,
            &FixPolicy::everything(),
        );
        assert!(
            again.applied.is_empty(),
            "seed {seed:#x}: a second run fixed {:?}\n{}",
            again.applied,
            fixed.text
        );
    }
}

#[test]
fn outside_unchanged_detects_stray_changes() {
    use ctelint::fix::Edit;
    use ctelint::json::Span;
    let edits = [Edit {
        span: Span { start: 2, end: 4 },
        content: "XY".to_owned(),
    }];
    assert!(fixer::outside_unchanged("abcdef", "abXYef", &edits));
    assert!(!fixer::outside_unchanged("abcdef", "abXYeF", &edits));
    assert!(!fixer::outside_unchanged("abcdef", "AbXYef", &edits));
    assert!(!fixer::outside_unchanged("abcdef", "abXZef", &edits));
    let _ = Path::new(".");
}
