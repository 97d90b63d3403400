//! Errors of the rules engine (lỗi quy tắc), each with a stable code and a
//! precise message in Vietnamese and English.

use super::exemptions::{ExemptionRefusal, age_text, dob_vi};
use super::kinds::{Exemption, IssueKind, Reason};
use super::regime::Regime;
use super::vi_date;
use crate::basis::LegalBasis;
use crate::i18n::Localized;
use crate::person::PartialDate;
use jiff::civil::Date;

/// Why a rules question could not be answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// An unknown kind, reason, exemption or channel code.
    #[error("unknown {what} code {given:?}; valid codes: {}", valid.join(", "))]
    UnknownCode {
        /// Which list: `kind`, `reason`, `exemption`, `channel`, `document`, `receiver`.
        what: &'static str,
        /// The code that was given.
        given: String,
        /// Every valid code.
        valid: &'static [&'static str],
    },
    /// The date is before the first regime this engine knows (1 Jan 2016).
    #[error(
        "{date} is before {first}, the start of the first card regime known to the rules engine"
    )]
    BeforeRegimes {
        /// The date asked about.
        date: Date,
        /// The first day of the first regime.
        first: Date,
    },
    /// The card was issued before the holder was born.
    #[error("issue date {issued} is before the date of birth {dob}")]
    IssuedBeforeBirth {
        /// Date of birth.
        dob: PartialDate,
        /// Issue date.
        issued: Date,
    },
    /// Under the regime of the issue date no card is issued at this age.
    #[error(
        "a card issued on {issued} under {regime} requires age {min_age}; the holder (born {dob}) was younger"
    )]
    TooYoung {
        /// Date of birth.
        dob: PartialDate,
        /// Issue date.
        issued: Date,
        /// The regime in force on the issue date.
        regime: Regime,
        /// The minimum age of that regime.
        min_age: u8,
    },
    /// A date computation left the supported range (years 0001–9999).
    #[error("date out of range while computing {what}")]
    DateOverflow {
        /// What was being computed.
        what: &'static str,
    },
    /// The reason does not belong to the kind under the regime.
    #[error("reason {reason} is a {expected} reason under {regime} ({basis}), not a {kind} reason")]
    ReasonNotForKind {
        /// The kind given.
        kind: IssueKind,
        /// The reason given.
        reason: Reason,
        /// The kind the reason belongs to.
        expected: IssueKind,
        /// The regime in force.
        regime: Regime,
        /// Where the law lists the reason.
        basis: LegalBasis,
    },
    /// No fee table is in force on the date.
    #[error("no fee table is in force on {date}")]
    NoFeeTable {
        /// The date asked about.
        date: Date,
    },
    /// No fines catalogue is in force on the date.
    #[error("no fines decree is in force on {date}")]
    NoFines {
        /// The date asked about.
        date: Date,
    },
    /// That document type was not issued on that date.
    #[error(
        "a {document} card could not be issued on {issued}: that card exists from {from} to {to}"
    )]
    DocumentNotIssuedThen {
        /// The document type code (`cccd`, `cancuoc`).
        document: &'static str,
        /// The issue date given.
        issued: Date,
        /// First issue day of that card.
        from: Date,
        /// Last issue day of that card.
        to: Date,
    },
    /// The date asked about is before the document's issue date.
    #[error("{on} is before the issue date {issued}")]
    BeforeIssue {
        /// Issue date.
        issued: Date,
        /// The date asked about.
        on: Date,
    },
    /// A printed expiry date before the issue date.
    #[error("expiry date {expiry} is before the issue date {issued}")]
    ExpiryBeforeIssue {
        /// Issue date.
        issued: Date,
        /// Printed expiry.
        expiry: Date,
    },
    /// The working-day calendar could not answer (e.g. a year outside its range).
    #[error("working-day calendar: {message_en}")]
    Calendar {
        /// The calendar's stable code.
        code: &'static str,
        /// Its Vietnamese message.
        message_vi: String,
        /// Its English message.
        message_en: String,
    },
    /// A claimed fee exemption whose condition the applicant does not meet
    /// (see [`super::exemptions`]).
    #[error("the {exemption} exemption does not apply: {why:?}")]
    ExemptionNotApplicable {
        /// The exemption claimed.
        exemption: Exemption,
        /// Which condition fails, with the facts.
        why: ExemptionRefusal,
    },
    /// The embedded rule data is inconsistent (caught by the tests).
    #[error("rule data {file}: {message}")]
    Data {
        /// The data file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl RulesError {
    pub(crate) fn calendar(e: &impl Localized) -> Self {
        RulesError::Calendar {
            code: e.code(),
            message_vi: e.message_vi(),
            message_en: e.message_en(),
        }
    }
}

