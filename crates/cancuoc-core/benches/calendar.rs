//! Benchmarks for `calendar` (criterion): solar → lunar and lunar → solar
//! conversions, and working-day arithmetic over spans up to 10 years. These
//! run inside every request that prints a promised date, so the target is
//! well under a microsecond per call.
use cancuoc_core::calendar::{LunarDate, WorkingCalendar, to_lunar, to_solar};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::{Date, date};
use std::hint::black_box;

/// Deterministic pseudo-random numbers (no RNG dependency needed here).
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

/// `count` dates spread over `[from, from + span_days)`.
fn dates(from: Date, span_days: u64, count: usize) -> Vec<Date> {
    let mut seed = 42;
    (0..count)
        .map(|_| {
            let offset = (lcg(&mut seed) % span_days) as i64;
            from.checked_add(jiff::Span::new().days(offset))
                .expect("inside jiff's range")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    // Build the tables outside the measurements.
    let cal = WorkingCalendar::official();
    let _ = to_lunar(date(2025, 1, 1));

    let solar = dates(date(1900, 1, 1), 300 * 365, 1024);
    let lunar: Vec<LunarDate> = solar
        .iter()
        .map(|&d| to_lunar(d).expect("in range"))
        .collect();
    let mut g = c.benchmark_group("calendar");
    g.throughput(Throughput::Elements(solar.len() as u64));
    g.bench_function("to_lunar (1024 dates, 1900-2199)", |b| {
        b.iter(|| {
            for &d in &solar {
                black_box(to_lunar(black_box(d)).ok());
            }
        })
    });
    g.bench_function("to_solar (1024 dates, 1900-2199)", |b| {
        b.iter(|| {
            for &l in &lunar {
                black_box(to_solar(black_box(l)).ok());
            }
        })
    });

    // add_working_days with n up to 10 years of working days (~2,500).
    let starts = dates(date(2000, 1, 1), 180 * 365, 1024);
    let mut seed = 7;
    let ns: Vec<u32> = (0..1024)
        .map(|_| (lcg(&mut seed) % 2_500) as u32 + 1)
        .collect();
    g.bench_function("add_working_days (1024 calls, n ≤ 10 years)", |b| {
        b.iter(|| {
            for (&d, &n) in starts.iter().zip(&ns) {
                black_box(cal.add_working_days(black_box(d), black_box(n)).ok());
            }
        })
    });
    let ends: Vec<Date> = starts
        .iter()
        .zip(&ns)
        .map(|(&d, &n)| {
            d.checked_add(jiff::Span::new().days(i64::from(n) * 7 / 5))
                .expect("in range")
        })
        .collect();
    g.bench_function("working_days_between (1024 calls, ≤ 10 years)", |b| {
        b.iter(|| {
            for (&from, &to) in starts.iter().zip(&ends) {
                black_box(
                    cal.working_days_between(black_box(from), black_box(to))
                        .ok(),
                );
            }
        })
    });
    g.bench_function("is_working_day (1024 calls)", |b| {
        b.iter(|| {
            for &d in &starts {
                black_box(cal.is_working_day(black_box(d)).ok());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("calendar build");
    g.sample_size(10);
    g.bench_function("WorkingCalendar::with_overrides(&[]) (2000-2199)", |b| {
        b.iter_batched(
            || (),
            |()| black_box(WorkingCalendar::with_overrides(&[]).ok()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
