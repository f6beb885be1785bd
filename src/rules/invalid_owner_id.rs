use super::shared::concrete_str;
use crate::diagnostic::Severity;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.ownerId` is empty, has no `connection|id` separator, or is `local|` followed by
    /// something that is not a UUID (a warning; an empty id is an error).
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager user ids look like `local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c`:
    /// the connection, a pipe, and the user's id. A user name such as `admin` or
    /// `local|admin` is not an id, and the key ends up owned by nobody the author meant.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|admin"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: look the id up with `GET /v1/usermgmt/users`.
    pub(crate) struct InvalidOwnerId {
        code: "CTE502",
        name: "invalid-owner-id",
        severity: Warning,
        fix: None,
    }
}

impl Check for InvalidOwnerId {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.member(&["meta", "ownerId"]) else {
            return;
        };
        let Some(owner) = concrete_str(&member.value) else {
            return;
        };
        let (message, severity) = if owner.trim().is_empty() {
            ("`ownerId` is empty: the key would have no owner".to_owned(), Severity::Error)
        } else if !owner.contains('|') {
            (format!("`ownerId` is `{owner}`, which looks like a user name: a user id has the form `connection|id`"), Severity::Warning)
        } else if let Some(id) = owner.strip_prefix("local|")
            && !is_uuid(id)
        {
            (format!("`ownerId` is `{owner}`: local user ids are `local|` followed by a UUID"), Severity::Warning)
        } else {
            return;
        };
        cx.report(request.at(&["meta", "ownerId"]), member.value.span, message)
            .label("not a user id")
            .help("use the owner's user id, such as `local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c` (`GET /v1/usermgmt/users` lists them)")
            .severity(severity);
    }
}

/// `8-4-4-4-12` hexadecimal digits: 36 bytes, dashes at 8, 13, 18 and 23, hex digits between.
fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::is_uuid;
    use crate::testing::Rng;

    /// The byte check says what splitting at dashes says: five groups of 8, 4, 4, 4 and 12 hex
    /// digits. Texts of hex digits, dashes and a few other bytes, around 36 bytes long.
    #[test]
    fn a_uuid_is_five_groups_of_hex_digits() {
        let by_groups = |text: &str| {
            let groups: Vec<&str> = text.split('-').collect();
            groups.len() == 5
                && groups
                    .iter()
                    .zip([8, 4, 4, 4, 12])
                    .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        let mut rng = Rng(0x00C0_FFEE);
        let mut uuids = 0;
        for _ in 0..50_000 {
            let mut text: Vec<char> = "f02d8ec9-34dd-42fd-99e7-85cb7f18180c".chars().collect();
            for _ in 0..rng.below(3) {
                let at = rng.below(text.len() + 1);
                let c = ['-', 'a', 'F', '0', 'g', ' ', 'é'][rng.below(7)];
                match rng.below(3) {
                    0 => text.insert(at, c),
                    1 if at < text.len() => text[at] = c,
                    _ if at < text.len() => drop(text.remove(at)),
                    _ => {}
                }
            }
            let text: String = text.into_iter().collect();
            assert_eq!(is_uuid(&text), by_groups(&text), "{text:?}");
            uuids += usize::from(by_groups(&text));
        }
        assert!(uuids > 5_000 && uuids < 45_000, "{uuids} of the texts are UUIDs");
    }
}
