//! The fast path of `cancuoc id check`: a line of exactly 12 ASCII digits
//! (optionally ending in `\r`) whose region code is accepted gets its verdict
//! from byte operations and two small tables, written in place into the
//! output buffer; every other line is left to the library parser.
//!
//! A valid verdict is `valid\tID\tPPP\tkind\tsex\tCCYY\n`: `ID`, `PPP` (its
//! first three digits) and `YY` (its 5th and 6th) are copied from the input;
//! `\tkind\tsex\tCC` depends only on the kind of region (tỉnh / quốc gia) and
//! on the century-and-sex digit, so it comes from a table of a few dozen
//! fragments built once from the library's own decoding
//! ([`Region::from_code`], [`century_and_sex`]): the fast path cannot
//! disagree with it (a unit test walks every region code and digit).
//!
//! Per line: one 8-byte and one 4-byte load, a SWAR digit test, a lookup in
//! a byte table by region code and one in the fragments, and six
//! fixed-size stores at the output cursor: the ID words shifted into place
//! in registers, the fragment copied whole (no `fmt`, no allocation, no
//! `memcpy` call). The cursor is a local register; building the line in a
//! stack array and copying it out instead costs a store-to-load-forwarding
//! stall per line (measured: a third of the time).

use cancuoc_core::id::{DecodeMode, Region, century_and_sex};
use std::io::Write;

/// Bytes a valid verdict may occupy while it is written: fragments are
/// copied whole (32 bytes) and cut to length afterwards.
const SLOT: usize = 64;

/// `\tkind\tsex\tCC` in the first bytes of a 32-byte array (copied with two
/// wide moves), its length in the last byte (fragments are at most 19
/// bytes); length 0 means "not valid here".
type Frag = [u8; 32];

/// Rows of [`VerdictTable::tails`] (row 0 and one per kind of region) and
/// entries per row (`G` is 0–9; 16 makes the index a shift).
const ROWS: usize = 4;
const ROW: usize = 16;

/// What the fast path needs to know, built once per run.
pub(super) struct VerdictTable {
    /// Per region code 0–999: which row of `tails`, or 0 when the code is
    /// not accepted in this mode (unknown code, strict mode). Sized so that
    /// any 3 bytes that pass the digit test index it without a bounds check.
    row: Box<[u8; 2048]>,
    /// `\tkind\tsex\tCC` for row `r`, digit `G` at `r * ROW + G`; row 0 is
    /// all length 0.
    tails: Box<[Frag; ROWS * ROW]>,
}

impl VerdictTable {
    pub(super) fn new(mode: DecodeMode) -> VerdictTable {
        let mut kinds: Vec<&'static str> = Vec::new();
        let mut row = Box::new([0u8; 2048]);
        for (code, r) in (0u16..1000).zip(row.iter_mut()) {
            let region = Region::from_code(code);
            if mode == DecodeMode::Strict && !region.is_known() {
                continue;
            }
            let k = match kinds.iter().position(|&k| k == region.kind()) {
                Some(k) => k,
                None => {
                    kinds.push(region.kind());
                    kinds.len() - 1
                }
            };
            // Three kinds of region (province, country, unknown); a kind
            // beyond the table's rows stays 0 and its lines go to the
            // parser (the unit test below would fail first).
            if k + 1 < ROWS {
                *r = (k + 1) as u8;
            }
        }
        let mut tails = Box::new([[0u8; 32]; ROWS * ROW]);
        for (k, kind) in kinds.iter().enumerate().take(ROWS - 1) {
            for g in 0..10u8 {
                let (century, sex) = century_and_sex(g);
                // Births of century 20 (as the law counts it) are 19YY, etc.
                let cc = century - 1;
                let text = [
                    b"\t",
                    kind.as_bytes(),
                    b"\t",
                    sex.label_en().as_bytes(),
                    b"\t",
                    &[b'0' + cc / 10, b'0' + cc % 10],
                ]
                .concat();
                let f = &mut tails[(k + 1) * ROW + usize::from(g)];
                if let Some(dst) = f.get_mut(..text.len()).filter(|_| text.len() < 32) {
                    dst.copy_from_slice(&text);
                    f[31] = text.len() as u8;
                }
            }
        }
        VerdictTable { row, tails }
    }

