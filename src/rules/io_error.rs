use crate::rule::{Check, declare_rule};

declare_rule! {
    /// A selected file cannot be read, is over the size limit, or is a broken link.
    ///
    /// ## Why is this bad?
    /// A key request that cannot be read cannot be checked. The run goes on with the other files
    /// and reports this one, so a pre-commit hook or CI job never passes by silently skipping it.
    ///
    /// Files larger than `--max-file-size` (16 MiB by default) are reported instead of being
    /// read; key requests are a few kilobytes, so a larger file is almost always something else
    /// that a glob picked up.
    ///
    /// ## Examples
    /// A file over the size limit, a file without read permission, a symbolic link whose target
    /// is gone, a FIFO or device file named on the command line, or a symbolic-link loop.
    ///
    /// ```json,ignore
    /// {"name": "a key request bigger than --max-file-size"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: make the file readable, raise `--max-file-size`, or exclude the path.
    pub(crate) struct IoError {
        code: "CTE000",
        name: "io-error",
        severity: Error,
                fix: None,
        scope: Any,
    }
}

impl Check for IoError {}
