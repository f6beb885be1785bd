//! Parse + lint any bytes, in strict JSON and in JSONC, with every rule selected, then render
//! the findings as a user would see them (secrets masked; every format, the JSON, SARIF and
//! GitLab parts parsed back as JSON): the checks of `ctelint::selfcheck::lint`.
//!
//! Beyond "no panic", it checks what every finding must satisfy: spans inside the text and on
//! character boundaries, and no rule reported as an internal error (rules run under
//! `catch_unwind`, so a rule panic would otherwise only show up as a finding; libFuzzer's panic
//! hook aborts on it anyway).

#![no_main]

use ctelint::selfcheck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The profile is a function of the input, so that a crash reproduces from its file alone.
    selfcheck::lint(data, selfcheck::every_rule(data.len()));
});