    /// Writes the verdict of 12 ASCII digits (`x`: the first 8 as a
    /// little-endian word, `y`: the last 4) at the start of `slot` and
    /// returns its length, or returns `None` (the slot's content is then
    /// meaningless) when the region code is not accepted in this mode.
    #[inline(always)]
    fn write_valid(&self, x: u64, y: u32, slot: &mut [u8; SLOT]) -> Option<usize> {
        let code = (x & 0xF) * 100 + (x >> 8 & 0xF) * 10 + (x >> 16 & 0xF);
        let row = usize::from(self.row[code as usize & 2047]);
        let g = (x >> 24 & 0xF) as usize;
        let tail = &self.tails[(row * ROW + g) & (ROWS * ROW - 1)];
        let len = usize::from(tail[31] & 31);
        if len == 0 {
            return None;
        }
        // `valid\t`, then the ID, `\t` and its first three digits (PPP),
        // assembled in registers and stored 8 bytes at a time.
        let id_lo = x << 48 | u64::from_le_bytes(*b"valid\t\0\0");
        let id_mid = x >> 16 | u64::from(y) << 48;
        let id_hi = u64::from(y >> 16) | u64::from(b'\t') << 16 | (x & 0xFF_FFFF) << 24;
        slot[..8].copy_from_slice(&id_lo.to_le_bytes());
        slot[8..16].copy_from_slice(&id_mid.to_le_bytes());
        slot[16..24].copy_from_slice(&id_hi.to_le_bytes());
        slot[22..54].copy_from_slice(tail);
        // YY (the ID's 5th and 6th digits) and `\n`.
        let n = 22 + len;
        let yy = (x >> 32 & 0xFFFF) as u32 | u32::from(b'\n') << 16;
        slot[n..n + 4].copy_from_slice(&yy.to_le_bytes());
        Some(n + 3)
    }
}

/// The 12 bytes as two little-endian words (first 8, last 4).
#[inline(always)]
fn words(b: &[u8; 12]) -> (u64, u32) {
    let mut lo = [0u8; 8];
    lo.copy_from_slice(&b[..8]);
    let mut hi = [0u8; 4];
    hi.copy_from_slice(&b[8..]);
    (u64::from_le_bytes(lo), u32::from_le_bytes(hi))
}

/// Whether all 12 bytes are ASCII digits, given as [`words`] (SWAR: a byte
/// is a digit iff its high nibble is 3 both as is and after adding 6).
/// Hand-rolled: a dozen lines, no SIMD crate needed in the CLI.
#[inline(always)]
fn all_digits(x: u64, y: u32) -> bool {
    let ok64 = x & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
        && x.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030;
    let ok32 =
        y & 0xF0F0_F0F0 == 0x3030_3030 && y.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 == 0x3030_3030;
    ok64 & ok32
}

/// Verdict bytes of one step: `buf[..len]`. The rest of `buf` is room,
/// zeroed once when it grows, so the fast path writes fixed-size pieces in
/// place and then moves `len` — in safe code, without `Vec::set_len`.
#[derive(Default)]
pub(super) struct OutBuf {
    buf: Vec<u8>,
    len: usize,
}

impl OutBuf {
    /// The verdicts written so far.
    pub(super) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// Forgets the verdicts (after they were written out), keeps the room.
    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// Makes room for `n` more bytes; grows by doubling.
    fn room(&mut self, n: usize) {
        let need = self.len + n;
        if need > self.buf.len() {
            self.buf.resize(need.max(self.buf.len() * 2).max(4096), 0);
        }
    }

    /// Makes room for the fast path's output of `input` bytes of input: a
    /// 13-byte line makes at most 44 bytes of verdict.
    pub(super) fn reserve_for(&mut self, input: usize) {
        self.room(input / 13 * 44 + input / 4 + SLOT);
    }

    /// The verdict line last appended (from byte `start` on).
    pub(super) fn since(&self, start: usize) -> &[u8] {
        self.buf.get(start..self.len).unwrap_or_default()
    }

