//! Parse + lint any bytes, in strict JSON and in JSONC, with every rule selected, then render
//! the findings as a user would see them (secrets masked; graphical, JSON, SARIF and GitLab
//! reports, the last three parsed back as JSON).
//!
//! Beyond "no panic", it checks what every finding must satisfy: spans inside the text and on
//! character boundaries, and no rule reported as an internal error (rules run under
//! `catch_unwind`, so a rule panic would otherwise only show up as a finding; libFuzzer's panic
//! hook aborts on it anyway).

#![no_main]

use std::sync::OnceLock;

use ctelint::fix::fixer::FixPolicy;
use ctelint::json::ParseOptions;
use ctelint::linter::{self, FileResult};
use ctelint::output::{self, FileReport, Format, Style};
use ctelint::profile::Profile;
use ctelint::settings::{Selection, Selector, Settings};
use libfuzzer_sys::fuzz_target;

const PROFILES: [Profile; 5] = [Profile::Standard, Profile::Esg, Profile::Ldt, Profile::Idt, Profile::Cos];

/// Every rule, under each profile.
fn settings() -> &'static [Settings] {
    static SETTINGS: OnceLock<Vec<Settings>> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let selection = Selection {
            select: Some(vec![Selector::All]),
            ..Default::default()
        };
        PROFILES.iter().map(|&p| Settings::new(p, &selection, Vec::new())).collect()
    })
}

fn check(result: &FileResult) {
    assert!(result.internal_errors.is_empty(), "rules panicked: {:?}", result.internal_errors);
    let text = result.source.text();
    for d in &result.diagnostics {
        let spans = std::iter::once(d.span)
            .chain(d.related.iter().map(|l| l.span))
            .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span)));
        for span in spans {
            assert!(span.start <= span.end, "{}: inverted span {span:?}", d.rule.code);
            assert!(span.end as usize <= text.len(), "{}: span {span:?} past the end", d.rule.code);
            assert!(
                text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
                "{}: span {span:?} splits a character",
                d.rule.code
            );
        }
    }
    let (source, diagnostics) = result.shown();
    let report = FileReport { source, diagnostics };
    let style = Style {
        color: false,
        width: 80,
        policy: FixPolicy::safe(),
    };
    for format in [Format::Full, Format::Json] {
        let mut out = Vec::new();
        output::write(&mut out, format, &[&report], &style).expect("writing to a Vec cannot fail");
    }
    // The file's part of each report made of JSON array elements (not the SARIF log around it,
    // which is the same for every file and slow to print) is elements of an array.
    for format in [Format::Json, Format::Sarif, Format::Gitlab] {
        let part = format.render(&report, &style).concat();
        let array = [b"[".as_slice(), &part, b"]"].concat();
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&array) {
            panic!("the {format:?} part is not JSON ({e}):\n{}", String::from_utf8_lossy(&array));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // The profile is a function of the input, so that a crash reproduces from its file alone.
    let settings = &settings()[data.len() % PROFILES.len()];
    for (name, dialect) in [("key.json", ParseOptions::STRICT), ("key.jsonc", ParseOptions::JSONC)] {
        let result = linter::lint_bytes(name, data, dialect, settings);
        check(&result);
    }
});
