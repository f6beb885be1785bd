//! The `ctelint` binary: everything lives in the library; this maps its result to an exit code.

use std::process::ExitCode;

// Linting allocates many small trees and strings on every thread; mimalloc's thread-local
// heaps halve what the system allocator costs here (see the README's performance section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ctelint::cli::main()
}
