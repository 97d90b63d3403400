//! Synthetic data (dữ liệu tổng hợp) for `cancuoc seed` and `serve --demo`:
//! citizens with Vietnamese names, dates of birth, sexes and places drawn
//! from realistic distributions ([`tables`]), the demo office tree
//! ([`world`]) and dossiers with workflow-valid event logs ([`dossiers`]).
//!
//! Everything is drawn from one seeded generator, so the same seed and the
//! same reference day give the same data. Nothing here is a real person.

pub mod dossiers;
pub mod tables;
pub mod world;

use cancuoc_core::id::Region;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_store::{FieldProvenance, NewCitizen};
use jiff::civil::Date;
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;

/// A weighted table ready to sample.
struct Weighted<T: Copy> {
    items: Vec<T>,
    index: WeightedIndex<u32>,
}

impl<T: Copy> Weighted<T> {
    fn new(pairs: impl IntoIterator<Item = (T, u32)>) -> Self {
        let (items, weights): (Vec<T>, Vec<u32>) = pairs.into_iter().unzip();
        // The tables are constants with positive weights: this cannot fail,
        // but a panic is not allowed, so fall back to equal weights.
        let index = WeightedIndex::new(&weights)
            .or_else(|_| WeightedIndex::new(vec![1u32; items.len().max(1)]))
            .unwrap_or_else(|_| unreachable_weights());
        Self { items, index }
    }
    fn pick(&self, rng: &mut StdRng) -> T {
        self.items[self.index.sample(rng)]
    }
}

#[cold]
fn unreachable_weights() -> WeightedIndex<u32> {
    // `WeightedIndex::new([1])` always succeeds.
    match WeightedIndex::new([1u32]) {
        Ok(w) => w,
        Err(_) => std::process::abort(),
    }
}

/// What a synthetic citizen needs besides the record itself: where the
/// birth was registered (for the personal ID's prefix).
#[derive(Clone, Debug)]
pub struct SynthCitizen {
    /// The record, without a personal ID yet.
    pub record: NewCitizen,
    /// Province code of the birth registration (mã tỉnh khai sinh).
    pub region: u16,
}

/// Draws synthetic citizens.
pub struct CitizenGen {
    family: Weighted<&'static str>,
    middle_male: Weighted<&'static str>,
    middle_female: Weighted<&'static str>,
    provinces: Weighted<u16>,
    ethnicities: Weighted<&'static str>,
    religions: Weighted<&'static str>,
    ages: Weighted<(i16, i16)>,
    today: Date,
    /// Restrict residences to these provinces (the offices that exist), if
    /// any; birth registration still follows the national weights.
    residence_provinces: Vec<u16>,
}

/// The province name of an ID-number code (from core's tables).
pub fn province_name(code: u16) -> &'static str {
    Region::from_code(code).name().unwrap_or("Việt Nam")
}

impl CitizenGen {
    /// A generator for ages relative to `today`; residences in
    /// `residence_provinces` (all provinces when empty).
    pub fn new(today: Date, residence_provinces: Vec<u16>) -> Self {
        Self {
            family: Weighted::new(tables::FAMILY_NAMES.iter().copied()),
            middle_male: Weighted::new(tables::MIDDLE_MALE.iter().copied()),
            middle_female: Weighted::new(tables::MIDDLE_FEMALE.iter().copied()),
            provinces: Weighted::new(tables::PROVINCES.iter().copied()),
            ethnicities: Weighted::new(tables::ETHNICITIES.iter().copied()),
            religions: Weighted::new(tables::RELIGIONS.iter().copied()),
            ages: Weighted::new(tables::AGE_BANDS.iter().map(|&(a, b, w)| ((a, b), w))),
            today,
            residence_provinces,
        }
    }

    /// A full name: family, middle and given name, by sex and birth year.
    pub fn name(&self, rng: &mut StdRng, sex: Sex, birth_year: i16) -> String {
        let family = self.family.pick(rng);
        let (middle, given) = match sex {
            Sex::Male => (
                self.middle_male.pick(rng),
                tables::GIVEN_MALE[rng.random_range(0..tables::GIVEN_MALE.len())],
            ),
            Sex::Female => (
                if rng.random_range(0..100) < tables::thi_percent(birth_year) {
                    "Thị"
                } else {
                    self.middle_female.pick(rng)
                },
                tables::GIVEN_FEMALE[rng.random_range(0..tables::GIVEN_FEMALE.len())],
            ),
        };
        let mut s = String::with_capacity(family.len() + middle.len() + given.len() + 2);
        s.push_str(family);
        s.push(' ');
        s.push_str(middle);
        s.push(' ');
        s.push_str(given);
        s
    }

