//! The `ctelint` binary: everything lives in the library; this maps its result to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    ctelint::cli::main()
}
