use crate::delete::{is_cte_key, record_anchor, record_label};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `delete-check`: data encrypted under the key becomes unrecoverable; for a versioned
    /// (LDT) key, every version goes.
    ///
    /// ## Why is this bad?
    /// Deleting a CTE key destroys the only way to decrypt the GuardPoints it protected,
    /// unless the key is backed up. An LDT key takes all its versions with it, including old
    /// ones that data not yet rekeyed still needs. Archiving or deactivating the key is
    /// reversible; deleting is not.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"id": "4b5c", "name": "ldt-key", "meta": {"cte": {"cte_versioned": true}}}
    /// ```
    /// ```json,valid
    /// {"id": "4b5c", "name": "not-a-cte-key"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: back the key up, or decrypt the data first (for LDT, clone the current version
    /// into a non-versioned key and transform the GuardPoint to it).
    pub(crate) struct DeleteDestroysData {
        code: "CTE614",
        name: "delete-destroys-data",
        severity: Warning,
        fix: None,
        scope: Delete,
    }
}

impl Check for DeleteDestroysData {
    fn check_record(&self, record: &Request<'_>, cx: &mut Context<'_>) {
        if !is_cte_key(record) {
            return;
        }
        let label = record_label(record);
        let (pointer, span) = record_anchor(record);
        let message = if record.versioned() == Some(true) {
            format!("deleting the versioned (LDT) key {label} deletes every version: data under any of them becomes unrecoverable")
        } else {
            format!("deleting the CTE key {label} makes the data encrypted under it unrecoverable")
        };
        cx.report(pointer, span, message)
            .label("data under this key")
            .help("back the key up or decrypt its GuardPoints first; archiving or deactivating is reversible");
    }
}
