//! Procedure, fees and deadlines in a few plain sentences (thủ tục, lệ phí,
//! thời hạn), worded from the rules engine for the regime in force on the
//! day asked: no figure is written here by hand. Chat and the hotline's
//! voice both read these texts, so they carry no markup and stay short
//! ([`MAX_CHARS`]).
//!
//! - [`procedure`]: who receives applications under the administrative
//!   structure of the day ([`Structure`]), the receipt form of the regime
//!   ([`receipt_form`]), the promised time ([`rules::deadlines`] on the
//!   official calendar), the minimum age ([`rules::eligibility`]) and the
//!   renewal ages ([`Regime::renewal_ages`]);
//! - [`fees`]: [`rules::fee`] for the usual reasons, grouped by amount, at
//!   the desk and online when the data has an online reduction, and the
//!   exemptions that apply to renewal and re-issue;
//! - [`deadlines`]: the cap in working days, the return date a dossier
//!   received today would be promised, and the old-number confirmation.
//!
//! A date the rules do not cover (before 2016) gets the rules' own
//! explanation instead of a text.

use jiff::civil::Date;

use crate::calendar::WorkingCalendar;
use crate::i18n::{Lang, Localized};
use crate::office::structure::Structure;
use crate::person::PartialDate;
use crate::rules::{
    self, Channel, EligibilityStatus, Exemption, Fee, Reason, Receiver, Regime, RulesError,
    kind_for, receipt_form, vi_date, vnd_en, vnd_vi,
};

/// The longest text any of these answers gives, in characters.
pub const MAX_CHARS: usize = 600;

/// The reasons the fee answer lists, with their short labels.
const FEE_ITEMS: [(Reason, &str, &str); 6] = [
    (Reason::FirstIssue, "cấp lần đầu", "first card"),
    (Reason::Age, "đổi khi đủ tuổi", "renewal at the set ages"),
    (
        Reason::CmndConversion,
        "đổi từ CMND/CCCD",
        "from an old CMND/CCCD",
    ),
    (Reason::OnRequest, "đổi theo yêu cầu", "renewal on request"),
    (Reason::Damaged, "thẻ hư hỏng", "damaged card"),
    (Reason::Lost, "mất thẻ", "lost card"),
];

/// Exemptions named in the fee answer when they apply.
const NAMED_EXEMPTIONS: [Exemption; 4] = [
    Exemption::Child,
    Exemption::Elderly,
    Exemption::Disabled,
    Exemption::PoorHousehold,
];

/// How to apply for a card on `today`: where, the steps, the form, the
/// time, who must apply and the renewal ages.
pub fn procedure(lang: Lang, today: Date) -> String {
    procedure_text(lang, today).unwrap_or_else(|e| unavailable(lang, &e))
}

/// What a card costs on `today`, by reason, at the desk and online.
pub fn fees(lang: Lang, today: Date) -> String {
    fees_text(lang, today).unwrap_or_else(|e| unavailable(lang, &e))
}

/// How long it takes, for a dossier received on `today`.
pub fn deadlines(lang: Lang, today: Date, calendar: &WorkingCalendar) -> String {
    deadlines_text(lang, today, calendar).unwrap_or_else(|e| unavailable(lang, &e))
}

fn unavailable(lang: Lang, e: &RulesError) -> String {
    cut(&e.message(lang))
}

/// Keeps a text within [`MAX_CHARS`], at a word, with `…`.
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > MAX_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// The offices that receive applications under the structure of `day`.
fn receivers(lang: Lang, day: Date) -> String {
    let spec = Structure::on(day).spec();
    let mut levels: Vec<&str> = Vec::new();
    match lang {
        Lang::Vi => {
            if spec.commune_police_receive {
                levels.push("Công an cấp xã");
            }
            if spec.district_police {
                levels.push("Công an cấp huyện");
            }
            levels.push("Công an cấp tỉnh");
            levels.join(" hoặc ")
        }
        Lang::En => {
            if spec.commune_police_receive {
                levels.push("the commune police");
            }
            if spec.district_police {
                levels.push("the district police");
            }
            levels.push("the provincial police");
            levels.join(" or ")
        }
    }
}

/// The card's name under a regime.
fn card_vi(regime: Regime) -> &'static str {
    match regime {
        Regime::Cccd2014 => "thẻ Căn cước công dân",
        Regime::CanCuoc2023 => "thẻ căn cước",
    }
}

