//! The official numbers of the printed forms (biểu mẫu), by the regime in
//! force on the dossier's reception date.
//!
//! The receipt form the citizen checks and signs (phiếu thu nhận thông tin):
//! - Law 59/2014 regime: **Mẫu CC02** "Phiếu thu nhận thông tin Căn cước
//!   công dân" of Thông tư 66/2015/TT-BCA (amended by Thông tư
//!   41/2019/TT-BCA); the procedure that prints it is in
//!   `/work/shared/seeds/004_*.txt` step (v).
//! - Law 26/2023 regime (from 1 Jul 2024): **Mẫu CC01** "Phiếu thu nhận
//!   thông tin căn cước" of Thông tư 17/2024/TT-BCA
//!   (`/work/shared/research/card.md` §4.1, "Forms").

use super::{Regime, RulesError};
use jiff::civil::Date;
use serde::Serialize;

/// A printed form's official reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FormRef {
    /// The form's number, e.g. `CC01`.
    pub number: &'static str,
    /// The circular that sets it.
    pub circular: &'static str,
    /// The form's title in Vietnamese, as the circular names it.
    pub title_vi: &'static str,
}

/// The receipt form (phiếu thu nhận thông tin) of a dossier received on
/// `received_on`.
pub fn receipt_form(received_on: Date) -> Result<FormRef, RulesError> {
    Ok(match Regime::on(received_on)? {
        Regime::Cccd2014 => FormRef {
            number: "CC02",
            circular: "Thông tư 66/2015/TT-BCA",
            title_vi: "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC CÔNG DÂN",
        },
        Regime::CanCuoc2023 => FormRef {
            number: "CC01",
            circular: "Thông tư 17/2024/TT-BCA",
            title_vi: "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_receipt_form_number_follows_the_regime_of_the_reception_date() {
        let old = receipt_form(date(2024, 6, 30)).expect("form");
        assert_eq!(
            (old.number, old.circular),
            ("CC02", "Thông tư 66/2015/TT-BCA")
        );
        let new = receipt_form(date(2024, 7, 1)).expect("form");
        assert_eq!(
            (new.number, new.circular),
            ("CC01", "Thông tư 17/2024/TT-BCA")
        );
        assert!(receipt_form(date(2015, 12, 31)).is_err());
    }
}
