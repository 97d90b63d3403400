//! `cancuoc id check`: bulk check (kiểm tra hàng loạt) of personal ID numbers,
//! one per line on stdin, one verdict line per input line on stdout, a
//! summary on stderr.
//!
//! Built for millions of lines (the bar is ≥ 100× the Python `vn-ident`,
//! whole process, DESIGN.md §5):
//! - stdin that is a regular file is mapped into memory and cut into 64 KiB
//!   steps at line ends (submodule `input`); a pipe or terminal is read in
//!   1 MiB blocks (a line cut by the block's end is moved to the front of
//!   the buffer, a line longer than the buffer grows it);
//! - a line of exactly 12 ASCII digits (optionally ending in `\r`) with an
//!   accepted region code takes the byte-level fast path (submodule `fast`):
//!   no `fmt`, no allocation; every other line goes through the library
//!   parser ([`PersonalId::parse_bytes`] / [`PersonalId::parse_lenient_input`])
//!   and gets its precise error;
//! - verdicts go to one output buffer per step, written with one `write`;
//! - a mapped file of at least 1 MiB is checked by two threads when the
//!   machine has two cores (`CANCUOC_CHECK_THREADS=1` or `2` overrides): each
//!   takes the next step when free, outputs are written in input order and
//!   per-step tallies summed, so the output is byte for byte the
//!   single-thread output; when the helper is late with the next step to
//!   write (descheduled on a busy machine), the main thread does that step
//!   itself (`--json` numbers its lines and stays single-threaded).

mod fast;
mod input;

use super::CheckArgs;
use crate::Ctx;
use crate::output::{exit_for, json_line, pick};
use cancuoc_core::i18n::{ErrorBody, Lang, Localized};
use cancuoc_core::id::{DecodeMode, IdError, PersonalId, Region};
use cancuoc_core::person::Sex;
use fast::{OutBuf, VerdictTable};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Size of one read from stdin when it is a stream.
const BLOCK: usize = 1 << 20;
/// Input bytes per step of a mapped file: its verdicts (about 3.4× as many
/// bytes) stay in the cache and reuse the same pages of the output buffer.
const CHUNK: usize = 64 << 10;
/// Below this many bytes a mapped file is checked on one thread (starting a
/// thread costs more than checking a few ten thousand lines).
const PARALLEL_MIN: usize = 1 << 20;

/// Verdict counts for the summary; error codes are few, so a small vector.
#[derive(Default)]
struct Tally {
    lines: u64,
    valid: u64,
    invalid: u64,
    empty: u64,
    by_code: Vec<(&'static str, u64)>,
}

impl Tally {
    fn invalid(&mut self, code: &'static str, n: u64) {
        self.invalid += n;
        match self.by_code.iter_mut().find(|(c, _)| *c == code) {
            Some((_, k)) => *k += n,
            None => self.by_code.push((code, n)),
        }
    }

    fn add(&mut self, o: &Tally) {
        self.lines += o.lines;
        self.valid += o.valid;
        self.empty += o.empty;
        for &(code, n) in &o.by_code {
            self.invalid(code, n);
        }
    }
}

/// JSON of one valid `check` line (borrowed: no allocation per line).
#[derive(Serialize)]
struct CheckValidJson<'a> {
    line: u64,
    verdict: &'static str,
    valid: bool,
    id: &'a PersonalId,
    region: &'a Region,
    century: u8,
    sex: Sex,
    birth_year: i16,
    serial: &'a str,
}

#[derive(Serialize)]
struct CheckOtherJson {
    line: u64,
    verdict: &'static str,
    valid: bool,
    error: Option<ErrorBody>,
}

/// What one worker needs: settings, the table, its tally.
struct Checker<'a> {
    lenient: bool,
    json: bool,
    lang: Lang,
    table: &'a VerdictTable,
    tally: Tally,
    /// Verdict lines of errors already seen: bulk files repeat a few kinds
    /// of bad line, and formatting the bilingual message is the costliest
    /// step of an invalid line. Bounded so hostile input cannot grow it;
    /// foldhash (seeded per run) because hashing the key with SipHash was
    /// a quarter of an invalid line's cost.
    invalid_lines: HashMap<IdError, Box<[u8]>, foldhash::fast::RandomState>,
}

/// How many distinct error verdicts [`Checker`] keeps formatted.
const INVALID_CACHE_LIMIT: usize = 4096;

