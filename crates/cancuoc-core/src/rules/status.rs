//! Status of an identity document on a date (tình trạng giấy tờ): CMND,
//! CCCD card, Căn cước card.
//!
//! - CMND (chứng minh nhân dân, 9 or 12 digits): valid 15 years from issue
//!   (Decree 05/1999 Art. 2), and void from 1 January 2025 whatever its issue
//!   date (Law 26/2023 Art. 46).
//! - CCCD card: valid to its printed expiry, also under the new law (Law
//!   26/2023 Art. 46); issued 1 Jan 2016 – 30 Jun 2024.
//! - Căn cước card: valid to its printed expiry; issued from 1 Jul 2024.
//!
//! A card is valid through its printed expiry day ("có giá trị đến ngày");
//! from the next day its holder must renew. The law sets no grace period, so
//! [`DocumentStatus::MustRenew::deadline`] is `None` for cards today; the field
//! exists for rules that set one.

use super::data::{RegimeRule, data};
use super::expiry::{Expiry, card_expiry, reach_age};
use super::kinds::coded_enum;
use super::regime::Regime;
use super::{RulesError, vi_date};
use crate::basis::{Explained, LegalBasis};
use crate::person::PartialDate;
use jiff::civil::Date;
use serde::Serialize;

coded_enum! {
    /// The type of an identity document (loại giấy tờ).
    DocumentType, "document", ALL, CODES {
        /// Chứng minh nhân dân (9 or 12 digits).
        Cmnd = "cmnd", "Chứng minh nhân dân", "people's identity card (CMND)";
        /// Thẻ Căn cước công dân (2016 – 30 Jun 2024).
        Cccd = "cccd", "thẻ Căn cước công dân", "citizen identity card (CCCD)";
        /// Thẻ Căn cước (from 1 Jul 2024).
        CanCuoc = "cancuoc", "thẻ Căn cước", "identity card (Căn cước)";
    }
}

/// How the expiry of a card is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardExpiry {
    /// As printed on the card.
    Printed(Expiry),
    /// Computed from the holder's date of birth with [`card_expiry`].
    FromBirth(PartialDate),
}

/// An identity document as the holder shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Document {
    /// A CMND and its issue date.
    Cmnd {
        /// Issue date (ngày cấp).
        issued: Date,
    },
    /// A CCCD card.
    Cccd {
        /// Issue date.
        issued: Date,
        /// Its expiry.
        expiry: CardExpiry,
    },
    /// A Căn cước card.
    CanCuoc {
        /// Issue date.
        issued: Date,
        /// Its expiry.
        expiry: CardExpiry,
    },
}

impl Document {
    /// The document type.
    pub fn kind(&self) -> DocumentType {
        match self {
            Document::Cmnd { .. } => DocumentType::Cmnd,
            Document::Cccd { .. } => DocumentType::Cccd,
            Document::CanCuoc { .. } => DocumentType::CanCuoc,
        }
    }
    /// The issue date.
    pub fn issued(&self) -> Date {
        match *self {
            Document::Cmnd { issued } => issued,
            Document::Cccd { issued, .. } | Document::CanCuoc { issued, .. } => issued,
        }
    }
}

/// Why the holder must get a new card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "cause", rename_all = "kebab-case")]
pub enum RenewalCause {
    /// A renewal age was reached (đủ tuổi đổi thẻ).
    AgeMilestone {
        /// The age.
        age: u8,
    },
    /// The printed expiry has passed (the holder's age is not known here).
    Expired,
}

/// The status of a document on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum DocumentStatus {
    /// Valid (còn giá trị) through `until`, or for life when `None`.
    Valid {
        /// Last valid day.
        until: Option<Date>,
    },
    /// The card's term is over and the holder must renew (phải đổi thẻ).
    MustRenew {
        /// Why.
        #[serde(flatten)]
        cause: RenewalCause,
        /// First day the card is no longer valid.
        since: Date,
        /// Last day to apply, when the law sets one.
        deadline: Option<Date>,
    },
    /// A CMND past its 15 years (hết hạn): it must be exchanged for a card.
    Expired {
        /// First day it is no longer valid.
        since: Date,
    },
    /// No longer a legal document at all (hết giá trị sử dụng): CMND from 2025.
    Void {
        /// First void day.
        since: Date,
    },
}

fn day_after(d: Date) -> Result<Date, RulesError> {
    d.tomorrow()
        .map_err(|_| RulesError::DateOverflow { what: "expiry" })
}

