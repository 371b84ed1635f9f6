//! The next version of the generated crate, from what a release changes
//! for its users, by Cargo's semver rules: a version `^x.y.z` requirement
//! accepts a compatible release and refuses a breaking one.
//!
//! * From `1.0.0` on, a breaking change raises the major version, an
//!   addition the minor, a fix (here: documentation only) the patch.
//! * Before `1.0.0` Cargo treats the leftmost non-zero component as the
//!   major one: a breaking change raises `y` of `0.y.z`, and an addition
//!   or a fix raises `z`. (`0.0.z` is a special case for Cargo, where every
//!   release is breaking; raising `y` or `z` of it is breaking, so the same
//!   rule still never ships a breaking change as a compatible one.)

use crate::spec_diff::Changelog;
use semver::Version;

/// What a release changes for code using the crate, least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Nothing the API portion's diff sees.
    Nothing,
    /// Only descriptions, which become rustdoc.
    Descriptions,
    /// Additions and other changes that keep existing code compiling.
    Compatible,
    /// A change that may stop existing code compiling.
    Breaking,
}

impl Impact {
    /// The impact of a spec diff: its most serious change.
    pub fn of(changelog: &Changelog) -> Impact {
        if !changelog.breaking.is_empty() {
            Impact::Breaking
        } else if !changelog.non_breaking.is_empty() {
            Impact::Compatible
        } else if changelog.description_only > 0 {
            Impact::Descriptions
        } else {
            Impact::Nothing
        }
    }
}

/// A component of the version to raise, as `--bump` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

/// The component that Cargo's rules require raising for `impact`, if any.
pub fn required(version: &Version, impact: Impact) -> Option<Bump> {
    let stable = version.major > 0;
    match impact {
        Impact::Nothing => None,
        Impact::Descriptions => Some(Bump::Patch),
        Impact::Compatible if stable => Some(Bump::Minor),
        Impact::Compatible => Some(Bump::Patch),
        Impact::Breaking if stable => Some(Bump::Major),
        Impact::Breaking => Some(Bump::Minor),
    }
}

/// The next version after `version`: the larger of the bump `impact`
/// requires and the one `requested` (a requested bump raises, never
/// lowers). `None` when neither asks for a release.
pub fn next(version: &Version, impact: Impact, requested: Option<Bump>) -> Option<Version> {
    let bump = required(version, impact).max(requested)?;
    let (major, minor, patch) = (version.major, version.minor, version.patch);
    Some(match bump {
        Bump::Major => Version::new(major + 1, 0, 0),
        Bump::Minor => Version::new(major, minor + 1, 0),
        Bump::Patch => Version::new(major, minor, patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use semver::VersionReq;
    use Impact::*;

    /// The semver table, written out from the Cargo book's "SemVer
    /// Compatibility" chapter: (current, impact, requested, next).
    const TABLE: &[(&str, Impact, Option<Bump>, Option<&str>)] = &[
        // 0.y.z: y is the breaking component, z the compatible one.
        ("0.1.0", Breaking, None, Some("0.2.0")),
        ("0.1.3", Breaking, None, Some("0.2.0")),
        ("0.1.3", Compatible, None, Some("0.1.4")),
        ("0.1.3", Descriptions, None, Some("0.1.4")),
        ("0.1.3", Nothing, None, None),
        ("0.0.3", Breaking, None, Some("0.1.0")),
        ("0.0.3", Compatible, None, Some("0.0.4")),
        // From 1.0.0: major, minor, patch.
        ("1.2.3", Breaking, None, Some("2.0.0")),
        ("1.2.3", Compatible, None, Some("1.3.0")),
        ("1.2.3", Descriptions, None, Some("1.2.4")),
        ("1.2.3", Nothing, None, None),
        // --bump raises the computed bump...
        ("0.1.3", Nothing, Some(Bump::Patch), Some("0.1.4")),
        ("0.1.3", Nothing, Some(Bump::Minor), Some("0.2.0")),
        ("0.1.3", Compatible, Some(Bump::Major), Some("1.0.0")),
        ("1.2.3", Descriptions, Some(Bump::Minor), Some("1.3.0")),
        ("1.2.3", Nothing, Some(Bump::Major), Some("2.0.0")),
        // ...and never lowers it.
        ("0.1.3", Breaking, Some(Bump::Patch), Some("0.2.0")),
        ("1.2.3", Breaking, Some(Bump::Minor), Some("2.0.0")),
        ("1.2.3", Compatible, Some(Bump::Patch), Some("1.3.0")),
    ];

    #[test]
    fn next_version_follows_the_semver_table() {
        for &(current, impact, requested, expected) in TABLE {
            let current = Version::parse(current).unwrap();
            let got = next(&current, impact, requested).map(|v| v.to_string());
            assert_eq!(
                got.as_deref(),
                expected,
                "{current} {impact:?} --bump {requested:?}"
            );
        }
    }

    /// Cargo's own rule, through the `semver` crate Cargo resolves with:
    /// a user's `^current` requirement takes every compatible or
    /// documentation release and refuses every breaking one.
    #[test]
    fn a_caret_requirement_accepts_exactly_the_compatible_releases() {
        for &(current, impact, requested, _) in TABLE {
            let version = Version::parse(current).unwrap();
            let Some(next) = next(&version, impact, requested) else {
                continue;
            };
            let accepted = VersionReq::parse(&format!("^{current}"))
                .unwrap()
                .matches(&next);
            if impact == Breaking {
                assert!(!accepted, "{current} -> {next} must be breaking");
            }
            // (0.0.z is Cargo's exception: there every release breaks.)
            let zero_zero = version.major == 0 && version.minor == 0;
            if requested.is_none() && impact != Breaking && !zero_zero {
                assert!(accepted, "{current} -> {next} must stay compatible");
            }
        }
    }

    #[test]
    fn impact_is_the_most_serious_change_of_the_diff() {
        use crate::spec_diff::SpecInfo;
        let info = SpecInfo {
            spec: "v1".into(),
            api_version: "2020-01-01".into(),
            portion_present: true,
        };
        let empty = Changelog {
            portion: "identity".into(),
            old: info.clone(),
            new: info,
            breaking: Vec::new(),
            non_breaking: Vec::new(),
            description_only: 0,
        };
        assert_eq!(Impact::of(&empty), Nothing);
        let docs = Changelog {
            description_only: 2,
            ..empty.clone()
        };
        assert_eq!(Impact::of(&docs), Descriptions);
    }
}