impl<'a> Checker<'a> {
    fn new(a: &CheckArgs, lang: Lang, table: &'a VerdictTable) -> Checker<'a> {
        Checker {
            lenient: a.lenient,
            json: a.json,
            lang,
            table,
            tally: Tally::default(),
            invalid_lines: HashMap::default(),
        }
    }

    /// Checks every line of `buf`, which holds whole lines: each ends with
    /// `\n`, except the last when `buf` is the end of the input. Verdicts are
    /// appended to `out`.
    fn lines(&mut self, buf: &[u8], out: &mut OutBuf) -> anyhow::Result<()> {
        let mut rest = buf;
        while !rest.is_empty() {
            if !self.json {
                let (n, left) = fast::run(self.table, out, rest);
                self.tally.lines += n;
                self.tally.valid += n;
                rest = left;
                if rest.is_empty() {
                    break;
                }
            }
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(nl) => (&rest[..nl], &rest[nl + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            self.line(line, out)?;
            rest = next;
        }
        Ok(())
    }

    /// Checks one input line (without its `\n`) through the library parser
    /// and writes its verdict.
    fn line(&mut self, line: &[u8], out: &mut OutBuf) -> anyhow::Result<()> {
        self.tally.lines += 1;
        let result = if line.trim_ascii().is_empty() {
            Err(IdError::Empty { expected: 12 })
        } else if self.lenient {
            // Bytes that are not UTF-8 become U+FFFD and are reported as an
            // invalid character (allocates, but only on that error path).
            let text: Cow<'_, str> = String::from_utf8_lossy(line);
            PersonalId::parse_lenient_input(&text).and_then(|id| id.decode(DecodeMode::Lenient))
        } else {
            PersonalId::parse_bytes(line).and_then(|id| id.decode(DecodeMode::Strict))
        };
        let t = &mut self.tally;
        match result {
            Ok(d) => {
                t.valid += 1;
                if self.json {
                    let v = CheckValidJson {
                        line: t.lines,
                        verdict: "valid",
                        valid: true,
                        id: &d.id,
                        region: &d.region,
                        century: d.century,
                        sex: d.sex,
                        birth_year: d.birth_year,
                        serial: d.id.serial_str(),
                    };
                    json_line(out, &v)?;
                } else if !out.push_valid(self.table, d.id.as_bytes()) {
                    // The table accepts every region the decoder accepted in
                    // this mode; say so loudly if that ever breaks.
                    anyhow::bail!(
                        "{} {}",
                        pick(
                            self.lang,
                            "lỗi nội bộ: thiếu mẫu kết quả cho",
                            "internal error: no verdict fragment for"
                        ),
                        cancuoc_core::id::mask(&d.id)
                    );
                }
            }
            // A line of whitespace only (ASCII or not) carries no ID: `empty`.
            Err(IdError::Empty { .. }) => {
                t.empty += 1;
                if self.json {
                    let v = CheckOtherJson {
                        line: t.lines,
                        verdict: "empty",
                        valid: false,
                        error: None,
                    };
                    json_line(out, &v)?;
                } else {
                    out.write_all(b"empty\n")?;
                }
            }
            Err(e) => {
                t.invalid(e.code(), 1);
                if self.json {
                    let v = CheckOtherJson {
                        line: t.lines,
                        verdict: "invalid",
                        valid: false,
                        error: Some(ErrorBody::of(&e)),
                    };
                    json_line(out, &v)?;
                } else if let Some(line) = self.invalid_lines.get(&e) {
                    out.write_all(line)?;
                } else {
                    let start = out.len();
                    writeln!(out, "invalid\t{}\t{}", e.code(), e.message(self.lang))?;
                    if self.invalid_lines.len() < INVALID_CACHE_LIMIT {
                        self.invalid_lines.insert(e, out.since(start).into());
                    }
                }
            }
        }
        Ok(())
    }
}

/// How many threads check a mapped file of `len` bytes:
/// `CANCUOC_CHECK_THREADS` (`1` or `2`) when set, else 2 when the input is
/// at least [`PARALLEL_MIN`] and the machine has two cores or more.
fn threads(len: usize) -> usize {
    match std::env::var("CANCUOC_CHECK_THREADS")
        .as_deref()
        .map(str::trim)
    {
        Ok("1") => 1,
        Ok("2") => 2,
        _ if len < PARALLEL_MIN => 1,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get().min(2)),
    }
}

/// Runs `cancuoc id check`.
pub(super) fn check(a: &CheckArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let table = VerdictTable::new(if a.lenient {
        DecodeMode::Lenient
    } else {
        DecodeMode::Strict
    });
    let make = || Checker::new(a, ctx.lang, &table);
    let stdout = std::io::stdout();
    let mut sink = stdout.lock();
    let mut t = match input::map_stdin() {
        Some(map) => {
            // `--json` numbers its lines: one thread.
            let n = if a.json { 1 } else { threads(map.len()) };
            check_mapped(&map, n, &make, &mut sink)?
        }
        None => check_stream(&mut std::io::stdin().lock(), make(), &mut sink)?,
    };
    sink.flush()?;
    drop(sink);
    summary(&mut t, ctx.lang)?;
    Ok(exit_for(t.invalid == 0))
}

/// Checks input that is all in memory (a mapped file), in [`CHUNK`] steps,
/// on one thread or two.
fn check_mapped<'t>(
    data: &[u8],
    threads: usize,
    make: &(impl Fn() -> Checker<'t> + Sync),
    sink: &mut impl Write,
) -> anyhow::Result<Tally> {
    let chunks = input::split_chunks(data, CHUNK);
    if threads > 1 {
        let mut t = Tally::default();
        input::ordered(&chunks, make, &step, sink, |s| t.add(&s))?;
        return Ok(t);
    }
    let mut c = make();
    let mut out = OutBuf::default();
    for chunk in chunks {
        c.lines(chunk, &mut out)?;
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(c.tally)
}

/// Checks one step into `out`; returns its own tally (not the worker's
/// running one), so that a step done twice counts once.
fn step(c: &mut Checker<'_>, chunk: &[u8], out: &mut OutBuf) -> anyhow::Result<Tally> {
    c.lines(chunk, out)?;
    Ok(std::mem::take(&mut c.tally))
}

/// Checks a stream (a pipe, a terminal) read in [`BLOCK`]s.
fn check_stream(
    input: &mut impl Read,
    mut c: Checker<'_>,
    sink: &mut impl Write,
) -> anyhow::Result<Tally> {
    let mut out = OutBuf::default();
    let mut buf = vec![0u8; BLOCK];
    // `buf[..filled]` holds unread input.
    let mut filled = 0usize;
    // Where to resume looking for a newline in a line longer than the block.
    let mut scanned = 0usize;
    loop {
        if filled == buf.len() {
            // One line fills the buffer: grow it (doubling keeps this linear).
            buf.resize(buf.len() * 2, 0);
        }
        let n = match input.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        let eof = n == 0;
        filled += n;
        // Keep reading until the block is full, so work is done in big steps.
        if !eof && filled < buf.len() {
            continue;
        }
        let cut = if eof {
            filled
        } else {
            match buf[scanned..filled].iter().rposition(|&b| b == b'\n') {
                Some(i) => scanned + i + 1,
                None => {
                    scanned = filled;
                    continue;
                }
            }
        };
        scanned = 0;
        c.lines(&buf[..cut], &mut out)?;
        sink.write_all(out.as_bytes())?;
        out.clear();
        if eof {
            break;
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
    Ok(c.tally)
}

/// The human summary on stderr: counts, then error codes by frequency.
fn summary(t: &mut Tally, lang: Lang) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "{} {} {}: {} {}, {} {}, {} {}",
        pick(lang, "Đã kiểm tra", "Checked"),
        t.lines,
        pick(lang, "dòng", "lines"),
        t.valid,
        pick(lang, "hợp lệ", "valid"),
        t.invalid,
        pick(lang, "không hợp lệ", "invalid"),
        t.empty,
        pick(lang, "trống", "empty"),
    )?;
    t.by_code.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    for (code, n) in &t.by_code {
        writeln!(err, "  {code}: {n}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(lenient: bool) -> CheckArgs {
        CheckArgs {
            lenient,
            json: false,
        }
    }

    /// The mapped-file driver on one and two threads and the stream driver
    /// give the same bytes and tallies, on every kind of line, across many
    /// steps (and a line longer than a step).
    #[test]
    fn drivers_agree() {
        let mut input = Vec::new();
        for i in 0..200_000u32 {
            let line = match i % 9 {
                0 => format!("079{}{:02}{:06}\r", i % 4, i % 100, i),
                1 => String::new(),
                2 => format!("0010990{:05}", i % 100_000).replacen('9', "x", 1),
                3 => format!("101{}{:02}{:06}", i % 4, i % 100, i),
                4 => format!("098{}{:02}{:06}", i % 4, i % 100, i),
                5 => format!(" 001099{:06} ", i),
                _ => format!("001{}{:02}{:06}", i % 4, i % 100, i),
            };
            input.extend_from_slice(line.as_bytes());
            input.push(b'\n');
            if i == 150_000 {
                input.extend(std::iter::repeat_n(b'7', CHUNK * 3));
                input.push(b'\n');
            }
        }
        input.extend_from_slice(b"001099012345");
        for lenient in [false, true] {
            let a = args(lenient);
            let table = VerdictTable::new(if lenient {
                DecodeMode::Lenient
            } else {
                DecodeMode::Strict
            });
            let make = || Checker::new(&a, Lang::En, &table);
            let mut streamed = Vec::new();
            let ts = check_stream(&mut &input[..], make(), &mut streamed).unwrap();
            let mut one = Vec::new();
            let t1 = check_mapped(&input, 1, &make, &mut one).unwrap();
            let mut two_steps = Vec::new();
            let t2s = check_mapped(&input, 2, &make, &mut two_steps).unwrap();
            let chunks = input::split_chunks(&input, 1000);
            let mut two = Vec::new();
            let mut t2 = Tally::default();
            input::ordered(&chunks, &make, &step, &mut two, |s| t2.add(&s)).unwrap();
            assert!(streamed == one, "lenient {lenient}");
            assert!(streamed == two_steps, "lenient {lenient}");
            assert!(streamed == two, "lenient {lenient}");
            assert_eq!(streamed.iter().filter(|&&b| b == b'\n').count(), 200_002);
            for t in [&ts, &t1, &t2s, &t2] {
                assert_eq!(
                    (t.lines, t.valid, t.invalid, t.empty),
                    (200_002, ts.valid, ts.invalid, ts.empty)
                );
            }
            assert!(ts.valid > 100_000 && ts.invalid > 20_000 && ts.empty > 20_000);
        }
    }
}
