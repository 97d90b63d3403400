//! Where `cancuoc id check` gets its lines and how it shares them out:
//! stdin mapped into memory when it is a regular file ([`map_stdin`]), cut
//! into steps that end at a line's end ([`split_chunks`]), and checked by two
//! threads that write their outputs in input order ([`ordered`]).
//!
//! Mapping skips the kernel's copy of every byte into a read buffer (with
//! `read`, that copy was about a sixth of the run time for a million lines).
//! A pipe or a terminal is read in blocks instead (`check_stream` in the
//! parent module).

use super::fast::OutBuf;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Stdin mapped read-only when it is a non-empty regular file, from its
/// current position to its end (so `(head -1; cancuoc id check) < f` sees
/// what `head` left); the position is then moved to the end, as if read.
/// `None` for anything else (pipe, terminal, empty file, a file the kernel
/// will not map): the caller reads it as a stream.
pub(super) fn map_stdin() -> Option<memmap2::Mmap> {
    use std::io::{Seek, SeekFrom};
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let mut file = std::fs::File::from(fd);
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let pos = file.stream_position().ok()?;
    let len = meta.len().checked_sub(pos)?;
    if len == 0 {
        return None;
    }
    let map = map_file(&file, pos, usize::try_from(len).ok()?)?;
    file.seek(SeekFrom::Start(pos + len)).ok()?;
    Some(map)
}

/// The crate's one `unsafe` block (ARCHITECTURE.md, invariants).
#[allow(unsafe_code)]
fn map_file(file: &std::fs::File, offset: u64, len: usize) -> Option<memmap2::Mmap> {
    // SAFETY: `Mmap::map` is unsafe because the mapped bytes can change (or,
    // if the file is truncated, vanish) when another process writes the file
    // while we read it. The map is read-only and private to this process,
    // lives only while the checker runs, and every byte of it is treated as
    // untrusted input; a file rewritten underneath `id check` gets verdicts
    // for whatever bytes were read, and one truncated underneath it ends the
    // process with SIGBUS — the documented price of mapping, as for grep
    // tools that map their input.
    unsafe {
        memmap2::MmapOptions::new()
            .offset(offset)
            .len(len)
            .map(file)
    }
    .ok()
}

/// Cuts `data` into pieces of at least `size` bytes (but the last) that end
/// just after a `\n`, or at the end of `data`.
pub(super) fn split_chunks(data: &[u8], size: usize) -> Vec<&[u8]> {
    let size = size.max(1);
    let mut v = Vec::with_capacity(data.len() / size + 1);
    let mut rest = data;
    while !rest.is_empty() {
        let cut = match rest
            .get(size - 1..)
            .and_then(|t| t.iter().position(|&b| b == b'\n'))
        {
            Some(i) => size + i,
            None => rest.len(),
        };
        let (chunk, tail) = rest.split_at(cut);
        v.push(chunk);
        rest = tail;
    }
    v
}

/// How many finished outputs each thread may hold before they are written:
/// bounds memory when stdout is slow, lets a thread run ahead of the other.
const AHEAD: usize = 2;

/// How long this thread waits for the helper's output of the next step to
/// write before it checks that step itself: a few steps' work. On a busy
/// machine the helper can be descheduled for many milliseconds; without
/// this, two threads were slower than one there.
const PATIENCE: Duration = Duration::from_micros(300);

/// One step's output and its result (a tally), or the error that stopped it.
type Done<T> = (usize, anyhow::Result<(OutBuf, T)>);

