use super::shared::concrete_str;
use crate::fix::{Fix, edits};
use crate::profile::MODES;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.cte.encryption_mode` is not one of `CBC`, `CBC_CS1` or `XTS`.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager stores `meta` as given, so a misspelt mode is accepted and the key
    /// reaches the CTE agent with a mode it does not know.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "cbc-cs1"}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1"}}}
    /// ```
    ///
    /// ## Fix safety
    /// Safe for spelling variants of a known mode (`cbc_cs1`, `CBC-CS1`, `CBCCS1`, `cbc`,
    /// `xts`): the meaning is unambiguous. Other values have no fix.
    pub(crate) struct InvalidEncryptionMode {
        code: "CTE207",
        name: "invalid-encryption-mode",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for InvalidEncryptionMode {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.member(&["meta", "cte", "encryption_mode"]) else {
            return;
        };
        let Some(mode) = concrete_str(&member.value) else {
            return;
        };
        if MODES.contains(&mode) {
            return;
        }
        let canonical = canonical_mode(mode);
        let diagnostic = cx.report(
            request.at(&["meta", "cte", "encryption_mode"]),
            member.value.span,
            format!("`encryption_mode` is `{mode}`: CTE knows only `CBC`, `CBC_CS1` and `XTS`"),
        );
        diagnostic.label("unknown mode");
        match canonical {
            Some(canonical) => {
                diagnostic.help(format!("write it as `\"{canonical}\"`")).fix(Fix::safe(
                    format!("replace `{mode}` with `{canonical}`"),
                    vec![edits::replace_value(&member.value, edits::json_string(canonical))],
                ));
            }
            None => {
                diagnostic.help("use `CBC_CS1` (Standard and COS policies), `CBC` or `CBC_CS1` (LDT), or `XTS` (IDT and ESG)");
            }
        }
    }
}

/// The mode a spelling variant stands for: case, `-` or missing `_` aside.
fn canonical_mode(mode: &str) -> Option<&'static str> {
    let folded: String = mode.trim().chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_uppercase).collect();
    match folded.as_str() {
        "CBC" => Some("CBC"),
        "CBCCS1" => Some("CBC_CS1"),
        "XTS" => Some("XTS"),
        _ => None,
    }
}
