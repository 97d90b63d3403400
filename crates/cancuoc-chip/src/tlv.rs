//! A small BER-TLV codec for the LDS elementary files (ISO/IEC 7816-4 and
//! ICAO Doc 9303 Part 10), and the walker the SOD parser uses.
//!
//! Hand-rolled on purpose: the LDS uses ISO 7816 two-byte tags such as
//! `5F01`, `5F1F`, `5F2E`, `7F60` and `7F61`; `5F01` is a tag number below 31
//! written in the high-tag form, which strict X.690 (DER) parsers — the `der`
//! crate among them — reject as non-minimal (research `card.md` §2.3,
//! bcgit/bc-java #1081). The SOD is DER, but verification needs the bytes of
//! `eContent` and `signedAttrs` exactly as read, which this walker keeps
//! (a typed decode and re-encode could reorder a SET and hide what was signed).
//!
//! Tags are kept as the big-endian number of their bytes (`0x5F01`, `0x30`,
//! `0xA0`), up to three bytes. Lengths are definite only (short form or long
//! form with up to four length bytes); the indefinite form is an error, as
//! the LDS files and the SOD are DER. Nothing here panics on any input.

use crate::ChipError;

/// One decoded TLV, borrowing from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag as the big-endian number of its bytes (`0x5F1F`).
    pub tag: u32,
    /// The value bytes.
    pub value: &'a [u8],
    /// The whole TLV (tag, length and value) as read.
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Whether the tag has the constructed bit (its first byte's bit 6).
    pub fn constructed(&self) -> bool {
        self.raw.first().is_some_and(|b| b & 0x20 != 0)
    }

    /// The children of a constructed value.
    pub fn children(&self) -> Result<Vec<Tlv<'a>>, ChipError> {
        parse_all(self.value)
    }
}

/// Reads one TLV from the start of `input`; returns it and the rest.
pub fn parse_one(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), ChipError> {
    let first = *input
        .first()
        .ok_or(ChipError::Tlv("empty input where a tag was expected"))?;
    let mut pos = 1usize;
    let mut tag = u32::from(first);
    if first & 0x1F == 0x1F {
        // High tag number form: subsequent bytes while bit 8 is set.
        loop {
            let b = *input.get(pos).ok_or(ChipError::Tlv("tag cut short"))?;
            pos += 1;
            if pos > 3 {
                return Err(ChipError::Tlv("tag longer than three bytes"));
            }
            tag = (tag << 8) | u32::from(b);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let l0 = *input.get(pos).ok_or(ChipError::Tlv("length missing"))?;
    pos += 1;
    let len = if l0 < 0x80 {
        usize::from(l0)
    } else if l0 == 0x80 {
        return Err(ChipError::Tlv("indefinite length is not allowed"));
    } else {
        let n = usize::from(l0 & 0x7F);
        if n > 4 {
            return Err(ChipError::Tlv("length of more than four bytes"));
        }
        let bytes = input
            .get(pos..pos + n)
            .ok_or(ChipError::Tlv("length cut short"))?;
        pos += n;
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    let end = pos
        .checked_add(len)
        .ok_or(ChipError::Tlv("length overflows"))?;
    let value = input
        .get(pos..end)
        .ok_or(ChipError::Tlv("value shorter than its length"))?;
    let raw = &input[..end];
    Ok((Tlv { tag, value, raw }, &input[end..]))
}

/// Reads exactly one TLV filling the whole input (no trailing bytes).
pub fn parse_exact(input: &[u8]) -> Result<Tlv<'_>, ChipError> {
    let (t, rest) = parse_one(input)?;
    if !rest.is_empty() {
        return Err(ChipError::Tlv("trailing bytes after the outer TLV"));
    }
    Ok(t)
}

/// Reads a run of TLVs filling the whole input.
pub fn parse_all(mut input: &[u8]) -> Result<Vec<Tlv<'_>>, ChipError> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let (t, rest) = parse_one(input)?;
        out.push(t);
        input = rest;
    }
    Ok(out)
}

/// Reads one TLV with the expected tag filling the whole input.
pub fn expect<'a>(input: &'a [u8], tag: u32, what: &str) -> Result<Tlv<'a>, ChipError> {
    let t = parse_exact(input)?;
    if t.tag != tag {
        return Err(ChipError::Structure(format!(
            "{what}: expected tag {tag:X}, found {:X}",
            t.tag
        )));
    }
    Ok(t)
}

/// The tag bytes of a tag number (one to three bytes).
fn tag_bytes(tag: u32) -> Vec<u8> {
    if tag > 0xFFFF {
        vec![(tag >> 16) as u8, (tag >> 8) as u8, tag as u8]
    } else if tag > 0xFF {
        vec![(tag >> 8) as u8, tag as u8]
    } else {
        vec![tag as u8]
    }
}

/// The DER length bytes of `len` (minimal form).
pub fn length_bytes(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let mut out = vec![0x80 | (bytes.len() - skip) as u8];
    out.extend_from_slice(&bytes[skip..]);
    out
}

/// Encodes one TLV.
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = tag_bytes(tag);
    out.extend(length_bytes(value.len()));
    out.extend_from_slice(value);
    out
}

/// Encodes one constructed TLV from its already encoded children.
pub fn encode_parts(tag: u32, parts: &[&[u8]]) -> Vec<u8> {
    encode(tag, &parts.concat())
}

/// DER INTEGER of a non-negative number.
pub fn der_uint(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    let mut v = bytes[skip..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    encode(0x02, &v)
}

/// Reads a DER/BER INTEGER value as a small non-negative number.
pub fn read_uint(t: &Tlv<'_>) -> Option<u64> {
    if t.tag != 0x02 || t.value.is_empty() || t.value.len() > 9 || t.value[0] & 0x80 != 0 {
        return None;
    }
    let v = if t.value.len() == 9 {
        if t.value[0] != 0 {
            return None;
        }
        &t.value[1..]
    } else {
        t.value
    };
    Some(v.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// DER SET OF: the elements sorted by their encodings (X.690 §11.6).
pub fn der_set_of(mut elements: Vec<Vec<u8>>) -> Vec<u8> {
    elements.sort();
    encode(0x31, &elements.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_byte_tags_and_long_lengths_round_trip() {
        let value = vec![0xAB; 300];
        let enc = encode(0x5F2E, &value);
        assert_eq!(&enc[..4], &[0x5F, 0x2E, 0x82, 0x01]);
        let t = parse_exact(&enc).unwrap();
        assert_eq!(t.tag, 0x5F2E);
        assert_eq!(t.value, &value[..]);
        assert!(!t.constructed());
        let c = encode(0x7F61, &encode(0x02, &[1]));
        assert!(parse_exact(&c).unwrap().constructed());
    }

    #[test]
    fn bad_inputs_are_errors() {
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0x80],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
            &[0x30, 0x03, 1],
            &[0x5F],
            &[0x5F, 0x81, 0x81, 0x01, 0x00],
        ] {
            assert!(parse_exact(bad).is_err(), "{bad:02X?}");
        }
    }

    #[test]
    fn integers() {
        for n in [0u64, 1, 127, 128, 255, 256, 65535, u64::MAX] {
            let enc = der_uint(n);
            let t = parse_exact(&enc).unwrap();
            assert_eq!(read_uint(&t), Some(n));
        }
    }
}
