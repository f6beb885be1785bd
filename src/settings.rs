//! Resolved settings for one file: the profile, the enabled rules and their severities, built
//! from `--select`/`--extend-select`/`--ignore` selectors (codes, names, prefixes, `ALL`).

use crate::diagnostic::Severity;
use crate::profile::Profile;
use crate::rule::{Rule, RuleMeta, Scope};
use crate::rules;

/// One selector: `ALL`, a code prefix (`CTE4`), a code (`CTE402`) or a name
/// (`cte-clients-cannot-read`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// Every rule.
    All,
    /// Every rule whose code starts with the prefix.
    Prefix(String),
    /// One rule.
    Rule(&'static str),
}

impl Selector {
    /// Parses a selector.
    ///
    /// # Errors
    ///
    /// When no rule has that code, name or code prefix.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "ALL" {
            return Ok(Self::All);
        }
        if let Some(meta) = rules::find(text) {
            return Ok(Self::Rule(meta.code));
        }
        let upper = text.to_ascii_uppercase();
        if upper.starts_with("CTE") && text == upper && rules::all().any(|rule| rule.meta().code.starts_with(text)) {
            return Ok(Self::Prefix(text.to_owned()));
        }
        Err(format!(
            "unknown rule selector `{text}`: expected a rule code (`CTE203`), a rule name (`unexportable-key`), a code prefix (`CTE2`) or `ALL`; `ctelint rules` lists them"
        ))
    }

    /// Whether the selector covers `meta`.
    pub fn matches(&self, meta: &RuleMeta) -> bool {
        match self {
            Self::All => true,
            Self::Prefix(prefix) => meta.code.starts_with(prefix.as_str()),
            Self::Rule(code) => meta.code == *code,
        }
    }
}

/// Which rules run, as the user said it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Replaces the default set when given.
    pub select: Option<Vec<Selector>>,
    /// Added to the set.
    pub extend_select: Vec<Selector>,
    /// Removed from the set.
    pub ignore: Vec<Selector>,
}

impl Selection {
    /// Whether the selection enables `meta`.
    pub fn enables(&self, meta: &RuleMeta) -> bool {
        let selected = match &self.select {
            Some(selectors) => selectors.iter().any(|s| s.matches(meta)),
            None => meta.default_enabled,
        };
        (selected || self.extend_select.iter().any(|s| s.matches(meta))) && !self.ignore.iter().any(|s| s.matches(meta))
    }
}

/// Everything the linter needs to know to lint one file.
#[derive(Clone)]
pub struct Settings {
    /// The profile in force.
    pub profile: Profile,
    enabled: Vec<&'static dyn Rule>,
    severities: Vec<(&'static str, Severity)>,
}

impl Settings {
    /// Settings from a profile, a selection and per-rule severity overrides (by code).
    pub fn new(profile: Profile, selection: &Selection, severities: Vec<(&'static str, Severity)>) -> Self {
        Self::for_scope(Scope::Create, profile, selection, severities)
    }
    /// Settings from selections applied in order (config, per-file ignores, overrides, the
    /// command line): each `select` replaces the set, `extend-select` adds, `ignore` removes.
    pub fn layered(
        scope: Scope,
        profile: Profile,
        layers: &[&Selection],
        severities: Vec<(&'static str, Severity)>,
    ) -> Self {
        let all: Vec<&'static dyn Rule> = rules::all().collect();
        let in_scope: Vec<bool> = all
            .iter()
            .map(|rule| matches!(rule.meta().scope, s if s == scope || s == Scope::Any))
            .collect();
        let mut on: Vec<bool> = all.iter().map(|rule| rule.meta().default_enabled).collect();
        for layer in layers {
            for (i, rule) in all.iter().enumerate() {
                let meta = rule.meta();
                if let Some(select) = &layer.select {
                    on[i] = select.iter().any(|s| s.matches(meta));
                }
                if layer.extend_select.iter().any(|s| s.matches(meta)) {
                    on[i] = true;
                }
                if layer.ignore.iter().any(|s| s.matches(meta)) {
                    on[i] = false;
                }
            }
        }
        let enabled = all
            .iter()
            .zip(on.iter().zip(&in_scope))
            .filter(|(_, (on, scope))| **on && **scope)
            .map(|(r, _)| *r)
            .collect();
        Self {
            profile,
            enabled,
            severities,
        }
    }

    /// Settings for the rules of one command.
    pub fn for_scope(
        scope: Scope,
        profile: Profile,
        selection: &Selection,
        severities: Vec<(&'static str, Severity)>,
    ) -> Self {
        let enabled = rules::all()
            .filter(|rule| {
                matches!(rule.meta().scope, s if s == scope || s == Scope::Any) && selection.enables(rule.meta())
            })
            .collect();
        Self {
            profile,
            enabled,
            severities,
        }
    }

    /// The default rules under `profile`.
    pub fn for_profile(profile: Profile) -> Self {
        Self::new(profile, &Selection::default(), Vec::new())
    }

    /// Only `rule`, under `profile`: what the fixture harness runs.
    pub fn for_rule(profile: Profile, rule: &'static RuleMeta) -> Self {
        let selection = Selection {
            select: Some(vec![Selector::Rule(rule.code)]),
            ..Selection::default()
        };
        Self::for_scope(rule.scope, profile, &selection, Vec::new())
    }

    /// Settings that run exactly `rules` (tests that need a rule outside the registry).
    #[cfg(test)]
    pub(crate) fn from_rules(profile: Profile, rules: Vec<&'static dyn Rule>) -> Self {
        Self {
            profile,
            enabled: rules,
            severities: Vec::new(),
        }
    }

    /// The enabled rules, in registry order.
    pub fn rules(&self) -> &[&'static dyn Rule] {
        &self.enabled
    }

    /// Whether `meta` is enabled.
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        self.enabled.iter().any(|rule| rule.meta().code == meta.code)
    }

    /// The configured severity of `meta`, when one was set.
    pub fn severity_override(&self, meta: &RuleMeta) -> Option<Severity> {
        self.severities
            .iter()
            .find(|(code, _)| *code == meta.code)
            .map(|(_, severity)| *severity)
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let codes: Vec<&str> = self.enabled.iter().map(|rule| rule.meta().code).collect();
        f.debug_struct("Settings")
            .field("profile", &self.profile)
            .field("enabled", &codes)
            .field("severities", &self.severities)
            .finish()
    }
}
