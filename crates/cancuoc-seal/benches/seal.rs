//! Signed-QR throughput: verify (base45 → zlib → CBOR → COSE → Ed25519 →
//! claims) and sign, per second, on the synthetic specimen card.
//!
//! `cargo bench -p cancuoc-seal --bench seal` (also measures `claim169-core`
//! verifying the same seal, as a peer).

use cancuoc_core::card::Card;
use cancuoc_seal::{SigningKey, decode_unverified, sign_card, verify};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let key = SigningKey::from_seed(&[7; 32]);
    let keys = [key.verifying_key().clone()];
    let card = Card::sample();
    let now = jiff::Timestamp::from_second(1_767_225_600).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let today = jiff::civil::date(2026, 6, 1);
    let Ok(text) = sign_card(&card, &key, cancuoc_seal::DEFAULT_ISSUER, now) else {
        panic!("the specimen card signs")
    };
    let mut g = c.benchmark_group("seal");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify", |b| {
        b.iter(|| verify(black_box(&text), &keys, today).is_ok())
    });
    // The reference implementation (idpass/claim-169's Rust decoder) on the
    // same text and key, for comparison.
    let raw_key = key.verifying_key().to_bytes();
    g.bench_function("verify_claim169_core", |b| {
        b.iter(|| {
            claim169_core::Decoder::new(black_box(text.as_str()))
                .verify_with_ed25519(&raw_key)
                .and_then(|d| d.without_timestamp_validation().decode())
                .is_ok()
        })
    });
    g.bench_function("decode_unverified", |b| {
        b.iter(|| decode_unverified(black_box(&text), today).is_ok())
    });
    g.bench_function("sign", |b| {
        b.iter(|| sign_card(black_box(&card), &key, cancuoc_seal::DEFAULT_ISSUER, now).is_ok())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
