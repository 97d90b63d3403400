//! Basic Access Control (BAC, ICAO Doc 9303 Part 11 §4.3): the "MRZ
//! information" from which a reader derives the keys to open the chip
//! (chip của thẻ).
//!
//! MRZ information = document number + its check digit + date of birth + its
//! check digit + date of expiry + its check digit. The document number is
//! the 9-character field as printed (fillers kept, `L898902C<`); a long
//! number (Parts 5 and 6 overflow) is used in full with the check digit that
//! follows it in the optional data (Part 11 §9.7.2 note).

use super::{Field, Mrz};

/// The BAC key seed string ("MRZ information") of a parsed zone, e.g.
/// `L898902C<369080619406236` for the ICAO Part 11 worked example.
///
/// ```
/// use cancuoc_core::mrz::{parse, bac::mrz_information};
/// let mrz = parse(
///     "I<UTOD23145890<7349<<<<<<<<<<<\n\
///      3407127M9507122UTO<<<<<<<<<<<2\n\
///      STEVENSON<<PETER<JOHN<<<<<<<<<",
/// )
/// .unwrap();
/// assert_eq!(mrz_information(&mrz), "D23145890734934071279507122");
/// ```
pub fn mrz_information(mrz: &Mrz<'_>) -> String {
    let mut out = String::with_capacity(32);
    let number = mrz.document_number();
    out.push_str(number.principal());
    if number.is_long() {
        out.push_str(number.extension());
    } else {
        while out.len() < 9 {
            out.push('<');
        }
    }
    let digit = |field: Field| {
        mrz.checks()
            .iter()
            .find(|c| c.field == field)
            .map_or('<', |c| char::from(c.found))
    };
    out.push(digit(Field::DocumentNumber));
    out.push_str(mrz.birth_date().raw());
    out.push(digit(Field::BirthDate));
    out.push_str(mrz.expiry_date().raw());
    out.push(digit(Field::ExpiryDate));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::parse;

    #[test]
    fn icao_part11_examples() {
        // Part 11 Appendix D.1: MRV-A specimen L898902C<3, 690806, 940623.
        let mrz = parse(
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
             L898902C<3UTO6908061F9406236ZE184226B<<<<<<<",
        )
        .unwrap();
        assert_eq!(mrz_information(&mrz), "L898902C<369080619406236");
        // TD3 specimen.
        let mrz = parse(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
             L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        )
        .unwrap();
        assert_eq!(mrz_information(&mrz), "L898902C3674081221204159");
    }
}
