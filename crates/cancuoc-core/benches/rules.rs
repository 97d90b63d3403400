//! Benchmarks for `rules` (criterion): card expiry (full and year-only dates
//! of birth), the fee of an application, and the deadlines of a dossier.
//! Fees and deadlines run in every reception request; expiry runs in bulk
//! status checks.
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{
    Channel, Exemption, IssueKind, Reason, Receiver, card_expiry, deadlines, expiry_date, fee,
    promised_date,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::{Date, date};
use std::hint::black_box;

/// Deterministic pseudo-random numbers (no RNG dependency needed here).
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

fn dates(from: Date, span_days: u64, count: usize, seed: u64) -> Vec<Date> {
    let mut seed = seed;
    (0..count)
        .map(|_| {
            let offset = (lcg(&mut seed) % span_days) as i64;
            from.checked_add(jiff::Span::new().days(offset))
                .expect("inside jiff's range")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = WorkingCalendar::official();
    // Parse the embedded rule data outside the measurements.
    let _ = fee(
        IssueKind::First,
        Reason::FirstIssue,
        &[],
        date(2025, 1, 1),
        Channel::Online,
    );

    let births = dates(date(1940, 1, 1), 70 * 365, 1024, 7);
    let issued = dates(date(2016, 1, 1), 10 * 365, 1024, 11);
    let pairs: Vec<(Date, Date)> = births
        .iter()
        .zip(&issued)
        .map(|(&b, &i)| (b.min(i), i))
        .collect();
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("card_expiry/full_dob", |b| {
        b.iter(|| {
            for &(birth, issue) in &pairs {
                let _ = black_box(card_expiry(PartialDate::Full(birth), issue));
            }
        })
    });
    g.bench_function("card_expiry/year_only_dob", |b| {
        b.iter(|| {
            for &(birth, issue) in &pairs {
                let _ = black_box(card_expiry(PartialDate::Year(birth.year()), issue));
            }
        })
    });
    g.bench_function("expiry_date/full_dob", |b| {
        b.iter(|| {
            for &(birth, issue) in &pairs {
                let _ = black_box(expiry_date(PartialDate::Full(birth), issue));
            }
        })
    });
    g.bench_function("expiry_date/year_only_dob", |b| {
        b.iter(|| {
            for &(birth, issue) in &pairs {
                let _ = black_box(expiry_date(PartialDate::Year(birth.year()), issue));
            }
        })
    });
    let days = dates(date(2019, 10, 14), 3000, 1024, 13);
    g.bench_function("fee", |b| {
        b.iter(|| {
            for &d in &days {
                let _ = black_box(fee(
                    IssueKind::Reissue,
                    Reason::Lost,
                    &[Exemption::Elderly],
                    d,
                    Channel::Online,
                ));
            }
        })
    });
    g.bench_function("deadlines/office", |b| {
        b.iter(|| {
            for &d in &days {
                let _ = black_box(deadlines(d, Receiver::Office, cal));
            }
        })
    });
    g.bench_function("promised_date", |b| {
        b.iter(|| {
            for &d in &days {
                let _ = black_box(promised_date(d, cal));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
