//! Legal rules of issuance (quy định pháp luật về cấp thẻ): regimes,
//! eligibility, expiry, document status, issue kinds and reasons, fees,
//! deadlines and fines.
//!
//! Two legal regimes, chosen by the relevant date ([`Regime::on`]): the CCCD
//! regime of Law 59/2014/QH13 (1 Jan 2016 – 30 Jun 2024) and the Căn cước
//! regime of Law 26/2023/QH15 (from 1 Jul 2024). Everything that changes with
//! the law — renewal ages, fee tables and reductions, deadlines, fines — lives
//! in `data/rules/*.toml`, embedded at compile time, parsed once and checked
//! by the tests; adding a circular is a data change.
//!
//! Every answer is an [`Explained`](crate::basis::Explained) value: the result
//! with its legal basis and a short explanation in Vietnamese and English.
//! Every failure is a [`RulesError`] with a stable code and bilingual message.
//! Nothing here reads the clock: "today" is always an argument.

mod data;
pub mod deadline;
mod error;
pub mod exemptions;
pub mod expiry;
pub mod fees;
pub mod fines;
pub mod forms;
pub mod kinds;
pub mod regime;
pub mod status;

#[cfg(test)]
mod tests_data;
#[cfg(test)]
mod tests_deadline;
#[cfg(test)]
mod tests_expiry;
#[cfg(test)]
mod tests_fees;
#[cfg(test)]
mod tests_status;

pub use deadline::{
    DEFAULT_AT_RISK_WORKING_DAYS, Deadlines, Receiver, Stage, StageDue, Timeliness, classify,
    classify_with, cmnd_number_confirmation, deadlines, promised_date,
};
pub use error::RulesError;
pub use exemptions::{ApplicantRecord, ExemptionRefusal};
pub use expiry::{Expiry, card_expiry, expiry_date, reach_age};
pub use fees::{Fee, fee};
pub use fines::{Fine, FineCatalogue, all_fines, fines_on};
pub use forms::{FormRef, receipt_form};
pub use kinds::{
    Channel, Exemption, IssueKind, Reason, check_kind, default_kind, kind_for, reasons_for,
};
pub use regime::{Eligibility, EligibilityStatus, Regime, eligibility};
pub use status::{
    CardExpiry, Document, DocumentStatus, DocumentType, RenewalCause, document_status,
};

use jiff::civil::Date;

/// A date as Vietnamese readers write it: `dd/mm/yyyy`.
pub(crate) fn vi_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// The text with its first letter in upper case (explanations are sentences).
pub(crate) fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Formats an amount of đồng with dot thousands separators: `50.000`.
pub(crate) fn vnd_vi(amount: u32) -> String {
    group(amount, '.')
}

/// Formats an amount of đồng with comma thousands separators: `50,000`.
pub(crate) fn vnd_en(amount: u32) -> String {
    group(amount, ',')
}

// Hand-rolled: ten lines for one format; a number-formatting crate would be
// a dependency of the pure core for nothing else.
fn group(amount: u32, sep: char) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}
