use crate::delete::{CTE_ADMINS, KEY_ADMINS, is_cte_key, record_anchor, record_label};
use crate::diagnostic::Severity;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `delete-check`: deleting a CTE key needs the `CTE Admins` and `Key Admins` groups (an
    /// error when `--as-groups` lacks one, information otherwise).
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses the DELETE of a CTE key from a user who is not in both
    /// groups. Without `--as-groups` ctelint cannot tell, so it says what the DELETE will need.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"id": "4b5c", "name": "disk-key", "meta": {"cte": {"cte_versioned": false}}}
    /// ```
    /// ```json,valid
    /// {"id": "4b5c", "name": "not-a-cte-key", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: run the deletion as a member of both groups.
    pub(crate) struct DeleteNeedsAdminGroups {
        code: "CTE613",
        name: "delete-needs-admin-groups",
        severity: Error,
        fix: None,
        scope: Delete,
    }
}

impl Check for DeleteNeedsAdminGroups {
    fn check_record(&self, record: &Request<'_>, cx: &mut Context<'_>) {
        if !is_cte_key(record) {
            return;
        }
        let label = record_label(record);
        let (pointer, span) = record_anchor(record);
        let groups = cx.deletion().and_then(|d| d.groups.clone());
        let Some(groups) = groups else {
            cx.report(pointer, span, format!("deleting the CTE key {label} needs a user in both `CTE Admins` and `Key Admins`"))
                .label("needs CTE Admins and Key Admins")
                .help("pass the deleting user's groups with `--as-groups` to check them")
                .severity(Severity::Info);
            return;
        };
        let missing: Vec<&str> = [CTE_ADMINS, KEY_ADMINS].into_iter().filter(|g| !groups.iter().any(|have| have == g)).collect();
        if missing.is_empty() {
            return;
        }
        let missing_text: Vec<String> = missing.iter().map(|g| format!("`{g}`")).collect();
        cx.report(pointer, span, format!("deleting the CTE key {label} will be refused: the user is not in {}", missing_text.join(" and ")))
            .label("needs CTE Admins and Key Admins")
            .help("run the deletion as a user in both `CTE Admins` and `Key Admins`");
    }
}
