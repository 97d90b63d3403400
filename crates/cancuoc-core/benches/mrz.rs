//! MRZ parse throughput: cancuoc against the `mrz` crate (0.9, the peer) on
//! the same TD1 and TD3 lines (ICAO specimens from the public vectors), in
//! one criterion group so both run on the same machine state.
//!
//! Both sides produce a full verdict: cancuoc's per-check and per-field
//! result, the peer's `MrzData` with its `checks`.

use cancuoc_core::id::PersonalId;
use cancuoc_core::mrz::{self, vn};
use cancuoc_core::person::Sex;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

fn parse(c: &mut Criterion) {
    let td1 = TD1.join("\n");
    let td3 = TD3.join("\n");
    let mut g = c.benchmark_group("mrz_parse");
    g.throughput(Throughput::Elements(1));
    g.bench_function("cancuoc/TD1", |b| {
        b.iter(|| {
            let m = mrz::parse(black_box(&td1));
            black_box(m.map(|m| m.is_valid()))
        })
    });
    g.bench_function("mrz_crate/TD1", |b| {
        b.iter(|| {
            let m = ::mrz::parse_td1(black_box(TD1[0]), black_box(TD1[1]), black_box(TD1[2]));
            black_box(m.map(|m| m.valid()))
        })
    });
    g.bench_function("cancuoc/TD3", |b| {
        b.iter(|| {
            let m = mrz::parse(black_box(&td3));
            black_box(m.map(|m| m.is_valid()))
        })
    });
    g.bench_function("mrz_crate/TD3", |b| {
        b.iter(|| {
            let m = ::mrz::parse_td3(black_box(TD3[0]), black_box(TD3[1]));
            black_box(m.map(|m| m.valid()))
        })
    });
    // Parse plus the owned name strings, for readers that need them.
    g.bench_function("cancuoc/TD3+names", |b| {
        b.iter(|| {
            let m = mrz::parse(black_box(&td3));
            black_box(m.map(|m| (m.is_valid(), m.surname_string(), m.given_names_string())))
        })
    });
    g.finish();
}

fn vietnamese(c: &mut Criterion) {
    let Ok(personal_id) = PersonalId::parse("001099012345") else {
        return;
    };
    let card = vn::CardData {
        personal_id,
        full_name: "Nguyễn Thị Thanh Hương",
        surname: None,
        birth_date: jiff::civil::date(1999, 1, 1),
        sex: Sex::Female,
        expiry: Some(jiff::civil::date(2024, 1, 1)),
    };
    let Ok(zone) = vn::encode(&card) else { return };
    let text = zone.to_string();
    let mut g = c.benchmark_group("mrz_vn");
    g.throughput(Throughput::Elements(1));
    g.bench_function("encode", |b| {
        b.iter(|| black_box(vn::encode(black_box(&card))))
    });
    g.bench_function("parse", |b| {
        b.iter(|| {
            let m = mrz::parse(black_box(&text));
            black_box(m.map(|m| (m.is_valid(), m.personal_id())))
        })
    });
    g.finish();
}

criterion_group!(benches, parse, vietnamese);
criterion_main!(benches);
