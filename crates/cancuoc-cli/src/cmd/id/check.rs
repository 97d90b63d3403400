//! `cancuoc id check`: bulk check (kiểm tra hàng loạt) of personal ID numbers,
//! one per line on stdin, one verdict line per input line on stdout, a
//! summary on stderr.
//!
//! Built for millions of lines (the bar is ≥ 100× the Python `vn-ident`,
//! whole process, DESIGN.md §5):
//! - stdin is read in 1 MiB blocks; a line cut by the block's end is moved to
//!   the front of the buffer, and a line longer than the buffer grows it (the
//!   buffer holds at most one line beyond a block, never the whole input);
//! - a line of exactly 12 ASCII digits (optionally ending in `\r`) takes a
//!   byte-level fast path: a SWAR digit test and one table lookup per region
//!   code, and its verdict is assembled from precomputed fragments copied
//!   from [`VerdictTable`] and the input's own digits — no `fmt`, no
//!   allocation; every other line goes through the library parser
//!   ([`PersonalId::parse_bytes`] / [`PersonalId::parse_lenient_input`]) and
//!   gets its precise error;
//! - verdicts are appended to one output buffer, written once per block;
//! - with `CANCUOC_CHECK_THREADS=2` (opt-in, see [`threads`]) a large block
//!   is split at a newline near its middle and both halves are checked on two
//!   threads; outputs are written in input order and tallies are summed, so
//!   the output is byte for byte the single-thread output (`--json` numbers
//!   its lines and stays single-threaded).

use super::CheckArgs;
use crate::Ctx;
use crate::output::{exit_for, json_line, pick};
use cancuoc_core::i18n::{ErrorBody, Lang, Localized};
use cancuoc_core::id::{DecodeMode, IdError, PersonalId, Region, century_and_sex};
use cancuoc_core::person::Sex;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Size of one read from stdin.
const BLOCK: usize = 1 << 20;
/// Below this many bytes a block is checked on one thread (a thread's start
/// costs more than checking a few thousand lines).
const PARALLEL_MIN: usize = 256 << 10;

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

/// A short byte string kept inline: a fixed 16-byte array (copied with one
/// wide move) and the length that counts.
#[derive(Clone, Copy)]
struct Frag {
    bytes: [u8; 16],
    len: u8,
}

impl Frag {
    const NONE: Frag = Frag {
        bytes: [0; 16],
        len: 0,
    };

    fn of(parts: &[&[u8]]) -> Frag {
        let mut f = Frag::NONE;
        for p in parts {
            let n = usize::from(f.len);
            // Every fragment built below is at most 14 bytes.
            if let Some(slot) = f.bytes.get_mut(n..n + p.len()) {
                slot.copy_from_slice(p);
                f.len += p.len() as u8;
            }
        }
        f
    }
}

/// The pieces of a valid verdict line `valid\tID\tPPP\tkind\tsex\tYYYY\n`
/// that depend only on the region code and on the century-and-sex digit,
/// built once per run from the library's own decoding
/// ([`Region::from_code`], [`century_and_sex`]), so the fast path cannot
/// disagree with it.
struct VerdictTable {
    /// Per region code 0–999: `\tPPP\tkind\t`; empty (`len == 0`) when the
    /// code is unknown and the mode is strict (the line is then invalid).
    region: Vec<Frag>,
    /// Per `G` digit 0–9: `sex\tCC`, the first two digits of the year.
    century_sex: [Frag; 10],
}

impl VerdictTable {
    fn new(mode: DecodeMode) -> VerdictTable {
        let region = (0u16..1000)
            .map(|code| {
                let r = Region::from_code(code);
                if mode == DecodeMode::Strict && !r.is_known() {
                    return Frag::NONE;
                }
                let digits = three_digits(code);
                Frag::of(&[b"\t", &digits, b"\t", r.kind().as_bytes(), b"\t"])
            })
            .collect();
        let century_sex = std::array::from_fn(|g| {
            let (century, sex) = century_and_sex(g as u8);
            // Births of century 20 (as the law counts it) are 19YY, etc.
            let cc = century - 1;
            Frag::of(&[
                sex.label_en().as_bytes(),
                b"\t",
                &[b'0' + cc / 10, b'0' + cc % 10],
            ])
        });
        VerdictTable {
            region,
            century_sex,
        }
    }