    fn birth_date(&self, rng: &mut StdRng) -> PartialDate {
        let (lo, hi) = self.ages.pick(rng);
        let age = rng.random_range(lo..=hi);
        let year = (self.today.year() - age).max(1900);
        // About 3 % of older records know only the year, 1 % year and month.
        let partial = rng.random_range(0..100);
        if year < 1975 && partial < 3 {
            return PartialDate::Year(year);
        }
        if year < 1975 && partial < 4 {
            return PartialDate::YearMonth {
                year,
                month: rng.random_range(1..=12),
            };
        }
        let day_of_year = rng.random_range(0..365i16);
        let date = Date::new(year, 1, 1)
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(day_of_year)).ok())
            .filter(|d| *d <= self.today)
            .unwrap_or(self.today);
        PartialDate::Full(date)
    }

    fn address(&self, rng: &mut StdRng, province: u16) -> String {
        let street = tables::STREETS[rng.random_range(0..tables::STREETS.len())];
        format!(
            "Số {} {street}, Phường {}, {}",
            rng.random_range(1..300),
            rng.random_range(1..20),
            province_name(province)
        )
    }

    /// One citizen.
    pub fn citizen(&self, rng: &mut StdRng) -> SynthCitizen {
        let sex = if rng.random_range(0..1000) < 498 {
            Sex::Male
        } else {
            Sex::Female
        };
        let dob = self.birth_date(rng);
        let region = self.provinces.pick(rng);
        let residence = if self.residence_provinces.is_empty() || rng.random_range(0..10) == 0 {
            region
        } else {
            self.residence_provinces[rng.random_range(0..self.residence_provinces.len())]
        };
        let origin = self.provinces.pick(rng);
        let phone = (dob.year() <= self.today.year() - 14).then(|| {
            // Synthetic numbers in a block no operator uses (0999…).
            format!("0999{:06}", rng.random_range(0..1_000_000u32))
        });
        let temporary = (rng.random_range(0..10) == 0).then(|| {
            let p = self.provinces.pick(rng);
            self.address(rng, p)
        });
        SynthCitizen {
            record: NewCitizen {
                personal_id: None,
                full_name: self.name(rng, sex, dob.year()),
                dob,
                sex,
                nationality: "Việt Nam".into(),
                ethnicity: self.ethnicities.pick(rng).into(),
                religion: self.religions.pick(rng).into(),
                place_of_origin: province_name(origin).into(),
                birth_registration: province_name(region).into(),
                permanent_residence: self.address(rng, residence),
                temporary_residence: temporary,
                phone,
                old_cmnd: Vec::new(),
                provenance: FieldProvenance::all_verified("npd"),
            },
            region,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::text::fold_diacritics;
    use rand::SeedableRng;

    fn gen_n(seed: u64, n: usize) -> Vec<SynthCitizen> {
        let today = Date::new(2026, 11, 21).expect("date");
        let g = CitizenGen::new(today, vec![1, 46, 79]);
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n).map(|_| g.citizen(&mut rng)).collect()
    }

    #[test]
    fn deterministic_for_a_seed() {
        let a = gen_n(7, 50);
        let b = gen_n(7, 50);
        let c = gen_n(8, 50);
        let names = |v: &[SynthCitizen]| -> Vec<String> {
            v.iter().map(|c| c.record.full_name.clone()).collect()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
    }

    #[test]
    fn distributions_look_vietnamese() {
        let v = gen_n(42, 20_000);
        let share = |pred: &dyn Fn(&SynthCitizen) -> bool| {
            v.iter().filter(|c| pred(c)).count() as f64 / v.len() as f64
        };
        let nguyen = share(&|c| c.record.full_name.starts_with("Nguyễn "));
        assert!((0.34..0.42).contains(&nguyen), "Nguyễn share {nguyen}");
        let male = share(&|c| c.record.sex == Sex::Male);
        assert!((0.47..0.53).contains(&male), "male share {male}");
        let hcm = share(&|c| c.region == 79);
        let bac_kan = share(&|c| c.region == 6);
        assert!(hcm > 5.0 * bac_kan, "HCM {hcm} vs Bắc Kạn {bac_kan}");
        let with_diacritics =
            share(&|c| fold_diacritics(&c.record.full_name) != c.record.full_name);
        assert!(with_diacritics > 0.9, "diacritics {with_diacritics}");
        let thi = share(&|c| c.record.full_name.contains(" Thị "));
        assert!((0.1..0.4).contains(&thi), "Thị share {thi}");
        let today = Date::new(2026, 11, 21).expect("date");
        for c in &v {
            let y = c.record.dob.year();
            assert!((1926..=2026).contains(&y), "{y}");
            if let PartialDate::Full(d) = c.record.dob {
                assert!(d <= today);
            }
            assert_eq!(c.record.full_name.split(' ').count(), 3);
            assert!(Region::from_code(c.region).is_known(), "{}", c.region);
        }
    }

    #[test]
    fn every_province_in_the_weight_table_is_known() {
        assert_eq!(tables::PROVINCES.len(), 63);
        for (code, w) in tables::PROVINCES {
            assert!(Region::from_code(*code).is_known(), "{code}");
            assert!(*w > 0);
        }
    }
}
