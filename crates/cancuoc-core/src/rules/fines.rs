//! Fines catalogue (mức phạt vi phạm hành chính về căn cước) from
//! `data/rules/fines.toml`: Decree 144/2021/NĐ-CP Art. 10 (1 Jan 2022 –
//! 14 Dec 2025), then Decree 282/2025/NĐ-CP Art. 11 (from 15 Dec 2025).

use super::data::{Decree, basis, data};
use super::{RulesError, vi_date, vnd_en, vnd_vi};
use crate::basis::Explained;
use jiff::civil::Date;
use serde::Serialize;

/// One offence and its sanction (hành vi vi phạm và mức phạt), for individuals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fine {
    /// Article and clause, e.g. `Điều 10 khoản 1`.
    pub article: String,
    /// The offence in Vietnamese.
    pub offence_vi: String,
    /// The offence in English.
    pub offence_en: String,
    /// Lowest fine in đồng.
    pub min_vnd: u32,
    /// Highest fine in đồng.
    pub max_vnd: u32,
    /// Whether a warning (cảnh cáo) may replace the fine.
    pub warning: bool,
}

impl Fine {
    /// The sanction in Vietnamese, e.g. `Cảnh cáo hoặc phạt tiền 300.000–500.000 đồng`.
    pub fn sanction_vi(&self) -> String {
        let range = format!("{}–{} đồng", vnd_vi(self.min_vnd), vnd_vi(self.max_vnd));
        if self.warning {
            format!("Cảnh cáo hoặc phạt tiền {range}")
        } else {
            format!("Phạt tiền {range}")
        }
    }
    /// The sanction in English.
    pub fn sanction_en(&self) -> String {
        let range = format!("{}–{} VND", vnd_en(self.min_vnd), vnd_en(self.max_vnd));
        if self.warning {
            format!("Warning or a fine of {range}")
        } else {
            format!("Fine of {range}")
        }
    }
}

/// The offences of one sanctioning decree and the days it is in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FineCatalogue {
    /// Stable id, e.g. `nd144-2021`.
    pub decree_id: String,
    /// The decree, e.g. `Nghị định 144/2021/NĐ-CP`.
    pub document: String,
    /// First day in force.
    pub from: Date,
    /// Last day in force, `None` while in force.
    pub to: Option<Date>,
    /// Where the entries were taken from.
    pub source_note: String,
    /// The offences.
    pub fines: Vec<Fine>,
}

fn catalogue(dec: &Decree) -> FineCatalogue {
    FineCatalogue {
        decree_id: dec.id.clone(),
        document: dec.document.clone(),
        from: dec.from,
        to: dec.to,
        source_note: dec.source_note.clone(),
        fines: dec
            .offence
            .iter()
            .map(|o| Fine {
                article: o.article.clone(),
                offence_vi: o.offence_vi.clone(),
                offence_en: o.offence_en.clone(),
                min_vnd: o.min_vnd,
                max_vnd: o.max_vnd,
                warning: o.warning,
            })
            .collect(),
    }
}

/// The fines catalogue in force on `date`.
pub fn fines_on(date: Date) -> Result<Explained<FineCatalogue>, RulesError> {
    let d = data()?;
    let dec = d
        .fines
        .iter()
        .find(|dec| dec.covers(date))
        .ok_or(RulesError::NoFines { date })?;
    let mut articles: Vec<&str> = Vec::new();
    for o in &dec.offence {
        let art = o.article.split(" khoản").next().unwrap_or(&o.article);
        if !articles.contains(&art) {
            articles.push(art);
        }
    }
    let until_vi = dec.to.map_or_else(|| "nay".to_owned(), vi_date);
    let until_en = dec.to.map_or_else(|| "today".to_owned(), |t| t.to_string());
    Ok(Explained {
        basis: articles.iter().map(|a| basis(&dec.document, a)).collect(),
        explanation_vi: format!(
            "Mức phạt vi phạm về căn cước theo {} (hiệu lực từ {} đến {}), áp dụng cho cá nhân.",
            dec.document,
            vi_date(dec.from),
            until_vi
        ),
        explanation_en: format!(
            "Fines for identity-card offences under {} (in force {} to {}), for individuals.",
            dec.document, dec.from, until_en
        ),
        value: catalogue(dec),
    })
}

/// Every catalogue in the data, oldest first.
pub fn all_fines() -> Result<Vec<FineCatalogue>, RulesError> {
    Ok(data()?.fines.iter().map(catalogue).collect())
}