    /// Appends the verdict of 12 ASCII digits `id` and returns `true`, or
    /// returns `false` (writing nothing) when the region code is not
    /// accepted in this mode.
    #[inline(always)]
    fn write_valid(&self, id: &[u8; 12], out: &mut Vec<u8>) -> bool {
        let code = usize::from(id[0] - b'0') * 100
            + usize::from(id[1] - b'0') * 10
            + usize::from(id[2] - b'0');
        let Some(r) = self.region.get(code) else {
            return false;
        };
        if r.len == 0 {
            return false;
        }
        let g = &self.century_sex[usize::from(id[3] - b'0') % 10];
        let mut line = [0u8; 64];
        line[..6].copy_from_slice(b"valid\t");
        line[6..18].copy_from_slice(id);
        line[18..34].copy_from_slice(&r.bytes);
        let mut n = 18 + usize::from(r.len);
        line[n..n + 16].copy_from_slice(&g.bytes);
        n += usize::from(g.len);
        line[n..n + 3].copy_from_slice(&[id[4], id[5], b'\n']);
        n += 3;
        // Copy a fixed 48 bytes (inlined wide moves, where a variable length
        // would call `memcpy`), then drop the tail: a line is at most 44.
        let keep = out.len() + n;
        out.extend_from_slice(&line[..48]);
        out.truncate(keep);
        true
    }
}

fn three_digits(code: u16) -> [u8; 3] {
    [
        b'0' + (code / 100 % 10) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
    ]
}

/// Whether all 12 bytes are ASCII digits, 8 and 4 bytes at a time (SWAR:
/// a byte is a digit iff its high nibble is 3 both as is and after adding
/// 6). Hand-rolled: a dozen lines, no SIMD crate needed in the CLI.
#[inline(always)]
fn all_digits(b: &[u8; 12]) -> bool {
    let mut lo = [0u8; 8];
    lo.copy_from_slice(&b[..8]);
    let mut hi = [0u8; 4];
    hi.copy_from_slice(&b[8..]);
    let x = u64::from_le_bytes(lo);
    let y = u32::from_le_bytes(hi);
    let ok64 = x & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
        && x.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030;
    let ok32 =
        y & 0xF0F0_F0F0 == 0x3030_3030 && y.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 == 0x3030_3030;
    ok64 & ok32
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

/// What one worker needs: settings, the table, its tally and output.
struct Checker<'a> {
    lenient: bool,
    json: bool,
    lang: Lang,
    table: &'a VerdictTable,
    tally: Tally,
    out: Vec<u8>,
    /// Verdict lines of errors already seen: bulk files repeat a few kinds
    /// of bad line, and formatting the bilingual message is the costliest
    /// step of an invalid line. Bounded so hostile input cannot grow it.
    invalid_lines: HashMap<IdError, Box<[u8]>>,
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
            out: Vec::new(),
            invalid_lines: HashMap::new(),
        }
    }

    /// Checks every line of `buf`, which holds whole lines: each ends with
    /// `\n`, except the last when `buf` is the end of the input.
    fn lines(&mut self, buf: &[u8]) -> anyhow::Result<()> {
        // A valid 13-byte line makes at most 44 bytes of verdict: reserve
        // once rather than grow (and copy) while checking.
        self.out.reserve(buf.len() / 13 * 44 + 64);
        let mut rest = buf;
        while !rest.is_empty() {
            // Fast path: `DDDDDDDDDDDD\n` or `DDDDDDDDDDDD\r\n`, text mode.
            if !self.json
                && let Some((id, tail)) = rest.split_first_chunk::<12>()
                && all_digits(id)
            {
                let skip = match tail {
                    [b'\n', ..] => 13,
                    [b'\r', b'\n', ..] => 14,
                    [] | [b'\r'] => 12 + tail.len(),
                    _ => 0,
                };
                if skip != 0 && self.table.write_valid(id, &mut self.out) {
                    self.tally.lines += 1;
                    self.tally.valid += 1;
                    rest = &rest[skip..];
                    continue;
                }
            }
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(nl) => (&rest[..nl], &rest[nl + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            self.line(line)?;
            rest = next;
        }
        Ok(())
    }

    /// Checks one input line (without its `\n`) through the library parser
    /// and writes its verdict.
    fn line(&mut self, line: &[u8]) -> anyhow::Result<()> {
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
        let out = &mut self.out;
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
                } else if !self.table.write_valid(d.id.as_bytes(), out) {
                    // The table accepts every region the decoder accepted in
                    // this mode; say so loudly if that ever breaks.
                    anyhow::bail!("internal error: no verdict fragment for {}", d.id);
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
                    out.extend_from_slice(b"empty\n");
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
                    out.extend_from_slice(line);
                } else {
                    let start = out.len();
                    writeln!(out, "invalid\t{}\t{}", e.code(), e.message(self.lang))?;
                    if self.invalid_lines.len() < INVALID_CACHE_LIMIT {
                        self.invalid_lines.insert(e, out[start..].into());
                    }
                }
            }
        }
        Ok(())
    }
}

