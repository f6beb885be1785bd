//! `ctelint delete-check` and `ctelint schema` end to end.

use std::fs;

use crate::cli::{ctelint, workspace};

fn record(name: &str, extra: &str) -> String {
    format!(
        "{{\n  \"id\": \"{name}-id\",\n  \"name\": \"{name}\",\n  \"undeletable\": false,\n  \"meta\": {{\"cte\": {{\"cte_versioned\": false, \"is_used\": false}}}}{extra}\n}}\n"
    )
}

#[test]
fn each_reason_a_deletion_is_refused() {
    let dir = workspace(None);
    let p = dir.path();
    fs::write(
        p.join("undeletable.json"),
        record("locked", "").replace("\"undeletable\": false", "\"undeletable\": true"),
    )
    .unwrap();
    fs::write(
        p.join("in-use.json"),
        record("busy", "").replace("\"is_used\": false", "\"is_used\": true"),
    )
    .unwrap();
    fs::write(p.join("in-policy.json"), record("ldt-key", "")).unwrap();
    fs::write(p.join("clean.json"), record("spare", "")).unwrap();
    fs::write(
        p.join("policy.json"),
        r#"{"name": "ldt-finance", "ldt_key_rules": [{"current_key": {"key_id": "clear_key"}, "transformation_key": {"key_id": "ldt-key"}}]}"#,
    )
    .unwrap();
    let groups = [
        "--as-groups",
        "Key Admins,CTE Admins",
        "--policies",
        "policy.json",
        "--output-format",
        "json",
    ];
    let codes = |file: &str| {
        let mut args = vec!["delete-check"];
        args.extend_from_slice(&groups);
        args.push(file);
        let run = ctelint(p, &args, None);
        (run.code, run.codes())
    };
    assert_eq!(
        codes("undeletable.json"),
        (1, vec!["CTE614".to_owned(), "CTE611".to_owned()])
    );
    assert_eq!(
        codes("in-use.json"),
        (1, vec!["CTE614".to_owned(), "CTE612".to_owned()])
    );
    assert_eq!(
        codes("in-policy.json"),
        (1, vec!["CTE612".to_owned(), "CTE614".to_owned()])
    );
    assert_eq!(codes("clean.json"), (0, vec!["CTE614".to_owned()]));
    // Without both groups the deletion is refused too; without --as-groups it is only noted.
    let run = ctelint(
        p,
        &[
            "delete-check",
            "--as-groups",
            "Key Admins",
            "--output-format",
            "json",
            "clean.json",
        ],
        None,
    );
    assert_eq!(
        (run.code, run.codes()),
        (1, vec!["CTE613".to_owned(), "CTE614".to_owned()])
    );
    let run = ctelint(p, &["delete-check", "--output-format", "json", "clean.json"], None);
    let severities: Vec<String> = run
        .json()
        .iter()
        .map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        (run.code, severities),
        (0, vec!["CTE613 info".to_owned(), "CTE614 warning".to_owned()])
    );
}

#[test]
fn list_responses_are_addressed_by_record_and_rendered_like_check() {
    let dir = workspace(None);
    let p = dir.path();
    let list = format!(
        "{{\"skip\": 0, \"limit\": 2, \"total\": 2, \"resources\": [\n{},\n{}]}}\n",
        record("first", ""),
        record("second", "").replace("\"undeletable\": false", "\"undeletable\": true")
    );
    fs::write(p.join("keys.json"), list).unwrap();
    fs::write(
        p.join("policy.json"),
        r#"{"resources": [{"name": "std", "key_rules": [{"key_id": "first"}]}]}"#,
    )
    .unwrap();
    let run = ctelint(
        p,
        &[
            "delete-check",
            "--policies",
            "policy.json",
            "--as-groups",
            "CTE Admins,Key Admins",
            "keys.json",
        ],
        None,
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript());
    let json = ctelint(
        p,
        &[
            "delete-check",
            "--policies",
            "policy.json",
            "--output-format",
            "json",
            "keys.json",
        ],
        None,
    );
    let findings = json.json();
    assert!(
        findings
            .iter()
            .any(|d| d["code"] == "CTE611" && d["pointer"] == "/resources/1/undeletable"),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|d| d["code"] == "CTE612"
            && d["pointer"] == "/resources/0/name"
            && d["related"][0]["filename"] == "policy.json"),
        "{findings:#?}"
    );
    let bad_policy = ctelint(p, &["delete-check", "--policies", "missing.json", "keys.json"], None);
    assert_eq!(bad_policy.code, 2, "{}", bad_policy.transcript());
}

#[test]
fn schema_is_printed_compiles_and_accepts_the_vendor_sample() {
    let dir = workspace(None);
    let run = ctelint(dir.path(), &["schema"], None);
    assert_eq!(run.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(
        run.stdout,
        fs::read_to_string(crate::support::root().join("schemas/keys2-create.schema.json")).unwrap()
    );
    assert_eq!(
        ctelint::schema::check_compiles(),
        Ok(()),
        "the embedded schema must compile"
    );
    let sample = crate::cli::vendor_sample();
    let document = ctelint::json::parse(&sample, ctelint::json::ParseOptions::STRICT).unwrap();
    assert_eq!(ctelint::schema::validate(&document.root), []);
}
