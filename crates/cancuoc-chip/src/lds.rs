//! EF.COM, DG1 and DG2 of the ICAO Doc 9303 LDS (Part 10), written and read
//! with the [`crate::tlv`] codec (research `card.md` §2.1):
//!
//! - EF.COM = `60 { 5F01 "0107", 5F36 "040000", 5C <tag list> }`;
//! - DG1 = `61 { 5F1F <90 MRZ characters of a TD1 card> }`;
//! - DG2 = `75 { 7F61 { 02 01 01, 7F60 { A1 {biometric header template},
//!   5F2E <ISO/IEC 19794-5:2005 facial record> } } }`.
//!
//! The facial record is the minimal valid 2005 layout: the general header
//! (`FAC\0`, `010\0`, record length, one image), one facial record block
//! with no feature points, the image information block (full frontal,
//! JPEG) and the image bytes.

use crate::ChipError;
use crate::tlv;

/// EF.COM's tag.
pub const TAG_COM: u8 = 0x60;
/// DG1's tag.
pub const TAG_DG1: u8 = 0x61;
/// DG2's tag.
pub const TAG_DG2: u8 = 0x75;
/// DG13's tag.
pub const TAG_DG13: u8 = 0x6D;
/// DG14's tag.
pub const TAG_DG14: u8 = 0x6E;
/// DG15's tag.
pub const TAG_DG15: u8 = 0x6F;

/// EF.COM listing the data groups whose tags are given.
pub fn ef_com(tags: &[u8]) -> Vec<u8> {
    tlv::encode_parts(
        u32::from(TAG_COM),
        &[
            &tlv::encode(0x5F01, b"0107"),
            &tlv::encode(0x5F36, b"040000"),
            &tlv::encode(0x5C, tags),
        ],
    )
}

/// The contents of EF.COM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Com {
    /// LDS version (`0107`).
    pub lds_version: String,
    /// Unicode version (`040000`).
    pub unicode_version: String,
    /// The tags of the data groups present.
    pub tags: Vec<u8>,
}

/// Reads EF.COM.
pub fn parse_com(bytes: &[u8]) -> Result<Com, ChipError> {
    let outer = tlv::expect(bytes, u32::from(TAG_COM), "EF.COM")?;
    let mut com = Com {
        lds_version: String::new(),
        unicode_version: String::new(),
        tags: Vec::new(),
    };
    for c in outer.children()? {
        match c.tag {
            0x5F01 => com.lds_version = String::from_utf8_lossy(c.value).into_owned(),
            0x5F36 => com.unicode_version = String::from_utf8_lossy(c.value).into_owned(),
            0x5C => com.tags = c.value.to_vec(),
            _ => {}
        }
    }
    Ok(com)
}

/// DG1 holding the given MRZ characters (90 for a TD1 card).
pub fn dg1(mrz: &str) -> Result<Vec<u8>, ChipError> {
    if !mrz.is_ascii() {
        return Err(ChipError::Mrz("the MRZ is not ASCII".into()));
    }
    Ok(tlv::encode(
        u32::from(TAG_DG1),
        &tlv::encode(0x5F1F, mrz.as_bytes()),
    ))
}

/// The MRZ characters of DG1 (one run, no line breaks).
pub fn parse_dg1(bytes: &[u8]) -> Result<String, ChipError> {
    let outer = tlv::expect(bytes, u32::from(TAG_DG1), "DG1")?;
    let inner = tlv::expect(outer.value, 0x5F1F, "DG1 MRZ")?;
    if !inner.value.is_ascii() {
        return Err(ChipError::Structure("DG1: MRZ is not ASCII".into()));
    }
    Ok(String::from_utf8_lossy(inner.value).into_owned())
}

/// An ISO/IEC 19794-5:2005 facial record with one JPEG image.
/// `gender`: 0 unspecified, 1 male, 2 female.
pub fn facial_record(image: &[u8], gender: u8) -> Vec<u8> {
    let (w, h) = jpeg_size(image).unwrap_or((0, 0));
    // Facial record block: 20-byte header + 12-byte image information + image.
    let block_len = 20 + 12 + image.len();
    let record_len = 14 + block_len;
    let mut r = Vec::with_capacity(record_len);
    r.extend_from_slice(b"FAC\0");
    r.extend_from_slice(b"010\0");
    r.extend_from_slice(&(record_len as u32).to_be_bytes());
    r.extend_from_slice(&1u16.to_be_bytes()); // number of facial images
    r.extend_from_slice(&(block_len as u32).to_be_bytes());
    r.extend_from_slice(&0u16.to_be_bytes()); // feature points
    r.push(gender);
    r.push(0); // eye colour: unspecified
    r.push(0); // hair colour: unspecified
    r.extend_from_slice(&[0, 0, 0]); // feature mask
    r.extend_from_slice(&[0, 0]); // expression: unspecified
    r.extend_from_slice(&[0, 0, 0]); // pose angle yaw/pitch/roll: unspecified
    r.extend_from_slice(&[0, 0, 0]); // pose angle uncertainty
    // Image information.
    r.push(1); // face image type: full frontal
    r.push(0); // image data type: JPEG
    r.extend_from_slice(&w.to_be_bytes());
    r.extend_from_slice(&h.to_be_bytes());
    r.push(1); // colour space: 24-bit RGB
    r.push(0); // source type: unspecified
    r.extend_from_slice(&[0, 0]); // device type
    r.extend_from_slice(&[0, 0]); // quality
    r.extend_from_slice(image);
    r
}

