//! Fuzz target: arbitrary bytes through the MRZ parser and every accessor,
//! and arbitrary text as a name through the Vietnamese encoder (which must
//! then parse back with every check digit agreeing, and with an expiry
//! exactly when it was given one).
#![no_main]
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::PersonalId;
use cancuoc_core::mrz::{self, bac, vn};
use cancuoc_core::person::Sex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = jiff::civil::date(2026, 11, 21);
    match mrz::parse(text) {
        Ok(m) => {
            let _ = (m.surname_string(), m.given_names_string());
            let _ = (m.birth_date_on(today), m.expiry_on(today), m.sex());
            let _ = (
                m.document_number().to_string(),
                m.optional_data(),
                m.personal_id(),
            );
            let _ = bac::mrz_information(&m);
            for c in m.checks() {
                let _ = (c.message_vi(), c.message_en());
            }
            for e in m.field_errors() {
                let _ = (e.message_vi(), e.message_en());
            }
            assert_eq!(
                m.is_valid(),
                m.field_errors().is_empty() && m.checks().iter().all(|c| c.ok)
            );
        }
        Err(e) => {
            let _ = (e.message_vi(), e.message_en());
        }
    }

    // The same text as a name on a Vietnamese card.
    let Ok(personal_id) = PersonalId::parse("079185000123") else {
        return;
    };
    let card = vn::CardData {
        personal_id,
        full_name: text,
        birth_date: jiff::civil::date(1985, 6, 30),
        sex: if data.len() % 2 == 0 {
            Sex::Male
        } else {
            Sex::Female
        },
        // No expiry, or one drawn from the first bytes (31 December of a
        // year ending in 99 included, which encode must refuse).
        expiry: match data {
            [a, b, c, ..] if a % 5 != 0 => jiff::civil::Date::new(
                1985 + i16::from(*a % 200),
                1 + (*b % 12) as i8,
                if c % 4 == 0 { 31 } else { 1 + (*c % 28) as i8 },
            )
            .ok(),
            _ => None,
        },
    };
    if let Ok(zone) = vn::encode(&card) {
        let encoded = zone.to_string();
        let m = mrz::parse(&encoded).expect("encoded zone parses");
        assert!(m.is_valid(), "{encoded}");
        assert!(zone.lines.iter().all(|l| l.len() == 30));
        // A card with an expiry never reads back as one without.
        assert_eq!(card.expiry.is_none(), m.expiry_date().raw() == "991231", "{encoded}");
    }
});