    /// Where the next byte goes.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Appends the verdict of `id` if it is valid in this mode (see
    /// [`VerdictTable::write_valid`]).
    pub(super) fn push_valid(&mut self, table: &VerdictTable, id: &[u8; 12]) -> bool {
        self.room(SLOT);
        let Some(slot) = self
            .buf
            .get_mut(self.len..)
            .and_then(|s| s.first_chunk_mut::<SLOT>())
        else {
            return false;
        };
        let (x, y) = words(id);
        if !all_digits(x, y) {
            return false;
        }
        match table.write_valid(x, y, slot) {
            Some(n) => {
                self.len += n;
                true
            }
            None => false,
        }
    }
}

impl Write for OutBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.room(data.len());
        if let Some(dst) = self.buf.get_mut(self.len..self.len + data.len()) {
            dst.copy_from_slice(data);
            self.len += data.len();
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Checks the leading lines of `input` that take the fast path, appending
/// their verdicts to `out`; returns how many lines that was and the input
/// left from the first line that needs the parser (or is empty).
#[inline(never)]
pub(super) fn run<'b>(table: &VerdictTable, out: &mut OutBuf, input: &'b [u8]) -> (u64, &'b [u8]) {
    out.reserve_for(input.len());
    // Locals, so the cursor and the buffer stay in registers across lines.
    // `reserve_for` made room for every line of `input`; should it not
    // suffice, the loop stops and the caller's next call makes more.
    let dst = out.buf.as_mut_slice();
    let mut len = out.len;
    let mut rest = input;
    let mut lines = 0u64;
    loop {
        // The common line, `DDDDDDDDDDDD\n` with 3 more bytes readable:
        // tested and decoded from two 8-byte words, one branch for the test.
        while let Some(w) = rest.first_chunk::<16>() {
            let (x, w) = two_words(w);
            if !digits_then_newline(x, w) {
                break;
            }
            let Some(slot) = dst.get_mut(len..).and_then(|s| s.first_chunk_mut::<SLOT>()) else {
                break;
            };
            let Some(n) = table.write_valid(x, w as u32, slot) else {
                break;
            };
            len += n;
            lines += 1;
            rest = rest.get(13..).unwrap_or_default();
        }
        // Any other line: `\r\n`, the input's last line, or one the loop
        // above stopped at (which then stops here too).
        let Some((id, tail)) = rest.split_first_chunk::<12>() else {
            break;
        };
        let (x, y) = words(id);
        if !all_digits(x, y) {
            break;
        }
        let skip = match tail {
            [b'\n', ..] => 13,
            [b'\r', b'\n', ..] => 14,
            [] | [b'\r'] => 12 + tail.len(),
            _ => break,
        };
        let Some(slot) = dst.get_mut(len..).and_then(|s| s.first_chunk_mut::<SLOT>()) else {
            break;
        };
        let Some(n) = table.write_valid(x, y, slot) else {
            break;
        };
        len += n;
        lines += 1;
        rest = rest.get(skip..).unwrap_or_default();
    }
    out.len = len;
    (lines, rest)
}

/// 16 bytes as two little-endian words.
#[inline(always)]
fn two_words(b: &[u8; 16]) -> (u64, u64) {
    let mut lo = [0u8; 8];
    lo.copy_from_slice(&b[..8]);
    let mut hi = [0u8; 8];
    hi.copy_from_slice(&b[8..]);
    (u64::from_le_bytes(lo), u64::from_le_bytes(hi))
}

