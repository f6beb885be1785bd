//! Files are linted in parallel but reported in file order, as they are ready: workers take
//! files in order, hand on each file's report as soon as the ones before it are handed on, and
//! stay at most [`WINDOW`] files ahead of the one being reported, so a run holds a few files'
//! reports at a time however many files it has. The rules that look across
//! files (duplicate key names) run on the way, each file against the names of the files before
//! it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::linter;
use crate::rule::KeyName;
use crate::settings::Settings;

/// How many files the workers may be ahead of the file being reported: enough to keep a thread
/// busy with small files while another lints a large array file.
const WINDOW: usize = 1024;

/// The results not yet handed on.
struct Ordered<S> {
    /// The item whose result is handed on next.
    next: usize,
    ready: BTreeMap<usize, S>,
    /// Whether a thread is handing results on; the others then go on linting.
    handing_on: bool,
    /// How many threads wait for the window to move (a wake-up is a system call: made only
    /// for them).
    waiting: usize,
}

/// Runs `lint` on every item, on rayon's threads, and hands each result to `sink` in item
/// order: whichever thread finishes the next item hands it on, with the ones after it that are
/// ready, while the other threads go on linting (the sink may be slow: it writes the report and
/// lints a file again when another file names the same key). `failed` stands in for an item
/// whose lint panicked (rule panics are caught before they get here).
pub(super) fn in_order<T: Sync, S: Send>(
    items: &[T],
    lint: impl Fn(&T) -> S + Sync,
    failed: impl Fn(&T) -> S + Sync,
    sink: impl FnMut(usize, S) + Send,
) {
    let state = Mutex::new(Ordered {
        next: 0,
        ready: BTreeMap::new(),
        handing_on: false,
        waiting: 0,
    });
    // `next`, readable without the lock: most items are well inside the window.
    let handed = AtomicUsize::new(0);
    // Only the thread handing on takes it, so it is never waited for.
    let sink = Mutex::new(sink);
    let window = Condvar::new();
    let taken = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = taken.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            if index >= handed.load(Ordering::Acquire) + WINDOW {
                let mut ordered = state.lock().unwrap_or_else(PoisonError::into_inner);
                while index >= ordered.next + WINDOW {
                    ordered.waiting += 1;
                    ordered = window.wait(ordered).unwrap_or_else(PoisonError::into_inner);
                    ordered.waiting -= 1;
                }
            }
            let result = catch_unwind(AssertUnwindSafe(|| lint(item))).unwrap_or_else(|_| failed(item));
            let mut ordered = state.lock().unwrap_or_else(PoisonError::into_inner);
            ordered.ready.insert(index, result);
            if ordered.handing_on {
                continue;
            }
            ordered.handing_on = true;
            loop {
                let first = ordered.next;
                let mut batch = Vec::new();
                while let Some(result) = ordered.ready.remove(&(first + batch.len())) {
                    batch.push(result);
                }
                if batch.is_empty() {
                    ordered.handing_on = false;
                    break;
                }
                drop(ordered);
                let count = batch.len();
                {
                    let mut sink = sink.lock().unwrap_or_else(PoisonError::into_inner);
                    for (offset, result) in batch.into_iter().enumerate() {
                        sink(first + offset, result);
                    }
                }
                ordered = state.lock().unwrap_or_else(PoisonError::into_inner);
                ordered.next = first + count;
                handed.store(ordered.next, Ordering::Release);
                if ordered.waiting > 0 {
                    window.notify_all();
                }
            }
        }
    };
    if items.len() <= 1 {
        // One file (an editor, a pre-commit run of one staged file) starts no threads.
        work();
        return;
    }
    let work = &work;
    rayon::scope(|scope| {
        for _ in 0..rayon::current_num_threads().min(items.len()) {
            scope.spawn(move |_| work());
        }
    });
}

/// The key names seen so far, for the rules across files.
pub(super) struct CrossFile {
    settings: Settings,
    /// The first request that creates each name.
    first: HashMap<String, KeyName>,
}

impl CrossFile {
    /// Checks with the settings that apply to the whole run.
    pub(super) fn new(settings: Settings) -> Self {
        Self {
            settings,
            first: HashMap::new(),
        }
    }

    /// The findings about the names of file number `file`, given the files before it; then
    /// remembers its names.
    pub(super) fn check(&mut self, file: usize, names: Vec<KeyName>) -> Vec<Diagnostic> {
        // The earlier files' first occurrences of this file's names, then this file's names: the
        // rule reports every occurrence after the first.
        let mut batch: Vec<KeyName> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut collides = false;
        for name in &names {
            if !seen.insert(name.name.as_str()) {
                collides = true;
            } else if let Some(first) = self.first.get(&name.name) {
                collides = true;
                batch.push(first.clone());
            }
        }
        drop(seen);
        let earlier = batch.len();
        batch.extend(names.into_iter().map(|mut name| {
            name.file = file;
            name
        }));
        let found = if collides {
            linter::check_set(&self.settings, &batch)
                .into_iter()
                .filter(|(index, _)| *index >= earlier)
                .map(|(_, diagnostic)| diagnostic)
                .collect()
        } else {
            Vec::new()
        };
        for name in batch.drain(earlier..) {
            // Copied here rather than kept: the worker's copy shares memory pages with the rest of
            // that file's short-lived allocations, which it would keep resident for the whole run.
            if !self.first.contains_key(&name.name) {
                self.first.insert(name.name.clone(), name.clone());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items whose lint takes uneven time come out in order, each once, past the window and
    /// with a sink that is sometimes slow; a panicking lint is replaced by `failed` without
    /// stopping the others.
    #[test]
    fn results_are_handed_on_in_order() {
        let items: Vec<u64> = (0..(2 * WINDOW as u64 + 100)).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let mut seen = Vec::new();
        pool.install(|| {
            in_order(
                &items,
                |&item| {
                    assert!(item != 321, "a lint that panics");
                    // Later items often finish first.
                    std::thread::sleep(std::time::Duration::from_micros((item * 7919) % 200));
                    item * 2
                },
                |&item| item * 1000,
                |index, result| {
                    if index == 0 {
                        // Long enough for the others to reach the end of the window and wait.
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    } else if index % 97 == 0 {
                        // The others go on linting meanwhile.
                        std::thread::sleep(std::time::Duration::from_millis(2));
                    }
                    seen.push((index, result));
                },
            );
        });
        let expected: Vec<(usize, u64)> = items
            .iter()
            .map(|&item| (item as usize, if item == 321 { 321_000 } else { item * 2 }))
            .collect();
        assert_eq!(seen, expected);
    }
}
