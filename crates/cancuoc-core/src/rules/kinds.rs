//! Issue kinds (loại cấp), reasons (lý do) and fee exemptions (đối tượng miễn
//! lệ phí), with the stable codes the CLI, the service and the portal share.
//!
//! Which reasons belong to which kind depends on the regime: under Law
//! 59/2014 a damaged card is exchanged (đổi, Art. 23(1)), under Law 26/2023 it
//! is re-issued (cấp lại, Art. 24(2)). [`kind_for`] answers that question and
//! [`check_kind`] turns a mismatch into a precise error.

use super::{Regime, RulesError};
use crate::basis::LegalBasis;
use serde::Serialize;

// Hand-rolled instead of `strum`: one macro keeps each variant's stable code,
// both labels, parsing with a bilingual error and serde in one place, and
// the core stays free of proc-macro dependencies.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, $all:ident, $codes:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $vi:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order of the codes list.
            pub const $all: &'static [$name] = &[$($name::$variant),+];
            /// Every stable code, as accepted by `parse`.
            pub const $codes: &'static [&'static str] = &[$($code),+];

            /// The stable code, e.g. the one used on the command line.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            /// Label in Vietnamese.
            pub const fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi),+ }
            }
            /// Label in English.
            pub const fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
            /// Reads a stable code (exact, lower case).
            pub fn parse(code: &str) -> Result<Self, RulesError> {
                match code.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(RulesError::UnknownCode {
                        what: $what,
                        given: other.to_owned(),
                        valid: Self::$codes,
                    }),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = RulesError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum! {
    /// The kind of a card application (loại cấp thẻ).
    IssueKind, "kind", ALL, CODES {
        /// First issue (cấp lần đầu).
        First = "first", "cấp lần đầu", "first issue";
        /// Renewal or exchange of a card (đổi / cấp đổi).
        Renewal = "renewal", "đổi thẻ (cấp đổi)", "renewal (exchange)";
        /// Re-issue of a card (cấp lại).
        Reissue = "reissue", "cấp lại thẻ", "re-issue";
    }
}

coded_enum! {
    /// Why a card is applied for (lý do cấp, đổi, cấp lại).
    Reason, "reason", ALL, CODES {
        /// First card (cấp lần đầu).
        FirstIssue = "first-issue", "cấp thẻ lần đầu", "first card";
        /// A renewal age was reached (đủ tuổi đổi thẻ: 14, 25, 40, 60).
        Age = "age", "đủ tuổi phải đổi thẻ", "renewal age reached";
        /// The card is damaged beyond use (bị hư hỏng không sử dụng được).
        Damaged = "damaged", "thẻ bị hư hỏng không sử dụng được", "card damaged beyond use";
        /// Change of surname, middle or given name (thay đổi họ, chữ đệm, tên).
        NameChange = "name-change", "thay đổi, cải chính họ, chữ đệm, tên", "change of name";
        /// Change of identifying features (thay đổi đặc điểm nhân dạng).
        FeaturesChange = "features-change", "thay đổi đặc điểm nhân dạng", "change of identifying features";
        /// Gender re-determined (xác định lại giới tính).
        GenderRedetermined = "gender-redetermined", "xác định lại giới tính", "gender re-determined";
        /// Place of origin re-determined (xác định lại quê quán).
        OriginRedetermined = "origin-redetermined", "xác định lại quê quán", "place of origin re-determined";
        /// Wrong information on the card, not the agency's fault (sai sót thông tin trên thẻ).
        CardError = "card-error", "có sai sót về thông tin trên thẻ", "error in the card's information";
        /// Wrong information caused by the agency (sai sót do lỗi cơ quan quản lý).
        AgencyError = "agency-error", "sai sót do lỗi của cơ quan quản lý căn cước", "error made by the issuing agency";
        /// At the holder's request (khi công dân có yêu cầu).
        OnRequest = "on-request", "theo yêu cầu của công dân", "at the holder's request";
        /// CMND (or, since 2024, CCCD) exchanged for the current card (chuyển từ CMND).
        CmndConversion = "cmnd-conversion", "chuyển từ CMND/CCCD sang thẻ mới", "CMND/CCCD converted to the current card";
        /// Administrative boundaries changed (thay đổi địa giới hành chính).
        BoundaryChange = "boundary-change", "thay đổi địa giới, sắp xếp đơn vị hành chính", "administrative boundary change";
        /// The card was lost (bị mất thẻ).
        Lost = "lost", "bị mất thẻ", "card lost";
        /// Vietnamese nationality regained (được trở lại quốc tịch Việt Nam).
        NationalityRegained = "nationality-regained", "được trở lại quốc tịch Việt Nam", "Vietnamese nationality regained";
    }
}

coded_enum! {
    /// A ground for fee exemption (đối tượng được miễn lệ phí), as asserted
    /// by the officer who saw the proof. Its conditions (age on the
    /// application date, residence, a document seen) are checked against
    /// the applicant's record by [`super::exemptions`].
    Exemption, "exemption", ALL, CODES {
        /// Parent, spouse or child under 18 of a fallen soldier (thân nhân liệt sỹ).
        MartyrFamily = "martyr-family", "bố, mẹ, vợ, chồng, con dưới 18 tuổi của liệt sỹ", "parent, spouse or child under 18 of a fallen soldier";
        /// War invalid or person treated as such (thương binh).
        WarInvalid = "war-invalid", "thương binh, người hưởng chính sách như thương binh", "war invalid or person treated as one";
        /// Child under 18 of a war invalid (con dưới 18 tuổi của thương binh).
        WarInvalidChild = "war-invalid-child", "con dưới 18 tuổi của thương binh, người hưởng chính sách như thương binh", "child under 18 of a war invalid";
        /// Sick soldier (bệnh binh).
        SickSoldier = "sick-soldier", "bệnh binh", "sick soldier";
        /// Permanent resident of a border commune (thường trú tại xã biên giới).
        BorderCommune = "border-commune", "thường trú tại xã biên giới", "permanent resident of a border commune";
        /// Permanent resident of an island district (thường trú tại huyện đảo).
        IslandDistrict = "island-district", "thường trú tại huyện đảo", "permanent resident of an island district";
        /// Ethnic minority in a commune with special difficulties (đồng bào dân tộc thiểu số ở xã đặc biệt khó khăn).
        EthnicMinorityHardship = "ethnic-minority-hardship", "đồng bào dân tộc thiểu số ở xã có điều kiện kinh tế – xã hội đặc biệt khó khăn", "ethnic minority in a commune with special difficulties";
        /// Member of a poor household (hộ nghèo).
        PoorHousehold = "poor-household", "thuộc hộ nghèo", "member of a poor household";
        /// Orphan under 18 without support (dưới 18 tuổi, mồ côi cả cha lẫn mẹ, không nơi nương tựa).
        Orphan = "orphan", "dưới 18 tuổi, mồ côi cả cha lẫn mẹ, không nơi nương tựa", "orphan under 18 without support";
        /// Child under 16 (trẻ em, Luật Trẻ em 2016) — exempt from 21 Oct 2024.
        Child = "child", "trẻ em (dưới 16 tuổi)", "child (under 16)";
        /// Person aged 60 or more (người cao tuổi) — exempt from 21 Oct 2024.
        Elderly = "elderly", "người cao tuổi (từ đủ 60 tuổi)", "elderly person (60 or over)";
        /// Person with a disability (người khuyết tật) — exempt from 21 Oct 2024.
        Disabled = "disabled", "người khuyết tật", "person with a disability";
    }
}

coded_enum! {
    /// How an application was filed (hình thức nộp hồ sơ).
    Channel, "channel", ALL, CODES {
        /// At a police office (trực tiếp).
        InPerson = "in-person", "nộp trực tiếp", "in person";
        /// Through the public-service portal or VNeID (trực tuyến).
        Online = "online", "nộp trực tuyến", "online";
    }
}

/// The kind of card issuance a reason calls for on `date` (loại cấp mặc
/// định): the regime in force that day decides ([`kind_for`]). The one rule
/// every front end uses when the officer or citizen does not name a kind.
pub fn default_kind(reason: Reason, date: jiff::civil::Date) -> Result<IssueKind, RulesError> {
    Ok(kind_for(reason, Regime::on(date)?).0)
}

/// The kind a reason belongs to under a regime, with the article that lists
/// it (Law 59/2014 Art. 19–23; Law 26/2023 Art. 19, 24; seed 003 §7).
pub fn kind_for(reason: Reason, regime: Regime) -> (IssueKind, LegalBasis) {
    use IssueKind::*;
    use Reason::*;
    match regime {
        Regime::Cccd2014 => {
            let law = "Luật Căn cước công dân 59/2014/QH13";
            match reason {
                FirstIssue => (First, LegalBasis::new(law, "Điều 19 khoản 1")),
                Age => (Renewal, LegalBasis::new(law, "Điều 21 khoản 1")),
                CmndConversion => (
                    Renewal,
                    LegalBasis::new("Thông tư 59/2019/TT-BTC", "Điều 4"),
                ),
                BoundaryChange => (
                    Renewal,
                    LegalBasis::new("Thông tư 59/2019/TT-BTC", "Điều 5 khoản 1 điểm a"),
                ),
                Damaged | NameChange | FeaturesChange | GenderRedetermined | OriginRedetermined
                | CardError | AgencyError | OnRequest => {
                    (Renewal, LegalBasis::new(law, "Điều 23 khoản 1"))
                }
                Lost | NationalityRegained => (Reissue, LegalBasis::new(law, "Điều 23 khoản 2")),
            }
        }
        Regime::CanCuoc2023 => {
            let law = "Luật Căn cước 26/2023/QH15";
            match reason {
                FirstIssue => (First, LegalBasis::new(law, "Điều 19 khoản 1")),
                Age => (Renewal, LegalBasis::new(law, "Điều 24 khoản 1 điểm a")),
                NameChange => (Renewal, LegalBasis::new(law, "Điều 24 khoản 1 điểm b")),
                FeaturesChange | GenderRedetermined => {
                    (Renewal, LegalBasis::new(law, "Điều 24 khoản 1 điểm c"))
                }
                CardError | AgencyError => {
                    (Renewal, LegalBasis::new(law, "Điều 24 khoản 1 điểm d"))
                }
                BoundaryChange => (Renewal, LegalBasis::new(law, "Điều 24 khoản 1 điểm đ")),
                // Art. 24(1) does not name the place of origin (the new card
                // no longer prints it); a changed record is exchanged on
                // request, point g.
                OriginRedetermined | OnRequest => {
                    (Renewal, LegalBasis::new(law, "Điều 24 khoản 1 điểm g"))
                }
                CmndConversion => (
                    Renewal,
                    LegalBasis::new("Nghị định 70/2024/NĐ-CP", "Điều 21 khoản 3"),
                ),
                Damaged | Lost => (Reissue, LegalBasis::new(law, "Điều 24 khoản 2 điểm a")),
                NationalityRegained => (Reissue, LegalBasis::new(law, "Điều 24 khoản 2 điểm b")),
            }
        }
    }
}

/// Checks that `reason` is a reason of `kind` under `regime`.
pub fn check_kind(
    kind: IssueKind,
    reason: Reason,
    regime: Regime,
) -> Result<LegalBasis, RulesError> {
    let (expected, basis) = kind_for(reason, regime);
    if expected == kind {
        Ok(basis)
    } else {
        Err(RulesError::ReasonNotForKind {
            kind,
            reason,
            expected,
            regime,
            basis,
        })
    }
}

/// The reasons that belong to `kind` under `regime`, in code order.
pub fn reasons_for(kind: IssueKind, regime: Regime) -> Vec<Reason> {
    Reason::ALL
        .iter()
        .copied()
        .filter(|r| kind_for(*r, regime).0 == kind)
        .collect()
}