/// The status of `document` on `on_date`.
pub fn document_status(
    document: Document,
    on_date: Date,
) -> Result<Explained<DocumentStatus>, RulesError> {
    let d = data()?;
    let issued = document.issued();
    if on_date < issued {
        return Err(RulesError::BeforeIssue {
            issued,
            on: on_date,
        });
    }
    let transition = LegalBasis {
        document: d.transition.document.clone().into(),
        article: d.transition.article.clone().into(),
    };
    match document {
        Document::Cmnd { issued } => {
            let void_from = d.transition.cmnd_void_from;
            let term_end = reach_age(issued, d.cmnd.validity_years)?;
            let cmnd_basis = LegalBasis {
                document: d.cmnd.document.clone().into(),
                article: d.cmnd.article.clone().into(),
            };
            let years = d.cmnd.validity_years;
            if on_date >= void_from {
                let last = void_from.yesterday().unwrap_or(void_from);
                return Ok(Explained {
                    value: DocumentStatus::Void { since: void_from },
                    basis: vec![transition],
                    explanation_vi: format!(
                        "Chứng minh nhân dân hết giá trị sử dụng từ ngày {} (chỉ có giá trị đến hết ngày {}); công dân cần làm thẻ căn cước.",
                        vi_date(void_from),
                        vi_date(last)
                    ),
                    explanation_en: format!(
                        "CMNDs are void from {void_from} (valid at most through {last}); the holder needs an identity card."
                    ),
                });
            }
            if on_date >= term_end {
                return Ok(Explained {
                    value: DocumentStatus::Expired { since: term_end },
                    basis: vec![cmnd_basis],
                    explanation_vi: format!(
                        "Chứng minh nhân dân cấp ngày {} có giá trị {years} năm, hết hạn từ ngày {}; phải đổi sang thẻ căn cước.",
                        vi_date(issued),
                        vi_date(term_end)
                    ),
                    explanation_en: format!(
                        "A CMND issued on {issued} is valid {years} years and expired on {term_end}; it must be exchanged for an identity card."
                    ),
                });
            }
            let last_term_day = term_end.yesterday().unwrap_or(term_end);
            let last_void_day = void_from.yesterday().unwrap_or(void_from);
            let until = last_term_day.min(last_void_day);
            let mut basis = vec![cmnd_basis];
            if until == last_void_day {
                basis.push(transition);
            }
            Ok(Explained {
                value: DocumentStatus::Valid { until: Some(until) },
                basis,
                explanation_vi: format!(
                    "Chứng minh nhân dân cấp ngày {} còn giá trị đến hết ngày {} ({years} năm kể từ ngày cấp, và không quá ngày {}).",
                    vi_date(issued),
                    vi_date(until),
                    vi_date(last_void_day)
                ),
                explanation_en: format!(
                    "The CMND issued on {issued} is valid through {until} ({years} years from issue, and no later than {last_void_day})."
                ),
            })
        }
        Document::Cccd { issued, expiry } | Document::CanCuoc { issued, expiry } => {
            let wanted = match document.kind() {
                DocumentType::Cccd => Regime::Cccd2014,
                _ => Regime::CanCuoc2023,
            };
            let rule = RegimeRule::of(d, wanted)?;
            if issued < rule.from || issued > rule.to {
                return Err(RulesError::DocumentNotIssuedThen {
                    document: document.kind().code(),
                    issued,
                    from: rule.from,
                    to: rule.to,
                });
            }
            let (printed, age, mut basis) = match expiry {
                CardExpiry::Printed(e) => (e, None, Vec::new()),
                CardExpiry::FromBirth(dob) => {
                    let ex = card_expiry(dob, issued)?;
                    let age = match (ex.value, dob) {
                        (Expiry::On(e), PartialDate::Full(b)) => rule
                            .renewal_ages
                            .iter()
                            .copied()
                            .find(|a| reach_age(b, *a).is_ok_and(|r| r == e)),
                        _ => None,
                    };
                    (ex.value, age, ex.basis)
                }
            };
            if let Expiry::On(e) = printed
                && e < issued
            {
                return Err(RulesError::ExpiryBeforeIssue { issued, expiry: e });
            }
            if document.kind() == DocumentType::Cccd && on_date > rule.to {
                basis.push(transition);
            }
            let name_vi = super::sentence(document.kind().label_vi());
            let name_en = document.kind().label_en();
            match printed {
                Expiry::On(e) if on_date > e => {
                    let since = day_after(e)?;
                    let cause = match age {
                        Some(age) => RenewalCause::AgeMilestone { age },
                        None => RenewalCause::Expired,
                    };
                    let (why_vi, why_en) = match cause {
                        RenewalCause::AgeMilestone { age } => (
                            format!("công dân đã đủ {age} tuổi"),
                            format!("the holder has turned {age}"),
                        ),
                        RenewalCause::Expired => (
                            "thẻ đã hết thời hạn in trên thẻ".to_owned(),
                            "the printed expiry has passed".to_owned(),
                        ),
                    };
                    let renewal = LegalBasis {
                        document: rule.document.clone().into(),
                        article: rule.renewal_article.clone().into(),
                    };
                    if !basis.contains(&renewal) {
                        basis.insert(0, renewal);
                    }
                    Ok(Explained {
                        value: DocumentStatus::MustRenew {
                            cause,
                            since,
                            deadline: None,
                        },
                        basis,
                        explanation_vi: format!(
                            "{name_vi} cấp ngày {} có giá trị đến hết ngày {}; {why_vi}, nên phải làm thủ tục đổi thẻ (luật không quy định thời gian ân hạn).",
                            vi_date(issued),
                            vi_date(e)
                        ),
                        explanation_en: format!(
                            "The {name_en} issued on {issued} was valid through {e}; {why_en}, so it must be renewed (the law sets no grace period)."
                        ),
                    })
                }
                Expiry::On(e) => Ok(Explained {
                    value: DocumentStatus::Valid { until: Some(e) },
                    basis,
                    explanation_vi: format!(
                        "{name_vi} cấp ngày {} còn giá trị đến hết ngày {}.",
                        vi_date(issued),
                        vi_date(e)
                    ),
                    explanation_en: format!(
                        "The {name_en} issued on {issued} is valid through {e}."
                    ),
                }),
                Expiry::None => Ok(Explained {
                    value: DocumentStatus::Valid { until: None },
                    basis,
                    explanation_vi: format!(
                        "{name_vi} cấp ngày {} có giá trị không thời hạn.",
                        vi_date(issued)
                    ),
                    explanation_en: format!("The {name_en} issued on {issued} has no expiry."),
                }),
            }
        }
    }
}
