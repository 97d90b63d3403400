//! The rule data (dữ liệu quy tắc): `data/rules/*.toml`, embedded at compile
//! time, parsed with the `toml` crate once, and checked for consistency.
//!
//! A parse or consistency failure is not a panic: every accessor returns
//! [`RulesError::Data`], and `tests_data.rs` makes sure it never happens with
//! the shipped files.

use super::RulesError;
use super::deadline::{Receiver, Stage};
use super::kinds::{Channel, Exemption, Reason};
use super::regime::Regime;
use crate::basis::LegalBasis;
use jiff::civil::Date;
use serde::Deserialize;
use std::sync::LazyLock;

const REGIMES: &str = include_str!("../../data/rules/regimes.toml");
const FEES: &str = include_str!("../../data/rules/fees.toml");
const DEADLINES: &str = include_str!("../../data/rules/deadlines.toml");
const FINES: &str = include_str!("../../data/rules/fines.toml");

/// A document and article, as written in the data files.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BasisRow {
    pub document: String,
    pub article: String,
}

impl BasisRow {
    pub fn basis(&self) -> LegalBasis {
        basis(&self.document, &self.article)
    }
}

/// A [`LegalBasis`] from owned data strings.
pub(crate) fn basis(document: &str, article: &str) -> LegalBasis {
    LegalBasis {
        document: document.to_owned().into(),
        article: article.to_owned().into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegimeRule {
    pub code: Regime,
    pub from: Date,
    pub to: Date,
    pub document: String,
    pub min_age: u8,
    pub under_min_on_request: bool,
    pub eligibility_article: String,
    pub renewal_ages: Vec<u8>,
    pub renewal_article: String,
    pub grace_years: u8,
    pub grace_article: String,
    #[serde(default)]
    pub also: Vec<BasisRow>,
}

impl RegimeRule {
    pub fn on(d: &RulesData, date: Date) -> Result<&RegimeRule, RulesError> {
        d.regimes
            .iter()
            .find(|r| r.from <= date && date <= r.to)
            .ok_or(RulesError::BeforeRegimes {
                date,
                first: d.regimes.first().map_or(date, |r| r.from),
            })
    }

    pub fn of(d: &RulesData, regime: Regime) -> Result<&RegimeRule, RulesError> {
        d.regimes
            .iter()
            .find(|r| r.code == regime)
            .ok_or_else(|| data_err("regimes.toml", format!("regime {regime} missing")))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Transition {
    pub document: String,
    pub article: String,
    pub cmnd_void_from: Date,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CmndRule {
    pub validity_years: u8,
    pub document: String,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimesFile {
    regime: Vec<RegimeRule>,
    transition: Transition,
    cmnd: CmndRule,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeadlineRegime {
    pub regime: Regime,
    pub cap_working_days: u8,
    pub cap_document: String,
    pub cap_article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StageRule {
    pub stage: Stage,
    pub receivers: Vec<Receiver>,
    pub working_days: u8,
    pub document: String,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Budget {
    pub working_days: u8,
    pub document: String,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeadlinesFile {
    pub regime: Vec<DeadlineRegime>,
    pub stage: Vec<StageRule>,
    pub commune_verification: Budget,
    pub cmnd_number_confirmation: Budget,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rate {
    pub reasons: Vec<Reason>,
    pub amount_vnd: u32,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Free {
    pub reasons: Vec<Reason>,
    pub document: String,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExemptionRow {
    pub codes: Vec<Exemption>,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeeTable {
    pub id: String,
    pub regime: Regime,
    pub from: Date,
    pub to: Option<Date>,
    pub document: String,
    #[serde(default)]
    pub interim: bool,
    pub exempt_reasons: Vec<Reason>,
    #[serde(default)]
    pub rate: Vec<Rate>,
    #[serde(default)]
    pub free: Vec<Free>,
    #[serde(default)]
    pub exemption: Vec<ExemptionRow>,
}

impl FeeTable {
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reduction {
    pub id: String,
    pub table: String,
    pub from: Date,
    pub to: Date,
    pub percent: u8,
    pub channels: Vec<Channel>,
    pub document: String,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeesFile {
    pub table: Vec<FeeTable>,
    #[serde(default)]
    pub reduction: Vec<Reduction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Offence {
    pub article: String,
    pub warning: bool,
    pub min_vnd: u32,
    pub max_vnd: u32,
    pub offence_vi: String,
    pub offence_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Decree {
    pub id: String,
    pub document: String,
    pub from: Date,
    pub to: Option<Date>,
    pub source_note: String,
    pub offence: Vec<Offence>,
}

impl Decree {
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FinesFile {
    decree: Vec<Decree>,
}

/// All rule data, parsed and checked.
#[derive(Debug)]
pub(crate) struct RulesData {
    pub regimes: Vec<RegimeRule>,
    pub transition: Transition,
    pub cmnd: CmndRule,
    pub deadlines: DeadlinesFile,
    pub fees: FeesFile,
    pub fines: Vec<Decree>,
}

fn data_err(file: &'static str, message: String) -> RulesError {
    RulesError::Data { file, message }
}

fn parse<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| data_err(file, e.to_string()))
}

static DATA: LazyLock<Result<RulesData, RulesError>> = LazyLock::new(load);

/// The parsed rule data, or why it is unusable.
pub(crate) fn data() -> Result<&'static RulesData, RulesError> {
    DATA.as_ref().map_err(Clone::clone)
}

fn next_day(d: Date, file: &'static str) -> Result<Date, RulesError> {
    d.tomorrow()
        .map_err(|e| data_err(file, format!("no day after {d}: {e}")))
}

fn load() -> Result<RulesData, RulesError> {
    let regimes: RegimesFile = parse("regimes.toml", REGIMES)?;
    let deadlines: DeadlinesFile = parse("deadlines.toml", DEADLINES)?;
    let fees: FeesFile = parse("fees.toml", FEES)?;
    let fines: FinesFile = parse("fines.toml", FINES)?;
    let d = RulesData {
        regimes: regimes.regime,
        transition: regimes.transition,
        cmnd: regimes.cmnd,
        deadlines,
        fees,
        fines: fines.decree,
    };
    check_regimes(&d)?;
    check_deadlines(&d)?;
    check_fees(&d)?;
    check_fines(&d)?;
    Ok(d)
}

fn check_regimes(d: &RulesData) -> Result<(), RulesError> {
    const F: &str = "regimes.toml";
    if d.regimes.len() != Regime::ALL.len() {
        return Err(data_err(
            F,
            "one [[regime]] per Regime variant expected".into(),
        ));
    }
    for (i, r) in d.regimes.iter().enumerate() {
        if r.code != Regime::ALL[i] {
            return Err(data_err(
                F,
                format!("regime #{i} should be {}", Regime::ALL[i]),
            ));
        }
        if r.from > r.to {
            return Err(data_err(F, format!("{}: from after to", r.code)));
        }
        if let Some(prev) = i.checked_sub(1).map(|p| &d.regimes[p])
            && next_day(prev.to, F)? != r.from
        {
            return Err(data_err(
                F,
                format!("{} does not start the day after {} ends", r.code, prev.code),
            ));
        }
        let ages = &r.renewal_ages;
        if ages.is_empty() || ages.windows(2).any(|w| w[0] >= w[1]) {
            return Err(data_err(
                F,
                format!("{}: renewal ages must increase", r.code),
            ));
        }
        if ages[0] < r.grace_years {
            return Err(data_err(
                F,
                format!("{}: first renewal age below the grace years", r.code),
            ));
        }
    }
    Ok(())
}

fn check_deadlines(d: &RulesData) -> Result<(), RulesError> {
    const F: &str = "deadlines.toml";
    for regime in Regime::ALL {
        let n = d
            .deadlines
            .regime
            .iter()
            .filter(|r| r.regime == *regime)
            .count();
        if n != 1 {
            return Err(data_err(
                F,
                format!("{regime}: {n} [[regime]] entries, expected 1"),
            ));
        }
    }
    for receiver in Receiver::ALL {
        let stages: Vec<&StageRule> = d
            .deadlines
            .stage
            .iter()
            .filter(|s| s.receivers.contains(receiver))
            .collect();
        let mut seen = Vec::new();
        for s in &stages {
            if seen.contains(&s.stage) {
                return Err(data_err(F, format!("{receiver}: stage {} twice", s.stage)));
            }
            seen.push(s.stage);
        }
        if !seen.contains(&Stage::CentralProcessing) || !seen.contains(&Stage::Dispatch) {
            return Err(data_err(
                F,
                format!("{receiver}: central-processing and dispatch needed"),
            ));
        }
        let total: u32 = stages.iter().map(|s| u32::from(s.working_days)).sum();
        for r in &d.deadlines.regime {
            if total > u32::from(r.cap_working_days) {
                return Err(data_err(
                    F,
                    format!(
                        "{receiver}: stages sum to {total} working days, over the {} cap of {}",
                        r.regime, r.cap_working_days
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_fees(d: &RulesData) -> Result<(), RulesError> {
    const F: &str = "fees.toml";
    let tables = &d.fees.table;
    for (i, t) in tables.iter().enumerate() {
        if t.to.is_some_and(|to| to < t.from) {
            return Err(data_err(F, format!("{}: to before from", t.id)));
        }
        if let Some(prev) = i.checked_sub(1).map(|p| &tables[p]) {
            match prev.to {
                Some(to) if to < t.from => {}
                _ => {
                    return Err(data_err(
                        F,
                        format!(
                            "{} overlaps {} (tables must be in date order)",
                            t.id, prev.id
                        ),
                    ));
                }
            }
        }
        // The regime must be the same over the whole table.
        let first = RegimeRule::on(d, t.from)?.code;
        let last = RegimeRule::on(d, t.to.unwrap_or(t.from))?.code;
        if first != t.regime || last != t.regime {
            return Err(data_err(
                F,
                format!("{}: regime {} does not match its dates", t.id, t.regime),
            ));
        }
        for reason in Reason::ALL {
            let rated = t.rate.iter().filter(|r| r.reasons.contains(reason)).count();
            let free = t.free.iter().filter(|r| r.reasons.contains(reason)).count();
            if rated + free != 1 {
                return Err(data_err(
                    F,
                    format!(
                        "{}: reason {reason} priced {} times, expected once",
                        t.id,
                        rated + free
                    ),
                ));
            }
        }
        if t.exemption.iter().any(|e| e.codes.is_empty()) {
            return Err(data_err(F, format!("{}: empty exemption row", t.id)));
        }
    }
    for r in &d.fees.reduction {
        let Some(t) = tables.iter().find(|t| t.id == r.table) else {
            return Err(data_err(F, format!("{}: unknown table {}", r.id, r.table)));
        };
        if r.percent == 0 || r.percent > 100 || r.channels.is_empty() || r.to < r.from {
            return Err(data_err(
                F,
                format!("{}: percent 1-100, channels and from <= to needed", r.id),
            ));
        }
        if !t.covers(r.from) || !t.covers(r.to) {
            return Err(data_err(
                F,
                format!("{}: dates outside table {}", r.id, t.id),
            ));
        }
    }
    Ok(())
}

fn check_fines(d: &RulesData) -> Result<(), RulesError> {
    const F: &str = "fines.toml";
    for (i, dec) in d.fines.iter().enumerate() {
        if let Some(prev) = i.checked_sub(1).map(|p| &d.fines[p]) {
            match prev.to {
                Some(to) if next_day(to, F)? == dec.from => {}
                _ => {
                    return Err(data_err(
                        F,
                        format!("{} does not start the day after {} ends", dec.id, prev.id),
                    ));
                }
            }
        }
        if dec.offence.is_empty() {
            return Err(data_err(F, format!("{}: no offences", dec.id)));
        }
        if let Some(o) = dec.offence.iter().find(|o| o.min_vnd > o.max_vnd) {
            return Err(data_err(
                F,
                format!("{}: {}: min above max", dec.id, o.article),
            ));
        }
    }
    Ok(())
}
