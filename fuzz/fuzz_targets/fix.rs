//! Parse + lint + fix: on valid UTF-8 that parses (strict JSON, or JSONC when strict fails),
//! apply every fix of every rule (`FixPolicy::everything()`) and check the promises of SPEC §11:
//! the fixer does not fail (a failure means a rule offered a fix that breaks the document,
//! changes bytes outside its edits, or cycles), the result parses in the same dialect, and a
//! second run applies nothing.

#![no_main]

use std::sync::OnceLock;

use ctelint::fix::fixer::{self, FixPolicy};
use ctelint::json::{self, ParseOptions};
use ctelint::profile::Profile;
use ctelint::settings::{Selection, Selector, Settings};
use libfuzzer_sys::fuzz_target;

const PROFILES: [Profile; 5] = [Profile::Standard, Profile::Esg, Profile::Ldt, Profile::Idt, Profile::Cos];

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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (name, dialect) = if json::parse(text, ParseOptions::STRICT).is_ok() {
        ("key.json", ParseOptions::STRICT)
    } else if json::parse(text, ParseOptions::JSONC).is_ok() {
        ("key.jsonc", ParseOptions::JSONC)
    } else {
        return;
    };
    let settings = &settings()[data.len() % PROFILES.len()];
    let policy = FixPolicy::everything();
    let first = fixer::fix(name, text, dialect, settings, &policy);
    assert!(first.failure.is_none(), "the fixer failed: {}", first.failure.unwrap_or_default());
    if let Err(error) = json::parse(&first.text, dialect) {
        panic!("the fixed text does not parse: {error:?}\n{}", first.text);
    }
    if first.applied.is_empty() {
        assert_eq!(first.text, text, "nothing applied, yet the text changed");
        return;
    }
    let second = fixer::fix(name, &first.text, dialect, settings, &policy);
    assert!(second.failure.is_none(), "the second fix run failed: {}", second.failure.unwrap_or_default());
    let codes: Vec<&str> = second.applied.iter().map(|a| a.code).collect();
    assert!(
        second.applied.is_empty(),
        "a second fix run applied {codes:?}\nfirst result:\n{}",
        first.text
    );
});