fn list(nums: &[u8]) -> String {
    nums.iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn procedure_text(lang: Lang, today: Date) -> Result<String, RulesError> {
    let regime = Regime::on(today)?;
    let law = regime.basis()?.document;
    let form = receipt_form(today)?;
    let cap = rules::deadlines(today, Receiver::Office, WorkingCalendar::official())?
        .value
        .cap_working_days;
    // A person born today: the age from which a card is due, and whether
    // it is given younger on request.
    let el = rules::eligibility(PartialDate::Full(today), today)?.value;
    let min_age = el.min_age_date.year() - today.year();
    let young_on_request = el.status == EligibilityStatus::OnRequest;
    let ages = list(&regime.renewal_ages()?);
    let text = match lang {
        Lang::Vi => {
            let card = card_vi(regime);
            let must = match regime {
                Regime::Cccd2014 => "được cấp thẻ",
                Regime::CanCuoc2023 => "phải làm thẻ",
            };
            let young = if young_on_request {
                format!("; dưới {min_age} tuổi được cấp theo nhu cầu")
            } else {
                String::new()
            };
            format!(
                "Thủ tục cấp {card} ({law}): 1) Đặt lịch hẹn hoặc đến {}. 2) Mang theo thẻ cũ hoặc CMND (nếu có); cán bộ đối chiếu thông tin trong Cơ sở dữ liệu quốc gia về dân cư. 3) Thu nhận vân tay, ảnh chân dung; kiểm tra và ký phiếu thu nhận thông tin (mẫu {}). 4) Nộp lệ phí (nếu có) và nhận giấy hẹn: trả thẻ trong {cap} ngày làm việc. Từ đủ {min_age} tuổi {must}{young}. Đổi thẻ khi đủ {ages} tuổi.",
                receivers(lang, today),
                form.number,
            )
        }
        Lang::En => {
            let (card, must) = match regime {
                Regime::Cccd2014 => ("a citizen identity card", "may get a card"),
                Regime::CanCuoc2023 => ("an identity card", "must get a card"),
            };
            let young = if young_on_request {
                "; younger on request".to_owned()
            } else {
                String::new()
            };
            format!(
                "Applying for {card} ({law}): 1) Book an appointment or go to {}. 2) Bring your old card or CMND, if any; the officer checks your details in the National Population Database. 3) Fingerprints and portrait are taken; check and sign the information form ({}). 4) Pay the fee, if any, and take the appointment slip: the card is due within {cap} working days. From age {min_age} citizens {must}{young}. Cards are renewed at ages {ages}.",
                receivers(lang, today),
                form.number,
            )
        }
    };
    Ok(cut(&text))
}

/// The fee of `reason` on `today` through `channel`, no exemption claimed.
fn fee_of(reason: Reason, today: Date, channel: Channel) -> Result<Fee, RulesError> {
    let regime = Regime::on(today)?;
    let (kind, _) = kind_for(reason, regime);
    Ok(rules::fee(kind, reason, &[], today, channel)?.value)
}

/// `labels: amount` groups, in the order of the first label of each amount.
fn grouped(lang: Lang, items: &[(&str, u32)]) -> String {
    let mut groups: Vec<(u32, Vec<&str>)> = Vec::new();
    for &(label, amount) in items {
        match groups.iter_mut().find(|(a, _)| *a == amount) {
            Some((_, labels)) => labels.push(label),
            None => groups.push((amount, vec![label])),
        }
    }
    groups
        .iter()
        .map(|(amount, labels)| format!("{}: {}", labels.join(", "), money(lang, *amount)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn money(lang: Lang, amount: u32) -> String {
    match (lang, amount) {
        (Lang::Vi, 0) => "miễn phí".to_owned(),
        (Lang::En, 0) => "free".to_owned(),
        (Lang::Vi, a) => format!("{} đồng", vnd_vi(a)),
        (Lang::En, a) => format!("{} VND", vnd_en(a)),
    }
}

fn fees_text(lang: Lang, today: Date) -> Result<String, RulesError> {
    let label = |vi: &'static str, en: &'static str| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    };
    let mut desk = Vec::new();
    let mut online = Vec::new();
    let mut desk_cut = 0u8;
    let mut online_cut = 0u8;
    let mut interim = false;
    for (reason, vi, en) in FEE_ITEMS {
        let d = fee_of(reason, today, Channel::InPerson)?;
        let o = fee_of(reason, today, Channel::Online)?;
        desk_cut = desk_cut.max(d.reduction_percent);
        interim |= d.interim;
        if o.amount_vnd != d.amount_vnd {
            online.push((label(vi, en), o.amount_vnd));
            online_cut = online_cut.max(o.reduction_percent);
        }
        desk.push((label(vi, en), d.amount_vnd));
    }
    // Exemptions that make a priced renewal free today.
    let priced = fee_of(Reason::OnRequest, today, Channel::InPerson)?;
    let mut exempt = Vec::new();
    if priced.base_amount_vnd > 0 {
        let regime = Regime::on(today)?;
        let (kind, _) = kind_for(Reason::OnRequest, regime);
        for e in NAMED_EXEMPTIONS {
            let f = rules::fee(kind, Reason::OnRequest, &[e], today, Channel::InPerson)?.value;
            if f.exemption == Some(e) {
                exempt.push(label(e.label_vi(), e.label_en()));
            }
        }
    }
    let mut text = match lang {
        Lang::Vi => {
            let mut t = format!("Lệ phí {}", card_vi(Regime::on(today)?));
            if desk_cut > 0 {
                t.push_str(&format!(" (đang giảm {desk_cut}%)"));
            }
            t.push_str(&format!(": {}.", grouped(lang, &desk)));
            if !online.is_empty() {
                t.push_str(&format!(
                    " Nộp trực tuyến (giảm {online_cut}%): {}.",
                    grouped(lang, &online)
                ));
            }
            if !exempt.is_empty() {
                t.push_str(&format!(
                    " Được miễn lệ phí đổi, cấp lại: {} và một số trường hợp khác.",
                    exempt.join(", ")
                ));
            }
            if interim {
                t.push_str(" Đây là mức tham chiếu tạm thời khi chưa có văn bản lệ phí mới.");
            }
            t
        }
        Lang::En => {
            let mut t = String::from("Card fees");
            if desk_cut > 0 {
                t.push_str(&format!(" (currently {desk_cut}% off)"));
            }
            t.push_str(&format!(": {}.", grouped(lang, &desk)));
            if !online.is_empty() {
                t.push_str(&format!(
                    " Online ({online_cut}% off): {}.",
                    grouped(lang, &online)
                ));
            }
            if !exempt.is_empty() {
                t.push_str(&format!(
                    " Exempt from renewal and re-issue fees: {} and some others.",
                    exempt.join(", ")
                ));
            }
            if interim {
                t.push_str(" These are interim reference amounts while no new fee text exists.");
            }
            t
        }
    };
    if text.chars().count() > MAX_CHARS {
        text = cut(&text);
    }
    Ok(text)
}

fn deadlines_text(lang: Lang, today: Date, cal: &WorkingCalendar) -> Result<String, RulesError> {
    let d = rules::deadlines(today, Receiver::Office, cal)?;
    let cap = d.value.cap_working_days;
    let promised = d.value.promised_date;
    let basis = d.basis.first().map(ToString::to_string).unwrap_or_default();
    let confirm_due = rules::cmnd_number_confirmation(today, cal)?.value;
    let confirm_days = cal
        .working_days_between(today, confirm_due)
        .map_err(|e| RulesError::calendar(&e))?;
    let text = match lang {
        Lang::Vi => format!(
            "Thời hạn trả thẻ: tối đa {cap} ngày làm việc kể từ khi nhận đủ hồ sơ, không tính ngày tiếp nhận ({basis}). Ví dụ: hồ sơ tiếp nhận ngày {} được hẹn trả chậm nhất ngày {}. Ngày hẹn trả ghi trên giấy hẹn; quá ngày hẹn mà chưa có thẻ, hãy gọi đường dây nóng của cơ quan tiếp nhận. Giấy xác nhận số CMND cũ: tối đa {confirm_days} ngày làm việc.",
            vi_date(today),
            vi_date(promised),
        ),
        Lang::En => format!(
            "Processing time: at most {cap} working days from a complete application, the day of reception not counted ({basis}). For example, an application received on {} is promised by {} at the latest. The date is printed on the appointment slip; if it passes without a card, call the receiving office's hotline. A confirmation of an old CMND number: at most {confirm_days} working days.",
            vi_date(today),
            vi_date(promised),
        ),
    };
    Ok(cut(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// One day in each fee period of the data, and the regimes' edges.
    const DAYS: [(i16, i8, i8); 8] = [
        (2019, 11, 1),
        (2023, 5, 10),
        (2024, 6, 30),
        (2024, 8, 1),
        (2024, 11, 1),
        (2025, 3, 3),
        (2025, 8, 1),
        (2026, 3, 2),
    ];

    fn days() -> impl Iterator<Item = Date> {
        DAYS.iter().map(|&(y, m, d)| date(y, m, d))
    }

    fn cal() -> &'static WorkingCalendar {
        WorkingCalendar::official()
    }

    #[test]
    fn every_answer_is_short_plain_text() {
        for day in days() {
            for lang in [Lang::Vi, Lang::En] {
                for text in [
                    procedure(lang, day),
                    fees(lang, day),
                    deadlines(lang, day, cal()),
                ] {
                    let n = text.chars().count();
                    assert!(n <= MAX_CHARS, "{day} {lang:?}: {n} chars: {text}");
                    assert!(!text.ends_with('…'), "{day} {lang:?} was cut: {text}");
                    assert!(
                        !text.contains(['<', '>', '*', '_', '#', '\n']),
                        "markup in {text}"
                    );
                }
            }
        }
    }

    /// The `labels: amount` groups of the desk part of a fee text.
    fn desk_groups(text: &str) -> Vec<(String, String)> {
        let body = text
            .split_once(": ")
            .map(|(_, b)| b)
            .unwrap_or_default()
            .split(". ")
            .next()
            .unwrap_or_default()
            .trim_end_matches('.');
        body.split("; ")
            .map(|g| {
                let (labels, amount) = g.rsplit_once(": ").unwrap();
                (labels.to_owned(), amount.to_owned())
            })
            .collect()
    }

    #[test]
    fn every_fee_figure_is_the_rules_figure() {
        for day in days() {
            for lang in [Lang::Vi, Lang::En] {
                let text = fees(lang, day);
                let groups = desk_groups(&text);
                for (reason, vi, en) in FEE_ITEMS {
                    let label = if lang == Lang::Vi { vi } else { en };
                    let want = fee_of(reason, day, Channel::InPerson).unwrap().amount_vnd;
                    let (_, amount) = groups
                        .iter()
                        .find(|(labels, _)| labels.split(", ").any(|l| l == label))
                        .unwrap_or_else(|| panic!("{day} {label} missing in {text}"));
                    assert_eq!(amount, &money(lang, want), "{day} {reason}: {text}");
                }
                // Online amounts, where they differ, are the rules' too.
                for (reason, vi, en) in FEE_ITEMS {
                    let d = fee_of(reason, day, Channel::InPerson).unwrap().amount_vnd;
                    let o = fee_of(reason, day, Channel::Online).unwrap().amount_vnd;
                    let online = text
                        .split_once(if lang == Lang::Vi {
                            "Nộp trực tuyến"
                        } else {
                            "Online ("
                        })
                        .map(|(_, t)| t.to_owned());
                    if o == d {
                        continue;
                    }
                    let online =
                        online.unwrap_or_else(|| panic!("{day}: no online part in {text}"));
                    let label = if lang == Lang::Vi { vi } else { en };
                    let group = online
                        .split("; ")
                        .find(|g| g.contains(label))
                        .unwrap_or_else(|| panic!("{day} online {label}: {text}"));
                    assert!(group.contains(&money(lang, o)), "{day} {reason}: {text}");
                }
            }
        }
    }

    #[test]
    fn fees_by_period() {
        // Values as the rules give them, spelled out for a reader.
        let t = fees(Lang::Vi, date(2026, 3, 2));
        assert_eq!(
            t,
            format!(
                "Lệ phí thẻ căn cước: cấp lần đầu, đổi khi đủ tuổi: miễn phí; đổi từ CMND/CCCD: {}; đổi theo yêu cầu: {}; thẻ hư hỏng, mất thẻ: {}. Được miễn lệ phí đổi, cấp lại: {}, {}, {}, {} và một số trường hợp khác.",
                money(
                    Lang::Vi,
                    fee_of(Reason::CmndConversion, date(2026, 3, 2), Channel::InPerson)
                        .unwrap()
                        .amount_vnd
                ),
                money(
                    Lang::Vi,
                    fee_of(Reason::OnRequest, date(2026, 3, 2), Channel::InPerson)
                        .unwrap()
                        .amount_vnd
                ),
                money(
                    Lang::Vi,
                    fee_of(Reason::Lost, date(2026, 3, 2), Channel::InPerson)
                        .unwrap()
                        .amount_vnd
                ),
                Exemption::Child.label_vi(),
                Exemption::Elderly.label_vi(),
                Exemption::Disabled.label_vi(),
                Exemption::PoorHousehold.label_vi(),
            )
        );
        // Under the CCCD regime a damaged card is a renewal, priced with
        // the other renewals, and the 2024 exemptions did not exist.
        let old = fees(Lang::Vi, date(2023, 5, 10));
        assert!(old.starts_with("Lệ phí thẻ Căn cước công dân: "), "{old}");
        assert!(old.contains("đổi theo yêu cầu, thẻ hư hỏng:"), "{old}");
        assert!(old.contains(Exemption::PoorHousehold.label_vi()), "{old}");
        assert!(!old.contains(Exemption::Child.label_vi()), "{old}");
        // 2025 before July: online only is cut; from July both are.
        assert!(fees(Lang::Vi, date(2025, 3, 3)).contains("Nộp trực tuyến (giảm 50%)"));
        let both = fees(Lang::Vi, date(2025, 8, 1));
        assert!(
            both.starts_with("Lệ phí thẻ căn cước (đang giảm 50%)"),
            "{both}"
        );
        assert!(!both.contains("trực tuyến"), "{both}");
        assert!(fees(Lang::En, date(2024, 8, 1)).contains("interim"));
    }

    #[test]
    fn deadline_figures_are_the_rules_figures() {
        for day in days() {
            let d = rules::deadlines(day, Receiver::Office, cal()).unwrap();
            let promised = rules::promised_date(day, cal()).unwrap();
            assert_eq!(promised, d.value.promised_date);
            let vi = deadlines(Lang::Vi, day, cal());
            assert!(
                vi.contains(&format!(
                    "tối đa {} ngày làm việc",
                    d.value.cap_working_days
                )),
                "{vi}"
            );
            assert!(vi.contains(&format!(
                "tiếp nhận ngày {} được hẹn trả chậm nhất ngày {}",
                vi_date(day),
                vi_date(promised)
            )));
            let en = deadlines(Lang::En, day, cal());
            assert!(en.contains(&format!(
                "at most {} working days",
                d.value.cap_working_days
            )));
            assert!(en.contains(&format!("promised by {}", vi_date(promised))));
        }
        // The regimes' caps differ: 8 days to 30 Jun 2024, 7 after.
        assert!(deadlines(Lang::Vi, date(2024, 6, 28), cal()).contains("tối đa 8 ngày"));
        assert!(deadlines(Lang::Vi, date(2024, 7, 1), cal()).contains("tối đa 7 ngày"));
    }

    #[test]
    fn procedure_figures_are_the_rules_figures() {
        for day in days() {
            let regime = Regime::on(day).unwrap();
            let form = receipt_form(day).unwrap();
            let cap = rules::deadlines(day, Receiver::Office, cal())
                .unwrap()
                .value
                .cap_working_days;
            let ages = list(&regime.renewal_ages().unwrap());
            for lang in [Lang::Vi, Lang::En] {
                let t = procedure(lang, day);
                assert!(t.contains(form.number), "{t}");
                assert!(t.contains(&format!("{cap} "),), "{t}");
                assert!(t.contains(&ages), "{t}");
                assert!(t.contains(&*regime.basis().unwrap().document), "{t}");
            }
        }
        let old = procedure(Lang::Vi, date(2023, 5, 10));
        assert!(
            old.contains("Công an cấp huyện hoặc Công an cấp tỉnh"),
            "{old}"
        );
        assert!(
            old.contains("mẫu CC02") && old.contains("trong 8 ngày"),
            "{old}"
        );
        assert!(old.contains("Từ đủ 14 tuổi được cấp thẻ.") && old.contains("25, 40, 60"));
        let new = procedure(Lang::Vi, date(2026, 3, 2));
        assert!(
            new.contains("Công an cấp xã hoặc Công an cấp tỉnh"),
            "{new}"
        );
        assert!(
            new.contains("mẫu CC01") && new.contains("trong 7 ngày"),
            "{new}"
        );
        assert!(
            new.contains("phải làm thẻ; dưới 14 tuổi được cấp theo nhu cầu"),
            "{new}"
        );
        assert!(new.contains("14, 25, 40, 60"), "{new}");
    }

    #[test]
    fn a_day_before_the_rules_gets_their_explanation() {
        let day = date(2015, 6, 1);
        for lang in [Lang::Vi, Lang::En] {
            let want = Regime::on(day).unwrap_err().message(lang);
            assert_eq!(procedure(lang, day), cut(&want));
            assert_eq!(fees(lang, day), cut(&want));
            assert!(!deadlines(lang, day, cal()).is_empty());
        }
    }
}
