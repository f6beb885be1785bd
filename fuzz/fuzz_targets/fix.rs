//! Parse + lint + fix: on valid UTF-8 that parses (strict JSON, or JSONC when strict fails),
//! apply every fix of every rule (`FixPolicy::everything()`) and check the promises of SPEC §11
//! (`ctelint::selfcheck::fix`): the fixer does not fail (a failure means a rule offered a fix
//! that breaks the document, changes bytes outside its edits, or cycles), the result parses in
//! the same dialect, and a second run applies nothing.

#![no_main]

use ctelint::selfcheck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    selfcheck::fix(text, selfcheck::every_rule(data.len()));
});
