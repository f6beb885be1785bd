//! The report's way out. Each file's rendered part is handed over whole and written with the
//! parts gathered before it in one vectored write, so a large report (tens of megabytes with
//! every rule) is not copied into a buffer first.

use std::io::{self, IoSlice, Write};

/// How much of the report is gathered before it is written: a large report goes out in a few
/// hundred writes instead of one or two per file.
pub(super) const OUTPUT_BUFFER: usize = 256 * 1024;

/// The most parts one vectored write takes (Linux's `IOV_MAX`).
const MOST_PARTS: usize = 1024;

/// A writer that keeps the parts it is given and writes them together.
pub(super) struct Gather {
    inner: Box<dyn Write + Send>,
    pending: Vec<Vec<u8>>,
    /// Bytes in `pending`.
    bytes: usize,
    /// Bytes gathered before they are written; 0 writes each part at once.
    limit: usize,
}

impl Gather {
    /// Gathers up to `limit` bytes before writing them to `inner`.
    pub(super) fn new(inner: Box<dyn Write + Send>, limit: usize) -> Self {
        Self {
            inner,
            pending: Vec::new(),
            bytes: 0,
            limit,
        }
    }

    /// Hands over a rendered part, to be written without being copied.
    ///
    /// # Errors
    ///
    /// When writing what was gathered fails.
    pub(super) fn put(&mut self, part: Vec<u8>) -> io::Result<()> {
        if part.is_empty() {
            return Ok(());
        }
        self.bytes += part.len();
        self.pending.push(part);
        self.write_if_full()
    }

    fn write_if_full(&mut self) -> io::Result<()> {
        if self.bytes >= self.limit || self.pending.len() >= MOST_PARTS {
            self.write_pending()
        } else {
            Ok(())
        }
    }

    fn write_pending(&mut self) -> io::Result<()> {
        let Self { inner, pending, .. } = self;
        let mut slices: Vec<IoSlice<'_>> = pending.iter().map(|part| IoSlice::new(part)).collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            match inner.write_vectored(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(written) => IoSlice::advance_slices(&mut rest, written),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        pending.clear();
        self.bytes = 0;
        Ok(())
    }
}

impl Write for Gather {
    /// Small writes (a frame's separators, the summary line) join the last part, or start one.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.pending.last_mut() {
            Some(last) => last.extend_from_slice(buf),
            None => self.pending.push(buf.to_vec()),
        }
        self.bytes += buf.len();
        self.write_if_full()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_pending()?;
        self.inner.flush()
    }
}

impl Drop for Gather {
    /// Writes what is left, as a `BufWriter` does; errors are for `flush` to report.
    fn drop(&mut self) {
        let _ = self.write_pending();
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, IoSlice, Write};
    use std::sync::{Arc, Mutex};

    use super::Gather;

    /// Takes at most 3 bytes per write, and is interrupted every other call.
    struct Trickle {
        written: Arc<Mutex<Vec<u8>>>,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.write_vectored(&[IoSlice::new(buf)])
        }

        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls % 2 == 0 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let first = bufs.iter().find(|buf| !buf.is_empty()).map_or(&[][..], |buf| &buf[..]);
            let taken = &first[..first.len().min(3)];
            self.written.lock().unwrap().extend_from_slice(taken);
            Ok(taken.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn parts_and_small_writes_come_out_whole_and_in_order_through_partial_writes() {
        let written = Arc::new(Mutex::new(Vec::new()));
        let trickle = Trickle {
            written: Arc::clone(&written),
            calls: 0,
        };
        let mut out = Gather::new(Box::new(trickle), 10);
        out.put(b"first part".to_vec()).unwrap();
        out.write_all(b", ").unwrap();
        out.put(Vec::new()).unwrap();
        out.put(b"second".to_vec()).unwrap();
        out.write_all(b"!").unwrap();
        // The first part reached the limit of ten bytes; the nine after it wait for the flush.
        assert_eq!(written.lock().unwrap().as_slice(), b"first part");
        out.flush().unwrap();
        assert_eq!(written.lock().unwrap().as_slice(), b"first part, second!");
        out.write_all(b" and the rest").unwrap();
        drop(out);
        assert_eq!(written.lock().unwrap().as_slice(), b"first part, second! and the rest");
    }
}