/// How many threads to use: 1 unless `CANCUOC_CHECK_THREADS=2`. Two threads
/// halve the checking but not the reading, and on a loaded 2-core machine
/// the join waits on a descheduled helper: measured 2026-11-21 (load 5–6),
/// 1M lines took 64–70 ms wall on one thread and 92–94 ms on two, so the
/// split is opt-in until a quiet-machine measurement says otherwise.
fn threads() -> usize {
    match std::env::var("CANCUOC_CHECK_THREADS") {
        Ok(v) if v.trim() == "2" => 2,
        _ => 1,
    }
}

/// Runs `cancuoc id check`.
pub(super) fn check(a: &CheckArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let table = VerdictTable::new(if a.lenient {
        DecodeMode::Lenient
    } else {
        DecodeMode::Strict
    });
    let parallel = threads() > 1 && !a.json;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut sink = stdout.lock();
    let mut main = Checker::new(a, ctx.lang, &table);
    let mut helper = Checker::new(a, ctx.lang, &table);
    let mut buf = vec![0u8; BLOCK];
    // `buf[..filled]` holds unread input; lines before `start` are checked.
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
        let new_end = filled + n;
        filled = new_end;
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
        let block = &buf[..cut];
        if parallel && block.len() >= PARALLEL_MIN {
            let mid = block.len() / 2;
            let split = match block[mid..].iter().position(|&b| b == b'\n') {
                Some(i) => mid + i + 1,
                None => block.len(),
            };
            let (first, second) = block.split_at(split);
            let h = &mut helper;
            std::thread::scope(|s| -> anyhow::Result<()> {
                let job = s.spawn(move || h.lines(second));
                let r = main.lines(first);
                let r2 = job
                    .join()
                    .map_err(|_| anyhow::anyhow!("internal error: check thread failed"))?;
                r.and(r2)
            })?;
            sink.write_all(&main.out)?;
            main.out.clear();
            sink.write_all(&helper.out)?;
            helper.out.clear();
        } else {
            main.lines(block)?;
            sink.write_all(&main.out)?;
            main.out.clear();
        }
        if eof {
            break;
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
    sink.flush()?;
    drop(sink);
    let mut t = main.tally;
    t.add(&helper.tally);
    summary(&mut t, ctx.lang)?;
    Ok(exit_for(t.invalid == 0))
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

    #[test]
    fn swar_digit_test_matches_the_byte_test() {
        let mut id = *b"001099012345";
        assert!(all_digits(&id));
        for i in 0..12 {
            for b in 0..=255u8 {
                let saved = id[i];
                id[i] = b;
                assert_eq!(all_digits(&id), b.is_ascii_digit(), "byte {b} at {i}");
                id[i] = saved;
            }
        }
    }

    #[test]
    fn fragments_agree_with_the_library_decoder() {
        for mode in [DecodeMode::Strict, DecodeMode::Lenient] {
            let table = VerdictTable::new(mode);
            for code in 0..1000u16 {
                for g in 0..10u8 {
                    let text = format!("{code:03}{g}{:02}123456", (code + u16::from(g)) % 100);
                    let id = PersonalId::parse(&text).unwrap();
                    let mut out = Vec::new();
                    let fast = table.write_valid(id.as_bytes(), &mut out);
                    match id.decode(mode) {
                        Ok(dec) => {
                            assert!(fast, "{text}");
                            let want = format!(
                                "valid\t{}\t{code:03}\t{}\t{}\t{:04}\n",
                                dec.id,
                                dec.region.kind(),
                                dec.sex.label_en(),
                                dec.birth_year
                            );
                            assert_eq!(String::from_utf8(out).unwrap(), want);
                        }
                        Err(_) => assert!(!fast && out.is_empty(), "{text}"),
                    }
                }
            }
        }
    }
}
