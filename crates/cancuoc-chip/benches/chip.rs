//! Benchmarks for chip data (criterion): passive authentication of one dump
//! (SOD parse, three data group hashes, ECDSA P-256 signature over the
//! signed attributes, DS → CSCA signature, DG1/DG13 decode), the DG13
//! decoder alone, and issuing a dump (DG1/DG2/DG13, EF.COM, EF.SOD signed
//! with ECDSA P-256). Synthetic data and a fresh test PKI only.
use cancuoc_chip::{dg13, issue, pki, verify};
use cancuoc_core::card::Card;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let now = jiff::Timestamp::now();
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let pki = pki::make_test_pki(now).expect("test PKI");
    let card = Card::sample();
    let dump = issue(&card, None, &pki.ds).expect("issue");
    let trust = [pki.csca.clone()];
    assert!(verify(&dump, &trust, today).valid);
    let dg13_bytes = dump.get("DG13").expect("DG13").to_vec();

    let mut g = c.benchmark_group("chip");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify", |b| {
        b.iter(|| verify(black_box(&dump), black_box(&trust), today))
    });
    g.bench_function("dg13_decode", |b| {
        b.iter(|| dg13::decode(black_box(&dg13_bytes)))
    });
    g.bench_function("issue", |b| {
        b.iter(|| issue(black_box(&card), None, black_box(&pki.ds)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
