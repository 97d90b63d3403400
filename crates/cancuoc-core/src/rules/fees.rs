//! Card fees (lệ phí cấp, đổi, cấp lại thẻ) from the fee tables in
//! `data/rules/fees.toml`.
//!
//! Order of evaluation, for the table in force on the date:
//! 1. the reason must belong to the kind under the table's regime;
//! 2. a reason the table lists as free costs nothing (first issue, age
//!    milestone, agency error, boundary change);
//! 3. otherwise the first claimed exemption that the table lists *and* that
//!    covers the reason makes it free (exemptions cover renewal and re-issue;
//!    under Circular 59/2019 not the CMND conversion); claimed exemptions that
//!    do not apply are named in the explanation;
//! 4. otherwise the table amount, cut by the largest reduction in force on
//!    the date for the channel (reductions do not stack).
//!
//! Exemption grounds are asserted by the caller: the engine prices a claim
//! and has no age input. Whether the claim holds for the applicant (age on
//! the application date, residence, the document seen) is checked first
//! with [`super::exemptions`].

use super::data::{FeeTable, basis, data};
use super::kinds::{Channel, Exemption, IssueKind, Reason, check_kind};
use super::regime::Regime;
use super::{RulesError, vi_date, vnd_en, vnd_vi};
use crate::basis::Explained;
use jiff::civil::Date;
use serde::Serialize;

/// The fee for an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fee {
    /// Amount to pay, in đồng.
    pub amount_vnd: u32,
    /// The table amount before exemptions and reductions.
    pub base_amount_vnd: u32,
    /// The rule that produced the amount: `<table>:free`, `<table>:exempt`,
    /// `<table>:rate` or the id of the reduction applied.
    pub rule_id: String,
    /// The fee table in force.
    pub table_id: String,
    /// The regime of the table.
    pub regime: Regime,
    /// The kind asked about.
    pub kind: IssueKind,
    /// The reason asked about.
    pub reason: Reason,
    /// The channel asked about.
    pub channel: Channel,
    /// The exemption that made it free, if any.
    pub exemption: Option<Exemption>,
    /// The reduction applied, in percent (0 when none).
    pub reduction_percent: u8,
    /// True for the 1 Jul – 20 Oct 2024 gap, priced by Circular 59/2019 as
    /// reference while no fee text for the new card existed.
    pub interim: bool,
}

fn table_on(tables: &[FeeTable], date: Date) -> Option<&FeeTable> {
    tables.iter().find(|t| t.covers(date))
}

