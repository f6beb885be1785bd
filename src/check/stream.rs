//! Files are linted in parallel but reported in file order, as they are ready: workers take
//! files in order, hand on each file's report as soon as the ones before it are handed on, and
//! stay at most [`WINDOW`] files ahead of the one being reported, so a run holds a few files'
//! reports at a time however many files it has. The rules that look across
//! files (duplicate key names) run on the way, each file against the names of the files before
//! it.

use std::collections::{BTreeMap, HashSet};
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
    lint: impl Fn(usize, &T) -> S + Sync,
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
            let result = catch_unwind(AssertUnwindSafe(|| lint(index, item))).unwrap_or_else(|_| failed(item));
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

/// Which earlier file's first occurrence of each name a file's duplicate-name findings were
/// worked out against: equal lists give equal findings.
pub(super) type Earlier = Vec<(usize, String)>;

/// The findings about the names of file number `file`, given the first occurrences in earlier
/// files of those of its names that have one: the rule reports every occurrence after the first.
fn found_among(settings: &Settings, file: usize, earlier: &[KeyName], names: &[KeyName]) -> Vec<Diagnostic> {
    let mut seen: HashSet<&str> = HashSet::new();
    let repeats = names.iter().any(|name| !seen.insert(name.name.as_str()));
    if earlier.is_empty() && !repeats {
        return Vec::new();
    }
    let mut batch = earlier.to_vec();
    batch.extend(names.iter().cloned().map(|mut name| {
        name.file = file;
        name
    }));
    linter::check_set(settings, &batch)
        .into_iter()
        .filter(|(index, _)| *index >= earlier.len())
        .map(|(_, diagnostic)| diagnostic)
        .collect()
}

/// The first occurrence in an earlier file of each of `names` that `first` knows.
fn earlier_of(file: usize, names: &[KeyName], first: &FirstNames) -> Vec<KeyName> {
    let mut earlier: Vec<KeyName> = Vec::new();
    for name in names {
        if let Some(known) = first.get(&name.name)
            && known.file < file
            && !earlier.iter().any(|e| e.name == name.name)
        {
            earlier.push(known.clone());
        }
    }
    earlier
}

/// Which files and names `earlier` holds (what two answers are compared by).
pub(super) fn keys(earlier: &[KeyName]) -> Earlier {
    earlier.iter().map(|name| (name.file, name.name.clone())).collect()
}

/// The first occurrence of each key name among the files linted so far, whatever order they
/// were linted in; workers register each file's names. A worker's guess of a file's
/// duplicate-name findings is made against what it holds then, which misses an earlier file
/// still being linted. When the file is reported, every file before it has been linted, so the
/// same lookup gives the answer in file order.
pub(super) struct Registry {
    settings: Settings,
    first: Mutex<FirstNames>,
}

/// The first occurrence of each key name, by name: looked up twice per file under a lock, so
/// with a hasher quicker than the standard one (and seeded per run, as that one is).
type FirstNames = foldhash::HashMap<String, KeyName>;

impl Registry {
    /// A registry for the rules across files with the run's settings.
    pub(super) fn new(settings: Settings) -> Self {
        Self {
            settings,
            first: Mutex::new(FirstNames::default()),
        }
    }

    /// Makes room for `files` files' names (most files create one), so that the map does not
    /// grow while workers wait for its lock.
    pub(super) fn reserve(&self, files: usize) {
        self.first().reserve(files);
    }

    fn first(&self) -> std::sync::MutexGuard<'_, FirstNames> {
        self.first.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers the names of file number `file`, where no earlier file has them.
    pub(super) fn register(&self, file: usize, names: &[KeyName]) {
        register_in(&mut self.first(), file, names);
    }

    /// The findings about the names of file number `file` as far as they are known now, and
    /// which first occurrences they come from; registers its names.
    pub(super) fn guess(&self, file: usize, names: &[KeyName]) -> (Vec<Diagnostic>, Earlier) {
        let earlier = {
            let mut first = self.first();
            let earlier = earlier_of(file, names, &first);
            register_in(&mut first, file, names);
            earlier
        };
        (self.found(file, &earlier, names), keys(&earlier))
    }

    /// The first occurrences in earlier files of the names of file number `file`, once every
    /// file before it is registered: what its findings across files are worked out against.
    pub(super) fn earlier(&self, file: usize, names: &[KeyName]) -> Vec<KeyName> {
        earlier_of(file, names, &self.first())
    }

    /// The findings about the names of file number `file`, given `earlier` (see
    /// [`Registry::earlier`]).
    pub(super) fn found(&self, file: usize, earlier: &[KeyName], names: &[KeyName]) -> Vec<Diagnostic> {
        found_among(&self.settings, file, earlier, names)
    }
}

fn register_in(first: &mut FirstNames, file: usize, names: &[KeyName]) {
    for name in names {
        if first.get(&name.name).is_none_or(|known| known.file > file) {
            // A copy: the worker's shares memory pages with the rest of that file's
            // short-lived allocations, which it would keep resident for the whole run.
            let mut own = name.clone();
            own.file = file;
            first.insert(name.name.clone(), own);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Pointer, Span};
    use crate::profile::Profile;
    use crate::settings::Selection;
    use crate::source::LineCol;

    fn key(file: usize, name: &str) -> KeyName {
        KeyName {
            file,
            file_name: format!("key{file}.json"),
            name: name.to_owned(),
            pointer: Pointer::root().child("name"),
            span: Span::new(12, 17),
            start: LineCol { line: 2, column: 11 },
            end: LineCol { line: 2, column: 16 },
        }
    }

    /// A worker's guess is made against the files linted so far, in any order; the answer once
    /// the files before it are linted tells when it missed an earlier file.
    #[test]
    fn a_guess_made_before_an_earlier_file_was_linted_is_told_apart() {
        let settings = Settings::new(Profile::Standard, &Selection::default(), Vec::new());
        let registry = Registry::new(settings);
        // File 5 is linted before file 2; both create `k`.
        let (found, guessed_5) = registry.guess(5, &[key(5, "k")]);
        assert!(found.is_empty() && guessed_5.is_empty());
        let (found, guessed_2) = registry.guess(2, &[key(2, "k")]);
        assert!(found.is_empty() && guessed_2.is_empty());
        // File 7, linted after both, is checked against the first of them.
        let (found, guessed_7) = registry.guess(7, &[key(7, "k")]);
        assert_eq!(guessed_7, [(2, "k".to_owned())]);
        assert_eq!(found.len(), 1);

        let answer = |file: usize| {
            let names = [key(file, "k")];
            let earlier = registry.earlier(file, &names);
            (registry.found(file, &earlier, &names), keys(&earlier))
        };
        assert_eq!(answer(2).1, guessed_2);
        let (found, earlier) = answer(5);
        assert_ne!(earlier, guessed_5, "file 5's guess missed file 2");
        assert_eq!(earlier, [(2, "k".to_owned())]);
        assert_eq!(found.len(), 1);
        let (found_7, earlier) = answer(7);
        assert_eq!(earlier, guessed_7);
        assert_eq!(found_7.len(), 1);
    }

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
                |_, &item| {
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
