//! Rule documentation is honest: the required sections exist, and every `json,invalid` example
//! fires its rule while every `json,valid` example does not.

use ctelint::delete::Deletion;
use ctelint::json::ParseOptions;
use ctelint::linter;
use ctelint::profile::Profile;
use ctelint::rule::Scope;
use ctelint::rules;
use ctelint::settings::Settings;

/// A fenced example of a rule's documentation.
struct Example {
    invalid: bool,
    profile: Profile,
    bom: bool,
    text: String,
}

fn examples(docs: &str) -> (Vec<Example>, usize) {
    let mut out = Vec::new();
    let mut ignored = 0;
    let mut lines = docs.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```json") else {
            continue;
        };
        let tags: Vec<&str> = info.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
        let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        if tags.contains(&"ignore") {
            ignored += 1;
            continue;
        }
        let profile = tags
            .iter()
            .find_map(|t| t.strip_prefix("profile_"))
            .map_or(Profile::Standard, |p| Profile::parse(p).unwrap());
        out.push(Example {
            invalid: tags.contains(&"invalid"),
            profile,
            bom: tags.contains(&"bom"),
            text: body.join("\n"),
        });
    }
    (out, ignored)
}

#[test]
fn rule_docs_have_the_required_sections() {
    for rule in rules::all() {
        let meta = rule.meta();
        let docs = meta.documentation();
        assert!(
            !meta.summary().is_empty() && !meta.summary().starts_with('#'),
            "{}: no summary line",
            meta.code
        );
        for section in ["## Why is this bad?", "## Examples", "## Fix safety"] {
            assert!(docs.contains(section), "{}: documentation lacks `{section}`", meta.code);
        }
    }
}

#[test]
fn documented_examples_behave_as_documented() {
    for rule in rules::all() {
        let meta = rule.meta();
        let (examples, ignored) = examples(meta.docs);
        let invalid = examples.iter().filter(|e| e.invalid).count();
        assert!(invalid > 0 || ignored > 0, "{}: no `json,invalid` example", meta.code);
        assert!(
            examples.iter().any(|e| !e.invalid) || ignored > 0,
            "{}: no `json,valid` example",
            meta.code
        );
        for example in examples {
            let settings = Settings::for_rule(example.profile, meta);
            let text = if example.bom {
                format!("\u{feff}{}", example.text)
            } else {
                example.text.clone()
            };
            let result = if meta.scope == Scope::Delete {
                linter::lint_records("example.json", text.as_bytes(), &settings, &Deletion::default())
            } else {
                linter::lint_alone("example.json", text.as_bytes(), ParseOptions::STRICT, &settings)
            };
            let fired = result.diagnostics.iter().filter(|d| d.rule.code == meta.code).count();
            if example.invalid {
                assert!(
                    fired > 0,
                    "{}: documented invalid example does not fire:\n{}",
                    meta.code,
                    example.text
                );
            } else {
                assert_eq!(
                    fired, 0,
                    "{}: documented valid example fires:\n{}",
                    meta.code, example.text
                );
            }
        }
    }
}
