//! Benchmarks of personal ID parsing and decoding (criterion): strict
//! parse + decode of a mix of valid and invalid numbers, lenient parse,
//! masking and serial allocation. Figures are per ID (throughput in
//! elements). All numbers are synthetic.

use cancuoc_core::id::alloc::{Allocator, IdPrefix};
use cancuoc_core::id::{DecodeMode, PersonalId, classify, decode, mask_any};
use cancuoc_core::person::Sex;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// A reproducible mix: 80 % valid (provinces and countries, all centuries),
/// 20 % invalid (short, long, letters, full-width digits, unknown region).
fn mixed_inputs(n: usize) -> Vec<String> {
    let codes = ["001", "079", "031", "048", "096", "101", "295", "097"];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let r = next();
            let code = codes[(r % codes.len() as u64) as usize];
            let g = (r >> 8) % 10;
            let yy = (r >> 16) % 100;
            let serial = (r >> 24) % 1_000_000;
            let id = format!("{code}{g}{yy:02}{serial:06}");
            match i % 10 {
                0 => id[..11].to_owned(),
                1 => format!("{id}7"),
                _ if i % 50 == 2 => id.replacen('0', "０", 1),
                _ if i % 50 == 3 => format!("{}x", &id[..11]),
                _ => id,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = mixed_inputs(10_000);
    let valid: Vec<&str> = inputs
        .iter()
        .map(String::as_str)
        .filter(|s| decode(s, DecodeMode::Strict).is_ok())
        .collect();

    let mut g = c.benchmark_group("id");
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("strict_parse_decode_mixed", |b| {
        b.iter(|| {
            let mut ok = 0u32;
            for s in &inputs {
                ok += u32::from(decode(black_box(s), DecodeMode::Strict).is_ok());
            }
            ok
        })
    });
    g.bench_function("lenient_decode_mixed", |b| {
        b.iter(|| {
            let mut ok = 0u32;
            for s in &inputs {
                ok += u32::from(decode(black_box(s), DecodeMode::Lenient).is_ok());
            }
            ok
        })
    });
    g.bench_function("lenient_input_parse_mixed", |b| {
        b.iter(|| {
            let mut ok = 0u32;
            for s in &inputs {
                ok += u32::from(PersonalId::parse_lenient_input(black_box(s)).is_ok());
            }
            ok
        })
    });
    g.throughput(Throughput::Elements(valid.len() as u64));
    g.bench_function("strict_parse_decode_valid", |b| {
        b.iter(|| {
            let mut years = 0i64;
            for s in &valid {
                if let Ok(d) = decode(black_box(s), DecodeMode::Strict) {
                    years += i64::from(d.birth_year);
                }
            }
            years
        })
    });
    let grouped: Vec<String> = valid
        .iter()
        .map(|s| format!("{} {} {}", &s[..3], &s[3..6], &s[6..]))
        .collect();
    g.throughput(Throughput::Elements(grouped.len() as u64));
    g.bench_function("lenient_input_parse_grouped", |b| {
        b.iter(|| {
            let mut ok = 0u32;
            for s in &grouped {
                ok += u32::from(PersonalId::parse_lenient_input(black_box(s)).is_ok());
            }
            ok
        })
    });
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("classify_mixed", |b| {
        b.iter(|| {
            inputs
                .iter()
                .filter(|s| !classify(black_box(s)).is_none())
                .count()
        })
    });
    g.bench_function("mask_any_mixed", |b| {
        b.iter(|| {
            inputs
                .iter()
                .map(|s| mask_any(black_box(s)).len())
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("id_alloc");
    let alloc = Allocator::new([0x42; 16]);
    if let Ok(prefix) = IdPrefix::new(1, Sex::Female, 1999) {
        g.throughput(Throughput::Elements(1000));
        g.bench_function("allocate", |b| {
            b.iter(|| {
                (0..1000u32)
                    .filter_map(|i| alloc.allocate(black_box(prefix), i).ok())
                    .count()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
