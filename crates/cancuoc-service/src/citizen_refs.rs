//! Opaque citizen references (mã tham chiếu công dân): how a front end
//! addresses a citizen record it was shown without the sequential record
//! id (walkable) or the personal ID (personal data in a URL, its logs and
//! its history). A reference is 32 hex digits, made for one officer:
//!
//! ```text
//! tag = SipHash-2-4(k_tag; officer id ‖ record id)      64 bits
//! ref = hex(record id XOR SipHash-2-4(k_pad; tag)) ‖ hex(tag)
//! ```
//!
//! so it hides the record id, cannot be made without the key (a forgery
//! is a 2⁻⁶⁴ guess), and does not work for another officer (a link passed
//! on is unknown to its new holder). It does not expire and grants
//! nothing: each read through it is checked against the reader's scope and
//! audited like any other. The keys are derived from the ID allocator's
//! key (`Allocator::derive_key`), the one secret every process of a
//! deployment already shares, so references survive a restart and work on
//! every server behind a load balancer.

use std::hash::Hasher;

use cancuoc_core::id::alloc::Allocator;
use cancuoc_store::{CitizenId, OfficerId};
use siphasher::sip::SipHasher24;

/// A reference to one citizen for one officer, as a front end carries it
/// (a path segment, a form field). Made by
/// [`crate::Service::citizen_ref`]; anything else read from a request is
/// taken as it is and refused when resolved if it is not one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CitizenRef(String);

impl CitizenRef {
    /// A reference as a request presents it (checked when resolved).
    pub fn presented(s: &str) -> Self {
        Self(s.trim().to_ascii_lowercase())
    }

    /// The reference's text (32 hex digits when well formed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CitizenRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Not the reference itself: a bearer of it may read the record.
impl std::fmt::Debug for CitizenRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CitizenRef(<opaque>)")
    }
}

/// The two keys of the references.
#[derive(Clone)]
pub(crate) struct RefKeys {
    tag: [u8; 16],
    pad: [u8; 16],
}

impl std::fmt::Debug for RefKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefKeys { <redacted> }")
    }
}

impl RefKeys {
    /// The keys derived from the allocator's.
    pub(crate) fn derive(allocator: &Allocator) -> Self {
        Self {
            tag: allocator.derive_key(b"cancuoc/citizen-ref/tag/v1"),
            pad: allocator.derive_key(b"cancuoc/citizen-ref/pad/v1"),
        }
    }

    fn tag(&self, officer: OfficerId, citizen: i64) -> u64 {
        let mut h = SipHasher24::new_with_key(&self.tag);
        h.write(&officer.0.to_le_bytes());
        h.write(&citizen.to_le_bytes());
        h.finish()
    }

    fn pad(&self, tag: u64) -> u64 {
        let mut h = SipHasher24::new_with_key(&self.pad);
        h.write(&tag.to_le_bytes());
        h.finish()
    }

    /// The reference to record `citizen` for `officer`.
    pub(crate) fn seal(&self, officer: OfficerId, citizen: CitizenId) -> CitizenRef {
        let tag = self.tag(officer, citizen.0);
        let hidden = (citizen.0 as u64) ^ self.pad(tag);
        CitizenRef(format!("{hidden:016x}{tag:016x}"))
    }

    /// The record a reference made for `officer` names; `None` for anything
    /// else (malformed, forged, or made for another officer).
    pub(crate) fn open(&self, officer: OfficerId, r: &CitizenRef) -> Option<CitizenId> {
        let s = r.as_str();
        if s.len() != 32 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let hidden = u64::from_str_radix(&s[..16], 16).ok()?;
        let tag = u64::from_str_radix(&s[16..], 16).ok()?;
        let id = (hidden ^ self.pad(tag)) as i64;
        (self.tag(officer, id) == tag).then_some(CitizenId(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> RefKeys {
        RefKeys::derive(&Allocator::new([3; 16]))
    }

    #[test]
    fn a_reference_opens_for_its_officer_only() {
        let k = keys();
        let (a, b) = (OfficerId(7), OfficerId(8));
        for id in [1, 2, 42, 1_000_000, i64::MAX] {
            let r = k.seal(a, CitizenId(id));
            assert_eq!(r.as_str().len(), 32);
            assert_eq!(k.open(a, &r), Some(CitizenId(id)));
            assert_eq!(k.open(b, &r), None, "another officer");
            assert_eq!(
                k.open(a, &CitizenRef::presented(&r.as_str().to_uppercase())),
                Some(CitizenId(id)),
                "case does not matter"
            );
        }
        // Consecutive records give unrelated references.
        let (r1, r2) = (k.seal(a, CitizenId(1)), k.seal(a, CitizenId(2)));
        let same = r1
            .as_str()
            .bytes()
            .zip(r2.as_str().bytes())
            .filter(|(x, y)| x == y)
            .count();
        assert!(same < 12, "{r1} {r2}");
        // Another key: the reference means nothing.
        let other = RefKeys::derive(&Allocator::new([4; 16]));
        assert_eq!(other.open(a, &r1), None);
    }

    #[test]
    fn a_changed_digit_or_a_malformed_reference_opens_nothing() {
        let k = keys();
        let me = OfficerId(7);
        let r = k.seal(me, CitizenId(12)).as_str().to_owned();
        for i in 0..32 {
            let mut b = r.clone().into_bytes();
            b[i] = if b[i] == b'0' { b'1' } else { b'0' };
            let changed = CitizenRef::presented(std::str::from_utf8(&b).expect("ascii"));
            assert_eq!(k.open(me, &changed), None, "digit {i}");
        }
        for bad in ["", "12", &r[..31], &format!("{r}0"), &"g".repeat(32), "١٢"] {
            assert_eq!(k.open(me, &CitizenRef::presented(bad)), None, "{bad:?}");
        }
        assert_eq!(
            format!("{:?}", CitizenRef::presented(&r)),
            "CitizenRef(<opaque>)"
        );
        assert!(!format!("{k:?}").contains('['));
    }
}