impl Localized for RulesError {
    fn code(&self) -> &'static str {
        match self {
            RulesError::UnknownCode { .. } => "rules.unknown_code",
            RulesError::BeforeRegimes { .. } => "rules.before_regimes",
            RulesError::IssuedBeforeBirth { .. } => "rules.issued_before_birth",
            RulesError::TooYoung { .. } => "rules.too_young",
            RulesError::DateOverflow { .. } => "rules.date_out_of_range",
            RulesError::ReasonNotForKind { .. } => "rules.reason_not_for_kind",
            RulesError::NoFeeTable { .. } => "rules.no_fee_table",
            RulesError::NoFines { .. } => "rules.no_fines",
            RulesError::DocumentNotIssuedThen { .. } => "rules.document_not_issued_then",
            RulesError::BeforeIssue { .. } => "rules.before_issue",
            RulesError::ExpiryBeforeIssue { .. } => "rules.expiry_before_issue",
            RulesError::Calendar { code, .. } => code,
            RulesError::ExemptionNotApplicable { .. } => "rules.exemption_not_applicable",
            RulesError::Data { .. } => "rules.data",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            RulesError::UnknownCode { what, given, valid } => {
                let what = match *what {
                    "kind" => "loại cấp",
                    "reason" => "lý do",
                    "exemption" => "đối tượng miễn lệ phí",
                    "channel" => "hình thức nộp",
                    "document" => "loại giấy tờ",
                    "receiver" => "nơi tiếp nhận",
                    other => other,
                };
                format!(
                    "Mã {what} không hợp lệ: {given:?}. Các mã hợp lệ: {}",
                    valid.join(", ")
                )
            }
            RulesError::BeforeRegimes { date, first } => format!(
                "Ngày {} trước ngày {} — ngày bắt đầu chế độ thẻ Căn cước công dân (Luật 59/2014/QH13); quy tắc không áp dụng",
                vi_date(*date),
                vi_date(*first)
            ),
            RulesError::IssuedBeforeBirth { dob, issued } => {
                format!("Ngày cấp {} trước ngày sinh {dob}", vi_date(*issued))
            }
            RulesError::TooYoung {
                dob,
                issued,
                regime,
                min_age,
            } => format!(
                "Thẻ cấp ngày {} theo {} chỉ cấp cho công dân từ đủ {min_age} tuổi; người sinh {dob} chưa đủ tuổi vào ngày đó",
                vi_date(*issued),
                regime.name_vi()
            ),
            RulesError::DateOverflow { what } => {
                format!("Ngày vượt ngoài phạm vi hỗ trợ (năm 0001–9999) khi tính {what}")
            }
            RulesError::ReasonNotForKind {
                kind,
                reason,
                expected,
                regime,
                basis,
            } => format!(
                "Lý do \"{}\" ({reason}) thuộc loại \"{}\" ({expected}) theo {} ({basis}), không thuộc loại \"{}\" ({kind})",
                reason.label_vi(),
                expected.label_vi(),
                regime.name_vi(),
                kind.label_vi()
            ),
            RulesError::NoFeeTable { date } => format!(
                "Không có biểu lệ phí nào có hiệu lực vào ngày {}",
                vi_date(*date)
            ),
            RulesError::NoFines { date } => format!(
                "Không có nghị định xử phạt nào có hiệu lực vào ngày {}",
                vi_date(*date)
            ),
            RulesError::DocumentNotIssuedThen {
                document,
                issued,
                from,
                to,
            } => format!(
                "Không thể có thẻ {} cấp ngày {}: loại thẻ này chỉ được cấp từ {} đến {}",
                document_vi(document),
                vi_date(*issued),
                vi_date(*from),
                vi_date(*to)
            ),
            RulesError::BeforeIssue { issued, on } => {
                format!("Ngày {} trước ngày cấp {}", vi_date(*on), vi_date(*issued))
            }
            RulesError::ExpiryBeforeIssue { issued, expiry } => format!(
                "Ngày hết hạn {} trước ngày cấp {}",
                vi_date(*expiry),
                vi_date(*issued)
            ),
            RulesError::Calendar { message_vi, .. } => format!("Lịch ngày làm việc: {message_vi}"),
            RulesError::ExemptionNotApplicable { exemption, why } => exemption_vi(*exemption, why),
            RulesError::Data { file, message } => {
                format!("Dữ liệu quy tắc {file} không hợp lệ: {message}")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            RulesError::Calendar { message_en, .. } => {
                format!("Working-day calendar: {message_en}")
            }
            RulesError::ExemptionNotApplicable { exemption, why } => exemption_en(*exemption, why),
            RulesError::ReasonNotForKind {
                kind,
                reason,
                expected,
                regime,
                basis,
            } => format!(
                "Reason {reason} ({}) is a {expected} ({}) reason under the {} ({basis}), not a {kind} reason",
                reason.label_en(),
                expected.label_en(),
                regime.name_en()
            ),
            RulesError::TooYoung {
                dob,
                issued,
                regime,
                min_age,
            } => format!(
                "A card issued on {issued} under the {} requires the holder to be at least {min_age}; someone born {dob} was younger on that day",
                regime.name_en()
            ),
            other => {
                let s = other.to_string();
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => s,
                }
            }
        }
    }
}