/// Width and height from a JPEG's first SOFn marker.
fn jpeg_size(b: &[u8]) -> Option<(u16, u16)> {
    if b.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2usize;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]);
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]);
            return Some((w, h));
        }
        i = i.checked_add(2 + len)?;
    }
    None
}

/// The image bytes of the first facial record of a 19794-5:2005 record.
pub fn parse_facial_record(r: &[u8]) -> Result<&[u8], ChipError> {
    let bad = |m: &str| ChipError::Structure(format!("ISO/IEC 19794-5 record: {m}"));
    if r.get(0..4) != Some(b"FAC\0") {
        return Err(bad("no FAC format identifier"));
    }
    let be32 = |at: usize| -> Result<usize, ChipError> {
        r.get(at..at + 4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
            .ok_or_else(|| bad("cut short"))
    };
    let block_len = be32(14)?;
    let points = r
        .get(18..20)
        .map(|s| usize::from(u16::from_be_bytes([s[0], s[1]])))
        .ok_or_else(|| bad("cut short"))?;
    let start = 14 + 20 + 8 * points + 12;
    let end = 14usize
        .checked_add(block_len)
        .ok_or_else(|| bad("block length overflows"))?;
    r.get(start..end)
        .ok_or_else(|| bad("image data outside the record"))
}

/// DG2 holding one facial record with `image` (JPEG).
pub fn dg2(image: &[u8], gender: u8) -> Vec<u8> {
    // Biometric header template: ICAO header version 1.1, type face (2),
    // format owner ISO/IEC JTC 1 SC 37 (0101), format type 0008 (19794-5).
    let bht = [
        tlv::encode(0x80, &[0x01, 0x01]),
        tlv::encode(0x81, &[0x02]),
        tlv::encode(0x87, &[0x01, 0x01]),
        tlv::encode(0x88, &[0x00, 0x08]),
    ]
    .concat();
    let bit = tlv::encode_parts(
        0x7F60,
        &[
            &tlv::encode(0xA1, &bht),
            &tlv::encode(0x5F2E, &facial_record(image, gender)),
        ],
    );
    let group = tlv::encode_parts(0x7F61, &[&tlv::der_uint(1), &bit]);
    tlv::encode(u32::from(TAG_DG2), &group)
}

/// The portrait image of DG2 (the first biometric information template).
pub fn parse_dg2(bytes: &[u8]) -> Result<Vec<u8>, ChipError> {
    let outer = tlv::expect(bytes, u32::from(TAG_DG2), "DG2")?;
    let group = tlv::expect(outer.value, 0x7F61, "DG2 biometric group")?;
    for c in group.children()? {
        if c.tag == 0x7F60 {
            for d in c.children()? {
                if d.tag == 0x5F2E {
                    return parse_facial_record(d.value).map(<[u8]>::to_vec);
                }
            }
        }
    }
    Err(ChipError::Structure("DG2: no 5F2E facial record".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn com_round_trip() {
        let b = ef_com(&[TAG_DG1, TAG_DG2, TAG_DG13]);
        assert_eq!(&b[..2], &[0x60, 0x15]); // 7 + 9 + 5 bytes
        let c = parse_com(&b).unwrap();
        assert_eq!(c.lds_version, "0107");
        assert_eq!(c.unicode_version, "040000");
        assert_eq!(c.tags, vec![0x61, 0x75, 0x6D]);
    }

    #[test]
    fn dg2_round_trip_keeps_the_image() {
        let img = crate::SILHOUETTE_JPEG;
        let b = dg2(img, 2);
        assert_eq!(parse_dg2(&b).unwrap(), img);
        assert_eq!(jpeg_size(img), Some((120, 160)));
    }

    #[test]
    fn dg1_round_trip() {
        let mrz = "I".repeat(90);
        assert_eq!(parse_dg1(&dg1(&mrz).unwrap()).unwrap(), mrz);
    }
}