/// Whether bytes 0–11 of the 16 in [`two_words`] are ASCII digits and byte
/// 12 is `\n` (as [`all_digits`], branch-free; bytes 13–15 are ignored).
#[inline(always)]
fn digits_then_newline(x: u64, w: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    const SIXES: u64 = 0x0606_0606_0606_0606;
    let bad_x = (x & HIGH ^ THREES) | (x.wrapping_add(SIXES) & HIGH ^ THREES);
    // Bytes 8–11 digits, byte 12 `\n`. Adding 6 to byte 11 can carry into
    // byte 12 only if byte 11 is 0xFA or more, which the first test rejects.
    let bad_w = (w & 0xFF_F0F0_F0F0 ^ 0x0A_3030_3030)
        | (w.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 ^ 0x3030_3030);
    bad_x | bad_w == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::id::PersonalId;

    #[test]
    fn swar_digit_test_matches_the_byte_test() {
        let mut id = *b"001099012345";
        let (x, y) = words(&id);
        assert!(all_digits(x, y));
        for i in 0..12 {
            for b in 0..=255u8 {
                let saved = id[i];
                id[i] = b;
                let (x, y) = words(&id);
                assert_eq!(all_digits(x, y), b.is_ascii_digit(), "byte {b} at {i}");
                id[i] = saved;
            }
        }
    }

    #[test]
    fn two_word_test_matches_the_byte_test() {
        let mut b = *b"001099012345\n999";
        let ok = |b: &[u8; 16]| b[..12].iter().all(u8::is_ascii_digit) && b[12] == b'\n';
        let (x, w) = two_words(&b);
        assert!(digits_then_newline(x, w));
        for i in 0..16 {
            for v in 0..=255u8 {
                let saved = b[i];
                b[i] = v;
                let (x, w) = two_words(&b);
                assert_eq!(digits_then_newline(x, w), ok(&b), "byte {v} at {i}");
                b[i] = saved;
            }
        }
        // Pairs of neighbouring bytes, for carries between them.
        for i in 0..15 {
            for v in (0..=255u8).step_by(3) {
                for u in [0x00, 0x09, 0x0A, 0x2F, 0x30, 0x39, 0x3A, 0xF9, 0xFA, 0xFF] {
                    let saved = (b[i], b[i + 1]);
                    (b[i], b[i + 1]) = (v, u);
                    let (x, w) = two_words(&b);
                    assert_eq!(digits_then_newline(x, w), ok(&b), "{v} {u} at {i}");
                    (b[i], b[i + 1]) = saved;
                }
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
                    let mut out = OutBuf::default();
                    let fast = out.push_valid(&table, id.as_bytes());
                    // Twice: the first line takes the two-word loop (16 bytes
                    // readable), the second the general one.
                    let line = format!("{text}\n{text}\n").into_bytes();
                    let mut run_out = OutBuf::default();
                    let (n, rest) = run(&table, &mut run_out, &line);
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
                            assert_eq!(String::from_utf8(out.as_bytes().to_vec()).unwrap(), want);
                            assert_eq!((n, rest), (2, &b""[..]), "{text}");
                            assert_eq!(run_out.as_bytes(), want.repeat(2).as_bytes());
                        }
                        Err(_) => {
                            assert!(!fast && out.as_bytes().is_empty(), "{text}");
                            assert_eq!((n, rest), (0, &line[..]), "{text}");
                            assert!(run_out.as_bytes().is_empty(), "{text}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn run_stops_at_the_first_line_for_the_parser() {
        let table = VerdictTable::new(DecodeMode::Strict);
        let mut out = OutBuf::default();
        let input = b"001099012345\r\n079199000001\n00109901234\n001099012345";
        let (n, rest) = run(&table, &mut out, input);
        assert_eq!(n, 2);
        assert_eq!(rest, b"00109901234\n001099012345");
        let (n, rest) = run(&table, &mut out, rest.get(12..).unwrap());
        assert_eq!((n, rest), (1, &b""[..]));
        assert_eq!(
            out.as_bytes(),
            b"valid\t001099012345\t001\tprovince\tmale\t1999\n\
              valid\t079199000001\t079\tprovince\tfemale\t1999\n\
              valid\t001099012345\t001\tprovince\tmale\t1999\n"
        );
        // Output beyond the first growth: the cursor and room stay right.
        let many = b"001099012345\n".repeat(5000);
        let mut out = OutBuf::default();
        assert_eq!(run(&table, &mut out, &many).0, 5000);
        let one = b"valid\t001099012345\t001\tprovince\tmale\t1999\n";
        assert_eq!(out.as_bytes(), one.repeat(5000));
    }
}
