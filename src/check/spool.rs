//! Where rendered report parts wait for the end of the run. Files are linted and rendered in
//! parallel, in whatever order they finish, but the report lists them in file order and cannot
//! be written before the findings across files (duplicate key names) are known. Parts stay in
//! memory up to a budget; beyond it they go to an unnamed temporary file, so a run's memory does
//! not grow with the number of files it reports on.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// How many bytes of rendered report a run keeps in memory before it spills to disk.
pub(super) const MEMORY_BUDGET: usize = 32 * 1024 * 1024;

/// A stored part: its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stored(usize);

/// Where a part is.
#[derive(Debug)]
enum Place {
    /// Still in memory, as rendered.
    Memory(Vec<u8>),
    /// In the temporary file.
    Disk { offset: u64, len: usize },
}

/// The parts stored so far.
#[derive(Debug)]
pub(super) struct Spool {
    budget: usize,
    parts: Vec<Place>,
    /// Bytes of the parts in memory.
    in_memory: usize,
    disk: Option<File>,
    /// Bytes written to `disk`.
    spilled: u64,
    /// Where the next read or write on `disk` happens.
    position: u64,
}

impl Spool {
    /// An empty spool keeping up to `budget` bytes in memory.
    pub(super) fn new(budget: usize) -> Self {
        Self {
            budget,
            parts: Vec::new(),
            in_memory: 0,
            disk: None,
            spilled: 0,
            position: 0,
        }
    }

    /// Stores a part (without copying it while it fits the budget).
    ///
    /// # Errors
    ///
    /// When spilling to the temporary file fails (a full disk, for instance).
    pub(super) fn store(&mut self, part: Vec<u8>) -> io::Result<Stored> {
        // What a part costs is the memory it holds, not only its length.
        let held = part.capacity();
        if self.in_memory > 0 && self.in_memory + held > self.budget {
            self.spill()?;
        }
        self.in_memory += held;
        self.parts.push(Place::Memory(part));
        Ok(Stored(self.parts.len() - 1))
    }

    /// Moves every part held in memory to the end of the temporary file.
    fn spill(&mut self) -> io::Result<()> {
        let disk = match &mut self.disk {
            Some(disk) => disk,
            None => self.disk.insert(tempfile::tempfile()?),
        };
        if self.position != self.spilled {
            disk.seek(SeekFrom::Start(self.spilled))?;
        }
        let mut writer = BufWriter::with_capacity(1 << 20, &*disk);
        for place in &mut self.parts {
            if let Place::Memory(bytes) = place {
                writer.write_all(bytes)?;
                let len = bytes.len();
                *place = Place::Disk {
                    offset: self.spilled,
                    len,
                };
                self.spilled += len as u64;
            }
        }
        writer.flush()?;
        self.position = self.spilled;
        self.in_memory = 0;
        Ok(())
    }

    /// Writes a stored part to `out`.
    ///
    /// # Errors
    ///
    /// When reading the temporary file or writing `out` fails.
    pub(super) fn copy(&mut self, stored: Stored, out: &mut dyn Write) -> io::Result<()> {
        match self.parts.get(stored.0) {
            None => Ok(()),
            Some(Place::Memory(bytes)) => out.write_all(bytes),
            Some(&Place::Disk { offset, len }) => {
                let disk = self
                    .disk
                    .as_mut()
                    .ok_or_else(|| io::Error::other("a spilled part has no file"))?;
                if self.position != offset {
                    disk.seek(SeekFrom::Start(offset))?;
                }
                let mut part = vec![0; len];
                disk.read_exact(&mut part)?;
                self.position = offset + len as u64;
                out.write_all(&part)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts come back as stored, in any order, whether they stayed in memory or were spilled,
    /// and memory never holds more than the budget plus one part.
    #[test]
    fn parts_come_back_from_memory_and_from_disk() {
        let mut spool = Spool::new(10);
        let parts: Vec<Vec<u8>> = (1..50u8).map(|i| vec![b'a' + i % 26; usize::from(i % 7 + 1)]).collect();
        let mut stored = Vec::new();
        for part in &parts {
            stored.push(spool.store(part.clone()).unwrap());
            assert!(spool.in_memory <= 10 + 7, "memory holds {} bytes", spool.in_memory);
        }
        assert!(spool.spilled > 0, "a budget of 10 bytes spills");
        for i in (0..parts.len()).rev().chain(0..parts.len()) {
            let mut out = Vec::new();
            spool.copy(stored[i], &mut out).unwrap();
            assert_eq!(out, parts[i], "part {i}");
        }
        // Storing after reading back still works.
        let late = spool.store(b"late part".to_vec()).unwrap();
        let mut out = Vec::new();
        spool.copy(late, &mut out).unwrap();
        assert_eq!(out, b"late part");
    }
}
