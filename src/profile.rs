//! Profiles: what a CTE key must look like for the policy and GuardPoint it is for (SPEC §3).

use std::fmt;

/// The policy or GuardPoint type a key is created for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Profile {
    /// Standard policies: the vendor page's requirements.
    #[default]
    Standard,
    /// Efficient Storage GuardPoints (Standard or IDT policy).
    Esg,
    /// The transformation key of a Live Data Transformation policy.
    Ldt,
    /// In-place Data Transformation policies.
    Idt,
    /// Cloud Object Storage policies.
    Cos,
}

/// The `encryption_mode` values CTE knows.
pub const MODES: [&str; 3] = ["CBC", "CBC_CS1", "XTS"];

/// The group every CTE key must share Read Key and Export Key with.
pub const CTE_CLIENTS: &str = "CTE Clients";
/// The group ESG keys must also share Read Key and Export Key with.
pub const KEY_USERS: &str = "Key Users";

impl Profile {
    /// Every profile, in documentation order.
    pub const ALL: [Profile; 5] = [Self::Standard, Self::Esg, Self::Ldt, Self::Idt, Self::Cos];

    /// The name used on the command line and in config.
    pub fn name(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Esg => "esg",
            Self::Ldt => "ldt",
            Self::Idt => "idt",
            Self::Cos => "cos",
        }
    }

    /// Parses a profile name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// What the profile is for, in a few words.
    pub fn purpose(self) -> &'static str {
        match self {
            Self::Standard => "Standard policies",
            Self::Esg => "Efficient Storage GuardPoints",
            Self::Ldt => "the transformation key of an LDT policy",
            Self::Idt => "In-place Data Transformation policies",
            Self::Cos => "Cloud Object Storage policies",
        }
    }

    /// The `encryption_mode` values the profile allows.
    pub fn modes(self) -> &'static [&'static str] {
        match self {
            Self::Standard | Self::Cos => &["CBC_CS1"],
            Self::Ldt => &["CBC", "CBC_CS1"],
            Self::Esg | Self::Idt => &["XTS"],
        }
    }

    /// The `cte_versioned` value the profile requires.
    pub fn versioned(self) -> bool {
        self == Self::Ldt
    }

    /// Whether keys need `xts: true` (and so 256 bits).
    pub fn xts(self) -> bool {
        matches!(self, Self::Esg | Self::Idt)
    }

    /// Groups that need Read Key and Export Key.
    pub fn groups(self) -> &'static [&'static str] {
        match self {
            Self::Esg => &[CTE_CLIENTS, KEY_USERS],
            _ => &[CTE_CLIENTS],
        }
    }

    /// The profile whose requirements a key with this mode and versioning would fit, other than
    /// `self`, for "pick another profile" hints.
    pub fn suggest(self, mode: Option<&str>, versioned: Option<bool>) -> Option<Self> {
        Self::ALL
            .into_iter()
            .filter(|&p| p != self)
            .find(|p| mode.is_none_or(|m| p.modes().contains(&m)) && versioned.is_none_or(|v| p.versioned() == v))
    }

    /// "profile `standard` (Standard policies)": how messages name the profile in force.
    pub fn describe(self) -> String {
        format!("profile `{}` ({})", self.name(), self.purpose())
    }

    /// The help text that says how to pick `other` for this file.
    pub fn switch_hint(other: Self) -> String {
        format!(
            "if this key is for {}, lint it with `--profile {}` (or `profile = \"{}\"` in ctelint.toml for its path)",
            other.purpose(),
            other.name(),
            other.name()
        )
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