/// Runs `work` over every chunk on this thread and one helper, which take
/// chunks in turn from a shared counter (whoever is free takes the next
/// one), and writes the outputs to `sink` in input order, handing each
/// chunk's result to `written` in the same order.
///
/// The helper is only ever an extra: when the next output to write is the
/// helper's and it is late by [`PATIENCE`], this thread does that chunk
/// itself and drops the helper's copy when it comes (`work` must give the
/// same bytes and result for the same chunk, whoever runs it).
pub(super) fn ordered<S: Send, T: Send>(
    chunks: &[&[u8]],
    make: &(impl Fn() -> S + Sync),
    work: &(impl Fn(&mut S, &[u8], &mut OutBuf) -> anyhow::Result<T> + Sync),
    sink: &mut impl Write,
    mut written: impl FnMut(T),
) -> anyhow::Result<()> {
    let next = AtomicUsize::new(0);
    let (done_tx, done_rx) = mpsc::channel::<Done<T>>();
    // The helper's empty buffers: it waits for one before taking a chunk.
    let (free_tx, free_rx) = mpsc::channel::<OutBuf>();
    std::thread::scope(|s| {
        let next = &next;
        let helper = s.spawn(move || {
            let mut state = make();
            while let Ok(mut out) = free_rx.recv() {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(chunk) = chunks.get(i) else { break };
                let r = work(&mut state, chunk, &mut out).map(|t| (out, t));
                if done_tx.send((i, r)).is_err() {
                    break;
                }
            }
        });
        // Runs on this thread; on return (even by `?`) `free_tx` is dropped,
        // which stops the helper.
        let mine = (move || -> anyhow::Result<()> {
            for _ in 0..AHEAD {
                let _ = free_tx.send(OutBuf::default());
            }
            let mut state = make();
            // Finished outputs not yet written; `true` marks the helper's.
            let mut slots: Vec<Option<(OutBuf, T, bool)>> = chunks.iter().map(|_| None).collect();
            let mut held = 0usize;
            let mut spare: Vec<OutBuf> = Vec::new();
            let mut done = 0usize;
            let store = |slots: &mut [Option<(OutBuf, T, bool)>], (i, r): Done<T>, done| {
                let (out, t) = r?;
                match slots.get_mut(i) {
                    // Not yet written: keep it.
                    Some(slot) if i >= done => *slot = Some((out, t, true)),
                    // Written already (this thread did it): the buffer goes back.
                    _ => {
                        let mut out = out;
                        out.clear();
                        let _ = free_tx.send(out);
                    }
                }
                anyhow::Ok(())
            };
            while done < chunks.len() {
                if let Some((mut out, t, helpers)) = slots.get_mut(done).and_then(Option::take) {
                    sink.write_all(out.as_bytes())?;
                    written(t);
                    out.clear();
                    if helpers {
                        let _ = free_tx.send(out);
                    } else {
                        held -= 1;
                        spare.push(out);
                    }
                    done += 1;
                    continue;
                }
                if let Ok(d) = done_rx.try_recv() {
                    store(&mut slots, d, done)?;
                    continue;
                }
                let claimed = if held < AHEAD {
                    Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&i| i < chunks.len())
                } else {
                    None
                };
                let i = match claimed {
                    Some(i) => i,
                    // The next output to write is the helper's: wait a
                    // little, then do that chunk here.
                    None => match done_rx.recv_timeout(PATIENCE) {
                        Ok(d) => {
                            store(&mut slots, d, done)?;
                            continue;
                        }
                        Err(_) => done,
                    },
                };
                let Some(chunk) = chunks.get(i) else { break };
                let mut out = spare.pop().unwrap_or_default();
                let t = work(&mut state, chunk, &mut out)?;
                if i == done {
                    // The usual case: write it at once.
                    sink.write_all(out.as_bytes())?;
                    written(t);
                    out.clear();
                    spare.push(out);
                    done += 1;
                } else if let Some(slot) = slots.get_mut(i) {
                    *slot = Some((out, t, false));
                    held += 1;
                }
            }
            Ok(())
        })();
        // A helper that panicked (a bug) is an error, not a panic here.
        let joined = helper.join();
        mine?;
        joined.map_err(|_| anyhow::anyhow!("internal error: check thread failed"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_file_maps_the_range_asked_for() {
        let path = std::env::temp_dir().join(format!("cancuoc-map-{}.txt", std::process::id()));
        std::fs::write(&path, b"0123456789abcdef\n").unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let whole = map_file(&file, 0, 17).unwrap();
        assert_eq!(&whole[..], b"0123456789abcdef\n");
        // An offset that is not page-aligned, and a length short of the end.
        let part = map_file(&file, 5, 7).unwrap();
        assert_eq!(&part[..], b"56789ab");
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn chunks_end_at_line_ends_and_cover_everything() {
        let data = b"aa\nbbbb\nc\n\nddddddd\neee";
        for size in [0, 1, 2, 3, 5, 8, 100] {
            let chunks = split_chunks(data, size);
            assert_eq!(chunks.concat(), data, "size {size}");
            let (last, init) = chunks.split_last().unwrap();
            for c in init {
                // Ends at the first line end at or after `size` bytes.
                assert!(
                    c.len() >= size.max(1) && c.ends_with(b"\n"),
                    "{size}: {c:?}"
                );
                let inner = &c[size.max(1) - 1..c.len() - 1];
                assert!(!inner.contains(&b'\n'), "{size}: {c:?}");
            }
            assert!(!last.is_empty());
        }
        assert!(split_chunks(b"", 4).is_empty());
    }

    /// Every chunk's output and result, in order, once, whichever thread
    /// made it, also when the helper is late and this thread redoes its
    /// chunk.
    #[test]
    fn ordered_writes_in_input_order() {
        let text: Vec<u8> = (0..5000)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        for size in [1, 7, 100, 4096, 1 << 20] {
            let chunks = split_chunks(&text, size);
            let mut sink = Vec::new();
            let mut results = Vec::new();
            ordered(
                &chunks,
                &|| (),
                &|(): &mut (), chunk: &[u8], out: &mut OutBuf| {
                    // Uneven work, so the threads interleave unevenly, and
                    // now and then longer than the patience.
                    if chunk.len().is_multiple_of(3) {
                        std::thread::yield_now();
                    }
                    if chunk.len().is_multiple_of(7) {
                        std::thread::sleep(PATIENCE * 2);
                    }
                    out.write_all(chunk)?;
                    Ok(chunk.len())
                },
                &mut sink,
                |n| results.push(n),
            )
            .unwrap();
            assert!(sink == text, "size {size}");
            // One result per chunk, in order, none twice.
            assert_eq!(results, chunks.iter().map(|c| c.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn ordered_reports_a_failed_chunk() {
        let chunks = split_chunks(b"1\n2\n3\nboom\n5\n6\n7\n8\n9\n", 1);
        let mut sink = Vec::new();
        let r = ordered(
            &chunks,
            &|| (),
            &|_: &mut (), chunk: &[u8], out: &mut OutBuf| {
                anyhow::ensure!(chunk != b"boom\n", "bad chunk");
                out.write_all(chunk)?;
                Ok(())
            },
            &mut sink,
            |()| {},
        );
        assert_eq!(r.err().map(|e| e.to_string()).as_deref(), Some("bad chunk"));
        assert!(sink.starts_with(b"1\n2\n3\n") && !sink.windows(4).any(|w| w == b"boom"));
    }
}