/// The fee for `kind` / `reason` with the claimed `exemptions`, for an
/// application filed on `date` through `channel`.
pub fn fee(
    kind: IssueKind,
    reason: Reason,
    exemptions: &[Exemption],
    date: Date,
    channel: Channel,
) -> Result<Explained<Fee>, RulesError> {
    let d = data()?;
    // Before the first regime the regimes error is the precise one.
    Regime::on(date)?;
    let table = table_on(&d.fees.table, date).ok_or(RulesError::NoFeeTable { date })?;
    let kind_basis = check_kind(kind, reason, table.regime)?;
    let mut fee = Fee {
        amount_vnd: 0,
        base_amount_vnd: 0,
        rule_id: String::new(),
        table_id: table.id.clone(),
        regime: table.regime,
        kind,
        reason,
        channel,
        exemption: None,
        reduction_percent: 0,
        interim: table.interim,
    };
    let what_vi = super::sentence(&format!("{} – {}", kind.label_vi(), reason.label_vi()));
    let what_en = super::sentence(&format!("{} – {}", kind.label_en(), reason.label_en()));
    let mut vi;
    let mut en;
    let mut bases = Vec::new();

    if let Some(free) = table.free.iter().find(|f| f.reasons.contains(&reason)) {
        fee.rule_id = format!("{}:free", table.id);
        bases.push(basis(&free.document, &free.article));
        vi = format!("{what_vi}: không thu lệ phí.");
        en = format!("{what_en}: no fee is charged.");
    } else {
        let Some(rate) = table.rate.iter().find(|r| r.reasons.contains(&reason)) else {
            return Err(RulesError::Data {
                file: "fees.toml",
                message: format!("{}: no price for {reason}", table.id),
            });
        };
        fee.base_amount_vnd = rate.amount_vnd;
        bases.push(basis(&table.document, &rate.article));
        vi = format!(
            "{what_vi}: mức thu {} đồng/thẻ ({}).",
            vnd_vi(rate.amount_vnd),
            table.document
        );
        en = format!(
            "{what_en}: {} VND per card ({}).",
            vnd_en(rate.amount_vnd),
            table.document
        );
        let applied = exemptions.iter().find_map(|e| {
            table
                .exemption
                .iter()
                .find(|row| row.codes.contains(e))
                .filter(|_| table.exempt_reasons.contains(&reason))
                .map(|row| (*e, row))
        });
        if let Some((e, row)) = applied {
            fee.exemption = Some(e);
            fee.rule_id = format!("{}:exempt", table.id);
            bases.insert(0, basis(&table.document, &row.article));
            vi.push_str(&format!(" Được miễn lệ phí: {}.", e.label_vi()));
            en.push_str(&format!(" Exempt: {}.", e.label_en()));
        } else {
            let reduction = d
                .fees
                .reduction
                .iter()
                .filter(|r| {
                    r.table == table.id
                        && r.from <= date
                        && date <= r.to
                        && r.channels.contains(&channel)
                })
                .fold(
                    None,
                    |best: Option<&super::data::Reduction>, r| match best {
                        Some(b) if b.percent >= r.percent => Some(b),
                        _ => Some(r),
                    },
                );
            match reduction {
                Some(r) => {
                    let cut = u64::from(rate.amount_vnd) * u64::from(100 - r.percent) / 100;
                    fee.amount_vnd = u32::try_from(cut).unwrap_or(rate.amount_vnd);
                    fee.reduction_percent = r.percent;
                    fee.rule_id = r.id.clone();
                    bases.insert(0, basis(&r.document, &r.article));
                    vi.push_str(&format!(
                        " Giảm {}% từ {} đến {} ({}, {}): thu {} đồng.",
                        r.percent,
                        vi_date(r.from),
                        vi_date(r.to),
                        channel.label_vi(),
                        r.document,
                        vnd_vi(fee.amount_vnd)
                    ));
                    en.push_str(&format!(
                        " Reduced by {}% from {} to {} ({}, {}): {} VND.",
                        r.percent,
                        r.from,
                        r.to,
                        channel.label_en(),
                        r.document,
                        vnd_en(fee.amount_vnd)
                    ));
                }
                None => {
                    fee.amount_vnd = rate.amount_vnd;
                    fee.rule_id = format!("{}:rate", table.id);
                }
            }
        }
    }
    // Claimed exemptions that did not apply, so nobody wonders.
    let unused: Vec<Exemption> = exemptions
        .iter()
        .copied()
        .filter(|e| Some(*e) != fee.exemption)
        .collect();
    if !unused.is_empty() && fee.rule_id != format!("{}:free", table.id) {
        let names_vi = unused
            .iter()
            .map(|e| e.code())
            .collect::<Vec<_>>()
            .join(", ");
        if fee.exemption.is_none() {
            let reason_covered = table.exempt_reasons.contains(&reason);
            if reason_covered {
                vi.push_str(&format!(
                    " Không áp dụng miễn lệ phí ({names_vi}): không có trong danh mục miễn của {}.",
                    table.document
                ));
                en.push_str(&format!(
                    " Exemption not applicable ({names_vi}): not listed by {}.",
                    table.document
                ));
            } else {
                vi.push_str(&format!(
                    " Không áp dụng miễn lệ phí ({names_vi}): {} chỉ miễn cho đổi, cấp lại thẻ, không cho lý do này.",
                    table.document
                ));
                en.push_str(&format!(
                    " Exemption not applicable ({names_vi}): {} exempts renewal and re-issue, not this reason.",
                    table.document
                ));
            }
        }
    }
    if table.interim {
        vi.push_str(&format!(
            " Từ 01/07/2024 đến 20/10/2024 chưa có văn bản quy định lệ phí thẻ căn cước; áp dụng mức của {} để tham chiếu.",
            table.document
        ));
        en.push_str(&format!(
            " From 2024-07-01 to 2024-10-20 no fee text for the new card existed; the {} levels are used as reference.",
            table.document
        ));
    }
    bases.push(kind_basis);
    Ok(Explained {
        value: fee,
        basis: bases,
        explanation_vi: vi,
        explanation_en: en,
    })
}
