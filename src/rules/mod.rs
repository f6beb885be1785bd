//! The rule registry: one module per rule, listed once in [`register_rules!`]; the order of the
//! list is the order of the documentation. Helpers shared by several rules live in `shared`.

mod shared;

use crate::rule::{Rule, RuleMeta, RuleMetadata};

macro_rules! register_rules {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every rule, in code order.
        static ALL: &[&dyn Rule] = &[$(&$module::$rule),*];
    };
}

register_rules! {
    io_error::IoError,
    invalid_json::InvalidJson,
    duplicate_member::DuplicateMember,
    suspicious_string::SuspiciousString,
    byte_order_mark::ByteOrderMark,
    template_expression::TemplateExpression,
    unknown_member::UnknownMember,
    wrong_type::WrongType,
    invalid_value::InvalidValue,
    server_managed_member::ServerManagedMember,
    conflicting_members::ConflictingMembers,
    invalid_key_name::InvalidKeyName,
    key_name_whitespace::KeyNameWhitespace,
    missing_key_name::MissingKeyName,
    invalid_usage_mask::InvalidUsageMask,
    invalid_labels::InvalidLabels,
    deprecated_default_iv::DeprecatedDefaultIv,
    patch_only_member::PatchOnlyMember,
    unsupported_algorithm::UnsupportedAlgorithm,
    unsupported_key_size::UnsupportedKeySize,
    unexportable_key::UnexportableKey,
    missing_cte_metadata::MissingCteMetadata,
    misplaced_cte_member::MisplacedCteMember,
    missing_cte_member::MissingCteMember,
    invalid_encryption_mode::InvalidEncryptionMode,
    non_symmetric_object_type::NonSymmetricObjectType,
    client_set_is_used::ClientSetIsUsed,
    versioned_key_flag_confusion::VersionedKeyFlagConfusion,
    versioned_key_not_allowed::VersionedKeyNotAllowed,
    encryption_mode_not_allowed::EncryptionModeNotAllowed,
    unversioned_ldt_key::UnversionedLdtKey,
    xts_flag_mismatch::XtsFlagMismatch,
    xts_key_size::XtsKeySize,
    rotation_on_unversioned_key::RotationOnUnversionedKey,
    missing_permissions::MissingPermissions,
    cte_clients_cannot_read::CteClientsCannotRead,
    cte_clients_cannot_export::CteClientsCannotExport,
    key_users_missing::KeyUsersMissing,
    unknown_permission::UnknownPermission,
    invalid_group_list::InvalidGroupList,
    group_name_typo::GroupNameTypo,
    duplicate_group::DuplicateGroup,
    excess_cte_clients_grant::ExcessCteClientsGrant,
    broad_export_grant::BroadExportGrant,
    missing_owner_id::MissingOwnerId,
    invalid_owner_id::InvalidOwnerId,
    misplaced_owner_or_permissions::MisplacedOwnerOrPermissions,
    unusable_state::UnusableState,
    undeletable_key::UndeletableKey,
    delete_undeletable_key::DeleteUndeletableKey,
    delete_key_in_use::DeleteKeyInUse,
    delete_needs_admin_groups::DeleteNeedsAdminGroups,
    delete_destroys_data::DeleteDestroysData,
    key_material_in_file::KeyMaterialInFile,
    secret_in_file::SecretInFile,
    duplicate_key_name::DuplicateKeyName,
    reserved_key_name::ReservedKeyName,
    unused_suppression::UnusedSuppression,
}

pub(crate) use server_managed_member::SERVER_MANAGED;

/// CTE000, reported by file selection rather than by a check.
pub(crate) const IO_ERROR: &RuleMeta = io_error::IoError::META;
/// CTE901, reported by the suppression and baseline pass.
pub(crate) const UNUSED_SUPPRESSION: &RuleMeta = unused_suppression::UnusedSuppression::META;
/// CTE001, reported by the linter when a text does not parse.
pub(crate) const INVALID_JSON: &RuleMeta = invalid_json::InvalidJson::META;

/// Every rule, in code order.
pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    ALL.iter().copied()
}

/// The rule with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all()
        .map(Rule::meta)
        .find(|meta| meta.code == code_or_name || meta.name == code_or_name)
}
