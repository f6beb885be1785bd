//! Throughput benchmark (see README).

fn main() {}