/// "born 17/05/2003" or, for an incomplete date, "born in 2003".
fn born_vi(dob: PartialDate) -> String {
    match dob {
        PartialDate::Full(_) => format!("sinh ngày {}", dob_vi(dob)),
        _ => format!("sinh năm {}", dob_vi(dob)),
    }
}

fn born_en(dob: PartialDate) -> String {
    match dob {
        PartialDate::Full(_) => format!("born {dob}"),
        _ => format!("born in {dob}"),
    }
}

fn exemption_vi(e: Exemption, why: &ExemptionRefusal) -> String {
    let head = format!("Không áp dụng miễn lệ phí \"{}\" ({e})", e.label_vi());
    match why {
        ExemptionRefusal::TooOld {
            dob,
            min_age,
            max_age,
            under,
            on,
        } => format!(
            "{head}: công dân {}, {} tuổi vào ngày nộp hồ sơ {}; đối tượng này phải dưới {under} tuổi",
            born_vi(*dob),
            age_text(*min_age, *max_age),
            vi_date(*on)
        ),
        ExemptionRefusal::TooYoung {
            dob,
            min_age,
            max_age,
            at_least,
            on,
        } => format!(
            "{head}: công dân {}, {} tuổi vào ngày nộp hồ sơ {}; đối tượng này phải từ đủ {at_least} tuổi",
            born_vi(*dob),
            age_text(*min_age, *max_age),
            vi_date(*on)
        ),
        ExemptionRefusal::NoResidence => {
            format!("{head}: hồ sơ công dân chưa có nơi thường trú")
        }
        ExemptionRefusal::NotEthnicMinority { ethnicity } if ethnicity.is_empty() => {
            format!("{head}: hồ sơ công dân chưa ghi dân tộc")
        }
        ExemptionRefusal::NotEthnicMinority { ethnicity } => format!(
            "{head}: dân tộc trong hồ sơ công dân là \"{ethnicity}\", không phải dân tộc thiểu số"
        ),
        ExemptionRefusal::DocumentMissing => {
            format!("{head}: hãy ghi giấy tờ chứng minh đã xem (tên, số, ngày cấp)")
        }
    }
}

fn exemption_en(e: Exemption, why: &ExemptionRefusal) -> String {
    let head = format!(
        "The \"{}\" fee exemption ({e}) does not apply",
        e.label_en()
    );
    match why {
        ExemptionRefusal::TooOld {
            dob,
            min_age,
            max_age,
            under,
            on,
        } => format!(
            "{head}: the citizen was {}, {} years old on the application date {on}; it needs under {under}",
            born_en(*dob),
            age_text(*min_age, *max_age)
        ),
        ExemptionRefusal::TooYoung {
            dob,
            min_age,
            max_age,
            at_least,
            on,
        } => format!(
            "{head}: the citizen was {}, {} years old on the application date {on}; it needs {at_least} or over",
            born_en(*dob),
            age_text(*min_age, *max_age)
        ),
        ExemptionRefusal::NoResidence => {
            format!("{head}: the citizen record has no permanent residence")
        }
        ExemptionRefusal::NotEthnicMinority { ethnicity } if ethnicity.is_empty() => {
            format!("{head}: the citizen record has no ethnicity")
        }
        ExemptionRefusal::NotEthnicMinority { ethnicity } => {
            format!("{head}: the ethnicity on record is \"{ethnicity}\", not an ethnic minority")
        }
        ExemptionRefusal::DocumentMissing => {
            format!("{head}: name the supporting document you saw (title, number, date of issue)")
        }
    }
}

fn document_vi(code: &str) -> &str {
    match code {
        "cccd" => "Căn cước công dân",
        "cancuoc" => "Căn cước",
        "cmnd" => "Chứng minh nhân dân",
        other => other,
    }
}
